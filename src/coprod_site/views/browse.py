"""Views of the browsing pages: home, the evidence list, taxonomies, terms, prose, search, 404.

Each function builds the view of one planned output from a `ViewContext`; links are made
relative to that output's URL.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlsplit

from coprod_site.model import (
    EvidenceList,
    EvidenceOrder,
    Output,
    Paged,
    PageRef,
    SearchBundles,
    TaxonomyRef,
    TermRef,
    new_record_text,
    urls,
)
from coprod_site.views.context import ViewContext, citation_links
from coprod_site.views.lists import ListPage, TermPage, list_part
from coprod_site.views.search_data import SORT_CHOICES, search_facets
from coprod_site.views.types import (
    HomePage,
    Link,
    NotFoundPage,
    ProsePage,
    SearchPage,
    TaxonomyOverview,
    TaxonomyPage,
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
        newest=context.summaries(url, context.in_order(EvidenceOrder.ADDED)[:NEWEST_ON_HOME]),
        all_evidence=urls.relative(url, urls.EVIDENCE_URL),
        map_href=urls.relative(url, urls.MAP_URL) if context.site.config.evidence_map else "",
        data_href=urls.relative(url, urls.DATA_URL),
    )


def evidence_list_page(context: ViewContext, output: Output) -> ListPage:
    """One page of every record in one order (newest publications first at evidence/)."""
    url, subject = output.url, output.about(EvidenceList)
    order, title = subject.order, "All evidence"
    first = urls.evidence_list_url(order)
    part = list_part(url, first, context.in_order(order), subject.number)
    intro = f"{len(context.site.records)} records, {order.phrase}."
    crumbs = (Link(title, "./", True),) if url == urls.EVIDENCE_URL else (
        Link(title, urls.relative(url, urls.EVIDENCE_URL)), Link(order.label + part.pager.label, "./", True))
    heading = title if order is EvidenceOrder.NEWEST else f"{title}, {order.phrase}"
    return ListPage(
        context.chrome(url, heading + part.pager.label, intro, trail=crumbs), title, intro,
        context.summaries(url, part.records), pager=part.pager, showing=part.showing,
        orders=tuple(Link(other.label, urls.relative(url, urls.evidence_list_url(other)), other is order)
                     for other in EvidenceOrder),
    )


def taxonomy_page(context: ViewContext, output: Output) -> TaxonomyPage:
    """A taxonomy's index page."""
    tax = context.site.taxonomy(output.about(TaxonomyRef).taxonomy_id)
    sections = tuple(TermSection(label, context.term_counts(output.url, tax, group))
                     for group, label in tax.groups)
    sections = sections or (TermSection("", context.term_counts(output.url, tax)),)
    chrome = context.chrome(output.url, tax.name, tax.description, trail=(Link(tax.name, "./", True),))
    return TaxonomyPage(chrome, tax.name, tax.description, sections)


def term_page(context: ViewContext, output: Output) -> TermPage:
    """One page of a term's records (the first at the term's own address)."""
    url = output.url
    subject, number = (output.subject.of, output.subject.number) if isinstance(output.subject, Paged) \
        else (output.about(TermRef), 1)
    if not isinstance(subject, TermRef):
        raise TypeError(f"the {output.kind} output {url!r} is about {subject!r}, not a TermRef")
    tax = context.site.taxonomy(subject.taxonomy_id)
    term = tax.term(subject.term_id)
    first = urls.term_url(tax.id, term.id)
    records = context.site.records_with(tax.id, term.id)
    part = list_part(url, first, records, number)
    term_link = Link(term.name, "./" if number == 1 else urls.relative(url, first), number == 1)
    trail: tuple[Link, ...] = (Link(tax.name, urls.relative(url, urls.taxonomy_url(tax.id))), term_link)
    trail += (Link(f"Page {number}", "./", True),) if number > 1 else ()
    feed = Link(f"New evidence on {term.name}", urls.relative(url, urls.term_feed_url(tax.id, term.id)))
    chrome = context.chrome(url, f"{term.name} ({tax.name}){part.pager.label}", term.description, trail=trail)
    return TermPage(
        chrome=replace(chrome, feeds=(*chrome.feeds, feed)),
        taxonomy_name=tax.name, taxonomy_href=urls.relative(url, urls.taxonomy_url(tax.id)),
        name=term.name, description=term.description,
        group_label=dict(tax.groups).get(term.group or "", ""), website=term.url or "",
        records=context.summaries(url, part.records),
        search_href=urls.relative(url, urls.search_url({tax.id: term.name})),
        feed_href=feed.href,
        downloads=citation_links(url, lambda form: urls.term_citation_url(tax.id, term.id, form),
                                 forms=urls.TERM_CITATION_FORMATS),
        data_href=urls.relative(url, urls.DATA_URL),
        aliases=term.aliases,
        count=len(records), pager=part.pager, showing=part.showing,
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


SEARCH_WORKERS = 2
"""How many web workers the search page's bundles share at most. Each worker costs its start and
the compiling of its WebAssembly on the same few cores that search; two keep two cores busy."""


def search_page(context: ViewContext, output: Output) -> SearchPage:
    """The search page; its subject lists the search bundles (`urls.search_index_urls`)."""
    url, subject = output.url, output.about(SearchBundles)
    chrome = context.chrome(url, "Search the evidence", "Search and filter every record in the library.",
                            trail=(Link("Search", "./", True),))
    bundles = tuple(urls.relative(url, bundle) for bundle in subject.urls)
    return SearchPage(
        chrome, bundles=bundles, worker_bundles=_worker_bundles(bundles),
        root=urls.relative(url, urls.HOME_URL),
        facets=search_facets(context.site), sorts=SORT_CHOICES,
        evidence=urls.relative(url, urls.EVIDENCE_URL),
        script=urls.relative(url, urls.ASSETS_URL + "search.js"),
    )


def _worker_bundles(bundles: tuple[str, ...]) -> tuple[str, ...]:
    """The first bundle of each of `SEARCH_WORKERS` runs of neighbours, as even as they can be."""
    per_worker = -(-len(bundles) // max(1, min(len(bundles), SEARCH_WORKERS)))
    return bundles[::per_worker]


def not_found_page(context: ViewContext, output: Output) -> NotFoundPage:
    """The 404 page; its links are absolute paths because it is served at any address."""
    base_path = urlsplit(context.site.config.base_url).path
    chrome = context.chrome(output.url, "Page not found", "This page does not exist.", prefix=base_path)
    return NotFoundPage(chrome, base_path + urls.EVIDENCE_URL, base_path + urls.SEARCH_URL)
