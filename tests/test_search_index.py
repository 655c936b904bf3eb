"""The search index: what Pagefind indexes, what each record page tells it, how it is split into
bundles of at most so many pages, and how the build fails when Pagefind is missing or breaks.

Pagefind's own output is the witness for what is indexed: each indexed page has one fragment
file (gzip of b"pagefind_dcd" + JSON with the page's URL and text), and `pagefind-entry.json`
states the page count.
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cbor2
import pagefind_bin
import pytest
from playwright.sync_api import Page

import coprod_site.model.urls
import coprod_site.search.pagefind
import coprod_site.search.service
from browser_support import ConsoleErrors, serve_directory
from conftest import BUILD_DAY, FIXTURE_CONTENT, REAL_CONTENT, TEMPLATES, TINY_SHARD, build_into
from content_factory import fixture_text, load_content, make_content
from coprod_site.build import BuildOptions, build_site
from coprod_site.cli import main
from coprod_site.errors import BuildError
from coprod_site.load import load_site
from coprod_site.model import Output
from coprod_site.model.urls import SEARCH_SHARD_PAGES, search_index_urls
from coprod_site.render import searchable_glob
from coprod_site.search import index_site, split_shards
from coprod_site.search.canonical import decode_index_file
from html_tools import Element, parse_file, site_pages

SIGNATURE = b"pagefind_dcd"
PROSE_PAGES = ("about", "accessibility", "contribute")


def indexed_urls(site: Path, bundle: str = "pagefind/") -> list[str]:
    """The URL of every page Pagefind indexed in `bundle`, read from its fragment files."""
    urls = []
    for path in sorted((site / bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(SIGNATURE), path
        urls.append(str(json.loads(data[len(SIGNATURE):])["url"]))
    return sorted(urls)


def indexed_text(site: Path) -> str:
    """Everything Pagefind stored as page text, lower-cased."""
    parts = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE):])
        parts.append(str(fragment["content"]))
    return "\n".join(parts).casefold()


def expected_urls(content: Path) -> list[str]:
    """Record pages and prose pages: the only search results there should be."""
    records = [f"/evidence/{path.stem}/" for path in (content / "evidence").glob("*.md")]
    pages = [f"/{path.stem}/" for path in (content / "pages").glob("*.md")]
    return sorted(records + pages)


def page_count(site: Path) -> int:
    entry = json.loads((site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(int(language["page_count"]) for language in entry["languages"].values())


@pytest.fixture(params=["fixture", "real"])
def built(request: pytest.FixtureRequest) -> tuple[Path, Path]:
    """(content, built site) for each site in turn, built once per session."""
    name: str = request.param
    site: Path = request.getfixturevalue(f"{name}_site")
    return (FIXTURE_CONTENT if name == "fixture" else REAL_CONTENT), site


# ---- (a) only record pages and prose pages are indexed ----

def test_only_record_and_prose_pages_are_indexed(built: tuple[Path, Path]) -> None:
    content, site = built
    expected = expected_urls(content)
    assert indexed_urls(site) == expected
    assert page_count(site) == len(expected)


def test_index_site_reports_the_pages_it_indexed(fixture_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(fixture_site, copy)
    shutil.rmtree(copy / "pagefind")
    report = index_site(copy)
    assert report.pages == len(expected_urls(FIXTURE_CONTENT)) == 6
    assert report.bundles == ("pagefind/",)
    assert indexed_urls(copy) == expected_urls(FIXTURE_CONTENT)


# ---- (a2) in shards: bundles of at most so many pages, together indexing every page once ----

def _numbered(count: int) -> tuple[str, ...]:
    return ("pagefind/", *(f"pagefind-{number}/" for number in range(2, count + 1)))


@pytest.mark.parametrize(("searchable", "records", "shard_pages", "expected"), [
    (0, 0, 4, 1),
    (1, 1, 4, 1),
    (4, 3, 4, 1),
    (5, 4, 4, 2),
    (9, 8, 4, 4),  # three shards' worth, made two pairs: none is indexed alone
    (9, 3, 4, 3),  # but never more shards than records: each must know the sort keys
    (6, 3, 2, 3),
    (20, 1, 4, 1),
    (10_003, 10_000, SEARCH_SHARD_PAGES, 4),
    (50_003, 50_000, SEARCH_SHARD_PAGES, 18),
])
def test_search_index_urls_name_one_bundle_per_shard(
        searchable: int, records: int, shard_pages: int, expected: int) -> None:
    assert search_index_urls(searchable, records, shard_pages=shard_pages) == _numbered(expected)


def _pages(records: int, others: int) -> list[str]:
    """Searchable page paths in URL order: `others` prose pages and `records` record pages."""
    paths = [f"evidence/r{n:03d}/index.html" for n in range(records)]
    paths += [f"page-{n:03d}/index.html" for n in range(others)]
    return sorted(paths, key=lambda path: path.removesuffix("index.html"))


@pytest.mark.parametrize(("records", "others", "shard_pages"), [
    (3, 3, 2), (25, 3, 7), (7, 0, 3), (0, 5, 2), (5, 3, 4), (4000, 3, 4000), (9999, 3, 4000), (12, 11, 5),
    (2, 9, 3), (1, 0, 1),
])
def test_shards_are_deterministic_bounded_and_each_holds_a_record(
        records: int, others: int, shard_pages: int) -> None:
    pages = _pages(records, others)
    shards = split_shards(pages, shard_pages=shard_pages)
    assert shards == split_shards(list(pages), shard_pages=shard_pages)
    assert len(shards) == len(search_index_urls(len(pages), records, shard_pages=shard_pages))
    assert sorted(page for shard in shards for page in shard) == sorted(pages), "every page, once"
    sizes = [len(shard) for shard in shards]
    assert max(sizes) - min(sizes) <= 1, sizes
    assert max(sizes) <= shard_pages or len(shards) == max(1, records), "larger only for want of records"
    record_runs = [[page for page in shard if page.startswith("evidence/")] for shard in shards]
    assert [page for run in record_runs for page in run] == [p for p in pages if p.startswith("evidence/")]
    assert all(record_runs) or records == 0, "a shard without a record would not know the sort keys"


def test_index_site_in_shards_writes_each_bundle_and_leaves_no_scratch(
        fixture_site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(fixture_site, copy)
    shutil.rmtree(copy / "pagefind")
    report = index_site(copy, searchable_glob(_plan(FIXTURE_CONTENT)), shard_pages=2)
    assert (report.pages, report.bundles) == (6, ("pagefind/", "pagefind-2/", "pagefind-3/"))
    per_bundle = [indexed_urls(copy, bundle) for bundle in report.bundles]
    assert [len(found) for found in per_bundle] == [2, 2, 2]
    assert all(any(url.startswith("/evidence/") for url in found) for found in per_bundle)
    assert sorted(url for found in per_bundle for url in found) == expected_urls(FIXTURE_CONTENT)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["copy"], "the shard folders are removed"
    assert len({frozenset(bundle_words(copy / bundle)) for bundle in report.bundles}) == 1, (
        "every bundle holds the same words")


def _plan(content: Path) -> tuple[Output, ...]:
    loaded = load_site(content, today=BUILD_DAY, display_root=content.parent)
    assert loaded.site is not None
    return loaded.outputs


def bundle_words(bundle: Path) -> set[str]:
    """Every word of a bundle's index chunks."""
    words = set()
    for path in (bundle / "index").glob("*.pf_index"):
        (entries,) = cbor2.loads(gzip.decompress(path.read_bytes())[len(SIGNATURE):])
        words |= {str(entry[0]) for entry in entries}
    return words


def test_the_built_search_page_lists_the_bundles_the_index_has(real_site_in_shards: Path) -> None:
    form = parse_file(real_site_in_shards / "search" / "index.html").find("form", id="search-form")
    assert form.get("data-bundles") == "../pagefind/ ../pagefind-2/ ../pagefind-3/"
    written = sorted(path.name + "/" for path in real_site_in_shards.iterdir()
                     if path.name.startswith("pagefind"))
    assert written == ["pagefind-2/", "pagefind-3/", "pagefind/"]
    assert sorted(url for bundle in written for url in indexed_urls(real_site_in_shards, bundle)) == (
        expected_urls(REAL_CONTENT))


def test_a_page_cannot_take_the_address_of_a_search_bundle(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = "---\ntitle: Clash\nsummary: A page whose address a second search bundle needs.\n---\nText.\n"
    result = load_content(make_content(tmp_path, {"pages/pagefind-2.md": page}), shard_pages=TINY_SHARD)
    assert result.site is None
    assert [item.headline() for item in result.diagnostics] == [
        "content/pages/pagefind-2.md:1:1: error: output: its page /pagefind-2/ is also claimed by a "
        "built-in page"]


def search_bodies(document: Element) -> list[Element]:
    """The elements marked `data-pagefind-body` (a bare attribute)."""
    return [element for element in document.iter() if "data-pagefind-body" in element.attrs]


def search_body(document: Element) -> Element:
    (body,) = search_bodies(document)
    return body


def test_only_record_and_prose_pages_mark_a_search_body(built: tuple[Path, Path]) -> None:
    content, site = built
    marked = sorted("/" + page.url for page in site_pages(site) if search_bodies(parse_file(page.path)))
    assert marked == expected_urls(content)


# A taxonomy whose name appears on many pages (navigation, taxonomy and term pages, the label in
# the record's details) but never inside a search body; its term's name is indexed on the record
# carrying it, as readers search by term names.
NAV_ONLY_TAXONOMY = """\
name: Zyxvorth
description: A taxonomy planted by the search tests; its name appears only in navigation.
order: 5
terms:
  - id: qwelmintor
    name: Qwelmintor
    description: A term planted by the search tests.
"""
PLANTED_RECORD = "evidence/peer-support-evaluation.md"

SEARCH_JS = """
async ([bundle, words]) => {
  const pagefind = await import(bundle);
  await pagefind.options({ baseUrl: "/" });
  const counts = {};
  for (const word of words) {
    const search = await pagefind.search(word);
    counts[word] = search.results.length;
  }
  return counts;
}
"""


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture with the Zyxvorth taxonomy, one record carrying its term, built."""
    base = tmp_path_factory.mktemp("planted")
    text = fixture_text(PLANTED_RECORD).replace("\nadded:", "\nzyxvorth: [qwelmintor]\nadded:", 1)
    content = make_content(base, {"taxonomies/zyxvorth.yml": NAV_ONLY_TAXONOMY, PLANTED_RECORD: text})
    return build_into(content, base / "site")


def test_the_planted_words_are_on_indexed_pages_but_outside_their_search_body(planted_site: Path) -> None:
    """The test below is only meaningful if the words really are on the pages Pagefind reads."""
    document = parse_file(planted_site / "evidence" / "peer-support-evaluation" / "index.html")
    nav = document.find("nav", aria_label="Main")
    assert "Zyxvorth" in nav.text()
    assert "Qwelmintor" in document.text()
    body = search_body(document)
    assert "zyxvorth" not in _unignored_text(body).casefold()
    assert "qwelmintor" in _unignored_text(body).casefold()
    assert "zyxvorth" not in indexed_text(planted_site)
    assert "qwelmintor" in indexed_text(planted_site)


def _unignored_text(element: Element) -> str:
    """The text Pagefind indexes: everything but data-pagefind-ignore subtrees."""
    if "data-pagefind-ignore" in element.attrs:
        return ""
    return " ".join(child if isinstance(child, str) else _unignored_text(child) for child in element.children)


def test_a_word_only_in_navigation_finds_nothing_and_a_term_name_its_record(
        planted_site: Path, page: Page, console_errors: ConsoleErrors) -> None:
    with serve_directory(planted_site) as base:
        page.goto(base + "/")
        words = ["zyxvorth", "qwelmintor", "panel"]
        counts = page.evaluate(SEARCH_JS, [base + "/pagefind/pagefind.js", words])
    assert counts["panel"] >= 1, "the control, a word of a record's body, must be found"
    assert (counts["zyxvorth"], counts["qwelmintor"]) == (0, 1)
    console_errors.assert_none()


# ---- (b) a missing or failing Pagefind fails the build and keeps the previous site ----

def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def fake_pagefind(folder: Path, script: str) -> Path:
    """An executable shell script standing in for Pagefind."""
    path = folder / "fake-pagefind"
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def missing(folder: Path) -> Path:
    return folder / "no-such-pagefind"


def exits_one(folder: Path) -> Path:
    return fake_pagefind(folder, "echo 'Error: pagefind could not read the site' >&2\nexit 1\n")


def indexes_nothing(folder: Path) -> Path:
    return fake_pagefind(folder, "echo 'Running Pagefind'\nexit 0\n")


def stopped_by_a_signal(folder: Path) -> Path:
    return fake_pagefind(folder, "kill -XFSZ $$\n")


FAILURES: list[tuple[Callable[[Path], Path], str]] = [
    (stopped_by_a_signal, "Pagefind was stopped by SIGXFSZ"),
    (missing, "could not run Pagefind: [Errno 2] No such file or directory"),
    (exits_one, "Pagefind failed (exit 1): Error: pagefind could not read the site"),
    (indexes_nothing, "Pagefind indexed no pages; its output was:\nRunning Pagefind"),
]


@pytest.fixture
def previous(tmp_path: Path) -> tuple[Path, Path]:
    """(content, out): a copy of the fixture and a good earlier build of it."""
    content = make_content(tmp_path)
    out = build_into(content, tmp_path / "out")
    return content, out


@pytest.mark.parametrize(("tool", "message"), FAILURES, ids=[tool.__name__ for tool, _ in FAILURES])
def test_a_broken_pagefind_fails_the_build_and_keeps_the_previous_site(
        previous: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        tool: Callable[[Path], Path], message: str) -> None:
    content, out = previous
    before = snapshot(out)
    changed = fixture_text("evidence/shared-budget-pilot.md").replace("Shared budget pilot", "Changed title")
    (content / "evidence" / "shared-budget-pilot.md").write_text(changed, encoding="utf-8")
    executable = tool(tmp_path)
    monkeypatch.setattr(coprod_site.search.pagefind, "pagefind_executable", lambda: executable)
    with pytest.raises(BuildError) as raised:
        build_site(content, out, TEMPLATES, today=BUILD_DAY)
    assert str(raised.value).startswith(message)
    assert snapshot(out) == before
    assert sorted(path.name for path in out.parent.iterdir() if path.name.startswith(".out.")) == []


def test_one_failing_shard_fails_the_build_and_leaves_no_shard_folder(
        previous: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real Pagefind indexes the first shard it is started for; every later run fails (Pagefind
    runs as a service, so its command line does not say which shard it indexes)."""
    content, out = previous
    before = snapshot(out)
    script = (f'mkdir "{tmp_path}/first-run" 2>/dev/null && exec "{pagefind_bin.get_executable()}" "$@"\n'
              'echo "Error: the second shard broke" >&2; exit 3\n')
    executable = fake_pagefind(tmp_path, script)
    monkeypatch.setattr(coprod_site.search.pagefind, "pagefind_executable", lambda: executable)
    with pytest.raises(BuildError) as raised:
        build_site(content, out, TEMPLATES, today=BUILD_DAY, options=BuildOptions(shard_pages=TINY_SHARD))
    assert str(raised.value) == "Pagefind failed (exit 3): Error: the second shard broke"
    assert snapshot(out) == before
    assert sorted(path.name for path in out.parent.iterdir() if path.name.startswith(".out.")) == []


def test_the_cli_reports_a_failing_pagefind_and_exits_1(
        previous: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    content, out = previous
    before = snapshot(out)
    executable = exits_one(tmp_path)
    monkeypatch.setattr(coprod_site.search.pagefind, "pagefind_executable", lambda: executable)
    code = main(["build", "--content", str(content), "--out", str(out), "--templates", str(TEMPLATES)])
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err == ("coprod-site: build failed: Pagefind failed (exit 1): "
                            "Error: pagefind could not read the site\n")
    assert snapshot(out) == before


def test_a_missing_pagefind_package_binary_is_a_clear_build_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_binary() -> str:
        raise FileNotFoundError("pagefind_bin has no executable for this platform")

    monkeypatch.setattr(pagefind_bin, "get_executable", no_binary)
    with pytest.raises(BuildError) as raised:
        coprod_site.search.pagefind.pagefind_executable()
    assert str(raised.value) == ("the Pagefind binary is missing (pagefind_bin has no executable for this "
                                 "platform); reinstall with pip install 'pagefind[bin]'")


# ---- (c) each record page tells Pagefind its filters, metadata and sort keys ----

FIXTURE_RECORDS: dict[str, dict[str, Any]] = {
    "peer-support-evaluation": {
        "filters": [("benefits", "Connection"), ("benefits", "Empowerment"), ("methods", "Survey"),
                    ("organisations", "Example Trust"), ("principles", "Equality"),
                    ("principles", "Reciprocity"), ("year", "2020–2024")],
        "meta": {"title": "Evaluation of a peer support network",
                 "summary": "A fictional charity surveyed members of a peer support network it runs with "
                            "the people who use it. Members said they felt more confident and less alone.",
                 "year": "2024", "byline": "Example Trust",
                 "sort-year": "2024", "sort-added": "2026-01-12"},
    },
    "shared-budget-pilot": {
        "filters": [("benefits", "Efficiency"), ("methods", "Case studies"),
                    ("organisations", "Sample Borough Council"), ("principles", "Accessibility"),
                    ("year", "2020–2024")],
        "meta": {"title": "Shared budget pilot",
                 "summary": "A fictional council let residents and staff plan part of a care budget "
                            "together. The council reports that services cost less to run after two years.",
                 "year": "2023", "byline": "Sample Borough Council",
                 "sort-year": "2023", "sort-added": "2025-09-01"},
    },
    "youth-panel-interviews": {
        "filters": [("benefits", "Empowerment"), ("methods", "Case studies"), ("methods", "Interviews"),
                    ("organisations", "Example Trust"), ("organisations", "Sample Borough Council"),
                    ("principles", "Equality"), ("year", "Date not stated")],
        "meta": {"title": "Youth panel interviews",
                 "summary": "Interviews with young people who sat on a fictional service design panel, "
                            "about what they gained from it.",
                 "year": "Date not stated", "byline": "Example Trust, Sample Borough Council",
                 "sort-year": "0000", "sort-added": "2026-11-27"},
    },
}


def _declared(body: Element, kind: str) -> list[tuple[str, str]]:
    """(name, value) of every `data-pagefind-<kind>` element in the body, read as Pagefind reads
    it: `name[data-value]` takes the `data-value` attribute, a bare `name` the element's text
    (what the page shows: a term's link, the title, the summary)."""
    found = []
    for element in body.iter():
        declaration = element.attrs.get(f"data-pagefind-{kind}")
        if declaration is None:
            continue
        if declaration.endswith("[data-value]"):
            found.append((declaration.removesuffix("[data-value]"), element.get("data-value")))
        else:
            assert "[" not in declaration and element.text(), declaration
            found.append((declaration, element.text()))
    return found


@pytest.mark.parametrize("record_id", sorted(FIXTURE_RECORDS))
def test_a_record_page_declares_its_filters_meta_and_sort_keys(fixture_site: Path, record_id: str) -> None:
    expected = FIXTURE_RECORDS[record_id]
    document = parse_file(fixture_site / "evidence" / record_id / "index.html")
    body = search_body(document)
    assert body.tag == "article"
    assert sorted(_declared(body, "filter")) == expected["filters"]
    meta = _declared(body, "meta")
    assert dict(meta) == expected["meta"] and len(meta) == len(expected["meta"])
    sort = _declared(body, "sort")
    # the search page merges shards by these sort keys, read back as the `sort-` metadata
    shown = {name.removeprefix("sort-"): value for name, value in expected["meta"].items()
             if name.startswith("sort-")}
    assert dict(sort) == shown and len(sort) == len(shown) == 2


@pytest.mark.parametrize("record_id", sorted(FIXTURE_RECORDS))
def test_titles_summaries_and_findings_weigh_more_than_the_body(fixture_site: Path, record_id: str) -> None:
    body = search_body(parse_file(fixture_site / "evidence" / record_id / "index.html"))
    weights = [(element.tag + "." + " ".join(sorted(element.classes())), element.get("data-pagefind-weight"))
               for element in body.iter() if "data-pagefind-weight" in element.attrs]
    # then the details: authors (when named) and the lead taxonomy's terms as the summary, the others less
    authors = [("dd.", "5")] if "authors:" in fixture_text(f"evidence/{record_id}.md") else []
    assert weights == [("h1.", "10"), ("p.summary", "5"), ("ul.findings", "5"), *authors,
                       ("dd.", "5"), ("dd.", "3"), ("dd.", "3"), ("dd.", "3")]
    assert body.find("h1").text() == FIXTURE_RECORDS[record_id]["meta"]["title"]


@pytest.mark.parametrize("page_id", PROSE_PAGES)
def test_a_prose_page_is_a_search_body_with_a_weighted_title(fixture_site: Path, page_id: str) -> None:
    body = search_body(parse_file(fixture_site / page_id / "index.html"))
    assert body.tag == "article"
    assert body.find("h1").get("data-pagefind-weight") == "10"
    assert _declared(body, "filter") == []


# ---- (a3) Pagefind is sent only the part of a page it indexes, and indexes it as the whole ----

def _tree(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def test_sending_only_the_indexed_part_gives_the_index_of_whole_pages(
        fixture_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    glob = searchable_glob(_plan(FIXTURE_CONTENT))
    made = {}
    for name, send in (("part", coprod_site.search.service.indexed_part), ("whole", lambda html: html)):
        copy = tmp_path / name
        shutil.copytree(fixture_site, copy)
        monkeypatch.setattr(coprod_site.search.service, "indexed_part", send)
        index_site(copy, glob, shard_pages=2)
        made[name] = _tree(copy)
    assert made["part"] == made["whole"]
    assert any(name.startswith("pagefind-2/fragment/") for name in made["part"])


def test_the_indexed_part_is_the_marked_element_in_a_page_of_its_language(fixture_site: Path) -> None:
    record = next((fixture_site / "evidence").glob("*/index.html")).read_text(encoding="utf-8")
    part = coprod_site.search.service.indexed_part(record.encode("utf-8")).decode("utf-8")
    start, end = record.index("<article"), record.index("</article>") + len("</article>")
    assert part == f'<!DOCTYPE html><html lang="en-GB"><head></head><body>{record[start:end]}</body></html>'
    assert "site-header" in record and "site-header" not in part


@pytest.mark.parametrize("page", [
    '<html lang="en"><body><main><p>no marked element</p></main></body></html>',
    '<html lang="en"><body><div data-pagefind-body><div>nested</div></div></body></html>',
    '<html lang="en"><body><p>data-pagefind-body in text</p><main data-pagefind-body>x</main></body></html>',
    '<html lang="en"><body><main data-pagefind-body>never closed</body></html>',
    '<body><main data-pagefind-body>no html tag</main></body>',
])
def test_a_page_of_another_shape_is_sent_whole(page: str) -> None:
    assert coprod_site.search.service.indexed_part(page.encode("utf-8")) == page.encode("utf-8")


# ---- (a4) index files are decoded with the cycle collector paused, and it is left as it was ----

@pytest.mark.parametrize("running", [True, False])
def test_decoding_an_index_file_leaves_the_cycle_collector_as_it_was(running: bool) -> None:
    seen = []

    def loads(data: bytes) -> object:
        seen.append(gc.isenabled())
        return real_loads(data)

    real_loads = cbor2.loads
    was = gc.isenabled()
    (gc.enable if running else gc.disable)()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(cbor2, "loads", loads)
            value = [[["word", [], []]]]
            assert decode_index_file(gzip.compress(SIGNATURE + cbor2.dumps(value))) == value
            with pytest.raises(cbor2.CBORDecodeError):
                decode_index_file(gzip.compress(SIGNATURE + b"\xff"))
            assert gc.isenabled() is running
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [False, False]
