"""Atom feeds (site-wide and one per term) and the open data (/data/: JSON, CSV, JSON Schema).

Feeds are read with feedparser, the JSON is validated with jsonschema against the schema the
site publishes, the CSV is read with the `csv` module. Expectations come from the content's
front matter (`yaml.safe_load`). `TRICKY` adds a record to a copy of the fixture whose title,
summary and findings start with characters a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, cast

import feedparser
import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from conftest import BUILD_DAY, FIXTURE_CONTENT, REAL_CONTENT, TEMPLATES, build_into
from content_factory import make_content, record
from coprod_site.build import BuildOptions, build_site
from coprod_site.views.feeds import FEED_ENTRIES
from html_tools import Element, parse_file, resolve_link

TRICKY = {
    "evidence/formula-cells.md": record(
        title='title: "=1+1 & <more>"',
        summary='summary: "@everyone: -5% & rising"',
        findings='findings:\n  - "=HYPERLINK(\\"https://evil.example/\\", \\"click\\")"\n'
                 '  - "+44 20 7946 0000 is a phone number"',
        extra="authors: [-Anon]",
    ),
}
FORMULA_STARTS = ("=", "+", "-", "@")
ATOM = "application/atom+xml"


# ---- the oracle ----

@dataclass(frozen=True)
class Library:
    """A content folder read directly."""

    base_url: str
    taxonomies: dict[str, dict[str, str]]
    """taxonomy id -> term id -> name"""
    records: dict[str, dict[str, Any]]
    """record id -> front matter"""

    @classmethod
    def read(cls, content: Path, extra: dict[str, str] | None = None) -> Library:
        site = yaml.safe_load((content / "site.yml").read_text(encoding="utf-8"))
        taxonomies = {}
        for path in sorted((content / "taxonomies").glob("*.yml"), key=lambda p: p.stem):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            taxonomies[path.stem] = {str(t["id"]): str(t["name"]) for t in data["terms"]}
        texts = {f"evidence/{p.name}": p.read_text(encoding="utf-8")
                 for p in (content / "evidence").glob("*.md")}
        texts |= extra or {}
        records = {Path(rel).stem: cast(dict[str, Any], yaml.safe_load(text.split("---\n", 2)[1]))
                   for rel, text in sorted(texts.items())}
        return cls(str(site["base_url"]), taxonomies, records)

    def page(self, record_id: str) -> str:
        return f"{self.base_url}evidence/{record_id}/"

    def with_term(self, tax: str, term: str) -> set[str]:
        return {rid for rid, front in self.records.items() if term in (front.get(tax) or ())}

    def terms(self) -> list[tuple[str, str]]:
        return [(tax, term) for tax, terms in self.taxonomies.items() for term in terms]


LIBRARIES = {
    "fixture": Library.read(FIXTURE_CONTENT),
    "tricky": Library.read(FIXTURE_CONTENT, TRICKY),
    "real": Library.read(REAL_CONTENT),
}


@pytest.fixture(scope="module")
def tricky_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("tricky")
    return build_into(make_content(base, TRICKY), base / "site")


@pytest.fixture(params=sorted(LIBRARIES))
def site(request: pytest.FixtureRequest) -> tuple[Library, Path]:
    fixture = {"fixture": "fixture_site", "tricky": "tricky_site", "real": "real_site"}[request.param]
    return LIBRARIES[request.param], cast(Path, request.getfixturevalue(fixture))


def read_feed(path: Path) -> Any:
    """A feed as feedparser reads it; fails if feedparser had to guess (its bozo flag)."""
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')}"
    assert parsed.version == "atom10", path
    return parsed


def feed_ids(path: Path) -> list[str]:
    parsed = read_feed(path)
    return [str(parsed.feed.id), *(str(entry.id) for entry in parsed.entries)]


# ---- feeds ----

def test_the_site_feed_is_valid_atom_with_every_record(site: tuple[Library, Path]) -> None:
    library, out = site
    parsed = read_feed(out / "feed.xml")
    assert parsed.feed.id == f"{library.base_url}feed.xml"
    assert {link.rel: link.href for link in parsed.feed.links}["self"] == f"{library.base_url}feed.xml"
    expected = {library.page(rid): str(front["title"]) for rid, front in library.records.items()}
    assert {entry.id: entry.title for entry in parsed.entries} == expected
    for entry in parsed.entries:
        assert entry.link == entry.id, "an entry's id is its record page's address"
        assert entry.summary == str(library.records[entry.id.rstrip("/").rsplit("/", 1)[1]]["summary"])


def test_a_feed_holds_only_the_most_recent_changes(tmp_path: Path) -> None:
    extra = FEED_ENTRIES + 7
    start = date(2020, 1, 1)
    many = {f"evidence/dated-{number:03d}.md": record(
        title=f"title: Dated record {number}", added=f"added: {start + timedelta(days=number)}")
        for number in range(extra)}
    content = make_content(tmp_path, many)
    assert build_site(content, tmp_path / "out", TEMPLATES, today=BUILD_DAY,
                      options=BuildOptions(search=False)).ok
    library = Library.read(content)
    changed = {rid: max(front["added"], front.get("reviewed") or front["added"])
               for rid, front in library.records.items()}
    newest = sorted(changed, key=lambda rid: (-changed[rid].toordinal(), rid))[:FEED_ENTRIES]
    entries = read_feed(tmp_path / "out" / "feed.xml").entries
    assert [entry.id for entry in entries] == [library.page(rid) for rid in newest]
    assert len(changed) == extra + len(list((FIXTURE_CONTENT / "evidence").glob("*.md"))) > FEED_ENTRIES


def test_every_terms_feed_is_valid_atom_with_exactly_its_records(site: tuple[Library, Path]) -> None:
    library, out = site
    for tax, term in library.terms():
        parsed = read_feed(out / tax / term / "feed.xml")
        assert parsed.feed.id == f"{library.base_url}{tax}/{term}/feed.xml"
        assert parsed.feed.title.endswith(f"new evidence on {library.taxonomies[tax][term]}")
        expected = {library.page(r) for r in library.with_term(tax, term)}
        assert {entry.id for entry in parsed.entries} == expected, f"{tax}/{term}"


def test_each_term_page_links_and_advertises_its_feed(site: tuple[Library, Path]) -> None:
    library, out = site
    for tax, term in library.terms():
        url = f"{tax}/{term}/"
        page = parse_file(out / url / "index.html")
        feed = f"{tax}/{term}/feed.xml"
        advertised = [resolve_link(library.base_url, url, link.get("href")) for link in page.find_all("link")
                      if link.get("rel") == "alternate" and link.get("type") == ATOM]
        assert feed in {t.file for t in advertised if t}, f"{url}: no <link rel=alternate> to its feed"
        linked = [resolve_link(library.base_url, url, a.get("href")) for a in page.find("main").find_all("a")]
        assert feed in {t.file for t in linked if t}, f"{url}: no link to its feed in the page"


def test_feed_ids_are_the_same_in_a_second_build_and_survive_a_new_record(
        fixture_site: Path, tmp_path: Path) -> None:
    again = build_into(FIXTURE_CONTENT, tmp_path / "again")
    feeds = sorted(p.relative_to(fixture_site) for p in fixture_site.rglob("feed.xml"))
    assert feeds and feeds == sorted(p.relative_to(again) for p in again.rglob("feed.xml"))
    for rel in feeds:
        assert feed_ids(fixture_site / rel) == feed_ids(again / rel), rel
    grown = build_into(make_content(tmp_path / "grown", TRICKY), tmp_path / "grown" / "site")
    before, after = feed_ids(fixture_site / "feed.xml"), feed_ids(grown / "feed.xml")
    assert after[0] == before[0] and set(before) < set(after)
    assert set(after) - set(before) == {LIBRARIES["tricky"].page("formula-cells")}


# ---- open data: JSON ----

def _json(out: Path) -> dict[str, Any]:
    return cast(dict[str, Any], json.loads((out / "data" / "evidence.json").read_text(encoding="utf-8")))


def test_every_json_record_validates_against_the_published_schema(site: tuple[Library, Path]) -> None:
    _, out = site
    schema = json.loads((out / "data" / "record.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    draft = jsonschema.Draft202012Validator
    validator = draft(schema, format_checker=draft.FORMAT_CHECKER)
    records = _json(out)["records"]
    assert records
    for item in records:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(item)]
        assert not errors, f"{item['id']}: {errors}"
    broken = dict(records[0], page="not a uri", added="2026-13-45")
    assert len(list(validator.iter_errors(broken))) == 2, "the format checker checks uri and date"


def test_the_json_has_every_record_with_its_terms_resolved(site: tuple[Library, Path]) -> None:
    library, out = site
    document = _json(out)
    assert document["schema"] == f"{library.base_url}data/record.schema.json"
    items = {item["id"]: item for item in document["records"]}
    assert set(items) == set(library.records)
    for rid, front in library.records.items():
        item = items[rid]
        year = front["year"] if isinstance(front["year"], int) else None
        assert (item["title"], item["year"], item["url"], item["summary"], item["findings"]) == \
            (front["title"], year, front["url"], front["summary"], front["findings"])
        assert item.get("authors") == front.get("authors")
        assert item["page"] == library.page(rid)
        for tax, terms in library.taxonomies.items():
            assert item[tax] == [{"id": t, "name": terms[t], "page": f"{library.base_url}{tax}/{t}/"}
                                 for t in front.get(tax) or ()], f"{rid} {tax}"


# ---- open data: CSV ----

def _csv(out: Path) -> list[dict[str, str]]:
    text = (out / "data" / "evidence.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def _plain(cell: str) -> str:
    """A CSV cell as written before neutralising: the leading apostrophe of a formula cell removed."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


def test_the_csv_has_one_row_per_record_with_lists_joined(site: tuple[Library, Path]) -> None:
    library, out = site
    rows = _csv(out)
    assert [row["id"] for row in rows] == [item["id"] for item in _json(out)["records"]]
    assert sorted(row["id"] for row in rows) == sorted(library.records)
    version = _json(out)["version"]
    for row in rows:
        front = library.records[row["id"]]
        year = front["year"] if isinstance(front["year"], int) else None
        assert _plain(row["title"]) == front["title"]
        assert row["year"] == ("" if year is None else str(year))
        assert row["url"] == front["url"]
        assert _plain(row["summary"]) == front["summary"]
        assert _plain(row["findings"]) == " | ".join(front["findings"])
        assert _plain(row["authors"]) == " | ".join(front.get("authors") or ())
        for tax, terms in library.taxonomies.items():
            assert row[tax] == " | ".join(terms[t] for t in front.get(tax) or ())
        assert (row["page"], row["version"]) == (library.page(row["id"]), version)


def test_formula_cells_are_neutralised_in_the_csv_and_unchanged_in_the_json(tricky_site: Path) -> None:
    (row,) = [row for row in _csv(tricky_site) if row["id"] == "formula-cells"]
    front = LIBRARIES["tricky"].records["formula-cells"]
    assert row["title"] == "'" + front["title"] and front["title"].startswith("=")
    assert row["summary"] == "'" + front["summary"] and front["summary"].startswith("@")
    assert row["findings"] == "'" + " | ".join(front["findings"])
    assert row["findings"].startswith("'=HYPERLINK(")
    assert row["authors"] == "'-Anon"
    for rows in (_csv(tricky_site),):
        for cell in (value for r in rows for value in r.values()):
            assert not cell.startswith(FORMULA_STARTS), f"a cell a spreadsheet would run: {cell!r}"
    (item,) = [item for item in _json(tricky_site)["records"] if item["id"] == "formula-cells"]
    assert (item["title"], item["summary"], item["findings"], item["authors"]) == \
        (front["title"], front["summary"], front["findings"], ["-Anon"])


# ---- the data page, the version, the about page ----

def _dataset(out: Path) -> dict[str, Any]:
    page = parse_file(out / "data" / "index.html")
    (script,) = [s for s in page.find_all("script") if s.get("type") == "application/ld+json"]
    return cast(dict[str, Any], json.loads(script.raw_text()))


def test_the_data_page_describes_a_schema_org_dataset_of_this_version(site: tuple[Library, Path]) -> None:
    library, out = site
    dataset = _dataset(out)
    assert (dataset["@context"], dataset["@type"]) == ("https://schema.org", "Dataset")
    assert dataset["version"] == _json(out)["version"]
    assert {d["contentUrl"] for d in dataset["distribution"]} == {
        f"{library.base_url}data/{name}" for name in ("evidence.json", "evidence.csv", "record.schema.json")}
    page = parse_file(out / "data" / "index.html")
    assert dataset["version"] in page.find("main").text()


def test_the_version_is_stable_for_the_same_content_and_changes_with_a_record(
        fixture_site: Path, tmp_path: Path) -> None:
    version = _json(fixture_site)["version"]
    assert _json(build_into(FIXTURE_CONTENT, tmp_path / "again"))["version"] == version
    path = "evidence/shared-budget-pilot.md"
    text = (FIXTURE_CONTENT / path).read_text(encoding="utf-8")
    changed = text.replace("Planning the budget with residents", "Planning the budget with local residents")
    assert changed != text
    rebuilt = build_into(make_content(tmp_path / "changed", {path: changed}), tmp_path / "changed" / "site")
    new = _json(rebuilt)["version"]
    assert new != version
    assert _dataset(rebuilt)["version"] == new == _csv(rebuilt)[0]["version"]


def test_the_about_page_documents_the_open_data(real_site: Path) -> None:
    assert "../data/" in (REAL_CONTENT / "pages" / "about.md").read_text(encoding="utf-8")
    page: Element = parse_file(real_site / "about" / "index.html")
    base = LIBRARIES["real"].base_url
    links = [resolve_link(base, "about/", a.get("href")) for a in page.find("main").find_all("a")]
    targets = {t.file for t in links if t}
    assert "data/index.html" in targets
