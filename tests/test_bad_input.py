"""Bad input that used to escape (issue 17): each is exit 2, one message naming the file and the field (or the
option), no traceback, and nothing written. Commands run in-process through the one CLI error handler."""

from __future__ import annotations

import json
import shutil
import socket
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from gigsim.cli import app
from tests.test_experiment_support import BASELINE, manifest, write_experiment

runner = CliRunner()


def invoke(*args) -> object:
    return runner.invoke(app, [str(a) for a in args])


def assert_bad_input(result, *expected: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    text = " ".join(result.stderr.split())
    for part in expected:
        assert part in text, result.stderr


def _scenario(folder: Path, body: str, name: str = "s.toml") -> Path:
    path = folder / name
    path.write_text(f'extends = "{BASELINE}"\n' + body, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- CLI options


@pytest.mark.parametrize(("command", "option", "value"), [
    ("run", "--days", 36_501), ("run", "--seed", 2**64), ("run", "--seed", 2**63), ("run", "--workers", 50_000_001),
    ("experiment", "--seeds", 10_001), ("experiment", "--days", 10**9), ("experiment", "--workers", 10**8),
    ("validate-facts", "--days", 10**6), ("calibrate", "--seeds", 1000),
])
def test_options_are_bounded_by_the_schema(tmp_path, command, option, value):
    target = BASELINE if command != "experiment" else write_experiment(tmp_path)
    out = tmp_path / "out"
    result = invoke(command, target, option, value, "--out", out)
    assert_bad_input(result, option)
    assert not out.exists(), "a refused command creates nothing"


@pytest.mark.parametrize("command", ["run", "experiment", "validate-facts", "calibrate"])
def test_an_empty_out_is_refused(tmp_path, command, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = BASELINE if command != "experiment" else write_experiment(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert_bad_input(invoke(command, target, "--out", ""), "--out is empty")
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@pytest.mark.parametrize("command", ["run", "experiment"])
def test_out_that_is_a_file_is_exit_2_for_both_commands(tmp_path, command):
    target = tmp_path / "a_file"
    target.write_text("mine")
    source = BASELINE if command == "run" else write_experiment(tmp_path)
    assert_bad_input(invoke(command, source, "--out", target, "--workers", 300), f"{target}: exists and is not a folder")
    assert target.read_text() == "mine"


# --------------------------------------------------------------------------- nesting, special files


def test_a_long_extends_chain_names_the_file_and_field(tmp_path):
    for i in range(40):
        (tmp_path / f"c{i}.toml").write_text(f'extends = "c{i + 1}.toml"\n')
    shutil.copy(BASELINE, tmp_path / "c40.toml")
    assert_bad_input(invoke("validate", tmp_path / "c0.toml"), "extends: the chain of extends is longer than")


@pytest.mark.parametrize("depth", [40, 5000])
def test_deeply_nested_toml_is_refused(tmp_path, depth):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * depth + "]" * depth + "\n")
    assert_bad_input(invoke("validate", path), str(path), "nested too deeply")


def test_deeply_nested_overrides_are_refused(tmp_path):
    nested = "{ x = " * 60 + "1" + " }" * 60
    text = (f'name = "n"\nscenario = "{BASELINE}"\ncontrol = "a"\n[arms.a]\n[arms.b]\noverrides.policy = {nested}\n')
    path = write_experiment(tmp_path, text, "deep.toml")
    assert_bad_input(invoke("experiment", path, "--out", tmp_path / "o"), str(path), "nested too deeply")
    assert not (tmp_path / "o").exists()


SPECIAL = ["/proc/self/status", "/dev/null", "/proc/cpuinfo"]


@pytest.mark.parametrize("special", SPECIAL)
def test_special_files_as_scenario_or_extends_name_the_file_and_field(tmp_path, special):
    if not Path(special).exists():
        pytest.skip(f"{special} does not exist here")
    assert_bad_input(invoke("validate", special), special)
    child = tmp_path / "child.toml"
    child.write_text(f'extends = "{special}"\n')
    assert_bad_input(invoke("validate", child), f"{child}: extends: '{special}'")
    exp = write_experiment(tmp_path, f'name = "n"\nscenario = "{special}"\ncontrol = "a"\n[arms.a]\n', "e.toml")
    assert_bad_input(invoke("experiment", exp, "--out", tmp_path / "o"), f"{exp}: scenario: {special}")
    assert not (tmp_path / "o").exists()


def test_a_folder_as_scenario_or_extends(tmp_path):
    assert_bad_input(invoke("validate", tmp_path), f"{tmp_path}: is a folder, not a file")
    child = _scenario(tmp_path, "").with_name("child.toml")
    child.write_text(f'extends = "{tmp_path}"\n')
    assert_bad_input(invoke("validate", child), f"{child}: extends:", "is a folder")


# --------------------------------------------------------------------------- huge but valid


@pytest.mark.parametrize(("body", "field"), [
    ("[demand]\nlevel = 1e300\n", "demand.level"),
    ('[categories.design]\nnew_tasks_per_automated_task = 1e6\nnew_tasks_from = ["writing"]\n'
     '[automation.writing]\nlevel = { shape = "constant", level = 0.5 }\n',
     "categories.design.new_tasks_per_automated_task"),
])
def test_values_that_validate_but_cannot_run_are_refused_before_running(tmp_path, body, field):
    path = _scenario(tmp_path, body)
    assert_bad_input(invoke("validate", path), f"{path}: {field}:")
    out = tmp_path / "out"
    assert_bad_input(invoke("run", path, "--out", out, "--days", 2), field)
    assert not out.exists()


def test_an_arm_that_cannot_run_stops_the_experiment_before_any_arm_runs(tmp_path):
    text = (f'name = "n"\nscenario = "{BASELINE}"\nseeds = 1\ndays = 2\nworkers = 300\ncontrol = "fine"\n'
            '[arms.fine]\n[arms.huge]\noverrides.population = { workers = 50000000 }\n')
    path = write_experiment(tmp_path, text, "e.toml")
    out = tmp_path / "o"
    assert_bad_input(invoke("experiment", path, "--out", out, "--jobs", 1), "arms.huge.overrides.population.workers")
    assert not out.exists(), "no arm ran, nothing was written"


def test_the_reserved_platform_name_is_refused(tmp_path):
    path = _scenario(tmp_path, '[platforms.off_platform]\ncategories = ["rides"]\n')
    assert_bad_input(invoke("validate", path), "platforms.off_platform: is a reserved name")


# --------------------------------------------------------------------------- --cluster


class _Listener:
    """A local TCP server on 127.0.0.1 that is not a Dask scheduler: silent, or answering garbage."""

    def __init__(self, reply: bytes | None):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.reply = reply
        self.conns: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.reply is not None:
                try:
                    conn.sendall(self.reply)
                except OSError:
                    pass

    def close(self) -> None:
        for c in self.conns:
            c.close()
        self.sock.close()


@pytest.mark.parametrize("reply", [None, b"\xff" * 64, b"HTTP/1.1 200 OK\r\n\r\nhello"],
                         ids=["silent", "garbage", "http"])
def test_cluster_that_is_not_a_dask_scheduler_is_exit_2(tmp_path, reply):
    listener = _Listener(reply)
    try:
        path = write_experiment(tmp_path)
        result = invoke("experiment", path, "--out", tmp_path / "o", "--cluster", f"tcp://127.0.0.1:{listener.port}")
        assert_bad_input(result, "--cluster", "no Dask scheduler answered")
        assert not (tmp_path / "o").exists()
    finally:
        listener.close()


@pytest.mark.parametrize("address", ["tls://127.0.0.1:8786", "garbage", "127.0.0.1:99999", "ws://h:1"])
def test_cluster_addresses_gigsim_cannot_use_are_exit_2(tmp_path, address):
    path = write_experiment(tmp_path)
    assert_bad_input(invoke("experiment", path, "--out", tmp_path / "o", "--cluster", address), "--cluster")


# --------------------------------------------------------------------------- damaged manifests


@pytest.fixture(scope="module")
def done(tmp_path_factory):
    folder = tmp_path_factory.mktemp("done")
    text = (f'name = "t"\nscenario = "{BASELINE}"\nseeds = 1\ndays = 5\nworkers = 200\ncontrol = "a"\n'
            'outcomes = ["participants"]\n[arms.a]\n')
    path = write_experiment(folder, text, "t.toml")
    assert invoke("experiment", path, "--out", folder / "out", "--jobs", 1).exit_code == 0
    return path, folder / "out"


@pytest.mark.parametrize(("damage", "field"), [
    (lambda m: m.pop("runs"), "runs: is required but missing"),
    (lambda m: m["settings"].update(days="many"), "settings.days"),
    (lambda m: m["runs"]["arm=a/seed=0"].update(status="weird"), "runs.arm=a/seed=0.status"),
    (lambda m: m.update(arms=[]), "arms"),
])
def test_a_damaged_manifest_is_named_and_fresh_discards_it(tmp_path, done, damage, field):
    path, reference = done
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    data = manifest(out)
    damage(data)
    (out / "manifest.json").write_text(json.dumps(data))
    assert_bad_input(invoke("compare", out), f"{out / 'manifest.json'}", field)
    assert_bad_input(invoke("experiment", path, "--out", out), field, "--fresh")
    result = invoke("experiment", path, "--out", out, "--fresh", "--jobs", 1)
    assert result.exit_code == 0, result.output
    assert invoke("compare", out).exit_code == 0


def test_fresh_will_not_discard_a_run_folder(tmp_path):
    out = tmp_path / "run"
    assert invoke("run", BASELINE, "--workers", 200, "--days", 2, "--out", out).exit_code == 0
    before = sorted(p.name for p in out.iterdir())
    exp = write_experiment(tmp_path)
    assert_bad_input(invoke("experiment", exp, "--out", out, "--fresh"), "is not a gigsim experiment manifest")
    assert sorted(p.name for p in out.iterdir()) == before
