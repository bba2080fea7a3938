"""Work done by a child process while this one goes on (``report``: its result stored, the
later cards of a large page made). Only in a process that runs one command
(:data:`cctrack.gcpause.ONE_RUN`: never a test's or a library's), where ``os.fork`` exists and
the process may run on two cores or more: elsewhere the caller does the work itself. A child
shares this process's memory as it was when forked, does its work, and leaves at once (no exit
handlers run, no output flushed); it never writes what the user reads."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def possible() -> bool:
    """Whether work may be done by a child process here (the module's rule)."""
    from cctrack import gcpause

    return gcpause.ONE_RUN and hasattr(os, "fork") and cores() >= 2


def child(work: Callable[[], object]) -> int | None:
    """Run ``work`` in a child process, which ends with status 0 when it returned, else 1: its
    pid; None when no child can be made (:func:`possible`, or the fork failed)."""
    if not possible():
        return None
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:
        status = 1
        try:
            work()
            status = 0
        finally:
            os._exit(status)
    return pid


def wait(pid: int) -> int | None:
    """Wait for the child ``pid``: its exit status, or None when it cannot be waited for."""
    with contextlib.suppress(ChildProcessError, InterruptedError):
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    return None


def wait_at_exit(pid: int) -> None:
    """Wait for the child ``pid`` when this process exits (its work ends before the run)."""
    import atexit

    atexit.register(wait, pid)
