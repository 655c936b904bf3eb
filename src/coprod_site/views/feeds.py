"""Views for the machine-readable files: the Atom feed, the sitemap and robots.txt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from coprod_site.model import Output, Record, Site, urls

FEED_ENTRIES = 50
"""A feed holds the most recent changes, as feed readers expect; the whole library is in the open data."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One record in the Atom feed."""

    title: str
    link: str
    id: str
    updated: str
    summary: str
    authors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FeedView:
    """An Atom feed of records, newest addition first."""

    title: str
    id: str
    self_link: str
    site_link: str
    updated: str
    author: str
    entries: tuple[FeedEntry, ...]


@dataclass(frozen=True, slots=True)
class SitemapView:
    """Every page readers should find, with when it last changed where that is known."""

    entries: tuple[tuple[str, str], ...]
    sitemap: str


@dataclass(frozen=True, slots=True)
class RobotsView:
    """robots.txt: where the sitemap is."""

    sitemap: str


def _timestamp(value: date) -> str:
    return f"{value.isoformat()}T00:00:00Z"


def feed_view(site: Site, records: Sequence[Record], *, title: str, feed_url: str) -> FeedView:
    """An Atom feed of the `FEED_ENTRIES` most recently changed `records`; ids are the records' page
    addresses, so they never change."""
    base = site.config.base_url
    ordered = sorted(records, key=lambda record: (-record.last_changed.toordinal(), record.id))[:FEED_ENTRIES]
    entries = tuple(
        FeedEntry(record.title, urls.absolute(base, urls.record_url(record.id)),
                  urls.absolute(base, urls.record_url(record.id)), _timestamp(record.last_changed),
                  record.summary, record.authors)
        for record in ordered
    )
    updated = entries[0].updated if entries else "1970-01-01T00:00:00Z"
    return FeedView(title, urls.absolute(base, feed_url), urls.absolute(base, feed_url), base, updated,
                    site.config.title, entries)


def sitemap_view(site: Site, pages: Sequence[Output]) -> SitemapView:
    """The `pages` readers should find; record pages carry their last change date."""
    changed = {urls.record_url(record.id): record.last_changed.isoformat() for record in site.records}
    entries = tuple((urls.absolute(site.config.base_url, output.url), changed.get(output.url, ""))
                    for output in pages)
    return SitemapView(entries, urls.absolute(site.config.base_url, urls.SITEMAP_URL))


def robots_view(site: Site) -> RobotsView:
    """robots.txt allows everything and points at the sitemap."""
    return RobotsView(urls.absolute(site.config.base_url, urls.SITEMAP_URL))
