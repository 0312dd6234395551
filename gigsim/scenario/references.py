"""The scenario's cross-references: every name one table uses (a platform's categories, an automation path's
category, a lever's platforms, a shock's regions) must exist in the table that defines it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gigsim.scenario.initial import check_moves
from gigsim.scenario.messages import FieldError as _FieldError
from gigsim.scenario.messages import RefError as _RefError

if TYPE_CHECKING:
    from gigsim.scenario.schema import Scenario

RESERVED_PLATFORMS = frozenset({"off_platform"})
"""Platform names gigsim uses itself: "off_platform" is the referral pseudo-platform of markets.parquet."""


def check_references(scenario: Scenario) -> None:
    """Raise the first broken cross-reference of `scenario` (a FieldError or RefError naming the field)."""
    for pname in scenario.platforms.keys() & RESERVED_PLATFORMS:
        raise _FieldError(f"platforms.{pname}", "is a reserved name (markets.parquet uses it for referred work)")
    cats = scenario.active_categories
    if not cats:
        raise _FieldError("categories", "no enabled categories: a world needs at least one")
    served: set[str] = set()
    for pname, plat in scenario.platforms.items():
        if not plat.enabled:
            continue
        for c in plat.categories:
            if c not in scenario.categories:
                raise _RefError(f"platforms.{pname}.categories", c, list(scenario.categories))
        live = [c for c in plat.categories if c in cats]
        if not live:
            raise _RefError(f"platforms.{pname}.categories", plat.categories[0], cats,
                            "serves no enabled category")
        served.update(live)
    if not scenario.active_platforms:
        raise _FieldError("platforms", "no enabled platforms: a world needs at least one")
    for c in cats:
        if c not in served:
            raise _RefError(f"categories.{c}", c, [], "is served by no enabled platform")
    bad_move = check_moves(scenario.population.past_moves or [], list(scenario.categories))
    if bad_move:
        raise _RefError(bad_move[0], bad_move[1], list(scenario.categories))
    for cname in scenario.automation:
        if cname not in scenario.categories:
            raise _RefError(f"automation.{cname}", cname, list(scenario.categories))
    for i, shock in enumerate(scenario.shocks):
        if shock.categories != "all":
            for c in shock.categories:
                if c not in scenario.categories:
                    raise _RefError(f"shocks[{i}].categories", c, list(scenario.categories))
        for r in shock.regions or []:
            if r >= scenario.population.regions:
                raise _RefError(f"shocks[{i}].regions", str(r), [],
                                f"region {r} does not exist (regions are 0..{scenario.population.regions - 1})")
    for cname, cat in scenario.categories.items():
        for src in cat.new_tasks_from:
            if src not in scenario.categories:
                raise _RefError(f"categories.{cname}.new_tasks_from", src, list(scenario.categories))
    lever = scenario.policy.employee_classification
    if lever.platforms != "all":
        for p in lever.platforms:
            if p not in scenario.platforms:
                raise _RefError("policy.employee_classification.platforms", p, list(scenario.platforms))
    cap = scenario.policy.commission_cap
    for p in cap.platforms if cap.platforms != "all" else []:
        if p not in scenario.platforms:
            raise _RefError("policy.commission_cap.platforms", p, list(scenario.platforms))
    employment = scenario.policy.employment  # the enacted levers' references are checked when enabled
    for p in employment.platforms if employment.enabled and employment.platforms != "all" else []:
        if p not in scenario.platforms:
            raise _RefError("policy.employment.platforms", p, list(scenario.platforms))
    for key in ("nyc_pay_standard", "seattle_pay_standard", "vehicle_licence_cap", "infection_risk"):
        for c in getattr(scenario.policy, key).categories if getattr(scenario.policy, key).enabled else []:
            if c not in scenario.categories:
                raise _RefError(f"policy.{key}.categories", c, list(scenario.categories))
    for key in ("nyc_pay_standard", "seattle_pay_standard"):
        for dated in ("onboarding_pause_days", "login_cap_days"):
            for p in getattr(getattr(scenario.policy, key), dated) if getattr(scenario.policy, key).enabled else []:
                if p not in scenario.platforms:
                    raise _RefError(f"policy.{key}.{dated}", p, list(scenario.platforms))
    ask = scenario.policy.minimum_ask
    for field_name, names, known in (("platforms", ask.platforms, scenario.platforms),
                                     ("categories", ask.categories, scenario.categories)):
        for x in names if ask.enabled else []:
            if x not in known:
                raise _RefError(f"policy.minimum_ask.{field_name}", x, list(known))
    if sum(scenario.categories[c].worker_share for c in cats) <= 0:
        raise _FieldError("categories", "worker_share is zero in every enabled category")
