"""gigsim's performance benchmark: every figure of issue 6, measured, with its target.

Run `make bench` (or `.venv/bin/python benchmarks/run.py`); `--smoke` runs every figure on
tiny worlds (seconds; what the test suite does), `--only NAME[,NAME]` runs some figures.
Each measurement runs in a fresh process (spawned, pinned to one core, NUMBA_NUM_THREADS=1
unless it is the batch figure), so set-up, peak memory and compilation caches do not leak
from one figure into the next. Results go to benchmarks/results.json and results.md with
the machine described and the load average seen during the run (the machine may be shared:
wall-clock figures then include waiting for the CPU; the CPU-time column does not).

Figures:
- throughput: worker-days per second at 100,000 workers / 50,000 clients, baseline, one core,
  steady state (after warm-up days), set-up timed separately. Target >= 5 million.
- vs_mesa: the same rules as a per-agent Mesa model (gigsim/model/reference/, every phase via
  AgentSet.shuffle_do) timed side by side at 10,000 and 100,000 workers. Target >= 50x.
- scale: 1,000,000 workers / 300,000 clients for 365 days. Targets < 120 s and < 3 GB peak RSS.
- setup: building that world with its networks. Target < 20 s.
- linearity: time per day from 10,000 to 1,000,000 workers; fitted log-log exponent. Target <= 1.
- ui_day: one day at 10,000 workers with Mesa agents, plus reading the latest metrics row. Target < 50 ms.
- batch: 40 runs of an experiment on 2 cores vs one job. Target >= 1.8x.
- vs_mesa_examples: worker-days per CPU second at 5,000 workers against agent-steps per CPU second of
  two models Mesa ships (Boltzmann wealth; virus on a network) at 5,000 agents (the virus example builds its
  Erdős–Rényi graph pair by pair, which takes minutes at 10,000). Target >= 1x: a
  gigsim worker-day, with all its rules, costs no more than one agent-step of Mesa's simplest examples.

Worlds start from day 0 without the scenario's burn-in (a burn-in day costs what any day costs),
except ui_day, which builds the world as the app does, and batch, which runs the experiment's runs
as the experiment defines them (with the baseline's burn-in).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

os.environ.setdefault("NUMBA_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BASELINE = ROOT / "scenarios" / "baseline.toml"
EXPERIMENT = ROOT / "experiments" / "min_pay_standard.toml"

FULL = {
    "throughput_workers": 100_000, "throughput_clients": 50_000, "throughput_warmup": 30, "throughput_days": 60,
    "mesa_sizes": [10_000, 100_000], "mesa_fast_days": 30, "mesa_agent_days": [10, 2],
    "example_agents": 5_000, "example_steps": 20,
    "scale_workers": 1_000_000, "scale_clients": 300_000, "scale_days": 365,
    "linear_sizes": [10_000, 30_000, 100_000, 300_000], "linear_warmup": 10, "linear_days": 30,
    "ui_workers": 10_000, "ui_days": 60,
    "batch_runs": 40, "batch_single_runs": 8, "batch_workers": 10_000, "batch_days": 365, "batch_jobs": 2,
}
SMOKE = {
    "throughput_workers": 1_000, "throughput_clients": 500, "throughput_warmup": 2, "throughput_days": 3,
    "mesa_sizes": [300, 600], "mesa_fast_days": 3, "mesa_agent_days": [2, 2],
    "example_agents": 300, "example_steps": 2,
    "scale_workers": 3_000, "scale_clients": 900, "scale_days": 5,
    "linear_sizes": [500, 1_000], "linear_warmup": 1, "linear_days": 3,
    "ui_workers": 1_000, "ui_days": 3,
    "batch_runs": 4, "batch_single_runs": 2, "batch_workers": 500, "batch_days": 5, "batch_jobs": 2,
}
FIGURES = ("throughput", "vs_mesa", "vs_mesa_examples", "scale", "setup", "linearity", "ui_day", "batch")


# --------------------------------------------------------------------------- measurements (child processes)


def _pin_one_core() -> None:
    """Run on one core (the last one we may use), so the figure is a one-core figure."""
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cores[-1]})


def _peak_rss_bytes() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def world(workers: int, clients: int | None = None, burn_in: bool = False):
    """The baseline scenario at `workers` (clients scale with them unless given), burn-in off unless asked."""
    from gigsim.scenario import load_scenario

    sc = load_scenario(BASELINE).rescaled(workers)
    overrides: dict = {} if burn_in else {"burn_in_days": 0}
    if clients is not None:
        overrides["population"] = {"clients": clients}
    return sc.with_overrides(overrides) if overrides else sc


def measure_fast(workers: int, clients: int | None, warmup: int, days: int, seed: int = 1,
                 per_day: bool = False) -> dict:
    """Set-up time, then `warmup` untimed days, then `days` timed days of the fast path (no agent views)."""
    _pin_one_core()
    from gigsim.model.model import GigEconomyModel

    sc = world(workers, clients)
    _warm_compile()
    model, setup, wall, cpu, day_seconds = _build_and_time(GigEconomyModel, sc, seed, warmup, days)
    out = {"workers": workers, "clients": sc.population.clients, "setup_s": setup, "days": days,
           "wall_s": wall, "cpu_s": cpu, "ms_per_day": 1e3 * wall / days, "cpu_ms_per_day": 1e3 * cpu / days,
           "worker_days_per_s": workers * days / wall, "cpu_worker_days_per_s": workers * days / cpu,
           "peak_rss_bytes": _peak_rss_bytes(),
           "active_workers_last_day": int(model.metrics["active_workers"][-1])}
    if per_day:
        out["day_seconds"] = day_seconds
    return out


def _build_and_time(model_class, sc, seed: int, warmup: int, days: int):
    """Build the model (set-up timed), run `warmup` days untimed, then `days` days timed one by one.

    Returns (model, setup seconds, wall seconds, CPU seconds, (wall, CPU) seconds of each timed day)."""
    started = time.perf_counter()
    model = model_class(sc, rng=seed, create_agents=False)
    setup = time.perf_counter() - started
    model.run(warmup)
    day_seconds = []
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(days):
        t, c = time.perf_counter(), time.process_time()
        model.step()
        day_seconds.append((time.perf_counter() - t, time.process_time() - c))
    return model, setup, time.perf_counter() - wall, time.process_time() - cpu, day_seconds


def _warm_compile() -> None:
    """Load every numba kernel (from cache, or compile) on a tiny world, so no figure times compilation."""
    from gigsim.model.model import GigEconomyModel

    GigEconomyModel(world(300), rng=0, create_agents=False).run(31)


def measure_per_agent(workers: int, days: int, seed: int = 1) -> dict:
    """The per-agent Mesa implementation: set-up, then `days` timed days."""
    _pin_one_core()
    from gigsim.model.reference import PerAgentModel

    sc = world(workers)
    wall = time.perf_counter()
    model = PerAgentModel(sc, rng=seed)
    setup = time.perf_counter() - wall
    wall, cpu = time.perf_counter(), time.process_time()
    model.run(days)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"workers": workers, "setup_s": setup, "days": days, "wall_s": wall, "cpu_s": cpu,
            "worker_days_per_s": workers * days / wall, "cpu_worker_days_per_s": workers * days / cpu}


def measure_scale(workers: int, clients: int, days: int, seed: int = 1) -> dict:
    """Build the world (timed: set-up), run `days` days, report time per day, total time and peak RSS."""
    _pin_one_core()
    _warm_compile()
    from gigsim.model.model import GigEconomyModel

    sc = world(workers, clients)
    model, setup, wall, cpu, day_seconds = _build_and_time(GigEconomyModel, sc, seed, 0, days)
    frame = model.metrics
    return {"workers": workers, "clients": clients, "days": days, "setup_s": setup, "run_s": wall, "cpu_s": cpu,
            "total_s": setup + wall, "peak_rss_bytes": _peak_rss_bytes(), "day_seconds": day_seconds,
            "active_workers_last_day": int(frame["active_workers"][-1])}


def measure_ui(workers: int, days: int, seed: int = 1) -> dict:
    """One UI day: model.step() plus reading the latest metrics row (the chart data), agents created."""
    _pin_one_core()
    _warm_compile()
    from gigsim.model.model import GigEconomyModel

    sc = world(workers, burn_in=True)
    wall = time.perf_counter()
    model = GigEconomyModel(sc, rng=seed, create_agents=True)
    setup = time.perf_counter() - wall
    samples = []
    for _ in range(days):
        t = time.perf_counter()
        model.step()
        frame = model.metrics
        frame.row(-1, named=True)
        samples.append(time.perf_counter() - t)
    samples.sort()
    return {"workers": workers, "days": days, "setup_s": setup, "burn_in_days": sc.burn_in_days,
            "mean_ms": 1e3 * sum(samples) / len(samples),
            "p95_ms": 1e3 * samples[min(len(samples) - 1, int(0.95 * len(samples)))],
            "max_ms": 1e3 * samples[-1]}


def measure_batch(runs: int, single_runs: int, workers: int, days: int, jobs: int) -> dict:
    """An experiment's runs through gigsim.experiments.spec.run_tasks: `single_runs` with one job, all with `jobs`."""
    os.environ["NUMBA_NUM_THREADS"] = "1"
    from gigsim.experiments.spec import load_experiment, run_tasks

    seeds = math.ceil(runs / 6)
    exp = load_experiment(EXPERIMENT, seeds=seeds, days=days, workers=workers)
    tasks = [exp.task(a, k) for a, k in exp.runs()][:runs]  # as the experiment defines them (burn-in included)
    step = max(1, len(tasks) // single_runs)
    single = tasks[::step][:single_runs]
    failed = []
    import tempfile

    from gigsim.experiments.store import write_run_files

    folder = Path(tempfile.mkdtemp(prefix="gigsim-bench-"))

    def collect(result):
        # as `gigsim experiment` stores results: the parent writes what the workers did not
        if result["status"] != "done":
            failed.append(result["error"])
        elif not result.get("staged"):
            write_run_files(folder, result)

    run_tasks(single[:1], collect, jobs=1)  # load the kernels once
    wall, cpu = time.perf_counter(), time.process_time()
    run_tasks(single, collect, jobs=1)
    single_s, single_cpu = time.perf_counter() - wall, time.process_time() - cpu
    import resource

    children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    run_tasks(tasks, collect, jobs=jobs, staging=folder)
    parallel_s = time.perf_counter() - wall
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    pool_cpu = (after.ru_utime + after.ru_stime) - (children_cpu.ru_utime + children_cpu.ru_stime)
    single_rate, parallel_rate = len(single) / single_s, len(tasks) / parallel_s
    return {"runner": "gigsim.experiments.spec.run_tasks (spawned process pool)", "experiment": EXPERIMENT.name,
            "runs": len(tasks), "single_runs": len(single), "workers": workers, "days": days, "jobs": jobs,
            "single_s": single_s, "parallel_s": parallel_s, "single_runs_per_s": single_rate,
            "parallel_runs_per_s": parallel_rate, "speedup": parallel_rate / single_rate,
            "pool_cpu_s": pool_cpu, "cores_busy": pool_cpu / parallel_s,
            # what `jobs` free cores would give if the pool's CPU time were spread evenly over them
            "speedup_if_cores_free": jobs * (single_cpu / len(single)) * len(tasks) / pool_cpu if pool_cpu else None,
            "failed": failed}


# --------------------------------------------------------------------------- orchestration


def in_child(fn, *args, **kwargs):
    """Run fn(*args, **kwargs) in a fresh spawned process and return its result."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def _median_day(days: list) -> tuple[float, float]:
    """Median wall and median CPU seconds of a list of (wall, CPU) day timings (robust to load spikes)."""
    import statistics

    return statistics.median(d[0] for d in days), statistics.median(d[1] for d in days)


def loglog_exponent(sizes: list[float], seconds: list[float]) -> float:
    """Least-squares slope of log(time per day) on log(workers)."""
    import numpy as np

    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def loglog_exponent_interval(sizes: list[float], seconds: list[float]) -> tuple[float, float]:
    """95% confidence interval of the log-log slope (Student t on the regression's standard error)."""
    import numpy as np
    from scipy import stats

    fit = stats.linregress(np.log(sizes), np.log(seconds))
    half = stats.t.ppf(0.975, len(sizes) - 2) * fit.stderr
    return float(fit.slope - half), float(fit.slope + half)


def machine() -> dict:
    import psutil

    from gigsim.experiments.run import environment

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 1e9, 1),
            "python": sys.version.split()[0], "platform": platform.platform(), **environment()}


class Table:
    """Rows of (figure, measured, target, met, note), printed as they come."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, figure: str, measured: str, target: str, met: bool | None, note: str = "") -> None:
        row = {"figure": figure, "measured": measured, "target": target,
               "met": None if met is None else bool(met), "note": note}
        self.rows.append(row)
        flag = {True: "yes", False: "NO", None: "-"}[row["met"]]
        print(f"  {figure:<34} {measured:<26} {target:<16} {flag:<4} {note}", flush=True)

    def markdown(self) -> str:
        lines = ["| figure | measured | target | met | note |", "|---|---|---|---|---|"]
        for r in self.rows:
            flag = {True: "yes", False: "**no**", None: "–"}[r["met"]]
            lines.append(f"| {r['figure']} | {r['measured']} | {r['target']} | {flag} | {r['note']} |")
        return "\n".join(lines)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load {one:.1f}/{five:.1f}"


def run(figures: list[str], sizes: dict, table: Table, results: dict) -> None:
    if "throughput" in figures:
        r = in_child(measure_fast, sizes["throughput_workers"], sizes["throughput_clients"],
                     sizes["throughput_warmup"], sizes["throughput_days"])
        results["throughput"] = r
        table.add(f"throughput @ {r['workers']:,} workers (1 core)", f"{r['worker_days_per_s'] / 1e6:.2f} M wd/s",
                  ">= 5 M wd/s", r["worker_days_per_s"] >= 5e6,
                  f"{r['ms_per_day']:.1f} ms/day wall, {r['cpu_ms_per_day']:.1f} ms/day CPU "
                  f"({r['cpu_worker_days_per_s'] / 1e6:.2f} M wd/s on CPU time); setup {r['setup_s']:.2f} s; "
                  f"{_load()}")
    if "vs_mesa" in figures:
        results["vs_mesa"] = []
        for workers, agent_days in zip(sizes["mesa_sizes"], sizes["mesa_agent_days"], strict=True):
            fast = in_child(measure_fast, workers, None, 0, sizes["mesa_fast_days"])
            slow = in_child(measure_per_agent, workers, agent_days)
            ratio = fast["worker_days_per_s"] / slow["worker_days_per_s"]
            cpu_ratio = fast["cpu_worker_days_per_s"] / slow["cpu_worker_days_per_s"]
            results["vs_mesa"].append({"workers": workers, "fast": fast, "per_agent": slow, "ratio": ratio,
                                       "cpu_ratio": cpu_ratio})
            table.add(f"vs per-agent Mesa @ {workers:,} workers", f"{ratio:,.0f}x", ">= 50x", ratio >= 50,
                      f"fast {fast['worker_days_per_s'] / 1e6:.2f} M wd/s ({fast['days']} days) vs per-agent "
                      f"{slow['worker_days_per_s'] / 1e3:.1f} k wd/s ({slow['days']} days); CPU-time ratio "
                      f"{cpu_ratio:,.0f}x; {_load()}")
    if "vs_mesa_examples" in figures:
        vs_mesa_examples(sizes, table, results)
    scale = None
    if "scale" in figures or "setup" in figures or "linearity" in figures:
        scale = in_child(measure_scale, sizes["scale_workers"], sizes["scale_clients"], sizes["scale_days"])
        results["scale"] = {k: v for k, v in scale.items() if k != "day_seconds"}
    if "scale" in figures:
        label = f"scale {scale['workers']:,} w / {scale['clients']:,} c, {scale['days']} days"
        table.add(label + ": time", f"{scale['run_s']:.1f} s", "< 120 s", scale["run_s"] < 120,
                  f"setup + run {scale['total_s']:.1f} s; CPU {scale['cpu_s']:.1f} s; {_load()}")
        table.add(label + ": peak memory", f"{scale['peak_rss_bytes'] / 1e9:.2f} GB", "< 3 GB",
                  scale["peak_rss_bytes"] < 3e9, "peak RSS of the process (Python, libraries, world, run)")
    if "setup" in figures:
        table.add(f"setup {scale['workers']:,} workers + networks", f"{scale['setup_s']:.1f} s", "< 20 s",
                  scale["setup_s"] < 20, "population draws, both networks, initial choices")
    if "linearity" in figures:
        points = []
        ratio = sizes["scale_clients"] / sizes["scale_workers"]
        lo, hi = sizes["linear_warmup"], sizes["linear_warmup"] + sizes["linear_days"]
        for workers in sizes["linear_sizes"]:
            r = in_child(measure_fast, workers, max(1, round(workers * ratio)), 0, hi, per_day=True)
            points.append((workers, *_median_day(r["day_seconds"][lo:hi])))
        points.append((scale["workers"], *_median_day(scale["day_seconds"][lo:hi] or scale["day_seconds"])))
        sizes_ = [p[0] for p in points]
        exponent = loglog_exponent(sizes_, [p[2] for p in points])
        wall_exponent = loglog_exponent(sizes_, [p[1] for p in points])
        results["linearity"] = {"points": [{"workers": w, "wall_s_per_day": s, "cpu_s_per_day": c}
                                           for w, s, c in points],
                                "exponent": exponent, "wall_exponent": wall_exponent, "days": f"{lo}..{hi - 1}"}
        low, high = loglog_exponent_interval(sizes_, [p[2] for p in points])
        results["linearity"]["exponent_ci95"] = [low, high]
        table.add("time/day growth exponent", f"{exponent:.3f}", "<= 1 (linear)", exponent <= 1.0,
                  f"95% CI [{low:.2f}, {high:.2f}]; "
                  "median CPU ms/day " + ", ".join(f"{w:,}: {1e3 * c:.1f}" for w, _, c in points)
                  + f"; on wall-clock medians {wall_exponent:.2f}; {_load()}")
    if "ui_day" in figures:
        r = in_child(measure_ui, sizes["ui_workers"], sizes["ui_days"])
        results["ui_day"] = r
        table.add(f"UI day @ {r['workers']:,} workers", f"{r['mean_ms']:.1f} ms", "< 50 ms", r["mean_ms"] < 50,
                  f"p95 {r['p95_ms']:.1f} ms, max {r['max_ms']:.1f} ms; step + latest metrics row, agents on; "
                  f"{_load()}")
    if "batch" in figures:
        r = in_child(measure_batch, sizes["batch_runs"], sizes["batch_single_runs"], sizes["batch_workers"],
                     sizes["batch_days"], sizes["batch_jobs"])
        results["batch"] = r
        table.add(f"batch {r['runs']} runs on {r['jobs']} cores", f"{r['speedup']:.2f}x", ">= 1.8x",
                  r["speedup"] >= 1.8 and not r["failed"],
                  f"{r['parallel_runs_per_s']:.2f} runs/s vs {r['single_runs_per_s']:.2f} runs/s one job; "
                  f"the pool kept {r['cores_busy']:.2f} cores busy (with both cores free: about "
                  f"{r['speedup_if_cores_free'] or 0:.2f}x, from its CPU time) "
                  f"({r['workers']:,} workers, {r['days']} days each after the scenario's burn-in; {r['runner']}); "
                  f"{_load()}")


def vs_mesa_examples(sizes: dict, table: Table, results: dict) -> None:
    """gigsim's worker-days per CPU second against agent-steps per CPU second of Mesa's own examples."""
    from benchmarks import mesa_examples

    n, steps = sizes["example_agents"], sizes["example_steps"]
    fast = in_child(measure_fast, n, None, 0, sizes["mesa_fast_days"])
    results["vs_mesa_examples"] = []
    for measure in (mesa_examples.measure_boltzmann, mesa_examples.measure_virus):
        ex = in_child(measure, n, steps)
        ratio = fast["cpu_worker_days_per_s"] / ex["cpu_agent_steps_per_s"]
        results["vs_mesa_examples"].append({"example": ex, "fast": fast, "cpu_ratio": ratio})
        table.add(f"vs Mesa example {ex['model']} @ {n:,} agents", f"{ratio:,.1f}x", ">= 1x (CPU time)",
                  ratio >= 1, f"gigsim {fast['cpu_worker_days_per_s'] / 1e6:.2f} M worker-days/CPU-s vs "
                  f"{ex['cpu_agent_steps_per_s'] / 1e3:.1f} k agent-steps/CPU-s ({steps} steps; a worker-day "
                  f"runs far more rules than an agent-step); {_load()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="every figure on tiny worlds (seconds)")
    parser.add_argument("--only", default="", help=f"comma-separated figures: {', '.join(FIGURES)}")
    parser.add_argument("--out", default=None, help="results file stem (default benchmarks/results)")
    for key, value in FULL.items():
        kind = (lambda s: [int(x) for x in s.split(",")]) if isinstance(value, list) else int
        parser.add_argument("--" + key.replace("_", "-"), type=kind, default=None,
                            help=f"default {value if not isinstance(value, list) else ','.join(map(str, value))}")
    args = parser.parse_args(argv)
    sizes = dict(SMOKE if args.smoke else FULL)
    for key in FULL:
        if getattr(args, key) is not None:
            sizes[key] = getattr(args, key)
    figures = [f.strip() for f in args.only.split(",") if f.strip()] or list(FIGURES)
    unknown = [f for f in figures if f not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s) {', '.join(unknown)}; known: {', '.join(FIGURES)}")

    info = machine()
    print(f"gigsim benchmark{' (smoke)' if args.smoke else ''} — {info['cpu']}, {info['cores']} cores, "
          f"{info['ram_gb']} GB RAM, Python {info['python']}; {_load()}", flush=True)
    print(f"  {'figure':<34} {'measured':<26} {'target':<16} {'met':<4} note", flush=True)
    table, results = Table(), {}
    started = time.perf_counter()
    run(figures, sizes, table, results)
    out = Path(args.out) if args.out else ROOT / "benchmarks" / "results"
    report = {"when": time.strftime("%Y-%m-%d %H:%M:%S %Z"), "smoke": args.smoke, "machine": info,
              "sizes": sizes, "seconds": round(time.perf_counter() - started, 1), "table": table.rows,
              "results": results}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2, default=float) + "\n")
    out.with_suffix(".md").write_text(
        f"# gigsim benchmark results\n\n{report['when']} — {info['cpu']}, {info['cores']} cores, {info['ram_gb']} GB "
        f"RAM, Python {info['python']}, numpy {info['versions'].get('numpy')}, numba {info['versions'].get('numba')}, "
        f"mesa {info['versions'].get('mesa')}{' (smoke sizes)' if args.smoke else ''}\n\n{table.markdown()}\n")
    print(f"wrote {out.with_suffix('.json')} and {out.with_suffix('.md')} ({report['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
