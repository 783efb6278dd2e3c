"""Issue 11: never lose a user's file, never write a live formula, never a silent wrong number.

The refusals themselves are catalogued in ``tests/bad_inputs/``; these tests check what *works*:
files read the way offices write them, outputs in the format their name says, text written as text.
"""

import csv
import errno
import io
import json
import subprocess
import sys
import unicodedata

import openpyxl
import pandas as pd
import pytest

from conftest import EXAMPLE_FW, ROOT
from dtilib.cli import main
from dtilib.errors import DataError, ParameterError
from dtilib.inputs import parse_number, read_unit_data
from dtilib.io import MARKER, check_output, excel_text, read_table, write_csv, write_table, write_xlsx

ROWS = [["unit", "indicator", "input", "value"], ["A", "nts_01", "value", "1"], ["A", "nts_02", "count", "3"],
        ["A", "cqs_01", "a", "100"], ["A", "cqs_01", "b", "40"]]
FORMULA = '=HYPERLINK("http://example.invalid","bấm vào đây")'


def _csv(rows, sep=","):
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator="\n").writerows(rows)
    return buf.getvalue()


# ------------------------------------------------------------------------------ reading as written
@pytest.mark.parametrize("sep, encoding", [(",", "utf-8"), (";", "utf-8-sig"), ("\t", "utf-16"),
                                           (";", "utf-16-le"), (",", "utf-16-be"), (",", "utf-32"),
                                           ("\t", "utf-32-le")])
def test_separators_and_unicode_encodings_read_the_same(tmp_path, sep, encoding):
    f = tmp_path / "unit.csv"
    f.write_bytes(_csv(ROWS, sep).encode(encoding))
    df = read_unit_data(f, EXAMPLE_FW)
    assert df["num"].tolist() == [1.0, 3.0, 100.0, 40.0]
    assert df["_row"].tolist() == [2, 3, 4, 5]


def test_utf16_file_with_bom_validates(capsys):
    assert main(["validate", str(ROOT / "tests/fixtures/unit_utf16_bom/unit.csv"), "--framework", str(EXAMPLE_FW)]) == 0


def test_active_visible_sheet_is_read_not_a_hidden_first_sheet(tmp_path):
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "2023"
    for r in ROWS:
        old.append(r[:3] + ["0" if r[3] != "value" else "value"])
    old.sheet_state = "hidden"                     # last year's zeros, hidden
    new = wb.create_sheet("2024")
    for r in ROWS:
        new.append(r)
    wb.active = 1
    wb.save(tmp_path / "u.xlsx")
    df = read_unit_data(tmp_path / "u.xlsx", EXAMPLE_FW)
    assert df["num"].tolist() == [1.0, 3.0, 100.0, 40.0]
    zeros = read_unit_data(tmp_path / "u.xlsx", EXAMPLE_FW, sheet="2023")   # only when asked by name
    assert zeros["num"].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_title_rows_above_header_are_skipped_and_rows_are_the_files(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Số liệu chuyển đổi số xã A, năm 2024"])
    ws.merge_cells("A1:D1")
    ws.append([])
    for r in ROWS[:3]:
        ws.append(r)
    ws.append([])                                   # a blank row inside the data
    for r in ROWS[3:]:
        ws.append(r)
    wb.save(tmp_path / "u.xlsx")
    df = read_unit_data(tmp_path / "u.xlsx", EXAMPLE_FW)
    assert df["_row"].tolist() == [4, 5, 7, 8]     # header on row 3 of the sheet


def test_trailing_separators_and_blank_rows_as_excel_writes_them(tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("unit;indicator;input;value;;\r\nA;nts_01;value;1;;\r\n;;;;;\r\nA;nts_02;count;2;;\r\n",
                 encoding="utf-8-sig")
    df = read_unit_data(f, EXAMPLE_FW)
    assert df["num"].tolist() == [1.0, 2.0] and df["_row"].tolist() == [2, 4]


def test_nfc_and_zero_width_text(tmp_path):
    nfd = unicodedata.normalize("NFD", "có")
    f = tmp_path / "u.csv"
    f.write_text(_csv([ROWS[0], ["Xã\u200b A", "nts_01", "value", nfd], ["Xã A", "nts_02", "count", "2"]]),
                 encoding="utf-8")
    df = read_unit_data(f, EXAMPLE_FW)
    assert df["unit"].unique().tolist() == ["Xã A"] and df["num"].tolist() == [1.0, 2.0]


# ------------------------------------------------------------------------------------- numbers
@pytest.mark.parametrize("text, decimal, expected", [
    ("1.500", ",", 1500.0), ("1.234.567", ",", 1234567.0), ("40,5", ",", 40.5), ("1.234,5", ",", 1234.5),
    ("12", ",", 12.0), ("1,500", ".", 1500.0), ("40.5", ".", 40.5), ("0.45", None, 0.45), ("1.5", None, 1.5),
    ("0.500", None, 0.5), ("1 500", None, 1500.0)])
def test_number_conventions(text, decimal, expected):
    assert parse_number(text, "f", 2, "value", decimal=decimal) == expected


@pytest.mark.parametrize("text", ["1.500", "1,500", "10.000", "999.999"])
def test_ambiguous_numbers_are_refused_with_both_readings(text):
    with pytest.raises(DataError, match="reads as .* in Vietnamese writing and .* in English writing"):
        parse_number(text, "f", 2, "value")


@pytest.mark.parametrize("text", ["1e309", "-1e999"])
def test_overflow_is_refused(text):
    with pytest.raises(DataError, match="not a finite number"):
        parse_number(text, "f", 2, "value")


def test_decimal_option_of_validate_and_score(tmp_path, capsys):
    f = tmp_path / "u.csv"
    f.write_text(_csv([ROWS[0], ["A", "cqs_01", "a", "1.500"], ["A", "cqs_01", "b", "600"]]), encoding="utf-8")
    assert main(["validate", str(f), "--framework", str(EXAMPLE_FW)]) == 2          # 1500 or 1.5: refused
    assert main(["validate", str(f), "--framework", str(EXAMPLE_FW), "--decimal", ","]) == 0
    assert main(["score", "--inputs", str(f), "--framework", str(EXAMPLE_FW), "--decimal", ",",
                 "--out", str(tmp_path / "s.csv")]) == 0
    # by hand: share 600 / 1500 = 0.4; linear_capped with threshold 0.8 → 0.4 / 0.8 × 40 = 20 points
    assert float(read_table(tmp_path / "s.csv")["points"].iloc[0]) == pytest.approx(20.0)


def test_sidecar_declares_the_number_convention(tmp_path):
    f = tmp_path / "u.csv"
    f.write_text(_csv([ROWS[0], ["A", "cqs_01", "a", "1.500"], ["A", "cqs_01", "b", "40,5"]]), encoding="utf-8")
    with pytest.raises(DataError, match="reads as 1500 in Vietnamese writing and 1.5 in English"):
        read_unit_data(f, EXAMPLE_FW)
    (tmp_path / "u.csv.meta.yaml").write_text('decimal: ","\n', encoding="utf-8")
    assert read_unit_data(f, EXAMPLE_FW)["num"].tolist() == [1500.0, 40.5]


def test_main_values_spellings_of_one_province_are_one_unit(tmp_path, capsys):
    mv = tmp_path / "mv.csv"
    ids = ["nhan_thuc_so", "the_che_so", "ha_tang_so", "nhan_luc_so", "an_toan_thong_tin",
           "chinh_quyen_so", "kinh_te_so", "xa_hoi_so"]
    names = ["TP. Đà Nẵng", "Đà Nẵng", "Da Nang", "Thành phố Đà Nẵng"]
    rows = [["year", "province", "pillar", "value"]] + [
        ["2022", names[i % len(names)], m, "0.5"] for i, m in enumerate(ids)]
    mv.write_text(_csv(rows), encoding="utf-8")
    from dtilib.inputs import read_main_values

    df = read_main_values(str(mv))
    assert df["unit"].unique().tolist() == ["TP. Đà Nẵng"]


# ------------------------------------------------------------------------------- Excel safety
@pytest.mark.parametrize("text", [FORMULA, "+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_excel_text_in_csv(text):
    assert excel_text(text) == "'" + text
    assert excel_text("-0.5") == "-0.5" and excel_text(-3) == -3 and excel_text("Xã A") == "Xã A"


def test_csv_output_is_safe_and_reads_back_unchanged(tmp_path):
    df = pd.DataFrame({"unit": [FORMULA, "@x", "Xã A"], "value": [1.5, -2.0, 3.0], "note": ["-", "", "+5"]})
    write_csv(df, tmp_path / "o.csv")
    text = (tmp_path / "o.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "\n'@x," in text and ",-2.0," in text   # numbers untouched
    back = read_table(tmp_path / "o.csv")
    assert back["unit"].tolist() == df["unit"].tolist() and back["note"].tolist() == df["note"].tolist()


def _cells(path):
    wb = openpyxl.load_workbook(path)
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]


def test_every_workbook_cell_is_text_never_a_formula(tmp_path):
    df = pd.DataFrame({"unit": [FORMULA, "+1", "Xã A"], "value": [1, 2, 3]})
    write_xlsx({"a": df, "b": df.rename(columns={"unit": "=cmd()"})}, tmp_path / "o.xlsx")
    cells = _cells(tmp_path / "o.xlsx")
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert len(risky) == 5 and all(c.data_type == "s" and c.quotePrefix for c in risky)
    assert read_table(tmp_path / "o.xlsx", sheet="a")["unit"].tolist() == df["unit"].tolist()


def test_template_with_formula_unit_name_is_text(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["template", "--framework", str(EXAMPLE_FW), "--unit", FORMULA, "--out", str(out)]) == 0
    cells = _cells(out)
    assert not [c for c in cells if c.data_type == "f"]
    assert sum(c.value == FORMULA for c in cells) == 5
    # an empty template (ours) may be replaced; a filled one only with --force
    assert main(["template", "--framework", str(EXAMPLE_FW), "--out", str(out)]) == 0
    wb = openpyxl.load_workbook(out)
    wb.active["D2"] = 1
    wb.save(out)
    assert main(["template", "--framework", str(EXAMPLE_FW), "--out", str(out)]) == 2
    assert main(["template", "--framework", str(EXAMPLE_FW), "--out", str(out), "--force"]) == 0


def test_plan_workbook_writes_unit_names_as_text(tmp_path, capsys):
    data = tmp_path / "u.csv"
    data.write_text(_csv([ROWS[0]] + [[FORMULA] + r[1:] for r in ROWS[1:]]), encoding="utf-8")
    out = tmp_path / "plan.xlsx"
    assert main(["plan", "--framework", str(EXAMPLE_FW), "--unit-data", str(data), "--unit", FORMULA,
                 "--budget", "1000", "--out", str(out)]) == 0
    cells = _cells(out)
    assert not [c for c in cells if c.data_type == "f"]
    assert [c for c in cells if isinstance(c.value, str) and c.value.startswith("=HYPERLINK") and c.data_type == "s"]


# ------------------------------------------------------------------------- outputs as named
def test_out_xlsx_is_a_workbook_and_csv_is_csv(tmp_path, capsys):
    data = tmp_path / "u.csv"
    data.write_text(_csv(ROWS), encoding="utf-8")
    for name in ("s.xlsx", "s.csv"):
        assert main(["score", "--inputs", str(data), "--framework", str(EXAMPLE_FW), "--out", str(tmp_path / name)]) == 0
    assert (tmp_path / "s.xlsx").read_bytes()[:2] == b"PK"
    # the workbook is a reader's table (headers in Vietnamese, values rounded), the CSV keeps codes for programs
    pd.testing.assert_series_equal(pd.read_excel(tmp_path / "s.xlsx")["Giá trị DTI"],
                                   pd.read_csv(tmp_path / "s.csv")["dti_value"].round(4), check_names=False)
    with pytest.raises(ParameterError, match="cannot write '.txt'"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "x.txt")


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_figures_in_the_format_of_their_name(tmp_path, suffix, magic):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dtilib.analysis.plots import save

    fig, ax = plt.subplots()
    ax.plot([1, 2], [1, 2])
    save(fig, tmp_path / f"f{suffix}")
    plt.close(fig)
    assert (tmp_path / f"f{suffix}").read_bytes()[:len(magic)] == magic


def test_check_output_refuses_input_paths_in_any_spelling(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.csv").write_text("x\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "a.csv")
    for spelling in ("a.csv", "./a.csv", str(tmp_path / "a.csv"), "link.csv"):
        with pytest.raises(ParameterError, match="is also an input"):
            check_output(spelling, inputs=["a.csv"])
    assert check_output("b.xlsx", inputs=["a.csv"]).name == "b.xlsx"


def test_build_replaces_only_its_own_folder(tmp_path, monkeypatch):
    from dtilib.data.tables import STAMP, TABLES, build

    out = tmp_path / "built"
    build(out_dir=out)
    assert (out / MARKER).is_file()
    (out / "results.csv").write_text("stale")
    build(out_dir=out)                                 # marked: replaced
    assert (out / "results.csv").read_text(encoding="utf-8").startswith("year,")
    empty = tmp_path / "empty"
    empty.mkdir()
    build(out_dir=empty)
    assert sorted(p.name for p in empty.iterdir()) == sorted([*TABLES, STAMP, MARKER])
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(ParameterError, match="did not write"):
        build(out_dir=mine)
    assert (mine / "notes.txt").read_text() == "keep me"


# ----------------------------------------------------------------------- operating system
@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "no space left"), (errno.EACCES, "permission denied"),
                                         (errno.ENAMETOOLONG, "file name too long"), (errno.EISDIR, "is a folder")])
def test_os_errors_are_one_line_exit_2(tmp_path, monkeypatch, capsys, code, words):
    import dtilib.io

    def fail(*a, **k):
        raise OSError(code, "boom", str(tmp_path / "t.csv"))

    monkeypatch.setattr(dtilib.io, "atomic_write", fail)
    assert main(["template", "--framework", str(EXAMPLE_FW), "--out", str(tmp_path / "t.csv")]) == 2
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert len(err) == 1 and err[0].startswith("dti template: error: ") and words in err[0]
    assert str(tmp_path / "t.csv") in err[0] and "Traceback" not in err[0]


# --------------------------------------------------------------------------------- batches
def test_colliding_unit_file_names_get_distinct_reports(tmp_path):
    from dtilib.reporting.batch import distinct_keys, unit_jobs

    example = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"
    for name in ("Chợ Mới.csv", "cho-moi.csv", "cho_moi.xlsx"):
        if name.endswith(".csv"):
            (tmp_path / name).write_bytes(example.read_bytes())
        else:
            pd.read_csv(example, dtype=str, keep_default_na=False).to_excel(tmp_path / name, index=False)
    jobs = unit_jobs("03", units_dir=tmp_path)
    assert [j["key"] for j in jobs] == ["cho-moi", "cho-moi-2", "cho-moi-3"]
    assert len({j["parameters"]["unit_file"] for j in jobs}) == 3
    assert distinct_keys(["Huyện Chợ Mới", "huyen-cho-moi", "Huyện Na Rì"]) == [
        "huyen-cho-moi", "huyen-cho-moi-2", "huyen-na-ri"]


@pytest.mark.parametrize("jobs, timeout", [(0, 1), (-1, 1), (True, 1), (1.5, 1), (1, 0), (1, -2),
                                           (1, float("inf")), (1, float("nan")), (1, True)])
def test_batch_options_checked(jobs, timeout):
    from dtilib.reporting.batch import check_batch_options

    with pytest.raises(ParameterError):
        check_batch_options(jobs, timeout)


def test_report_all_with_a_bad_parameter_fails_before_any_kernel(tmp_path):
    import time

    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "dtilib.cli", "report", "02", "--all", "-p", "target_rank", "abc",
                        "--out-dir", str(tmp_path / "r"), "--no-progress"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and "parameter 'target_rank'" in r.stderr
    assert time.perf_counter() - t0 < 60 and not (tmp_path / "r").exists()


@pytest.mark.slow
def test_batch_over_colliding_file_names_records_each(tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    example = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"
    ex = pd.read_csv(example, dtype=str, keep_default_na=False)
    ex[ex["unit"] == "Huyện Chợ Mới"].to_csv(units / "Chợ Mới.csv", index=False)
    ex[ex["unit"] == "Huyện Na Rì"].to_csv(units / "cho-moi.csv", index=False)
    out = tmp_path / "reports"
    r = subprocess.run([sys.executable, "-m", "dtilib.cli", "report", "03", "--all", "--units-dir", str(units),
                        "--jobs", "2", "--out-dir", str(out), "--no-progress"],
                       capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert r.returncode == 0, r.stderr
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))["reports"]
    assert sorted(status) == ["03_unit_gap_analysis/cho-moi", "03_unit_gap_analysis/cho-moi-2"]
    pages = {k: (out / (k + ".html")).read_text(encoding="utf-8") for k in status}
    assert "Huyện Chợ Mới" in pages["03_unit_gap_analysis/cho-moi"]
    assert "Huyện Na Rì" in pages["03_unit_gap_analysis/cho-moi-2"]

