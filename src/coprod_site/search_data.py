"""What the search index knows about a record: filters, metadata and sort keys for Pagefind."""

from __future__ import annotations

from coprod_site.model import Record, Site
from coprod_site.views import SearchData

YEAR_FILTER = "year"
YEAR_BAND = 5
UNDATED = "Date not stated"


def year_band(year: int | None) -> str:
    """The five-year band a year falls in, e.g. 2020–2024."""
    if year is None:
        return UNDATED
    start = year - year % YEAR_BAND
    return f"{start}\u2013{start + YEAR_BAND - 1}"


def record_search_data(site: Site, record: Record) -> SearchData:
    """Filters by every taxonomy (term names) and year band; title, summary and year metadata."""
    filters = [
        (taxonomy.id, taxonomy.term(term_id).name)
        for taxonomy in site.taxonomies
        for term_id in record.terms.get(taxonomy.id, ())
    ]
    filters.append((YEAR_FILTER, year_band(record.year)))
    lead = site.taxonomies[0] if site.taxonomies else None
    byline = ", ".join(lead.term(t).name for t in record.terms.get(lead.id, ())) if lead else ""
    meta = (("title", record.title), ("summary", record.summary),
            ("year", str(record.year) if record.year is not None else UNDATED), ("byline", byline))
    sort = (("year", f"{record.year or 0:04d}"), ("added", record.added.isoformat()))
    return SearchData(tuple(filters), meta, sort)
