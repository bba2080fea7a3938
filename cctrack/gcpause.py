"""The cyclic garbage collector paused while many long-lived objects are made at once."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Set by the process entry (:mod:`cctrack.__main__`): the process runs one command, so what a
# pause made lives to its end, and is frozen rather than traversed by the next collection.
ONE_RUN = False


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading allocates hundreds of thousands of objects
    that all stay alive, and collecting while they are made costs a quarter of the time on
    large files without freeing anything. In a one-command process (:data:`ONE_RUN`) they are
    then frozen (:func:`gc.freeze`): the first collection after the pause would otherwise
    traverse every one of them (a second at 100,000 observations), again freeing nothing."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            if ONE_RUN:
                gc.freeze()
            gc.enable()
