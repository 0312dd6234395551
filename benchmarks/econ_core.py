"""Measurements of the economic core (issue 14): labour supply, household budget, hours, asks.

Runs the baseline (or a variant) at a given size for a number of days over seeds and prints one
line per seed plus the mean, for the measures the issue names:

    .venv/bin/python -m benchmarks.econ_core --workers 5000 --days 730 --seeds 1 2 3
    .venv/bin/python -m benchmarks.econ_core --set platforms.freelancely.applications_per_round=1

Measures (all over the recorded days; "end" = the last 30 days):
- participation: mean active workers / N at the end; median and p10 net hourly earnings at the end;
- monthly exit and new-entrant rates: exits (entries) on monthly days / active workers that day;
- below_reservation: share of active workers with defined trailing hourly earnings whose
  net hourly + autonomy value < reservation wage, at the last day;
- exit_12m: of workers whose latest entry was in the first (days − 365) recorded days, the share
  who had left within 365 days of it;
- exit reasons (if the model records them): shares among workers who left during the run;
- ride hours bins: ride drivers' logged-in hours per week over the last four weeks, shares in
  1-15 / 16-34 / 35-49 / 50+ (Hall & Krueger 2018 bins), and the share of hours by drivers at 35+;
- median_ask: median asking price (multiple of the base price) of active freelancers.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from gigsim import GigEconomyModel
from gigsim.model.metrics import net_hourly_earnings
from gigsim.model.state import ACTIVE
from tests.helpers import baseline

BINS = ((1, 15.5), (15.5, 34.5), (34.5, 49.5), (49.5, np.inf))


def _parse_overrides(items: list[str]) -> dict:
    """`a.b.c=value` strings as a nested dict (values parsed as float, int, bool or kept as text)."""
    out: dict = {}
    for item in items:
        key, value = item.split("=", 1)
        node = out
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        for cast in (int, float):
            try:
                value = cast(value)
                break
            except ValueError:
                continue
        if value in ("true", "false"):
            value = value == "true"
        node[parts[-1]] = value
    return out


def weekly_hours(model) -> np.ndarray:
    """Logged-in hours per week over the last four weeks (N); the old model's proxy is 7 × hours offered."""
    w = model.workers
    history = getattr(w, "hours_history", None)
    if history is not None:
        return history.sum(axis=1) / history.shape[1]
    return 7.0 * w.hours_offered


def measure(workers: int, days: int, seed: int, overrides: dict) -> dict:
    sc = baseline(workers, days=days, **overrides)
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    m = model.run()
    w = model.workers
    end = m.tail(30)
    monthly = m.filter((m["day"] % 30) == 29)
    active = w.status == ACTIVE
    hourly = net_hourly_earnings(w)
    known = active & np.isfinite(hourly)
    below = float(((hourly + w.autonomy_value < w.reservation_wage) & known).sum() / max(known.sum(), 1))
    early = (w.entry_day >= 0) & (w.entry_day <= days - 365)
    left_within = early & (w.exit_day > w.entry_day) & (w.exit_day - w.entry_day <= 365)
    out = {
        "participation": float(end["active_workers"].mean() / workers),
        "median": float(end["median_net_hourly_earnings"].mean()),
        "p10": float(end["p10_net_hourly_earnings"].mean()),
        "exit_rate": float((monthly["exits"] / monthly["active_workers"]).mean()),
        "entry_rate": float((monthly["entries"] / monthly["active_workers"]).mean()),
        "below_reservation": below,
        "exit_12m": float(left_within.sum() / max(early.sum(), 1)),
        "part_full_time": float((active & w.full_time).sum() / max(w.full_time.sum(), 1)),
        "part_side": float((active & ~w.full_time).sum() / max((~w.full_time).sum(), 1)),
        "utilisation": float(end["utilisation"].mean()),
        "fill_rate": float(end["fill_rate"].mean()),
        "multihoming": float(end["multihoming_share"].mean()),
    }
    reason = getattr(w, "exit_reason", None)
    if reason is not None:
        left = (w.exit_day >= 0) & (reason >= 0)
        for code, name in enumerate(("earnings", "savings", "random", "policy")):
            out[f"exit_{name}"] = float((reason[left] == code).sum() / max(left.sum(), 1))
    rides = model.category_names.index("rides") if "rides" in model.category_names else -1
    hours = weekly_hours(model)
    drivers = active & (w.category == rides) & (hours >= 1)
    h = hours[drivers]
    for lo, hi in BINS:
        out[f"rides_{int(lo)}h"] = float(((h >= lo) & (h < hi)).sum() / max(h.size, 1))
    ride_platforms = model.serves[:, rides] if rides >= 0 else np.zeros(model.n_platforms, bool)
    on_rides = active & (w.category == rides)
    out["rides_multihoming"] = float((w.member[on_rides][:, ride_platforms].sum(axis=1) > 1).mean())
    for p in np.flatnonzero(ride_platforms):
        name = model.platform_names[p]
        out[f"commission_{name}"] = float(getattr(model, "commission", [sc.platforms[name].commission] * 9)[p])
        if f"share_{name}" in end.columns:
            out[f"share_{name}"] = float(end[f"share_{name}"].mean())
    out["rides_hours_35plus"] = float(h[h >= 34.5].sum() / max(h.sum(), 1e-9))
    online = [i for i, c in enumerate(model.category_names) if c in ("writing", "design", "programming")]
    freelancers = active & np.isin(w.category, online)
    out["median_ask"] = float(np.median(w.ask[freelancers])) if freelancers.any() else float("nan")
    out["ask_at_floor"] = float((w.ask[freelancers] <= 0.4001).mean()) if freelancers.any() else float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=5000)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--set", nargs="*", default=[], help="overrides, e.g. behaviour.exit_rate=0.5")
    args = parser.parse_args()
    overrides = _parse_overrides(args.set)
    rows = []
    for seed in args.seeds:
        start = time.time()
        row = measure(args.workers, args.days, seed, overrides)
        rows.append(row)
        print(f"seed {seed} ({time.time() - start:.0f}s): " + ", ".join(f"{k}={v:.3g}" for k, v in row.items()),
              flush=True)
    keys = rows[0].keys()
    print("mean: " + ", ".join(f"{k}={np.mean([r[k] for r in rows]):.3g}" for k in keys))


if __name__ == "__main__":
    main()
