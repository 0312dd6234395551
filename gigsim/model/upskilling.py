"""Upskilling: retraining into a better-paid category as an investment, and switching categories one knows.

Applied monthly by gigsim.model.decisions (completions of courses: decisions.daily_upskilling_completions);
docs/model.md section 7.11, step 5.
"""

from __future__ import annotations

import numpy as np

from gigsim.model import household
from gigsim.model.by_category import category_mean, category_standard_error
from gigsim.model.state import ACTIVE, UPSKILLING

SKILLED = 0.3
"""Skill level from which a worker can work in a category."""

NEWCOMER_DAYS = 90
"""A newcomer is an active worker in the first 90 days of her spell in gig work: the first three monthly rounds,
over which her 30-day trailing earnings cover her own first months (set by hand)."""


def newcomer_earnings(model, hourly: np.ndarray) -> np.ndarray:
    """(C) mean trailing net hourly earnings of each category's newcomers (`NEWCOMER_DAYS`); NaN where it has none.

    What a worker who moves can expect: she starts with no ratings and no repeat clients, like anyone who has just
    started there, not like those who stayed (in reputation-ranked freelancing newcomers earn about two thirds of the
    category's mean: docs/model.md 7.11, step 5)."""
    return category_mean(hourly, model.workers.category, _earners(model, hourly, True), model.n_categories,
                         empty=np.nan)


def _earners(model, hourly: np.ndarray, newcomers_only: bool) -> np.ndarray:
    """(N) bool: active workers with defined trailing net hourly earnings, or only those among them who are
    newcomers (`NEWCOMER_DAYS`)."""
    w = model.workers
    ok = (w.status == ACTIVE) & np.isfinite(hourly)
    return ok & (model.day - w.entry_day < NEWCOMER_DAYS) if newcomers_only else ok


SIGNAL_Z = 2.0
"""Standard errors by which the gap between the target's newcomer mean and the own category's mean must exceed the
trigger before anyone moves (set by hand, as the platforms' `competition.signal_z`)."""


def mean_standard_errors(model, hourly: np.ndarray, newcomers_only: bool) -> np.ndarray:
    """(C) standard error of each category's mean trailing net hourly earnings (currency per hour) over its active
    workers, or over its newcomers (`NEWCOMER_DAYS`) (by_category.category_standard_error); inf where a category
    has nobody."""
    return category_standard_error(hourly, model.workers.category, _earners(model, hourly, newcomers_only),
                                   model.n_categories)


def upskilling(model, hourly: np.ndarray, by_category: np.ndarray) -> None:
    """Workers whose category pays much less than the best they could learn retrain into it.

    Trigger: own category's mean hourly < upskill_trigger × what newcomers earn in the best other category the
    worker can enter (`newcomer_earnings`: a mover starts there as a newcomer; skill categories need no asset,
    asset categories need the asset), by more than `SIGNAL_Z` standard errors of the two means
    (`mean_standard_errors`: in a small world they rest on few workers, and a trigger on their point values fires
    on noise), and the move pays (`move_pays`: the discounted gain over the expected remaining spell exceeds the
    switching cost, the course fee net of any subsidy and the earnings forgone during the course). The course costs
    `upskill_cost` (less the retraining subsidy) and takes `upskill_days` × (1 − peer_learning ×
    share of neighbours skilled in the target) × (1 − subsidy speed-up). Workers already skilled
    in the target switch at once, paying the switching cost.
    """
    w = model.workers
    b = model.config.behaviour
    active = np.flatnonzero((w.status == ACTIVE) & (w.category >= 0) & (w.employer < 0))
    if active.size == 0 or model.n_categories < 2:
        return
    own = by_category[w.category[active]]
    reachable = household.reachable_categories(model, active)
    reachable[np.arange(active.size), w.category[active]] = False
    newcomers = newcomer_earnings(model, hourly)
    reachable &= np.isfinite(newcomers)[None, :]  # nobody started there lately: nothing to judge it by
    value = np.where(reachable, newcomers[None, :], -np.inf)
    target = np.argmax(value, axis=1)
    best = value[np.arange(active.size), target]
    u = model.rng.random(active.size)
    lever = model.config.policy.retraining_subsidy
    subsidy = lever.subsidy_share if model.lever_on("retraining_subsidy") else 0.0
    speedup = lever.speedup if model.lever_on("retraining_subsidy") else 0.0
    fee = b.upskill_cost * (1.0 - subsidy)
    already = w.skill[active, target] >= SKILLED
    course_days = b.upskill_days * (1.0 - speedup)
    worth_it = move_pays(model, best - own, own, w.hours_offered[active], np.where(already, 0.0, fee),
                         np.where(already, 0.0, course_days))
    noise = np.hypot(mean_standard_errors(model, hourly, False)[w.category[active]],
                     b.upskill_trigger * mean_standard_errors(model, hourly, True)[target])
    clear = own < b.upskill_trigger * best - SIGNAL_Z * noise  # a gap the means' sampling noise does not explain
    move = np.isfinite(best) & clear & worth_it & (u < b.upskill_rate)
    movers, target = active[move], target[move]
    if movers.size == 0:
        return
    skilled = w.skill[movers, target] >= SKILLED
    # already skilled: switch now, paying the switching cost
    switch = movers[skilled]
    w.category[switch] = target[skilled]
    w.savings[switch] -= model.config.upskilling.switch_cost
    # otherwise: pay for a course, retrain for a while
    learners, goal = movers[~skilled], target[~skilled]
    afford = w.savings[learners] >= fee
    learners, goal = learners[afford], goal[afford]
    if learners.size == 0:
        return
    skilled_mask = (w.skill >= SKILLED).astype(np.float32)
    peers = (model.worker_network[learners] @ skilled_mask)[np.arange(learners.size), goal]
    deg = np.diff(model.worker_network.indptr)[learners]
    peer_share = np.where(deg > 0, peers / np.maximum(deg, 1), 0.0)
    days = np.ceil(b.upskill_days * (1 - b.peer_learning * peer_share) * (1 - speedup)).astype(np.int32)
    w.savings[learners] -= fee
    model.ledger.day.retraining_subsidies = b.upskill_cost * subsidy * learners.size
    w.status[learners] = UPSKILLING
    w.upskill_target[learners] = goal
    w.upskill_done_day[learners] = model.day + np.maximum(days, 1)
    w.member[learners] = False
    w.backlog[learners] = 0.0


def move_pays(model, gain: np.ndarray, own: np.ndarray, hours: np.ndarray, fee: np.ndarray,
              course_days: np.ndarray) -> np.ndarray:
    """Whether a move to another category pays: discounted gain > switching cost + fee + forgone earnings.

    gain and own are currency per hour (target's and own category's mean net hourly earnings), hours per day.
    Monthly gain = gain × hours × 30, valued over the expected remaining spell: A = Σ_t (β·(1 − q))^t =
    β(1 − q) / (1 − β(1 − q)) months, with β = (1 + `annual_discount_rate`)^(−1/12) and q the monthly random
    exit rate. Costs: `switch_cost`, the course `fee` and the earnings forgone while retraining (own × hours ×
    `course_days`). A move that gains nothing a month (no hours, or no gain) is worth 0 whatever the horizon, also
    an endless one (no discounting and no random exit: A infinite), so it never pays.
    """
    sp = model.config.upskilling
    beta = (1.0 + sp.annual_discount_rate) ** (-1.0 / 12.0) * (1.0 - model.config.behaviour.random_exit_rate)
    months = beta / (1.0 - beta) if beta < 1.0 else np.inf
    # 0 hours × an infinite gain, or a month's 0 × infinite months, is NaN in floating point; the rule says 0
    with np.errstate(invalid="ignore"):
        monthly = gain * hours * household.MONTH_DAYS
        value = np.where((hours == 0.0) | (monthly == 0.0), 0.0, monthly * months)
    cost = sp.switch_cost + fee + np.maximum(own, 0.0) * hours * course_days
    return value > cost
