"""One builder at a time, and no process of a build outliving it.

- `build_lock`: an advisory OS lock (`flock`) on a file beside the output folder, held for the
  whole of a build (`build`, and each rebuild of `serve`). A second builder of the same folder
  waits for it, saying so once, and never interleaves. Forked render processes inherit the lock,
  so a build whose main process was killed still holds it until its last process has gone.
- `die_with_parent`: called first in every forked process, so it is killed with its parent
  (Linux's parent-death signal; elsewhere it checks that its parent is still the one it had).
- `fault_point`: a test hook: the build kills itself (SIGKILL) at the named step when the
  environment variable `COPROD_SITE_FAULT` names it (`step` or `step#n` for its n-th passage).
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

FAULT_VARIABLE = "COPROD_SITE_FAULT"
_PR_SET_PDEATHSIG = 1
_passages: dict[str, int] = {}


def lock_path(out: Path) -> Path:
    """The lock file of the output folder `out`, beside it (`.<name>-build.lock`)."""
    return out.parent / f".{out.name}-build.lock"


@contextmanager
def build_lock(out: Path, *, waiting: Callable[[str], None] | None = None) -> Iterator[int]:
    """Hold the build lock of `out` (waiting for any other builder, after telling `waiting`);
    yields the lock's file descriptor, which processes that write the build may inherit."""
    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                waiting(f"waiting for another build of {out} to finish")
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield descriptor
    finally:
        os.close(descriptor)


def die_with_parent(parent: int) -> None:
    """Make this forked process die when its parent `parent` does (or exit now if it has)."""
    if sys.platform == "linux":
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


def fault_point(step: str) -> None:
    """Kill this process outright at `step` when the test hook asks for it (see the module)."""
    wanted = os.environ.get(FAULT_VARIABLE)
    if not wanted or not wanted.startswith(step):
        return
    _passages[step] = _passages.get(step, 0) + 1
    if wanted in (step, f"{step}#{_passages[step]}"):
        os.kill(os.getpid(), signal.SIGKILL)
