"""Make Pagefind's index byte-for-byte reproducible.

Pagefind writes its filter index and its metadata from hash maps, so the order of filter values
(and therefore those files' bytes and content-hashed names) changes from run to run. This step
sorts that order, re-compresses without a timestamp, names each file by a digest of its new
content, and updates the references (filter files in the metadata file, the metadata file in
pagefind-entry.json). Search results are unchanged; only the order of equal-meaning data is fixed.
The reading and writing of Pagefind's files is shared with `search_vocabulary`.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import cbor2

from coprod_site.output_folder import write_file

SIGNATURE = b"pagefind_dcd"
"""What every Pagefind index file starts with, once decompressed."""


def read_index_file(path: Path) -> Any:
    """The value of a Pagefind index file (gzip of a signature and CBOR)."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(SIGNATURE):
        raise ValueError(f"{path.name} is not a Pagefind index file")
    return cbor2.loads(data[len(SIGNATURE):])


def encode_index_file(value: Any) -> bytes:
    """The bytes of a Pagefind index file holding `value` (compressed without a timestamp)."""
    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)


def write_index_file(folder: Path, language: str, suffix: str, value: Any, digits: int) -> str:
    """Write `value` as a Pagefind file in `folder`, named after its content; see `store_index_file`."""
    return store_index_file(folder, language, suffix, encode_index_file(value), digits)


def store_index_file(folder: Path, language: str, suffix: str, payload: bytes, digits: int) -> str:
    """Write the file `payload` in `folder`, named `<language>_<digest><suffix>` after its content
    (`digits` hex digits, as Pagefind names it); returns the name without the suffix."""
    name = f"{language}_{hashlib.sha256(payload).hexdigest()[:digits]}"
    write_file(folder / f"{name}{suffix}", payload)
    return name


def canonicalise_index(bundle: Path) -> None:
    """Rewrite `bundle` (the pagefind/ folder) so equal input always gives equal bytes."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, details in entry["languages"].items():
        details["hash"] = _canonical_meta(bundle, language, details["hash"])
    write_file(entry_path, json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def _canonical_meta(bundle: Path, language: str, meta_name: str) -> str:
    meta_path = bundle / f"pagefind.{meta_name}.pf_meta"
    meta = read_index_file(meta_path)
    filters: list[list[Any]] = meta[3]
    meta[3] = sorted([name, _canonical_filter(bundle / "filter", language, file_name)]
                     for name, file_name in filters)
    meta[4] = sorted(meta[4], key=lambda sort: sort[0])
    meta_path.unlink()
    new_name = write_index_file(bundle, f"pagefind.{language}", ".pf_meta", meta,
                                len(meta_name) - len(language) - 1)
    return new_name.removeprefix("pagefind.")


def _canonical_filter(folder: Path, language: str, file_name: str) -> str:
    path = folder / f"{file_name}.pf_filter"
    name, values = read_index_file(path)
    path.unlink()
    return write_index_file(folder, language, ".pf_filter", [name, sorted(values, key=lambda item: item[0])],
                  len(file_name) - len(language) - 1)
