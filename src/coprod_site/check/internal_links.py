"""Internal links: every link, image, script and `#fragment` of a built site, checked offline.

`check_internal` runs lychee over the output folder and names, for each broken link, the page
it is on and the content file that produced that page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from coprod_site.check.lychee import run_lychee
from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.errors import UsageError
from coprod_site.model import BUILT_IN, Output, Site


def check_internal(site: Site, plan: Sequence[Output], out: Path, diagnostics: Diagnostics) -> int:
    """Check every internal link in the built site at `out`; returns how many links were checked."""
    if not out.is_dir():
        raise UsageError(f"no built site in {out}: run coprod-site build first")
    root = out.resolve()
    report = run_lychee(["--offline", "--root-dir", str(root), "--include-fragments",
                          "--index-files", "index.html", "--hidden", "--no-ignore",
                          *_base_path_remap(root, site.config.base_url),
                          f"{root}/**/*.html"], cwd=root)
    sources = {str(output.path): output.source for output in plan}
    for page, failures in sorted(report.get("error_map", {}).items()):
        page_path = Path(page).resolve().relative_to(root).as_posix()
        for failure in failures:
            _report_broken(root, page_path, sources.get(page_path, BUILT_IN), failure, diagnostics)
    checked = int(report.get("total", 0)) - int(report.get("excludes", 0))
    if checked <= 0:
        diagnostics.error(Where(str(out)), "links", "the link checker found no links to check",
                          "check that the site was built into this folder")
    return checked


def _base_path_remap(root: Path, base_url: str) -> list[str]:
    """Map root-absolute links under the site's base path (the 404 page's) onto `root`."""
    base_path = urlsplit(base_url).path.rstrip("/")
    if not base_path:
        return []
    folder = root.as_uri()
    return ["--remap", f"^{re.escape(folder + base_path)}(/|$) {folder.replace('$', '$$')}/"]


def _report_broken(root: Path, page: str, source: str, failure: dict[str, Any],
                   diagnostics: Diagnostics) -> None:
    target = str(failure.get("url", ""))
    problem = str(failure.get("status", {}).get("text", "broken")).split(". ")[0]
    shown = target.removeprefix(root.as_uri())
    written = _written_link(root / page, failure.get("span") or {})
    line = _line_of(source, written)
    where = Where(source if source != BUILT_IN else page, line)
    web_page = "/" + page.removesuffix("index.html")
    diagnostics.error(where, "link", f"broken link on {web_page} to {shown}: {problem}",
                      "fix the link in this file, or the template if the link is not in the content")


def _written_link(page: Path, span: dict[str, Any]) -> str:
    """The link as written in the page's HTML, from lychee's line and column of its value."""
    lines = page.read_text(encoding="utf-8", errors="replace").split("\n")
    number, column = int(span.get("line", 0)), int(span.get("column", 0))
    if not 0 < number <= len(lines) or column < 2:
        return ""
    text = lines[number - 1]
    as_bytes = len(text.encode("utf-8")[:column - 1].decode("utf-8", errors="ignore"))
    for start in (column - 1, as_bytes):
        quote = text[start - 1] if 0 < start <= len(text) else ""
        if quote in ("'", '"'):
            end = text.find(quote, start)
            return html.unescape(text[start:end if end >= 0 else None])
    return ""


def _line_of(source: str, written: str) -> int:
    """The first line of the content file where the link was written (1 if it is not there)."""
    path = Path(source)
    if not written or not path.is_file():
        return 1
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").split("\n"), 1):
        if written in line:
            return number
    return 1
