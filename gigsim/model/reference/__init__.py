"""The per-agent reference implementation of gigsim's daily rules: the oracle, the yardstick, and where a rule starts.

Every worker and client is a Mesa agent holding its own state as Python attributes;
each phase of a day is a method called on every agent through `AgentSet.shuffle_do`
(the worker's end-of-day `step` included), and tasks are Python objects. Aggregates that every agent of a phase reads (the
category means of hearsay and of hosts' hours) are read once per phase, as the fast path reads them. It applies
the same rules as the array-based fast path (gigsim.model.model / gigsim.model.kernels), written
the obvious way, so that

- `benchmarks/run.py` can time it side by side with the fast path (worker-days per second), and
- `tests/test_oracle_*.py` can check that both give the same distributions of outcomes.

Rules covered (see gigsim/model/kernels/ and gigsim/model/decisions.py for the fast path):
- posting: each demand stream posts Poisson(rate × seasonality × shocks) tasks on the client's
  platform at base price × platform multiplier × surge (no surge on bids platforms); a task is posted if
  that price is within the client's budget (base × wtp × budget_median × exp(budget_dispersion × z)),
  else the client takes its outside option; on bids platforms every task is posted and the budget acts at
  screening (gigsim.model.reference.freelance);
- a worker's hours over a task depend on her skill (the category's `productivity_ratio`); on bids platforms
  her bid is her hourly ask × her hours (gigsim.model.reference.freelance);
- direct re-hires of a favourite worker (categories with `direct_rehire`), in random order (on bids platforms only
  if her bid is within the client's budget);
- matching rounds: every worker with spare hours sends up to `applications_per_round`
  applications, each to an open task chosen uniformly among the open tasks of her market
  (category, and region for local work) on all her platforms; each task takes its best
  applicant by the platform's rule (random, nearest, reputation with newcomer boost,
  cheapest; on bids platforms ranking by reputation, the largest client surplus budget × rating / prior mean −
  ask price); bids above the budget or worth less to the client than their price are refused; a worker who wins several tasks in
  a round takes the first and the others stay open; tasks expire after their platform's
  `matching_rounds`; rounds stop when nothing is filled;
- referrals of unmet work over the favourite's network to an active neighbour skilled in the category
  (up to 20 neighbours from a random start);
- settlement: price (or the worker's bid), commission, pay-floor top-up, benefit contribution,
  levy, running costs, ratings (skill + noise), favourite ties;
- hours left each day: (1 + the category's queue_days) × hours offered − backlog;
- the day's work: backlog, 30-day averages of net earnings and logged hours, savings;
- surge for tomorrow is ((n − z√n) / capacity) ** sensitivity within [1, cap] per market: n counts the tasks
  offered to people plus those the surge priced out (budget covers the list price, not the surged one), z√n is the
  part Poisson noise explains, capacity is filled + idle workers' tasks left (hours left / hours per task); no
  memory of earlier surges;
- weekly: this week's available hours (the month's × a weekly shock) and the share of them offered, which follows
  what a gig hour is worth against the outside option (Frisch elasticity below it, all hours when in debt)
  (gigsim.model.reference.supply), asking prices on bids platforms follow the worker's own utilisation;
- monthly: the books (other income − living costs, plus full-timers' outside-job pay while out; people in the pool
  only), availability shocks to hours, the renewal of the pool of potential workers
  (gigsim.model.reference.supply), entry and exit (people in the pool only; expected hourly earnings, own or
  neighbours' and the category's, plus autonomy value vs the reservation wage; savings below the credit limit; no platform to work on; entry only with savings for the
  cheapest onboarding fee), multi-homing, joining a platform after entry;
- daily health events (Bernoulli per active worker; insurance pays, else savings);
- AI take-up (gigsim.model.reference.automation): an exposed task whose client considers AI goes to AI when AI's
  cost plus its quality gap is below the human price, at most floor(exposure × posted) per category;
- the policies as enacted (gigsim.model.reference.policies): the NYC and Seattle pay standards with the platforms'
  log-in caps, prices and onboarding pause (`accepting` gates entry, joining and multi-homing), employment, the
  minimum on asks, retirement accounts and portable ratings.

Not covered (keep them off in oracle comparisons): new tasks created by automation, upskilling, clients' monthly
platform choice, the earlier stylised `employee_classification`, cash transfers, the `min_pay` platform response, distressed
workers' category switch, platforms' competition on commissions, exit reasons and the weekly hours history
(recorded, not decided, in the fast path).

How to add or change a rule (the documented workflow):
1. Write it in docs/model.md (the rule, its reason and its source; constants as scenario fields).
2. Write it here first, per agent, the obvious way: a method of `PAWorker` / `PAClient` or a phase
   of `PerAgentModel.step`, reading the same scenario fields. This is the version to check by eye.
3. Vectorise it in the fast path: an array operation in gigsim/model/decisions.py or a numba kernel in
   gigsim/model/kernels/ (structured arguments from gigsim/model/kernels/structs.py), with the codes
   of gigsim/model/vocabulary.py, writing any counters into `model.ledger.day`.
4. Let tests/test_oracle_*.py compare the two: same world, same scenario, distributions of the
   outcomes over seeds must agree. Add the rule's outcome to the compared columns if it is new.
"""

from gigsim.model.reference.model import PerAgentModel

__all__ = ["PerAgentModel"]
