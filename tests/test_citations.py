"""The citation kit: every record's RIS, BibTeX and CSL-JSON read back by real parsers (rispy,
bibtexparser 2, the official CSL data schema), the APA and Harvard references on the record page,
Highwire `citation_*` tags and schema.org JSON-LD.

Expectations come from the content's front matter (read with `yaml.safe_load`), not from the
generator. `CASES` adds records to a copy of the fixture for the hard parts: names with
diacritics and an Irish surname, an organisation as author, no authors, no year, a published
date, a PDF address, and a title with the characters BibTeX and LaTeX treat specially.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit

import jsonschema  # type: ignore[import-untyped]
import pytest
import rispy
import yaml
from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

from conftest import BUILD_DAY, FIXTURE_CONTENT, REAL_CONTENT, TEMPLATES, build_into
from content_factory import make_content, record
from coprod_site.build import BuildOptions, build_site
from html_tools import Element, Target, parse_file, resolve_link

CSL_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "csl-data.json").read_text(encoding="utf-8"))
SYMBOLS_TITLE = "Rights & wrongs: 50% of plans_v2 {draft #3"
CASES = {
    "evidence/rights-and-wrongs.md": record(
        title=f'title: "{SYMBOLS_TITLE}"', year="year: 2021",
        url="url: https://example.org/reports/rights-and-wrongs.pdf", added="added: 2026-02-01",
        extra="authors: [Dr Zoë Ó Briain, José Álvarez-Núñez, Mary Smith]\npublished: 2021-05-04"),
    "evidence/council-report-undated.md": record(
        title="title: Council report", year="year: unknown", url="url: https://example.org/council/report",
        organisations="organisations: [sample-council]", added="added: 2026-03-05"),
}
# The references exactly as APA 7 and Harvard (Cite Them Right) set them out.
EXPECTED_REFERENCES = {
    "rights-and-wrongs": (
        "Ó Briain, Z., Álvarez-Núñez, J., & Smith, M. (2021). Rights & wrongs: 50% of plans_v2 {draft #3. "
        "Example Trust. https://example.org/reports/rights-and-wrongs.pdf",
        "Ó Briain, Z., Álvarez-Núñez, J. and Smith, M. (2021) Rights & wrongs: 50% of plans_v2 {draft #3. "
        "Example Trust. Available at: https://example.org/reports/rights-and-wrongs.pdf "
        "(Accessed: 1 February 2026).",
    ),
    "council-report-undated": (
        "Sample Borough Council. (n.d.). Council report. https://example.org/council/report",
        "Sample Borough Council (no date) Council report. Available at: https://example.org/council/report "
        "(Accessed: 5 March 2026).",
    ),
    "peer-support-evaluation": (
        "Example, A., & Sample, S. (2024). Evaluation of a peer support network. Example Trust. "
        "https://example.org/trust/peer-support-evaluation",
        "Example, A. and Sample, S. (2024) Evaluation of a peer support network. Example Trust. "
        "Available at: https://example.org/trust/peer-support-evaluation (Accessed: 30 June 2026).",
    ),
    "shared-budget-pilot": (
        "Sample Borough Council. (2023). Shared budget pilot. https://example.org/council/shared-budget-pilot",
        "Sample Borough Council (2023) Shared budget pilot. Available at: "
        "https://example.org/council/shared-budget-pilot (Accessed: 1 September 2025).",
    ),
    "youth-panel-interviews": (
        "Example, J. (n.d.). Youth panel interviews. Example Trust; Sample Borough Council. "
        "http://example.org/trust/youth-panel",
        "Example, J. (no date) Youth panel interviews. Example Trust, Sample Borough Council. "
        "Available at: http://example.org/trust/youth-panel (Accessed: 27 November 2026).",
    ),
}
HONORIFICS = {"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "mx", "sir", "dame", "rev"}
# Names the simple rule (last word is the family name) gets wrong.
NAME_EXCEPTIONS = {"Dr Zoë Ó Briain": ("Ó Briain", "Zoë")}


# ---- the oracle: records as written ----

def person(name: str) -> tuple[str, str]:
    """(family, given) of a person's name as written: honorifics dropped, the last word the family."""
    if name in NAME_EXCEPTIONS:
        return NAME_EXCEPTIONS[name]
    words = [word for word in name.split() if word.rstrip(".").lower() not in HONORIFICS]
    return words[-1], " ".join(words[:-1])


@dataclass(frozen=True)
class Author:
    family: str = ""
    given: str = ""
    literal: str = ""

    @property
    def sorted_name(self) -> str:
        """'Family, Given' for a person, the name itself for an organisation."""
        return self.literal or f"{self.family}, {self.given}"


@dataclass(frozen=True)
class Entry:
    """One evidence record as its file states it, with what a citation needs."""

    id: str
    title: str
    authors: tuple[Author, ...]
    organisations: tuple[str, ...]
    year: int | None
    published: date | None
    url: str
    accessed: date
    summary: str
    keywords: tuple[str, ...]
    terms: frozenset[tuple[str, str]]


def read_entries(content: Path, extra: dict[str, str] | None = None) -> dict[str, Entry]:
    """Every record of `content` (plus `extra` files, as make_content would add them)."""
    taxonomies = {}
    for path in (content / "taxonomies").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        names = {str(t["id"]): str(t["name"]) for t in data["terms"]}
        taxonomies[path.stem] = (int(data.get("order", 0)), names)
    texts = {f"evidence/{path.name}": path.read_text(encoding="utf-8")
             for path in (content / "evidence").glob("*.md")}
    texts |= extra or {}
    entries = {}
    for rel, text in sorted(texts.items()):
        front: dict[str, Any] = yaml.safe_load(text.split("---\n", 2)[1])
        orgs = tuple(taxonomies["organisations"][1][t] for t in front["organisations"])
        people = tuple(Author(*person(name)) for name in front.get("authors") or ())
        ordered = sorted((order, tax, names) for tax, (order, names) in taxonomies.items())
        keywords = tuple(names[t] for _, tax, names in ordered if tax != "organisations"
                         for t in front.get(tax) or ())
        year = front["year"] if isinstance(front["year"], int) else None
        entry_id = Path(rel).stem
        entries[entry_id] = Entry(
            entry_id, str(front["title"]), people or tuple(Author(literal=org) for org in orgs), orgs, year,
            front.get("published"), str(front["url"]), front.get("reviewed") or front["added"],
            str(front["summary"]), keywords,
            frozenset((tax, str(t)) for tax in taxonomies for t in front.get(tax) or ()))
    return entries


ENTRIES = {
    "fixture": read_entries(FIXTURE_CONTENT),
    "cases": read_entries(FIXTURE_CONTENT, CASES),
    "real": read_entries(REAL_CONTENT),
}
EVERY_RECORD = [(site, entry_id) for site, entries in ENTRIES.items() for entry_id in entries]


@pytest.fixture(scope="module")
def cases_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("citation-cases")
    return build_into(make_content(base, CASES), base / "site")


@pytest.fixture
def built(request: pytest.FixtureRequest) -> dict[str, Path]:
    """Lazily the built folder of each site, by name."""
    return _Sites(request)


class _Sites(dict[str, Path]):
    def __init__(self, request: pytest.FixtureRequest) -> None:
        super().__init__()
        self.request = request

    def __missing__(self, name: str) -> Path:
        fixture = {"fixture": "fixture_site", "cases": "cases_site", "real": "real_site"}[name]
        return cast(Path, self.request.getfixturevalue(fixture))


def record_file(out: Path, entry_id: str, suffix: str) -> str:
    return (out / "evidence" / entry_id / f"{entry_id}.{suffix}").read_bytes().decode("utf-8")


# ---- parsers ----

def read_ris(text: str) -> list[dict[str, Any]]:
    return cast(list[dict[str, Any]], rispy.loads(text))


def _decode_latex(text: str) -> str:
    """LaTeX text decoded by bibtexparser's own decoder (braces used for grouping removed)."""
    library = parse_string("@misc{x,\n  v = {" + text + "}\n}\n",
                                        append_middleware=[LatexDecodingMiddleware()])
    return str(library.entries[0].fields_dict["v"].value)


@dataclass(frozen=True)
class Bib:
    key: str
    kind: str
    raw: dict[str, Any]
    """field values as written (braces kept); `author` split into names"""
    text: dict[str, str]
    """field values with LaTeX decoded"""


def read_bibtex(text: str) -> list[Bib]:
    """Every entry of a BibTeX file; fails on any block bibtexparser cannot read."""
    library = parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    assert len(library.blocks) == len(library.entries), "only entries expected"
    return [Bib(e.key, e.entry_type, {f.key: f.value for f in e.fields},
                {f.key: _decode_latex(f.value) for f in e.fields if isinstance(f.value, str)})
            for e in library.entries]


def read_csl(text: str) -> list[dict[str, Any]]:
    """A CSL-JSON file, validated against the official CSL data schema."""
    items = json.loads(text)
    jsonschema.Draft7Validator(CSL_SCHEMA).validate(items)
    return cast(list[dict[str, Any]], items)


# ---- every record, every format ----

@pytest.mark.parametrize(("site", "entry_id"), EVERY_RECORD, ids=[f"{s}:{i}" for s, i in EVERY_RECORD])
def test_ris_reads_back_as_the_record(built: dict[str, Path], site: str, entry_id: str) -> None:
    entry = ENTRIES[site][entry_id]
    text = record_file(built[site], entry_id, "ris")
    (found,) = read_ris(text)
    expected: dict[str, Any] = {
        "type_of_reference": "RPRT", "title": entry.title, "authors": [a.sorted_name for a in entry.authors],
        "publisher": "; ".join(entry.organisations), "urls": [entry.url],
        "access_date": f"{entry.accessed:%Y/%m/%d}/", "abstract": entry.summary,
        "keywords": list(entry.keywords),
    }
    if entry.year is not None:
        expected["year"] = str(entry.year)
    if entry.published is not None:
        expected["date"] = f"{entry.published:%Y/%m/%d}/"
    assert found == expected
    assert text.endswith("ER  - \r\n") and "\n" not in text.replace("\r\n", "")


@pytest.mark.parametrize(("site", "entry_id"), EVERY_RECORD, ids=[f"{s}:{i}" for s, i in EVERY_RECORD])
def test_bibtex_reads_back_as_the_record(built: dict[str, Path], site: str, entry_id: str) -> None:
    entry = ENTRIES[site][entry_id]
    (found,) = read_bibtex(record_file(built[site], entry_id, "bib"))
    assert (found.key, found.kind) == (entry_id, "techreport")
    assert found.text["title"] == entry.title
    names = found.raw["author"]
    assert [_decode_latex(name) for name in names] == [a.sorted_name for a in entry.authors]
    for name, author in zip(names, entry.authors, strict=True):
        # an organisation is braced whole, so BibTeX never splits it into first and last names
        assert (name.startswith("{") and name.endswith("}")) == bool(author.literal), name
    assert found.text["institution"] == " and ".join(entry.organisations)
    assert found.raw["url"] == entry.url
    assert found.raw["urldate"] == entry.accessed.isoformat()
    assert found.text["abstract"] == entry.summary
    assert found.raw.get("year") == (str(entry.year) if entry.year is not None else None)
    if entry.published is not None:
        assert (found.raw["month"], found.raw["date"]) == (f"{entry.published:%b}".lower(),
                                                           entry.published.isoformat())
    else:
        assert "month" not in found.raw and "date" not in found.raw


@pytest.mark.parametrize(("site", "entry_id"), EVERY_RECORD, ids=[f"{s}:{i}" for s, i in EVERY_RECORD])
def test_csl_json_is_valid_and_reads_back_as_the_record(built: dict[str, Path], site: str,
                                                        entry_id: str) -> None:
    entry = ENTRIES[site][entry_id]
    (item,) = read_csl(record_file(built[site], entry_id, "csl.json"))
    assert (item["id"], item["type"], item["title"], item["URL"]) == \
        (entry_id, "report", entry.title, entry.url)
    assert item["author"] == [{"literal": a.literal} if a.literal else {"family": a.family, "given": a.given}
                              for a in entry.authors]
    if entry.published is not None:
        issued: Any = {"date-parts": [[entry.published.year, entry.published.month, entry.published.day]]}
    elif entry.year is not None:
        issued = {"date-parts": [[entry.year]]}
    else:
        issued = None
    assert item.get("issued") == issued
    assert item["publisher"] == ", ".join(entry.organisations)
    accessed = entry.accessed
    assert item["accessed"] == {"date-parts": [[accessed.year, accessed.month, accessed.day]]}
    assert item["abstract"] == entry.summary


def test_the_csl_schema_is_the_official_one_and_rejects_a_bad_item() -> None:
    assert CSL_SCHEMA["$id"] == "https://resource.citationstyles.org/schema/v1.0/input/json/csl-data.json"
    with pytest.raises(jsonschema.ValidationError):
        read_csl('[{"id": "x", "type": "report", "author": [{"name": "Not a CSL name"}]}]')


# ---- the record page: references, Highwire tags, JSON-LD ----

def record_page(out: Path, entry_id: str) -> Element:
    return parse_file(out / "evidence" / entry_id / "index.html")


@pytest.mark.parametrize("entry_id", sorted(EXPECTED_REFERENCES))
def test_apa_and_harvard_references_are_exactly_right(cases_site: Path, entry_id: str) -> None:
    page = record_page(cases_site, entry_id)
    apa, harvard = EXPECTED_REFERENCES[entry_id]
    title = ENTRIES["cases"][entry_id].title.rstrip(".")
    for element_id, expected in (("apa-text", apa), ("harvard-text", harvard)):
        reference = page.find("p", id=element_id)
        assert reference.text() == expected
        assert [i.text() for i in reference.find_all("i")] == [title], "the title alone is in italics"


def test_every_case_has_an_expected_reference() -> None:
    assert set(EXPECTED_REFERENCES) == set(ENTRIES["cases"])


@pytest.mark.parametrize(("site", "entry_id"), EVERY_RECORD, ids=[f"{s}:{i}" for s, i in EVERY_RECORD])
def test_every_record_page_cites_the_source_in_both_styles(built: dict[str, Path], site: str,
                                                         entry_id: str) -> None:
    entry = ENTRIES[site][entry_id]
    page = record_page(built[site], entry_id)
    apa, harvard = page.find("p", id="apa-text").text(), page.find("p", id="harvard-text").text()
    year = str(entry.year) if entry.year is not None else None
    assert f" ({year or 'n.d.'}). {entry.title.rstrip('.')}." in apa and apa.endswith(entry.url)
    assert f" ({year or 'no date'}) {entry.title.rstrip('.')}." in harvard
    assert harvard.endswith(f"Available at: {entry.url} (Accessed: {entry.accessed.day} "
                            f"{entry.accessed:%B %Y}).")
    here = f"evidence/{entry_id}/"
    targets = {resolve_link("https://example.org/", here, a.get("href"))
               for a in page.find("ul", cls="downloads").find_all("a")}
    assert targets == {Target(f"{here}{entry_id}.{suffix}", "") for suffix in ("ris", "bib", "csl.json")}


def _meta(page: Element, name: str) -> list[str]:
    return [m.get("content") for m in page.find_all("meta") if m.get("name") == name]


@pytest.mark.parametrize(("site", "entry_id"), EVERY_RECORD, ids=[f"{s}:{i}" for s, i in EVERY_RECORD])
def test_highwire_tags_describe_the_source(built: dict[str, Path], site: str, entry_id: str) -> None:
    entry = ENTRIES[site][entry_id]
    page = record_page(built[site], entry_id)
    assert _meta(page, "citation_title") == [entry.title]
    assert _meta(page, "citation_author") == [a.sorted_name for a in entry.authors]
    if entry.published is not None:
        assert _meta(page, "citation_publication_date") == [f"{entry.published:%Y/%m/%d}"]
    else:
        assert _meta(page, "citation_publication_date") == ([str(entry.year)] if entry.year else [])
    assert _meta(page, "citation_technical_report_institution") == list(entry.organisations)
    is_pdf = urlsplit(entry.url).path.lower().endswith(".pdf")
    assert _meta(page, "citation_pdf_url") == ([entry.url] if is_pdf else [])
    assert _meta(page, "citation_fulltext_html_url") == ([] if is_pdf else [entry.url])


def test_the_cases_include_a_pdf_and_the_symbols() -> None:
    assert any(e.url.endswith(".pdf") for e in ENTRIES["cases"].values())
    assert all(ch in SYMBOLS_TITLE for ch in "&%{_#")


@pytest.mark.parametrize(("site", "entry_id"), EVERY_RECORD, ids=[f"{s}:{i}" for s, i in EVERY_RECORD])
def test_json_ld_is_a_schema_org_report(built: dict[str, Path], site: str, entry_id: str) -> None:
    entry = ENTRIES[site][entry_id]
    page = record_page(built[site], entry_id)
    (script,) = [s for s in page.find_all("script") if s.get("type") == "application/ld+json"]
    data = json.loads(script.raw_text())
    assert (data["@context"], data["@type"], data["name"], data["url"]) == \
        ("https://schema.org", "Report", entry.title, entry.url)
    assert [a.get("familyName") or a["name"] for a in data["author"]] == \
        [a.family or a.literal for a in entry.authors]
    assert [p["name"] for p in data["publisher"]] == list(entry.organisations)
    published = entry.published.isoformat() if entry.published else (str(entry.year) if entry.year else None)
    assert data.get("datePublished") == published


# ---- whole-library and per-term files ----

def _check_collection(out: Path, prefix: str, expected: list[Entry]) -> None:
    ris = read_ris((out / f"{prefix}evidence.ris").read_text(encoding="utf-8"))
    assert sorted((e["title"], e["urls"][0]) for e in ris) == sorted((e.title, e.url) for e in expected), \
        prefix
    bib = read_bibtex((out / f"{prefix}evidence.bib").read_text(encoding="utf-8"))
    assert sorted(b.key for b in bib) == sorted(e.id for e in expected), prefix
    assert {b.key: b.text["title"] for b in bib} == {e.id: e.title for e in expected}
    csl = read_csl((out / f"{prefix}evidence.csl.json").read_text(encoding="utf-8"))
    assert sorted(item["id"] for item in csl) == sorted(e.id for e in expected), prefix


@pytest.mark.parametrize("site", sorted(ENTRIES))
def test_the_whole_library_files_hold_every_record(built: dict[str, Path], site: str) -> None:
    _check_collection(built[site], "data/", list(ENTRIES[site].values()))


@pytest.mark.parametrize("site", sorted(ENTRIES))
def test_each_terms_ris_file_holds_exactly_its_records(built: dict[str, Path], site: str) -> None:
    """A term offers its records as one RIS file (every reference manager imports RIS); BibTeX
    and CSL-JSON are offered per record and for the whole library, not again per term."""
    entries = list(ENTRIES[site].values())
    terms = {term for entry in entries for term in entry.terms}
    content = {"fixture": FIXTURE_CONTENT, "cases": FIXTURE_CONTENT, "real": REAL_CONTENT}[site]
    for path in (content / "taxonomies").glob("*.yml"):
        declared = yaml.safe_load(path.read_text(encoding="utf-8"))["terms"]
        terms |= {(path.stem, str(t["id"])) for t in declared}
    for tax, term in sorted(terms):
        folder = built[site] / tax / term
        ris = read_ris((folder / "evidence.ris").read_text(encoding="utf-8"))
        expected = [e for e in entries if (tax, term) in e.terms]
        assert sorted((e["title"], e["urls"][0]) for e in ris) == sorted((e.title, e.url) for e in expected)
        assert not (folder / "evidence.bib").exists() and not (folder / "evidence.csl.json").exists()
        links = parse_file(folder / "index.html").find("ul", cls="downloads").find_all("a")
        assert [(a.attrs["href"], a.attrs["type"]) for a in links] == \
            [(f"../../{tax}/{term}/evidence.ris", "application/x-research-info-systems")]


# ---- the publisher is the taxonomy declaring it, whatever the taxonomies' order ----

TAXONOMY_FILES = ("benefits", "methods", "organisations", "principles")
# Each taxonomy file's `order` (None: the line removed); without any, the taxonomies sort by id and
# benefits comes first, the case that used to name benefits as publishers.
ROTATIONS = [(1, 2, 3, 4)[-shift:] + (1, 2, 3, 4)[:-shift] for shift in range(4)]
SHUFFLES = {"no-order": (None, None, None, None), "organisations-unordered": (1, 2, None, 3),
            "reversed": (4, 3, 2, 1),
            **{"orders-" + "".join(map(str, orders)): orders for orders in ROTATIONS}}


def _with_orders(content: Path, orders: tuple[int | None, ...]) -> None:
    for name, order in zip(TAXONOMY_FILES, orders, strict=True):
        path = content / "taxonomies" / f"{name}.yml"
        text = re.sub(r"^order: \d+\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        path.write_text(text + (f"order: {order}\n" if order is not None else ""), encoding="utf-8")


def test_the_shuffles_put_another_taxonomy_first() -> None:
    firsts = {min((order if order is not None else 0, name)
                  for name, order in zip(TAXONOMY_FILES, orders, strict=True))[1]
              for orders in SHUFFLES.values()}
    assert firsts == {"benefits", "methods", "principles", "organisations"}, firsts


@pytest.mark.parametrize("shuffle", sorted(SHUFFLES))
def test_citations_bylines_and_tags_name_the_organisations_whatever_the_order(tmp_path: Path,
                                                                             shuffle: str) -> None:
    content = make_content(tmp_path, CASES)
    _with_orders(content, SHUFFLES[shuffle])
    out = tmp_path / "site"
    assert build_site(content, out, TEMPLATES, today=BUILD_DAY, options=BuildOptions(search=False)).ok
    entries = read_entries(content)
    assert len(entries) == len(ENTRIES["cases"])
    items = parse_file(out / "evidence" / "index.html").find("ol", cls="record-list").find_all("li")
    listed = {a.get("href").split("/")[-2]: li.find("p", cls="meta").text()
              for li in items for a in li.find_all("a")}
    for entry_id, entry in entries.items():
        organisations = list(entry.organisations)
        assert organisations
        (ris,) = read_ris(record_file(out, entry_id, "ris"))
        assert (ris["publisher"], ris["keywords"]) == ("; ".join(organisations), list(entry.keywords))
        (csl,) = read_csl(record_file(out, entry_id, "csl.json"))
        assert csl["publisher"] == ", ".join(organisations)
        (bib,) = read_bibtex(record_file(out, entry_id, "bib"))
        assert bib.text["institution"] == " and ".join(organisations)
        page = record_page(out, entry_id)
        assert _meta(page, "citation_publisher") == organisations
        (script,) = [s for s in page.find_all("script") if s.get("type") == "application/ld+json"]
        assert [p["name"] for p in json.loads(script.raw_text())["publisher"]] == organisations
        assert [a.text() for a in page.find("p", cls="byline").find_all("a")] == organisations
        assert listed[entry_id].startswith(", ".join(organisations) + " · "), listed[entry_id]
        apa = page.find(id="apa-text").text()
        assert all(name in apa for name in organisations), apa
