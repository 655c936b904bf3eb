"""The small exception tree the CLI maps to exit codes (1 content problems, 2 usage)."""

from __future__ import annotations


class CoprodError(Exception):
    """Base of every error the CLI reports without a traceback."""


class UsageError(CoprodError):
    """The command was called wrongly (a missing folder, a bad option): exit code 2."""


class BuildError(CoprodError):
    """The build could not finish (a tool failed, a template broke): exit code 1."""
