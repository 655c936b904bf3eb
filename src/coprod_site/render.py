"""Render: turn the site model into files, through Jinja templates fed with view objects.

One Jinja environment with StrictUndefined and autoescape on. Template problems become a
`BuildError` naming the template and the folder templates are read from.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from coprod_site import urls
from coprod_site.build_feeds import feed_view, sitemap_view
from coprod_site.build_views import Views
from coprod_site.errors import BuildError
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import Site

ASSETS_FOLDER = "assets"
TEMPLATE_FOR_KIND = {
    urls.Kind.HOME: "home.html", urls.Kind.EVIDENCE_LIST: "list.html", urls.Kind.RECORD: "record.html",
    urls.Kind.TAXONOMY: "taxonomy.html", urls.Kind.TERM: "term.html", urls.Kind.PAGE: "page.html",
    urls.Kind.SEARCH: "search.html", urls.Kind.NOT_FOUND: "404.html",
}


def make_environment(templates: Path) -> jinja2.Environment:
    """The one Jinja environment of a build."""
    if not templates.is_dir():
        raise BuildError(f"templates folder not found: {templates}")
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates), undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )


def render_template(env: jinja2.Environment, name: str, **context: Any) -> str:
    """Render one template, turning any Jinja problem into a clear BuildError."""
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as missing:
        raise BuildError(f"template {missing.name} not found in {_search_path(env)}") from None
    except jinja2.TemplateSyntaxError as error:
        raise BuildError(f"template {error.name or name}, line {error.lineno}: {error.message}") from None
    except jinja2.UndefinedError as error:
        raise BuildError(f"template {name} (in {_search_path(env)}): {error.message}") from None


def _search_path(env: jinja2.Environment) -> str:
    loader = env.loader
    paths = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    return ", ".join(str(path) for path in paths)


def render_site(site: Site, plan: Sequence[urls.Output], templates: Path, target: Path) -> int:
    """Write every planned output into `target`; returns the number of files written."""
    env = make_environment(templates)
    views = Views(site, MarkdownRenderer())
    written = 0
    for output in plan:
        template = TEMPLATE_FOR_KIND.get(output.kind)
        if template is not None:
            write_text(target / output.path, render_template(env, template, view=views.for_output(output)))
            written += 1
    written += _write_machine_files(site, plan, env, target)
    shutil.copytree(templates / ASSETS_FOLDER, target / urls.ASSETS_URL, dirs_exist_ok=True)
    return written


def _write_machine_files(site: Site, plan: Sequence[urls.Output], env: jinja2.Environment,
                         target: Path) -> int:
    feed = feed_view(site, site.records, title=f"{site.config.title}: new evidence", feed_url=urls.FEED_URL)
    files = {
        urls.FEED_URL: render_template(env, "feed.xml", feed=feed),
        urls.SITEMAP_URL: render_template(env, "sitemap.xml", sitemap=sitemap_view(site, plan)),
        urls.ROBOTS_URL: render_template(env, "robots.txt", sitemap=sitemap_view(site, plan).sitemap),
    }
    for url, text in files.items():
        write_text(target / url, text)
    return len(files)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with Unix line endings, creating folders as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
