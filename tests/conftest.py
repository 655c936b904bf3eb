"""Shared fixtures: the browser (from `browser_fixtures`) and sites built once per session.

`real_site` is the repository's own `content/`, `fixture_site` the small valid fixture in
`tests/fixtures/valid/`. Both are built with the repository's `templates/`, the search index
included, on a fixed date, so every test sees the same output. `real_site_in_shards` is the real
content again with its search index in shards of `TINY_SHARD` pages (three bundles, each a
record and a prose page). Tests must treat these folders as read-only; tests that change a site
build their own.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from browser_support import serve_directory
from coprod_site.build import BuildOptions, build_site
from coprod_site.model import urls

pytest_plugins = ["browser_fixtures"]

REPO = Path(__file__).resolve().parent.parent
REAL_CONTENT = REPO / "content"
FIXTURE_CONTENT = REPO / "tests" / "fixtures" / "valid"
TEMPLATES = REPO / "templates"
BUILD_DAY = date(2026, 11, 27)
# The fixture's base_url is https://example.org/library/, so its build sits in a folder named
# `library`: serving the parent folder puts every page at the path it will have when published.
FIXTURE_SUBPATH = "library"
TINY_SHARD = 2  # pages per search bundle, so a handful of pages spans several bundles


def build_into(content: Path, out: Path, *, shard_pages: int | None = None) -> Path:
    """Build `content` with the repository's templates into `out`; fail on any content error.
    With `shard_pages`, the search index is split into bundles of at most that many pages."""
    options = BuildOptions(shard_pages=shard_pages or urls.SEARCH_SHARD_PAGES)
    result = build_site(content, out, TEMPLATES, today=BUILD_DAY, options=options)
    problems = "\n".join(item.headline() for item in result.load.diagnostics)
    assert result.ok, f"{content} did not build:\n{problems}"
    return out


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content, built once per session; returns the output folder."""
    return build_into(REAL_CONTENT, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="session")
def real_site_in_shards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content built once per session with its search index in bundles of TINY_SHARD pages."""
    return build_into(REAL_CONTENT, tmp_path_factory.mktemp("real-shards") / "site", shard_pages=TINY_SHARD)


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid fixture, built once per session; returns the output folder (named `library`)."""
    return build_into(FIXTURE_CONTENT, tmp_path_factory.mktemp("fixture") / FIXTURE_SUBPATH)


@pytest.fixture(scope="module")
def real_root(real_site: Path) -> Iterator[str]:
    """The real site's address, served from its root on 127.0.0.1 (ending in '/')."""
    with serve_directory(real_site) as url:
        yield url + "/"


@pytest.fixture(scope="module")
def fixture_root(fixture_site: Path) -> Iterator[str]:
    """The fixture site's address, served under /library/ as it will be published."""
    with serve_directory(fixture_site.parent) as url:
        yield f"{url}/{FIXTURE_SUBPATH}/"
