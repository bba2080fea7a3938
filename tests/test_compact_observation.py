"""An observation laid out small: every field reads back as made, through every road.

:class:`cctrack.domain.Observation` holds the six fields every entry uses in slots and reads the
other thirteen from its class, where their defaults are; one that states any of them is of a
subclass that holds them all. These tests hold it to what a frozen dataclass of 19 fields gave:
the same fields read back (``repr`` tells ``Decimal('1')`` from ``Decimal('1.0')``), the same
equality and hash, frozen, and the same after the pickle, the cache's rows and
:func:`dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
import pickle
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cctrack.dataset import load_dataset
from cctrack.domain import (
    Estimate,
    Observation,
    PriceBasis,
    Reliability,
    Source,
    Uncommon,
    assembled,
    held,
    uncommon_fields,
)
from cctrack.period import parse_period
from cctrack.quantity import Bound, parse_quantity

NAMES = (
    "target", "period", "source", "value", "change", "estimate", "bound", "scope", "note",
    "line", "price_basis", "change_points", "quote", "stated", "change_qualified", "measure",
    "series_break", "since", "span_change",
)  # fmt: skip
DEFAULTS: dict[str, Any] = {
    "value": None, "change": None, "estimate": Estimate.final, "bound": None, "scope": None,
    "note": None, "line": 0, "price_basis": None, "change_points": False, "quote": None,
    "stated": True, "change_qualified": False, "measure": None, "series_break": False,
    "since": None, "span_change": None,
}  # fmt: skip

TEXT = st.text(min_size=1, max_size=8)
DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=3) | st.sampled_from(
    [Decimal("1"), Decimal("1.0"), Decimal("-0.050"), Decimal("1E+2")]
)


def _sometimes(strategy: st.SearchStrategy[Any], default: Any) -> st.SearchStrategy[Any]:
    """The default most often (the common entry), else any value."""
    return st.one_of(st.just(default), st.just(default), strategy)


FIELDS: dict[str, st.SearchStrategy[Any]] = {
    "target": TEXT,
    "period": st.sampled_from(["2024", "2024-H1", "2023-01/2023-10", "2024-12-31"]).map(
        parse_period
    ),
    "source": st.builds(Source, title=TEXT, reliability=st.sampled_from(list(Reliability))),
    "value": _sometimes(st.sampled_from(["5", "1.5 billion", "约3165亿元", "55%"]), None).map(
        lambda raw: None if raw is None else parse_quantity(raw)
    ),
    "change": _sometimes(DECIMALS, None),
    "estimate": _sometimes(st.sampled_from(list(Estimate)), Estimate.final),
    "bound": _sometimes(st.sampled_from(list(Bound)), None),
    "scope": _sometimes(TEXT, None),
    "note": _sometimes(TEXT, None),
    "line": st.integers(0, 10**7),
    "price_basis": _sometimes(st.sampled_from(list(PriceBasis)), None),
    "change_points": st.booleans(),
    "quote": _sometimes(TEXT, None),
    "stated": _sometimes(st.just(False), True),
    "change_qualified": _sometimes(st.just(True), False),
    "measure": _sometimes(TEXT, None),
    "series_break": _sometimes(st.just(True), False),
    "since": _sometimes(st.integers(1000, 9999), None),
    "span_change": _sometimes(DECIMALS, None),
}
OBSERVATIONS = st.fixed_dictionaries(FIELDS)


def _reads_back(o: Observation, fields: dict[str, Any]) -> None:
    """Every field of ``o`` is the value made, of its type and as written."""
    for name in NAMES:
        got, made = getattr(o, name), fields[name]
        assert type(got) is type(made) and got == made and repr(got) == repr(made), name


def _common(fields: dict[str, Any]) -> bool:
    return all(fields[n] is DEFAULTS[n] for n in DEFAULTS if n not in {"value", "change", "line"})


def test_the_fields_are_the_nineteen_in_their_order() -> None:
    assert tuple(f.name for f in dataclasses.fields(Observation)) == NAMES
    assert {f.name: f.default for f in dataclasses.fields(Observation)} == {
        "target": dataclasses.MISSING, "period": dataclasses.MISSING,
        "source": dataclasses.MISSING, **DEFAULTS,
    }  # fmt: skip
    assert dataclasses.is_dataclass(Observation)


@given(OBSERVATIONS)
def test_every_field_reads_back_as_made(fields: dict[str, Any]) -> None:
    o = Observation(**fields)
    _reads_back(o, fields)
    assert isinstance(o, Observation)
    assert (type(o) is Observation) == _common(fields)
    assert repr(o).startswith("Observation(target=")
    assert o == Observation(**fields) and hash(o) == hash(Observation(**fields))


@given(OBSERVATIONS, OBSERVATIONS)
def test_equal_when_every_field_is_equal(one: dict[str, Any], other: dict[str, Any]) -> None:
    a, b = Observation(**one), Observation(**other)
    assert (a == b) == all(one[n] == other[n] for n in NAMES)
    mixed = {**one, "scope": other["scope"]}  # one field of the other: equal only when the same
    assert (Observation(**mixed) == a) == (one["scope"] == other["scope"])


@given(OBSERVATIONS)
def test_the_pickle_and_the_cache_rows_make_it_again(fields: dict[str, Any]) -> None:
    o = Observation(**fields)
    for again in (
        pickle.loads(pickle.dumps(o, pickle.HIGHEST_PROTOCOL)),
        pickle.loads(pickle.dumps(o, 2)),
        assembled(*pickle.loads(pickle.dumps(held(o)))),
    ):
        _reads_back(again, fields)
        assert type(again) is type(o) and again == o and hash(again) == hash(o)


@given(OBSERVATIONS, st.sampled_from(NAMES), OBSERVATIONS)
def test_replace_sets_one_field(fields: dict[str, Any], name: str, other: dict[str, Any]) -> None:
    o = dataclasses.replace(Observation(**fields), **{name: other[name]})
    changed = {**fields, name: other[name]}
    _reads_back(o, changed)
    assert type(o) is type(Observation(**changed))


@given(OBSERVATIONS, st.sampled_from(NAMES))
def test_it_is_frozen(fields: dict[str, Any], name: str) -> None:
    o = Observation(**fields)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(o, name, fields[name])
    with pytest.raises(dataclasses.FrozenInstanceError):
        delattr(o, name)
    _reads_back(o, fields)


OBSERVATIONS_FILE = """\
observations:
  - {target: gdp, period: 2024, value: 5, change: "+5%", source: {title: T}}
  - {target: gdp, period: 2023, change: "+1.2pp", source: {title: T}}
  - {target: gdp, period: 2022, value: 5, estimate: preliminary, source: {title: T}}
  - {target: gdp, period: 2024, change: "翻番", since: 2020, scope: Jilin, source: {title: T}}
"""


def test_an_entry_is_held_small(tmp_path: Path) -> None:
    """Read from a file: the common entry in six slots, any other one with its uncommon
    fields apart."""
    (tmp_path / "observations.yaml").write_text(OBSERVATIONS_FILE, encoding="utf-8")
    (tmp_path / "targets.yaml").write_text("targets: []\n", encoding="utf-8")
    for records in (True, False):  # the fast reader, and the models
        made = [e.model for e in load_dataset(tmp_path, records=records).observations]
        common, points, preliminary, span = made
        assert [type(o) is Observation for o in made] == [True, False, False, False]
        assert sys.getsizeof(common) < sys.getsizeof(points) <= 100
        assert common.scope is None and common.estimate is Estimate.final and common.stated
        assert points.change_points and points.change == Decimal("0.012")
        assert preliminary.estimate is Estimate.preliminary and preliminary.scope is None
        assert span.span_change == 1 and span.since == 2020 and span.scope == "Jilin"
        assert pickle.loads(pickle.dumps(made)) == made


UNCOMMON = tuple(f.name for f in dataclasses.fields(Uncommon))


def test_the_uncommon_fields_are_the_observations_in_its_order() -> None:
    assert (
        tuple(n for n in NAMES if n in DEFAULTS and n not in {"value", "change", "line"})
        == UNCOMMON
    )


@given(OBSERVATIONS, OBSERVATIONS)
def test_the_same_uncommon_fields_are_held_once(one: dict[str, Any], other: dict[str, Any]) -> None:
    """One :class:`Uncommon` for each set of them met again, but a change over a span as
    written: ``Decimal("1")`` and ``Decimal("1.0")`` are equal and not the same."""
    held = uncommon_fields()
    rests = [tuple(fields[n] for n in UNCOMMON) for fields in (one, other, one)]
    first, second, again = map(held, rests)
    if rests[0] == tuple(DEFAULTS[n] for n in UNCOMMON):
        assert first is None and again is None
        return
    assert first is not None and dataclasses.astuple(first) == rests[0]
    assert (again is first) == (one["span_change"] is None)
    assert (second is first) == (rests[1] == rests[0] and one["span_change"] is None)
    if second is not None:
        assert repr(dataclasses.astuple(second)) == repr(rests[1])
