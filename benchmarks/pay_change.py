"""A pay change and the market's re-equilibration (Hall, Horton & Knoepfle: hourly earnings return to their
pre-change level within about 8 weeks, through utilisation).

From day X the ride apps' commissions are capped at 0.05 (only theirs: a fare change on ride-hailing apps, as
Hall, Horton & Knoepfle study, leaves the other platforms' terms alone) (rides: drivers keep 95% of the fare instead of 75%,
+27% pay per task); reports, on average over seeds, ride drivers' hours-weighted net hourly earnings (and the
unweighted mean over drivers), active drivers and their hours in the 30 days before X, days X+20..X+40 (the trailing averages have caught up), X+56..X+70
(8 weeks) and the last 30 days:

    .venv/bin/python -m benchmarks.pay_change --workers 5000 --seeds 1 2 3
"""

from __future__ import annotations

import argparse

import numpy as np

from gigsim import GigEconomyModel
from gigsim.model.state import ACTIVE
from tests.helpers import baseline

START = 120
RIDE_APPS = ("rideco", "ridemate")
WINDOWS = {"before": (START - 30, START), "month1": (START + 20, START + 40), "week8": (START + 56, START + 70),
           "late": (START + 210, START + 240)}


def _driver_hourly(model, rides: int) -> tuple[float, float]:
    """Ride drivers' hours-weighted trailing net hourly earnings (Σ ema_net / Σ ema_logged) and logged-in hours."""
    w = model.workers
    drivers = (w.status == ACTIVE) & (w.category == rides)
    logged = float(w.ema_logged[drivers].sum())
    return (float(w.ema_net[drivers].sum()) / logged if logged > 0 else float("nan"),
            float(w.hours_offered[drivers].sum()))


def run(workers: int, seed: int, cap: float = 0.05, overrides: dict | None = None) -> dict[str, dict[str, float]]:
    """Window means around the pay change: ride drivers' hours-weighted net hourly earnings (`hourly`, the
    prevailing wage as Hall, Horton & Knoepfle measure it), the unweighted mean over drivers (`hourly_mean`),
    active drivers, their hours offered per day (`driver_hours`), all workers' median and logged hours."""
    policy = {"commission_cap": {"enabled": True, "start": START, "cap": cap, "platforms": list(RIDE_APPS)}}
    sc = baseline(workers, days=START + 240, policy=policy, **(overrides or {}))
    model = GigEconomyModel(sc, rng=seed, create_agents=False)
    rides = model.category_names.index("rides")
    daily = []
    for _ in range(sc.days):
        model.step()
        daily.append(_driver_hourly(model, rides))
    frame = model.metrics
    out = {}
    for name, (a, b) in WINDOWS.items():
        part = frame.filter((frame["day"] >= a) & (frame["day"] < b))
        out[name] = {"hourly": float(np.mean([d[0] for d in daily[a:b]])),
                     "hourly_mean": float(part["net_hourly_rides"].mean()),
                     "drivers": float(part["workers_rides"].mean()),
                     "driver_hours": float(np.mean([d[1] for d in daily[a:b]])),
                     "median_all": float(part["median_net_hourly_earnings"].mean()),
                     "logged": float(part["logged_hours"].mean())}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=5000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    runs = [run(args.workers, s) for s in args.seeds]
    for key in runs[0]["before"]:
        cells = [f"{w}={np.mean([r[w][key] for r in runs]):.2f}" for w in WINDOWS]
        print(f"{key}: " + ", ".join(cells))
    back = [(r["month1"]["hourly"] - r["late"]["hourly"]) / (r["month1"]["hourly"] - r["before"]["hourly"])
            for r in runs]
    print(f"share of the first month's rise in ride drivers' hours-weighted hourly earnings undone by the end: "
          f"{np.mean(back):.2f} (per seed {', '.join(f'{b:.2f}' for b in back)})")


if __name__ == "__main__":
    main()
