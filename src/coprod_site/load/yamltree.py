"""Strict YAML: parse front matter and data files into a small tree of positioned text nodes.

libyaml (through PyYAML's C parser) does the parsing; this module builds the tree from its
events. Every scalar is kept as the text that was written, so YAML 1.1 surprises (`no`, `on`,
`1.10`, `012345`, `12:30`) can never silently change a value: the field schema decides what a
text means. Anchors, aliases and tags are refused outright, as are duplicate keys and absurd
nesting. Problems are raised as `YamlProblem` with a 1-based position in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from coprod_site.load.yaml_messages import Stuck, explain

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Pos:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Scalar:
    """A scalar exactly as written; `plain` is false for quoted and block text."""

    text: str
    pos: Pos
    plain: bool
    trailing_comment: bool = False


@dataclass(frozen=True, slots=True)
class Seq:
    """A YAML list."""

    items: tuple[Node, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Map:
    """A YAML mapping: each key's position and value."""

    entries: dict[str, tuple[Pos, Node]]
    pos: Pos


Node = Scalar | Seq | Map


class YamlProblem(Exception):
    """A problem that makes the YAML unusable, at a position, with a hint."""

    def __init__(self, pos: Pos, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.pos = pos
        self.message = message
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed document (None if empty) and the problems that did not stop parsing."""

    root: Node | None
    problems: tuple[YamlProblem, ...]


def parse_yaml(text: str, *, first_line: int = 1) -> Parsed:
    """Parse one YAML document; positions count from `first_line`.

    Raises `YamlProblem` for what makes the document unusable; repeated keys are collected.
    """
    lines = text.split("\n")
    _refuse_line_separators(text, first_line)
    builder = _TreeBuilder(lines, first_line - 1)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except yaml.MarkedYAMLError as error:
        raise _syntax_problem(error, lines, first_line - 1) from None
    except yaml.reader.ReaderError as error:
        raise _character_problem(text, error.character, first_line) from None
    except yaml.YAMLError:
        raise YamlProblem(Pos(first_line, 1), "is not valid YAML",
                          "check the text for unusual characters") from None
    return Parsed(builder.root, tuple(builder.problems))


_LINE_SEPARATORS = re.compile("[\x85\u2028\u2029]")


def _refuse_line_separators(text: str, first_line: int) -> None:
    """YAML reads U+0085, U+2028 and U+2029 as line breaks that editors do not see: refuse them."""
    found = _LINE_SEPARATORS.search(text)
    if found:
        raise YamlProblem(_offset_pos(text, found.start(), first_line),
                          f"contains the invisible line separator U+{ord(found[0]):04X}, "
                          "which YAML reads as a line break",
                          "delete it (it often comes with pasted text), or replace it with a space")


def _character_problem(text: str, character: Any, first_line: int) -> YamlProblem:
    """The first character the YAML reader refused (libyaml reports a byte offset, so search)."""
    code = character if isinstance(character, int) else ord(str(character)[:1] or "\0")
    offset = max(text.find(chr(code)), 0)
    name = f"U+{code:04X}"
    return YamlProblem(_offset_pos(text, offset, first_line),
                       f"contains the control character {name}, which YAML does not allow",
                       "delete it (it is invisible in most editors: retype the text around it)")


def _offset_pos(text: str, offset: int, first_line: int) -> Pos:
    line_start = text.rfind("\n", 0, offset) + 1
    return Pos(first_line + text.count("\n", 0, offset), offset - line_start + 1)


def _syntax_problem(error: yaml.MarkedYAMLError, lines: list[str], offset: int) -> YamlProblem:
    """The parser's complaint, explained from the lines themselves (`yaml_messages`)."""
    problem, context = error.problem or "", error.context or ""
    unclosed = "end of stream" in problem and error.context_mark is not None
    mark = error.context_mark if unclosed else error.problem_mark or error.context_mark
    line, column = (mark.line, mark.column) if mark else (0, 0)
    found = explain(Stuck(line, column, problem, context, unclosed), lines)
    return YamlProblem(Pos(found.line + 1 + offset, found.column + 1), found.message, found.hint)


_ALIAS_HINT = "write the value out in full; if '*' belongs to the text, put the whole text in double quotes"
_ANCHOR_HINT = "remove it; if '&' belongs to the text, put the whole text in double quotes"
_TAG_HINT = "remove it; if '!' belongs to the text, put the whole text in double quotes"


class _TreeBuilder:
    """Turns a stream of parser events into nested `Node`s, refusing what we do not allow."""

    def __init__(self, lines: list[str], offset: int) -> None:
        self.lines = lines
        self.offset = offset
        self.stack: list[tuple[Pos, list[Node]]] = []
        self.root: Node | None = None
        self.documents = 0
        self.problems: list[YamlProblem] = []

    def pos(self, mark: Any) -> Pos:
        return Pos(mark.line + 1 + self.offset, mark.column + 1)

    def feed(self, event: yaml.Event) -> None:
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlProblem(self.pos(event.start_mark), "holds more than one YAML document",
                                  "remove the extra '---' line")
        elif isinstance(event, yaml.AliasEvent):
            raise YamlProblem(self.pos(event.start_mark), f"'*{event.anchor}' stands for a value marked "
                              "elsewhere, which content files do not allow", _ALIAS_HINT)
        elif isinstance(event, yaml.NodeEvent):
            self._node_event(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            pos, children = self.stack.pop()
            is_map = isinstance(event, yaml.MappingEndEvent)
            node = self._make_map(pos, children) if is_map else Seq(tuple(children), pos)
            self._attach(node)

    def _node_event(self, event: Any) -> None:
        pos = self.pos(event.start_mark)
        if event.anchor is not None:
            raise YamlProblem(pos, f"'&{event.anchor}' marks this value for use elsewhere, which content "
                              "files do not allow", _ANCHOR_HINT)
        if event.tag is not None and event.tag != "!":
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise YamlProblem(pos, f"'{tag}' marks a type, which content files do not allow", _TAG_HINT)
        if isinstance(event, yaml.ScalarEvent):
            plain = event.style in (None, "")
            trailing = plain and self._comment_follows(event.end_mark)
            self._attach(Scalar(event.value, pos, plain, trailing))
        else:
            if len(self.stack) >= MAX_DEPTH:
                raise YamlProblem(pos, f"puts lists or indented lines more than {MAX_DEPTH} levels deep",
                                  "use a plain list or plain text instead")
            self.stack.append((pos, []))

    def _comment_follows(self, mark: Any) -> bool:
        line = self.lines[mark.line] if mark.line < len(self.lines) else ""
        return line[mark.column:].lstrip(" \t").startswith("#")

    def _attach(self, node: Node) -> None:
        if self.stack:
            self.stack[-1][1].append(node)
        else:
            self.root = node

    def _make_map(self, pos: Pos, children: list[Node]) -> Map:
        entries: dict[str, tuple[Pos, Node]] = {}
        for key, value in zip(children[::2], children[1::2], strict=True):
            if not isinstance(key, Scalar):
                raise YamlProblem(key.pos, "uses a list or indented lines as a field name",
                                  "field names are plain words, like title or year")
            if key.text in entries:
                first = entries[key.text][0]
                message = f"repeats the key '{key.text}' (first on line {first.line})"
                self.problems.append(YamlProblem(key.pos, message, "remove one of the two"))
                continue
            entries[key.text] = (key.pos, value)
        return Map(entries, pos)
