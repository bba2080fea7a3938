"""Entry point for ``python -m cctrack`` and the ``cctrack`` script: a ``status`` whose output
is stored (:mod:`cctrack.replay`) is written again before the command line is even parsed;
everything else goes to :func:`cctrack.cli.main`."""

from __future__ import annotations

import sys


def main() -> None:
    """Replay a finished ``status``, or run the command line."""
    if sys.argv[1:2] in (["status"], ["validate"]):  # the commands replayed: nothing else pays
        from cctrack.replay import replay

        replay(sys.argv[1:])  # exits when it wrote a stored run
    from cctrack.cli import main as run

    run()


if __name__ == "__main__":
    main()
