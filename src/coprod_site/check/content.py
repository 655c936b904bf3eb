"""Check: load the content and, on request, check the links of the built site and the web.

`check` writes nothing; it is `load` plus link checks, and reports everything at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from coprod_site.check.external_links import DEFAULT_TIMEOUT, check_external
from coprod_site.check.internal_links import check_internal
from coprod_site.diagnostics import Diagnostic, Diagnostics
from coprod_site.load import load_site

DEFAULT_CACHE = Path(".cache/coprod-site")


@dataclass(frozen=True, slots=True)
class LinkOptions:
    """Which link checks to run: internal ones over a built folder, external ones with a cache.

    `timeout` is how many seconds an external check waits for each answer.
    """

    built_site: Path | None = None
    external_cache: Path | None = None
    timeout: int = DEFAULT_TIMEOUT


def check_content(content: Path, *, today: date, display_root: Path,
                  links: LinkOptions = LinkOptions()) -> tuple[Diagnostic, ...]:
    """Every problem in `content`, plus broken links when `links` asks for them; paths are shown
    relative to `display_root` (the working folder)."""
    loaded = load_site(content, today=today, display_root=display_root)
    if loaded.site is None or (links.built_site is None and links.external_cache is None):
        return loaded.diagnostics
    diagnostics = Diagnostics(list(loaded.diagnostics))
    if links.built_site is not None:
        check_internal(loaded.site, loaded.outputs, links.built_site, diagnostics)
    if links.external_cache is not None:
        check_external(loaded.site, links.external_cache, diagnostics, timeout=links.timeout)
    return diagnostics.sorted()
