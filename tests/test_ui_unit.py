"""The UI's logic without a browser: settings ⇄ scenario, uploads, the results root, sessions, compare data."""

from __future__ import annotations

import io
import os
from urllib.parse import parse_qsl

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from gigsim.cli import app
from gigsim.errors import InputError, ScenarioError
from gigsim.model.vocabulary import Fate
from gigsim.scenario import load_scenario
from gigsim.ui import charts
from gigsim.ui import settings as S
from gigsim.ui.results import (
    OutsideResultsRoot,
    arm_table,
    arm_timeseries,
    list_experiments,
    open_experiment,
    resolve_under_root,
)
from gigsim.ui.session import (
    CLIENT_HISTORY_FIELDS,
    PLATFORM_HISTORY_FIELDS,
    STATUS_LABELS,
    ExploreSession,
    client_day,
    snowball_sample,
)
from tests.test_experiment_support import SMALL, write_experiment

runner = CliRunner()


# --------------------------------------------------------------------------- settings and export


def changed_settings(base):
    s = S.initial_settings(base)
    s.update({"workers": 1500, "seed": 7, "days": 90, "demand_factor": 1.3, "new_shock.on": True,
              "new_shock.start": 20, "new_shock.size": 0.5, "new_shock.length": 15,
              "new_shock.categories": [base.active_categories[0]],
              "lever.min_pay.enabled": True, "lever.min_pay.value": 21.5, "lever.cash_transfer.enabled": True,
              "lever.cash_transfer.value": 300.0})
    ramps = S.ramp_categories(base)
    if ramps:
        s.update({f"ramp.{ramps[0]}": 0.4, "ramp_start": 10, "ramp_end": 80})
    p = base.active_platforms[0]
    s[f"commission.{p}"] = 0.11
    s[f"matching.{p}"] = "cheapest"
    return s


@pytest.mark.parametrize("name", S.shipped_scenarios())
def test_unchanged_settings_give_back_the_shipped_scenario(name):
    base = S.load_shipped(name)
    assert S.build_scenario(base, S.initial_settings(base)) == base.model_copy(update={"extends": None})


@pytest.mark.parametrize("name", S.shipped_scenarios()[:3])
def test_exported_toml_loads_as_the_scenario_the_settings_describe(tmp_path, name):
    base = S.load_shipped(name)
    settings = changed_settings(base)
    sc = S.build_scenario(base, settings)
    path = tmp_path / "exported.toml"
    path.write_text(S.scenario_toml(sc), encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded == sc
    # the export is named and described as a new scenario, listing what changed
    assert sc.name == f"{base.name}_edited" and "Changed in the gigsim Explore page" in sc.description
    assert "lever.min_pay.value" in sc.description
    assert sc.demand.level == pytest.approx(base.demand.level * 1.3)
    # and the settings read back from the exported file are the ones that were set
    back = S.initial_settings(loaded)
    for key in ("workers", "seed", "days", "lever.min_pay.enabled", "lever.min_pay.value",
                f"commission.{base.active_platforms[0]}", f"matching.{base.active_platforms[0]}"):
        assert back[key] == settings[key], key
    shock = loaded.shocks[-1]
    assert (shock.start, shock.size, shock.end_day, shock.categories) == (20, 0.5, 35, [base.active_categories[0]])
    ramps = S.ramp_categories(base)
    if ramps:
        level = loaded.automation[ramps[0]].level
        assert (level.shape, level.start, level.end, level.end_level) == ("linear", 10, 80, 0.4)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def test_a_typed_name_and_description_go_into_the_export():
    base = S.load_shipped("baseline")
    settings = {**S.initial_settings(base), "name": "my_world", "description": "Mine."}
    sc = S.build_scenario(base, settings)
    assert (sc.name, sc.description) == ("my_world", "Mine.")
    assert 'name = "my_world"' in S.scenario_toml(sc)


def test_demand_reads_one_on_every_shipped_scenario():
    for name in S.shipped_scenarios():
        assert S.initial_settings(S.load_shipped(name))["demand_factor"] == 1.0


def test_every_shock_is_shown_and_edited_in_its_own_shape():
    base = S.load_shipped("pandemic")
    settings = S.initial_settings(base)
    assert len(base.shocks) == 4 and all(settings[f"shock.{i}.on"] for i in range(4))
    settings.update({"shock.1.size": 0.3, "shock.2.start": 250, "shock.0.on": False})
    sc = S.build_scenario(base, settings)
    names = [s.name for s in base.shocks]
    assert [s.name for s in sc.shocks] == names[1:]  # the lockdown dropped, the others kept in order
    reopening, wave = sc.shocks[0], sc.shocks[1]
    assert (reopening.shape, reopening.size, reopening.end_day) == ("decay", 0.3, base.shocks[1].end_day)
    assert (wave.start, wave.end_day - wave.start) == (250, base.shocks[2].end_day - base.shocks[2].start)
    assert wave.regions == base.shocks[2].regions and wave.shape == base.shocks[2].shape


def test_an_automation_path_keeps_its_shape_and_the_export_has_no_stray_fields(tmp_path):
    base = S.load_shipped("autonomous_rides")
    settings = S.initial_settings(base)
    assert settings["path.rides.midpoint"] == 240 and "path.rides.start" not in settings
    settings["path.rides.end_level"] = 0.45
    sc = S.build_scenario(base, settings)
    level = sc.automation["rides"].level
    assert (level.shape, level.end_level, level.midpoint, level.steepness) == ("logistic", 0.45, 240, 0.04)
    text = S.scenario_toml(sc)
    table = text[text.index("[automation.rides.level]"):].split("\n\n")[0]
    assert set(line.split(" =")[0] for line in table.splitlines()[1:]) == {
        "shape", "start_level", "end_level", "midpoint", "steepness"}
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path) == sc


def test_settings_round_trip_through_the_url_query():
    base = S.load_shipped("pandemic")
    settings = changed_settings(base)
    settings["shock.1.size"] = 0.25
    query = S.to_query("pandemic", base, settings)
    name, values = S.from_query(query)
    assert name == "pandemic" and S.apply_query(base, values) == settings
    assert "workers=1500" in query and "seed" in query and "lever.min_pay.enabled" in query
    # unknown keys, values of the wrong type and non-JSON text are ignored
    _, junk = S.from_query("scenario=baseline&workers=%22many%22&nope=1&seed=%7Bbad")
    assert S.apply_query(S.load_shipped("baseline"), junk) == S.initial_settings(S.load_shipped("baseline"))


def test_invalid_settings_are_a_clear_error():
    base = S.load_shipped("baseline")
    settings = S.initial_settings(base)
    settings.update({"days": 40, "new_shock.on": True, "new_shock.start": 10, "new_shock.size": 25.0})
    with pytest.raises(ScenarioError) as info:
        S.build_scenario(base, settings)
    assert "shocks[0].size" in str(info.value) and "between 0 and 20" in str(info.value)


# --------------------------------------------------------------------------- uploads


def test_upload_with_a_bad_field_names_the_file_and_field():
    with pytest.raises(ScenarioError) as info:
        S.parse_upload("mine.toml", b'extends = "baseline.toml"\n[population]\nworkrs = 10\n')
    assert str(info.value).startswith("mine.toml: population.workrs: unknown key 'workrs' (did you mean 'workers'?)")


@pytest.mark.parametrize(("data", "words"), [
    (b"\xff\xfe not text", "not UTF-8"),
    (b"[population\nworkers = 1", "not valid TOML"),
    (b'extends = "../../etc/passwd"\n', "can only extend a shipped scenario"),
    (b'extends = "/work/main/scenarios/baseline.toml"\n', "can only extend a shipped scenario"),
    (b"x = 1\n" * (S.MAX_UPLOAD_BYTES // 6 + 10), "upload limit"),
    (b"[population]\nworkers = -5\n", "population.workers: must be between 1 and"),
])
def test_bad_uploads_are_refused_with_a_clear_message(data, words):
    with pytest.raises(ScenarioError) as info:
        S.parse_upload("../evil/up.toml", data)
    message = str(info.value)
    assert message.startswith("up.toml: ") and words in message, message


def test_an_upload_too_big_for_memory_is_refused_with_the_estimate(monkeypatch):
    import psutil

    class Small:
        available = 1_000_000_000  # 1 GB: a 1,000-worker world (~0.4 GB with the process) fits, 5 M (~3.8 GB) does not

    monkeypatch.setattr(psutil, "virtual_memory", lambda: Small)
    with pytest.raises(ScenarioError) as info:
        S.parse_upload("huge.toml", b'extends = "baseline"\n[population]\nworkers = 5000000\nclients = 2500000\n')
    message = str(info.value)
    assert message.startswith("huge.toml: population.workers: a world of 5,000,000 workers") and "GB" in message
    assert S.parse_upload("ok.toml", b'extends = "baseline"\n[population]\nworkers = 1000\nclients = 500\n')


def test_upload_extending_a_shipped_scenario_is_merged():
    sc = S.parse_upload("x.toml", b'extends = "baseline"\nname = "mine"\n[demand]\nlevel = 1.7\n')
    assert sc.name == "mine" and sc.demand.level == 1.7
    assert sc.categories == S.load_shipped("baseline").categories


# --------------------------------------------------------------------------- the results root


def test_only_folders_under_the_results_root_open(tmp_path):
    root = tmp_path / "results"
    (root / "exp" / "sub").mkdir(parents=True)
    outside = tmp_path / "secret"
    outside.mkdir()
    (root / "link_out").symlink_to(outside, target_is_directory=True)
    (root / "link_in").symlink_to(root / "exp", target_is_directory=True)
    assert resolve_under_root(root, "exp") == (root / "exp").resolve()
    assert resolve_under_root(root, "exp/sub/..") == (root / "exp").resolve()
    assert resolve_under_root(root, str(root / "exp")) == (root / "exp").resolve()
    assert resolve_under_root(root, "link_in") == (root / "exp").resolve()
    for bad in ("..", "../secret", "exp/../../secret", str(outside), "/etc", "link_out", "link_out/."):
        with pytest.raises(OutsideResultsRoot) as info:
            resolve_under_root(root, bad)
        assert "outside the results root" in str(info.value)
    with pytest.raises(InputError, match="no such folder"):
        resolve_under_root(root, "nothing-here")
    with pytest.raises(InputError, match="choose an experiment"):
        resolve_under_root(root, "  ")


def test_cli_ui_refuses_a_missing_results_root(tmp_path):
    result = runner.invoke(app, ["ui", "--results-root", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such folder" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------- sessions and chart data


@pytest.fixture(scope="module")
def session():
    s = ExploreSession()
    s.reset(S.load_shipped("baseline").rescaled(1500))
    return s


def test_a_session_records_one_value_per_day_and_stops_at_the_horizon(session):
    assert session.day == 0 and all(len(v) == 0 for v in session.series.values())
    assert session.step(3) == 3
    assert session.series["day"] == [0.0, 1.0, 2.0]
    metrics = session.metrics()
    for name in ("participants", "median_net_hourly_earnings", "share_rideco", "gini_earnings"):
        np.testing.assert_allclose(session.series[name], metrics[name].to_numpy())
    other = ExploreSession()
    other.reset(S.load_shipped("baseline").rescaled(1500).with_overrides({"days": 2}))
    assert other.step(5) == 2 and other.done and other.step(1) == 0


def test_chart_data_matches_the_model(session):
    panels = charts.series_panels(session)
    titles = [p["title"] for p in panels]
    assert titles[4] == "Platform market shares"
    assert [line["name"] for line in panels[4]["lines"]] == session.model.platform_names
    colours = charts.network_colours(session)
    status = session.node_status()
    assert len(colours["status"]) == len(session.network.nodes) == 300
    assert sum(colours["status_counts"].values()) == 300
    w = session.model.workers
    nodes = session.network.nodes
    assert colours["status_counts"]["idle"] == int(((w.status[nodes] == 1) & (w.day_tasks[nodes] == 0)).sum())
    assert set(np.unique(status)) <= set(range(len(STATUS_LABELS)))
    layout = charts.network_layout(session)
    xy = np.array([n[1:] for n in layout["nodes"]])
    assert xy.min() >= 0 and xy.max() <= 1 and len(layout["edges"]) == len(session.network.edges)
    hist = charts.earnings_histogram(session)
    assert sum(hist["counts"]) == session.net_hourly_earnings().size
    assert len(hist["edges"]) == len(hist["counts"]) + 1


def test_snowball_sample_is_connected_and_unique(session):
    adj = session.model.worker_network
    nodes = snowball_sample(adj, 5, 200)
    assert nodes.size == 200 and np.unique(nodes).size == 200 and nodes[0] == 5


def test_inspecting_records_a_history_and_rejects_bad_ids(session):
    state = session.inspect("worker", "12")
    assert state["worker"] == 12
    session.step(2)
    assert [h["day"] for h in session.inspect_history] == [session.day - 2, session.day - 1]
    assert session.inspect_history[-1]["savings"] == session.model.worker(12).state()["savings"]
    assert session.inspect("platform", "rideco")["platform"] == "rideco"
    assert session.inspect_history == []  # a new agent starts a new history
    assert session.inspect("client", "3")["client"] == 3
    for kind, ident, words in [("worker", "abc", "whole number"), ("worker", "99999", "no worker 99999"),
                               ("platform", "uberx", "unknown platform"), ("client", "-1", "no client -1")]:
        with pytest.raises(ValueError, match=words):
            session.inspect(kind, ident)


def test_a_platforms_history_matches_the_markets_and_metrics_frames():
    s = ExploreSession()
    s.reset(S.load_shipped("baseline").rescaled(1500))
    s.step(2)  # history starts when the inspection does
    platform = "rideco"  # the busiest market, so six days of history see tasks filled
    s.inspect("platform", platform)
    s.step(6)
    history = s.inspect_history
    days = [h["day"] for h in history]
    assert days == list(range(2, 8)) and all(list(h) == ["day", *PLATFORM_HISTORY_FIELDS] for h in history)
    markets = s.model.market_metrics.filter((pl.col("platform") == platform) & pl.col("day").is_in(days))
    daily = markets.group_by("day").agg(pl.col("tasks_filled", "client_payments", "worker_pay", "platform_revenue",
                                                "tasks_posted").sum())
    # the markets frame leaves out idle days: those count as zero
    daily = pl.DataFrame({"day": days}).join(daily, on="day", how="left").fill_null(0).sort("day")
    assert [h["tasks_filled"] for h in history] == daily["tasks_filled"].cast(pl.Int64).to_list()
    assert sum(h["tasks_filled"] for h in history) > 0
    for name in ("client_payments", "worker_pay", "platform_revenue", "tasks_posted"):
        np.testing.assert_allclose([h[name] for h in history], daily[name].to_numpy(), rtol=1e-9, err_msg=name)
    shares = s.metrics().filter(pl.col("day").is_in(days))[f"share_{platform}"].to_list()
    np.testing.assert_allclose([h["market_share"] for h in history], shares)
    assert history[-1]["members"] == s.inspect("platform", platform)["members"] > 0
    panels = charts.inspect_panels("platform", platform, history)
    assert [line["name"] for line in panels[0]["lines"]] == ["tasks filled", "members"]
    assert panels[0]["days"] == days and panels[0]["lines"][0]["values"] == [h["tasks_filled"] for h in history]


def test_a_clients_history_counts_its_own_tasks_and_all_clients_add_up_to_the_day():
    s = ExploreSession()
    s.reset(S.load_shipped("baseline").rescaled(1500))
    s.step(1)
    streams = s.model.streams  # the client with the highest demand rate: it posts most days
    busiest = int(np.bincount(streams.client, weights=streams.rate).argmax())
    s.inspect("client", str(busiest))
    expected = []
    for _ in range(5):
        s.step(1)
        t = s.model.tasks
        mine = pl.DataFrame({"client": t.client, "fate": t.fate, "price": t.price}).filter(pl.col("client") == busiest)
        people = mine.filter(pl.col("fate").is_in([Fate.FILLED, Fate.DIRECT, Fate.REFERRAL]))
        expected.append((mine.height, mine.filter(pl.col("fate") == Fate.AUTOMATED).height, people.height,
                         mine.filter(pl.col("fate") == Fate.UNFILLED).height, people["price"].sum()))
    history = s.inspect_history
    assert [h["day"] for h in history] == [1, 2, 3, 4, 5]
    assert all(list(h) == ["day", *CLIENT_HISTORY_FIELDS] for h in history)
    got = [(h["tasks_posted"], h["tasks_automated"], h["tasks_filled"], h["tasks_unfilled"], h["spent"])
           for h in history]
    assert [g[:4] for g in got] == [e[:4] for e in expected] and sum(g[0] for g in got) > 0
    np.testing.assert_allclose([g[4] for g in got], [e[4] for e in expected])
    assert history[-1]["platforms"] == s.model.client(busiest).platforms
    # every client's day, summed, is the day in the metrics (the recorder counts it its own way)
    days = [client_day(s.model, c) for c in np.unique(s.model.tasks.client)]
    row = s.metrics().row(-1, named=True)
    assert sum(d["tasks_posted"] for d in days) == row["tasks_posted"]
    assert sum(d["tasks_automated"] for d in days) == row["tasks_automated"]
    assert sum(d["tasks_filled"] for d in days) == row["tasks_filled"]
    assert sum(d["tasks_unfilled"] for d in days) == row["tasks_unfilled"]
    assert sum(d["spent"] for d in days) == pytest.approx(row["client_payments"], rel=1e-9)
    panels = charts.inspect_panels("client", str(busiest), history)
    assert [p["title"] for p in panels] == [f"client {busiest}: tasks per day", f"client {busiest}: spent per day"]
    assert panels[0]["lines"][0]["values"] == [g[0] for g in got]


def test_exports_hold_the_runs_metrics(session):
    frame = pl.read_parquet(io.BytesIO(session.metrics_parquet()))
    assert frame.equals(session.metrics())
    csv = pl.read_csv(io.BytesIO(session.metrics_csv()))
    assert csv["day"].to_list() == frame["day"].to_list()


def test_two_sessions_share_nothing():
    base = S.load_shipped("baseline").rescaled(800)
    a, b = ExploreSession(), ExploreSession()
    a.reset(base)
    b.reset(base.with_overrides({"seed": 3}))
    a.step(4)
    assert b.day == 0 and a.day == 4 and a.model is not b.model and a.series is not b.series
    assert all(len(v) == 0 for v in b.series.values())


# --------------------------------------------------------------------------- compare


def make_small_experiment(folder):
    """A real, tiny experiment (3 arms × 2 seeds, 1,000 workers, 30 days) made with `gigsim experiment`.

    Returns the results root holding it as `small/`.
    """
    path = write_experiment(folder, SMALL.replace("days = 60", "days = 30"))
    result = runner.invoke(app, ["experiment", str(path), "--out", str(folder / "root" / "small"), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return folder / "root"


@pytest.fixture(scope="module")
def experiment_root(tmp_path_factory):
    return make_small_experiment(tmp_path_factory.mktemp("ui_results"))


def test_compare_page_data_agrees_with_gigsim_compare(experiment_root):
    from gigsim.analysis.compare import compare_results

    assert list_experiments(experiment_root) == ["small"]
    opened = open_experiment(experiment_root, "small")
    assert opened.arms == ["control", "floor", "recession"]
    assert opened.outcomes[:3] == ["median_net_hourly_earnings", "participants", "fill_rate"]
    table = arm_table(opened, ["fill_rate"], "last 30 days", ["control", "recession"])
    reference = compare_results(experiment_root / "small", ["last 30 days"]).table
    for row in table.iter_rows(named=True):
        ref = reference.filter((pl.col("arm") == row["arm"]) & (pl.col("outcome") == "fill_rate")).row(0, named=True)
        assert row["mean"] == pytest.approx(ref["mean"]) and row["ci_low"] == pytest.approx(ref["ci_low"])
    assert table["arm"].to_list() == ["control", "recession"] and table["n"].to_list() == [2, 2]
    series = arm_timeseries(opened, "participants", ["control", "floor"])
    assert series["days"] == list(range(30)) and [line["name"] for line in series["lines"]] == ["control", "floor"]
    daily = opened.comparison.metrics.filter(pl.col("arm") == "floor").group_by("day").agg(pl.col("participants").mean())
    assert series["lines"][1]["values"][10] == pytest.approx(daily.filter(pl.col("day") == 10)["participants"][0])
    with pytest.raises(InputError, match="is not a window"):
        arm_table(opened, ["fill_rate"], "lately", ["control"])
    with pytest.raises(OutsideResultsRoot):
        open_experiment(experiment_root / "small", "..")


def test_results_root_comes_from_the_environment(monkeypatch, tmp_path):
    from gigsim.ui.results import RESULTS_ROOT_ENV, results_root

    monkeypatch.setenv(RESULTS_ROOT_ENV, str(tmp_path))
    assert results_root() == tmp_path.resolve()
    assert os.environ[RESULTS_ROOT_ENV] == str(tmp_path)


# --------------------------------------------------------------------------- issue 18: server, increments, bases


def test_ui_starts_without_a_results_folder_and_refuses_a_taken_port(tmp_path, monkeypatch):
    import socket

    from gigsim.ui import server
    from gigsim.ui.results import RESULTS_ROOT_ENV

    monkeypatch.chdir(tmp_path)  # a fresh clone: no results/ yet
    monkeypatch.delenv(RESULTS_ROOT_ENV, raising=False)
    started = []
    monkeypatch.setattr("solara.__main__.cli.main", lambda **kw: started.append(kw["args"]))
    result = runner.invoke(app, ["ui", "--port", "0"])
    assert result.exit_code == 0, result.output
    assert started and os.environ[RESULTS_ROOT_ENV] == str((tmp_path / "results").resolve())
    assert list_experiments(tmp_path / "results") == []
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["ui", "--port", str(port)])
        assert result.exit_code == 2, result.output
        assert f"--port {port}" in result.stderr and "already in use" in result.stderr
        assert "Traceback" not in result.stderr
        with pytest.raises(InputError):
            server.check_port("127.0.0.1", port)
    assert len(started) == 1, "the server is not started on a taken port"


def test_live_panels_send_only_what_the_browser_lacks():
    s = ExploreSession()
    s.reset(S.load_shipped("baseline").rescaled(800))
    s.step(5)
    panels = charts.series_panels(s)
    assert all(p["chunk"]["offset"] == 0 and p["chunk"]["days"] == [1, 2, 3, 4, 5] for p in panels)
    for p in panels:
        s.acked[p["title"]] = 5
    s.step(2)
    panels = charts.series_panels(s)
    assert all(p["chunk"]["offset"] == 5 and p["chunk"]["days"] == [6, 7] for p in panels)
    first = panels[0]
    assert first["chunk"]["values"][0] == s.series["participants"][5:]
    assert first["floor"] == 0.0 and first["xmax"] == s.scenario.days and first["ylabel"] == "workers"
    shares = next(p for p in panels if p["title"] == "Platform market shares")
    assert (shares["floor"], shares["ceil"]) == (0.0, 1.0)
    s.acked[first["title"]] = 2  # one chart lacks days (a missed update): every chunk restarts there
    assert charts.series_panels(s)[0]["chunk"]["offset"] == 2
    s.reset(s.scenario)
    assert charts.series_panels(s)[0]["chunk"] == {"key": s.generation, "offset": 0, "acked": 0, "days": [],
                                                   "values": [[], []]}


def test_network_codes_index_their_legends(session):
    colours = charts.network_colours(session)
    assert all(0 <= c < len(colours["status_legend"]) for c in colours["status"])
    assert all(0 <= c < len(colours["category_legend"]) for c in colours["category"])
    worked = set(session.model.tasks_today().filter(pl.col("fate").is_in(["filled", "direct", "referral"]))["worker"]
                 .drop_nulls().to_list())
    for node, code in zip(session.network.nodes, colours["status"], strict=True):
        status = session.model.worker(int(node)).status
        assert STATUS_LABELS[code] == ({"active": "active" if int(node) in worked else "idle", "out": "not entered"}
                                       .get(status, status))


def test_compare_page_offers_whole_months_and_the_panel(experiment_root):
    from gigsim.analysis.compare import compare_results

    opened = open_experiment(experiment_root, "small")
    reference = compare_results(experiment_root / "small", ["all"]).table
    monthly = arm_table(opened, ["median_net_hourly_earnings"], "all", ["control", "floor"], "monthly")
    ref = reference.filter((pl.col("basis") == "monthly") & (pl.col("outcome") == "median_net_hourly_earnings")
                           & (pl.col("arm") == "floor")).row(0, named=True)
    row = monthly.filter(pl.col("arm") == "floor").row(0, named=True)
    assert row["mean"] == pytest.approx(ref["mean"]) and row["diff"] == pytest.approx(ref["diff"])
    panel = arm_table(opened, [], "all", ["control", "floor"], "panel")
    assert set(panel["outcome"]) == {"panel_mean_monthly_income", "panel_median_monthly_income",
                                     "panel_p10_monthly_income", "panel_active_share", "panel_mean_savings"}
    smooth = arm_timeseries(opened, "median_net_hourly_earnings", ["control"], smooth_days=30)
    daily = arm_timeseries(opened, "median_net_hourly_earnings", ["control"])
    assert smooth["lines"][0]["values"][0] == pytest.approx(daily["lines"][0]["values"][0])
    assert smooth["lines"][0]["values"][-1] == pytest.approx(np.mean(daily["lines"][0]["values"][-30:]), rel=1e-6)


def test_compare_page_choices_round_trip_through_the_url():
    from gigsim.ui.compare_page import read_query, write_query

    query = write_query("small", ["fill_rate", "participants"], ["control", "floor"], "last 30 days", "monthly")
    assert read_query(query) == {"exp": "small", "outcomes": ["fill_rate", "participants"],
                                 "arms": ["control", "floor"], "window": "last 30 days", "basis": "monthly"}
    assert read_query("") == {}


def test_ab_world_b_switches_one_lever_with_the_same_seed_and_the_difference_is_b_minus_a():
    base = S.load_shipped("baseline").rescaled(1000)
    b, change = S.ab_variant(base, "min_pay")
    assert b.policy.min_pay.enabled and not base.policy.min_pay.enabled and b.seed == base.seed
    assert b.model_copy(update={"policy": base.policy, "name": base.name}) == base.model_copy(update={"extends": None})
    assert change.startswith("min pay on")
    back, change_back = S.ab_variant(b, "min_pay")
    assert not back.policy.min_pay.enabled and change_back == "min pay off"
    with pytest.raises(ScenarioError, match="unknown lever"):
        S.ab_variant(base, "nope")
    a_run, b_run = ExploreSession(), ExploreSession()
    a_run.reset(base)
    b_run.reset(b)
    a_run.step(6)
    b_run.step(6)
    panels = charts.ab_panels(a_run, b_run)
    median = panels[0]["chunk"]["values"]
    assert median[0] == a_run.series["median_net_hourly_earnings"]
    assert median[1] == b_run.series["median_net_hourly_earnings"]
    diff = panels[-1]["chunk"]["values"][0]
    np.testing.assert_allclose(diff, np.subtract(median[1], median[0]))
    # the floor acts in B only (since freelance hires depend on skill, 30 Nov 2026, its top-ups over 6 days at
    # 1,000 workers no longer reach the median worker, so the median's difference may be 0 on every day)
    assert b_run.model.metrics["pay_floor_topups"].sum() > 0 == a_run.model.metrics["pay_floor_topups"].sum()


# --------------------------------------------------------------------------- the levers modelled as enacted

ENACTED_EDITS = {
    "nyc_pay_standard": {"enabled": True, "start": 30, "per_minute": 0.35, "per_mile": 0.9, "utilisation": "platform",
                         "responses": ["login_cap", "prices"], "target_utilisation": 0.7},
    "seattle_pay_standard": {"enabled": True, "start": 45, "per_minute": 0.5, "per_offer": 6.5,
                             "responses": ["onboarding"]},
    "minimum_ask": {"enabled": True, "start": 20, "hourly": 32.2, "categories": ["writing", "design"]},
    "retirement": {"enabled": True, "portable_share": 0.04, "min_quarterly_earnings": 800.0, "annual_return": 0.02},
    "portable_ratings": {"enabled": True, "start": 10, "carry_over": 0.5},
    "employment": {"enabled": True, "platforms": ["rideco", "staybnb"], "hourly_wage": 19.5, "reimburse_expenses": False},
}
"""For each lever of gigsim.scenario.levers, some fields set away from their defaults (as a user would)."""


def _enacted_settings(base, lever):
    s = S.initial_settings(base)
    s.update({f"lever.{lever}.{field}": value for field, value in ENACTED_EDITS[lever].items()})
    return s


def test_every_field_of_every_enacted_lever_has_a_setting_read_from_the_scenario():
    from gigsim.scenario.schema import PolicySpec

    base = S.load_shipped("policy_nyc_pay_standard")
    settings = S.initial_settings(base)
    for lever in ENACTED_EDITS:
        for field in PolicySpec.model_fields[lever].annotation.model_fields:
            assert f"lever.{lever}.{field}" in settings, (lever, field)
    assert settings["lever.nyc_pay_standard.enabled"] and settings["lever.nyc_pay_standard.start"] == 60
    assert settings["lever.nyc_pay_standard.responses"] == ["login_cap", "prices", "onboarding"]
    assert not settings["lever.seattle_pay_standard.enabled"]


@pytest.mark.parametrize("lever", list(ENACTED_EDITS))
def test_an_enacted_lever_set_on_the_page_is_in_the_scenario_the_url_and_the_export(tmp_path, lever):
    base = S.load_shipped("baseline")
    settings = _enacted_settings(base, lever)
    sc = S.build_scenario(base, settings)
    spec = getattr(sc.policy, lever)
    for field, value in ENACTED_EDITS[lever].items():
        assert getattr(spec, field) == value, field
    untouched = {k: v for k, v in sc.policy.model_dump().items() if k != lever}
    assert untouched == {k: v for k, v in base.policy.model_dump().items() if k != lever}
    # the URL holds exactly the changed fields and gives the settings back
    query = S.to_query("baseline", base, settings)
    assert {k for k, _ in parse_qsl(query)} - {"scenario"} == {
        f"lever.{lever}.{f}" for f in ENACTED_EDITS[lever]}
    name, values = S.from_query(query)
    assert name == "baseline" and S.apply_query(base, values) == settings
    # the exported TOML loads as the same scenario and reads back as the same settings
    path = tmp_path / "exported.toml"
    path.write_text(S.scenario_toml(sc), encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded == sc
    back = S.initial_settings(loaded)
    assert {k: back[k] for k in settings if k.startswith(f"lever.{lever}.")} == {
        k: v for k, v in settings.items() if k.startswith(f"lever.{lever}.")}


def test_employment_on_every_platform_is_the_option_all_and_back():
    base = S.load_shipped("baseline")
    settings = {**S.initial_settings(base), "lever.employment.enabled": True,
                "lever.employment.platforms": ["all", "rideco"]}
    sc = S.build_scenario(base, settings)
    assert sc.policy.employment.platforms == "all"
    assert S.initial_settings(sc)["lever.employment.platforms"] == ["all"]


def test_an_enacted_lever_naming_a_missing_category_is_a_clear_error():
    base = S.load_shipped("baseline")
    settings = {**S.initial_settings(base), "lever.nyc_pay_standard.enabled": True,
                "lever.nyc_pay_standard.categories": ["chauffeurs"]}
    with pytest.raises(ScenarioError, match="policy.nyc_pay_standard.categories"):
        S.build_scenario(base, settings)


def test_generated_sliders_follow_the_fields_bounds():
    from gigsim.ui import enacted

    base = S.load_shipped("baseline")
    controls = {c.field: c for c in enacted.field_controls("nyc_pay_standard", base)}
    util = controls["target_utilisation"]  # 0 < target_utilisation < 1: both ends a step inside
    assert util.kind == "float" and 0 < util.lo and util.hi < 1
    assert controls["per_minute"].lo == 0 and controls["per_minute"].hi >= 4 * 0.287
    assert controls["start"].kind == "int" and controls["start"].hi == base.days
    assert controls["utilisation"].options == ("sector", "platform")
    assert set(controls["responses"].options) == {"login_cap", "prices", "onboarding"}
    assert controls["categories"].options == tuple(base.active_categories)
    annual = {c.field: c for c in enacted.field_controls("retirement", base)}["annual_return"]
    assert (annual.lo, annual.hi) == (-0.5, 0.5)


@pytest.mark.parametrize("lever", list(ENACTED_EDITS))
def test_ab_switches_an_enacted_lever_alone(lever):
    a = S.build_scenario(S.load_shipped("baseline"), _enacted_settings(S.load_shipped("baseline"), lever))
    a = a.model_copy(update={"policy": a.policy.model_copy(
        update={lever: getattr(a.policy, lever).model_copy(update={"enabled": False})})})
    b, change = S.ab_variant(a, lever)
    assert getattr(b.policy, lever).enabled and b.seed == a.seed
    on = getattr(b.policy, lever).model_dump()
    assert {**on, "enabled": False} == getattr(a.policy, lever).model_dump()  # A's parameters, switched on
    assert change.startswith(lever.replace("_", " ") + " on (")
    back, change_back = S.ab_variant(b, lever)
    assert not getattr(back.policy, lever).enabled and change_back == lever.replace("_", " ") + " off"
