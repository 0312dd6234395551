"""Portable ratings: a worker's reputation follows her to a platform she joins.

When a worker becomes a member of a platform on which she has no ratings yet, `carry_over` of her rating
record on the other platforms (sum and count) is written onto the new one, so the new platform ranks her
as her record elsewhere says. A carry-over of 1 keeps her mean rating and its weight.
"""

from __future__ import annotations

import numpy as np


def carried_record(rating_sum: np.ndarray, rating_count: np.ndarray, joined: np.ndarray, carry_over: float):
    """(sum, count) written on each newly joined platform (N, P): carry_over × her record on the others."""
    total_sum = rating_sum.sum(axis=1, keepdims=True, dtype=np.float64)
    total_count = rating_count.sum(axis=1, keepdims=True, dtype=np.int64)
    fresh = joined & (rating_count == 0)
    new_sum = np.where(fresh, carry_over * (total_sum - rating_sum), 0.0)
    new_count = np.where(fresh, np.rint(carry_over * (total_count - rating_count)), 0)
    # the mean is kept: the sum follows the rounded count
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(new_count > 0, new_sum / np.maximum(carry_over * (total_count - rating_count), 1e-12), 0.0)
    return mean * new_count, new_count.astype(np.int64)


def carried_record_per_agent(sums: list[float], counts: list[int], p: int, carry_over: float) -> tuple[float, int]:
    """Reference for one worker joining platform p."""
    if counts[p] > 0:
        return 0.0, 0
    other_sum = sum(s for q, s in enumerate(sums) if q != p)
    other_count = sum(c for q, c in enumerate(counts) if q != p)
    count = round(carry_over * other_count)
    mean = other_sum / other_count if other_count else 0.0
    return mean * count, count


def import_ratings(model, member_before: np.ndarray, carry_over: float) -> int:
    """Write carried records onto platforms joined since `member_before`; returns how many were carried."""
    w = model.workers
    joined = w.member & ~member_before
    if not joined.any():
        return 0
    add_sum, add_count = carried_record(w.rating_sum, w.rating_count, joined, carry_over)
    w.rating_sum += add_sum.astype(np.float32)
    w.rating_count += add_count.astype(np.int32)
    return int((add_count > 0).sum())
