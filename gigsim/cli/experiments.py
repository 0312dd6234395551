"""`gigsim experiment` and `gigsim compare`: an experiment's (arm, seed) runs, and their comparison and report
(a face over gigsim/api.py and gigsim/analysis/compare.py, report.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigsim.cli.common import DAYS_MAX, SEEDS_MAX, WORKERS_MAX, err, out, output_path, progress_bar
from gigsim.errors import GigsimError


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
