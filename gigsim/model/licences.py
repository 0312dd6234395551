"""Vehicle licences under New York City's cap (docs/model.md 7.16): who holds one, and how many are held.

Each active worker of a capped category drives her own car, on one licence, so the licences held are the
categories' active workers. Two rules read that count: the monthly round that issues the licences and turns
away entrants beyond them (policies.login_limits.licence_cap), and the moves into the categories other than
by entry, which take only the free ones (household.free_licences). This module is their one owner of the count;
it imports only the worker state, so both can import it without a cycle.
"""

from __future__ import annotations

import numpy as np

from gigsim.model.state import ACTIVE


def licence_holders(model, categories) -> np.ndarray:
    """Bool (N): the workers holding a vehicle licence, the active workers of the capped `categories` (indices)."""
    w = model.workers
    return (w.status == ACTIVE) & np.isin(w.category, categories)


def licences_held(model, categories) -> int:
    """Licences held by active workers in the capped `categories` (indices): one per active worker."""
    return int(licence_holders(model, categories).sum())
