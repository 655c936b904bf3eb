"""The view context: what every page's view is made with, handed to each per-kind view function.

A `ViewContext` holds the site, the Markdown renderer and the output plan, and makes the parts
many pages share: the layout (`chrome`), records as list items, terms with counts, citation
download links, each record's citation entries and the open data. Things made once per build
are cached on it; it holds no other state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from coprod_site.formats import OpenData, Reference, citation_entry, record_reference
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import EvidenceOrder, Output, Record, Site, Taxonomy, Term, urls
from coprod_site.views.lists import teaser
from coprod_site.views.search_data import byline
from coprod_site.views.types import (
    Chrome,
    CitationLink,
    Entry,
    Layout,
    Link,
    RecordSummary,
    TermCount,
    TermLink,
)

Key = TypeVar("Key")
Made = TypeVar("Made")

FORMAT_LABELS = (("ris", "RIS (EndNote, Zotero, Mendeley)", "application/x-research-info-systems"),
                 ("bibtex", "BibTeX (LaTeX)", "application/x-bibtex"),
                 ("csl", "CSL-JSON (Zotero, Pandoc)", "application/vnd.citationstyles.csl+json"))


def citation_links(url: str, target: Callable[[str], str], *,
                   forms: Collection[str] = tuple(urls.CITATION_FORMATS)) -> tuple[CitationLink, ...]:
    """Downloads of citations in `forms` (every format unless told), linked from the page at `url`."""
    return tuple(CitationLink(label, urls.relative(url, target(form)), media)
                 for form, label, media in FORMAT_LABELS if form in forms)


@dataclass(eq=False)
class ViewContext:
    """The site, the Markdown renderer and the plan, with the parts shared by many views."""

    site: Site
    markdown: MarkdownRenderer
    plan: Sequence[Output] = ()
    _entries: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _summaries: dict[tuple[str, Entry], dict[str, RecordSummary]] = field(default_factory=dict, repr=False)
    _teasers: dict[str, str] = field(default_factory=dict, repr=False)
    _references: dict[str, Reference] = field(default_factory=dict, repr=False)
    _term_links: dict[tuple[str, str, str], TermLink] = field(default_factory=dict, repr=False)
    _orders: dict[EvidenceOrder, Sequence[Record]] = field(default_factory=dict, repr=False)
    _layouts: dict[tuple[str, tuple[bool, ...]], Layout] = field(default_factory=dict, repr=False)

    @functools.cached_property
    def open_data(self) -> OpenData:
        """The library as open data, made once, for the data page and the data files."""
        return OpenData(self.site)

    def in_order(self, order: EvidenceOrder) -> Sequence[Record]:
        """Every record in `order`, sorted once per build."""
        return _kept(self._orders, order, lambda: order.ordered(self.site.records))

    def reference(self, record: Record) -> Reference:
        """The record's reference (`formats.record_reference`), made once per build for its page
        and its entry in each citation format."""
        return _kept(self._references, record.id, lambda: record_reference(self.site, record))

    def citation_entry(self, record: Record, form: str) -> str:
        """The record's citation entry in `form`, made once per build and reused by every file."""
        return _kept(self._entries, (record.id, form), lambda: citation_entry(self.reference(record), form))

    def chrome(self, url: str, title: str, description: str, *, trail: Sequence[Link] = (),
               og_type: str = "website", prefix: str | None = None) -> Chrome:
        """The layout data of the page at `url`; `trail` is the breadcrumb path below Home. Links
        are relative, or absolute paths under `prefix` for a page served at any address."""
        config = self.site.config
        is_home = url == urls.HOME_URL
        layout = self.layout(url, prefix=prefix)
        return Chrome(
            site_title=config.title, language=config.language,
            page_title=config.title if is_home else f"{title} | {config.title}",
            description=description, canonical=urls.absolute(config.base_url, url), og_type=og_type,
            layout=layout, breadcrumbs=(Link("Home", layout.home), *trail) if not is_home else (),
            feeds=(layout.feed,),
        )

    def layout(self, url: str, *, prefix: str | None = None) -> Layout:
        """The links every page at `url`'s depth and in its section shares, made once for each:
        relative, or under `prefix` (see `chrome`)."""
        prefix = urls.root_prefix(url) if prefix is None else prefix
        current = tuple(_in_section(url, target) for target, _ in self._nav_targets)
        return _kept(self._layouts, (prefix, current), lambda: self._make_layout(prefix, current))

    def _make_layout(self, prefix: str, current: tuple[bool, ...]) -> Layout:
        """The shared links under `prefix`, with the sections marked in `current` marked current."""
        def href(target: str) -> str:
            return urls.from_root(prefix, target)
        return Layout(
            home=href(urls.HOME_URL), stylesheet=href(urls.ASSETS_URL + "site.css"),
            icon=href(urls.ASSETS_URL + "favicon.svg"), search_action=href(urls.SEARCH_URL),
            nav=tuple(Link(label, href(target), now)
                      for (target, label), now in zip(self._nav_targets, current, strict=True)),
            feed=Link(f"{self.site.config.title}: new evidence", href(urls.FEED_URL)),
            footer=(*(Link(page.title, href(urls.page_url(page.id))) for page in self.site.pages),
                    Link("Atom feed of new evidence", href(urls.FEED_URL))),
        )

    @functools.cached_property
    def _nav_targets(self) -> list[tuple[str, str]]:
        """The main navigation's targets and labels, in order."""
        nav = [(urls.EVIDENCE_URL, "Evidence")]
        nav += [(urls.taxonomy_url(tax.id), tax.name) for tax in self.site.taxonomies]
        nav += [(urls.MAP_URL, "Evidence map")] if self.site.config.evidence_map else []
        nav += [(urls.SEARCH_URL, "Search")]
        return nav + [(urls.page_url(page.id), page.title) for page in self.site.pages if page.id == "about"]

    def summaries(self, url: str, records: Sequence[Record],
                  entry: Entry = Entry.TEASER) -> tuple[RecordSummary, ...]:
        """Records as list items showing `entry`, linked from the page at `url`."""
        prefix = urls.root_prefix(url)
        made = self._summaries.setdefault((prefix, entry), {})  # a record is listed on many pages
        found = []
        for record in records:  # the hottest lookup of a build (every item of every list): inline
            summary = made.get(record.id)
            if summary is None:
                summary = made[record.id] = self._summary(prefix, record, entry)
            found.append(summary)
        return tuple(found)

    def teaser(self, record: Record) -> str:
        """The start of the record's summary (`lists.teaser`), made once per build: lists at
        several depths and the record's own page all show it."""
        return _kept(self._teasers, record.id, lambda: teaser(record.summary))

    def _summary(self, prefix: str, record: Record, entry: Entry) -> RecordSummary:
        """A record's list item at the page depth of `prefix`."""
        return RecordSummary(
            title=record.title, href=urls.from_root(prefix, urls.record_url(record.id)),
            year_label=record.year_label, summary=self.teaser(record) if entry is Entry.TEASER else "",
            byline=byline(self.site, record),
        )

    def term_link(self, url: str, taxonomy: Taxonomy, term_id: str) -> TermLink:
        """A term of a record, linked from the page at `url`; made once per page depth (every
        record page carries several of the same few terms)."""
        prefix = urls.root_prefix(url)
        return _kept(self._term_links, (prefix, taxonomy.id, term_id),
                     lambda: _term_link(prefix, taxonomy, taxonomy.term(term_id)))

    def term_counts(self, url: str, taxonomy: Taxonomy, group: str | None = None) -> tuple[TermCount, ...]:
        """A taxonomy's terms (optionally one group's) with counts, linked from `url`."""
        return tuple(
            TermCount(term.name, urls.relative(url, urls.term_url(taxonomy.id, term.id)),
                      len(self.site.records_with(taxonomy.id, term.id)), term.description)
            for term in taxonomy.terms if group is None or term.group == group
        )


def _term_link(prefix: str, taxonomy: Taxonomy, term: Term) -> TermLink:
    return TermLink(term.name, urls.from_root(prefix, urls.term_url(taxonomy.id, term.id)), term.aliases)


def _kept(store: dict[Key, Made], key: Key, make: Callable[[], Made]) -> Made:
    """`store[key]`, made by `make()` the first time it is asked for (what many pages share is
    made once per build)."""
    made = store.get(key)
    if made is None:
        made = store[key] = make()
    return made


def _in_section(url: str, target: str) -> bool:
    return bool(target) and url.startswith(target)
