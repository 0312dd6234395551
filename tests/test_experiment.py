"""Experiment files: validation with clear errors, sweeps, and running batches (failures, changed files)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from gigsim.cli import app
from gigsim.errors import ScenarioError
from gigsim.experiments.executors import FAIL_RUNS_ENV
from gigsim.experiments.plan import load_experiment
from gigsim.experiments.windows import parse_window
from tests.test_experiment_support import SMALL, manifest, result_bytes, write_experiment

runner = CliRunner()


# --------------------------------------------------------------------------- validation

BAD_FILES = [
    # (change to the small experiment, field named, words in the message)
    (lambda t: t.replace("seeds = 2", "seedz = 2"), "seedz", "did you mean 'seeds'"),
    (lambda t: t.replace("seeds = 2", "seeds = 0"), "seeds", "between 1 and 10000"),
    (lambda t: t.replace('control = "control"\n', ""), "control", "required"),
    (lambda t: t.replace('control = "control"', 'control = "contrl"'), "control", "did you mean 'control'"),
    (lambda t: t.split("[arms.control]")[0], "arms", "at least one"),
    (lambda t: t.replace("hourly = 20.0", "hourlyy = 20.0"), "arms.floor.overrides.policy.min_pay.hourlyy",
     "did you mean 'hourly'"),
    (lambda t: t.replace("hourly = 20.0", "hourly = -3.0"), "arms.floor.overrides.policy.min_pay.hourly",
     "at least 0"),
    (lambda t: t.replace("size = 0.7", "size = 70"), "arms.recession.overrides.shocks[0].size", "between 0 and 20"),
    (lambda t: t.replace('"fill_rate"]', '"fill_rat"]'), "outcomes[2]", "did you mean 'fill_rate'"),
    (lambda t: t.replace('"last 30 days"', '"lately"'), "windows[1]", "is not a window"),
    (lambda t: t + '\n[arms.bad]\ncompare_to = "nobody"\n', "arms.bad.compare_to", "not an arm"),
    (lambda t: t + '\n[arms."bad/name"]\n', "arms.bad/name", "folder names"),
    (lambda t: t.replace('scenario = "', 'scenario = "/nonexistent'), "scenario", "not found"),
    (lambda t: t + '\n[sweep]\nmethod = "lhs"\n[sweep.parameters]\n"platforms.rideco.comission" = { range = [0.1, 0.3] }\n',
     "sweep.parameters.platforms.rideco.comission", "did you mean 'commission'"),
    (lambda t: t + '\n[sweep]\nmethod = "lhs"\n[sweep.parameters]\n"platforms.rideco.commission" = { values = [0.1] }\n',
     "sweep", "needs a range"),
    (lambda t: t + '\n[sweep]\nmethod = "lhs"\n[sweep.parameters]\n"platforms.rideco.commission" = { range = [0.1, 3.0] }\n',
     "sweep.parameters.platforms.rideco.commission", "between 0 and 1"),
    (lambda t: t.replace("workers = 1000", "workers = 'many'"), "workers", "whole number"),
]


@pytest.mark.parametrize(("change", "field", "words"), BAD_FILES)
def test_bad_experiment_file_is_refused_naming_file_and_field(tmp_path, change, field, words):
    path = write_experiment(tmp_path, change(SMALL))
    with pytest.raises(ScenarioError) as info:
        load_experiment(path)
    assert info.value.source == str(path)
    assert info.value.field.startswith(field), info.value
    assert words in info.value.message, info.value
    out = tmp_path / "out"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out)])
    assert result.exit_code == 2
    assert str(path) in result.stderr and "Traceback" not in result.stderr
    assert not out.exists(), "nothing may be written for a bad file"


def test_non_toml_and_missing_files_are_clear(tmp_path):
    bad = write_experiment(tmp_path, "name = [unclosed")
    result = runner.invoke(app, ["experiment", str(bad)])
    assert result.exit_code == 2 and "is not valid TOML" in result.stderr
    result = runner.invoke(app, ["experiment", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2 and "file not found" in result.stderr


def test_arms_get_their_overrides_and_common_seeds(tmp_path):
    exp = load_experiment(write_experiment(tmp_path))
    assert exp.arms["floor"].scenario.policy.min_pay.enabled
    assert exp.arms["floor"].scenario.policy.min_pay.hourly == 20.0
    assert not exp.arms["control"].scenario.policy.min_pay.enabled
    assert exp.arms["recession"].scenario.shocks[0].size == 0.7
    assert exp.arms["control"].scenario.population.workers == 1000
    assert exp.arms["floor"].compare_to == "control" and exp.arms["control"].compare_to is None
    tasks = [exp.task(a, 1) for a in exp.arms]
    assert len({t["seed"] for t in tasks}) == 1, "seed k is the same in every arm"
    assert exp.seed(0) != exp.seed(1)
    quick = load_experiment(write_experiment(tmp_path), seeds=3, days=10, workers=500)
    assert (quick.seeds, quick.days, quick.arms["floor"].scenario.population.workers) == (3, 10, 500)


def test_top_level_overrides_apply_to_every_arm(tmp_path):
    text = SMALL.replace("[arms.control]", "[overrides.platforms.rideco]\ncommission = 0.1\n\n[arms.control]")
    exp = load_experiment(write_experiment(tmp_path, text))
    assert {a.scenario.platforms["rideco"].commission for a in exp.arms.values()} == {0.1}


@pytest.mark.parametrize(("method", "points"), [("grid", 3 * 2), ("lhs", 5), ("sobol", 8 * (2 + 2))])
def test_sweep_points_become_arms_within_their_ranges(tmp_path, method, points):
    text = SMALL.split("[arms.control]")[0].replace('control = "control"\n', "") + f"""
[sweep]
method = "{method}"
samples = {8 if method == "sobol" else 5}
[sweep.parameters]
"platforms.rideco.commission" = {{ range = [0.1, 0.3], levels = 3 }}
"network.mean_degree" = {{ range = [4, 12], levels = 2 }}
"""
    exp = load_experiment(write_experiment(tmp_path, text))
    assert len(exp.arms) == points == len(exp.sweep["points"])
    commissions = [a.scenario.platforms["rideco"].commission for a in exp.arms.values()]
    degrees = [a.scenario.network.mean_degree for a in exp.arms.values()]
    assert all(0.1 <= c <= 0.3 for c in commissions) and len(set(commissions)) > 1
    assert all(isinstance(d, int) and 4 <= d <= 12 for d in degrees), "integer fields stay whole numbers"
    again = load_experiment(write_experiment(tmp_path, text))
    assert [a.point for a in again.arms.values()] == [a.point for a in exp.arms.values()], "sampling is seeded"


def test_windows_parse():
    assert parse_window("last 30 days").bounds(60) == (30, 60)
    assert parse_window("10:20").bounds(60) == (10, 20)
    assert parse_window("all").bounds(60) == (0, 60)
    with pytest.raises(ValueError):
        parse_window("20:10")


def test_shipped_experiments_are_valid():
    from pathlib import Path

    files = sorted((Path(__file__).resolve().parents[1] / "experiments").glob("*.toml"))
    names = {f.stem for f in files}
    assert {"min_pay_standard", "genai_safety_net", "platform_regulation", "reputation_design"} <= names
    for f in files:
        exp = load_experiment(f)
        assert f.read_text().lstrip().startswith("#"), f"{f.name} needs a comment block saying its question"
        assert exp.arms and len(exp.runs()) == len(exp.arms) * exp.seeds
    assert any(load_experiment(f).sweep for f in files), "one shipped experiment is a sensitivity sweep"


# --------------------------------------------------------------------------- running


def test_jobs_zero_and_unreachable_cluster_are_clear(tmp_path):
    path = write_experiment(tmp_path)
    result = runner.invoke(app, ["experiment", str(path), "--out", str(tmp_path / "o"), "--jobs", "0"])
    assert result.exit_code == 2 and "--jobs must be at least 1" in result.stderr
    result = runner.invoke(app, ["experiment", str(path), "--out", str(tmp_path / "o2"),
                                 "--cluster", "tcp://127.0.0.1:9"])
    assert result.exit_code == 2, result.output
    assert "no Dask scheduler answered" in result.stderr and "Traceback" not in result.stderr
    result = runner.invoke(app, ["experiment", str(path), "--out", str(tmp_path / "o3"), "--cluster", "foo"])
    assert result.exit_code == 2 and "not a scheduler address" in result.stderr
    assert not any((tmp_path / o).exists() for o in ("o", "o2", "o3")), "nothing is written"


@pytest.mark.slow
def test_failed_run_is_recorded_batch_goes_on_and_retry_reruns_only_it(tmp_path, monkeypatch):
    path = write_experiment(tmp_path)
    out = tmp_path / "out"
    monkeypatch.setenv(FAIL_RUNS_ENV, "floor:1")
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    assert "--retry-failed" in result.stderr
    runs = manifest(out)["runs"]
    assert runs["arm=floor/seed=1"]["status"] == "failed"
    assert "injected failure" in runs["arm=floor/seed=1"]["error"]
    assert sum(r["status"] == "done" for r in runs.values()) == len(runs) - 1, "the other runs went on"
    assert not (out / "arm=floor/seed=1").exists()
    before = {p: p.stat().st_mtime_ns for p in out.glob("arm=*/seed=*/*.parquet")}

    monkeypatch.delenv(FAIL_RUNS_ENV)
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1", "--retry-failed"])
    assert result.exit_code == 0, result.output
    assert "(1 run now)" in result.stdout
    assert all(r["status"] == "done" for r in manifest(out)["runs"].values())
    assert {p: p.stat().st_mtime_ns for p in before} == before, "done runs were not rerun"
    assert (out / "arm=floor/seed=1/metrics.parquet").is_file()

    again = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert again.exit_code == 0 and "(0 run now)" in again.stdout, "a finished batch has nothing left to run"


@pytest.mark.slow
def test_changed_experiment_file_is_refused_unless_fresh(tmp_path):
    path = write_experiment(tmp_path, SMALL.replace("seeds = 2", "seeds = 1"))
    out = tmp_path / "out"
    assert runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"]).exit_code == 0
    first = result_bytes(out)
    path.write_text(path.read_text().replace("hourly = 20.0", "hourly = 25.0"))
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 2
    assert "different version of the experiment file" in result.stderr and "--fresh" in result.stderr
    assert result_bytes(out) == first, "a refused rerun writes nothing"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1", "--days", "30"])
    assert result.exit_code == 2
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1", "--fresh"])
    assert result.exit_code == 0, result.output
    now = result_bytes(out)
    assert now["arm=control/seed=0/metrics.parquet"] == first["arm=control/seed=0/metrics.parquet"]
    assert now["arm=floor/seed=0/metrics.parquet"] != first["arm=floor/seed=0/metrics.parquet"]
    assert manifest(out)["experiment"]["text"] == path.read_text()


@pytest.mark.slow
def test_sweep_runs_and_compare_reports_its_sensitivity(tmp_path):
    text = SMALL.split("[arms.control]")[0].replace('control = "control"\n', "").replace("seeds = 2", "seeds = 1")
    text = text.replace("days = 60", "days = 30") + """
[sweep]
method = "lhs"
samples = 6
[sweep.parameters]
"platforms.rideco.commission" = { range = [0.05, 0.4] }
"platforms.freelancely.commission" = { range = [0.05, 0.4] }
"""
    path = write_experiment(tmp_path, text)
    out = tmp_path / "out"
    result = runner.invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert len(manifest(out)["sweep"]["points"]) == 6
    result = runner.invoke(app, ["compare", str(out)])
    assert result.exit_code == 0, result.output
    import polars as pl

    from gigsim.analysis.compare import compare_results
    sens = compare_results(out).sensitivity
    assert set(sens["index"]) == {"SRC"} and sens.height == 2 * 3 * 2  # parameters x outcomes x windows
    assert (out / "report/figures/sensitivity_all_days.png").is_file()
    assert "Sensitivity" in (out / "report/report.html").read_text()
    assert sens.filter(pl.col("outcome") == "participants")["value"].is_not_null().all()
