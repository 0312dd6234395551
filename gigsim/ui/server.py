"""Starting the app: `gigsim ui` runs Solara's server (uvicorn) on 127.0.0.1 unless told otherwise.

The results root reaches the app through $GIGSIM_RESULTS_ROOT (read by
gigsim.ui.results.results_root); the server runs in production mode (no file
watching, no auto-restart). The default root (./results) need not exist yet: the
Compare page then says how to make one. A port already in use is refused before the
server starts (InputError, exit 2), instead of uvicorn's undocumented exit 3.
"""

from __future__ import annotations

import os
import socket
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


def check_port(host: str, port: int) -> None:
    """Refuse (InputError) a port another program listens on at `host`; port 0 (any free port) always passes.

    The test binds the way uvicorn does (SO_REUSEADDR), so a port left in TIME_WAIT is not refused.
    """
    if port == 0:
        return
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError(f"--host {host}: not an address this machine can listen on ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(f"--port {port}: {host}:{port} is already in use ({exc.strerror}); stop the program "
                             "using it or choose another port with --port") from None


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, results_root: Path | None = None) -> None:
    """Run the app until interrupted. `results_root` is the folder `configure` returned (it may not exist yet).

    Raises InputError (exit 2) when the port is taken.
    """
    os.environ[RESULTS_ROOT_ENV] = str((results_root or configure(None)).resolve())
    check_port(host, port)
    from solara.__main__ import cli

    cli.main(args=solara_arguments(host, port), prog_name="gigsim ui", standalone_mode=True)
