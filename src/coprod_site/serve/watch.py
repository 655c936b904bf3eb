"""Watching folders for changes: a snapshot of every file's time and size, compared on a timer."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path


def snapshot(folders: tuple[Path, ...]) -> dict[Path, tuple[int, int]]:
    """Modification time and size of every file under `folders`."""
    seen: dict[Path, tuple[int, int]] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


def changes(folders: tuple[Path, ...], interval: float, stop: threading.Event, *,
            since: dict[Path, tuple[int, int]] | None = None) -> Iterator[None]:
    """Yield once each time anything under `folders` changes (from `since`), until `stop` is set."""
    last = snapshot(folders) if since is None else since
    while not stop.wait(interval):
        current = snapshot(folders)
        if current != last:
            last = current
            yield None
