"""`gigsim calibrate` and `gigsim calibrate-apply`: simulated method of moments on the scorecard's calibrated
measures, and merging its best point into a scenario file (faces over gigsim/analysis/calibration.py,
refinement.py, restrictions.py, calibration_record.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gigsim.cli.common import DAYS_MAX, SEED_MAX, WORKERS_MAX, out, output_path, progress_bar


def calibrate(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    budget: Annotated[int, typer.Option(min=1, max=10_000, help="Latin-hypercube points to simulate.")] = 16,
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale the population to N workers.")] = 2000,
    seeds: Annotated[int, typer.Option(min=1, max=100, help="Seeds per point (0, 1, ...; the same for every "
                                                             "point).")] = 2,
    days: Annotated[int, typer.Option(min=400, max=DAYS_MAX, help="Days per run.")] = 730,
    design_seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="Seed of the Latin hypercube.")] = 0,
    identify: Annotated[bool, typer.Option(help="Measure local identification at the best point.")] = True,
    refine: Annotated[bool, typer.Option("--refine", help="Search a box around the scenario's stored record "
                                                          "(calibration/<scenario file>) instead of the full ranges; "
                                                          "its centre is point 0.")] = False,
    around: Annotated[Path | None, typer.Option(help="Refine around this calibration record or best-point TOML "
                                                     "(implies --refine).")] = None,
    shrink: Annotated[float, typer.Option(min=0.01, max=1.0, help="Refinement box half-width, as a share of each "
                                                                  "parameter's range (clipped to its bounds).")] = 0.25,
    free: Annotated[str | None, typer.Option(help="Vary only these parameters (comma-separated, e.g. "
                                                  "entry_rate,demand.level); the others stay at point 0.")] = None,
    confirm_seeds: Annotated[int, typer.Option(min=0, max=100, help="Simulate the best point and point 0 again on "
                                                                    "N fresh seeds (after the calibration's).")] = 0,
    restrictions: Annotated[bool, typer.Option(help="Rank points meeting issue 14's equilibrium restrictions first "
                                                    "(share below the outside option ≤ 0.25; a pay rise "
                                                    "competed away); --no-restrictions ranks by loss alone and says so in "
                                                    "the record.")] = True,
    out_text: Annotated[str, typer.Option("--out", help="Output folder.")] = "results/calibration",
    apply: Annotated[bool, typer.Option("--apply", help="Merge the best point into the scenario file and store "
                                                         "its record in calibration/ beside it.")] = False,
) -> None:
    """Calibrate the free parameters by simulated method of moments on the scorecard's calibrated measures only.

    Writes best.toml (the best point as tables to merge into the scenario), candidates.parquet, candidates.md
    (every point, the loss surface, the identification table) and identification.parquet. With --refine or
    --around the design is local (a box around a previous best point, which is always simulated too). Points
    meeting the equilibrium restrictions (share below the outside option ≤ 0.25, a pay rise competed away) rank
    first; --no-restrictions ranks by loss alone."""
    from gigsim.analysis.calibration import FREE_PARAMETERS, MOMENTS, toml_snippet, write_calibration
    from gigsim.analysis.calibration import calibrate as run_calibration
    from gigsim.analysis.refinement import refinement_for, select_free
    from gigsim.analysis.restrictions import check_measurable
    from gigsim.api import prepare_scenario
    from gigsim.io import check_writable

    out_dir = output_path(out_text)
    sc = prepare_scenario(scenario, days=days, workers=workers)
    chosen = select_free(free, FREE_PARAMETERS)
    local = refinement_for(scenario, sc, around, shrink, FREE_PARAMETERS) if refine or around else None
    if restrictions:
        check_measurable(sc, scenario)
    check_writable(out_dir)
    seed_list, fresh = tuple(range(seeds)), tuple(range(seeds, seeds + confirm_seeds))
    total = budget + 1 + (2 * sum(chosen) if identify else 0) + (2 if fresh else 0)
    with progress_bar() as bar:
        task = bar.add_task("refinement" if local else "calibration", total=total, extra=f"{len(MOMENTS)} moments")
        cal = run_calibration(sc, budget=budget, seeds=seed_list, days=days, design_seed=design_seed,
                              identify=identify, progress=lambda: bar.advance(task), refine=local, free=chosen,
                              confirm_seeds=fresh, restrict=restrictions)
    command = (f"gigsim calibrate {scenario} --budget {budget} --workers {workers} --seeds {seeds} --days {days} "
               f"--design-seed {design_seed}" + ("" if identify else " --no-identify")
               + (f" --around {local.around} --shrink {shrink}" if local else "")
               + (f" --free {free}" if free else "") + (f" --confirm-seeds {confirm_seeds}" if fresh else "")
               + ("" if restrictions else " --no-restrictions")
               + f" --out {out_dir}" + (" --apply" if apply else ""))
    snippet = toml_snippet(cal, sc, budget, seed_list, days, command)
    written = write_calibration(cal, snippet, out_dir)
    _print_calibration(cal, sc.name)
    out.print(snippet, highlight=False, markup=False)
    out.print(f"Wrote {', '.join(str(p) for p in written)}")
    if apply:
        _apply_calibration(out_dir / "best.toml", scenario)


def _print_calibration(cal, name: str) -> None:
    from gigsim.analysis.calibration import MOMENTS

    def cell(v, fmt: str) -> str:
        return "—" if v is None else format(v, fmt)

    ranked = "feasible first, then by loss" if cal.restricted else "by loss alone (--no-restrictions)"
    table = Table(title=f"Calibration of {name}: best 5 of {cal.candidates.height} points, ranked {ranked}")
    for col in ("point", "origin", "inside", "loss", "below outside option (≤ 0.25)", "pay-rise hourly fall (≥ 0.3)",
                "late drivers (≥ 1.2×)", "feasible"):
        table.add_column(col, justify="right")
    for r in cal.candidates.head(5).iter_rows(named=True):
        table.add_row(str(r["point"]), r["origin"], f"{r['inside']}/{len(MOMENTS)}", f"{r['loss']:.4f}",
                      cell(r["below_outside_option"], ".1%"), cell(r["pay_rise_hourly_fall"], "+.2f"),
                      cell(r["pay_rise_driver_ratio"], ".2f"),
                      cell(r["feasible"], ""))
    out.print(table)
    if cal.restricted and not cal.candidates["feasible"][0]:
        out.print("No point meets the equilibrium restrictions: the best is the least infeasible (violation "
                  f"{cal.candidates['violation'][0]:.3f}); see best.toml [calibration.restrictions].",
                  style="yellow")
    c = cal.comparison
    out.print(f"Best against point 0 ({cal.reference}) on the same seeds: loss improvement per seed "
              f"{', '.join(f'{d:+.4f}' for d in c['per_seed_improvement'])}"
              + (f"; on fresh seeds {', '.join(f'{d:+.4f}' for d in cal.confirmation['per_seed_improvement'])}"
                 if cal.confirmation else ""), highlight=False)


def _apply_calibration(record: Path, scenario: Path) -> None:
    from gigsim.analysis.calibration_record import apply_record

    stored = apply_record(record, scenario)
    out.print(f"Merged the calibrated values of {record} into {scenario}; record stored as {stored}")


def calibrate_apply(
    record: Annotated[Path, typer.Argument(help="best.toml written by gigsim calibrate.")],
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file to carry the calibration.")] =
        Path("scenarios/baseline.toml"),
) -> None:
    """Merge a calibration's best point into a scenario file (only the calibrated values change, each marked
    `# calibrated`; a comment block names the record) and store the record as calibration/<scenario file> beside
    it. The merged scenario is validated first; on bad input nothing is written (exit 2)."""
    _apply_calibration(record, scenario)
