"""Input as a Chinese user types it: full-width digits and punctuation, Chinese periods and dates.

Each table gives what is typed and the canonical form cctrack keeps, displays and writes. The
same parsers read the data files and the add-observation command line; the JSON Schema that
`cctrack schema` prints accepts the same spellings.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import SOURCE, TARGETS, MakeData
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.period import PeriodError, PeriodKind, parse_date, parse_period
from cctrack.quantity import Bound, QuantityError, parse_percent, parse_quantity
from cctrack.schema import json_schema

D = Decimal
K = PeriodKind
EXACT, AT_LEAST = Bound.exact, Bound.at_least
AS_OF = "2024-12-01"

# typed -> (value, unit, bound)
QUANTITIES = [
    ("1，000", D("1000"), None, EXACT),
    ("1，000，000", D("1000000"), None, EXACT),
    ("３１６５亿元", D("316500000000"), "yuan", EXACT),
    ("３１６５\u3000亿元", D("316500000000"), "yuan", EXACT),  # a full-width space
    ("１．７亿", D("170000000"), None, EXACT),
    ("５０万辆", D("500000"), "vehicles", EXACT),
    ("突破１０００亿元", D("100000000000"), "yuan", AT_LEAST),
    ("约３００万以上", D("3000000"), None, AT_LEAST),
    ("－５", D("-5"), None, EXACT),
    ("3165亿元", D("316500000000"), "yuan", EXACT),
]

# typed -> the fraction
PERCENTS = [
    ("24.4％", D("0.244")),
    ("＋5.5％", D("0.055")),
    ("＋５．５％", D("0.055")),
    ("－4.5％", D("-0.045")),
    ("+208.56%", D("2.0856")),
    ("1，000％", D("10")),
]

# typed -> canonical text and kind
PERIODS = [
    ("2024年", "2024", K.year),
    ("２０２４年", "2024", K.year),
    ("２０２４", "2024", K.year),
    ("2024年上半年", "2024-H1", K.half),
    ("2024年下半年", "2024-H2", K.half),
    ("2024年第三季度", "2024-Q3", K.quarter),
    ("2024年三季度", "2024-Q3", K.quarter),
    ("2024年第一季度", "2024-Q1", K.quarter),
    ("2024年第4季度", "2024-Q4", K.quarter),
    ("2024年Q3", "2024-Q3", K.quarter),
    ("2024年1-10月", "2024-01/2024-10", K.months),
    ("2024年1—10月", "2024-01/2024-10", K.months),
    ("2024年1至10月", "2024-01/2024-10", K.months),
    ("2024年1月-10月", "2024-01/2024-10", K.months),
    ("2024年１－１０月", "2024-01/2024-10", K.months),
    ("2024年10月", "2024-10", K.month),
    ("2024年3月", "2024-03", K.month),
    ("2024年 上半年", "2024-H1", K.half),
    ("2025-2-25", "2025-02-25", K.date),
    ("2025/02/25", "2025-02-25", K.date),
    ("2025/2/25", "2025-02-25", K.date),
    ("2025年2月25日", "2025-02-25", K.date),
    ("２０２５－０２－２５", "2025-02-25", K.date),
    # the canonical forms are their own canonical form
    ("2024", "2024", K.year),
    ("2024-H1", "2024-H1", K.half),
    ("2024-Q3", "2024-Q3", K.quarter),
    ("2024-10", "2024-10", K.month),
    ("2024-01/2024-10", "2024-01/2024-10", K.months),
    ("2021/2025", "2021/2025", K.years),
    ("2024-12-31", "2024-12-31", K.date),
]

# publication dates (and --as-of): typed -> canonical text
DATES = [
    ("2025-2-25", "2025-02-25"),
    ("2025/02/25", "2025-02-25"),
    ("2025/2/25", "2025-02-25"),
    ("2025年2月25日", "2025-02-25"),
    ("2025年2月", "2025-02"),
    ("2025年", "2025"),
    ("2025-02-25", "2025-02-25"),
    ("2025-02", "2025-02"),
    ("2025", "2025"),
]

# still refused, and what the message says to type instead
UNREADABLE_PERIODS = [
    ("2024年度", "for the year write 2024 (or 2024年)"),
    ("2024年全年", "write 2024年, 2024年上半年, 2024年三季度, 2024年10月, 2024年1-10月"),
    ("2024年第五季度", "write 2024年, 2024年上半年"),
    ("２０２４－Ｈ１", "use 2024, 2024-H1"),
    ("2025.2.25", "use 2025, 2025-H1"),
]
REFUSED_PERIODS = [
    *UNREADABLE_PERIODS,
    # well-formed, but no real period (the JSON Schema does not check months and days)
    ("2024年13月", "is not a real date: month must be in 1..12"),
    ("2024年10-1月", "the interval ends before it starts"),
]
REFUSED_QUANTITIES = [
    ("1٢3", "write the digits 0-9 (or ０-９)"),
    ("３１６５亿元。", "cannot read '元。' after the number"),
    ("5。5", "cannot read '。5' after the number"),  # the ideographic full stop is no point
]


@pytest.mark.parametrize(("typed", "value", "unit", "bound"), QUANTITIES)
def test_quantities(typed: str, value: Decimal, unit: str | None, bound: Bound) -> None:
    q = parse_quantity(typed)
    assert (q.value, q.unit, q.bound) == (value, unit, bound)


@pytest.mark.parametrize(("typed", "fraction"), PERCENTS)
def test_percentages(typed: str, fraction: Decimal) -> None:
    assert parse_percent(typed) == fraction


@pytest.mark.parametrize(("typed", "canonical", "kind"), PERIODS)
def test_periods(typed: str, canonical: str, kind: PeriodKind) -> None:
    p = parse_period(typed)
    assert (p.text, p.kind, str(p)) == (canonical, kind, canonical)
    assert p == parse_period(canonical)  # the same period, however it was written


@pytest.mark.parametrize(("typed", "canonical"), DATES)
def test_dates(typed: str, canonical: str) -> None:
    assert parse_period(typed).text == canonical
    assert parse_date(typed) == parse_period(canonical).end


@pytest.mark.parametrize(("typed", "advice"), REFUSED_PERIODS)
def test_refused_periods_say_what_to_type(typed: str, advice: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(typed)
    assert advice in str(info.value)


@pytest.mark.parametrize(("typed", "advice"), REFUSED_QUANTITIES)
def test_refused_quantities_say_why(typed: str, advice: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_quantity(typed)
    assert advice in info.value.message


# --- the JSON Schema accepts the same spellings -------------------------------------------------


def _properties(schema: Any, name: str) -> list[Any]:
    """Every ``properties[name]`` anywhere in the schema."""
    found = []
    if isinstance(schema, dict):
        if isinstance(schema.get("properties"), dict) and name in schema["properties"]:
            found.append(schema["properties"][name])
        for v in schema.values():
            found += _properties(v, name)
    elif isinstance(schema, list):
        for v in schema:
            found += _properties(v, name)
    return found


def _pattern(file: str, name: str, having: str = "") -> str:
    """The one string pattern (containing ``having``) of the field ``name`` in the JSON Schema
    of ``file``."""
    text = json.dumps(_properties(json.loads(json_schema(file)), name), ensure_ascii=False)
    found = {json.loads(p) for p in re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', text)}
    patterns = [p for p in found if having in p]
    assert len(patterns) == 1, found
    return str(patterns[0])


def _matches(pattern: str, text: str) -> bool:
    """Whether ``text`` matches, for JSON Schema (ECMA 262, as check-jsonschema reads it via
    regress when installed) and for Python's re (the jsonschema library)."""
    python = re.search(pattern, text) is not None
    try:
        import regress
    except ImportError:  # pragma: no cover - regress comes with check-jsonschema
        return python
    ecma = regress.Regex(pattern, flags="u").find(text) is not None
    assert ecma == python, (pattern, text)
    return python


@pytest.mark.parametrize("file", ["targets", "observations"])
def test_schema_accepts_every_period_spelling(file: str) -> None:
    pattern = _pattern(file, "period")
    for typed, _, _ in PERIODS:
        assert _matches(pattern, typed) or " " in typed, typed  # the schema allows no spaces
    for typed, _ in UNREADABLE_PERIODS:
        assert not _matches(pattern, typed), typed
    assert not _matches(pattern, "0999")  # years run from 1000 to 9999


def test_schema_accepts_every_date_spelling() -> None:
    pattern = _pattern("observations", "published")
    for typed, _ in DATES:
        assert _matches(pattern, typed), typed
    for typed in ("2024-H1", "2024年上半年", "2025.2.25", "0999-01-01", "March 2024"):
        assert not _matches(pattern, typed), typed


def test_schema_accepts_plain_percentages() -> None:
    pattern = _pattern("observations", "change", having="%")
    for typed, _ in PERCENTS:
        if "，" not in typed:  # stricter than cctrack: no thousands separators, as documented
            assert _matches(pattern, typed), typed
    assert not _matches(pattern, "5.5")


# --- whole files: validate, status and show keep the canonical forms ------------------------------

CHINESE = """\
observations:
  - target: nev
    period: 2023年
    value: ５０万辆
    source: {title: Report, url: https://example.org/a, published: 2024年3月7日}
  - target: nev
    period: 2024年上半年
    value: 30万
    change: ＋5.5％
    source: {title: Report, url: https://example.org/b, published: 2024/7/20}
  - target: nev
    period: 2024年1-10月
    value: 1，000
    source: {title: Report, url: https://example.org/c, published: 2024-11-2}
"""


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout


def test_validate_accepts_chinese_forms(make_data: MakeData) -> None:
    directory = make_data(TARGETS, CHINESE)
    code, out = cli("validate", "--data", str(directory), "--as-of", AS_OF, "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_status_json_shows_canonical_forms(make_data: MakeData) -> None:
    directory = make_data(TARGETS, CHINESE)
    code, out = cli(
        "status", "--data", str(directory), "--as-of", "2024年12月1日", "--format", "json"
    )
    assert code == 0
    assert '"period": "2023"' in out
    assert '"published": "2024-03-07"' in out
    assert "年" not in out and "／" not in out


def test_show_displays_canonical_forms(make_data: MakeData) -> None:
    directory = make_data(TARGETS, CHINESE)
    code, out = cli("show", "nev", "--data", str(directory), "--as-of", "2024/12/1")
    assert code == 0
    # a run of months in English words (2024-01/2024-10 as JSON writes it)
    for canonical in ("2024-H1", "Jan-Oct 2024", "2024-03-07", "2024-07-20", "2024-11-02"):
        assert canonical in out
    assert "年" not in out


def test_two_spellings_of_one_period_are_one_period(make_data: MakeData) -> None:
    """Checks compare canonical forms: 2023 is 2023年, and 2024-03-07 is 2024年3月7日."""
    first = CHINESE.split("  - target: nev\n    period: 2024年上半年")[0]
    second = first.removeprefix("observations:\n").replace("2023年", "2023")
    second = second.replace("５０万辆", "510000").replace("2024年3月7日", "2024-03-07")
    directory = make_data(TARGETS, first + second)
    _, out = cli("validate", "--data", str(directory), "--as-of", AS_OF, "--format", "json")
    assert [(p["code"], p["message"].split(":")[0]) for p in json.loads(out)] == [
        ("conflicting-values", "nev 2023")
    ]


def test_check_jsonschema_accepts_chinese_forms(make_data: MakeData, tmp_path: Path) -> None:
    pytest.importorskip("check_jsonschema", reason="pip install '.[test]'")
    directory = make_data(
        TARGETS.replace(SOURCE, SOURCE.replace("2021-03-01", "2021/3/1")), CHINESE
    )
    for file in ("targets", "observations"):
        schema = tmp_path / f"{file}.schema.json"
        schema.write_text(json_schema(file), encoding="utf-8")
        cmd = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema)]
        proc = subprocess.run(
            [*cmd, str(directory / f"{file}.yaml")],
            capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_as_of_reads_chinese_dates() -> None:
    assert parse_date("2024年12月1日") == date(2024, 12, 1)
