"""The build cache: results of earlier builds, reused only when everything that made them is unchanged.

A cache folder holds two things. `load.pickle` maps a key made from a record file's path and
bytes (and the taxonomies, the day and the generator) to what loading that file produced: the
record, the terms it names and its diagnostics. `files/` holds finished output files, each named
by the key of everything that went into it (see `output_keys`); a build hard-links them into its
fresh output folder instead of rendering and writing them again. Every key includes a digest of
the generator's own code and of the templates, so a changed generator never meets an old entry.
Entries a build did not use are removed after it, so the folder stays the size of one site.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from coprod_site.errors import UsageError, naming
from coprod_site.output_folder import link_or_copy

PACKAGE = Path(__file__).parent
"""The generator's own code: the folder of the `coprod_site` package, every subpackage included."""
_LOAD_TABLE = "load.pickle"
_FILES = "files"


def digest(*parts: str | bytes) -> str:
    """A hex SHA-256 of `parts`, each length-prefixed so no two lists of parts collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def folder_digest(folder: Path) -> str:
    """A digest of every file under `folder`: relative paths and bytes, in sorted order."""
    parts: list[str | bytes] = []
    files = (item for item in folder.rglob("*") if item.is_file() and "__pycache__" not in item.parts)
    for path in sorted(files):
        parts += [path.relative_to(folder).as_posix(), path.read_bytes()]
    return digest(*parts)


def generator_digest(package: Path = PACKAGE) -> str:
    """A digest of the generator's own code: a new version (or any edit) never reuses old entries."""
    return folder_digest(package)


def open_cache(folder: Path | None, *, content: Path, templates: Path) -> BuildCache | None:
    """The cache in `folder` (None for none); refused inside the content or templates folders."""
    if folder is None:
        return None
    for source in (content, templates):
        if folder.resolve().is_relative_to(source.resolve()):
            raise UsageError(f"refusing to keep the build cache in {folder}: it is inside {source}")
    return BuildCache(folder, templates)


class BuildCache:
    """One cache folder; `salt` (generator and templates) is mixed into every key."""

    def __init__(self, folder: Path, templates: Path) -> None:
        self.folder = folder
        self.salt = digest(generator_digest(), folder_digest(templates))
        self._files = str(folder / _FILES)
        (folder / _FILES).mkdir(parents=True, exist_ok=True)

    def key(self, *parts: str | bytes) -> str:
        """The key of an entry made from `parts` by this generator and these templates."""
        return digest(self.salt, *parts)

    def read_load_table(self) -> dict[str, Any]:
        """What loading each record file produced in the last build (empty if unreadable)."""
        try:
            with (self.folder / _LOAD_TABLE).open("rb") as file:
                table = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return {}
        return table if isinstance(table, dict) else {}

    def write_load_table(self, table: Mapping[str, Any]) -> None:
        """Keep exactly `table` (this build's entries) for the next build."""
        self._replace(self.folder / _LOAD_TABLE, pickle.dumps(dict(table), protocol=pickle.HIGHEST_PROTOCOL))

    def file_path(self, key: str) -> str:
        """Where the output file with `key` is kept."""
        return f"{self._files}/{key[:2]}/{key}"

    def store_file(self, key: str, data: bytes) -> None:
        """Keep an output file under `key` (written whole, then renamed into place)."""
        path = Path(self.file_path(key))
        path.parent.mkdir(exist_ok=True)
        self._replace(path, data)

    def link_file(self, key: str, target: str) -> bool:
        """Place the kept file `key` at `target` (a hard link, or a copy across file systems);
        False when no such file is kept. `target`'s folder must exist."""
        try:
            link_or_copy(self.file_path(key), target)
        except FileNotFoundError:
            return False
        return True

    def keep_only(self, keys: Iterable[str]) -> None:
        """Remove every kept output file whose key is not in `keys`."""
        wanted = set(keys)
        for shard in (self.folder / _FILES).iterdir():
            for entry in os.scandir(shard):
                if entry.name not in wanted:
                    os.unlink(entry.path)

    @staticmethod
    def _replace(path: Path, data: bytes) -> None:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as file:
                try:
                    file.write(data)
                except OSError as error:
                    raise naming(error, temporary) from None
            os.chmod(temporary, 0o444)  # shared by hard links with output folders: never edited in place
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
