"""Running one scenario: the same function behind `gigsim run`, experiments and the UI.

`run_scenario` builds the model, runs it, and returns its tables;
`write_run` stores them as `metrics.parquet`, `markets.parquet`,
`workers.parquet`, the worker panels `panel_weekly.parquet` and `panel_monthly.parquet`
(unless turned off) and `manifest.json`.
"""

from __future__ import annotations

import hashlib
import os
import platform as _platform
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import polars as pl

from gigsim import io
from gigsim.errors import InputError
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
    panels: dict[str, pl.DataFrame] = field(default_factory=dict)
    """The worker panels by name ("panel_weekly", "panel_monthly"; gigsim.model.panels); empty when turned off."""


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
                 source: str | None = None, panels: bool = True) -> RunResult:
    """Run a scenario and return its daily metrics, per-market flows, final worker table and worker panels.

    `seed` defaults to the scenario's, `days` to the scenario's, `workers` rescales the
    population (clients with it). `progress`, if given, is called once per simulated day.
    `panels=False` keeps no weekly or monthly panel (about 60 bytes per active worker-week and 20 per
    worker-month in memory; docs/model.md section 8).
    """
    if workers is not None:
        scenario = scenario.rescaled(workers)
    seed = scenario.seed if seed is None else seed
    days = scenario.days if days is None else days
    started = time.perf_counter()
    model = GigEconomyModel(scenario, rng=seed, debug=debug, create_agents=False, source=source)
    setup_seconds = time.perf_counter() - started
    model.recorder.panels.enabled = panels
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
        "panels": panels,
        "setup_seconds": round(setup_seconds, 3),
        "seconds": round(time.perf_counter() - started, 3),
        **environment(),
    }
    tables = {"panel_weekly": model.recorder.panels.weekly_frame(), "panel_monthly": model.recorder.panels.monthly_frame()}
    return RunResult(model.metrics, model.market_metrics, model.worker_table(), manifest,
                     {k: v for k, v in tables.items() if v is not None})


def write_run(result: RunResult, out: str | Path) -> Path:
    """Store a run's tables in `out`: metrics, markets, workers Parquet and manifest.json (with their SHA-256).

    `out` must be missing, empty or a previous `gigsim run`'s folder (see `check_run_folder`). The files are
    written into a temporary sibling folder, which then takes the place of `out` (one atomic exchange on
    Linux): a crash or a full disk leaves either the previous folder or the new one, never a mix. The
    folder is locked while it is replaced.
    """
    out = Path(os.path.abspath(out))  # `--out .` is swapped by its name in its parent
    check_run_folder(out)
    created = not out.exists()
    io.ensure_dir(out)
    try:
        io.check_writable(out)
        with _locked(out):
            check_run_folder(out)
            _write_and_swap(result, out)
    except BaseException:
        if created and out.is_dir() and not any(out.iterdir()):
            out.rmdir()
        raise
    return out


def check_run_folder(out: Path) -> None:
    """Refuse an output folder `gigsim run` must not write into: a file, an experiment's results folder, or a
    folder holding anything but a previous run's files. InputError (exit 2), raised before anything runs."""
    out = Path(out)
    if not out.exists():
        return
    if not out.is_dir():
        raise io.NotAFolder(f"{out}: exists and is not a folder")
    names = {p.name for p in out.iterdir()}
    if not names:
        return
    manifest = _read_json(out / "manifest.json")
    if isinstance(manifest, dict) and manifest.get("kind") == "gigsim-experiment-results":
        raise InputError(f"{out}: is an experiment's results folder (made by `gigsim experiment`); "
                         "`gigsim run` will not overwrite it; give another --out")
    if not (isinstance(manifest, dict) and manifest.get("kind", RUN_KIND) == RUN_KIND and "scenario_sha256" in manifest
            and names <= set(RUN_FILES)):
        raise InputError(f"{out}: exists, is not empty and is not a previous `gigsim run` folder "
                         f"(it holds {', '.join(sorted(names)[:3])}{', ...' if len(names) > 3 else ''}); "
                         "give another --out")


RUN_KIND = "gigsim-run"
PANEL_FILES = ("panel_weekly.parquet", "panel_monthly.parquet")
RUN_FILES = ("metrics.parquet", "markets.parquet", "workers.parquet", *PANEL_FILES, "manifest.json")


def _read_json(path: Path):
    import json

    try:
        return json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None


def _write_and_swap(result: RunResult, out: Path) -> None:
    """Write the run into a new sibling folder of `out`, then exchange the two; remove the old one."""
    import shutil
    import tempfile

    try:
        fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".new", dir=out.parent))
    except OSError as exc:
        raise io.OutputError(f"{out}: could not write ({io.reason(exc)}); nothing was written") from None
    try:
        files = {f"{name}.parquet": io.write_parquet(frame, fresh / f"{name}.parquet", make_parents=False)
                 for name, frame in (("metrics", result.metrics), ("markets", result.markets),
                                     ("workers", result.workers), *result.panels.items())}
        io.write_json({**result.manifest, "kind": RUN_KIND, "files": files}, fresh / "manifest.json",
                      make_parents=False)
        if any(out.iterdir()):
            io.exchange(fresh, out)
        else:  # an empty folder keeps its identity (a shell may stand in it): files move in, manifest last
            for name in RUN_FILES:
                if (fresh / name).exists():
                    os.replace(fresh / name, out / name)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)  # after the exchange: the previous files


class _locked:
    """An exclusive lock on a run folder (its directory handle) while it is replaced; InputError if taken."""

    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        import fcntl

        self.fd = os.open(self.folder, os.O_RDONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(self.fd)
            raise InputError(f"{self.folder}: another gigsim command is writing this folder; "
                             "wait for it to finish or give another --out") from None
        return self

    def __exit__(self, *exc) -> None:
        os.close(self.fd)
