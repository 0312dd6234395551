"""gigsim: an agent-based simulation of the gig-economy labour market on Mesa.

The Python API:

    from gigsim import load_scenario, GigEconomyModel
    scenario = load_scenario("scenarios/baseline.toml")
    model = GigEconomyModel(scenario, rng=42)
    for _ in range(90):
        model.step()
    model.metrics  # a polars DataFrame, one row per day
"""

from importlib.metadata import PackageNotFoundError, version

from gigsim.errors import GigsimError, InputError, ScenarioError
from gigsim.model.model import GigEconomyModel
from gigsim.scenario import Scenario, load_scenario

try:
    __version__ = version("gigsim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["GigEconomyModel", "Scenario", "load_scenario", "GigsimError", "InputError", "ScenarioError",
           "__version__"]
