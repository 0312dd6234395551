"""The Mesa agents: workers, clients and platforms as views onto the model's arrays.

An agent's state lives in a row of `model.workers`, `model.clients` or the
platform arrays; the agent reads and writes that row, so the array-based
daily phases and the agent API always agree. In the spirit of Mesa's
PropertyLayer, every field of the state (gigsim.model.state.Workers, Clients)
is a property of the agent, generated from the dataclass's fields: reading
`model.worker(3).savings` reads `model.workers.savings[3]`, and
`model.worker(3).savings = 5` writes it (a row of a 2-D field, such as
`skill`, reads as a writable view of that row). `status` and `category` read
and write names ('active', 'rides') rather than codes. The rules themselves run over
all agents at once (gigsim.model.kernels, gigsim.model.decisions); each agent's `step`
applies none of them on its own (see gigsim.model.reference for a
per-agent implementation of the same rules, used as a correctness oracle).
"""

from __future__ import annotations

import dataclasses

import numpy as np
from mesa import Agent

from gigsim.model.metrics import MIN_LOGGED_HOURS
from gigsim.model.state import Clients, Workers
from gigsim.model.vocabulary import STATUS_NAMES, Status


def _row_property(table: str, name: str) -> property:
    """A property reading and writing row `self.index` of `model.<table>.<name>`."""

    def get(self):
        value = getattr(getattr(self.model, table), name)[self.index]
        return value.item() if np.ndim(value) == 0 else value

    def put(self, value) -> None:
        getattr(getattr(self.model, table), name)[self.index] = value

    return property(get, put, doc=f"Row `index` of `model.{table}.{name}` (gigsim.model.state); read and written.")


def _state_properties(table: str, state_class):
    """Class decorator: a read/write property per field of `state_class`, except those the class defines."""

    def decorate(cls):
        for field in dataclasses.fields(state_class):
            if field.name not in cls.__dict__:
                setattr(cls, field.name, _row_property(table, field.name))
        return cls

    return decorate


class _RowView(Agent):
    """A Mesa agent standing for row `index` of the model's arrays."""

    def __init__(self, model, index: int):
        super().__init__(model)
        self.index = int(index)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.index}>"


@_state_properties("workers", Workers)
class Worker(_RowView):
    """A micro-entrepreneur who drives, hosts, writes, designs or programs (see docs/model.md)."""

    @property
    def status(self) -> str:
        """'out' (never entered), 'active', 'upskilling', 'left' or 'paused' (taking the month off)."""
        return STATUS_NAMES[int(self.model.workers.status[self.index])]

    @status.setter
    def status(self, name: str) -> None:
        self.model.workers.status[self.index] = Status[name.upper()]

    @property
    def category(self) -> str | None:
        """The category the worker works in."""
        c = int(self.model.workers.category[self.index])
        return self.model.category_names[c] if c >= 0 else None

    @category.setter
    def category(self, name: str | None) -> None:
        self.model.workers.category[self.index] = -1 if name is None else self.model.category_names.index(name)

    @property
    def skills(self) -> dict[str, float]:
        """Skill level (0..1) per category, for the categories the worker has any skill in."""
        row = self.model.workers.skill[self.index]
        return {name: round(float(v), 3) for name, v in zip(self.model.category_names, row, strict=True) if v > 0}

    @property
    def platforms(self) -> list[str]:
        """Platforms the worker is a member of (several: multi-homing)."""
        row = self.model.workers.member[self.index]
        return [name for name, m in zip(self.model.platform_names, row, strict=True) if m]

    @property
    def net_hourly_earnings(self) -> float:
        """Trailing 30-day net earnings per logged-in hour (currency per hour; NaN if barely logged in),
        as in the metrics (gigsim.model.metrics.net_hourly_earnings)."""
        w = self.model.workers
        logged = float(w.ema_logged[self.index])
        return float(w.ema_net[self.index]) / logged if logged > MIN_LOGGED_HOURS else float("nan")

    @property
    def ratings(self) -> dict[str, tuple[float, int]]:
        """Per platform: (mean rating 1..5, number of ratings)."""
        w = self.model.workers
        out = {}
        for p, name in enumerate(self.model.platform_names):
            count = int(w.rating_count[self.index, p])
            if count:
                out[name] = (round(float(w.rating_sum[self.index, p]) / count, 3), count)
        return out

    def state(self) -> dict:
        """Everything about the worker, as plain Python values (for the UI and inspection)."""
        w, i = self.model.workers, self.index
        return {
            "worker": i, "status": self.status, "category": self.category, "skills": self.skills,
            "region": int(w.region[i]), "cohort": ["18-29", "30-49", "50+"][int(w.cohort[i])],
            "full_time": bool(w.full_time[i]), "has_car": bool(w.has_car[i]), "has_room": bool(w.has_room[i]),
            "hours_available": round(float(w.hours_available[i]), 2),
            "hours_offered": round(float(w.hours_offered[i]), 2),
            "reservation_wage": round(float(w.reservation_wage[i]), 2),
            "autonomy_value": round(float(w.autonomy_value[i]), 2),
            "net_hourly_earnings": round(self.net_hourly_earnings, 2) if np.isfinite(self.net_hourly_earnings)
            else None,
            "savings": round(self.savings, 2), "monthly_living_costs": round(float(w.living_costs[i]), 2),
            "monthly_other_income": round(float(w.other_income[i]), 2), "insured": bool(w.insured[i]),
            "platforms": self.platforms, "ratings": self.ratings,
            "employer": self.model.platform_names[w.employer[i]] if w.employer[i] >= 0 else None,
            "ask_multiple": round(float(w.ask[i]), 3), "lifetime_tasks": int(w.lifetime_tasks[i]),
            "tenure_days": int(self.model.day - w.entry_day[i]) if w.status[i] == Status.ACTIVE else 0,
            "monthly_net_history": [None if np.isnan(v) else round(float(v), 2) for v in w.month_history[i]],
        }


@_state_properties("clients", Clients)
class Client(_RowView):
    """A consumer or business that posts tasks (see docs/model.md)."""

    @property
    def platforms(self) -> dict[str, str]:
        """Per category the client buys: the platform it posts on."""
        row = self.model.clients.platform[self.index]
        return {self.model.category_names[c]: self.model.platform_names[p] for c, p in enumerate(row) if p >= 0}

    def state(self) -> dict:
        """Everything about the client, as plain Python values."""
        cl, i, s = self.model.clients, self.index, self.model.streams
        mine = np.flatnonzero(s.client == i)
        return {
            "client": i, "business": bool(cl.business[i]), "region": int(cl.region[i]),
            "ai_adoption": round(float(cl.ai_adoption[i]), 3), "willingness_to_pay": round(float(cl.wtp[i]), 3),
            "platforms": self.platforms,
            "demand_per_day": {self.model.category_names[s.category[k]]: round(float(s.rate[k]), 4) for k in mine},
            "favourite_workers": {self.model.category_names[s.category[k]]: int(s.favourite[k])
                                  for k in mine if s.favourite[k] >= 0},
        }


class Platform(_RowView):
    """A marketplace: categories served, commission, pricing and matching rules (see docs/model.md)."""

    @property
    def name(self) -> str:
        return self.model.platform_names[self.index]

    def state(self) -> dict:
        """The platform's rules and current standing."""
        m, p = self.model, self.index
        spec = m.config.platforms[self.name]
        members = int(m.workers.member[:, p].sum())
        return {
            "platform": self.name, "categories": [c for c, s in zip(m.category_names, m.serves[p], strict=True) if s],
            "commission": float(m.effective_commission()[p]), "pricing": spec.pricing, "matching": spec.matching,
            "price_multiplier": round(float(m.price_multiplier[p]), 4), "accepting_workers": bool(m.accepting[p]),
            "members": members, "clients": int((m.clients.platform == p).any(axis=1).sum()),
            "launched": bool(m.launched()[p]),
        }
