"""Drive Pagefind's indexing service: pages in, the finished bundle's files out, all through pipes.

`pagefind --service` reads requests from its standard input (base64 of JSON, each followed by a
comma) and answers in kind on its standard output. Handing it the pages one by one has four
uses over pointing it at a folder: the pages are numbered in the order given (a folder is walked
in the file system's own order, which differs between tmpfs and ext4), each page is read once
by this process (so a page being replaced by a rename is seen whole, old or new), no scratch
folder of links is needed, and only the part of a page that Pagefind indexes is sent
(`indexed_part`). The bundle comes back in memory, where it is checked, completed and
made canonical before a single file is written.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import queue
import re
import signal
import subprocess
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from coprod_site.build_guard import fault_point
from coprod_site.errors import BuildError

_TIMEOUT = 3600
_END = object()
_BODY_MARK = b"data-pagefind-body"
_TAG_NAME = re.compile(rb"[a-zA-Z][a-zA-Z0-9-]*")
_HTML_TAG = re.compile(rb"<html(?:\s[^>]*)?>", re.IGNORECASE)
_JSON = json.JSONEncoder(separators=(",", ":"))
"""Requests as ASCII JSON: escaping the few other characters costs less than encoding to UTF-8."""


def index_pages(executable: Path, folder: Path, pages: Sequence[str], *,
                hold: tuple[int, ...] = ()) -> dict[str, bytes]:
    """Index `pages` (paths below `folder`, in this order) with Pagefind; returns the files of
    the bundle it makes, by path below the bundle folder."""
    try:
        process = subprocess.Popen([str(executable), "--service"], stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, pass_fds=hold)
    except OSError as error:
        raise BuildError(f"could not run Pagefind: {error}") from None
    with process:
        fault_point("pagefind-started")
        answers: queue.Queue[Any] = queue.Queue()
        leftover: list[bytes] = []
        errors: list[bytes] = []
        readers = [threading.Thread(target=_read_answers, args=(process.stdout, answers, leftover)),
                   threading.Thread(target=_drain, args=(process.stderr, errors))]
        for reader in readers:
            reader.start()
        try:
            files = _converse(process, folder, pages, answers)
        except BaseException:
            process.kill()
            raise
        finally:
            _close(process)
            for reader in readers:
                reader.join()
        if files is None:
            raise _failure(process, leftover, errors)
    return files


def _converse(process: subprocess.Popen[bytes], folder: Path, pages: Sequence[str],
              answers: queue.Queue[Any]) -> dict[str, bytes] | None:
    """Send the requests and wait for the files; None when Pagefind stopped without answering."""
    assert process.stdin is not None
    requests = [{"type": "NewIndex", "config": None}]
    try:
        _send(process.stdin, 0, requests[0])
        for number, page in enumerate(pages, start=1):
            html = _read_page(folder, page)
            url = "/" + page.removesuffix("index.html")
            _send(process.stdin, number, {"type": "AddFile", "index_id": 0, "file_path": None, "url": url,
                                          "file_contents": html})
        _send(process.stdin, len(pages) + 1, {"type": "GetFiles", "index_id": 0})
        process.stdin.flush()
    except BrokenPipeError:
        return None
    while True:
        try:
            answer = answers.get(timeout=_TIMEOUT)
        except queue.Empty:
            raise BuildError("Pagefind did not finish within an hour") from None
        if answer is _END:
            return None
        payload = answer.get("payload", {})
        if payload.get("type") == "Error":
            raise BuildError(_error_text(payload, answer.get("message_id"), pages))
        if payload.get("type") == "GetFiles":
            return {item["path"]: base64.b64decode(item["content"]) for item in payload["files"]}


def _read_page(folder: Path, page: str) -> str:
    """The page, read once and whole (a page replaced by a rename is either the old or the new),
    as Pagefind needs it (`indexed_part`). The part is cut from the page's bytes and only it is
    decoded: the marks are ASCII, which UTF-8 never uses inside another character."""
    try:
        with open(os.path.join(folder, page), "rb") as file:
            html = file.read()
    except OSError as error:
        raise BuildError(f"could not read {page} to index it: {error.strerror or error}") from None
    return indexed_part(html).decode("utf-8", errors="replace")


def indexed_part(html: bytes) -> bytes:
    """What Pagefind reads of a page: its `<html>` tag (the language) and the one element marked
    `data-pagefind-body`, in a page of their own. Pagefind indexes that element alone, and every
    page holds its search data inside it, so the index is the same as from the whole page, for
    less to send and parse (a record page's head and chrome are about a third of it). A page whose
    shape is not that (no such element, or its tag nested in itself) is sent whole."""
    marked = html.find(_BODY_MARK)
    if marked < 0 or html.find(_BODY_MARK, marked + 1) >= 0:
        return html
    opening = html.rfind(b"<", 0, marked)
    name, root = _TAG_NAME.match(html, opening + 1), _HTML_TAG.search(html)
    if name is None or root is None or b">" in html[opening:marked]:
        return html
    closing = html.find(b"</%s>" % name[0], marked)
    if closing < 0 or html.find(b"<%s" % name[0], opening + 1, closing) >= 0:
        return html
    element = html[opening:closing + len(name[0]) + 3]
    return b"<!DOCTYPE html>%s<head></head><body>%s</body></html>" % (root[0], element)


def _send(stream: IO[bytes], message_id: int, payload: dict[str, Any]) -> None:
    message = _JSON.encode({"message_id": message_id, "payload": payload})
    stream.write(binascii.b2a_base64(message.encode("ascii"), newline=False) + b",")


def _read_answers(stream: IO[bytes], answers: queue.Queue[Any], leftover: list[bytes]) -> None:
    """Put each answer on `answers`, then `_END`; what is not an answer goes to `leftover` (a line
    Pagefind printed before an answer is set aside, as base64 holds no white space)."""
    parts: list[bytes] = []
    while chunk := stream.read1(1 << 20):  # type: ignore[attr-defined]
        *complete, rest = chunk.split(b",")
        for piece in complete:
            text, parts = b"".join([*parts, piece]), []
            *printed, message = text.rsplit(None, 1) if text.strip() else [text]
            leftover.extend(printed)
            try:
                answers.put(json.loads(base64.b64decode(message, validate=True)))
            except ValueError:
                leftover.append(message)
        parts.append(rest)
    leftover.append(b"".join(parts))
    answers.put(_END)


def _drain(stream: IO[bytes], into: list[bytes]) -> None:
    into.append(stream.read())


def _close(process: subprocess.Popen[bytes]) -> None:
    """End the service (it stops at the end of its input) and reap it."""
    try:
        if process.stdin is not None:
            process.stdin.close()
    except BrokenPipeError:
        pass
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _failure(process: subprocess.Popen[bytes], leftover: list[bytes], errors: list[bytes]) -> BuildError:
    """Why Pagefind stopped without giving its files."""
    code = process.returncode
    if code < 0:
        return BuildError(f"Pagefind was stopped by {signal.Signals(-code).name}")
    output = b"".join(leftover).decode("utf-8", errors="replace").strip()
    if code != 0:
        lines = (b"".join(errors).decode("utf-8", errors="replace").strip() or output).splitlines()
        return BuildError(f"Pagefind failed (exit {code}): {(lines or ['no output'])[-1]}")
    return BuildError(f"Pagefind indexed no pages; its output was:\n{output}")


def _error_text(payload: dict[str, Any], message_id: Any, pages: Sequence[str]) -> str:
    known = isinstance(message_id, int) and 0 < message_id <= len(pages)
    about = f" {pages[message_id - 1]}" if known else ""
    return f"Pagefind could not index{about}: {payload.get('message', 'no reason given')}"
