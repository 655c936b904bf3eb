"""Markdown: render record bodies, findings and pages safely with markdown-it-py.

Raw HTML is off, so anything that looks like a tag is shown as text. Only http(s), mailto
and relative links become links; any other scheme (javascript:, data:, file:) is left as
plain text. Headings get stable ids made from their text, so sections can be linked to.

Each text is parsed once, and cheaply where it can be: inline text holding none of the
characters that start an inline rule (`INLINE_MARKERS`) becomes one text token without running
the inline parser, which would find nothing else in it, and such text with plain links or one
plain emphasis in it is drawn directly. The rules switched on are exactly
`BLOCK_RULES` and `INLINE_RULES` (raw HTML's rules are off, as the option that turns HTML off
would make them match nothing anyway). Likewise a body made only of the plainest blocks (ATX
headings, paragraphs whose lines start with a letter or a link, tight "- " lists whose items do; see
`_plain_blocks`) is drawn without the block parser, as markdown-it would draw it; any other body
goes through markdown-it whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
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
_PLAIN_LINK = re.compile(r"\[([^\[\]\n\\`*_<&\r\0]+)\]\(([^\x00-\x20\x7f()<>\\&]+)\)")
# An address of these characters, relative (no scheme, no user) or http(s) with a lowercase ASCII
# host, is its own normalised form (markdown-it's `normalizeLink` gives it back unchanged).
_SAME_WHEN_NORMALISED = re.compile(r"(?:https?://[a-z0-9.-]+(?::[0-9]+)?(?=[/?#]|$))?[A-Za-z0-9/?=+$,\-_.!~*'#;]*")
_NOT_PLAIN_TEXT = re.compile("[" + re.escape(INLINE_MARKERS) + "\r\0]")  # the parser changes \r and \0
# The plainest blocks: a line that starts with a letter or a link and ends with no space; an ATX
# heading; a "- " list item whose text is such a line. (No text holding "]:" is drawn this way: it
# may define a link reference.)
_TEXT_LINE = r"(?:[^\W\d_]|\[)(?:[^\n]*[^\s])?"
_PARAGRAPH_LINE = re.compile(_TEXT_LINE)
_HEADING = re.compile(r"(#{1,6}) ([^\s#](?:[^\n]*[^\s#])?)")
_ITEM = re.compile("- (" + _TEXT_LINE + ")")
_NO_FAST_BLOCKS = re.compile(r"[\r\0\t]")


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
        plain = _plain_blocks(text)
        if plain is None:
            return Markup(self._md.render(text, {"reserved_ids": reserved_ids}))
        used, html = set(reserved_ids), []
        for kind, parts in plain:
            if kind == "ul":
                html += ["<ul>\n", *(f"<li>{self.inline(item)}</li>\n" for item in parts), "</ul>\n"]
            elif kind == "p":
                html.append(f"<p>{self.inline(parts[0])}</p>\n")
            else:
                slug = escapeHtml(_unique_slug(parts[0], used))
                html.append(f'<{kind} id="{slug}">{self.inline(parts[0])}</{kind}>\n')
        return Markup("".join(html))

    def inline(self, text: str) -> Markup:
        """Render one line of inline Markdown (emphasis, links, code) to HTML."""
        if _NOT_PLAIN_TEXT.search(text) is None:  # one text token, drawn escaped
            return Markup(escapeHtml(text))
        drawn = self._plain_with_links(text)
        if drawn is None:
            drawn = _plain_with_emphasis(text)
        return Markup(drawn if drawn is not None else self._md.renderInline(text))

    def _plain_with_links(self, text: str) -> str | None:
        """Plain text with plain links `[label](address)` (an address with no space, bracket,
        escape or entity), drawn as markdown-it draws it; None for any other text."""
        html, end = [], 0
        for link in _PLAIN_LINK.finditer(text):
            before = text[end:link.start()]
            href = link[2] if _SAME_WHEN_NORMALISED.fullmatch(link[2]) else self._md.normalizeLink(link[2])
            if _NOT_PLAIN_TEXT.search(before) or before.endswith("!") or not self._md.validateLink(href):
                return None
            html += [escapeHtml(before), f'<a href="{escapeHtml(href)}">{escapeHtml(link[1])}</a>']
            end = link.end()
        if end == 0 or _NOT_PLAIN_TEXT.search(text, end):
            return None
        html.append(escapeHtml(text[end:]))
        return "".join(html)

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


def _plain_with_emphasis(text: str) -> str | None:
    """Plain text with one `*emphasis*` whose first and last characters are letters or digits
    (so the stars open and close it whatever surrounds them), drawn as markdown-it draws it;
    None for any other text."""
    parts = text.split("*")
    if len(parts) != 3 or not parts[1][:1].isalnum() or not parts[1][-1:].isalnum():
        return None
    if any(_NOT_PLAIN_TEXT.search(part) for part in parts):
        return None
    before, inner, after = map(escapeHtml, parts)
    return f"{before}<em>{inner}</em>{after}"


def _plain_blocks(text: str) -> list[tuple[str, tuple[str, ...]]] | None:
    """The blocks of `text` as ("h2", (heading,)), ("p", (paragraph,)) or ("ul", items), when
    every block is one of the plainest kinds; None when markdown-it must parse it."""
    if _NO_FAST_BLOCKS.search(text) or "]:" in text:
        return None
    blocks: list[tuple[str, tuple[str, ...]]] = []
    for group in _line_groups(text):
        heading = _HEADING.fullmatch(group[0]) if len(group) == 1 else None
        items = [_ITEM.fullmatch(line) for line in group]
        if heading is not None:
            blocks.append((f"h{len(heading[1])}", (heading[2],)))
        elif all(items):
            if blocks and blocks[-1][0] == "ul":
                return None  # two lists a blank line apart are one loose list
            blocks.append(("ul", tuple(item[1] for item in items if item)))
        elif all(_PARAGRAPH_LINE.fullmatch(line) for line in group):
            blocks.append(("p", ("\n".join(group),)))
        else:
            return None
    return blocks


def _line_groups(text: str) -> list[list[str]]:
    """The runs of lines of `text` between blank lines (lines of nothing but spaces)."""
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip(" "):
            groups[-1].append(line)
        elif groups[-1]:
            groups.append([])
    return [group for group in groups if group]


def _unique_slug(text: str, used: set[str]) -> str:
    """The heading id for `text`, numbered past the ids already `used`, and now used too."""
    base = heading_slug(text)
    slug, counter = base, 1
    while slug in used:
        counter += 1
        slug = f"{base}-{counter}"
    used.add(slug)
    return slug


def _add_heading_ids(state: StateCore) -> None:
    used: set[str] = set(state.env.get("reserved_ids", ()))
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            token.attrSet("id", _unique_slug(tokens[index + 1].content, used))
