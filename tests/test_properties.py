"""Property-based hardening: no valid or hostile input crashes, hangs, injects or is stored other
than typed.

Hypothesis writes whole data sets as real YAML files — every target kind (annual, level, growth,
average growth, cumulative totals, benchmark-relative targets, ranges, shares in percent with
changes in percentage points), both directions, every period form (Chinese ones too), values
from 0 and 1e-30 to near the 1e30 limit, bounds and approximations, changes from -100% to
+100,000%, sources with and without dates, scopes, estimates, status overrides and hostile text
(Rich markup, terminal escapes, Markdown, spreadsheet formulas, HTML, line breaks) — then runs
``validate``, ``status`` in every format, ``show`` and ``report --html`` on them through Typer's
CliRunner with either method, either language and several ``--as-of`` dates, and checks what no
input may break. A second property generates ``add-observation`` command lines against files of
every layout and checks what is written, byte for byte and field by field.

The quick run is part of the normal suite: derandomized, so the same examples every run. The
long run draws 2,000 fresh examples per property:

    CCTRACK_HYPOTHESIS=long python -m pytest -q tests/test_properties.py
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import traceback
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.dataset import load_dataset
from cctrack.domain import published_end
from cctrack.period import PeriodError, parse_period
from cctrack.quantity import QuantityError, normalise_text, parse_change, parse_quantity
from cctrack.render.safe import terminal

# (the Click command is built once per run: tests/conftest.py)


# --- profiles --------------------------------------------------------------------------------

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "quick",
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_SLOW,
    report_multiple_bugs=False,  # shrink the first failure only: a failing quick run ends sooner
)
settings.register_profile("long", max_examples=2_000, deadline=None, suppress_health_check=_SLOW)
LONG = os.environ.get("CCTRACK_HYPOTHESIS") == "long"


def profile(quick_examples: int) -> settings:
    """The settings of a property: ``long`` when selected, else the quick profile with
    ``quick_examples`` examples."""
    if LONG:
        return settings.get_profile("long")
    return settings(settings.get_profile("quick"), max_examples=quick_examples)


# --- open bugs -----------------------------------------------------------------------------------

# Each open bug has a minimal reproduction at the end of this file, marked xfail(strict=True).
# So that the properties keep testing everything else, the input that triggers an open bug is
# left out of what they generate, or its crash is recognised by its traceback and set aside.
# When a fix makes a reproduction pass (strict xfail then fails), remove its name here and its
# xfail mark.
OPEN_BUGS: frozenset[str] = frozenset()  # none today; the four found so far are fixed
KNOWN_CRASHES: dict[str, str] = {}


# --- running the command line ----------------------------------------------------------------

# C0 controls but the line feed, DEL, and C1 controls (ESC is one of the C0 ones).
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """``text`` for a failure message: its control characters written out, so that a report of
    one reaching the output does not act on the terminal that shows it."""
    return RAW_CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


@dataclass(frozen=True, slots=True)
class Run:
    """One command's exit code and output; ``code`` 3 is cctrack's "internal error"."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def __str__(self) -> str:
        shown = f"cctrack {' '.join(self.args)} -> {self.code}\n{self.out}\n{self.err}"
        return visible(shown)


def cli(args: list[str], env: dict[str, str | None]) -> Run:
    """Run cctrack in-process, its output kept as a terminal would get it (``color``: Click
    strips escape sequences from what it echoes only when not writing to a terminal). An
    exception escaping the command is what the console script reports as an internal error
    (exit 3): it is returned as such, with its traceback."""
    result = CliRunner().invoke(app, args, env=env, color=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        tb = "".join(traceback.format_exception(*result.exc_info))
        return Run(tuple(args), 3, result.stdout, f"internal error\n{tb}")
    return Run(tuple(args), result.exit_code, result.stdout, result.stderr)


def environment(root: Path, columns: int, cache: bool) -> dict[str, str | None]:
    """A private cache per example (or none), a fixed width, no colour and no outside data."""
    return {
        "CCTRACK_CACHE_DIR": str(root / "cache"),
        "CCTRACK_NO_CACHE": None if cache else "1",
        "CCTRACK_DATA": None,
        "CCTRACK_DEBUG": None,
        "GITHUB_ACTIONS": None,
        "COLUMNS": str(columns),
        "NO_COLOR": "1",
        "FORCE_COLOR": None,
    }


def known_crash(run: Run) -> bool:
    """An internal error of an open bug (:data:`KNOWN_CRASHES`), set aside: its xfail test
    tracks it."""
    return run.code == 3 and any(
        bug in OPEN_BUGS and re.search(signature, run.err, re.S) is not None
        for bug, signature in KNOWN_CRASHES.items()
    )


def sound(run: Run) -> None:
    """What holds for every command: a known exit code and no traceback."""
    assert run.code in (0, 1, 2), str(run)
    for stream in (run.out, run.err):
        assert "Traceback" not in stream, str(run)
        assert "internal error" not in stream, str(run)


def no_control(run: Run) -> None:
    """No raw control character reaches the terminal, on stdout or stderr."""
    for stream in (run.out, run.err):
        found = RAW_CONTROL.search(stream)
        assert found is None, f"raw {found.group()!r} in the output of {run}"


def _reject(constant: str) -> Any:
    raise ValueError(f"not strict JSON: {constant}")


def strict_json(text: str) -> Any:
    """JSON as RFC 8259 has it: no NaN, Infinity or -Infinity."""
    return json.loads(text, parse_constant=_reject)


def delimiters(line: str) -> int:
    """The cell delimiters of a Markdown table line: ``|`` not escaped by a backslash."""
    count, escaped = 0, False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            count += 1
    return count


def scorecard_agrees(doc: dict[str, Any]) -> None:
    """Each target is counted once, on its plan's scorecard, as its ``outcome``; a final verdict
    counts as itself, and no target whose deadline has not passed is "no final figure"."""
    as_of = date.fromisoformat(doc["as_of"])
    ids: dict[tuple[Any, str], list[str]] = {}
    for t in doc["targets"]:
        ids.setdefault((t["plan"], t["outcome"]), []).append(t["id"])
        if t["status"] in ("met", "missed"):
            assert t["outcome"] == t["status"], t["id"]
        if t["deadline"] is None:
            assert t["outcome"] not in ("no_final_figure", "not_due"), t["id"]
        elif t["outcome"] in ("no_final_figure", "not_due"):
            ended = as_of > parse_period(t["deadline"]).end
            assert (t["outcome"] == "no_final_figure") == ended, t["id"]
    cards = {(c["plan"], o): c["ids"].get(o, []) for c in doc["scorecard"] for o in c["counts"]}
    assert {k: v for k, v in cards.items() if v} == ids
    assert sum(c["targets"] for c in doc["scorecard"]) == len(doc["targets"])


def markdown_rows(out: str, n_rows: int) -> None:
    """One table line per target, each with as many cells as the header, and one heading per
    plan's table: user text never adds a line, a cell or a heading."""
    lines = out.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("### ")]
    rows = 0
    for start in starts:  # the heading, a blank line, the scorecard line, a blank line, the table
        assert lines[start + 1] == "" and lines[start + 3] == "", out
        header = delimiters(lines[start + 4])
        body = lines[start + 6 : lines.index("", start + 4)]
        rows += len(body)
        for line in body:
            assert line.startswith("| ") and line.endswith(" |"), out
            assert delimiters(line) == header, out
    assert rows == n_rows and sum(line.startswith("|---") for line in lines) == len(starts), out


_BOX = re.compile("[\u2500-\u257f\\s]")


def flat(text: str) -> str:
    """Text without whitespace and box-drawing characters: what wrapping a table cell and
    padding it do not change."""
    return _BOX.sub("", text)


# --- hostile text --------------------------------------------------------------------------------

MARKUP = [
    "[bold]x[/]", "[link=https://evil.example]click[/link]", "[/]", "[red on blue]",
    "[blink]y[/blink]", "\\[not markup]", "[bold", ":smile:", "[@click=quit]z[/]",
]  # fmt: skip
HOSTILE = [
    *MARKUP,
    "\x1b[31mred", "\x1b]0;PWNED\x07", "\x1b[2J", "\x9b2J", "\x85", "\u2028", "\u2029",
    "\x00", "\x7f", "\x08", "\x0c", "\n", "\r\n", "\r", "\t", "\x1b",
    "# heading", "a|b", "| x |", "[click](https://evil.example)", "`code`", "*em*", "<br>",
    "=1+2", "@SUM(A1)", "-2+3", "+7", "<script>alert(1)</script>", "&amp;", "\u202e",
    "长春", "人民日报", "新能源汽车", "😀", "ｗｉｄｅ", "e\u0301", "\ufeff", "\ufffd",
    "'", '"', "\\", ": ", " #", "%", "{a}", "null", "~", "yes", "2024", "1e3", "*alias",
    "&anchor", "!tag", "---", "...", "- item", "? q", "|", "> gt",
]  # fmt: skip
_CHARS = st.characters(exclude_categories=["Cs"])  # a data file is UTF-8: no lone surrogate


def _benign(text: str) -> bool:
    low = text.lower()
    return "traceback" not in low and "internal error" not in low


text_piece = st.sampled_from(HOSTILE) | st.text(_CHARS, min_size=1, max_size=10)
user_text = (
    st.lists(text_piece, min_size=1, max_size=5).map(" ".join).filter(_benign)
)  # a non-empty text of a few short pieces
marked_text = st.tuples(user_text, st.sampled_from(MARKUP)).map(" ".join)


def _without_control(text: str) -> str:
    return RAW_CONTROL.sub("", text).strip() or "x"


def hostile_unless(bug: str, strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """``strategy``, without control characters while ``bug`` is open."""
    return strategy.map(_without_control) if bug in OPEN_BUGS else strategy


# --- values, changes, periods -------------------------------------------------------------------

UNIT_WORDS = {
    "yuan": ["yuan", "元", "rmb"], "vehicles": ["vehicles", "辆"], "people": ["people", "人"],
    "visits": ["visits", "人次"], "enterprises": ["firms", "家"], "tonnes": ["tonnes"],
}  # fmt: skip
EXTREME = ["0", "0.0", "1e-30", "0.000000000000000000000000000001", "9.99e29",
           "999999999999999999999999999999", "1", "0.5"]  # fmt: skip
EN_SCALES = ["k", "thousand", "M", "million", "mn", "bn", "B", "billion", "tn", "T", "trillion"]
CN_SCALES = ["千", "万", "十万", "百万", "千万", "亿", "万亿"]
AT_LEAST = ["over ", "more than ", "at least ", "> ", "≥", "突破", "超过"]
AT_MOST = ["under ", "less than ", "at most ", "< ", "≤", "不超过"]
APPROX = ["about ", "around ", "~", "约", "nearly "]


@st.composite
def mantissa(draw: st.DrawFn) -> str:
    """A non-negative number as text: plain, with thousands separators, underscores or an
    exponent; now and then an extreme one."""
    if draw(st.integers(0, 5)) == 0:
        return draw(st.sampled_from(EXTREME))
    whole = draw(st.integers(0, 10**9))
    frac = draw(st.sampled_from(["", ".5", ".25", ".001", ".123456"]))
    form = draw(st.sampled_from(["plain", "comma", "underscore", "exponent"]))
    if form == "comma" and not frac:
        return f"{whole:,}"
    if form == "underscore" and whole >= 1000 and not frac:
        return f"{whole:_}"
    if form == "exponent":
        return f"{whole}{frac}e{draw(st.integers(-12, 8))}"
    return f"{whole}{frac}"


@st.composite
def amount(draw: st.DrawFn, unit: str) -> Any:
    """A value in ``unit`` as a data file holds it: a YAML number or a quantity string with a
    scale, a unit word and qualifiers."""
    number = draw(mantissa())
    if draw(st.integers(0, 4)) == 0 and re.fullmatch(r"\d+", number) and len(number) < 30:
        return int(number)  # a YAML integer
    text = number
    scale = draw(st.sampled_from(["", "", "en", "cn"]))
    if number in EXTREME and draw(st.integers(0, 9)):
        scale = ""  # near the limit, a scale word is mostly out of range
    if scale == "en":
        text += draw(st.sampled_from(["", " "])) + draw(st.sampled_from(EN_SCALES))
    elif scale == "cn":
        text += draw(st.sampled_from(CN_SCALES))
    words = UNIT_WORDS.get(unit, [])
    if bool(words) and draw(st.booleans()):
        word = draw(st.sampled_from(words))
        text += word if not word.isascii() else " " + word
    qualifier = draw(st.sampled_from(["", "", "", "at_least", "at_most", "approx", "suffix"]))
    if qualifier == "at_least":
        text = draw(st.sampled_from(AT_LEAST)) + text
    elif qualifier == "at_most":
        text = draw(st.sampled_from(AT_MOST)) + text
    elif qualifier == "approx":
        text = draw(st.sampled_from(APPROX)) + text
    elif qualifier == "suffix":
        text += draw(st.sampled_from(["以上", "以下", "左右", "+", " or more"]))
    if draw(st.integers(0, 9)) == 0:
        text = full_width(text)
    return text


def full_width(text: str) -> str:
    """``text`` as a Chinese input method in full-width mode types it."""
    table: dict[str, str | int | None] = {str(i): chr(0xFF10 + i) for i in range(10)}
    table.update({",": "，", ".": "．", "%": "％", "+": "＋"})
    return text.translate(str.maketrans(table))


@st.composite
def share(draw: st.DrawFn) -> str:
    """A share in percent: ``45.2%``."""
    whole = draw(st.integers(0, 100))
    frac = draw(st.sampled_from(["", ".5", ".25"]))
    return f"{whole}{frac}{draw(st.sampled_from(['%', ' %', '％']))}"


@st.composite
def change(draw: st.DrawFn, points: bool = False) -> str:
    """A stated change: -100% to +100,000% (a few extremes), or percentage points."""
    if points and draw(st.booleans()):
        size = draw(st.sampled_from(["0", "0.1", "1.2", "3", "12.5"]))
        sign = draw(st.sampled_from(["+", "-", ""]))
        return sign + size + draw(st.sampled_from(["pp", " pp", "个百分点", " percentage points"]))
    extreme = ["-99.9%", "-100%", "-150%", "+1e5%", "+100000%", "0%", "+0.0001%", "-0%",
               "+99999.9%", "＋５．５％", "5.5 %", "-4.5%"]  # fmt: skip
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(extreme))
    percent = draw(st.decimals(min_value=0, max_value=300, places=2, allow_nan=False))
    return f"{draw(st.sampled_from(['+', '-', '']))}{percent}%"


YEARS = st.integers(2016, 2028)
_CN_QUARTER = {1: "一", 2: "二", 3: "三", 4: "四"}


@st.composite
def period(draw: st.DrawFn, kind: str) -> Any:
    """A period that fits a target of ``kind``, in any of its spellings."""
    y = draw(YEARS)
    m = draw(st.integers(1, 12))
    q = draw(st.integers(1, 4))
    h = draw(st.integers(1, 2))
    common: list[Any] = [y, str(y), f"{y}年", f"{y}-H{h}", f"{y}年{'上下'[h - 1]}半年",
                         f"{y}-Q{q}", f"{y}年第{_CN_QUARTER[q]}季度", f"{y}年Q{q}",
                         f"{y}-{m:02d}", f"{y}年{m}月"]  # fmt: skip
    if kind == "level":
        day = draw(st.sampled_from(["12-31", "06-30", "03-31", "02-29", "02-28"]))
        dates = [f"{y}-{day}", f"{y}年{int(day[:2])}月{int(day[3:])}日", f"{y}-12-31"]
        if day == "02-29" and y % 4:
            dates = [f"{y}-12-31"]
        return draw(st.sampled_from([*common, *dates]))
    months = [f"{y}-01/{y}-{m:02d}", f"{y}年1-{m}月", f"{y}年1至{m}月"]
    if kind == "annual":
        return draw(st.sampled_from([*common, *months, f"{y - 4}/{y}"]))
    return draw(st.sampled_from([*common, *months]))  # growth


DATES = ["2024-03-07", "2024-03", "2021", "2025年2月25日", "2023-12-31", "2026-01-15",
         "2019-07-01", "2031-01-01"]  # fmt: skip


@st.composite
def source(draw: st.DrawFn) -> dict[str, Any]:
    """A source: a title or a URL at least; the other fields now and then."""
    src: dict[str, Any] = {}
    has_url = draw(st.booleans())
    if not has_url or draw(st.booleans()):
        src["title"] = draw(marked_text)
    if draw(st.booleans()):
        src["publisher"] = draw(user_text)
    if has_url:
        src["url"] = draw(st.sampled_from(
            ["https://example.org/a", "https://example.org/a?b=c&d=[e]#f", "http://x.example/长春",
             "https://example.org/a b, c: d"]))  # fmt: skip
    if draw(st.booleans()):
        published = draw(st.sampled_from(DATES))
        src["published"] = int(published) if published.isdigit() else published
    if draw(st.booleans()):
        src["reliability"] = draw(st.sampled_from("ABC"))
    return src


def some_source(shared: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """A new source, or one of ``shared`` (the same object: the YAML gets an anchor and an
    alias for it)."""
    return st.sampled_from(list(shared.values())) | source() if shared else source()


# --- data sets ---------------------------------------------------------------------------------

STATUSES = ["achieved", "met", "on_track", "acceleration_needed", "limited_progress",
            "deterioration", "missed", "not_assessable", "no_data"]  # fmt: skip
OTHER_SCOPES = ["Jilin", "China", "Changchun New Area", "长春市区"]


@dataclass(slots=True)
class DataSet:
    """A generated data set: the entries of the two files, written with PyYAML."""

    targets: list[dict[str, Any]]
    observations: list[dict[str, Any]]

    def dump(self, directory: Path, unicode: bool, flow: bool | None) -> None:
        files = (("targets.yaml", "targets", self.targets),
                 ("observations.yaml", "observations", self.observations))  # fmt: skip
        for name, key, items in files:
            text = yaml.safe_dump(
                {key: items},
                allow_unicode=unicode,
                sort_keys=False,
                default_flow_style=flow,
                width=4096,
            )
            (directory / name).write_text(text, encoding="utf-8")


@st.composite
def target(draw: st.DrawFn, tid: str, others: list[str], shared: dict[str, Any]) -> dict[str, Any]:
    """One target of any kind, with the fields of its kind."""
    kind = draw(st.sampled_from(["annual", "level", "growth", "share"]))
    is_share = kind == "share"
    if is_share:
        kind = draw(st.sampled_from(["annual", "level"]))
    units = [*UNIT_WORDS, "万吨", "GW", "[bold]t[/]", "t | x", "=t"]
    if "escape-unit" not in OPEN_BUGS:
        units += ["to\x1bnnes", "GW\x9b2J", "t\nx"]
    unit = "percent" if is_share else draw(st.sampled_from(units))
    t: dict[str, Any] = {"id": tid, "name": draw(marked_text)}
    if draw(st.booleans()):
        t["name_zh"] = draw(user_text)
    t["scope"] = draw(st.sampled_from(["Changchun", "长春", "[bold]City[/]"]))
    if kind != "annual" or draw(st.booleans()):
        t["kind"] = kind
    t["unit"] = draw(st.sampled_from([unit, "%"])) if is_share else unit
    ranged = draw(st.integers(0, 4)) == 0
    if kind == "growth":
        low = draw(st.sampled_from(["4.5", "5", "5.5", "6.5", "-2", "0", "12", "100000"]))
        t["target"] = f"{low}%-{Decimal(low) + 1}%" if ranged and "-" not in low else f"{low}%"
        if draw(st.integers(0, 5)) == 0:
            t["target"] = draw(st.sampled_from(["5.5%以上", "about 6%", "4.5%至5%", "-0.5%"]))
    elif is_share:
        low_share = draw(st.integers(1, 90))
        t["target"] = f"{low_share}%-{low_share + 5}%" if ranged else f"{low_share}%"
    elif ranged:
        low_amount = draw(st.integers(1, 10**6))
        t["target"] = f"{low_amount}-{low_amount * 2}"
    else:
        t["target"] = draw(amount(unit))
    if draw(st.integers(0, 4)) == 0:
        t["direction"] = "decrease"
    deadline = draw(st.none() | YEARS)
    if deadline is not None:
        t["deadline"] = deadline
        if kind == "level" and draw(st.integers(0, 4)) == 0:
            t["deadline"] = f"{deadline}-{draw(st.sampled_from(['12-31', '06-30']))}"
    start = draw(st.none() | st.integers(2016, deadline or 2028))
    if start is not None:
        t["start"] = start
        if draw(st.integers(0, 4)) == 0:
            value = draw(share()) if is_share else draw(amount(unit))
            t["baseline"] = {"period": start - 1, "value": value}
    if kind == "growth" and start is not None and draw(st.booleans()):
        t["average"] = True
    plan_years = start is not None and deadline is not None
    if kind == "annual" and not ranged and plan_years and draw(st.integers(0, 2)) == 0:
        t["cumulative"] = True
    if draw(st.integers(0, 3)) == 0:
        bench = draw(st.sampled_from(OTHER_SCOPES))
        t["benchmark"] = {"scope": bench}
        if bool(others) and draw(st.booleans()):
            t["benchmark"] = {"target": draw(st.sampled_from(others))}
        if draw(st.booleans()):
            t["benchmark"]["relation"] = draw(st.sampled_from(["above", "at_least"]))
    if draw(st.booleans()):
        t["plan"] = draw(st.sampled_from(["14th Five-Year Plan (2021-2025)", "15th plan"]))
    if draw(st.booleans()):
        t["plan"] = draw(hostile_unless("escape-plan", user_text))
    if draw(st.booleans()):
        t["tags"] = draw(st.lists(user_text, max_size=3))
    t["source"] = draw(some_source(shared))
    if draw(st.integers(0, 3)) == 0:
        reason = draw(hostile_unless("escape-reason", marked_text))
        t["status_override"] = {"status": draw(st.sampled_from(STATUSES)), "reason": reason}
    return t


@st.composite
def observation(draw: st.DrawFn, t: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    """One observation of target ``t``: a value, a change or both, in a period that fits."""
    kind = t.get("kind", "annual")
    is_share = t["unit"] in {"percent", "%"}
    o: dict[str, Any] = {"target": t["id"], "period": draw(period(kind))}
    what = draw(st.sampled_from(["value", "change", "both"]))
    if kind == "growth":
        what = draw(st.sampled_from(["change", "change", "both"]))
    if what != "change":
        o["value"] = draw(share()) if is_share else draw(amount(t["unit"]))
    if what != "value":
        o["change"] = draw(change(points=is_share))
    if draw(st.booleans()):
        o["estimate"] = draw(st.sampled_from(["final", "preliminary", "expected"]))
    if "value" in o and draw(st.integers(0, 3)) == 0:
        text = str(o["value"])
        qualified = any(w.strip() in text for w in [*AT_LEAST, *AT_MOST, "以上", "以下", "+"])
        if not qualified:
            o["bound"] = draw(st.sampled_from(["exact", "at_least", "at_most"]))
    scope = draw(st.sampled_from(["own", "none", "none", "other", "bench"]))
    if scope == "own":
        o["scope"] = t["scope"]
    elif scope == "other":
        o["scope"] = draw(st.sampled_from(OTHER_SCOPES) | user_text)
    elif scope == "bench" and "scope" in t.get("benchmark", {}):
        o["scope"] = t["benchmark"]["scope"]
    o["source"] = draw(some_source(shared))
    if draw(st.booleans()):
        o["note"] = draw(marked_text)
    if "change" in o and draw(st.integers(0, 4)) == 0:
        o["price_basis"] = draw(st.sampled_from(["real", "nominal"]))
    return o


@st.composite
def data_set(draw: st.DrawFn) -> DataSet:
    """One to four targets and up to eight observations of each (in a shuffled order)."""
    shared = {f"s{i}": draw(source()) for i in range(draw(st.integers(0, 2)))}  # YAML aliases
    ids = draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True), min_size=1,
                        max_size=4, unique=True))  # fmt: skip
    targets = [draw(target(tid, [i for i in ids if i != tid], shared)) for tid in ids]
    observations = [
        draw(observation(t, shared))
        for t in targets
        for _ in range(draw(st.sampled_from([0, 2, 3, 4, 5, 6, 8])))
    ]
    by_id = {t["id"]: t for t in targets}
    for t in targets:  # a relative target: values of its own and of the benchmark, side by side
        bench = t.get("benchmark", {})
        if bench and draw(st.booleans()):
            pair = draw(observation(t, shared))
            pair.pop("scope", None)
            other = {**draw(observation(by_id.get(bench.get("target"), t), shared))}
            other["period"] = pair["period"]
            if "scope" in bench:
                other["scope"] = bench["scope"]
            observations += [pair, other]
    return DataSet(targets, draw(st.permutations(observations)))


AS_OF = ["2019-01-01", "2023-06-30", "2024-12-31", "2025-06-30", "2026-11-22", "2030", "2024-02"]


@st.composite
def command_options(draw: st.DrawFn) -> dict[str, Any]:
    """The options every command takes, and the terminal it runs in."""
    return {
        "as_of": draw(st.sampled_from(AS_OF)),
        "method": draw(st.sampled_from(["growth-ratio", "linear"])),
        "lang": draw(st.sampled_from(["en", "zh"])),
        "columns": draw(st.sampled_from([40, 80, 120, 200])),
        "cache": draw(st.booleans()),
        "unicode": draw(st.booleans()),
        "flow": draw(st.sampled_from([False, None])),
    }


def _texts(data: Path, lang: str) -> dict[str, list[str]]:
    """Per target id, the user texts that ``show`` prints whole: the name, and the reason of a
    status set by hand; as read (a YAML writer's raw line separator reads as a line break)."""
    out: dict[str, list[str]] = {}
    for entry in load_dataset(data).targets:
        t = entry.model
        name = t.name_zh if lang == "zh" and t.name_zh else t.name
        out[t.id] = [name] + ([t.status_override.reason] if t.status_override else [])
    return out


@profile(quick_examples=30)
@given(ds=data_set(), opts=command_options())
def test_no_data_set_breaks_a_command(ds: DataSet, opts: dict[str, Any]) -> None:
    """validate, status (every format), show and report on a generated data set: known exit
    codes, no traceback, strict JSON, no control character, markup printed as text, one
    Markdown line per target, and the same verdict on the data from every command."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        ds.dump(data, opts["unicode"], opts["flow"])
        note((data / "targets.yaml").read_text(encoding="utf-8"))
        note((data / "observations.yaml").read_text(encoding="utf-8"))
        env = environment(root, opts["columns"], opts["cache"])
        common = ["--data", str(data), "--as-of", opts["as_of"]]
        assessed = [*common, "--method", opts["method"], "--lang", opts["lang"]]

        checked = cli(["validate", *common, "--format", "json"], env)
        if known_crash(checked):  # every command checks the data: all would crash the same way
            return
        sound(checked)
        assert checked.code in (0, 1), str(checked)
        problems = strict_json(checked.out)
        assert all(p["line"] >= 1 and p["col"] >= 1 for p in problems), checked.out
        valid = checked.code == 0
        for fmt in ("text", "github"):
            run = cli(["validate", *common, "--format", fmt], env)
            sound(run)
            assert run.code == checked.code, f"validate --format json says {checked.code}: {run}"
            no_control(run)

        n_shown = len(ds.targets)
        for fmt in ("json", "table", "csv", "markdown"):
            run = cli(["status", *assessed, "--format", fmt], env)
            sound(run)
            assert run.code == checked.code, f"validate says {checked.code}: {run}"
            if fmt == "json" and valid:
                doc = strict_json(run.out)
                # a target whose source was published after --as-of was not known: not shown
                day = date.fromisoformat(doc["as_of"])
                ends = [(e.model.id, published_end(e.model.source.published))
                        for e in load_dataset(data).targets]  # fmt: skip
                known = [tid for tid, end in ends if end is None or end <= day]
                assert [t["id"] for t in doc["targets"]] == known
                assert doc["filtered_by"].get("stated_later", 0) == len(ends) - len(known)
                n_shown = len(known)
                scorecard_agrees(doc)
            if fmt != "json":
                no_control(run)
            if fmt == "markdown" and valid:
                markdown_rows(run.out, n_shown)

        texts = _texts(data, opts["lang"]) if valid else {}
        for t in ds.targets if valid else ds.targets[:1]:
            run = cli(["show", t["id"], *assessed], env)
            sound(run)
            no_control(run)
            assert run.code == checked.code, f"validate says {checked.code}: {run}"
            shown = flat(run.out)
            for text in texts.get(t["id"], []):
                assert flat(terminal(text)) in shown, f"{text!r} not printed as text: {run}"

        page = root / "report.html"
        run = cli(["report", "--html", str(page), *assessed], env)
        sound(run)
        assert run.code == checked.code, f"validate says {checked.code}: {run}"
        if valid:
            html = page.read_text(encoding="utf-8")
            assert "<script" not in html.lower(), "user text reached the HTML unescaped"


# --- add-observation ----------------------------------------------------------------------------

ADD_TARGETS = """\
targets:
  - id: revenue
    name: Tourism revenue
    scope: Changchun
    unit: yuan
    target: 360 billion
    deadline: 2030
    start: 2021
    source: {title: Plan, url: "https://example.org/plan", published: 2021-03-01}
  - id: talent
    name: Talent pool
    scope: Changchun
    kind: level
    unit: people
    target: 1.7 million
    deadline: 2030
    source: {title: Plan, url: "https://example.org/plan", published: 2021-03-01}
  - id: gdp
    name: GDP growth
    scope: Changchun
    kind: growth
    unit: yuan
    target: 5.5%
    deadline: 2030
    start: 2021
    source: {title: Plan, url: "https://example.org/plan", published: 2021-03-01}
  - id: share
    name: Share of the digital economy
    scope: Changchun
    unit: percent
    target: 45%
    deadline: 2030
    source: {title: Plan, url: "https://example.org/plan", published: 2021-03-01}
"""
ADD_UNITS = {"revenue": "yuan", "talent": "people", "gdp": "yuan", "share": "percent"}
ADD_KINDS = {"revenue": "annual", "talent": "level", "gdp": "growth", "share": "annual"}
ENTRIES = """\
  - target: revenue
    period: 2023
    value: 241.11 billion yuan
    change: "+208.56%"
    source: &a {title: "Report: 2023", url: "https://example.org/r", published: 2024-03-07}
  # a comment between entries
  - target: talent
    period: 2022
    value: 1.2 million
    source: *a
  - target: share
    period: 2022
    value: 40.5%
    source: {title: Bulletin, published: 2023-03}
"""
BLOCK_END = (
    ENTRIES
    + """\
  - target: gdp
    period: 2022
    change: +4.5%
    source: {title: Bulletin}
    note: |
      first line
      last line"""
)
# Existing observations files of every layout the writer meets. The old bytes stay a prefix of
# the new file, except where the documentation says otherwise: `[]` and `~` after
# `observations:` are dropped (comments between the brackets stay), a block scalar that ends
# the file without a line break gets the strip indicator `|-`, and a document end marker `...`
# (with what follows) stays after the entry.
LAYOUTS: dict[str, bytes] = {
    "lf": ("observations:\n" + ENTRIES).encode(),
    "crlf": ("observations:\n" + ENTRIES).replace("\n", "\r\n").encode(),
    "no-final-newline": ("observations:\n" + ENTRIES).rstrip("\n").encode(),
    "bom": ("\ufeffobservations:\n" + ENTRIES).encode(),
    "indent-0": ("observations:\n" + ENTRIES.replace("\n  ", "\n").lstrip()).encode(),
    "indent-4": ("observations:\n" + re.sub("(?m)^(?= )", "  ", ENTRIES)).encode(),
    "comment-last": ("# head\nobservations:\n" + ENTRIES + "# the end").encode(),
    "empty": b"",
    "comment-only": b"# no figures yet\n",
    "empty-flow-list": b"observations: []  # none yet\n",
    "empty-flow-list-lines": b"observations: [  # none yet\n  # really none\n]  # end\n",
    "tilde": b"observations: ~\n",
    "no-value": b"observations:\n",
    "block-scalar-end": ("observations:\n" + BLOCK_END).encode(),
    "document-end": ("observations:\n" + ENTRIES + "...\n# after the end\n").encode(),
    "flow-list": b"observations: [{target: talent, period: 2022, value: 5, source: {title: x}}]\n",
}


def kept(layout: str, old: bytes, new: bytes) -> bool:
    """True when the new file keeps every old byte as the documentation says it must."""
    if layout == "empty-flow-list":
        return new.startswith(b"observations:  # none yet\n")
    if layout == "empty-flow-list-lines":
        return new.startswith(b"observations:  # none yet\n  # really none\n  # end\n")
    if layout == "tilde":
        return new.startswith(b"observations:\n")
    if layout == "block-scalar-end":
        head, _, tail = old.rpartition(b"note: |")
        return new.startswith(head + b"note: |-" + tail + b"\n")
    if layout == "document-end":
        cut = old.index(b"\n...") + 1
        return new.startswith(old[:cut]) and new.endswith(old[cut:])
    return new.startswith(old)


ARG_TEXT = [
    "He said: 'over 300' # not a comment", 'Report: "tourism", 2024 {draft}', "People's Daily",
    "a, b", "x: y", "#hash", "- dash", "? q", "!tag", "&anchor", "*alias", "%pct", "@at", "`tick",
    "|", "> gt", "---", "...", "yes", "no", "null", "~", "true", "2024", "010", "1e6", "1:30",
    "2024-01-01", "trailing ", " leading", "trailing.", "multi\nline", "tab\tinside", "back\\slash",
    "nel\x85char", "ls\u2028ps\u2029", "\u00a0nbsp", "中文：全角冒号", "长春市区", "emoji 🎉",
    "\x1b[31mred", "[bold]x[/]", "\ufeffbom", "\ufffe", "lone \udcff surrogate", "",
]  # fmt: skip
arg_text = st.tuples(
    st.sampled_from(["", "", "", " ", "\t", "\n", "\u3000"]),
    st.sampled_from(ARG_TEXT) | user_text | st.text(max_size=12),
    st.sampled_from(["", "", "", " ", "\n", "\r\n", "\u00a0"]),
).map("".join)  # now and then with blanks around it, which must stay
PUBLISHED = [*DATES, "2024/3/7", "2024-3-7", "２０２４－０３－０７", "2024年3月", "2024-02-30",
             "yesterday", "2024-13"]  # fmt: skip
URLS = ["https://example.org/report", "https://example.org/a?b=c&d=[e]#f, g: h",
        "http://x.example/长春", "https://example.org/new\nline"]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Add:
    """One add-observation command line, as typed."""

    target: str
    period: str
    value: str
    source: str
    options: tuple[tuple[str, str], ...]
    force: bool
    dry_run: bool

    def args(self, data: Path) -> list[str]:
        """Options as ``--name=value`` (a value may start with '-'), then ``--`` and the
        positional arguments."""
        opts = [f"--{k}={v}" for k, v in self.options]
        flags = ["--force"] * self.force
        return ["add-observation", f"--source={self.source}", *opts, *flags,
                f"--data={data}", "--", self.target, self.period, self.value]  # fmt: skip

    def option(self, name: str) -> str | None:
        return dict(self.options).get(name)


@st.composite
def add_command(draw: st.DrawFn) -> Add:
    """Valid arguments for the most part: a value and change that fit the target, a period of
    its kind in any spelling; texts of every kind."""
    target = draw(st.sampled_from([*ADD_UNITS, *ADD_UNITS, *ADD_UNITS, "revenu"]))
    kind, unit = ADD_KINDS.get(target, "annual"), ADD_UNITS.get(target, "yuan")
    options: list[tuple[str, str]] = []
    value = draw(share()) if unit == "percent" else str(draw(amount(unit)))
    if kind == "growth" or draw(st.integers(0, 3)) == 0:
        options.append(("change", draw(change(points=unit == "percent"))))
        if kind == "growth" or draw(st.booleans()):
            value = "-"
    for name, values in (("estimate", ["final", "preliminary", "expected"]),
                         ("bound", ["exact", "at_least", "at_most"]),
                         ("reliability", ["A", "B", "C"])):  # fmt: skip
        if draw(st.integers(0, 3)) == 0:
            options.append((name, draw(st.sampled_from(values))))
    for name in ("scope", "source-title", "publisher", "note"):
        if draw(st.booleans()):
            text = hostile_unless("escape-add-echo", arg_text) if name == "scope" else arg_text
            options.append((name, draw(text)))
    if draw(st.booleans()):
        options.append(("published", draw(st.sampled_from(PUBLISHED))))
    url = draw(st.booleans())
    source = draw(st.sampled_from(URLS)) if url else draw(arg_text)
    return Add(target, str(draw(period(kind))), value, source, tuple(options),
               draw(st.integers(0, 4)) == 0, draw(st.integers(0, 4)) == 0)  # fmt: skip


def expected_source(cmd: Add) -> dict[str, str | None]:
    """The source the entry must read back with (docs/data-format.md §10)."""
    is_url = re.match(r"https?://", cmd.source) is not None
    published = cmd.option("published")
    if published:
        published = parse_period(published).text
    return {
        "title": cmd.option("source-title") or (None if is_url else cmd.source) or None,
        "publisher": cmd.option("publisher") or None,
        "url": cmd.source if is_url else None,
        "published": published,
        "reliability": cmd.option("reliability"),
    }


def reads_back(cmd: Add, data: Path, before: int) -> None:
    """The new entry, read with the reader every command uses, holds what was typed."""
    ds = load_dataset(data)
    assert not [p for p in ds.problems if p.is_error], ds.problems
    assert len(ds.observations) == before + 1
    entry = max(ds.observations, key=lambda e: e.at()[0])
    o, node = entry.model, entry.node
    assert o.target == cmd.target
    assert o.period.text == parse_period(cmd.period).text
    if cmd.value == "-":
        assert "value" not in node
    else:
        assert str(node["value"]) == normalise_text(cmd.value)  # the spelling, in ASCII digits
        assert o.value == parse_quantity(normalise_text(cmd.value))
    typed_change = cmd.option("change")
    if typed_change is None:
        assert "change" not in node
    else:
        assert node["change"] == normalise_text(typed_change)
        typed = parse_change(normalise_text(typed_change))
        assert (o.change, o.change_points) == (typed.value, typed.points)
    for name in ("estimate", "bound"):
        assert node.get(name) == cmd.option(name)
    assert node.get("scope") == cmd.option("scope")
    assert o.scope == cmd.option("scope")
    src = o.source
    shown = {"title": src.title, "publisher": src.publisher, "url": src.url,
             "published": src.published, "reliability": src.reliability}  # fmt: skip
    assert shown == expected_source(cmd)
    note = cmd.option("note") or None
    if cmd.force and o.note != note:  # --force records why the value was refused in the note
        assert o.note is not None and "recorded with --force: " in o.note
        assert note is None or o.note.startswith(f"{note}; recorded with --force: ")
    else:
        assert o.note == note
    assert set(node) <= {"target", "period", "value", "change", "estimate", "bound", "scope",
                         "source", "note"}  # fmt: skip


def _usable(cmd: Add) -> bool:
    """Whether the typed arguments are readable (else the command must exit 2 or 1)."""
    try:
        parse_period(cmd.period)
        if cmd.value != "-":
            parse_quantity(cmd.value)
        if cmd.option("change") is not None:
            parse_change(cmd.option("change"))
    except (PeriodError, QuantityError):
        return False
    return True


@profile(quick_examples=80)
@given(layout=st.sampled_from(list(LAYOUTS)), cmd=add_command(), columns=st.sampled_from([80]))
def test_add_observation_writes_what_was_typed_or_nothing(
    layout: str, cmd: Add, columns: int
) -> None:
    """Either the command refuses (exit 1 or 2) and the file is byte for byte unchanged, or
    it appends an entry that keeps the old bytes, validates and reads back as typed."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = root / "data"
        data.mkdir()
        (data / "targets.yaml").write_text(ADD_TARGETS, encoding="utf-8")
        path = data / "observations.yaml"
        old = LAYOUTS[layout]
        path.write_bytes(old)
        before = len(load_dataset(data).observations)
        env = environment(root, columns, cache=True)
        args = cmd.args(data)
        note(repr(args))

        if cmd.dry_run:
            dry = cli([*args[:1], "--dry-run", *args[1:]], env)
            if not known_crash(dry):
                sound(dry)
                no_control(dry)
            assert path.read_bytes() == old, "--dry-run wrote"

        run = cli(args, env)
        if known_crash(run):  # an open bug; nothing may have been written all the same
            assert path.read_bytes() == old
            return
        sound(run)
        no_control(run)
        new = path.read_bytes()
        assert not list(data.glob(".cctrack-tmp-*")), "a temporary file was left behind"
        if run.code != 0:
            assert new == old, f"refused, yet the file changed: {run}"
            return
        assert cmd.target in ADD_UNITS and _usable(cmd), f"accepted bad arguments: {run}"
        assert layout != "flow-list", str(run)
        assert kept(layout, old, new), f"old bytes not kept:\n{old!r}\n{new!r}"
        if cmd.dry_run and dry.code == 0:  # what --dry-run printed is what was appended
            entry = dry.out.replace("\n", "\r\n") if layout == "crlf" else dry.out
            assert entry.encode() in new, f"{dry.out!r} not in {new!r}"
        checked = cli(["validate", "--data", str(data)], env)
        assert checked.code == 0, str(checked)
        reads_back(cmd, data, before)


def test_layouts_read_as_written() -> None:
    """The observations files above are what they say: valid but for the flow list."""
    for name, content in LAYOUTS.items():
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            (data / "targets.yaml").write_text(ADD_TARGETS, encoding="utf-8")
            (data / "observations.yaml").write_bytes(content)
            assert not [p for p in load_dataset(data).problems if p.is_error], name


# --- fixed: an empty flow list written on several lines ------------------------------------------


def test_add_observation_to_an_empty_list_on_several_lines(tmp_path: Path) -> None:
    """``observations: [`` and ``]`` on different lines: an internal error (ValueError in
    cctrack/append.py _placement, which looked for the ``]`` on the line of the ``[``). The
    brackets go, the comments between them stay."""
    old = b"# head\nobservations: [  # none yet\n  # really none\n]  # end\n"
    (tmp_path / "targets.yaml").write_text(ADD_TARGETS, encoding="utf-8")
    (tmp_path / "observations.yaml").write_bytes(old)
    env = environment(tmp_path, 80, cache=False)
    for content in (old, b"observations: [\n]", b"observations: &a !!seq [\r\n  ]\r\n"):
        (tmp_path / "observations.yaml").write_bytes(content)
        run = cli(["add-observation", "--source=https://example.org/r", f"--data={tmp_path}",
                   "--", "talent", "2023", "1.3 million"], env)  # fmt: skip
        sound(run)
        assert run.code == 0, str(run)
        assert cli(["validate", f"--data={tmp_path}"], env).code == 0
        [entry] = load_dataset(tmp_path).observations
        assert entry.model.value == parse_quantity("1.3 million")
    (tmp_path / "observations.yaml").write_bytes(old)
    cli(["add-observation", "--source=https://example.org/r", f"--data={tmp_path}", "--",
         "talent", "2023", "1.3 million"], env)  # fmt: skip
    new = (tmp_path / "observations.yaml").read_bytes()
    assert new.startswith(b"# head\nobservations:  # none yet\n  # really none\n  # end\n  - ")


# --- open bugs: minimal reproductions -------------------------------------------------------------

SOURCE = '{title: T, url: "https://example.org", published: 2021-01-01}'


def _target(tid: str, extra: str = "", unit: str = "yuan") -> str:
    return (f"  - id: {tid}\n    name: {tid.upper()}\n    scope: City\n    unit: {unit}\n"
            f"    target: 100\n    deadline: 2025\n    start: 2021\n{extra}"
            f"    source: {SOURCE}\n")  # fmt: skip


def _reproduce(tmp_path: Path, targets: str, observations: str, *args: str) -> Run:
    (tmp_path / "targets.yaml").write_text("targets:\n" + targets, encoding="utf-8")
    (tmp_path / "observations.yaml").write_text("observations:\n" + observations, encoding="utf-8")
    env = environment(tmp_path, 120, cache=False)
    return cli([*args, f"--data={tmp_path}", "--as-of=2024-06-30"], env)


OBSERVED = "".join(
    f"  - {{target: a, period: {year}, value: {value}, source: {SOURCE}}}\n"
    for year, value in ((2020, 50), (2023, 80))
)


def test_status_table_escapes_a_plan(tmp_path: Path) -> None:
    """Found by the property (fixed): the plan heading of the table was printed raw."""
    targets = _target("a", '    plan: "P\\e[2J"\n') + _target("b")
    no_control(_reproduce(tmp_path, targets, OBSERVED, "status"))


@pytest.mark.parametrize("command", [["status"], ["show", "a"]], ids=["status", "show"])
def test_a_unit_is_escaped(tmp_path: Path, command: list[str]) -> None:
    """Found by the property (fixed): a unit reached the goal cell and the chart raw."""
    targets = _target("a", unit='"yu\\e[31man"')
    no_control(_reproduce(tmp_path, targets, OBSERVED, *command))


def test_show_escapes_an_override_reason(tmp_path: Path) -> None:
    """Found by the property (fixed): the reason was appended to the status line raw."""
    targets = _target("a", '    status_override: {status: on_track, reason: "x\\e]0;PWNED\\a"}\n')
    no_control(_reproduce(tmp_path, targets, OBSERVED, "show", "a"))


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]], ids=["write", "dry-run"])
def test_add_observation_escapes_what_it_echoes(tmp_path: Path, dry_run: list[str]) -> None:
    """Found by the property (fixed): "recorded ..." echoed the scope raw."""
    (tmp_path / "targets.yaml").write_text("targets:\n" + _target("a"), encoding="utf-8")
    (tmp_path / "observations.yaml").write_text("observations:\n" + OBSERVED, encoding="utf-8")
    env = environment(tmp_path, 120, cache=False)
    scope = "--scope=x\x1b]0;PWNED\x07"
    run = cli(["add-observation", *dry_run, "--source=T", scope, f"--data={tmp_path}", "--", "a",
               "2024", "90"], env)  # fmt: skip
    assert run.code == 0, str(run)
    no_control(run)


@pytest.mark.parametrize(
    "command",
    [["status", "--format=json"], ["show", "p"], ["show", "p", "--lang=zh"],
     ["report", "--html=REPORT"]],
    ids=["status-json", "show", "show-zh", "report"],
)  # fmt: skip
def test_a_relative_target_without_a_base_renders(tmp_path: Path, command: list[str]) -> None:
    """Found by the property (fixed): why_text asserted a base, which a relative target's
    verdict does not have (exit 3)."""
    data = tmp_path / "data"
    data.mkdir()
    targets = "  - {id: p, name: P, scope: City, unit: yuan, target: 2, "
    targets += "benchmark: {scope: Province}, source: {title: T}}\n"
    observations = (
        "  - {target: p, period: 2016, value: 1, source: {title: T}}\n"
        "  - {target: p, period: 2016, value: 1, scope: Province, source: {title: T}}\n"
    )
    args = [a.replace("REPORT", str(tmp_path / "r.html")) for a in command]
    run = _reproduce(data, targets, observations, *args)
    sound(run)
    assert run.code == 0, str(run)


def test_an_inconsistent_change_beside_a_huge_derived_value(tmp_path: Path) -> None:
    """Found by the property (fixed): quantize failed on a derived value past 28 digits."""
    targets = "  - {id: a, name: A, scope: City, unit: yuan, target: 100, source: {title: T}}\n"
    observations = (
        "  - {target: a, period: 2023, value: 1e29, change: '+0%', source: {title: T}}\n"
        "  - {target: a, period: 2023, change: '+5%', source: {title: U}}\n"
    )
    run = _reproduce(tmp_path, targets, observations, "validate")
    sound(run)
