"""Search: bring the bundles `index_site` made up to date after some pages changed.

The dev server calls `plan_update` after it rewrites pages (from a thread of its own: each page
is read once, whole, from the served folder, so a page being replaced by a rename is seen old
or new, never cut), then `publish_update` under its build lock. The shards are worked out afresh
from the pages now in the folder; a bundle is indexed again only if its shard's pages are not
the ones it holds (a page added, removed or moved to another shard) or one of them changed. The
other bundles come from the `IndexMemo` the last index left (or, without one, are read back from
the folder while Pagefind works, checked, their shared words told apart from their own, which
have no pages), and all then go through the same vocabulary and canonical steps as in
`index_site`, so the folder ends as `index_site` would leave it, byte for byte.

A bundle is published in place, file by file: the files that are new or differ are written
(those a search may be reading, by a rename), the entry file last, then the files no longer
listed are removed. Every other file is named after its content, so a search that began with
the old entry file finds the old files, one that begins with the new finds the new, and an
update writes a few files, not thousands. A bundle folder beyond the new count is removed.
`update_index` is both steps at once.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import shutil
import zlib
from collections.abc import Collection, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from coprod_site.errors import BuildError
from coprod_site.model import urls
from coprod_site.output_folder import replace_file
from coprod_site.search.canonical import ENTRY, Files
from coprod_site.search.memo import FRAGMENTS, IndexMemo
from coprod_site.search.pagefind import (
    IndexReport,
    finish_bundles,
    index_shards,
    searchable_pages,
    shards_by_bundle,
)
from coprod_site.search.verify import Bundle, fragment_url, verify_bundle


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """The finished bundles of an update, ready for `publish_update`."""

    bundles: dict[str, Bundle]
    """Every bundle of the library by name, in order; a bundle not indexed again lacks its fragments
    when it came from the memo."""
    shards: dict[str, tuple[str, ...]]
    """The pages of each bundle's shard."""
    indexed: frozenset[str]
    """The bundles indexed again (their fragments are all in their files)."""
    before: dict[str, Files]
    """What is known of each bundle's files in the folder (from the memo: all but the fragments)."""

    @property
    def report(self) -> IndexReport:
        """The pages indexed in all the bundles, and the bundles."""
        return IndexReport(sum(bundle.pages for bundle in self.bundles.values()), tuple(self.bundles))


def update_index(folder: Path, glob: str, changed: Collection[str] | None, *,
                 shard_pages: int = urls.SEARCH_SHARD_PAGES, memo: IndexMemo | None = None) -> IndexReport:
    """Re-index only the bundles of `folder` whose shard holds a page of `changed` (paths below
    `folder`, added and removed ones included; None for all) or whose shard's pages are no longer
    the same; the folder ends as `index_site(folder, glob, shard_pages=shard_pages)` would leave
    it. `memo`, if it holds the folder's bundles, spares reading them back; it is left holding
    the new ones."""
    update = plan_update(folder, searchable_pages(folder, glob), changed, shard_pages=shard_pages, memo=memo)
    publish_update(folder, update, memo=memo)
    return update.report


def plan_update(folder: Path, pages: Sequence[str], changed: Collection[str] | None, *,
                shard_pages: int, memo: IndexMemo | None = None) -> IndexUpdate:
    """The bundles of `pages` (below `folder`, in URL order), indexing again only the shards that
    changed (see `update_index`); writes nothing and leaves `memo` as it is."""
    if not pages:
        raise BuildError(f"Pagefind indexed no pages: no searchable page in {folder}")
    shards = shards_by_bundle(pages, shard_pages=shard_pages)
    names = tuple(shards)
    held = memo if memo is not None and memo.known else None
    known, holds = _held(held, names) if held else _read_back(folder, names)
    touched = None if changed is None else set(changed)
    again = {name: shard for name, shard in shards.items()
             if touched is None or known[name] is None or holds[name] != set(shard)
             or touched.intersection(shard)}
    with ThreadPoolExecutor(max_workers=1) as pool:  # Pagefind works while the others are read
        indexing = pool.submit(index_shards, folder, again)
        kept = {name: held.bundle(name) if held else verify_bundle(dict(known[name] or {}), folder / name,
                                                                   canonical=True)
                for name in names if name not in again}
        bundles = {**kept, **indexing.result()}
    finish_bundles(bundles)
    return IndexUpdate({name: bundles[name] for name in names}, shards, frozenset(again),
                       {name: known[name] or {} for name in names})


_Known = tuple[dict[str, Files | None], dict[str, frozenset[str]]]


def _held(memo: IndexMemo, names: Sequence[str]) -> _Known:
    """The files the memo knows of each bundle (all but the fragments; None if it has none) and
    the pages each holds."""
    return ({name: memo.bundles[name].files if name in memo.bundles else None for name in names},
            {name: memo.shards.get(name, frozenset()) for name in names})


def _read_back(folder: Path, names: Sequence[str]) -> _Known:
    """The files of each bundle in `folder` (None if it has none) and the pages each holds."""
    read = {name: _read_files(folder / name) for name in names}
    return read, {name: _pages_of(files) for name, files in read.items()}


def publish_update(folder: Path, update: IndexUpdate, *, memo: IndexMemo | None = None) -> None:
    """Write the bundles of `update` into `folder` in place (see the module docstring) and remove
    the bundle folders beyond them; `memo` then holds them (and nothing, should this fail)."""
    try:
        for name, bundle in update.bundles.items():
            _publish_bundle(folder / name, bundle.files, update.before[name],
                            fragments_kept=name not in update.indexed)
        _remove_extra_bundles(folder, update.bundles)
    except BaseException:
        if memo is not None:
            memo.forget()
        raise
    if memo is not None:
        memo.remember(update.bundles, update.shards)


def _read_files(bundle: Path) -> Files | None:
    """Every file of the bundle folder `bundle`, or None if there is none."""
    if not bundle.is_dir():
        return None
    return {path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*")) if path.is_file()}


def _pages_of(files: Files | None) -> frozenset[str]:
    """The pages (paths below the site folder) whose fragments `files` holds."""
    pages = set()
    for name, data in (files or {}).items():
        if name.startswith(FRAGMENTS):
            try:
                url = fragment_url(name, data)
            except (ValueError, KeyError, TypeError, EOFError, zlib.error, gzip.BadGzipFile):
                return frozenset()  # unreadable: index this shard again
            pages.add(url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
    return frozenset(pages)


def _publish_bundle(bundle: Path, files: Files, known: Files, *, fragments_kept: bool) -> None:
    """Make the folder `bundle` hold `files` (and, if `fragments_kept`, the fragments it has):
    new or changed files first, the entry file last, then the files no longer listed go.
    `known` is what is known of the folder's files."""
    present = _listing(bundle)
    kept = {name for name in present if name.startswith(FRAGMENTS)} if fragments_kept else set()
    wanted = set(files) | kept
    for name in sorted(files, key=lambda name: name == ENTRY):
        held = known.get(name)
        if name not in present or files[name] != (held if held is not None else (bundle / name).read_bytes()):
            replace_file(bundle / name, files[name])
    for name in sorted(present - wanted):
        (bundle / name).unlink()
    for name in sorted({str(Path(name).parent) for name in present - wanted} - {"."}, reverse=True):
        with contextlib.suppress(OSError):  # a folder that still holds files stays
            (bundle / name).rmdir()


def _listing(bundle: Path) -> set[str]:
    """The files below the folder `bundle`, as paths below it (none if there is no folder)."""
    found: set[str] = set()
    for root, _, names in os.walk(bundle):
        below = os.path.relpath(root, bundle)
        found.update(name if below == "." else f"{below}/{name}" for name in names)
    return found


def _remove_extra_bundles(folder: Path, names: Collection[str]) -> None:
    """Remove the bundle folders of shards the library no longer has."""
    number = len(names) + 1
    while (extra := folder / urls.search_bundle_url(number)).is_dir():
        shutil.rmtree(extra)
        number += 1
