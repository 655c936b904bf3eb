"""Reading the library on a phone, by keyboard and on paper, in real headless Chromium.

- Focus: every element reached by Tab keeps its text at a contrast of at least 4.5:1 against the
  background it is drawn on, measured from computed colours, on each page kind of both sites.
- Home at 390 px: the first link to a record is within two screens; the term listings come after
  the recently added records and shrink to one line per term.
- The evidence map: its row headers stay in view when the table scrolls sideways, its column
  headers when it scrolls down, and at 1280 px it starts on the page grid.
- Print: a record page printed to an A4 PDF holds its citation, its source address and the
  addresses of its links, and none of the site's navigation.
- Plain words: reference-manager downloads and feeds say what they are for, intrinsic and
  instrumental are explained where they appear, and record bodies do not repeat the findings.
- The pagination (GOV.UK's pattern) and related-evidence macros, rendered with plain view objects:
  their links, and axe-core, the Nu HTML Checker and readable focus on the rendered page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from difflib import SequenceMatcher
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from playwright.sync_api import Page, ViewportSize

from browser_support import format_violations, format_vnu_errors, run_axe, run_vnu, serve_directory
from conftest import TEMPLATES
from html_tools import Element, parse, parse_file, site_pages
from test_accessibility import PAGE_TYPES, open_page

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}
MAX_TABS = 400
MIN_CONTRAST = 4.5

# The focused element and every visible element inside it that holds text: its text colour against
# the effective background (translucent layers blended, walking up to the page's white), as WCAG
# computes contrast. Elements without text of their own (inputs, checkboxes) count with their colour.
FOCUS_CONTRAST_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const rgba = value => { const parts = value.match(/[\\d.]+/g).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1]; };
  const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
  const background = node => {
    const layers = [];
    for (let n = node; n; n = n.parentElement) {
      const colour = rgba(getComputedStyle(n).backgroundColor);
      if (colour[3] > 0) { layers.push(colour); if (colour[3] >= 1) break; }
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const luminance = c => { const [r, g, b] = c.slice(0, 3).map(v => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const contrast = (a, b) => { const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05); };
  const shown = n => { const r = n.getBoundingClientRect(); return r.width > 1 && r.height > 1; };
  const ownText = n => [...n.childNodes].some(t => t.nodeType === 3 && t.textContent.trim());
  const holders = [el, ...el.querySelectorAll('*')].filter(n => shown(n) && (n === el || ownText(n)));
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "'
    + (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\\s+/g, ' ').slice(0, 50) + '"';
  const lowest = holders.map(n => { const bg = background(n);
    return [contrast(over(rgba(getComputedStyle(n).color), bg), bg), n]; }).sort((a, b) => a[0] - b[0])[0];
  return {name, ratio: lowest[0], focusVisible: el.matches(':focus-visible'),
          colour: getComputedStyle(lowest[1]).color, background: background(lowest[1]).slice(0, 3).join(',')};
}"""

CASES = [pytest.param(site, kind, id=f"{site}-{kind.replace(' ', '-')}")
         for site in ("real", "fixture") for kind, addresses in PAGE_TYPES.items() if site in addresses]


def tab_through(page: Page) -> list[dict[str, Any]]:
    """Press Tab until focus leaves the page or comes round again; the contrast at each stop."""
    stops: list[dict[str, Any]] = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUS_CONTRAST_JS)
        if stop is None or (stops and stop["name"] == stops[0]["name"]):
            return stops
        stops.append(stop)
    raise AssertionError(f"focus did not come round after {MAX_TABS} presses of Tab")


# ---- focus ----

@pytest.mark.parametrize(("site", "kind"), CASES)
def test_every_element_reached_by_tab_keeps_its_text_readable(
        request: pytest.FixtureRequest, page: Page, site: str, kind: str) -> None:
    root: str = request.getfixturevalue(f"{site}_root")
    open_page(page, root + PAGE_TYPES[kind][site], DESKTOP["width"])
    stops = tab_through(page)
    assert len(stops) >= 10, f"only {len(stops)} focus stops: {[stop['name'] for stop in stops]}"
    unreadable = [f"{stop['name']}: {stop['ratio']:.2f}:1 ({stop['colour']} on rgb({stop['background']}))"
                  for stop in stops if stop["ratio"] < MIN_CONTRAST]
    assert not unreadable, "text too faint while focused:\n" + "\n".join(unreadable)
    assert all(stop["focusVisible"] for stop in stops)


def test_a_focused_header_link_is_black_on_yellow(page: Page, real_root: str) -> None:
    """The case that failed before: the header's white links turned white on yellow (1.4:1)."""
    open_page(page, real_root, DESKTOP["width"])
    page.locator(".site-nav a").first.focus()
    page.keyboard.press("Tab")  # a keyboard move, so :focus-visible applies
    style = page.evaluate("(() => { const s = getComputedStyle(document.activeElement);"
                          " return [document.activeElement.closest('.site-nav') !== null, s.color,"
                          " s.backgroundColor, s.boxShadow]; })()")
    assert style[:3] == [True, "rgb(11, 12, 12)", "rgb(255, 221, 0)"], style
    assert "rgb(11, 12, 12) 0px 4px" in style[3], style


# ---- home on a phone ----

@pytest.mark.parametrize("site", ["real", "fixture"])
def test_home_shows_a_record_within_two_screens_at_390px(
        request: pytest.FixtureRequest, page: Page, site: str) -> None:
    root: str = request.getfixturevalue(f"{site}_root")
    page.set_viewport_size(PHONE)
    page.goto(root)
    found = page.evaluate("""() => {
      const record = [...document.querySelectorAll('a[href]')]
        .find(a => /\\/evidence\\/[a-z0-9-]+\\/$/.test(new URL(a.href).pathname));
      const firstTerm = document.querySelector('.featured .term-list a');
      return {y: record.getBoundingClientRect().top + scrollY,
              recordFirst: !firstTerm || !!(record.compareDocumentPosition(firstTerm)
                                             & Node.DOCUMENT_POSITION_FOLLOWING)};
    }""")
    assert found["y"] < 2 * PHONE["height"], found
    assert found["recordFirst"], "the term listings come before the first record"


def test_home_term_listings_are_compact_on_phones_only(page: Page, real_root: str) -> None:
    shown = """() => [...document.querySelectorAll('.featured .term-list li')].map(li =>
      [li.getBoundingClientRect().height, getComputedStyle(li.querySelector('p')).display])"""
    page.set_viewport_size(PHONE)
    page.goto(real_root)
    phone = page.evaluate(shown)
    assert phone and all(display == "none" and height < 70 for height, display in phone), phone
    page.set_viewport_size(DESKTOP)
    assert all(display != "none" for _height, display in page.evaluate(shown))


def test_home_and_the_evidence_list_name_their_orders_apart(page: Page, real_root: str) -> None:
    page.goto(real_root)
    headings = page.locator("main h2").all_text_contents()
    assert "Recently added" in headings and "Newest evidence" not in headings, headings
    assert page.get_by_role("link", name="All evidence, newest publications first").count() == 1


# ---- the evidence map ----

IN_VIEW_JS = """selector => {
  const box = document.querySelector('.map-scroll').getBoundingClientRect();
  return [...document.querySelectorAll(selector)].map(cell => {
    const r = cell.getBoundingClientRect();
    const x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    const hit = document.elementFromPoint(x, y);
    return {text: cell.textContent.trim(), inside: r.left >= box.left - 1 && r.right <= box.right + 1
            && r.top >= box.top - 1 && r.bottom <= box.bottom + 1, on_top: !!hit && cell.contains(hit)};
  });
}"""


def test_map_row_headers_stay_in_view_when_the_table_scrolls_sideways(page: Page, real_root: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(real_root + "map/")
    region = page.locator(".map-scroll")
    region.scroll_into_view_if_needed()
    scrolled = region.evaluate("box => { box.scrollLeft = box.scrollWidth; return [box.scrollLeft,"
                               " box.scrollWidth - box.clientWidth]; }")
    assert scrolled[1] > 100 and scrolled[0] == scrolled[1], f"the table should scroll sideways: {scrolled}"
    rows = page.evaluate(IN_VIEW_JS, ".evidence-map tbody th")
    assert len(rows) >= 4
    assert all(row["inside"] and row["on_top"] for row in rows), rows


def test_map_column_headers_stay_in_view_when_the_table_scrolls_down(page: Page, real_root: str) -> None:
    page.set_viewport_size({"width": PHONE["width"], "height": 360})
    page.goto(real_root + "map/")
    region = page.locator(".map-scroll")
    region.scroll_into_view_if_needed()
    scrolled = region.evaluate("box => { box.scrollTop = box.scrollHeight; return [box.scrollTop,"
                               " box.scrollHeight - box.clientHeight]; }")
    assert scrolled[1] > 50 and scrolled[0] == scrolled[1], f"the table should scroll down: {scrolled}"
    columns = page.evaluate(IN_VIEW_JS, ".evidence-map thead tr:last-child th:first-child")
    assert columns and all(column["inside"] and column["on_top"] for column in columns), columns


def test_map_starts_on_the_page_grid_at_1280px(page: Page, real_root: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(real_root + "map/")
    left = page.evaluate("""() => Object.fromEntries(
      ['.site-title', '.breadcrumbs a', 'main h1', '.map-scroll', '.evidence-map']
        .map(s => [s, Math.round(document.querySelector(s).getBoundingClientRect().left)]))""")
    assert len(set(left.values())) == 1, left
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0


# ---- print ----

def _pdf_text(pdf: Path) -> str:
    command = shutil.which("pdftotext")
    assert command, "pdftotext not found: run scripts/setup (apt-get install poppler-utils)"
    result = subprocess.run([command, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def _page_size(pdf: Path) -> str:
    command = shutil.which("pdfinfo")
    assert command, "pdfinfo not found: run scripts/setup (apt-get install poppler-utils)"
    info = subprocess.run([command, str(pdf)], capture_output=True, text=True, check=True).stdout
    return re.search(r"^Page size:\s*(.*)$", info, re.MULTILINE)[1]  # type: ignore[index]


def _squeezed(text: str) -> str:
    """Text without any whitespace: a printed line break can fall inside a long address."""
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("record", ["value-of-co-production", "nhs-england-co-production-literature-review"])
def test_a_record_prints_on_a4_as_a_clean_summary(page: Page, real_root: str, tmp_path: Path,
                                                  record: str) -> None:
    page.goto(real_root + f"evidence/{record}/")
    facts = page.evaluate("""() => ({
      citation: document.getElementById('apa-text').textContent,
      source: document.querySelector('.source-cta a').href,
      links: [...document.querySelectorAll('.prose a[href^="http"]')].map(a => a.href),
      canonical: document.querySelector('link[rel=canonical]').href,
      chrome: [...document.querySelectorAll('.skip-link, .site-header a, .site-header label,'
        + ' .site-header button, .breadcrumbs a, .site-footer a, .copy, .downloads a, .source-cta a,'
        + ' #cite-downloads')]
        .map(el => el.textContent.trim()).filter(Boolean),
    })""")
    pdf = tmp_path / f"{record}.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert "A4" in _page_size(pdf)
    text = _pdf_text(pdf)
    flat = _squeezed(text)
    assert _squeezed(facts["citation"]) in flat
    for address in (facts["source"], facts["canonical"], *facts["links"]):
        assert _squeezed(address) in flat, f"{address} is not printed"
    page.emulate_media(media="print")
    printed_main = page.evaluate("document.querySelector('main').innerText")
    chrome = {label for label in facts["chrome"] if label not in printed_main}
    assert len(chrome) >= 10, chrome
    words = " ".join(text.split())
    leaked = [label for label in chrome if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", words)]
    assert not leaked, f"navigation printed: {leaked}"


# ---- the pagination and related-evidence macros, ready for the views that will use them ----

MACRO_DOCUMENT = """{% from "_macros.html" import pagination, related_list %}<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>All evidence (page 5 of 9)</title>
<link rel="stylesheet" href="site.css"></head>
<body><main id="main"><h1>All evidence</h1>
{{ related_list(related) }}{{ pagination(pager) }}</main></body></html>"""
RELATED = [SimpleNamespace(title="Peer support evaluation", href="../peer-support/", year_label="2021",
                           shared=["Equality", "Efficiency", "Survey"]),
           SimpleNamespace(title="Youth panel interviews", href="../youth-panel/",
                           year_label="Date not stated", shared=["Reciprocity"])]


def _pager(current: int, numbers: list[int | None]) -> SimpleNamespace:
    """A view as the list pages will give it: previous/next addresses and the numbered items."""
    def href(number: int) -> str:
        return "./" if number == 1 else f"../{number}/"
    return SimpleNamespace(
        previous=href(current - 1) if current > 1 else "",
        next=href(current + 1) if current < max(n for n in numbers if n) else "",
        items=[SimpleNamespace(number=n, href=href(n) if n else "", current=n == current) for n in numbers])


def _render(pager: SimpleNamespace, related: list[SimpleNamespace] | None = None) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=True)
    return environment.from_string(MACRO_DOCUMENT).render(pager=pager, related=related or [])


def test_pagination_marks_the_current_page_and_links_its_neighbours() -> None:
    nav = parse(_render(_pager(5, [1, None, 4, 5, 6, None, 9]))).find("nav", cls="pagination")
    links = [(a.text(), a.get("href"), a.get("rel"), a.get("aria-current")) for a in nav.find_all("a")]
    assert links == [("Previous page", "../4/", "prev", ""), ("1", "./", "", ""), ("4", "../4/", "", ""),
                     ("5", "../5/", "", "page"), ("6", "../6/", "", ""), ("9", "../9/", "", ""),
                     ("Next page", "../6/", "next", "")]
    assert [li.text() for li in nav.find_all("li", cls="ellipsis")] == ["…", "…"]
    assert nav.get("aria-label") == "Pagination"


def test_pagination_leaves_out_what_does_not_exist() -> None:
    first = parse(_render(_pager(1, [1, 2, 3]))).find("nav", cls="pagination")
    assert [a.text() for a in first.find_all("a")] == ["1", "2", "3", "Next page"]
    last = parse(_render(_pager(3, [1, 2, 3]))).find("nav", cls="pagination")
    assert [a.text() for a in last.find_all("a")] == ["Previous page", "1", "2", "3"]
    assert not parse(_render(_pager(1, [1]))).find_all("nav")


def test_related_evidence_says_why_each_record_is_related() -> None:
    section = parse(_render(_pager(1, [1]), RELATED)).find("section", cls="related")
    assert section.find("h2").text() == "Related evidence"
    items = [(li.find_all("a")[0].text(), li.find_all("a")[0].get("href"), li.find("p", cls="why").text())
             for li in section.find_all("li")]
    assert items == [
        ("Peer support evaluation", "../peer-support/", "Also about Equality, Efficiency and Survey"),
        ("Youth panel interviews", "../youth-panel/", "Also about Reciprocity")]
    assert not parse(_render(_pager(1, [1]))).find_all("section")


def test_the_macros_pass_axe_the_nu_checker_and_keep_focus_readable(page: Page, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(_render(_pager(5, [1, None, 4, 5, 6, None, 9]), RELATED),
                                         encoding="utf-8")
    shutil.copy(TEMPLATES / "assets" / "site.css", tmp_path / "site.css")
    errors = run_vnu([tmp_path / "index.html"])
    assert errors == [], format_vnu_errors(errors)
    with serve_directory(tmp_path) as url:
        for viewport in (PHONE, DESKTOP):
            page.set_viewport_size(viewport)
            page.goto(url + "/")
            violations = run_axe(page)
            assert not violations, format_violations(violations)
            stops = tab_through(page)
            assert len(stops) == 9 and all(stop["ratio"] >= MIN_CONTRAST for stop in stops), stops
            current = page.locator("[aria-current=page]").evaluate(
                "a => [getComputedStyle(a).color, getComputedStyle(a).backgroundColor]")
            assert current == ["rgb(255, 255, 255)", "rgb(7, 72, 63)"], current


# ---- plain words ----

def _sentences(element: Element) -> list[str]:
    """The element's list items and sentences, whitespace collapsed."""
    items = [li.text() for li in element.find_all("li")]
    paragraphs = [p.text() for p in element.find_all("p")]
    return items + [s for text in paragraphs for s in re.split(r"(?<=[.!?])\s+", text) if s]


def test_record_bodies_do_not_repeat_the_key_findings(real_site: Path) -> None:
    repeated = []
    for page_file in sorted((real_site / "evidence").glob("*/index.html")):
        main = parse_file(page_file).find("main")
        findings = [li.text() for li in main.find("ul", cls="findings").find_all("li")]
        body = main.find("div", cls="prose")
        assert "What it found" not in [h.text() for h in body.find_all("h2")], page_file
        for sentence in _sentences(body):
            for finding in findings:
                ratio = SequenceMatcher(None, sentence.lower(), finding.lower()).ratio()
                if ratio > 0.6:
                    repeated.append(f"{page_file.parent.name}: {sentence!r} repeats {finding!r} "
                                    f"({ratio:.2f})")
    assert not repeated, "\n".join(repeated)


@pytest.mark.parametrize("path", ["evidence/value-of-co-production/", "benefits/efficiency/", "data/"])
def test_reference_manager_downloads_say_what_they_are_for(real_site: Path, path: str) -> None:
    """The line names every format offered; beside a term's one RIS file it says where the others are."""
    main = parse_file(real_site / path / "index.html").find("main")
    for downloads in main.find_all("ul", cls="downloads"):
        if any("download" in a.attrs and "RIS" in a.text() for a in downloads.find_all("a")):
            hint = _just_before(main, downloads)
            assert hint.tag == "p" and "hint" in hint.classes(), hint
            assert "reference manager" in hint.text() and "CSL-JSON" in hint.text(), hint.text()
            if not any("CSL-JSON" in a.text() for a in downloads.find_all("a")):
                (data_link,) = hint.find_all("a")
                assert data_link.text() == "open data page" and data_link.attrs["href"] == "../../data/"
            return
    raise AssertionError(f"/{path}: no reference-manager downloads")


def test_term_feeds_say_what_a_feed_is(real_site: Path) -> None:
    for page_file in sorted(real_site.glob("*/*/index.html")):
        main = parse_file(page_file).find("main")
        feed_links = [a for a in main.find_all("a") if a.get("type") == "application/atom+xml"]
        if not feed_links:
            continue
        hints = [p.text() for p in main.find_all("p", cls="hint")]
        assert any("Atom feed" in hint and "feed reader" in hint for hint in hints), page_file


def test_intrinsic_and_instrumental_are_explained_where_they_appear(real_site: Path) -> None:
    """On the real content: wherever a page shows the words, it also says what they mean, in SCIE's terms."""
    meaning = {"intrinsic": "valuable in itself|valuable in themselves",
               "instrumental": "help(s)? services work better"}
    unexplained = []
    checked = 0
    for page in site_pages(real_site):
        page_file = page.path
        text = parse_file(page_file).find("main").text()
        for word, explanation in meaning.items():
            if re.search(rf"\b{word}\b", text, re.IGNORECASE):
                checked += 1
                if not re.search(explanation, text):
                    unexplained.append(f"{page_file.relative_to(real_site)}: {word}")
    assert checked >= 10
    assert not unexplained, "\n".join(unexplained)


def _just_before(parent: Element, child: Element) -> Element:
    """The element sibling just before `child`, searching `parent`'s tree."""
    for element in [parent, *parent.find_all()]:
        siblings = [c for c in element.children if isinstance(c, Element)]
        index = next((i for i, sibling in enumerate(siblings) if sibling is child), None)
        if index is not None:
            assert index > 0, "nothing before the downloads"
            return siblings[index - 1]
    raise AssertionError("the downloads are not inside the page")
