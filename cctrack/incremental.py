"""Reading on after an append: when observations.yaml only grew, only the new entries are read
and checked, and only their targets assessed again (issue 24).

A cold result that reads cleanly is stored with a :class:`State`: the targets file's hash, the
observations file's length, hash and line count, where its list's items stand and whose target
each names, and the YAML anchors known at its end. A later run whose file starts with exactly
those bytes (its length, then the hash of that prefix) and whose new bytes start new items of
the same list (:func:`_tail_ok`) reads the tail alone, with the anchors, at its own line
numbers; re-reads, from their lines, the old entries of the targets the tail touches (and of
those compared with them, benchmark targets); checks those targets' entries old and new and
keeps the stored problems of the others (every rule over observations looks within one target,
so a problem about the touched targets is replaced, the rest kept; problems in targets.yaml
that depend on observations only stand at their own target); assesses the touched targets again
and takes the others' assessments as they were before the passes across targets, which run
again on the whole. The result is the one a cold run gives.

Anything else reads cold: a changed targets file or option, an edit, a truncation, a line
ending other than LF, a document end marker, a flow list, an anchor written twice, a tail
that continues the last entry, an error anywhere (old or new data: a data set with errors is
never read on from, its stored result's errors say so; ``add-observation`` gets the problems
of a new entry with errors read on, to refuse it), ``validate --strict``. An alias in the
tail is checked against the alias-bomb bound of the tail alone (the bound of the whole file is
not kept).
"""

from __future__ import annotations

import bisect
import copy
import re
from array import array
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cctrack import cache
from cctrack.cache import ASSESSMENTS, USES, Stored
from cctrack.notloaded import NotLoaded

if TYPE_CHECKING:
    from cctrack.assess import Assessment
    from cctrack.dataset import Dataset
    from cctrack.problem import Problem
    from cctrack.yaml_reader import Document, YSeq

try:  # as in cctrack.cache: the module itself, not hashlib
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - an interpreter without it
    from hashlib import blake2b as _blake2b

_LINE = 32  # a packed position: 0-based line << 32 | 0-based column (cctrack.yaml_reader)
_COLUMN = (1 << _LINE) - 1
_MAX_ANCHORS = 10_000  # more anchors than this (one per entry?) are not stored: read cold
_ANCHOR = re.compile(rb"&([^\s\[\]{},]+)")  # an anchor as written (or in a text), after:
_BEFORE_ANCHOR = frozenset(b" \t\n[{,")
_BREAKS = (b"\r", b"\xc2\x85", b"\xe2\x80\xa8", b"\xe2\x80\xa9")  # libyaml's other line breaks
_KEEP = re.compile(rb"[|>][1-9]?\+")  # a block scalar that keeps its final line breaks
_CHUNK = 4096

# The road each computed result took: "cold" or "appended" (tests read it).
last_road: list[str] = []


@dataclass(slots=True)
class State:
    """What reading on after an append needs of the data a result was made from."""

    result_key: str  # the result cache entry this state goes with
    targets_hash: bytes
    size: int  # of observations.yaml, which ends with a line break
    digest: bytes
    lines: int  # its line breaks
    header: tuple[int, str]  # the 0-based line of 'observations:' and its text
    dash: int  # the column of the items' '-'
    pos: array[int]  # each item's packed position
    owner: array[int]  # each item's target, an index into ``ids``
    ids: list[str]
    anchors: dict[str, tuple[Any, int]]


def _hash(data: bytes | memoryview) -> Any:
    return _blake2b(data, digest_size=32)


def state_key(directory: Path, as_of: date, method: str) -> str:
    """The key of the state entry: the options and cctrack's own files."""
    from cctrack.replay import code

    return cache.key([], "state", str(directory), as_of.isoformat(), method, code())


def _plain(data: bytes) -> bool:
    """Whether ``data`` counts lines as LF alone and holds no document end marker."""
    if any(b in data for b in _BREAKS):
        return False
    return not data.startswith(b"...") and b"\n..." not in data


def _line_starts(data: bytes, lines: list[int]) -> dict[int, int]:
    """The byte offset of each 0-based line in ``lines`` (sorted; at most the number of line
    breaks), found from the line breaks counted per block of the data."""
    counts, most = [0], max(lines, default=0)
    for start in range(0, len(data), _CHUNK):
        counts.append(counts[-1] + data.count(b"\n", start, start + _CHUNK))
        if counts[-1] > most:
            break
    out: dict[int, int] = {}
    for line in lines:
        if line == 0:
            out[line] = 0
            continue
        block = bisect.bisect_left(counts, line) - 1  # the line's break (the line-th) is there
        at, need = block * _CHUNK - 1, line - counts[block]
        for _ in range(need):
            at = data.index(b"\n", at + 1)
        out[line] = at + 1
    return out


def _anchor_names(data: bytes) -> list[bytes]:
    """The anchors written in ``data`` (and anything in a text that looks like one)."""
    if b"&" not in data:
        return []
    return [m.group(1) for m in _ANCHOR.finditer(data)
            if m.start() == 0 or data[m.start() - 1] in _BEFORE_ANCHOR]  # fmt: skip


_HEAD = 1 << 16  # the bytes of a file's start kept for its header and first item (Scan)


class Scan:
    """What a state needs to know of an observations file's bytes, told them as they are read
    (:class:`cctrack.location.Observer`: the file is not held whole): their length, line
    breaks, whether they are plain (:func:`_plain`), the anchors written, the first
    :data:`_HEAD` bytes and the last byte. Bytes already held are scanned by :func:`scan_of`."""

    __slots__ = ("head", "last", "lines", "names", "plain", "rest", "size")

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        """Forget what was told: a new pass over the file begins."""
        self.size = self.lines = 0
        self.plain = True
        self.names: list[bytes] = []
        self.head = self.rest = self.last = b""

    def feed(self, chunk: bytes) -> None:
        """The file's next bytes, cut anywhere: its lines are scanned whole (a line a chunk
        cuts waits for the next)."""
        if len(self.head) < _HEAD:
            self.head += chunk[: _HEAD - len(self.head)]
        self.size += len(chunk)
        if chunk:
            self.last = chunk[-1:]
        end = chunk.rfind(b"\n") + 1
        if not end:
            self.rest += chunk
            return
        whole = chunk if end == len(chunk) else chunk[:end]  # (bytes held whole: no copy)
        self._lines(self.rest + whole if self.rest else whole)
        self.rest = chunk[end:]

    def end(self) -> None:
        """The file was told whole."""
        self._lines(self.rest)
        self.rest = b""

    def _lines(self, data: bytes) -> None:
        """Whole lines of the file (the first starting the file or after a line break)."""
        self.lines += data.count(b"\n")
        if self.plain and not _plain(data):
            self.plain = False
        self.names += _anchor_names(data)


def scan_of(data: bytes) -> Scan:
    """The :class:`Scan` of bytes held whole."""
    scan = Scan()
    scan.feed(data)
    scan.end()
    return scan


def capture(key: str, ds: Dataset, targets: bytes, scan: Scan, digest: bytes) -> State | None:
    """The state of a data set read cold, or None when it cannot be read on. Made as soon as
    it is read, from the targets file's bytes and what was seen of the observations file's
    (``scan``; ``digest``: their hash), before its checks, so the data may have errors (a state
    stored with them is never read on from, :func:`_extend`)."""
    from cctrack.yaml_reader import YMap, YSeq

    doc, root = ds.observations_doc, ds.observations_doc.root
    if scan.last != b"\n" or not scan.plain:
        return None
    if not isinstance(root, YMap) or list(root) != ["observations"]:
        return None
    items = root["observations"]
    if not isinstance(items, YSeq) or not items or len(ds.observations) != len(items):
        return None
    anchors = doc.anchors
    names = scan.names
    if len(anchors) > _MAX_ANCHORS or len(set(names)) != len(names):
        return None
    if any(value is items or value is root for value, _ in anchors.values()):
        return None
    pos = items.pos  # (the list's own: its tree lets it go once this is stored)
    if any(a >= b for a, b in pairwise(p >> _LINE for p in pos)):  # (no list of 1M lines)
        return None  # two items on one line: a flow list
    first_line = pos[0] >> _LINE
    key_line = root.where("observations", of_key=True)
    assert key_line is not None
    header = key_line[0] - 1
    head = scan.head
    if header >= first_line or head.count(b"\n") <= first_line + 1:
        return None  # (or the header and first item far into the file: not kept)
    starts = _line_starts(head, sorted({header, header + 1, first_line, first_line + 1}))
    text = head[starts[header] : starts[header + 1] - 1].decode().removeprefix("\ufeff")
    first = head[starts[first_line] : starts[first_line + 1]].decode()
    dash = _dash(first, pos[0] & _COLUMN)
    if dash is None:
        return None
    ids = [e.model.id for e in ds.targets]
    index = {tid: i for i, tid in enumerate(ids)}
    owner = array("i", (index.get(e.model.target, -1) for e in ds.observations))
    if -1 in owner:
        return None  # an unknown target: an error its check reports (no state is kept)
    return State(key, _hash(targets).digest(), scan.size, digest, scan.lines, (header, text),
                 dash, pos, owner, ids, anchors)  # fmt: skip


def _dash(line: str, column: int) -> int | None:
    """The column of the '-' before an item that starts at ``column`` of ``line``."""
    before = line[:column].rstrip()
    if not before.endswith("-") or before[:-1].strip(" "):
        return None
    return len(before) - 1


def _tail_ok(tail: str, dash: int, last_entry: bytes) -> bool:
    """Whether the new text starts new items of the list: before its first '-' (at the list's
    column), only comments no deeper than it, and blank lines unless the last entry may keep
    them (a block scalar with ``+``)."""
    for line in tail.splitlines():
        body = line.lstrip(" ")
        indent = len(line) - len(body)
        if not body.strip():
            if _KEEP.search(last_entry):
                return False
            continue
        if body.startswith("#") and indent <= dash:
            if _KEEP.search(last_entry):
                return False
            continue
        return indent == dash and (body == "-" or body.startswith(("- ", "-\t")))
    return True


def _synthetic(header: tuple[int, str], pieces: list[tuple[int, str]]) -> str:
    """A text holding ``header`` and each piece at its own 0-based line, blank lines between
    (read by the composer, whose C scanner passes a million blank lines in a few ms)."""
    line, text = header
    parts = ["\n" * line, text, "\n"]
    at = line + 1
    for start, piece in pieces:
        parts.append("\n" * (start - at))
        parts.append(piece)
        at = start + piece.count("\n")
    return "".join(parts)


def _items(doc: Document) -> YSeq | None:
    """The items of a synthetic text's list, or None when it did not read as one cleanly."""
    from cctrack.yaml_reader import YMap, YSeq

    root = doc.root
    if doc.problems or not isinstance(root, YMap) or list(root) != ["observations"]:
        return None
    items = root["observations"]
    if items is None:
        return YSeq((1, 1))
    return items if isinstance(items, YSeq) else None


def _subset(doc: Document, items: Any, count: int) -> Document:
    """A document of the list's first ``count`` items (all of them with ``count`` None)."""
    from cctrack.yaml_reader import Document, YMap, YSeq

    seq = YSeq(items.at)
    seq.extend(items[:count])
    seq.pos = array("q", items.pos[:count])
    root: YMap = copy.copy(doc.root)  # its key and value where they are
    root["observations"] = seq
    return Document(doc.path, root, doc.text)


@dataclass(slots=True)
class Extended:
    """What reading on found: the data set of the touched targets' entries (old and new), the
    problems of the whole; when they hold no error, the result (the others' uses read as deep
    as asked), the result as stored and the new state (None when it cannot be read on)."""

    ds: Dataset | None  # None: the tail holds no entry
    problems: list[Problem]
    result: Any = None  # a pipeline Result
    stored: Stored | None = None
    state: State | None = None


def extend(
    directory: Path, raw: list[Any], as_of: date, method: str, key: str, depth: int
) -> Extended | None:
    """The data as read (``raw``: both files' bytes, observations.yaml's possibly
    :class:`~cctrack.location.Streamed`: read whole here, its old entries found by their
    lines) read on from the stored state and result of a prefix of its observations file
    (:class:`Extended`, with a result); None when the stored state does not apply, or the data
    has errors: read cold."""
    from cctrack.location import Streamed

    tbytes, obytes = raw
    if not isinstance(tbytes, bytes) or not isinstance(obytes, bytes | Streamed):
        return None
    state = cache.load(directory, state_key(directory, as_of, method), "state")
    if not isinstance(state, State) or _size(obytes) <= state.size:
        return None
    if isinstance(obytes, Streamed):  # (read whole: its old entries are found by their lines)
        obytes = obytes.whole()
    prefix = _hash(memoryview(obytes)[: state.size])
    if prefix.digest() != state.digest:
        return None
    found = _extend(directory, state, tbytes, obytes, as_of, method, key, depth)
    return None if found is None or found.result is None else found


def _size(data: Any) -> int:
    """The length of a file's bytes, held or :class:`~cctrack.location.Streamed`."""
    return len(data) if isinstance(data, bytes) else int(data.size)


def prepared(
    directory: Path, tbytes: bytes, obytes: bytes, as_of: date, method: str
) -> State | None:
    """The stored state when it is that of exactly these files (``add-observation`` appends to
    them: :func:`appended`)."""
    state = cache.load(directory, state_key(directory, as_of, method), "state")
    if not isinstance(state, State) or len(obytes) != state.size:
        return None
    if _hash(obytes).digest() != state.digest or _hash(tbytes).digest() != state.targets_hash:
        return None
    return state


def appended(
    directory: Path, state: State, tbytes: bytes, obytes: bytes, as_of: date, method: str,
    key: str,
) -> Extended | None:  # fmt: skip
    """``obytes`` (the state's file and an entry after it) read on (:class:`Extended`: with a
    result only when it holds no error); None: read cold."""
    return _extend(directory, state, tbytes, obytes, as_of, method, key, ASSESSMENTS)


def _extend(
    directory: Path, state: State, tbytes: bytes, obytes: bytes, as_of: date, method: str,
    key: str, depth: int,
) -> Extended | None:  # fmt: skip
    """Read on from a state whose file ``obytes`` starts with (checked by the caller)."""
    if _hash(tbytes).digest() != state.targets_hash or len(obytes) <= state.size:
        return None
    tail_bytes = obytes[state.size :]
    if not _plain(tail_bytes) or tail_bytes.startswith(b"..."):
        return None
    try:
        tail = tail_bytes.decode()
    except UnicodeDecodeError:
        return None
    n = len(state.pos)
    last = state.pos[-1] >> _LINE
    starts = _line_starts(obytes, [last])
    if not _tail_ok(tail, state.dash, obytes[starts[last] : state.size]):
        return None
    old = cache.load(directory, state.result_key)
    if not isinstance(old, Stored) or old.head.n_observations != n or old.head.errors:
        return None
    if depth >= USES and not old.whole:  # the others' uses are asked for and were not stored
        return None
    found = _read_on(directory, state, obytes, tbytes, tail)
    if found is None:
        return None
    if found.new is None or found.old is None:  # comments and blank lines: the same result
        last_road.append("appended")
        return Extended(None, old.head.problems, old.open(depth), old,
                        _next(state, key, obytes, tail_bytes, found))  # fmt: skip
    from cctrack.check import check

    after = check(found.new, as_of)
    before = check(found.old, as_of)
    problems = _problems(old.head.problems, before, after, found.new, found.reread)
    if any(p.is_error for p in after):
        return Extended(found.new, problems)
    result = copy.copy(old.head)
    result.problems = problems
    result.targets, assessments = old.assessments()
    for a in assessments:
        a.uses = NotLoaded()
    remade = _assess(old, assessments, found.new, found.touched, as_of, method)
    if remade is None:
        return None
    kept = [None if a.target.id in found.touched else k
            for a, k in zip(remade, old.uses, strict=True)]  # fmt: skip
    result.assessments = remade
    result.n_observations = n + len(found.pos)
    stored = Stored.of(result, kept, whole=old.whole)  # as whole as the result read on from
    for i, a in enumerate(remade):  # the uses not read yet: as deep as asked
        if kept[i] is not None and isinstance(a.uses, NotLoaded):
            uses = old.uses_of(i) if depth >= USES else None  # stored: the old one is whole
            a.uses = NotLoaded() if uses is None else uses
    last_road.append("appended")
    new_state = _next(state, key, obytes, tail_bytes, found)
    return Extended(found.new, problems, result, stored, new_state)


def _next(state: State, key: str, obytes: bytes, tail_bytes: bytes, found: _Tail) -> State | None:
    """The state after the tail; None when a next tail cannot be read on from it."""
    anchors = found.doc.anchors
    names = _anchor_names(tail_bytes)
    fresh = len(set(names)) == len(names) and not any(
        name.decode(errors="replace") in state.anchors for name in names
    )
    if not obytes.endswith(b"\n") or not fresh or len(anchors) > _MAX_ANCHORS:
        return None
    return State(key, state.targets_hash, len(obytes), _hash(obytes).digest(),
                 state.lines + tail_bytes.count(b"\n"), state.header, state.dash,
                 state.pos + array("q", found.pos), state.owner + array("i", found.owner),
                 state.ids, anchors)  # fmt: skip


@dataclass(slots=True)
class _Tail:
    """The tail as read: its document, its items' positions and targets (indices of the
    state's ids); the data sets of the re-read targets' entries before and after it (None
    when it holds no entry), the targets it touches and those re-read (also their benchmarks)."""

    doc: Document
    pos: list[int]
    owner: list[int]
    old: Dataset | None = None
    new: Dataset | None = None
    touched: frozenset[str] = frozenset()
    reread: frozenset[str] = frozenset()


def _read_on(
    directory: Path, state: State, obytes: bytes, tbytes: bytes, tail: str
) -> _Tail | None:
    """The tail read on from the state, and the touched targets' entries; None: read cold."""
    from cctrack.dataset import OBSERVATIONS_FILE, TARGETS_FILE, build_dataset, display_path
    from cctrack.yaml_reader import compose_text, parse_bytes

    oname = display_path(directory, OBSERVATIONS_FILE)
    tdoc = parse_bytes(display_path(directory, TARGETS_FILE), tbytes)
    if tdoc.problems:
        return None
    tail_doc = compose_text(oname, _synthetic(state.header, [(state.lines, tail)]),
                          dict(state.anchors))  # fmt: skip
    tail_items = _items(tail_doc)
    if tail_items is None:
        return None
    tail_pos = list(tail_items.pos)
    lines = [p >> _LINE for p in tail_pos]
    if any(a >= b for a, b in pairwise(lines)):
        return None
    tail_lines = tail.splitlines()
    for p in tail_pos:
        at = (p >> _LINE) - state.lines
        if at < 0 or _dash(tail_lines[at], p & _COLUMN) != state.dash:
            return None
    index = {tid: i for i, tid in enumerate(state.ids)}
    new_ids: list[str] = []
    for item in tail_items:
        tid = item.get("target") if isinstance(item, dict) else None
        if not isinstance(tid, str) or tid not in index:
            return None  # an entry without a known target: its errors are found cold
        new_ids.append(tid)
    tail_owner = [index[t] for t in new_ids]
    if not tail_items:
        return _Tail(tail_doc, [], [])
    ds_tail = build_dataset(directory, tdoc, tail_doc)
    if ds_tail.problems or len(ds_tail.observations) != len(tail_items):
        return None
    bench = {t.model.id: t.model.benchmark.target for t in ds_tail.targets
             if t.model.benchmark is not None and t.model.benchmark.target}  # fmt: skip
    named = set(new_ids)
    touched = named | {t for t, b in bench.items() if b in named}
    reread = touched | {bench[t] for t in touched if t in bench}
    wanted = {index[t] for t in reread if t in index}
    chosen = [i for i, o in enumerate(state.owner) if o in wanted]
    pos = state.pos
    spans = [(pos[i] >> _LINE, pos[i + 1] >> _LINE if i + 1 < len(pos) else state.lines)
             for i in chosen]  # fmt: skip
    offsets = _line_starts(obytes, sorted({line for span in spans for line in span}))
    offsets[state.lines] = state.size
    pieces = [(a, obytes[offsets[a] : offsets[b]].decode()) for a, b in spans]
    pieces.append((state.lines, tail))
    doc = compose_text(oname, _synthetic(state.header, pieces), dict(state.anchors))
    items = _items(doc)
    if items is None or len(items) != len(chosen) + len(tail_pos):
        return None
    if list(items.pos) != [pos[i] for i in chosen] + tail_pos:
        return None
    ds_new = build_dataset(directory, tdoc, doc)
    if ds_new.problems or len(ds_new.observations) != len(items):
        return None
    if [e.model.target for e in ds_new.observations[: len(chosen)]] != [
        state.ids[state.owner[i]] for i in chosen
    ]:
        return None
    ds_old = build_dataset(directory, tdoc, _subset(doc, items, len(chosen)))
    return _Tail(tail_doc, tail_pos, tail_owner, ds_old, ds_new, frozenset(touched),
                 frozenset(reread))  # fmt: skip


def _owner_of_line(ds: Dataset) -> tuple[list[int], list[Any]]:
    """The first line of each item of targets.yaml's list, and its id."""
    from cctrack.yaml_reader import YMap, YSeq

    root = ds.targets_doc.root
    items = root.get("targets") if isinstance(root, YMap) else None
    if not isinstance(items, YSeq):
        return [], []
    ids = [i.get("id") if isinstance(i, YMap) else None for i in items]
    return [line for line, _ in items.item_at], ids


def _problems(
    stored: list[Problem], before: list[Problem], after: list[Problem], ds: Dataset,
    touched: frozenset[str],
) -> list[Problem]:  # fmt: skip
    """The stored problems with those the touched targets' entries gave before the append
    replaced by those they give after it. A partial check also finds, in targets.yaml, problems
    of the other targets as if they had no observation: those (standing within another target's
    entry) are not taken from it."""
    starts, ids = _owner_of_line(ds)
    tpath = ds.targets_doc.path

    def own(p: Problem) -> bool:
        if p.path != tpath:
            return True
        at = bisect.bisect_right(starts, p.line) - 1
        return at < 0 or ids[at] in touched

    gone = {p for p in before if own(p)}
    kept = [p for p in stored if p not in gone]  # still sorted: the new ones are put in place
    for p in sorted({p for p in after if own(p)} - set(kept)):
        bisect.insort(kept, p)
    return kept


def _assess(
    old: Stored, stored: list[Assessment], ds: Dataset, touched: frozenset[str], as_of: date,
    method: str,
) -> list[Assessment] | None:  # fmt: skip
    """The touched targets assessed again, the others as stored (their uses not read, but where
    the passes read them), then the passes across targets on the whole
    (:func:`cctrack.assess.across_targets`, which first removes what it set before); None when
    the passes read uses that were not stored (read cold)."""
    from cctrack.assess import across_targets, assess, benchmark_observations, uses_read_across

    by_target: dict[str, list[Any]] = {}
    for e in ds.observations:
        by_target.setdefault(e.model.target, []).append(e.model)
    releases = [r.model for r in ds.releases]
    scopes = {a.target.id: a.target.scope for a in stored}
    out = []
    for a in stored:
        t = a.target
        if t.id not in touched:  # as stored: the passes below remake what they set
            kept = copy.copy(a)
            kept.uses = NotLoaded()
            out.append(kept)
            continue
        bench = benchmark_observations(t, by_target, scopes)
        out.append(assess(t, by_target.get(t.id, []), as_of, method, bench, releases))
    for i in uses_read_across(out):  # the uses the passes read: as stored, or read cold
        if isinstance(out[i].uses, NotLoaded):
            uses = old.uses_of(i)
            if uses is None:
                return None
            out[i].uses = uses
    across_targets(out)
    return out
