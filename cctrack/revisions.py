"""The data files at a git revision, read with ``git show`` (nothing is checked out).

``cctrack diff`` compares two *sides*: each is the data files (of the working tree, or of a git
revision of the repository that holds the data directory) assessed as of a date. The files of a
revision go through the same road as files on disk (read → model → check → assess: the reader
is given their bytes), and every problem names the revision in its location
(``HEAD~1:data/observations.yaml:12:5``).

The default "from" side is the latest commit that touched the data files when the working tree
differs from it (the changes not yet committed are what is new), else the commit before it (the
last commit's change is what is new). git runs as a subprocess with a timeout and no shell;
every failure is a one-line message, never an exception.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from cctrack.location import MAX_BYTES, OBSERVATIONS_FILE, TARGETS_FILE, Unread

if TYPE_CHECKING:
    from cctrack.dataset import Dataset
    from cctrack.diff import State
    from cctrack.pipeline import Result

GIT_TIMEOUT = 60  # seconds for one git command
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
WORKTREE = None  # a side's revision when it is the files on disk


class RevisionError(ValueError):
    """A revision that cannot be read, a date that is none, or a directory outside a git
    repository (one line)."""


def is_date(text: str) -> bool:
    """True when ``--from``/``--to`` is a date (YYYY-MM-DD) rather than a revision."""
    return _DATE.match(text) is not None


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed: a revision cannot be read") from None
    except subprocess.TimeoutExpired:
        raise RevisionError(f"git {args[0]} took over {GIT_TIMEOUT} s") from None


@dataclass(frozen=True, slots=True)
class Repository:
    """The git repository holding a data directory, and the directory's path inside it."""

    root: Path
    prefix: str  # the data directory relative to the root, '' or ending with '/'

    def path(self, name: str) -> str:
        """A data file's path inside the repository."""
        return f"{self.prefix}{name}"


def repository(directory: Path) -> Repository:
    """The repository of ``directory``; RevisionError outside one."""
    if not directory.is_dir():
        raise RevisionError(f"--data: {directory} is not a directory")
    done = _git(directory, "rev-parse", "--show-toplevel", "--show-prefix")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if done.returncode != 0 or not lines:
        raise RevisionError(f"{directory} is not in a git repository: --from and --to take a date")
    return Repository(Path(lines[0]), lines[1] if len(lines) > 1 else "")


def commit_of(repo: Repository, revision: str, option: str) -> str:
    """The commit a revision names (its full hash); RevisionError naming ``option`` if none."""
    if revision.startswith("-"):  # never read as an option of git's
        raise RevisionError(f"{option}: {revision!r} is not a revision")
    done = _git(repo.root, "rev-parse", "--verify", "--quiet", "--end-of-options",
                f"{revision}^{{commit}}")  # fmt: skip
    if done.returncode != 0:
        raise RevisionError(f"{option}: unknown revision {revision!r}")
    return done.stdout.decode().strip()


def read_at(repo: Repository, commit: str, name: str) -> bytes | Unread:
    """A data file's bytes at a commit, or Unread("missing") when it has no such file."""
    done = _git(repo.root, "cat-file", "blob", f"{commit}:{repo.path(name)}")
    if done.returncode != 0:
        return Unread("missing")
    if len(done.stdout) > MAX_BYTES:
        return Unread("oversized", str(len(done.stdout) // 2**20))
    return done.stdout


def default_from(repo: Repository) -> str:
    """The default ``--from``: the latest commit touching the data files when the working tree
    differs from it, else the commit before that one."""
    paths = [repo.path(TARGETS_FILE), repo.path(OBSERVATIONS_FILE)]
    log = _git(repo.root, "log", "-n", "2", "--format=%H", "--", *paths)
    commits = log.stdout.decode().split() if log.returncode == 0 else []
    if not commits:
        raise RevisionError("--from: no commit has touched the data files yet")
    changed = _git(repo.root, "diff", "--quiet", commits[0], "--", *paths).returncode != 0
    untracked = _git(repo.root, "ls-files", "--others", "--exclude-standard", "--", *paths)
    if changed or untracked.stdout.strip():
        return commits[0]
    if len(commits) < 2:
        raise RevisionError("--from: the data files have only one commit and no change since")
    return commits[1]


def label(revision: str, repo: Repository) -> Path:
    """How problems name a revision's data directory: ``REV:data`` (``REV:`` at the root)."""
    return Path(f"{revision}:{repo.prefix.rstrip('/')}")


def short(commit: str) -> str:
    """A commit as shown: its first 12 hex digits."""
    return commit[:12]


def dataset_at(
    repo: Repository, revision: str, commit: str, as_of: date, method: str
) -> tuple[Dataset, Result]:
    """Read, model, check and assess the data files of a commit, as :func:`pipeline.run` does
    the files on disk; problems are located at ``REVISION:path``. A commit without either file
    (before the data existed) is an empty data set: every target is then added."""
    from cctrack.check import check
    from cctrack.dataset import build_dataset
    from cctrack.pipeline import result_of
    from cctrack.yaml_reader import parse_bytes, unread_document

    docs = []
    for name in (TARGETS_FILE, OBSERVATIONS_FILE):
        shown = f"{revision}:{repo.path(name)}"
        data = read_at(repo, commit, name)
        docs.append(
            unread_document(shown, data) if isinstance(data, Unread) else parse_bytes(shown, data)
        )
    ds = build_dataset(label(revision, repo), docs[0], docs[1])
    problems = check(ds, as_of)
    if not any(doc.exists for doc in docs):
        problems = [p for p in problems if p.code != "file-missing"]
    return ds, result_of(ds, problems, as_of, method)


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a diff: the files of ``revision`` (as typed; None for the working tree) at
    its ``commit``, assessed as of ``as_of``."""

    revision: str | None
    commit: str | None
    as_of: date


@dataclass(slots=True)
class Loaded:
    """One side read and assessed: its state, the assessments, how its observations file is
    named, and its problems (nothing is assessed when one is an error)."""

    state: State
    result: Result
    observations_file: str


def sides(
    directory: Path, from_text: str | None, to_text: str | None, as_of: date
) -> tuple[Side, Side]:
    """The two sides ``--from`` and ``--to`` name (README, "diff"); RevisionError with a
    one-line message naming the option (an unknown revision, a bad date).

    A REV side is that commit's files assessed as of ``as_of``. A DATE side is assessed as of
    the date, with the files of the other side when that is a revision, else of the working
    tree. Omitted: ``--to`` is the working tree as of ``as_of``; ``--from`` is
    :func:`default_from` as of ``as_of``, or, when ``--to`` is a date, the working tree."""
    from cctrack.period import PeriodError, parse_date

    def day(text: str, option: str) -> date:
        try:
            return parse_date(text)
        except PeriodError:
            raise RevisionError(f"{option}: {text!r} is not a date (YYYY-MM-DD)") from None

    repo: Repository | None = None

    def commit(text: str, option: str) -> str:
        nonlocal repo
        repo = repo or repository(directory)
        return commit_of(repo, text, option)

    after = Side(None, None, as_of)
    if to_text is not None and not is_date(to_text):
        after = Side(to_text, commit(to_text, "--to"), as_of)
    if from_text is None and (to_text is None or not is_date(to_text)):
        repo = repo or repository(directory)
        found = default_from(repo)
        before = Side(short(found), found, as_of)
    elif from_text is None or is_date(from_text):
        when = day(from_text, "--from") if from_text is not None else as_of
        before = Side(after.revision, after.commit, when)
    else:
        before = Side(from_text, commit(from_text, "--from"), as_of)
    if to_text is not None and is_date(to_text):
        after = Side(before.revision, before.commit, day(to_text, "--to"))
        if from_text is None:
            before = Side(None, None, as_of)
    return before, after


def load(directory: Path, side: Side, method: str) -> Loaded:
    """Read, check and assess one side: the working tree's files (not through the result
    cache: the diff needs every observation) or a commit's."""
    from cctrack.dataset import OBSERVATIONS_FILE, display_path, load_dataset
    from cctrack.diff import State
    from cctrack.pipeline import checked_result

    if side.commit is None or side.revision is None:
        ds = load_dataset(directory)
        result = checked_result(ds, side.as_of, method)
        shown = display_path(directory, OBSERVATIONS_FILE)
    else:
        repo = repository(directory)
        ds, result = dataset_at(repo, side.revision, side.commit, side.as_of, method)
        shown = f"{side.revision}:{repo.path(OBSERVATIONS_FILE)}"
    state = State(tuple(result.targets), tuple(e.model for e in ds.observations), side.as_of,
                  method)  # fmt: skip
    return Loaded(state, result, shown)
