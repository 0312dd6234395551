"""The `gigsim` command as a package (gigsim/cli/): every face's commands are registered once, in the order
`gigsim --help` lists, and both entry points (the `gigsim` script, `python -m gigsim.cli`) run the same app."""

from __future__ import annotations

import inspect
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

from typer.testing import CliRunner

import gigsim.cli as cli

ROOT = Path(__file__).resolve().parent.parent
FACES = ("scenarios", "experiments", "evidence", "calibration", "serve")


def _public_functions(module) -> set[str]:
    return {name for name, f in inspect.getmembers(module, inspect.isfunction)
            if f.__module__ == module.__name__ and not name.startswith("_")}


def test_every_public_function_of_a_face_is_a_registered_command():
    registered = [c.callback for c in cli.app.registered_commands]
    for face in FACES:
        module = import_module(f"gigsim.cli.{face}")
        for name in _public_functions(module):
            assert getattr(module, name) in registered, f"gigsim/cli/{face}.py: {name} is not registered"
    assert len(registered) == len(set(registered)) == len(cli.COMMANDS)


def test_help_lists_the_commands_in_their_registered_order():
    result = CliRunner().invoke(cli.app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    first_cells = [line[2:].split()[0] for line in result.output.splitlines()
                   if line.startswith("│ ") and line[2:3] not in (" ", "")]  # a row's first line, not a wrapped one
    listed = [cell for cell in first_cells if cell in dict(cli.COMMANDS)]
    assert listed == [name for name, _ in cli.COMMANDS]


def test_the_script_entry_point_is_the_package_main():
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    module, _, attribute = scripts["gigsim"].partition(":")
    assert getattr(import_module(module), attribute) is cli.main


def test_python_m_gigsim_cli_runs_the_app():
    proc = subprocess.run([sys.executable, "-m", "gigsim.cli", "validate", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Check a scenario file without running it" in " ".join(proc.stdout.split())
