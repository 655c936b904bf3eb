"""Build: the whole pipeline on one screen — lock, load, plan, render, index, swap.

Any operating-system error (a full disk, a folder that cannot be written) becomes one
`BuildError` naming the path and the cause; the build folder is removed and the published
site is left as it was.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from coprod_site.build_cache import open_cache
from coprod_site.build_guard import build_lock
from coprod_site.errors import BuildError, os_error_text
from coprod_site.load import LoadMemo, LoadResult, load_site
from coprod_site.model import Output, urls
from coprod_site.output_folder import check_target, clear_leftovers, discard, fresh_folder, swap_in
from coprod_site.parallel import default_workers
from coprod_site.render import render_site, searchable_glob
from coprod_site.search import IndexMemo, index_site


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to build: with a search index or not, how many processes, search shard size, cache.

    `working_folder` is where the build was asked from: messages show paths relative to it,
    and the output folder may never be it."""

    search: bool = True
    workers: int | None = None
    """Processes to use; None for one per available core."""
    shard_pages: int = urls.SEARCH_SHARD_PAGES
    cache: Path | None = None
    """With a cache folder, unchanged records are neither parsed nor rendered again."""
    working_folder: Path = field(default_factory=Path.cwd)
    waiting: Callable[[str], None] | None = None
    """Told once when the build waits for another build of the same output folder."""
    memo: LoadMemo | None = None
    """Kept by the dev server: what this load leaves in memory for its next one (`LoadMemo`)."""
    index_memo: IndexMemo | None = None
    """Kept by the dev server: the search bundles this build writes, for its next update (`IndexMemo`)."""


@dataclass(frozen=True, slots=True)
class BuildTimings:
    """Seconds spent on each step: loading and checking, rendering, the search index (0 if skipped)."""

    load: float = 0.0
    render: float = 0.0
    search: float = 0.0

    @property
    def total(self) -> float:
        """The whole build."""
        return self.load + self.render + self.search


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did: the load result, and (when it succeeded) files written and pages indexed."""

    load: LoadResult
    files: int = 0
    indexed: int = 0
    rendered: tuple[Output, ...] = ()
    """The outputs rendered in this build (the others were linked from the build cache)."""
    timings: BuildTimings = BuildTimings()

    @property
    def ok(self) -> bool:
        """True when the site was built and swapped in."""
        return self.load.site is not None


def build_site(content: Path, out: Path, templates: Path, *, today: date,
               options: BuildOptions | None = None) -> BuildResult:
    """Load `content`; if it is valid, render it with `templates` into `out`, replacing it whole.
    Holds the build lock of `out` throughout, so builds of one folder run one after the other."""
    options = options or BuildOptions()
    protected = (content, templates, *([options.cache] if options.cache else []))
    check_target(out, protected=protected, working_folder=options.working_folder)
    try:
        with build_lock(out, waiting=options.waiting) as lock:
            clear_leftovers(out)
            return _locked_build(content, out, templates, today=today, options=options, lock=lock)
    except OSError as error:
        raise BuildError(os_error_text(error)) from None


def _locked_build(content: Path, out: Path, templates: Path, *, today: date, options: BuildOptions,
                  lock: int) -> BuildResult:
    workers = default_workers() if options.workers is None else options.workers
    started = time.perf_counter()
    cache = open_cache(options.cache, content=content, templates=templates)
    loaded = load_site(content, today=today, display_root=options.working_folder, workers=workers,
                       cache=cache, shard_pages=options.shard_pages, memo=options.memo)
    loaded_at = time.perf_counter()
    if loaded.site is None:
        return BuildResult(loaded, timings=BuildTimings(load=loaded_at - started))
    staging = fresh_folder(out)
    try:
        with _passed_over_by_the_collector():
            rendered = render_site(loaded.site, loaded.outputs, templates, staging, workers=workers,
                                   cache=cache)
        rendered_at = time.perf_counter()
        glob = searchable_glob(loaded.outputs)
        if options.search:
            # The render leaves cycles in this process (some 200,000 objects, 170 MB, at 50,000
            # records) that the collector would free only later: freed now, before Pagefind's
            # processes start, they are not held while every process of the build is at its peak.
            gc.collect()
        indexed = (index_site(staging, glob, shard_pages=options.shard_pages, hold=(lock,),
                              memo=options.index_memo).pages if options.search else 0)
        indexed_at = time.perf_counter()
        swap_in(staging, out)
    except BaseException:
        discard(staging)
        raise
    searched = indexed_at - rendered_at if options.search else 0.0
    timings = BuildTimings(loaded_at - started, rendered_at - loaded_at, searched)
    return BuildResult(loaded, rendered.files, indexed, rendered.rendered, timings)


@contextmanager
def _passed_over_by_the_collector() -> Iterator[None]:
    """While rendering, the collector passes over every object that exists now (`gc.freeze`).

    The loaded site lives unchanged through the render, yet each of the collector's full runs
    walked all of it again (about 3 % of a build's CPU at 10,000 records); the render processes
    forked meanwhile share its memory pages instead of copying those the collector would touch.
    Afterwards the objects are the collector's again, so a dev server's old sites can be freed."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
