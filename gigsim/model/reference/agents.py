"""The per-agent reference implementation's agents: every worker and client a Mesa agent holding its
state as Python attributes, and the day's tasks as Python objects (see gigsim.model.reference)."""

from __future__ import annotations

import math

from mesa import Agent

from gigsim.model.metrics import MIN_LOGGED_HOURS as MIN_LOGGED
from gigsim.model.reference import freelance, pandemic, supply
from gigsim.model.state import ACTIVE, LEFT, OUT, PAUSED
from gigsim.model.vocabulary import Fate, Matching, Pricing

# the vocabulary's codes under short local names (module globals: the loops below read them often)
OPEN, FILLED, DIRECT, REFERRAL, UNFILLED = Fate.OPEN, Fate.FILLED, Fate.DIRECT, Fate.REFERRAL, Fate.UNFILLED
AUTOMATED = Fate.AUTOMATED
NEAREST, REPUTATION, CHEAPEST = Matching.NEAREST, Matching.REPUTATION, Matching.CHEAPEST
BIDS, SURGE = Pricing.BIDS, Pricing.SURGE


class Task:
    """One posted task and, while matching runs, its best applicant so far."""

    __slots__ = ("stream", "client", "category", "platform", "region", "price", "wtp", "fate", "worker",
                 "pickup", "hours", "best", "best_key", "best_u", "settled_price", "share", "paid",
                 "employee_task")

    def __init__(self, stream, client, category, platform, region, price, wtp):
        self.stream, self.client, self.category, self.platform = stream, client, category, platform
        self.region, self.price, self.wtp = region, price, wtp
        self.fate, self.worker, self.pickup, self.hours = OPEN, None, 0.0, 0.0
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
        self.ai_adoption = 0.0  # propensity to consider AI for a task within its reach (set by the model)
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
                price = m.base_price[c] * m.price_multiplier[p] * (1.0 if m.pricing[p] == BIDS else m.surge[p][c][region])
                wtp = m.base_price[c] * self.wtp * m.budget_median * math.exp(m.budget_dispersion * rng.standard_normal())
                if freelance.posts(m, p, price, wtp):
                    m.tasks.append(Task(s, self, c, p, region, price, wtp))
                elif m.base_price[c] * m.price_multiplier[p] <= wtp:  # the surge priced this request out
                    m.surged_out[p, c, region] = m.surged_out.get((p, c, region), 0) + 1


class PAWorker(Agent):
    """A worker: her state as attributes; each phase of the day is a method."""

    def can_take(self, c: int) -> bool:
        m = self.model
        if self.hours_left <= 0.0:
            return False
        if not self.fresh and self.hours_left < freelance.task_hours(m, self, c):
            return False
        return not (m.params.asset_days[c] > 0 and min(self.listing_free_days) > m.day)

    def free_listings(self, c: int) -> int:
        """Her listings free today, each seen by guests (1 outside categories that rent out an asset)."""
        m = self.model
        if m.params.asset_days[c] <= 0:
            return 1
        return sum(1 for d in self.listing_free_days if d <= m.day)

    def take(self, task: Task, fate: int, pickup: float) -> None:
        m = self.model
        c = task.category
        task.fate, task.worker, task.pickup = fate, self, pickup
        task.hours = freelance.task_hours(m, self, c)
        self.hours_left -= task.hours + pickup
        self.fresh = False
        if m.params.asset_days[c] > 0:  # the listing free earliest is booked for the stay's nights
            first = min(range(len(self.listing_free_days)), key=self.listing_free_days.__getitem__)
            self.listing_free_days[first] = m.day + m.params.asset_days[c]
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
        listings = self.free_listings(c)  # a host sends an application per free listing
        for a in range(m.max_applications * listings):
            u0, u1 = m.rng.random(2).tolist()  # Python floats: the same values, cheaper arithmetic
            j = min(int(u0 * total), total - 1)
            for x in lists:
                if j < len(x):
                    task = x[j]
                    break
                j -= len(x)
            p = task.platform
            if a >= m.applications_per_round[p] * listings:
                continue
            self.applications += 1
            rule = m.rule[p]
            score = 0.0
            if rule == REPUTATION:
                count = self.rating_count[p]
                prior = m.params.prior_weight[p]
                score = (m.params.prior_mean[p] * prior + self.rating_sum[p]) / (prior + count)
                if count < m.params.newcomer_tasks[p]:
                    score += m.params.newcomer_boost[p]
            surplus = 0.0
            if m.pricing[p] == BIDS:
                # the client's budget buys a worker rated at the prior mean; a worker rated `score` is worth
                # budget × score / prior mean where the platform ranks by reputation, the budget elsewhere
                worth = task.wtp * score / m.params.prior_mean[p] if rule == REPUTATION else task.wtp
                bid = freelance.bid(m, self, c, p, freelance.task_hours(m, self, c))
                surplus = worth - bid if bid <= task.wtp else -1.0  # the budget is also the most it can spend
                if surplus < 0.0:
                    continue  # not worth her asking price to this client
            if rule == REPUTATION:
                key = (-surplus if m.pricing[p] == BIDS else -score) + 1e-6 * u1
            elif rule == CHEAPEST and m.pricing[p] == BIDS:
                key = bid + 1e-6 * u1
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
        # a host is paid for her room's nights: her logged-in hours are the hours she works for her guests
        rents = self.category >= 0 and self.model.params.asset_days[self.category] > 0
        logged = self.day_engaged if active and rents else offered
        if active:
            days = self.model.trailing_days
            self.ema_net = self.ema_net * (1 - 1 / days) + net / days
            self.ema_logged = self.ema_logged * (1 - 1 / days) + logged / days
        self.savings += net
        self.month_net += net
        self.month_tasks += self.day_tasks
        self.week_logged += logged
        self.week_engaged += self.day_engaged
        self.week_applications += self.applications
        self.week_wins += self.wins

    def weekly(self) -> None:
        """Hours offered follow what a gig hour is worth against her outside option (Frisch elasticity below it,
        all her hours when in debt); on a bids platform her ask follows her own utilisation against the target."""
        b = self.model.config.behaviour
        ls = self.model.config.labour_supply
        supply.weekly_hours(self)
        if self.status == ACTIVE:
            if self.week_logged > 0 and any(self.model.pricing[p] == BIDS for p in self.platforms):
                u, goal = self.week_engaged / self.week_logged, ls.ask_target_utilisation
                step = min(max((u - goal) / max(goal, 1 - goal, 1e-9), -1.0), 1.0)
                self.ask = min(max(self.ask * (1 + b.ask_adjustment * step), 0.4), 3.0)
        self.week_applications = self.week_wins = 0
        self.week_logged = self.week_engaged = 0.0

    def hourly(self) -> float:
        return self.ema_net / self.ema_logged if self.ema_logged > MIN_LOGGED else math.nan

    def close_books(self) -> None:
        """Other income × this month's factor − living costs, plus a full-timer's outside-job pay while she is out of
        gig work."""
        job = self.model.config.household.outside_job and self.full_time and self.status in (OUT, LEFT)
        if supply.in_pool(self, self.model.day):
            self.savings += self.other_income * self.income_factor - self.living_costs + (
                self.reservation_wage * self.hours_base * 30 if job else 0.0) - supply.month_cost(self) + (
                pandemic.unemployment_income_per_agent(self.model, self))
        self.month_net = 0.0
        self.month_tasks = 0

    def availability_shock(self) -> None:
        """This month's hours: usual hours × lognormal(mean 1) shock (gigsim.model.reference.supply)."""
        supply.monthly_hours(self)

    def decide_entry_exit(self, by_category) -> None:
        """Enter or leave on expected hourly earnings + autonomy value vs the reservation wage."""
        m = self.model
        b = m.config.behaviour
        supply.learn_match(self)  # before her own decision: it reads only her own status
        expected = supply.expected_hourly(self, by_category)
        value = expected + self.autonomy_value - pandemic.outside_premium_per_agent(m, self, expected)
        gap = supply.usual_gap(self, value)
        u = m.rng.random()
        s = b.decision_sensitivity
        if self.status in (ACTIVE, PAUSED):  # a worker taking the month off may leave for good
            broke = self.savings < -m.config.household.credit_limit_months * self.living_costs
            on_none = not any(m.serves[p][self.category] for p in self.platforms)
            stranded = self.status == ACTIVE and on_none and not any(
                m.serves[p][self.category] and m.launch_day[p] <= max(m.day, 0) and m.accepting[p]
                for p in range(m.n_platforms))
            leave_gap = supply.exit_gap(self, value, gap)
            if u < b.random_exit_rate + b.exit_rate / (1 + math.exp(min(50.0, s * leave_gap))) or broke or stranded:
                m.leaving.append(self)
        elif (self.status in (OUT, LEFT) and self.category >= 0 and supply.in_pool(self, m.day)
              and u < b.entry_rate / (1 + math.exp(min(50.0, -s * supply.entry_gap(self, value, gap))))):
            fees = [m.onboarding[p] for p in range(m.n_platforms)
                    if m.serves[p][self.category] and m.launch_day[p] <= max(m.day, 0) and m.accepting[p]]
            if fees and self.savings >= min(fees):
                m.entering.append(self)

    def join_platform(self) -> None:
        """A worker without a platform for her category joins one, weighted by its filled tasks (+1)."""
        m = self.model
        c = self.category
        if c < 0 or any(m.serves[p][c] for p in self.platforms):
            return
        weights = [(m.last_filled[p][c] + 1.0) if m.serves[p][c] and m.launch_day[p] <= m.day and m.accepting[p]
                   else 0.0 for p in range(m.n_platforms)]
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
                   and m.accepting[p] else 0.0 for p in range(m.n_platforms)]
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
