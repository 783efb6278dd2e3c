"""`dti framework import`: real framework tables (sources in docs/framework-sources.md) → framework YAML.

Expected rules and points are read off the documents (fixtures in tests/fixtures/framework_docs/, each
with its source on its first lines) and computed by hand in the comments.
"""

from pathlib import Path

import pandas as pd
import pytest
import yaml

import dtilib
from dtilib.cli import main
from dtilib.errors import DataError
from dtilib.frameworks.document import import_document
from dtilib.frameworks.recognise import recognise

DOCS = Path(__file__).parent / "fixtures" / "framework_docs"
TVPL = DOCS / "district_tvpl_bulletin.md"
CAO_LANH = DOCS / "dong_thap_cao_lanh_district.csv"
NINH_THUAN = DOCS / "ninh_thuan_vpub_2023_appendix.txt"


def _load(res, tmp_path, name="fw.yaml"):
    path = tmp_path / name
    path.write_text(res.to_yaml(), encoding="utf-8")
    return dtilib.load_framework(path)


def _points(fw, rows):
    df = pd.DataFrame(rows, columns=["unit", "indicator", "input", "value"])
    res = dtilib.score(fw, df)
    return {(r.unit, r.indicator): r.points for r in res.sub.itertuples()}


def _subs(res):
    return {s["code"]: s for s in res.framework["sub_indicators"]}


# ── seed 001 (Ninh Thuận provincial office, appendix built on 922) → the rules vn-province-922 holds ──

def test_seed001_appendix_gives_the_922_rules():
    res = import_document(NINH_THUAN, id="ninh-thuan-vpub-2023")
    imported = {" ".join(s["name_vi"].split()): s for s in res.framework["sub_indicators"]}
    fw922 = yaml.safe_load((Path(dtilib.__file__).parent / "frameworks" / "vn-province-922.yaml").read_text("utf-8"))
    known = [s for s in fw922["sub_indicators"] if s["rule"] != "unknown"]
    assert len(known) == 10
    for ref in known:
        got = imported[" ".join(ref["name_vi"].split())]
        assert got["rule"] == ref["rule"], ref["id"]
        assert got["max_points"] == ref["max_points"], ref["id"]
        assert got.get("formula") == ref.get("formula"), ref["id"]
        assert set(got.get("inputs", {})) == set(ref.get("inputs", {})), ref["id"]
        if ref["rule"] == "tiered":  # tier names differ (the document's words vs English ids); the shares agree
            assert sorted(got["params"]["tiers"].values()) == sorted(ref["params"]["tiers"].values())
        else:
            assert got.get("params", {}) == ref.get("params", {}), ref["id"]
        assert got["recognised_from"]
    assert (res.n_recognised, res.n_sub, res.points_recognised, res.points_total) == (10, 10, 105, 105)
    # the appendix gives no max for its three main-indicator rows: reported, left unknown
    assert [d["kind"] for d in res.disagreements] == ["no_max"] * 3
    assert any("Số lượng thủ tục hành chính" in s["text"] and s["why"] == "outside" for s in res.skipped)  # section A "thông tin chung": no points


def test_seed001_scored_by_hand(tmp_path):
    fw = _load(import_document(NINH_THUAN, id="ninh-thuan-vpub-2023"), tmp_path)
    p = _points(fw, [
        ["A", "I.1", "value", "có"],                 # policy issued → 10
        ["A", "III.1", "a", "50"], ["A", "III.1", "b", "50"],   # 100 % → 10 (all or nothing)
        ["B", "III.1", "a", "49"], ["B", "III.1", "b", "50"],   # 98 % → 0
        ["A", "III.2", "a", "30"], ["A", "III.2", "b", "40"],   # 30/40 × 10 = 7.5
        ["A", "III.5", "a", "1000"], ["A", "III.5", "b", "300"], ["A", "III.5", "c", "100"],  # 0.4/0.8 × 20 = 10
        ["A", "III.7", "level", "Đã triển khai và chưa cá thể hóa theo nhu cầu của cá nhân"],  # ½ × 10 = 5
        ["B", "III.7", "level", "t1"],               # by tier code → 10
        ["A", "II.2", "a", "2"], ["A", "II.2", "b", "10"],       # 0.2
        ["B", "II.2", "a", "1"], ["B", "II.2", "b", "10"],       # 0.1 → min-max: A 10, B 0
    ])
    assert p[("A", "sI_1")] == 10
    assert p[("A", "sIII_1")] == 10 and p[("B", "sIII_1")] == 0
    assert p[("A", "sIII_2")] == pytest.approx(7.5)
    assert p[("A", "sIII_5")] == pytest.approx(10)
    assert p[("A", "sIII_7")] == 5 and p[("B", "sIII_7")] == 10
    assert p[("A", "sII_2")] == pytest.approx(10) and p[("B", "sII_2")] == pytest.approx(0)


# ── a district table from a provincial decision (thuvienphapluat.vn bulletin): pipe table, continuation rows ──

def test_district_table_with_continuation_rows(tmp_path):
    res = import_document(TVPL, id="district-tvpl")
    subs = _subs(res)
    assert list(subs) == ["1.1", "1.2", "1.3"]
    assert subs["1.1"]["rule"] == "count_steps"
    assert subs["1.1"]["params"] == {"steps": {1: 5, 2: 10, 3: 15, 4: 20}}
    for code in ("1.2", "1.3"):
        assert subs[code]["rule"] == "linear" and subs[code]["formula"] == "a/b"
        assert subs[code]["inputs"]["b"].startswith("Tổng số")  # inputs keep their Vietnamese meaning
    assert (res.n_recognised, res.points_recognised) == (3, 60)
    # only rows 1.1–1.3 are transcribed: the document's group max (100) is reported, not changed
    assert res.disagreements[0]["kind"] == "sub_sum"
    assert (res.disagreements[0]["sum"], res.disagreements[0]["stated"]) == (60, 100)
    fw = _load(res, tmp_path)
    assert fw.main.iloc[0]["max_points"] == 100
    p = _points(fw, [["X", "1.1", "count", "3"],                          # 3 meetings → 15
                     ["X", "1.2", "a", "3"], ["X", "1.2", "b", "4"],      # 3/4 × 20 = 15
                     ["X", "s1_3", "a", "2"], ["X", "s1_3", "b", "2"],    # 2/2 × 20 = 20 (by id)
                     ["Y", "1.1", "count", "0"]])                         # còn lại → 0
    assert (p[("X", "s1_1")], p[("X", "s1_2")], p[("X", "s1_3")], p[("Y", "s1_1")]) == (15, 15, 20, 0)


# ── Đồng Tháp (Cao Lãnh portal): tiers as fractions of max, additive halves, points written "10đ" ──

def test_dong_thap_tiers_and_parts(tmp_path):
    res = import_document(CAO_LANH, id="dong-thap-district")
    subs = _subs(res)
    assert subs["1.1"]["rule"] == "tiered"
    assert subs["1.1"]["params"]["tiers"] == {"t1": 1, "t2": 0.5, "t3": 0}
    assert subs["1.1"]["params"]["labels"]["t2"].startswith("Trưởng ban là Phó Bí thư")
    assert subs["1.2"]["rule"] == "additive"
    assert [(p["id"], p["points"], p["rule"]) for p in subs["1.2"]["params"]["parts"]] == [
        ("p1", 5, "binary"), ("p2", 5, "binary")]
    fw = _load(res, tmp_path)
    p = _points(fw, [["X", "1.1", "level", "t2"],                              # Phó Bí thư → ½ × 10 = 5
                     ["X", "1.2", "p1", "1"], ["X", "1.2", "p2", "0"],         # attends, does not chair → 5
                     ["Y", "1.1", "level", "trưởng ban là bí thư/chủ tịch huyện, thành phố"],  # label, any case → 10
                     ["Y", "1.2", "p1", "có"], ["Y", "1.2", "p2", "có"]])      # → 10
    assert (p[("X", "s1_1")], p[("X", "s1_2")], p[("Y", "s1_1")], p[("Y", "s1_2")]) == (5, 5, 10, 10)


# ── a commune table (Thanh Hóa, 2022, as in Nông Cống's self-assessment): two-row header, letter row, groups ──

def test_commune_table_two_row_header_and_self_assessment(tmp_path):
    res = import_document(DOCS / "thanh_hoa_nong_cong_commune_2022.md", id="thanh-hoa-commune")
    fw_doc = res.framework
    assert fw_doc["level"] == "commune"                    # "… CẤP XÃ …" in the title
    main1 = fw_doc["main_indicators"][0]
    assert (main1["code"], main1["max_points"], main1["group"]) == ("1", 100, "Nhóm chỉ số chung")
    s = _subs(res)["1.1"]
    assert s["rule"] == "tiered" and s["params"]["tiers"] == {"t1": 1, "t2": 0.5, "t3": 0}
    # the town scored itself 20 of 20 ("Điểm tự chấm"): head of the steering committee at the top level
    fw = _load(res, tmp_path)
    p = _points(fw, [["Nông Cống", "1.1", "level", "Trưởng ban là Bí thư/Chủ tịch cấp xã (cấp Trưởng)"],
                     ["Xã B", "1.1", "level", "t2"]])                   # deputy → ½ × 20 = 10
    assert (p[("Nông Cống", "s1_1")], p[("Xã B", "s1_1")]) == (20, 10)


# ── Word and Excel: merged cells, multi-line cells, title rows, 1.1.1 levels, a) b) parts ──

def _docx_from_rows(path, rows, merge_scoring_of_main=True):
    import docx

    d = docx.Document()
    d.add_paragraph("PHỤ LỤC\nBỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CẤP XÃ")
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.cell(r, c).text = text
    if merge_scoring_of_main:
        table.cell(1, 3).merge(table.cell(1, 4))  # a main-indicator row whose last cells are merged
    # the STT and name cells of 1.2 merged downwards over its continuation row
    table.cell(3, 0).merge(table.cell(4, 0))
    table.cell(3, 1).merge(table.cell(4, 1))
    table.cell(3, 2).merge(table.cell(4, 2))
    d.save(path)


def test_docx_with_merged_and_multiline_cells(tmp_path):
    rows = [["STT", "Chỉ số / Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm", "Ghi chú"],
            ["1", "Nhận thức số", "30", "", ""],
            ["1.1", "Ban chỉ đạo họp trong năm", "20",
             "BCĐ họp 4 lần/năm: 20 điểm\nBCĐ họp 2 lần/năm: 10 điểm\nCòn lại: 0 điểm", ""],
            ["1.2", "Chuyên mục chuyển đổi số", "10", "Có: Điểm tối đa", ""],
            ["", "", "", "Không: 0 điểm", ""]]
    path = tmp_path / "xa.docx"
    _docx_from_rows(path, rows)
    res = import_document(path, id="xa-docx")
    subs = _subs(res)
    assert subs["1.1"]["params"] == {"steps": {2: 10, 4: 20}}
    assert subs["1.2"]["rule"] == "binary"          # "Không: 0 điểm" came from the merged continuation row
    assert res.framework["level"] == "commune"      # read from the title
    assert res.disagreements == []
    assert res.framework["main_indicators"][0]["n_sub_indicators"] == 2


def test_xlsx_title_rows_levels_and_parts(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Phu luc"
    ws.append(["BỘ CHỈ SỐ ĐÁNH GIÁ CHUYỂN ĐỔI SỐ CẤP HUYỆN NĂM 2024"])
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["TT", "Nội dung chỉ số", "ĐIỂM TỐI ĐA", "Phương pháp tính điểm"])   # other header words, capitals
    ws.append(["(1)", "(2)", "(3)", "(4)"])
    ws.append(["1", "Hạ tầng số", 40, None])
    ws.append(["1.1", "Mạng", 25, None])
    ws.append(["1.1.1", "Cáp quang", 15, "Tỷ lệ ≥ 90%: Điểm tối đa; Tỷ lệ < 90%: Tỷ lệ/90%*Điểm tối đa"])
    ws.append(["1.1.2", "Wifi công cộng", 10, "Đã triển khai: Điểm tối đa; Chưa triển khai: 0 điểm"])
    ws.append(["1.2", "Nền tảng", 15, None])
    ws.append(["a)", "Có nền tảng họp trực tuyến", 5, "Có: Điểm tối đa; Không: 0 điểm"])
    ws.append(["b)", "Có hệ thống quản lý văn bản", 10, "Có: Điểm tối đa; Không: 0 điểm"])
    ws.append(["Tổng cộng", None, 40, None])
    path = tmp_path / "huyen.xlsx"
    wb.save(path)
    res = import_document(path, id="huyen-xlsx")
    subs = _subs(res)
    assert list(subs) == ["1.1.1", "1.1.2", "1.2"]
    assert subs["1.1.1"]["rule"] == "linear_capped" and subs["1.1.1"]["params"] == {"threshold": 0.9}
    assert subs["1.2"]["rule"] == "additive"
    assert [p["points"] for p in subs["1.2"]["params"]["parts"]] == [5, 10]
    assert res.framework["total_points"] == 40 and res.framework["level"] == "district"
    assert res.framework["years"] == [2024, None]
    assert "sheet 'Phu luc', row 7" in subs["1.1.1"]["source"]


# ── recognition of each phrasing the issue lists, and honest unknowns ──

@pytest.mark.parametrize("text,max_points,rule,params", [
    ("Tỷ lệ ≥ 90%: điểm tối đa; Tỷ lệ < 90%: Tỷ lệ/90%*Điểm tối đa", 10, "linear_capped", {"threshold": 0.9}),
    ("Tỷ lệ = 100%: Điểm tối đa; Tỷ lệ < 100%: 0 điểm", 10, "all_or_nothing", {"threshold": 1.0}),
    ("Tỷ lệ từ 90% trở lên: Điểm tối đa; Tỷ lệ dưới 90%: (Tỷ lệ/90%) x Điểm tối đa", 10, "linear_capped",
     {"threshold": 0.9}),
    ("≥ 90%: điểm tối đa; < 90%: 0 điểm", 10, "all_or_nothing", {"threshold": 0.9}),
    ("Đạt 100%: Điểm tối đa; Dưới 100%: 0 điểm", 10, "all_or_nothing", {"threshold": 1.0}),
    ("Điểm = Tỷ lệ x Điểm tối đa", 10, "unknown", {}),                  # no ratio defined: not a share we can score
    ("a = Số hồ sơ trực tuyến; b = Tổng số hồ sơ\n- Tỷ lệ = a/b\n- Tỷ lệ × Điểm tối đa", 10, "linear", {}),
    ("Có: Điểm tối đa. Không: 0", 10, "unknown", {}),                     # "0" without "điểm": not a points phrase
    ("- Có: Điểm tối đa\n- Không: 0 điểm", 10, "binary", {}),
    ("CO: DIEM TOI DA; KHONG: 0 DIEM", 5, "binary", {}),                  # no diacritics, capitals
    ("Điểm = (r − r_min)/(r_max − r_min) * Điểm tối đa", 10, "min_max", {"lower": "observed"}),
    ("Đạt mức 1: Điểm tối đa; Đạt mức 2: 1/2*Điểm tối đa; Đạt mức 3: 1/4*Điểm tối đa; Không đạt: 0 điểm", 8,
     "tiered", None),
    ("Họp 2 lần/năm: 10 điểm; họp 1 lần/năm: 5 điểm; còn lại: 0 điểm", 10, "count_steps", {"steps": {1: 5, 2: 10}}),
    ("Đánh giá theo mức độ hài lòng chung của Hội đồng", 10, "unknown", {}),
])
def test_recognise_phrasings(text, max_points, rule, params):
    got = recognise(text, max_points)
    assert got["rule"] == rule
    if rule != "unknown":
        assert got["recognised_from"]
        if params is not None:
            assert got.get("params", {}) == params
    else:
        assert "recognised_from" not in got


def test_share_phrase_without_scoring_stays_unknown():
    # a and b are defined and the ratio is given, but no phrase says how the ratio becomes points
    assert recognise("a = Số hồ sơ; b = Tổng số hồ sơ; Tỷ lệ = a/b", 10) == {"rule": "unknown"}


def test_unknown_keeps_verbatim_text(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("STT,Chỉ số thành phần,Điểm tối đa,Cách tính điểm\n1,Nhận thức số,10,\n"
                 "1.1,Tuyên truyền,10,Hội đồng đánh giá theo thực tế\n", encoding="utf-8")
    res = import_document(p, id="t")
    s = res.framework["sub_indicators"][0]
    assert s["rule"] == "unknown" and s["source_text"] == "Hội đồng đánh giá theo thực tế"
    assert res.unknowns == [("1.1", "Tuyên truyền", 10)]
    assert (res.n_recognised, res.points_recognised, res.points_total) == (0, 0, 10)


# ── CLI ──

def test_cli_prints_coverage_and_writes(tmp_path, capsys):
    out = tmp_path / "fw.yaml"
    assert main(["framework", "import", str(TVPL), "--id", "district-tvpl", "--level", "district",
                 "--years", "2023", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Nhận dạng cách tính điểm: 3 trên 3 chỉ số thành phần, 60,0 trên 60,0 điểm" in text
    assert "các chỉ số thành phần cộng lại 60,0 điểm, văn bản ghi 100,0" in text
    fw = dtilib.load_framework(out)
    assert fw.level == "district" and fw.years == (2023, None)
    assert main(["framework", "import", str(CAO_LANH), "--id", "x", "--out", str(out), "--lang", "en"]) == 0
    assert "Scoring rules recognised: 2 of 2 sub-indicators, 20.0 of 20.0 points" in capsys.readouterr().out


def test_points_not_a_number_names_the_cell(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("STT,Chỉ số thành phần,Điểm tối đa\n1,Nhận thức số,mười\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2, column 'Điểm tối đa': points 'mười' are not a number"):
        import_document(p, id="t")


@pytest.mark.slow
def test_xls_via_libreoffice(tmp_path):
    """An old-format .xls (made here by LibreOffice from an .xlsx) is read with xlrd."""
    import shutil
    import subprocess

    import openpyxl

    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice is not installed")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "PL"
    ws.append(["STT", "Chỉ số thành phần", "Điểm tối đa", "Cách xác định và tính điểm"])
    ws.append(["1", "Nhận thức số", 10, None])
    ws.append(["1.1", "Chuyên mục", 10, "Có: Điểm tối đa; Không: 0 điểm"])
    wb.save(tmp_path / "t.xlsx")
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to", "xls",
                    "--outdir", str(tmp_path), str(tmp_path / "t.xlsx")], check=True, capture_output=True, timeout=180)
    res = import_document(tmp_path / "t.xls", id="x")
    s = res.framework["sub_indicators"][0]
    assert (s["rule"], s["max_points"], s["source"]) == ("binary", 10, "t.xls, sheet 'PL', row 3")


def test_cli_lists_the_unknowns(tmp_path, capsys):
    doc = tmp_path / "t.txt"
    doc.write_text("STT\tChỉ số thành phần\tĐiểm tối đa\tCách tính điểm\n1\tNhận thức số\t30\t\n"
                   "1.1\tTuyên truyền\t10\tHội đồng đánh giá theo thực tế\n"
                   "1.2\tChuyên mục\t20\tCó: Điểm tối đa; Không: 0 điểm\n", encoding="utf-8")
    assert main(["framework", "import", str(doc), "--id", "t", "--out", str(tmp_path / "t.yaml")]) == 0
    out = capsys.readouterr().out
    assert "1 trên 2 chỉ số thành phần, 20,0 trên 30,0 điểm" in out
    assert "Chưa nhận dạng" in out and "1.1  Tuyên truyền (10,0 điểm)" in out
