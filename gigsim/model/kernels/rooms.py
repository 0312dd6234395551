"""A host's listings (docs/model.md 7.9): each listing is a room booked for a stay's nights; a host can take a
stay while one of her listings is free. Her listings are rows `room_start[w]:room_start[w + 1]` of
`room_free_day` (the first day each is free again); `asset_free_day[w]` is the earliest of them."""

from __future__ import annotations

from numba import njit


@njit(cache=True, inline="always")
def book_listing(room_start, room_free_day, w, day, nights):
    """Book host w's listing that is free earliest for `nights` from `day`; return the first day one of her
    listings is free again (her new `asset_free_day`). One listing: day + nights, as before listings."""
    lo, hi = room_start[w], room_start[w + 1]
    first = lo
    for r in range(lo + 1, hi):
        if room_free_day[r] < room_free_day[first]:
            first = r
    room_free_day[first] = day + nights
    earliest = room_free_day[lo]
    for r in range(lo + 1, hi):
        if room_free_day[r] < earliest:
            earliest = room_free_day[r]
    return earliest


@njit(cache=True, inline="always")
def free_listings(room_start, room_free_day, w, day):
    """How many of host w's listings are free on `day` (guests see each free listing)."""
    free = 0
    for r in range(room_start[w], room_start[w + 1]):
        if room_free_day[r] <= day:
            free += 1
    return free
