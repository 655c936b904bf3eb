"""The evidence map: how many records carry each pair of terms (rows × columns), optionally
for one term of a filter taxonomy. Which taxonomies play each part is set in site.yml."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from coprod_site.model import Record, Site, Taxonomy


@dataclass(frozen=True, slots=True)
class MapAxes:
    """The three taxonomies of the map (the filter may be absent)."""

    rows: Taxonomy
    columns: Taxonomy
    filter: Taxonomy | None


def map_axes(site: Site) -> MapAxes | None:
    """The map's taxonomies, or None when the site has no evidence map."""
    spec = site.config.evidence_map
    if spec is None:
        return None
    return MapAxes(site.taxonomy(spec.rows), site.taxonomy(spec.columns),
                   site.taxonomy(spec.filter) if spec.filter else None)


def records_in(site: Site, axes: MapAxes, filter_term: str | None) -> tuple[Record, ...]:
    """The records a map counts: all, or those carrying `filter_term` of the filter taxonomy."""
    if filter_term is None or axes.filter is None:
        return site.records
    return site.records_with(axes.filter.id, filter_term)


def cell_records(site: Site, axes: MapAxes, filter_term: str | None, row: str,
                 column: str) -> tuple[Record, ...]:
    """The records (of `filter_term`, if given) carrying both terms, in the site's order."""
    columns, filter_id = axes.columns.id, axes.filter.id if axes.filter and filter_term else ""
    return tuple(record for record in site.records_with(axes.rows.id, row)
                 if column in record.terms.get(columns, ())
                 and (not filter_id or filter_term in record.terms.get(filter_id, ())))


def filter_terms(axes: MapAxes) -> tuple[str | None, ...]:
    """None (the whole library) and then every term of the filter taxonomy."""
    return (None, *(term.id for term in axes.filter.terms)) if axes.filter else (None,)


def non_empty_cells(site: Site) -> Iterator[tuple[str | None, str, str]]:
    """Every (filter term, row term, column term) whose cell holds at least one record."""
    axes = map_axes(site)
    if axes is None:
        return
    for filter_term in filter_terms(axes):
        for row in axes.rows.terms:
            for column in axes.columns.terms:
                if cell_records(site, axes, filter_term, row.id, column.id):
                    yield filter_term, row.id, column.id


def ordered_columns(axes: MapAxes) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Column terms grouped by the column taxonomy's groups (one unnamed group if it has none)."""
    if not axes.columns.groups:
        return (("", tuple(term.id for term in axes.columns.terms)),)
    return tuple(
        (label, tuple(term.id for term in axes.columns.terms if term.group == group))
        for group, label in axes.columns.groups
    )
