"""Fast pickling of frozen, slotted dataclasses, for the result cache.

``dataclasses`` pickles a frozen class with ``slots=True`` through a generic ``__setstate__``
that looks up the class's fields again for every object; a cached result holds hundreds of
thousands of such objects (points, uses, problems) at scale, and loading them took most of a
warm run. :class:`Compact` pickles an object as its constructor call, ``cls(*values)``: the
dataclass's generated ``__init__`` sets the fields, with no lookup per object.

The code makes the wide records (:class:`cctrack.domain.Target`, 25 fields) with keyword
arguments, so that no reader has to count positions; only the pickle passes the fields by
position, in the order of :func:`dataclasses.fields`, which it reads from the class itself and
so cannot get wrong. A keyword call costs about a fifth more per object, which a cold run pays
once per entry but a warm run would pay for every point, use and problem it loads.
(:class:`cctrack.domain.Observation` pickles what it holds, :func:`cctrack.domain.held`.)
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any

_GETTERS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _getter(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """A function from an object of ``cls`` to its field values, in the order of its
    ``__init__`` (made once per class)."""
    getter = _GETTERS.get(cls)
    if getter is None:
        names = [f.name for f in dataclasses.fields(cls)]
        get = operator.attrgetter(*names)
        getter = _GETTERS[cls] = get if len(names) > 1 else (lambda obj: (get(obj),))
    return getter


class Compact:
    """A base for frozen dataclasses with ``slots=True`` whose fields are all positional
    ``__init__`` arguments (no ``init=False``, ``kw_only`` or ``__post_init__``)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        cls = type(self)
        return cls, _getter(cls)(self)
