"""The calibration's record and how a scenario carries it.

`gigsim calibrate` writes `best.toml`: a `[calibration]` table saying how the point was found (command, date,
loss, the calibrated moments at the best point and their bands) and a `[parameters.<table>]` table per scenario
table with the best values. `apply_record` merges those values into a scenario file — only the value of each
`key = value` line changes, every other line and comment stays, each changed line is marked `# calibrated` —
and stores the record beside the scenarios as `scenarios/calibration/<scenario file name>`; the scenario file
gets a comment block naming the record. tests/test_calibration_record.py checks that the shipped baseline's
calibrated values are the ones its record holds.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from gigsim import io
from gigsim.errors import InputError

if TYPE_CHECKING:
    from gigsim.analysis.calibration import Calibration

MARK = "# calibrated: see {record}"
BLOCK_START = "# --- calibration record (written by gigsim calibrate --apply / gigsim calibrate-apply) ---"
BLOCK_END = "# --- end of calibration record ---"


def record_toml(parameters: dict[str, dict[str, float]], meta: dict, moments: dict[str, float | None],
                bands: dict[str, tuple[float, float]], restrictions: dict[str, float | None] | None = None) -> str:
    """best.toml's text: the `[calibration]` table (meta, then each moment's value and band, then the equilibrium
    restrictions' values at the best point) and the parameters."""
    lines = ["# gigsim calibrate: the best point and how it was found. Apply it with",
             "#   gigsim calibrate-apply <this file> <scenario file>", "", "[calibration]"]
    lines += _defined(meta)
    lines += ["", "[calibration.moments]  # the calibrated moments at the best point (mean over seeds; absent: undefined)"]
    lines += _defined(moments)
    lines += ["", "[calibration.bands]  # each moment's published band [low, high]"]
    lines += [f"{k} = [{_value(float(lo))}, {_value(float(hi))}]" for k, (lo, hi) in bands.items()]
    if restrictions:
        lines += ["", "[calibration.restrictions]  # issue 14's restrictions at the best point (bounds: *_max/_min above)"]
        lines += _defined(restrictions)
    for table, keys in parameters.items():
        lines += ["", f"[parameters.{table}]", *[f"{k} = {_value(float(v))}" for k, v in keys.items()]]
    return "\n".join(lines) + "\n"


def _defined(table: dict) -> list[str]:
    """`key = value` lines, leaving out undefined values (None or NaN): TOML has no null, and a NaN written
    into a record would read back as a number."""
    return [f"{k} = {_value(v)}" for k, v in table.items()
            if v is not None and not (isinstance(v, float) and math.isnan(v))]


def _value(v) -> str:
    if v is None:
        return "nan"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(int(v)) if float(v).is_integer() and not isinstance(v, float) else repr(float(v))


def read_record(path: Path) -> dict:
    """A calibration record (best.toml); InputError naming the file and the field when it is not one."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: not a readable calibration record ({exc})") from None
    for field in ("calibration", "parameters"):
        if not isinstance(data.get(field), dict) or not data[field]:
            raise InputError(f"{path}: field [{field}] is missing or empty; is this a gigsim calibrate best.toml?")
    for table, keys in data["parameters"].items():
        for key, value in (keys.items() if isinstance(keys, dict) else [(None, keys)]):
            if key is None or isinstance(value, bool) or not isinstance(value, int | float):
                raise InputError(f"{path}: field parameters.{table}.{key} must be a number")
    return data


def merge_values(text: str, parameters: dict[str, dict[str, float]], mark: str) -> str:
    """`text` (a scenario TOML) with each `[table] key = value` line's value replaced; its trailing comment and
    the indented comment lines continuing it become `mark`. A key the table lacks is added under its header."""
    lines = text.splitlines()
    for table, keys in parameters.items():
        header = _find(lines, rf"^\[{re.escape(table)}\]\s*(#.*)?$")
        if header is None:
            raise InputError(f"scenario has no [{table}] table for the calibrated parameters {', '.join(keys)}")
        end = next((i for i in range(header + 1, len(lines)) if lines[i].startswith("[")), len(lines))
        for key, value in keys.items():
            new = f"{key} = {value!r}"
            new = f"{new:<33}{mark}"
            at = _find(lines[header + 1:end], rf"^{re.escape(key)}\s*=")
            if at is None:
                lines.insert(header + 1, new)
                end += 1
                continue
            at += header + 1
            lines[at] = new
            while at + 1 < end and re.match(r"^\s+#", lines[at + 1]):
                del lines[at + 1]
                end -= 1
    return "\n".join(lines) + "\n"


def _find(lines: list[str], pattern: str) -> int | None:
    return next((i for i, line in enumerate(lines) if re.match(pattern, line)), None)


def comment_block(record: dict, record_name: str) -> str:
    """The comment block a calibrated scenario carries: the record's file, command, date, loss, moments inside."""
    c = record["calibration"]
    before = (f"the centre, around {c.get('around', '?')}: {c.get('centre_loss', float('nan')):.4f}"
              if c.get("refinement") else f"current values before: {c.get('current_loss', float('nan')):.4f}")
    return "\n".join([
        BLOCK_START,
        f"# Values marked `calibrated` come from {record_name} (kept beside the scenarios):",
        f"#   {c.get('command', '?')}",
        f"#   on {c.get('date', '?')}; {'a local refinement; ' if c.get('refinement') else ''}loss "
        f"{c.get('loss', float('nan')):.4f} ({before}); {c.get('inside', '?')} of {c.get('moments_total', '?')} "
        "calibrated moments inside their bands.",
        BLOCK_END]) + "\n"


def apply_record(record_path: Path, scenario_path: Path, record_dir: Path | None = None) -> Path:
    """Merge a record's parameters into the scenario file and store the record beside it; returns the stored record.

    The merged scenario is validated (gigsim.scenario) before anything is written; the scenario file and the
    record are each replaced atomically. The record goes to `record_dir` (default: `calibration/` next to the
    scenario) under the scenario's file name."""
    from gigsim.scenario import load_scenario

    record = read_record(record_path)
    scenario_path = Path(scenario_path)
    load_scenario(scenario_path)  # the scenario must be valid before as well as after
    target = (record_dir or scenario_path.parent / "calibration") / scenario_path.name
    relative = f"{target.parent.name}/{target.name}"
    text = _strip_block(scenario_path.read_text(encoding="utf-8"))
    merged = merge_values(text, record["parameters"], MARK.format(record=relative))
    merged = _with_block(merged, comment_block(record, relative))
    trial = scenario_path.with_name(f".{scenario_path.stem}.calibrating.toml")  # beside it: `extends` resolves alike
    try:
        io.write_text(merged, trial)
        sc = load_scenario(trial)
    finally:
        trial.unlink(missing_ok=True)
    for table, keys in record["parameters"].items():
        for key, value in keys.items():
            if getattr(getattr(sc, table), key) != value:
                raise InputError(f"{scenario_path}: could not set {table}.{key}")
    io.ensure_dir(target.parent)
    io.write_text(Path(record_path).read_text(encoding="utf-8"), target)
    io.write_text(merged, scenario_path)
    return target


def _strip_block(text: str) -> str:
    """`text` without a previous calibration comment block."""
    start, end = text.find(BLOCK_START), text.find(BLOCK_END)
    if start < 0 or end < start:
        return text
    return text[:start] + text[end + len(BLOCK_END):].lstrip("\n")


def _with_block(text: str, block: str) -> str:
    """`text` with the comment block before its first table (after the header comments and top-level keys)."""
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.startswith("[")), len(lines))
    return "".join(lines[:first]) + block + "\n" + "".join(lines[first:])


def today() -> str:
    """Today's date (UTC, ISO), for the record."""
    return _dt.datetime.now(_dt.UTC).date().isoformat()


def _table(frame: pl.DataFrame) -> str:
    if frame.height == 0:
        return "(none)\n"
    cols = frame.columns
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in frame.iter_rows(named=True):
        lines.append("| " + " | ".join(f"{v:.4g}" if isinstance(v, float) else str(v) for v in r.values()) + " |")
    return "\n".join(lines) + "\n"


def candidates_markdown(cal: Calibration, top: int | None = None) -> str:
    """The candidates (best first), the loss surface and the identification table, as Markdown."""
    from gigsim.analysis.calibration import STEP

    frame = cal.candidates if top is None else cal.candidates.head(top)
    return ("## Candidates (best first)\n\n" + _table(frame) + "\n## Loss surface: rank correlation of the loss "
            "with each parameter over the points\n\n" + _table(cal.surface) + "\n## Identification at the best "
            f"point (± {STEP:.0%} of each range, same seeds)\n\n" + _table(cal.identification))


def write_calibration(cal: Calibration, snippet: str, out) -> list[Path]:
    """best.toml, candidates.parquet, identification.parquet (with identification) and candidates.md in `out`
    (atomic writes); returns the files written."""
    out = io.ensure_dir(Path(out))
    io.check_writable(out)
    written = [out / "best.toml", out / "candidates.parquet", out / "candidates.md"]
    io.write_parquet(cal.candidates, out / "candidates.parquet")
    if cal.identification.height:
        io.write_parquet(cal.identification, out / "identification.parquet")
        written.append(out / "identification.parquet")
    io.write_text(candidates_markdown(cal), out / "candidates.md")
    io.write_text(snippet, out / "best.toml")
    return written
