"""Rendering in several processes gives exactly the output of one, and a failure in any
process fails the whole build without touching the previous site."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import BUILD_DAY, REAL_CONTENT, TEMPLATES
from content_factory import make_content, record
from coprod_site.build import BuildOptions, build_site
from coprod_site.errors import BuildError
from coprod_site.load import load_site
from coprod_site.load.records import PARALLEL_FROM
from coprod_site.model import OutputKind as Kind
from coprod_site.parallel import map_shared
from coprod_site.render import batch_jobs, render_site
from coprod_site.search import index_site
from test_build_safety import leftovers, snapshot


@pytest.mark.parametrize("source", ["fixture", "real"])
def test_one_and_two_workers_write_identical_sites(tmp_path: Path, source: str) -> None:
    content = make_content(tmp_path / "c") if source == "fixture" else REAL_CONTENT
    one, two = tmp_path / "one", tmp_path / "two"
    assert build_site(content, one, TEMPLATES, today=BUILD_DAY,
                      options=BuildOptions(search=False, workers=1)).ok
    assert build_site(content, two, TEMPLATES, today=BUILD_DAY,
                      options=BuildOptions(search=False, workers=2)).ok
    assert snapshot(one) == snapshot(two)
    assert len(snapshot(one)) > 50


def test_jobs_come_in_batches_with_open_data_together_in_the_first(tmp_path: Path) -> None:
    loaded = build_site(REAL_CONTENT, tmp_path / "out", TEMPLATES, today=BUILD_DAY,
                        options=BuildOptions(search=False)).load
    jobs = [output for output in loaded.outputs if output.kind is not Kind.FILE]
    batches = batch_jobs(jobs, 7)
    assert sorted(job.url for batch in batches for job in batch) == sorted(job.url for job in jobs)
    data_kinds = {Kind.DATA, Kind.DATA_FILE}
    assert {output.kind for output in batches[0]} == data_kinds
    assert all(output.kind not in data_kinds for batch in batches[1:] for output in batch)
    assert all(1 <= len(batch) <= 7 for batch in batches[1:])
    assert batch_jobs([], 7) == []


def test_processes_taking_shared_batches_take_each_item_once_and_the_quick_take_more() -> None:
    def work(items: Iterator[int]) -> list[tuple[int, int]]:
        taken = []
        for item in items:
            if os.getpid() != parent:
                started.set()
            else:  # this process is slow, once the other has started: the other takes the most
                started.wait(10)
                time.sleep(0.02)
            taken.append((os.getpid(), item))
        return taken
    parent = os.getpid()
    started = multiprocessing.get_context("fork").Event()
    shares = map_shared(work, [[number, number + 1000] for number in range(40)], 2)
    items = sorted(item for share in shares for _, item in share)
    assert items == sorted([*range(40), *range(1000, 1040)])
    assert len(shares) == 2 and len(shares[1]) > 2 * len(shares[0]) > 0
    assert map_shared(work, [], 2) == [[]]


def test_a_template_failing_in_the_second_process_fails_the_build(tmp_path: Path) -> None:
    content = make_content(tmp_path / "c")
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    term = templates / "term.html"  # rendered in both processes; fails on every term page
    term.write_text(term.read_text(encoding="utf-8").replace("<h1>", "<h1>{{ 1 // 0 }}", 1), encoding="utf-8")
    out = tmp_path / "out"
    assert build_site(content, out, TEMPLATES, today=BUILD_DAY, options=BuildOptions(search=False)).ok
    before = snapshot(out)
    with pytest.raises(BuildError, match=r"term\.html, line \d+: ZeroDivisionError"):
        build_site(content, out, templates, today=BUILD_DAY, options=BuildOptions(search=False, workers=2))
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_loading_in_two_processes_finds_the_same_records_and_problems(tmp_path: Path) -> None:
    many = {f"evidence/generated-{number:04d}.md": record(title=f"title: Generated record {number}")
            for number in range(PARALLEL_FROM + 20)}
    many["evidence/generated-0007.md"] = record(year="year: soon")
    many["evidence/generated-0008.md"] = record(url="url: ftp://example.org/")
    content = make_content(tmp_path, many)
    one = load_site(content, today=BUILD_DAY, display_root=content.parent, workers=1)
    two = load_site(content, today=BUILD_DAY, display_root=content.parent, workers=2)
    assert [(d.path, d.line, d.message) for d in two.diagnostics] == [
        (d.path, d.line, d.message) for d in one.diagnostics]
    assert [d.path.rsplit("/", 1)[-1] for d in one.diagnostics if d.severity == "error"] == [
        "generated-0007.md", "generated-0008.md"]
    valid = make_content(tmp_path / "valid", {name: text for name, text in many.items()
                                              if name not in ("evidence/generated-0007.md",
                                                              "evidence/generated-0008.md")})
    first = load_site(valid, today=BUILD_DAY, display_root=valid.parent, workers=1)
    second = load_site(valid, today=BUILD_DAY, display_root=valid.parent, workers=2)
    assert first.site is not None and second.site is not None
    assert first.site.records == second.site.records
    assert len(first.site.records) == PARALLEL_FROM + 18 + 3


def test_what_the_render_left_is_freed_before_the_search_step_starts(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The render's cycles would stay in memory while Pagefind's processes run (170 MB at 50,000
    records): when the search step starts, a collection finds nothing left to free."""
    unreachable: list[int] = []

    def counting_first(folder: Path, glob: str, **options: Any) -> Any:
        unreachable.append(gc.collect())
        return index_site(folder, glob, **options)

    monkeypatch.setattr("coprod_site.build.index_site", counting_first)
    assert build_site(REAL_CONTENT, tmp_path / "out", TEMPLATES, today=BUILD_DAY,
                      options=BuildOptions(workers=1)).ok
    assert unreachable == [0]


@pytest.mark.parametrize("fails", [False, True])
def test_the_collector_passes_over_the_loaded_site_while_rendering_and_only_then(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: bool) -> None:
    """The loaded site is frozen for the collector during the render (its full runs need not walk
    it again), and given back afterwards, a failed render too (a dev server's old sites are freed)."""
    frozen: list[int] = []

    def counting_render(*args: Any, **options: Any) -> Any:
        frozen.append(gc.get_freeze_count())
        if fails:
            raise BuildError("the render failed")
        return render_site(*args, **options)

    monkeypatch.setattr("coprod_site.build.render_site", counting_render)
    before = gc.get_freeze_count()
    options = BuildOptions(search=False, workers=1)
    if fails:
        with pytest.raises(BuildError, match="the render failed"):
            build_site(REAL_CONTENT, tmp_path / "out", TEMPLATES, today=BUILD_DAY, options=options)
    else:
        assert build_site(REAL_CONTENT, tmp_path / "out", TEMPLATES, today=BUILD_DAY, options=options).ok
    assert len(frozen) == 1 and frozen[0] > before + 10_000  # the site's records, terms and plan
    assert gc.get_freeze_count() == before
