"""The shipped data set (data/targets.yaml, data/observations.yaml) holds to its own rules.

What is checked, as of AS_OF (the day the 2024-2026 update was entered):

(a) it validates with zero errors;
(b) every warning left is explained: the entry it is about has a YAML comment that names the
    warning's code (``overdue-release``, ``quote-mismatch``, ...), either in the block of comment
    lines that ends within the 3 lines above the entry's first line (its ``- id:`` or
    ``- target:`` line), or on the warned line itself. A real finding (two sources that
    disagree, a jump that is real) is explained there, not removed;
(c) every target due in 2025 (deadline 2025: the 14th Five-Year Plan and the other targets
    of its period) has an observation of its own scope for a period ending in 2025, or says
    why not: the comment block just above its entry (as in (b)), or a comment inside it,
    contains the marker ``2025 figure missing:`` followed by the figure that is missing and
    what was searched;
(d) every target has ``name_zh``;
(e) every observation entered from the 2024-2026 research tables carries a ``quote``, unless
    it is marked ``stated: false``. Those entries are the ones whose source was published from
    2024-07-01 on, or that cite a work report of 2019-2026 (changchun.gov.cn/szf/gzbg), the
    Jilin reports or another source of the new tables (SOURCES_2024_2026 below).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from cctrack.dataset import Dataset, load_dataset
from cctrack.domain import Observation
from cctrack.location import OBSERVATIONS_FILE, PACKAGED, TARGETS_FILE
from cctrack.pipeline import Result, run
from cctrack.problem import WARNING

AS_OF = date(2026, 11, 29)
MARKER = "2025 figure missing:"
ENTRY_START = re.compile(r"^\s*- (id|target):")

# Sources of the 2024-2026 tables published before 2024-07-01 (re-read or newly found ones).
SOURCES_2024_2026 = (
    "changchun.gov.cn/szf/gzbg/",  # the city's work reports, 2019-2026
    "jl.gov.cn/zcxx/gzbg/",  # Jilin's work reports
    "jp.changchun.gov.cn",
    "en.changchun.gov.cn/news/xw/201711",
    "chinadaily.com.cn/cndy/2017-11",
    "kiji.is",
    "big5.cri.cn",
    "marklines.com",
    "jlcxwb.com.cn",
    "en.people.cn/n3/2022/0418",
    "echannel5.com",
    "neamco.com",
    "dailyeconomic.com",
    "hongbao1990.com",
    "chujupifa.com",
    "mianyangganji.com/lvyou/66954.html",
)


@pytest.fixture(scope="module")
def result() -> Result:
    return run(PACKAGED, AS_OF)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(PACKAGED)


def _lines(name: str) -> list[str]:
    return (PACKAGED / name).read_text(encoding="utf-8").splitlines()


def _entry_start(lines: list[str], line: int) -> int:
    """The 1-based line where the list entry holding ``line`` starts."""
    for n in range(line, 0, -1):
        if ENTRY_START.match(lines[n - 1]):
            return n
    raise AssertionError(f"line {line} is in no entry")


def _comment_above(lines: list[str], first: int) -> str:
    """The block of comment lines that ends within the 3 lines above line ``first``."""
    n = first - 1
    while n >= 1 and n >= first - 3 and not lines[n - 1].lstrip().startswith("#"):
        if lines[n - 1].strip():  # another entry's text: no comment directly above
            return ""
        n -= 1
    block = []
    while n >= 1 and lines[n - 1].lstrip().startswith("#"):
        block.append(lines[n - 1])
        n -= 1
    return "\n".join(reversed(block))


def _inline_comment(text: str) -> str:
    """The comment at the end of a line (``  # ...``), outside quotes, roughly."""
    match = re.search(r"\s#\s.*$", text)
    return match.group(0) if match else ""


def test_a_validates_without_errors(result: Result) -> None:
    errors = [p.format() for p in result.errors]
    assert errors == []


def test_b_every_warning_is_explained(result: Result) -> None:
    files = {name: _lines(name) for name in (TARGETS_FILE, OBSERVATIONS_FILE)}
    unexplained = []
    for p in result.problems:
        if p.severity != WARNING:
            continue
        lines = files[Path(p.path).name]
        first = _entry_start(lines, p.line)
        explained = _comment_above(lines, first) + _inline_comment(lines[p.line - 1])
        if p.code not in explained:
            unexplained.append(p.format())
    assert unexplained == []


def test_c_every_2025_target_has_a_figure_or_says_why_not(dataset: Dataset) -> None:
    lines = _lines(TARGETS_FILE)
    starts = [e.at()[0] for e in dataset.targets]  # 1-based lines of the entries
    missing = []
    for i, entry in enumerate(dataset.targets):
        t = entry.model
        if t.deadline is None or t.deadline.year != 2025:
            continue
        own = [
            o for o in (e.model for e in dataset.observations)
            if o.target == t.id and (o.scope or t.scope) == t.scope and o.period.end.year == 2025
        ]  # fmt: skip
        # The comment block just above the entry, and the entry's own lines (without the
        # comments and blank lines at its end, which belong to the next entry).
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(lines)
        body = lines[starts[i] - 1 : end]
        while body and (not body[-1].strip() or body[-1].lstrip().startswith("#")):
            body.pop()
        around = _comment_above(lines, starts[i]) + "\n".join(body)
        if not own and MARKER not in around:
            missing.append(t.id)
    assert missing == []


def test_c_markers_name_what_is_missing() -> None:
    text = (PACKAGED / TARGETS_FILE).read_text(encoding="utf-8")
    for match in re.finditer(re.escape(MARKER) + r"(.*)", text):
        assert len(match.group(1).strip()) > 10, match.group(0)


def test_d_every_target_has_a_chinese_name(dataset: Dataset) -> None:
    assert [e.model.id for e in dataset.targets if not e.model.name_zh] == []


def _from_new_tables(o: Observation) -> bool:
    url = o.source.url or ""
    published = o.source.published or ""
    return published >= "2024-07" or any(s in url for s in SOURCES_2024_2026)


def test_e_new_observations_carry_a_quote(dataset: Dataset) -> None:
    new = [e for e in dataset.observations if _from_new_tables(e.model)]
    assert len(new) > 100  # the update is there
    unquoted = [
        f"line {e.at()[0]}: {e.model.target} {e.model.period}"
        for e in new
        if e.model.quote is None and e.model.stated
    ]
    assert unquoted == []
