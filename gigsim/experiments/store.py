"""The results store of an experiment: one folder, a manifest and hive-partitioned Parquet.

Layout::

    DIR/manifest.json                         experiment file (text + sha256), settings, versions, run statuses,
                                              the SHA-256 of every done run's files, the batch that owns DIR
    DIR/arm=NAME/seed=K/metrics.parquet       daily metrics of one run (K = replication index)
    DIR/arm=NAME/seed=K/markets.parquet       daily flows per platform and category
    DIR/arm=NAME/seed=K/workers.parquet       one row per worker at the end of the run
    DIR/arm=NAME/seed=K/run.json              the run's own manifest (scenario, seed, versions, time)
    DIR/.staging/BATCH/...                    runs being written by the batch BATCH (never read as results)

Rules (each tested in tests/test_store.py and tests/test_integrity.py):

- One batch at a time: a batch holds an exclusive lock on DIR/.gigsim.lock for its whole life and writes
  a fresh batch id into the manifest. A run's files are written into DIR/.staging/BATCH (by the batch or its
  pool workers), then moved into place and marked `done` by the batch, under the lock. Staging folders of
  other batches are removed when a batch starts, and a worker never creates its staging folder: a worker of
  a killed batch (which also dies with it, see executors.die_with_parent) can write nowhere that counts.
- Every file is written atomically (gigsim/io.py); its SHA-256 is recorded in the manifest. Reading a
  table (`load_table`, behind compare, the report and the UI) checks every byte against it; resuming checks
  them too and reruns a run whose files are missing or damaged. Every error names the file.
- Paths are literal: files are opened by name and parsed from their bytes; nothing is a glob pattern.
"""

from __future__ import annotations

import hashlib
import io as _bytes_io
import os
import shutil
import uuid
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from polars.exceptions import PanicException, PolarsError

from gigsim import io
from gigsim.errors import InputError
from gigsim.experiments.manifest import (
    FORMAT,
    KIND,
    MANIFEST,
    DamagedResults,
    NotAResultsFolder,
    read_manifest,
)

TABLES = ("metrics", "markets", "workers")
RUN_FILES = (*(f"{t}.parquet" for t in TABLES), "run.json")
LOCK_NAME = ".gigsim.lock"
STAGING = ".staging"


def run_key(arm: str, k: int) -> str:
    return f"arm={arm}/seed={k}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ResultsStore:
    """A results folder opened for running an experiment (single writer: the batch holding the lock)."""

    def __init__(self, folder: Path, manifest: dict, lock, batch: str):
        self.folder = folder
        self.manifest = manifest
        self._lock = lock
        self.batch = batch

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, folder: str | Path, experiment, fresh: bool = False) -> ResultsStore:
        """Open (or create) `folder` for `experiment` and take it for a new batch.

        Refuses a folder holding other results, or a damaged manifest, unless `fresh` (which discards
        gigsim's own files there and nothing else).
        """
        folder = Path(folder)
        _check_folder(folder)
        io.ensure_dir(folder)
        io.check_writable(folder)
        lock = _lock(folder)
        try:
            manifest = _existing(folder, experiment, fresh)
            if manifest is None:
                _discard(folder)
                manifest = new_manifest(experiment)
            else:
                _add_missing_runs(manifest, experiment)
            batch = uuid.uuid4().hex
            manifest["batch"] = batch
            store = cls(folder, manifest, lock, batch)
            store._clean_temporaries()
            store.staging.mkdir(parents=True)
            store.save()
            return store
        except BaseException:
            lock.close()
            raise

    @property
    def staging(self) -> Path:
        """Where this batch's runs are written before they are moved into place."""
        return self.folder / STAGING / self.batch

    def close(self) -> None:
        """Remove this batch's staging folder and release the lock (the OS releases it if the process dies)."""
        if self._lock is None:
            return
        shutil.rmtree(self.staging, ignore_errors=True)  # its own only: the folder may have a new owner
        try:
            (self.folder / STAGING).rmdir()
        except OSError:
            pass
        self._lock.close()
        self._lock = None

    def _clean_temporaries(self) -> None:
        """Delete what a killed batch may have left: staging folders, temporary files (never results)."""
        shutil.rmtree(self.folder / STAGING, ignore_errors=True)
        for run in self.folder.iterdir():
            if run.is_dir() and run.name.startswith("arm="):
                for seed in run.iterdir():
                    for tmp in seed.glob(".*.tmp") if seed.is_dir() else ():
                        tmp.unlink(missing_ok=True)
        for tmp in self.folder.glob(f".{MANIFEST}.*.tmp"):
            tmp.unlink(missing_ok=True)

    # ------------------------------------------------------------------ runs

    def pending(self, retry_failed_only: bool = False) -> list[tuple[str, int]]:
        """Runs still to do, in plan order: missing, failed and damaged ones (or only failed ones).

        A run marked done whose files are missing or differ from their recorded SHA-256 is run again.
        """
        out = []
        for key, r in self.manifest["runs"].items():
            if retry_failed_only:
                if r["status"] == "failed":
                    out.append((r["arm"], r["seed_index"]))
            elif r["status"] != "done" or damaged_file(self.folder / key, r) is not None:
                out.append((r["arm"], r["seed_index"]))
        return out

    def record(self, result: dict) -> None:
        """Store one run's result under the lock: its files into place (from staging), then its status."""
        self._check_owner()
        arm, k = result["arm"], result["seed_index"]
        key = run_key(arm, k)
        entry = self.manifest["runs"][key]
        if result["status"] == "done":
            files = result["files"] if result.get("staged") else write_run_files(self.staging, result)
            _move_into_place(self.staging / key, self.folder / key)
            entry.update(status="done", error=None, files=files)
        else:
            entry.update(status="failed", error=result["error"], files={})
        entry.update(seconds=result.get("seconds"), finished=_now())
        self.save()

    def save(self) -> None:
        """Write the manifest (only while holding the lock, as the batch that owns the folder)."""
        self._check_owner()
        self.manifest["updated"] = _now()
        io.write_json(self.manifest, self.folder / MANIFEST)

    def _check_owner(self) -> None:
        """Refuse to write unless this batch holds the folder's lock (the very lock file still in the folder)
        and is the batch the manifest names."""
        if self._lock is None:
            raise InputError(f"{self.folder}: this batch no longer holds the folder's lock; nothing was written")
        try:
            same = os.stat(self.folder / LOCK_NAME).st_ino == os.fstat(self._lock.fileno()).st_ino
        except OSError:
            same = False
        if not same or self.manifest.get("batch") != self.batch:
            raise InputError(f"{self.folder}: the folder was taken by another batch (its lock file was replaced); "
                             "nothing was written")

    def counts(self) -> dict[str, int]:
        out = {"done": 0, "failed": 0, "pending": 0}
        for r in self.manifest["runs"].values():
            out[r["status"]] = out.get(r["status"], 0) + 1
        return out


# --------------------------------------------------------------------------- opening helpers


def _check_folder(folder: Path) -> None:
    """Refuse, before anything is created, a path that is a file or a folder of other things."""
    if not folder.exists():
        return
    if not folder.is_dir():
        raise io.NotAFolder(f"{folder}: exists and is not a folder")
    if (folder / MANIFEST).exists() and _another_kind(folder / MANIFEST):
        raise NotAResultsFolder(f"{folder / MANIFEST}: is not a gigsim experiment manifest (the folder holds "
                                "something else, e.g. a `gigsim run`); give another --out")
    if not (folder / MANIFEST).exists() and any(p.name not in (LOCK_NAME, STAGING) for p in folder.iterdir()):
        raise NotAResultsFolder(f"{folder}: exists, is not empty and is not a gigsim results folder; "
                                "give another --out")


def _existing(folder: Path, experiment, fresh: bool) -> dict | None:
    """The folder's manifest if it holds results of this very experiment and settings (None: start anew).

    Raises InputError for other results or a damaged manifest, unless `fresh`.
    """
    if not (folder / MANIFEST).exists():
        return None
    try:
        existing = read_manifest(folder)
    except NotAResultsFolder:
        if fresh and not _another_kind(folder / MANIFEST):
            return None  # a damaged manifest of ours: --fresh discards it
        raise
    if fresh:
        return None
    old = existing["experiment"]
    if old.get("sha256") != experiment.sha256:
        raise InputError(f"{folder}: holds results of a different version of the experiment file "
                         f"(sha256 {old.get('sha256', '?')[:12]}, now {experiment.sha256[:12]}); "
                         "rerun with --fresh to discard them, or give another --out")
    settings = experiment.settings()
    if existing["settings"] != settings:
        changed = [k for k in settings if existing["settings"].get(k) != settings[k]]
        raise InputError(f"{folder}: holds results made with different settings ({', '.join(changed)}); "
                         "rerun with the same --seeds/--days/--workers, with --fresh to discard them, "
                         "or give another --out")
    return existing


def _another_kind(path: Path) -> bool:
    """Whether `path` is a readable manifest of something else (a `gigsim run`, another program)."""
    import json

    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return not isinstance(data, dict) or data.get("kind", KIND) != KIND or "scenario_sha256" in data


def _pending_entry(experiment, arm: str, k: int) -> dict:
    return {"arm": arm, "seed_index": k, "seed": experiment.seed(k), "status": "pending", "error": None,
            "seconds": None, "finished": None, "files": {}}


def new_manifest(experiment) -> dict:
    """The manifest of a new results folder for `experiment`: every run pending."""
    from gigsim.experiments.run import environment

    return {
        "kind": KIND, "format": FORMAT, "created": _now(), "updated": _now(),
        "experiment": {"name": experiment.name, "file": str(experiment.path.resolve()),
                       "sha256": experiment.sha256, "text": experiment.text,
                       "description": experiment.spec.description},
        "settings": experiment.settings(),
        "control": experiment.spec.control,
        "outcomes": list(experiment.spec.outcomes),
        "windows": list(experiment.windows),
        "arms": {n: {"description": a.description, "compare_to": a.compare_to, "overrides": a.overrides,
                     "scenario_sha256": a.scenario.content_hash(), "point": a.point,
                     "workers": a.scenario.population.workers}
                 for n, a in experiment.arms.items()},
        "sweep": experiment.sweep,
        "environment": environment(),
        "runs": {run_key(a, k): _pending_entry(experiment, a, k) for a, k in experiment.runs()},
    }


def _add_missing_runs(manifest: dict, experiment) -> None:
    from gigsim.experiments.run import environment

    manifest["environment"] = environment()
    for a, k in experiment.runs():
        manifest["runs"].setdefault(run_key(a, k), _pending_entry(experiment, a, k))


def _discard(folder: Path) -> None:
    """Remove what a previous experiment wrote here (only gigsim's own files and folders)."""
    for child in folder.iterdir():
        if child.is_dir() and (child.name.startswith("arm=") or child.name in ("report", STAGING)):
            shutil.rmtree(child)
    (folder / MANIFEST).unlink(missing_ok=True)


def _lock(folder: Path):
    """An exclusive lock on the folder, so two batches never write one folder at once."""
    import fcntl

    handle = open(folder / LOCK_NAME, "a")  # noqa: SIM115 - held open for the store's lifetime
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise InputError(f"{folder}: another `gigsim experiment` is writing to this folder; "
                         "wait for it to finish or give another --out") from None
    return handle


# --------------------------------------------------------------------------- writing runs


def write_run_files(folder: Path, result: dict, make_parents: bool = True) -> dict[str, str]:
    """Write one finished run's tables and run.json under folder/arm=NAME/seed=K (atomic writes); return
    {file name: SHA-256}.

    With `make_parents=False` (pool workers) `folder` must already exist and is never created: a worker
    whose batch removed its staging folder writes nothing.
    """
    d = Path(folder) / run_key(result["arm"], result["seed_index"])
    if not make_parents:
        try:
            for part in (d.parent, d):
                part.mkdir(exist_ok=True)
        except OSError as exc:
            raise io.OutputError(f"{d}: could not write ({exc.strerror or exc}); its batch is gone") from None
    files = {f"{t}.parquet": io.write_parquet(result[t], d / f"{t}.parquet", make_parents) for t in TABLES}
    files["run.json"] = io.write_json(result["manifest"], d / "run.json", make_parents)
    return files


def _move_into_place(staged: Path, target: Path) -> None:
    """Replace `target` (a run's folder) by `staged` (rename within one file system)."""
    if target.exists():
        shutil.rmtree(target)
    target.parent.mkdir(exist_ok=True)
    os.replace(staged, target)


# --------------------------------------------------------------------------- reading


def done_runs(manifest: dict) -> list[dict]:
    return [r for r in manifest["runs"].values() if r["status"] == "done"]


def damaged_file(run_dir: Path, entry: dict) -> str | None:
    """Why one done run's files cannot be trusted (naming the file), or None if all match their SHA-256."""
    for name in RUN_FILES:
        path = run_dir / name
        try:
            read_verified(path, entry)
        except DamagedResults as exc:
            return str(exc)
    return None


def file_checksums(run_dir: Path) -> dict[str, str]:
    """{file name: SHA-256} of the run files present in `run_dir` (for tools that assemble a results folder)."""
    return {name: hashlib.sha256((Path(run_dir) / name).read_bytes()).hexdigest()
            for name in RUN_FILES if (Path(run_dir) / name).is_file()}


def read_verified(path: Path, entry: dict) -> bytes:
    """The bytes of a run's file, checked against the SHA-256 recorded in the manifest entry `entry`."""
    expected = (entry.get("files") or {}).get(path.name)
    hint = "rerun `gigsim experiment` on this folder to redo the run"
    if expected is None:
        raise DamagedResults(f"{path}: the manifest records no checksum for it; {hint}")
    try:
        with open(path, "rb") as handle:  # opened by name: a literal path, never a pattern
            data = handle.read()
    except FileNotFoundError:
        raise DamagedResults(f"{path}: missing, though the manifest says the run is done; {hint}") from None
    except OSError as exc:
        raise DamagedResults(f"{path}: cannot be read ({exc.strerror or exc}); {hint}") from None
    if hashlib.sha256(data).hexdigest() != expected:
        raise DamagedResults(f"{path}: damaged (its SHA-256 differs from the one recorded when it was written); "
                             f"{hint}")
    return data


def read_parquet_bytes(data: bytes, path: Path) -> pl.DataFrame:
    """Parse Parquet bytes read from `path`; any failure (even a panic of the reader) names the file."""
    try:
        return pl.read_parquet(_bytes_io.BytesIO(data))
    except (PolarsError, PanicException, OSError, ValueError) as exc:
        raise DamagedResults(f"{path}: is not a readable Parquet file ({type(exc).__name__})") from None


def load_table(folder: str | Path, table: str = "metrics", manifest: dict | None = None) -> pl.DataFrame:
    """One table of every done run, with `arm` and `seed` (replication index) columns, sorted.

    Every file is checked against its recorded SHA-256 before it is parsed.
    """
    folder = Path(folder)
    manifest = manifest or read_manifest(folder)
    frames = []
    for r in sorted(done_runs(manifest), key=lambda r: (r["arm"], r["seed_index"])):
        path = folder / run_key(r["arm"], r["seed_index"]) / f"{table}.parquet"
        frame = read_parquet_bytes(read_verified(path, r), path)
        frames.append(frame.select(pl.lit(r["arm"]).alias("arm"), pl.lit(r["seed_index"], pl.Int64).alias("seed"),
                                   pl.all()))
    if not frames:
        return pl.DataFrame()
    return pl.concat(frames, how="diagonal_relaxed")


__all__ = ["ResultsStore", "read_manifest", "load_table", "run_key", "done_runs", "NotAResultsFolder",
           "DamagedResults", "TABLES", "KIND", "FORMAT", "write_run_files", "damaged_file", "read_verified",
           "file_checksums"]
