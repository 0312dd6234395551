"""Results that cannot be silently wrong (issue 17, items 1-4), each reproduced as it was found.

1. a killed batch's pool workers die with it, and a dead batch's worker can write nothing that counts;
2. every result file's SHA-256 is recorded and checked on read (compare) and on resume (a damaged run reruns);
3. every path is literal (a folder named with `[` or `*` is read as named, never as a pattern);
4. `gigsim run --out` writes only into an empty folder or a previous run's, and never leaves a mix.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigsim.analysis.compare import compare_results
from gigsim.cli import app
from gigsim.experiments.executors import execute_and_write
from gigsim.experiments.plan import load_experiment
from gigsim.experiments.store import ResultsStore
from tests.test_experiment_support import BASELINE, GIGSIM, SMALL, manifest, result_bytes, write_experiment

runner = CliRunner()

TINY = (SMALL.replace("seeds = 2", "seeds = 1").replace("days = 60", "days = 20")
        .replace("workers = 1000", "workers = 300").split("[arms.recession]")[0])
"""Two arms (control, floor), one seed, 20 days, 300 workers."""


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """A finished tiny experiment (2 runs) and its result bytes."""
    folder = tmp_path_factory.mktemp("finished")
    path = write_experiment(folder, TINY, "tiny.toml")
    out = folder / "out"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return path, out, result_bytes(out)


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns(".gigsim.lock"))
    return dst


# --------------------------------------------------------------------------- 1. orphans


def _pool_workers(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [c for c in proc.children(recursive=True) if "spawn_main" in " ".join(c.cmdline())]
    except psutil.Error:
        return []


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_pool_workers_die_with_a_killed_batch(tmp_path, sig):
    long = TINY.replace("days = 20", "days = 400").replace("workers = 300", "workers = 3000")
    path = write_experiment(tmp_path, long, "long.toml")
    out = tmp_path / "out"
    proc = subprocess.Popen([*GIGSIM, "experiment", str(path), "--out", str(out), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    parent = psutil.Process(proc.pid)
    workers: list[psutil.Process] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 2 and proc.poll() is None:
            workers = _pool_workers(parent)
            time.sleep(0.05)
        assert len(workers) == 2, "the batch started its two pool workers"
        time.sleep(1.0)  # the workers are simulating now
        os.kill(proc.pid, sig)  # the coordinator only, as a user's `kill` or an OOM killer would
        proc.wait(timeout=60)
        gone, alive = psutil.wait_procs(workers, timeout=30)
        assert not alive, "every pool worker died with its batch"
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for w in workers:
            if w.is_running():
                w.kill()
    assert not list(out.glob("arm=*/seed=*")), "no run of the killed batch landed in the folder"


def test_a_dead_batchs_worker_writes_nothing_that_counts(tmp_path):
    """A worker that outlives its batch (the old bug) can write neither into the folder nor the new batch."""
    path = write_experiment(tmp_path, TINY, "tiny.toml")
    exp = load_experiment(path)
    out = tmp_path / "out"
    old = ResultsStore.open(out, exp)
    old_staging = old.staging
    old.close()  # the batch is gone (killed), its lock released
    new = ResultsStore.open(out, exp, fresh=True)
    try:
        late = execute_and_write(exp.task("control", 0), str(old_staging))
        assert late["status"] == "failed" and "its batch is gone" in late["error"]
        assert not old_staging.exists() and not list(out.glob("arm=*"))
        assert len(new.pending()) == 2 and manifest(out)["batch"] == new.batch
    finally:
        new.close()
    with pytest.raises(Exception, match="no longer holds the folder's lock"):
        old.record({"arm": "control", "seed_index": 0, "status": "failed", "error": "x"})


def test_a_batch_whose_folder_was_taken_over_writes_nothing(tmp_path):
    """Deleting a running batch's folder releases nothing the OS knows of; a new batch then makes a new lock
    file. The old batch notices (its lock file is not the folder's any more) and refuses to write."""
    path = write_experiment(tmp_path, TINY, "tiny.toml")
    exp = load_experiment(path)
    out = tmp_path / "out"
    old = ResultsStore.open(out, exp)
    shutil.rmtree(out)
    new = ResultsStore.open(out, exp)
    try:
        before = (out / "manifest.json").read_bytes()
        with pytest.raises(Exception, match="taken by another batch"):
            old.record({"arm": "control", "seed_index": 0, "status": "failed", "error": "late"})
        assert (out / "manifest.json").read_bytes() == before
    finally:
        new.close()
        old.close()


# --------------------------------------------------------------------------- 2. checksums


def _metrics(folder: Path) -> Path:
    return folder / "arm=floor" / "seed=0" / "metrics.parquet"


@pytest.mark.parametrize("damage", ["flip", "truncate", "delete"])
def test_a_damaged_file_is_refused_by_compare_and_rerun_on_resume(tmp_path, finished, damage):
    path, reference, expected = finished
    out = _copy(reference, tmp_path / "out")
    target = _metrics(out)
    data = bytearray(target.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
        target.write_bytes(bytes(data))
    elif damage == "truncate":
        target.write_bytes(bytes(data[: len(data) // 3]))
    else:
        target.unlink()
    result = runner.invoke(app, ["compare", str(out)])
    assert result.exit_code == 2, result.output
    assert str(target) in result.stderr and "Traceback" not in result.stderr
    assert ("damaged" in result.stderr) if damage != "delete" else ("missing" in result.stderr)
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert "(1 run now)" in " ".join(result.stdout.split()), "only the damaged run is run again"
    assert result_bytes(out) == expected
    assert runner.invoke(app, ["compare", str(out)]).exit_code == 0


def test_a_deleted_run_json_is_restored_on_resume(tmp_path, finished):
    path, reference, _ = finished
    out = _copy(reference, tmp_path / "out")
    (out / "arm=control" / "seed=0" / "run.json").unlink()
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0 and "(1 run now)" in " ".join(result.stdout.split())
    assert json.loads((out / "arm=control" / "seed=0" / "run.json").read_text())["seed"] == 1000


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_single_bit_flip_is_detected_and_named(tmp_path_factory, finished, data):
    """The issue's 600 random flips read back silently different data 115 times: now every one is refused."""
    _, reference, _ = finished
    out = _copy(reference, tmp_path_factory.mktemp("flip") / "out")
    files = sorted(out.glob("arm=*/seed=*/*.parquet"))
    target = data.draw(st.sampled_from(files))
    raw = bytearray(target.read_bytes())
    bit = data.draw(st.integers(0, len(raw) * 8 - 1))
    raw[bit // 8] ^= 1 << (bit % 8)
    target.write_bytes(bytes(raw))
    if target.name == "metrics.parquet":
        result = runner.invoke(app, ["compare", str(out)])
        assert result.exit_code == 2 and str(target) in result.stderr and "damaged" in result.stderr
    store = ResultsStore.open(out, load_experiment(reference.parent / "tiny.toml"))
    try:
        assert len(store.pending()) == 1, "the damaged run is found on resume"
    finally:
        store.close()


# --------------------------------------------------------------------------- 3. literal paths


@pytest.mark.parametrize("name", ["res[1]", "res*", "res?"])
def test_a_folder_named_like_a_pattern_is_read_as_named(tmp_path, finished, name):
    """Polars used to expand the folder name as a glob: `res[1]` read the sibling `res1`'s runs."""
    _, reference, _ = finished
    mine = _copy(reference, tmp_path / name)
    sibling = _copy(reference, tmp_path / "res1")
    for run in sibling.glob("arm=*"):  # the sibling holds other numbers (and is not a valid folder at all)
        shutil.rmtree(run)
    assert compare_results(mine).per_run.equals(compare_results(reference).per_run)
    result = runner.invoke(app, ["compare", str(mine), "--report", str(tmp_path / "report[x]")])
    assert result.exit_code == 0, result.output


# --------------------------------------------------------------------------- 4. gigsim run --out


def _run(out: Path, *extra: str):
    return runner.invoke(app, ["run", str(BASELINE), "--workers", "300", "--days", "3", "--out", str(out), *extra])


def test_run_will_not_overwrite_an_experiment_folder(tmp_path, finished):
    _, reference, _ = finished
    out = _copy(reference, tmp_path / "exp")
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = _run(out)
    assert result.exit_code == 2 and "is an experiment's results folder" in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_run_writes_only_into_an_empty_or_previous_run_folder(tmp_path):
    out = tmp_path / "run"
    assert _run(out).exit_code == 0
    first = json.loads((out / "manifest.json").read_text())
    assert first["kind"] == "gigsim-run" and set(first["files"]) == {"metrics.parquet", "markets.parquet",
                                                                     "workers.parquet", "panel_weekly.parquet",
                                                                     "panel_monthly.parquet"}
    assert _run(out, "--seed", "5").exit_code == 0, "a previous run's folder is replaced"
    assert json.loads((out / "manifest.json").read_text())["seed"] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"], "no temporary sibling is left"
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep")
    result = _run(other)
    assert result.exit_code == 2 and "is not a previous `gigsim run` folder" in result.stderr
    assert [p.name for p in other.iterdir()] == ["notes.txt"]


def test_run_takes_the_folders_lock(tmp_path):
    out = tmp_path / "run"
    out.mkdir()
    fd = os.open(out, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = _run(out)
        assert result.exit_code == 2 and "another gigsim command is writing this folder" in result.stderr
    finally:
        os.close(fd)
    assert list(out.iterdir()) == []


def test_the_two_rename_fallback_also_replaces_a_run_whole(tmp_path, monkeypatch):
    """Where renameat2 cannot exchange (another OS, a file system without it), two renames replace the folder."""
    from gigsim import io

    out = tmp_path / "run"
    assert _run(out).exit_code == 0
    monkeypatch.setattr(io, "_renameat2_exchange", lambda a, b: False)
    assert _run(out, "--seed", "7").exit_code == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "markets.parquet", "metrics.parquet",
                                                     "panel_monthly.parquet", "panel_weekly.parquet",
                                                     "workers.parquet"]
