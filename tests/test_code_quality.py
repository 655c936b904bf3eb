"""The code stays clean: ruff and mypy (strict) pass on the package, the tests and the benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True,
                          check=False, timeout=600)


def test_ruff_finds_nothing() -> None:
    finished = _run("ruff", "check", "--no-cache", "src", "tests", "bench")
    assert finished.returncode == 0, finished.stdout + finished.stderr


def test_mypy_strict_finds_nothing() -> None:
    finished = _run("mypy", "--cache-dir", "/dev/null")
    assert finished.returncode == 0, finished.stdout + finished.stderr
