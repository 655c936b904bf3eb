"""Serve: the development server, handed a build function; it knows nothing of the phases.

- `server`: `serve`, build, serve on 127.0.0.1, rebuild on change and reload the page.
- `paths`: from a request's path to a file of the output folder, never outside it.
- `watch`: snapshots of the watched folders, compared on a timer.
- `livereload.js`: the script added to every served page.

Imports only `report`, `diagnostics` and `errors`.
"""

from coprod_site.serve.server import STATUS_PATH, report_text, serve

__all__ = ["STATUS_PATH", "report_text", "serve"]
