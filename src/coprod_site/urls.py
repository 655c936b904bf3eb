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
from pathlib import PurePosixPath
from urllib.parse import quote, urlencode

from coprod_site.diagnostics import Diagnostics, Where
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
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its URL, path, kind, subject ids and producing source."""

    url: str
    kind: Kind
    source: str
    subject: tuple[str, ...] = ()

    @property
    def path(self) -> PurePosixPath:
        """Where the output is written, relative to the output folder."""
        return PurePosixPath(self.url + "index.html" if self.url.endswith("/") or not self.url
                             else self.url)


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


HOME_URL = ""
EVIDENCE_URL = "evidence/"
SEARCH_URL = "search/"
ASSETS_URL = "assets/"
SEARCH_INDEX_URL = "pagefind/"
FEED_URL = "feed.xml"
SITEMAP_URL = "sitemap.xml"
ROBOTS_URL = "robots.txt"
NOT_FOUND_URL = "404.html"


def search_url(filters: Mapping[str, str] | None = None, query: str = "") -> str:
    """The search page, pre-filled: `search/?q=...&benefits=Efficiency`."""
    pairs = ([("q", query)] if query else []) + sorted((filters or {}).items())
    return SEARCH_URL + ("?" + urlencode(pairs, quote_via=quote) if pairs else "")


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url`, relative so any sub-path works."""
    depth = from_url.count("/")
    return ("../" * depth + to_url) or "./"


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
            diagnostics.error(
                Where(mine.source), "output",
                f"its page /{mine.url} collides with /{theirs.url} from {theirs.source}",
                "rename one of them: two pages cannot share an address",
            )


def _outputs(site: Site) -> Iterator[Output]:
    for url, kind in ((HOME_URL, Kind.HOME), (EVIDENCE_URL, Kind.EVIDENCE_LIST),
                      (SEARCH_URL, Kind.SEARCH), (NOT_FOUND_URL, Kind.NOT_FOUND)):
        yield Output(url, kind, BUILT_IN)
    for url in (FEED_URL, SITEMAP_URL, ROBOTS_URL, ASSETS_URL, SEARCH_INDEX_URL):
        yield Output(url, Kind.FILE, BUILT_IN)
    for record in site.records:
        yield Output(record_url(record.id), Kind.RECORD, record.source, (record.id,))
    for taxonomy in site.taxonomies:
        yield Output(taxonomy_url(taxonomy.id), Kind.TAXONOMY, taxonomy.source, (taxonomy.id,))
        for term in taxonomy.terms:
            yield Output(term_url(taxonomy.id, term.id), Kind.TERM, taxonomy.source,
                         (taxonomy.id, term.id))
    for page in site.pages:
        yield Output(page_url(page.id), Kind.PAGE, page.source, (page.id,))
