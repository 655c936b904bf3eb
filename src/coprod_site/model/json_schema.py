"""The JSON Schema of a record's front matter, derived from the same fields the validator reads.

`coprod-site schema` prints it, and editors' tools can use it. It accepts what `check` accepts,
field by field: an optional field left blank (null) counts as absent, a number or true/false
written where text is expected is read as text, and a year or whole number may be quoted.
Only the rules that depend on today's date or on two fields together (a year no later than
next year, `published` within `year`, `added` not in the future) are left to `check`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from coprod_site.model.fields import Field, FieldKind
from coprod_site.model.schemas import MAX_SUMMARY_WORDS, record_fields
from coprod_site.model.site import Taxonomy

_SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
_NOT_BLANK = r"\S"
_UP_TO_MAX_WORDS = rf"^\s*(?:\S+\s+){{0,{MAX_SUMMARY_WORDS - 1}}}\S+\s*$"


def record_json_schema(taxonomies: Sequence[Taxonomy]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a record's front matter, derived from its fields."""
    schema: dict[str, Any] = {
        "$schema": _SCHEMA_DRAFT,
        "title": "Evidence record",
        "description": "The YAML front matter of content/evidence/<id>.md, as `coprod-site check` "
                       "reads it. Dates are written YYYY-MM-DD.",
    }
    return schema | _object_schema(record_fields(taxonomies))


def _object_schema(fields: Sequence[Field]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {spec.name: _property(spec) for spec in fields},
        "required": [spec.name for spec in fields if spec.required],
        "additionalProperties": False,
    }


def _property(spec: Field) -> dict[str, Any]:
    """A field's schema; an optional field may also be left blank, which `check` reads as absent."""
    value = _KIND_SCHEMAS[spec.kind](spec)
    description = spec.doc
    if spec.name == "summary":
        description = f"{spec.doc} The validator refuses more than {MAX_SUMMARY_WORDS} words."
        value["pattern"] = _UP_TO_MAX_WORDS
    if not spec.required:
        value = {"anyOf": [value, {"type": "null"}]}
    return value | {"description": description}


def _text(spec: Field) -> dict[str, Any]:
    """Text; a plain number or true/false is text too (`check` keeps what was written)."""
    return {"type": ["string", "number", "boolean"], "minLength": 1, "pattern": _NOT_BLANK}


def _integer(spec: Field) -> dict[str, Any]:
    return {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^-?(?:0|[1-9][0-9]*)$"}]}


def _year(spec: Field) -> dict[str, Any]:
    return {"anyOf": [{"type": "integer", "minimum": 1900}, {"const": "unknown"},
                      {"type": "string", "pattern": r"^(?:19[0-9]{2}|[2-9][0-9]{3})$"}]}


def _date(spec: Field) -> dict[str, Any]:
    return {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}


def _url(spec: Field) -> dict[str, Any]:
    return {"type": "string", "format": "uri", "pattern": r"^https?://[^\s/?#]+[^\s]*$"}


def _boolean(spec: Field) -> dict[str, Any]:
    return {"type": "boolean"}


def _list(spec: Field, items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items} | ({"minItems": 1} if spec.non_empty else {})


def _text_list(spec: Field) -> dict[str, Any]:
    return _list(spec, _text(spec))


def _terms(spec: Field) -> dict[str, Any]:
    return _list(spec, {"type": "string", "enum": list(spec.choices)}) | {"uniqueItems": True}


def _labels(spec: Field) -> dict[str, Any]:
    return {"type": "object", "additionalProperties": _text(spec)}


def _items(spec: Field) -> dict[str, Any]:
    return _list(spec, _object_schema(spec.item_fields))


_KIND_SCHEMAS: dict[FieldKind, Callable[[Field], dict[str, Any]]] = {
    FieldKind.TEXT: _text, FieldKind.INTEGER: _integer, FieldKind.YEAR: _year, FieldKind.DATE: _date,
    FieldKind.URL: _url, FieldKind.BOOLEAN: _boolean, FieldKind.TEXT_LIST: _text_list,
    FieldKind.TERMS: _terms, FieldKind.LABELS: _labels, FieldKind.ITEMS: _items,
}
