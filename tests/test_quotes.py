"""Every figure checked against the sentence it came from (docs/data-format.md §11)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.dataset import load_dataset
from cctrack.quantity import Bound
from cctrack.quotes import check_quote, figures

D = Decimal
runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1", "CCTRACK_DATA": None})
FAW = "一汽在长生产整车156万辆、完成产值3165亿元，分别增长14.6%和11.9%"
PAIRS = "产量12万辆、产值45亿元，分别增长15.6%、24.4%"
TOURISM_PLAN = (
    "During the 14th Five - Year Plan period, Changchun is expected to receive 680 million "
    "tourists and generate a total tourism expenditure of RMB 1.18 trillion, representing a 66% "
    "and 40% increase respectively compared to the 13th Five - Year Plan."
)


@pytest.mark.parametrize(
    ("quote", "value", "change", "bound", "expected"),
    [
        (FAW, D("316.5e9"), None, Bound.exact, None),
        (FAW, D("316.5e9"), D("0.119"), Bound.exact, None),
        (FAW, D("1560000"), D("0.146"), Bound.exact, None),
        (FAW, D("316.5e9"), D("0.146"), Bound.exact, "pair"),
        (FAW, D("316e9"), None, Bound.exact, "value"),
        ("旅游总收入突破3000亿元", D("300e9"), None, Bound.exact, "bound"),
        ("旅游总收入突破3000亿元", D("300e9"), None, Bound.at_least, None),
        ("旅游总收入3000亿元", D("300e9"), None, Bound.at_least, "bound"),
        ("接待游客1.7亿人次", D("170e6"), None, Bound.exact, None),
        (PAIRS, D("4.5e9"), D("0.156"), Bound.exact, "pair"),
        (PAIRS, D("4.5e9"), D("0.244"), Bound.exact, None),
        ("全年實現旅遊總收入3165億元", D("316.5e9"), None, Bound.exact, None),  # traditional
        ("旅游总收入３１６５亿元，增长２４．４％", D("316.5e9"), D("0.244"), Bound.exact, None),
        ("tourism revenue of over 300 billion yuan, up 24.4%", D("300e9"), D("0.244"),
         Bound.at_least, None),
        ("GDP grew 5.2%", None, D("0.052"), Bound.exact, None),
        ("GDP grew 5.2%", None, D("0.05"), Bound.exact, "change"),
        ("城镇化率提高1.2个百分点", None, D("0.012"), Bound.exact, "points"),
        # compound numerals, falls, words in other languages (found entering the 2024-25 data)
        ("国内観光総収入は2888億5800万元に達し", D("288.858e9"), None, Bound.exact, None),
        ("前年比17.4%増の41万1777台となった", D("411777"), D("0.174"), Bound.exact, None),
        ("生产新能源汽车8万5千台余", D("85000"), None, Bound.at_least, None),
        ("生产新能源汽车3万5千辆", D("35000"), None, Bound.exact, None),
        ("自動車販売台数は157万1000台を突破", D("1571000"), None, Bound.at_least, None),
        ("规模以上工业增加值下降13.9%", None, D("-0.139"), Bound.exact, None),
        ("规模以上工业增加值下降13.9%", None, D("0.139"), Bound.exact, "change"),
        ("output grew 7.1 percent", None, D("0.071"), Bound.exact, None),
        ("sales exceeded 100,000", D("100000"), None, Bound.at_least, None),
        ("約210萬輛", D("2.1e6"), None, Bound.exact, "bound"),  # 約: about
        ("粮食产量260亿斤以上", D("26e9"), None, Bound.at_least, None),
        ("收入2亿5", D("2e8"), None, Bound.exact, None),  # no compound: 2亿 and 5
        ("全市高新技术企业达到2000", D("2000"), None, Bound.exact, None),  # no year: a figure
        ("sales of 2000 in 2024", D("2024"), None, Bound.exact, "value"),  # "in 2024": a year
        ("经济总量迈上万亿元台阶", D("1e12"), None, Bound.exact, None),  # 万亿 alone: 1万亿
        ("打造千亿级产业集群", D("1e11"), None, Bound.exact, None),
        ("推动汽车产业迈向万亿级", D("1e12"), None, Bound.exact, None),
        # Korean scales after a digit (억 亿, 만 万): "억원" here is 亿元, as the entry records
        ("영업수입은 7,070억원에 달했는데 동기대비 1.4% 성장했고", D("707e9"), D("0.014"),
         Bound.exact, None),
        ("판매량은 10만대", D("1e5"), None, Bound.exact, None),
        # an ordinal is no figure: with "14th" and "13th" read, the quote had four amounts for
        # two rates and "respectively" could not pair them
        (TOURISM_PLAN, D("680e6"), D("0.66"), Bound.exact, None),
        (TOURISM_PLAN, D("680e6"), D("0.40"), Bound.exact, "pair"),
        ("the 14th Five-Year Plan", D("14"), None, Bound.exact, "value"),
        ("第14个五年规划", D("14"), None, Bound.exact, "value"),
    ],
)  # fmt: skip
def test_quote_and_entry_pairs(
    quote: str, value: Decimal | None, change: Decimal | None, bound: Bound, expected: str | None
) -> None:
    points = expected == "points"
    found = check_quote(quote, value, change, bound, points=points)
    if expected in (None, "points"):
        assert (found.mismatch, found.bound) == (None, None), found
    elif expected == "bound":
        assert found.mismatch is None and found.bound is not None
    else:
        assert found.mismatch == expected


def test_an_approximate_figure_needs_an_approximate_entry() -> None:
    assert check_quote("约500人", D(500), None, approx=False).bound == "约500人"
    assert check_quote("约500人", D(500), None, approx=True).bound is None
    assert check_quote("500人左右", D(500), None, approx=True).bound is None


def test_figures_are_read_in_order_as_written() -> None:
    assert [f.text for f in figures(FAW)] == ["156万辆", "3165亿元", "14.6%", "11.9%"]


@pytest.mark.parametrize(
    ("quote", "texts"),
    [("1~9月期の国内観光客数は1億8170万人", ["1.817亿人"]),  # months, no trailing zeros
     ("国内観光総収入は2888億5800万元に達し", ["2888.58亿元"]),
     ("2023年1-9月增长5%，12月增长3%", ["5%", "3%"]),
     ("1至9月接待游客", []),
     ("spending of 302.6 billion yuan in 2024", ["302.6 billion yuan"]),
     ("the plan period (2021-2025)", []),
     ("2021-2025年", []), ("since 2020, 1900 firms", ["1900"]),
     # ordinals: the 14th plan, 第14个 (第十四个 and 十四五 have no digits)
     ("the 14th plan, the 1st, 2nd and 3rd year", []), ("第14个五年规划", []),
     ("第十四个五年规划", []), ("十四五期间增长5%", ["5%"]),
     ("the 4th quarter: 5 thousand", ["5 thousand"])],
)  # fmt: skip
def test_years_and_months_are_no_figures(quote: str, texts: list[str]) -> None:
    assert [f.text for f in figures(quote)] == texts


SRC = {"title": "Work report", "url": "https://example.org/r", "published": "2025-02-25"}


def write(tmp_path: Path, observations: list[dict[str, Any]], quote: str | None = None) -> Path:
    d = tmp_path / "data"
    d.mkdir(parents=True, exist_ok=True)
    target = {"id": "faw-output", "name": "FAW output value", "scope": "Changchun",
              "unit": "yuan", "target": "4000亿元", "deadline": 2025, "start": 2021,
              "source": SRC, **({"quote": quote} if quote else {})}  # fmt: skip
    (d / "targets.yaml").write_text(
        yaml.safe_dump({"targets": [target]}, allow_unicode=True), encoding="utf-8"
    )
    (d / "observations.yaml").write_text(
        yaml.safe_dump({"observations": observations}, allow_unicode=True), encoding="utf-8"
    )
    return d


def problems(d: Path, *args: str) -> list[dict[str, Any]]:
    result = runner.invoke(app, ["validate", "--data", str(d), "--format", "json",
                                 "--as-of", "2025-06-30", *args])  # fmt: skip
    return [p for p in json.loads(result.stdout) if p["code"].startswith("quote")]


def test_validate_reports_a_mismatch_with_what_the_quote_says(tmp_path: Path) -> None:
    d = write(tmp_path, [{"target": "faw-output", "period": 2024, "value": "3156亿元",
                          "change": "+11.9%", "quote": FAW, "source": SRC}])  # fmt: skip
    (p,) = problems(d)
    lines = (d / "observations.yaml").read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines, 1) if line.lstrip().startswith("quote:"))
    assert (p["code"], p["severity"], p["line"]) == ("quote-mismatch", "warning", at)
    assert p["message"] == (
        "faw-output 2024: the value recorded is not what the quote says; the quote states "
        "156万辆, 3165亿元, 14.6%, 11.9%"
    )


def test_validate_reports_a_bound_mismatch(tmp_path: Path) -> None:
    d = write(tmp_path, [{"target": "faw-output", "period": 2024, "value": "3000亿元",
                          "quote": "产值突破3000亿元", "source": SRC}],
              quote="到2025年，一汽产值达到4000亿元")  # fmt: skip
    (p,) = problems(d)
    assert p["code"] == "quote-bound-mismatch"
    assert "the quote says '突破3000亿元', the entry records the value as exact" in p["message"]


def test_a_relative_target_s_quote_is_not_checked(tmp_path: Path) -> None:
    d = write(tmp_path, [])
    doc = yaml.safe_load((d / "targets.yaml").read_text(encoding="utf-8"))
    doc["targets"].append({"id": "gdp-vs-china", "name": "GDP growth above China's",
                           "scope": "Changchun", "kind": "growth", "unit": "yuan",
                           "target": "0%", "benchmark": {"scope": "China", "relation": "above"},
                           "deadline": 2025, "start": 2021, "source": SRC,
                           "quote": "地区生产总值增速高于全国平均水平"})  # fmt: skip
    (d / "targets.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert problems(d) == []


def test_computed_figures_are_exempt_and_need_a_reason(tmp_path: Path) -> None:
    entry = {"target": "faw-output", "period": 2023, "value": "2800亿元", "stated": False,
             "source": SRC}  # fmt: skip
    d = write(tmp_path, [{**entry, "note": "3165亿元 / 1.119"}])
    assert problems(d) == []
    d2 = write(tmp_path / "no-note", [entry])
    result = runner.invoke(app, ["validate", "--data", str(d2), "--format", "json"])
    assert any(p["code"] == "missing-field" and "stated: false" in p["message"]
               for p in json.loads(result.stdout))  # fmt: skip


def test_strict_lists_entries_without_a_quote(tmp_path: Path) -> None:
    d = write(tmp_path, [{"target": "faw-output", "period": 2024, "value": "3165亿元",
                          "source": SRC}])  # fmt: skip
    assert problems(d) == []
    strict = problems(d, "--strict")
    assert [p["code"] for p in strict] == ["quote-missing", "quote-missing"]
    result = runner.invoke(app, ["validate", "--data", str(d), "--strict", "--as-of",
                                 "2025-06-30"])  # fmt: skip
    assert result.exit_code == 0 and "2 entries without a quote" in result.stderr  # info: lists


@pytest.mark.parametrize(
    "quote",
    ['他说："产值3165亿元"', "a: b # not a comment", "line one\nline two", "  leading space",
     "3165亿元。", "'single' and \"double\""],
)  # fmt: skip
def test_add_observation_round_trips_the_quote(tmp_path: Path, quote: str) -> None:
    d = write(tmp_path, [])
    result = runner.invoke(app, ["add-observation", "faw-output", "2024", "3165亿元",
                                 "--source", "https://example.org/r", "--quote", quote,
                                 "--data", str(d)])  # fmt: skip
    assert result.exit_code == 0, result.output
    (entry,) = load_dataset(d).observations
    assert entry.model.quote == quote


def test_show_json_and_report_carry_the_quote(tmp_path: Path) -> None:
    d = write(tmp_path, [{"target": "faw-output", "period": 2024, "value": "3165亿元",
                          "change": "+11.9%", "quote": FAW, "source": SRC}],
              quote="到2025年一汽产值4000亿元")  # fmt: skip
    args = ["--data", str(d), "--as-of", "2025-06-30"]
    wide = CliRunner(env={"COLUMNS": "400", "NO_COLOR": "1", "CCTRACK_DATA": None})
    show = wide.invoke(app, ["show", "faw-output", *args]).stdout
    assert f"“{FAW}”" in show and "“到2025年一汽产值4000亿元”" in show
    doc = json.loads(runner.invoke(app, ["status", "--format", "json", *args]).stdout)
    (t,) = doc["targets"]
    assert t["quote"] == "到2025年一汽产值4000亿元"
    assert t["observations"][0]["quote"] == FAW and t["current"]["quote"] == FAW
    out = tmp_path / "r.html"
    runner.invoke(app, ["report", "--html", str(out), *args])
    assert f'<q class="quote">{FAW}</q>' in out.read_text(encoding="utf-8")


def test_the_quote_reader_knows_every_qualifier_of_the_data_files() -> None:
    """One vocabulary: a qualifier the files accept qualifies a figure of a quote too, and the
    longest word wins ("不超过" is at most, not the "超过" inside it)."""
    from cctrack.quantity import PREFIXES, SUFFIXES, parse_quantity

    for word in PREFIXES:
        (f,) = figures(f"{word} 500")
        q = parse_quantity(f"{word} 500")
        assert (f.bound, f.approx) == (q.bound, q.approx), word
    for word in SUFFIXES:
        (f,) = figures(f"500{word}")
        q = parse_quantity(f"500{word}")
        assert (f.bound, f.approx) == (q.bound, q.approx), word
    (f,) = figures("不超过3%")
    assert f.bound is Bound.at_most
