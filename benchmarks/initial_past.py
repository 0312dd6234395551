"""Measure the start's past on the model's own long run (docs/model.md 5, "Steady state"; scenarios/baseline.toml).

Runs the baseline without its past (no `past_moves`, no `past_spells`) through a long burn-in and reads, for the
people in the pool on day 0: the category moves of those who have been in gig work (as shares of the people drawn in
`origin` who can work in `target`, in the draw's order), the share of the out of gig work who left with a remembered
spell and the quantiles of what they remember (net hourly + autonomy value − reservation wage), and the active share.
Prints the TOML the baseline holds. These are initial conditions measured on the model, not fitted values: re-run
after a re-calibration.

    python -m benchmarks.initial_past --burn-in 2160 --workers 4000 --seeds 11 12 13
"""

from __future__ import annotations

import argparse

import numpy as np

from gigsim import load_scenario
from gigsim.model import model as model_module
from gigsim.model import population
from gigsim.model.metrics import net_hourly_earnings
from gigsim.model.state import ACTIVE, LEFT, NO_DAY, OUT

MIN_MOVERS = 10
"""Moves with fewer movers over all seeds are left out (noise)."""


def long_run(sc, seed: int):
    """The model after `sc`'s burn-in and each row's category as drawn (before any move)."""
    drawn = {}
    original = population.draw_workers

    def keep_drawn(scenario, rng):
        workers = original(scenario, rng)
        drawn["category"] = workers.category.copy()
        return workers

    model_module.draw_workers = keep_drawn
    try:
        model = model_module.GigEconomyModel(sc, rng=seed, create_agents=False)
    finally:
        model_module.draw_workers = original
    return model, drawn["category"]


def able(model) -> np.ndarray:
    """Bool (N, C): who has each category's asset."""
    w = model.workers
    out = np.ones((w.n, model.n_categories), dtype=bool)
    for c, asset in enumerate(model.category_asset):
        out[:, c] = w.has_car if asset == "car" else w.has_room if asset == "room" else True
    return out


def main() -> None:
    """Print the measured past as baseline.toml's tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--burn-in", type=int, default=2160)
    parser.add_argument("--workers", type=int, default=4000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 12, 13])
    args = parser.parse_args()
    sc = load_scenario("scenarios/baseline.toml").rescaled(args.workers).with_overrides(
        {"burn_in_days": args.burn_in, "population": {"past_moves": None, "past_spells": None}})
    worlds, gaps, left_count, out_count, active, pool_size = [], [], 0, 0, 0, 0
    for seed in args.seeds:
        model, drawn = long_run(sc, seed)
        w = model.workers
        pool = population.in_pool(w, 0)
        been_in = pool & (w.first_entry_day != NO_DAY)
        worlds.append((been_in, drawn, w.category.copy(), able(model)))
        hourly = net_hourly_earnings(w)
        out = pool & np.isin(w.status, [OUT, LEFT])
        remembered = out & (w.status == LEFT) & np.isfinite(hourly)
        gaps.append((hourly + w.autonomy_value - w.reservation_wage)[remembered])
        left_count, out_count = left_count + int(remembered.sum()), out_count + int(out.sum())
        active, pool_size = active + int((pool & (w.status == ACTIVE)).sum()), pool_size + int(pool.sum())
    names = model.category_names
    print(f"# active share of the pool {active / pool_size:.4f} ({active} of {pool_size})")
    for origin in range(len(names)):
        counts = {}
        for been_in, drawn, now, reach in worlds:
            for target in range(len(names)):
                base = been_in & (drawn == origin) & reach[:, target]
                moved, people = counts.get(target, (0, 0))
                counts[target] = (moved + int((base & (now == target)).sum()), people + int(base.sum()))
        order = sorted((t for t in counts if t != origin and counts[t][0] >= MIN_MOVERS),
                       key=lambda t: -counts[t][0] / max(counts[t][1], 1))
        moved_before = [np.zeros(now.size, dtype=bool) for _, _, now, _ in worlds]
        for target in order:  # in the draw's order: people not moved by an earlier entry
            moved, people = 0, 0
            for k, (been_in, drawn, now, reach) in enumerate(worlds):
                base = been_in & (drawn == origin) & reach[:, target] & ~moved_before[k]
                moved, people = moved + int((base & (now == target)).sum()), people + int(base.sum())
                moved_before[k] |= now == target
            print(f'[[population.past_moves]]\norigin = "{names[origin]}"\ntarget = "{names[target]}"\n'
                  f"share = {moved / people:.4f}  # {moved} of {people}")
    gap = np.concatenate(gaps)
    quantiles = np.quantile(gap, (np.arange(10) + 0.5) / 10)
    print(f"[population.past_spells]  # gap mean {gap.mean():.2f}, {np.mean(gap < 0):.1%} below 0\n"
          f"share = {left_count / out_count:.4f}  # {left_count} of {out_count}\n"
          f"gap_quantiles = [{', '.join(f'{q:.2f}' for q in quantiles)}]")


if __name__ == "__main__":
    main()
