"""observations.yaml read a block at a time (:class:`cctrack.location.Streamed`): hashed for the
cache key, read again to be parsed, never held whole; a file that changes while it is read is
read again, and no result of one content is cached under the key of another."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cctrack import incremental, location, pipeline
from cctrack.cache import load
from cctrack.dataset import load_dataset
from cctrack.location import Changed, Streamed, Unread, digest_of, part, read_streamed

AS_OF = date(2026, 11, 22)
OTHER = "\n  # a comment the other content has\n"


@pytest.fixture()
def data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(location.PACKAGED, target)
    return target


def _seen(result: pipeline.Result) -> list[Any]:
    """What a result says: its problems and verdicts."""
    return [[(Path(p.path).name, p.line, p.col, p.code, p.message) for p in result.problems],
            [(a.target.id, a.status, a.confidence) for a in result.assessments]]  # fmt: skip


def test_a_streamed_file_is_keyed_as_its_bytes(data: Path) -> None:
    path = data / "observations.yaml"
    streamed = read_streamed(path)
    assert isinstance(streamed, Streamed)
    raw = path.read_bytes()
    assert streamed.size == len(raw) and streamed.digest == digest_of(raw)
    assert streamed.part == part(raw)
    assert b"".join(streamed.blocks()) == raw == streamed.whole()
    assert read_streamed(data / "none.yaml") == Unread("missing")
    assert isinstance(read_streamed(data), Unread)  # a directory: refused, not read


@pytest.mark.parametrize(
    "change",
    ["same size", "grown", "truncated", "removed", "replaced by a directory"],
)
def test_a_file_that_changed_since_it_was_keyed_is_said_when_read_again(
    data: Path, change: str
) -> None:
    path = data / "observations.yaml"
    streamed = read_streamed(path)
    assert isinstance(streamed, Streamed)
    raw = path.read_bytes()
    if change == "same size":
        path.write_bytes(raw.replace(b"target", b"tarGet", 1))
    elif change == "grown":
        path.write_bytes(raw + b"\n")
    elif change == "truncated":
        path.write_bytes(raw[:-1])
    elif change == "removed":
        path.unlink()
    else:
        path.unlink()
        path.mkdir()
    with pytest.raises(Changed):
        streamed.whole()


def _changing(monkeypatch: pytest.MonkeyPatch, times: int, text: str) -> list[int]:
    """Make observations.yaml change just after it is hashed, ``times`` times: to ``text``,
    then from whatever it holds to it with a comment more or less; the list counts the
    streamed reads."""
    reads: list[int] = []
    real = location.read_streamed

    def read(path: Path, *args: Any) -> Any:
        found = real(path, *args)
        reads.append(1)
        if len(reads) <= times:
            now = path.read_text("utf-8")
            if len(reads) == 1:
                now = text
            else:
                now = now.removesuffix(OTHER) if now.endswith(OTHER) else now + OTHER
            path.write_text(now, "utf-8")
        return found

    monkeypatch.setattr(pipeline, "read_streamed", read)
    return reads


def test_a_file_changed_while_it_is_read_is_read_again_and_never_cached_as_the_other(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first read hashes the old content; the file then changes before it is parsed: the
    run reads it again and gives the new content's result, and the old content's key never
    holds it (a run on the old content later gives the old result)."""
    path = data / "observations.yaml"
    old = path.read_text("utf-8")
    new = old.replace("value: 161.830 billion yuan", "value: 1.6183 billion yuan", 1) + OTHER
    expected = tmp_path / "expected"
    shutil.copytree(data, expected)
    (expected / "observations.yaml").write_text(new, "utf-8")
    monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    want_new, want_old = _seen(pipeline.run(expected, AS_OF)), _seen(pipeline.run(data, AS_OF))
    assert want_new != want_old and want_new[1] and want_old[1]
    monkeypatch.delenv("CCTRACK_NO_CACHE")
    reads = _changing(monkeypatch, 1, new)
    assert _seen(pipeline.run(data, AS_OF)) == want_new
    assert len(reads) == 2
    assert _seen(pipeline.run(data, AS_OF)) == want_new  # from the cache: the right key
    path.write_text(old, "utf-8")
    assert _seen(pipeline.run(data, AS_OF)) == want_old


def test_a_file_that_keeps_changing_is_read_whole_at_the_last_try(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (data / "observations.yaml").read_text("utf-8") + OTHER
    reads = _changing(monkeypatch, 10, text)
    whole: list[Path] = []
    real_read = location.read_data

    def read(path: Path, *args: Any) -> Any:
        whole.append(path)
        return real_read(path, *args)

    monkeypatch.setattr(pipeline, "read_data", read)
    result = pipeline.run(data, AS_OF)
    assert len(reads) == pipeline._TRIES - 1
    assert [p.name for p in whole].count("observations.yaml") == 1  # the last try, whole
    assert result.assessments and not result.errors


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet="ab &*.\n\r:-\u2028\u4e2d", max_size=80),
    st.lists(st.integers(0, 120), max_size=8),
    st.booleans(),
    st.sampled_from([5, 8, 1 << 16]),
)
def test_a_scan_of_chunks_is_the_scan_of_the_bytes(
    text: str, cuts: list[int], bom: bool, head: int
) -> None:
    """What a state needs of the bytes (lines, plainness, anchors, head, last byte) is the same
    told a chunk at a time, cut anywhere, as of the bytes held whole (the head cut at its size
    too)."""
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    at = sorted({min(c, len(data)) for c in cuts})
    kept, incremental._HEAD = incremental._HEAD, head
    try:
        scan = incremental.Scan()
        for a, b in zip([0, *at], [*at, len(data)], strict=True):
            scan.feed(data[a:b])
        scan.end()
        whole = incremental.scan_of(data)
    finally:
        incremental._HEAD = kept
    assert whole.head == data[:head]
    fields = ("size", "lines", "plain", "names", "head", "last")
    assert [getattr(scan, f) for f in fields] == [getattr(whole, f) for f in fields]
    assert whole.size == len(data) and whole.lines == data.count(b"\n")
    assert whole.plain == incremental._plain(data)
    assert whole.names == incremental._anchor_names(data)


def test_the_state_of_a_streamed_run_is_that_of_the_bytes(data: Path) -> None:
    """A cold run keeps, for reading on after an append, the state it would make from the
    bytes held whole."""
    pipeline.run(data, AS_OF, depth=pipeline.ASSESSMENTS)
    stored = load(data, incremental.state_key(data, AS_OF, pipeline.DEFAULT_METHOD), "state")
    assert isinstance(stored, incremental.State)
    targets = (data / "targets.yaml").read_bytes()
    observations = (data / "observations.yaml").read_bytes()
    ds = load_dataset(data, [targets, observations])
    made = incremental.capture(
        stored.result_key, ds, targets, incremental.scan_of(observations), digest_of(observations)
    )
    assert made is not None
    for name in incremental.State.__slots__:
        if name != "anchors":
            assert getattr(made, name) == getattr(stored, name), name
    assert made.anchors.keys() == stored.anchors.keys()


def test_a_header_or_first_item_past_the_kept_head_keeps_no_state(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The state reads the header and the first item from the first bytes kept of the file
    (``incremental._HEAD``): past them, no state is kept (the next run reads cold), and the
    verdicts are the same."""
    key = incremental.state_key(data, AS_OF, pipeline.DEFAULT_METHOD)
    whole = _seen(pipeline.run(data, AS_OF))
    assert isinstance(load(data, key, "state"), incremental.State)
    monkeypatch.setattr(incremental, "_HEAD", 40)  # the first item is further in
    path = data / "observations.yaml"
    path.write_bytes(b"# moved\n" + path.read_bytes())  # (an edit: read cold)
    assert _seen(pipeline.run(data, AS_OF))[1] == whole[1]  # (the problems a line further)
    assert load(data, key, "state") is None


def test_a_streamed_file_with_a_cr_or_bad_bytes_is_read_whole_and_said_as_before(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the line reader leaves (CR line ends, bytes that are not UTF-8) is read again
    whole, from the same bytes: the same problems as the bytes read whole give."""
    monkeypatch.setenv("CCTRACK_NO_CACHE", "1")
    path = data / "observations.yaml"
    raw = path.read_bytes()
    targets = (data / "targets.yaml").read_bytes()
    for bad in (raw.replace(b"\n", b"\r\n"), raw[:200] + b"\xff" + raw[200:]):
        path.write_bytes(bad)
        streamed = pipeline.run(data, AS_OF)
        whole = pipeline.checked_result(load_dataset(data, [targets, bad]), AS_OF, "growth-ratio")
        assert streamed.problems == whole.problems
        assert _seen(streamed) == _seen(whole)
    assert any(p.code == "invalid-utf8" for p in streamed.problems)
