"""JSON for the site's data files: one item per line, keys sorted.

`json.dumps(indent=...)` runs Python's slow pure-Python encoder; encoding each item compactly
uses the C encoder and still gives a file people can read and diff line by line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup


def json_compact(value: Any) -> str:
    """One value as compact JSON, keys sorted: one line of a `json_array_of_texts`."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_array_of_texts(texts: Sequence[str]) -> str:
    """A JSON array with one item per line, from items encoded by `json_compact`."""
    return "[\n" + ",\n".join(texts) + "\n]\n"


def json_document_of_texts(fields: Mapping[str, Any], *, items_key: str, texts: Sequence[str]) -> str:
    """A JSON object: `fields` first (sorted), then the `items_key` array with one item per line,
    from items encoded by `json_compact`."""
    head = [f"{json_compact(key)}:{json_compact(fields[key])}" for key in sorted(fields)]
    array = json_array_of_texts(texts).rstrip("\n")
    return "{\n" + ",\n".join([*head, f"{json_compact(items_key)}:{array}"]) + "\n}\n"


def script_json(value: Any) -> Markup:
    """JSON safe inside a <script> element: <, > and & are escaped, so no text can close it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
