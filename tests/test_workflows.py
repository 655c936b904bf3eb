"""`.github/`: the workflows, issue form and Dependabot file are valid and say what they must.

Each file is checked against its published schema with check-jsonschema's vendored copies (offline),
then the properties that matter are asserted: actions pinned to commits, least-privilege
permissions, deployment only from main, and an issue form whose choices are exactly the taxonomies'
terms, so the two cannot drift apart. actionlint and zizmor (offline) find nothing to report.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from coprod_site.check import DEFAULT_CACHE
from coprod_site.model.schemas import RECORD_DATE_FIELDS, RECORD_FIELDS

REPO = Path(__file__).resolve().parent.parent
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORM = GITHUB / "ISSUE_TEMPLATE" / "suggest-evidence.yml"
TAXONOMIES = REPO / "content" / "taxonomies"
# An action at a full commit (a tag can be moved); a Docker image at a digest.
PINNED_ACTION = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
PINNED_IMAGE = re.compile(r"^docker://[\w./-]+@sha256:[0-9a-f]{64}$")
BIN = Path(sys.executable).parent


def load(path: Path) -> dict[str, Any]:
    """A YAML file as a mapping (GitHub's `on:` key stays the string 'on')."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    if True in data:  # YAML 1.1 reads a bare `on` as true
        data["on"] = data.pop(True)
    return data


def check_jsonschema(schema: str, *paths: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed check-jsonschema against one of its vendored schemas."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True, text=True, check=False, timeout=120)


def test_there_are_the_two_workflows() -> None:
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "links.yml"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_workflow_matches_the_github_schema(path: Path) -> None:
    result = check_jsonschema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  test:\n    runs-on: ubuntu-24.04\n"
                      "    steps:\n      - uses: actions/checkout@v4\n        run: echo both\n",
                      encoding="utf-8")
    assert check_jsonschema("vendor.github-workflows", broken).returncode == 1


@pytest.mark.parametrize(("schema", "relative"), [
    ("vendor.github-issue-forms", "ISSUE_TEMPLATE/suggest-evidence.yml"),
    ("vendor.github-issue-config", "ISSUE_TEMPLATE/config.yml"),
    ("vendor.dependabot", "dependabot.yml"),
])
def test_github_file_matches_its_schema(schema: str, relative: str) -> None:
    result = check_jsonschema(schema, GITHUB / relative)
    assert result.returncode == 0, result.stdout + result.stderr


def _uses(workflow: dict[str, Any]) -> Iterator[str]:
    for job in workflow["jobs"].values():
        if "uses" in job:
            yield job["uses"]
        for step in job.get("steps", ()):
            if "uses" in step:
                yield step["uses"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=[path.name for path in WORKFLOWS])
def test_every_action_is_pinned_to_a_commit(path: Path) -> None:
    used = list(_uses(load(path)))
    assert used
    unpinned = [ref for ref in used if not (PINNED_ACTION.match(ref) or PINNED_IMAGE.match(ref))]
    assert unpinned == []
    text = path.read_text(encoding="utf-8")
    assert all(f"{ref} # v" in text for ref in used), "each pin names the version it is, for Dependabot"


def test_actionlint_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "actionlint"), "-no-color"], cwd=REPO, capture_output=True,
                            text=True, check=False, timeout=120)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_reports_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                      "      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    result = subprocess.run([str(BIN / "actionlint"), "-no-color", str(broken)], capture_output=True,
                            text=True, check=False, timeout=120)
    assert result.returncode == 1 and "no_such_thing" in result.stdout


def test_zizmor_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress", str(GITHUB)], cwd=REPO,
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_zizmor_reports_credentials_left_in_a_checkout(tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.yml"
    leaky.write_text("on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n"
                     f"      - uses: actions/checkout@{'0' * 40} # v4\n", encoding="utf-8")
    result = subprocess.run([str(BIN / "zizmor"), "--offline", "--no-progress", str(leaky)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode != 0 and "artipacked" in result.stdout


def test_every_checkout_drops_its_credentials() -> None:
    for path in WORKFLOWS:
        for job in load(path)["jobs"].values():
            for step in job.get("steps", ()):
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False, path.name


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(str(step.get("run", "")) for step in job["steps"])


def _actions(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def _step(job: dict[str, Any], action: str) -> dict[str, Any]:
    """The step of `job` that uses `action`."""
    steps: list[dict[str, Any]] = job["steps"]
    return next(step for step in steps if step.get("uses", "").startswith(action + "@"))


def test_ci_runs_on_every_pull_request_and_push_and_cancels_stale_runs() -> None:
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert set(ci["on"]) == {"pull_request", "push"}
    assert ci["on"]["push"] is None and ci["on"]["pull_request"] is None, "every branch, every PR"
    assert "github.ref" in ci["concurrency"]["group"]
    assert ci["concurrency"]["cancel-in-progress"]


def test_ci_reads_only_by_default() -> None:
    ci = load(GITHUB / "workflows" / "ci.yml")
    assert ci["permissions"] == {"contents": "read"}
    assert "permissions" not in ci["jobs"]["test"]


def test_ci_checks_tests_builds_and_links_the_site() -> None:
    test = load(GITHUB / "workflows" / "ci.yml")["jobs"]["test"]
    runs = _runs(test)
    for command in ("scripts/setup", "-m pytest", "coprod-site check --format github",
                    "coprod-site build", "coprod-site check --links"):
        assert command in runs
    assert runs.index("coprod-site build") < runs.index("coprod-site check --links")
    actions = _actions(test)
    assert {"actions/checkout", "actions/setup-python", "actions/upload-artifact"} <= set(actions)
    python = _step(test, "actions/setup-python")
    assert python["with"] == {"python-version": "3.11", "cache": "pip",
                              "cache-dependency-path": "pyproject.toml"}
    assert _step(test, "actions/upload-artifact")["with"]["path"].rstrip("/") == "_site"
    cache = _step(test, "actions/cache")["with"]
    assert f"--cache {cache['path']}" in runs, "the build uses the cache the workflow restores"
    assert cache["restore-keys"] in cache["key"], "a new commit restores the newest cache"


def test_ci_deploys_only_from_main_with_pages_permissions() -> None:
    jobs = load(GITHUB / "workflows" / "ci.yml")["jobs"]
    deploy = jobs["deploy"]
    assert deploy["if"] == "${{ github.event_name == 'push' && github.ref == 'refs/heads/main' }}"
    assert deploy["needs"] == "test"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    assert _actions(deploy) == ["actions/download-artifact", "actions/configure-pages",
                                "actions/upload-pages-artifact", "actions/deploy-pages"]
    assert _step(deploy, "actions/upload-pages-artifact")["with"] == {"path": "_site"}
    assert [name for name, job in jobs.items() if "deploy-pages" in " ".join(_actions(job))] == ["deploy"]


def test_links_runs_weekly_and_keeps_one_issue() -> None:
    links = load(GITHUB / "workflows" / "links.yml")
    assert set(links["on"]) == {"schedule", "workflow_dispatch"}
    assert len(links["on"]["schedule"]) == 1
    assert links["permissions"] == {"contents": "read", "issues": "write"}
    (job,) = links["jobs"].values()
    runs = _runs(job)
    assert "coprod-site check --external --format json" in runs
    for command in ("gh issue list", "gh issue edit", "gh issue create"):
        assert command in runs
    assert {"actions/cache/restore", "actions/cache/save"} <= set(_actions(job))
    for action in ("actions/cache/restore", "actions/cache/save"):
        assert _step(job, action)["with"]["path"] == str(DEFAULT_CACHE), "the folder check --external uses"
    issue_step = next(step for step in job["steps"] if "gh issue list" in step.get("run", ""))
    assert issue_step["env"]["GH_TOKEN"] == "${{ secrets.GITHUB_TOKEN }}"


def test_dependabot_updates_pip_and_actions_weekly() -> None:
    updates = load(GITHUB / "dependabot.yml")["updates"]
    assert sorted((item["package-ecosystem"], item["schedule"]["interval"]) for item in updates) == [
        ("github-actions", "weekly"), ("pip", "weekly")]


def _taxonomies() -> list[tuple[str, dict[str, Any]]]:
    """Every taxonomy file as (id, data), in the order the site lists them."""
    found = [(path.stem, load(path)) for path in TAXONOMIES.glob("*.yml")]
    return sorted(found, key=lambda item: (item[1].get("order", 0), item[0]))


def _form_fields() -> dict[str, dict[str, Any]]:
    body = load(ISSUE_FORM)["body"]
    return {item["id"]: item for item in body if "id" in item}


def test_the_issue_form_asks_for_exactly_the_record_fields() -> None:
    set_by_editors = {"added", "reviewed"}
    expected = [*(spec.name for spec in RECORD_FIELDS), *(name for name, _ in _taxonomies()),
                *(spec.name for spec in RECORD_DATE_FIELDS if spec.name not in set_by_editors),
                "confirmation"]
    assert list(_form_fields()) == expected


@pytest.mark.parametrize("taxonomy", [name for name, _ in _taxonomies()])
def test_the_issue_form_offers_exactly_the_taxonomy_terms(taxonomy: str) -> None:
    data = dict(_taxonomies())[taxonomy]
    dropdown = _form_fields()[taxonomy]
    assert dropdown["type"] == "dropdown"
    assert dropdown["attributes"]["multiple"] is True
    assert dropdown["attributes"]["label"] == data["name"]
    assert dropdown["attributes"]["options"] == [f"{term['id']} — {term['name']}" for term in data["terms"]]


def test_the_issue_form_requires_facts_from_the_source() -> None:
    confirmation = _form_fields()["confirmation"]
    assert confirmation["type"] == "checkboxes"
    (option,) = confirmation["attributes"]["options"]
    assert option["required"] is True
    assert "from the source" in option["label"]


def test_the_pull_request_template_has_the_editors_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    checklist = [line for line in text.splitlines() if line.startswith("- [ ] ")]
    for phrase in ("from the source itself", "at most 60 words", "content/taxonomies",
                   "`coprod-site check` reports no problems", "`reviewed`", "`url`"):
        assert any(phrase in line for line in checklist), phrase
