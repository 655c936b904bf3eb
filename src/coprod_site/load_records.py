"""Load content/evidence/**/*.md into `Record`s and content/pages/*.md into `Page`s."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from markdown_it import MarkdownIt

from coprod_site.diagnostics import Diagnostic, Diagnostics, Where
from coprod_site.documents import ContentRoot, Document, read_document
from coprod_site.fields import SLUG, UNKNOWN_YEAR, Field, Kind, slug_hint
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
    diagnostics: tuple[Diagnostic, ...] = ()


PARALLEL_FROM = 400  # below this many records, starting processes costs more than it saves


def load_records(root: ContentRoot, files: Sequence[PurePosixPath], taxonomies: Sequence[Taxonomy],
                 broken_taxonomies: frozenset[str], *, today: date, diagnostics: Diagnostics,
                 workers: int = 1) -> LoadedRecords:
    """Every record that loaded cleanly, in file order, and the terms all records use.

    Large libraries are read by `workers` processes, each taking every n-th file."""
    fields = (*record_fields(taxonomies), *_unchecked_term_fields(broken_taxonomies))
    count = workers if len(files) >= PARALLEL_FROM else 1
    parts = [files[index::count] for index in range(count)]
    results = map_parts(lambda part: _load_part(root, part, fields, taxonomies, today), parts)
    records: list[Record] = []
    used: set[tuple[str, str]] = set()
    for part in results:
        records.extend(part.records)
        used |= part.used_terms
        diagnostics.items.extend(part.diagnostics)
    return LoadedRecords(tuple(sorted(records, key=lambda record: record.source)), frozenset(used))


def _load_part(root: ContentRoot, files: Sequence[PurePosixPath], fields: Sequence[Field],
               taxonomies: Sequence[Taxonomy], today: date) -> LoadedRecords:
    """Load some record files with a collector of their own (this may run in another process)."""
    diagnostics = Diagnostics()
    records: list[Record] = []
    used: set[tuple[str, str]] = set()
    for rel in files:
        valid_id = _check_id(root, rel, diagnostics)
        errors_before = diagnostics.error_count
        document = read_document(root, rel, fields, diagnostics)
        if document is None:
            continue
        used.update((t.id, term) for t in taxonomies for term in document.fields.values.get(t.id, ()))
        _check_values(document, today, diagnostics)
        _check_body(document, diagnostics)
        if valid_id and diagnostics.error_count == errors_before:
            records.append(_record(rel.stem, document, taxonomies))
    return LoadedRecords(tuple(records), frozenset(used), tuple(diagnostics.items))


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
