"""Search: index the finished output folder with Pagefind's real binary, in shards.

Pagefind holds everything it indexes in memory (about 280 KB a page), so one pass over a large
library would not fit. The searchable pages are split into shards of at most
`urls.SEARCH_SHARD_PAGES` pages, and each shard becomes a bundle of its own at the address
`urls.search_index_urls` gives it; the search page lists the same addresses and merges their
results, and `vocabulary` makes the shards answer as one index would. Pagefind's service
(`service`) is given a shard's pages in URL order, with their own URLs, so the bundle is the
same on every file system. Two shards are indexed at once, in two Pagefind processes (each
works on one core), which uses both cores and bounds the memory to two shards' worth. Each
bundle comes back in memory and is read whole (`verify_bundle`), completed and made canonical
there, and written once. Pagefind inherits the descriptors in `hold` (the build lock), so a
Pagefind run that outlives a killed build still holds the lock.
"""

from __future__ import annotations

import fnmatch
import shutil
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin

from coprod_site.errors import BuildError
from coprod_site.model import urls
from coprod_site.parallel import default_workers
from coprod_site.search.canonical import canonicalise_index, decode_metas, write_bundle
from coprod_site.search.memo import IndexMemo
from coprod_site.search.ranking import rank_as_one_index
from coprod_site.search.service import index_pages
from coprod_site.search.verify import Bundle, verify_bundle
from coprod_site.search.vocabulary import share_vocabulary

_RECORD_PAGES = urls.record_url("*") + "index.html"


@dataclass(frozen=True, slots=True)
class IndexReport:
    """How many pages Pagefind indexed, and the bundles (URLs below the site root) it wrote."""

    pages: int
    bundles: tuple[str, ...]


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the pagefind[bin] package."""
    try:
        return Path(pagefind_bin.get_executable())
    except (FileNotFoundError, OSError) as error:
        raise BuildError(f"the Pagefind binary is missing ({error}); reinstall with "
                         "pip install 'pagefind[bin]'") from None


def searchable_pages(folder: Path, glob: str) -> list[str]:
    """The files of `folder` matching `glob` (a pattern, or `{a,b,...}` as `render.searchable_glob`
    makes it), as paths relative to `folder`, in the order of their URLs."""
    patterns = glob[1:-1].split(",") if glob.startswith("{") and glob.endswith("}") else [glob]
    return in_url_order({path.relative_to(folder).as_posix()
                         for pattern in patterns for path in folder.glob(pattern) if path.is_file()})


def in_url_order(pages: Iterable[str]) -> list[str]:
    """`pages` (paths below the site folder) in the order of their URLs, as shards take them."""
    return sorted(pages, key=lambda page: page.removesuffix("index.html"))


def split_shards(pages: Sequence[str], *,
                 shard_pages: int = urls.SEARCH_SHARD_PAGES) -> list[tuple[str, ...]]:
    """`pages` (in URL order) as one shard per bundle of `urls.search_index_urls`: none holds more
    than `shard_pages` pages (unless records are too few), and all are as even as they can be.

    The record pages and the others are each cut into consecutive runs, and shard i takes run i
    of both (records' longer runs first, the others' last, so no shard exceeds an even share).
    Every shard then holds a record, so every bundle knows the sort keys and leaves the pages
    without them out of a sorted search, as one index would.
    """
    records = [page for page in pages if is_record(page)]
    others = [page for page in pages if not is_record(page)]
    count = len(urls.search_index_urls(len(pages), len(records), shard_pages=shard_pages))
    return [(*mine, *theirs) for mine, theirs in zip(_runs(records, count, longer_first=True),
                                                     _runs(others, count, longer_first=False), strict=True)]


def is_record(page: str) -> bool:
    return fnmatch.fnmatchcase(page, _RECORD_PAGES)


def _runs(items: Sequence[str], count: int, *, longer_first: bool) -> list[Sequence[str]]:
    """`items` cut into `count` consecutive runs whose lengths differ by one at most."""
    size, extra = divmod(len(items), count)
    longer = range(extra) if longer_first else range(count - extra, count)
    runs, start = [], 0
    for index in range(count):
        end = start + size + (index in longer)
        runs.append(items[start:end])
        start = end
    return runs


def index_site(folder: Path, glob: str = "**/*.html", *, shard_pages: int = urls.SEARCH_SHARD_PAGES,
               hold: tuple[int, ...] = (), memo: IndexMemo | None = None) -> IndexReport:
    """Index the pages of `folder` matching `glob` into the bundles of `urls.search_index_urls`,
    in shards of at most `shard_pages` pages (the size the plan used for the search page);
    `memo` is left holding the bundles written (for `update_index`)."""
    pages = searchable_pages(folder, glob)
    if not pages:
        raise BuildError(f"Pagefind indexed no pages: no page of {folder} matches {glob}")
    shards = shards_by_bundle(pages, shard_pages=shard_pages)
    for name in shards:
        shutil.rmtree(folder / name, ignore_errors=True)
    if memo is not None:
        memo.forget()
    made = index_shards(folder, shards, hold=hold, spill=True)
    finish_bundles(made)
    for name, bundle in made.items():
        write_bundle(folder / name, bundle.files)
    if memo is not None:
        memo.remember(made, shards)
    return IndexReport(sum(bundle.pages for bundle in made.values()), tuple(shards))


def shards_by_bundle(pages: Sequence[str], *, shard_pages: int) -> dict[str, tuple[str, ...]]:
    """The shards of `pages` (in URL order) by the name of the bundle that indexes each, in order
    (`urls.search_index_urls`)."""
    names = urls.search_index_urls(len(pages), sum(map(is_record, pages)), shard_pages=shard_pages)
    return dict(zip(names, split_shards(pages, shard_pages=shard_pages), strict=True))


def index_shards(folder: Path, shards: Mapping[str, Sequence[str]], *,
                 hold: tuple[int, ...] = (), spill: bool = False) -> dict[str, Bundle]:
    """Index each shard's pages (below `folder`) into the bundle named by its key, read whole.
    With `spill`, the page fragments (which no later step changes) are written into the bundle's
    folder as soon as they are read, so that only the word index stays in memory."""
    executable = pagefind_executable()
    at_once = max(1, min(urls.SEARCH_SHARDS_AT_ONCE, default_workers(), len(shards)))
    with ThreadPoolExecutor(max_workers=at_once) as pool:
        jobs = {bundle: pool.submit(index_pages, executable, folder, pages, hold=hold)
                for bundle, pages in shards.items()}
        try:
            made = {}
            for bundle, job in jobs.items():
                made[bundle] = verify_bundle(job.result(), folder / bundle)
                if spill:
                    write_bundle(folder / bundle, {name: made[bundle].files.pop(name)
                                                   for name in sorted(made[bundle].files)
                                                   if name.startswith("fragment/")})
            return made
        except BaseException:
            for job in jobs.values():
                job.cancel()
            raise


def finish_bundles(bundles: dict[str, Bundle]) -> None:
    """Share the vocabulary of `bundles`, give each the library's page count (so they rank as one
    index) and make each canonical, ready to be written."""
    metas = [decode_metas(bundle.files) for bundle in bundles.values()]  # decoded once, written once
    at_once = min(urls.SEARCH_SHARDS_AT_ONCE, default_workers())
    share_vocabulary(list(bundles.values()), metas, at_once=at_once)
    rank_as_one_index([bundle.files for bundle in bundles.values()], metas)
    for bundle, meta in zip(bundles.values(), metas, strict=True):
        canonicalise_index(bundle.files, meta, filters_canonical=bundle.canonical)
