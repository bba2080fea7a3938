"""Render validation problems as plain text lines, JSON or GitHub workflow commands.

Machine-readable lines are printed plainly (never through Rich), so nothing is taken for markup
and nothing is wrapped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from cctrack.problem import Problem
from cctrack.render.safe import json_escaped, terminal

if TYPE_CHECKING:
    from cctrack.pipeline import Result

MAX_SHOWN = 20
PIECE = 4096  # problems rendered at a time: a piece of validate's output


def _escape_github(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if prop else text


def problem_pieces(problems: list[Problem], fmt: str, size: int = 0) -> Iterator[str]:
    """All problems in one format (``text``, ``json`` or ``github``), a piece of at most
    ``size`` (else :data:`PIECE`) problems at a time (their text is the same once joined): a
    large report is written as it is made, never held whole."""
    size = size or PIECE
    if fmt == "json":
        if not problems:
            yield "[]\n"
            return
        yield "[\n"
        for start in range(0, len(problems), size):
            rows = [_json_row(p) for p in problems[start : start + size]]
            yield json_escaped((",\n" if start else "") + ",\n".join(rows))
        yield "\n]\n"
        return
    line = _github_line if fmt == "github" else _text_line
    for start in range(0, len(problems), size):
        yield "".join([line(p) for p in problems[start : start + size]])


def _json_row(p: Problem) -> str:
    """One problem as an item of the report's JSON list (``json.dumps`` of the whole list with
    ``indent=2`` writes each item so)."""
    row = {"file": p.path, "line": p.line, "col": p.col, "severity": p.severity,
           "code": p.code, "message": p.message}  # fmt: skip
    item = json.dumps(row, ensure_ascii=False, indent=2, allow_nan=False)
    return "  " + item.replace("\n", "\n  ")


def _github_line(p: Problem) -> str:
    return (
        f"::{p.severity} file={_escape_github(p.path, True)},line={p.line},col={p.col},"
        f"title={_escape_github(p.code, True)}::{terminal(_escape_github(p.message))}\n"
    )


def _text_line(p: Problem) -> str:
    return terminal(p.format()) + "\n"


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


def validate_pieces(result: Result, fmt: str, strict: bool) -> tuple[Iterator[str], str, int]:
    """``validate``'s output: the problems in ``fmt`` as pieces of text made as they are taken
    (:func:`problem_pieces`), the summary line for stderr, the exit code: 1 on errors or, with
    ``strict``, on warnings too. ``strict`` also lists the entries without a quote (``info``),
    which never change the exit code."""
    problems = sorted(result.problems + result.unquoted) if strict else result.problems
    counts = f"{plural(result.n_targets, 'target')}, {plural(result.n_observations, 'observation')}"
    line = f"{summary(problems)} in {result.directory} ({counts})"
    failing = any(p.is_error or (strict and p.severity == "warning") for p in problems)
    return problem_pieces(problems, fmt), line, 1 if failing else 0


def errors_report(errors: list[Problem]) -> str:
    """What a reporting command prints when the data has errors: the first few, then a hint."""
    lines = [terminal(p.format()) for p in errors[:MAX_SHOWN]]
    more = f" (first {MAX_SHOWN} shown)" if len(errors) > MAX_SHOWN else ""
    lines.append(f"cctrack: the data has {len(errors)} error(s){more}; see `cctrack validate`")
    return "\n".join(lines)
