"""A small development server: build, serve on 127.0.0.1, rebuild on change, reload the page.

Only a complete build is ever served. When a rebuild fails, the last good site stays up and
each open page shows the problems in a panel until the next successful build.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import signal
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from coprod_site.diagnostics import Diagnostic
from coprod_site.errors import CoprodError
from coprod_site.report import format_text
from coprod_site.serve.paths import MalformedPath, request_path, resolve
from coprod_site.serve.watch import changes, snapshot

STATUS_PATH = "/__coprod-site/status"
WATCH_INTERVAL = 0.1
"""Seconds between two looks at the watched folders where the kernel does not report changes
(a look at 10,000 files takes about 40 ms); with its reports, how often a stop is noticed."""
CMS_PATH = "/admin/"  # the CMS keeps its own state: a reload after each save would lose the editor's place
_RELOAD_SCRIPT = (
    b"<script>" + (Path(__file__).parent / "livereload.js").read_bytes() + b"</script>"
)


@dataclass
class BuildState:
    """What the server shows: the generation of the last good build, the last failure and, when
    the server was given a way to ask, where the search index stands (an object such as
    `{"current": false, "state": "updating"}`)."""

    generation: int = 0
    errors: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    search: Callable[[], dict[str, object]] | None = None

    def as_json(self) -> bytes:
        """The state as the page's script reads it."""
        with self.lock:
            state: dict[str, object] = {"generation": self.generation, "errors": self.errors}
        if self.search is not None:
            state["search"] = self.search()
        return json.dumps(state).encode()


def rebuild(run_build: Callable[[], tuple[bool, str]], state: BuildState) -> None:
    """Run one build; on success advance the generation, on failure keep the old site."""
    try:
        ok, report = run_build()
    except CoprodError as error:
        ok, report = False, str(error)
    except Exception as error:  # a crash (say, in a template) must not stop the server
        ok, report = False, _crash_report(error)
    with state.lock:
        if ok:
            state.generation += 1
            state.errors = ""
        else:
            state.errors = report


def _crash_report(error: Exception) -> str:
    """An unexpected build error as one line: where it happened (often a template line) and what."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f"{frames[-1].filename}, line {frames[-1].lineno}: " if frames else ""
    return f"the build crashed: {where}{type(error).__name__}: {error}"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder, the build status, and HTML with the reload script added.

    Every request gets an answer: 400 for a malformed path (`paths.request_segments`), the site's
    own 404 page with status 404 for a missing one, and nothing from outside the output folder."""

    state: BuildState

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the terminal shows build reports instead."""

    def do_GET(self) -> None:
        self._answer(with_body=True)

    def do_HEAD(self) -> None:
        self._answer(with_body=False)

    def _answer(self, *, with_body: bool) -> None:
        if request_path(self.path) == STATUS_PATH:
            self._send(200, "application/json", self.state.as_json(), with_body=with_body)
            return
        root = Path(self.directory)
        try:
            target = resolve(root, self.path)
            if target.redirect is not None:
                self._redirect(target.redirect)
            elif target.file is not None:
                self._send_file(target.file, 200, with_body=with_body)
            else:
                self._not_found(root, with_body=with_body)
        except MalformedPath as problem:
            self._send(400, "text/plain; charset=utf-8", f"400 Bad Request: {problem}\n".encode(),
                       with_body=with_body)
        except (OSError, RuntimeError):  # a file that went away or a link loop: not there
            self._not_found(root, with_body=with_body)

    def _send_file(self, path: Path, code: int, *, with_body: bool) -> None:
        if path.suffix == ".html" and not request_path(self.path).startswith(CMS_PATH):
            self._send(code, "text/html; charset=utf-8", _with_reload(path.read_bytes()), with_body=with_body)
        else:
            self._send(code, self.guess_type(str(path)), path.read_bytes(), with_body=with_body)

    def _not_found(self, root: Path, *, with_body: bool) -> None:
        page = root / "404.html"
        try:
            self._send_file(page, 404, with_body=with_body)
        except OSError:  # no site yet (the first build failed): a page that shows the build's problems
            self._send(404, "text/html; charset=utf-8", _with_reload(_NOT_BUILT), with_body=with_body)

    def _redirect(self, location: str) -> None:
        """To the folder's address with '/', so relative links work."""
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, code: int, content_type: str, body: bytes, *, with_body: bool = True) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if with_body:
            self.wfile.write(body)


_NOT_BUILT = (b"<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not built yet</title>"
              b"</head><body><h1>Not built yet</h1><p>The site could not be built. The problems are "
              b"listed here and in the terminal; fix them and this page reloads.</p></body></html>\n")


def _with_reload(html: bytes) -> bytes:
    marker = b"</body>"
    return html.replace(marker, _RELOAD_SCRIPT + marker, 1) if marker in html else html + _RELOAD_SCRIPT


def make_server(out: Path, port: int, state: BuildState, *, host: str = "127.0.0.1"
                ) -> http.server.ThreadingHTTPServer:
    """An HTTP server for `out` on `host` (port 0 picks a free one)."""
    handler = type("Handler", (_Handler,), {"state": state})
    serve_files = functools.partial(handler, directory=str(out))
    return http.server.ThreadingHTTPServer((host, port), serve_files)


def serve(run_build: Callable[[], tuple[bool, str]], *, out: Path, watch: tuple[Path, ...], port: int,
          announce: Callable[[str], None], stop: threading.Event, interval: float = WATCH_INTERVAL,
          bind: str = "127.0.0.1", search: Callable[[], dict[str, object]] | None = None) -> None:
    """Build, serve `out` on `bind` and rebuild whenever `watch` changes, until `stop` is set.

    The first announcement names the address; a failed build's problems are announced too.
    `search`, when given, tells the status where the search index stands. Ctrl+C sets `stop`
    (`_interrupt_stops`)."""
    with _interrupt_stops(stop):
        _serve(run_build, out=out, watch=watch, port=port, announce=announce, stop=stop, interval=interval,
               bind=bind, state=BuildState(search=search))


@contextlib.contextmanager
def _interrupt_stops(stop: threading.Event) -> Iterator[None]:
    """Within the block, the first Ctrl+C sets `stop`, so the server ends once the build it is
    writing is whole (a build cut short would leave its folder half one version, half the next);
    a second Ctrl+C interrupts at once. Only the main thread receives signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(signum: int, frame: object) -> None:
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _serve(run_build: Callable[[], tuple[bool, str]], *, out: Path, watch: tuple[Path, ...], port: int,
           announce: Callable[[str], None], stop: threading.Event, interval: float, bind: str,
           state: BuildState) -> None:
    """`serve` itself."""
    before = snapshot(watch)  # taken before the first build, so an edit made during it is not missed
    rebuild(run_build, state)
    server = make_server(out, port, state, host=bind)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    announce(f"serving {out} on http://{bind}:{server.server_address[1]}/ (Ctrl+C to stop)")
    if state.errors:
        announce(f"the first build failed, so there is no site to show yet:\n{state.errors}\n"
                 "fix this and save: the site is built again on every change")
    try:
        for _ in changes(watch, interval, stop, since=before):
            rebuild(run_build, state)
            if state.errors:
                announce(f"{state.errors}\nrebuild failed; still serving the last good site")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def report_text(diagnostics: Sequence[Diagnostic]) -> str:
    """Diagnostics as the text report editors know."""
    return "\n".join(format_text(item) for item in diagnostics)
