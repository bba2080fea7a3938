"""Each series built once per run, and the faster checks and assessment unchanged.

A run's checks and assessment share their series through :class:`cctrack.series.SeriesMemo`:
each distinct series is built once. The results are compared with independent references:
every rule run on its own (no grouping shared between rules), every target assessed on its
own with a series of its own, and the plain definitions the fast paths replace
(:func:`cctrack.releases.is_figure`, a series built the way it was before).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_obs, make_target
from hypothesis import given, settings
from hypothesis import strategies as st

import cctrack.series as series_module
from cctrack.assess import Assessment, assess, assess_all, explain_no_data, link_milestones
from cctrack.check import RULES, check
from cctrack.dataset import Dataset, load_dataset
from cctrack.domain import Observation, Target
from cctrack.period import MIN_YEAR
from cctrack.problem import Problem
from cctrack.releases import is_figure, latest_figure
from cctrack.series import Derivation, Point, SeriesMemo, build_series, rank, select

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data"
FIXTURES = ROOT / "tests" / "fixtures" / "first-data"
DATES = (date(2026, 12, 6), date(2024, 6, 30), date(2031, 1, 1))


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, ...]]]:
    """Every series built, as the identities of its inputs (target, then each observation)."""
    made: list[tuple[int, ...]] = []
    plain = series_module.build_series

    def counted(target: Target, observations: list[Observation]) -> list[Point]:
        made.append((id(target), *map(id, observations)))
        return plain(target, observations)

    monkeypatch.setattr(series_module, "build_series", counted)
    yield made


def _models(ds: Dataset) -> tuple[list[Any], list[Any], list[Any]]:
    return ([e.model for e in ds.targets], [e.model for e in ds.observations],
            [r.model for r in ds.releases])  # fmt: skip


def _run(ds: Dataset, as_of: date, memo: SeriesMemo | None) -> tuple[list[Problem], list[Any]]:
    """What a run computes: the problems, then the assessments (sharing ``memo``)."""
    problems = check(ds, as_of, memo=memo)
    targets, observations, releases = _models(ds)
    return problems, assess_all(targets, observations, as_of, "growth-ratio", releases, memo=memo)


# --- each series once ------------------------------------------------------------------------


@pytest.mark.parametrize("directory", [SHIPPED, FIXTURES], ids=["shipped", "fixtures"])
def test_a_run_builds_each_series_once(directory: Path, builds: list[tuple[int, ...]]) -> None:
    ds = load_dataset(directory)
    targets, observations, releases = _models(ds)
    assess_all(targets, observations, DATES[0], "growth-ratio", releases)
    alone = len(builds)  # the series the assessment builds when it shares none
    builds.clear()
    memo = SeriesMemo()
    check(ds, DATES[0], memo=memo)
    checked = len(builds)
    assess_all(targets, observations, DATES[0], "growth-ratio", releases, memo=memo)
    assert checked > 0 and alone > 0
    assert len(builds) == len(set(builds))  # no series built twice
    assert len(builds) - checked < alone  # the assessment took series the checks built


def test_the_pipeline_builds_each_series_once(
    builds: list[tuple[int, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one road (a cold ``pipeline.run``) shares the checks' series with the assessment."""
    from cctrack import pipeline

    monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    result = pipeline.run(SHIPPED, DATES[0])
    assert result.assessments and builds
    assert len(builds) == len(set(builds))


def test_without_a_shared_memo_the_series_are_built_again(builds: list[tuple[int, ...]]) -> None:
    """The count above can fail: apart, the checks and the assessment build the same series."""
    ds = load_dataset(SHIPPED)
    _run(ds, DATES[0], None)
    assert len(builds) > len(set(builds))


def test_the_checks_alone_build_each_series_once(builds: list[tuple[int, ...]]) -> None:
    ds = load_dataset(SHIPPED)
    check(ds, DATES[0])
    assert builds and len(builds) == len(set(builds))
    per_target = {k[0] for k in builds}
    targets, observations, releases = _models(ds)
    builds.clear()
    assess_all(targets, observations, DATES[0], "growth-ratio", releases)
    assert len(builds) == len({k[0] for k in builds})  # one series per target at most
    assert per_target  # the checks built some


def test_a_memo_gives_the_series_built_anew() -> None:
    t = make_target(kind="level")
    obs = [make_obs(2021, 10), make_obs("2022-12-31", 11), make_obs(2023, None, change="+5%")]
    memo = SeriesMemo()
    first = memo.series(t, obs)
    again = memo.series(t, obs)
    assert first == again == build_series(t, obs)
    assert first is not again  # a list of its own: a caller may change it
    other = memo.series(t, obs[:2])  # other inputs: another series
    assert other == build_series(t, obs[:2]) != first


def test_a_memo_lets_go_of_a_target_assessed(builds: list[tuple[int, ...]]) -> None:
    """The assessment lets go of each target's series once it is assessed (a large run does not
    hold them all while it stores its result); asked again, a series is built again, the same."""
    t, u = make_target(kind="level"), make_target(kind="level", id="other")
    obs = [make_obs(2021, 10), make_obs("2022-12-31", 11)]
    memo = SeriesMemo()
    first, theirs = memo.series(t, obs), memo.series(u, obs)
    memo.forget(t)
    assert memo.series(u, obs) == theirs and len(builds) == 2  # the other target's: kept
    assert memo.series(t, obs) == first and len(builds) == 3  # built again


# --- the same results as the references --------------------------------------------------------


def _rules_apart(ds: Dataset, as_of: date) -> list[Problem]:
    """check's problems, each rule run on its own (nothing shared between the rules)."""
    problems = list(ds.problems)
    for rule in RULES:
        problems.extend(rule(ds, as_of))
    return sorted(set(problems))


def _each_alone(ds: Dataset, as_of: date, method: str) -> list[Assessment]:
    """assess_all's assessments, each target assessed on its own with a memo of its own."""
    targets, observations, releases = _models(ds)
    scopes = {t.id: t.scope for t in targets}
    out = []
    for t in targets:
        mine = [o for o in observations if o.target == t.id]
        bench = None
        if t.benchmark is not None and t.benchmark.target is not None:
            other = t.benchmark.target
            bench = [o for o in observations
                     if o.target == other and o.scope in (None, scopes.get(other))]  # fmt: skip
        out.append(assess(t, mine, as_of, method, bench, releases))
    link_milestones(out)
    explain_no_data(out)
    return out


def _same(ds: Dataset, as_of: date) -> None:
    problems, assessments = _run(ds, as_of, SeriesMemo())
    assert problems == _rules_apart(ds, as_of)
    assert assessments == _each_alone(ds, as_of, "growth-ratio")
    targets, observations, releases = _models(ds)
    linear = assess_all(targets, observations, as_of, "linear", releases)
    assert linear == _each_alone(ds, as_of, "linear")


@pytest.mark.parametrize("as_of", DATES, ids=str)
@pytest.mark.parametrize("directory", [SHIPPED, FIXTURES], ids=["shipped", "fixtures"])
def test_the_data_gives_what_the_references_give(directory: Path, as_of: date) -> None:
    _same(load_dataset(directory), as_of)


def test_generated_data_gives_what_the_references_give(tmp_path: Path) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(tmp_path, 3000, 20, seed=7)
    ds = load_dataset(tmp_path)
    for as_of in DATES:
        _same(ds, as_of)


# --- generated observation sets for a few targets ----------------------------------------------

TARGETS = [
    {"id": "lv", "name": "Level", "scope": "City", "kind": "level", "unit": "yuan",
     "target": 900, "deadline": 2026, "start": 2021},
    {"id": "an", "name": "Annual", "scope": "City", "kind": "annual", "unit": "yuan",
     "target": 500, "deadline": 2025, "start": 2021},
    {"id": "gr", "name": "Growth", "scope": "City", "kind": "growth", "unit": "percent",
     "target": "6%", "deadline": 2025, "start": 2021},
    {"id": "av", "name": "Average", "scope": "City", "kind": "growth", "unit": "percent",
     "target": "5%", "deadline": 2025, "start": 2021, "average": True},
]  # fmt: skip
SOURCE = {"title": "Bulletin", "url": "https://example.org/b", "reliability": "A"}


@st.composite
def _entry(draw: st.DrawFn) -> dict[str, Any]:
    target = draw(st.sampled_from(TARGETS))
    growth = target["kind"] == "growth"
    year = draw(st.integers(2019, 2026))
    period = draw(st.sampled_from([str(year), f"{year}-06", f"{year}-12-31", f"{year}-01/{year}-09",
                                   f"{year}-Q4", f"{year - 2}/{year}"]))  # fmt: skip
    entry: dict[str, Any] = {"target": target["id"], "period": period}
    if not growth:  # a level or an annual target: a value, sometimes with its change
        entry["value"] = f"{draw(st.integers(100, 1200))}.{draw(st.integers(0, 9))}"
    if growth or draw(st.booleans()):
        entry["change"] = f"{draw(st.integers(-30, 60)) / 10:+}%"
    entry["estimate"] = draw(st.sampled_from(["final", "final", "preliminary", "expected",
                                              "forecast"]))  # fmt: skip
    if draw(st.integers(0, 5)) == 0:
        entry["scope"] = "Province"
    if not growth and draw(st.integers(0, 7)) == 0 and entry.get("value"):
        entry["break"] = True
    grade = draw(st.sampled_from(["A", "B", "C"]))
    published = draw(st.sampled_from(["2020-03-01", "2023-02-01", "2025-04", "2027-01-15"]))
    entry["source"] = {**SOURCE, "reliability": grade, "published": published,
                       "publisher": draw(st.sampled_from(["Bureau", "Daily"]))}  # fmt: skip
    return entry


def _write(directory: Path, entries: list[dict[str, Any]]) -> None:
    source = {**SOURCE, "published": "2021-03-01"}
    targets = [{**t, "source": source} for t in TARGETS]
    (directory / "targets.yaml").write_text(yaml.safe_dump({"targets": targets}), "utf-8")
    text = yaml.safe_dump({"observations": entries}, allow_unicode=True)
    (directory / "observations.yaml").write_text(text, "utf-8")


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(_entry(), min_size=1, max_size=30))
def test_generated_observation_sets(
    tmp_path_factory: pytest.TempPathFactory, entries: list[dict[str, Any]]
) -> None:
    directory = tmp_path_factory.mktemp("data")
    try:
        _write(directory, entries)
        ds = load_dataset(directory)
        for as_of in (date(2026, 12, 6), date(2024, 6, 30)):
            _same(ds, as_of)
        for t, observations in _by_target(ds).items():
            assert build_series(t, observations) == _series_before(t, observations)
            for as_of in (date(2026, 12, 6), date(2022, 1, 1)):
                known = [o for o in observations if o.period.end <= as_of]
                figures = [o.period.end.year for o in known if is_figure(t, o)]
                assert latest_figure(t, known) == max(figures, default=None)
    finally:
        shutil.rmtree(directory)


def _by_target(ds: Dataset) -> dict[Target, list[Observation]]:
    targets, observations, _ = _models(ds)
    return {t: [o for o in observations if o.target == t.id] for t in targets}


# --- the series as it was built before the fast path (the reference) ---------------------------


def _point(target: Target, o: Observation) -> bool:
    if target.kind.value != "level":
        return o.period.is_full_year
    end = o.period.end
    return o.period.kind.value != "years" and (end.month, end.day) == (12, 31)


def _series_before(target: Target, observations: list[Observation]) -> list[Point]:
    """build_series as written before it was made faster: each step over every observation."""
    breaks = [o.period.year for o in observations
              if o.series_break and o.value is not None and _point(target, o)]  # fmt: skip
    cut = max(breaks) if breaks else None
    by_year: dict[int, list[Observation]] = {}
    for o in observations:
        if _point(target, o) and (cut is None or o.period.year >= cut):
            by_year.setdefault(o.period.year, []).append(o)
    direct: dict[int, Point] = {}
    changes: dict[int, Observation] = {}
    for year, group in by_year.items():
        with_value = [o for o in group if o.value is not None]
        if with_value:
            o = select(with_value, values=True)
            assert o.value is not None
            direct[year] = Point(o.period, o.value.value, o.effective_bound, o.estimate,
                                 o.source, o)  # fmt: skip
        with_change = [o for o in group if o.change is not None and not o.real_change]
        if with_change:
            changes[year] = min(with_change, key=rank)
    derived: dict[int, Point] = {}
    for year, o in changes.items():
        assert o.change is not None
        if not o.change_points and 1 + o.change <= 0:
            continue
        if year - 1 in direct and year not in direct:
            prev = direct[year - 1]
            how = Derivation(prev.period, prev.value, o.change, True, o.change_points)
            derived[year] = Point(o.period, how.apply(), prev.bound, o.estimate, o.source, o, how)
        backward = year - 1 not in direct and year - 1 not in derived and year - 1 >= MIN_YEAR
        if year in direct and backward:
            cur = direct[year]
            how = Derivation(cur.period, cur.value, o.change, False, o.change_points)
            derived[year - 1] = Point(series_module.year_period(year - 1), how.apply(),
                                      cur.bound, o.estimate, o.source, o, how)  # fmt: skip
    return sorted([*direct.values(), *derived.values()], key=lambda p: p.year)


def test_the_reference_series_sees_a_derivation() -> None:
    """The reference is not vacuous: it derives a level from a change, as build_series does."""
    t = make_target(kind="level")
    obs = [make_obs(2021, 100), make_obs(2022, None, change="+10%")]
    made = _series_before(t, obs)
    assert [p.value for p in made] == [Decimal(100), Decimal("110.0")]
    assert made == build_series(t, obs)
