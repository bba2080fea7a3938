"""`cctrack add-observation`: what it writes, what it refuses, and how it writes
(docs/data-format.md §10).

Every data directory here is a copy of the shipped data set, with observations.yaml replaced
where a test needs a particular layout. The CLI assesses as of today, so checks use today too.
"""

from __future__ import annotations

import errno
import fcntl
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import pytest
import yaml
from conftest import OBSERVATIONS, TARGETS, MakeData
from typer.testing import CliRunner, Result

import cctrack
from cctrack.append import Request, _placement, add_observation, entry_fields, render_entry
from cctrack.atomic import SplitLinksError, atomic_write
from cctrack.cli import app
from cctrack.dataset import load_dataset
from cctrack.domain import Observation
from cctrack.pipeline import run
from cctrack.yaml_reader import parse_text

# A real data set, frozen: the shipped data as the first version had it (14th plan, 2023 figures).
# The shipped files change as figures are published; these tests need a data set that does not.
SHIPPED = Path(__file__).parent / "fixtures" / "first-data"


def pyyaml(text: bytes | str) -> Any:
    """The file as PyYAML reads it (a YAML 1.1 reader; libyaml's, as fast as ours)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


PACKAGE_ROOT = Path(cctrack.__file__).parent.parent  # so that subprocesses run this same code
TODAY = date.today()  # the date the CLI assesses and checks as of
URL = "https://example.org/tourism/2024-report"
TMP_PREFIX = ".cctrack-tmp-"

# Characters that need quoting in YAML (block and flow), and Chinese text.
NOTE = "He said: 'over 300' # not a comment, {braces} [brackets] — 长春旅游收入突破三千亿元"
TITLE = 'Report: "tourism", 2024 {draft} # 1 — 长春市文旅局'
PUBLISHER = "People's Daily, 人民日报"
SCOPE = "Changchun: city proper, 长春市区"

FULL = Request(
    target="tourism-revenue",
    period="2024",
    value="over 300 billion",
    source=URL,
    change="+24.4%",
    estimate="preliminary",
    scope=SCOPE,
    source_title=TITLE,
    publisher=PUBLISHER,
    published="2025-02-25",
    reliability="A",
    note=NOTE,
)


# --- helpers --------------------------------------------------------------------------------


def make_dir(
    tmp_path: Path, observations: str | bytes | object | None = ..., name: str = "d"
) -> Path:
    """A copy of the shipped data; ``observations`` replaces observations.yaml (None: no file)."""
    d = tmp_path / name
    shutil.copytree(SHIPPED, d)
    d.chmod(0o755)  # the installed copy may be read-only
    for f in d.iterdir():
        f.chmod(0o644)
    if observations is None:
        (d / "observations.yaml").unlink()
    elif isinstance(observations, str | bytes):
        data = observations.encode("utf-8") if isinstance(observations, str) else observations
        (d / "observations.yaml").write_bytes(data)
    return d


def errors(d: Path) -> list[str]:
    """The validation errors of a data directory, formatted."""
    return [p.format() for p in run(d, TODAY).errors]


def observations(d: Path) -> list[Observation]:
    return [e.model for e in load_dataset(d).observations]


def snapshot(path: Path) -> tuple[bytes, int, int] | None:
    """Bytes, mtime and inode: a rejected add must not touch, let alone replace, the file."""
    if not path.exists():
        return None
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, st.st_ino


def cli(d: Path, *args: str) -> Result:
    """Run ``cctrack add-observation ARGS --data D`` in-process; never a traceback."""
    result = CliRunner().invoke(app, ["add-observation", *args, "--data", str(d)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def sub_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("CCTRACK_DATA", None)
    env.pop("CCTRACK_DEBUG", None)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    return env


def spawn(d: Path, *args: str) -> subprocess.Popen[bytes]:
    """Start ``python -m cctrack add-observation ARGS --data D`` as a separate process."""
    cmd = [sys.executable, "-m", "cctrack", "add-observation", *args, "--data", str(d)]
    return subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=sub_env(), cwd=d.parent
    )


def assert_full_entry(o: Observation) -> None:
    """The new observation holds exactly what FULL asked for."""
    assert o.target == "tourism-revenue"
    assert o.period.text == "2024"
    assert o.value is not None and o.value.value == Decimal("300000000000")
    assert o.effective_bound.value == "at_least"
    assert o.change == Decimal("0.244")
    assert o.estimate.value == "preliminary"
    assert o.scope == SCOPE
    assert o.source.url == URL
    assert o.source.title == TITLE
    assert o.source.publisher == PUBLISHER
    assert o.source.published == "2025-02-25"
    assert o.source.reliability is not None and o.source.reliability.value == "A"
    assert o.note == NOTE


def add_full(d: Path) -> tuple[bytes, bytes]:
    """Add FULL to ``d`` (which must be valid), check the result; return old and new bytes."""
    path = d / "observations.yaml"
    # the one error adding settles: there is no observations.yaml yet
    assert errors(d) == (
        [] if path.exists() else [f"{path}:1:1: error: no observations.yaml in {d} [file-missing]"]
    )
    old = path.read_bytes() if path.exists() else b""
    before = observations(d)
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 0, outcome.message
    new = path.read_bytes()
    assert errors(d) == []
    after = observations(d)
    assert len(after) == len(before) + 1
    assert after[: len(before)] == before
    assert_full_entry(after[-1])
    # an independent reader agrees on the strings that needed quoting
    last = pyyaml(new)["observations"][-1]
    assert (last["note"], last["scope"]) == (NOTE, SCOPE)
    assert (last["source"]["title"], last["source"]["publisher"]) == (TITLE, PUBLISHER)
    return old, new


# --- byte preservation ----------------------------------------------------------------------

ENTRY_2023 = """\
  - target: tourism-revenue   # the city-wide figure
    period: 2023
    value: 241.11 billion yuan
    change: "+208.56%"
    source: {title: "Changchun 2023", publisher: China Daily, url: "https://example.org/a",
             published: 2024-03-07, reliability: A}
"""

COMMENTED = f"""\
# Observed values.
#   one figure per entry

observations:
  # --- Tourism ---
{ENTRY_2023}
  - target: tourist-visits
    period: 2023
    value: '147 million'   # quoted on purpose
    source: {{url: "https://example.org/b", published: 2024-03-07}}

# Trailing comment block: the end of the file.
#   - target: not-an-entry
#
"""

FLOW = """\
observations:
  - {target: nev-output, period: 2023, change: "+40%",
     source: {url: "https://example.org/c", published: 2024-01-12}}
  - target: tourism-revenue
    period: 2023
    value: 2411.1亿元
    source: {title: Changchun 2023, url: "https://example.org/a", published: 2024-03-07}
"""

ANCHORS = """\
observations:
  - target: tourism-revenue
    period: 2023
    value: 241_110_000_000
    source: &cd240307 {title: "Changchun", url: "https://example.org/a", published: 2024-03-07}
  - target: tourist-visits
    period: 2023
    value: 1.47e8
    source: *cd240307
"""

COLUMN_0 = """\
observations:
- target: tourism-revenue
  period: 2023
  value: 241.11 billion
  source: {url: "https://example.org/a", published: 2024-03-07}
"""

INDENT_4 = """\
observations:
    - target: tourism-revenue
      period: 2023
      value: 241.11 billion
      source: {url: "https://example.org/a", published: 2024-03-07}
"""

# name: (bytes of observations.yaml, the entry's dash indentation, line ending)
LAYOUTS: dict[str, tuple[bytes, str, str]] = {
    "shipped": ((SHIPPED / "observations.yaml").read_bytes(), "  ", "\n"),
    "comments": (COMMENTED.encode(), "  ", "\n"),
    "crlf": (COMMENTED.replace("\n", "\r\n").encode(), "  ", "\r\n"),
    "no-final-newline": (COMMENTED.rstrip("\n").encode(), "  ", "\n"),
    "crlf-no-final-newline": (COMMENTED.rstrip("\n").replace("\n", "\r\n").encode(), "  ", "\r\n"),
    "ends-in-entry-no-newline": (INDENT_4.rstrip("\n").encode(), "    ", "\n"),
    "flow-sources": (FLOW.encode(), "  ", "\n"),
    "anchors": (ANCHORS.encode(), "  ", "\n"),
    "bom": (b"\xef\xbb\xbf" + COMMENTED.encode(), "  ", "\n"),
    "bom-crlf": (b"\xef\xbb\xbf" + COMMENTED.replace("\n", "\r\n").encode(), "  ", "\r\n"),
    "column-0": (COLUMN_0.encode(), "", "\n"),
    "indent-4": (INDENT_4.encode(), "    ", "\n"),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_existing_bytes_are_kept_and_entry_follows_the_file_layout(
    tmp_path: Path, layout: str
) -> None:
    old_text, dash, nl = LAYOUTS[layout]
    d = make_dir(tmp_path, old_text)
    old, new = add_full(d)
    assert old == old_text
    assert new.startswith(old), "an existing byte changed"
    tail = new[len(old) :]
    if not old.endswith(b"\n"):  # the last line is ended first, with the file's line ending
        assert tail.startswith(nl.encode())
        tail = tail[len(nl) :]
    lines = tail.decode("utf-8").split(nl)
    assert lines[-1] == "", "the new entry ends with a line break"
    assert lines[0] == f"{dash}- target: tourism-revenue"
    keys = [line.split(":", 1)[0] for line in lines[1:-1]]
    order = ("period", "value", "change", "estimate", "scope", "source", "note")
    assert keys == [f"{dash}  {k}" for k in order]
    if nl == "\r\n":
        assert b"\n" not in new.replace(b"\r\n", b""), "a bare LF in a CRLF file"
    else:
        assert b"\r" not in tail
    assert new.count(b"\xef\xbb\xbf") == old.count(b"\xef\xbb\xbf")


def test_two_adds_in_a_row_keep_each_other(tmp_path: Path) -> None:
    d = make_dir(tmp_path, COMMENTED.replace("\n", "\r\n"))
    path = d / "observations.yaml"
    first = path.read_bytes()
    req = Request(
        target="tourism-revenue",
        period="2022",
        value="100 billion",
        source="https://example.org/2022",
    )
    assert add_observation(d, req, TODAY).code == 0
    second = path.read_bytes()
    assert second.startswith(first)
    old, new = add_full(d)
    assert old == second and new.startswith(second)


# observations.yaml contents that hold no entry: the result is a valid file with just the new one.
EMPTY: dict[str, bytes | None] = {
    "missing": None,
    "empty": b"",
    "bom-only": b"\xef\xbb\xbf",
    "comment-only": b"# no figures yet\n",
    "empty-flow-list": b"observations: []\n",
    "empty-flow-list-no-newline": b"observations: []",
    "empty-flow-list-commented-crlf": b"# head\r\nobservations: []  # none yet\r\n",
    "no-value": b"observations:\n",
    "null": b"observations: null\n",
    "tilde-commented": b"observations: ~  # none yet\n",
}


@pytest.mark.parametrize("name", list(EMPTY))
def test_file_without_entries_gets_exactly_the_new_one(tmp_path: Path, name: str) -> None:
    d = make_dir(tmp_path, EMPTY[name])
    _, new = add_full(d)
    assert len(observations(d)) == 1
    assert list(pyyaml(new)) == ["observations"]
    text = new.decode("utf-8-sig")
    if b"#" in (EMPTY[name] or b""):
        comment = (EMPTY[name] or b"").decode().split("#", 1)[1].splitlines()[0]
        assert comment in text, "a comment was lost"
    if b"\r\n" in (EMPTY[name] or b""):
        assert "\n" not in text.replace("\r\n", "")
    assert new.startswith(b"\xef\xbb\xbf") == (EMPTY[name] or b"").startswith(b"\xef\xbb\xbf")


def test_a_yml_file_in_its_place_is_not_left_behind(tmp_path: Path) -> None:
    """observations.yml where observations.yaml belongs: adding would hide its entries."""
    d = make_dir(tmp_path)
    (d / "observations.yaml").rename(d / "observations.yml")
    before = snapshot(d / "observations.yml")
    for dry in ((), ("--dry-run",)):
        result = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL, *dry)
        assert result.exit_code == 1, result.output
        assert "found observations.yml: cctrack reads observations.yaml" in result.output
        assert not (d / "observations.yaml").exists()
        assert snapshot(d / "observations.yml") == before


def test_a_future_publication_date_is_a_warning(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    req = Request(
        target="tourism-revenue",
        period="2024",
        value="300 billion",
        source=URL,
        published="2999-01-01",
    )
    outcome = add_observation(d, req, TODAY)
    assert outcome.code == 0, outcome.message
    assert [p.code for p in outcome.warnings] == ["published-in-future"]
    assert errors(d) == []


# Text that YAML would read as something else unless quoted; each must come back unchanged.
TRICKY = [
    "yes", "no", "on", "null", "~", "true", "1:30", "010", "1e6", ".inf", ".nan", "2024-01-01",
    "- dash", "#hash", "a #b", "x: y", "a, b", "{x}", "[x]", "'single'", '"double"', "@at",
    "`tick", "%pct", "!tag", "&anchor", "*alias", "|", "> gt", "< lt", "? q", "---", "...",
    "trailing ", " leading", "trailing.", "multi\nline", "tab\tinside", "back\\slash",
    "中文：全角冒号", "emoji 🎉", "nel\x85char", "del\x7fchar", "ls\u2028ps\u2029", "\u00a0nbsp",
]  # fmt: skip


@pytest.mark.parametrize("text", TRICKY, ids=[repr(t) for t in TRICKY])
def test_text_fields_read_back_exactly(tmp_path: Path, text: str) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    old = path.read_bytes()
    req = Request(
        target="tourism-revenue",
        period="2024",
        value="300 billion",
        source=URL,
        source_title=text,
        publisher=text,
        scope=text,
        note=text,
    )
    outcome = add_observation(d, req, TODAY)
    assert outcome.code == 0, outcome.message
    assert path.read_bytes().startswith(old)
    assert errors(d) == []
    new = observations(d)[-1]
    assert (new.note, new.scope, new.source.title, new.source.publisher) == (text,) * 4


@pytest.mark.parametrize(
    ("value", "number", "bound"),
    [
        ("over 300 billion", "300e9", "at_least"),
        ("> 300 billion", "300e9", "at_least"),
        (">300 billion", "300e9", "at_least"),
        ("≥ 3000亿元", "300e9", "at_least"),
        ("突破3000亿元", "300e9", "at_least"),
        ("< 300 billion", "300e9", "at_most"),
        ("under 300 bn", "300e9", "at_most"),
        ("300,000,000,000", "300e9", "exact"),
        ("3_000亿", "300e9", "exact"),
        ("1.5e+11", "150e9", "exact"),
        ("about 300 billion", "300e9", "exact"),
    ],
)
def test_value_spellings_are_understood(
    tmp_path: Path, value: str, number: str, bound: str
) -> None:
    d = make_dir(tmp_path)
    outcome = add_observation(
        d, Request(target="tourism-revenue", period="2024", value=value, source=URL), TODAY
    )
    assert outcome.code == 0, outcome.message
    assert errors(d) == []
    new = observations(d)[-1]
    assert new.value is not None and new.value.value == Decimal(number)
    assert new.effective_bound.value == bound


def test_change_only_observation(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    result = cli(d, "nev-output", "2024", "-", "--change", "-4.5%", "--source", URL)
    assert result.exit_code == 0, result.output
    new = observations(d)[-1]
    assert new.value is None and new.change == Decimal("-0.045")
    assert errors(d) == []


# --- rejections -----------------------------------------------------------------------------

S = ("--source", URL)
REJECTIONS = [
    # (arguments, exit code, phrase in the message)
    (("tourism-revenu", "2024", "5", *S), 2, "did you mean 'tourism-revenue'"),
    (("nosuchthing", "2024", "5", *S), 2, "unknown target"),
    (("tourism-revenue", "2024", "abc", *S), 2, "VALUE"),
    (("tourism-revenue", "2024", "1,00,0", *S), 2, "VALUE"),
    (("tourism-revenue", "2024-13", "5", *S), 2, "PERIOD"),
    (("tourism-revenue", "24", "5", *S), 2, "PERIOD"),
    (("tourism-revenue", "2024", "5", "--change", "5.5", *S), 2, "--change"),
    (("tourism-revenue", "2024", "5", "--estimate", "bogus", *S), 2, "--estimate"),
    (("tourism-revenue", "2024", "5", "--reliability", "D", *S), 2, "--reliability"),
    (("tourism-revenue", "2024", "-", *S), 2, "--change"),
    (("tourism-revenue", "2024", "5"), 2, "--source"),
    (("tourism-revenue", "2024", "5 apples", *S), 1, "does not match the target's unit"),
    (("tourism-revenue", "2024", "3万辆", *S), 1, "does not match the target's unit"),
    (("tourism-revenue", "2024-12-31", "5", *S), 1, "does not fit an annual target"),
    (("tourism-revenue", "2024", "5", "--published", "notadate", *S), 1, "not a date"),
]


@pytest.mark.parametrize(
    ("args", "code", "phrase"),
    REJECTIONS,
    ids=[" ".join(x for x in a if x not in S) for a, _, _ in REJECTIONS],
)
def test_bad_input_is_rejected_and_nothing_is_written(
    tmp_path: Path, args: tuple[str, ...], code: int, phrase: str
) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    before = snapshot(path)
    result = cli(d, *args)
    assert result.exit_code == code, result.output
    assert phrase in result.output
    assert result.stdout == ""
    assert snapshot(path) == before
    assert list(d.glob(TMP_PREFIX + "*")) == []


def entry_line(text: str, target: str, period: str) -> int:
    """The line of ``- target: TARGET`` whose next line is ``period: PERIOD``."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.strip() == f"- target: {target}" and lines[i + 1].strip() == f"period: {period}":
            return i + 1
    raise AssertionError(f"no entry {target} {period}")


@pytest.mark.parametrize("scope", [None, "Changchun"])
def test_duplicate_of_a_shipped_entry_names_its_line(tmp_path: Path, scope: str | None) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    line = entry_line(path.read_text(), "tourism-revenue", "2023")
    before = snapshot(path)
    shipped_url = "https://www.gojilin.gov.cn/changchun/2024/03/07/c_12440.htm"
    extra = ("--scope", scope) if scope else ()
    result = cli(d, "tourism-revenue", "2023", "241.11 billion", "--source", shipped_url, *extra)
    assert result.exit_code == 1, result.output
    assert f"observations.yaml:{line}:" in result.output
    assert "exists already" in result.output
    assert snapshot(path) == before


def test_duplicate_of_an_added_entry_is_rejected_but_other_estimate_is_not(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    new_line = path.read_text().count("\n") + 1
    args = ("tourism-revenue", "2024", "300 billion", "--source", URL)
    assert cli(d, *args).exit_code == 0
    before = snapshot(path)
    again = cli(d, *args[:2], "310 billion", *args[3:])  # another value: still the same entry
    assert again.exit_code == 1, again.output
    assert f"observations.yaml:{new_line}:" in again.output
    assert snapshot(path) == before
    for other in (
        (*args, "--estimate", "preliminary"),
        (*args, "--scope", "Jilin"),
        (*args[:4], URL + "?v=2"),
    ):
        result = cli(d, *other)
        assert result.exit_code == 0, (other, result.output)
    assert errors(d) == []


BROKEN = {
    "observations": (
        "observations.yaml",
        "  - target: tourism-revenue\n    period: 2022\n    valu: 5\n    source: {url: x}\n",
    ),
    "targets": ("targets.yaml", "\n  - id: broken\n    name: Broken\n"),
}  # fmt: skip


@pytest.mark.parametrize("where", list(BROKEN))
def test_data_with_an_error_is_not_added_to(tmp_path: Path, where: str) -> None:
    d = make_dir(tmp_path)
    name, extra = BROKEN[where]
    with (d / name).open("a", encoding="utf-8") as f:
        f.write(extra)
    assert errors(d) != []
    path = d / "observations.yaml"
    before = snapshot(path)
    for dry in ((), ("--dry-run",)):
        result = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL, *dry)
        assert result.exit_code == 1, result.output
        assert "fix them first" in result.output
        assert snapshot(path) == before


def test_unwritable_shape_is_rejected(tmp_path: Path) -> None:
    """A non-empty flow list cannot be appended to as text: a clear refusal, nothing written."""
    flow = 'observations: [{target: nev-output, period: 2023, change: "+40%", source: {url: x}}]\n'
    d = make_dir(tmp_path, flow)
    assert errors(d) == []
    path = d / "observations.yaml"
    before = snapshot(path)
    result = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL)
    assert result.exit_code == 1, result.output
    assert "flow list" in result.output
    assert snapshot(path) == before


# --- dry run and output ---------------------------------------------------------------------


def full_args() -> list[str]:
    return [
        "tourism-revenue", "2024", "over 300 billion", "--change", "+24.4%",
        "--estimate", "preliminary", "--scope", SCOPE, "--source", URL, "--source-title", TITLE,
        "--publisher", PUBLISHER, "--published", "2025-02-25", "--reliability", "A",
        "--note", NOTE,
    ]  # fmt: skip


def test_dry_run_prints_the_entry_and_writes_nothing(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    before = snapshot(path)
    result = cli(d, *full_args(), "--dry-run")
    assert result.exit_code == 0, result.output
    assert snapshot(path) == before
    assert sorted(os.listdir(d)) == ["observations.yaml", "targets.yaml"]
    assert result.stdout.startswith("  - target: tourism-revenue\n")
    (entry,) = pyyaml(result.stdout)
    assert entry["note"] == NOTE and entry["source"]["title"] == TITLE
    # the entry printed is the entry a real add appends
    assert cli(d, *full_args()).exit_code == 0
    assert path.read_bytes() == before[0] + result.stdout.encode("utf-8")  # type: ignore[index]


def test_successful_add_reports_the_value_as_understood_then_the_status(tmp_path: Path) -> None:
    d = make_dir(tmp_path, "observations: []\n")  # 2024 becomes the newest figure
    args = ["tourism-revenue", "2024", "over 300 billion", "--change", "+24.4%"]
    result = cli(d, *args, "--source", URL, "--published", "2025-02-25")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "recorded tourism-revenue 2024 ≥ 300 bn yuan (+24.4%)"
    assert len(lines) == 2
    assert lines[1].startswith("tourism-revenue")
    assert "300 bn" in lines[1]

    result = cli(d, "tourism-revenue", "2022", "about 1000亿元", "--estimate", "expected",
                 "--scope", "Jilin", "--source", URL)  # fmt: skip
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first == "recorded tourism-revenue 2022 ≈ 100 bn yuan [expected, scope Jilin]"


# --- write safety ---------------------------------------------------------------------------


@pytest.mark.slow
def test_twenty_concurrent_writers_leave_twenty_entries(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    old = path.read_bytes()
    n_old = len(observations(d))
    periods = [str(y) for y in range(2001, 2021)]
    procs = [
        spawn(d, "tourism-revenue", p, f"{int(p) - 1900} billion", "--source", f"{URL}/{p}")
        for p in periods
    ]
    results = [(p.wait(timeout=120), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert code == 0, err.decode()
        assert b"Traceback" not in out + err
        assert out.startswith(b"recorded tourism-revenue ")
    new = path.read_bytes()
    assert new.startswith(old)
    obs = observations(d)
    assert len(obs) == n_old + 20
    added = obs[n_old:]
    assert sorted(o.period.text for o in added) == periods
    for o in added:
        assert o.value is not None and o.value.value == (int(o.period.text) - 1900) * 10**9
        assert o.source.url == f"{URL}/{o.period.text}"
    assert errors(d) == []
    assert list(d.glob(TMP_PREFIX + "*")) == []


def timed_add(d: Path, args: list[str]) -> tuple[float, float]:
    """Run one add to the end: seconds until the file changed, and until the process exited."""
    path = d / "observations.yaml"
    before = path.read_bytes()
    start = time.perf_counter()
    proc = spawn(d, *args)
    written = None
    while proc.poll() is None:
        if written is None and path.read_bytes() != before:
            written = time.perf_counter() - start
        time.sleep(0.001)
    total = time.perf_counter() - start
    proc.communicate()
    assert proc.returncode == 0
    return (written or total), total


@pytest.mark.slow
def test_sigkill_at_any_moment_leaves_old_or_new_file(tmp_path: Path) -> None:
    runs = 60
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    old = path.read_bytes()
    args = ["tourism-revenue", "2024", "over 300 billion", "--change", "+24.4%", "--source", URL,
            "--published", "2025-02-25", "--note", NOTE]  # fmt: skip

    # Calibrate on this machine: when does one add write, and when is it done?
    timings = []
    for _ in range(3):
        timings.append(timed_add(d, args))
        new = path.read_bytes()
        path.write_bytes(old)
    write_at = min(w for w, _ in timings)
    done_at = max(t for _, t in timings)
    assert new.startswith(old) and new != old
    valid = {old: errors(d) == []}
    path.write_bytes(new)
    valid[new] = errors(d) == []
    assert valid == {old: True, new: True}

    # Kill moments spread evenly (each at random within its slot) from the start of the process
    # to a little after it is done, so that some land before the write and some after.
    span = done_at * 1.3
    delays = [(i + random.random()) * span / runs for i in range(runs)]
    random.shuffle(delays)
    seen = {"old": 0, "new": 0, "tmp left": 0}
    for delay in delays:
        path.write_bytes(old)
        proc = spawn(d, *args)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate()
        got = path.read_bytes()
        assert got in (old, new), f"killed after {delay * 1000:.0f} ms: a torn file"
        seen["old" if got == old else "new"] += 1
        seen["tmp left"] += bool(list(d.glob(TMP_PREFIX + "*")))
    print(f"write at ~{write_at * 1000:.0f} ms, done at ~{done_at * 1000:.0f} ms: {seen}")
    assert seen["old"] >= 1 and seen["new"] >= 1, seen

    # whatever the kills left behind, the next add works and cleans up
    path.write_bytes(old)
    assert cli(d, *args).exit_code == 0
    assert path.read_bytes() == new
    assert list(d.glob(TMP_PREFIX + "*")) == []


def test_stale_temporary_files_are_removed_by_the_next_add(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    for name in ("abc123", "zz_9", "observations.yaml"):
        (d / f"{TMP_PREFIX}{name}").write_bytes(b"observations:\n  - half a wri")
    (d / "notes.txt").write_text("mine")
    result = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL)
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(d)) == ["notes.txt", "observations.yaml", "targets.yaml"]
    assert errors(d) == []


def test_file_mode_is_kept(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    path.chmod(0o640)
    assert cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("what", ["file", "directory"])
def test_read_only_data_is_refused_cleanly(tmp_path: Path, what: str) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    target, mode, restore = (path, 0o444, 0o644) if what == "file" else (d, 0o555, 0o755)
    before = snapshot(path)
    target.chmod(mode)
    try:
        result = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL)
        assert result.exit_code == 1, result.output
        assert "read-only" in result.output
        assert str(target) in result.output
        assert snapshot(path) == before
        assert list(d.glob(TMP_PREFIX + "*")) == []
        dry = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL, "--dry-run")
        assert dry.exit_code == 0, dry.output  # looking is still allowed
    finally:
        target.chmod(restore)
    assert snapshot(path) == before


def test_read_only_file_in_a_subprocess_prints_no_traceback(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    before = snapshot(path)
    path.chmod(0o444)
    try:
        proc = spawn(d, "tourism-revenue", "2024", "300 billion", "--source", URL)
        out, err = proc.communicate(timeout=60)
    finally:
        path.chmod(0o644)
    assert proc.returncode == 1
    assert out == b""
    assert b"Traceback" not in err and b"read-only" in err
    assert snapshot(path) == before


# --- free text stays text, exactly ----------------------------------------------------------

ADD = ("tourism-revenue", "2024", "300 billion", "--source", URL)

# Free text that a YAML reader would take for a number, a boolean or a date if written plain.
LOOKS_LIKE_DATA = ["2024", "True", "false", "1.5", "123", "-7", "+1", "1e5", ".5", "0x1F", "yes",
                   "on", "1_000", "2024-01-01"]  # fmt: skip


@pytest.mark.parametrize("text", LOOKS_LIKE_DATA)
def test_free_text_that_reads_as_a_number_or_boolean_is_stored_as_text(
    tmp_path: Path, text: str
) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    old = path.read_bytes()
    # --source without a URL is the title; then --source-title beside a URL
    as_text = ("--note", text, "--scope", text, "--publisher", text)
    result = cli(d, *ADD[:3], "--source", text, *as_text)
    assert result.exit_code == 0, result.output
    result = cli(d, *ADD, "--source-title", text)
    assert result.exit_code == 0, result.output
    new = path.read_bytes()
    assert new.startswith(old)
    assert errors(d) == []
    first, second = observations(d)[-2:]
    assert (first.note, first.scope, first.source.title, first.source.publisher) == (text,) * 4
    assert second.source.title == text
    # a YAML 1.1 reader (PyYAML) reads the same strings
    one, two = pyyaml(new)["observations"][-2:]
    got = [one["note"], one["scope"], one["source"]["title"], one["source"]["publisher"]]
    assert [*got, two["source"]["title"]] == [text] * 5


def test_a_target_whose_id_reads_as_a_number_gets_observations(make_data: MakeData) -> None:
    """``id: "2035"`` is a valid id; ``target: 2035`` would be the number 2035."""
    d = make_data(TARGETS.replace("id: nev", 'id: "2035"'),
                  OBSERVATIONS.replace("target: nev", 'target: "2035"'))  # fmt: skip
    assert errors(d) == []
    result = cli(d, "2035", "2024", "600000", "--source", URL, "--published", "2025-01-20")
    assert result.exit_code == 0, result.output
    assert errors(d) == []
    assert [o.target for o in observations(d)] == ["2035", "2035"]
    assert pyyaml((d / "observations.yaml").read_bytes())["observations"][-1] == {
        "target": "2035", "period": 2024, "value": 600000,
        "source": {"url": URL, "published": date(2025, 1, 20)},  # a YAML 1.1 timestamp
    }  # fmt: skip


# Characters that must be written as escapes: controls (tab included), DEL and C1 controls, a
# BOM, and the line breaks YAML 1.1 readers know beyond CR and LF (NEL, U+2028, U+2029).
CONTROL = ["ls\u2028ps\u2029", "ends in ls\u2028", "nel\x85", "tab\tinside", "bell\x07",
           "esc\x1b[0m", "nul\x00", "del\x7f", "csi\x9b", "cr\ronly", "crlf\r\n", "vt\x0bff\x0c",
           "fs\x1cgs\x1drs\x1e", "\ufeffbom"]  # fmt: skip
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


@pytest.mark.parametrize("text", CONTROL, ids=[repr(t) for t in CONTROL])
def test_control_characters_and_line_separators_are_escaped(tmp_path: Path, text: str) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    old = path.read_bytes()
    as_text = ("--note", text, "--scope", text, "--publisher", text, "--source-title", text)
    result = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL, *as_text)
    assert result.exit_code == 0, result.output
    new = path.read_bytes()
    assert new.startswith(old)
    tail = new[len(old) :].decode("utf-8")
    assert not RAW.search(tail), "a raw control character or line separator"
    # one line per field, whoever counts the lines (str.splitlines breaks at all of the above)
    assert len(tail.splitlines()) == tail.count("\n") == 6
    assert errors(d) == []
    o = observations(d)[-1]
    assert (o.note, o.scope, o.source.title, o.source.publisher) == (text,) * 4
    last = pyyaml(new)["observations"][-1]
    assert (last["note"], last["source"]["title"]) == (text, text)


BLOCK_AT_END = """\
observations:
  - target: tourism-revenue
    period: 2023
    value: 241.11 billion
    source: {url: "https://example.org/a", published: 2024-03-07}
    note: HEADER
      first line

      last line"""
HEADERS = ["|", "|-", "|+", ">", ">-", ">+", "|2", "|+2", "|2+", ">-2", "|  # a comment"]
ENDINGS = {"at the last line": "", "blank last line": "\n\n    ", "crlf": "\r\n"}


@pytest.mark.parametrize("ending", list(ENDINGS))
@pytest.mark.parametrize("header", HEADERS)
def test_a_block_scalar_at_the_end_without_a_final_newline_keeps_its_text(
    tmp_path: Path, header: str, ending: str
) -> None:
    text = BLOCK_AT_END.replace("HEADER", header)
    if ending == "crlf":
        text = text.replace("\n", "\r\n")
    else:
        text += ENDINGS[ending]
    d = make_dir(tmp_path, text)
    assert errors(d) == []
    before = observations(d)
    result = cli(d, "tourism-revenue", "2024", "300 billion", "--source", URL)
    assert result.exit_code == 0, result.output
    new = (d / "observations.yaml").read_bytes().decode("utf-8")
    assert errors(d) == []
    after = observations(d)
    assert after[:-1] == before, "an existing entry changed"
    assert pyyaml(new)["observations"][:-1] == pyyaml(text)["observations"]
    # the old lines are kept, but for the header (given '-') and a last line of blanks
    nl = "\r\n" if ending == "crlf" else "\n"
    head = new[: new.index(f"  - target: tourism-revenue{nl}    period: 2024{nl}")]
    old_lines, new_lines = text.split(nl), head.split(nl)[:-1]
    if len(new_lines) == len(old_lines) - 1:  # a last line of blanks was dropped
        assert ending == "blank last line" and old_lines.pop() == "    "
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert all(a.strip().startswith("note:") for a, _ in changed), changed
    if header in ("|-", ">-", ">-2") and ending != "blank last line":
        assert new.startswith(text)


# --- links ----------------------------------------------------------------------------------


def test_a_symlinked_file_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    real = elsewhere / "obs.yaml"
    (d / "observations.yaml").rename(real)
    real.chmod(0o640)
    link = d / "observations.yaml"
    link.symlink_to(os.path.join("..", "elsewhere", "obs.yaml"))
    (elsewhere / f"{TMP_PREFIX}left-by-a-killed-writer").write_bytes(b"observations:\n  - ha")
    old = real.read_bytes()
    result = cli(d, *ADD)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == os.path.join("..", "elsewhere", "obs.yaml")
    new = real.read_bytes()
    assert new.startswith(old) and new != old
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert errors(d) == []
    assert observations(d)[-1].source.url == URL
    assert sorted(os.listdir(elsewhere)) == ["obs.yaml"]
    assert sorted(os.listdir(d)) == ["observations.yaml", "targets.yaml"]


@pytest.mark.slow  # waits 1.5 s on a held lock
def test_a_writer_through_a_link_waits_for_the_lock_on_the_real_files_directory(
    tmp_path: Path,
) -> None:
    """Two data directories may link to one file: both writers lock the directory holding it."""
    d = make_dir(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "observations.yaml"
    (d / "observations.yaml").rename(real)
    (d / "observations.yaml").symlink_to(real)
    before = real.read_bytes()
    fd = os.open(shared, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # as another data directory's writer would hold it
        proc = spawn(d, *ADD)
        time.sleep(1.5)
        assert proc.poll() is None and real.read_bytes() == before, "it did not wait"
    finally:
        os.close(fd)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err.decode()
    assert real.read_bytes().startswith(before) and real.read_bytes() != before


@pytest.mark.parametrize("how", ["hard link", "symlink to a hard-linked file"])
def test_a_hard_linked_file_is_refused_and_both_names_kept(tmp_path: Path, how: str) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    other = tmp_path / "observations-backup.yaml"
    if how == "hard link":
        os.link(path, other)
    else:
        real = tmp_path / "real.yaml"
        path.rename(real)
        os.link(real, other)
        path.symlink_to(real)
    before = (snapshot(path), snapshot(other))
    result = cli(d, *ADD)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "2 hard links" in lines[0] and str(path) in lines[0], lines
    assert (snapshot(path), snapshot(other)) == before
    assert os.stat(other).st_nlink == 2
    assert path.is_symlink() == (how != "hard link")
    assert [p.name for p in tmp_path.rglob(TMP_PREFIX + "*")] == []
    dry = cli(d, *ADD, "--dry-run")  # looking is still allowed
    assert dry.exit_code == 0, dry.output


def test_atomic_write_refuses_hard_links_and_writes_through_symlinks(tmp_path: Path) -> None:
    """What the report and the cache get too; and a second line of defence for add-observation,
    whose check of the link count comes before the lock."""
    target = tmp_path / "page.html"
    target.write_bytes(b"old")
    os.link(target, tmp_path / "published.html")
    with pytest.raises(SplitLinksError) as caught:
        atomic_write(target, b"new")
    assert caught.value.errno == errno.EMLINK and "2 hard links" in str(caught.value.strerror)
    assert target.read_bytes() == b"old" and os.stat(target).st_nlink == 2
    (tmp_path / "published.html").unlink()
    link = tmp_path / "link.html"
    link.symlink_to("page.html")
    atomic_write(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert sorted(os.listdir(tmp_path)) == ["link.html", "page.html"]


def test_atomic_write_of_a_writer_is_all_or_nothing(tmp_path: Path) -> None:
    """A function that writes into the open file (the cache's pickle, dumped as it is made)
    replaces the file whole; one that fails midway leaves the old file and no temporary."""
    target = tmp_path / "entry.pickle"
    target.write_bytes(b"old")

    def whole(handle: BinaryIO) -> None:
        handle.write(b"new ")
        handle.write(b"bytes")

    atomic_write(target, whole)
    assert target.read_bytes() == b"new bytes"

    def broken(handle: BinaryIO) -> None:
        handle.write(b"half")
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        atomic_write(target, broken)
    assert target.read_bytes() == b"new bytes" and os.listdir(tmp_path) == ["entry.pickle"]


# --- layouts that validate reads ------------------------------------------------------------

LONE_DASH = """\
observations:
  -
    target: tourism-revenue
    period: 2023
    value: 241.11 billion
    source: {url: "https://example.org/a", published: 2024-03-07}
  -   # a comment after the dash
    target: tourist-visits
    period: 2023
    value: 147 million
    source: {url: "https://example.org/b", published: 2024-03-07}
"""

DOC_END = """\
observations:
  - target: tourism-revenue
    period: 2023
    value: 241.11 billion
    source: {url: "https://example.org/a", published: 2024-03-07}
# the last entry
... # end of the document
# a comment after it
"""

# name: (observations.yaml, where the old text ends up: "prefix" or "around" the entry)
UNUSUAL: dict[str, tuple[str, str]] = {
    "lone dash": (LONE_DASH, "prefix"),
    "document end marker": (DOC_END, "around"),
    "document end marker, no final newline": (DOC_END.rstrip("\n"), "around"),
    "document end marker, cr line endings": (DOC_END.replace("\n", "\r"), "around"),
    "cr line endings": (LONE_DASH.replace("\n", "\r"), "prefix"),
    "cr line endings, no final newline": (COMMENTED.rstrip("\n").replace("\n", "\r"), "prefix"),
    # as written by an older cctrack: a raw U+2028 inside quotes, a line break to libyaml
    "raw line separator": (LONE_DASH.replace("147 million", '"147\u2028million"'), "prefix"),
}


DOC_END_LINE = re.compile(r"(?:^|(?<=\r))\.\.\.", re.MULTILINE)


def check_placed(d: Path, text: str, new: str, placed: str) -> None:
    """``new`` (observations.yaml after adding FULL to ``text``) is valid, keeps the old entries
    as they were read, and keeps the old text around the entry."""
    old_root = parse_text("observations.yaml", text).root["observations"]
    root = parse_text("observations.yaml", new).root["observations"]
    assert root[:-1] == old_root and len(root) == len(old_root) + 1
    assert errors(d) == []
    assert_full_entry(observations(d)[-1])
    if placed == "prefix":
        assert new.startswith(text)
    else:  # the entry goes before the document end marker, which stays, with what follows
        found = DOC_END_LINE.search(text)
        assert found is not None
        marker = found.start()
        assert new.startswith(text[:marker]) and new.endswith(text[marker:])
        assert len(DOC_END_LINE.findall(new)) == 1


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_placement_of_an_entry_in_unusual_layouts(tmp_path: Path, name: str) -> None:
    """The new text is ``before + entry + after`` (what add-observation writes once it uses
    Layout.after and Layout.newline), on the line Layout.first_line says."""
    text, placed = UNUSUAL[name]
    d = make_dir(tmp_path, text)
    assert errors(d) == []
    place = _placement(text, parse_text("observations.yaml", text).root)
    assert not isinstance(place, str), place
    entry = render_entry(entry_fields(FULL), place.dash, place.newline)
    new = place.before + entry + place.after
    (d / "observations.yaml").write_text(new, encoding="utf-8", newline="")
    check_placed(d, text, new, placed)
    assert observations(d)[-1].line == place.first_line
    if "cr" in name:
        assert "\n" not in new


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_add_observation_appends_to_unusual_layouts(tmp_path: Path, name: str) -> None:
    text, placed = UNUSUAL[name]
    d = make_dir(tmp_path, text)
    assert errors(d) == []
    path = d / "observations.yaml"
    outcome = add_observation(d, FULL, TODAY)
    assert outcome.code == 0, outcome.message
    check_placed(d, text, path.read_bytes().decode("utf-8"), placed)


# --- the data directory ---------------------------------------------------------------------


def test_a_missing_data_directory_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-directory"
    result = cli(missing, *ADD)
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0] and "does not exist" in lines[0], lines
    assert not missing.exists()


def test_a_missing_data_directory_is_named_in_a_dry_run_too(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-directory"
    result = cli(missing, *ADD, "--dry-run")
    assert result.exit_code == 1, result.output
    assert str(missing) in result.output and "does not exist" in result.output


# --- canonical forms ------------------------------------------------------------------------


def test_numbers_periods_and_dates_are_written_in_canonical_form(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    old = path.read_bytes()
    period, value, change = "２０２４年上半年", "突破１，５００亿元", "＋２４．４％"
    published = "2025年2月25日"
    args = ("--change", change, "--source", URL, "--published", published)
    result = cli(d, "tourism-revenue", period, value, *args)
    assert result.exit_code == 0, result.output
    new = path.read_bytes()
    assert new.startswith(old)
    tail = new[len(old) :].decode("utf-8")
    for line in ("period: 2024-H1", "value: 突破1,500亿元", "change: +24.4%",
                 f'source: {{url: "{URL}", published: 2025-02-25}}'):  # fmt: skip
        assert f"    {line}\n" in tail, (line, tail)
    assert not re.search("[０-９，．％＋－]|年|月|日", tail)
    assert errors(d) == []
    o = observations(d)[-1]
    assert o.period.text == "2024-H1" and o.source.published == "2025-02-25"
    assert o.value is not None and o.value.value == Decimal("150e9")
    assert o.effective_bound.value == "at_least" and o.change == Decimal("0.244")


# --- price basis and percentage points ---------------------------------------------------------


def test_price_basis_is_written_and_read_back(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    result = cli(d, "gdp-growth-2024", "2024", "-", "--change", "+4.8%", "--price-basis", "real",
                 "--source", URL, "--published", "2025-02-25")  # fmt: skip
    assert result.exit_code == 0, result.output
    added = observations(d)[-1]
    assert added.price_basis is not None and added.price_basis.value == "real"
    assert added.real_change and errors(d) == []


def test_price_basis_without_a_change_is_a_usage_error(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
    path = d / "observations.yaml"
    before = snapshot(path)
    result = cli(d, "tourism-revenue", "2024", "300 billion", "--price-basis", "real",
                 "--source", URL)  # fmt: skip
    assert result.exit_code == 2
    assert "--price-basis" in result.stderr and "--change" in result.stderr
    assert snapshot(path) == before


def test_a_change_in_percentage_points_is_accepted_as_typed(make_data: MakeData) -> None:
    targets = TARGETS.replace("unit: vehicles", "unit: percent").replace(
        "target: 700000", 'target: "60%"'
    )
    d = make_data(targets, OBSERVATIONS.replace("value: 500000", 'value: "55%"'))
    result = cli(d, "nev", "2024", "-", "--change", "+1.2个百分点", "--source", URL)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("recorded nev 2024 (+1.2 pp)")
    added = observations(d)[-1]
    assert added.change == Decimal("0.012") and added.change_points


def test_a_change_in_points_with_a_qualifier_after_it_is_read_as_6_5_pct_above_is(
    make_data: MakeData,
) -> None:
    targets = TARGETS.replace("unit: vehicles", "unit: percent").replace(
        "target: 700000", 'target: "60%"'
    )
    d = make_data(targets, OBSERVATIONS.replace("value: 500000", 'value: "55%"'))
    result = cli(d, "nev", "2024", "-", "--change", "1.2个百分点以上", "--source", URL)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("recorded nev 2024 (+1.2 pp)")
    added = observations(d)[-1]
    assert added.change == Decimal("0.012") and added.change_points and added.change_qualified
    assert "change '1.2个百分点以上' is used as +1.2 points" in result.output  # change-qualifier


@pytest.mark.parametrize(
    ("args", "named"),
    [(("-", "--change", "-200%"), "--change: a change below -100%"),
     (("-", "--change", "+1.2pp"), "--change: a change in percentage points fits a share")],
)  # fmt: skip
def test_a_rejection_made_by_the_file_check_names_the_option(
    make_data: MakeData, args: tuple[str, ...], named: str
) -> None:
    # the check's message speaks of the file's field; the command names the option typed
    d = make_data()
    path = d / "observations.yaml"
    before = snapshot(path)
    result = cli(d, "nev", "2024", *args, "--source", URL)
    assert result.exit_code == 1, result.output
    assert f"observation rejected: {named}" in result.output, result.output
    assert snapshot(path) == before


def test_a_bare_number_is_refused_for_what_it_is_not_for_the_words_of_its_message(
    make_data: MakeData,
) -> None:
    # a short number on a large level target is refused as a jump (1/167 of 500000), not as
    # the bare rate of a growth target because the target's unit reads "growth target"
    unit = "growth target points"
    d = make_data(TARGETS.replace("unit: vehicles", f"unit: {unit}").replace("700000", "7000000"))
    result = cli(d, "nev", "2024", "3000", "--source", URL)
    assert result.exit_code == 1 and "[implausible-jump]" in result.output, result.output
    assert "[bare-number]" not in result.output
    growth = make_data(TARGETS.replace("unit: vehicles", "unit: vehicles\n    kind: growth")
                       .replace("700000", "5.5%"))  # fmt: skip
    bare = cli(growth, "nev", "2024", "4.9", "--source", URL)
    assert bare.exit_code == 1 and "[bare-number]" in bare.output


def test_a_file_holds_what_was_written_only_when_byte_for_byte(tmp_path: Path) -> None:
    """The read-back after a write (``location.holds``, a block at a time): equal bytes hold;
    a file shorter, longer or different by one byte, a directory or a missing file do not."""
    from cctrack.location import holds

    data = bytes(range(256)) * 9000  # over two blocks of the read
    path = tmp_path / "f"
    path.write_bytes(data)
    assert holds(path, data)
    for other in (data[:-1], data + b"x", data[:-1] + b"y", b""):
        assert not holds(path, other)
    assert not holds(tmp_path, data)
    assert not holds(tmp_path / "missing", data)
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    assert holds(empty, b"")
