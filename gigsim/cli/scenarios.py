"""`gigsim run` and `gigsim validate`: one scenario file, run or checked (a face over gigsim/api.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gigsim.cli.common import DAYS_MAX, SEED_MAX, WORKERS_MAX, out, output_path, progress_bar


def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
    days: Annotated[int | None, typer.Option(min=1, max=DAYS_MAX, help="Days to simulate (default: the scenario's).")] = None,
    seed: Annotated[int | None, typer.Option(min=0, max=SEED_MAX, help="Random seed (default: the scenario's).")] = None,
    workers: Annotated[int | None, typer.Option(min=1, max=WORKERS_MAX, help="Rescale the population to N workers.")] = None,
    out_dir: Annotated[str, typer.Option("--out", help="Output folder: missing, empty or a previous run's.")] = "results/run",
    check: Annotated[bool, typer.Option("--check", help="Check the invariants every day.")] = False,
    panels: Annotated[bool, typer.Option(help="Write the weekly and monthly worker panels (turn off for big "
                                              "runs).")] = True,
) -> None:
    """Run one simulation; write metrics.parquet, markets.parquet, workers.parquet, the worker panels
    panel_weekly.parquet and panel_monthly.parquet (unless --no-panels) and manifest.json."""
    from gigsim.analysis.summary import category_trends, headline
    from gigsim.api import prepare_scenario, run_scenario_file

    target = output_path(out_dir)
    sc = prepare_scenario(scenario, seed=seed, days=days, workers=workers)
    with progress_bar() as bar:
        task = bar.add_task(f"{sc.name}", total=days or sc.days, extra=f"{sc.population.workers:,} workers")
        result = run_scenario_file(scenario, target, seed=seed, days=days, workers=workers, check=check,
                                   progress=lambda: bar.advance(task), panels=panels)
    table = Table(title=f"{sc.name}: last 30 days of {result.manifest['days']} (seed {result.manifest['seed']})")
    table.add_column("outcome")
    table.add_column("value", justify="right")
    for _, label, value in headline(result.metrics, sc.population.workers, workers=result.workers):
        table.add_row(label, value)
    out.print(table)
    trends = category_trends(result.metrics)
    cat_table = Table(title="Net hourly earnings by category: first vs last 30 days")
    for col in ("category", "first 30 days", "last 30 days", "change", "workers first", "workers last"):
        cat_table.add_column(col, justify="right" if col != "category" else "left")
    for r in trends.iter_rows(named=True):
        change = f"{r['net_hourly_change']:+.1%}" if r["net_hourly_change"] is not None else "n/a"
        cat_table.add_row(r["category"], _money(r["net_hourly_early"]), _money(r["net_hourly_late"]), change,
                          _count(r["workers_early"]), _count(r["workers_late"]))
    out.print(cat_table)
    written = ", ".join(f"{name}.parquet" for name in ("metrics", "markets", "workers", *result.panels))
    out.print(f"Wrote {target}/{written}, manifest.json "
              f"in {result.manifest['seconds']:.1f} s")


def _money(v) -> str:
    return "n/a" if v is None else f"{v:.2f}"


def _count(v) -> str:
    return "n/a" if v is None else f"{v:,.0f}"


def validate(scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")]) -> None:
    """Check a scenario file without running it (and that its world fits this machine)."""
    from gigsim.api import prepare_scenario

    sc = prepare_scenario(scenario)
    out.print(f"{scenario}: valid — '{sc.name}', {sc.population.workers:,} workers, {sc.population.clients:,} "
              f"clients, categories {', '.join(sc.active_categories)}, platforms {', '.join(sc.active_platforms)}, "
              f"{sc.days} days")
