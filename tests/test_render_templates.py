"""The build's Jinja environment: fragments (pieces of pages rendered once per distinct set of
values and reused as they are), and output escaped exactly as stock Jinja escapes it."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup, escape

from coprod_site.render import make_environment
from coprod_site.render.templates import Fragments, _Environment


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


class _Html:
    def __html__(self) -> str:
        return "<b>already HTML</b>"


ESCAPED = ["plain", "", "a & b < c > d ' e \" f", "&amp; stays text", "é ü ✓ 😀",
           Markup("<i>safe</i> & kept"), _Html(), 42, 3.5, None, True, ("<a>", "b"), ["'"]]


@pytest.mark.parametrize("value", ESCAPED, ids=repr)
def test_written_out_values_are_escaped_as_markupsafe_escapes_them(value: object) -> None:
    assert _Environment.escape_output(value) == str(escape(value))


TRICKY = """{% macro item(x) %}<li title="{{ x }}">{{ x }}</li>{% endmacro -%}
{% macro wrap(x) %}<div title="{{ x }}">{{ caller() }}</div>{% endmacro -%}
{% set captured %}<em>{{ value }}</em>{% endset -%}
{{ value }}|{{ value|e }}|{{ value|safe }}|{{ value ~ "<&>" }}|{{ captured }}|{{ item(value) }}
{% call wrap(value) %}<q>{{ value }}</q>{% endcall %}|{{ items|join(", ") }}|{{ number }}|{{ html }}
{% autoescape false %}{{ value }}{% endautoescape %}|{% for x in items %}{{ loop.index }}{{ x }}{% endfor %}
"""


def test_pages_render_exactly_as_stock_jinja_renders_them(tmp_path: Path) -> None:
    """The environment writes values out through its own escape; the HTML is byte for byte what a
    stock environment with the same options makes, XML and plain text included."""
    for name in ("page.html", "feed.xml", "notes.txt"):
        (tmp_path / name).write_text(TRICKY, encoding="utf-8")
    ours = make_environment(tmp_path)
    stock = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), undefined=jinja2.StrictUndefined,
                               autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"),
                                                                   default=False),
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    values = {"value": "<a href='x'>Tom & \"Jerry\"</a>", "items": ["<1>", Markup("<2>"), "'3'"],
              "number": 7, "html": _Html()}
    for name in ("page.html", "feed.xml", "notes.txt"):
        rendered = ours.get_template(name).render(values)
        assert rendered == stock.get_template(name).render(values)
    page = ours.get_template("page.html").render(values)
    assert "&lt;a href=&#39;x&#39;&gt;Tom &amp; &#34;Jerry&#34;&lt;/a&gt;" in page
    with pytest.raises(jinja2.UndefinedError):
        ours.get_template("page.html").render({**values, "number": jinja2.StrictUndefined()})
    # the values go out through the environment's escape (a Jinja that stopped calling the hook
    # would still render right, only slower: this says so)
    assert "environment.escape_output(" in str(ours.compile(TRICKY, "page.html", raw=True))
    assert "environment.escape_output(" not in str(ours.compile(TRICKY, "notes.txt", raw=True))
