"""One vocabulary: the codes, the flows and the metrics columns are defined once and everything uses them."""

from __future__ import annotations

import re

import numpy as np

from gigsim.model.columns import CATEGORY_COLUMNS, FIXED_COLUMNS, PLATFORM_COLUMNS, column_names
from gigsim.model.vocabulary import FLOW_NAMES, MATCHING_RULES, PRICING_RULES, Fate, Flow, Matching, Pricing
from gigsim.scenario import PlatformSpec
from tests.helpers import ROOT, baseline, run


def test_a_runs_metrics_have_exactly_the_registered_columns_in_order():
    model = run(baseline(600), 3)
    assert model.metrics.columns == column_names(model.platform_names, model.category_names)


def test_every_registered_column_is_documented_in_the_odd():
    outputs = (ROOT / "docs" / "model.md").read_text().split("## 8. Outputs", 1)[1]
    documented = set(re.findall(r"`([a-z0-9_<>]+)`", outputs))
    for column in (*FIXED_COLUMNS, *PLATFORM_COLUMNS, *CATEGORY_COLUMNS):
        name = column.name.replace("{platform}", "<platform>").replace("{category}", "<category>")
        assert name in documented, f"{name} is not in docs/model.md section 8"
        assert column.meaning and column.unit


def test_markets_table_has_one_column_per_flow_and_flows_index_by_name():
    model = run(baseline(600), 3)
    assert [c for c in model.market_metrics.columns if c in FLOW_NAMES] == list(FLOW_NAMES)
    flows = model.ledger.day.flows
    paid = flows[Flow.CLIENT_PAYMENTS].sum()
    assert paid > 0
    split = (flows[Flow.WORKER_PAY] + flows[Flow.PLATFORM_REVENUE] + flows[Flow.BENEFIT_CONTRIBUTIONS]
             + flows[Flow.TRANSFER_LEVY]).sum()
    assert np.isclose(paid, split)
    assert int(flows[Flow.TASKS_FILLED].sum()) == int(np.isin(model.tasks.fate, [Fate.FILLED, Fate.DIRECT,
                                                                                  Fate.REFERRAL]).sum())


def test_the_scenario_accepts_exactly_the_vocabularys_rules():
    assert MATCHING_RULES == tuple(m.name.lower() for m in Matching)
    assert PRICING_RULES == tuple(p.name.lower() for p in Pricing)
    for rule in MATCHING_RULES:
        assert PlatformSpec(categories=["rides"], matching=rule).matching == rule
    for rule in PRICING_RULES:
        assert PlatformSpec(categories=["rides"], pricing=rule).pricing == rule


def test_platform_codes_follow_the_scenarios_rule_names():
    sc = baseline(600, platforms={"freelancely": {"matching": "cheapest", "pricing": "bids"}})
    model = run(sc, 1)
    p = model.platform_names.index("freelancely")
    assert model.rule[p] == Matching.CHEAPEST and model.pricing[p] == Pricing.BIDS
    assert model.pricing[model.platform_names.index("rideco")] == Pricing.SURGE
