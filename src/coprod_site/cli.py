"""The command line: parse flags, call one library function, map errors to exit codes.

Exit codes: 0 success, 1 content problems or a failed build (an operating-system error such as
a full disk included, reported in one line), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from coprod_site.check import DEFAULT_CACHE, LinkOptions, check_content
from coprod_site.diagnostics import Severity, count_of
from coprod_site.errors import BuildError, UsageError, os_error_text
from coprod_site.model import record_json_schema
from coprod_site.report import Format, promote_warnings, write_report
from coprod_site.scaffold import read_taxonomies, write_new_record

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command named in `argv` and return its exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return EXIT_USAGE if stop.code not in (0, None) else EXIT_OK
    try:
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
    parser = argparse.ArgumentParser(prog="coprod-site", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True, metavar="command")
    check = commands.add_parser("check", help="validate the content and report every problem")
    _content_option(check)
    check.add_argument("--format", choices=[item.value for item in Format], default="text")
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--links", action="store_true", help="also check every link of the built site")
    check.add_argument("--out", type=Path, default=Path("_site"), help="the built site for --links")
    check.add_argument("--external", action="store_true", help="also fetch every external URL")
    check.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where --external keeps its cache")
    check.set_defaults(run=_run_check)
    new = commands.add_parser("new", help="write a new evidence record with every field commented")
    new.add_argument("id", help="the record id: lowercase letters, digits and single hyphens")
    _content_option(new)
    new.set_defaults(run=_run_new)
    schema = commands.add_parser("schema", help="print the JSON Schema of an evidence record")
    _content_option(schema)
    schema.set_defaults(run=_run_schema)
    build = commands.add_parser("build", help="validate, then render the site into a fresh folder")
    _content_option(build)
    _site_options(build)
    build.add_argument("--no-search", dest="search", action="store_false",
                       help="skip the search index (faster previews)")
    build.add_argument("--cache", type=Path, default=None,
                       help="keep unchanged records' results here and reuse them in the next build")
    build.set_defaults(run=_run_build)
    serve = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every change")
    _content_option(serve)
    _site_options(serve)
    serve.add_argument("--port", type=_port, default=8000,
                       help="the port, 1-65535 (default 8000; 0 picks a free one)")
    serve.add_argument("--cache", type=Path, default=None,
                       help="where rebuilds keep earlier results (default: .<out>-cache beside --out)")
    serve.set_defaults(run=_run_serve)
    return parser


def _content_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--content", type=Path, default=Path("content"), help="the content folder")


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


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("_site"), help="the output folder")
    parser.add_argument("--templates", type=Path, default=Path("templates"), help="the templates folder")


def _run_build(args: argparse.Namespace, out: TextIO) -> int:
    from coprod_site.build import BuildOptions, build_site  # only the commands that render import it
    options = BuildOptions(search=args.search, cache=args.cache, waiting=_waiting)
    result = build_site(args.content, args.out, args.templates, today=date.today(), options=options)
    if result.load.diagnostics:
        write_report(result.load.diagnostics, Format.TEXT, out)
    if not result.ok:
        out.write(f"nothing was written; {args.out} is unchanged\n")
        return EXIT_PROBLEMS
    indexed = f", {result.indexed} pages indexed for search" if args.search else ""
    out.write(f"built {result.files} pages and files into {args.out}{indexed}\n")
    return EXIT_OK


def _run_serve(args: argparse.Namespace, out: TextIO) -> int:
    from coprod_site.build import BuildOptions, build_site
    from coprod_site.serve import report_text, serve
    options = BuildOptions(cache=args.cache or args.out.parent / f".{args.out.name}-cache", waiting=_waiting)

    def run_build() -> tuple[bool, str]:
        result = build_site(args.content, args.out, args.templates, today=date.today(), options=options)
        report = report_text(result.load.diagnostics)
        if report:
            out.write(report + "\n")
        return result.ok, report

    def announce(message: str) -> None:
        out.write(message + "\n")
        out.flush()

    try:
        serve(run_build, out=args.out, watch=(args.content, args.templates), port=args.port,
              announce=announce, stop=threading.Event())
    except KeyboardInterrupt:
        announce("stopped")
    except OSError as error:
        raise UsageError(f"cannot serve on port {args.port}: {error.strerror}") from None
    return EXIT_OK


def _run_new(args: argparse.Namespace, out: TextIO) -> int:
    path = write_new_record(args.content, args.id, date.today(), display_root=Path.cwd())
    out.write(f"{path}\n")
    return EXIT_OK


def _run_schema(args: argparse.Namespace, out: TextIO) -> int:
    schema = record_json_schema(read_taxonomies(args.content, display_root=Path.cwd()))
    out.write(json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return EXIT_OK


def _run_check(args: argparse.Namespace, out: TextIO) -> int:
    links = LinkOptions(args.out if args.links else None, args.cache if args.external else None)
    found = check_content(args.content, today=date.today(), display_root=Path.cwd(), links=links)
    diagnostics = promote_warnings(found) if args.strict else found
    summary_path = os.environ.get("GITHUB_STEP_SUMMARY")
    write_report(diagnostics, Format(args.format), out,
                 summary=Path(summary_path) if summary_path else None)
    return EXIT_PROBLEMS if count_of(diagnostics, Severity.ERROR) else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
