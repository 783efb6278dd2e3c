"""Printed figures as intervals, stated ranges, rank intervals and conflicts resolved by the other facts
(issue 15).  Expected numbers are the published figures or hand calculations written here."""

from __future__ import annotations

import pandas as pd
import pytest

from dtilib.cli import main
from dtilib.data import bounds, paths
from dtilib.data import reconcile as rc
from dtilib.data.ranks import add_rank_intervals, rank_interval
from dtilib.data.raw import tidy_indicators, tidy_results
from dtilib.errors import DataError

RAW = paths.RAW_DIR
R_HEAD = "year,province,rank,dti_value,source_url,note\n"
P_HEAD = "year,province,pillar,value,rank,source_url,note\n"
SRC = "https://dti.gov.vn/xep-hang-2022"
# dti.gov.vn/xep-hang-2022, detailed table, row 2 (TP. Hồ Chí Minh): the eight main values and PDTI 0.7163
HCM_2022 = {"nhan_thuc_so": "0.8917", "the_che_so": "0.9000", "ha_tang_so": "0.8258", "nhan_luc_so": "0.6267",
            "an_toan_thong_tin": "0.5580", "chinh_quyen_so": "0.8406", "kinh_te_so": "0.7611", "xa_hoi_so": "0.3590"}


def _files(tmp_path, results: str, pillars: str):
    r, p = tmp_path / "r.csv", tmp_path / "p.csv"
    r.write_text(R_HEAD + results, encoding="utf-8")
    p.write_text(P_HEAD + pillars, encoding="utf-8")
    return tidy_results(r, raw_dir=RAW), tidy_indicators(p, raw_dir=RAW)


def _hcm(values=HCM_2022):
    return "".join(f"2022,TP. Hồ Chí Minh,{k},{v},,{SRC},\n" for k, v in values.items())


# ------------------------------------------------------------------------------------ printed figures
def test_four_decimals_stand_for_the_rounding_interval():
    p = bounds.read("0.7163")
    assert (p.low, p.high, p.kind) == (pytest.approx(0.71625), pytest.approx(0.71635), "rounded")


def test_two_decimals_stand_for_rounded_or_truncated():
    # "0.54": rounded → [0.535, 0.545]; truncated → [0.54, 0.55); both allowed → [0.535, 0.55]
    p = bounds.read("0.54")
    assert (p.low, p.high, p.kind) == (pytest.approx(0.535), pytest.approx(0.55), "rounded_or_truncated")


def test_ranges_with_dash_en_dash_and_decimal_commas():
    assert bounds.read("51,99–70", scale=100)[1:3] == (pytest.approx(0.5199), pytest.approx(0.70))
    assert bounds.read("0.52-0.70")[1:3] == (pytest.approx(0.52), pytest.approx(0.70))
    with pytest.raises(bounds.RangeError, match="low end above its high end"):
        bounds.read("0.70–0.52")


# ------------------------------------------------------------------------- 1. rounding-aware checks
def test_hcm_2022_is_consistent_once_rounding_is_accounted_for(tmp_path):
    # 100×(0.8917+0.9+0.8258+0.6267+0.558) + 200×0.8406 + 150×0.7611 + 150×0.359 = 716.355 → 0.716355;
    # each input ±0.00005 and the weights sum to 1 → [0.716305, 0.716405]; 0.7163 → [0.71625, 0.71635]: they meet
    res, ind = _files(tmp_path, f"2022,TP. Hồ Chí Minh,2,0.7163,{SRC},\n", _hcm())
    row = rc.check_dti_from_main(res, ind)[0]
    assert row["computed"] == pytest.approx(0.716355)
    assert (row["computed_low"], row["computed_high"]) == (pytest.approx(0.716305), pytest.approx(0.716405))
    assert (row["published_low"], row["published_high"]) == (pytest.approx(0.71625), pytest.approx(0.71635))
    assert row["status"] == "ok"


def test_a_planted_error_of_0_001_is_still_a_mismatch(tmp_path):
    res, ind = _files(tmp_path, f"2022,TP. Hồ Chí Minh,2,0.7173,{SRC},\n", _hcm())
    row = rc.check_dti_from_main(res, ind)[0]
    assert row["status"] == "mismatch"          # [0.71725, 0.71735] does not meet [0.716305, 0.716405]


def test_shipped_plus_record_hcm_2022_is_ok():
    out = rc.reconcile()
    row = out[(out["year"] == 2022) & (out["unit"] == "TP. Hồ Chí Minh") & (out["check"] == "dti_from_main")]
    assert row["status"].tolist() == ["ok"]


def test_summary_shows_computed_value_interval_and_published():
    out = rc.reconcile()
    text = rc.summary(out[out["status"] == "mismatch"].head(1).assign(
        published=0.7173, published_low=0.71725, published_high=0.71735, computed=0.716355,
        computed_low=0.716305, computed_high=0.716405), lang="en")
    assert "0.716355" in text and "[0.716305, 0.716405]" in text and "0.7173" in text


# ---------------------------------------------------------------------------- 2. stated bounds
def test_a_stated_range_makes_an_impossible_total_a_mismatch(tmp_path):
    # three foundation indicators stated only as "between 0.5199 and 0.70"; the five others exact:
    # max DTI = (100×0.8917 + 100×0.70 + 100×0.70 + 100×0.70 + 100×0.5580 + 200×0.8406 + 150×0.7611
    #            + 150×0.3590) / 1000 = 691.105 / 1000 = 0.691105, + the five exact inputs' rounding
    #            0.00005 × (0.1 + 0.1 + 0.2 + 0.15 + 0.15) = 0.000035 → 0.69114 < 0.71625 (0.7163) → mismatch
    vals = dict(HCM_2022, the_che_so="0.5199–0.70", ha_tang_so="0.5199-0.70", nhan_luc_so="\"0,5199–0,70\"")   # quoted: a CSV cell with commas
    res, ind = _files(tmp_path, f"2022,TP. Hồ Chí Minh,2,0.7163,{SRC},\n", _hcm(vals))
    row = rc.check_dti_from_main(res, ind)[0]
    assert row["status"] == "mismatch"
    assert row["computed_high"] == pytest.approx(0.691105 + 0.000035, abs=1e-9)
    assert "[0.5199, 0.7]" in row["detail"]
    # a DTI inside what the bounds allow is fine (min = (89.17 + 3×51.99 + 55.8 + 168.12 + 114.165 + 53.85) / 1000
    # − 0.000035 = 0.63704)
    res, ind = _files(tmp_path, f"2022,TP. Hồ Chí Minh,2,0.6500,{SRC},\n", _hcm(vals))
    assert rc.check_dti_from_main(res, ind)[0]["status"] == "ok"


def test_bad_ranges_are_one_clear_error(tmp_path):
    r = tmp_path / "r.csv"
    r.write_text(R_HEAD + f"2022,Hà Nam,34,0.70–0.52,{SRC},\n2022,Bắc Ninh,5–7,0.65,{SRC},\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        tidy_results(r, raw_dir=RAW)
    text = str(exc.value)
    assert "row 2" in text and "'dti_value'" in text and "low end above its high end" in text
    assert "row 3" in text and "'rank'" in text and "must be one exact figure" in text
    assert main(["reconcile", "--results", str(r)]) == 2


# -------------------------------------------------------------------- 3. conflicts resolved
def test_2020_average_conflict_resolves_to_0_3026():
    out = rc.reconcile()
    row = out[(out["check"] == "conflict_resolved") & (out["year"] == 2020)].iloc[0]
    assert row["status"] == "ok" and row["published"] == pytest.approx(0.3026) and row["computed"] == 0.326
    # 0.4014 / 0.3026 − 1 = 32.65 % fits "+32.7 %"; 0.4014 / 0.326 − 1 = 23.1 % does not
    assert "support 0.3026" in row["detail"] and "Likely slip: 0.326" in row["detail"]
    slip = out[(out["check"] == "stated_value_change") & (out["year"] == 2021)
               & out["detail"].str.contains("0.4014 / 0.326")]
    assert slip["status"].tolist() == ["flagged"]


# -------------------------------------------------------------------------- 4. rank intervals
def test_rank_interval_rule():
    peers = pd.DataFrame({"_low": [0.9, 0.8, 0.3], "_high": [0.91, 0.81, 0.31], "rank": [1, pd.NA, 30]})
    # two peers certainly ahead (one ranked 1) → best 3; one certainly behind ranked 30 → worst 29
    assert rank_interval((0.5, 0.6), peers, 34) == (3, 29)


def test_derived_2024_da_nang_rank_interval_is_what_the_neighbours_allow():
    # new Đà Nẵng 2024 = mean(0.8335, 0.5803) with each ±0.00005 → [0.70685, 0.70695].
    # Certainly ahead: Khánh Hòa 0.7071 ([0.70705, 0.70715]) ranked 16 → best rank 17 (and 8 units ahead < 17).
    # Certainly behind: Cao Bằng, Quảng Trị, Hưng Yên stated 0.5–0.6 (unranked) → worst 34 − 3 = 31.
    res = pd.read_csv(paths.PROCESSED_DIR / "results.csv")
    r = res[(res["year"] == 2024) & (res["era"] == 34) & (res["unit_slug"] == "da-nang")].iloc[0]
    assert r["origin"] == "derived" and pd.isna(r["rank"])
    assert (r["rank_low"], r["rank_high"]) == (17, 31)
    assert (r["dti_low"], r["dti_high"]) == (pytest.approx(0.70685), pytest.approx(0.70695))
    printed = res[res["rank"].notna()]
    assert (printed["rank_low"] == printed["rank"]).all() and (printed["rank_high"] == printed["rank"]).all()


def test_add_rank_intervals_uses_printed_rank_of_the_unit():
    df = pd.DataFrame({"year": [2024] * 3, "era": [63] * 3, "unit_slug": ["a", "a", "b"],
                       "origin": ["published", "derived", "published"], "rank": [4, pd.NA, pd.NA],
                       "rank_of": [63] * 3, "_low": [float("nan"), 0.82405, 0.5], "_high": [float("nan"), 0.82415, 0.6]})
    out = add_rank_intervals(df)
    # a: printed rank 4 on its published row → 4..4 on both rows; b: a is certainly ahead (rank 4) → best 5,
    # nobody certainly behind → worst 63
    assert out["rank_low"].tolist() == [4, 4, 5] and out["rank_high"].tolist() == [4, 4, 63]


# ---------------------------------------------------------------- 7. printed values read honestly
def test_kon_tum_2021_contradicts_the_published_order_and_is_flagged():
    out = rc.reconcile()
    row = out[(out["year"] == 2021) & (out["unit"] == "Kon Tum") & (out["check"] == "rank_order")].iloc[0]
    # "0.33" ranked 46 must be above Lai Châu 0.3350 (48): the order needs [0.33495, 0.34];
    # rounded, "0.33" is [0.325, 0.335]: only its edge fits; truncated [0.33, 0.34]: [0.33495, 0.34] fits
    assert row["status"] == "flagged"
    assert "Lai Châu 0.3350 ranked 48" in row["detail"] and "[0.33495, 0.34]" in row["detail"]
    res = pd.read_csv(paths.PROCESSED_DIR / "results.csv")
    kt = res[(res["year"] == 2021) & (res["unit_slug"] == "kon-tum")].iloc[0]
    assert kt["dti_value"] == 0.33                                  # not silently moved to a boundary
    assert (kt["dti_low"], kt["dti_high"]) == (pytest.approx(0.325), pytest.approx(0.34))


# ----------------------------------------------------------------- dti score --main-values
def test_score_main_values_reports_summary_rows_and_ranges(tmp_path, capsys):
    f = tmp_path / "mv.csv"
    rows = "".join(f"2022,TP. Hồ Chí Minh,{k},{v}\n" for k, v in HCM_2022.items())
    rows += "2022,TP. Hồ Chí Minh,chinh_quyen_so_pillar,0.81\n"
    rows += "".join(f"2022,Hà Nam,{k},{v}\n" for k, v in dict(HCM_2022, the_che_so="0.5199–0.70").items())
    f.write_text("year,province,pillar,value\n" + rows, encoding="utf-8")
    assert main(["score", "--main-values", str(f), "--year", "2022", "--out", str(tmp_path / "o.csv"),
                 "--lang", "en"]) == 0
    err = capsys.readouterr().err
    # the pillar-summary row is not dropped silently: (100×(0.8917+0.9+0.8258+0.6267+0.558) + 200×0.8406)
    # / 700 = 548.34 / 700 = 0.78334 computed, vs 0.81 in the file
    assert "chinh_quyen_so_pillar" in err and "0.81" in err and "0.7833" in err
    out = pd.read_csv(tmp_path / "o.csv").set_index("unit")
    # Hà Nam: the_che_so within [0.5199, 0.70] → DTI within 0.716355 − 0.1×(0.9 − 0.5199|0.70)
    assert out.at["Hà Nam", "dti_low"] == pytest.approx(0.716355 - 0.1 * (0.9 - 0.5199))
    assert out.at["Hà Nam", "dti_high"] == pytest.approx(0.716355 - 0.1 * (0.9 - 0.70))
    assert pd.isna(out.at["Hà Nam", "dti_value"])
    f.write_text("year,province,pillar,value\n2022,Hà Nam,the_che_so,0.70–0.52\n", encoding="utf-8")
    assert main(["score", "--main-values", str(f), "--year", "2022"]) == 2
    assert "row 2" in capsys.readouterr().err


# ------------------------------------------------------------- trend tables across the merger
def test_trend_shows_rank_interval_and_no_value_change_across_the_merger():
    from dtilib.analysis.trends import format_trend, trend

    t = trend(None, "Quảng Nam", national=False)
    row = t[(t["year"] == 2024) & (t["era"] == 34)].iloc[0]       # new Đà Nẵng (Đà Nẵng + Quảng Nam)
    assert pd.isna(row["delta_value"]) and pd.isna(row["delta_rank"])   # 0.7069 vs Quảng Nam 0.5803: no change
    assert (row["rank_low"], row["rank_high"]) == (17, 31)
    text = format_trend(t, "vi")
    assert "17–31" in text and "khoảng hạng" in text
    h = trend(None, "Hà Nội", national=False)                      # not merged: same territory, a change
    assert h[(h["year"] == 2024) & (h["era"] == 34)]["delta_value"].iloc[0] == 0
