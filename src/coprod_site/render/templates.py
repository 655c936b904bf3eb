"""Jinja: the one environment of a build, and rendering a template with clear errors.

StrictUndefined and autoescape are on. Template problems become a `BuildError` naming the
template and the folder templates are read from.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any

import jinja2

from coprod_site.errors import BuildError


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
