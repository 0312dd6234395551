"""Measure the global online market: participation, asks, net hourly earnings and online tasks won by region,
with the low-cost region (scenarios/global_freelance.toml) and without it (the baseline, same high-cost regions).

Usage: python benchmarks/regions_measure.py [high_cost_workers] [days] [seeds...]
"""

from __future__ import annotations

import sys

import numpy as np

from gigsim import GigEconomyModel, load_scenario
from gigsim.model.metrics import net_hourly_earnings
from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Fate


def measure(sc, seed: int, days: int, window: int = 90) -> dict[str, dict[str, float]]:
    """Per region group ("high", "low"): online participation, mean ask of active online freelancers (all; those in for 60+ days), median
    net hourly earnings of active online freelancers, share of online tasks won (last `window` days),
    participation and median net hourly of rides drivers, and rides tasks filled by a worker of another region
    (must be 0)."""
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    online = np.array([sc.categories[c].kind == "online" for c in sc.active_categories])
    rides = sc.active_categories.index("rides")
    low = np.array([p.reservation_wage_factor < 1 for p in sc.population.region_profiles]) \
        if sc.population.region_profiles else np.zeros(sc.population.regions, bool)
    won = np.zeros(2)
    crossed = 0
    for day in range(days):
        model.step()
        t = model.tasks
        filled = t.fate == Fate.FILLED
        wr = model.workers.region[t.worker[filled]]
        if day >= days - window:
            on = online[t.category[filled]]
            won += np.bincount(low[wr[on]].astype(int), minlength=2)
        r = filled & (t.category == rides)
        crossed += int((model.clients.region[t.client[r]] != model.workers.region[t.worker[r]]).sum())
    w = model.workers
    hourly = net_hourly_earnings(w)
    out = {}
    for name, is_low in (("high", False), ("low", True)):
        mine = low[w.region] == is_low
        if not mine.any():
            continue
        in_online = mine & (w.category >= 0) & online[np.maximum(w.category, 0)]
        active = w.status == ACTIVE
        act = in_online & active
        in_rides = mine & (w.category == rides)
        out[name] = {"workers": int(mine.sum()), "online_workers": int(in_online.sum()),
                     "online_participation": float(act.sum() / max(in_online.sum(), 1)),
                     "median_reservation": float(np.median(w.reservation_wage[mine])),
                     "mean_ask": float(w.ask[act].mean()),
                     "mean_ask_tenure_60d": float(w.ask[act & (w.entry_day <= model.day - 60)].mean()),
                     "median_net_hourly": float(np.nanmedian(hourly[act])),
                     "online_tasks_won_share": float(won[int(is_low)] / max(won.sum(), 1)),
                     "rides_participation": float((in_rides & active).sum() / max(in_rides.sum(), 1)),
                     "rides_median_net_hourly": float(np.nanmedian(hourly[in_rides & active]))
                     if (in_rides & active).any() else float("nan"),
                     "rides_cross_region": crossed}
    return out


def main(argv: list[str]) -> None:
    high = int(argv[0]) if argv else 4000
    days = int(argv[1]) if len(argv) > 1 else 180
    seeds = [int(s) for s in argv[2:]] or [1, 2, 3]
    glob = load_scenario("scenarios/global_freelance.toml")
    worlds = {"with low-cost region": glob.rescaled(high * glob.population.workers // 10_000),
              "without (baseline)": load_scenario("scenarios/baseline.toml").rescaled(high)}
    for label, sc in worlds.items():
        rows = [measure(sc, s, days) for s in seeds]
        for group in rows[0]:
            keys = rows[0][group]
            print(label, group, {k: round(float(np.mean([r[group][k] for r in rows])), 3) for k in keys})


if __name__ == "__main__":
    main(sys.argv[1:])
