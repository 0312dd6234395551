"""AI take-up, per task, the obvious way (the reference of gigsim.model.automation; docs/model.md 7.3).

A posted task is within AI's reach with probability E_c (the exposure), its client considers AI with
probability a_k, and it then goes to AI if AI's cost + budget × (q_h − q_AI) / q_h < the human price.
At most floor(E_c × tasks posted in c) tasks of a category go to AI (the smallest exposure draws keep theirs).
"""

from __future__ import annotations

import math

from gigsim.model import drivers
from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Fate, Pricing


def ai_takes(u_exposed: float, u_adopt: float, exposure: float, adoption: float, ai_cost: float,
             ai_quality: float, human_price: float, human_quality: float, budget: float) -> bool:
    """One task: within AI's reach, the client considers AI, and AI's cost plus its quality gap is below the human price."""
    if u_exposed >= exposure or u_adopt >= adoption:
        return False
    if math.isnan(human_quality) or human_quality <= 0:
        gap = 0.0  # no human to compare quality with: cost alone decides
    else:
        gap = budget * (human_quality - ai_quality) / human_quality
    return ai_cost + gap < human_price


def human_terms(workers, n_categories: int) -> tuple[list[float], list[float]]:
    """Per category: the mean ask and mean skill of its active workers (ask 1 and skill nan if none)."""
    asks = [[] for _ in range(n_categories)]
    skills = [[] for _ in range(n_categories)]
    for w in workers:
        if w.status == ACTIVE and w.category >= 0:
            asks[w.category].append(w.ask)
            skills[w.category].append(w.skill[w.category])
    mean_ask = [sum(a) / len(a) if a else 1.0 for a in asks]
    mean_skill = [sum(s) / len(s) if s else math.nan for s in skills]
    return mean_ask, mean_skill


def keep_within_exposure(chosen: list[tuple[float, object]], exposure: float, posted: int) -> list[object]:
    """The tasks AI keeps when `chosen` (exposure draw, task) may exceed floor(exposure × posted)."""
    cap = math.floor(exposure * posted + 1e-9)
    return [task for _, task in sorted(chosen, key=lambda pair: pair[0])[:cap]]


def automate(model) -> int:
    """Hand today's tasks AI takes to AI (fate AUTOMATED); returns how many."""
    prm, rng = model.params, model.rng
    if not any(level > 0 for level in prm.automation_level):
        return 0
    mean_ask, human_quality = human_terms(model.worker_list, model.n_categories)
    ai_quality = drivers.ai_quality(model.config, model.day).tolist()
    chosen = [[] for _ in range(model.n_categories)]
    posted = [0] * model.n_categories
    for t in model.tasks:
        c, p = t.category, t.platform
        posted[c] += 1
        u_exposed, u_adopt = rng.random(), rng.random()
        if model.pricing[p] == Pricing.BIDS:
            human_price = model.base_price[c] * model.price_multiplier[p] * mean_ask[c]
        else:
            human_price = t.price
        q_ai = human_quality[c] if math.isnan(ai_quality[c]) else ai_quality[c]
        if ai_takes(u_exposed, u_adopt, prm.automation_level[c], t.client.ai_adoption, prm.ai_cost[c], q_ai,
                    human_price, human_quality[c], t.wtp):
            chosen[c].append((u_exposed, t))
    taken = 0
    for c in range(model.n_categories):
        for t in keep_within_exposure(chosen[c], prm.automation_level[c], posted[c]):
            t.fate = Fate.AUTOMATED
            taken += 1
    return taken
