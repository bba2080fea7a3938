"""Render status records: a Rich table, or JSON, CSV and Markdown with the same content.

Renderers take :class:`cctrack.summary.Record` values (plain data), never models, so that a
run served from the result cache imports only Rich. ``as_json`` is the interface of DESIGN §3.1.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cctrack.summary import Record

STYLE = {
    "achieved": "bold green", "met": "bold green", "on_track": "green",
    "acceleration_needed": "yellow", "limited_progress": "dark_orange",
    "deterioration": "bold red", "missed": "bold red",
    "not_assessable": "dim", "no_data": "dim",
}  # fmt: skip
COLUMNS = ("id", "name", "target", "deadline", "base", "current", "period", "progress",
           "growth", "projected", "status")  # fmt: skip
# CSV adds the numbers themselves, unrounded, for spreadsheets and scripts.
NUMBERS = ("target_value", "target_bound", "base_period", "base_value", "current_value",
           "current_bound", "progress_fraction", "growth_observed", "growth_required",
           "progress_ratio", "projected_value")  # fmt: skip
LEGEND = (
    "≥ at least (a bound)   * derived from a change   ᵖ preliminary   ᵉ expected   † set by hand"
)
HEADERS = {
    "id": "id", "name": "name", "target": "goal", "deadline": "by", "base": "base",
    "current": "current",
    "period": "period", "progress": "progress", "growth": "growth/yr obs / req",
    "projected": "projected", "status": "status",
}  # fmt: skip


def label(status: str) -> str:
    """``on_track`` → ``on track``."""
    return str(status).replace("_", " ")


LABEL = {s: label(s) for s in STYLE}


def progress_bar(fraction: float | None, width: int = 10) -> str:
    """``██████░░░░ 62%``; clipped to the bar, the percentage as computed."""
    if fraction is None:
        return ""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled) + f" {fraction * 100:.0f}%"


def as_json(records: Sequence[Record], as_of: date, method: str) -> str:
    """``status --format json``."""
    doc = {"as_of": as_of.isoformat(), "method": method,
           "targets": [r["json"] for r in records]}  # fmt: skip
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def numbers(record: Record) -> dict[str, Any]:
    """The unrounded numbers behind a row (the CSV's extra columns)."""
    j = record["json"]
    base, current = j["base"] or {}, j["current"] or {}
    return {
        "target_value": j["target"], "target_bound": j["target_bound"],
        "base_period": base.get("period"), "base_value": base.get("value"),
        "current_value": current.get("value"), "current_bound": current.get("bound"),
        "progress_fraction": j["progress"], "growth_observed": j["growth_observed"],
        "growth_required": j["growth_required"], "progress_ratio": j["progress_ratio"],
        "projected_value": j["projected"],
    }  # fmt: skip


def as_csv(records: Sequence[Record], lang: str = "en") -> str:
    """``status --format csv``: the table's columns as shown, then the plain numbers."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=(*COLUMNS, *NUMBERS), lineterminator="\n")
    writer.writeheader()
    for r in records:
        writer.writerow({**r["rows"][lang], **numbers(r)})
    return out.getvalue()


def _footer(as_of: date, method: str) -> str:
    return f"As of {as_of.isoformat()}, method {method}."


def as_markdown(records: Sequence[Record], as_of: date, method: str, lang: str = "en") -> str:
    """``status --format markdown``: a GitHub-flavoured table, legend and date."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(HEADERS[c] for c in COLUMNS) + " |",
             "|" + "|".join("---" for _ in COLUMNS) + "|"]  # fmt: skip
    for r in records:
        row = r["rows"][lang]
        lines.append("| " + " | ".join(cell(row[c]) for c in COLUMNS) + " |")
    lines += ["", f"{LEGEND}  ", _footer(as_of, method), ""]
    return "\n".join(lines)


def as_table(records: Sequence[Record], as_of: date, method: str, lang: str = "en") -> Any:
    """A Rich renderable: the status table with a legend and the as-of date."""
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(show_edge=False, pad_edge=False, header_style="bold", box=None)
    table.add_column("target", min_width=14, max_width=44, overflow="fold")
    for c in COLUMNS[2:]:
        right = c in {"target", "current", "projected"}
        table.add_column(HEADERS[c], justify="right" if right else "left", no_wrap=c != "status")
    for r in records:
        row = r["rows"][lang]
        name = Text(row["name"])
        name.append(f"\n{row['id']}", style="dim")
        cells = [name, *(Text(row[c]) for c in COLUMNS[2:])]
        cells[-1].stylize(STYLE[r["status"]])
        table.add_row(*cells)
    note = Text(f"{LEGEND}\n{_footer(as_of, method)} `cctrack show ID` explains any row.",
                style="dim")  # fmt: skip
    return Group(table, note)


def status_line(record: Record, lang: str = "en") -> str:
    """One plain line: ``tourism-revenue: on track · current 241.11 bn (2023) · progress 58%``."""
    row = record["rows"][lang]
    parts = [f"{row['id']}: {row['status']}"]
    if row["current"]:
        parts.append(f"current {row['current']} ({row['period']})")
    progress = record["json"]["progress"]
    if progress is not None:
        parts.append(f"progress {progress * 100:.0f}%")
    if row["growth"]:
        parts.append(f"growth {row['growth']}")
    return " · ".join(parts)
