"""The model: the world's state and the rules that move it one day at a time.

`model.py` (GigEconomyModel and its daily phases), `terms.py` (platforms' terms, levers, `market_params`),
`views.py` (the Mesa agent views and networkx graphs), `state.py` (the arrays every rule reads and writes),
`vocabulary.py` (statuses, task fates, flows, matching and pricing rules: the codes, defined once),
`ledgers.py` (the day's and the month's counters and flows), `columns.py` (the metrics columns),
`agents.py` (Mesa agents as views onto rows), `population.py` and `networks.py` (drawing the world),
`drivers.py` (demand, shocks, automation paths), `automation.py` (AI take-up), `kernels/` (the numba kernels of the daily phases:
posting, hires, matching, settlement, the workday; their structured arguments in `kernels/structs.py`),
`decisions.py` (workers', clients' and platforms' periodic choices), `metrics.py` (what is recorded), `panels.py` (the weekly and monthly worker panels),
`labour_supply.py`, `household.py`, `competition.py`, `upskilling.py` (the economic core), `policies/` (policies as
enacted),
`invariants.py` (what must hold every day), `reference/` (the per-agent reference implementation). docs/model.md describes every rule.

`GigEconomyModel` is imported on first use, so that the scenario schema can import the vocabulary
without importing the model (which imports the schema).
"""

__all__ = ["GigEconomyModel"]


def __getattr__(name: str):
    if name == "GigEconomyModel":
        from gigsim.model.model import GigEconomyModel

        return GigEconomyModel
    raise AttributeError(f"module 'gigsim.model' has no attribute {name!r}")
