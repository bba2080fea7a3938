"""Fast pickling of frozen, slotted dataclasses, for the result cache.

``dataclasses`` pickles a frozen class with ``slots=True`` through a generic ``__setstate__``
that looks up the class's fields again for every object; a cached result holds hundreds of
thousands of such objects (points, uses, problems) at scale, and loading them took most of a
warm run. :class:`Compact` pickles an object as its constructor call, ``cls(*values)``: the
dataclass's generated ``__init__`` sets the fields, with no lookup per object.
"""

from __future__ import annotations

import dataclasses
from typing import Any

_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """The fields of ``cls`` in the order of its ``__init__`` (computed once per class)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


class Compact:
    """A base for frozen dataclasses with ``slots=True`` whose fields are all positional
    ``__init__`` arguments (no ``init=False``, ``kw_only`` or ``__post_init__``)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), tuple([getattr(self, n) for n in _names(type(self))])
