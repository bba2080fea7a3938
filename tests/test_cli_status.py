"""`cctrack status` and `cctrack show` through the real CLI, on data directories written here."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cctrack.assess import assess, assess_all
from cctrack.categories import CATEGORIES
from cctrack.cli import app
from cctrack.dataset import PACKAGED
from cctrack.domain import published_end
from cctrack.model import parse_observation, parse_target
from cctrack.period import parse_period
from cctrack.render.catalogue import words
from cctrack.render.numbers import format_percent
from cctrack.render.words import notes_text

runner = CliRunner(env={"COLUMNS": None, "NO_COLOR": "1", "CCTRACK_DATA": None})

AS_OF = "2025-09-30"
TODAY = date(2025, 9, 30)


def src(published: str = "2024-01-01") -> dict[str, str]:
    return {"title": "Bulletin", "url": "https://example.org/b", "published": published}


def tgt(tid: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": tid,
        "name": f"Target {tid}",
        "scope": "City",
        "unit": "yuan",
        "target": 100,
        "deadline": 2025,
        "start": 2021,
        "source": src("2021-03-01"),
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def ob(tid: str, period: Any, value: Any = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"target": tid, "period": period}
    if value is not None:
        data["value"] = value
    data.update(fields)
    data.setdefault("source", src())
    return data


# rev: on track, with a proxy and a partial period; fall: a decrease target deteriorating;
# gdp: a growth target judged on a year-to-date change; empty: pending (no figure yet, its
# 2025 deadline to come); open: no deadline; held: acceleration needed, set to on_track by hand.
TARGETS = [
    tgt("rev", tags=["money"]),
    tgt("fall", direction="decrease", target=20, tags=["env"]),
    tgt("gdp", kind="growth", target="5.5%", start=2025, tags=["money"]),
    tgt("empty", unit="people", target="1.7 million", tags=["env"]),
    tgt("open", deadline=None, start=None),
    tgt("held", status_override={"status": "on_track", "reason": "a new plant opens in 2025"}),
]
OBSERVATIONS = [
    ob("rev", 2020, 50),
    ob("rev", 2023, "80"),
    ob("rev", 2023, "1,000", scope="Province", note="the whole province"),
    ob("rev", "2024-H1", 45, change="+12%", note="partial year"),
    ob("fall", 2020, 50),
    ob("fall", 2023, 60),
    ob("gdp", 2024, change="+7%"),
    ob("gdp", "2025-01/2025-06", change="+6%", source=src("2025-07-20")),
    ob("open", 2020, 40),
    ob("open", 2023, 60),
    ob("held", 2020, 50),
    ob("held", 2023, 70),
]
STATUS = {
    "rev": "on_track",
    "fall": "deterioration",
    "gdp": "on_track",
    "empty": "pending",
    "open": "not_assessable",
    "held": "on_track",
}

FIELDS = (
    "id", "name", "scope", "kind", "unit", "target", "direction", "deadline", "base", "current",
    "progress", "time_elapsed", "growth_observed", "growth_required", "progress_ratio",
    "growth_needed", "projected", "status", "override", "notes",
)  # fmt: skip
NUMBERS = (
    "progress", "time_elapsed", "growth_observed", "growth_required", "progress_ratio",
    "growth_needed", "projected",
)  # fmt: skip


def write_data(directory: Path, targets: list[Any], observations: list[Any]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, key, items in (
        ("targets.yaml", "targets", targets),
        ("observations.yaml", "observations", observations),
    ):
        text = yaml.safe_dump({key: items}, sort_keys=False, allow_unicode=True)
        (directory / name).write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return write_data(tmp_path / "data", TARGETS, OBSERVATIONS)


def run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def status_json(directory: Path, *args: str) -> dict[str, Any]:
    result = run("status", "--data", str(directory), "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


# --- status --format json -------------------------------------------------------------------


def test_json_has_every_field_with_json_types(data: Path) -> None:
    doc = status_json(data)
    assert doc["as_of"] == AS_OF and doc["method"] == "growth-ratio"
    assert [t["id"] for t in doc["targets"]] == [t["id"] for t in TARGETS]
    for t in doc["targets"]:
        assert set(FIELDS) <= set(t), t["id"]
        for key in ("id", "name", "scope", "kind", "unit", "direction", "status"):
            assert isinstance(t[key], str), key
        assert is_number(t["target"])
        assert t["deadline"] is None or isinstance(t["deadline"], str)
        for key in NUMBERS:
            assert t[key] is None or is_number(t[key]), (t["id"], key)
        assert isinstance(t["notes"], list) and all(isinstance(n, str) for n in t["notes"])
        assert t["status"] in CATEGORIES
        if t["base"] is not None:
            base = t["base"]
            assert {"period", "value", "derived"} <= set(base)
            assert isinstance(base["period"], str) and is_number(base["value"])
            assert isinstance(base["derived"], bool)
        if t["current"] is not None:
            cur = t["current"]
            assert {"period", "value", "bound", "estimate", "derived"} <= set(cur)
            assert isinstance(cur["period"], str) and is_number(cur["value"])
            assert cur["bound"] in ("exact", "at_least", "at_most")
            assert cur["estimate"] in ("final", "preliminary", "expected")
            assert isinstance(cur["derived"], bool)
    by_id = {t["id"]: t for t in doc["targets"]}
    assert {tid: t["status"] for tid, t in by_id.items()} == STATUS

    rev = by_id["rev"]
    assert rev["target"] == 100 and rev["deadline"] == "2025" and rev["kind"] == "annual"
    assert rev["base"]["period"] == "2020" and rev["base"]["value"] == 50
    assert rev["current"] == rev["current"] | {
        "period": "2023",
        "value": 80,
        "bound": "exact",
        "estimate": "final",
        "derived": False,
    }
    assert all(is_number(rev[key]) for key in NUMBERS)
    assert rev["progress_ratio"] == pytest.approx(
        ((80 / 50) ** (1 / 3) - 1) / abs((100 / 50) ** (1 / 5) - 1), abs=1e-9
    )
    assert rev["override"] is None

    empty = by_id["empty"]
    assert empty["base"] is None and empty["current"] is None
    assert all(empty[key] is None for key in NUMBERS)
    assert empty["target"] == 1_700_000

    gdp = by_id["gdp"]
    assert gdp["target"] == pytest.approx(0.055) and gdp["kind"] == "growth"
    assert gdp["current"]["period"] == "2025-01/2025-06"
    assert gdp["current"]["value"] == pytest.approx(0.06)

    held = by_id["held"]
    assert held["override"]["status"] == "on_track"
    assert held["override"]["reason"] == "a new plant opens in 2025"
    assert held["override"]["computed_status"] == "acceleration_needed"


@pytest.mark.parametrize("method", ["growth-ratio", "linear"])
def test_json_numbers_equal_assess(data: Path, method: str) -> None:
    doc = status_json(data, "--method", method)
    targets = [parse_target(t) for t in TARGETS]
    observations = [parse_observation(o) for o in OBSERVATIONS]
    results = assess_all(targets, observations, TODAY, method)
    assert len(doc["targets"]) == len(results)
    for t, a in zip(doc["targets"], results, strict=True):
        assert t["id"] == a.target.id
        assert t["status"] == a.status.value
        for key in (*NUMBERS, "expected_now", "ahead_by"):
            assert t[key] == getattr(a, key), (t["id"], key)
        for key in ("base", "current"):
            point = getattr(a, key)
            if point is None:
                assert t[key] is None
            else:
                assert t[key]["period"] == point.period.text
                assert t[key]["value"] == pytest.approx(float(point.value), abs=1e-12)
                assert t[key]["derived"] is point.derived
        assert t["notes"] == notes_text(a, words("en"))


def check_formulas(t: dict[str, Any]) -> int:
    """Evaluate each formula of a JSON target (they are Python expressions) against its number."""
    names = {k: t[k] for k in ("growth_observed", "growth_required", "expected_now")}
    names |= {k: t[k]["value"] for k in ("base", "current") if t[k] is not None}
    for key, formula in t["formulas"].items():
        value = eval(formula, {"__builtins__": {}, "abs": abs}, names)
        assert value == pytest.approx(t[key], rel=1e-9, abs=1e-12), (t["id"], key, formula)
    return len(t["formulas"])


@pytest.mark.parametrize("method", ["growth-ratio", "linear"])
def test_json_formulas_reproduce_the_numbers(data: Path, method: str) -> None:
    doc = status_json(data, "--method", method)
    assert sum(check_formulas(t) for t in doc["targets"]) > 0


def test_zero_base_in_json_numbers_and_formulas(tmp_path: Path) -> None:
    d = write_data(tmp_path / "z", [tgt("z")], [ob("z", 2020, 0), ob("z", 2023, 10)])
    (t,) = status_json(d)["targets"]
    assert t["base"]["value"] == 0
    assert t["growth_observed"] == pytest.approx((10 / 0.001) ** (1 / 3) - 1, abs=1e-9)
    assert t["growth_required"] == pytest.approx((100 / 0.001) ** (1 / 5) - 1, abs=1e-9)
    assert t["formulas"]["growth_observed"] == "(10 / 0.001) ** (1 / (2023 - 2020)) - 1"
    assert check_formulas(t) == 6
    assert any("0.001" in n for n in t["notes"])
    assert t["status"] == "on_track"


# --- --fail-on, ids -------------------------------------------------------------------------


def test_fail_on_deterioration(data: Path, tmp_path: Path) -> None:
    args = ("status", "--as-of", AS_OF, "--format", "csv", "--fail-on", "deterioration")
    result = run(*args, "--data", str(data))
    assert result.exit_code == 1
    assert "fall" in result.stderr
    assert result.stdout.count("\n") == len(TARGETS) + 1  # the report is still printed

    calm = write_data(
        tmp_path / "calm",
        [t for t in TARGETS if t["id"] != "fall"],
        [o for o in OBSERVATIONS if o["target"] != "fall"],
    )
    assert run(*args, "--data", str(calm)).exit_code == 0
    # selecting ids leaves the deteriorating target out, too
    assert run(*args, "--data", str(data), "rev", "gdp").exit_code == 0


def test_fail_on_counts_worse_categories(tmp_path: Path) -> None:
    missed = write_data(tmp_path / "missed", [tgt("m")], [ob("m", 2020, 50), ob("m", 2025, 60)])
    result = run(
        "status", "--data", str(missed), "--as-of", "2026-06-30", "--fail-on", "deterioration"
    )
    assert result.exit_code == 1
    result = run("status", "--data", str(missed), "--as-of", "2026-06-30", "--fail-on", "missed")
    assert result.exit_code == 1


def test_fail_on_on_track_fails_on_slower_targets(data: Path) -> None:
    result = run("status", "--data", str(data), "--as-of", AS_OF, "--fail-on", "on_track")
    assert result.exit_code == 1
    result = run("status", "rev", "--data", str(data), "--as-of", AS_OF, "--fail-on", "on_track")
    assert result.exit_code == 1  # on_track itself counts
    result = run(
        "status", "rev", "--data", str(data), "--as-of", AS_OF, "--fail-on", "limited_progress"
    )
    assert result.exit_code == 0


def test_fail_on_unknown_category_is_a_usage_error(data: Path) -> None:
    result = run("status", "--data", str(data), "--fail-on", "bogus")
    assert result.exit_code == 2
    assert "bogus" in result.stderr
    assert result.stdout == ""


def test_unknown_target_id_is_a_usage_error_with_a_suggestion(data: Path) -> None:
    result = run("status", "--data", str(data), "--as-of", AS_OF, "revv")
    assert result.exit_code == 2
    assert "did you mean" in result.stderr and "'rev'" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


# --- csv, markdown, --tag, IDS ----------------------------------------------------------------


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def markdown_rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.startswith("|")]
    cells = [[c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    assert set("".join(cells[1])) <= {"-", ":"}  # the separator line
    return [cells[0], *cells[2:]]


def test_csv_and_markdown_have_one_row_per_target_with_the_same_columns(data: Path) -> None:
    base = ("status", "--data", str(data), "--as-of", AS_OF, "--format")
    out_csv = run(*base, "csv")
    out_md = run(*base, "markdown")
    assert out_csv.exit_code == 0 and out_md.exit_code == 0
    rows = csv_rows(out_csv.stdout)
    header = out_csv.stdout.splitlines()[0].split(",")
    assert [r["id"] for r in rows] == [t["id"] for t in TARGETS]
    md = markdown_rows(out_md.stdout)
    assert len(md) == 1 + len(TARGETS)
    # the table's columns come first in both; the CSV then adds the unrounded numbers, the
    # plan and the scorecard outcome
    from cctrack.render.status import COLUMNS, GROUPING, NUMBERS

    assert header == [*COLUMNS, *NUMBERS, *GROUPING]
    assert all(len(r) == len(COLUMNS) for r in md)
    assert [r[0] for r in md[1:]] == [r["id"] for r in rows]
    status_col = header.index("status")
    assert [r[status_col] for r in md[1:]] == [r["status"] for r in rows]
    assert [r["status"] for r in rows] == [
        STATUS[r["id"]].replace("_", " ")
        + (" † a new plant opens in 2025" if r["id"] == "held" else "")  # the reason is shown
        for r in rows
    ]
    rev = rows[0]
    assert rev["period"] == "2023" and rev["deadline"] == "2025"
    assert rev["current"] == md[1][header.index("current")]


def test_tag_filters_and_ids_select(data: Path) -> None:
    base = ("status", "--data", str(data), "--as-of", AS_OF, "--format", "csv")
    result = run(*base, "--tag", "money")
    assert [r["id"] for r in csv_rows(result.stdout)] == ["rev", "gdp"]
    result = run(*base, "--tag", "nothing")  # no target has it: a usage error, not an empty pass
    assert result.exit_code == 2 and result.stdout == ""
    result = run(*base, "open", "fall")
    assert [r["id"] for r in csv_rows(result.stdout)] == ["open", "fall"]
    result = run(*base, "--tag", "env", "open", "fall")
    assert [r["id"] for r in csv_rows(result.stdout)] == ["fall"]
    doc = status_json(data, "held")
    assert [t["id"] for t in doc["targets"]] == ["held"]


def test_table_format_lists_every_target(data: Path) -> None:
    result = run("status", "--data", str(data), "--as-of", AS_OF)
    assert result.exit_code == 0
    for t in TARGETS:
        assert t["id"] in result.stdout
    assert "deterioration" in result.stdout and "pending" in result.stdout


# --- show -------------------------------------------------------------------------------------


def test_show_prints_every_input_and_observation(data: Path) -> None:
    result = run("show", "rev", "--data", str(data), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    cagr_obs = (80 / 50) ** (1 / 3) - 1
    cagr_req = (100 / 50) ** (1 / 5) - 1
    ratio = cagr_obs / abs(cagr_req)
    assert re.search(r"base\s+│?\s*2020: 50 yuan", out)
    assert re.search(r"current\s+│?\s*2023: 80 yuan", out)
    assert format_percent(cagr_obs, digits=2) in out  # +16.96%
    assert format_percent(cagr_req, digits=2) in out  # +14.87%
    assert "growth observed / yr" in out and "growth required / yr" in out
    assert f"{ratio:.2f}" in out and "progress ratio R" in out
    assert "thresholds" in out and "0.95" in out and "0.6" in out
    assert re.search(r"status\s+│?\s*on track", out)
    # every observation: used, the proxy of another scope, the partial period
    for period in ("2020", "2023", "2024-H1"):
        assert re.search(rf"^\s*{re.escape(period)}\s", out, re.M), period
    assert "1,000 yuan" in out and "context (scope Province)" in out
    assert "context (not a full year)" in out and "+12.00%" in out
    assert "partial year" in out and "the whole province" in out
    # a chart: its heading and a bar for the current year
    assert "Observed (█" in out
    assert re.search(r"^2023 █+", out, re.M)


def test_show_derived_values_are_listed(tmp_path: Path) -> None:
    d = write_data(tmp_path / "d", [tgt("x")], [ob("x", 2020, 50), ob("x", 2021, change="+10%")])
    result = run("show", "x", "--data", str(d), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    assert "55 yuan*" in result.stdout and "derived" in result.stdout


def test_show_growth_target(data: Path) -> None:
    result = run("show", "gdp", "--data", str(data), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "+7.00% (full year): context" in out
    assert "+6.00% (year to date)" in out
    assert "on track" in out


def test_show_lists_superseded_and_value_only_observations(tmp_path: Path) -> None:
    observations = [
        ob("g", "2025-01/2025-06", change="+6%", estimate="preliminary", source=src("2025-07-01")),
        ob("g", "2025-01/2025-06", change="+5%", source=src("2025-07-10")),
        ob("g", 2024, "7200亿元", note="GDP level, no change stated"),
    ]
    d = write_data(
        tmp_path / "g", [tgt("g", kind="growth", target="5.5%", start=2025)], observations
    )
    result = run("show", "g", "--data", str(d), "--as-of", AS_OF)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "+6.00%" in out and "preliminary" in out
    assert "720 bn yuan" in out and "GDP level, no change stated" in out
    assert re.search(r"\+5\.00% \(year to date\)", out)
    assert "acceleration needed" in out


def test_show_unknown_id_exits_2(data: Path) -> None:
    result = run("show", "revv", "--data", str(data))
    assert result.exit_code == 2
    assert "did you mean" in result.stderr
    assert result.stdout == ""


# --- invalid data -------------------------------------------------------------------------


def test_invalid_data_exits_1_with_errors_on_stderr(tmp_path: Path) -> None:
    bad = write_data(
        tmp_path / "bad",
        [tgt("a", target="lots of money"), tgt("b")],
        [ob("nope", 2023, 5), ob("b", 2023, "yes")],
    )
    for command in (("status",), ("status", "--format", "json"), ("show", "b")):
        result = run(*command, "--data", str(bad), "--as-of", AS_OF)
        assert result.exit_code == 1, command
        assert result.stdout == ""
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert len(errors) >= 3, result.stderr
        assert any(re.match(r".*targets\.yaml:\d+:\d+: error: ", e) for e in errors)
        assert any(re.match(r".*observations\.yaml:\d+:\d+: error: ", e) for e in errors)
        assert "Traceback" not in result.stderr
        assert isinstance(result.exception, SystemExit)


def test_missing_data_files_exit_2_without_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    result = run("status", "--data", str(empty), "--as-of", AS_OF)
    assert result.exit_code == 2  # the wrong directory named: a usage error, in one line
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr and "Traceback" not in result.stderr
    assert isinstance(result.exception, SystemExit)


# --- the shipped data -----------------------------------------------------------------------


def shipped_status(tmp_path: Path, *args: str) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "CCTRACK_DATA"}
    proc = subprocess.run(
        [sys.executable, "-m", "cctrack", "status", "--format", "json", *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    doc: dict[str, Any] = json.loads(proc.stdout)
    return doc


def shipped_ids() -> list[str]:
    text = (PACKAGED / "targets.yaml").read_text(encoding="utf-8")
    return [t["id"] for t in yaml.safe_load(text)["targets"]]


def test_shipped_data_every_target_appears_exactly_once(tmp_path: Path) -> None:
    doc = shipped_status(tmp_path)
    ids = [t["id"] for t in doc["targets"]]
    expected = shipped_ids()
    assert len(expected) == len(set(expected))
    assert Counter(ids) == Counter(expected)
    assert ids == expected
    for t in doc["targets"]:
        assert t["status"] in CATEGORIES
        assert set(FIELDS) <= set(t)


def test_shipped_data_as_of_hides_later_observations(tmp_path: Path) -> None:
    early = shipped_status(tmp_path, "--as-of", "2024-03-01")
    late = shipped_status(tmp_path, "--as-of", "2026-01-01")
    assert early["as_of"] == "2024-03-01"
    # a target stated (its source published) between the two dates shows only on the later one
    early_ids = [t["id"] for t in early["targets"]]
    later = [t for t in late["targets"] if t["id"] not in early_ids]
    assert early_ids == [t["id"] for t in late["targets"] if t["id"] in early_ids]
    assert later and early["filtered_by"]["stated_later"] > late["filtered_by"]["stated_later"]
    for t in later:
        end = published_end(t["source"]["published"])
        assert end is not None and date(2024, 3, 1) < end <= date(2026, 1, 1), t["id"]
    as_of = date(2024, 3, 1)
    for t in early["targets"]:
        cur = t["current"]
        if cur is None:
            continue
        assert parse_period(cur["period"]).end <= as_of, t["id"]
        published = (cur.get("source") or {}).get("published")
        end = published_end(published)
        assert published is None or (end is not None and end <= as_of), t["id"]
    with_current = [sum(t["current"] is not None for t in d["targets"]) for d in (early, late)]
    assert with_current[0] < with_current[1]
    early_by, late_by = ({t["id"]: t for t in d["targets"]} for d in (early, late))
    changed = [tid for tid in early_by if early_by[tid]["current"] != late_by[tid]["current"]]
    assert "tourism-revenue" in changed
    assert early_by["tourism-revenue"]["current"]["period"] == "2019"  # "over 200 bn" (2020 report)
    # 2024 and 2025 give only tourist spending (出游总花费), another measure than the target's
    # 旅游总收入 (the shipped data: one figure, one measure): its last own figure is 2023's
    assert late_by["tourism-revenue"]["current"]["period"] == "2023"
    assert any("--as-of" in n for n in early_by["tourism-revenue"]["notes"])
    assert early_by["gdp-growth-2024"]["current"] is None


def test_shipped_data_json_equals_assess(tmp_path: Path) -> None:
    """The CLI adds no logic: its numbers are assess() on the shipped files."""
    from cctrack.dataset import load_dataset
    from cctrack.pipeline import stated_after

    doc = shipped_status(tmp_path, "--as-of", "2026-01-01")
    ds = load_dataset(PACKAGED)
    observations = [e.model for e in ds.observations]
    known = [e for e in ds.targets if not stated_after(e.model, date(2026, 1, 1))]
    assert len(known) < len(ds.targets)  # the 2026 ones were stated later: not shown
    for t, entry in zip(doc["targets"], known, strict=True):
        a = assess(entry.model, observations, date(2026, 1, 1))
        assert t["status"] == a.status.value
        for key in NUMBERS:
            assert t[key] == getattr(a, key), (t["id"], key)
        check_formulas(t)


# --- fixes from a new user's review ------------------------------------------------------------


def test_unknown_tag_is_a_usage_error(data: Path) -> None:
    result = run("status", "--data", str(data), "--tag", "no-such-tag", "--fail-on", "missed")
    assert result.exit_code == 2
    assert "no target has the tag" in result.stderr


def test_version() -> None:
    import cctrack

    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cctrack {cctrack.__version__}"


def test_growth_current_has_its_source_on_the_shipped_data() -> None:
    result = run("status", "gdp-growth-2024", "--format", "json", "--as-of", "2026-11-22")
    current = json.loads(result.stdout)["targets"][0]["current"]
    assert current["period"] == "2024"
    assert current["source"]["url"].startswith("http://www.changchun.gov.cn/")


def test_show_labels_what_was_not_used_and_why() -> None:
    out = run("show", "tourism-revenue", "--as-of", "2024-06-30").stdout
    assert re.search(r"2017 .*not used \(before the base\)", out)
    assert re.search(r"2023 .* used: base", out)  # the tourism plan's base year (start 2024)
    # The city-wide automotive output value: only changes (2022, 2023) of its own scope.
    out = run("show", "auto-output-value", "--as-of", "2024-06-30").stdout
    assert "not used (a change with no value beside it)" in out
    # no value of its own after the base yet, and the plan runs to 2025: pending
    assert re.search(r"verdict +│ pending", out)


def test_linear_show_prints_linear_thresholds(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "targets.yaml").write_text(
        "targets:\n  - {id: t, name: T, scope: C, unit: yuan, target: 200, deadline: 2025,"
        " start: 2021, source: {title: s}}\n", encoding="utf-8")  # fmt: skip
    (d / "observations.yaml").write_text(
        "observations:\n  - {target: t, period: 2020, value: 100, source: {title: s}}\n"
        "  - {target: t, period: 2023, value: 158, source: {title: s}}\n",
        encoding="utf-8",
    )
    out = run("show", "t", "--data", str(d), "--method", "linear", "--as-of", "2024-06-01").stdout
    # expected_now = 100 + 100 * 3/5 = 160; R = 58/60 < 1: not on track by the linear rule
    assert "acceleration needed" in out
    assert "on track: ahead by ≥ 0 (R ≥ 1)" in out


def test_csv_carries_unrounded_numbers(data: Path) -> None:
    out = run("status", "--data", str(data), "--as-of", AS_OF, "--format", "csv").stdout
    rows = csv_rows(out)
    payload = json.loads(run("status", "--data", str(data), "--as-of", AS_OF,
                             "--format", "json").stdout)  # fmt: skip
    for row, target in zip(rows, payload["targets"], strict=True):
        assert row["target_value"] == str(target["target"])
        expected = "" if target["progress"] is None else repr(target["progress"])
        assert row["progress_fraction"] == expected


def test_a_derived_value_names_the_stated_value_it_comes_from(tmp_path: Path) -> None:
    """JSON traces a derived value to both entries: the change (line, source) and the stated
    level it multiplies (from_line, from_source)."""
    d = write_data(tmp_path / "d", [tgt("t")], [ob("t", 2020, 50), ob("t", 2022, 60),
                                                 ob("t", 2023, None, change="+10%")])  # fmt: skip
    (t,) = status_json(d)["targets"]
    derivation = t["current"]["derivation"]
    assert (t["current"]["period"], derivation["from_period"]) == ("2023", "2022")
    from cctrack.dataset import load_dataset

    by_line = {e.model.line: e.model for e in load_dataset(d).observations}
    stated = by_line[derivation["from_line"]]
    assert stated.value is not None
    assert (stated.period.text, stated.value.value) == ("2022", Decimal(60))
    assert by_line[t["current"]["line"]].change is not None  # the entry with the +10%
    assert derivation["from_source"] == t["base"]["source"]  # one source in this data set
