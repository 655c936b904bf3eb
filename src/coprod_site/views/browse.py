"""Turn the site model into view objects, one per planned output.

`Views` knows the site and the Markdown renderer; `Views.for_output` builds the view for one
output of the plan made by `urls.plan_outputs`. Links are made relative to that output's URL.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from coprod_site import urls
from coprod_site.data_views import data_page
from coprod_site.map_views import map_cell_page, map_page
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import Record, Site, Taxonomy
from coprod_site.open_data import OpenData
from coprod_site.record_views import citation_links, record_page, year_label
from coprod_site.search_data import SORT_CHOICES, byline, search_facets
from coprod_site.views import (
    Chrome,
    DataPage,
    HomePage,
    Link,
    ListPage,
    MapPage,
    NotFoundPage,
    ProsePage,
    RecordPage,
    RecordSummary,
    SearchPage,
    TaxonomyOverview,
    TaxonomyPage,
    TermCount,
    TermPage,
    TermSection,
)

NEWEST_ON_HOME = 5
View = (HomePage | ListPage | RecordPage | TaxonomyPage | TermPage | ProsePage | SearchPage | NotFoundPage
        | MapPage | DataPage)


class Views:
    """Builds the view of each output; holds no state beyond the site and the renderer."""

    def __init__(self, site: Site, markdown: MarkdownRenderer) -> None:
        self.site = site
        self.markdown = markdown

    @functools.cached_property
    def open_data(self) -> OpenData:
        """The library as open data, made once, for the data page and the data files."""
        return OpenData(self.site)

    def for_output(self, output: urls.Output) -> View:
        """The view object for one planned output."""
        builders: dict[urls.Kind, Callable[[urls.Output], View]] = {
            urls.Kind.HOME: self.home, urls.Kind.EVIDENCE_LIST: self.evidence_list,
            urls.Kind.TAXONOMY: self.taxonomy,
            urls.Kind.TERM: self.term, urls.Kind.PAGE: self.page,
            urls.Kind.SEARCH: self.search, urls.Kind.NOT_FOUND: self.not_found,
            urls.Kind.RECORD: lambda output: record_page(self, output),
            urls.Kind.MAP: lambda output: map_page(self, output),
            urls.Kind.MAP_CELL: lambda output: map_cell_page(self, output),
            urls.Kind.DATA: lambda output: data_page(self, output),
        }
        return builders[output.kind](output)

    def chrome(self, url: str, title: str, description: str, *, trail: Sequence[Link] = (),
               og_type: str = "website") -> Chrome:
        """The layout data of the page at `url`; `trail` is the breadcrumb path below Home."""
        config = self.site.config
        is_home = url == urls.HOME_URL
        nav = [(urls.EVIDENCE_URL, "Evidence")]
        nav += [(urls.taxonomy_url(tax.id), tax.name) for tax in self.site.taxonomies]
        nav += [(urls.MAP_URL, "Evidence map")] if config.evidence_map else []
        nav += [(urls.SEARCH_URL, "Search")]
        nav += [(urls.page_url(page.id), page.title) for page in self.site.pages if page.id == "about"]
        crumbs = (Link("Home", urls.relative(url, urls.HOME_URL)), *trail) if not is_home else ()
        return Chrome(
            site_title=config.title, language=config.language,
            page_title=config.title if is_home else f"{title} | {config.title}",
            description=description, canonical=urls.absolute(config.base_url, url), og_type=og_type,
            root=urls.relative(url, urls.HOME_URL), home=urls.relative(url, urls.HOME_URL),
            stylesheet=urls.relative(url, urls.ASSETS_URL + "site.css"),
            icon=urls.relative(url, urls.ASSETS_URL + "favicon.svg"),
            search_action=urls.relative(url, urls.SEARCH_URL),
            nav=tuple(Link(label, urls.relative(url, target), _in_section(url, target))
                      for target, label in nav),
            breadcrumbs=crumbs,
            feeds=(Link(f"{config.title}: new evidence", urls.relative(url, urls.FEED_URL)),),
            footer=(
                *(Link(page.title, urls.relative(url, urls.page_url(page.id))) for page in self.site.pages),
                Link("Atom feed of new evidence", urls.relative(url, urls.FEED_URL)),
            ),
        )

    def summaries(self, url: str, records: Sequence[Record]) -> tuple[RecordSummary, ...]:
        """Records as list items, linked from the page at `url`."""
        prefix = urls.root_prefix(url)
        return tuple(self._summary(prefix, record.id) for record in records)

    @functools.cache  # noqa: B019 - one Views per build; a record is listed on many pages
    def _summary(self, prefix: str, record_id: str) -> RecordSummary:
        record = self.site.record(record_id)
        return RecordSummary(
            title=record.title, href=prefix + urls.record_url(record.id),
            year_label=year_label(record), summary=record.summary, byline=byline(self.site, record),
        )

    def term_counts(self, url: str, taxonomy: Taxonomy, group: str | None = None) -> tuple[TermCount, ...]:
        """A taxonomy's terms (optionally one group's) with counts, linked from `url`."""
        return tuple(
            TermCount(term.name, urls.relative(url, urls.term_url(taxonomy.id, term.id)),
                      len(self.site.records_with(taxonomy.id, term.id)), term.description)
            for term in taxonomy.terms if group is None or term.group == group
        )

    def home(self, output: urls.Output) -> HomePage:
        """The home page."""
        url, config = output.url, self.site.config
        return HomePage(
            chrome=self.chrome(url, config.title, config.description),
            intro=self.markdown.block(config.intro), record_count=len(self.site.records),
            featured=tuple(
                TaxonomyOverview(tax.name, urls.relative(url, urls.taxonomy_url(tax.id)), tax.description,
                                 self.term_counts(url, tax))
                for tax in self.site.taxonomies if tax.featured
            ),
            browse=tuple(Link(tax.name, urls.relative(url, urls.taxonomy_url(tax.id)))
                         for tax in self.site.taxonomies),
            newest=self.summaries(url, sorted(self.site.records, key=_newest_added)[:NEWEST_ON_HOME]),
            all_evidence=urls.relative(url, urls.EVIDENCE_URL),
            map_href=urls.relative(url, urls.MAP_URL) if self.site.config.evidence_map else "",
            data_href=urls.relative(url, urls.DATA_URL),
        )

    def evidence_list(self, output: urls.Output) -> ListPage:
        """Every record, newest year first."""
        title = "All evidence"
        intro = f"{len(self.site.records)} records, newest first."
        crumbs = (Link(title, "./", True),)
        return ListPage(self.chrome(output.url, title, intro, trail=crumbs), title, intro,
                        self.summaries(output.url, self.site.records))

    def taxonomy(self, output: urls.Output) -> TaxonomyPage:
        """A taxonomy's index page."""
        tax = self.site.taxonomy(output.subject[0])
        sections = tuple(TermSection(label, self.term_counts(output.url, tax, group))
                         for group, label in tax.groups)
        sections = sections or (TermSection("", self.term_counts(output.url, tax)),)
        chrome = self.chrome(output.url, tax.name, tax.description, trail=(Link(tax.name, "./", True),))
        return TaxonomyPage(chrome, tax.name, tax.description, sections)

    def term(self, output: urls.Output) -> TermPage:
        """A term's page with every record carrying it."""
        url = output.url
        tax = self.site.taxonomy(output.subject[0])
        term = tax.term(output.subject[1])
        trail = (Link(tax.name, urls.relative(url, urls.taxonomy_url(tax.id))), Link(term.name, "./", True))
        feed = Link(f"New evidence on {term.name}", urls.relative(url, urls.term_feed_url(tax.id, term.id)))
        chrome = self.chrome(url, f"{term.name} ({tax.name})", term.description, trail=trail)
        return TermPage(
            chrome=replace(chrome, feeds=(*chrome.feeds, feed)),
            taxonomy_name=tax.name, taxonomy_href=urls.relative(url, urls.taxonomy_url(tax.id)),
            name=term.name, description=term.description,
            group_label=dict(tax.groups).get(term.group or "", ""), website=term.url or "",
            records=self.summaries(url, self.site.records_with(tax.id, term.id)),
            search_href=urls.relative(url, urls.search_url({tax.id: term.name})),
            feed_href=feed.href,
            downloads=citation_links(url, lambda form: urls.term_citation_url(tax.id, term.id, form)),
        )

    def page(self, output: urls.Output) -> ProsePage:
        """A prose page."""
        page = next(item for item in self.site.pages if item.id == output.subject[0])
        chrome = self.chrome(output.url, page.title, page.summary, trail=(Link(page.title, "./", True),))
        return ProsePage(chrome, page.title, page.summary, self.markdown.block(page.body))

    def search(self, output: urls.Output) -> SearchPage:
        """The search page; the plan gives it the search bundles (`urls.search_index_urls`)."""
        url = output.url
        chrome = self.chrome(url, "Search the evidence", "Search and filter every record in the library.",
                             trail=(Link("Search", "./", True),))
        return SearchPage(
            chrome, bundles=tuple(urls.relative(url, bundle) for bundle in output.subject),
            root=urls.relative(url, urls.HOME_URL),
            facets=search_facets(self.site), sorts=SORT_CHOICES,
            evidence=urls.relative(url, urls.EVIDENCE_URL),
            script=urls.relative(url, urls.ASSETS_URL + "search.js"),
        )

    def not_found(self, output: urls.Output) -> NotFoundPage:
        """The 404 page; its links are absolute paths because it is served at any address."""
        base_path = urlsplit(self.site.config.base_url).path
        chrome = self.chrome(output.url, "Page not found", "This page does not exist.")
        rooted = _rooted(chrome, base_path)
        return NotFoundPage(rooted, base_path + urls.EVIDENCE_URL, base_path + urls.SEARCH_URL)


def _rooted(chrome: Chrome, base_path: str) -> Chrome:
    """The same chrome with links as absolute paths under `base_path` (for the 404 page)."""
    return replace(
        chrome, root=base_path, home=base_path, stylesheet=base_path + urls.ASSETS_URL + "site.css",
        icon=base_path + urls.ASSETS_URL + "favicon.svg",
        search_action=base_path + urls.SEARCH_URL,
        nav=tuple(Link(link.label, base_path + link.href) for link in chrome.nav),
        feeds=tuple(Link(link.label, base_path + link.href) for link in chrome.feeds),
        footer=tuple(Link(link.label, base_path + link.href) for link in chrome.footer),
    )


def _in_section(url: str, target: str) -> bool:
    return bool(target) and url.startswith(target)


def _newest_added(record: Record) -> tuple[int, str]:
    return (-record.added.toordinal(), record.id)
