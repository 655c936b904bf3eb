"""Fault injection with the real command line: nothing an operator or the system can do corrupts
the published site.

Each test starts from a published build of content A and builds content B (A with one title
changed) through a fault: the main process killed alone while its workers or Pagefind run, a
kill at each step of the swap (by the `COPROD_SITE_FAULT` hook, so no timing is involved), two
builds at once, a read-only parent folder, a full file system, and a dev server under a load of
hostile requests while files change. After each: no traceback, exit codes 0, 1 or 2 only (or
the kill's own), the published folder is byte-for-byte a clean build of A or of B, nothing is
left beside it, no process of the killed build survives, and the next build succeeds.
"""

from __future__ import annotations

import http.client
import re
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import TEMPLATES
from content_factory import fixture_text, make_content
from coprod_site.build_guard import build_lock
from faults import (
    build_args,
    command,
    environment,
    fill,
    leftovers,
    read_only,
    run,
    small_disk,
    snapshot,
    survivors,
)

KILLED = -9
RECORD = "evidence/peer-support-evaluation.md"
TITLE = "Evaluation of a peer support network"


@dataclass(frozen=True)
class Sites:
    """Two contents, and a clean build of each (with and without the search index)."""

    a: Path
    b: Path
    built: dict[tuple[str, bool], Path]

    def which(self, out: Path, *, search: bool = True) -> str:
        """'A' or 'B': the clean build that `out` is identical to (fails if it is neither)."""
        found = snapshot(out)
        for name in ("A", "B"):
            if found == snapshot(self.built[name, search]):
                return name
        clean = snapshot(self.built["B", search])
        differing = sorted(set(found) ^ set(clean) | {name for name in found.keys() & clean.keys()
                                                       if found[name] != clean[name]})
        raise AssertionError(f"{out} is neither clean build; it differs from B in {differing[:10]}")

    def publish_a(self, out: Path, *, search: bool = True) -> Path:
        """`out` holding a clean build of A, as an earlier build left it."""
        shutil.copytree(self.built["A", search], out, symlinks=True)
        return out


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder every test of the module works in: one file system for all (Pagefind's index
    depends on the order a file system lists a folder in, so builds are compared on one kind)."""
    folder = tmp_path_factory.mktemp("faults")
    with small_disk(folder, 512 * 2**20):
        yield folder


@pytest.fixture
def tmp_path(workspace: Path, request: pytest.FixtureRequest) -> Path:
    """A fresh folder for one test, inside the module's workspace."""
    return Path(tempfile.mkdtemp(prefix=re.sub(r"\W+", "-", request.node.name)[:50], dir=workspace))


@pytest.fixture(scope="module")
def sites(workspace: Path) -> Sites:
    base = workspace / "references"
    a = make_content(base / "a")
    b = make_content(base / "b", {RECORD: fixture_text(RECORD).replace(TITLE, "A changed title")})
    built = {}
    for name, content in (("A", a), ("B", b)):
        for search in (True, False):
            out = base / f"{name}-{search}" / "site"
            run(build_args(content, out, *([] if search else ["--no-search"])), cwd=base).assert_sound((0,))
            built[name, search] = out
    assert snapshot(built["A", True]) != snapshot(built["B", True])
    return Sites(a, b, built)


def next_build_succeeds(sites: Sites, out: Path) -> None:
    """The build after a fault: it succeeds, publishes B whole and leaves nothing behind."""
    run(build_args(sites.b, out), cwd=out.parent).assert_sound((0,))
    assert sites.which(out) == "B"
    assert leftovers(out) == []


# ---- the main process killed alone, its workers or Pagefind still running ----

@pytest.mark.parametrize(("step", "published"), [
    ("workers-started", "A"), ("pagefind-started", "A"), ("swap-start", "A"),
    ("swap-exchanged", "B"), ("swap-done", "B"),
])
def test_a_kill_of_the_main_process_leaves_a_complete_site(
        sites: Sites, tmp_path: Path, step: str, published: str) -> None:
    out = sites.publish_a(tmp_path / "site")
    killed = run(build_args(sites.b, out), cwd=tmp_path, fault=step)
    assert killed.code == KILLED and "Traceback" not in killed.err
    assert sites.which(out) == published
    end = time.monotonic() + 10
    while survivors(str(tmp_path)) and time.monotonic() < end:  # Pagefind may finish its shard
        time.sleep(0.05)
    assert survivors(str(tmp_path)) == [], "a process of the killed build lives on"
    next_build_succeeds(sites, out)


NO_EXCHANGE = ("-c", "import sys; import coprod_site.output_folder as folder; "
               "folder._exchange = lambda first, second: False; from coprod_site.cli import main; "
               "sys.exit(main(sys.argv[1:]))")


def test_the_fallback_swap_publishes_the_new_site(sites: Sites, tmp_path: Path) -> None:
    """Where the exchange is missing, two renames do the swap."""
    out = sites.publish_a(tmp_path / "site")
    run(build_args(sites.b, out), cwd=tmp_path, python=NO_EXCHANGE).assert_sound((0,))
    assert sites.which(out) == "B" and leftovers(out) == []


def test_a_kill_inside_the_fallback_swap_is_undone_by_the_next_build(sites: Sites, tmp_path: Path) -> None:
    """Killed between the two renames, the previous site waits beside the folder; the next
    build puts it back first (so a reader sees A or B), then publishes its own."""
    out = sites.publish_a(tmp_path / "site")
    killed = run(build_args(sites.b, out), cwd=tmp_path, fault="swap-moved-aside", python=NO_EXCHANGE)
    assert killed.code == KILLED
    previous = tmp_path / ".site.previous"
    assert not out.exists() and sites.which(previous) == "A"
    failing = run(build_args(make_content(tmp_path / "bad", {"evidence/x.md": "no front matter"}), out),
                  cwd=tmp_path)
    failing.assert_sound((1,))
    assert sites.which(out) == "A" and leftovers(out) == []
    next_build_succeeds(sites, out)


# ---- two builders of one folder ----

def test_two_builds_at_once_take_turns(sites: Sites, tmp_path: Path) -> None:
    """20 times, A and B built into one folder at the same moment: both succeed, one after the
    other, and the folder holds the one that finished last, whole."""
    out = sites.publish_a(tmp_path / "site", search=False)
    waited = 0
    for _ in range(20):
        both = [subprocess.Popen(command(*build_args(content, out, "--no-search")), cwd=tmp_path,
                                 env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for content in (sites.a, sites.b)]
        for process in both:
            _, err_text = process.communicate(timeout=120)
            assert process.returncode == 0 and "Traceback" not in err_text, err_text
            waited += "waiting for another build" in err_text
        assert sites.which(out, search=False) in ("A", "B")
        assert leftovers(out) == []
    print(f"two builds at once: 20 rounds, the second builder waited in {waited}")
    next_build_succeeds(sites, out)


# ---- a folder that cannot be written, a disk that is full ----

def test_a_read_only_parent_is_one_line_and_exit_1(sites: Sites, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with small_disk(disk, 16 * 2**20):
        out = sites.publish_a(disk / "site")
        with read_only(disk):
            for target in (out, disk / "new-site"):
                failed = run(build_args(sites.b, target), cwd=tmp_path)
                failed.assert_sound((1,))
                assert failed.err.startswith(f"coprod-site: build failed: {disk}/."), failed.err
                assert failed.err.rstrip().endswith(("Read-only file system", "Permission denied"))
            assert sites.which(out) == "A" and not (disk / "new-site").exists()
        next_build_succeeds(sites, out)


FREE = [0, 4096, 64 * 1024, 256 * 1024, 512 * 1024]
"""Free bytes left on the disk: the marker, the pages and Pagefind's files each meet a full disk."""
FILE_SIZES = [0, 4096, 20_000]
"""Without a mount, the file-size limits that stop the marker, a page and Pagefind in turn."""


def test_a_full_disk_is_one_line_exit_1_and_leaves_the_site_whole(sites: Sites, tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    causes = set()
    with small_disk(disk, 4 * 2**20) as limit:
        out = sites.publish_a(disk / "site")
        for free in FREE if limit is None else FILE_SIZES:
            filler = fill(disk, free) if limit is None else None
            result = run(build_args(sites.b, out), cwd=tmp_path, fsize=None if limit is None else free)
            result.assert_sound((1,))
            causes.add(result.err.rsplit(": ", 1)[-1].strip())
            print(f"full disk, {free} bytes free: {result.err.strip()}")
            assert sites.which(out) == "A" and leftovers(out) == [], result.err
            if filler is not None:
                filler.unlink()
        next_build_succeeds(sites, out)
    assert causes <= {"No space left on device", "File too large", "it is empty (is the disk full?)",
                      "it is missing (is the disk full?)", "Pagefind was stopped by SIGXFSZ"}, causes
    assert causes & {"No space left on device", "File too large"}, "a page or the marker met the full disk"


# ---- the dev server under load, with hostile paths, while files change ----

CLIENTS = 32
REQUESTS_EACH = 40
TARGETS: list[tuple[str, int]] = [
    ("/", 200), ("/evidence/", 200), ("/evidence/peer-support-evaluation/", 200), ("/assets/site.css", 200),
    ("/pagefind/pagefind.js", 200), ("/evidence", 301), ("/nope/", 404), ("/evidence/nope/index.html", 404),
    ("/%00", 400), ("/" + "a" * 5000, 400), ("/%ff%fe/", 400), ("/%2e%2e/%2e%2e/etc/passwd", 400),
    ("/..%2f..%2fetc/passwd", 400), ("/a%5c..%5c", 400), ("/" + "a/" * 1100, 400),
]


def _serve(content: Path, out: Path, cwd: Path) -> tuple[subprocess.Popen[str], str]:
    """`coprod-site serve` on a free port, and its address once the first build is served."""
    args = ["serve", "--content", str(content), "--out", str(out), "--templates", str(TEMPLATES),
            "--port", "0"]
    server = subprocess.Popen(command(*args), cwd=cwd, env=environment(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    assert server.stdout is not None
    lines: list[str] = []
    found = None
    while found is None and select.select([server.stdout], [], [], 60)[0]:  # the build's summary comes first
        lines.append(server.stdout.readline())
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", lines[-1]) if lines[-1] else None
        if not lines[-1]:
            break
    assert found, f"serve announced no address: {lines!r}"
    return server, found[1]


def _client(port: str, number: int, results: list[tuple[str, int, str]]) -> None:
    """`REQUESTS_EACH` requests in turn through `TARGETS`, each on a new connection."""
    for index in range(REQUESTS_EACH):
        target, expected = TARGETS[(number + index) % len(TARGETS)]
        connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=30)
        try:
            connection.putrequest("GET", target, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            ok = response.status == expected and (expected != 404 or b"</html>" in body)
            results.append((target[:40], response.status, "" if ok else f"expected {expected}"))
        except (OSError, http.client.HTTPException) as error:
            results.append((target[:40], 0, f"{type(error).__name__}: {error}"))
        finally:
            connection.close()


def _edit_until(content: Path, stop: threading.Event) -> int:
    """Change the record's title back and forth until `stop`; returns the number of edits."""
    path, edits = content / RECORD, 0
    while not stop.wait(0.3):
        text = path.read_text(encoding="utf-8")
        new, old = ("A changed title", TITLE) if TITLE in text else (TITLE, "A changed title")
        path.write_text(text.replace(old, new), encoding="utf-8")
        edits += 1
    return edits


def test_the_dev_server_answers_every_request_under_load(sites: Sites, tmp_path: Path) -> None:
    content = make_content(tmp_path)
    out = tmp_path / "site"
    server, port = _serve(content, out, tmp_path)
    results: list[tuple[str, int, str]] = []
    stop = threading.Event()
    try:
        with ThreadPoolExecutor(max_workers=1) as editor:
            edits = editor.submit(_edit_until, content, stop)
            start = time.monotonic()
            clients = [threading.Thread(target=_client, args=(port, number, results))
                       for number in range(CLIENTS)]
            for client in clients:
                client.start()
            builder = run(build_args(sites.b, out), cwd=tmp_path)  # a build beside the server's rebuilds
            for client in clients:
                client.join(timeout=120)
            elapsed = time.monotonic() - start
            stop.set()
            edited = edits.result()
        builder.assert_sound((0,))
    finally:
        stop.set()
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=60)
    errors = [item for item in results if item[2]]
    print(f"dev server: {len(results)} requests from {CLIENTS} clients in {elapsed:.1f}s "
          f"({len(results) / elapsed:.0f} per second) during {edited} edits; {len(errors)} errors")
    assert len(results) == CLIENTS * REQUESTS_EACH and errors == [], errors[:5]
    assert server.returncode == 0 and "Traceback" not in err, err
    assert sites.which(out) in ("A", "B") and leftovers(out) == []
    next_build_succeeds(sites, out)


def test_a_second_builder_says_it_waits_and_goes_on_when_the_lock_is_free(
        sites: Sites, tmp_path: Path) -> None:
    """Holding the lock here, a build of the same folder waits (and says so), writing nothing."""
    out = sites.publish_a(tmp_path / "site")
    with build_lock(out):
        waiting = subprocess.Popen(command(*build_args(sites.b, out)), cwd=tmp_path, env=environment(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert waiting.stderr is not None
        assert waiting.stderr.readline() == f"coprod-site: waiting for another build of {out} to finish\n"
        assert waiting.poll() is None and sites.which(out) == "A" and leftovers(out) == []
    printed, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 0 and printed.startswith("built ")
    assert sites.which(out) == "B"
