"""Typed records: observations made without a pydantic object each give what the models give.

Every comparison reads the same files twice through :func:`cctrack.dataset.load_dataset`: with
records (the default) and with ``records=False`` (every entry by its pydantic model, as before).
The two must agree exactly: the same problems (file, line, column, code, message) and the same
plain values, field by field and type by type (``repr`` tells ``Decimal('1')`` from ``1`` and
``Decimal('1.0')``).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import pickle
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cctrack.dataset import Dataset, build_dataset, load_dataset
from cctrack.domain import Observation
from cctrack.location import PACKAGED
from cctrack.model import ObservationModel, SourceModel
from cctrack.yaml_reader import parse_text

ROOT = Path(__file__).resolve().parent.parent

TARGETS = """\
targets:
  - id: gdp
    name: GDP
    scope: Changchun
    unit: yuan
    target: 1 trillion
    deadline: 2025
    source: {title: Plan, url: 'https://example.org/plan', published: 2021-03-01}
"""


def _shown(ds: Dataset) -> list[str]:
    """Everything a data set holds, written out exactly (types included)."""
    rows = [repr(p) for p in ds.problems]
    rows += [f"t {e.index} {e.model!r}" for e in ds.targets]
    rows += [f"r {e.index} {e.model!r}" for e in ds.releases]
    rows += [f"o {e.at()} {e.node.at} {e.model!r}" for e in ds.observations]  # (index: Entry)
    return rows


def _both(directory: Path) -> tuple[Dataset, Dataset]:
    """The data set read with records and without; asserted equal."""
    fast, slow = load_dataset(directory), load_dataset(directory, records=False)
    assert _shown(fast) == _shown(slow)
    assert [e.model for e in fast.observations] == [e.model for e in slow.observations]
    return fast, slow


def _write(directory: Path, observations: str, targets: str = TARGETS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "targets.yaml").write_text(targets, encoding="utf-8")
    (directory / "observations.yaml").write_text(observations, encoding="utf-8")
    return directory


# --- the data sets the project ships and tests with ------------------------------------------


@pytest.mark.parametrize(
    "directory",
    [ROOT / "data", PACKAGED, ROOT / "tests" / "fixtures" / "first-data"],
    ids=["data", "packaged", "first-data"],
)
def test_every_observation_of_the_shipped_data_is_the_same_both_ways(directory: Path) -> None:
    fast, _ = _both(directory)
    assert len(fast.observations) > 10


def _generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _generated(tmp_path: Path, n: int) -> Path:
    directory = tmp_path / "bench"
    _generate().generate(directory, n, 50)
    return directory


def test_the_benchmark_data_is_the_same_both_ways(tmp_path: Path) -> None:
    fast, _ = _both(_generated(tmp_path, 2_000))
    assert len(fast.observations) == 2_000 and not fast.problems


def test_common_entries_are_made_without_a_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's entries (values, changes, notes, aliased sources) never reach pydantic:
    with the models' validation broken they still read, and read the same."""
    directory = _generated(tmp_path, 500)
    expected = _shown(load_dataset(directory, records=False))

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("validated by a model")

    monkeypatch.setattr(ObservationModel, "model_validate", refused)
    monkeypatch.setattr(SourceModel, "model_validate", refused)
    assert _shown(load_dataset(directory)) == expected


def test_a_made_observation_has_every_field_in_its_place(tmp_path: Path) -> None:
    """Every field set to a value no other field could hold: the record's fields by position
    land where the model's keywords put them."""
    text = """\
observations:
  - target: gdp
    period: 2024
    change: "约+6.5%"
    estimate: preliminary
    bound: at_most
    scope: Jilin
    source: {title: T, publisher: P, url: 'https://u', published: 2025-02-01, reliability: B}
    note: computed
    price_basis: real
    quote: 增长6.5%
    stated: false
    measure: 产值
    break: true
  - target: gdp
    period: 2024
    change: "翻番"
    since: 2020
    value: "1,234.5亿元"
    source: {url: 'https://u'}
"""
    fast, _ = _both(_write(tmp_path / "d", text))
    first, second = (e.model for e in fast.observations)
    assert first.change_qualified and first.change is not None and not first.stated
    assert first.series_break and first.measure == "产值" and first.quote == "增长6.5%"
    assert first.price_basis is not None and first.price_basis.value == "real"
    assert second.since == 2020 and second.span_change == 1 and second.change is None
    fields = {f.name for f in dataclasses.fields(Observation)}
    assert {f for f in fields if getattr(first, f) != getattr(Observation, f, None)} >= {
        "target", "period", "source", "change", "estimate", "bound", "scope", "note", "line",
        "price_basis", "quote", "stated", "change_qualified", "measure", "series_break",
    }  # fmt: skip


# --- random entries, valid and nearly valid ----------------------------------------------------

# Each field as YAML text: valid spellings of every kind, and the slips the models refuse.
_LONG = "9" * 450
FIELDS: dict[str, list[str]] = {
    "target": ["gdp", "tourism-revenue", '""', "5", "null", "[gdp]", "{a: 1}", '"长春GDP"', "true"],
    "period": [
        "2023", "2023-H1", "2023-h1", "2023-Q3", "2023-10", "2023-1", "2023-01/2023-10",
        "2021/2025", "2025/2021", "2023-12-31", "2023-02-30", '"2023年"', '"2023年上半年"',
        '"2023年三季度"', '"2023年第4季度"', '"2023年10月"', '"2023年1-10月"', '"2023年1至10月"',
        '"2025年2月25日"', "2025/2/25", '"２０２３"', '"２０２３－Ｈ１"', "999", "10000", "0",
        "true", "null", "5.5", "[2023]", '""', '"2023年度"', _LONG, '" 2023 "',
    ],
    "value": [
        '"1,234.5亿元"', '"增长6.5%"', '"３１６５亿元"', "700000", '"700,000"', '"1.7 million"',
        '"over 300 billion"', '"约300万以上"', "5.5", "1.50", "1e400", "1e29", ".nan", ".inf",
        "-.inf", "true", '"abc"', '""', '"+5.5%"', '"1e29 trillion"', "0", "-0.0", "0x1F",
        '"217.10 billion"', '"98.79 billion"', "[1]", "{v: 1}", "null", _LONG, '"1000000%"',
        '"RMB 143.63 billion"', '"3oo bn"', '"٣٠٠"', '"5 vehicles"', '"about ~5"', "1_000",
    ],
    "change": [
        '"+5.5%"', '"+1.2pp"', '"-4.5%"', '"＋5.5％"', '"1.2个百分点"', '"1.2个百分点以上"',
        '"翻番"', '"翻两番"', '"约5%"', '"24%以上"', "5.5", '"5.5"', '"double"', "true", "null",
        '"1000000%"',
        '"增长6.5%"', '"+2.77%"', '"0%"', '"-0%"', '"100%"', '"2倍"', "[5%]", '""', '"+20.67%"',
    ],
    "estimate": ["final", "preliminary", "expected", "forecast", "Final", "null", "1", '""'],
    "bound": ["exact", "at_least", "at_most", "over", "null", "true"],
    "scope": ["Changchun", "长春市", '""', "null", "5", "[a]", '"\\u00e9"'],
    "note": ["computed from two figures", "null", '""', "2024", "note"],
    "quote": ['"2017年,长春市共接待海内外游客7827.79万人次"', "null", '""', "5.5"],
    "measure": ["产值", "综合产值", "null", '""', "false"],
    "source": [
        "{title: T}", "{url: 'https://x'}", "{publisher: P}", "{title: T, reliability: A}",
        "{title: T, published: 2024-03-07, reliability: C}",
        '{title: T, published: "2024年3月7日"}',
        "{title: T, published: 2024}", "{title: T, published: 2024-H1}",
        "{title: T, published: 2024/3/7}", "{title: T, published: 2024-02-30}",
        "{title: T, reliability: D}", '{title: ""}', "{title: T, extra: 1}", '"a string"', "null",
        "{title: T, published: 12345}", "{title: 5}", "{url: null, title: T}", "{}",
        "{title: T, published: true}", "{title: T, published: 2024.5}", "[T]",
    ],
    "price_basis": ["real", "nominal", "Real", "null", "1"],
    "stated": ["true", "false", "yes", "1", "0", "null", '"true"'],
    "break": ["true", "false", "1", "null", '"no"'],
    "since": [
        "2020", "2023", "2019", "2022", "2025", "999", "true", '"2020"', "2020.0", "null", "1e3",
    ],
    "series_break": ["true"],
    "foo": ["1"],
    "Target": ["gdp"],
    "1": ["x"],
}  # fmt: skip
_REQUIRED = ("target", "period", "source")
_COMMON = ("value", "change", "note", "stated", "since")
_ALIASED = "*s0"


_PIECES = list("0123456789.,+-% 约超以上下左右亿万千元年月日季度上半HQhq/至~翻番倍pk")
_PIECES += list("０１２３４５６７８９，．％＋－")
_PIECES += ["个百分点", "billion", "million", "percentage points", "about", "over", "第三"]
_ANY_TEXT = st.lists(st.sampled_from(_PIECES), max_size=8).map(
    lambda pieces: json.dumps("".join(pieces), ensure_ascii=False)
)
_ANY_NUMBER = (
    st.integers(-(10**35), 10**35).map(str)
    | st.decimals(allow_nan=False, allow_infinity=False).map(str)
    | st.integers(990, 10_010).map(str)
)


@st.composite
def _entry(draw: st.DrawFn, first: bool) -> list[tuple[str, str]]:
    """One entry's fields (YAML text): mostly the required ones and a few others."""
    names = [n for n in _REQUIRED if draw(st.integers(0, 9)) > 0]
    names += [n for n in _COMMON if draw(st.booleans())]
    names += draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=3, unique=True))
    names = list(dict.fromkeys(names))
    valid_first = draw(st.integers(0, 3)) > 0  # mostly the first (valid) spellings
    fields = []
    for name in draw(st.permutations(names)):
        options = FIELDS[name]
        how = draw(st.integers(0, 9))
        if valid_first and how < 8:
            text = options[draw(st.integers(0, min(1, len(options) - 1)))]
        elif how < 8:
            text = draw(st.sampled_from(options))
        else:  # any text of the characters figures and periods are written with, or a number
            text = draw(_ANY_TEXT | _ANY_NUMBER)
        if name == "source" and not first and draw(st.booleans()):
            text = _ALIASED
        fields.append((name, text))
    return fields


def _yaml(entries: list[list[tuple[str, str]]]) -> str:
    lines = ["observations:"]
    anchored = False
    for fields in entries:
        if not fields:
            lines.append("  - {}")
            continue
        for i, (name, text) in enumerate(fields):
            if name == "source" and text == _ALIASED and not anchored:
                text = "{title: T}"  # no anchor yet: a source of its own
            if name == "source" and text.startswith("{") and not anchored:
                text, anchored = f"&s0 {text}", True
            lines.append(f"  {'- ' if i == 0 else '  '}{name}: {text}")
    return "\n".join(lines) + "\n"


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_entry(first=False), min_size=1, max_size=4), _entry(first=True))
def test_random_entries_are_the_same_both_ways(
    tmp_path_factory: pytest.TempPathFactory,
    entries: list[list[tuple[str, str]]],
    first: list[tuple[str, str]],
) -> None:
    directory = _write(tmp_path_factory.mktemp("d"), _yaml([first, *entries]))
    _both(directory)


def test_random_entries_include_valid_ones_and_refused_ones(tmp_path: Path) -> None:
    """The spellings above are both: the first of each field makes a valid entry, and every
    other way of writing an entry is at least read (the property test relies on this)."""
    text = _yaml([[(name, FIELDS[name][0]) for name in (*_REQUIRED, "value")]])
    fast, _ = _both(_write(tmp_path / "ok", text))
    assert len(fast.observations) == 1 and not fast.problems
    for name, options in FIELDS.items():
        for option in options:
            fields = [(n, FIELDS[n][0]) for n in (*_REQUIRED, "value", "change") if n != name]
            _both(_write(tmp_path / "each", _yaml([[*fields, (name, option)]])))


@pytest.mark.parametrize(
    "value",
    ["Changchun", "\u00e9t\u00e9", "长春", "x" * 200, "a\tb", "😀", "ｆｕｌｌ"],
)
def test_text_fields_keep_their_text(tmp_path: Path, value: str) -> None:
    """Text of every script reads as written, in every text field."""
    fields = ", ".join(f"{n}: {json.dumps(value, ensure_ascii=False)}"
                       for n in ("target", "scope", "note", "quote", "measure"))  # fmt: skip
    text = f"observations:\n  - {{{fields}, period: 2024, value: 5, source: {{title: T}}}}\n"
    fast, _ = _both(_write(tmp_path / "d", text))
    (entry,) = fast.observations
    assert entry.model.target == entry.model.note == value


@pytest.mark.parametrize("field", ["target", "note"])
def test_text_that_is_not_valid_unicode_is_refused_both_ways(field: str) -> None:
    """A lone surrogate cannot come from a file (UTF-8 is decoded strictly), but a document
    made another way may hold one: the model refuses it, and so does the record."""
    text = "observations:\n  - {target: gdp, note: n, period: 2024, value: 5, source: {title: T}}\n"
    shown = []
    for records in (True, False):
        tdoc, odoc = parse_text("t", TARGETS), parse_text("o", text)
        odoc.root["observations"][0][field] = "a\ud800b"
        ds = build_dataset(Path("."), tdoc, odoc, records=records)
        assert not ds.observations and [p.code for p in ds.problems] == ["string_unicode"]
        shown.append(_shown(ds))
    assert shown[0] == shown[1]


@pytest.mark.parametrize(
    "fields",
    [
        "period: 2024, change: '+1.2pp', since: 2020",
        "period: 2024, change: '1.2个百分点', since: 2020",
        "period: 2024, change: 翻番, since: 2020",
        "period: 2024, change: '+5%', since: 2024",
        "period: 2024, change: '+5%', since: 2023",
        "period: 2024, change: '+5%', since: 2025",
        "period: 2024-H1, change: '+5%', since: 2020",
        "period: 2021/2024, change: '+5%', since: 2020",
        "period: 2024, value: 5, since: 2020",
        "period: 2024, value: 5, change: '+5%', since: 2020",
        "period: 2024, value: 5, stated: false",
        "period: 2024, value: 5, stated: false, note: n",
        "period: 2024",
        "period: 2024, value: null, change: null",
        "period: 2024, value: 5, estimate: null",
        "period: 2024, value: 5, break: null",
    ],
)
def test_the_checks_across_fields_are_the_same_both_ways(tmp_path: Path, fields: str) -> None:
    text = f"observations:\n  - {{target: gdp, source: {{title: T}}, {fields}}}\n"
    _both(_write(tmp_path / "d", text))


def test_a_made_observation_is_an_observation_in_every_respect(tmp_path: Path) -> None:
    """Of its class exactly, frozen, hashed and pickled as the model's."""
    text = "observations:\n  - {target: gdp, period: 2024, value: 5, source: {title: T}}\n"
    fast, slow = _both(_write(tmp_path / "d", text))
    made, modelled = fast.observations[0].model, slow.observations[0].model
    assert type(made) is Observation and hash(made) == hash(modelled)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.target = "other"
    again = pickle.loads(pickle.dumps(made))
    assert type(again) is Observation and repr(again) == repr(modelled)
