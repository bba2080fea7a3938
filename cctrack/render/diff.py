"""Render a diff (:mod:`cctrack.diff`): a text table for the terminal, JSON, and Markdown for a
pull-request comment. Every word comes from the catalogues."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from cctrack.assess import Assessment
from cctrack.diff import FIELDS, Cause, Change, Component, snapshot
from cctrack.period import Period
from cctrack.quantity import Quantity
from cctrack.render.catalogue import Words
from cctrack.render.fields import number, plain
from cctrack.render.safe import json_escaped, markdown, terminal
from cctrack.render.status import STYLE, row
from cctrack.render.words import expected_text, status_text

# attribute names of the domain that the data files spell otherwise
FILE_FIELDS = {"series_break": "break", "change_points": "change", "change_qualified": "change",
               "range_high": "target", "status_override": "status_override"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Frame:
    """What the diff compares: each side's revision (None: the working tree), date and
    observations file as problems name it, and the method."""

    before_revision: str | None
    before_as_of: date
    before_file: str
    after_revision: str | None
    after_as_of: date
    after_file: str
    method: str


# the fields the words name in the reader's language (``diff.field.NAME``); others are shown
# as the data files spell them
NAMED_FIELDS = ("target", "deadline", "start", "baseline", "unit", "direction", "kind", "scope",
                "measure", "source", "quote", "value", "change", "estimate", "bound", "period",
                "price_basis", "break", "stated", "note", "status_override", "benchmark",
                "average", "cumulative", "name", "name_zh", "plan", "tags")  # fmt: skip


def file_fields(names: Sequence[str]) -> list[str]:
    """Fields as the data files name them, once each."""
    return list(dict.fromkeys(FILE_FIELDS.get(n, n) for n in names))


def field_words(names: Sequence[str], w: Words) -> list[str]:
    """Fields in the reader's words (as the data files name them where there are none)."""
    return [w(f"diff.field.{n}") if n in NAMED_FIELDS else n for n in file_fields(names)]


def _side(revision: str | None, as_of: date, w: Words) -> str:
    if revision is None:
        return w("diff.side.worktree", as_of=as_of.isoformat())
    return w("diff.side.revision", revision=revision, as_of=as_of.isoformat())


def sides_text(frame: Frame, w: Words) -> str:
    """``HEAD~1, as of 2025-03-01 → working tree, as of 2025-03-01``."""
    return w("diff.sides", before=_side(frame.before_revision, frame.before_as_of, w),
             after=_side(frame.after_revision, frame.after_as_of, w))  # fmt: skip


def verdict_text(a: Assessment | None, w: Words) -> str:
    """``met (high)``; ``none`` for a side without the target."""
    if a is None:
        return w("diff.none")
    text = status_text(a, w, override_reason=False)
    if a.confidence is not None:
        text = w("diff.verdict", status=text, confidence=w(f"confidence.{a.confidence.value}"))
    return text


def current_text(a: Assessment | None, w: Words) -> str:
    """The current value and its period as the status table shows them."""
    if a is None or a.current is None:
        return w("diff.none")
    r = row(a, w)
    return f"{r['current']} {r['period']}".strip()


def next_text(a: Assessment | None, w: Words) -> str:
    """The next expected figure as ``show`` gives it, the overdue one, or none."""
    if a is not None and a.next_figure is not None:
        return expected_text(a.next_figure, w)
    if a is not None and a.overdue is not None:
        return w("diff.next_overdue", figure=expected_text(a.overdue, w))
    return w("diff.none")


def _value(value: Any, w: Words) -> str | None:
    """A target field's value as words, or None when it is not a single value."""
    if isinstance(value, Period):
        return w.period(value)
    if isinstance(value, Quantity):
        return str(value.value)
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str | int | Decimal):
        return str(value)
    return None


def component_text(c: Component, frame: Frame, w: Words) -> str:
    """One component in words: ``new figure for 2024 (data/observations.yaml:40)``."""
    if c.kind == "as-of":
        text = w("diff.component.as-of", old=c.old.isoformat(), new=c.new.isoformat())
        if c.released:
            figures = [w("diff.figure", period=w.period(o.period),
                         where=f"{frame.after_file}:{o.line}") for o in c.released]  # fmt: skip
            text += w("diff.released", figures=w.join(figures))
        if c.deadline is not None:
            text += w("diff.deadline_passed", deadline=w.period(c.deadline))
        return text
    if c.kind == "benchmark":
        return w("diff.component.benchmark")
    if c.kind == "target-edited":
        field = field_words(c.fields, w)[0]
        old, new = _value(c.old, w), _value(c.new, w)
        if old is None or new is None:
            return w("diff.component.target-field", field=field)
        return w("diff.component.target-edited", field=field, old=old, new=new)
    o = c.new if c.new is not None else c.old
    where = f"{frame.before_file}:{c.old.line}" if c.new is None else f"{frame.after_file}:{o.line}"
    return w(f"diff.component.{c.kind}", period=w.period(o.period),
             fields=w.join(field_words(c.fields, w)), where=where)  # fmt: skip


def cause_text(cause: Cause, frame: Frame, w: Words) -> str:
    """A cause: one component, or several only together; marked when it explains only part."""
    parts = [component_text(c, frame, w) for c in cause.components]
    text = w("diff.together", parts=w.join(parts)) if cause.together else parts[0]
    return text if cause.whole else w("diff.partly", cause=text)


def _heading(ch: Change, w: Words) -> str:
    if ch.kind == "added":
        return w("diff.kind.added", verdict=verdict_text(ch.after, w))
    if ch.kind == "removed":
        return w("diff.kind.removed", verdict=verdict_text(ch.before, w))
    text = w("diff.change", before=verdict_text(ch.before, w), after=verdict_text(ch.after, w))
    if ch.kind == "renamed":
        text = w("diff.kind.renamed", old_id=ch.old_id) + w("punct.colon") + text
    return text


def _details(ch: Change, frame: Frame, w: Words) -> list[str]:
    out = []
    valued = any(x is not None and x.current is not None for x in (ch.before, ch.after))
    if valued and ("current" in ch.fields or ch.kind in {"added", "removed"}):
        out.append(w("diff.current", before=current_text(ch.before, w),
                     after=current_text(ch.after, w)))  # fmt: skip
    if "next_figure" in ch.fields:
        out.append(w("diff.next", before=next_text(ch.before, w), after=next_text(ch.after, w)))
    if ch.causes:
        out.append(w("diff.because", causes=w("diff.cause_separator").join(
            cause_text(c, frame, w) for c in ch.causes)))  # fmt: skip
    return out


def summary(changes: Sequence[Change], w: Words) -> str:
    """``2 targets changed``, or that none did."""
    if not changes:
        return w("diff.nothing")
    return w.plural("diff.count", len(changes), count=len(changes))


def _wrapped(text: Any, width: int, indent: str = "") -> list[Any]:
    """``text`` (a Rich Text) in lines of at most ``width`` cells, each after ``indent`` and
    without trailing spaces."""
    from rich.console import Console
    from rich.text import Text

    width = max(width, 20)
    lines = []
    for piece in text.wrap(Console(width=width), width - len(indent)):
        piece.rstrip()
        lines.append(Text(indent) + piece)
    return lines


def as_table(changes: Sequence[Change], frame: Frame, w: Words, width: int = 80) -> Any:
    """A Rich renderable: per target its id and verdict before → after, then lines indented by
    two spaces with the current value and the causes, wrapped to ``width`` columns."""
    from rich.console import Group
    from rich.text import Text

    parts = _wrapped(Text(terminal(sides_text(frame, w)), style="bold"), width)
    for ch in changes:
        head = Text(ch.id, style="bold")
        status = ch.after if ch.after is not None else ch.before
        head.append("  ")
        head.append(terminal(_heading(ch, w)), style=STYLE[status.status.value] if status else "")
        parts += _wrapped(head, width)
        for line in _details(ch, frame, w):
            parts += _wrapped(Text(terminal(line)), width, "  ")
    parts += _wrapped(Text(summary(changes, w), style="bold"), width)
    if any(ch.causes for ch in changes):
        parts += _wrapped(Text(w("diff.method"), style="dim"), width)
    return Group(*parts)


def as_markdown(changes: Sequence[Change], frame: Frame, w: Words) -> str:
    """A pull-request comment: a heading, the two sides, one table row per target."""
    lines = [f"### {w('diff.title')}", "", markdown(sides_text(frame, w)), ""]
    if changes:
        heads = ("target", "before", "after", "why")
        lines += ["| " + " | ".join(w(f"diff.markdown.{h}") for h in heads) + " |",
                  "|" + "|".join("---" for _ in heads) + "|"]  # fmt: skip
        for ch in changes:
            name = ch.id if ch.old_id is None else w("diff.renamed_id", id=ch.id, old_id=ch.old_id)
            before = f"{verdict_text(ch.before, w)} · {current_text(ch.before, w)}"
            after = f"{verdict_text(ch.after, w)} · {current_text(ch.after, w)}"
            why = w("diff.cause_separator").join(cause_text(c, frame, w) for c in ch.causes)
            if ch.kind in {"added", "removed"}:
                why = w(f"diff.markdown.{ch.kind}")
            cells = (name, before, after, why)
            lines.append("| " + " | ".join(markdown(c) for c in cells) + " |")
        lines.append("")
    lines.append(summary(changes, w) + "  ")
    if any(ch.causes for ch in changes):
        lines.append(w("diff.method"))
    lines.append("")
    return "\n".join(lines)


def _json_value(value: Any) -> Any:
    """A field's value as JSON: quantities as their number, records as objects."""
    if isinstance(value, Quantity):
        return number(value.value)
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type | Period):
        return {f.name: _json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_json_value(v) for v in value]
    return plain(value)


def component_json(c: Component) -> dict[str, Any]:
    """A component as JSON (docs/method.md, "diff")."""
    out: dict[str, Any] = {"kind": c.kind, "fields": file_fields(c.fields)}
    if c.kind.startswith("observation-"):
        o = c.new if c.new is not None else c.old
        out["period"] = o.period.text
        out["line_before"] = c.old.line if c.old is not None else None
        out["line_after"] = c.new.line if c.new is not None else None
        if c.kind == "observation-revised":
            out["from"] = {f: _json_value(getattr(c.old, f)) for f in c.fields}
            out["to"] = {f: _json_value(getattr(c.new, f)) for f in c.fields}
    elif c.kind in {"target-edited", "as-of"}:
        out["from"], out["to"] = _json_value(c.old), _json_value(c.new)
    if c.kind == "as-of":
        out["released"] = [{"period": o.period.text, "line": o.line} for o in c.released]
        out["deadline_passed"] = c.deadline.text if c.deadline is not None else None
    return out


def _snapshot_json(a: Assessment | None) -> dict[str, Any] | None:
    if a is None:
        return None
    s = snapshot(a)
    out = {name: _json_value(getattr(s, name)) for name in FIELDS}
    if s.current is not None:
        period, value, bound = s.current
        out["current"] = {"period": period, "value": number(value), "bound": bound}
    if s.next_figure is not None:
        year, release, expected = s.next_figure
        out["next_figure"] = {"year": year, "release": release, "expected": expected.isoformat()}
    return out


def as_json(changes: Sequence[Change], frame: Frame) -> str:
    """``diff --format json``."""
    doc = {
        "from": {"revision": frame.before_revision, "as_of": frame.before_as_of.isoformat()},
        "to": {"revision": frame.after_revision, "as_of": frame.after_as_of.isoformat()},
        "method": frame.method,
        "changes": [
            {"id": ch.id, "kind": ch.kind, "old_id": ch.old_id, "fields": list(ch.fields),
             "before": _snapshot_json(ch.before), "after": _snapshot_json(ch.after),
             "causes": [{"components": [component_json(c) for c in cause.components],
                         "whole": cause.whole, "together": cause.together}
                        for cause in ch.causes],
             "components": [component_json(c) for c in ch.components]}
            for ch in changes
        ],
    }  # fmt: skip
    return json_escaped(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"


def render(fmt: str, changes: Sequence[Change], frame: Frame, w: Words, width: int = 80) -> Any:
    """``diff`` as ``table`` (a Rich renderable), ``json`` or ``markdown`` (text)."""
    if fmt == "json":
        return as_json(changes, frame)
    if fmt == "markdown":
        return as_markdown(changes, frame, w)
    return as_table(changes, frame, w, width)
