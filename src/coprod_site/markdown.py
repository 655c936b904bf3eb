"""Markdown: render record bodies, findings and pages safely with markdown-it-py.

Raw HTML is off, so anything that looks like a tag is shown as text. Only http(s), mailto
and relative links become links; any other scheme (javascript:, data:, file:) is left as
plain text. Headings get stable ids made from their text, so sections can be linked to.

Each text is parsed once, and cheaply where it can be: inline text holding none of the
characters that start an inline rule (`INLINE_MARKERS`) becomes one text token without running
the inline parser, which would find nothing else in it. The rules switched on are exactly
`BLOCK_RULES` and `INLINE_RULES` (raw HTML's rules are off, as the option that turns HTML off
would make them match nothing anyway).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markupsafe import Markup

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
_NOT_WORD = re.compile(r"[^\w]+")

BLOCK_RULES = ("table", "code", "fence", "blockquote", "hr", "list", "reference", "heading", "lheading",
               "paragraph")
"""The block rules the renderer runs: CommonMark's and tables, without raw HTML."""
INLINE_RULES = ("text", "newline", "escape", "backticks", "emphasis", "link", "image", "autolink", "entity")
"""The inline rules the renderer runs: CommonMark's, without raw HTML."""
INLINE_MARKERS = "\n\\`*_[<&"
"""Every character at which one of `INLINE_RULES` other than `text` can match (an image's `!`
only before a `[`): inline text with none of them is one text token."""
_MARKER = re.compile("[" + re.escape(INLINE_MARKERS) + "]")


def is_allowed_link(url: str) -> bool:
    """True for http(s), mailto and relative links; false for every other scheme."""
    match = _SCHEME.match(url.strip())
    return match is None or match[1].lower() in _ALLOWED_SCHEMES


def heading_slug(text: str) -> str:
    """A stable id from heading text: lowercase words joined by hyphens."""
    return _NOT_WORD.sub("-", text.casefold()).strip("-_") or "section"


class MarkdownRenderer:
    """One configured markdown-it parser; create one per build and pass it where needed."""

    def __init__(self) -> None:
        self._md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        self._md.enable("table").disable(["html_block", "html_inline"])
        self._md.core.ruler.at("inline", _parse_inline)
        self._md.validateLink = is_allowed_link  # type: ignore[method-assign]
        self._md.core.ruler.push("heading_ids", _add_heading_ids)

    def block(self, text: str, *, reserved_ids: frozenset[str] = frozenset()) -> Markup:
        """Render Markdown paragraphs, lists and headings; heading ids avoid `reserved_ids`."""
        env = {"reserved_ids": reserved_ids}
        return Markup(self._md.render(text, env))

    def inline(self, text: str) -> Markup:
        """Render one line of inline Markdown (emphasis, links, code) to HTML."""
        return Markup(self._md.renderInline(text))

    def links(self, text: str) -> list[tuple[str, int]]:
        """Every link target in `text`, with the 0-based line of the block it is in."""
        found: list[tuple[str, int]] = []
        for block in self._md.parse(text):
            for child in block.children or ():
                href = child.attrGet("href") or child.attrGet("src")
                if child.type in ("link_open", "image") and isinstance(href, str):
                    found.append((href, block.map[0] if block.map else 0))
        return found

    def active_rules(self) -> dict[str, list[str]]:
        """The rules the parser runs, chain by chain (`INLINE_MARKERS` holds for these)."""
        return self._md.get_active_rules()

    def inline_all(self, texts: Sequence[str]) -> tuple[Markup, ...]:
        """Render several inline texts."""
        return tuple(self.inline(text) for text in texts)


def _parse_inline(state: StateCore) -> None:
    """markdown-it's core `inline` rule, with plain text (no `INLINE_MARKERS`) made one text token."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        if token.children is None:
            token.children = []
        content = token.content
        if content and _MARKER.search(content) is None:
            text = Token("text", "", 0)
            text.content = content
            token.children.append(text)
        else:
            state.md.inline.parse(content, state.md, state.env, token.children)


def _add_heading_ids(state: StateCore) -> None:
    used: set[str] = set(state.env.get("reserved_ids", ()))
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        base = heading_slug(tokens[index + 1].content)
        slug, counter = base, 1
        while slug in used:
            counter += 1
            slug = f"{base}-{counter}"
        used.add(slug)
        token.attrSet("id", slug)
