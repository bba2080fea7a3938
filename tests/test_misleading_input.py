"""Input that misleads, refused or flagged at entry (issue 20, item 7): a value 10 times off a
same-period sibling, a bare number on a growth target, a full-period value for a period that has
not ended, traditional 萬/億 and RMB/¥/CNY, and a duplicate whose URL differs only by scheme or
a trailing slash."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from cctrack.cli import app
from cctrack.quantity import parse_quantity

FIRST = Path(__file__).parent / "fixtures" / "first-data"
URL = "https://example.org/tourism/2024-report"


def data(tmp_path: Path) -> Path:
    d = tmp_path / "d"
    shutil.copytree(FIRST, d)
    for f in d.iterdir():
        f.chmod(0o644)
    return d


def add(d: Path, *args: str) -> Result:
    result = CliRunner().invoke(app, ["add-observation", *args, "--data", str(d)])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize(
    ("text", "value"),
    [("3165億元", Decimal("3.165e11")), ("2萬人", Decimal(20000)), ("超過3億元", Decimal("3e8")),
     ("RMB 143.63 billion", Decimal("1.4363e11")), ("¥300亿", Decimal("3e10")),
     ("￥300亿", Decimal("3e10")), ("CNY 5 million", Decimal("5e6"))],
)  # fmt: skip
def test_traditional_scales_and_currency_prefixes_read_as_yuan(text: str, value: Decimal) -> None:
    q = parse_quantity(text)
    assert q.value == value
    assert q.unit == ("people" if "人" in text else "yuan")


def test_a_currency_prefix_on_another_unit_is_refused() -> None:
    with pytest.raises(ValueError, match="yuan amount"):
        parse_quantity("¥300 vehicles")


def test_a_value_ten_times_off_a_same_period_sibling_is_refused(tmp_path: Path) -> None:
    d = data(tmp_path)
    # 400亿 is near enough the target of 3600亿; it is a tenth of the 4000亿 beside it
    assert add(d, "tourism-revenue", "2024", "4000亿元", "--source", URL).exit_code == 0
    lost = add(d, "tourism-revenue", "2024", "400亿元", "--source", "https://example.org/other")
    assert lost.exit_code == 1 and "implausible-jump" in lost.output
    assert "of the same period" in lost.output


def test_a_bare_number_on_a_growth_target_is_refused(tmp_path: Path) -> None:
    d = data(tmp_path)
    bare = add(d, "gdp-growth-2024", "2024", "4.9", "--source", URL)
    assert bare.exit_code == 1 and "[bare-number]" in bare.output
    assert "'+4.9%'" in bare.output
    forced = add(d, "gdp-growth-2024", "2024", "4.9", "--source", URL, "--force")
    assert forced.exit_code == 0


def test_a_full_period_value_before_the_period_ends_is_refused_unless_a_forecast(
    tmp_path: Path,
) -> None:
    d = data(tmp_path)
    year = str(date.today().year + 1)
    early = add(d, "tourism-revenue", year, "400亿元", "--source", URL)
    assert early.exit_code == 1 and "period-not-ended" in early.output
    ok = add(d, "tourism-revenue", year, "400亿元", "--source", URL, "--estimate", "forecast")
    assert ok.exit_code == 0, ok.output


@pytest.mark.parametrize(
    "other", ["http://example.org/tourism/2024-report", URL + "/", "https://EXAMPLE.org/tourism/2024-report"]
)  # fmt: skip
def test_a_duplicate_differing_only_by_scheme_or_slash_is_refused(
    tmp_path: Path, other: str
) -> None:
    d = data(tmp_path)
    assert add(d, "tourism-revenue", "2024", "300亿元", "--source", URL).exit_code == 0
    again = add(d, "tourism-revenue", "2024", "301亿元", "--source", other)
    assert again.exit_code == 1 and "exists already" in again.output
