"""The plan appendix (Excel/CSV, vi/en) and the `dti plan` / `dti actions` / `dti points-worth` commands."""

import re

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from dtilib.cli import main
from dtilib.effort.actions import candidate_actions
from dtilib.effort.optimise import best_plan
from dtilib.effort.plan import plan_table, write_plan
from dtilib.errors import ParameterError

FX = FIXTURES / "effort"
FW = FX / "all_rules.yaml"
UNITS = FX / "units.csv"
EFFORT = FX / "effort.csv"
BK_FW = ROOT / "data" / "examples" / "bac-kan-district-1294-illustrative.yaml"
BK_DATA = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"

VI_COLUMNS = ["STT", "Chỉ số chính", "Chỉ số thành phần", "Điểm tối đa", "Điểm hiện tại", "Điểm mục tiêu",
              "Nhiệm vụ, giải pháp", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn hoàn thành",
              "Thời hạn báo cáo", "Điểm tăng thêm", "Kinh phí dự kiến (triệu đồng)", "Ngày công dự kiến", "Quý thực hiện",
              "Căn cứ ước tính công sức", "Mã hành động"]
EN_COLUMNS = ["No.", "Main indicator", "Sub-indicator", "Max points", "Current points", "Target points", "Action",
              "Lead unit", "Supporting units", "Deadline", "Reporting dates", "Points gained", "Expected cost (million VND)",
              "Expected person-days", "Quarter", "Effort basis", "Action id"]
APPENDIX_EN = ["No.", "Main indicator / sub-indicator", "Max points", "How it is scored", "Current points",
               "Points lost", "Target points", "Task", "Lead agency", "Supporting agencies", "Deadline",
               "Reporting dates", "Points gained", "Expected cost (million VND)", "Expected person-days"]


@pytest.fixture(scope="module")
def plan():
    return best_plan(candidate_actions(FW, UNITS, "A"), EFFORT, 60)


def test_excel_opens_with_pandas_and_has_the_documented_columns(plan, tmp_path):
    out = write_plan(plan, tmp_path / "plan.xlsx")
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["Phụ lục", "Nhiệm vụ được chọn", "Tổng hợp", "Theo chỉ số chính", "Không chọn"]
    full = sheets["Phụ lục"]                          # every sub-indicator of the framework, grouped (tested in
    assert full.columns[0] == "STT"                   # tests/test_plandoc.py)
    app = sheets["Nhiệm vụ được chọn"]
    assert list(app.columns) == VI_COLUMNS
    assert len(app) == len(plan.chosen) and app["STT"].tolist() == list(range(1, len(app) + 1))
    assert (app["Điểm mục tiêu"] - app["Điểm hiện tại"] - app["Điểm tăng thêm"]).abs().max() < 1e-6
    summ = sheets["Tổng hợp"].set_index("Mục")["Giá trị"]
    assert float(summ["Kinh phí được giao"]) == 60
    assert float(summ["Tổng điểm mới"]) == pytest.approx(plan.after["total"], abs=1e-4)
    assert "CÔNG SỨC GIẢ ĐỊNH" in summ["Căn cứ công sức"]          # cqs_03 priced by the defaults


def test_english_headers(plan, tmp_path):
    out = write_plan(plan, tmp_path / "plan_en.xlsx", lang="en")
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["Appendix", "Chosen actions", "Summary", "By main indicator", "Left out"]
    assert list(sheets["Chosen actions"].columns) == EN_COLUMNS
    assert list(sheets["Appendix"].columns) == APPENDIX_EN


def test_csv_output_with_summary_beside_it(plan, tmp_path):
    out = write_plan(plan, tmp_path / "plan.csv", lang="en")
    app = pd.read_csv(out)
    assert list(app.columns) == APPENDIX_EN
    summ = pd.read_csv(tmp_path / "plan.summary.csv")
    assert list(summ.columns) == ["Item", "Value"]
    assert "ASSUMED EFFORT" in " ".join(summ["Value"].astype(str))


def test_deadlines_and_reporting_dates(plan):
    # Bắc Giang: quarterly before the 25th of the quarter's last month, yearly before 20/12
    t = plan_table(plan, lang="en", plan_year=2025, report_day=25, yearly="20/12")
    ends = {1: "31/03/2025", 2: "30/06/2025", 3: "30/09/2025", 4: "31/12/2025"}
    for q, due, rep in zip(t["Quarter"], t["Deadline"], t["Reporting dates"], strict=True):
        assert due == ends[q]
        assert rep.startswith("Quarterly before 25/03/2025") and rep.endswith("yearly before 20/12/2025")
        assert rep.count("/2025") == q + 1              # one date per quarter up to the deadline, + yearly
    # Ninh Thuận default: the 20th
    t = plan_table(plan, lang="vi", plan_year=2025)
    assert t["Thời hạn báo cáo"].str.startswith("Hằng quý trước ngày 20/03/2025").all()


def test_plan_year_defaults_to_the_year_after_the_data(plan):
    # the fixture framework covers 2024 only → plan year 2025
    t = plan_table(plan, lang="en")
    assert t["Deadline"].str.endswith("/2025").all()


def test_lead_and_supporting_units(plan):
    t = plan_table(plan, lang="vi").set_index("Mã hành động")
    lead = t["Đơn vị chủ trì"]
    assert lead["nts_01:met"] == "Văn phòng HĐND và UBND"                      # framework 'responsible'
    cqs01 = [i for i in t.index if i.startswith("cqs_01")]
    assert cqs01 and lead[cqs01[0]] == "Trung tâm Phục vụ hành chính công"     # template column
    assert t.loc[cqs01[0], "Đơn vị phối hợp"] == "Phòng Văn hoá và Thông tin"
    assert (lead.drop(["nts_01:met"] + cqs01) == "(chưa phân công)").all()


def test_bad_dates_are_parameter_errors(plan):
    with pytest.raises(ParameterError, match="report day"):
        plan_table(plan, report_day=31)
    with pytest.raises(ParameterError, match="yearly report date"):
        plan_table(plan, yearly="31/02")
    with pytest.raises(ParameterError, match="unknown language"):
        plan_table(plan, lang="fr")
    with pytest.raises(ParameterError, match=r"cannot write '\.pdf'"):
        write_plan(plan, "plan.pdf")


def _cli(*args):
    return main([str(a) for a in args])


def test_cli_plan_writes_the_appendix(tmp_path, capsys):
    out = tmp_path / "p.xlsx"
    rc = _cli("plan", "--framework", FW, "--unit-data", UNITS, "--unit", "A", "--effort", EFFORT,
              "--budget", 10, "--target-rank", 2, "--out", out)
    assert rc == 0
    printed = capsys.readouterr().out
    # printed in Vietnamese (the default): points +17,50, and the chance of rank 2 of 3 or better
    assert "điểm +17,50 →" in printed and "Khả năng đạt hạng 2/3 trở lên:" in printed
    sheets = pd.read_excel(out, sheet_name=None)
    assert sorted(sheets["Nhiệm vụ được chọn"]["Mã hành động"]) == ["cqs_03:ratio=1", "nts_02:count=3", "nts_03.chair:met"]
    summ = sheets["Tổng hợp"].set_index("Mục")["Giá trị"]
    assert summ["Xếp hạng mục tiêu"] == "2/3"
    assert "Phân bố xếp hạng" in sheets


def test_plan_workbook_rank_sheet_summary_and_codes_in_the_workbook_language(tmp_path):
    for lang, out in (("vi", tmp_path / "vi.xlsx"), ("en", tmp_path / "en.xlsx")):
        assert _cli("plan", "--framework", FW, "--unit-data", UNITS, "--unit", "A", "--effort", EFFORT,
                    "--budget", 10, "--target-rank", 2, "--lang", lang, "--out", out) == 0
    vi = pd.read_excel(tmp_path / "vi.xlsx", sheet_name=None)
    en = pd.read_excel(tmp_path / "en.xlsx", sheet_name=None)
    assert list(vi["Phân bố xếp hạng"].columns) == ["Xếp hạng", "Xác suất đạt đúng hạng này",
                                                    "Xác suất đạt hạng này trở lên"]
    assert list(en["Rank distribution"].columns) == ["Rank", "Probability of this rank",
                                                     "Probability of this rank or better"]
    summ = vi["Tổng hợp"].set_index("Mục")["Giá trị"]
    assert summ["Mô phỏng"] == "10\u202f000 lần mô phỏng, hạt giống ngẫu nhiên (seed) 0"
    said = " ".join(summ.astype(str))
    assert "các đơn vị khác: các đơn vị được chấm cùng, giữ nguyên" in said          # the simulation's assumptions
    assert "nhiệm vụ: chi phí ngẫu nhiên theo phân phối tam giác" in said
    assert not re.search(r"\b(draws|peers|actions:|triangular)\b", said)
    assert "peers: the other units scored together" in " ".join(en["Summary"]["Value"].astype(str))
    # main indicators and rules as labels, not ids
    assert vi["Theo chỉ số chính"]["Chỉ số chính"].tolist() == ["Nhận thức số", "Chính quyền số", "Kinh tế số"]
    left = vi["Không chọn"].set_index("Mã hành động")
    assert left.loc["nts_01:met", "Chỉ số chính"] == "Nhận thức số"
    assert left.loc["nts_01:met", "Cách tính điểm"] == "Đạt / không đạt"
    assert left.loc["cqs_01:ratio=0.5", "Cách tính điểm"] == "Tỷ lệ có ngưỡng"
    cells = " ".join(" ".join(f.astype(str).to_numpy().ravel()) for f in (vi["Theo chỉ số chính"], vi["Không chọn"]))
    assert not re.search(r"nhan_thuc_so|chinh_quyen_so|linear_capped|count_steps|binary", cells)
    assert en["Left out"].set_index("Action id").loc["nts_01:met", "Scoring rule"] == "Binary"


@pytest.mark.parametrize("extra, match", [
    (["--budget", "-5"], "budget -5 is negative"),
    (["--budget", "10", "--target-rank", "4"], r"target rank 4 is outside 1..3"),
    (["--budget", "10", "--target-rank", "0"], r"target rank 0 is outside 1..3"),
    (["--budget", "10", "--report-day", "31"], "report day"),
])
def test_cli_bad_input_exits_2(tmp_path, capsys, extra, match):
    rc = _cli("plan", "--framework", FW, "--unit-data", UNITS, "--unit", "A", "--effort", EFFORT,
              "--out", tmp_path / "p.xlsx", *extra)
    assert rc == 2
    assert pytest.importorskip("re").search(match, capsys.readouterr().err)
    assert not (tmp_path / "p.xlsx").exists()


def test_cli_unknown_unit_and_bad_effort_exit_2(tmp_path, capsys):
    rc = _cli("plan", "--framework", FW, "--unit-data", UNITS, "--unit", "Z", "--budget", 1, "--out", tmp_path / "p.xlsx")
    assert rc == 2 and "unit 'Z' is not in" in capsys.readouterr().err
    bad = tmp_path / "e.csv"
    bad.write_text("indicator,rule,fixed_cost_likely\nnts_01,,-1\n", encoding="utf-8")
    rc = _cli("plan", "--framework", FW, "--unit-data", UNITS, "--unit", "A", "--effort", bad, "--budget", 1,
              "--out", tmp_path / "p.xlsx")
    err = capsys.readouterr().err
    assert rc == 2 and "e.csv, row 2, column 'fixed_cost_likely'" in err


def test_cli_actions_and_points_worth(tmp_path, capsys):
    out = tmp_path / "a.csv"
    assert _cli("actions", "--framework", FW, "--unit-data", UNITS, "--unit", "A", "--effort", EFFORT,
                "--out", out) == 0
    a = pd.read_csv(out)
    assert {"action_id", "gain", "cost_likely", "ppe_likely", "peer_delta"} <= set(a.columns)
    assert "B: -5.0000" in " ".join(a["peer_delta"].dropna())
    # a workbook is for a reader: the printed columns with their headers, in the printed order, numbers kept
    assert _cli("actions", "--framework", FW, "--unit-data", UNITS, "--unit", "A", "--effort", EFFORT,
                "--out", tmp_path / "a.xlsx") == 0
    book = pd.read_excel(tmp_path / "a.xlsx", sheet_name=None)
    sheet = book["Hành động đề xuất"]
    assert list(book) == ["Hành động đề xuất"] and list(sheet.columns[:3]) == ["Mã hành động", "Điểm tăng",
                                                                               "Chi phí thấp"]
    assert sheet["Điểm/chi phí"].is_monotonic_decreasing and len(sheet) == len(a)
    first = a.loc[a["action_id"] == sheet.at[0, "Mã hành động"]].iloc[0]
    assert sheet.at[0, "Điểm tăng"] == pytest.approx(first["gain"]) and sheet.at[0, "Mô tả"] == first["description_vi"]
    capsys.readouterr()
    res = tmp_path / "results.csv"
    pd.DataFrame({"year": 2023, "era": 63, "unit": ["U1", "X", "U3"], "unit_slug": ["u1", "x", "u3"],
                  "dti_value": [0.8, 0.5, 0.45], "rank": [1, 2, 3], "rank_of": 3, "framework": "f",
                  "origin": "published"}).to_csv(res, index=False)
    assert _cli("points-worth", "--unit", "X", "--year", 2023, "--results", res, "--lang", "en",
                "--points", 310, "--target-rank", 1) == 0
    printed = capsys.readouterr().out
    # X 0.5 (rank 2 of 3). +310 points is capped at each indicator's max (922: 100/200/150): the best is
    # digital government, 200/1000 = +0.2000 → 0.7000, still below U1's 0.8 → rank 2, P(rank 1) = 0 %
    assert "Most useful: Digital government activities, 200.00 more points add +0.2000 to the DTI (to 0.7000): " \
           "staying at rank 2/3 (not enough to move up)" in printed
    assert "Chance of rank 1/3 or better: 0% → 0%." in printed
    # the table row: max 150, 150 points, indicator +1.0000, DTI +150/1000, rank after 2/3, P 0 %
    assert re.search(r"Digital economy activities\s+150\s+150\.00\s+\+1\.0000\s+\+0\.1500\s+2/3\s+0%", printed)
    assert _cli("points-worth", "--unit", "X", "--year", 2023, "--results", res, "--target-rank", 4) == 2
    assert _cli("points-worth", "--unit", "Nowhere", "--year", 2023, "--results", res) == 2


@pytest.mark.skipif(not (BK_FW.exists() and BK_DATA.exists()), reason="illustrative Bắc Kạn data not built")
def test_bac_kan_illustrative_plan_is_labelled(tmp_path):
    out = tmp_path / "bk.xlsx"
    assert _cli("plan", "--framework", BK_FW, "--unit-data", BK_DATA, "--unit", "Thành phố Bắc Kạn",
                "--budget", 200, "--out", out) == 0
    summ = pd.read_excel(out, sheet_name="Tổng hợp").set_index("Mục")["Giá trị"]
    assert summ["Lưu ý"].startswith("MINH HOẠ")
    assert int(summ["Năm kế hoạch"]) == 2024        # the framework scores 2023 → plan for 2024, as seed 000


def test_plan_from_a_filled_excel_template(tmp_path):
    # the template format (dti template): fill unit A's values from units.csv, write .xlsx, plan from it
    from dtilib.templates import template_frame

    fill, _ = template_frame(FW, unit="A")
    vals = pd.read_csv(UNITS, dtype=str, keep_default_na=False)
    vals = vals[vals["unit"] == "A"].set_index(["indicator", "input"])["value"]
    fill["value"] = [vals[(i, n)] for i, n in zip(fill["indicator"], fill["input"], strict=True)]
    fill.loc[fill["indicator"] == "cqs_02", "responsible"] = "Phòng Văn hoá và Thông tin"
    xlsx = tmp_path / "A.xlsx"
    fill.to_excel(xlsx, index=False)
    out = tmp_path / "plan.xlsx"
    assert _cli("plan", "--framework", FW, "--unit-data", xlsx, "--unit", "A", "--effort", EFFORT,
                "--budget", 500, "--lang", "en", "--out", out) == 0
    app = pd.read_excel(out, sheet_name="Chosen actions").set_index("Action id")
    assert "cqs_02:level=personalised" in app.index
    assert app.loc["cqs_02:level=personalised", "Lead unit"] == "Phòng Văn hoá và Thông tin"
    full = pd.read_excel(out, sheet_name="Appendix")
    row = full[full["Main indicator / sub-indicator"].astype(str).str.startswith("Virtual assistant")]
    assert row["Lead agency"].tolist() == ["Phòng Văn hoá và Thông tin"]     # the template's column wins
    # unit A alone: min–max items have no peers, and the summary says so
    summ = pd.read_excel(out, sheet_name="Summary").set_index("Item")["Value"]
    assert any("NO peers" in str(v) for v in summ.to_numpy())


def test_left_out_details_follow_the_language(tmp_path):
    # the illustrative Bắc Kạn city data at budget 200: several actions are over budget
    p = best_plan(candidate_actions(BK_FW, BK_DATA, "Thành phố Bắc Kạn"), None, 200)
    vi = pd.read_excel(write_plan(p, tmp_path / "vi.xlsx"), sheet_name="Không chọn")
    en = pd.read_excel(write_plan(p, tmp_path / "en.xlsx", lang="en"), sheet_name="Left out")
    over_vi = vi[vi["Lý do không chọn"] == "vượt kinh phí"]["Chi tiết"]
    assert len(over_vi) and over_vi.str.contains("ngân sách|sau kế hoạch còn").all()
    assert not vi["Chi tiết"].fillna("").str.contains("costs|left after|chosen for").any()
    assert en["Detail"].fillna("").str.contains("costs").any()
    # the reasons in words of the workbook's language (codes such as "over budget" are the library's)
    assert "over the budget" in set(en["Why left out"]) and "over budget" not in set(en["Why left out"])
    assert not en.astype(str).apply(lambda c: c.str.contains("vượt|ngân sách|không tăng")).any().any()
