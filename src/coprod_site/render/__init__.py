"""Render: the second phase, from the site model to files through Jinja templates.

- `site`: `render_site`, every planned output written into a folder, in several processes.
- `kinds`: the one table of output kinds (template, how it is made, cache key, searchable).
- `templates`: the Jinja environment and clear template errors.
- `text_files`: feeds, citation files, open data and robots.txt.
- `output_keys`: the build cache's key of each output (what it is made from).

Imports `views`, `formats`, `model` and the ground floor; never `load`, `check` or `search`.
"""

from coprod_site.render.kinds import KIND_TABLE, KINDS, KindRule, MadeFrom, searchable_glob
from coprod_site.render.site import RenderReport, make_output, render_site, split_jobs
from coprod_site.render.templates import make_environment, render_template

__all__ = [
    "KINDS", "KIND_TABLE", "KindRule", "MadeFrom", "RenderReport", "make_environment", "make_output",
    "render_site", "render_template", "searchable_glob", "split_jobs",
]
