"""The per-agent reference of the policies as enacted (docs/model.md 7.16; fast path: gigsim.model.policies).

Written one worker and one trip at a time, the obvious way, for tests/test_oracle.py:
- pay standards (NYC 2019, Seattle 2024): each covered trip a contractor did is topped up to its minimum —
  NYC: (per-minute × trip minutes + per-mile × trip miles) / last month's utilisation of the sector (or the
  platform); Seattle: the greater of per-minute × engaged minutes + per-mile × engaged miles and per offer;
- the platforms' responses, at each month's end from last month's totals: a log-in cap (found by bisection)
  at which the hours drivers would log in add up to the passenger hours asked / target utilisation, then
  scaled by utilisation / target and dropped above every driver's available hours; prices = nominal × (1 +
  uplift / bookings at nominal prices), bounded; a platform with a dated pause (New York's, April 2019) takes
  new drivers from its date only while they number fewer than at its pause × demand now / then, any other
  stops while top-ups exceed a share of bookings; no active worker left without a platform;
- a vehicle licence cap: entrants of the categories beyond their active workers at the cap's first round are
  turned away (today's entrants, drawn at random; the onboarding fee back);
- the pandemic levers: on a lever's start day the claims open and the workers it touches take the exit decision
  at once (gigsim.model.reference.pandemic, which the hours, entry/exit, month-off and budget rules also read);
- the minimum on asks (Horton): each day a covered worker's ask is raised to the multiple at which her task
  is priced at the hourly minimum per engaged hour;
- employment: each month the employer prices at nominal × (commission + labour cost / nominal bookings), between
  nominal and its upper bound, then, region by region and weekday by weekday, keeps its best-rated members until
  their shifts cover the newsvendor quantile of the last 28 days' engaged hours asked on that weekday, mean + z ×
  sd (sd pooled over weekdays, × √(weekday mean / mean)) with z the normal quantile at 1 − (wage × (1 + employer
  costs)) / (a fare's margin per engaged hour); the wage then moves by (hours needed / hours scheduled)^(1/ε),
  never below the statutory wage; employees log in today's schedule, are paid wage × those hours plus their
  costs, their trips' pay goes to the employer; without `surge` the employers' surge is held at 1;
- retirement accounts: quarterly portable deposits of a share of a contractor's quarter pay on a platform
  (when it reaches the threshold), employers' deposits of a share of wages, a monthly return;
- portable ratings: a platform joined with no ratings on it receives carry_over × her record elsewhere.
"""

from __future__ import annotations

import math
import statistics
from collections import deque

from gigsim.model.policies.login_limits import water_fill_cap_per_agent
from gigsim.model.policies.portable_ratings import carried_record_per_agent
from gigsim.model.policies.retirement import QUARTER_DAYS, portable_deposit_per_agent
from gigsim.model.reference import pandemic, supply
from gigsim.model.reference.agents import AUTOMATED, DIRECT, FILLED
from gigsim.model.state import ACTIVE, LEFT

STANDARDS = ("nyc_pay_standard", "seattle_pay_standard")
KEYS = ("posted_hours", "posted_engaged", "passenger_hours", "logged_hours", "bookings", "bookings_nominal",
        "uplift", "topups", "labour_cost", "employer_bookings_nominal")
INF = math.inf


class ReferencePolicies:
    """The policies' state and rules for a PerAgentModel `m` (hooks: before_day, after_settle, end_of_day)."""

    def __init__(self, m):
        self.m = m
        pol = m.config.policy
        names = STANDARDS + ("retirement", "portable_ratings", "employment", "minimum_ask", "vehicle_licence_cap",
                             "unemployment_assistance", "infection_risk")
        self.enabled = any(getattr(pol, k).enabled for k in names)
        self.cats = {k: [m.category_names.index(c) for c in getattr(pol, k).categories if c in m.category_names]
                     for k in STANDARDS}
        self.nominal = list(m.price_multiplier)
        self.caps = [INF] * m.n_platforms
        self.acc, self.month = self._zeros(), self._zeros()
        self.days = self.month_days = 0
        self.topups_today = self.deposits_today = 0.0
        self.paused_at: dict[int, tuple[int, float]] = {}
        self.licences: int | None = None
        for w in m.worker_list:
            w.desired = w.hours_offered
            w.login_days = w.login_days_capped = 0
            w.balance = w.contributed = w.pay_total = 0.0
            w.quarter_pay = [0.0] * m.n_platforms
            w.member_before = set()
            w.employer_of, w.schedule, w.wage_today = -1, [0.0] * 7, 0.0
        self.demand_days = deque(maxlen=28)  # employment: (weekday, {(platform, region): [engaged, fares, nominal, costs]})
        self.wage = m.config.policy.employment.hourly_wage  # employment: the employers' wage per scheduled hour

    def _zeros(self):
        return {k: [[0.0] * self.m.n_categories for _ in range(self.m.n_platforms)] for k in KEYS}

    def on(self, name: str) -> bool:
        lever = getattr(self.m.config.policy, name)
        return lever.enabled and self.m.day >= lever.start

    def standards(self):
        return [(k, getattr(self.m.config.policy, k)) for k in STANDARDS if getattr(self.m.config.policy, k).enabled]

    # ------------------------------------------------------------------ start of the day

    def before_day(self) -> None:
        """Caps cut today's logged-in hours; asks rise to the minimum; employees log in their schedules."""
        if not self.enabled:
            return
        m = self.m
        for w in m.worker_list:
            w.desired = w.hours_offered
        for key, _lever in self.standards():
            if self.on(key):
                for w in m.worker_list:
                    self._cap_worker(w, self.cats[key])
        if self.on("minimum_ask"):
            for w in m.worker_list:
                self._raise_ask(w, m.config.policy.minimum_ask)
        if self.on("employment"):
            for w in m.worker_list:
                if self._employee(w):
                    w.hours_offered = w.schedule[m.day % 7]
            for p in self._employers() if not m.config.policy.employment.surge else ():
                m.surge[p] = [[1.0] * len(row) for row in m.surge[p]]

    def _cap_worker(self, w, cats) -> None:
        """A driver all of whose platforms in the category cap logs in at most the highest cap; count her day."""
        if w.status != ACTIVE or w.category not in cats:
            return
        mine = [self.caps[p] for p in w.platforms if self.m.serves[p][w.category]]
        cap = max(mine) if mine else INF
        if cap < INF:
            w.hours_offered = min(w.hours_offered, cap)
        w.login_days += 1
        if cap < INF and w.desired >= cap - 1e-6:
            w.login_days_capped += 1

    def _raise_ask(self, w, lever) -> None:
        """The ask at which her category's task is priced at `hourly` per engaged hour on a covered platform."""
        m = self.m
        c = w.category
        if w.status != ACTIVE or c < 0 or m.category_names[c] not in lever.categories:
            return
        prm = m.params
        for p in w.platforms:
            if m._fast.platform_names[p] in lever.platforms:
                need = lever.hourly * (prm.task_hours[c] + prm.pickup_hours[c]) / max(
                    prm.base_price[c] * m.price_multiplier[p], 1e-9)
                w.ask = max(w.ask, need)

    def _employee(self, w) -> bool:
        return w.employer_of >= 0 and w.status == ACTIVE and w.employer_of in w.platforms

    # ------------------------------------------------------------------ after settlement

    def after_settle(self) -> None:
        """Employees' pay, the month's hours and bookings, top-ups to the standards, retirement-eligible pay."""
        m = self.m
        self.topups_today = self.deposits_today = 0.0  # the day's top-ups; benefit payouts (employers', deposits)
        if not self.enabled:
            return
        pol = m.config.policy
        prm = m.params
        done = [t for t in m.tasks if t.fate in (FILLED, DIRECT)]
        employment = self.on("employment")
        employers = self._employers() if employment else set()
        if self.standards() or pol.employment.enabled:
            self._accumulate_hours()
        if pol.employment.enabled:
            self._accumulate_demand()
        for t in done:
            t.employee_task = employment and t.worker.employer_of == t.platform
            t.paid = 0.0 if t.employee_task else t.share
            if employment and t.platform in employers:
                self.acc["employer_bookings_nominal"][t.platform][t.category] += self._nominal_price(t)
        if employment:
            self._pay_employees(done, pol.employment)
        for key, lever in self.standards():
            if not self.on(key):
                continue
            for t in done:
                if t.employee_task or t.category not in self.cats[key]:
                    continue
                p, c = t.platform, t.category
                floor = self._floor(key, lever, t)
                topup = max(floor - t.paid, 0.0)
                uplift = max(floor - (1.0 - prm.commission[p]) * self._nominal_price(t), 0.0)
                for name, value in (("bookings", t.settled_price), ("topups", topup), ("uplift", uplift),
                                    ("bookings_nominal", self._nominal_price(t))):
                    self.acc[name][p][c] += value
                t.worker.day_pay += topup
                t.paid += topup
                self.topups_today += topup
        if self.on("retirement"):
            for t in done:
                t.worker.quarter_pay[t.platform] += t.paid
            for w in m.worker_list:
                if w.wage_today > 0:
                    deposit = pol.retirement.employer_rate * w.wage_today
                    w.balance += deposit
                    w.contributed += deposit
                    self.deposits_today += deposit

    def _nominal_price(self, t) -> float:
        return t.settled_price * self.nominal[t.platform] / self.m.price_multiplier[t.platform]

    def _floor(self, key, lever, t) -> float:
        """The trip's minimum: NYC's utilisation-adjusted rates on trip time, or Seattle's on engaged time."""
        prm = self.m.params
        per_hour = lever.per_minute * 60.0 + lever.per_mile * lever.miles_per_hour
        if key == "nyc_pay_standard":
            return per_hour * prm.task_hours[t.category] / max(self._utilisation(lever.utilisation, t), 1e-9)
        return max(per_hour * (prm.task_hours[t.category] + t.pickup), lever.per_offer)

    def _utilisation(self, basis: str, t) -> float:
        """Passenger / logged-in hours of last month (this month so far before the first), sector or platform."""
        source = self.month if self.month_days else self.acc
        c = t.category
        rows = range(self.m.n_platforms) if basis == "sector" else [t.platform]
        passenger = sum(source["passenger_hours"][p][c] for p in rows)
        logged = sum(source["logged_hours"][p][c] for p in rows)
        return passenger / logged if logged > 0 else 1.0

    def _accumulate_hours(self) -> None:
        """Hours asked for (tasks posted to people), passenger hours (trips filled on the platform), and each
        active worker's logged-in hours shared equally among her platforms serving her category."""
        m, prm = self.m, self.m.params
        for t in m.tasks:
            if t.fate == AUTOMATED:  # not asked of people
                continue
            self.acc["posted_hours"][t.platform][t.category] += prm.task_hours[t.category]
            self.acc["posted_engaged"][t.platform][t.category] += prm.task_hours[t.category] + prm.pickup_hours[
                t.category]
            if t.fate in (FILLED, DIRECT):
                self.acc["passenger_hours"][t.platform][t.category] += prm.task_hours[t.category]
        for w in m.worker_list:
            if w.status != ACTIVE or w.category < 0:
                continue
            mine = [p for p in w.platforms if m.serves[p][w.category]]
            for p in mine:
                self.acc["logged_hours"][p][w.category] += w.hours_offered / len(mine)
        self.days += 1

    def _accumulate_demand(self) -> None:
        """Today's rides asked of people, per (platform, region): engaged hours, fares, nominal prices, costs."""
        m, prm = self.m, self.m.params
        day = {}
        for t in m.tasks:
            if t.fate == AUTOMATED:
                continue
            engaged = prm.task_hours[t.category] + prm.pickup_hours[t.category]
            row = day.setdefault((t.platform, t.region), [0.0, 0, 0.0, 0.0])
            row[0] += engaged
            row[1] += 1
            row[2] += t.price * self.nominal[t.platform] / m.price_multiplier[t.platform]  # posted, surge included
            row[3] += prm.cost_per_hour[t.category] * engaged
        self.demand_days.append((m.day % 7, day))

    def _needed(self, lever, p: int, region: int) -> list[float]:
        """Hours employer p schedules in a region on each weekday: the newsvendor quantile of that weekday's
        engaged hours (one plan for all days without `weekday_schedules`)."""
        rows = [day.get((p, region), [0.0, 0, 0.0, 0.0]) for _, day in self.demand_days]
        wd = [d if lever.weekday_schedules else 0 for d, _ in self.demand_days]
        daily = [r[0] for r in rows]
        fares = sum(r[1] for r in rows)
        if fares == 0:
            return [0.0] * 7
        engaged = sum(daily)
        price = sum(r[2] for r in rows) / fares * self.m.price_multiplier[p] / self.nominal[p]
        refunded = sum(r[3] for r in rows) / fares if lever.reimburse_expenses else 0.0
        value = (price - refunded) / (engaged / fares)
        cost = self.wage * (1.0 + lever.employer_cost_share)
        if value <= 0 or cost >= value:
            return [0.0] * 7
        overall = statistics.fmean(daily)
        means = {d: statistics.fmean([x for x, e in zip(daily, wd, strict=True) if e == d]) for d in set(wd)}
        dof = len(daily) - len(means)
        var = sum((x - means[d]) ** 2 for x, d in zip(daily, wd, strict=True)) / dof if dof > 0 else 0.0
        z = statistics.NormalDist().inv_cdf(1.0 - cost / value)
        out = []
        for d in range(7):
            mean = means.get(d if lever.weekday_schedules else 0, overall)
            scale = mean / overall if len(means) > 1 and overall > 0 else 1.0
            out.append(max(mean + z * math.sqrt(var * scale), 0.0))
        return out

    def _employers(self) -> set[int]:
        lever = self.m.config.policy.employment
        names = self.m._fast.platform_names
        return set(range(len(names))) if lever.platforms == "all" else {
            p for p, n in enumerate(names) if n in lever.platforms}

    def _pay_employees(self, done, lever) -> None:
        """Employees' trips pay the employer; each employee gets wage × scheduled hours (+ her costs)."""
        for t in done:
            if t.employee_task:
                t.worker.day_pay -= t.share
        for w in self.m.worker_list:
            w.wage_today = 0.0
            if not self._employee(w):
                continue
            wage = self.wage * w.schedule[self.m.day % 7]
            refund = w.day_costs if lever.reimburse_expenses else 0.0
            w.day_pay += wage + refund
            w.wage_today = wage
            self.acc["labour_cost"][w.employer_of][w.category] += wage + refund + lever.employer_cost_share * wage
            self.deposits_today += lever.employer_cost_share * wage  # payroll taxes and benefits, paid straight out

    # ------------------------------------------------------------------ end of the day

    def end_of_day(self) -> None:
        """Retirement pay, carried ratings, and at a month's end the platforms' responses."""
        if not self.enabled:
            return
        m = self.m
        pol = m.config.policy
        if self.on("retirement") and m.day >= 0:
            for w in m.worker_list:
                w.pay_total += w.day_pay
        if pol.portable_ratings.enabled:
            for w in m.worker_list:
                if self.on("portable_ratings"):  # each joined platform from her record before today's imports
                    sums, counts = list(w.rating_sum), list(w.rating_count)
                    for p in set(w.platforms) - w.member_before:
                        add_sum, add_count = carried_record_per_agent(sums, counts, p, pol.portable_ratings.carry_over)
                        w.rating_sum[p] += add_sum
                        w.rating_count[p] += add_count
                w.member_before = set(w.platforms)
        pandemic.reconsider_at_start_per_agent(m, supply.expected_hourly, supply.in_pool)
        if m.day % 30 == 29:
            self._close_month()

    def _licence_cap(self, cats) -> None:
        """Entrants of today beyond the licences (the categories' active workers at the first round) do not enter."""
        m = self.m
        active = [w for w in m.worker_list if w.status == ACTIVE and w.category in cats]
        if self.licences is None:
            self.licences = len(active)
            return
        entrants = [w for w in active if getattr(w, "entered_on", None) == m.day]
        for i in m.rng.permutation(len(entrants))[:max(len(active) - self.licences, 0)]:
            w = entrants[i]
            w.savings += sum(m.onboarding[p] for p in w.platforms)
            w.status, w.platforms = w.status_before, []

    def _close_month(self) -> None:
        m = self.m
        pol = m.config.policy
        if self.on("vehicle_licence_cap"):
            self._licence_cap([m.category_names.index(c) for c in pol.vehicle_licence_cap.categories])
        for key, lever in self.standards():
            if self.on(key) and "onboarding" in lever.responses:
                self._no_worker_without_platform(self.cats[key])
        self.month, self.acc = self.acc, self._zeros()
        self.month_days, self.days = max(self.days, 1), 0
        for key, lever in self.standards():
            if self.on(key):
                self._respond(lever, self.cats[key])
        if self.on("employment"):
            self._price_employers(pol.employment)  # first: the plan values fares at the new prices
            self._plan(pol.employment)
            served = [c for c in range(m.n_categories) if any(m.serves[p][c] for p in self._employers())]
            self._no_worker_without_platform(served)
        if self.on("retirement") and m.day >= 0:
            for w in m.worker_list:
                w.balance *= 1.0 + pol.retirement.annual_return / 12.0
            if ((m.day + 1) // 30) % (QUARTER_DAYS // 30) == 0:
                self._quarterly_deposits(pol.retirement)

    def _respond(self, lever, cats) -> None:
        """Each platform serving the categories: its cap, its price and whether it onboards, from last month."""
        m = self.m
        for p in range(m.n_platforms):
            if not any(m.serves[p][c] for c in cats):
                continue
            passenger = sum(self.month["passenger_hours"][p][c] for c in cats)
            logged = sum(self.month["logged_hours"][p][c] for c in cats)
            utilisation = passenger / logged if logged > 0 else lever.target_utilisation
            bookings = sum(self.month["bookings"][p])
            nominal_bookings = sum(self.month["bookings_nominal"][p])
            if "login_cap" in lever.responses:
                self.caps[p] = self._cap(p, lever, cats, utilisation)
            if "prices" in lever.responses:
                rise = sum(self.month["uplift"][p]) / nominal_bookings if nominal_bookings > 0 else 0.0
                self._set_price(p, self.nominal[p] * (1.0 + min(rise, lever.max_price_rise)))
            if "onboarding" in lever.responses:
                burden = sum(self.month["topups"][p]) / bookings if bookings > 0 else 0.0
                m.accepting[p] = not burden > lever.onboarding_burden
                self._dated_pause(p, lever, cats)

    def _dated_pause(self, p, lever, cats) -> None:
        """A platform named in onboarding_pause_days, from its date: open only while its drivers are fewer than
        at its pause × posted hours last month / in the month before its pause; one not named while others are
        onboards (the burden trigger applies only to a lever with no dates)."""
        m = self.m
        name = m._fast.platform_names[p]
        if lever.onboarding_pause_days and name not in lever.onboarding_pause_days:  # it did not pause
            m.accepting[p] = True
            return
        if name not in lever.onboarding_pause_days:
            return
        if m.day < lever.start + lever.onboarding_pause_days[name]:  # open before its date
            m.accepting[p] = True
            return
        drivers = sum(1 for w in m.worker_list if w.status == ACTIVE and w.category in cats and p in w.platforms)
        demand = sum(self.month["posted_hours"][p][c] for c in cats)
        h0, d0 = self.paused_at.setdefault(p, (drivers, demand))
        m.accepting[p] = drivers < h0 * (demand / d0 if d0 > 0 else 1.0)

    def _cap(self, p, lever, cats, utilisation) -> float:
        """The platform's cap on logged-in hours a day (inf: none), as the module docstring says."""
        m = self.m
        drivers, weights = [], []
        for w in m.worker_list:
            if w.status != ACTIVE or w.category not in cats:
                continue
            mine = [q for q in w.platforms if m.serves[q][w.category]]
            if p in mine:
                drivers.append(w)
                weights.append(1.0 / len(mine))
        asked = sum(self.month["posted_hours"][p][c] for c in range(m.n_categories) if c in cats)
        if asked <= 0 or not drivers:
            return INF
        if self.caps[p] < INF:
            new = self.caps[p] * utilisation / lever.target_utilisation
            return new if new < max(w.hours_available for w in drivers) else INF
        target = asked / self.month_days / lever.target_utilisation
        return water_fill_cap_per_agent([w.desired for w in drivers], weights, target)

    def _set_price(self, p, multiplier) -> None:
        self.m.price_multiplier[p] = multiplier
        self.m._fast.price_multiplier[p] = multiplier  # read by the day's market parameters

    def _no_worker_without_platform(self, cats) -> None:
        """Active workers of the categories with no platform for their category: today's entrants do not enter;
        anyone else leaves."""
        m = self.m
        for w in m.worker_list:
            if w.status != ACTIVE or w.category not in cats:
                continue
            if any(m.serves[p][w.category] for p in w.platforms):
                continue
            if getattr(w, "entered_on", None) == m.day:
                w.status = w.status_before
            else:
                w.status, w.backlog = LEFT, 0.0

    def _plan(self, lever) -> None:
        """Each employer, region by region, keeps its best-rated members there, min(available, shift) hours each,
        until they cover the hours `_needed`; the others lose the platform."""
        m = self.m
        if not self.demand_days:
            return
        all_needed = all_scheduled = 0.0
        for p in sorted(self._employers()):
            spec = m.config.platforms[m._fast.platform_names[p]]
            members = [w for w in m.worker_list if w.status == ACTIVE and w.category >= 0 and p in w.platforms
                       and m.serves[p][w.category]]

            def score(w, spec=spec, p=p):
                return ((w.rating_sum[p] + spec.rating_prior_mean * spec.rating_prior_weight)
                        / (w.rating_count[p] + spec.rating_prior_weight))
            ranked = sorted(members, key=lambda w: (-score(w), w.index))
            for w in m.worker_list:
                if w.employer_of == p:
                    w.employer_of = -1
                if w.employer_of < 0:
                    w.schedule = [0.0] * 7
            short = False
            for region in range(m._fast.n_regions):
                here = [w for w in ranked if (w.region if m.local[w.category] else 0) == region]
                week = {w.index: [0.0] * 7 for w in here}
                for d, needed in enumerate(self._needed(lever, p, region)):
                    total = 0.0
                    for w in here:
                        week[w.index][d] = min(w.hours_available, lever.shift_hours) if total < needed else 0.0
                        total += week[w.index][d]
                    short = short or total < needed
                    all_needed += needed
                    all_scheduled += total
                for w in here:
                    if sum(week[w.index]) > 0:
                        w.employer_of, w.schedule = p, week[w.index]
                        w.platforms = [p]
                    else:
                        w.platforms.remove(p)
            m.accepting[p] = short
        if all_needed > 0 and all_scheduled > 0:  # the wage follows the shortfall, step 1/ε, floor the statutory wage
            step = (all_needed / all_scheduled) ** (1.0 / max(m.config.labour_supply.frisch_elasticity, 1e-9))
            self.wage = max(lever.hourly_wage, self.wage * step)

    def _price_employers(self, lever) -> None:
        """Employers price at nominal × (commission + labour cost / bookings at nominal prices), from nominal up to
        nominal × (1 + max_price_change)."""
        m = self.m
        for p in self._employers():
            labour = sum(self.month["labour_cost"][p])
            bookings = sum(self.month["employer_bookings_nominal"][p])
            if labour > 0 and bookings > 0:
                target = self.nominal[p] * (m.params.commission[p] + labour / bookings)
                low, high = self.nominal[p], self.nominal[p] * (1 + lever.max_price_change)
                self._set_price(p, min(max(target, low), high))

    def _quarterly_deposits(self, lever) -> None:
        for w in self.m.worker_list:
            for pay in w.quarter_pay:
                deposit = portable_deposit_per_agent(pay, lever.portable_share, lever.min_quarterly_earnings)
                w.balance += deposit
                w.contributed += deposit
                self.deposits_today += deposit
            w.quarter_pay = [0.0] * self.m.n_platforms
