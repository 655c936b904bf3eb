"""Plain-English explanations of YAML syntax errors: what the editor wrote, and how to fix it.

The parser reports where it got stuck and in its own words; editors need the cause, which is
usually a few characters earlier: a line indented by a space, a tab, text with ': ' that is not
in quotes, a quote that is never closed, or text after a closing quote. `explain` looks at the
lines themselves and returns a headline and a hint that name that cause, never parser words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIELD_LINE = re.compile(r"^(?P<indent>[ \t]*)(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?: +(?P<value>.*))?$")
_LIST_ITEM = re.compile(r"^( *)- +")


@dataclass(frozen=True, slots=True)
class Explained:
    """The line and column (0-based, within the document) to show, a headline and a hint."""

    line: int
    column: int
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class Stuck:
    """Where and why the parser stopped: its 0-based line and column and its own words."""

    line: int
    column: int
    problem: str
    context: str
    unclosed: bool


def explain(stuck: Stuck, lines: list[str]) -> Explained:
    """The cause of a syntax error, found from the lines up to where the parser stopped."""
    for finder in (_tab, _unclosed_quote, _backslash, _misindented, _no_space_after_colon,
                   _text_after_quote, _text_after_list, _item_on_field_line, _colon_in_text,
                   _missing_colon, _unclosed_list, _block_text_on_field_line, _reserved_start):
        found = finder(stuck, lines)
        if found:
            return found
    return Explained(stuck.line, stuck.column, "this line could not be read as 'field: value'",
                     "check the spaces at the start of this line and the line before it, and put "
                     "text that holds ': ', ' #' or quotes in double quotes")


def _indent(line: str) -> str:
    return line[:len(line) - len(line.lstrip(" \t"))]


def _content_lines(lines: list[str], last: int) -> list[int]:
    """The lines up to `last` that start a field or an item: not blank, not a comment, and not
    inside a block of text (after '|' or '>') or a quoted text that goes on over several lines."""
    kept: list[int] = []
    block: int | None = None  # inside a block of text: the indentation of its lines
    quote = ""  # inside a quoted text that goes on: the quote that will close it
    for number, line in enumerate(lines[:last + 1]):
        width = len(_indent(line))
        if block is not None and (not line.strip() or width >= block):
            continue
        block = None
        if quote:
            quote = "" if _closes(line, quote) else quote
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kept.append(number)
        field = _FIELD_LINE.match(line)
        value = (field["value"] or "").strip() if field else ""
        if _BLOCK_TEXT.match(value):
            block = _block_indent(lines, number, width)
        elif value[:1] in ('"', "'") and not _closes(value[1:], value[0]):
            quote = value[0]
    return kept


def _block_indent(lines: list[str], start: int, width: int) -> int:
    """The indentation of a block of text: that of its first line, and more than its field's."""
    for line in lines[start + 1:]:
        if line.strip():
            return max(len(_indent(line)), width + 1)
    return width + 1


_BLOCK_TEXT = re.compile(r"^[|>][-+0-9]*\s*(?:#.*)?$")


def _closes(text: str, quote: str) -> bool:
    """Whether `text` holds the quote that closes a quoted text (not an escaped or doubled one)."""
    rest = re.sub(r"\\.", "", text) if quote == '"' else text.replace("''", "")
    return quote in rest


def _tab(stuck: Stuck, lines: list[str]) -> Explained | None:
    for number in _content_lines(lines, stuck.line):
        if "\t" in _indent(lines[number]):
            return Explained(number, 0, "this line starts with a tab, and YAML only allows spaces there",
                             "replace the tab with spaces")
    return None


def _unclosed_quote(stuck: Stuck, lines: list[str]) -> Explained | None:
    if not (stuck.unclosed and "quoted" in stuck.context):
        return None
    line = lines[stuck.line] if stuck.line < len(lines) else ""
    quote = line[stuck.column:stuck.column + 1] or '"'
    return Explained(stuck.line, stuck.column, f"the quote ({quote}) that opens here is never closed",
                     f"add the closing {quote} at the end of the text")


def _misindented(stuck: Stuck, lines: list[str]) -> Explained | None:
    """The first field or list line whose spaces do not line up with any line around it."""
    levels, items = [0], [0]
    opens = False
    for number in _content_lines(lines, stuck.line):
        line = lines[number]
        width = len(_indent(line))
        if opens and width > levels[-1]:
            levels.append(width)
        while levels[-1] > width:
            levels.pop()
        field, item = _FIELD_LINE.match(line), _LIST_ITEM.match(line)
        if levels[-1] != width and (field or item):
            expected = items[-1] if item else levels[-1]
            return _misindented_field(number, width, expected, lines[number - 1] if number else "",
                                      colon="mapping values are not allowed" in stuck.problem)
        if item:
            items.append(width)
            levels.append(len(item[0]))
        opens = bool(field) and not (field["value"] or "").strip() if field else False
    return None


def _misindented_field(number: int, width: int, expected: int, before: str, *,
                       colon: bool) -> Explained | None:
    above = _FIELD_LINE.match(before)
    text_above = (above["value"] or "").strip() if above else ""
    if colon and width - expected >= 2 and text_above[:1].isalnum():
        return None  # more likely the text above goes on, with ': ' in it: see _colon_in_text
    spaces = "a space" if width == 1 else f"{width} spaces"
    if expected == 0:
        fix = "remove the space at the start of the line" if width == 1 else \
            "remove the spaces at the start of the line"
    else:
        fix = f"start the line with {expected} spaces, like the other lines at its level"
    message = f"this line starts with {spaces}, so it does not line up with the lines around it"
    return Explained(number, 0, message, fix)


def _text_after_quote(stuck: Stuck, lines: list[str]) -> Explained | None:
    line = lines[stuck.line] if stuck.line < len(lines) else ""
    field = _FIELD_LINE.match(line)
    value = (field["value"] or "") if field else ""
    if value[:1] not in ('"', "'"):
        return None
    if value.rstrip().endswith(value[0]) and value.count(value[0]) == 2:
        return None
    return Explained(stuck.line, line.index(value), "this line has text after the closing quote",
                     "put the whole text in quotes; if the text holds an apostrophe or quotes, use the "
                     "other kind around it, for example \"People's garden\" or 'The \"garden\" project'")


def _colon_in_text(stuck: Stuck, lines: list[str]) -> Explained | None:
    if "mapping values are not allowed" not in stuck.problem:
        return None
    number = stuck.line
    line = lines[number] if number < len(lines) else ""
    field = _FIELD_LINE.match(line)
    if field and field["value"] and ": " in field["value"]:
        return Explained(number, stuck.column, "the text contains ': ', which YAML reads as a new field",
                         quote_hint(field["value"].strip(), before=f'{field["key"]}: '))
    return Explained(number, stuck.column, "the text contains ': ', which YAML reads as a new field",
                     "put the whole text in double quotes, from its first line to its last")


def quote_hint(text: str, *, before: str = "") -> str:
    """How to quote `text`: in double quotes, or in single quotes when it holds double quotes."""
    if '"' in text and "'" not in text:
        return f"put the whole text in single quotes, as it holds double quotes, like this: {before}'{text}'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'put the whole text in double quotes, like this: {before}"{escaped}"'


def _missing_colon(stuck: Stuck, lines: list[str]) -> Explained | None:
    if "could not find expected ':'" not in stuck.problem:
        return None
    return Explained(stuck.line, 0, "this line has no ':' after the field name",
                     "write each field as its name, a colon, a space and the value, for example: "
                     "year: 2022")


def _unclosed_list(stuck: Stuck, lines: list[str]) -> Explained | None:
    match = re.search(r"expected ',' or '([\]}])'", stuck.problem)
    if not match:
        return None
    opener = "[" if match[1] == "]" else "{"
    return Explained(stuck.line, stuck.column, f"the list that starts with '{opener}' is not closed "
                     f"with '{match[1]}' where expected",
                     f"end the list with '{match[1]}', and put any item that holds a comma or ': ' "
                     "in double quotes")


def _reserved_start(stuck: Stuck, lines: list[str]) -> Explained | None:
    line = lines[stuck.line] if stuck.line < len(lines) else ""
    first = line[stuck.column:stuck.column + 1]
    if first not in ("@", "`", "%", "?"):
        return None
    return Explained(stuck.line, stuck.column, f"the text starts with '{first}', which YAML does not "
                     "allow at the start of a value", "put the whole text in double quotes")


_NO_SPACE = re.compile(r"^ *(?:- +)?(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s:/].*)$")


def _no_space_after_colon(stuck: Stuck, lines: list[str]) -> Explained | None:
    """'year:2025' is read as text, not as a field: the colon needs a space after it."""
    for number in range(stuck.line, max(stuck.line - 2, -1), -1):
        found = _NO_SPACE.match(lines[number]) if number < len(lines) else None
        if found:
            return Explained(number, 0, "this line has no space after the ':'",
                             f"put a space after the colon, like this: {found['key']}: {found['value']}")
    return None


def _backslash(stuck: Stuck, lines: list[str]) -> Explained | None:
    if not ("escape" in stuck.problem or "hexdecimal" in stuck.problem):
        return None
    line = lines[stuck.line] if stuck.line < len(lines) else ""
    column = max(line.rfind("\\", 0, stuck.column + 1), 0)
    return Explained(stuck.line, column, "the text in double quotes holds a backslash (\\), which "
                     "YAML reads as the start of a special character",
                     "put the text in single quotes instead, or write each backslash twice (\\\\)")


def _text_after_list(stuck: Stuck, lines: list[str]) -> Explained | None:
    """'title: [Draft] garden' or 'methods: [survey]]': text after the ']' that closes a list."""
    line = lines[stuck.line] if stuck.line < len(lines) else ""
    field = _FIELD_LINE.match(line)
    value = (field["value"] or "").strip() if field else ""
    if not field or value[:1] not in ("[", "{"):
        return None
    end = _list_end(value)
    rest = value[end + 1:].strip() if end is not None else ""
    if end is None or not rest or rest.startswith("#"):
        return None
    quoted = quote_hint(value, before=f"{field['key']}: ")
    return Explained(stuck.line, line.index(value), f"this line has text after the '{value[end]}' that "
                     "ends a list", f"a value that starts with '{value[0]}' is read as a list; if it is "
                     f"text, {quoted}")


def _list_end(value: str) -> int | None:
    """Where the list that `value` starts with ends (its closing bracket), if it ends."""
    depth = 0
    for index, char in enumerate(value):
        depth += (char in "[{") - (char in "]}")
        if depth == 0:
            return index
    return None


def _item_on_field_line(stuck: Stuck, lines: list[str]) -> Explained | None:
    if "sequence entries are not allowed" not in stuck.problem:
        return None
    line = lines[stuck.line] if stuck.line < len(lines) else ""
    field = _FIELD_LINE.match(line)
    key = field["key"] if field else "the field"
    return Explained(stuck.line, stuck.column, "a list item ('- ') must start a line of its own",
                     f"end the line after '{key}:', then write each item on its own line, "
                     "starting with two spaces and '- '")


def _block_text_on_field_line(stuck: Stuck, lines: list[str]) -> Explained | None:
    line = lines[stuck.line] if stuck.line < len(lines) else ""
    field = _FIELD_LINE.match(line)
    value = (field["value"] or "").strip() if field else ""
    if value[:1] not in ("|", ">") or _BLOCK_TEXT.match(value):
        return None
    before = f"{field['key']}: " if field else ""
    return Explained(stuck.line, line.index(value), f"the text starts with '{value[0]}', which YAML reads "
                     "as the start of a block of text on the lines below", quote_hint(value, before=before))
