"""Reading YAML: 1.2 core-schema scalars, strictness, hostile input and positions."""

from __future__ import annotations

import math
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cctrack.quantity import OutOfRangeNumber
from cctrack.yaml_reader import YMap, YSeq, locate, parse_text, read_yaml

HANG_GUARD_S = 5.0  # generous: a guard against hangs and blow-ups, not a benchmark


def codes(text: str) -> list[tuple[str, int, int]]:
    """(code, line, col) of every problem found reading ``text``."""
    return [(p.code, p.line, p.col) for p in parse_text("f.yaml", text).problems]


def value(text: str) -> Any:
    """The value of key ``a`` in a one-line document ``a: <text>``."""
    doc = parse_text("f.yaml", f"a: {text}\n")
    assert doc.problems == []
    return doc.root["a"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e6", Decimal("1E+6")),
        ("1.5e+6", Decimal("1.5E+6")),
        ("1.0", Decimal("1.0")),
        (".5", Decimal("0.5")),
        ("010", 10),
        ("0x1A", 26),
        ("0o17", 15),
        ("+1", 1),
        ("-7", -7),
        ("1:30", "1:30"),
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("off", "off"),
        ("y", "y"),
        ("Yes", "Yes"),
        ("true", True),
        ("False", False),
        ("tRue", "tRue"),
        ("null", None),
        ("~", None),
        ("", None),
        ("1_000", "1_000"),
        ("0b101", "0b101"),
        ("2024-03-07", "2024-03-07"),
        ("'1e6'", "1e6"),
        ('"010"', "010"),
        ("'yes'", "yes"),
        ("'true'", "true"),
        ("!!str 12", "12"),
        ("!!int 12", 12),
        ("! 12", "12"),
        ("3165亿元", "3165亿元"),
    ],
)
def test_core_schema_scalars(text: str, expected: object) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


def test_exponent_numbers_are_exact_decimals_not_floats() -> None:
    assert isinstance(value("1e6"), Decimal)
    assert value("0.1") == Decimal("0.1")  # a float would be 0.1000000000000000055...


@pytest.mark.parametrize(
    ("text", "check"),
    [
        (".inf", lambda v: v == math.inf),
        ("-.inf", lambda v: v == -math.inf),
        ("+.INF", lambda v: v == math.inf),
        (".nan", math.isnan),
        (".NaN", math.isnan),
    ],
)
def test_inf_and_nan_are_floats(text: str, check: Any) -> None:
    v = value(text)
    assert isinstance(v, float)
    assert check(v)


@pytest.mark.parametrize(
    "text", ["9" * 5000, "9" * 100_000, "0x" + "f" * 5000, "0o" + "7" * 1_000_000, "1e99999999"]
)
def test_huge_numbers_are_out_of_range_without_being_converted(text: str) -> None:
    start = time.perf_counter()
    v = value(text)
    assert isinstance(v, OutOfRangeNumber) and v.text == text
    assert time.perf_counter() - start < 1.0


def test_numbers_within_range_stay_exact() -> None:
    assert value("9" * 300) == 10**300 - 1
    assert value("0x" + "f" * 100) == 16**100 - 1
    assert isinstance(value("1.5e+300"), Decimal)


def test_duplicate_key_at_the_second_key() -> None:
    doc = parse_text("f.yaml", "a: 1\nb: 2\na: 3\n")
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("duplicate-key", 3, 1)]
    assert "line 1" in doc.problems[0].message
    assert doc.root == {"a": 1, "b": 2}  # the first value stands


def test_duplicate_key_nested() -> None:
    assert codes("x:\n  - a: 1\n    b: 2\n    b: 3\n") == [("duplicate-key", 4, 5)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: !!python/object:os.system x\n", [("non-standard-tag", 1, 4)]),
        ("a: !!python/object/apply:os.system [ls]\n", [("non-standard-tag", 1, 4)]),
        ("a: !!python/name:os.system {}\n", [("non-standard-tag", 1, 4)]),
        ("a: !foo x\n", [("non-standard-tag", 1, 4)]),
        ("a: 1\nb: !foo\n  c: 1\n", [("non-standard-tag", 2, 4)]),
        ("!foo\na: 1\n", [("non-standard-tag", 1, 1)]),
        ("a: !!binary aGk=\n", [("non-standard-tag", 1, 4)]),
        ("a: !!timestamp 2020-01-01\n", [("non-standard-tag", 1, 4)]),
        ("a: !!set {b}\n", [("non-standard-tag", 1, 4)]),
        ("!!python/str a: 1\n", [("non-standard-tag", 1, 1)]),
        ("a: !!int abc\n", [("invalid-tagged-value", 1, 4)]),
        ("a: !!bool yes\n", [("invalid-tagged-value", 1, 4)]),
    ],
)
def test_tags(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert codes(text) == expected


def test_python_tag_constructs_nothing() -> None:
    doc = parse_text("f.yaml", "a: !!python/object/apply:os.system ['echo pwned']\n")
    assert doc.root == {"a": ["echo pwned"]}  # plain data, never a call


def test_bom_and_crlf_keep_positions(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\nb: [1,\r\n  2]\r\nc: 3\r\nc: 4\r\n")
    doc = read_yaml(path)
    assert doc.root == {"a": 1, "b": [1, 2], "c": 3}
    assert doc.root.key_at["a"] == (1, 1)
    assert doc.root.val_at["a"] == (1, 4)
    assert doc.root["b"].item_at == [(2, 5), (3, 3)]
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("duplicate-key", 5, 1)]


def test_tab_indentation_is_a_syntax_error_at_its_line() -> None:
    assert codes("a:\n  b: 1\n\tc: 2\n") == [("yaml-syntax", 3, 1)]


def test_syntax_error_has_a_position_and_reading_goes_on_to_return() -> None:
    doc = parse_text("f.yaml", "a: 1\nb: [1, 2\n")
    assert [(p.code, p.line) for p in doc.problems] == [("yaml-syntax", 3)]
    assert doc.root is None


@pytest.mark.parametrize(
    ("data", "line", "col"),
    [
        (b"a: \xff\n", 1, 4),
        (b"a: 1\nb: n\xffev\n", 2, 5),
        ("a: 1\nb: 中".encode() + b"\xe4\n", 2, 5),  # column counts characters, not bytes
        ("x: 中文\r\nb: 中文".encode() + b"\xc3(\r\n", 2, 6),
        (b"\xef\xbb\xbfa: \xff\n", 1, 4),  # the BOM takes no column
    ],
)
def test_invalid_utf8(tmp_path: Path, data: bytes, line: int, col: int) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    doc = read_yaml(path, "shown.yaml")
    assert [(p.path, p.code, p.line, p.col) for p in doc.problems] == [
        ("shown.yaml", "invalid-utf8", line, col)
    ]
    assert doc.root is None


def test_lone_surrogate_in_text_is_invalid_utf8() -> None:
    # e.g. an undecodable command-line argument (surrogateescape) in a text to be written
    assert codes("a: 1\nb: x\udcff\n") == [("invalid-utf8", 2, 5)]


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("a: \x07\n", 1, 4),
        ("a: 中文中文 \x07\n", 1, 9),  # libyaml reports a byte offset; columns are characters
        ("a: 中文\nb: 中文 \x07\n", 2, 7),
        ("x: 1\n\x1b\n", 2, 1),
    ],
)
def test_control_character(text: str, line: int, col: int) -> None:
    assert codes(text) == [("invalid-character", line, col)]


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    prev = "a"
    for name in "bcdefghi":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def _guarded(text: str) -> list[tuple[str, int, int]]:
    start = time.monotonic()
    found = codes(text)
    assert time.monotonic() - start < HANG_GUARD_S
    return found


def test_billion_laughs_is_an_alias_bomb() -> None:
    found = _guarded(_billion_laughs())
    assert [c for c, _, _ in found] == ["alias-bomb"]
    assert found[0][1] <= 9


def test_billion_laughs_of_mappings() -> None:
    text = "a: &a {x: 1, y: 2, z: 3}\n"
    prev = "a"
    for n in "bcdefghijk":
        text += f"{n}: &{n} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        prev = n
    assert [c for c, _, _ in _guarded(text)] == ["alias-bomb"]


# libyaml 0.2.6 (PyYAML 6.0.4) stops at 1,000 levels with a syntax error, earlier libyaml does
# not: depths on both sides of that limit give the same answer, at the 65th level.
@pytest.mark.parametrize("depth", [65, 999, 1_000, 1_001, 10_000, 1_000_000])
def test_deep_flow_nesting_is_too_deep(depth: int) -> None:
    assert _guarded("[" * depth + "]" * depth) == [("too-deep", 1, 65)]


def test_deep_flow_mappings_and_unclosed_nesting() -> None:
    assert _guarded("{a: " * 10_000 + "1" + "}" * 10_000) == [("too-deep", 1, 4 * 64 + 1)]
    assert _guarded("[" * 1_000_000) == [("too-deep", 1, 65)]


def test_too_deep_is_found_after_other_text() -> None:
    text = "a: é😀\r\nb:\r\n  - c: [x, " + "[" * 5_000
    # four levels (the root, b's list, the mapping of c, [x) open before the "[" at column 12
    assert _guarded(text) == [("too-deep", 3, 12 + 60)]


def test_too_deep_says_what_the_limit_is() -> None:
    (problem,) = parse_text("f.yaml", "[" * 1_000_000).problems
    assert "deeper than 64 levels" in problem.message


@pytest.mark.parametrize("levels", [200, 1_100])
def test_deep_block_nesting_is_too_deep(levels: int) -> None:
    text = "a:\n" + "".join("  " * i + "b:\n" for i in range(1, levels))
    assert _guarded(text) == [("too-deep", 65, 129)]


def test_deep_block_sequences_on_one_line_are_too_deep() -> None:
    assert _guarded("- " * 5_000 + "x\n") == [("too-deep", 1, 129)]


def test_moderate_nesting_is_fine() -> None:
    assert codes("a: " + "[" * 50 + "]" * 50 + "\n") == []
    assert codes("[" * 64 + "]" * 64) == []


@pytest.mark.parametrize("text", ["[" * 64, "[" * 64 + "]" * 63 + "@", "{a: " * 63 + "[b, @]"])
def test_a_syntax_error_in_nesting_within_the_limit_stays_a_syntax_error(text: str) -> None:
    assert [c for c, _, _ in _guarded(text)] == ["yaml-syntax"]


def test_many_aliases_of_a_small_source_are_fine() -> None:
    # the shipped data's pattern: one source anchored, then aliased by many entries
    src = "{title: T, publisher: P, url: 'https://x', published: 2024-03-07, reliability: A}"
    entry = "  - {target: t, period: 2023, value: 1, source: *s}\n"
    text = f"s: &s {src}\nobservations:\n" + entry * 20_000
    doc = parse_text("f.yaml", text)
    assert doc.problems == []
    assert len(doc.root["observations"]) == 20_000


def test_multiple_documents() -> None:
    assert codes("---\na: 1\n---\nb: 2\n") == [("multiple-documents", 3, 1)]
    assert codes("a: 1\n---\nb: 2\n") == [("multiple-documents", 2, 1)]


@pytest.mark.parametrize("text", ["---\na: 1\n", "a: 1\n...\n", "%YAML 1.2\n---\na: 1\n"])
def test_one_explicit_document_is_fine(text: str) -> None:
    doc = parse_text("f.yaml", text)
    assert (doc.problems, doc.root) == ([], {"a": 1})


def test_unknown_alias() -> None:
    doc = parse_text("f.yaml", "a: 1\nb: *nowhere\n")
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("yaml-syntax", 2, 4)]
    assert "nowhere" in doc.problems[0].message


def test_alias_of_a_mapping_resolves_to_the_same_content() -> None:
    doc = parse_text("f.yaml", "a: &src {title: T, url: U}\nb: [*src, *src]\n")
    assert doc.problems == []
    assert doc.root["b"] == [{"title": "T", "url": "U"}] * 2
    assert doc.root["b"][0] is doc.root["a"]


def test_complex_key() -> None:
    assert codes("? [a]\n: 1\n") == [("complex-key", 1, 3)]


@pytest.mark.parametrize(("text", "root"), [("", None), ("# only a comment\n", None)])
def test_empty_document(text: str, root: object) -> None:
    doc = parse_text("f.yaml", text)
    assert (doc.problems, doc.root) == ([], root)


def test_missing_file_is_not_a_read_problem(tmp_path: Path) -> None:
    doc = read_yaml(tmp_path / "nope.yaml")
    assert (doc.exists, doc.root, doc.problems) == (False, None, [])


def test_directory_instead_of_file_is_unreadable(tmp_path: Path) -> None:
    (tmp_path / "targets.yaml").mkdir()
    doc = read_yaml(tmp_path / "targets.yaml", "targets.yaml")
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("file-unreadable", 1, 1)]


def test_oversized_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cctrack.yaml_reader

    monkeypatch.setattr(cctrack.yaml_reader, "MAX_BYTES", 10)
    path = tmp_path / "f.yaml"
    path.write_text("a: 1\nb: 2\nc: 3\n")
    assert [p.code for p in read_yaml(path).problems] == ["file-too-large"]


# --- positions --------------------------------------------------------------------------------

POSITIONS = """\
# a comment
targets:
  - id: nev
    name:   NEV output
    tags: [a, bb]
  - {id: x, value: 3165亿元, n: 1}
"""


def test_positions_are_one_based() -> None:
    doc = parse_text("f.yaml", POSITIONS)
    root = doc.root
    assert isinstance(root, YMap)
    assert root.at == (2, 1)
    assert root.key_at["targets"] == (2, 1)
    seq = root["targets"]
    assert isinstance(seq, YSeq)
    assert seq.at == (3, 3)
    assert seq.item_at == [(3, 5), (6, 5)]
    first = seq[0]
    assert first.key_at == {"id": (3, 5), "name": (4, 5), "tags": (5, 5)}
    assert first.val_at == {"id": (3, 9), "name": (4, 13), "tags": (5, 11)}
    assert first["tags"].item_at == [(5, 12), (5, 15)]
    second = seq[1]
    assert second.at == (6, 5)
    # columns count characters: 3165亿元 is 6 columns wide
    assert second.val_at == {"id": (6, 10), "value": (6, 20), "n": (6, 31)}


@pytest.mark.parametrize(
    ("loc", "key", "pos"),
    [
        ((), False, (2, 1)),
        (("targets",), False, (3, 3)),  # a block sequence starts at its first '-'
        (("targets",), True, (2, 1)),
        (("targets", 0), False, (3, 5)),
        (("targets", 0, "name"), False, (4, 13)),
        (("targets", 0, "name"), True, (4, 5)),
        (("targets", 0, "tags", 1), False, (5, 15)),
        (("targets", 1, "value"), False, (6, 20)),
        # as far as the path exists: the deepest node found
        (("targets", 0, "missing"), False, (3, 5)),
        (("targets", 7, "id"), False, (3, 3)),
        (("nothing",), False, (2, 1)),
    ],
)
def test_locate(loc: tuple[object, ...], key: bool, pos: tuple[int, int]) -> None:
    root = parse_text("f.yaml", POSITIONS).root
    assert locate(root, loc, key=key) == pos


def test_keys_are_kept_as_written() -> None:
    doc = parse_text("f.yaml", "1: a\n2.0: b\nyes: c\n")
    assert list(doc.root) == ["1", "2.0", "yes"]


def test_positions_far_down_and_far_along_are_kept_exactly() -> None:
    """Positions are held packed: a line past 65,536 and a column past 65,536 come back as
    written, for keys, values and items."""
    filler = "#\n" * 70_000
    pad = " " * 70_000
    text = f"{filler}a: {{b: [1, {pad}2], c: x}}\n"
    root = parse_text("f.yaml", text).root
    line = 70_001
    assert root.key_at == {"a": (line, 1)}
    assert root.val_at == {"a": (line, 4)}
    inner = root["a"]
    assert inner.key_at == {"b": (line, 5), "c": (line, 70_016)}
    assert inner["b"].item_at == [(line, 9), (line, 70_012)]
    assert locate(root, ("a", "b", 1)) == (line, 70_012)
    assert locate(root, ("a", "c"), key=True) == (line, 70_016)
    assert locate(root, ("a", "missing")) == (line, 4)


def test_duplicate_keys_in_a_long_mapping_name_the_first_line() -> None:
    """A duplicate met after many keys, and keys added after it, are still told apart."""
    lines = [f"k{i}: {i}" for i in range(2000)] + ["k5: again", "new: 1", "new: 2", "k1999: x"]
    doc = parse_text("f.yaml", "\n".join(lines) + "\n")
    found = [(p.line, p.code, p.message) for p in doc.problems]
    assert found == [
        (2001, "duplicate-key", "duplicate key 'k5' (first at line 6)"),
        (2003, "duplicate-key", "duplicate key 'new' (first at line 2002)"),
        (2004, "duplicate-key", "duplicate key 'k1999' (first at line 2000)"),
    ]
    assert doc.root["k5"] == 5 and doc.root["new"] == 1
    assert doc.root.where("new", of_key=True) == (2002, 1)
    assert doc.root.where("absent") is None
