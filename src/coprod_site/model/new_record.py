"""A new evidence record's text: every field present under a comment saying what it needs.

`coprod-site new` writes it, and the contribute page offers it pre-filled in GitHub's editor.
It is made from `schemas.record_fields`, so it lists exactly the fields the validator reads.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from datetime import date

from coprod_site.model import schemas
from coprod_site.model.fields import Field, FieldKind
from coprod_site.model.site import Taxonomy

_COMMENT_WIDTH = 100
_QUOTED_ITEM = '"In quotes when the text holds a colon and a space, or a space and a #."'


def new_record_text(record_id: str, *, today: date | None, taxonomies: Sequence[Taxonomy]) -> str:
    """A new record: every field present under a comment, required text left empty to fill in;
    `added` is `today` (left empty for the editor when None)."""
    lines = ["---", f"# Evidence record '{record_id}'. Fill in every required field, then run",
             "# 'coprod-site check'. Optional fields may stay empty or be deleted."]
    for spec in schemas.record_fields(taxonomies):
        lines += ["", *_comment(spec), _field_line(spec, today)]
    return "\n".join([*lines, "---", *schemas.RECORD_BODY_SKELETON])


def _comment(spec: Field) -> list[str]:
    text = f"{spec.doc} {'Required.' if spec.required else 'Optional.'}"
    example: list[str] = []
    if spec.kind is FieldKind.TERMS:
        text += (" One or more of: " if spec.non_empty else " Any of: ") + ", ".join(spec.choices)
    elif spec.kind is FieldKind.TEXT_LIST:
        text += " One per line, like this:"
        item = spec.example.strip("[]")
        example = [f"#   - {item if item.strip('. ') else _QUOTED_ITEM}"]
    elif spec.example:
        text += " For example: " + spec.example.strip('"')
    wrapped = textwrap.wrap(text, _COMMENT_WIDTH, initial_indent="# ", subsequent_indent="#   ",
                            break_on_hyphens=False, break_long_words=False)
    return [*wrapped, *example]


def _field_line(spec: Field, today: date | None) -> str:
    if spec.name == "added" and today is not None:
        return f"added: {today.isoformat()}"
    if spec.kind is FieldKind.TERMS:
        return f"{spec.name}: []"
    return f"{spec.name}:"
