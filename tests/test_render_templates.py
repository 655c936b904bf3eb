"""Fragments: pieces of pages rendered once per distinct set of values and reused as they are."""

from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from coprod_site.render import make_environment
from coprod_site.render.templates import Fragments


def _counting_env(tmp_path: Path) -> tuple[Fragments, list[str]]:
    (tmp_path / "piece.html").write_text("<p>{{ word }}{{ count() }}</p>\n", encoding="utf-8")
    env = make_environment(tmp_path)
    calls: list[str] = []

    def count() -> str:
        calls.append("rendered")
        return ""
    env.globals["count"] = count
    fragments = env.globals["fragment"]
    assert isinstance(fragments, Fragments)
    return fragments, calls


def test_a_fragment_is_rendered_once_for_each_distinct_set_of_values(tmp_path: Path) -> None:
    fragment, calls = _counting_env(tmp_path)
    assert fragment("piece.html", word="a & b") == Markup("<p>a &amp; b</p>\n")
    assert fragment("piece.html", word="a & b") == Markup("<p>a &amp; b</p>\n")
    assert fragment("piece.html", word="other") == Markup("<p>other</p>\n")
    assert calls == ["rendered", "rendered"]


def test_the_store_starts_again_past_its_limit_and_still_answers_right(tmp_path: Path) -> None:
    fragment, calls = _counting_env(tmp_path)
    fragment.LIMIT = 2
    made = [fragment("piece.html", word=word) for word in ("a", "b", "c", "a")]
    assert made == [Markup(f"<p>{word}</p>\n") for word in ("a", "b", "c", "a")]
    assert len(calls) == 4  # "a" was dropped when the store started again


def test_a_list_of_fragments_in_one_call_reuses_the_same_store(tmp_path: Path) -> None:
    (tmp_path / "item.html").write_text("<li>{{ word }}{{ mark }}{{ count() }}</li>", encoding="utf-8")
    fragment, calls = _counting_env(tmp_path)
    joined = fragment.each("item.html", ["a", "<b>", "a"], "word", mark="!")
    assert joined == Markup("<li>a!</li><li>&lt;b&gt;!</li><li>a!</li>")
    assert calls == ["rendered", "rendered"]
    assert fragment("item.html", word="a", mark="!") == Markup("<li>a!</li>")  # the same key: stored
    assert fragment.each("item.html", ["a"], "word", mark="?") == Markup("<li>a?</li>")
    assert len(calls) == 3
    assert fragment.each("item.html", [], "word", mark="!") == Markup("")
