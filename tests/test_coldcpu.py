"""The faster helpers of the checks and the assessment give what the plain definitions give.

Each helper added to make a cold run cheaper (a use or a point made through its slots, the
checks' grouping of series, the stated changes weighed, the revisable periods, the readings'
own figures of a period) is compared with the plain code it replaces, on generated entries:
read from real files in a temporary directory where the helper works on a data set.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import make_obs, make_target
from hypothesis import given, settings
from hypothesis import strategies as st

from cctrack.assess import (
    CONTEXT_ROLES,
    Assessment,
    Note,
    Role,
    Use,
    _final_known,
    _own,
    _own_of,
    _same_period,
    _use,
    assess_all,
    note,
    revisions,
)
from cctrack.check import _own_series, _stated_changes
from cctrack.dataset import Dataset, ObservationEntry, load_dataset
from cctrack.domain import Estimate, Kind, Observation
from cctrack.period import Period, parse_period
from cctrack.series import (
    Point,
    SeriesMemo,
    _stated,
    build_series,
    rank,
    select,
    series_inputs,
)

AS_OF = date(2026, 12, 6)

# --- generated data sets -----------------------------------------------------------------------

TARGETS: list[dict[str, Any]] = [
    {"id": "lv", "name": "Level", "scope": "City", "kind": "level", "unit": "yuan",
     "target": 900, "deadline": 2026, "start": 2021},
    {"id": "an", "name": "Annual", "scope": "City", "kind": "annual", "unit": "yuan",
     "target": 500, "deadline": 2025, "start": 2021, "measure": "gross"},
    {"id": "gr", "name": "Growth", "scope": "City", "kind": "growth", "unit": "percent",
     "target": "6%", "deadline": 2025, "start": 2021},
]  # fmt: skip
SOURCE = {"title": "Bulletin", "url": "https://example.org/b", "reliability": "A"}


@st.composite
def _entry(draw: st.DrawFn) -> dict[str, Any]:
    target = draw(st.sampled_from([*TARGETS, {"id": "nobody", "kind": "annual"}]))
    growth = target["kind"] == "growth"
    year = draw(st.integers(2019, 2027))
    period = draw(st.sampled_from([str(year), f"{year}-06", f"{year}-12-31", f"{year}-Q4",
                                   f"{year}-01/{year}-09", f"{year - 2}/{year}"]))  # fmt: skip
    entry: dict[str, Any] = {"target": target["id"], "period": period}
    if not growth and draw(st.integers(0, 5)):
        entry["value"] = f"{draw(st.integers(90, 130))}.{draw(st.integers(0, 9))}"
    if growth or draw(st.booleans()):
        entry["change"] = f"{draw(st.integers(-30, 60)) / 10:+}%"
        if draw(st.integers(0, 4)) == 0:
            entry["price_basis"] = "real"
    entry["estimate"] = draw(st.sampled_from(["final", "final", "preliminary", "expected",
                                              "forecast"]))  # fmt: skip
    if draw(st.integers(0, 4)) == 0:
        entry["scope"] = draw(st.sampled_from(["City", "Province"]))
    if draw(st.integers(0, 5)) == 0:
        entry["measure"] = draw(st.sampled_from(["gross", "net"]))
    published = draw(st.sampled_from(["2020-03-01", "2024-02-01", "2025-04", "2027-01-15"]))
    entry["source"] = {**SOURCE, "published": published,
                       "publisher": draw(st.sampled_from(["Bureau", "Daily"]))}  # fmt: skip
    return entry


def _load(directory: Path, entries: list[dict[str, Any]]) -> Dataset:
    source = {**SOURCE, "published": "2021-03-01"}
    targets = [{**t, "source": source} for t in TARGETS]
    (directory / "targets.yaml").write_text(yaml.safe_dump({"targets": targets}), "utf-8")
    text = yaml.safe_dump({"observations": entries}, allow_unicode=True)
    (directory / "observations.yaml").write_text(text, "utf-8")
    return load_dataset(directory)


def _assessments(ds: Dataset) -> list[Assessment]:
    targets = [e.model for e in ds.targets]
    observations = [e.model for e in ds.observations]
    return assess_all(targets, observations, AS_OF, "growth-ratio")


# --- the plain definitions ---------------------------------------------------------------------


def _own_series_plain(ds: Dataset) -> dict[tuple[str, str], list[ObservationEntry]]:
    """check._own_series as written before: a target looked up and a key made per entry."""
    by_id = ds.targets_by_id()
    out: dict[tuple[str, str], list[ObservationEntry]] = defaultdict(list)
    for entry in ds.observations:
        t = by_id.get(entry.model.target)
        o = entry.model
        if t is None or t.kind is Kind.growth or o.estimate is Estimate.forecast:
            continue
        measure = o.measure if t.measure is not None and o.measure is not None else t.measure
        out[(t.id, f"{o.scope or t.scope}\x00{measure or ''}")].append(entry)
    return out


def _revisions_plain(own: list[Observation]) -> list[Note]:
    """assess.revisions as written before: every period's values grouped."""
    by_period: dict[str, list[Observation]] = {}
    for o in own:
        if o.value is not None:
            by_period.setdefault(o.period.text, []).append(o)
    out = []
    for group in by_period.values():
        if len(group) == 1:
            continue
        finals = [o for o in group if o.estimate is Estimate.final]
        if not finals:
            continue
        final = select(finals)
        assert final.value is not None
        for o in sorted(group, key=rank, reverse=True):
            assert o.value is not None
            if o.estimate is not Estimate.final and o.value.value != final.value.value:
                out.append(note("revised", period=o.period, from_value=o.value.value,
                                from_estimate=o.estimate, from_published=o.source.published,
                                to_value=final.value.value))  # fmt: skip
    return out


def _final_known_plain(a: Assessment, period: Period, rate: bool) -> bool:
    """assess._final_known as written before: the role tested first."""
    for u in a.uses:
        if u.role in CONTEXT_ROLES:
            continue
        o = u.observation
        if (
            o.estimate is Estimate.final
            and (o.change if rate else o.value) is not None
            and _same_period(o.period, period)
        ):
            return True
    return False


def _same_fields(made: Any, plain: Any) -> bool:
    """Every field of the two dataclass objects is the same object (``==`` skips ``origin``)."""
    return type(made) is type(plain) and all(
        getattr(made, f.name) is getattr(plain, f.name) for f in fields(plain)
    )


# --- made through their slots ------------------------------------------------------------------

ROLES = st.sampled_from(list(Role))
PERIODS = st.sampled_from([parse_period(p) for p in ("2021", "2022-H1", "2023-12-31")])


@given(ROLES, st.lists(PERIODS, max_size=3).map(tuple), st.integers(2019, 2026))
def test_a_use_made_through_its_slots_is_the_use(
    role: Role, derives: tuple[Period, ...], year: int
) -> None:
    o = make_obs(year, 100)
    assert _same_fields(_use(o, role, derives), Use(o, role, derives))
    assert _same_fields(_use(o, role), Use(o, role))
    assert _use(o, role, derives) == Use(o, role, derives)
    assert {f.name for f in fields(Use)} == {"observation", "role", "derives"}  # all are set


@given(
    st.sampled_from(["100", "over 100", "about 100", "100以下"]),
    st.sampled_from([None, "at_least", "at_most"]),
    st.sampled_from(list(Estimate)),
    st.sampled_from(["2024", "2024-12-31"]),
)
def test_a_point_made_through_its_slots_is_the_point(
    value: str, bound: str | None, estimate: Estimate, period: str
) -> None:
    extra = {"bound": bound} if bound is not None else {}
    o = make_obs(period, value, estimate=estimate.value, **extra)
    assert o.value is not None
    v = o.value.value
    plain = Point(o.period, v, o.effective_bound, o.estimate, o.source, o)
    made = _stated(o, v)
    assert _same_fields(made, plain)
    assert made == plain and made.origin is o and made.derivation is None
    assert made.year == plain.year and not made.derived


# --- the same results as the plain definitions on generated data ------------------------------


def _stated_plain(models: list[Observation]) -> list[int]:
    return [i for i, o in enumerate(models)
            if o.change is not None and not o.real_change and o.period.is_full_year]  # fmt: skip


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(_entry(), min_size=1, max_size=40))
def test_generated_data_gives_what_the_plain_definitions_give(
    tmp_path_factory: pytest.TempPathFactory, entries: list[dict[str, Any]]
) -> None:
    directory = tmp_path_factory.mktemp("data")
    try:
        ds = _load(directory, entries)
        grouped = _own_series(ds)
        assert grouped == _own_series_plain(ds)
        assert list(grouped) == list(_own_series_plain(ds))  # the same order of series
        for series in grouped.values():
            models = [e.model for e in series]
            assert _stated_changes(models) == _stated_plain(models)
        for a in _assessments(ds):
            own = _own(a)
            assert revisions(own) == _revisions_plain(own)
            periods = {o.period for o in (u.observation for u in a.uses)} | {
                p.period for p in a.series
            }
            for period in periods:
                same = [o for o in own if _same_period(o.period, period)]
                assert _own_of(a, period) == same
                assert [id(o) for o in _own_of(a, period)] == [id(o) for o in same]
                for rate in (False, True):
                    assert _final_known(a, period, rate) == _final_known_plain(a, period, rate)
    finally:
        shutil.rmtree(directory)


def test_the_generated_data_reaches_each_path(tmp_path: Path) -> None:
    """The comparison above is not vacuous: revisions, series of two scopes, stated changes
    and figures that are not final all occur in data like that it draws."""
    entries = [
        {"target": "an", "period": "2022", "value": "100", "change": "+5%",
         "estimate": "preliminary", "source": {**SOURCE, "published": "2023-02-01"}},
        {"target": "an", "period": "2022", "value": "101", "change": "+5.5%",
         "source": {**SOURCE, "published": "2024-02-01"}},
        {"target": "an", "period": "2021", "value": "95", "scope": "Province",
         "source": {**SOURCE, "published": "2022-02-01"}},
    ]  # fmt: skip
    ds = _load(tmp_path, entries)
    grouped = _own_series(ds)
    assert len(grouped) == 2  # the city's and the province's
    city = next(v for k, v in grouped.items() if "City" in k[1])
    assert _stated_changes([e.model for e in city]) == [0, 1]
    (a,) = [a for a in _assessments(ds) if a.target.id == "an"]
    assert [n.code for n in revisions(_own(a))] == ["revised"]
    assert _final_known(a, parse_period("2022"), True)
    assert not _final_known(a, parse_period("2021"), False)  # the province's is context
    assert len(_own_of(a, parse_period("2022"))) == 2


# --- the series built from what it reads -------------------------------------------------------


@st.composite
def _observation(draw: st.DrawFn) -> Observation:
    year = draw(st.integers(2018, 2026))
    period = draw(st.sampled_from([year, f"{year}-06", f"{year}-12-31", f"{year}-Q4",
                                   f"{year}-07/{year}-12", f"{year - 2}/{year}"]))  # fmt: skip
    fields: dict[str, Any] = {"estimate": draw(st.sampled_from(["final", "preliminary"]))}
    value = draw(st.sampled_from([None, "100", "120.5", "over 90"]))
    if value is None or draw(st.booleans()):
        fields["change"] = f"{draw(st.integers(-20, 40))}%"
    if isinstance(period, int) and "change" in fields and draw(st.integers(0, 3)) == 0:
        fields["since"] = year - draw(st.integers(1, 3))  # a change over several years
    if value is not None and draw(st.integers(0, 6)) == 0:
        fields["break"] = True
    return make_obs(period, value, **fields)


@settings(max_examples=200, deadline=None, derandomize=True, database=None)
@given(st.sampled_from(["level", "annual"]), st.lists(_observation(), max_size=25))
def test_a_series_is_built_from_what_it_reads(kind: str, observations: list[Observation]) -> None:
    t = make_target(kind=kind)
    read = series_inputs(t, observations)
    assert build_series(t, read) == build_series(t, observations)
    kept = {id(o) for o in read}
    assert [id(o) for o in read] == [id(o) for o in observations if id(o) in kept]  # in order
    memo = SeriesMemo()
    assert memo.series(t, observations) == build_series(t, observations)
    # the figures of part of a year it does not read make no other series
    fewer = [o for o in observations if id(o) in kept]
    assert memo.series(t, fewer) == memo.series(t, observations)
    assert [len(built) for by in memo._built.values() for built in by.values()] == [1]


def test_what_a_series_reads() -> None:
    """Not vacuous, and not more than it reads: a level's series reads the figures at a year's
    end (a year's, a second half's, 31 December's), an annual one a year's."""
    level, annual = make_target(kind="level"), make_target(kind="annual")
    half, h2, mid = make_obs("2024-06", 10), make_obs("2024-H2", 10), make_obs("2024-12-15", 10)
    end, year, years = make_obs("2024-12-31", 11), make_obs(2024, 12), make_obs("2022/2024", 30)
    span = make_obs(2025, None, change="+20%", since=2022)
    observations = [half, h2, mid, end, year, years, span]
    assert series_inputs(level, observations) == [h2, end, year, span]
    assert series_inputs(annual, observations) == [year, span]
