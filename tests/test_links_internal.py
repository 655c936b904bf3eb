"""`coprod-site check --links`: every internal link, image and `#fragment` of a built site.

A copy of the valid fixture is built into a temporary folder, then broken links are planted in the
OUTPUT (a link to a missing page, a missing `#fragment`, a missing image), each in a different
record's page, and one is written by an editor in a record's Markdown body. Every one must be
reported against the page it is on and the content file that produced that page, in each format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from cli_support import FixedToday, run
from content_factory import RECORD_BODY, TODAY, make_content, record
from coprod_site import cli
from coprod_site.build import build_site
from coprod_site.check import LinkOptions, check_content

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = REPO / "templates"
HINT = "fix the link in this file, or the template if the link is not in the content"
GARDEN_BODY = RECORD_BODY + "\nSee [the other pilot](../no-such-record/) for more.\n"


@dataclass(frozen=True)
class Broken:
    """One broken link the report must contain: the content file, its line, the message."""

    path: str
    line: int
    message: str


def _plant(page: Path, html: str) -> None:
    """Add `html` at the end of the page's main content."""
    text = page.read_text(encoding="utf-8")
    assert text.count("</main>") == 1, page
    page.write_text(text.replace("</main>", html + "\n</main>"), encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding `content/` (the fixture plus a record with a broken body link) and
    `site/`, its build with three broken links planted in three record pages."""
    base = tmp_path_factory.mktemp("planted")
    content = make_content(base, {"evidence/garden.md": record(body=GARDEN_BODY)})
    result = build_site(content, base / "site", TEMPLATES, today=TODAY)
    assert result.ok, [item.headline() for item in result.load.diagnostics]
    evidence = base / "site" / "evidence"
    _plant(evidence / "peer-support-evaluation" / "index.html", '<p><a href="../no-such-record/">x</a></p>')
    _plant(evidence / "shared-budget-pilot" / "index.html",
           '<p><a href="../youth-panel-interviews/#no-such-section">x</a></p>')
    _plant(evidence / "youth-panel-interviews" / "index.html",
           '<p><img src="../../assets/no-such-image.png" alt="A chart"></p>')
    return base


def _garden_link_line(base: Path) -> int:
    lines = (base / "content" / "evidence" / "garden.md").read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if "../no-such-record/" in line)


def _expected(base: Path) -> list[Broken]:
    """Every problem in the planted site, in report order (by file, then line)."""
    return [
        Broken("content/evidence/garden.md", _garden_link_line(base),
               "broken link on /evidence/garden/ to /evidence/no-such-record: File not found"),
        Broken("content/evidence/peer-support-evaluation.md", 1,
               "broken link on /evidence/peer-support-evaluation/ to /evidence/no-such-record: "
               "File not found"),
        Broken("content/evidence/shared-budget-pilot.md", 1,
               "broken link on /evidence/shared-budget-pilot/ to "
               "/evidence/youth-panel-interviews#no-such-section: Cannot find fragment"),
        Broken("content/evidence/youth-panel-interviews.md", 1,
               "broken link on /evidence/youth-panel-interviews/ to /assets/no-such-image.png: "
               "File not found"),
    ]


@pytest.fixture
def in_folder(monkeypatch: pytest.MonkeyPatch, planted: Path) -> Path:
    """Run from the planted folder, on the tests' fixed day, with no GitHub job summary."""
    monkeypatch.setattr(cli, "date", FixedToday)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(planted)
    return planted


def test_text_report_names_page_and_content_file(in_folder: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "check", "--content", "content", "--links", "--out", "site")
    expected = [f"{item.path}:{item.line}:1: error: link: {item.message}\n  hint: {HINT}"
                for item in _expected(in_folder)]
    assert code == 1
    assert out == "\n".join(expected) + "\n4 errors, 0 warnings\n"


def test_json_report_names_page_and_content_file(in_folder: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(capsys, "check", "--content", "content", "--links", "--out", "site",
                          "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert (report["errors"], report["warnings"]) == (4, 0)
    assert [(item["path"], item["line"], item["field"], item["message"], item["hint"])
            for item in report["diagnostics"]] == [
        (item.path, item.line, "link", item.message, HINT) for item in _expected(in_folder)]


def test_github_report_annotates_the_content_file(in_folder: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    summary = in_folder / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, _err = run(capsys, "check", "--content", "content", "--links", "--out", "site",
                          "--format", "github")
    expected = [f"::error file={item.path},line={item.line},col=1,title=link::{item.message}. Fix: {HINT}"
                for item in _expected(in_folder)]
    assert code == 1
    assert out.splitlines() == [*expected, "4 errors, 0 warnings"]
    table = summary.read_text(encoding="utf-8")
    summary.unlink()
    for item in _expected(in_folder):
        assert f"| {item.path} | {item.line} | error | link | {item.message} | {HINT} |" in table


def test_editor_link_in_a_body_is_reported_at_its_markdown_line(in_folder: Path) -> None:
    found = check_content(Path("content"), today=TODAY,
                          display_root=Path.cwd(), links=LinkOptions(built_site=Path("site")))
    garden = [item for item in found if item.path == "content/evidence/garden.md"]
    assert [(item.line, item.message) for item in garden] == [
        (_garden_link_line(in_folder), "broken link on /evidence/garden/ to /evidence/no-such-record: "
                                       "File not found")]
    assert _garden_link_line(in_folder) > 13, "the link is in the body, after the front matter"


def test_the_real_site_has_no_broken_links(real_site: Path) -> None:
    found = check_content(REPO / "content", today=TODAY,
                          display_root=REPO, links=LinkOptions(built_site=real_site))
    assert [item.headline() for item in found] == []


def test_the_fixture_site_under_a_sub_path_has_no_broken_links(fixture_site: Path) -> None:
    """The fixture is published under /library/: the 404 page's root-absolute links resolve."""
    assert "/library/about/" in (fixture_site / "404.html").read_text(encoding="utf-8")
    found = check_content(REPO / "tests" / "fixtures" / "valid", today=TODAY, display_root=REPO,
                          links=LinkOptions(built_site=fixture_site))
    assert [item.headline() for item in found] == []


@pytest.mark.parametrize("html", [None, "<!DOCTYPE html><title>Empty</title><p>No links here.</p>"],
                         ids=["empty folder", "html without links"])
def test_a_run_that_finds_no_links_fails(in_folder: Path, tmp_path: Path, html: str | None,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    if html is not None:
        (tmp_path / "index.html").write_text(html, encoding="utf-8")
    code, out, _err = run(capsys, "check", "--content", "content", "--links", "--out", str(tmp_path))
    assert code == 1
    assert out == (f"{tmp_path}:1:1: error: links: the link checker found no links to check\n"
                   "  hint: check that the site was built into this folder\n1 error, 0 warnings\n")


def test_a_missing_output_folder_is_a_usage_error(in_folder: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--content", "content", "--links", "--out", "no-such-site")
    assert code == 2
    assert out == ""
    assert err == "coprod-site: no built site in no-such-site: run coprod-site build first\n"
