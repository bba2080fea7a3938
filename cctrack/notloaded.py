"""The mark of a part of a result not read or not kept (:class:`NotLoaded`)."""

from __future__ import annotations

from typing import Any


class NotLoaded(list):  # type: ignore[type-arg]
    """A part of a result not read from the cache (``run(depth=...)``) or not kept by a run
    that does not read it (the roles, :func:`cctrack.assess.assess_all`): using it is a bug,
    said at once rather than an empty list read as "no observation" or "no target"."""

    def __iter__(self) -> Any:
        raise RuntimeError("part of the result not read: call pipeline.run with a deeper depth")
