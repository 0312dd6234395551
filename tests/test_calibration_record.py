"""The calibration's record and the scenario that carries it: `calibrate-apply` changes exactly the calibrated
values, keeps every other line, is repeatable, refuses bad input without writing; the shipped baseline's
calibrated values are the ones its record holds."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gigsim.analysis.calibration import FREE_PARAMETERS
from gigsim.analysis.calibration_record import BLOCK_START, MARK, apply_record, record_toml
from gigsim.cli import app
from gigsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.toml"
RECORD = ROOT / "scenarios" / "calibration" / "baseline.toml"
VALUES = {"behaviour": {"entry_rate": 0.21, "exit_rate": 0.33, "random_exit_rate": 0.05},
          "population": {"reservation_wage": 15.5}, "demand": {"level": 0.8}}


def _record(tmp_path: Path, values=VALUES) -> Path:
    path = tmp_path / "best.toml"
    path.write_text(record_toml(values, {"command": "gigsim calibrate x", "date": "2026-11-30", "loss": 0.25,
                                         "current_loss": 1.5, "inside": 7, "moments_total": 9},
                                {"entrant_share": 0.15, "retention_12m": None}, {"entrant_share": (0.12, 0.21)}))
    return path


def test_apply_changes_only_the_calibrated_values_and_is_repeatable(tmp_path):
    scenario = tmp_path / "baseline.toml"
    scenario.write_text(BASELINE.read_text())
    stored = apply_record(_record(tmp_path), scenario)
    assert stored == tmp_path / "calibration" / "baseline.toml"
    assert tomllib.loads(stored.read_text())["parameters"] == VALUES
    sc = load_scenario(scenario)
    for table, keys in VALUES.items():
        for key, value in keys.items():
            assert getattr(getattr(sc, table), key) == value
    before, after = load_scenario(BASELINE).model_dump(), sc.model_dump()
    changed = {(t, k) for t in after for k in (after[t] if isinstance(after[t], dict) else [None])
               if (after[t][k] if k else after[t]) != (before[t][k] if k else before[t])}
    assert changed == {(t, k) for t, keys in VALUES.items() for k in keys}
    text = scenario.read_text()
    mark = MARK.format(record="calibration/baseline.toml")
    assert text.count(BLOCK_START) == 1
    lines = text.splitlines()
    for keys in VALUES.values():          # each replaced value's line carries the mark instead of its old comment
        for key in keys:
            (line,) = [x for x in lines if x.startswith(f"{key} = ")]
            assert line.endswith(mark), line
    assert "loss 0.2500 (current values before: 1.5000); 7 of 9" in text
    # every line that is neither a calibrated value nor the block is kept, in order
    kept = [line for line in text.splitlines() if mark not in line and not line.startswith("# ")]
    original = [line for line in BASELINE.read_text().splitlines() if not line.startswith("# ")]
    assert all(line in original for line in kept)
    apply_record(_record(tmp_path), scenario)                     # applying again changes nothing
    assert scenario.read_text() == text


@pytest.mark.parametrize("bad", ["[calibration]\nloss = 1.0\n", "not toml [", "[calibration]\nx = 1\n"
                                 "[parameters.behaviour]\nentry_rate = \"high\"\n",
                                 "[calibration]\nx = 1\n[parameters.behaviour]\nentry_rate = 7.0\n"])
def test_a_bad_record_exits_2_and_writes_nothing(tmp_path, bad):
    scenario = tmp_path / "s.toml"
    scenario.write_text(BASELINE.read_text())
    record = tmp_path / "best.toml"
    record.write_text(bad)
    result = CliRunner().invoke(app, ["calibrate-apply", str(record), str(scenario)])
    assert result.exit_code == 2, result.output
    assert scenario.read_text() == BASELINE.read_text()
    assert not (tmp_path / "calibration").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.toml", "s.toml"]


def test_the_shipped_baseline_carries_its_recorded_calibration():
    """Every parameter the record holds has the record's value in scenarios/baseline.toml, the record holds every
    parameter `gigsim calibrate` varies, and every line marked calibrated is one of them."""
    record = tomllib.loads(RECORD.read_text())
    sc = load_scenario(BASELINE)
    recorded = {f"{t}.{k}": v for t, keys in record["parameters"].items() for k, v in keys.items()}
    assert set(recorded) == {p.path for p in FREE_PARAMETERS}
    for path, value in recorded.items():
        table, key = path.split(".")
        assert getattr(getattr(sc, table), key) == value, path
    marked = [line.split("=")[0].strip() for line in BASELINE.read_text().splitlines()
              if MARK.format(record="calibration/baseline.toml") in line]
    assert set(marked) <= {p.split(".")[1] for p in recorded}
