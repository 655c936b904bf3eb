"""search.ranking: every bundle of an index in shards counts the library's pages and words as its own.

Read from the real content built in bundles of two pages and in one bundle (Pagefind's real
output): the pages each bundle lists with a fragment are its own, the others hold no words.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from coprod_site.search.canonical import decode_index_file
from coprod_site.search.ranking import LIBRARY_PAGES


def read_index_file(path: Path) -> Any:
    return decode_index_file(path.read_bytes())


def bundles(site: Path) -> list[Path]:
    return sorted(path.parent for path in site.glob("pagefind*/pagefind-entry.json"))


def language(bundle: Path) -> dict[str, Any]:
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    (details,) = entry["languages"].values()
    return dict(details)


def pages(bundle: Path) -> list[tuple[str, int]]:
    meta = read_index_file(bundle / f"pagefind.{language(bundle)['hash']}.pf_meta")
    return [(str(fragment), int(words)) for fragment, words in meta[1]]


def words_listed(bundle: Path) -> set[int]:
    """The pages (by position) some word of the bundle is on."""
    meta = read_index_file(bundle / f"pagefind.{language(bundle)['hash']}.pf_meta")
    found: set[int] = set()
    for *_, chunk in meta[2]:
        for _, postings, *_ in read_index_file(bundle / "index" / f"{chunk}.pf_index")[0]:
            found.update(int(posting[0]) for posting in postings)
    return found


def test_each_bundle_lists_the_librarys_pages_and_words(real_site: Path, real_site_in_shards: Path) -> None:
    (whole,) = bundles(real_site)
    library = pages(whole)
    split = bundles(real_site_in_shards)
    assert len(split) > 2
    own = [[page for page in pages(bundle) if page[0]] for bundle in split]
    assert sorted(page for listed in own for page in listed) == sorted(library)
    for bundle in split:
        listed = pages(bundle)
        assert len(listed) == len(library)
        assert sum(words for _, words in listed) == sum(words for _, words in library)
        assert language(bundle)[LIBRARY_PAGES] == len(library)


def test_the_added_pages_hold_no_words(real_site_in_shards: Path) -> None:
    for bundle in bundles(real_site_in_shards):
        added = {at for at, (fragment, _) in enumerate(pages(bundle)) if not fragment}
        assert added
        assert not added & words_listed(bundle)


def test_one_bundle_is_left_as_pagefind_wrote_it(real_site: Path) -> None:
    (whole,) = bundles(real_site)
    assert LIBRARY_PAGES not in language(whole)
    assert all(fragment for fragment, _ in pages(whole))
