"""Atomic, clearly failing file writes: a crash or a full disk never leaves a half-written file behind.

Every file is written to a temporary name in the same folder, flushed to disk,
then renamed over the target (rename is atomic on POSIX). Results are Parquet
and JSON only: nothing is ever pickled.
"""

from __future__ import annotations

import errno
import hashlib
import io as _bytes_io
import json
import os
import tempfile
from pathlib import Path

import polars as pl

from gigsim.errors import GigsimError, InputError


class OutputError(GigsimError):
    """A results folder that cannot be written (read-only, disk full). Exit code 1."""


class NotAFolder(InputError, OutputError):
    """An output path that is a file (or another non-folder). Bad input: exit code 2."""


def ensure_dir(path: Path) -> Path:
    """Create `path` (and parents) or fail with a clear message."""
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise NotAFolder(f"{path}: exists and is not a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot create the folder ({exc.strerror})") from None
    return path


def reason(exc: OSError) -> str:
    """A plain reason for a failed write."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder is read-only"
    return exc.strerror or str(exc)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte of `data` to `fd` (a short write is retried; a full disk raises OSError ENOSPC)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def write_bytes(target: Path, data: bytes, make_parents: bool = True) -> str:
    """Write `data` to `target` atomically (temporary file, fsync, rename); return its SHA-256 (hex).

    `make_parents=False` writes only into a folder that already exists (a batch's staging folder that
    its batch has removed is not created again).
    """
    target = Path(target)
    if make_parents:
        ensure_dir(target.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"{target}: could not write ({reason(exc)}); nothing was written") from None
    tmp = Path(tmp_name)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(tmp, 0o644)  # mkstemp makes owner-only files; results are meant to be shared
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"{target}: could not write ({reason(exc)}); nothing was left half-written") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    """A DataFrame as the Parquet bytes gigsim stores (zstd), made in memory so that writing them to disk is
    plain file I/O: a full disk is then an OSError, never a Parquet library error."""
    buffer = _bytes_io.BytesIO()
    frame.write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def write_parquet(frame: pl.DataFrame, target: Path, make_parents: bool = True) -> str:
    """Write a DataFrame to Parquet atomically (zstd); return the file's SHA-256."""
    return write_bytes(Path(target), parquet_bytes(frame), make_parents)


def json_bytes(data: dict) -> bytes:
    """JSON with sorted keys, for stable bytes."""
    return (json.dumps(data, indent=2, sort_keys=True, default=str) + "\n").encode("utf-8")


def write_json(data: dict, target: Path, make_parents: bool = True) -> str:
    """Write JSON atomically, keys sorted, for stable bytes; return the file's SHA-256."""
    return write_bytes(Path(target), json_bytes(data), make_parents)


def write_text(text: str, target: Path) -> str:
    """Write a text file atomically; return its SHA-256."""
    return write_bytes(Path(target), text.encode("utf-8"))


def check_writable(folder: Path) -> None:
    """Fail early, before any work, if `folder` cannot be written."""
    folder = ensure_dir(Path(folder))
    if not os.access(folder, os.W_OK):
        raise OutputError(f"{folder}: the folder is read-only")


RENAME_EXCHANGE = 2


def exchange(new: Path, target: Path) -> None:
    """Put folder `new` in the place of folder `target`; afterwards `new` names the previous `target`.

    On Linux one atomic renameat2(RENAME_EXCHANGE); elsewhere (or on a file system without it) two renames,
    the first undone if the second fails. Either way no reader ever sees a mix of old and new files.
    """
    new, target = Path(new), Path(target)
    if _renameat2_exchange(new, target):
        return
    aside = target.with_name(f".{target.name}.old-{os.getpid()}")
    try:
        os.rename(target, aside)
        try:
            os.rename(new, target)
        except OSError:
            os.rename(aside, target)
            raise
        os.rename(aside, new)
    except OSError as exc:
        raise OutputError(f"{target}: could not replace it ({reason(exc)}); the previous files are kept") from None


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux's renameat2; False where that is not available."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
        return False
    raise OutputError(f"{b}: could not replace it ({os.strerror(err)}); the previous files are kept")
