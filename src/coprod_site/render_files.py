"""The site's non-HTML files: Atom feeds, citation downloads, open data, sitemap and robots.txt.

Each planned output of one of these kinds maps to a function that returns the file's text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import jinja2

from coprod_site import urls
from coprod_site.build_feeds import feed_view, sitemap_view
from coprod_site.citation import citation_entry, join_entries, record_reference
from coprod_site.cms_admin import admin_file
from coprod_site.model import Record, Site
from coprod_site.open_data import OpenData

FileRenderer = Callable[[urls.Output], str]


class Files:
    """Renders the text of each non-HTML output of a site."""

    def __init__(self, site: Site, plan: Sequence[urls.Output], env: jinja2.Environment,
                 render: Callable[..., str], open_data: Callable[[], OpenData]) -> None:
        self.site, self.plan, self.env, self.render = site, plan, env, render
        self._open_data = open_data
        self._entries: dict[tuple[str, str], str] = {}

    def for_output(self, output: urls.Output) -> str:
        """The text of one planned output."""
        writers: dict[urls.Kind, FileRenderer] = {
            urls.Kind.FEED: self.feed, urls.Kind.CITATIONS: self.citations,
            urls.Kind.DATA_FILE: self.data_file, urls.Kind.SITEMAP: self.sitemap,
            urls.Kind.ROBOTS: self.robots,
            urls.Kind.ADMIN: lambda output: admin_file(self.site, output.url, self.env, self.render),
        }
        return writers[output.kind](output)

    def feed(self, output: urls.Output) -> str:
        """The site's Atom feed, or one term's."""
        records: Sequence[Record] = self.site.records
        title = f"{self.site.config.title}: new evidence"
        if output.subject:
            taxonomy = self.site.taxonomy(output.subject[0])
            records = self.site.records_with(*output.subject)
            title = f"{self.site.config.title}: new evidence on {taxonomy.term(output.subject[1]).name}"
        return self.render(self.env, "feed.xml", feed=feed_view(self.site, records, title=title,
                                                                feed_url=output.url))

    def citations(self, output: urls.Output) -> str:
        """A record's, a term's or the whole library's citations in one format."""
        scope, form, *ids = output.subject
        if scope == "record":
            records: Sequence[Record] = [self.site.record(ids[0])]
        elif scope == "term":
            records = self.site.records_with(ids[0], ids[1])
        else:
            records = self.site.records
        return join_entries([self.entry(record, form) for record in records], form)

    def entry(self, record: Record, form: str) -> str:
        """The record's entry in `form`, made once per build and reused by every citation file."""
        key = (record.id, form)
        if key not in self._entries:
            self._entries[key] = citation_entry(record_reference(self.site, record), form)
        return self._entries[key]



    @property
    def open_data(self) -> OpenData:
        """The build's open data (made on first use)."""
        return self._open_data()

    def data_file(self, output: urls.Output) -> str:
        """The open data files."""
        makers = {urls.DATA_JSON_URL: self.open_data.json, urls.DATA_CSV_URL: self.open_data.csv,
                  urls.DATA_SCHEMA_URL: self.open_data.schema}
        return makers[output.url]()

    def sitemap(self, output: urls.Output) -> str:
        """The sitemap of every HTML page."""
        return self.render(self.env, "sitemap.xml", sitemap=sitemap_view(self.site, self.plan))

    def robots(self, output: urls.Output) -> str:
        """robots.txt, pointing at the sitemap."""
        sitemap = urls.absolute(self.site.config.base_url, urls.SITEMAP_URL)
        return self.render(self.env, "robots.txt", sitemap=sitemap)
