"""The Markdown renderer: plain text skips the inline parser and plain bodies the block parser,
and both render exactly as markdown-it renders them with every rule run (the same CommonMark
rules, raw HTML off)."""

from __future__ import annotations

import random
import re

import pytest
from markdown_it import MarkdownIt

from conftest import REAL_CONTENT
from coprod_site.markdown import (
    _SAME_WHEN_NORMALISED,
    BLOCK_RULES,
    INLINE_MARKERS,
    INLINE_RULES,
    MarkdownRenderer,
    _plain_blocks,
    is_allowed_link,
)

SAMPLES = (
    "Plain words, with commas; colons: and full stops.",
    "Co-production -- with dashes - and ~tildes~ and 100% of #hashes and $signs",
    "Quotes \"double\" and 'single' and > angle and = equals",
    "Wow! An exclamation, and ![an image](https://example.org/i.png) after it",
    "Emphasis *here* and __there__",
    "A [link](https://example.org) and a <https://example.org/auto> autolink",
    "Raw <b>HTML</b> stays text, &amp; entities &copy; are read",
    "Code `x < y` and a backslash \\* escape",
    "Two lines\nof one paragraph",
    "Hard  \nbreak",
    "   leading and trailing spaces   ",
    "",
    "## A heading\n\nA paragraph.\n\n- a list\n- of items\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Setext heading\n--------------\n\n    indented code\n\n```\nfenced <code>\n```\n",
    "[ref]\n\n[ref]: https://example.org \"Title\"\n\n1. one\n2. two\n\n***\n",
    "A [javascript link](javascript:alert(1)) is refused",
    "Unicode: café, naïve, “curly”, em—dash, \u00a0nbsp",
    "[a](../b/) and [c d](https://example.org/x?y=1#z) then [e](mailto:a@example.org).",
    "[a](javascript:alert(1)) [b](data:text/html,x) [c](file:///etc) [d](JAVASCRIPT:x)",
    "Wow![a](b) and ![a](b) and [a](b c) and [a](<b>) and [a](b \"title\")",
    "[a&b](c) [a](c&amp;d) [a](c%20d%zz) [a](http://ex.org/é) [a](HTTP://EX.ORG/A) [a](b)(c)",
    "[[a](b)](c) [a](b)[c](d) [a]( b ) []() [a]() [a](b\\c) [a](b\"c) [a](b'c) [*a*](b)",
    "[a](http://xn--80ak6aa92e.com/) [a](http://пример.рф/) [a](//host/p) [a](#frag) [a](?q)",
    "Emphasis *of a few words*. Then a*b*c, *é*, *1*, * spaced *, *a *, * a*, *.a*, *a.*, *a*b",
    "**strong** *a **b** c* *a* *b* _a_ *a_b* *a`b* *a\\*b* *a<b>* *a&amp;* *a [l](x)* ***a***",
)
EMPHASIS = ("*a*", "x *a b* y", "a*b*c", "*é*", "*1*", "* a*", "*a *", "*.a*", "*a.*", "(*a*)", "*a*.",
            "x*(a)*y", "*a*b", "a*b", "*a**", "**a*", "*a b*c*", "*ab\nc*", "*a_b*", "*a&b*", "*a<b*",
            "*a\rb*", "*\u00a0a*", "*a\u3000*", "*١*", "*a!*", "!*a*", "*a*!")


def _reference() -> MarkdownIt:
    """markdown-it as the renderer configures it, running every inline rule on every text."""
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
    md.validateLink = is_allowed_link  # type: ignore[method-assign]
    return md


def _without_ids(html: str) -> str:
    """The HTML without the ids the renderer gives headings (plain markdown-it gives none)."""
    return re.sub(r'(<h[1-6]) id="[^"]*"', r"\1", str(html))


def _random_texts(count: int) -> list[str]:
    """Texts drawn from words and every character an inline or block rule reacts to."""
    pieces = ["word", "co-production", " ", " ", "\n", "\n\n", "*", "_", "`", "[", "]", "(", ")", "!", "<",
              ">", "&", "\\", "#", "-", "1.", "|", "~", "\"", "'", "https://example.org", "&amp;", "  \n",
              "é"]
    chosen = random.Random(16)
    return ["".join(chosen.choice(pieces) for _ in range(chosen.randint(1, 30))) for _ in range(count)]


def _random_bodies(count: int) -> list[str]:
    """Bodies drawn from the lines of plain blocks and of every block that must not pass for one."""
    lines = ["## A heading", "### Heading ###", "# Top", "## C# and F#", "####### seven", "##  two spaces",
             "A paragraph line.", "Another line with *emphasis*", "[A link](https://example.org) first",
             "[ref]: https://example.org", "Uses [ref] here", "- An item", "- [Linked](x.html) item",
             "- 1. nested", "- - -", "* star item", "1. ordered", "  indented two", "    indented code",
             "---", "===", "> a quote", "| a | b |", "|---|---|", "```", "trailing spaces  ", "\ttab",
             "Émile’s line", "é", "", "", " "]
    plain = [line for line in lines if line[:1].isalpha() or line.startswith(("## ", "- [", "- A", "["))]
    chosen = random.Random(14)

    def line() -> str:
        return chosen.choice([*plain, "", ""] if chosen.random() < 0.9 else lines)
    return ["\n".join(line() for _ in range(chosen.randint(1, 12))) + chosen.choice(["", "\n"])
            for _ in range(count)]


def _real_texts() -> list[str]:
    paths = sorted((REAL_CONTENT / "evidence").glob("*.md")) + sorted((REAL_CONTENT / "pages").glob("*.md"))
    return [path.read_text(encoding="utf-8").split("---\n", 2)[2] for path in paths]


@pytest.mark.parametrize("text", [*SAMPLES, *_random_texts(400), *_random_bodies(600), *_real_texts()])
def test_block_renders_as_markdown_it_does(text: str) -> None:
    renderer, reference = MarkdownRenderer(), _reference()
    assert _without_ids(renderer.block(text)) == _without_ids(reference.render(text))


@pytest.mark.parametrize(("reserved", "expected"), [
    (frozenset(), ['id="findings"', 'id="findings-2"', 'id="section"']),
    (frozenset({"findings"}), ['id="findings-2"', 'id="findings-3"', 'id="section"'])])
@pytest.mark.parametrize("tail", ["", "\n\n    code makes the parser draw it"])
def test_headings_get_the_same_ids_either_way(reserved: frozenset[str], expected: list[str],
                                              tail: str) -> None:
    """A plain body and one markdown-it parses number repeated and reserved heading ids alike."""
    html = MarkdownRenderer().block("## Findings\n\n## Findings\n\n## ...\n" + tail, reserved_ids=reserved)
    assert re.findall(r'id="[^"]*"', html) == expected


def test_a_plain_body_is_drawn_without_the_block_parser() -> None:
    """The common record body (headings, paragraphs, a tight list of links) takes the short way."""
    body = "## What it looked at\n\nA paragraph.\nIts second line.\n\n- [A link](../a/) first\n- Second\n"
    assert _plain_blocks(body) == [("h2", ("What it looked at",)), ("p", ("A paragraph.\nIts second line.",)),
                                   ("ul", ("[A link](../a/) first", "Second"))]
    assert _plain_blocks(body + "\n- A second list a blank line on\n") is None
    assert _plain_blocks(body + "\n[a]: https://example.org\n") is None


@pytest.mark.parametrize("text", [*SAMPLES, *EMPHASIS, *_random_texts(400)])
def test_inline_renders_as_markdown_it_does(text: str) -> None:
    assert MarkdownRenderer().inline(text) == _reference().renderInline(text)


def test_addresses_taken_as_they_are_are_what_markdown_it_makes_of_them() -> None:
    """Relative addresses of plain characters, and http(s) ones with a lowercase host, skip
    markdown-it's normaliser, which leaves them as they are; every other address goes through it."""
    chosen, md = random.Random(5), MarkdownIt("commonmark")
    pieces = ["//", "/", "example.org", "EX.ORG", "?q=1", "#f", "..", "./", "../", "p=1;q", "~", "+", "$",
              ",", "*", "!", "'", "-", "_", "x", "Z", "9"]
    addresses = ["".join(chosen.choice(pieces) for _ in range(chosen.randint(1, 8))) for _ in range(20_000)]
    schemes = ["https://", "http://", "HTTPS://", "mailto:", "ftp://"]
    hosts = ["example.org", "a-b.c9", "Ex.org", "xn--bcher-kva.de", "é.fr"]
    ports, paths = ["", ":8080", ":"], ["", "/", "/a/b?q=1#f", "?x", "#top", "/p%20q", "/(a)", "/é"]
    absolute = [chosen.choice(schemes) + chosen.choice(hosts) + chosen.choice(ports) + chosen.choice(paths)
                for _ in range(5_000)]
    taken = [address for address in addresses + absolute if _SAME_WHEN_NORMALISED.fullmatch(address)]
    assert set(addresses) <= set(taken)
    assert {"https://example.org", "http://a-b.c9:8080/a/b?q=1#f"} <= set(taken)
    assert [md.normalizeLink(address) for address in taken] == taken
    for address in ("HTTPS://example.org/", "https://Ex.org/", "https://é.fr/", "https://example.org:/",
                    "https://example.org/p%20q", "mailto:a@b.org", "//@host", "https://a.b/(a)"):
        assert not _SAME_WHEN_NORMALISED.fullmatch(address)


def test_the_renderer_runs_exactly_the_rules_the_markers_cover() -> None:
    """`INLINE_MARKERS` is only right for these rules: a rule switched on later must be added to both."""
    rules = MarkdownRenderer().active_rules()
    assert tuple(rules["block"]) == BLOCK_RULES
    assert tuple(rules["inline"]) == INLINE_RULES
    assert not {"html_block", "html_inline"} & {*rules["block"], *rules["inline"]}
    assert set(INLINE_MARKERS) == {"\n", "\\", "`", "*", "_", "[", "<", "&"}


def test_raw_html_stays_text() -> None:
    renderer = MarkdownRenderer()
    assert renderer.block("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    assert renderer.inline("a <b>bold</b> claim") == "a &lt;b&gt;bold&lt;/b&gt; claim"
