"""Search: index the finished output folder with Pagefind's real binary, in shards.

- `pagefind`: `index_site`, shards of the searchable pages indexed two at a time.
- `update`: `update_index`, only the bundles whose shard changed indexed again (for `serve`).
- `service`: Pagefind's service given a shard's pages in URL order; the bundle comes back in memory.
- `verify`: a bundle read whole before it is written; its chunks' words.
- `vocabulary`: every bundle learns the words the others hold, so shards answer as one index.
- `canonical`: Pagefind's index files rewritten byte for byte the same from the same pages.
- `ranking`: every bundle counts the library's pages and words, so shards rank as one index.

Imports `model` (URLs), `output_folder`, `parallel` and `errors`; never `load`, `views` or `render`.
"""

from coprod_site.search.pagefind import IndexReport, index_site, pagefind_executable, split_shards
from coprod_site.search.update import update_index

__all__ = ["IndexReport", "index_site", "pagefind_executable", "split_shards", "update_index"]
