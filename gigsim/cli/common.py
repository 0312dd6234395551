"""What every face of the `gigsim` command shares: the Typer app, its one error handler, the exit codes, the
options' bounds (from the schemas), the consoles, the --out rule and the progress bar.

Every command's errors are handled in one place (`GigsimGroup.invoke`): one clear message on stderr, no
traceback unless --debug, and the exit code says what happened (EXIT_CODES, also in `gigsim --help`).
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from typer.core import TyperGroup
from typer.exceptions import TyperException

from gigsim.errors import GigsimError, InputError
from gigsim.experiments.spec import ExperimentSpec
from gigsim.scenario import Scenario
from gigsim.scenario.messages import _bounds

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_CODES = """Exit codes: 0 success; 1 a failure while running (a run that raised, a full disk, a read-only folder,
failed runs of an experiment, validate-facts, replicate, evidence: a measure or outcome that does not hold, after
writing their files; translate --check: a stored translated value outside its measured interval); 2 bad input (usage, an option out of
its bounds, a scenario or experiment file that fails validation, an output path that is a file or a folder
of other things, a results folder that is not one or is damaged, a cluster that is not a Dask scheduler);
130 interrupted (Ctrl-C; finished runs are kept)."""


def _bound(model: type, field: str, side: int):
    """A bound of a schema field, so that options and files share one limit (side 0: lower, 1: upper)."""
    return _bounds(model, tuple(field.split(".")))[side]


DAYS_MAX = _bound(Scenario, "days", 1)
SEED_MAX = _bound(Scenario, "seed", 1)
WORKERS_MAX = _bound(Scenario, "population.workers", 1)
SEEDS_MAX = _bound(ExperimentSpec, "seeds", 1)

out = Console()
err = Console(stderr=True)
_state = {"debug": False}


def report_error(exc: BaseException) -> int:
    """Print one clear message for `exc` on stderr (the traceback too with --debug); return its exit code."""
    if _state["debug"]:
        traceback.print_exception(exc, file=sys.stderr)
    if isinstance(exc, GigsimError):
        code, message = exc.exit_code, str(exc)
    elif isinstance(exc, RecursionError):
        code, message = EXIT_BAD_INPUT, "the input is nested too deeply to read"
    else:
        code, message = EXIT_FAILURE, f"{type(exc).__name__}: {exc}"
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
    return code


class GigsimGroup(TyperGroup):
    """The one exception handler of every command (see EXIT_CODES)."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException):  # Typer's own: usage errors are exit 2 already
            raise
        except KeyboardInterrupt:
            err.print("interrupted (an experiment keeps its finished runs: run the same command again to resume)",
                      highlight=False)
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except BaseException as exc:  # noqa: BLE001 - every other failure becomes one message and an exit code
            if isinstance(exc, SystemExit | GeneratorExit):
                raise
            raise typer.Exit(report_error(exc)) from None


app = typer.Typer(
    name="gigsim", cls=GigsimGroup, add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
    help="gigsim: an agent-based simulation of the gig-economy labour market.\n\n" + EXIT_CODES,
)


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False) -> None:
    _state["debug"] = debug


def output_path(text: str | None, default: Path | None = None) -> Path | None:
    """An --out value as a path; an empty one is refused (it would mean the current folder)."""
    if text is None:
        return default
    if not text.strip():
        raise InputError("--out is empty; give a folder name (use --out . for the current folder, if you mean it)")
    return Path(text)


def progress_bar() -> Progress:
    """The progress bar used by every long command."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[extra]}"),
                    TimeRemainingColumn(), console=err, transient=False)
