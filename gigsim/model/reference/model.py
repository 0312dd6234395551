"""The per-agent reference model: the gigsim world, one Python object per agent (see gigsim.model.reference)."""

from __future__ import annotations

import math

import numpy as np
from mesa import Model

from gigsim.model import drivers
from gigsim.model.decisions import SKILLED
from gigsim.model.kernels.matching import density_pickup
from gigsim.model.model import GigEconomyModel
from gigsim.model.reference import automation, freelance, pandemic, supply
from gigsim.model.reference.agents import (
    AUTOMATED,
    BIDS,
    DIRECT,
    FILLED,
    MIN_LOGGED,
    NEAREST,
    OPEN,
    REFERRAL,
    SURGE,
    UNFILLED,
    PAClient,
    PAWorker,
    Stream,
    Task,
)
from gigsim.model.reference.policies import ReferencePolicies
from gigsim.model.state import ACTIVE, LEFT
from gigsim.scenario import Scenario


class PerAgentModel(Model):
    """The gigsim world, one Python object per agent, the day's phases via `AgentSet.shuffle_do`.

    The initial population (traits, platforms, networks) is drawn with gigsim's own set-up
    from the same seed, so both implementations start from the same world; the scenario's
    burn-in is skipped (both start at day 0 from the drawn world).
    """

    def __init__(self, scenario: Scenario, rng: int = 0):
        super().__init__(rng=rng)
        self.config = scenario
        self.rules = scenario.rules
        self.budget_median = scenario.rules.clients.budget_median
        self.budget_dispersion = scenario.rules.clients.budget_dispersion
        self.trailing_days = scenario.rules.workers.trailing_days
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
        self.market_pay_log: list[tuple[int, list[float]]] = []  # (day, category means) at each monthly round
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
            supply.init_worker(a, w, i)
            a.listing_free_days = w.room_free_day[w.room_start[i]:w.room_start[i + 1]].astype(int).tolist()
            a.listing_price = float(w.listing_price[i])
            a.listing_type = int(w.listing_type[i])
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
        for client, adoption in zip(self.client_list, cl.ai_adoption.tolist(), strict=True):
            client.ai_adoption = adoption
        for k in range(s.client.size):
            client = self.client_list[s.client[k]]
            client.streams.append(Stream(client, int(s.category[k]), float(s.rate[k])))
        self.workers_set = self.agents_by_type[PAWorker]
        self.clients_set = self.agents_by_type[PAClient]
        self.accepting = [True] * self.n_platforms  # platforms taking new workers (policies' onboarding pause)
        self.policies = ReferencePolicies(self)

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        day = self.day
        self.params = self._fast.market_params(day)
        self.demanded = self.unserved = 0
        self.surged_out: dict[tuple[int, int, int], int] = {}  # requests today's surge priced out, per market
        self.tasks: list[Task] = []
        self.policies.before_day()
        self.workers_set.do("begin_day")
        self.clients_set.shuffle_do("post_tasks", drivers.demand_multipliers(self.config, day))
        self.automated = automation.automate(self)
        direct = self._direct_hires()
        rounds = self._matching_rounds()
        referred = self._referrals()
        for t in self.tasks:
            if t.fate == OPEN:
                t.fate = UNFILLED
        pay = self._settle()
        self.policies.after_settle()
        self.workers_set.shuffle_do("step")
        if day % 7 == 6:
            self.week_means = pandemic.category_means(self)  # the hearsay a week at home reads (supply.weekly_hours)
            self.workers_set.do("weekly")
        if day % 30 == 29:
            self._monthly()
        self.workers_set.shuffle_do("health")
        self.policies.end_of_day()
        self._update_surge()
        self._record(day, direct, referred, rounds, pay)
        self.day += 1

    def _direct_hires(self) -> int:
        tied = [t for t in self.tasks
                if t.fate == OPEN and t.stream.favourite is not None and self.direct_rehire[t.category]]
        hires = 0
        for i in self.rng.permutation(len(tied)):
            t = tied[i]
            w, c = t.stream.favourite, t.category
            if (w.status == ACTIVE and w.category == c and t.platform in w.platforms and w.can_take(c)
                    and freelance.rehire_within_budget(self, w, t, freelance.task_hours(self, w, c))):
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
            mean_pickup = self._market_pickups()
            self.workers_set.shuffle_do("apply")
            filled = 0
            won = set()
            for key in sorted(self.open_by_market):
                for t in self.open_by_market[key]:
                    if t.best is None:
                        continue
                    c = t.category
                    if t.best in won and not (self.params.asset_days[c] > 0 and t.best.can_take(c)):
                        t.best = None  # she already took a task this round (a host: no free listing); it stays open
                        continue
                    won.add(t.best)
                    pickup = mean_pickup.get(key, self.params.pickup_hours[c])
                    if self.rule[t.platform] == NEAREST:
                        pickup *= 2.0 * t.best_u
                    t.best.take(t, FILLED, pickup)
                    t.best = None
                    filled += 1
            used = round_no + 1
            if filled == 0:
                break
        return used

    def _market_pickups(self) -> dict[tuple, float]:
        """Each open market's mean pickup hours this round (docs/model.md 7.5, "Pickup and the density of idle
        drivers"), where its category sets `pickup_max_hours`: the hours left of the drivers who can take one of
        its requests (active, of its category and region, on its platform, with the hours) over its open requests."""
        prm = self.params
        supply = dict.fromkeys(self.open_by_market, 0.0)
        for w in self.workers_set:
            c = w.category
            if w.status != ACTIVE or c < 0 or prm.pickup_max[c] <= 0.0 or not w.can_take(c):
                continue
            for p in w.platforms:
                if (p, c, w.market_region) in supply:
                    supply[(p, c, w.market_region)] += w.hours_left
        return {key: density_pickup(prm.pickup_hours[key[1]], prm.pickup_max[key[1]], prm.task_hours[key[1]],
                                    supply[key], len(tasks))
                for key, tasks in self.open_by_market.items() if prm.pickup_max[key[1]] > 0.0}

    def _referrals(self) -> int:
        passed = 0
        for t in self.tasks:
            f = t.stream.favourite
            if t.fate != OPEN or f is None or not self.direct_rehire[t.category] or t.price > t.wtp:
                continue
            deg = len(f.neighbours)
            if deg == 0:
                continue
            start = min(int(self.rng.random() * deg), deg - 1)
            for step in range(min(deg, self.rules.market.referral_tries)):
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
            engaged = t.hours + t.pickup
            if self.pricing[p] == BIDS and t.fate != REFERRAL:
                price = freelance.bid(self, w, c, p, t.hours)
            else:  # posted price; a referred deal is struck off the platform at the reference price
                price = t.price
                if prm.asset_days[c] > 0:  # a stay is paid at her listing's price (7.9)
                    price *= w.listing_price
                    t.price = price
            if t.fate == REFERRAL:
                pay = price
            else:
                share = (1.0 - prm.commission[p]) * price
                topup = max(0.0, prm.pay_floor * engaged - share) if prm.pay_floor > 0 else 0.0
                pay = share + topup
                t.settled_price, t.share = price, pay  # what the policies' top-ups start from
                quality = min(1.0, max(0.0, w.skill[c] + prm.rating_noise * self.rng.standard_normal()))
                rating = 1.0 + 4.0 * quality
                w.rating_sum[p] += rating
                w.rating_count[p] += 1
                s = t.stream
                if rating >= prm.rehire_rating:
                    if s.favourite is not w:
                        s.favourite, s.tie = w, 0
                    s.tie += 1
                elif rating < self.rules.market.tie_break_rating and s.favourite is w:
                    s.favourite, s.tie = None, 0
                filled[p][c] += 1
            w.day_pay += pay
            w.day_costs += prm.cost_per_hour[c] * engaged
            w.day_task_hours += t.hours
            w.day_engaged += engaged
            w.day_tasks += 1
            total_pay += pay
        self.last_filled = filled
        return total_pay

    def _monthly(self) -> None:
        self.workers_set.do("close_books")
        self.workers_set.shuffle_do("availability_shock")
        supply.renew_pool(self)
        sums, counts = [0.0] * self.n_categories, [0] * self.n_categories
        for w in self.worker_list:
            h = w.hourly()
            if w.status == ACTIVE and w.category >= 0 and not math.isnan(h):
                sums[w.category] += h
                counts[w.category] += 1
        by_category = [s / n if n else 0.0 for s, n in zip(sums, counts, strict=True)]
        self.leaving, self.entering = [], []
        for w in self.worker_list:
            supply.draw_income(w)
        self.logged_by_category = supply.category_logged_means(self)  # hosts' hours without a record (room rent)
        self.market_pay_log.append((self.day, list(by_category)))  # what returners compare with (supply)
        self.workers_set.shuffle_do("decide_entry_exit", by_category)
        for w in self.leaving:
            w.status, w.platforms, w.backlog, w.left_on = LEFT, [], 0.0, self.day
        for w in self.entering:
            w.status_before, w.entered_on = w.status, self.day
            w.status, w.hours_offered, w.ask = ACTIVE, w.hours_available, 1.0
            supply.start_afresh(w)
        self.logged_by_category = supply.category_logged_means(self)  # after entry and exit, before anyone pauses
        for w in self.worker_list:
            supply.month_off(w, by_category)
        self.workers_set.shuffle_do("multihome")
        for w in self.worker_list:
            if w.status == ACTIVE:
                w.join_platform()

    def _update_surge(self) -> None:
        """Per surge market: ((n − z√n) / capacity) ** sensitivity in [1, cap], n = tasks offered to people + those
        the surge priced out, capacity = filled + idle members' tasks left (no memory of past surges)."""
        requests, filled, idle = dict(self.surged_out), {}, {}
        for t in self.tasks:
            if t.fate == AUTOMATED:  # surge reads the tasks offered to people
                continue
            key = (t.platform, t.category, t.region)
            requests[key] = requests.get(key, 0) + 1
            if t.fate in (FILLED, DIRECT, REFERRAL):
                filled[key] = filled.get(key, 0) + 1
        for w in self.worker_list:
            if w.status != ACTIVE or w.category < 0:
                continue
            region = w.region if self.local[w.category] else 0
            for p in w.platforms:
                key = (p, w.category, region)
                idle[key] = idle.get(key, 0.0) + w.hours_left / self.params.task_hours[w.category]
        for p, name in enumerate(self._fast.platform_names):
            if self.pricing[p] != SURGE:
                continue
            spec = self.config.platforms[name]
            for c in range(self.n_categories):
                for r in range(len(self.surge[p][c])):
                    n = requests.get((p, c, r), 0)
                    n_requests = max(n - self.config.rules.market.surge_signal_z * math.sqrt(n), 0.0)
                    capacity = filled.get((p, c, r), 0) + idle.get((p, c, r), 0.0)
                    ratio = n_requests / capacity if capacity > 0 else (math.inf if n_requests else 1.0)
                    self.surge[p][c][r] = min(max(_power(ratio, spec.surge_sensitivity), 1.0), spec.surge_cap)

    def _record(self, day, direct, referred, rounds, pay) -> None:
        n_filled = sum(1 for t in self.tasks if t.fate in (FILLED, DIRECT, REFERRAL))
        n_unfilled = sum(1 for t in self.tasks if t.fate == UNFILLED)
        active = [w for w in self.worker_list if w.status == ACTIVE]
        logged = sum(w.hours_offered for w in active)
        task_hours = sum(w.day_task_hours for w in self.worker_list)
        hourly = [w.ema_net / w.ema_logged for w in active if w.ema_logged > MIN_LOGGED]
        self.rows.append({
            "day": day, "active_workers": len(active), "tasks_posted": len(self.tasks), "tasks_filled": n_filled,
            "tasks_automated": self.automated,
            "tasks_unfilled": n_unfilled, "direct_hires": direct, "referral_tasks": referred,
            "matching_rounds": rounds, "worker_pay": pay, "logged_hours": logged, "task_hours": task_hours,
            "utilisation": task_hours / logged if logged > 0 else 0.0,
            "fill_rate": n_filled / (n_filled + n_unfilled) if n_filled + n_unfilled else 1.0,
            "median_net_hourly_earnings": float(np.median(hourly)) if hourly else math.nan,
            "pay_floor_topups": self.policies.topups_today, "benefit_payouts": self.policies.deposits_today,
        })

    def run(self, days: int) -> list[dict]:
        for _ in range(days):
            self.step()
        return self.rows


def _power(ratio: float, exponent: float) -> float:
    """ratio ** exponent, +inf where it is beyond the float range (Python raises there; numpy gives inf)."""
    try:
        return ratio ** exponent
    except OverflowError:
        return math.inf
