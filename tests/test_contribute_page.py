"""The published "Add or correct evidence" page: its template for GitHub's web editor is the one
`coprod-site new` writes, and pasted as it is, `check` asks for exactly the required fields."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REAL_CONTENT
from content_factory import TODAY, load_content, make_content
from coprod_site.model import schemas
from coprod_site.model.schemas import RECORD_BODY_SKELETON as BODY_SKELETON
from coprod_site.scaffold import new_record_text, read_taxonomies

PAGE = REAL_CONTENT / "pages" / "contribute.md"


def page_template() -> str:
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1
    return str(blocks[0])


def test_the_template_on_the_page_is_the_one_new_writes() -> None:
    taxonomies = read_taxonomies(REAL_CONTENT, display_root=REAL_CONTENT)
    written = new_record_text("x", today=TODAY, taxonomies=taxonomies)
    fields = [line for line in written.splitlines() if line and not line.startswith("#")]
    expected = [line if not line.startswith("added:") else "added:" for line in fields]
    assert page_template().splitlines() == [*expected, *"\n".join(BODY_SKELETON).splitlines()]


def test_the_template_pasted_as_it_is_asks_for_each_required_field(tmp_path: Path) -> None:
    content = make_content(tmp_path, {"evidence/x.md": page_template()})
    result = load_content(content)
    taxonomies = read_taxonomies(content, display_root=tmp_path)
    required = [spec.name for spec in schemas.record_fields(taxonomies) if spec.required]
    asked = [item.field for item in result.diagnostics if item.path == "content/evidence/x.md"]
    assert sorted(asked) == sorted(required)
    for item in result.diagnostics:
        assert item.message in (f"required field '{item.field}' is empty", "must list at least one item")


def test_the_page_names_the_three_ways_and_the_local_commands() -> None:
    text = PAGE.read_text(encoding="utf-8")
    for heading in ("## Way 1: the editing screen (no installation)", "## Way 2: GitHub's web editor",
                    "## Way 3: on your own computer"):
        assert f"\n{heading}\n" in text
    for command in (".venv/bin/pip install -e .", "coprod-site new community-garden-study",
                    "coprod-site check", "coprod-site serve"):
        assert command in text
