"""Browser-test support: serve a built site, drive Debian's Chromium, check pages.

This module is the harness behind the browser tests. It knows where the
external tools live and how to call them; it holds no state of its own.

- ``serve_directory`` serves a folder on 127.0.0.1 the way a static host does.
- ``launch_chromium`` starts the system Chromium (never a downloaded browser).
- ``run_axe`` checks the open page with axe-core against WCAG 2.x A and AA.
- ``run_vnu`` checks HTML files with the Nu HTML Checker, in one batch.
- ``ConsoleErrors`` records console errors and uncaught exceptions of a page.

axe-core and vnu-jar are pinned in ``tests/package.json`` and installed into
``tests/node_modules`` by ``scripts/setup``.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any, cast

from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright

__all__ = [
    "AXE_SCRIPT",
    "VNU_JAR",
    "ConsoleErrors",
    "VnuError",
    "chromium_executable",
    "format_violations",
    "format_vnu_errors",
    "launch_chromium",
    "run_axe",
    "run_vnu",
    "serve_directory",
]

NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
SETUP_HINT = "run scripts/setup to install the test tools"

CHROMIUM_FALLBACK = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium keeps trying to reach
# Google's hosts, which this machine's closed network refuses.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
AXE_RUN_JS = """
tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})
"""

# Types a static host would send; Python's defaults vary with the system.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
}


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files like a static host: no listings, ``404.html`` on misses."""

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def guess_type(self, path: str | os.PathLike[str]) -> str:
        """Send the types a static host would, whatever the system's tables say."""
        return CONTENT_TYPES.get(Path(path).suffix.lower()) or super().guess_type(path)

    def list_directory(self, path: str | os.PathLike[str]) -> None:
        """Answer 404 for a folder without ``index.html``, as static hosts do."""
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Send the site's own ``404.html`` (status 404) when there is one."""
        not_found_page = Path(self.directory) / "404.html"
        if code != HTTPStatus.NOT_FOUND or not not_found_page.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found_page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve ``root`` over HTTP on 127.0.0.1 and a free port.

    Yields the base URL without a trailing slash, e.g.
    ``http://127.0.0.1:41234``. The server is shut down and its socket closed
    when the block ends.
    """
    if not root.is_dir():
        raise FileNotFoundError(f"cannot serve {root}: not a directory")
    handler = functools.partial(_StaticHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="serve_directory"
    )
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def chromium_executable() -> Path:
    """Return the system Chromium, or raise with a hint on how to install it."""
    found = shutil.which("chromium")
    if found:
        return Path(found)
    if CHROMIUM_FALLBACK.is_file():
        return CHROMIUM_FALLBACK
    raise RuntimeError(
        f"Chromium not found on PATH nor at /usr/bin/chromium; {SETUP_HINT} (apt-get install chromium)"
    )


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch Debian's headless Chromium through Playwright.

    Never falls back to a Playwright-downloaded browser and never skips:
    a missing Chromium is an error.
    """
    return playwright.chromium.launch(
        executable_path=chromium_executable(),
        args=list(CHROMIUM_ARGS),
        headless=True,
    )


def _require_tool(path: Path) -> Path:
    if not path.is_file():
        raise RuntimeError(f"{path} is missing; {SETUP_HINT}")
    return path


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page's current document; return its violations.

    Only rules tagged WCAG 2.0/2.1 A and AA and WCAG 2.2 AA are run.
    """
    page.add_script_tag(path=_require_tool(AXE_SCRIPT))
    results = cast(dict[str, Any], page.evaluate(AXE_RUN_JS, list(AXE_TAGS)))
    return cast(list[dict[str, Any]], results["violations"])


def format_violations(violations: Sequence[dict[str, Any]]) -> str:
    """Describe axe violations for an assertion message, one block per rule."""
    blocks = []
    for violation in violations:
        lines = [
            f"{violation['id']} ({violation.get('impact') or 'no impact'}): {violation['help']}",
            f"  see {violation['helpUrl']}",
        ]
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"  at {target}")
            lines.append(f"    {node['html']}")
        blocks.append("\n".join(lines))
    return f"{len(violations)} axe violation(s):\n" + "\n".join(blocks)


@dataclass(frozen=True)
class VnuError:
    """One error reported by the Nu HTML Checker."""

    url: str
    """The checked file, as a ``file:`` URL."""
    line: int
    """Line of the error (the last line of its extent); 0 when unknown."""
    column: int
    """Column of the error (the last column of its extent); 0 when unknown."""
    message: str
    """The checker's message."""
    extract: str
    """The markup around the error; empty when the checker gives none."""


def _vnu_error(message: dict[str, Any]) -> VnuError:
    return VnuError(
        url=str(message.get("url", "")),
        line=int(message.get("lastLine", 0)),
        column=int(message.get("lastColumn", 0)),
        message=str(message.get("message", "")),
        extract=str(message.get("extract", "")),
    )


def run_vnu(paths: Sequence[Path]) -> list[VnuError]:
    """Check HTML files with the Nu HTML Checker and return its errors.

    All files go to one ``java`` process, because the checker is slow to
    start. Warnings are not reported. A missing file raises
    ``FileNotFoundError``: the checker itself skips it without a word.
    """
    if not paths:
        return []
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"cannot check missing HTML files: {', '.join(missing)}")
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(f"java not found; {SETUP_HINT} (apt-get install default-jre-headless)")
    command = [
        java,
        "-jar",
        str(_require_tool(VNU_JAR)),
        "--format",
        "json",
        "--errors-only",
        "--stdout",
        *(str(path) for path in paths),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"vnu failed ({completed.returncode}): {completed.stderr.strip()}")
    messages = json.loads(completed.stdout)["messages"]
    return [_vnu_error(m) for m in messages if m.get("type") in ("error", "non-document-error")]


def format_vnu_errors(errors: Sequence[VnuError]) -> str:
    """Describe Nu HTML Checker errors for an assertion message."""
    lines = [f"{len(errors)} HTML error(s):"]
    for error in errors:
        lines.append(f"{error.url}:{error.line}:{error.column}: {error.message}")
        if error.extract:
            lines.append(f"    {error.extract.strip()}")
    return "\n".join(lines)


class ConsoleErrors:
    """Records a page's console errors and uncaught exceptions.

    Create it right after the page, before navigating, so nothing is missed;
    then call ``assert_none`` once the page has done its work.
    """

    def __init__(self, page: Page) -> None:
        self.messages: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location
            self.messages.append(f"console.error at {where['url']}:{where['lineNumber']}: {message.text}")

    def _on_page_error(self, error: Error) -> None:
        self.messages.append(f"uncaught {error.name}: {error.message}")

    def assert_none(self) -> None:
        """Fail with every recorded error if there is any."""
        if self.messages:
            raise AssertionError("errors in the browser:\n" + "\n".join(self.messages))
