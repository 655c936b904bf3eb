"""Front matter: split a Markdown file into its YAML header and its body, keeping line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coprod_site.diagnostics import Diagnostics, Where

_FENCE = re.compile(r"^---[ \t]*$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Split:
    """The YAML text (starting on file line 2) and the body (starting on `body_line`)."""

    yaml_text: str
    body: str
    body_line: int


def split_front_matter(text: str, path: str, diagnostics: Diagnostics) -> Split | None:
    """Split `text`, or report missing or unterminated front matter and return None."""
    opening = _FENCE.match(text)
    if opening is None:
        diagnostics.error(
            Where(path), "front matter", "is missing: the file must start with a line '---'",
            "begin the file with '---', then one 'field: value' per line, then '---'",
        )
        return None
    closing = _FENCE.search(text, opening.end())
    if closing is None:
        diagnostics.error(
            Where(path), "front matter", "starts on line 1 but is never closed",
            "add a line '---' after the last field",
        )
        return None
    yaml_text = text[opening.end() + 1:closing.start()]
    body_line = text.count("\n", 0, closing.end()) + 2
    return Split(yaml_text, text[closing.end() + 1:], body_line)
