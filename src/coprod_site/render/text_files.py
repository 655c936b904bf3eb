"""How the site's non-page files are made: Atom feeds, citation downloads, open data, robots.txt,
the CMS's configuration.

Each function takes the build's `ViewContext` and one planned output. Feeds and robots.txt are
views for a template (`feed.xml`, `robots.txt`); citation and data files are their text.
"""

from __future__ import annotations

from collections.abc import Sequence

from coprod_site.formats import admin_config, config_yaml, join_entries
from coprod_site.model import CitationsOf, Output, Record, TermRef, records_of, urls
from coprod_site.views import FeedView, RobotsView, ViewContext, feed_view, robots_view


def feed(context: ViewContext, output: Output) -> FeedView:
    """The site's Atom feed, or one term's."""
    site = context.site
    records: Sequence[Record] = site.records
    title = f"{site.config.title}: new evidence"
    if isinstance(output.subject, TermRef):
        term = site.taxonomy(output.subject.taxonomy_id).term(output.subject.term_id)
        records = site.records_with(output.subject.taxonomy_id, output.subject.term_id)
        title = f"{site.config.title}: new evidence on {term.name}"
    return feed_view(site, records, title=title, feed_url=output.url)


def citations(context: ViewContext, output: Output) -> str:
    """A record's, a term's or the whole library's citations in one format."""
    subject = output.about(CitationsOf)
    records = records_of(context.site, subject)
    chosen = context.site.records if records is None else records
    return join_entries([context.citation_entry(record, subject.form) for record in chosen], subject.form)


def data_file(context: ViewContext, output: Output) -> str:
    """The open data files."""
    data = context.open_data
    makers = {urls.DATA_JSON_URL: data.json, urls.DATA_CSV_URL: data.csv, urls.DATA_SCHEMA_URL: data.schema}
    return makers[output.url]()


def robots(context: ViewContext, output: Output) -> RobotsView:
    """robots.txt, pointing at the sitemap."""
    return robots_view(context.site)


def admin_config_file(context: ViewContext, output: Output) -> str:
    """admin/config.yml: the CMS's configuration, from the record fields and taxonomies."""
    config = context.site.config
    return config_yaml(admin_config(context.site.taxonomies, settings=config.cms, site_url=config.base_url))
