"""Serve: the development server, handed a build function; it knows nothing of the phases.

- `server`: `serve`, build, serve on 127.0.0.1, rebuild on change and reload the page.
- `paths`: from a request's path to a file of the output folder, never outside it.
- `watch`: snapshots of the watched folders, compared when the kernel reports a change (or on a timer).
- `local_cms`: decap-server beside the dev server, so the CMS at /admin/ edits the working copy.
- `livereload.js`: the script added to every served page.

Imports only `report`, `diagnostics` and `errors`; the command line hands it the rest.
"""

from coprod_site.serve.local_cms import LocalCms, Mode
from coprod_site.serve.server import STATUS_PATH, report_text, serve

__all__ = ["STATUS_PATH", "LocalCms", "Mode", "report_text", "serve"]
