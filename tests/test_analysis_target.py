"""Distance to a target rank (Lai Châu: 45/63 by 2025, seed 004)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dtilib.analysis import (
    distance_to_target,
    load_results,
    project_rank_value,
    rank_value_history,
    value_needed,
)
from dtilib.errors import ParameterError

FIX = Path(__file__).parent / "fixtures" / "analysis"


@pytest.fixture(scope="module")
def results():
    return load_results(FIX / "results.csv")


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
    model = h[h["estimate_kind"] == "model"]
    assert ((model["estimate"] >= model["lo"] - 1e-12) & (model["estimate"] <= model["hi"] + 1e-12)).all()


def test_projection_is_an_ols_line_with_a_residual_band(results):
    from scipy import stats

    p = project_rank_value(results, 45, 2025, fit_years=[2021, 2022, 2023], level=0.8)
    x = p.fit["year"].to_numpy(float)
    y = p.fit["estimate"].to_numpy(float)
    # hand OLS
    b = ((x - x.mean()) * (y - y.mean())).sum() / ((x - x.mean()) ** 2).sum()
    a = y.mean() - b * x.mean()
    assert p.slope_per_year == pytest.approx(b)
    pred = a + b * 2025
    s = np.sqrt(((y - (a + b * x)) ** 2).sum() / (len(x) - 2))
    se = s * np.sqrt(1 + 1 / 3 + (2025 - x.mean()) ** 2 / ((x - x.mean()) ** 2).sum())
    half = stats.t.ppf(0.9, 1) * se
    assert p.estimate == pytest.approx(min(1, max(0, pred)))
    assert p.band_hi == pytest.approx(min(1.0, pred + half))
    assert p.n_years == 3 and len(p.loyo) == 3
    assert "little history" in p.notes[0]
    assert not p.spans_break


def test_default_fit_spans_the_405_break_and_says_so(results):
    p = project_rank_value(results, 45, 2025)
    assert list(p.fit["year"]) == [2022, 2023, 2024]
    assert p.spans_break and any("break" in n for n in p.notes)


def test_distance_to_target_report(results):
    t = distance_to_target(results, "Lai Chau", 45, 2025)
    assert t.latest_value[2] == 2022 and t.latest_value[0] == pytest.approx(0.5032)
    assert t.projection is not None
    assert t.gap_projected[0] == pytest.approx(t.projection.estimate - 0.5032)
    text = t.summary("vi")
    assert "0,5350–0,5450" in text and "45/63" in text
    assert any("34 provinces" in n for n in t.notes)
    assert "needed" in t.summary("en")


def test_target_errors(results):
    with pytest.raises(ParameterError, match="outside 1..63"):
        value_needed(results, "Lai Châu", 70)
    with pytest.raises(ParameterError):
        project_rank_value(results, 45, 2025, fit_years=[2019, 2022])
    with pytest.raises(ParameterError):
        project_rank_value(results, 45, 2025, level=1.5)
