"""Who can take a month off: only a worker close to her margin (spells9b's diagnosis of rare months off).

docs/model.md section 7.11 item 3a: she takes the month off when this month's gap (value − this month's
reservation wage) is negative while her usual gap is not. This month's reservation wage is r × (o × F + g) / (o + g),
so with no fixed cost the month's gap is the usual gap − r × o × (F − 1) / (o + g): an income shock F can push her
out for a month only if her usual gap is below that rise. Active workers mostly sit far above their margin
(docs/validation.md, "Chase spells": median usual gap about 10 an hour), which is why months off are rare.
"""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from gigsim.model import household
from gigsim.model.labour_supply import month_reservation_wage, paused_this_month
from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE, PAUSED
from tests.helpers import baseline

money = st.floats(min_value=0.0, max_value=5_000.0, allow_nan=False)


@given(r=st.floats(min_value=1.0, max_value=60.0), other=money, gig=money,
       factor=st.floats(min_value=0.05, max_value=6.0), usual=st.floats(min_value=-20.0, max_value=60.0))
def test_a_month_off_needs_a_usual_gap_below_the_rise_in_her_reservation_wage(r, other, gig, factor, usual):
    """She pauses exactly when 0 ≤ usual gap < r × o × (F − 1) / (o + g); a fall in other income never pauses her."""
    rise = r * other * (factor - 1.0) / max(other + gig, 1e-9)
    assume(abs(usual - rise) > 1e-6)
    month_rw = month_reservation_wage(np.array([r]), np.array([other]), np.array([factor]), np.array([gig]))
    month_gap = usual - (month_rw - r)
    paused = bool(paused_this_month(np.array([usual]), month_gap)[0])
    assert paused == (0.0 <= usual < rise)
    if factor <= 1.0:
        assert not paused


def test_months_off_come_from_workers_near_their_margin(monkeypatch):
    """In a run with a strong income shock, the month-off rate among workers within 5 an hour of their margin is
    more than twice the rate among those more than 20 an hour above it (whom only a rare, very large rise of other
    income pushes out: the rise is r × o × (F − 1) / (o + g))."""
    sc = baseline(800, days=240, burn_in_days=60, population={"other_income_volatility": 1.0})
    seen: list[tuple[np.ndarray, np.ndarray]] = []
    original = household.month_off

    def recording(model, expected, free):
        """household.month_off, keeping the usual gap of each worker who could pause (as month_off selects them:
        in gig work, hours unscheduled, no backlog, not entering today) and whether she paused."""
        w = model.workers
        usual = household.usual_gap(model, expected + w.autonomy_value)
        in_gig = (w.status == ACTIVE) | (w.status == PAUSED)
        can = in_gig & free & (w.employer < 0) & (w.backlog <= 0) & (w.entry_day != model.day) & (usual >= 0)
        paused = original(model, expected, free)
        flag = np.zeros(w.n, dtype=bool)
        flag[paused] = True
        seen.append((usual[can], flag[can]))
        return paused

    monkeypatch.setattr(household, "month_off", recording)
    model = GigEconomyModel(sc, rng=3, create_agents=False)
    for _ in range(sc.days):
        model.step()
    usual = np.concatenate([u for u, _ in seen])
    paused = np.concatenate([p for _, p in seen])
    near, far = usual < 5.0, usual > 20.0
    assert near.sum() > 50 and far.sum() > 50
    assert paused[near].mean() > 0.05
    assert paused[far].mean() < 0.5 * paused[near].mean()
