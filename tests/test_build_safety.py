"""Building never damages the output: invalid content, a broken template or a wrong --out leave
the previous site byte-for-byte as it was; a good build replaces it whole, leaves nothing stale,
and two builds of the same input are identical.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import BUILD_DAY, REAL_CONTENT, REPO, TEMPLATES, TINY_SHARD
from content_factory import make_content, record
from coprod_site.build import BuildOptions, build_site
from coprod_site.cli import main
from coprod_site.errors import BuildError, UsageError, os_error_text
from coprod_site.model import urls
from coprod_site.output_folder import MARKER, write_file

INVALID_RECORD = record(year="year: soon", url="url: not-an-address")


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` (hidden ones included) with the SHA-256 of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(out: Path) -> list[str]:
    """Staging or previous-build folders left beside `out`."""
    return sorted(path.name for path in out.parent.iterdir() if path.name.startswith(f".{out.name}."))


def build(content: Path, out: Path, templates: Path = TEMPLATES, *, search: bool = True,
          shard_pages: int = urls.SEARCH_SHARD_PAGES) -> bool:
    options = BuildOptions(search=search, shard_pages=shard_pages)
    return build_site(content, out, templates, today=BUILD_DAY, options=options).ok


def cli_build(content: Path, out: Path, templates: Path = TEMPLATES) -> int:
    return main(["build", "--content", str(content), "--out", str(out), "--templates", str(templates)])


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A private copy of the valid fixture."""
    return make_content(tmp_path)


@pytest.fixture
def previous(content: Path, tmp_path: Path) -> Path:
    """An output folder holding a good earlier build of the fixture."""
    out = tmp_path / "out"
    assert build(content, out, search=False)
    return out


# ---- (a) invalid content ----

def test_invalid_content_writes_nothing_and_keeps_the_previous_site(previous: Path, tmp_path: Path) -> None:
    before = snapshot(previous)
    assert "index.html" in before and MARKER in before
    broken = make_content(tmp_path / "broken", {"evidence/bad-record.md": INVALID_RECORD})
    result = build_site(broken, previous, TEMPLATES, today=BUILD_DAY)
    assert not result.ok
    fields = {item.field for item in result.load.diagnostics if item.severity == "error"}
    assert {"year", "url"} <= fields
    assert result.files == 0
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_invalid_content_into_a_new_folder_creates_nothing(tmp_path: Path) -> None:
    broken = make_content(tmp_path, {"evidence/bad-record.md": INVALID_RECORD})
    out = tmp_path / "fresh"
    assert not build(broken, out)
    assert not out.exists()
    assert leftovers(out) == []


def test_cli_build_of_invalid_content_exits_1_and_keeps_the_site(
        previous: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(previous)
    broken = make_content(tmp_path / "broken", {"evidence/bad-record.md": INVALID_RECORD})
    assert cli_build(broken, previous) == 1
    printed = capsys.readouterr().out
    assert "bad-record.md" in printed
    assert f"nothing was written; {previous} is unchanged" in printed
    assert snapshot(previous) == before
    assert leftovers(previous) == []


# ---- (b) determinism ----

@pytest.mark.parametrize("source", ["fixture", "real", "real in shards"])
def test_two_builds_are_byte_identical(
        content: Path, tmp_path: Path, source: str) -> None:
    """Every file, the Pagefind index included, is the same in two builds of the same input; in
    shards too, where the index is three bundles written two at a time."""
    folder = content if source == "fixture" else REAL_CONTENT
    shard_pages = TINY_SHARD if source == "real in shards" else urls.SEARCH_SHARD_PAGES
    first, second = tmp_path / "first", tmp_path / "second"
    assert build(folder, first, shard_pages=shard_pages) and build(folder, second, shard_pages=shard_pages)
    one, two = snapshot(first), snapshot(second)
    bundles = {name.split("/")[0] for name in one if name.startswith("pagefind")}
    sharded = source == "real in shards"
    assert bundles == ({"pagefind", "pagefind-2", "pagefind-3"} if sharded else {"pagefind"})
    changed = {name for name in one.keys() & two.keys() if one[name] != two[name]}
    differing = sorted(set(one) ^ set(two) | changed)
    assert not differing, "files differ between two builds of the same input:\n" + "\n".join(differing)


def test_two_builds_without_search_are_byte_identical(content: Path, tmp_path: Path) -> None:
    """Our own output (everything but Pagefind's index) is deterministic on its own."""
    first, second = tmp_path / "first", tmp_path / "second"
    assert build(content, first, search=False) and build(content, second, search=False)
    assert snapshot(first) == snapshot(second)
    assert len(snapshot(first)) > 20


# ---- (c) nothing stale ----

def test_no_stale_file_survives_a_rebuild(previous: Path, content: Path) -> None:
    (previous / "stale.html").write_text("old", encoding="utf-8")
    (previous / "evidence" / "removed-record").mkdir()
    (previous / "evidence" / "removed-record" / "index.html").write_text("old", encoding="utf-8")
    (content / "evidence" / "shared-budget-pilot.md").unlink()
    assert build(content, previous, search=False)
    assert not (previous / "stale.html").exists()
    assert not (previous / "evidence" / "removed-record").exists()
    assert not (previous / "evidence" / "shared-budget-pilot").exists()
    assert (previous / "evidence" / "peer-support-evaluation" / "index.html").is_file()
    assert leftovers(previous) == []


def test_a_leftover_staging_folder_is_cleared(previous: Path, content: Path) -> None:
    staging = previous.parent / f".{previous.name}.building"
    staging.mkdir()
    (staging / "half-written.html").write_text("interrupted", encoding="utf-8")
    assert build(content, previous, search=False)
    assert not (previous / "half-written.html").exists()
    assert leftovers(previous) == []


# ---- (d) a failing render ----

MAIN_BLOCK = "{% block main %}"


@pytest.mark.parametrize(("template", "breakage", "message"), [
    ("record.html", "{% if %}", "template record.html, line"),
    ("term.html", "{{ view.no_such_field }}", "no_such_field"),
    ("list.html", "{% include 'missing.html' %}", "template missing.html not found"),
])
def test_a_broken_template_fails_and_keeps_the_previous_site(
        previous: Path, content: Path, tmp_path: Path, template: str, breakage: str, message: str) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    text = (templates / template).read_text(encoding="utf-8")
    assert MAIN_BLOCK in text
    (templates / template).write_text(text.replace(MAIN_BLOCK, MAIN_BLOCK + breakage), encoding="utf-8")
    before = snapshot(previous)
    with pytest.raises(BuildError, match=message):
        build(content, previous, templates)
    assert snapshot(previous) == before
    assert leftovers(previous) == []


def test_cli_reports_a_broken_template_with_exit_1(
        previous: Path, content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "base.html").write_text("{% block main %}{% endblock\n", encoding="utf-8")
    before = snapshot(previous)
    assert cli_build(content, previous, templates) == 1
    assert "build failed: template base.html" in capsys.readouterr().err
    assert snapshot(previous) == before
    assert leftovers(previous) == []


# ---- (e) output collisions ----

def test_a_page_colliding_with_a_built_in_page_is_an_error(previous: Path, tmp_path: Path) -> None:
    page = "---\ntitle: Evidence\nsummary: A page that takes the evidence list's address.\n---\nText.\n"
    clashing = make_content(tmp_path / "clash", {"pages/evidence.md": page})
    before = snapshot(previous)
    result = build_site(clashing, previous, TEMPLATES, today=BUILD_DAY)
    assert not result.ok
    errors = [item for item in result.load.diagnostics if item.severity == "error"]
    assert [(item.path.rsplit("content/", 1)[-1], item.field, item.message) for item in errors] == [
        ("pages/evidence.md", "output", "its page /evidence/ is also claimed by a built-in page")]
    assert snapshot(previous) == before


def test_two_sources_claiming_one_address_are_both_named(tmp_path: Path) -> None:
    taxonomy = ("name: About\ndescription: What a source is about.\n"
                "terms:\n  - id: care\n    name: Care\n    description: Care services.\n")
    clashing = make_content(tmp_path, {"taxonomies/about.yml": taxonomy})
    out = tmp_path / "out"
    result = build_site(clashing, out, TEMPLATES, today=BUILD_DAY)
    assert not result.ok
    errors = sorted((item.path.rsplit("content/", 1)[-1], item.message)
                    for item in result.load.diagnostics if item.severity == "error")
    assert [(path, message.rsplit("content/", 1)[-1]) for path, message in errors] == [
        ("pages/about.md", "taxonomies/about.yml"), ("taxonomies/about.yml", "pages/about.md")]
    assert all("its page /about/ is also claimed by" in message for _path, message in errors)
    assert not out.exists()


# ---- (f) refusing a wrong output folder ----

def test_refuses_a_folder_that_is_not_a_previous_build(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "my-documents"
    foreign.mkdir()
    (foreign / "thesis.txt").write_text("years of work", encoding="utf-8")
    before = snapshot(foreign)
    assert cli_build(content, foreign) == 2
    assert "not made by coprod-site build" in capsys.readouterr().err
    assert snapshot(foreign) == before
    assert leftovers(foreign) == []
    with pytest.raises(UsageError):
        build(content, foreign)
    assert snapshot(foreign) == before


def test_refuses_to_build_into_the_folder_holding_the_content(
        content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = content.parent
    before = snapshot(project)
    assert cli_build(content, project) == 2
    assert f"it contains {content}" in capsys.readouterr().err
    assert snapshot(project) == before
    assert sorted(path.name for path in project.iterdir()) == ["content"]


def test_refuses_to_build_over_the_templates(content: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    before = snapshot(templates)
    assert cli_build(content, templates, templates) == 2
    assert snapshot(templates) == before


def test_an_empty_folder_may_be_built_into(content: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert cli_build(content, empty) == 0
    assert (empty / MARKER).is_file() and (empty / "index.html").is_file()


def test_a_complete_earlier_build_without_its_marker_is_replaced(previous: Path, content: Path) -> None:
    """A crash of an older version could leave a whole build without the marker: still ours."""
    (previous / MARKER).unlink()
    assert build(content, previous, search=False)
    assert (previous / MARKER).is_file() and leftovers(previous) == []


def test_a_folder_with_only_some_of_the_built_in_pages_is_refused(content: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "notes"
    foreign.mkdir()
    (foreign / "index.html").write_text("my own page", encoding="utf-8")
    (foreign / "robots.txt").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="not made by coprod-site build"):
        build(content, foreign, search=False)


def test_build_folders_of_dead_builds_are_removed(previous: Path, content: Path) -> None:
    for name in (".out.building-4242-0badc0de", ".out.building-7-00000000", ".out.building"):
        dead = previous.parent / name
        (dead / "evidence").mkdir(parents=True)
        (dead / "evidence" / "half.html").write_text("interrupted", encoding="utf-8")
    assert build(content, previous, search=False)
    assert leftovers(previous) == []


def test_the_lock_file_stays_beside_the_output_folder_and_is_ignored_by_git(previous: Path) -> None:
    lock = previous.parent / ".out-build.lock"
    assert lock.is_file() and lock.stat().st_size == 0
    paths = ["._site-build.lock", ".cache/coprod-site/x", "._site.building-1-ab/x"]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *paths], cwd=REPO, capture_output=True,
                             text=True, check=False)
    assert ignored.stdout.split() == paths


@pytest.mark.parametrize(("error", "text"), [
    (OSError(28, "No space left on device", "_site/index.html"), "_site/index.html: No space left on device"),
    (PermissionError(13, "Permission denied", b"/srv/out"), "/srv/out: Permission denied"),
    (OSError(30, "Read-only file system"), "Read-only file system"),
])
def test_an_os_error_is_one_line_naming_the_path(error: OSError, text: str) -> None:
    assert os_error_text(error) == text


def test_a_file_is_written_whole_when_the_system_takes_part_of_it_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`write` may take fewer bytes than it is given (a signal, a pipe, some file systems): the
    rest is written too, and the file replaces what was there."""
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda handle, data: real_write(handle, bytes(data[:1000])))
    data = bytes(range(256)) * 40
    (tmp_path / "page.html").write_bytes(b"an older, longer page" * 1000)
    write_file(str(tmp_path / "page.html"), data)
    assert (tmp_path / "page.html").read_bytes() == data
    with pytest.raises(OSError, match="missing"):
        write_file(tmp_path / "missing" / "page.html", data)


def test_an_output_folder_that_is_a_link_is_replaced_by_the_build(previous: Path, content: Path) -> None:
    """A published path that was a symbolic link to a build becomes the new build; the folder the
    link pointed to is left alone."""
    link = previous.parent / "linked"
    link.symlink_to(previous)
    before = snapshot(previous)
    assert build(content, link, search=False)
    assert not link.is_symlink() and (link / MARKER).is_file()
    assert snapshot(previous) == before and leftovers(link) == []
