"""The JSON Schema of a record's front matter, derived from the same fields the validator reads.

`coprod-site schema` prints it, the open data publishes it, and editors' tools can use it.
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
    described: dict[str, Any] = {"description": spec.doc}
    if spec.name == "summary":
        described["description"] = f"{spec.doc} The validator refuses more than {MAX_SUMMARY_WORDS} words."
        described["pattern"] = _UP_TO_MAX_WORDS
    return _KIND_SCHEMAS[spec.kind](spec) | described


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
