"""The dev server's builds: one whole build first, then each change brought into the folder in place.

`Preview` is what `coprod-site serve` rebuilds with. Its first build is `build_site`'s (a fresh
folder, swapped in) and leaves the loaded site in memory (`load.LoadMemo`). Each later build,
holding the folder's build lock, loads again parsing only the record files that changed, and
`render.render_changes` rewrites only the outputs whose key changed, each file replaced whole.
A load with errors writes nothing: the last good site stays. The slow outputs an editor is not
looking at (downloads, feeds, the sitemap, the open-data page: `render.DEFERRABLE`) and then the
search index follow in the background (`SearchFollower`), always from the latest version; the
pages never wait for them, and the status says "updating" until they are done. The first build
leaves its search bundles in memory (`search.IndexMemo`), and each update starts from them, so no
bundle is ever read back: Pagefind reads the changed shard's pages from the folder, and only the
bundle files that differ are written, under the build lock.

Every write into the folder, in the background too, holds its build lock and first checks that
the folder is still the one this preview built (`build` may have swapped in another since): if
not, nothing is written in place and the next build is a whole one. `build` keeps its
all-or-nothing swap.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from coprod_site.build import BuildOptions, BuildResult, BuildTimings, build_site
from coprod_site.build_cache import digest, folder_digest, generator_digest
from coprod_site.build_guard import build_lock
from coprod_site.errors import BuildError, os_error_text
from coprod_site.follow_up import SearchFollower
from coprod_site.load import LoadMemo, load_site
from coprod_site.model import Output
from coprod_site.parallel import default_workers
from coprod_site.render import (
    DEFERRABLE,
    KINDS,
    Rendered,
    Writer,
    render_changes,
    rendered_as_built,
)
from coprod_site.search import IndexMemo, in_url_order, plan_update, publish_update

PREVIEW_SHARD_PAGES = 1_000
"""The most pages a search bundle of the dev server holds. Smaller than `build`'s shards, so that
after a save Pagefind indexes a thousand pages again, not thousands: the index follows an edit
within seconds. The served site is a fresh build with the same shard size, byte for byte."""
_BATCH = 8
"""Deferred outputs written at a time (the open-data files take longest, about 0.3 s at 10,000)."""


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
        self._folder: tuple[int, int] | None = None  # the device and inode of the folder built
        self._unindexed: set[str] | None = None  # searchable pages not indexed (None: unknown)
        self._index: IndexMemo | None = None  # the bundles in `out`, kept in memory

    def build(self) -> Update:
        """The first build whole, then each change in place (whole again when the folder is no
        longer the one built here)."""
        with self._writing:
            building = self.search.building() if self.search else contextlib.nullcontext()
            try:
                with building, self._own_folder() as own:
                    if own and self.rendered is not None:
                        return self._in_place(self.rendered)
            except OSError as error:
                raise BuildError(os_error_text(error)) from None
            return self._first()

    @contextlib.contextmanager
    def _own_folder(self) -> Iterator[bool]:
        """Hold the folder's build lock; True inside when it is still the folder built here."""
        with build_lock(self.out, waiting=self.options.waiting):
            try:
                status = os.stat(self.out)
            except FileNotFoundError:
                yield False
                return
            yield (status.st_dev, status.st_ino) == self._folder

    def _salt(self) -> str:
        return digest(self._generator, folder_digest(self.templates))

    def _first(self) -> Update:
        salt = self._salt()
        self._pending.clear()  # a whole build writes every output
        memo = IndexMemo() if self.options.search else None
        result = build_site(self.content, self.out, self.templates, today=self.today(),
                            options=replace(self.options, index_memo=memo))
        self.rendered, self._index = None, memo if result.ok else None
        self._unindexed = set() if self.options.search else None
        if result.load.site is not None:
            self.rendered = rendered_as_built(result.load.site, result.load.outputs, salt=salt)
            status = os.stat(self.out)
            self._folder = (status.st_dev, status.st_ino)
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
        self._note_unindexed(changes.written, changes.removed)
        self._pending.update((output.url, output) for output in changes.deferred)
        timings = BuildTimings(loaded_at - started, time.perf_counter() - loaded_at)
        result = BuildResult(loaded, len(changes.written), 0, changes.written, timings)
        if self.search is not None and (changes.written or changes.removed or changes.deferred):
            self.search.follow(self._follow_up)
        return Update(result, changes.written, changes.removed, changes.deferred)

    def _follow_up(self) -> None:
        """Write the deferred outputs from the latest version, a few at a time, then re-index."""
        while self._write_pending():
            pass
        with self._writing:
            if self.rendered is None or not self.options.search:
                return
            plan, changed, self._unindexed = self.rendered.plan, self._unindexed, set()
            memo = self._index = self._index or IndexMemo()
        try:
            update = plan_update(self.out, in_url_order(_searchable(plan)), changed,
                                 shard_pages=self.options.shard_pages, memo=memo)
            with self._writing, self._own_folder() as own:
                if own and memo is self._index:  # else a whole build has replaced the folder since
                    publish_update(self.out, update, memo=memo)
        except BaseException:
            self._unindexed = None  # the bundles may be behind by more than is known: index all next time
            raise

    def _note_unindexed(self, written: Sequence[Output], removed: Sequence[str]) -> None:
        """Remember the searchable pages just written or removed, which the index has not seen."""
        if self._unindexed is not None:
            self._unindexed.update(output.path for output in written if KINDS[output.kind].searchable)
            self._unindexed.update(removed)

    def _write_pending(self) -> bool:
        """Write a few deferred outputs (those still planned); False when none is left. The lock
        is held for a few at a time, so a new edit waits for little."""
        with self._writing, self._own_folder() as own:
            rendered = self.rendered
            if rendered is None or not self._pending or not own:
                return False
            if self._writer is None or self._writer[0] is not rendered:
                writer = Writer(rendered.site, rendered.plan, self.templates, env=rendered.env)
                self._writer = (rendered, writer)
            writer = self._writer[1]
            batch = [self._pending.popitem()[1] for _ in range(min(_BATCH, len(self._pending)))]
            try:
                written = [output for output in batch if output.url in writer.planned]
                writer.write(written, self.out)
                self._note_unindexed(written, ())
            except BaseException:
                self.rendered, self._writer = None, None  # the next build is whole
                raise
            return True


def _searchable(plan: Sequence[Output]) -> tuple[str, ...]:
    return tuple(output.path for output in plan if KINDS[output.kind].searchable)
