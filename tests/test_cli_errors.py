"""The command line on bad input: one clear message on stderr, exit code 2, no traceback, nothing written.

These run the real `gigsim` entry point in a subprocess (as a user would), so a stray
traceback or a hang would show.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from gigsim.cli import app

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"
HANG_GUARD = 120
"""Seconds after which a command is considered hung (a guard, not a speed requirement)."""


def _commands() -> set[str]:
    return {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands}


def _needs(command: str):
    return pytest.mark.skipif(command not in _commands(), reason=f"`gigsim {command}` is not written yet")


def gigsim(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gigsim.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=HANG_GUARD, cwd=cwd, env={**os.environ, "COLUMNS": "400"})


def assert_clear_error(proc: subprocess.CompletedProcess, *expected: str, code: int = 2) -> None:
    assert proc.returncode == code, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr + proc.stdout
    text = " ".join(proc.stderr.split())
    for part in expected:
        assert part in text, proc.stderr


def _experiment_file(folder: Path) -> Path:
    path = folder / "tiny.toml"
    path.write_text(f'name = "tiny"\nscenario = "{BASELINE}"\nseeds = 1\ndays = 2\ncontrol = "control"\n'
                    '[arms.control]\ndescription = "as is"\n', encoding="utf-8")
    return path


def test_help_lists_the_exit_codes():
    proc = gigsim("--help")
    assert proc.returncode == 0
    text = " ".join(proc.stdout.split())
    for code in ("Exit codes: 0 success", "1 a failure while running", "2 bad input", "130 interrupted"):
        assert code in text


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_missing_scenario_file(tmp_path, command):
    missing = tmp_path / "nowhere.toml"
    args = [command, missing] + (["--out", tmp_path / "out"] if command == "run" else [])
    assert_clear_error(gigsim(*args), f"{missing}: file not found")
    assert not (tmp_path / "out").exists()


def test_a_scenario_that_is_a_folder(tmp_path):
    assert_clear_error(gigsim("validate", tmp_path), f"{tmp_path}: is a folder, not a file")


def test_an_output_path_that_is_a_file(tmp_path):
    target = tmp_path / "taken"
    target.write_text("keep me")
    proc = gigsim("run", BASELINE, "--workers", "200", "--days", "2", "--out", target)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "exists and is not a folder" in " ".join(proc.stderr.split())
    assert target.read_text() == "keep me"


def test_an_out_of_range_option_is_a_usage_error(tmp_path):
    proc = gigsim("run", BASELINE, "--days", "0", "--out", tmp_path / "out")
    assert_clear_error(proc, "--days")
    assert not (tmp_path / "out").exists()


@_needs("experiment")
def test_a_missing_experiment_file(tmp_path):
    assert_clear_error(gigsim("experiment", tmp_path / "nowhere.toml", "--out", tmp_path / "out"), "not found")
    assert not (tmp_path / "out").exists()


@_needs("compare")
@pytest.mark.parametrize("kind", ["empty_folder", "a_file", "missing"])
def test_a_results_folder_that_is_not_one(tmp_path, kind):
    target = tmp_path / "results"
    if kind == "empty_folder":
        target.mkdir()
    elif kind == "a_file":
        target.write_text("metrics")
    proc = gigsim("compare", target)
    assert_clear_error(proc, str(target))
    if kind == "empty_folder":
        assert list(target.iterdir()) == []


@_needs("experiment")
def test_jobs_zero_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    proc = gigsim("experiment", _experiment_file(tmp_path), "--jobs", "0", "--out", out, "--workers", "200")
    assert_clear_error(proc, "--jobs must be at least 1, got 0")
    assert not out.exists() or not any(p.suffix == ".parquet" for p in out.rglob("*"))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the block ends: nobody listens there


@_needs("experiment")
def test_a_cluster_that_does_not_answer_is_a_clear_error_not_a_hang(tmp_path):
    address = f"tcp://127.0.0.1:{_closed_port()}"
    out = tmp_path / "out"
    proc = gigsim("experiment", _experiment_file(tmp_path), "--cluster", address, "--out", out, "--workers", "200")
    assert_clear_error(proc, f"--cluster {address}", "no Dask scheduler answered")
    assert not any(p.suffix == ".parquet" for p in out.rglob("*")) if out.exists() else True
