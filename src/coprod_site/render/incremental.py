"""Render in place: bring a folder that holds one version of the site up to the next version.

`Rendered` is what a folder holds: the site and plan it was rendered from, and each output's
key (`output_keys`, kept in memory: no build cache is needed). `render_changes` works out which
outputs may have changed (those made from a changed record, from a record whose related records
changed, from a list whose records changed, and the pages made from every record; all of them
when the frame, the templates or the generator changed), computes their keys and renders only
the outputs whose key differs, each written to a temporary name and renamed, so a reader never
gets half a file. Outputs no longer planned are removed; the assets are brought in line.

Outputs of the kinds in `DEFERRABLE` (downloads, feeds, the sitemap and the open-data page, which
an editor checking an edit does not look at, and which take longest) may be left to the caller,
which renders them later with a `Writer`.
"""

from __future__ import annotations

import filecmp
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

from coprod_site.build_cache import digest
from coprod_site.errors import naming
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import (
    CitationsOf,
    Output,
    OutputKind,
    Paged,
    Record,
    RecordRef,
    Site,
    records_of,
    urls,
)
from coprod_site.parallel import map_parts
from coprod_site.render.kinds import KINDS, MadeFrom
from coprod_site.render.output_keys import SUMMARY_FIELDS, KeyMaker, Known
from coprod_site.render.site import ASSETS_FOLDER, make_output, split_jobs
from coprod_site.render.templates import make_environment
from coprod_site.views import ViewContext

PARALLEL_FROM = 100
"""Below this many outputs to render, starting processes costs more than it saves."""
DEFERRABLE = frozenset({OutputKind.CITATIONS, OutputKind.DATA_FILE, OutputKind.DATA, OutputKind.FEED,
                        OutputKind.SITEMAP})
"""Kinds `render_changes` can leave for later (see the module docstring)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """What an output folder holds: the site and plan it was made from, each output's key (by
    URL) and the salt of those keys (the generator and the templates)."""

    site: Site
    plan: tuple[Output, ...]
    keys: Mapping[str, str]
    salt: str
    frame: str
    """The digest of the site's frame (site.yml, the taxonomies, the prose pages)."""
    known: Known = field(default_factory=dict)
    """Each record's listed digest, reused by the next version's keys."""


@dataclass(frozen=True, slots=True)
class Changes:
    """What `render_changes` did: the outputs it rendered, the paths it removed, and what the
    folder holds now."""

    written: tuple[Output, ...]
    removed: tuple[str, ...]
    rendered: Rendered
    deferred: tuple[Output, ...] = ()
    """Outputs whose key changed but which were left for the caller to write."""


def rendered_as_built(site: Site, plan: Sequence[Output], *, salt: str) -> Rendered:
    """What a folder that `render_site` made from `site` holds (every output's key)."""
    known: Known = {}
    maker = KeyMaker(site, lambda *parts: digest(salt, *parts), known=known)
    keys = {output.url: maker.key(output) for output in plan if KINDS[output.kind].make is not None}
    return Rendered(site, tuple(plan), keys, salt, maker.frame, known)


def render_changes(before: Rendered, site: Site, plan: Sequence[Output], templates: Path, target: Path,
                   *, salt: str, workers: int = 1, defer: frozenset[OutputKind] = frozenset()) -> Changes:
    """Bring `target`, which holds `before`, up to `site`, leaving outputs of the kinds in `defer`
    to the caller: see the module docstring."""
    make_environment(templates)  # a missing templates folder fails here, before anything is written
    maker = KeyMaker(site, lambda *parts: digest(salt, *parts), known=before.known)
    everything = salt != before.salt or maker.frame != before.frame
    keys = dict(before.keys)
    stale = []
    for output in _candidates(before, site, plan, everything=everything):
        key = maker.key(output)
        if keys.get(output.url) != key:
            keys[output.url] = key
            stale.append(output)
    removed = _remove_unplanned(before.plan, plan, target, keys)
    now = [output for output in stale if output.kind not in defer]
    parts = split_jobs(now, workers if len(now) >= PARALLEL_FROM else 1)
    map_parts(lambda part: Writer(site, plan, templates).write(part, target), parts)
    if salt != before.salt:
        sync_assets(templates / ASSETS_FOLDER, target / urls.ASSETS_URL)
    return Changes(tuple(now), removed, Rendered(site, tuple(plan), keys, salt, maker.frame, before.known),
                   tuple(output for output in stale if output.kind in defer))


def _candidates(before: Rendered, site: Site, plan: Sequence[Output], *,
                everything: bool) -> Iterator[Output]:
    """The outputs of `plan` whose key may differ from `before`'s (all of them if `everything`).
    When the changed records differ only in their bodies, that is their own pages."""
    old = before.site
    changed = {record.id for record in site.records if old.records_by_id.get(record.id) is not record}
    changed |= old.records_by_id.keys() - site.records_by_id.keys()
    shown = _changed_fields(old, site, changed)
    lists: dict[int, bool] = {}
    for output in plan:
        rule = KINDS[output.kind]
        if rule.make is None:
            continue
        if everything or output.url not in before.keys:
            yield output
        elif shown <= {"body"}:
            if output.kind is OutputKind.RECORD and output.about(RecordRef).record_id in changed:
                yield output
        elif output.kind in SUMMARY_FIELDS:
            if not shown.isdisjoint({*SUMMARY_FIELDS[output.kind], _EVERY_FIELD}):
                yield output
        elif rule.made_from is MadeFrom.EVERY_RECORD:
            yield output
        elif rule.made_from in (MadeFrom.ITS_RECORD, MadeFrom.ITS_RECORD_AND_RELATED):
            record_id = output.about(RecordRef).record_id
            related = site.related.get(record_id, ())
            if record_id in changed or (rule.made_from is MadeFrom.ITS_RECORD_AND_RELATED and (
                    related != old.related.get(record_id, ()) or not changed.isdisjoint(related))):
                yield output
        elif rule.made_from is MadeFrom.ITS_RECORDS and _list_changed(old, site, output, changed, lists):
            yield output


_EVERY_FIELD = "*"
"""Stands for every field of a record that came or went."""
_RECORD_FIELDS = tuple(item.name for item in fields(Record))
_NOT_SHOWN = frozenset({"lines", "body_line"})
"""Record fields no output shows (where the fields were written, for messages)."""


def _changed_fields(old: Site, site: Site, changed: set[str]) -> frozenset[str]:
    """The fields that differ between the old and new versions of the `changed` records, shown
    ones only (`_EVERY_FIELD` when a record came or went)."""
    names: set[str] = set()
    for record_id in changed:
        was, now = old.records_by_id.get(record_id), site.records_by_id.get(record_id)
        if was is None or now is None:
            return frozenset({_EVERY_FIELD})
        names.update(name for name in _RECORD_FIELDS if getattr(was, name) != getattr(now, name))
    return frozenset(names - _NOT_SHOWN)


def _list_changed(old: Site, site: Site, output: Output, changed: set[str], seen: dict[int, bool]) -> bool:
    """Whether the records `output` is made from may differ between `old` and `site`."""
    subject = output.subject.of if isinstance(output.subject, Paged) else output.subject
    if isinstance(subject, CitationsOf) and isinstance(subject.scope, RecordRef):
        return subject.scope.record_id in changed
    records = records_of(site, subject)
    if records is None:
        return True
    if id(records) not in seen:
        before = records_of(old, subject) or ()
        seen[id(records)] = records is not before and (
            len(records) != len(before) or any(record.id in changed for record in (*records, *before))
            or any(new.id != was.id for new, was in zip(records, before, strict=True)))
    return seen[id(records)]


def _remove_unplanned(before: Sequence[Output], plan: Sequence[Output], target: Path,
                      keys: dict[str, str]) -> tuple[str, ...]:
    """Remove the files (and search bundles) of outputs no longer planned, and empty folders."""
    planned = {output.url for output in plan}
    gone = [output for output in before if output.url not in planned]
    for output in gone:
        keys.pop(output.url, None)
        path = target / output.path
        if output.kind is OutputKind.FILE and output.url.endswith("/"):
            shutil.rmtree(target / output.url, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        _remove_empty_folders(path.parent, target)
    return tuple(output.path for output in gone)


def _remove_empty_folders(folder: Path, root: Path) -> None:
    while folder != root and folder.is_relative_to(root):
        try:
            folder.rmdir()
        except OSError:  # not empty (or already gone with its parent)
            return
        folder = folder.parent


class Writer:
    """Renders outputs of one version of the site, each written whole (`replace_file`); what
    views share (open data, citation entries) is made once per writer."""

    def __init__(self, site: Site, plan: Sequence[Output], templates: Path) -> None:
        self.env = make_environment(templates)
        self.context = ViewContext(site, MarkdownRenderer(), plan)
        self.planned = frozenset(output.url for output in plan)

    def write(self, outputs: Sequence[Output], target: Path) -> int:
        """Render `outputs` into `target` (this may run in another process); returns how many."""
        for output in outputs:
            replace_file(target / output.path, make_output(self.env, self.context, output).encode("utf-8"))
        return len(outputs)


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary name beside `path`, then rename it over `path`: a reader gets
    the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise naming(error, temporary) from None


def sync_assets(source: Path, target: Path) -> None:
    """Make `target` hold exactly the files of `source`, replacing only those that differ."""
    wanted = {path.relative_to(source) for path in source.rglob("*") if path.is_file()}
    for rel in sorted(wanted):
        if not (target / rel).is_file() or not filecmp.cmp(source / rel, target / rel, shallow=False):
            replace_file(target / rel, (source / rel).read_bytes())
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_file() and path.relative_to(target) not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
