"""Rank-change decomposition with honest bounds (expected values: hand calculations from the record)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dtilib.analysis import load_national, load_results, positions, rank_change, rank_range, value_for_rank
from dtilib.errors import ParameterError

FIX = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def results():
    return load_results(FIX / "results.csv")


@pytest.fixture(scope="module")
def national():
    return load_national(FIX / "national.csv")


def comp(d, name):
    return d.table.set_index("component").loc[name]


def test_bounds_from_rank_order_by_hand():
    # 5 positions, A 0.8 (1), B unknown (2), C 0.5 (3); ranks 4 and 5 unpublished
    r = pd.DataFrame({"year": 2022, "era": 63, "unit": ["A", "B", "C"], "unit_slug": ["a", "b", "c"],
                      "dti_value": [0.8, None, 0.5], "rank": [1, 2, 3], "rank_of": 5, "framework": "f",
                      "origin": "published"})
    p = positions(r, 2022, 63)
    assert list(p["rank"]) == [1, 2, 3, 4, 5]
    assert (p.loc[1, "lo"], p.loc[1, "hi"]) == (0.5, 0.8)         # B between C and A
    assert (p.loc[3, "lo"], p.loc[3, "hi"]) == (0.0, 0.5)         # unpublished below C
    assert rank_range(p, 0.6, exclude="c") == (2, 3)              # above: A surely, B maybe
    assert value_for_rank(p, 2, exclude="c")["kind"] == "bounded"


def test_tie_skips_the_next_rank():
    r = pd.DataFrame({"year": 2022, "era": 63, "unit": list("ABC"), "unit_slug": list("abc"),
                      "dti_value": [0.9, 0.7, 0.7], "rank": [1, 2, 2], "rank_of": 5, "framework": "f",
                      "origin": "published"})
    p = positions(r, 2022, 63)
    assert sorted(p["rank"]) == [1, 2, 2, 4, 5]                   # 3 is taken by the tie


def test_rounded_values_are_intervals(results):
    p = positions(results, 2022, 63)
    kon_tum = p[p["unit_slug"] == "kon-tum"].iloc[0]               # printed 0.54 (2 decimals)
    assert kon_tum["rank"] == 45 and kon_tum["kind"] == "rounded"
    assert (kon_tum["lo"], kon_tum["hi"]) == pytest.approx((0.535, 0.545))


def test_lai_chau_2021_2022_fall_is_due_to_peers(results, national):
    d = rank_change(results, "Lai Châu", 2021, 2022, national=national)
    assert (d.rank_from, d.rank_to) == (48, 53)
    assert d.value_from[0] == pytest.approx(0.3350) and d.value_to[0] == pytest.approx(0.5032)
    # own: 0.5032 among the 2021 values of the others. Published 2021: 1 Đà Nẵng 0.6419, 2 Huế 0.5872,
    # 6 Ninh Bình 0.5064 → ranks 1–6 are ≥ 0.5064 > 0.5032 (6 surely above); 12 Thanh Hóa 0.4880 < 0.5032
    # → ranks ≥ 12 below; ranks 7–11 lie between 0.4880 and 0.5064: unknown → rank 7..12
    own = comp(d, "own")
    assert (own["counterfactual_rank_lo"], own["counterfactual_rank_hi"]) == (7, 12)
    # peers: 0.3350 among the 2022 values of the others. Ranks 1–52 ≥ 0.5032 (Lai Châu, 53), 54–56 ≥ 0.47899
    # (Hà Giang, 57) → 56 surely above; ranks 58–63 (6 units) have no published value → rank 57..63
    peers = comp(d, "peers")
    assert (peers["counterfactual_rank_lo"], peers["counterfactual_rank_hi"]) == (57, 63)
    # shares (average of both orders): own ½[(7..12 − 48) + (53 − 63..57)], peers ½[(57..63 − 48) + (53 − 12..7)]
    assert (own["places_lo"], own["places_hi"]) == (-25.5, -20.0)
    assert (peers["places_lo"], peers["places_hi"]) == (25.0, 30.5)
    assert comp(d, "actual")["places_lo"] == 5
    assert d.attribution == "peers"
    assert not d.method_break and "methodology" not in set(d.table["component"])
    k = d.known.set_index("year")
    assert k.loc[2021, "n_peer_ranks_known"] == 19 and k.loc[2021, "n_peer_values_known"] == 6
    assert k.loc[2022, "n_peer_ranks_known"] == 62 and k.loc[2022, "n_peer_values_known"] == 8


def test_value_that_would_have_held_rank_48(results, national):
    d = rank_change(results, "Lai Châu", 2021, 2022, national=national)
    # the 48th other province of 2022 (Tuyên Quang) has no published value: between Lai Châu 0.5032 (53)
    # and Kon Tum 0.54 (45, printed rounded: ≤ 0.545)
    assert (d.hold["value_lo"], d.hold["value_hi"]) == pytest.approx((0.5032, 0.545))
    assert d.hold["shortfall_hi"] == pytest.approx(0.545 - 0.5032)
    assert d.hold["points_hi"] == pytest.approx((0.545 - 0.5032) * 1000)
    text = d.summary("vi")
    assert "57–63" in text and "7–12" in text and "Kết luận" in text
    assert "0,5032" in text
    assert "Verdict" in d.summary("en")


def test_bac_kan_2022_down_12_although_score_rose(results, national):
    # seed 003: 63/63 in 2022, down 12 places (51 in 2021), "although the total score rose"
    d = rank_change(results, "Bắc Kạn", 2021, national=national)
    assert (d.rank_from, d.rank_to) == (51, 63)
    assert comp(d, "actual")["places_lo"] == 12
    assert comp(d, "peers")["places_lo"] > 0                     # peers surely pushed it down
    assert d.attribution == "peers (own share undetermined)"    # its values are not published
    up = rank_change(results, "Bắc Kạn", 2021, national=national, value_direction="up")
    # with the stated rise: old value ≤ new value → among the 2022 peers at best where it ended (63)
    assert (comp(up, "peers")["counterfactual_rank_lo"], comp(up, "peers")["counterfactual_rank_hi"]) == (63, 63)
    assert comp(up, "own")["counterfactual_rank_hi"] <= 51
    assert up.attribution == "peers"
    assert comp(up, "peers")["places_lo"] >= 12


def test_methodology_row_when_framework_changed(results, national):
    d = rank_change(results, "Lai Châu", 2020, 2021, national=national)
    assert d.method_break and (d.framework_from, d.framework_to) == ("vn-province-2020", "vn-province-922")
    assert "methodology" in set(d.table["component"])
    assert comp(d, "own")["places_lo"] + comp(d, "peers")["places_hi"] == pytest.approx(-2)


def test_toy_decomposition_by_hand():
    toy = load_results(FIX / "results_toy.csv")
    d = rank_change(toy, "Delta", 2020, 2021, national=False)
    # own: 0.42 among 2020 others: A 0.60, B 0.55 surely above; C ∈ [0.40, 0.55] maybe; E ≤ 0.40, F 0.20 → 3..4
    assert (comp(d, "own")["counterfactual_rank_lo"], comp(d, "own")["counterfactual_rank_hi"]) == (3, 4)
    # peers: 0.40 among 2021 others: A 0.70, C 0.65, B ∈ [0.45, 0.65], E 0.45 above; F ≤ 0.42 maybe → 5..6
    assert (comp(d, "peers")["counterfactual_rank_lo"], comp(d, "peers")["counterfactual_rank_hi"]) == (5, 6)
    assert (comp(d, "own")["places_lo"], comp(d, "own")["places_hi"]) == (-1.0, 0.0)
    assert (comp(d, "peers")["places_lo"], comp(d, "peers")["places_hi"]) == (1.0, 2.0)
    assert d.attribution == "peers"
    assert d.hold["value_lo"] == d.hold["value_hi"] == pytest.approx(0.45)   # Echo, 4th of the others


def test_decompose_errors(results):
    with pytest.raises(ParameterError, match="not published"):
        rank_change(results, "Lai Châu", 2022, 2023, national=False)
    with pytest.raises(ParameterError, match="not after"):
        rank_change(results, "Lai Châu", 2022, 2021, national=False)
    with pytest.raises(ParameterError, match="contradicts"):
        rank_change(results, "Lai Châu", 2021, 2022, national=False, value_direction="down")
    with pytest.raises(ParameterError, match="closest known"):
        rank_change(results, "Lai Chou", 2021, national=False)
