"""The evidence map: how many records carry each pair of terms (rows × columns), optionally
for one term of a filter taxonomy. Which taxonomies play each part is set in site.yml."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from coprod_site.model.site import Record, Site, Taxonomy


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


Cell = tuple[str | None, str, str]
"""A map cell: (filter term or None for the whole library, row term, column term)."""


def map_cells(site: Site) -> dict[Cell, tuple[Record, ...]]:
    """Every non-empty cell of every map (whole library and each filter term) with its records
    in the site's order, found in one pass over the records."""
    axes = map_axes(site)
    if axes is None:
        return {}
    cells: dict[Cell, list[Record]] = defaultdict(list)
    for record in site.records:
        terms = record.terms
        scopes = (None, *dict.fromkeys(terms.get(axes.filter.id, ()))) if axes.filter else (None,)
        for row in dict.fromkeys(terms.get(axes.rows.id, ())):
            for column in dict.fromkeys(terms.get(axes.columns.id, ())):
                for scope in scopes:
                    cells[(scope, row, column)].append(record)
    return {cell: tuple(records) for cell, records in cells.items()}


def filter_terms(axes: MapAxes) -> tuple[str | None, ...]:
    """None (the whole library) and then every term of the filter taxonomy."""
    return (None, *(term.id for term in axes.filter.terms)) if axes.filter else (None,)


def non_empty_cells(site: Site) -> Iterator[Cell]:
    """Every (filter term, row term, column term) whose cell holds at least one record."""
    axes = map_axes(site)
    if axes is None:
        return
    cells = site.map_cells
    for filter_term in filter_terms(axes):
        for row in axes.rows.terms:
            for column in axes.columns.terms:
                if (filter_term, row.id, column.id) in cells:
                    yield filter_term, row.id, column.id


def ordered_columns(axes: MapAxes) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Column terms grouped by the column taxonomy's groups (one unnamed group if it has none)."""
    if not axes.columns.groups:
        return (("", tuple(term.id for term in axes.columns.terms)),)
    return tuple(
        (label, tuple(term.id for term in axes.columns.terms if term.group == group))
        for group, label in axes.columns.groups
    )
