"""The words of the command line's help: each command's purpose, what it does, and examples.

Kept apart from `cli` so the help reads as one text; `coprod-site --help` and
`coprod-site <command> --help` print it with the line breaks written here.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from enum import IntEnum

__all__ = ["COMMANDS", "MAIN", "Verbosity", "Words", "formatter"]


class Verbosity(IntEnum):
    """How much a command prints: problems only, the usual summary, or timings too."""

    QUIET = -1
    NORMAL = 0
    VERBOSE = 1


@dataclass(frozen=True, slots=True)
class Words:
    """A command's one-line purpose, its description and its epilog (examples)."""

    purpose: str
    description: str
    epilog: str


def formatter(prog: str) -> argparse.HelpFormatter:
    """Keep the line breaks of the descriptions and examples as written."""
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32, width=100)


_FOLDERS = """\
The project folder is found as git finds its own: the working folder or the nearest folder
above it that holds content/site.yml. So commands work from any folder inside the project;
templates/ and _site/ default to folders in it. Pass --content to name the content folder
instead (the other folders then default to the working folder)."""

MAIN = Words(
    purpose="build, check and preview the Co-production Impact and Evidence library",
    description="Build, check and preview the Co-production Impact and Evidence library: a website of\n"
                "evidence records written as Markdown files with a few 'field: value' lines at the top.",
    epilog=f"""\
examples:
  coprod-site new community-garden-study   start a record: content/evidence/community-garden-study.md
  coprod-site check                        report every problem in the content, with how to fix it
  coprod-site serve                        preview on http://127.0.0.1:8000/, rebuilt on every save
  coprod-site build                        build the whole site into _site/

Run 'coprod-site <command> --help' for a command's options and their defaults.

{_FOLDERS}

Exit codes: 0 success, 1 content problems or a failed build, 2 wrong usage.""")

COMMANDS = {
    "check": Words(
        purpose="report every problem in the content, with a fix for each",
        description="Read every content file and report every problem at once, each with its file, line\n"
                    "and a hint saying how to fix it. Nothing is written.",
        epilog="""\
examples:
  coprod-site check                   check the content of the project you are in
  coprod-site check --strict          also fail on warnings (as CI does)
  coprod-site check --links           also check every link of the site built into _site/
  coprod-site check --format json     the same report for other tools"""),
    "new": Words(
        purpose="start a new evidence record with every field listed and explained",
        description="Write content/evidence/<id>.md with every field present, each under a comment\n"
                    "that says what it holds and whether it is required. Fill it in, then run\n"
                    "'coprod-site check'. An existing record is never overwritten.",
        epilog="""\
examples:
  coprod-site new community-garden-study
  coprod-site new nhs-review-2024 --content ~/library/content"""),
    "schema": Words(
        purpose="print the JSON Schema of an evidence record, for editors' tools",
        description="Print the JSON Schema of a record's fields, derived from the same field list as\n"
                    "'check', so a tool that uses it accepts what 'check' accepts.",
        epilog="""\
example:
  coprod-site schema > record.schema.json"""),
    "build": Words(
        purpose="check the content, then build the whole site into a fresh folder",
        description="Check the content; if there is no error, build every page, the data files and the\n"
                    "search index into a fresh folder, then put it in place of --out. A failed build\n"
                    "leaves the previous site as it was. Prints a summary with the time each step took.",
        epilog=f"""\
examples:
  coprod-site build                   build into _site/
  coprod-site build --no-search       a quicker build without the search index
  coprod-site build --out public -q   build into public/, printing only problems

{_FOLDERS}"""),
    "serve": Words(
        purpose="preview the site while you edit: rebuilt and reloaded on every save",
        description="Build the site, serve it, and rebuild whenever a content file or template changes;\n"
                    "open pages reload by themselves. If a build fails, the problems are printed here and\n"
                    "shown in the page, and the last good site stays up. Stop with Ctrl+C.",
        epilog="""\
examples:
  coprod-site serve                   preview on http://127.0.0.1:8000/
  coprod-site serve --port 8080       use another port
  coprod-site serve --bind 0.0.0.0    let a phone on the same network open the preview
                                      (at http://<this computer's address>:8000/)"""),
}
