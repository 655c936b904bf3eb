"""The output folder: build into a fresh folder beside it, then swap it in.

A failed or interrupted build leaves the previous site untouched, and no stale file survives
a successful one. A marker file identifies folders made by us, so a mistyped `--out` can never
replace a folder of someone else's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from coprod_site.errors import UsageError

MARKER = ".coprod-site"
_MARKER_TEXT = "This folder is written by coprod-site build and replaced on every build.\n"


def check_target(out: Path, *, protected: tuple[Path, ...], working_folder: Path) -> None:
    """Refuse an output folder that holds our sources, is the working folder or the home folder,
    or is not a previous build of ours."""
    resolved = out.resolve()
    for folder in protected:
        if folder.resolve().is_relative_to(resolved):
            raise UsageError(f"refusing to build into {out}: it contains {folder}")
    if resolved == working_folder.resolve() or resolved == Path.home().resolve():
        raise UsageError(f"refusing to build into {out}: choose a folder of its own, such as _site")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).is_file())):
        raise UsageError(f"refusing to replace {out}: it was not made by coprod-site build")


def fresh_folder(out: Path) -> Path:
    """An empty staging folder next to `out` (any leftover from an interrupted build is removed)."""
    staging = out.parent / f".{out.name}.building"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    (staging / MARKER).write_text(_MARKER_TEXT, encoding="utf-8")
    return staging


def swap_in(staging: Path, out: Path) -> None:
    """Replace `out` with the finished `staging` folder."""
    previous = out.parent / f".{out.name}.previous"
    if previous.exists():
        shutil.rmtree(previous)
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if previous.exists():
        shutil.rmtree(previous)


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """Place `source` at `target` as a hard link, or as a copy on a file system without them.
    A missing `source` raises FileNotFoundError."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


def discard(staging: Path) -> None:
    """Remove a staging folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)
