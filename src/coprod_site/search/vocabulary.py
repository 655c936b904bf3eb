"""Give every bundle of a search index in shards the same vocabulary, so shards answer as one.

Pagefind matches a search word by every indexed word that starts with it, and when there is
none it falls back to the longest indexed word the search word starts with: "intervention",
missing from a shard, matches that shard's pages containing "in". One index over the whole
library falls back only when no page has the word; a shard falls back whenever its own pages
lack it, and those unrelated pages would be merged into the results. So after indexing, every
bundle is given each word that any bundle holds, with no pages: a search word then has the same
matches, or the same fallback, in every shard, and each shard answers only with its pages that
one index would have given.

A bundle's words are in chunk files (`index/*.pf_index`: gzip of a signature and CBOR,
`[[[word, pages, variants], ...]]`), listed in the metadata file with the first and last word
of each. A missing word goes into the chunk whose range it falls in (before the next chunk's
first word), appended as `[word, [], []]` (Pagefind reads a chunk's words into a map, so their
order does not matter); the chunk's range and its content-named file are updated.
"""

from __future__ import annotations

import bisect
import gzip
import json
import struct
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import cbor2

from coprod_site.output_folder import write_file
from coprod_site.search.canonical import SIGNATURE, encode_index_file, read_index_file, store_index_file

Vocabulary = dict[str, dict[str, frozenset[str]]]
"""A bundle's words: for each language, the words of each chunk (by file name)."""
_COMPRESSION = 6  # rewritten chunks: a few per cent larger than Pagefind's, four times faster


def read_vocabulary(bundle: Path) -> Vocabulary:
    """The words of every chunk of `bundle`, by language."""
    return {language: {name: frozenset(str(entry[0]) for entry in _read_chunk(bundle, name)[0])
                       for *_, name in _chunks(read_index_file(meta))}
            for language, meta in _meta_files(bundle).items()}


def share_vocabulary(bundles: Mapping[Path, Vocabulary], *, at_once: int = 1) -> None:
    """Add to each of `bundles` every word the others hold, with no pages; `at_once` bundles at a time."""
    languages = sorted({language for vocabulary in bundles.values() for language in vocabulary})
    every = {language: sorted(set().union(*(words for vocabulary in bundles.values()
                                            for words in vocabulary.get(language, {}).values())))
             for language in languages}
    with ThreadPoolExecutor(max_workers=max(1, at_once)) as pool:  # zlib works outside the GIL
        jobs = [pool.submit(_add_words, bundle, meta, language, vocabulary[language], every[language])
                for bundle, vocabulary in bundles.items()
                for language, meta in _meta_files(bundle).items()]
        for job in jobs:
            job.result()


def _meta_files(bundle: Path) -> dict[str, Path]:
    """The metadata file of each language of `bundle`."""
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    return {language: bundle / f"pagefind.{details['hash']}.pf_meta"
            for language, details in entry["languages"].items()}


def _chunks(meta: Any) -> list[list[str]]:
    """The metadata's list of word chunks: `[first word, last word, file name]` each."""
    chunks: list[list[str]] = meta[2]
    return chunks


def _read_chunk(bundle: Path, name: str) -> Any:
    return read_index_file(bundle / "index" / f"{name}.pf_index")


def _add_words(bundle: Path, meta_path: Path, language: str, own: Mapping[str, frozenset[str]],
               every: Sequence[str]) -> None:
    """Add the words of `every` (sorted) missing from `bundle` to the chunks of their range."""
    meta = read_index_file(meta_path)
    chunks = _chunks(meta)
    starts = [first for first, *_ in chunks]
    for number, (first, last, name) in enumerate(chunks):
        low = bisect.bisect_left(every, starts[number]) if number else 0
        high = bisect.bisect_left(every, starts[number + 1]) if number + 1 < len(chunks) else len(every)
        missing = [word for word in every[low:high] if word not in own[name]]
        if missing:
            new_name = _append_words(bundle / "index", name, language, missing)
            chunks[number] = [min(first, missing[0]), max(last, missing[-1]), new_name]
    meta_path.unlink()  # a new file, never writing through a hard link
    write_file(meta_path, encode_index_file(meta))  # canonicalise_index names it after its content


def _append_words(folder: Path, name: str, language: str, words: Sequence[str]) -> str:
    """Append `words`, with no pages, to the chunk `name`; returns the chunk's new file name."""
    path = folder / f"{name}.pf_index"
    data = gzip.decompress(path.read_bytes())
    body = len(SIGNATURE) + 1  # the signature, then a one-item array holding the word array
    if not data.startswith(SIGNATURE) or data[body - 1] != 0x81:
        raise ValueError(f"{path.name} is not a Pagefind index chunk as this version writes them")
    count, start = _array_header(data, body)
    added = b"".join(cbor2.dumps([word, [], []]) for word in words)
    payload = gzip.compress(data[:body] + _array_start(count + len(words)) + data[start:] + added,
                            compresslevel=_COMPRESSION, mtime=0)
    path.unlink()
    return store_index_file(folder, language, ".pf_index", payload, len(name) - len(language) - 1)


def _array_header(data: bytes, at: int) -> tuple[int, int]:
    """The length of the CBOR array starting at `at`, and where its first item starts."""
    initial = data[at]
    size = {24: 1, 25: 2, 26: 4, 27: 8}.get(initial & 0x1F, 0)
    if initial >> 5 != 4 or (initial & 0x1F) > 27:
        raise ValueError("a Pagefind index chunk without a definite-length word array")
    if not size:
        return initial & 0x1F, at + 1
    return int.from_bytes(data[at + 1:at + 1 + size], "big"), at + 1 + size


def _array_start(count: int) -> bytes:
    """The CBOR header of an array of `count` items."""
    if count < 24:
        return bytes([0x80 | count])
    for initial, form in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if count < 256 ** struct.calcsize(form):
            return bytes([0x80 | initial]) + struct.pack(form, count)
    raise ValueError(f"an array of {count} items")
