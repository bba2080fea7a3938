"""The command line: parse arguments, call the core, hand the result to a renderer.

Only Typer is imported at module level so that ``cctrack --help`` stays as fast as a bare Typer
app; each command imports the core it needs when it runs.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from cctrack.categories import CATEGORIES
from cctrack.exitcode import ExitCode
from cctrack.render.catalogue import languages
from cctrack.vocabulary import Bound, Confidence, Estimate, Method, PriceBasis, Reliability

if TYPE_CHECKING:  # imported for annotations only: `--help` must not load the core
    from datetime import date
    from pathlib import Path

    from rich.console import Console

    from cctrack import replay
    from cctrack.pipeline import Result

app = typer.Typer(
    name="cctrack",
    help="Track a city's stated development targets against observed figures.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

DataOpt = Annotated[
    str | None,
    typer.Option(
        "--data",
        metavar="DIR",
        help="Data directory (default: $CCTRACK_DATA, else ./data, else the shipped data set).",
        show_default=False,
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Assess as of this date (YYYY-MM-DD); default today."
    ),
]


# The command line's choices. Those of the domain are its enumerations, imported from
# cctrack.vocabulary (which imports nothing, so `--help` loads no core module): Method,
# Confidence, Estimate, Bound, Reliability, PriceBasis, and the categories of --fail-on from
# cctrack.categories. The rest are the command line's own: the formats and languages the
# renderers make, and the data files whose schema can be printed. tests/test_cli_meta.py checks
# every choice of every command against the values of the code that takes it.


class ProblemFormat(str, Enum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"


class StatusFormat(str, Enum):
    """Output formats of ``status``."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


# Display languages: one per catalogue in cctrack/render/locale (LANG.po), English first; a
# new catalogue is a new choice, with no change here. The catalogue module imports only the
# standard library, and the commands that speak a language load it anyway.
Lang = Enum("Lang", {lang: lang for lang in languages()}, type=str)  # type: ignore[misc]
EN = Lang("en")


DueOpt = Annotated[
    str | None,
    typer.Option(
        "--due",
        metavar="PERIOD",
        help="Only the targets whose deadline falls in this year (2025) or these years "
        "(2021/2025), across every plan.",
        show_default=False,
    ),
]
MethodOpt = Annotated[Method, typer.Option("--method", help="growth-ratio (default) or linear.")]
LangOpt = Annotated[
    Lang,
    typer.Option(
        "--lang",
        help=f"The language of the words: {', '.join(languages())} (one per catalogue; JSON, "
        "the CSV header and messages stay English).",
    ),
]


class DiffFormat(str, Enum):
    """Output formats of ``diff``."""

    table = "table"
    json = "json"
    markdown = "markdown"


class SchemaFile(str, Enum):
    """The two data files."""

    targets = "targets"
    observations = "observations"


def fail_usage(message: str) -> NoReturn:
    """A wrong command line: one line on stderr, exit 2."""
    typer.echo(f"cctrack: error: {message}", err=True)
    raise typer.Exit(ExitCode.USAGE)


def data_dir(data: str | None) -> Path:
    """The data directory (:func:`~cctrack.location.find_data_dir`); one that is not a directory
    is a usage error naming where it came from (``--data`` or ``$CCTRACK_DATA``)."""
    from cctrack.location import find_data_dir

    directory = find_data_dir(data)
    if not directory.is_dir():
        fail_usage(f"{data_option(data)}: {directory} is not a directory")
    return directory


def data_option(data: str | None) -> str:
    """Where the data directory came from, as the error names it."""
    return "$CCTRACK_DATA" if not data and os.environ.get("CCTRACK_DATA") else "--data"


def parse_as_of(text: str | None) -> date:
    """The ``--as-of`` date, or today; a bad date is a usage error."""
    from datetime import date as _date

    if text is None:
        return _date.today()
    from cctrack.period import PeriodError, parse_date

    try:
        return parse_date(text)
    except PeriodError:
        fail_usage(f"--as-of: {text!r} is not a date: use YYYY-MM-DD (a year means 31 December)")


def due_years(text: str | None) -> tuple[int, int] | None:
    """The ``--due`` years (first, last), or None without the option; a bad value is a usage
    error."""
    if text is None:
        return None
    from cctrack.scorecard import parse_due

    years = parse_due(text)
    if years is None:
        fail_usage(
            f"--due: {text!r} is not a year or an interval of years: use 2025 or 2021/2025 "
            "(the first year not after the last)"
        )
    return years


@app.command()
def validate(
    data: DataOpt = None,
    fmt: Annotated[
        ProblemFormat | None,
        typer.Option(
            "--format",
            help="text (FILE:LINE:COL: ...), json, or github workflow commands "
            "(the default when $GITHUB_ACTIONS is set).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    as_of: AsOfOpt = None,
) -> None:
    """Check both data files and print every problem, sorted by file and line.

    Exit 1 when there is an error (or, with --strict, a warning).

    Example: cctrack validate --data data/ --format github
    """
    from cctrack.pipeline import PROBLEMS, run
    from cctrack.render.problems import validate_pieces

    if fmt is None:
        fmt = (
            ProblemFormat.github
            if os.environ.get("GITHUB_ACTIONS") == "true"
            else ProblemFormat.text
        )
    result = run(data_dir(data), parse_as_of(as_of), strict=strict, depth=PROBLEMS)
    pieces, summary, code = validate_pieces(result, fmt.value, strict)
    kept = keeper(result, as_of, f"{summary}\n", code)
    try:  # each piece written out and kept as it is made: the output is never held whole
        for piece in pieces:
            sys.stdout.write(piece)
            if kept is not None:
                kept.write(piece)
    except BaseException:
        if kept is not None:
            kept.drop()
        raise
    if kept is not None:
        kept.done()
    typer.echo(summary, err=True)
    raise typer.Exit(code)


def keeper(result: Result, as_of: str | None, err: str, code: int) -> replay.Keeper | None:
    """The entry of :mod:`cctrack.replay` a ``status`` or ``validate`` run that writes ``err``
    and exits with ``code`` keeps its output in, when it is kept (:func:`replay.keeper`)."""
    from cctrack import replay

    today = result.as_of.isoformat() if as_of is None else parse_as_of(None).isoformat()
    return replay.keeper(str(result.directory), result.digest, today, err, int(code))


def keep(result: Result, as_of: str | None, out: str, err: str, code: int) -> None:
    """Store what a finished ``status`` or ``validate`` wrote, for :mod:`cctrack.replay`."""
    kept = keeper(result, as_of, err, code)
    if kept is not None:
        kept.write(out)
        kept.done()


def console() -> Console:
    """A Rich console: the terminal's width, or 200 columns when not writing to a terminal."""
    from rich.console import Console

    wide = not sys.stdout.isatty() and "COLUMNS" not in os.environ
    return Console(width=200 if wide else None)


def console_text(screen: Console, renderable: Any) -> str | None:
    """What ``screen`` writes of ``renderable``, as text; None for an old Windows console,
    which is drawn through its API (the caller prints to it)."""
    if screen.legacy_windows:
        return None
    with screen.capture() as captured:
        screen.print(renderable)
    return captured.get()


def checked(
    data: str | None,
    as_of: str | None,
    method: Method = Method.growth_ratio,
    roles: bool = True,
    apart: bool = False,
) -> Result:
    """The pipeline's result for the data directory (``roles``: with every observation's role;
    ``apart``: stored by a child process, :func:`cctrack.pipeline.run`); on errors print them
    and exit 1. A directory missing, or without a data file, is one usage line (exit 2): the
    wrong directory was named, there is no data to check."""
    from cctrack.pipeline import ASSESSMENTS, USES, run
    from cctrack.render.problems import errors_report

    depth = USES if roles else ASSESSMENTS
    result = run(data_dir(data), parse_as_of(as_of), method.value, depth=depth, apart=apart)
    missing = [p.message for p in result.errors if p.code == "file-missing"]
    if missing:
        fail_usage(f"{data_option(data)}: {'; '.join(missing)}")
    if result.errors:
        typer.echo(errors_report(result.errors), err=True)
        raise typer.Exit(ExitCode.INVALID)
    return result


@app.command()
def status(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Target ids (default: all).", show_default=False)
    ] = None,
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = Method.growth_ratio,
    tag: Annotated[str | None, typer.Option("--tag", help="Only targets with this tag.")] = None,
    fmt: Annotated[
        StatusFormat, typer.Option("--format", help="table, json, csv or markdown.")
    ] = StatusFormat.table,
    fail_on: Annotated[
        str | None,
        typer.Option(
            "--fail-on",
            metavar="CATEGORY",
            help="Exit 1 when a target is in this category or worse: "
            + ", ".join(CATEGORIES)
            + ".",
        ),
    ] = None,
    lang: LangOpt = EN,
    plan: Annotated[
        str | None,
        typer.Option(
            "--plan",
            metavar="TEXT",
            help="Only the targets of this plan (its name, or a unique part of it).",
        ),
    ] = None,
    min_confidence: Annotated[
        Confidence | None,
        typer.Option(
            "--min-confidence",
            help="Only verdicts of at least this confidence (low, medium, high); --fail-on "
            "then ignores the others.",
            show_default=False,
        ),
    ] = None,
    due: DueOpt = None,
) -> None:
    """Show whether each target is on track: one row per target, grouped by plan, each plan
    with its scorecard line.

    Example: cctrack status --tag tourism --as-of 2024-12-31 --fail-on deterioration
    """
    from cctrack.categories import failing
    from cctrack.pipeline import dropped, select
    from cctrack.problem import suggest
    from cctrack.render.catalogue import words
    from cctrack.render.status import WITH_ROLES, filtered_text, render
    from cctrack.scorecard import due_and_stated

    if fail_on is not None and fail_on not in CATEGORIES:
        fail_usage(f"--fail-on: unknown category {fail_on!r}{suggest(fail_on, list(CATEGORIES))}")
    years = due_years(due)
    result = checked(data, as_of, method, roles=fmt.value in WITH_ROLES)
    floor = min_confidence.value if min_confidence else None
    chosen, error = select(result, ids, tag, floor, plan)
    if error is not None:
        fail_usage(error)
    chosen, left = due_and_stated(chosen, years, result.as_of)
    filtered = dropped(result, ids, tag, floor, plan) + left
    screen = console()
    w = words(lang.value)
    out = render(fmt.value, chosen, result.as_of, result.method, w, screen.width, years, filtered)
    text = out if isinstance(out, str) else console_text(screen, out)  # kept for the replay
    said = filtered_text(filtered, w) if fmt.value in {"table", "markdown"} else None
    if text is None:  # an old Windows console is drawn through its API: nothing to keep
        screen.print(out)
        if said is not None:
            screen.print(said, markup=False, highlight=False)
    else:
        if said is not None:  # under everything else, where a reader of the counts looks
            from cctrack.render.safe import markdown, terminal

            text += f"\n{markdown(said)}\n" if fmt.value == "markdown" else f"{terminal(said)}\n"
        sys.stdout.write(text)
    hit = failing(chosen, fail_on) if fail_on is not None else []
    err = f"cctrack: --fail-on {fail_on}: {', '.join(hit)}\n" if hit else ""
    code = ExitCode.INVALID if hit else ExitCode.OK
    if text is not None:
        keep(result, as_of, text, err, code)
    if hit:
        typer.echo(err.removesuffix("\n"), err=True)
        raise typer.Exit(code)


@app.command()
def show(
    target_id: Annotated[str, typer.Argument(metavar="ID", help="The target's id.")],
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = Method.growth_ratio,
    lang: LangOpt = EN,
) -> None:
    """Everything about one target: definition, every observation, the assessment step by step,
    and a chart of the observed series against the required path.

    Example: cctrack show tourism-revenue
    """
    from cctrack.pipeline import select
    from cctrack.render.catalogue import words
    from cctrack.render.show import render_show, unpadded

    result = checked(data, as_of, method)
    chosen, error = select(result, [target_id], None)
    if error is not None:
        fail_usage(error)
    screen = console()
    shown = render_show(chosen[0], words(lang.value))
    text = console_text(screen, shown)
    if text is None:
        screen.print(shown)
    else:
        sys.stdout.write(unpadded(text))


@app.command()
def report(
    html: Annotated[
        str,
        typer.Option(
            "--html",
            metavar="PATH",
            help="Write the report to this file (its directory must exist).",
        ),
    ],
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = Method.growth_ratio,
    lang: LangOpt = EN,
    due: DueOpt = None,
) -> None:
    """Write one self-contained HTML page: a card per target with its status, numbers, chart
    and sources.

    Example: cctrack report --html report.html --due 2025
    """
    from pathlib import Path

    from cctrack.atomic import atomic_write
    from cctrack.render.catalogue import words
    from cctrack.render.html import report_bytes
    from cctrack.render.status import filtered_text
    from cctrack.scorecard import due_and_stated

    years = due_years(due)
    result = checked(data, as_of, method, apart=True)  # stored while the page is written
    shown, filtered = due_and_stated(list(result.assessments), years, result.as_of)
    w = words(lang.value)
    parts = report_bytes(shown, result.as_of, w, filtered_text(filtered, w), years)
    try:
        atomic_write(Path(html), parts)
    except OSError as exc:
        reason = exc.strerror or exc
        typer.echo(f"cctrack: error: --html: cannot write {html}: {reason}", err=True)
        raise typer.Exit(ExitCode.INVALID) from None
    typer.echo(f"wrote {html} ({len(shown)} targets)", err=True)


@app.command("add-observation")
def add_observation(
    target: Annotated[str, typer.Argument(help="The target's id.")],
    period: Annotated[
        str, typer.Argument(help="2024, 2024-H1, 2024-Q3, 2024-10, 2024-01/2024-10, 2024-12-31.")
    ],
    value: Annotated[
        str,
        typer.Argument(
            help="'1.7亿', 'over 300 billion', '85,000'; '-' when only --change is known."
        ),
    ],
    source: Annotated[
        str, typer.Option("--source", help="The source's URL, or its title when it has none.")
    ],
    change: Annotated[
        str | None,
        typer.Option("--change", metavar="PCT", help="Year-on-year change, e.g. +24.4%."),
    ] = None,
    estimate: Annotated[
        Estimate | None,
        typer.Option(
            "--estimate", help="final (default), preliminary or expected.", show_default=False
        ),
    ] = None,
    bound: Annotated[
        Bound | None,
        typer.Option(
            "--bound",
            help="exact, at_least or at_most (a qualifier in VALUE sets it too).",
            show_default=False,
        ),
    ] = None,
    scope: Annotated[
        str | None, typer.Option("--scope", help="When not the target's own scope.")
    ] = None,
    source_title: Annotated[
        str | None, typer.Option("--source-title", help="The source's title.")
    ] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="The source's publisher.")
    ] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", metavar="DATE", help="Publication date, YYYY-MM-DD."),
    ] = None,
    reliability: Annotated[
        Reliability | None,
        typer.Option(
            "--reliability", help="A official, B reprint, C aggregator.", show_default=False
        ),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Free text.")] = None,
    quote: Annotated[
        str | None,
        typer.Option(
            "--quote",
            help="The source's own phrase that states the figure, verbatim (validate checks the "
            "figure against it).",
        ),
    ] = None,
    price_basis: Annotated[
        PriceBasis | None,
        typer.Option(
            "--price-basis",
            help="real: the change is at comparable prices (GDP, value added), so it derives no "
            "level at current prices; nominal (the default) otherwise.",
            show_default=False,
        ),
    ] = None,
    computed: Annotated[
        bool,
        typer.Option(
            "--computed",
            help="The figure is not stated by the source but computed by you; say how in --note.",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the entry that would be added; write nothing.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Record a value refused as implausible (10 times off its neighbour); the "
            "reason goes into its note.",
        ),
    ] = False,
    data: DataOpt = None,
) -> None:
    """Check a new observation and append it to observations.yaml, leaving every existing byte
    as it was; then print the target's new status.

    Example: cctrack add-observation tourism-revenue 2024 "over 300 billion"
    --change +24.4% --source https://example.org/report --published 2025-02-25
    """
    from cctrack.append import Request
    from cctrack.append import add_observation as run
    from cctrack.location import find_data_dir
    from cctrack.render.catalogue import words
    from cctrack.render.status import status_line
    from cctrack.render.words import observation_summary

    req = Request(
        target=target,
        period=period,
        value=None if value.strip() == "-" else value,
        source=source,
        change=change,
        estimate=estimate.value if estimate else None,
        bound=bound.value if bound else None,
        scope=scope,
        source_title=source_title,
        publisher=publisher,
        published=published,
        reliability=reliability.value if reliability else None,
        note=note,
        quote=quote,
        stated=not computed,
        price_basis=price_basis.value if price_basis else None,
    )
    today = parse_as_of(None)
    outcome = run(find_data_dir(data), req, today, dry_run, force=force)
    if outcome.code == ExitCode.USAGE:
        fail_usage(outcome.message)
    if outcome.code:
        typer.echo(f"cctrack: {outcome.message}", err=True)
        raise typer.Exit(outcome.code)
    for p in outcome.warnings:
        typer.echo(p.format(), err=True)
    if dry_run:
        assert outcome.observation is not None and outcome.target is not None
        sys.stdout.write(outcome.entry)
        described = observation_summary(outcome.observation, outcome.target, words())
        typer.echo(f"dry run: would record {described}", err=True)
        return
    assert outcome.observation is not None and outcome.target is not None
    typer.echo(f"recorded {observation_summary(outcome.observation, outcome.target, words())}")
    if outcome.result is not None:
        assessed = outcome.result.assessment(outcome.target.id)
        if assessed is not None:
            typer.echo(status_line(assessed, words()))


@app.command()
def diff(
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="REV|DATE",
            help="A git revision of the data's repository, or a date (YYYY-MM-DD); default: "
            "the previous commit that touched the data files.",
            show_default=False,
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="REV|DATE",
            help="A git revision or a date; default: the working tree.",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = Method.growth_ratio,
    fmt: Annotated[
        DiffFormat, typer.Option("--format", help="table, json or markdown.")
    ] = DiffFormat.table,
    lang: LangOpt = EN,
) -> None:
    """Which verdicts changed between two revisions or dates, and why: one line per target
    whose category, confidence or current value moved, with the changes that move it.

    Example: cctrack diff --from HEAD~1 --format markdown
    """
    from cctrack.diff import compare
    from cctrack.render.catalogue import words
    from cctrack.render.diff import Frame, render
    from cctrack.render.problems import errors_report
    from cctrack.revisions import RevisionError, load, sides

    directory = data_dir(data)
    try:
        before, after = sides(directory, from_, to, parse_as_of(as_of))
        loaded = [load(directory, side, method.value) for side in (before, after)]
    except RevisionError as exc:
        fail_usage(str(exc))
    errors = [p for side in loaded for p in side.result.errors]
    if errors:
        typer.echo(errors_report(errors), err=True)
        raise typer.Exit(ExitCode.INVALID)
    old, new = loaded
    changes = compare(old.state, new.state, (old.result.assessments, new.result.assessments))
    frame = Frame(before.revision, before.as_of, old.observations_file, after.revision,
                  after.as_of, new.observations_file, method.value)  # fmt: skip
    screen = console()
    out = render(fmt.value, changes, frame, words(lang.value), screen.width)
    if isinstance(out, str):
        sys.stdout.write(out)
    else:
        screen.print(out)


@app.command()
def schema(
    file: Annotated[SchemaFile, typer.Argument(help="Which file's schema.")] = SchemaFile.targets,
) -> None:
    """Print the JSON Schema of a data file, for editors and other validators.

    Example: cctrack schema observations > observations.schema.json
    """
    from cctrack.schema import json_schema

    sys.stdout.write(json_schema(file.value))


def _version(value: bool) -> None:
    if value:
        from cctrack import __version__

        typer.echo(f"cctrack {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Track a city's stated development targets against observed figures."""


def usage_line(exc: Exception) -> str:
    """Click's usage error (an unknown option or command, a bad choice, a missing or an extra
    argument) in the words of :func:`fail_usage`: the option or argument first, else the
    command, then what is wrong, on one line."""
    kind, message = type(exc).__name__, str(exc).strip().removesuffix(".")
    ctx = getattr(exc, "ctx", None)
    command = ctx.info_name if ctx is not None and ctx.parent is not None else ""
    if kind == "NoSuchOption":
        close = getattr(exc, "possibilities", None) or []
        hint = f" (did you mean {' or '.join(map(repr, sorted(close)))}?)" if close else ""
        return f"{getattr(exc, 'option_name', message)}: no such option{hint}"
    if kind == "BadOptionUsage":  # "Option '--x' requires an argument" / "does not take a value"
        name = getattr(exc, "option_name", "")
        return f"{name}: {message.removeprefix(f'Option {name!r} ')}"
    param = getattr(exc, "param", None)
    if param is not None:
        option = param.param_type_name == "option"
        name = max(param.opts, key=len) if option else param.human_readable_name
        if kind == "MissingParameter":
            return f"{name}: missing (a required {param.param_type_name})"
        return f"{name}: {getattr(exc, 'message', message).strip().removesuffix('.')}"
    text = message[:1].lower() + message[1:]
    text, hint, close = text.partition(". Did you mean ")  # no such command 'x'. Did you mean…
    text += f" (did you mean {close})" if hint else ""
    return f"{command}: {text}" if command else text


def main() -> None:
    """Console-script entry point: a wrong command line in one line (exit 2), no traceback for
    anything but a bug, and a quiet broken pipe.

    The app runs outside Click's standalone mode, which would print a usage error as a boxed
    block of five lines; its exceptions are Click's, vendored by newer Typers.
    """
    click = sys.modules[typer.BadParameter.__module__]  # click.exceptions, or Typer's copy
    try:
        code = app(standalone_mode=False)  # an Exit (--help, --version, a command's) returns
    except click.UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `cctrack`: the help, as printed
            if exc.format_message().strip():
                typer.echo(exc.format_message(), err=True)
        else:
            typer.echo(f"cctrack: error: {usage_line(exc)}", err=True)
        sys.exit(ExitCode.USAGE)
    except typer.Abort:  # end of input at a prompt
        sys.stderr.write("cctrack: aborted\n")
        sys.exit(ExitCode.INVALID)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(ExitCode.INVALID)
    except KeyboardInterrupt:
        code = ExitCode.INTERRUPTED
    except Exception as exc:  # a bug: say so in one line, with the traceback on request
        if os.environ.get("CCTRACK_DEBUG"):
            raise
        sys.stderr.write(
            f"cctrack: internal error: {type(exc).__name__}: {exc} "
            "(set CCTRACK_DEBUG=1 for details and report it)\n"
        )
        sys.exit(ExitCode.BUG)
    if code == ExitCode.INTERRUPTED:  # Typer turns Ctrl-C into an exit with 130
        sys.stderr.write("cctrack: interrupted\n")
    sys.exit(code or ExitCode.OK)
