"""Fingerprints of every shipped scenario's and experiment arm's outputs, for refactors.

A refactor must leave every output unchanged. `python -m tests.fingerprints --write` records, for each
shipped scenario and each arm of each shipped experiment (first seed), a small run's tables as
(a) the SHA-256 of the Parquet bytes gigsim writes and (b) a content hash of the columns' names, types,
null masks and values that does not depend on the Parquet writer's version. tests/test_fingerprints.py
compares (b) on every test run; (a) is compared by `python -m tests.fingerprints --check-bytes` when
the library versions are those of the recording. A model change that is meant to move the outputs
records new fingerprints (`--write`) in the same commit, and says why in its message.
"""

from __future__ import annotations

import hashlib
import io as _io
import json
import sys
from pathlib import Path

import numpy as np
import polars as pl

ROOT = Path(__file__).resolve().parent.parent
RECORD = Path(__file__).resolve().parent / "data" / "fingerprints.json"
WORKERS = 1_200
DAYS = 45
TABLES = ("metrics", "markets", "workers")


def content_hash(frame: pl.DataFrame) -> str:
    """SHA-256 over each column's name, dtype, null mask and values (floats by their IEEE bytes)."""
    h = hashlib.sha256()
    for name in frame.columns:
        col = frame[name]
        h.update(f"{name}:{col.dtype}".encode())
        h.update(col.is_null().to_numpy().tobytes())
        if col.dtype == pl.String or col.dtype == pl.Categorical or col.dtype == pl.Enum:
            h.update("\x1f".join("" if v is None else str(v) for v in col.cast(pl.String).to_list()).encode())
        elif col.dtype == pl.Boolean:
            h.update(col.fill_null(False).to_numpy().astype(np.uint8).tobytes())
        elif col.dtype.is_numeric():
            values = col.to_numpy()
            if values.dtype == object:
                values = np.array([0 if v is None else v for v in values])
            h.update(np.ascontiguousarray(values).tobytes())
        else:
            h.update(repr(col.to_list()).encode())
    return h.hexdigest()


def parquet_bytes_hash(frame: pl.DataFrame) -> str:
    buf = _io.BytesIO()
    frame.write_parquet(buf, compression="zstd")  # as gigsim.io.write_parquet writes
    return hashlib.sha256(buf.getvalue()).hexdigest()


def cases() -> list[tuple[str, object, int]]:
    """(label, scenario, seed) for every shipped scenario and every experiment arm."""
    from gigsim import load_scenario
    from gigsim.experiments.spec import load_experiment

    out = []
    for path in sorted((ROOT / "scenarios").glob("*.toml")):
        sc = load_scenario(path)
        out.append((f"scenario:{path.stem}", sc.rescaled(WORKERS), sc.seed))
    for path in sorted((ROOT / "experiments").glob("*.toml")):
        exp = load_experiment(path, seeds=1, days=DAYS, workers=WORKERS)
        for name, arm in exp.arms.items():
            out.append((f"experiment:{path.stem}:{name}", arm.scenario, exp.seed(0)))
    # the shipped AI paths start after the 45 days fingerprinted: a world where AI's take-up rule acts from day 0
    from tests.oracle_worlds import ai_oracle_scenario
    out.append(("case:ai_take_up", ai_oracle_scenario().rescaled(WORKERS), 0))
    return out


def fingerprints(only: set[str] | None = None) -> dict:
    from gigsim.experiments.run import run_scenario

    result = {}
    for label, scenario, seed in cases():
        if only is not None and label not in only:
            continue
        run = run_scenario(scenario, seed=seed, days=DAYS)
        tables = {"metrics": run.metrics, "markets": run.markets, "workers": run.workers}
        result[label] = {t: {"content": content_hash(tables[t]), "parquet": parquet_bytes_hash(tables[t])}
                         for t in TABLES}
    return result


def main(argv: list[str]) -> int:
    if "--write" in argv:
        record = {"workers": WORKERS, "days": DAYS, "versions": _versions(), "runs": fingerprints()}
        RECORD.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
        print(f"wrote {len(record['runs'])} fingerprints to {RECORD}")
        return 0
    record = json.loads(RECORD.read_text())
    now = fingerprints()
    key = "parquet" if "--check-bytes" in argv else "content"
    bad = [(label, t) for label, tabs in record["runs"].items() for t in TABLES
           if now.get(label, {}).get(t, {}).get(key) != tabs[t][key]]
    missing = sorted(set(record["runs"]) ^ set(now))
    for label, t in bad:
        print(f"differs: {label} {t}.parquet ({key})")
    for label in missing:
        print(f"only on one side: {label}")
    print(f"{len(now)} runs, {len(bad)} tables differ ({key}), {len(missing)} runs unmatched")
    return 1 if bad or missing else 0


def _versions() -> dict:
    from importlib.metadata import version

    return {name: version(name) for name in ("polars", "pyarrow", "numpy", "numba")}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
