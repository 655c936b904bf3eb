"""The one edit every incremental measurement makes: a marker toggled in one record's file."""

from __future__ import annotations

from pathlib import Path

EDITED = " (edited)"
MARKERS = {"body": EDITED, "title": " (retitled)"}
"""The marker each field's edit toggles: distinct, so a page can show one edit but not the other."""


def edited_file(content: Path) -> Path:
    """The record the edits change: the middle one of `content/evidence` (index files aside)."""
    files = sorted(path for path in (content / "evidence").glob("*.md") if not path.name.startswith("_"))
    return files[len(files) // 2]


def toggle_edit(content: Path, field: str) -> bool:
    """Change the edited record from what the last build saw: add or remove a marker at the end
    of its body or of its title, so every rebuild meets exactly one edit. Returns True when the
    marker is now there."""
    path = edited_file(content)
    text, marker = path.read_text(encoding="utf-8"), MARKERS[field]
    if field == "body":
        marked = text.endswith(marker + "\n")
        text = text[: -len(marker) - 1] + "\n" if marked else text.rstrip("\n") + marker + "\n"
    else:
        head, rest = text.split("\ntitle: ", 1)
        title, tail = rest.split("\n", 1)
        marked = marker in title
        title = title.replace(marker, "") if marked else title[:-1] + marker + title[-1]
        text = f"{head}\ntitle: {title}\n{tail}"
    path.write_text(text, encoding="utf-8")
    return not marked
