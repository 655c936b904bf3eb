"""The output plan: every file the built site will hold, what it is, and what it is about.

`plan_outputs` lists every output with its kind, its subject (the record, term, map cell ...
it shows, as a small typed value) and the content file that produces it, and reports
collisions (including ones that differ only by case) before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.model import urls
from coprod_site.model.evidence_map import filter_terms, map_axes, non_empty_cells
from coprod_site.model.listing import EvidenceOrder, page_count
from coprod_site.model.site import Record, Site

BUILT_IN = "(built-in page)"


class OutputKind(StrEnum):
    """What an output is; `render.kinds` says how each kind is made."""

    HOME = "home"
    EVIDENCE_LIST = "evidence list"
    RECORD = "record"
    TAXONOMY = "taxonomy"
    TERM = "term"
    TERM_PAGE = "term page"
    PAGE = "page"
    SEARCH = "search"
    NOT_FOUND = "404"
    MAP = "map"
    MAP_CELL = "map cell"
    MAP_CELL_PAGE = "map cell page"
    DATA = "data"
    FEED = "feed"
    CITATIONS = "citations"
    DATA_FILE = "data file"
    SITEMAP = "sitemap"
    ROBOTS = "robots"
    ADMIN_PAGE = "admin page"
    ADMIN_CONFIG = "admin config"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class RecordRef:
    """An output about one record."""

    record_id: str


@dataclass(frozen=True, slots=True)
class TaxonomyRef:
    """An output about one taxonomy."""

    taxonomy_id: str


@dataclass(frozen=True, slots=True)
class TermRef:
    """An output about one term of a taxonomy."""

    taxonomy_id: str
    term_id: str


@dataclass(frozen=True, slots=True)
class PageRef:
    """An output showing one prose page."""

    page_id: str


@dataclass(frozen=True, slots=True)
class MapRef:
    """The evidence map, for the whole library (`filter_term` None) or one filter term."""

    filter_term: str | None


@dataclass(frozen=True, slots=True)
class CellRef:
    """One non-empty cell of the evidence map."""

    filter_term: str | None
    row: str
    column: str


@dataclass(frozen=True, slots=True)
class EvidenceList:
    """One page (`number`, from 1) of the whole library listed in one `EvidenceOrder`."""

    order: EvidenceOrder
    number: int


@dataclass(frozen=True, slots=True)
class Paged:
    """Page `number` (from 2: page 1 is the term's or cell's own output) of a long list."""

    of: TermRef | CellRef
    number: int


@dataclass(frozen=True, slots=True)
class CitationsOf:
    """Citations in one format of a record, of a term's records, or (`scope` None) of the library."""

    form: str
    scope: RecordRef | TermRef | None


@dataclass(frozen=True, slots=True)
class SearchBundles:
    """The search page's subject: the URLs of the index's bundles, one per shard."""

    urls: tuple[str, ...]


SubjectType = TypeVar("SubjectType")
Subject = (RecordRef | TaxonomyRef | TermRef | PageRef | MapRef | CellRef | EvidenceList | Paged | CitationsOf
           | SearchBundles | None)


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its URL, kind, producing source and subject."""

    url: str
    kind: OutputKind
    source: str
    subject: Subject = None

    @property
    def path(self) -> str:
        """Where the output is written, relative to the output folder ('/'-separated)."""
        return self.url + "index.html" if self.url.endswith("/") or not self.url else self.url

    def about(self, expected: type[SubjectType]) -> SubjectType:
        """The subject, which is an `expected` (the plan gives every output of a kind one type)."""
        if not isinstance(self.subject, expected):
            raise TypeError(f"the {self.kind} output {self.url!r} is about {self.subject!r}, "
                            f"not a {expected.__name__}")
        return self.subject


def plan_outputs(site: Site, diagnostics: Diagnostics, *,
                 shard_pages: int = urls.SEARCH_SHARD_PAGES) -> tuple[Output, ...]:
    """Every output of the site, sorted by URL; collisions are reported as errors. The search
    index is planned in shards of at most `shard_pages` pages."""
    outputs = tuple(sorted(_outputs(site, shard_pages), key=lambda output: output.url))
    claimed: dict[str, Output] = {}
    for output in outputs:
        key = output.path.casefold()
        other = claimed.get(key)
        if other is not None:
            _report_collision(output, other, diagnostics)
        else:
            claimed[key] = output
    return outputs


def _report_collision(output: Output, other: Output, diagnostics: Diagnostics) -> None:
    for mine, theirs in ((output, other), (other, output)):
        if mine.source != BUILT_IN:
            whose = "a built-in page" if theirs.source == BUILT_IN else theirs.source
            diagnostics.error(
                Where(mine.source), "output", f"its page /{mine.url} is also claimed by {whose}",
                "rename one of them: two pages cannot share an address",
            )


def searchable_count(site: Site) -> int:
    """How many pages readers search: every record page and every prose page."""
    return len(site.records) + len(site.pages)


def _outputs(site: Site, shard_pages: int) -> Iterator[Output]:
    yield from _built_in_outputs()
    bundles = urls.search_index_urls(searchable_count(site), len(site.records), shard_pages=shard_pages)
    yield Output(urls.SEARCH_URL, OutputKind.SEARCH, BUILT_IN, SearchBundles(bundles))
    yield from (Output(bundle, OutputKind.FILE, BUILT_IN) for bundle in bundles)
    for record in site.records:
        ref = RecordRef(record.id)
        yield Output(urls.record_url(record.id), OutputKind.RECORD, record.source, ref)
        for form in urls.CITATION_FORMATS:
            yield Output(urls.record_citation_url(record.id, form), OutputKind.CITATIONS, record.source,
                         CitationsOf(form, ref))
    for taxonomy in site.taxonomies:
        yield Output(urls.taxonomy_url(taxonomy.id), OutputKind.TAXONOMY, taxonomy.source,
                     TaxonomyRef(taxonomy.id))
        for term in taxonomy.terms:
            term_ref = TermRef(taxonomy.id, term.id)
            yield Output(urls.term_url(taxonomy.id, term.id), OutputKind.TERM, taxonomy.source, term_ref)
            yield from _later_pages(urls.term_url(taxonomy.id, term.id), OutputKind.TERM_PAGE,
                                    taxonomy.source, term_ref, len(site.records_with(taxonomy.id, term.id)))
            yield Output(urls.term_feed_url(taxonomy.id, term.id), OutputKind.FEED, taxonomy.source, term_ref)
            for form in urls.TERM_CITATION_FORMATS:
                yield Output(urls.term_citation_url(taxonomy.id, term.id, form), OutputKind.CITATIONS,
                             taxonomy.source, CitationsOf(form, term_ref))
    for page in site.pages:
        yield Output(urls.page_url(page.id), OutputKind.PAGE, page.source, PageRef(page.id))
    yield from _map_outputs(site)
    for order in EvidenceOrder:
        for number in range(1, page_count(len(site.records)) + 1):
            yield Output(urls.paged_url(urls.evidence_list_url(order), number), OutputKind.EVIDENCE_LIST,
                         BUILT_IN, EvidenceList(order, number))


def _later_pages(first: str, kind: OutputKind, source: str, of: TermRef | CellRef,
                 count: int) -> Iterator[Output]:
    """Pages 2, 3 ... of a list of `count` records whose first page is at `first`."""
    for number in range(2, page_count(count) + 1):
        yield Output(urls.paged_url(first, number), kind, source, Paged(of, number))


def _built_in_outputs() -> Iterator[Output]:
    for url, kind in ((urls.HOME_URL, OutputKind.HOME),
                      (urls.NOT_FOUND_URL, OutputKind.NOT_FOUND),
                      (urls.DATA_URL, OutputKind.DATA), (urls.FEED_URL, OutputKind.FEED),
                      (urls.SITEMAP_URL, OutputKind.SITEMAP), (urls.ROBOTS_URL, OutputKind.ROBOTS),
                      (urls.ASSETS_URL, OutputKind.FILE),
                      (urls.DATA_JSON_URL, OutputKind.DATA_FILE), (urls.DATA_CSV_URL, OutputKind.DATA_FILE),
                      (urls.DATA_SCHEMA_URL, OutputKind.DATA_FILE), (urls.ADMIN_URL, OutputKind.ADMIN_PAGE),
                      (urls.ADMIN_CONFIG_URL, OutputKind.ADMIN_CONFIG)):
        yield Output(url, kind, BUILT_IN)
    for form in urls.CITATION_FORMATS:
        yield Output(urls.library_citation_url(form), OutputKind.CITATIONS, BUILT_IN, CitationsOf(form, None))


def _map_outputs(site: Site) -> Iterator[Output]:
    axes = map_axes(site)
    if axes is None:
        return
    for filter_term in filter_terms(axes):
        yield Output(urls.map_url(filter_term), OutputKind.MAP, site.config.source, MapRef(filter_term))
    for filter_term, row, column in non_empty_cells(site):
        cell = CellRef(filter_term, row, column)
        first = urls.map_cell_url(filter_term, row, column)
        yield Output(first, OutputKind.MAP_CELL, site.config.source, cell)
        yield from _later_pages(first, OutputKind.MAP_CELL_PAGE, site.config.source, cell,
                                len(site.map_cells.get((filter_term, row, column), ())))


def records_of(site: Site, subject: Subject) -> tuple[Record, ...] | None:
    """The records an output about `subject` shows, or None when it shows the whole library."""
    if isinstance(subject, RecordRef):
        return (site.record(subject.record_id),)
    if isinstance(subject, TermRef):
        return site.records_with(subject.taxonomy_id, subject.term_id)
    if isinstance(subject, CellRef):
        return site.map_cells.get((subject.filter_term, subject.row, subject.column), ())
    if isinstance(subject, CitationsOf):
        return records_of(site, subject.scope)
    if isinstance(subject, Paged):
        return records_of(site, subject.of)
    return None
