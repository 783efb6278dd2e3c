"""Every rule type with hand-calculated expectations, edge cases and properties."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtilib import rules


def test_binary():
    assert rules.binary(np.array([1, 0, 1]), 10, {}).tolist() == [10, 0, 10]


def test_tiered_virtual_assistant_seed_001():
    # seed 001: deployed and personalised → max; deployed only → ½ max; none → 0 (max 10)
    tiers = {"deployed_and_personalised": 1, "deployed_not_personalised": 0.5, "not_deployed": 0}
    out = rules.tiered(np.array(["deployed_not_personalised", "deployed_and_personalised", "not_deployed"],
                                dtype=object), 10, {"tiers": tiers})
    assert out.tolist() == [5, 10, 0]


def test_linear():
    assert rules.linear(np.array([0.25, 1.0]), 10, {}).tolist() == [2.5, 10]


def test_linear_capped_seed_001():
    # seed 001: ratio ≥ 80% → max (20); else ratio/80% × 20.  0.4 → 10, 0.8 → 20, 0.95 → 20
    out = rules.linear_capped(np.array([0.4, 0.8, 0.95, 0.0]), 20, {"threshold": 0.8})
    assert out.tolist() == pytest.approx([10, 20, 20, 0])


def test_all_or_nothing():
    assert rules.all_or_nothing(np.array([1.0, 0.999, 0.0]), 10, {"threshold": 1.0}).tolist() == [10, 0, 0]


def test_min_max_formula_and_ties():
    # (r - 0.1)/(0.5 - 0.1) × 10: 0.1 → 0, 0.3 → 5, 0.5 → 10; the two 0.3 tie at 5
    out = rules.min_max(np.array([0.1, 0.3, 0.3, 0.5]), 10, {})
    assert out.tolist() == pytest.approx([0, 5, 5, 10])


def test_min_max_all_equal_positive_gets_max_and_zero_gets_zero():
    assert rules.min_max(np.array([0.2, 0.2]), 10, {}).tolist() == [10, 10]
    assert rules.min_max(np.array([0.0, 0.0]), 10, {}).tolist() == [0, 0]


def test_min_max_lower_zero_and_peers():
    # lower: zero → r / r_max × max; r_max comes from a peer (0.8): 0.2 → 2.5
    assert rules.min_max(np.array([0.2]), 10, {"lower": "zero"}, peers=[0.8]).tolist() == [2.5]
    # Ninh Thuận (seed 001): 4.0% → 0.4 of 10 when the lowest province has 0% and the highest 100%
    assert rules.min_max(np.array([0.04]), 10, {}, peers=[0.0, 1.0]).tolist() == pytest.approx([0.4])


def test_count_steps_seed_domain_example():
    steps = {4: 20, 3: 15, 2: 10, 1: 5}
    out = rules.count_steps(np.array([0, 1, 2, 3, 4, 7]), 20, {"steps": steps})
    assert out.tolist() == [0, 5, 10, 15, 20, 20]


@pytest.mark.parametrize("rule,params,problem", [
    ("tiered", {}, "params.tiers"),
    ("tiered", {"tiers": {"a": 1.5}}, "between 0 and 1"),
    ("linear_capped", {}, "threshold"),
    ("linear_capped", {"threshold": 0}, "threshold"),
    ("min_max", {"lower": "median"}, "observed"),
    ("count_steps", {"steps": {"x": 1}}, "integer"),
    ("count_steps", {"steps": {1: 10, 2: 5}}, "must not decrease"),
    ("count_steps", {"steps": {1: 50}}, "exceeds max_points"),
    ("additive", {"parts": []}, "two or more"),
])
def test_bad_params_are_described(rule, params, problem):
    assert problem in rules.check_params(rule, params, 20)


ratios = st.lists(st.floats(0, 1), min_size=1, max_size=30).map(np.array)
maxima = st.floats(0.5, 300)


@given(ratios, maxima, st.floats(0.05, 1))
def test_ratio_rules_within_bounds(r, mx, t):
    for fn, params in [(rules.linear, {}), (rules.linear_capped, {"threshold": t}),
                       (rules.all_or_nothing, {"threshold": t}), (rules.min_max, {}),
                       (rules.min_max, {"lower": "zero"})]:
        out = fn(r, mx, params)
        assert np.all(out >= -1e-9) and np.all(out <= mx + 1e-9)


@given(st.floats(0, 1), st.floats(0, 1), maxima, st.floats(0.05, 1))
def test_ratio_rules_monotone(a, b, mx, t):
    lo, hi = min(a, b), max(a, b)
    for fn, params in [(rules.linear, {}), (rules.linear_capped, {"threshold": t}),
                       (rules.all_or_nothing, {"threshold": t})]:
        assert fn(np.array([lo]), mx, params)[0] <= fn(np.array([hi]), mx, params)[0] + 1e-9
    # min–max within one cohort: a higher ratio never scores fewer points
    out = rules.min_max(np.array([lo, hi, 0.5]), mx, {})
    assert out[0] <= out[1] + 1e-9


@given(st.lists(st.integers(0, 12), min_size=1, max_size=20))
def test_count_steps_monotone_and_bounded(counts):
    c = np.array(sorted(counts))
    out = rules.count_steps(c, 20, {"steps": {1: 5, 2: 10, 3: 15, 4: 20}})
    assert np.all(np.diff(out) >= 0) and out.min() >= 0 and out.max() <= 20


def test_every_rule_has_a_vi_and_en_name():
    from dtilib.i18n import t

    for name in rules.RULES:
        assert t(f"rule.{name}", "vi") != f"rule.{name}" and t(f"rule.{name}", "en") != f"rule.{name}"
