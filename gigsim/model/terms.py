"""The platforms' terms and the policy levers in force: what the market kernels read each day.

`PlatformTerms` is a mixin of GigEconomyModel: `market_params(day)` is a pure function of the
scenario, the day and the platforms' current terms (price multipliers, accepting workers); the
model keeps today's as `model.params`.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import beta as beta_distribution

from gigsim.model import drivers
from gigsim.model.kernels.structs import MarketParams
from gigsim.model.vocabulary import Matching, Pricing


def productivity_slope(ratio: float, skill_a: float, skill_b: float) -> tuple[float, float]:
    """(β, centre) of a task's hours h(s) = hours_per_task × exp(−β (s − centre)) for a worker of skill s (0..1).

    Skill ~ Beta(a, b) (the primary-skill distribution): centre = its median, so the median worker takes the
    category's hours; β = ln(ratio) / (q75 − q25), so the slower half's median hours (at the lower quartile of
    skill) are `ratio` × the faster half's (at the upper quartile), Prechelt's (1999) measure of the spread.
    ratio = 1 gives β = 0: every worker takes the category's hours.
    """
    q25, centre, q75 = beta_distribution.ppf([0.25, 0.5, 0.75], skill_a, skill_b)
    return math.log(ratio) / float(q75 - q25), float(centre)


class PlatformTerms:
    """Levers, commissions, launches and today's market parameters (needs the model's scenario and arrays)."""

    def _set_terms(self, cat_specs: list, plat_specs: list) -> None:
        """The categories' and platforms' constants as arrays (index = position in the active lists)."""
        self.category_local = np.array([s.kind == "local" for s in cat_specs])
        self.base_price = np.array([s.base_price for s in cat_specs])
        self.base_task_hours = np.array([s.hours_per_task for s in cat_specs])
        skills = self.config.rules.workers
        slopes = [productivity_slope(s.productivity_ratio, skills.primary_skill_a, skills.primary_skill_b)
                  for s in cat_specs]
        self.hours_slope = np.array([b for b, _ in slopes], dtype=np.float64)
        self.skill_centre = np.array([m for _, m in slopes], dtype=np.float64)
        self.pickup_hours = np.array([s.pickup_hours for s in cat_specs])
        self.pickup_max = np.array([s.pickup_max_hours for s in cat_specs], dtype=np.float64)
        self.asset_days = np.array([s.asset_days_per_task for s in cat_specs], dtype=np.int64)
        self.cost_per_hour = np.array([s.cost_per_hour for s in cat_specs])
        self.category_asset = [s.asset for s in cat_specs]
        self.direct_rehire = np.array([s.direct_rehire for s in cat_specs])
        # queue days per category, and 0 for category -1 (none): indexed by workers' categories directly
        self.queue_days = np.array([s.queue_days for s in cat_specs] + [0.0], dtype=np.float64)
        self.serves = np.array([[c in p.categories for c in self.category_names] for p in plat_specs])
        self.launch_day = np.array([p.launch_day for p in plat_specs], dtype=np.int64)
        self.price_multiplier = np.array([p.price_multiplier for p in plat_specs], dtype=np.float64)
        self.commission = np.array([p.commission for p in plat_specs], dtype=np.float64)  # competition.compete
        self.accepting = np.ones(self.n_platforms, dtype=bool)
        self.rule = np.array([Matching[p.matching.upper()] for p in plat_specs], dtype=np.int64)
        self.pricing = np.array([Pricing[p.pricing.upper()] for p in plat_specs], dtype=np.int64)
        self.surge = np.ones((self.n_platforms, self.n_categories, self.n_regions))
        self.new_task_sources = [
            [self.category_names.index(s) for s in spec.new_tasks_from if s in self.category_names]
            for spec in cat_specs]
        self.new_task_rate = np.array([s.new_tasks_per_automated_task for s in cat_specs])

    def lever_on(self, name: str, day: int | None = None) -> bool:
        """Whether policy lever `name` is switched on (enabled and past its start day)."""
        lever = getattr(self.config.policy, name)
        return lever.enabled and (self.day if day is None else day) >= lever.start

    def effective_commission(self) -> np.ndarray:
        """Each platform's commission (its own, as competition moves it) after any commission cap (share of the price)."""
        nominal = self.commission
        if self.lever_on("commission_cap"):
            return np.where(self.capped_platforms(), np.minimum(nominal, self.config.policy.commission_cap.cap),
                            nominal)
        return nominal

    def capped_platforms(self) -> np.ndarray:
        """Bool (P): the platforms the commission cap names (all unless it names some)."""
        names = self.config.policy.commission_cap.platforms
        return np.array([names == "all" or p in names for p in self.platform_names], dtype=bool)

    def onboarding_fees(self) -> np.ndarray:
        """(P,) each platform's onboarding fee (currency)."""
        return np.array([self.config.platforms[p].onboarding_cost for p in self.platform_names])

    def launched(self) -> np.ndarray:
        """Bool (P): platforms open for business today (all those launching on day 0 exist during burn-in)."""
        return self.launch_day <= max(self.day, 0)

    def employer_platforms(self) -> np.ndarray:
        """Bool (P): platforms whose workers are employees under the classification lever."""
        lever = self.config.policy.employee_classification
        if not self.lever_on("employee_classification"):
            return np.zeros(self.n_platforms, dtype=bool)
        if lever.platforms == "all":
            return np.ones(self.n_platforms, dtype=bool)
        return np.array([p in lever.platforms for p in self.platform_names])

    def market_params(self, day: int) -> MarketParams:
        """The arrays the market kernels read today."""
        sc = self.config
        level, ai_cost, gain = drivers.automation_levels(sc, day)
        plat = [sc.platforms[p] for p in self.platform_names]
        boost = np.array([p.newcomer_boost for p in plat])
        boost_tasks = np.array([p.newcomer_tasks for p in plat], dtype=np.int64)
        if self.lever_on("newcomer_boost", day):
            lever = sc.policy.newcomer_boost
            boost = np.maximum(boost, lever.boost)
            boost_tasks = np.maximum(boost_tasks, lever.tasks)
        pol = sc.policy
        return MarketParams(
            n_categories=self.n_categories, n_regions=self.n_regions, n_platforms=self.n_platforms,
            task_hours=self.base_task_hours / (1.0 + gain), hours_slope=self.hours_slope,
            skill_centre=self.skill_centre, pickup_hours=self.pickup_hours,
            asset_days=self.asset_days, local=self.category_local, base_price=self.base_price,
            cost_per_hour=self.cost_per_hour, rule=self.rule, pricing=self.pricing,
            rounds=np.array([p.matching_rounds for p in plat], dtype=np.int64),
            applications_per_round=np.array([p.applications_per_round for p in plat], dtype=np.int64),
            price_multiplier=self.price_multiplier, commission=self.effective_commission(),
            nominal_commission=self.commission.copy(),
            prior_mean=np.array([p.rating_prior_mean for p in plat]),
            prior_weight=np.array([p.rating_prior_weight for p in plat]),
            newcomer_boost=boost, newcomer_tasks=boost_tasks,
            pay_floor=pol.min_pay.hourly if self.lever_on("min_pay", day) else 0.0,
            contribution=pol.portable_benefits.contribution_per_task if self.lever_on("portable_benefits", day)
            else 0.0,
            levy=pol.cash_transfer.levy if self.lever_on("cash_transfer", day) else 0.0,
            rating_noise=sc.behaviour.rating_noise, rehire_rating=sc.behaviour.rehire_rating,
            tie_break_rating=sc.rules.market.tie_break_rating, day=day,
            automation_level=level, ai_cost=ai_cost, augmentation=gain, pickup_max=self.pickup_max,
        )

    @property
    def automation_level(self) -> np.ndarray:
        """Per category today: the share of tasks AI may take (see drivers.automation_levels)."""
        return self.params.automation_level

    @property
    def ai_cost(self) -> np.ndarray:
        """Per category today: AI's cost per task (currency)."""
        return self.params.ai_cost

    @property
    def augmentation(self) -> np.ndarray:
        """Per category today: the proportional rise in tasks per hour from AI augmentation."""
        return self.params.augmentation
