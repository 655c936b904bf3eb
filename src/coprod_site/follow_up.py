"""Work that follows the dev server's builds in a thread of its own: the deferred outputs and the
search index (`SearchFollower`), which the status reports as current, updating or failed.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from enum import StrEnum

from coprod_site.errors import CoprodError, os_error_text


class SearchState(StrEnum):
    """Where the search index stands against the pages being served."""

    CURRENT = "current"
    UPDATING = "updating"
    FAILED = "failed"


class SearchFollower:
    """Runs follow-up work (deferred outputs, then the search index) in a thread of its own:
    `follow` asks for it; a request made while it runs is kept and run once it ends. While a
    build is writing pages (`building`), the index is already behind them, so the state is
    "updating" from the start of the build."""

    def __init__(self, announce: Callable[[str], None] = lambda message: None) -> None:
        self.announce = announce
        self._wanted: Callable[[], None] | None = None
        self._running = self._building = self._failed = self._stopping = self._finishing = False
        self._lock = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="search index", daemon=True)
        self._thread.start()

    @property
    def state(self) -> SearchState:
        """Updating (a build writes, or follow-up work runs or waits), failed (the last run), or current."""
        with self._lock:
            if self._building or self._running or self._wanted is not None:
                return SearchState.UPDATING
            return SearchState.FAILED if self._failed else SearchState.CURRENT

    def status(self) -> dict[str, object]:
        """The state as the dev server's status shows it: `{"current": true, "state": "current"}`."""
        state = self.state
        return {"current": state is SearchState.CURRENT, "state": state.value}

    @contextlib.contextmanager
    def building(self) -> Iterator[None]:
        """While the block runs, a build writes pages the index has not seen."""
        with self._lock:
            self._building = True
        try:
            yield
        finally:
            with self._lock:
                self._building = False

    def follow(self, work: Callable[[], None]) -> None:
        """Run `work` once the running work (if any) ends; it replaces any work still waiting."""
        with self._lock:
            self._wanted = work
            self._lock.notify()

    def stop(self, *, finish: bool = True) -> None:
        """Stop the thread. With `finish`, the work running and the work waiting are done first, so
        the folder ends whole (the deferred outputs written, the index current); without, work
        waiting is dropped and work running is waited for a second at most (an interrupted stop)."""
        with self._lock:
            self._stopping, self._finishing = True, finish
            self._lock.notify()
        self._thread.join(None if finish else 1.0)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._wanted is None and not self._stopping:
                    self._lock.wait()
                work, self._wanted = self._wanted, None
                if work is None or (self._stopping and not self._finishing):
                    return
                self._running = True
            problem = _attempt(work)
            with self._lock:
                self._running, self._failed = False, bool(problem)
            if problem:
                self.announce(f"the search index could not be updated: {problem}")


def _attempt(index: Callable[[], None]) -> str:
    try:
        index()
    except CoprodError as error:
        return str(error)
    except OSError as error:
        return os_error_text(error)
    except Exception as error:  # a crash (say, in a template) must not end the thread
        return f"{type(error).__name__}: {error}"
    return ""
