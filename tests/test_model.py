"""The model core (issue 2): money conservation, comparative statics, matching, reproducibility."""

from __future__ import annotations

import numpy as np
import pytest

from gigsim import GigEconomyModel
from gigsim.experiments.run import run_scenario, write_run
from gigsim.model import population
from gigsim.model.agents import Client, Platform, Worker
from gigsim.model.metrics import gini
from tests.helpers import baseline, mean_over_seeds, run


def test_money_is_conserved_every_day_without_policy():
    model = run(baseline(), 120)
    m = model.metrics
    assert m["client_payments"].sum() > 0
    gap = (m["client_payments"] - m["worker_pay"] - m["platform_revenue"]).abs()
    assert gap.max() <= 1e-6 * m["client_payments"].max()
    # workers' own accounts received what the markets paid out
    assert (m["tasks_posted"] == m["tasks_automated"] + m["tasks_filled"] + m["tasks_unfilled"]).all()


def test_every_worker_is_a_mesa_agent_viewing_its_row():
    sc = baseline(800)
    model = GigEconomyModel(sc, rng=3)
    model.step()
    # one agent per person the run will see: the pool at the start and its later arrivals (docs/model.md 7.11)
    assert len(model.agents_by_type[Worker]) == model.workers.n == population.arrival_days(sc).size
    assert population.in_pool(model.workers, model.day).sum() == sc.population.workers
    assert len(model.agents_by_type[Client]) == sc.population.clients
    assert len(model.agents_by_type[Platform]) == len(sc.active_platforms)
    worker = model.worker(17)
    model.workers.savings[17] = 1234.5
    assert worker.savings == 1234.5
    state = worker.state()
    assert state["worker"] == 17 and state["status"] in {"out", "active", "upskilling", "left"}
    assert model.platform("rideco").state()["platform"] == "rideco"


def test_more_demand_raises_earnings_and_participation():
    low = baseline(demand={"level": 0.8})
    high = baseline(demand={"level": 1.3})
    for column in ("median_net_hourly_earnings", "active_workers"):
        assert mean_over_seeds(high, 240, column) > mean_over_seeds(low, 240, column)


def test_higher_commission_lowers_worker_pay_per_task():
    def pay_share(commission: float) -> float:
        sc = baseline(platforms={p: {"commission": commission} for p in ("rideco", "staybnb", "freelancely")})
        m = run(sc, 90, debug=False).metrics
        return float(m["worker_pay"].sum() / m["tasks_filled"].sum())

    assert pay_share(0.35) < pay_share(0.10)


def _freelance_task_concentration(matching: str, seeds=range(3)) -> float:
    """Gini of the hours of work won over 120 days by active freelancers, in a slack market (demand × 0.6).

    Hours, not tasks: a worker's hours over a task depend on her skill (docs/model.md 7.5), so under random
    matching too the fast take more tasks in the same hours; counted in tasks the two rules give 0.667 and 0.665
    (seeds 0-2), in hours 0.617 and 0.548."""
    values = []
    for seed in seeds:
        sc = baseline(2000, platforms={"freelancely": {"matching": matching}}, demand={"level": 0.6})
        model = GigEconomyModel(sc, rng=seed, create_agents=False)
        hours = np.zeros(model.workers.n)
        for _ in range(120):
            model.step()
            hours += model.workers.day_task_hours
        w = model.workers
        online = np.isin(w.category, [model.category_names.index(c) for c in ("writing", "design", "programming")])
        values.append(gini(hours[online & (w.status == 1)]))
    return float(np.mean(values))


def test_reputation_ranking_concentrates_tasks_more_than_random_matching():
    assert _freelance_task_concentration("reputation") > _freelance_task_concentration("random") + 0.02


def _online_queue(days: float) -> dict:
    return {"categories": {c: {"queue_days": days} for c in ("writing", "design", "programming")}}


def test_queue_days_let_online_workers_take_work_beyond_todays_hours():
    """Hours left at the start of a day are (1 + queue_days) × hours offered − backlog. A worker with a backlog
    (not fresh) takes a task only if those hours cover it: with queue_days = 0 never a task longer than hours
    offered − backlog; with queue_days > 0 online workers do, workers in local categories (queue_days 0) still
    do not, whatever task they take."""
    def beyond_today(days: float) -> dict[str, int]:
        model = GigEconomyModel(baseline(1500, **_online_queue(days)), rng=3, debug=True, create_agents=False)
        w = model.workers
        online = np.array([model.config.categories[c].kind == "online" for c in model.category_names])
        counts = {"online": 0, "local": 0}
        for _ in range(60):
            in_online = (w.status == 1) & (w.category >= 0) & online[np.maximum(w.category, 0)]
            np.testing.assert_allclose(model.queue_allowance(), np.where(in_online, days * w.hours_offered, 0.0),
                                       rtol=1e-6)
            today = (w.hours_offered - w.backlog).astype(np.float64)  # hours left without a queue
            had_backlog = w.backlog > 0
            model.step()
            t = model.tasks
            taken = np.flatnonzero(t.worker >= 0)
            worker = t.worker[taken]
            beyond = had_backlog[worker] & (t.hours[taken] > today[worker] + 1e-6)  # her own hours over it
            counts["online"] += int((beyond & in_online[worker]).sum())
            counts["local"] += int((beyond & ~in_online[worker]).sum())
        return counts

    assert beyond_today(0.0) == {"online": 0, "local": 0}
    with_queue = beyond_today(0.5)
    assert with_queue["online"] > 100 and with_queue["local"] == 0, with_queue


def test_reputation_ranking_concentrates_freelance_work_with_or_without_room_to_queue():
    """The top-10% share of freelance tasks is higher under reputation ranking than under random matching, in a
    slack market (demand × 0.5) where freelancers have idle hours, whether or not they may hold more than one
    day's hours of work. Since bids clients trade rating against price (docs/model.md 7.5), the room to queue no
    longer adds much: busy top-rated freelancers raise their asks (asks follow utilisation) and lose tasks to
    cheaper applicants. Measured at 2,000 workers, 300 days, seeds 0-5: 20.0-24.6 points without room,
    18.6-25.9 with half a day (+0.8 on average); before that change 11.2-14.8 and 17.6-19.9. On the session-5
    baseline, seeds 0-3: 12.2-21.3 points without room and 12.7-17.7 with it; with months off (docs/model.md 7.11
    item 3a) 9.9-19.7 and 15.3-27.3: a seed's gap varies by about ±5 points, so the mean over two seeds is tested."""
    from gigsim.analysis.facts import measure_facts

    sc = baseline(2000, demand={"level": 0.5})
    for room in (0.0, 0.5):
        gaps = [measure_facts(sc.with_overrides(_online_queue(room)), seed, days=300,
                              facts=("top10_share_gap",))["top10_share_gap"] for seed in range(2)]
        assert np.mean(gaps) > 0.10, (room, gaps)


def test_same_seed_same_bytes(tmp_path):
    sc = baseline(1000)
    for name in ("a", "b"):
        write_run(run_scenario(sc, seed=7, days=40), tmp_path / name)
    for table in ("metrics.parquet", "markets.parquet", "workers.parquet"):
        assert (tmp_path / "a" / table).read_bytes() == (tmp_path / "b" / table).read_bytes()
    other = run_scenario(sc, seed=8, days=40)
    first = run_scenario(sc, seed=7, days=40)
    assert not first.metrics.equals(other.metrics)


def test_global_random_state_is_not_used():
    sc = baseline(600)
    np.random.seed(1)
    a = run(sc, 20, seed=5, debug=False).metrics
    np.random.seed(999)
    b = run(sc, 20, seed=5, debug=False).metrics
    assert a.equals(b)


def test_workers_rescaling_keeps_proportions():
    sc = baseline(3000)
    assert sc.population.workers == 3000
    assert sc.population.clients == 1500


def test_metrics_have_the_contract_columns():
    m = run(baseline(500), 5, debug=False).metrics
    required = ["day", "active_workers", "entries", "exits", "tasks_posted", "tasks_automated", "tasks_filled",
                "tasks_unfilled", "client_payments", "worker_pay", "platform_revenue",
                "median_net_hourly_earnings", "p10_net_hourly_earnings", "fill_rate", "gini_earnings",
                "financially_fragile_share"]
    assert [c for c in required if c not in m.columns] == []
    assert m.height == 5


def test_entries_and_exits_account_for_participation():
    m = run(baseline(), 150, debug=False).metrics
    change = m["participants"].diff().drop_nulls()
    net = (m["entries"] - m["exits"]).slice(1)
    assert (change == net).all()
    assert m["entries"].sum() > 0 and m["exits"].sum() > 0


def test_referrals_and_direct_hires_use_client_worker_ties():
    # a busy market, so favourites often lack the hours and pass work on (demand × 2: since workers keep offering the
    # share of their hours they chose when their week's time moves, and give more time when pay is unusually high,
    # favourites lack hours less often; at × 1.5 seed 1 had 17 referrals in 90 days before, 0 after, 25 at × 2)
    model = run(baseline(2000, demand={"level": 2.0}), 90, debug=False)
    m = model.metrics
    assert m["direct_hires"].sum() > 0
    assert (model.streams.favourite >= 0).sum() > 0
    assert m["referral_tasks"].sum() > 0
    rides = model.market_metrics.filter(model.market_metrics["category"] == "rides")
    assert rides.filter(rides["platform"] == "off_platform")["tasks_filled"].sum() == 0


@pytest.mark.parametrize("kind", ["small_world", "scale_free"])
def test_networks_have_the_requested_mean_degree(kind):
    sc = baseline(3000, network={"kind": kind, "mean_degree": 10})
    model = GigEconomyModel(sc, rng=2, create_agents=False)
    degree = np.diff(model.worker_network.indptr)
    assert 8.5 <= degree.mean() <= 10.5
    assert (model.worker_network != model.worker_network.T).nnz == 0
    if kind == "scale_free":
        assert degree.max() > 5 * degree.mean()  # a heavy tail
    else:
        assert degree.max() < 3 * degree.mean()


def test_networks_are_available_as_networkx_graphs():
    model = run(baseline(1500), 60, debug=False)
    w = model.workers
    sample = np.arange(200)
    social = model.worker_graph(sample)
    assert set(social.nodes) == set(range(200))
    assert all(model.worker_network[a, b] == 1 for a, b in social.edges)
    members = model.membership_graph(sample)
    assert members.number_of_edges() == int(w.member[sample].sum())
    assert set(members.neighbors("rideco")) == set(np.flatnonzero(w.member[sample, 0]).tolist())
    ties = model.client_worker_graph()
    s = model.streams
    assert ties.number_of_edges() == len({(c, f) for c, f in zip(s.client, s.favourite, strict=True) if f >= 0})
    assert sum(d["weight"] for _, _, d in ties.edges(data=True)) == int(s.tie_strength[s.favourite >= 0].sum())
    # repeat business: some ties carry several hires
    assert max(d["weight"] for _, _, d in ties.edges(data=True)) > 1


def test_model_scenario_is_the_world_it_was_built_from():
    sc = baseline(400)
    model = GigEconomyModel(sc, rng=2)
    assert model.scenario is sc and model.config is sc
    assert model.mesa_scenario.model is model  # Mesa's own (empty) Scenario is kept, bound to the model
    assert model.worker(0).scenario is sc  # Mesa agents reach it too
    with pytest.raises(AttributeError):
        model.scenario = baseline(400)


def test_agent_properties_read_and_write_their_row():
    model = GigEconomyModel(baseline(400), rng=2)
    worker = model.worker(3)
    others = np.delete(model.workers.savings.copy(), 3)
    worker.savings = 5
    assert np.array_equal(np.delete(model.workers.savings, 3), others)  # only her row changed
    assert model.workers.savings[3] == 5.0 and worker.savings == 5.0
    worker.hours_offered = 2.5
    assert model.workers.hours_offered[3] == np.float32(2.5)
    worker.skill[1] = 0.9  # a 2-D field's row is a writable view
    assert model.workers.skill[3, 1] == np.float32(0.9)
    worker.status = "left"
    assert model.workers.status[3] == 3 and worker.status == "left"
    worker.category = "rides"
    assert model.category_names[model.workers.category[3]] == "rides"
    worker.category = None
    assert model.workers.category[3] == -1
    client = model.client(2)
    client.wtp = 2.0
    assert model.clients.wtp[2] == np.float32(2.0) and client.wtp == 2.0
    # every state field is an agent property
    for name in ("reservation_wage", "ema_net", "member", "month_history", "backlog"):
        assert isinstance(getattr(type(worker), name), property)


def test_output_tables_hold_nulls_never_nan_or_sentinels():
    import polars as pl

    from gigsim.model.state import NO_DAY

    # no past moves either: the baseline's start moves some drivers into programming (population.past_moves)
    model = run(baseline(800, categories={"programming": {"worker_share": 0.0}}, population={"past_moves": None}), 40,
                debug=False)
    tables = {"metrics": model.metrics, "markets": model.market_metrics, "workers": model.worker_table()}
    for name, frame in tables.items():
        nans = frame.select(pl.col(pl.Float32, pl.Float64).is_nan().sum()).sum_horizontal().item()
        assert nans == 0, f"NaN in {name}"
    # nobody works in programming: its mean hourly earnings are undefined every day
    assert tables["metrics"]["net_hourly_programming"].null_count() == tables["metrics"].height
    workers, w = tables["workers"], model.workers
    never = w.first_entry_day == NO_DAY
    assert never.any() and (~never).any()
    assert workers["first_entry_day"].is_null().to_numpy().tolist() == never.tolist()
    assert workers["exit_day"].is_null().to_numpy().tolist() == (w.exit_day == NO_DAY).tolist()
    assert (workers["exit_day"].drop_nulls() != NO_DAY).all()
    not_logged = workers.filter(pl.col("net_hourly_earnings").is_null())
    assert not_logged.height > 0 and (not_logged["status"] != "active").any()
    assert workers["employer"].null_count() == w.n  # no employees without the classification lever
    months = workers["monthly_net_earnings"].explode()
    assert months.null_count() > 0 and not months.drop_nulls().is_nan().any()
