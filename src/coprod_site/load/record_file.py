"""Load one record file into a `Record`: its front matter, the rules on its values, its body.

`load_record_file` is what every record goes through, in whichever process parses it; it keeps
its own collector of problems, so its result can be cached and passed between processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePosixPath

from coprod_site.diagnostics import Diagnostic, Diagnostics, Where
from coprod_site.load.documents import ContentRoot, Document, check_body, read_document
from coprod_site.model import SLUG, UNKNOWN_YEAR, Field, Record, Taxonomy, schemas, slug_hint

_ID_RULE = "record ids are the file name without .md"


@dataclass(frozen=True, slots=True)
class RecordRules:
    """What every record file is loaded against: the fields (terms included), the taxonomies, the day."""

    root: ContentRoot
    fields: tuple[Field, ...]
    taxonomies: tuple[Taxonomy, ...]
    today: date


@dataclass(frozen=True, slots=True)
class FileLoad:
    """What loading one record file gave: its record (if valid), the terms it names, its problems."""

    record: Record | None
    used_terms: frozenset[tuple[str, str]]
    diagnostics: tuple[Diagnostic, ...]


def load_record_file(rules: RecordRules, rel: PurePosixPath, raw: bytes) -> FileLoad:
    """Load one record file: its fields, its values and its body, with a collector of its own."""
    diagnostics = Diagnostics()
    valid_id = _check_id(rules.root, rel, diagnostics)
    document = read_document(rules.root, rel, rules.fields, diagnostics, raw=raw)
    if document is None:
        return FileLoad(None, frozenset(), tuple(diagnostics.items))
    values = document.fields.values
    used = frozenset((t.id, term) for t in rules.taxonomies for term in values.get(t.id, ()))
    _check_values(document, rules.today, diagnostics)
    check_body(document, diagnostics)
    valid = valid_id and diagnostics.error_count == 0
    record = _record(rel.stem, document, rules.taxonomies) if valid else None
    return FileLoad(record, used, tuple(diagnostics.items))


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
    if summary and len(summary.split()) > schemas.MAX_SUMMARY_WORDS:
        diagnostics.error(where(path, "summary"), "summary",
                          f"has {len(summary.split())} words; the limit is {schemas.MAX_SUMMARY_WORDS}",
                          "shorten it: the findings and the body hold the detail")


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
