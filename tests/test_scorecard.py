"""The plan's scorecard and ``status --due``: what each verdict counts as (docs/method.md §18),
the counts against the table's at several dates, the grouping of every output, both languages.

The data set is built by hand: a 14th-plan target of each kind of outcome, a 15th-plan target
not due yet, an annual target without a plan and a target without a deadline. Each value is
published in March of the next year, so the as-of dates below see the figures arrive.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import make_obs, make_target
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from cctrack.assess import assess
from cctrack.cli import app
from cctrack.domain import Status
from cctrack.scorecard import Outcome, outcome, parse_due

P14, P15 = "14th Five-Year Plan (2021-2025)", "15th Five-Year Plan (2026-2030)"


def _target(
    tid: str, target: int | str, deadline: int | None, start: int | None, plan: str | None
) -> str:
    lines = [f"  - id: {tid}", f"    name: Target {tid}", "    scope: City", "    unit: yuan",
             f"    target: {target}"]  # fmt: skip
    if deadline is not None:
        lines.append(f"    deadline: {deadline}")
    if start is not None:
        lines.append(f"    start: {start}")
    if plan is not None:
        lines.append(f"    plan: {plan}")
    lines.append("    source: {title: Plan, url: https://example.org/plan, published: 2021-03-01}")
    return "\n".join(lines) + "\n"


TARGETS = "targets:\n" + "".join([
    _target("m", 100, 2025, 2021, P14),  # 120 in 2025: met
    _target("x", 100, 2025, 2021, P14),  # 70 in 2025: missed
    _target("n", 100, 2025, 2021, P14),  # no 2025 figure: unresolved · trend, no final figure
    _target("e", 100, 2025, 2021, P14),  # no figure at all: no data
    _target("a", 100, 2025, 2021, P14),  # 110 in 2023: achieved early
    _target("u", "100.3", 2025, 2021, P14),  # 100 in 2025 (99.5-100.5): the readings disagree
    _target("f", 200, 2030, 2026, P15),  # not due before 2031
    _target("d", 1000, None, None, None),  # without a deadline
    _target("y", 100, 2024, None, None),  # 120 in 2024, published 2025-03-01: met
])  # fmt: skip

VALUES = {"m": {2020: 50, 2023: 80, 2025: 120}, "x": {2020: 50, 2023: 60, 2025: 70},
          "n": {2020: 50, 2023: 80}, "a": {2020: 50, 2023: 110},
          "u": {2020: 50, 2023: 80, 2025: 100}, "d": {2020: 50, 2023: 80},
          "y": {2023: 90, 2024: 120}}  # fmt: skip
OBSERVATIONS = "observations:\n" + "".join(
    f"  - {{target: {tid}, period: {year}, value: {value}, source: {{title: B{year}, "
    f"url: https://example.org/b{year}, published: {year + 1}-03-01}}}}\n"
    for tid, values in VALUES.items()
    for year, value in values.items()
)

# Each target's outcome by as-of date, worked out by hand from the rule of docs/method.md §18.
BEFORE = {"m": "not_due", "x": "not_due", "n": "not_due", "e": "not_due",
          "a": "achieved_early", "u": "not_due", "f": "not_due", "d": "no_deadline"}  # fmt: skip
EXPECTED = {
    "2024-06-30": BEFORE | {"y": "not_due"},  # y's year not over
    "2025-01-31": BEFORE | {"y": "no_final_figure"},  # over, its figure not yet published
    "2025-06-30": BEFORE | {"y": "met"},
    "2026-06-30": {
        "m": "met",
        "x": "missed",
        "n": "no_final_figure",
        "e": "no_final_figure",
        "a": "achieved_early",
        "u": "unresolved",
        "f": "not_due",
        "d": "no_deadline",
        "y": "met",
    },
}
PLAN_ORDER = [P15, P14, None]  # the newest plan first, targets without a plan last


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("scorecard") / "data"
    d.mkdir()
    (d / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    (d / "observations.yaml").write_text(OBSERVATIONS, encoding="utf-8")
    return d


def run(*args: str, width: int = 200) -> tuple[int, str, str]:
    runner = CliRunner(env={"COLUMNS": str(width), "NO_COLOR": "1", "CCTRACK_DATA": None})
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def status(data: Path, as_of: str, *args: str, width: int = 200) -> str:
    code, out, err = run("status", "--data", str(data), "--as-of", as_of, *args, width=width)
    assert code == 0, err
    return out


# --- what each target counts as ----------------------------------------------------------------


@pytest.mark.parametrize("as_of", list(EXPECTED))
def test_each_outcome_at_several_dates(data: Path, as_of: str) -> None:
    doc = json.loads(status(data, as_of, "--format", "json"))
    assert {t["id"]: t["outcome"] for t in doc["targets"]} == EXPECTED[as_of]
    assert [t["id"] for t in doc["targets"]] == list(EXPECTED[as_of])  # JSON keeps file order
    assert [c["plan"] for c in doc["scorecard"]] == PLAN_ORDER
    for card in doc["scorecard"]:
        ids = [t["id"] for t in doc["targets"] if t["plan"] == card["plan"]]
        want = {o: sorted(i for i in ids if EXPECTED[as_of][i] == o) for o in card["counts"]}
        assert card["counts"] == {o: len(v) for o, v in want.items()}
        assert {o: sorted(v) for o, v in card["ids"].items()} == {o: v for o, v in want.items()
                                                                  if v}  # fmt: skip
        assert card["targets"] == len(ids)


def test_the_lines_as_of_a_date_after_the_deadline(data: Path) -> None:
    out = status(data, "2026-06-30")
    lines = out.splitlines()
    at = lines.index(P14)
    assert lines[at + 1] == ("6 targets due 2025: 1 met, 1 missed, 1 unresolved, 1 achieved "
                             "early, 2 no final figure")  # fmt: skip
    assert lines[lines.index(P15) + 1] == "1 target due 2030: 1 not due yet"
    no_plan = lines.index("Targets without a plan")
    assert lines[no_plan + 1] == "1 target due 2024: 1 met; 1 target without a deadline"
    doc = json.loads(status(data, "2026-06-30", "--format", "json"))
    assert doc["scorecard"][1]["text"] == f"{P14}, {lines[at + 1]}"
    assert doc["scorecard"][1]["due"] == "2025"


def test_the_lines_in_chinese(data: Path) -> None:
    out = status(data, "2026-06-30", "--lang", "zh")
    assert ("2025年到期的目标6项：已达成1项、未达成1项、未定1项、提前实现1项、无最终数据2项"
            in out.splitlines())  # fmt: skip
    assert "2030年到期的目标1项：未到期1项" in out.splitlines()
    assert "2024年到期的目标1项：已达成1项；另有无期限的目标1项" in out.splitlines()
    md = status(data, "2026-06-30", "--lang", "zh", "--format", "markdown")
    assert "### “十四五”规划（2021—2025年）" in md.splitlines()
    wide = status(data, "2026-06-30", "--lang", "zh", "--due", "2021/2030")
    assert (
        "2021-2030年到期的目标6项：已达成1项、未达成1项、未定1项、提前实现1项、无最终数据2项"
        in wide
    )


def test_one_target_is_singular_in_english(data: Path) -> None:
    out = status(data, "2026-06-30", "d")
    assert "1 target without a deadline" in out.splitlines()
    out = status(data, "2026-06-30", "m", "x")
    assert "2 targets due 2025: 1 met, 1 missed" in out.splitlines()


# --- the counts are the table's ----------------------------------------------------------------


def table_outcome(shown_status: str, deadline: str, as_of: date) -> str:
    """What a row of the table counts as, read from its status and deadline as shown: the rule
    of docs/method.md §18 written again from the words, independently of cctrack.scorecard."""
    if shown_status.startswith(("met", "missed")):
        return shown_status.split()[0]
    if shown_status.startswith("unresolved") and "·" not in shown_status:
        return "unresolved"
    if shown_status.startswith("achieved"):
        return "achieved_early"
    if not deadline:
        return "no_deadline"
    return "no_final_figure" if as_of > date(int(deadline), 12, 31) else "not_due"


WORDS = {"met": "met", "missed": "missed", "unresolved": "unresolved",
         "achieved early": "achieved_early", "no final figure": "no_final_figure",
         "not due yet": "not_due"}  # fmt: skip


def line_counts(line: str) -> dict[str, int]:
    """``6 targets due 2025: 1 met, 2 no final figure; 1 target without a deadline`` as counts."""
    head, _, rest = line.partition(": ")
    counts: dict[str, int] = {}
    dated, _, undated = rest.partition("; ")
    for part in dated.split(", "):
        n, _, word = part.partition(" ")
        m = re.fullmatch(r"(.*) \((\d+) provisional\)", word)
        if m:  # met or missed, some on figures not yet final
            word = m[1]
            counts[f"{WORDS[word]} provisional"] = int(m[2])
        counts[WORDS[word]] = int(n)
    if undated:
        counts["no_deadline"] = int(undated.split()[0])
    total = int(head.split()[0]) + counts.get("no_deadline", 0)
    assert sum(v for k, v in counts.items() if " " not in k) == total, line
    return counts


@pytest.mark.parametrize("as_of", ["2024-06-30", "2025-01-31", "2025-06-30", "2026-06-30",
                                   "2031-06-30"])  # fmt: skip
@pytest.mark.parametrize("data_set", ["hand-built", "shipped"])
def test_the_scorecard_counts_are_the_tables(data: Path, as_of: str, data_set: str) -> None:
    rows = list(csv.DictReader(io.StringIO(_csv(data_set, data, as_of))))
    from_table: dict[str, dict[str, int]] = {}
    for r in rows:
        o = table_outcome(r["status"], r["deadline"], date.fromisoformat(as_of))
        assert o == r["outcome"], r["id"]
        counts = from_table.setdefault(r["plan"], {})
        counts[o] = counts.get(o, 0) + 1
        if "(provisional)" in r["status"]:
            counts[f"{o} provisional"] = counts.get(f"{o} provisional", 0) + 1
    lines = _table(data_set, data, as_of).splitlines()
    shown = {plan: line_counts(lines[lines.index(_heading(plan)) + 1]) for plan in from_table}
    assert shown == from_table


def _csv(data_set: str, data: Path, as_of: str) -> str:
    args = ["--data", str(data)] if data_set == "hand-built" else []
    code, out, err = run("status", *args, "--as-of", as_of, "--format", "csv")
    assert code == 0, err
    return out


def _table(data_set: str, data: Path, as_of: str) -> str:
    args = ["--data", str(data)] if data_set == "hand-built" else []
    code, out, err = run("status", *args, "--as-of", as_of)
    assert code == 0, err
    return out


def _heading(plan: str) -> str:
    """The English heading of a plan as written (the pattern of "2026 annual targets" aside)."""
    return plan or "Targets without a plan"


# --- --due -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "ids"),
    [
        ("2025", ["m", "x", "n", "e", "a", "u"]),  # deadline 2025 inside; 2024, 2030, none out
        ("2024", ["y"]),
        ("2024/2025", ["m", "x", "n", "e", "a", "u", "y"]),  # the interval, both ends in
        ("2026/2029", []),
        ("2021/2030", ["m", "x", "n", "e", "a", "u", "f", "y"]),  # never the undated one
        ("２０２５", ["m", "x", "n", "e", "a", "u"]),  # as a Chinese keyboard types it
        ("2024年至2025年", ["m", "x", "n", "e", "a", "u", "y"]),
    ],
)
def test_due_selects_by_deadline(data: Path, due: str, ids: list[str]) -> None:
    out = status(data, "2026-06-30", "--due", due, "--format", "csv")
    assert sorted(r["id"] for r in csv.DictReader(io.StringIO(out))) == sorted(ids)


def test_due_combines_with_the_other_filters_and_names_the_years(data: Path) -> None:
    out = status(data, "2026-06-30", "--due", "2024/2025", "--plan", "14th", "--format", "json")
    doc = json.loads(out)
    assert [t["id"] for t in doc["targets"]] == ["m", "x", "n", "e", "a", "u"]
    (card,) = doc["scorecard"]
    assert card["due"] == "2024/2025"
    assert card["text"].startswith(f"{P14}, 6 targets due 2024-2025: 1 met")
    table = status(data, "2026-06-30", "--due", "2024/2025")
    assert "1 target due 2024-2025: 1 met" in table.splitlines()  # y: the years asked for
    assert (
        status(data, "2026-06-30", "--due", "2025", "m", "d", "--format", "csv").count("\n") == 2
    )  # the header and m: d has no deadline
    empty = status(data, "2026-06-30", "--due", "2027")
    assert "0 targets" in empty


@pytest.mark.parametrize(
    "bad", ["", "25", "2025/2021", "2025-06", "2021/2025/2030", "abc", "2021/", "20x5", "2025.0"]
)
def test_a_bad_due_is_a_one_line_usage_error(data: Path, bad: str) -> None:
    code, out, err = run("status", "--data", str(data), "--due", bad)
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    assert line.startswith("cctrack: error: --due: ") and repr(bad) in line
    assert "Traceback" not in err


@given(st.integers(1000, 9999), st.integers(0, 50))
def test_due_reads_every_interval(first: int, span: int) -> None:
    last = first + span
    if last > 9999:
        return
    assert parse_due(f"{first}/{last}") == (first, last)
    assert parse_due(f"{first}-{last}") == (first, last)
    assert parse_due(str(first)) == (first, first)
    assert parse_due(f"{last}/{first}") == (None if span else (first, first))


# --- every output grouped ------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_output_is_grouped_in_the_same_plan_order(
    data: Path, lang: str, tmp_path: Path
) -> None:
    as_of = "2026-06-30"
    doc = json.loads(status(data, as_of, "--format", "json", "--lang", lang))
    lines = [c["text"] for c in doc["scorecard"]]  # English in every --lang
    assert [c["plan"] for c in doc["scorecard"]] == PLAN_ORDER
    order = ["f", "m", "x", "n", "e", "a", "u", "d", "y"]  # plan by plan, file order within
    rows = list(csv.DictReader(io.StringIO(status(data, as_of, "--format", "csv", "--lang", lang))))
    assert [r["id"] for r in rows] == order
    assert [r["plan"] for r in rows] == [P15] + [P14] * 6 + ["", ""]
    table = status(data, as_of, "--lang", lang).splitlines()
    md = status(data, as_of, "--format", "markdown", "--lang", lang).splitlines()
    headings = [ln.removeprefix("### ") for ln in md if ln.startswith("### ")]
    assert len(headings) == 3
    md_ids = [ln.split(" | ")[0].removeprefix("| ") for ln in md if ln.startswith("| ")]
    assert [i for i in md_ids if i in order] == order
    unescaped = [re.sub(r"\\(.)", r"\1", h) for h in headings]
    assert [ln for ln in table if ln in unescaped] == unescaped  # the table's headings too
    for h in unescaped:  # each heading is followed by its scorecard line, in both outputs
        short = table[table.index(h) + 1]
        assert re.sub(r"\\(.)", r"\1", md[md.index(f"### {headings[unescaped.index(h)]}") + 2]) == (
            short
        )
    if lang == "en":
        assert [f"{h}, {table[table.index(h) + 1]}" for h in unescaped] == lines
    html = tmp_path / "r.html"
    code, _, err = run("report", "--data", str(data), "--as-of", as_of, "--lang", lang,
                       "--html", str(html))  # fmt: skip
    assert code == 0, err
    page = html.read_text(encoding="utf-8")
    sections = re.findall(r'<section class="plan" id="plan-(\d)".*?</section>', page, re.S)
    assert sections == ["1", "2", "3"]
    cards = re.findall(r'<section class="card" id="target-([^"]+)"', page)
    assert cards == order
    titles = re.findall(r'<h2 class="plan-title" id="plan-title-\d">(.*?)</h2>', page)
    assert [t.replace("&#x27;", "'") for t in titles] == unescaped
    scorecard = page.index('<ul class="scorecard">')
    assert scorecard < page.index('<section class="summary"')  # the scorecard at the top
    top = re.findall(r'<li data-outcomes="([^"]*)"><a href="#plan-\d">(.*?)</a></li>', page)
    assert [t for _, t in top] == [f"{h}{'，' if lang == 'zh' else ', '}"
                                   f"{table[table.index(h) + 1]}" for h in unescaped]  # fmt: skip
    assert top[1][0] == ("met:1 missed:1 unresolved:1 achieved_early:1 no_final_figure:2")


# --- the rule on its own -------------------------------------------------------------------------


def _src(published: str) -> dict[str, str]:
    return {"title": "t", "url": "https://x", "published": published}


@pytest.mark.parametrize(
    ("as_of", "status", "counted"),
    [
        (date(2026, 11, 15), Status.on_track, Outcome.not_due),  # an in-year verdict: a trend
        (date(2027, 1, 31), Status.unresolved, Outcome.no_final_figure),  # the year over
        (date(2027, 4, 30), Status.met, Outcome.met),  # the year's own figure
    ],
)
def test_an_in_year_verdict_is_not_due_yet(as_of: date, status: Status, counted: Outcome) -> None:
    """The in-year example of tests/test_in_year.py: 5800 in January-September 2026 against 5400
    a year before, a target of 8000 for 2026 after 7500 in 2025; 8100 for 2026 in April 2027."""
    observations = [
        make_obs(2025, 7500, source=_src("2026-04-01")),
        make_obs("2025-01/2025-09", 5400, source=_src("2025-10-20")),
        make_obs("2026-01/2026-09", 5800, source=_src("2026-10-20")),
        make_obs(2026, 8100, source=_src("2027-04-01")),
    ]
    a = assess(make_target(target=8000, deadline=2026, start=2026), observations, as_of)
    assert a.status is status
    assert outcome(a) is counted


def test_a_status_that_is_not_a_final_verdict_counts_by_the_calendar() -> None:
    """A status the rule has never heard of (a later one, such as "pending") is not final: it
    counts as not due yet before the deadline period ends, no final figure after, and as
    without a deadline when there is none. The one rule needs no change for it."""
    a = assess(make_target(), [], date(2025, 6, 30))
    new = SimpleNamespace(target=a.target, status="pending", trend_status=None, as_of=a.as_of)
    assert outcome(new) is Outcome.not_due  # type: ignore[arg-type]
    new.as_of = date(2026, 1, 1)  # the day after the deadline period
    assert outcome(new) is Outcome.no_final_figure  # type: ignore[arg-type]
    new.as_of = date(2025, 12, 31)  # its last day: not over yet
    assert outcome(new) is Outcome.not_due  # type: ignore[arg-type]
    new.target = make_target(deadline=None, start=None)
    assert outcome(new) is Outcome.no_deadline  # type: ignore[arg-type]


def test_report_due_shows_the_targets_due_and_says_what_it_left_out(
    data: Path, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    code, _, err = run("report", "--data", str(data), "--as-of", "2026-06-30", "--due",
                       "2024/2025", "--html", str(page))  # fmt: skip
    assert code == 0, err
    html = page.read_text("utf-8")
    cards = re.findall(r'<section class="card" id="target-([^"]+)"', html)
    assert sorted(cards) == sorted(["m", "x", "n", "e", "a", "u", "y"])  # as status --due
    assert "6 targets due 2024-2025: 1 met" in html and "1 target due 2024-2025" in html
    assert re.search(r'class="meta filtered">2 targets not shown: 2 not due 2024-2025', html)
    code, _, err = run("report", "--data", str(data), "--due", "2025/2021", "--html", str(page))
    assert code == 2 and err.startswith("cctrack: error: --due: ")
