"""The `gigsim` command line: a thin face over the Python API (gigsim/api.py).

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
from rich.table import Table
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


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    days: Annotated[int | None, typer.Option(min=1, max=DAYS_MAX, help="Days to simulate (default: the scenario's).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, max=SEED_MAX, help="Random seed (default: the scenario's).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=WORKERS_MAX, help="Rescale the population to N workers.")] = None,
    out_dir: Annotated[str, typer.Option("--out", help="Output folder: missing, empty or a previous run's.")] = "results/run",
    check: Annotated[bool, typer.Option("--check", help="Check the invariants every day.")] = False,
    panels: Annotated[bool, typer.Option(help="Write the weekly and monthly worker panels (turn off for big "
                                              "runs).")] = True,
) -> None:
    """Run one simulation; write metrics.parquet, markets.parquet, workers.parquet, the worker panels
    panel_weekly.parquet and panel_monthly.parquet (unless --no-panels) and manifest.json."""
    from gigsim.analysis.summary import category_trends, headline
    from gigsim.api import prepare_scenario, run_scenario_file

    target = output_path(out_dir)
    sc = prepare_scenario(scenario, seed=seed, days=days, workers=workers)
    with progress_bar() as bar:
        task = bar.add_task(f"{sc.name}", total=days or sc.days, extra=f"{sc.population.workers:,} workers")
        result = run_scenario_file(scenario, target, seed=seed, days=days, workers=workers, check=check,
                                   progress=lambda: bar.advance(task), panels=panels)
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
    written = ", ".join(f"{name}.parquet" for name in ("metrics", "markets", "workers", *result.panels))
    out.print(f"Wrote {target}/{written}, manifest.json "
              f"in {result.manifest['seconds']:.1f} s")


def _money(v) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def _count(v) -> str:
    return "n/a" if v is None else f"{v:,.0f}"


@app.command()
def validate(scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")]) -> None:
    """Check a scenario file without running it (and that its world fits this machine)."""
    from gigsim.api import prepare_scenario

    sc = prepare_scenario(scenario)
    out.print(f"{scenario}: valid — '{sc.name}', {sc.population.workers:,} workers, {sc.population.clients:,} "
              f"clients, categories {', '.join(sc.active_categories)}, platforms {', '.join(sc.active_platforms)}, "
              f"{sc.days} days")


@app.command()
def experiment(
    experiment_file: Annotated[Path, typer.Argument(metavar="EXPERIMENT", help="Experiment TOML file.")],
    out_dir: Annotated[str | None, typer.Option("--out", help="Results folder (default: results/<file name>).")] = None,
    jobs: Annotated[int | None, typer.Option(help="Local worker processes (default: all cores; "
                                                                    "1 runs in-process).")] = None,
    cluster: Annotated[str | None, typer.Option(help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786.")] = None,
    seeds: Annotated[int | None, typer.Option(min=1, max=SEEDS_MAX, help="Seeds per arm (default: the file's).")] = None,
    days: Annotated[int | None, typer.Option(min=1, max=DAYS_MAX, help="Days per run (default: the file's).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=WORKERS_MAX, help="Rescale every arm's population to N workers.")] = None,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Rerun only the runs that failed.")] = False,
    fresh: Annotated[bool, typer.Option("--fresh", help="Discard the results already in the folder (also a "
                                                        "damaged one).")] = False,
) -> None:
    """Run every (arm, seed) of an experiment; resume a folder that holds part of it (damaged runs are rerun)."""
    from gigsim.api import run_experiment

    folder = output_path(out_dir)
    with progress_bar() as bar:
        task = bar.add_task(experiment_file.stem, total=None, extra="")

        def progress(done: int, todo: int, counts: dict) -> None:
            bar.update(task, total=todo, completed=done, extra=f"done {counts['done']}, failed {counts['failed']}")

        outcome = run_experiment(experiment_file, folder, jobs=jobs, cluster=cluster, fresh=fresh,
                                 retry_failed=retry_failed, seeds=seeds, days=days, workers=workers,
                                 progress=progress)
    counts = outcome.counts
    out.print(f"{outcome.experiment.name}: {counts['done']} of {outcome.total} runs done, {counts['failed']} failed "
              f"({outcome.ran} run now) in {outcome.folder}")
    if outcome.failed:
        for r in outcome.failed[:5]:
            err.print(f"  failed: arm={r['arm']} seed={r['seed_index']}: {r['error']}", highlight=False, markup=False)
        raise GigsimError(f"{len(outcome.failed)} run(s) failed; fix the cause and rerun with --retry-failed")
    out.print(f"Compare the arms with: gigsim compare {outcome.folder}")


@app.command()
def compare(
    results: Annotated[Path, typer.Argument(metavar="DIR", help="Results folder of `gigsim experiment`.")],
    report_dir: Annotated[str | None, typer.Option("--report", help="Report folder (default: DIR/report).")] = None,
    window: Annotated[str | None, typer.Option(help="Compare over days FROM:TO (TO exclusive) or 'last N days'.")] = None,
) -> None:
    """Compare the arms of an experiment: means with 95% intervals, paired differences, a report.

    Every result file is checked against the SHA-256 recorded when it was written."""
    from gigsim.analysis.compare import print_comparison
    from gigsim.analysis.report import write_report
    from gigsim.api import compare_results

    target = output_path(report_dir, results / "report")
    comparison = compare_results(results, windows=[window] if window else None)
    written = write_report(comparison, target)
    print_comparison(comparison, out)
    out.print(f"Wrote {', '.join(str(p) for p in written)}")


@app.command("validate-facts")
def validate_facts(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale the population to N workers.")] = 5000,
    seed: Annotated[int | None, typer.Option(min=0, max=SEED_MAX, help="First seed (default: the scenario's).")] = None,
    days: Annotated[int, typer.Option(min=400, max=DAYS_MAX, help="Days per run (the last 365 are measured).")] = 730,
    seeds: Annotated[int, typer.Option(min=1, max=100, help="Seeds to average over (seed, seed + 1, ...).")] = 5,
    out_text: Annotated[str | None, typer.Option("--out", help="Write facts.md and facts.json here.")] = None,
) -> None:
    """Score the scenario against published levels: every scorecard measure (calibrated and held out) with its
    source, band, simulated mean over seeds [95% interval] and verdict. Exits 1 if any measure fails."""
    from gigsim.analysis.evidence import write_facts
    from gigsim.analysis.facts import worlds_needed
    from gigsim.analysis.scorecard import run_scorecard
    from gigsim.api import prepare_scenario
    from gigsim.io import check_writable

    out_dir = output_path(out_text)
    sc = prepare_scenario(scenario, seed=seed, days=days, workers=workers)
    if out_dir is not None:
        check_writable(out_dir)
    first = sc.seed if seed is None else seed
    with progress_bar() as bar:
        task = bar.add_task("scorecard", total=seeds * worlds_needed(sc) * days, extra=f"{workers:,} workers")
        card = run_scorecard(sc, first, seeds, days, progress=lambda: bar.advance(task))
    command = (f"gigsim validate-facts {scenario} --workers {workers} --seed {first} --seeds {seeds} "
               f"--days {days}" + (f" --out {out_dir}" if out_dir is not None else ""))
    written = write_facts(card, out_dir, command) if out_dir is not None else []
    _print_scorecard(card)
    if written:
        out.print(f"Wrote {', '.join(str(p) for p in written)}")
    if any(x.holds is False for x in card.scores):
        raise typer.Exit(1)


def _print_scorecard(card) -> None:
    table = Table(title=f"Scorecard: {card.scenario}, {card.workers:,} workers, {card.seed_text}")
    for col in ("measure", "kind", "role", "band", "simulated [95% CI]", "holds", "source"):
        table.add_column(col, overflow="fold")
    for x in card.scores:
        m = x.measure
        lo, hi = x.interval
        value = "n/a" if x.value is None else f"{x.value:.3g}" + ("" if lo is None else f" [{lo:.3g}, {hi:.3g}]")
        verdict = "n/a" if x.holds is None else ("[green]yes[/]" if x.holds else "[bold red]no[/]")
        table.add_row(m.name, m.kind, m.role, f"{m.low:.3g} to {m.high:.3g}", value, verdict, m.source.short())
    out.print(table)
    for role in ("calibrated", "held_out"):
        held, n = card.held(role)
        out.print(f"{role}: {held} of {n} measures hold.")


@app.command()
def replicate(
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale every arm's population to N "
                                                                       "workers.")] = 5000,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="First seed; each seed runs both arms (paired).")] = 0,
    seeds: Annotated[int, typer.Option(min=2, max=100, help="Seeds per arm.")] = 5,
    episode: Annotated[list[str] | None, typer.Option(help="Run only these episodes (repeatable).")] = None,
    out_text: Annotated[str | None, typer.Option("--out", help="Write replication.md and replication.json here.")]
    = None,
) -> None:
    """Replicate real episodes (scenario pairs in scenarios/episodes/): the published effect, the simulated
    effect with its 95% interval over paired seeds, and a verdict. Exits 1 if any outcome fails."""
    from gigsim.analysis.evidence import write_replication
    from gigsim.analysis.replicate import EPISODES, runs_needed
    from gigsim.analysis.replicate import replicate as run_replication
    from gigsim.io import check_writable

    out_dir = output_path(out_text)
    known = {e.name: e for e in EPISODES}
    unknown = [name for name in episode or [] if name not in known]
    if unknown:
        raise InputError(f"--episode: unknown episode {', '.join(unknown)} (known: {', '.join(known)})")
    chosen = tuple(known[n] for n in episode) if episode else EPISODES
    if out_dir is not None:
        check_writable(out_dir)
    with progress_bar() as bar:
        task = bar.add_task("episodes", total=runs_needed(chosen, workers, seeds), extra=f"{workers:,} workers")
        rep = run_replication(chosen, workers, seed, seeds, progress=lambda: bar.advance(task))
    command = (f"gigsim replicate --workers {workers} --seed {seed} --seeds {seeds}"
               + "".join(f" --episode {n}" for n in episode or []) + (f" --out {out_dir}" if out_dir else ""))
    written = write_replication(rep, out_dir, command) if out_dir is not None else []
    table = Table(title=f"Replication: {workers:,} workers, {seeds} paired seeds")
    for col in ("episode", "outcome", "band", "simulated [95% CI]", "holds", "source"):
        table.add_column(col, overflow="fold")
    for r in rep.results:
        lo, hi = r.interval
        value = "n/a" if r.simulated is None else f"{r.simulated:+.3g}" + (
            "" if lo is None else f" [{lo:+.3g}, {hi:+.3g}]")
        verdict = "n/a" if r.holds is None else ("[green]yes[/]" if r.holds else "[bold red]no[/]")
        table.add_row(r.episode.name, r.outcome.name, f"{r.outcome.low:.3g} to {r.outcome.high:.3g}", value,
                      verdict, r.outcome.source.short())
    out.print(table)
    held, n = rep.held()
    out.print(f"{held} of {n} outcomes hold.")
    if written:
        out.print(f"Wrote {', '.join(str(p) for p in written)}")
    if any(r.holds is False for r in rep.results):
        raise typer.Exit(1)


@app.command()
def evidence(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale every world to N workers.")] = 5000,
    seeds: Annotated[int, typer.Option(min=2, max=100, help="Seeds of the scorecard and per episode arm.")] = 5,
    out_text: Annotated[str, typer.Option("--out", help="Write facts.md/json and replication.md/json here.")]
    = "results/evidence",
    docs: Annotated[Path, typer.Option(help="Markdown file whose generated sections get the two tables.")]
    = Path("docs/validation.md"),
    splice_docs: Annotated[bool, typer.Option("--docs-update/--no-docs-update", help="Replace the generated "
                                                                                    "sections of --docs.")] = True,
) -> None:
    """Regenerate the evidence: the scorecard (as validate-facts: the scenario's seed and the next ones, 730 days)
    and every replication episode (as replicate: seeds 0, 1, ...), their Markdown and JSON, and the two tables of
    --docs, each between its marker lines `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` (NAME:
    scorecard, replication; written also when measures fail). Exits 1 if any measure or outcome fails, like
    validate-facts."""
    from gigsim.analysis.evidence import evidence_work, run_evidence
    from gigsim.api import prepare_scenario

    out_dir = output_path(out_text)
    sc = prepare_scenario(scenario, days=730, workers=workers)
    command = f"gigsim evidence {scenario} --workers {workers} --seeds {seeds} --out {out_dir}" + (
        f" --docs {docs}" if splice_docs else " --no-docs-update")
    with progress_bar() as bar:
        task = bar.add_task("evidence", total=evidence_work(sc, seeds, 730, workers), extra=f"{workers:,} workers")
        ev = run_evidence(sc, out_dir, docs if splice_docs else None, command, sc.seed, seeds,
                          progress=lambda: bar.advance(task))
    _print_scorecard(ev.card)
    held, n = ev.replication.held()
    out.print(f"replication: {held} of {n} outcomes hold.")
    out.print(f"Wrote {', '.join(str(p) for p in ev.written)}"
              + ("" if not splice_docs else f" ({docs} {'changed' if ev.docs_changed else 'unchanged'})"))
    if ev.failing:
        raise typer.Exit(1)


@app.command()
def translate(
    scenario: Annotated[Path, typer.Argument(help="Scenario the numbers are measured on (the episodes' control).")]
    = Path("scenarios/episodes/control.toml"),
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale the world to N workers.")] = 5000,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="First seed.")] = 0,
    seeds: Annotated[int, typer.Option(min=2, max=100, help="Seeds (one 300-day run each).")] = 5,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if a stored value lies outside its measured "
                                                        "interval.")] = False,
    write: Annotated[bool, typer.Option("--write", help="Write the measured values into the episode and "
                                                        "experiment files.")] = False,
    docs: Annotated[Path | None, typer.Option(help="Markdown file whose generated translation section gets the "
                                                   "table (the values as written, with --write).")] = None,
    root: Annotated[Path | None, typer.Option(help="Folder holding scenarios/episodes/ and experiments/ whose files "
                                                   "store the values (default: this gigsim checkout).")] = None,
) -> None:
    """Re-measure the policy episodes' translated numbers (NYC's per-minute and per-mile rates and cap target,
    Horton's minimum; gigsim/analysis/translation.py) on the control arm over days 120-299, and compare each with
    the value its files store (the NYC episode and experiment, the Horton episode). --check exits 1 when a stored
    value is stale (run it after a re-calibration); --write writes the values, keeping the files' comments; --docs
    writes the table between `<!-- generated:translation -->` and `<!-- /generated:translation -->` (with --check
    also when a value is stale: the miss is the information)."""
    from gigsim.analysis import translation
    from gigsim.api import measure_translations, prepare_scenario

    if check and write:
        raise InputError("--check and --write exclude each other: check the stored values, or write new ones")
    if docs is not None:
        translation.read_docs(docs)
    translation.read_stored(root or translation.ROOT)  # bad input refused before the progress bar shows
    prepare_scenario(scenario, workers=workers)
    with progress_bar() as bar:
        task = bar.add_task("translate", total=seeds * translation.EPISODE_DAYS, extra=f"{workers:,} workers")
        rows = measure_translations(scenario, workers=workers, seed=seed, seeds=seeds, root=root,
                                    progress=lambda: bar.advance(task))
    table = Table(title=f"Translations: {scenario}, {workers:,} workers, seeds {seed}-{seed + seeds - 1}")
    for col in ("number", "file: field", "per seed", "measured [95% CI]", "stored", "current"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.number.name, f"{r.target.file}: {r.target.field}", *translation.cells(r),
                      "[green]yes[/]" if r.current else "[bold red]no[/]")
    out.print(table)
    stale = [r for r in rows if not r.current]
    out.print(f"{len(rows) - len(stale)} of {len(rows)} stored values are current.")
    command = (f"gigsim translate {scenario} --workers {workers} --seed {seed} --seeds {seeds}"
               + (" --write" if write else " --check" if check else "") + (f" --docs {docs}" if docs else "")
               + (f" --root {root}" if root else ""))
    written = translation.write_values(rows, root or translation.ROOT) if write else []
    if docs is not None and translation.splice_table(docs, translation.markdown(
            translation.as_written(rows) if write else rows, str(scenario), workers, range(seed, seed + seeds), command)):
        written.append(docs)
    if write or docs is not None:
        out.print(f"Wrote {', '.join(str(p) for p in written)}" if written else "Every file already held its values.")
    if check and stale:
        raise typer.Exit(1)


@app.command()
def calibrate(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    budget: Annotated[int, typer.Option(min=1, max=10_000, help="Latin-hypercube points to simulate.")] = 16,
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale the population to N workers.")] = 2000,
    seeds: Annotated[int, typer.Option(min=1, max=100, help="Seeds per point (0, 1, ...; the same for every "
                                                             "point).")] = 2,
    days: Annotated[int, typer.Option(min=400, max=DAYS_MAX, help="Days per run.")] = 730,
    design_seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="Seed of the Latin hypercube.")] = 0,
    identify: Annotated[bool, typer.Option(help="Measure local identification at the best point.")] = True,
    refine: Annotated[bool, typer.Option("--refine", help="Search a box around the scenario's stored record "
                                                          "(calibration/<scenario file>) instead of the full ranges; "
                                                          "its centre is point 0.")] = False,
    around: Annotated[Path | None, typer.Option(help="Refine around this calibration record or best-point TOML "
                                                     "(implies --refine).")] = None,
    shrink: Annotated[float, typer.Option(min=0.01, max=1.0, help="Refinement box half-width, as a share of each "
                                                                  "parameter's range (clipped to its bounds).")] = 0.25,
    free: Annotated[str | None, typer.Option(help="Vary only these parameters (comma-separated, e.g. "
                                                  "entry_rate,demand.level); the others stay at point 0.")] = None,
    confirm_seeds: Annotated[int, typer.Option(min=0, max=100, help="Simulate the best point and point 0 again on "
                                                                    "N fresh seeds (after the calibration's).")] = 0,
    restrictions: Annotated[bool, typer.Option(help="Rank points meeting issue 14's equilibrium restrictions first "
                                                    "(share below the outside option ≤ 0.25; a pay rise "
                                                    "competed away); --no-restrictions ranks by loss alone and says so in "
                                                    "the record.")] = True,
    out_text: Annotated[str, typer.Option("--out", help="Output folder.")] = "results/calibration",
    apply: Annotated[bool, typer.Option("--apply", help="Merge the best point into the scenario file and store "
                                                         "its record in calibration/ beside it.")] = False,
) -> None:
    """Calibrate the free parameters by simulated method of moments on the scorecard's calibrated measures only.

    Writes best.toml (the best point as tables to merge into the scenario), candidates.parquet, candidates.md
    (every point, the loss surface, the identification table) and identification.parquet. With --refine or
    --around the design is local (a box around a previous best point, which is always simulated too). Points
    meeting the equilibrium restrictions (share below the outside option ≤ 0.25, a pay rise competed away) rank
    first; --no-restrictions ranks by loss alone."""
    from gigsim.analysis.calibration import FREE_PARAMETERS, MOMENTS, toml_snippet, write_calibration
    from gigsim.analysis.calibration import calibrate as run_calibration
    from gigsim.analysis.refinement import refinement_for, select_free
    from gigsim.analysis.restrictions import check_measurable
    from gigsim.api import prepare_scenario
    from gigsim.io import check_writable

    out_dir = output_path(out_text)
    sc = prepare_scenario(scenario, days=days, workers=workers)
    chosen = select_free(free, FREE_PARAMETERS)
    local = refinement_for(scenario, sc, around, shrink, FREE_PARAMETERS) if refine or around else None
    if restrictions:
        check_measurable(sc, scenario)
    check_writable(out_dir)
    seed_list, fresh = tuple(range(seeds)), tuple(range(seeds, seeds + confirm_seeds))
    total = budget + 1 + (2 * sum(chosen) if identify else 0) + (2 if fresh else 0)
    with progress_bar() as bar:
        task = bar.add_task("refinement" if local else "calibration", total=total, extra=f"{len(MOMENTS)} moments")
        cal = run_calibration(sc, budget=budget, seeds=seed_list, days=days, design_seed=design_seed,
                              identify=identify, progress=lambda: bar.advance(task), refine=local, free=chosen,
                              confirm_seeds=fresh, restrict=restrictions)
    command = (f"gigsim calibrate {scenario} --budget {budget} --workers {workers} --seeds {seeds} --days {days} "
               f"--design-seed {design_seed}" + ("" if identify else " --no-identify")
               + (f" --around {local.around} --shrink {shrink}" if local else "")
               + (f" --free {free}" if free else "") + (f" --confirm-seeds {confirm_seeds}" if fresh else "")
               + ("" if restrictions else " --no-restrictions")
               + f" --out {out_dir}" + (" --apply" if apply else ""))
    snippet = toml_snippet(cal, sc, budget, seed_list, days, command)
    written = write_calibration(cal, snippet, out_dir)
    _print_calibration(cal, sc.name)
    out.print(snippet, highlight=False, markup=False)
    out.print(f"Wrote {', '.join(str(p) for p in written)}")
    if apply:
        _apply_calibration(out_dir / "best.toml", scenario)


def _print_calibration(cal, name: str) -> None:
    from gigsim.analysis.calibration import MOMENTS

    def cell(v, fmt: str) -> str:
        return "—" if v is None else format(v, fmt)

    ranked = "feasible first, then by loss" if cal.restricted else "by loss alone (--no-restrictions)"
    table = Table(title=f"Calibration of {name}: best 5 of {cal.candidates.height} points, ranked {ranked}")
    for col in ("point", "origin", "inside", "loss", "below outside option (≤ 0.25)", "pay-rise hourly fall (≥ 0.3)",
                "late drivers (≥ 1.2×)", "feasible"):
        table.add_column(col, justify="right")
    for r in cal.candidates.head(5).iter_rows(named=True):
        table.add_row(str(r["point"]), r["origin"], f"{r['inside']}/{len(MOMENTS)}", f"{r['loss']:.4f}",
                      cell(r["below_outside_option"], ".1%"), cell(r["pay_rise_hourly_fall"], "+.2f"),
                      cell(r["pay_rise_driver_ratio"], ".2f"),
                      cell(r["feasible"], ""))
    out.print(table)
    if cal.restricted and not cal.candidates["feasible"][0]:
        out.print("No point meets the equilibrium restrictions: the best is the least infeasible (violation "
                  f"{cal.candidates['violation'][0]:.3f}); see best.toml [calibration.restrictions].",
                  style="yellow")
    c = cal.comparison
    out.print(f"Best against point 0 ({cal.reference}) on the same seeds: loss improvement per seed "
              f"{', '.join(f'{d:+.4f}' for d in c['per_seed_improvement'])}"
              + (f"; on fresh seeds {', '.join(f'{d:+.4f}' for d in cal.confirmation['per_seed_improvement'])}"
                 if cal.confirmation else ""), highlight=False)


def _apply_calibration(record: Path, scenario: Path) -> None:
    from gigsim.analysis.calibration_record import apply_record

    stored = apply_record(record, scenario)
    out.print(f"Merged the calibrated values of {record} into {scenario}; record stored as {stored}")


@app.command("calibrate-apply")
def calibrate_apply(
    record: Annotated[Path, typer.Argument(help="best.toml written by gigsim calibrate.")],
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file to carry the calibration.")] =
        Path("scenarios/baseline.toml"),
) -> None:
    """Merge a calibration's best point into a scenario file (only the calibrated values change, each marked
    `# calibrated`; a comment block names the record) and store the record as calibration/<scenario file> beside
    it. The merged scenario is validated first; on bad input nothing is written (exit 2)."""
    _apply_calibration(record, scenario)


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

    root = configure(results_root)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: other machines can reach the app", highlight=False)
    err.print(f"gigsim ui: http://{host}:{port} (results root {root}); Ctrl-C stops it", highlight=False)
    serve(host, port, root)  # a port in use raises InputError: exit 2 with one message (server.check_port)


def main() -> None:
    """Entry point of the `gigsim` command."""
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
