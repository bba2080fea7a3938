"""The line reader (cctrack.yaml_lines) against the composer: the same Document, always.

Differential: every YAML file shipped or used as a fixture, files generated from a grammar of the
reader's subset and its near misses, and random byte edits of a valid file are read both ways
(``parse_text``/``parse_bytes``, which choose the path, and ``compose_text``, the composer
alone); roots, values and their types, key order, positions, shared alias objects, anchor tables
and problems must be identical.
"""

from __future__ import annotations

import contextlib
import math
import random
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cctrack import yaml_lines
from cctrack.append import Request, entry_fields, render_entry
from cctrack.yaml_reader import (
    Document,
    YMap,
    YSeq,
    _compose_entry,
    _decode,
    compose_text,
    parse_bytes,
    parse_text,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import generate  # noqa: E402


def assert_same_tree(a: Any, b: Any, pairs: dict[int, int] | None = None) -> None:
    """``a`` and ``b`` are the same tree: classes, values and their types, key order, the
    positions of every mapping, key, value, sequence and item, and where one holds an object
    twice (an alias), the other holds one object twice at the same places."""
    pairs = {} if pairs is None else pairs
    stack = [(a, b, "root")]
    while stack:
        x, y, where = stack.pop()
        assert type(x) is type(y), (where, x, y)
        if isinstance(x, YMap | YSeq):
            assert pairs.setdefault(id(x), id(y)) == id(y), f"{where}: alias identity"
            assert pairs.setdefault(~id(y), ~id(x)) == ~id(x), f"{where}: alias identity"
            assert x.at == y.at, (where, x.at, y.at)
            assert list(x.pos) == list(y.pos), (where, list(x.pos), list(y.pos))
            assert len(x) == len(y), where
            if isinstance(x, YMap):
                assert list(x) == list(y), (where, list(x), list(y))
                stack += [(x[k], y[k], f"{where}.{k}") for k in x]
            else:
                stack += [
                    (u, v, f"{where}[{i}]") for i, (u, v) in enumerate(zip(x, y, strict=True))
                ]
        elif isinstance(x, float) and math.isnan(x):
            assert math.isnan(y), where
        elif isinstance(x, Decimal):
            assert str(x) == str(y), (where, x, y)  # 1.0 and 1.00 are equal, not the same
        else:
            assert x == y, (where, x, y)


def assert_same_document(a: Document, b: Document) -> None:
    """Two Documents are the same: tree, problems, text, and anchor table (names in order,
    weights, and nodes that are the trees' own)."""
    pairs: dict[int, int] = {}
    assert_same_tree(a.root, b.root, pairs)
    assert a.problems == b.problems
    assert a.text == b.text and a.path == b.path and a.exists == b.exists
    assert list(a.anchors) == list(b.anchors)
    for name, (value, weight) in a.anchors.items():
        other, other_weight = b.anchors[name]
        assert weight == other_weight, name
        assert_same_tree(value, other, pairs)


def both(text: str, anchors: dict[str, tuple[Any, int]] | None = None) -> Document:
    """``text`` read by the reader that parse_text chooses, checked against the composer."""
    got = parse_text("f.yaml", text, dict(anchors) if anchors else None)
    assert_same_document(got, compose_text("f.yaml", text, dict(anchors) if anchors else None))
    return got


def by_lines(text: str, anchors: dict[str, tuple[Any, int]] | None = None) -> Any:
    """What the line reader makes of ``text`` (None: the whole file is the composer's), as
    parse_text calls it: entries outside the subset read by the composer."""
    return yaml_lines.parse(text, dict(anchors) if anchors else None, _compose_entry)


def shipped_files() -> list[Path]:
    """Every YAML file in the repository's data, fixtures and examples."""
    found = {
        p for d in ("data", "tests", "examples", "cctrack") for p in (ROOT / d).rglob("*.y*ml")
    }
    return sorted(found)


def test_the_deep_comparison_can_fail() -> None:
    one = parse_text("f.yaml", "a: [1, 2]\nb: 1\n")
    for other in (
        "a: [1, 2]\nb: 1.0\n",
        "a: [1,  2]\nb: 1\n",
        "b: 1\na: [1, 2]\n",
        "a: [1, 2]\nb: '1'\n",
    ):
        with pytest.raises(AssertionError):
            assert_same_document(one, compose_text("f.yaml", other))
    shared = compose_text("f.yaml", "a: &x [1]\nb: *x\n")
    copied = compose_text("f.yaml", "a: &x [1]\nb: *x\n")
    copied.root["b"] = compose_text("f.yaml", "a: &x [1]\nb: *x\n").root["a"]
    with pytest.raises(AssertionError):
        assert_same_document(shared, copied)


@pytest.mark.parametrize("path", shipped_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_and_fixture_files(path: Path) -> None:
    doc = parse_bytes(str(path), path.read_bytes())
    text, _ = _decode(str(path), path.read_bytes())
    assert text is not None
    assert_same_document(doc, compose_text(str(path), text))


def test_the_shipped_data_takes_the_fast_path() -> None:
    for name in ("targets.yaml", "observations.yaml"):
        text = (ROOT / "data" / name).read_text(encoding="utf-8")
        assert yaml_lines.takes_fast_path(text), name


def test_the_benchmark_data_takes_the_fast_path(tmp_path: Path) -> None:
    generate.generate(tmp_path, 1200, 50)
    for name in ("targets.yaml", "observations.yaml"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert yaml_lines.takes_fast_path(text), name
        both(text)


def _entry(**fields: Any) -> str:
    req = Request(**fields)
    return render_entry(entry_fields(req), "  ")


ENTRIES = [
    dict(target="nev-output", period="2024", value="1,000", source="https://example.org/a"),
    dict(target="t-2", period="2024年上半年", value="3165亿元", change="+5.2%", source="Daily",
         source_title='A "quoted" title, with: colon', publisher="日报 #1", published="2025-02-25",
         reliability="A", note="it's\ta tab and a\\backslash", quote="“原文”，全角１２３",
         stated=False, estimate="preliminary", scope="Zone", price_basis="real"),
    dict(target="t-3", period="2024-Q1", value="-5", source="x: y", bound="upper"),
]  # fmt: skip


@pytest.mark.parametrize("fields", ENTRIES)
def test_an_added_observation_takes_the_fast_path(fields: dict[str, Any]) -> None:
    text = "observations:\n" + _entry(**fields)
    assert yaml_lines.takes_fast_path(text), text
    both(text)
    crlf = text.replace("\n", "\r\n")
    assert yaml_lines.takes_fast_path(crlf)
    both(crlf)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "a: 1\nb:\n",
        "a:  \nb: 1",
        "a: # c\nb: 1",
        "- a:\n  b:",
        "a:\n- x\n- y\nb: 1",
        "a: &q\n  b: 1\n  c: [1, 2]\nd: *q\n",
        "a: &q\n  - x\n",
        "-   k: 1\n    j: 2",
        "k: 名字 x\nj: ２０２４\n",
        "a: [&x 1, *x, {b: *x}]\n",
        'a: "x"#c\n',
        "a: 'x''s' #c\n",
        "a: []\nb: {}\nc: &e []\nd: *e\n",
        "a:\n  b: 1\n  c: -5\n",
        "- a:\n  - x\n  b: 2",
        'a: "\\u00e9\\n\\"x\\\\"\n',
        "a: 0x1F\nb: .5\nc: 1e3\nd: +1\ne: ~\nf: .inf\ng: .NaN\nh: 1_000\ni: 0o17\nj: -.INF\n",
        "a: 1\r\nb: [x, y]\r\n",
        "\ufeffa: 1\n",
        "a: x\n  y\n",
        "a: 1\na: 2\n",
        "a: |\n  x\n",
        "a: !!str 1\n",
        "--- \na: 1\n",
        "a: 1\n...\n",
        "%YAML 1.2\n---\na: 1\n",
        "a:\tb\n",
        "? a\n: b\n",
        "a: *nowhere\n",
        "a: {b: 1, c: }\n",
        "a: [1, 2,]\n",
        "a: b: c\n",
        "a: x #c\nb: x#c\n",
        "a:  two spaces\nb: trailing   \n",
        "a: &x\nb: 1",
        "a: 'multi\n  line'\n",
        "a: 1\n b: 2\n",
        "  a: 1\n",
        "a:\n  - 1\n  -  2\n  - [3]\n  - *x\n",
        "a: x\u3000\nb: \u00a0y\n",
        "a: \u2028\n",
        "a: '\x85'\n",
        "a: {u: 'https://x/y', v: b c}\n",
        "a: {u: https://x/y}\n",
        'o:\n  - a: "x\u2028y"\n  - b: 1\n',
        'o:\n  - a: "x\x85y"\n  - b: 1\n',
        "o:\n  - a: |\n      x\u2029y\n  - b: 1\n",
        "o:\n  - a: 1\r\n  - b: |\r\n      x\r\n  - c: 1\r\n",
        "a: [a b, 'c', \"d\"]\n",
        "a: x\rb: y\n",
        "o:\n  - a: 1\n    b: 2\n  - a: 1\n    # c\n    b: 2\n  - a: 1\n\n    b: 2\n  - a: 1\n"
        "    b: {x: 1}\n    c: 3\n  - a: 1\n    b:\n      x: 1\n    c: *e\n  - a: 1\n    b:  2\n",
    ],
)
def test_forms_and_near_misses(text: str) -> None:
    both(text)
    both("e: &e 0\n" + text if text.startswith("o:") else text)


@pytest.mark.parametrize(
    "text",
    [
        "o:\n  - a: 1\n    b: |\n      x\n  - a: &k 2\n    c: x\n      y\n  - a: *k\n",
        "o:\n  - a: 1\n  - b: {x: 1,\n      y: 2}\n  - &z c: 1\n  - d: *z\n",
        'o:\n- a: 1\n- b: "x\n  y"\n- c: [1]\n',
        "o:\n  - a: &q {x: 1}\n  - b: !!str 1\n    c: *q\n  - c: *q\n    d: &q [1]\n  - e: *q",
        "# c\no:\n\n  - a: >\n      x\n\n    b: *x\n  # c\n  - a: 'it''s'\n",
    ],
)
def test_entries_outside_the_subset_are_read_alone(text: str) -> None:
    doc = both(text, {"x": (5, 1)})
    assert doc.problems == []
    assert by_lines(text, {"x": (5, 1)}) is not None  # not the whole file's composer


def test_seeded_anchors_are_known_and_returned() -> None:
    first = both("a: &s {t: 1}\nb: &n 5\n")
    assert list(first.anchors) == ["s", "n"] and first.anchors["s"][1] == 3
    assert first.anchors["s"][0] is first.root["a"]
    second = both("- x: *s\n  y: *n\n- &s [1]\n- *s\n", first.anchors)
    assert second.root[0]["x"] is first.root["a"]
    assert second.anchors["s"][0] is second.root[1] is second.root[2]


def test_alias_expansion_is_bounded_as_the_composer_bounds_it() -> None:
    anchors = {"big": ([1] * 5, 30_000)}
    doc = both("a: *big\nb: *big\n", anchors)
    assert [p.code for p in doc.problems] == ["alias-bomb"]


# --- files from a grammar of the subset and its near misses ---------------------------------

# words in the subset, written plain or quoted
WORDS = ["x", "Zone", "2024", "2024-01", "1_000", "0x1F", "1e3", ".5", "+1", "-3", "~", "null",
         "True", "no", "1.50", ".inf", ".NaN", "3165亿元", "１２３", "a b", "a#b", "a:b",
         "http://x.org/a", "it's", "é", "\u3000x", "-.5", "0o17", "1E+3", "2024-01-02"]  # fmt: skip
# and near misses: words the reader must leave to the composer or read exactly otherwise
NEAR = ["a #b", "a: b", 'say "x"', "-", "- x", "&a", "*a", "!x", "|", ">", "%", "@", "`",
        "[x]", "{x}", "x,y", "x:", "?x", ":x", "'", '"', "''", "\\", "", " ", "x  ",
        "#x"]  # fmt: skip
# values outside the subset (each line break is followed by the entry's indentation + 2)
ODD = ["|\nx\n y", ">-\nx\n\ny", "!!str 5", "'a\nb'", '"a\\\nb"', "{x: 1,\ny: 2}", "[1,\n2]",
       "a\tb", "x\ny", "&m\nk: 1", "? x", "!!int x", "*missing", '"\\x41"']  # fmt: skip
KEYS = ["target", "period", "value", "source", "a", "b", "名", "x-y", "1", "a.b", "on"]


def _quoted(word: str, how: int) -> str:
    if how == 1:
        return "'" + word.replace("'", "''") + "'"
    if how == 2:
        return '"' + word.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if how == 3:
        return '"' + word + '"'
    return word


@st.composite
def scalars(draw: st.DrawFn) -> str:
    pick = draw(st.integers(0, 9))
    if pick < 7:
        word = draw(st.sampled_from(WORDS))
    else:
        word = draw(st.sampled_from(NEAR) if pick < 9 else st.text(max_size=6))
    how = draw(st.integers(0, 5))
    return _quoted(word, how if how < 4 else 0)


@st.composite
def flows(draw: st.DrawFn, depth: int = 0) -> str:
    def item() -> str:
        if depth < 2 and draw(st.integers(0, 5)) == 0:
            return draw(flows(depth + 1))
        return draw(scalars())

    sep = draw(st.sampled_from([", ", ",", " , "]))
    n = draw(st.integers(0, 3))
    if draw(st.booleans()):
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=n, max_size=n))
        return "{" + sep.join(f"{k}: {item()}" for k in keys) + "}"
    return "[" + sep.join(item() for _ in range(n)) + "]"


@st.composite
def values(draw: st.DrawFn, anchors: list[str]) -> str:
    kind = draw(st.integers(0, 12))
    if kind == 0 and anchors:
        return "*" + draw(st.sampled_from(anchors))
    value = draw(flows()) if kind <= 2 else draw(scalars())
    if kind == 3:
        value = ""
    if draw(st.integers(0, 6)) == 0:
        name = draw(st.sampled_from(["a", "s1", "b-c"]))
        anchors.append(name)
        value = f"&{name} {value}"
    if draw(st.integers(0, 9)) == 0:
        value += draw(st.sampled_from([" # note", "#x", "  ", " ", "\t"]))
    return value


@st.composite
def documents(draw: st.DrawFn) -> str:
    anchors: list[str] = []
    lines = ["observations:"] if draw(st.booleans()) else []
    dash = draw(st.sampled_from(["  ", "", "    "]))
    for _ in range(draw(st.integers(0, 5))):
        unique = draw(st.integers(0, 4)) > 0
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=unique))
        gap = draw(st.sampled_from([" ", " ", "  "]))
        pad = dash + " " + gap
        for i, key in enumerate(keys):
            lead = (
                f"{dash}-{gap}"
                if i == 0
                else pad + draw(st.sampled_from(["", "", "", "", "", " "]))
            )
            if draw(st.integers(0, 9)) == 0:  # a value outside the subset, over lines
                odd = draw(st.sampled_from(ODD)).replace("\n", "\n" + pad + "  ")
                lines.append(f"{lead}{key}: {odd}")
                continue
            if draw(st.integers(0, 7)) == 0:  # a nested block mapping or sequence
                inner = pad + draw(st.sampled_from(["  ", "    ", ""]))
                lines.append(f"{lead}{key}:" + draw(st.sampled_from(["", " &n", " # c"])))
                subs = st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=unique)
                for sub in draw(subs):
                    bullet = draw(st.sampled_from(["", "- "]))
                    lines.append(f"{inner}{bullet}{sub}: {draw(values(anchors))}")
                continue
            lines.append(
                f"{lead}{key}: {draw(values(anchors))}".rstrip(" ")
                + draw(st.sampled_from(["", "", " ", " # c"]))
            )
        if draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "   # indented", "  ", "..."])))
    if not lines:
        lines.append(f"key: {draw(values(anchors))}")
    text = "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))
    return text.replace("\n", "\r\n") if draw(st.integers(0, 4)) == 0 else text


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_generated_documents(text: str) -> None:
    both(text)


# valid values outside the subset, as ODD
ODD_VALID = ["|\nx\n y", ">-\nx\n\ny", "!!str 5", "'a\nb'", '"a\\\nb"', "{x: 1,\ny: 2}",
             "[1,\n2]", "a\tb", "x\ny", '"\\x41\\t"', "!!float 1"]  # fmt: skip


@st.composite
def entry_files(draw: st.DrawFn) -> str:
    """A file of entries, all valid YAML, some outside the subset, with anchors and aliases."""
    dash = draw(st.sampled_from(["  ", ""]))
    pad = dash + "  "
    lines = ["observations:"]
    anchors: list[str] = []
    for n in range(draw(st.integers(1, 8))):
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True))
        for i, key in enumerate(keys):
            kind = draw(st.integers(0, 9))
            if kind == 0:
                value = draw(st.sampled_from(ODD_VALID)).replace("\n", "\n" + pad + "  ")
            elif kind == 1 and anchors:
                value = "*" + draw(st.sampled_from(anchors))
            elif kind == 2:
                anchors.append(f"a{n}{i}")
                value = f"&a{n}{i} {{t: {_quoted(draw(st.sampled_from(WORDS)), 1)}}}"
            else:
                value = _quoted(draw(st.sampled_from(WORDS)), draw(st.integers(0, 2)))
            lines.append(f"{dash}- {key}: {value}" if i == 0 else f"{pad}{key}: {value}")
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "    # indented"])))
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entry_files(), st.booleans())
def test_generated_entry_files(text: str, seeded: bool) -> None:
    anchors = {"a00": ({"seeded": 1}, 3)} if seeded else None
    doc = both(text, anchors)
    assert doc.problems == []
    assert by_lines(text, anchors) is not None  # the whole file is never the composer's


def test_alias_expansion_is_bounded_across_entries_read_alone() -> None:
    entries = "".join(f"  - a: *big\n    b: {i}\n" for i in range(40))
    odd = "  - a: |\n      x\n"
    for text in (f"o:\n{odd}{entries}", f"o:\n{entries}{odd}", f"o:\n{entries}{odd}{entries}"):
        for weight in (100, 400, 2_000):
            both(text, {"big": ([1], weight)})


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="ab:-#&*'\"[]{}, \n~1.é", max_size=40))
def test_arbitrary_short_texts(text: str) -> None:
    both(text)


# --- random byte edits of a valid file --------------------------------------------------------


def _edit(rng: random.Random, data: bytes) -> bytes:
    pieces = [b" ", b"\n", b"#", b":", b"- ", b"'", b'"', b"&a ", b"*s1", b"{", b"]", b",",
              b"\t", b"\r", b"\xef\xbb\xbf", b"\xc3", "１".encode(), b"~", b"  ", b"x"]  # fmt: skip
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data) + 1)
        how = rng.randrange(3)
        if how == 0:
            data = data[:at] + rng.choice(pieces) + data[at:]
        elif how == 1:
            data = data[:at] + data[at + rng.randint(1, 4) :]
        else:
            data = data[:at] + rng.choice(pieces) + data[at + 1 :]
    return data


def _valid_file(directory: Path, observations: int) -> bytes:
    """A generated observations file, with an entry of full-width digits and a quoted note."""
    generate.generate(directory, observations, 5)
    data = (directory / "observations.yaml").read_bytes()
    return (
        data
        + "  - target: target-0001\n    period: ２０２４年\n    note: 'it''s # \"q\"'\n".encode()
    )


def _edits(data: bytes, seed: int, count: int) -> Iterator[bytes]:
    """``count`` random edits of ``data`` (:func:`_edit`), the same for the same seed."""
    rng = random.Random(seed)
    return (_edit(rng, data) for _ in range(count))


def test_random_edits_of_a_valid_file(tmp_path: Path) -> None:
    fast = 0
    for edited in _edits(_valid_file(tmp_path, 30), 24, 600):
        got = parse_bytes("o.yaml", edited)
        text, _ = _decode("o.yaml", edited)
        if text is None:
            continue
        fast += yaml_lines.takes_fast_path(text)
        assert_same_document(got, compose_text("o.yaml", text))
    assert fast > 100  # most edits leave the file in the subset: the comparison is not vacuous


@contextlib.contextmanager
def _blocks_of(size: int) -> Iterator[None]:
    """The line reader's blocks made ``size`` long for a while (a few characters: many ends)."""
    original = yaml_lines._BLOCK
    yaml_lines._BLOCK = size
    try:
        yield
    finally:
        yaml_lines._BLOCK = original


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n \u4e2d", max_size=60), st.integers(min_value=1, max_value=9))
def test_lines_a_block_at_a_time_are_the_split(text: str, block: int) -> None:
    """The reader takes a file's lines a block at a time (never all of them in one list): the
    lines are those of ``str.split``, wherever a block ends (here a few characters long)."""
    with _blocks_of(block):
        assert list(yaml_lines._lines(text)) == text.split("\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab\n \u4e2d", max_size=60), st.integers(1, 9), st.booleans())
def test_a_line_is_found_again_from_its_marks(text: str, block: int, as_bytes: bool) -> None:
    """:func:`~cctrack.yaml_lines.line_offset` finds every line of a text (or of its UTF-8
    bytes) from the marks made every few characters (here every few)."""
    data: str | bytes = text.encode() if as_bytes else text
    newline: Any = b"\n" if as_bytes else "\n"
    starts = [0] + [i + 1 for i in range(len(data)) if data[i : i + 1] == newline]
    with _blocks_of(block):
        marks = yaml_lines.line_marks(data)
    assert [yaml_lines.line_offset(data, marks, n) for n in range(len(starts))] == starts


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="ab\n \u4e2d\u00e9", max_size=60),
    st.integers(1, 9),
    st.booleans(),
    st.lists(st.integers(0, 80), max_size=6),
)
def test_utf8_lines_a_block_at_a_time_are_the_decoded_split(
    text: str, block: int, bom: bool, cuts: list[int]
) -> None:
    """The observations are read from their bytes a block at a time, each decoded as it is
    split (never the whole text): the lines are those of the text decoded whole, a BOM dropped,
    wherever a block ends (here a few bytes in; it ends at the next line break, never inside a
    character's bytes), and however the bytes come in chunks (a file read from disk a block at
    a time: a chunk may end inside a character, a line or the BOM)."""
    data = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    at = sorted({min(c, len(data)) for c in cuts})
    chunks = [data[a:b] for a, b in zip([0, *at], [*at, len(data)], strict=True)]
    with _blocks_of(block):
        assert list(yaml_lines._utf8_lines((data,))) == text.split("\n")
        assert list(yaml_lines._utf8_lines(chunks)) == text.split("\n")


def _telling(told: list[int]) -> Any:
    """A hook's function that lists the items it is told of."""
    return lambda seq, i: told.append(i)


def test_random_edits_read_from_their_bytes_with_a_hook(tmp_path: Path) -> None:
    """A file read with a hook (the observations) is read from its bytes a block at a time:
    whatever the bytes, the same Document as the bytes decoded whole give (the same tree,
    anchors and problems: an invalid byte, a CR, a BOM, an entry out of the subset), and the
    hook told of the same items; its text is not kept."""
    data = _valid_file(tmp_path, 300)  # (items without an anchor from the 201st)
    told = 0
    for edited in _edits(data, 31, 80):
        seen: list[int] = []
        got = parse_bytes("o.yaml", edited, ("observations", _telling(seen)))
        plain = parse_bytes("o.yaml", edited)
        if got.text == "" and plain.text != "":
            got.text = plain.text  # the bytes road: no text kept
        assert_same_document(got, plain)
        text, _ = _decode("o.yaml", edited)
        if text is not None:  # the items told: those the text decoded whole tells
            also: list[int] = []
            parse_text("o.yaml", text, hook=("observations", _telling(also)))
            assert seen == also
            told += bool(seen)
    assert told > 5  # (most edits leave the subset: the whole file is read entry by entry)
    seen = []
    parse_bytes("o.yaml", data, ("observations", _telling(seen)))
    assert seen[:100] == list(range(200, 300))  # the file unedited: every item without one
