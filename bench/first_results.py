"""Time from navigation to the search page's first results, cold and warm, in real Chromium.

Usage (from the repository root, with the project's virtual environment)::

    python bench/first_results.py SITE [SITE ...] [--query TEXT ...] [--repeat 5]
                                  [--latency MS] [--waterfall] [--json out.json]

Each SITE is a built site (`coprod-site build --out SITE`), served over loopback by a plain
static server (Python's threading `http.server`: no compression, one connection per request,
`Last-Modified` and no `Cache-Control`, as a simple static host). For each query, each repeat
opens a fresh browser context (an empty cache: cold) at `search/?q=<query>` and waits for the
page's `search-first-results` performance mark, set as the first results (or the no-results
help) are drawn; then it opens the same address again in that context (warm: the browser's
cache and compiled code kept). Times are the mark's, in ms from navigation start. Sites are
measured in alternation (A, B, A, B, ...), so the machine's load touches all alike; the report
gives the median and the range of the repeats. `--latency` has Chromium delay every response,
the worker's too, by that many ms (its network emulation), as a host across the internet would:
on loopback a request costs almost nothing, so only then does a chain of requests one after the
other show its cost.

`--waterfall` also prints to stderr, for the first cold run of each site and query, every
request the page made, its own and Pagefind's (entry, scripts, WebAssembly, metadata, word and
filter chunks, fragments): start and end in ms from navigation start, and body size.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from playwright.sync_api import Browser, BrowserContext, Request, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT_MS = 60_000
# A query most records match, a word of one real record, and a made-up word of about 50 of a
# bench library's records (bench/corpus.py); each gives results or the no-results help.
QUERIES = ("co-production social care", "touchpoints", "ranmipem")
MARK_JS = """
() => {
  const mark = performance.getEntriesByName("search-first-results")[0];
  return mark ? mark.startTime : false;
}
"""
TYPES = {".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm",
         ".css": "text/css", ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def guess_type(self, path: Any) -> str:
        return TYPES.get(Path(str(path)).suffix) or super().guess_type(path)


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A tab closed while its requests were answered (the search goes on after the first
        results) is no error of the site's."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def served(root: Path) -> Iterator[str]:
    """`root` served on 127.0.0.1 at a free port: its address, without a trailing slash."""
    handler = functools.partial(_Handler, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


@dataclass(frozen=True)
class Fetch:
    """One request of a page: its path below the site, start and end (ms from navigation start)
    and its body's size in bytes."""

    path: str
    start: float
    end: float
    size: int


def first_results(context: BrowserContext, address: str, *, record: bool = False,
                  latency: float = 0) -> tuple[float, list[Fetch]]:
    """Open `address` in a new tab of `context`: the mark's time and, if `record`, the requests.
    With `latency` (ms), Chromium delays every response by that much, as a distant host would."""
    page = context.new_page()
    if latency:
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": latency, "downloadThroughput": -1, "uploadThroughput": -1})
    requests: list[Request] = []
    if record:
        page.on("requestfinished", lambda request: requests.append(request))
    try:
        page.goto(address)
        mark = cast(float, page.wait_for_function(MARK_JS, timeout=WAIT_MS).json_value())
        origin = cast(float, page.evaluate("performance.timeOrigin"))
        return mark, sorted((_fetch(request, origin) for request in requests), key=lambda f: f.start)
    finally:
        page.close()


def _fetch(request: Request, origin: float) -> Fetch:
    timing = request.timing
    start = timing["startTime"] - origin
    size = request.sizes()["responseBodySize"]
    return Fetch(request.url.split("/", 3)[-1], start, start + max(timing["responseEnd"], 0), size)


@dataclass
class Times:
    cold: list[float] = field(default_factory=list)
    warm: list[float] = field(default_factory=list)


def measure(browser: Browser, address: str, times: Times, *, waterfall: bool, latency: float) -> list[Fetch]:
    """One cold and one warm run of `address`, added to `times`; the cold run's requests if asked."""
    context = browser.new_context()
    try:
        cold, fetches = first_results(context, address, record=waterfall, latency=latency)
        warm, _ = first_results(context, address, latency=latency)
    finally:
        context.close()
    times.cold.append(cold)
    times.warm.append(warm)
    return fetches


def print_waterfall(label: str, fetches: Sequence[Fetch], mark: float) -> None:
    total = sum(fetch.size for fetch in fetches) / 1024
    lines = [f"\n{label}: first results at {mark:.0f} ms; {len(fetches)} requests, {total:.0f} KiB"]
    lines += [f"  {f.start:7.0f} {f.end:7.0f} {f.size / 1024:8.1f} KiB  {f.path}" for f in fetches]
    print("\n".join(lines), file=sys.stderr)


def spread(values: Sequence[float]) -> str:
    return f"{statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})"


def report(times: dict[tuple[str, str], Times], repeat: int) -> str:
    rows = [f"| site | query | cold ms, median (min-max) of {repeat} | warm ms |",
            "| --- | --- | --- | --- |"]
    rows += [f"| {site} | {query} | {spread(t.cold)} | {spread(t.warm)} |"
             for (site, query), t in times.items()]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("sites", nargs="+", type=Path, help="built sites")
    parser.add_argument("--query", action="append", help=f"repeatable; default: {', '.join(QUERIES)}")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--waterfall", action="store_true", help="print the requests of the first cold run")
    parser.add_argument("--json", type=Path, help="also write the times here")
    parser.add_argument("--latency", type=float, default=0,
                        help="ms added to every response by Chromium (default 0: loopback as it is)")
    args = parser.parse_args(argv)
    queries: list[str] = args.query or list(QUERIES)
    times: dict[tuple[str, str], Times] = {}
    with sync_playwright() as playwright, ExitStack() as stack:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        stack.callback(browser.close)
        roots = [stack.enter_context(served(site)) for site in args.sites]
        for repeat in range(args.repeat):
            for site, root in zip(args.sites, roots, strict=True):
                for query in queries:
                    entry = times.setdefault((str(site), query), Times())
                    fetches = measure(browser, f"{root}/search/?q={quote(query)}", entry,
                                      waterfall=args.waterfall and repeat == 0, latency=args.latency)
                    if fetches:
                        print_waterfall(f"{site} {query!r}", fetches, entry.cold[-1])
    print(report(times, args.repeat))
    if args.json:
        rows = [{"site": site, "query": query, "cold": t.cold, "warm": t.warm}
                for (site, query), t in times.items()]
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
