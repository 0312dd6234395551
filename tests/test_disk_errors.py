"""A full disk or a read-only results folder: a clear error, and never a corrupt or half-written file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from gigsim import io
from gigsim.cli import app
from gigsim.experiments.run import run_scenario, write_run
from gigsim.io import OutputError
from gigsim.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
SMALL = Scenario(name="disk").rescaled(300)


@pytest.fixture(scope="module")
def result():
    return run_scenario(SMALL, seed=1, days=5)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_disk_full_at_the_rename_leaves_no_file_behind(tmp_path, result, monkeypatch):
    monkeypatch.setattr(os, "replace", _disk_full)
    with pytest.raises(OutputError, match="the disk is full.*nothing was left half-written"):
        write_run(result, tmp_path / "out")
    assert _files(tmp_path / "out") == []


def test_disk_full_while_writing_keeps_the_previous_complete_file(tmp_path, result, monkeypatch):
    out = write_run(result, tmp_path / "out")
    before = {name: (out / name).read_bytes() for name in _files(out)}
    real_write_all = io._write_all
    calls = []

    def write_half_then_fail(fd, data):
        calls.append(len(data))
        if len(calls) < 2:
            return real_write_all(fd, data)
        real_write_all(fd, data[: len(data) // 2])  # a torn write: half the bytes, then the disk is full
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(io, "_write_all", write_half_then_fail)
    changed = run_scenario(SMALL, seed=2, days=5)
    with pytest.raises(OutputError, match=r"markets\.parquet: could not write \(the disk is full\)"):
        write_run(changed, out)
    monkeypatch.undo()
    # never a mix: the new metrics.parquet (written first) is not beside the old files; the old run is whole
    assert _files(out) == sorted(before)
    assert {name: (out / name).read_bytes() for name in _files(out)} == before
    assert pl.read_parquet(out / "metrics.parquet").equals(result.metrics)
    assert _files(tmp_path) == ["out"], "no temporary sibling folder is left"


def test_a_failed_manifest_write_leaves_the_run_unmarked(tmp_path, result, monkeypatch):
    real_json = io.write_json

    def no_space_for_json(data, target, make_parents=True):
        raise OutputError(f"{target}: could not write (the disk is full); nothing was left half-written")

    monkeypatch.setattr(io, "write_json", no_space_for_json)
    with pytest.raises(OutputError, match="disk is full"):
        write_run(result, tmp_path / "out")
    assert "manifest.json" not in _files(tmp_path / "out")  # the manifest, written last, marks completion
    assert not any(name.endswith(".tmp") for name in _files(tmp_path / "out"))
    assert real_json is not no_space_for_json


def test_a_read_only_folder_is_refused_before_any_work(tmp_path, result, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: False if Path(path) == folder
                        else real_access(path, mode, **kw))
    with pytest.raises(OutputError, match="the folder is read-only"):
        write_run(result, folder)
    assert _files(folder) == []


def test_a_read_only_file_system_gives_a_clear_error(tmp_path, result, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(io.tempfile, "mkstemp", read_only)
    with pytest.raises(OutputError, match="could not write|read-only"):
        write_run(result, tmp_path / "out")
    assert _files(tmp_path / "out") == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the simulated case covers it")
def test_a_really_read_only_folder(tmp_path, result):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="read-only"):
            write_run(result, folder)
        assert _files(folder) == []
    finally:
        folder.chmod(0o755)


def test_the_cli_reports_a_full_disk_in_one_line_without_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", _disk_full)
    out = tmp_path / "out"
    scenario = ROOT / "scenarios" / "baseline.toml"
    result = CliRunner().invoke(app, ["run", str(scenario), "--workers", "300", "--days", "3", "--out", str(out)])
    assert result.exit_code == 1
    assert "the disk is full" in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert result.stderr.count("error:") == 1
    assert _files(out) == []


def test_an_output_path_that_is_a_file_is_refused(tmp_path):
    target = tmp_path / "results"
    target.write_text("not a folder")
    scenario = ROOT / "scenarios" / "baseline.toml"
    result = CliRunner().invoke(app, ["run", str(scenario), "--workers", "300", "--days", "2", "--out", str(target)])
    assert result.exit_code != 0
    assert "exists and is not a folder" in result.stderr and "Traceback" not in result.stderr
    assert target.read_text() == "not a folder"


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 64 KB file system (tmpfs), where it can be mounted (root with mount rights)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    import subprocess

    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small file system here; the simulated full disk above covers the rule")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


@pytest.mark.parametrize("command", ["run", "experiment"])
def test_a_really_full_disk_names_the_file_in_one_line(tiny_disk, tmp_path, command):
    """Polars writing Parquet to a full disk said `ComputeError: parquet: File out of specification`; gigsim
    now makes the Parquet bytes in memory and writes them itself, so the disk's own error is reported."""
    from tests.test_experiment_support import write_experiment

    out = tiny_disk / "out"
    source = ROOT / "scenarios" / "baseline.toml" if command == "run" else write_experiment(tmp_path)
    result = CliRunner().invoke(app, [command, str(source), "--workers", "2000", "--days", "20", "--out", str(out),
                                      *(["--jobs", "1"] if command == "experiment" else [])])
    assert result.exit_code == 1, result.output
    assert "could not write (the disk is full)" in " ".join(result.stderr.split())
    assert "Traceback" not in result.output and "ComputeError" not in result.output
