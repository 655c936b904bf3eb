"""From a request's path to a file of the output folder, and never to anything outside it.

A path is malformed (answered with 400) when its percent-decoding is not UTF-8, when it holds a
NUL or another control character, a backslash or a `..` segment, or when it or one of its segments
is longer than any path the site has. Otherwise it names a file below the output folder; a
symbolic link that leads out of the folder is treated as missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes

MAX_PATH_BYTES = 2048
MAX_SEGMENT_BYTES = 255


class MalformedPath(ValueError):
    """A request path that cannot name a file of the site."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a request leads: a file to send, a folder address lacking its '/', or nothing."""

    file: Path | None = None
    redirect: str | None = None


def request_path(target: str) -> str:
    """The path of the request target `target`, still percent-encoded, without query or fragment."""
    return target.split("?", 1)[0].split("#", 1)[0]


def request_segments(target: str) -> tuple[str, ...]:
    """The decoded segments of the path of the request target `target` (query dropped)."""
    raw = request_path(target)
    data = unquote_to_bytes(raw)
    if len(data) > MAX_PATH_BYTES:
        raise MalformedPath("the path is too long")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedPath("the path is not UTF-8") from None
    if any(ord(character) < 0x20 or character in "\x7f\\" for character in text):
        raise MalformedPath("the path holds a control character or a backslash")
    segments = tuple(segment for segment in text.split("/") if segment not in ("", "."))
    if ".." in segments:
        raise MalformedPath("the path leaves the site")
    if any(len(segment.encode()) > MAX_SEGMENT_BYTES for segment in segments):
        raise MalformedPath("a segment of the path is too long")
    return segments


def resolve(root: Path, target: str) -> Target:
    """The file of `root` that the request target `target` names (a folder's index.html), a
    redirect for a folder asked for without its '/', or `Target()` for nothing."""
    segments = request_segments(target)
    base = root.resolve()
    path = base.joinpath(*segments).resolve()
    if not path.is_relative_to(base):
        return Target()
    if path.is_dir():
        if not request_path(target).endswith("/"):
            return Target(redirect="".join(f"/{quote(segment)}" for segment in segments) + "/")
        path = path / "index.html"
    return Target(file=path) if path.is_file() else Target()
