"""The answer first: each arm's paired effect on each outcome, as a forest plot and a few sentences.

The comparison table already holds, per arm, the mean paired difference from its comparator
with a 95% t-interval over seeds. An effect is called *clear* when that interval excludes 0
(gigsim.analysis.stats.is_clear), and *not clear* otherwise; nothing else is judged here. The
sentences are generated from the table: no number in them is typed by hand.

The lead uses the first window of the comparison; it shows the daily cross-section for every
outcome, the whole-month version of the distribution measures, and the stable panel, each
labelled (see gigsim.analysis.welfare.BASIS_LABELS).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from gigsim.analysis.compare import Comparison, fmt, headline_arms
from gigsim.analysis.stats import CONFIDENCE, is_clear

BASIS_TAG = {"daily": "", "monthly": " (whole months)", "panel": " (stable panel)"}
"""How each basis is marked after an outcome's name in the lead."""

MAX_LISTED = 6
"""At most this many clear effects are spelled out per arm (the table below has them all)."""


@dataclass
class Effect:
    """One arm's paired difference on one outcome."""

    arm: str
    versus: str
    outcome: str
    basis: str
    diff: float
    low: float | None
    high: float | None
    pct: float | None
    pairs: int

    @property
    def label(self) -> str:
        return self.outcome + BASIS_TAG[self.basis]

    @property
    def clear(self) -> bool:
        return is_clear(self.low, self.high)


def lead_rows(comparison: Comparison) -> pl.DataFrame:
    """The table rows the lead shows: the first window's daily and whole-month rows and the panel rows."""
    first = comparison.windows[0].label
    t = comparison.table
    return t.filter(((pl.col("window") == first) & pl.col("basis").is_in(["daily", "monthly"]))
                    | (pl.col("basis") == "panel"))


def effects(comparison: Comparison) -> list[Effect]:
    """Every headline arm's paired effect in the lead rows (arms with a comparator and a difference only)."""
    arms = headline_arms(comparison)
    rows = lead_rows(comparison).filter(pl.col("arm").is_in(arms) & pl.col("diff").is_not_null())
    return [Effect(r["arm"], r["compare_to"], r["outcome"], r["basis"], r["diff"], r["diff_low"], r["diff_high"],
                   r["diff_pct"], r["n_pairs"]) for r in rows.iter_rows(named=True)]


def _change(e: Effect) -> str:
    pct = f" ({e.pct:+.1%})" if e.pct is not None else ""
    verb = "raises" if e.diff > 0 else "lowers"
    bounds = f"[{fmt(e.low)}, {fmt(e.high)}]"
    return f"{verb} {e.label} by {fmt(abs(e.diff))}{pct}, {CONFIDENCE:.0%} CI of the difference {bounds}"


def sentences(comparison: Comparison) -> list[str]:
    """A few sentences per arm: which effects are clear (interval excludes 0), which are not, and where the
    cross-section and the panel or whole-month view disagree in sign."""
    found = effects(comparison)
    if not found:
        return ["No arm has a comparator with results in both arms, so there is no effect to report."]
    pairs = {e.pairs for e in found}
    out = [f"Effects are differences from the compared arm, paired by seed ({min(pairs)}–{max(pairs)} seed pairs); "
           f"an effect is called clear when its {CONFIDENCE:.0%} interval excludes zero."
           if len(pairs) > 1 else
           f"Effects are differences from the compared arm, paired by seed ({pairs.pop()} seed pairs); "
           f"an effect is called clear when its {CONFIDENCE:.0%} interval excludes zero."]
    for arm in dict.fromkeys(e.arm for e in found):
        mine = [e for e in found if e.arm == arm]
        clear = sorted((e for e in mine if e.clear), key=lambda e: -abs(e.pct or 0))
        unclear = [e for e in mine if not e.clear and e.low is not None]
        undefined = [e for e in mine if e.low is None]
        versus = mine[0].versus
        if clear:
            listed = "; ".join(_change(e) for e in clear[:MAX_LISTED])
            more = f" (and {len(clear) - MAX_LISTED} more clear effects in the tables)" if len(clear) > MAX_LISTED else ""
            out.append(f"**{arm}** vs {versus}: clearly {listed}{more}.")
        else:
            out.append(f"**{arm}** vs {versus}: no clear effect on any outcome.")
        if unclear:
            out.append(f"Not clear for {arm}: {', '.join(e.label for e in unclear)}.")
        if undefined:
            out.append(f"No interval for {arm} (one seed pair): {', '.join(e.label for e in undefined)}.")
        out += _disagreements(mine)
    return out


def _disagreements(mine: list[Effect]) -> list[str]:
    """Sentences where the daily cross-section of an outcome is clear in one direction and its whole-month view
    is clear in the other, or not clear at all (a sign that the day measured, not the policy, decides it)."""
    daily = {e.outcome: e for e in mine if e.basis == "daily"}
    out = []
    for e in mine:
        d = daily.get(e.outcome)
        if e.basis != "monthly" or d is None or not d.clear:
            continue
        if not e.clear or (e.diff > 0) != (d.diff > 0):
            out.append(f"Caution for {e.arm}: {e.outcome} is clearly {'up' if d.diff > 0 else 'down'} in the daily "
                       f"cross-section but {'not clearly changed' if not e.clear else 'the other way'} in whole "
                       "months: the monthly cycle, not the policy, may decide its sign.")
    return out


def forest_figure(comparison: Comparison) -> bytes | None:
    """Small multiples, one per outcome: each arm's paired difference (dot) and its 95% interval (bar), a
    line at zero; dark where the interval excludes zero, grey where it does not. Units are the outcome's."""
    from gigsim.analysis.report import figure_png, pyplot

    found = effects(comparison)
    if not found:
        return None
    labels = list(dict.fromkeys(e.label for e in found))
    arms = list(dict.fromkeys(e.arm for e in found))
    plt = pyplot()
    cols = 3 if len(labels) > 4 else max(1, len(labels))
    rows = -(-len(labels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 0.55 + (0.32 * len(arms) + 0.75) * rows),
                             squeeze=False)
    for ax, label in zip(axes.flat, labels, strict=False):
        mine = {e.arm: e for e in found if e.label == label}
        for y, arm in enumerate(arms):
            e = mine.get(arm)
            if e is None:
                continue
            colour = "#1f3b57" if e.clear else "#9a9a9a"
            if e.low is not None:
                ax.plot([e.low, e.high], [y, y], color=colour, lw=2.2, solid_capstyle="butt")
            ax.plot([e.diff], [y], "o", color=colour, ms=5)
        ax.axvline(0, color="#c0392b", lw=0.9)
        ax.set_yticks(range(len(arms)), arms, fontsize=8)
        ax.set_ylim(len(arms) - 0.5, -0.5)
        ax.set_title(label, fontsize=9)
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", alpha=0.3)
    for ax in list(axes.flat)[len(labels):]:
        ax.set_visible(False)
    fig.suptitle(f"Paired difference from the compared arm, {CONFIDENCE:.0%} interval over seeds "
                 "(dark: interval excludes 0)", fontsize=10)
    fig.tight_layout()
    return figure_png(fig)


__all__ = ["Effect", "effects", "sentences", "forest_figure", "lead_rows"]
