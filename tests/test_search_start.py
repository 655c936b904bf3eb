"""The search page's start, in real Chromium: what Pagefind's workers ask for before they can
search is fetched by the page itself while the workers start.

Each bundle's Pagefind runs in a web worker, which asks for the bundle's entry file (under an
address with a tag, `?ts=`, that it would otherwise set to the time), its metadata, its
WebAssembly, and the word and filter chunks of the first search. The page fetches all of them
while the workers' scripts load, so the workers find them in the browser's cache. The server
here holds back every worker's script until the page has asked for all of those files (or a
few seconds have passed), which shows the page asks for them without any worker.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, quote, urlsplit

import cbor2
import pytest
from playwright.sync_api import Page

from browser_support import ConsoleErrors, serve_directory
from coprod_site.views.browse import _worker_bundles

# Pagefind gives up on a worker that has not answered in five seconds and searches on the page
# instead, fetching the same files: the hold ends before, so the page alone has asked for them.
HOLD_S = 4.0
WAIT_MS = 10_000
QUERY = "reciprocity"
TYPES = {".js": "text/javascript", ".json": "application/json", ".html": "text/html; charset=utf-8"}
SETTLED_JS = """
() => {
  const status = document.getElementById("search-status").textContent;
  const items = [...document.querySelectorAll("#search-results > li h3 a")];
  return /^\\d+ results?\\b/.test(status) && items.length
    ? {status, paths: items.map(a => new URL(a.href).pathname)} : false;
}
"""


class _Server(http.server.ThreadingHTTPServer):
    requested: list[str]
    release: threading.Event


class _HoldingHandler(http.server.SimpleHTTPRequestHandler):
    """A static server that notes every request and holds back Pagefind's worker scripts
    until the test releases them."""

    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def guess_type(self, path: Any) -> str:
        return TYPES.get(Path(str(path)).suffix) or super().guess_type(path)

    def do_GET(self) -> None:
        self.server.requested.append(self.path)
        if urlsplit(self.path).path.endswith("/pagefind-worker.js"):
            self.server.release.wait(HOLD_S)
        super().do_GET()


@contextmanager
def holding_server(root: Path) -> Iterator[_Server]:
    server = _Server(("127.0.0.1", 0), functools.partial(_HoldingHandler, directory=str(root)))
    server.requested = []
    server.release = threading.Event()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        thread.join()
        server.server_close()


def _decode(path: Path) -> Any:
    return cbor2.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])


def first_files(site: Path, word: str) -> set[str]:
    """The paths a first search for `word` makes Pagefind's workers fetch before they search:
    each bundle's metadata, WebAssembly, the chunk holding the word, and the year filter's
    chunk (the page searches the records, every one of which has a year band)."""
    files = set()
    for entry in sorted(site.glob("pagefind*/pagefind-entry.json")):
        bundle = entry.parent
        meta_file = next(bundle.glob("pagefind.*.pf_meta"))
        meta = _decode(meta_file)
        (chunk,) = [name for first, last, name in meta[2] if first <= word <= last]
        (year,) = [name for key, name in meta[3] if key == "year"]
        prefix = f"/{bundle.name}/"
        wasm = [path.name for path in bundle.glob("wasm.*.pagefind") if "unknown" not in path.name]
        names = [meta_file.name, f"index/{chunk}.pf_index", f"filter/{year}.pf_filter", *wasm]
        files |= {prefix + name for name in names}
    return files


def _paths(requested: list[str]) -> set[str]:
    return {urlsplit(path).path for path in requested}


def test_the_page_fetches_what_the_workers_ask_for_before_they_start(
        page: Page, real_site_in_shards: Path, console_errors: ConsoleErrors) -> None:
    expected = first_files(real_site_in_shards, QUERY)
    bundles = {path.split("/")[1] for path in expected}
    assert len(bundles) > 1, "the real content in shards should span several bundles"
    with holding_server(real_site_in_shards) as server:
        root = f"http://127.0.0.1:{server.server_address[1]}"
        page.goto(f"{root}/search/?q={quote(QUERY)}", wait_until="commit")
        deadline = time.monotonic() + HOLD_S
        while not expected <= _paths(list(server.requested)) and time.monotonic() < deadline:
            time.sleep(0.05)
        before = list(server.requested)
        server.release.set()
        answer = cast(dict[str, Any], page.wait_for_function(SETTLED_JS, timeout=WAIT_MS).json_value())
        requested = list(server.requested)
    assert expected <= _paths(before), sorted(expected - _paths(before))
    assert bundles <= {path.split("/")[1] for path in before if "-entry.json?ts=" in path}
    entries = [urlsplit(path) for path in requested if urlsplit(path).path.endswith("/pagefind-entry.json")]
    tags = {tuple(parse_qs(entry.query).get("ts", [])) for entry in entries}
    assert len(tags) == 1 and all(tag for tag in tags), f"every entry file is asked for with one tag: {tags}"
    assert answer["paths"] == ["/evidence/scie-co-production-in-social-care/"], answer
    console_errors.assert_none()


def test_the_bundles_are_searched_by_two_workers_with_the_answer_of_one_bundle(
        page: Page, real_site: Path, real_site_in_shards: Path, console_errors: ConsoleErrors) -> None:
    """Each worker serves a run of neighbouring bundles with the first one's pagefind.js: three
    bundles, two workers (the first and the third bundle's); the answer is that of the index
    in one bundle, whose single worker serves it."""
    assert len(list(real_site_in_shards.glob("pagefind*/pagefind-entry.json"))) == 3
    workers: list[str] = []
    page.on("worker", lambda worker: workers.append(urlsplit(worker.url).path))
    answers = []
    cases = ((real_site_in_shards, ["/pagefind-3/", "/pagefind/"]), (real_site, ["/pagefind/"]))
    for site, expected in cases:
        workers.clear()
        with serve_directory(site) as root:
            page.goto(f"{root}/search/?q={quote('co-production')}")
            answers.append(page.wait_for_function(SETTLED_JS, timeout=WAIT_MS).json_value())
        assert sorted(path.removesuffix("pagefind-worker.js") for path in workers) == expected
    assert answers[0] == answers[1] and len(answers[0]["paths"]) == 3, answers
    console_errors.assert_none()


@pytest.mark.parametrize(("count", "leading"), [
    (1, (1,)), (2, (1, 2)), (3, (1, 3)), (4, (1, 3)), (5, (1, 4)), (18, (1, 10)),
])
def test_the_bundles_are_split_between_at_most_two_workers_in_even_runs(
        count: int, leading: tuple[int, ...]) -> None:
    bundles = tuple(f"b{number}/" for number in range(1, count + 1))
    assert _worker_bundles(bundles) == tuple(f"b{number}/" for number in leading)
