"""Single values of content fields: text, numbers, years, dates, addresses, true or false.

Each converter checks one YAML value against its `Field` and returns the converted value, or
reports the problem through the file's `FieldReporter` (with a fix in plain words) and returns
None.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.load.yaml_messages import quote_hint
from coprod_site.load.yamltree import Map, Node, Pos, Scalar, Seq
from coprod_site.model import UNKNOWN_YEAR, Field, is_web_url

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_MAX_DIGITS = 18
_CURLY = "\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb"


@dataclass(frozen=True, slots=True)
class FieldReporter:
    """Reports problems about the fields of one file: its displayed path and the shared collector."""

    path: str
    diagnostics: Diagnostics
    prefix: str = ""

    def error(self, pos: Pos, name: str, message: str, hint: str = "") -> None:
        """Record an error about field `name` at `pos`."""
        self.diagnostics.error(Where(self.path, pos.line, pos.column), self.prefix + name, message, hint)

    def nested(self, prefix: str) -> FieldReporter:
        """A reader whose field names are prefixed, for items inside a list."""
        return FieldReporter(self.path, self.diagnostics, self.prefix + prefix)


def text_value(spec: Field, node: Node, reader: FieldReporter) -> str | None:
    meant = _colon_text(node) if isinstance(node, Map) else None
    if meant is not None:
        reader.error(node.pos, spec.name, "the text contains ': ', which YAML reads as a name and a value",
                     quote_hint(meant))
        return None
    if not isinstance(node, Scalar):
        reader.error(node.pos, spec.name, f"must be text, not {shape(node)}",
                     "if the text starts with '[' or '{', put the whole text in double quotes")
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


def scalar_text(spec: Field, node: Node, reader: FieldReporter, what: str) -> str | None:
    if not isinstance(node, Scalar):
        reader.error(node.pos, spec.name, f"must be {what}, not {shape(node)}", example_hint(spec))
        return None
    text = node.text.strip()
    if _curly_quoted(text):
        _report_curly(spec, node, reader, text)
        return None
    return text


def _curly_quoted(text: str) -> bool:
    return bool(text) and (text[0] in _CURLY or text[-1] in _CURLY)


def _report_curly(spec: Field, node: Scalar, reader: FieldReporter, text: str) -> None:
    """Quotes pasted from a word processor are curly, and YAML keeps them as part of the value."""
    straight = text.strip(_CURLY)
    reader.error(node.pos, spec.name, f"'{text}' is in curly quotes, which are kept as part of the value",
                 f'use straight quotes (") or none, like this: {spec.name}: {straight}')


def _colon_text(node: Map) -> str | None:
    """The text an editor meant, when an unquoted ': ' turned it into one 'name: value' pair."""
    if len(node.entries) != 1:
        return None
    (key, (_, value)), = node.entries.items()
    if not (isinstance(value, Scalar) and value.plain and value.text):
        return None
    return f"{key}: {value.text}"


def integer_value(spec: Field, node: Node, reader: FieldReporter) -> int | None:
    text = scalar_text(spec, node, reader, "a whole number")
    if text is None:
        return None
    if not _INTEGER.fullmatch(text):
        reader.error(node.pos, spec.name, f"must be a whole number, not '{text}'", example_hint(spec))
        return None
    if len(text.lstrip("-")) > _MAX_DIGITS:
        reader.error(node.pos, spec.name, f"is a number with more than {_MAX_DIGITS} digits",
                     example_hint(spec))
        return None
    return int(text)



def year_value(spec: Field, node: Node, reader: FieldReporter) -> int | str | None:
    if isinstance(node, Scalar) and node.text.strip() == UNKNOWN_YEAR:
        return UNKNOWN_YEAR
    return integer_value(spec, node, reader)


def date_value(spec: Field, node: Node, reader: FieldReporter) -> date | None:
    text = scalar_text(spec, node, reader, "a date")
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


def url_value(spec: Field, node: Node, reader: FieldReporter) -> str | None:
    text = text_value(spec, node, reader)
    if text is None:
        return None
    if _curly_quoted(text) and isinstance(node, Scalar):
        _report_curly(spec, node, reader, text)
        return None
    if not is_web_url(text):
        reader.error(node.pos, spec.name, f"'{text}' is not an http or https address",
                     "copy the full address from the browser, starting with https://")
        return None
    return text



def boolean_value(spec: Field, node: Node, reader: FieldReporter) -> bool | None:
    text = scalar_text(spec, node, reader, "true or false")
    if text in ("true", "false") and isinstance(node, Scalar) and node.plain:
        return text == "true"
    if text is not None:
        reader.error(node.pos, spec.name, f"must be true or false, not '{text}'",
                     "write true or false without quotes (yes, no, on and off are not accepted)")
    return None


def is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.plain and node.text.strip() in _NULLS


def example_hint(spec: Field) -> str:
    return f"for example: {spec.name}: {spec.example}" if spec.example else spec.doc


def shape(node: Node) -> str:
    """What an editor wrote, in their words: a list, 'name: value' pairs, or a single value."""
    if isinstance(node, Seq):
        return "a list"
    return "'name: value' pairs" if isinstance(node, Map) else "a single value"
