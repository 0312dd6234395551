"""The per-agent reference of the pay standards and the platforms' responses (docs/model.md 7.16; fast path:
gigsim.model.policies.pay_standards and gigsim.model.policies.login_limits), a mixin of
gigsim.model.reference.policies.ReferencePolicies, one worker and one trip at a time:
- pay standards (NYC 2019, Seattle 2024): each covered trip a contractor did is topped up to its minimum —
  NYC: (per-minute × trip minutes + per-mile × trip miles) / last month's utilisation of the sector (or the
  platform); Seattle: the greater of per-minute × engaged minutes + per-mile × engaged miles and per offer;
- the platforms' responses, at each month's end from last month's totals: a log-in cap (found by bisection)
  at which the hours drivers would log in add up to the passenger hours served / target utilisation, set afresh
  each month, from a platform's date when `login_cap_days` names it (under the sector-wide rate one cap for all
  the platforms capping, from their drivers and passenger hours together; else each its own);
  prices = nominal × (1 + uplift / bookings at nominal prices), bounded; a platform with a dated pause (New
  York's, April 2019) takes new drivers from its date only while they number fewer than at its pause × demand
  now / then, any other stops while top-ups exceed a share of bookings;
- a vehicle licence cap: entrants of the categories beyond their active workers at the cap's first round ×
  licences per active vehicle are turned away (today's entrants, drawn at random; the onboarding fee back);
- the minimum on asks (Horton): each day a covered worker's ask is raised to the multiple at which her task
  is priced at the hourly minimum per engaged hour.
"""

from __future__ import annotations

import math

from gigsim.model.policies.login_limits import water_fill_cap_per_agent
from gigsim.model.reference.agents import AUTOMATED, DIRECT, FILLED
from gigsim.model.state import ACTIVE

INF = math.inf


class PayStandards:
    """Pay standards, log-in caps, the licence cap and the minimum on asks (needs the ReferencePolicies state)."""

    def _cap_worker(self, w, cats, count: bool = True) -> None:
        """A driver all of whose platforms in the category cap logs in at most the highest cap; count her day (at the
        start of the day; at its end the cap only binds on the hours she chose for tomorrow)."""
        if w.status != ACTIVE or w.category not in cats:
            return
        mine = [self.caps[p] for p in w.platforms if self.m.serves[p][w.category]]
        cap = max(mine) if mine else INF
        if cap < INF:
            w.hours_offered = min(w.hours_offered, cap)
        if not count:
            return
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

    def _licence_cap(self, cats, licences_per_vehicle) -> None:
        """Entrants of today beyond the licences (the categories' active workers at the first round × licences per
        active vehicle) do not enter."""
        m = self.m
        active = [w for w in m.worker_list if w.status == ACTIVE and w.category in cats]
        if self.licences is None:
            self.licences = int(round(len(active) * licences_per_vehicle))
            return
        entrants = [w for w in active if getattr(w, "entered_on", None) == m.day]
        for i in m.rng.permutation(len(entrants))[:max(len(active) - self.licences, 0)]:
            w = entrants[i]
            w.savings += sum(m.onboarding[p] for p in w.platforms)
            w.status, w.platforms = w.status_before, []

    def _respond(self, lever, cats) -> None:
        """Each platform serving the categories: its cap, its price and whether it onboards, from last month. Under the
        sector-wide rate the platforms cap together: one cap from all of them (their drivers, demand, utilisation)."""
        m = self.m
        mine = [p for p in range(m.n_platforms) if any(m.serves[p][c] for c in cats)]
        sector = getattr(lever, "utilisation", "platform") == "sector"  # Seattle's standard has no utilisation rate
        capping = [p for p in mine if self._caps_today(p, lever)]
        if "login_cap" in lever.responses and sector:
            cap = self._cap(capping, lever, cats)
            for p in mine:
                self.caps[p] = cap if p in capping else INF
        for p in mine:
            bookings = sum(self.month["bookings"][p])
            nominal_bookings = sum(self.month["bookings_nominal"][p])
            if "login_cap" in lever.responses and not sector:
                self.caps[p] = self._cap([p], lever, cats) if p in capping else INF
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

    def _caps_today(self, p, lever) -> bool:
        """Whether platform p caps log-ins from today: one named in login_cap_days from its date; one not named
        while others are never; every platform when none is named."""
        dates = getattr(lever, "login_cap_days", {})
        if not dates:
            return True
        name = self.m._fast.platform_names[p]
        return name in dates and self.m.day >= lever.start + dates[name]

    def _cap(self, platforms, lever, cats) -> float:
        """The cap on logged-in hours a day (inf: none) the platforms set together (one platform: its own), as the
        module docstring says: where their drivers' uncapped hours, each weighed by her share of them, add up to the
        passenger hours they served last month a day / the target utilisation."""
        m = self.m
        drivers, weights = [], []
        for w in m.worker_list:
            if w.status != ACTIVE or w.category not in cats:
                continue
            mine = [q for q in w.platforms if m.serves[q][w.category]]
            weight = sum(1.0 / len(mine) for q in mine if q in platforms)
            if weight > 0:
                drivers.append(w)
                weights.append(weight)
        served = sum(self.month["passenger_hours"][p][c] for p in platforms for c in cats)
        if served <= 0 or not drivers:
            return INF
        target = served / self.month_days / lever.target_utilisation
        return water_fill_cap_per_agent([w.desired for w in drivers], weights, target)

    def _top_up(self, done) -> None:
        """Each covered contractor trip topped up to its standard's minimum; the month's bookings and uplift."""
        prm = self.m.params
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
