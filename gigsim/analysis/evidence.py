"""What `validate-facts` and `replicate` write: facts.json / replication.json (lists of rows whose schema is
the pydantic models below) and the Markdown tables of docs/validation.md; and `gigsim evidence` (`run_evidence`),
which runs both and splices the two tables into docs/validation.md between their markers.

Unbounded band ends and undefined values are null in JSON, never NaN or infinity.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, TypeAdapter

from gigsim import io
from gigsim.analysis.markdown import table as markdown_table
from gigsim.analysis.replicate import OutcomeResult, Replication
from gigsim.analysis.scorecard import Score, Scorecard
from gigsim.errors import InputError


class FactRow(BaseModel):
    """One scorecard measure in facts.json."""

    model_config = ConfigDict(extra="forbid")
    name: str
    kind: Literal["level", "difference"]
    role: Literal["calibrated", "held_out"]
    sector: str
    description: str
    source: str
    source_url: str
    published: str
    target_low: float | None
    target_high: float | None
    band: str
    unit: str
    status: Literal["measured", "undefined", "not_measurable"]
    value: float | None
    ci_low: float | None
    ci_high: float | None
    per_seed: list[float | None]
    holds: bool | None
    missing: str = ""


class EpisodeRow(BaseModel):
    """One outcome of one replication episode in replication.json."""

    model_config = ConfigDict(extra="forbid")
    name: str
    episode: str
    outcome: str
    source: str
    source_url: str
    published: float | None
    published_text: str
    target_low: float | None
    target_high: float | None
    band: str
    unit: str
    simulated: float | None
    ci_low: float | None
    ci_high: float | None
    per_seed: list[float | None]
    holds: bool | None


FACT_ROWS = TypeAdapter(list[FactRow])
EPISODE_ROWS = TypeAdapter(list[EpisodeRow])


def _finite(v: float | None) -> float | None:
    return None if v is None or not math.isfinite(v) else float(v)


def fact_row(x: Score) -> FactRow:
    m = x.measure
    lo, hi = x.interval
    return FactRow(name=m.name, kind=m.kind, role=m.role, sector=m.sector, description=m.description,
                   source=m.source.cite(), source_url=m.source.url, published=m.published,
                   target_low=_finite(m.low), target_high=_finite(m.high), band=m.band, unit=m.unit,
                   status=x.status, value=x.value, ci_low=lo, ci_high=hi,
                   per_seed=[_finite(v) for v in x.per_seed], holds=x.holds, missing=m.missing)


def episode_row(r: OutcomeResult) -> EpisodeRow:
    o = r.outcome
    lo, hi = r.interval
    return EpisodeRow(name=f"{r.episode.name}: {o.name}", episode=r.episode.name, outcome=o.name,
                      source=o.source.cite(), source_url=o.source.url, published=o.published,
                      published_text=o.published_text, target_low=_finite(o.low), target_high=_finite(o.high),
                      band=o.band, unit=o.unit, simulated=r.simulated, ci_low=lo, ci_high=hi,
                      per_seed=[_finite(v) for v in r.per_seed], holds=r.holds)


# --------------------------------------------------------------------------- Markdown


def _num(v: float | None, unit: str) -> str:
    if v is None:
        return "n/a"
    if not math.isfinite(v):
        return "∞" if v > 0 else "−∞"
    if unit in ("share", "relative change"):
        return f"{v:+.1%}" if unit == "relative change" else f"{v:.1%}"
    if unit == "points":
        return f"{v * 100:+.1f} pt"
    return f"{v:.3g}"


def _verdict(holds: bool | None, missing: str = "") -> str:
    return "n/a" if holds is None else ("yes" if holds else "**no**")


FACT_COLUMNS = ("Measure", "Kind", "Role", "Published (source)", "Band (how set)", "Simulated", "Holds")
"""The columns of facts.md (`_fact_cells`)."""
EPISODE_COLUMNS = ("Episode", "Outcome", "Published (source)", "Band", "Simulated", "Holds")
"""The columns of replication.md (`_episode_cells`)."""


def facts_markdown(card: Scorecard, command: str = "") -> str:
    """The scorecard as Markdown: one table, calibrated measures first."""
    held_c, n_c = card.held("calibrated")
    held_h, n_h = card.held("held_out")
    intro = (f"Scenario `{card.scenario}`, {card.workers:,} workers, {card.seed_text}, {card.days} days (measured "
             f"over the last 365). **Calibrated measures: {held_c} of {n_c} hold; held-out measures: {held_h} of "
             f"{n_h} hold.** Value: the mean over seeds [95% interval]; the verdict is on the mean.")
    scores = sorted(card.scores, key=lambda x: x.measure.role)
    return markdown_table(intro, FACT_COLUMNS, [_fact_cells(x) for x in scores], command)


def _fact_cells(x: Score) -> tuple[str, ...]:
    """A measure's row of facts.md (FACT_COLUMNS)."""
    m = x.measure
    lo, hi = x.interval
    value = _num(x.value, m.unit) + ("" if lo is None else f" [{_num(lo, m.unit)}, {_num(hi, m.unit)}]")
    if x.status == "not_measurable":
        value = f"not measurable: {m.missing}"
    read = f"; read at the sample's growth, {m.growth:.3f} a month ({m.growth_basis})" if m.growth else ""
    return (f"`{m.name}`: {m.description}", m.kind, m.role, f"{m.published} ({m.source.short()}){read}",
            f"{_num(m.low, m.unit)} to {_num(m.high, m.unit)} ({m.band})", value, _verdict(x.holds))


def replication_markdown(rep: Replication, command: str = "") -> str:
    """The episodes as Markdown: one row per outcome."""
    held, n = rep.held()
    intro = (f"{rep.workers:,} workers, seeds {rep.seed}-{rep.seed + rep.seeds - 1} (each seed runs both arms), "
             f"{rep.days} days, shocks and policies from day 60. **{held} of {n} outcomes hold.** Simulated: the "
             "treated arm relative to the control, mean over seeds [95% interval]; a direction-only outcome holds "
             "only if its whole interval has the published sign.")
    return markdown_table(intro, EPISODE_COLUMNS, [_episode_cells(r) for r in rep.results], command)


def _episode_cells(r: OutcomeResult) -> tuple[str, ...]:
    """An outcome's row of replication.md (EPISODE_COLUMNS)."""
    o = r.outcome
    lo, hi = r.interval
    sim = _num(r.simulated, o.unit) + ("" if lo is None else f" [{_num(lo, o.unit)}, {_num(hi, o.unit)}]")
    if o.effect is None:
        sim = "not produced by the model"
    return (r.episode.name, o.name, f"{o.published_text} ({o.source.short()})",
            f"{_num(o.low, o.unit)} to {_num(o.high, o.unit)} ({o.band})", sim, _verdict(r.holds))


def _write(rows: list, adapter: TypeAdapter, markdown: str, out: Path, stem: str) -> list[Path]:
    """STEM.json (the rows, validated by `adapter`) and STEM.md in `out` (atomic writes)."""
    out = io.ensure_dir(Path(out))
    io.write_text(adapter.dump_json(rows, indent=2).decode() + "\n", out / f"{stem}.json")
    io.write_text(markdown, out / f"{stem}.md")
    return [out / f"{stem}.json", out / f"{stem}.md"]


def write_facts(card: Scorecard, out: Path, command: str) -> list[Path]:
    """facts.json and facts.md in `out`."""
    return _write([fact_row(x) for x in card.scores], FACT_ROWS, facts_markdown(card, command), out, "facts")


def write_replication(rep: Replication, out: Path, command: str) -> list[Path]:
    """replication.json and replication.md in `out`."""
    return _write([episode_row(r) for r in rep.results], EPISODE_ROWS, replication_markdown(rep, command), out,
                  "replication")


# --------------------------------------------------------------------------- `gigsim evidence`: both, and the docs

SECTIONS = ("scorecard", "replication")
"""The generated sections of docs/validation.md, each between its two markers (`markers`)."""


def markers(name: str) -> tuple[str, str]:
    """The comment lines that open and close a generated section of a Markdown file."""
    return f"<!-- generated:{name} -->", f"<!-- /generated:{name} -->"


def splice(text: str, name: str, content: str, source: Path | str) -> str:
    """`text` with the section `name` replaced by `content`: everything between the end of the opening marker's line
    and the start of the closing one's becomes a blank line, `content` and a blank line; every byte outside stays.
    A marker counts only as a line of its own (prose may quote it). InputError naming `source` unless each marker
    line occurs exactly once, the opening one first."""
    found = [[m.span() for m in re.finditer(rf"^{re.escape(marker)}[ \t]*$", text, re.MULTILINE)]
             for marker in markers(name)]
    if [len(f) for f in found] != [1, 1] or found[0][0][1] > found[1][0][0]:
        start, end = markers(name)
        raise InputError(f"{source}: the generated {name} section needs exactly one line `{start}` and, after it, "
                         f"one line `{end}` (add them around the section)")
    return text[:found[0][0][1]] + "\n\n" + content.strip("\n") + "\n\n" + text[found[1][0][0]:]


def read_docs(path: Path) -> str:
    """The docs file, checked to hold every generated section's markers (InputError naming the file otherwise)."""
    try:
        text = Path(path).read_bytes().decode("utf-8")   # bytes: line endings stay as they are
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the documentation file ({exc})") from None
    for name in SECTIONS:
        splice(text, name, "", path)
    return text


def splice_docs(path: Path, sections: dict[str, str]) -> bool:
    """Replace the generated sections of the docs file (atomic write); True if its text changed."""
    before = read_docs(path)
    after = before
    for name, content in sections.items():
        after = splice(after, name, content, path)
    if after != before:
        io.write_text(after, Path(path))
    return after != before


@dataclass
class Evidence:
    """What `gigsim evidence` produced: the scorecard, the replication, the files written, whether the docs changed."""

    card: Scorecard
    replication: Replication
    written: list[Path]
    docs_changed: bool

    @property
    def failing(self) -> int:
        """Measures and outcomes whose verdict is 'does not hold' (undefined ones are not failures)."""
        return sum(x.holds is False for x in self.card.scores) + sum(r.holds is False for r in self.replication.results)


def evidence_work(sc, seeds: int, days: int, workers: int) -> int:
    """Simulated days `run_evidence` will run (for a progress bar)."""
    from gigsim.analysis.facts import worlds_needed
    from gigsim.analysis.replicate import EPISODES, runs_needed

    return seeds * worlds_needed(sc) * days + runs_needed(EPISODES, workers, seeds)


def run_evidence(sc, out: Path, docs: Path | None, command: str, seed: int, seeds: int = 5,
                 days: int = 730, replicate_seed: int = 0, progress=None) -> Evidence:
    """The scorecard of `sc` (seeds seed, ..., as `validate-facts`) and every replication episode at `sc`'s size
    (seeds replicate_seed, ..., as `replicate`); facts.md/json and replication.md/json in `out`; then the generated
    sections of `docs` replaced by the two Markdown tables — also when measures fail (the misses are the
    information). The output folder and the docs' markers are checked before anything runs."""
    from gigsim.analysis.replicate import EPISODES, replicate
    from gigsim.analysis.scorecard import run_scorecard

    if docs is not None:
        read_docs(docs)
    io.check_writable(Path(out))
    card = run_scorecard(sc, seed, seeds, days, progress=progress)
    rep = replicate(EPISODES, sc.population.workers, replicate_seed, seeds, progress=progress)
    written = write_facts(card, out, command) + write_replication(rep, out, command)
    changed = docs is not None and splice_docs(docs, {"scorecard": facts_markdown(card, command),
                                                      "replication": replication_markdown(rep, command)})
    return Evidence(card, rep, written + ([Path(docs)] if docs is not None else []), changed)
