"""The initial pool's past: category moves people made before the first simulated day.

`[[population.past_moves]]` and `[population.past_spells]` (both opt-in; docs/model.md section 5, "Initialisation" and "Steady state") lists moves
between categories — retraining and distress switches — that the people of the pool at the start made before it,
each as the share of the people drawn in `origin` who can work in `target` (its asset) and have already moved there;
`past_spells` draws former participants with their last spell's earnings remembered. Without them nobody has a past (the draws of the model before it existed, so scenarios without it give identical
outputs).
"""

from __future__ import annotations

from pydantic import Field, field_validator

from gigsim.scenario.base import Share, Strict


class PastMove(Strict):
    """One move of the past: a share of the people drawn in `origin` who can work in `target` are now in `target`."""

    origin: str
    """The category the person was drawn in (by `worker_share`)."""
    target: str
    """The category she moved to before the start (she has its asset and, from the move, its skill)."""
    share: Share
    """Share of the people drawn in `origin` who can work in `target`, and have not already moved by an earlier
    entry, who have moved to `target` (measured on the model's own long run: an initial condition, not a fit)."""


def check_moves(moves: list[PastMove], categories: list[str]) -> tuple[str, str] | None:
    """(field, name) of the first past move naming a category not in `categories`, or None."""
    for i, move in enumerate(moves):
        for key in ("origin", "target"):
            if getattr(move, key) not in categories:
                return f"population.past_moves[{i}].{key}", getattr(move, key)
    return None


class PastSpells(Strict):
    """Former participants at the start: people out of gig work who were in it before, with their last spell's
    earnings remembered (docs/model.md 5). Measured on the model's own long run, not fitted."""

    share: Share
    """Share of the people of the pool at the start who are not active and have left gig work before (a past spell)."""
    gap_quantiles: list[float] = Field(min_length=2, max_length=100)
    """Quantiles, at evenly spaced probabilities (k + 0.5)/K, of what a former participant remembers: her last
    spell's net hourly earnings + her autonomy value − her reservation wage (currency per hour), in rising order."""

    @field_validator("gap_quantiles")
    @classmethod
    def _rising(cls, values: list[float]) -> list[float]:
        if any(b < a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError("must be in rising order")
        return values
