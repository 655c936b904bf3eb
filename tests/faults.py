"""Helpers for `test_faults`: run the real command line, compare output folders with clean
builds, and mount small file systems (a full one, a read-only one) for a test.

Mounting needs root (a private tmpfs of a given size). Without it, a full disk is imitated
with a file-size limit (RLIMIT_FSIZE) and a read-only folder with its permission bits, so the
tests run everywhere and are never skipped.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO, TEMPLATES
from coprod_site.build_guard import FAULT_VARIABLE

SRC = REPO / "src"
AS_ROOT = os.geteuid() == 0
EXITS = (0, 1, 2)


def environment(**extra: str) -> dict[str, str]:
    """The environment of a command run by a test: this worktree's package, no fault unless asked."""
    env = {key: value for key, value in os.environ.items() if key != FAULT_VARIABLE}
    return {**env, "PYTHONPATH": str(SRC), **extra}


def command(*args: str | Path, python: Sequence[str] = ("-m", "coprod_site.cli")) -> list[str]:
    return [sys.executable, *python, *map(str, args)]


def build_args(content: Path, out: Path, *extra: str) -> list[str]:
    return ["build", "--content", str(content), "--out", str(out), "--templates", str(TEMPLATES), *extra]


@dataclass(frozen=True, slots=True)
class Run:
    """A finished command: its exit code and what it printed."""

    code: int
    out: str
    err: str

    def assert_sound(self, codes: Sequence[int] = EXITS) -> None:
        """No traceback, and an exit code of `codes`; a failed build (not a content report, which goes
        to stdout) says why in one line on stderr."""
        printed = self.out + self.err
        assert "Traceback" not in printed, printed
        assert self.code in codes, (self.code, printed)
        if self.code == 1 and self.err:
            assert len(self.err.strip().splitlines()) == 1 and self.err.startswith("coprod-site: "), self.err


def run(args: Sequence[str | Path], *, cwd: Path, fault: str = "", fsize: int | None = None,
        python: Sequence[str] = ("-m", "coprod_site.cli"), timeout: float = 120) -> Run:
    """Run the command line with `args`; `fault` names a step at which it kills itself, `fsize`
    limits the size of every file it writes."""
    extra = {FAULT_VARIABLE: fault} if fault else {}
    limit = None if fsize is None else (lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize)))
    finished = subprocess.run(command(*args, python=python), cwd=cwd, env=environment(**extra), text=True,
                              capture_output=True, timeout=timeout, check=False, preexec_fn=limit)
    return Run(finished.returncode, finished.stdout, finished.stderr)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under `folder` with the SHA-256 of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def leftovers(out: Path) -> list[str]:
    """Build or previous-site folders beside `out` (the lock file is meant to stay)."""
    return sorted(path.name for path in out.parent.iterdir() if path.name.startswith(f".{out.name}."))


def survivors(marker: str) -> list[str]:
    """Processes whose command line mentions `marker` (a test's private folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                text = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if marker in text:
                found.append(f"{entry.name}: {text}")
    return found


@contextmanager
def small_disk(folder: Path, size: int) -> Iterator[int | None]:
    """A file system of `size` bytes at `folder` (a private tmpfs, as root); yields None, or
    without root a file-size limit to pass to `run` instead."""
    folder.mkdir(parents=True, exist_ok=True)
    if not AS_ROOT:
        yield size
        return
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=755", "tmpfs", str(folder)], check=True)
    try:
        yield None
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def fill(folder: Path, leave: int) -> Path:
    """Fill the file system of `folder` until `leave` bytes are free; returns the filler file."""
    filler = folder / "filler"
    free = shutil.disk_usage(folder).free
    with filler.open("wb") as handle:
        os.posix_fallocate(handle.fileno(), 0, max(free - leave, 1))
    return filler


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make `folder` read-only (a read-only mount as root, the permission bits otherwise)."""
    if AS_ROOT:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        folder.chmod(0o555)
    try:
        yield
    finally:
        if AS_ROOT:
            subprocess.run(["mount", "-o", "remount,rw", str(folder)], check=True)
        else:
            folder.chmod(0o755)
