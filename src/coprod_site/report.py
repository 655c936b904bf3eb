"""Reports: print diagnostics as text for editors, GitHub annotations for CI, or JSON for tools."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TextIO

from coprod_site.diagnostics import Diagnostic, Severity, count_of


class Format(StrEnum):
    """The report formats `check` can write."""

    TEXT = "text"
    GITHUB = "github"
    JSON = "json"


def promote_warnings(diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    """The same diagnostics with every warning made an error (for --strict)."""
    return tuple(dataclasses.replace(item, severity=Severity.ERROR) for item in diagnostics)


def write_report(diagnostics: Sequence[Diagnostic], form: Format, out: TextIO, *,
                 summary: Path | None = None) -> None:
    """Write `diagnostics` to `out` in `form`; with GitHub format also append a job summary."""
    if form is Format.JSON:
        out.write(format_json(diagnostics) + "\n")
        return
    if form is Format.GITHUB:
        for item in diagnostics:
            out.write(format_annotation(item) + "\n")
        if summary is not None:
            with summary.open("a", encoding="utf-8") as handle:
                handle.write(format_summary_table(diagnostics))
    else:
        for item in diagnostics:
            out.write(format_text(item) + "\n")
    out.write(count_line(diagnostics) + "\n")


def format_text(item: Diagnostic) -> str:
    """`path:line:col: severity: field: message`, then the hint indented on its own line(s)."""
    hint = item.hint.replace("\n", "\n        ")
    return item.headline() + (f"\n  hint: {hint}" if hint else "")


def count_line(diagnostics: Sequence[Diagnostic]) -> str:
    """'2 errors, 1 warning' or 'no problems found'."""
    errors = count_of(diagnostics, Severity.ERROR)
    warnings = len(diagnostics) - errors
    if not diagnostics:
        return "no problems found"
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def format_annotation(item: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line in the pull request."""
    properties = ",".join(
        f"{name}={_escape_property(value)}"
        for name, value in (("file", item.path), ("line", str(item.line)), ("col", str(item.column)),
                            ("title", f"{item.field}"))
    )
    message = item.message + (f". Fix: {item.hint}" if item.hint else "")
    return f"::{item.severity} {properties}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_summary_table(diagnostics: Sequence[Diagnostic]) -> str:
    """A Markdown table of every problem, for the GitHub job summary."""
    lines = ["## Content check", "", count_line(diagnostics), ""]
    if diagnostics:
        lines += ["| File | Line | Severity | Field | Problem | Fix |", "|---|---|---|---|---|---|"]
        lines += [
            "| " + " | ".join(_cell(value) for value in (
                item.path, str(item.line), item.severity, item.field, item.message, item.hint)) + " |"
            for item in diagnostics
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def format_json(diagnostics: Sequence[Diagnostic]) -> str:
    """Every diagnostic as JSON, with the counts."""
    errors = count_of(diagnostics, Severity.ERROR)
    return json.dumps({
        "errors": errors,
        "warnings": len(diagnostics) - errors,
        "diagnostics": [dataclasses.asdict(item) for item in diagnostics],
    }, indent=2, ensure_ascii=False)
