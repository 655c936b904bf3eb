"""The package's layout holds: phases import one way only, through small faces, with no circle;
the table of output kinds is complete; the build cache's digest covers every module; the size
guide (modules under 300 lines, functions under 40) is kept."""

from __future__ import annotations

import ast
import importlib
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import BUILD_DAY, REAL_CONTENT
from coprod_site.build_cache import PACKAGE, folder_digest, generator_digest
from coprod_site.load import load_site
from coprod_site.model import OutputKind, searchable_count
from coprod_site.render import KIND_TABLE, KINDS, searchable_glob

ROOT = "coprod_site"
SUBPACKAGES = ("model", "load", "formats", "views", "render", "search", "check", "serve")
GROUND_FLOOR = ("diagnostics", "errors", "report", "markdown", "build_cache", "parallel", "build_guard",
                "output_folder")
TOP = ("cli", "cli_help", "project", "build", "preview", "follow_up", "scaffold")

# What each folder may import besides itself and the ground floor (style guide and README "Layout").
ALLOWED: dict[str, frozenset[str]] = {
    "model": frozenset(),
    "load": frozenset({"model"}),
    "formats": frozenset({"model"}),
    "views": frozenset({"model", "formats"}),
    "render": frozenset({"model", "formats", "views"}),
    "search": frozenset({"model"}),
    "check": frozenset({"model", "load"}),
    "serve": frozenset(),
}
# The ground floor's own modules that a folder may not use (model and serve stay small).
GROUND_LIMITS: dict[str, frozenset[str]] = {
    "model": frozenset({"diagnostics", "errors"}),
    "serve": frozenset({"report", "diagnostics", "errors"}),
}
# The faces: what each subpackage offers the rest of the package.
FACES: dict[str, frozenset[str]] = {
    "model": frozenset({
        "BUILT_IN", "CellRef", "CitationsOf", "CmsSettings", "EvidenceList", "EvidenceOrder", "Field",
        "FieldKind", "MapAxes", "MapRef", "MapSpec", "Output", "OutputKind", "PAGE_SIZE", "PUBLISHER_ROLE",
        "Page", "PageRef", "Paged", "Record", "RecordRef", "SLUG", "SearchBundles", "Site", "SiteConfig",
        "Subject", "Taxonomy", "TaxonomyRef", "Term", "TermRef", "UNDATED", "UNKNOWN_YEAR", "add_months",
        "filter_terms", "front_matter_json_schema", "is_web_url", "long_date", "map_axes", "map_cells",
        "new_record_text", "non_empty_cells", "ordered_columns", "page_count", "page_slice", "plan_outputs",
        "record_json_schema", "records_in", "records_of", "related_records", "schemas", "searchable_count",
        "slug_hint", "urls"}),
    "load": frozenset({
        "ContentRoot", "LoadMemo", "LoadResult", "display_path", "load_site", "load_taxonomies"}),
    "formats": frozenset({
        "DECAP_SCRIPT_INTEGRITY", "DECAP_SCRIPT_URL", "Formatted", "LOCAL_BACKEND_PORT", "OpenData",
        "Reference", "admin_config", "apa", "citation_entry", "config_yaml", "harvard", "join_entries",
        "record_reference", "script_json"}),
    "views": frozenset({
        "AdminPage", "FeedView", "RobotsView", "ViewContext", "admin_page", "data_page",
        "evidence_list_page", "feed_view", "home_page", "map_cell_page", "map_page", "not_found_page",
        "prose_page", "record_page", "robots_view", "search_page", "sitemap_view", "taxonomy_page",
        "term_page"}),
    "render": frozenset({
        "DEFERRABLE", "KINDS", "KIND_TABLE", "Changes", "KindRule", "MadeFrom", "RenderReport", "Rendered",
        "Writer", "make_environment", "make_output", "render_changes", "render_site", "render_template",
        "rendered_as_built", "searchable_glob", "batch_jobs"}),
    "search": frozenset({
        "IndexMemo", "IndexReport", "IndexUpdate", "in_url_order", "index_site", "pagefind_executable",
        "plan_update", "publish_update", "split_shards", "update_index"}),
    "check": frozenset({
        "DEFAULT_CACHE", "LinkOptions", "check_content"}),
    "serve": frozenset({
        "LocalCms", "Mode", "STATUS_PATH", "report_text", "serve"}),
}


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement of a module of the package: `module` imports `names` from `target`."""

    module: str
    line: int
    target: str
    names: tuple[str, ...]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports() -> Iterator[Import]:
    """Every import of the package's own modules, at any depth of the code (lazy ones included)."""
    for module, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(ROOT):
                yield Import(module, node.lineno, node.module, tuple(alias.name for alias in node.names))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith(ROOT):
                        yield Import(module, node.lineno, alias.name, ())


def _place(module: str) -> str:
    """The folder a module belongs to (a subpackage), or its own name on the ground floor or top."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _targets(found: Import) -> list[str]:
    """The modules an import loads: `from package import submodule` loads the submodule too."""
    modules = _modules()
    targets = [found.target]
    targets += [f"{found.target}.{name}" for name in found.names if f"{found.target}.{name}" in modules]
    return targets


def test_every_module_belongs_to_a_known_place() -> None:
    places = {_place(module) for module in _modules()}
    assert places == {"", *SUBPACKAGES, *GROUND_FLOOR, *TOP}


def test_phases_import_one_way_only() -> None:
    wrong = []
    for found in _imports():
        mine = _place(found.module)
        for target in _targets(found):
            theirs = _place(target)
            if theirs in ("", mine):
                continue
            if mine in GROUND_FLOOR and theirs not in GROUND_FLOOR:
                wrong.append(f"{found.module}:{found.line} (ground floor) imports {target}")
            elif mine in SUBPACKAGES and theirs in TOP:
                wrong.append(f"{found.module}:{found.line} imports {target}, which is above it")
            elif mine in SUBPACKAGES and theirs in SUBPACKAGES and theirs not in ALLOWED[mine]:
                wrong.append(f"{found.module}:{found.line} ({mine}) may not import {target}")
            elif mine in GROUND_LIMITS and theirs in GROUND_FLOOR and theirs not in GROUND_LIMITS[mine]:
                wrong.append(f"{found.module}:{found.line} ({mine}) may not use {target}")
    assert wrong == []


def test_other_folders_are_reached_only_through_their_face() -> None:
    wrong = []
    for found in _imports():
        theirs = _place(found.target)
        if theirs not in SUBPACKAGES or theirs == _place(found.module):
            continue
        if found.target != f"{ROOT}.{theirs}":
            wrong.append(f"{found.module}:{found.line} imports {found.target}, not the face {ROOT}.{theirs}")
        else:
            wrong += [f"{found.module}:{found.line} imports {name}, which {ROOT}.{theirs} does not offer"
                      for name in found.names if name not in FACES[theirs]]
    assert wrong == []


@pytest.mark.parametrize("package", SUBPACKAGES)
def test_each_face_offers_exactly_its_pinned_names(package: str) -> None:
    face = importlib.import_module(f"{ROOT}.{package}")
    offered = face.__all__
    assert sorted(offered) == sorted(set(offered)), "no name twice"
    assert set(offered) == FACES[package]
    public = {name for name in vars(face) if not name.startswith("_")} - {"annotations"}
    submodules = {name for name in public if f"{ROOT}.{package}.{name}" in _modules()}
    assert public - submodules == set(offered) - submodules, "a face shows only what it offers"
    assert face.__doc__ and len(face.__doc__.strip().splitlines()) >= 3, "each face says what is inside"


def test_no_import_circle() -> None:
    graph: dict[str, set[str]] = {module: set() for module in _modules()}
    for found in _imports():
        for target in _targets(found):
            if target in graph and target != found.module and not found.module.startswith(target + "."):
                graph[found.module].add(target)
    circles = []
    state: dict[str, int] = {}

    def visit(module: str, trail: list[str]) -> None:
        state[module] = 1
        for target in sorted(graph[module]):
            if state.get(target) == 1:
                circles.append(" -> ".join([*trail[trail.index(target):], target]))
            elif target not in state:
                visit(target, [*trail, target])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert circles == []


def test_every_module_says_its_role_and_keeps_the_size_guide() -> None:
    problems = []
    for module, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        if not ast.get_docstring(tree):
            problems.append(f"{module} has no docstring")
        if text.count("\n") > 300:
            problems.append(f"{module} has {text.count(chr(10))} lines")
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 40:
                    problems.append(f"{module}.{node.name} has {length} lines")
    assert problems == []


def test_the_kind_table_names_every_output_kind_exactly_once() -> None:
    listed = [kind for kind, _ in KIND_TABLE]
    assert sorted(listed) == sorted(OutputKind) and len(listed) == len(set(listed))
    assert all(rule.make is not None or rule.template is None for _, rule in KIND_TABLE)
    assert {kind for kind, rule in KIND_TABLE if rule.make is None} == {OutputKind.FILE}


def test_the_plan_counts_the_pages_the_kind_table_calls_searchable() -> None:
    loaded = load_site(REAL_CONTENT, today=BUILD_DAY, display_root=REAL_CONTENT.parent)
    assert loaded.site is not None
    searchable = [output for output in loaded.outputs if KINDS[output.kind].searchable]
    assert len(searchable) == searchable_count(loaded.site) > len(loaded.site.records)
    glob = searchable_glob(loaded.outputs)
    assert "evidence/*/index.html" in glob and all(output.kind is OutputKind.RECORD or output.path in glob
                                                   for output in searchable)


def test_the_generator_digest_covers_every_module(tmp_path: Path) -> None:
    """An edit to any module of any folder makes a new digest, so the cache never serves old output."""
    assert generator_digest() == folder_digest(Path(importlib.import_module(ROOT).__file__ or "").parent)
    copy = tmp_path / ROOT
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    original = generator_digest(copy)
    unchanged = []
    for module in sorted(copy.rglob("*.py")):
        text = module.read_text(encoding="utf-8")
        module.write_text(text + "\n# edited\n", encoding="utf-8")
        if generator_digest(copy) == original:
            unchanged.append(module.relative_to(copy).as_posix())
        module.write_text(text, encoding="utf-8")
    assert unchanged == []
    assert len(list(copy.rglob("*.py"))) == len(_modules())
    assert generator_digest(copy) == original
