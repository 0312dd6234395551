"""GigEconomyModel: the world, its daily phases, and where each rule lives.

One step is one day. The phases, in order:
1. clients post tasks (demand × seasonality × shocks), on the platform they use, at its price;
2. tasks AI takes over are removed (automation level × client adoption × cost comparison);
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

from gigsim.model import decisions, drivers, market, metrics, networks
from gigsim.model.agents import Client, Platform, Worker
from gigsim.model.invariants import check_day, check_settlement
from gigsim.model.networks import build_network
from gigsim.model.population import draw_clients, draw_workers
from gigsim.model.state import ACTIVE, MATCHING_CODES, PRICING_CODES
from gigsim.scenario import Scenario, check_memory

EMA_DAYS = 30.0
"""Time constant (days) of the trailing earnings and hours averages."""


class GigEconomyModel(Model):
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

        self.category_local = np.array([s.kind == "local" for s in cat_specs])
        self.base_price = np.array([s.base_price for s in cat_specs])
        self.base_task_hours = np.array([s.hours_per_task for s in cat_specs])
        self.pickup_hours = np.array([s.pickup_hours for s in cat_specs])
        self.asset_days = np.array([s.asset_days_per_task for s in cat_specs], dtype=np.int64)
        self.cost_per_hour = np.array([s.cost_per_hour for s in cat_specs])
        self.category_asset = [s.asset for s in cat_specs]
        self.direct_rehire = np.array([s.direct_rehire for s in cat_specs])
        # queue days per category, and 0 for category -1 (none): indexed by workers' categories directly
        self.queue_days = np.array([s.queue_days for s in cat_specs] + [0.0], dtype=np.float64)
        self.serves = np.array([[c in p.categories for c in self.category_names] for p in plat_specs])
        self.launch_day = np.array([p.launch_day for p in plat_specs], dtype=np.int64)
        self.price_multiplier = np.array([p.price_multiplier for p in plat_specs], dtype=np.float64)
        self.commission = np.array([p.commission for p in plat_specs], dtype=np.float64)  # decisions.compete
        self.accepting = np.ones(self.n_platforms, dtype=bool)
        self.rule = np.array([MATCHING_CODES[p.matching] for p in plat_specs], dtype=np.int64)
        self.pricing = np.array([PRICING_CODES[p.pricing] for p in plat_specs], dtype=np.int64)
        self.surge = np.ones((self.n_platforms, self.n_categories, self.n_regions))
        self.new_task_sources = [
            [self.category_names.index(s) for s in spec.new_tasks_from if s in self.category_names]
            for spec in cat_specs]
        self.new_task_rate = np.array([s.new_tasks_per_automated_task for s in cat_specs])
        self.automated_yesterday = np.zeros(self.n_categories)

        # market statistics of the last day and month, per (platform, category)
        self.last_posted = np.zeros((self.n_platforms, self.n_categories))
        self.last_filled = np.zeros((self.n_platforms, self.n_categories))
        self.market_posted_by_key = np.zeros(self.n_platforms * self.n_categories * self.n_regions)
        self.market_filled_by_key = np.zeros_like(self.market_posted_by_key)
        self.month_flows = np.zeros((len(market.FLOW_NAMES), self.n_platforms + 1, self.n_categories))
        self.month_posted = np.zeros((self.n_platforms, self.n_categories))
        self.fill_rate_by_market = np.ones((self.n_platforms, self.n_categories))

        self.benefit_fund = 0.0
        self.transfer_fund = 0.0
        # the day's events and the policy flows outside the markets: set by gigsim.model.decisions,
        # recorded (and reset) by gigsim.model.metrics
        self.entries_today = self.exits_today = 0
        self.transfers_today = 0.0
        self.retraining_subsidies_today = 0.0
        self.health_today = {"health_costs": 0.0, "uncovered_health_costs": 0.0, "benefit_payouts": 0.0}
        self.last_month_net = np.zeros(self.workers.n)
        self.category_hourly = np.zeros(self.n_categories)
        self.day = 0
        self.today: dict[str, float] = {}
        self.tasks = market.Tasks.empty()
        self.recorder = metrics.Recorder(self)

        decisions.initial_choices(self)
        if sc.burn_in_days:
            self._burn_in(sc.burn_in_days)
        self.workers_set = self.clients_set = self.platforms_set = None
        if create_agents:
            Worker.create_agents(self, self.workers.n, np.arange(self.workers.n))
            Client.create_agents(self, self.clients.region.size, np.arange(self.clients.region.size))
            Platform.create_agents(self, self.n_platforms, np.arange(self.n_platforms))
            self.workers_set = self.agents_by_type[Worker]
            self.clients_set = self.agents_by_type[Client]
            self.platforms_set = self.agents_by_type[Platform]
            self._worker_views = list(self.workers_set)
            self._client_views = list(self.clients_set)
            self._platform_views = list(self.platforms_set)
        self.running = True

    # ------------------------------------------------------------------ levers

    def lever_on(self, name: str, day: int | None = None) -> bool:
        """Whether policy lever `name` is switched on (enabled and past its start day)."""
        lever = getattr(self.config.policy, name)
        return lever.enabled and (self.day if day is None else day) >= lever.start

    def effective_commission(self) -> np.ndarray:
        """Each platform's commission (its own, as competition moves it) after any commission cap (share of the price)."""
        nominal = self.commission
        if self.lever_on("commission_cap"):
            return np.minimum(nominal, self.config.policy.commission_cap.cap)
        return nominal

    def launched(self) -> np.ndarray:
        """Bool (P): platforms open for business today (all those launching on day 0 exist during burn-in)."""
        return self.launch_day <= max(self.day, 0)

    def employer_platforms(self) -> np.ndarray:
        """Bool (P): platforms whose workers are employees under the classification lever."""
        lever = self.config.policy.employee_classification
        if not self.lever_on("employee_classification"):
            return np.zeros(self.n_platforms, dtype=bool)
        if lever.platforms == "all":
            return np.ones(self.n_platforms, dtype=bool)
        return np.array([p in lever.platforms for p in self.platform_names])

    def market_params(self, day: int) -> market.MarketParams:
        """The arrays the market kernels read today."""
        sc = self.config
        level, ai_cost, gain = drivers.automation_levels(sc, day)
        self.automation_level, self.ai_cost, self.augmentation = level, ai_cost, gain
        plat = [sc.platforms[p] for p in self.platform_names]
        boost = np.array([p.newcomer_boost for p in plat])
        boost_tasks = np.array([p.newcomer_tasks for p in plat], dtype=np.int64)
        if self.lever_on("newcomer_boost", day):
            lever = sc.policy.newcomer_boost
            boost = np.maximum(boost, lever.boost)
            boost_tasks = np.maximum(boost_tasks, lever.tasks)
        pol = sc.policy
        return market.MarketParams(
            n_categories=self.n_categories, n_regions=self.n_regions, n_platforms=self.n_platforms,
            task_hours=self.base_task_hours / (1.0 + gain), pickup_hours=self.pickup_hours,
            asset_days=self.asset_days, local=self.category_local, base_price=self.base_price,
            cost_per_hour=self.cost_per_hour, rule=self.rule, pricing=self.pricing,
            rounds=np.array([p.matching_rounds for p in plat], dtype=np.int64),
            applications_per_round=np.array([p.applications_per_round for p in plat], dtype=np.int64),
            price_multiplier=self.price_multiplier, commission=self.effective_commission(),
            nominal_commission=self.commission.copy(),
            prior_mean=np.array([p.rating_prior_mean for p in plat]),
            prior_weight=np.array([p.rating_prior_weight for p in plat]),
            newcomer_boost=boost, newcomer_tasks=boost_tasks,
            pay_floor=pol.min_pay.hourly if self.lever_on("min_pay", day) else 0.0,
            contribution=pol.portable_benefits.contribution_per_task if self.lever_on("portable_benefits", day)
            else 0.0,
            levy=pol.cash_transfer.levy if self.lever_on("cash_transfer", day) else 0.0,
            rating_noise=sc.behaviour.rating_noise, rehire_rating=sc.behaviour.rehire_rating, day=day,
        )

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
        params = self.market_params(day)
        self._begin_day()
        tasks = self.post_tasks(day, params)
        self.automate(tasks)
        self.clear_markets(tasks, params)
        flows = self.settle(tasks, params)
        self.pay_wages(flows)
        if self.debug:
            check_settlement(self, tasks, flows, params)
        self._end_of_day_work()
        decisions.daily_upskilling_completions(self)
        if day % 7 == 6:
            decisions.weekly(self)
        if day % 30 == 29:
            decisions.monthly(self)
        decisions.life_events(self)
        self.tasks = tasks
        self.recorder.record(day, tasks, flows)
        if self.debug:
            check_day(self, tasks, flows)
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
        return metrics.worker_table(self)

    # ------------------------------------------------------------------ phases

    def _begin_day(self) -> None:
        w = self.workers
        if getattr(self, "hours_left", None) is None or self.hours_left.size != w.n:
            self.hours_left, self.fresh = np.empty(w.n, np.float64), np.empty(w.n, np.bool_)
        self.hours_left, self.fresh = market.begin_day(w.status, w.category, self.queue_days, w.hours_offered,
                                                       w.backlog, w.day_pay, w.day_costs, w.day_task_hours,
                                                       w.day_engaged_hours, w.day_tasks, self.hours_left, self.fresh)

    def queue_allowance(self) -> np.ndarray:
        """Hours (N) a worker may commit beyond today's: queue_days of her category × her hours offered.

        Hours left at the start of a day are then (1 + queue_days) × hours offered − backlog (docs/model.md 7.4);
        0 for workers who are not active or have no category, and in categories with queue_days = 0.
        """
        w = self.workers
        return np.where(w.status == ACTIVE, self.queue_days[w.category], 0.0) * w.hours_offered

    def post_tasks(self, day: int, params: market.MarketParams) -> market.Tasks:
        """Clients post today's tasks: Poisson(rate × demand multiplier) per stream, if the price suits them."""
        s, cl = self.streams, self.clients
        mult = drivers.demand_multipliers(self.config, day)
        extra = np.ones(self.n_categories)
        for c, sources in enumerate(self.new_task_sources):
            if sources and self.new_task_rate[c] > 0:
                base_total = float(self.streams.rate[self.streams.category == c].sum()) or 1.0
                extra[c] += self.new_task_rate[c] * self.automated_yesterday[sources].sum() / base_total
        lam = market.stream_rates(s.rate, s.category, s.client, cl.region, mult, extra)
        counts = self.rng.poisson(lam)
        demanded = market.expand_demand(counts, s.client, s.category, cl.platform)
        n = demanded[0].size
        stream, client, category, platform, region, price, wtp = market.price_tasks(
            *demanded[:4], cl.region, cl.wtp, self.category_local, self.base_price, self.price_multiplier,
            self.surge, self.pricing, self.rng.random(n))
        self.today = {"tasks_demanded": float(counts.sum()), "tasks_priced_out": float(n - stream.size),
                      "tasks_unserved": float(demanded[4])}
        return market.Tasks(
            stream=stream, client=client, category=category, platform=platform, region=region, price=price,
            wtp=wtp, fate=np.zeros(stream.size, dtype=np.int8), worker=np.full(stream.size, -1, dtype=np.int32),
            pickup=np.zeros(stream.size, dtype=np.float32))

    def automate(self, tasks: market.Tasks) -> None:
        """AI takes a task if it is automatable (share ≤ level), the client adopts, and AI is cheaper.

        A task is automatable with probability equal to the category's automation level;
        the client then uses AI with probability equal to its adoption propensity, provided
        AI's cost per task is below the human price. The count per category never exceeds
        floor(level × tasks posted in the category).
        """
        n = tasks.size
        level = self.automation_level
        self.automated_yesterday = np.zeros(self.n_categories)
        if n == 0 or not (level > 0).any():
            return
        u = self.rng.random((n, 2))
        human_price = np.where(self.pricing[tasks.platform] == market.PRICING_BIDS,
                               self.base_price[tasks.category] * self.price_multiplier[tasks.platform], tasks.price)
        to_ai = ((u[:, 0] < level[tasks.category]) & (u[:, 1] < self.clients.ai_adoption[tasks.client])
                 & (self.ai_cost[tasks.category] < human_price))
        posted = np.bincount(tasks.category, minlength=self.n_categories)
        cap = np.floor(level * posted + 1e-9).astype(np.int64)
        taken = np.bincount(tasks.category[to_ai], minlength=self.n_categories)
        for c in np.flatnonzero(taken > cap):
            # drop the excess draws (largest u) so the realised share never exceeds the level
            members = np.flatnonzero(to_ai & (tasks.category == c))
            excess = members[np.argsort(u[members, 0], kind="stable")[cap[c]:]]
            to_ai[excess] = False
        tasks.fate[to_ai] = market.AUTOMATED
        self.automated_yesterday = np.bincount(tasks.category[to_ai], minlength=self.n_categories).astype(float)
        self.today["ai_spend"] = float(self.ai_cost[tasks.category[to_ai]].sum())

    def clear_markets(self, tasks: market.Tasks, params: market.MarketParams) -> None:
        """Direct re-hires, then matching rounds on every platform, then referrals of unmet work."""
        w, s = self.workers, self.streams
        with_tie = (s.favourite[tasks.stream] >= 0) & self.direct_rehire[tasks.category]
        has_favourite = np.flatnonzero((tasks.fate == market.OPEN) & with_tie)
        has_favourite = has_favourite[self.rng.permutation(has_favourite.size)]
        self.today["direct_hires"] = market.direct_hires(
            has_favourite, tasks.stream, tasks.category, tasks.platform, tasks.fate, tasks.worker, tasks.pickup,
            s.favourite, w.status, w.category, w.member, self.hours_left, self.fresh, w.asset_free_day, w.week_wins,
            params.task_hours, params.pickup_hours, params.asset_days, params.day)

        candidates = market.matching_candidates(w.status, self.hours_left)
        # The rounds run on compact copies of the candidates' rows (row j = worker candidates[j], ascending,
        # so every comparison and tie-break is the same): a round then reads dense rows instead of rows
        # scattered over the whole population (what made large worlds slower per worker). Their hours,
        # assets and counts are written back after the last round.
        pool = market.CandidatePool.gather(candidates, w.category, w.region, self.category_local, w.member, w.ask,
                                           w.rating_sum, w.rating_count, self.hours_left, self.fresh, w.asset_free_day)
        n_keys = self.n_platforms * self.n_categories * self.n_regions
        won = np.zeros(candidates.size, dtype=np.bool_)
        max_rounds = int(params.rounds.max())
        rounds_used = 0
        rows = np.arange(candidates.size, dtype=np.int64)
        for round_no in range(max_rounds):
            offsets, order = market.expire_and_index(tasks.platform, tasks.category, tasks.region, tasks.fate,
                                                     params.rounds, round_no, n_keys, self.n_categories,
                                                     self.n_regions)
            if order.size == 0:
                break
            applicants = market.ready_applicants(
                rows, pool.category, pool.market_region, pool.member, pool.hours_left, pool.fresh,
                pool.asset_free_day, params.task_hours, params.asset_days, params.day, offsets, self.n_categories,
                self.n_regions)
            if applicants.size == 0:
                break
            rows = applicants
            filled = market.match_round(
                applicants, self.rng, pool.category, pool.market_region, pool.member, pool.ask, pool.rating_sum,
                pool.rating_count, offsets, order, tasks.platform, tasks.wtp, tasks.fate, tasks.worker, tasks.pickup,
                won, pool.hours_left, pool.fresh, pool.asset_free_day,
                pool.applications, pool.wins, params.task_hours, params.pickup_hours, params.asset_days,
                params.base_price, params.rule, params.pricing, params.price_multiplier, params.prior_mean,
                params.prior_weight,
                params.newcomer_boost, params.newcomer_tasks, params.applications_per_round, self.n_categories,
                self.n_regions, params.day)
            rounds_used = round_no + 1
            if filled == 0:
                break
        pool.scatter(tasks.fate, tasks.worker, self.hours_left, self.fresh, w.asset_free_day, w.week_applications,
                     w.week_wins)
        self.today["matching_rounds"] = rounds_used

        unmet = np.flatnonzero((tasks.fate == market.OPEN) & with_tie)
        adj = self.worker_network
        self.today["referral_tasks"] = market.referrals(
            unmet, self.rng.random(unmet.size), tasks.stream, tasks.category, tasks.fate, tasks.worker,
            tasks.pickup, s.favourite, adj.indptr, adj.indices, w.status, w.skill, decisions.SKILLED,
            self.hours_left,
            self.fresh, w.asset_free_day, w.week_wins, params.task_hours, params.pickup_hours, params.asset_days,
            params.day, 20)
        tasks.fate[tasks.fate == market.OPEN] = market.UNFILLED

    def settle(self, tasks: market.Tasks, params: market.MarketParams) -> np.ndarray:
        """Payments, costs, ratings and ties for every filled task. Returns flows[k, platform(+off), category]."""
        w, s = self.workers, self.streams
        flows = np.zeros((len(market.FLOW_NAMES), self.n_platforms + 1, self.n_categories))
        noise = self.rng.standard_normal(tasks.size)
        market.settle(
            tasks.stream, tasks.category, tasks.platform, tasks.price, tasks.fate, tasks.worker, tasks.pickup,
            noise, s.favourite, s.tie_strength, w.skill, w.ask, w.employer, w.rating_sum, w.rating_count,
            w.day_pay, w.day_costs, w.day_task_hours, w.day_engaged_hours, w.day_tasks, w.lifetime_tasks,
            params.task_hours, params.base_price, params.cost_per_hour, params.pricing, params.price_multiplier,
            params.commission, params.nominal_commission, params.pay_floor, params.contribution, params.levy,
            params.rating_noise, params.rehire_rating, flows)
        self.benefit_fund += flows[4].sum()
        self.transfer_fund += flows[5].sum()
        return flows

    def pay_wages(self, flows: np.ndarray) -> None:
        """Employees receive the wage for every logged-in hour, paid by their platform."""
        w = self.workers
        employed = np.flatnonzero((w.employer >= 0) & (w.status == ACTIVE))
        self.today["employee_wages"] = 0.0
        if employed.size == 0:
            return
        pay = self.config.policy.employee_classification.hourly_wage * w.hours_offered[employed].astype(np.float64)
        w.day_pay[employed] += pay
        wages = np.zeros((self.n_platforms, self.n_categories))
        np.add.at(wages, (w.employer[employed], np.maximum(w.category[employed], 0)), pay)
        flows[1, : self.n_platforms] += wages
        flows[2, : self.n_platforms] -= wages
        self.today["employee_wages"] = float(pay.sum())

    def _end_of_day_work(self) -> None:
        """Work the day's committed hours (never more than offered) and update trailing averages."""
        w = self.workers
        self.offered_today = market.end_of_day_work(
            w.status, w.hours_offered, w.backlog, w.day_engaged_hours, w.day_worked_hours, w.day_pay, w.day_costs,
            w.day_tasks, w.ema_net, w.ema_logged, w.savings, w.month_net, w.month_tasks, w.week_logged,
            w.week_engaged, EMA_DAYS)

    # ------------------------------------------------------------------ views

    def membership_graph(self, workers: np.ndarray | None = None):
        """Worker–platform memberships as a bipartite networkx graph (optionally for a sample of workers)."""
        return networks.membership_graph(self.workers.member, self.platform_names, workers)

    def client_worker_graph(self):
        """Client–worker ties grown by repeat business, as a weighted bipartite networkx graph."""
        s = self.streams
        return networks.client_worker_graph(s.client, s.favourite, s.tie_strength)

    def worker_graph(self, workers: np.ndarray | None = None):
        """The worker social network as networkx (the whole graph, or the subgraph of a sample)."""
        return networks.to_networkx(self.worker_network, workers)

    def worker(self, index: int) -> Worker:
        """The Mesa agent of worker `index`."""
        return self._worker_views[index]

    def client(self, index: int) -> Client:
        """The Mesa agent of client `index`."""
        return self._client_views[index]

    def platform(self, name_or_index: str | int) -> Platform:
        """The Mesa agent of a platform, by name or index."""
        index = self.platform_names.index(name_or_index) if isinstance(name_or_index, str) else name_or_index
        return self._platform_views[index]

