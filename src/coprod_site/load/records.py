"""Load content/evidence/**/*.md into `Record`s and content/pages/*.md into `Page`s."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from markdown_it import MarkdownIt

from coprod_site.build_cache import BuildCache, digest
from coprod_site.diagnostics import Diagnostic, Diagnostics, Where
from coprod_site.documents import ContentRoot, Document, read_document
from coprod_site.fields import SLUG, UNKNOWN_YEAR, Field, Kind, slug_hint
from coprod_site.files import read_raw
from coprod_site.model import Page, Record, Taxonomy
from coprod_site.schemas import MAX_SUMMARY_WORDS, PAGE_FIELDS, record_fields
from coprod_site.workers import map_parts

# Parsed as the renderer parses (CommonMark, raw HTML off), so code blocks are skipped exactly;
# only block structure is needed. Bodies with no line that could be a level-1 heading are not parsed.
_MARKDOWN = MarkdownIt("commonmark", {"html": False}).disable(["inline", "text_join"])
_MAYBE_LEVEL_ONE = re.compile(r"^[ \t>*+\-.)0-9]*(?:#(?:[ \t]|$)|=+[ \t]*$)", re.MULTILINE)
_ID_RULE = "record ids are the file name without .md"


@dataclass(frozen=True, slots=True)
class LoadedRecords:
    """The records that loaded cleanly, and every (taxonomy, term) any record file names."""

    records: tuple[Record, ...]
    used_terms: frozenset[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class FileLoad:
    """What loading one record file gave: its record (if valid), the terms it names, its problems."""

    record: Record | None
    used_terms: frozenset[tuple[str, str]]
    diagnostics: tuple[Diagnostic, ...]


PlainLoad = tuple[tuple[Any, ...] | None, frozenset[tuple[str, str]], tuple[tuple[Any, ...], ...]]
_RECORD_FIELDS = tuple(item.name for item in fields(Record))
_DIAGNOSTIC_FIELDS = tuple(item.name for item in fields(Diagnostic))


def plain(result: FileLoad) -> PlainLoad:
    """`result` as plain tuples, which pickle several times faster than slotted dataclasses."""
    record = None if result.record is None else tuple(getattr(result.record, name) for name in _RECORD_FIELDS)
    problems = tuple(tuple(getattr(item, name) for name in _DIAGNOSTIC_FIELDS) for item in result.diagnostics)
    return record, result.used_terms, problems


def from_plain(values: PlainLoad) -> FileLoad:
    """The `FileLoad` that `plain` made `values` from."""
    record, used, problems = values
    return FileLoad(None if record is None else Record(*record), used,
                    tuple(Diagnostic(*item) for item in problems))


PARALLEL_FROM = 400  # below this many records, starting processes costs more than it saves


@dataclass(frozen=True, slots=True)
class _Job:
    """What every record file is loaded against: the fields, the taxonomies, the day, and the
    earlier results with the part of their key that all files share (empty without a cache)."""

    root: ContentRoot
    fields: tuple[Field, ...]
    taxonomies: tuple[Taxonomy, ...]
    today: date
    known: Mapping[str, PlainLoad]
    context: str


def load_records(root: ContentRoot, files: Sequence[PurePosixPath], taxonomies: Sequence[Taxonomy],
                 broken_taxonomies: frozenset[str], *, today: date, diagnostics: Diagnostics,
                 workers: int = 1, cache: BuildCache | None = None) -> LoadedRecords:
    """Every record that loaded cleanly, in file order, and the terms all records use.

    Files are read here. With a `cache`, a file whose bytes (and taxonomies, day and generator)
    are unchanged is taken from it; the others are parsed, by `workers` processes when they are
    many, each taking every n-th file."""
    fields = (*record_fields(taxonomies), *_unchecked_term_fields(broken_taxonomies))
    context = cache.key(root.display, repr(taxonomies), repr(sorted(broken_taxonomies)),
                        today.isoformat()) if cache else ""
    job = _Job(root, fields, tuple(taxonomies), today, cache.read_load_table() if cache else {}, context)
    table: dict[str, PlainLoad] = {}
    results: dict[PurePosixPath, PlainLoad] = {}
    pending: list[tuple[PurePosixPath, bytes, str]] = []
    for rel in files:
        raw = read_raw(root.path, rel, root.display, diagnostics)
        key = digest(context, str(rel), raw) if context and raw is not None else ""
        if key in job.known:
            results[rel] = table[key] = job.known[key]
        elif raw is not None:
            pending.append((rel, raw, key))
    count = workers if len(pending) >= PARALLEL_FROM else 1
    for part in map_parts(lambda part: _load_files(job, part), [pending[i::count] for i in range(count)]):
        for rel, key, result in part:
            results[rel] = result
            if key:
                table[key] = result
    if cache is not None and table.keys() != job.known.keys():  # equal keys: nothing new to keep
        cache.write_load_table(table)
    return _gather([from_plain(results[rel]) for rel in files if rel in results], diagnostics)


def _load_files(job: _Job, pending: Sequence[tuple[PurePosixPath, bytes, str]]
                ) -> list[tuple[PurePosixPath, str, PlainLoad]]:
    """Load some record files (this may run in another process); plain tuples travel back fast."""
    return [(rel, key, plain(_load_file(job, rel, raw))) for rel, raw, key in pending]


def _gather(results: Sequence[FileLoad], diagnostics: Diagnostics) -> LoadedRecords:
    """The valid records, in source order, and the terms any file names; problems go to `diagnostics`."""
    used: set[tuple[str, str]] = set()
    for result in results:
        diagnostics.items.extend(result.diagnostics)
        used |= result.used_terms
    records = sorted((result.record for result in results if result.record is not None),
                     key=lambda record: record.source)
    return LoadedRecords(tuple(records), frozenset(used))


def _load_file(job: _Job, rel: PurePosixPath, raw: bytes) -> FileLoad:
    """Load one record file: its fields, its values and its body, with a collector of its own."""
    diagnostics = Diagnostics()
    valid_id = _check_id(job.root, rel, diagnostics)
    document = read_document(job.root, rel, job.fields, diagnostics, raw=raw)
    if document is None:
        return FileLoad(None, frozenset(), tuple(diagnostics.items))
    values = document.fields.values
    used = frozenset((t.id, term) for t in job.taxonomies for term in values.get(t.id, ()))
    _check_values(document, job.today, diagnostics)
    _check_body(document, diagnostics)
    valid = valid_id and diagnostics.error_count == 0
    record = _record(rel.stem, document, job.taxonomies) if valid else None
    return FileLoad(record, used, tuple(diagnostics.items))


def _unchecked_term_fields(broken: frozenset[str]) -> tuple[Field, ...]:
    """Term fields for taxonomies whose file has errors: accepted, so errors do not cascade."""
    return tuple(Field(name, Kind.TEXT_LIST, "terms of a taxonomy with errors") for name in sorted(broken))


def _check_id(root: ContentRoot, rel: PurePosixPath, diagnostics: Diagnostics) -> bool:
    if SLUG.fullmatch(rel.stem):
        return True
    diagnostics.error(Where(f"{root.display}/{rel}"), "file name",
                      f"'{rel.stem}' is not a valid record id ({_ID_RULE})",
                      slug_hint(rel.stem) + ", then rename the file")
    return False


def _check_values(document: Document, today: date, diagnostics: Diagnostics) -> None:
    values, path = document.fields.values, document.path
    where = document.fields.where
    year = values.get("year")
    if isinstance(year, int) and not 1900 <= year <= today.year + 1:
        diagnostics.error(where(path, "year"), "year", f"{year} is outside 1900 to {today.year + 1}",
                          "write the four-digit year the source was published")
    published: date | None = values.get("published")
    if published and isinstance(year, int) and published.year != year:
        diagnostics.error(where(path, "published"), "published",
                          f"{published.isoformat()} is not in the record's year {year}",
                          "make year and published agree")
    for name in ("added", "reviewed"):
        value: date | None = values.get(name)
        if value and value > today:
            diagnostics.error(where(path, name), name, f"{value.isoformat()} is in the future",
                              f"use the date the record was {name}, no later than today")
    summary: str | None = values.get("summary")
    if summary and len(summary.split()) > MAX_SUMMARY_WORDS:
        diagnostics.error(where(path, "summary"), "summary",
                          f"has {len(summary.split())} words; the limit is {MAX_SUMMARY_WORDS}",
                          "shorten it: the findings and the body hold the detail")


def _check_body(document: Document, diagnostics: Diagnostics) -> None:
    """A body may not hold a level-1 heading ('# ...' or underlined with '==='), outside code."""
    if not _MAYBE_LEVEL_ONE.search(document.body):
        return
    for token in _MARKDOWN.parse(document.body):
        if token.type == "heading_open" and token.tag == "h1" and token.map:
            form = "'# ...'" if token.markup == "#" else "a line underlined with '==='"
            diagnostics.error(Where(document.path, document.body_line + token.map[0]), "body",
                              f"has a level-1 heading ({form})",
                              "use '## ' for headings in the body; the title is the page's heading")


def _record(record_id: str, document: Document, taxonomies: Sequence[Taxonomy]) -> Record:
    values = document.fields.values
    year = values["year"]
    return Record(
        id=record_id, title=values["title"], year=None if year == UNKNOWN_YEAR else year,
        url=values["url"], summary=values["summary"], findings=values["findings"],
        added=values["added"],
        terms={taxonomy.id: values.get(taxonomy.id, ()) for taxonomy in taxonomies},
        body=document.body, source=document.path, published=values.get("published"),
        authors=values.get("authors", ()), reviewed=values.get("reviewed"),
        coproduced=values.get("coproduced"), body_line=document.body_line,
        lines={name: pos.line for name, pos in document.fields.positions.items()},
    )


def load_pages(root: ContentRoot, files: Sequence[PurePosixPath],
               diagnostics: Diagnostics) -> tuple[Page, ...]:
    """Every prose page that loaded cleanly."""
    pages: list[Page] = []
    for rel in files:
        if not SLUG.fullmatch(rel.stem):
            diagnostics.error(Where(f"{root.display}/{rel}"), "file name",
                              f"'{rel.stem}' is not a valid page id", slug_hint(rel.stem))
            continue
        errors_before = diagnostics.error_count
        document = read_document(root, rel, PAGE_FIELDS, diagnostics)
        if document is None:
            continue
        _check_body(document, diagnostics)
        if diagnostics.error_count == errors_before:
            values = document.fields.values
            pages.append(Page(rel.stem, values["title"], values["summary"], document.body, document.path,
                              document.body_line))
    return tuple(pages)
