"""Views of the evidence map: the table (for the library or one filter term) and cell pages, and
the map's own view objects."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from coprod_site.model import (
    CellRef,
    MapAxes,
    MapRef,
    Output,
    Paged,
    Record,
    filter_terms,
    map_axes,
    ordered_columns,
    records_in,
    urls,
)
from coprod_site.views.context import ViewContext
from coprod_site.views.lists import ListPage, list_part
from coprod_site.views.types import Chrome, Entry, Link


@dataclass(frozen=True, slots=True)
class MapCell:
    """One cell of the evidence map: its count, the plain list page and the pre-filtered search."""

    count: int
    label: str
    href: str
    search_href: str


@dataclass(frozen=True, slots=True)
class MapRow:
    """A row of the map: its term, its cells and how many records carry the row term."""

    term: Link
    cells: tuple[MapCell, ...]
    total: int


@dataclass(frozen=True, slots=True)
class MapPage:
    """The evidence map as an accessible table, with links to the same map for each filter term."""

    chrome: Chrome
    title: str
    caption: str
    intro: str
    row_name: str
    column_groups: tuple[tuple[str, int], ...]
    columns: tuple[Link, ...]
    rows: tuple[MapRow, ...]
    column_totals: tuple[int, ...]
    total: int
    filter_name: str
    filters: tuple[Link, ...]
    script: str
    column_note: str = ""
    """What the columns' taxonomy means (for benefits: intrinsic and instrumental), under the table."""



def _records_word(count: int) -> str:
    return "1 record" if count == 1 else f"{count} records"


def _axes(context: ViewContext) -> MapAxes:
    axes = map_axes(context.site)
    if axes is None:
        raise ValueError("the site has no evidence map")
    return axes


def _filter_label(axes: MapAxes, filter_term: str | None) -> str:
    return axes.filter.term(filter_term).name if axes.filter and filter_term else ""


def map_page(context: ViewContext, output: Output) -> MapPage:
    """The evidence map: rows × columns, each cell a count linking to its records."""
    url, axes = output.url, _axes(context)
    filter_term = output.about(MapRef).filter_term
    scope = _filter_label(axes, filter_term)
    records = records_in(context.site, axes, filter_term)
    groups = ordered_columns(axes)
    column_ids = [column for _, ids in groups for column in ids]
    row_totals, column_totals = _totals(records, axes.rows.id), _totals(records, axes.columns.id)
    rows = tuple(_row(context, url, axes, filter_term, row.id, column_ids, row_totals[row.id])
                 for row in axes.rows.terms)
    title = "Evidence map" + (f": {scope}" if scope else "")
    trail = (Link("Evidence map", urls.relative(url, urls.MAP_URL)), Link(scope, "./", True)) if scope \
        else (Link("Evidence map", "./", True),)
    return MapPage(
        chrome=context.chrome(url, title, f"How many records link each of the {axes.rows.name.lower()} "
                            f"to each of the {axes.columns.name.lower()}.", trail=trail),
        title=title, caption=_caption(axes, scope),
        intro=f"{_records_word(len(records))} in this map.", row_name=axes.rows.name,
        column_groups=tuple((label, len(ids)) for label, ids in groups if label),
        columns=tuple(Link(axes.columns.term(c).name, urls.relative(url, urls.term_url(axes.columns.id, c)))
                      for c in column_ids),
        rows=rows,
        column_totals=tuple(column_totals[column] for column in column_ids),
        total=len(records), filter_name=axes.filter.name if axes.filter else "",
        filters=tuple(Link(_filter_label(axes, term) or "All evidence",
                           urls.relative(url, urls.map_url(term)), term == filter_term)
                      for term in filter_terms(axes)),
        script=urls.relative(url, urls.ASSETS_URL + "map.js"),
        column_note=axes.columns.description,
    )


def _caption(axes: MapAxes, scope: str) -> str:
    caption = f"Number of records for each of the {axes.rows.name.lower()} (rows) " \
              f"and {axes.columns.name.lower()} (columns)"
    return caption + (f", {axes.filter.name}: {scope}" if axes.filter and scope else "")


def _totals(records: Sequence[Record], taxonomy_id: str) -> Counter[str]:
    """How many of `records` carry each term of the taxonomy (a record names a term once at most)."""
    return Counter(term for record in records for term in record.terms.get(taxonomy_id, ()))


def _row(context: ViewContext, url: str, axes: MapAxes, filter_term: str | None, row: str,
         column_ids: list[str], total: int) -> MapRow:
    row_name = axes.rows.term(row).name
    cells = []
    for column in column_ids:
        count = len(context.site.map_cells.get((filter_term, row, column), ()))
        filters = {axes.rows.id: row_name, axes.columns.id: axes.columns.term(column).name}
        if axes.filter and filter_term:
            filters[axes.filter.id] = axes.filter.term(filter_term).name
        cells.append(MapCell(
            count, f"{row_name} × {axes.columns.term(column).name}: {_records_word(count)}",
            urls.relative(url, urls.map_cell_url(filter_term, row, column)) if count else "",
            urls.relative(url, urls.search_url(filters)) if count else "",
        ))
    return MapRow(Link(row_name, urls.relative(url, urls.term_url(axes.rows.id, row))), tuple(cells), total)


def map_cell_page(context: ViewContext, output: Output) -> ListPage:
    """One page of the plain list of the records in one cell, for readers without JavaScript: the
    map is a grid to navigate by, so each record shows its title, byline and year (its page, one
    click away, has the rest)."""
    url, axes = output.url, _axes(context)
    cell, number = (output.subject.of, output.subject.number) if isinstance(output.subject, Paged) \
        else (output.about(CellRef), 1)
    if not isinstance(cell, CellRef):
        raise TypeError(f"the {output.kind} output {url!r} is about {cell!r}, not a CellRef")
    filter_term, row, column = cell.filter_term, cell.row, cell.column
    records = context.site.map_cells.get((filter_term, row, column), ())
    part = list_part(url, urls.map_cell_url(filter_term, row, column), records, number)
    scope = _filter_label(axes, filter_term)
    title = f"{axes.rows.term(row).name} × {axes.columns.term(column).name}"
    title += f" ({scope})" if scope else ""
    verb = "carries" if len(records) == 1 else "carry"
    intro = f"{_records_word(len(records))} {verb} both {axes.rows.term(row).name} ({axes.rows.name}) " \
            f"and {axes.columns.term(column).name} ({axes.columns.name})."
    map_href = urls.relative(url, urls.map_url(filter_term))
    filters = {axes.rows.id: axes.rows.term(row).name, axes.columns.id: axes.columns.term(column).name}
    if axes.filter and filter_term:
        filters[axes.filter.id] = scope
    trail = (Link("Evidence map", map_href), Link(title + part.pager.label, "./", True))
    return ListPage(
        context.chrome(url, title + part.pager.label, intro, trail=trail), title, intro,
        context.summaries(url, part.records, Entry.COMPACT),
        links=(Link("Back to the evidence map", map_href),
               Link("Search within these records", urls.relative(url, urls.search_url(filters)))),
        pager=part.pager, showing=part.showing,
    )
