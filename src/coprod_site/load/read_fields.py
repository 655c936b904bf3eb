"""Reading fields: check a parsed YAML mapping against a list of `Field`s and convert its values.

`read_fields` reports unknown keys (with "did you mean"), missing required fields and wrong
types, converting each value it can (single values in `field_values`, lists and mappings
here), and reports every problem it finds through a `FieldReporter`.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from coprod_site.diagnostics import Where
from coprod_site.load.field_values import (
    FieldReporter,
    boolean_value,
    date_value,
    example_hint,
    integer_value,
    is_null,
    scalar_text,
    shape,
    text_value,
    url_value,
    year_value,
)
from coprod_site.load.yamltree import Map, Node, Pos, Seq
from coprod_site.model import SLUG, Field, FieldKind, slug_hint


@dataclass(frozen=True, slots=True)
class Fields:
    """The converted values of a mapping, where each key was written, and which values were invalid."""

    values: dict[str, Any]
    positions: dict[str, Pos]
    pos: Pos
    invalid: frozenset[str] = frozenset()

    def where(self, path: str, name: str) -> Where:
        """The place of field `name` (or of the mapping itself when it is absent)."""
        pos = self.positions.get(name, self.pos)
        return Where(path, pos.line, pos.column)


def read_fields(node: Node | None, fields: Sequence[Field], reader: FieldReporter, *,
                what: str, at: Pos) -> Fields | None:
    """Check `node` against `fields`; return the converted values, or None if it is no mapping."""
    if not isinstance(node, Map):
        found = "empty" if node is None else f"a {'list' if isinstance(node, Seq) else 'single value'}"
        FieldReporter(reader.path, reader.diagnostics).error(
            node.pos if node else at, what, f"must be 'field: value' lines, but is {found}",
            "write one 'field: value' per line")
        return None
    by_name = {spec.name: spec for spec in fields}
    values: dict[str, Any] = {}
    positions: dict[str, Pos] = {}
    invalid: set[str] = set()
    for key, (key_pos, value) in node.entries.items():
        positions[key] = key_pos
        spec = by_name.get(key)
        if spec is None:
            reader.error(key_pos, key, f"unknown field '{key}'", _suggest(key, list(by_name)))
        elif not is_null(value):
            converted = _convert(spec, value, reader)
            if converted is None:
                invalid.add(key)
            else:
                values[key] = converted
    for spec in fields:
        if spec.required and spec.name not in values:
            _report_required(spec, fields, node, reader)
    return Fields(values, positions, node.pos, frozenset(invalid))


def _report_required(spec: Field, fields: Sequence[Field], node: Map, reader: FieldReporter) -> None:
    """A required field that is absent or empty (one present but invalid is already reported).

    An absent field is shown where it belongs: above the first field written that comes after
    it in the declared order, or at the end when none does."""
    entry = node.entries.get(spec.name)
    if entry is not None:
        if is_null(entry[1]):
            reader.error(entry[0], spec.name, f"required field '{spec.name}' is empty",
                         _fill_hint("fill it in", spec))
        return
    names = [field.name for field in fields]
    later = [name for name in names[names.index(spec.name) + 1:] if name in node.entries]
    if later:
        where, verb = node.entries[later[0]][0], f"add it on a new line above '{later[0]}:'"
    else:
        last = max((pos for pos, _ in node.entries.values()), key=lambda pos: pos.line, default=node.pos)
        where, verb = last, "add it on a new line after the last field"
    reader.error(where, spec.name, f"required field '{spec.name}' is missing", _fill_hint(verb, spec))


def _suggest(key: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    listing = "valid fields: " + ", ".join(valid)
    return f"did you mean '{close[0]}'? {listing}" if close else listing


def _fill_hint(verb: str, spec: Field) -> str:
    """'add it, for example: year: 2022', or 'add it: the terms, each with ...' without an example."""
    if spec.example:
        return f"{verb}, {example_hint(spec)}"
    return f"{verb}: {spec.doc[:1].lower()}{spec.doc[1:]}"


def _convert(spec: Field, node: Node, reader: FieldReporter) -> Any:
    converter = _CONVERTERS[spec.kind]
    return converter(spec, node, reader)


def _items(spec: Field, node: Node, reader: FieldReporter,
           convert: Callable[[Node, int], Any]) -> tuple[Any, ...] | None:
    if not isinstance(node, Seq):
        reader.error(node.pos, spec.name, f"must be a list, not {shape(node)}",
                     "write each item on its own line starting with '- ', or as [first, second]")
        return None
    if spec.non_empty and not node.items:
        reader.error(node.pos, spec.name, "must list at least one item", example_hint(spec))
        return None
    converted = [convert(item, index) for index, item in enumerate(node.items, 1)]
    return tuple(converted) if all(value is not None for value in converted) else None


def _text_list(spec: Field, node: Node, reader: FieldReporter) -> tuple[str, ...] | None:
    item_spec = Field(spec.name, FieldKind.TEXT, spec.doc, example="[first item, second item]")

    def convert(item: Node, index: int) -> str | None:
        if is_null(item):
            reader.error(item.pos, spec.name, f"item {index} is empty", "remove the empty '- ' line")
            return None
        return text_value(item_spec, item, reader)

    return _items(spec, node, reader, convert)


def _terms(spec: Field, node: Node, reader: FieldReporter) -> tuple[str, ...] | None:
    seen: dict[str, int] = {}

    def convert(item: Node, index: int) -> str | None:
        term = scalar_text(spec, item, reader, "a term id")
        if term is None:
            return None
        if term not in spec.choices:
            reader.error(item.pos, spec.name, f"unknown term '{term}'", _term_hint(term, spec))
            return None
        if term in seen:
            reader.error(item.pos, spec.name, f"lists '{term}' twice (also item {seen[term]})",
                         "remove the repeated term")
            return None
        seen[term] = index
        return term

    return _items(spec, node, reader, convert)


def _term_hint(term: str, spec: Field) -> str:
    close = difflib.get_close_matches(term, spec.choices, n=1, cutoff=0.6)
    listing = f"terms in content/taxonomies/{spec.name}.yml: " + ", ".join(spec.choices)
    return f"did you mean '{close[0]}'? {listing}" if close else listing


def _labels(spec: Field, node: Node, reader: FieldReporter) -> dict[str, str] | None:
    if not isinstance(node, Map):
        reader.error(node.pos, spec.name, f"must be 'id: label' lines, not {shape(node)}",
                     f"for example:\n  {spec.name}:\n    {spec.example}")
        return None
    labels: dict[str, str] = {}
    for key, (key_pos, value) in node.entries.items():
        label = text_value(Field(spec.name, FieldKind.TEXT, spec.doc), value, reader)
        if not SLUG.fullmatch(key):
            reader.error(key_pos, spec.name, f"'{key}' is not a valid id", slug_hint(key))
        elif label is not None:
            labels[key] = label
    return labels if len(labels) == len(node.entries) else None


def _item_maps(spec: Field, node: Node, reader: FieldReporter) -> tuple[Fields, ...] | None:
    def convert(item: Node, index: int) -> Fields | None:
        name = f"{spec.name}[{index}]"
        return read_fields(item, spec.item_fields, reader.nested(name + "."),
                           what=reader.prefix + name, at=item.pos)

    return _items(spec, node, reader, convert)


_CONVERTERS: dict[FieldKind, Callable[[Field, Node, FieldReporter], Any]] = {
    FieldKind.TEXT: text_value,
    FieldKind.INTEGER: integer_value,
    FieldKind.YEAR: year_value,
    FieldKind.DATE: date_value,
    FieldKind.URL: url_value,
    FieldKind.BOOLEAN: boolean_value,
    FieldKind.TEXT_LIST: _text_list,
    FieldKind.TERMS: _terms,
    FieldKind.LABELS: _labels,
    FieldKind.ITEMS: _item_maps,
}
