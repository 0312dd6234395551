"""AI take-up: a client hands a task to AI when AI's cost plus its quality gap is below the human price.

The rule (docs/model.md 7.3). A posted task of category c, client k, budget (willingness to pay) b:

1. it is within AI's reach with probability E_c, the category's exposure today (the automation `level`
   path, capped by `automation_ceiling`): the share of tasks AI can technically do (Eloundou et al. 2023);
2. the client considers AI with probability a_k, its adoption propensity (awareness, trust, set-up);
3. it then buys from whichever gives more surplus. A client's budget b is what it would pay for the
   quality a human delivers in expectation, q_h, so a task of quality q is worth b × q / q_h to it:

       AI   if  κ_c + b × (q_h − q_AI,c) / q_h  <  P_h      (= b × q_AI / q_h − κ > b − P_h)

   with κ_c AI's cost per task, q_AI,c AI's quality (in the workers' skill units, 0..1), P_h the human
   price (the posted price on fixed and surge platforms; base price × platform multiplier × the mean ask
   of the category's active workers on bids platforms) and q_h the mean skill of the category's active
   workers. Take-up falls as AI's cost rises and rises with AI's quality; AI costing more than the
   human price (with no quality edge) never takes the task, and a client who values quality more (a
   larger budget) keeps a human longer when AI is worse.

The number of tasks AI takes in a category never exceeds floor(E_c × tasks posted in c): excess draws
(largest exposure draw first) go back to people, so the realised share stays below the exposure.
"""

from __future__ import annotations

import numpy as np

from gigsim.model.state import ACTIVE


def human_terms(category: np.ndarray, status: np.ndarray, skill: np.ndarray, ask: np.ndarray,
                n_categories: int) -> tuple[np.ndarray, np.ndarray]:
    """Per category: mean ask (× base price) and mean skill of its active workers.

    A category with no active worker gets ask 1 and skill nan (the caller then sees no quality gap).
    """
    on = (status == ACTIVE) & (category >= 0)
    cats = category[on]
    n = np.bincount(cats, minlength=n_categories).astype(np.float64)
    ask_sum = np.bincount(cats, weights=ask[on].astype(np.float64), minlength=n_categories)
    skill_sum = np.bincount(cats, weights=skill[on, cats].astype(np.float64), minlength=n_categories)
    has = n > 0
    mean_ask = np.where(has, ask_sum / np.maximum(n, 1.0), 1.0)
    mean_skill = np.where(has, skill_sum / np.maximum(n, 1.0), np.nan)
    return mean_ask, mean_skill


def prefers_ai(ai_cost: np.ndarray, ai_quality: np.ndarray, human_price: np.ndarray, human_quality: np.ndarray,
               budget: np.ndarray) -> np.ndarray:
    """Per task: AI's cost plus the money value of its quality gap is below the human price.

    `human_quality` nan or ≤ 0 (no human to compare with) counts as no gap: cost alone decides.
    """
    known = np.isfinite(human_quality) & (human_quality > 0)
    q_h = np.where(known, human_quality, 1.0)
    gap = np.where(known, budget * (q_h - ai_quality) / q_h, 0.0)
    return ai_cost + gap < human_price


def choose_ai(u_exposed: np.ndarray, u_adopt: np.ndarray, exposure: np.ndarray, adoption: np.ndarray,
              ai_cost: np.ndarray, ai_quality: np.ndarray, human_price: np.ndarray, human_quality: np.ndarray,
              budget: np.ndarray) -> np.ndarray:
    """Per task (all arguments per task): within AI's reach, the client considers AI, and AI gives more surplus."""
    return ((u_exposed < exposure) & (u_adopt < adoption)
            & prefers_ai(ai_cost, ai_quality, human_price, human_quality, budget))


def cap_at_exposure(to_ai: np.ndarray, category: np.ndarray, u_exposed: np.ndarray, exposure: np.ndarray,
                    n_categories: int) -> np.ndarray:
    """Drop AI's excess tasks (largest exposure draw first) so that per category taken ≤ floor(E_c × posted)."""
    posted = np.bincount(category, minlength=n_categories)
    cap = np.floor(exposure * posted + 1e-9).astype(np.int64)
    taken = np.bincount(category[to_ai], minlength=n_categories)
    out = to_ai.copy()
    for c in np.flatnonzero(taken > cap):
        members = np.flatnonzero(out & (category == c))
        excess = members[np.argsort(u_exposed[members], kind="stable")[cap[c]:]]
        out[excess] = False
    return out
