"""Search: index the finished output folder with Pagefind's real binary, in shards.

Pagefind holds everything it indexes in memory (about 220 KB a page), so one pass over a large
library would not fit. The searchable pages are split into shards of at most
`urls.SEARCH_SHARD_PAGES` pages, and each shard becomes a bundle of its own at the address
`urls.search_index_urls` gives it; the search page lists the same addresses and merges their
results, and `search_vocabulary` makes the shards answer as one index would. Pagefind reads a
shard from a scratch folder of hard links to that shard's pages, at the same paths, beside the
output folder, so the URLs it stores are the pages' own. Two shards are indexed at once, which
uses both cores and bounds the memory to two shards' worth. Each bundle is read back whole
(`verify_bundle`) before anything else touches it. Pagefind inherits the descriptors in `hold`
(the build lock), so a Pagefind run that outlives a killed build still holds the lock.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
import signal
import subprocess
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin

from coprod_site.build_guard import fault_point
from coprod_site.errors import BuildError
from coprod_site.model import urls
from coprod_site.output_folder import link_or_copy
from coprod_site.parallel import default_workers
from coprod_site.search.canonical import canonicalise_index
from coprod_site.search.ranking import rank_as_one_index
from coprod_site.search.verify import verify_bundle
from coprod_site.search.vocabulary import Vocabulary, read_vocabulary, share_vocabulary

_INDEXED = re.compile(r"Indexed (\d+) pages?")
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
    found = {path.relative_to(folder).as_posix()
             for pattern in patterns for path in folder.glob(pattern) if path.is_file()}
    return sorted(found, key=lambda page: page.removesuffix("index.html"))


def split_shards(pages: Sequence[str], *,
                 shard_pages: int = urls.SEARCH_SHARD_PAGES) -> list[tuple[str, ...]]:
    """`pages` (in URL order) as one shard per bundle of `urls.search_index_urls`: none holds more
    than `shard_pages` pages (unless records are too few), and all are as even as they can be.

    The record pages and the others are each cut into consecutive runs, and shard i takes run i
    of both (records' longer runs first, the others' last, so no shard exceeds an even share).
    Every shard then holds a record, so every bundle knows the sort keys and leaves the pages
    without them out of a sorted search, as one index would.
    """
    records = [page for page in pages if _is_record(page)]
    others = [page for page in pages if not _is_record(page)]
    count = len(urls.search_index_urls(len(pages), len(records), shard_pages=shard_pages))
    return [(*mine, *theirs) for mine, theirs in zip(_runs(records, count, longer_first=True),
                                                     _runs(others, count, longer_first=False), strict=True)]


def _is_record(page: str) -> bool:
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


def index_site(folder: Path, glob: str = "**/*.html", *,
               shard_pages: int = urls.SEARCH_SHARD_PAGES, hold: tuple[int, ...] = ()) -> IndexReport:
    """Index the pages of `folder` matching `glob` into the bundles of `urls.search_index_urls`,
    in shards of at most `shard_pages` pages (the size the plan used for the search page)."""
    pages = searchable_pages(folder, glob)
    if not pages:
        raise BuildError(f"Pagefind indexed no pages: no page of {folder} matches {glob}")
    shards = split_shards(pages, shard_pages=shard_pages)
    bundles = urls.search_index_urls(len(pages), sum(map(_is_record, pages)), shard_pages=shard_pages)
    executable = pagefind_executable()
    at_once = min(urls.SEARCH_SHARDS_AT_ONCE, default_workers(), len(bundles))
    with _scratch_folder(folder) as scratch, ThreadPoolExecutor(max_workers=at_once) as pool:
        jobs = [pool.submit(_index_shard, executable, folder, shard, scratch / str(number), folder / bundle,
                            read=len(bundles) > 1, hold=hold)
                for number, (shard, bundle) in enumerate(zip(shards, bundles, strict=True), start=1)]
        try:
            indexed = [job.result() for job in jobs]
        except BaseException:
            for job in jobs:
                job.cancel()
            raise
    if len(bundles) > 1:
        vocabularies = {folder / bundle: found[1] for bundle, found in zip(bundles, indexed, strict=True)}
        share_vocabulary(vocabularies, at_once=at_once)
        rank_as_one_index([folder / bundle for bundle in bundles])
    for bundle in bundles:
        canonicalise_index(folder / bundle)
    return IndexReport(sum(count for count, _ in indexed), bundles)


@contextmanager
def _scratch_folder(folder: Path) -> Iterator[Path]:
    """An empty folder beside `folder` (so hard links to its files work), removed afterwards."""
    scratch = folder.parent / f".{folder.name.lstrip('.')}.search-shards"
    shutil.rmtree(scratch, ignore_errors=True)  # left over from an interrupted build
    scratch.mkdir()
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _index_shard(executable: Path, folder: Path, pages: Sequence[str], shard: Path, bundle: Path, *,
                 read: bool, hold: tuple[int, ...]) -> tuple[int, Vocabulary]:
    """Index `pages` of `folder` into `bundle`, through the shard folder `shard`; returns the count
    of pages indexed and (if `read`, while other shards are still being indexed) the bundle's words."""
    try:
        for page in pages:
            (shard / page).parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(folder / page, shard / page)
        indexed = _run_pagefind(executable, shard, bundle, hold)
    finally:
        shutil.rmtree(shard, ignore_errors=True)
    verify_bundle(bundle)
    return indexed, read_vocabulary(bundle) if read else {}


def _run_pagefind(executable: Path, site: Path, bundle: Path, hold: tuple[int, ...]) -> int:
    command = [str(executable), "--site", str(site), "--output-path", str(bundle)]
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              pass_fds=hold) as process:
            fault_point("pagefind-started")
            try:
                stdout, stderr = process.communicate(timeout=3600)
            except subprocess.TimeoutExpired:
                process.kill()
                raise BuildError("Pagefind did not finish within an hour") from None
    except OSError as error:
        raise BuildError(f"could not run Pagefind: {error}") from None
    if process.returncode < 0:
        raise BuildError(f"Pagefind was stopped by {signal.Signals(-process.returncode).name}")
    if process.returncode != 0:
        lines = (stderr or stdout).strip().splitlines() or ["no output"]
        raise BuildError(f"Pagefind failed (exit {process.returncode}): {lines[-1]}")
    match = _INDEXED.search(stdout)
    pages = int(match[1]) if match else 0
    if pages == 0 or not (bundle / "pagefind.js").is_file():
        raise BuildError(f"Pagefind indexed no pages; its output was:\n{stdout}")
    return pages
