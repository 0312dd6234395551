"""AI that responds (issue 14 item 6): take-up against AI's cost and quality, the exposure ceiling, asks under AI.

The rule (docs/model.md 7.3, gigsim/model/automation.py): an exposed task whose client considers AI goes to
AI when AI's cost + budget × (q_h − q_AI) / q_h < the human price; at most floor(exposure × posted) per category.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigsim.cli import app
from gigsim.model import automation
from tests.helpers import BASELINE, baseline, run

DAYS = 40


def ai_world(cost: float, quality: float | None = None, exposure: float = 0.8, category: str = "writing",
             workers: int = 1000, **extra):
    """The baseline, small and without burn-in, AI exposed in one category and clients all ready to consider it."""
    auto = {"level": {"level": exposure}, "ai_cost_per_task": {"level": cost}}
    if quality is not None:
        auto["quality"] = {"level": quality}
    return baseline(workers, burn_in_days=0, population={"ai_adoption": 0.999},
                    automation={category: auto, **extra.pop("automation", {})}, **extra)


def taken(model, category: str) -> tuple[float, float]:
    """(tasks AI took, tasks posted) in a category over the run."""
    f = model.market_metrics.filter(model.market_metrics["category"] == category)
    return float(f["tasks_automated"].sum()), float(f["tasks_posted"].sum())


def share(sc, category: str = "writing", seed: int = 1) -> float:
    done, posted = taken(run(sc, DAYS, seed), category)
    return done / posted


def test_take_up_falls_as_ai_cost_rises_and_is_nil_above_the_human_price():
    # AI as good as the average writer (quality unset): cost alone decides. Writing's human price is 60 ×
    # the mean ask, and asks stay within 0.4..3, so AI at 200 costs more than any human writer.
    cheap, dear, above = share(ai_world(5.0)), share(ai_world(55.0)), share(ai_world(200.0))
    assert cheap > dear > above
    assert above == 0.0


def test_take_up_rises_with_ai_quality():
    """Below the writers' mean skill (~0.7) the quality gap binds for some budgets; take-up rises as it narrows."""
    low, mid, high = (share(ai_world(20.0, q)) for q in (0.3, 0.4, 0.5))
    assert low < mid < high


def test_cheap_tasks_stay_human_when_ai_costs_more_than_they_do():
    """AI at 100 a task: more than any writing price (60 × an ask that cannot pass 1.34 in 40 days), less than
    any programming price (160 × an ask that cannot fall below 0.73)."""
    sc = ai_world(100.0, automation={"programming": {"level": {"level": 0.8},
                                                     "ai_cost_per_task": {"level": 100.0}}})
    model = run(sc, DAYS)
    assert taken(model, "writing")[0] == 0
    done, posted = taken(model, "programming")
    assert done > 0.3 * posted


def test_automated_share_never_exceeds_the_exposure():
    model = run(ai_world(1.0, 0.9, exposure=0.35), DAYS)
    f = model.market_metrics.group_by(["day", "category"]).agg(automated=pl.col("tasks_automated").sum(),
                                                                posted=pl.col("tasks_posted").sum())
    assert (f["automated"] <= np.floor(0.35 * f["posted"] + 1e-9)).all()
    writing = f.filter(f["category"] == "writing")
    assert writing["automated"].sum() > 0.25 * writing["posted"].sum()  # the cap is reached, not avoided


def test_freelancers_asks_fall_when_ai_takes_their_work():
    """Asks follow each freelancer's own utilisation (docs/model.md 7.10): AI taking writing lowers writers' asks."""
    def mean_writer_ask(sc) -> float:
        model = run(sc, 60, debug=False)
        w, c = model.workers, model.category_names.index("writing")
        on = (w.status == 1) & (w.category == c)
        return float(w.ask[on].mean())
    with_ai = mean_writer_ask(ai_world(5.0, 0.9, exposure=0.7, workers=1500))
    without = mean_writer_ask(ai_world(5.0, 0.9, exposure=0.0, workers=1500))
    assert with_ai < without - 0.02


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_cap_keeps_each_category_within_its_exposure(seed):
    rng = np.random.default_rng(seed)
    n, n_cat = 200, 3
    category = rng.integers(0, n_cat, n)
    exposure = rng.random(n_cat)
    u = rng.random(n)
    to_ai = rng.random(n) < 0.9
    kept = automation.cap_at_exposure(to_ai, category, u, exposure, n_cat)
    posted = np.bincount(category, minlength=n_cat)
    assert (np.bincount(category[kept], minlength=n_cat) <= np.floor(exposure * posted + 1e-9)).all()
    assert not (kept & ~to_ai).any()


def test_a_better_cheaper_ai_wins_and_a_worse_one_loses_to_a_client_who_values_quality():
    price = np.array([60.0, 60.0, 60.0])
    budget = np.array([80.0, 80.0, 200.0])
    human_q = np.array([0.7, 0.7, 0.7])
    ai_q = np.array([0.8, 0.5, 0.5])
    cost = np.array([70.0, 10.0, 10.0])
    # better AI dearer than the human still wins (gap −11.4); worse AI: 10 + 22.9 < 60 wins, 10 + 57.1 ≥ 60 loses
    assert automation.prefers_ai(cost, ai_q, price, human_q, budget).tolist() == [True, True, False]


def test_an_ai_quality_above_one_is_bad_input_naming_the_file_and_field(tmp_path):
    """A quality is a share of the skill scale: a path reaching 1.5 exits 2, names the file and the field, writes nothing."""
    path = tmp_path / "bad_quality.toml"
    path.write_text(f'extends = "{BASELINE}"\n[automation.writing.quality]\nshape = "linear"\nstart_level = 0.5\n'
                    'end_level = 1.5\n', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["run", str(path), "--out", str(out), "--days", "5", "--workers", "200"])
    assert result.exit_code == 2, result.output
    text = " ".join(result.stderr.split())
    assert "bad_quality.toml" in text and "automation.writing.quality" in text, text
    assert not out.exists()
