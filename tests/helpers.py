"""Small worlds for fast tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from gigsim import GigEconomyModel, load_scenario
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
