"""Make Pagefind's index byte-for-byte reproducible, and read and write its files.

Pagefind writes its filter index and its metadata from hash maps, so the order of filter values
(and therefore those files' bytes and content-hashed names) changes from run to run. This step
sorts that order, re-compresses without a timestamp, names each file by a digest of its new
content, and updates the references (filter files in the metadata file, the metadata file in
pagefind-entry.json). Search results are unchanged; only the order of equal-meaning data is fixed.
A bundle is handled in memory, as its files by path below the bundle folder (`Files`), and
written once, finished (`write_bundle`).
"""

from __future__ import annotations

import gc
import gzip
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import cbor2

from coprod_site.output_folder import write_file

SIGNATURE = b"pagefind_dcd"
"""What every Pagefind index file starts with, once decompressed."""
ENTRY = "pagefind-entry.json"
Files = dict[str, bytes]
"""A bundle's files: their bytes by path below the bundle folder ("index/en_1a2b3c4.pf_index")."""
Metas = dict[str, Any]
"""The value of a bundle's metadata file for each language: `[version, pages, chunks, filters,
sorts]`, decoded once while a bundle is finished and written once, by `canonicalise_index`."""


def decode_index_file(data: bytes) -> Any:
    """The value of a Pagefind index file's bytes (gzip of a signature and CBOR)."""
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise ValueError("it is not a Pagefind index file")
    return decode_cbor(plain[len(SIGNATURE):])


def decode_cbor(data: bytes) -> Any:
    """The value of CBOR `data`, decoded with Python's cycle collector paused. An index file
    decodes to many small lists, and each allocation count that triggers a collection makes it
    walk every object the process holds (a build holds the whole library): with the collector
    running, that was more than half of the time spent decoding. The lists hold no cycles, so
    nothing is left uncollected."""
    running = gc.isenabled()
    gc.disable()
    try:
        return cbor2.loads(data)
    finally:
        if running:
            gc.enable()


def encode_index_file(value: Any) -> bytes:
    """The bytes of a Pagefind index file holding `value` (compressed without a timestamp)."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)


def content_name(language: str, payload: bytes, digits: int) -> str:
    """`<language>_<digest>`: the name of a file holding `payload`, as Pagefind names its files."""
    return f"{language}_{hashlib.sha256(payload).hexdigest()[:digits]}"


def meta_files(files: Files) -> dict[str, str]:
    """The path of each language's metadata file in the bundle `files`."""
    entry = json.loads(files[ENTRY])
    return {language: f"pagefind.{details['hash']}.pf_meta"
            for language, details in entry["languages"].items()}


def decode_metas(files: Files) -> Metas:
    """The value of each language's metadata file in the bundle `files`."""
    return {language: decode_index_file(files[name]) for language, name in meta_files(files).items()}


def canonicalise_index(files: Files, metas: Metas, *, filters_canonical: bool = False) -> None:
    """Rewrite the bundle `files` so equal input always gives equal bytes; `metas` is the value
    of its metadata files (`decode_metas`, changed since), which this writes. With
    `filters_canonical` (a bundle this step wrote before), the filter files are left as they are."""
    entry = json.loads(files[ENTRY])
    for language, details in entry["languages"].items():
        details["hash"] = _canonical_meta(files, language, details["hash"], metas[language],
                                          filters_canonical=filters_canonical)
    files[ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_bundle(folder: Path, files: Files) -> None:
    """Write the bundle `files` (or some of them) into `folder`, made if need be. A bundle is
    thousands of small files, so their paths are plain strings, not `Path`s."""
    root = os.fspath(folder)
    for parent in sorted({os.path.dirname(name) for name in files}):
        os.makedirs(os.path.join(root, parent), exist_ok=True)
    for name, data in sorted(files.items()):
        write_file(os.path.join(root, name), data)


def _canonical_meta(files: Files, language: str, meta_name: str, meta: Any, *,
                    filters_canonical: bool) -> str:
    del files[f"pagefind.{meta_name}.pf_meta"]
    if not filters_canonical:
        meta[3] = [[name, _canonical_filter(files, language, file_name)] for name, file_name in meta[3]]
    meta[3] = sorted(meta[3])
    meta[4] = sorted(meta[4], key=lambda sort: sort[0])
    payload = encode_index_file(meta)
    name = content_name(language, payload, len(meta_name) - len(language) - 1)
    files[f"pagefind.{name}.pf_meta"] = payload
    return name


def _canonical_filter(files: Files, language: str, file_name: str) -> str:
    name, values = decode_index_file(files.pop(f"filter/{file_name}.pf_filter"))
    payload = encode_index_file([name, sorted(values, key=lambda item: item[0])])
    new_name = content_name(language, payload, len(file_name) - len(language) - 1)
    files[f"filter/{new_name}.pf_filter"] = payload
    return new_name
