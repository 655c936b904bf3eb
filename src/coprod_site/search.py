"""Search: index the finished output folder with Pagefind's real binary, in one pass."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin

from coprod_site import urls
from coprod_site.errors import BuildError
from coprod_site.search_index import canonicalise_index

_INDEXED = re.compile(r"Indexed (\d+) pages?")


@dataclass(frozen=True, slots=True)
class IndexReport:
    """How many pages Pagefind indexed."""

    pages: int


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the pagefind[bin] package."""
    try:
        return Path(pagefind_bin.get_executable())
    except (FileNotFoundError, OSError) as error:
        raise BuildError(f"the Pagefind binary is missing ({error}); reinstall with "
                         "pip install 'pagefind[bin]'") from None


def searchable_glob(plan: Sequence[urls.Output]) -> str:
    """A glob of the pages readers search (records and prose pages), so Pagefind reads no others."""
    pages = {urls.record_url("*") + "index.html"}
    pages |= {str(output.path) for output in plan if output.kind is urls.Kind.PAGE}
    return "{" + ",".join(sorted(pages)) + "}"


def index_site(folder: Path, glob: str = "**/*.html") -> IndexReport:
    """Run Pagefind over the pages of `folder` matching `glob`, writing the index to pagefind/."""
    command = [str(pagefind_executable()), "--site", str(folder), "--glob", glob,
               "--output-subdir", urls.SEARCH_INDEX_URL.rstrip("/")]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)
    except OSError as error:
        raise BuildError(f"could not run Pagefind: {error}") from None
    if finished.returncode != 0:
        output = finished.stderr or finished.stdout
        raise BuildError(f"Pagefind failed (exit {finished.returncode}):\n{output}")
    match = _INDEXED.search(finished.stdout)
    pages = int(match[1]) if match else 0
    bundle = folder / urls.SEARCH_INDEX_URL
    if pages == 0 or not (bundle / "pagefind.js").is_file():
        raise BuildError(f"Pagefind indexed no pages; its output was:\n{finished.stdout}")
    canonicalise_index(bundle)
    return IndexReport(pages)
