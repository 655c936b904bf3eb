"""Time from navigation to the search page's first results, cold and warm, in real Chromium.

Usage (from the repository root, with the project's virtual environment)::

    python bench/first_results.py SITE [SITE ...] [--query "co-production social care"]
                                  [--repeat 5] [--waterfall] [--json out.json]

Each SITE is a built site (`coprod-site build --out SITE`), served over loopback by a plain
static server (Python's threading `http.server`, one connection per request, no compression,
as a simple static host). For each query, each repeat opens a fresh browser context (an empty
cache: cold) at `search/?q=<query>`, waits for the page's `search-first-results` performance
mark (set when the first results, or the no-results help, are drawn), then opens the same
address again in that context (warm: the browser's cache and compiled code kept). Sites are
measured in alternation (site A, site B, A, B, ...) so machine drift touches all alike; the
report gives medians and the spread (min-max) in milliseconds from navigation start.

`--waterfall` also prints, for the first cold run of each site and query, every request the
page made (the search script's own and Pagefind's: entry, scripts, WebAssembly, metadata,
index chunks, filter chunks, fragments): when it started and ended (ms from navigation start)
and its size, with the mark for reference.
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
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote

from playwright.sync_api import Browser, BrowserContext, Request, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
MARK = "search-first-results"
WAIT_MS = 60_000
QUERIES = ("co-production social care", "touchpoints", "ranmipem")
MARK_JS = f"""
() => {{
  const mark = performance.getEntriesByName("{MARK}")[0];
  return mark ? mark.startTime : false;
}}
"""
TYPES = {".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm",
         ".css": "text/css", ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def guess_type(self, path: Any) -> str:
        return TYPES.get(Path(str(path)).suffix) or super().guess_type(path)


@contextmanager
def served(root: Path) -> Iterator[str]:
    """`root` served on 127.0.0.1 at a free port: its address, without a trailing slash."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
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
    path: str
    start: float
    end: float
    size: int


def first_results(context: BrowserContext, address: str, requests: list[Request] | None = None) -> float:
    """Open `address` in a new tab of `context`; the mark's time, in ms from navigation start."""
    page = context.new_page()
    if requests is not None:
        page.on("requestfinished", lambda request: requests.append(request))
    try:
        page.goto(address)
        return cast(float, page.wait_for_function(MARK_JS, timeout=WAIT_MS).json_value())
    finally:
        origin = cast(float, page.evaluate("performance.timeOrigin"))
        if requests is not None:
            requests[:] = [cast(Request, _Timed(request, origin)) for request in requests]
        page.close()


class _Timed:
    """A finished request's timing, read while its page is open."""

    def __init__(self, request: Request, origin: float) -> None:
        timing = request.timing
        sizes = request.sizes()
        self.fetch = Fetch(request.url.split("/", 3)[-1], timing["startTime"] - origin,
                           timing["startTime"] - origin + max(timing["responseEnd"], 0),
                           int(sizes["responseBodySize"]))


def measure(browser: Browser, address: str, *, waterfall: bool) -> tuple[float, float, list[Fetch]]:
    """One cold and one warm time for `address`, and the cold run's requests if asked."""
    context = browser.new_context()
    try:
        requests: list[Request] = []
        cold = first_results(context, address, requests if waterfall else None)
        warm = first_results(context, address)
    finally:
        context.close()
    fetches = sorted((cast(Any, request).fetch for request in requests), key=lambda f: f.start)
    return cold, warm, fetches


def print_waterfall(label: str, fetches: Sequence[Fetch], mark: float) -> None:
    print(f"\n{label}: first results at {mark:.0f} ms; {len(fetches)} requests, "
          f"{sum(f.size for f in fetches) / 1024:.0f} KiB", file=sys.stderr)
    for fetch in fetches:
        print(f"  {fetch.start:7.0f} {fetch.end:7.0f} {fetch.size / 1024:8.1f} KiB  {fetch.path}", file=sys.stderr)


def spread(values: Sequence[float]) -> str:
    return f"{statistics.median(values):6.0f} ({min(values):.0f}-{max(values):.0f})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sites", nargs="+", type=Path)
    parser.add_argument("--query", action="append", help=f"default: {', '.join(QUERIES)}")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--waterfall", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    queries = args.query or list(QUERIES)
    times: dict[tuple[str, str], dict[str, list[float]]] = {}
    with sync_playwright() as playwright, contextlib_exit_stack() as stack:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        roots = [stack.enter_context(served(site)) for site in args.sites]
        for repeat in range(args.repeat):
            for site, root in zip(args.sites, roots, strict=True):
                for query in queries:
                    address = f"{root}/search/?q={quote(query)}"
                    cold, warm, fetches = measure(browser, address, waterfall=args.waterfall and repeat == 0)
                    if fetches:
                        print_waterfall(f"{site} {query!r}", fetches, cold)
                    entry = times.setdefault((str(site), query), {"cold": [], "warm": []})
                    entry["cold"].append(cold)
                    entry["warm"].append(warm)
        browser.close()
    print(f"| site | query | cold ms, median (min-max) of {args.repeat} | warm ms |")
    print("| --- | --- | --- | --- |")
    for (site, query), entry in times.items():
        print(f"| {site} | {query} | {spread(entry['cold'])} | {spread(entry['warm'])} |")
    if args.json:
        rows = [{"site": site, "query": query, **entry} for (site, query), entry in times.items()]
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    return 0


def contextlib_exit_stack() -> Any:
    from contextlib import ExitStack
    return ExitStack()


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Fetch", "first_results", "main", "measure", "served"]
_ = asdict
