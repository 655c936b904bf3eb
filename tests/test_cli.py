"""The command line as an editor meets it: --version, help, -q and -v, build timings, serve's
first build and --bind, and commands run from any folder of the project (issue 15).

`serve` runs as a real process (started here, stopped with Ctrl+C, that is SIGINT), so what
is checked is exactly what the terminal shows.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.error import URLError

import pytest

import coprod_site
from cli_support import FixedToday, run
from conftest import REPO, TEMPLATES
from content_factory import TODAY, make_content, record
from coprod_site import cli
from coprod_site.build import BuildOptions, build_site
from coprod_site.serve import STATUS_PATH

DEADLINE = 20.0
SUMMARY = re.compile(r"built (\d+) pages and files into (\S+) in \d+\.\d s; (.*)\n")
BAD_YEAR = ("content/evidence/x.md:3:7: error: year: must be a whole number, not 'soon'\n"
            "  hint: for example: year: 2022")
OUTSIDE = ("coprod-site: no project found: neither {start} nor any folder above it holds content/site.yml. "
           "Run the command inside the project's folder, or pass --content with the path of the content "
           "folder (the folder that holds site.yml)\n")


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cli, "date", FixedToday)
    monkeypatch.chdir(tmp_path)


def project(base: Path, changes: dict[str, str | bytes] | None = None) -> Path:
    """A project folder: the fixture's content and the real templates."""
    make_content(base, changes)
    shutil.copytree(TEMPLATES, base / "templates")
    return base


# ---- version and help ----

def test_version_is_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert coprod_site.__version__ == version
    assert run(capsys, "--version") == (0, f"coprod-site {version}\n", "")


def test_help_gives_each_command_a_purpose_and_examples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command, purpose in [
            ("check", "report every problem in the content, with a fix for each"),
            ("new", "start a new evidence record with every field listed and explained"),
            ("schema", "print the JSON Schema of an evidence record, for editors' tools"),
            ("build", "check the content, then build the whole site into a fresh folder"),
            ("serve", "preview the site while you edit: rebuilt and reloaded on every save")]:
        assert re.search(rf"^    {command} +{re.escape(purpose)}$", out, re.MULTILINE), command
    assert "\nexamples:\n  coprod-site new community-garden-study   start a record:" in out
    assert "call one library function" not in out


@pytest.mark.parametrize(("command", "defaults"), [
    ("build", ["--out OUT              the output folder (default: _site)",
               "--templates TEMPLATES  the templates folder (default: templates)"]),
    ("serve", ["(default: 8000; 0 picks a free one)", "(default: 127.0.0.1, this computer only;",
               "examples:\n  coprod-site serve                   preview on http://127.0.0.1:8000/"]),
    ("check", ["(default: text)", "examples:\n  coprod-site check                   check the content"]),
    ("new", ["examples:\n  coprod-site new community-garden-study\n"]),
])
def test_each_command_shows_its_defaults_and_examples(capsys: pytest.CaptureFixture[str], command: str,
                                                      defaults: list[str]) -> None:
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "-q, --quiet" in out and "-v, --verbose" in out
    for text in defaults:
        assert text in out


# ---- build: summary, timings, -q and -v ----

def test_build_prints_one_summary_line_with_timings(tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path)
    code, out, err = run(capsys, "build", "--no-search")
    found = SUMMARY.fullmatch(out)
    assert (code, err) == (0, ""), out
    assert found, out
    assert found[2] == "_site" and found[3] == "no search index"
    assert int(found[1]) > 50


def test_build_with_search_times_the_index_and_v_shows_each_step(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path)
    code, out, _ = run(capsys, "build", "-v")
    summary, steps = out.splitlines()
    assert code == 0
    assert re.fullmatch(r"built \d+ pages and files into _site in \d+\.\d s; "
                        r"search index of \d+ pages \d+\.\d s", summary)
    assert re.fullmatch(r"  load and check \d+\.\d\d s, render \d+\.\d\d s, search index \d+\.\d\d s, "
                        r"total \d+\.\d\d s", steps)


def test_build_quiet_prints_only_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path)
    assert run(capsys, "build", "--no-search", "-q") == (0, "", "")
    (tmp_path / "content" / "evidence" / "x.md").write_text(record(year="year: soon"), encoding="utf-8")
    code, out, _ = run(capsys, "build", "--no-search", "-q")
    assert (code, out) == (1, f"{BAD_YEAR}\n1 error, 0 warnings\nnothing was written; _site is unchanged\n")


def test_build_result_holds_the_time_of_each_step(tmp_path: Path) -> None:
    project(tmp_path)
    result = build_site(tmp_path / "content", tmp_path / "out", TEMPLATES, today=TODAY,
                        options=BuildOptions(search=False, workers=1))
    times = result.timings
    assert times.load > 0 and times.render > 0 and times.search == 0
    assert times.total == times.load + times.render


def test_check_quiet_prints_nothing_when_all_is_well(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project(tmp_path)
    assert run(capsys, "check", "-q") == (0, "", "")
    assert run(capsys, "check") == (0, "no problems found\n", "")
    code, out, _ = run(capsys, "check", "-v")
    assert code == 0 and re.fullmatch(r"no problems found\nchecked in \d+\.\d\d s\n", out)


# ---- the project folder ----

def test_commands_work_from_a_subfolder(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path)
    monkeypatch.chdir(tmp_path / "content" / "evidence")
    assert run(capsys, "check") == (0, "no problems found\n", "")
    assert run(capsys, "new", "garden-survey") == (0, "garden-survey.md\n", "")
    assert (tmp_path / "content" / "evidence" / "garden-survey.md").is_file()
    (tmp_path / "content" / "evidence" / "garden-survey.md").unlink()
    code, out, _ = run(capsys, "build", "--no-search")
    assert code == 0 and SUMMARY.fullmatch(out) and "into ../../_site in" in out
    assert (tmp_path / "_site" / "index.html").is_file()
    (tmp_path / "content" / "evidence" / "x.md").write_text(record(year="year: soon"), encoding="utf-8")
    assert run(capsys, "check") == (1, f"{BAD_YEAR}\n1 error, 0 warnings\n", "")


def test_outside_a_project_the_message_says_what_to_pass(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("check", "build", "serve", "schema"):
        assert run(capsys, command) == (2, "", OUTSIDE.format(start=tmp_path)), command


def test_missing_templates_are_a_usage_error_that_names_the_flag(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path)
    assert run(capsys, "serve") == (
        2, "", "coprod-site: templates folder not found: templates; pass --templates with the folder "
               "that holds the site's templates\n")


# ---- serve, as a process ----

@contextmanager
def serving(folder: Path, *argv: str) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """`coprod-site serve` in `folder`; its lines so far are read with `read_until`. Stopped with
    Ctrl+C (SIGINT) at the end, which must end it cleanly."""
    env = dict(os.environ, PYTHONPATH=str(Path(coprod_site.__file__).parents[1]), PYTHONUNBUFFERED="1")
    process = subprocess.Popen([sys.executable, "-m", "coprod_site.cli", "serve", "--port", "0", *argv],
                               cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    lines: list[str] = []
    try:
        yield process, lines
    finally:
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=DEADLINE)
        lines.extend(rest.splitlines())
    assert process.returncode == 0, lines
    assert lines[-1] == "stopped", lines


def read_until(process: subprocess.Popen[str], lines: list[str], pattern: str) -> re.Match[str]:
    assert process.stdout is not None
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        found = re.search(pattern, lines[-1])
        if found:
            return found
    raise AssertionError(f"serve never printed {pattern!r}; it printed {lines}")


def test_serve_prints_the_first_builds_failure_in_the_terminal(tmp_path: Path) -> None:
    """The terminal names the problems; the browser, with no site yet, gets a page whose reload
    script shows them (status 404, never a bare error or a dropped connection)."""
    project(tmp_path, {"evidence/x.md": record(year="year: soon")})
    with serving(tmp_path) as (process, lines):
        found = read_until(process, lines,
                           r"^serving _site on (http://127\.0\.0\.1:\d+/) \(Ctrl\+C to stop\)$")
        read_until(process, lines, "fix this and save")
        with pytest.raises(urllib.error.HTTPError) as answer:
            urllib.request.urlopen(found[1] + "evidence/", timeout=DEADLINE)
        assert answer.value.code == 404
        page = answer.value.read().decode("utf-8")
        assert "Not built yet" in page and STATUS_PATH in page, page
        with urllib.request.urlopen(found[1] + STATUS_PATH.lstrip("/"), timeout=DEADLINE) as status:
            assert "year" in json.loads(status.read())["errors"]
    assert lines[:5] == [
        lines[0],
        "the first build failed, so there is no site to show yet:",
        *BAD_YEAR.splitlines(),
        "fix this and save: the site is built again on every change",
    ]


def test_serve_prints_the_first_builds_summary_and_binds_where_asked(tmp_path: Path) -> None:
    project(tmp_path)
    with serving(tmp_path, "--bind", "127.0.0.2") as (process, lines):
        found = read_until(process, lines, r"^serving _site on (http://127\.0\.0\.2:(\d+)/)")
        assert SUMMARY.fullmatch(lines[0] + "\n"), lines
        with urllib.request.urlopen(found[1], timeout=DEADLINE) as response:
            assert b"<title>" in response.read()
        with pytest.raises(URLError):
            urllib.request.urlopen(f"http://127.0.0.1:{found[2]}/", timeout=DEADLINE)


UPDATED = r"^updated (\d+) pages and files in (\S+) in \d+\.\d s; downloads and search index follow$"


def test_serve_brings_its_folder_up_to_date_in_place_and_says_so(tmp_path: Path) -> None:
    """After the first build, a save rewrites only the files it changes, in the folder served."""
    project(tmp_path)
    record_file = tmp_path / "content" / "evidence" / "peer-support-evaluation.md"
    with serving(tmp_path, "--out", "preview") as (process, lines):
        found = read_until(process, lines, r"^serving preview on (http://127\.0\.0\.1:\d+/)")
        untouched = (tmp_path / "preview" / "about" / "index.html").stat()
        record_file.write_text(record_file.read_text(encoding="utf-8").replace(
            "title: Evaluation of a peer support network", "title: A peer support network, evaluated"),
            encoding="utf-8")
        updated = read_until(process, lines, UPDATED)
        assert updated[2] == "preview" and 1 <= int(updated[1]) < 30, lines
        with urllib.request.urlopen(found[1] + "evidence/peer-support-evaluation/", timeout=DEADLINE) as page:
            assert b"A peer support network, evaluated" in page.read()
        assert (tmp_path / "preview" / "about" / "index.html").stat().st_ino == untouched.st_ino
        assert not (tmp_path / "_site").exists()
