"""`--lang zh`: Chinese throughout `status`, `show` and `report`.

The English words are taken from the English catalogue itself (every entry of
``cctrack/render/locale/en.po``) and the sentences the English renderers make for every
assessment of the data sets below. Each Chinese output is stripped of the data's own text (ids,
names, scopes, plans, sources, notes, quotes, reasons: the data's language, shown as written),
and what is left may hold no English word: only the few ASCII words that are names or syntax
(``cctrack``, the command ``show``, ``abs`` in the formulas) and single letters (marks, grades,
R).
"""

from __future__ import annotations

import functools
import re
import shutil
import struct
import subprocess
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import yaml
from typer.testing import CliRunner

from cctrack.assess import CAVEATS, NOTES, Assessment, Note, Role
from cctrack.categories import CATEGORIES
from cctrack.cli import app
from cctrack.domain import Cadence, Confidence, Direction, Estimate, Kind, Release, Status, Target
from cctrack.location import PACKAGED
from cctrack.pipeline import run
from cctrack.quantity import canonical_unit
from cctrack.releases import Expected
from cctrack.render import chart, words
from cctrack.render.catalogue import words as catalogue

EN, ZH = catalogue("en"), catalogue("zh")

SHIPPED = PACKAGED
AS_OF = "2026-06-30"
ENV = {"NO_COLOR": "1", "COLUMNS": "200", "CCTRACK_DATA": None, "CCTRACK_NO_CACHE": "1"}
# Wide enough that no cell of a table is wrapped or cut, so that data strings come out whole
# and can be removed before the check.
WIDE = {**ENV, "COLUMNS": "3000"}
runner = CliRunner(env=ENV)
wide_runner = CliRunner(env=WIDE)
# `show` of every target: with the result cache (the test's own, see conftest), so that each
# run does not read and check the files again.
cached_runner = CliRunner(env={**WIDE, "CCTRACK_NO_CACHE": None})

# ASCII words of cctrack's own that are no English to translate: the program and its command,
# and the function in the formulas.
ALLOWED = {"cctrack", "show", "abs"}

# --- a small data set with every kind of target, role, note and caveat that is easy to reach --

SRC = {"title": "Bulletin", "url": "https://example.org/b", "published": "2021-03-01"}
WEAK = {"title": "Aggregator copy", "url": "https://example.org/c", "published": "2024-02-01",
        "reliability": "C"}  # fmt: skip


def tgt(tid: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": tid, "name": f"Target {tid}", "scope": "City",
                            "unit": "yuan", "target": 100, "deadline": 2025, "start": 2021,
                            "source": SRC}  # fmt: skip
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def ob(tid: str, period: Any, value: Any = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"target": tid, "period": period, "source": SRC}
    if value is not None:
        data["value"] = value
    data.update(fields)
    return data


TARGETS = [
    tgt("x-rise", target="120亿", name_zh="增长目标", plan="Plan Alpha"),
    tgt("x-fall", direction="decrease", target=20, plan="Plan Beta"),
    tgt("x-gdp", kind="growth", target="5.5%", start=2024, plan="Plan Beta"),
    tgt("x-held", status_override={"status": "on_track", "reason": "a plant opens"}),
    tgt("x-open", deadline=None, start=None, unit="vehicles"),
    tgt("x-share", unit="percent", kind="level", target="60%", start=2024),
    tgt("x-avg", kind="growth", target="10%", average=True),
    tgt(
        "x-rel",
        kind="growth",
        target="0%",
        start=2024,
        benchmark={"scope": "Nation", "relation": "above"},
    ),
    tgt("x-cum", target=2500, cumulative=True, unit="enterprises"),
    tgt("x-band", kind="growth", target="4.5%-5%", start=2025),
    tgt("x-none", unit="people", target="1.7 million"),
    tgt("x-done", target=100, unit="visits"),
    tgt("x-weak", target=200),
]
OBSERVATIONS = [
    ob("x-rise", 2021, "60亿", change="+20%"),
    ob("x-rise", 2023, "90亿", estimate="preliminary"),
    ob("x-rise", 2023, "500亿", scope="Province"),
    ob("x-rise", "2024-H1", "50亿"),
    ob("x-fall", 2020, 50),
    ob("x-fall", 2023, 40),
    ob("x-gdp", 2023, change="+5%"),
    ob("x-gdp", 2024, change="+5%"),
    ob("x-gdp", "2025-01/2025-06", change="+6%", source={**SRC, "published": "2025-07-20"}),
    ob("x-held", 2020, 50),
    ob("x-held", 2023, 60),
    ob("x-open", 2022, 30),
    ob("x-open", 2023, 40),
    ob("x-share", 2023, "58.0%"),
    ob("x-share", 2024, change="+1.2pp"),
    ob("x-avg", 2020, 100),
    ob("x-avg", 2023, 135),
    ob("x-rel", 2024, change="+5.2%"),
    ob("x-rel", 2024, change="+5.0%", scope="Nation"),
    ob("x-cum", 2021, 400),
    ob("x-cum", 2022, 500),
    ob("x-cum", 2023, 600),
    ob("x-band", 2025, change="+4.6%"),
    ob("x-done", 2020, 50),
    ob("x-done", 2025, "over 110", estimate="expected"),
    ob("x-weak", 2020, 100, source=WEAK),
    ob("x-weak", 2022, 120, source=WEAK),
    ob("x-weak", 2024, 150, note="a copy of a copy"),
]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("zh") / "data"
    d.mkdir()
    for name, key, items in (("targets.yaml", "targets", TARGETS),
                             ("observations.yaml", "observations", OBSERVATIONS)):  # fmt: skip
        text = yaml.safe_dump({key: items}, sort_keys=False, allow_unicode=True)
        (d / name).write_text(text, encoding="utf-8")
    return d


@pytest.fixture(scope="module", params=["shipped", "sample"])
def data(request: pytest.FixtureRequest) -> Path:
    return SHIPPED if request.param == "shipped" else request.getfixturevalue("sample")


# --- the English words and the data's own text ------------------------------------------------


def assessments(directory: Path, method: str = "growth-ratio") -> list[Assessment]:
    result = run(directory, date.fromisoformat(AS_OF), method)
    assert not result.errors, result.errors
    return result.assessments


def english_texts(items: list[Assessment]) -> Iterator[str]:
    """Every sentence and phrase the English renderers make for these assessments."""
    yield words.summary_line(items, EN)
    for a in items:
        yield words.status_text(a, EN)
        yield words.why_text(a, EN)
        yield words.goal_text(a, EN)
        yield words.projected_text(a, EN)
        yield from words.notes_text(a, EN)
        yield from (words.caveat_text(c, a, EN) for c in a.caveats)
        yield from (words.role_text(a, u, EN) for u in a.uses)
        yield from (words.growth_year_text(a, g, EN) for g in a.growth_years)
        for p in a.series:
            yield words.derivation_text(p, EN)
            if p.derived:
                yield words.point_role_text(a, p, EN)
        yield from (text for _, text in chart.key_items(a, EN))


def english_words(*directories: Path) -> set[str]:
    """The English vocabulary of cctrack's output: every entry of the English catalogue (its
    placeholders left out), and the sentences made for the data."""
    texts = [re.sub(r"\{[a-z_]+\}", " ", text) for text in EN.entries.values()]
    texts += ["first value none", "Chinese name"]
    for d in directories:
        texts += english_texts(assessments(d))
    found = {w.lower() for t in texts for w in re.findall(r"[A-Za-z]{2,}", t)}
    return found - ALLOWED


def _strings(node: Any, key: str = "") -> Iterator[str]:
    free = {"id", "name", "name_zh", "scope", "plan", "tags", "title", "publisher", "url",
            "published", "note", "quote", "reason", "source"}  # fmt: skip
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "target" and isinstance(v, str) and key == "benchmark":
                yield v
            elif (
                k == "unit"
                and isinstance(v, str)
                and not ZH.entries.get(f"unit.{canonical_unit(v)}")
            ):
                yield v  # a unit cctrack does not know is shown as written
            yield from _strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v, key)
    elif isinstance(node, str) and key in free:
        yield node


@functools.cache
def data_strings(directory: Path) -> list[str]:
    """The data's own text, longest first."""
    found: set[str] = set()
    for name in ("targets.yaml", "observations.yaml"):
        found.update(_strings(yaml.safe_load((directory / name).read_text(encoding="utf-8"))))
    return sorted((s.strip() for s in found if s.strip()), key=len, reverse=True)


def leftover(text: str, directory: Path) -> set[str]:
    """The ASCII words of ``text`` once the data's own text is removed from it."""
    for s in data_strings(directory):
        text = text.replace(s, " ")
    text = re.sub(r"--[a-z][a-z-]*", " ", text)  # an option's name: --as-of
    text = re.sub(r"\b[a-z]+\.yaml\b", " ", text)  # a data file's name: observations.yaml
    marks = "".join(m for m in words.CAVEAT_MARK.values() if m.isalpha())
    found = set(re.findall(r"[A-Za-z]{2,}", text))
    # the caveats' marks of a row (SDBN...) are letters, not words
    return {w for w in found if w.lower() not in ALLOWED and w.strip(marks)}


def check_chinese(text: str, directory: Path, vocabulary: set[str]) -> None:
    left = leftover(text, directory)
    assert not {w for w in left if w.lower() in vocabulary}, "English words of cctrack remain"
    assert not left, f"ASCII words that are not data remain: {sorted(left)}"
    assert re.search("[\u4e00-\u9fff]", text)


@pytest.fixture(scope="module")
def vocabulary(sample: Path) -> set[str]:
    return english_words(SHIPPED, sample)


def test_the_vocabulary_is_the_english_output(vocabulary: set[str]) -> None:
    # the check is only as good as the list: it holds the words a reader would see
    assert {
        "track",
        "acceleration",
        "needed",
        "base",
        "current",
        "derived",
        "provisional",
        "caveats",
        "observations",
        "assessment",
        "evidence",
        "context",
        "used",
        "target",
        "pending",
        "deadline",
        "progress",
        "trend",
        "sources",
        "notes",
    } <= vocabulary


# --- status ---------------------------------------------------------------------------------


def test_status_table_is_chinese(data: Path, vocabulary: set[str]) -> None:
    result = wide_runner.invoke(app, ["status", "--data", str(data), "--as-of", AS_OF,
                                      "--lang", "zh"])  # fmt: skip
    assert result.exit_code == 0, result.output
    check_chinese(result.stdout, data, vocabulary)
    for header in ("目标", "状态", "可信度"):
        assert header in result.stdout
    shown = {a.status.value for a in assessments(data)}
    assert all(ZH(f"status.{s}") in result.stdout for s in shown)
    assert "共" in result.stdout and "评估方法：增速比法" in result.stdout


def test_status_table_at_200_columns(data: Path) -> None:
    result = runner.invoke(app, ["status", "--data", str(data), "--as-of", AS_OF, "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert any(line.split()[:2] == ["目标", "状态"] for line in result.stdout.splitlines())
    assert all(len(line) <= 200 for line in result.stdout.splitlines())


@pytest.mark.parametrize("method", ["growth-ratio", "linear"])
def test_status_markdown_is_chinese(data: Path, vocabulary: set[str], method: str) -> None:
    result = runner.invoke(app, ["status", "--data", str(data), "--as-of", AS_OF, "--lang", "zh",
                                 "--format", "markdown", "--method", method])  # fmt: skip
    assert result.exit_code == 0, result.output
    text = re.sub(r"\\(.)", r"\1", result.stdout)  # Markdown's escapes off: the data as written
    check_chinese(text, data, vocabulary)
    assert text.startswith("### ")  # the first plan's heading, its scorecard line, its table
    assert text.split("\n")[4].startswith("| 编号 | 名称 | 目标值 |")
    assert ZH(f"method.{method}") in text


def test_status_csv_cells_follow_the_language_and_the_header_stays_codes(sample: Path) -> None:
    result = runner.invoke(app, ["status", "--data", str(sample), "--as-of", AS_OF, "--lang", "zh",
                                 "--format", "csv"])  # fmt: skip
    header, *rows = result.stdout.splitlines()
    assert header.startswith("id,name,target,deadline,")  # an interface, like JSON's keys
    assert any("进度正常" in r for r in rows)


def test_json_stays_english(sample: Path) -> None:
    en = runner.invoke(app, ["status", "--data", str(sample), "--as-of", AS_OF, "--format",
                             "json"])  # fmt: skip
    zh_ = runner.invoke(app, ["status", "--data", str(sample), "--as-of", AS_OF, "--format",
                              "json", "--lang", "zh"])  # fmt: skip
    assert en.stdout == zh_.stdout
    assert '"on_track"' in en.stdout and "进度正常" not in en.stdout


# --- show -----------------------------------------------------------------------------------


def show_ids(directory: Path) -> list[str]:
    return [a.target.id for a in assessments(directory)]


def plan_ids(directory: Path) -> list[str]:
    """The ids in plan order: the order of the report's cards (those stated by AS_OF)."""
    from cctrack.pipeline import stated_after
    from cctrack.scorecard import grouped

    day = date.fromisoformat(AS_OF)
    known = [a for a in assessments(directory) if not stated_after(a.target, day)]
    return [a.target.id for a in grouped(known)]


def test_show_of_every_target_is_chinese(data: Path, vocabulary: set[str]) -> None:
    for tid in show_ids(data):
        result = cached_runner.invoke(app, ["show", tid, "--data", str(data), "--as-of", AS_OF,
                                            "--lang", "zh"])  # fmt: skip
        assert result.exit_code == 0, (tid, result.output)
        check_chinese(result.stdout, data, vocabulary)
        for title in (ZH("show.observations"), ZH("show.assessment"), ZH("show.evidence")):
            assert title in result.stdout, tid


def test_show_with_the_linear_method_is_chinese(sample: Path, vocabulary: set[str]) -> None:
    for tid in show_ids(sample):
        args = ["show", tid, "--data", str(sample), "--as-of", AS_OF, "--method", "linear"]
        result = cached_runner.invoke(app, [*args, "--lang", "zh"])
        assert result.exit_code == 0, (tid, result.output)
        check_chinese(result.stdout, sample, vocabulary)
        assert "超前量 ≥ 0" in result.stdout or "判定标准" not in result.stdout, tid
        for title in (ZH("show.observations"), ZH("show.assessment"), ZH("show.evidence")):
            assert title in result.stdout, tid


def test_english_show_prints_no_chinese_label(sample: Path) -> None:
    for tid in show_ids(sample):
        result = wide_runner.invoke(app, ["show", tid, "--data", str(sample), "--as-of", AS_OF])
        assert result.exit_code == 0
        text = result.stdout.replace("增长目标", "")  # the Chinese name is data
        assert not re.search("[\u4e00-\u9fff]", text), tid
    rise = wide_runner.invoke(app, ["show", "x-rise", "--data", str(sample), "--as-of", AS_OF])
    assert "Chinese name  增长目标" in rise.stdout and "6 bn yuan" in rise.stdout


def test_show_words(sample: Path) -> None:
    def shown(tid: str) -> str:
        args = ["show", tid, "--data", str(sample), "--as-of", AS_OF, "--lang", "zh"]
        return " ".join(wide_runner.invoke(app, args).stdout.split())

    rise = shown("x-rise")
    assert "推算值：基期" in rise and "参考（统计范围：Province）" in rise
    assert "2024年上半年" in rise and "初步数" in rise and "基年 2020年" in rise
    assert "英文名称 Target x-rise" in rise and "x-rise — 增长目标" in rise
    assert "+1.20个百分点" in shown("x-share")
    gdp = shown("x-gdp")
    assert "（全年）：参考" in gdp and "采用：年内累计" in gdp and "参考（早于目标年份）" in gdp
    assert "人工设定：a plant opens" in shown("x-held")
    assert "，Nation为+5.00%：已达成" in shown("x-rel") and "高于Nation" in shown("x-rel")
    assert "2020年至2023年年均增长10.5%，目标为年均10.0%" in shown("x-avg")  # no stray plus
    assert "（2021-2025年累计）" in shown("x-cum")
    assert "提示 W" in shown("x-weak") and "来源评级为C" in shown("x-weak")


# --- report ---------------------------------------------------------------------------------


class Text(HTMLParser):
    """The text a reader sees (and the labels of cells and tooltips), without the style sheet,
    the formulas' JSON keys (``<dt title>``) and the stored numbers."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lang = ""
        self.cards: list[str] = []
        self._style = False
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self._style = tag == "style"
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "section" and "card" in a.get("class", "").split():
            self.cards.append(a["id"].removeprefix("target-"))
        for name in ("data-label", "aria-label", "alt"):
            if a.get(name):
                self.parts.append(a[name])
        if a.get("title") and tag != "dt":
            self.parts.append(a["title"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


def zh_report(directory: Path, out: Path, *args: str) -> str:
    result = runner.invoke(app, ["report", "--html", str(out), "--data", str(directory),
                                 "--as-of", AS_OF, "--lang", "zh", *args])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("wrote ")  # messages on stderr stay English
    return out.read_text(encoding="utf-8")


@pytest.mark.parametrize("method", ["growth-ratio", "linear"])
def test_report_is_chinese(data: Path, vocabulary: set[str], tmp_path: Path, method: str) -> None:
    page = zh_report(data, tmp_path / "r.html", "--method", method)
    text = Text(page)
    assert text.lang == "zh-Hans"
    assert text.cards == plan_ids(data)
    check_chinese("\n".join(unescape(p) for p in text.parts), data, vocabulary)
    assert ZH("report.title") in page and ZH(f"method.{method}") in page


def test_english_report_is_unchanged_in_its_words(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "en.html"
    result = runner.invoke(app, ["report", "--html", str(out), "--data", str(sample),
                                 "--as-of", AS_OF])  # fmt: skip
    assert result.exit_code == 0
    page = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in page and "method <strong>growth-ratio</strong>" in page
    assert '<span class="zh" lang="zh-Hans">增长目标</span>' in page
    left = re.sub("增长目标|亿", "", "".join(Text(page).parts))
    assert not re.search("[\u4e00-\u9fff]", left)


# --- the mapping is complete ----------------------------------------------------------------

SAMPLE_VALUES: dict[str, Any] = {
    "count": 2, "as_of": date(2024, 6, 30), "period": "2024-H1", "value": Decimal("5e9"),
    "change": Decimal("0.052"), "kind": "partial", "years": ("2016", "2022"),
    "base_year": 2020, "base": "2022", "current": 2019, "year": 2023, "what": "base",
    "deadline": "2025", "reason": "a plant opens", "from_value": Decimal(1000),
    "from_estimate": "preliminary", "from_published": "2024-03-01", "to_value": Decimal(1100),
    "benchmark": "Nation", "missing": ("2023",), "from_period": "2023",
    "categories": ("acceleration_needed", "limited_progress"), "point": "current",
    "estimate": "expected", "derived": False, "bound": "at_least", "margin": Decimal(1),
    "precision": Decimal("0.5"), "latest": 2023, "projected": 900.0, "target": Decimal(400),
    "values": 2, "stated": Decimal("0.071"), "implied": Decimal("0.2"),
    "level_source": "统计局", "change_source": "政府工作报告", "readings": 2,
    "trend": "on_track", "milestone": "x-2026", "milestone_status": "missed", "months": (1, 6),
    "since": 2020, "needed": 0.209, "largest": 0.0665, "where": "x-2030",
    "release": "report", "expected": date(2027, 1, 15),
}  # fmt: skip
# The overdue figure the notes and caveats ``overdue`` name (its release by its Chinese name).
OVERDUE = Expected(
    2026, Release("report", "work report", Cadence.annual, 15, "政府工作报告"), date(2027, 1, 15)
)


def test_every_code_has_words_in_every_language() -> None:
    codes = {
        "status": {s.value for s in Status} | set(CATEGORIES),
        "confidence": {c.value for c in Confidence}, "estimate": {e.value for e in Estimate},
        "kind": {k.value for k in Kind}, "direction": {d.value for d in Direction},
        "method": {"growth-ratio", "linear"}, "role": {r.value for r in Role} - {"judged"},
        "note": set(NOTES), "caveat": set(CAVEATS),
    }  # fmt: skip
    for w in (EN, ZH):
        for family, values in codes.items():
            for v in values:  # the code's entry, or entries of its cases (``note.X.case``)
                key = f"{family}.{v}"
                found = [*w.entries, *w.forms]
                assert any(k == key or k.startswith(f"{key}.") for k in found), (w.lang, key)
        legend = w("legend.caveats", confidence="")
        assert set(words.CAVEAT_MARK.values()) <= set(legend)  # every mark explained


@pytest.fixture(scope="module")
def relative(sample: Path) -> Target:
    """A target in yuan with a benchmark (``Nation``): notes are written for it."""
    (target,) = [a.target for a in assessments(sample) if a.target.id == "x-rel"]
    return target


@pytest.mark.parametrize("code", sorted(NOTES))
def test_every_note_reads_in_chinese(code: str, relative: Target) -> None:
    note = Note(code, tuple((k, SAMPLE_VALUES[k]) for k in NOTES[code]))
    text = words.note_text(note, relative, ZH, OVERDUE)
    assert re.search("[\u4e00-\u9fff]", text) and "{" not in text
    assert not set(re.findall(r"[A-Za-z]{2,}", text)) - {"as", "of", "a", "plant", "opens",
                                                         "Nation"}  # fmt: skip


@pytest.mark.parametrize("code", sorted(CAVEATS))
def test_every_caveat_reads_in_chinese(code: str) -> None:
    counts = {"years": 3}  # a caveat's ``years`` is a count (a note's, a list of periods)
    caveat = Note(code, tuple((k, counts.get(k, SAMPLE_VALUES[k])) for k in CAVEATS[code]))
    target = SimpleNamespace(kind=Kind.level, unit="yuan")
    text = words.caveat_text(
        caveat, cast(Assessment, SimpleNamespace(target=target, direction=1, overdue=OVERDUE)), ZH
    )
    assert re.search("[\u4e00-\u9fff]", text) and "{" not in text
    assert not re.findall(r"[A-Za-z]{2,}", text), text


def test_periods_read_back_as_the_same_period() -> None:
    from cctrack.period import parse_period

    for text in ("2024", "2024-H1", "2024-H2", "2024-Q3", "2024-10", "2024-01/2024-10",
                 "2025-06-30"):  # fmt: skip
        assert parse_period(ZH.period(text)).text == text, text
    assert ZH.period("2024-Q3") == "2024年第三季度" and ZH.period("2021/2025") == "2021-2025年"


# --- in a real browser, on a phone's width --------------------------------------------------

CHROMIUM = shutil.which("chromium")
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--host-resolver-rules=MAP * ~NOTFOUND",
)  # fmt: skip


def chromium(tmp: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_chinese_report_at_390_px(tmp_path: Path) -> None:
    out = tmp_path / "zh.html"
    zh_report(SHIPPED, out)
    shot = tmp_path / "shot.png"
    taken = chromium(tmp_path, out, f"--screenshot={shot}", "--window-size=390,2400")
    assert taken.returncode == 0, taken.stderr[-2000:]
    head = shot.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (390, 2400)
    assert shot.stat().st_size > 20_000  # text and colour, not a blank page
    dom = chromium(tmp_path, out, "--dump-dom", "--window-size=390,2400")
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = Text(dom.stdout)
    assert text.lang == "zh-Hans"
    assert text.cards == plan_ids(SHIPPED)


@pytest.mark.parametrize(
    ("name", "chinese"),
    [
        ("14th Five-Year Plan (2021-2025)", "“十四五”规划（2021—2025年）"),
        ("15th Five-Year Plan (2026-2030)", "“十五五”规划（2026—2030年）"),
        ("FAW Group 14th Five-Year Plan (2021-2025)", "FAW Group“十四五”规划（2021—2025年）"),
        ("2026 annual targets", "2026年年度目标"),
        ("biomedicine three-year action plan", "biomedicine three-year action plan"),  # as written
    ],
)
def test_plan_names_of_a_common_pattern_are_chinese(name: str, chinese: str) -> None:
    assert ZH.plan(name) == chinese


def test_the_shipped_table_groups_under_chinese_plan_headings() -> None:
    out = wide_runner.invoke(app, ["status", "--lang", "zh", "--as-of", "2026-11-29"]).stdout
    assert "“十四五”规划（2021—2025年）" in out and "2026年年度目标" in out
    assert "14th Five-Year Plan" not in out and "annual targets" not in out


@pytest.mark.parametrize(("lang", "span"), [("en", "2021-2025"), ("zh", "2021年至2025年")])
def test_show_gives_the_average_its_years_as_status_does(lang: str, span: str) -> None:
    """An average chained from stated changes (no base level) covers the years from the first
    one chained, in ``show`` as in the status table's period column."""
    table = runner.invoke(app, ["status", "--as-of", "2026-11-29", "--lang", lang,
                                "--format", "csv"]).stdout  # fmt: skip
    row = next(r for r in table.splitlines() if r.startswith("gdp-growth-avg-14th,"))
    assert f",{span}," in row, row
    out = runner.invoke(app, ["show", "gdp-growth-avg-14th", "--as-of", "2026-11-29", "--lang",
                              lang]).stdout  # fmt: skip
    words = EN if lang == "en" else ZH
    rate = next(ln for ln in out.splitlines() if ln.strip().startswith(words("show.average_rate")))
    assert span in rate, rate


def test_a_missing_benchmark_target_is_named_in_the_language(tmp_path: Path) -> None:
    """A benchmark that is another target, with no figure: the note names it in Chinese words
    (``目标 x-nation``), as the goal does, not in the English of the assessment's code."""
    d = tmp_path / "data"
    d.mkdir()
    targets = [tgt("x-nation", kind="growth", target="5%", start=2024),
               tgt("x-rel", kind="growth", target="0%", start=2024,
                   benchmark={"target": "x-nation", "relation": "above"})]  # fmt: skip
    observations = [ob("x-rel", 2024, change="+5.2%")]
    for name, key, items in (("targets.yaml", "targets", targets),
                             ("observations.yaml", "observations", observations)):  # fmt: skip
        (d / name).write_text(yaml.safe_dump({key: items}, sort_keys=False), encoding="utf-8")
    (a,) = [a for a in assessments(d) if a.target.id == "x-rel"]
    notes = words.notes_text(a, ZH)
    assert any(n.startswith("对比基准目标 x-nation") for n in notes), notes
    assert not any("target" in n for n in notes), notes
