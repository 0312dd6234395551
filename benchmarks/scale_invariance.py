"""Scale invariance of the headline outcomes: participation share, median and p10 net hourly earnings at two
population sizes over seeds (issue 14, item 8: within 5%, 5% and 10%), optionally with one rule switched off.

    .venv/bin/python -m benchmarks.scale_invariance --sizes 2000 20000 --seeds 1 2 3
    .venv/bin/python -m benchmarks.scale_invariance --set behaviour.multihoming_rate=0
    .venv/bin/python -m benchmarks.scale_invariance --workers-per-region 2000

`--workers-per-region W` gives each size max(1, round(size / W)) regions instead of the scenario's, so both sizes'
local markets hold about as many workers (the criterion at constant market thickness).

Besides the three headline measures it prints, per category, the share of the headline's population (active workers
who logged in lately, `metrics.net_hourly`) and that category's median net hourly, and the small world's median with
its categories weighted to the large world's shares (`mix_median`): how much of the median's gap is who works where
rather than what each category pays (docs/model.md 7.2, "Surge and the size of a ride market"). It also prints the ride
market's (the channel through which the median moves with
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
from gigsim.model.metrics import net_hourly
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


def measure(workers: int, seed: int, days: int, overrides: dict, detail: bool = False) -> dict:
    """Participation share, median and p10 net hourly earnings over the last 30 days of one run, and the ride
    market's diagnostics (`ride_market`); with `detail`, also each window day's headline population (`day_mix`)
    under "days" and its per-category shares and medians (`category_mix`)."""
    model = GigEconomyModel(baseline(workers, days=days, **overrides), rng=seed, create_agents=False)
    model.run(days - WINDOW)
    mixes = []
    for _ in range(WINDOW):
        model.step()
        if detail:
            mixes.append(day_mix(model))
    frame = model.metrics.tail(WINDOW)
    out = {"participation": float(frame["active_workers"].mean() / workers),
           "median": float(frame["median_net_hourly_earnings"].mean()),
           "p10": float(frame["p10_net_hourly_earnings"].mean()),
           **ride_market(model, frame)}
    if detail:
        out.update(days=mixes, **category_mix(mixes, model.category_names))
    return out


def day_mix(model: GigEconomyModel) -> tuple[np.ndarray, np.ndarray]:
    """The day's headline population (as the median and p10 columns count it): the net hourly earnings (currency
    per hour) of active workers who logged in lately, and their categories."""
    idx, hourly = net_hourly(model.workers)
    return hourly.astype(np.float64), model.workers.category[idx].astype(np.int64)


def category_mix(mixes: list[tuple[np.ndarray, np.ndarray]], names: list[str]) -> dict[str, float | None]:
    """Per category over the window's days: its mean share of the headline population (`share_<name>`) and its
    mean daily median net hourly (`median_<name>`, None where it never had anyone)."""
    out: dict[str, float | None] = {}
    for c, name in enumerate(names):
        out[f"share_{name}"] = float(np.mean([np.mean(cat == c) if cat.size else 0.0 for _, cat in mixes]))
        medians = [np.median(h[cat == c]) for h, cat in mixes if (cat == c).any()]
        out[f"median_{name}"] = float(np.mean(medians)) if medians else None
    return out


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float | None:
    """The value at which the cumulative weight of the sorted values first reaches half the total; None if empty."""
    if values.size == 0 or weights.sum() <= 0:
        return None
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


def mix_median(hourly: np.ndarray, category: np.ndarray, shares: np.ndarray) -> float | None:
    """The median of one day's net hourly earnings with its categories reweighted to `shares` (C; each person
    weighs share / her category's share today): the median the day would have at another world's category mix
    with each category's earnings as they are. Categories absent today drop out (the rest renormalise)."""
    present = np.bincount(category, minlength=shares.size)[: shares.size] / max(category.size, 1)
    weights = np.divide(shares[category], present[category], out=np.zeros(category.size),
                        where=present[category] > 0)
    return weighted_median(hourly, weights)


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


def fmt(value: float | None) -> str:
    """A measure for printing: 4 significant digits, 'null' where undefined."""
    return "null" if value is None else format(value, ".4g")


def print_size(size: int, rows: list[dict], mean: dict) -> None:
    """One size's headline measures (mean and per seed), ride market and category mix."""
    print(f"{size:>6} workers: " + ", ".join(f"{k}={mean[k]:.4g} (seeds "
                                              f"{', '.join(f'{r[k]:.3g}' for r in rows)})" for k in MEASURES),
          flush=True)
    print("        ride market: " + ", ".join(f"{k}={fmt(mean[k])}" for k in RIDE_MEASURES), flush=True)
    print("        categories (share of the headline population, median net hourly): " + ", ".join(
        f"{k[6:]} {fmt(mean[k])} / {fmt(mean['median_' + k[6:]])}" for k in mean if k.startswith("share_")),
        flush=True)


def small_at_large_mix(small_rows: list[dict], large_mean: dict) -> float | None:
    """The small world's median (mean over seeds of the window's daily `mix_median`) with its categories weighted to
    the large world's mean shares."""
    names = [k[6:] for k in large_mean if k.startswith("share_")]
    shares = np.array([large_mean[f"share_{n}"] for n in names])
    values = [np.mean([mix_median(h, c, shares) for h, c in r["days"]]) for r in small_rows]
    return float(np.mean(values)) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[2000, 20000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--set", nargs="*", default=[])
    parser.add_argument("--workers-per-region", type=int, default=None)
    args = parser.parse_args()
    overrides = _parse_overrides(args.set)
    means, rows = {}, {}
    for size in args.sizes:
        sized = deep_merge(overrides, thickness(size, args.workers_per_region))
        rows[size] = [measure(size, s, args.days, sized, detail=True) for s in args.seeds]
        keys = [k for k in rows[size][0] if k != "days"]
        means[size] = {k: seed_mean(rows[size], k) for k in keys}
        print_size(size, rows[size], means[size])
    small, large = args.sizes
    print("relative difference large vs small: " + ", ".join(
        f"{k}={relative(means[large][k], means[small][k])}" for k in MEASURES))
    print("ride market, large vs small: " + ", ".join(
        f"{k}={relative(means[large][k], means[small][k])}" for k in RIDE_MEASURES))
    mixed = small_at_large_mix(rows[small], means[large])
    print(f"the small world's median at the large world's category mix: {fmt(mixed)} (large vs it: "
          f"{relative(means[large]['median'], mixed)}; the rest of the gap is what each category pays)")


if __name__ == "__main__":
    main()
