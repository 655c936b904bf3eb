"""Load: read, parse, validate and cross-reference the content folder into one immutable `Site`.

The first phase. `load_site` reads every file under `content/`, collects every problem as a
`Diagnostic` and returns the `Site` (with its output plan) only when there are no errors.

- `site`: `load_site`, the phase's one function; `site_config`: content/site.yml.
- `memo`: `LoadMemo`, what one load keeps in memory so the dev server's next one parses only changes.
- `records` (the cache and the workers) and `record_file` (one record file); `pages`; `taxonomies`.
- `cross_checks`: checks across files (duplicate ids, unused terms, reviews due, the map).
- `documents`: one content file into checked fields; `read_fields`: fields against declarations.
- `source_files`, `frontmatter`, `yamltree`: bytes, front matter and strict YAML with positions.

Imports `model` and the ground floor; never a later phase.
"""

from coprod_site.load.documents import ContentRoot
from coprod_site.load.memo import LoadMemo
from coprod_site.load.site import LoadResult, display_path, load_site
from coprod_site.load.taxonomies import load_taxonomies

__all__ = ["ContentRoot", "LoadMemo", "LoadResult", "display_path", "load_site", "load_taxonomies"]
