"""Observations made as they are read: the data set keeps each regular entry's shape, not its tree.

:func:`cctrack.dataset.load_dataset` gives the line reader a hook (:class:`~cctrack.dataset.
_Thinning`): an observation entry in the regular layout becomes its plain observation as soon
as it is read, and the list holds that entry (with a shared :class:`~cctrack.dataset.Shape`)
instead of the mapping. Everything a check or a command asks of an entry must be what the
mapping gives: the position of the entry, of every field and key (nested ones too, and fields
that are absent), the values as written, and the mapping itself read again. Each test reads
the same files both ways: thinned, and the document read whole then modelled
(:func:`~cctrack.dataset.build_dataset` of :func:`~cctrack.yaml_reader.parse_bytes`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cctrack.dataset import Dataset, Shape, build_dataset, load_dataset
from cctrack.location import OBSERVATIONS_FILE, PACKAGED, TARGETS_FILE
from cctrack.yaml_reader import YMap, parse_bytes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402
from conftest import TARGETS  # noqa: E402

FIRST = (
    "  - target: nev\n    period: {year}\n    value: 1 billion\n    source: &s "
    "{{title: Bulletin, url: 'https://example.org/b', published: 2024-01-01}}\n"
)
FIELDS = ("target", "period", "value", "change", "source", "note", "quote", "estimate", "nope")


def _whole(directory: Path) -> Dataset:
    """The data set of the documents read whole (no entry made as it is read)."""
    docs = [parse_bytes(str(directory / n), (directory / n).read_bytes())
            for n in (TARGETS_FILE, OBSERVATIONS_FILE)]  # fmt: skip
    return build_dataset(directory, docs[0], docs[1])


def _asked(ds: Dataset) -> list[Any]:
    """Everything asked of the observation entries: positions, values as written, mappings."""
    rows: list[Any] = [repr(p) for p in ds.problems]
    for e in ds.observations:
        node = e.node
        rows.append((repr(e.model), e.at(), node.at, dict(node), repr(list(node))))
        for f in FIELDS:
            rows.append((f, e.at(f), e.at(f, key=True), repr(e.raw(f))))
            rows.append((e.at(f, "url"), e.at(f, "title", key=True), e.at(f, "x", "y")))
    return rows


def _same(directory: Path) -> Dataset:
    """The data set thinned, asserted to answer as the one read whole."""
    thin, whole = load_dataset(directory), _whole(directory)
    assert _asked(thin) == _asked(whole)
    for e in thin.observations:  # an entry the shape finds by its line holds no other number
        assert e.index is e.model.line if type(e.held) is Shape else e.index >= 0
    return thin


def _thinned(ds: Dataset) -> int:
    return sum(type(e.held) is Shape for e in ds.observations)


def _write(directory: Path, observations: str, targets: str = TARGETS) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / TARGETS_FILE).write_text(targets, encoding="utf-8")
    (directory / OBSERVATIONS_FILE).write_text(observations, encoding="utf-8", newline="")
    return directory


@pytest.mark.parametrize(
    "directory",
    [ROOT / "data", PACKAGED, ROOT / "tests" / "fixtures" / "first-data"],
    ids=["data", "packaged", "first-data"],
)
def test_the_shipped_data_answers_the_same(directory: Path) -> None:
    _same(directory)


def test_generated_data_is_thinned_and_holds_no_tree(tmp_path: Path) -> None:
    """The benchmark's entries are made as they are read: the list holds entries, not mappings,
    but for those whose positions are not left to the layout (the first, and each that writes
    its source with an anchor, read by the general path): 200 sources here."""
    generate.generate(tmp_path, 3000, 15)
    ds = _same(tmp_path)
    assert _thinned(ds) == len(ds.observations) - 201
    items = ds.observations_doc.root["observations"]
    assert sum(isinstance(item, YMap) for item in items) == 201


ENTRY = """\
  - target: nev
    period: {period}
    value: {value}
    change: "+5.1%"
    source: *s
"""


def test_entries_out_of_the_layout_keep_their_mapping(tmp_path: Path) -> None:
    """A comment or a blank line inside an entry, an alias to a scalar or an entry a record does
    not make (here a bad period) keep the mapping; the rest are made. (An anchor on an item
    mapping leaves the file to the composer, which makes none: see below.)"""
    head = "values:\n  - &v 7 billion\nobservations:\n"
    first = FIRST.format(year=2020)
    entries = [
        ENTRY.format(period=2021, value="2 billion"),
        ENTRY.format(period=2022, value="3 billion").replace(
            "    change", "    # a note\n    change"
        ),
        ENTRY.format(period=2023, value="4 billion").replace("    change", "\n    change"),
        ENTRY.format(period=2024, value="*v"),
        ENTRY.format(period="2025-13", value="5 billion"),
        ENTRY.format(period=2018, value="8 billion"),
        # the last entry: the file's end reads as a blank line after it, which leaves its
        # positions to be made as they come (it keeps its mapping)
        ENTRY.format(period=2017, value="9 billion"),
    ]
    directory = _write(tmp_path / "d", head + first + "".join(entries))
    thin, whole = load_dataset(directory), _whole(directory)
    assert [repr(p) for p in thin.problems] == [repr(p) for p in whole.problems]
    assert _asked(thin) == _asked(whole)
    made = {e.model.period.text for e in thin.observations if type(e.held) is Shape}
    assert made == {"2021", "2018"}


def test_a_file_left_to_the_composer_midway_is_read_whole(tmp_path: Path) -> None:
    """Entries made before the line reader leaves the file to the composer are dropped with its
    reading: the data set is the composer's, entry for entry."""
    entries = "".join(ENTRY.format(period=2000 + i, value=f"{i + 1} billion") for i in range(40))
    tail = "  - target: nev\n    period: 2099\n    value: |\n      9 billion\n    source: *s\n"
    first = "observations:\n" + FIRST.format(year=1999)
    directory = _write(tmp_path / "d", first + entries + tail)
    ds = _same(directory)
    assert _thinned(ds) == 0
    assert len(ds.observations) + len(ds.problems) >= 41


def test_crlf_files_are_not_thinned_and_answer_the_same(tmp_path: Path) -> None:
    text = "observations:\n" + "".join(
        ENTRY.format(period=2000 + i, value=f"{i + 1} billion") for i in range(5)
    )
    first = FIRST.format(year=1999)
    text = text.replace("observations:\n", "observations:\n" + first)
    ds = _same(_write(tmp_path / "d", text.replace("\n", "\r\n")))
    assert _thinned(ds) == 0


_VALUES = st.sampled_from(
    ["2 billion", "'3.10 billion'", '"4"', "5", "5.0", "about 6 billion", "null", "[1, 2]",
     "{a: 1}", "*v", "7亿元", "over 8%", "9 # c"]
)  # fmt: skip
_EXTRA = st.sampled_from(
    ["", "    note: a note\n", "    quote: 'said: so'\n", "    # c\n", "\n",
     "    estimate: preliminary\n", "    estimate: guess\n", "    bound: lower\n",
     "    stated: false\n", "    nope: 1\n"]
)  # fmt: skip


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(1990, 2030), _VALUES, _EXTRA, st.booleans()),
                min_size=1, max_size=12))  # fmt: skip
def test_random_entries_answer_the_same(tmp_path: Path, rows: list[Any]) -> None:
    """Entries of every kind, valid or not, in the layout or out of it: the thinned data set
    answers every question as the one read whole."""
    head = ("values:\n  - &v 7 billion\nobservations:\n  - target: nev\n    period: 1989\n"
            "    value: 1 billion\n    source: &s {title: B, url: 'https://example.org/b', "
            "published: 2024-01-01}\n")  # fmt: skip
    body = []
    for year, value, extra, with_change in rows:
        change = '    change: "+5.1%"\n' if with_change else ""
        body.append(f"  - target: nev\n    period: {year}\n    value: {value}\n{change}{extra}"
                    "    source: *s\n")  # fmt: skip
    directory = _write(tmp_path / str(len(list(tmp_path.iterdir()))), head + "".join(body))
    _same(directory)


def test_an_entry_read_again_by_the_composer_is_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the line reader not read an entry's lines again, the composer does: the mapping
    asked for is the same."""
    from cctrack import dataset

    generate.generate(tmp_path, 400, 10)
    whole = _asked(_whole(tmp_path))
    monkeypatch.setattr(dataset, "parse_lines", lambda *_: None)
    thin = load_dataset(tmp_path)
    assert _thinned(thin) > 150
    assert _asked(thin) == whole


def test_a_data_set_is_freed_as_soon_as_it_is_dropped(tmp_path: Path) -> None:
    """No cycle holds a data set read (its entries' shapes name the file's bytes and the
    positions, not the list that holds the entries): dropped, it is freed at once, not at the
    next collection, so a large file's bytes and models are not held while the result is
    stored."""
    import gc

    generate.generate(tmp_path, 2000, 20)
    load_dataset(tmp_path)  # what is made once a process (caches, imports) made before
    gc.collect()
    gc.disable()
    try:
        ds = load_dataset(tmp_path)
        assert _thinned(ds) > 1000
        del ds
        assert gc.collect() == 0
    finally:
        gc.enable()
