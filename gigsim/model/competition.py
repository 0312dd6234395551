"""Platforms competing for workers: commissions set against rivals serving the same category.

Applied monthly by gigsim.model.decisions.monthly (after clients' platform choice); docs/model.md section 7.11,
step 8b.
"""

from __future__ import annotations

import numpy as np

from gigsim.model.policies.classification import employer_mask
from gigsim.model.vocabulary import Flow


def monthly_fill_rates(model) -> np.ndarray:
    """(P, C) this month's tasks filled / human tasks posted per market (0.5 where nothing was posted)."""
    month = model.ledger.month
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(month.posted > 0, month.flows[Flow.TASKS_FILLED, : model.n_platforms] / month.posted, 0.5)


def short_of_workers(fill: np.ndarray, posted: np.ndarray, z: float) -> tuple[np.ndarray, bool]:
    """Which rivals' fill rates fall clearly below the leader's (the highest), and whether any does.

    Clearly: by more than z standard errors of the difference of two proportions (pooled), so that a platform
    reacts to a shortage of workers, not to the noise of a month's few posts (a rule comparing raw fill rates
    moved commissions at random in small worlds and made outcomes depend on the population size).
    """
    leader = int(np.argmax(fill))
    filled = fill * posted
    pooled = (filled[leader] + filled) / np.maximum(posted[leader] + posted, 1e-9)
    se = np.sqrt(pooled * (1.0 - pooled) * (1.0 / np.maximum(posted[leader], 1e-9) + 1.0 / np.maximum(posted, 1e-9)))
    short = (fill[leader] - fill) > z * se
    short[leader] = False
    return short, bool(short.any())


def employment_employers(model) -> np.ndarray:
    """Bool (P): platforms employing their workers under the `employment` lever (they price by their own rule,
    gigsim.model.policies.classification, and do not compete on commissions)."""
    if not model.lever_on("employment"):
        return np.zeros(model.n_platforms, dtype=bool)
    return employer_mask(model, model.config.policy.employment)


def compete(model) -> None:
    """Platforms serving the same category set their commissions against each other, within the scenario's bounds.

    For each category with two or more launched contractor platforms (neither lever of employee classification) with posts this month, every rival whose
    fill rate is clearly below the leader's (`short_of_workers`: short of workers, and losing clients, who weigh
    fill rates) lowers its commission by `commission_step`, which raises its pay appeal to workers; the leader
    (workers to spare) then raises its own by the step. Commissions stay in [`commission_min`, `commission_max`]
    (widened to include the platform's own scenario commission); a platform in several contested categories moves
    once a month, by the first contested category it serves.
    """
    spec = model.config.competition
    if not spec.enabled or model.n_platforms < 2:
        return
    fill = monthly_fill_rates(model)
    contestants = model.launched() & ~model.employer_platforms() & ~employment_employers(model)
    moved = np.zeros(model.n_platforms, dtype=bool)
    for c in range(model.n_categories):
        rivals = np.flatnonzero(model.serves[:, c] & contestants & (model.ledger.month.posted[:, c] > 0))
        if rivals.size < 2:
            continue
        short, any_short = short_of_workers(fill[rivals, c], model.ledger.month.posted[rivals, c], spec.signal_z)
        leader = np.arange(rivals.size) == int(np.argmax(fill[rivals, c]))
        step = spec.commission_step * np.where(short, -1.0, np.where(leader & any_short, 1.0, 0.0))
        free = ~moved[rivals]
        mover = rivals[free]
        nominal = np.array([model.config.platforms[model.platform_names[p]].commission for p in mover])
        low, high = np.minimum(spec.commission_min, nominal), np.maximum(spec.commission_max, nominal)
        model.commission[mover] = np.clip(model.commission[mover] + step[free], low, high)
        moved[rivals] = True
