"""Rank-change decomposition with honest bounds (expected values: hand calculations from the record)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from dtilib.analysis import load_results, positions, rank_change, rank_range, value_for_rank
from dtilib.errors import ParameterError

FIX = Path(__file__).parent / "fixtures" / "analysis"




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


def _synthetic(v0: dict, v1: dict, fw=("f", "f")) -> pd.DataFrame:
    """A fully published synthetic record of two years (ranks from the values)."""
    rows = []
    for year, vals, f in ((2021, v0, fw[0]), (2022, v1, fw[1])):
        ranks = pd.Series(vals).rank(method="min", ascending=False).astype(int)
        rows += [{"year": year, "era": 63, "unit": u, "unit_slug": u.lower(), "dti_value": v, "rank": ranks[u],
                  "rank_of": len(vals), "framework": f, "origin": "published"} for u, v in vals.items()]
    return load_results_df(pd.DataFrame(rows))


def load_results_df(df):
    from dtilib.analysis import check_results

    return check_results(df)


def test_all_rise_is_a_general_rise_not_offsetting_shares():
    # every province +0.2, no rank changed: the general rise is +0.2 and both shares are 0 ("no change")
    v0 = {"A": 0.6, "B": 0.5, "C": 0.4, "X": 0.3, "E": 0.2, "F": 0.1}
    d = rank_change(_synthetic(v0, {u: v + 0.2 for u, v in v0.items()}), "X", 2021, 2022, national=False)
    assert d.general["method"] == "paired" and d.general["value"] == pytest.approx(0.2)
    assert comp(d, "general_rise")["value_lo"] == pytest.approx(0.2)
    for part in ("own", "reshuffle", "general_rise"):
        assert (comp(d, part)["places_lo"], comp(d, part)["places_hi"]) == (0, 0)
    assert comp(d, "own")["value_lo"] == pytest.approx(0.0, abs=1e-12)
    assert d.attribution == "no change"
    assert d.hold["shortfall_lo"] == d.hold["shortfall_hi"] == 0
    assert "không thay đổi" in d.summary("vi") and "no change" in d.summary("en")


def test_own_deviation_by_hand():
    # X 0.5 → 0.75 (+0.25), the others +0.1: general rise 0.1 (median of 4 × 0.1)
    # own: 0.75 − 0.1 = 0.65 among 2021 others (0.8, 0.7, 0.6, 0.4) → rank 3
    # reshuffle: 0.5 + 0.1 = 0.6 among 2022 others (0.9, 0.8, 0.7, 0.5) → rank 4
    # own = ½[(3 − 4) + (3 − 4)] = −1, reshuffle = ½[(4 − 4) + (3 − 3)] = 0
    d = rank_change(_synthetic({"A": .8, "B": .7, "C": .6, "X": .5, "E": .4},
                               {"A": .9, "B": .8, "C": .7, "X": .75, "E": .5}), "X", 2021, national=False)
    assert (d.rank_from, d.rank_to) == (4, 3)
    assert (comp(d, "own")["counterfactual_rank_lo"], comp(d, "reshuffle")["counterfactual_rank_lo"]) == (3, 4)
    assert (comp(d, "own")["places_lo"], comp(d, "reshuffle")["places_lo"]) == (-1, 0)
    assert d.attribution == "own"
    assert d.hold["shortfall_hi"] == 0                      # it rose: nothing short


def test_reshuffle_by_hand():
    # C overtakes X: C +0.25, the others +0.1 → general rise 0.1
    # own: 0.7 − 0.1 = 0.6 among 2021 others (0.8, 0.7, 0.5, 0.4) → 3; reshuffle: 0.7 among (0.9, 0.8, 0.75, 0.5) → 4
    d = rank_change(_synthetic({"A": .8, "B": .7, "X": .6, "C": .5, "D": .4},
                               {"A": .9, "B": .8, "X": .7, "C": .75, "D": .5}), "X", 2021, national=False)
    assert (d.rank_from, d.rank_to) == (3, 4)
    assert (comp(d, "own")["places_lo"], comp(d, "reshuffle")["places_lo"]) == (0, 1)
    assert d.attribution == "reshuffle"
    # to hold rank 3 it needed C's 0.75: short by 0.05 = 50 points (framework "f" unknown → no points)
    assert d.hold["shortfall_lo"] == pytest.approx(0.05)


def test_offsetting_by_hand():
    # X +0.16 beats the general rise (+0.1) and passes B, but C (+0.25) passes X: rank 3 → 3
    # own: 0.81 − 0.1 = 0.71 among (0.9, 0.7, 0.6, 0.3) → 2; reshuffle: 0.75 among (1.0, 0.85, 0.8, 0.4) → 4
    # own = ½[(2 − 3) + (3 − 4)] = −1, reshuffle = ½[(4 − 3) + (3 − 2)] = +1
    d = rank_change(_synthetic({"A": .9, "B": .7, "X": .65, "C": .6, "D": .3},
                               {"A": 1.0, "B": .8, "X": .81, "C": .85, "D": .4}), "X", 2021, national=False)
    assert d.rank_from == d.rank_to == 3
    assert (comp(d, "own")["places_lo"], comp(d, "reshuffle")["places_lo"]) == (-1, 1)
    assert d.attribution == "offsetting"
    assert "bù trừ" in d.summary("vi")


def test_lai_chau_2021_2022_three_parts(results, national):
    d = rank_change(results, "Lai Châu", 2021, 2022, national=national)
    assert (d.rank_from, d.rank_to) == (48, 53)
    # general rise: median change of the others published both years: Đà Nẵng 0.6419 → 0.8002 (+0.1583),
    # Huế 0.5872 → 0.6975 (+0.1103), Kon Tum 0.33 → 0.54 (+0.21) → +0.1583; Lai Châu +0.1682: own +0.0099
    assert d.general["value"] == pytest.approx(0.1583) and d.general["n"] == 3
    assert comp(d, "own")["value_lo"] == pytest.approx(0.1682 - 0.1583)
    # own: 0.5032 − 0.1583 = 0.3449 among the 2021 others: ranks 1–20 ≥ 0.4626 surely above; 21–45 lie in
    # [0.335, 0.4626] (maybe above); Kon Tum ≤ 0.335 and 47 ≤ 0.335 below → rank 21..46
    own = comp(d, "own")
    assert (own["counterfactual_rank_lo"], own["counterfactual_rank_hi"]) == (21, 46)
    # reshuffle: 0.335 + 0.1583 = 0.4933 among the 2022 others: ranks 1–52 ≥ 0.5032 above; 54–56 in
    # [0.47899, 0.5032] maybe; Hà Giang 0.47899 below → rank 53..56
    resh = comp(d, "reshuffle")
    assert (resh["counterfactual_rank_lo"], resh["counterfactual_rank_hi"]) == (53, 56)
    # own = ½[(21..46 − 48) + (53 − 56..53)] = −15..−1; reshuffle = ½[(53..56 − 48) + (53 − 46..21)] = 6..20
    assert (own["places_lo"], own["places_hi"]) == (-15.0, -1.0)
    assert (resh["places_lo"], resh["places_hi"]) == (6.0, 20.0)
    assert comp(d, "actual")["places_lo"] == 5
    assert d.attribution == "reshuffle"
    assert not d.method_break and "methodology" not in set(d.table["component"])
    k = d.known.set_index("year")
    assert k.loc[2021, "n_peer_ranks_known"] == 19 and k.loc[2021, "n_peer_values_known"] == 6
    assert k.loc[2022, "n_peer_ranks_known"] == 62 and k.loc[2022, "n_peer_values_known"] == 8


def test_kon_tum_rose_46_to_45_so_nothing_was_short(results, national):
    d = rank_change(results, "Kon Tum", 2021, 2022, national=national)
    assert (d.rank_from, d.rank_to) == (46, 45)
    assert d.hold["shortfall_lo"] == d.hold["shortfall_hi"] == 0 and d.hold["points_hi"] == 0
    assert d.attribution == "own"          # +0.20..0.21 against a general rise of +0.1583


def test_value_that_would_have_held_rank_48(results, national):
    d = rank_change(results, "Lai Châu", 2021, 2022, national=national)
    # the 48th other province of 2022 (Tuyên Quang) has no published value: between Lai Châu 0.5032 (53)
    # and Kon Tum 0.54 (45, printed rounded: ≤ 0.545)
    assert (d.hold["value_lo"], d.hold["value_hi"]) == pytest.approx((0.5032, 0.545))
    assert d.hold["shortfall_hi"] == pytest.approx(0.545 - 0.5032)
    assert d.hold["points_hi"] == pytest.approx((0.545 - 0.5032) * 1000)
    text = d.summary("vi")
    assert "53–56" in text and "21–46" in text and "Kết luận" in text
    assert "0,5032" in text and "+0,1583" in text
    assert "Verdict" in d.summary("en")
    # quotable first: what happened (48 → 53 of 63 = down 5) and why, in one line; the components in a table
    lines = text.splitlines()
    assert lines[0].startswith("Lai Châu: hạng 48/63 (2021) → 53/63 (2022), xuống 5 bậc. Kết luận: tụt hạng do ")
    assert lines[2].split("  ")[0] == "Thành phần"
    rows = {ln.split("  ")[0]: ln.split() for ln in lines[3:7]}
    # actual: 0.5032 − 0.3350 = +0.1682; own deviation: +0.1682 − 0.1583 = +0.0099
    assert rows["Thay đổi thực tế"][-5:] == ["+0,1682", "53/63", "xuống", "5", "bậc"]
    assert rows["Độ lệch riêng của tỉnh"][-5:] == ["+0,0099", "21–46/63", "lên", "1–15", "bậc"]
    assert rows["Xáo trộn giữa các tỉnh khác"][-5:] == ["—", "53–56/63", "xuống", "6–20", "bậc"]


def test_bac_kan_2022_down_12_although_score_rose(results, national):
    # seed 003: 63/63 in 2022, down 12 places (51 in 2021), "although the total score rose"
    d = rank_change(results, "Bắc Kạn", 2021, national=national)
    assert (d.rank_from, d.rank_to) == (51, 63)
    assert comp(d, "actual")["places_lo"] == 12
    assert comp(d, "reshuffle")["places_lo"] > 0                 # the others surely pushed it down
    assert d.attribution == "reshuffle (own share undetermined)"  # its values are not published
    # "the score rose" does not bound its deviation from the general rise: the split is unchanged, and said so
    up = rank_change(results, "Bắc Kạn", 2021, national=national, value_direction="up")
    assert up.table.equals(d.table)
    assert any("does not bound" in n for n in up.notes)


def test_methodology_row_when_framework_changed(results, national):
    d = rank_change(results, "Lai Châu", 2020, 2021, national=national)
    assert d.method_break and (d.framework_from, d.framework_to) == ("vn-province-2020", "vn-province-922")
    assert "methodology" in set(d.table["component"])
    assert d.general["method"] == "quantiles"          # nobody else published in both years
    assert comp(d, "own")["places_lo"] + comp(d, "reshuffle")["places_hi"] == pytest.approx(-2)
    assert comp(d, "own")["places_hi"] + comp(d, "reshuffle")["places_lo"] == pytest.approx(-2)


def test_toy_hold_value():
    toy = load_results(FIX / "results_toy.csv")
    d = rank_change(toy, "Delta", 2020, 2021, national=False)
    assert (d.rank_from, d.rank_to) == (4, 5)
    assert d.hold["value_lo"] == d.hold["value_hi"] == pytest.approx(0.45)   # Echo, 4th of the others
    assert d.hold["shortfall_lo"] == pytest.approx(0.03)                     # 0.45 − 0.42


def test_decompose_errors(results):
    with pytest.raises(ParameterError, match="not published"):
        rank_change(results, "Lai Châu", 2022, 2023, national=False)
    with pytest.raises(ParameterError, match="not after"):
        rank_change(results, "Lai Châu", 2022, 2021, national=False)
    with pytest.raises(ParameterError, match="contradicts"):
        rank_change(results, "Lai Châu", 2021, 2022, national=False, value_direction="down")
    with pytest.raises(ParameterError, match="closest known"):
        rank_change(results, "Lai Chou", 2021, national=False)
