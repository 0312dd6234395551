"""Former participants drawn at the start with a past spell (population.draw_past_spells; docs/model.md 5):
their spell ended before the run, so it is recorded as `drawn_past`, not as a first entry of the run
(first_entry_day stays null until she comes back). The stable panel then needs no rule of its own for them, the
measures of first entries still read a returner as a returner, and her match (attachment) is learned in that spell."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import polars as pl

from gigsim.analysis import welfare
from gigsim.analysis.measures import participation
from gigsim.model.model import GigEconomyModel
from gigsim.model.policies.login_limits import revert_entrants
from gigsim.model.population import draw_workers
from gigsim.model.reference.supply import init_worker
from gigsim.model.state import ACTIVE, LEFT, NO_DAY, OUT
from tests.helpers import baseline
from tests.test_validation import tables

BURN_IN, DAYS, SEED = 60, 150, 4


def test_a_drawn_spell_is_not_an_entry_of_the_run_and_a_return_is_dated_in_the_run():
    sc = baseline(2000, burn_in_days=BURN_IN)
    start = draw_workers(sc, np.random.default_rng(SEED))
    drawn = start.drawn_past
    assert drawn.any() and (start.status[drawn] == LEFT).all() and not drawn[start.status != LEFT].any()
    assert (start.first_entry_day[drawn] == NO_DAY).all()             # nothing of the run yet
    assert (start.entry_day[drawn] < start.exit_day[drawn]).all() and (start.exit_day[drawn] < -BURN_IN).all()
    model = GigEconomyModel(sc, rng=SEED, create_agents=False)       # runs the burn-in
    model.run(DAYS)
    w = model.workers
    drawn = w.drawn_past
    back = drawn & (w.first_entry_day != NO_DAY)
    never = drawn & (w.first_entry_day == NO_DAY)
    assert back.any() and never.any()
    assert (w.first_entry_day[back] >= -BURN_IN).all()               # her first entry in the run
    assert (w.entry_day[never] < -BURN_IN).all()                      # still the drawn spell
    frame = model.worker_table()
    assert frame["drawn_past"].to_numpy().tolist() == drawn.tolist()
    assert frame["first_entry_day"].is_null().to_numpy()[never].all()
    assert not frame["first_entry_day"].is_null().to_numpy()[back].any()


def test_the_panel_counts_a_drawn_former_participant_only_if_back_before_the_start():
    """The closing-8 case: back after the start and gone again (latest exit reason `earnings`) is not an incumbent;
    back before the start, gone, and back after it is one."""
    workers = pl.DataFrame({
        "worker": range(4), "drawn_past": [True, True, True, False],
        "first_entry_day": [None, 100, 20, -30], "entry_day": [-400, 100, 120, -30],
        "exit_day": [-310, 150, 40, None], "exit_reason": ["past", "earnings", "random", None],
        "lifetime_tasks": [0, 3, 5, 9],
        "monthly_net_earnings": pl.Series([[None] * 12] * 4, dtype=pl.Array(pl.Float32, 12)),
    }, strict=False)
    assert welfare.panel_members(workers, 60)["worker"].to_list() == [2, 3]


def test_a_drawn_former_participant_who_returns_is_not_a_first_entrant():
    """entrant_share and retention_12m count first entries: a returner from a drawn spell is not one."""
    status = np.ones((3, 4), np.int8)
    status[0, 1:] = 0                       # 1, 2 and 3 enter in round 1 (day 59); 0 was in already
    first = pl.Series("first_entry_day", [-1, 59, 59, 59])
    plain = tables(month_status=status, workers=tables().workers.with_columns(first))
    with_drawn = tables(month_status=status, workers=tables().workers.with_columns(
        first, pl.Series("drawn_past", [False, False, True, False])))
    assert participation.entrant_share(plain) == (3 / 4) / 2          # rounds 1 and 2: 3 of 4, then 0
    assert participation.entrant_share(with_drawn) == (2 / 4) / 2     # 2 is back from her drawn spell


def test_a_turned_away_returner_goes_back_to_having_left():
    model = GigEconomyModel(baseline(600, burn_in_days=0), rng=SEED, create_agents=False)
    w = model.workers
    row = int(np.flatnonzero(w.drawn_past)[0])
    ps = SimpleNamespace(first_entry_before=w.first_entry_day.copy(), entry_before=w.entry_day.copy())
    w.status[row], w.first_entry_day[row], w.entry_day[row] = ACTIVE, 0, 0   # enters today ...
    revert_entrants(model, ps, np.array([row]))                              # ... and is turned away
    assert w.status[row] == LEFT and w.first_entry_day[row] == NO_DAY
    fresh = int(np.flatnonzero((w.status == OUT) & ~w.drawn_past)[0])
    w.status[fresh], w.first_entry_day[fresh] = ACTIVE, 0
    revert_entrants(model, ps, np.array([fresh]))
    assert w.status[fresh] == OUT


def test_a_drawn_former_participant_starts_with_her_match_learned_in_both_paths():
    """match_dispersion and past_spells on together: her match was learned in her past spell, so it is part of her
    autonomy value from the start, and the gap she remembers is the drawn one, her match included (her remembered
    earnings are lower by it); the reference's agents start from the same drawn state."""
    def world(dispersion: float):
        sc = baseline(2000, burn_in_days=BURN_IN, labour_supply={"match_dispersion": dispersion})
        return draw_workers(sc, np.random.default_rng(SEED))

    w, plain = world(20.0), world(0.0)  # the match is drawn last: every other draw is the same
    drawn = w.drawn_past
    assert drawn.any() and w.match_learned[drawn].all() and not w.match_learned[~drawn].any()
    assert np.any(w.match_value[drawn] != 0.0)
    np.testing.assert_array_equal(w.autonomy_value[drawn], plain.autonomy_value[drawn] + w.match_value[drawn])

    def gap(x):
        return x.ema_net[drawn] / x.ema_logged[drawn] + x.autonomy_value[drawn] - x.reservation_wage[drawn]

    np.testing.assert_allclose(gap(w), gap(plain), rtol=0, atol=1e-3)
    good = w.match_value[drawn] > 0
    assert (w.ema_net[drawn][good] < plain.ema_net[drawn][good]).all()
    row = int(np.flatnonzero(drawn)[0])
    agent = SimpleNamespace()
    init_worker(agent, w, row)
    assert agent.match_learned is True
