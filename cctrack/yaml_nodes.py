"""The nodes of a YAML tree with positions (:class:`YMap`, :class:`YSeq`) and the YAML 1.2 core
schema of plain scalars, shared by the composer (:mod:`cctrack.yaml_reader`) and the line reader
(:mod:`cctrack.yaml_lines`)."""

from __future__ import annotations

import re
from array import array
from decimal import Decimal
from typing import Any

from cctrack.quantity import MAX_DIGITS, OutOfRangeNumber

Pos = tuple[int, int]  # 1-based line and column


# A position inside a tree is held packed in one machine integer (:func:`_packed`), in an
# ``array``: a tuple of two ints for every key, value and item held three quarters of the
# memory of a large data set's trees. ``key_at``, ``val_at`` and ``item_at`` unpack on demand.
_LINE = 32  # the bits of the column; a file of at most MAX_BYTES has fewer lines and columns


def _packed(line: int, column: int) -> int:
    """A 0-based line and column (libyaml's mark) in one integer."""
    return line << _LINE | column


def _unpacked(packed: int) -> Pos:
    """The 1-based position of a packed one."""
    return (packed >> _LINE) + 1, (packed & ((1 << _LINE) - 1)) + 1


class YMap(dict[str, Any]):
    """A YAML mapping: a dict with the position of the mapping, each key and each value
    (packed, key and value by turns in the order of the keys).

    The line reader leaves the positions of a mapping written in the regular layout (a key a
    line on consecutive lines from ``_lay``, each value one space after its key's colon) to be
    made at the first question: most are never asked for."""

    __slots__ = ("_index", "_lay", "_pos", "at")
    _lay: int  # the packed position of the first key, where ``_pos`` is None

    def __init__(self, at: Pos) -> None:
        # (no call of dict.__init__: it has nothing to do for an empty dict)
        self.at = at
        self._pos: array[int] | None = array("q")
        self._index: dict[Any, int] | None = None

    @property
    def pos(self) -> array[int]:
        """The packed positions: key and value by turns."""
        pos = self._pos
        if pos is None:
            pos = self._pos = array("q")
            first = self._lay
            for i, k in enumerate(self):
                at = first + (i << _LINE)
                pos.append(at)
                pos.append(at + len(k) + 2)
        return pos

    @property
    def key_at(self) -> dict[str, Pos]:
        """The position of each key."""
        pos = self.pos
        return {k: _unpacked(pos[2 * i]) for i, k in enumerate(self)}

    @property
    def val_at(self) -> dict[str, Pos]:
        """The position of each value."""
        pos = self.pos
        return {k: _unpacked(pos[2 * i + 1]) for i, k in enumerate(self)}

    def where(self, key: Any, of_key: bool = False) -> Pos | None:
        """The position of ``key``'s value (of the key itself with ``of_key``), if it is here.
        Asked of a whole mapping (the index of its keys is made at the first question)."""
        if self._index is None or len(self._index) != len(self):
            self._index = {k: i for i, k in enumerate(self)}
        i = self._index.get(key)
        return None if i is None else _unpacked(self.pos[2 * i + (0 if of_key else 1)])


class YSeq(list[Any]):
    """A YAML sequence: a list with the position of the sequence and of each item (packed)."""

    __slots__ = ("at", "pos")

    def __init__(self, at: Pos) -> None:
        self.at = at
        self.pos = array("q")

    @property
    def item_at(self) -> list[Pos]:
        """The position of each item."""
        return [_unpacked(p) for p in self.pos]

    def where(self, index: int) -> Pos:
        """The position of the item at ``index``."""
        return _unpacked(self.pos[index])


# --- YAML 1.2 core schema ------------------------------------------------------------------

_INT = re.compile(r"[-+]?[0-9]+")
_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_INF = re.compile(r"[-+]?\.(?:inf|Inf|INF)")
_NAN = re.compile(r"\.(?:nan|NaN|NAN)")
_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_MAYBE_SPECIAL = frozenset("0123456789+-.~nNtTfF")
_MAX_EXPONENT = 10_000  # 1e10000 stays an exact Decimal; 1e99999999999999999999 cannot be one


def _big(text: str, base: int) -> int | OutOfRangeNumber:
    """An integer written in ``base``; past :data:`~cctrack.quantity.MAX_DIGITS` characters it is
    not converted (that is quadratic for base 8, 16 and str()) and reads as out of range."""
    if len(text) > MAX_DIGITS:
        return OutOfRangeNumber(text)
    return int(text[2:] if base != 10 else text, base)


def _decimal(text: str) -> Decimal | OutOfRangeNumber:
    """A float as an exact Decimal, unless it is too long or its exponent too large to be one."""
    if len(text) > MAX_DIGITS:
        return OutOfRangeNumber(text)
    _, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > _MAX_EXPONENT:
        return OutOfRangeNumber(text)
    return Decimal(text)


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under the YAML 1.2 core schema.

    Numbers are exact: ``int`` or ``Decimal``, never float (but ``.inf`` and ``.nan``). One
    longer than :data:`~cctrack.quantity.MAX_DIGITS` characters, or with an exponent past
    ±10,000, is an :class:`~cctrack.quantity.OutOfRangeNumber`, which every value parser refuses
    as out of range: reading stays linear in the input and nothing downstream can overflow.
    """
    if text and text[0] not in _MAYBE_SPECIAL:
        return text
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.fullmatch(text):
        return _big(text, 10)
    if _OCT.fullmatch(text):
        return _big(text, 8)
    if _HEX.fullmatch(text):
        return _big(text, 16)
    if _FLOAT.fullmatch(text):
        return _decimal(text)
    if _INF.fullmatch(text):
        return float("-inf") if text.startswith("-") else float("inf")
    if _NAN.fullmatch(text):
        return float("nan")
    return text
