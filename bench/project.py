"""The generator under test: one frozen copy of its code, and the commands that run it.

The repository keeps changing while a long benchmark runs, so every measured command must run
the same version. `snapshot` copies `src/` and `templates/` from the commit at HEAD (or, with
`worktree=True`, from the working tree as it is) into a folder of its own, and the commands
run with `PYTHONPATH` pointing there, ahead of the editable install's path.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pagefind_bin

REPO = Path(__file__).resolve().parents[1]
LABEL_FILE = "SNAPSHOT"
SEARCH_SUBDIR = "pagefind"  # coprod_site.model.urls.SEARCH_INDEX_URL without its slash

# The glob the build gives Pagefind (records and prose pages only), made from the plan exactly as
# build_site makes it; empty when this version of the code indexes every page.
_GLOB_SCRIPT = """
import sys
from datetime import date
from pathlib import Path
from coprod_site.load import load_site
from coprod_site.render import searchable_glob
content = Path(sys.argv[1])
print(searchable_glob(load_site(content, today=date.today(), display_root=content.parent).outputs))
"""
# The build's search step on its own: Pagefind, then the project's post-processing of the index.
_INDEX_SCRIPT = """
import sys
from pathlib import Path
from coprod_site.search import index_site
report = index_site(Path(sys.argv[1]), *sys.argv[2:])
print(report.pages, "pages indexed")
"""


@dataclass(frozen=True, slots=True)
class Project:
    """A frozen copy of the generator: `code` holds its src/ and templates/; `label` names it."""

    code: Path
    label: str

    @property
    def env(self) -> dict[str, str]:
        """The environment every measured command runs in."""
        return {**os.environ, "PYTHONPATH": str(self.code / "src")}

    @property
    def templates(self) -> Path:
        """The snapshot's templates folder."""
        return self.code / "templates"

    def coprod_site(self, *args: str | Path) -> list[str]:
        """The coprod-site command line (run with `env`, it imports the snapshot)."""
        return [sys.executable, "-m", "coprod_site.cli", *(str(arg) for arg in args)]

    def index_site(self, site: Path, glob: str) -> list[str]:
        """The search step alone over the built site in `site`."""
        return [sys.executable, "-c", _INDEX_SCRIPT, str(site), *([glob] if glob else [])]

    def search_glob(self, content: Path) -> str:
        """The glob the build would give Pagefind for `content` ('' when it gives none)."""
        return self._python(_GLOB_SCRIPT, str(content)).strip()

    def verify(self) -> None:
        """Fail unless the commands import the snapshot rather than the working tree."""
        found = self._python("import coprod_site; print(coprod_site.__file__)").strip()
        if not Path(found).resolve().is_relative_to(self.code.resolve()):
            raise RuntimeError(f"the snapshot is not the code imported: {found}")

    def _python(self, script: str, *args: str) -> str:
        return subprocess.run([sys.executable, "-c", script, *args], env=self.env, capture_output=True,
                              text=True, check=True).stdout


def pagefind(site: Path, glob: str) -> list[str]:
    """The Pagefind binary alone with the project's arguments (for Hugo's output)."""
    return [pagefind_bin.get_executable(), "--site", str(site), *(["--glob", glob] if glob else []),
            "--output-subdir", SEARCH_SUBDIR]


def _git(*args: str) -> bytes:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, check=True).stdout


def snapshot(target: Path, *, worktree: bool = False) -> Project:
    """Copy the generator's src/ and templates/ (at HEAD, or as in the working tree) into `target`."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    commit = _git("rev-parse", "--short", "HEAD").decode().strip()
    if worktree:
        for folder in ("src", "templates"):
            shutil.copytree(REPO / folder, target / folder, ignore=shutil.ignore_patterns("__pycache__"))
        dirty = _git("status", "--porcelain", "src", "templates").decode().strip()
        label = f"{commit} + working tree" + (" (with uncommitted changes)" if dirty else "")
    else:
        archive = _git("archive", "--format=tar", "HEAD", "src", "templates")
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(target, filter="data")
        label = f"{commit} (HEAD, {_git('log', '-1', '--format=%ci').decode().strip()})"
    (target / LABEL_FILE).write_text(label, encoding="utf-8")
    project = Project(target, label)
    project.verify()
    return project


def reuse(target: Path) -> Project | None:
    """The snapshot already in `target` (left by an interrupted run), if there is one."""
    if not (target / LABEL_FILE).is_file():
        return None
    project = Project(target, (target / LABEL_FILE).read_text(encoding="utf-8"))
    project.verify()
    return project
