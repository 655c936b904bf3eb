"""The CMS at /admin/ in real Chromium, saving through decap-server into a local git repository.

No network is used: the pinned Decap script is served from tests/node_modules in place of its
CDN address, decap-server runs on 127.0.0.1, and any other request is refused and recorded.
decap-server runs in git mode with the editorial workflow, so each saved record is a commit on
a branch `cms/evidence/<id>`, as the pull request opened on GitHub would be; and in files mode
beside `serve`, where a save rewrites the working copy and the page is rebuilt.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from browser_support import serve_directory
from conftest import BUILD_DAY, REAL_CONTENT, TEMPLATES
from coprod_site.build import BuildOptions, build_site
from coprod_site.diagnostics import Severity
from coprod_site.formats.cms_config import DECAP_SCRIPT_URL, LOCAL_BACKEND_PORT
from coprod_site.load import load_site
from coprod_site.serve.local_cms import LocalCms, Mode
from test_serve import running_server

DECAP_DIST = Path(__file__).resolve().parent / "node_modules" / "decap-cms" / "dist"
CDN_FOLDER = DECAP_SCRIPT_URL.rsplit("/", 1)[0] + "/"
DEFAULT_LOCAL_API = f"http://localhost:{LOCAL_BACKEND_PORT}/api/v1"
LOADING = 120_000  # ms: the 5 MB script is slow to start on a busy machine
NEW_ID = "community-panels-in-practice"
FINDING = "Members said: “we were heard”, and trust rose."
EDITED = "value-of-co-production"
FIXTURE_RECORD = "peer-support-evaluation"
FIXTURE_TITLE = "Evaluation of a peer support network"
NEW_SUMMARY = "The Co-Production Collective asked what value co-production brings: outcomes that matter."


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding a copy of the real content, committed on `main`."""
    folder = tmp_path / "repo"
    shutil.copytree(REAL_CONTENT, folder / "content")
    git(folder, "init", "--quiet", "--initial-branch=main")
    git(folder, "config", "user.name", "Editor")
    git(folder, "config", "user.email", "editor@example.org")
    git(folder, "add", ".")
    git(folder, "commit", "--quiet", "-m", "Content as published")
    return folder


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def cms_page(browser: Browser, repo: Path, real_site: Path) -> Iterator[Page]:
    """The built site's /admin/ page, talking to decap-server for `repo`, signed in."""
    with LocalCms(repo, port=free_port(), mode=Mode.GIT) as cms, serve_directory(real_site) as root:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        refused: list[str] = []

        def offline(route: Route) -> None:
            refused.append(route.request.url)
            route.abort()

        def from_npm(route: Route) -> None:
            route.fulfill(path=DECAP_DIST / route.request.url.removeprefix(CDN_FOLDER))

        context.route(lambda url: not url.startswith((root, CDN_FOLDER, DEFAULT_LOCAL_API)), offline)
        context.route(CDN_FOLDER + "**", from_npm)
        context.route(DEFAULT_LOCAL_API, lambda route: route.continue_(url=cms.url))
        page = context.new_page()
        page.goto(root + "/admin/")
        page.get_by_role("button", name="Login").click(timeout=LOADING)
        try:
            yield page
        finally:
            context.close()
        assert refused == []


def open_entry(page: Page, path: str, title: str = "") -> None:
    """Open a CMS address afresh, so no notice or form of an earlier screen remains, and wait until
    the entry has loaded (its title shown, no request pending), so nothing resets what is typed."""
    page.goto(page.url.split("#")[0] + "#/collections/evidence/" + path)
    page.reload()
    expect(page.get_by_label("Title", exact=True)).to_have_value(title, timeout=LOADING)
    page.wait_for_load_state("networkidle", timeout=LOADING)


def pick(page: Page, label: str, term: str) -> None:
    page.get_by_label(label, exact=True).click()
    page.get_by_role("option", name=term, exact=True).click()


def save(page: Page, label: str, value: str) -> None:
    """Save, once the field `label` is seen to hold `value`, and wait for the CMS's notice."""
    expect(page.get_by_label(label, exact=True)).to_have_value(value)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Entry saved")).to_be_visible(timeout=LOADING)


def test_a_record_made_in_the_form_is_saved_as_a_branch_that_passes_check_and_builds(
        cms_page: Page, repo: Path, tmp_path: Path) -> None:
    page = cms_page
    open_entry(page, "new")
    page.get_by_label("Title", exact=True).fill("Community panels in practice")
    page.get_by_label("Year", exact=True).fill("2024")
    page.get_by_label("Publication date").fill("2024-03-05")
    page.get_by_label("Web address of the source").fill("https://example.org/panels")
    page.get_by_label("Summary", exact=True).fill("Residents ran panels with the council; both learnt.")
    page.get_by_role("button", name="Add findings").click()
    page.locator('[aria-label="list field"]', has=page.get_by_text("Findings", exact=True)).locator(
        "textarea").first.fill(FINDING)
    pick(page, "Organisations", "NHS England")
    pick(page, "Methods", "Survey")
    pick(page, "Principles", "Equality")
    pick(page, "Benefits", "Empowerment and capacity")
    page.get_by_label("Date added").fill("2026-11-20")
    save(page, "Title", "Community panels in practice")

    branch = f"cms/evidence/{NEW_ID}"
    assert git(repo, "diff", "--name-status", "main", branch) == f"A\tcontent/evidence/{NEW_ID}.md\n"
    saved = git(repo, "show", f"{branch}:content/evidence/{NEW_ID}.md")
    content = tmp_path / "checked" / "content"
    shutil.copytree(REAL_CONTENT, content)
    (content / "evidence" / f"{NEW_ID}.md").write_text(saved, encoding="utf-8")
    loaded = load_site(content, today=BUILD_DAY, display_root=content.parent)
    assert [item.headline() for item in loaded.diagnostics if item.severity is Severity.ERROR] == []
    assert loaded.site is not None
    made = loaded.site.record(NEW_ID)
    assert (made.title, made.year, made.findings, made.url) == (
        "Community panels in practice", 2024, (FINDING,), "https://example.org/panels")
    assert {name: made.terms[name] for name in ("organisations", "methods", "principles", "benefits")} == {
        "organisations": ("nhs-england",), "methods": ("survey",), "principles": ("equality",),
        "benefits": ("empowerment",)}
    assert (made.published.isoformat() if made.published else None, made.added.isoformat()) == (
        "2024-03-05", "2026-11-20")

    built = build_site(content, tmp_path / "checked" / "site", TEMPLATES, today=BUILD_DAY,
                       options=BuildOptions(search=False))
    assert built.ok
    html = (tmp_path / "checked" / "site" / "evidence" / NEW_ID / "index.html").read_text(encoding="utf-8")
    assert "Community panels in practice" in html
    assert "Members said: “we were heard”, and trust rose." in html
    assert "Empowerment and capacity" in html


def test_editing_a_records_summary_changes_only_that_line(cms_page: Page, repo: Path) -> None:
    page = cms_page
    open_entry(page, f"entries/{EDITED}", "Value of Co-production research project")
    page.get_by_label("Summary", exact=True).fill(NEW_SUMMARY)
    save(page, "Summary", NEW_SUMMARY)

    diff = git(repo, "diff", "--unified=0", "main", f"cms/evidence/{EDITED}")
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    old = git(repo, "show", f"main:content/evidence/{EDITED}.md")  # decap-server checks branches out
    old_summary = next(line for line in old.splitlines() if line.startswith("summary: "))
    assert changed == [f"-{old_summary}", f'+summary: "{NEW_SUMMARY}"']


def test_saving_over_serve_writes_the_working_copy_and_the_page_rebuilds(
        browser: Browser, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with running_server(tmp_path) as server, LocalCms(tmp_path, port=free_port(), mode=Mode.FILES) as cms:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(CDN_FOLDER + "**", lambda route: route.fulfill(
            path=DECAP_DIST / route.request.url.removeprefix(CDN_FOLDER)))
        context.route(DEFAULT_LOCAL_API, lambda route: route.continue_(url=cms.url))
        page = context.new_page()
        page.goto(server.root + "admin/")
        page.get_by_role("button", name="Login").click(timeout=LOADING)
        open_entry(page, f"entries/{FIXTURE_RECORD}", FIXTURE_TITLE)
        before = (server.content / "evidence" / f"{FIXTURE_RECORD}.md").read_text(encoding="utf-8")
        page.get_by_label("Summary", exact=True).fill(NEW_SUMMARY)
        expect(page.get_by_label("Summary", exact=True)).to_have_value(NEW_SUMMARY)
        page.get_by_role("button", name="Publish", exact=True).click()
        page.get_by_role("menuitem", name="Publish now").click()
        # no wait for the CMS's notice: serve reloads open pages after the rebuild it causes
        deadline = time.monotonic() + LOADING / 1000
        while NEW_SUMMARY not in server.page(f"evidence/{FIXTURE_RECORD}/"):
            if time.monotonic() > deadline:
                page.screenshot(path=tmp_path / "cms.png")
                pytest.fail(f"the record's page was not rebuilt with the new summary; the CMS shows "
                            f"{page.inner_text('body')[:500]!r} (screenshot {tmp_path / 'cms.png'})")
            time.sleep(0.2)
        context.close()
    after = (server.content / "evidence" / f"{FIXTURE_RECORD}.md").read_text(encoding="utf-8")
    pairs = zip(before.splitlines(), after.splitlines(), strict=True)
    assert [new for old, new in pairs if old != new] == [f'summary: "{NEW_SUMMARY}"']
