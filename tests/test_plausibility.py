"""Implausible data is caught: changes that disagree with their values, 10-fold jumps, bare
numbers, figures after the deadline, and revisions (docs/data-format.md §9)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.cli import app

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "CCTRACK_DATA": None})
SRC = "{title: S, url: 'https://example.org/s', published: 2025-03-01}"


def target(tid: str, unit: str, value: str, deadline: int = 2025) -> str:
    return (
        f"  - id: {tid}\n    name: {tid}\n    scope: City\n    unit: {unit}\n"
        f"    target: {value}\n    deadline: {deadline}\n    start: 2021\n    source: {SRC}\n"
    )


def write(tmp_path: Path, targets: str, observations: str) -> Path:
    d = tmp_path / "data"
    d.mkdir(parents=True, exist_ok=True)
    (d / "targets.yaml").write_text("targets:\n" + targets, encoding="utf-8")
    (d / "observations.yaml").write_text("observations:\n" + observations, encoding="utf-8")
    return d


def obs(tid: str, period: Any, value: str | None = None, **fields: str) -> str:
    lines = [f"  - target: {tid}", f"    period: {period}"]
    if value is not None:
        lines.append(f"    value: {value}")
    lines += [f"    {k}: {v}" for k, v in fields.items()]
    lines.append(f"    source: {SRC}")
    return "\n".join(lines) + "\n"


def problems(d: Path, as_of: str = "2025-06-30") -> list[dict[str, Any]]:
    result = runner.invoke(app, ["validate", "--data", str(d), "--format", "json",
                                 "--as-of", as_of])  # fmt: skip
    return [p for p in json.loads(result.stdout) if p["code"] not in {"overdue-release"}]


def codes(d: Path, as_of: str = "2025-06-30") -> list[tuple[str, int, int]]:
    return [(p["code"], p["line"], p["col"]) for p in problems(d, as_of)]


# --- inconsistent-change -------------------------------------------------------------------------


def test_a_change_that_disagrees_with_its_two_values(tmp_path: Path) -> None:
    """75 bn (2023) → 90.02 bn (2024) is +20.0%; the source's own +7.1% is not."""
    d = write(
        tmp_path,
        target("opto", "yuan", "'1000亿元'"),
        obs("opto", 2023, "750亿元") + obs("opto", 2024, "90.02 billion yuan", change="'+7.1%'"),
    )
    (p,) = problems(d)
    assert (p["code"], p["line"], p["col"], p["severity"]) == ("inconsistent-change", 9, 13,
                                                                 "warning")  # fmt: skip
    assert p["message"].startswith(
        "opto 2024 +7.1% disagrees with 750亿元 (2023, line 2) → 90.02 billion yuan (2024, "
        "line 6): that is +20.0%"
    )


def test_a_change_against_a_lower_bound(tmp_path: Path) -> None:
    """115,000 (+43.7%) in 2024 implies 80,000 for 2023, where the data holds "over 85,000"."""
    d = write(
        tmp_path,
        target("hongqi", "vehicles", "'300,000'"),
        obs("hongqi", 2023, "'over 85,000'") + obs("hongqi", 2024, "'115,000'", change="'+43.7%'"),
    )
    (p,) = problems(d)
    assert (p["code"], p["line"]) == ("inconsistent-change", 9)
    assert "≥ 85,000" not in p["message"] and "over 85,000 (2023, line 2)" in p["message"]
    assert "that is +35.3%" in p["message"]
    # a change within what the bound allows is no finding
    d2 = write(
        tmp_path / "ok",
        target("hongqi", "vehicles", "'300,000'"),
        obs("hongqi", 2023, "'over 85,000'") + obs("hongqi", 2024, "'115,000'", change="'+30%'"),
    )
    assert problems(d2) == []


IND = target("ind", "yuan", "'9000亿元'")
BREAK_HINT = "mark this entry 'break: true'"


def test_a_preliminary_change_is_checked_against_its_own_level(tmp_path: Path) -> None:
    # 7000亿 → 7500亿 is +7.1%, as the preliminary says; the final's 7600亿 would make it +8.6%
    d = write(tmp_path, IND, obs("ind", 2022, "7000亿元")
              + obs("ind", 2023, "7500亿元", change="'+7.1%'", estimate="preliminary")
              + obs("ind", 2023, "7600亿元", change="'+8.6%'"))  # fmt: skip
    assert [p for p in problems(d) if p["code"] == "inconsistent-change"] == []


def test_a_preliminary_change_is_not_checked_against_the_final_s_derived_level(
    tmp_path: Path,
) -> None:
    # the final (a new basis) derives 2022 as 7522.4 / 1.089; the preliminary's +8.5% revises
    # the year's change, it does not contradict a level of its own estimate
    d = write(tmp_path, IND, obs("ind", 2022, "7953亿元")
              + obs("ind", 2023, "7500亿元", change="'+8.5%'", estimate="preliminary")
              + obs("ind", 2023, "7522.4亿元", change="'+8.9%'", **{"break": "true"}))  # fmt: skip
    assert [p for p in problems(d) if p["code"] == "inconsistent-change"] == []


def test_one_warning_for_one_change_against_one_pair_of_levels(tmp_path: Path) -> None:
    d = write(tmp_path, IND, obs("ind", 2022, "3900亿元")
              + obs("ind", 2023, "3165亿元", change="'+11.9%'", estimate="preliminary")
              + obs("ind", 2023, "3165.4亿元", change="'+11.9%'"))  # fmt: skip
    (p,) = [p for p in problems(d) if p["code"] == "inconsistent-change"]
    assert p["line"] == 15 and "→ 3165.4亿元 (2023, line 12): that is -18.8%" in p["message"]
    assert BREAK_HINT in p["message"]  # a rise stated, a fall between the levels: a new basis?


def test_break_is_suggested_only_where_a_new_basis_would_explain_the_gap(tmp_path: Path) -> None:
    # +17.4% against +11.3%: six points, a revision or another source's rate, not a new basis
    d = write(tmp_path, target("hq", "vehicles", "'500,000'"), obs("hq", 2023, "370,000")
              + obs("hq", 2024, "411,777", change="'+17.4%'"))  # fmt: skip
    (p,) = [p for p in problems(d) if p["code"] == "inconsistent-change"]
    assert "that is +11.3%" in p["message"] and BREAK_HINT not in p["message"]


def test_rounding_of_the_figures_as_written_is_tolerated(tmp_path: Path) -> None:
    # 241.11 / 78.14 - 1 = +208.56%: the same figure, rounded as published
    d = write(
        tmp_path,
        target("tour", "yuan", "'3600亿元'"),
        obs("tour", 2022, "78.14 billion") + obs("tour", 2023, "241.11 billion",
                                                 change="'+208.56%'"),
    )  # fmt: skip
    assert problems(d) == []


# --- implausible-jump and bare-number ------------------------------------------------------------

TOURISM = target("tourism-revenue", "yuan", "'3600亿元'")
TOURISM_OBS = obs("tourism-revenue", 2023, "241.11 billion yuan")


def test_a_tenfold_jump_is_a_warning_in_validate(tmp_path: Path) -> None:
    d = write(tmp_path, TOURISM, TOURISM_OBS + obs("tourism-revenue", 2024, "170 million"))
    (p,) = problems(d)
    assert (p["code"], p["line"], p["col"]) == ("implausible-jump", 8, 12)
    assert "170 million is 1/1418 of 241.11 billion yuan (2023, line 2)" in p["message"]
    assert "'170 million' is read as 170,000,000 yuan" in p["message"]


def test_of_two_siblings_ten_times_apart_only_the_one_off_the_target_is_named(
    tmp_path: Path,
) -> None:
    # 400亿 is within 10 times the target of 3600亿, so only its 4000亿 sibling shows it is off
    good, lost = obs("tourism-revenue", 2024, "4000亿元"), obs("tourism-revenue", 2024, "400亿元")
    for first, second in ((good, lost), (lost, good)):
        d = write(tmp_path, TOURISM, first + second)
        jumps = [p for p in problems(d) if p["code"] == "implausible-jump"]
        assert [p["line"] for p in jumps] == [4 if first is lost else 8]
        assert jumps[0]["message"].startswith("tourism-revenue 2024: 400亿元 is 1/10 of 4000亿元")


@pytest.mark.parametrize(
    ("level", "derived"),
    [("3026亿元", "2420.8亿元"), ("302.6 billion yuan", "242.08 billion yuan")],
)
def test_a_derived_level_is_shown_as_its_line_writes_values(
    tmp_path: Path, level: str, derived: str
) -> None:
    # 3026亿 at +25% derives 2420.8亿 for 2023, against which the other entry's +24.4% is checked
    d = write(tmp_path, TOURISM, obs("tourism-revenue", 2024, level, change="'+25%'")
              + obs("tourism-revenue", 2024, "'突破3000亿元'", change="'+24.4%'"))  # fmt: skip
    (p,) = [p for p in problems(d) if p["code"] == "inconsistent-change"]
    assert f"disagrees with {derived} (2023, derived from line 2) → " in p["message"]


def test_a_bare_number_is_a_warning(tmp_path: Path) -> None:
    d = write(tmp_path, TOURISM, obs("tourism-revenue", 2023, "300"))
    found = problems(d)
    assert [p["code"] for p in found] == ["bare-number", "implausible-jump"]
    assert "'300' has no unit or scale word and is read as 300 yuan" in found[0]["message"]
    assert "write '300 yuan' if that is meant" in found[0]["message"]


def test_add_observation_refuses_a_jump_and_force_records_it_with_the_reason(
    tmp_path: Path,
) -> None:
    d = write(tmp_path, TOURISM, TOURISM_OBS)
    path = d / "observations.yaml"
    before = path.read_bytes()
    args = ["add-observation", "tourism-revenue", "2024", "170 million", "--source", "Report",
            "--data", str(d)]  # fmt: skip
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1
    assert "[implausible-jump]" in refused.stderr and "--force" in refused.stderr
    assert path.read_bytes() == before
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith(before.decode("utf-8"))
    assert 'note: "recorded with --force: tourism-revenue 2024: 170 million is 1/1418' in text


# --- after-deadline ------------------------------------------------------------------------------


def test_an_observation_after_the_deadline_is_a_warning_and_context(tmp_path: Path) -> None:
    d = write(
        tmp_path,
        target("nev", "vehicles", "'700,000'"),
        obs("nev", 2020, "'100,000'") + obs("nev", 2023, "'500,000'")
        + obs("nev", 2030, "'900,000'", estimate="expected"),
    )  # fmt: skip
    assert ("after-deadline", 11, 13) in codes(d, "2031-06-30")
    doc = json.loads(runner.invoke(app, ["status", "--data", str(d), "--format", "json",
                                         "--as-of", "2031-06-30"]).stdout)  # fmt: skip
    (t,) = doc["targets"]
    assert t["current"]["period"] == "2023"  # never the 2030 figure
    roles = {(o["line"], o["period"], o["role"]) for o in t["observations"]}
    assert (10, "2030", "after-deadline") in roles


# --- revisions -----------------------------------------------------------------------------------


def test_a_revision_is_shown_and_counted_as_a_note(tmp_path: Path) -> None:
    early = "{title: Early, url: 'https://example.org/e', published: 2024-01-10}"
    d = write(
        tmp_path,
        target("gdp", "yuan", "'1 trillion'", deadline=2030),
        obs("gdp", 2021, "6500亿元")
        + f"  - target: gdp\n    period: 2023\n    value: 7200亿元\n    estimate: preliminary\n"
        f"    source: {early}\n"
        + obs("gdp", 2023, "7002.1亿元"),
    )  # fmt: skip
    assert problems(d, "2025-06-30") == []
    args = ["--data", str(d), "--as-of", "2025-06-30"]
    doc = json.loads(runner.invoke(app, ["status", "--format", "json", *args]).stdout)
    (t,) = doc["targets"]
    (revised,) = [n for n in t["note_codes"] if n["code"] == "revised"]
    assert revised["values"] == {
        "period": "2023", "from_value": 720000000000, "from_estimate": "preliminary",
        "from_published": "2024-01-10", "to_value": 700210000000,
    }  # fmt: skip
    show = runner.invoke(app, ["show", "gdp", *args]).stdout
    assert "2023 revised from 720 bn yuan (preliminary (2024-01-10)) to 700.21 bn yuan" in " ".join(
        show.split()
    )


@pytest.mark.parametrize("args", [["--format", "json"], ["--format", "github"]])
def test_the_new_codes_reach_json_and_github(tmp_path: Path, args: list[str]) -> None:
    d = write(tmp_path, TOURISM, TOURISM_OBS + obs("tourism-revenue", 2024, "170 million"))
    out = runner.invoke(app, ["validate", "--data", str(d), *args, "--as-of", "2025-06-30"])
    assert "implausible-jump" in out.stdout


# --- fixes from the review of the shipped data -------------------------------------------------


def test_no_overdue_figure_before_its_first_year_has_ended(tmp_path: Path) -> None:
    """A 15th-plan target (start 2026) has no figure of its own during 2026: nothing overdue
    then, nor in the 30 days' grace after the 2026 figure's expected date (the work report,
    about 2027-01-15); overdue from 2027-02-15 when nothing came."""
    t = target("nev", "vehicles", "'700,000'", 2030).replace("start: 2021", "start: 2026")
    releases = "releases:\n  - {id: report, name: work report, cadence: annual, delay_days: 15, "
    releases += "kinds: [annual]}\n"
    d = write(tmp_path, t + releases, "")

    def overdue(as_of: str) -> list[str]:
        result = runner.invoke(app, ["validate", "--data", str(d), "--format", "json",
                                     "--as-of", as_of])  # fmt: skip
        return [p["code"] for p in json.loads(result.stdout) if p["code"] == "overdue-release"]

    assert overdue("2026-11-29") == []
    assert overdue("2027-02-14") == []
    assert overdue("2027-02-15") == ["overdue-release"]


def test_a_figure_of_another_scope_is_not_measured_against_the_target(tmp_path: Path) -> None:
    """A province's figure beside a city target is 10 times the target by nature: no
    implausible-jump unless its own scope's values disagree."""
    t = target("nev", "vehicles", "'700,000'")
    province = obs("nev", 2023, "'9,000,000'", scope="Jilin")
    d = write(tmp_path, t, obs("nev", 2020, "'100,000'") + province)
    assert [c for c in codes(d) if c[0] == "implausible-jump"] == []
    d = write(tmp_path / "b", t, province + obs("nev", 2024, "'900'", scope="Jilin"))
    # two figures of Jilin 10,000 times apart, with no yardstick of their scope: both are named
    assert len([c for c in codes(d) if c[0] == "implausible-jump"]) == 2


# --- inconsistent-change: figures as written, one warning per change, superseded entries -------

HONGQI = target("hq", "vehicles", "'600,000'")


@pytest.mark.parametrize(("change", "warned"), [("'+11.9%'", False), ("'+17.4%'", True)])
def test_a_level_is_read_at_the_precision_it_is_written_with(
    tmp_path: Path, change: str, warned: bool
) -> None:
    # 411,777 → 46万 is +11.71%; 46万 is written to 万 (± 5,000), so the levels allow
    # +10.45% to +12.97% (0.05 points for +11.9% and ± 1.09% + 0.0001% of each level × 1.117),
    # and +11.9% fits. Read to three digits (46.0万, ± 500) they would allow only +11.54% to
    # +11.88%. A change far off, +17.4%, is still a disagreement.
    d = write(tmp_path, HONGQI, obs("hq", 2024, "411,777") + obs("hq", 2025, "46万辆",
                                                                 change=change))  # fmt: skip
    found = [p for p in problems(d, "2026-06-30") if p["code"] == "inconsistent-change"]
    assert bool(found) is warned, found
    if warned:
        assert "that is +11.7% (tolerance ± 1.26 points" in found[0]["message"]


@pytest.mark.parametrize(
    ("change", "warned"), [("'+5.0%'", True), ("'+5%'", False), ("'+5.3%'", False)]
)
def test_a_change_is_read_at_the_digits_it_is_written_with(
    tmp_path: Path, change: str, warned: bool
) -> None:
    # 1000.00亿 → 1053.00亿 is +5.30%. "+5.0%" is written to a tenth of a point (4.95-5.05%):
    # it disagrees. "+5%" is a whole percentage (4.5-5.5%): it agrees, as "+5.3%" does.
    levels = obs("g", 2023, "1000.00亿元") + obs("g", 2024, "1053.00亿元", change=change)
    d = write(tmp_path, target("g", "yuan", "'1100亿元'"), levels)
    found = [p for p in problems(d, "2026-06-30") if p["code"] == "inconsistent-change"]
    assert bool(found) is warned, found
    if warned:
        assert "that is +5.3% (tolerance ± 0.05 points" in found[0]["message"]


@pytest.mark.parametrize(
    ("text", "precision"),
    [("+20%", "0.005"), ("+20.0%", "0.0005"), ("+6.6%", "0.0005"), ("+5.0%", "0.0005"),
     ("+5.10%", "0.00005"), ("-3%", "0.005"), ("+1.2pp", "0.0005"), ("+0.50%", "0.00005")],
)  # fmt: skip
def test_change_precision_is_half_the_last_written_digit(text: str, precision: str) -> None:
    from decimal import Decimal

    from cctrack.consistency import change_precision
    from cctrack.quantity import parse_change

    assert change_precision(parse_change(text).value) == Decimal(precision)


OPTO = target("opto", "yuan", "'1000亿元'")


def test_one_change_stated_by_three_entries_is_one_warning_naming_the_others(
    tmp_path: Path,
) -> None:
    d = write(tmp_path, OPTO, obs("opto", 2023, "750亿元")
              + obs("opto", 2024, "'突破900亿元'", change="'+7.1%'")  # entry at line 6
              + obs("opto", 2024, "900.2亿元", change="'+7.1%'")  # line 11, the year's level
              + obs("opto", 2024, change="'+7.1%'"))  # line 16  # fmt: skip
    (p,) = [p for p in problems(d) if p["code"] == "inconsistent-change"]
    assert p["line"] == 14 and "→ 900.2亿元 (2024, line 11): that is +20.0%" in p["message"]
    assert p["message"].endswith("; the same change is stated on lines 6, 16")


def test_one_change_stated_beside_a_level_without_one_is_one_warning(tmp_path: Path) -> None:
    d = write(tmp_path, OPTO, obs("opto", 2023, "750亿元") + obs("opto", 2024, "900.2亿元")
              + obs("opto", 2024, change="'+7.1%'") + obs("opto", 2024, change="'+7.1%'")
              + obs("opto", 2024, change="'+8%'"))  # fmt: skip
    found = [p for p in problems(d) if p["code"] == "inconsistent-change"]
    # entries at lines 2, 6, 10, 14 and 18; a change on the third line of its entry
    assert [(p["line"], p["message"][:14]) for p in found] == [
        (12, "opto 2024 +7.1"),
        (20, "opto 2024 +8.0"),
    ]
    assert found[0]["message"].endswith("; the same change is stated on line 14")
    assert "the same change" not in found[1]["message"]


def test_a_preliminary_superseded_by_a_final_with_a_change_is_not_checked_again(
    tmp_path: Path,
) -> None:
    # the speech as a news service reprinted it (preliminary), then the posted report (final):
    # both disagree with the 2022 level for one reason, a new basis; the final says it once
    cns = "{title: Reprint, publisher: News service, url: 'https://example.org/r'}"
    d = write(tmp_path, IND, obs("ind", 2022, "7953亿元")
              + obs("ind", 2023, "7500亿元", change="'+8.5%'", estimate="preliminary").replace(
                  SRC, cns)
              + obs("ind", 2023, "7522.4亿元", change="'+8.9%'"))  # fmt: skip
    (p,) = [p for p in problems(d) if p["code"] == "inconsistent-change"]
    assert p["line"] == 15 and "+8.9% disagrees" in p["message"]
    # a final without a change does not check the year's change: the preliminary's is checked
    d2 = write(tmp_path / "value-only", IND, obs("ind", 2022, "7953亿元")
               + obs("ind", 2023, "7500亿元", change="'+8.5%'", estimate="preliminary")
               + obs("ind", 2023, "7522.4亿元"))  # fmt: skip
    (p2,) = [p for p in problems(d2) if p["code"] == "inconsistent-change"]
    assert p2["line"] == 9 and "+8.5% disagrees" in p2["message"]


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [("46万辆", "460000", "5000"), ("突破45万辆", "450000", "5000"),
     ("3165.4亿元", "3.1654e11", "5e6"), ("300亿元", "3e10", "5e7"), ("700,000", "700000", "500"),
     ("8900万人次", "8.9e7", "5e4"),
     ("411,777", "411777", "0.5"), ("2.1 million", "2.1e6", "5e4"), ("1,000", "1000", "5")],
)  # fmt: skip
def test_written_precision_is_half_the_last_written_digit(
    text: str, value: str, precision: str
) -> None:
    from decimal import Decimal

    from cctrack.consistency import written_precision

    assert written_precision(text, Decimal(value)) == Decimal(precision)


@given(st.integers(1, 10**9), st.integers(0, 4), st.sampled_from(["", "万", "亿"]))
def test_a_figure_as_written_is_never_more_precise_than_its_three_digit_reading(
    number: int, places: int, scale: str
) -> None:
    from decimal import Decimal

    from cctrack.consistency import value_precision, written_precision
    from cctrack.quantity import parse_quantity

    # a zero written after the point is a written digit ("7.0" ± 0.05), which the three-digit
    # reading of the value drops; any other figure is read at least as widely as written
    assume(places == 0 or number % 10)
    numeral = Decimal(number).scaleb(-places)
    text = f"{numeral}{scale}"
    value = parse_quantity(text).value
    assert written_precision(text, value) >= value_precision(value)
