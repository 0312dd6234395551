"""Executing an experiment's runs: in this process, in a local process pool, or on a Dask scheduler.

Each run returns its tables to the coordinating process, which stores them (store.py), so every executor
writes the same bytes; local pool workers write their run's files into the batch's staging folder themselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from gigsim.errors import GigsimError, InputError
from gigsim.scenario import Scenario

FAIL_RUNS_ENV = "GIGSIM_TEST_FAIL_RUNS"
"""For tests only: a comma-separated list of `ARM:SEED_INDEX` runs (or `*`) that raise on purpose."""

CLUSTER_CONNECT_SECONDS = 5
"""How long to wait for a Dask scheduler to answer before giving up."""


def execute_run(task: dict) -> dict:
    """Run one (arm, seed) and return its tables, or its error. Runs in any process or Dask worker."""
    from gigsim.experiments.run import run_scenario

    started = time.perf_counter()
    arm, k = task["arm"], task["seed_index"]
    try:
        if _injected_failure(arm, k):
            raise RuntimeError(f"injected failure for tests ({FAIL_RUNS_ENV})")
        scenario = Scenario.model_validate(task["scenario"])
        # the results store keeps metrics, markets and workers; the worker panels would be computed and dropped
        result = run_scenario(scenario, seed=task["seed"], days=task["days"], source=task["source"], panels=False)
    except Exception as exc:  # noqa: BLE001 - a run that raises is recorded as failed, the batch goes on
        return {"arm": arm, "seed_index": k, "status": "failed", "error": f"{type(exc).__name__}: {exc}",
                "seconds": round(time.perf_counter() - started, 3)}
    manifest = dict(result.manifest)
    manifest.pop("scenario_file_sha256", None)
    return {"arm": arm, "seed_index": k, "status": "done", "error": None,
            "seconds": round(time.perf_counter() - started, 3), "metrics": result.metrics,
            "markets": result.markets, "workers": result.workers, "manifest": manifest}


def execute_and_write(task: dict, staging: str) -> dict:
    """Run one (arm, seed) in a local worker, write its files into the batch's staging folder, return its status.

    `staging` is the folder its batch made for it (store.ResultsStore.staging); the worker writes only if that
    folder still exists, and never creates it: a worker whose batch is gone writes nothing anywhere.
    """
    from gigsim.experiments.store import write_run_files

    result = execute_run(task)
    if result["status"] != "done":
        return result
    try:
        files = write_run_files(Path(staging), result, make_parents=False)
    except GigsimError as exc:
        return {key: result[key] for key in ("arm", "seed_index", "seconds")} | {"status": "failed", "error": str(exc)}
    return {key: result[key] for key in ("arm", "seed_index", "status", "error", "seconds")} | {
        "staged": True, "files": files}


def die_with_parent(parent_pid: int) -> None:
    """Make this pool worker die when the batch that started it dies (SIGKILL, SIGTERM, a crash).

    On Linux the kernel kills it (prctl PR_SET_PDEATHSIG = SIGKILL); everywhere a daemon thread also checks
    once a second that its parent is still `parent_pid` and ends the process at once if not. Without this a
    killed batch's workers would live on, finish their run and write it.
    """
    import signal
    import threading

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6", use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - an unusual libc: the watchdog remains
            pass
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="gigsim-parent-watch", daemon=True).start()


def _injected_failure(arm: str, k: int) -> bool:
    wanted = os.environ.get(FAIL_RUNS_ENV, "").strip()
    if not wanted:
        return False
    entries = {e.strip() for e in wanted.split(",")}
    return "*" in entries or f"{arm}:{k}" in entries or f"{arm}:*" in entries


Callback = Callable[[dict], None]


def run_tasks(tasks: list[dict], on_result: Callback, jobs: int | None = None, cluster=None,
              staging: str | Path | None = None) -> None:
    """Execute `tasks` (from Experiment.task) and hand each result to `on_result` as it finishes.

    `cluster`: address of a running Dask scheduler (or a connected Client, which is then
    closed); else `jobs` local processes (default all cores; 1 runs in this process).
    `staging`: the batch's staging folder, which local pool workers write each run's files into themselves;
    their results then carry `staged=True`, the files' SHA-256 and no tables. Pool workers die with this
    process (see `die_with_parent`).
    """
    if not tasks:
        return
    if cluster is not None and cluster != "":
        _run_on_dask(tasks, on_result, cluster)
        return
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {jobs}")
    if jobs == 1 or len(tasks) == 1:
        for task in tasks:
            on_result(execute_run(task))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context, initializer=die_with_parent,
                             initargs=(os.getpid(),)) as pool:
        if staging is not None:
            futures = {pool.submit(execute_and_write, t, str(staging)): t for t in tasks}
        else:
            futures = {pool.submit(execute_run, t): t for t in tasks}
        try:
            for future in as_completed(futures):
                try:
                    on_result(future.result())
                except BrokenProcessPool as exc:
                    t = futures[future]
                    on_result({"arm": t["arm"], "seed_index": t["seed_index"], "status": "failed",
                               "error": f"worker process died: {exc}", "seconds": 0.0})
        except BaseException:
            for f in futures:
                f.cancel()
            raise


CLUSTER_ADDRESS = re.compile(r"^(?:tcp://)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$")
HANDSHAKE_MAX_BYTES = 65_536
"""A Dask scheduler greets a new connection with a small handshake (about 60 bytes); more is not Dask."""


def connect_cluster(address: str, timeout: float = CLUSTER_CONNECT_SECONDS):
    """A dask.distributed Client for `address` (HOST:PORT or tcp://HOST:PORT), or an InputError within about
    2 × `timeout` s if nothing there speaks Dask: the address is probed with a plain socket first (a Dask
    scheduler greets every connection with its handshake at once), then the client connects."""
    text = address.strip()
    if text.split("://", 1)[0] in ("tls", "ws", "wss", "ucx", "inproc"):
        raise InputError(f"--cluster {address}: only tcp:// schedulers are supported (a tls:// cluster needs "
                         "certificates gigsim does not take); give HOST:PORT or tcp://HOST:PORT")
    match = CLUSTER_ADDRESS.match(text)
    if not match or not 0 < int(match.group(2)) < 65536:
        raise InputError(f"--cluster {address}: not a scheduler address; give HOST:PORT or tcp://HOST:PORT "
                         "(e.g. tcp://127.0.0.1:8786)")
    host, port = match.group(1).strip("[]"), int(match.group(2))
    problem = _probe_dask(host, port, timeout)
    if problem:
        raise InputError(f"--cluster {address}: {problem}")
    return _client_within(f"tcp://{match.group(1)}:{port}", address, timeout)


def _probe_dask(host: str, port: int, timeout: float) -> str | None:
    """Why `host:port` is not a Dask scheduler (None if its greeting looks like one)."""
    import socket
    import struct

    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            head = _recv_exactly(sock, 8)
            if head is None:
                return "no Dask scheduler answered (the connection closed without its greeting)"
            (size,) = struct.unpack("<Q", head)
            if not 8 < size <= HANDSHAKE_MAX_BYTES:
                return "no Dask scheduler answered (something answered, but not with a Dask handshake)"
            body = _recv_exactly(sock, size)
            if body is None or b"pickle-protocol" not in body:
                return "no Dask scheduler answered (something answered, but not with a Dask handshake)"
    except TimeoutError:
        return f"no Dask scheduler answered within {timeout:g} s"
    except OSError as exc:
        return f"no Dask scheduler answered (cannot connect: {exc.strerror or exc})"
    return None


def _recv_exactly(sock, n: int) -> bytes | None:
    """`n` bytes from `sock`, or None if it closes first (socket.timeout propagates)."""
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _client_within(url: str, address: str, timeout: float):
    """A Client for `url`, made in a daemon thread so that a scheduler that stops answering cannot hang us."""
    import threading

    from distributed import Client

    box: dict = {}

    def connect() -> None:
        try:
            box["client"] = Client(url, timeout=f"{timeout}s", set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - reported below as one clear error
            box["error"] = exc

    thread = threading.Thread(target=connect, name="gigsim-dask-connect", daemon=True)
    thread.start()
    thread.join(timeout * 2 + 1)
    if "client" in box:
        return box["client"]
    exc = box.get("error")
    reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no reply'}" if exc else "no reply"
    raise InputError(f"--cluster {address}: no Dask scheduler answered within {timeout:g} s ({reason})")


def _run_on_dask(tasks: list[dict], on_result: Callback, cluster) -> None:
    from distributed import as_completed

    client = connect_cluster(cluster) if isinstance(cluster, str) else cluster
    try:
        token = hashlib.sha256(json.dumps([t["scenario"] for t in tasks[:1]], sort_keys=True).encode()).hexdigest()[:8]
        futures = {}
        for t in tasks:
            f = client.submit(execute_run, t, key=f"gigsim-{t['arm']}-{t['seed_index']}-{token}-{time.time_ns()}",
                              pure=False)
            futures[f] = t
        for future in as_completed(list(futures), loop=client.loop):
            t = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker after repeated worker deaths
                result = {"arm": t["arm"], "seed_index": t["seed_index"], "status": "failed",
                          "error": f"{type(exc).__name__}: {exc}", "seconds": 0.0}
            on_result(result)
            future.release()
    finally:
        client.close()


__all__ = ["execute_run", "execute_and_write", "run_tasks", "connect_cluster", "die_with_parent", "FAIL_RUNS_ENV"]
