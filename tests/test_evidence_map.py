"""The evidence map (/map/ and /map/<method>/): its counts, its links and its accessibility.

Every expectation comes from the content as written: `Content` reads the taxonomies and the
records' front matter with `yaml.safe_load` and counts the pairs itself, never asking the
generator. The fixture content has no evidence map, so its copy here adds one to site.yml.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from playwright.sync_api import Browser, Page

from browser_support import ConsoleErrors, format_violations, run_axe, serve_directory
from conftest import FIXTURE_CONTENT, FIXTURE_SUBPATH, REAL_CONTENT, build_into
from content_factory import fixture_text, make_content
from html_tools import Element, parse_file, resolve_link

WAIT_MS = 10_000
MAP_SPEC = "evidence_map:\n  rows: principles\n  columns: benefits\n  filter: methods\n"
SETTLED_JS = """
() => {
  const status = document.getElementById("search-status").textContent;
  const match = /^(\\d+) results?\\b/.exec(status);
  const links = [...document.querySelectorAll("#search-results > li h3 a")];
  if (!match || links.length !== Math.min(Number(match[1]), 10)) { return false; }
  return links.map(link => new URL(link.href).pathname);
}
"""


# ---- the oracle: the content as written ----

@dataclass(frozen=True)
class Taxonomy:
    id: str
    name: str
    terms: dict[str, str]
    """term id -> name, in file order"""
    groups: dict[str, str]
    """group id -> label, in file order"""
    term_groups: dict[str, str]
    """term id -> group id"""


@dataclass(frozen=True)
class Content:
    """A content folder read directly: base URL, map axes, taxonomies and each record's terms."""

    base_url: str
    rows: str
    columns: str
    filter: str
    taxonomies: dict[str, Taxonomy]
    records: dict[str, dict[str, set[str]]]
    """record id -> taxonomy id -> term ids"""

    @classmethod
    def read(cls, content: Path) -> Content:
        site = yaml.safe_load((content / "site.yml").read_text(encoding="utf-8"))
        taxonomies = {}
        for path in sorted((content / "taxonomies").glob("*.yml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            terms = data["terms"]
            taxonomies[path.stem] = Taxonomy(
                path.stem, str(data["name"]), {str(t["id"]): str(t["name"]) for t in terms},
                {str(k): str(v) for k, v in (data.get("groups") or {}).items()},
                {str(t["id"]): str(t.get("group", "")) for t in terms})
        records = {}
        for path in sorted((content / "evidence").glob("*.md")):
            front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
            records[path.stem] = {tax: {str(term) for term in front.get(tax) or ()} for tax in taxonomies}
        spec = site["evidence_map"]
        return cls(str(site["base_url"]), spec["rows"], spec["columns"], spec.get("filter", ""),
                   taxonomies, records)

    def in_scope(self, method: str | None) -> set[str]:
        """The records a map counts: all, or those carrying the filter term."""
        return {rid for rid, terms in self.records.items() if method is None or method in terms[self.filter]}

    def carrying(self, method: str | None, **wanted: str) -> set[str]:
        """Records in scope carrying every (taxonomy id = term id) given."""
        return {rid for rid in self.in_scope(method)
                if all(term in self.records[rid][tax] for tax, term in wanted.items())}

    def cell(self, method: str | None, row: str, column: str) -> set[str]:
        return self.carrying(method, **{self.rows: row, self.columns: column})

    def column_order(self) -> list[str]:
        """Column term ids, grouped by the column taxonomy's groups (in their declared order)."""
        tax = self.taxonomies[self.columns]
        if not tax.groups:
            return list(tax.terms)
        return [term for group in tax.groups for term in tax.terms if tax.term_groups[term] == group]

    def label(self, method: str | None, row: str, column: str) -> str:
        count = len(self.cell(method, row, column))
        rows, columns = self.taxonomies[self.rows], self.taxonomies[self.columns]
        return f"{rows.terms[row]} × {columns.terms[column]}: {count} record{'' if count == 1 else 's'}"

    def filters(self) -> list[str | None]:
        return [None, *self.taxonomies[self.filter].terms]


def map_path(method: str | None) -> str:
    return f"map/{method}/" if method else "map/"


@dataclass(frozen=True)
class Site:
    """A built site with the content it came from."""

    name: str
    content: Content
    out: Path
    served_root: Path
    """the folder to serve so pages sit at their published paths"""
    prefix: str
    """the site's path below the served root, '' or 'library/'"""


@pytest.fixture(scope="module")
def fixture_with_map(tmp_path_factory: pytest.TempPathFactory) -> Site:
    base = tmp_path_factory.mktemp("map-fixture")
    content = make_content(base, {"site.yml": fixture_text("site.yml") + MAP_SPEC})
    out = build_into(content, base / "served" / FIXTURE_SUBPATH)
    return Site("fixture", Content.read(content), out, out.parent, FIXTURE_SUBPATH + "/")


@pytest.fixture(scope="module")
def real(real_site: Path) -> Site:
    return Site("real", Content.read(REAL_CONTENT), real_site, real_site, "")


@pytest.fixture(params=["fixture", "real"])
def site(request: pytest.FixtureRequest) -> Site:
    name = "fixture_with_map" if request.param == "fixture" else "real"
    return cast(Site, request.getfixturevalue(name))


def test_the_fixture_has_no_map_of_its_own() -> None:
    """The copy above is what gives the fixture a map; if the fixture gains one, use it directly."""
    assert "evidence_map" not in yaml.safe_load((FIXTURE_CONTENT / "site.yml").read_text(encoding="utf-8"))


# ---- reading the table ----

def _table(page: Element) -> Element:
    return page.find("table", cls="evidence-map")


def _only(elements: list[Element], what: str) -> Element:
    assert len(elements) == 1, f"expected one {what}, found {len(elements)}"
    return elements[0]


def _cells(row: Element) -> list[Element]:
    return [child for child in row.children if isinstance(child, Element) and child.tag in ("td", "th")]


def _visible_text(element: Element) -> str:
    """Text a sighted reader sees: visually hidden spans left out."""
    parts: list[str] = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(child)
        elif "visually-hidden" not in child.classes():
            parts.append(_visible_text(child))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _map_pages(site: Site) -> Iterator[tuple[str | None, Element]]:
    for method in site.content.filters():
        path = site.out / map_path(method) / "index.html"
        assert path.is_file(), f"{site.name}: no map page at /{map_path(method)}"
        yield method, parse_file(path)


# ---- (a) the counts are the records' terms ----

def test_every_map_page_counts_exactly_the_records_terms(site: Site) -> None:
    c = site.content
    rows, columns = c.taxonomies[c.rows], c.taxonomies[c.columns]
    order = c.column_order()
    for method, page in _map_pages(site):
        where = f"{site.name} /{map_path(method)}"
        table = _table(page)
        head = _only(table.find_all("thead"), "thead")
        header_rows = head.find_all("tr")
        col_headers = header_rows[-1].find_all("th", scope="col")
        assert [h.text() for h in col_headers] == [rows.name, *(columns.terms[t] for t in order),
                                                   "All records"], where
        body_rows = _only(table.find_all("tbody"), "tbody").find_all("tr")
        assert len(body_rows) == len(rows.terms), where
        for row_id, tr in zip(rows.terms, body_rows, strict=True):
            header, *cells, total = _cells(tr)
            assert (header.tag, header.get("scope"), header.text()) == ("th", "row", rows.terms[row_id])
            assert len(cells) == len(order), where
            for column_id, td in zip(order, cells, strict=True):
                expected = len(c.cell(method, row_id, column_id))
                shown = _visible_text(td)
                if expected:
                    link = _only(td.find_all("a"), f"link in {row_id} × {column_id}")
                    assert shown == str(expected), f"{where} {row_id} × {column_id}: {shown!r} != {expected}"
                    hidden = link.find("span", cls="visually-hidden").text()
                    assert hidden == c.label(method, row_id, column_id), where
                else:
                    assert not td.find_all("a"), f"{where}: empty cell {row_id} × {column_id} links somewhere"
                    assert shown == "–", f"{where} {row_id} × {column_id}: {shown!r}"
            assert total.text() == str(len(c.carrying(method, **{c.rows: row_id}))), f"{where} total {row_id}"
        foot = _only(table.find_all("tfoot"), "tfoot").find("tr")
        label, *totals, grand = _cells(foot)
        assert (label.tag, label.get("scope"), label.text()) == ("th", "row", "All records"), where
        expected_totals = [str(len(c.carrying(method, **{c.columns: col}))) for col in order]
        assert [t.text() for t in totals] == expected_totals, where
        assert grand.text() == str(len(c.in_scope(method))), where


def test_benefit_columns_are_grouped_intrinsic_then_instrumental(site: Site) -> None:
    c = site.content
    columns = c.taxonomies[c.columns]
    assert columns.groups, f"{site.name}: the column taxonomy declares no groups"
    for method, page in _map_pages(site):
        group_row = _table(page).find("thead").find_all("tr")[0]
        headers = group_row.find_all("th")
        assert all(h.get("scope") == "colgroup" for h in headers)
        expected = [(label, str(sum(1 for g in columns.term_groups.values() if g == group)))
                    for group, label in columns.groups.items()]
        assert [(h.text(), h.get("colspan")) for h in headers] == expected, map_path(method)
        assert [h.text() for h in headers] == ["Intrinsic benefits", "Instrumental benefits"]
        # the blank corner cells above the row headers and the totals are not headers
        first, *_, last = _cells(group_row)
        assert (first.tag, first.text(), last.tag, last.text()) == ("td", "", "td", "")


def test_the_map_has_a_caption_and_scoped_headers(site: Site) -> None:
    c = site.content
    for method, page in _map_pages(site):
        table = _table(page)
        caption = _only(table.find_all("caption"), "caption").text()
        for axis in (c.rows, c.columns):
            assert c.taxonomies[axis].name.lower() in caption, caption
        if method:
            assert c.taxonomies[c.filter].terms[method] in caption, caption
        for th in table.find_all("th"):
            assert th.get("scope") in {"col", "row", "colgroup"}, f"<th> without scope: {th.text()!r}"


# ---- (b) each cell's plain link lists exactly its records ----

def _listed_records(site: Site, url: str) -> set[str]:
    """Record ids linked from the record list of the page at `url`."""
    page = parse_file(site.out / url / "index.html")
    found = set()
    for item in page.find("ol", cls="record-list").find_all("li"):
        link = item.find("h2", cls="record-title").find("a")
        target = resolve_link(site.content.base_url, url, link.get("href"))
        assert target is not None
        match = re.fullmatch(r"evidence/([a-z0-9-]+)/index\.html", target.file)
        assert match, target
        found.add(match[1])
    return found


def test_each_cell_links_to_a_plain_page_listing_exactly_its_records(site: Site) -> None:
    c = site.content
    checked = 0
    for method, page in _map_pages(site):
        for link in (a for td in _table(page).find("tbody").find_all("td") for a in td.find_all("a")):
            label = link.find("span", cls="visually-hidden").text()
            target = resolve_link(c.base_url, map_path(method), link.get("href"))
            assert target is not None and target.file.endswith("/index.html"), link.get("href")
            url = target.file.removesuffix("index.html")
            match = re.fullmatch(r"map/(?:([a-z0-9-]+)/)?([a-z0-9-]+)/([a-z0-9-]+)/", url)
            assert match and match[1] == method, f"{label}: {url}"
            expected = c.cell(method, match[2], match[3])
            assert label == c.label(method, match[2], match[3])
            assert _listed_records(site, url) == expected, f"{site.name} {label} ({method}): /{url}"
            checked += 1
    nonempty = sum(1 for m in c.filters() for r in c.taxonomies[c.rows].terms
                   for col in c.taxonomies[c.columns].terms if c.cell(m, r, col))
    assert checked == nonempty > 0


# ---- (c) and (d) in the browser: with JavaScript, the search; without, the plain page ----

@pytest.fixture
def served(site: Site) -> Iterator[tuple[Site, str]]:
    """The site served on 127.0.0.1 with the address of its root (ending in '/')."""
    with serve_directory(site.served_root) as base:
        yield site, f"{base}/{site.prefix}"


def _search_state(page: Page) -> tuple[set[tuple[str, str]], list[str]]:
    checked = page.eval_on_selector_all(
        '#search-form input[type="checkbox"]:checked', "boxes => boxes.map(b => [b.name, b.value])")
    results = page.wait_for_function(SETTLED_JS, timeout=WAIT_MS).json_value()
    return {(str(k), str(v)) for k, v in checked}, cast(list[str], results)


def _cells_to_click(c: Content) -> list[tuple[str | None, str, str]]:
    """Every non-empty cell of the whole-library map, and the first of each filtered map."""
    cells = []
    for method in c.filters():
        found = [(method, r, col) for r in c.taxonomies[c.rows].terms for col in c.column_order()
                 if c.cell(method, r, col)]
        cells += found if method is None else found[:1]
    return cells


def test_with_javascript_a_cell_opens_the_search_filtered_on_both_terms(
        served: tuple[Site, str], page: Page, console_errors: ConsoleErrors) -> None:
    site, root = served
    c = site.content
    prefix = urlsplit(root).path
    for method, row, column in _cells_to_click(c):
        page.goto(root + map_path(method))
        label = c.label(method, row, column)
        page.get_by_role("link", name=label, exact=True).click()
        page.wait_for_url(re.compile(r"/search/\?"), timeout=WAIT_MS)
        expected_filters = {(c.rows, c.taxonomies[c.rows].terms[row]),
                            (c.columns, c.taxonomies[c.columns].terms[column])}
        if method:
            expected_filters.add((c.filter, c.taxonomies[c.filter].terms[method]))
        assert set(parse_qsl(urlsplit(page.url).query)) == expected_filters, label
        checked, results = _search_state(page)
        assert checked == expected_filters, label
        assert sorted(results) == sorted(f"{prefix}evidence/{rid}/" for rid in c.cell(method, row, column)), \
            f"{label} ({method or 'all'}): {results}"
    console_errors.assert_none()


def test_without_javascript_a_cell_opens_its_plain_list(served: tuple[Site, str], browser: Browser) -> None:
    site, root = served
    c = site.content
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for method, row, column in _cells_to_click(c):
            page.goto(root + map_path(method))
            page.get_by_role("link", name=c.label(method, row, column), exact=True).click()
            page.wait_for_load_state()
            assert page.url == f"{root}{map_path(method)}{row}/{column}/"
            listed = page.eval_on_selector_all(
                "ol.record-list .record-title a", "links => links.map(a => new URL(a.href).pathname)")
            prefix = urlsplit(root).path
            assert sorted(listed) == sorted(f"{prefix}evidence/{rid}/" for rid in c.cell(method, row, column))
    finally:
        context.close()


def test_every_cell_has_a_screen_reader_name_naming_both_terms_and_the_count(
        served: tuple[Site, str], page: Page) -> None:
    site, root = served
    c = site.content
    for method in c.filters():
        page.goto(root + map_path(method))
        for row in c.taxonomies[c.rows].terms:
            for column in c.column_order():
                label = c.label(method, row, column)
                if c.cell(method, row, column):
                    assert page.get_by_role("link", name=label, exact=True).count() == 1, label
                else:
                    assert page.get_by_role("cell", name=f"{label}: no evidence yet", exact=True).count() == 1


def test_the_real_maps_equality_efficiency_cell_reads_as_the_issue_asks(
        real: Site, browser: Browser) -> None:
    """The example of issue 7, on the real content (3 records carry both today)."""
    expected = len(real.content.cell(None, "equality", "efficiency"))
    with serve_directory(real.served_root) as base:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"{base}/map/")
            name = f"Equality × Efficiency: {expected} record{'' if expected == 1 else 's'}"
            assert page.get_by_role("link", name=name, exact=True).count() == 1
        finally:
            context.close()


# ---- (e) accessibility, and the way in from the home page ----

@pytest.mark.parametrize("width", [390, 1280])
def test_the_map_passes_axe(real: Site, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    with serve_directory(real.served_root) as base:
        for method in (None, real.content.filters()[1]):
            page.goto(f"{base}/{map_path(method)}")
            violations = run_axe(page)
            assert not violations, f"/{map_path(method)} at {width}px: " + format_violations(violations)


def test_the_home_page_links_to_the_map(real: Site) -> None:
    home = parse_file(real.out / "index.html")
    targets = [resolve_link(real.content.base_url, "", a.get("href")) for a in home.find_all("a")]
    assert any(t is not None and t.file == "map/index.html" for t in targets)
