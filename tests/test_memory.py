"""The memory estimate that refuses worlds too large for the machine is accurate (issue 17: it was 2x the peak).

The peak resident memory of real runs is measured in a fresh subprocess (ru_maxrss) and compared with
`estimate_memory_bytes`: the total within 25%, and the growth per worker within 25% (robust to a machine
whose libraries take more or less memory than the one the base was measured on).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gigsim.model.population import estimate_memory_bytes
from gigsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
MEASURE = """
import json, resource, sys
from gigsim.experiments.run import run_scenario
from gigsim.scenario import load_scenario
sc = load_scenario(sys.argv[1]).rescaled(int(sys.argv[2]))
run_scenario(sc, seed=1, days=10)
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))
"""


def _peak(workers: int) -> int:
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT / "scenarios" / "baseline.toml"), str(workers)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_the_memory_estimate_is_within_25_percent_of_the_measured_peak():
    base = load_scenario(ROOT / "scenarios" / "baseline.toml")
    small, large = 20_000, 80_000
    peaks = {n: _peak(n) for n in (small, large)}
    estimates = {n: estimate_memory_bytes(base.rescaled(n)) for n in (small, large)}
    assert estimates[large] == pytest.approx(peaks[large], rel=0.25)
    growth, estimated_growth = peaks[large] - peaks[small], estimates[large] - estimates[small]
    assert estimated_growth == pytest.approx(growth, rel=0.25), "bytes per worker"


def test_a_world_that_fits_is_not_refused_and_one_that_does_not_is():
    from gigsim.errors import ScenarioError
    from gigsim.scenario import check_memory

    sc = load_scenario(ROOT / "scenarios" / "baseline.toml").rescaled(5_000_000)
    need = estimate_memory_bytes(sc)
    check_memory(sc, "x.toml", limit_bytes=int(need / 0.8) + 1)
    with pytest.raises(ScenarioError, match="population.workers"):
        check_memory(sc, "x.toml", limit_bytes=int(need / 0.8) - 1)
