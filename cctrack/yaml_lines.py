"""A line-oriented reader for the regular YAML in which data files are written.

It reads the forms cctrack and most editors write (block mappings and sequences, one-line plain,
quoted and flow scalars, anchors and aliases, comments) line by line, without libyaml's event
objects, and gives exactly the tree :class:`cctrack.yaml_reader._Composer` gives: the same
YMap/YSeq, values, types, key order, packed positions, shared alias objects and anchor table.
Anything else (a tab, a block scalar, a multi-line scalar, a tag, a directive, a duplicate key,
an unexpected indentation, ...) makes :func:`parse` return None, and the composer reads the file.
It never reports a problem: a file with one is the composer's.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cctrack.yaml_nodes import YMap, YSeq, _unpacked, resolve_plain

Anchors = dict[str, tuple[Any, int]]  # name -> (node, weight: the nodes it expands to)
# the composer of one entry's text, seeded with anchors: its root, whether it found a problem,
# its anchor table, its events and its alias expansion
Compose = Callable[[str, Anchors], tuple[Any, bool, Anchors, int, int]]
# the key of a list in the root mapping, and what is told of each of its items (:func:`parse`)
Hook = tuple[str, Callable[[list[Any], int], None]]

_SHIFT = 32  # as yaml_nodes._LINE: a packed position is line << 32 | column (0-based)

# Characters the composer reports or reads otherwise than as one column each: C0/C1 controls, a
# tab, NEL/LS/PS (line breaks to libyaml), surrogates, a BOM, U+FFFE/U+FFFF; a CR alone.
_UNUSUAL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]|\r(?!\n)"
)
_KEY = re.compile(r"[\w][\w.-]*:(?: +|$)")
_NAME = re.compile(r"[0-9A-Za-z_-]+")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"((?:[^"\\]|\\.)*)"')
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|(.))")
_ESCAPES = {"\\": "\\", '"': '"', "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_AFTER = re.compile(r" *(?:#.*)?")  # what may follow a value on its line
# First characters of a block value that are not a plain scalar's, or may not be.
_SPECIAL = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_STOP = frozenset(",]}")
_FLOW_BAD = frozenset(":#[]{}")
_MAX_KEY = 1000  # libyaml looks for a simple key's ':' within 1,024 characters
_MAX_DEPTH = 32  # far below the composer's limit: deeper data is the composer's
# entries composed one by one past which (and past an eighth) the file is the composer's
_MAX_COMPOSED = 32


class _Fallback(Exception):
    """The text leaves the subset this reader handles."""


def _item(
    no: int, ind: int, append: Callable[[Any], None], append_pos: Callable[[int], None]
) -> YMap:
    """A new item mapping of a list, its first key at 0-based line ``no`` and column ``ind``,
    put in the list (``append``, ``append_pos``): in the regular layout from here, its positions
    are made when asked for (:class:`~cctrack.yaml_nodes.YMap`'s ``_lay``)."""
    b = no << _SHIFT | ind
    item = YMap.__new__(YMap)
    item.at = (no + 1, ind + 1)
    item._pos = None
    item._lay = b
    item._index = None
    append(item)
    append_pos(b)
    return item


def parse(
    text: str,
    anchors: Anchors | None = None,
    compose: Compose | None = None,
    hook: Hook | None = None,
    *,
    whole: bool = True,
) -> tuple[Any, Anchors] | None:
    """The root and the anchor table after ``text`` (seeded with ``anchors``), as the composer
    reads them; None when ``text`` is not in the subset this reader handles. With ``compose``,
    the entries of a file of entries outside the subset are read by it one by one.

    ``hook`` (a key and a function): when the whole text is read line by line, each mapping
    item of the root's list under that key, in the regular layout, no anchor on it and no alias
    to a scalar in it, is told to the function (the list and the item's index) as soon as it is
    read: the function may replace it in the list (the data set keeps its plain value instead
    of the tree: :mod:`cctrack.dataset`); the reader does not look at it again.

    ``whole`` False: the text is known not to be read whole line by line (:func:`parse_utf8`
    found it): only entry by entry, or not at all."""
    crlf = "\r" in text
    if crlf:  # (no hook: lines would not be found again in the text as given)
        text = text.replace("\r\n", "\n")
        hook = None
    table = dict(anchors) if anchors else {}
    if whole:
        try:
            return _read(_lines(text), _Flow(table), hook=hook), table
        except _Fallback:
            pass
    if compose is None or crlf or "\x85" in text or "\u2028" in text or "\u2029" in text:
        return None  # more line breaks than LF: libyaml's line numbers are not the lines'
    table = dict(anchors) if anchors else {}
    root = _by_entries(text.split("\n"), table, compose)
    return None if root is None else (root[0], root[1])


_BLOCK = 1 << 14  # the characters of text split into lines at a time


def _lines(text: str) -> Iterator[str]:
    """``text.split("\n")``, a block at a time: the lines of a large file are never all held
    at once (as a list they took three times the text's memory)."""
    return itertools.chain.from_iterable(_blocks(text))


def _blocks(text: str) -> Iterator[list[str]]:
    """The lines of :func:`_lines`, a block's at a time."""
    start = 0
    while True:
        end = text.find("\n", start + _BLOCK)
        if end < 0:
            yield text[start:].split("\n")
            return
        yield text[start:end].split("\n")
        start = end + 1


def parse_utf8(
    data: bytes | Iterable[bytes], hook: Hook | None = None
) -> tuple[Any, Anchors] | None:
    """:func:`parse` of a file's bytes (UTF-8, an optional BOM, no CR), whole or as the blocks
    they are read in (:meth:`cctrack.location.Streamed.blocks`), decoded a block at a time: the
    text of a large file is never held whole, nor, read in blocks, its bytes. None when the file
    is not read whole line by line (decode it and :func:`parse` it with ``whole=False``); raises
    UnicodeDecodeError where the bytes are not UTF-8 (the caller says where)."""
    table: Anchors = {}
    try:
        return _read(_utf8_lines((data,) if isinstance(data, bytes) else data), _Flow(table),
                     hook=hook), table  # fmt: skip
    except _Fallback:
        return None


def _utf8_lines(chunks: Iterable[bytes]) -> Iterator[str]:
    """The lines of :func:`_lines` of the text the bytes ``chunks`` encode, each block decoded
    as it is split (a block ends at a line break: no character is cut)."""
    return itertools.chain.from_iterable(_utf8_blocks(chunks))


def _utf8_blocks(chunks: Iterable[bytes]) -> Iterator[list[str]]:
    """The lines of :func:`_utf8_lines`, a block's at a time: blocks of about :data:`_BLOCK`
    bytes cut at line breaks, whatever the chunks' own bounds (the part of a line a chunk ends
    with waits for the next). A CR anywhere leaves the subset (its lines are not LF's)."""
    rest, first = b"", True
    for chunk in chunks:
        data = rest + chunk if rest else chunk
        if b"\r" in chunk:
            raise _Fallback
        if first:
            if len(data) < 3 and b"\xef\xbb\xbf".startswith(data):
                rest = data  # (a BOM cut by the chunk's end: not known yet)
                continue
            first = False
            start = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a BOM, as the decoder drops it
        else:
            start = 0
        while True:
            end = data.find(b"\n", start + _BLOCK)
            if end < 0:
                end = data.rfind(b"\n", start)
                if end >= 0:
                    yield data[start:end].decode("utf-8").split("\n")
                    start = end + 1
                break
            yield data[start:end].decode("utf-8").split("\n")
            start = end + 1
        rest = data[start:]
    yield rest.decode("utf-8").split("\n")


def line_marks(text: str | bytes) -> list[int]:
    """Where the lines of ``text`` (a file's text or bytes) start, every few thousand
    characters: a 0-based line and its offset, packed (``line << 32 | offset``), for
    :func:`line_offset`."""
    newline: Any = "\n" if isinstance(text, str) else b"\n"
    marks = []
    start = line = 0
    while start <= len(text):
        marks.append(line << 32 | start)
        end = text.find(newline, start + _BLOCK)
        if end < 0:
            break
        line += text.count(newline, start, end) + 1
        start = end + 1
    return marks


def line_offset(text: str | bytes, marks: list[int], line: int) -> int:
    """The offset in ``text`` of its 0-based ``line``, found from its :func:`line_marks`."""
    newline: Any = "\n" if isinstance(text, str) else b"\n"
    mark = marks[bisect.bisect_right(marks, line << 32 | 0xFFFFFFFF) - 1]
    first, offset = mark >> 32, mark & 0xFFFFFFFF
    for _ in range(line - first):
        offset = text.index(newline, offset) + 1
    return offset


def takes_fast_path(text: str) -> bool:
    """Whether :func:`parse` reads ``text`` whole (else the composer reads it, or its entries
    outside the subset)."""
    return parse(text) is not None


def _double(body: str) -> str:
    """The text of a double-quoted scalar's ``body`` with JSON-style escapes."""

    def one(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            code = int(m.group(1), 16)
            if 0xD800 <= code <= 0xDFFF:
                raise _Fallback
            return chr(code)
        got = _ESCAPES.get(m.group(2))
        if got is None:
            raise _Fallback
        return got

    return _ESCAPE.sub(one, body)


class _Flow:
    """Reads one-line flow collections and scalars; counts nodes and alias expansion."""

    __slots__ = (
        "anchors",
        "base",
        "events",
        "expanded",
        "journal",
        "line",
        "nodes",
        "scalar_alias",
        "seen",
        "weight",
    )

    def __init__(self, anchors: dict[str, tuple[Any, int]]) -> None:
        self.anchors = anchors
        self.events = 0  # a lower bound of the composer's events before the lines being read
        # with per-entry reading: the anchors (re)defined by the entry being read, with what
        # they stood for before (None: nothing), to undo if the entry is left to the composer
        self.journal: list[tuple[str, tuple[Any, int] | None]] | None = None
        # lines read before: a key line "key: scalar" of a mapping -> (key, value, indentation,
        # the value's column after the key's); "- key: scalar" the same with _DASH added to the
        # indentation of the dash; "key: *alias" with _ALIAS added and the alias's name
        self.seen: dict[str, tuple[str, Any, int, int]] = {}
        self.line = ""
        self.base = 0
        self.nodes = 0
        self.expanded = 0
        self.weight = 0
        self.scalar_alias = False  # an alias to a scalar read since the list item began

    def alias(self, name: str) -> tuple[Any, int]:
        """An alias's node and weight; fall back if unknown or past the composer's bound."""
        found = self.anchors.get(name)
        if found is None:
            raise _Fallback
        if type(found[0]) is not YMap and type(found[0]) is not YSeq:
            self.scalar_alias = True
        self.expanded += found[1]
        # the composer stops when expansion passes 2 x its events + 10,000; nodes <= events
        if self.expanded > 2 * self.nodes + 10_000:
            raise _Fallback
        return found

    def block_alias(self, v: str) -> Any:
        """The node of an alias written alone after ``key: `` (``v``: ``*name``, perhaps a
        comment), its weight in ``self.weight``; _MISS when written otherwise."""
        name = v[1:]
        if not (name.isascii() and name.isalnum()):
            return _MISS
        value, self.weight = self.alias(name)
        return value

    def node(self, i: int, depth: int) -> tuple[Any, int, int, int]:
        """The flow node at ``i``: value, weight, position (packed) and the index after it."""
        line = self.line
        if depth > _MAX_DEPTH:
            raise _Fallback
        pos = self.base | i
        c = line[i : i + 1]
        anchor = None
        if c == "&":
            m = _NAME.match(line, i + 1)
            if m is None or line[m.end() : m.end() + 1] != " ":
                raise _Fallback
            anchor = m.group()
            i = m.end()
            while line[i : i + 1] == " ":
                i += 1
            c = line[i : i + 1]
            if c in ("&", "*"):
                raise _Fallback
        self.nodes += 1
        if c == "[" or c == "{":
            value, weight, i = self.collection(i, pos, depth)
        elif c == "*":
            m = _NAME.match(line, i + 1)
            if m is None:
                raise _Fallback
            i = m.end()
            if line[i : i + 1] not in ("", " ", ",", "]", "}"):
                raise _Fallback
            value, weight = self.alias(m.group())
        elif c == "'":
            m = _SINGLE.match(line, i)
            if m is None:
                raise _Fallback
            value, weight, i = m.group(1).replace("''", "'"), 1, m.end()
        elif c == '"':
            m = _DOUBLE.match(line, i)
            if m is None:
                raise _Fallback
            body = m.group(1)
            value, weight, i = _double(body) if "\\" in body else body, 1, m.end()
        else:
            start = i
            n = len(line)
            while i < n and line[i] not in _FLOW_STOP:
                i += 1
            text = line[start:i].rstrip(" ")
            if (
                not text
                or (text[0] in _SPECIAL and not (text[0] == "-" and text[1:2] not in ("", " ")))
                or any(ch in _FLOW_BAD for ch in text)
            ):
                raise _Fallback
            value, weight = _resolve(text), 1
        if anchor is not None:
            self.define(anchor, value, weight)
        return value, weight, pos, i

    def define(self, name: str, value: Any, weight: int) -> None:
        """Define (or redefine) an anchor."""
        if self.journal is not None:
            self.journal.append((name, self.anchors.get(name)))
        self.anchors[name] = (value, weight)

    def skip(self, i: int) -> int:
        line = self.line
        while line[i : i + 1] == " ":
            i += 1
        return i

    def collection(self, i: int, pos: int, depth: int) -> tuple[Any, int, int]:
        """The flow mapping or sequence opening at ``i``: value, weight, index after it."""
        line = self.line
        at = _unpacked(pos)
        is_map = line[i] == "{"
        close = "}" if is_map else "]"
        container: Any = YMap(at) if is_map else YSeq(at)
        weight = 1
        i = self.skip(i + 1)
        if line[i : i + 1] == close:
            return container, weight, i + 1
        while True:
            if is_map:
                m = _KEY.match(line, i)
                if m is None or m.end() == len(line) or line[m.end() - 1] != " ":
                    raise _Fallback
                key = m.group()[: m.group().index(":")]
                if key in container:
                    raise _Fallback
                self.nodes += 1
                kpos = self.base | i
                value, w, vpos, i = self.node(m.end(), depth + 1)
                container[key] = value
                container.pos.append(kpos)
                container.pos.append(vpos)
                weight += 1 + w
            else:
                value, w, vpos, i = self.node(i, depth + 1)
                container.append(value)
                container.pos.append(vpos)
                weight += w
            i = self.skip(i)
            c = line[i : i + 1]
            if c == close:
                return container, weight, i + 1
            if c != ",":
                raise _Fallback
            i = self.skip(i + 1)
            if line[i : i + 1] in ("", ",", "]", "}"):
                raise _Fallback


_MISS = object()
_NUMBERISH = re.compile(
    r"[-+]?(?:[0-9]+|\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
_WORDS = {"~": None, "null": None, "Null": None, "NULL": None, "true": True, "True": True,
          "TRUE": True, "false": False, "False": False, "FALSE": False}  # fmt: skip
_MAYBE = frozenset("0123456789+-.~nNtTfF")


def _resolve(text: str) -> Any:
    """:func:`cctrack.yaml_nodes.resolve_plain`, quicker for text that is neither a number
    nor a null or boolean word."""
    if text[0] not in _MAYBE:
        return text
    if text in _WORDS:
        return _WORDS[text]
    if _NUMBERISH.fullmatch(text) is None:
        return text
    return resolve_plain(text)


def _scalar(v: str) -> Any:
    """The value of the block scalar ``v`` (the rest of a key line after ``key: ``) when it is
    plain, or quoted without escapes, and alone on its line; else _MISS (the general path
    reads it)."""
    c = v[0]
    if c == " ":
        return _MISS
    if c == '"' or c == "'":
        if v[-1] != c or v.count(c) != 2 or (c == '"' and "\\" in v) or len(v) < 2:
            return _MISS
        value: Any = v[1:-1]
    elif c in _SPECIAL and not (c == "-" and v[1:2] not in ("", " ")):
        return _MISS
    else:
        value = _plain(v)
    return value


def _plain(v: str) -> Any:
    """The value of a plain scalar in block context, written from the start of ``v`` to the end
    of its line (a comment may follow)."""
    if " #" in v:
        v = v[: v.index(" #")]
    v = v.rstrip(" ")
    if ": " in v or v[-1] == ":":
        raise _Fallback
    return _resolve(v)


def _plain_start(s: str, i: int) -> bool:
    """Whether a block value starting at ``i`` is a plain scalar."""
    c = s[i]
    return c not in _SPECIAL or (c == "-" and s[i + 1 : i + 2] not in ("", " "))


def _value(flow: _Flow, line: str, i: int) -> tuple[Any, int, int]:
    """A value written after ``key: `` or ``- `` at ``i`` and ending its line (a comment
    may follow): the value, its weight and its packed position."""
    value, weight, pos, end = flow.node(i, 1)
    rest = line[end:]
    if rest and (_AFTER.fullmatch(rest) is None or (rest[0] == "#" and line[end - 1] not in "'\"")):
        raise _Fallback
    return value, weight, pos


_DASH = 1 << 20  # marks the indentation of a cached line that opens a sequence item
_ALIAS = 1 << 21  # and of a cached line whose value is an alias


def _read(
    lines: Iterable[str],
    flow: _Flow,
    start: int = 0,
    stop: int | None = None,
    hook: Hook | None = None,
) -> Any:
    """The root of the document in ``lines[start:stop]`` (the file's lines, LF removed; without
    ``stop``, every line from ``start`` on, of which there is at least one);
    ``flow.events`` becomes a lower bound of the composer's events after it."""
    # a frame: [container, indent, is a mapping, anchor, extra weight, indentless, the indent of
    # the sequence it is an item of (or -1)]. A container's weight (the composer's count of the
    # nodes it expands to) is 1 + its keys + its values, where a scalar counts 1 and an alias or a
    # container its weight: "extra" is the sum of (weight - 1) over its non-scalar values.
    stack: list[list[Any]] = []
    top: list[Any] | None = None
    root: Any = None
    started = False
    # a key waiting for a block value: [frame, key, key position, position after ':', anchor,
    # anchor position]
    pending: list[Any] | None = None
    special = _SPECIAL
    key_match = _KEY.match
    seen = flow.seen
    seen_get = seen.get
    skipped = 0  # blank and comment lines so far
    items = 0  # sequence items written on their dash's line that are not mappings
    # the hot path: a key line of the mapping at the top of the stack, or the first line of the
    # next item of the sequence below it
    hot_ind = dash_key = -1
    container: Any = None
    posappend: Any = None
    lazy = False  # the container's positions are left to its layout (see YMap.pos)
    seq_frame: Any = None  # with dash_key: the frame of the sequence, its appends
    seq_append: Any = None
    seq_posappend: Any = None

    hook_key, hook_fn = hook if hook is not None else ("", None)

    def hooked(item_frame: list[Any]) -> bool:
        """Whether the item of ``item_frame``, the last of its list (the frame below it), is
        given to the hook."""
        return (
            hook_fn is not None
            and item_frame[3] is None
            and not flow.scalar_alias
            and type(item_frame[0]) is YMap
            and item_frame[0]._pos is None
            and stack[0][2]
            and stack[0][0].get(hook_key) is stack[1][0]
        )

    def next_item(no: int, ind: int) -> YMap:
        """Close the item mapping at the top of the stack (telling the hook of it) and open the
        next item of its list in the same frame, its first key at line ``no``, column ``ind``."""
        assert top is not None
        seq_frame[4] += 2 * len(top[0]) + top[4]
        if hook_fn is not None and len(stack) == 3 and hooked(top):
            hook_fn(seq_frame[0], len(seq_frame[0]) - 1)
        flow.scalar_alias = False
        item = top[0] = _item(no, ind, seq_append, seq_posappend)
        top[4] = 0
        return item

    def close() -> None:
        nonlocal top
        frame = stack.pop()
        value, _, is_map, anchor, extra, _, _ = frame
        weight = 1 + (2 if is_map else 1) * len(value) + extra
        if anchor is not None:
            flow.define(anchor, value, weight)
        top = stack[-1] if stack else None
        if top is not None:
            top[4] += weight - 1
            if len(stack) == 2 and hooked(frame) and top[0] and top[0][-1] is value:
                hook_fn(top[0], len(top[0]) - 1)  # type: ignore[misc]

    events = flow.events - 2 * start  # + 2 * (no - skipped) - items: the bound at line no
    no = start
    try:
        for no, line in enumerate(itertools.islice(lines, start, stop), start):
            hit = seen_get(line)
            if hit is not None:
                k, val, ind, off = hit
                if ind == hot_ind:
                    if k not in container:
                        container[k] = val
                        if not lazy:
                            b = no << 32 | ind
                            posappend(b)
                            posappend(b + off)
                        continue
                elif ind == dash_key:
                    container = next_item(no, hot_ind)
                    lazy = True
                    container[k] = val
                    continue
                elif ind == hot_ind + _ALIAS and k not in container:
                    flow.nodes = events + 2 * (no - skipped) - items
                    val, weight = flow.alias(val)
                    top[4] += weight - 1  # type: ignore[index]
                    container[k] = val
                    if not lazy:
                        b = no << 32 | hot_ind
                        posappend(b)
                        posappend(b + off)
                    continue
            # a line not read before: in the subset only without unusual characters (printable
            # text has none; the search is slower). A line read before had none.
            if not line.isprintable() and _UNUSUAL.search(line):
                raise _Fallback
            s = line.lstrip(" ")
            ind = len(line) - len(s)
            if ind == hot_ind or (ind + _DASH == dash_key and s.startswith("- ")):
                dash = ind != hot_ind
                kv = s[2:] if dash else s
                k, _, v = kv.partition(": ")
                if v and k.isidentifier() and len(k) < _MAX_KEY and (dash or k not in container):
                    if v[0] == "*":
                        if not dash:
                            flow.nodes = events + 2 * (no - skipped) - items
                            val = flow.block_alias(v)
                            if val is not _MISS:
                                seen[line] = (k, v[1:], ind + _ALIAS, len(k) + 2)
                                top[4] += flow.weight - 1  # type: ignore[index]
                                container[k] = val
                                if not lazy:
                                    b = no << 32 | ind
                                    posappend(b)
                                    posappend(b + len(k) + 2)
                                continue
                    else:
                        val = _scalar(v)
                        if val is not _MISS:
                            if type(val) is not float:
                                seen[line] = (k, val, ind + _DASH if dash else ind, len(k) + 2)
                            if dash:
                                ind += 2
                                container = next_item(no, ind)
                                lazy = True
                            container[k] = val
                            if not lazy:
                                b = no << 32 | ind
                                posappend(b)
                                posappend(b + len(k) + 2)
                            continue
            # the general path
            if not s or s[0] == "#":
                skipped += 1
                if lazy:  # the next key is not on the next line: positions as they come
                    posappend = container.pos.append
                    lazy = False
                continue
            base = no << _SHIFT
            dash = s[0] == "-" and (len(s) == 1 or s[1] == " ")
            if pending is not None:
                frame, key, kpos, colon, anchor, apos = pending
                pending = None
                pind = frame[1]
                if (dash and ind >= pind) or ind > pind:
                    if len(stack) >= _MAX_DEPTH:
                        raise _Fallback
                    at_packed = apos if anchor is not None else base | ind
                    child: Any = YSeq(_unpacked(at_packed)) if dash else YMap(_unpacked(at_packed))
                    frame[0][key] = child
                    frame[0].pos.append(kpos)
                    frame[0].pos.append(at_packed)
                    top = [child, ind, not dash, anchor, 0, dash and ind == pind, -1]
                    stack.append(top)
                else:
                    if anchor is not None:
                        raise _Fallback
                    frame[0][key] = None
                    frame[0].pos.append(kpos)
                    frame[0].pos.append(colon)
            while top is not None and (ind < top[1] or (ind == top[1] and top[5] and not dash)):
                close()
            if top is None:
                if started:
                    raise _Fallback
                started = True
                at = (no + 1, ind + 1)
                top = [YMap(at) if not dash else YSeq(at), ind, not dash, None, 0, 0, -1]
                stack.append(top)
                root = top[0]
            elif ind != top[1]:
                raise _Fallback
            # a lower bound of the composer's events before this line: two a line but for items
            # that are one scalar or alias
            flow.nodes = events + 2 * (no - skipped) - items
            hot_ind = dash_key = -1
            if dash:
                if top[2]:
                    raise _Fallback
                rest = s[1:].lstrip(" ")
                if not rest or rest[0] == "#":
                    raise _Fallback
                col = ind + len(s) - len(rest)
                if key_match(rest) is None:
                    items += 1
                    if _plain_start(line, col):
                        value, weight, pos = _plain(rest), 1, base | col
                    else:
                        flow.line = line
                        flow.base = base
                        value, weight, pos = _value(flow, line, col)
                    top[0].append(value)
                    top[0].pos.append(pos)
                    top[4] += weight - 1
                    continue
                # an item that is a block mapping
                if len(stack) >= _MAX_DEPTH:
                    raise _Fallback
                flow.scalar_alias = False
                item = YMap((no + 1, col + 1))
                top[0].append(item)
                top[0].pos.append(base | col)
                top = [item, col, True, None, 0, 0, ind]
                stack.append(top)
                s = rest
                ind = col
            elif not top[2]:
                raise _Fallback
            # a key line of the mapping ``top``
            container = top[0]
            posappend = container.pos.append
            lazy = False
            m = key_match(s)
            if m is None:
                raise _Fallback
            end = m.end()
            key = s[: s.index(":")]
            if key in container or len(key) > _MAX_KEY:
                raise _Fallback
            kpos = base | ind
            col = ind + end
            if end == len(s) or s[end] == "#":  # ``key:`` (a comment may follow): a block value
                pending = [top, key, kpos, base | (ind + len(key) + 1), None, 0]
                continue
            hot_ind = ind
            if top[6] >= 0 and ind == top[6] + 2:
                dash_key = top[6] + _DASH
                seq_frame = stack[-2]
                seq_append = seq_frame[0].append
                seq_posappend = seq_frame[0].pos.append
            c = s[end]
            if c not in special or (c == "-" and s[end + 1 : end + 2] not in ("", " ")):
                container[key] = _plain(s[end:])
                posappend(kpos)
                posappend(base | col)
                continue
            if c == "&":
                m2 = _NAME.match(s, end + 1)
                if m2 is not None and _AFTER.fullmatch(s, m2.end()) is not None:
                    after = s[m2.end() :]
                    if after and after[0] != " ":
                        raise _Fallback
                    pending = [top, key, kpos, base | (ind + len(key) + 1), m2.group(), base | col]
                    hot_ind = dash_key = -1
                    continue
            if c not in "&*'\"[{":
                raise _Fallback
            flow.line = line
            flow.base = base
            value, weight, pos = _value(flow, line, col)
            container[key] = value
            posappend(kpos)
            posappend(pos)
            top[4] += weight - 1
    except _Fallback as exc:
        exc.args = (no,)  # the line that left the subset
        raise
    if pending is not None:
        frame, key, kpos, colon, anchor, _ = pending
        if anchor is not None:
            raise _Fallback
        frame[0][key] = None
        frame[0].pos.append(kpos)
        frame[0].pos.append(colon)
    while stack:
        close()
    flow.events = events + 2 * ((no + 1 if stop is None else stop) - skipped) - items
    return root


def _by_entries(lines: list[str], anchors: Anchors, compose: Compose) -> tuple[Any, Anchors] | None:
    """A file of the usual shape (``key:`` then a block sequence), some of whose entries are
    outside the subset: each entry read alone, those outside the subset by the composer (seeded
    with the anchors before them, its positions moved to the entry's lines). None when the file
    is not of that shape, or the composer finds a problem in an entry (the whole file is then
    the composer's, whose problems may depend on more than the entry)."""
    content = [i for i, line in enumerate(lines) if line.strip(" ")[:1] not in ("", "#")]
    if not content:
        return None
    head = lines[content[0]]
    key = head.rstrip(" ")[:-1]
    if head.lstrip(" ")[:2] in ("-", "- "):
        key, content = "", [-1, *content]  # the sequence is the root
    elif head.rstrip(" ") != key + ":" or not key.isidentifier() or len(content) < 2:
        return None
    first = lines[content[1]]
    dash = len(first) - len(first.lstrip(" "))
    starts: list[int] = []
    for i in content[1:]:
        line = lines[i]
        ind = len(line) - len(line.lstrip(" "))
        if ind == dash and line[ind] == "-" and line[ind + 1 : ind + 2] in ("", " "):
            starts.append(i)
        elif ind <= dash:
            return None
    if not starts or starts[0] != content[1]:
        return None
    flow = _Flow(anchors)
    flow.events = 2  # the key and the sequence
    seq = YSeq((starts[0] + 1, dash + 1))
    n = 0  # the first entry not read
    composed = 0  # entries read by the composer
    while n < len(starts):
        # read from entry n to the end; where an entry leaves the subset, read the entries
        # before it again (the read stopped in the middle), then that entry by the composer
        s = starts[n]
        end = len(lines)
        bad = -1
        while True:
            flow.journal = []
            expanded = flow.expanded
            try:
                part = _read(lines, flow, s, end)
                break
            except _Fallback as exc:
                for name, before in reversed(flow.journal):
                    if before is None:
                        del flow.anchors[name]
                    else:
                        flow.anchors[name] = before
                flow.expanded = expanded
                at: int = exc.args[0] if exc.args else end - 1
                bad = bisect.bisect_right(starts, at) - 1
                if bad <= n:
                    part = None
                    break
                end = starts[bad]
        if part is not None:
            seq.extend(part)
            seq.pos.extend(part.pos)
            n = bisect.bisect_left(starts, end)
            if n >= len(starts):
                break
        composed += 1
        if composed > _MAX_COMPOSED and composed * 8 > len(starts):
            return None  # composing so many entries one by one costs more than the whole file
        e = starts[n + 1] if n + 1 < len(starts) else len(lines)
        s = starts[n]
        old = {id(value) for value, _ in flow.anchors.values()}
        text = "\n".join(lines[s:e]) + ("\n" if e < len(lines) else "")
        root, problems, flow.anchors, events, expanded = compose(text, flow.anchors)
        if problems or not isinstance(root, YSeq) or len(root) != 1:
            return None
        flow.expanded += expanded
        if flow.expanded > 2 * flow.events + 10_000:
            return None  # the composer of the whole file might have stopped at an alias bomb
        # its events less the stream's, the document's and the sequence's starts and ends
        flow.events += max(0, events - 6)
        _shift(root, s, old)
        seq.append(root[0])
        seq.pos.append(root.pos[0])
        n += 1
    flow.journal = None
    if not key:
        return seq, flow.anchors
    root = YMap((content[0] + 1, 1))
    root[key] = seq
    root.pos.append(content[0] << _SHIFT)
    root.pos.append(((seq.at[0] - 1) << _SHIFT) | (seq.at[1] - 1))
    return root, flow.anchors


def _shift(node: Any, lines: int, old: set[int]) -> None:
    """Move the positions of the containers made for ``node`` (not those in ``old``, made
    before: an alias's) down by ``lines``."""
    by = lines << _SHIFT
    done: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if not isinstance(n, YMap | YSeq) or id(n) in old or id(n) in done:
            continue
        done.add(id(n))
        n.at = (n.at[0] + lines, n.at[1])
        pos = n.pos
        for i in range(len(pos)):
            pos[i] += by
        stack.extend(n.values() if isinstance(n, YMap) else n)
