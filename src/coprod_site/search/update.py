"""Search: bring the bundles `index_site` made up to date after some pages changed.

The dev server calls `update_index` after it rewrites pages (from a thread of its own: each page
is read once, whole, so a page being replaced by a rename is seen old or new, never cut). The
shards are worked out afresh from the pages now in the folder; a bundle is indexed again only if
its shard's pages are not the ones it holds (a page added, removed or moved to another shard) or
one of them changed. The other bundles are read back from the folder (while Pagefind works) and
checked, their shared words told apart from their own (the shared ones have no pages), and all
then go through the same vocabulary and canonical steps as in `index_site`, so the folder ends
as `index_site` would leave it, byte for byte. Only bundles whose files differ are rewritten,
each into a fresh folder swapped in by renames; a bundle folder beyond the new count is removed.
"""

from __future__ import annotations

import gzip
import shutil
import zlib
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from coprod_site.errors import BuildError
from coprod_site.model import urls
from coprod_site.output_folder import swap_in
from coprod_site.search.canonical import Files, write_bundle
from coprod_site.search.pagefind import (
    IndexReport,
    finish_bundles,
    index_shards,
    is_record,
    searchable_pages,
    split_shards,
)
from coprod_site.search.verify import fragment_url, verify_bundle


def update_index(folder: Path, glob: str, changed: Collection[str], *,
                 shard_pages: int = urls.SEARCH_SHARD_PAGES) -> IndexReport:
    """Re-index only the bundles of `folder` whose shard holds a page of `changed` (paths below
    `folder`, added and removed ones included) or whose shard's pages are no longer the same;
    the folder ends as `index_site(folder, glob, shard_pages=shard_pages)` would leave it."""
    pages = searchable_pages(folder, glob)
    if not pages:
        raise BuildError(f"Pagefind indexed no pages: no page of {folder} matches {glob}")
    names = urls.search_index_urls(len(pages), sum(map(is_record, pages)), shard_pages=shard_pages)
    shards = dict(zip(names, split_shards(pages, shard_pages=shard_pages), strict=True))
    before = {name: _read_files(folder / name) for name in names}
    touched = set(changed)
    again = {name: shard for name, shard in shards.items()
             if before[name] is None or touched.intersection(shard) or _pages_of(before[name]) != set(shard)}
    with ThreadPoolExecutor(max_workers=1) as pool:  # Pagefind works while the others are read
        indexing = pool.submit(index_shards, folder, again)
        kept = {name: verify_bundle(dict(before[name] or {}), folder / name, canonical=True)
                for name in names if name not in again}
        bundles = {**kept, **indexing.result()}
    finish_bundles(bundles)
    for name in names:
        if bundles[name].files != before[name]:
            _swap_in(folder / name, bundles[name].files)
    _remove_extra_bundles(folder, names)
    return IndexReport(sum(bundles[name].pages for name in names), names)


def _read_files(bundle: Path) -> Files | None:
    """Every file of the bundle folder `bundle`, or None if there is none."""
    if not bundle.is_dir():
        return None
    return {path.relative_to(bundle).as_posix(): path.read_bytes()
            for path in sorted(bundle.rglob("*")) if path.is_file()}


def _pages_of(files: Files | None) -> set[str]:
    """The pages (paths below the site folder) whose fragments `files` holds."""
    pages = set()
    for name, data in (files or {}).items():
        if name.startswith("fragment/"):
            try:
                url = fragment_url(name, data)
            except (ValueError, KeyError, TypeError, EOFError, zlib.error, gzip.BadGzipFile):
                return set()  # unreadable: index this shard again
            pages.add(url.lstrip("/") + ("index.html" if url.endswith("/") else ""))
    return pages


def _swap_in(bundle: Path, files: Files) -> None:
    """Write `files` into a fresh folder beside `bundle`, then put it in place of `bundle`."""
    fresh = bundle.with_name(bundle.name + ".new")
    shutil.rmtree(fresh, ignore_errors=True)
    write_bundle(fresh, files)
    swap_in(fresh, bundle)


def _remove_extra_bundles(folder: Path, names: Collection[str]) -> None:
    """Remove the bundle folders of shards the library no longer has."""
    number = len(names) + 1
    while (extra := folder / urls.search_bundle_url(number)).is_dir():
        shutil.rmtree(extra)
        number += 1
