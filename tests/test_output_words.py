"""What a careful reader found inconsistent or hard to read in the outputs, each mended: an
in-year verdict's numbers labelled alike in ``show`` and the report, Chinese units and months
in English words, bounds said in words in a sentence, and footers wrapped between items."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import SRC, approx
from conftest import make_obs as obs
from conftest import make_target as target
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from cctrack.assess import Assessment, assess
from cctrack.render.catalogue import words
from cctrack.render.fields import formula_text
from cctrack.render.html import figures, number_label
from cctrack.render.numbers import derived_digits, humanize
from cctrack.render.status import items_of, wrap_items
from cctrack.render.words import (
    average_formulas,
    goal_text,
    point_text,
    prose_text,
    reading_text,
    why_text,
)

NOV = date(2026, 11, 15)


def _in_year(ytd: int) -> Assessment:
    """8000 for 2026; 7500 in 2025 and 5400 in Jan-Sep 2025 (tests/test_in_year.py's example):
    Jan-Sep 2026 at ``ytd``."""
    gdp = target(target=8000, deadline=2026, start=2026)
    done = [obs(2025, 7500, source={**SRC, "published": "2026-04-01"}),
            obs("2025-01/2025-09", 5400, source={**SRC, "published": "2025-10-20"}),
            obs("2026-01/2026-09", ytd, source={**SRC, "published": "2026-10-20"})]  # fmt: skip
    return assess(gdp, done, NOV)


def test_the_report_labels_an_in_year_verdict_s_numbers_as_show_does() -> None:
    a = _in_year(5800)
    en, zh = words("en"), words("zh")
    assert number_label("growth_observed", en, a) == "growth on the same months"
    assert number_label("expected_now", en, a) == "the same months on the path"
    assert number_label("growth_observed", zh, a) == "同比增速"
    assert number_label("expected_now", zh, a) == "同期应达值"
    trend = assess(target(), [obs(2020, 50), obs(2023, 80)], NOV)  # a trend keeps its labels
    assert number_label("growth_observed", en, trend) == "growth observed / yr"


def test_an_in_year_sentence_says_growth_in_words_in_chinese() -> None:
    """+7.41% on the same months; +6.67% needed: 增长7.4%, 增长6.7%; a fall says 下降."""
    zh = why_text(_in_year(5800), words("zh"))
    assert "比2025年1-9月（5400元）增长7.4%" in zh
    assert "需比2025年（7500元）增长6.7%" in zh
    assert "）+" not in zh
    fall = why_text(_in_year(5300), words("zh"))
    assert "下降1.9%" in fall  # 5300 / 5400 - 1 = -1.85%
    en = why_text(_in_year(5800), words("en"))
    assert "+7.4% on January-September 2025" in en


def test_bounds_and_approximations_read_as_words_in_a_sentence() -> None:
    en, zh = words("en"), words("zh")
    assert prose_text("≥ 5415亿元", zh) == "不低于5415亿元"
    assert prose_text("≈ 6.5%", zh) == "6.5%左右"
    assert prose_text("≈ 6.5%", en) == "about 6.5%"
    assert prose_text("≤ 2%", en) == "at most 2%"
    assert prose_text("5%", zh) == "5%"
    avg = assess(target(unit="percent", kind="growth", target="about 6.5%", average=True),
                 [], NOV)  # fmt: skip
    assert goal_text(avg, zh, prose=True) == "年均6.5%左右"
    assert goal_text(avg, zh) == "年均≈ 6.5%"  # a table keeps its marks


def test_chinese_units_and_months_are_english_words_in_english() -> None:
    en, zh = words("en"), words("zh")
    assert humanize(Decimal(26_000_000_000), "斤", en) == "26 bn jin"
    assert humanize(Decimal(2_000_000), "亩", en) == "2 M mu"
    assert humanize(Decimal(26_000_000_000), "斤", zh) == "260亿斤"
    assert en.period("2025-01/2025-09") == "Jan-Sep 2025"
    assert en.period("2025-11/2026-02") == "Nov 2025-Feb 2026"
    assert en.period("2025-06") == "Jun 2025"
    assert en.period("2025") == "2025" and en.period("2025-H1") == "2025-H1"
    assert zh.period("2025-01/2025-09") == "2025年1-9月"


def test_a_line_of_items_breaks_between_items() -> None:
    card = "24 targets due 2025: 6 met (2 provisional), 5 missed, 2 unresolved, 11 no final figure"
    assert wrap_items(card, 80).splitlines() == [
        "24 targets due 2025: 6 met (2 provisional), 5 missed, 2 unresolved,",
        "11 no final figure",
    ]
    assert items_of("a (b, c), d") == ["a (b, c), ", "d"]  # never inside brackets
    legend = "≥ at least (a bound)   * derived from a change   ᵖ preliminary   † set by hand"
    assert wrap_items(legend, 50).splitlines()[-1] == "ᵖ preliminary   † set by hand"
    zh = "可信度 ●●● 高；提示：S 基期替代，D 基期为推算值，B 结论随基期而变，N 序列过短"
    assert all("结论随基期而变" in x or "B" not in x for x in wrap_items(zh, 40).splitlines())


_ITEM = st.text(alphabet="abc基期", min_size=1, max_size=12).map(str.strip).filter(bool)


@given(st.lists(_ITEM, min_size=1, max_size=12), st.integers(min_value=24, max_value=80))
def test_wrapped_items_fit_and_keep_every_item_whole(items: list[str], width: int) -> None:
    """Items of at most 24 cells joined by ``, ``: every line fits, every item on one line."""
    text = ", ".join(items)
    lines = wrap_items(text, width).splitlines()
    assert all(cell_len(x) <= width for x in lines)
    assert " ".join(lines) == text
    assert [i for x in lines for i in x.removesuffix(",").split(", ")] == items


def test_a_derived_value_is_printed_at_its_source_s_precision() -> None:
    """2,050 × 1.71 = 3,505.5 prints 3,506; 2,050 ÷ 2.41 = 850.62… prints 851 (never a fraction
    of a unit); 241.11 bn ÷ 3.0856 = 78.140… bn keeps two decimals of its scale."""
    en = words("en")
    assert derived_digits(Decimal("3505.5"), Decimal(2050), en) == 4
    t = target(unit="results", target=3000, deadline=2024, start=2024)
    a = assess(t, [obs(2023, 2050), obs(2024, change="+71%")], NOV)
    assert a.current is not None and a.current.derivation is not None
    assert point_text(a, a.current, en) == "3,506 results"
    back = assess(t, [obs(2023, 2050, change="+141%")], NOV)
    (before,) = [p for p in back.series if p.derivation is not None]
    assert point_text(back, before, en) == "851 results"
    big, source = Decimal("78140470000"), Decimal("241110000000")
    assert humanize(big, None, en, derived_digits(big, source, en)) == "78.14 bn"
    assert derived_digits(Decimal("78.14047"), Decimal("241.11"), en) == 2  # no fraction: 78


def test_csv_says_an_approximate_target_is_approximate(make_data: object) -> None:
    """The CSV's ``target_bound`` of "about 6.5%" reads ``approx``, not ``exact``."""
    import csv
    import io

    from cctrack.render.status import as_csv

    t = target(unit="percent", kind="growth", target="about 6.5%", average=True)
    (row,) = csv.DictReader(io.StringIO(as_csv([assess(t, [], NOV)], words("en"))))
    assert row["target_bound"] == "approx"


def test_an_average_target_shows_its_rate_and_r_with_formulas_that_evaluate_back() -> None:
    """+10% then +21% chained: (1.1 × 1.21) ** (1/2) - 1 = 1.331 ** 0.5 - 1 = 15.37%; against
    a target of 10% a year, R = 1.537. Each formula, evaluated, gives its number back; the
    report shows no single year as the current value."""
    t = target(unit="yuan", kind="growth", target="10%", average=True, start=2021, deadline=2025)
    a = assess(t, [obs(2021, change="+10%"), obs(2022, change="+21%")], NOV)
    f = {k: formula_text(x) for k, x in average_formulas(a).items()}
    assert eval(f["growth_observed"]) == approx(1.331**0.5 - 1)
    assert eval(f["progress_ratio"]) == approx((1.331**0.5 - 1) / 0.1)
    assert a.progress_ratio == approx(eval(f["progress_ratio"]))
    shown = {x[0]: x for x in figures(a, words("en"))}
    assert "current" not in shown  # not the last year's +21%: the average is the figure
    assert shown["growth_observed"][2] == approx(1.331**0.5 - 1)
    assert shown["progress_ratio"][3] == "0.1537 / abs(0.1)"  # its formula, as show writes it


def test_an_average_target_s_readings_name_its_years() -> None:
    """Its readings are averages over 2021-2022, not figures "(2022)"."""
    t = target(unit="yuan", kind="growth", target="10%", average=True, start=2021, deadline=2025)
    a = assess(t, [obs(2021, change="+10%"), obs(2022, change="+21%")], NOV)
    texts = [reading_text(r, a, words("en")) for r in a.readings]
    assert texts and all("(2021-2022)" in x and "(2022)" not in x for x in texts)
