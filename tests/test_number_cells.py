"""An Excel cell that holds a number is that number (round 5, bug 2 of the analyst's review).

Only text cells are read through the decimal-convention rules (``1.500`` is 1500 under ``--decimal ,``,
refused undeclared): a number cell 2.125 is 2.125 whatever is declared, never turned into the text
"2.125" and read again as 2125 (Vietnamese) or refused as ambiguous.
"""

import openpyxl
import pandas as pd
import pytest

from conftest import EXAMPLE_FW
from dtilib.cli import main
from dtilib.errors import DataError
from dtilib.inputs import read_unit_data
from dtilib.scoring import score


def _workbook(path, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


HEAD = ["unit", "indicator", "input", "value"]
# cqs_01 of the example framework: share b/a, linear to 0.8 for 40 points; by hand:
#   A: b "1,5" (text, Vietnamese) / a 2.5 (number cell) = 0.6 → 0.6 / 0.8 × 40 = 30 points
#   B: b 1.7 (number cell) / a 2.125 (number cell) = 0.8 → 40 points (read as 2125 it would be 0.0008 → 0.04)
MIXED = [HEAD, ["A", "cqs_01", "a", 2.5], ["A", "cqs_01", "b", "1,5"],
         ["B", "cqs_01", "a", 2.125], ["B", "cqs_01", "b", 1.7]]


def test_number_cells_are_numbers_beside_a_text_cell_in_the_vietnamese_convention(tmp_path):
    f = _workbook(tmp_path / "u.xlsx", MIXED)
    df = read_unit_data(f, EXAMPLE_FW, decimal=",")
    assert df["num"].tolist() == [2.5, 1.5, 2.125, 1.7]
    pts = score(EXAMPLE_FW, df).sub.set_index(["unit", "indicator"])["points"]
    assert pts[("A", "cqs_01")] == pytest.approx(30.0) and pts[("B", "cqs_01")] == pytest.approx(40.0)
    # the sidecar declares the same convention: the same numbers
    (tmp_path / "u.xlsx.meta.yaml").write_text('decimal: ","\n', encoding="utf-8")
    assert read_unit_data(f, EXAMPLE_FW)["num"].tolist() == [2.5, 1.5, 2.125, 1.7]


def test_text_cells_keep_the_convention_rules(tmp_path):
    # the text "1,5" undeclared is still refused (a comma decimal), the number cells beside it are not
    f = _workbook(tmp_path / "u.xlsx", MIXED)
    with pytest.raises(DataError, match=r"row 3, column 'value': comma decimal '1,5'"):
        read_unit_data(f, EXAMPLE_FW)
    # a TEXT cell "2.125" under --decimal , is 2125 (Vietnamese thousands), undeclared it is refused
    f = _workbook(tmp_path / "t.xlsx", [HEAD, ["A", "cqs_01", "a", "2.125"], ["A", "cqs_01", "b", 1000]])
    assert read_unit_data(f, EXAMPLE_FW, decimal=",")["num"].tolist() == [2125.0, 1000.0]
    with pytest.raises(DataError, match="reads as 2125 in Vietnamese writing and 2.125 in English writing"):
        read_unit_data(f, EXAMPLE_FW)


@pytest.mark.parametrize("decimal", [None, ",", "."])
def test_number_cells_read_the_same_under_every_convention(tmp_path, decimal):
    # 0.9 was refused under ',' and 2.125 refused undeclared (ambiguous) or read as 2125 under ','
    f = _workbook(tmp_path / "u.xlsx", [HEAD, ["A", "cqs_01", "a", 2.125], ["A", "cqs_01", "b", 0.9],
                                        ["A", "nts_02", "count", 3], ["A", "nts_01", "value", 1]])
    assert read_unit_data(f, EXAMPLE_FW, decimal=decimal)["num"].tolist() == [2.125, 0.9, 3.0, 1.0]


def test_number_cells_still_meet_the_rules_of_their_input(tmp_path):
    f = _workbook(tmp_path / "u.xlsx", [HEAD, ["A", "nts_02", "count", 2.5]])
    with pytest.raises(DataError, match=r"row 2, column 'value': count 2.5 is not a whole number"):
        read_unit_data(f, EXAMPLE_FW, decimal=",")
    f = _workbook(tmp_path / "n.xlsx", [HEAD, ["A", "cqs_01", "a", -2.5]])
    with pytest.raises(DataError, match=r"row 2, column 'value': negative value -2.5"):
        read_unit_data(f, EXAMPLE_FW, decimal=",")


def test_score_sheet_number_cells(tmp_path):
    # points 12.5 and max 20 as number cells under ',' (12.5 was refused: not Vietnamese writing)
    f = _workbook(tmp_path / "p.xlsx", [["unit", "indicator", "points", "max_points"], ["A", "nts_01", 12.5, 20],
                                        ["A", "nts_02", "7,5", 20]])
    df = read_unit_data(f, EXAMPLE_FW, decimal=",")
    assert df["num"].tolist() == [12.5, 7.5]
    with pytest.raises(DataError, match=r"row 2, column 'points': negative points -2.5"):
        read_unit_data(_workbook(tmp_path / "m.xlsx", [["unit", "indicator", "points"], ["A", "nts_01", -2.5]]),
                       EXAMPLE_FW, decimal=",")


def test_data_frame_numbers_are_numbers():
    df = pd.DataFrame({"unit": ["A", "A"], "indicator": ["cqs_01", "cqs_01"], "input": ["a", "b"],
                       "value": [2.125, 0.9]})
    assert read_unit_data(df, EXAMPLE_FW, decimal=",")["num"].tolist() == [2.125, 0.9]


def test_validate_with_decimal_comma_reads_number_cells(tmp_path, capsys):
    f = _workbook(tmp_path / "u.xlsx", MIXED)
    assert main(["validate", str(f), "--framework", str(EXAMPLE_FW), "--decimal", ","]) == 0
    assert main(["score", "--inputs", str(f), "--framework", str(EXAMPLE_FW), "--decimal", ",",
                 "--out", str(tmp_path / "s.csv")]) == 0
    s = pd.read_csv(tmp_path / "s.csv").set_index("unit")["points"]
    assert s.to_dict() == pytest.approx({"A": 30.0, "B": 40.0})


def test_peer_ratios_number_cells_and_file_rows(tmp_path):
    from dtilib.frameworks import load_framework
    from dtilib.inputs import read_peers

    fw = load_framework("vn-province-922")
    sid = fw.sub.loc[fw.sub["rule"] == "min_max", "id"].iloc[0]
    # a title above the header; 1.0 as a number cell (its text "1" is plain), "1.000" as text is ambiguous
    f = _workbook(tmp_path / "peers.xlsx", [["Tỷ lệ của các tỉnh khác"], ["unit", "indicator", "ratio"],
                                            ["P1", sid, 0.25], ["P2", sid, 1.0], ["P3", sid, "1.000"]])
    with pytest.raises(DataError, match=r"row 5, column 'ratio': '1.000' reads as 1000 in Vietnamese"):
        read_peers(f, fw)                                   # the file's row 5 (was "row 4": header taken as row 1)
    _workbook(f, [["unit", "indicator", "ratio"], ["P1", sid, 0.25], ["P2", sid, 1.0]])
    name, ratios, n = read_peers(f, fw)
    assert ratios[sid].tolist() == [0.25, 1.0] and n == 2
