"""Breaks at the monthly scale: months off that the month's income does not explain, and how soon people come back.

The month-off rule (`household.month_off`, docs/model.md section 7.11 item 3a) pauses a worker only when this month's
other income makes the month not worth working. Two levers add breaks for reasons outside the model (illness,
family, another job's busy season), distinct from leaving for good (item 3f):

- `labour_supply.break_rate` b: at each monthly round, an active contractor who could pause and whose month is
  worth working takes it off with probability b;
- `labour_supply.break_return_rate` c: a worker taking the month off whose month is worth working again comes back
  with probability c at each round (else she takes another month off), so a break lasts 1/c months on average.

With b = 0 and c = 1 (the defaults) nobody takes a break, no random number is drawn and outputs are as without the
rule. No published rate of monthly breaks or of comebacks was found (docs/validation.md, "Chase spells"), so both
are levers set by hand. One uniform per worker from the model's `rng` when on.
"""

from __future__ import annotations

import numpy as np

from gigsim.model.state import ACTIVE, PAUSED


def breaks_on(config) -> bool:
    """Whether either lever departs from its neutral value (b > 0 or c < 1)."""
    ls = config.labour_supply
    return ls.break_rate > 0 or ls.break_return_rate < 1


def with_breaks(model, can: np.ndarray, pause: np.ndarray) -> np.ndarray:
    """Bool (N): who takes this month off, the month-off rule's `pause` plus breaks.

    `can` marks the workers the month-off rule considers this round (in gig work, hours nobody schedules, no
    committed work, not entering today); `pause` those it pauses on this month's income. Among the others in
    `can`, an active worker takes a break when her uniform U < b, and a paused one stays off when U ≥ c.
    """
    if not breaks_on(model.config):
        return pause
    ls = model.config.labour_supply
    w = model.workers
    u = model.rng.random(w.n)
    free = can & ~pause
    starts = free & (w.status == ACTIVE) & (u < ls.break_rate)
    stays = free & (w.status == PAUSED) & (u >= ls.break_return_rate)
    return pause | starts | stays
