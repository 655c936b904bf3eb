"""The dev server's in-place builds: after any sequence of saves its folder is byte for byte a
fresh build of the same content, search index included; an invalid save keeps the last good pages
and says why; a deleted record's page goes and a created record joins the lists.

Each test runs `serve` in a thread over a private library, rebuilding with `Preview` as
`coprod-site serve` does. After each save the test waits until a build that started after the
save has finished (`Harness.settle`), so every step is seen by the server on its own.
"""

from __future__ import annotations

import gzip
import json
import queue
import random
import re
import shutil
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Page, expect

import coprod_site.output_folder
import coprod_site.search.update
from conftest import BUILD_DAY, TEMPLATES
from content_factory import make_content, record
from coprod_site.build import BuildOptions, build_site
from coprod_site.follow_up import SearchFollower, SearchState
from coprod_site.preview import Preview
from coprod_site.serve import STATUS_PATH, report_text, serve
from coprod_site.serve.watch import Snapshot, snapshot

DEADLINE = 60.0  # seconds: a search index of the test library takes a few
POLL = 0.02
SHARD = 20  # pages per search bundle, so creations and deletions change how many bundles there are
_SERVING = re.compile(r"http://127\.0\.0\.1:\d+/")
PRINCIPLES = ("equality", "reciprocity", "accessibility")
BENEFITS = ("empowerment", "connection", "efficiency")
METHODS = ("survey", "case-studies", "interviews")
ORGANISATIONS = ("example-trust", "sample-council")


@dataclass
class Harness:
    """A running dev server over `base`/content, and what its last finished build had seen."""

    base: Path
    templates: Path = TEMPLATES
    root: str = ""
    built: Snapshot | None = None
    follower: SearchFollower | None = None
    messages: queue.Queue[str] = field(default_factory=queue.Queue)

    @property
    def content(self) -> Path:
        return self.base / "content"

    @property
    def out(self) -> Path:
        return self.base / "_site"

    def settle(self) -> dict[str, Any]:
        """Wait until a build that began after the last save has finished; the status then."""
        end = time.monotonic() + DEADLINE
        while self.built != snapshot((self.content, self.templates)):
            assert time.monotonic() < end, "the server never built the last save"
            time.sleep(POLL)
        return self.status()

    def status(self) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.fetch(STATUS_PATH.lstrip("/"))))

    def search_current(self) -> None:
        end = time.monotonic() + DEADLINE
        while (state := self.status()["search"]["state"]) != "current":
            assert state != "failed" and time.monotonic() < end, f"the search index is {state}"
            time.sleep(POLL)

    def fetch(self, url: str) -> str:
        with urllib.request.urlopen(self.root + url, timeout=DEADLINE) as response:
            return cast(bytes, response.read()).decode("utf-8")

    def missing(self, url: str) -> bool:
        try:
            self.fetch(url)
        except HTTPError as error:
            error.close()
            return error.code == 404
        return False


@contextmanager
def dev_server(base: Path, templates: Path = TEMPLATES) -> Iterator[Harness]:
    """`serve` over `base`/content with `Preview`'s builds, as the command line runs it."""
    harness = Harness(base, templates)
    follower = harness.follower = SearchFollower()
    options = BuildOptions(working_folder=base, shard_pages=SHARD, workers=2)
    preview = Preview(harness.content, harness.out, templates, today=lambda: BUILD_DAY, options=options,
                      search=follower)

    def run_build() -> tuple[bool, str]:
        seen = snapshot((harness.content, templates))
        result = preview.build().result
        harness.built = seen
        return result.ok, report_text(result.load.diagnostics)

    stop, failure = threading.Event(), []

    def run() -> None:
        try:
            serve(run_build, out=harness.out, watch=(harness.content, templates), port=0,
                  announce=harness.messages.put, stop=stop, interval=POLL,
                  search=follower.status)
        except BaseException as error:  # reported by the test, not lost in the thread
            failure.append(error)

    thread = threading.Thread(target=run, name="coprod-site serve")
    thread.start()
    try:
        found = _SERVING.search(harness.messages.get(timeout=DEADLINE))
        assert found, "the first announcement names no address"
        harness.root = found[0]
        yield harness
    finally:
        stop.set()
        thread.join(timeout=DEADLINE)
        follower.stop()
    assert not thread.is_alive() and not failure, failure


def folder_files(folder: Path) -> dict[str, bytes]:
    """Every file below `folder`: its relative path and its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _record_text(rng: random.Random, number: int) -> str:
    return record(
        title=f"title: Study {number} of {rng.choice(['garden', 'panel', 'budget', 'forum'])} work",
        year=f"year: {rng.randint(2001, 2025)}",
        added=f"added: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
        principles=f"principles: [{', '.join(rng.sample(PRINCIPLES, rng.randint(1, 2)))}]",
        benefits=f"benefits: [{rng.choice(BENEFITS)}]", methods=f"methods: [{rng.choice(METHODS)}]",
        organisations=f"organisations: [{rng.choice(ORGANISATIONS)}]",
        body=f"## What the source looked at\n\nStudy {number}: {rng.random()}.\n")


def _edit(rng: random.Random, text: str, kind: str) -> str:
    """`text` (a record made by `_record_text`) with one kind of change."""
    if kind == "body":
        return text + f"\nA further paragraph, {rng.random()}.\n"
    if kind == "title":
        title = f"title: {rng.choice(['Aa', 'Mm', 'Zz'])} renamed {rng.random()}"
        return re.sub(r"(?m)^title: .*$", title, text)
    if kind == "terms":
        return re.sub(r"(?m)^principles: .*$", f"principles: [{rng.choice(PRINCIPLES)}]", text)
    return re.sub(r"(?m)^year: .*$", f"year: {rng.randint(2001, 2025)}", text)


STEPS = ("body", "title", "terms", "year", "create", "delete", "invalid")


def test_after_any_sequence_of_saves_the_served_folder_is_a_fresh_build(tmp_path: Path) -> None:
    rng = random.Random(16)
    texts = {f"evidence/study-{number}.md": _record_text(rng, number) for number in range(48)}
    make_content(tmp_path, texts)
    created = 48
    with dev_server(tmp_path) as server:
        assert server.settle()["errors"] == ""
        for _ in range(22):
            step, rel = rng.choice(STEPS), rng.choice(sorted(texts))
            path, url = server.content / rel, f"evidence/{Path(rel).stem}/"
            if step == "create":
                rel, created = f"evidence/study-{created}.md", created + 1
                texts[rel] = _record_text(rng, created)
                (server.content / rel).write_text(texts[rel], encoding="utf-8")
            elif step == "delete":
                path.unlink()
                del texts[rel]
            elif step == "invalid":
                before = server.fetch(url)
                path.write_text(texts[rel].replace("year: ", "year: soon #", 1), encoding="utf-8")
                assert f"content/{rel}:3:7: error: year:" in server.settle()["errors"]
                assert server.fetch(url) == before, "the last good page stays"
                path.write_text(texts[rel], encoding="utf-8")
            else:
                texts[rel] = _edit(rng, texts[rel], step)
                path.write_text(texts[rel], encoding="utf-8")
            assert server.settle()["errors"] == "", step
            if step == "delete":
                assert server.missing(url)
        server.search_current()
        served = folder_files(server.out)
    fresh = build_site(server.content, tmp_path / "fresh", TEMPLATES, today=BUILD_DAY,
                       options=BuildOptions(working_folder=tmp_path, shard_pages=SHARD))
    assert fresh.ok
    expected = folder_files(tmp_path / "fresh")
    assert sorted(served) == sorted(expected)
    assert [path for path in expected if served[path] != expected[path]] == []


@pytest.fixture
def fixture_server(tmp_path: Path) -> Iterator[Harness]:
    make_content(tmp_path)
    with dev_server(tmp_path) as server:
        assert server.settle() == {"generation": 1, "errors": "",
                                   "search": {"current": True, "state": "current"}}
        yield server


RECORD = "evidence/peer-support-evaluation.md"
RECORD_URL = "evidence/peer-support-evaluation/"


def test_an_invalid_save_keeps_the_last_good_pages_and_reports_the_problem(fixture_server: Harness) -> None:
    page, listing = fixture_server.fetch(RECORD_URL), fixture_server.fetch("evidence/")
    path = fixture_server.content / RECORD
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2024", "year: soon"), encoding="utf-8")
    status = fixture_server.settle()
    assert status["generation"] == 1
    assert "content/evidence/peer-support-evaluation.md:3:7: error: year:" in status["errors"]
    assert (fixture_server.fetch(RECORD_URL), fixture_server.fetch("evidence/")) == (page, listing)


def test_a_deleted_record_goes_and_a_created_one_joins_the_lists(fixture_server: Harness) -> None:
    assert "Evaluation of a peer support network" in fixture_server.fetch("evidence/")
    (fixture_server.content / RECORD).unlink()
    (fixture_server.content / "evidence/new-garden-study.md").write_text(
        record(title="title: A newly written garden study"), encoding="utf-8")
    status = fixture_server.settle()
    assert (status["generation"], status["errors"]) == (2, "")
    assert fixture_server.missing(RECORD_URL)
    assert not (fixture_server.out / RECORD_URL / "index.html").exists()
    listing = fixture_server.fetch("evidence/")
    assert "A newly written garden study" in listing
    assert "Evaluation of a peer support network" not in listing
    assert "A newly written garden study" in fixture_server.fetch("principles/equality/")
    assert "A newly written garden study" in fixture_server.fetch("evidence/new-garden-study/")


def hold_follow_up(server: Harness, monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Make the server's follow-up work (downloads, then the search index) wait until the event
    returned is set, so a test sees the state in between however fast the work is."""
    follower, may_finish = server.follower, threading.Event()
    assert follower is not None
    follow = follower.follow

    def follow_when_allowed(work: Callable[[], None]) -> None:
        def gated() -> None:
            may_finish.wait(DEADLINE)
            work()
        follow(gated)

    monkeypatch.setattr(follower, "follow", follow_when_allowed)
    return may_finish


def test_the_status_says_when_the_search_index_is_updating(fixture_server: Harness,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages do not wait for the index: while the index work has not finished, the status
    says it is updating; once it has, current again, with an index of the edited page."""
    entry = fixture_server.out / "pagefind" / "pagefind-entry.json"
    before = entry.read_bytes()
    may_finish = hold_follow_up(fixture_server, monkeypatch)
    path = fixture_server.content / RECORD
    path.write_text(path.read_text(encoding="utf-8") + "\nA word only here: quixotically.\n",
                    encoding="utf-8")
    status = fixture_server.settle()
    assert status["generation"] == 2 and status["search"] == {"current": False, "state": "updating"}
    assert "quixotically" in fixture_server.fetch(RECORD_URL)
    assert entry.read_bytes() == before
    may_finish.set()
    fixture_server.search_current()
    assert entry.read_bytes() != before


def test_an_open_page_shows_while_the_search_index_is_updating(
        fixture_server: Harness, monkeypatch: pytest.MonkeyPatch, page: Page) -> None:
    """The page reloaded after a save says the search index and downloads are updating, and stops
    saying so once they are current."""
    may_finish = hold_follow_up(fixture_server, monkeypatch)
    page.goto(fixture_server.root + RECORD_URL)
    badge = page.get_by_role("status").filter(has_text="search index and downloads updating")
    expect(badge).to_have_count(0)
    path = fixture_server.content / RECORD
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: Evaluation of a peer support network",
                                 "title: Renamed while the index waits"), encoding="utf-8")
    expect(page.locator("h1")).to_have_text("Renamed while the index waits", timeout=DEADLINE * 1000)
    expect(badge).to_be_visible(timeout=DEADLINE * 1000)
    may_finish.set()
    expect(badge).to_have_count(0, timeout=DEADLINE * 1000)


def test_a_template_or_asset_change_brings_every_page_in_line(tmp_path: Path) -> None:
    """A changed template re-renders every page in place; an added asset appears and a removed
    one goes; the folder is then a fresh build with those templates."""
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    make_content(tmp_path)
    with dev_server(tmp_path, templates) as server:
        server.settle()
        base = templates / "base.html"
        base.write_text(base.read_text(encoding="utf-8").replace("<body", '<body data-edited="yes"', 1),
                        encoding="utf-8")
        (templates / "assets" / "extra.txt").write_text("an added asset\n", encoding="utf-8")
        (templates / "assets" / "favicon.svg").unlink()
        assert server.settle()["errors"] == ""
        assert 'data-edited="yes"' in server.fetch("about/")
        server.search_current()
        served = folder_files(server.out)
    assert build_site(server.content, tmp_path / "fresh", templates, today=BUILD_DAY,
                      options=BuildOptions(working_folder=tmp_path, shard_pages=SHARD)).ok
    expected = folder_files(tmp_path / "fresh")
    assert "assets/extra.txt" in expected and "assets/favicon.svg" not in expected
    assert sorted(served) == sorted(expected)
    assert [path for path in expected if served[path] != expected[path]] == []


def test_the_index_follows_saves_from_the_bundles_in_memory_reading_none_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first build hands its search bundles to the updates that follow, and each update its
    own to the next: no bundle is read back from the folder, and it is still a fresh build's."""
    read: list[Path] = []
    monkeypatch.setattr(coprod_site.search.update, "_read_files", read.append)
    make_content(tmp_path)
    path = tmp_path / "content" / RECORD
    with dev_server(tmp_path) as server:
        server.settle()
        for word in ("quixotically", "zephyrously"):
            path.write_text(path.read_text(encoding="utf-8") + f"\nA word only here: {word}.\n",
                            encoding="utf-8")
            server.settle()
            server.search_current()
        served = folder_files(server.out)
    assert read == []
    assert build_site(server.content, tmp_path / "fresh", TEMPLATES, today=BUILD_DAY,
                      options=BuildOptions(working_folder=tmp_path, shard_pages=SHARD)).ok
    expected = folder_files(tmp_path / "fresh")
    assert sorted(served) == sorted(expected)
    assert [path for path in expected if served[path] != expected[path]] == []
    assert any(b"zephyrously" in gzip.decompress(data) for name, data in served.items()
               if name.endswith(".pf_fragment")), "the index holds the last save"


# ---- stopping: the follow-up work asked for is finished, so the folder ends whole ----

@pytest.mark.parametrize("finish", [True, False])
def test_stopping_the_follower_finishes_the_work_asked_for_unless_interrupted(finish: bool) -> None:
    """A save's deferred outputs and index wait as follow-up work; a stop the editor asked for
    (Ctrl+C once) does them, so the folder is a whole version; a second Ctrl+C drops what waits.
    The running work is released only once the stop has been asked for, so the order is fixed."""
    running, release, done = threading.Event(), threading.Event(), []

    def first() -> None:
        running.set()
        release.wait(DEADLINE)
        done.append("first")

    follower = SearchFollower()
    follower.follow(first)
    assert running.wait(DEADLINE)
    follower.follow(lambda: done.append("second"))
    if finish:  # the stop waits for all the work, so it runs beside the release
        stopping = threading.Thread(target=follower.stop, kwargs={"finish": True})
        stopping.start()
        release.set()
        stopping.join(DEADLINE)
        assert not stopping.is_alive()
    else:  # the stop waits a second at most: it returns with the first work still held
        follower.stop(finish=False)
        assert done == []
        release.set()
        deadline = time.monotonic() + DEADLINE
        while follower.state is not SearchState.CURRENT and time.monotonic() < deadline:
            time.sleep(0.01)
    assert done == (["first", "second"] if finish else ["first"])


def test_an_interrupted_replace_leaves_the_old_file_and_no_temporary(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "index.html"
    target.write_text("old", encoding="utf-8")

    def interrupted(source: object, destination: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        coprod_site.output_folder.replace_file(target, b"new")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["index.html"]
    assert target.read_text(encoding="utf-8") == "old"
