"""Trends: published values and ranks, missing years stay missing, breaks derived from the data.

Expected numbers come from the published record (seed 004 for Lai Châu; data/raw/dti_results.csv)
or are hand calculations written here.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from dtilib.analysis import breaks, format_trend, load_results, percentile, trend
from dtilib.errors import DTIError, ParameterError

FIX = Path(__file__).parent / "fixtures" / "analysis"




@pytest.fixture(scope="module")
def lai_chau(results, national):
    return trend(results, "Lai Châu", national=national)


def row(t, year, era=63):
    r = t[(t["year"] == year) & (t["era"] == era)]
    assert len(r) == 1
    return r.iloc[0]


def test_lai_chau_values_and_ranks_from_the_seed(lai_chau):
    # seed 004: 2020 rank 50, DTI 0,2627; 2021 rank 48, 0,3350; 2022 rank 53, 0,5032
    for year, rank, value in [(2020, 50, 0.2627), (2021, 48, 0.3350), (2022, 53, 0.5032)]:
        r = row(lai_chau, year)
        assert r["rank"] == rank
        assert r["value"] == pytest.approx(value, abs=1e-9)
        assert r["rank_of"] == 63


def test_lai_chau_changes_hand_calculated(lai_chau):
    r21, r22 = row(lai_chau, 2021), row(lai_chau, 2022)
    assert r21["delta_rank"] == 48 - 50          # −2: up two places
    assert r22["delta_rank"] == 53 - 48          # +5: down five places although the value rose
    assert r22["delta_value"] == pytest.approx(0.5032 - 0.3350)
    assert r22["rel_change"] == pytest.approx((0.5032 - 0.3350) / 0.3350)
    assert r22["percentile"] == pytest.approx(1 - 52 / 62)


def test_methodology_break_2020_2021_flagged(lai_chau):
    assert row(lai_chau, 2021)["break"] == "method:vn-province-2020→vn-province-922"
    assert row(lai_chau, 2022)["break"] == ""
    assert row(lai_chau, 2024, 63)["break"] == "method:vn-province-922→vn-province-405"
    assert row(lai_chau, 2024, 34)["break"] == "reorg:63→34"
    b = breaks(lai_chau)
    assert list(b["break"]) == ["method:vn-province-2020→vn-province-922", "method:vn-province-922→vn-province-405",
                                "reorg:63→34"]


def test_missing_years_stay_missing(lai_chau):
    r23 = row(lai_chau, 2023)                      # Lai Châu 2023 is not in the published record
    assert math.isnan(r23["value"]) and pd.isna(r23["rank"])
    assert math.isnan(r23["delta_value"]) and pd.isna(r23["delta_rank"])
    assert list(lai_chau["year"]) == [2020, 2021, 2022, 2023, 2024, 2024]


def test_provincial_average_aid(lai_chau):
    # published provincial averages: 2020 0.3026 (0.326 in one source, a typo), 2021 0.4014, 2022 none
    assert row(lai_chau, 2020)["vs_avg"] == pytest.approx(0.2627 - 0.3026)
    assert row(lai_chau, 2021)["vs_avg_ratio"] == pytest.approx(0.3350 / 0.4014)
    assert math.isnan(row(lai_chau, 2022)["provincial_avg"])


def test_merged_province_shows_reorganisation(results, national):
    # Yên Bái merged into Lào Cai (Resolution 202/2025); 2024 34-list: Lào Cai rank 14, 0.7167
    t = trend(results, "Yên Bái", national=national)
    last = t.iloc[-1]
    assert last["era"] == 34 and last["unit_slug"] == "lao-cai"
    assert last["rank"] == 14 and last["value"] == pytest.approx(0.7167)
    assert "reorg:63→34" in last["break"]
    assert pd.isna(last["delta_rank"])          # ranks of a 63- and a 34-list are not subtracted
    t2 = trend(results, "Lào Cai", national=national)
    assert "reorg:63→34" in set(t2["break"])
    assert row(t2, 2022)["rank"] == 38            # dti.gov.vn 2022 list


def test_no_successor_option(results):
    t = trend(results, "Yên Bái", national=False, follow_successor=False)
    assert set(t["era"]) == {63}


def test_breaks_come_from_the_framework_column():
    toy = load_results(FIX / "results_toy.csv")     # synthetic: fw-a in 2020–2021, fw-b in 2022
    t = trend(toy, "Delta", national=False)
    assert list(t["break"]) == ["", "", "method:fw-a→fw-b"]
    assert list(t["rank"]) == [4, 5, 2]


def test_aliases_and_unknown_names(results):
    t = trend(results, "Lai Chau", national=False)       # ASCII alias
    assert row(t, 2022)["rank"] == 53
    with pytest.raises(ParameterError) as e:
        trend(results, "Lai Chou", national=False)
    assert "Lai Châu" in str(e.value)
    with pytest.raises(DTIError):
        trend(results, "", national=False)


def test_bad_language(results):
    with pytest.raises(ParameterError):
        trend(results, "Lai Châu", national=False, lang="fr")


def test_percentile_convention():
    assert percentile(1, 63) == 1.0
    assert percentile(63, 63) == 0.0
    assert percentile(45, 63) == pytest.approx(1 - 44 / 62)


def test_format_trend_uses_vietnamese_numbers(lai_chau):
    text = format_trend(lai_chau, "vi")
    # the break in words (issue 14), the table keeps the code in its ``break`` column
    assert "0,5032" in text and "Đổi bộ chỉ số (1726/QĐ-BTTTT → 922/QĐ-BTTTT)" in text and "method:" not in text
    assert "0.5032" in format_trend(lai_chau, "en")


def test_processed_results_agree(processed):
    t = trend(load_results(processed / "results.csv"), "Lai Châu", national=False)
    assert [row(t, y)["rank"] for y in (2020, 2021, 2022)] == [50, 48, 53]
    assert [round(row(t, y)["value"], 4) for y in (2020, 2021, 2022)] == [0.2627, 0.3350, 0.5032]


def test_framework_labels_come_from_each_files_opening_fields(tmp_path):
    """Read from the one-line fields a framework file opens with; a file whose id or legal source is
    not among them (a folded block, a field further down) is read whole."""
    from dtilib.analysis.trends import _header, framework_label

    assert framework_label("vn-province-922") == "922/QĐ-BTTTT"            # the decision (shipped file)
    assert framework_label("vn-province-2020") == "1726/QĐ-BTTTT"
    assert framework_label("no-such-framework") == "no-such-framework"
    plain = tmp_path / "a.yaml"
    plain.write_text("# c\nid: a\nlegal_source: \"1/QĐ (1/1/2020)\"\nmain:\n  - id: x\n", encoding="utf-8")
    assert _header(plain) == {"id": "a", "legal_source": "1/QĐ (1/1/2020)"}
    late = tmp_path / "b.yaml"
    late.write_text("id: b\nnotes: >-\n  folded\nlegal_source: 2/QĐ\nmain: []\n", encoding="utf-8")
    assert _header(late) == {"id": "b", "notes": "folded", "legal_source": "2/QĐ", "main": []}


@pytest.mark.parametrize("text", [
    "id: c\nlegal_source: 'Quyết định 3/QĐ-UBND về bộ chỉ số cấp xã,\n  phường (1/1/2025)'\nmain: []\n",
    "id: c\nlegal_source: Quyết định 3/QĐ-UBND về bộ chỉ số cấp xã,\n  phường (1/1/2025)\nmain: []\n",
    "id: c\nyears: [2021,\n  2023]\nlegal_source: Quyết định 3/QĐ-UBND về bộ chỉ số cấp xã, phường (1/1/2025)\n",
])
def test_a_framework_header_wrapped_over_lines_is_read_whole(tmp_path, text):
    """`dti framework import` writes YAML wrapped at 110 characters: a wrapped value is never cut."""
    from dtilib.analysis.trends import _header

    f = tmp_path / "c.yaml"
    f.write_text(text, encoding="utf-8")
    assert _header(f)["legal_source"] == "Quyết định 3/QĐ-UBND về bộ chỉ số cấp xã, phường (1/1/2025)"
