"""The search index kept up to date page by page, and the same bytes whatever the file system.

A library of 20 generated records and the fixture's three prose pages is built with its index
in bundles of at most 6 pages (four bundles). Its pages are then edited, added and removed in
the built folder itself, as the dev server rewrites them, and `update_index` must leave every
bundle byte for byte as `index_site` makes it from scratch over the same pages, indexing again
only the bundles whose shard changed. The count of Pagefind runs is read by wrapping the
function that starts one.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import queue
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import cbor2
import pytest

import coprod_site.search.pagefind
import coprod_site.search.update
from conftest import build_into
from content_factory import make_content, record
from coprod_site.errors import BuildError
from coprod_site.search import IndexMemo, index_site, update_index
from coprod_site.search.canonical import SIGNATURE, decode_index_file
from coprod_site.search.service import _END, _read_answers, index_pages
from coprod_site.search.verify import _chunk, verify_bundle
from coprod_site.search.vocabulary import pagefind_ranges
from test_search_index import bundle_words, indexed_urls

SHARD_PAGES = 6
RECORDS = 20
GLOB = "{about/index.html,accessibility/index.html,contribute/index.html,evidence/*/index.html}"
FIXTURE_RECORDS = ("peer-support-evaluation", "shared-budget-pilot", "youth-panel-interviews")
NEW_WORD = "quorzlewhistle"


def _record(number: int) -> str:
    return record(title=f"title: Orchard study {number}",
                  body=f"## What the source looked at\n\nAn orchard, number {number}, word{number}x.\n")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built library, its index in four bundles; tests work on copies of it."""
    base = tmp_path_factory.mktemp("update")
    generated = {f"evidence/orchard-{number:02d}.md": _record(number) for number in range(RECORDS)}
    content = make_content(base, generated, remove=[f"evidence/{name}.md" for name in FIXTURE_RECORDS])
    return build_into(content, base / "site", shard_pages=SHARD_PAGES)


def bundle_bytes(site: Path) -> dict[str, str]:
    """Every file of every search bundle of `site`, with the SHA-256 of its bytes."""
    return {path.relative_to(site).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for folder in sorted(site.glob("pagefind*"))
            for path in sorted(folder.rglob("*")) if path.is_file()}


def fresh_index(site: Path, where: Path) -> dict[str, str]:
    """The bundles `index_site` makes from scratch over a copy of `site`'s pages, in `where`."""
    copy = where / "fresh"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind*"))
    index_site(copy, GLOB, shard_pages=SHARD_PAGES)
    return bundle_bytes(copy)


@pytest.fixture
def site(library: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(library, tmp_path / "site"))


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch) -> list[Sequence[str]]:
    """The pages of each Pagefind run, in the order the runs start."""
    started: list[Sequence[str]] = []

    def counted(executable: Path, folder: Path, pages: Sequence[str], **options: Any) -> Any:
        started.append(pages)
        return index_pages(executable, folder, pages, **options)

    monkeypatch.setattr(coprod_site.search.pagefind, "index_pages", counted)
    return started


def edit(site: Path) -> list[str]:
    page = site / "evidence" / "orchard-07" / "index.html"
    text = page.read_text(encoding="utf-8")
    assert "word7x" in text
    page.write_text(text.replace("word7x", NEW_WORD), encoding="utf-8")
    return ["evidence/orchard-07/index.html"]


def add(site: Path) -> list[str]:
    source = (site / "evidence" / "orchard-03" / "index.html").read_text(encoding="utf-8")
    (site / "evidence" / "orchard-03b").mkdir()
    (site / "evidence" / "orchard-03b" / "index.html").write_text(
        source.replace("word3x", NEW_WORD).replace("orchard-03", "orchard-03b"), encoding="utf-8")
    return ["evidence/orchard-03b/index.html"]


def remove(site: Path) -> list[str]:
    shutil.rmtree(site / "evidence" / "orchard-12")
    return ["evidence/orchard-12/index.html"]


def remove_many(site: Path) -> list[str]:
    gone = [f"evidence/orchard-{number:02d}/index.html" for number in range(8, 20)]
    for page in gone:
        shutil.rmtree((site / page).parent)
    return gone


def edit_and_remove(site: Path) -> list[str]:
    return edit(site) + remove(site)


CHANGES: list[tuple[Callable[[Path], list[str]], int]] = [
    (edit, 1),  # the one shard holding the page
    (add, 1),  # the first shard takes the sixth page; the others keep theirs
    (remove, 2),  # the third shard loses it and takes the fourth's first record
    (remove_many, 2),  # 11 pages left: two bundles, the others' folders removed
    (edit_and_remove, 3),
]


@pytest.mark.parametrize(("change", "expected_runs"), CHANGES, ids=[change.__name__ for change, _ in CHANGES])
def test_an_update_leaves_the_bundles_a_fresh_index_would_make(
        site: Path, tmp_path: Path, runs: list[Sequence[str]],
        change: Callable[[Path], list[str]], expected_runs: int) -> None:
    changed = change(site)
    report = update_index(site, GLOB, changed, shard_pages=SHARD_PAGES)
    assert len(runs) == expected_runs
    expected = fresh_index(site, tmp_path)
    assert bundle_bytes(site) == expected
    assert report.pages == sum(len(indexed_urls(site, bundle)) for bundle in report.bundles)
    folders = sorted(path.name for path in site.iterdir() if path.name.startswith("pagefind"))
    assert folders == sorted(name.rstrip("/") for name in report.bundles), "no other bundle folder is left"


def test_an_edit_re_indexes_only_the_shard_holding_the_page_and_shares_its_new_word(
        site: Path, runs: list[Sequence[str]]) -> None:
    before = bundle_bytes(site)
    update_index(site, GLOB, edit(site), shard_pages=SHARD_PAGES)
    assert len(runs) == 1 and "evidence/orchard-07/index.html" in runs[0]
    holding = [bundle for bundle in ("pagefind/", "pagefind-2/", "pagefind-3/", "pagefind-4/")
               if "/evidence/orchard-07/" in indexed_urls(site, bundle)]
    assert len(holding) == 1
    (stem,) = {word for word in bundle_words(site / holding[0]) if word.startswith(NEW_WORD[:8])}
    assert NEW_WORD.startswith(stem)
    for bundle in ("pagefind", "pagefind-2", "pagefind-3", "pagefind-4"):
        assert stem in bundle_words(site / bundle), f"{bundle} shares the new word"
    after = bundle_bytes(site)
    fragments = {name for name in after if "/fragment/" in name}
    assert {name for name in fragments if not name.startswith(holding[0])} <= set(before), (
        "the other bundles' pages are not indexed again")


def test_an_update_without_changes_runs_no_pagefind_and_writes_nothing(
        site: Path, runs: list[Sequence[str]]) -> None:
    before = {path: path.stat().st_mtime_ns for path in site.rglob("*") if path.is_file()}
    update_index(site, GLOB, ["evidence/orchard-07/feed.xml"], shard_pages=SHARD_PAGES)
    assert runs == []
    assert {path: path.stat().st_mtime_ns for path in site.rglob("*") if path.is_file()} == before


@pytest.fixture
def memory_folder() -> Iterator[Path]:
    """A folder on tmpfs, which lists files in another order than ext4."""
    folder = Path(tempfile.mkdtemp(dir="/dev/shm"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def test_the_bundles_are_the_same_bytes_on_tmpfs_and_on_disk(
        library: Path, tmp_path: Path, memory_folder: Path) -> None:
    on_disk = fresh_index(library, tmp_path)
    in_memory = fresh_index(library, memory_folder)
    assert on_disk == in_memory
    assert on_disk == bundle_bytes(library), "the build's own index is the same"


def test_a_word_found_only_through_its_variants_is_the_bundle_s_own_not_a_shared_one() -> None:
    own = [["yard", [[1, [-121, 3], []]], []], ["zoe", [], [["zoë", [[2, [-121, 32], []]]]]]]
    shared = [["zone", [], []]]
    data = gzip.compress(SIGNATURE + cbor2.dumps([own + shared]), mtime=0)
    chunk = _chunk("en_0123456", data)
    assert chunk.own == ("yard", "zoe")
    assert chunk.added == ("zone",)


def test_the_word_ranges_are_those_pagefind_gives(tmp_path: Path) -> None:
    """Pagefind cuts the ranges of neighbouring chunks to their shortest distinct prefixes; the
    vocabulary step computes them again from the words and must agree (here over many chunks)."""
    pages = []
    for number in range(60):
        words = " ".join(f"w{(number * 7919 + index * 104729) % 99991:05d}{chr(97 + index % 26)}"
                         for index in range(400))
        (tmp_path / f"p{number:02d}").mkdir()
        (tmp_path / f"p{number:02d}" / "index.html").write_text(
            f'<!DOCTYPE html><html lang="en"><head><title>P{number}</title></head>'
            f"<body><p>{words}</p></body></html>", encoding="utf-8")
        pages.append(f"p{number:02d}/index.html")
    files = index_pages(coprod_site.search.pagefind.pagefind_executable(), tmp_path, pages)
    bundle = verify_bundle(dict(files), tmp_path / "pagefind")
    (language,) = bundle.chunks
    meta = decode_index_file(files[next(name for name in files if name.endswith(".pf_meta"))])
    assert len(meta[2]) > 3, "several chunks"
    assert [(first, last) for first, last, _ in meta[2]] == pagefind_ranges(bundle.chunks[language])


@pytest.mark.parametrize("cut", ["index/", "fragment/", "filter/", "pagefind.js"])
def test_a_cut_or_missing_file_in_pagefind_s_answer_is_a_build_error(library: Path, cut: str) -> None:
    pages = ["about/index.html", "evidence/orchard-01/index.html"]
    files = index_pages(coprod_site.search.pagefind.pagefind_executable(), library, pages)
    name = next(name for name in sorted(files) if name.startswith(cut))
    if name == "pagefind.js":
        del files[name]
        reason = "it is missing"
    else:
        files[name] = files[name][: len(files[name]) // 2]
        reason = "it cannot be read"
    with pytest.raises(BuildError) as raised:
        verify_bundle(files, library / "pagefind")
    where = library / "pagefind" / name
    assert str(raised.value).startswith(f"Pagefind's output is incomplete: {where}: {reason}")


class _Trickle(io.RawIOBase):
    """A pipe that gives at most 7 bytes a read."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(7, len(buffer), len(self.data))
        buffer[:size], self.data = self.data[:size], self.data[size:]
        return size


def _framed(value: dict[str, Any]) -> bytes:
    return base64.b64encode(json.dumps(value).encode("utf-8")) + b","


def test_the_service_s_answers_are_read_across_reads_and_past_printed_lines() -> None:
    """Answers arrive cut anywhere by the pipe; a line Pagefind prints before one is set aside."""
    first = {"message_id": 1, "payload": {"type": "NewIndex"}}
    second = {"message_id": 2, "payload": {"type": "GetFiles", "files": [{"path": "a", "content": "y" * 99}]}}
    data = b"Pagefind: a warning\n" + _framed(first) + _framed(second) + b"Running Pagefind\n"
    stream = io.BufferedReader(_Trickle(data))
    answers: queue.Queue[Any] = queue.Queue()
    leftover: list[bytes] = []
    _read_answers(stream, answers, leftover)
    assert [answers.get_nowait(), answers.get_nowait()] == [first, second]
    assert answers.get_nowait() is _END and answers.empty()
    assert leftover == [b"Pagefind: a warning", b"Running Pagefind\n"]


def held_as_read_back(site: Path, memo: IndexMemo) -> None:
    """Assert that `memo` holds each bundle of `site` as reading it back from the folder gives it
    (its fragments aside), and the pages each bundle indexed."""
    assert memo.known
    assert sorted(memo.bundles) == sorted(f"{path.name}/" for path in site.glob("pagefind*"))
    for name, held in memo.bundles.items():
        files = {path.relative_to(site / name).as_posix(): path.read_bytes()
                 for path in sorted((site / name).rglob("*")) if path.is_file()}
        read = verify_bundle(dict(files), site / name, canonical=True)
        assert held.files == {path: data for path, data in files.items() if not path.startswith("fragment/")}
        assert held.chunks == read.chunks, f"{name}: the chunks held are those in the folder"
        assert held.pages == read.pages
        assert held.canonical
        assert {"/" + page.removesuffix("index.html") for page in memo.shards[name]} == set(
            indexed_urls(site, name))


def test_index_site_leaves_in_its_memo_each_bundle_as_it_wrote_it(site: Path) -> None:
    memo = IndexMemo()
    index_site(site, GLOB, shard_pages=SHARD_PAGES, memo=memo)
    held_as_read_back(site, memo)


@pytest.fixture
def no_reading_back(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a bundle back from the folder fails the test."""
    def refused(bundle: Path) -> None:
        raise AssertionError(f"{bundle} was read back")

    monkeypatch.setattr(coprod_site.search.update, "_read_files", refused)


def test_updates_from_the_memo_read_no_bundle_back_and_leave_what_a_fresh_index_makes(
        site: Path, tmp_path: Path, runs: list[Sequence[str]], no_reading_back: None) -> None:
    memo = IndexMemo()
    index_site(site, GLOB, shard_pages=SHARD_PAGES, memo=memo)
    runs.clear()
    for step, change in enumerate((edit, add, remove_many)):
        report = update_index(site, GLOB, change(site), shard_pages=SHARD_PAGES, memo=memo)
        assert 0 < len(runs) <= len(report.bundles)
        assert change is not edit or len(runs) == 1, "an edit indexes the one shard holding the page again"
        assert bundle_bytes(site) == fresh_index(site, tmp_path / str(step)), change.__name__
        held_as_read_back(site, memo)
        runs.clear()
    assert not list(site.rglob(".*.tmp")), "no file is left half-way"


def test_an_update_in_place_rewrites_only_the_files_whose_bytes_change(site: Path) -> None:
    memo = IndexMemo()
    index_site(site, GLOB, shard_pages=SHARD_PAGES, memo=memo)
    before = {path: (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns)
              for path in site.rglob("pagefind*/**/*") if path.is_file()}
    update_index(site, GLOB, edit(site), shard_pages=SHARD_PAGES, memo=memo)
    after = {path: (path.read_bytes(), path.stat().st_ino, path.stat().st_mtime_ns)
             for path in site.rglob("pagefind*/**/*") if path.is_file()}
    same = [path for path in after if path in before and before[path][0] == after[path][0]]
    assert len(same) > len(after) / 2, "most files (the other bundles' fragments) stay as they are"
    assert [path for path in same if before[path] != after[path]] == []
    assert any(path.name == "pagefind-entry.json" for path in set(after) - set(same))


def test_a_failed_update_leaves_the_memo_empty_and_the_next_one_reads_the_folder(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    memo = IndexMemo()
    index_site(site, GLOB, shard_pages=SHARD_PAGES, memo=memo)
    changed = edit(site)

    def full(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device", str(path))

    with monkeypatch.context() as patched:
        patched.setattr(coprod_site.search.update, "replace_file", full)
        with pytest.raises(OSError, match="No space left"):
            update_index(site, GLOB, changed, shard_pages=SHARD_PAGES, memo=memo)
    assert not memo.known
    update_index(site, GLOB, None, shard_pages=SHARD_PAGES, memo=memo)
    assert bundle_bytes(site) == fresh_index(site, tmp_path)
    held_as_read_back(site, memo)
