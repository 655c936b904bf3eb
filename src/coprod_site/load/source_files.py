"""Content files: find every file under the content folder and read each one safely as text.

Nothing is followed out of the content folder: symbolic links and anything but regular files
are refused, files over 1 MB are not read, and a file (and its name) must be UTF-8 without NUL
bytes. A UTF-8 byte-order mark and CRLF line endings are accepted and normalised away, so line
numbers match what editors see; a carriage return on its own is refused. Editors' backup and
temporary files (`x.md~`, `.x.md.swp`, `#x.md#`, `.DS_Store`, `Thumbs.db`...) are skipped with a
warning that names them; other hidden files and folders are skipped silently.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from coprod_site.diagnostics import Diagnostics, Where

MAX_FILE_BYTES = 1_000_000
EDITOR_FILES = ("*~", ".*.sw?", "#*#", ".#*", ".DS_Store", "Thumbs.db", "desktop.ini")
"""Names of files that editors and file managers leave beside the ones being edited."""


@dataclass(frozen=True, slots=True)
class SourceText:
    """A content file's text, with its path relative to the content folder and as displayed."""

    rel: PurePosixPath
    display: str
    text: str


def list_content_files(root: Path, display_root: str, diagnostics: Diagnostics) -> list[PurePosixPath]:
    """Every regular file under `root`, relative and sorted; symbolic links are reported, not followed."""
    found: list[PurePosixPath] = []
    _scan(root, root, PurePosixPath(), display_root, diagnostics, found)
    return sorted(found)


def _scan(root: Path, folder: Path | str, rel_folder: PurePosixPath, display_root: str,
          diagnostics: Diagnostics, found: list[PurePosixPath]) -> None:
    """One folder of `list_content_files` (os.scandir: the directory entries carry their types)."""
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda item: item.name):
            is_folder = entry.is_dir(follow_symlinks=False)
            if is_folder and entry.name.startswith("."):
                continue
            rel = rel_folder / entry.name
            if not _printable_name(rel, display_root, diagnostics):
                continue
            if not is_folder and any(fnmatch.fnmatchcase(entry.name, name) for name in EDITOR_FILES):
                diagnostics.warning(Where(f"{display_root}/{rel}"), "file",
                                    "is an editor's backup or temporary file, so it is ignored",
                                    "delete it once the editor is closed; it is never published")
            elif entry.is_symlink():
                _report_symlink(root, rel, display_root, diagnostics)
            elif is_folder:
                _scan(root, entry.path, rel, display_root, diagnostics, found)
            elif not entry.name.startswith(".") and _regular_file(
                    entry.is_file(follow_symlinks=False), f"{display_root}/{rel}", diagnostics):
                found.append(rel)


def _printable_name(rel: PurePosixPath, display_root: str, diagnostics: Diagnostics) -> bool:
    """False (and an error) for a name whose bytes are not UTF-8: it could not even be printed."""
    try:
        str(rel).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(str(rel)).decode("utf-8", errors="replace")
        diagnostics.error(Where(f"{display_root}/{shown}"), "file name", "is not valid UTF-8",
                          "rename the file using plain letters, digits and hyphens")
        return False
    return True


def _regular_file(is_file: bool, display: str, diagnostics: Diagnostics) -> bool:
    """Pipes, sockets and devices are refused: reading one could block or never end."""
    if is_file:
        return True
    diagnostics.error(Where(display), "file", "is not a regular file",
                      "replace it with an ordinary text file")
    return False


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
    raw = read_raw(root, rel, display_root, diagnostics)
    return None if raw is None else source_from_bytes(rel, display_root, raw, diagnostics)


def read_raw(root: Path, rel: PurePosixPath, display_root: str, diagnostics: Diagnostics) -> bytes | None:
    """A content file's bytes, or None (reported) when it is too large or cannot be read."""
    return _read_bytes(root / rel, f"{display_root}/{rel}", diagnostics)


def source_from_bytes(rel: PurePosixPath, display_root: str, raw: bytes,
                      diagnostics: Diagnostics) -> SourceText | None:
    """A content file's bytes as text, or None (reported) when they are not clean UTF-8 text."""
    display = f"{display_root}/{rel}"
    text = _decode(raw, display, diagnostics)
    if text is None:
        return None
    text = _line_feeds(text, display, diagnostics)
    return None if text is None else SourceText(rel, display, text)


def _line_feeds(text: str, display: str, diagnostics: Diagnostics) -> str | None:
    """CRLF becomes LF; a CR on its own (old Mac line endings, pasted text) is refused."""
    text = text.replace("\r\n", "\n")
    lone_cr = text.find("\r")
    if lone_cr < 0:
        return text
    line_start = text.rfind("\n", 0, lone_cr) + 1
    diagnostics.error(
        Where(display, text.count("\n", 0, lone_cr) + 1, lone_cr - line_start + 1), "file",
        "has a carriage return (CR) that is not followed by a line feed",
        "save the file with LF (Unix) or CRLF (Windows) line endings",
    )
    return None


def _read_bytes(path: Path, display: str, diagnostics: Diagnostics) -> bytes | None:
    try:
        size = path.lstat().st_size
        if size > MAX_FILE_BYTES:
            diagnostics.error(
                Where(display), "file", f"is {size:,} bytes; the limit is 1 MB",
                "split the text or link to the source instead of copying it",
            )
            return None
        return path.read_bytes()
    except OSError as problem:
        reason = (problem.strerror or "unknown error").lower()
        diagnostics.error(Where(display), "file", f"could not be read ({reason})",
                          "check that the file exists and that you may read it")
        return None


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
