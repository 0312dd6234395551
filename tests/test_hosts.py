"""Hosts' listings (docs/model.md 7.9 "Hosts' listings"): a host has one or more listings, each a room booked for a
stay's nights; guests see each free listing, so a host with more listings hosts more stays at once."""

from __future__ import annotations

import numpy as np
import pytest

from gigsim.model import population
from gigsim.model.kernels import matching
from gigsim.model.kernels.rooms import book_listing, free_listings
from gigsim.model.vocabulary import Fate, Flow, Matching
from tests.test_kernels import P, market_params, pool_of, settle, settlement_rows, tasks_of


def test_listings_are_drawn_for_hosts_at_the_sources_shares_and_mean():
    rng = np.random.default_rng(7)
    has_room = np.arange(200_000) % 2 == 0
    listings = population.draw_listings(0.80, 1.72, has_room, rng)
    hosts = listings[has_room]
    assert np.all(listings[~has_room] == 1)
    assert (hosts == 1).mean() == pytest.approx(0.80, abs=0.005)   # LearnAirbnb: 80% of hosts have one
    assert hosts.mean() == pytest.approx(1.72, abs=0.02)            # 430,000 listings / 250,000 hosts
    assert hosts[hosts > 1].min() == 2


def test_one_listing_each_draws_nothing():
    rng = np.random.default_rng(7)
    state = rng.bit_generator.state
    assert np.all(population.draw_listings(1.0, 1.72, np.ones(10, bool), rng) == 1)
    assert rng.bit_generator.state == state


def test_a_stay_books_the_listing_free_earliest_and_the_host_is_full_when_none_is_free():
    room_start = np.array([0, 1, 4], np.int64)           # worker 0: one listing; worker 1: three
    free_day = np.zeros(4, np.int32)
    assert book_listing(room_start, free_day, 0, 10, 3) == 13    # one listing: full until day 13, as before
    assert [book_listing(room_start, free_day, 1, 10, 3) for _ in range(3)] == [0, 0, 13]
    assert free_listings(room_start, free_day, 1, 12) == 0 and free_listings(room_start, free_day, 1, 13) == 3
    free_day[1:] = [14, 11, 12]
    assert book_listing(room_start, free_day, 1, 12, 3) == 12 and free_day[1:].tolist() == [14, 15, 12]


def test_a_host_applies_and_books_once_per_free_listing_in_the_matching_rounds():
    """Host 0 has three listings and the better rating, host 1 one listing; eight stays are open. Guests see each
    free listing, and a host takes every stay she wins while a listing is free: host 0 ends with three stays (all
    her listings booked), host 1 with one. Under one room per host each would host one."""
    params = market_params(rule=np.full(P, Matching.REPUTATION, np.int64), asset_days=np.full(1, 3, np.int64),
                           rounds=np.full(P, 10, np.int64))
    pool = pool_of(2, rating=[4.8, 3.0])._replace(free_listings=np.array([3, 1], np.int32),
                                                   room_start=np.array([0, 3, 4], np.int64),
                                                   room_free_day=np.zeros(4, np.int32),
                                                   member=np.array([[True, False], [True, False]]))
    tasks = tasks_of([Fate.OPEN] * 8, [-1] * 8, [0] * 8)
    rng = np.random.default_rng(5)
    won = np.zeros(2, bool)
    for _ in range(10):
        offsets, order = matching.open_task_index(tasks, P, 1, 1)
        applicants = matching.ready_applicants(pool.workers, pool, params, offsets)
        if applicants.size:
            matching.match_round(applicants, rng, pool, offsets, order, tasks, won, params)
    assert pool.wins.tolist() == [3, 1]
    assert pool.room_free_day.tolist() == [3, 3, 3, 3] and pool.asset_free_day.tolist() == [3, 3]
    assert pool.free_listings.tolist() == [0, 0]
    assert (tasks.fate == Fate.FILLED).sum() == 4


def test_listing_prices_follow_the_types_shares_and_average_the_categorys_price():
    rng = np.random.default_rng(11)
    has_room = np.ones(100_000, bool)
    has_room[::4] = False
    types = population.draw_listing_types((0.62, 0.35, 0.03), 0.156, has_room, rng)
    price = population.listing_prices(types, (0.62, 0.35, 0.03), (144.51, 80.67, 51.10))
    assert np.all(price[~has_room] == 1.0)
    hosts = price[has_room]
    entire, room = hosts.max(), np.median(hosts[hosts < hosts.max()])
    assert entire / room == pytest.approx(144.51 / 80.67, rel=1e-5)          # the rates' ratio (city-data, 2015)
    assert (hosts == entire).mean() == pytest.approx(0.62, abs=0.01)
    assert hosts.mean() == pytest.approx(1.0, abs=0.01)                       # the average listing: the list price
    assert population.listing_prices(types, (0.62, 0.35, 0.03), (1.0, 1.0, 1.0)) == pytest.approx(1.0)


def test_a_stay_is_paid_at_the_hosts_listing_price_and_other_work_at_the_posted_price():
    for asset_days, paid in ((3, 15.0), (0, 10.0)):
        tasks = tasks_of([Fate.FILLED], [0], [0])                             # posted price 10
        rows = settlement_rows(1)
        rows.listing_price[0] = 1.5                                           # an entire home
        flows, _ = settle(tasks, rows, market_params(asset_days=np.full(1, asset_days, np.int64)))
        assert tasks.price[0] == pytest.approx(paid)
        assert flows[Flow.CLIENT_PAYMENTS].sum() == pytest.approx(paid)      # the guest pays it
        assert rows.day_pay[0] == pytest.approx(0.8 * paid)                   # commission 0.2
