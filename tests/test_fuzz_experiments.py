"""Thousands of broken experiment files: each ends in one clear ScenarioError naming the file and the field.

Each example starts from a valid experiment that uses every section (arms with overrides,
a control, outcomes, windows, a sweep), breaks it in one known way — a value out of range,
a wrong type, a misspelt key at any level (including inside an arm's scenario overrides),
an override out of range, an unknown control arm, outcome or window, a missing scenario,
a bad sweep path or range, non-UTF-8 bytes, malformed TOML — and checks the error through
the Python API and through `gigsim experiment` (exit code 2, one message, no traceback,
nothing written).
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigsim.cli import app
from gigsim.errors import ScenarioError
from gigsim.experiments.spec import ExperimentSpec, load_experiment
from tests.helpers import BASELINE

VALID = {
    "name": "fuzz",
    "scenario": "baseline.toml",
    "seeds": 2,
    "days": 30,
    "control": "control",
    "outcomes": ["median_net_hourly_earnings", "fill_rate"],
    "windows": ["all", "last 10 days", "5:20"],
    "arms": {
        "control": {"description": "no policy"},
        "floor": {"overrides": {"policy": {"min_pay": {"enabled": True, "hourly": 18.0}}}},
        "cap": {"overrides": {"policy": {"commission_cap": {"enabled": True, "cap": 0.15}}}},
    },
    "sweep": {"method": "lhs", "samples": 4,
              "parameters": {"platforms.rideco.commission": {"range": [0.1, 0.3]}}},
}
OVERRIDE_PATHS = [("policy", "min_pay", "hourly"), ("platforms", "rideco", "commission"),
                  ("population", "workers"), ("demand", "level"), ("behaviour", "entry_rate")]
SHARES = [("policy", "commission_cap", "cap"), ("platforms", "rideco", "commission"),
          ("behaviour", "exit_rate"), ("population", "car_share")]


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _misspell(draw, word: str, known: set[str]) -> str:
    i = draw(st.integers(0, len(word) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap", "add"]))
    if kind == "drop":
        out = word[:i] + word[i + 1:]
    elif kind == "double":
        out = word[:i] + word[i] + word[i:]
    elif kind == "swap" and i + 1 < len(word):
        out = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    else:
        out = word[:i] + draw(st.sampled_from("xqz")) + word[i:]
    assume(out and out not in known)
    return out


def _set(data: dict, path: tuple, value) -> None:
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value


@st.composite
def broken(draw):
    """(experiment table, expected field path prefix) for one breakage."""
    data = copy.deepcopy(VALID)
    kind = draw(st.sampled_from([
        "range", "type", "top_key", "arm_key", "override_key", "override_range", "control", "outcome",
        "window", "scenario", "sweep_path", "sweep_range", "no_arms"]))
    if kind == "range":
        field, value = draw(st.sampled_from([
            ("seeds", st.integers(-10_000, 0) | st.integers(10_001, 10**9)),
            ("days", st.integers(-10_000, 0) | st.integers(36_501, 10**9)),
            ("workers", st.integers(-10_000, 0)),
            ("base_seed", st.integers(-10**9, -1)),
        ]))
        data[field] = draw(value)
        return data, field
    if kind == "type":
        field = draw(st.sampled_from(["seeds", "days", "workers", "outcomes", "arms", "name"]))
        wrong = {"seeds": st.text(min_size=1).filter(lambda s: not s.strip().lstrip("-").isdigit()),
                 "days": st.text(min_size=1).filter(lambda s: not s.strip().lstrip("-").isdigit()),
                 "workers": st.just([1, 2]), "outcomes": st.integers(), "arms": st.lists(st.integers(), min_size=1),
                 "name": st.integers()}[field]
        data[field] = draw(wrong)
        return data, field
    if kind == "top_key":
        key = draw(st.sampled_from(sorted(VALID)))
        bad = _misspell(draw, key, set(ExperimentSpec.model_fields))
        data[bad] = data.pop(key)
        return data, bad
    if kind == "arm_key":
        arm = draw(st.sampled_from(["control", "floor", "cap"]))
        bad = _misspell(draw, draw(st.sampled_from(["description", "overrides", "compare_to"])),
                        {"description", "overrides", "compare_to"})
        data["arms"][arm][bad] = "x"
        return data, f"arms.{arm}.{bad}"
    if kind == "override_key":
        path = draw(st.sampled_from(OVERRIDE_PATHS))
        bad = _misspell(draw, path[-1], {path[-1], "enabled", "start"})
        override = {}
        _set(override, (*path[:-1], bad), 1.0)
        data["arms"]["floor"]["overrides"] = override
        return data, "arms.floor.overrides." + ".".join(path[:-1])
    if kind == "override_range":
        path = draw(st.sampled_from(SHARES))
        value = draw(st.floats(1.0001, 1e6) | st.floats(-1e6, -0.0001))
        override = {}
        _set(override, path, value)
        data["arms"]["cap"]["overrides"] = override
        return data, "arms.cap.overrides." + ".".join(path)
    if kind == "control":
        data["control"] = draw(st.text(min_size=1).filter(lambda s: s not in VALID["arms"]))
        return data, "control"
    if kind == "outcome":
        data["outcomes"] = [draw(st.from_regex(r"[a-z_]{3,20}", fullmatch=True).filter(
            lambda s: not s.startswith(("share_", "workers_", "net_hourly_", "automation_level_"))
            and s not in {"day", "fill_rate", "gini_earnings"}))]
        return data, "outcomes"
    if kind == "window":
        data["windows"] = [draw(st.text(min_size=1, max_size=12).filter(
            lambda s: s.strip() != "all" and ":" not in s and not s.strip().startswith("last")))]
        return data, "windows"
    if kind == "scenario":
        data["scenario"] = draw(st.from_regex(r"[a-z]{1,10}\.toml", fullmatch=True).filter(
            lambda s: s != "baseline.toml"))
        return data, "scenario"
    if kind == "sweep_path":
        path = draw(st.sampled_from(OVERRIDE_PATHS))
        bad = ".".join((*path[:-1], _misspell(draw, path[-1], {path[-1]})))
        data["sweep"]["parameters"] = {bad: {"range": [0.1, 0.2]}}
        return data, "sweep.parameters"
    if kind == "sweep_range":
        lo = draw(st.floats(0.05, 0.9))
        hi = draw(st.floats(0.0, lo))
        data["sweep"]["parameters"]["platforms.rideco.commission"] = {"range": [lo, hi]}
        return data, "sweep.parameters.platforms.rideco.commission"
    data["arms"] = {}
    del data["sweep"]
    return data, "arms"


def _write(folder: Path, data: dict) -> Path:
    shutil.copy(BASELINE, folder / "baseline.toml")
    path = folder / "experiment.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_the_valid_experiment_loads(tmp_path):
    experiment = load_experiment(_write(tmp_path, VALID))
    assert {"control", "floor", "cap"} <= set(experiment.arms)


@fuzz(1500)
@given(case=broken())
def test_every_broken_experiment_names_the_file_and_the_field(tmp_path_factory, case):
    data, field = case
    path = _write(tmp_path_factory.mktemp("fx"), data)
    try:
        load_experiment(path)
    except ScenarioError as exc:
        assert exc.source == str(path)
        assert exc.field.startswith(field), (exc.field, field, str(exc))
        assert str(path) in str(exc) and exc.message
    else:
        raise AssertionError(f"accepted a broken experiment ({field}): {data}")


@fuzz(200)
@given(junk=st.binary(min_size=1, max_size=64).filter(lambda b: not _utf8(b)), at=st.integers(0, 200))
def test_non_utf8_and_malformed_files_are_refused(tmp_path_factory, junk, at):
    folder = tmp_path_factory.mktemp("fx")
    text = tomli_w.dumps(VALID).encode()
    path = folder / "experiment.toml"
    path.write_bytes(text[:at] + junk + text[at:])
    try:
        load_experiment(path)
    except ScenarioError as exc:
        assert str(path) in str(exc) and exc.field == ""
    else:
        raise AssertionError("accepted a file with bytes that are not UTF-8")


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@fuzz(40)
@given(case=broken())
def test_the_cli_refuses_broken_experiments_and_writes_nothing(tmp_path_factory, case):
    data, field = case
    folder = tmp_path_factory.mktemp("fx")
    path = _write(folder, data)
    out = folder / "results"
    result = CliRunner().invoke(app, ["experiment", str(path), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert str(path) in result.stderr and field.split(".")[0] in result.stderr
    assert not out.exists() or not any(out.rglob("*.parquet"))


def test_malformed_toml_names_the_line(tmp_path):
    path = tmp_path / "experiment.toml"
    path.write_text('name = "x"\nseeds = = 3\ndays = 4\n', encoding="utf-8")
    try:
        load_experiment(path)
    except ScenarioError as exc:
        assert "not valid TOML" in str(exc) and "line 2" in str(exc)
    else:
        raise AssertionError("accepted malformed TOML")


# --------------------------------------------------------------------------- issue 17: CLI options


OPTIONS = {  # option: (schema model, field) whose bounds the option takes
    "--days": ("Scenario", "days"), "--seed": ("Scenario", "seed"), "--workers": ("Scenario", "population.workers"),
    "--seeds": ("ExperimentSpec", "seeds"),
}
COMMANDS = {"run": ("--days", "--seed", "--workers"), "experiment": ("--days", "--workers", "--seeds")}


@st.composite
def option_out_of_bounds(draw):
    from gigsim.api import option_bounds
    from gigsim.scenario import Scenario

    command = draw(st.sampled_from(sorted(COMMANDS)))
    option = draw(st.sampled_from(COMMANDS[command]))
    model, field = OPTIONS[option]
    lo, hi = option_bounds(Scenario if model == "Scenario" else ExperimentSpec, field)
    value = draw(st.one_of(st.integers(max_value=int(lo) - 1), st.integers(min_value=int(hi) + 1)))
    return command, option, value


@fuzz(120)
@given(case=option_out_of_bounds())
def test_options_outside_the_schemas_bounds_are_exit_2_and_create_nothing(tmp_path_factory, case):
    command, option, value = case
    folder = tmp_path_factory.mktemp("opt")
    target = BASELINE if command == "run" else _write(folder, VALID)
    out = folder / "out"
    result = CliRunner().invoke(app, [command, str(target), option, str(value), "--out", str(out)])
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert option in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert not out.exists()


@fuzz(200)
@given(option=st.sampled_from(sorted(OPTIONS)), data=st.data())
def test_options_inside_the_bounds_pass_the_api_check(option, data):
    from gigsim.api import check_option, option_bounds
    from gigsim.errors import InputError
    from gigsim.scenario import Scenario

    model, field = OPTIONS[option]
    model = Scenario if model == "Scenario" else ExperimentSpec
    lo, hi = option_bounds(model, field)
    inside = data.draw(st.integers(int(lo), int(hi)))
    check_option(inside, model, field, option)
    outside = data.draw(st.one_of(st.integers(max_value=int(lo) - 1), st.integers(min_value=int(hi) + 1)))
    with pytest.raises(InputError, match=option):
        check_option(outside, model, field, option)
