"""The scorer against the published record, the seeds and hand calculations."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import RAW
from dtilib import aggregate, load_framework, rank, score
from dtilib.errors import DataError
from dtilib.inputs import read_main_values


def _main_values(year):
    return read_main_values(str(RAW / "dti_pillars.csv"), year)


def test_922_weights_reproduce_published_2022_pdti():
    # published 2022 PDTI (dti_results.csv, dti.gov.vn): Đà Nẵng 0.8002, Quảng Ninh 0.7024, Thừa Thiên - Huế 0.6975
    out = aggregate("vn-province-922", _main_values(2022)).set_index("unit")
    assert round(out.loc["TP. Đà Nẵng", "dti_value"], 4) == 0.8002
    assert round(out.loc["Quảng Ninh", "dti_value"], 4) == 0.7024
    assert round(out.loc["Thừa Thiên - Huế", "dti_value"], 4) == 0.6975


def test_922_hand_calculation_da_nang():
    # DOMAIN.md: 100×(1.0000+0.9000+0.8253+0.8487+0.7578) + 200×0.8575 + 150×0.7836 + 150×0.5197
    #          = 433.18 + 171.5 + 117.54 + 77.955 = 800.175 (DOMAIN prints it rounded: 800.2) → 0.8002
    out = aggregate("vn-province-922", _main_values(2022)).set_index("unit")
    assert out.loc["TP. Đà Nẵng", "dti_value"] * 1000 == pytest.approx(800.175, abs=1e-9)
    # pillar summary CQS = (F + A)/(500 + 200), F = 433.18, A = 171.5 → 604.68/700
    assert out.loc["TP. Đà Nẵng", "chinh_quyen_so_pillar"] == pytest.approx(604.68 / 700)


def test_units_with_missing_main_values_get_no_dti():
    mv = _main_values(2022)
    mv = mv[~((mv["unit"] == "Quảng Ninh") & (mv["indicator"] == "kinh_te_so"))]  # drop one of its 8
    out = aggregate("vn-province-922", mv).set_index("unit")
    assert np.isnan(out.loc["Quảng Ninh", "dti_value"]) and out.loc["Quảng Ninh", "n_known"] == 7
    assert round(out.loc["TP. Đà Nẵng", "dti_value"], 4) == 0.8002


def test_2020_bac_ninh_from_pillars():
    # Bắc Ninh 2020 pillar values 0.4449/0.3668/0.4052 → 0.4·CQS + 0.3·KTS + 0.3·XHS = 0.4096 (published)
    out = aggregate("vn-province-2020", _main_values(2020)).set_index("unit")
    assert out.loc["Bắc Ninh", "dti_value"] == pytest.approx(0.4 * 0.4449 + 0.3 * 0.3668 + 0.3 * 0.4052)
    assert round(out.loc["Bắc Ninh", "dti_value"], 4) == 0.4096


def test_rank_is_competition_style_on_unrounded_values():
    s = pd.Series([0.5, 0.7, 0.7, 0.3, np.nan, 0.70001])
    assert rank(s).tolist() == [4, 2, 2, 5, pd.NA, 1]


def test_aggregate_rejects_values_out_of_range():
    mv = pd.DataFrame({"unit": ["A"], "indicator": ["kinh_te_so"], "value": ["45"]})
    with pytest.raises(DataError, match="row 2, column 'value'.*between 0 and 1"):
        aggregate("vn-province-922", mv)


def test_aggregate_unknown_indicator_suggests():
    mv = pd.DataFrame({"unit": ["A"], "indicator": ["kinh_te"], "value": ["0.4"]})
    with pytest.raises(DataError, match="unknown indicator 'kinh_te'.*closest known"):
        aggregate("vn-province-922", mv)


def test_aggregate_405_refuses_unknown_weights():
    mv = pd.DataFrame({"unit": ["A"], "indicator": ["x"], "value": ["0.4"]})
    with pytest.raises(Exception, match="does not state the points"):
        aggregate("vn-province-405", mv)


def _rows(unit, **kw):
    out = []
    for ind, inputs in kw.items():
        for name, v in inputs.items():
            out.append((unit, ind, name, str(v)))
    return out


def _commune(rows):
    return pd.DataFrame(rows, columns=["unit", "indicator", "input", "value"])


def test_score_example_commune_by_hand(example_fw):
    rows = _rows("A", nts_01={"value": 1}, nts_02={"count": 3}, cqs_01={"a": 100, "b": 40},
                 cqs_02={"level": "deployed"})
    rows += _rows("B", nts_01={"value": 0}, nts_02={"count": 5}, cqs_01={"a": 100, "b": 90},
                  cqs_02={"level": "none"})
    res = score(example_fw, _commune(rows))
    t = res.total.set_index("unit")
    # A: 20 + 15 + (0.4/0.8)×40 + ½×20 = 65 ; B: 0 + 20 + 40 + 0 = 60
    assert t.loc["A", "points"] == 65 and t.loc["B", "points"] == 60
    assert t.loc["A", "dti_value"] == 0.65 and t["rank"].tolist() == [1, 2]
    m = res.main.set_index(["unit", "indicator"])
    assert m.loc[("A", "nhan_thuc_so"), ["n_full", "n_zero", "n_partial"]].tolist() == [1, 0, 1]
    assert res.provenance["framework"] == "example-commune"
    assert res.sub["source"].str.startswith("<data frame>:").all()


def test_missing_input_is_a_gap_not_a_zero(example_fw):
    rows = _rows("A", nts_01={"value": 1}, nts_02={"count": ""}, cqs_01={"a": 10, "b": 8},
                 cqs_02={"level": "none"})
    res = score(example_fw, _commune(rows))
    s = res.sub.set_index("indicator")
    assert s.loc["nts_02", "status"] == "missing" and np.isnan(s.loc["nts_02", "points"])
    assert np.isnan(res.total["dti_value"].iloc[0])


def test_zero_denominator_is_a_clear_error(example_fw, tmp_path):
    f = tmp_path / "unit.csv"
    _commune(_rows("A", cqs_01={"a": 0, "b": 0})).to_csv(f, index=False)
    with pytest.raises(DataError) as exc:
        score(example_fw, f)
    msg = str(exc.value)
    assert str(f) in msg and "row 2" in msg and "denominator a is 0" in msg and "cqs_01" in msg


def test_share_above_one_is_a_clear_error(example_fw):
    with pytest.raises(DataError, match="share 1.5 is above 1 for unit 'A' in sub-indicator 'cqs_01'"):
        score(example_fw, _commune(_rows("A", cqs_01={"a": 10, "b": 15})))


@pytest.mark.parametrize("value,message", [
    ("0,5", "comma decimal '0,5'"), ("45%", "percent '45%' given"), ("-3", "negative value -3"),
    ("2.5", "count 2.5 is not a whole number"), ("abc", "'abc' is not a number")])
def test_bad_values_named_with_row_and_column(example_fw, value, message):
    rows = _rows("A", nts_01={"value": 1}, nts_02={"count": value})
    with pytest.raises(DataError) as exc:
        score(example_fw, _commune(rows))
    assert message in str(exc.value) and "row 3, column 'value'" in str(exc.value)


def test_unknown_indicator_and_input_suggest(example_fw):
    with pytest.raises(DataError, match="unknown indicator 'nts_1'.*closest known: nts_01"):
        score(example_fw, _commune(_rows("A", nts_1={"value": 1})))
    with pytest.raises(DataError, match="unknown input 'c' for indicator 'cqs_01'.*expected one of a, b"):
        score(example_fw, _commune(_rows("A", cqs_01={"c": 1})))


def test_duplicate_rows_rejected(example_fw):
    rows = _rows("A", nts_01={"value": 1}) * 2
    with pytest.raises(DataError, match="duplicate row for unit 'A', indicator 'nts_01'.*rows 2, 3"):
        score(example_fw, _commune(rows))


def _ninh_thuan_rows(fw):
    """Ninh Thuận (seed 001): 4 of 100 civil servants/employees on DT → 4.0%, with two peers at 0% and 100%."""
    sub = fw.sub[(fw.sub["rule"] == "min_max") & fw.sub["name_vi"].str.contains("chuyển đổi số", na=False)]
    sid = sub["id"].iloc[0]
    rows = []
    for unit, (a, e) in {"Ninh Thuận": (4, 100), "Peer low": (0, 100), "Peer high": (100, 100)}.items():
        rows += _rows(unit, **{sid: {"a": a, "b": 0, "c": 0, "d": 0, "e": e, "f": 0}})
    return sid, _commune(rows)


def test_ninh_thuan_4_percent_gives_0_4_of_10():
    fw = load_framework("vn-province-922")
    sid, data = _ninh_thuan_rows(fw)
    s = score(fw, data).sub.set_index(["unit", "indicator"])
    # min–max: (0.04 − 0)/(1.0 − 0) × 10 = 0.4 (seed 001: "0,4/10 điểm đạt tỷ lệ 4,0%")
    assert s.loc[("Ninh Thuận", sid), "points"] == pytest.approx(0.4)
    assert s.loc[("Ninh Thuận", sid), "ratio"] == pytest.approx(0.04)


def test_min_max_points_depend_on_peers():
    fw = load_framework("vn-province-922")
    sid, data = _ninh_thuan_rows(fw)
    # the top peer drops to 20%: Ninh Thuận's 4% is now (0.04 − 0)/(0.2 − 0) × 10 = 2 points
    data.loc[(data["unit"] == "Peer high") & (data["input"] == "a"), "value"] = "20"
    s = score(fw, data).sub.set_index(["unit", "indicator"])
    assert s.loc[("Ninh Thuận", sid), "points"] == pytest.approx(2.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 6), st.integers(1, 200), st.floats(0, 1),
                          st.sampled_from(["personalised", "deployed", "none"])), min_size=1, max_size=8))
def test_total_is_sum_of_parts_and_within_bounds(units):
    from conftest import EXAMPLE_FW
    from dtilib import load_framework as lf

    fw = lf(EXAMPLE_FW)
    rows = []
    for i, (flag, count, a, share, level) in enumerate(units):
        rows += _rows(f"U{i}", nts_01={"value": flag}, nts_02={"count": count},
                      cqs_01={"a": a, "b": int(a * share)}, cqs_02={"level": level})
    res = score(fw, _commune(rows))
    assert (res.sub["points"] >= 0).all() and (res.sub["points"] <= res.sub["max_points"] + 1e-9).all()
    by_unit = res.sub.groupby("unit")["points"].sum()
    assert np.allclose(res.total.set_index("unit")["points"], by_unit.loc[res.total["unit"]])
    by_main = res.main.groupby("unit")["points"].sum()
    assert np.allclose(by_main.loc[res.total["unit"]], res.total.set_index("unit")["points"])


def test_bac_kan_city_2023_illustrative_reproduces_published_group_table():
    from conftest import ROOT

    ex = ROOT / "data" / "examples"
    res = score(ex / "bac-kan-district-1294-illustrative.yaml", ex / "bac-kan-city-2023.illustrative.csv")
    m = res.main[res.main["unit"] == "Thành phố Bắc Kạn"].set_index("indicator")
    # seed 000 (published 2023 table): group → (max, achieved, n, full, zero, partial)
    published = {
        "nhan_thuc_so": (70, 67.5, 7, 6, 0, 1), "the_che_so": (90, 60, 9, 6, 3, 0),
        "ha_tang_so": (70, 66.82, 7, 5, 0, 2), "nhan_luc_so": (60, 50, 8, 6, 2, 0),
        "an_toan_thong_tin": (80, 34.9, 14, 3, 7, 4), "chinh_quyen_so": (230, 148.02, 18, 10, 5, 3),
        "kinh_te_so": (190, 51.56, 15, 4, 10, 1), "xa_hoi_so": (210, 60.73, 11, 2, 3, 6)}
    for group, (mx, achieved, n, full, zero, partial) in published.items():
        row = m.loc[group]
        assert row["max_points"] == mx and round(row["points"], 2) == achieved, group
        assert (row["n"], row["n_full"], row["n_zero"], row["n_partial"]) == (n, full, zero, partial), group
    # smart city: 3 reference items, not scored, neither full nor zero
    assert (m.loc["do_thi_thong_minh", "n"], m.loc["do_thi_thong_minh", "n_full"],
            m.loc["do_thi_thong_minh", "n_zero"]) == (3, 0, 0)
    t = res.total.set_index("unit")
    # the eight groups add to 539.53; runner-up Chợ Mới 523.02 (gap 16.51)
    assert round(sum(v[1] for v in published.values()), 2) == 539.53
    assert round(t.loc["Thành phố Bắc Kạn", "points"], 2) == 539.53 and t.loc["Thành phố Bắc Kạn", "rank"] == 1
    assert round(t.loc["Huyện Chợ Mới", "points"], 2) == 523.02 and t.loc["Huyện Chợ Mới", "rank"] == 2
