"""Entry point for ``python -m cctrack`` and the ``cctrack`` script: a ``status`` whose output
is stored (:mod:`cctrack.replay`) is written again before the command line is even parsed;
everything else goes to :func:`cctrack.cli.main`."""

import sys  # no ``from __future__ import annotations``: see cctrack/replay.py


def main() -> None:
    """Replay a finished ``status``, or run the command line."""
    if sys.argv[1:2] in (["status"], ["validate"]):  # the commands replayed: nothing else pays
        from cctrack.replay import replay

        replay(sys.argv[1:])  # exits when it wrote a stored run
    from cctrack import gcpause
    from cctrack.cli import main as run

    gcpause.ONE_RUN = True
    try:
        run()
    except SystemExit as exc:
        leave(exc)


def leave(exc: SystemExit) -> None:
    """End the process with the command's exit code once the exit handlers ran and the output
    is flushed, without freeing the data set object by object (a second at 100,000
    observations, for a process that is ending). A code that is not a number, or output that
    cannot be flushed (a closed pipe), leaves the ordinary way."""
    import atexit
    import os

    code = exc.code
    if not isinstance(code, int):
        raise exc
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except Exception:
        raise exc from None
    os._exit(code)


if __name__ == "__main__":
    main()
