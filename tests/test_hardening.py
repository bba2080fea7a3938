"""Reproductions of the defects a reliability run found in the second round (non-regular data
files, quadratic quote checking, a cache race, links, the lock's cleanup, add-observation's
messages), each kept as a test."""

from __future__ import annotations

import itertools
import json
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import OBSERVATIONS, TARGETS, TODAY, MakeData
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

import cctrack.pipeline
import cctrack.quotes
from cctrack.atomic import OTHER_PREFIX, TMP_PREFIX, locked
from cctrack.cli import app
from cctrack.location import read_data
from cctrack.pipeline import run
from cctrack.quotes import check_quote, figures

URL = "https://example.org/report"
ADD = ["nev", "2024", "600000", "--source", URL]


def invoke(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def snapshot(directory: Path) -> dict[str, bytes | str]:
    """Every entry of a directory: a regular file's bytes, else what it is."""
    out: dict[str, bytes | str] = {}
    for p in sorted(directory.iterdir()):
        out[p.name] = p.read_bytes() if p.is_file() and not p.is_symlink() else os.readlink(p) \
            if p.is_symlink() else "other"  # fmt: skip
    return out


# --- 1. only regular files are data, read with a bound ----------------------------------------


def _special(directory: Path, what: str) -> None:
    path = directory / "observations.yaml"
    path.unlink()
    if what == "dev-zero":
        path.symlink_to("/dev/zero")
    elif what == "fifo":
        os.mkfifo(path)
    elif what == "directory":
        path.mkdir()
    else:  # a loop of symbolic links
        path.symlink_to("observations.yaml")


SPECIAL = ["dev-zero", "fifo", "directory", "loop"]
WHAT = {"dev-zero": "a character device", "fifo": "a named pipe (FIFO)",
        "directory": "a directory", "loop": "symbolic links"}  # fmt: skip


@pytest.mark.parametrize("what", SPECIAL)
@pytest.mark.parametrize(
    "command", [["validate"], ["status"], ["status", "--format", "json"], ["show", "nev"]]
)
def test_a_data_file_that_is_not_a_regular_file_is_refused(
    make_data: MakeData, what: str, command: list[str]
) -> None:
    d = make_data()
    _special(d, what)
    result = invoke(*command, "--data", str(d), "--as-of", TODAY.isoformat())
    assert result.exit_code == 1, result.output
    (line,) = [x for x in result.output.splitlines() if "file-unreadable" in x]
    assert line.startswith(f"{d}/observations.yaml:1:1: error:")
    assert WHAT[what] in line


@pytest.mark.parametrize("what", SPECIAL)
@pytest.mark.parametrize("dry", [False, True])
def test_add_observation_refuses_a_data_file_that_is_not_a_regular_file(
    make_data: MakeData, what: str, dry: bool
) -> None:
    d = make_data()
    _special(d, what)
    before = snapshot(d)
    result = invoke("add-observation", *ADD, "--data", str(d), *(["--dry-run"] if dry else []))
    assert result.exit_code == 1, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "observations.yaml" in result.output and WHAT[what] in result.output
    assert snapshot(d) == before


def test_report_refuses_a_fifo(make_data: MakeData, tmp_path: Path) -> None:
    d = make_data()
    _special(d, "fifo")
    out = tmp_path / "r.html"
    result = invoke("report", "--html", str(out), "--data", str(d))
    assert result.exit_code == 1, result.output
    assert not out.exists()


def test_the_read_is_bounded(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"x" * 100)
    assert read_data(path, 100) == b"x" * 100
    too_large = read_data(path, 99)
    assert not isinstance(too_large, bytes) and too_large.reason == "oversized"
    zero = tmp_path / "zero"
    zero.symlink_to("/dev/zero")
    special = read_data(zero, 10)
    assert not isinstance(special, bytes) and special.reason == "special"


_TTY_SWAP = """
import os, sys
from pathlib import Path
from cctrack.location import read_data

os.setsid()  # a session with no controlling terminal: opening a terminal would make it one
master, slave = os.openpty()
tty = os.ttyname(slave)
os.close(slave)
link = Path(sys.argv[1])
real_stat = os.stat

def stat_then_swap(path, *args, **kwargs):  # the file is replaced between stat and open
    st = real_stat(path, *args, **kwargs)
    if Path(path) == link:
        link.unlink()
        link.symlink_to(tty)
    return st

os.stat = stat_then_swap
print(read_data(link).reason)
try:
    os.close(os.open("/dev/tty", os.O_RDONLY))
    print("controlling terminal acquired")
except OSError:
    print("no controlling terminal")
"""


def test_a_terminal_swapped_in_before_the_open_is_not_made_ours(tmp_path: Path) -> None:
    """A data file replaced by a terminal between the stat and the open is refused, and the
    open does not give the process a controlling terminal (O_NOCTTY)."""
    import subprocess
    import sys

    regular = tmp_path / "observations.real"
    regular.write_text(OBSERVATIONS)
    link = tmp_path / "observations.yaml"
    link.symlink_to(regular)
    run = subprocess.run(
        [sys.executable, "-c", _TTY_SWAP, str(link)], capture_output=True, text=True, timeout=60
    )
    assert run.stdout.split("\n")[:2] == ["special", "no controlling terminal"], run


# --- 2. quote checking is linear in the quote's length ---------------------------------------


class _Counting:
    """A stand-in for the fall detector that counts the characters it is given."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern, self.seen = pattern, 0

    def search(self, text: str) -> Any:
        self.seen += len(text)
        return self.pattern.search(text)


@pytest.mark.parametrize("n", [10, 2000])
def test_the_fall_detector_looks_at_a_bounded_window(
    monkeypatch: pytest.MonkeyPatch, n: int
) -> None:
    counting = _Counting(cctrack.quotes._FALL)
    monkeypatch.setattr(cctrack.quotes, "_FALL", counting)
    quote = "其中一项下降 1.5%，" * n
    found = figures(quote)
    assert [f.value for f in found] == [-Decimal("0.015")] * n
    assert counting.seen <= 64 * n  # not n²/2 × the length of one piece
    assert check_quote(quote, None, Decimal("-0.015")).mismatch is None


# --- 4. the cache key and the content come from one read -------------------------------------


def test_a_file_that_appears_during_a_run_is_never_cached_as_read(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch
) -> None:
    d = make_data(observations=None)
    # observations.yaml is read a block at a time (read_streamed), or whole (read_data)
    reals = {name: getattr(cctrack.pipeline, name) for name in ("read_data", "read_streamed")}

    def then_appear(real: Any) -> Any:
        def read(path: Path, *args: Any) -> Any:
            data = real(path, *args)
            if path.name == "observations.yaml" and not path.exists():
                path.write_text(OBSERVATIONS)  # appears just after it was read as missing
            return data

        return read

    for name, real in reals.items():
        monkeypatch.setattr(cctrack.pipeline, name, then_appear(real))
    first = run(d, TODAY)
    assert [p.code for p in first.errors] == ["file-missing"]
    (d / "observations.yaml").unlink()
    for name, real in reals.items():
        monkeypatch.setattr(cctrack.pipeline, name, real)
    again = run(d, TODAY)  # missing again: the cached result must say so
    assert [p.code for p in again.errors] == ["file-missing"]
    (d / "observations.yaml").write_text(OBSERVATIONS)
    assert run(d, TODAY).errors == []
    (d / "observations.yaml").unlink()
    result = invoke("validate", "--data", str(d), "--as-of", TODAY.isoformat())
    assert result.exit_code == 1, result.output


# --- 9. the small ones ------------------------------------------------------------------------


def test_the_lock_removes_only_its_own_temporary_files(make_data: MakeData) -> None:
    d = make_data()
    report_part = d / f"{OTHER_PREFIX}report-being-written"
    report_part.write_bytes(b"<html>")
    stale = d / f"{TMP_PREFIX}left-by-a-killed-writer"
    stale.write_bytes(b"observations:\n  - ha")
    with locked(d):
        pass
    assert report_part.exists() and not stale.exists()


def test_a_report_written_into_the_data_directory_during_an_add(make_data: MakeData) -> None:
    d = make_data()
    out = d / "report.html"
    assert invoke("add-observation", *ADD, "--data", str(d)).exit_code == 0
    assert invoke("report", "--html", str(out), "--data", str(d)).exit_code == 0
    assert sorted(p.name for p in d.iterdir()) == [
        "observations.yaml", "report.html", "targets.yaml"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("targets", "said"),
    [(None, "no targets.yaml"), ("targets: [\n", "yaml-syntax"), (b"\xff\xfe", "invalid-utf8")],
)
def test_add_observation_says_what_is_wrong_with_targets_yaml(
    make_data: MakeData, targets: str | bytes | None, said: str
) -> None:
    d = make_data(targets=targets)
    before = snapshot(d)
    result = invoke("add-observation", *ADD, "--data", str(d))
    assert result.exit_code == 1, result.output
    assert said in result.output and "unknown target" not in result.output
    assert "targets.yaml" in result.output
    assert snapshot(d) == before


def test_a_path_through_a_link_and_dotdot_names_the_file_read(tmp_path: Path) -> None:
    real = tmp_path / "deep" / "inner"
    real.mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)
    # link/../d is deep/d to the system, not tmp_path/d
    (tmp_path / "deep" / "d").mkdir()
    (tmp_path / "deep" / "d" / "targets.yaml").write_text(TARGETS)
    (tmp_path / "deep" / "d" / "observations.yaml").write_text(OBSERVATIONS + "  - oops\n")
    given = str(tmp_path / "link" / ".." / "d")
    result = invoke("validate", "--data", given, "--as-of", date(2024, 6, 1).isoformat())
    assert result.exit_code == 1, result.output
    assert f"{given}/observations.yaml:" in result.output


# --- 3. percentage-point changes: the same limits, digits and strict JSON ---------------------

POINTS_ENTRY = """\
  - target: share
    period: 2023
    change: "{change}"
    source: {{title: Plan, url: https://example.org/plan, published: 2021-03-01}}
"""
SHARE_TARGET = """\
  - id: share
    name: Share
    scope: Changchun
    unit: percent
    target: 40%
    deadline: 2025
    start: 2021
    source: {title: Plan, url: https://example.org/plan, published: 2021-03-01}
"""


@pytest.mark.parametrize("change", ["+" + "9" * 320 + "pp", "+1e9pp", "\u0661\u0662pp", "1e-99pp"])
def test_a_change_in_points_has_the_limits_of_every_number(
    make_data: MakeData, change: str
) -> None:
    d = make_data(TARGETS + SHARE_TARGET, OBSERVATIONS + POINTS_ENTRY.format(change=change))
    result = invoke("validate", "--data", str(d), "--as-of", TODAY.isoformat())
    assert result.exit_code == 1, result.output
    assert "invalid-percent" in result.output or "invalid-quantity" in result.output
    for command in (["status", "--format", "json"], ["show", "share"]):
        shown = invoke(*command, "--data", str(d), "--as-of", TODAY.isoformat())
        assert shown.exit_code == 1, shown.output
        assert "Infinity" not in shown.output and "inf%" not in shown.output


def test_a_sane_change_in_points_still_reads(make_data: MakeData) -> None:
    d = make_data(TARGETS + SHARE_TARGET, OBSERVATIONS + POINTS_ENTRY.format(change="+1.2pp"))
    result = invoke("status", "--format", "json", "--data", str(d), "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output


def test_a_level_cannot_fall_more_than_all_of_it(make_data: MakeData) -> None:
    d = make_data(TARGETS.replace("deadline: 2025", "kind: level\n    deadline: 2025"))
    before = snapshot(d)
    result = invoke("add-observation", "nev", "2024", "-", "--change", "-200%", "--source", URL,
                    "--data", str(d))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "cannot fall by more than 100%" in result.output
    assert snapshot(d) == before


# --- 8. bidirectional controls never reach an output raw --------------------------------------

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
        "\u200e", "\u200f", "\u061c"]  # fmt: skip


@pytest.mark.parametrize(
    "command",
    [["status"], ["status", "--format", "csv"], ["status", "--format", "markdown"],
     ["status", "--format", "json"], ["show", "nev"]],
)  # fmt: skip
def test_bidi_controls_are_written_out(
    make_data: MakeData, command: list[str], tmp_path: Path
) -> None:
    name = "NEV " + "x".join(BIDI) + " output"
    d = make_data(TARGETS.replace("name: NEV output", f'name: "{name}"'))
    result = invoke(*command, "--data", str(d), "--as-of", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    if command[-1] == "json":  # JSON escapes them, and reads back as the name
        assert not any(c in result.output for c in BIDI)
        assert json.loads(result.output)["targets"][0]["name"] == name
        return
    assert not any(c in result.output for c in BIDI)
    assert "\\u202e" in result.output
    out = tmp_path / "r.html"
    assert invoke("report", "--html", str(out), "--data", str(d)).exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert not any(c in page for c in BIDI)


# --- 6. ranges with a bare end; shares between 0% and 100% -----------------------------------


def _target(target: str, unit: str = "percent", kind: str = "growth") -> str:
    return TARGETS.replace("unit: vehicles", f"unit: {unit}\n    kind: {kind}").replace(
        "target: 700000", f'target: "{target}"'
    )


@pytest.mark.parametrize(("written", "low", "high"), [
    ("4.5%-5", 0.045, 0.05), ("4.5-5%", 0.045, 0.05), ("4.5%-5%", 0.045, 0.05),
])  # fmt: skip
def test_a_bare_end_of_a_range_takes_the_other_ends_percent(
    make_data: MakeData, written: str, low: float, high: float
) -> None:
    d = make_data(_target(written), "observations: []\n")
    result = invoke("status", "--format", "json", "--data", str(d), "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output
    (t,) = json.loads(result.output)["targets"]
    assert (t["target"], t["target_high"]) == (low, high)


def test_a_share_range_with_a_bare_end(make_data: MakeData) -> None:
    d = make_data(_target("40%-50", kind="level"), "observations: []\n")
    result = invoke("status", "--format", "json", "--data", str(d), "--as-of", "2024-06-01")
    assert result.exit_code == 0, result.output
    (t,) = json.loads(result.output)["targets"]
    assert (t["target"], t["target_high"]) == (0.4, 0.5)


@pytest.mark.parametrize("written", ["-5%", "120%", "90%-120%"])
def test_a_share_lies_between_0_and_100_percent(make_data: MakeData, written: str) -> None:
    d = make_data(_target(written, kind="level"), "observations: []\n")
    result = invoke("validate", "--data", str(d), "--as-of", "2024-06-01")
    assert result.exit_code == 1, result.output
    assert "is not a share" in result.output


# --- 7. quote checks --------------------------------------------------------------------------


def test_a_full_width_comma_separates_two_figures() -> None:
    assert [f.text for f in figures("120，150万人")] == ["120", "150万人"]


def test_years_are_not_figures() -> None:
    assert [f.text for f in figures("2024年增长5%，2025年达到300万辆")] == ["5%", "300万辆"]
    assert check_quote("2024年达到300万辆", Decimal(3000000), None).mismatch is None


def test_thousands_of_yi() -> None:
    (figure,) = figures("产值5千亿元")
    assert figure.value == Decimal(5) * 10**11


def test_a_share_is_checked_when_a_change_is_given_too(make_data: MakeData) -> None:
    share = _target("40%", kind="level")
    entry = """\
  - target: nev
    period: 2023
    value: 35%
    change: "+1.2pp"
    quote: "占比达到30%，提高1.2个百分点"
    source: {title: Plan, url: https://example.org/plan, published: 2021-03-01}
"""
    d = make_data(share, "observations:\n" + entry)
    result = invoke("validate", "--data", str(d), "--as-of", "2024-06-01")
    assert "quote-mismatch" in result.output, result.output
    good = make_data(share, "observations:\n" + entry.replace("30%", "35%"), name="good")
    result = invoke("validate", "--data", str(good), "--as-of", "2024-06-01")
    assert "quote-mismatch" not in result.output, result.output


# --- properties: cache races with files appearing and vanishing; non-regular files ------------

RACE = settings(
    derandomize=True,
    database=None,
    max_examples=300 if os.environ.get("CCTRACK_HYPOTHESIS") == "long" else 12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
_COUNT = itertools.count()
STATES = ["absent", "valid", "invalid", "directory"]


def _put(path: Path, state: str) -> None:
    if path.is_dir():
        path.rmdir()
    elif path.exists():
        path.unlink()
    if state == "valid":
        path.write_text(OBSERVATIONS)
    elif state == "invalid":
        path.write_text(OBSERVATIONS.replace("value: 500000", "value: lots"))
    elif state == "directory":
        path.mkdir()


def _codes(d: Path) -> list[str]:
    return [f"{p.code}:{p.line}" for p in run(d, TODAY, depth=cctrack.pipeline.PROBLEMS).problems]


@RACE
@given(st.lists(st.tuples(st.sampled_from(STATES), st.sampled_from(STATES)), max_size=6))
def test_the_cache_never_answers_for_another_content(
    make_data: MakeData, monkeypatch: pytest.MonkeyPatch, steps: list[tuple[str, str]]
) -> None:
    """Each step: the file is in one state when it is read and another just after (a race);
    then, with the file left alone, a cached answer is the answer computed without a cache."""
    d = make_data(name=f"race-{next(_COUNT)}")
    path = d / "observations.yaml"
    real_read = cctrack.pipeline.read_data  # type: ignore[attr-defined]
    for before, after in steps:
        _put(path, before)

        def racing(p: Path, *args: Any, _after: str = after) -> Any:
            data = real_read(p, *args)
            if p.name == "observations.yaml":
                _put(p, _after)
            return data

        with monkeypatch.context() as m:
            m.setattr(cctrack.pipeline, "read_data", racing)
            _codes(d)
        cached = _codes(d)
        with monkeypatch.context() as m:
            m.setenv("CCTRACK_NO_CACHE", "1")
            assert cached == _codes(d), (before, after)


@RACE
@given(st.sampled_from(["dev-zero", "fifo", "directory", "loop", "dangling", "to-regular"]),
       st.sampled_from(["targets.yaml", "observations.yaml"]))  # fmt: skip
def test_only_regular_files_are_data(make_data: MakeData, what: str, name: str) -> None:
    d = make_data(name=f"special-{next(_COUNT)}")
    path = d / name
    keep = path.read_bytes()
    path.unlink()
    if what in SPECIAL:
        make: dict[str, Any] = {
            "dev-zero": lambda: path.symlink_to("/dev/zero"), "fifo": lambda: os.mkfifo(path),
            "directory": path.mkdir, "loop": lambda: path.symlink_to(name),
        }  # fmt: skip
        make[what]()
        path_read = read_data(path)
        assert not isinstance(path_read, bytes)
        assert "file-unreadable" in _codes(d)[0]
    elif what == "dangling":
        path.symlink_to("nowhere.yaml")
        assert "file-missing" in _codes(d)[0]
    else:
        (d / "real.yaml").write_bytes(keep)
        path.symlink_to("real.yaml")
        assert read_data(path) == keep
        assert _codes(d) == []
