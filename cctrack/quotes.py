"""Read the figures of a quoted sentence and say whether an entry's figure is among them.

A quote is the shortest phrase of the source that states a figure, verbatim
("一汽在长生产整车156万辆、完成产值3165亿元，分别增长14.6%和11.9%"). Its figures are read with the
same quantity parser as the data files, after mapping full-width and traditional characters
(億 萬) to the simplified forms, so "3165亿元" matches 316.5 billion yuan and "156万辆" matches
1,560,000. The rules (docs/data-format.md §11):

- a value matches a figure of the quote that is not a percentage and has the same value;
- a change matches a percentage of the quote with the same value (a change in percentage points
  matches "1.2个百分点" or "1.2 pp");
- words that state a figure read as it: a doubling (翻番, 翻一番, doubled) as a change of +100%
  (翻两番: +300%, 翻三番: +700%), double-digit growth (两位数, double-digit) as at least 10%;
- pairing: when the quote says "respectively" (分别), its k-th amount goes with its k-th
  percentage, and an entry with both a value and a change passes only when they are such a pair;
- a figure is qualified when a qualifier of the quantity reader stands right before or after it
  (突破 超过 以上 约 左右 over about …): the entry's bound or approximation must say the same;
- a percentage after a word of falling (下降, fell) is negative; a compound numeral (1亿8170万,
  41万1777, 8万5千) is one figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from cctrack.quantity import (
    PREFIXES,
    SUFFIXES,
    Bound,
    QuantityError,
    normalise_text,
    parse_quantity,
)

# A compound numeral, "1亿8170万" or "41万1777": one figure, written as one decimal.
_COMPOUND = re.compile(r"(\d+)亿(\d{1,4})万|(\d+)万(\d{1,4})(?![\d.,万亿千百十])|(\d+)万(\d)千")
# 5千亿, 3百亿, 2十亿: a multiple of 亿 (5千亿 is 500 billion), written as 亿 for the reader.
_TENS_OF_YI = re.compile(r"(\d+(?:\.\d+)?)([千百十])亿")
_MULTIPLE = {"千": 1000, "百": 100, "十": 10}
# 万亿 or 千亿 with no numeral before it ("迈上万亿元台阶", "千亿级"): one of them.
_BARE_SCALE = re.compile(r"(?<![\d.〇零一二两三四五六七八九十百千几数]|万)(万亿|千亿)")
# Words before a percentage that make it a fall: "下降13.9%", "fell 2%".
_FALL = re.compile(r"(?:下降|减少|下滑|回落|降低|下跌|负增长|decreased?|declined?|fell|down)"
                   r"\s*(?:了)?\s*$", re.I)  # fmt: skip
# How far before a percentage the word of falling is looked for: the longest word and the
# blanks around it, with room to spare. Looking at a window, not at all the text before, keeps
# reading a quote linear in its length however many percentages it holds.
_FALL_REACH = 64


def _words(words: tuple[str, ...]) -> str:
    """An alternation of ``words``, the longest first ("不超过" before "超过" before "超")."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# A figure: a number with the qualifiers the quantity reader knows (quantity.PREFIXES and
# SUFFIXES), its scale and its unit.
_NUMBER = re.compile(
    rf"(?P<pre>(?:{_words(PREFIXES)})\s*)?"
    r"(?P<num>\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(?P<scale>万亿|亿|万|千万|百万|千|trillion|billion|million|thousand|bn|tn|[kKMBT](?![A-Za-z]))?"
    r"\s*(?P<unit>%|个百分点|pp|percentage points?|per ?cent(?!age)"
    r"|元|辆|台|人次|人|户|家|斤|吨|个|项|件|yuan|vehicles|people|visits)?"
    rf"(?P<post>\s*(?:{_words(SUFFIXES)}))?",
    re.I,
)
_RESPECTIVELY = re.compile(r"分别|respectively", re.I)


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure of a quote: its text, value (a fraction for a percentage), kind and bound."""

    text: str
    value: Decimal
    percent: bool
    points: bool
    bound: Bound
    approx: bool


def _compound(m: re.Match[str]) -> str:
    """``1亿8170万`` → ``1.817亿``, ``41万1777`` → ``41.1777万``: no trailing zeros."""
    if m.group(1) is not None:
        return f"{m.group(1)}.{m.group(2).zfill(4)}".rstrip("0").rstrip(".") + "亿"
    if m.group(3) is not None:
        return f"{m.group(3)}.{m.group(4).zfill(4)}".rstrip("0").rstrip(".") + "万"
    return f"{m.group(5)}.{m.group(6)}万"  # 8万5千


def _hundreds_of_millions(m: re.Match[str]) -> str:
    return f"{Decimal(m.group(1)) * _MULTIPLE[m.group(2)]}亿"


# What marks a bare number from 1900 to 2100 as a year: 年 or a month after it (2025年, 2024
# March), a range's dash after it (2021-25), a word of time or a range's dash before it (in
# 2024, since 2020, 2021-2025). Without one, "达到2000" is a figure.
_YEAR_AFTER = re.compile(
    r"\s*(?:年|[-–—~至到]\s*\d|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b)"
)
_YEAR_BEFORE = re.compile(
    r"(?:\b(?i:in|since|by|from|to|until|till|through|during|year)\s+|\d\s*[-–—~至到]\s*)$"
)


# A month or a range of months after a number from 1 to 12: "9月", "1~9月", "1-9月", "1至9月".
_MONTHS = re.compile(r"(?:\s*[-–—~至到]\s*\d{1,2})?\s*月")


def _is_month(m: re.Match[str], text: str) -> bool:
    """A number from 1 to 12 naming a month (``1~9月``: 1 and 9): not a figure."""
    num = m.group("num")
    plain = not any(m.group(g) for g in ("scale", "unit", "post"))
    month = plain and num.isdigit() and 1 <= int(num) <= 12
    return month and _MONTHS.match(text, m.end()) is not None


def _is_year(m: re.Match[str], text: str) -> bool:
    """A bare four-digit number from 1900 to 2100 that reads as a year (:data:`_YEAR_AFTER`,
    :data:`_YEAR_BEFORE`): not a figure."""
    num = m.group("num")
    plain = not any(m.group(g) for g in ("pre", "scale", "unit", "post"))
    if not (plain and len(num) == 4 and num.isdigit() and 1900 <= int(num) <= 2100):
        return False
    before = text[max(0, m.start() - 16) : m.start()]  # a window: linear in the quote
    return _YEAR_AFTER.match(text, m.end()) is not None or _YEAR_BEFORE.search(before) is not None


# An ordinal: "the 14th Five-Year Plan", "第14个五年规划" ("第十四个", "十四五" are not digits).
_ORDINAL_AFTER = re.compile(r"(?i:st|nd|rd|th)\b")
_ORDINAL_BEFORE = re.compile(r"第\s*$")
# Korean scales after a digit: 7,070억원 is 7,070亿 (the currency is the entry's, not the quote's).
_KOREAN = re.compile(r"(?<=\d)(억|만|조)")
_KOREAN_SCALE = {"억": "亿", "만": "万", "조": "万亿"}


def _is_ordinal(m: re.Match[str], text: str) -> bool:
    """A number written as an ordinal (14th, 第14, 第14个): not a figure."""
    if m.group("pre"):
        return False
    if _ORDINAL_BEFORE.search(text[max(0, m.start() - 4) : m.start()]):
        return True
    plain = not any(m.group(g) for g in ("scale", "unit"))
    return plain and _ORDINAL_AFTER.match(text, m.end("num")) is not None


# Figures written in words: a doubling (翻番, 翻一番, 翻两番 = ×4, doubled) is the change it
# means (+100%, +300%); double-digit growth (两位数, double-digit) is a change of at least 10%.
_WORD_FIGURE = re.compile(
    r"翻([一两二三]?)番|(?<![A-Za-z])doubled?(?![A-Za-z-])|两位数|double-digit", re.I
)
_FAN_TIMES = {"": 1, "一": 1, "两": 2, "二": 2, "三": 3}


def _word_figure(m: re.Match[str]) -> Figure:
    """The figure a word states: ``翻两番`` is a change of +300%, ``两位数`` at least 10%."""
    word = m.group(0)
    if word in {"两位数"} or word.lower() == "double-digit":
        return Figure(word, Decimal("0.1"), True, False, Bound.at_least, False)
    times = _FAN_TIMES[m.group(1)] if m.group(1) is not None else 1
    return Figure(word, Decimal(2) ** times - 1, True, False, Bound.exact, False)


def figures(quote: str) -> list[Figure]:
    """Every figure of a quote, in order. A full-width comma is punctuation here, never a
    thousands separator ("120，150万人" is two figures); a year (2025年, in 2024), a month
    (9月, 1~9月) or an ordinal (14th, 第14) is no figure; the Korean 억 만 조 after a digit are
    亿 万 万亿."""
    text = normalise_text(quote.replace("，", "、"))
    text = _KOREAN.sub(lambda k: _KOREAN_SCALE[k.group(1)], text)
    text = _COMPOUND.sub(_compound, text)
    text = _BARE_SCALE.sub(r"1\1", text)
    text = _TENS_OF_YI.sub(_hundreds_of_millions, text)
    out: list[Figure] = []
    words = [(m.start(), _word_figure(m)) for m in _WORD_FIGURE.finditer(text)]
    for m in _NUMBER.finditer(text):
        while words and words[0][0] < m.start():
            out.append(words.pop(0)[1])
        if _is_year(m, text) or _is_month(m, text) or _is_ordinal(m, text):
            continue
        unit = (m.group("unit") or "").lower()
        points = unit in {"个百分点", "pp"} or unit.startswith("percentage point")
        percent = unit == "%" or unit.replace(" ", "") == "percent"
        written = m.group("num") + (m.group("scale") or "") + ("%" if percent else "")
        try:
            q = parse_quantity((m.group("pre") or "") + written + (m.group("post") or ""))
        except QuantityError:
            continue
        value = Decimal(m.group("num").replace(",", "")) / 100 if points else q.value
        before = text[max(0, m.start() - _FALL_REACH) : m.start()]  # not all the text before
        if (percent or points) and not m.group("pre") and _FALL.search(before):
            value = -value
        shown = m.group(0).strip()
        out.append(Figure(shown, value, percent, points, q.bound, q.approx))
    return out + [figure for _, figure in words]


@dataclass(frozen=True, slots=True)
class Finding:
    """What a quote says of an entry's figure: ``mismatch`` names what is missing,
    ``bound`` names a qualifier that differs; both None when the quote states the figure."""

    mismatch: str | None = None
    bound: str | None = None


def check_quote(
    quote: str,
    value: Decimal | None,
    change: Decimal | None,
    bound: Bound = Bound.exact,
    approx: bool = False,
    points: bool = False,
) -> Finding:
    """Whether ``quote`` states the value and the change (either may be None)."""
    found = figures(quote)
    amounts = [f for f in found if not f.percent and not f.points]
    rates = [f for f in found if f.percent or f.points]
    value_hits = [i for i, f in enumerate(amounts) if value is not None and f.value == value]
    change_hits = [i for i, f in enumerate(rates) if change is not None and f.value == change
                   and f.points == points]  # fmt: skip
    if value is not None and not value_hits:
        return Finding(mismatch="value")
    if change is not None and not change_hits:
        return Finding(mismatch="change")
    paired = _RESPECTIVELY.search(normalise_text(quote)) is not None
    both = value is not None and change is not None and len(amounts) == len(rates)
    if paired and both and not set(value_hits) & set(change_hits):
        return Finding(mismatch="pair")
    if value is not None:
        figure = amounts[value_hits[0]]
        if figure.bound is not bound or figure.approx != approx:
            return Finding(bound=figure.text)
    return Finding()


def listed(quote: str) -> str:
    """The figures of a quote as written, for a message: ``156万辆, 3165亿元, 14.6%, 11.9%``."""
    return ", ".join(f.text for f in figures(quote)) or "no figure"
