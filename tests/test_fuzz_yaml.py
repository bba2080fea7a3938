"""Fuzz the YAML reader and the whole pipeline with mutated copies of the shipped data files.

Each mutant is the shipped ``targets.yaml`` and ``observations.yaml`` with one to three
byte-level mutations in one of them or both: a bit flipped, a byte inserted or deleted, a line
duplicated, swapped or taken from the other file, the file cut short, control bytes, invalid
UTF-8, deep nesting, huge numbers, anchors, aliases and alias bombs, YAML tokens and tags, and
values of the wrong kind. For every mutant:

- ``cctrack validate`` exits 0 or 1 (never 3, cctrack's "internal error"), prints no traceback,
  gives every problem a line and a column of at least 1 (and a line inside the file), and
  takes at most :data:`BOUND` seconds of CPU (a blow-up: an alias bomb expanded, a quadratic
  read) and :data:`HANG` seconds of wall-clock time (a hang);
- when it exits 0, ``status --format json`` (strict JSON), ``show`` and ``report --html``
  succeed too, each within the same bound.

Every run starts with the shipped files themselves and a fixed set of the most hostile mutants
(each huge number, nesting of 64, 65, 1,000 and 5,000 levels in each style, alias bombs). The
quick run (part of the normal suite) then makes random mutants from a fixed seed, the same
every run, :data:`QUICK` in all; ``show`` then runs for the targets whose definition or
observations the mutation changed (and one more), since the others render what the unmutated
file renders. A longer run, with ``show`` of every target:

    CCTRACK_FUZZ=5000 python -m pytest -q tests/test_fuzz_yaml.py

takes its seed from ``CCTRACK_FUZZ_SEED`` (default: a fresh one, printed on failure). Every
failure names its seed and mutant number, which rebuild the mutant exactly.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import re
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from test_properties import Run, known_crash, visible
from typer.testing import CliRunner

from cctrack.cli import app
from cctrack.dataset import Dataset, load_dataset
from cctrack.location import PACKAGED

# (the Click command is built once per run: tests/conftest.py)


FILES = ("targets.yaml", "observations.yaml")
ORIGINAL = {name: (PACKAGED / name).read_bytes() for name in FILES}
AS_OF = "2025-06-30"
# Guards against blow-ups and hangs, not a benchmark: seconds of CPU per command (what a blow-up
# spends; unlike the time on the clock, not stretched by a loaded machine), and on the clock.
BOUND = 2.0
HANG = 60.0
QUICK = 60
FUZZ = os.environ.get("CCTRACK_FUZZ")
COUNT = int(FUZZ) if FUZZ else QUICK
SEED = int(os.environ.get("CCTRACK_FUZZ_SEED") or (random.randrange(2**32) if FUZZ else 20_241))

# --- mutations ---------------------------------------------------------------------------------

Mutation = Callable[[random.Random, bytes, bytes], bytes]

CONTROL = [b"\x00", b"\x07", b"\x08", b"\x1b", b"\x1b[2J", b"\x7f", b"\t", b"\r", b"\x0c",
           b"\x0b", "\x85".encode(), "\x9b".encode(), "\u2028".encode(), "\ufeff".encode(),
           "\ufffe".encode(), b"\r\n", b"\n"]  # fmt: skip
INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3", b"\xc3(", b"\xed\xa0\x80", b"\xc0\xaf", b"\x80",
                b"\xf4\x90\x80\x80", b"\xe4\xb8", b"\xf0\x9f\x98"]  # fmt: skip
NUMBERS = ["9" * 30, "9" * 31, "9" * 400, "9" * 401, "9" * 5000, "1e30", "1e29", "9.99e29",
           "1e-30", "1e-31", "1e99999999999999999999", "-1e99999", "0x" + "f" * 500,
           "0o" + "7" * 600, "-0", "0.0", ".inf", "-.inf", ".nan", "1_000", "1,0000", "0001",
           "１２３", "٣", "+5.5%", "5.5", "1e10000", "1" + "0" * 29]  # fmt: skip
TOKENS = ["---\n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n",
          "!!python/object/apply:os.system", "!foo ", "!!binary ", "!!timestamp ", "!!set ",
          "!!int ", "!!float ", "!!str ", "!!bool ", "!!null ", "!!map ", "!!seq ", "! ",
          "<<: *cd240307\n", "? ", "? [a]\n",
          "|\n", ">-\n", "|+\n", "&x ", "*x", "*cd240307", "&cd240307 ", "{", "}", "[", "]",
          ", ", "#", "'", '"', ": ", "- ", "\t", "  ", "~"]  # fmt: skip
VALUES = [".nan", "true", "null", "[]", "{}", "[1, 2]", "{a: b}", "2023-02-30", "2023-H3",
          "2023-Q5", "2023-13", "2023-01/2022-12", "2025/2021", "0", "-5", "1e-31", "'2024'",
          "~", '""', "over 9e29", "+5.5%", "5.5", "-100%", "-150%", "+1e5%", "2024年上半年",
          "2024年1-10月", "2024年12月31日", "1000", "9999", "0999", "10000", "about 1e-30",
          "over 300 billion or less", "３１６５亿元", "300多万", "A", "D", "at_least", "final",
          "'unknown-target'", "*cd240307", "&y 5", "!!int five", "!!float 1", "!!str 5",
          "|\n    text", ">\n    folded"]  # fmt: skip


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def flip(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]


def insert_byte(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + bytes([rng.randrange(256)]) + data[i:]


def delete(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 40) :]


def duplicate_line(rng: random.Random, data: bytes, other: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    return b"".join([*lines[: i + 1], lines[i], *lines[i + 1 :]])


def swap_lines(rng: random.Random, data: bytes, other: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"".join(lines)


def splice_line(rng: random.Random, data: bytes, other: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines) + 1)
    return b"".join([*lines[:i], rng.choice(_lines(other)), *lines[i:]])


def truncate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def control(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(CONTROL) + data[i:]


def invalid_utf8(rng: random.Random, data: bytes, other: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(INVALID_UTF8) + data[i:]


def _nests(n: int) -> list[bytes]:
    """``n`` levels of nesting in each style: flow lists (closed or not), flow mappings, stray
    closing brackets, block lists and block mappings (the indentation bounds these to 300)."""
    return [
        ("[" * n + "]" * n).encode(), ("[" * n).encode(), ("{a: " * n + "1" + "}" * n).encode(),
        ("]" * n).encode(), ("".join(f"\n{'  ' * k}- " for k in range(min(n, 300))) + "x").encode(),
        ("".join(f"\n{'  ' * k}k{k}:" for k in range(min(n, 300))) + " x").encode(),
    ]  # fmt: skip


def deep(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Nesting around the 64-level limit and far past it, in flow and in block style."""
    n = rng.choice([62, 63, 64, 65, 100, 999, 1000, 1001, 5000])
    return _replace_value(rng, data, rng.choice(_nests(n)))


def _bomb(width: int, depth: int) -> bytes:
    """A 'billion laughs': ``depth`` anchored lists, each holding ``width`` aliases of the last."""
    return "".join(
        f"\n  l{k}: &l{k} [" + ", ".join([f"*l{k - 1}" if k else "lol"] * width) + "]"
        for k in range(depth)
    ).encode()


def _replace_value(rng: random.Random, data: bytes, new: bytes) -> bytes:
    """``data`` with the value of one ``key: value`` line replaced by ``new``."""
    spots = [m for m in re.finditer(rb"(?m)^[ -]*[A-Za-z_]+: ?(.*)$", data)]
    if not spots:
        return data + new
    m = rng.choice(spots)
    return data[: m.start(1)] + new + data[m.end(1) :]


def huge_number(rng: random.Random, data: bytes, other: bytes) -> bytes:
    digits = [m for m in re.finditer(rb"\d+(?:\.\d+)?", data)]
    new = rng.choice(NUMBERS).encode()
    if not digits or rng.random() < 0.5:
        return _replace_value(rng, data, new)
    m = rng.choice(digits)
    return data[: m.start()] + new + data[m.end() :]


def aliases(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Aliases to known and unknown anchors, anchors moved, and 'billion laughs' bombs."""
    width = rng.choice([2, 9, 10, 50])
    depth = rng.choice([3, 6, 9, 12])
    bomb = _bomb(width, depth)
    choice = rng.choice(["bomb", "bomb-value", "unknown", "known", "anchor", "self"])
    if choice == "bomb":
        return data + b"bomb:" + bomb + b"\n"
    if choice == "bomb-value":
        return _replace_value(rng, data, bomb + f"\n  last: *l{depth - 1}".encode())
    if choice == "unknown":
        return _replace_value(rng, data, b"*nosuch")
    if choice == "known":
        return _replace_value(rng, data, b"*cd240307")
    if choice == "anchor":
        return _replace_value(rng, data, b"&cd240307 {title: again}")
    return _replace_value(rng, data, b"&me [*me]")


def token(rng: random.Random, data: bytes, other: bytes) -> bytes:
    lines = _lines(data)
    i = rng.randrange(len(lines))
    line = lines[i]
    at = rng.randrange(len(line) + 1)
    lines[i] = line[:at] + rng.choice(TOKENS).encode() + line[at:]
    return b"".join(lines)


def wrong_value(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return _replace_value(rng, data, rng.choice(VALUES).encode())


def _entries(data: bytes) -> list[re.Match[bytes]]:
    """The list entries of a data file: from a line starting with ``  - `` to the next."""
    return list(re.finditer(rb"(?ms)^  - .*?(?=^  - |^\S|\Z)", data))


def tweak_number(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """Another number of about the same size: mostly still valid."""
    digits = list(re.finditer(rb"\d+", data))
    if not digits:
        return data
    m = rng.choice(digits)
    new = str(rng.randrange(10 ** (len(m.group()) + rng.choice([-1, 0, 0, 1])) + 1)).encode()
    return data[: m.start()] + new + data[m.end() :]


def duplicate_entry(rng: random.Random, data: bytes, other: bytes) -> bytes:
    entries = _entries(data)
    if not entries:
        return data
    m = rng.choice(entries)
    return data[: m.end()] + m.group() + data[m.end() :]


def drop_entry(rng: random.Random, data: bytes, other: bytes) -> bytes:
    entries = _entries(data)
    if not entries:
        return data
    m = rng.choice(entries)
    return data[: m.start()] + data[m.end() :]


def layout(rng: random.Random, data: bytes, other: bytes) -> bytes:
    """What editors do to a file: line endings, a BOM, comments, blank lines, trailing blanks."""
    choice = rng.choice(["crlf", "cr", "bom", "comment", "blank", "trailing", "no-newline"])
    if choice == "crlf":
        return data.replace(b"\n", b"\r\n")
    if choice == "cr":
        return data.replace(b"\n", b"\r")
    if choice == "bom":
        return b"\xef\xbb\xbf" + data
    if choice == "no-newline":
        return data.rstrip(b"\n")
    lines = _lines(data)
    i = rng.randrange(len(lines))
    if choice == "trailing":
        lines[i] = lines[i].rstrip(b"\r\n") + b"   \n"
    else:
        lines.insert(i, b"# a comment: [bold]x[/] \xe9\x95\xbf\n" if choice == "comment" else b"\n")
    return b"".join(lines)


MUTATIONS: list[Mutation] = [
    flip, insert_byte, delete, duplicate_line, swap_lines, splice_line, truncate, control,
    invalid_utf8, deep, huge_number, aliases, token, wrong_value, wrong_value, huge_number,
    tweak_number, tweak_number, tweak_number, duplicate_entry, duplicate_entry, drop_entry,
    drop_entry, layout, layout,
]  # fmt: skip


@dataclasses.dataclass(frozen=True, slots=True)
class Mutant:
    """The two files of one mutant, and how they were made."""

    number: int
    files: dict[str, bytes]
    how: list[str]

    def label(self) -> str:
        return f"CCTRACK_FUZZ_SEED={SEED} mutant #{self.number} ({', '.join(self.how)})"


def _at_key(data: bytes, key: bytes, new: bytes) -> bytes:
    """``data`` with the value of the first ``key:`` replaced by ``new``."""
    m = re.search(rb"(?m)^[ -]*" + key + rb": (.*)$", data)
    assert m is not None
    return data[: m.start(1)] + new + data[m.end(1) :]


def _systematic() -> list[tuple[str, str, bytes]]:
    """The hostile inputs every run tries, whatever the seed: each huge number as a target and
    as a value, nesting around and far past the limit in each style, and alias bombs."""
    out: list[tuple[str, str, bytes]] = []
    for i, number in enumerate(NUMBERS):
        name = FILES[i % 2]
        key = b"target" if name == FILES[0] else b"value"
        shown = number if len(number) <= 16 else f"{number[:8]}… ({len(number)} characters)"
        out.append((f"number {shown}", name, _at_key(ORIGINAL[name], key, number.encode())))
    for n in (64, 65, 1000, 5000):
        for i, nest in enumerate(_nests(n)):
            name = FILES[i % 2]
            out.append((f"deep {n} style {i}", name, _at_key(ORIGINAL[name], b"source", nest)))
    targets, observations = ORIGINAL[FILES[0]], ORIGINAL[FILES[1]]
    for width, depth in ((10, 6), (9, 9), (50, 4), (2, 30)):
        bomb = _bomb(width, depth)
        out.append((f"bomb {width}x{depth}", FILES[1], observations + b"bomb:" + bomb + b"\n"))
        value = bomb + f"\n  last: *l{depth - 1}".encode()
        out.append((f"bomb as a value {width}x{depth}", FILES[0],
                    _at_key(targets, b"source", value)))  # fmt: skip
    return out


SYSTEMATIC = _systematic()


def mutant(number: int) -> Mutant:
    """Mutant ``number`` of the run's seed: always the same bytes for the same two numbers.
    Number 0 is the shipped data, then come the systematic ones, then random ones."""
    rng = random.Random(f"{SEED}:{number}")
    files = dict(ORIGINAL)
    how: list[str] = []
    if number == 0:  # the shipped files themselves: the path where every command must succeed
        return Mutant(number, files, ["unchanged"])
    if number <= len(SYSTEMATIC):
        what, name, content = SYSTEMATIC[number - 1]
        return Mutant(number, {**files, name: content}, [f"{what} in {name}"])
    names = rng.choice([FILES[:1], FILES[1:], FILES[:1], FILES[1:], FILES])
    for name in names:
        other = ORIGINAL[FILES[1 - FILES.index(name)]]
        for _ in range(rng.choice([1, 1, 1, 2, 3])):
            mutation = rng.choice(MUTATIONS)
            if files[name]:
                files[name] = mutation(rng, files[name], other)
            how.append(f"{mutation.__name__} {name}")
    return Mutant(number, files, how)


# --- running -----------------------------------------------------------------------------------


def cli(args: list[str], env: dict[str, str | None]) -> tuple[int, str, str, float, float]:
    """Exit code, stdout, stderr, seconds of CPU and on the clock taken; an exception escaping
    the command is what the console script reports as an internal error: exit 3."""
    start, cpu = time.perf_counter(), time.process_time()
    result = CliRunner().invoke(app, args, env=env, color=True)
    took, spent = time.perf_counter() - start, time.process_time() - cpu
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        assert result.exc_info is not None
        tb = "".join(traceback.format_exception(*result.exc_info))
        return 3, result.stdout, f"internal error\n{tb}", spent, took
    return result.exit_code, result.stdout, result.stderr, spent, took


def _reject(constant: str) -> Any:
    raise ValueError(f"not strict JSON: {constant}")


def _fingerprint(ds: Dataset) -> dict[str, tuple[Any, ...]]:
    """Per target id, its definition and its observations without their line numbers: what
    ``show`` renders apart from where the entries stand."""
    out: dict[str, tuple[Any, ...]] = {}
    obs = [dataclasses.replace(e.model, line=0) for e in ds.observations]
    for entry in ds.targets:
        t = dataclasses.replace(entry.model, line=0)
        out[t.id] = (t, tuple(sorted(repr(o) for o in obs if o.target == t.id)))
    return out


ORIGINAL_PRINT = _fingerprint(load_dataset(PACKAGED))


def check(m: Mutant, root: Path) -> tuple[list[str], bool]:
    """The invariants for one mutant: what failed, and whether validate found no error."""
    data = root / "data"
    data.mkdir()
    for name, content in m.files.items():
        (data / name).write_bytes(content)
    env = {"CCTRACK_CACHE_DIR": str(root / "cache"), "CCTRACK_NO_CACHE": None,
           "CCTRACK_DATA": None, "CCTRACK_DEBUG": None, "GITHUB_ACTIONS": None,
           "COLUMNS": "120", "NO_COLOR": "1"}  # fmt: skip
    common = ["--data", str(data), "--as-of", AS_OF]
    failed: list[str] = []

    def run(args: list[str], codes: tuple[int, ...]) -> tuple[int, str]:
        code, out, err, spent, took = cli(args, env)
        what = " ".join(a for a in args[:2] if not a.startswith("-"))
        if known_crash(Run(tuple(args), code, out, err)):
            return code, out  # an open bug, tracked by its xfail test in test_properties.py
        if code not in codes:
            failed.append(f"{what}: exit {code}, expected {codes}\n{out[-1500:]}\n{err[-3000:]}")
        if "Traceback" in out + err:
            failed.append(f"{what}: traceback\n{err[-3000:]}")
        if spent > BOUND or took > HANG:
            failed.append(f"{what}: took {spent:.2f} s of CPU, {took:.2f} s on the clock "
                          f"(bounds {BOUND} and {HANG} s)")  # fmt: skip
        return code, out

    code, out = run(["validate", *common, "--format", "json"], (0, 1))
    if code in (0, 1):
        lines = {
            str(data / name): len(content.decode("utf-8", "replace").splitlines()) + 1
            for name, content in m.files.items()
        }
        try:
            problems = json.loads(out, parse_constant=_reject)
        except ValueError as exc:
            return [*failed, f"validate --format json: not strict JSON: {exc}\n{out[:500]}"], False
        for p in problems:
            if not (p["line"] >= 1 and p["col"] >= 1):
                failed.append(f"problem without a position: {p}")
            elif p["file"] in lines and p["line"] > lines[p["file"]]:
                failed.append(f"problem past the end of the file: {p}")
    if code != 0 or failed:
        return failed, False

    code, out = run(["status", *common, "--format", "json"], (0,))
    if code == 0:
        try:
            json.loads(out, parse_constant=_reject)
        except ValueError as exc:
            failed.append(f"status --format json: not strict JSON: {exc}")
    printed = _fingerprint(load_dataset(data))
    ids = list(printed)
    if not FUZZ:  # the quick run: the targets whose data changed, and one more
        changed = [i for i in ids if ORIGINAL_PRINT.get(i) != printed[i]]
        ids = [*changed, ids[m.number % len(ids)]] if ids else []
    for tid in dict.fromkeys(ids):
        run(["show", tid, *common], (0,))
    run(["report", "--html", str(root / "report.html"), *common], (0,))
    return failed, True


def test_mutated_data_files_never_break_a_command() -> None:
    failures: list[str] = []
    valid = 0
    for number in range(COUNT):
        m = mutant(number)
        with tempfile.TemporaryDirectory() as tmp:
            failed, ok = check(m, Path(tmp))
        valid += ok
        failures += [f"{m.label()}: {f}" for f in failed]
    first = visible("\n\n".join(failures[:5]))
    assert not failures, f"{len(failures)} failures; the first:\n{first}"
    # The mutations must leave enough files valid that status, show and report are exercised.
    assert valid >= COUNT // 10, f"only {valid} of {COUNT} mutants were valid"
