"""One language at a time (issue 14): what `dti actions`, `score`, `validate`, `template`, `frameworks`, the
`--out x.xlsx` tables and the points-worth error print or write is in the chosen language only, and a template
written in either language reads back."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from lang_scan import codes, foreign_words

from conftest import EXAMPLE_FW
from dtilib.cli import main
from dtilib.i18n import THOUSANDS_VI

ROOT = Path(__file__).resolve().parents[1]
BK_FW = ROOT / "data" / "examples" / "bac-kan-district-1294-illustrative.yaml"
BK_DATA = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"
BK_UNIT = "Thành phố Bắc Kạn"
FIX = Path(__file__).parent / "fixtures" / "analysis"
DATA = ["--results", str(FIX / "results.csv"), "--national", str(FIX / "national.csv")]
#: example_commune.yaml filled by hand: 20 + 20 + (0.4/0.8)×40 + 20 = 80 of 100 (test_cli_core)
FILL = {("nts_01", "value"): "1", ("nts_02", "count"): "4", ("cqs_01", "a"): "50", ("cqs_01", "b"): "20",
        ("cqs_02", "level"): "personalised"}


def _names_of_units() -> set[str]:
    return set(pd.read_csv(BK_DATA, dtype=str)["unit"])


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_actions_in_one_language(lang, capsys):
    assert main(["actions", "--framework", str(BK_FW), "--unit-data", str(BK_DATA), "--unit", BK_UNIT,
                 "--top", "3", "--lang", lang]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert foreign_words(text, lang, _names_of_units()) == []
    first = out.out.splitlines()[1]
    # the default effort row 4 (data/assumptions/effort_defaults.csv): 3 (likely cost) for +5 points of
    # tcs_05 → 5 / 3 = 1.667 points per cost, completed 95 % of the time
    if lang == "vi":
        assert out.out.startswith("Mã hành động") and "Mô tả" in out.out.splitlines()[0]
        assert "1,667" in first and "95 %" in first and "từ 0 lên 1" in first and "công sức giả định" in first
        assert f"tính điểm trên 1{THOUSANDS_VI}000 / 1{THOUSANDS_VI}000 điểm" in out.out
        assert "1.666667" not in out.out
    else:
        assert out.out.startswith("Action") and "1.667" in first and "95%" in first and "raise from 0 to 1" in first
        assert "scored on 1,000 of 1,000 points" in out.out


def _template(tmp_path, lang, suffix):
    path = tmp_path / f"t_{lang}{suffix}"
    assert main(["template", "--framework", str(EXAMPLE_FW), "--unit", "Xã A", "--out", str(path),
                 "--lang", lang]) == 0
    return path


@pytest.mark.parametrize(("lang", "suffix"), [("vi", ".csv"), ("vi", ".xlsx"), ("en", ".csv")])
def test_template_in_the_readers_language_reads_back(tmp_path, capsys, lang, suffix):
    path = _template(tmp_path, lang, suffix)
    wrote = capsys.readouterr().out
    assert wrote.startswith("Đã ghi" if lang == "vi" else "Wrote")
    df = (pd.read_csv(path, dtype=str, keep_default_na=False) if suffix == ".csv"
          else pd.read_excel(path, dtype=str).fillna(""))
    heads = {"vi": ["Đơn vị", "Chỉ số", "Đầu vào", "Giá trị"], "en": ["Unit", "Indicator", "Input", "Value"]}[lang]
    assert list(df.columns[:4]) == heads
    hints = " ".join(df.iloc[:, list(df.columns).index({"vi": "Hướng dẫn điền", "en": "How to fill"}[lang])])
    tiers = {"none", "basic", "personalised"}        # the tier codes one types (example_commune.yaml)
    assert foreign_words(hints, lang, tiers) == []
    assert ("1 = đạt, 0 = chưa đạt" if lang == "vi" else "1 = achieved, 0 = not achieved") in hints
    # filled under the headers as written (no renaming), then validated and scored
    df[heads[3]] = [FILL[(i, n)] for i, n in zip(df[heads[1]], df[heads[2]], strict=True)]
    filled = tmp_path / f"filled{suffix}"
    df.to_csv(filled, index=False) if suffix == ".csv" else df.to_excel(filled, index=False)
    assert main(["validate", str(filled), "--framework", str(EXAMPLE_FW), "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert foreign_words(out, lang, {"Xã A"}) == []
    assert ("hợp lệ — 1 đơn vị, 4 chỉ số; đã điền 5 giá trị đầu vào" if lang == "vi" else
            "OK — 1 unit(s), 4 indicator(s); 5 input value(s)") in out
    res = tmp_path / "s.csv"
    assert main(["score", "--framework", str(EXAMPLE_FW), "--inputs", str(filled), "--out", str(res),
                 "--lang", lang]) == 0
    out = capsys.readouterr()
    assert pd.read_csv(res).loc[0, "points"] == 80
    text = (out.out + out.err).replace("(example only)", "")       # the fixture's legal source, as it names itself
    assert foreign_words(text, lang, {"Xã A"}) == []
    if lang == "vi":
        assert "Xã A: tính điểm trên 100 / 100 điểm" in out.err and "hạng = vị trí giữa các đơn vị" in out.err
        assert "0,8000" in out.out and "Đã ghi" in out.err


def test_template_922_in_vietnamese(tmp_path):
    out = tmp_path / "t922.xlsx"
    assert main(["template", "--framework", "vn-province-922", "--out", str(out)]) == 0
    sheet = pd.read_excel(out, sheet_name="du_lieu", dtype=str).fillna("")
    hint = sheet.set_index(["Chỉ số", "Đầu vào"])["Hướng dẫn điền"]
    assert hint[("nls_01", "a")] == "số công chức chuyên trách về chuyển đổi số"
    assert foreign_words(" ".join(sheet["Hướng dẫn điền"]), "vi") == []
    assert set(sheet["Cách tính"]) <= {"Đạt / không đạt", "Theo mức", "Theo số lần", "Tỷ lệ", "Tỷ lệ có ngưỡng",
                                       "Đạt 100 %", "Min–Max giữa các đơn vị", "Cộng các phần"}
    # an empty template of either language is replaced without --force
    assert main(["template", "--framework", "vn-province-922", "--out", str(out), "--lang", "en"]) == 0
    sheet = pd.read_excel(out, sheet_name="du_lieu", dtype=str).fillna("")
    assert sheet.set_index(["Indicator", "Input"]).loc[("nls_01", "a"), "How to fill"] == \
        "civil servants full-time on DT"


def test_frameworks_listing_in_vietnamese(capsys):
    assert main(["frameworks"]) == 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert "<NA>" not in text and "NaN" not in text and foreign_words(text, "vi") == []
    assert out.out.startswith("Mã bộ chỉ số") and f"1{THOUSANDS_VI}000" in out.out
    assert main(["frameworks", "vn-province-922"]) == 0
    out = capsys.readouterr().out
    assert "chỉ số thành phần biết cách tính và điểm tối đa: 10 / 95" in out and foreign_words(out, "vi") == []
    assert "nền tảng" in out and "foundation" not in out


def test_trend_workbook_in_the_chosen_language(tmp_path, capsys):
    out = tmp_path / "t.xlsx"
    assert main(["trend", "--province", "Lai Chau", "--out", str(out), *DATA]) == 0
    sheets = pd.read_excel(out, sheet_name=None)
    assert list(sheets) == ["Dữ liệu"]
    df = sheets["Dữ liệu"]
    assert {"Năm", "Giá trị DTI", "Xếp hạng", "Phân vị", "Căn cứ"} <= set(df.columns)
    assert foreign_words(" ".join(map(str, df.columns)), "vi") == []
    assert (df["Phân vị"].dropna().round(3) == df["Phân vị"].dropna()).all()
    row = df[(df["Năm"] == 2022) & (df["Danh sách (số tỉnh)"] == 63)].iloc[0]
    assert row["Giá trị DTI"] == 0.5032 and row["Xếp hạng"] == 53 and row["Bộ chỉ số"] == "922/QĐ-BTTTT"
    assert row["Nguồn gốc số liệu"] == "công bố" and row["Căn cứ"] == "in trong văn bản"
    assert codes(" ".join(map(str, df["Gián đoạn"].dropna()))) == []
    assert main(["trend", "--province", "Lai Chau", "--out", str(out), "--lang", "en", *DATA]) == 0
    df = pd.read_excel(out, sheet_name="Data")
    assert {"Year", "DTI value", "Rank", "Percentile"} <= set(df.columns)


def test_points_worth_without_a_published_value_names_the_cli_option(tmp_path, capsys, monkeypatch):
    res = tmp_path / "results.csv"
    # X has a rank (2 of 3) but no published value: between U3's 0.45 and U1's 0.8
    pd.DataFrame({"year": 2023, "era": 63, "unit": ["U1", "X", "U3"], "unit_slug": ["u1", "x", "u3"],
                  "dti_value": [0.8, None, 0.45], "rank": [1, 2, 3], "rank_of": 3, "framework": "f",
                  "origin": "published"}).to_csv(res, index=False)
    monkeypatch.setenv("DTI_LANG", "vi")
    args = ["points-worth", "--unit", "X", "--year", "2023", "--results", str(res), "--draws", "200"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "--value V" in err and "simulate_main" not in err
    assert foreign_words(err.split(": ", 1)[1], "vi", {"value"}) == []     # after "dti points-worth: "
    assert main([*args, "--value", "0.9"]) == 2
    err = capsys.readouterr().err
    assert "--value" in err and "0.4500" in err and "0.8000" in err
    assert main([*args, "--value", "0.5"]) == 0
    assert "X năm 2023: DTI 0,5000, hạng 2/3" in capsys.readouterr().out


def test_report_help_lists_every_report(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "05_outlook_34" in capsys.readouterr().out


def test_paths_shown_relative_to_the_project(tmp_path, monkeypatch):
    from dtilib.io import display_path

    monkeypatch.chdir(tmp_path)
    assert display_path(BK_DATA) == "data/examples/bac-kan-city-2023.illustrative.csv"
    assert display_path(tmp_path / "x.csv") == "x.csv"
