"""JSON Schemas of a record, derived from the same fields the validator reads.

- `front_matter_json_schema`: the front matter as an editor writes it, for editors' tools
  (`coprod-site schema` prints it). It accepts what `check` accepts, field by field: an
  optional field left blank (null) counts as absent, a number or true/false written where text
  is expected is read as text, and a year or whole number may be quoted. Only the rules that
  depend on today's date or on two fields together (a year no later than next year, `published`
  within `year`, `added` not in the future) are left to `check`.
- `record_json_schema`: the record's values once read (each text a string, each year a
  number), which the open data's schema is made from.
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
    """The JSON Schema (draft 2020-12) of a record's values once read, derived from its fields."""
    return _HEADER | _object_schema(record_fields(taxonomies))


def front_matter_json_schema(taxonomies: Sequence[Taxonomy]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a record's front matter as written: what `check` accepts."""
    fields = record_fields(taxonomies)
    schema = _HEADER | _object_schema(fields)
    schema["properties"] = {spec.name: _as_written(spec, schema["properties"][spec.name]) for spec in fields}
    return schema


_HEADER: dict[str, Any] = {
    "$schema": _SCHEMA_DRAFT,
    "title": "Evidence record",
    "description": "The YAML front matter of content/evidence/<id>.md, as `coprod-site check` "
                   "reads it. Dates are written YYYY-MM-DD.",
}


def _object_schema(fields: Sequence[Field]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {spec.name: _property(spec) for spec in fields},
        "required": [spec.name for spec in fields if spec.required],
        "additionalProperties": False,
    }


def _property(spec: Field) -> dict[str, Any]:
    described: dict[str, Any] = {"description": spec.doc}
    if spec.name == "summary":
        described["description"] = f"{spec.doc} The validator refuses more than {MAX_SUMMARY_WORDS} words."
        described["pattern"] = _UP_TO_MAX_WORDS
    return _KIND_SCHEMAS[spec.kind](spec) | described


_WRITTEN_TEXT = ["string", "number", "boolean"]
"""A plain number or true/false written where text is expected is text: `check` keeps what was written."""
_WRITTEN_NUMBER = {"type": "string", "pattern": r"^-?(?:0|[1-9][0-9]*)$"}
_WRITTEN_YEAR = {"type": "string", "pattern": r"^(?:19[0-9]{2}|[2-9][0-9]{3})$"}


def _as_written(spec: Field, value: dict[str, Any]) -> dict[str, Any]:
    """A property of the values read, widened to every way `check` accepts it written."""
    description = value.pop("description")
    if spec.kind is FieldKind.TEXT:
        value["type"] = _WRITTEN_TEXT
    elif spec.kind is FieldKind.TEXT_LIST:
        value["items"] = value["items"] | {"type": _WRITTEN_TEXT}
    elif spec.kind is FieldKind.INTEGER:
        value = {"anyOf": [value, _WRITTEN_NUMBER]}
    elif spec.kind is FieldKind.YEAR:
        value = {"anyOf": [*value.pop("oneOf"), _WRITTEN_YEAR]}
    if not spec.required:
        value = {"anyOf": [value, {"type": "null"}]}
    return value | {"description": description}


def _text(spec: Field) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "pattern": _NOT_BLANK}


def _integer(spec: Field) -> dict[str, Any]:
    return {"type": "integer"}


def _year(spec: Field) -> dict[str, Any]:
    return {"oneOf": [{"type": "integer", "minimum": 1900}, {"const": "unknown"}]}


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
