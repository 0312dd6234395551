"""The model: the world's state and the rules that move it one day at a time.

`model.py` (GigEconomyModel and its daily phases), `state.py` (the arrays every rule reads and writes),
`agents.py` (Mesa agents as views onto rows), `population.py` and `networks.py` (drawing the world),
`drivers.py` (demand, shocks, automation paths), `market.py` (matching, pricing, settlement kernels),
`decisions.py` (workers', clients' and platforms' periodic choices), `metrics.py` (what is recorded),
`invariants.py` (what must hold every day). docs/model.md describes every rule.
"""

from gigsim.model.model import GigEconomyModel

__all__ = ["GigEconomyModel"]
