"""Reading on after an append (cctrack.incremental): the result is the cold one, always.

Differential: after every change to a data directory (appends valid and not, comments, a field
added to the last entry, edits, truncations, a changed targets file, another as-of date), the
CLI's ``status`` and ``validate`` outputs and exit codes with the cache on equal those with it
off; and an append really is read on, not read cold.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack import incremental
from cctrack.cli import app
from cctrack.location import PACKAGED

RUNNER = CliRunner()
DATES = ["2026-11-22", "2026-12-06", "2025-06-30"]
# targets of the shipped data set, with a benchmark target and milestones among them
TARGETS = ["gdp-growth-2026", "income-growth-2026", "nev-output", "gdp-growth-avg-14th",
           "auto-output-value", "tourist-visits", "rd-share-14th", "no-such-target"]  # fmt: skip
ANCHORS = re.findall(r"&(\w+)", (PACKAGED / "observations.yaml").read_text("utf-8"))
ENTRY = re.compile(r"^  - target:.*?(?=^  - target:|\Z)", re.M | re.S)
TEMPLATES = ENTRY.findall((PACKAGED / "observations.yaml").read_text("utf-8"))


def _outputs(data: Path, as_of: str, cache: bool, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Exit code and output of ``status`` and ``validate`` (JSON) on ``data``."""
    if cache:
        monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    else:
        monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    out: list[Any] = []
    for command in ("status", "validate"):
        args = [command, "--format", "json", "--data", str(data), "--as-of", as_of]
        result = RUNNER.invoke(app, args)
        assert "Traceback" not in result.output
        out.append((result.exit_code, result.stdout))
    monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    return out


def _entry(draw: st.DrawFn) -> str:
    """An entry: a shipped one with another period, target or source (an alias, a new anchor)."""
    text: str = draw(st.sampled_from(TEMPLATES))
    year = draw(st.integers(2018, 2027))
    text = re.sub(r"(?m)^    period: .*$", f"    period: {year}", text, count=1)
    if draw(st.booleans()):
        target = draw(st.sampled_from(TARGETS))
        text = re.sub(r"(?m)^  - target: .*$", f"  - target: {target}", text, count=1)
    source = draw(st.sampled_from(["keep", "alias", "anchor", "plain"]))
    if source == "alias":
        text = re.sub(r"(?m)^    source: .*$", f"    source: *{draw(st.sampled_from(ANCHORS))}",
                      text, count=1)  # fmt: skip
    elif source == "anchor":
        name = f"n{draw(st.integers(0, 3))}"
        text = re.sub(r"(?m)^    source: (?:&\w+ )?", f"    source: &{name} ", text, count=1)
    elif source == "plain":
        text = re.sub(r"(?m)^    source: &\w+ ", "    source: ", text, count=1)
    return text


@st.composite
def _operation(draw: st.DrawFn) -> tuple[str, Any]:
    kinds = ["append"] * 8 + ["invalid", "comment", "comment", "field", "edit", "truncate",
                              "targets", "as-of", "no-newline"]  # fmt: skip
    kind = draw(st.sampled_from(kinds))
    if kind == "append":
        return kind, "".join(_entry(draw) for _ in range(draw(st.integers(1, 3))))
    if kind == "invalid":
        return kind, draw(st.sampled_from([
            "  - target: nev-output\n    period: banana\n    change: '+1%'\n",
            "  - target: nev-output\n    period: 2024\n    change: '+1%'\n    source: *nowhere\n",
            "  - [a flow list]\n", "observations2: []\n", "  - target: nev-output\n  period: x\n",
        ]))  # fmt: skip
    if kind == "comment":
        return kind, draw(st.sampled_from(["\n", "# a note\n", "\n  # indented\n\n", "   \n"]))
    if kind == "field":
        return kind, draw(st.sampled_from(["    note: appended\n", "    measure: other\n"]))
    if kind == "no-newline":
        return kind, _entry(draw).rstrip("\n")
    if kind == "as-of":
        return kind, draw(st.sampled_from(DATES))
    return kind, draw(st.integers(0, 10_000))


def _apply(data: Path, kind: str, arg: Any) -> None:
    obs, targets = data / "observations.yaml", data / "targets.yaml"
    text = obs.read_text("utf-8")
    if kind in {"append", "invalid", "comment", "field", "no-newline"}:
        obs.write_text(text + arg, "utf-8")
    elif kind == "edit":
        years = [m.start() for m in re.finditer(r"period: 20\d\d", text)]
        at = years[arg % len(years)] + len("period: 20")
        obs.write_text(text[:at] + str((int(text[at : at + 2]) + 1) % 30).zfill(2)
                       + text[at + 2 :], "utf-8")  # fmt: skip
    elif kind == "truncate":
        lines = text.splitlines(keepends=True)
        obs.write_text("".join(lines[: len(lines) - 1 - arg % 40]), "utf-8")
    elif kind == "targets":
        t = targets.read_text("utf-8")
        deadlines = [m.start() for m in re.finditer(r"deadline: 20\d\d", t)]
        at = deadlines[arg % len(deadlines)] + len("deadline: 20")
        targets.write_text(t[:at] + "30" + t[at + 2 :], "utf-8")


@pytest.mark.slow
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(_operation(), min_size=1, max_size=6))
def test_read_on_equals_cold(
    operations: list[tuple[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        data, as_of = Path(tmp) / "data", DATES[0]
        shutil.copytree(PACKAGED, data)
        monkeypatch.setenv("CCTRACK_CACHE_DIR", str(Path(tmp) / "cache"))
        _outputs(data, as_of, True, monkeypatch)  # the cache filled for the data before
        for kind, arg in operations:
            if kind == "as-of":
                as_of = arg
            else:
                _apply(data, kind, arg)
            assert _outputs(data, as_of, True, monkeypatch) == _outputs(
                data, as_of, False, monkeypatch
            ), (kind, arg)


Fixture = Callable[[], Path]


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    """A copy of the shipped data set, its result cached."""
    data = tmp_path / "data"
    shutil.copytree(PACKAGED, data)
    return data


APPENDED = """\

  # appended outside cctrack
  - target: income-growth-2026
    period: 2026-01/2026-03
    change: "+5.2%"
    source: *{anchor}
  - target: gdp-growth-2026
    period: 2026-01/2026-03
    change: "+5.6%"
    source: &fresh {{title: "A quarter", url: "https://example.org/q", published: 2026-04-20}}
  - target: nev-output
    period: 2026-01/2026-03
    change: "+12%"
    source: *fresh
"""


def test_an_append_is_read_on(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a cold run, appends are read on, with the cold result; once an anchor is written
    twice (``&fresh``), the append after reads cold."""
    _outputs(shipped, DATES[1], True, monkeypatch)
    obs = shipped / "observations.yaml"
    for road in ["appended", "appended", "cold"]:
        obs.write_text(obs.read_text("utf-8") + APPENDED.format(anchor=ANCHORS[0]), "utf-8")
        incremental.last_road.clear()
        warm = _outputs(shipped, DATES[1], True, monkeypatch)
        assert incremental.last_road == [road]
        assert warm == _outputs(shipped, DATES[1], False, monkeypatch)


@pytest.mark.parametrize(
    "tail",
    [
        "    note: a field added to the last entry\n",  # continues the last entry
        "- target: nev-output\n  period: 2024\n",  # another indentation: not the same list
        "  - {target: nev-output, period: 2024}\n  - {target: nev-output, period: 2023}\n",
    ],
)
def test_what_is_not_an_append_of_entries_reads_cold(
    shipped: Path, monkeypatch: pytest.MonkeyPatch, tail: str
) -> None:
    _outputs(shipped, DATES[0], True, monkeypatch)
    obs = shipped / "observations.yaml"
    obs.write_text(obs.read_text("utf-8") + tail, "utf-8")
    incremental.last_road.clear()
    warm = _outputs(shipped, DATES[0], True, monkeypatch)
    assert incremental.last_road[:1] == ["cold"]
    assert warm == _outputs(shipped, DATES[0], False, monkeypatch)


def test_a_final_figure_appended_ends_a_warning_in_targets_yaml(
    shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warning that stands in targets.yaml but follows from the observations (the deadline
    passed without a final figure) goes when the figure is appended, read on as cold."""
    before = _outputs(shipped, DATES[1], True, monkeypatch)
    assert "tourist-visits: deadline 2025 has passed" in before[1][1]
    obs = shipped / "observations.yaml"
    entry = (
        "  - target: tourist-visits\n    period: 2025\n    value: 1.5亿人次\n    estimate: final\n"
        '    source: {title: "A bulletin", url: "https://example.org/b", published: 2026-03-01}\n'
    )
    obs.write_text(obs.read_text("utf-8") + entry, "utf-8")
    incremental.last_road.clear()
    warm = _outputs(shipped, DATES[1], True, monkeypatch)
    assert incremental.last_road == ["appended"]
    assert warm == _outputs(shipped, DATES[1], False, monkeypatch)
    assert "tourist-visits: deadline 2025 has passed" not in warm[1][1]


def test_comments_appended_are_read_on(shipped: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _outputs(shipped, DATES[0], True, monkeypatch)
    obs = shipped / "observations.yaml"
    obs.write_text(obs.read_text("utf-8") + "\n# only a comment\n", "utf-8")
    incremental.last_road.clear()
    warm = _outputs(shipped, DATES[0], True, monkeypatch)
    assert incremental.last_road == ["appended"]
    assert warm == _outputs(shipped, DATES[0], False, monkeypatch)


ADDS = [
    ["income-growth-2026", "2026-01/2026-03", "-", "--change", "+5.3%", "--source",
     "A quarter's figures", "--published", "2026-04-20"],
    ["gdp-growth-2026", "2026-01/2026-03", "-", "--change", "+5.9%", "--source",
     "https://example.org/q1", "--published", "2026-04-18"],
    ["nev-output", "2026-01/2026-03", "-", "--change", "+12%", "--source",
     "https://example.org/nev", "--published", "2026-04-21"],
    ["gdp-growth-2026", "2026-01/2026-03", "-", "--change", "+5.9%", "--source",
     "https://example.org/q1", "--published", "2026-04-18"],  # the same again: refused
    ["nev-output", "2040", "5", "--source", "https://example.org/x"],  # refused
]  # fmt: skip


def test_add_observation_reads_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``add-observation`` with a cached state checks the new file by reading on, writes the
    same bytes and says the same as without the cache, and the next ``status`` is warm."""
    warm, cold = tmp_path / "warm" / "data", tmp_path / "cold" / "data"
    for d in (warm, cold):
        shutil.copytree(PACKAGED, d)
    monkeypatch.delenv("CCTRACK_NO_CACHE", raising=False)
    RUNNER.invoke(app, ["status", "--data", str(warm)])
    whole = False  # the status table stored no roles
    for args in ADDS:
        incremental.last_road.clear()
        got = RUNNER.invoke(app, ["add-observation", *args, "--data", str(warm)])
        road = list(incremental.last_road)
        monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
        want = RUNNER.invoke(app, ["add-observation", *args, "--data", str(cold)])
        monkeypatch.delenv("CCTRACK_NO_CACHE")
        assert (got.exit_code, got.output.replace(str(warm), "D")) == (
            want.exit_code,
            want.output.replace(str(cold), "D"),
        )
        assert (warm / "observations.yaml").read_bytes() == (
            cold / "observations.yaml"
        ).read_bytes()
        if got.exit_code == 0:
            assert road == ["appended"]
            incremental.last_road.clear()
            today = ["--as-of", date.today().isoformat()]
            table = RUNNER.invoke(app, ["status", "--data", str(warm), *today])
            assert incremental.last_road == []  # served from the cache add-observation filled
            # the roles of every observation are stored only once a run has read them (the
            # first JSON status computes them); a result read on from a whole one stays whole
            before = RUNNER.invoke(app, ["status", "--format", "json", "--data", str(warm), *today])
            assert incremental.last_road == ([] if whole else ["cold"])
            whole = True
            assert table.exit_code == before.exit_code
            monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
            again = RUNNER.invoke(app, ["status", "--format", "json", "--data", str(warm), *today])
            monkeypatch.delenv("CCTRACK_NO_CACHE")
            assert (before.exit_code, before.stdout) == (again.exit_code, again.stdout)


def test_data_with_an_error_is_never_read_on_from(
    shipped: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cold run of data with an error (one its checks find, in an entry read whole) stores its
    state too; an append after it reads cold: the stored result's errors say so."""
    obs = shipped / "observations.yaml"
    clean = obs.read_text("utf-8")
    wrong = (
        '  - target: tourism-revenue\n    period: 2024\n    value: "5%"\n'
        '    source: {title: "A bulletin", url: "https://example.org/b", published: 2025-03-01}\n'
    )
    obs.write_text(clean + wrong, "utf-8")
    first = _outputs(shipped, DATES[1], True, monkeypatch)
    assert "unexpected-percent" in first[1][1]
    obs.write_text(clean + wrong + APPENDED.format(anchor=ANCHORS[0]), "utf-8")
    incremental.last_road.clear()
    warm = _outputs(shipped, DATES[1], True, monkeypatch)
    assert incremental.last_road[:1] == ["cold"]
    assert warm == _outputs(shipped, DATES[1], False, monkeypatch)
