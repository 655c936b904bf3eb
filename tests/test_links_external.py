"""`coprod-site check --external`: every external URL in the content, fetched politely with lychee.

Never the internet: every URL in these content folders points at small HTTP servers the tests start
on 127.0.0.1, one per behaviour (200, a redirect, 404, 500, a timeout, a 429 then 200). Each server
counts the requests it gets, so the tests can see lychee's retries and its cache.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from cli_support import FixedToday
from content_factory import TODAY, fixture_text, make_content, record
from coprod_site import cli
from coprod_site.check import LinkOptions, check_content
from coprod_site.check.external_links import external_links
from coprod_site.diagnostics import Diagnostic
from coprod_site.load import load_site

TIMEOUT = 2  # seconds lychee waits for each answer; the slow server never answers in time
ARCHIVE = "link an archived copy"


@dataclass
class Servers:
    """The running servers: base URL by behaviour, and requests counted by (behaviour, path)."""

    urls: dict[str, str] = field(default_factory=dict)
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)

    def count(self, behaviour: str, path: str) -> int:
        """How many requests for `path` the `behaviour` server has had so far."""
        with self.lock:
            return self.hits[(behaviour, path)]

    def total(self) -> int:
        """How many requests all servers have had."""
        with self.lock:
            return sum(self.hits.values())


def _handler(behaviour: str, servers: Servers) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            with servers.lock:
                servers.hits[(behaviour, self.path)] += 1
                seen = servers.hits[(behaviour, self.path)]
            if behaviour == "slow":
                servers.release.wait(TIMEOUT * 10)  # longer than lychee waits; released at teardown
                return
            if behaviour == "moved" and self.path != "/target":
                self._answer(301, location="/target")
            elif behaviour == "busy" and seen == 1:
                self._answer(429, retry_after="1")
            else:
                self._answer({"gone": 404, "broken": 500}.get(behaviour, 200))

        def _answer(self, status: int, *, location: str = "", retry_after: str = "") -> None:
            body = b"<!DOCTYPE html><title>Test</title><p>Test page</p>"
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            if retry_after:
                self.send_header("Retry-After", retry_after)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

    return Handler


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that gave up (the timeout case) is expected; say nothing."""


@contextmanager
def _running_servers() -> Iterator[Servers]:
    """One server on 127.0.0.1 per behaviour, shut down when the block ends."""
    running = Servers()
    started: list[tuple[_QuietServer, threading.Thread]] = []
    try:
        for behaviour in ("ok", "moved", "gone", "broken", "slow", "busy"):
            server = _QuietServer(("127.0.0.1", 0), _handler(behaviour, running))
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                      name=f"server-{behaviour}", daemon=True)
            thread.start()
            started.append((server, thread))
            running.urls[behaviour] = f"http://127.0.0.1:{server.server_address[1]}"
        yield running
    finally:
        running.release.set()
        for server, thread in started:
            server.shutdown()
            thread.join()
            server.server_close()


@pytest.fixture
def servers() -> Iterator[Servers]:
    """Fresh servers for one test."""
    with _running_servers() as running:
        yield running


def _with_url(rel: str, url: str) -> str:
    """The fixture file `rel` with its `url:` line pointing at `url`."""
    lines = fixture_text(rel).split("\n")
    index = next(number for number, line in enumerate(lines) if line.startswith("url: "))
    lines[index] = f"url: {url}"
    return "\n".join(lines)


def _local_content(base: Path, servers: Servers, garden: str) -> Path:
    """The fixture with every external URL on the local servers, plus `evidence/garden.md`."""
    ok, moved, gone = servers.urls["ok"], servers.urls["moved"], servers.urls["gone"]
    organisations = fixture_text("taxonomies/organisations.yml").replace(
        "https://example.org/", f"{ok}/organisations/")
    content = make_content(base, {
        **{rel: _with_url(rel, url) for rel, url in (
            ("evidence/peer-support-evaluation.md", f"{ok}/peer"),
            ("evidence/shared-budget-pilot.md", f"{moved}/pilot"),
            ("evidence/youth-panel-interviews.md", f"{gone}/panel"))},
        "taxonomies/organisations.yml": organisations,
        "evidence/garden.md": garden,
    })
    loaded = load_site(content, today=TODAY, display_root=base)
    assert loaded.site is not None, [item.headline() for item in loaded.diagnostics]
    cited = external_links(loaded.site)
    assert cited and all(url.startswith("http://127.0.0.1:") for url in cited), sorted(cited)
    return content


def _line(content: Path, rel: str, text: str) -> int:
    lines = (content / rel).read_text(encoding="utf-8").split("\n")
    return next(number for number, line in enumerate(lines, 1) if text in line)


@dataclass(frozen=True)
class Checked:
    """One run of the external check: the servers, the content folder and what it reported."""

    servers: Servers
    content: Path
    found: tuple[Diagnostic, ...]
    seconds: float


@pytest.fixture(scope="module")
def every_case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Checked]:
    """Content citing every behaviour (record urls, body links), checked once for the module."""
    base = tmp_path_factory.mktemp("external")
    with _running_servers() as servers:
        broken, slow, busy, gone = (servers.urls[name] for name in ("broken", "slow", "busy", "gone"))
        garden = record(url=f"url: {broken}/report", body=(
            "## Sources\n\n"
            f"The [slow report]({slow}/report) never answers.\n\n"
            f"The [busy page]({busy}/page) asks us to wait.\n\n"
            f"The [council site]({gone}) has no page at its root.\n"))
        content = _local_content(base, servers, garden)
        started = time.monotonic()
        found = check_content(content, today=TODAY, display_root=base,
                              links=LinkOptions(external_cache=base / "cache", timeout=TIMEOUT))
        yield Checked(servers, content, found, time.monotonic() - started)


def test_dead_urls_are_reported_where_they_are_written(every_case: Checked) -> None:
    servers = every_case.servers
    broken, slow, gone = servers.urls["broken"], servers.urls["slow"], servers.urls["gone"]
    garden = "evidence/garden.md"
    expected = [
        ("content/evidence/garden.md", 4, f"{broken}/report", "500"),
        ("content/evidence/garden.md", _line(every_case.content, garden, "slow report"),
         f"{slow}/report", "timeout"),
        ("content/evidence/garden.md", _line(every_case.content, garden, "council site"), gone, "404"),
        ("content/evidence/youth-panel-interviews.md", 4, f"{gone}/panel", "404"),
    ]
    assert [(item.path, item.line) for item in every_case.found] == [
        (path, line) for path, line, *_ in expected]
    for item, (_path, _line_number, url, status) in zip(every_case.found, expected, strict=True):
        assert item.field == "url"
        assert item.message.startswith(f"{url} could not be reached: "), item.message
        assert status in item.message.casefold(), item.message
        assert ARCHIVE in item.hint


def test_working_urls_pass(every_case: Checked) -> None:
    servers = every_case.servers
    reported = " ".join(item.message for item in every_case.found)
    for behaviour in ("ok", "moved", "busy"):
        assert servers.urls[behaviour] not in reported
    assert servers.count("ok", "/peer") == 1
    assert servers.count("moved", "/pilot") == 1
    assert servers.count("moved", "/target") == 1, "the redirect was followed"


def test_429_is_retried_after_the_wait_it_asks_for(every_case: Checked) -> None:
    assert every_case.servers.count("busy", "/page") == 2


def test_the_timeout_is_the_one_asked_for(every_case: Checked) -> None:
    """lychee gave up on the slow server after TIMEOUT seconds, four times (three retries with
    back-off): at the default 20 seconds the same four attempts would take well over a minute."""
    assert every_case.servers.count("slow", "/report") == 4
    assert every_case.seconds < 60


def _cacheable(tmp_path: Path, servers: Servers) -> Path:
    ok, busy = servers.urls["ok"], servers.urls["busy"]
    garden = record(url=f"url: {ok}/garden", body=f"## Sources\n\nThe [busy page]({busy}/page).\n")
    return _local_content(tmp_path, servers, garden)


def _check_cli(capsys: pytest.CaptureFixture[str], cache: Path) -> tuple[int, str]:
    code = cli.main(["check", "--content", "content", "--external", "--cache", str(cache),
                     "--format", "github"])
    return code, capsys.readouterr().out


@pytest.fixture
def cli_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the CLI from `tmp_path` on the tests' fixed day, without a GitHub job summary."""
    monkeypatch.setattr(cli, "date", FixedToday)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_second_run_answers_working_urls_from_the_cache(cli_in: Path, servers: Servers,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    _cacheable(cli_in, servers)
    cache = cli_in / "cache"
    first = _check_cli(capsys, cache)
    working = {("ok", "/peer"), ("ok", "/garden"), ("moved", "/pilot"), ("moved", "/target"),
               ("busy", "/page"), ("ok", "/organisations/trust/"), ("ok", "/organisations/council/")}
    before = {key: servers.count(*key) for key in working}
    dead_before = servers.count("gone", "/panel")
    second = _check_cli(capsys, cache)
    assert second == first
    assert first[0] == 1 and "::error file=content/evidence/youth-panel-interviews.md,line=4," in first[1]
    assert {key: servers.count(*key) for key in working} == before, "no second request for a working URL"
    assert all(before.values())
    # lychee never caches a failure (lycheeverse/lychee#2105): a dead URL is asked again each run.
    assert servers.count("gone", "/panel") == dead_before + 1


def test_the_cache_lives_in_the_cache_folder(cli_in: Path, servers: Servers,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _cacheable(cli_in, servers)
    _check_cli(capsys, cli_in / "cache")
    entries = (cli_in / "cache" / ".lycheecache").read_text(encoding="utf-8")
    assert f"{servers.urls['ok']}/peer," in entries
    assert not (cli_in / ".lycheecache").exists()


def test_cache_entries_older_than_a_day_are_not_used(cli_in: Path, servers: Servers,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    _cacheable(cli_in, servers)
    cache_file = cli_in / "cache" / ".lycheecache"
    _check_cli(capsys, cli_in / "cache")
    two_days_ago = int(time.time()) - 2 * 24 * 3600
    aged = [line.rsplit(",", 1)[0] + f",{two_days_ago}"
            for line in cache_file.read_text(encoding="utf-8").splitlines() if line]
    cache_file.write_text("\n".join(aged) + "\n", encoding="utf-8")
    _check_cli(capsys, cli_in / "cache")
    assert servers.count("ok", "/peer") == 2
