"""GigEconomyModel: the world, its daily phases, and where each rule lives.

One step is one day. The phases, in order:
1. clients post tasks (demand × seasonality × shocks), on the platform they use, at its price;
2. tasks AI takes over are removed (exposure × client adoption × AI cost + quality gap vs the human price);
3. clients with a favourite worker re-hire her directly; every platform clears its markets in rounds;
4. unmet work of clients with a favourite is referred over her network;
5. clients pay, platforms keep their commission, workers are paid (topped up under a pay floor), costs
   are charged, ratings and client–worker ties update; employees receive wages;
6. workers' periodic decisions (weekly: hours, prices; monthly: entry, exit, platforms, upskilling),
   clients' platform choice and platforms' policy responses (gigsim.model.decisions);
7. life events (health costs, paid by insurance, portable benefits or savings);
8. metrics are recorded (gigsim.model.metrics).

State lives in arrays (gigsim.model.state); the Mesa agents in `model.workers_set`,
`model.clients_set` and `model.platforms_set` are views onto their rows.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from mesa import Model

from gigsim.model import automation, decisions, drivers, metrics, policies
from gigsim.model.invariants import check_day, check_settlement
from gigsim.model.kernels import hires, matching, posting, settlement, workday
from gigsim.model.kernels.structs import (
    Capacity,
    DayStartRows,
    MarketParams,
    SettlementRows,
    Tasks,
    Ties,
    WorkRows,
    rows_of,
)
from gigsim.model.ledgers import Ledger
from gigsim.model.networks import build_network
from gigsim.model.population import draw_clients, draw_workers
from gigsim.model.terms import PlatformTerms
from gigsim.model.views import AgentViews
from gigsim.model.vocabulary import Fate, Flow, Pricing, Status
from gigsim.scenario import Scenario, check_memory


class GigEconomyModel(PlatformTerms, AgentViews, Model):
    """An agent-based gig economy driven by a Scenario (see docs/model.md).

    Args:
        scenario: a validated `gigsim.Scenario` (see `gigsim.load_scenario`).
        rng: seed or numpy Generator (Mesa's convention); defaults to the scenario's seed.
        debug: check the invariants every day and raise on the first breach.
        create_agents: make the Mesa agent views (turn off only for throughput measurements).
        memory_limit_bytes: memory to fit in (default: what the machine has available).
        source: the scenario's file, named in errors (e.g. a world too large for memory).
    """

    def __init__(self, scenario: Scenario, rng=None, debug: bool = False, create_agents: bool = True,
                 memory_limit_bytes: int | None = None, source: str | None = None):
        super().__init__(rng=scenario.seed if rng is None else rng)
        self.config = scenario
        """The gigsim Scenario the world was built from (also `model.scenario`)."""
        self.debug = debug
        check_memory(scenario, source or "<scenario>", memory_limit_bytes)
        sc = scenario
        self.category_names = sc.active_categories
        self.platform_names = sc.active_platforms
        cat_specs = [sc.categories[c] for c in self.category_names]
        plat_specs = [sc.platforms[p] for p in self.platform_names]
        self.n_categories = len(cat_specs)
        self.n_platforms = len(plat_specs)
        self.n_regions = sc.population.regions

        self.workers = draw_workers(sc, self.rng)
        self.clients, self.streams = draw_clients(sc, self.rng)
        net = sc.network
        self.worker_network = build_network(self.workers.n, net.kind, net.mean_degree, net.rewiring, self.rng)
        self.client_network = build_network(sc.population.clients, "small_world", net.client_mean_degree,
                                            net.rewiring, self.rng)

        self._set_terms(cat_specs, plat_specs)

        # the day's and month's counters and flows, and the policy funds (gigsim.model.ledgers)
        self.ledger = Ledger(self.n_platforms, self.n_categories, self.n_regions)
        self.last_month_net = np.zeros(self.workers.n)
        # each monthly round's day and category means of net hourly earnings (decisions.record_market_pay)
        self.market_pay_days: list[int] = []
        self.market_pay: list[np.ndarray] = []
        self.day = 0
        self.params = self.market_params(self.day)
        # hours each worker has left today and whether she has no work yet (buffers reused every day)
        self.hours_left = np.zeros(self.workers.n, np.float64)
        self.fresh = np.zeros(self.workers.n, np.bool_)
        self.offered_today = np.zeros(self.workers.n, np.float32)
        self._checked_yesterday: dict | None = None
        self.tasks = Tasks.empty()
        self.recorder = metrics.Recorder(self)

        self.policy_state = policies.PolicyState.create(self)
        decisions.initial_choices(self)
        if sc.burn_in_days:
            self._burn_in(sc.burn_in_days)
        self._create_agent_views(create_agents)
        self.running = True

    @property
    def scenario(self) -> Scenario:
        """The gigsim Scenario the world was built from: where a Mesa 3.5 user looks for a model's parameters.

        Mesa's `Model.__init__` assigns its own `mesa.experimental.scenarios.Scenario` (an empty one
        carrying the seed); the setter keeps that one as `mesa_scenario`. The gigsim Scenario is a
        validated pydantic model (unknown fields and bad values refused, nested tables), which Mesa's
        Scenario class (free-form attributes) cannot be; `model.config` is the same object.
        """
        return self.config

    @scenario.setter
    def scenario(self, value) -> None:
        if isinstance(value, Scenario):
            raise AttributeError("model.scenario is the world the model was built from; build a new model instead")
        self.mesa_scenario = value
        value.model = self

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        """Advance the world by one day (see the module docstring for the phases)."""
        self._simulate_day()

    def _burn_in(self, days: int) -> None:
        """Simulate `days` days before day 0 (numbered −days..−1) and forget their metrics.

        The world starts from drawn traits, not from an equilibrium; a burn-in lets participation,
        memberships, ratings and ties settle before anything is recorded.
        """
        self.day = -days
        for _ in range(days):
            self._simulate_day()
        self.recorder.forget()

    def _simulate_day(self) -> None:
        day = self.day
        self.ledger.new_day()
        self.params = params = self.market_params(day)
        policies.before_markets(self)
        self._begin_day()
        tasks = self.post_tasks(day, params)
        self.automate(tasks)
        self.clear_markets(tasks, params)
        flows = self.settle(tasks, params)
        self.pay_wages(flows)
        if self.debug:
            check_settlement(self, tasks, flows, params)
        policies.after_settlement(self, tasks, flows, params)
        self._end_of_day_work()
        decisions.daily_upskilling_completions(self)
        if day % 7 == 6:
            decisions.weekly(self)
        if day % 30 == 29:
            decisions.monthly(self)
            self.ledger.month.reset()
        decisions.life_events(self)
        policies.end_of_day(self, flows, decisions.expectations)
        self.tasks = tasks
        self._close_day(tasks)
        self.recorder.record(day)
        if self.debug:
            self._checked_yesterday = check_day(self, tasks, flows, self._checked_yesterday)
        self.day += 1

    def run(self, days: int | None = None, progress=None) -> pl.DataFrame:
        """Run `days` days (default: the scenario's) and return the daily metrics."""
        for _ in range(self.config.days if days is None else days):
            self.step()
            if progress is not None:
                progress()
        return self.metrics

    @property
    def metrics(self) -> pl.DataFrame:
        """Daily metrics so far, one row per day (see docs/model.md for the columns)."""
        return self.recorder.metrics_frame()

    @property
    def market_metrics(self) -> pl.DataFrame:
        """Daily flows per (platform, category), long format."""
        return self.recorder.markets_frame()

    def worker_table(self) -> pl.DataFrame:
        """One row per worker with its current state."""
        return policies.worker_columns(self, metrics.worker_table(self))

    # ------------------------------------------------------------------ phases

    def _begin_day(self) -> None:
        """Reset the workers' daily flows and set each one's hours left today (docs/model.md 7.4)."""
        w = self.workers
        workday.begin_day(rows_of(DayStartRows, w), self.queue_days, self.hours_left, self.fresh)

    def queue_allowance(self) -> np.ndarray:
        """Hours (N) a worker may commit beyond today's: queue_days of her category × her hours offered.

        Hours left at the start of a day are then (1 + queue_days) × hours offered − backlog (docs/model.md 7.4);
        0 for workers who are not active or have no category, and in categories with queue_days = 0.
        """
        w = self.workers
        return np.where(w.status == Status.ACTIVE, self.queue_days[w.category], 0.0) * w.hours_offered

    def post_tasks(self, day: int, params: MarketParams) -> Tasks:
        """Clients post today's tasks: Poisson(rate × demand multiplier) per stream, if the price suits them."""
        s, cl = self.streams, self.clients
        mult = drivers.demand_multipliers(self.config, day)
        extra = np.ones(self.n_categories)
        for c, sources in enumerate(self.new_task_sources):
            if sources and self.new_task_rate[c] > 0:
                base_total = float(self.streams.rate[self.streams.category == c].sum()) or 1.0
                extra[c] += (self.new_task_rate[c] * self.ledger.yesterday.automated_by_category[sources].sum()
                             / base_total)
        lam = posting.stream_rates(s.rate, s.category, s.client, cl.region, mult, extra)
        counts = self.rng.poisson(lam)
        demanded = posting.expand_demand(counts, s.client, s.category, cl.platform)
        n = demanded[0].size
        rules = self.config.rules.clients
        day_ledger = self.ledger.day
        stream, client, category, platform, region, price, wtp, day_ledger.surged_out = posting.price_tasks(
            *demanded[:4], cl.region, cl.wtp, params, self.surge, rules.budget_median, rules.budget_dispersion,
            self.rng.standard_normal(n))
        day_ledger.tasks_demanded = int(counts.sum())
        day_ledger.tasks_priced_out = n - stream.size
        day_ledger.tasks_unserved = int(demanded[4])
        return Tasks(
            stream=stream, client=client, category=category, platform=platform, region=region, price=price,
            wtp=wtp, fate=np.zeros(stream.size, dtype=np.int8), worker=np.full(stream.size, -1, dtype=np.int32),
            pickup=np.zeros(stream.size, dtype=np.float32), hours=np.zeros(stream.size))

    def automate(self, tasks: Tasks) -> None:
        """AI takes an exposed task when the client considers AI and AI's cost + quality gap < the human price.

        The rule and its sources: gigsim/model/automation.py and docs/model.md 7.3. Exposure E_c is the
        category's automation level; the human price is the posted price (fixed, surge) or base × multiplier ×
        the category's mean ask (bids); human quality is the mean skill of the category's active workers.
        The count per category never exceeds floor(E_c × tasks posted in the category).
        """
        n = tasks.size
        level = self.automation_level
        if n == 0 or not (level > 0).any():
            return
        w = self.workers
        u = self.rng.random((n, 2))
        mean_ask, human_quality = automation.human_terms(w.category, w.status, w.skill, w.ask, self.n_categories)
        ai_quality = drivers.ai_quality(self.config, self.day)
        ai_quality = np.where(np.isnan(ai_quality), human_quality, ai_quality)
        c = tasks.category
        human_price = np.where(self.pricing[tasks.platform] == Pricing.BIDS,
                               self.base_price[c] * self.price_multiplier[tasks.platform] * mean_ask[c], tasks.price)
        to_ai = automation.choose_ai(u[:, 0], u[:, 1], level[c], self.clients.ai_adoption[tasks.client],
                                     self.ai_cost[c], ai_quality[c], human_price, human_quality[c], tasks.wtp)
        to_ai = automation.cap_at_exposure(to_ai, c, u[:, 0], level, self.n_categories)
        tasks.fate[to_ai] = Fate.AUTOMATED
        self.ledger.day.automated_by_category = np.bincount(c[to_ai], minlength=self.n_categories).astype(float)
        self.ledger.day.ai_spend = float(self.ai_cost[c[to_ai]].sum())

    def clear_markets(self, tasks: Tasks, params: MarketParams) -> None:
        """Direct re-hires (docs/model.md §7.4), then matching rounds on every platform (§7.5), then
        referrals of unmet work (§7.6); what is still open is unfilled."""
        w, s = self.workers, self.streams
        capacity = Capacity(self.hours_left, self.fresh, w.asset_free_day, w.week_wins, w.room_start, w.room_free_day)
        with_tie = (s.favourite[tasks.stream] >= 0) & self.direct_rehire[tasks.category]
        has_favourite = np.flatnonzero((tasks.fate == Fate.OPEN) & with_tie)
        has_favourite = has_favourite[self.rng.permutation(has_favourite.size)]
        self.ledger.day.direct_hires = hires.direct_hires(has_favourite, tasks, s.favourite, w.status, w.category,
                                                          w.member, w.skill, w.ask, capacity, params)
        self.ledger.day.matching_rounds = self._matching_rounds(tasks, params, capacity)
        unmet = np.flatnonzero((tasks.fate == Fate.OPEN) & with_tie)
        adj = self.worker_network
        self.ledger.day.referral_tasks = hires.referrals(
            unmet, self.rng.random(unmet.size), tasks, s.favourite, adj.indptr, adj.indices, w.status, w.skill,
            decisions.SKILLED, capacity, params, self.config.rules.market.referral_tries)
        tasks.fate[tasks.fate == Fate.OPEN] = Fate.UNFILLED

    def _matching_rounds(self, tasks: Tasks, params: MarketParams, capacity: Capacity) -> int:
        """Matching rounds until nothing is filled or every platform's rounds are used; returns rounds used.

        The rounds run on compact copies of the candidates' rows (row j = worker candidates[j], ascending,
        so every comparison and tie-break is the same): a round then reads dense rows instead of rows
        scattered over the whole population (what made large worlds slower per worker). Their hours,
        assets and counts are written back after the last round.
        """
        w = self.workers
        candidates = matching.matching_candidates(w.status, self.hours_left)
        pool = matching.CandidatePool.gather(candidates, w, self.category_local, capacity, params)
        n_keys = self.n_platforms * self.n_categories * self.n_regions
        won = np.zeros(candidates.size, dtype=np.bool_)
        rounds_used = 0
        rows = np.arange(candidates.size, dtype=np.int64)
        for round_no in range(int(params.rounds.max())):
            offsets, order = matching.expire_and_index(tasks, params.rounds, round_no, n_keys, self.n_categories,
                                                       self.n_regions)
            if order.size == 0:
                break
            applicants = matching.ready_applicants(rows, pool, params, offsets)
            if applicants.size == 0:
                break
            rows = applicants
            filled = matching.match_round(applicants, self.rng, pool, offsets, order, tasks, won, params)
            rounds_used = round_no + 1
            if filled == 0:
                break
        pool.scatter(tasks, capacity, w.week_applications)
        return rounds_used

    def settle(self, tasks: Tasks, params: MarketParams) -> np.ndarray:
        """Payments, costs, ratings and ties for every filled task (docs/model.md §7.7, §7.8), into the day's
        flows[k, platform(+off), category] (returned)."""
        w, s = self.workers, self.streams
        flows = self.ledger.day.flows
        noise = self.rng.standard_normal(tasks.size)
        settlement.settle(tasks, noise, rows_of(Ties, s), rows_of(SettlementRows, w), params, flows)
        self.ledger.benefit_fund += flows[Flow.BENEFIT_CONTRIBUTIONS].sum()
        self.ledger.transfer_fund += flows[Flow.TRANSFER_LEVY].sum()
        return flows

    def pay_wages(self, flows: np.ndarray) -> None:
        """Employees receive the wage for every logged-in hour, paid by their platform."""
        w = self.workers
        employed = np.flatnonzero((w.employer >= 0) & (w.status == Status.ACTIVE))
        if employed.size == 0:
            return
        pay = self.config.policy.employee_classification.hourly_wage * w.hours_offered[employed].astype(np.float64)
        w.day_pay[employed] += pay
        wages = np.zeros((self.n_platforms, self.n_categories))
        np.add.at(wages, (w.employer[employed], np.maximum(w.category[employed], 0)), pay)
        flows[Flow.WORKER_PAY, : self.n_platforms] += wages
        flows[Flow.PLATFORM_REVENUE, : self.n_platforms] -= wages
        self.ledger.day.employee_wages = float(pay.sum())

    def _end_of_day_work(self) -> None:
        """Work the day's committed hours (never more than offered) and update trailing averages."""
        w = self.workers
        rents = (w.category >= 0) & (self.asset_days[np.maximum(w.category, 0)] > 0)
        self.offered_today = workday.end_of_day_work(rows_of(WorkRows, w, rents_asset=rents),
                                                     self.config.rules.workers.trailing_days)

    def _close_day(self, tasks: Tasks) -> None:
        """Close the day's books: count its tasks, add it to the month, set tomorrow's surge."""
        day = self.ledger.day
        day.count_tasks(tasks)
        self.ledger.month.add(day)
        if tasks.size:
            self.update_surge(day.human, day.filled, day.surged_out)

    def update_surge(self, posted: np.ndarray, filled: np.ndarray, surged_out: np.ndarray) -> None:
        """Tomorrow's surge in each market of a surge platform, set from today's state of the market (docs/model.md
        7.2): the ratio of riders' requests, less what the day's noise explains, to what its drivers could serve,

            ρ = (n − z √n) / (filled + idle),  n = posted + surged_out,   surge = clip(ρ ** surge_sensitivity, 1, surge_cap)

        Requests n are the tasks offered to people (`posted`, not automated) plus those today's surge priced out
        (`surged_out`: the client's budget covered the list price, not the surged one), so a surge that prices out
        the excess does not read as excess gone; z √n (z = `rules.market.surge_signal_z`) is the part of the count
        that Poisson noise explains at z standard errors. Capacity is what was filled plus the tasks the platform's
        active members in the market could still have done (`idle_capacity`). No market keeps a memory of past
        surges. Counts are per (platform, category, region); requests with no capacity go to the cap.
        """
        z = self.config.rules.market.surge_signal_z
        for p in np.flatnonzero(self.pricing == Pricing.SURGE):
            spec = self.config.platforms[self.platform_names[p]]
            n = (posted[p] + surged_out[p]).astype(np.float64)
            requests = np.maximum(n - z * np.sqrt(n), 0.0)
            capacity = filled[p] + self.idle_capacity(p)
            ratio = np.divide(requests, capacity, out=np.where(requests > 0, np.inf, 1.0), where=capacity > 0)
            with np.errstate(over="ignore", under="ignore"):  # a power beyond the float range ends at the cap
                self.surge[p] = np.clip(ratio ** spec.surge_sensitivity, 1.0, spec.surge_cap)

    def idle_capacity(self, p: int) -> np.ndarray:
        """Tasks (C, R) platform p's active members could still have done today: Σ hours left / hours per task
        of their category, by category and market region (0 for online categories' regions > 0)."""
        w, C, R = self.workers, self.n_categories, self.n_regions
        rows = np.flatnonzero((w.status == Status.ACTIVE) & (w.category >= 0) & w.member[:, p])
        c = w.category[rows]
        r = np.where(self.category_local[c], w.region[rows], 0)
        tasks = self.hours_left[rows] / self.params.task_hours[c]
        # float even with no rows (bincount of nothing is an int array)
        return np.bincount(c * R + r, weights=tasks, minlength=C * R).astype(np.float64).reshape(C, R)
