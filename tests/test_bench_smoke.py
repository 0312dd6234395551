"""A smoke run of the benchmark harness (benchmarks/run.py --smoke) so that it cannot rot.

It checks that every figure is measured and reported with its target, and that the results
files describe the machine; it asserts nothing about how fast anything is.
"""

from __future__ import annotations

import json
import math

import pytest

from benchmarks import run as bench

TARGET_OF = {
    "throughput": ">= 5 M wd/s", "vs_mesa": ">= 50x", "vs_mesa_examples": ">= 1x (CPU time)", "scale": "< 120 s", "setup": "< 20 s",
    "linearity": "<= 1 (linear)", "ui_day": "< 50 ms", "batch": ">= 1.8x",
}


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "results"
    assert bench.main(["--smoke", "--out", str(out)]) == 0
    return json.loads(out.with_suffix(".json").read_text()), out.with_suffix(".md").read_text()


@pytest.mark.slow
def test_smoke_reports_every_figure_with_its_target(smoke):
    report, markdown = smoke
    targets = [row["target"] for row in report["table"]]
    for figure, target in TARGET_OF.items():
        assert target in targets, f"{figure} missing from the table"
        assert target in markdown
    assert "< 3 GB" in targets  # scale also reports its peak memory
    assert all(row["measured"] and row["met"] in (True, False) for row in report["table"])
    assert set(report["results"]) == {"throughput", "vs_mesa", "vs_mesa_examples", "scale", "linearity", "ui_day", "batch"}


@pytest.mark.slow
def test_smoke_figures_are_measured(smoke):
    report, _ = smoke
    res = report["results"]
    assert res["throughput"]["worker_days_per_s"] > 0 and res["throughput"]["setup_s"] >= 0
    assert [r["workers"] for r in res["vs_mesa"]] == bench.SMOKE["mesa_sizes"]
    assert all(r["ratio"] > 0 and r["per_agent"]["days"] > 0 for r in res["vs_mesa"])
    assert res["scale"]["peak_rss_bytes"] > 0 and res["scale"]["days"] == bench.SMOKE["scale_days"]
    points = res["linearity"]["points"]
    assert [p["workers"] for p in points] == [*bench.SMOKE["linear_sizes"], bench.SMOKE["scale_workers"]]
    assert math.isfinite(res["linearity"]["exponent"])
    assert res["ui_day"]["mean_ms"] > 0 and res["ui_day"]["days"] == bench.SMOKE["ui_days"]
    batch = res["batch"]
    assert batch["runs"] == bench.SMOKE["batch_runs"] and not batch["failed"] and batch["speedup"] > 0


@pytest.mark.slow
def test_results_describe_the_machine(smoke):
    report, markdown = smoke
    machine = report["machine"]
    assert machine["cores"] >= 1 and machine["ram_gb"] > 0 and machine["cpu"]
    assert machine["versions"]["numba"] and machine["versions"]["mesa"]
    assert report["smoke"] is True and "smoke sizes" in markdown


def test_loglog_exponent_recovers_the_power():
    sizes = [1e4, 1e5, 1e6]
    assert bench.loglog_exponent(sizes, [2e-9 * s for s in sizes]) == pytest.approx(1.0)
    assert bench.loglog_exponent(sizes, [3e-12 * s**1.5 for s in sizes]) == pytest.approx(1.5)


def test_exponent_interval_covers_the_slope_and_widens_with_noise():
    sizes = [1e4, 3e4, 1e5, 3e5, 1e6]
    exact = bench.loglog_exponent_interval(sizes, [2e-9 * s for s in sizes])
    assert exact == pytest.approx((1.0, 1.0), abs=1e-9)
    noisy_times = [2e-9 * s * f for s, f in zip(sizes, [1.1, 0.9, 1.05, 0.95, 1.1], strict=True)]
    low, high = bench.loglog_exponent_interval(sizes, noisy_times)
    assert low < bench.loglog_exponent(sizes, noisy_times) < high and high - low > 0.01


def test_unknown_figure_is_refused(capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--smoke", "--only", "warp_speed"])
    assert exc.value.code == 2
    assert "warp_speed" in capsys.readouterr().err
