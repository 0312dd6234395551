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
from rich.markup import escape
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
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True, soft_wrap=True)
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
    from gigsim.analysis.summary import category_trends, headline
    from gigsim.experiments.run import run_scenario, write_run
    from gigsim.io import check_writable
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
    for _, label, value in headline(result.metrics, sc.population.workers, workers=result.workers):
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


@app.command()
def experiment(
    experiment_file: Annotated[Path, typer.Argument(metavar="EXPERIMENT", help="Experiment TOML file.")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Results folder (default: results/<file name>).")] = None,
    jobs: Annotated[int | None, typer.Option(help="Local worker processes (default: all cores; 1 runs in-process).")] = None,
    cluster: Annotated[str | None, typer.Option(help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")] = None,
    seeds: Annotated[int | None, typer.Option(min=1, help="Seeds per arm (default: the file's).")] = None,
    days: Annotated[int | None, typer.Option(min=1, help="Days per run (default: the file's).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, help="Rescale every arm's population to N workers.")] = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Rerun only the runs that failed.")] = False,
    fresh: Annotated[bool, typer.Option("--fresh", help="Discard the results already in the folder.")] = False,
) -> None:
    """Run every (arm, seed) of an experiment; resume a folder that holds part of it."""
    from gigsim.errors import InputError
    from gigsim.experiments.spec import connect_cluster, load_experiment, run_tasks
    from gigsim.experiments.store import ResultsStore

    client = store = None
    try:
        if jobs is not None and jobs < 1:
            raise InputError(f"--jobs must be at least 1, got {jobs}")
        exp = load_experiment(experiment_file, seeds=seeds, days=days, workers=workers)
        client = connect_cluster(cluster) if cluster else None
        folder = out_dir if out_dir is not None else Path("results") / experiment_file.stem
        store = ResultsStore.open(folder, exp, fresh=fresh)
        todo = store.pending(retry_failed_only=retry_failed)
        counts = {"done": 0, "failed": 0}
        with progress_bar() as bar:
            task = bar.add_task(exp.name, total=len(todo), extra="")

            def on_result(result: dict) -> None:
                store.record(result)
                counts[result["status"]] += 1
                bar.update(task, advance=1, extra=f"done {counts['done']}, failed {counts['failed']}")

            run_tasks([exp.task(a, k) for a, k in todo], on_result, jobs=jobs, cluster=client,
                      write_to=store.folder)
    except KeyboardInterrupt:
        err.print("interrupted: finished runs are kept; run the same command again to resume", highlight=False)
        raise typer.Exit(130) from None
    except GigsimError as exc:
        fail(exc)
    except Exception as exc:  # noqa: BLE001 - any other failure is reported plainly
        fail(exc)
    finally:
        if client is not None:
            client.close()
        if store is not None:
            store.close()
    total = store.counts()
    out.print(f"{exp.name}: {total['done']} of {len(store.manifest['runs'])} runs done, {total['failed']} failed "
              f"({len(todo)} run now) in {folder}")
    failed = [r for r in store.manifest["runs"].values() if r["status"] == "failed"]
    if failed:
        for r in failed[:5]:
            err.print(f"  failed: arm={r['arm']} seed={r['seed_index']}: {r['error']}", highlight=False, markup=False)
        fail(GigsimError(f"{len(failed)} run(s) failed; fix the cause and rerun with --retry-failed"))
    out.print(f"Compare the arms with: gigsim compare {folder}")


@app.command()
def compare(
    results: Annotated[Path, typer.Argument(metavar="DIR", help="Results folder of `gigsim experiment`.")],
    report_dir: Annotated[Path | None, typer.Option("--report", help="Report folder (default: DIR/report).")] = None,
    window: Annotated[str | None, typer.Option(help="Compare over days FROM:TO (TO exclusive) or 'last N days'.")] = None,
) -> None:
    """Compare the arms of an experiment: means with 95% intervals, paired differences, a report."""
    from gigsim.analysis.compare import compare_results, print_comparison
    from gigsim.analysis.report import write_report

    try:
        comparison = compare_results(results, windows=[window] if window else None)
        target = report_dir if report_dir is not None else results / "report"
        written = write_report(comparison, target)
    except GigsimError as exc:
        fail(exc)
    except Exception as exc:  # noqa: BLE001 - any other failure is reported plainly
        fail(exc)
    print_comparison(comparison, out)
    out.print(f"Wrote {', '.join(str(p) for p in written)}")


@app.command("validate-facts")
def validate_facts(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    workers: Annotated[int, typer.Option(min=100, help="Rescale the population to N workers.")] = 2000,
    seed: Annotated[int | None, typer.Option(min=0, help="Random seed (default: the scenario's).")] = None,
    days: Annotated[int, typer.Option(min=400, help="Days per run (two years follow year-one entrants).")] = 730,
    seeds: Annotated[int, typer.Option(min=1, max=100, help="Seeds to average over (seed, seed + 1, ...); "
                                       "the verdict is on the mean, shown with its 95% interval.")] = 3,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Write validation.md and facts.json here.")] = None,
) -> None:
    """Check the stylized facts (side income, churn, volatility, rides, reputation, AI shock) against their
    published ranges; print the table of targets, sources, simulated values and verdicts.

    Runs three worlds of the scenario per seed: as given, with freelancing platforms matching at random, and
    with a generative-AI shock in writing from mid-run; each measure is averaged over the seeds. Exits with
    code 1 if any fact does not hold (0 if all hold).
    """
    from gigsim.analysis.facts import check_facts, facts_markdown, worlds_needed
    from gigsim.io import check_writable, ensure_dir, write_json, write_text
    from gigsim.scenario import load_scenario

    try:
        sc = load_scenario(scenario).rescaled(workers)
        if out_dir is not None:
            check_writable(out_dir)
        run_seed = sc.seed if seed is None else seed
        with progress_bar() as bar:
            task = bar.add_task("stylized facts", total=seeds * worlds_needed(sc) * days,
                                extra=f"{workers:,} workers, {seeds} seed{'s' if seeds > 1 else ''}")
            report = check_facts(sc, run_seed, days, progress=lambda: bar.advance(task), seeds=seeds)
    except GigsimError as exc:
        fail(exc)
    except Exception as exc:  # noqa: BLE001 - any other failure is a run failure, reported plainly
        fail(exc)
    table = Table(title=f"Stylized facts: {sc.name}, {workers:,} workers, {report.seed_text}, {days} days")
    for col in ("fact", "measure", "target", "simulated", "holds", "source"):
        table.add_column(col, overflow="fold")
    for r in report.results:
        t = r.target
        table.add_row(t.fact, t.measure, t.range_text(), r.show(),
                      "[green]yes[/]" if r.holds else "[bold red]no[/]", "; ".join(f"{s.author} {s.year}"
                                                                            for s in t.sources))
    out.print(table)
    held = sum(r.holds for r in report.results)
    out.print(f"{held} of {len(report.results)} measures hold.")
    if out_dir is not None:
        command = (f"gigsim validate-facts {scenario} --workers {workers} --seed {run_seed} --seeds {seeds} "
                   f"--days {days}")
        ensure_dir(out_dir)
        write_text(facts_markdown(report, command), out_dir / "validation.md")
        write_json({"scenario": sc.name, "workers": workers, "seed": run_seed, "seeds": seeds, "days": days,
                    "facts": [{"key": r.target.key, "fact": r.target.fact, "measure": r.target.measure,
                               "low": r.target.low, "high": r.target.high, "value": r.value,
                               "per_seed": list(r.per_seed), "ci95": r.interval, "holds": r.holds,
                               "sources": [s.cite() for s in r.target.sources]} for r in report.results]},
                   out_dir / "facts.json")
        out.print(f"Wrote {out_dir}/validation.md and facts.json")
    if not report.all_hold:
        raise typer.Exit(1)


@app.command()
def calibrate(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    budget: Annotated[int, typer.Option(min=1, help="Latin-hypercube points to simulate.")] = 16,
    workers: Annotated[int, typer.Option(min=100, help="Rescale the population to N workers.")] = 2000,
    seeds: Annotated[int, typer.Option(min=1, help="Seeds per point (0, 1, ...).")] = 1,
    days: Annotated[int, typer.Option(min=400, help="Days per run.")] = 730,
    design_seed: Annotated[int, typer.Option(min=0, help="Seed of the Latin hypercube.")] = 0,
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("results/calibration"),
) -> None:
    """Calibrate the free parameters by simulated method of moments over a Latin hypercube.

    Writes best.toml (the best point as tables to merge into the scenario), candidates.parquet and
    candidates.md (every point with its moments and loss, best first). See docs/validation.md.
    """
    from gigsim.analysis.calibration import MOMENTS, toml_snippet, write_calibration
    from gigsim.analysis.calibration import calibrate as run_calibration
    from gigsim.io import check_writable
    from gigsim.scenario import load_scenario

    try:
        sc = load_scenario(scenario).rescaled(workers)
        check_writable(out_dir)
        seed_list = tuple(range(seeds))
        with progress_bar() as bar:
            task = bar.add_task("calibration", total=budget + 1, extra=f"{len(MOMENTS)} moments")
            cal = run_calibration(sc, budget=budget, seeds=seed_list, days=days, design_seed=design_seed,
                                  progress=lambda: bar.advance(task))
        snippet = toml_snippet(cal, sc, budget, seed_list, days)
        write_calibration(cal, snippet, out_dir)
    except GigsimError as exc:
        fail(exc)
    except Exception as exc:  # noqa: BLE001 - any other failure is a run failure, reported plainly
        fail(exc)
    table = Table(title=f"Calibration of {sc.name}: best 5 of {cal.candidates.height} points")
    for col in ("point", "origin", "inside", "loss"):
        table.add_column(col, justify="right")
    for r in cal.candidates.head(5).iter_rows(named=True):
        table.add_row(str(r["point"]), r["origin"], f"{r['inside']}/{len(MOMENTS)}", f"{r['loss']:.4f}")
    out.print(table)
    out.print(snippet, highlight=False, markup=False)
    out.print(f"Wrote {out_dir}/best.toml, candidates.parquet and candidates.md")


@app.command()
def ui(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 8765,
    results_root: Annotated[Path | None, typer.Option("--results-root",
                                                      help="Folder of experiment results the Compare page may open "
                                                           "(default: ./results).")] = None,
) -> None:
    """Start the browser app (Explore a world live; Compare an experiment's arms)."""
    from gigsim.ui.server import configure, serve

    try:
        root = configure(results_root)
    except GigsimError as exc:
        fail(exc)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: other machines can reach the app", highlight=False)
    err.print(f"gigsim ui: http://{host}:{port} (results root {root}); Ctrl-C stops it", highlight=False)
    serve(host, port, root)


def main() -> None:
    """Entry point of the `gigsim` command."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
