"""Measures of a run's tables that the scorecard compares with published levels.

Every function takes a `RunTables` (arrays built from what `gigsim run` writes: metrics, markets and
workers parquet and the worker panels panel_weekly / panel_monthly, see gigsim.analysis.facts.tables_from_run)
and returns a number, or None when the run does not define it (no ride drivers, no hosts, ...). None is never
replaced by a guess.

The arrays (from the outputs named):
- `month_status`, `month_category` (months × workers): status code and category after each monthly round
  (panel_monthly);
- `week_hours`, `week_category` (weeks × workers): logged-in hours of each worker who was active in one
  category on all seven days of the week (NaN otherwise; panel_weekly `full_week`) and her category on the
  week's first day (−1: none or no row);
- `first_task_day` (workers): first day she did a task, burn-in days negative (NaN: never; workers.parquet);
- `run_pay` (workers): gross pay over the whole recorded run; `window_pay` over the weeks wholly inside the
  measurement window (panel_weekly `gross_pay`);
- `ride_platforms` (workers): ride-hailing platforms she is a member of at the end (workers `member_by_platform`);
- `logged_by_category` (days × categories): logged-in hours of active workers per category and day
  (metrics `logged_hours_<category>`);
- `tasks_by_category`, `task_skill` (days × categories): tasks done by workers of each category, and their
  sum weighted by the doer's skill (0..1) in that category (metrics `tasks_won_<category>` and
  `hired_skill_<category>`);
- `rating_count` (workers × platforms): ratings received on each platform (workers `ratings_by_platform`).
Units: hours per week, currency, shares in 0..1. A model month is 30 days, a week 7.

The measures are grouped by what they read, one module each (all importable from here, as the scorecard's
`data/measures.toml` names them): `tables` (RunTables, the panels' codes and names, shared helpers), `rides`
(drivers' weekly hours, pay and time per logged-in hour, multi-homing), `participation` (the monthly panel),
`income` (platform share of income, earnings change), `freelance` (online workers) and `stays` (home-sharing).
"""

from __future__ import annotations

from gigsim.analysis.measures.freelance import (
    PROGRAMMING,
    freelance_established,
    freelance_ever_hired,
    programming_fill_rate,
)
from gigsim.analysis.measures.income import (
    capital_income_share,
    income_dependent_share,
    labour_income_share,
    monthly_earnings_change,
    monthly_income_shares,
    net_earnings_history,
)
from gigsim.analysis.measures.participation import (
    active_share_of_span,
    cohort_weights,
    entrant_share,
    month_to_year_participation,
    months_active_up_to_3,
    retention_12m,
    ride_months_active,
    ride_months_up_to_3,
    ride_weeks_per_driver,
)
from gigsim.analysis.measures.rides import (
    ride_driver_weeks,
    ride_fare_hourly,
    ride_gross_hourly,
    ride_hours_35_plus,
    ride_hours_share_35_plus,
    ride_hours_up_to_15,
    ride_logged_hours,
    ride_mean_weekly_hours,
    ride_multihoming,
    ride_net_hourly,
    ride_net_to_gross,
    ride_utilisation,
    ride_weekly_swing,
)
from gigsim.analysis.measures.stays import (
    host_listings,
    stays_booked_share_of_active_nights,
    stays_listing_churn_6m,
    stays_listings,
    stays_mean_to_median,
    stays_occupancy,
    stays_top1_share,
)
from gigsim.analysis.measures.tables import (
    ACTIVE_CODE,
    MONTH,
    RIDES,
    STAYS,
    WEEK,
    RunTables,
    market_window,
    share_of,
)

__all__ = [
    "RunTables",
    "share_of",
    "market_window",
    "ACTIVE_CODE",
    "MONTH",
    "WEEK",
    "RIDES",
    "STAYS",
    "ride_driver_weeks",
    "ride_hours_up_to_15",
    "ride_hours_35_plus",
    "ride_hours_share_35_plus",
    "ride_mean_weekly_hours",
    "ride_weekly_swing",
    "ride_logged_hours",
    "ride_utilisation",
    "ride_net_to_gross",
    "ride_gross_hourly",
    "ride_net_hourly",
    "ride_fare_hourly",
    "ride_multihoming",
    "retention_12m",
    "entrant_share",
    "months_active_up_to_3",
    "month_to_year_participation",
    "ride_months_active",
    "ride_months_up_to_3",
    "ride_weeks_per_driver",
    "cohort_weights",
    "active_share_of_span",
    "net_earnings_history",
    "monthly_income_shares",
    "labour_income_share",
    "capital_income_share",
    "income_dependent_share",
    "monthly_earnings_change",
    "freelance_ever_hired",
    "programming_fill_rate",
    "freelance_established",
    "PROGRAMMING",
    "stays_listings",
    "host_listings",
    "stays_occupancy",
    "stays_booked_share_of_active_nights",
    "stays_listing_churn_6m",
    "stays_mean_to_median",
    "stays_top1_share",
]
