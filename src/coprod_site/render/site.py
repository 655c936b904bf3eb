"""Render: turn the site model into files, through Jinja templates fed with view objects.

One Jinja environment with StrictUndefined and autoescape on. Template problems become a
`BuildError` naming the template and the folder templates are read from.
"""

from __future__ import annotations

import os
import shutil
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2

from coprod_site import urls
from coprod_site.build_cache import BuildCache
from coprod_site.build_views import Views
from coprod_site.errors import BuildError
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import Site
from coprod_site.output_keys import OutputKeys
from coprod_site.render_files import Files
from coprod_site.workers import map_parts

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
    except Exception as error:  # any other failure inside a template
        where = _failing_template(error, name)
        raise BuildError(f"template {where}: {type(error).__name__}: {error}") from None


def _failing_template(error: Exception, name: str) -> str:
    """The template file and line where `error` was raised (Jinja puts them in the traceback)."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename.endswith(
        (".html", ".xml", ".txt"))]
    return f"{frames[-1].filename}, line {frames[-1].lineno}" if frames else name


def _search_path(env: jinja2.Environment) -> str:
    loader = env.loader
    paths = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else []
    return ", ".join(str(path) for path in paths)


def render_site(site: Site, plan: Sequence[urls.Output], templates: Path, target: Path, *,
                workers: int = 1, cache: BuildCache | None = None) -> int:
    """Write every planned output into `target`, in `workers` processes; returns the file count.

    With a `cache`, an output whose key is kept there is linked instead of rendered, and the
    cache keeps exactly this build's outputs afterwards."""
    make_environment(templates)  # a missing templates folder fails here, before any process starts
    jobs = [output for output in plan if output.kind is not urls.Kind.FILE]
    keys = OutputKeys(cache, site) if cache is not None else None
    if keys is not None:
        keys.prepare()  # made once here, inherited by every process
    used = map_parts(lambda part: _render_outputs(site, plan, part, templates, target, keys),
                     split_jobs(jobs, workers))
    if cache is not None:
        cache.keep_only(key for part in used for key in part)
    shutil.copytree(templates / ASSETS_FOLDER, target / urls.ASSETS_URL, dirs_exist_ok=True)
    return len(jobs)


def split_jobs(jobs: Sequence[urls.Output], workers: int) -> list[list[urls.Output]]:
    """Share the outputs between workers, alternating so each gets a like mix; the open-data
    outputs stay together, so the data they share is made once."""
    parts: list[list[urls.Output]] = [[] for _ in range(max(1, min(workers, len(jobs))))]
    together = (urls.Kind.DATA, urls.Kind.DATA_FILE)
    parts[0].extend(job for job in jobs if job.kind in together)
    by_kind = sorted((job for job in jobs if job.kind not in together), key=lambda job: (job.kind, job.url))
    for index, job in enumerate(by_kind):  # alternate within each kind: a record's four files differ in cost
        parts[index % len(parts)].append(job)
    return parts


def _render_outputs(site: Site, plan: Sequence[urls.Output], outputs: Sequence[urls.Output],
                    templates: Path, target: Path, keys: OutputKeys | None) -> list[str]:
    """Render `outputs` into `target` (or link them from the cache); returns the cache keys used."""
    env = make_environment(templates)
    views = Views(site, MarkdownRenderer())
    files = Files(site, plan, env, render_template, lambda: views.open_data)

    def render(output: urls.Output) -> str:
        if output.kind in urls.HTML_KINDS:
            return render_template(env, TEMPLATE_FOR_KIND[output.kind], view=views.for_output(output))
        return files.for_output(output)

    if keys is None:
        for output in outputs:
            write_text(target / output.path, render(output))
        return []
    folders: set[str] = set()
    used = []
    for output in outputs:
        key, path = keys.key(output), f"{target}/{output.path}"
        folder = os.path.dirname(path)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if not keys.cache.link_file(key, path):
            keys.cache.store_file(key, render(output).encode("utf-8"))
            keys.cache.link_file(key, path)
        used.append(key)
    return used


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text with Unix line endings, creating folders as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
