"""The manifest of an experiment's results folder: what it must hold, read and checked before anything uses it.

A manifest that is not JSON, is another program's, or lacks a field gigsim reads (`runs`, numeric
`settings`, ...) is refused with one message naming the file and the field; nothing downstream then meets a
KeyError or ValueError.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gigsim.errors import InputError
from gigsim.scenario.messages import describe_validation_error

KIND = "gigsim-experiment-results"
FORMAT = 2
"""2: every done run records the SHA-256 of its files (format 1 had none and is read no more)."""
MANIFEST = "manifest.json"


class NotAResultsFolder(InputError):
    """A folder given as results that is not one (or whose manifest is damaged)."""


class DamagedResults(NotAResultsFolder):
    """A result file that is missing, or whose bytes differ from the SHA-256 its manifest recorded."""


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class RunEntry(_Lenient):
    arm: str
    seed_index: Annotated[int, Field(ge=0)]
    seed: Annotated[int, Field(ge=0)]
    status: Literal["pending", "done", "failed"]
    error: str | None = None
    seconds: float | None = None
    finished: str | None = None
    files: dict[str, str] = Field(default_factory=dict)


class Settings(_Lenient):
    seeds: Annotated[int, Field(ge=1)]
    days: Annotated[int, Field(ge=1)]
    workers: Annotated[int, Field(ge=1)] | None = None
    base_seed: Annotated[int, Field(ge=0)]
    arm_scenarios: dict[str, str]


class ExperimentInfo(_Lenient):
    name: str
    sha256: str


class ArmInfo(_Lenient):
    compare_to: str | None = None


class Manifest(_Lenient):
    kind: Literal["gigsim-experiment-results"]
    format: Literal[2]
    experiment: ExperimentInfo
    settings: Settings
    control: str | None = None
    outcomes: list[str]
    windows: list[str] = Field(default_factory=lambda: ["all"])
    arms: dict[str, ArmInfo] = Field(min_length=1)
    runs: dict[str, RunEntry]
    batch: str | None = None


def read_manifest(folder: str | Path) -> dict:
    """The checked manifest of a results folder (as a dict), or NotAResultsFolder naming the file and field."""
    folder = Path(folder)
    if not folder.exists():
        raise NotAResultsFolder(f"{folder}: no such results folder")
    if not folder.is_dir():
        raise NotAResultsFolder(f"{folder}: is not a folder")
    path = folder / MANIFEST
    if not path.is_file():
        raise NotAResultsFolder(f"{folder}: is not a gigsim results folder (no {MANIFEST}); "
                                "make one with `gigsim experiment EXPERIMENT --out DIR`")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise NotAResultsFolder(f"{path}: is not a readable manifest ({exc}); "
                                "rerun the experiment with --fresh to discard the folder's results") from None
    except OSError as exc:
        raise NotAResultsFolder(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise NotAResultsFolder(f"{path}: is not a gigsim experiment manifest")
    if data.get("format") != FORMAT:
        raise NotAResultsFolder(f"{path}: manifest format {data.get('format')!r} is not {FORMAT} (made by another "
                                "gigsim version); rerun the experiment with --fresh to redo it")
    try:
        Manifest.model_validate(data)
    except ValidationError as exc:
        problem = describe_validation_error(exc, Manifest, str(path))
        raise NotAResultsFolder(f"{problem} (the manifest is damaged; rerun the experiment with --fresh to "
                                "discard the folder's results)") from None
    return data


__all__ = ["KIND", "FORMAT", "MANIFEST", "NotAResultsFolder", "DamagedResults", "read_manifest", "Manifest"]
