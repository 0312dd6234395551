"""`gigsim translate` (gigsim/analysis/translation.py): each translated number's rule against a direct computation
(on hand-made baselines, and on a small world against the run's recorded tables); --write changing only the
stored fields and keeping every comment; --check failing on a stale value and passing on a fresh one; bad input
refused with exit 2, naming the file and the field, before anything runs or is written."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from gigsim.analysis import translation as tr
from gigsim.analysis.evidence import markers
from gigsim.analysis.facts import traced_run
from gigsim.analysis.replicate import EPISODE_DIR, logged, market_total, ride_utilisation
from gigsim.cli import app
from gigsim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted({t.file for n in tr.NUMBERS for t in n.targets})


def _baseline(**fields) -> tr.Baseline:
    """A hand-made seed's observations (no run)."""
    empty = dict(seed=0, driver_net=np.zeros(0), driver_hours=np.zeros(0), ride_costs=0.0, ride_task_hours=0.0,
                 ride_logged_hours=0.0, online_rates={}, miles_per_hour=20.0)
    return tr.Baseline(**{**empty, **fields})


# --------------------------------------------------------------------------- the rules


def test_per_minute_is_the_85th_percentile_of_drivers_with_30_logged_in_hours_over_60():
    rates = np.arange(1.0, 102.0)  # 101 eligible drivers earning 1..101 an hour: the 85th percentile is 86
    hours = np.full(101, 40.0)
    # a driver with 29 hours at 1,000 an hour and one never in rides are not in the distribution
    b = _baseline(driver_net=np.concatenate([rates * hours, [29_000.0, 0.0]]),
                  driver_hours=np.concatenate([hours, [29.0, 0.0]]))
    assert tr.nyc_per_minute(b) == pytest.approx(86.0 / 60.0)
    assert np.isnan(tr.nyc_per_minute(_baseline()))


def test_per_mile_is_running_costs_per_logged_in_hour_over_the_speed():
    b = _baseline(driver_net=np.zeros(3), driver_hours=np.array([10.0, 30.0, 0.0]), ride_costs=100.0,
                  miles_per_hour=25.0)
    assert tr.nyc_per_mile(b) == pytest.approx(100.0 / 40.0 / 25.0)


def test_horton_minimum_is_the_lowest_online_categorys_mean_price_per_engaged_hour():
    b = _baseline(online_rates={"writing": np.array([10.0, 20.0]), "design": np.array([12.0, 14.0]),
                                "programming": np.array([50.0]), "translation": np.zeros(0)})
    assert tr.horton_hourly(b) == 13.0


def test_small_world_matches_the_runs_recorded_tables():
    """observe() steps the world itself; the same seed's recorded tables (the replication's measures) agree."""
    sc = load_scenario(EPISODE_DIR / "control.toml").rescaled(600)
    b = tr.observe(sc, 3)
    t = traced_run(sc, 3, tr.EPISODE_DAYS)
    start, end = tr.WINDOW
    assert tr.nyc_target_utilisation(b) == pytest.approx(ride_utilisation(t, start, end) * 55.9 / 54.8, rel=1e-9)
    assert b.driver_hours.sum() == pytest.approx(logged(t, "rides", start, end), rel=1e-6)
    # the markets table also counts the trips of drivers who are no longer active at the day's end (they left),
    # whose hours the logged-in hours do not count: the translation leaves both out, as the scripts did (0.4-0.8%)
    costs = market_total(t, "worker_costs", ("rides",), start, end)
    assert 0.985 * costs <= b.ride_costs <= costs
    net = market_total(t, "worker_pay", ("rides",), start, end) - costs
    assert 0.985 * net <= b.driver_net.sum() <= net
    assert set(b.online_rates) == {"writing", "design", "programming"}
    assert all(v.size > 20 and (v > 0).all() for v in b.online_rates.values())
    assert 0 < tr.nyc_per_minute(b) and 0 < tr.nyc_target_utilisation(b) < 1


def test_a_stored_value_is_current_inside_the_interval_widened_by_rounding():
    seeds = [_baseline(online_rates={"writing": np.array([v])}) for v in (40.0, 41.0, 42.0)]
    stored = {t: 41.0 for n in tr.NUMBERS for t in n.targets}
    rows = {r.number.name: r for r in tr.translate(seeds, stored)}
    horton = rows["horton_hourly"]
    assert horton.mean == 41.0 and horton.per_seed == (40.0, 41.0, 42.0)
    lo, hi = horton.interval  # t(0.975, 2) x 1 / sqrt(3) = 2.48
    assert hi - 41.0 == pytest.approx(2.4841, abs=1e-3) and horton.current
    assert not tr.replace(horton, stored=hi + 0.06).current and tr.replace(horton, stored=hi + 0.04).current
    assert not rows["nyc_per_mile"].current  # undefined (no drivers): never current


# --------------------------------------------------------------------------- the files


@pytest.fixture
def repo(tmp_path) -> Path:
    """A copy of the files that store the numbers (and a docs file with the markers)."""
    for file in FILES:
        (tmp_path / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / file, tmp_path / file)
    start, end = markers(tr.DOCS_SECTION)
    (tmp_path / "docs.md").write_text(f"# Docs\n\nprose  \n{start}\nold\n{end}\nafter\n")
    return tmp_path


def _rows(root: Path, shift: float = 0.0) -> list[tr.Translation]:
    """Rows whose measurement is the stored value + `shift` (no run)."""
    stored = tr.read_stored(root)
    return [tr.Translation(n, t, stored[t] + shift, (stored[t] + shift,) * 2, (None, None), stored[t])
            for n in tr.NUMBERS for t in n.targets]


def test_write_changes_only_the_stored_fields_and_keeps_every_comment(repo):
    before = {f: (repo / f).read_text().splitlines() for f in FILES}
    per_minute = tomllib.loads((repo / tr.NYC_EPISODE).read_text())["policy"]["nyc_pay_standard"]["per_minute"]
    written = tr.write_values(_rows(repo, shift=0.1), repo)
    assert sorted(written) == sorted(repo / f for f in FILES)
    fields = {t.field.rsplit(".", 1)[1] for n in tr.NUMBERS for t in n.targets}
    for f in FILES:
        after = (repo / f).read_text().splitlines()
        assert len(after) == len(before[f])
        changed = [(a, b) for a, b in zip(before[f], after, strict=True) if a != b]
        assert changed, f
        for old, new in changed:  # only a line holding a stored field, and only its value
            assert not old.lstrip().startswith("#") and any(f"{k} = " in old for k in fields)
            assert old.split("=")[0] == new.split("=")[0]
    after = tr.read_stored(repo)
    for r in _rows(repo):
        assert after[r.target] == pytest.approx(r.stored)  # the new values read back
    shifted = f"{per_minute + 0.1:.3f}"  # the shipped value moves with the calibration; the test shifts it by 0.1
    assert f"per_minute = {shifted}" in (repo / tr.NYC_EPISODE).read_text()  # written with the number's decimals
    lever = tomllib.loads((repo / tr.NYC_EPISODE).read_text())["policy"]["nyc_pay_standard"]  # another parser
    assert lever["per_minute"] == float(shifted) and lever["enabled"] is True and lever["start"] == 60
    assert tr.write_values(_rows(repo), repo) == []  # writing the values a file holds changes nothing


def _translate(root: Path, *args: str):
    return CliRunner().invoke(app, ["translate", str(EPISODE_DIR / "control.toml"), "--workers", "300",
                                    "--seeds", "2", "--root", str(root), *args])


@pytest.mark.slow
def test_check_passes_after_write_and_fails_on_a_stale_value(repo):
    docs = repo / "docs.md"
    result = _translate(repo, "--write", "--docs", str(docs))
    assert result.exit_code == 0, result.output
    text = docs.read_text()
    assert text.startswith("# Docs\n\nprose  \n") and text.endswith("after\n") and "old" not in text
    assert "| `nyc_per_minute` (per minute) |" in text and "**no**" not in text
    assert _translate(repo, "--check").exit_code == 0
    episode = repo / tr.NYC_EPISODE
    episode.write_text(episode.read_text().replace("\nper_mile = ", "\nper_mile = 9"))  # 0.2xx -> 90.2xx
    result = _translate(repo, "--check")
    assert result.exit_code == 1 and "6 of 7 stored values are current" in result.output


@pytest.mark.parametrize("edit, message", [
    (lambda s: s.replace("\nper_mile = ", "\n# per_mile = "), "field policy.nyc_pay_standard.per_mile is missing"),
    (lambda s: s.replace("\nper_mile = ", '\nper_mile = "x" # '), "field policy.nyc_pay_standard.per_mile must be"),
    (lambda s: s + "\n[[broken", "cannot read"),
])
def test_bad_stored_field_exits_2_naming_file_and_field_and_writes_nothing(repo, edit, message):
    episode = repo / tr.NYC_EPISODE
    episode.write_text(edit(episode.read_text()))
    snapshot = {f: (repo / f).read_bytes() for f in FILES}
    result = _translate(repo, "--write", "--docs", str(repo / "docs.md"))
    assert result.exit_code == 2
    assert str(episode) in " ".join(result.output.split()) and message in " ".join(result.output.split())
    assert {f: (repo / f).read_bytes() for f in FILES} == snapshot and "old" in (repo / "docs.md").read_text()


def test_bad_options_and_docs_without_markers_exit_2(repo):
    assert _translate(repo, "--check", "--write").exit_code == 2
    bare = repo / "bare.md"
    bare.write_text("# no markers\n")
    result = _translate(repo, "--write", "--docs", str(bare))
    assert result.exit_code == 2 and "generated:translation" in " ".join(result.output.split())
    assert bare.read_text() == "# no markers\n" and tr.read_stored(repo) == tr.read_stored(ROOT)


def test_the_shipped_docs_hold_the_translation_section():
    tr.read_docs(ROOT / "docs" / "validation.md")
