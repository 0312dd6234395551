"""Starting the app: `gigsim ui` runs Solara's server (uvicorn) on 127.0.0.1 unless told otherwise.

The results root reaches the app through $GIGSIM_RESULTS_ROOT (read by
gigsim.ui.results.results_root); the server runs in production mode (no file
watching, no auto-restart).
"""

from __future__ import annotations

import os
from pathlib import Path

from gigsim.errors import InputError
from gigsim.ui.results import RESULTS_ROOT_ENV

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


def solara_arguments(host: str, port: int) -> list[str]:
    """The `solara run` command line for the app."""
    return ["run", "gigsim.ui.app", "--host", host, "--port", str(port), "--production", "--no-open",
            "--log-level", "warning"]


def configure(results_root: Path | None) -> Path:
    """Check the results root and hand it to the app; returns it resolved."""
    if results_root is None:
        root = Path(os.environ.get(RESULTS_ROOT_ENV) or "results")
    else:
        root = results_root
        if not root.is_dir():
            raise InputError(f"--results-root {root}: no such folder")
    root = root.resolve()
    os.environ[RESULTS_ROOT_ENV] = str(root)
    return root


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, results_root: Path | None = None) -> None:
    """Run the app until interrupted."""
    configure(results_root)
    from solara.__main__ import cli

    cli.main(args=solara_arguments(host, port), prog_name="gigsim ui", standalone_mode=True)
