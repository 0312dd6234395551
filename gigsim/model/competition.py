"""Platforms competing for workers: commissions set against rivals serving the same category.

Applied monthly by gigsim.model.decisions.monthly (after clients' platform choice); docs/model.md section 7.11,
step 8b.
"""

from __future__ import annotations

import numpy as np


def monthly_fill_rates(model) -> np.ndarray:
    """(P, C) this month's tasks filled / human tasks posted per market (0.5 where nothing was posted)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(model.month_posted > 0, model.month_flows[6, : model.n_platforms] / model.month_posted, 0.5)


def compete(model) -> None:
    """Platforms serving the same category set their commissions against each other, within the scenario's bounds.

    For each category with two or more launched contractor platforms, the platform with the highest fill rate
    this month (it has workers to spare) raises its commission by `commission_step`; every rival with a lower
    fill rate (short of workers, losing clients who weigh fill rates) lowers its commission by the step, which
    raises its pay appeal to workers. Commissions stay in [`commission_min`, `commission_max`] (widened to include
    the platform's own scenario commission); a platform in
    several contested categories moves once a month, by the first contested category it serves.
    """
    spec = model.config.competition
    if not spec.enabled or model.n_platforms < 2:
        return
    fill = monthly_fill_rates(model)
    contestants = model.launched() & ~model.employer_platforms()
    moved = np.zeros(model.n_platforms, dtype=bool)
    for c in range(model.n_categories):
        rivals = np.flatnonzero(model.serves[:, c] & contestants & (model.month_posted[:, c] > 0))
        if rivals.size < 2:
            continue
        leader = rivals[np.argmax(fill[rivals, c])]
        step = np.where(rivals == leader, spec.commission_step, -spec.commission_step)
        step = np.where(fill[rivals, c] == fill[leader, c], np.where(rivals == leader, step, 0.0), step)
        mover = rivals[~moved[rivals]]
        nominal = np.array([model.config.platforms[model.platform_names[p]].commission for p in mover])
        low, high = np.minimum(spec.commission_min, nominal), np.maximum(spec.commission_max, nominal)
        model.commission[mover] = np.clip(model.commission[mover] + step[~moved[rivals]], low, high)
        moved[rivals] = True
