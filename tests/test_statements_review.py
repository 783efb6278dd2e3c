"""Statements found wrong by an analyst's review of main (issue 14, round 3): each expected value from the
published record (data/processed, built by ``dti build`` from data/raw) or a hand calculation written here."""

from __future__ import annotations

import pytest

from dtilib import analysis
from dtilib.analysis.outlook import unit_outlook
from dtilib.data import paths


@pytest.fixture(scope="module")
def results():
    return analysis.load_results(paths.PROCESSED_DIR / "results.csv")


# ------------------------------------------------------------------ 1–2. the outlook: one base, with its range
def test_a_rank_stand_in_is_never_the_neighbours_exact_value(results):
    """Lạng Sơn: 4/63 in 2023, no 2024 figure; Hà Nội holds rank 4 in 2024 (0.8241, derived from the 34-list)."""
    o = unit_outlook(results, "Lạng Sơn", 2025, national=False)
    assert o.base["value"] != pytest.approx(0.8241)
    # between Đà Nẵng (2, 0.8335) and Thừa Thiên Huế (5, 0.7951) at rank 4, Hà Nội's figure left out
    assert o.base["value"] == pytest.approx(0.7951 + (0.8335 - 0.7951) / 3)
    per = o.scenarios.set_index("scenario").loc["persistence"]
    assert per["hi"] - per["lo"] > 0.02                                    # the rank's uncertainty, not a point
    assert o.base["kind"].startswith("carried:")


def test_cli_and_report_05_give_one_outlook(results):
    """Cao Bằng is 34/34 in the 2024 list (its 61/63 of 2022 is older): the CLI's outlook and report 05's row
    are one computation; a one-member province is not labelled a mean of members."""
    from dtilib.analysis.outlook import outlook_34

    o34 = outlook_34(results, 2025, national=False)
    for name, slug in (("Cao Bằng", "cao-bang"), ("Lạng Sơn", "lang-son"), ("Hà Giang", "tuyen-quang")):
        o = unit_outlook(results, name, 2025, national=False)
        row = o34[o34["slug"] == slug].set_index("scenario")
        assert o.base["value"] == pytest.approx(row["base"].iloc[0])
        for s in o.scenarios.itertuples(index=False):
            if s.estimate == s.estimate:
                assert (s.estimate, s.lo, s.hi) == pytest.approx(tuple(row.loc[s.scenario, ["estimate", "lo", "hi"]]))
    assert unit_outlook(results, "Cao Bằng", 2025, national=False).base["rank"] == 34
    assert any("Tuyên Quang" in n.vi for n in unit_outlook(results, "Hà Giang", 2025, national=False).notes)
    single = o34[o34["members"].str.count(";") == 0]
    assert not (single["base_kind"] == "members").any()




# --------------------------------------------------------------- 3. a rank change across the 63- and 34-list
def test_rank_change_across_the_two_lists_is_computed_not_refused(results):
    """dti_results.csv: Điện Biên 35/63 (2022, dti.gov.vn) and 6/34 (2024, vtcnews)."""
    d = analysis.rank_change(results, "Điện Biên", 2022, 2024, national=False)
    assert (d.rank_from, d.rank_of_from, d.rank_to, d.rank_of_to) == (35, 63, 6, 34)
    assert d.mapped_from == pytest.approx(1 + 34 * 33 / 62)           # 35/63 at the same place of 34: 19.1
    vi = d.summary("vi")
    assert vi.startswith("Điện Biên: hạng 35/63 (2022) → 6/34 (2024).")
    assert "khoảng hạng 19,1/34, tức lên 13 bậc" in vi
    assert "up 13 places in the 34-province list" in d.summary("en")


def test_rank_change_cli_across_lists(capsys):
    from dtilib.cli import main

    assert main(["rank-change", "--province", "Điện Biên", "--from", "2022", "--to", "2024"]) == 0
    assert "6/34 (2024)" in capsys.readouterr().out


# ------------------------------------------------------------ 4. a target for a province that no longer exists
def test_target_for_a_merged_province_after_the_merger_is_refused_with_its_successor(results):
    from dtilib.errors import ParameterError

    # provinces_34.csv: Tuyên Quang = Hà Giang + Tuyên Quang (from 1/7/2025)
    with pytest.raises(ParameterError, match="merged into Tuyên Quang"):
        analysis.distance_to_target(results, "Hà Giang", 20, 2025, era=63, national=False)
    assert analysis.distance_to_target(results, "Hà Giang", 20, 2022, era=63, national=False).unit == "Hà Giang"
    # no year given: the year after the record (2025) is the one targeted, and the check uses it
    with pytest.raises(ParameterError, match="'Hà Giang' no longer exists in 2025: it was merged into Tuyên Quang"):
        analysis.distance_to_target(results, "Hà Giang", 20, era=63, national=False)
    with pytest.raises(ParameterError, match="'Hà Giang' no longer exists in 2026: it was merged into Tuyên Quang"):
        analysis.distance_to_target(results, "Hà Giang", 12, 2026, era=34, national=False)


# ------------------------------------------------------------------------- 5–6. report 02's target
def test_report_02_has_no_default_target_and_an_explicit_one_is_translated():
    from dtilib.reporting.params import check

    p = check("02_province_trend", province="Điện Biên")                 # 6/34 in 2024: 45 would make no sense
    assert p.target_rank is None and p.target_rank_in_list is None
    p = check("02_province_trend", province="Lai Châu", target_rank=45)   # `make report`
    # 45/63 for 2025 at the same relative place of 34: 1 + 44 × 33/62 = 24.4 → 24/34
    assert (p.target_rank_in_list, p.target_rank_of) == (24, 34)


def test_a_2025_gap_is_not_converted_with_the_922_points_scale(results):
    """2025 is scored on 405/QĐ-BKHCN (points scale unknown): no "điểm (thang 1 000 của 922…)" for it."""
    t = analysis.distance_to_target(results, "Lai Châu", 45, 2025, era=63, national=False)
    assert t.total_points is None and t.points_framework is None
    vi = t.summary("vi")
    assert "thang 1 000 của 922" not in vi.split("\n")[0]
    assert "405/QĐ-BKHCN, chưa công bố thang điểm" in vi
    # a published 922 year keeps its points: 2022 on 922/QĐ-BTTTT (1 000 points)
    assert analysis.distance_to_target(results, "Lai Châu", 45, 2023, era=63, national=False).total_points == 1000


# --------------------------------------------------------------------- 7. rank statements that say something
def test_rank_moves_always_say_something():
    from dtilib.i18n import rank_move_text

    assert rank_move_text(1, 1, 8) == "giữ hạng nhất (1/8), vốn đã đứng đầu"
    assert rank_move_text(1, 1, 8, "en") == "holding first place (1/8), already first"
    assert rank_move_text(5, 5, 8) == "giữ hạng 5/8"
    assert rank_move_text(5, 3, 8) == "từ hạng 5/8 lên 3/8"


def test_points_worth_for_the_first_province_says_it_is_already_first(capsys):
    from dtilib.cli import main

    # dti_results.csv: TP. Đà Nẵng 1/63 in 2022 (0.8002 recomputed from its published main values)
    assert main(["points-worth", "--unit", "Đà Nẵng", "--year", "2022"]) == 0
    out = capsys.readouterr().out
    assert "giữ hạng nhất (1/63), vốn đã đứng đầu" in out
    assert "1/63 → 1/63" not in out and "chưa đủ để tăng bậc" not in out


# ------------------------------------------------------------ 8. one chủ trì per task in the plan workbook
def test_plan_workbook_names_one_lead_agency_per_task(tmp_path):
    import pandas as pd

    from dtilib.effort import best_plan, candidate_actions, read_effort, write_plan
    from dtilib.reporting.params import check

    p = check("04_points_per_effort")                 # report 04: the illustrative Bắc Kạn city data
    plan = best_plan(candidate_actions(p.framework_obj, p.unit_data, p.unit), read_effort(p.effort_file), p.budget,
                     staff_days=p.staff_days)
    x = pd.read_excel(write_plan(plan, tmp_path / "plan.xlsx"), sheet_name=None)
    full, chosen = x["Phụ lục"], x["Nhiệm vụ được chọn"]
    code = chosen["Chỉ số thành phần"].str.split(". ", n=1, regex=False)
    assert not chosen["Đơn vị chủ trì"].eq("(chưa phân công)").any()
    by_name = dict(zip(full["Chỉ số chính/Chỉ số thành phần"], full["Đơn vị chủ trì"], strict=False))
    for (ind, name), lead in zip(code, chosen["Đơn vị chủ trì"], strict=True):
        assert by_name[name] == lead, ind             # the Phụ lục row and the chosen task: the same chủ trì
    tcs05 = chosen.loc[code.str[0] == "tcs_05", "Đơn vị chủ trì"]
    assert tcs05.tolist() == ["Phòng Văn hoá và Thông tin (mặc định)"]      # the default of data/agencies/


# ------------------------------------------------------------------ 9. whole places, one range sign, no 0/0
def test_rank_change_in_whole_places_and_ranges_with_a_dash(results):
    from dtilib.analysis.decompose import _places

    # a Shapley share is the mean of two orders and may end in ½: widened to whole places
    assert _places(-32.5, 13.5, "vi") == "trong khoảng lên 33 đến xuống 14 bậc"
    assert _places(2, 2, "vi") == "xuống 2 bậc"
    vi = analysis.rank_change(results, "Yên Bái", 2021, 2022, national=False).summary("vi")
    # dti_results.csv: Yên Bái 27/63 (2021) → 15/63 (2022), up 12
    assert "hạng 27/63 (2021) → 15/63 (2022), lên 12 bậc" in vi
    assert ",5 bậc" not in vi and " … " not in vi


def test_target_text_without_zero_ends_zero_growth_or_0_of_0(results):
    t = analysis.distance_to_target(results, "Lai Châu", 45, 2025, era=63, national=False)
    vi = t.summary("vi")
    assert "thiếu 0,0000–" not in vi and "0,0000–0," not in vi.split("Giá trị cần")[0]
    # 2020: Lai Châu 50/63, 0.2627 published; rank 45 bounded above by 0.3504 → short by at most 0.0877
    assert "≤ 0,0877" in vi
    assert "tăng +0,0000/năm" not in vi and "sai số chuẩn 0,0000" not in vi
    cb = analysis.distance_to_target(results, "Cao Bằng", 20, 2025, era=34, national=False).summary("vi")
    assert "0/0 lần" not in cb and "chưa ước tính được khả năng đó" in cb     # no 1-year change in the 34-list yet


# ------------------------------------------------------------- 10. reconcile and score notes as readers write
def test_reconcile_numbers_with_the_published_digits_and_percent():
    import pandas as pd

    from dtilib.data.reconcile import summary

    out = pd.DataFrame([
        # dti_national.csv 2021: '+32.7% vs 2020' against 0.4014 / 0.326 − 1 = 23.1288 % (hand)
        {"year": 2021, "unit": "national: provincial_avg", "check": "stated_value_change", "status": "mismatch",
         "published": 32.7, "published_low": 32.65, "published_high": 32.75, "computed": 0.4014 / 0.326 * 100 - 100,
         "computed_low": 22.737003, "computed_high": 23.333333, "detail": "'+32.7% vs 2020': 0.4014 / 0.326 − 1"},
        {"year": 2023, "unit": "Tuyên Quang", "check": "pillar_summaries_feasible", "status": "mismatch",
         "published": 0.6735, "published_low": 0.67345, "published_high": 0.67355, "computed": float("nan"),
         "computed_low": float("nan"), "computed_high": float("nan"), "detail": "no main-indicator points …"}])
    text = summary(out)
    assert "tính được 23,129 % (khoảng [22,737; 23,333]), công bố 32,7 % (khoảng [32,65; 32,75])" in text
    assert "không tính được, công bố 0,6735 (khoảng [0,67345; 0,67355])" in text
    assert "?" not in text


def test_score_note_lists_given_summaries_once_in_vietnamese_numbers(capsys):
    from dtilib.cli import main

    assert main(["score", "--framework", "vn-province-922", "--main-values", str(paths.RAW_DIR / "dti_pillars.csv")]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert "tệp ghi ," not in text and "tệp ghi 0.6683" not in text
    # dti_pillars.csv: Trà Vinh 2022 chính quyền số 0.6683 (its own press release)
    assert "Trà Vinh chinh_quyen_so_pillar: tệp ghi 0,6683" in text
    assert "dòng không ghi giá trị (bỏ qua)" in text
