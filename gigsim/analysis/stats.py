"""The statistics every comparison uses: Student-t intervals of a mean over seeds, and paired differences.

One module, so `gigsim compare`, the report and the browser's Compare page compute the
same numbers the same way (issue 13):

- mean ± t(0.5 + c/2, n−1) · s / √n, with s the sample standard deviation (ddof 1) over the
  n seeds and c the confidence (0.95); undefined (None) with fewer than two values;
- a paired difference d_k = arm_k − control_k over the seeds both have (common random
  numbers), summarised the same way.

NaN and None are both "undefined" and left out (outputs use null; older files used NaN).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
"""The confidence of every interval the project reports."""


def t_quantile(dof, confidence: float = CONFIDENCE):
    """The two-sided Student-t quantile t(0.5 + confidence/2, dof); works elementwise on arrays."""
    return stats.t.ppf(0.5 + confidence / 2, dof)


def finite(values) -> np.ndarray:
    """The defined values as floats: None and NaN (and infinities) left out."""
    x = np.asarray([np.nan if v is None else v for v in values], dtype=float)
    return x[np.isfinite(x)]


def t_interval(values, confidence: float = CONFIDENCE) -> tuple[float, float | None, float | None]:
    """(mean, low, high): the Student-t confidence interval of the mean; low/high None with fewer than 2 values."""
    x = finite(values)
    if len(x) == 0:
        return math.nan, None, None
    mean = float(x.mean())
    if len(x) < 2:
        return mean, None, None
    half = float(t_quantile(len(x) - 1, confidence) * x.std(ddof=1) / math.sqrt(len(x)))
    return mean, mean - half, mean + half


def half_width(sd, n, confidence: float = CONFIDENCE):
    """Half-width t·sd/√n of the interval of a mean from its standard deviation and count (arrays allowed).

    0 where n < 2 or sd is missing (a band of no width: one seed says nothing about spread).
    """
    sd = np.nan_to_num(np.asarray(sd, dtype=float), nan=0.0)
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        half = t_quantile(np.maximum(n - 1, 1), confidence) * sd / np.sqrt(np.maximum(n, 1))
    return np.where(n > 1, half, 0.0)


def paired_difference(arm: Mapping[int, float | None], control: Mapping[int, float | None],
                      confidence: float = CONFIDENCE) -> dict | None:
    """Mean paired difference arm − control over the seeds both define, with its t-interval.

    Returns {n_pairs, diff, diff_low, diff_high, diff_pct} (diff_pct relative to the control's mean over
    the same seeds; None when that mean is 0), or None when no seed is shared.
    """
    def defined(v) -> bool:
        return v is not None and math.isfinite(v)

    seeds = sorted(s for s in arm if s in control and defined(arm[s]) and defined(control[s]))
    if not seeds:
        return None
    mean, low, high = t_interval([arm[s] - control[s] for s in seeds], confidence)
    base = float(np.mean([control[s] for s in seeds]))
    return {"n_pairs": len(seeds), "diff": mean, "diff_low": low, "diff_high": high,
            "diff_pct": (mean / base) if base else None}


def is_clear(low: float | None, high: float | None) -> bool:
    """Whether an interval of a difference excludes zero (a 'clear' effect at the interval's confidence)."""
    return low is not None and high is not None and (low > 0 or high < 0)


__all__ = ["CONFIDENCE", "t_quantile", "finite", "t_interval", "half_width", "paired_difference", "is_clear"]
