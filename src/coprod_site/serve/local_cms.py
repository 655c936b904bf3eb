"""Local editing: run decap-server so the CMS at /admin/ reads and writes the working copy.

Decap CMS looks for a local server at http://localhost:8081/api/v1 when the admin page is
opened from localhost (`local_backend` in admin/config.yml). `LocalCms` starts decap-server,
the proxy that Decap publishes on npm, on 127.0.0.1 only, and stops it again:

- `Mode.FILES` writes each saved record straight into the working copy, so `coprod-site serve`
  rebuilds the page as the editor saves (the editorial workflow is off in this mode);
- `Mode.GIT` keeps the editorial workflow: each record is saved as a commit on its own branch
  `cms/evidence/<id>`, as a pull request would be, and published by merging it.

decap-server runs through Node.js: from a node_modules folder of the project when one holds it,
otherwise through `npx` with the pinned version.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import IO

from coprod_site.errors import UsageError

DECAP_SERVER_VERSION = "3.11.3"
"""The pinned decap-server release; tests/package.json pins the same one."""
NODE_MISSING = ("editing with the CMS needs Node.js, which runs decap-server, but neither 'node' "
                "nor 'npx' was found: install Node.js (https://nodejs.org/), or serve without the CMS")
_LOCAL_COPIES = ("node_modules", "tests/node_modules")


class Mode(StrEnum):
    """How decap-server saves: into the files of the working copy, or as git branches."""

    FILES = "fs"
    GIT = "git"


def decap_server_command(repo: Path) -> list[str]:
    """The command that runs decap-server for the repository at `repo`."""
    node = shutil.which("node")
    for folder in _LOCAL_COPIES:
        script = repo / folder / "decap-server" / "dist" / "index.js"
        if node and script.is_file():
            return [node, str(script)]
    npx = shutil.which("npx")
    if not node or not npx:
        raise UsageError(NODE_MISSING)
    return [npx, "--yes", f"decap-server@{DECAP_SERVER_VERSION}"]


class LocalCms:
    """decap-server for the repository at `repo`, on 127.0.0.1:`port`, while the block runs."""

    def __init__(self, repo: Path, *, port: int, mode: Mode = Mode.FILES,
                 timeout: float = 30.0) -> None:
        self.repo, self.port, self.mode, self.timeout = repo.resolve(), port, mode, timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None  # the server's output, read when it fails to start

    @property
    def url(self) -> str:
        """The API address Decap talks to."""
        return f"http://127.0.0.1:{self.port}/api/v1"

    def start(self) -> None:
        """Start decap-server and wait until it answers; a UsageError says why it could not."""
        if self.mode is Mode.GIT and not (self.repo / ".git").exists():
            raise UsageError(f"{self.repo} is not a git repository: the CMS's git mode saves records "
                             "as branches of one")
        env = os.environ | {"PORT": str(self.port), "MODE": self.mode.value, "BIND_HOST": "127.0.0.1",
                            "GIT_REPO_DIRECTORY": str(self.repo), "LOG_LEVEL": "warn"}
        command = decap_server_command(self.repo)
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        self.process = subprocess.Popen(command, cwd=self.repo, env=env,
                                        stdin=subprocess.DEVNULL, stdout=self._log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.timeout
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                output = self._stop_and_read()
                raise UsageError(f"decap-server did not start on port {self.port}: "
                                 f"{output.strip() or 'it printed nothing'}")
            time.sleep(0.1)

    def _answers(self) -> bool:
        request = urllib.request.Request(self.url, data=json.dumps({"action": "info"}).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=1) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        """Stop decap-server (nothing happens if it is not running)."""
        self._stop_and_read()

    def _stop_and_read(self) -> str:
        process, self.process, log, self._log = self.process, None, self._log, None
        if process is None or log is None:
            return ""
        _end_group(process)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
        log.close()
        return output

    def __enter__(self) -> LocalCms:
        self.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()


def _end_group(process: subprocess.Popen[bytes], *, grace: float = 5.0) -> None:
    """Stop `process` and every process it started. npx runs decap-server as a child of its own,
    which outlives npx when only npx is stopped; `start` puts them in a process group of their
    own, so the whole group is asked to stop, then killed if it has not within `grace` seconds."""
    running = _signal_group(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while running and time.monotonic() < deadline:
        time.sleep(0.05)
        process.poll()  # reaps npx (or node) once it has exited, so it no longer counts
        running = _signal_group(process.pid, 0)
    if running:
        _signal_group(process.pid, signal.SIGKILL)
    process.wait()


def _signal_group(group: int, number: int) -> bool:
    """Send signal `number` (0: none, only look) to process group `group`; whether it still has
    a process."""
    try:
        os.killpg(group, number)
    except ProcessLookupError:
        return False
    return True
