"""Shared helpers for the experiment, store and compare tests (no tests here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BASELINE = Path(__file__).resolve().parents[1] / "scenarios" / "baseline.toml"
GIGSIM = [sys.executable, "-m", "gigsim.cli"]

SMALL = f"""
name = "small"
description = "A tiny experiment for tests."
scenario = "{BASELINE}"
seeds = 2
days = 60
workers = 1000
control = "control"
outcomes = ["median_net_hourly_earnings", "participants", "fill_rate"]
windows = ["all", "last 30 days"]

[arms.control]
description = "No policy."

[arms.floor]
description = "A pay floor."
overrides.policy.min_pay = {{ enabled = true, hourly = 20.0 }}

[arms.recession]
description = "A recession."
overrides.shocks = [{{ start = 20, duration = 30, size = 0.7 }}]
"""


def write_experiment(folder: Path, text: str = SMALL, name: str = "small.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def result_bytes(folder: Path) -> dict[str, bytes]:
    """Every Parquet file of a results folder, by relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.glob("arm=*/seed=*/*.parquet"))}


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def run_cli(*args: str, env: dict | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    """`gigsim ARGS` in a subprocess (its own process group), with output captured."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([*GIGSIM, *args], capture_output=True, text=True, env=full_env, timeout=timeout,
                          start_new_session=True)
