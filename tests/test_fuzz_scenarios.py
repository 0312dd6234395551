"""Thousands of broken scenario files: every one ends in one clear ScenarioError naming the file and the field.

Each hypothesis example starts from a valid scenario that uses every section (shocks,
automation, every policy lever), breaks it in one known way — a wrong type, a value out
of range, a misspelt key, a missing required key or section, a broken `extends` chain, a
shock that ends before it starts, an automation level above 1, a world too large for the
memory, no enabled category, a platform serving none, non-UTF-8 bytes, a huge file — and
checks the error through the Python API and through `gigsim validate` / `gigsim run`
(exit code 2, one message on stderr, no traceback, nothing written).
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import psutil
import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from gigsim.cli import app
from gigsim.errors import ScenarioError
from gigsim.model.population import estimate_memory_bytes
from gigsim.scenario import MAX_FILE_BYTES, Scenario, _bounds, load_scenario, validate_scenario


def fuzz(examples: int) -> settings:
    """Hypothesis settings for file fuzzing: no deadline (files are written), `examples` cases."""
    return settings(max_examples=examples, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
LEVERS = ("min_pay", "commission_cap", "portable_benefits", "employee_classification", "newcomer_boost",
          "retraining_subsidy", "cash_transfer")
NAMED_TABLES = ("categories", "platforms", "automation")
"""Tables whose keys are names the user chooses (a new key there is a new entry, not a misspelling)."""


def full_scenario() -> dict:
    """A valid scenario table that uses every section, as a TOML file would hold it."""
    data = Scenario(name="fuzz base").model_dump(mode="json", exclude_none=True)
    data["shocks"] = [
        {"name": "recession", "start": 30, "duration": 90, "size": 0.8, "categories": ["rides", "stays"],
         "regions": [0, 1], "shape": "ramp", "ramp_days": 20},
        {"name": "boom", "start": 10, "end": 40, "size": 1.5, "categories": "all"},
    ]
    data["automation"] = {
        "writing": {"level": {"shape": "linear", "start": 0, "end": 200, "start_level": 0.1, "end_level": 0.6},
                    "augmentation": {"shape": "constant", "level": 0.2}},
        "design": {"level": {"shape": "points", "points": [[0, 0.0], [100, 0.3], [300, 0.5]]}},
    }
    for lever in LEVERS:
        data["policy"][lever]["enabled"] = True
    data["policy"]["employee_classification"]["platforms"] = ["rideco"]
    return data


BASE = full_scenario()


def test_the_fuzz_base_is_valid():
    sc = validate_scenario(copy.deepcopy(BASE), "base.toml")
    assert sc.shocks and sc.automation and all(getattr(sc.policy, lever).enabled for lever in LEVERS)


# --------------------------------------------------------------------------- paths into the table


def _dotted(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


def _leaves(data, loc=()):
    """Every (loc, value) below `data`: scalars, lists of scalars and their elements."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*loc, key))
    elif isinstance(data, list) and data and all(isinstance(v, dict) for v in data):
        for i, value in enumerate(data):
            yield from _leaves(value, (*loc, i))
    else:
        yield loc, data
        if isinstance(data, list) and not any(isinstance(v, list) for v in data):
            for i, value in enumerate(data):
                yield (*loc, i), value


def _tables(data, loc=()):
    """Every (loc, table) below `data` whose keys are field names."""
    if isinstance(data, dict):
        if not (loc and len(loc) == 1 and loc[0] in NAMED_TABLES):
            yield loc, data
        for key, value in data.items():
            yield from _tables(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            if isinstance(value, dict):
                yield from _tables(value, (*loc, i))


LEAVES = list(_leaves(BASE))
TABLES = [(loc, table) for loc, table in _tables(BASE) if table]  # an empty table (a name map) has no key to misspell


def _set(data: dict, loc: tuple, value) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _get(data: dict, loc: tuple):
    for part in loc:
        data = data[part]
    return data


# --------------------------------------------------------------------------- broken files


def _wrong_type(value) -> st.SearchStrategy:
    if isinstance(value, bool):
        return st.sampled_from(["maybe", 2.5, [True], {"x": 1}, "tru"])
    if isinstance(value, int | float):
        return st.sampled_from(["lots", "", "12 hours", [1, 2], {"a": 1}, True, False, float("inf"), float("nan")])
    if isinstance(value, str):
        return st.sampled_from([12, 2.5, [1], {"a": "b"}, True])
    if isinstance(value, list):
        return st.sampled_from(["a list please", 3, {"a": 1}, True])
    raise AssertionError(value)


@st.composite
def wrong_types(draw):
    """A value of the wrong type at any leaf: the error names that leaf."""
    loc, value = draw(st.sampled_from(LEAVES))
    bad = draw(_wrong_type(value))
    if isinstance(value, str) and loc[-1] in ("name", "description"):
        assume(not isinstance(bad, str))
    data = copy.deepcopy(BASE)
    _set(data, loc, bad)
    return data, _dotted(loc)


NUMERIC = [(loc, v) for loc, v in LEAVES if isinstance(v, int | float) and not isinstance(v, bool)]


@st.composite
def out_of_range(draw):
    """A number just or far outside its declared bounds."""
    loc, value = draw(st.sampled_from(NUMERIC))
    schema_loc = tuple(loc)
    lo, hi = _bounds(Scenario, schema_loc)
    options = []
    whole = isinstance(value, int)
    step = draw(st.sampled_from([1, 2, 10, 1000])) if whole else draw(st.sampled_from([1e-3, 0.5, 7.0, 1e9]))
    if lo is not None:
        options.append(lo - step)
    if hi is not None and hi + step < 2**62:
        options.append(hi + step)
    assume(options)
    data = copy.deepcopy(BASE)
    _set(data, loc, draw(st.sampled_from(options)))
    return data, _dotted(loc)


def _misspell(word: str, draw) -> str:
    i = draw(st.integers(0, len(word) - 1))
    kind = draw(st.sampled_from(["drop", "double", "swap", "case", "suffix"]))
    if kind == "drop" and len(word) > 1:
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap" and i + 1 < len(word) and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "case":
        return word.upper()
    return word + draw(st.sampled_from(["s", "_", "x", "2"]))


@st.composite
def misspelt_keys(draw):
    """An unknown key (a misspelling of a real one) in any table: the error names the unknown key."""
    loc, table = draw(st.sampled_from(TABLES))
    key = draw(st.sampled_from(sorted(table)))
    wrong = _misspell(key, draw)
    assume(wrong not in table)
    data = copy.deepcopy(BASE)
    _get(data, loc)[wrong] = copy.deepcopy(table[key])
    return data, _dotted((*loc, wrong))


@st.composite
def missing_required(draw):
    """A required key or a referenced section taken away."""
    data = copy.deepcopy(BASE)
    kind = draw(st.sampled_from(["shock_start", "shock_size", "platform_categories", "category_section",
                                 "points", "shock_window"]))
    if kind == "shock_start":
        i = draw(st.integers(0, 1))
        del data["shocks"][i]["start"]
        return data, f"shocks[{i}].start"
    if kind == "shock_size":
        i = draw(st.integers(0, 1))
        del data["shocks"][i]["size"]
        return data, f"shocks[{i}].size"
    if kind == "platform_categories":
        name = draw(st.sampled_from(sorted(data["platforms"])))
        del data["platforms"][name]["categories"]
        return data, f"platforms.{name}.categories"
    if kind == "points":
        data["automation"]["design"]["level"]["points"] = []
        return data, "automation.design.level.points"
    if kind == "shock_window":
        data["shocks"][1].pop("end")
        return data, "shocks[1].duration"
    # a category section that platforms refer to
    name = draw(st.sampled_from(["rides", "stays", "writing"]))
    del data["categories"][name]
    users = [f"platforms.{p}.categories" for p, spec in data["platforms"].items() if name in spec["categories"]]
    return data, users[0]


@st.composite
def bad_shocks(draw):
    """A shock that ends before (or when) it starts."""
    data = copy.deepcopy(BASE)
    start = draw(st.integers(1, 5000))
    end = draw(st.integers(0, start))
    i = draw(st.integers(0, 1))
    data["shocks"][i] = {"start": start, "end": end, "size": draw(st.floats(0, 20)),
                         "shape": draw(st.sampled_from(["step", "ramp", "decay"]))}
    return data, f"shocks[{i}].end"


@st.composite
def automation_above_one(draw):
    """An automation level or augmentation path that rises above 1 at some point."""
    data = copy.deepcopy(BASE)
    category = draw(st.sampled_from(["rides", "stays", "writing", "design", "programming"]))
    which = draw(st.sampled_from(["level", "augmentation"]))
    high = draw(st.floats(1.0001, 1e6))
    low = draw(st.floats(0, 1))
    path = draw(st.sampled_from([
        {"shape": "constant", "level": high},
        {"shape": "linear", "start": 0, "end": 100, "start_level": low, "end_level": high},
        {"shape": "logistic", "midpoint": 50, "start_level": high, "end_level": low},
        {"shape": "points", "points": [[0, low], [30, high]]},
    ]))
    data["automation"][category] = {which: path}
    return data, f"automation.{category}.{which}"


@st.composite
def no_category(draw):
    """No enabled category at all, or a platform left serving none."""
    data = copy.deepcopy(BASE)
    kind = draw(st.sampled_from(["all_disabled", "empty_list", "disabled_ones", "unknown"]))
    if kind == "all_disabled":
        for spec in data["categories"].values():
            spec["enabled"] = False
        return data, "categories"
    name = draw(st.sampled_from(sorted(data["platforms"])))
    if kind == "empty_list":
        data["platforms"][name]["categories"] = []
    elif kind == "unknown":
        data["platforms"][name]["categories"] = [_misspell(data["platforms"][name]["categories"][0], draw) + "zz"]
    else:
        for c in data["platforms"][name]["categories"]:
            data["categories"][c]["enabled"] = False
        # an earlier platform may be the first left with nothing to serve
        for p, spec in data["platforms"].items():
            if all(not data["categories"][c]["enabled"] for c in spec["categories"]):
                return data, f"platforms.{p}.categories"
    return data, f"platforms.{name}.categories"


BROKEN = st.one_of(wrong_types(), out_of_range(), misspelt_keys(), missing_required(), bad_shocks(),
                   automation_above_one(), no_category())


def _write(folder: Path, data: dict, name: str = "broken.toml") -> Path:
    path = folder / name
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def _assert_names(exc: ScenarioError, path: Path, field: str) -> None:
    message = str(exc)
    assert exc.source == str(path)
    assert message.startswith(f"{path}: ")
    # the field itself, or a part of it (a wrong element inside a list, a wrong key inside a table)
    assert exc.field == field or exc.field.startswith((f"{field}[", f"{field}.")), message
    assert f": {exc.field}: " in message
    assert "Traceback" not in message


@fuzz(2500)
@given(case=BROKEN)
def test_every_broken_file_names_the_file_and_the_field(tmp_path_factory, case):
    data, field = case
    path = _write(tmp_path_factory.mktemp("fuzz"), data)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    _assert_names(info.value, path, field)


# --------------------------------------------------------------------------- files that are not TOML tables


VALID_TEXT = tomli_w.dumps(BASE)


@fuzz(300)
@given(position=st.integers(0, len(VALID_TEXT)),
       junk=st.sampled_from([b"\xff", b"\xfe\xfe", b"\xc3\x28", b"\x80", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80"]))
def test_non_utf8_bytes_are_refused_naming_the_file(tmp_path_factory, position, junk):
    raw = VALID_TEXT.encode()
    path = tmp_path_factory.mktemp("bytes") / "latin.toml"
    path.write_bytes(raw[:position] + junk + raw[position:])
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.source == str(path) and "is not UTF-8 text" in str(info.value)


@fuzz(300)
@given(position=st.integers(0, len(VALID_TEXT) - 1), junk=st.sampled_from(["=", "[", "]]", '"', "= =", "\n[[", "{"]))
def test_malformed_toml_is_refused_naming_the_file(tmp_path_factory, position, junk):
    path = tmp_path_factory.mktemp("toml") / "mangled.toml"
    text = VALID_TEXT[:position] + junk + VALID_TEXT[position:]
    path.write_text(text, encoding="utf-8")
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        with pytest.raises(ScenarioError) as info:
            load_scenario(path)
        assert info.value.source == str(path) and "is not valid TOML" in str(info.value)
    else:  # the junk happened to leave valid TOML: then it must load or fail on a named field
        try:
            load_scenario(path)
        except ScenarioError as exc:
            assert exc.source == str(path) and exc.field


def test_a_huge_file_is_refused_unread(tmp_path):
    path = tmp_path / "huge.toml"
    path.write_text(VALID_TEXT + "#" * (MAX_FILE_BYTES + 1) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.source == str(path) and "the limit is 1,000,000" in str(info.value)


# --------------------------------------------------------------------------- extends


@fuzz(100)
@given(length=st.integers(1, 5))
def test_cyclic_extends_is_refused(tmp_path_factory, length):
    folder = tmp_path_factory.mktemp("cycle")
    names = [f"s{i}.toml" for i in range(length)]
    for i, name in enumerate(names):
        (folder / name).write_text(f'extends = "{names[(i + 1) % length]}"\nname = "{name}"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(folder / names[0])
    assert info.value.field == "extends" and "cycle" in str(info.value)
    assert Path(info.value.source).name in names


@pytest.mark.parametrize("extends, problem", [
    ('"missing.toml"', "'missing.toml' not found next to this file"),
    ("42", "must be a file name, got 42"),
    ('["a.toml"]', "must be a file name"),
])
def test_a_missing_or_mistyped_extends_is_refused(tmp_path, extends, problem):
    path = tmp_path / "child.toml"
    path.write_text(f"extends = {extends}\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    _assert_names(info.value, path, "extends")
    assert problem in str(info.value)


def test_a_broken_parent_is_named_as_the_parent(tmp_path):
    (tmp_path / "parent.toml").write_text("[population]\nworkers = -3\n", encoding="utf-8")
    child = tmp_path / "child.toml"
    child.write_text('extends = "parent.toml"\nname = "child"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(child)
    _assert_names(info.value, child, "population.workers")


# --------------------------------------------------------------------------- memory


@fuzz(200)
@given(workers=st.integers(2_000_000, 50_000_000), memory_gb=st.floats(0.5, 4.0))
def test_a_world_too_large_for_memory_is_refused_with_the_estimate(tmp_path_factory, workers, memory_gb):
    data = copy.deepcopy(BASE)
    data["population"]["workers"] = workers
    path = _write(tmp_path_factory.mktemp("big"), data)
    limit = int(memory_gb * 1e9)
    need = estimate_memory_bytes(validate_scenario(data, "x"))
    assume(need > 0.8 * limit)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, memory_limit_bytes=limit)
    _assert_names(info.value, path, "population.workers")
    assert f"needs about {need / 1e9:.1f} GB" in str(info.value) and f"{memory_gb:.1f} GB available" in str(
        info.value)


def test_the_model_refuses_a_too_large_world_before_allocating_naming_the_file(tmp_path):
    from gigsim.experiments.run import run_scenario

    sc = Scenario().rescaled(5_000_000)
    with pytest.raises(ScenarioError) as info:
        from gigsim.model.model import GigEconomyModel
        GigEconomyModel(sc, memory_limit_bytes=10**9, source="world.toml")
    assert info.value.source == "world.toml" and info.value.field == "population.workers"
    # through run_scenario the error names the file it came from
    real = psutil.virtual_memory().available
    if estimate_memory_bytes(Scenario().rescaled(50_000_000)) > 0.8 * real:
        with pytest.raises(ScenarioError) as info:
            run_scenario(Scenario(), workers=50_000_000, source="big.toml")
        assert info.value.source == "big.toml" and "GB" in str(info.value)


# --------------------------------------------------------------------------- the CLI


runner = CliRunner()


@fuzz(150)
@given(case=BROKEN, command=st.sampled_from(["validate", "run"]))
def test_the_cli_reports_one_clear_error_and_writes_nothing(tmp_path_factory, case, command):
    data, field = case
    folder = tmp_path_factory.mktemp("cli")
    path = _write(folder, data)
    out = folder / "out"
    args = [command, str(path)] + (["--out", str(out), "--days", "3"] if command == "run" else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"{path}: {field}" in result.stderr.replace("\n", "")
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stderr.count("error:") == 1
    assert not out.exists()


@pytest.mark.parametrize("kind", ["wrong_type", "not_utf8", "cycle", "too_big", "missing"])
def test_the_installed_command_exits_2_without_a_traceback(tmp_path, kind):
    out = tmp_path / "out"
    path = tmp_path / f"{kind}.toml"
    expected = str(path)
    if kind == "wrong_type":
        path.write_text('[population]\nworkers = "many"\n', encoding="utf-8")
        expected += ": population.workers: must be a whole number"
    elif kind == "not_utf8":
        path.write_bytes(b'name = "caf\xe9"\n')
        expected += ": is not UTF-8 text"
    elif kind == "cycle":
        path.write_text(f'extends = "{path.name}"\n', encoding="utf-8")
        expected += ": extends: extends itself in a cycle"
    elif kind == "too_big":
        if estimate_memory_bytes(Scenario().rescaled(50_000_000)) <= 0.8 * psutil.virtual_memory().available:
            pytest.skip("this machine has the memory for the largest world the schema allows")
        path.write_text("[population]\nworkers = 50000000\nclients = 100\n", encoding="utf-8")
        expected += ": population.workers: a world of 50,000,000 workers"
    else:
        expected += ": file not found"
    for command in (["validate", str(path)], ["run", str(path), "--out", str(out), "--days", "2"]):
        proc = subprocess.run([sys.executable, "-m", "gigsim.cli", *command], capture_output=True, text=True,
                              timeout=120, env={**os.environ, "COLUMNS": "400"})
        assert proc.returncode == 2, proc.stderr
        assert expected in proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout
        assert not out.exists()


@pytest.mark.parametrize("text, field", [
    ('"[/]" = 1\n', "[/]"),                                      # a key that looks like rich markup
    ('name = ["[bold]x[/bold]", "[/]"]\n', "name"),               # values that look like markup
    ('[categories."[x]"]\nbase_price = -1\n', "categories.[x].base_price"),
])
def test_keys_and_values_that_look_like_markup_are_reported_verbatim(tmp_path, text, field):
    path = tmp_path / "markup.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.field == field
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert f"{path}: {field}: " in result.stderr.replace("\n", "")


# --------------------------------------------------------------------------- issue 17: new classes of bad input


@fuzz(120)
@given(depth=st.integers(1, 3000), kind=st.sampled_from(["list", "inline", "header"]),
       within=st.sampled_from(["", "policy"]))
def test_any_nesting_depth_is_a_clear_error_never_a_recursion_error(tmp_path_factory, depth, kind, within):
    """Deep lists, inline tables and table headers: refused past MAX_DEPTH, else an unknown key; named."""
    from gigsim.scenario import MAX_DEPTH

    if kind == "list":
        body = "deep = " + "[" * depth + "1" + "]" * depth + "\n"
    elif kind == "inline":
        body = "deep = " + "{ a = " * depth + "1" + " }" * depth + "\n"
    else:
        body = "[" + ".".join(["deep"] * depth) + "]\nx = 1\n"
    if within:
        body = body.replace("deep", f"{within}.deep", 1) if kind != "header" else body.replace("[deep", f"[{within}.deep", 1)
    path = tmp_path_factory.mktemp("deep") / "deep.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.source == str(path)
    levels = depth + (1 if within else 0) + (1 if kind != "header" else 0)
    if levels > MAX_DEPTH + 1:
        assert "nested too deeply" in str(info.value)
    else:
        assert "unknown key 'deep'" in str(info.value) or "nested too deeply" in str(info.value)


def _special_files(folder: Path) -> list[tuple[str, Path]]:
    """Paths that are no regular TOML file: kernel files, devices, a folder, a pipe, a socket, links to them."""
    import socket

    fifo, sock_path = folder / "pipe", folder / "sock"
    os.mkfifo(fifo)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    server.close()
    (folder / "to_zero").symlink_to("/dev/zero")
    out = [("fifo", fifo), ("socket", sock_path), ("folder", folder), ("link", folder / "to_zero")]
    out += [(p, Path(p)) for p in ("/proc/self/status", "/proc/cpuinfo", "/dev/null", "/dev/zero", "/dev/urandom")
            if Path(p).exists()]
    return out


@fuzz(60)
@given(pick=st.integers(0, 100), role=st.sampled_from(["scenario", "extends", "experiment scenario"]))
def test_special_files_name_the_file_and_the_referring_field(tmp_path_factory, pick, role):
    """A pipe would block a naive reader, /dev/zero never ends, /proc files report size 0: all refused, named."""
    from gigsim.experiments.plan import load_experiment

    folder = tmp_path_factory.mktemp("special")
    specials = _special_files(folder)
    _, special = specials[pick % len(specials)]
    if role == "scenario":
        with pytest.raises(ScenarioError) as info:
            load_scenario(special)
        assert str(info.value).startswith(f"{special}: ")
    elif role == "extends":
        child = folder / "child.toml"
        child.write_text(f'extends = "{special}"\n', encoding="utf-8")
        with pytest.raises(ScenarioError) as info:
            load_scenario(child)
        assert str(info.value).startswith(f"{child}: extends: ")
    else:
        exp = folder / "exp.toml"
        exp.write_text(f'name = "x"\nscenario = "{special}"\ncontrol = "a"\n[arms.a]\n', encoding="utf-8")
        with pytest.raises(ScenarioError) as info:
            load_experiment(exp)
        assert str(info.value).startswith(f"{exp}: scenario: ")


UNBOUNDED = [loc for loc, v in NUMERIC if _bounds(Scenario, loc)[1] is None]


@pytest.mark.slow
@fuzz(60)
@given(loc=st.sampled_from(UNBOUNDED), exponent=st.one_of(st.floats(5.0, 9.5), st.floats(9.5, 300.0)))
def test_huge_values_are_refused_or_run_cleanly(tmp_path_factory, loc, exponent):
    """A number with no upper bound set huge (1e5..1e300): refused at load naming a field, or the world runs
    with finite outputs. Never a failure at run time, after other runs have written."""
    import math
    import warnings

    from gigsim.experiments.run import run_scenario

    data = copy.deepcopy(BASE)
    original = _get(data, loc)
    value = 10.0 ** exponent
    _set(data, loc, int(value) if isinstance(original, int) and value < 2**62 else value)
    path = _write(tmp_path_factory.mktemp("huge"), data)
    try:
        scenario = load_scenario(path).rescaled(200)
    except ScenarioError as exc:
        assert exc.source == str(path) and exc.field, str(exc)
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = run_scenario(scenario, seed=1, days=3)
    for name in result.metrics.columns:
        column = result.metrics[name]
        if column.dtype.is_float():
            assert not column.is_nan().any() and column.drop_nulls().is_finite().all(), (loc, value, name)
    assert math.isfinite(value)
