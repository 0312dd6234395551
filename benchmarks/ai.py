"""Measurements of AI that responds (issue 14 item 6; docs/model.md 7.3).

    .venv/bin/python -m benchmarks.ai takeup                 # take-up against AI's cost and quality
    .venv/bin/python -m benchmarks.ai rides                  # autonomous_rides: a falling cost path binds
    .venv/bin/python -m benchmarks.ai hui scenarios/genai_freelance.toml --shock 120
    .venv/bin/python -m benchmarks.ai hui scenarios/episodes/genai_writing.toml --shock 60

- takeup: writing tasks AI takes / writing tasks posted (days 10-59), baseline world of 1,500 workers with no
  burn-in, writing exposure 0.8, clients' adoption ~1; against AI's cost (quality unset: no gap) and quality.
- rides: autonomous_rides at 3,000 workers, seed 1: per 61-day window the mean exposure and the share of rides
  AI took, with the scenario's cost path (13 -> 7) and with the cost held at 13.
- hui (Hui, Reshef & Zhou 2024): two runs per seed, the scenario and its control (every automation level 0),
  the same world until the shock (checked). Writers = category writing on the day before the shock with earnings
  before it, split in terciles of those earnings; per tercile, jobs and earnings after the shock, treated /
  control − 1 (the same people), the share of their pre-shock jobs that were direct re-hires, and the change of
  direct and of matched jobs. Also the mean ask of active writers before the shock and on the last day.
"""

from __future__ import annotations

import argparse

import numpy as np

from gigsim import GigEconomyModel, load_scenario
from gigsim.model.state import ACTIVE
from gigsim.model.vocabulary import Fate
from tests.helpers import baseline


def takeup_share(cost: float, quality: float | None = None, seed: int = 1) -> float:
    """Writing tasks AI takes / posted, days 10-59 (see the module docstring)."""
    auto = {"level": {"level": 0.8}, "ai_cost_per_task": {"level": cost}}
    if quality is not None:
        auto["quality"] = {"level": quality}
    sc = baseline(1500, burn_in_days=0, population={"ai_adoption": 0.999}, automation={"writing": auto})
    m = GigEconomyModel(sc, rng=seed, create_agents=False)
    m.run(60)
    f = m.market_metrics.filter((m.market_metrics["category"] == "writing") & (m.market_metrics["day"] >= 10))
    return float(f["tasks_automated"].sum() / f["tasks_posted"].sum())


def takeup() -> None:
    """Print take-up against cost (no quality gap) and against quality (costs 5 and 30)."""
    print("quality unset (no gap): cost -> share", [(c, round(takeup_share(c), 3)) for c in (5, 30, 50, 60, 70, 90)])
    for cost in (5.0, 30.0):
        print(f"cost {cost:g}: AI quality -> share",
              [(q, round(takeup_share(cost, q), 3)) for q in (0.2, 0.35, 0.5, 0.65, 0.8)])


def rides() -> None:
    """Print robotaxi exposure and take-up per 61-day window, falling cost against cost held at 13."""
    base = load_scenario("scenarios/autonomous_rides.toml").rescaled(3000)
    flat = base.with_overrides({"automation": {"rides": {"ai_cost_per_task": {"shape": "constant", "level": 13.0}}}})
    for name, sc in (("falling cost", base), ("cost held at 13", flat)):
        m = GigEconomyModel(sc, rng=1, create_agents=False)
        m.run()
        mk, mt = m.market_metrics, m.metrics
        out = []
        for a in range(0, 365, 61):
            f = mk.filter((mk["category"] == "rides") & (mk["day"] >= a) & (mk["day"] < a + 61))
            level = mt.filter((mt["day"] >= a) & (mt["day"] < a + 61))["automation_level_rides"].mean()
            out.append(f"days {a}-{a + 60}: exposure {level:.3f} take-up "
                       f"{f['tasks_automated'].sum() / f['tasks_posted'].sum():.3f}")
        print(name, "|", "; ".join(out))


def _writers_run(sc, seed: int, shock: int) -> dict:
    """One run: per worker jobs, direct jobs and pay before/after the shock; category and mean ask of writers."""
    m = GigEconomyModel(sc, rng=seed, create_agents=False)
    writing = m.category_names.index("writing")
    w = m.workers
    pay, jobs, direct, asks = np.zeros((2, w.n)), np.zeros((2, w.n)), np.zeros((2, w.n)), {}
    category = None
    for d in range(sc.days):
        m.step()
        k = 0 if d < shock else 1
        pay[k] += w.day_pay
        jobs[k] += w.day_tasks
        hit = m.tasks.fate == Fate.DIRECT
        np.add.at(direct[k], m.tasks.worker[hit], 1.0)
        if d == shock - 1:
            category = w.category.copy()
        if d in (shock - 1, sc.days - 1):
            on = (w.status == ACTIVE) & (w.category == writing)
            asks[d] = float(w.ask[on].mean()) if on.any() else float("nan")
    mk = m.market_metrics
    post = mk.filter((mk["day"] >= shock) & (mk["category"] == "writing"))
    share = float(post["tasks_automated"].sum() / max(post["tasks_posted"].sum(), 1))
    return {"pay": pay, "jobs": jobs, "direct": direct, "asks": asks, "category": category, "writing": writing,
            "share": share}


def _change(treated: np.ndarray, control: np.ndarray) -> float:
    return float(treated.sum() / max(control.sum(), 1e-9) - 1.0)


def hui(path: str, workers: int, shock: int, seeds: list[int]) -> None:
    """Print, per seed and on average, each tercile's change in jobs and earnings after the shock."""
    base = load_scenario(path).rescaled(workers)
    control = base.with_overrides({"automation": {c: {"level": {"shape": "constant", "level": 0.0}}
                                                  for c in base.automation}})
    rows = []
    for seed in seeds:
        t, c = _writers_run(base, seed, shock), _writers_run(control, seed, shock)
        assert np.allclose(t["pay"][0], c["pay"][0]) and (t["category"] == c["category"]).all(), "worlds differ"
        pre = t["pay"][0]
        writers = np.flatnonzero((t["category"] == t["writing"]) & (pre > 0))
        lo, hi = np.quantile(pre[writers], [1 / 3, 2 / 3])
        groups = {"bottom": writers[pre[writers] <= lo], "middle": writers[(pre[writers] > lo) & (pre[writers] <= hi)],
                  "top": writers[pre[writers] > hi], "all": writers}
        print(f"seed {seed}: {writers.size} writers; writing automated after the shock {t['share']:.3f}; mean ask "
              f"of active writers on day {shock - 1}: {t['asks'][shock - 1]:.3f}; on the last day: treated "
              f"{t['asks'][base.days - 1]:.3f}, control {c['asks'][base.days - 1]:.3f}")
        for g, idx in groups.items():
            dj, dp = _change(t["jobs"][1][idx], c["jobs"][1][idx]), _change(t["pay"][1][idx], c["pay"][1][idx])
            pre_direct = t["direct"][0][idx].sum() / max(t["jobs"][0][idx].sum(), 1e-9)
            d_direct = _change(t["direct"][1][idx], c["direct"][1][idx])
            d_matched = _change(t["jobs"][1][idx] - t["direct"][1][idx], c["jobs"][1][idx] - c["direct"][1][idx])
            rows.append((g, dj, dp))
            print(f"  {g:6s} n={idx.size:4d} pre-shock pay/writer {pre[idx].mean():8.1f}  jobs {dj:+.3f}  earnings "
                  f"{dp:+.3f}  pre-shock direct share {pre_direct:.2f}  direct jobs {d_direct:+.3f}  matched jobs "
                  f"{d_matched:+.3f}")
    for g in ("bottom", "middle", "top", "all"):
        r = np.array([(j, p) for gg, j, p in rows if gg == g])
        print(f"mean over seeds {g:6s}: jobs {r[:, 0].mean():+.3f}  earnings {r[:, 1].mean():+.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("takeup")
    sub.add_parser("rides")
    h = sub.add_parser("hui")
    h.add_argument("scenario")
    h.add_argument("--workers", type=int, default=8000)
    h.add_argument("--shock", type=int, default=120)
    h.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5, 6, 7, 8])
    args = parser.parse_args()
    if args.what == "takeup":
        takeup()
    elif args.what == "rides":
        rides()
    else:
        hui(args.scenario, args.workers, args.shock, args.seeds)


if __name__ == "__main__":
    main()
