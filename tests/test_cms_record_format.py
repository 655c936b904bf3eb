"""The CMS's record format (templates/assets/cms-record-format.js), run in Node as Decap runs it.

What it writes must pass `check` with every value exactly as typed, and a record read and
written again must come back byte for byte, except the fields the editor changed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from content_factory import FIXTURE, load_content, make_content, record
from coprod_site.scaffold import new_record_text, read_taxonomies

REPOSITORY = Path(__file__).resolve().parents[1]
FORMAT = REPOSITORY / "templates" / "assets" / "cms-record-format.js"
RECORDS = [*sorted((REPOSITORY / "content" / "evidence").glob("*.md")),
           *sorted((FIXTURE / "evidence").glob("*.md"))]
# Reads one JSON request on stdin: read `files` in turn, then write `data` (or each file back).
DRIVER = """
const format = require(process.argv[1]);
let input = "";
process.stdin.on("data", chunk => { input += chunk; });
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  try {
    const read = request.files.map(text => format.fromFile(text));
    const data = request.data === undefined ? read : [Object.assign({}, read[read.length - 1], request.data)];
    const written = data.map(entry => format.toFile(JSON.parse(JSON.stringify(entry)), request.keys || []));
    process.stdout.write(JSON.stringify({read: read, written: written}));
  } catch (error) {
    process.stdout.write(JSON.stringify({error: error.message}));
  }
});
"""
FIELD_ORDER = ["title", "year", "published", "url", "authors", "summary", "findings", "organisations",
               "methods", "principles", "benefits", "added", "reviewed", "coproduced"]
# Values an editor may type that plain YAML would break or change.
TRICKY: dict[str, Any] = {
    "title": "Yes: “curly” quotes, a #hash and café ☕",
    "year": "2024",
    "published": "2024-03-05",
    "url": "https://example.org/report?a=1#part-2",
    "authors": ["O'Neill, Siobhán", "null"],
    "summary": "  Leading spaces, a colon: here, a backslash \\ and a tab\tstay exactly as typed.",
    "findings": ["Members said: “we were heard”.", "- starts like a list", "'single' and \"double\"",
                 "on", "100", "Line one\nline two"],
    "organisations": ["example-trust"],
    "methods": ["survey"],
    "principles": ["equality"],
    "benefits": ["connection"],
    "added": "2026-10-01",
    "coproduced": True,
    "body": "## What the source looked at\n\nA garden: “shared”.\n",
}


def run_format(files: list[str], data: dict[str, Any] | None = None, keys: list[str] | None = None) -> Any:
    node = shutil.which("node")
    assert node, "Node.js is needed to run the CMS's record format; run scripts/setup"
    request = {"files": files, "data": data, "keys": keys or FIELD_ORDER}
    result = subprocess.run([node, "-e", DRIVER, str(FORMAT)], input=json.dumps(request), text=True,
                            capture_output=True, check=True, timeout=60)
    return json.loads(result.stdout)


@pytest.mark.parametrize("path", RECORDS, ids=lambda path: path.name)
def test_every_record_reads_and_writes_back_byte_for_byte(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert run_format([text])["written"] == [text]


def test_a_record_from_coprod_site_new_with_comments_and_blank_fields_writes_back_unchanged() -> None:
    taxonomies = read_taxonomies(FIXTURE, display_root=FIXTURE.parent)
    text = new_record_text("garden", today=date(2026, 11, 27), taxonomies=taxonomies)
    result = run_format([text])
    assert result["written"] == [text]
    assert result["read"][0]["published"] is None


def test_a_new_record_with_awkward_text_passes_check_with_every_value_exact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (written,) = run_format_new(TRICKY)
    content = make_content(tmp_path, {"evidence/awkward.md": written})
    result = load_content(content)
    assert [item.headline() for item in result.diagnostics] == []
    assert result.site is not None
    saved = result.site.record("awkward")
    assert (saved.title, saved.year, saved.published, saved.url) == (
        TRICKY["title"], 2024, date(2024, 3, 5), TRICKY["url"])
    assert saved.authors == tuple(TRICKY["authors"])
    assert saved.findings == (*TRICKY["findings"][:-1], "Line one\nline two")
    assert saved.summary == TRICKY["summary"].strip()
    assert saved.terms["organisations"] == ("example-trust",)
    assert (saved.added, saved.coproduced, saved.body) == (date(2026, 10, 1), True, TRICKY["body"])


def run_format_new(data: dict[str, Any]) -> list[str]:
    """What the format writes for a record it never read (a new one)."""
    node = shutil.which("node")
    assert node, "Node.js is needed to run the CMS's record format; run scripts/setup"
    write = f"f.toFile({json.dumps(data)}, {json.dumps(FIELD_ORDER)})"
    script = f"const f = require({json.dumps(str(FORMAT))}); process.stdout.write(JSON.stringify([{write}]));"
    result = subprocess.run([node, "-e", script], text=True, capture_output=True, check=True, timeout=60)
    written: list[str] = json.loads(result.stdout)
    return written


def test_new_values_are_written_in_the_librarys_style() -> None:
    (written,) = run_format_new({
        "title": "Plain title", "year": "unknown", "url": "https://example.org/", "summary": "One line.",
        "findings": ["First: one"], "methods": ["survey", "interviews"], "principles": [], "reviewed": "",
        "added": "2026-10-01", "body": "Text\n"})
    assert written == ('---\ntitle: "Plain title"\nyear: unknown\nurl: https://example.org/\n'
                       'summary: "One line."\nfindings:\n  - "First: one"\nmethods: [survey, interviews]\n'
                       'added: 2026-10-01\n---\nText\n')


def test_changing_one_field_changes_only_its_lines(tmp_path: Path) -> None:
    original = (REPOSITORY / "content" / "evidence" / "value-of-co-production.md").read_text(encoding="utf-8")
    (written,) = run_format([original], {"summary": "A new summary: shorter."})["written"]
    changed = [(old, new) for old, new in zip(original.splitlines(), written.splitlines(), strict=True)
               if old != new]
    assert len(changed) == 1
    assert changed[0][1] == 'summary: "A new summary: shorter."'


def test_filling_an_optional_field_puts_it_in_field_order_and_emptying_one_removes_it() -> None:
    text = record(extra="reviewed: 2026-10-02")
    (written,) = run_format([text], {"published": "2025-01-02", "reviewed": None})["written"]
    assert written == text.replace("year: 2025\n", "year: 2025\npublished: 2025-01-02\n").replace(
        "reviewed: 2026-10-02\n", "")


def test_yaml_the_format_cannot_keep_is_refused_not_rewritten() -> None:
    result = run_format([record(title="title: &name Garden")])
    assert result == {"error": "This record uses YAML the CMS cannot edit safely: the value '&name Garden'. "
                               "Edit the file itself, or ask a maintainer."}


def test_values_read_match_what_check_reads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    content = make_content(tmp_path)
    result = load_content(content)
    assert result.site is not None
    for saved in result.site.records:
        text = (content / "evidence" / f"{saved.id}.md").read_text(encoding="utf-8")
        (read,) = run_format([text])["read"]
        assert read["added"] == saved.added.isoformat()
        assert read["title"] == saved.title
