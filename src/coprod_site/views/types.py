"""View objects: the plain, purpose-built data each template receives.

Templates never see the internal model. Every link in a view is already relative to the page
it appears on, and every piece of HTML is either escaped text or Markup made by our own
Markdown renderer, so the template contract is explicit and testable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from markupsafe import Markup

from coprod_site.formats import Formatted


@dataclass(frozen=True, slots=True)
class Link:
    """A link as the reader sees it; `current` marks the page or section being shown."""

    label: str
    href: str
    current: bool = False


@dataclass(frozen=True, slots=True)
class Layout:
    """The links every page at one depth and in one navigation section shares."""

    home: str
    stylesheet: str
    icon: str
    search_action: str
    nav: tuple[Link, ...]
    feed: Link
    """The site's feed of new evidence."""
    footer: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class Chrome:
    """What every page's layout needs: titles, addresses, the shared links, breadcrumbs, and the
    feeds the page announces (the site's, and a term page's own)."""

    site_title: str
    language: str
    page_title: str
    description: str
    canonical: str
    og_type: str
    layout: Layout
    breadcrumbs: tuple[Link, ...]
    feeds: tuple[Link, ...]


@dataclass(frozen=True, slots=True)
class TermCount:
    """A term with how many records carry it."""

    label: str
    href: str
    count: int
    description: str


@dataclass(frozen=True, slots=True)
class TermLink:
    """A term on a record: its name, its page, and the other names readers search it by."""

    label: str
    href: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Facet:
    """One taxonomy's terms on a record: e.g. Principles: Equality, Reciprocity."""

    taxonomy_id: str
    name: str
    href: str
    terms: tuple[TermLink, ...]


class Entry(Enum):
    """How much of each record a list shows."""

    TEASER = "title, byline, year and a teaser of the summary (lists readers browse)"
    COMPACT = "title, byline and year (lists readers reach from the evidence map, a navigation grid)"


@dataclass(frozen=True, slots=True)
class RecordSummary:
    """A record in a list: title link, year, byline and (unless the list is compact) a teaser of
    its summary; the record's own page shows the whole summary."""

    title: str
    href: str
    year_label: str
    byline: str
    summary: str
    """The teaser (`lists.teaser`), or "" in a compact list."""


@dataclass(frozen=True, slots=True)
class SearchData:
    """What a record page tells the search index in a hidden element: what no visible element
    shows (the year band filter, metadata for results, sort keys). The page declares the rest on
    the elements that show it, so it is written once: each term filter on the term's link, the
    title and the summary metadata on the heading and the summary."""

    filters: tuple[tuple[str, str], ...]
    meta: tuple[tuple[str, str], ...]
    sort: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class CitationLink:
    """A download of citations in one format."""

    label: str
    href: str
    media_type: str


@dataclass(frozen=True, slots=True)
class RelatedRecord:
    """A record related to the one shown, and the names of the terms they share (`related_list`)."""

    title: str
    href: str
    year_label: str
    shared: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RecordPage:
    """An evidence record's page."""

    chrome: Chrome
    title: str
    summary: str
    year_label: str
    published_label: str
    authors: tuple[str, ...]
    source_url: str
    source_host: str
    coproduced_label: str
    facets: tuple[Facet, ...]
    findings: tuple[Markup, ...]
    body: Markup
    reviewed_label: str
    reviewed_iso: str
    next_review_label: str
    next_review_iso: str
    json_ld: Markup
    search: SearchData
    apa: Formatted
    harvard: Formatted
    downloads: tuple[CitationLink, ...]
    highwire: tuple[tuple[str, str], ...]
    copy_script: str
    related: tuple[RelatedRecord, ...] = ()
    publishers: tuple[TermLink, ...] = ()
    """The byline: the record's terms of the publisher taxonomy, whatever the taxonomies' order."""


@dataclass(frozen=True, slots=True)
class TermSection:
    """A group of terms on a taxonomy page (one unnamed section when there are no groups)."""

    label: str
    terms: tuple[TermCount, ...]


@dataclass(frozen=True, slots=True)
class TaxonomyPage:
    """A taxonomy's index: its terms with record counts, grouped where it has groups."""

    chrome: Chrome
    name: str
    description: str
    sections: tuple[TermSection, ...]


@dataclass(frozen=True, slots=True)
class TaxonomyOverview:
    """A taxonomy on the home page, with its terms and their counts."""

    name: str
    href: str
    description: str
    terms: tuple[TermCount, ...]


@dataclass(frozen=True, slots=True)
class HomePage:
    """The home page: what co-production is, the headline terms, the newest records."""

    chrome: Chrome
    intro: Markup
    record_count: int
    featured: tuple[TaxonomyOverview, ...]
    browse: tuple[Link, ...]
    newest: tuple[RecordSummary, ...]
    all_evidence: str
    map_href: str
    data_href: str


@dataclass(frozen=True, slots=True)
class ProsePage:
    """A prose page from content/pages."""

    chrome: Chrome
    title: str
    summary: str
    body: Markup
    actions: tuple[Link, ...] = ()
    """Buttons above the body (on the contribute page: a new record in GitHub's editor)."""


@dataclass(frozen=True, slots=True)
class SearchOption:
    """One value of a search filter, with how many records in the library carry it."""

    value: str
    count: int


@dataclass(frozen=True, slots=True)
class SearchFacet:
    """A search filter: its key in the index and the URL, its label and its values."""

    key: str
    label: str
    options: tuple[SearchOption, ...]


@dataclass(frozen=True, slots=True)
class SearchPage:
    """The search page: a plain GET form the script enhances, and where the index's bundles are."""

    chrome: Chrome
    bundles: tuple[str, ...]
    """One Pagefind bundle per shard of the index, relative to the page; the script merges them."""
    worker_bundles: tuple[str, ...]
    """The bundles whose pagefind.js starts a web worker, in order: each worker searches the run
    of bundles from its own to the next one listed here."""
    root: str
    facets: tuple[SearchFacet, ...]
    sorts: tuple[tuple[str, str], ...]
    evidence: str
    script: str


@dataclass(frozen=True, slots=True)
class NotFoundPage:
    """The page shown for an address that does not exist."""

    chrome: Chrome
    evidence: str
    search: str


@dataclass(frozen=True, slots=True)
class DataPage:
    """The open data page: the downloads and a schema.org Dataset description."""

    chrome: Chrome
    record_count: int
    json_href: str
    csv_href: str
    schema_href: str
    citations: tuple[CitationLink, ...]
    json_ld: Markup
    version: str
