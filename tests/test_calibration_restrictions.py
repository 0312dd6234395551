"""The calibration's equilibrium restrictions (gigsim.analysis.restrictions), on an analytic toy whose loss is
smallest where earnings-driven exit is switched off: the restrictions change which point is chosen, infeasible
points rank after every feasible one (by violation), the record and the candidates carry the restrictions'
values, and a scenario on which they cannot be measured exits 2 naming the file and the field."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from typer.testing import CliRunner

from gigsim.analysis import restrictions as rs
from gigsim.analysis.calibration import calibrate, toml_snippet
from gigsim.analysis.calibration_record import read_record
from gigsim.cli import app
from tests.test_calibration_refine import BASELINE, LOW, PARAMS, RANGE, Toy, unit

EXIT = [p.path for p in PARAMS].index("behaviour.exit_rate")


class EquilibriumToy(Toy):
    """Toy moments with the loss smallest at u = 0.1 of every range, and restrictions that hold only where the
    exit rate is high: share below the outside option 0.45 − 0.5 u_exit (≤ 0.25 needs u_exit ≥ 0.4); the pay
    rise's hourly fall 2 u_exit − 0.2 (≥ 0.3 needs u_exit ≥ 0.25); late drivers 1 + 0.5 u_exit (≥ 1.2 needs 0.4)."""

    def __call__(self, point, seeds):
        u_exit = (point[EXIT] - LOW[EXIT]) / RANGE[EXIT]
        return [{**m, "below_outside_option": 0.45 - 0.5 * u_exit, "pay_rise_hourly_fall": 2 * u_exit - 0.2,
                 "pay_rise_driver_ratio": 1 + 0.5 * u_exit, "pay_rise_effect_month1": 2.0,
                 "pay_rise_effect_late": 2.2 - 2 * u_exit}
                for m in super().__call__(point, seeds)]


@pytest.fixture(scope="module")
def sc():
    from gigsim.scenario import load_scenario

    return load_scenario(BASELINE).rescaled(200)


def _exit_share(row: dict) -> float:
    return (row["behaviour.exit_rate"] - LOW[EXIT]) / RANGE[EXIT]


def test_the_restrictions_change_which_point_is_chosen(sc):
    free = tuple(j == EXIT or j == 0 for j in range(len(PARAMS)))
    runs = {on: calibrate(sc, budget=24, seeds=(0, 1), identify=False, free=free, evaluate=EquilibriumToy(unit(0.1)),
                          restrict=on) for on in (True, False)}
    on, off = (runs[k].candidates.row(0, named=True) for k in (True, False))
    assert _exit_share(off) < 0.4 and off["below_outside_option"] > 0.25        # the loss alone picks low exit
    assert on["feasible"] and on["violation"] == 0 and _exit_share(on) >= 0.4
    assert on["below_outside_option"] <= 0.25 and on["pay_rise_hourly_fall"] >= 0.3
    assert on["pay_rise_driver_ratio"] >= 1.2
    assert on["loss"] > off["loss"]                                                # the restriction has a price
    assert off["feasible"] is None and off["violation"] is None                    # not judged when switched off


def test_infeasible_points_rank_after_every_feasible_one_by_violation(sc):
    cal = calibrate(sc, budget=24, seeds=(0,), identify=False, evaluate=EquilibriumToy(unit(0.1)))
    frame = cal.candidates
    feasible = frame["feasible"].to_list()
    assert any(feasible) and not all(feasible)
    assert feasible == sorted(feasible, reverse=True)                              # every feasible point first
    ok = frame.filter(pl.col("feasible"))
    assert ok["loss"].to_list() == sorted(ok["loss"].to_list())                    # ...ranked by loss
    bad = frame.filter(~pl.col("feasible"))
    assert bad["violation"].to_list() == sorted(bad["violation"].to_list())        # then by violation
    assert (bad["violation"] > 0).all()
    recomputed = [rs.violation(r) for r in frame.iter_rows(named=True)]
    assert np.allclose(recomputed, frame["violation"].to_numpy())


def test_a_restriction_a_point_cannot_produce_counts_as_violated(sc):
    cal = calibrate(sc, budget=4, seeds=(0,), identify=False, evaluate=Toy(unit(0.5)))   # no restriction values
    assert not cal.candidates["feasible"].any()
    assert np.allclose(cal.candidates["violation"].to_numpy(), len(rs.RESTRICTIONS) * rs.UNDEFINED_VIOLATION)


def test_the_record_and_its_confirmation_carry_the_restrictions(sc, tmp_path):
    cal = calibrate(sc, budget=12, seeds=(0, 1), identify=False, evaluate=EquilibriumToy(unit(0.1)),
                    confirm_seeds=(5, 6))
    best = cal.candidates.row(0, named=True)
    path = tmp_path / "best.toml"
    path.write_text(toml_snippet(cal, sc, 12, (0, 1), 730))
    c = read_record(path)["calibration"]
    assert c["restricted"] is True and c["feasible"] == best["feasible"] and c["violation"] == best["violation"]
    assert c["feasible_points"] == int(cal.candidates["feasible"].sum())
    assert c["below_outside_option_max"] == 0.25 and c["pay_rise_hourly_fall_min"] == 0.3
    assert c["pay_rise_driver_ratio_min"] == 1.2
    for key in ("below_outside_option", "pay_rise_hourly_fall", "pay_rise_driver_ratio", "pay_rise_effect_month1",
                "pay_rise_effect_late"):
        assert c["restrictions"][key] == pytest.approx(best[key])
    zero = cal.candidates.filter(pl.col("point") == 0).row(0, named=True)
    assert c["current_feasible"] == zero["feasible"]
    assert c["confirm_best_feasible"] == (c["confirm_best_below_outside_option"] <= 0.25
                                          and c["confirm_best_pay_rise_hourly_fall"] >= 0.3
                                          and c["confirm_best_pay_rise_driver_ratio"] >= 1.2)
    off = calibrate(sc, budget=2, seeds=(0,), identify=False, evaluate=EquilibriumToy(unit(0.1)), restrict=False)
    path.write_text(toml_snippet(off, sc, 2, (0,), 730))
    assert read_record(path)["calibration"]["restricted"] is False


def test_the_share_below_the_outside_option_counts_active_workers_with_a_known_hourly():
    hourly = np.array([10.0, 20.0, np.nan, 5.0, 1.0])
    autonomy = np.array([1.0, 0.0, 0.0, 0.0, 0.0])
    reservation = np.array([12.0, 15.0, 15.0, 15.0, 15.0])
    active = np.array([True, True, True, True, False])
    assert rs.share_below_outside_option(hourly, autonomy, reservation, active) == pytest.approx(2 / 3)
    assert rs.share_below_outside_option(hourly, autonomy, reservation, np.zeros(5, bool)) is None


def test_the_pay_rises_effects_are_the_prevailing_wage_over_each_window_treated_minus_control():
    """Control: drivers' net pay 1,500 a day over 100 hours logged in (15 per hour), 50 drivers. Treated: 18 per
    hour in month 1 (+3), 16 late (+1: a fall of 2), 65 drivers late (1.3×). The wage is the window's pay over its
    hours, not a mean of daily ratios: a late day of 1 hour at 100 per hour barely moves it."""
    days = np.arange(rs.PAY_RISE_DAYS)
    late = days >= rs.PAY_RISE_WINDOWS["late"][0]
    logged = np.full(days.size, 100.0)
    control = pl.DataFrame({"day": days, "net": 15.0 * logged, "logged": logged, "drivers": np.full(days.size, 50.0)})
    treated = pl.DataFrame({"day": days, "net": np.where(late, 16.0, 18.0) * logged, "logged": logged,
                            "drivers": np.where(late, 65.0, 50.0)})
    out = rs.pay_rise_effects(control, treated)
    assert out["pay_rise_effect_month1"] == pytest.approx(3.0) and out["pay_rise_effect_late"] == pytest.approx(1.0)
    assert out["pay_rise_hourly_fall"] == pytest.approx(2.0) and out["pay_rise_driver_ratio"] == pytest.approx(1.3)
    assert rs.violation({"below_outside_option": 0.1, **out}) == 0
    one = days == rs.PAY_RISE_WINDOWS["late"][0]
    odd = treated.with_columns(logged=pl.when(pl.lit(one)).then(1.0).otherwise(pl.col("logged")),
                               net=pl.when(pl.lit(one)).then(100.0).otherwise(pl.col("net")))
    assert rs.pay_rise_effects(control, odd)["pay_rise_effect_late"] == pytest.approx(1 + 84 / 2901, rel=1e-6)
    kept = treated.with_columns(net=18.0 * pl.col("logged"))                   # not competed away
    assert rs.pay_rise_effects(control, kept)["pay_rise_hourly_fall"] == pytest.approx(0.0)
    assert rs.violation({"below_outside_option": 0.1, **rs.pay_rise_effects(control, kept)}) == pytest.approx(0.3)
    gone = treated.with_columns(logged=pl.lit(0.0), net=pl.lit(0.0))            # no hours: undefined
    assert rs.pay_rise_effects(control, gone) == rs.NO_PAY_RISE


def test_a_scenario_without_ride_apps_exits_2_unless_the_restrictions_are_off(tmp_path):
    scenario = tmp_path / "no_rides.toml"
    scenario.write_text(f'extends = "{BASELINE}"\n\n[categories.rides]\nenabled = false\n\n[platforms.rideco]\n'
                        'enabled = false\n\n[platforms.ridemate]\nenabled = false\n')
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["calibrate", str(scenario), "--budget", "1", "--workers", "100", "--seeds", "1",
                                      "--days", "400", "--no-identify", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "no_rides.toml" in result.output and "categories.rides" in result.output and "--no-restrictions" in result.output
    assert not out.exists()


def _one_world(sc, seed: int, policy: dict | None) -> pl.DataFrame:
    """The design `pay_rise_pair` replaced: a world of its own from `seed` (with `policy` if given), stepped
    PAY_RISE_DAYS days, its drivers' prevailing wage and number each day."""
    from gigsim import GigEconomyModel

    model = GigEconomyModel(sc.with_overrides({"policy": policy}, "<pay rise>") if policy else sc, rng=seed,
                            create_agents=False)
    model.recorder.panels.enabled = False
    rides = model.category_names.index(rs.RIDES)
    rows = []
    for _ in range(rs.PAY_RISE_DAYS):
        model.step()
        rows.append(rs._drivers_today(model, rides))
    return rs.daily_frame(rows)


def test_the_pay_rise_pair_is_two_worlds_from_one_seed_and_raises_drivers_pay(sc):
    """The deep copy at the rise gives exactly what two worlds from the same seed give, with and without the cap
    (which were identical until the rise): so the copy carries the generator's state and shares nothing mutable
    with the control, or the control would not equal a world run alone. In month 1 the capped drivers earn more."""
    world = sc.rescaled(1000)                                   # enough ride drivers in every window
    control, treated, share = rs.pay_rise_pair(world, 3)
    assert control.equals(_one_world(world, 3, None))
    assert treated.equals(_one_world(world, 3, rs.pay_rise_policy(world)))
    assert not control.equals(treated)
    assert rs.pay_rise_effects(control, treated)["pay_rise_effect_month1"] > 0
    assert share is not None and 0 <= share <= 1


def _arrays(obj, path: str, seen: set, out: dict) -> dict:
    """Every numpy array reachable from `obj` through attributes, dicts, lists and tuples, by path."""
    if id(obj) in seen:
        return out
    seen.add(id(obj))
    if isinstance(obj, np.ndarray):
        out[path] = obj
        return out
    if isinstance(obj, dict):
        items = [(f"{path}[{k!r}]", v) for k, v in obj.items()]
    elif isinstance(obj, list | tuple):
        items = [(f"{path}[{i}]", v) for i, v in enumerate(obj)]
    elif hasattr(obj, "__dict__"):
        items = [(f"{path}.{k}", v) for k, v in vars(obj).items()]
    else:
        return out
    for where, value in items:
        _arrays(value, where, seen, out)
    return out


def test_the_copy_at_the_rise_shares_no_array_and_no_generator_with_the_control(sc):
    """What `pay_rise_pair` relies on: a deep copy of a running model holds its own state arrays (workers,
    ledgers, networks, policy state, ...) and its own generator in the same state."""
    import copy

    from gigsim import GigEconomyModel

    model = GigEconomyModel(sc.rescaled(300).with_overrides({"burn_in_days": 10}, "<test>"), rng=0,
                            create_agents=False)
    for _ in range(5):
        model.step()
    twin = copy.deepcopy(model)
    mine, theirs = _arrays(model, "m", set(), {}), _arrays(twin, "m", set(), {})
    assert mine.keys() == theirs.keys() and len(mine) > 100
    assert any(".ledger" in k for k in mine) and any("network" in k for k in mine)
    assert not [k for k in mine if mine[k].size and np.shares_memory(mine[k], theirs[k])]
    assert twin.rng is not model.rng and twin.rng.bit_generator.state == model.rng.bit_generator.state
    assert twin.recorder.model is twin
