"""The per-agent reference's freelance hiring rules (docs/model.md 7.2, 7.4-7.7), written the obvious way.

- A worker's hours over a task depend on her skill: the category's (median worker's) hours × exp(−β (s − centre))
  (β, centre: the category's `productivity_ratio` on the primary-skill distribution, gigsim.model.terms).
- On bids platforms her ask is a rate per hour: her bid for a task is ask × base price × price multiplier × her
  hours / the median worker's, and the client weighs that bid against her rating.
- On bids platforms the client posts every task (the bids are unknown until it screens them); its budget acts at
  screening: in the rounds, on a direct re-hire of its favourite and on a referral.
"""

from __future__ import annotations

import math

from gigsim.model.vocabulary import Pricing


def task_hours(model, worker, c: int) -> float:
    """Hours `worker` takes over a task of category c (her skill's)."""
    prm = model.params
    slope = prm.hours_slope[c]
    if slope == 0.0:
        return prm.task_hours[c]
    return prm.task_hours[c] * math.exp(-slope * (worker.skill[c] - prm.skill_centre[c]))


def bid(model, worker, c: int, p: int, hours: float) -> float:
    """Her bid for a task of category c on bids platform p, if she takes `hours` over it (currency)."""
    prm = model.params
    return worker.ask * prm.base_price[c] * prm.price_multiplier[p] * (hours / prm.task_hours[c])


def posts(model, p: int, price: float, budget: float) -> bool:
    """Whether a client posts a demanded task: always on a bids platform, else if the price is within its budget."""
    return model.pricing[p] == Pricing.BIDS or price <= budget


def rehire_within_budget(model, worker, task, hours: float) -> bool:
    """A direct re-hire on a bids platform needs the favourite's bid within the client's budget."""
    if model.pricing[task.platform] != Pricing.BIDS:
        return True
    return bid(model, worker, task.category, task.platform, hours) <= task.wtp
