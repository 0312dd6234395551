"""Running one scenario: the same function behind `gigsim run`, experiments and the UI.

`run_scenario` builds the model, runs it, and returns its tables;
`write_run` stores them as `metrics.parquet`, `markets.parquet`,
`workers.parquet` and `manifest.json`.
"""

from __future__ import annotations

import hashlib
import platform as _platform
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import polars as pl

from gigsim import io
from gigsim.model.model import GigEconomyModel
from gigsim.scenario import Scenario

DEPENDENCIES = ("mesa", "numpy", "numba", "scipy", "networkx", "polars", "pyarrow", "pydantic")


@dataclass
class RunResult:
    """The tables of one run and what is needed to reproduce it."""

    metrics: pl.DataFrame
    markets: pl.DataFrame
    workers: pl.DataFrame
    manifest: dict = field(default_factory=dict)


def environment() -> dict:
    """Package and dependency versions, for manifests."""
    versions = {}
    for name in ("gigsim", *DEPENDENCIES):
        try:
            versions[name] = version(name)
        except PackageNotFoundError:
            versions[name] = None
    return {"python": sys.version.split()[0], "platform": _platform.platform(), "versions": versions}


def file_sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def run_scenario(scenario: Scenario, seed: int | None = None, days: int | None = None,
                 workers: int | None = None, progress=None, debug: bool = False,
                 source: str | None = None) -> RunResult:
    """Run a scenario and return its daily metrics, per-market flows and final worker table.

    `seed` defaults to the scenario's, `days` to the scenario's, `workers` rescales the
    population (clients with it). `progress`, if given, is called once per simulated day.
    """
    if workers is not None:
        scenario = scenario.rescaled(workers)
    seed = scenario.seed if seed is None else seed
    days = scenario.days if days is None else days
    started = time.perf_counter()
    model = GigEconomyModel(scenario, rng=seed, debug=debug, create_agents=False, source=source)
    setup_seconds = time.perf_counter() - started
    model.run(days, progress=progress)
    manifest = {
        "scenario_name": scenario.name,
        "scenario_source": source,
        "scenario_file_sha256": file_sha256(source) if source and Path(source).is_file() else None,
        "scenario_sha256": scenario.content_hash(),
        "scenario": scenario.model_dump(mode="json"),
        "seed": seed,
        "days": days,
        "workers": scenario.population.workers,
        "clients": scenario.population.clients,
        "setup_seconds": round(setup_seconds, 3),
        "seconds": round(time.perf_counter() - started, 3),
        **environment(),
    }
    return RunResult(model.metrics, model.market_metrics, model.worker_table(), manifest)


def write_run(result: RunResult, out: str | Path) -> Path:
    """Store a run's tables in `out` (atomic writes; the manifest last, so it marks completion)."""
    out = io.ensure_dir(Path(out))
    io.check_writable(out)
    io.write_parquet(result.metrics, out / "metrics.parquet")
    io.write_parquet(result.markets, out / "markets.parquet")
    io.write_parquet(result.workers, out / "workers.parquet")
    io.write_json(result.manifest, out / "manifest.json")
    return out
