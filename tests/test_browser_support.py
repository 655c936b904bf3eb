"""Proves the browser-test harness finds what it is meant to find.

Each check runs against a known-good page and a deliberately broken one, so a
harness that silently checks nothing fails here.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

import browser_support
from browser_support import (
    ConsoleErrors,
    chromium_executable,
    format_violations,
    format_vnu_errors,
    run_axe,
    run_vnu,
    serve_directory,
)

GOOD_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Good page</title>
</head>
<body>
<main>
<h1>Good page</h1>
<p>A paragraph with <a href="/">a link home</a>.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot" width="1" height="1">
<button type="button">Save</button>
</main>
</body>
</html>
"""

INACCESSIBLE_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Inaccessible page</title></head>
<body>
<main>
<h1>Inaccessible page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="1" height="1">
<button type="button"></button>
</main>
</body>
</html>
"""

INVALID_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Invalid page</title></head>
<body>
<p id="twice">One</p>
<p id="twice">Two</p>
</div>
</body>
</html>
"""

NOT_FOUND_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Not found</title></head>
<body><main><h1>Page not found</h1></main></body>
</html>
"""

CONSOLE_ERROR_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Console error</title></head>
<body>
<script>console.error("boom from inline script");</script>
<script>undefinedFunction();</script>
</body>
</html>
"""

PAGES = {
    "index.html": GOOD_PAGE,
    "bad/index.html": INACCESSIBLE_PAGE,
    "invalid.html": INVALID_PAGE,
    "404.html": NOT_FOUND_PAGE,
    "console.html": CONSOLE_ERROR_PAGE,
    "empty-folder/.keep": "",
}


def write_site(root: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def http_status_and_body(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_site(tmp_path_factory.mktemp("site"), PAGES)


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve_directory(site) as url:
        yield url


@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/", 200, "Good page"),
        ("/bad/", 200, "Inaccessible page"),
        ("/missing.html", 404, "Page not found"),
        ("/empty-folder/", 404, "Page not found"),
    ],
)
def test_server_answers_like_a_static_host(base_url: str, path: str, status: int, text: str) -> None:
    assert http_status_and_body(base_url + path)[0] == status
    assert text in http_status_and_body(base_url + path)[1]


def test_server_without_404_page_still_answers_404(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.html": GOOD_PAGE})
    with serve_directory(tmp_path) as url:
        assert http_status_and_body(url + "/nowhere")[0] == 404


def test_server_stops_when_the_block_ends(tmp_path: Path) -> None:
    write_site(tmp_path, {"index.html": GOOD_PAGE})
    with serve_directory(tmp_path) as url:
        pass
    with pytest.raises(urllib.error.URLError):
        http_status_and_body(url + "/")


def test_browser_sees_404_status(page: Page, base_url: str) -> None:
    response = page.goto(base_url + "/missing/")
    assert response is not None
    assert response.status == 404
    assert page.title() == "Not found"


def test_axe_passes_good_page(page: Page, base_url: str) -> None:
    page.goto(base_url + "/")
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def test_axe_finds_missing_alt_and_button_name(page: Page, base_url: str) -> None:
    page.goto(base_url + "/bad/")
    violations = run_axe(page)
    assert {v["id"] for v in violations} >= {"image-alt", "button-name"}
    message = format_violations(violations)
    assert "image-alt (critical)" in message
    assert '<img src="data:image/gif' in message


def test_vnu_passes_good_page_and_reports_invalid_one(site: Path) -> None:
    assert run_vnu([site / "index.html", site / "404.html"]) == []
    errors = run_vnu([site / "index.html", site / "invalid.html"])
    assert {Path(e.url).name for e in errors} == {"invalid.html"}
    messages = [e.message for e in errors]
    assert any("Duplicate ID" in m for m in messages), format_vnu_errors(errors)
    assert any("Stray end tag" in m for m in messages), format_vnu_errors(errors)
    assert "invalid.html:7:" in format_vnu_errors(errors)


def test_vnu_refuses_missing_file(site: Path) -> None:
    # The checker itself passes a missing file silently.
    with pytest.raises(FileNotFoundError, match=r"absent\.html"):
        run_vnu([site / "index.html", site / "absent.html"])


def test_vnu_with_no_files_returns_nothing() -> None:
    assert run_vnu([]) == []


def test_console_errors_are_recorded(page: Page, console_errors: ConsoleErrors, base_url: str) -> None:
    page.goto(base_url + "/console.html")
    recorded = "\n".join(console_errors.messages)
    assert len(console_errors.messages) == 2, recorded
    assert "console.error at " in recorded
    assert "boom from inline script" in recorded
    assert "uncaught ReferenceError: undefinedFunction is not defined" in recorded
    with pytest.raises(AssertionError, match="boom from inline script"):
        console_errors.assert_none()


def test_console_errors_quiet_on_good_page(page: Page, console_errors: ConsoleErrors, base_url: str) -> None:
    page.goto(base_url + "/")
    console_errors.assert_none()


def test_missing_chromium_fails_loudly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr(browser_support, "CHROMIUM_FALLBACK", Path("/nonexistent/chromium"))
    with pytest.raises(RuntimeError, match="Chromium not found"):
        chromium_executable()
