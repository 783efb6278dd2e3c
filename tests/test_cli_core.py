"""`dti score`, `dti frameworks`, `dti template`, `dti validate` end to end (in-process)."""

import pandas as pd
import pytest

from conftest import EXAMPLE_FW, EXAMPLE_ROWS, RAW
from dtilib.cli import main
from dtilib.templates import header_aliases


def test_score_main_values_922_2022(tmp_path, capsys):
    out = tmp_path / "out.csv"
    code = main(["score", "--framework", "vn-province-922", "--main-values", str(RAW / "dti_pillars.csv"),
                 "--year", "2022", "--out", str(out), "--lang", "en"])
    assert code == 0
    df = pd.read_csv(out)
    assert {"unit", "dti_value", "rank", "chinh_quyen_so_pillar", "kinh_te_so_pillar", "xa_hoi_so_pillar"} <= set(df)
    top = df.set_index("unit")
    # published 2022 (dti.gov.vn): Đà Nẵng 0.8002 (1st), Quảng Ninh 0.7024, Thừa Thiên - Huế 0.6975
    assert top.loc["TP. Đà Nẵng", "dti_value"].round(4) == 0.8002 and top.loc["TP. Đà Nẵng", "rank"] == 1
    assert top.loc["Quảng Ninh", "dti_value"].round(4) == 0.7024
    assert top.loc["Thừa Thiên - Huế", "dti_value"].round(4) == 0.6975
    assert "0.8002" in capsys.readouterr().out


def test_score_2020_pillars_by_year_only(capsys):
    code = main(["score", "--year", "2020", "--main-values", str(RAW / "dti_pillars.csv"), "--lang", "en"])
    assert code == 0
    out = capsys.readouterr()
    assert "Bắc Ninh" in out.out and "0.4096" in out.out and "vn-province-2020" in out.err


def test_score_inputs_and_template_roundtrip(tmp_path, capsys):
    tpl = tmp_path / "t.csv"
    assert main(["template", "--framework", str(EXAMPLE_FW), "--unit", "Xã A", "--out", str(tpl)]) == 0
    df = pd.read_csv(tpl, dtype=str, keep_default_na=False).rename(columns=header_aliases())  # headers in vi
    assert set(df["indicator"]) == {"nts_01", "nts_02", "cqs_01", "cqs_02"}
    fill = {("nts_01", "value"): "1", ("nts_02", "count"): "4", ("cqs_01", "a"): "50", ("cqs_01", "b"): "20",
            ("cqs_02", "level"): "personalised"}
    df["value"] = [fill[(i, n)] for i, n in zip(df["indicator"], df["input"], strict=True)]
    df.to_csv(tpl, index=False)
    assert main(["validate", str(tpl), "--framework", str(EXAMPLE_FW), "--lang", "en"]) == 0
    assert "OK — 1 unit(s)" in capsys.readouterr().out
    out = tmp_path / "s.csv"
    assert main(["score", "--framework", str(EXAMPLE_FW), "--inputs", str(tpl), "--out", str(out)]) == 0
    res = pd.read_csv(out)
    # 20 + 20 + (0.4/0.8)×40 + 20 = 80 of 100
    assert res.loc[0, "points"] == 80 and res.loc[0, "dti_value"] == 0.8


def test_template_xlsx_lists_unknown_rules_separately(tmp_path):
    out = tmp_path / "t.xlsx"
    assert main(["template", "--framework", "vn-province-922", "--out", str(out)]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert len(sheets["du_lieu"]["Chỉ số"].unique()) == 10      # the 10 sub-indicators with a known rule
    assert len(sheets["chua_ro_cach_tinh"]) == 88                  # 98 slots − 10 known


def test_frameworks_listing(capsys):
    assert main(["frameworks"]) == 0
    assert "vn-province-922" in capsys.readouterr().out
    assert main(["frameworks", "bac-kan-district-1294"]) == 0
    assert "An toàn thông tin mạng" in capsys.readouterr().out


def test_no_command_prints_help(capsys):
    assert main([]) == 2



def test_help_lists_every_command_of_the_readme_table(capsys):
    import re

    import pytest

    from conftest import ROOT
    from dtilib.cli import build_parser

    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    # the commands of `dti --help` before the package move, in the order the groups register them
    # (core, frameworks, data, analysis, effort, report)
    assert list(sub.choices) == ["frameworks", "score", "template", "validate", "framework", "import-raw", "build",
                                 "reconcile", "trend", "rank-change", "target", "outlook", "plan", "actions",
                                 "points-worth", "report", "notebooks"]
    assert all(f"    {c}" in shown for c in sub.choices)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    in_readme = set(re.findall(r"`dti ([a-z-]+)", readme))
    assert in_readme <= set(sub.choices), in_readme - set(sub.choices)


def test_a_command_module_that_fails_to_import_fails_dti(monkeypatch):
    import sys

    import pytest

    import dtilib.cli
    from dtilib.cli import build_parser

    monkeypatch.delattr(dtilib.cli, "effort", raising=False)
    monkeypatch.setitem(sys.modules, "dtilib.cli.effort", None)   # as if dtilib/cli/effort.py were broken
    with pytest.raises(ImportError):
        build_parser()


# ------------------------------------------------------------------ what `dti score --out` writes for a reader
# The example commune framework names its main indicators "Nhận thức số" and "Chính quyền số", with the ids of
# the 922 framework's "Nhận thức số" and "Hoạt động chính quyền số": a score table must use the scored
# framework's names (EXAMPLE_ROWS: Xã A 80 of 100, Chính quyền số 40/60; Xã B 20, Chính quyền số 10/60).


def test_score_out_xlsx_is_a_readers_table_with_the_frameworks_names(tmp_path, capsys):
    import openpyxl

    data = tmp_path / "xa.csv"
    data.write_text(EXAMPLE_ROWS, encoding="utf-8")
    xlsx, csv = tmp_path / "diem.xlsx", tmp_path / "diem.csv"
    assert main(["score", "--framework", str(EXAMPLE_FW), "--inputs", str(data), "--out", str(xlsx)]) == 0
    shown = capsys.readouterr().out
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Kết quả chấm điểm"]
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == ("Đơn vị", "Điểm", "Điểm được chấm", "Điểm mất", "Đủ dữ liệu", "Điểm tối đa", "Giá trị DTI",
                       "Xếp hạng", "Số đơn vị xếp hạng", "Nhận thức số", "Chính quyền số")
    assert rows[1] == ("Xã A", 80, 100, 20, "có", 100, 0.8, 1, 2, 1, 0.6667)       # 40/60 to 4 decimals
    assert rows[2][:5] == ("Xã B", 20, 100, 80, "có") and rows[2][-1] == 0.1667     # 10/60
    assert "Hoạt động chính quyền số" not in shown and "Chính quyền số" in shown.splitlines()[0]
    ws = wb.active           # laid out to be read: header frozen, "Điểm được chấm" (14 characters) not cut
    assert ws.freeze_panes == "A2" and ws.column_dimensions["C"].width >= 14
    # a .csv is for programs: codes and full precision
    assert main(["score", "--framework", str(EXAMPLE_FW), "--inputs", str(data), "--out", str(csv)]) == 0
    table = pd.read_csv(csv)
    assert list(table.columns)[:2] == ["unit", "points"] and table.loc[0, "chinh_quyen_so"] == pytest.approx(40 / 60)
    assert main(["score", "--framework", str(EXAMPLE_FW), "--inputs", str(data), "--out", str(xlsx),
                 "--lang", "en"]) == 0
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["Scores"]
    head = next(wb.active.iter_rows(values_only=True))
    assert head[:5] == ("Unit", "Points", "Points scored on", "Points lost", "Complete")
    assert head[-2:] == ("Digital awareness", "Digital government")
    assert [r[4] for r in wb.active.iter_rows(min_row=2, values_only=True)] == ["yes", "yes"]


def test_frameworks_without_groups_show_a_dash(capsys):
    assert main(["frameworks", str(EXAMPLE_FW)]) == 0
    out = capsys.readouterr().out
    assert "group." not in out
    rows = [line.split() for line in out.splitlines() if line.startswith(("nhan_thuc_so", "chinh_quyen_so"))]
    assert [r[-4] for r in rows] == ["—", "—"]                 # the group column, before max points, n, scored
    assert main(["frameworks", "vn-province-922"]) == 0
    assert "hoạt động" in capsys.readouterr().out              # a known group still in words


def test_a_reader_that_stops_reading_ends_nothing(tmp_path):
    """``dti … | head``: the pipe closes before the command has printed everything; it finishes its work
    (the --out file) without a word on stderr and with its own status (was "lỗi: Broken pipe", status 2)."""
    import os
    import subprocess
    import sys

    data = tmp_path / "xa.csv"
    data.write_text(EXAMPLE_ROWS, encoding="utf-8")
    read, write = os.pipe()
    os.close(read)                                # the reader has gone before the first line
    try:
        run = subprocess.run([sys.executable, "-m", "dtilib.cli", "score", "--framework", str(EXAMPLE_FW),
                              "--inputs", str(data), "--out", str(tmp_path / "s.xlsx")],
                             stdout=write, stderr=subprocess.PIPE, text=True, timeout=120)
    finally:
        os.close(write)
    assert (run.returncode, [x for x in run.stderr.splitlines() if "Broken pipe" in x or "Error" in x]) == (0, [])
    assert (tmp_path / "s.xlsx").read_bytes()[:2] == b"PK"


def test_a_closed_output_inside_a_command_is_not_an_error(monkeypatch, capsys):
    from dtilib.cli import core

    def closed(args):
        raise BrokenPipeError(32, "Broken pipe")      # what print() raises when the pipe is gone

    monkeypatch.setattr(core, "cmd_frameworks", closed)
    assert main(["frameworks"]) != 2
    assert capsys.readouterr().err == ""
