"""Run independent parts of a build in parallel processes, on every core.

The processes are forked, so each one starts with the loaded site already in memory and
nothing is pickled on the way in. Work is either split into one part per process beforehand
(`map_parts`) or taken batch by batch from one shared list (`map_shared`), so a process that
finishes sooner takes more. The parent does the first part itself; a failure in any
part becomes one `BuildError`, after every process has finished. Each process dies with its
parent (`build_guard.die_with_parent`), so none goes on writing after the build was killed.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar

from coprod_site.build_guard import die_with_parent, fault_point
from coprod_site.errors import BuildError, CoprodError, os_error_text

Item = TypeVar("Item")
Part = TypeVar("Part")
Result = TypeVar("Result")


def default_workers() -> int:
    """How many processes to use: one per available core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def map_parts(work: Callable[[Part], Result], parts: Sequence[Part]) -> list[Result]:
    """`work` of every part, in order: the first here, the others in forked processes whose
    results come back pickled."""
    if not parts:
        return []
    context = multiprocessing.get_context("fork")
    children = []
    for part in parts[1:]:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(work, part, sender, os.getpid()), daemon=True)
        process.start()
        sender.close()
        children.append((process, receiver))
    fault_point("workers-started")
    outcomes = [_attempt(work, parts[0])]
    for process, receiver in children:
        outcomes.append(receiver.recv() if receiver.poll(None) else (None, ""))
        process.join()
        if process.exitcode != 0 and not outcomes[-1][1]:
            outcomes[-1] = (None, f"a build process stopped with exit code {process.exitcode}")
    failures = [problem for _, problem in outcomes if problem]
    if failures:
        raise BuildError(failures[0])
    return [result for result, _ in outcomes]  # type: ignore[misc]


def map_shared(work: Callable[[Iterator[Item]], Result], batches: Sequence[Sequence[Item]],
               workers: int) -> list[Result]:
    """`work` in up to `workers` processes (the first here), each given the items of the batches
    it takes, in list order, from a counter all of them share: every item is taken by exactly one
    process, and none waits idle while another still has a long share ahead of it."""
    taken = multiprocessing.get_context("fork").Value("q", 0)  # how many batches are handed out

    def items() -> Iterator[Item]:
        while True:
            with taken.get_lock():
                index = taken.value
                taken.value = index + 1
            if index >= len(batches):
                return
            yield from batches[index]
    return map_parts(lambda _: work(items()), range(max(1, min(workers, len(batches)))))


def _attempt(work: Callable[[Part], Result], part: Part) -> tuple[Result | None, str]:
    try:
        return work(part), ""
    except CoprodError as error:
        return None, str(error)
    except OSError as error:
        return None, os_error_text(error)
    except Exception as error:  # reported as a build failure, never lost
        return None, f"{type(error).__name__}: {error}"


def _child(work: Callable[[Part], Result], part: Part, sender: Connection, parent: int) -> None:
    die_with_parent(parent)
    outcome = _attempt(work, part)
    sender.send(outcome)
    sender.close()
    os._exit(1 if outcome[1] else 0)
