"""Run independent parts of a build in parallel processes, on every core.

The processes are forked, so each one starts with the loaded site already in memory and
nothing is pickled on the way in. The parent does the first part itself; a failure in any
part becomes one `BuildError`, after every process has finished.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar

from coprod_site.errors import BuildError, CoprodError

Part = TypeVar("Part")


def default_workers() -> int:
    """How many processes to use: one per available core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run_parts(work: Callable[[Part], None], parts: Sequence[Part]) -> None:
    """Call `work` on every part: the first here, the others in forked processes."""
    if not parts:
        return
    context = multiprocessing.get_context("fork")
    children = []
    for part in parts[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(work, part, sender), daemon=True)
        process.start()
        sender.close()
        children.append((process, receiver))
    problems = [_attempt(work, parts[0])]
    for process, receiver in children:
        problems.append(receiver.recv() if receiver.poll(None) else "")
        process.join()
        if process.exitcode != 0 and not problems[-1]:
            problems[-1] = f"a build process stopped with exit code {process.exitcode}"
    failures = [problem for problem in problems if problem]
    if failures:
        raise BuildError(failures[0])


def _attempt(work: Callable[[Part], None], part: Part) -> str:
    try:
        work(part)
    except CoprodError as error:
        return str(error)
    except Exception as error:  # reported as a build failure, never lost
        return f"{type(error).__name__}: {error}"
    return ""


def _child(work: Callable[[Part], None], part: Part, sender: Connection) -> None:
    problem = _attempt(work, part)
    sender.send(problem)
    sender.close()
    os._exit(1 if problem else 0)
