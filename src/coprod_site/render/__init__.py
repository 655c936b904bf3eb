"""Render: the second phase, from the site model to files through Jinja templates.

- `site`: `render_site`, every planned output written into a folder, in several processes.
- `kinds`: the one table of output kinds (template, how it is made, cache key, searchable).
- `templates`: the Jinja environment and clear template errors.
- `text_files`: feeds, citation files, open data and robots.txt.
- `output_keys`: the build cache's key of each output (what it is made from).
- `incremental`: `render_changes`, a folder brought in place from one version of the site to the next.

Imports `views`, `formats`, `model` and the ground floor; never `load`, `check` or `search`.
"""

from coprod_site.render.incremental import (
    DEFERRABLE,
    Changes,
    Rendered,
    Writer,
    render_changes,
    rendered_as_built,
)
from coprod_site.render.kinds import KIND_TABLE, KINDS, KindRule, MadeFrom, searchable_glob
from coprod_site.render.site import RenderReport, batch_jobs, make_output, render_site
from coprod_site.render.templates import make_environment, render_template

__all__ = [
    "DEFERRABLE", "KINDS", "KIND_TABLE", "Changes", "KindRule", "MadeFrom", "RenderReport", "Rendered",
    "Writer", "batch_jobs", "make_environment", "make_output", "render_changes", "render_site",
    "render_template", "rendered_as_built", "searchable_glob",
]
