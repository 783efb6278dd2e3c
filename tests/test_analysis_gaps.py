"""Gap analysis: points lost per group and sub-indicator, counts, and the kind of each lost point."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dtilib
from dtilib.analysis import compare_groups, gap_analysis
from dtilib.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "analysis"
EX_FW = ROOT / "data" / "examples" / "bac-kan-district-1294-illustrative.yaml"
EX_DATA = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"

# Bắc Kạn city 2023, seed 000 (DOMAIN.md): group → max, achieved, n, full, zero, partial
PUBLISHED = {
    "nhan_thuc_so": (70, 67.5, 7, 6, 0, 1),
    "the_che_so": (90, 60, 9, 6, 3, 0),
    "ha_tang_so": (70, 66.82, 7, 5, 0, 2),
    "nhan_luc_so": (60, 50, 8, 6, 2, 0),
    "an_toan_thong_tin": (80, 34.9, 14, 3, 7, 4),
    "chinh_quyen_so": (230, 148.02, 18, 10, 5, 3),
    "kinh_te_so": (190, 51.56, 15, 4, 10, 1),
    "xa_hoi_so": (210, 60.73, 11, 2, 3, 6),
}


@pytest.fixture(scope="module")
def toy():
    return dtilib.score(FIX / "gaps_toy.yaml", FIX / "gaps_toy.csv")


@pytest.fixture(scope="module")
def bac_kan_city():
    if not (EX_FW.exists() and EX_DATA.exists()):
        pytest.skip("illustrative Bắc Kạn city data not present")
    return gap_analysis(dtilib.score(EX_FW, EX_DATA), "Thành phố Bắc Kạn")


def test_bac_kan_city_group_table_reproduced(bac_kan_city):
    g = bac_kan_city.groups.set_index("indicator")
    for ind, (mx, ach, n, full, zero, part) in PUBLISHED.items():
        r = g.loc[ind]
        assert r["max_points"] == mx, ind
        assert round(r["achieved"], 2) == ach, ind
        assert (r["n"], r["n_full"], r["n_zero"], r["n_partial"]) == (n, full, zero, part), ind
    assert round(bac_kan_city.total["achieved"], 2) == 539.53
    assert bac_kan_city.total["max_points"] == 1000
    # the plan's text misstates two losses: Nhận thức số "−32,5" is really 70 − 67.5 = 2.5 and
    # Chính quyền số "−89,98" is really 230 − 148.02 = 81.98
    assert g.loc["nhan_thuc_so", "lost"] == pytest.approx(2.5)
    assert g.loc["chinh_quyen_so", "lost"] == pytest.approx(81.98)
    assert not g.loc["do_thi_thong_minh", "scored"]                 # smart city: reference only
    assert bac_kan_city.illustrative


def test_largest_loss_first(bac_kan_city):
    lost = list(bac_kan_city.groups.loc[bac_kan_city.groups["scored"], "lost"])
    assert lost == sorted(lost, reverse=True)
    assert bac_kan_city.groups["indicator"].iloc[0] == "xa_hoi_so"   # 210 − 60.73 = 149.27, the largest
    sub_lost = bac_kan_city.subs["lost"].dropna().to_list()
    assert sub_lost == sorted(sub_lost, reverse=True)
    k = bac_kan_city.by_kind.set_index("kind")
    assert k["lost"].sum() == pytest.approx(1000 - 539.53)


def test_compare_with_published_table(bac_kan_city):
    pub = pd.DataFrame([{"indicator": k, "max_points": v[0], "achieved": v[1], "n": v[2], "n_full": v[3],
                         "n_zero": v[4], "n_partial": v[5]} for k, v in PUBLISHED.items()])
    assert compare_groups(bac_kan_city, pub)["matches"].all()
    wrong = pub.copy()
    wrong.loc[0, "achieved"] = 37.5          # as if the stated "−32,5" were right
    assert not compare_groups(bac_kan_city, wrong)["matches"].iloc[0]


def test_kinds_by_hand(toy):
    g = gap_analysis(toy, "U1")
    groups = g.groups.set_index("indicator")
    # m1: s1 binary 0/20 (step, −20), s2 linear 1/4 of 20 = 5 (ratio, −15), s3 count 4 → 20 (full)
    assert groups.loc["m1", "achieved"] == 25 and groups.loc["m1", "lost"] == 35
    assert (groups.loc["m1", "lost_step"], groups.loc["m1", "lost_ratio"]) == (20, 15)
    assert (groups.loc["m1", "n_full"], groups.loc["m1", "n_zero"], groups.loc["m1", "n_partial"]) == (1, 1, 1)
    # m2: s4 min–max over U1 0.5, U2 1.0, U3 0 → (0.5 − 0)/(1 − 0) × 20 = 10 (peer, −10);
    #     s5 parts 5 + 0 (parts, −5); s6 tier "full" → 10
    assert groups.loc["m2", "achieved"] == 25
    assert (groups.loc["m2", "lost_peer"], groups.loc["m2", "lost_parts"]) == (10, 5)
    assert list(g.groups["indicator"]) == ["m1", "m2", "ref"]       # most lost first, reference last
    k = g.by_kind.set_index("kind")["lost"]
    assert dict(k) == {"step": 20, "ratio": 15, "peer": 10, "parts": 5}
    assert g.total["achieved"] == 50 and g.total["lost"] == 50
    assert list(g.subs["indicator"][:4]) == ["s1", "s2", "s4", "s5"]
    assert "r1" not in set(g.subs["indicator"])                     # unscored group left out


def test_missing_input_is_unknown_not_zero(toy):
    g = gap_analysis(toy, "U3")        # U3 has no row for s1
    m1 = g.groups.set_index("indicator").loc["m1"]
    assert m1["n_unknown"] == 1 and not m1["complete"] and np.isnan(m1["value"])
    assert m1["achieved"] == 20                        # s2 2/4 × 20 = 10, s3 count 2 → 10
    assert m1["scored_on"] == 40                       # s2 + s3; s1's 20 points are not scored …
    assert m1["lost"] == 20                            # … so never counted as lost: 40 − 20
    assert g.total["scored_on"] == 80 and g.total["max_points"] == 100 and not g.total["complete"]
    assert np.isnan(g.total["dti_value"])
    assert g.notes[0] == "tính điểm trên 80 / 100 điểm"
    assert g.subs.set_index("indicator").loc["s1", "state"] == "unknown"


def test_english_labels(toy):
    g = gap_analysis(toy, "U1", lang="en")
    assert g.groups.set_index("indicator").loc["m1", "name"] == "Group one"
    assert g.subs.set_index("indicator").loc["s1", "kind_label"].startswith("Cheap step")


def test_gap_errors(toy):
    with pytest.raises(ParameterError, match="3 units"):
        gap_analysis(toy)
    with pytest.raises(ParameterError, match="closest known: U1"):
        gap_analysis(toy, "U11")
    with pytest.raises(ParameterError, match="one of U1, U2, U3"):
        gap_analysis(toy, "Xyz")
    with pytest.raises(ParameterError):
        gap_analysis(object())


def test_check_published_against_seed_000(bac_kan_city):
    """The plan's own group table (seed 000) matches the scored illustrative data group by group, and the
    two losses its text misstates are the two mismatches: −32,5 stated for 70 − 67,5 = 2,5 and −89,98
    stated for 230 − 148,02 = 81,98."""
    from dtilib.analysis import check_published
    from dtilib.data.raw import read_seed_groups, read_seed_stated

    c = check_published(bac_kan_city, read_seed_groups(), read_seed_stated(), year=2023)
    assert len(c.published) == 9 and set(c.published["unit"]) == {"Thành phố Bắc Kạn"}   # 8 groups + smart city
    assert c.comparison["matches"].all()
    bad = c.checks[c.checks["status"] == "mismatch"].set_index("unit")
    assert sorted(bad.index) == ["Thành phố Bắc Kạn: Hoạt động chính quyền số", "Thành phố Bắc Kạn: Nhận thức số"]
    assert bad.loc["Thành phố Bắc Kạn: Nhận thức số", "computed"] == pytest.approx(2.5)
    assert bad.loc["Thành phố Bắc Kạn: Hoạt động chính quyền số", "computed"] == pytest.approx(81.98)
    counts = c.counts()
    assert (counts["n_groups"], counts["n"], counts["n_bad"]) == (9, 9, 2) and counts["n_checks"] == len(c.checks)
    # no table published for the year: nothing compared
    none = check_published(bac_kan_city, read_seed_groups(), read_seed_stated(), year=2022)
    assert none.published.empty and none.comparison is None and none.checks is None
    assert none.counts() == {"n_groups": 0, "n": 0, "n_bad": 0, "n_checks": 0}
