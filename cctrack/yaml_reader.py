"""Read YAML with YAML 1.2 core-schema scalars and the position of every node.

The reader walks libyaml's event stream itself (never PyYAML's recursive composer), so that it
can bound nesting depth and alias expansion, reject duplicate keys and non-standard tags, and
record where every key and value stands. Mappings come back as :class:`YMap` and sequences as
:class:`YSeq`: plain ``dict`` and ``list`` with positions attached. Problems are returned as
values, never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from cctrack import yaml_lines
from cctrack.location import MAX_BYTES, Streamed, Unread, not_regular, read_data, too_large
from cctrack.problem import ERROR, Problem
from cctrack.yaml_nodes import _LINE, _MAYBE_SPECIAL, _packed, _unpacked
from cctrack.yaml_nodes import Pos as Pos
from cctrack.yaml_nodes import YMap as YMap
from cctrack.yaml_nodes import YSeq as YSeq
from cctrack.yaml_nodes import resolve_plain as resolve_plain

MAX_DEPTH = 64
_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels of mappings and lists: flatten the data"
_CORE = "tag:yaml.org,2002:"


@dataclass(slots=True)
class Document:
    """One file as read: its root value (or None), its text and the problems found reading it."""

    path: str
    root: Any
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    exists: bool = True
    anchors: dict[str, tuple[Any, int]] = field(default_factory=dict)  # the table after reading


def locate(root: Any, loc: tuple[Any, ...], key: bool = False) -> Pos:
    """The position of the node at ``loc`` below ``root`` (of the key itself with ``key``).

    Walks as far as the path exists and returns the deepest position found.
    """
    return walk(root, getattr(root, "at", (1, 1)), loc, key)


def walk(node: Any, pos: Pos, loc: tuple[Any, ...], key: bool = False) -> Pos:
    """:func:`locate` from ``node``, which stands at ``pos``."""
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        found = node.where(step, last and key) if isinstance(node, YMap) else None
        if found is not None:
            pos, node = found, node[step]
        elif isinstance(node, YSeq) and isinstance(step, int) and 0 <= step < len(node):
            pos, node = _unpacked(node.pos[step]), node[step]
        else:
            break
    return pos


_TAG_CHECK: dict[str, Any] = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, int | float | Decimal) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


# --- composer -------------------------------------------------------------------------------


class _Abort(Exception):
    """Stop reading a file: the problem has been recorded."""


class _Composer:
    """Builds YMap/YSeq trees from libyaml events with an explicit stack (no recursion)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.events = 0
        self.expanded = 0
        self.documents = 0

    def problem(self, mark: Pos, code: str, message: str) -> None:
        self.problems.append(Problem(self.path, mark[0], mark[1], ERROR, code, message))

    def scalar(self, ev: yaml.ScalarEvent, packed: int) -> Any:
        pos = _unpacked(packed)
        tag, text = ev.tag, ev.value
        if tag is None or tag == "!":
            if ev.implicit[0] and tag is None:
                return resolve_plain(text)
            return text
        if not tag.startswith(_CORE):
            self.problem(pos, "non-standard-tag", f"tag {tag!r} is not allowed: remove it")
            return text
        name = tag[len(_CORE) :]
        if name == "str":
            return text
        if name in _TAG_CHECK:
            value = resolve_plain(text)
            if _TAG_CHECK[name](value):
                return float(value) if name == "float" else value
            self.problem(pos, "invalid-tagged-value", f"{text!r} is not a valid !!{name}")
            return text
        self.problem(pos, "non-standard-tag", f"tag '!!{name}' is not allowed: remove it")
        return text

    def compose(self, text: str) -> Any:
        """The tree of ``text``'s one document, or None with the problems recorded."""
        loader = self.loader(text)
        if loader is None:
            return None
        try:
            return self.build(loader)
        except yaml.MarkedYAMLError as exc:
            self.syntax_error(exc, text)
        except yaml.reader.ReaderError as exc:
            char = chr(exc.character) if isinstance(exc.character, int) else exc.character
            self.problem(
                _offset_pos(text, exc.position), "invalid-character",
                f"character {char!r} is not allowed in YAML",
            )  # fmt: skip
        except _Abort:
            pass
        finally:
            loader.dispose()
        return None

    def loader(self, text: str) -> yaml.CSafeLoader | None:
        """libyaml's reader of ``text``; None (with the problem) for text it cannot encode."""
        try:
            return yaml.CSafeLoader(text)
        except UnicodeEncodeError as exc:  # a lone surrogate, e.g. from an undecodable argument
            at = _offset_pos(text[: exc.start], len(text[: exc.start].encode("utf-8")))
            self.problem(at, "invalid-utf8", "text that is not valid UTF-8: remove it")
            return None

    def build(self, loader: yaml.CSafeLoader) -> Any:
        """The tree, from libyaml's events: each node is made (a scalar's value, an alias's
        target, a container when it closes), then placed in the container open above it.

        One loop, with the steps for scalars and placing inline: they run for every node of a
        data set of a million nodes, where a method call each would cost a tenth of the read.
        Raises yaml's errors and :class:`_Abort`."""
        # frames: [container, pending key, weight, anchor, position, is a mapping, the pending
        # key's position, the keys' positions once a duplicate is met]; positions packed
        stack: list[list[Any]] = []
        frame: list[Any] | None = None
        root: Any = None
        get = loader.get_event
        scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
        map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
        map_end, seq_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
        special, str_tag = _MAYBE_SPECIAL, _CORE + "str"
        while True:
            # 1. make the node the event completes (or open a container and go on)
            ev: Any = get()
            self.events += 1
            cls = type(ev)
            if cls is scalar_event:  # the hot path: most events are scalars
                mark = ev.start_mark
                pos = mark.line << _LINE | mark.column
                tag, value = ev.tag, ev.value
                if frame is not None and frame[5] and frame[1] is None:
                    if tag is not None and tag != "!" and tag != str_tag:
                        self.scalar(ev, pos)  # a key keeps its text; only the tag is checked
                elif tag is None:
                    if ev.implicit[0] and (not value or value[0] in special):
                        value = resolve_plain(value)
                else:
                    value = self.scalar(ev, pos)
                weight = 1
                if ev.anchor is not None:
                    self.anchors[ev.anchor] = (value, 1)
            elif cls is map_start or cls is seq_start:
                frame = self.open(ev, cls is map_start, len(stack))
                stack.append(frame)
                continue
            elif cls is map_end or cls is seq_end:
                value, _, weight, anchor, pos, _, _, _ = stack.pop()
                frame = stack[-1] if stack else None
                if anchor is not None:
                    self.anchors[anchor] = (value, weight)
            elif cls is alias_event:
                mark = ev.start_mark
                pos = mark.line << _LINE | mark.column
                value, weight = self.alias(ev.anchor, pos)
            elif cls is yaml.StreamEndEvent or ev is None:
                return root
            else:
                if cls is yaml.DocumentStartEvent:
                    self.document_start(ev)
                continue
            # 2. place it: the root, an item, a new key, or a key's value (the usual cases
            # inline; duplicate and complex keys by attach)
            if frame is None:
                root = value
            elif not frame[5]:
                frame[2] += weight
                frame[0].append(value)
                frame[0].pos.append(pos)
            elif frame[1] is None and type(value) is str and value not in frame[0]:
                frame[2] += weight
                frame[1] = value  # a new key: its value comes next
                frame[6] = pos
                if frame[7] is not None:
                    frame[7][value] = pos
            elif frame[1] is not None and type(frame[1]) is str:
                frame[2] += weight
                frame[0][frame[1]] = value
                frame[0]._pos.append(frame[6])
                frame[0]._pos.append(pos)
                frame[1] = None
            else:
                self.attach(frame, value, weight, pos)

    def open(self, ev: Any, is_map: bool, depth: int) -> list[Any]:
        """A frame for a mapping or sequence that starts at ``depth``; abort past MAX_DEPTH."""
        mark = ev.start_mark
        packed = _packed(mark.line, mark.column)
        pos = _unpacked(packed)
        if depth >= MAX_DEPTH:
            self.problem(pos, "too-deep", _TOO_DEEP)
            raise _Abort
        if ev.tag is not None and ev.tag not in ("!", _CORE + "map", _CORE + "seq"):
            self.problem(pos, "non-standard-tag", f"tag {ev.tag!r} is not allowed")
        return [YMap(pos) if is_map else YSeq(pos), None, 1, ev.anchor, packed, is_map, 0, None]

    def document_start(self, ev: Any) -> None:
        """Count a document; abort at the second (one document per file)."""
        self.documents += 1
        if self.documents > 1:
            mark = ev.start_mark
            at = (mark.line + 1, mark.column + 1)
            self.problem(at, "multiple-documents", "only one YAML document per file")
            raise _Abort

    def syntax_error(self, exc: yaml.MarkedYAMLError, text: str) -> None:
        """Record libyaml's syntax error, or too-deep nesting where that is its cause."""
        m = exc.problem_mark or exc.context_mark
        # libyaml reads ahead of the events it hands out, and libyaml 0.2.6 (PyYAML 6.0.4)
        # stops at 1,000 flow levels with a syntax error: nesting may pass MAX_DEPTH in the
        # text before the error without the loop above having seen it.
        deep = _depth_passed(text[: m.index]) if m else None
        if deep is not None:
            self.problem(deep, "too-deep", _TOO_DEEP)
            return
        at = (m.line + 1, m.column + 1) if m else (1, 1)
        reason = (exc.problem or str(exc)).strip()
        if exc.context:
            reason = f"{reason} ({exc.context.strip()})"
        self.problem(at, "yaml-syntax", f"YAML syntax error: {reason}")

    def alias(self, anchor: str, packed: int) -> tuple[Any, int]:
        """The node an alias stands for and its expanded size; abort on an alias bomb."""
        pos = _unpacked(packed)
        if anchor not in self.anchors:
            self.problem(pos, "yaml-syntax", f"unknown alias *{anchor}")
            return None, 1
        value, weight = self.anchors[anchor]
        self.expanded += weight
        if self.expanded > 2 * self.events + 10_000:
            msg = "aliases expand to far more nodes than the file holds ('billion laughs'?)"
            self.problem(pos, "alias-bomb", msg)
            raise _Abort
        return value, weight

    def attach(self, frame: list[Any], value: Any, weight: int, packed: int) -> None:
        """Attach a node to its parent: the general path, which reports key problems."""
        container = frame[0]
        frame[2] += weight
        if isinstance(container, YSeq):
            container.append(value)
            container.pos.append(packed)
            return
        key = frame[1]
        if key is None:
            pos = _unpacked(packed)
            if isinstance(value, YMap | YSeq):
                self.problem(pos, "complex-key", "a mapping key must be a plain name")
                value = f"<complex key at line {pos[0]}>"
            if frame[7] is None and value in container:  # the first duplicate: index the keys
                frame[7] = {k: container.pos[2 * i] for i, k in enumerate(container)}
            if frame[7] is not None and value in frame[7]:
                first = _unpacked(frame[7][value])[0]
                msg = f"duplicate key {value!r} (first at line {first})"
                self.problem(pos, "duplicate-key", msg)
                frame[1] = _Skip(value)
                return
            frame[1] = value
            frame[6] = packed
            if frame[7] is not None:
                frame[7][value] = packed
            return
        if not isinstance(key, _Skip):
            container[key] = value
            container.pos.append(frame[6])
            container.pos.append(packed)
        frame[1] = None


def _depth_passed(text: str) -> Pos | None:
    """Where nesting in ``text`` passes MAX_DEPTH levels, if it does before any YAML error."""
    loader = yaml.CSafeLoader(text)
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    depth = 0
    try:
        while (ev := loader.get_event()) is not None:
            if isinstance(ev, starts):
                if depth >= MAX_DEPTH:
                    mark: Any = ev.start_mark  # libyaml marks every event
                    return mark.line + 1, mark.column + 1
                depth += 1
            elif isinstance(ev, ends):
                depth -= 1
    except yaml.YAMLError:
        pass  # the end of the text cut a node short, or a later error: not too deep before it
    finally:
        loader.dispose()
    return None


class _Skip(str):
    """Marks the value of a duplicate key: read, then dropped."""

    __slots__ = ()


def _offset_pos(text: str, offset: int) -> Pos:
    """The position of a byte offset into the UTF-8 encoding of ``text`` (libyaml counts bytes)."""
    before = text.encode("utf-8")[:offset].decode("utf-8", "replace")
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1


def _decode(path: str, data: bytes) -> tuple[str | None, Problem | None]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start].removeprefix(b"\xef\xbb\xbf")  # a BOM takes no column
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        bad = data[exc.start : exc.start + 1].hex()
        return None, Problem(
            path, line, col, ERROR, "invalid-utf8", f"invalid UTF-8 (byte 0x{bad}): save as UTF-8"
        )
    return text.removeprefix("\ufeff"), None


def parse_text(
    path: str,
    text: str,
    anchors: dict[str, tuple[Any, int]] | None = None,
    hook: yaml_lines.Hook | None = None,
    *,
    whole: bool = True,
) -> Document:
    """Compose YAML text into a Document (root value plus problems), ``anchors`` (name ->
    (value, weight)) being the anchors known before the text.

    Text in the regular forms data files are written in is read line by line
    (:mod:`cctrack.yaml_lines`, which gives ``hook`` the items it reads); anything else by the
    composer, which gives the same tree. ``whole`` False: the text is known not to be read
    whole line by line (:func:`cctrack.yaml_lines.parse`)."""
    fast = yaml_lines.parse(text, anchors, _compose_entry, hook, whole=whole)
    if fast is not None:
        return Document(path, fast[0], text, [], anchors=fast[1])
    return compose_text(path, text, anchors)


def _compose_entry(
    text: str, anchors: dict[str, tuple[Any, int]]
) -> tuple[Any, bool, dict[str, tuple[Any, int]], int, int]:
    """The composer's root of one entry's ``text`` (for :func:`cctrack.yaml_lines.parse`),
    whether it found a problem, its anchor table, its events and its alias expansion."""
    composer = _Composer("")
    composer.anchors.update(anchors)
    root = composer.compose(text)
    return root, bool(composer.problems), composer.anchors, composer.events, composer.expanded


def compose_text(
    path: str, text: str, anchors: dict[str, tuple[Any, int]] | None = None
) -> Document:
    """The composer's Document of ``text`` (the reference the line reader must match)."""
    composer = _Composer(path)
    if anchors:
        composer.anchors.update(anchors)
    root = composer.compose(text)
    return Document(path, root, text, composer.problems, anchors=composer.anchors)


def read_bytes(path: Path, name: str) -> bytes | Document:
    """A file's bytes (:func:`cctrack.location.read_data`: a regular file, read with a bound),
    or a Document saying why there are none."""
    data = read_data(path, MAX_BYTES)
    return data if isinstance(data, bytes) else unread_document(name, data)


def unread_document(name: str, unread: Unread) -> Document:
    """The Document of a file that gave no bytes: missing (``exists`` False), not a regular
    file, too large or unreadable (a Problem)."""
    if unread.reason == "missing":
        return Document(name, None, exists=False)
    if unread.reason == "oversized":
        return _too_large(name, unread.detail)
    if unread.reason == "special":
        msg = f"{not_regular(unread.detail)}: only a regular file is read as data"
    else:
        msg = f"cannot read the file: {unread.detail}"
    return Document(name, None, problems=[Problem(name, 1, 1, ERROR, "file-unreadable", msg)])


def parse_bytes(name: str, data: bytes | Streamed, hook: yaml_lines.Hook | None = None) -> Document:
    """Decode (UTF-8, an optional BOM) and compose a file's bytes (``hook``: see
    :func:`parse_text`). With a hook (a data set's observations, read into entries as they come),
    a file without CR is first read line by line from its bytes, a block decoded at a time
    (:func:`cctrack.yaml_lines.parse_utf8`): its whole text is never held, and the Document keeps
    none. A :class:`~cctrack.location.Streamed` file is read again from disk, a block at a time,
    and held whole only when it is not read so (raises :class:`~cctrack.location.Changed` when
    its bytes are no longer those it was keyed by)."""
    size = len(data) if isinstance(data, bytes) else data.size
    if size > MAX_BYTES:  # (a Streamed file made of bytes written, not read: its size unchecked)
        return _too_large(name, size // 2**20)
    whole = True
    if hook is not None:
        if isinstance(data, Streamed):
            chunks = data.blocks()
            fast = _fast(chunks, hook)
            if fast is not None:
                for _ in chunks:  # (every block read, so that the bytes are known as keyed)
                    pass
        else:
            fast = _fast(data, hook) if b"\r" not in data else None
        if fast is not None:
            return Document(name, fast[0], "", [], anchors=fast[1])
        whole, hook = False, None  # (the same lines: not read again, nor told again)
    if isinstance(data, Streamed):
        data = data.whole()  # (of at most MAX_BYTES, as read at first)
    text, problem = _decode(name, data)
    if text is None:
        return Document(name, None, problems=[problem] if problem else [])
    return parse_text(name, text, hook=hook, whole=whole)


def _too_large(name: str, mib: int | str) -> Document:
    """The document of a file over :data:`MAX_BYTES` (``mib``: its size in MiB)."""
    msg = too_large(mib)
    return Document(name, None, problems=[Problem(name, 1, 1, ERROR, "file-too-large", msg)])


def _fast(data: Any, hook: yaml_lines.Hook) -> tuple[Any, yaml_lines.Anchors] | None:
    """:func:`cctrack.yaml_lines.parse_utf8`, None also where the bytes are not UTF-8 (said
    where they are decoded whole)."""
    try:
        return yaml_lines.parse_utf8(data, hook)
    except UnicodeDecodeError:
        return None


def read_yaml(path: Path, display: str | None = None) -> Document:
    """Read one YAML file; a missing, unreadable, oversized or undecodable file is a Problem."""
    name = display or str(path)
    raw = read_bytes(path, name)
    return raw if isinstance(raw, Document) else parse_bytes(name, raw)
