"""`coprod-site new` and `coprod-site schema`: both follow the validator's own field list."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import yaml

from cli_support import FixedToday, run
from content_factory import TODAY, fixture_text, load_content, make_content, record
from coprod_site import cli
from coprod_site.model import FieldKind as Kind
from coprod_site.model import front_matter_json_schema
from coprod_site.model.schemas import record_fields
from coprod_site.scaffold import new_record_text, read_taxonomies

REPOSITORY = Path(__file__).resolve().parents[1]
NEW = "content/evidence/garden-survey.md"
# What an editor types into the new record's empty required fields.
FILLED_IN = {
    "title:\n": "title: Community garden survey\n",
    "year:\n": "year: 2025\n",
    "url:\n": "url: https://example.org/garden-survey\n",
    "summary:\n": "summary: Residents who shared a garden said they met their neighbours more often.\n",
    "findings:\n": "findings:\n  - Residents met their neighbours more often.\n",
    "organisations: []\n": "organisations: [example-trust]\n",
    "methods: []\n": "methods: [survey]\n",
    "principles: []\n": "principles: [equality]\n",
    "benefits: []\n": "benefits: [connection]\n",
}


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(cli, "date", FixedToday)
    monkeypatch.chdir(tmp_path)


def test_new_writes_every_field_commented(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path)
    assert run(capsys, "new", "garden-survey") == (0, f"{NEW}\n", "")
    lines = (tmp_path / NEW).read_text(encoding="utf-8").splitlines()
    taxonomies = read_taxonomies(tmp_path / "content", display_root=Path.cwd())
    for spec in record_fields(taxonomies):
        at = next(index for index, line in enumerate(lines) if line.split(":")[0] == spec.name)
        comment = lines[_comment_start(lines, at):at]
        assert comment[0].startswith(f"# {spec.doc} {'Required.' if spec.required else 'Optional.'}")
        if spec.kind is Kind.TERMS:
            assert all(term in " ".join(comment) for term in spec.choices)
    assert "added: 2026-11-27" in lines
    assert lines[-5:] == ["## What the source looked at", "", "", "## Why it matters for co-production", ""]


def _comment_start(lines: list[str], at: int) -> int:
    start = at
    while start > 0 and lines[start - 1].startswith("#"):
        start -= 1
    return start


def test_new_record_fails_check_until_filled_in(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path)
    run(capsys, "new", "garden-survey")
    result = load_content(content)
    assert [(item.path, item.field, item.message) for item in result.diagnostics] == [
        (NEW, "title", "required field 'title' is empty"),
        (NEW, "year", "required field 'year' is empty"),
        (NEW, "url", "required field 'url' is empty"),
        (NEW, "summary", "required field 'summary' is empty"),
        (NEW, "findings", "required field 'findings' is empty"),
        (NEW, "organisations", "must list at least one item"),
        (NEW, "methods", "must list at least one item"),
        (NEW, "principles", "must list at least one item"),
        (NEW, "benefits", "must list at least one item"),
    ]


def test_new_record_validates_once_filled_in(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    content = make_content(tmp_path)
    run(capsys, "new", "garden-survey")
    path = tmp_path / NEW
    text = path.read_text(encoding="utf-8")
    for empty, filled in FILLED_IN.items():
        assert text.count(empty) == 1, empty
        text = text.replace(empty, filled)
    path.write_text(text, encoding="utf-8")
    result = load_content(content)
    assert result.diagnostics == ()
    assert result.site is not None
    written = next(item for item in result.site.records if item.id == "garden-survey")
    assert (written.added, written.reviewed, written.coproduced, written.authors) == (TODAY, None, None, ())


def test_new_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {"evidence/garden-survey.md": "my own work\n"})
    code, out, err = run(capsys, "new", "garden-survey")
    assert (code, out) == (2, "")
    assert err == f"coprod-site: {NEW} already exists: edit it, or choose another id\n"
    assert (tmp_path / NEW).read_text(encoding="utf-8") == "my own work\n"


def test_new_refuses_an_id_already_used_in_a_subfolder(tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {"evidence/2024/Garden-Survey.md": record()})
    code, _, err = run(capsys, "new", "garden-survey")
    assert code == 2
    assert err == ("coprod-site: content/evidence/2024/Garden-Survey.md already exists: "
                   "edit it, or choose another id\n")
    assert not (tmp_path / NEW).exists()


@pytest.mark.parametrize(("record_id", "hint"), [
    ("Garden Survey", "for example 'garden-survey'"),
    ("garden--survey", "for example 'garden-survey'"),
    ("../escape", "for example 'escape'"),
    ("-", "use lowercase letters, digits and single hyphens"),
])
def test_new_refuses_a_bad_id(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              record_id: str, hint: str) -> None:
    make_content(tmp_path)
    code, out, err = run(capsys, "new", record_id)
    assert (code, out) == (2, "")
    assert err.startswith(f"coprod-site: '{record_id}' is not a valid record id: ")
    assert err.rstrip("\n").endswith(hint)
    assert sorted(path.name for path in (tmp_path / "content" / "evidence").iterdir()) == [
        "peer-support-evaluation.md", "shared-budget-pilot.md", "youth-panel-interviews.md"]


NOT_FOUND = ("coprod-site: content folder not found: nowhere "
             "(--content names the folder that holds site.yml)\n")


def test_new_needs_a_content_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "new", "garden-survey", "--content", "nowhere") == (
        2, "", NOT_FOUND)


def test_new_needs_valid_taxonomies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    make_content(tmp_path, {"taxonomies/methods.yml": "name: Methods\n"})
    assert run(capsys, "new", "garden-survey") == (2, "", (
        "coprod-site: the taxonomies in content/taxonomies have 2 problem(s); "
        "run 'coprod-site check' to see them\n"))
    assert not (tmp_path / NEW).exists()


def test_new_record_text_is_deterministic() -> None:
    taxonomies = read_taxonomies(REPOSITORY / "content", display_root=Path.cwd())
    first = new_record_text("x", today=TODAY, taxonomies=taxonomies)
    assert first == new_record_text("x", today=TODAY, taxonomies=taxonomies)
    assert first.startswith("---\n# Evidence record 'x'.")


# The schema


def schema_of(capsys: pytest.CaptureFixture[str], content: Path) -> dict[str, Any]:
    code, out, err = run(capsys, "schema", "--content", str(content))
    assert (code, err) == (0, "")
    parsed: dict[str, Any] = json.loads(out)
    assert out == json.dumps(parsed, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return parsed


def front_matter(text: str) -> dict[str, Any]:
    """A record's front matter as JSON would hold it: YAML's dates become ISO strings."""
    loaded: dict[str, Any] = yaml.safe_load(text.split("---\n")[1])
    return {key: value.isoformat() if isinstance(value, date) else value for key, value in loaded.items()}


def validator(schema: dict[str, Any]) -> Any:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_accepts_every_real_record(capsys: pytest.CaptureFixture[str]) -> None:
    check = validator(schema_of(capsys, REPOSITORY / "content"))
    records = sorted((REPOSITORY / "content" / "evidence").rglob("*.md"))
    assert len(records) >= 3
    for path in records:
        errors = [error.message for error in check.iter_errors(front_matter(path.read_text("utf-8")))]
        assert errors == [], path.name


def test_schema_accepts_the_fixture_and_the_filled_in_template(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    content = make_content(tmp_path)
    check = validator(schema_of(capsys, content))
    for path in sorted((content / "evidence").glob("*.md")):
        assert list(check.iter_errors(front_matter(path.read_text("utf-8")))) == [], path.name
    text = new_record_text("garden-survey", today=TODAY, taxonomies=read_taxonomies(content,
                                                                                    display_root=Path.cwd()))
    for empty, filled in FILLED_IN.items():
        text = text.replace(empty, filled)
    filled_in = {key: value for key, value in front_matter(text).items() if value is not None}
    assert list(check.iter_errors(filled_in)) == []


def test_schema_is_the_validators_field_list(capsys: pytest.CaptureFixture[str]) -> None:
    schema = schema_of(capsys, REPOSITORY / "content")
    fields = record_fields(read_taxonomies(REPOSITORY / "content", display_root=Path.cwd()))
    assert schema["title"] == "Evidence record"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert list(schema["properties"]) == sorted(spec.name for spec in fields)
    assert schema["required"] == [spec.name for spec in fields if spec.required]
    assert "60 words" in schema["properties"]["summary"]["description"]
    assert schema["properties"]["principles"]["items"]["enum"] == [
        "equality", "diversity", "accessibility", "reciprocity"]


REAL = front_matter(fixture_text("evidence/peer-support-evaluation.md"))


@pytest.mark.parametrize(("change", "where"), [
    ({"colour": "green"}, ""),
    ({"principles": ["equality", "kindness"]}, "principles/1"),
    ({"principles": ["equality", "equality"]}, "principles"),
    ({"benefits": []}, "benefits"),
    ({"url": "ftp://example.org/x"}, "url"),
    ({"url": "javascript:alert(1)"}, "url"),
    ({"year": 1899}, "year"),
    ({"year": "around 2020"}, "year"),
    ({"added": "27/10/2022"}, "added"),
    ({"coproduced": "yes"}, "coproduced"),
    ({"title": " "}, "title"),
    ({"findings": "one finding"}, "findings"),
    ({"summary": "word " * 61}, "summary"),
    ({"title": None}, ""),
], ids=["unknown-key", "unknown-term", "duplicate-term", "empty-required-terms", "ftp-url",
        "javascript-url", "year-1899", "year-text", "date-form", "boolean-yes", "blank-title",
        "findings-scalar", "summary-61-words", "missing-title"])
def test_schema_rejects_what_check_rejects(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch,
                                           change: dict[str, Any], where: str) -> None:
    check = validator(schema_of(capsys, make_content(tmp_path)))
    changed = {key: value for key, value in (REAL | change).items() if value is not None}
    errors = list(check.iter_errors(changed))
    assert errors
    assert "/".join(str(part) for part in errors[0].absolute_path) == where


def test_schema_accepts_year_unknown_and_sixty_words(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    check = validator(schema_of(capsys, make_content(tmp_path)))
    assert list(check.iter_errors(REAL | {"year": "unknown", "summary": "word " * 60})) == []


def test_schema_needs_a_content_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "schema", "--content", "nowhere") == (
        2, "", NOT_FOUND)


def test_schema_in_python_matches_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = make_content(tmp_path)
    taxonomies = read_taxonomies(content, display_root=Path.cwd())
    assert schema_of(capsys, content) == front_matter_json_schema(taxonomies)
