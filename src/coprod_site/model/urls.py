"""URLs, ids and output paths, computed in one place with one rule.

Every page lives at a folder URL ending in '/', written as `<url>index.html`; a few files
(`404.html`, `feed.xml`, ...) live at their own name. URLs are kept relative to the site root
("evidence/x/"), and links are made relative to the page they are on, so the site works from
any host and any sub-path. Ids (records, pages, taxonomies, terms) are slugs: lowercase
letters, digits and single hyphens, so every URL made from them is safe as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote, urlencode, urlsplit

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""The rule every id follows: lowercase letters, digits and single hyphens."""
CITATION_FORMATS = {"ris": "ris", "bibtex": "bib", "csl": "csl.json"}
TERM_CITATION_FORMATS = ("ris",)
"""The formats a term's records are offered in as one file: RIS, which every reference manager
imports. Each record's page offers every format, and the data page the whole library in each."""


def slug_hint(text: str) -> str:
    """A hint that suggests a valid id made from `text`."""
    suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    rule = "use lowercase letters, digits and single hyphens"
    return f"{rule}, for example '{suggestion}'" if suggestion else rule


def is_web_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host and no spaces."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", text)


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


def evidence_list_url(order: str) -> str:
    """The whole library in one order: the default (newest-first) at evidence/, the others at
    evidence/sorted/<order>/ (two levels down, so no list is taken for a record page)."""
    return EVIDENCE_URL if order == DEFAULT_ORDER else f"{EVIDENCE_URL}sorted/{order}/"


def paged_url(first: str, number: int) -> str:
    """Page `number` of the list whose first page is at `first`: `first` itself, then first/page/2/ ..."""
    return first if number == 1 else f"{first}page/{number}/"


HOME_URL = ""
MAP_URL = "map/"
DATA_URL = "data/"
DATA_JSON_URL = "data/evidence.json"
DATA_CSV_URL = "data/evidence.csv"
DATA_SCHEMA_URL = "data/record.schema.json"
EVIDENCE_URL = "evidence/"
DEFAULT_ORDER = "newest-first"
SEARCH_URL = "search/"
ASSETS_URL = "assets/"
SEARCH_INDEX_URL = "pagefind/"
SEARCH_SHARD_PAGES = 3_000
"""The most pages one search bundle holds: Pagefind needs ~290 KB of memory per page it indexes,
and two shards are indexed at once beside the build's own process, which holds the library (two
of 3,000 pages and a 50,000-record library fit in under 3 GB; two of 4,000 did not)."""
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


def search_index_urls(searchable: int, records: int, *,
                      shard_pages: int = SEARCH_SHARD_PAGES) -> tuple[str, ...]:
    """The search bundles of a site with `searchable` pages, `records` of them record pages: one
    per shard of at most `shard_pages` pages, the first at
    pagefind/, then pagefind-2/, pagefind-3/, ...

    Several shards come in multiples of `SEARCH_SHARDS_AT_ONCE`, so none is indexed alone, and
    never outnumber the records: each shard holds one, so it knows the sort keys (a library of
    fewer records than that has larger shards). The search page lists the bundles when it is
    rendered and the indexer writes them, both from here.
    """
    if shard_pages < 1:
        raise ValueError(f"a search shard must hold at least one page, not {shard_pages}")
    count = -(-searchable // shard_pages)
    if count > 1:
        count = -(-count // SEARCH_SHARDS_AT_ONCE) * SEARCH_SHARDS_AT_ONCE
    count = max(1, min(count, records))
    return tuple(search_bundle_url(shard) for shard in range(1, count + 1))


def search_bundle_url(shard: int) -> str:
    """The address of the search bundle of shard number `shard` (from 1): pagefind/, pagefind-2/, ..."""
    return SEARCH_INDEX_URL if shard == 1 else f"{SEARCH_INDEX_URL.rstrip('/')}-{shard}/"


def github_new_file_url(repo: str, branch: str, path: str, text: str) -> str:
    """GitHub's web editor, opening a new file at `path` of `repo` on `branch`, filled with `text`."""
    query = urlencode([("filename", path), ("value", text)], quote_via=quote)
    return f"https://github.com/{repo}/new/{quote(branch)}?{query}"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, relative so any sub-path works."""
    return from_root(root_prefix(from_url), to_url)


def from_root(prefix: str, to_url: str) -> str:
    """A link to `to_url` from a page whose way back to the site's root is `prefix` (a
    `root_prefix`, or an absolute path for a page served at any address)."""
    return (prefix + to_url) or "./"


def root_prefix(from_url: str) -> str:
    """What leads from the page at `from_url` back to the site's root ('' at the root itself)."""
    return "../" * from_url.count("/")


def absolute(base_url: str, url: str) -> str:
    """The absolute address of `url` on the published site."""
    return base_url + url
