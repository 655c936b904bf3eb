"""site.yml's `cms:` mapping reaches the CMS's configuration, and `serve --cms` runs decap-server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml

from conftest import TEMPLATES
from content_factory import TODAY, fixture_text, load_content, make_content, shown
from coprod_site.build import BuildOptions, build_site
from coprod_site.model import new_record_text
from coprod_site.scaffold import read_taxonomies
from html_tools import parse_file

REPOSITORY = Path(__file__).resolve().parents[1]
CMS_BLOCK = "cms:\n  repo: my-org/my-library\n  branch: live\n  auth-url: https://auth.example.org/oauth/auth\n"


def test_site_yml_names_the_repository_the_cms_saves_to(tmp_path: Path) -> None:
    content = make_content(tmp_path, {"site.yml": fixture_text("site.yml") + CMS_BLOCK})
    result = build_site(content, tmp_path / "site", TEMPLATES, today=TODAY,
                        options=BuildOptions(search=False))
    assert result.ok
    config = yaml.safe_load((tmp_path / "site" / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert config["backend"] == {"name": "github", "repo": "my-org/my-library", "branch": "live",
                                 "base_url": "https://auth.example.org", "auth_endpoint": "oauth/auth"}


def test_a_wrong_cms_mapping_is_a_content_problem(tmp_path: Path) -> None:
    bad = "cms:\n  repo: https://github.com/my-org/my-library\n"
    content = make_content(tmp_path, {"site.yml": fixture_text("site.yml") + bad})
    lines = fixture_text("site.yml").count("\n")
    result = load_content(content)
    assert shown(result) == [(
        f"content/site.yml:{lines + 1}:1: error: cms.repo: 'https://github.com/my-org/my-library' is not a "
        "GitHub repository", "write it as owner/name, as in the repository's address on github.com")]


def test_serve_with_cms_starts_decap_server_beside_the_site_and_stops_it(tmp_path: Path) -> None:
    make_content(tmp_path)
    (tmp_path / "node_modules").symlink_to(REPOSITORY / "tests" / "node_modules")  # as scripts/setup has it
    env = os.environ | {"PYTHONPATH": str(REPOSITORY / "src")}
    command = [sys.executable, "-m", "coprod_site.cli", "serve", "--port", "0", "--templates", str(TEMPLATES),
               "--cms", "files"]
    with subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, env=env) as server:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first == f"CMS: decap-server saves into {tmp_path.resolve()} (files); edit at /admin/\n"
        serving = ""
        while "serving" not in serving:
            serving = server.stdout.readline()
            assert serving, "serve stopped before it started serving"
        found = re.search(r"http://127\.0\.0\.1:\d+/", serving)
        assert found, serving
        with urllib.request.urlopen(found[0] + "admin/", timeout=10) as response:
            page = response.read().decode("utf-8")
        assert "cms-record-format.js" in page and "livereload" not in page and "__coprod-site" not in page
        request = urllib.request.Request("http://127.0.0.1:8081/api/v1", data=b'{"action": "info"}',
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert b'"local_fs"' in response.read()
        server.send_signal(2)
        assert server.wait(timeout=30) == 0
    time.sleep(0.5)
    with pytest.raises(OSError):
        urllib.request.urlopen(request, timeout=2)


def _contribute_actions(site: Path) -> list[tuple[str, str]]:
    page = parse_file(site / "contribute" / "index.html")
    return [(link.text(), link.get("href")) for actions in page.find_all("p", cls="page-actions")
            for link in actions.find_all("a")]


def test_the_contribute_page_opens_a_new_record_in_githubs_editor(tmp_path: Path) -> None:
    """With the repository named, the page offers GitHub's editor filled with what `new` writes."""
    page = "---\ntitle: Add or correct evidence\nsummary: Three ways to add a record.\n---\nText.\n"
    content = make_content(tmp_path, {"site.yml": fixture_text("site.yml") + CMS_BLOCK,
                                      "pages/contribute.md": page})
    site = tmp_path / "site"
    assert build_site(content, site, TEMPLATES, today=TODAY, options=BuildOptions(search=False)).ok
    [(label, href)] = _contribute_actions(site)
    assert label == "Start a new record in GitHub's editor"
    parts = urlsplit(href)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "github.com", "/my-org/my-library/new/live")
    query = dict(parse_qsl(parts.query))
    assert query["filename"] == "content/evidence/your-record-id.md"
    taxonomies = read_taxonomies(content, display_root=tmp_path)
    assert query["value"] == new_record_text("your-record-id", today=None, taxonomies=taxonomies) + "\n"
    assert "\nadded:\n" in query["value"], "the date is left for the editor, so the page never goes stale"
    bare = make_content(tmp_path / "bare", {"pages/contribute.md": page})
    options = BuildOptions(search=False)
    assert build_site(bare, tmp_path / "bare-site", TEMPLATES, today=TODAY, options=options).ok
    assert _contribute_actions(tmp_path / "bare-site") == [], "no repository named: no link"
