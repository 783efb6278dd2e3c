"""Commune scale: a list of a province's communes → one template → one score table → one report each."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from conftest import EXAMPLE_FW
from dtilib.errors import DataError
from dtilib.templates import header_aliases
from dtilib.units import read_unit_list

DTI = [sys.executable, "-m", "dtilib.cli"]
COMMUNES = "unit,province\nXã Tân Lập,Lai Châu\nPhường Đoàn Kết,lai chau\nXã Bình Lư,Tỉnh Lai Châu\n"
# filled values and the points they give under tests/fixtures/example_commune.yaml, by hand:
#   nts_01 binary (20), nts_02 count_steps {1: 5, 2: 10, 3: 15, 4: 20}, cqs_01 b/a linear to 0.8 (40),
#   cqs_02 tiers {personalised: 1, deployed: 0.5, none: 0} (20)
VALUES = {  # unit: (nts_01, nts_02, a, b, cqs_02) → total
    "Xã Tân Lập": (("1", "2", "100", "40", "deployed"), 20 + 10 + 40 * 0.4 / 0.8 + 10),   # 60
    "Phường Đoàn Kết": (("0", "4", "50", "50", "personalised"), 0 + 20 + 40 + 20),          # 80
    "Xã Bình Lư": (("1", "0", "10", "0", "none"), 20 + 0 + 0 + 0),                          # 20
}


def _fill(template, values=VALUES):
    t = pd.read_csv(template, dtype=str, keep_default_na=False).rename(columns=header_aliases())  # vi headers
    where = {("nts_01", "value"): 0, ("nts_02", "count"): 1, ("cqs_01", "a"): 2, ("cqs_01", "b"): 3,
             ("cqs_02", "level"): 4}
    t["value"] = [values[u][0][where[(i, n)]] for u, i, n in zip(t["unit"], t["indicator"], t["input"], strict=True)]
    return t


def test_one_template_for_all_communes_then_one_score_each(tmp_path):
    (tmp_path / "communes.csv").write_text(COMMUNES, encoding="utf-8")
    r = subprocess.run(DTI + ["template", "--framework", str(EXAMPLE_FW), "--units", "communes.csv",
                              "--province", "Lai Chau", "--out", "all.csv"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "(3 đơn vị)" in r.stdout
    t = pd.read_csv(tmp_path / "all.csv", dtype=str, keep_default_na=False).rename(columns=header_aliases())
    assert list(dict.fromkeys(t["unit"])) == list(VALUES) and len(t) == 3 * 5   # 5 inputs per commune
    _fill(tmp_path / "all.csv").to_csv(tmp_path / "filled.csv", index=False)
    r = subprocess.run(DTI + ["score", "--framework", str(EXAMPLE_FW), "--inputs", "filled.csv", "--out", "s.csv"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr
    s = pd.read_csv(tmp_path / "s.csv").set_index("unit")
    assert s["points"].to_dict() == pytest.approx({u: v[1] for u, v in VALUES.items()})
    assert s.loc["Phường Đoàn Kết", "rank"] == 1 and s.loc["Xã Bình Lư", "rank"] == 3


def test_a_commune_listed_twice_after_name_folding_is_an_error_naming_both_rows(tmp_path):
    f = tmp_path / "communes.csv"
    f.write_text(COMMUNES + "Xã Nậm Loỏng,Lai Châu\nxa  tan lap,Lai Chau\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_unit_list(f)
    assert str(err.value) == (f"{f}, row 6, column 'unit': 'xa tan lap' is the same unit as 'Xã Tân Lập' in "
                              "row 2 once case, diacritics, spaces and the commune or ward prefix are ignored "
                              "(expected one row per unit)")
    # the same name in two provinces is two communes; a province no one knows is named with its row
    f.write_text("unit,province\nXã Tân Lập,Lai Châu\nXã Tân Lập,Tuyên Quang\n", encoding="utf-8")
    assert len(read_unit_list(f)) == 2 and len(read_unit_list(f, province="Tuyên Quang")) == 1
    f.write_text("unit,province\nXã Tân Lập,Lai Chou\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 2, column 'province': .*Lai Châu"):
        read_unit_list(f)
    r = subprocess.run(DTI + ["template", "--framework", str(EXAMPLE_FW), "--units", str(f), "--out",
                              str(tmp_path / "t.xlsx")], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "Traceback" not in r.stderr and not (tmp_path / "t.xlsx").exists()


@pytest.mark.slow
def test_reports_over_a_file_of_communes_and_one_broken_commune_file(tmp_path):
    from dtilib.reporting.batch import run_batch, unit_jobs

    (tmp_path / "communes.csv").write_text(COMMUNES, encoding="utf-8")
    from dtilib.templates import write_template

    write_template(EXAMPLE_FW, tmp_path / "all.csv", units=list(VALUES))
    filled = _fill(tmp_path / "all.csv")
    filled.to_csv(tmp_path / "filled.csv", index=False)
    jobs = unit_jobs("03", base={"unit_file": str(tmp_path / "filled.csv"), "framework": str(EXAMPLE_FW)})
    assert [j["parameters"]["unit"] for j in jobs] == list(VALUES)
    # one file per commune, one of them broken: only its report fails
    units = tmp_path / "units"
    units.mkdir()
    filled[filled["unit"] == "Xã Tân Lập"].to_csv(units / "tan-lap.csv", index=False)
    broken = filled[filled["unit"] == "Xã Bình Lư"].copy()
    broken.loc[broken["indicator"] == "nts_02", "value"] = "ba"
    broken.to_csv(units / "binh-lu.csv", index=False)
    jobs += unit_jobs("03", units_dir=units, base={"framework": str(EXAMPLE_FW)})
    results = run_batch(jobs, out_dir=tmp_path / "out", max_workers=2, progress=False)
    status = {r["key"]: (r["status"], r["error"]) for r in results}
    assert [s for s, _ in status.values()].count("ok") == 4, status
    st, error = status["03_unit_gap_analysis/binh-lu"]
    assert st == "failed" and error.startswith("DataError:") and "binh-lu.csv, row" in error and "'value'" in error
    page = (tmp_path / "out" / "03_unit_gap_analysis" / "phuong-doan-ket.html").read_text(encoding="utf-8")
    assert "Phường Đoàn Kết" in page
    recorded = json.loads((tmp_path / "out" / "status.json").read_text(encoding="utf-8"))["reports"]
    assert recorded["03_unit_gap_analysis/binh-lu"]["error"] == error
    assert "binh-lu.csv" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")


# ------------------------------------------------------- round 5: names of one commune written two ways
def _xlsx(path, rows):
    import openpyxl

    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


@pytest.mark.parametrize("a, b", [("Tân Uyên", "Xã Tân Uyên"), ("P. Đoàn Kết", "Phường Đoàn Kết"),
                                  ("Phuong Doan Ket", "Phường Đoàn Kết"), ("TT.Tân Uyên", "Thị trấn Tân Uyên"),
                                  ("Đặc khu Cô Tô", "cô tô"), ("X. Bình Lư", "xa binh lu")])
def test_the_commune_prefix_and_its_abbreviation_are_ignored(tmp_path, a, b):
    f = tmp_path / "ds.csv"
    f.write_text(f"unit\n{a}\n{b}\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"row 3, column 'unit': '{b}' is the same unit as '{a}' in row 2 "):
        read_unit_list(f)


def test_different_prefixes_or_a_name_starting_like_a_prefix_are_different_units(tmp_path):
    # a commune and a ward of one name are two units; "Xà" (with its accent) is part of the name, not "Xã"
    f = tmp_path / "ds.csv"
    f.write_text("unit\nXã Đoàn Kết\nPhường Đoàn Kết\nXà Phìn\nXã Phìn\n", encoding="utf-8")
    assert read_unit_list(f)["unit"].tolist() == ["Xã Đoàn Kết", "Phường Đoàn Kết", "Xà Phìn", "Xã Phìn"]


def test_a_list_under_a_title_with_vietnamese_headers(tmp_path):
    # the analyst's ds_vi.xlsx: a title row, a blank row, then "STT, Tên đơn vị, Tỉnh"; names shown as written,
    # spaces collapsed; rows are the file's rows
    f = _xlsx(tmp_path / "ds.xlsx", [["DANH SÁCH ĐƠN VỊ HÀNH CHÍNH CẤP XÃ TỈNH LAI CHÂU"], [None],
                                     ["STT", "Tên đơn vị", "Tỉnh"], [1, "Phường Tân Phong", "Lai Châu"],
                                     [2, "xã  sìn hồ", "lai chau"], [3, "Xã Tân Uyên", "Lai Châu"]])
    df = read_unit_list(f)
    assert df["unit"].tolist() == ["Phường Tân Phong", "xã sìn hồ", "Xã Tân Uyên"]
    assert df["province"].unique().tolist() == ["lai-chau"] and df["_row"].tolist() == [4, 5, 6]
    _xlsx(f, [["DANH SÁCH"], ["STT", "TÊN ĐƠN VỊ", "Tỉnh"], [1, "Tân Uyên", "Lai Châu"], [2, "Xã Tân Uyên", "Lai Châu"]])
    with pytest.raises(DataError) as err:
        read_unit_list(f)
    assert err.value.text("vi") == (f"{f}, hàng 4, cột 'unit': 'Xã Tân Uyên' là cùng một đơn vị với 'Tân Uyên' ở hàng 3 "
                                    "khi bỏ qua chữ hoa/thường, dấu, khoảng trắng và tiền tố (Xã, Phường…) "
                                    "(cần: mỗi đơn vị một hàng)")


def test_list_errors_are_in_vietnamese_by_default(tmp_path):
    f = tmp_path / "ds.csv"
    f.write_text("unit;province\nXã Tân Uyên;Lai Châu\nXã Nậm Nhùn;\n", encoding="utf-8")
    env = {k: v for k, v in __import__("os").environ.items() if k != "DTI_LANG"}
    r = subprocess.run(DTI + ["template", "--framework", str(EXAMPLE_FW), "--units", str(f), "--out",
                              str(tmp_path / "t.xlsx")], capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 2 and not (tmp_path / "t.xlsx").exists()
    assert r.stderr.strip() == (f"dti template: lỗi: {f}, hàng 3, cột 'province': ô trống (cần: tên tỉnh (cách viết "
                                "thông dụng nào cũng được), hoặc bỏ cột tỉnh)")


def _typo_rows():
    # the second row of "Xã Tân Uyên" typed "Xã Tân Uyen" (as in the analyst's v_unit_typo.xlsx): file row 5
    rows = [["unit", "indicator", "input", "value"]]
    for unit in ("Xã Bình Lư", "Xã Tân Uyên"):
        rows += [[unit, "nts_01", "value", 1], [unit, "nts_02", "count", 2]]
    rows[4][0] = "Xã Tân Uyen"
    return rows


@pytest.mark.parametrize("a, b", [("Xà Phìn", "Xa Phin"), ("Phương Sơn", "phuong son")])
def test_a_name_typed_without_diacritics_that_starts_like_a_prefix_is_still_the_unit(tmp_path, a, b):
    # a review found "xa phin" no longer reached "Xà Phìn" once "xa" could be read as the prefix "Xã"
    from dtilib.units import find_unit

    assert find_unit(b, [a, "Xã Bình Lư"]) == a
    f = tmp_path / "ds.csv"
    f.write_text(f"unit\n{a}\n{b}\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"row 3, column 'unit': '{b}' is the same unit as '{a}' in row 2 "):
        read_unit_list(f)


def test_a_unit_written_two_ways_in_a_data_file_is_an_error_naming_both_rows(tmp_path):
    from dtilib.inputs import read_unit_data

    f = _xlsx(tmp_path / "u.xlsx", _typo_rows())
    with pytest.raises(DataError) as err:
        read_unit_data(f, EXAMPLE_FW)
    assert str(err.value) == (f"{f}, row 5, column 'unit': 'Xã Tân Uyen' is the same unit as 'Xã Tân Uyên' in row 4 "
                              "once case, diacritics, spaces and the commune or ward prefix are ignored (expected one "
                              "spelling of each unit's name in every row)")
    env = {k: v for k, v in __import__("os").environ.items() if k != "DTI_LANG"}
    r = subprocess.run(DTI + ["validate", str(f), "--framework", str(EXAMPLE_FW)], capture_output=True, text=True,
                       timeout=120, env=env)
    assert r.returncode == 2 and "hàng 5, cột 'unit': 'Xã Tân Uyen' là cùng một đơn vị với 'Xã Tân Uyên' ở hàng 4" \
        in r.stderr and "Traceback" not in r.stderr
    # spaces are not a second spelling: "Xã  Bình Lư" is "Xã Bình Lư"
    rows = _typo_rows()
    rows[4][0], rows[2][0] = "Xã Tân Uyên", "Xã  Bình   Lư"
    assert read_unit_data(_xlsx(f, rows), EXAMPLE_FW)["unit"].unique().tolist() == ["Xã Bình Lư", "Xã Tân Uyên"]


def test_a_title_above_an_unknown_header_is_a_missing_column_not_a_duplicate(tmp_path):
    f = tmp_path / "ds.csv"
    f.write_text("DANH SÁCH,,\n,,\nSTT,Họ tên xã,Tỉnh\n1,Xã A,Lai Châu\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 1: missing column\(s\) unit"):   # was "duplicate column(s) "
        read_unit_list(f)


def test_a_unit_outside_the_list_is_refused_with_the_closest_name(tmp_path):
    # the Excel template keeps its list on sheet don_vi: a filled copy whose commune is renamed in every row
    # (no second spelling to compare with) is refused, the listed name suggested
    import openpyxl

    from dtilib.inputs import read_unit_data
    from dtilib.templates import write_template

    t = write_template(EXAMPLE_FW, tmp_path / "t.xlsx", units=list(VALUES))
    wb = openpyxl.load_workbook(t)
    assert wb.sheetnames == ["du_lieu", "don_vi"]
    assert [c.value for c in wb["don_vi"]["A"]] == ["Đơn vị", *VALUES]
    for row in wb["du_lieu"].iter_rows(min_row=2):
        row[0].value = "Xã Bìn Lư" if row[0].value == "Xã Bình Lư" else row[0].value   # a typo, in every row
    wb.save(tmp_path / "filled.xlsx")
    with pytest.raises(DataError) as err:
        read_unit_data(tmp_path / "filled.xlsx", EXAMPLE_FW)
    assert err.value.text("vi") == (
        f"{tmp_path / 'filled.xlsx'}, hàng 12, cột 'unit': đơn vị 'Xã Bìn Lư' không có trong danh "
        "sách đơn vị; gần nhất: Xã Bình Lư, Xã Tân Lập (cần: một đơn vị của trang tính 'don_vi' (các đơn vị mà mẫu được lập "
        "cho; đơn vị mới thì thêm vào đó))")
    # a name of the list written another way ("xa binh lu") is that unit
    for row in wb["du_lieu"].iter_rows(min_row=2):
        row[0].value = "xa binh lu" if row[0].value == "Xã Bìn Lư" else row[0].value
    wb.save(tmp_path / "filled.xlsx")
    assert read_unit_data(tmp_path / "filled.xlsx", EXAMPLE_FW)["unit"].nunique() == 3
    # a CSV has no list sheet: dti validate --units gives the list
    (tmp_path / "communes.csv").write_text(COMMUNES, encoding="utf-8")
    data = _fill(write_template(EXAMPLE_FW, tmp_path / "t.csv", units=list(VALUES)))
    data["unit"] = data["unit"].replace({"Phường Đoàn Kết": "Phường Đoàn Kế"})
    data.to_csv(tmp_path / "filled.csv", index=False)
    r = subprocess.run(DTI + ["validate", "filled.csv", "--framework", str(EXAMPLE_FW), "--units", "communes.csv",
                              "--province", "Lai Châu"], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 2 and r.stderr.strip() == (
        "dti validate: error: filled.csv, row 7, column 'unit': unit 'Phường Đoàn Kế' is not in the unit list; closest "
        "known: Phường Đoàn Kết (expected a unit of the list given with --units)")
    r = subprocess.run(DTI + ["validate", "filled.csv", "--framework", str(EXAMPLE_FW)], capture_output=True,
                       text=True, cwd=tmp_path, timeout=120)
    assert r.returncode == 0, r.stderr


def test_a_name_that_is_two_units_is_called_ambiguous_not_unknown():
    # "Đoàn Kết" with a commune and a ward of that name: the message said "no unit 'Đoàn Kết' … closest:
    # Xã Đoàn Kết, Phường Đoàn Kết" (a review); it now asks for the prefix
    from dtilib.errors import ParameterError
    from dtilib.units import check_unit_choice

    names = ["Xã Đoàn Kết", "Phường Đoàn Kết", "Xà Phìn"]
    with pytest.raises(ParameterError) as e:
        check_unit_choice("doan ket", names, "names.csv")
    assert e.value.text("vi") == ("tham số 'unit': 'doan ket' là tên của nhiều đơn vị trong names.csv: Xã Đoàn Kết, "
                                  "Phường Đoàn Kết (cần: tên kèm tiền tố (Xã …, Phường …, Thị trấn …))")
    assert check_unit_choice("P. Đoàn Kết", names, "names.csv") == "Phường Đoàn Kết"
    with pytest.raises(ParameterError, match="is not in names.csv"):
        check_unit_choice("Đoàn Kế", ["Xã Bình Lư"], "names.csv")
