"""site.yml's `cms:` mapping reaches the CMS's configuration, and `serve --cms` runs decap-server."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import TEMPLATES
from content_factory import TODAY, fixture_text, load_content, make_content, shown
from coprod_site.build import BuildOptions, build_site

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
