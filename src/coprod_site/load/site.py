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
from coprod_site.checks import (
    check_duplicate_ids,
    check_map_spec,
    check_reviews,
    check_summaries,
    check_unused_terms,
)
from coprod_site.diagnostics import Diagnostic, Diagnostics, Severity, Where
from coprod_site.documents import ContentRoot, Document, read_document
from coprod_site.errors import UsageError
from coprod_site.evidence_map import map_cells
from coprod_site.files import list_content_files
from coprod_site.load_records import load_pages, load_records
from coprod_site.load_taxonomies import load_taxonomies
from coprod_site.model import MapSpec, Page, Record, Site, SiteConfig, Taxonomy
from coprod_site.schemas import SITE_FIELDS
from coprod_site.urls import Output, plan_outputs
from coprod_site.workers import default_workers

SITE_FILE = PurePosixPath("site.yml")


@dataclass(frozen=True, slots=True)
class LoadResult:
    """The loaded site (None when there were errors) and every diagnostic, sorted."""

    site: Site | None
    diagnostics: tuple[Diagnostic, ...]
    outputs: tuple[Output, ...] = ()

    def count(self, severity: Severity) -> int:
        """How many diagnostics of this severity were found."""
        return sum(1 for item in self.diagnostics if item.severity is severity)


def load_site(content: Path, *, today: date, workers: int | None = None,
              cache: BuildCache | None = None) -> LoadResult:
    """Load everything under `content`; see the module docstring."""
    if not content.is_dir():
        raise UsageError(f"content folder not found: {content}")
    root = ContentRoot(content, display_path(content))
    diagnostics = Diagnostics()
    files = _route(root, list_content_files(content, root.display, diagnostics), diagnostics)
    config = _load_config(root, diagnostics)
    taxonomies, broken = load_taxonomies(root, files["taxonomies"], diagnostics)
    loaded_records = load_records(root, files["evidence"], taxonomies, broken, today=today,
                                  diagnostics=diagnostics,
                                  workers=default_workers() if workers is None else workers, cache=cache)
    records = loaded_records.records
    pages = load_pages(root, files["pages"], diagnostics)
    check_duplicate_ids([f"{root.display}/{rel}" for rel in files["evidence"]], diagnostics)
    check_summaries(records, diagnostics)
    check_unused_terms(taxonomies, loaded_records.used_terms, diagnostics)
    if config is not None:
        check_reviews(records, config.review_months, today, diagnostics)
        check_map_spec(config, [*(t.id for t in taxonomies), *broken], diagnostics)
    site: Site | None = None
    outputs: tuple[Output, ...] = ()
    if config is not None and diagnostics.error_count == 0:
        site = _assemble(config, taxonomies, records, pages)
        outputs = plan_outputs(site, diagnostics)
    if diagnostics.error_count:
        return LoadResult(None, diagnostics.sorted())
    return LoadResult(site, diagnostics.sorted(), outputs)


def display_path(path: Path) -> str:
    """How a path is shown to editors: relative to the working folder when inside it."""
    relative = os.path.relpath(path.resolve(), Path.cwd().resolve())
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


def _load_config(root: ContentRoot, diagnostics: Diagnostics) -> SiteConfig | None:
    if not (root.path / SITE_FILE).is_file():
        diagnostics.error(Where(f"{root.display}/{SITE_FILE}"), "file", "is missing",
                          "add site.yml with title, description and base_url")
        return None
    document = read_document(root, SITE_FILE, SITE_FIELDS, diagnostics)
    if document is None:
        return None
    values = document.fields.values
    base_url: str | None = values.get("base_url")
    if base_url is not None and not base_url.startswith("https://"):
        diagnostics.error(document.fields.where(document.path, "base_url"), "base_url",
                          "must start with https://", "the published site's full https address")
        return None
    months = values.get("review_months", 24)
    if not 1 <= months <= 120:
        diagnostics.error(document.fields.where(document.path, "review_months"), "review_months",
                          f"{months} is outside 1 to 120",
                          "records are usually reviewed every 12 to 36 months")
        return None
    if not {"title", "description"} <= values.keys() or base_url is None:
        return None
    return SiteConfig(
        title=values["title"], description=values["description"],
        base_url=base_url.rstrip("/") + "/", language=values.get("language", "en-GB"),
        review_months=months, intro=values.get("intro", ""),
        source=document.path, evidence_map=_map_spec(values.get("evidence_map"), document, diagnostics),
    )


def _map_spec(labels: dict[str, str] | None, document: Document, diagnostics: Diagnostics) -> MapSpec | None:
    if labels is None:
        return None
    where = document.fields.where(document.path, "evidence_map")
    unknown = sorted(set(labels) - {"rows", "columns", "filter"})
    if unknown or not {"rows", "columns"} <= labels.keys():
        diagnostics.error(where, "evidence_map",
                          "needs rows and columns (and optionally filter), nothing else",
                          "for example:\n  evidence_map:\n    rows: principles\n    columns: benefits")
        return None
    return MapSpec(labels["rows"], labels["columns"], labels.get("filter", ""), where.line)


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
    return replace(site, map_cells=map_cells(site))


def newest_first(record: Record) -> tuple[int, int, str, str]:
    """Sort key: newest year first (undated last), then newest publication date, title, id."""
    published = record.published.toordinal() if record.published else 0
    return (-(record.year or 0), -published, record.title.casefold(), record.id)
