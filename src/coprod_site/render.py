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
from coprod_site.build_views import Views
from coprod_site.errors import BuildError
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import Site
from coprod_site.render_files import Files

ASSETS_FOLDER = "assets"
TEMPLATE_FOR_KIND = {
    urls.Kind.HOME: "home.html", urls.Kind.EVIDENCE_LIST: "list.html", urls.Kind.RECORD: "record.html",
    urls.Kind.TAXONOMY: "taxonomy.html", urls.Kind.TERM: "term.html", urls.Kind.PAGE: "page.html",
    urls.Kind.SEARCH: "search.html", urls.Kind.NOT_FOUND: "404.html", urls.Kind.MAP: "map.html",
    urls.Kind.MAP_CELL: "list.html", urls.Kind.DATA: "data.html",
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
    files = Files(site, plan, env, render_template, lambda: views.open_data)
    written = 0
    for output in plan:
        if output.kind in urls.HTML_KINDS:
            text = render_template(env, TEMPLATE_FOR_KIND[output.kind], view=views.for_output(output))
        elif output.kind is urls.Kind.FILE:
            continue
        else:
            text = files.for_output(output)
        write_text(target / output.path, text)
        written += 1
    shutil.copytree(templates / ASSETS_FOLDER, target / urls.ASSETS_URL, dirs_exist_ok=True)
    return written


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with Unix line endings, creating folders as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
