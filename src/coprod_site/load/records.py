"""Load every record file: read them, reuse the build cache's results, parse the rest in parallel.

Record files are read here, in the main process. With a build cache, a file whose bytes (and
the taxonomies, the day and the generator) are unchanged is taken from it; the others are
parsed by `record_file.load_record_file`, in several processes when they are many. Results
travel between processes and into the cache as plain tuples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from coprod_site.build_cache import BuildCache, digest
from coprod_site.diagnostics import Diagnostic, Diagnostics
from coprod_site.load.documents import ContentRoot
from coprod_site.load.record_file import FileLoad, RecordRules, load_record_file
from coprod_site.load.source_files import read_raw
from coprod_site.model import Field, FieldKind, Record, Taxonomy, schemas
from coprod_site.parallel import map_parts


@dataclass(frozen=True, slots=True)
class LoadedRecords:
    """The records that loaded cleanly, every (taxonomy, term) any record file names, and the
    files (relative to the content folder) that were parsed rather than taken from the cache.
    `terms_known` is false when a file could not be read or parsed far enough to name its terms."""

    records: tuple[Record, ...]
    used_terms: frozenset[tuple[str, str]]
    parsed: tuple[str, ...] = ()
    terms_known: bool = True


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
    """What every record file is loaded against, and the earlier results with the part of their
    key that all files share (empty without a cache)."""

    rules: RecordRules
    known: Mapping[str, PlainLoad]
    context: str


def load_records(root: ContentRoot, files: Sequence[PurePosixPath], taxonomies: Sequence[Taxonomy],
                 broken_taxonomies: frozenset[str], *, today: date, diagnostics: Diagnostics,
                 workers: int = 1, cache: BuildCache | None = None) -> LoadedRecords:
    """Every record that loaded cleanly, in file order, and the terms all records use.

    Files are read here. With a `cache`, a file whose bytes (and taxonomies, day and generator)
    are unchanged is taken from it; the others are parsed, by `workers` processes when they are
    many, each taking every n-th file."""
    fields = (*schemas.record_fields(taxonomies), *unchecked_term_fields(broken_taxonomies))
    context = cache.key(root.display, repr(taxonomies), repr(sorted(broken_taxonomies)),
                        today.isoformat()) if cache else ""
    rules = RecordRules(root, fields, tuple(taxonomies), today)
    job = _Job(rules, cache.read_load_table() if cache else {}, context)
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
    loaded = gather([from_plain(results[rel]) for rel in files if rel in results], diagnostics)
    return replace(loaded, parsed=tuple(str(rel) for rel, _, _ in pending),
                   terms_known=terms_known(files, results))


def terms_known(files: Sequence[PurePosixPath], results: Mapping[PurePosixPath, PlainLoad]) -> bool:
    """False when a file was not read, or was read but named no term and gave no record (its
    front matter did not parse): the terms it uses are then unknown."""
    return len(results) == len(files) and all(record is not None or used
                                              for record, used, _ in results.values())


def _load_files(job: _Job, pending: Sequence[tuple[PurePosixPath, bytes, str]]
                ) -> list[tuple[PurePosixPath, str, PlainLoad]]:
    """Load some record files (this may run in another process); plain tuples travel back fast."""
    return [(rel, key, plain(load_record_file(job.rules, rel, raw))) for rel, raw, key in pending]


def gather(results: Sequence[FileLoad], diagnostics: Diagnostics) -> LoadedRecords:
    """The valid records, in source order, and the terms any file names; problems go to `diagnostics`."""
    used: set[tuple[str, str]] = set()
    for result in results:
        diagnostics.items.extend(result.diagnostics)
        used |= result.used_terms
    records = sorted((result.record for result in results if result.record is not None),
                     key=lambda record: record.source)
    return LoadedRecords(tuple(records), frozenset(used))


def unchecked_term_fields(broken: frozenset[str]) -> tuple[Field, ...]:
    """Term fields for taxonomies whose file has errors: accepted, so errors do not cascade."""
    return tuple(Field(name, FieldKind.TEXT_LIST, "terms of a taxonomy with errors")
                 for name in sorted(broken))
