"""Scaffolding for editors and tools: a commented new record, and the JSON Schema of a record.

Both are derived from `schemas.record_fields`, the very list the validator reads, so the
template written by `coprod-site new`, the schema printed by `coprod-site schema` and the
checks made by `coprod-site check` cannot drift apart. The taxonomies' term ids come from the
content folder, read by the same loader as `check`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from coprod_site.diagnostics import Diagnostics
from coprod_site.documents import ContentRoot
from coprod_site.errors import UsageError
from coprod_site.fields import SLUG, Field, Kind, slug_hint
from coprod_site.load import display_path
from coprod_site.load_taxonomies import load_taxonomies
from coprod_site.model import Taxonomy
from coprod_site.schemas import MAX_SUMMARY_WORDS, record_fields

__all__ = ["new_record_text", "read_taxonomies", "record_json_schema", "write_new_record"]

BODY_SKELETON = ("## What the source looked at", "", "", "## What it found", "", "")
_COMMENT_WIDTH = 100
_QUOTED_ITEM = '"In quotes when the text holds a colon and a space, or a space and a #."'


def new_record_text(record_id: str, *, today: date, taxonomies: Sequence[Taxonomy]) -> str:
    """A new record: every field present under a comment, required text left empty to fill in."""
    lines = ["---", f"# Evidence record '{record_id}'. Fill in every required field, then run",
             "# 'coprod-site check'. Optional fields may stay empty or be deleted."]
    for spec in record_fields(taxonomies):
        lines += ["", *_comment(spec), _field_line(spec, today)]
    return "\n".join([*lines, "---", *BODY_SKELETON])


def _comment(spec: Field) -> list[str]:
    text = f"{spec.doc} {'Required.' if spec.required else 'Optional.'}"
    example: list[str] = []
    if spec.kind is Kind.TERMS:
        text += (" One or more of: " if spec.non_empty else " Any of: ") + ", ".join(spec.choices)
    elif spec.kind is Kind.TEXT_LIST:
        text += " One per line, like this:"
        item = spec.example.strip("[]")
        example = [f"#   - {item if item.strip('. ') else _QUOTED_ITEM}"]
    elif spec.example:
        text += " For example: " + spec.example.strip('"')
    wrapped = textwrap.wrap(text, _COMMENT_WIDTH, initial_indent="# ", subsequent_indent="#   ",
                            break_on_hyphens=False, break_long_words=False)
    return [*wrapped, *example]


def _field_line(spec: Field, today: date) -> str:
    if spec.name == "added":
        return f"added: {today.isoformat()}"
    if spec.kind is Kind.TERMS:
        return f"{spec.name}: []"
    return f"{spec.name}:"


def read_taxonomies(content: Path) -> tuple[Taxonomy, ...]:
    """The taxonomies of a content folder, loaded as `check` loads them; problems are a UsageError."""
    if not content.is_dir():
        raise UsageError(f"content folder not found: {content}")
    folder = content / "taxonomies"
    files = sorted(PurePosixPath(f"taxonomies/{path.name}") for path in folder.glob("*.yml")
                   if path.is_file()) if folder.is_dir() else []
    diagnostics = Diagnostics()
    taxonomies, _ = load_taxonomies(ContentRoot(content, display_path(content)), files, diagnostics)
    if diagnostics.error_count:
        raise UsageError(f"the taxonomies in {display_path(folder)} have {diagnostics.error_count} "
                         "problem(s); run 'coprod-site check' to see them")
    return taxonomies


def write_new_record(content: Path, record_id: str, today: date) -> Path:
    """Write content/evidence/<id>.md from the template; never overwrite an existing record."""
    if not SLUG.fullmatch(record_id):
        raise UsageError(f"'{record_id}' is not a valid record id: {slug_hint(record_id)}")
    taxonomies = read_taxonomies(content)
    evidence = content / "evidence"
    for existing in evidence.rglob("*.md") if evidence.is_dir() else ():
        if existing.stem.casefold() == record_id:
            raise UsageError(f"{display_path(existing)} already exists: edit it, or choose another id")
    target = evidence / f"{record_id}.md"
    evidence.mkdir(exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(new_record_text(record_id, today=today, taxonomies=taxonomies))
    return target


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


_KIND_SCHEMAS: dict[Kind, Callable[[Field], dict[str, Any]]] = {
    Kind.TEXT: _text, Kind.INTEGER: _integer, Kind.YEAR: _year, Kind.DATE: _date, Kind.URL: _url,
    Kind.BOOLEAN: _boolean, Kind.TEXT_LIST: _text_list, Kind.TERMS: _terms, Kind.LABELS: _labels,
    Kind.ITEMS: _items,
}
