"""The workers' day: hours left at its start (docs/model.md §3 step 2) and the work done at its end (§7.9)."""

from __future__ import annotations

import numpy as np
from numba import njit

from gigsim.model.vocabulary import Status


@njit(cache=True)
def begin_day(rows, queue_days, hours_left, fresh):
    """Reset the day's flows; return hours left to offer today ((1 + queue_days of her category) × offered
    − backlog; 0 if not active) and whether each worker is fresh (active with no backlog: may take one task
    longer than her hours), written into `hours_left` (float64) and `fresh` (bool), every row (buffers
    reused day after day). `rows` are `DayStartRows`; `queue_days` has one entry per category plus a 0 for
    category −1 (none)."""
    status, hours_offered, backlog = rows.status, rows.hours_offered, rows.backlog
    for i in range(status.size):
        rows.day_pay[i] = 0.0
        rows.day_costs[i] = 0.0
        rows.day_task_hours[i] = 0.0
        rows.day_engaged_hours[i] = 0.0
        rows.day_tasks[i] = 0
        if status[i] == Status.ACTIVE:
            hours_left[i] = hours_offered[i] - backlog[i]  # float32 arithmetic, as the arrays are
            queue = queue_days[rows.category[i]]
            if queue > 0.0:
                hours_left[i] += queue * hours_offered[i]
            fresh[i] = backlog[i] <= 0.0
        else:
            hours_left[i] = 0.0
            fresh[i] = False
    return hours_left, fresh


@njit(cache=True)
def end_of_day_work(rows, ema_days):
    """Work the committed hours (backlog + today's engaged hours, at most the hours offered), carry the
    rest over, update the `ema_days` averages of net earnings and logged-in hours (active workers),
    savings and the weekly/monthly accumulators. `rows` are `WorkRows`. Returns the hours offered today
    (0 if not active), float32.

    A host (`rents_asset`: her category rents out her room) is paid for the room's nights, not for waiting:
    her logged-in hours are the hours she works for her guests (her engaged hours), so her hourly earnings are
    her net pay per hour of hosting work (docs/model.md 7.9)."""
    status, backlog = rows.status, rows.backlog
    n = status.size
    offered_today = np.empty(n, np.float32)
    decay = np.float32(1.0 - 1.0 / ema_days)
    days32 = np.float32(ema_days)
    for i in range(n):
        active = status[i] == Status.ACTIVE
        offered = rows.hours_offered[i] if active else np.float32(0.0)
        committed = backlog[i] + rows.day_engaged_hours[i]
        worked = min(committed, offered)
        rows.day_worked_hours[i] = worked
        offered_today[i] = offered
        backlog[i] = committed - worked if active else np.float32(0.0)
        net = rows.day_pay[i] - rows.day_costs[i]
        logged = rows.day_engaged_hours[i] if active and rows.rents_asset[i] else offered
        if active:
            rows.ema_net[i] = rows.ema_net[i] * decay + net / ema_days
            rows.ema_logged[i] = rows.ema_logged[i] * decay + logged / days32
        rows.savings[i] += net
        rows.month_net[i] += net
        rows.month_tasks[i] += rows.day_tasks[i]
        rows.week_logged[i] += logged
        rows.week_engaged[i] += rows.day_engaged_hours[i]
    return offered_today
