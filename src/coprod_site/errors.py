"""The small exception tree the CLI maps to exit codes (1 content problems, 2 usage)."""

from __future__ import annotations

import os
import shutil


def naming(error: OSError, path: object) -> OSError:
    """`error` with `path` as its file name when it has none (a failed write names no file)."""
    if error.filename is None:
        error.filename = os.fspath(path) if isinstance(path, os.PathLike) else str(path)
    return error


class CoprodError(Exception):
    """Base of every error the CLI reports without a traceback."""


class UsageError(CoprodError):
    """The command was called wrongly (a missing folder, a bad option): exit code 2."""


class BuildError(CoprodError):
    """The build could not finish (a tool failed, a template broke): exit code 1."""


def os_error_text(error: OSError) -> str:
    """An operating-system error as one line naming the path and the cause, such as
    `_site/index.html: No space left on device` (an OSError's own text names no operation)."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list) and error.args[0]:
        _, target, why = error.args[0][0]  # copytree gathers (source, target, reason) for each file
        return f"{target}: {_cause(why)}"
    cause = error.strerror or (os.strerror(error.errno) if error.errno else str(error))
    if error.filename is None:
        return cause
    return f"{os.fsdecode(error.filename)}: {cause}"


def _cause(why: str) -> str:
    """The reason copytree gives for one file, '[Errno 28] No space left on device: 'a' -> 'b'', as
    its cause alone: 'No space left on device'."""
    reason = why.split("] ", 1)[1] if why.startswith("[Errno") and "] " in why else why
    return reason.split(": ", 1)[0]
