"""Watching the content for saves: every kind of change is seen once, nothing is seen while
nothing changes, with the kernel's notices (inotify) and without them (a timer)."""

from __future__ import annotations

import os
import queue
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coprod_site.serve import watch

DEADLINE = 10.0


@contextmanager
def watching(folder: Path) -> Iterator[queue.Queue[None]]:
    """`watch.changes` over `folder` in a thread; each change it yields lands in the queue."""
    seen: queue.Queue[None] = queue.Queue()
    stop = threading.Event()
    ready = threading.Event()

    def run() -> None:
        for change in watch.changes((folder,), 0.05, stop, since=watch.snapshot((folder,))):
            seen.put(change)
        ready.set()

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.2)  # the watch has begun
    try:
        yield seen
    finally:
        stop.set()
        thread.join(DEADLINE)
    assert ready.is_set(), "the watch did not stop"


def _one_change(seen: queue.Queue[None]) -> None:
    seen.get(timeout=DEADLINE)
    time.sleep(0.3)
    assert seen.empty(), "one save is one change"


@pytest.fixture(params=["notices", "timer"])
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "timer":
        def unavailable(folders: tuple[Path, ...]) -> None:
            raise OSError("inotify is not available")
        monkeypatch.setattr(watch, "_Inotify", unavailable)
    else:
        watch._Inotify((Path.cwd(),)).close()  # this system has them: the tests use them
    return str(request.param)


def test_each_kind_of_save_is_seen_once_and_quiet_is_quiet(tmp_path: Path, mode: str) -> None:
    record = tmp_path / "evidence" / "a.md"
    record.parent.mkdir()
    record.write_text("year: 2024\n", encoding="utf-8")
    with watching(tmp_path) as seen:
        time.sleep(0.3)
        assert seen.empty(), "nothing changed"
        record.write_text("year: 2025\n", encoding="utf-8")  # in place, the same size
        _one_change(seen)
        replacement = tmp_path / "evidence" / ".a.md.tmp"
        replacement.write_text("year: 2026\n", encoding="utf-8")
        os.replace(replacement, record)  # as editors save: a new file renamed over the old
        _one_change(seen)
        (tmp_path / "evidence" / "nested").mkdir()
        (tmp_path / "evidence" / "nested" / "b.md").write_text("new\n", encoding="utf-8")
        _one_change(seen)
        (tmp_path / "evidence" / "nested" / "b.md").write_text("changed in the new folder\n",
                                                                encoding="utf-8")
        _one_change(seen)
        record.unlink()
        _one_change(seen)


def test_a_change_made_before_the_watch_began_is_seen(tmp_path: Path, mode: str) -> None:
    """`since` is a snapshot taken before the first build: a save during that build counts."""
    record = tmp_path / "a.md"
    record.write_text("one\n", encoding="utf-8")
    before = watch.snapshot((tmp_path,))
    record.write_text("two, longer\n", encoding="utf-8")
    stop = threading.Event()
    changes = watch.changes((tmp_path,), 0.05, stop, since=before)
    assert next(changes) is None
    stop.set()
    assert list(changes) == []
