"""External links: every http(s) address the content cites, and where each one is written."""

from __future__ import annotations

from collections import defaultdict

from coprod_site.fields import is_web_url
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import Site

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
