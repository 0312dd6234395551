"""Exogenous drivers: demand (level, trend, seasonality, shocks) and automation paths, per day.

Everything here is a pure function of the scenario and the day number, so a
run can be replayed or inspected day by day.
"""

from __future__ import annotations

import math

import numpy as np

from gigsim.scenario import Scenario, ShockSpec, TimePath


def path_value(path: TimePath, day: int) -> float:
    """The level of a time path on `day` (see TimePath for the shapes)."""
    if path.shape == "constant":
        return path.level
    if path.shape == "linear":
        if day <= path.start:
            return path.start_level
        if day >= path.end:
            return path.end_level
        frac = (day - path.start) / (path.end - path.start)
        return path.start_level + frac * (path.end_level - path.start_level)
    if path.shape == "logistic":
        z = -path.steepness * (day - path.midpoint)
        z = min(max(z, -700.0), 700.0)
        return path.start_level + (path.end_level - path.start_level) / (1.0 + math.exp(z))
    days = [d for d, _ in path.points]
    levels = [v for _, v in path.points]
    return float(np.interp(day, days, levels))


def shock_multiplier(shock: ShockSpec, day: int) -> float:
    """The multiplicative effect of one shock on `day` (1 = no effect)."""
    end = shock.end_day
    if day < shock.start or (end is not None and day >= end):
        return 1.0
    elapsed = day - shock.start
    if shock.shape == "step":
        return shock.size
    if shock.shape == "ramp":
        frac = min(1.0, (elapsed + 1) / shock.ramp_days)
        return 1.0 + frac * (shock.size - 1.0)
    # decay: jump to `size`, then close the gap to 1 with the given half-life
    return 1.0 - (1.0 - shock.size) * 0.5 ** (elapsed / shock.half_life_days)


def seasonality(sc: Scenario, day: int) -> float:
    """Level × trend × weekly × yearly factor of baseline demand on `day` (day 0 is a Monday)."""
    d = sc.demand
    trend = (1.0 + d.trend_per_year) ** (day / 365.0)
    weekly = d.weekly[day % 7] / (sum(d.weekly) / 7.0 or 1.0)
    yearly = 1.0 + d.yearly_amplitude * math.cos(2.0 * math.pi * (day - d.yearly_peak_day) / 365.0)
    return d.level * trend * weekly * yearly


def demand_multipliers(sc: Scenario, day: int) -> np.ndarray:
    """Demand multiplier per (category, region) on `day`: seasonality × every overlapping shock."""
    cats = sc.active_categories
    regions = sc.population.regions
    mult = np.full((len(cats), regions), seasonality(sc, day), dtype=np.float64)
    for shock in sc.shocks:
        factor = shock_multiplier(shock, day)
        if factor == 1.0:
            continue
        rows = range(len(cats)) if shock.categories == "all" else [
            cats.index(c) for c in shock.categories if c in cats]
        cols = shock.regions if shock.regions is not None else slice(None)
        for r in rows:
            mult[r, cols] *= factor
    return mult


def automation_levels(sc: Scenario, day: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per category on `day`: AI's exposure (≤ the category's ceiling), AI cost per task, augmentation gain.

    The exposure is the share of the category's tasks AI can technically do; how many it takes is decided
    per task against the human price (gigsim.model.automation).

    The augmentation gain is the proportional rise in tasks per hour
    (`augmentation_gain × augmentation level`).
    """
    cats = sc.active_categories
    level = np.zeros(len(cats))
    cost = np.zeros(len(cats))
    gain = np.zeros(len(cats))
    for i, name in enumerate(cats):
        spec = sc.categories[name]
        cost[i] = spec.ai_cost_per_task
        auto = sc.automation.get(name)
        if auto is None:
            continue
        level[i] = min(path_value(auto.level, day), spec.automation_ceiling)
        if auto.ai_cost_per_task is not None:
            cost[i] = path_value(auto.ai_cost_per_task, day)
        gain[i] = auto.augmentation_gain * path_value(auto.augmentation, day)
    return level, cost, gain


def ai_quality(sc: Scenario, day: int) -> np.ndarray:
    """Per category on `day`: AI's quality in skill units (0..1), nan where unset (no quality gap)."""
    cats = sc.active_categories
    out = np.full(len(cats), np.nan)
    for i, name in enumerate(cats):
        auto = sc.automation.get(name)
        if auto is not None and auto.quality is not None:
            out[i] = path_value(auto.quality, day)
    return out
