"""Search: index the finished output folder with Pagefind's real binary, in shards.

- `pagefind`: `index_site`, shards of the searchable pages indexed two at a time.
- `update`: `update_index` (`plan_update`, then `publish_update`), only the bundles whose shard
  changed indexed again, published in place (for `serve`).
- `memo`: `IndexMemo`, the bundles last written, kept in memory so an update reads none back.
- `service`: Pagefind's service given a shard's pages in URL order; the bundle comes back in memory.
- `verify`: a bundle read whole before it is written; its chunks' words.
- `chunk_scan`: a word chunk's words, read without decoding its page lists.
- `vocabulary`: every bundle learns the words the others hold, so shards answer as one index.
- `canonical`: Pagefind's index files rewritten byte for byte the same from the same pages.
- `ranking`: every bundle counts the library's pages and words, so shards rank as one index.

Imports `model` (URLs), `output_folder`, `parallel` and `errors`; never `load`, `views` or `render`.
"""

from coprod_site.search.memo import IndexMemo
from coprod_site.search.pagefind import (
    IndexReport,
    in_url_order,
    index_site,
    pagefind_executable,
    split_shards,
)
from coprod_site.search.update import IndexUpdate, plan_update, publish_update, update_index

__all__ = ["IndexMemo", "IndexReport", "IndexUpdate", "in_url_order", "index_site", "pagefind_executable",
           "plan_update", "publish_update", "split_shards", "update_index"]
