"""A small HTML tree for tests, built with the standard library's `html.parser`.

Tests inspect parsed elements and attributes, never raw substrings, so an attribute hidden in
odd markup cannot slip past them. `parse` returns the document's root `Element`; `find_all`
walks it; `text` gives an element's text with whitespace collapsed. `site_pages` lists a
built site's HTML pages with the URL each is served at, and `resolve_link` turns a link on a
page into the file and fragment it points to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
_SPACE = re.compile(r"\s+")


@dataclass
class Element:
    """One element: its tag, attributes (None for a bare attribute), children and source line."""

    tag: str
    attrs: dict[str, str | None]
    line: int
    children: list[Element | str] = field(default_factory=list)

    def get(self, name: str) -> str:
        """An attribute's value ('' when absent or bare)."""
        return self.attrs.get(name) or ""

    def classes(self) -> set[str]:
        """The element's class names."""
        return set(self.get("class").split())

    def iter(self) -> Iterator[Element]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def find_all(self, tag: str | None = None, *, cls: str | None = None,
                 **attrs: str) -> list[Element]:
        """Elements inside (or equal to) this one with `tag`, class `cls` and exact `attrs`.

        Attribute names use `_` for `-` (`http_equiv` matches `http-equiv`).
        """
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element for element in self.iter()
            if (tag is None or element.tag == tag)
            and (cls is None or cls in element.classes())
            and all(element.attrs.get(name) == value for name, value in wanted.items())
        ]

    def find(self, tag: str | None = None, *, cls: str | None = None, **attrs: str) -> Element:
        """The one element matching; fails when there is none or more than one."""
        found = self.find_all(tag, cls=cls, **attrs)
        assert len(found) == 1, f"expected one <{tag}> with {cls=} {attrs}, found {len(found)}"
        return found[0]

    def raw_text(self) -> str:
        """The text inside the element, exactly as parsed (entities decoded)."""
        return "".join(child if isinstance(child, str) else child.raw_text() for child in self.children)

    def text(self) -> str:
        """The text inside the element, whitespace collapsed and trimmed."""
        return _SPACE.sub(" ", self.raw_text()).strip()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, 0)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = [name for name, _ in attrs]
        assert len(names) == len(set(names)), f"duplicate attribute on <{tag}> at line {self.getpos()[0]}"
        element = Element(tag, dict(attrs), self.getpos()[0])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return
        raise AssertionError(f"stray </{tag}> at line {self.getpos()[0]}")

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """Parse an HTML document into a tree; returns the document root."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def parse_file(path: Path) -> Element:
    """Parse an HTML file (UTF-8)."""
    return parse(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class SitePage:
    """An HTML page of a built site: its file and the URL it is served at, relative to the root."""

    path: Path
    url: str


def page_url(relative: str) -> str:
    """The URL of a page file: `evidence/x/index.html` -> `evidence/x/`, `index.html` -> ``."""
    if relative == "index.html":
        return ""
    return relative.removesuffix("index.html")


def site_pages(out: Path) -> list[SitePage]:
    """Every HTML page of the built site at `out`, sorted by URL; not the CMS at admin/, an
    application for editors (kept out of the sitemap and search engines) rather than a page."""
    pages = [SitePage(path, page_url(path.relative_to(out).as_posix()))
             for path in out.rglob("*.html") if path.relative_to(out).parts[0] != "admin"]
    return sorted(pages, key=lambda page: page.url)


@dataclass(frozen=True)
class Target:
    """Where an internal link leads: a file of the site (relative path) and a fragment."""

    file: str
    fragment: str


def is_external(href: str) -> bool:
    """True for a link with a scheme or host (leaves the site)."""
    parts = urlsplit(href)
    return bool(parts.scheme or parts.netloc)


def resolve_link(base_url: str, from_url: str, href: str) -> Target | None:
    """The file an internal `href` on the page at `from_url` points to; None if it leaves the site.

    `base_url` is the site's published address; a link is resolved against the page's own
    address, so relative links and root-absolute ones ('/library/evidence/') both work.
    Folder URLs lead to their index.html.
    """
    absolute = urljoin(base_url + from_url, href)
    if not absolute.startswith(base_url):
        return None
    parts = urlsplit(absolute[len(base_url):])
    path = parts.path
    if path == "" or path.endswith("/"):
        path += "index.html"
    return Target(path, parts.fragment)
