"""Field schemas: one declarative list of fields per file kind, and one routine that reads them.

A `Field` says a field's name, kind, whether it is required and what it means. `read_fields`
checks a YAML mapping against a list of fields (unknown keys with "did you mean", missing
required fields, wrong types) and converts each value, reporting every problem it finds. The
same lists produce the JSON Schema and the commented template for new records, so the
validator, the schema and the template cannot drift apart.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.yamltree import Map, Node, Pos, Scalar, Seq

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_MAX_DIGITS = 18


class Kind(StrEnum):
    """What a field holds."""

    TEXT = "text"
    INTEGER = "integer"
    YEAR = "year"
    DATE = "date"
    URL = "url"
    BOOLEAN = "boolean"
    TEXT_LIST = "text list"
    TERMS = "term list"
    LABELS = "labels"
    ITEMS = "items"


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a content file: its name, kind, meaning, and an example value."""

    name: str
    kind: Kind
    doc: str
    required: bool = False
    example: str = ""
    choices: tuple[str, ...] = ()
    item_fields: tuple[Field, ...] = ()
    non_empty: bool = False


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


@dataclass(frozen=True, slots=True)
class Reader:
    """Reports problems in one file: its displayed path and the shared collector."""

    path: str
    diagnostics: Diagnostics
    prefix: str = ""

    def error(self, pos: Pos, name: str, message: str, hint: str = "") -> None:
        """Record an error about field `name` at `pos`."""
        self.diagnostics.error(Where(self.path, pos.line, pos.column), self.prefix + name, message, hint)

    def nested(self, prefix: str) -> Reader:
        """A reader whose field names are prefixed, for items inside a list."""
        return Reader(self.path, self.diagnostics, self.prefix + prefix)


def read_fields(node: Node | None, fields: Sequence[Field], reader: Reader, *,
                what: str, at: Pos) -> Fields | None:
    """Check `node` against `fields`; return the converted values, or None if it is no mapping."""
    if not isinstance(node, Map):
        found = "empty" if node is None else f"a {'list' if isinstance(node, Seq) else 'single value'}"
        Reader(reader.path, reader.diagnostics).error(
            node.pos if node else at, what, f"must be a mapping of 'field: value' lines, but is {found}",
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
        elif not _is_null(value):
            converted = _convert(spec, value, reader)
            if converted is None:
                invalid.add(key)
            else:
                values[key] = converted
    for spec in fields:
        if spec.required and spec.name not in values:
            _report_required(spec, node, reader)
    return Fields(values, positions, node.pos, frozenset(invalid))


def _report_required(spec: Field, node: Map, reader: Reader) -> None:
    """A required field that is absent or empty (one present but invalid is already reported)."""
    entry = node.entries.get(spec.name)
    if entry is None:
        reader.error(node.pos, spec.name, f"required field '{spec.name}' is missing",
                     _fill_hint("add it", spec))
    elif _is_null(entry[1]):
        reader.error(entry[0], spec.name, f"required field '{spec.name}' is empty",
                     _fill_hint("fill it in", spec))


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.text.strip() in _NULLS


def _suggest(key: str, valid: list[str]) -> str:
    close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
    listing = "valid fields: " + ", ".join(valid)
    return f"did you mean '{close[0]}'? {listing}" if close else listing


def _example_hint(spec: Field) -> str:
    return f"for example: {spec.name}: {spec.example}" if spec.example else spec.doc


def _fill_hint(verb: str, spec: Field) -> str:
    """'add it, for example: year: 2022', or 'add it: the terms, each with ...' without an example."""
    if spec.example:
        return f"{verb}, {_example_hint(spec)}"
    return f"{verb}: {spec.doc[:1].lower()}{spec.doc[1:]}"


def _convert(spec: Field, node: Node, reader: Reader) -> Any:
    converter = _CONVERTERS[spec.kind]
    return converter(spec, node, reader)


def _text(spec: Field, node: Node, reader: Reader) -> str | None:
    if not isinstance(node, Scalar):
        reader.error(node.pos, spec.name, f"must be text, not a {_shape(node)}", _example_hint(spec))
        return None
    if node.trailing_comment:
        reader.error(node.pos, spec.name, "has ' #' in it, and YAML drops everything after it as a comment",
                     "put the whole value in double quotes to keep the text")
        return None
    text = node.text.strip()
    if not text:
        reader.error(node.pos, spec.name, "is empty", "fill it in, or remove the line if it is optional")
        return None
    return text


def _scalar_text(spec: Field, node: Node, reader: Reader, what: str) -> str | None:
    if not isinstance(node, Scalar):
        reader.error(node.pos, spec.name, f"must be {what}, not a {_shape(node)}", _example_hint(spec))
        return None
    return node.text.strip()


def _integer(spec: Field, node: Node, reader: Reader) -> int | None:
    text = _scalar_text(spec, node, reader, "a whole number")
    if text is None:
        return None
    if not _INTEGER.fullmatch(text):
        reader.error(node.pos, spec.name, f"must be a whole number, not '{text}'", _example_hint(spec))
        return None
    if len(text.lstrip("-")) > _MAX_DIGITS:
        reader.error(node.pos, spec.name, f"is a number with more than {_MAX_DIGITS} digits",
                     _example_hint(spec))
        return None
    return int(text)


UNKNOWN_YEAR = "unknown"


def _year(spec: Field, node: Node, reader: Reader) -> int | str | None:
    if isinstance(node, Scalar) and node.text.strip() == UNKNOWN_YEAR:
        return UNKNOWN_YEAR
    return _integer(spec, node, reader)


def _date(spec: Field, node: Node, reader: Reader) -> date | None:
    text = _scalar_text(spec, node, reader, "a date")
    if text is None:
        return None
    match = _DATE.fullmatch(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        reader.error(node.pos, spec.name, f"'{text}' is not a real date", "check the day and month")
        return None
    reader.error(node.pos, spec.name, f"'{text}' is not a date in the form YYYY-MM-DD",
                 f"write the date as year-month-day, for example {spec.name}: 2022-10-27")
    return None


def _url(spec: Field, node: Node, reader: Reader) -> str | None:
    text = _text(spec, node, reader)
    if text is None:
        return None
    if not is_web_url(text):
        reader.error(node.pos, spec.name, f"'{text}' is not an http or https address",
                     "copy the full address from the browser, starting with https://")
        return None
    return text


def is_web_url(text: str) -> bool:
    """True for an absolute http(s) URL with a host and no spaces."""
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", text)


def _boolean(spec: Field, node: Node, reader: Reader) -> bool | None:
    text = _scalar_text(spec, node, reader, "true or false")
    if text in ("true", "false") and isinstance(node, Scalar) and node.plain:
        return text == "true"
    if text is not None:
        reader.error(node.pos, spec.name, f"must be true or false, not '{text}'",
                     "write true or false without quotes (yes, no, on and off are not accepted)")
    return None


def _items(spec: Field, node: Node, reader: Reader,
           convert: Callable[[Node, int], Any]) -> tuple[Any, ...] | None:
    if not isinstance(node, Seq):
        reader.error(node.pos, spec.name, f"must be a list, not a {_shape(node)}",
                     "write each item on its own line starting with '- ', or as [first, second]")
        return None
    if spec.non_empty and not node.items:
        reader.error(node.pos, spec.name, "must list at least one item", _example_hint(spec))
        return None
    converted = [convert(item, index) for index, item in enumerate(node.items, 1)]
    return tuple(converted) if all(value is not None for value in converted) else None


def _text_list(spec: Field, node: Node, reader: Reader) -> tuple[str, ...] | None:
    item_spec = Field(spec.name, Kind.TEXT, spec.doc, example="[first item, second item]")

    def convert(item: Node, index: int) -> str | None:
        if _is_null(item):
            reader.error(item.pos, spec.name, f"item {index} is empty", "remove the empty '- ' line")
            return None
        return _text(item_spec, item, reader)

    return _items(spec, node, reader, convert)


def _terms(spec: Field, node: Node, reader: Reader) -> tuple[str, ...] | None:
    seen: dict[str, int] = {}

    def convert(item: Node, index: int) -> str | None:
        term = _scalar_text(spec, item, reader, "a term id")
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


def _labels(spec: Field, node: Node, reader: Reader) -> dict[str, str] | None:
    if not isinstance(node, Map):
        reader.error(node.pos, spec.name, f"must be a mapping of id: label, not a {_shape(node)}",
                     f"for example:\n  {spec.name}:\n    {spec.example}")
        return None
    labels: dict[str, str] = {}
    for key, (key_pos, value) in node.entries.items():
        label = _text(Field(spec.name, Kind.TEXT, spec.doc), value, reader)
        if not SLUG.fullmatch(key):
            reader.error(key_pos, spec.name, f"'{key}' is not a valid id", slug_hint(key))
        elif label is not None:
            labels[key] = label
    return labels if len(labels) == len(node.entries) else None


def _item_maps(spec: Field, node: Node, reader: Reader) -> tuple[Fields, ...] | None:
    def convert(item: Node, index: int) -> Fields | None:
        name = f"{spec.name}[{index}]"
        return read_fields(item, spec.item_fields, reader.nested(name + "."),
                           what=reader.prefix + name, at=item.pos)

    return _items(spec, node, reader, convert)


def slug_hint(text: str) -> str:
    """A hint that suggests a valid id made from `text`."""
    suggestion = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    rule = "use lowercase letters, digits and single hyphens"
    return f"{rule}, for example '{suggestion}'" if suggestion else rule


def _shape(node: Node) -> str:
    return "list" if isinstance(node, Seq) else "mapping" if isinstance(node, Map) else "single value"


_CONVERTERS: dict[Kind, Callable[[Field, Node, Reader], Any]] = {
    Kind.TEXT: _text,
    Kind.INTEGER: _integer,
    Kind.YEAR: _year,
    Kind.DATE: _date,
    Kind.URL: _url,
    Kind.BOOLEAN: _boolean,
    Kind.TEXT_LIST: _text_list,
    Kind.TERMS: _terms,
    Kind.LABELS: _labels,
    Kind.ITEMS: _item_maps,
}

