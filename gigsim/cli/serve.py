"""`gigsim ui`: the browser app (a face over gigsim/ui/server.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gigsim.cli.common import err


def ui(
    host: Annotated[str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on (0: any free port).")] = 8765,
    results_root: Annotated[Path | None, typer.Option("--results-root",
                                                      help="Folder of experiment results the Compare page may open "
                                                           "(default: ./results).")] = None,
) -> None:
    """Start the browser app (Explore a world live; Compare an experiment's arms)."""
    from gigsim.ui.server import configure, serve

    root = configure(results_root)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"[yellow]warning:[/] listening on {host}: other machines can reach the app", highlight=False)
    err.print(f"gigsim ui: http://{host}:{port} (results root {root}); Ctrl-C stops it", highlight=False)
    serve(host, port, root)  # a port in use raises InputError: exit 2 with one message (server.check_port)
