"""URLs and output paths, computed in one place with one rule.

Every page lives at a folder URL ending in '/', written as `<url>index.html`; a few files
(`404.html`, `feed.xml`, ...) live at their own name. URLs are kept relative to the site root
("evidence/x/"), and links are made relative to the page they are on, so the site works from
any host and any sub-path. `plan_outputs` lists every output with the content file that
produces it and reports collisions (including ones that differ only by case) before anything
is written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlencode

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.evidence_map import filter_terms, map_axes, non_empty_cells
from coprod_site.model import Site

BUILT_IN = "(built-in page)"


class Kind(StrEnum):
    """What an output is, so the renderer knows which view to build."""

    HOME = "home"
    EVIDENCE_LIST = "evidence list"
    RECORD = "record"
    TAXONOMY = "taxonomy"
    TERM = "term"
    PAGE = "page"
    SEARCH = "search"
    NOT_FOUND = "404"
    MAP = "map"
    MAP_CELL = "map cell"
    DATA = "data"
    FEED = "feed"
    CITATIONS = "citations"
    DATA_FILE = "data file"
    SITEMAP = "sitemap"
    ROBOTS = "robots"
    FILE = "file"
    ADMIN = "admin"


HTML_KINDS = frozenset({Kind.HOME, Kind.EVIDENCE_LIST, Kind.RECORD, Kind.TAXONOMY, Kind.TERM, Kind.PAGE,
                        Kind.SEARCH, Kind.NOT_FOUND, Kind.MAP, Kind.MAP_CELL, Kind.DATA})
CITATION_FORMATS = {"ris": "ris", "bibtex": "bib", "csl": "csl.json"}


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its URL, path, kind, subject ids and producing source."""

    url: str
    kind: Kind
    source: str
    subject: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """Where the output is written, relative to the output folder ('/'-separated)."""
        return self.url + "index.html" if self.url.endswith("/") or not self.url else self.url


def record_url(record_id: str) -> str:
    """The URL of a record's page."""
    return f"evidence/{record_id}/"


def taxonomy_url(taxonomy_id: str) -> str:
    """The URL of a taxonomy's index page."""
    return f"{taxonomy_id}/"


def term_url(taxonomy_id: str, term_id: str) -> str:
    """The URL of a term's page."""
    return f"{taxonomy_id}/{term_id}/"


def page_url(page_id: str) -> str:
    """The URL of a prose page."""
    return f"{page_id}/"


def term_feed_url(taxonomy_id: str, term_id: str) -> str:
    """The Atom feed of a term's records."""
    return f"{taxonomy_id}/{term_id}/feed.xml"


def record_citation_url(record_id: str, form: str) -> str:
    """A record's citation in `form` (ris, bibtex or csl)."""
    return f"evidence/{record_id}/{record_id}.{CITATION_FORMATS[form]}"


def term_citation_url(taxonomy_id: str, term_id: str, form: str) -> str:
    """Every record of a term as citations in `form`."""
    return f"{taxonomy_id}/{term_id}/evidence.{CITATION_FORMATS[form]}"


def library_citation_url(form: str) -> str:
    """The whole library as citations in `form`."""
    return f"{DATA_URL}evidence.{CITATION_FORMATS[form]}"


def map_url(filter_term: str | None) -> str:
    """The evidence map, for the whole library or for one term of the filter taxonomy."""
    return f"{MAP_URL}{filter_term}/" if filter_term else MAP_URL


def map_cell_url(filter_term: str | None, row: str, column: str) -> str:
    """The plain list of the records in one cell of the map."""
    return f"{map_url(filter_term)}{row}/{column}/"


HOME_URL = ""
MAP_URL = "map/"
DATA_URL = "data/"
DATA_JSON_URL = "data/evidence.json"
DATA_CSV_URL = "data/evidence.csv"
DATA_SCHEMA_URL = "data/record.schema.json"
EVIDENCE_URL = "evidence/"
SEARCH_URL = "search/"
ASSETS_URL = "assets/"
SEARCH_INDEX_URL = "pagefind/"
SEARCH_SHARD_PAGES = 4_000
"""The most pages one search bundle holds: Pagefind needs ~220 KB of memory per page it indexes."""
SEARCH_SHARDS_AT_ONCE = 2
"""How many shards are indexed together (so a build in shards makes them in pairs)."""
FEED_URL = "feed.xml"
SITEMAP_URL = "sitemap.xml"
ROBOTS_URL = "robots.txt"
NOT_FOUND_URL = "404.html"
ADMIN_URL = "admin/"
ADMIN_CONFIG_URL = "admin/config.yml"


def search_url(filters: Mapping[str, str] | None = None, query: str = "") -> str:
    """The search page, pre-filled: `search/?q=...&benefits=Efficiency`."""
    pairs = ([("q", query)] if query else []) + sorted((filters or {}).items())
    return SEARCH_URL + ("?" + urlencode(pairs, quote_via=quote) if pairs else "")


def search_index_urls(searchable: int, records: int, *, shard_pages: int | None = None) -> tuple[str, ...]:
    """The search bundles of a site with `searchable` pages, `records` of them record pages: one
    per shard of at most `shard_pages` (default `SEARCH_SHARD_PAGES`) pages, the first at
    pagefind/, then pagefind-2/, pagefind-3/, ...

    Several shards come in multiples of `SEARCH_SHARDS_AT_ONCE`, so none is indexed alone, and
    never outnumber the records: each shard holds one, so it knows the sort keys (a library of
    fewer records than that has larger shards). The search page lists the bundles when it is
    rendered and the indexer writes them, both from here.
    """
    size = SEARCH_SHARD_PAGES if shard_pages is None else shard_pages
    if size < 1:
        raise ValueError(f"a search shard must hold at least one page, not {size}")
    count = -(-searchable // size)
    if count > 1:
        count = -(-count // SEARCH_SHARDS_AT_ONCE) * SEARCH_SHARDS_AT_ONCE
    count = max(1, min(count, records))
    return tuple(SEARCH_INDEX_URL if shard == 1 else f"{SEARCH_INDEX_URL.rstrip('/')}-{shard}/"
                 for shard in range(1, count + 1))


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, relative so any sub-path works."""
    return (root_prefix(from_url) + to_url) or "./"


def root_prefix(from_url: str) -> str:
    """What leads from the page at `from_url` back to the site's root ('' at the root itself)."""
    return "../" * from_url.count("/")


def absolute(base_url: str, url: str) -> str:
    """The absolute address of `url` on the published site."""
    return base_url + url


def plan_outputs(site: Site, diagnostics: Diagnostics) -> tuple[Output, ...]:
    """Every output of the site, sorted by path; collisions are reported as errors."""
    outputs = tuple(sorted(_outputs(site), key=lambda output: output.url))
    claimed: dict[str, Output] = {}
    for output in outputs:
        key = str(output.path).casefold()
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


def _outputs(site: Site) -> Iterator[Output]:
    yield from _built_in_outputs()
    # one searchable output per record and per prose page (below); the search page lists the bundles
    bundles = search_index_urls(len(site.records) + len(site.pages), len(site.records))
    yield Output(SEARCH_URL, Kind.SEARCH, BUILT_IN, bundles)
    yield from (Output(bundle, Kind.FILE, BUILT_IN) for bundle in bundles)
    for record in site.records:
        yield Output(record_url(record.id), Kind.RECORD, record.source, (record.id,))
        for form in CITATION_FORMATS:
            yield Output(record_citation_url(record.id, form), Kind.CITATIONS, record.source,
                         ("record", form, record.id))
    for taxonomy in site.taxonomies:
        yield Output(taxonomy_url(taxonomy.id), Kind.TAXONOMY, taxonomy.source, (taxonomy.id,))
        for term in taxonomy.terms:
            subject = (taxonomy.id, term.id)
            yield Output(term_url(*subject), Kind.TERM, taxonomy.source, subject)
            yield Output(term_feed_url(*subject), Kind.FEED, taxonomy.source, subject)
            for form in CITATION_FORMATS:
                yield Output(term_citation_url(*subject, form), Kind.CITATIONS, taxonomy.source,
                             ("term", form, *subject))
    for page in site.pages:
        yield Output(page_url(page.id), Kind.PAGE, page.source, (page.id,))
    yield from _map_outputs(site)


def _built_in_outputs() -> Iterator[Output]:
    for url, kind in ((HOME_URL, Kind.HOME), (EVIDENCE_URL, Kind.EVIDENCE_LIST),
                      (NOT_FOUND_URL, Kind.NOT_FOUND),
                      (DATA_URL, Kind.DATA), (FEED_URL, Kind.FEED),
                      (SITEMAP_URL, Kind.SITEMAP), (ROBOTS_URL, Kind.ROBOTS),
                      (ASSETS_URL, Kind.FILE)):
        yield Output(url, kind, BUILT_IN)
    for url in (ADMIN_URL, ADMIN_CONFIG_URL):
        yield Output(url, Kind.ADMIN, BUILT_IN)
    for url in (DATA_JSON_URL, DATA_CSV_URL, DATA_SCHEMA_URL):
        yield Output(url, Kind.DATA_FILE, BUILT_IN, (url,))
    for form in CITATION_FORMATS:
        yield Output(library_citation_url(form), Kind.CITATIONS, BUILT_IN, ("library", form))


def _map_outputs(site: Site) -> Iterator[Output]:
    axes = map_axes(site)
    if axes is None:
        return
    for filter_term in filter_terms(axes):
        yield Output(map_url(filter_term), Kind.MAP, site.config.source, (filter_term or "",))
    for filter_term, row, column in non_empty_cells(site):
        yield Output(map_cell_url(filter_term, row, column), Kind.MAP_CELL, site.config.source,
                     (filter_term or "", row, column))
