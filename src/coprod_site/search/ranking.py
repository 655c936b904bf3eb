"""Give every bundle of a search index in shards the page count and page length of the whole library.

Pagefind ranks a page by BM25: a word weighs more the fewer of the bundle's pages hold it (its
idf, from the bundle's page count), and a page scores more the shorter it is than the bundle's
average page. A shard's own count and average differ from the library's, so the same page would
score differently in a shard than in one index. So each bundle's metadata is given pages that
hold no words (Pagefind lists a page as `[fragment, word count]`; these have an empty fragment
name and are in no word's or filter's list, so no search can find them) until it has as many
pages as the library, with as many words in all: every bundle then weighs words against the
library's page count and measures pages against the library's average. Each language's entry in
`pagefind-entry.json` records the library's count as `library_page_count`, which the search page
uses to scale each bundle's word weights (from how many of its pages a search found) to the
library's. With one bundle nothing changes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coprod_site.output_folder import write_file
from coprod_site.search.canonical import encode_index_file, read_index_file

LIBRARY_PAGES = "library_page_count"
"""The key, in each language of `pagefind-entry.json`, of the library's page count."""


def rank_as_one_index(bundles: Sequence[Path]) -> None:
    """Pad the metadata of each of `bundles` (pagefind/ folders of one library) to the library's
    page count and word count, and record the page count in their entry files."""
    if len(bundles) < 2:
        return
    entries = {bundle: _entry(bundle) for bundle in bundles}
    languages = sorted({language for entry in entries.values() for language in entry["languages"]})
    for language in languages:
        metas = {bundle: _meta_path(bundle, entry, language) for bundle, entry in entries.items()
                 if language in entry["languages"]}
        pages = {bundle: read_index_file(path)[1] for bundle, path in metas.items()}
        total = sum(len(listed) for listed in pages.values())
        words = sum(int(count) for listed in pages.values() for _, count in listed)
        for bundle, path in metas.items():
            _pad(path, total - len(pages[bundle]), words - sum(int(count) for _, count in pages[bundle]))
            entries[bundle]["languages"][language][LIBRARY_PAGES] = total
    for bundle, entry in entries.items():
        path = bundle / "pagefind-entry.json"
        path.unlink()  # a new file, never writing through a hard link
        write_file(path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _entry(bundle: Path) -> dict[str, Any]:
    entry: dict[str, Any] = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return entry


def _meta_path(bundle: Path, entry: dict[str, Any], language: str) -> Path:
    return bundle / f"pagefind.{entry['languages'][language]['hash']}.pf_meta"


def _pad(path: Path, pages: int, words: int) -> None:
    """Add `pages` pages holding no words to the metadata file at `path`, with `words` words in all
    (spread as evenly as whole numbers allow)."""
    if pages <= 0:
        return
    meta = read_index_file(path)
    each, extra = divmod(max(words, 0), pages)
    meta[1] = [*meta[1], *(["", each + 1] for _ in range(extra)), *(["", each] for _ in range(pages - extra))]
    path.unlink()  # canonicalise_index names it after its content
    write_file(path, encode_index_file(meta))
