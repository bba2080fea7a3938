"""``add-observation`` places its entry from a thin read of the old file (its entries let go
as they are read) and reads the new file from its bytes, holding the old bytes once: the file it
writes is, byte for byte, the one the road through the whole tree and the text writes, in every
layout; a failed read-back still puts the old bytes back."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_add_observation import DOC_END, FULL, LONE_DASH, SHIPPED, TODAY, UNUSUAL

from cctrack import append, incremental
from cctrack.append import _placement, add_observation, count_lines, entry_fields, render_entry
from cctrack.yaml_reader import parse_text

BOM = b"\xef\xbb\xbf"
REGULAR = (SHIPPED / "observations.yaml").read_text(encoding="utf-8")
_KEPT_NOTE = "    quote: |\n      kept with its line break"  # a block scalar that keeps it

# name: observations.yaml as written
LAYOUTS: dict[str, str | bytes] = {
    "regular": REGULAR,
    "byte order mark": BOM + REGULAR.encode("utf-8"),
    "crlf": REGULAR.replace("\n", "\r\n"),
    "no final line break": REGULAR.rstrip("\n"),
    "a kept block scalar, no final line break": REGULAR + _KEPT_NOTE,
    "empty flow list": "# none yet\nobservations: [  # to come\n]\n",
    "null": "observations: ~  # none yet\n",
    "no key": "# nothing yet\n",
    "empty": "",
    "lone dash": LONE_DASH,
    "document end marker": DOC_END,
    **{f"unusual: {name}": text for name, (text, _) in UNUSUAL.items()},
}


def whole_road(old: bytes, req: append.Request = FULL) -> bytes:
    """The new file as the whole tree of the old text places the entry (the road before)."""
    text = old.decode("utf-8").removeprefix("\ufeff")
    place = _placement(text, parse_text("observations.yaml", text).root)
    assert not isinstance(place, str), place
    entry = render_entry(entry_fields(req), place.dash, place.newline)
    new = (place.before + entry + place.after).encode("utf-8")
    return BOM + new if old.startswith(BOM) else new


def data_dir(tmp_path: Path, observations: str | bytes) -> Path:
    d = tmp_path / "d"
    shutil.copytree(SHIPPED, d)
    for f in d.iterdir():
        f.chmod(0o644)
    data = observations.encode("utf-8") if isinstance(observations, str) else observations
    (d / "observations.yaml").write_bytes(data)
    return d


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_the_file_written_is_the_whole_roads(tmp_path: Path, name: str) -> None:
    d = data_dir(tmp_path, LAYOUTS[name])
    path = d / "observations.yaml"
    old = path.read_bytes()
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 0, outcome.message
    assert path.read_bytes() == whole_road(old)


@pytest.mark.parametrize("name", ["regular", "byte order mark"])
def test_a_second_append_read_on_from_the_cache_writes_the_same(tmp_path: Path, name: str) -> None:
    """The second append reads on from the state the first cached (the old file's bytes are
    then the cache's road's): the file is still the whole road's."""
    d = data_dir(tmp_path, LAYOUTS[name])
    path = d / "observations.yaml"
    assert add_observation(d, FULL, TODAY).code == 0
    old = path.read_bytes()
    second = replace(FULL, period="2025-H1", estimate="preliminary", note=None)
    incremental.last_road.clear()
    outcome = add_observation(d, second, TODAY)
    assert outcome.code == 0, outcome.message
    assert incremental.last_road == ["appended"]  # read on, not read whole
    assert path.read_bytes() == whole_road(old, second)


@pytest.mark.parametrize("warm", [False, True])
def test_a_file_that_does_not_read_back_gets_its_old_bytes_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm: bool
) -> None:
    """The old bytes, held as the first bytes of the new file, are what is put back, the
    cache cold or warm (read on: the old bytes a view of the new file's)."""
    d = data_dir(tmp_path, BOM + REGULAR.encode("utf-8"))
    path = d / "observations.yaml"
    if warm:
        assert add_observation(d, FULL, TODAY).code == 0
    old = path.read_bytes()
    monkeypatch.setattr(append, "holds", lambda *_: False)
    incremental.last_road.clear()
    second = replace(FULL, period="2025-H1", estimate="preliminary", note=None)
    outcome = add_observation(d, second, TODAY)
    assert outcome.code == 1 and "old file restored" in outcome.message
    assert incremental.last_road == (["appended"] if warm else [])
    assert path.read_bytes() == old


@pytest.mark.parametrize("warm", [False, True])
def test_an_entry_that_is_not_utf8_is_refused_and_nothing_written(
    tmp_path: Path, warm: bool
) -> None:
    """A lone surrogate from the command line is refused as invalid UTF-8, the cache warm
    (the state of the old file cached by an append before) or not."""
    d = data_dir(tmp_path, REGULAR)
    path = d / "observations.yaml"
    if warm:
        assert add_observation(d, FULL, TODAY).code == 0
    old = path.read_bytes()
    bad = replace(FULL, period="2025-H1", estimate="preliminary", note="a\udcffb")
    outcome = add_observation(d, bad, TODAY)
    assert outcome.code == 1 and "[invalid-utf8]" in outcome.message, outcome.message
    assert path.read_bytes() == old


_LINES = st.text(alphabet=st.sampled_from(list("a \n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029长")))


@settings(max_examples=300, deadline=None)
@given(_LINES)
def test_lines_are_counted_as_splitlines_counts_them(text: str) -> None:
    assert count_lines(text) == len(text.splitlines())
