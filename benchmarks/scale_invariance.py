"""Scale invariance of the headline outcomes: participation share, median and p10 net hourly earnings at two
population sizes over seeds (issue 14, item 8: within 5%, 5% and 10%), optionally with one rule switched off.

    .venv/bin/python -m benchmarks.scale_invariance --sizes 2000 20000 --seeds 1 2 3
    .venv/bin/python -m benchmarks.scale_invariance --set behaviour.multihoming_rate=0
    .venv/bin/python -m benchmarks.scale_invariance --workers-per-region 2000

`--workers-per-region W` gives each size max(1, round(size / W)) regions instead of the scenario's, so both sizes'
local markets hold about as many workers (the criterion at constant market thickness).

Besides the three headline measures it prints the ride market's (the channel through which the median moves with
size, docs/model.md 7.2 "Surge and the size of a ride market"): drivers per local ride market (active ride workers /
(ride platforms × regions)), the ride fill rate, riders' payments per filled ride (base fare × surge) and ride
drivers' mean net hourly earnings. These are diagnostics, not criteria.
"""

from __future__ import annotations

import argparse

import numpy as np
import polars as pl

from benchmarks.econ_core import _parse_overrides
from gigsim import GigEconomyModel
from gigsim.scenario.loading import deep_merge
from tests.helpers import baseline

MEASURES = ("participation", "median", "p10")
RIDES = "rides"
RIDE_MEASURES = ("drivers_per_market", "ride_fill", "ride_price", "ride_hourly")
WINDOW = 30
"""Days at the end of the run over which every measure is averaged."""


def ride_market(model: GigEconomyModel, frame: pl.DataFrame) -> dict[str, float]:
    """The ride market over the window: drivers per (ride platform × region) market, fill rate, riders' payments
    per filled ride (currency) and ride drivers' mean net hourly earnings (currency per hour); null without rides."""
    if f"workers_{RIDES}" not in frame.columns:
        return dict.fromkeys(RIDE_MEASURES)
    first = frame["day"].min()
    rides = model.market_metrics.filter((pl.col("category") == RIDES) & (pl.col("day") >= first))
    filled, unfilled = rides["tasks_filled"].sum(), rides["tasks_unfilled"].sum()
    markets = rides["platform"].n_unique() * model.n_regions
    return {"drivers_per_market": float(frame[f"workers_{RIDES}"].mean() / max(markets, 1)),
            "ride_fill": float(filled / (filled + unfilled)) if filled + unfilled else None,
            "ride_price": float(rides["client_payments"].sum() / filled) if filled else None,
            "ride_hourly": float(frame[f"net_hourly_{RIDES}"].mean())}


def measure(workers: int, seed: int, days: int, overrides: dict) -> dict[str, float]:
    """Participation share, median and p10 net hourly earnings over the last 30 days of one run, and the ride
    market's diagnostics (`ride_market`)."""
    model = GigEconomyModel(baseline(workers, days=days, **overrides), rng=seed, create_agents=False)
    frame = model.run().tail(WINDOW)
    return {"participation": float(frame["active_workers"].mean() / workers),
            "median": float(frame["median_net_hourly_earnings"].mean()),
            "p10": float(frame["p10_net_hourly_earnings"].mean()),
            **ride_market(model, frame)}


def thickness(workers: int, workers_per_region: int | None) -> dict:
    """Overrides giving `workers` max(1, round(workers / workers_per_region)) regions; none without it."""
    if workers_per_region is None:
        return {}
    return {"population": {"regions": max(1, round(workers / workers_per_region))}}


def seed_mean(rows: list[dict], key: str) -> float | None:
    """Mean of `key` over the seeds that define it (None where none does)."""
    values = [r[key] for r in rows if r[key] is not None]
    return float(np.mean(values)) if values else None


def relative(large: float | None, small: float | None) -> str:
    """(large − small) / small as a signed percentage; 'null' where either is undefined."""
    return "null" if large is None or not small else f"{(large - small) / small:+.1%}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[2000, 20000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--set", nargs="*", default=[])
    parser.add_argument("--workers-per-region", type=int, default=None)
    args = parser.parse_args()
    overrides = _parse_overrides(args.set)
    means = {}
    for size in args.sizes:
        sized = deep_merge(overrides, thickness(size, args.workers_per_region))
        rows = [measure(size, s, args.days, sized) for s in args.seeds]
        means[size] = {k: seed_mean(rows, k) for k in MEASURES + RIDE_MEASURES}
        print(f"{size:>6} workers: " + ", ".join(f"{k}={means[size][k]:.4g} (seeds "
                                                  f"{', '.join(f'{r[k]:.3g}' for r in rows)})" for k in MEASURES),
              flush=True)
        print("        ride market: " + ", ".join(
            f"{k}={'null' if means[size][k] is None else format(means[size][k], '.4g')}" for k in RIDE_MEASURES),
            flush=True)
    small, large = args.sizes
    print("relative difference large vs small: " + ", ".join(
        f"{k}={relative(means[large][k], means[small][k])}" for k in MEASURES))
    print("ride market, large vs small: " + ", ".join(
        f"{k}={relative(means[large][k], means[small][k])}" for k in RIDE_MEASURES))


if __name__ == "__main__":
    main()
