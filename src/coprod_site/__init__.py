"""coprod-site: the generator of the Co-production Impact and Evidence library.

The package is laid out as its pipeline. `load` reads and validates the content folder into
the immutable site model (`model`); `render` turns the model into files through `views` and
`formats`; `search` indexes the result with Pagefind; `build` runs those steps and swaps the
new site in; `check` is load plus link checks; `serve` rebuilds on every change. `cli` is a
thin layer over `build_site`, `check_content` and `scaffold`. The ground floor (`diagnostics`,
`errors`, `report`, `markdown`, `build_cache`, `parallel`, `build_guard`, `output_folder`)
imports no subpackage.

The public API is deliberately small: load a content folder into a `Site` (collecting every
problem as a `Diagnostic`), check it, and build it into an output folder. `load_site`,
`build_site` and `check_content` are imported on first use, so the command line starts fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from coprod_site.diagnostics import Diagnostic, Severity

__version__ = "0.1.0"

_LAZY = {"load_site": "coprod_site.load", "build_site": "coprod_site.build",
         "BuildOptions": "coprod_site.build", "check_content": "coprod_site.check"}

__all__ = ["BuildOptions", "Diagnostic", "Severity", "__version__", "build_site", "check_content",
           "load_site"]


def __getattr__(name: str) -> Any:
    """Import the phases' entry points on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'coprod_site' has no attribute {name!r}")
