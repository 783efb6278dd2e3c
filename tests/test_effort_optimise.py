"""The exact plan: milp = brute force (hypothesis), edge budgets, left-out reasons, re-scoring."""

import types

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from dtilib.effort.actions import candidate_actions
from dtilib.effort.costs import effort_for
from dtilib.effort.optimise import _left_out, best_plan, brute_force, greedy, solve
from dtilib.errors import ParameterError

FX = FIXTURES / "effort"
EFFORT = FX / "effort.csv"

# Likely costs of unit A's actions with the fixture effort table (hand, see test_effort_costs.py):
# nts_01 +10 for 10; nts_02 →3 +2.5 for 3, →4 +5 for 6; nts_03.chair +5 for 3; nts_03.attend +1.25/2.5/3.75
# for 3/4/5; cqs_03 +10 for 4 (default money row: 2 + 1 × 2 million); everything else costs ≥ 5.


@pytest.fixture(scope="module")
def aset():
    return candidate_actions(FX / "all_rules.yaml", FX / "units.csv", "A")


@st.composite
def instances(draw):
    n = draw(st.integers(1, 9))
    gain = draw(st.lists(st.integers(0, 20), min_size=n, max_size=n))
    cost = draw(st.lists(st.integers(0, 15), min_size=n, max_size=n))
    days = draw(st.lists(st.integers(0, 10), min_size=n, max_size=n))
    group = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    budget = draw(st.integers(0, 40))
    limit = draw(st.one_of(st.none(), st.integers(0, 25)))
    frac = draw(st.booleans())
    g = np.array(gain, float) + (np.array(gain) % 3) * (0.25 if frac else 0)
    return g, np.array(cost, float), np.array(group), budget, np.array(days, float), limit


@settings(max_examples=300, deadline=None)
@given(instances())
def test_exact_equals_brute_force(inst):
    gain, cost, group, budget, days, limit = inst
    mask = solve(gain, cost, group, budget, days=days, day_limit=limit)
    best, _ = brute_force(gain, cost, group, budget, days=days, day_limit=limit)
    assert gain[mask].sum() == pytest.approx(best, abs=1e-9)
    assert cost[mask].sum() <= budget + 1e-9
    if limit is not None:
        assert days[mask].sum() <= limit + 1e-9
    for gid in np.unique(group):                     # at most one action per option group
        assert mask[group == gid].sum() <= 1
    g = greedy(gain, cost, group, budget, days=days, day_limit=limit)
    assert gain[g].sum() <= best + 1e-9              # greedy never beats the optimum


def test_greedy_can_be_worse_than_exact():
    # budget 10: greedy takes the best ratio (gain 6 for 5) then nothing fits; exact takes 10 for 10
    gain, cost, group = np.array([6.0, 10.0]), np.array([5.0, 10.0]), np.array([0, 1])
    assert gain[greedy(gain, cost, group, 10)].sum() == 6
    assert gain[solve(gain, cost, group, 10)].sum() == 10


def test_ties_take_the_cheaper_plan():
    gain, cost, group = np.array([5.0, 5.0]), np.array([4.0, 3.0]), np.array([0, 0])
    assert solve(gain, cost, group, 10).tolist() == [False, True]


def test_budget_zero_gives_empty_plan(aset):
    plan = best_plan(aset, EFFORT, 0)
    assert plan.chosen.empty and plan.gain == 0 and plan.spent == 0
    assert plan.after["total"] == pytest.approx(plan.before["total"])
    assert set(plan.left_out["reason"]) <= {"over budget", "zero gain"}


def test_budget_above_total_takes_the_best_of_every_group(aset):
    cand = effort_for(aset, EFFORT)
    plan = best_plan(aset, EFFORT, float(cand["cost_likely"].sum()) + 1)
    positive = cand[cand["gain"] > 1e-9]
    best = positive.sort_values(["gain", "cost_likely"], ascending=[False, True]).drop_duplicates("option_group")
    assert sorted(plan.chosen["action_id"]) == sorted(best["action_id"])
    # every sub-indicator reaches its max: A gains all it lost (100 − 24.5833)
    assert plan.after["total"] == pytest.approx(100.0)
    assert plan.gain == pytest.approx(100 - 24.583333, abs=1e-5)


def test_negative_or_bad_budget_is_a_clear_error(aset):
    with pytest.raises(ParameterError, match=r"parameter 'budget'.*negative.*expected a number ≥ 0"):
        best_plan(aset, EFFORT, -1)
    with pytest.raises(ParameterError, match="staff-days"):
        best_plan(aset, EFFORT, 10, staff_days=-3)
    with pytest.raises(ParameterError, match="not a number"):
        best_plan(aset, EFFORT, "lots")
    with pytest.raises(ParameterError, match="cost level"):
        best_plan(aset, EFFORT, 10, cost_level="medium")


def test_small_budget_hand_optimum(aset):
    # budget 7: cqs_03 (+10, 4) + nts_03.chair (+5, 3) = 15 for 7; next best: cqs_03 + nts_02→3 = 12.5
    plan = best_plan(aset, EFFORT, 7)
    assert plan.gain == pytest.approx(15.0)
    assert sorted(plan.chosen["action_id"]) == ["cqs_03:ratio=1", "nts_03.chair:met"]
    assert plan.spent == pytest.approx(7.0)
    assert "assumed effort" in plan.assumptions[0]          # cqs_03 priced by the default money row
    # budget 10: + nts_02→3 (+2.5, 3) = 17.5 for 10
    assert best_plan(aset, EFFORT, 10).gain == pytest.approx(17.5)


def test_plan_is_rescored_with_all_actions_together(aset):
    plan = best_plan(aset, EFFORT, 60)
    res = aset.rescore(plan.chosen["action_id"].tolist())
    assert plan.after["total"] == pytest.approx(float(res.total.set_index("unit").at["A", "points"]))
    assert plan.after["total"] - plan.before["total"] == pytest.approx(plan.chosen["gain"].sum())
    assert plan.by_main["gain"].sum() == pytest.approx(plan.gain)
    assert plan.after["dti"] == pytest.approx(plan.after["total"] / 100)


def test_min_max_plan_moves_the_peers(aset):
    cand = effort_for(aset, EFFORT)
    plan = best_plan(aset, EFFORT, float(cand["cost_likely"].sum()))
    # kts_01 to the leader's 0.8 (a = 8): B falls from 5 to 0 on kts_01 (hand calc), C unchanged
    assert "kts_01:ratio=0.8" in set(plan.chosen["action_id"])
    pc = plan.peers_change.set_index("unit")["delta"]
    assert pc["B"] == pytest.approx(-5.0) and pc["C"] == pytest.approx(0.0)


def test_left_out_reasons(aset):
    plan = best_plan(aset, EFFORT, 10)   # chosen: cqs_03, nts_03.chair, nts_02→3 (17.5 for 10)
    lo = plan.left_out.set_index("action_id")
    assert lo.loc["kts_01:ratio=0.3", "reason"] == "zero gain"
    assert "lowers peers' points" in lo.loc["kts_01:ratio=0.3", "detail"]
    assert lo.loc["nts_02:count=4", "reason"] == "other level chosen"
    assert lo.loc["cqs_01:ratio=0.8", "reason"] == "over budget"      # costs 20 alone
    assert "alone" in lo.loc["cqs_01:ratio=0.8", "detail"]
    assert lo.loc["nts_01:met", "reason"] == "over budget"            # fits alone, not with the plan
    assert "left after the plan" in lo.loc["nts_01:met", "detail"]


def test_dominated_and_unknown_rule_reasons():
    data = pd.DataFrame({"unit": ["X", "X", "Y", "Y"], "indicator": ["nts_01", "nts_03"] * 2,
                         "input": ["value"] * 4, "value": ["0", "0", "1", "1"]})
    a = candidate_actions(FX / "with_unknown.yaml", data, "X")
    plan = best_plan(a, None, 100)
    lo = plan.left_out.set_index("indicator")
    assert lo.loc["nts_02", "reason"] == "unknown rule"
    # dominated: same group, a second and dearer way to the same points
    cand = pd.DataFrame({"action_id": ["g:cheap", "g:dear", "h:x"], "indicator": ["g", "g", "h"],
                         "main": "m", "rule": "tiered", "option_group": ["g", "g", "h"],
                         "peer_delta": [{}, {}, {}], "gain": [5.0, 5.0, 1.0]})
    cost = np.array([3.0, 4.0, 9.0])
    mask = solve(cand["gain"], cost, cand["option_group"], 5)
    assert mask.tolist() == [True, False, False]
    status = types.SimpleNamespace(status=pd.DataFrame(columns=["indicator", "main", "rule", "note"]))
    reasons = _left_out(status, cand, mask, cost, None, 5, None, "likely").set_index("action_id")["reason"]
    assert reasons.to_dict() == {"g:dear": "dominated", "h:x": "over budget"}


def test_marginal_points_of_one_more_budget_unit(aset):
    # budget 6: cqs_03 alone (+10 for 4; nothing else costs ≤ 2) … with 7: 15 (above) → +5 for one more unit
    plan = best_plan(aset, EFFORT, 6)
    assert plan.gain == pytest.approx(10.0)
    assert plan.marginal["points"] == pytest.approx(5.0)
    assert plan.marginal["points_per_budget_unit"] == pytest.approx(5.0)


def test_staff_days_limit_binds(aset):
    free = best_plan(aset, EFFORT, 1000)
    tight = best_plan(aset, EFFORT, 1000, staff_days=5)
    assert tight.days_used <= 5 + 1e-9
    assert tight.gain < free.gain
    assert "points_per_staff_day" in tight.marginal


def test_quarters_follow_points_per_effort(aset):
    plan = best_plan(aset, EFFORT, 100)
    ch = plan.chosen.sort_values("order")
    assert ch["quarter"].is_monotonic_increasing
    assert ch["ppe_likely"].is_monotonic_decreasing
    assert set(ch["quarter"]) <= {1, 2, 3, 4}
