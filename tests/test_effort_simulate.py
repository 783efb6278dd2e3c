"""The rank a plan buys: re-ranking by hand, seeds, budget running out, peers' bounds and trend."""

import statistics
import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from dtilib.effort.actions import candidate_actions
from dtilib.effort.optimise import best_plan
from dtilib.effort.simulate import (
    coarse_effects,
    peer_trend,
    peers_constant,
    peers_from_results,
    peers_from_samples,
    rank_of,
    scenario_grid,
    simulate_main,
    simulate_rank,
    triangular,
)
from dtilib.errors import ParameterError

FX = FIXTURES / "effort"
EFFORT = FX / "effort.csv"


def _results():
    """Six units, 2022 and 2023 fully published; 2024 partly (rank only, one rank unlisted)."""
    rows = []
    v22 = {"U1": 0.70, "U2": 0.65, "U3": 0.50, "X": 0.45, "U5": 0.40, "U6": 0.40}
    v23 = {"U1": 0.80, "U2": 0.70, "U3": 0.60, "X": 0.50, "U5": 0.45, "U6": 0.40}
    for year, vals in [(2022, v22), (2023, v23)]:
        ranks = pd.Series(vals).rank(method="min", ascending=False).astype(int)
        for u, v in vals.items():
            rows.append((year, 63, u, u.lower(), v, ranks[u], 6))
    rows += [(2024, 63, "U1", "u1", 0.80, 1, 5), (2024, 63, "U2", "u2", None, 2, 5),
             (2024, 63, "X", "x", 0.50, 3, 5), (2024, 63, "U3", "u3", 0.45, 4, 5)]
    df = pd.DataFrame(rows, columns=["year", "era", "unit", "unit_slug", "dti_value", "rank", "rank_of"])
    df["framework"] = "f-test"
    df["origin"] = "published"
    return df


@pytest.fixture(scope="module")
def aset():
    return candidate_actions(FX / "all_rules.yaml", FX / "units.csv", "A")


def test_rank_with_constant_peers_equals_reranking_by_hand():
    peers = peers_from_results("X", 2023, results=_results())
    assert peers.n_units == 6 and peers.unit_value == 0.50 and peers.unit_rank == 4
    # by hand: +120 points of kinh_te_so (922 weights: /1000) → 0.62: above U3 0.60, below U2 0.70 → rank 3
    r = simulate_main("vn-province-922", gains={"kinh_te_so": 120}, peers=peers, n_draws=50, target_rank=3)
    assert set(r.ranks) == {3} and r.p_target == 1.0
    assert r.values == pytest.approx(np.full(50, 0.62))
    # +15 points → 0.515 → still rank 4; target 3 never reached
    r = simulate_main("vn-province-922", gains={"kinh_te_so": 15}, peers=peers, n_draws=50, target_rank=3)
    assert set(r.ranks) == {4} and r.p_target == 0.0


def test_plan_rank_among_units_scored_together_by_hand(aset):
    # budget 10 → +17.5 (see test_effort_optimise): A 24.5833 + 17.5 = 42.0833 > C 41.875, < B 86.6667 → 2nd
    plan = best_plan(aset, EFFORT, 10)
    r = simulate_rank(plan, n_draws=200, cost_level_draw=False, p_complete=1.0, target_rank=2)
    assert set(r.ranks) == {2} and r.p_target == 1.0
    assert r.values == pytest.approx(np.full(200, (24.583333333 + 17.5) / 100))
    # everything: A 100; B loses 5 on kts_01 (min–max) → 81.6667; A first
    full = best_plan(aset, EFFORT, 10_000)
    r = simulate_rank(full, n_draws=10, cost_level_draw=False, p_complete=1.0)
    assert set(r.ranks) == {1}


def test_action_over_the_remaining_budget_does_not_complete(aset):
    plan = best_plan(aset, EFFORT, 10)   # order by points per cost: cqs_03 (10/4), chair (5/3), nts_02→3 (2.5/3)
    assert plan.chosen.sort_values("order")["action_id"].tolist() == ["cqs_03:ratio=1", "nts_03.chair:met",
                                                                     "nts_02:count=3"]
    # budget 6, likely costs: cqs_03 (4) funded, 2 left; chair (3) and nts_02→3 (3) do not fit → 24.5833 + 10
    r = simulate_rank(plan, budget=6, n_draws=20, cost_level_draw=False, p_complete=1.0)
    assert r.completed.sum(axis=0).tolist() == [20, 0, 0]
    assert r.values == pytest.approx(np.full(20, 0.34583333333))
    # with drawn costs the spending never exceeds the budget, and some draws lose an action
    r = simulate_rank(plan, n_draws=5000, seed=3, p_complete=1.0)
    assert (r.spent <= 10 + 1e-9).all()
    assert 0 < (r.completed.sum(axis=1) < 3).mean() < 1


def test_seeded_and_reproducible(aset):
    plan = best_plan(aset, EFFORT, 60)
    a = simulate_rank(plan, n_draws=2000, seed=7)
    b = simulate_rank(plan, n_draws=2000, seed=7)
    c = simulate_rank(plan, n_draws=2000, seed=8)
    assert np.array_equal(a.values, b.values) and np.array_equal(a.ranks, b.ranks)
    assert not np.array_equal(a.values, c.values)


def test_target_rank_outside_range_is_an_error(aset):
    plan = best_plan(aset, EFFORT, 10)
    for bad in (0, 4, -1, 2.5):
        with pytest.raises(ParameterError, match=r"target rank .* (outside 1..3|not a whole number)"):
            simulate_rank(plan, n_draws=10, target_rank=bad)
    peers = peers_from_results("X", 2023, results=_results())
    with pytest.raises(ParameterError, match=r"outside 1..6"):
        simulate_main("vn-province-922", gains={"kinh_te_so": 1}, peers=peers, target_rank=7)
    with pytest.raises(ParameterError, match="budget"):
        simulate_rank(plan, n_draws=10, budget=-5)


def test_rank_only_peers_are_bounded_by_published_neighbours():
    peers = peers_from_results("X", 2024, results=_results())
    t = peers.table().set_index("peer")
    # U2 (rank 2, no value) lies between X 0.50 (rank 3) and U1 0.80 (rank 1); rank 5 is not listed:
    # between 0 and U3's 0.45
    assert (t.loc["U2", "low"], t.loc["U2", "high"]) == (0.5, 0.8)
    unlisted = [n for n in t.index if "rank 5" in n]
    assert len(unlisted) == 1 and (t.loc[unlisted[0], "low"], t.loc[unlisted[0], "high"]) == (0.0, 0.45)
    # the published rank 3 is reproduced in every draw when the unit stands still
    draws = peers.draw(np.random.default_rng(0), 1000)
    assert set(rank_of(np.full(1000, 0.50), draws)) == {3}
    assert any("sorted uniforms" in a for a in peers.assumptions)


def test_peer_trend_is_the_paired_change_by_hand():
    # 2022 → 2023 changes: U1 +0.10, U2 +0.05, U3 +0.10, X +0.05, U5 +0.05, U6 0.00 (the 'paired' scenario of
    # dtilib.analysis.outlook, the same model as the target analysis): general rise = their mean, se = sd/√6,
    # each peer's spread around it = their sd
    d = [0.10, 0.05, 0.10, 0.05, 0.05, 0.00]
    tr = peer_trend(_results(), 2023, national=False)
    assert tr["mean"] == pytest.approx(sum(d) / 6) and tr["sd"] == pytest.approx(statistics.stdev(d))
    assert tr["se"] == pytest.approx(statistics.stdev(d) / 6 ** 0.5)
    tr2 = peer_trend(_results(), 2023, horizon=2, national=False)
    assert tr2["mean"] == pytest.approx(2 * sum(d) / 6) and tr2["sd"] == pytest.approx(statistics.stdev(d) * 2 ** 0.5)
    m = peers_from_results("X", 2023, results=_results(), trend=True, national=False)
    assert m.kind == "trend" and m.shift == pytest.approx(sum(d) / 6) and m.scenario == "paired"
    assert m.growth_mean == pytest.approx(np.zeros(5)) and m.growth_sd == pytest.approx(np.full(5, statistics.stdev(d)))
    with pytest.raises(ParameterError, match="trend cannot be estimated"):
        peer_trend(_results(), 2022, national=False)
    with pytest.raises(ParameterError, match="unknown growth scenario"):
        peer_trend(_results(), 2023, scenario="pooled", national=False)


def test_general_rise_lifts_the_unit_too():
    # every peer and the unit rise by the same +0.0583: with no spread the rank is unchanged (4th), whatever the rise
    m = peers_from_results("X", 2023, results=_results(), trend=True, national=False)
    m.growth_sd[:] = 0.0
    m.shift_se = 0.0
    r = simulate_main("vn-province-922", gains={}, peers=m, n_draws=200)
    assert set(r.ranks) == {4}
    assert r.values == pytest.approx(np.full(200, 0.50 + 0.35 / 6))
    # the plan's gain comes on top of the rise: +120 points → 0.62 + rise, above U3 (0.60 + rise) → 3rd
    r = simulate_main("vn-province-922", gains={"kinh_te_so": 120}, peers=m, n_draws=200)
    assert set(r.ranks) == {3}


def test_values_are_capped_to_one():
    m = peers_constant({"P": 0.95, "Q": 0.9})
    m.shift = 0.3                                              # a general rise that would push everyone past 1
    r = simulate_main("vn-province-922", 0.97, {}, m, n_draws=100)
    d = m.draw(np.random.default_rng(0), 100)
    assert d.max() == 1.0 and r.values.max() == 1.0
    assert set(r.ranks) == {1}                                 # all at 1.0: a tie shares the first rank


def test_one_rank_rule_for_analysis_and_simulation():
    # 0.7 + 0.1 is 0.7999999999999999 in floating point: a tie with 0.8 in both the analysis and the simulation
    from dtilib.analysis import positions, rank_range

    r = pd.DataFrame({"year": 2022, "era": 63, "unit": ["A", "B"], "unit_slug": ["a", "b"],
                      "dti_value": [0.8, 0.5], "rank": [1, 2], "rank_of": 2, "framework": "f", "origin": "published"})
    pos = positions(r, 2022, 63)
    assert rank_range(pos, 0.7 + 0.1, exclude="b") == (1, 1)
    assert rank_of(np.array([0.7 + 0.1]), np.array([[0.8]])).tolist() == [1]
    assert rank_of(np.array([0.7999]), np.array([[0.8]])).tolist() == [2]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0.05, 0.95)), min_size=3, max_size=25), st.integers(0, 2 ** 16))
def test_draws_never_contradict_the_published_order(values, seed):
    """Property: whatever is published, each draw's values never increase down the ranking."""
    from dtilib.analysis import positions
    from dtilib.analysis.ranking import draw_in_order

    known = sorted((v for v in values if v is not None), reverse=True)
    it = iter(known)
    vals = [next(it) if v is not None else None for v in values]   # published values in rank order
    n = len(vals) + 3                                               # 3 more positions nobody published
    r = pd.DataFrame({"year": 2022, "era": 63, "unit": [f"U{i}" for i in range(len(vals))],
                      "unit_slug": [f"u{i}" for i in range(len(vals))], "dti_value": vals,
                      "rank": range(1, len(vals) + 1), "rank_of": n, "framework": "f", "origin": "published"})
    pos = positions(r, 2022, 63)
    d = draw_in_order(pos, np.random.default_rng(seed), 200)
    assert d.shape == (200, n)
    assert (np.diff(d, axis=1) <= 1e-12).all()                     # never higher than the one ranked above
    assert ((d >= pos["lo"].to_numpy() - 1e-12) & (d <= pos["hi"].to_numpy() + 1e-12)).all()
    # positions given in any order: columns come back in that order, still in published order by rank
    shuffled = pos.sample(frac=1, random_state=seed % 1000)
    d2 = draw_in_order(shuffled, np.random.default_rng(seed), 50)
    by_rank = d2[:, np.argsort(shuffled["rank"].to_numpy(), kind="stable")]
    assert (np.diff(by_rank, axis=1) <= 1e-12).all()


def test_scenario_grid_lists_every_scenario():
    g = scenario_grid("X", 2023, results=_results(), gains={"kinh_te_so": 120}, target_rank=3, n_draws=500,
                      national=False).set_index("scenario")
    assert list(g.index) == ["persistence", "average", "paired", "own"]
    assert g.loc["persistence", "p_target"] == 1.0 and g.loc["persistence", "rank_median"] == 3
    assert g.loc["paired", "growth"] == pytest.approx(0.35 / 6)
    assert np.isnan(g.loc["average", "growth"]) and "cannot be estimated" in g.loc["average", "note"]
    assert 0 < g.loc["paired", "p_target"] < 1                     # the peers' spread reshuffles some draws


def test_triangular_draws():
    rng = np.random.default_rng(0)
    x = triangular(rng, 2.0, 3.0, 7.0, 200_000)
    assert x.min() >= 2 and x.max() <= 7
    assert x.mean() == pytest.approx((2 + 3 + 7) / 3, abs=0.02)
    assert (triangular(rng, 4.0, 4.0, 4.0, 10) == 4).all()


def test_coarse_effect_of_ten_points_is_a_hundredth_with_922_weights():
    peers = peers_from_results("X", 2023, results=_results())
    t = coarse_effects("vn-province-922", peers=peers, points=10, n_draws=100, lang="en").set_index("indicator")
    # 10 points / 1000 = 0.01 whatever the indicator; value change = 10 / its max (150 for kinh_te_so)
    assert t["dti_change"].tolist() == pytest.approx([0.01] * 8)
    assert t.loc["kinh_te_so", "value_change"] == pytest.approx(10 / 150)
    assert t.loc["chinh_quyen_so", "value_change"] == pytest.approx(10 / 200)
    # 0.50 → 0.51: still below U3 0.60, rank 4 before and after
    assert (t["rank_before"] == 4).all() and (t["rank_after"] == 4).all()
    # +200 points, capped at each indicator's max (100 foundation, 150 kinh_te_so, 200 chinh_quyen_so):
    # 0.60 ties U3 → rank 3 (competition ranking); 0.65 → rank 3; 0.70 ties U2 → rank 2
    t = coarse_effects("vn-province-922", peers=peers, points=200, n_draws=10, target_rank=2).set_index("indicator")
    assert t.loc["nhan_thuc_so", "points"] == 100 and t.loc["nhan_thuc_so", "rank_after"] == 3
    assert t.loc["kinh_te_so", "points"] == 150 and t.loc["kinh_te_so", "rank_after"] == 3
    assert t.loc["chinh_quyen_so", "rank_after"] == 2 and t.loc["chinh_quyen_so", "p_target_after"] == 1.0
    assert t.loc["kinh_te_so", "p_target_after"] == 0.0 and t.loc["kinh_te_so", "p_target_before"] == 0.0


def test_simulate_main_checks_its_gains():
    peers = peers_from_results("X", 2023, results=_results())
    with pytest.raises(ParameterError, match="unknown main indicator 'kinh_te'"):
        simulate_main("vn-province-922", gains={"kinh_te": 5}, peers=peers)
    with pytest.raises(ParameterError, match="exceeds the points left"):
        simulate_main("vn-province-922", gains={"kinh_te_so": 60}, peers=peers, unit_main={"kinh_te_so": 0.7})
    with pytest.raises(ParameterError, match="low ≤ likely ≤ high"):
        simulate_main("vn-province-922", gains={"kinh_te_so": (10, 5, 20)}, peers=peers)


def test_given_values_and_samples_as_peers():
    m = peers_constant({"P": 0.6, "Q": 0.4})
    r = simulate_main("vn-province-922", 0.5, {"the_che_so": 5}, m, n_draws=10)
    assert set(r.ranks) == {2}                                  # 0.505: below P, above Q
    s = peers_from_samples(np.array([[0.6, 0.4], [0.3, 0.2]]), ["P", "Q"])
    r = simulate_main("vn-province-922", 0.5, {}, s, n_draws=2000, seed=1)
    assert set(r.ranks) == {1, 2}
    with pytest.raises(ParameterError, match="between 0 and 1"):
        peers_constant({"P": 45})


def test_ten_thousand_draws_for_63_provinces_is_fast():
    rng = np.random.default_rng(0)
    vals = np.sort(rng.uniform(0.3, 0.9, 62))
    m = peers_constant({f"P{i}": v for i, v in enumerate(vals)})
    m.growth_mean[:] = 0.05
    m.growth_sd[:] = 0.03
    t0 = time.perf_counter()
    r = simulate_main("vn-province-922", 0.55, {"kinh_te_so": (5, 20, 40), "xa_hoi_so": (0, 10, 30)}, m,
                      n_draws=10_000, seed=0, target_rank=30)
    assert time.perf_counter() - t0 < 2.0
    assert r.n_draws == 10_000 and 0 <= r.p_target <= 1


def test_lai_chau_2022_rank_reproduced_and_target_45(processed):
    # seed 004: Lai Châu 2022 DTI 0.5032, rank 53/63; Kon Tum rank 45 with 0.54 (printed to 2 decimals)
    peers = peers_from_results("Lai Châu", 2022)
    assert peers.n_units == 63 and peers.unit_rank == 53 and peers.unit_value == pytest.approx(0.5032)
    r0 = simulate_main("vn-province-922", gains={}, peers=peers, n_draws=2000, target_rank=45)
    assert set(r0.ranks) == {53} and r0.p_target == 0.0
    # +50 points → 0.5532, above every possible value of the peers ranked 45..52 (≤ 0.545) → rank ≤ 45 surely
    r1 = simulate_main("vn-province-922", gains={"kinh_te_so": 50}, peers=peers, n_draws=2000, target_rank=45)
    assert r1.p_target == 1.0
