"""`[rules]`: the behavioural constants of the model's rules, named and documented, with today's values.

These numbers used to live in the model's code. Each was set by hand when the rule was written
(none is calibrated; the clients' budget distribution is derived from published rider demand evidence); docs/model.md section 6 (`[rules]`) says what
each one does and where it acts. Decision-rule constants of gigsim/model/decisions.py are not here.

The constants are one table, `RULES` (section.field → (type, default, bounds, meaning)), from
which the pydantic sections are built; tables are strict (unknown keys are errors, booleans are not
numbers), like the rest of the scenario, and each meaning is the field's description (JSON schema).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, create_model

RULES: dict[str, tuple] = {
    "clients.budget_median": (float, 1.30, {"ge": 0, "le": 1e6}, "a task's budget = base price × client's wtp × budget_median × exp(budget_dispersion × z), z ~ N(0, 1); derived from rider demand evidence (gigsim/scenario/demand.py)"),
    "clients.budget_dispersion": (float, 0.66, {"ge": 0, "le": 10}, "log-sd of a task's budget around the client's; see budget_median"),
    "clients.demand_concentration": (float, 1.5, {"gt": 0, "le": 1e6}, "gamma shape (mean 1) of a client's own demand rate; lower: more concentrated"),
    "clients.business_ai_uplift": (float, 1.2, {"ge": 0, "le": 1e6}, "business clients' AI adoption = the drawn propensity × this (at most 1)"),
    "clients.online_business_tilt": (float, 1.6, {"ge": 0, "le": 1e6}, "a business buys an online category with probability client_share × this"),
    "clients.online_consumer_tilt": (float, 0.75, {"ge": 0, "le": 1e6}, "a consumer buys an online category with probability client_share × this"),
    "clients.local_business_tilt": (float, 0.5, {"ge": 0, "le": 1e6}, "a business buys a local category with probability client_share × this"),
    "clients.local_consumer_tilt": (float, 1.2, {"ge": 0, "le": 1e6}, "a consumer buys a local category with probability client_share × this"),
    "workers.trailing_days": (float, 30.0, {"ge": 1, "le": 3650}, "time constant (days) of the EWMAs of net earnings and logged-in hours"),
    "workers.primary_skill_a": (float, 5.0, {"gt": 0, "le": 1e6}, "skill in the primary category ~ Beta(a, b)"),
    "workers.primary_skill_b": (float, 2.5, {"gt": 0, "le": 1e6}, "see primary_skill_a"),
    "workers.second_skill_a": (float, 3.0, {"gt": 0, "le": 1e6}, "skill in a second category ~ Beta(a, b)"),
    "workers.second_skill_b": (float, 3.0, {"gt": 0, "le": 1e6}, "see second_skill_a"),
    "workers.side_hours_shape": (float, 2.0, {"gt": 0, "le": 1e6}, "side hustlers' hours per day ~ Gamma(shape, hours_side / shape)"),
    "workers.full_time_hours_low": (float, 0.8, {"ge": 0, "le": 1e6}, "full-timers' hours per day = hours_full_time × (low + range × u)"),
    "workers.full_time_hours_range": (float, 0.4, {"ge": 0, "le": 1e6}, "see full_time_hours_low"),
    "workers.hours_min": (float, 0.5, {"ge": 0, "le": 24}, "drawn hours per day are clipped to [hours_min, hours_max]"),
    "workers.hours_max": (float, 14.0, {"gt": 0, "le": 24}, "see hours_min"),
    "workers.autonomy_low": (float, 0.5, {"ge": 0, "le": 1e6}, "autonomy value = the cohort's × (autonomy_low + u), u ~ U(0, 1)"),
    "workers.living_costs_dispersion": (float, 0.25, {"ge": 0, "le": 5}, "log-sd of monthly living costs (lognormal, mean kept)"),
    "workers.other_income_dispersion": (float, 0.3, {"ge": 0, "le": 5}, "log-sd of monthly other income (lognormal, mean kept)"),
    "workers.past_tenure_days": (int, 730, {"ge": 2, "le": 36500}, "workers active on day 0 entered 1..past_tenure_days − 1 days before"),
    "market.referral_tries": (int, 20, {"ge": 0, "le": 10000}, "neighbours a favourite tries, from a random start, when passing work on"),
    "market.tie_break_rating": (float, 3.0, {"ge": 1, "le": 5}, "a rating below this ends the client's tie with its favourite"),
    "market.surge_signal_z": (float, 2.0, {"ge": 0, "le": 10}, "surge prices only the requests beyond this many Poisson standard errors (√requests) of the day's count, set by hand (docs/model.md 7.2)"),
}
"""Section.field → (type, default, bounds, meaning). The defaults are the values the code always used."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False, strict=True)


def _section(name: str, doc: str, section: str) -> type[_Section]:
    """A strict pydantic model with one bounded, described field per entry of RULES in `section`."""
    fields = {key.split(".", 1)[1]: (kind, Field(default, description=meaning, **limits))
              for key, (kind, default, limits, meaning) in RULES.items() if key.startswith(section + ".")}
    return create_model(name, __base__=_Section, __doc__=doc, **fields)


ClientRules = _section("ClientRules", "How clients' budgets and demand are drawn (docs/model.md 5 and 7.2).",
                       "clients")
WorkerRules = _section("WorkerRules", "How workers' traits are drawn and their averages move (docs/model.md 5, 7.9).",
                       "workers")
MarketRules = _section("MarketRules", "Constants of referrals, ratings and surge (docs/model.md 7.2, 7.6, 7.8).",
                       "market")


class RulesSpec(_Section):
    """`[rules]`: the behavioural constants of the model's rules (today's values as defaults)."""

    clients: ClientRules = Field(default_factory=ClientRules)
    workers: WorkerRules = Field(default_factory=WorkerRules)
    market: MarketRules = Field(default_factory=MarketRules)
