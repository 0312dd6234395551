"""The numba kernels of the daily phases, one module per phase of docs/model.md §3.

- `structs.py`: the structured arguments (NamedTuples of arrays: `Tasks`, `MarketParams`, `Capacity`,
  `Ties`, `SettlementRows`, `DayStartRows`, `WorkRows`) and `rows_of`, which takes them from the state;
- `workday.py`: hours left at the start of the day (step 2), the work done at its end (step 7);
- `posting.py`: demand becomes posted tasks (step 3, §7.2);
- `hires.py`: direct re-hires (§7.4) and referrals (§7.6);
- `matching.py`: the matching rounds (§7.5) on a compact `CandidatePool`;
- `settlement.py`: payments, costs, ratings and ties (§7.7, §7.8);
- `memory.py`: the prefetch hint the kernels visiting rows out of order use.

Kernels are plain loops under numba; every random number they use is drawn from the model's
`rng` by the caller and passed in (or, in `match_round`, drawn from that Generator itself).
The codes they compare against are the IntEnums of gigsim.model.vocabulary.
"""
