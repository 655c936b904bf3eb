"""Documents: read one content file (YAML data, or Markdown with front matter) into checked fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.fields import Field, Fields, Reader, read_fields
from coprod_site.files import read_source, source_from_bytes
from coprod_site.frontmatter import split_front_matter
from coprod_site.yamltree import Node, Pos, YamlProblem, parse_yaml


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
    reader = Reader(source.display, diagnostics)
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
