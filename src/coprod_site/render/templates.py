"""Jinja: the one environment of a build, and rendering a template with clear errors.

StrictUndefined and autoescape are on. Values are written out escaped exactly as MarkupSafe
escapes them, as plain strings (`_OutputEscapes`). Template problems become a `BuildError`
naming the template and the folder templates are read from.

Pieces many pages share word for word (the site header, the footer, a record's item in a list)
are templates of their own that pages call through `fragment(name, **values)`: each is rendered
once per environment for each distinct set of values and reused as it is (a list's items all in
one call, `fragment.each(name, items, item_name, **values)`). A fragment sees only
the values it is given, so equal values always make the same HTML. An environment is made for
one set of templates: after a template changes, make a new one (it does not look at the files
again, which would cost a `stat` of each template every time a page asks for it).

HTML templates are indented for their readers, not for the browser: the indentation at the start
of each line of an `.html` template is dropped as it is read (line numbers stay the same), so
pages carry none of it. Text put into a template (a Markdown body's code block) keeps its own.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Hashable, Iterable, MutableMapping
from pathlib import Path
from typing import Any, cast

import jinja2
import jinja2.compiler
import jinja2.nodes
from markupsafe import Markup

from coprod_site.errors import BuildError


def make_environment(templates: Path) -> jinja2.Environment:
    """The one Jinja environment of a build."""
    if not templates.is_dir():
        raise BuildError(f"templates folder not found: {templates}")
    env = _Environment(
        loader=_UnindentedHtml(templates), undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "xml"), default=False),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, auto_reload=False,
    )
    env.globals["fragment"] = Fragments(env)
    return env


class _OutputEscapes(jinja2.compiler.CodeGenerator):
    """Jinja's code generator, with each autoescaped `{{ value }}` written out through
    `_Environment.escape_output`: the text MarkupSafe's `escape` gives, as a plain string. (`escape`
    wraps every value in a new `Markup` in Python, which the output, joined into one string at the
    end, has no use for; a page at 10,000 records writes out some 140 values.)"""

    def _output_child_pre(self, node: jinja2.nodes.Expr, frame: jinja2.compiler.Frame,
                          finalize: Any) -> None:
        if not frame.eval_ctx.autoescape or frame.eval_ctx.volatile:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("environment.escape_output(")
        if finalize.src is not None:
            self.write(finalize.src)


class _Environment(jinja2.Environment):
    """An environment whose templates see its globals as one plain dict (Jinja's default, a
    `ChainMap` over them, is walked key by key in Python each time a template is rendered; the
    globals are all set in `make_environment`, before any template is loaded), and escape what
    they write out without making a `Markup` of it (`_OutputEscapes`)."""

    code_generator_class = _OutputEscapes

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}

    @staticmethod
    def escape_output(value: Any) -> str:
        """`markupsafe.escape(value)` as a plain string: HTML (`__html__`) as it is, any other
        value as text with & < > ' " replaced as MarkupSafe replaces them."""
        if type(value) is str:
            text = value
        elif hasattr(value, "__html__"):
            return cast(str, value.__html__())
        else:
            text = str(value)
        return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
                .replace("'", "&#39;").replace('"', "&#34;"))


_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)


class _UnindentedHtml(jinja2.FileSystemLoader):
    """Templates from a folder, the lines of HTML ones without their indentation."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source, filename, uptodate = super().get_source(environment, template)
        return (_INDENT.sub("", source) if template.endswith(".html") else source), filename, uptodate


class Fragments:
    """Templates rendered once for each distinct set of values, then reused (`fragment` in templates)."""

    LIMIT = 200_000
    """How many fragments are kept at most; past it the store starts again, so memory stays bounded."""

    def __init__(self, env: jinja2.Environment) -> None:
        self._env = env
        self._made: dict[tuple[object, ...], Markup] = {}

    def __call__(self, name: str, /, **values: Hashable) -> Markup:
        """The HTML of template `name` given `values` (which must be hashable: text, numbers,
        tuples and frozen view objects)."""
        return self._stored((name, *values.items()))

    def each(self, name: str, items: Iterable[Hashable], item: str, /, **values: Hashable) -> Markup:
        """The HTML of template `name` once for each of `items` (passed to it as `item`, beside
        `values`), joined: a list's items in one call from the template rather than one each."""
        shared = tuple(values.items())
        return Markup("".join([self._stored((name, (item, value), *shared)) for value in items]))

    def _stored(self, key: tuple[Any, ...]) -> Markup:
        """The fragment `key` names: its template's name, then its values as (name, value) pairs."""
        made = self._made.get(key)
        if made is None:
            if len(self._made) >= self.LIMIT:
                self._made.clear()
            made = self._made[key] = Markup(self._env.get_template(key[0]).render(dict(key[1:])))
        return made


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
