"""Build: the whole pipeline on one screen — load, plan, render, index, swap."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coprod_site.build_cache import open_cache
from coprod_site.load import LoadResult, load_site
from coprod_site.output import check_target, discard, fresh_folder, swap_in
from coprod_site.render import render_site
from coprod_site.search import index_site, searchable_glob
from coprod_site.workers import default_workers


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did: the load result, and (when it succeeded) files written and pages indexed."""

    load: LoadResult
    files: int = 0
    indexed: int = 0

    @property
    def ok(self) -> bool:
        """True when the site was built and swapped in."""
        return self.load.site is not None


def build_site(content: Path, out: Path, templates: Path, *, today: date, search: bool = True,
               workers: int | None = None, cache: Path | None = None) -> BuildResult:
    """Load `content`; if it is valid, render it with `templates` into `out`, replacing it whole.

    With a `cache` folder, unchanged records are neither parsed nor rendered again."""
    check_target(out, protected=(content, templates, *([cache] if cache else [])))
    build_cache = open_cache(cache, content=content, templates=templates)
    loaded = load_site(content, today=today, cache=build_cache)
    if loaded.site is None:
        return BuildResult(loaded)
    staging = fresh_folder(out)
    try:
        files = render_site(loaded.site, loaded.outputs, templates, staging,
                            workers=default_workers() if workers is None else workers, cache=build_cache)
        indexed = index_site(staging, searchable_glob(loaded.outputs)).pages if search else 0
        swap_in(staging, out)
    except BaseException:
        discard(staging)
        raise
    return BuildResult(loaded, files, indexed)
