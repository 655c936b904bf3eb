"""The project folder: where content/, templates/ and _site/ are, found as git finds .git.

Without `--content`, the project is the working folder or the nearest folder above it that
holds content/site.yml, so every command works from any folder inside the project; the other
folders (templates/, _site/, caches) default to places in it. With `--content`, those defaults
stay relative to the working folder, as they always were.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from coprod_site.errors import UsageError

__all__ = ["MARKER", "Project", "find_project"]

MARKER = Path("content") / "site.yml"
"""The file that marks a project's folder."""


@dataclass(frozen=True, slots=True)
class Project:
    """A project: its folder (as short a path as possible) and its content folder."""

    root: Path
    content: Path

    def path(self, given: Path | None, default: str | Path) -> Path:
        """`given` when a flag gave it, else `default` inside the project folder."""
        return given if given is not None else self.root / default


def find_project(content: Path | None, *, start: Path) -> Project:
    """The project of `--content`, or the one found from `start` upwards; a UsageError if none."""
    if content is not None:
        if not content.is_dir():
            raise UsageError(f"content folder not found: {content} "
                             "(--content names the folder that holds site.yml)")
        return Project(Path(), content)
    for folder in (start, *start.parents):
        if (folder / MARKER).is_file():
            root = _short(folder, start)
            return Project(root, root / "content")
    raise UsageError(f"no project found: neither {start} nor any folder above it holds {MARKER.as_posix()}. "
                     "Run the command inside the project's folder, or pass --content with the path "
                     "of the content folder (the folder that holds site.yml)")


def _short(folder: Path, start: Path) -> Path:
    """`folder` relative to `start` ('.', '..', '../..') when that is possible, else absolute."""
    try:
        return Path(os.path.relpath(folder, start))
    except ValueError:  # another drive on Windows
        return folder
