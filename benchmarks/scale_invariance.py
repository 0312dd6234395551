"""Scale invariance of the headline outcomes: participation share, median and p10 net hourly earnings at two
population sizes over seeds (issue 14, item 8: within 5%, 5% and 10%), optionally with one rule switched off.

    .venv/bin/python -m benchmarks.scale_invariance --sizes 2000 20000 --seeds 1 2 3
    .venv/bin/python -m benchmarks.scale_invariance --set behaviour.multihoming_rate=0
"""

from __future__ import annotations

import argparse

import numpy as np

from benchmarks.econ_core import _parse_overrides
from gigsim import GigEconomyModel
from tests.helpers import baseline

MEASURES = ("participation", "median", "p10")


def measure(workers: int, seed: int, days: int, overrides: dict) -> dict[str, float]:
    """Participation share, median and p10 net hourly earnings over the last 30 days of one run."""
    frame = GigEconomyModel(baseline(workers, days=days, **overrides), rng=seed, create_agents=False).run().tail(30)
    return {"participation": float(frame["active_workers"].mean() / workers),
            "median": float(frame["median_net_hourly_earnings"].mean()),
            "p10": float(frame["p10_net_hourly_earnings"].mean())}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[2000, 20000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--set", nargs="*", default=[])
    args = parser.parse_args()
    overrides = _parse_overrides(args.set)
    means = {}
    for size in args.sizes:
        rows = [measure(size, s, args.days, overrides) for s in args.seeds]
        means[size] = {k: float(np.mean([r[k] for r in rows])) for k in MEASURES}
        print(f"{size:>6} workers: " + ", ".join(f"{k}={means[size][k]:.4g} (seeds "
                                                  f"{', '.join(f'{r[k]:.3g}' for r in rows)})" for k in MEASURES),
              flush=True)
    small, large = args.sizes
    print("relative difference large vs small: " + ", ".join(
        f"{k}={(means[large][k] - means[small][k]) / means[small][k]:+.1%}" for k in MEASURES))


if __name__ == "__main__":
    main()
