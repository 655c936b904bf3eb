"""Measure one command as a direct child process: wall time, CPU time and peak memory.

`measure` starts the command, reaps it with `os.wait4` and reads that child's resource usage:
CPU is user + system time of the child and of every descendant it waited for (so it counts
both cores and Pagefind run by the build). Peak RSS (`ru_maxrss`) is the largest single
process among the child and the descendants it waited for (Linux keeps the maximum, checked
with a 500 MB grandchild), never the sum of processes alive at the same time: for
`coprod-site build` it is max(generator, Pagefind), while the two are resident together.
Measure a tool on its own (the search step) to see its own peak. The sum of what is resident
together is sampled instead: every 0.2 s, the RSS of the child and all its descendants, added
up (forked workers' shared pages count once per process, so this errs high).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import threading
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
    tree_rss_mb: float = 0.0
    """The largest sampled sum of RSS over the child's process tree."""
    out_mb: float = 0.0
    """The size of what the command left in the output folder, in MB (0 when it writes none)."""


@dataclass(frozen=True, slots=True)
class Summary:
    """Medians of several samples of one tool."""

    wall: float
    cpu: float
    rss_mb: float
    runs: int
    tree_rss_mb: float = 0.0
    out_mb: float = 0.0

    @classmethod
    def of(cls, samples: Sequence[Sample]) -> Summary:
        """The median of each measure over `samples`."""
        return cls(statistics.median(s.wall for s in samples), statistics.median(s.cpu for s in samples),
                   statistics.median(s.rss_mb for s in samples), len(samples),
                   statistics.median(s.tree_rss_mb for s in samples),
                   statistics.median(s.out_mb for s in samples))


def measure(command: Sequence[str], *, log: Path, cwd: Path | None = None,
            env: Mapping[str, str] | None = None) -> Sample:
    """Run `command` to completion as a direct child and measure it; raise if it fails."""
    with log.open("wb") as output:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=output,
                                 stderr=subprocess.STDOUT)
        sampler = TreeMemory(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        sampler.stop()
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
    if child.returncode != 0:
        raise MeasureError(f"{' '.join(map(str, command))} exited with {child.returncode}; see {log}")
    return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mb=usage.ru_maxrss / 1024,
                  load=os.getloadavg()[0], tree_rss_mb=sampler.peak_mb)


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and its descendants until stopped; keeps the peak."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak_mb = root, 0.0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            self.peak_mb = max(self.peak_mb, sum(_rss_mb(pid) for pid in _descendants(self.root)))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> list[int]:
    """`root` and every process below it, from each process's parent in /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def _rss_mb(pid: int) -> float:
    try:
        resident = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return resident * os.sysconf("SC_PAGE_SIZE") / 2**20


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
