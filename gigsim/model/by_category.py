"""Per-category aggregates of worker arrays: one place for "the mean of X over the workers of each category".

Used by the monthly rounds (decisions.category_earnings, upskilling.newcomer_earnings,
household.room_rent_per_hour); the per-agent reference keeps its own loops (it mirrors the rule, not the code).
"""

from __future__ import annotations

import numpy as np


def category_mean(values: np.ndarray, categories: np.ndarray, mask: np.ndarray, n_categories: int,
                  empty: float = np.nan) -> np.ndarray:
    """(C) the mean of `values` over the rows selected by `mask`, per category; `empty` where a category has none.

    `values` and `categories` are (N) arrays of the same rows (categories are indices 0..C−1; a row without a
    category, index < 0, is never counted whatever `mask` says); `mask` is a bool (N) selection. Units are those
    of `values`. The sums are np.bincount's (rows added in index order), so the result is the same to the bit as
    the bincount sums each caller used to write out. `empty` is what a caller reads for a category with nobody in
    it: NaN (undefined; the caller turns it into null or skips it) or a neutral value such as 0.
    """
    selected = mask & (categories >= 0)
    cats = categories[selected]
    total = np.bincount(cats, weights=values[selected], minlength=n_categories)
    count = np.bincount(cats, minlength=n_categories)
    return np.where(count > 0, total / np.maximum(count, 1), empty)
