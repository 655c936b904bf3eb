"""Measure one command as a direct child process: wall time, CPU time and peak memory.

`measure` starts the command, reaps it with `os.wait4` and reads that child's resource usage:
CPU is user + system time of the child and of every descendant it waited for (so it counts
both cores and Pagefind run by the build). Peak RSS (`ru_maxrss`) is the largest single
process among the child and the descendants it waited for (Linux keeps the maximum, checked
with a 500 MB grandchild), never the sum of processes alive at the same time: for
`coprod-site build` it is max(generator, Pagefind), while the two are resident together.
Measure a tool on its own (the search step) to see its own peak.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


class MeasureError(RuntimeError):
    """A measured command failed; the message names its log file."""


@dataclass(frozen=True, slots=True)
class Sample:
    """One measured run: seconds of wall and CPU time, peak RSS in MB, 1-minute load after it."""

    wall: float
    cpu: float
    rss_mb: float
    load: float


@dataclass(frozen=True, slots=True)
class Summary:
    """Medians of several samples of one tool."""

    wall: float
    cpu: float
    rss_mb: float
    runs: int

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Summary:
        """The median of each measure over `samples`."""
        return cls(statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples),
                   statistics.median(s.rss_mb for s in samples), len(samples))


def measure(command: Sequence[str], *, log: Path, cwd: Path | None = None,
            env: Mapping[str, str] | None = None) -> Sample:
    """Run `command` to completion as a direct child and measure it; raise if it fails."""
    with log.open("wb") as output:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=output,
                                 stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
    if child.returncode != 0:
        raise MeasureError(f"{' '.join(command)} exited with {child.returncode}; see {log}")
    return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
                  load=os.getloadavg()[0])


def remove(path: Path) -> float:
    """Delete `path` (if present) and flush the disk; returns the seconds it took (not measured)."""
    start = time.perf_counter()
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    os.sync()
    return time.perf_counter() - start


def filesystem_type(path: Path) -> str:
    """The type of the file system holding `path` (tmpfs, ext4, ...), from /proc/mounts."""
    target = path.resolve()
    best, kind = "", "unknown"
    with open("/proc/mounts", encoding="utf-8") as mounts:
        for line in mounts:
            fields = line.split()
            mount_point = fields[1].replace("\\040", " ")
            inside = target.is_relative_to(mount_point)
            if inside and len(mount_point) >= len(best):
                best, kind = mount_point, fields[2]
    return kind


def tree_size_mb(path: Path) -> float:
    """The total size in MB of the regular files under `path`."""
    total = 0
    for folder, _, names in os.walk(path):
        total += sum(os.lstat(os.path.join(folder, name)).st_size for name in names)
    return total / 1e6
