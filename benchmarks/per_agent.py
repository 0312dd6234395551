"""A plain per-agent Mesa implementation of gigsim's daily rules: the yardstick and the oracle.

Every worker and client is a Mesa agent holding its own state as Python attributes;
each phase of a day is a method called on every agent through `AgentSet.shuffle_do`
(the worker's end-of-day `step` included), and tasks are Python objects. It applies
the same rules as the array-based fast path (gigsim.model.model / gigsim.model.market), written
the obvious way, so that

- `benchmarks/run.py` can time it side by side with the fast path (worker-days per second), and
- `tests/test_oracle.py` can check that both give the same distributions of outcomes.

Rules covered (see gigsim/model/market.py and gigsim/model/decisions.py for the fast path):
- posting: each demand stream posts Poisson(rate × seasonality × shocks) tasks on the client's
  platform at base price × platform multiplier × surge; a task is posted if the platform takes
  bids or the price is within the client's willingness to pay (base × wtp × U(0.6, 1.4));
- direct re-hires of a favourite worker (categories with `direct_rehire`), in random order;
- matching rounds: every worker with spare hours sends up to `applications_per_round`
  applications, each to an open task chosen uniformly among the open tasks of her market
  (category, and region for local work) on all her platforms; each task takes its best
  applicant by the platform's rule (random, nearest, reputation with newcomer boost,
  cheapest); bids are refused above the client's budget; a worker who wins several tasks in
  a round takes the first and the others stay open; tasks expire after their platform's
  `matching_rounds`; rounds stop when nothing is filled;
- referrals of unmet work over the favourite's network to an active neighbour skilled in the category
  (up to 20 neighbours from a random start);
- settlement: price (or the worker's bid), commission, pay-floor top-up, benefit contribution,
  levy, running costs, ratings (skill + noise), favourite ties;
- hours left each day: (1 + the category's queue_days) × hours offered − backlog;
- the day's work: backlog, 30-day averages of net earnings and logged hours, savings;
- surge for tomorrow from posted / filled per market;
- weekly: hours offered follow what a gig hour is worth against the outside option (Frisch elasticity below it,
  all hours when in debt), asking prices on bids platforms follow the worker's own utilisation;
- monthly: the books (other income − living costs, plus full-timers' outside-job pay while out), availability shocks
  to hours, entry and exit (expected hourly earnings, own or neighbours' and the category's, plus autonomy value vs
  the reservation wage; savings below the credit limit; no platform to work on; entry only with savings for the
  cheapest onboarding fee), multi-homing, joining a platform after entry;
- daily health events (Bernoulli per active worker; insurance pays, else savings).

Not covered (keep them off in oracle comparisons): automation, upskilling, clients' monthly
platform choice, employee classification, cash transfers, the pay-floor platform response, distressed
workers' category switch, platforms' competition on commissions, exit reasons and the weekly hours history
(recorded, not decided, in the fast path).
"""

from __future__ import annotations

import math

import numpy as np
from mesa import Agent, Model

from gigsim.model import drivers
from gigsim.model.decisions import SKILLED
from gigsim.model.model import GigEconomyModel
from gigsim.model.state import ACTIVE, LEFT, OUT, UPSKILLING
from gigsim.scenario import Scenario

OPEN, FILLED, DIRECT, REFERRAL, UNFILLED = 0, 2, 3, 4, 5
RANDOM, NEAREST, REPUTATION, CHEAPEST = 0, 1, 2, 3
BIDS, SURGE = 2, 1
EMA_DAYS = 30.0
MIN_LOGGED = 0.05


class Task:
    """One posted task and, while matching runs, its best applicant so far."""

    __slots__ = ("stream", "client", "category", "platform", "region", "price", "wtp", "fate", "worker",
                 "pickup", "best", "best_key", "best_u")

    def __init__(self, stream, client, category, platform, region, price, wtp):
        self.stream, self.client, self.category, self.platform = stream, client, category, platform
        self.region, self.price, self.wtp = region, price, wtp
        self.fate, self.worker, self.pickup = OPEN, None, 0.0
        self.best, self.best_key, self.best_u = None, 0.0, 0.0

    def consider(self, worker, key: float, u: float) -> None:
        """Keep the applicant with the lowest key (first come wins ties)."""
        if self.best is None or key < self.best_key:
            self.best, self.best_key, self.best_u = worker, key, u


class Stream:
    """A client's demand in one category (Poisson rate per day) and its favourite worker."""

    __slots__ = ("client", "category", "rate", "favourite", "tie")

    def __init__(self, client, category, rate):
        self.client, self.category, self.rate = client, category, rate
        self.favourite, self.tie = None, 0


class PAClient(Agent):
    """A client: posts its streams' tasks each day."""

    def __init__(self, model, region, wtp, platform):
        super().__init__(model)
        self.region, self.wtp, self.platform = region, wtp, platform
        self.streams: list[Stream] = []

    def post_tasks(self, mult) -> None:
        m = self.model
        rng = m.rng
        for s in self.streams:
            c = s.category
            count = rng.poisson(s.rate * mult[c, self.region])
            m.demanded += count
            for _ in range(count):
                p = self.platform[c]
                if p < 0:
                    m.unserved += 1
                    continue
                region = self.region if m.local[c] else 0
                price = m.base_price[c] * m.price_multiplier[p] * m.surge[p][c][region]
                wtp = m.base_price[c] * self.wtp * (0.6 + 0.8 * rng.random())
                if m.pricing[p] == BIDS or price <= wtp:
                    m.tasks.append(Task(s, self, c, p, region, price, wtp))


class PAWorker(Agent):
    """A worker: her state as attributes; each phase of the day is a method."""

    def can_take(self, c: int) -> bool:
        m = self.model
        if self.hours_left <= 0.0:
            return False
        if not self.fresh and self.hours_left < m.params.task_hours[c]:
            return False
        return not (m.params.asset_days[c] > 0 and self.asset_free_day > m.day)

    def take(self, task: Task, fate: int, pickup: float) -> None:
        m = self.model
        c = task.category
        task.fate, task.worker, task.pickup = fate, self, pickup
        self.hours_left -= m.params.task_hours[c] + pickup
        self.fresh = False
        if m.params.asset_days[c] > 0:
            self.asset_free_day = m.day + m.params.asset_days[c]
        self.wins += 1

    def begin_day(self) -> None:
        active = self.status == ACTIVE
        self.day_pay = self.day_costs = self.day_task_hours = self.day_engaged = 0.0
        self.day_tasks = self.applications = self.wins = 0
        queue = self.model.queue_days[self.category] if self.category >= 0 else 0.0
        self.hours_left = (1.0 + queue) * self.hours_offered - self.backlog if active else 0.0
        self.fresh = active and self.backlog <= 0.0

    def apply(self) -> None:
        """Send up to `applications_per_round` (of the chosen task's platform) applications, each to an
        open task chosen uniformly among those of her market on her platforms."""
        m = self.model
        if self.status != ACTIVE or self.category < 0 or not self.can_take(self.category):
            return
        c = self.category
        lists = [m.open_by_market.get((p, c, self.market_region)) for p in self.platforms]
        lists = [x for x in lists if x]
        total = sum(len(x) for x in lists)
        if total == 0:
            return
        for a in range(m.max_applications):
            u0, u1 = m.rng.random(2)
            j = min(int(u0 * total), total - 1)
            for x in lists:
                if j < len(x):
                    task = x[j]
                    break
                j -= len(x)
            p = task.platform
            if a >= m.applications_per_round[p]:
                continue
            self.applications += 1
            if m.pricing[p] == BIDS and self.ask * m.base_price[c] * m.price_multiplier[p] > task.wtp:
                continue  # above the client's budget
            rule = m.rule[p]
            if rule == REPUTATION:
                count = self.rating_count[p]
                prior = m.params.prior_weight[p]
                score = (m.params.prior_mean[p] * prior + self.rating_sum[p]) / (prior + count)
                if count < m.params.newcomer_tasks[p]:
                    score += m.params.newcomer_boost[p]
                key = -score + 1e-6 * u1
            elif rule == CHEAPEST and m.pricing[p] == BIDS:
                key = self.ask + 1e-6 * u1
            else:
                key = u1
            task.consider(self, key, u1)

    def step(self) -> None:
        """End of day: work the committed hours, update trailing averages, savings and accumulators."""
        active = self.status == ACTIVE
        offered = self.hours_offered if active else 0.0
        committed = self.backlog + self.day_engaged
        worked = min(committed, offered)
        self.backlog = committed - worked if active else 0.0
        net = self.day_pay - self.day_costs
        if active:
            self.ema_net = self.ema_net * (1 - 1 / EMA_DAYS) + net / EMA_DAYS
            self.ema_logged = self.ema_logged * (1 - 1 / EMA_DAYS) + offered / EMA_DAYS
        self.savings += net
        self.month_net += net
        self.month_tasks += self.day_tasks
        self.week_logged += offered
        self.week_engaged += self.day_engaged
        self.week_applications += self.applications
        self.week_wins += self.wins

    def weekly(self) -> None:
        """Hours offered follow what a gig hour is worth against her outside option (Frisch elasticity below it,
        all her hours when in debt); on a bids platform her ask follows her own utilisation against the target."""
        b = self.model.config.behaviour
        ls = self.model.config.labour_supply
        if self.status == ACTIVE:
            own = self.hourly()
            share = 1.0
            if self.savings >= 0 and not math.isnan(own):
                ratio = max(own + self.autonomy_value, 0.0) / max(self.reservation_wage, 1e-9)
                share = min(max(ratio**ls.frisch_elasticity, ls.min_hours_share), 1.0)
            target = self.hours_available * share
            hours = self.hours_offered + b.hours_adjustment * (target - self.hours_offered)
            self.hours_offered = min(hours, self.hours_available)
            if self.week_logged > 0 and any(self.model.pricing[p] == BIDS for p in self.platforms):
                u, goal = self.week_engaged / self.week_logged, ls.ask_target_utilisation
                step = min(max((u - goal) / max(goal, 1 - goal, 1e-9), -1.0), 1.0)
                self.ask = min(max(self.ask * (1 + b.ask_adjustment * step), 0.4), 3.0)
        self.week_applications = self.week_wins = 0
        self.week_logged = self.week_engaged = 0.0

    def hourly(self) -> float:
        return self.ema_net / self.ema_logged if self.ema_logged > MIN_LOGGED else math.nan

    def close_books(self) -> None:
        """Other income − living costs, plus a full-timer's outside-job pay while she does not gig."""
        job = (self.model.config.household.outside_job and self.full_time and self.status not in (ACTIVE, UPSKILLING))
        self.savings += self.other_income - self.living_costs + (
            self.reservation_wage * self.hours_base * 30 if job else 0.0)
        self.month_net = 0.0
        self.month_tasks = 0

    def availability_shock(self) -> None:
        """This month's available hours: usual hours × lognormal(mean 1) shock; offered ≤ available."""
        sigma = self.model.config.population.hours_volatility
        if sigma == 0:
            return
        shock = math.exp(sigma * self.model.rng.standard_normal() - sigma**2 / 2)
        self.hours_available = min(max(self.hours_base * shock, 0.25), 16.0)
        self.hours_offered = min(self.hours_offered, self.hours_available)

    def decide_entry_exit(self, by_category) -> None:
        """Enter or leave on expected hourly earnings + autonomy value vs the reservation wage."""
        m = self.model
        b = m.config.behaviour
        own = self.hourly() if self.status in (ACTIVE, LEFT) else math.nan  # left: her last spell's
        if not math.isnan(own):
            expected = own
        else:
            known = [x for x in (n.hourly() if n.status == ACTIVE else math.nan for n in self.neighbours)
                     if not math.isnan(x)]
            category = by_category[max(self.category, 0)]
            expected = (b.neighbour_weight * sum(known) / len(known) + (1 - b.neighbour_weight) * category
                        if known else category)
        gap = expected + self.autonomy_value - self.reservation_wage
        u = m.rng.random()
        s = b.decision_sensitivity
        if self.status == ACTIVE:
            broke = self.savings < -m.config.household.credit_limit_months * self.living_costs
            stranded = not any(m.serves[p][self.category] for p in self.platforms) and not any(
                m.serves[p][self.category] and m.launch_day[p] <= max(m.day, 0) for p in range(m.n_platforms))
            if u < b.random_exit_rate + b.exit_rate / (1 + math.exp(min(50.0, s * gap))) or broke or stranded:
                m.leaving.append(self)
        elif self.status in (OUT, LEFT) and self.category >= 0 and u < b.entry_rate / (1 + math.exp(min(50.0, -s * gap))):
            fees = [m.onboarding[p] for p in range(m.n_platforms)
                    if m.serves[p][self.category] and m.launch_day[p] <= max(m.day, 0)]
            if fees and self.savings >= min(fees):
                m.entering.append(self)

    def join_platform(self) -> None:
        """A worker without a platform for her category joins one, weighted by its filled tasks (+1)."""
        m = self.model
        c = self.category
        if c < 0 or any(m.serves[p][c] for p in self.platforms):
            return
        weights = [(m.last_filled[p][c] + 1.0) if m.serves[p][c] and m.launch_day[p] <= m.day else 0.0
                   for p in range(m.n_platforms)]
        total = sum(weights)
        if total <= 0:
            return
        p = _pick(weights, total, m.rng.random())
        self.platforms.append(p)
        self.platforms.sort()
        self.savings -= m.onboarding[p]

    def multihome(self) -> None:
        m = self.model
        if self.status != ACTIVE or self.category < 0 or m.n_platforms < 2:
            return
        if m.rng.random() >= m.config.behaviour.multihoming_rate:
            return
        options = [1.0 if m.serves[p][self.category] and p not in self.platforms and m.launch_day[p] <= m.day
                   else 0.0 for p in range(m.n_platforms)]
        if sum(options) == 0:
            return
        p = _pick(options, sum(options), m.rng.random())
        self.platforms.append(p)
        self.platforms.sort()
        self.savings -= m.onboarding[p]

    def health(self) -> None:
        m = self.model
        pop = m.config.population
        if self.status == ACTIVE and m.rng.random() < pop.health_event_rate:
            cost = m.rng.exponential(pop.health_event_cost)
            if not self.insured:
                self.savings -= cost


def _pick(weights, total, u) -> int:
    """Index drawn with probability proportional to `weights`."""
    x = u * total
    acc = 0.0
    for i, wgt in enumerate(weights):
        acc += wgt
        if x < acc:
            return i
    return len(weights) - 1


class PerAgentModel(Model):
    """The gigsim world, one Python object per agent, the day's phases via `AgentSet.shuffle_do`.

    The initial population (traits, platforms, networks) is drawn with gigsim's own set-up
    from the same seed, so both implementations start from the same world; the scenario's
    burn-in is skipped (both start at day 0 from the drawn world).
    """

    def __init__(self, scenario: Scenario, rng: int = 0):
        super().__init__(rng=rng)
        self.config = scenario
        scenario = scenario.with_overrides({"burn_in_days": 0})
        fast = GigEconomyModel(scenario, rng=rng, create_agents=False)
        self._fast = fast
        self.day = 0
        self.n_platforms, self.n_categories = fast.n_platforms, fast.n_categories
        self.category_names = fast.category_names
        self.local = fast.category_local.tolist()
        self.queue_days = fast.queue_days[:-1].tolist()  # days of work a worker may queue, per category
        self.base_price = fast.base_price.tolist()
        self.price_multiplier = fast.price_multiplier.tolist()
        self.pricing = fast.pricing.tolist()
        self.rule = fast.rule.tolist()
        self.rounds = [scenario.platforms[p].matching_rounds for p in fast.platform_names]
        self.applications_per_round = [scenario.platforms[p].applications_per_round for p in fast.platform_names]
        self.max_applications = max(self.applications_per_round)
        self.serves = fast.serves.tolist()
        self.launch_day = fast.launch_day.tolist()
        self.direct_rehire = [bool(x) for x in fast.direct_rehire]
        self.onboarding = [scenario.platforms[p].onboarding_cost for p in fast.platform_names]
        self.surge = fast.surge.tolist()
        self.last_filled = np.zeros((self.n_platforms, self.n_categories)).tolist()
        self.rows: list[dict] = []

        w = fast.workers
        self.worker_list: list[PAWorker] = []
        for i in range(w.n):
            a = PAWorker(self)
            a.index = i
            a.status, a.category, a.region = int(w.status[i]), int(w.category[i]), int(w.region[i])
            a.market_region = a.region if a.category >= 0 and self.local[a.category] else 0
            a.platforms = [int(p) for p in np.flatnonzero(w.member[i])]
            a.rating_sum = w.rating_sum[i].astype(float).tolist()
            a.rating_count = w.rating_count[i].astype(int).tolist()
            a.skill = w.skill[i].astype(float).tolist()
            for name in ("ask", "hours_base", "hours_available", "hours_offered", "backlog", "savings", "living_costs",
                         "other_income", "reservation_wage", "autonomy_value", "ema_net", "ema_logged"):
                setattr(a, name, float(getattr(w, name)[i]))
            a.asset_free_day = int(w.asset_free_day[i])
            a.full_time = bool(w.full_time[i])
            a.insured = bool(w.insured[i])
            a.week_applications = a.week_wins = a.month_tasks = 0
            a.week_logged = a.week_engaged = a.month_net = 0.0
            a.begin_day()
            self.worker_list.append(a)
        adj = fast.worker_network
        for a in self.worker_list:
            a.neighbours = [self.worker_list[j] for j in adj.indices[adj.indptr[a.index]:adj.indptr[a.index + 1]]]
        cl, s = fast.clients, fast.streams
        self.client_list = [PAClient(self, int(cl.region[i]), float(cl.wtp[i]), cl.platform[i].tolist())
                            for i in range(cl.region.size)]
        for k in range(s.client.size):
            client = self.client_list[s.client[k]]
            client.streams.append(Stream(client, int(s.category[k]), float(s.rate[k])))
        self.workers_set = self.agents_by_type[PAWorker]
        self.clients_set = self.agents_by_type[PAClient]

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        day = self.day
        self.params = self._fast.market_params(day)
        self.demanded = self.unserved = 0
        self.tasks: list[Task] = []
        self.workers_set.do("begin_day")
        self.clients_set.shuffle_do("post_tasks", drivers.demand_multipliers(self.config, day))
        direct = self._direct_hires()
        rounds = self._matching_rounds()
        referred = self._referrals()
        for t in self.tasks:
            if t.fate == OPEN:
                t.fate = UNFILLED
        pay = self._settle()
        self.workers_set.shuffle_do("step")
        if day % 7 == 6:
            self.workers_set.do("weekly")
        if day % 30 == 29:
            self._monthly()
        self.workers_set.shuffle_do("health")
        self._update_surge()
        self._record(day, direct, referred, rounds, pay)
        self.day += 1

    def _direct_hires(self) -> int:
        tied = [t for t in self.tasks if t.stream.favourite is not None and self.direct_rehire[t.category]]
        hires = 0
        for i in self.rng.permutation(len(tied)):
            t = tied[i]
            w, c = t.stream.favourite, t.category
            if w.status == ACTIVE and w.category == c and t.platform in w.platforms and w.can_take(c):
                w.take(t, DIRECT, self.params.pickup_hours[c])
                hires += 1
        return hires

    def _matching_rounds(self) -> int:
        used = 0
        for round_no in range(max(self.rounds)):
            self.open_by_market: dict[tuple, list[Task]] = {}
            for t in self.tasks:
                if t.fate == OPEN and self.rounds[t.platform] <= round_no:
                    t.fate = UNFILLED
                if t.fate == OPEN:
                    self.open_by_market.setdefault((t.platform, t.category, t.region), []).append(t)
            if not self.open_by_market:
                break
            self.workers_set.shuffle_do("apply")
            filled = 0
            won = set()
            for key in sorted(self.open_by_market):
                for t in self.open_by_market[key]:
                    if t.best is None:
                        continue
                    if t.best in won:  # she already took a task this round; this one stays open
                        t.best = None
                        continue
                    won.add(t.best)
                    c = t.category
                    pickup = self.params.pickup_hours[c]
                    if self.rule[t.platform] == NEAREST:
                        pickup *= 2.0 * t.best_u
                    t.best.take(t, FILLED, pickup)
                    t.best = None
                    filled += 1
            used = round_no + 1
            if filled == 0:
                break
        return used

    def _referrals(self) -> int:
        passed = 0
        for t in self.tasks:
            f = t.stream.favourite
            if t.fate != OPEN or f is None or not self.direct_rehire[t.category]:
                continue
            deg = len(f.neighbours)
            if deg == 0:
                continue
            start = min(int(self.rng.random() * deg), deg - 1)
            for step in range(min(deg, 20)):
                w = f.neighbours[(start + step) % deg]
                if w.status == ACTIVE and w.skill[t.category] >= SKILLED and w.can_take(t.category):
                    w.take(t, REFERRAL, self.params.pickup_hours[t.category])
                    passed += 1
                    break
        return passed

    def _settle(self) -> float:
        prm = self.params
        total_pay = 0.0
        filled = [[0.0] * self.n_categories for _ in range(self.n_platforms)]
        for t in self.tasks:
            if t.fate not in (FILLED, DIRECT, REFERRAL):
                continue
            w, c, p = t.worker, t.category, t.platform
            engaged = prm.task_hours[c] + t.pickup
            if self.pricing[p] == BIDS and t.fate != REFERRAL:
                price = w.ask * prm.base_price[c] * prm.price_multiplier[p]
            else:  # posted price; a referred deal is struck off the platform at the reference price
                price = t.price
            if t.fate == REFERRAL:
                pay = price
            else:
                share = (1.0 - prm.commission[p]) * price
                topup = max(0.0, prm.pay_floor * engaged - share) if prm.pay_floor > 0 else 0.0
                pay = share + topup
                quality = min(1.0, max(0.0, w.skill[c] + prm.rating_noise * self.rng.standard_normal()))
                rating = 1.0 + 4.0 * quality
                w.rating_sum[p] += rating
                w.rating_count[p] += 1
                s = t.stream
                if rating >= prm.rehire_rating:
                    if s.favourite is not w:
                        s.favourite, s.tie = w, 0
                    s.tie += 1
                elif rating < 3.0 and s.favourite is w:
                    s.favourite, s.tie = None, 0
                filled[p][c] += 1
            w.day_pay += pay
            w.day_costs += prm.cost_per_hour[c] * engaged
            w.day_task_hours += prm.task_hours[c]
            w.day_engaged += engaged
            w.day_tasks += 1
            total_pay += pay
        self.last_filled = filled
        return total_pay

    def _monthly(self) -> None:
        self.workers_set.do("close_books")
        self.workers_set.shuffle_do("availability_shock")
        sums, counts = [0.0] * self.n_categories, [0] * self.n_categories
        for w in self.worker_list:
            h = w.hourly()
            if w.status == ACTIVE and w.category >= 0 and not math.isnan(h):
                sums[w.category] += h
                counts[w.category] += 1
        by_category = [s / n if n else 0.0 for s, n in zip(sums, counts, strict=True)]
        self.leaving, self.entering = [], []
        self.workers_set.shuffle_do("decide_entry_exit", by_category)
        for w in self.leaving:
            w.status, w.platforms, w.backlog = LEFT, [], 0.0
        for w in self.entering:
            w.status, w.hours_offered, w.ema_net, w.ema_logged, w.ask = (ACTIVE, w.hours_available, 0.0, 0.0,
                                                                         1.0)
        self.workers_set.shuffle_do("multihome")
        for w in self.worker_list:
            if w.status == ACTIVE:
                w.join_platform()

    def _update_surge(self) -> None:
        posted, filled = {}, {}
        for t in self.tasks:
            key = (t.platform, t.category, t.region)
            posted[key] = posted.get(key, 0) + 1
            if t.fate in (FILLED, DIRECT, REFERRAL):
                filled[key] = filled.get(key, 0) + 1
        for p, name in enumerate(self._fast.platform_names):
            if self.pricing[p] != SURGE:
                continue
            spec = self.config.platforms[name]
            for c in range(self.n_categories):
                for r in range(len(self.surge[p][c])):
                    n_posted, n_filled = posted.get((p, c, r), 0), filled.get((p, c, r), 0)
                    ratio = n_posted / n_filled if n_filled else (2.0 if n_posted else 1.0)
                    self.surge[p][c][r] = min(max(1.0 + spec.surge_sensitivity * (ratio - 1.0), 1.0),
                                              spec.surge_cap)

    def _record(self, day, direct, referred, rounds, pay) -> None:
        n_filled = sum(1 for t in self.tasks if t.fate in (FILLED, DIRECT, REFERRAL))
        n_unfilled = sum(1 for t in self.tasks if t.fate == UNFILLED)
        active = [w for w in self.worker_list if w.status == ACTIVE]
        logged = sum(w.hours_offered for w in active)
        task_hours = sum(w.day_task_hours for w in self.worker_list)
        hourly = [w.ema_net / w.ema_logged for w in active if w.ema_logged > MIN_LOGGED]
        self.rows.append({
            "day": day, "active_workers": len(active), "tasks_posted": len(self.tasks), "tasks_filled": n_filled,
            "tasks_unfilled": n_unfilled, "direct_hires": direct, "referral_tasks": referred,
            "matching_rounds": rounds, "worker_pay": pay, "logged_hours": logged, "task_hours": task_hours,
            "utilisation": task_hours / logged if logged > 0 else 0.0,
            "fill_rate": n_filled / (n_filled + n_unfilled) if n_filled + n_unfilled else 1.0,
            "median_net_hourly_earnings": float(np.median(hourly)) if hourly else math.nan,
        })

    def run(self, days: int) -> list[dict]:
        for _ in range(days):
            self.step()
        return self.rows
