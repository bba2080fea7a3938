"""The bad-input catalogue: every rule of docs/data-format.md §9, every problem code, at its line
and column.

Each case starts from the minimal valid data set in conftest (which has no problem at all on
TODAY) and changes one thing. The case names the code, the file, line and column where it must
be reported, and any other error codes the change legitimately causes as well.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from conftest import (
    OBS_SOURCE,
    OBSERVATION_ENTRY,
    OBSERVATIONS,
    RELEASES,
    SOURCE,
    TARGETS,
    TODAY,
    MakeData,
)

from cctrack.dataset import PACKAGED
from cctrack.pipeline import run
from cctrack.problem import Problem

TF, OF = "targets.yaml", "observations.yaml"
WARNINGS = {
    "conflicting-values", "period-not-ended", "forecast-unmarked", "overdue-release",
    "deadline-passed",
    "source-incomplete", "published-in-future", "mixed-price-basis", "inconsistent-change",
    "implausible-jump", "bare-number", "after-deadline", "change-qualifier",
}  # fmt: skip


def t(*edits: str) -> str:
    """TARGETS with (old, new) replacements applied, each old text present exactly once."""
    return _edit(TARGETS, edits)


def o(*edits: str) -> str:
    """OBSERVATIONS with (old, new) replacements applied."""
    return _edit(OBSERVATIONS, edits)


def _edit(text: str, edits: tuple[str, ...]) -> str:
    assert len(edits) % 2 == 0
    for old, new in zip(edits[::2], edits[1::2], strict=True):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


AFTER_START = "    start: 2021\n"  # add a target field as line 9 (source moves to line 10)


def add_field(line: str) -> str:
    """TARGETS with one more line after ``start`` (it becomes line 9)."""
    return t(AFTER_START, AFTER_START + line + "\n")


GROWTH = t("    unit: vehicles\n", "    unit: percent\n    kind: growth\n", "700000", "5.5%")


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


class Case(NamedTuple):
    code: str
    targets: str | bytes | None
    observations: str | bytes | None
    at: tuple[str, int, int]
    today: date = TODAY
    others: frozenset[str] = frozenset()  # other error codes this change rightly causes


def case(
    name: str,
    code: str,
    targets: str | bytes | None,
    observations: str | bytes | None,
    at: tuple[str, int, int],
    today: date = TODAY,
    others: frozenset[str] = frozenset(),
) -> Any:
    return pytest.param(Case(code, targets, observations, at, today, others), id=name)


T, O = TARGETS, OBSERVATIONS  # noqa: E741 - short names keep the catalogue one case a line
TR = TARGETS + RELEASES  # with a releases block (line 10 on): the work report, 15 days on

# fmt: off
CATALOGUE = [
    # --- reading YAML (yaml_reader) -------------------------------------------------------------
    case("yaml-syntax", "yaml-syntax", T, o("value: 500000", "value: [1, 2"), (OF, 5, 11)),
    case("yaml-syntax-tab", "yaml-syntax", T, o("    value", "\tvalue"), (OF, 4, 1)),
    case("yaml-syntax-tab-targets", "yaml-syntax", t("    name", "\tname"), O, (TF, 3, 1)),
    case(
        "yaml-syntax-unknown-alias", "yaml-syntax", T,
        o(f"source: {OBS_SOURCE}", "source: *nowhere"), (OF, 5, 13),
        others=frozenset({"wrong-type"}),
    ),
    case("duplicate-key", "duplicate-key", add_field("    start: 2022"), O, (TF, 9, 5)),
    case(
        "duplicate-key-observation", "duplicate-key", T,
        o("    period: 2023\n", "    period: 2023\n    period: 2022\n"), (OF, 4, 5),
    ),
    case(
        "non-standard-tag-python", "non-standard-tag",
        t("target: 700000", "target: !!python/object:os.system 700000"), O, (TF, 6, 13),
    ),
    case("non-standard-tag-local", "non-standard-tag", T, o("500000", "!foo 500000"), (OF, 4, 12)),
    case(
        "invalid-tagged-value", "invalid-tagged-value", T, o("500000", "!!int abc"), (OF, 4, 12),
        others=frozenset({"invalid-quantity"}),
    ),
    case(
        "invalid-utf8", "invalid-utf8", T,
        OBSERVATIONS.encode().replace(b"value: 500000", b"value: 5\xff00000"), (OF, 4, 13),
    ),
    case(
        "invalid-utf8-after-chinese", "invalid-utf8",
        t("NEV output", "新能源汽车").encode().replace(b"scope: ", b"scope: \xe4"), O, (TF, 4, 12),
    ),
    case("invalid-character", "invalid-character", T, o("500000", "5\x07"), (OF, 4, 13)),
    case("alias-bomb", "alias-bomb", T, billion_laughs(), (OF, 5, 8)),
    case("too-deep", "too-deep", T, "observations: " + "[" * 100 + "]" * 100 + "\n", (OF, 1, 78)),
    case(
        "multiple-documents", "multiple-documents", T, O + "---\nobservations: []\n", (OF, 6, 1),
    ),
    case(
        "complex-key", "complex-key", add_field("    ? [a]\n    : 1"), O, (TF, 9, 7),
        others=frozenset({"unknown-field"}),
    ),
    case("file-missing", "file-missing", None, O, (TF, 1, 1)),
    case("file-missing-observations", "file-missing", T, None, (OF, 1, 1)),
    # --- fields (model) -------------------------------------------------------------------
    case("unknown-field", "unknown-field", add_field("    colour: red"), O, (TF, 9, 5)),
    case("unknown-field-top-level", "unknown-field", T + "extra: 1\n", O, (TF, 10, 1)),
    case(
        "unknown-field-top-level-observations", "unknown-field", T, "version: 2\n" + O, (OF, 1, 1),
    ),
    case(
        "unknown-field-in-source", "unknown-field",
        t("{title: Plan,", "{title: Plan, author: X,"), O, (TF, 9, 27),
    ),
    case(
        "unknown-field-observation", "unknown-field", T,
        o("    period: 2023\n", "    period: 2023\n    colour: red\n"), (OF, 4, 5),
    ),
    case("missing-field", "missing-field", t("    name: NEV output\n", ""), O, (TF, 2, 5)),
    case("missing-field-unit", "missing-field", t("    unit: vehicles\n", ""), O, (TF, 2, 5)),
    case(
        "missing-field-observation", "missing-field", T, o("    period: 2023\n", ""), (OF, 2, 5),
    ),
    case("missing-source", "missing-source", t(f"    source: {SOURCE}\n", ""), O, (TF, 2, 5)),
    case(
        "missing-source-observation", "missing-source", T, o(f"    source: {OBS_SOURCE}\n", ""),
        (OF, 2, 5),
    ),
    case(
        "missing-source-no-title-or-url", "missing-source",
        t(SOURCE, "{publisher: China Daily}"), O, (TF, 9, 13),
    ),
    case("wrong-type-start", "wrong-type", t("start: 2021", "start: '2021'"), O, (TF, 8, 12)),
    case("wrong-type-start-float", "wrong-type", t("2021\n", "2021.0\n"), O, (TF, 8, 12)),
    case("wrong-type-start-bool", "wrong-type", t("start: 2021", "start: true"), O, (TF, 8, 12)),
    case("wrong-type-tags", "wrong-type", add_field("    tags: automotive"), O, (TF, 9, 11)),
    case("wrong-type-name", "wrong-type", t("NEV output", "[a, b]"), O, (TF, 3, 11)),
    case(
        "wrong-type-source", "wrong-type", t(f"source: {SOURCE}", "source: China Daily"), O,
        (TF, 9, 13),
    ),
    case("wrong-type-root", "wrong-type", "- nev\n", O, (TF, 1, 1)),
    case("wrong-type-not-a-list", "wrong-type", "targets: {a: 1}\n", O, (TF, 1, 10)),
    case("wrong-type-item", "wrong-type", T, "observations:\n  - nev\n", (OF, 2, 5)),
    case("invalid-choice-kind", "invalid-choice", add_field("    kind: yearly"), O, (TF, 9, 11)),
    case(
        "invalid-choice-direction", "invalid-choice", add_field("    direction: up"), O,
        (TF, 9, 16),
    ),
    case(
        "invalid-choice-reliability", "invalid-choice",
        t("published: 2021-03-01}", "published: 2021-03-01, reliability: D}"), O, (TF, 9, 94),
    ),
    case(
        "invalid-choice-estimate", "invalid-choice", T,
        o("    period: 2023\n", "    period: 2023\n    estimate: final2\n"), (OF, 4, 15),
    ),
    case(
        "invalid-choice-bound", "invalid-choice", T,
        o("    period: 2023\n", "    period: 2023\n    bound: above\n"), (OF, 4, 12),
    ),
    case(
        "invalid-choice-override-status", "invalid-choice",
        add_field("    status_override: {status: fine, reason: checked by hand}"), O, (TF, 9, 31),
    ),
    case("invalid-id", "invalid-id", t("id: nev", "id: NEV_1"), o("nev", "NEV_1"), (TF, 2, 9)),
    case(
        "invalid-id-leading-dash", "invalid-id", t("id: nev", "id: -nev"), o("nev", "-nev"),
        (TF, 2, 9),
    ),
    case("empty-field", "empty-field", t("NEV output", "''"), O, (TF, 3, 11)),
    case("empty-field-scope", "empty-field", t("Changchun", '""'), O, (TF, 4, 12)),
    case("invalid-field-start-range", "invalid-field", t("2021\n", "99\n"), O, (TF, 8, 12)),
    case(
        "invalid-field-start-after-deadline", "invalid-field", t("2021\n", "2026\n"), O,
        (TF, 8, 12),
    ),
    case(
        "invalid-field-long-id", "invalid-field", t("id: nev", "id: " + "n" * 81),
        o("target: nev", "target: " + "n" * 81), (TF, 2, 9),
    ),
    case(
        "invalid-date", "invalid-date", t("published: 2021-03-01", "published: March 2021"), O,
        (TF, 9, 69),
    ),
    case(
        "invalid-date-observation", "invalid-date", T,
        o("published: 2024-03-01", "published: 2024-13-01"), (OF, 5, 69),
    ),
    # --- values and periods ---------------------------------------------------------------
    case("invalid-period", "invalid-period", T, o("period: 2023", "period: 2023-13"), (OF, 3, 13)),
    case(
        "invalid-period-interval", "invalid-period", T,
        o("period: 2023", "period: 2023-10/2023-01"), (OF, 3, 13),
    ),
    case("invalid-period-deadline", "invalid-period", t("2025", "2025-H3"), O, (TF, 7, 15)),
    case(
        "invalid-period-baseline", "invalid-period",
        add_field("    baseline: {period: 20, value: 100000}"), O, (TF, 9, 24),
    ),
    case(
        "period-kind-mismatch-observation", "period-kind-mismatch", T,
        o("period: 2023", "period: 2023-06-30"), (OF, 3, 13),
    ),
    case(
        "period-kind-mismatch-level", "period-kind-mismatch",
        add_field("    kind: level"), o("period: 2023", "period: 2023-01/2023-10"), (OF, 3, 13),
    ),
    case(
        "period-kind-mismatch-growth", "period-kind-mismatch",
        GROWTH, o("period: 2023", "period: 2021/2023", "value: 500000", "change: +5%"),
        (OF, 3, 13),
    ),
    case(
        "period-kind-mismatch-deadline", "period-kind-mismatch", t("2025", "2025-H1"), O,
        (TF, 7, 15),
    ),
    case(
        "period-kind-mismatch-deadline-date", "period-kind-mismatch", t("2025", "2025-12-31"), O,
        (TF, 7, 15),
    ),
    case("value-not-finite-nan", "value-not-finite", T, o("500000", ".nan"), (OF, 4, 12)),
    case("value-not-finite-inf", "value-not-finite", T, o("500000", ".inf"), (OF, 4, 12)),
    case("value-not-finite-target", "value-not-finite", t("700000", "-.inf"), O, (TF, 6, 13)),
    case("value-not-finite-string", "value-not-finite", T, o("500000", "NaN"), (OF, 4, 12)),
    case("value-boolean", "value-boolean", T, o("500000", "true"), (OF, 4, 12)),
    case("value-boolean-target", "value-boolean", t("700000", "false"), O, (TF, 6, 13)),
    case("value-yes-is-a-string", "invalid-quantity", T, o("500000", "yes"), (OF, 4, 12)),
    case("value-negative", "value-negative", T, o("500000", "-5"), (OF, 4, 12)),
    case("value-negative-target", "value-negative", t("700000", "'-7 万'"), O, (TF, 6, 13)),
    case(
        "value-negative-baseline", "value-negative",
        add_field("    baseline: {period: 2020, value: -5}"), O, (TF, 9, 37),
    ),
    case("value-not-number", "value-not-number", T, o("500000", "[1, 2]"), (OF, 4, 12)),
    case("value-not-number-null", "value-not-number", t(" 700000", ""), O, (TF, 6, 12)),
    case("invalid-quantity", "invalid-quantity", T, o("500000", "lots"), (OF, 4, 12)),
    case("invalid-quantity-commas", "invalid-quantity", T, o("500000", "'5,00,000'"), (OF, 4, 12)),
    case(
        "invalid-quantity-out-of-range", "invalid-quantity", T, o("500000", "1e999999 bn"),
        (OF, 4, 12),
    ),
    case(
        "invalid-percent", "invalid-percent", T, o("value: 500000", "change: 5.5"), (OF, 4, 13),
    ),
    case(
        "invalid-percent-alongside-value", "invalid-percent", T,
        o("value: 500000", "value: 500000\n    change: '5'"), (OF, 5, 13),
    ),
    case(
        "percent-expected", "percent-expected",
        t("    unit: vehicles\n", "    unit: percent\n    kind: growth\n"), O, (TF, 7, 13),
    ),
    case("unexpected-percent", "unexpected-percent", T, o("500000", "5%"), (OF, 4, 12)),
    case("unexpected-percent-target", "unexpected-percent", t("700000", "5%"), O, (TF, 6, 13)),
    case(
        "unexpected-percent-growth-value", "unexpected-percent", GROWTH, o("500000", "+6%"),
        (OF, 4, 12),
    ),
    case("unit-mismatch", "unit-mismatch", T, o("500000", "50亿元"), (OF, 4, 12)),
    case("unit-mismatch-target", "unit-mismatch", t("700000", "70万元"), O, (TF, 6, 13)),
    case("unit-mismatch-english", "unit-mismatch", T, o("500000", "5 apples"), (OF, 4, 12)),
    case(
        "unit-mismatch-baseline", "unit-mismatch",
        add_field("    baseline: {period: 2020, value: 10万人}"), O, (TF, 9, 37),
    ),
    case(
        "bound-conflict", "bound-conflict", T,
        o("value: 500000", "value: over 500000\n    bound: at_most"), (OF, 5, 12),
    ),
    case("missing-value", "missing-value", T, o("    value: 500000\n", ""), (OF, 2, 5)),
    case(
        "override-without-reason", "override-without-reason",
        add_field("    status_override: {status: on_track}"), O, (TF, 9, 22),
    ),
    case(
        "override-with-empty-reason", "override-without-reason",
        add_field("    status_override: {status: on_track, reason: ''}"), O, (TF, 9, 49),
    ),
    # --- across entries and files (check) -------------------------------------------------
    case("duplicate-id", "duplicate-id", T + T.removeprefix("targets:\n"), O, (TF, 10, 9)),
    case("unknown-target", "unknown-target", T, o("target: nev", "target: nevv"), (OF, 2, 13)),
    # --- releases (the targets file's releases: list, and a target's releases) ---------------
    case("unknown-release", "unknown-release", add_field("    releases: [repot]") + RELEASES, O,
         (TF, 9, 16)),
    case("unknown-release-none-listed", "unknown-release", add_field("    releases: [report]"), O,
         (TF, 9, 16)),
    case("release-bad-cadence", "invalid-choice", T + RELEASES.replace("annual,", "weekly,", 1),
         O, (TF, 11, 46)),
    case("release-duplicate-id", "duplicate-id", TR + RELEASES.removeprefix("releases:\n"),
         O, (TF, 12, 10)),
    case("release-missing-delay", "missing-field",
         T + RELEASES.replace(" delay_days: 15,", ""), O, (TF, 11, 5)),
    case("release-bad-delay", "wrong-type", T + RELEASES.replace("15", "'15'"), O, (TF, 11, 66)),
    case("release-bad-kind", "invalid-choice", T + RELEASES.replace("level]", "levels]"), O,
         (TF, 11, 86)),
    case("releases-not-a-list", "wrong-type", T + "releases: 3\n", O, (TF, 10, 11)),
    case("release-not-a-mapping", "wrong-type", T + "releases: [report]\n", O, (TF, 10, 12)),
    case("no-targets", "no-targets", "targets: []\n", O, (TF, 1, 1)),
    case(
        "milestone-unknown", "unknown-target", add_field("    milestone_of: nevv"), O, (TF, 9, 19),
    ),
    case("milestone-itself", "invalid-field", add_field("    milestone_of: nev"), O, (TF, 9, 19)),
    case(
        "milestone-cycle", "invalid-field",
        add_field("    milestone_of: b") + T.removeprefix("targets:\n").replace("id: nev", "id: b")
        .replace("    start: 2021\n", "    start: 2021\n    milestone_of: nev\n"), O, (TF, 9, 19),
    ),
    # --- multiples in words (data-format §2.5, §5.6) ------------------------------------------
    case("multiple-without-baseline", "missing-field", t("target: 700000", "target: 翻一番"), O,
         (TF, 2, 5)),
    case(
        "multiple-of-a-rate", "invalid-field",
        t("    unit: vehicles\n", "    unit: percent\n    kind: growth\n", "700000", "翻番",
          AFTER_START, AFTER_START + "    baseline: {period: 2020, value: 5%}\n"), O, (TF, 2, 5),
    ),
    case("multiple-unknown-word", "invalid-quantity", T, o("value: 500000", "change: 翻四番"),
         (OF, 4, 13)),
    case("since-without-change", "missing-field", T,
         o("    period: 2023\n", "    period: 2023\n    since: 2020\n"), (OF, 2, 5)),
    case("since-not-before-period", "invalid-field", T,
         o("    value: 500000\n", "    change: 翻番\n    since: 2023\n"), (OF, 2, 5)),
    case("since-not-a-year", "wrong-type", T,
         o("    value: 500000\n", "    change: 翻番\n    since: twenty\n"), (OF, 5, 12)),
    # --- warnings -------------------------------------------------------------------------
    case(
        "conflicting-values", "conflicting-values", T,
        O + OBSERVATION_ENTRY.replace("500000", "510000"), (OF, 8, 12),
    ),
    case("period-not-ended", "period-not-ended", T, o("period: 2023", "period: 2024"), (OF, 3, 13)),
    case(
        "period-not-ended-partial", "period-not-ended", T,
        o("period: 2023", "period: 2024-01/2024-06"), (OF, 3, 13),
    ),
    case(
        "forecast-unmarked", "forecast-unmarked", T,
        o("    value: 500000\n", "    value: 500000\n    estimate: expected\n",
          "published: 2024-03-01", "published: 2023-12-20"), (OF, 6, 13),
    ),
    case(  # a final figure published before its year ended is a forecast all the same
        "forecast-unmarked-final", "forecast-unmarked", T,
        o("published: 2024-03-01", "published: 2023-12-20"), (OF, 5, 13),
    ),
    # the 2024 figure, due from the work report about 2025-01-15, is overdue after 30 days' grace
    case("overdue-release", "overdue-release", TR, O, (TF, 2, 9), today=date(2025, 2, 15)),
    case("overdue-release-no-data", "overdue-release", TR, "observations: []\n", (TF, 2, 9)),
    case("deadline-passed", "deadline-passed", T, O, (TF, 7, 15), today=date(2026, 6, 1)),
    case("source-incomplete", "source-incomplete", t(SOURCE, "{title: Plan}"), O, (TF, 9, 13)),
    case(
        "source-incomplete-observation", "source-incomplete", T,
        o(OBS_SOURCE, "{title: B, published: 2024-03-01}"), (OF, 5, 13),
    ),
    case(
        "published-in-future", "published-in-future", T,
        o("published: 2024-03-01", "published: 2031-01-01"), (OF, 5, 69),
    ),
    case(
        "published-in-future-target", "published-in-future",
        t("published: 2021-03-01", "published: 2024-07"), O, (TF, 9, 69),
    ),
    case(
        "mixed-price-basis", "mixed-price-basis", T,
        o("    value: 500000\n", '    value: 500000\n    change: "+5%"\n    price_basis: real\n')
        + OBSERVATION_ENTRY.replace("2023", "2022").replace(
            "    value: 500000\n", '    value: 476000\n    change: "+4%"\n'),
        (OF, 11, 13),
    ),
    case(
        "inconsistent-change", "inconsistent-change", T,
        o("    value: 500000\n", '    value: 500000\n    change: "+50%"\n')
        + OBSERVATION_ENTRY.replace("2023", "2022").replace("500000", "400000"),
        (OF, 5, 13),
    ),
    case("implausible-jump", "implausible-jump", T, o("value: 500000", "value: 50"), (OF, 4, 12)),
    case(
        "bare-number-growth", "bare-number",
        t("    unit: vehicles\n", "    unit: vehicles\n    kind: growth\n", "700000", "5.5%"),
        o("value: 500000", "value: 4.9"), (OF, 4, 12),
    ),
    case(
        "bare-number", "bare-number", t("target: 700000", "target: 7000000"),
        o("value: 500000", "value: 3000000") + OBSERVATION_ENTRY.replace("2023", "2024")
        .replace("500000", "4000"), (OF, 8, 12), date(2025, 6, 1),
    ),
    case("after-deadline", "after-deadline", T, o("period: 2023", "period: 2026"), (OF, 3, 13),
         date(2027, 6, 1)),
    case("change-qualifier", "change-qualifier", T,
         o("    value: 500000\n", '    value: 500000\n    change: "24%以上"\n'), (OF, 5, 13)),
]
# fmt: on


@pytest.mark.parametrize("c", CATALOGUE)
def test_catalogue(c: Case, make_data: MakeData) -> None:
    directory = make_data(c.targets, c.observations)
    problems = run(Path(directory), c.today).problems
    file, line, col = c.at
    hits = [p for p in problems if p.code == c.code]
    assert [(p.path, p.line, p.col) for p in hits if (p.line, p.col) == (line, col)] == [
        (str(directory / file), line, col)
    ], [p.format() for p in problems]
    assert {p.severity for p in hits} == {"warning" if c.code in WARNINGS else "error"}
    assert all(re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", p.code) for p in problems)
    others = {p.code for p in problems if p.is_error} - {c.code}
    assert others == c.others, [p.format() for p in problems]


REQUIRED = {
    "yaml-syntax", "duplicate-key", "non-standard-tag", "invalid-utf8", "alias-bomb", "too-deep",
    "multiple-documents", "unknown-field", "missing-field", "missing-source", "wrong-type",
    "invalid-choice", "invalid-id", "empty-field", "duplicate-id", "unknown-target",
    "unit-mismatch", "invalid-period", "period-kind-mismatch", "value-not-finite",
    "value-boolean", "value-negative", "invalid-quantity", "invalid-percent", "percent-expected",
    "unexpected-percent", "bound-conflict", "missing-value", "override-without-reason",
    "invalid-date", "file-missing",
}  # fmt: skip
TESTED_BELOW = {
    "file-too-large",
    "file-unreadable",
    "quote-mismatch",
    "quote-bound-mismatch",
    "quote-missing",
}  # tests/test_quotes.py
CORE = Path(__file__).parents[1] / "cctrack"


def test_catalogue_covers_every_code() -> None:
    covered = {p.values[0].code for p in CATALOGUE} | TESTED_BELOW
    assert covered >= REQUIRED | WARNINGS
    # every problem code written in the reading and checking modules has a case
    source = "".join(
        (CORE / f"{name}.py").read_text(encoding="utf-8")
        for name in ("yaml_reader", "quantity", "period", "model", "dataset", "check")
    )
    written = set(re.findall(r'"([a-z]+(?:-[a-z0-9]+)+)"', source)) - {"utf-8"}
    assert written - covered == set()


# --- the baseline and other valid data --------------------------------------------------------


def test_minimal_data_has_no_problem(make_data: MakeData) -> None:
    problems = run(Path(make_data()), TODAY).problems
    assert problems == []


ALIASED = f"""\
observations:
  - target: nev
    period: 2022
    value: 400000
    source: &bulletin {OBS_SOURCE}
  - target: nev
    period: 2023
    value: 50万辆
    change: "+25%"
    source: *bulletin
"""

# fmt: off
VALID = [
    pytest.param(T, ALIASED, id="anchors-and-aliases"),
    pytest.param(GROWTH, o("value: 500000", "change: +6.2%"), id="growth"),
    pytest.param(GROWTH, o("period: 2023", "period: 2024-01/2024-03", "value: 500000",
                           "change: '-1.5%'", "2024-03-01", "2024-04-15"), id="growth-partial"),
    pytest.param(
        add_field("    kind: level"), o("period: 2023", "period: 2023-12-31"), id="level-date"
    ),
    pytest.param(t("2025", "2025-12-31", "start: 2021", "start: 2021\n    kind: level"), O,
                 id="level-date-deadline"),
    pytest.param(t("    deadline: 2025\n", ""), O, id="no-deadline"),
    pytest.param(add_field("    status_override: {status: on_track, reason: checked}"), O,
                 id="override-with-reason"),
    pytest.param(add_field("    baseline: {period: 2020, value: 10万}"), O, id="baseline"),
    pytest.param(t("700000", "'70万辆'"), o("500000", "over 50万"), id="quantity-strings"),
    pytest.param(T, o("500000", "1.5e+5"), id="exponent"),
    pytest.param(
        T, o("period: 2023", "period: 2024-01/2024-03", "value: 500000", "change: '+5%'",
             "2024-03-01", "2024-04-15"),
        id="change-only",
    ),
    pytest.param(T, o("period: 2023", "period: 2023\n    scope: Jilin"), id="other-scope"),
    pytest.param(T, o("period: 2023", "period: 2025\n    estimate: forecast"),
                 id="future-forecast"),
    pytest.param(
        b"\xef\xbb\xbf" + TARGETS.replace("\n", "\r\n").encode(), OBSERVATIONS, id="bom-crlf"
    ),
    pytest.param(T, "", id="empty-observations-file"),
    pytest.param(T, o("published: 2024-03-01", "published: 2024-06"), id="published-this-month"),
    pytest.param(T, o("published: 2024-03-01", "published: 2024"), id="published-this-year"),
    pytest.param(T, O + OBSERVATION_ENTRY.replace("period: 2023", "period: 2023\n    estimate: "
                 "preliminary").replace("500000", "490000").replace("2024-03-01", "2024-01-10"),
                 id="preliminary-and-final"),
]
# fmt: on


@pytest.mark.parametrize(("targets", "observations"), VALID)
def test_valid_data_has_no_error(
    targets: str | bytes, observations: str | None, make_data: MakeData
) -> None:
    problems = run(Path(make_data(targets, observations)), TODAY).problems
    assert [p.format() for p in problems if p.is_error] == []
    assert [p.code for p in problems] == []


# --- collecting and sorting -------------------------------------------------------------------


def codes_at(problems: list[Problem]) -> list[tuple[str, str, int, int]]:
    return [(Path(p.path).name, p.code, p.line, p.col) for p in problems]


def test_three_independent_errors_in_one_file_are_all_reported(make_data: MakeData) -> None:
    targets = t(
        "NEV output", "''",
        AFTER_START, AFTER_START + "    kind: yearly\n    colour: red\n",
    )  # fmt: skip
    problems = run(Path(make_data(targets)), TODAY).problems
    assert codes_at(problems) == [
        (TF, "empty-field", 3, 11),
        (TF, "invalid-choice", 9, 11),
        (TF, "unknown-field", 10, 5),
    ]


def test_every_bad_entry_is_reported_and_sorted_by_file_and_line(make_data: MakeData) -> None:
    observations = (
        o("500000", "lots")
        + OBSERVATION_ENTRY.replace("period: 2023", "period: 2023-13")
        + OBSERVATION_ENTRY.replace("target: nev", "target: other")
    )
    targets = T + "extra: 1\n" + RELEASES
    problems = run(Path(make_data(targets, observations)), TODAY).problems
    assert codes_at(problems) == [
        (OF, "invalid-quantity", 4, 12),
        (OF, "invalid-period", 7, 13),
        (OF, "unknown-target", 10, 13),
        (TF, "overdue-release", 2, 9),  # its only observation has an error
        (TF, "unknown-field", 10, 1),
    ]
    assert problems == sorted(problems, key=lambda p: (p.path, p.line, p.col))


def test_unknown_target_suggests_the_closest_id(make_data: MakeData) -> None:
    problems = run(Path(make_data(T, o("target: nev", "target: nevv"))), TODAY).problems
    (problem,) = [p for p in problems if p.code == "unknown-target"]
    assert "did you mean 'nev'" in problem.message


def test_a_target_with_errors_is_not_unknown_to_its_observations(make_data: MakeData) -> None:
    # the target's own error is the one to fix; no "unknown target" for each observation
    problems = run(Path(make_data(add_field("    colour: red"), O)), TODAY).problems
    assert codes_at(problems) == [(TF, "unknown-field", 9, 5)]


@pytest.mark.parametrize(
    ("targets", "code"),
    [
        (None, "file-missing"),
        ("targets: [\n", "yaml-syntax"),
        (b"\xff", "invalid-utf8"),
        ("- nev\n", "wrong-type"),
        ("targets: {id: nev}\n", "wrong-type"),
    ],
)
def test_unreadable_targets_do_not_make_every_observation_unknown(
    targets: str | bytes | None, code: str, make_data: MakeData
) -> None:
    problems = run(Path(make_data(targets, O)), TODAY).problems
    assert [p.code for p in problems] == [code]


@pytest.mark.parametrize(
    "targets", ["", "# none yet\n", "targets:\n", "targets: []\n", "targets: null\n"]
)
def test_empty_targets_are_one_error_not_every_observation_unknown(
    targets: str, make_data: MakeData
) -> None:
    problems = run(Path(make_data(targets, O + OBSERVATION_ENTRY)), TODAY).problems
    assert codes_at(problems) == [(TF, "no-targets", 1, 1)]
    assert problems[0].message == "targets.yaml has no targets"


@pytest.mark.parametrize(
    ("observations", "code"),
    [
        (o("value: 500000", "value: [1, 2"), "yaml-syntax"),  # an unclosed [
        ("observations: [\n", "yaml-syntax"),
        (O.encode().replace(b"500000", b"5\xff"), "invalid-utf8"),
        (O + "---\nobservations: []\n", "multiple-documents"),
        (None, "file-missing"),
        ("- nev\n", "wrong-type"),
        ("observations: {target: nev}\n", "wrong-type"),
    ],
)
def test_unreadable_observations_make_no_target_overdue(
    observations: str | bytes | None, code: str, make_data: MakeData
) -> None:
    # by 2026-11-22 its 2025 figure would be overdue and its deadline passed without a figure:
    # one missing figure, one warning that says both
    found = run(make_data(TR, "", "base"), date(2026, 11, 22)).problems
    assert [p.code for p in found] == ["overdue-release"]
    assert "its deadline 2025 has passed without a final figure" in found[0].message
    problems = run(make_data(T + RELEASES, observations), date(2026, 11, 22)).problems
    assert [p.code for p in problems] == [code], [p.format() for p in problems]


@pytest.mark.parametrize(
    ("targets", "observations", "name"),
    [(None, O, "targets"), (T, None, "observations")],
)
def test_a_yml_file_in_place_of_a_yaml_file_is_named(
    targets: str | None, observations: str | None, name: str, make_data: MakeData
) -> None:
    directory = make_data(targets, observations)
    problems = run(Path(directory), TODAY).problems
    ((path, message),) = [(p.path, p.message) for p in problems if p.code == "file-missing"]
    assert (path, message) == (str(directory / f"{name}.yaml"), f"no {name}.yaml in {directory}")
    (directory / f"{name}.yml").write_text(T if name == "targets" else O, encoding="utf-8")
    problems = run(Path(directory), TODAY).problems
    assert [p.code for p in problems] == ["file-missing"]
    assert problems[0].message == (
        f"no {name}.yaml in {directory}; found {name}.yml: cctrack reads {name}.yaml"
    )


# --- messages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("targets", "observations", "code", "message"),
    [
        (T, o("value: 500000", "change: 5.5"), "invalid-percent",
         "'change': 5.5: write a change as a percentage string, e.g. '+5.5%'"),
        (t("2021\n", "2021.0\n"), O, "wrong-type",
         "'start': input should be a valid integer, got 2021.0"),
        (t("start: 2021", "start: true"), O, "wrong-type",
         "'start': input should be a valid integer, got true"),
        (T, o("500000", "true"), "value-boolean",
         "'value': true is a boolean, not a number"),
        (t(" 700000", ""), O, "value-not-number",
         "'target': expected a number or a quantity string, got null"),
        (T, o("500000", "[1.5, {a: 2.0}]"), "value-not-number",
         "'value': expected a number or a quantity string, got [1.5, {'a': 2.0}]"),
        (T, o("period: 2023", "period: 2023.5"), "invalid-period",
         "'period': 2023.5 is not a period (e.g. 2023, 2023-H1, 2023-01/2023-10)"),
        (T, o("published: 2024-03-01", "published: 2021.5"), "invalid-date",
         "'source.published': 2021.5 is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        (t("id: nev", "id: NEV_1"), o("nev", "NEV_1"), "invalid-id",
         "id 'NEV_1' must be lower-case letters, digits and hyphens, starting with a letter or "
         "digit (e.g. tourism-revenue)"),
        (t("id: nev", "id: 新能源"), o("nev", "新能源"), "invalid-id",
         "id '新能源' must be lower-case letters, digits and hyphens, starting with a letter or "
         "digit (e.g. tourism-revenue)"),
        (T, o("published: 2024-03-01", "published: 2031-01-01"), "published-in-future",
         "source 'Plan': published 2031-01-01 is after the as-of date 2024-06-01, so this "
         "observation is ignored (a typo?)"),
        (t("published: 2021-03-01", "published: 2024-07"), O, "published-in-future",
         "source 'Plan': published 2024-07 is after the as-of date 2024-06-01 (a typo?)"),
    ],
)  # fmt: skip
def test_messages_show_values_as_written(
    targets: str, observations: str, code: str, message: str, make_data: MakeData
) -> None:
    problems = run(Path(make_data(targets, observations)), TODAY).problems
    assert [p.message for p in problems if p.code == code] == [message]
    assert not any("Decimal(" in p.message for p in problems)


SECOND = OBSERVATION_ENTRY.replace("500000", "510000")
UNDATED = "{title: Plan, url: https://example.org/plan}"
PERIOD, PRELIMINARY = "    period: 2023\n", "    period: 2023\n    estimate: preliminary\n"


@pytest.mark.parametrize(
    ("observations", "advice"),
    [
        (O + SECOND, "mark one preliminary, or keep one"),
        ((O + SECOND).replace(OBS_SOURCE, UNDATED),
         "mark one preliminary, give each its publication date, or keep one"),
        ((O + SECOND).replace(PERIOD, PRELIMINARY), "keep one"),
        ((O + SECOND).replace(OBS_SOURCE, UNDATED).replace(PERIOD, PRELIMINARY),
         "give each its publication date, or keep one"),
    ],
)  # fmt: skip
def test_conflict_advice_fits_the_case(observations: str, advice: str, make_data: MakeData) -> None:
    problems = run(Path(make_data(T, observations)), TODAY).problems
    (problem,) = [p for p in problems if p.code == "conflicting-values"]
    assert problem.message == (
        f"nev 2023: value 510000 conflicts with line 2 of equal standing; {advice}"
    )


def test_oversized_file(make_data: MakeData, monkeypatch: pytest.MonkeyPatch) -> None:
    import cctrack.yaml_reader

    monkeypatch.setattr(cctrack.yaml_reader, "MAX_BYTES", len(T))
    problems = run(Path(make_data(T + "# one byte too many\n", O)), TODAY).problems
    assert codes_at(problems) == [(TF, "file-too-large", 1, 1)]


def test_unreadable_file(make_data: MakeData) -> None:
    directory = make_data(T, None)
    (directory / OF).mkdir()
    problems = run(Path(directory), TODAY).problems
    assert codes_at([p for p in problems if p.is_error]) == [(OF, "file-unreadable", 1, 1)]


def test_problems_are_values_not_exceptions(make_data: MakeData) -> None:
    # everything wrong at once still returns a list
    directory = make_data(b"\x00\xff", "observations: {")
    problems = run(Path(directory), TODAY).problems
    assert {p.code for p in problems} == {"invalid-utf8", "yaml-syntax"}


# --- the shipped data -------------------------------------------------------------------------


@pytest.mark.parametrize("today", [date(2024, 6, 1), date(2026, 11, 22), date.today()])
@pytest.mark.parametrize("directory", [PACKAGED, Path(__file__).parents[1] / "data"])
def test_shipped_data_has_no_error(directory: Path, today: date) -> None:
    result = run(directory, today)
    assert [p.format() for p in result.problems if p.is_error] == []
    assert len(result.targets) > 0
    assert result.n_observations > 0
