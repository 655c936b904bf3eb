"""Documents: read one content file (YAML data, or Markdown with front matter) into checked fields,
and the rules every Markdown body follows: no level-1 heading (the title is the page's heading),
and no nesting deeper than the renderer draws (markdown-it drops whatever lies deeper, silently)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from markdown_it import MarkdownIt

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.load.field_values import FieldReporter
from coprod_site.load.frontmatter import split_front_matter
from coprod_site.load.read_fields import Fields, read_fields
from coprod_site.load.source_files import read_source, source_from_bytes
from coprod_site.load.yamltree import Node, Pos, YamlProblem, parse_yaml
from coprod_site.model import Field

# Parsed as the renderer parses (CommonMark, raw HTML off), so code blocks are skipped exactly;
# only block structure is needed. Bodies with no line that could be a level-1 heading are not parsed.
# The quick tests below read the body framed by a line feed before it and one after it, so
# that each pattern starts with a line feed, which the regular expression engine finds by a
# plain scan instead of trying every position for a line start.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable(["inline", "text_join"])
_MAYBE_LEVEL_ONE = re.compile(r"\n[ \t>*+\-.)0-9]*(?:#[ \t\n]|=+[ \t]*\n)")
MAX_NESTING = MarkdownIt("commonmark").options.maxNesting
"""How deep the renderer's parser (CommonMark preset) nests blocks; a token deeper is dropped."""
_UNLIMITED = MarkdownIt("commonmark", {"html": False, "maxNesting": 10_000}).disable(["inline", "text_join"])
# Each quote opens one level and each list two, with one marker character or more per level.
_MAYBE_TOO_DEEP = re.compile(rf"\n[ \t>*+\-.)0-9]{{{MAX_NESTING // 2}}}")


@dataclass(frozen=True, slots=True)
class Document:
    """A content file's checked fields, its Markdown body (if any) and its displayed path."""

    fields: Fields
    body: str
    body_line: int
    path: str
    rel: PurePosixPath


@dataclass(frozen=True, slots=True)
class ContentRoot:
    """The content folder on disk and how its path is shown in messages."""

    path: Path
    display: str


def read_document(root: ContentRoot, rel: PurePosixPath, fields: Sequence[Field],
                  diagnostics: Diagnostics, *, raw: bytes | None = None) -> Document | None:
    """Read `rel` (a .yml data file or a .md file with front matter) and check its fields;
    `raw` is the file's bytes when the caller has read them already."""
    if raw is None:
        source = read_source(root.path, rel, root.display, diagnostics)
    else:
        source = source_from_bytes(rel, root.display, raw, diagnostics)
    if source is None:
        return None
    markdown = rel.suffix == ".md"
    what = "front matter" if markdown else "file"
    if markdown:
        split = split_front_matter(source.text, source.display, diagnostics)
        if split is None:
            return None
        yaml_text, body, body_line, first_line = split.yaml_text, split.body, split.body_line, 2
    else:
        yaml_text, body, body_line, first_line = source.text, "", 0, 1
    parsed, node = _parse(yaml_text, first_line, source.display, what, diagnostics)
    if not parsed:
        return None
    reader = FieldReporter(source.display, diagnostics)
    checked = read_fields(node, fields, reader, what=what, at=Pos(first_line, 1))
    if checked is None:
        return None
    return Document(checked, body, body_line, source.display, rel)


def _parse(text: str, first_line: int, path: str, what: str,
           diagnostics: Diagnostics) -> tuple[bool, Node | None]:
    """Whether the YAML could be parsed, and its tree (None for an empty document)."""
    try:
        parsed = parse_yaml(text, first_line=first_line)
    except YamlProblem as fatal:
        _report(fatal, path, what, diagnostics)
        return False, None
    for problem in parsed.problems:
        _report(problem, path, what, diagnostics)
    return True, parsed.root


def _report(problem: YamlProblem, path: str, what: str, diagnostics: Diagnostics) -> None:
    diagnostics.error(Where(path, problem.pos.line, problem.pos.column), what, problem.message, problem.hint)


def check_body(document: Document, diagnostics: Diagnostics) -> None:
    """A body may not hold a level-1 heading ('# ...' or underlined with '==='), outside code,
    nor blocks nested deeper than the renderer draws."""
    framed = f"\n{document.body}\n"
    _check_nesting(document, framed, diagnostics)
    if not _MAYBE_LEVEL_ONE.search(framed):
        return
    for token in _MARKDOWN.parse(document.body):
        if token.type == "heading_open" and token.tag == "h1" and token.map:
            form = "'# ...'" if token.markup == "#" else "a line underlined with '==='"
            diagnostics.error(Where(document.path, document.body_line + token.map[0]), "body",
                              f"has a level-1 heading ({form})",
                              "use '## ' for headings in the body; the title is the page's heading")


def _check_nesting(document: Document, framed: str, diagnostics: Diagnostics) -> None:
    """Report the first block nested deeper than `MAX_NESTING` (the text from there on is lost);
    `framed` is the body between two line feeds."""
    if not _MAYBE_TOO_DEEP.search(framed):
        return
    line = 0
    for token in _UNLIMITED.parse(document.body):
        line = token.map[0] if token.map else line
        if token.level > MAX_NESTING:
            diagnostics.error(Where(document.path, document.body_line + line), "body",
                              f"nests quotes or lists deeper than the {MAX_NESTING} levels the site can "
                              "show; the text from this line on would be lost",
                              "flatten the quotes or lists (a list counts as two levels, a quote as one)")
            return
