"""The evidence commands: `gigsim validate-facts` (the scorecard), `replicate` (the episodes), `evidence` (both,
spliced into docs/validation.md) and `translate` (the episodes' translated numbers); faces over gigsim/analysis/
(evidence.py, scorecard.py, replicate.py, translation.py) and gigsim/api.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from gigsim.cli.common import DAYS_MAX, SEED_MAX, WORKERS_MAX, out, output_path, progress_bar
from gigsim.errors import InputError


def validate_facts(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale the population to N workers.")] = 5000,
    seed: Annotated[int | None, typer.Option(min=0, max=SEED_MAX, help="First seed (default: the scenario's).")] = None,
    days: Annotated[int, typer.Option(min=400, max=DAYS_MAX, help="Days per run (the last 365 are measured).")] = 730,
    seeds: Annotated[int, typer.Option(min=1, max=100, help="Seeds to average over (seed, seed + 1, ...).")] = 5,
    out_text: Annotated[str | None, typer.Option("--out", help="Write facts.md and facts.json here.")] = None,
) -> None:
    """Score the scenario against published levels: every scorecard measure (calibrated and held out) with its
    source, band, simulated mean over seeds [95% interval] and verdict. Exits 1 if any measure fails."""
    from gigsim.analysis.evidence import write_facts
    from gigsim.analysis.facts import worlds_needed
    from gigsim.analysis.scorecard import run_scorecard
    from gigsim.api import prepare_scenario
    from gigsim.io import check_writable

    out_dir = output_path(out_text)
    sc = prepare_scenario(scenario, seed=seed, days=days, workers=workers)
    if out_dir is not None:
        check_writable(out_dir)
    first = sc.seed if seed is None else seed
    with progress_bar() as bar:
        task = bar.add_task("scorecard", total=seeds * worlds_needed(sc) * days, extra=f"{workers:,} workers")
        card = run_scorecard(sc, first, seeds, days, progress=lambda: bar.advance(task))
    command = (f"gigsim validate-facts {scenario} --workers {workers} --seed {first} --seeds {seeds} "
               f"--days {days}" + (f" --out {out_dir}" if out_dir is not None else ""))
    written = write_facts(card, out_dir, command) if out_dir is not None else []
    _print_scorecard(card)
    if written:
        out.print(f"Wrote {', '.join(str(p) for p in written)}")
    if any(x.holds is False for x in card.scores):
        raise typer.Exit(1)


def _print_scorecard(card) -> None:
    table = Table(title=f"Scorecard: {card.scenario}, {card.workers:,} workers, {card.seed_text}")
    for col in ("measure", "kind", "role", "band", "simulated [95% CI]", "holds", "source"):
        table.add_column(col, overflow="fold")
    for x in card.scores:
        m = x.measure
        lo, hi = x.interval
        value = "n/a" if x.value is None else f"{x.value:.3g}" + ("" if lo is None else f" [{lo:.3g}, {hi:.3g}]")
        verdict = "n/a" if x.holds is None else ("[green]yes[/]" if x.holds else "[bold red]no[/]")
        table.add_row(m.name, m.kind, m.role, f"{m.low:.3g} to {m.high:.3g}", value, verdict, m.source.short())
    out.print(table)
    for role in ("calibrated", "held_out"):
        held, n = card.held(role)
        out.print(f"{role}: {held} of {n} measures hold.")


def replicate(
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale every arm's population to N "
                                                                       "workers.")] = 5000,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="First seed; each seed runs both arms (paired).")] = 0,
    seeds: Annotated[int, typer.Option(min=2, max=100, help="Seeds per arm.")] = 5,
    episode: Annotated[list[str] | None, typer.Option(help="Run only these episodes (repeatable).")] = None,
    out_text: Annotated[str | None, typer.Option("--out", help="Write replication.md and replication.json here.")]
    = None,
) -> None:
    """Replicate real episodes (scenario pairs in scenarios/episodes/): the published effect, the simulated
    effect with its 95% interval over paired seeds, and a verdict. Exits 1 if any outcome fails."""
    from gigsim.analysis.evidence import write_replication
    from gigsim.analysis.replicate import EPISODES, runs_needed
    from gigsim.analysis.replicate import replicate as run_replication
    from gigsim.io import check_writable

    out_dir = output_path(out_text)
    known = {e.name: e for e in EPISODES}
    unknown = [name for name in episode or [] if name not in known]
    if unknown:
        raise InputError(f"--episode: unknown episode {', '.join(unknown)} (known: {', '.join(known)})")
    chosen = tuple(known[n] for n in episode) if episode else EPISODES
    if out_dir is not None:
        check_writable(out_dir)
    with progress_bar() as bar:
        task = bar.add_task("episodes", total=runs_needed(chosen, workers, seeds), extra=f"{workers:,} workers")
        rep = run_replication(chosen, workers, seed, seeds, progress=lambda: bar.advance(task))
    command = (f"gigsim replicate --workers {workers} --seed {seed} --seeds {seeds}"
               + "".join(f" --episode {n}" for n in episode or []) + (f" --out {out_dir}" if out_dir else ""))
    written = write_replication(rep, out_dir, command) if out_dir is not None else []
    table = Table(title=f"Replication: {workers:,} workers, {seeds} paired seeds")
    for col in ("episode", "outcome", "band", "simulated [95% CI]", "holds", "source"):
        table.add_column(col, overflow="fold")
    for r in rep.results:
        lo, hi = r.interval
        value = "n/a" if r.simulated is None else f"{r.simulated:+.3g}" + (
            "" if lo is None else f" [{lo:+.3g}, {hi:+.3g}]")
        verdict = "n/a" if r.holds is None else ("[green]yes[/]" if r.holds else "[bold red]no[/]")
        table.add_row(r.episode.name, r.outcome.name, f"{r.outcome.low:.3g} to {r.outcome.high:.3g}", value,
                      verdict, r.outcome.source.short())
    out.print(table)
    held, n = rep.held()
    out.print(f"{held} of {n} outcomes hold.")
    if written:
        out.print(f"Wrote {', '.join(str(p) for p in written)}")
    if any(r.holds is False for r in rep.results):
        raise typer.Exit(1)


def evidence(
    scenario: Annotated[Path, typer.Argument(help="Scenario TOML file.")] = Path("scenarios/baseline.toml"),
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale every world to N workers.")] = 5000,
    seeds: Annotated[int, typer.Option(min=2, max=100, help="Seeds of the scorecard and per episode arm.")] = 5,
    out_text: Annotated[str, typer.Option("--out", help="Write facts.md/json and replication.md/json here.")]
    = "results/evidence",
    docs: Annotated[Path, typer.Option(help="Markdown file whose generated sections get the two tables.")]
    = Path("docs/validation.md"),
    splice_docs: Annotated[bool, typer.Option("--docs-update/--no-docs-update", help="Replace the generated "
                                                                                    "sections of --docs.")] = True,
) -> None:
    """Regenerate the evidence: the scorecard (as validate-facts: the scenario's seed and the next ones, 730 days)
    and every replication episode (as replicate: seeds 0, 1, ...), their Markdown and JSON, and the two tables of
    --docs, each between its marker lines `<!-- generated:NAME -->` and `<!-- /generated:NAME -->` (NAME:
    scorecard, replication; written also when measures fail). Exits 1 if any measure or outcome fails, like
    validate-facts."""
    from gigsim.analysis.evidence import evidence_work, run_evidence
    from gigsim.api import prepare_scenario

    out_dir = output_path(out_text)
    sc = prepare_scenario(scenario, days=730, workers=workers)
    command = f"gigsim evidence {scenario} --workers {workers} --seeds {seeds} --out {out_dir}" + (
        f" --docs {docs}" if splice_docs else " --no-docs-update")
    with progress_bar() as bar:
        task = bar.add_task("evidence", total=evidence_work(sc, seeds, 730, workers), extra=f"{workers:,} workers")
        ev = run_evidence(sc, out_dir, docs if splice_docs else None, command, sc.seed, seeds,
                          progress=lambda: bar.advance(task))
    _print_scorecard(ev.card)
    held, n = ev.replication.held()
    out.print(f"replication: {held} of {n} outcomes hold.")
    out.print(f"Wrote {', '.join(str(p) for p in ev.written)}"
              + ("" if not splice_docs else f" ({docs} {'changed' if ev.docs_changed else 'unchanged'})"))
    if ev.failing:
        raise typer.Exit(1)


def translate(
    scenario: Annotated[Path, typer.Argument(help="Scenario the numbers are measured on (the episodes' control).")]
    = Path("scenarios/episodes/control.toml"),
    workers: Annotated[int, typer.Option(min=100, max=WORKERS_MAX, help="Rescale the world to N workers.")] = 5000,
    seed: Annotated[int, typer.Option(min=0, max=SEED_MAX, help="First seed.")] = 0,
    seeds: Annotated[int, typer.Option(min=2, max=100, help="Seeds (one 300-day run each).")] = 5,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 if a stored value lies outside its measured "
                                                        "interval.")] = False,
    write: Annotated[bool, typer.Option("--write", help="Write the measured values into the episode and "
                                                        "experiment files.")] = False,
    docs: Annotated[Path | None, typer.Option(help="Markdown file whose generated translation section gets the "
                                                   "table (the values as written, with --write).")] = None,
    root: Annotated[Path | None, typer.Option(help="Folder holding scenarios/episodes/ and experiments/ whose files "
                                                   "store the values (default: this gigsim checkout).")] = None,
) -> None:
    """Re-measure the policy episodes' translated numbers (NYC's per-minute and per-mile rates and cap target,
    Horton's minimum; gigsim/analysis/translation.py) on the control arm over days 120-299, and compare each with
    the value its files store (the NYC episode and experiment, the Horton episode). --check exits 1 when a stored
    value is stale (run it after a re-calibration); --write writes the values, keeping the files' comments; --docs
    writes the table between `<!-- generated:translation -->` and `<!-- /generated:translation -->` (with --check
    also when a value is stale: the miss is the information)."""
    from gigsim.analysis import translation
    from gigsim.api import measure_translations, prepare_scenario

    if check and write:
        raise InputError("--check and --write exclude each other: check the stored values, or write new ones")
    if docs is not None:
        translation.read_docs(docs)
    translation.read_stored(root or translation.ROOT)  # bad input refused before the progress bar shows
    prepare_scenario(scenario, workers=workers)
    with progress_bar() as bar:
        task = bar.add_task("translate", total=seeds * translation.EPISODE_DAYS, extra=f"{workers:,} workers")
        rows = measure_translations(scenario, workers=workers, seed=seed, seeds=seeds, root=root,
                                    progress=lambda: bar.advance(task))
    table = Table(title=f"Translations: {scenario}, {workers:,} workers, seeds {seed}-{seed + seeds - 1}")
    for col in ("number", "file: field", "per seed", "measured [95% CI]", "stored", "current"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(r.number.name, f"{r.target.file}: {r.target.field}", *translation.cells(r),
                      "[green]yes[/]" if r.current else "[bold red]no[/]")
    out.print(table)
    stale = [r for r in rows if not r.current]
    out.print(f"{len(rows) - len(stale)} of {len(rows)} stored values are current.")
    command = (f"gigsim translate {scenario} --workers {workers} --seed {seed} --seeds {seeds}"
               + (" --write" if write else " --check" if check else "") + (f" --docs {docs}" if docs else "")
               + (f" --root {root}" if root else ""))
    written = translation.write_values(rows, root or translation.ROOT) if write else []
    if docs is not None and translation.splice_table(docs, translation.markdown(
            translation.as_written(rows) if write else rows, str(scenario), workers, range(seed, seed + seeds), command)):
        written.append(docs)
    if write or docs is not None:
        out.print(f"Wrote {', '.join(str(p) for p in written)}" if written else "Every file already held its values.")
    if check and stale:
        raise typer.Exit(1)
