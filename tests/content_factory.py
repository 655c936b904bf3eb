"""Build small content folders for tests: the valid fixture, copied, then changed file by file.

Typical use::

    content = make_content(tmp_path, {"evidence/x.md": record()}, remove=["pages/about.md"])
    result = load_content(content)

The copy is made at ``tmp_path/"content"`` and loading shows paths from ``tmp_path``, so every
diagnostic shows its path as ``content/...``, just as editors see it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from coprod_site.load import LoadResult, load_site
from coprod_site.model import urls

FIXTURE = Path(__file__).parent / "fixtures" / "valid"
TODAY = date(2026, 11, 27)

# The front matter of a valid record, one line per field, so a test can replace one line
# and know every line number: title is on line 2, added on line 12, the closing '---' on 13.
RECORD_LINES: dict[str, str] = {
    "title": "title: Community garden project",
    "year": "year: 2025",
    "url": "url: https://example.org/garden",
    "summary": "summary: Residents and a fictional trust ran a garden together and met more often.",
    "findings": "findings:\n  - People met neighbours they had not known before.",
    "organisations": "organisations: [example-trust]",
    "methods": "methods: [survey]",
    "principles": "principles: [equality]",
    "benefits": "benefits: [connection]",
    "added": "added: 2026-10-01",
}
RECORD_BODY = "## What the source looked at\n\nA garden.\n"


def record(*, body: str = RECORD_BODY, extra: str = "", **lines: str | None) -> str:
    """A valid record's text, with some lines replaced (or removed, given None) and `extra` added.

    Each keyword names a line of `RECORD_LINES`; its value is the whole new line (or lines).
    `extra` lines go after `added`, before the closing '---'.
    """
    unknown = set(lines) - set(RECORD_LINES)
    if unknown:
        raise KeyError(f"no such record line: {sorted(unknown)}")
    chosen = {**RECORD_LINES, **lines}
    front = [line for line in chosen.values() if line is not None]
    if extra:
        front.append(extra.rstrip("\n"))
    return "---\n" + "\n".join(front) + "\n---\n" + body


def fixture_text(rel: str) -> str:
    """The text of a file of the valid fixture, to change and plant again."""
    return (FIXTURE / rel).read_text(encoding="utf-8")


def make_content(base: Path, changes: Mapping[str, str | bytes] | None = None, *,
                 remove: Iterable[str] = ()) -> Path:
    """Copy the valid fixture to `base`/content, delete `remove`, then write `changes`.

    Keys are paths relative to the content folder; str values are written as UTF-8 text
    exactly as given (no newline translation), bytes values as they are.
    """
    content = base / "content"
    shutil.copytree(FIXTURE, content)
    for rel in remove:
        (content / rel).unlink()
    for rel, data in (changes or {}).items():
        target = content / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return content


def load_content(content: Path, *, shard_pages: int = urls.SEARCH_SHARD_PAGES) -> LoadResult:
    """Load `content` with paths shown from its parent folder, as 'content/...'."""
    return load_site(content, today=TODAY, display_root=content.parent, shard_pages=shard_pages)


def shown(result: LoadResult) -> list[tuple[str, str]]:
    """Every diagnostic as (headline, hint), in report order."""
    return [(item.headline(), item.hint) for item in result.diagnostics]
