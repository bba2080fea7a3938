"""`cctrack report --html`: a self-contained page, checked as text and in a headless Chromium."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import MakeData, make_obs, make_target
from typer.testing import CliRunner

from cctrack.assess import Assessment, assess
from cctrack.cli import app
from cctrack.domain import Kind, Status
from cctrack.location import PACKAGED
from cctrack.pipeline import run, stated_after
from cctrack.render import status
from cctrack.render.catalogue import Words, words
from cctrack.render.fields import target_json
from cctrack.render.html import render_report
from cctrack.render.words import growth_year_text, label, reading_text
from cctrack.scorecard import grouped

# No cache: the module-scoped fixtures run before conftest gives each test a private one.
runner = CliRunner(
    env={"COLUMNS": None, "NO_COLOR": "1", "CCTRACK_DATA": None, "CCTRACK_NO_CACHE": "1"}
)
SHIPPED = PACKAGED
AS_OF = "2025-09-30"
TODAY = date(2025, 9, 30)
EVIL = "<script>alert(1)</script>"
QUOTED_URL = 'https://example.org/q?a=1&b="x"'


def src(url: str = "https://example.org/b", published: str = "2024-01-01") -> dict[str, str]:
    return {"title": "Bulletin", "url": url, "published": published}


def tgt(tid: str, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"id": tid, "name": f"Target {tid}", "scope": "City", "unit": "yuan",
                            "target": 100, "deadline": 2025, "start": 2021,
                            "source": src(published="2021-03-01")}  # fmt: skip
    data.update(fields)
    return data


def ob(tid: str, period: Any, value: Any = None, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"target": tid, "period": period, "source": src()}
    if value is not None:
        data["value"] = value
    data.update(fields)
    return data


# evil: a hostile name, note and source URL; rise: derived values and a proxy; gdp: a growth
# target; empty: no data (a card without a chart); held: a status set by hand; fall: a decrease
# target; open: no deadline; early: a deadline before the first value.
TARGETS = [
    tgt("evil", name=EVIL, name_zh="恶意", source=src("javascript:alert(1)")),
    tgt("rise", target="120亿"),
    tgt("gdp", kind="growth", target="5.5%", start=2024),
    tgt("empty", unit="people", target="1.7 million"),
    tgt("held", status_override={"status": "on_track", "reason": f"a plant opens {EVIL}"}),
    tgt("fall", direction="decrease", target=20),
    tgt("open", deadline=None, start=None),
    tgt("early", deadline=2019, start=None),
]
OBSERVATIONS = [
    ob("evil", 2020, 50, note=f"<b>bold</b> {EVIL}"),
    ob("evil", 2023, 80, source=src(QUOTED_URL)),
    ob("rise", 2021, "60亿", change="+20%"),
    ob("rise", 2023, "90亿"),
    ob("rise", 2023, "500亿", scope="Province"),
    ob("rise", "2024-H1", "50亿"),
    ob("gdp", 2024, change="+5%"),
    ob("gdp", "2025-01/2025-06", change="+6%", source=src(published="2025-07-20")),
    ob("held", 2020, 50),
    ob("held", 2023, 60),
    ob("fall", 2020, 50),
    ob("fall", 2023, 40),
    ob("open", 2022, 30),
    ob("open", 2023, 40),
    ob("early", 2021, 30),
    ob("early", 2023, 40),
]


def write_data(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, key, items in (("targets.yaml", "targets", TARGETS),
                             ("observations.yaml", "observations", OBSERVATIONS)):  # fmt: skip
        text = yaml.safe_dump({key: items}, sort_keys=False, allow_unicode=True)
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def report(data: Path, out: Path, *args: str) -> Any:
    return runner.invoke(app, ["report", "--html", str(out), "--data", str(data),
                               "--as-of", AS_OF, *args])  # fmt: skip


def assessments(data: Path, method: str = "growth-ratio") -> list[Assessment]:
    result = run(data, TODAY, method)
    assert not result.errors
    return result.assessments


def has_chart(a: Assessment) -> bool:
    return bool(a.growth_years if a.target.kind is Kind.growth else a.series)


@dataclass
class Card:
    svgs: int = 0
    rects: int = 0
    numbers: dict[str, str] = field(default_factory=dict)
    hrefs: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """The cards of a report, and every attribute that mentions http."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.cards: dict[str, Card] = {}
        self.card: Card | None = None
        self.tags: list[str] = []
        self.http_attrs: list[tuple[str, str, str]] = []
        self.hrefs: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append(tag)
        self.http_attrs += [(tag, k, v) for k, v in a.items() if "http" in v.lower()]
        if tag == "section" and "card" in a.get("class", "").split():
            self.card = self.cards.setdefault(a["id"].removeprefix("target-"), Card())
        if tag == "a":
            self.hrefs.append(a.get("href", ""))
        if self.card is None:
            return
        if tag == "svg":
            self.card.svgs += 1
        elif tag == "rect":
            self.card.rects += 1
        elif tag == "data":
            self.card.numbers[a["data-key"]] = a["value"]
        elif tag == "a":
            self.card.hrefs.append(a["href"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self.card = None

    def handle_data(self, data: str) -> None:
        if self.card is not None:
            self.card.text.append(data)


def check_self_contained(text: str) -> Page:
    """No way for the page to fetch anything: the only http references are <a href> links."""
    low = text.lower()
    for banned in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import",
                   "url(", "src=", "srcset="):  # fmt: skip
        assert banned not in low, banned
    page = Page(text)
    assert {(tag, attr) for tag, attr, _ in page.http_attrs} <= {("a", "href"), ("svg", "xmlns")}
    assert all(v == "http://www.w3.org/2000/svg" for t, _, v in page.http_attrs if t == "svg")
    assert all(h.startswith(("#target-", "#plan-", "http://", "https://")) for h in page.hrefs)
    return page


def check_numbers(card: Card, a: Assessment) -> int:
    """Every number of a card is the value of `status --format json`; returns how many."""
    j = target_json(a)
    for key, shown in card.numbers.items():
        if key.startswith("change "):
            period = key.removeprefix("change ")
            (g,) = [g for g in j["growth_years"] if g["period"] == period]
            assert float(shown) == g["change"]
            continue
        expected = j[key]["value"] if key in {"base", "current"} else j[key]
        assert float(shown) == expected, key
    return len(card.numbers)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shipped") / "report.html"
    result = report(SHIPPED, out)
    assert result.exit_code == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    out = base / "report.html"
    result = report(write_data(base / "data"), out)
    assert result.exit_code == 0, result.stderr
    return out


# --- the page as text ------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["shipped", "hostile"])
def test_a_card_per_target_and_a_chart_per_series(
    which: str, request: pytest.FixtureRequest
) -> None:
    out: Path = request.getfixturevalue(which)
    text = out.read_text(encoding="utf-8")
    results = assessments(SHIPPED if which == "shipped" else out.parent / "data")
    from cctrack.pipeline import stated_after  # targets stated after AS_OF are not shown

    results = [a for a in results if not stated_after(a.target, date.fromisoformat(AS_OF))]
    page = check_self_contained(text)
    assert text.startswith("<!DOCTYPE html>") and '<meta name="viewport"' in text
    assert text.count('<section class="card"') == len(results)
    assert list(page.cards) == [a.target.id for a in grouped(results)]  # in plan order
    assert text.count("<svg") == sum(has_chart(a) for a in results)
    for a in results:
        card = page.cards[a.target.id]
        assert card.svgs == (1 if has_chart(a) else 0), a.target.id
        assert has_chart(a) or "No data" in "".join(card.text)
        check_numbers(card, a)
    assert "@media print" in text and "break-inside: avoid" in text


def test_stderr_names_the_file_and_the_count(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = report(write_data(tmp_path / "data"), out)
    assert result.exit_code == 0
    assert result.stderr.strip() == f"wrote {out} ({len(TARGETS)} targets)"
    assert result.stdout == ""


def test_hostile_text_is_escaped_and_only_http_urls_are_links(hostile: Path) -> None:
    text = hostile.read_text(encoding="utf-8")
    assert EVIL not in text and "<b>bold</b>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    page = Page(text)
    assert "javascript:" not in "".join(page.hrefs)
    assert "javascript:alert(1)" in "".join(page.cards["evil"].text)  # shown, not linked
    assert QUOTED_URL in page.cards["evil"].hrefs  # the quote did not end the attribute
    held = "".join(page.cards["held"].text)
    assert f"set by hand: a plant opens {EVIL}" in held  # the reason, as text


def test_numbers_equal_status_json(shipped: Path) -> None:
    result = runner.invoke(app, ["status", "--data", str(SHIPPED), "--as-of", AS_OF,
                                 "--format", "json"])  # fmt: skip
    doc = json.loads(result.stdout)
    page = Page(shipped.read_text(encoding="utf-8"))
    checked = 0
    for t in doc["targets"]:
        numbers = page.cards[t["id"]].numbers
        for key in ("progress", "growth_observed", "growth_required", "progress_ratio",
                    "growth_needed", "projected", "time_elapsed"):  # fmt: skip
            if t[key] is not None:
                assert float(numbers[key]) == t[key]
                checked += 1
    assert checked > 20


def test_derived_values_proxies_and_partial_periods_are_listed(hostile: Path) -> None:
    page = Page(hostile.read_text(encoding="utf-8"))
    rise = "".join(page.cards["rise"].text)
    assert "derived" in rise and "context (scope Province)" in rise
    assert "context (not a full year)" in rise
    assert page.cards["rise"].rects >= 3  # 2020 derived, 2021 and 2023 observed


def test_linear_method_and_chinese(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data")
    out = tmp_path / "zh.html"
    assert report(data, out, "--method", "linear", "--lang", "zh").exit_code == 0
    text = out.read_text(encoding="utf-8")
    assert "评估方法 <strong>线性路径法</strong>" in text and "亿元" in text
    assert '<span lang="zh-Hans">恶意</span>' in text
    page = Page(text)
    for a in assessments(data, "linear"):
        check_numbers(page.cards[a.target.id], a)
    assert "expected_now" in page.cards["held"].numbers


def test_the_renderer_is_pure_and_handles_no_targets() -> None:
    text = render_report([], TODAY, words("en"))
    check_self_contained(text)
    assert "0 targets" in text and '<section class="card"' not in text


def test_html_is_required() -> None:
    result = runner.invoke(app, ["report", "--data", str(SHIPPED)])
    assert result.exit_code == 2
    assert "--html" in result.stderr


@pytest.mark.parametrize("where", ["missing-dir/r.html", "a-file/r.html"])
def test_unwritable_path_is_one_line_and_exit_1(tmp_path: Path, where: str) -> None:
    (tmp_path / "a-file").write_text("not a directory")
    result = report(SHIPPED, tmp_path / where)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cctrack: error: --html: cannot write ")
    assert "Traceback" not in result.stderr and isinstance(result.exception, SystemExit)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_an_existing_report_is_replaced(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("old")
    assert report(SHIPPED, out).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]  # no temporary file left


def test_an_output_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    """``--html`` naming a FIFO (or a device, a socket) does not put a regular file in its place:
    one line, exit 1, nothing written."""
    import os
    import stat

    out = tmp_path / "r.fifo"
    os.mkfifo(out)
    result = report(SHIPPED, out)
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.strip().splitlines()
    assert (
        line.startswith(f"cctrack: error: --html: cannot write {out}")
        and "a named pipe (FIFO)" in line
    )
    assert stat.S_ISFIFO(os.stat(out).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["r.fifo"]  # no temporary file left


# --- in a real browser -----------------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Debian's chromium is not installed (apt-get install chromium); .ci/run installs it",
)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # offline, whatever the page might try to fetch
)  # fmt: skip


def chromium(tmp: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, page.as_uri()]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("which", ["shipped", "hostile"])
def test_browser_renders_every_card_and_chart(
    which: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    out: Path = request.getfixturevalue(which)
    run = chromium(tmp_path, out, "--dump-dom", "--enable-logging=stderr", "--v=0")
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    dom = Page(run.stdout)
    results = assessments(SHIPPED if which == "shipped" else out.parent / "data")
    # the cards come in plan order (a section per plan), of the targets stated by the date
    known = [a for a in results if not stated_after(a.target, TODAY)]
    assert list(dom.cards) == [a.target.id for a in grouped(known)]
    for a in known:
        card = dom.cards[a.target.id]
        assert card.svgs == (1 if has_chart(a) else 0), a.target.id
        assert card.rects >= (1 if has_chart(a) else 0), a.target.id  # the bars were parsed
    assert "script" not in dom.tags  # the hostile name stayed text


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.mark.slow
@needs_chromium
@pytest.mark.parametrize("size", ["1280,2000", "390,2400"])
def test_browser_screenshot(shipped: Path, tmp_path: Path, size: str) -> None:
    shot = tmp_path / "shot.png"
    run = chromium(tmp_path, shipped, f"--screenshot={shot}", f"--window-size={size}",
                   "--enable-logging=stderr", "--v=0")  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert console_errors(run.stderr) == []
    assert png_size(shot) == tuple(int(n) for n in size.split(","))
    assert shot.stat().st_size > 20_000  # text and colour, not a blank page


def test_console_filter_finds_errors() -> None:
    noise = "[1:1:ERROR:dbus/bus.cc:405] Failed to connect to the bus"
    error = '[9:9:1122/035447.6:INFO:CONSOLE:1] "Uncaught ReferenceError: f is not defined", '
    assert console_errors(f"{noise}\n{error}\n") == [error]


def _modules_after(args: list[str], tmp_path: Path) -> set[str]:
    """The modules a cctrack command imports, run in a fresh interpreter."""
    code = (
        "import sys\nfrom cctrack.cli import main\nsys.argv = ['cctrack', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write('\\nMODULES ' + ' '.join(sorted(sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          cwd=tmp_path, check=False, timeout=60)  # fmt: skip
    return set(proc.stderr.rsplit("MODULES ", 1)[1].split())


def test_only_the_report_imports_jinja2(make_data: MakeData, tmp_path: Path) -> None:
    """Jinja2 is the report's: a warm ``status`` (what people run most) does not import it."""
    data = str(make_data())
    common = ["--data", data, "--as-of", "2024-06-01"]
    assert "jinja2" not in _modules_after(["status", *common], tmp_path)
    assert "jinja2" not in _modules_after(["status", *common, "--lang", "zh"], tmp_path)
    out = str(tmp_path / "r.html")
    assert "jinja2" in _modules_after(["report", "--html", out, *common], tmp_path)  # the guard


def test_the_compiled_template_is_cached_and_a_bad_cache_is_no_error(
    make_data: MakeData, tmp_path: Path
) -> None:
    """The report's compiled template is kept in the result cache's directory; one that
    cannot be read is compiled again, and the page is the same."""
    data = str(make_data())
    pages = []
    for i in range(3):
        out = tmp_path / f"r{i}.html"
        args = ["report", "--html", str(out), "--data", data, "--as-of", "2024-06-01"]
        env = {"CCTRACK_CACHE_DIR": str(tmp_path / "c"), "CCTRACK_NO_CACHE": None}
        result = runner.invoke(app, args, env=env)
        assert result.exit_code == 0, result.output
        pages.append(out.read_bytes())
        compiled = list((tmp_path / "c" / "templates").glob("*"))
        assert compiled, "no compiled template in the cache"
        for path in compiled:
            path.write_bytes(b"not a compiled template")
    assert pages[0] == pages[1] == pages[2]


def test_one_target_is_one_target(make_data: MakeData, tmp_path: Path) -> None:
    out = tmp_path / "one.html"
    args = ["report", "--html", str(out), "--data", str(make_data()), "--as-of", "2024-06-01"]
    assert runner.invoke(app, args).exit_code == 0
    assert "· 1 target</p>" in out.read_text(encoding="utf-8")


# --- the verdicts as `show` says them --------------------------------------------------------

AFTER = date(2026, 6, 30)
GROWTH = {"kind": "growth", "target": "5.5%", "start": 2025, "deadline": 2025}


def card_text(a: Assessment, w: Words) -> str:
    return "".join(Page(render_report([a], AFTER, w)).cards[a.target.id].text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_growth_year_a_bound_cannot_settle_is_unsettled_as_in_show(lang: str) -> None:
    w = words(lang)
    bound = make_obs(2025, change="+5%", bound="at_least", estimate="expected")
    a = assess(make_target(**GROWTH), [bound], AFTER)
    (g,) = a.growth_years
    assert g.met is None and growth_year_text(a, g, w).endswith(w("verdict.unsettled"))
    text = card_text(a, w)
    # the card's figure, the chart's bar and the observation's use
    assert text.count(w("verdict.unsettled")) == 3
    assert w("verdict.context") not in text.replace(w("chart.key.partial"), "")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_card_lists_every_reading_with_its_category(lang: str) -> None:
    w = words(lang)
    a = assess(make_target(**GROWTH), [make_obs(2025, change="+5%")], AFTER)
    assert a.status is Status.unresolved and len({r.status for r in a.readings}) >= 2
    html = render_report([a], AFTER, w)
    text = card_text(a, w)
    assert w("report.readings") in text
    for r in a.readings:
        shown = reading_text(r, a, w)
        assert f'<li data-status="{r.status.value}">{escape(shown)}</li>' in html
        assert label(r.status, w) in shown


def test_the_summary_shows_the_progress_as_every_percentage_is_rounded() -> None:
    # 57.5 is 57.49999... as a float: the summary rounds the decimal percentage, half to even
    a = assess(make_target(target=200, start=2021), [make_obs(2020, 100), make_obs(2024, 157.5)],
               AFTER)  # fmt: skip
    assert a.progress == 0.575
    html = render_report([a], AFTER, words("en"))
    summary = html[html.index('<section class="summary"') : html.index('<main class="cards">')]
    assert '<span style="width:57%"></span></span> 58%</span></td>' in summary


def test_each_targets_row_is_made_once(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[float | None] = []
    bar = status.progress_bar  # called once by every row

    def counted(fraction: float | None, width: int = 10) -> str:
        made.append(fraction)
        return bar(fraction, width)

    monkeypatch.setattr(status, "progress_bar", counted)
    found = assessments(SHIPPED)
    render_report(found, TODAY, words("en"))
    assert len(made) == len(found) > 10
