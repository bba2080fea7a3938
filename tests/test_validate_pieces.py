"""``validate``'s output written a piece at a time, and kept for the replay as it is written:
the same bytes as the whole report made at once, in every format, from the command line and
when replayed."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MARK, PROBE, TARGETS, MakeData
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack import replay
from cctrack.cli import app
from cctrack.pipeline import PROBLEMS, run
from cctrack.problem import Problem
from cctrack.render import problems as rendering
from cctrack.render.safe import json_escaped, terminal

FORMATS = ["text", "json", "github"]


def whole(problems: list[Problem], fmt: str) -> str:
    """The report made at once, as before it was made in pieces (the reference)."""
    if fmt == "json":
        rows = [
            {"file": p.path, "line": p.line, "col": p.col, "severity": p.severity,
             "code": p.code, "message": p.message}
            for p in problems
        ]  # fmt: skip
        return json_escaped(json.dumps(rows, ensure_ascii=False, indent=2, allow_nan=False)) + "\n"
    if fmt == "github":
        return "".join(
            f"::{p.severity} file={rendering._escape_github(p.path, True)},line={p.line},"
            f"col={p.col},title={rendering._escape_github(p.code, True)}::"
            f"{terminal(rendering._escape_github(p.message))}\n"
            for p in problems
        )
    return "".join(terminal(p.format()) + "\n" for p in problems)


# Text with what each format escapes or writes out: an arrow (a wide character), a bidi
# control, a line break, a percent sign, a colon, a comma, a quote, a backslash, CJK.
_TEXT = st.text(alphabet=st.sampled_from(list('ab →\u202e\n\r%:,"\\长\t{}')), max_size=12)
_PROBLEM = st.builds(
    Problem,
    _TEXT,
    st.integers(1, 10**6),
    st.integers(1, 300),
    st.sampled_from(["error", "warning", "info"]),
    st.sampled_from(["yaml-syntax", "source-incomplete", "a:b,c"]),
    _TEXT,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PROBLEM, max_size=9), st.sampled_from(FORMATS), st.integers(1, 4))
def test_the_pieces_make_the_whole_report(problems: list[Problem], fmt: str, size: int) -> None:
    pieces = list(rendering.problem_pieces(problems, fmt, size))
    assert "".join(pieces) == whole(problems, fmt)
    if fmt != "json":  # one piece a group of ``size`` problems, none when there is none
        assert len(pieces) == -(-len(problems) // size)


# Four observations with a problem each (a value that does not read): more than one piece
# when a piece is two problems.
_BAD = "".join(
    f"  - target: nev\n    period: {year}\n    value: lots → \u202e{year}\n"
    f"    source: {{title: T{year}}}\n"
    for year in (2021, 2022, 2023, 2024)
)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("strict", [False, True])
def test_the_command_writes_the_report_in_pieces(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch, fmt: str, strict: bool
) -> None:
    d = make_data(TARGETS, f"observations:\n{_BAD}")
    monkeypatch.setattr(rendering, "PIECE", 2)
    args = ["validate", "--data", str(d), "--as-of", "2024-06-01", "--format", fmt]
    result = CliRunner().invoke(app, args + ["--strict"] * strict)
    found = run(d, __import__("datetime").date(2024, 6, 1), strict=strict, depth=PROBLEMS)
    listed = sorted(found.problems + found.unquoted) if strict else found.problems
    assert len(listed) > 2 and result.exit_code == 1
    assert result.stdout == whole(listed, fmt)


def _cli(tmp_path: Path, args: list[str], **extra: str) -> tuple[int, bytes, str, bool]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CCTRACK_")}
    env.update(CCTRACK_CACHE_DIR=str(tmp_path / "cache"), **extra)
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, env=env, cwd=tmp_path,
        stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    err, mark, loaded = proc.stderr.decode("utf-8").rpartition(MARK)
    assert mark, err
    return proc.returncode, proc.stdout, err, loaded == "False]"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_replayed_validate_writes_the_same_bytes(
    tmp_path: Path, make_data: MakeData, fmt: str
) -> None:
    d = make_data(TARGETS, f"observations:\n{_BAD}")
    args = ["validate", "--data", str(d), "--as-of", "2024-06-01", "--format", fmt]
    first = _cli(tmp_path, args)
    second = _cli(tmp_path, args)
    off = _cli(tmp_path, args, CCTRACK_NO_CACHE="1")
    assert not first[3] and second[3] and not off[3]  # computed, replayed, computed
    assert first[:3] == second[:3] == off[:3] and first[0] == 1
    assert "→".encode() in first[1] and b"\\u202e" in first[1]


def test_a_run_that_fails_while_writing_keeps_no_entry(tmp_path: Path, make_data: MakeData) -> None:
    """Output that cannot be written (here: an encoding without the arrow) ends the run before
    its entry is put in place: the next run computes again, and fails the same way."""
    d = make_data(TARGETS, f"observations:\n{_BAD}")
    args = ["validate", "--data", str(d), "--as-of", "2024-06-01"]
    first = _cli(tmp_path, args, PYTHONIOENCODING="ascii")
    second = _cli(tmp_path, args, PYTHONIOENCODING="ascii")
    assert first[0] == second[0] == 3 and not first[3] and not second[3]
    assert not list((tmp_path / "cache").glob("replay-*"))  # no entry, no temporary file


def test_a_stored_output_is_written_again_a_piece_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An output of several pieces (:data:`replay._PIECE` bytes), with wide characters, CJK and
    a surrogate-escaped byte around the pieces' ends, is written as it was kept."""
    line = "observations.yaml:1:2: warning: x → 长 \udcff y\n"
    out = line * (3 * replay._PIECE // len(line.encode("utf-8", "surrogatepass")) + 7)
    body = out.encode("utf-8", "surrogatepass")
    assert len(body) > 3 * replay._PIECE
    written = io.BytesIO()
    stream = io.TextIOWrapper(written, encoding="utf-8", errors="surrogateescape", newline="")
    monkeypatch.setattr(sys, "stdout", stream)
    replay._write_out(b"head" + body + b"tail", 4, 4 + len(body))
    stream.flush()
    assert written.getvalue() == out.encode("utf-8", "surrogateescape")
