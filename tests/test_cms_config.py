"""The CMS configuration follows the validator's own field list, taxonomies and site settings."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.formats.cms_config import (
    DECAP_SCRIPT_INTEGRITY,
    DECAP_SCRIPT_URL,
    DECAP_VERSION,
    RECORD_FORMAT,
    admin_config,
    config_yaml,
)
from coprod_site.load.cms_settings import read_cms_settings
from coprod_site.model import CmsSettings
from coprod_site.model import FieldKind as Kind
from coprod_site.model.schemas import MAX_SUMMARY_WORDS, record_fields
from coprod_site.scaffold import read_taxonomies
from coprod_site.serve.local_cms import DECAP_SERVER_VERSION

REPOSITORY = Path(__file__).resolve().parents[1]
TESTS = REPOSITORY / "tests"
TAXONOMIES = read_taxonomies(REPOSITORY / "content", display_root=REPOSITORY)
SETTINGS = CmsSettings("coprod-site/coprod-site", "main", "https://auth.example.org/oauth/auth")
WIDGETS = {
    Kind.TEXT: "string", Kind.YEAR: "string", Kind.DATE: "datetime", Kind.URL: "string",
    Kind.BOOLEAN: "boolean", Kind.TEXT_LIST: "list", Kind.TERMS: "select",
}
SITE_YML = Where("content/site.yml", 8, 1)


def evidence_fields(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (collection,) = config["collections"]
    return {field["name"]: field for field in collection["fields"]}


def production() -> dict[str, Any]:
    return admin_config(TAXONOMIES, settings=SETTINGS, site_url="https://example.org/")


def test_every_record_field_appears_in_order_with_its_widget_label_hint_and_required_flag() -> None:
    fields = evidence_fields(production())
    specs = record_fields(TAXONOMIES)
    assert list(fields) == [spec.name for spec in specs] + ["body"]
    for spec in specs:
        field = fields[spec.name]
        widget = "text" if spec.name == "summary" else WIDGETS[spec.kind]
        assert field["widget"] == widget, spec.name
        assert field["required"] is spec.required, spec.name
        assert field["label"] and field["hint"], spec.name
    assert fields["body"] == fields["body"] | {"widget": "markdown", "required": False}


def test_term_lists_offer_term_names_and_store_term_ids() -> None:
    fields = evidence_fields(production())
    for taxonomy in TAXONOMIES:
        field = fields[taxonomy.id]
        assert field["label"] == taxonomy.name
        assert field["multiple"] is True
        assert field["options"] == [{"label": term.name, "value": term.id} for term in taxonomy.terms]
        assert field["min"] == (1 if taxonomy.required else 0)
        assert field["hint"].startswith(taxonomy.description)


def test_dates_are_picked_as_days_and_stored_as_yyyy_mm_dd() -> None:
    fields = evidence_fields(production())
    for name in ("published", "added", "reviewed"):
        assert fields[name] | {"format": "YYYY-MM-DD", "time_format": False} == fields[name]


@pytest.mark.parametrize(("value", "accepted"), [
    ("2022", True), ("unknown", True), ("22", False), ("2022 ", False), ("Unknown", False),
])
def test_the_year_is_four_digits_or_unknown(value: str, accepted: bool) -> None:
    pattern, _message = evidence_fields(production())["year"]["pattern"]
    assert bool(re.search(pattern, value)) is accepted


def test_the_summary_pattern_allows_exactly_the_validators_word_limit() -> None:
    pattern, message = evidence_fields(production())["summary"]["pattern"]
    assert re.search(pattern, " ".join(["word"] * MAX_SUMMARY_WORDS))
    assert not re.search(pattern, " ".join(["word"] * (MAX_SUMMARY_WORDS + 1)))
    assert message == f"At most {MAX_SUMMARY_WORDS} words."


def test_authors_and_findings_are_lists_of_text_and_findings_need_one() -> None:
    fields = evidence_fields(production())
    assert fields["findings"]["field"]["widget"] == "text"
    assert fields["findings"]["min"] == 1
    assert fields["authors"]["field"]["widget"] == "string"
    assert "min" not in fields["authors"]


def test_production_saves_through_github_with_the_editorial_workflow() -> None:
    config = production()
    assert config["backend"] == {"name": "github", "repo": "coprod-site/coprod-site", "branch": "main",
                                 "base_url": "https://auth.example.org", "auth_endpoint": "oauth/auth"}
    assert config["publish_mode"] == "editorial_workflow"
    assert config["local_backend"] is True
    (collection,) = config["collections"]
    assert collection["folder"] == "content/evidence"
    assert collection["format"] == RECORD_FORMAT


def test_without_settings_only_a_local_decap_server_is_used() -> None:
    config = admin_config(TAXONOMIES, settings=None, site_url="https://example.org/",
                          local_url="http://localhost:9999/api/v1")
    assert config["backend"]["name"] == "proxy"
    assert config["local_backend"] == {"url": "http://localhost:9999/api/v1"}


def test_the_yaml_file_reads_back_as_the_configuration() -> None:
    config = production()
    text = config_yaml(config)
    assert text.startswith("# Generated by coprod-site")
    assert yaml.safe_load(text) == config


@pytest.mark.parametrize(("labels", "expected"), [
    ({"repo": "me/library"}, CmsSettings("me/library", "main", None)),
    ({"repo": "me/library", "branch": "live", "auth-url": "https://auth.example.org/auth"},
     CmsSettings("me/library", "live", "https://auth.example.org/auth")),
])
def test_valid_cms_settings(labels: dict[str, str], expected: CmsSettings) -> None:
    diagnostics = Diagnostics()
    assert read_cms_settings(labels, SITE_YML, diagnostics) == expected
    assert diagnostics.error_count == 0


@pytest.mark.parametrize(("labels", "field", "message", "hint"), [
    ({}, "cms.repo", "required key 'repo' is missing",
     "add the GitHub repository as owner/name, for example repo: my-org/my-library"),
    ({"repo": "https://github.com/me/library"}, "cms.repo",
     "'https://github.com/me/library' is not a GitHub repository",
     "write it as owner/name, as in the repository's address on github.com"),
    ({"repo": "me/library", "branch": "my branch"}, "cms.branch", "'my branch' is not a branch name",
     "the branch the site is published from, for example main"),
    ({"repo": "me/library", "auth-url": "http://auth.example.org/auth"}, "cms.auth-url",
     "'http://auth.example.org/auth' is not an https address",
     "the full address of the OAuth service's sign-in page, starting with https://"),
    ({"repo": "me/library", "token": "x"}, "cms.token", "unknown key 'token'",
     "valid keys: repo, branch, auth-url"),
])
def test_invalid_cms_settings_are_reported(labels: dict[str, str], field: str, message: str,
                                           hint: str) -> None:
    diagnostics = Diagnostics()
    assert read_cms_settings(labels, SITE_YML, diagnostics) is None
    (problem,) = diagnostics.sorted()
    assert (problem.path, problem.line, problem.field, problem.message, problem.hint) == (
        SITE_YML.path, SITE_YML.line, field, message, hint)


def test_absent_cms_settings_are_no_problem() -> None:
    diagnostics = Diagnostics()
    assert read_cms_settings(None, SITE_YML, diagnostics) is None
    assert diagnostics.error_count == 0


def test_the_pinned_script_and_its_integrity_hash_match_the_npm_package() -> None:
    package = json.loads((TESTS / "package.json").read_text(encoding="utf-8"))
    assert package["devDependencies"]["decap-cms"] == DECAP_VERSION
    assert package["devDependencies"]["decap-server"] == DECAP_SERVER_VERSION
    assert DECAP_SCRIPT_URL.endswith(f"/decap-cms@{DECAP_VERSION}/dist/decap-cms.js")
    script = (TESTS / "node_modules" / "decap-cms" / "dist" / "decap-cms.js").read_bytes()
    digest = base64.b64encode(hashlib.sha384(script).digest()).decode()
    assert f"sha384-{digest}" == DECAP_SCRIPT_INTEGRITY


def test_the_built_site_has_the_admin_page_and_its_generated_configuration(real_site: Path) -> None:
    page = (real_site / "admin" / "index.html").read_text(encoding="utf-8")
    assert f'src="{DECAP_SCRIPT_URL}" integrity="{DECAP_SCRIPT_INTEGRITY}" crossorigin="anonymous"' in page
    assert '<script src="../assets/cms-record-format.js"></script>' in page
    assert 'CMS.registerPreviewStyle(new URL("../assets/site.css", document.baseURI).href);' in page
    assert (real_site / "assets" / "cms-record-format.js").is_file()
    built = yaml.safe_load((real_site / "admin" / "config.yml").read_text(encoding="utf-8"))
    assert built == admin_config(TAXONOMIES, settings=None, site_url="https://coprod-site.github.io/")
