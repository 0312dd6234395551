"""Atomic, clearly failing file writes: a crash or a full disk never leaves a half-written file behind.

Every file is written to a temporary name in the same folder, flushed to disk,
then renamed over the target (rename is atomic on POSIX). Results are Parquet
and JSON only: nothing is ever pickled.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import polars as pl

from gigsim.errors import GigsimError


class OutputError(GigsimError):
    """A results folder that cannot be written (read-only, disk full, not a folder)."""


def ensure_dir(path: Path) -> Path:
    """Create `path` (and parents) or fail with a clear message."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OutputError(f"{path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the folder ({exc.strerror})") from None
    return path


def _reason(exc: OSError) -> str:
    """A plain reason for a failed write."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only"
    return exc.strerror or str(exc)


def _atomic(target: Path, write: Callable[[Path], None]) -> None:
    target = Path(target)
    ensure_dir(target.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: could not write ({_reason(exc)}); nothing was written") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes owner-only files; results are meant to be shared
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{target}: could not write ({_reason(exc)}); nothing was left half-written") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_parquet(frame: pl.DataFrame, target: Path) -> None:
    """Write a DataFrame to Parquet atomically (zstd, no statistics that vary between runs)."""
    _atomic(Path(target), lambda tmp: frame.write_parquet(tmp, compression="zstd"))


def write_json(data: dict, target: Path) -> None:
    """Write JSON atomically, keys sorted, for stable bytes."""
    text = json.dumps(data, indent=2, sort_keys=True, default=str) + "\n"
    _atomic(Path(target), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_text(text: str, target: Path) -> None:
    """Write a text file atomically."""
    _atomic(Path(target), lambda tmp: tmp.write_text(text, encoding="utf-8"))


def check_writable(folder: Path) -> None:
    """Fail early, before any work, if `folder` cannot be written."""
    folder = ensure_dir(Path(folder))
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: the folder is read-only")
