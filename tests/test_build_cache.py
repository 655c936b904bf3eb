"""The build cache: a build with it writes exactly what a build without it writes, after any edit,
and it really skips work: unchanged records are neither parsed nor rendered again."""

from __future__ import annotations

import os
import shutil
import stat
from collections import Counter
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from conftest import BUILD_DAY, REAL_CONTENT, TEMPLATES
from content_factory import load_content, make_content, record
from coprod_site.build import BuildOptions, build_site
from coprod_site.errors import UsageError
from coprod_site.model import OutputKind as Kind
from coprod_site.render import KINDS
from html_tools import parse_file
from test_build_safety import snapshot

RECORD = "content/evidence/peer-support-evaluation.md"


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _edit_record_title(base: Path) -> None:
    _replace(base / RECORD, "title: ", "title: Revised ")


def _edit_record_body(base: Path) -> None:
    (base / RECORD).write_text((base / RECORD).read_text(encoding="utf-8") + "\nA new paragraph.\n",
                               encoding="utf-8")


def _rename_term(base: Path) -> None:
    _replace(base / "content/taxonomies/principles.yml", "name: Equality", "name: Equality of voice")


def _retitle_site(base: Path) -> None:
    _replace(base / "content/site.yml", "title: ", "title: The ")


def _edit_page(base: Path) -> None:
    page = base / "content/pages/about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore about us.\n", encoding="utf-8")


def _edit_template(base: Path) -> None:
    _replace(base / "templates/record.html", "<h1", "<h1 data-edited")


def _add_record(base: Path) -> None:
    added = base / "content/evidence/added-later.md"
    added.write_text(record(title="title: Added later"), encoding="utf-8")


def _remove_record(base: Path) -> None:
    (base / RECORD).unlink()


EDITS: dict[str, Callable[[Path], None]] = {
    "record title": _edit_record_title, "record body": _edit_record_body, "term name": _rename_term,
    "site title": _retitle_site, "prose page": _edit_page, "template": _edit_template,
    "new record": _add_record, "removed record": _remove_record,
}


def _workspace(tmp_path: Path) -> tuple[Path, Path]:
    content = make_content(tmp_path)
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    return content, templates


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_after_any_edit_the_cached_build_equals_a_fresh_one(tmp_path: Path, edit: str, workers: int) -> None:
    content, templates = _workspace(tmp_path)
    cache, cached, fresh = tmp_path / "cache", tmp_path / "cached", tmp_path / "fresh"
    assert build_site(content, cached, templates, today=BUILD_DAY,
                      options=BuildOptions(search=False, cache=cache)).ok
    before = snapshot(cached)
    EDITS[edit](tmp_path)
    assert build_site(content, cached, templates, today=BUILD_DAY,
                      options=BuildOptions(search=False, cache=cache, workers=workers)).ok
    assert build_site(content, fresh, templates, today=BUILD_DAY,
                      options=BuildOptions(search=False, workers=workers)).ok
    assert snapshot(cached) == snapshot(fresh)
    assert snapshot(cached) != before, "the edit changed nothing: the test proves nothing"


def test_the_real_site_is_byte_identical_with_and_without_the_cache_and_search(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plain, cold, warm = tmp_path / "plain", tmp_path / "cold", tmp_path / "warm"
    assert build_site(REAL_CONTENT, plain, TEMPLATES, today=BUILD_DAY).ok
    assert build_site(REAL_CONTENT, cold, TEMPLATES, today=BUILD_DAY, options=BuildOptions(cache=cache)).ok
    assert build_site(REAL_CONTENT, warm, TEMPLATES, today=BUILD_DAY, options=BuildOptions(cache=cache)).ok
    assert snapshot(plain) == snapshot(cold) == snapshot(warm)


def _build_counting(content: Path, out: Path, templates: Path, cache: Path) -> tuple[Counter[str], list[str]]:
    """Build with the cache in one process; the outputs rendered (by template, or kind for files
    made without one) and the record files parsed, as the build reports them."""
    result = build_site(content, out, templates, today=BUILD_DAY,
                        options=BuildOptions(search=False, cache=cache, workers=1))
    assert result.ok
    rendered = Counter(KINDS[output.kind].template or str(output.kind) for output in result.rendered)
    return rendered, [PurePosixPath(path).stem for path in result.load.parsed]


def test_a_rebuild_parses_and_renders_only_what_an_edit_touched(tmp_path: Path) -> None:
    content, templates = _workspace(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "out"
    rendered, parsed = _build_counting(content, out, templates, cache)
    assert rendered["record.html"] == 3 and len(parsed) == 3
    rendered, parsed = _build_counting(content, out, templates, cache)
    assert parsed == [] and sum(rendered.values()) == 0, "nothing changed: nothing is parsed or rendered"
    _edit_record_body(tmp_path)
    rendered, parsed = _build_counting(content, out, templates, cache)
    assert parsed == ["peer-support-evaluation"] and rendered == {"record.html": 1}, \
        "only the record's own page shows its body"
    listing_it = _pages_listing_as_related(content, PurePosixPath(RECORD).stem)
    assert listing_it, "no record lists the edited one as related: the count below proves too little"
    _edit_record_title(tmp_path)
    rendered, _ = _build_counting(content, out, templates, cache)
    assert rendered["record.html"] == 1 + len(listing_it), "its page, and the pages listing it as related"
    assert rendered["term.html"] >= 1
    assert rendered["home.html"] == 1, "the home page lists the newest records: it is made again"


def _pages_listing_as_related(content: Path, record_id: str) -> list[str]:
    site = load_content(content).site
    assert site is not None
    return sorted(other for other, related in site.related.items() if record_id in related)


def test_a_related_record_retitled_updates_the_pages_listing_it(tmp_path: Path) -> None:
    """A record page lists its related records' titles, so its cache key covers them: after the
    edit the cached build shows the new title and equals a fresh build byte for byte."""
    content, templates = _workspace(tmp_path)
    cache, cached, fresh = tmp_path / "cache", tmp_path / "cached", tmp_path / "fresh"
    record_id = PurePosixPath(RECORD).stem
    listing_it = _pages_listing_as_related(content, record_id)
    assert listing_it
    assert build_site(content, cached, templates, today=BUILD_DAY,
                      options=BuildOptions(search=False, cache=cache)).ok
    _edit_record_title(tmp_path)
    assert build_site(content, cached, templates, today=BUILD_DAY,
                      options=BuildOptions(search=False, cache=cache)).ok
    assert build_site(content, fresh, templates, today=BUILD_DAY, options=BuildOptions(search=False)).ok
    assert snapshot(cached) == snapshot(fresh)
    for other in listing_it:
        section = parse_file(cached / "evidence" / other / "index.html").find("section", cls="related")
        titles = [a.text() for a in section.find_all("a")]
        assert any(title.startswith("Revised ") for title in titles), (other, titles)


def test_unchanged_files_are_links_to_the_cache_which_keeps_only_the_last_build(tmp_path: Path) -> None:
    content, templates = _workspace(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "out"
    assert build_site(content, out, templates, today=BUILD_DAY,
                      options=BuildOptions(search=False, cache=cache)).ok
    _edit_record_title(tmp_path)
    loaded = build_site(content, out, templates, today=BUILD_DAY,
                        options=BuildOptions(search=False, cache=cache)).load
    kept = [path for path in (cache / "files").rglob("*") if path.is_file()]
    rendered = [output for output in loaded.outputs if output.kind is not Kind.FILE]
    assert len(kept) == len(rendered), "the cache holds this build's files, no older ones"
    page = out / "evidence" / "shared-budget-pilot" / "index.html"
    assert os.stat(page).st_nlink == 2
    assert stat.S_IMODE(os.stat(page).st_mode) == 0o444, "shared with the cache: never edited in place"
    assert {os.stat(path).st_ino for path in kept} >= {os.stat(page).st_ino}


def test_diagnostics_are_the_same_from_the_cache(tmp_path: Path) -> None:
    broken = {"evidence/bad-year.md": record(year="year: 1066"), "evidence/Bad Name.md": record()}
    content = make_content(tmp_path, broken)
    cache = tmp_path / "cache"
    first = build_site(content, tmp_path / "out", TEMPLATES, today=BUILD_DAY,
                       options=BuildOptions(search=False, cache=cache))
    second = build_site(content, tmp_path / "out", TEMPLATES, today=BUILD_DAY,
                        options=BuildOptions(search=False, cache=cache))
    assert not first.ok and not second.ok
    assert [item.headline() for item in first.load.diagnostics] == \
        [item.headline() for item in second.load.diagnostics]
    assert len(first.load.diagnostics) >= 2


def test_a_damaged_cache_is_rebuilt_not_trusted(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    cache, out, fresh = tmp_path / "cache", tmp_path / "out", tmp_path / "fresh"
    assert build_site(content, out, TEMPLATES, today=BUILD_DAY,
                      options=BuildOptions(search=False, cache=cache)).ok
    (cache / "load.pickle").chmod(0o644)
    (cache / "load.pickle").write_bytes(b"not a pickle")
    shutil.rmtree(next((cache / "files").iterdir()))
    assert build_site(content, out, TEMPLATES, today=BUILD_DAY,
                      options=BuildOptions(search=False, cache=cache)).ok
    assert build_site(content, fresh, TEMPLATES, today=BUILD_DAY, options=BuildOptions(search=False)).ok
    assert snapshot(out) == snapshot(fresh)


def test_the_cache_may_not_live_in_the_sources_or_the_output(tmp_path: Path) -> None:
    content = make_content(tmp_path)
    with pytest.raises(UsageError, match="inside"):
        build_site(content, tmp_path / "out", TEMPLATES, today=BUILD_DAY,
                   options=BuildOptions(cache=content / "cache"))
    with pytest.raises(UsageError, match="contains"):
        build_site(content, tmp_path / "out", TEMPLATES, today=BUILD_DAY,
                   options=BuildOptions(cache=tmp_path / "out" / "cache"))
