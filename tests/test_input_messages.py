"""What a template tells its reader and what a wrong workbook is told (round 5, the analyst's review):
the ratio example in a template is one the file reads back, a framework with nothing to fill points to
``--kind points``, a notes sheet left active points to the sheet holding the data — in Vietnamese by default."""

import os
import re
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from conftest import EXAMPLE_FW
from dtilib.errors import DataError
from dtilib.inputs import read_unit_data
from dtilib.templates import header_aliases, write_template

DTI = [sys.executable, "-m", "dtilib.cli"]
VI = {k: v for k, v in os.environ.items() if k != "DTI_LANG"}       # what a user sees: Vietnamese


@pytest.fixture
def ratio_fw(tmp_path):
    """The example framework with cqs_01 scored on a share typed directly (input ``ratio``)."""
    text = EXAMPLE_FW.read_text(encoding="utf-8").replace(
        "    inputs: {a: all case files, b: case files processed online}\n    formula: b/a\n", "")
    f = tmp_path / "fw.yaml"
    f.write_text(text, encoding="utf-8")
    return f


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_ratio_example_of_a_template_reads_back(tmp_path, ratio_fw, suffix):
    out = write_template(ratio_fw, tmp_path / f"t{suffix}", unit="Xã A")
    t = (pd.read_csv(out, dtype=str, keep_default_na=False) if suffix == ".csv"
         else pd.read_excel(out, dtype=str, keep_default_na=False)).rename(columns=header_aliases())
    hint = t.loc[t["input"] == "ratio", "Hướng dẫn điền"].iloc[0]
    example = re.search(r"ví dụ (\S+)", hint).group(1)          # was "0,45": refused without --decimal ,
    assert example == "0.45" and "--decimal ," in hint
    t = t[t["input"] == "ratio"].assign(value=example)
    t.to_csv(tmp_path / "filled.csv", index=False)
    assert read_unit_data(tmp_path / "filled.csv", ratio_fw)["num"].tolist() == [0.45]


def test_a_framework_with_nothing_to_fill_points_to_a_score_sheet(tmp_path):
    r = subprocess.run(DTI + ["template", "--framework", "ha-noi-commune-5279", "--out", str(tmp_path / "t.xlsx")],
                       capture_output=True, text=True, timeout=120, env=VI)
    assert r.returncode == 2 and not (tmp_path / "t.xlsx").exists()
    assert r.stderr.strip() == ("dti template: lỗi: bộ chỉ số ha-noi-commune-5279 không có chỉ số thành phần nào có "
                                "cách tính đã biết: không có đầu vào nào để điền (cần: --kind points: bảng điểm, điền "
                                "số điểm của từng chỉ số thành phần theo bảng chấm của cơ quan đánh giá)")
    r = subprocess.run(DTI + ["template", "--framework", "ha-noi-commune-5279", "--kind", "points", "--out",
                              str(tmp_path / "t.xlsx")], capture_output=True, text=True, timeout=120, env=VI)
    assert r.returncode == 0, r.stderr


def _data_with_notes_active(path, notes_rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "du_lieu"
    for r in [["unit", "indicator", "input", "value"], ["A", "nts_01", "value", 1]]:
        ws.append(r)
    notes = wb.create_sheet("Ghi chú")
    for r in notes_rows:
        notes.append(r)
    wb.active = 1
    wb.save(path)
    return path


@pytest.mark.parametrize("notes", [[["Số liệu do UBND các xã gửi"]], []])
def test_a_notes_sheet_left_active_points_to_the_data_sheet(tmp_path, notes):
    f = _data_with_notes_active(tmp_path / "u.xlsx", notes)
    with pytest.raises(DataError) as err:       # was "has a header but no data rows" / "has no header row"
        read_unit_data(f, EXAMPLE_FW)
    assert err.value.text("vi") == (f"{f}: trang tính đang mở 'Ghi chú' không có bảng số liệu (cột unit, indicator); "
                                    "số liệu ở trang tính du_lieu (cần: --sheet du_lieu (hoặc mở trang tính đó rồi "
                                    "lưu tệp trong Excel))")
    assert read_unit_data(f, EXAMPLE_FW, sheet="du_lieu")["num"].tolist() == [1.0]
