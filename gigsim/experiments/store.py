"""The results store of an experiment: one folder, a manifest and hive-partitioned Parquet.

Layout::

    DIR/manifest.json                         experiment file (text + sha256), settings, versions, run statuses
    DIR/arm=NAME/seed=K/metrics.parquet       daily metrics of one run (K = replication index)
    DIR/arm=NAME/seed=K/markets.parquet       daily flows per platform and category
    DIR/arm=NAME/seed=K/workers.parquet       one row per worker at the end of the run
    DIR/arm=NAME/seed=K/run.json              the run's own manifest (scenario, seed, versions, time)

Every file is written atomically (gigsim/io.py). A run's Parquet files are written first
and the manifest says `done` only afterwards, so a crash at any moment leaves either a
finished run or one that reruns; the manifest is the single source of truth.
`polars.scan_parquet(DIR / "arm=*/seed=*/metrics.parquet", hive_partitioning=True)`
reads the whole experiment as one table.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from gigsim import io
from gigsim.errors import InputError

KIND = "gigsim-experiment-results"
FORMAT = 1
TABLES = ("metrics", "markets", "workers")
LOCK_NAME = ".gigsim.lock"


class NotAResultsFolder(InputError):
    """A folder given as results that is not one."""


def run_key(arm: str, k: int) -> str:
    return f"arm={arm}/seed={k}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_manifest(folder: str | Path) -> dict:
    """The manifest of a results folder, or NotAResultsFolder with the reason."""
    folder = Path(folder)
    if not folder.exists():
        raise NotAResultsFolder(f"{folder}: no such results folder")
    if not folder.is_dir():
        raise NotAResultsFolder(f"{folder}: is not a folder")
    path = folder / "manifest.json"
    if not path.is_file():
        raise NotAResultsFolder(f"{folder}: is not a gigsim results folder (no manifest.json); "
                                "make one with `gigsim experiment EXPERIMENT --out DIR`")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise NotAResultsFolder(f"{path}: is not a readable manifest ({exc})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise NotAResultsFolder(f"{path}: is not a gigsim experiment manifest")
    if data.get("format") != FORMAT:
        raise NotAResultsFolder(f"{path}: manifest format {data.get('format')!r} is not {FORMAT}")
    return data


class ResultsStore:
    """A results folder opened for running an experiment (single writer: the coordinating process)."""

    def __init__(self, folder: Path, manifest: dict):
        self.folder = folder
        self.manifest = manifest

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, folder: str | Path, experiment, fresh: bool = False) -> ResultsStore:
        """Open (or create) `folder` for `experiment`. Refuses a folder holding other results unless `fresh`."""
        from gigsim.experiments.run import environment

        folder = Path(folder)
        existing = None
        if folder.exists():
            if not folder.is_dir():
                raise NotAResultsFolder(f"{folder}: exists and is not a folder")
            if (folder / "manifest.json").exists():
                existing = read_manifest(folder)
            elif any(p.name != LOCK_NAME for p in folder.iterdir()):
                raise NotAResultsFolder(f"{folder}: exists, is not empty and is not a gigsim results folder; "
                                        "give another --out")
        io.check_writable(folder)
        lock = _lock(folder)
        try:
            settings = experiment.settings()
            if existing is not None and not fresh:
                old = existing["experiment"]
                if old.get("sha256") != experiment.sha256:
                    raise InputError(f"{folder}: holds results of a different version of the experiment file "
                                     f"(sha256 {old.get('sha256', '?')[:12]}, now {experiment.sha256[:12]}); "
                                     "rerun with --fresh to discard them, or give another --out")
                if existing.get("settings") != settings:
                    changed = [k for k in settings if existing.get("settings", {}).get(k) != settings[k]]
                    raise InputError(f"{folder}: holds results made with different settings ({', '.join(changed)}); "
                                     "rerun with the same --seeds/--days/--workers, with --fresh to discard them, "
                                     "or give another --out")
            if existing is not None and fresh:
                cls._discard(folder)
                existing = None
            if existing is None:
                manifest = {
                    "kind": KIND, "format": FORMAT, "created": _now(), "updated": _now(),
                    "experiment": {"name": experiment.name, "file": str(experiment.path.resolve()),
                                   "sha256": experiment.sha256, "text": experiment.text,
                                   "description": experiment.spec.description},
                    "settings": settings,
                    "control": experiment.spec.control,
                    "outcomes": list(experiment.spec.outcomes),
                    "windows": list(experiment.windows),
                    "arms": {n: {"description": a.description, "compare_to": a.compare_to, "overrides": a.overrides,
                                 "scenario_sha256": a.scenario.content_hash(), "point": a.point,
                                 "workers": a.scenario.population.workers}
                             for n, a in experiment.arms.items()},
                    "sweep": experiment.sweep,
                    "environment": environment(),
                    "runs": {run_key(a, k): {"arm": a, "seed_index": k, "seed": experiment.seed(k), "status": "pending",
                                             "error": None, "seconds": None, "finished": None}
                             for a, k in experiment.runs()},
                }
            else:
                manifest = existing
                manifest["environment"] = environment()
                for a, k in experiment.runs():
                    manifest["runs"].setdefault(run_key(a, k), {"arm": a, "seed_index": k, "seed": experiment.seed(k),
                                                                "status": "pending", "error": None, "seconds": None,
                                                                "finished": None})
            store = cls(folder, manifest)
            store._lock = lock
            store._clean_temporaries()
            store.save()
            return store
        except BaseException:
            lock.close()
            raise

    @staticmethod
    def _discard(folder: Path) -> None:
        """Remove what a previous experiment wrote here (only gigsim's own files)."""
        for child in folder.iterdir():
            if child.is_dir() and child.name.startswith("arm="):
                shutil.rmtree(child)
            elif child.name == "report" and child.is_dir():
                shutil.rmtree(child)
        (folder / "manifest.json").unlink(missing_ok=True)

    def close(self) -> None:
        """Release the folder's lock (also released by the OS if the process dies)."""
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.close()
            self._lock = None

    def _clean_temporaries(self) -> None:
        """Delete temporary files a killed batch may have left (never counted as results)."""
        for tmp in self.folder.glob("arm=*/seed=*/.*.tmp"):
            tmp.unlink(missing_ok=True)
        for tmp in self.folder.glob(".manifest.json.*.tmp"):
            tmp.unlink(missing_ok=True)

    # ------------------------------------------------------------------ runs

    def pending(self, retry_failed_only: bool = False) -> list[tuple[str, int]]:
        """Runs still to do: missing and failed ones (or only failed ones), in plan order."""
        out = []
        for r in self.manifest["runs"].values():
            if retry_failed_only:
                if r["status"] == "failed":
                    out.append((r["arm"], r["seed_index"]))
            elif r["status"] != "done" or not self._files_present(r["arm"], r["seed_index"]):
                out.append((r["arm"], r["seed_index"]))
        return out

    def _files_present(self, arm: str, k: int) -> bool:
        d = self.folder / run_key(arm, k)
        return all((d / f"{t}.parquet").is_file() for t in TABLES)

    def record(self, result: dict) -> None:
        """Store one run's result: tables first (unless the worker already wrote them), then its status."""
        arm, k = result["arm"], result["seed_index"]
        entry = self.manifest["runs"][run_key(arm, k)]
        if result["status"] == "done":
            if not result.get("written"):
                write_run_files(self.folder, result)
            entry.update(status="done", error=None)
        else:
            entry.update(status="failed", error=result["error"])
        entry.update(seconds=result.get("seconds"), finished=_now())
        self.save()

    def save(self) -> None:
        self.manifest["updated"] = _now()
        io.write_json(self.manifest, self.folder / "manifest.json")

    def counts(self) -> dict[str, int]:
        out = {"done": 0, "failed": 0, "pending": 0}
        for r in self.manifest["runs"].values():
            out[r["status"]] = out.get(r["status"], 0) + 1
        return out


def write_run_files(folder: Path, result: dict) -> None:
    """Write one finished run's tables and run.json under folder/arm=NAME/seed=K (atomic writes).

    Called by the parent for in-process and Dask runs, and by local pool workers themselves (so the
    parent does not unpickle and write every run's tables while the workers keep the cores busy).
    A run counts as done only once the parent records it in the manifest, after its files exist.
    """
    d = Path(folder) / run_key(result["arm"], result["seed_index"])
    for t in TABLES:
        io.write_parquet(result[t], d / f"{t}.parquet")
    io.write_json(result["manifest"], d / "run.json")


def _lock(folder: Path):
    """An exclusive lock on the folder, so two batches never write one manifest at once."""
    import fcntl

    handle = open(folder / LOCK_NAME, "a")  # noqa: SIM115 - held open for the store's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise InputError(f"{folder}: another `gigsim experiment` is writing to this folder; "
                         "wait for it to finish or give another --out") from None
    return handle


# --------------------------------------------------------------------------- reading


def done_runs(manifest: dict) -> list[dict]:
    return [r for r in manifest["runs"].values() if r["status"] == "done"]


def load_table(folder: str | Path, table: str = "metrics", manifest: dict | None = None) -> pl.DataFrame:
    """One table of every done run, with `arm` and `seed` (replication index) columns, sorted."""
    folder = Path(folder)
    manifest = manifest or read_manifest(folder)
    frames = []
    for r in sorted(done_runs(manifest), key=lambda r: (r["arm"], r["seed_index"])):
        path = folder / run_key(r["arm"], r["seed_index"]) / f"{table}.parquet"
        if not path.is_file():
            raise NotAResultsFolder(f"{path}: missing, though the manifest says the run is done; "
                                    "rerun `gigsim experiment` on this folder to redo it")
        frame = pl.read_parquet(path)
        frames.append(frame.select(pl.lit(r["arm"]).alias("arm"), pl.lit(r["seed_index"], pl.Int64).alias("seed"),
                                   pl.all()))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames, how="diagonal_relaxed")


__all__ = ["ResultsStore", "read_manifest", "load_table", "run_key", "done_runs", "NotAResultsFolder", "TABLES"]
