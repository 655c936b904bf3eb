"""Check a Pagefind bundle before it is published: every expected file is there and parses.

Pagefind can exit without an error and leave empty or cut files behind (on a full disk, for
instance); a site with such an index would show a search page that never answers. So after
each run the bundle is read back whole: the entry file, each language's metadata and wasm
file, every word chunk and filter file the metadata lists, every page fragment, and the
scripts the search page loads. A problem is one `BuildError` naming the file and what is wrong.
"""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path
from typing import Any

import cbor2

from coprod_site.errors import BuildError
from coprod_site.search.canonical import SIGNATURE, read_index_file

_UNREADABLE = (cbor2.CBORDecodeError, ValueError, EOFError, KeyError, IndexError, TypeError, zlib.error,
               gzip.BadGzipFile)
_SCRIPTS = ("pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css", "wasm.unknown.pagefind")


def verify_bundle(bundle: Path) -> None:
    """Raise `BuildError` unless `bundle` (a pagefind/ folder) is a complete, readable index."""
    for name in _SCRIPTS:
        _non_empty(bundle / name)
    entry = _parsed(bundle / "pagefind-entry.json", lambda path: json.loads(path.read_text(encoding="utf-8")))
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not isinstance(languages, dict) or not languages:
        raise _incomplete(bundle / "pagefind-entry.json", "it lists no language")
    for details in languages.values():
        _non_empty(bundle / f"wasm.{details['wasm']}.pagefind")
        meta = _parsed(bundle / f"pagefind.{details['hash']}.pf_meta", read_index_file)
        for *_, chunk in meta[2]:
            _parsed(bundle / "index" / f"{chunk}.pf_index", read_index_file)
        for _, filter_file in meta[3]:
            _parsed(bundle / "filter" / f"{filter_file}.pf_filter", read_index_file)
    for fragment in sorted((bundle / "fragment").glob("*.pf_fragment")):
        _parsed(fragment, _read_fragment)


def _read_fragment(path: Path) -> Any:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError("it is not a Pagefind fragment")
    return json.loads(data[len(SIGNATURE):])


def _parsed(path: Path, read: Any) -> Any:
    """`read(path)`, or a `BuildError` saying why the file cannot be read."""
    if not path.is_file():
        raise _incomplete(path, "it is missing")
    try:
        return read(path)
    except _UNREADABLE as error:
        raise _incomplete(path, f"it cannot be read ({error or type(error).__name__})") from None


def _non_empty(path: Path) -> None:
    if not path.is_file():
        raise _incomplete(path, "it is missing")
    if path.stat().st_size == 0:
        raise _incomplete(path, "it is empty")


def _incomplete(path: Path, reason: str) -> BuildError:
    return BuildError(f"Pagefind's output is incomplete: {path}: {reason} (is the disk full?)")
