"""Load: read, parse, validate and cross-reference the content folder into one immutable `Site`.

`load_site` is the whole first phase. It never raises for content problems: every problem
becomes a `Diagnostic`, and the `Site` is returned only when there are no errors.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path, PurePosixPath

from coprod_site.build_cache import BuildCache
from coprod_site.diagnostics import Diagnostic, Diagnostics, Severity, Where, count_of
from coprod_site.errors import UsageError
from coprod_site.load.cross_checks import (
    check_duplicate_ids,
    check_map_spec,
    check_reviews,
    check_summaries,
    check_unused_terms,
)
from coprod_site.load.documents import ContentRoot
from coprod_site.load.memo import LastSite, LoadMemo
from coprod_site.load.pages import load_pages
from coprod_site.load.records import load_records
from coprod_site.load.site_config import SITE_FILE, load_config
from coprod_site.load.source_files import list_content_files
from coprod_site.load.taxonomies import load_taxonomies
from coprod_site.model import (
    PUBLISHER_ROLE,
    Output,
    Page,
    Record,
    Site,
    SiteConfig,
    Taxonomy,
    map_cells,
    plan_outputs,
    related_records,
    urls,
)
from coprod_site.parallel import default_workers


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The loaded site (None when there were errors) and every diagnostic, sorted."""

    site: Site | None
    diagnostics: tuple[Diagnostic, ...]
    outputs: tuple[Output, ...] = ()
    parsed: tuple[str, ...] = ()
    """The record files parsed in this load (the others came from the build cache)."""

    def count(self, severity: Severity) -> int:
        """How many diagnostics of this severity were found."""
        return count_of(self.diagnostics, severity)


def load_site(content: Path, *, today: date, display_root: Path, workers: int | None = None,
              cache: BuildCache | None = None, shard_pages: int = urls.SEARCH_SHARD_PAGES,
              memo: LoadMemo | None = None) -> LoadResult:
    """Load everything under `content`; see the module docstring. Paths in messages are shown
    relative to `display_root` (the working folder, for a command line) when inside it; the
    search index is planned in shards of `shard_pages` pages. With a `memo` (the dev server's),
    only record files changed since the memo's last load are parsed, and the last good site is
    reused when only the records' contents changed; the result is the same."""
    if not content.is_dir():
        raise UsageError(f"content folder not found: {content}")
    root = ContentRoot(content, display_path(content, display_root))
    diagnostics = Diagnostics()
    listed = (memo.list_files(content, root.display, diagnostics) if memo is not None else
              list_content_files(content, root.display, diagnostics))
    files = _route(root, listed, diagnostics)
    config = load_config(root, diagnostics)
    taxonomies, broken = load_taxonomies(root, files["taxonomies"], diagnostics)
    workers = default_workers() if workers is None else workers
    loaded_records = (memo.load_records(root, files["evidence"], taxonomies, broken, today=today,
                                        diagnostics=diagnostics, workers=workers) if memo is not None else
                      load_records(root, files["evidence"], taxonomies, broken, today=today,
                                   diagnostics=diagnostics, workers=workers, cache=cache))
    records = loaded_records.records
    pages = load_pages(root, files["pages"], diagnostics)
    check_duplicate_ids([f"{root.display}/{rel}" for rel in files["evidence"]], diagnostics)
    if loaded_records.terms_known:  # a file that failed to parse would make every term look unused
        check_unused_terms(taxonomies, loaded_records.used_terms, diagnostics)
    _check_records(records, config, today, diagnostics, memo)
    if config is not None:
        check_map_spec(config, [*(t.id for t in taxonomies), *broken], diagnostics)
    if config is None or diagnostics.error_count:
        return LoadResult(None, diagnostics.sorted(), parsed=loaded_records.parsed)
    site, outputs = _site_and_plan(config, taxonomies, records, pages, diagnostics, shard_pages, memo)
    if diagnostics.error_count:
        return LoadResult(None, diagnostics.sorted(), parsed=loaded_records.parsed)
    if memo is not None:
        memo.last = LastSite(site, outputs, shard_pages)
    return LoadResult(site, diagnostics.sorted(), outputs, loaded_records.parsed)


def _check_records(records: tuple[Record, ...], config: SiteConfig | None, today: date,
                   diagnostics: Diagnostics, memo: LoadMemo | None) -> None:
    """The checks made on each record alone (again only for changed records, with a memo)."""
    each = memo.check_each if memo is not None else lambda name, check, records, found: check(records, found)
    each("summaries", check_summaries, records, diagnostics)
    if config is not None:
        months = config.review_months
        each(f"reviews {months} {today}", lambda items, found: check_reviews(items, months, today, found),
             records, diagnostics)


def _site_and_plan(config: SiteConfig, taxonomies: tuple[Taxonomy, ...], records: tuple[Record, ...],
                   pages: Sequence[Page], diagnostics: Diagnostics, shard_pages: int,
                   memo: LoadMemo | None) -> tuple[Site, tuple[Output, ...]]:
    """The assembled site and its plan: the memo's last ones, with the records replaced, when
    only the records' contents changed (`reassemble`)."""
    last = memo.last if memo is not None and memo.last and memo.last.shard_pages == shard_pages else None
    reused = reassemble(last.site, config, taxonomies, records, pages) if last else None
    if reused is not None and last is not None:
        return reused, last.outputs
    site = _assemble(config, taxonomies, records, pages)
    return site, plan_outputs(site, diagnostics, shard_pages=shard_pages)


def display_path(path: Path, root: Path) -> str:
    """How a path is shown to editors: relative to `root` (the working folder) when inside it."""
    relative = os.path.relpath(path.resolve(), root.resolve())
    return Path(relative).as_posix() if not relative.startswith("..") else path.resolve().as_posix()


_PLACES = {"taxonomies": ".yml", "evidence": ".md", "pages": ".md"}


def _route(root: ContentRoot, files: Sequence[PurePosixPath],
           diagnostics: Diagnostics) -> dict[str, list[PurePosixPath]]:
    routed: dict[str, list[PurePosixPath]] = defaultdict(list)
    for rel in files:
        folder = rel.parts[0] if len(rel.parts) > 1 else ""
        flat = len(rel.parts) == 2 or folder == "evidence"
        if rel == SITE_FILE:
            continue
        if folder in _PLACES and rel.suffix == _PLACES[folder] and flat:
            routed[folder].append(rel)
        else:
            diagnostics.error(Where(f"{root.display}/{rel}"), "file", "is not part of the content model",
                              "records go in evidence/<id>.md, pages in pages/<id>.md, "
                              "taxonomies in taxonomies/<name>.yml")
    return routed


def _assemble(config: SiteConfig, taxonomies: tuple[Taxonomy, ...], records: tuple[Record, ...],
              pages: Sequence[Page]) -> Site:
    ordered = tuple(sorted(records, key=newest_first))
    term_records: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in ordered:
        for taxonomy_id, term_ids in record.terms.items():
            for term_id in term_ids:
                term_records[(taxonomy_id, term_id)].append(record)
    site = Site(config, taxonomies, ordered, tuple(sorted(pages, key=lambda page: page.id)),
                {key: tuple(value) for key, value in term_records.items()},
                {record.id: record for record in ordered})
    about = [taxonomy.id for taxonomy in taxonomies if taxonomy.role != PUBLISHER_ROLE]
    return replace(site, map_cells=map_cells(site), related=related_records(ordered, about))


def reassemble(last: Site, config: SiteConfig, taxonomies: tuple[Taxonomy, ...], records: tuple[Record, ...],
               pages: Sequence[Page]) -> Site | None:
    """`last` with its records replaced by `records`, when that is what `_assemble` would make:
    the same frame, and the same records (ids, files, terms) in the same order, so the lists,
    the map's cells, the related records and the plan are the same; else None."""
    ordered = tuple(sorted(records, key=newest_first))
    if (config, taxonomies, tuple(sorted(pages, key=lambda page: page.id))) != (
            last.config, last.taxonomies, last.pages) or len(ordered) != len(last.records):
        return None
    if any(new.id != old.id or new.source != old.source or new.terms != old.terms
           for new, old in zip(ordered, last.records, strict=True)):
        return None
    swap = {new.id: new for new, old in zip(ordered, last.records, strict=True) if new is not old}
    if not swap:
        return last
    term_records, cells = dict(last.term_records), dict(last.map_cells)
    for key in {(taxonomy, term) for record in swap.values() for taxonomy, terms in record.terms.items()
                for term in terms}:
        term_records[key] = tuple(swap.get(record.id, record) for record in term_records[key])
    for cell in map_cells(replace(last, records=tuple(swap.values()))):  # the cells holding them
        cells[cell] = tuple(swap.get(record.id, record) for record in cells[cell])
    return replace(last, records=ordered, records_by_id={record.id: record for record in ordered},
                   term_records=term_records, map_cells=cells)


def newest_first(record: Record) -> tuple[int, int, str, str]:
    """Sort key: newest year first (undated last), then newest publication date, title, id."""
    published = record.published.toordinal() if record.published else 0
    return (-(record.year or 0), -published, record.title.casefold(), record.id)
