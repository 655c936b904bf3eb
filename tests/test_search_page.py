"""The search page's reading of the query, its no-results help and its phone layout, in real
Chromium against the real content built and served on 127.0.0.1.

Each step of the query handling is shown by a query only that step answers: the tests check
the step's note as well as the records, so a search that found them some other way fails.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, urlencode

import pytest
from playwright.sync_api import Page, ViewportSize

from browser_support import ConsoleErrors, format_violations, run_axe, serve_directory

WAIT_MS = 10_000
NHS = "/evidence/nhs-england-co-production-literature-review/"
SCIE = "/evidence/scie-co-production-in-social-care/"
VALUE = "/evidence/value-of-co-production/"
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}

SETTLED_JS = """
() => {
  const status = document.getElementById("search-status").textContent;
  const match = /^(\\d+) results?\\b/.exec(status);
  const items = [...document.querySelectorAll("#search-results > li")];
  if (!match || items.length !== Math.min(Number(match[1]), 10)) { return false; }
  const note = document.getElementById("search-note");
  return {
    status,
    paths: items.map(item => new URL(item.querySelector("h3 a").href).pathname),
    meta: items.map(item => (item.querySelector(".meta") || {}).textContent || ""),
    excerpts: items.map(item => item.querySelector(".excerpt").textContent),
    note: note.hidden ? "" : note.textContent,
    help: !document.getElementById("search-help").hidden,
    filters: !document.getElementById("search-filters").hidden,
    pages: [...document.querySelectorAll("#search-page-list a")].map(a => new URL(a.href).pathname),
  };
}
"""


class Search:
    """The search page in a tab: open a query, read the settled answer."""

    def __init__(self, page: Page, root: str) -> None:
        self.page = page
        self.root = root

    def open(self, query: str, *filters: tuple[str, str]) -> dict[str, Any]:
        pairs = [("q", query), *filters]
        self.page.goto(f"{self.root}search/?{urlencode(pairs, quote_via=quote)}")
        return self.answer()

    def answer(self) -> dict[str, Any]:
        return cast(dict[str, Any], self.page.wait_for_function(SETTLED_JS, timeout=WAIT_MS).json_value())

    def forget(self) -> None:
        self.page.eval_on_selector("#search-status", "status => { status.textContent = ''; }")

    def pagefind(self, query: str) -> int:
        """How many pages Pagefind itself returns for `query`, asked directly."""
        return cast(int, self.page.evaluate(
            "async q => (await (await import('../pagefind/pagefind.js')).search(q)).results.length", query))


@pytest.fixture
def search(page: Page, real_root: str, console_errors: ConsoleErrors) -> Iterator[Search]:
    yield Search(page, real_root)
    console_errors.assert_none()


# ---- each step of reading the query ----

@pytest.mark.parametrize(("typed", "written"), [
    ("coproduction in social care", "co-production in social care"),
    ("co production in social care", "co-production in social care"),
    ("organizational requirements", "organisational requirements"),
])
def test_spelling_and_hyphen_variants_find_what_the_library_spelling_finds(
        search: Search, typed: str, written: str) -> None:
    wanted = search.open(written)
    assert wanted["paths"] and not wanted["note"]
    found = search.open(typed)
    assert found["paths"] == wanted["paths"] and not found["note"]
    assert typed in found["status"], "the status quotes the words as typed"


def test_a_question_is_searched_without_its_common_words_when_all_words_find_nothing(search: Search) -> None:
    found = search.open("does co-production improve clinical outcomes")
    assert found["paths"][:1] == [NHS]
    assert "without common words such as \u201cdoes\u201d" in found["note"]


def test_any_word_matching_ranks_pages_by_how_many_words_they_hold(search: Search) -> None:
    found = search.open("reciprocity jigsaw mukoro")
    assert found["note"] == "No record has all your words; these have some."
    assert found["paths"] == [SCIE, NHS], "SCIE holds two of the words, NHS England's review one"


def test_a_word_pagefind_backs_off_to_a_short_prefix_is_absent_not_matched(search: Search) -> None:
    found = search.open("asthma")
    assert search.pagefind("asthma") > 0, "Pagefind on its own matches 'asthma' by a prefix"
    assert found["paths"] == [] and found["help"] and found["status"].startswith("0 results")
    mixed = search.open("reciprocity asthma")
    assert mixed["paths"] == [SCIE]
    assert mixed["note"] == "No record has \u201casthma\u201d, so it was left out."


def test_a_missing_first_word_of_a_noun_phrase_is_its_topic_so_nothing_matches(search: Search) -> None:
    """'dementia co-production' asks for co-production of one kind: every record is about
    co-production, none about dementia, so showing them all would answer another question."""
    found = search.open("dementia co-production")
    assert found["paths"] == [] and found["help"] and found["status"].startswith("0 results")
    assert found["note"] == "No record has \u201cdementia\u201d. Search for co-production instead."
    assert found["pages"] == [], "prose pages about co-production would answer the other question too"
    search.forget()
    search.page.get_by_role("link", name="co-production", exact=True).click()
    assert set(search.answer()["paths"]) == {NHS, SCIE, VALUE}
    assert search.page.input_value("#search-q") == "co-production"


@pytest.mark.parametrize("query", [
    "co-production dementia",  # the missing word comes after the topic
    "dementia and co-production",  # common words among its own: a sentence, not a noun phrase
])
def test_a_missing_word_that_does_not_narrow_the_topic_is_left_out(search: Search, query: str) -> None:
    found = search.open(query)
    assert set(found["paths"]) == {NHS, SCIE, VALUE} and not found["help"]
    assert found["note"] == "No record has \u201cdementia\u201d, so it was left out."


def test_a_typing_slip_is_corrected_from_the_index_words(search: Search) -> None:
    found = search.open("recipocity")
    assert found["paths"] == [SCIE]
    assert found["note"] == ("No record has \u201crecipocity\u201d. "
                             "Showing results for \u201creciprocity\u201d.")


def test_a_correction_that_finds_nothing_is_offered_as_did_you_mean(search: Search) -> None:
    found = search.open("recipocity", ("organisations", "NHS England"))
    assert found["paths"] == [] and found["note"] == "Did you mean reciprocity?"
    search.forget()
    search.page.get_by_role("link", name="reciprocity", exact=True).click()
    assert search.answer()["paths"] == []  # still filtered by NHS England, which has no such record
    assert "q=reciprocity" in search.page.url and "organisations=NHS+England" in search.page.url
    assert search.page.input_value("#search-q") == "reciprocity"


# ---- results: evidence first, prose pages apart, organisations and year, clean excerpts ----

def test_prose_pages_are_listed_apart_after_the_evidence(search: Search) -> None:
    found = search.open("accessibility")
    assert found["paths"] == [SCIE] and found["pages"] == ["/accessibility/"]
    order = search.page.evaluate(
        "() => document.getElementById('search-results').compareDocumentPosition("
        "document.getElementById('search-pages')) & Node.DOCUMENT_POSITION_FOLLOWING")
    assert order, "the prose pages come after the evidence"


def test_each_result_shows_its_organisations_and_year_and_a_clean_excerpt(search: Search) -> None:
    found = search.open("co-production")
    assert dict(zip(found["paths"], found["meta"], strict=True)) == {
        NHS: "NHS England \u00b7 Date not stated",
        SCIE: "Social Care Institute for Excellence (SCIE) \u00b7 2013",
        VALUE: "Co-Production Collective, University College London (UCL) \u00b7 2022",
    }
    for excerpt in found["excerpts"]:
        assert excerpt[:1].isupper() or excerpt.startswith("\u2026 "), excerpt
        assert "Read the original source" not in excerpt and "doi.org" not in excerpt


def test_an_author_surname_finds_the_record(search: Search) -> None:
    assert search.open("Mukoro")["paths"] == [NHS]


# ---- the no-results screen ----

def test_the_no_results_screen_helps_and_hides_the_filters(search: Search) -> None:
    found = search.open("blockchain")
    assert found["paths"] == [] and found["help"] and not found["filters"] and not found["note"]
    help_box = search.page.locator("#search-help")
    assert "Check the spelling" in help_box.inner_text() and "fewer words" in help_box.inner_text()
    links = help_box.locator("a")
    labels = links.all_inner_texts()
    assert set(labels) >= {"organisations", "methods", "principles"}, labels
    for href in links.evaluate_all("links => links.map(a => a.href)"):
        with urllib.request.urlopen(href) as response:
            assert response.status == 200, href


def test_filters_stay_when_ticked_filters_leave_no_results(search: Search) -> None:
    found = search.open("jigsaw", ("organisations", "NHS England"))
    assert found["paths"] == [] and found["filters"] and found["help"]
    assert search.page.locator("#filters-applied").inner_text() == " (1 applied)"


# ---- the phone layout ----

def test_on_a_phone_the_first_result_is_within_a_screen_and_a_half(search: Search) -> None:
    search.page.set_viewport_size(PHONE)
    found = search.open("co-production", ("principles", "Equality"), ("methods", "Survey"))
    assert found["paths"]
    summary = search.page.locator("#search-filters > summary")
    assert summary.inner_text() == "Filter results (2 applied)"
    assert not search.page.locator("#search-filters").evaluate("panel => panel.open")
    top = search.page.locator("#search-results > li").first.bounding_box()
    assert top is not None and top["y"] < 1.5 * PHONE["height"], top


def test_on_a_phone_the_filter_panel_opens_and_its_filters_work(search: Search) -> None:
    search.page.set_viewport_size(PHONE)
    everything = search.open("co-production")["paths"]
    search.page.locator("#search-filters > summary").click()
    search.forget()
    search.page.locator('input[name="organisations"][value="NHS England"]').check()
    assert search.answer()["paths"] == [NHS] != everything
    assert "organisations=NHS+England" in search.page.url
    search.forget()
    search.page.go_back()
    assert search.answer()["paths"] == everything


def test_on_a_wide_screen_the_filters_are_open(search: Search) -> None:
    search.page.set_viewport_size(DESKTOP)
    search.open("co-production")
    assert search.page.locator("#search-filters").evaluate("panel => panel.open")


# ---- accessibility ----

@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("query", ["reciprocity jigsaw mukoro", "blockchain", "recipocity",
                                   "dementia co-production"])
def test_results_and_no_results_pass_axe(search: Search, width: int, query: str) -> None:
    search.page.set_viewport_size({"width": width, "height": 900})
    search.open(query)
    violations = run_axe(search.page)
    assert not violations, format_violations(violations)


# ---- the first results: their mark, and the filter counts that follow them ----

# What the page shows when it sets the mark: performance.mark wrapped before the page loads.
AT_MARK_JS = """
window.__atMark = [];
const mark = performance.mark.bind(performance);
performance.mark = (name, ...rest) => {
  if (name === "search-first-results") {
    window.__atMark.push({
      results: document.querySelectorAll("#search-results > li").length,
      help: !document.getElementById("search-help").hidden,
      status: document.getElementById("search-status").textContent,
    });
  }
  return mark(name, ...rest);
};
"""


@pytest.mark.parametrize(("query", "results"), [("co-production social care", True), ("blockchain", False)])
def test_the_first_results_mark_is_set_once_the_first_results_are_drawn(
        search: Search, query: str, results: bool) -> None:
    """bench/first_results.py times navigation to this mark: it is set as the first results (or
    the no-results help) are drawn, before the search settles (prose pages, filter counts), and
    once a page."""
    search.page.add_init_script(AT_MARK_JS)
    found = search.open(query)
    assert bool(found["paths"]) is results and found["help"] is not results
    (at_mark,) = search.page.evaluate("window.__atMark")
    assert at_mark["status"] == "Searching\u2026", at_mark
    if results:
        assert at_mark["results"] == len(found["paths"]) and not at_mark["help"], at_mark
    else:
        assert at_mark["results"] == 0 and at_mark["help"], at_mark
    search.forget()
    search.page.fill("#search-q", "reciprocity")
    search.page.press("#search-q", "Enter")
    search.answer()
    assert len(search.page.evaluate("window.__atMark")) == 1, "marked again"
    assert len(search.page.evaluate("performance.getEntriesByName('search-first-results')")) == 1


COUNTS_JS = """
() => Object.fromEntries([...document.querySelectorAll(".facet-count")].map(
  span => [span.closest("fieldset").dataset.facet + "=" + span.dataset.value, span.textContent]))
"""


def test_the_filter_counts_that_follow_the_first_results_are_those_of_its_results(search: Search) -> None:
    """The first search of a page loads only the filters it uses; the counts of every filter come
    after its results are drawn, and must equal those of the same search once all are loaded."""
    search.page.goto(f"{search.root}search/")
    library = cast(dict[str, str], search.page.evaluate(COUNTS_JS))
    assert search.open("jigsaw")["paths"] == [SCIE]
    first = cast(dict[str, str], search.page.evaluate(COUNTS_JS))
    search.forget()
    search.page.press("#search-q", "Enter")
    assert search.answer()["paths"] == [SCIE]
    assert cast(dict[str, str], search.page.evaluate(COUNTS_JS)) == first
    assert first != library and set(first.values()) == {"(0)", "(1)"}, first
    assert first["organisations=Social Care Institute for Excellence (SCIE)"] == "(1)"


# ---- the same reading over an index in shards ----

@pytest.mark.parametrize("query", ["reciprocity jigsaw mukoro", "asthma", "reciprocity asthma", "recipocity",
                                   "does co-production improve clinical outcomes", "accessibility"])
def test_an_index_in_shards_answers_as_one_bundle_does(
        search: Search, real_site_in_shards: Path, query: str) -> None:
    whole = search.open(query)
    with serve_directory(real_site_in_shards) as base:
        in_shards = Search(search.page, base + "/").open(query)
    assert in_shards == whole


def test_any_word_results_follow_a_chosen_order(search: Search) -> None:
    found = search.open("reciprocity jigsaw mukoro", ("sort", "year:asc"))
    assert found["note"] == "No record has all your words; these have some."
    # oldest first, as a sorted search orders them: the undated review (year 0000), then 2013;
    # by words held, SCIE's guide would come first
    assert found["paths"] == [NHS, SCIE]
