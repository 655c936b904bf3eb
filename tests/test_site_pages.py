"""The built site: every page exists, says what it should, and every internal link resolves.

Each check runs on the small fixture (where the expected text is written out here in full) and
on the real content (where the expected values come from the loaded model). Pages are parsed
with `html.parser` (see `html_tools`), never matched as raw strings.
"""

from __future__ import annotations

import calendar
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from conftest import BUILD_DAY, FIXTURE_CONTENT, REAL_CONTENT
from coprod_site.load import load_site
from coprod_site.model import Record, Site, Taxonomy
from coprod_site.model import long_date as site_long_date
from html_tools import Element, SitePage, is_external, parse_file, resolve_link, site_pages

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
PROSE_PAGES = ("about", "contribute", "accessibility")
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "form": "action",
                   "iframe": "src", "source": "src"}
EXTERNAL_SCHEMES = {"http", "https", "mailto"}


@dataclass
class Built:
    """A built site, the model it was built from, and its pages parsed on demand."""

    name: str
    out: Path
    site: Site
    _parsed: dict[str, Element] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        return self.site.config.base_url

    def doc(self, url: str) -> Element:
        """The parsed page served at `url` (relative to the root: '', 'evidence/x/', '404.html')."""
        if url not in self._parsed:
            path = self.out / (url + "index.html" if url == "" or url.endswith("/") else url)
            assert path.is_file(), f"{self.name}: no page at /{url} ({path})"
            self._parsed[url] = parse_file(path)
        return self._parsed[url]

    def pages(self) -> list[SitePage]:
        return site_pages(self.out)


_BUILT: dict[str, Built] = {}


def _load_model(content: Path) -> Site:
    loaded = load_site(content, today=BUILD_DAY, display_root=content.parent)
    assert loaded.site is not None
    return loaded.site


@pytest.fixture(params=["fixture", "real"])
def built(request: pytest.FixtureRequest) -> Built:
    """Each site in turn (built once per session, parsed once per module)."""
    name: str = request.param
    if name not in _BUILT:
        out: Path = request.getfixturevalue(f"{name}_site")
        content = FIXTURE_CONTENT if name == "fixture" else REAL_CONTENT
        _BUILT[name] = Built(name, out, _load_model(content))
    return _BUILT[name]


@pytest.fixture
def fixture(fixture_site: Path) -> Built:
    """The fixture site only, for checks with the expected text written out."""
    if "fixture" not in _BUILT:
        _BUILT["fixture"] = Built("fixture", fixture_site, _load_model(FIXTURE_CONTENT))
    return _BUILT["fixture"]


# ---- helpers: expected values computed here, independently of the renderer ----

def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def months_later(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    return date(year, month + 1, min(start.day, calendar.monthrange(year, month + 1)[1]))


def plain(markdown: str) -> str:
    """Inline Markdown as its text: links become their label; emphasis and code marks go."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"\s+", " ", re.sub(r"[*_`]", "", text)).strip()


def record_url(record_id: str) -> str:
    return f"evidence/{record_id}/"


def carrying(site: Site, taxonomy: Taxonomy, term_id: str) -> list[Record]:
    return [record for record in site.records if term_id in record.terms.get(taxonomy.id, ())]


def main_of(doc: Element) -> Element:
    return doc.find("main")


def links_in(built: Built, url: str, scope: Element) -> list[tuple[str, str]]:
    """(label, target file) of every internal link inside `scope` on the page at `url`."""
    found = []
    for anchor in scope.find_all("a"):
        target = resolve_link(built.base_url, url, anchor.get("href"))
        if target is not None:
            found.append((anchor.text(), target.file))
    return found


def record_list(built: Built, url: str) -> list[str]:
    """Record ids in the page's record list(s), in order."""
    ids = []
    for listing in main_of(built.doc(url)).find_all("ol", cls="record-list"):
        for item in listing.find_all("li"):
            anchor = item.find_all("a")[0]
            target = resolve_link(built.base_url, url, anchor.get("href"))
            assert target is not None
            match = re.fullmatch(r"evidence/([a-z0-9-]+)/index\.html", target.file)
            assert match, f"/{url}: record link {anchor.get('href')} leads to {target.file}"
            ids.append(match[1])
    return ids


def definition(doc: Element, term: str) -> Element:
    """The <dd> that follows the <dt> with text `term` in the record's details list."""
    items = [child for child in doc.find("dl", cls="details").children if isinstance(child, Element)]
    for index, item in enumerate(items):
        if item.tag == "dt" and item.text() == term:
            return items[index + 1]
    raise AssertionError(f"no <dt>{term}</dt> in the details")


def meta_content(doc: Element, **attrs: str) -> str:
    return doc.find("meta", **attrs).get("content")


# ---- every page ----

def test_every_page_has_one_h1_a_title_and_landmarks(built: Built) -> None:
    pages = built.pages()
    assert len(pages) >= 20
    for page in pages:
        doc = built.doc(page.url)
        assert len(doc.find_all("h1")) == 1, f"/{page.url}: {len(doc.find_all('h1'))} h1 elements"
        assert doc.find("h1").text(), f"/{page.url}: empty h1"
        assert doc.find("title").text(), f"/{page.url}: empty title"
        assert doc.find("html").get("lang") == built.site.config.language
        assert len(doc.find_all("main")) == 1
        assert doc.find("main").get("id") == "main"
        skip = doc.find_all("a")[0]
        assert (skip.get("href"), skip.text()) == ("#main", "Skip to main content")
        assert len(doc.find_all("header")) == len(doc.find_all("footer")) == 1
        assert doc.find_all("nav", aria_label="Main"), f"/{page.url}: no main navigation"


def test_every_page_has_canonical_description_and_open_graph(built: Built) -> None:
    for page in built.pages():
        doc = built.doc(page.url)
        canonical = built.base_url + page.url
        assert doc.find("link", rel="canonical").get("href") == canonical
        assert meta_content(doc, property="og:url") == canonical
        description = meta_content(doc, name="description")
        assert description, f"/{page.url}: empty meta description"
        assert meta_content(doc, property="og:description") == description
        assert meta_content(doc, property="og:title") == doc.find("title").text()
        assert meta_content(doc, property="og:site_name") == built.site.config.title
        assert meta_content(doc, property="og:type") in {"website", "article"}


def test_every_internal_link_resolves(built: Built) -> None:
    broken = []
    ids: dict[str, set[str]] = {}
    for page in built.pages():
        for element in built.doc(page.url).iter():
            attribute = LINK_ATTRIBUTES.get(element.tag)
            if attribute is None or attribute not in element.attrs:
                continue
            href = element.get(attribute)
            if is_external(href):
                if href.split(":", 1)[0] not in EXTERNAL_SCHEMES:
                    broken.append(f"/{page.url}: <{element.tag} {attribute}={href!r}> has a bad scheme")
                continue
            target = resolve_link(built.base_url, page.url, href)
            if target is None or not (built.out / target.file).is_file():
                broken.append(f"/{page.url}: <{element.tag} {attribute}={href!r}> leads nowhere")
                continue
            if target.fragment:
                if target.file not in ids:
                    ids[target.file] = {el.get("id") for el in parse_file(built.out / target.file).iter()}
                if target.fragment not in ids[target.file]:
                    broken.append(f"/{page.url}: {href!r}: no id {target.fragment!r} in {target.file}")
    assert not broken, "\n".join(broken)


def test_link_checker_notices_a_broken_link(built: Built) -> None:
    """The resolver behind the link test is not vacuous: wrong targets are reported missing."""
    base = built.base_url
    for page, href in (("evidence/", "../nowhere/"), ("", "evidence/no-such-record/")):
        target = resolve_link(base, page, href)
        assert target is not None and not (built.out / target.file).exists()
    if built.name == "fixture":  # published under /library/: a link above it leaves the site
        assert resolve_link(base, "evidence/", "../../outside/") is None
    good = resolve_link(base, "evidence/", "../about/#main")
    assert good is not None and (good.file, good.fragment) == ("about/index.html", "main")


def test_no_ids_repeat_on_a_page(built: Built) -> None:
    for page in built.pages():
        ids = [el.get("id") for el in built.doc(page.url).iter() if "id" in el.attrs]
        assert len(ids) == len(set(ids)), f"/{page.url}: repeated ids {sorted(ids)}"


# ---- record pages ----

def test_every_record_has_a_page_with_its_facts(built: Built) -> None:
    config = built.site.config
    for record in built.site.records:
        url = record_url(record.id)
        doc = built.doc(url)
        main = main_of(doc)
        assert doc.find("h1").text() == record.title
        assert doc.find("title").text() == f"{record.title} | {config.title}"
        assert main.find("p", id="summary").text() == record.summary
        findings = [item.text() for item in main.find("ul", cls="findings").find_all("li")]
        assert findings == [plain(finding) for finding in record.findings]
        sources = [a for a in main.find_all("a") if a.get("href") == record.url]
        assert any("Read the original source" in a.text() for a in sources), url
        last = record.reviewed or record.added
        due = months_later(last, config.review_months)
        review = main.find("section", cls="review").text()
        assert f"Page last reviewed: {long_date(last)}" in review
        assert f"Next review due: {long_date(due)}" in review
        times = [el.get("datetime") for el in main.find("section", cls="review").find_all("time")]
        assert times == [last.isoformat(), due.isoformat()]
        citations = [p.text() for p in main.find("section", cls="cite").find_all("p", cls="citation")]
        assert len(citations) >= 2
        years = [f"({record.year})"] if record.year is not None else ["(n.d.)", "(no date)"]
        for citation in citations:
            assert record.title in citation and record.url in citation, citation
            assert any(year in citation for year in years), citation


def test_every_record_links_every_one_of_its_terms(built: Built) -> None:
    for record in built.site.records:
        url = record_url(record.id)
        linked = set(links_in(built, url, main_of(built.doc(url))))
        for taxonomy in built.site.taxonomies:
            term_ids = record.terms.get(taxonomy.id, ())
            for term_id in term_ids:
                expected = (taxonomy.term(term_id).name, f"{taxonomy.id}/{term_id}/index.html")
                assert expected in linked, f"/{url}: no link {expected}"
            if term_ids:
                assert (taxonomy.name, f"{taxonomy.id}/index.html") in linked
            tags = definition(built.doc(url), taxonomy.name) if term_ids else None
            if tags is not None:
                assert [a.text() for a in tags.find_all("a")] == [taxonomy.term(t).name for t in term_ids]


def test_record_pages_carry_json_ld(built: Built) -> None:
    for record in built.site.records:
        url = record_url(record.id)
        scripts = built.doc(url).find_all("script", type="application/ld+json")
        assert len(scripts) == 1
        data = json.loads(scripts[0].raw_text())
        assert data["@context"] == "https://schema.org"
        assert (data["name"], data["description"], data["url"]) == (record.title, record.summary, record.url)
        assert data["mainEntityOfPage"] == built.base_url + url
        if record.year is None and record.published is None:
            assert "datePublished" not in data
        else:
            assert str(data["datePublished"]).startswith(str(record.year))


def test_fixture_record_page_in_full(fixture: Built) -> None:
    doc = fixture.doc("evidence/peer-support-evaluation/")
    main = main_of(doc)
    assert doc.find("h1").text() == "Evaluation of a peer support network"
    assert [li.text() for li in main.find("ul", cls="findings").find_all("li")] == [
        "Most members said they felt more confident after a year in the network.",
        "Members valued meeting people with similar experiences.",
    ]
    assert main.find("ul", cls="findings").find_all("em")[0].text() == "more confident"
    assert definition(doc, "Year").text() == "2024 (published 15 March 2024)"
    assert definition(doc, "Authors").text() == "Dr Alex Example, Sam Sample"
    assert definition(doc, "Co-produced").text() == "Yes, the evidence was itself co-produced"
    assert [a.text() for a in definition(doc, "Benefits").find_all("a")] == ["Empowerment", "Connection"]
    assert main.find("h2", id="what-the-source-looked-at").text() == "What the source looked at"
    assert "The network's members and staff designed the survey together." in main.text()
    assert main.find("section", cls="review").text() == (
        "Review dates Page last reviewed: 30 June 2026 Next review due: 30 June 2028")
    cite = main.find("section", cls="cite")
    assert [h3.text() for h3 in cite.find_all("h3")][:2] == ["APA (7th edition)", "Harvard"]
    assert [p.text() for p in cite.find_all("p", cls="citation")] == [
        "Example, A., & Sample, S. (2024). Evaluation of a peer support network. Example Trust. "
        "https://example.org/trust/peer-support-evaluation",
        "Example, A. and Sample, S. (2024) Evaluation of a peer support network. Example Trust. "
        "Available at: https://example.org/trust/peer-support-evaluation (Accessed: 30 June 2026).",
    ]
    crumbs = [a.text() for a in doc.find("nav", aria_label="Breadcrumb").find_all("a")]
    assert crumbs == ["Home", "Evidence", "Evaluation of a peer support network"]


@pytest.mark.parametrize(("record_id", "reviewed", "due", "coproduced", "harvard"), [
    ("shared-budget-pilot", "1 September 2025", "1 September 2027", "No",
     "Sample Borough Council (2023) Shared budget pilot. "
     "Available at: https://example.org/council/shared-budget-pilot (Accessed: 1 September 2025)."),
    ("youth-panel-interviews", "27 November 2026", "27 November 2028", "Not stated",
     "Example, J. (no date) Youth panel interviews. Example Trust, Sample Borough Council. "
     "Available at: http://example.org/trust/youth-panel (Accessed: 27 November 2026)."),
])
def test_fixture_records_without_review_date(fixture: Built, record_id: str, reviewed: str, due: str,
                                             coproduced: str, harvard: str) -> None:
    doc = fixture.doc(record_url(record_id))
    review = main_of(doc).find("section", cls="review").text()
    assert f"Page last reviewed: {reviewed} Next review due: {due}" in review
    assert definition(doc, "Co-produced").text() == coproduced
    assert main_of(doc).find("p", id="harvard-text").text() == harvard


def test_undated_record_says_so(fixture: Built) -> None:
    doc = fixture.doc("evidence/youth-panel-interviews/")
    assert definition(doc, "Year").text() == "Date not stated"
    assert "datePublished" not in json.loads(doc.find("script", type="application/ld+json").raw_text())


def test_dates_name_their_month_in_english() -> None:
    """Every month by its English name, written out here rather than taken from `strftime`, whose
    names follow the machine's locale."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December"]
    assert [site_long_date(date(2024, number, 1)) for number in range(1, 13)] == [
        f"1 {month} 2024" for month in months]
    assert site_long_date(date(2022, 10, 27)) == "27 October 2022"


# ---- lists ----

def test_evidence_list_has_every_record_newest_year_first(built: Built) -> None:
    ids = record_list(built, "evidence/")
    assert sorted(ids) == sorted(record.id for record in built.site.records)
    years = {record.id: record.year for record in built.site.records}
    keys = [(years[i] is None, -(years[i] or 0)) for i in ids]
    assert keys == sorted(keys), f"not newest year first: {[(i, years[i]) for i in ids]}"


def test_fixture_evidence_list_order(fixture: Built) -> None:
    assert record_list(fixture, "evidence/") == [
        "peer-support-evaluation", "shared-budget-pilot", "youth-panel-interviews"]
    items = main_of(fixture.doc("evidence/")).find("ol", cls="record-list").find_all("li")
    assert [item.find("p", cls="meta").text() for item in items] == [
        "Example Trust · 2024", "Sample Borough Council · 2023",
        "Example Trust, Sample Borough Council · Date not stated"]


def test_taxonomy_index_lists_terms_with_counts(built: Built) -> None:
    for taxonomy in built.site.taxonomies:
        url = f"{taxonomy.id}/"
        main = main_of(built.doc(url))
        assert built.doc(url).find("h1").text() == taxonomy.name
        shown = []
        for item in main.find_all("ul", cls="term-list"):
            for entry in item.find_all("li"):
                anchor = entry.find_all("a")[0]
                target = resolve_link(built.base_url, url, anchor.get("href"))
                assert target is not None
                shown.append((anchor.text(), target.file, entry.find("span", cls="count").text()))
        expected = []
        for term in taxonomy.terms:
            count = len(carrying(built.site, taxonomy, term.id))
            expected.append((term.name, f"{taxonomy.id}/{term.id}/index.html",
                             f"{count} record" if count == 1 else f"{count} records"))
        assert sorted(shown) == sorted(expected)


def test_grouped_taxonomy_shows_its_groups(built: Built) -> None:
    grouped = [taxonomy for taxonomy in built.site.taxonomies if taxonomy.groups]
    assert [taxonomy.id for taxonomy in grouped] == ["benefits"]
    for taxonomy in grouped:
        main = main_of(built.doc(f"{taxonomy.id}/"))
        sections = main.find_all("section")
        assert [section.find("h2").text() for section in sections] == [
            "Intrinsic benefits", "Instrumental benefits"]
        for (group, _label), section in zip(taxonomy.groups, sections, strict=True):
            names = [entry.find_all("a")[0].text() for entry in section.find_all("li")]
            assert names == [term.name for term in taxonomy.terms if term.group == group]


def test_fixture_benefits_index_in_full(fixture: Built) -> None:
    sections = main_of(fixture.doc("benefits/")).find_all("section")
    shown = [[(li.find_all("a")[0].text(), li.find("span", cls="count").text()) for li in s.find_all("li")]
             for s in sections]
    assert shown == [[("Empowerment", "2 records"), ("Connection", "1 record")],
                     [("Efficiency", "1 record")]]
    assert not main_of(fixture.doc("methods/")).find_all("section")


def test_every_term_page_lists_exactly_its_records(built: Built) -> None:
    for taxonomy in built.site.taxonomies:
        for term in taxonomy.terms:
            url = f"{taxonomy.id}/{term.id}/"
            doc = built.doc(url)
            assert doc.find("h1").text() == term.name
            assert term.description in main_of(doc).text()
            expected = carrying(built.site, taxonomy, term.id)
            assert sorted(record_list(built, url)) == sorted(record.id for record in expected)
            count = len(expected)
            headings = [h2.text() for h2 in main_of(doc).find_all("h2")]
            assert f"{count} {'record' if count == 1 else 'records'}" in headings


def test_fixture_term_page_in_full(fixture: Built) -> None:
    url = "organisations/example-trust/"
    doc = fixture.doc(url)
    main = main_of(doc)
    assert record_list(fixture, url) == ["peer-support-evaluation", "youth-panel-interviews"]
    assert main.find("p", cls="lead").text() == "A fictional health and care charity used in tests."
    assert "https://example.org/trust/" in [a.get("href") for a in main.find_all("a")]
    crumbs = links_in(fixture, url, doc.find("nav", aria_label="Breadcrumb"))
    assert crumbs == [("Home", "index.html"), ("Organisations", "organisations/index.html"),
                      ("Example Trust", "organisations/example-trust/index.html")]
    group = main_of(fixture.doc("benefits/efficiency/")).find("p", cls="kicker").text()
    assert group == "Benefits · Instrumental benefits"


# ---- home, prose pages, 404 ----

def test_home_page(built: Built) -> None:
    doc = built.doc("")
    main = main_of(doc)
    config = built.site.config
    assert doc.find("h1").text() == config.title
    assert doc.find("title").text() == config.title
    first_words = " ".join(config.intro.split()[:8])
    assert first_words in main.find("div", cls="intro").text()
    targets = {file for _label, file in links_in(built, "", main)}
    assert {f"{taxonomy.id}/index.html" for taxonomy in built.site.taxonomies} <= targets
    assert {"evidence/index.html", "search/index.html"} <= targets
    newest = sorted(built.site.records, key=lambda record: (-record.added.toordinal(), record.id))[:5]
    assert record_list(built, "") == [record.id for record in newest]
    for taxonomy in built.site.taxonomies:
        if taxonomy.featured:
            section = next(s for s in main.find_all("section") if s.find("h2").text() == taxonomy.name)
            counts = [li.find("span", cls="count").text() for li in section.find_all("li")]
            assert len(counts) == len(taxonomy.terms)


def test_real_home_features_benefits_with_counts(real_site: Path) -> None:
    main = main_of(parse_file(real_site / "index.html"))
    section = next(s for s in main.find_all("section") if s.find("h2").text() == "Benefits")
    shown = {li.find_all("a")[0].text(): li.find("span", cls="count").text() for li in section.find_all("li")}
    assert shown["Efficiency"] == "3 records"
    assert shown["Improved clinical outcomes"] == "1 record"


@pytest.mark.parametrize("page_id", PROSE_PAGES)
def test_prose_pages(built: Built, page_id: str) -> None:
    page = next(page for page in built.site.pages if page.id == page_id)
    doc = built.doc(f"{page_id}/")
    assert doc.find("h1").text() == page.title
    assert main_of(doc).find("p", cls="lead").text() == page.summary
    first_heading = next(line for line in page.body.splitlines() if line.startswith("## "))
    assert first_heading[3:].strip() in [h2.text() for h2 in main_of(doc).find_all("h2")]
    footer = {file for _label, file in links_in(built, f"{page_id}/", doc.find("footer"))}
    assert f"{page_id}/index.html" in footer


def test_not_found_page(built: Built) -> None:
    doc = built.doc("404.html")
    assert doc.find("h1").text() == "Page not found"
    root = "/" + built.base_url.split("/", 3)[3]
    hrefs = {a.get("href") for a in main_of(doc).find_all("a")}
    assert hrefs == {root + "evidence/", root + "search/"}
    assert doc.find("link", rel="stylesheet").get("href") == root + "assets/site.css"
    # Served at any address (/evidence/nope/ too): every link of the page, breadcrumbs, navigation
    # and footer included, is an absolute path.
    everywhere = [element.get("href") for element in [*doc.find_all("a"), *doc.find_all("link")]]
    assert everywhere and [href for href in everywhere if not href.startswith((root, "https://", "#"))] == []
    assert doc.find("nav", cls="breadcrumbs").find("a").get("href") == root


# ---- machine-readable files ----

def test_sitemap_lists_every_page_but_404(built: Built) -> None:
    tree = ET.parse(built.out / "sitemap.xml").getroot()
    assert tree.tag == f"{SITEMAP}urlset"
    locs = [loc.text or "" for loc in tree.iter(f"{SITEMAP}loc")]
    expected = {built.base_url + page.url for page in built.pages() if page.url != "404.html"}
    assert len(locs) == len(set(locs))
    extra, missing = sorted(set(locs) - expected), sorted(expected - set(locs))
    assert not extra and not missing, f"not HTML pages: {extra[:8]}...; pages missing: {missing[:8]}"
    assert all(loc.startswith("https://") for loc in locs)


def test_feed_has_one_entry_per_record_with_stable_ids(built: Built) -> None:
    feed = ET.parse(built.out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == built.base_url + "feed.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(built.site.records)
    by_id = {entry.findtext(f"{ATOM}id"): entry for entry in entries}
    for record in built.site.records:
        address = built.base_url + record_url(record.id)
        entry = by_id[address]
        assert entry.findtext(f"{ATOM}title") == record.title
        assert entry.findtext(f"{ATOM}summary") == record.summary
        link = entry.find(f"{ATOM}link")
        assert link is not None and link.get("href") == address
        changed = max(record.added, record.reviewed or record.added)
        assert entry.findtext(f"{ATOM}updated") == f"{changed.isoformat()}T00:00:00Z"


def test_robots_points_to_the_sitemap(built: Built) -> None:
    lines = (built.out / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {built.base_url}sitemap.xml" in lines
