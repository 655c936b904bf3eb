"""Search: index the finished output folder with Pagefind's real binary, in one pass."""

from __future__ import annotations

import re
import subprocess
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


def index_site(folder: Path) -> IndexReport:
    """Run Pagefind over `folder`, writing the index to its pagefind/ sub-folder."""
    command = [str(pagefind_executable()), "--site", str(folder),
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
