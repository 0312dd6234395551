"""The results store: resume after SIGKILL, identical bytes on every executor, clear folder errors."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gigsim.cli import app
from gigsim.experiments.plan import load_experiment
from gigsim.experiments.store import ResultsStore
from tests.test_experiment_support import GIGSIM, manifest, result_bytes, run_cli, write_experiment

runner = CliRunner()


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The small experiment run uninterrupted, in process (jobs=1)."""
    folder = tmp_path_factory.mktemp("reference")
    path = write_experiment(folder)
    out = folder / "out"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return path, out, result_bytes(out)


def _done_count(out: Path) -> int:
    try:
        return sum(r["status"] == "done" for r in json.loads((out / "manifest.json").read_text())["runs"].values())
    except (OSError, ValueError, KeyError):
        return 0


def _assert_complete(out: Path, expected: dict[str, bytes]) -> None:
    runs = manifest(out)["runs"]
    assert len(runs) == 6 and all(r["status"] == "done" for r in runs.values())
    partitions = sorted(str(p.relative_to(out)) for p in out.glob("arm=*/seed=*"))
    assert partitions == sorted(runs), "every run stored exactly once, nothing else"
    assert not list(out.rglob("*.tmp")), "no temporary file is left behind"
    got = result_bytes(out)
    assert got.keys() == expected.keys()
    assert got == expected, ("the combined results equal an uninterrupted batch, byte for byte "
                             "(in a shared tree, also fails if the model code changed during the test run)")


@pytest.mark.slow
@pytest.mark.parametrize("kill_after_done", [0, 1, 4])
def test_batch_killed_with_sigkill_resumes_to_identical_results(tmp_path, reference, kill_after_done):
    path, _, expected = reference
    out = tmp_path / "out"
    jobs = "2" if kill_after_done == 4 else "1"
    proc = subprocess.Popen([*GIGSIM, "experiment", str(path), "--out", str(out), "--jobs", jobs],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if (out / "manifest.json").exists() and _done_count(out) >= kill_after_done:
                break
            time.sleep(0.01)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)   # the whole batch: coordinator and its worker processes
        proc.wait()
    done_before = _done_count(out)
    assert done_before < 6, "the batch was stopped part-way"
    result = run_cli("experiment", str(path), "--out", str(out), "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert f"({6 - done_before} run now)" in result.stdout, "finished runs are kept, the rest run"
    _assert_complete(out, expected)


@pytest.mark.slow
def test_two_jobs_give_the_same_bytes_as_one(tmp_path, reference):
    path, _, expected = reference
    out = tmp_path / "out"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "2"])
    assert result.exit_code == 0, result.output
    _assert_complete(out, expected)


@pytest.fixture(scope="module")
def dask_cluster():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=50)
    try:
        yield cluster
    finally:
        cluster.close()


@pytest.mark.slow
def test_dask_cluster_gives_the_same_bytes(tmp_path, reference, dask_cluster):
    path, _, expected = reference
    out = tmp_path / "out"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--cluster",
                                 dask_cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    _assert_complete(out, expected)


@pytest.mark.slow
def test_dask_worker_killed_mid_batch_still_gives_complete_identical_results(tmp_path, reference, dask_cluster):
    from distributed import Client

    from gigsim.api import run_experiment

    path, _, expected = reference
    out = tmp_path / "out"
    with Client(dask_cluster.scheduler_address, set_as_default=False) as client:
        pids = list(client.run(os.getpid).values())
    killed = threading.Event()

    def progress(done, todo, counts):
        if done and not killed.is_set():
            os.kill(pids[0], signal.SIGKILL)   # a worker process dies while the batch is running
            killed.set()

    outcome = run_experiment(path, out, cluster=dask_cluster.scheduler_address, progress=progress)
    assert killed.is_set() and outcome.counts["done"] == 6
    _assert_complete(out, expected)


# --------------------------------------------------------------------------- folders


def test_folder_that_is_not_a_results_folder_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = runner.invoke(app, ["compare", str(tmp_path)])
    assert result.exit_code == 2 and "is not a gigsim results folder" in result.stderr
    result = runner.invoke(app, ["compare", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "no such results folder" in result.stderr
    (tmp_path / "manifest.json").write_text("{not json")
    result = runner.invoke(app, ["compare", str(tmp_path)])
    assert result.exit_code == 2 and "not a readable manifest" in result.stderr
    path = write_experiment(tmp_path / "exp", name="small.toml") if (tmp_path / "exp").mkdir() is None else None
    result = runner.invoke(app, ["experiment", str(path), "--out", str(tmp_path), "--jobs", "1"])
    assert result.exit_code == 2 and "not a readable manifest" in result.stderr
    (tmp_path / "manifest.json").unlink()
    result = runner.invoke(app, ["experiment", str(path), "--out", str(tmp_path), "--jobs", "1"])
    assert result.exit_code == 2 and "is not empty and is not a gigsim results folder" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine" and not list(tmp_path.glob("arm=*"))


def test_read_only_results_folder_is_a_clear_error(tmp_path):
    target = tmp_path / "ro"
    target.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(target)],
                             capture_output=True).returncode == 0
    if not mounted:
        os.chmod(target, 0o500)
        if os.access(target, os.W_OK):
            pytest.skip("cannot make a read-only folder here (root without mount rights)")
    try:
        path = write_experiment(tmp_path)
        result = runner.invoke(app, ["experiment", str(path), "--out", str(target), "--jobs", "1"])
        assert result.exit_code == 1, result.output
        assert "read-only" in result.stderr and "Traceback" not in result.stderr
        result = runner.invoke(app, ["experiment", str(path), "--out", str(target / "sub"), "--jobs", "1"])
        assert result.exit_code == 1 and "cannot create the folder" in result.stderr
    finally:
        if mounted:
            subprocess.run(["umount", str(target)], check=True)
        else:
            os.chmod(target, 0o700)


def test_two_batches_cannot_write_one_folder_at_once(tmp_path):
    path = write_experiment(tmp_path)
    exp = load_experiment(path)
    first = ResultsStore.open(tmp_path / "out", exp)
    result = runner.invoke(app, ["experiment", str(path), "--out", str(tmp_path / "out"), "--jobs", "1"])
    assert result.exit_code == 2 and "another `gigsim experiment` is writing" in result.stderr
    assert all(r["status"] == "pending" for r in manifest(tmp_path / "out")["runs"].values())
    first.close()
    again = ResultsStore.open(tmp_path / "out", exp)
    assert len(again.pending()) == 6
    again.close()
