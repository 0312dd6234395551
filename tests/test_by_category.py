"""The per-category mean (gigsim.model.by_category.category_mean) that the monthly rounds share: the mean over
the selected rows of each category, `empty` where a category has none, rows without a category never counted,
and the sum taken row by row in index order (so the three callers it replaced kept their bytes)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gigsim.model.by_category import category_mean, category_standard_error

N_CATEGORIES = 4

rows = st.lists(st.tuples(st.integers(-1, N_CATEGORIES - 1),
                          st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                          st.booleans()), max_size=40)


@settings(max_examples=200, deadline=None)
@given(rows)
def test_each_category_is_the_mean_of_its_selected_rows_summed_in_index_order(data):
    categories = np.array([c for c, _, _ in data], dtype=np.int64)
    values = np.array([v for _, v, _ in data], dtype=np.float64)
    mask = np.array([m for _, _, m in data], dtype=bool)
    got = category_mean(values, categories, mask, N_CATEGORIES, empty=np.nan)
    assert got.shape == (N_CATEGORIES,)
    for c in range(N_CATEGORIES):
        picked = [v for cat, v, m in data if m and cat == c]
        if not picked:
            assert np.isnan(got[c])
            continue
        total = 0.0
        for v in picked:  # row by row, as np.bincount adds them
            total += v
        assert got[c] == total / len(picked)


def test_rows_without_a_category_are_never_counted_and_empty_is_the_callers_choice():
    values = np.array([10.0, 2.0, 4.0, 100.0])
    categories = np.array([-1, 1, 1, 2])
    mask = np.array([True, True, True, False])
    assert category_mean(values, categories, mask, 3, empty=0.0).tolist() == [0.0, 3.0, 0.0]
    nan_empty = category_mean(values, categories, mask, 3)
    assert np.isnan(nan_empty[0]) and nan_empty[1] == 3.0 and np.isnan(nan_empty[2])


def test_category_standard_error_pools_the_spread_and_divides_by_each_count():
    """Rows 1, 3 in category 0 and 5 in category 1 (a row without a category and a masked row ignored): means 2 and
    5, pooled spread √(2 / (3 − 2)) = √2, so standard errors √2/√2 = 1 and √2; nobody in category 2: inf."""
    values = np.array([1.0, 3.0, 5.0, 100.0, 7.0])
    categories = np.array([0, 0, 1, -1, 1])
    mask = np.array([True, True, True, True, False])
    se = category_standard_error(values, categories, mask, 3)
    assert se[0] == pytest.approx(1.0) and se[1] == pytest.approx(np.sqrt(2.0)) and np.isinf(se[2])
