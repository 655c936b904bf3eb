"""The JSON Schema and `coprod-site check` give the same verdict on every field (issue 15).

Cases are generated from the record's field declarations: for each field, values of its own
kind (valid and invalid), a blank, an empty text, and values of every other JSON type. Each
case is one record, written as YAML from the JSON value (JSON is YAML; a blank is written as
`name:` with nothing after it, as `coprod-site new` leaves optional fields). All the cases are
loaded together as `check` loads them, and each record's verdict (any error or none) must be
the schema's verdict on the same value.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from content_factory import load_content, make_content
from coprod_site.model import Field, FieldKind, front_matter_json_schema, schemas
from coprod_site.scaffold import read_taxonomies

BLANK = object()
"""A field written with nothing after its colon."""

BASE: dict[str, Any] = {
    "title": "Community garden project",
    "year": 2025,
    "url": "https://example.org/garden",
    "summary": "Residents and a fictional trust ran a garden together and met more often.",
    "findings": ["People met neighbours they had not known before."],
    "organisations": ["example-trust"],
    "methods": ["survey"],
    "principles": ["equality"],
    "benefits": ["connection"],
    "added": "2026-10-01",
}
"""A valid record of the test fixture, as JSON; each case changes one field."""

OTHER_TYPES: tuple[Any, ...] = (2022, 1.5, True, False, "some words", ["an item"], {"a": "b"}, [], "")

KIND_VALUES: dict[FieldKind, tuple[Any, ...]] = {
    FieldKind.TEXT: ("Plain text.", "  ", "Text with: a colon", "2022", "A \u201cquoted\u201d word", [None]),
    FieldKind.YEAR: (2025, "2025", "unknown", 1899, "1899", "twenty", 2025.5, "02025", -2025),
    FieldKind.DATE: ("2025-06-01", "2025-02-30", "27/10/2025", "2025-06-01T10:00:00",
                     "\u201c2025-06-01\u201d", "2025-6-1"),
    FieldKind.URL: ("https://example.org/x", "http://example.org/", "ftp://example.org/x",
                    "javascript:alert(1)", "/relative", "https://example.org/a b",
                    "\u201chttps://example.org/\u201d", "https://"),
    FieldKind.BOOLEAN: ("true", "false", "yes", "on"),
    FieldKind.TEXT_LIST: (["One."], ["One.", "Two: with a colon."], [None], [""], ["  "], [1, True],
                          [["nested"]], [{"a": "b"}], ["One.", "One."]),
}


def term_values(spec: Field) -> tuple[Any, ...]:
    first, last = spec.choices[0], spec.choices[-1]
    return ([first], [first, last], [first, first], ["no-such-term"], [first.upper()], [None], [1],
            f"[{first}]", [[first]])


def cases_for(spec: Field) -> list[Any]:
    own = term_values(spec) if spec.kind is FieldKind.TERMS else KIND_VALUES[spec.kind]
    if spec.name == "summary":
        own = (*own, "word " * 60, "word " * 61)
    return [BLANK, None, *own, *OTHER_TYPES]


def yaml_line(name: str, value: Any) -> str:
    if value is BLANK:
        return f"{name}:"
    return f"{name}: {json.dumps(value, ensure_ascii=False)}"


def instance(name: str, value: Any) -> dict[str, Any]:
    """The JSON a schema-driven editor holds for the record: a blank field is null."""
    return BASE | {name: None if value is BLANK else value}


def record_text(data: dict[str, Any], name: str, value: Any) -> str:
    lines = [yaml_line(key, item) for key, item in data.items() if key != name]
    return "---\n" + "\n".join([*lines, yaml_line(name, value)]) + "\n---\nText.\n"


def test_schema_and_check_agree_on_every_field(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    fields = schemas.record_fields(read_taxonomies(content, display_root=tmp_path))
    schema = front_matter_json_schema(read_taxonomies(content, display_root=tmp_path))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    cases: dict[str, tuple[str, Any]] = {}
    for spec in fields:
        for index, value in enumerate(cases_for(spec)):
            record_id = f"case-{spec.name}-{index}"
            cases[record_id] = (spec.name, value)
            (content / "evidence" / f"{record_id}.md").write_text(
                record_text(BASE, spec.name, value), encoding="utf-8")
    assert {name for name, _ in cases.values()} == {spec.name for spec in fields}
    result = load_content(content)
    failing = {item.path.rsplit("/", 1)[-1][:-3] for item in result.diagnostics if item.severity == "error"}
    disagreements = []
    for record_id, (name, value) in cases.items():
        by_check = record_id not in failing
        by_schema = validator.is_valid(instance(name, value))
        if by_check != by_schema:
            disagreements.append(f"{name}: {yaml_line(name, value)!r}: check says "
                                 f"{'valid' if by_check else 'invalid'}, the schema the opposite")
    assert disagreements == []
    assert len(cases) > 150
    assert 0 < len(failing) < len(cases)


@pytest.mark.parametrize("name", ["published", "reviewed", "authors", "coproduced"])
def test_the_blank_optional_fields_of_new_pass_the_schema(tmp_path: Path, name: str) -> None:
    content = make_content(tmp_path)
    schema = front_matter_json_schema(read_taxonomies(content, display_root=tmp_path))
    assert jsonschema.Draft202012Validator(schema).is_valid(BASE | {name: None})
    assert not jsonschema.Draft202012Validator(schema).is_valid(BASE | {"title": None})
