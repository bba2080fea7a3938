"""Render assessments as a status table: a Rich table, or JSON, CSV and Markdown with the same
content (:func:`render` picks the format). ``as_json`` is the interface of docs/method.md §14.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from cctrack.assess import Assessment
from cctrack.domain import Kind
from cctrack.render.catalogue import Words, words
from cctrack.render.fields import target_json
from cctrack.render.numbers import format_percent
from cctrack.render.safe import csv_cell, json_escaped, markdown, terminal
from cctrack.render.words import (
    average_span,
    caveat_legend,
    caveat_marks,
    confidence_mark,
    goal_text,
    label,
    legend,
    marks,
    name_text,
    next_line,
    plan_text,
    point_text,
    projected_text,
    status_text,
    summary_line,
)
from cctrack.scorecard import (
    Outcome,
    Scorecard,
    grouped,
    outcome,
    plan_groups,
    scorecard,
    scorecards,
)

STYLE = {
    "achieved": "bold green", "met": "bold green", "on_track": "green",
    "acceleration_needed": "yellow", "limited_progress": "dark_orange",
    "deterioration": "bold red", "missed": "bold red",
    "unresolved": "magenta", "not_assessable": "dim", "pending": "dim", "no_data": "dim",
}  # fmt: skip
COLUMNS = ("id", "name", "target", "deadline", "base", "current", "period", "progress",
           "growth", "projected", "status", "confidence", "caveats")  # fmt: skip
# CSV adds the numbers themselves, unrounded, for spreadsheets and scripts.
NUMBERS = ("target_value", "target_bound", "base_period", "base_value", "current_value",
           "current_period", "current_bound", "progress_fraction", "growth_observed",
           "growth_required", "progress_ratio", "projected_value", "confidence_level",
           "caveat_codes", "sensitivity")  # fmt: skip
# CSV ends with each row's plan (as written, empty without one) and scorecard outcome.
GROUPING = ("plan", "outcome")
# The formats that print the role of every observation (target_json's ``observations``): only
# for them does the pipeline read that part of a cached result.
WITH_ROLES = frozenset({"json", "csv"})

__all__ = ["STYLE", "label"]


def progress_bar(fraction: float | None, width: int = 10) -> str:
    """``██████░░░░ 62%``; clipped to the bar, the percentage as computed."""
    if fraction is None:
        return ""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return (
        "█" * filled
        + "░" * (width - filled)
        + f" {format_percent(fraction, signed=False, digits=0)}"
    )


def row(a: Assessment, w: Words) -> dict[str, str]:
    """The table's columns for one assessment, as text."""
    t = a.target
    growth_kind = t.kind is Kind.growth
    base = f"{w.period(a.base.period)}{marks(a.base)}" if a.base is not None else ""
    current = period = ""
    if a.current is not None and t.average and a.growth_observed is not None:
        # an average growth target: its rate over the years, not the last year's change
        current = w("table.average", rate=format_percent(a.growth_observed))
        period = average_span(a, w)
    elif a.current is not None:
        current = point_text(a, a.current, w, unit=False) + marks(a.current)
        period = w.period(a.current.period)
    growth = ""
    if a.growth_observed is not None or a.growth_required is not None:
        if growth_kind:
            growth = w("table.versus", observed=format_percent(a.growth_observed),
                       required=format_percent(a.growth_required, signed=False))  # fmt: skip
        else:
            growth = f"{format_percent(a.growth_observed)} / {format_percent(a.growth_required)}"
    return {
        "id": t.id, "name": terminal(name_text(t, w)), "target": goal_text(a, w),
        "deadline": w.period(t.deadline) if t.deadline else "", "base": base,
        "current": current, "period": period, "progress": progress_bar(a.progress),
        "growth": growth, "projected": projected_text(a, w),
        "status": terminal(status_text(a, w)),
        "confidence": confidence_mark(a), "caveats": caveat_marks(a),
    }  # fmt: skip


def as_json(
    assessments: Sequence[Assessment],
    as_of: date,
    method: str,
    due: tuple[int, int] | None = None,
    filtered: Sequence[Dropped] = (),
) -> str:
    """``status --format json``: the targets in the order chosen (file order; each with its
    ``plan`` and scorecard ``outcome``), then a ``scorecard`` per plan, in plan order, then
    ``filtered`` (how many targets the filters left out) and ``filtered_by`` (how many each
    filter left out, by option name, those that left out any; ``stated_later``: the targets
    stated only after the as-of date)."""
    en = words("en")  # JSON is for scripts: its sentences are English in every --lang
    cards = [scorecard_json(card, en) for card in scorecards(assessments, due)]
    targets = [target_json(a) for a in assessments]
    by = {_JSON_KEYS.get(kind, f"--{kind}"): n for kind, n, _ in filtered if n}
    doc = {"as_of": as_of.isoformat(), "method": method, "targets": targets, "scorecard": cards,
           "filtered": sum(by.values()), "filtered_by": by}  # fmt: skip
    return json_escaped(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"


# What one filter of ``status`` left out: the option (tag, plan, min-confidence, due; stated:
# the targets published after the as-of date), how many targets, and its value (the tag, the
# plan's name, the confidence level, the years, the as-of date).
Dropped = tuple[str, int, Any]
_JSON_KEYS = {"stated": "stated_later"}  # filtered_by's key when it is not an option


def filtered_text(filtered: Sequence[Dropped], w: Words) -> str | None:
    """``5 targets not shown: 5 below medium confidence or without a verdict.``: the line
    under a table some of whose targets the filters left out; None when none was."""
    parts = []
    for kind, count, value in filtered:
        if not count:
            continue
        if kind == "tag":
            parts.append(w("filtered.tag", count=count, tag=value))
        elif kind == "plan":
            parts.append(w("filtered.plan", count=count))
        elif kind == "min-confidence":
            parts.append(w("filtered.confidence", count=count, level=w(f"confidence.{value}")))
        elif kind == "due":
            parts.append(w("filtered.due", count=count, years=years_text(value, w)))
        else:  # stated: published after the as-of date, not known then
            parts.append(w("filtered.stated", count=count, date=value.isoformat()))
    total = sum(n for _, n, _ in filtered)
    return w.plural("filtered.line", total, reasons=w.join(parts)) if parts else None


def years_text(years: tuple[int, int], w: Words) -> str:
    """``2025``, ``2021-2025`` (``2025年``, ``2021-2025年``): the years a plan's targets are due."""
    first, last = years
    if first == last:
        return w("scorecard.year", year=first)
    return w("scorecard.years", first=first, last=last)


def plan_name(plan: str | None, w: Words) -> str:
    """A plan's heading: its name in the language, or "Targets without a plan"."""
    return plan_text(plan, w) if plan is not None else w("table.no_plan")


def scorecard_counts(card: Scorecard, w: Words) -> str:
    """``2 met (1 provisional), 3 missed, 1 no final figure``: the outcomes of the targets
    with a deadline that have targets, in order."""
    parts = []
    for o in Outcome:
        if o is Outcome.no_deadline or not card.count(o):
            continue
        text = w(f"scorecard.{o.value}", count=card.count(o))
        if card.provisional_count(o):
            text += w("scorecard.provisional", count=card.provisional_count(o))
        parts.append(text)
    return w.join(parts)


def scorecard_short(card: Scorecard, w: Words) -> str:
    """``7 targets due 2025: 2 met, 3 missed, ...``, then ``; 2 targets without a deadline``
    when some have none: the line under a plan's heading."""
    undated = card.count(Outcome.no_deadline)
    if card.years is None:
        return w.plural("scorecard.undated", undated)
    head = w.plural("scorecard.head", card.total - undated, years=years_text(card.years, w))
    text = w("scorecard.short", head=head, counts=scorecard_counts(card, w))
    if undated:
        text = w(
            "scorecard.with_undated", line=text, undated=w.plural("scorecard.undated", undated)
        )
    return text


def scorecard_line(card: Scorecard, w: Words) -> str:
    """``14th Five-Year Plan (2021-2025), 7 targets due 2025: 2 met, 3 missed, ...``."""
    return w("scorecard.line", plan=plan_name(card.plan, w), line=scorecard_short(card, w))


def scorecard_json(card: Scorecard, w: Words) -> dict[str, Any]:
    """One plan's scorecard as JSON: the counts and the ids of each outcome, and its line."""
    return {
        "plan": card.plan,
        "due": None if card.years is None else "/".join(dict.fromkeys(map(str, card.years))),
        "targets": card.total,
        "counts": {o.value: card.count(o) for o in Outcome},
        "provisional": {o.value: card.provisional_count(o) for o in Outcome
                        if card.provisional_count(o)},
        "ids": {o.value: card.ids[o] for o in Outcome if card.count(o)},
        "text": scorecard_line(card, w),
    }  # fmt: skip


def numbers(a: Assessment) -> dict[str, Any]:
    """The unrounded numbers behind a row (the CSV's extra columns)."""
    j = target_json(a)
    base, current = j["base"] or {}, j["current"] or {}
    # an average growth target's current value is its average rate, as the table shows it
    shown = j["average"] or current
    return {
        "target_value": j["target"],
        "target_bound": "approx" if j["target_approx"] else j["target_bound"],  # ≈ 6.5%
        "base_period": base.get("period"), "base_value": base.get("value"),
        "current_value": shown.get("value"), "current_period": shown.get("period"),
        "current_bound": current.get("bound"),
        "progress_fraction": j["progress"], "growth_observed": j["growth_observed"],
        "growth_required": j["growth_required"], "progress_ratio": j["progress_ratio"],
        "projected_value": j["projected"], "confidence_level": j["confidence"],
        "caveat_codes": " ".join(c["code"] for c in j["caveats"]),
        "sensitivity": " ".join(
            f"{alt['base_period']}:{alt['status']}" for alt in j["sensitivity"]
        ),
    }  # fmt: skip


def as_csv(assessments: Sequence[Assessment], w: Words) -> str:
    """``status --format csv``: the table's columns as shown, then the plain numbers, then the
    plan as written and the target's scorecard outcome; rows in plan order."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=(*COLUMNS, *NUMBERS, *GROUPING), lineterminator="\n")
    writer.writeheader()
    for a in grouped(assessments):
        shown = {k: csv_cell(v) for k, v in row(a, w).items()}
        plan = {"plan": csv_cell(a.target.plan or ""), "outcome": outcome(a).value}
        writer.writerow({**shown, **numbers(a), **plan})
    return out.getvalue()


def _footer(as_of: date, method: str, w: Words) -> str:
    return w("table.footer", as_of=as_of.isoformat(), method=w(f"method.{method}"))


def as_markdown(
    assessments: Sequence[Assessment],
    as_of: date,
    method: str,
    w: Words,
    due: tuple[int, int] | None = None,
) -> str:
    """``status --format markdown``: per plan a heading, its scorecard line and a
    GitHub-flavoured table; then the summary, legends and date."""
    head = ["| " + " | ".join(w(f"markdown.{c}") for c in COLUMNS) + " |",
            "|" + "|".join("---" for _ in COLUMNS) + "|"]  # fmt: skip
    lines: list[str] = []
    for plan, members in plan_groups(assessments):  # a heading, the scorecard, the table
        card = scorecard(plan, members, due)
        lines += [f"### {markdown(plan_name(plan, w))}", "",
                  markdown(scorecard_short(card, w)), "", *head]  # fmt: skip
        for a in members:
            r = row(a, w)
            lines.append("| " + " | ".join(markdown(r[c]) for c in COLUMNS) + " |")
        lines.append("")
    coming = next_line(assessments, w)
    lines += [summary_line(assessments, w) + "  "]
    lines += [f"{markdown(coming)}  "] if coming else []
    lines += [f"{legend(w)}  ", f"{caveat_legend(w)}  ", _footer(as_of, method, w), ""]
    return "\n".join(lines)


# The table's columns, most wanted first. id, status and confidence are always shown; as the
# terminal narrows the others go from the end of this list: projected, base, name, growth,
# goal, progress, current, caveats (README, "status"). Below the width that id, status and
# confidence need on one line, each target takes two lines instead.
TABLE_COLUMNS = ("id", "status", "confidence", "caveats", "current", "progress", "goal", "growth",
                 "name", "base", "projected")  # fmt: skip
RIGHT = frozenset({"current", "goal", "projected"})
NAME_MIN = 12  # a name narrower than this says too little to be worth its column
GAP = 2  # room left per column when choosing columns: the separator
SEPARATOR = 2  # spaces between columns (GAP budgets for them)


def table_cells(a: Assessment, w: Words) -> dict[str, str]:
    """The table's cells for one target, as text."""
    r = row(a, w)
    cells = {
        "id": r["id"], "status": status_text(a, w, override_reason=False),
        "confidence": r["confidence"], "caveats": r["caveats"],
        "current": f"{r['current']} {r['period']}".strip(), "progress": r["progress"],
        "goal": f"{r['target']} {r['deadline']}".strip(), "growth": r["growth"],
        "name": r["name"], "base": r["base"], "projected": r["projected"],
    }  # fmt: skip
    return {name: terminal(text) for name, text in cells.items()}  # units and names as typed


def choose_columns(rows: list[dict[str, str]], width: int, w: Words) -> dict[str, int] | None:
    """The columns that fit ``width`` with the width of each, in display order; None when even
    id, status and confidence do not fit on one line. The name takes what is left over."""
    from rich.cells import cell_len

    headers = table_headers(w)

    def need(c: str) -> int:
        widest = max([cell_len(r[c]) for r in rows] + [0])
        if widest == 0:
            return 0
        return max(widest, cell_len(headers[c]))

    chosen: dict[str, int] = {}
    used = 0
    for c in TABLE_COLUMNS:
        cw = need(c)
        if cw == 0 and c not in {"id", "status"}:
            continue
        extra = (min(cw, NAME_MIN) if c == "name" else cw) + (GAP if chosen else 0)
        if c in {"id", "status", "confidence"} or used + extra <= width:
            chosen[c] = min(cw, NAME_MIN) if c == "name" else cw
            used += extra
    if used > width:
        return None
    if "name" in chosen:  # the name gets the room that is left, up to its own width
        chosen["name"] = min(need("name"), chosen["name"] + width - used)
    return {c: chosen[c] for c in TABLE_COLUMNS if c in chosen}


def table_headers(w: Words) -> dict[str, str]:
    """The status table's column headers."""
    return {c: w(f"table.{c}") for c in TABLE_COLUMNS}


def groups(
    assessments: Sequence[Assessment], w: Words, due: tuple[int, int] | None = None
) -> list[tuple[str, str, list[Assessment]]]:
    """Targets grouped by plan (:func:`cctrack.scorecard.plan_groups`), each with its heading
    and its scorecard line."""
    return [(plan_name(plan, w), scorecard_short(scorecard(plan, members, due), w), members)
            for plan, members in plan_groups(assessments)]  # fmt: skip


def as_table(
    assessments: Sequence[Assessment],
    as_of: date,
    method: str,
    w: Words,
    width: int = 200,
    due: tuple[int, int] | None = None,
    filtered: Sequence[Dropped] = (),
) -> Any:
    """A Rich renderable: the status table grouped by plan, each plan's heading followed by its
    scorecard line, fitted to ``width`` columns, with the summary line, the legends and the
    as-of date."""
    from rich.console import Group
    from rich.text import Text

    cells = {id(a): table_cells(a, w) for a in assessments}
    columns = choose_columns(list(cells.values()), width, w)
    headers = table_headers(w)
    parts: list[Any] = []
    for plan, card, members in groups(assessments, w, due):
        parts.append(Text(wrap_items(terminal(plan), width), style="bold underline"))
        parts.append(Text(wrap_items(terminal(card), width), style="bold"))
        if columns is None:  # too narrow for one line: two lines per target
            for a in members:
                cell = cells[id(a)]
                parts.append(Text(cell["id"], style="bold"))
                line = Text("  ")
                line.append(cell["status"], style=STYLE[a.status.value])
                line.append(f" {cell['confidence']} {cell['caveats']}".rstrip())
                parts.append(line)
            continue
        # the same widths in every group: the columns line up. Lines are laid out here (the
        # widths are ours already): a Rich Table measured every cell again, a third of the
        # time of a warm status over 500 targets.
        parts.append(_line(headers, columns, "bold"))
        for a in members:
            styles = {"status": STYLE[a.status.value]}
            if a.confidence is not None and a.confidence.value == "low":
                styles["status"] += " dim"
            parts.append(_line(cells[id(a)], columns, "", styles))
    note = Text(wrap_items(summary_line(assessments, w), width) + "\n", style="bold")
    coming = next_line(assessments, w)
    if coming:
        note.append(wrap_items(coming, width) + "\n")
    marks = columns is None or "caveats" in columns  # the legend explains only what is shown
    ends = f"{legend(w)}\n{caveat_legend(w, marks)}\n{_footer(as_of, method, w)}{w('table.hint')}"
    note.append(wrap_items(ends, width), style="dim")
    return Group(*parts, note)


# Where a line of items (a scorecard, the summary, the legends) may break: after one of these,
# outside brackets. A line breaks between items, never inside one, where each item fits.
_ITEM_ENDS = ("   ", " · ", ", ", "; ", ": ", ". ", "，", "；", "：", "。", "、")
_OPEN, _CLOSE = "(（[", ")）]"


def items_of(text: str) -> list[str]:
    """A line cut into its items, each with the separator that follows it: ``a, b (c, d)``
    gives ``a, `` and ``b (c, d)``."""
    items, start, depth, i = [], 0, 0, 0
    while i < len(text):
        c = text[i]
        depth += (c in _OPEN) - (c in _CLOSE)
        end = next((e for e in _ITEM_ENDS if text.startswith(e, i)), None) if depth <= 0 else None
        if end is not None:
            i += len(end)
            items.append(text[start:i])
            start = i
            continue
        i += 1
    if start < len(text):
        items.append(text[start:])
    return items


def wrap_items(text: str, width: int) -> str:
    """Each line of ``text`` wrapped to ``width`` columns between its items (:func:`items_of`),
    never inside one that fits on a line; one longer than the width starts its own line and
    breaks between its words."""
    from rich.cells import cell_len

    out: list[str] = []
    for raw in text.split("\n"):
        line = ""
        for item in items_of(raw):
            for part in _words(item, width):
                if line and cell_len(line + part.rstrip()) > width:
                    out.append(line.rstrip())
                    line = part.lstrip()
                else:
                    line += part
        out.append(line.rstrip())
    return "\n".join(out)


def _words(item: str, width: int) -> list[str]:
    """An item as it is, or, longer than ``width``, its words (each with the space after it):
    it breaks between words here, not where the terminal would (leaving spaces at line ends).
    A word longer than the width (a URL, a line of Chinese) is still folded by the terminal."""
    from rich.cells import cell_len

    if cell_len(item.rstrip()) <= width or " " not in item.strip():
        return [item]
    words = item.split(" ")
    return [word + " " for word in words[:-1]] + [words[-1]]


def _line(
    cells: dict[str, str], columns: dict[str, int], style: str, styles: dict[str, str] | None = None
) -> Any:
    """One line of the table: each cell padded (or, the name only, shortened with an ellipsis)
    to its column's width, right-aligned in the columns of numbers, two spaces between, with
    no space at the end of the line."""
    from rich.cells import cell_len, set_cell_size
    from rich.text import Text

    line = Text(style=style, end="\n", no_wrap=True, overflow="crop")
    last = len(columns) - 1
    for i, (name, width) in enumerate(columns.items()):
        text = cells[name]
        if cell_len(text) > width:
            text = (
                set_cell_size(text, width - 1) + "…"
                if name == "name"
                else set_cell_size(text, width)
            )
        pad = " " * (width - cell_len(text))
        shown = pad + text if name in RIGHT else (text if i == last else text + pad)
        line.append(shown, style=(styles or {}).get(name, ""))
        if i < last:
            line.append(" " * SEPARATOR)
    line.rstrip()  # empty last cells leave no trailing spaces
    return line


def render(
    fmt: str,
    assessments: Sequence[Assessment],
    as_of: date,
    method: str,
    w: Words,
    width: int = 200,
    due: tuple[int, int] | None = None,
    filtered: Sequence[Dropped] = (),
) -> Any:
    """``status`` as ``table`` (a Rich renderable), ``json``, ``csv`` or ``markdown`` (text);
    ``due``: the ``--due`` years, which each plan's scorecard line names; ``filtered``: what
    the filters left out (JSON counts it; :func:`filtered_text` says it under the others)."""
    if fmt == "json":
        return as_json(assessments, as_of, method, due, filtered)
    if fmt == "csv":
        return as_csv(assessments, w)
    if fmt == "markdown":
        return as_markdown(assessments, as_of, method, w, due)
    return as_table(assessments, as_of, method, w, width, due)


def status_line(a: Assessment, w: Words) -> str:
    """One plain line: ``tourism-revenue: on track · current 241.11 bn (2023) · progress 58%``."""
    r = row(a, w)
    parts = [f"{r['id']}: {r['status']}"]
    if r["current"]:
        parts.append(w("line.current", value=r["current"], period=r["period"]))
    if a.progress is not None:
        parts.append(w("line.progress", percent=format_percent(a.progress, signed=False, digits=0)))
    if r["growth"]:
        parts.append(w("line.growth", growth=r["growth"]))
    return " · ".join(parts)
