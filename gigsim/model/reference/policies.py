"""The per-agent reference of the policies as enacted (docs/model.md 7.16; fast path: gigsim.model.policies).

Written one worker and one trip at a time, the obvious way, for tests/test_oracle_*.py. ReferencePolicies holds
the policies' state and the model's hooks; the rules live by role in
- gigsim.model.reference.pay_standards: the NYC and Seattle standards, the platforms' responses (log-in caps,
  prices, onboarding), the vehicle licence cap and the minimum on asks (Horton);
- gigsim.model.reference.classification: employment (the employers' plan, wage, price and pay);
- gigsim.model.reference.pandemic: the pandemic levers (on a lever's start day the claims open and the workers it
  touches take the exit decision at once; the hours, entry/exit, month-off and budget rules also read it);
and here: no active worker left without a platform; retirement accounts (quarterly portable deposits of a share
of a contractor's quarter pay on a platform when it reaches the threshold, employers' deposits of a share of
wages, a monthly return); portable ratings (a platform joined with no ratings on it receives carry_over × her
record elsewhere).
"""

from __future__ import annotations

from collections import deque

from gigsim.model.policies.portable_ratings import carried_record_per_agent
from gigsim.model.policies.retirement import QUARTER_DAYS, portable_deposit_per_agent
from gigsim.model.reference import pandemic, supply
from gigsim.model.reference.agents import DIRECT, FILLED
from gigsim.model.reference.classification import Employment
from gigsim.model.reference.pay_standards import INF, PayStandards
from gigsim.model.state import ACTIVE, LEFT

STANDARDS = ("nyc_pay_standard", "seattle_pay_standard")
KEYS = ("posted_hours", "posted_engaged", "passenger_hours", "logged_hours", "bookings", "bookings_nominal",
        "uplift", "topups", "labour_cost", "employer_bookings_nominal")


class ReferencePolicies(PayStandards, Employment):
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
        self.capped_overnight = False  # caps applied at yesterday's end (each worker's `desired` kept before them)
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
        if not self.capped_overnight:  # else kept at yesterday's end, before capping
            for w in m.worker_list:
                w.desired = w.hours_offered
        self.capped_overnight = False
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


    # ------------------------------------------------------------------ after settlement

    def after_settle(self) -> None:
        """Employees' pay, the month's hours and bookings, top-ups to the standards, retirement-eligible pay."""
        m = self.m
        self.topups_today = self.deposits_today = 0.0  # the day's top-ups; benefit payouts (employers', deposits)
        if not self.enabled:
            return
        pol = m.config.policy
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
        self._top_up(done)
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
        in_force = [key for key, _lever in self.standards() if self.on(key)]
        if in_force:  # the cap binds on the hours chosen for tomorrow too (not counted)
            for w in m.worker_list:
                w.desired = w.hours_offered
            self.capped_overnight = True
        for key in in_force:
            for w in m.worker_list:
                self._cap_worker(w, self.cats[key], count=False)

    def _close_month(self) -> None:
        m = self.m
        pol = m.config.policy
        if self.on("vehicle_licence_cap"):
            self._licence_cap([m.category_names.index(c) for c in pol.vehicle_licence_cap.categories],
                              pol.vehicle_licence_cap.licences_per_vehicle)
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
                w.status, w.backlog, w.left_on = LEFT, 0.0, m.day

    def _quarterly_deposits(self, lever) -> None:
        for w in self.m.worker_list:
            for pay in w.quarter_pay:
                deposit = portable_deposit_per_agent(pay, lever.portable_share, lever.min_quarterly_earnings)
                w.balance += deposit
                w.contributed += deposit
                self.deposits_today += deposit
            w.quarter_pay = [0.0] * self.m.n_platforms
