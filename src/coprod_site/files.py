"""Content files: find every file under the content folder and read each one safely as text.

Nothing is followed out of the content folder: symbolic links are refused, files over 1 MB are
not read, and a file must be UTF-8 without NUL bytes. A UTF-8 byte-order mark and CRLF line
endings are accepted and normalised away, so line numbers match what editors see.
"""

from __future__ import annotations

import codecs
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coprod_site.diagnostics import Diagnostics, Where

MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class SourceText:
    """A content file's text, with its path relative to the content folder and as displayed."""

    rel: PurePosixPath
    display: str
    text: str


def list_content_files(root: Path, display_root: str, diagnostics: Diagnostics) -> list[PurePosixPath]:
    """Every regular file under `root`, relative and sorted; symbolic links are reported, not followed."""
    found: list[PurePosixPath] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(name for name in dirnames if not name.startswith("."))
        for name in [*dirnames, *filenames]:
            rel = PurePosixPath((here / name).relative_to(root).as_posix())
            if (here / name).is_symlink():
                _report_symlink(root, rel, display_root, diagnostics)
            elif name in filenames and not name.startswith("."):
                found.append(rel)
    return sorted(found)


def _report_symlink(root: Path, rel: PurePosixPath, display_root: str, diagnostics: Diagnostics) -> None:
    target = (root / rel).resolve()
    outside = not target.is_relative_to(root.resolve())
    where = "outside the content folder" if outside else "inside the content folder"
    diagnostics.error(
        Where(f"{display_root}/{rel}"),
        "file",
        f"is a symbolic link to a path {where}; links are not followed",
        "replace the link with the file itself",
    )


def read_source(root: Path, rel: PurePosixPath, display_root: str,
                diagnostics: Diagnostics) -> SourceText | None:
    """Read one content file as text, or report why it cannot be read and return None."""
    display = f"{display_root}/{rel}"
    path = root / rel
    size = path.lstat().st_size
    if size > MAX_FILE_BYTES:
        diagnostics.error(
            Where(display), "file", f"is {size:,} bytes; the limit is 1 MB",
            "split the text or link to the source instead of copying it",
        )
        return None
    raw = path.read_bytes()
    text = _decode(raw, display, diagnostics)
    if text is None:
        return None
    return SourceText(rel, display, text.replace("\r\n", "\n"))


def _decode(raw: bytes, display: str, diagnostics: Diagnostics) -> str | None:
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    nul = raw.find(b"\x00")
    if nul >= 0:
        line, column = _position(raw, nul)
        diagnostics.error(
            Where(display, line, column), "file", "contains a NUL byte",
            "save the file as plain UTF-8 text",
        )
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        line, column = _position(raw, problem.start)
        diagnostics.error(
            Where(display, line, column), "file", "is not valid UTF-8 text",
            "save the file with UTF-8 encoding",
        )
        return None


def _position(raw: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    return raw.count(b"\n", 0, offset) + 1, column
