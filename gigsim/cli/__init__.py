"""The `gigsim` command line: a thin face over the Python API (gigsim/api.py), one module per role.

- common.py: the Typer app, its one error handler and exit codes (EXIT_CODES), the shared option helpers.
- scenarios.py: run, validate (one scenario file).
- experiments.py: experiment, compare (an experiment's runs, their comparison and report).
- evidence.py: validate-facts, replicate, evidence, translate (the published facts and episodes).
- calibration.py: calibrate, calibrate-apply.
- serve.py: ui (the browser app).

The commands are registered here, in the order `gigsim --help` lists them.
"""

from __future__ import annotations

from gigsim.cli import calibration, evidence, experiments, scenarios, serve
from gigsim.cli.common import EXIT_CODES, app, report_error

COMMANDS = (
    ("run", scenarios.run),
    ("validate", scenarios.validate),
    ("experiment", experiments.experiment),
    ("compare", experiments.compare),
    ("validate-facts", evidence.validate_facts),
    ("replicate", evidence.replicate),
    ("evidence", evidence.evidence),
    ("translate", evidence.translate),
    ("calibrate", calibration.calibrate),
    ("calibrate-apply", calibration.calibrate_apply),
    ("ui", serve.ui),
)
"""(name, function) of every command, in the order of `gigsim --help`."""

for _name, _command in COMMANDS:
    app.command(_name)(_command)


def main() -> None:
    """Entry point of the `gigsim` command."""
    app()


__all__ = ["app", "main", "report_error", "EXIT_CODES", "COMMANDS"]
