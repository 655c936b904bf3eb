"""Watching folders for changes: a snapshot of every file's time, size and inode, compared when
something may have changed.

On Linux the kernel says when something may have changed (inotify, through the C library, so no
dependency): the folders are snapshotted only then, and an idle server costs nothing. Elsewhere,
or when inotify cannot be had, they are snapshotted on a timer. A snapshot walks the folders with
`os.scandir`, whose entries carry their type, so only files are stat'ed.
"""

from __future__ import annotations

import ctypes
import os
import select
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

Snapshot = dict[str, tuple[int, int, int]]

QUIET = 0.02
"""Seconds without a new event after which a save is taken to be complete (an editor's save is
often several writes)."""
_EVENTS = (0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800)
"""IN_MODIFY, IN_ATTRIB, IN_CLOSE_WRITE, IN_MOVED_FROM, IN_MOVED_TO, IN_CREATE, IN_DELETE,
IN_DELETE_SELF, IN_MOVE_SELF."""
_HEADER = struct.Struct("iIII")


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


class _Inotify:
    """The kernel's notices of changes under some folders (Linux); OSError when unavailable."""

    def __init__(self, folders: tuple[Path, ...]) -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        self._add = libc.inotify_add_watch
        self.fd = int(libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC))
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify is not available")
        self.folders = folders
        if not self.watch_all():
            os.close(self.fd)
            raise OSError(ctypes.get_errno(), "a folder cannot be watched")

    def watch_all(self) -> bool:
        """Watch every folder under the watched folders (again: a new folder is watched too);
        False when one could not be watched (the system's limit of watches, say)."""
        added = [self._add(self.fd, os.fsencode(folder), _EVENTS) for top in self.folders
                 for folder, _, _ in os.walk(top)]
        return all(watch >= 0 for watch in added)

    def wait(self, timeout: float) -> bool:
        """True when something happened within `timeout` seconds (then read until quiet)."""
        if not select.select([self.fd], [], [], timeout)[0]:
            return False
        while select.select([self.fd], [], [], QUIET)[0]:
            self._drain()
        return True

    def _drain(self) -> None:
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return
        offset = 0
        while offset < len(data):
            _, mask, _, length = _HEADER.unpack_from(data, offset)
            offset += _HEADER.size + length
            if mask & 0x40000000:  # IN_ISDIR: a folder came or went; watch any new one
                self.watch_all()

    def close(self) -> None:
        os.close(self.fd)


def changes(folders: tuple[Path, ...], interval: float, stop: threading.Event, *,
            since: Snapshot | None = None) -> Iterator[None]:
    """Yield once each time anything under `folders` changes (from `since`), until `stop` is set.
    `stop` is looked at every `interval` seconds; without inotify, the folders are too."""
    try:
        notices: _Inotify | None = _Inotify(folders)
    except (OSError, AttributeError):  # not Linux, or no watches left
        notices = None
    last = snapshot(folders) if since is None else since
    look = since is not None  # what changed before the notices began is found by a first look
    try:
        while not stop.is_set():
            if look:
                look = False
            elif notices is not None:
                if not notices.wait(interval):
                    continue
            elif stop.wait(interval):
                break
            current = snapshot(folders)
            if current != last and not stop.is_set():
                last = current
                yield None
    finally:
        if notices is not None:
            notices.close()
