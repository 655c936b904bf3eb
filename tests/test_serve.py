"""The development server: serves only complete builds, rebuilds on change, reloads open pages
and shows a failed rebuild in the page while the last good site stays up.

Each test runs `serve` in a thread on a free port, over a private copy of the fixture content
and the templates; the URL comes from its first announcement. Every wait polls with a deadline.
"""

from __future__ import annotations

import http.client
import json
import queue
import re
import shutil
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast
from urllib.error import HTTPError

import pytest
from playwright.sync_api import Page, expect

from browser_support import ConsoleErrors
from conftest import BUILD_DAY, TEMPLATES
from content_factory import make_content
from coprod_site.build import build_site
from coprod_site.cli import main
from coprod_site.serve import STATUS_PATH, report_text, serve
from html_tools import parse

DEADLINE = 10.0  # seconds: a fixture build takes well under one
POLL = 0.02
RECORD = "evidence/peer-support-evaluation.md"
RECORD_URL = "evidence/peer-support-evaluation/"
TITLE = "Evaluation of a peer support network"
_SERVING = re.compile(r"http://127\.0\.0\.1:\d+/")

Status = dict[str, Any]


@dataclass
class DevServer:
    """A running `serve`: its address and the folders it builds from and into."""

    root: str
    content: Path
    templates: Path
    out: Path
    announcements: queue.Queue[str]

    def fetch(self, url: str) -> tuple[str, bytes]:
        """GET `url` (below the root): the final address after redirects, and the body."""
        with urllib.request.urlopen(self.root + url, timeout=DEADLINE) as response:
            return str(response.url), cast(bytes, response.read())

    def page(self, url: str) -> str:
        return self.fetch(url)[1].decode("utf-8")

    def status(self) -> Status:
        return cast(Status, json.loads(self.fetch(STATUS_PATH.lstrip("/"))[1]))

    def wait_for(self, check: Callable[[Status], bool], what: str) -> Status:
        """Poll the status until `check` holds; fail after DEADLINE with the last status seen."""
        end = time.monotonic() + DEADLINE
        while True:
            status = self.status()
            if check(status):
                return status
            if time.monotonic() > end:
                pytest.fail(f"waited {DEADLINE}s for {what}; the status is {status}")
            time.sleep(POLL)

    def edit(self, rel: str, old: str, new: str) -> None:
        """Replace `old` (which must be there) with `new` in a content file."""
        path = self.content / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} is not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wait_for_announcement(messages: queue.Queue[str], failure: list[BaseException]) -> str:
    end = time.monotonic() + DEADLINE
    while time.monotonic() < end and not failure:
        try:
            return messages.get(timeout=POLL)
        except queue.Empty:
            continue
    raise AssertionError(f"serve announced nothing within {DEADLINE}s") from (failure[0] if failure else None)


@contextmanager
def running_server(base: Path, *, first_build_hook: Callable[[], None] = lambda: None) -> Iterator[DevServer]:
    """`serve` on a free port over a copy of the fixture in `base` (the working folder); stopped,
    and checked, at the end. `first_build_hook` runs inside the first build, before it loads."""
    make_content(base)
    shutil.copytree(TEMPLATES, base / "templates")
    content, templates, out = Path("content"), Path("templates"), Path("_site")
    builds = 0

    def run_build() -> tuple[bool, str]:
        nonlocal builds
        builds += 1
        if builds == 1:
            first_build_hook()
        result = build_site(content, out, templates, today=BUILD_DAY)
        return result.ok, report_text(result.load.diagnostics)

    messages: queue.Queue[str] = queue.Queue()
    failure: list[BaseException] = []
    stop = threading.Event()

    def run() -> None:
        try:
            serve(run_build, out=out, watch=(content, templates), port=0, announce=messages.put,
                  stop=stop, interval=0.05)
        except BaseException as error:  # reported by the test, not lost in the thread
            failure.append(error)

    thread = threading.Thread(target=run, name="coprod-site serve")
    thread.start()
    try:
        found = _SERVING.search(_wait_for_announcement(messages, failure))
        assert found, "the first announcement names no address"
        yield DevServer(found[0], base / content, base / templates, base / out, messages)
    finally:
        stop.set()
        thread.join(timeout=DEADLINE)
    assert not thread.is_alive(), "serve did not stop"
    assert not failure, f"serve failed: {failure[0]!r}"


@pytest.fixture
def dev_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[DevServer]:
    """A running server over a copy of the fixture."""
    monkeypatch.chdir(tmp_path)  # so reports name files as editors see them: content/...
    with running_server(tmp_path) as server:
        yield server


# ---- the reload script is served, never written ----

def _reload_scripts(html: str) -> list[str]:
    scripts = [script.raw_text() for script in parse(html).find_all("script")]
    return [script for script in scripts if STATUS_PATH in script]


def test_served_pages_carry_the_reload_script_and_built_files_do_not(dev_server: DevServer) -> None:
    built = sorted(dev_server.out.rglob("*.html"))
    assert len(built) > 10
    for path in built:
        assert STATUS_PATH.encode() not in path.read_bytes(), path
    for url in ("", RECORD_URL, "search/", "about/", "404.html"):
        assert len(_reload_scripts(dev_server.page(url))) == 1, f"/{url}"
    css = dev_server.fetch("assets/site.css")[1]
    assert css == (dev_server.out / "assets" / "site.css").read_bytes()


def test_a_folder_address_without_its_slash_redirects(dev_server: DevServer) -> None:
    """Pages use relative links, so /evidence must become /evidence/ as on a static host."""
    final, body = dev_server.fetch(RECORD_URL.rstrip("/"))
    assert final == dev_server.root + RECORD_URL
    assert TITLE in body.decode("utf-8")


def test_a_missing_page_is_a_404(dev_server: DevServer) -> None:
    with pytest.raises(HTTPError) as raised:
        dev_server.fetch("no-such-page/")
    raised.value.close()
    assert raised.value.code == 404


def raw_request(root: str, target: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    """Send `target` exactly as given (no encoding by a client library): status, headers, body."""
    host, port = root.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=DEADLINE)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_a_missing_page_is_the_sites_own_404_page(dev_server: DevServer) -> None:
    own = (dev_server.out / "404.html").read_bytes()
    for target in ("/nope/", "/nope", "/evidence/nope/index.html", "/pagefind/nope.js"):
        code, headers, body = raw_request(dev_server.root, target)
        assert (code, headers["Content-Type"]) == (404, "text/html; charset=utf-8"), target
        assert body.startswith(own.split(b"</body>")[0]) and STATUS_PATH.encode() in body, target


@pytest.mark.parametrize("target", [
    "/%00", "/evidence/%00/", "/" + "a" * 5000, "/" + "a/" * 1100, "/%ff%fe/", "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc/passwd", "/%5c..%5c", "/a%0d%0aSet-Cookie:%20x=1",
])
def test_a_malformed_path_is_a_400(dev_server: DevServer, target: str) -> None:
    code, headers, body = raw_request(dev_server.root, target)
    assert code == 400 and body.startswith(b"400 Bad Request: "), (target, code, body[:80])
    assert "Set-Cookie" not in headers


def test_nothing_outside_the_output_folder_is_served(dev_server: DevServer) -> None:
    secret = dev_server.out.parent / "secret.txt"
    secret.write_text("private", encoding="utf-8")
    (dev_server.out / "leak.txt").symlink_to(secret)
    for target in ("/leak.txt", "/../secret.txt", "//secret.txt", "/./../secret.txt"):
        code, _, body = raw_request(dev_server.root, target)
        assert code in (400, 404) and b"private" not in body, target


def test_a_head_request_gets_the_headers_alone(dev_server: DevServer) -> None:
    code, headers, body = raw_request(dev_server.root, "/" + RECORD_URL, "HEAD")
    assert (code, body) == (200, b"") and int(headers["Content-Length"]) > 1000


def test_a_redirect_stays_on_the_server(dev_server: DevServer) -> None:
    """A path starting with '//' names a folder of the site, and the redirect says so: never a
    protocol-relative address that a browser would take to another host."""
    code, headers, _ = raw_request(dev_server.root, "//evidence")
    assert (code, headers["Location"]) == (301, "/evidence/")
    assert raw_request(dev_server.root, "//evil.example/evidence")[0] == 404


@pytest.mark.parametrize("port", ["99999", "-1", "65536", "http"])
def test_a_port_out_of_range_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", port]) == 2
    assert f"argument --port: '{port}' is not a port: use a number from 1 to 65535" in capsys.readouterr().err


# ---- rebuilds ----

def _title(html: str) -> str:
    return parse(html).find("h1").text()


def test_an_edit_rebuilds_a_bad_edit_keeps_the_last_good_site_and_a_fix_recovers(
        dev_server: DevServer) -> None:
    assert dev_server.status() == {"generation": 1, "errors": ""}
    assert _title(dev_server.page(RECORD_URL)) == TITLE

    dev_server.edit(RECORD, f"title: {TITLE}", "title: A renamed peer support evaluation")
    dev_server.wait_for(lambda status: status["generation"] == 2, "the rebuild after the edit")
    assert _title(dev_server.page(RECORD_URL)) == "A renamed peer support evaluation"

    dev_server.edit(RECORD, "year: 2024", "year: soon")
    failed = dev_server.wait_for(lambda status: bool(status["errors"]), "the failed rebuild")
    assert failed["generation"] == 2
    assert "content/evidence/peer-support-evaluation.md:3:7: error: year:" in failed["errors"]
    assert _title(dev_server.page(RECORD_URL)) == "A renamed peer support evaluation", "last good site"

    dev_server.edit(RECORD, "year: soon", "year: 2024")
    assert dev_server.wait_for(lambda status: status["generation"] == 3, "recovery") == {
        "generation": 3, "errors": ""}
    assert _title(dev_server.page(RECORD_URL)) == "A renamed peer support evaluation"


def test_an_edit_made_during_the_first_build_is_not_missed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    record = tmp_path / "content" / RECORD

    def edit_now() -> None:
        record.write_text(record.read_text(encoding="utf-8").replace(TITLE, "Edited during the build"),
                          encoding="utf-8")

    with running_server(tmp_path, first_build_hook=edit_now) as server:
        server.wait_for(lambda status: status["generation"] == 2, "a rebuild for the edit")
        assert _title(server.page(RECORD_URL)) == "Edited during the build"


def test_a_template_edit_rebuilds(dev_server: DevServer) -> None:
    page_template = dev_server.templates / "page.html"
    page_template.write_text(page_template.read_text(encoding="utf-8").replace(
        '<p class="lead">', '<p class="lead" data-edited="yes">', 1), encoding="utf-8")
    dev_server.wait_for(lambda status: status["generation"] == 2, "the rebuild after a template edit")
    assert parse(dev_server.page("about/")).find("p", cls="lead").get("data-edited") == "yes"


def test_a_template_that_crashes_the_build_is_reported_and_serving_goes_on(dev_server: DevServer) -> None:
    page_template = dev_server.templates / "page.html"
    good = page_template.read_text(encoding="utf-8")
    page_template.write_text(good.replace("{{ view.title }}", "{{ view.title }}{{ 1 // 0 }}", 1),
                             encoding="utf-8")
    failed = dev_server.wait_for(lambda status: bool(status["errors"]), "the failed rebuild")
    assert failed["errors"].startswith("template ")
    assert failed["errors"].endswith(
        "page.html, line 4: ZeroDivisionError: integer division or modulo by zero")
    assert _title(dev_server.page("about/")) == "About this library"
    page_template.write_text(good, encoding="utf-8")
    dev_server.wait_for(lambda status: status == {"generation": 2, "errors": ""}, "recovery")


# ---- in the browser ----

def test_an_open_page_reloads_after_a_rebuild_and_shows_a_failed_one(
        dev_server: DevServer, page: Page, console_errors: ConsoleErrors) -> None:
    polls: list[str] = []
    page.on("response", lambda response: polls.append(response.url) if STATUS_PATH in response.url else None)
    page.goto(dev_server.root + RECORD_URL)
    end = time.monotonic() + DEADLINE
    while len(polls) < 2:  # after its second poll the page surely knows the current generation
        assert time.monotonic() < end, "the page never polled the build status"
        page.wait_for_timeout(50)
    page.evaluate("window.notReloaded = true")

    dev_server.edit(RECORD, f"title: {TITLE}", "title: Renamed in the editor")
    expect(page.locator("h1")).to_have_text("Renamed in the editor", timeout=DEADLINE * 1000)
    assert page.evaluate("window.notReloaded") is None, "the page changed without reloading"

    dev_server.edit(RECORD, "year: 2024", "year: soon")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("content/evidence/peer-support-evaluation.md:3:7", timeout=DEADLINE * 1000)
    expect(alert).to_contain_text("last good build")
    expect(page.locator("h1")).to_have_text("Renamed in the editor")

    dev_server.edit(RECORD, "year: soon", "year: 2024")
    expect(alert).to_have_count(0, timeout=DEADLINE * 1000)
    expect(page.locator("h1")).to_have_text("Renamed in the editor")
    console_errors.assert_none()


def test_search_works_on_the_dev_server(
        dev_server: DevServer, page: Page, console_errors: ConsoleErrors) -> None:
    page.goto(dev_server.root + "search/?q=chairing")
    first = page.locator("#search-results > li h3 a").first
    expect(first).to_have_text("Youth panel interviews", timeout=DEADLINE * 1000)
    expect(page.locator("#search-status")).to_have_text("1 result for “chairing”")
    console_errors.assert_none()
