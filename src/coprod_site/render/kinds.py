"""The one table of output kinds: for each, its template, how it is made, what its cache key
covers, whether readers search it and whether the sitemap lists it.

`KIND_TABLE` lists every `OutputKind` exactly once (a test checks it). A kind with a template
is made by a view function (its result is the template's `view`); a kind without one is made
as text directly; `FILE` outputs (the assets, the search bundles) are copied or indexed, not
rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from coprod_site.model import Output, OutputKind, urls
from coprod_site.render import text_files
from coprod_site.views import (
    ViewContext,
    admin_page,
    data_page,
    evidence_list_page,
    home_page,
    map_cell_page,
    map_page,
    not_found_page,
    prose_page,
    record_page,
    search_page,
    sitemap_view,
    taxonomy_page,
    term_page,
)


class MadeFrom(Enum):
    """Which records an output's cache key covers (beyond the site's frame)."""

    NO_RECORD = "no record"
    ITS_RECORD = "its record, body included"
    ITS_RECORD_AND_RELATED = "its record, body included, and the records related to it, without their bodies"
    ITS_RECORDS = "the records of its subject, without their bodies (all of them for no subject)"
    EVERY_RECORD = "every record, without their bodies"


Make = Callable[[ViewContext, Output], Any]


@dataclass(frozen=True, slots=True)
class KindRule:
    """How the outputs of one kind are made."""

    template: str | None
    make: Make | None
    made_from: MadeFrom
    searchable: bool = False
    listed: bool = False
    """A page readers should find: it is in the sitemap."""


def _sitemap(context: ViewContext, output: Output) -> object:
    """The sitemap lists every page readers should find."""
    return sitemap_view(context.site, [item for item in context.plan if KINDS[item.kind].listed])


KIND_TABLE: tuple[tuple[OutputKind, KindRule], ...] = (
    (OutputKind.HOME, KindRule("home.html", home_page, MadeFrom.EVERY_RECORD, listed=True)),
    (OutputKind.EVIDENCE_LIST, KindRule("list.html", evidence_list_page, MadeFrom.EVERY_RECORD, listed=True)),
    (OutputKind.RECORD,
     KindRule("record.html", record_page, MadeFrom.ITS_RECORD_AND_RELATED, searchable=True, listed=True)),
    (OutputKind.TAXONOMY, KindRule("taxonomy.html", taxonomy_page, MadeFrom.EVERY_RECORD, listed=True)),
    (OutputKind.TERM, KindRule("term.html", term_page, MadeFrom.ITS_RECORDS, listed=True)),
    (OutputKind.TERM_PAGE, KindRule("term.html", term_page, MadeFrom.ITS_RECORDS, listed=True)),
    (OutputKind.PAGE, KindRule("page.html", prose_page, MadeFrom.NO_RECORD, searchable=True, listed=True)),
    (OutputKind.SEARCH, KindRule("search.html", search_page, MadeFrom.EVERY_RECORD, listed=True)),
    (OutputKind.NOT_FOUND, KindRule("404.html", not_found_page, MadeFrom.EVERY_RECORD)),
    (OutputKind.MAP, KindRule("map.html", map_page, MadeFrom.EVERY_RECORD, listed=True)),
    (OutputKind.MAP_CELL, KindRule("list.html", map_cell_page, MadeFrom.ITS_RECORDS, listed=True)),
    (OutputKind.MAP_CELL_PAGE, KindRule("list.html", map_cell_page, MadeFrom.ITS_RECORDS, listed=True)),
    (OutputKind.DATA, KindRule("data.html", data_page, MadeFrom.EVERY_RECORD, listed=True)),
    (OutputKind.FEED, KindRule("feed.xml", text_files.feed, MadeFrom.ITS_RECORDS)),
    (OutputKind.SITEMAP, KindRule("sitemap.xml", _sitemap, MadeFrom.EVERY_RECORD)),
    (OutputKind.ROBOTS, KindRule("robots.txt", text_files.robots, MadeFrom.NO_RECORD)),
    (OutputKind.CITATIONS, KindRule(None, text_files.citations, MadeFrom.ITS_RECORDS)),
    (OutputKind.DATA_FILE, KindRule(None, text_files.data_file, MadeFrom.EVERY_RECORD)),
    (OutputKind.ADMIN_PAGE, KindRule("admin.html", admin_page, MadeFrom.NO_RECORD)),
    (OutputKind.ADMIN_CONFIG, KindRule(None, text_files.admin_config_file, MadeFrom.NO_RECORD)),
    (OutputKind.FILE, KindRule(None, None, MadeFrom.NO_RECORD)),
)
KINDS: Mapping[OutputKind, KindRule] = dict(KIND_TABLE)

_RECORD_PAGES = urls.record_url("*") + "index.html"


def searchable_glob(plan: Sequence[Output]) -> str:
    """A glob of the pages readers search, so Pagefind reads no others (record pages by one pattern)."""
    pages = {_RECORD_PAGES if output.kind is OutputKind.RECORD else output.path
             for output in plan if KINDS[output.kind].searchable}
    return "{" + ",".join(sorted(pages)) + "}"
