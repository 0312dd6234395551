"""The `gigsim` command line: a thin layer over the Python API.

Exit codes: 0 success; 2 bad input (usage, a file that fails validation, a
folder that is not a results folder); 1 a failure while running. Errors go to
stderr as one clear message; `--debug` shows the traceback as well.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from gigsim.errors import GigsimError

EXIT_CODES = """Exit codes: 0 success; 2 bad input (usage, a scenario or experiment file that fails validation,
a folder that is not a results folder, --jobs 0, a cluster that does not answer); 1 a failure while running."""

app = typer.Typer(
    name="gigsim", add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
    help="gigsim: an agent-based simulation of the gig-economy labour market.\n\n" + EXIT_CODES,
)
out = Console()
err = Console(stderr=True)
_state = {"debug": False}


@app.callback()
def _main(debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.")] = False) -> None:
    _state["debug"] = debug


def fail(exc: BaseException) -> None:
    """Report an error in one clear message and exit with its code."""
    if _state["debug"]:
        traceback.print_exception(exc, file=sys.stderr)
    code = exc.exit_code if isinstance(exc, GigsimError) else 1
    message = str(exc) if isinstance(exc, GigsimError) else f"{type(exc).__name__}: {exc}"
    err.print(f"[bold red]error:[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def progress_bar() -> Progress:
    """The progress bar used by every long command."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[extra]}"),
                    TimeRemainingColumn(), console=err, transient=False)


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    days: Annotated[int | None, typer.Option(min=1, help="Days to simulate (default: the scenario's).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, help="Random seed (default: the scenario's).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Rescale the population to N workers.")] = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("results/run"),
    check: Annotated[bool, typer.Option("--check", help="Check the invariants every day.")] = False,
) -> None:
    """Run one simulation; write metrics.parquet, markets.parquet, workers.parquet and manifest.json."""
    from gigsim.analysis import category_trends, headline
    from gigsim.io import check_writable
    from gigsim.run import run_scenario, write_run
    from gigsim.scenario import load_scenario

    try:
        sc = load_scenario(scenario)
        if workers is not None:
            sc = sc.rescaled(workers)
        check_writable(out_dir)
        total = days or sc.days
        with progress_bar() as bar:
            task = bar.add_task(f"{sc.name}", total=total, extra=f"{sc.population.workers:,} workers")
            result = run_scenario(sc, seed=seed, days=days, progress=lambda: bar.advance(task), debug=check,
                                  source=str(scenario))
        write_run(result, out_dir)
    except GigsimError as exc:
        fail(exc)
    except Exception as exc:  # noqa: BLE001 - any other failure is a run failure, reported plainly
        fail(exc)
    table = Table(title=f"{sc.name}: last 30 days of {result.manifest['days']} (seed {result.manifest['seed']})")
    table.add_column("outcome")
    table.add_column("value", justify="right")
    for _, label, value in headline(result.metrics, sc.population.workers):
        table.add_row(label, value)
    out.print(table)
    trends = category_trends(result.metrics)
    cat_table = Table(title="Net hourly earnings by category: first vs last 30 days")
    for col in ("category", "first 30 days", "last 30 days", "change", "workers first", "workers last"):
        cat_table.add_column(col, justify="right" if col != "category" else "left")
    for r in trends.iter_rows(named=True):
        change = f"{r['net_hourly_change']:+.1%}" if r["net_hourly_change"] is not None else "n/a"
        cat_table.add_row(r["category"], _money(r["net_hourly_early"]), _money(r["net_hourly_late"]), change,
                          _count(r["workers_early"]), _count(r["workers_late"]))
    out.print(cat_table)
    out.print(f"Wrote {out_dir}/metrics.parquet, markets.parquet, workers.parquet, manifest.json "
              f"in {result.manifest['seconds']:.1f} s")


def _money(v) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def _count(v) -> str:
    return "n/a" if v is None else f"{v:,.0f}"


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")]) -> None:
    """Check a scenario file without running it."""
    from gigsim.scenario import load_scenario

    try:
        sc = load_scenario(scenario)
    except GigsimError as exc:
        fail(exc)
    out.print(f"{scenario}: valid — '{sc.name}', {sc.population.workers:,} workers, {sc.population.clients:,} "
              f"clients, categories {', '.join(sc.active_categories)}, platforms {', '.join(sc.active_platforms)}, "
              f"{sc.days} days")


def main() -> None:
    """Entry point of the `gigsim` command."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
