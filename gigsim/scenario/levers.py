"""Scenario schema of the policy levers: the classic levers (minimum pay, commission cap, portable benefits,
employee status, newcomer boost, retraining subsidy, cash transfer) and those modelled as enacted (docs/model.md,
"Policies as enacted").

Each lever is off by default. The rules themselves live in gigsim.model (the enacted ones in gigsim.model.policies);
this module only declares their parameters, the enacted levers' with the published values as defaults and their sources.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from gigsim.scenario.base import Lever, NonNegative, Positive, Share
from gigsim.scenario.messages import FieldError

# --------------------------------------------------------------------------- classic levers


class MinPayLever(Lever):
    """Minimum pay per engaged hour; platforms top up and respond."""

    hourly: NonNegative = 18.0
    response: Literal["none", "raise_prices", "cap_onboarding"] = "raise_prices"


class CommissionCapLever(Lever):
    """Commissions of the named platforms (or all) may not exceed `cap` (share of the price)."""

    cap: Share = 0.15
    platforms: list[str] | Literal["all"] = "all"


class PortableBenefitsLever(Lever):
    """A per-task contribution (paid by the platform) into a fund that pays covered workers' health costs."""

    contribution_per_task: NonNegative = 0.6
    coverage: Share = 0.8
    min_tasks_per_month: Annotated[int, Field(ge=0)] = 4


class EmployeeLever(Lever):
    """Workers of the named platforms (or all) become employees paid per logged-in hour."""

    hourly_wage: NonNegative = 16.0
    platforms: list[str] | Literal["all"] = "all"
    hours_per_employee: Annotated[float, Field(gt=0, le=16)] = 6.0


class NewcomerBoostLever(Lever):
    boost: NonNegative = 1.0
    tasks: Annotated[int, Field(ge=1, le=1000)] = 5


class RetrainingLever(Lever):
    subsidy_share: Share = 0.75
    speedup: Annotated[float, Field(ge=0, le=0.9)] = 0.3


class CashTransferLever(Lever):
    """A levy on client payments (paid by platforms) funding monthly transfers to low-income gig workers."""

    levy: Share = 0.02
    income_threshold: NonNegative = 1800.0
    monthly_amount: NonNegative = 250.0


# --------------------------------------------------------------------------- levers as enacted

Response = Literal["login_cap", "prices", "onboarding"]
"""Platforms' responses to a pay standard: cap log-in hours, raise prices (bounded), stop onboarding."""


class PayStandardLever(Lever):
    """What every enacted pay standard shares: where it applies, the assumed speed, the platforms' responses."""

    categories: list[str] = Field(default_factory=lambda: ["rides"])
    miles_per_hour: Positive = 20.0
    """Miles driven per hour on a trip (Mishel 2018, EPI, Table 2: 20 miles an hour, after Zoepf et al.)."""
    responses: list[Response] = Field(default_factory=list)
    target_utilisation: Annotated[float, Field(gt=0.0, lt=1.0)] = 0.6
    """Utilisation (passenger hours / logged-in hours) a platform capping log-ins aims at: set by hand."""
    max_price_rise: Annotated[float, Field(ge=0.0, le=2.0)] = 0.3
    """Bound on a platform's price rise over its scenario price multiplier (share): set by hand."""
    onboarding_burden: Share = 0.05
    """Top-ups over bookings above which a platform stops onboarding new workers: set by hand (used for the
    platforms not named in `onboarding_pause_days`)."""
    onboarding_pause_days: dict[str, Annotated[int, Field(ge=0, le=100_000)]] = Field(default_factory=dict)
    """Days after the standard's start on which each named platform stops onboarding as New York's did (Uber on
    1 April 2019, 59 days after the 1 February standard; Lyft on 19 April, 77 days; Politico, 29 Apr 2019). From
    then it admits drivers only while its drivers number fewer than at its pause × rider demand (posted hours)
    last month / in the month before its pause (Uber: "As drivers exit the industry and demand from riders
    increases, we will once again seek to add new drivers"). Platforms not named keep the burden trigger."""
    login_cap_days: dict[str, Annotated[int, Field(ge=0, le=100_000)]] = Field(default_factory=dict)
    """Days after the standard's start from which each named platform caps log-ins (`login_cap` response), as New
    York's apps began locking drivers out: Lyft on 27 June 2019 (Crain's), 146 days after the 1 February standard;
    Uber on 17 September (Independent Drivers Guild after the Daily News), 228 days. A platform not named while
    others are does not cap; with none named every platform caps from the standard's first month."""


class NycPayStandardLever(PayStandardLever):
    """New York City's 2019 driver pay standard: a minimum per trip of
    (per_minute × trip minutes + per_mile × trip miles) / utilisation rate.

    Defaults: the $17.22 net hourly standard (Parrott & Reich 2018) as 17.22/60 = 0.287 a minute and the
    per-mile expense 0.631, which divided by the 58% utilisation (TLC, 2017) give the sector-wide rates
    the TLC published for 1 Feb 2019 ($0.495 a minute, $1.088 a mile).
    """

    per_minute: NonNegative = 0.287
    per_mile: NonNegative = 0.631
    max_price_rise: Annotated[float, Field(ge=0.0, le=2.0)] = 0.059
    """Bound on the price rise: New York's passenger fares rose 5.9% from June 2018 to June 2019 (Koustas, Parrott &
    Reich 2020, 500 million trips; an upper bound on the standard's effect, as Chicago's fares rose too)."""
    utilisation: Literal["sector", "platform"] = "sector"
    """Whose utilisation divides the rates: the category's (sector-wide, as enacted) or each platform's own."""


class SeattlePayStandardLever(PayStandardLever):
    """Seattle's 2024 app-based worker minimum payment (SMC 8.37): per offer, the greater of
    per_minute × engaged minutes + per_mile × engaged miles and per_offer."""

    per_minute: NonNegative = 0.44
    per_mile: NonNegative = 0.74
    per_offer: NonNegative = 5.0


class RetirementLever(Lever):
    """Retirement accounts for every worker (reported in workers.parquet when enabled).

    Contributions exist only where a portable plan (`portable_share` of platform pay, for workers who
    earned at least `min_quarterly_earnings` on the platform in the quarter; DoorDash's Pennsylvania
    pilot, 2024: 4% and $1,000) or employee status (`employer_rate` of wages) provides them.
    """

    portable_share: Share = 0.0
    min_quarterly_earnings: NonNegative = 1000.0
    employer_rate: Share = 0.046
    """Employer contribution to employees' plans, share of pay (PSCA 2016 survey of 401(k) plans: 4.6%)."""
    annual_return: Annotated[float, Field(ge=-0.5, le=0.5)] = 0.03
    """Real return credited to balances each month (1/12 of it): set by hand."""


class PortableRatingsLever(Lever):
    """A worker's rating record follows her to a platform she joins: `carry_over` of her ratings elsewhere."""

    carry_over: Share = 1.0


class EmploymentLever(Lever):
    """Employee classification planned consistently (issue 15, item 2): each month the employer schedules
    headcount and hours together from demand (square-root safety staffing per region, its safety from the cost
    of a scheduled hour against a lost fare's margin), pays wages per scheduled hour, reimburses expenses, bears
    employer costs and passes its labour cost into prices within bounds; employees work for it alone.
    Not to be combined with `employee_classification` (the earlier, stylised lever)."""

    platforms: list[str] | Literal["all"] = Field(default_factory=lambda: ["rideco"])
    hourly_wage: NonNegative = 16.0
    """Statutory wage per scheduled hour (as `employee_classification`'s default, set by hand); employers short of
    the hours they plan pay more (docs/model.md 7.16)."""
    shift_hours: Annotated[float, Field(gt=0.0, le=16.0)] = 6.0
    """Longest shift scheduled a day; an employee is scheduled min(her available hours, shift)."""
    employer_cost_share: Annotated[float, Field(ge=0.0, le=1.0)] = 0.2175
    """Payroll taxes and benefits, share of wages (Mishel 2018, EPI: 7.65% payroll tax + 14.1% benefits)."""
    reimburse_expenses: bool = True
    max_price_change: Annotated[float, Field(ge=0.0, le=2.0)] = 0.5
    """Bound on the employer's price change either way, share of its scenario price: set by hand."""
    weekday_schedules: bool = True
    """Plan each weekday's hours from that weekday's demand (false: one plan for every day, for ablation)."""
    surge: bool = True
    """The employers keep pricing peaks by surge (riders pay it; wages do not); false holds it at 1 (ablation)."""


class MinimumAskLever(Lever):
    """A platform minimum wage on worker-priced (bids) platforms, as in Horton's oDesk experiment (Horton 2025,
    AER): no worker may offer to work for less than `hourly` per engaged hour. Each day a covered worker's ask
    is raised, where it is lower, to the ask at which a task of her category on the platform is priced at
    `hourly` × its engaged hours; the client pays that price (the worker her share of it, as any price)."""

    hourly: NonNegative = 0.0
    """Minimum price per engaged hour on the covered platforms (currency per hour): set in each scenario."""
    platforms: list[str] = Field(default_factory=lambda: ["freelancely"])
    categories: list[str] = Field(default_factory=lambda: ["writing", "design", "programming"])


class VehicleLicenceCapLever(Lever):
    """A cap on the vehicles licensed to work the categories (New York City, 14 Aug 2018, a one-year pause on new
    for-hire vehicle licences except wheelchair-accessible ones; extended on 7 Aug 2019). Each of the model's
    drivers drives her own car, so the licences are the active workers of the categories on `start` ×
    `licences_per_vehicle`; at each monthly round, entrants beyond that number are turned away (a new driver can
    only take up an idle licence or that of one who left)."""

    categories: list[str] = Field(default_factory=lambda: ["rides"])
    licences_per_vehicle: Annotated[float, Field(ge=1.0, le=10.0)] = 120_000 / 86_000
    """Licences per active vehicle when the cap starts: the cap froze licences, not vehicles at work. New York had
    "120,000 FHV vehicles, with 86,000 affiliated with Uber, Lyft, Via or Juno alone" (NYTWA, 2019 hearing on
    the cap's extension; the TLC's June 2019 report: licences "exceeds 120,000", France24; "86,000 for-hire
    vehicles operating", WCBS 880, 12 Jun 2019), so the licences are the active drivers on `start` × 120,000 /
    86,000 and the active drivers move freely below them (1.0: no idle licences)."""


class WindowLever(Lever):
    """A lever in force from `start` to the day before `end`."""

    end: Annotated[int, Field(ge=0, le=100_000)] = 365

    @model_validator(mode="after")
    def _ends_after_start(self):
        if self.end <= self.start:
            raise FieldError("end", f"must be after start ({self.start}), got {self.end}")
        return self


class UnemploymentAssistanceLever(WindowLever):
    """Unemployment benefits in spring 2020 (CARES Act, signed 27 Mar 2020), paid as money into savings at each
    month's close (gigsim.model.household.unemployment_income) while the lever is in force (to 31 July 2020, `end`).

    Claims open on `start`: workers whose main income is gig work (`full_time`) and who are in gig work claim
    Pandemic Unemployment Assistance (PUA), a weekly benefit of `replacement_rate` × their usual weekly net gig
    earnings; a share `main_job_loss_share` of side hustlers in the pool lose their main job (their other income
    stops to `end`) and claim regular unemployment insurance, `main_job_replacement_rate` × that job's weekly pay.
    Any week's benefit is reduced by gig earnings above `earnings_disregard` × the weekly benefit amount (a state's
    partial-benefit rule); Federal Pandemic Unemployment Compensation (FPUC) adds `weekly_supplement` in full to
    any week in which some benefit is due. What working costs a claimant in benefit lowers the worth of gig work
    against her outside option in the entry and exit rule and in the month-off rule (docs/model.md 7.16)."""

    weekly_supplement: NonNegative = 600.0
    """FPUC: $600 a week on top of any state or PUA benefit, to 31 July 2020 (CARES Act)."""
    replacement_rate: Share = 0.46
    """PUA's partial wage replacement, on average 46% of prior earnings (a CARES Act guide, March 2020)."""
    main_job_loss_share: Share = 0.0
    """Share of side hustlers who lose their main job on `start` (0: none)."""
    main_job_replacement_rate: Share = 0.47
    """Regular unemployment insurance's weekly benefit as a share of the lost job's weekly pay (Illinois: 47% of
    the wages of the base period's two highest quarters / 26)."""
    earnings_disregard: NonNegative = 0.5
    """Gig earnings up to this multiple of the weekly benefit amount leave the benefit whole; each dollar above
    reduces it by a dollar (Illinois, 56 Ill. Adm. Code 2920.15: 50%)."""


class InfectionRiskLever(WindowLever):
    """The risk of infection in work done in person (COVID-19, 2020): a cost per logged-in hour in the named
    categories while in force, valued at what employers paid frontline workers to keep working: the $2 an hour
    "hero pay" of Kroger, Amazon, Target and Walmart (March-May 2020), and/or a cost per day worked, higher for a
    drawn share at high risk of severe illness. It lowers the worth of a gig hour in the hours rule and in the
    entry and exit rule, and a day's cost can keep a worker home for the week (docs/model.md 7.16)."""

    categories: list[str] = Field(default_factory=lambda: ["rides", "stays"])
    cost_per_hour: NonNegative = 2.0
    # the exposure of a day worked, whatever its hours (docs/model.md 7.16): a worker stays home for the week when
    # her day's gig earnings do not cover it; a share of people at high risk of severe illness bear it × a factor
    cost_per_day: NonNegative = 0.0
    high_risk_share: Share = 0.0
    high_risk_factor: Annotated[float, Field(ge=1.0, le=100.0)] = 1.0
