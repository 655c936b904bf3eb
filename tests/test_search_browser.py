"""Search in real headless Chromium, against the built site served on 127.0.0.1.

The expected results never come from the generator: `Library` reads the content's front matter
and Markdown directly, and every expectation (which records carry a filter, which word is
distinctive, which year comes first) is computed from that. Each test fails on any console
error or uncaught exception in the page.

The tests of the real site run twice: against its index in one bundle, and against the same
index in three bundles of two pages (a record and a prose page each), which the page merges.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

import pytest
import yaml
from playwright.sync_api import Locator, Page

from browser_support import ConsoleErrors, format_violations, run_axe, serve_directory
from conftest import FIXTURE_CONTENT, FIXTURE_SUBPATH, REAL_CONTENT, TINY_SHARD, build_into
from content_factory import fixture_text, make_content

WAIT_MS = 10_000
PAGE_SIZE = 10  # results the search page shows before "Show more"
UNDATED = "Date not stated"
_WORD = re.compile(r"[a-z]+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)|<?https?://\S+")
_COUNT = re.compile(r"^(\d+) results?\b")

# The results once the search page has loaded and settled: the status states a count and the
# list shows that many (up to a page); returns their paths. Callers clear the status first when
# it already had a count.
SETTLED_JS = """
([pageSize]) => {
  const element = document.getElementById("search-status");
  if (!element) { return false; }  // still on the page that linked here
  const status = element.textContent;
  const match = /^(\\d+) results?\\b/.exec(status);
  const links = [...document.querySelectorAll("#search-results > li h3 a")];
  if (!match || links.length !== Math.min(Number(match[1]), pageSize)) { return false; }
  return links.map(link => new URL(link.href).pathname);
}
"""


# ---- the oracle: the content as written ----

def _split(path: Path) -> tuple[dict[str, Any], str]:
    """Front matter (as YAML data) and Markdown body of a content file."""
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    return cast(dict[str, Any], yaml.safe_load(front)), body


def _words(text: str) -> set[str]:
    """The lower-case words of Markdown text, link targets left out."""
    return set(_WORD.findall(_LINK_TARGET.sub(" ", text).casefold()))


def year_band(year: int | None) -> str:
    """The five-year band the issue asks for, e.g. 2020–2024."""
    if year is None:
        return UNDATED
    start = year - year % 5
    return f"{start}\u2013{start + 4}"


@dataclass(frozen=True)
class Entry:
    """One evidence record as its file states it."""

    id: str
    title: str
    year: int | None
    filters: frozenset[tuple[str, str]]
    """(filter key, value) pairs: (taxonomy id, term name) and ("year", band)."""
    own_text: str
    """The findings and the body: where its distinctive words must come from."""
    all_text: str

    @property
    def path(self) -> str:
        return f"/evidence/{self.id}/"


@dataclass(frozen=True)
class Library:
    """The records, the prose pages' text, and each taxonomy's terms (id → name)."""

    records: tuple[Entry, ...]
    page_texts: tuple[str, ...]
    taxonomies: dict[str, dict[str, str]]

    @classmethod
    def read(cls, content: Path) -> Library:
        taxonomies: dict[str, dict[str, str]] = {}
        for path in sorted((content / "taxonomies").glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            taxonomies[path.stem] = {str(term["id"]): str(term["name"]) for term in data["terms"]}
        records = []
        for path in sorted((content / "evidence").glob("*.md")):
            front, body = _split(path)
            year = front["year"] if isinstance(front["year"], int) else None
            filters = {(tax, terms[term]) for tax, terms in taxonomies.items() for term in front.get(tax, ())}
            filters.add(("year", year_band(year)))
            own = "\n".join([*front["findings"], body])
            records.append(Entry(path.stem, str(front["title"]), year, frozenset(filters), own,
                                 path.read_text(encoding="utf-8")))
        pages = tuple(path.read_text(encoding="utf-8") for path in sorted((content / "pages").glob("*.md")))
        return cls(tuple(records), pages, taxonomies)

    def with_filter(self, key: str, value: str) -> set[str]:
        """Paths of the records carrying a filter value."""
        return {entry.path for entry in self.records if (key, value) in entry.filters}

    def filter_values(self) -> list[tuple[str, str]]:
        """Every value the search page offers: each declared term and each year band in use."""
        values = [(tax, name) for tax, terms in self.taxonomies.items() for name in terms.values()]
        bands = {pair for entry in self.records for pair in entry.filters if pair[0] == "year"}
        return values + sorted(bands)

    def distinctive_words(self, entry: Entry, limit: int = 3) -> list[str]:
        """Words of 7+ letters in the record's findings or body and in no other record or page.

        A word also sharing its first six letters with any word elsewhere is skipped, so neither
        stemming nor prefix matching can make another page match it. Longest words first.
        """
        elsewhere = set().union(*(_words(other.all_text) for other in self.records if other != entry),
                                *(_words(text) for text in self.page_texts))
        stems = {word[:6] for word in elsewhere}
        candidates = [word for word in _words(entry.own_text) if len(word) >= 7 and word[:6] not in stems]
        return sorted(candidates, key=lambda word: (-len(word), word))[:limit]


REAL = Library.read(REAL_CONTENT)
ALL_CONTENT_WORD = "co-production"  # in every record and every page of the real content
Pair = tuple[str, str]


def narrowing_pair() -> tuple[Pair, Pair]:
    """The taxonomy filter value most records carry, and one of another taxonomy narrowing it."""
    values = [pair for pair in REAL.filter_values() if pair[0] != "year"]
    first = max(values, key=lambda pair: len(REAL.with_filter(*pair)))
    broad = REAL.with_filter(*first)
    second = next((pair for pair in values if pair[0] != first[0]
                   and 0 < len(broad & REAL.with_filter(*pair)) < len(broad)), None)
    if len(broad) < 2 or second is None:
        pytest.fail("the real content has no pair of filters where one narrows the other")
    return first, second


def nested_pair() -> tuple[Pair, Pair]:
    """Two filter values of different taxonomies where the first narrows the records and the
    second narrows them again: every record, then fewer, then fewer still (and not none)."""
    values = [pair for pair in REAL.filter_values() if pair[0] != "year"]
    every = {entry.path for entry in REAL.records}
    for first in values:
        for second in values:
            narrowed = REAL.with_filter(*first)
            if first[0] != second[0] and every > narrowed > narrowed & REAL.with_filter(*second) != set():
                return first, second
    pytest.fail("the real content has no pair of filters narrowing it twice")


def search_address(query: str = "", filters: tuple[tuple[str, str], ...] = (), sort: str = "") -> str:
    """`search/?q=…&benefits=…&sort=…` as a shared link would have it."""
    pairs = ([("q", query)] if query else []) + list(filters) + ([("sort", sort)] if sort else [])
    return "search/" + ("?" + urlencode(pairs, quote_via=quote) if pairs else "")


def decoded(address: str) -> tuple[str, list[tuple[str, str]]]:
    """An address as its path and sorted, decoded query pairs ('+' and '%20' both mean a space)."""
    parts = urlsplit(address)
    return parts.path, sorted(parse_qsl(parts.query, keep_blank_values=True))


# ---- driving the page ----

class SearchPage:
    """The search page in a browser tab: open addresses, act, and read settled results."""

    def __init__(self, page: Page, root: str) -> None:
        self.page = page
        self.root = root

    def open(self, address: str) -> list[str]:
        self.page.goto(self.root + address)
        return self.results()

    def results(self) -> list[str]:
        """The result paths once the search has finished and its results are shown."""
        handle = self.page.wait_for_function(SETTLED_JS, arg=[PAGE_SIZE], timeout=WAIT_MS)
        return cast(list[str], handle.json_value())

    def wait_for_prompt(self) -> None:
        """Wait until the page asks for words or a filter (it has nothing to search for)."""
        prompt = self.page.locator("#search-status").filter(has_text="Type words to search for")
        prompt.wait_for(timeout=WAIT_MS)

    def forget(self) -> None:
        """Clear the status, so `results` waits for the next search rather than reading this one."""
        self.page.eval_on_selector("#search-status", "status => { status.textContent = ''; }")

    def box(self, key: str, value: str) -> Locator:
        return self.page.locator(f'#search-form input[type="checkbox"][name="{key}"][value="{value}"]')

    def checked(self) -> set[tuple[str, str]]:
        pairs = self.page.eval_on_selector_all(
            '#search-form input[type="checkbox"]:checked', "boxes => boxes.map(b => [b.name, b.value])")
        return {(str(key), str(value)) for key, value in pairs}

    def address(self) -> tuple[str, list[tuple[str, str]]]:
        """The current address below the site root, as a path and its decoded query pairs."""
        return decoded(self.page.url.removeprefix(self.root))


@pytest.fixture(scope="module", params=["one bundle", "in shards"])
def real_root(request: pytest.FixtureRequest) -> Iterator[str]:
    """The real site (its index in one bundle, then in shards) served on 127.0.0.1; its root
    address, ending in '/'."""
    name = "real_site" if request.param == "one bundle" else "real_site_in_shards"
    site: Path = request.getfixturevalue(name)
    with serve_directory(site) as base:
        yield base + "/"


@pytest.fixture
def search(page: Page, real_root: str, console_errors: ConsoleErrors) -> Iterator[SearchPage]:
    """The search page of the real site; the test fails on any browser error."""
    yield SearchPage(page, real_root)
    console_errors.assert_none()


# ---- (a) a distinctive word finds its record first ----

@pytest.mark.parametrize("entry", REAL.records, ids=lambda entry: entry.id)
def test_a_distinctive_word_finds_its_record_first(search: SearchPage, entry: Entry) -> None:
    words = REAL.distinctive_words(entry)
    assert words, f"{entry.id}: no word of 7+ letters appears only in this record"
    for word in words:
        found = search.open(search_address(word))
        assert found[:1] == [entry.path], f"searching {word!r} found {found}, not {entry.path} first"


# ---- (b) and (e) filters narrow to exactly the right records, with or without words ----

def test_each_filter_alone_browses_exactly_its_records(search: SearchPage) -> None:
    """Every value of every facet, ticked on its own with no words, shows exactly its records."""
    search.page.goto(search.root + "search/")
    search.wait_for_prompt()
    wrong = []
    for key, value in REAL.filter_values():
        search.forget()
        search.box(key, value).check()
        found = sorted(search.results())
        count = search.page.locator(
            f'fieldset[data-facet="{key}"] .facet-count[data-value="{value}"]').text_content()
        expected = sorted(REAL.with_filter(key, value))
        if found != expected or count != f"({len(expected)})":
            wrong.append(f"{key}={value}: found {found}, count {count}; expected {expected}")
        search.box(key, value).uncheck()
        search.wait_for_prompt()
    assert not wrong, "\n".join(wrong)


def test_filters_combine_any_within_a_facet_and_all_across_facets(search: SearchPage) -> None:
    for entry in REAL.records:
        first = sorted(entry.filters)
        one, other = next((a, b) for a in first for b in first if a[0] != b[0] and a[0] != "year")
        found = search.open(search_address(ALL_CONTENT_WORD, (one, other)))
        assert sorted(found) == sorted(REAL.with_filter(*one) & REAL.with_filter(*other)), (one, other)
    benefits = list(REAL.taxonomies["benefits"].values())[:2]
    pairs = tuple(("benefits", name) for name in benefits)
    found = search.open(search_address(filters=pairs))
    assert sorted(found) == sorted(set().union(*(REAL.with_filter(*pair) for pair in pairs)))


def test_words_and_a_filter_narrow_the_results(search: SearchPage) -> None:
    everything = search.open(search_address(ALL_CONTENT_WORD))
    # the word is on every page; the prose pages are listed apart (test_search_page)
    assert set(everything) == {entry.path for entry in REAL.records}
    for pair in narrowing_pair():
        found = search.open(search_address(ALL_CONTENT_WORD, (pair,)))
        assert sorted(found) == sorted(REAL.with_filter(*pair)), pair


def test_browsing_by_clicking_a_filter_with_no_words(search: SearchPage) -> None:
    search.page.goto(search.root + "search/")
    search.wait_for_prompt()
    key, value = "methods", next(iter(REAL.taxonomies["methods"].values()))
    search.box(key, value).check()
    assert sorted(search.results()) == sorted(REAL.with_filter(key, value))
    assert search.address() == decoded(search_address(filters=((key, value),)))
    summaries = search.page.locator("#search-results .excerpt").all_text_contents()
    assert all(summaries), "a browsed result shows no summary"


# ---- (c) a shared link restores everything ----

def test_a_filtered_link_opened_fresh_restores_query_filters_sort_and_results(search: SearchPage) -> None:
    pair = narrowing_pair()[0]
    address = search_address(ALL_CONTENT_WORD, (pair,), "year:desc")
    found = search.open(address)
    expected = sorted((e for e in REAL.records if pair in e.filters), key=lambda e: -(e.year or 0))
    assert found == [entry.path for entry in expected]
    assert search.page.input_value("#search-q") == ALL_CONTENT_WORD
    assert search.page.input_value("#search-sort") == "year:desc"
    assert search.checked() == {pair}
    assert search.address() == decoded(address)


# ---- (d) every change is a history entry; Back and Forward restore it ----

def test_clicking_filters_pushes_the_address_and_back_and_forward_restore_it(search: SearchPage) -> None:
    first, second = nested_pair()
    start = search_address(ALL_CONTENT_WORD)
    states = [
        (start, set(), sorted(search.open(start))),
        (search_address(ALL_CONTENT_WORD, (first,)), {first}, sorted(REAL.with_filter(*first))),
        (search_address(ALL_CONTENT_WORD, (first, second)), {first, second},
         sorted(REAL.with_filter(*first) & REAL.with_filter(*second))),
    ]
    assert len({str(state[2]) for state in states}) == 3, "the three states must show different results"
    history = search.page.evaluate("history.length")
    for (address, checked, expected), pair in zip(states[1:], (first, second), strict=True):
        search.forget()
        search.box(*pair).check()
        assert sorted(search.results()) == expected
        assert (search.address(), search.checked()) == (decoded(address), checked)
    assert search.page.evaluate("history.length") == history + 2, "each filter click adds one entry"
    for move, (address, checked, expected) in [("back", states[1]), ("back", states[0]),
                                                ("forward", states[1]), ("forward", states[2])]:
        search.forget()
        if move == "back":
            search.page.go_back()
        else:
            search.page.go_forward()
        assert sorted(search.results()) == expected, move
        assert (search.address(), search.checked()) == (decoded(address), checked), move


# ---- (f) sorting ----

def test_newest_first_orders_the_results_by_year(search: SearchPage) -> None:
    found = search.open(search_address(ALL_CONTENT_WORD, sort="year:desc"))
    by_path = {entry.path: entry for entry in REAL.records}
    assert sorted(found) == sorted(by_path), "sorting by year shows every record"
    years = [by_path[path].year or 0 for path in found]  # undated records come last
    assert years == sorted(years, reverse=True), found
    search.forget()
    search.page.select_option("#search-sort", "year:asc")
    ascending = [by_path[path].year for path in search.results()]
    dated = [year for year in ascending if year is not None]
    assert dated == sorted(dated)
    assert search.address() == decoded(search_address(ALL_CONTENT_WORD, sort="year:asc"))


# ---- (g) accessibility with results open ----

@pytest.mark.parametrize("width", [390, 1280])
def test_the_search_page_with_results_passes_axe(search: SearchPage, width: int) -> None:
    search.page.set_viewport_size({"width": width, "height": 900})
    assert search.open(search_address(ALL_CONTENT_WORD, (narrowing_pair()[0],)))
    violations = run_axe(search.page)
    assert not violations, format_violations(violations)


# ---- (i) the header search box on every page ----

def test_the_header_search_box_submits_to_the_search_page(search: SearchPage) -> None:
    entry = REAL.records[0]
    word = REAL.distinctive_words(entry, limit=1)[0]
    search.page.goto(search.root + entry.path.lstrip("/"))
    search.page.fill("#site-search", word)
    search.page.press("#site-search", "Enter")
    search.page.wait_for_url(search.root + search_address(word), timeout=WAIT_MS)
    assert search.results()[:1] == [entry.path]
    assert search.page.input_value("#search-q") == word


# ---- (j) each term page links to the search, filtered on its term ----

TERM_PAGES = [(tax, term_id) for tax, terms in REAL.taxonomies.items() for term_id in terms]


@pytest.mark.parametrize(("tax", "term_id"), TERM_PAGES, ids=[f"{t}/{i}" for t, i in TERM_PAGES])
def test_a_term_pages_search_link_finds_its_records(search: SearchPage, tax: str, term_id: str) -> None:
    page = search.page
    page.goto(f"{search.root}{tax}/{term_id}/")
    listed = page.eval_on_selector_all(
        "main ol.record-list > li .record-title a", "links => links.map(a => new URL(a.href).pathname)")
    name = REAL.taxonomies[tax][term_id]
    page.get_by_role("link", name=f"Search within evidence on {name}", exact=True).click()
    found = search.results()
    assert search.checked() == {(tax, name)}
    assert sorted(found) == sorted(listed) == sorted(REAL.with_filter(tax, name))


# ---- (k) excerpts: the query word marked, nothing else but text ----

EXCERPT_ELEMENTS_JS = """
() => [...document.querySelectorAll("#search-results .excerpt")].map(excerpt => ({
  tags: [...excerpt.querySelectorAll("*")].map(element => element.tagName),
  marks: [...excerpt.querySelectorAll("mark")].map(mark => mark.textContent),
  text: excerpt.textContent,
}))
"""


def excerpts(page: Page) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], page.evaluate(EXCERPT_ELEMENTS_JS))


@pytest.mark.parametrize("entry", REAL.records, ids=lambda entry: entry.id)
def test_excerpts_mark_the_query_word_and_hold_no_other_html(search: SearchPage, entry: Entry) -> None:
    word = REAL.distinctive_words(entry, limit=1)[0]
    assert search.open(search_address(word))
    (first, *_) = excerpts(search.page)
    assert first["marks"], f"no <mark> in the excerpt for {word!r}: {first['text']}"
    assert all(word in mark.casefold() for mark in first["marks"]), first["marks"]
    assert set(first["tags"]) == {"MARK"}


def test_markup_written_in_content_stays_text_in_excerpts(
        tmp_path: Path, page: Page, console_errors: ConsoleErrors) -> None:
    body = "\n\nThe panel wrote <b>zorblatt</b> and <img src=x onerror=alert(1)> zorblatt again.\n"
    content = make_content(tmp_path, {
        "evidence/shared-budget-pilot.md": fixture_text("evidence/shared-budget-pilot.md") + body})
    out = build_into(content, tmp_path / "site")
    with serve_directory(out) as base:
        search = SearchPage(page, base + "/")
        assert search.open(search_address("zorblatt")) == ["/evidence/shared-budget-pilot/"]
        (found,) = excerpts(page)
        assert set(found["tags"]) == {"MARK"}
        assert "<b>" in found["text"] and "onerror" in found["text"]
    console_errors.assert_none()


# ---- a sub-path of base_url ----

@pytest.mark.parametrize("shards", ["one bundle", "in shards"])
def test_search_works_under_the_base_url_sub_path(
        fixture_site: Path, tmp_path: Path, page: Page, console_errors: ConsoleErrors, shards: str) -> None:
    """The fixture's base_url is …/library/: its results and filters must stay under /library/."""
    fixture = Library.read(FIXTURE_CONTENT)
    entry = next(e for e in fixture.records if e.id == "youth-panel-interviews")
    site = fixture_site if shards == "one bundle" else build_into(
        FIXTURE_CONTENT, tmp_path / FIXTURE_SUBPATH, shard_pages=TINY_SHARD)
    with serve_directory(site.parent) as base:
        root = f"{base}/{FIXTURE_SUBPATH}/"
        search = SearchPage(page, root)
        found = search.open(search_address("chairing"))
        assert found == [f"/{FIXTURE_SUBPATH}{entry.path}"]
        browse = search.open(search_address(filters=(("benefits", "Empowerment"),)))
        assert sorted(browse) == sorted(f"/{FIXTURE_SUBPATH}{path}"
                                        for path in fixture.with_filter("benefits", "Empowerment"))
        page.click("#search-results a >> nth=0")
        page.wait_for_url(urljoin(root, urlsplit(browse[0]).path), timeout=WAIT_MS)
    console_errors.assert_none()
