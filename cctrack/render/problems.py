"""Render validation problems as plain text lines, JSON or GitHub workflow commands.

Machine-readable lines are printed plainly (never through Rich), so nothing is taken for markup
and nothing is wrapped.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from cctrack.problem import Problem
from cctrack.render.safe import json_escaped, terminal

if TYPE_CHECKING:
    from cctrack.pipeline import Result

MAX_SHOWN = 20


def _escape_github(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def render_problems(problems: list[Problem], fmt: str) -> str:
    """All problems in one format: ``text``, ``json`` or ``github``."""
    if fmt == "json":
        rows = [
            {"file": p.path, "line": p.line, "col": p.col, "severity": p.severity,
             "code": p.code, "message": p.message}
            for p in problems
        ]  # fmt: skip
        return json_escaped(json.dumps(rows, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"
    if fmt == "github":
        return "".join(
            f"::{p.severity} file={_escape_github(p.path, True)},line={p.line},col={p.col},"
            f"title={_escape_github(p.code, True)}::{terminal(_escape_github(p.message))}\n"
            for p in problems
        )
    return "".join(terminal(p.format()) + "\n" for p in problems)


def summary(problems: list[Problem]) -> str:
    """``2 errors, 1 warning`` (or ``no problems``)."""
    errors = sum(p.is_error for p in problems)
    listed = sum(p.severity == "info" for p in problems)
    warnings = len(problems) - errors - listed
    if not problems:
        return "no problems"
    unquoted = f", {plural(listed, 'entry')} without a quote" if listed else ""
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}{unquoted}"


def plural(n: int, word: str) -> str:
    """``1 error``, ``2 errors``."""
    if n != 1 and word.endswith("y"):
        return f"{n} {word[:-1]}ies"
    return f"{n} {word}{'s' if n != 1 else ''}"


def validate_report(result: Result, fmt: str, strict: bool) -> tuple[str, str, int]:
    """``validate``'s output: the problems in ``fmt``, the summary line for stderr, the exit
    code: 1 on errors or, with ``strict``, on warnings too. ``strict`` also lists the entries
    without a quote (``info``), which never change the exit code."""
    problems = sorted(result.problems + result.unquoted) if strict else result.problems
    counts = f"{plural(result.n_targets, 'target')}, {plural(result.n_observations, 'observation')}"
    line = f"{summary(problems)} in {result.directory} ({counts})"
    failing = any(p.is_error or (strict and p.severity == "warning") for p in problems)
    return render_problems(problems, fmt), line, 1 if failing else 0


def errors_report(errors: list[Problem]) -> str:
    """What a reporting command prints when the data has errors: the first few, then a hint."""
    lines = [terminal(p.format()) for p in errors[:MAX_SHOWN]]
    more = f" (first {MAX_SHOWN} shown)" if len(errors) > MAX_SHOWN else ""
    lines.append(f"cctrack: the data has {len(errors)} error(s){more}; see `cctrack validate`")
    return "\n".join(lines)
