"""The command line: parse arguments, call the core, hand the result to a renderer.

Only Typer is imported at module level so that ``cctrack --help`` stays as fast as a bare Typer
app; each command imports the core it needs when it runs.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, NoReturn

import typer

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
    typer.Option("--as-of", metavar="DATE", help="Assess as of this date (YYYY-MM-DD); default today."),
]


class ProblemFormat(str, Enum):
    """Output formats of ``validate``."""

    text = "text"
    json = "json"
    github = "github"


class SchemaFile(str, Enum):
    """The two data files."""

    targets = "targets"
    observations = "observations"


def fail_usage(message: str) -> NoReturn:
    """A wrong command line: one line on stderr, exit 2."""
    typer.echo(f"cctrack: error: {message}", err=True)
    raise typer.Exit(2)


def parse_as_of(text: str | None) -> object:
    """The ``--as-of`` date, or today; a bad date is a usage error."""
    from datetime import date

    from cctrack.period import PeriodError, parse_date

    if text is None:
        return date.today()
    try:
        return parse_date(text)
    except PeriodError as exc:
        fail_usage(f"--as-of: {exc}")


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
    from cctrack.check import validate as run
    from cctrack.render.problems import render_problems, summary

    if fmt is None:
        fmt = ProblemFormat.github if os.environ.get("GITHUB_ACTIONS") == "true" else ProblemFormat.text
    ds, problems = run(data, parse_as_of(as_of))  # type: ignore[arg-type]
    sys.stdout.write(render_problems(problems, fmt.value))
    n_obs, n_targets = len(ds.observations), len(ds.targets)
    typer.echo(
        f"{summary(problems)} in {ds.directory} ({n_targets} targets, {n_obs} observations)",
        err=True,
    )
    failing = any(p.is_error for p in problems) or (strict and bool(problems))
    raise typer.Exit(1 if failing else 0)


@app.command()
def schema(
    file: Annotated[SchemaFile, typer.Argument(help="Which file's schema.")] = SchemaFile.targets,
) -> None:
    """Print the JSON Schema of a data file, for editors and other validators.

    Example: cctrack schema observations > observations.schema.json
    """
    from cctrack.schema import json_schema

    sys.stdout.write(json_schema(file.value))


def main() -> None:
    """Console-script entry point: no traceback for anything but a bug, and a quiet broken pipe."""
    try:
        app()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("cctrack: interrupted\n")
        sys.exit(130)
    except Exception as exc:  # a bug: say so in one line, with the traceback on request
        if os.environ.get("CCTRACK_DEBUG"):
            raise
        sys.stderr.write(
            f"cctrack: internal error: {type(exc).__name__}: {exc} "
            "(set CCTRACK_DEBUG=1 for details and report it)\n"
        )
        sys.exit(3)
