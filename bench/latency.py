"""Edit latency of a development server: save one record, time until the served page shows it.

`serve_latency` starts a server (`coprod-site serve` or `hugo server`) as a child process, waits
(unmeasured) until the edited record's page is served, then, for each field in turn, toggles a
marker in the record's file (`edits.toggle_edit`) and polls the page over loopback every 10 ms
until it shows the file's new state. Each edit gives one `Sample`: wall is the time from the
save to the first response that shows it; CPU is what the server's process tree spent in that
time (from /proc, so only processes alive at the end count); RSS is the tree's resident size
afterwards. When `status_url` is given (coprod-site's dev server), it also times, after the
body edit, until the status says the search index holds that edit.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from edits import MARKERS, edited_file, toggle_edit
from measure import MeasureError, Sample, _descendants, _rss_mb

POLL = 0.01
FIRST_BUILD_TIMEOUT = 1800.0
EDIT_TIMEOUT = 300.0


@dataclass(frozen=True, slots=True)
class DevServer:
    """How to start one development server and where it serves the edited record's page."""

    command: Sequence[str]
    content: Path
    """The folder holding `evidence/*.md` that the server watches."""
    port: int
    status_url: str | None = None
    """coprod-site's status address (says whether the search index is current), or None."""

    def page_url(self) -> str:
        """The address of the record that the edits change."""
        return f"http://127.0.0.1:{self.port}/evidence/{edited_file(self.content).stem}/"


def free_port() -> int:
    """A TCP port that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_latency(server: DevServer, fields: Sequence[str], *, log: Path, cwd: Path,
                  env: Mapping[str, str]) -> dict[str, Sample]:
    """Start `server`, time one edit of each of `fields`, stop it; one sample per field (and
    'search' when the server reports its search index)."""
    with log.open("wb") as output:
        child = subprocess.Popen(list(server.command), cwd=cwd, env=dict(env), stdout=output,
                                 stderr=subprocess.STDOUT, start_new_session=True)
        try:
            url = server.page_url()
            _wait_for(lambda: _fetch(url) is not None, FIRST_BUILD_TIMEOUT, child, "the first build")
            _wait_for(lambda: _search_current(server), FIRST_BUILD_TIMEOUT, child, "the first index")
            samples = {}
            for field in fields:
                samples[field] = _time_edit(server, field, child)
                if field == "body" and server.status_url:
                    samples["search"] = _time_search(server, samples[field], child)
                time.sleep(1.0)  # let the server settle before the next edit
            return samples
        finally:
            _stop(child)


def _time_edit(server: DevServer, field: str, child: subprocess.Popen[bytes]) -> Sample:
    url = server.page_url()
    cpu_before = _tree_cpu(child.pid)
    marked = toggle_edit(server.content, field)
    saved = time.perf_counter()
    _wait_for(lambda: _shows(_fetch(url), MARKERS[field], marked), EDIT_TIMEOUT, child, f"the {field} edit")
    wall = time.perf_counter() - saved
    return _sample(child, wall, _tree_cpu(child.pid) - cpu_before)


def _time_search(server: DevServer, edit: Sample, child: subprocess.Popen[bytes]) -> Sample:
    """From the body edit's save until the status says the index is current again."""
    started = time.perf_counter() - edit.wall
    cpu_before = _tree_cpu(child.pid)
    _wait_for(lambda: _search_current(server), EDIT_TIMEOUT, child, "the search index")
    return _sample(child, time.perf_counter() - started, edit.cpu + _tree_cpu(child.pid) - cpu_before)


def _sample(child: subprocess.Popen[bytes], wall: float, cpu: float) -> Sample:
    rss = sum(_rss_mb(pid) for pid in _descendants(child.pid))
    return Sample(wall=wall, cpu=cpu, rss_mb=rss, load=os.getloadavg()[0], tree_rss_mb=rss)


def _shows(page: bytes | None, marker: str, marked: bool) -> bool:
    """True when `page` is served and holds `marker` exactly when the file does."""
    return page is not None and (marker.strip().encode() in page) == marked


def _search_current(server: DevServer) -> bool:
    """True when the server says its search index holds the latest build (or it says nothing)."""
    if server.status_url is None:
        return True
    status = _fetch(server.status_url)
    if status is None:
        return False
    state = json.loads(status)
    return not state.get("errors") and state.get("search", {}).get("current", True) is True


def _fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return bytes(response.read())
    except (urllib.error.URLError, http.client.HTTPException, OSError):  # not up, or cut short
        return None


def _wait_for(ready: Callable[[], bool], timeout: float, child: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.perf_counter() + timeout
    while not ready():
        if child.poll() is not None:
            raise MeasureError(f"the server exited ({child.returncode}) while waiting for {what}")
        if time.perf_counter() > deadline:
            raise MeasureError(f"{what} did not show within {timeout:.0f} s")
        time.sleep(POLL)


def _tree_cpu(root: int) -> float:
    """Seconds of CPU used so far by `root` and its live descendants (and the children they reaped)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in _descendants(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks


def _stop(child: subprocess.Popen[bytes]) -> None:
    """Interrupt the server's whole session (Ctrl+C), wait for it, then kill whatever is left."""
    try:
        os.killpg(child.pid, signal.SIGINT)
        child.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.wait()
