"""`cctrack add-observation`: what it writes, what it refuses, and how it writes (DESIGN §4, §6.2).

Every data directory here is a copy of the shipped data set, with observations.yaml replaced
where a test needs a particular layout. The CLI assesses as of today, so checks use today too.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

import cctrack
from cctrack.append import Request, add_observation
from cctrack.check import validate
from cctrack.cli import app
from cctrack.dataset import load_dataset
from cctrack.model import Observation

SHIPPED = Path(cctrack.__file__).parent / "data"
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
    _, problems = validate(str(d), TODAY)
    return [p.format() for p in problems if p.is_error]


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
    last = yaml.safe_load(new)["observations"][-1]
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
    req = Request("tourism-revenue", "2022", "100 billion", "https://example.org/2022")
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
    assert list(yaml.safe_load(new)) == ["observations"]
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
    req = Request("tourism-revenue", "2024", "300 billion", URL, published="2999-01-01")
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
        "tourism-revenue", "2024", "300 billion", URL, source_title=text, publisher=text,
        scope=text, note=text,
    )  # fmt: skip
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
    outcome = add_observation(d, Request("tourism-revenue", "2024", value, URL), TODAY)
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
    (entry,) = yaml.safe_load(result.stdout)
    assert entry["note"] == NOTE and entry["source"]["title"] == TITLE
    # the entry printed is the entry a real add appends
    assert cli(d, *full_args()).exit_code == 0
    assert path.read_bytes() == before[0] + result.stdout.encode("utf-8")  # type: ignore[index]


def test_successful_add_reports_the_value_as_understood_then_the_status(tmp_path: Path) -> None:
    d = make_dir(tmp_path)
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
    assert first == "recorded tourism-revenue 2022 ~100 bn yuan [expected, scope Jilin]"


# --- write safety ---------------------------------------------------------------------------


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
