"""Search over an index in shards, in real headless Chromium: the page merges the bundles into the
results one index would give.

A library of 25 generated records and the fixture's three prose pages is built twice: with its
index in bundles of at most 7 pages (four bundles, each with records) and in one bundle. The
expectations come from the records as generated (years, dates, filters, words) and from the
bundles' own fragment files (which pages each bundle holds, with their filters), never from
the generator. Every result is read, page by page through "Show more".
"""

from __future__ import annotations

import gzip
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import cbor2
import pytest
from playwright.sync_api import Page

from browser_support import ConsoleErrors, serve_directory
from conftest import build_into
from content_factory import make_content, record

SHARD_PAGES = 7
RECORDS = 25
PAGE_SIZE = 10  # results the search page shows at first, and adds on each "Show more"
WAIT_MS = 10_000
BENEFITS = ("Connection", "Empowerment", "Efficiency")
METHODS = ("survey", "case-studies", "interviews")
# Pagefind matches a word missing from an index by the longest word it does hold that begins the
# search word: in a shard without "zorblattion", "zorb" would match. One record has the long word,
# some others the short one, spread over the shards.
LONG_WORD, SHORT_WORD = "zorblattion", "zorb"
LONG_WORD_RECORD = 5
SHORT_WORD_RECORDS = frozenset({1, 9, 16, 23})


@dataclass(frozen=True)
class Generated:
    """One generated record: its number, year (None when undated), date added and benefit."""

    number: int

    @property
    def path(self) -> str:
        return f"/evidence/garden-{self.number:02d}/"

    @property
    def year(self) -> int | None:
        return None if self.number % 6 == 0 else 2000 + (self.number * 7) % 19

    @property
    def added(self) -> date:
        return date(2025, 1, 1) + timedelta(days=(self.number * 53) % 360)

    @property
    def benefit(self) -> str:
        return BENEFITS[self.number % 3]

    def text(self) -> str:
        words = ([LONG_WORD] if self.number == LONG_WORD_RECORD else []) + (
            [SHORT_WORD] if self.number in SHORT_WORD_RECORDS else [])
        return record(
            title=f"title: Garden study {self.number}",
            year=f"year: {self.year or 'unknown'}",
            benefits=f"benefits: [{self.benefit.lower()}]",
            methods=f"methods: [{METHODS[self.number * 2 % 3]}]",
            added=f"added: {self.added.isoformat()}",
            body=f"## What the source looked at\n\nA garden. {' '.join(words)}\n",
        )


FIXTURE_RECORDS = ("peer-support-evaluation", "shared-budget-pilot", "youth-panel-interviews")
LIBRARY = tuple(Generated(number) for number in range(RECORDS))
ALL_RECORDS = {entry.path for entry in LIBRARY}


def _year(entry: Generated) -> int:
    return entry.year or 0  # undated records sort as year 0


def _added(entry: Generated) -> int:
    return entry.added.toordinal()


SORT_KEYS: dict[str, tuple[Callable[[Generated], int], bool]] = {
    "year:desc": (_year, True), "year:asc": (_year, False), "added:desc": (_added, True),
}


@dataclass(frozen=True)
class Built:
    """The library built in shards and in one bundle, both served; the root address of each."""

    shards: Path
    one: Path
    shards_root: str
    one_root: str


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    base = tmp_path_factory.mktemp("shards")
    generated = {f"evidence/garden-{entry.number:02d}.md": entry.text() for entry in LIBRARY}
    content = make_content(base, generated, remove=[f"evidence/{name}.md" for name in FIXTURE_RECORDS])
    shards = build_into(content, base / "in-shards", shard_pages=SHARD_PAGES)
    one = build_into(content, base / "one-bundle")
    with serve_directory(shards) as shards_base, serve_directory(one) as one_base:
        yield Built(shards, one, shards_base + "/", one_base + "/")


def bundles(site: Path) -> dict[str, list[dict[str, Any]]]:
    """Each bundle's pages (URL and filters), read from its fragment files."""
    found: dict[str, list[dict[str, Any]]] = {}
    for folder in sorted(site.glob("pagefind*/")):
        fragments = sorted(folder.glob("fragment/*.pf_fragment"))
        found[folder.name] = [json.loads(gzip.decompress(path.read_bytes())[12:]) for path in fragments]
    return found


def every_result(page: Page, address: str) -> tuple[int, list[str]]:
    """Open `address`, then press "Show more" until every result is shown: (stated count, paths)."""
    page.goto(address)
    shown = 0
    while True:
        handle = page.wait_for_function(
            """([shown, size]) => {
              const match = /^(\\d+) results?\\b/.exec(document.getElementById("search-status").textContent);
              const items = document.querySelectorAll("#search-results > li").length;
              return match && items === Math.min(Number(match[1]), shown + size) && Number(match[1]);
            }""", arg=[shown, PAGE_SIZE], timeout=WAIT_MS)
        count = cast(int, handle.json_value())
        shown = min(count, shown + PAGE_SIZE)
        if page.locator("#search-more").is_hidden():
            break
        page.click("#search-more")
    paths = page.eval_on_selector_all("#search-results > li h3 a",
                                      "links => links.map(a => new URL(a.href).pathname)")
    assert shown == count == len(paths), (shown, count, paths)
    return count, [str(path) for path in paths]


def facet_counts(page: Page) -> dict[tuple[str, str], int]:
    spans = page.eval_on_selector_all(".facet-count", """spans => spans.map(span =>
        [span.closest("fieldset").dataset.facet, span.dataset.value, span.textContent])""")
    return {(key, value): int(re.sub(r"\D", "", text)) for key, value, text in spans}


@pytest.fixture
def search(page: Page, console_errors: ConsoleErrors) -> Iterator[Page]:
    yield page
    console_errors.assert_none()


def test_the_index_is_in_bundles_of_at_most_seven_pages_each_with_records(built: Built) -> None:
    held = bundles(built.shards)
    assert list(held) == ["pagefind", "pagefind-2", "pagefind-3", "pagefind-4"]
    assert all(len(pages) <= SHARD_PAGES for pages in held.values())
    urls = [page["url"] for pages in held.values() for page in pages]
    assert len(urls) == len(set(urls)) == RECORDS + 3
    assert all(sum(page["url"].startswith("/evidence/") for page in pages) >= 5 for pages in held.values())
    assert list(bundles(built.one)) == ["pagefind"]


def test_a_query_finds_every_record_from_every_shard(built: Built, search: Page) -> None:
    count, found = every_result(search, built.shards_root + "search/?q=garden")
    assert (count, sorted(found)) == (RECORDS, sorted(ALL_RECORDS))
    held = {page["url"]: name for name, pages in bundles(built.shards).items() for page in pages}
    assert {held[path] for path in found} == {"pagefind", "pagefind-2", "pagefind-3", "pagefind-4"}
    _, one_bundle = every_result(search, built.one_root + "search/?q=garden")
    assert sorted(one_bundle) == sorted(found)


@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_each_sort_orders_the_results_of_all_shards(built: Built, search: Page, sort: str) -> None:
    key, descending = SORT_KEYS[sort]
    by_path = {entry.path: entry for entry in LIBRARY}
    for query in ("q=garden&", ""):  # words and a sort, then a sort over a filter alone
        address = f"search/?{query}benefits=Connection&benefits=Efficiency&sort={sort}"
        count, found = every_result(search, built.shards_root + address)
        expected = {entry.path for entry in LIBRARY if entry.benefit in ("Connection", "Efficiency")}
        assert (count, sorted(found)) == (len(expected), sorted(expected)), "prose pages have no sort key"
        keys = [key(by_path[path]) for path in found]
        assert keys == sorted(keys, reverse=descending), found
        _, one_bundle = every_result(search, built.one_root + address)
        assert [key(by_path[path]) for path in one_bundle] == keys


def test_filter_counts_are_the_sums_over_the_shards(built: Built, search: Page) -> None:
    held = bundles(built.shards)
    chosen = {page["url"] for pages in held.values() for page in pages
              if "Empowerment" in page["filters"].get("benefits", [])}
    assert sum(any(page["url"] in chosen for page in pages) for pages in held.values()) > 2
    sums: Counter[tuple[str, str]] = Counter()
    for pages in held.values():
        for page in pages:
            filters: dict[str, list[str]] = page["filters"]
            if page["url"] in chosen:
                sums.update((key, value) for key, values in filters.items() for value in values)
    count, found = every_result(search, built.shards_root + "search/?benefits=Empowerment")
    assert (count, sorted(found)) == (len(chosen), sorted(chosen))
    shown = facet_counts(search)
    assert shown == {pair: sums.get(pair, 0) for pair in shown}
    assert shown[("benefits", "Empowerment")] == RECORDS // 3
    every_result(search, built.one_root + "search/?benefits=Empowerment")
    assert facet_counts(search) == shown


def test_a_word_one_shard_holds_finds_nothing_in_the_others(built: Built, search: Page) -> None:
    """Without the shared vocabulary, the shards lacking the long word would answer with the
    pages holding the short one."""
    holder = LIBRARY[LONG_WORD_RECORD].path
    held = {page["url"]: name for name, pages in bundles(built.shards).items() for page in pages}
    short = {LIBRARY[number].path for number in SHORT_WORD_RECORDS}
    assert len({held[path] for path in short}) == 4, "the short word is in every shard"
    assert every_result(search, built.shards_root + f"search/?q={LONG_WORD}") == (1, [holder])
    _, found = every_result(search, built.shards_root + f"search/?q={SHORT_WORD}")
    assert sorted(found) == sorted(short | {holder}), "the short word matches the long one too"
    assert sorted(every_result(search, built.one_root + f"search/?q={SHORT_WORD}")[1]) == sorted(found)


# ---- the word ranges each bundle lists for its chunks ----

SYLLABLES = ("ka", "lo", "mi", "ne", "su", "tor", "vel", "ran")


def _chunks(meta: Path) -> list[tuple[str, str, list[str]]]:
    """A bundle's chunks as its metadata lists them: (from, to, the words of the chunk file)."""
    def decoded(path: Path) -> Any:
        return cbor2.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])
    listed = decoded(meta)[2]
    return [(first, last, [str(entry[0]) for entry in decoded(meta.parent / "index" / f"{name}.pf_index")[0]])
            for first, last, name in listed]


def test_each_chunk_is_listed_with_the_range_of_its_words(tmp_path: Path) -> None:
    """A search fetches every chunk whose listed range may hold its words: a range wider than its
    chunk's words makes every search that falls in it fetch that chunk too. Every record holds the
    same made-up words, after every other word ("zq..."), so the chunks holding them gain no word
    from the other bundles."""
    words = " ".join(["zq" + "".join(parts) for parts in itertools.product(SYLLABLES, repeat=3)] * 100)
    generated = {f"evidence/words-{number}.md": record(title=f"title: Words {number}", body=words + "\n")
                 for number in range(4)}
    content = make_content(tmp_path, generated, remove=[f"evidence/{name}.md" for name in FIXTURE_RECORDS])
    site = build_into(content, tmp_path / "site", shard_pages=3)
    metas = sorted(site.glob("pagefind*/*.pf_meta"))
    assert len(metas) > 1
    for meta in metas:
        chunks = _chunks(meta)
        assert len(chunks) > 2, f"{meta}: too few chunks to test"
        for first, last, held in chunks:
            outside = [word for word in held if word < first or (word > last and not word.startswith(last))]
            assert not outside, (first, last, outside[:5])
        for (_, last, _), (first, _, _) in itertools.pairwise(chunks):
            assert last < first, f"{meta}: ranges overlap: {[chunk[:2] for chunk in chunks]}"
