"""External links: every http(s) address the content cites, and a polite check that each answers.

`external_links` finds each address with the files and lines that cite it; `check_external`
asks lychee to fetch them (a few requests per host, timeouts, retries with back-off, a cache
file with a maximum age) and reports dead ones against the files that cite them.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from coprod_site.check.lychee import run_lychee
from coprod_site.diagnostics import Diagnostics, Where
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import Site, is_web_url

# lychee keeps its cache in `.lycheecache` in the folder it runs in (the cache folder) and, since
# 0.24, never stores failures there: dead, erroring and timed-out URLs are fetched on every run.
EXTERNAL_FLAGS = ("--host-concurrency", "2", "--max-retries", "3", "--retry-wait-time", "2",
                  "--max-redirects", "5", "--cache", "--max-cache-age", "1d",
                  "--cache-exclude-status", "429,500..")
DEFAULT_TIMEOUT = 20
_ARCHIVE_HINT = "if the source has moved, use its new address; if it is gone, link an archived copy " \
                "(for example from the Internet Archive) and say so in the body"



Citations = dict[str, list[tuple[str, int]]]


def external_links(site: Site) -> Citations:
    """Each external URL with the files and lines that cite it."""
    cited: Citations = defaultdict(list)
    markdown = MarkdownRenderer()

    def add_markdown(text: str, source: str, first_line: int) -> None:
        for href, offset in markdown.links(text):
            if is_web_url(href):
                cited[href].append((source, first_line + offset))

    for record in site.records:
        cited[record.url].append((record.source, record.line_of("url")))
        add_markdown(record.body, record.source, record.body_line)
        for finding in record.findings:
            add_markdown(finding, record.source, record.line_of("findings"))
    for page in site.pages:
        add_markdown(page.body, page.source, page.body_line)
    add_markdown(site.config.intro, site.config.source, 1)
    for taxonomy in site.taxonomies:
        for term in taxonomy.terms:
            if term.url:
                cited[term.url].append((taxonomy.source, term.line))
    return {url: sorted(set(places)) for url, places in cited.items()}


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
        report = run_lychee([*EXTERNAL_FLAGS, "--timeout", str(timeout), str(listing)], cwd=cache_dir)
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
