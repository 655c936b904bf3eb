"""What one load of a content folder leaves in memory for the next: the dev server's quick reload.

`LoadMemo` keeps, for each record file, what loading it produced, with the file's signature
(modification and change times, size, inode) and what it was loaded against (the taxonomies
and the day). The next load stats every file and parses only those whose signature or context
changed, the same way `records.load_records` parses them, so it yields the same records and
diagnostics. The list of content files is kept too, and listed again only when a folder's
modification time says an entry was added, removed or renamed (or changed too recently to tell).
The checks made on each record alone (`check_each`) are made again only for changed records. The
memo also keeps the last good site and its plan, which `site.load_site` reuses when only the
records' contents changed (see `site.reassemble`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath

from coprod_site.build_cache import digest
from coprod_site.diagnostics import Diagnostic, Diagnostics
from coprod_site.load.documents import ContentRoot
from coprod_site.load.record_file import FileLoad, RecordRules, load_record_file
from coprod_site.load.records import (
    PARALLEL_FROM,
    LoadedRecords,
    PlainLoad,
    from_plain,
    gather,
    plain,
    unchecked_term_fields,
)
from coprod_site.load.source_files import list_content_files, read_raw
from coprod_site.model import Output, Record, Site, Taxonomy, schemas
from coprod_site.parallel import map_parts

Signature = tuple[int, int, int, int]
SETTLED_NS = 1_000_000_000
"""A folder changed less than this long before it was listed may change again within the same
tick of its modification time: it is listed again next time."""


@dataclass(frozen=True, slots=True)
class _Known:
    """One record file as last loaded: its signature, what it was loaded against, the result."""

    signature: Signature
    context: str
    result: FileLoad


@dataclass(frozen=True, slots=True)
class LastSite:
    """The last site that loaded without errors, its plan and the shard size it was planned with."""

    site: Site
    outputs: tuple[Output, ...]
    shard_pages: int


class LoadMemo:
    """Record files' results and the last good site, kept between loads of one content folder."""

    def __init__(self) -> None:
        self._files: dict[PurePosixPath, _Known] = {}
        self._listing: tuple[dict[str, int], list[PurePosixPath], tuple[Diagnostic, ...]] | None = None
        self.last: LastSite | None = None
        self._checked: dict[tuple[str, str], tuple[Record, tuple[Diagnostic, ...]]] = {}

    def check_each(self, name: str, check: Callable[[Sequence[Record], Diagnostics], None],
                   records: Sequence[Record], diagnostics: Diagnostics) -> None:
        """`check` (named `name`, which names what it depends on besides the record) of each
        record, made again only for records that changed since the last load."""
        for record in records:
            known = self._checked.get((name, record.id))
            if known is None or known[0] is not record:
                found = Diagnostics()
                check([record], found)
                known = self._checked[(name, record.id)] = (record, tuple(found.items))
            diagnostics.items.extend(known[1])

    def list_files(self, content: Path, display: str, diagnostics: Diagnostics) -> list[PurePosixPath]:
        """What `source_files.list_content_files` returns (and reports), listed again only when a
        folder under `content` changed."""
        started, folders = time.time_ns(), _folder_times(os.fspath(content))
        if self._listing is not None and self._listing[0] == folders:
            diagnostics.items.extend(self._listing[2])
            return self._listing[1]
        found = Diagnostics()
        files = list_content_files(content, display, found)
        diagnostics.items.extend(found.items)
        settled = all(0 <= changed < started - SETTLED_NS for changed in folders.values())
        self._listing = (folders, files, tuple(found.items)) if settled else None
        return files

    def load_records(self, root: ContentRoot, files: Sequence[PurePosixPath], taxonomies: Sequence[Taxonomy],
                     broken: frozenset[str], *, today: date, diagnostics: Diagnostics,
                     workers: int = 1) -> LoadedRecords:
        """What `records.load_records` returns, parsing only the files changed since the last load."""
        context = digest(root.display, repr(tuple(taxonomies)), repr(sorted(broken)), today.isoformat())
        fields = (*schemas.record_fields(taxonomies), *unchecked_term_fields(broken))
        rules = RecordRules(root, fields, tuple(taxonomies), today)
        results: dict[PurePosixPath, FileLoad] = {}
        pending: list[tuple[PurePosixPath, bytes, Signature]] = []
        for rel in files:
            signature = _signature(root, rel)
            known = self._files.get(rel)
            if known is not None and known.signature == signature and known.context == context:
                results[rel] = known.result
                continue
            raw = read_raw(root.path, rel, root.display, diagnostics)
            if raw is not None:
                pending.append((rel, raw, signature))
        count = workers if len(pending) >= PARALLEL_FROM else 1
        parts = [pending[index::count] for index in range(count)]
        for part in map_parts(lambda part: _parse(rules, part), parts):
            for rel, signature, values in part:
                results[rel] = from_plain(values)
                self._files[rel] = _Known(signature, context, results[rel])
        for rel in self._files.keys() - set(files):
            del self._files[rel]
        loaded = gather([results[rel] for rel in files if rel in results], diagnostics)
        known_terms = len(results) == len(files) and all(  # as `records.terms_known` decides
            result.record is not None or result.used_terms for result in results.values())
        return LoadedRecords(loaded.records, loaded.used_terms, tuple(str(rel) for rel, _, _ in pending),
                             known_terms)


def _folder_times(top: str) -> dict[str, int]:
    """The modification time of every folder under `top` (-1 for one that could not be read)."""
    times: dict[str, int] = {}
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            times[folder] = os.stat(folder).st_mtime_ns
            with os.scandir(folder) as entries:
                stack.extend(entry.path for entry in entries if entry.is_dir(follow_symlinks=False))
        except OSError:
            times[folder] = -1
    return times


def _signature(root: ContentRoot, rel: PurePosixPath) -> Signature:
    """What tells a changed file from an unchanged one without reading it (zeros if it is gone)."""
    try:
        status = os.stat(f"{root.path}/{rel}")
    except OSError:
        return (0, 0, 0, 0)
    return (status.st_mtime_ns, status.st_ctime_ns, status.st_size, status.st_ino)


def _parse(rules: RecordRules, pending: Sequence[tuple[PurePosixPath, bytes, Signature]]
           ) -> list[tuple[PurePosixPath, Signature, PlainLoad]]:
    """Parse some record files (this may run in another process); plain tuples travel back fast."""
    return [(rel, signature, plain(load_record_file(rules, rel, raw))) for rel, raw, signature in pending]
