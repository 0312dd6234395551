"""The baseline after its burn-in is near a steady state (docs/model.md 5, "Burn-in" and "Steady state"):
hosts take stays during the burn-in, and the number of hosts and of ride drivers does not trend away from its
first half-year."""

from __future__ import annotations

import numpy as np
import polars as pl

from gigsim import GigEconomyModel
from gigsim.model import decisions, upskilling
from gigsim.model.metrics import net_hourly_earnings
from gigsim.model.population import RETRAINED_SKILL, draw_workers
from gigsim.model.state import ACTIVE, LEFT, OUT
from gigsim.model.vocabulary import ExitReason
from tests.helpers import baseline, run

SEEDS = (1, 2, 3)
WORKERS = 3000
FIRST, LATER = (0, 180), (540, 720)


def window_mean(metrics: pl.DataFrame, column: str, window: tuple[int, int]) -> float:
    """Mean of a daily metrics column over days [start, end)."""
    start, end = window
    return float(metrics.filter((pl.col("day") >= start) & (pl.col("day") < end))[column].mean())


def test_hosts_take_stays_during_the_burn_in():
    """A listing is free from the first simulated day, so hosts earn during the burn-in and some stay in gig work.

    With a listing's free day at 0 no host could take a stay before day 0, and the hosts of the baseline's
    burn-in all left (13.6 hosts over days 0-179 against 53 after two years, 4,000 workers, seed 1).
    """
    model = run(baseline(1500, burn_in_days=90), 0, debug=False)  # the burn-in only
    w = model.workers
    stays = model.category_names.index("stays")
    hosts = w.category == stays
    assert w.lifetime_tasks[hosts].sum() > 0                      # stays hosted before day 0
    assert ((w.room_free_day > -90) & (w.room_free_day < 0)).any()  # some listing was booked in the burn-in
    assert ((w.status == ACTIVE) & hosts).sum() > 0


def change_over_seeds(seeds, **overrides) -> dict[str, float]:
    """Days 540-719 against days 0-179 of the baseline (3,000 workers), each column's means summed over `seeds`."""
    first, later = {"workers_rides": 0.0, "workers_stays": 0.0}, {"workers_rides": 0.0, "workers_stays": 0.0}
    for seed in seeds:
        metrics = run(baseline(WORKERS, **overrides), LATER[1], seed, debug=False).metrics
        for column in first:
            first[column] += window_mean(metrics, column, FIRST)
            later[column] += window_mean(metrics, column, LATER)
    return {column: later[column] / first[column] - 1.0 for column in first}


def test_ride_drivers_and_hosts_do_not_trend_after_the_burn_in():
    """The shipped baseline (180-day burn-in, a start with a past), seeds 1-3.

    Measured (sums over seeds 1-3, 3,000 workers, days 540-719 against 0-179): ride drivers −6.3%, hosts +17.9%
    with the start's past and retraining judged by newcomers' earnings; −13.8% and +29.9% with a blank start and
    retraining judged by everyone's (session 7); with hosts idle in the burn-in hosts rose +355%. Tolerances: ride
    drivers within 12% (the blank start fails), hosts within 25%. What is left is slower than the model's long run
    settles (docs/model.md 5, "Steady state").
    """
    change = change_over_seeds(SEEDS)
    assert np.isfinite(list(change.values())).all()
    assert abs(change["workers_stays"]) < 0.25, change
    assert abs(change["workers_rides"]) < 0.12, change



def drawn(seed: int = 5, **population) -> tuple:
    """The baseline's drawn world (2,000 workers, 90-day burn-in) with `population` overrides, and its scenario."""
    sc = baseline(2000, burn_in_days=90, population=population) if population else baseline(2000, burn_in_days=90)
    return draw_workers(sc, np.random.default_rng(seed)), sc


def test_former_participants_at_the_start_remember_a_spell_drawn_from_the_measured_gaps():
    """`population.past_spells`: some of the pool at the start left gig work before and remember its earnings."""
    w, sc = drawn()
    spells = sc.population.past_spells
    starters = np.arange(w.n) < sc.population.workers
    former = w.status == LEFT
    assert former.any() and not former[~starters].any()         # arrivals are fresh: no past
    former_rows = np.flatnonzero(former)
    not_active = starters & (w.status != ACTIVE)
    share, k = spells.share, int(not_active.sum())
    assert abs(former.sum() / k - share) < 4 * np.sqrt(share * (1 - share) / k)
    r = former_rows
    gap = w.ema_net[r] / w.ema_logged[r] + w.autonomy_value[r] - w.reservation_wage[r]
    assert gap.min() >= min(spells.gap_quantiles) - 1e-3 and gap.max() <= max(spells.gap_quantiles) + 1e-3
    assert abs(np.median(gap) - np.median(spells.gap_quantiles)) < 1.5
    assert (w.exit_day[former] < -sc.burn_in_days).all() and (w.entry_day[former] < w.exit_day[former]).all()
    assert (w.exit_reason[former] == ExitReason.PAST).all()  # drawn, not an exit of the run
    # the monthly rules read the drawn memory as what she expects from gig work
    model = GigEconomyModel(baseline(2000, burn_in_days=0), rng=5, create_agents=False)
    mw = model.workers
    hourly = net_hourly_earnings(mw)
    expected = decisions.expected_hourly(model, hourly, decisions.category_earnings(model, hourly))
    left = mw.status == LEFT
    assert left.any() and np.allclose(expected[left], hourly[left])


def test_past_moves_move_only_people_of_the_start_who_have_been_in_gig_work():
    """`population.past_moves`: a move drawn with share 1 moves every active or former participant of the start drawn
    in its origin who has the target's asset, with the skill a course gives; nobody else moves."""
    plain, _ = drawn(past_moves=None)
    moved, sc = drawn(past_moves=[{"origin": "rides", "target": "stays", "share": 1.0}])
    rides, stays = sc.active_categories.index("rides"), sc.active_categories.index("stays")
    been_in = (np.arange(plain.n) < sc.population.workers) & np.isin(plain.status, [ACTIVE, LEFT])
    should = been_in & (plain.category == rides) & plain.has_room
    assert should.sum() > 5
    assert (moved.category[should] == stays).all() and (moved.skill[should, stays] >= RETRAINED_SKILL).all()
    assert (moved.category[~should] == plain.category[~should]).all()


def test_retraining_judges_a_category_by_what_its_newcomers_earn():
    """A driver does not retrain into programming because those who stayed there earn well when its newcomers earn
    less than she does; she does when its newcomers earn well (upskilling.newcomer_earnings)."""
    def retrains(newcomers_hourly: float) -> bool:
        model = GigEconomyModel(baseline(60, burn_in_days=0, behaviour={"upskill_rate": 1.0}), rng=3,
                                create_agents=False)
        w, cats = model.workers, model.category_names
        rides, programming = cats.index("rides"), cats.index("programming")
        w.status[:] = OUT
        w.status[:9], w.employer[:9], w.category[0], w.category[1:9] = ACTIVE, -1, rides, programming
        w.has_car[0], w.savings[0], w.hours_offered[0], w.skill[0] = True, 5000.0, 6.0, 0.0
        w.entry_day[:5], w.entry_day[5:9] = model.day - 400, model.day - 10  # 1-4 stayed, 5-8 newcomers
        hourly = np.full(w.n, np.nan)
        hourly[0], hourly[1:5], hourly[5:9] = 10.0, 40.0, newcomers_hourly
        upskilling.upskilling(model, hourly, decisions.category_earnings(model, hourly))
        return bool(w.upskill_target[0] == programming or w.category[0] == programming)
    assert not retrains(9.0)   # programming's mean over everyone active: (4 × 40 + 4 × 9) / 8 = 24.5
    assert retrains(30.0)
