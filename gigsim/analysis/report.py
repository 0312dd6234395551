"""The comparison report: Markdown with PNG figures, and one self-contained HTML page (images inline).

It leads with the answer (gigsim.analysis.findings): a forest plot of each arm's paired
differences with 95% intervals per outcome and a few generated sentences saying which effects
are clear. Then what each basis means (cross-section, whole months, stable panel), the arms,
the detailed tables, and the figures: each outcome over time per arm (7-day moving average,
mean over seeds with a 95% band), the distribution of active workers' net hourly earnings per
arm at the end of the runs, and, for sweeps, the sensitivity of each outcome to each swept
parameter. Also writes the comparison table as `comparison.parquet` and `comparison.csv`.
"""

from __future__ import annotations

import base64
import html
import io as _io
from pathlib import Path

import numpy as np
import polars as pl

from gigsim import io
from gigsim.analysis import findings
from gigsim.analysis.compare import Comparison, block, fmt, headline_arms, interval, outcomes_of, sections
from gigsim.analysis.stats import CONFIDENCE, half_width
from gigsim.analysis.welfare import BASIS_LABELS, PANEL_OUTCOMES
from gigsim.experiments.store import load_table

SMOOTH_DAYS = 7
MAX_PLOTTED_ARMS = 12


def figure_png(fig) -> bytes:
    buffer = _io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buffer.getvalue()


def pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def timeseries_figure(comparison: Comparison, outcome: str, arms: list[str]) -> bytes:
    """Outcome per day for each arm: 7-day moving average, mean over seeds with its 95% t-band."""
    plt = pyplot()
    m = (comparison.metrics.filter(pl.col("arm").is_in(arms)).sort("arm", "seed", "day")
         .with_columns(pl.col(outcome).cast(pl.Float64).fill_nan(None)
                       .rolling_mean(SMOOTH_DAYS, min_samples=1).over("arm", "seed").alias("v")))
    daily = m.group_by("arm", "day").agg(pl.col("v").mean().alias("mean"), pl.col("v").std().alias("sd"),
                                         pl.col("v").count().alias("n")).sort("arm", "day")
    fig, ax = plt.subplots(figsize=(8, 3.6))
    for arm in arms:
        d = daily.filter(pl.col("arm") == arm)
        if d.is_empty():
            continue
        day, mean = d["day"].to_numpy(), d["mean"].to_numpy().astype(float)
        half = half_width(d["sd"].to_numpy(), d["n"].to_numpy())
        line, = ax.plot(day, mean, label=arm, lw=1.4)
        ax.fill_between(day, mean - half, mean + half, color=line.get_color(), alpha=0.18, lw=0)
    for w in comparison.windows:
        first, end = w.bounds(comparison.days)
        if first > 0 or end < comparison.days:
            ax.axvspan(first, end - 1, color="0.5", alpha=0.06, lw=0)
    ax.set_xlabel("day")
    ax.set_ylabel(outcome)
    ax.set_title(f"{outcome} ({SMOOTH_DAYS}-day average; band: {CONFIDENCE:.0%} CI over seeds)", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, ncol=2 if len(arms) > 4 else 1, loc="best")
    return figure_png(fig)


def earnings_figure(workers: pl.DataFrame, arms: list[str]) -> bytes | None:
    """Distribution of active workers' net hourly earnings at the end of the runs, pooled over seeds.

    Undefined earnings (null; NaN in files written before the model used null) are left out.
    """
    if workers.is_empty() or "net_hourly_earnings" not in workers.columns:
        return None
    active = workers.filter((pl.col("status") == "active") & (pl.col("lifetime_tasks") > 0))
    data = [active.filter(pl.col("arm") == a)["net_hourly_earnings"].cast(pl.Float64).fill_nan(None).drop_nulls()
            .to_numpy() for a in arms]
    if not any(len(d) for d in data):
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 0.5 + 0.45 * len(arms)))
    ax.boxplot([d if len(d) else [np.nan] for d in data], orientation="horizontal", showfliers=False, whis=(5, 95))
    ax.set_yticks(range(1, len(arms) + 1), arms)
    ax.invert_yaxis()
    ax.set_xlabel("net hourly earnings of active workers at the end (box: quartiles, whiskers: 5th-95th pct)")
    ax.grid(axis="x", alpha=0.3)
    return figure_png(fig)


def sensitivity_figure(sens: pl.DataFrame, window: str) -> bytes | None:
    """Bars per outcome and parameter: Sobol S1/ST, or standardised regression coefficients."""
    sub = sens.filter(pl.col("window") == window).drop_nulls("value")
    if sub.is_empty():
        return None
    plt = pyplot()
    outcomes = list(dict.fromkeys(sub["outcome"].to_list()))
    params = list(dict.fromkeys(sub["parameter"].to_list()))
    indices = list(dict.fromkeys(sub["index"].to_list()))
    fig, ax = plt.subplots(figsize=(8, 0.6 + 0.5 * len(outcomes) * max(1, len(params)) * len(indices) / 2))
    height = 0.8 / (len(params) * len(indices))
    y = np.arange(len(outcomes))
    j = 0
    for p in params:
        for ix in indices:
            vals = [sub.filter((pl.col("outcome") == o) & (pl.col("parameter") == p) & (pl.col("index") == ix))
                    ["value"].to_list() for o in outcomes]
            ax.barh(y + j * height, [v[0] if v else 0.0 for v in vals], height=height, label=f"{p} ({ix})")
            j += 1
    ax.set_yticks(y + 0.4 - height / 2, outcomes)
    ax.invert_yaxis()
    ax.axvline(0, color="0.3", lw=0.8)
    kind = "Sobol indices" if "S1" in indices else "standardised regression coefficients"
    ax.set_title(f"Sensitivity ({kind}), {window}", fontsize=10)
    ax.legend(fontsize=8, loc="best")
    ax.grid(axis="x", alpha=0.3)
    return figure_png(fig)


# --------------------------------------------------------------------------- writing


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")


def write_report(comparison: Comparison, target: str | Path) -> list[Path]:
    """Write report.md (+ figures/*.png), report.html (self-contained), comparison.parquet/.csv into `target`."""
    target = io.ensure_dir(Path(target))
    io.check_writable(target)
    arms = headline_arms(comparison)
    plotted = arms[:MAX_PLOTTED_ARMS]
    figures: list[tuple[str, str, bytes]] = []  # (file name, caption, png)
    forest = findings.forest_figure(comparison)
    if forest is not None:
        figures.append((FOREST, "Effect of each arm on each outcome: paired difference with its "
                        f"{CONFIDENCE:.0%} interval", forest))
    for outcome in comparison.outcomes if plotted else []:
        figures.append((f"timeseries_{_slug(outcome)}.png", f"{outcome} over time",
                        timeseries_figure(comparison, outcome, plotted)))
    workers = load_table(comparison.folder, "workers", _only_arms(comparison.manifest, plotted))
    png = earnings_figure(workers, plotted) if plotted else None
    if png is not None:
        figures.append(("earnings_distribution.png", "Distribution of worker earnings per arm", png))
    if comparison.sensitivity is not None:
        for w in comparison.windows:
            png = sensitivity_figure(comparison.sensitivity, w.label)
            if png is not None:
                figures.append((f"sensitivity_{_slug(w.label)}.png", f"Sensitivity, {w.label}", png))
    for name, _, png in figures:
        io.write_bytes(target / "figures" / name, png)
    io.write_parquet(comparison.table, target / "comparison.parquet")
    io.write_text(comparison.table.write_csv(), target / "comparison.csv")
    io.write_text(markdown(comparison, arms, figures), target / "report.md")
    io.write_text(html_page(comparison, arms, figures), target / "report.html")
    return [target / "report.md", target / "report.html", target / "comparison.parquet"]


def _only_arms(manifest: dict, arms: list[str]) -> dict:
    m = dict(manifest)
    m["runs"] = {k: r for k, r in manifest["runs"].items() if r["arm"] in arms}
    return m


FOREST = "effects_forest.png"
"""The lead figure's file name (it is shown first, not among the other figures)."""


def _rows(comparison: Comparison, window: str, basis: str, outcome: str, arms: list[str]) -> list[list[str]]:
    out = []
    for r in block(comparison, window, basis, outcome, arms).iter_rows(named=True):
        versus = r["compare_to"]
        out.append([r["arm"], str(r["n"]), fmt(r["mean"]), interval(r["ci_low"], r["ci_high"]),
                    versus or "—", fmt(r["diff"]) if versus else "",
                    interval(r["diff_low"], r["diff_high"]) if versus else "",
                    f"{r['diff_pct']:+.1%}" if r["diff_pct"] is not None else ""])
    return out


HEADER = ["arm", "seeds", "mean", f"{CONFIDENCE:.0%} CI", "compared with", "difference (paired)",
          f"{CONFIDENCE:.0%} CI of difference", "change"]


def _intro(comparison: Comparison) -> list[str]:
    m = comparison.manifest
    runs = len(m["runs"])
    return [f"Experiment file: `{m['experiment']['file']}` (sha256 `{m['experiment']['sha256'][:16]}…`)",
            f"{runs - len(comparison.missing)} of {runs} runs done; {m['settings']['seeds']} seeds per arm, "
            f"{comparison.days} days, common random numbers (seed k is the same in every arm).",
            f"Windows ({comparison.window_source}): {', '.join(w.label for w in comparison.windows)}.",
            f"Each outcome is averaged over the window's days per run; means over seeds with {CONFIDENCE:.0%} "
            "Student-t intervals; differences are paired by seed."]


def _bases(comparison: Comparison) -> list[str]:
    """What each basis means, with the panel's start day and outcomes."""
    out = [f"**Cross-section** (tables headed by the window): {BASIS_LABELS['daily']}.",
           f"**Whole months** (headed '…, whole months'): {BASIS_LABELS['monthly']}; shown for the distribution "
           "measures, whose daily values follow a monthly cycle."]
    if comparison.panel_start is not None:
        names = "; ".join(f"{k}: {v}" for k, v in PANEL_OUTCOMES.items())
        out.append(f"**Stable panel** (headed 'panel: …'): {BASIS_LABELS['panel']}. The policy start is day "
                   f"{comparison.panel_start} (the first day any arm differs from the others: the earliest dated override, or 0). A worker's monthly "
                   f"income is her net gig earnings in each complete month after the start (0 when she did not "
                   f"take part) plus her income from outside the platforms. Outcomes: {names}.")
    else:
        out.append(f"**Stable panel**: {comparison.panel_note}.")
    return out


def _details(comparison: Comparison, arms: list[str]) -> list[tuple[str, str, list[list[str]]]]:
    """(section heading, outcome, table rows) of every detailed table."""
    out = []
    for window, basis, heading in sections(comparison):
        for outcome in outcomes_of(comparison, window, basis):
            rows = _rows(comparison, window, basis, outcome, arms)
            if rows:
                out.append((heading, outcome, rows))
    return out


def markdown(comparison: Comparison, arms: list[str], figures: list[tuple[str, str, bytes]]) -> str:
    m = comparison.manifest
    lines = [f"# {comparison.name}", "", m["experiment"].get("description") or "", ""]
    lines += [f"## The answer ({comparison.windows[0].label})", ""]
    lines += [f"![{caption}](figures/{name})" for name, caption, _ in figures if name == FOREST] + [""]
    lines += [f"- {t}" for t in findings.sentences(comparison)] + [""]
    lines += ["## How it was measured", ""] + [f"- {t}" for t in _intro(comparison) + _bases(comparison)] + [""]
    lines += ["## Arms", ""]
    lines += [f"- **{a}**: {m['arms'][a]['description']}" for a in arms] + [""]
    if comparison.missing:
        lines += [f"> {len(comparison.missing)} run(s) not done are left out: {', '.join(comparison.missing[:10])}", ""]
    lines += ["## Details", ""]
    current = None
    for heading, outcome, rows in _details(comparison, arms):
        if heading != current:
            lines += [f"### {heading}", ""]
            current = heading
        lines += [f"#### {outcome}", "", "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
        lines += ["| " + " | ".join(r) + " |" for r in rows] + [""]
    if comparison.sensitivity is not None and not comparison.sensitivity.is_empty():
        lines += ["## Sensitivity", "", f"Sweep: {comparison.sweep['method']} over "
                  f"{', '.join(comparison.sweep['parameters'])} ({len(comparison.sweep['points'])} points).", "",
                  "| window | outcome | parameter | index | value | ± conf |", "|---|---|---|---|---|---|"]
        for r in comparison.sensitivity.iter_rows(named=True):
            lines.append(f"| {r['window']} | {r['outcome']} | {r['parameter']} | {r['index']} | {fmt(r['value'])} "
                         f"| {fmt(r['conf'])} |")
        lines.append("")
    lines += ["## Figures", ""]
    for name, caption, _ in figures:
        if name != FOREST:
            lines += [f"![{caption}](figures/{name})", ""]
    return "\n".join(lines)


CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .6em}
th{background:#f3f3f3}td:not(:first-child){text-align:right}img{max-width:100%}figure{margin:1em 0}
figcaption{color:#555;font-size:.9em}.answer{background:#f5f8fb;border-left:4px solid #1f3b57;padding:.2em 1em}"""


def _table_html(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _inline(text: str) -> str:
    """Escaped text with Markdown **bold** and `code` turned into HTML."""
    import re

    out = html.escape(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"`(.+?)`", r"<code>\1</code>", out)


def _figure_html(caption: str, png: bytes) -> str:
    data = base64.b64encode(png).decode()
    e = html.escape
    return (f"<figure><img alt='{e(caption)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{e(caption)}</figcaption></figure>")


def html_page(comparison: Comparison, arms: list[str], figures: list[tuple[str, str, bytes]]) -> str:
    m = comparison.manifest
    e = html.escape
    parts = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{e(comparison.name)}</title>"
             f"<style>{CSS}</style></head><body><h1>{e(comparison.name)}</h1>",
             f"<p>{e(m['experiment'].get('description') or '')}</p>",
             f"<section class='answer'><h2>The answer ({e(comparison.windows[0].label)})</h2>"]
    parts += [_figure_html(caption, png) for name, caption, png in figures if name == FOREST]
    parts.append("<ul>" + "".join(f"<li>{_inline(t)}</li>" for t in findings.sentences(comparison)) + "</ul></section>")
    parts.append("<h2>How it was measured</h2><ul>")
    parts += [f"<li>{_inline(t)}</li>" for t in _intro(comparison) + _bases(comparison)]
    parts.append("</ul><h2>Arms</h2><ul>")
    parts += [f"<li><b>{e(a)}</b>: {e(m['arms'][a]['description'])}</li>" for a in arms]
    parts.append("</ul>")
    if comparison.missing:
        parts.append(f"<p><b>{len(comparison.missing)} run(s) not done are left out.</b></p>")
    parts.append("<h2>Details</h2>")
    current = None
    for heading, outcome, rows in _details(comparison, arms):
        if heading != current:
            parts.append(f"<h3>{e(heading)}</h3>")
            current = heading
        parts.append(f"<h4>{e(outcome)}</h4>" + _table_html(HEADER, rows))
    if comparison.sensitivity is not None and not comparison.sensitivity.is_empty():
        rows = [[r["window"], r["outcome"], r["parameter"], r["index"], fmt(r["value"]), fmt(r["conf"])]
                for r in comparison.sensitivity.iter_rows(named=True)]
        parts.append("<h2>Sensitivity</h2>" + _table_html(["window", "outcome", "parameter", "index", "value",
                                                             "± conf"], rows))
    parts.append("<h2>Figures</h2>")
    parts += [_figure_html(caption, png) for name, caption, png in figures if name != FOREST]
    parts.append("</body></html>\n")
    return "".join(parts)


__all__ = ["write_report", "markdown", "html_page", "timeseries_figure", "earnings_figure", "sensitivity_figure",
           "figure_png", "pyplot"]
