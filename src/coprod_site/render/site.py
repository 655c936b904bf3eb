"""Render: write every planned output of a site into a folder, in several processes.

Each output is made as its kind's rule says (`kinds.KINDS`): a view through its template, or
text directly. With a build cache, an output whose key is kept there is linked instead of
rendered, and the cache keeps exactly this build's outputs afterwards.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2

from coprod_site.build_cache import BuildCache
from coprod_site.markdown import MarkdownRenderer
from coprod_site.model import Output, OutputKind, Site, urls
from coprod_site.output_folder import write_file
from coprod_site.parallel import map_shared
from coprod_site.render.kinds import KINDS
from coprod_site.render.output_keys import OutputKeys
from coprod_site.render.templates import make_environment, render_template
from coprod_site.views import ViewContext

ASSETS_FOLDER = "assets"


@dataclass(frozen=True, slots=True)
class RenderReport:
    """What rendering did: how many files it wrote, and the outputs it rendered rather than took
    from the build cache, in plan order."""

    files: int
    rendered: tuple[Output, ...]


def render_site(site: Site, plan: Sequence[Output], templates: Path, target: Path, *,
                workers: int = 1, cache: BuildCache | None = None) -> RenderReport:
    """Write every planned output into `target`, in `workers` processes."""
    make_environment(templates)  # a missing templates folder fails here, before any process starts
    jobs = [output for output in plan if KINDS[output.kind].make is not None]
    keys = OutputKeys(cache, site) if cache is not None else None
    if keys is not None:
        keys.prepare()  # made once here, inherited by every process
    used = map_shared(lambda outputs: _render_outputs(site, plan, outputs, templates, target, keys),
                      batch_jobs(jobs), workers)
    if cache is not None:
        cache.keep_only(key for keys_used, _ in used for key in keys_used)
    shutil.copytree(templates / ASSETS_FOLDER, target / urls.ASSETS_URL, dirs_exist_ok=True)
    made = {url for _, urls_made in used for url in urls_made}
    return RenderReport(len(jobs), tuple(output for output in jobs if output.url in made))


BATCH = 100
"""Outputs a process takes at a time: small beside a build, large beside taking one."""


def batch_jobs(jobs: Sequence[Output], size: int = BATCH) -> list[list[Output]]:
    """The outputs in batches for the processes to take in turn (`map_shared`): the open-data
    outputs first and together, so the data they share is made once, then the others by kind."""
    together = (OutputKind.DATA, OutputKind.DATA_FILE)
    first = [job for job in jobs if job.kind in together]
    rest = sorted((job for job in jobs if job.kind not in together), key=lambda job: (job.kind, job.url))
    return ([first] if first else []) + [rest[start:start + size] for start in range(0, len(rest), size)]


def make_output(env: jinja2.Environment, context: ViewContext, output: Output) -> str:
    """The text of one output: its kind's view through its template, or its text."""
    rule = KINDS[output.kind]
    if rule.make is None:
        raise ValueError(f"{output.kind} outputs are not rendered")
    made = rule.make(context, output)
    return render_template(env, rule.template, view=made) if rule.template else str(made)


def _render_outputs(site: Site, plan: Sequence[Output], outputs: Iterable[Output],
                    templates: Path, target: Path, keys: OutputKeys | None) -> tuple[list[str], list[str]]:
    """Render `outputs` into `target` (or link them from the cache); returns the cache keys used
    and the URLs of the outputs rendered."""
    env = make_environment(templates)
    context = ViewContext(site, MarkdownRenderer(), plan)
    folders: set[str] = set()
    used, made = [], []
    for output in outputs:
        path = f"{target}/{output.path}"
        folder = os.path.dirname(path)
        if folder not in folders:  # each folder made once, not asked for again before every file
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if keys is None:
            write_file(path, make_output(env, context, output).encode("utf-8"))
            made.append(output.url)
            continue
        key = keys.key(output)
        if not keys.cache.link_file(key, path):
            keys.cache.store_file(key, make_output(env, context, output).encode("utf-8"))
            keys.cache.link_file(key, path)
            made.append(output.url)
        used.append(key)
    return used, made

