"""Print workers: processes apart from the web's, which make the queued prints (jobs.py).

Each app process keeps a small `ProcessPoolExecutor` (`ICS_PRINT_WORKERS` processes, started the
first time a print is queued); queuing a print wakes it, and a woken worker makes every print
waiting, whoever queued it. WeasyPrint's layout is CPU-bound Python, so a process — not a thread —
keeps it off the web worker's event loop and its GIL. `ics print-worker` runs the same loop as a
process of its own, for machines that only print (set `ICS_PRINT_WORKERS=0` on the web machines).
A worker opens its own engine: nothing with a connection crosses a process boundary, and the
spawn start method gives it a clean interpreter rather than a fork of the web process.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from functools import lru_cache
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

# A spawned worker starts from a clean interpreter: every table must be known before the first
# query, or a foreign key to one not imported yet (users, meetings) cannot be resolved.
import app.models  # noqa: F401
from app.db import make_engine, make_session_factory
from app.engine.library import Library
from app.engine.loader import load_library
from app.printing import jobs


@lru_cache(maxsize=1)
def _opened(database_url: str, exemplars_dir: str) -> tuple[sessionmaker[Session], Library]:
    """One engine and one loaded library per worker process, kept between jobs."""
    factory = make_session_factory(make_engine(database_url))
    return factory, load_library(Path(exemplars_dir))


def drain(database_url: str, exemplars_dir: str) -> int:
    """Make every print waiting; how many were made (or failed)."""
    factory, library = _opened(database_url, exemplars_dir)
    made = 0
    while jobs.run_next(factory=factory, library=library) is not None:
        made += 1
    return made


def _leave_with(parent: int) -> None:
    """A print worker ends when the app process that started it has gone (even SIGKILLed, when
    no goodbye reaches the pool): it would otherwise live on, holding a database connection."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="parent-watch").start()


class PrintPool:
    """The app process's print workers, started on first use."""

    def __init__(self, *, database_url: str, exemplars_dir: Path, workers: int) -> None:
        self.database_url, self.exemplars_dir, self.workers = (
            database_url,
            str(exemplars_dir),
            workers,
        )
        self._executor: ProcessPoolExecutor | None = None

    def wake(self) -> Future[int] | None:
        """Have a worker make what is waiting; None when this process runs no workers."""
        if self.workers < 1:
            return None
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=_leave_with,
                initargs=(os.getpid(),),
            )
        return self._executor.submit(drain, self.database_url, self.exemplars_dir)

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None


def serve_forever(database_url: str, exemplars_dir: Path, *, poll_seconds: float = 1.0) -> None:
    """`ics print-worker`: make prints as they are queued, until stopped."""
    while True:
        if drain(database_url, str(exemplars_dir)) == 0:
            time.sleep(poll_seconds)
