"""Long lists and related evidence: pages of 50 records, four orders of the library, and the
records most related to each record.

- Pager numbering (GOV.UK's pattern): first, last, the current page and its neighbours, gaps.
- Related records: most shared terms first, ties by the site's order, checked against a plain
  count over every pair; the publisher's terms never count.
- Teasers: a listed record shows the start of its summary (whole sentences, else words and an
  ellipsis); the evidence map's cell pages list records compactly (title, publishers, year).
- A 300-record library from the benchmark's generator (the real taxonomies and map): the plan
  and the sitemap list every page of every list, no page is missing a record or shows one twice,
  titles carry "page 2 of 6", every internal link resolves, and in Chromium at 390 and 1280 px
  a paginated list and a record page pass axe-core and the Nu HTML Checker.
"""

from __future__ import annotations

import random
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from browser_support import format_violations, format_vnu_errors, run_axe, run_vnu, serve_directory
from conftest import BUILD_DAY, REPO, build_into
from coprod_site.check import LinkOptions, check_content
from coprod_site.model import PAGE_SIZE, EvidenceOrder, Record, page_count, related_records
from coprod_site.model.related import most_shared
from coprod_site.views.lists import TEASER_LIMIT, list_part, page_numbers, pager, teaser
from html_tools import parse_file
from test_accessibility import SMALL_TARGETS_JS
from test_reading import DESKTOP, PHONE

RECORDS = 300


# ---- pager numbering ----

@pytest.mark.parametrize(("current", "total", "shown"), [
    (1, 1, (1,)),
    (1, 2, (1, 2)),
    (2, 2, (1, 2)),
    (1, 9, (1, 2, None, 9)),
    (2, 9, (1, 2, 3, None, 9)),
    (3, 9, (1, 2, 3, 4, None, 9)),  # page 2 is shown, never a gap standing for one page
    (5, 9, (1, None, 4, 5, 6, None, 9)),
    (7, 9, (1, None, 6, 7, 8, 9)),
    (9, 9, (1, None, 8, 9)),
    (100, 200, (1, None, 99, 100, 101, None, 200)),
])
def test_page_numbers_show_first_last_and_neighbours_with_gaps(current: int, total: int,
                                                               shown: tuple[int | None, ...]) -> None:
    assert page_numbers(current, total) == shown


def test_a_pager_links_relative_to_the_page_it_is_on() -> None:
    middle = pager("evidence/page/3/", "evidence/", 3, 5)
    assert (middle.previous, middle.next) == ("../../../evidence/page/2/", "../../../evidence/page/4/")
    assert [(item.number, item.href, item.current) for item in middle.items] == [
        (1, "../../../evidence/", False), (2, "../../../evidence/page/2/", False),
        (3, "../../../evidence/page/3/", True), (4, "../../../evidence/page/4/", False),
        (5, "../../../evidence/page/5/", False)]
    assert middle.label == " (page 3 of 5)"
    first = pager("principles/equality/", "principles/equality/", 1, 2)
    assert (first.previous, first.next) == ("", "../../principles/equality/page/2/")
    assert pager("evidence/", "evidence/", 1, 1).label == ""


def test_a_list_part_holds_its_page_of_records() -> None:
    records = [_record(f"r{index:03d}", {}) for index in range(2 * PAGE_SIZE + 20)]
    last = list_part("evidence/page/3/", "evidence/", records, 3)
    assert list(last.records) == records[2 * PAGE_SIZE:]
    assert last.showing == f"Records {2 * PAGE_SIZE + 1} to {2 * PAGE_SIZE + 20} of {2 * PAGE_SIZE + 20}"
    assert list_part("evidence/", "evidence/", records[:3], 1).showing == ""
    with pytest.raises(ValueError, match="page 4 of a list of 3 pages"):
        list_part("evidence/page/4/", "evidence/", records, 4)
    assert [page_count(n) for n in (0, 1, PAGE_SIZE, PAGE_SIZE + 1)] == [1, 1, 1, 2]


# ---- teasers ----

_LONG_SENTENCE = ("Members of a peer support network said they felt more confident, less alone and better "
                  "able to speak up in meetings with the staff who run the service, and they asked for more "
                  "time together.")


@pytest.mark.parametrize(("summary", "shown"), [
    ("A short summary. It fits.", "A short summary. It fits."),
    ("  Spaces\n and   lines\tcollapse.  ", "Spaces and lines collapse."),
    ("A council let residents and staff plan part of a care budget together for two years. "
     "Services cost less to run afterwards. " + "It says more about the pilot than fits in a list. " * 3,
     "A council let residents and staff plan part of a care budget together for two years. "
     "Services cost less to run afterwards. It says more about the pilot than fits in a list."),
    # a first sentence too short to say much: words up to the limit, then an ellipsis
    ("Not real evidence. " + _LONG_SENTENCE,
     "Not real evidence. Members of a peer support network said they felt more confident, less alone and "
     "better able to speak up in meetings with the staff who run the service, and they asked for more time…"),
    # a sentence ends only before a capital or digit: "e.g. the" is not an end
    ("It used interviews, e.g. the ones in " + "x " * 100, "It used interviews, e.g. the ones in "
     + "x " * 80 + "x…"),
    ("y" * 300, "y" * (TEASER_LIMIT - 1) + "…"),
])
def test_a_teaser_is_the_start_of_a_summary(summary: str, shown: str) -> None:
    assert teaser(summary) == shown
    assert len(teaser(summary)) <= TEASER_LIMIT


# ---- orders ----

def test_the_orders_of_the_library() -> None:
    records = [_record("b", {}, title="beta", year=2020, added=date(2026, 1, 2)),
               _record("a", {}, title="Alpha", year=None, added=date(2026, 1, 3)),
               _record("c", {}, title="gamma", year=2010, added=date(2026, 1, 1))]
    ids = {order: [record.id for record in order.ordered(records)] for order in EvidenceOrder}
    assert ids == {EvidenceOrder.NEWEST: ["b", "a", "c"], EvidenceOrder.ADDED: ["a", "b", "c"],
                   EvidenceOrder.OLDEST: ["c", "b", "a"], EvidenceOrder.TITLE: ["a", "b", "c"]}


# ---- related records ----

def _record(record_id: str, terms: dict[str, tuple[str, ...]], *, title: str = "", year: int | None = 2020,
            added: date = date(2026, 1, 1)) -> Record:
    return Record(id=record_id, title=title or record_id, year=year, url="https://example.org/", summary="s",
                  findings=("f",), added=added, terms=terms, body="", source=f"{record_id}.md")


def test_related_records_share_the_most_terms_ties_going_to_the_earlier_record() -> None:
    records = [
        _record("one", {"principles": ("equality",), "methods": ("survey",)}),
        _record("two", {"principles": ("equality", "reciprocity"), "methods": ("survey",)}),
        _record("three", {"principles": ("reciprocity",), "organisations": ("trust",)}),
        _record("four", {"principles": ("equality", "reciprocity"), "methods": ("survey",),
                         "organisations": ("trust",)}),
        _record("five", {"methods": ("interviews",), "organisations": ("trust",)}),
    ]
    related = related_records(records, ("principles", "methods"))
    assert related["four"] == ("two", "one", "three"), "3 shared, then 2, then 1; never the publisher's terms"
    assert related["one"] == ("two", "four")
    assert related["three"] == ("two", "four")
    assert related["five"] == (), "a record sharing nothing has no related records"


def test_related_records_agree_with_a_count_over_every_pair() -> None:
    chooser = random.Random(14)
    pools = {"principles": [f"p{n}" for n in range(6)], "benefits": [f"b{n}" for n in range(8)],
             "methods": [f"m{n}" for n in range(4)]}
    records = [_record(f"r{index}", {tax: tuple(chooser.sample(pool, chooser.randint(0, 3)))
                                     for tax, pool in pools.items()}) for index in range(400)]
    related = related_records(records, tuple(pools))
    for index, record in enumerate(records):
        mine = {(tax, term) for tax, terms in record.terms.items() for term in terms}
        counts = [(-len(mine & {(tax, term) for tax, terms in other.terms.items() for term in terms}),
                   position) for position, other in enumerate(records) if position != index]
        expected = [records[position].id for count, position in sorted(counts)[:5] if count < 0]
        assert list(related[record.id]) == expected, record.id


def test_most_shared_counts_past_the_first_bit_plane() -> None:
    sets = [0b1110, 0b1100, 0b1000, 0b1111]
    assert most_shared(sets, 0b1111, 5) == [3, 2, 1, 0]
    assert most_shared(sets, 0b0111, 2) == [2, 1]
    assert most_shared([], 0b1111, 5) == []


# ---- a library of 300 records ----

@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("paged")
    subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(RECORDS), str(base / "content")],
                   check=True, capture_output=True)
    return build_into(base / "content", base / "site")


@pytest.fixture(scope="module")
def paged_root(paged_site: Path) -> Iterator[str]:
    with serve_directory(paged_site) as url:
        yield url + "/"


def _listed(page_file: Path) -> list[str]:
    items = parse_file(page_file).find("main").find_all("h2", cls="record-title") or \
        parse_file(page_file).find("main").find_all("h3", cls="record-title")
    return [item.find("a").get("href").rstrip("/").rsplit("/", 1)[-1] for item in items]


def _pages_of(site: Path, first: str) -> list[Path]:
    pages = [site / first / "index.html"]
    while (site / first / "page" / str(len(pages) + 1) / "index.html").exists():
        pages.append(site / first / "page" / str(len(pages) + 1) / "index.html")
    return pages


@pytest.mark.parametrize("first", ["evidence/", "evidence/sorted/recently-added/",
                                   "evidence/sorted/oldest-first/", "evidence/sorted/by-title/",
                                   "principles/equality/"])
def test_every_record_of_a_list_is_on_exactly_one_of_its_pages(paged_site: Path, first: str) -> None:
    pages = _pages_of(paged_site, first)
    listed = [_listed(page) for page in pages]
    assert len(pages) > 1 and all(len(ids) == PAGE_SIZE for ids in listed[:-1]) and len(listed[-1]) > 0
    flat = [record_id for ids in listed for record_id in ids]
    assert len(flat) == len(set(flat))
    if first.startswith("evidence/"):
        assert len(flat) == RECORDS
    for number, page in enumerate(pages, 1):
        root = parse_file(page)
        title = root.find("title").text()
        assert f"(page {number} of {len(pages)})" in title, title
        (canonical,) = [link.get("href") for link in root.find_all("link") if link.get("rel") == "canonical"]
        own = first + (f"page/{number}/" if number > 1 else "")
        assert canonical.startswith("https://") and canonical.endswith("/" + own), (canonical, own)
        current = [a.text() for a in root.find("nav", cls="pagination").find_all("a")
                   if a.get("aria-current") == "page"]
        assert current == [str(number)]


def test_the_evidence_list_offers_its_orders_with_the_shown_one_marked(paged_site: Path) -> None:
    for order in EvidenceOrder:
        first = "evidence/" if order is EvidenceOrder.NEWEST else f"evidence/sorted/{order.value}/"
        nav = parse_file(paged_site / first / "page" / "2" / "index.html").find("nav", cls="orders")
        links = [(a.text(), a.get("aria-current")) for a in nav.find_all("a")]
        assert links == [(other.label, "true" if other is order else "") for other in EvidenceOrder]


def test_the_sitemap_and_the_link_check_cover_every_page(paged_site: Path) -> None:
    sitemap = (paged_site / "sitemap.xml").read_text(encoding="utf-8")
    pages = sorted(path.relative_to(paged_site).parent.as_posix() + "/"
                   for path in paged_site.glob("**/page/*/index.html"))
    assert len(pages) > 20 and any(page.startswith("map/") for page in pages)
    missing = [page for page in pages if f"{page}</loc>" not in sitemap]
    assert missing == []
    found = check_content(paged_site.parent / "content", today=BUILD_DAY, display_root=paged_site.parent,
                          links=LinkOptions(built_site=paged_site))
    assert [item.headline() for item in found if item.severity.name == "ERROR"] == []


def test_each_record_page_lists_related_evidence_and_says_why(paged_site: Path) -> None:
    checked = 0
    for page_file in sorted((paged_site / "evidence").glob("synthetic-record-*/index.html"))[:40]:
        main_end = parse_file(page_file).find("section", cls="related")
        items = main_end.find_all("li")
        assert 1 <= len(items) <= 5
        for item in items:
            why = item.find("p", cls="why").text()
            assert why.startswith("Also about ") and len(why) > len("Also about "), why
        checked += 1
    assert checked == 40


def _entries(page_file: Path) -> list[tuple[str, list[str]]]:
    """(record id, the texts of its paragraphs) of each entry of the page's record list."""
    found = []
    for item in parse_file(page_file).find("ol", cls="record-list").find_all("li"):
        record_id = item.find("a").get("href").rstrip("/").rsplit("/", 1)[-1]
        found.append((record_id, [p.text() for p in item.find_all("p")]))
    return found


def _summary_of(site: Path, record_id: str) -> str:
    return parse_file(site / "evidence" / record_id / "index.html").find("p", cls="summary").text()


@pytest.mark.parametrize("address", ["evidence/page/2/", "evidence/sorted/by-title/", "principles/equality/"])
def test_lists_show_a_teaser_and_the_record_page_the_whole_summary(paged_site: Path, address: str) -> None:
    entries = _entries(paged_site / address / "index.html")
    assert len(entries) == PAGE_SIZE
    shortened = 0
    for record_id, (meta, shown) in entries:
        summary = _summary_of(paged_site, record_id)
        assert shown == teaser(summary) and len(shown) <= TEASER_LIMIT, record_id
        assert meta.endswith(parse_file(paged_site / "evidence" / record_id / "index.html")
                             .find("p", cls="byline").text()[-4:]), (record_id, meta)
        shortened += shown != summary
    assert shortened > 0, "the benchmark's summaries are longer than a teaser"


def test_map_cell_pages_list_title_publishers_and_year_only(paged_site: Path) -> None:
    cell_pages = [*sorted(paged_site.glob("map/*/*/index.html")),
                  *sorted(paged_site.glob("map/*/*/page/*/index.html"))]
    assert len(cell_pages) > 10
    for page_file in cell_pages[:20]:
        entries = _entries(page_file)
        assert entries
        for record_id, paragraphs in entries:
            record = parse_file(paged_site / "evidence" / record_id / "index.html")
            byline = record.find("p", cls="byline").text()
            assert paragraphs == [byline], (page_file, record_id)
        titles = parse_file(page_file).find("ol", cls="record-list").find_all("h2", cls="record-title")
        assert len(titles) == len(entries)


# ---- in the browser ----

BROWSER_PAGES = ["evidence/page/2/", "evidence/sorted/by-title/page/3/", "principles/equality/page/2/",
                 "evidence/synthetic-record-000001/", "map/accessibility/citizenship/page/2/"]


def test_paginated_lists_and_related_evidence_pass_the_nu_checker(paged_site: Path) -> None:
    cell_pages = sorted(paged_site.glob("map/*/*/page/2/index.html"))
    assert cell_pages
    errors = run_vnu([paged_site / address / "index.html" for address in BROWSER_PAGES] + cell_pages[:1])
    assert errors == [], format_vnu_errors(errors)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390x844", "1280x900"])
@pytest.mark.parametrize("address", BROWSER_PAGES)
def test_paginated_lists_and_related_evidence_pass_axe(page: Page, paged_root: str, viewport: ViewportSize,
                                                       address: str) -> None:
    page.set_viewport_size(viewport)
    page.goto(paged_root + address)
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    assert page.evaluate(SMALL_TARGETS_JS) == []
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow == 0, f"{address} scrolls sideways by {overflow}px"
    block = ".pagination" if "/page/" in address else ".related"
    box = page.locator(block).bounding_box()
    assert box is not None and box["width"] <= viewport["width"], box


def test_the_pager_moves_between_pages_without_javascript(browser: Browser, paged_root: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    view = context.new_page()
    view.goto(paged_root + "evidence/")
    view.get_by_role("link", name="Next page").click()
    assert view.url.endswith("/evidence/page/2/")
    assert "(page 2 of 6)" in view.title()
    view.get_by_role("link", name="Page 6").click()
    assert view.url.endswith("/evidence/page/6/") and view.get_by_role("link", name="Next page").count() == 0
    view.get_by_role("link", name="Title A–Z").click()
    assert view.url.endswith("/evidence/sorted/by-title/")
    context.close()

