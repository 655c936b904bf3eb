"""decap-server, started and stopped for local editing: it serves the working copy, and says
clearly why when it cannot start."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conftest import REAL_CONTENT
from coprod_site.errors import UsageError
from coprod_site.formats import LOCAL_BACKEND_PORT
from coprod_site.serve.local_cms import NODE_MISSING, LocalCms, Mode, decap_server_command

REPOSITORY = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def ask(cms: LocalCms, action: str, params: dict[str, Any]) -> Any:
    request = urllib.request.Request(cms.url, data=json.dumps({"action": action, "params": params}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def test_without_node_the_message_says_what_to_install(monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(UsageError) as raised:
        LocalCms(tmp_path, port=LOCAL_BACKEND_PORT).start()
    assert str(raised.value) == NODE_MISSING
    assert NODE_MISSING.startswith("editing with the CMS needs Node.js, which runs decap-server")


def test_the_projects_own_copy_is_preferred_to_npx() -> None:
    command = decap_server_command(REPOSITORY)
    assert command == [shutil.which("node"),
                       str(REPOSITORY / "tests" / "node_modules" / "decap-server" / "dist" / "index.js")]


def test_in_files_mode_it_reads_and_writes_the_working_copy_and_stops(tmp_path: Path) -> None:
    shutil.copytree(REAL_CONTENT, tmp_path / "content")
    record = tmp_path / "content" / "evidence" / "value-of-co-production.md"
    with LocalCms(tmp_path, port=free_port(), mode=Mode.FILES) as cms:
        assert ask(cms, "info", {}) | {"repo": ""} == {"repo": "", "publish_modes": ["simple"],
                                                      "type": "local_fs"}
        listed = ask(cms, "entriesByFolder", {"branch": "main", "folder": "content/evidence",
                                              "extension": "md", "depth": 1})
        assert {entry["file"]["path"] for entry in listed} == {
            f"content/evidence/{path.name}" for path in (REAL_CONTENT / "evidence").glob("*.md")}
        options = {"commitMessage": "Edit", "useWorkflow": False, "status": "draft"}
        saved = {"path": "content/evidence/value-of-co-production.md", "raw": "---\ntitle: Saved\n---\n",
                 "slug": "x"}
        ask(cms, "persistEntry", {"branch": "main", "assets": [], "options": options, "dataFiles": [saved]})
        assert record.read_text(encoding="utf-8") == "---\ntitle: Saved\n---\n"
        url = cms.url
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def processes_under(root: int) -> set[int]:
    """`root` and every process descending from it, read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, waiting = set(), [root]
    while waiting:
        pid = waiting.pop()
        found.add(pid)
        waiting.extend(children.get(pid, []))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.parametrize("mode", [Mode.FILES, Mode.GIT])
def test_stopping_it_ends_every_process_it_started(tmp_path: Path, mode: Mode) -> None:
    """Run through npx (this folder has no node_modules), decap-server is a child of npx's:
    stopping the CMS must end it too, not only npx, or it keeps its port and the working copy."""
    subprocess.run(["git", "init", "--quiet", str(tmp_path)], check=True)
    with LocalCms(tmp_path, port=free_port(), mode=mode) as cms:
        assert cms.process is not None
        started = processes_under(cms.process.pid)
        url = cms.url
    assert len(started) > 1  # npx and the node process it runs
    assert [pid for pid in started if running(pid)] == []
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def test_git_mode_needs_a_git_repository(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as raised:
        LocalCms(tmp_path, port=LOCAL_BACKEND_PORT, mode=Mode.GIT).start()
    assert str(raised.value) == (f"{tmp_path.resolve()} is not a git repository: the CMS's git mode saves "
                                 "records as branches of one")


def test_a_port_in_use_is_reported_with_decap_servers_own_words(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(UsageError) as raised:
            LocalCms(tmp_path, port=port, timeout=20).start()
    message = str(raised.value)
    assert message.startswith(f"decap-server did not start on port {port}: ")
    assert "EADDRINUSE" in message
