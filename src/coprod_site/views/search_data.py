"""What a record page tells the search index beyond what it shows (the year band filter,
metadata, sort keys for Pagefind), and the filters the search page offers: a filter is keyed by
its taxonomy's id, as the record page's term links declare it, or by `YEAR_FILTER`."""

from __future__ import annotations

from collections import Counter

from coprod_site.model import UNDATED, Record, Site
from coprod_site.views.types import SearchData, SearchFacet, SearchOption

YEAR_FILTER = "year"
YEAR_BAND = 5
SORT_META_PREFIX = "sort-"
"""Each sort key is also metadata (`sort-year`, ...): the search page merges the sorted results of
several bundles by it. The values are fixed-width, so comparing them as text gives their order."""
SORT_CHOICES = (
    ("", "Best match"),
    ("year:desc", "Newest publications first"),
    ("year:asc", "Oldest publications first"),
    ("added:desc", "Recently added"),
)


def year_band(year: int | None) -> str:
    """The five-year band a year falls in, e.g. 2020–2024."""
    if year is None:
        return UNDATED
    start = year - year % YEAR_BAND
    return f"{start}\u2013{start + YEAR_BAND - 1}"


def byline(site: Site, record: Record) -> str:
    """The names of the record's publishers (the publisher taxonomy's terms) as one line."""
    return ", ".join(site.lead_names(record))


def record_search_data(site: Site, record: Record) -> SearchData:
    """What the record page declares in its hidden element (`SearchData`): the year band filter;
    year and byline metadata; sort keys by year (undated as 0000) and date added, repeated as
    metadata."""
    sort = (("year", f"{record.year or 0:04d}"), ("added", record.added.isoformat()))
    meta = (("year", record.year_label),
            ("byline", byline(site, record)),
            *((SORT_META_PREFIX + name, value) for name, value in sort))
    return SearchData(((YEAR_FILTER, year_band(record.year)),), meta, sort)


def search_facets(site: Site) -> tuple[SearchFacet, ...]:
    """Every filter the search page offers, with the library-wide count of each value."""
    facets = [
        SearchFacet(taxonomy.id, taxonomy.name, tuple(
            SearchOption(term.name, len(site.records_with(taxonomy.id, term.id))) for term in taxonomy.terms
        ))
        for taxonomy in site.taxonomies
    ]
    bands = Counter(year_band(record.year) for record in site.records)
    ordered = sorted((band for band in bands if band != UNDATED), reverse=True)
    ordered += [UNDATED] if UNDATED in bands else []
    facets.append(SearchFacet(YEAR_FILTER, "Year", tuple(SearchOption(b, bands[b]) for b in ordered)))
    return tuple(facets)
