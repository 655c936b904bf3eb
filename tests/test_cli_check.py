"""`coprod-site check`: exit codes, --strict, and the text, JSON and GitHub report formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_support import FixedToday, run
from content_factory import fixture_text, make_content, record
from coprod_site import cli

X = "content/evidence/x.md"
PANEL = "  - id: panel\n    name: Panel\n    description: A group of people who meet to advise.\n"


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cli, "date", FixedToday)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)


def test_valid_content_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path)
    assert run(capsys, "check") == (0, "no problems found\n", "")


def test_errors_exit_1_with_every_problem_and_a_count(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {"evidence/x.md": record(year="year: soon", url="url: ftp://example.org/x")})
    assert run(capsys, "check", "--content", "content") == (1, (
        f"{X}:3:7: error: year: must be a whole number, not 'soon'\n"
        "  hint: for example: year: 2022\n"
        f"{X}:4:6: error: url: 'ftp://example.org/x' is not an http or https address\n"
        "  hint: copy the full address from the browser, starting with https://\n"
        "2 errors, 0 warnings\n"
    ), "")


def test_count_line_with_errors_and_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {
        "evidence/x.md": record(year="year: soon", added="added: 2030-01-01"),
        "taxonomies/methods.yml": fixture_text("taxonomies/methods.yml") + PANEL,
    })
    code, out, _ = run(capsys, "check")
    assert code == 1
    assert out.splitlines()[-1] == "2 errors, 1 warning"


def test_a_hint_of_several_lines_stays_indented(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {"taxonomies/benefits.yml": fixture_text("taxonomies/benefits.yml").replace(
        "groups:\n  intrinsic: Intrinsic benefits\n  instrumental: Instrumental benefits\n",
        "groups: [intrinsic]\n")})
    assert run(capsys, "check")[1] == (
        "content/taxonomies/benefits.yml:5:9: error: groups: must be 'id: label' lines, not a list\n"
        "  hint: for example:\n"
        "          groups:\n"
        "            intrinsic: Intrinsic benefits\n"
        "1 error, 0 warnings\n"
    )


def test_warnings_alone_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {"taxonomies/methods.yml": fixture_text("taxonomies/methods.yml") + PANEL})
    assert run(capsys, "check") == (0, (
        "content/taxonomies/methods.yml:15:1: warning: terms: the term 'panel' is not used by any record\n"
        "  hint: tag a record with it, or remove it\n"
        "0 errors, 1 warning\n"
    ), "")


def test_strict_turns_warnings_into_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {"taxonomies/methods.yml": fixture_text("taxonomies/methods.yml") + PANEL})
    assert run(capsys, "check", "--strict") == (1, (
        "content/taxonomies/methods.yml:15:1: error: terms: the term 'panel' is not used by any record\n"
        "  hint: tag a record with it, or remove it\n"
        "1 error, 0 warnings\n"
    ), "")


@pytest.mark.parametrize(("argv", "message"), [
    (("check", "--bogus"), "unrecognized arguments: --bogus"),
    (("check", "--format", "xml"), "invalid choice: 'xml'"),
    (("check", "--content", "nowhere"), "coprod-site: content folder not found: nowhere "
     "(--content names the folder that holds site.yml)"),
    ((), "the following arguments are required: command"),
], ids=["unknown-flag", "unknown-format", "missing-content-folder", "no-command"])
def test_usage_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             argv: tuple[str, ...], message: str) -> None:
    make_content(tmp_path)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert message in err
    assert "Traceback" not in err


def test_json_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {
        "evidence/x.md": record(year="year: soon"),
        "taxonomies/methods.yml": fixture_text("taxonomies/methods.yml") + PANEL,
    })
    code, out, _ = run(capsys, "check", "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert (report["errors"], report["warnings"]) == (1, 1)
    assert report["diagnostics"][0] == {
        "path": X, "line": 3, "column": 7, "severity": "error", "field": "year",
        "message": "must be a whole number, not 'soon'", "hint": "for example: year: 2022",
    }
    assert report["diagnostics"][1]["severity"] == "warning"


def test_json_format_when_clean(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path)
    code, out, _ = run(capsys, "check", "--format", "json")
    assert (code, json.loads(out)) == (0, {"errors": 0, "warnings": 0, "diagnostics": []})


def test_github_annotations_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    benefits = fixture_text("taxonomies/benefits.yml").replace(
        "groups:\n  intrinsic: Intrinsic benefits\n  instrumental: Instrumental benefits\n",
        "groups: [intrinsic]\n")
    make_content(tmp_path, {
        "evidence/x.md": record(principles="principles: [equality, 50%]", extra="colour,size: big"),
        "taxonomies/benefits.yml": benefits,
    })
    code, out, _ = run(capsys, "check", "--format", "github")
    lines = out.splitlines()
    assert code == 1
    assert lines[0] == (
        "::error file=content/evidence/x.md,line=10,col=24,title=principles::unknown term '50%25'. "
        "Fix: terms in content/taxonomies/principles.yml: equality, reciprocity, accessibility"
    )
    assert lines[1].startswith(
        "::error file=content/evidence/x.md,line=13,col=1,title=colour%2Csize::unknown field 'colour,size'")
    assert lines[2] == (
        "::error file=content/taxonomies/benefits.yml,line=5,col=9,title=groups::must be 'id: label' "
        "lines, not a list. Fix: for example:%0A  groups:%0A    intrinsic: Intrinsic benefits"
    )
    assert lines[3:] == ["3 errors, 0 warnings"]


def test_github_summary_table(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    make_content(tmp_path, {"evidence/x.md": record(title="title: Foo #1 | bar")})
    assert run(capsys, "check", "--format", "github")[0] == 1
    assert summary.read_text(encoding="utf-8") == (
        "earlier step\n"
        "## Content check\n\n1 error, 0 warnings\n\n"
        "| File | Line | Severity | Field | Problem | Fix |\n"
        "|---|---|---|---|---|---|\n"
        f"| {X} | 2 | error | title | has ' #' in it, and YAML drops everything after it as a comment "
        "| put the whole value in double quotes to keep the text |\n"
    )


def test_github_summary_only_with_github_format(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    make_content(tmp_path, {"evidence/x.md": record(year="year: soon")})
    assert run(capsys, "check")[0] == 1
    assert not summary.exists()


def test_real_content_checks_clean(capsys: pytest.CaptureFixture[str]) -> None:
    content = Path(__file__).resolve().parents[1] / "content"
    assert run(capsys, "check", "--strict", "--content", str(content))[:2] == (0, "no problems found\n")
