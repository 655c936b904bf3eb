"""Check a Pagefind bundle before it is published: every expected file is there and parses.

Pagefind can stop early or hand back cut files; a site with such an index would show a search
page that never answers. So each bundle, as it comes back from Pagefind (or as an earlier build
left it), is read whole before anything is written: the entry file, each language's metadata and
wasm file, every word chunk and filter file the metadata lists, every page fragment, and the
scripts the search page loads. A problem is one `BuildError` naming the file and what is wrong.
Reading the chunks yields their words (`Chunk`), which `vocabulary` shares between bundles.

A bundle read back from the folder (`canonical`, as `update_index` reads the unchanged ones)
is made of files written here, named after their content: what reading a chunk or a fragment
yields depends on its bytes alone, so it is remembered by their digest, and the dev server's
next update reads again only the files that changed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import cbor2

from coprod_site.errors import BuildError
from coprod_site.search.canonical import ENTRY, SIGNATURE, Files, decode_cbor, decode_index_file
from coprod_site.search.chunk_scan import chunk_words
from coprod_site.search.ranking import real_pages

_UNREADABLE = (cbor2.CBORDecodeError, ValueError, EOFError, KeyError, IndexError, TypeError, zlib.error,
               gzip.BadGzipFile)
_SCRIPTS = ("pagefind.js", "pagefind-worker.js", "pagefind-ui.js", "pagefind-ui.css", "wasm.unknown.pagefind")


@dataclass(frozen=True, slots=True)
class Chunk:
    """One word chunk of a bundle: the words Pagefind put there (`own`, sorted, with their pages; the
    CBOR items from `start` to `end` of the decompressed file) and the words `vocabulary` added after
    them with no pages (`added`). The file itself stays compressed, in the bundle's files."""

    name: str
    own: tuple[str, ...]
    start: int
    end: int
    added: tuple[str, ...]

    def items(self, files: Files) -> bytes:
        """The CBOR items of the words Pagefind put in this chunk, read from `files`."""
        return gzip.decompress(files[f"index/{self.name}.pf_index"])[self.start:self.end]


@dataclass(frozen=True, slots=True)
class Bundle:
    """A bundle read whole: its files, the chunks of each language (in the metadata's order), the
    number of pages it holds, and whether its files are already canonical (written by this step)."""

    files: Files
    chunks: dict[str, list[Chunk]]
    pages: int
    canonical: bool


class _Remembered:
    """What reading a file yielded, by the file's name and the digest of its bytes (the most
    recent `size`); safe to use from several threads."""

    def __init__(self, size: int) -> None:
        self._found: OrderedDict[tuple[str, bytes], Any] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def read(self, name: str, data: bytes, read: Callable[[bytes], Any]) -> Any:
        key = (name, hashlib.sha256(data).digest())
        with self._lock:
            if key in self._found:
                self._found.move_to_end(key)
                return self._found[key]
        value = read(data)
        with self._lock:
            self._found[key] = value
            while len(self._found) > self._size:
                self._found.popitem(last=False)
        return value


_REMEMBERED = _Remembered(100_000)  # a fragment's URL ~200 bytes, a chunk's words ~10 KB: 50,000 pages fit


def fragment_url(name: str, data: bytes) -> str:
    """The URL of the page whose fragment file `name` holds `data` (which must read whole)."""
    return str(_REMEMBERED.read(name, data, _fragment_url))


def verify_bundle(files: Files, where: Path, *, canonical: bool = False) -> Bundle:
    """`files` read whole, or a `BuildError` naming the first file of the bundle at `where` that is
    missing or unreadable; with `canonical`, files read before with the same bytes are not
    read again."""
    for name in _SCRIPTS:
        _non_empty(files, name, where)
    entry = _parsed(files, ENTRY, where, json.loads)
    languages = entry.get("languages") if isinstance(entry, dict) else None
    if not isinstance(languages, dict) or not languages:
        raise _incomplete(where / ENTRY, "it lists no language")
    chunks, pages = {}, 0
    for language, details in languages.items():
        _non_empty(files, f"wasm.{details['wasm']}.pagefind", where)
        meta = _parsed(files, f"pagefind.{details['hash']}.pf_meta", where, decode_index_file)
        chunks[language] = [_parsed(files, f"index/{name}.pf_index", where, _reader(name, canonical, _chunk))
                            for *_, name in meta[2]]
        for _, filter_file in meta[3]:
            _parsed(files, f"filter/{filter_file}.pf_filter", where, decode_index_file)
        pages += len(real_pages(meta[1]))  # not the empty pages that rank shards as one
    for name in sorted(files):
        if name.startswith("fragment/"):
            _parsed(files, name, where, _reader(name, canonical, lambda _, data: _fragment_url(data)))
    return Bundle(files, chunks, pages, canonical)


def _chunk(name: str, data: bytes) -> Chunk:
    """The chunk file `name`: `[[[word, pages, variants], ...]]`, own words first, added ones last."""
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise ValueError("it is not a Pagefind index file")
    entries = chunk_words(plain, len(SIGNATURE))
    if entries is None:  # not the usual shape: decoded whole, which reads it or says why not
        (decoded,) = decode_cbor(plain[len(SIGNATURE):])
        entries = [(str(entry[0]), bool(entry[1] or entry[2])) for entry in decoded]
    own = len(entries)
    while own and not entries[own - 1][1]:
        own -= 1  # Pagefind writes a word with pages, or with variants that have them ("zoe": "zoë")
    added = tuple(word for word, _ in entries[own:])
    tail = b"".join(cbor2.dumps([word, [], []]) for word in added)
    _, start = array_header(plain, len(SIGNATURE) + 1)
    if plain[len(SIGNATURE)] != 0x81 or not plain.endswith(tail):
        raise ValueError("it is not a word chunk as this version of Pagefind writes them")
    words = tuple(word for word, _ in entries[:own])
    return Chunk(name, words, start, len(plain) - len(tail), added)


def array_header(data: bytes, at: int) -> tuple[int, int]:
    """The length of the CBOR array starting at `at`, and where its first item starts."""
    initial = data[at]
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(initial & 0x1F, 0)
    if initial >> 5 != 4 or (initial & 0x1F) > 27:
        raise ValueError("a Pagefind index chunk without a definite-length word array")
    if not size:
        return initial & 0x1F, at + 1
    return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _reader(name: str, canonical: bool, read: Callable[[str, bytes], Any]) -> Callable[[bytes], Any]:
    """`read` for the file `name`, remembered for a canonical bundle."""
    if canonical:
        return lambda data: _REMEMBERED.read(name, data, partial(read, name))
    return partial(read, name)


def _fragment_url(data: bytes) -> str:
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise ValueError("it is not a Pagefind fragment")
    return str(json.loads(plain[len(SIGNATURE):])["url"])


def _parsed(files: Files, name: str, where: Path, read: Callable[[bytes], Any]) -> Any:
    """`read(files[name])`, or a `BuildError` saying why the file cannot be read."""
    if name not in files:
        raise _incomplete(where / name, "it is missing")
    try:
        return read(files[name])
    except _UNREADABLE as error:
        raise _incomplete(where / name, f"it cannot be read ({error or type(error).__name__})") from None


def _non_empty(files: Files, name: str, where: Path) -> None:
    if name not in files:
        raise _incomplete(where / name, "it is missing")
    if not files[name]:
        raise _incomplete(where / name, "it is empty")


def _incomplete(path: Path, reason: str) -> BuildError:
    return BuildError(f"Pagefind's output is incomplete: {path}: {reason}")
