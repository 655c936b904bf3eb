"""Diagnostics: every problem found in the content, where it is, and how to fix it.

Loading never stops at the first problem. Each step adds `Diagnostic`s to one `Diagnostics`
collector passed to it explicitly; the CLI prints them all at once, sorted by file and line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a problem is: errors stop a build, warnings only inform (unless --strict)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem: the file (as shown to editors), 1-based line and column, the field, a fix."""

    path: str
    line: int
    column: int
    severity: Severity
    field: str
    message: str
    hint: str = ""

    def headline(self) -> str:
        """The one-line form: `path:line:column: severity: field: message`."""
        return (
            f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.field}: {self.message}"
        )


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a file: the path shown to editors, a 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1


def count_of(diagnostics: Iterable[Diagnostic], severity: Severity) -> int:
    """How many of `diagnostics` have this severity: the one place problems are counted."""
    return sum(1 for item in diagnostics if item.severity is severity)


@dataclass
class Diagnostics:
    """Collects diagnostics from every loading step; the only mutable object of a load."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, where: Where, field_name: str, message: str, hint: str = "") -> None:
        """Record an error at `where` about `field_name`."""
        self._add(where, Severity.ERROR, field_name, message, hint)

    def warning(self, where: Where, field_name: str, message: str, hint: str = "") -> None:
        """Record a warning at `where` about `field_name`."""
        self._add(where, Severity.WARNING, field_name, message, hint)

    def _add(self, where: Where, severity: Severity, field_name: str, message: str, hint: str) -> None:
        self.items.append(
            Diagnostic(where.path, where.line, where.column, severity, field_name, message, hint)
        )

    def sorted(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic, sorted by file, line, column; duplicates removed."""
        return tuple(sorted(set(self.items)))

    @property
    def error_count(self) -> int:
        """How many errors have been recorded."""
        return count_of(self.items, Severity.ERROR)
