"""Views of the browsing pages: home, the evidence list, taxonomies, terms, prose, search, 404.

Each function builds the view of one planned output from a `ViewContext`; links are made
relative to that output's URL.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from coprod_site.model import (
    Output,
    PageRef,
    Record,
    SearchBundles,
    TaxonomyRef,
    TermRef,
    new_record_text,
    urls,
)
from coprod_site.views.context import ViewContext, citation_links
from coprod_site.views.search_data import SORT_CHOICES, search_facets
from coprod_site.views.types import (
    Chrome,
    HomePage,
    Link,
    ListPage,
    NotFoundPage,
    ProsePage,
    SearchPage,
    TaxonomyOverview,
    TaxonomyPage,
    TermPage,
    TermSection,
)

NEWEST_ON_HOME = 5
CONTRIBUTE_PAGE = "contribute"
"""The prose page that tells editors how to add evidence (content/pages/contribute.md)."""
NEW_RECORD_ID = "your-record-id"


def home_page(context: ViewContext, output: Output) -> HomePage:
    """The home page."""
    url, config = output.url, context.site.config
    return HomePage(
        chrome=context.chrome(url, config.title, config.description),
        intro=context.markdown.block(config.intro), record_count=len(context.site.records),
        featured=tuple(
            TaxonomyOverview(tax.name, urls.relative(url, urls.taxonomy_url(tax.id)), tax.description,
                             context.term_counts(url, tax))
            for tax in context.site.taxonomies if tax.featured
        ),
        browse=tuple(Link(tax.name, urls.relative(url, urls.taxonomy_url(tax.id)))
                     for tax in context.site.taxonomies),
        newest=context.summaries(url, sorted(context.site.records, key=_newest_added)[:NEWEST_ON_HOME]),
        all_evidence=urls.relative(url, urls.EVIDENCE_URL),
        map_href=urls.relative(url, urls.MAP_URL) if context.site.config.evidence_map else "",
        data_href=urls.relative(url, urls.DATA_URL),
    )


def evidence_list_page(context: ViewContext, output: Output) -> ListPage:
    """Every record, newest year first."""
    title = "All evidence"
    intro = f"{len(context.site.records)} records, newest publications first."
    crumbs = (Link(title, "./", True),)
    return ListPage(context.chrome(output.url, title, intro, trail=crumbs), title, intro,
                    context.summaries(output.url, context.site.records))


def taxonomy_page(context: ViewContext, output: Output) -> TaxonomyPage:
    """A taxonomy's index page."""
    tax = context.site.taxonomy(output.about(TaxonomyRef).taxonomy_id)
    sections = tuple(TermSection(label, context.term_counts(output.url, tax, group))
                     for group, label in tax.groups)
    sections = sections or (TermSection("", context.term_counts(output.url, tax)),)
    chrome = context.chrome(output.url, tax.name, tax.description, trail=(Link(tax.name, "./", True),))
    return TaxonomyPage(chrome, tax.name, tax.description, sections)


def term_page(context: ViewContext, output: Output) -> TermPage:
    """A term's page with every record carrying it."""
    url, subject = output.url, output.about(TermRef)
    tax = context.site.taxonomy(subject.taxonomy_id)
    term = tax.term(subject.term_id)
    trail = (Link(tax.name, urls.relative(url, urls.taxonomy_url(tax.id))), Link(term.name, "./", True))
    feed = Link(f"New evidence on {term.name}", urls.relative(url, urls.term_feed_url(tax.id, term.id)))
    chrome = context.chrome(url, f"{term.name} ({tax.name})", term.description, trail=trail)
    return TermPage(
        chrome=replace(chrome, feeds=(*chrome.feeds, feed)),
        taxonomy_name=tax.name, taxonomy_href=urls.relative(url, urls.taxonomy_url(tax.id)),
        name=term.name, description=term.description,
        group_label=dict(tax.groups).get(term.group or "", ""), website=term.url or "",
        records=context.summaries(url, context.site.records_with(tax.id, term.id)),
        search_href=urls.relative(url, urls.search_url({tax.id: term.name})),
        feed_href=feed.href,
        downloads=citation_links(url, lambda form: urls.term_citation_url(tax.id, term.id, form)),
        aliases=term.aliases,
    )


def prose_page(context: ViewContext, output: Output) -> ProsePage:
    """A prose page."""
    page = context.site.page(output.about(PageRef).page_id)
    chrome = context.chrome(output.url, page.title, page.summary, trail=(Link(page.title, "./", True),))
    actions = _new_record_link(context) if page.id == CONTRIBUTE_PAGE else ()
    return ProsePage(chrome, page.title, page.summary, context.markdown.block(page.body), actions)


def _new_record_link(context: ViewContext) -> tuple[Link, ...]:
    """GitHub's editor opening a new record filled with the template `coprod-site new` writes, when
    site.yml names the repository (its `cms:` mapping); `added` is left for the editor to fill."""
    settings = context.site.config.cms
    if settings is None:
        return ()
    text = new_record_text(NEW_RECORD_ID, today=None, taxonomies=context.site.taxonomies)
    path = f"content/{urls.record_url(NEW_RECORD_ID).rstrip('/')}.md"
    href = urls.github_new_file_url(settings.repo, settings.branch, path, text + "\n")
    return (Link("Start a new record in GitHub's editor", href),)


def search_page(context: ViewContext, output: Output) -> SearchPage:
    """The search page; its subject lists the search bundles (`urls.search_index_urls`)."""
    url, subject = output.url, output.about(SearchBundles)
    chrome = context.chrome(url, "Search the evidence", "Search and filter every record in the library.",
                            trail=(Link("Search", "./", True),))
    return SearchPage(
        chrome, bundles=tuple(urls.relative(url, bundle) for bundle in subject.urls),
        root=urls.relative(url, urls.HOME_URL),
        facets=search_facets(context.site), sorts=SORT_CHOICES,
        evidence=urls.relative(url, urls.EVIDENCE_URL),
        script=urls.relative(url, urls.ASSETS_URL + "search.js"),
    )


def not_found_page(context: ViewContext, output: Output) -> NotFoundPage:
    """The 404 page; its links are absolute paths because it is served at any address."""
    base_path = urlsplit(context.site.config.base_url).path
    chrome = context.chrome(output.url, "Page not found", "This page does not exist.")
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


def _newest_added(record: Record) -> tuple[int, str]:
    return (-record.added.toordinal(), record.id)
