"""Running a whole experiment into a results folder: the one loop behind `gigsim experiment`, tests and benchmarks.

`run_experiment` validates everything that will run, opens (or resumes) the results folder as a new
batch, runs what is still to do on the chosen executor and records each result as it arrives.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from gigsim.errors import InputError
from gigsim.experiments.executors import connect_cluster, run_tasks
from gigsim.experiments.plan import Experiment, load_experiment
from gigsim.experiments.store import ResultsStore

Progress = Callable[[int, int, dict], None]
"""progress(done now, to do now, counts {"done": n, "failed": m}): called once before and after every run."""


@dataclass
class ExperimentOutcome:
    """What a batch did: the folder, the runs it ran now, and the status of every run of the experiment."""

    experiment: Experiment
    folder: Path
    ran: int
    counts: dict[str, int]
    failed: list[dict] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def default_folder(experiment_file: str | Path) -> Path:
    """results/<experiment file name without .toml>."""
    return Path("results") / Path(experiment_file).stem


def run_experiment(path: str | Path, out: str | Path | None = None, *, jobs: int | None = None,
                   cluster: str | None = None, fresh: bool = False, retry_failed: bool = False,
                   seeds: int | None = None, days: int | None = None, workers: int | None = None,
                   progress: Progress | None = None) -> ExperimentOutcome:
    """Run every (arm, seed) of the experiment file `path` still to do into `out` (default results/<name>).

    Everything is validated before the folder is touched (bad input: InputError/ScenarioError, nothing
    written); then `cluster` (a Dask scheduler address), or `jobs` local processes (default all cores,
    1 = in this process) run the pending runs; each is recorded as it finishes, so an interrupted batch
    resumes where it stopped. Failed runs are recorded, not raised: see `ExperimentOutcome.failed`.
    """
    if jobs is not None and jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    experiment = load_experiment(path, seeds=seeds, days=days, workers=workers)
    folder = Path(out) if out is not None else default_folder(path)
    client = connect_cluster(cluster) if cluster else None
    store = None
    try:
        store = ResultsStore.open(folder, experiment, fresh=fresh)
        todo = store.pending(retry_failed_only=retry_failed)
        counts = {"done": 0, "failed": 0}
        if progress:
            progress(0, len(todo), dict(counts))

        def on_result(result: dict) -> None:
            store.record(result)
            counts[result["status"]] += 1
            if progress:
                progress(counts["done"] + counts["failed"], len(todo), dict(counts))

        run_tasks([experiment.task(a, k) for a, k in todo], on_result, jobs=jobs, cluster=client,
                  staging=store.staging)
        failed = [r for r in store.manifest["runs"].values() if r["status"] == "failed"]
        return ExperimentOutcome(experiment, folder, len(todo), store.counts(), failed)
    finally:
        if client is not None:
            client.close()
        if store is not None:
            store.close()


__all__ = ["run_experiment", "ExperimentOutcome", "default_folder"]
