"""docs/model.md's table of the values baseline.toml sets against the schema defaults agrees with the files.

The table is written by hand; a re-calibration that changes baseline.toml without the table would leave the ODD
describing another model. Every numeric cell is compared with the value the scenario (and the schema) really
hold, to the precision the cell is written in.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gigsim import load_scenario
from gigsim.scenario.schema import Scenario
from tests.helpers import BASELINE

MODEL_MD = Path(__file__).resolve().parents[1] / "docs" / "model.md"
HEADER = "from the schema defaults:"
NUMBER = re.compile(r"^-?\d+(\.\d+)?")


def _rows() -> list[tuple[str, str, str]]:
    """(field, schema default cell, baseline cell) of the table that follows HEADER."""
    lines = MODEL_MD.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.rstrip().endswith(HEADER))
    rows = []
    for line in lines[start + 1:]:
        if rows and not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows.append((cells[0].strip("`"), cells[1], cells[2]))
    return rows


def _value(obj, dotted: str):
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _agrees(cell: str, value) -> bool:
    match = NUMBER.match(cell)
    if match is None:
        return True  # lists and words are not compared
    decimals = len(match.group(1) or ".")-1
    return abs(float(match.group(0)) - float(value)) <= 0.5 * 10.0 ** -decimals + 1e-12


def test_the_table_exists_and_names_the_calibrated_fields():
    fields = {f for f, _, _ in _rows()}
    assert {"behaviour.entry_rate", "behaviour.exit_rate", "population.reservation_wage", "demand.level"} <= fields


@pytest.mark.parametrize("field,default,shipped", _rows())
def test_each_row_holds_the_schema_default_and_the_baseline_value(field, default, shipped):
    baseline = load_scenario(BASELINE)
    assert _agrees(shipped, _value(baseline, field)), f"docs/model.md says {field} = {shipped}; baseline.toml has {_value(baseline, field)}"
    assert _agrees(default, _value(Scenario(), field)), f"docs/model.md says {field}'s default is {default}"
