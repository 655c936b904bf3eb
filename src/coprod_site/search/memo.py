"""Search: the bundles the dev server last wrote, kept in memory between its updates.

Reading a bundle back from the folder means decoding every word chunk (seconds at 10,000
pages), so `index_site` and `update_index`, given an `IndexMemo`, leave in it each bundle as
they wrote it: its files but the page fragments (which no later step reads, and which stay in
the folder), its chunks as `verify_bundle` would read them from those files, and the pages its
shard holds. The next `update_index` starts from these and reads no bundle back. A memo
describes one folder: whoever writes that folder's bundles otherwise must `forget` it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from coprod_site.search.verify import Bundle

FRAGMENTS = "fragment/"
"""Where a bundle keeps its page fragments (each file below it is one page's)."""


@dataclass
class IndexMemo:
    """The finished bundles of one folder by name (files without fragments, canonical) and the
    pages (paths below the folder) each holds; empty when nothing is known."""

    bundles: dict[str, Bundle] = field(default_factory=dict)
    shards: dict[str, frozenset[str]] = field(default_factory=dict)

    @property
    def known(self) -> bool:
        """True when the memo holds the folder's bundles."""
        return bool(self.bundles)

    def remember(self, bundles: Mapping[str, Bundle], shards: Mapping[str, Sequence[str]]) -> None:
        """Hold `bundles` (finished: vocabulary shared, ranked, canonical, as just written) and the
        pages of each one's shard, in place of what was held."""
        self.bundles = {name: Bundle({path: data for path, data in bundle.files.items()
                                      if not path.startswith(FRAGMENTS)},
                                     {language: list(chunks) for language, chunks in bundle.chunks.items()},
                                     bundle.pages, canonical=True)
                        for name, bundle in bundles.items()}
        self.shards = {name: frozenset(shards[name]) for name in bundles}

    def forget(self) -> None:
        """Hold nothing: the folder's bundles are no longer known."""
        self.bundles, self.shards = {}, {}

    def bundle(self, name: str) -> Bundle:
        """A copy of the held bundle `name` that finishing it again leaves the memo's unchanged."""
        held = self.bundles[name]
        return Bundle(dict(held.files), {language: list(chunks) for language, chunks in held.chunks.items()},
                      held.pages, held.canonical)
