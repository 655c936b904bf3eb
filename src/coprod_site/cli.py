"""The command line: parse flags, call one library function, map errors to exit codes.

Exit codes: 0 success, 1 content problems or a failed build (an operating-system error such as
a full disk included, reported in one line), 2 wrong usage. The words of the help (each
command's purpose, examples and defaults) are in `cli_help`; the project folder is found by
`project`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from coprod_site import __version__
from coprod_site.check import DEFAULT_CACHE, LinkOptions, check_content
from coprod_site.cli_help import COMMANDS, MAIN, Verbosity, formatter
from coprod_site.diagnostics import Severity, count_of
from coprod_site.errors import BuildError, UsageError, os_error_text
from coprod_site.model import front_matter_json_schema
from coprod_site.project import Project, find_project
from coprod_site.report import Format, promote_warnings, write_report
from coprod_site.scaffold import read_taxonomies, write_new_record

if TYPE_CHECKING:
    from coprod_site.build import BuildResult

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named in `argv` and return its exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return EXIT_USAGE if stop.code not in (0, None) else EXIT_OK
    try:
        args.project = find_project(args.content, start=Path.cwd())
        code: int = args.run(args, sys.stdout)
        return code
    except UsageError as error:
        print(f"coprod-site: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BuildError as error:
        print(f"coprod-site: build failed: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"coprod-site: {os_error_text(error)}", file=sys.stderr)
        return EXIT_PROBLEMS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="coprod-site", description=MAIN.description, epilog=MAIN.epilog,
                                     formatter_class=formatter)
    parser.add_argument("--version", action="version", version=f"coprod-site {__version__}")
    commands = parser.add_subparsers(required=True, metavar="command", title="commands")
    common = _common_options()
    runs = {"check": _run_check, "new": _run_new, "schema": _run_schema, "build": _run_build,
            "serve": _run_serve}
    for name, run in runs.items():
        words = COMMANDS[name]
        command = commands.add_parser(name, help=words.purpose, description=words.description,
                                      epilog=words.epilog, formatter_class=formatter, parents=[common])
        _OPTIONS[name](command)
        command.set_defaults(run=run)
    return parser


def _common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--content", type=Path, default=None,
                        help="the content folder (default: content/ of the project, found from the "
                             "working folder upwards)")
    loudness = common.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", dest="verbosity", action="store_const", const=Verbosity.QUIET,
                          default=Verbosity.NORMAL, help="print only problems")
    loudness.add_argument("-v", "--verbose", dest="verbosity", action="store_const",
                          const=Verbosity.VERBOSE,
                          help="say more: how long each step took, and what to do next")
    return common


def _check_options(check: argparse.ArgumentParser) -> None:
    check.add_argument("--format", choices=[item.value for item in Format], default="text",
                       help="how to report: text for people, json for tools, github for CI annotations "
                            "(default: text)")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--links", action="store_true", help="also check every link of the built site")
    check.add_argument("--out", type=Path, default=None, help="the built site for --links (default: _site)")
    check.add_argument("--external", action="store_true", help="also fetch every external URL")
    check.add_argument("--cache", type=Path, default=None,
                       help=f"where --external keeps its cache (default: {DEFAULT_CACHE})")


def _new_options(new: argparse.ArgumentParser) -> None:
    new.add_argument("id", help="the record id, also its file name: lowercase letters, digits and single "
                                "hyphens, for example community-garden-study")


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=None, help="the output folder (default: _site)")
    parser.add_argument("--templates", type=Path, default=None,
                        help="the templates folder (default: templates)")


def _build_options(build: argparse.ArgumentParser) -> None:
    _site_options(build)
    build.add_argument("--no-search", dest="search", action="store_false",
                       help="skip the search index (faster previews)")
    build.add_argument("--cache", type=Path, default=None,
                       help="keep unchanged records' results here and reuse them in the next build "
                            "(default: no cache)")


def _serve_options(serve: argparse.ArgumentParser) -> None:
    _site_options(serve)
    serve.add_argument("--port", type=_port, default=8000,
                       help="the port, 1-65535 (default: 8000; 0 picks a free one)")
    serve.add_argument("--bind", default="127.0.0.1",
                       help="the address to listen on (default: 127.0.0.1, this computer only; "
                            "0.0.0.0 lets a phone on the same network open the preview)")
    serve.add_argument("--cache", type=Path, default=None,
                       help="a build cache for the first build (default: none; later changes are "
                            "loaded and rendered in memory, only what they change)")
    serve.add_argument("--cms", choices=["files", "git"], default=None,
                       help="also run decap-server (needs Node.js) so the CMS at /admin/ saves into the "
                            "working copy ('files') or as one git branch per record ('git')")


_OPTIONS = {"check": _check_options, "new": _new_options, "schema": lambda parser: None,
            "build": _build_options, "serve": _serve_options}


def _display_root(project: Project) -> Path:
    return (Path.cwd() / project.root).resolve()


def _site_folders(args: argparse.Namespace) -> tuple[Path, Path]:
    """The output and templates folders, with a usage error when the templates are not there."""
    project: Project = args.project
    out, templates = project.path(args.out, "_site"), project.path(args.templates, "templates")
    if not templates.is_dir():
        raise UsageError(f"templates folder not found: {templates}; pass --templates with the folder "
                         "that holds the site's templates")
    return out, templates


def summary_line(result: BuildResult, out: Path, *, search: bool) -> str:
    """'built 212 pages and files into _site in 0.4 s; search index of 180 pages 0.2 s'."""
    times = result.timings
    index = f"search index of {result.indexed} pages {times.search:.1f} s" if search else "no search index"
    return f"built {result.files} pages and files into {out} in {times.load + times.render:.1f} s; {index}"


def _step_lines(result: BuildResult) -> str:
    times = result.timings
    return (f"  load and check {times.load:.2f} s, render {times.render:.2f} s, "
            f"search index {times.search:.2f} s, total {times.total:.2f} s\n")


def _port(text: str) -> int:
    """A TCP port number: 1 to 65535, or 0 for any free port."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port: use a number from 1 to 65535")
    return port


def _waiting(message: str) -> None:
    print(f"coprod-site: {message}", file=sys.stderr, flush=True)


def _run_build(args: argparse.Namespace, out: TextIO) -> int:
    from coprod_site.build import BuildOptions, build_site  # only the commands that render import it
    target, templates = _site_folders(args)
    options = BuildOptions(search=args.search, cache=args.cache, working_folder=_display_root(args.project),
                           waiting=_waiting)
    result = build_site(args.project.content, target, templates, today=date.today(), options=options)
    if result.load.diagnostics:
        write_report(result.load.diagnostics, Format.TEXT, out)
    if not result.ok:
        out.write(f"nothing was written; {target} is unchanged\n")
        return EXIT_PROBLEMS
    if args.verbosity is not Verbosity.QUIET:
        out.write(summary_line(result, target, search=args.search) + "\n")
    if args.verbosity is Verbosity.VERBOSE:
        out.write(_step_lines(result))
    return EXIT_OK


def _run_serve(args: argparse.Namespace, out: TextIO) -> int:
    from coprod_site.build import BuildOptions
    from coprod_site.follow_up import SearchFollower
    from coprod_site.preview import PREVIEW_SHARD_PAGES, Preview
    from coprod_site.serve import report_text, serve
    target, templates = _site_folders(args)
    options = BuildOptions(cache=args.cache, working_folder=_display_root(args.project), waiting=_waiting,
                           shard_pages=PREVIEW_SHARD_PAGES)

    def announce(message: str) -> None:
        out.write(message + "\n")
        out.flush()

    search = SearchFollower(announce)
    preview = Preview(args.project.content, target, templates, today=date.today, options=options,
                      search=search)

    def run_build() -> tuple[bool, str]:
        first = preview.rendered is None
        update = preview.build()
        result = update.result
        report = report_text(result.load.diagnostics)
        if result.ok and args.verbosity is not Verbosity.QUIET:
            line = summary_line(result, target, search=True) if first else _update_line(update.result, target)
            announce("\n".join(filter(None, [report, line])))
        return result.ok, report

    interrupted = False
    try:
        with _local_cms(args, announce):
            serve(run_build, out=target, watch=(args.project.content, templates), port=args.port,
                  announce=announce, stop=threading.Event(), bind=args.bind, search=search.status)
    except KeyboardInterrupt:  # a second Ctrl+C (the first sets `stop`)
        interrupted = True
    except OSError as error:
        raise UsageError(f"cannot serve on {args.bind} port {args.port}: {error.strerror}") from None
    finally:
        search.stop(finish=not interrupted)  # a stop asked for ends with the folder whole
    announce("stopped")
    return EXIT_OK


def _update_line(result: BuildResult, out: Path) -> str:
    """'updated 3 pages and files in _site in 0.2 s; downloads and search index follow'."""
    return (f"updated {result.files} pages and files in {out} in {result.timings.total:.1f} s; "
            "downloads and search index follow")


def _local_cms(args: argparse.Namespace, announce: Callable[[str], None]) -> AbstractContextManager[object]:
    """decap-server for the folder that holds the content folder, when `--cms` asks for it."""
    if args.cms is None:
        return contextlib.nullcontext()
    from coprod_site.formats import LOCAL_BACKEND_PORT
    from coprod_site.serve import LocalCms, Mode
    cms = LocalCms(args.project.content.resolve().parent, port=LOCAL_BACKEND_PORT,
                   mode=Mode.GIT if args.cms == "git" else Mode.FILES)
    announce(f"CMS: decap-server saves into {cms.repo} ({args.cms}); edit at /admin/")
    return cms


def _run_new(args: argparse.Namespace, out: TextIO) -> int:
    root = _display_root(args.project)
    path = write_new_record(args.project.content, args.id, date.today(), display_root=root)
    out.write(f"{Path(os.path.relpath(path)).as_posix()}\n")
    if args.verbosity is Verbosity.VERBOSE:
        out.write("fill in the fields, then run: coprod-site check\n")
    return EXIT_OK


def _run_schema(args: argparse.Namespace, out: TextIO) -> int:
    taxonomies = read_taxonomies(args.project.content, display_root=_display_root(args.project))
    schema = front_matter_json_schema(taxonomies)
    out.write(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return EXIT_OK


def _run_check(args: argparse.Namespace, out: TextIO) -> int:
    project: Project = args.project
    site, cache = project.path(args.out, "_site"), project.path(args.cache, DEFAULT_CACHE)
    links = LinkOptions(site if args.links else None, cache if args.external else None)
    started = time.perf_counter()
    found = check_content(project.content, today=date.today(), display_root=_display_root(project),
                          links=links)
    diagnostics = promote_warnings(found) if args.strict else found
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    if diagnostics or args.verbosity is not Verbosity.QUIET or args.format != "text":
        write_report(diagnostics, Format(args.format), out,
                     summary=Path(summary_path) if summary_path else None)
    if args.verbosity is Verbosity.VERBOSE:
        out.write(f"checked in {time.perf_counter() - started:.2f} s\n")
    return EXIT_PROBLEMS if count_of(diagnostics, Severity.ERROR) else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
