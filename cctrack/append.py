"""Record a new observation: check it, then append it to observations.yaml as text.

The new entry is appended after every existing byte, so comments, blank lines, key order,
quoting and number spellings stay as the user wrote them. The whole new file is read and
checked once, with the same reader and rules as ``validate`` (or, when the cache holds the
state of the old file, read on from it: only the entry and the old entries of its targets are
read, :mod:`cctrack.incremental`), before it replaces the old one atomically, under a lock; the
bytes on disk are then compared with the bytes checked, and the old bytes are put back if they
differ. The new data set is assessed on the one road (:func:`cctrack.pipeline.result_of`) and
its result cached, so the next ``status`` is warm.
Results are values: :class:`Outcome` says what happened and the exit code.
"""

from __future__ import annotations

import contextlib
import errno
import itertools
import json
import os
import re
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from cctrack.atomic import TMP_PREFIX, Staged, atomic_write, locked, stage, writable_problem
from cctrack.check import bare_rate, check
from cctrack.dataset import (
    OBSERVATIONS_FILE,
    TARGETS_FILE,
    Dataset,
    ObservationEntry,
    build_dataset,
    display_path,
    missing_file,
    observations_only,
    parse_observations,
)
from cctrack.domain import Observation, Target
from cctrack.exitcode import ExitCode
from cctrack.gcpause import gc_paused
from cctrack.location import (
    Changed,
    Streamed,
    blocks_of,
    holds,
    misnamed,
    new_digest,
    open_data,
)
from cctrack.period import PeriodError, parse_period
from cctrack.pipeline import (
    PENDING,
    Result,
    keep_pending,
    remember,
    result_key,
    result_of,
    state_of,
)
from cctrack.problem import Problem, suggest
from cctrack.quantity import QuantityError, normalise_text, parse_change, parse_quantity
from cctrack.yaml_reader import (
    Document,
    YMap,
    YSeq,
    parse_bytes,
    parse_text,
    read_bytes,
    resolve_plain,
)

if TYPE_CHECKING:
    from cctrack.incremental import Extended, State
    from cctrack.series import SeriesMemo

USAGE, REJECTED = ExitCode.USAGE, ExitCode.INVALID


@dataclass(slots=True, kw_only=True)
class Request:
    """What the user asked to record, as typed on the command line (made with keywords only:
    sixteen fields, most of them optional text, are too many to pass by position)."""

    target: str
    period: str
    value: str | None
    source: str
    change: str | None = None
    estimate: str | None = None
    bound: str | None = None
    scope: str | None = None
    source_title: str | None = None
    publisher: str | None = None
    published: str | None = None
    reliability: str | None = None
    note: str | None = None
    quote: str | None = None  # the source's own phrase, verbatim
    stated: bool = True  # False: the figure was computed by whoever enters it (say how in note)
    price_basis: str | None = None  # "real": the change is at comparable prices


@dataclass(slots=True)
class Outcome:
    """The result: exit code OK (written, or would be with dry-run), INVALID (rejected) or
    USAGE (:class:`cctrack.exitcode.ExitCode`)."""

    code: ExitCode
    message: str
    entry: str = ""
    observation: Observation | None = None
    target: Target | None = None
    warnings: list[Problem] = field(default_factory=list)
    result: Result | None = None  # the data set with the new entry, checked and assessed


# A plain scalar may not start with '>' (it would begin a folded block scalar).
_PLAIN = re.compile(r"[\w\u4e00-\u9fff+~≥≤<][\w\u4e00-\u9fff .,%+/~≥≤-]*")
# Written as \uXXXX inside double quotes: what a YAML reader does not accept as written (C1
# controls, U+FFFE, U+FFFF, a BOM inside the text) and what it reads as a line break (NEL, U+2028,
# U+2029), which would fold the text and shift every line number below it. json.dumps already
# escapes the C0 controls, tab and line feed included.
_ESCAPE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


_YAML_1_1 = yaml.resolver.Resolver()


def _q(text: str, flow: bool = False, number: bool = False) -> str:
    """A YAML scalar that reads back as ``text``: plain when it does, else double-quoted (JSON
    strings are valid YAML 1.2). With ``number`` (a field that takes numbers: value, period,
    published) plain text that reads as the same number is plain too. Free text is always
    written to read back as a string (``2024``, ``True`` and ``1.5`` are quoted), by YAML 1.1
    readers as well (``yes``, ``1_000`` and ``2024-01-01`` are quoted)."""
    value = resolve_plain(text)
    if number:
        plain_ok = isinstance(value, str) or (
            isinstance(value, int | Decimal) and not isinstance(value, bool) and str(value) == text
        )
    else:
        tag = _YAML_1_1.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        plain_ok = isinstance(value, str) and tag == "tag:yaml.org,2002:str"
    if flow and "," in text:  # a comma ends a plain scalar inside {...}
        plain_ok = False
    if plain_ok and _PLAIN.fullmatch(text) and not text.endswith((" ", ".")):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _canonical_period(text: str) -> str:
    """The canonical spelling of a period (``2024年上半年`` → ``2024-H1``); unreadable text as
    it is, for the check to refuse."""
    try:
        return parse_period(text).text
    except PeriodError:
        return text


def _canonical_published(text: str) -> str:
    """A publication date as the model keeps it (``2025年2月25日`` → ``2025-02-25``; a year or
    month stays one); unreadable text as it is, for the check to refuse."""
    try:
        period = parse_period(text)
    except PeriodError:
        return text
    return period.text if period.kind.value in {"year", "month", "date"} else text


def entry_fields(req: Request) -> dict[str, Any]:
    """The new entry's fields in file order, as YAML scalar text.

    Numbers are written in canonical form: ASCII digits and signs in value and change
    (``１，０００`` → ``1,000``), the canonical period and publication date. Every text field
    reads back as the same string."""
    is_url = re.match(r"https?://", req.source) is not None
    source: dict[str, str] = {}
    title = req.source_title or (None if is_url else req.source)
    published = _canonical_published(req.published) if req.published else None
    for key, val in (("title", title), ("publisher", req.publisher),
                     ("url", req.source if is_url else None), ("published", published),
                     ("reliability", req.reliability)):  # fmt: skip
        if val:
            source[key] = _q(val, flow=True, number=key == "published")
    period = _canonical_period(req.period)
    fields: dict[str, Any] = {"target": _q(req.target), "period": _q(period, number=True)}
    value = None if req.value is None else normalise_text(req.value)
    change = None if req.change is None else normalise_text(req.change)
    for key, val in (("value", value), ("change", change), ("estimate", req.estimate),
                     ("bound", req.bound), ("scope", req.scope)):  # fmt: skip
        if val is not None:
            fields[key] = _q(val, number=key == "value")
    fields["source"] = "{" + ", ".join(f"{k}: {v}" for k, v in source.items()) + "}"
    if req.price_basis:
        fields["price_basis"] = _q(req.price_basis)
    if req.quote:
        fields["quote"] = _q(req.quote)
    if not req.stated:
        fields["stated"] = "false"
    if req.note:
        fields["note"] = _q(req.note)
    return fields


def render_entry(fields: dict[str, Any], dash: str, newline: str = "\n") -> str:
    """A block-style list item: ``{dash}- key: value`` then the other keys aligned under it."""
    pad = " " * (len(dash) + 2)
    lines = [f"{dash if i == 0 else pad}{'- ' if i == 0 else ''}{k}: {v}"
             for i, (k, v) in enumerate(fields.items())]  # fmt: skip
    return newline.join(lines) + newline


@dataclass(frozen=True, slots=True)
class Layout:
    """Where and how the new entry goes: the new text is ``before + entry + after``, the entry
    rendered with ``dash`` and ``newline``."""

    before: str  # the old text (a line ending added if it had none), or a rewrite of it
    dash: str  # the indentation of the entry's '-'
    newline: str  # the file's line ending: "\n", "\r\n" or "\r"
    after: str = ""  # a document end marker '...' and whatever follows it, kept after the entry
    first_line: int = 1  # the line the entry starts on, counted as YAML counts lines
    # ``before`` as written (:func:`_written`; then ``before`` is not held), or a view of the
    # first bytes of a new file written from it (they are the old file's: held once)
    head: bytes | memoryview = b""


# The line breaks of str.splitlines, but CR LF (one break, counted apart).
_BREAKS = ("\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029")


def count_lines(text: str) -> int:
    """``len(text.splitlines())``, without making the lines (a large file's took three times
    its text's memory)."""
    if not text:
        return 0
    breaks = sum(text.count(b) for b in _BREAKS) - text.count("\r\n")
    return breaks + (not text.endswith(_BREAKS))


def _newline(text: str) -> str:
    """The file's line ending: CRLF if it has one, else CR if it uses CR alone, else LF."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def _tokens(text: str) -> Generator[Any, None, None]:
    """libyaml's tokens of ``text`` (lines and columns as the reader counts them), lazily; none
    past a scanning error (the text has been read without one)."""
    loader = yaml.CSafeLoader(text)
    try:
        while True:
            token = loader.get_token()
            if token is None or isinstance(token, yaml.StreamEndToken):
                return
            yield token
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


def _offset(text: str, line: int, column: int) -> int:
    """The offset in ``text`` of a 0-based line and column as libyaml counts them (its line
    breaks are str.splitlines' breaks that YAML allows in a file: CR, LF, CRLF, NEL, LS, PS)."""
    return len(_lines(text, line)) + column


def _document_end(text: str) -> int:
    """The offset of the document end marker ``...`` that ends the file's one document, or the
    length of ``text`` when there is none."""
    # '...' at the start of a line (after LF, CRLF or CR): then the tokens say whether it is one
    if text.startswith("...") or "\n..." in text or "\r..." in text:
        with contextlib.closing(_tokens(text)) as tokens:
            for token in tokens:
                if isinstance(token, yaml.DocumentEndToken):
                    return _offset(text, token.start_mark.line, token.start_mark.column)
    return len(text)


def _dash_column(text: str, key_at: tuple[int, int]) -> int | None:
    """The column of the first '-' of the block list that is the value of the key written at
    ``key_at`` (found from the tokens, so a '-' alone on its line, a comment after it or an
    anchor before it are all read right); None when that value is no block list."""
    skip = (yaml.ValueToken, yaml.AnchorToken, yaml.TagToken, yaml.BlockSequenceStartToken)
    with contextlib.closing(_tokens(text)) as tokens:
        for token in tokens:
            mark = token.start_mark
            if isinstance(token, yaml.ScalarToken) and (mark.line + 1, mark.column + 1) == key_at:
                break
        for token in tokens:
            if not isinstance(token, skip):
                is_dash = isinstance(token, yaml.BlockEntryToken)
                return token.start_mark.column if is_dash else None
    return None


# libyaml's line breaks (:func:`_offset`)
_LIBYAML_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _lines(text: str, count: int) -> str:
    """The first ``count`` lines of ``text`` as libyaml counts them, with their line breaks
    (all of it when it has no more)."""
    if count <= 0:
        return ""
    for n, found in enumerate(_LIBYAML_BREAK.finditer(text), 1):
        if n == count:
            return text[: found.end()]
    return text


# A block scalar header: '|' or '>', then an indentation and a chomping indicator in any order.
_HEADER = re.compile(r"([|>])(?:([1-9])[+-]?|[+-]([1-9])?)?")


def _ended(head: str, root: Callable[[], Any], newline: str) -> str | None:
    """``head`` ended by a line break without changing any value it holds; None if that is not
    possible.

    A line break after the last line changes nothing, except when the file ends in a block
    scalar (``note: |``) that keeps its final line break (``|``, ``|+``, ``>``): its text would
    gain a line feed. Its header then gets the strip indicator (``|-``), and a last line of
    blanks only is dropped, whichever of these reads the same values as before: each candidate
    is read again and compared with the file's root (``root()``: read whole only then)."""
    if not head or head.endswith(("\n", "\r")):
        return head
    bases = [head]
    bare = head.rstrip(" \t")
    if bare.endswith(("\n", "\r")):  # the last line holds blanks only
        bases.append(bare)
    for base in bases:
        for candidate in (base, _strip_chomping(base)):
            if candidate is None:
                continue
            if not candidate.endswith(("\n", "\r")):
                candidate += newline
            if parse_text(OBSERVATIONS_FILE, candidate).root == root():
                return candidate
    return None


def _strip_chomping(text: str) -> str | None:
    """``text`` with the strip chomping indicator (``|-``, ``>2-``) in the header of its last
    scalar, when that is a block scalar; else None."""
    last = None
    for token in _tokens(text):
        if isinstance(token, yaml.ScalarToken):
            last = token
    if last is None or last.style not in ("|", ">"):
        return None
    at = _offset(text, last.start_mark.line, last.start_mark.column)
    header = _HEADER.match(text, at)
    if header is None:
        return None
    indent = header.group(2) or header.group(3) or ""
    return f"{text[:at]}{header.group(1)}{indent}-{text[header.end() :]}"


# The text of an empty flow list (an anchor, a tag, ``[``, ``]``) that goes when the list is
# dropped; its comments, blanks and line breaks stay.
_FLOW_TEXT = re.compile(r"(?<=\s)#[^\r\n]*|\S")
_TRAILING_BLANKS = re.compile(r"[ \t]+(?=[\r\n]|\Z)")


def _flow_end(text: str, at: tuple[int, int]) -> int | None:
    """The offset just past the ``]`` that closes the flow list whose node starts at ``at``
    (1-based line and column, of its anchor or tag if it has one), from the tokens; None if
    there is none."""
    with contextlib.closing(_tokens(text)) as tokens:
        opened = False
        for token in tokens:
            mark = token.start_mark
            if not opened:
                is_open = isinstance(token, yaml.FlowSequenceStartToken)
                opened = is_open and (mark.line + 1, mark.column + 1) >= at
            elif isinstance(token, yaml.FlowSequenceEndToken):
                return _offset(text, mark.line, mark.column) + 1
    return None


def _placement(text: str, root: Any, whole: Callable[[], Any] | None = None) -> Layout | str:
    """Where and how to add an entry to the observations file ``text`` (read as ``root``), or
    why it cannot be done. ``whole``: the root with every entry, when ``root``'s list holds
    them not (:func:`_thin_read`; the entries are compared only when the file lacks a final
    line break).

    The entry goes after every existing byte, except a document end marker ``...`` (and what
    follows it), which stays after the entry. A missing final line break is added first (see
    :func:`_ended`); ``observations: null`` and ``observations: []`` become ``observations:``;
    a file without the key gets it."""
    newline = _newline(text)
    end = _document_end(text)
    head, after = text[:end], text[end:]
    if root is not None and not isinstance(root, YMap):
        return "observations.yaml does not hold a mapping with 'observations:'"
    body = _ended(head, whole or (lambda: root), newline)
    if body is None:
        return (
            "observations.yaml ends in a block scalar without a final line break, and no way "
            "of adding one keeps its text: end the file with a line break yourself"
        )

    def layout(before: str, dash: str = "  ") -> Layout:
        return Layout(before, dash, newline, after, count_lines(before) + 1)

    if root is None or "observations" not in root:
        return layout(body + f"observations:{newline}")
    items = root["observations"]
    if items is None:
        # `observations: null` (or `~`) becomes `observations:` followed by the entry
        lines = body.splitlines()
        line_no, col = root.val_at["observations"]
        line = lines[line_no - 1] if line_no <= len(lines) else ""
        written = re.match(r"[^#]*?(?=\s+#|\s*$)", line[col - 1 :])
        if written is None or not written.group():
            return layout(body)
        end = col - 1 + written.end()
    elif not isinstance(items, YSeq):
        return "'observations' is not a list"
    elif items:
        # (the lines up to the first item's: the '-' is on them; not a copy of a large file)
        dash_col = _dash_column(_lines(head, items.where(0)[0]), root.key_at["observations"])
        if dash_col is None:
            return (
                "'observations' is written as a flow list [...]: "
                "write it as a block list to add to it"
            )
        return layout(body, " " * dash_col)
    else:
        # an empty flow list: `observations: []` becomes `observations:` followed by the entry;
        # its brackets may stand on different lines, and a comment between them is kept
        line_no, col = items.at
        start = _offset(body, line_no - 1, col - 1)
        close = _flow_end(body, items.at)
        if close is None:
            return "cannot find the end of the empty list after 'observations:'"
        kept = _FLOW_TEXT.sub(lambda m: m.group() if m.group()[0] == "#" else "", body[start:close])
        kept = _TRAILING_BLANKS.sub("", kept)
        stripped = (body[:start].rstrip(" ") + kept + body[close:]).rstrip(" ")
        return layout(stripped if stripped.endswith(("\n", "\r")) else stripped + newline)
    offset = _offset(body, line_no - 1, 0)
    stripped = (body[: offset + col - 1].rstrip(" ") + body[offset + end :]).rstrip(" ")
    return layout(stripped if stripped.endswith(("\n", "\r")) else stripped + newline)


def _usage_checks(req: Request, ids: list[str]) -> Outcome | None:
    if req.target not in ids:
        return Outcome(USAGE, f"unknown target {req.target!r}{suggest(req.target, ids)}")
    try:
        parse_period(req.period)
    except PeriodError as exc:
        return Outcome(USAGE, f"PERIOD: {exc}")
    try:
        if req.value is not None:
            parse_quantity(req.value)
    except QuantityError as exc:
        return Outcome(USAGE, f"VALUE: {exc}")
    try:
        if req.change is not None:
            parse_change(req.change)
    except QuantityError as exc:
        return Outcome(USAGE, f"--change: {exc}")
    if req.value is None and req.change is None:
        return Outcome(USAGE, "VALUE is '-': give --change, or a value")
    if req.price_basis is not None and req.change is None:
        return Outcome(USAGE, "--price-basis says what a change measures: give --change too")
    return None


def _same_url(url: str) -> str:
    """A URL as compared for duplicates: no scheme, no trailing slash, the host in lower case
    (``https://Example.org/a/`` is ``http://example.org/a``)."""
    rest = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I).rstrip("/")
    host, _, path = rest.partition("/")
    return f"{host.lower()}/{path}"


def _duplicate(new: ObservationEntry, target: Target, ds: Dataset) -> Outcome | None:
    def key(o: Observation) -> tuple[Any, ...]:
        src = _same_url(o.source.url) if o.source.url else o.source.title
        return (o.target, o.period.text, o.scope or target.scope, o.estimate, src)

    for entry in ds.observations:
        if entry is not new and key(entry.model) == key(new.model):
            line = entry.at()[0]
            return Outcome(
                REJECTED,
                f"{ds.observations_doc.path}:{line}: an entry for {new.model.target} "
                f"{new.model.period} with the same scope, estimate and source exists already",
            )
    return None


def add_observation(
    directory: Path,
    req: Request,
    today: date,
    dry_run: bool = False,
    method: str = "growth-ratio",
    force: bool = False,
) -> Outcome:
    """Check ``req`` and append it to ``directory``/observations.yaml (unless ``dry_run``).

    A value 10 times larger or smaller than its neighbour (``implausible-jump``) is refused
    unless ``force``, which records it with the reason in its ``note``.
    """
    path = directory / OBSERVATIONS_FILE
    if not directory.is_dir():
        return Outcome(REJECTED, f"cannot read: the directory {directory} does not exist")
    reason = None if dry_run else writable_problem(path)
    if reason is not None:
        return Outcome(REJECTED, f"cannot write: {reason}")
    # a writer reads under the lock: another writer may just have added; and no GC pass while
    # reading, which makes a million objects that all stay alive
    lock = contextlib.nullcontext() if dry_run else locked(directory)
    staged: list[Staged] = []  # new files written beside the old one: gone unless put in place
    try:
        with lock, gc_paused():
            try:
                return _append(directory, path, req, today, dry_run, method, force, staged)
            finally:  # (under the lock: the next writer's files and state are its own)
                _clean(directory, staged)
    except OSError as exc:
        return Outcome(REJECTED, f"cannot write {path}: {exc.strerror or exc}")
    except Changed:  # (only another process writing our temporary file, under our lock)
        return Outcome(REJECTED, f"cannot write {path}: the new file changed while it was read")


def _clean(directory: Path, staged: list[Staged]) -> None:
    """Remove the new files written beside the old one that were not put in place, and the
    state stored for a new file (once the file is in place it is the state: none is left)."""
    if staged:
        from cctrack import cache

        cache.drop(directory, PENDING)
    for file in staged:
        file.discard()


@dataclass(slots=True)
class _Quick:
    """Reading on from the cached state of the old file (:mod:`cctrack.incremental`): the new
    file is not read whole, only the entry and the old entries of its targets."""

    state: State
    targets: bytes
    method: str
    found: Extended | None = None  # what the last try read on


def _encoded(text: str, bom: bool) -> bytes:
    """The bytes written for ``text`` (with the old file's byte order mark, if it had one)."""
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


def _quick(directory: Path, targets: Any, old: bytes, today: date, method: str) -> _Quick | None:
    """The cached state of exactly these files, when there is one to read on from."""
    from cctrack import cache, incremental

    if not isinstance(targets, bytes) or not cache.enabled():
        return None
    state = incremental.prepared(directory, targets, old, today, method)
    if state is None:
        return None
    return _Quick(state, targets, method)


def _try(
    req: Request,
    directory: Path,
    place: Layout,
    tdoc: Document,
    today: date,
    quick: _Quick | None = None,
    made: tuple[str, bytes | str] | None = None,
) -> tuple[str, bytes | str, Dataset, list[Problem], list[Problem]] | None:
    """The entry, the new file's bytes, its data set, its problems and those of the new entry.
    With ``quick``, the data set holds the entries of the new entry's targets only (the problems
    are the whole file's); None when it cannot be read on (then try without). ``made``: the
    entry and the new file, made already (:func:`_new_file`)."""
    oname = display_path(directory, OBSERVATIONS_FILE)
    if quick is not None:
        from cctrack import incremental

        entry, data = made if made is not None else _new_file(req, place)
        if not isinstance(data, bytes):
            return None  # (not UTF-8: refused where the file is read whole)
        key = result_key(directory, [quick.targets, data], today, quick.method)
        found = incremental.appended(
            directory, quick.state, quick.targets, data, today, quick.method, key
        )
        quick.found = found
        if found is None or found.ds is None:
            return None
        mine = [p for p in found.problems if p.path == oname and p.line >= place.first_line]
        return entry, data, found.ds, found.problems, mine
    entry, written = made or _new_file(req, place)
    new_ds = build_dataset(directory, tdoc, parse_observations(oname, written))
    problems = check(new_ds, today)
    mine = [p for p in problems if p.path == oname and p.line >= place.first_line]
    return entry, written, new_ds, problems, mine


# The entry, the new file (its bytes, its text, or written beside the old one), its data set,
# its problems and the entry's (:func:`_try`, :func:`_try_written`).
_Attempt = tuple[str, "bytes | str | _Written", Dataset, list[Problem], list[Problem]]


def _new_file(req: Request, place: Layout) -> tuple[str, bytes | str]:
    """The entry and the new file: its bytes, read as they are written; its text when the entry
    cannot be written as UTF-8 (a lone surrogate from the command line), which reading it
    refuses."""
    entry = render_entry(entry_fields(req), place.dash, place.newline)
    try:
        return entry, b"".join((place.head, entry.encode("utf-8"), place.after.encode("utf-8")))
    except UnicodeEncodeError:
        before = str(place.head, "utf-8").removeprefix("\ufeff")
        return entry, before + entry + place.after


def _shared(place: Layout, written: bytes | str, old: bytes) -> tuple[Layout, bytes | memoryview]:
    """``place`` and the old file's bytes, each a view of the first bytes of the new file
    ``written`` when they are its own: a large file's bytes are held once, not twice."""
    if not isinstance(written, bytes):
        return place, old
    view = memoryview(written)
    place = replace(place, head=view[: len(place.head)])
    return place, view[: len(old)] if written.startswith(old) else old


@dataclass(slots=True)
class _Written:
    """The new file written beside the old one under the lock, not yet in its place (a cold
    read): the data set is read from it a block at a time, so a large file's bytes are never
    held, and the old file stays on disk, as it was, until the new one replaces it."""

    file: Staged
    data: Streamed  # its length and hash, as written
    head: int  # the length of its bytes before the entry
    # its series, built by its checks for its assessment, which lets each go once read
    memo: SeriesMemo = field(default_factory=lambda: _memo())
    pending: bool = False  # its state stored (:func:`cctrack.pipeline.keep_pending`)


def _memo() -> SeriesMemo:
    from cctrack.series import SeriesMemo

    return SeriesMemo()


def _entry_bytes(req: Request, place: Layout) -> tuple[str, bytes] | None:
    """The new entry and its bytes; None when it cannot be written as UTF-8 (a lone surrogate
    from the command line: the file read whole refuses it)."""
    entry = render_entry(entry_fields(req), place.dash, place.newline)
    try:
        return entry, entry.encode("utf-8")
    except UnicodeEncodeError:
        return None


def _write_new(
    path: Path, place: Layout, entry: bytes, staged: list[Staged], before: _Written | None
) -> _Written:
    """Write the new file beside ``path``: the bytes before the entry (``place.head``, or the
    first bytes of the new file ``before`` written with another entry), the entry, and what
    follows it; hashed as they are written."""
    head: Iterable[bytes | memoryview] = [place.head]
    fd = None
    if before is not None:
        fd = open_data(before.file.tmp)
        if fd is None:
            raise OSError(errno.ENOENT, "the new file beside it is gone", str(before.file.tmp))
        head = blocks_of(fd, before.head)
    digest, size = new_digest(), 0

    def pieces() -> Generator[bytes | memoryview, None, None]:
        nonlocal size
        for piece in itertools.chain(head, (entry, place.after.encode("utf-8"))):
            digest.update(piece)
            size += len(piece)
            yield piece

    try:
        file = stage(path, pieces(), TMP_PREFIX, staged)
    finally:
        if fd is not None:
            os.close(fd)
    if before is not None:
        before.file.discard()
    length = len(place.head) if before is None else before.head
    return _Written(file, Streamed(file.tmp, size, digest.digest()), length)


def _try_written(
    entry: str,
    written: _Written,
    directory: Path,
    first_line: int,
    tdoc: Document,
    targets: bytes | Document,
    today: date,
    method: str,
) -> tuple[str, _Written, Dataset, list[Problem], list[Problem]]:
    """:func:`_try` of the new file written beside the old one (:class:`_Written`, with the
    new ``entry`` from ``first_line``), read from there and checked with the series the
    assessment uses (the caller holds no bytes of the old file by now)."""
    from cctrack import cache
    from cctrack.dataset import let_go
    from cctrack.incremental import Scan

    oname = display_path(directory, OBSERVATIONS_FILE)
    contents: list[Any] = [targets, written.data]
    keep = cache.enabled() and isinstance(targets, bytes)
    written.data.observer = Scan() if keep else None  # (what the state needs of the bytes)
    new_ds = build_dataset(directory, tdoc, parse_observations(oname, written.data))
    if keep:  # stored before the checks, as a cold run does: the tree is let go next
        key = result_key(directory, contents, today, method)
        keep_pending(directory, state_of(key, new_ds, contents), today, method)
        written.pending = True
    written.data.observer = None
    let_go(new_ds)
    problems = check(new_ds, today, memo=written.memo)
    mine = [p for p in problems if p.path == oname and p.line >= first_line]
    return entry, written, new_ds, problems, mine


def _put_in_place(path: Path, file: Staged, data: bytes | Streamed) -> bool:
    """Replace ``path`` with the new file ``file`` written beside it (holding ``data``); then
    whether ``path`` holds it (when not, the old bytes are put back, read from the old file,
    opened before and readable while it is open; a file that was not there is removed).
    Raises OSError, before anything is replaced, when the old file cannot be opened."""
    fd = open_data(path)
    try:
        file.commit()
        if holds(path, data):  # what was checked is what is on disk, or nothing is
            return True
        if fd is None:
            file.real.unlink(missing_ok=True)
        else:
            atomic_write(path, blocks_of(fd), TMP_PREFIX)
        return False
    finally:
        if fd is not None:
            os.close(fd)


def _drop(items: list[Any], index: int) -> None:
    """The line reader's hook that lets each entry of the list go as soon as it is read."""
    items[index] = None


def _thin_read(name: str, data: bytes) -> Document:
    """The observations file's document, its entries in the regular layout let go as they are
    read (the same problems, the same root but for them): where an entry goes needs the
    file's shape, not a tree of every entry, and a large file's took four times its bytes."""
    return parse_bytes(name, data, ("observations", _drop))


def _whole_root(name: str, data: bytes) -> Any:
    """The root of the observations file ``data`` with every entry (:func:`_placement`)."""
    return parse_bytes(name, data).root


def _written(place: Layout, text: str, old: bytes) -> Layout:
    """``place`` holding the bytes before the entry: the old file's own (its byte order mark
    too) when the entry goes after all of ``text``, else ``before`` written as the old file
    is."""
    bom = old.startswith(b"\xef\xbb\xbf")
    head = old if place.before is text else _encoded(place.before, bom)
    return replace(place, before="", head=head)


# The argument or option of add-observation that writes each key of the new entry.
_ARGUMENTS = {
    "target": "TARGET", "period": "PERIOD", "value": "VALUE", "change": "--change",
    "estimate": "--estimate", "bound": "--bound", "scope": "--scope", "title": "--source-title",
    "publisher": "--publisher", "url": "--source", "published": "--published",
    "reliability": "--reliability", "price_basis": "--price-basis", "quote": "--quote",
    "note": "--note", "stated": "--computed",
}  # fmt: skip
_KEY_BEFORE = re.compile(r"([a-z_]+):\s*$")


def _argument(p: Problem, entry: str, first_line: int) -> str:
    """``--change: `` when the new entry's problem ``p`` sits in the field that option wrote (a
    check's message names the field of a file; the command names its own argument); else
    nothing."""
    lines = entry.splitlines()
    at = p.line - first_line
    if not 0 <= at < len(lines):
        return ""
    key = _KEY_BEFORE.search(lines[at][: max(p.col - 1, 0)])
    name = _ARGUMENTS.get(key.group(1)) if key else None
    if name == "--source-title" and "url" not in lines[at]:
        name = "--source"  # a source without a URL: --source gave its title
    return f"{name}: " if name else ""


def _written_ids(doc: Document) -> list[str]:
    """The target ids written in targets.yaml, valid entries or not."""
    items = doc.root.get("targets") if isinstance(doc.root, YMap) else None
    if not isinstance(items, YSeq):
        return []
    return [i["id"] for i in items if isinstance(i, YMap) and isinstance(i.get("id"), str)]


def _append(
    directory: Path,
    path: Path,
    req: Request,
    today: date,
    dry_run: bool,
    method: str,
    force: bool = False,
    staged: list[Staged] | None = None,
) -> Outcome:
    """Read both files once, check the new file once, write it, and assess the result.
    ``staged``: where the new files written beside the old one are listed (the caller removes
    those not put in place)."""
    staged = [] if staged is None else staged
    tname, oname = display_path(directory, TARGETS_FILE), display_path(directory, OBSERVATIONS_FILE)
    targets_raw = read_bytes(directory / TARGETS_FILE, tname)
    old_raw = read_bytes(path, oname)
    tdoc = targets_raw if isinstance(targets_raw, Document) else parse_bytes(tname, targets_raw)
    if tdoc.problems or not tdoc.exists:  # no target to check the entry against: say why
        found = tdoc.problems or [missing_file(directory, tname, TARGETS_FILE)]
        first = found[0].format()
        return Outcome(REJECTED, f"the data has {len(found)} error(s); fix them first: {first}")
    usage = _usage_checks(req, _written_ids(tdoc))
    if usage is not None:
        return usage
    old = old_raw if isinstance(old_raw, bytes) else b""
    if isinstance(old_raw, Document) and (old_raw.exists or misnamed(directory, OBSERVATIONS_FILE)):
        problem = (old_raw.problems or [missing_file(directory, oname, OBSERVATIONS_FILE)])[0]
        return Outcome(REJECTED, f"the data has 1 error(s); fix them first: {problem.format()}")
    del old_raw  # (``old``)
    bom = old.startswith(b"\xef\xbb\xbf")
    quick = _quick(directory, targets_raw, old, today, method)
    attempt: _Attempt | None = None
    if quick is not None:  # the old file as cached: the entry goes after it, as placed there
        place = Layout("", " " * quick.state.dash, "\n", "", quick.state.lines + 1, old)
        made = _new_file(req, place)
        if isinstance(made[1], bytes):  # (else not UTF-8: refused as the file read whole is)
            place, view = _shared(place, made[1], old)
            old = b""  # (``view``: read from the new file, not held beside it)
            attempt = _try(req, directory, place, tdoc, today, quick, made)
            if attempt is None:  # not read on: the old bytes again, alone
                old = bytes(view)
            del view
        del made
    if attempt is None:
        quick = None
        odoc = _thin_read(oname, old)
        if odoc.problems:
            return Outcome(
                REJECTED, f"the data has {len(odoc.problems)} error(s); fix them first: "
                f"{odoc.problems[0].format()}"
            )  # fmt: skip
        text = odoc.text or old.decode("utf-8").removeprefix("\ufeff")
        placed = _placement(text, odoc.root, partial(_whole_root, oname, old))
        del odoc  # the new file is parsed next: never two trees of a large file at once
        if isinstance(placed, str):
            return Outcome(REJECTED, placed)
        place = _written(placed, text, old)
        del placed, text  # (the old file's bytes are the text before the entry)
        fresh = None if dry_run else _entry_bytes(req, place)
        if fresh is not None:  # the new file written beside the old one and read from there
            new = _write_new(path, place, fresh[1], staged, None)
            old = b""  # (the old bytes: the old file's, and the new file's first ones)
            place = replace(place, head=b"")
            attempt = _try_written(
                fresh[0], new, directory, place.first_line, tdoc, targets_raw, today, method
            )
            del new, fresh
        else:  # (a dry run, or an entry that is not UTF-8: the bytes held)
            made = _new_file(req, place)
            place = _shared(place, made[1], old)[0]
            old = b""  # (the old bytes: the new file's first ones, not held beside it)
            attempt = _try(req, directory, place, tdoc, today, made=made)
            del made
    assert attempt is not None
    first_line = place.first_line
    entry, written, new_ds, problems, mine = attempt
    existing = [p for p in problems if p.is_error and p not in mine]
    if existing:
        first = existing[0].format()
        return Outcome(REJECTED, f"the data has {len(existing)} error(s); fix them first: {first}")
    added = [e for e in new_ds.observations if e.at()[0] >= first_line]
    if any(p.is_error for p in mine) or len(added) != 1:
        bad = next((p for p in mine if p.is_error), None)
        reason = bad.message if bad else "the entry could not be read back"
        if bad is not None:
            reason = f"{_argument(bad, entry, first_line)}{reason}"
        code = f" [{bad.code}]" if bad else ""
        return Outcome(REJECTED, f"observation rejected: {reason}{code}", entry)
    early = [p for p in mine if p.code == "period-not-ended"]
    if early and req.estimate != "forecast":
        return Outcome(
            REJECTED, f"observation rejected: {early[0].message} [period-not-ended]", entry
        )
    target = new_ds.targets_by_id().get(added[0].model.target)
    rate = [p for p in mine if p.code == "bare-number"]
    if rate and target is not None and bare_rate(target, added[0].model) and not force:
        return Outcome(
            REJECTED, f"observation rejected: {rate[0].message} [bare-number]; record it with "
            "--force if a value in the target's unit is meant", entry,
        )  # fmt: skip
    jumps = [p for p in mine if p.code == "implausible-jump"]
    if jumps and not force:
        return Outcome(
            REJECTED, f"observation rejected: {jumps[0].message} [implausible-jump]; check the "
            "value, or record it with --force (the reason goes into its note)", entry,
        )  # fmt: skip
    if jumps:
        reason = f"recorded with --force: {jumps[0].message}"
        req = replace(req, note=f"{req.note}; {reason}" if req.note else reason)
        del new_ds, problems, mine, added
        if isinstance(written, _Written):
            forced = _entry_bytes(req, place)
            assert forced is not None  # (the entry with another note was UTF-8: so is this)
            written = _write_new(path, place, forced[1], staged, written)
            attempt = _try_written(
                forced[0], written, directory, first_line, tdoc, targets_raw, today, method
            )
        else:
            attempt = _try(req, directory, place, tdoc, today, quick)
        if attempt is None:  # not read on after all: read whole
            quick, attempt = None, _try(req, directory, place, tdoc, today)
        assert attempt is not None
        entry, written, new_ds, problems, mine = attempt
        added = [e for e in new_ds.observations if e.at()[0] >= first_line]
    target = new_ds.target(added[0].model.target)
    assert target is not None
    duplicate = _duplicate(added[0], target, new_ds)
    if duplicate is not None:
        duplicate.entry = entry
        return duplicate
    read_on = quick.found if quick is not None else None
    if read_on is not None and read_on.result is not None:  # (the data set holds some entries)
        result = read_on.result
    else:
        read_on = None
        # no roles but those a next run may read (the result is stored without the others)
        if isinstance(written, _Written):  # (its entries let go: the observations assessed)
            models = observations_only(new_ds)
            result = result_of(new_ds, problems, today, method, memo=written.memo, light=True,
                               observations=models)  # fmt: skip
        else:
            result = result_of(new_ds, problems, today, method, light=True)
    outcome = Outcome(ExitCode.OK, "", entry, added[0].model, target, mine, result)
    if dry_run:
        return outcome
    data: bytes | Streamed
    if isinstance(written, _Written):  # (written beside the old file already)
        file, data, pending, whole = written.file, written.data, written.pending, None
    else:
        held = written if isinstance(written, bytes) else _encoded(written, bom)
        file, data, pending, whole = stage(path, held, TMP_PREFIX, staged), held, False, new_ds
        del held
    del written
    if not _put_in_place(path, file, data):
        return Outcome(REJECTED, "the written file did not read back correctly; old file restored")
    if isinstance(targets_raw, bytes):
        remember(result, [targets_raw, data], None if read_on else whole, read_on, pending)
    return outcome
