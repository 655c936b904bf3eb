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
`[[[word, pages, variants], ...]]`), listed in the metadata file with a range of words each. A
missing word goes into the chunk whose range it falls in (before the next chunk's first word),
appended after Pagefind's words as `[word, [], []]` (Pagefind reads a chunk's words into a map,
so their order does not matter), and the chunk's range is widened to hold it. Every chunk is
then written in one canonical form (its CBOR compressed here, without a timestamp), and named
after its content: so a bundle rebuilt from an earlier build's files (`update_index`), whose
added words are told apart by having no pages, comes out byte for byte as a fresh one.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import struct
from collections.abc import Sequence
from concurrent.futures import Executor, ThreadPoolExecutor

import cbor2

from coprod_site.search.canonical import SIGNATURE, Metas, content_name
from coprod_site.search.verify import Bundle, Chunk

_COMPRESSION = 4  # chunks: 8% larger than Pagefind's (level 9), fifteen times faster


def share_vocabulary(bundles: Sequence[Bundle], metas: Sequence[Metas], *, at_once: int = 1) -> None:
    """Add to each of `bundles` every word the others hold, with no pages (a lone bundle is left
    as Pagefind made it), listing its chunks in its `metas` (the value of its metadata files);
    `at_once` chunks are compressed at a time."""
    if len(bundles) < 2:
        return
    languages = sorted({language for bundle in bundles for language in bundle.chunks})
    with ThreadPoolExecutor(max_workers=max(1, at_once)) as pool:  # zlib works outside the GIL
        for language in languages:
            every = sorted({word for bundle in bundles
                            for chunk in bundle.chunks.get(language, ()) for word in chunk.own})
            for bundle, meta in zip(bundles, metas, strict=True):
                if language in bundle.chunks:
                    meta[language][2] = _add_words(bundle, language, every, pool)


def pagefind_ranges(chunks: Sequence[Chunk]) -> list[tuple[str, str]]:
    """The word range Pagefind gives each of `chunks`: from its first word to its last, cut between
    neighbours to one character past the prefix they share."""
    ranges = [[chunk.own[0], chunk.own[-1]] for chunk in chunks]
    for left, right in itertools.pairwise(ranges):
        shared = next((at for at, (a, b) in enumerate(zip(left[1], right[0], strict=False)) if a != b),
                      min(len(left[1]), len(right[0])))
        left[1], right[0] = left[1][:shared + 1], right[0][:shared + 1]
    return [(first, last) for first, last in ranges]


def _add_words(bundle: Bundle, language: str, every: Sequence[str], pool: Executor) -> list[list[str]]:
    """Give each chunk of `bundle` the words of `every` (sorted) in its range that it lacks;
    returns the chunks' listing in the metadata (first word, last word, name)."""
    chunks = bundle.chunks[language]
    ranges = pagefind_ranges(chunks)
    written = list(chunks)  # each chunk as written, as `verify_bundle` would read it back
    jobs, listed, added = [], [], []
    for number, (chunk, (first, last)) in enumerate(zip(chunks, ranges, strict=True)):
        low = bisect.bisect_left(every, first) if number else 0
        high = bisect.bisect_left(every, ranges[number + 1][0]) if number + 1 < len(chunks) else len(every)
        own = set(chunk.own)
        missing = tuple(word for word in every[low:high] if word not in own)
        jobs.append(pool.submit(_chunk_file, bundle, chunk, missing))
        added.append(missing)
        listed.append([min((first, *missing[:1])), max((last, *missing[-1:]))])  # not min(str): its letters
    rewritten = {chunk.name: job.result() for chunk, job in zip(chunks, jobs, strict=True)}
    for number, (item, chunk) in enumerate(zip(listed, chunks, strict=True)):
        payload = rewritten[chunk.name]
        if payload is None:  # already as it would be written
            item.append(chunk.name)
            continue
        del bundle.files[f"index/{chunk.name}.pf_index"]
        item.append(content_name(language, payload, len(chunk.name) - len(language) - 1))
        written[number] = _as_written(chunk, item[2], added[number])
    for item, chunk in zip(listed, chunks, strict=True):  # only once every old file is gone
        if (payload := rewritten[chunk.name]) is not None:
            bundle.files[f"index/{item[2]}.pf_index"] = payload
    bundle.chunks[language] = written
    return listed


def _chunk_file(bundle: Bundle, chunk: Chunk, missing: tuple[str, ...]) -> bytes | None:
    """The canonical file of `chunk` with the words `missing` added; None if it is already that."""
    if bundle.canonical and missing == chunk.added:
        return None
    added = b"".join(cbor2.dumps([word, [], []]) for word in missing)
    header = SIGNATURE + b"\x81" + _array_start(len(chunk.own) + len(missing))
    return gzip.compress(header + chunk.items(bundle.files) + added, compresslevel=_COMPRESSION, mtime=0)


def _as_written(chunk: Chunk, name: str, missing: tuple[str, ...]) -> Chunk:
    """`chunk` as `_chunk_file` writes it under `name`, with the words `missing` added: what
    reading the file back yields, so a bundle kept in memory (`IndexMemo`) need not be read."""
    start = len(SIGNATURE) + 1 + len(_array_start(len(chunk.own) + len(missing)))
    return Chunk(name, chunk.own, start, start + chunk.end - chunk.start, missing)


def _array_start(count: int) -> bytes:
    """The CBOR header of an array of `count` items."""
    if count < 24:
        return bytes([0x80 | count])
    for initial, form in ((24, ">B"), (25, ">H"), (26, ">I"), (27, ">Q")):
        if count < 256 ** struct.calcsize(form):
            return bytes([0x80 | initial]) + struct.pack(form, count)
    raise ValueError(f"an array of {count} items")
