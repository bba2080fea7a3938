"""Record a new observation: check it, then append it to observations.yaml as text.

The new entry is appended after every existing byte, so comments, blank lines, key order,
quoting and number spellings stay as the user wrote them. The whole new file is read and
checked with the same reader and rules as ``validate`` before it replaces the old one
atomically, under a lock; it is read and checked again afterwards, and the old bytes are put
back if that fails. Results are values: :class:`Outcome` says what happened and the exit code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from cctrack.atomic import atomic_write, locked, writable_problem
from cctrack.check import check
from cctrack.dataset import OBSERVATIONS_FILE, Dataset, build_dataset, display_path, load_dataset
from cctrack.location import misnamed
from cctrack.model import Observation, Target
from cctrack.period import PeriodError, parse_period
from cctrack.problem import Problem, suggest
from cctrack.quantity import QuantityError, parse_percent, parse_quantity
from cctrack.render.numbers import format_percent, humanize
from cctrack.yaml_reader import YMap, YSeq, parse_text, read_yaml, resolve_plain

USAGE, REJECTED = 2, 1


@dataclass(slots=True)
class Request:
    """What the user asked to record, as typed on the command line."""

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


@dataclass(slots=True)
class Outcome:
    """The result: exit code 0 (written, or would be with dry-run), 1 rejected, 2 usage."""

    code: int
    message: str
    entry: str = ""
    observation: Observation | None = None
    target: Target | None = None
    warnings: list[Problem] = field(default_factory=list)
    dataset: Dataset | None = None


# A plain scalar may not start with '>' (it would begin a folded block scalar).
_PLAIN = re.compile(r"[\w\u4e00-\u9fff+~≥≤<][\w\u4e00-\u9fff .,%+/~≥≤-]*")
# Characters a YAML reader does not accept as written (or folds, like NEL): escaped as \uXXXX.
_UNPRINTABLE = re.compile("[\x7f-\x9f\ufffe\uffff]")


def _q(text: str, flow: bool = False) -> str:
    """A YAML scalar for ``text``: plain when it reads back as the same text (or as the same
    number, which every field that takes numbers accepts), else double-quoted (JSON strings are
    valid YAML 1.2)."""
    value = resolve_plain(text)
    plain_ok = isinstance(value, str) or (isinstance(value, int | Decimal) and str(value) == text)
    if flow and "," in text:  # a comma ends a plain scalar inside {...}
        plain_ok = False
    if plain_ok and _PLAIN.fullmatch(text) and not text.endswith((" ", ".")):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def entry_fields(req: Request) -> dict[str, Any]:
    """The new entry's fields in file order, as YAML scalar text."""
    is_url = re.match(r"https?://", req.source) is not None
    source: dict[str, str] = {}
    title = req.source_title or (None if is_url else req.source)
    for key, val in (("title", title), ("publisher", req.publisher),
                     ("url", req.source if is_url else None), ("published", req.published),
                     ("reliability", req.reliability)):  # fmt: skip
        if val:
            source[key] = _q(val, flow=True)
    fields: dict[str, Any] = {"target": _q(req.target), "period": _q(req.period)}
    for key, val in (("value", req.value), ("change", req.change), ("estimate", req.estimate),
                     ("bound", req.bound), ("scope", req.scope)):  # fmt: skip
        if val is not None:
            fields[key] = _q(val)
    fields["source"] = "{" + ", ".join(f"{k}: {v}" for k, v in source.items()) + "}"
    if req.note:
        fields["note"] = _q(req.note)
    return fields


def render_entry(fields: dict[str, Any], dash: str, newline: str = "\n") -> str:
    """A block-style list item: ``{dash}- key: value`` then the other keys aligned under it."""
    pad = " " * (len(dash) + 2)
    lines = [f"{dash if i == 0 else pad}{'- ' if i == 0 else ''}{k}: {v}"
             for i, (k, v) in enumerate(fields.items())]  # fmt: skip
    return newline.join(lines) + newline


def _layout(text: str, root: Any) -> tuple[str, str] | str:
    """Where and how to append: (text before the entry, dash indentation), or an error."""
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text if not text or text.endswith("\n") else text + newline
    if root is None:
        return body + f"observations:{newline}", "  "
    if not isinstance(root, YMap):
        return "observations.yaml does not hold a mapping with 'observations:'"
    items = root.get("observations")
    if "observations" not in root:
        return body + f"observations:{newline}", "  "
    lines = text.splitlines()
    if items is None:
        # `observations: null` (or `~`) becomes `observations:` followed by the entry
        line_no, col = root.val_at["observations"]
        line = lines[line_no - 1] if line_no <= len(lines) else ""
        written = re.match(r"[^#]*?(?=\s+#|\s*$)", line[col - 1 :])
        if written is None or not written.group():
            return body, "  "
        end = col - 1 + written.end()
    elif not isinstance(items, YSeq):
        return "'observations' is not a list"
    else:
        line_no, col = items.at
        if items and lines[line_no - 1][col - 1 : col] != "[":
            line_no, col = items.item_at[0]
            dash_col = lines[line_no - 1].rfind("-", 0, col - 1)
            return body, " " * max(dash_col, 0)
        if items:
            return (
                "'observations' is written as a flow list [...]: "
                "write it as a block list to add to it"
            )
        # an empty flow list: `observations: []` becomes `observations:` followed by the entry
        end = lines[line_no - 1].index("]", col - 1) + 1
    offset = sum(len(x) for x in text.splitlines(keepends=True)[: line_no - 1])
    stripped = (text[: offset + col - 1].rstrip(" ") + text[offset + end :]).rstrip(" ")
    return (stripped if stripped.endswith("\n") else stripped + newline), "  "


def _usage_checks(req: Request, ds: Dataset) -> Outcome | None:
    ids = [e.model.id for e in ds.targets]
    if ds.target(req.target) is None:
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
            parse_percent(req.change)
    except QuantityError as exc:
        return Outcome(USAGE, f"--change: {exc}")
    if req.value is None and req.change is None:
        return Outcome(USAGE, "VALUE is '-': give --change, or a value")
    return None


def _duplicate(new: Observation, target: Target, ds: Dataset) -> Outcome | None:
    def key(o: Observation) -> tuple[Any, ...]:
        src = o.source.url or o.source.title
        return (o.target, o.period.text, o.scope or target.scope, o.estimate, src)

    for entry in ds.observations:
        if key(entry.model) == key(new):
            line = entry.at()[0]
            return Outcome(
                REJECTED,
                f"{ds.observations_doc.path}:{line}: an entry for {new.target} {new.period} "
                "with the same scope, estimate and source exists already",
            )
    return None


def _check_text(
    directory: Path, text: str, ds: Dataset, today: date
) -> tuple[Dataset, list[Problem]]:
    odoc = parse_text(display_path(directory, OBSERVATIONS_FILE), text)
    new_ds = build_dataset(directory, ds.targets_doc, odoc)
    return new_ds, check(new_ds, today)


def add_observation(directory: Path, req: Request, today: date, dry_run: bool = False) -> Outcome:
    """Check ``req`` and append it to ``directory``/observations.yaml (unless ``dry_run``)."""
    path = directory / OBSERVATIONS_FILE
    ds = load_dataset(directory)
    usage = _usage_checks(req, ds)
    if usage is not None:
        return usage
    if not dry_run:
        reason = writable_problem(path)
        if reason is not None:
            return Outcome(REJECTED, f"cannot write: {reason}")
        try:
            with locked(directory):
                return _append(directory, path, req, today, dry_run)
        except OSError as exc:
            return Outcome(REJECTED, f"cannot write {path}: {exc.strerror or exc}")
    return _append(directory, path, req, today, dry_run)


def _to_create(ds: Dataset, problem: Problem) -> bool:
    """True for the one error that adding an observation settles: no observations.yaml yet
    (unless an observations.yml stands there: its entries would be left behind)."""
    return (
        problem.code == "file-missing"
        and problem.path == ds.observations_doc.path
        and not ds.observations_doc.exists
        and misnamed(ds.directory, OBSERVATIONS_FILE) is None
    )


def _append(directory: Path, path: Path, req: Request, today: date, dry_run: bool) -> Outcome:
    old = path.read_bytes() if path.exists() else b""
    ds = load_dataset(directory)  # again, under the lock: another writer may have added
    errors = [p for p in check(ds, today) if p.is_error and not _to_create(ds, p)]
    if errors:
        first = errors[0].format()
        return Outcome(REJECTED, f"the data has {len(errors)} error(s); fix them first: {first}")
    text = ds.observations_doc.text
    layout = _layout(text, ds.observations_doc.root)
    if isinstance(layout, str):
        return Outcome(REJECTED, layout)
    before, dash = layout
    newline = "\r\n" if "\r\n" in text else "\n"
    entry = render_entry(entry_fields(req), dash, newline)
    new_text = before + entry
    first_line = before.count("\n") + 1
    new_ds, problems = _check_text(directory, new_text, ds, today)
    mine = [p for p in problems if p.path == new_ds.observations_doc.path and p.line >= first_line]
    added = [e for e in new_ds.observations if e.at()[0] >= first_line]
    if any(p.is_error for p in mine) or len(added) != 1:
        bad = next((p for p in mine if p.is_error), None)
        reason = bad.message if bad else "the entry could not be read back"
        code = f" [{bad.code}]" if bad else ""
        return Outcome(REJECTED, f"observation rejected: {reason}{code}", entry)
    new = added[0].model
    target = new_ds.target(new.target)
    assert target is not None
    duplicate = _duplicate(new, target, ds)
    if duplicate is not None:
        duplicate.entry = entry
        return duplicate
    outcome = Outcome(0, describe(new, target), entry, new, target, mine, new_ds)
    if dry_run:
        return outcome
    data = new_text.encode("utf-8")
    if old.startswith(b"\xef\xbb\xbf"):
        data = b"\xef\xbb\xbf" + data
    atomic_write(path, data)
    reread = read_yaml(path, new_ds.observations_doc.path)
    after = build_dataset(directory, ds.targets_doc, reread)
    if (
        any(p.is_error for p in check(after, today))
        or len(after.observations) != len(ds.observations) + 1
    ):
        atomic_write(path, old)
        return Outcome(REJECTED, "the written file did not read back correctly; old file restored")
    return outcome


def describe(o: Observation, target: Target) -> str:
    """``tourism-revenue 2024 ≥ 300 bn yuan (+24.4%)``: the observation as understood."""
    parts = [o.target, o.period.text]
    if o.value is not None:
        mark = {"at_least": "≥ ", "at_most": "≤ "}.get(o.effective_bound.value, "")
        approx = "~" if o.value.approx else ""
        parts.append(f"{mark}{approx}{humanize(o.value.value, target.unit)}")
    if o.change is not None:
        parts.append(f"({format_percent(o.change)})")
    extra = [x for x in (o.estimate.value if o.estimate.value != "final" else None,
                         f"scope {o.scope}" if o.scope else None) if x]  # fmt: skip
    return " ".join(parts) + (f" [{', '.join(extra)}]" if extra else "")
