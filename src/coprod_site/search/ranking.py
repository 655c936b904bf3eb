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
library's. With one bundle nothing changes. A bundle read back from an earlier build (the dev
server's updates) has its added pages replaced, never added to.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from coprod_site.search.canonical import ENTRY, Files, Metas

LIBRARY_PAGES = "library_page_count"
"""The key, in each language of `pagefind-entry.json`, of the library's page count."""


def real_pages(listed: Sequence[Any]) -> list[Any]:
    """The pages of a metadata file's page list that are pages (not added by this step)."""
    return [page for page in listed if page[0]]


def rank_as_one_index(bundles: Sequence[Files], metas: Sequence[Metas]) -> None:
    """Pad the metadata of each of `bundles` (the files of one library's bundles; `metas`, the
    value of their metadata files) to the library's page count and word count, and record the
    page count in their entry files."""
    if len(bundles) < 2:
        return
    entries = [json.loads(files[ENTRY]) for files in bundles]
    for language in sorted({language for meta in metas for language in meta}):
        holding = [(meta[language], entry)
                   for meta, entry in zip(metas, entries, strict=True) if language in meta]
        pages = [real_pages(meta[1]) for meta, _ in holding]
        counts = [sum(int(count) for _, count in listed) for listed in pages]
        total, words = sum(map(len, pages)), sum(counts)
        for (meta, entry), listed, count in zip(holding, pages, counts, strict=True):
            meta[1] = _padded(listed, total - len(listed), words - count)
            entry["languages"][language][LIBRARY_PAGES] = total
    for files, entry in zip(bundles, entries, strict=True):
        files[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _padded(listed: list[Any], pages: int, words: int) -> list[Any]:
    """`listed` and `pages` pages holding no words, with `words` words in all (spread as evenly
    as whole numbers allow)."""
    if pages <= 0:
        return listed
    each, extra = divmod(max(words, 0), pages)
    return [*listed, *(["", each + 1] for _ in range(extra)), *(["", each] for _ in range(pages - extra))]
