"""Field declarations: what a field of a content file is called, holds and means.

A `Field` says a field's name, kind, whether it is required and what it means. The lists in
`schemas` are made of them; the loader reads files against those lists (`load.read_fields`),
and the JSON Schema and the template for new records are derived from the same lists, so the
validator, the schema and the template cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

UNKNOWN_YEAR = "unknown"
"""What `year:` says when the source gives no date."""


class FieldKind(StrEnum):
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
    kind: FieldKind
    doc: str
    required: bool = False
    example: str = ""
    choices: tuple[str, ...] = ()
    item_fields: tuple[Field, ...] = ()
    non_empty: bool = False
