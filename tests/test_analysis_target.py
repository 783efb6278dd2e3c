"""Distance to a target rank (Lai Châu: 45/63 by 2025, seed 004)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dtilib.analysis import (
    distance_to_target,
    project_rank_value,
    rank_value_history,
    value_needed,
)
from dtilib.analysis.target import rank_gain
from dtilib.errors import ParameterError

FIX = Path(__file__).parent / "fixtures" / "analysis"




def test_value_needed_for_45_from_the_published_distributions(results):
    t = value_needed(results, "Lai Châu", 45).set_index("year")
    # 2022: Kon Tum was 45th with 0.54, printed with 2 decimals → 0.535..0.545; Lai Châu 0.5032 (53rd)
    r = t.loc[2022]
    assert r["needed_kind"] == "rounded"
    assert (r["needed_lo"], r["needed_hi"]) == pytest.approx((0.535, 0.545))
    assert (r["gap_lo"], r["gap_hi"]) == pytest.approx((0.535 - 0.5032, 0.545 - 0.5032))
    assert (r["gap_points_lo"], r["gap_points_hi"]) == pytest.approx((31.8, 41.8))   # × 1000 points (922)
    assert not r["reached"]
    # 2023: rank 45 not published; below Tuyên Quang (38th, 0.6735) — nothing published below it
    r = t.loc[2023]
    assert r["needed_kind"] == "bounded" and r["needed_hi"] == pytest.approx(0.6735) and r["needed_lo"] == 0
    assert np.isnan(r["gap_lo"])                  # Lai Châu's 2023 value is not published
    # 2024 (63-list, 405 framework): between Quảng Nam (57th, 0.5803) and Huế (5th, 0.7951); points unknown
    r = t.loc[2024]
    assert (r["needed_lo"], r["needed_hi"]) == pytest.approx((0.5803, 0.7951))
    assert np.isnan(r["total_points"])
    # 2021: between Lai Châu itself (48th, 0.3350) and Lâm Đồng (20th, 0.4626)
    assert (t.loc[2021, "needed_lo"], t.loc[2021, "needed_hi"]) == pytest.approx((0.3350, 0.4626))


def test_rank_value_history_uses_published_value_where_there_is_one(results):
    h = rank_value_history(results, 45).set_index("year")
    assert h.loc[2022, "estimate"] == pytest.approx(0.54) and h.loc[2022, "estimate_kind"] == "rounded"
    est = h[h["estimate_kind"].isin(["interpolated", "extrapolated"])]
    assert len(est) and ((est["estimate"] >= est["lo"] - 1e-12) & (est["estimate"] <= est["hi"] + 1e-12)).all()
    # 2021: rank 45 between Lâm Đồng (20, 0.4626) and Kon Tum (46, 0.33 printed → its value 0.33):
    # 0.4626 + (0.33 − 0.4626)·(45 − 20)/(46 − 20)
    assert h.loc[2021, "estimate"] == pytest.approx(0.4626 + (0.33 - 0.4626) * 25 / 26)


def test_projection_is_the_outlook_with_the_backtest_beside(results, national):
    p = project_rank_value(results, 45, 2025, national=national)
    assert p.origin_year == 2024
    s = p.scenarios.set_index("scenario")
    assert set(s.index) == {"persistence", "average", "paired"}
    assert p.estimate == pytest.approx(s.loc[p.default, "estimate"])
    assert p.low == pytest.approx(s["estimate"].min()) and p.high == pytest.approx(s["estimate"].max())
    assert list(p.backtest.columns) == ["method", "n", "mean_abs_error", "coverage", "default"]
    bt = p.backtest.set_index("method")
    assert bt.loc[p.default, "mean_abs_error"] <= bt.loc["persistence", "mean_abs_error"] + 1e-12
    assert any("little history" in n for n in p.notes)


def test_rank_gain_from_observed_rank_changes(results):
    from dtilib.analysis.outlook import rank_changes

    g = rank_gain(results, 53, 45, 1)
    rc = rank_changes(results)
    assert g["places"] == 8 and g["n"] == len(rc) and g["k"] == int((rc["gain"] >= 8).sum())
    assert g["p"] == pytest.approx(g["k"] / g["n"])
    assert "chose to publish" in g["note"]


def test_distance_to_target_report(results, national):
    t = distance_to_target(results, "Lai Chau", 45, 2025, national=national)
    assert t.latest_value[2] == 2022 and t.latest_value[0] == pytest.approx(0.5032)
    assert t.projection is not None
    assert t.gap_projected[0] == pytest.approx(t.projection.estimate - 0.5032)
    assert t.latest_rank == (53, 2022) and t.rank_gain["places"] == 8 and t.rank_gain["step"] == 3
    text = t.summary("vi")
    assert "0,5350–0,5450" in text and "45/63" in text and "Giữ nguyên" in text and "lên ≥ 8 bậc" in text
    assert t.translated.text("en").startswith("From 1/7/2025 there are 34 provinces, so a target for 2025 is out "
                                             "of 34: rank 45/63 corresponds to rank 24/34")
    en = t.summary("en")
    assert "needed" in en and "Persistence" in en and "chose to publish" in en


def test_target_errors(results):
    with pytest.raises(ParameterError, match="outside 1..63"):
        value_needed(results, "Lai Châu", 70)
    with pytest.raises(ParameterError, match="outside 1..63"):
        project_rank_value(results, 70, 2025, national=False)


def test_no_projection_says_why_in_each_language(results, national):
    # the record starts in 2020: there is no earlier list to project a 2020 value from
    t = distance_to_target(results, "Lai Châu", 45, 2020, national=national)
    assert t.projection is None
    vi, en = t.summary("vi"), t.summary("en")
    assert "(không dự báo được: chưa có bảng xếp hạng 63 tỉnh nào công bố trước năm 2020)" in vi
    assert "(no projection: no ranking of the 63-province list was published before 2020)" in en
    assert "no projection" not in vi and "không dự báo" not in en


def test_a_summary_table_shows_as_a_table_in_reports():
    from dtilib.reporting.display import text_block

    h = text_block("Câu đầu.\n\nNăm   Hạng\n2024  6/34\n\n- một ý\n  tiếp")
    assert h.html == ('<div class="dti-text"><p>Câu đầu.</p><table><thead><tr><th>Năm</th><th>Hạng</th></tr></thead>'
                      "<tbody><tr><td>2024</td><td>6/34</td></tr></tbody></table><ul><li>một ý tiếp</li></ul></div>")
    assert "| Năm | Hạng |\n|---|---|\n| 2024 | 6/34 |" in h.markdown
