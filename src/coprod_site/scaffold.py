"""Scaffolding for editors: `coprod-site new` writes a new record with every field under a comment.

The text is `model.new_record_text`, derived from `schemas.record_fields`, the very list the
validator reads (as is the JSON Schema), so the template written by `coprod-site new`, the
schema printed by `coprod-site schema` and the checks made by `coprod-site check` cannot drift
apart. The taxonomies' term ids come from the content folder, read by the same loader as `check`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath

from coprod_site.diagnostics import Diagnostics
from coprod_site.errors import UsageError
from coprod_site.load import ContentRoot, display_path, load_taxonomies
from coprod_site.model import SLUG, Taxonomy, new_record_text, slug_hint

__all__ = ["new_record_text", "read_taxonomies", "write_new_record"]

def read_taxonomies(content: Path, *, display_root: Path) -> tuple[Taxonomy, ...]:
    """The taxonomies of a content folder, loaded as `check` loads them; problems are a UsageError
    (paths in messages are shown relative to `display_root`)."""
    if not content.is_dir():
        raise UsageError(f"content folder not found: {content}")
    folder = content / "taxonomies"
    files = sorted(PurePosixPath(f"taxonomies/{path.name}") for path in folder.glob("*.yml")
                   if path.is_file()) if folder.is_dir() else []
    diagnostics = Diagnostics()
    root = ContentRoot(content, display_path(content, display_root))
    taxonomies, _ = load_taxonomies(root, files, diagnostics)
    if diagnostics.error_count:
        raise UsageError(f"the taxonomies in {display_path(folder, display_root)} have "
                         f"{diagnostics.error_count} problem(s); run 'coprod-site check' to see them")
    return taxonomies


def write_new_record(content: Path, record_id: str, today: date, *, display_root: Path) -> Path:
    """Write content/evidence/<id>.md from the template; never overwrite an existing record."""
    if not SLUG.fullmatch(record_id):
        raise UsageError(f"'{record_id}' is not a valid record id: {slug_hint(record_id)}")
    taxonomies = read_taxonomies(content, display_root=display_root)
    evidence = content / "evidence"
    for existing in evidence.rglob("*.md") if evidence.is_dir() else ():
        if existing.stem.casefold() == record_id:
            shown = display_path(existing, display_root)
            raise UsageError(f"{shown} already exists: edit it, or choose another id")
    target = evidence / f"{record_id}.md"
    evidence.mkdir(exist_ok=True)
    with target.open("x", encoding="utf-8", newline="\n") as handle:
        handle.write(new_record_text(record_id, today=today, taxonomies=taxonomies))
    return target
