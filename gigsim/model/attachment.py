"""Heterogeneous attachment by match learning: a worker learns how well gig work suits her only by trying it.

Jovanovic (1979, "Job Matching and the Theory of Turnover", JPE 87(5)): the quality of a match is unknown before it
starts and is learned on the job, so bad matches end early and good ones last, and the hazard of separation falls
with tenure. Here the match is a worker's own value of an hour of gig work beyond what she could know beforehand
(how much she likes driving or hosting, how tiring or costly it turns out to be): a per-worker amount `match_value`
(currency per hour), normal with mean 0 and s.d. `labour_supply.match_dispersion`, drawn when the person is drawn.
Before her first month in gig work she decides on its prior mean (0: her autonomy value is what she expects); at the
first monthly round at which she is in gig work (active or taking the month off, so after a month of it) she learns
it, and from then on it is part of her autonomy value in every comparison (entry, exit, hours, months off), also
after she leaves: a bad match who left does not come back. A former participant drawn at the start with a past spell
(population.draw_past_spells) has learned hers in that spell: she starts with it learned. JPMorgan Chase Institute (Farrell & Greig 2017, "The
Online Platform Economy: Has Growth Peaked?"): "One in six participants in any given month is new, and more than
half of participants exit within 12 months"; docs/model.md section 7.11.
"""

from __future__ import annotations

import numpy as np

from gigsim.model.state import ACTIVE, PAUSED

__all__ = ["draw_matches", "learn", "learn_matches", "learned_now"]


def draw_matches(rng: np.random.Generator, n: int, dispersion: float) -> np.ndarray:
    """(n,) float32 match values (currency per hour): normal, mean 0, s.d. `dispersion`; zeros and no draw when 0."""
    if dispersion == 0:
        return np.zeros(n, dtype=np.float32)
    return (dispersion * rng.standard_normal(n)).astype(np.float32)


def learned_now(status: np.ndarray, learned: np.ndarray) -> np.ndarray:
    """Bool (N): who learns her match at this monthly round: in gig work (active or paused) and not yet learned."""
    return ~learned & ((status == ACTIVE) | (status == PAUSED))


def learn_matches(model) -> np.ndarray:
    """Monthly, before entry and exit: workers in gig work who have not yet learned their match add it to their
    autonomy value (`learned_now`). Returns the indices of those who learned it today."""
    w = model.workers
    who = np.flatnonzero(learned_now(w.status, w.match_learned))
    learn(w, who)
    return who


def learn(workers, rows: np.ndarray) -> None:
    """Rows `rows` (none of them learned yet) learn their match: it joins their autonomy value for good."""
    workers.autonomy_value[rows] += workers.match_value[rows]
    workers.match_learned[rows] = True
