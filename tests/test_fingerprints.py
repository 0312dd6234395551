"""Refactors keep every shipped scenario's and experiment arm's outputs identical (tests/fingerprints.py)."""

import json

import pytest

from tests import fingerprints as fp


@pytest.mark.slow
def test_shipped_outputs_match_recorded_fingerprints():
    record = json.loads(fp.RECORD.read_text())
    assert record["workers"] == fp.WORKERS and record["days"] == fp.DAYS
    now = fp.fingerprints()
    assert sorted(now) == sorted(record["runs"]), "the shipped scenarios or arms changed: record them (--write)"
    differ = [f"{label} {t}" for label, tables in record["runs"].items() for t in fp.TABLES
              if now[label][t]["content"] != tables[t]["content"]]
    assert not differ, f"outputs moved for {len(differ)} tables, e.g. {differ[:5]}; a refactor must not move them"


def test_content_hash_sees_a_single_changed_value():
    import polars as pl

    a = pl.DataFrame({"x": [1.0, 2.0, None], "s": ["a", "b", "c"]})
    b = a.with_columns(pl.Series("x", [1.0, 2.0000000001, None]))
    c = a.with_columns(pl.Series("x", [1.0, 2.0, float("nan")]))
    assert fp.content_hash(a) == fp.content_hash(a.clone())
    assert fp.content_hash(a) != fp.content_hash(b)
    assert fp.content_hash(a) != fp.content_hash(c)  # null and NaN differ
