"""Small worlds for fast tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from typer.testing import CliRunner

from gigsim import GigEconomyModel, load_scenario
from gigsim.cli import app
from gigsim.scenario import Scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"


def baseline(workers: int = 1500, **overrides) -> Scenario:
    """The baseline scenario at a small size, with nested overrides merged in."""
    sc = load_scenario(BASELINE).rescaled(workers)
    return sc.with_overrides(overrides, "<test>") if overrides else sc


def run(sc: Scenario, days: int, seed: int = 1, debug: bool = True) -> GigEconomyModel:
    """A model of `sc` run for `days` days with the invariants on."""
    model = GigEconomyModel(sc, rng=seed, debug=debug, create_agents=False)
    model.run(days)
    return model


def mean_over_seeds(sc: Scenario, days: int, column: str, seeds=range(3), last: int = 60) -> float:
    """Mean of a metrics column over the last `last` days, averaged over seeds."""
    values = []
    for seed in seeds:
        frame: pl.DataFrame = run(sc, days, seed, debug=False).metrics
        values.append(frame.tail(last)[column].mean())
    return float(np.mean(values))


def refused_run(tmp_path: Path, name: str, body: str, days: int = 5) -> str:
    """`gigsim run` on a file `name` that extends the baseline with `body`, asserted refused: exit 2, no traceback,
    no output folder. Returns the message (stderr, whitespace collapsed) for the caller's checks on file and field."""
    path = tmp_path / name
    path.write_text(f'extends = "{BASELINE}"\n{body}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--days", str(days), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and not out.exists()
    return " ".join(result.stderr.split())
