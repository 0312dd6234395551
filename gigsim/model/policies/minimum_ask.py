"""A platform minimum wage on worker-priced platforms (`[policy.minimum_ask]`, docs/model.md 7.16).

Horton (2025, AER) imposed minimum hourly wages on job openings of oDesk by not letting workers offer to work
for less. In the model a worker on a bids platform asks a multiple of the category's base price (section 7.2):
a task's price is ask × base price × the platform's price multiplier. Each day, before the markets, a covered
worker's ask is raised, where lower, to the multiple at which a task of her category is priced at `hourly` ×
its engaged hours (task plus pickup hours) on the covered platform that requires the most; her weekly ask
decisions then start from it. The client pays the price, so the floor reaches clients through their budgets
(a client whose budget is below an applicant's price does not hire her, section 7.3).
"""

from __future__ import annotations

import numpy as np

from gigsim.model.state import ACTIVE


def minimum_multiple(hourly: float, engaged_hours: np.ndarray, base_price: np.ndarray,
                     price_multiplier: float) -> np.ndarray:
    """The ask (multiple of the base price) at which a task's price equals `hourly` per engaged hour, (C)."""
    return hourly * engaged_hours / np.maximum(base_price * price_multiplier, 1e-9)


def raise_asks(model, lever) -> None:
    """Raise covered workers' asks to the minimum (active members of a covered platform in a covered category)."""
    w = model.workers
    params = model.params
    cats = np.array([model.category_names.index(c) for c in lever.categories if c in model.category_names])
    plats = [model.platform_names.index(p) for p in lever.platforms if p in model.platform_names]
    if cats.size == 0 or not plats:
        return
    engaged = params.task_hours + params.pickup_hours
    floor = np.zeros((w.n,))
    covered = np.isin(w.category, cats) & (w.status == ACTIVE)
    cat = np.maximum(w.category, 0)
    for p in plats:
        need = minimum_multiple(lever.hourly, engaged, params.base_price, float(model.price_multiplier[p]))
        on = covered & w.member[:, p]
        floor[on] = np.maximum(floor[on], need[cat[on]])
    w.ask[:] = np.maximum(w.ask, floor).astype(w.ask.dtype)
