"""Per-category aggregates of worker arrays: one place for "the mean of X over the workers of each category".

Used by the monthly rounds (decisions.category_earnings, upskilling.newcomer_earnings and upskilling's signal test,
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


def category_standard_error(values: np.ndarray, categories: np.ndarray, mask: np.ndarray,
                            n_categories: int) -> np.ndarray:
    """(C) the standard error of each category's `category_mean` over the same rows: the spread of `values` around
    their category's mean, pooled over categories (so a category of one row has one), over √(the category's count);
    inf where a category has no row. Units are those of `values`."""
    selected = mask & (categories >= 0)
    cats, x = categories[selected], values[selected]
    count = np.bincount(cats, minlength=n_categories)
    mean = category_mean(values, categories, mask, n_categories, empty=0.0)
    dof = x.size - np.count_nonzero(count)
    spread = np.sqrt(((x - mean[cats]) ** 2).sum() / dof) if dof > 0 else 0.0
    return np.where(count > 0, spread / np.sqrt(np.maximum(count, 1)), np.inf)
