"""The per-agent reference of employee classification (docs/model.md 7.16; fast path:
gigsim.model.policies.classification), a mixin of gigsim.model.reference.policies.ReferencePolicies, one worker
at a time: each month the employer prices at nominal × (commission + labour cost / nominal bookings), between
nominal and its upper bound, then, region by region and weekday by weekday, keeps its best-rated members until
their shifts cover the newsvendor quantile of the last 28 days' engaged hours asked on that weekday, mean + z ×
sd (sd pooled over weekdays, × √(weekday mean / mean)) with z the normal quantile at 1 − (wage × (1 + employer
costs)) / (a fare's margin per engaged hour); the wage then moves by (hours needed on each market's busiest
weekday / hours its members there could be scheduled)^(1/ε), a cut damped by downward rigidity, never below
the statutory wage; employees log in today's schedule, are paid wage × those hours plus their
costs, their trips' pay goes to the employer; without `surge` the employers' surge is held at 1.
"""

from __future__ import annotations

import math
import statistics

from gigsim.model.policies.classification import next_wage
from gigsim.model.reference.agents import AUTOMATED
from gigsim.model.state import ACTIVE


class Employment:
    """The employers' demand, plan, wage, price and pay (needs the ReferencePolicies state)."""

    def _employee(self, w) -> bool:
        return w.employer_of >= 0 and w.status == ACTIVE and w.employer_of in w.platforms

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

    def _plan(self, lever) -> None:
        """Each employer, region by region, keeps its best-rated members there, min(available, shift) hours each,
        until they cover the hours `_needed`; the others lose the platform."""
        m = self.m
        if not self.demand_days:
            return
        if not any(any(self._needed(lever, p, r)) for p in self._employers() for r in range(m._fast.n_regions)):
            self.wage = lever.hourly_wage  # no hour worth its cost at this wage: cut before letting drivers go
        all_needed = all_supplied = 0.0
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
                by_day = self._needed(lever, p, region)
                all_needed += max(by_day)
                all_supplied += sum(min(w.hours_available, lever.shift_hours) for w in here)
                for d, needed in enumerate(by_day):
                    total = 0.0
                    for w in here:
                        week[w.index][d] = min(w.hours_available, lever.shift_hours) if total < needed else 0.0
                        total += week[w.index][d]
                    short = short or total < needed
                for w in here:
                    if sum(week[w.index]) > 0:
                        w.employer_of, w.schedule = p, week[w.index]
                        w.platforms = [p]
                    else:
                        w.platforms.remove(p)
            m.accepting[p] = short
        self.wage = next_wage(self.wage, all_needed, all_supplied, lever, m.config.labour_supply.frisch_elasticity)

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
