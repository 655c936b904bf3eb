"""The output folder: build into a fresh folder beside it, then swap it in at once.

A failed or interrupted build leaves the previous site untouched, and no stale file survives
a successful one. A marker file identifies folders made by us, so a mistyped `--out` can never
replace a folder of someone else's; a complete earlier build that lacks it (one a crash left
without its marker) is recognised by its built-in pages and replaced too.

Every build writes into a folder of its own, `.<name>.building-<pid>-<random>`, and (holding the
build lock, see `build_guard`) first removes what dead builds left beside the output folder.
The swap exchanges the finished folder with the published one in one step (`renameat2` with
`RENAME_EXCHANGE`, on Linux), so the published path always holds a complete build. Where that
call is missing, two renames are used instead; a build killed between them leaves the previous
site at `.<name>.previous`, which the next build puts back before anything else.

`write_file` and `replace_file` (a temporary name, then a rename: a reader sees the old file or
the new, never half) are the dev server's writes into the folder it serves in place.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import os
import secrets
import shutil
from pathlib import Path

from coprod_site.build_guard import fault_point
from coprod_site.errors import UsageError, naming

MARKER = ".coprod-site"
_MARKER_TEXT = "This folder is written by coprod-site build and replaced on every build.\n"
_BUILT_IN_PAGES = ("index.html", "404.html", "robots.txt", "sitemap.xml")
"""Pages every build writes at its root: a folder holding them all is a build of ours."""
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def check_target(out: Path, *, protected: tuple[Path, ...], working_folder: Path) -> None:
    """Refuse an output folder that holds our sources, is the working folder or the home folder,
    or is not a previous build of ours."""
    resolved = out.resolve()
    for folder in protected:
        if folder.resolve().is_relative_to(resolved):
            raise UsageError(f"refusing to build into {out}: it contains {folder}")
    if resolved == working_folder.resolve() or resolved == Path.home().resolve():
        raise UsageError(f"refusing to build into {out}: choose a folder of its own, such as _site")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not is_a_build(out))):
        raise UsageError(f"refusing to replace {out}: it was not made by coprod-site build")


def is_a_build(folder: Path) -> bool:
    """True for a folder made by `build`: it has the marker, or every built-in page."""
    return (folder / MARKER).is_file() or all((folder / page).is_file() for page in _BUILT_IN_PAGES)


def clear_leftovers(out: Path) -> None:
    """Undo what a dead build left beside `out`: put back a previous site that a fallback swap
    had moved aside, and remove every build folder. Call it only while holding the build lock."""
    previous = _previous(out)
    if previous.is_dir() and not out.exists():
        previous.rename(out)
    for leftover in out.parent.glob(f".{glob.escape(out.name)}.building*"):
        shutil.rmtree(leftover)
    if os.path.lexists(previous):
        _remove(previous)


def fresh_folder(out: Path) -> Path:
    """A new, empty build folder of this build's own next to `out`, holding only the marker."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        write_file(staging / MARKER, _MARKER_TEXT.encode("utf-8"))
    except BaseException:
        discard(staging)
        raise
    return staging


def swap_in(staging: Path, out: Path, *, exchange: bool = True) -> None:
    """Replace `out` with the finished `staging` folder: by one atomic exchange where the system
    has it (unless `exchange` is false), else by two renames; then remove the old site."""
    fault_point("swap-start")
    if not os.path.lexists(out):
        staging.rename(out)
    elif exchange and _exchange(staging, out):
        fault_point("swap-exchanged")
        _remove(staging)  # the old site, now at the build folder's name
    else:
        _swap_by_renames(staging, out)
    fault_point("swap-done")


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two paths in one step; False where the system or file system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _swap_by_renames(staging: Path, out: Path) -> None:
    previous = _previous(out)
    if os.path.lexists(previous):
        _remove(previous)
    out.rename(previous)
    fault_point("swap-moved-aside")
    staging.rename(out)
    _remove(previous)


def _remove(folder: Path) -> None:
    """Remove a replaced site: a folder, or a symbolic link that stood for one (never its target)."""
    if folder.is_symlink():
        folder.unlink()
    else:
        shutil.rmtree(folder)


def _previous(out: Path) -> Path:
    return out.parent / f".{out.name}.previous"


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC


def write_file(path: Path | str, data: bytes) -> None:
    """Write `data` to `path`; an OSError (a full disk, say) names `path`. A build writes tens of
    thousands of files, so a plain string path is taken as it is, with no `Path` made for it, and
    written by the three system calls it needs (`open()` adds a stat, a seek and a terminal check)."""
    try:
        handle = os.open(path, _NEW_FILE, 0o666)
        try:
            left = memoryview(data)
            while left:
                left = left[os.write(handle, left):]
        finally:
            os.close(handle)
    except OSError as error:
        raise naming(error, path) from None


def replace_file(path: Path, data: bytes) -> None:
    """Write `data` to a temporary name beside `path`, then rename it over `path`: a reader gets
    the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException as error:  # an interrupt too: no temporary file is left behind
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise naming(error, temporary) from None
        raise


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
    """Remove a build folder after a failed build."""
    shutil.rmtree(staging, ignore_errors=True)
