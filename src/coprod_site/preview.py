"""The dev server's builds: one whole build first, then each change brought into the folder in place.

`Preview` is what `coprod-site serve` rebuilds with. Its first build is `build_site`'s (a fresh
folder, swapped in) and leaves the loaded site in memory (`load.LoadMemo`). Each later build,
holding the folder's build lock, loads again parsing only the record files that changed, and
`render.render_changes` rewrites only the outputs whose key changed, each file replaced whole.
A load with errors writes nothing: the last good site stays. The slow outputs an editor is not
looking at (downloads, feeds, the sitemap, the open-data page: `render.DEFERRABLE`) and then the
search index follow in the background (`SearchFollower`), always from the latest version; the
pages never wait for them, and the status says "updating" until they are done.

The folder is the dev server's own: `build` keeps its all-or-nothing swap for the folder it
publishes.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from pathlib import Path

from coprod_site.build import BuildOptions, BuildResult, BuildTimings, build_site
from coprod_site.build_cache import digest, folder_digest, generator_digest
from coprod_site.build_guard import build_lock
from coprod_site.errors import BuildError, CoprodError, os_error_text
from coprod_site.load import LoadMemo, load_site
from coprod_site.model import Output
from coprod_site.output_folder import link_or_copy
from coprod_site.parallel import default_workers
from coprod_site.render import (
    DEFERRABLE,
    KINDS,
    Rendered,
    Writer,
    render_changes,
    rendered_as_built,
    searchable_glob,
)
from coprod_site.search import index_site

_BATCH = 8
"""Deferred outputs written at a time (the open-data files take longest, about 0.3 s at 10,000)."""


class SearchState(StrEnum):
    """Where the search index stands against the pages being served."""

    CURRENT = "current"
    UPDATING = "updating"
    FAILED = "failed"


class SearchFollower:
    """Runs follow-up work (deferred outputs, then the search index) in a thread of its own:
    `follow` asks for it; a request made while it runs is kept and run once it ends. While a
    build is writing pages (`building`), the index is already behind them, so the state is
    "updating" from the start of the build."""

    def __init__(self, announce: Callable[[str], None] = lambda message: None) -> None:
        self.announce = announce
        self._wanted: Callable[[], None] | None = None
        self._running = self._building = self._failed = self._stopping = False
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="search index", daemon=True)
        self._thread.start()

    @property
    def state(self) -> SearchState:
        """Updating (a build writes, or follow-up work runs or waits), failed (the last run), or current."""
        with self._lock:
            if self._building or self._running or self._wanted is not None:
                return SearchState.UPDATING
            return SearchState.FAILED if self._failed else SearchState.CURRENT

    def status(self) -> dict[str, object]:
        """The state as the dev server's status shows it: `{"current": true, "state": "current"}`."""
        state = self.state
        return {"current": state is SearchState.CURRENT, "state": state.value}

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """While the block runs, a build writes pages the index has not seen."""
        with self._lock:
            self._building = True
        try:
            yield
        finally:
            with self._lock:
                self._building = False

    def follow(self, work: Callable[[], None]) -> None:
        """Run `work` once the running work (if any) ends; it replaces any work still waiting."""
        with self._lock:
            self._wanted = work
            self._lock.notify()

    def stop(self, *, wait: float = 1.0) -> None:
        """Stop the thread: work still waiting is dropped, and work running is waited for at most
        `wait` seconds (the server stops at once; a later index starts afresh)."""
        with self._lock:
            self._stopping = True
            self._lock.notify()
        self._thread.join(wait)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._wanted is None and not self._stopping:
                    self._lock.wait()
                work, self._wanted = self._wanted, None
                if self._stopping or work is None:
                    return
                self._running = True
            problem = _attempt(work)
            with self._lock:
                self._running, self._failed = False, bool(problem)
            if problem:
                self.announce(f"the search index could not be updated: {problem}")


def _attempt(index: Callable[[], None]) -> str:
    try:
        index()
    except CoprodError as error:
        return str(error)
    except OSError as error:
        return os_error_text(error)
    except Exception as error:  # a crash (say, in a template) must not end the thread
        return f"{type(error).__name__}: {error}"
    return ""


@dataclass(frozen=True, slots=True)
class Update:
    """One build of the preview: what it loaded, and the outputs written and removed in place
    (every file for the first build)."""

    result: BuildResult
    written: tuple[Output, ...] = ()
    removed: tuple[str, ...] = ()
    deferred: tuple[Output, ...] = ()
    """Outputs to write in the background (`render.DEFERRABLE`)."""


class Preview:
    """The dev server's site in `out`, from `content` through `templates`; see the module docstring."""

    def __init__(self, content: Path, out: Path, templates: Path, *, today: Callable[[], date],
                 options: BuildOptions, search: SearchFollower | None = None) -> None:
        self.content, self.out, self.templates, self.today = content, out, templates, today
        self.options = replace(options, memo=options.memo or LoadMemo())
        self.search = search
        self.rendered: Rendered | None = None
        self._generator = generator_digest()
        self._writing = threading.Lock()  # held by whoever writes into `out`
        self._pending: dict[str, Output] = {}  # deferred outputs not written yet, by URL
        self._writer: tuple[Rendered, Writer] | None = None

    def build(self) -> Update:
        """The first build whole, then each change in place."""
        with self._writing:
            if self.rendered is None:
                return self._first()
            building = self.search.building() if self.search else contextlib.nullcontext()
            try:
                with building, build_lock(self.out, waiting=self.options.waiting):
                    return self._in_place(self.rendered)
            except OSError as error:
                raise BuildError(os_error_text(error)) from None

    def _salt(self) -> str:
        return digest(self._generator, folder_digest(self.templates))

    def _first(self) -> Update:
        salt = self._salt()
        self._pending.clear()  # a whole build writes every output
        result = build_site(self.content, self.out, self.templates, today=self.today(), options=self.options)
        if result.load.site is not None:
            self.rendered = rendered_as_built(result.load.site, result.load.outputs, salt=salt)
        return Update(result, result.rendered)

    def _in_place(self, before: Rendered) -> Update:
        started, workers = time.perf_counter(), self.options.workers or default_workers()
        loaded = load_site(self.content, today=self.today(), display_root=self.options.working_folder,
                           workers=workers, shard_pages=self.options.shard_pages, memo=self.options.memo)
        loaded_at = time.perf_counter()
        if loaded.site is None:
            return Update(BuildResult(loaded, timings=BuildTimings(load=loaded_at - started)))
        try:
            changes = render_changes(before, loaded.site, loaded.outputs, self.templates, self.out,
                                     salt=self._salt(), workers=workers,
                                     defer=DEFERRABLE if self.search is not None else frozenset())
        except BaseException:
            self.rendered = None  # the folder may hold part of this version: the next build is whole
            raise
        self.rendered = changes.rendered
        self._pending.update((output.url, output) for output in changes.deferred)
        timings = BuildTimings(loaded_at - started, time.perf_counter() - loaded_at)
        result = BuildResult(loaded, len(changes.written), 0, changes.written, timings)
        if self.search is not None and (changes.written or changes.removed or changes.deferred):
            self.search.follow(self._follow_up)
        return Update(result, changes.written, changes.removed, changes.deferred)

    def _follow_up(self) -> None:
        """Write the deferred outputs from the latest version, one at a time, then re-index."""
        while self._write_pending():
            pass
        with self._writing:
            if self.rendered is None or not self.options.search:
                return
            plan = self.rendered.plan
        reindex(self.out, searchable_glob(plan), _searchable(plan), shard_pages=self.options.shard_pages)

    def _write_pending(self) -> bool:
        """Write a few deferred outputs (those still planned); False when none is left. The lock
        is held for a few at a time, so a new edit waits for little."""
        with self._writing:
            rendered = self.rendered
            if rendered is None or not self._pending:
                return False
            if self._writer is None or self._writer[0] is not rendered:
                writer = Writer(rendered.site, rendered.plan, self.templates, env=rendered.env)
                self._writer = (rendered, writer)
            writer = self._writer[1]
            batch = [self._pending.popitem()[1] for _ in range(min(_BATCH, len(self._pending)))]
            try:
                writer.write([output for output in batch if output.url in writer.planned], self.out)
            except BaseException:
                self.rendered, self._writer = None, None  # the next build is whole
                raise
            return True


def _searchable(plan: Sequence[Output]) -> tuple[str, ...]:
    return tuple(output.path for output in plan if KINDS[output.kind].searchable)


def reindex(folder: Path, glob: str, pages: Sequence[str], *, shard_pages: int) -> None:
    """Index the searchable `pages` of `folder` anew beside it, then move each new bundle in
    place of the old one (a search never meets a half-written bundle)."""
    scratch = folder.parent / f".{folder.name.lstrip('.')}.search-update"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        for page in pages:
            (scratch / page).parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(folder / page, scratch / page)
        report = index_site(scratch, glob, shard_pages=shard_pages)
        for bundle in report.bundles:
            _replace_folder(scratch / bundle, folder / bundle)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _replace_folder(new: Path, old: Path) -> None:
    aside = old.with_name(f".{old.name}.old-{os.getpid()}")
    shutil.rmtree(aside, ignore_errors=True)
    if old.exists():
        old.rename(aside)
    new.rename(old)
    shutil.rmtree(aside, ignore_errors=True)

