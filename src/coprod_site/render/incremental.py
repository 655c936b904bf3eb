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
import shutil
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import jinja2

from coprod_site.build_cache import digest
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
from coprod_site.output_folder import replace_file
from coprod_site.parallel import map_shared
from coprod_site.render.kinds import KINDS, MadeFrom
from coprod_site.render.output_keys import SUMMARY_FIELDS, KeyMaker, Known
from coprod_site.render.site import ASSETS_FOLDER, batch_jobs, make_output
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
    env: jinja2.Environment | None = None
    """The templates' environment (its compiled templates), reused while the templates are unchanged."""
    index: PlanIndex | None = None
    """The plan by URL and by kind, reused while the plan is unchanged."""


@dataclass(frozen=True, slots=True)
class PlanIndex:
    """One plan's outputs by URL and by kind."""

    by_url: Mapping[str, Output]
    by_kind: Mapping[OutputKind, tuple[Output, ...]]

    @classmethod
    def of(cls, plan: Sequence[Output]) -> PlanIndex:
        """The index of `plan`."""
        by_kind: dict[OutputKind, list[Output]] = {}
        for output in plan:
            by_kind.setdefault(output.kind, []).append(output)
        return cls({output.url: output for output in plan},
                   {kind: tuple(items) for kind, items in by_kind.items()})


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
    return Rendered(site, tuple(plan), keys, salt, maker.frame, known, index=PlanIndex.of(plan))


def render_changes(before: Rendered, site: Site, plan: Sequence[Output], templates: Path, target: Path,
                   *, salt: str, workers: int = 1, defer: frozenset[OutputKind] = frozenset()) -> Changes:
    """Bring `target`, which holds `before`, up to `site`, leaving outputs of the kinds in `defer`
    to the caller: see the module docstring."""
    env = before.env if before.env is not None and salt == before.salt else make_environment(templates)
    plan = tuple(plan)
    index = before.index if before.index is not None and plan is before.plan else PlanIndex.of(plan)
    maker = KeyMaker(site, lambda *parts: digest(salt, *parts), known=before.known)
    everything = salt != before.salt or maker.frame != before.frame
    keys = dict(before.keys)
    stale = []
    for output in _candidates(before, site, plan, index, everything=everything):
        key = maker.key(output)
        if keys.get(output.url) != key:
            keys[output.url] = key
            stale.append(output)
    removed = _remove_unplanned(before.plan, plan, target, keys)
    now = [output for output in stale if output.kind not in defer]
    map_shared(lambda outputs: Writer(site, plan, templates, env=env).write(outputs, target),
               batch_jobs(now), workers if len(now) >= PARALLEL_FROM else 1)
    if salt != before.salt:
        sync_assets(templates / ASSETS_FOLDER, target / urls.ASSETS_URL)
    rendered = Rendered(site, plan, keys, salt, maker.frame, before.known, env, index)
    return Changes(tuple(now), removed, rendered, tuple(output for output in stale if output.kind in defer))


def _candidates(before: Rendered, site: Site, plan: tuple[Output, ...], index: PlanIndex, *,
                everything: bool) -> Iterator[Output]:
    """The outputs of `plan` whose key may differ from `before`'s (all of them if `everything`;
    an output may come twice). When the changed records differ only in their bodies, that is
    their own pages."""
    if everything:
        yield from (output for output in plan if KINDS[output.kind].make is not None)
        return
    if plan is not before.plan:
        yield from (output for output in plan if output.url not in before.keys and KINDS[output.kind].make)
    old = before.site
    changed = {record.id for record in site.records if old.records_by_id.get(record.id) is not record}
    changed |= old.records_by_id.keys() - site.records_by_id.keys()
    shown = _changed_fields(old, site, changed)
    body_only = shown <= {"body"}
    showing = changed if body_only else _showing_records(old, site, changed)
    lists: dict[int, bool] = {}
    for kind, outputs in index.by_kind.items():
        rule = KINDS[kind]
        if rule.make is None or rule.made_from is MadeFrom.NO_RECORD:
            continue
        if rule.made_from in (MadeFrom.ITS_RECORD, MadeFrom.ITS_RECORD_AND_RELATED):
            yield from (output for output in outputs if output.about(RecordRef).record_id in showing)
        elif body_only:  # only a record's own page shows its body
            continue
        elif kind in SUMMARY_FIELDS:
            if not shown.isdisjoint({*SUMMARY_FIELDS[kind], _EVERY_FIELD}):
                yield from outputs
        elif rule.made_from is MadeFrom.EVERY_RECORD:
            yield from outputs
        else:
            yield from (output for output in outputs if _list_changed(old, site, output, changed, lists))


def _showing_records(old: Site, site: Site, changed: set[str]) -> set[str]:
    """The records whose pages show a changed record: themselves, the records listing one of them
    as related (before or now), and those whose related records are no longer the same."""
    showing = set(changed)
    for record_id, related in site.related.items():
        if not changed.isdisjoint(related) or (site.related is not old.related
                                               and related != old.related.get(record_id, ())):
            showing.add(record_id)
    showing.update(record_id for record_id, related in old.related.items() if not changed.isdisjoint(related))
    return showing


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

    def __init__(self, site: Site, plan: Sequence[Output], templates: Path, *,
                 env: jinja2.Environment | None = None) -> None:
        self.env = env or make_environment(templates)
        self.context = ViewContext(site, MarkdownRenderer(), plan)
        self.planned = frozenset(output.url for output in plan)

    def write(self, outputs: Iterable[Output], target: Path) -> int:
        """Render `outputs` into `target` (this may run in another process); returns how many."""
        count = 0
        for output in outputs:
            replace_file(target / output.path, make_output(self.env, self.context, output).encode("utf-8"))
            count += 1
        return count


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
