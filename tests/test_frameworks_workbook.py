"""The framework workbook: export → import is the identity for every shipped framework; errors name cells."""

from pathlib import Path

import openpyxl
import pytest
import yaml

import dtilib
from conftest import EXAMPLE_FW, FIXTURES
from dtilib.cli import main
from dtilib.errors import DataError
from dtilib.frameworks import shipped
from dtilib.frameworks.document import import_document
from dtilib.frameworks.workbook import (
    MAIN_SHEET,
    META_SHEET,
    SUB_COLUMNS,
    SUB_SHEET,
    export_workbook,
    import_workbook,
)

OPTIONAL_NULLABLE = {"max_points", "total_points"}


def _without_nulls(d):
    """The file's data with optional keys written as null dropped (an empty cell means 'not given')."""
    if isinstance(d, dict):
        return {k: _without_nulls(v) for k, v in d.items() if v is not None or k in OPTIONAL_NULLABLE}
    if isinstance(d, list):
        return [_without_nulls(x) for x in d]
    return d


@pytest.mark.parametrize("fid", sorted(shipped()))
def test_export_import_is_identity_for_shipped(fid, tmp_path):
    out = export_workbook(fid, tmp_path / "fw.xlsx")
    doc, fw = import_workbook(out)
    original = yaml.safe_load(shipped()[fid].read_text(encoding="utf-8"))
    assert _without_nulls(doc) == _without_nulls(original)
    ref = dtilib.load_framework(fid)
    cols = ["id", "main", "max_points", "rule", "params", "formula", "inputs"]
    assert fw.sub[cols].equals(ref.sub[cols]) and fw.main.equals(ref.main)


def test_round_trip_of_an_imported_document(tmp_path):
    """Tiers with labels, parts, source_text and recognised_from survive the workbook."""
    res = import_document(FIXTURES / "framework_docs" / "dong_thap_cao_lanh_district.csv", id="dong-thap")
    src = tmp_path / "dt.yaml"
    src.write_text(res.to_yaml(), encoding="utf-8")
    doc, _ = import_workbook(export_workbook(src, tmp_path / "dt.xlsx"))
    assert _without_nulls(doc) == _without_nulls(yaml.safe_load(src.read_text(encoding="utf-8")))


def test_workbook_layout(tmp_path):
    out = export_workbook("vn-province-922", tmp_path / "fw.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:3] == [SUB_SHEET, MAIN_SHEET, META_SHEET]
    ws = wb[SUB_SHEET]
    assert [c.value for c in ws[1]] == SUB_COLUMNS
    assert ws.max_row == 1 + 98
    rule_col = openpyxl.utils.get_column_letter(SUB_COLUMNS.index("rule") + 1)
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert any(f"{rule_col}2" in str(dv.sqref) and "min_max" in dv.formula1 for dv in lists)
    row = {c: ws.cell(row=r, column=i + 1).value for r in range(2, ws.max_row + 1)
           for i, c in enumerate(SUB_COLUMNS) if ws.cell(row=r, column=1).value == "cqs_05"}
    assert (row["rule"], row["threshold"], row["formula"]) == ("linear_capped", 0.8, "(b+c)/a")
    assert row["inputs"].splitlines()[0] == "a: all public-service case files settled in the year (all four levels) by the province's bodies"


def test_cli_round_trip(tmp_path, capsys):
    xlsx, out = tmp_path / "fw.xlsx", tmp_path / "fw.yaml"
    assert main(["framework", "export", str(EXAMPLE_FW), "--out", str(xlsx)]) == 0
    assert main(["framework", "import", str(xlsx), "--out", str(out)]) == 0
    assert "Đã đọc sổ tính bộ chỉ số fw.xlsx" in capsys.readouterr().out
    a, b = dtilib.load_framework(EXAMPLE_FW), dtilib.load_framework(out)
    assert a.sub[["id", "rule", "max_points"]].equals(b.sub[["id", "rule", "max_points"]])


def _edit(tmp_path, sheet, row, column, value):
    path = export_workbook(EXAMPLE_FW, tmp_path / "fw.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    ws.cell(row=row, column=column).value = value
    wb.save(path)
    return path


def test_max_points_not_a_number_names_the_cell(tmp_path):
    path = _edit(tmp_path, SUB_SHEET, 2, SUB_COLUMNS.index("max_points") + 1, "mười")
    with pytest.raises(DataError, match=r"sheet 'chi_so_thanh_phan', cell F2: max_points = 'mười' is not a number"):
        import_workbook(path)


def test_framework_check_is_located_at_its_cell(tmp_path):
    # a threshold above 1 fails the same check as in YAML, reported at the threshold cell of that row
    wb_path = export_workbook(EXAMPLE_FW, tmp_path / "fw.xlsx")
    wb = openpyxl.load_workbook(wb_path)
    ws = wb[SUB_SHEET]
    rules = {ws.cell(row=r, column=SUB_COLUMNS.index("rule") + 1).value: r for r in range(2, ws.max_row + 1)}
    r = rules.get("linear_capped") or rules.get("all_or_nothing")
    assert r, "the example framework has a thresholded rule"
    ws.cell(row=r, column=SUB_COLUMNS.index("threshold") + 1).value = 1.5
    wb.save(wb_path)
    col = openpyxl.utils.get_column_letter(SUB_COLUMNS.index("threshold") + 1)
    with pytest.raises(DataError, match=rf"sheet 'chi_so_thanh_phan', cell {col}{r}: params.threshold = 1.5"):
        import_workbook(wb_path)


def test_missing_sheet(tmp_path):
    path = export_workbook(EXAMPLE_FW, tmp_path / "fw.xlsx")
    wb = openpyxl.load_workbook(path)
    del wb[MAIN_SHEET]
    wb.save(path)
    with pytest.raises(DataError, match="sheet 'chi_so_chinh' is missing"):
        import_workbook(path)


def test_export_refuses_a_non_xlsx_out(tmp_path, capsys):
    assert main(["framework", "export", "vn-province-922", "--out", str(tmp_path / "fw.csv")]) == 2
    assert "--out" in capsys.readouterr().err
    assert not list(Path(tmp_path).iterdir())
