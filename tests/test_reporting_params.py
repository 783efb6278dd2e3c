"""Notebook parameters are checked by one function, with one readable error each."""

from pathlib import Path

import pytest

from conftest import ROOT
from dtilib.errors import DataError, ParameterError
from dtilib.reporting.params import NOTEBOOKS, check, spec_for

pytestmark = pytest.mark.usefixtures("processed")


def test_defaults_of_every_notebook_are_valid():
    for nb in NOTEBOOKS:
        p = check(nb)
        assert p.title and p.sources, nb
        assert p.lang == "vi"


def test_province_names_resolve_and_derive():
    p = check("02_province_trend", province="lai chau", target_rank=45)
    assert (p.province_slug, p.province_name, p.rank_of) == ("lai-chau", "Lai Châu", 63)
    assert p.title == "Xu hướng DTI của Lai Châu"
    assert check("02", province="Tỉnh Lai Châu", lang="en").title == "DTI trend of Lai Châu"


@pytest.mark.parametrize("kwargs, message", [
    ({"province": "Lai Chou"}, "parameter 'province': unknown province 'Lai Chou' in the 63-province list; "
                               "closest known: Lai Châu"),
    ({"province": 45}, "parameter 'province': 45 is a whole number"),
    ({"target_rank": "abc"}, "parameter 'target_rank': 'abc' is text (expected a whole rank from 1 to 63)"),
    ({"target_rank": "45"}, "parameter 'target_rank': '45' is text (write it without quotes)"),
    ({"target_rank": 64}, "parameter 'target_rank': rank 64 is outside 1..63"),
    ({"target_rank": 4.5}, "parameter 'target_rank': 4.5 is a decimal number"),
    ({"era": 35}, "parameter 'era': unknown era 35"),
    ({"lang": "fr"}, "parameter 'lang': unknown language 'fr' (expected vi or en)"),
    ({"provnce": "Lai Châu"}, "unknown parameter 'provnce' for 02_province_trend; closest known: province"),
    ({"processed_dir": "/nonexistent"}, "parameter 'processed_dir': /nonexistent/results.csv not found "
                                        "(expected the processed tables: run `dti build` (or `make data`) first)"),
])
def test_province_trend_errors_are_one_readable_line(kwargs, message):
    with pytest.raises(ParameterError) as exc:
        check("02_province_trend", **kwargs)
    assert str(exc.value).startswith(message), str(exc.value)
    assert "\n" not in str(exc.value)


def test_a_63_era_province_in_the_34_list_names_its_successor():
    with pytest.raises(ParameterError, match=r"'Bắc Kạn' is a province of the 63-province era, part of Thái Nguyên"):
        check("02", province="Bac Kan", era=34)


def test_a_target_for_a_province_merged_away_is_refused_for_the_year_targeted():
    # report 02's target year is 2025 unless given: out of 34, and Kon Tum went into Quảng Ngãi on 1/7/2025
    assert NOTEBOOKS["02_province_trend"].defaults()["target_year"] == 2025
    with pytest.raises(ParameterError, match=r"^parameter 'province': 'Kon Tum' no longer exists in 2025: it was "
                                             r"merged into Quảng Ngãi on 1/7/2025"):
        check("02", province="Kon Tum", target_rank=40)
    with pytest.raises(ParameterError, match="no longer exists in 2026"):
        check("02", province="Kon Tum", target_rank=40, target_year=2026)
    assert check("02", province="Kon Tum", target_rank=40, target_year=2024).target_rank_of == 63   # before it
    assert check("02", province="Kon Tum").target_rank is None                                      # no target
    # the explorer's default target (45 by 2025) is not the user's: the page opens, its target section says why
    assert check("00", province="Kon Tum").target_rank == 45


def test_default_target_rank_scales_to_the_34_list():
    # the default 45 of 63 (the explorer's) is the same relative place as 24 of 34; any other rank must fit the
    # list; report 02 has no default target (issue 14: 45 would be a fall for Điện Biên, 6/34)
    assert check("00", province="Đà Nẵng", era=34, year=2024).target_rank == 24
    assert check("02", province="Đà Nẵng", era=34).target_rank is None
    with pytest.raises(ParameterError, match="rank 40 is outside 1..34"):
        check("02", province="Đà Nẵng", era=34, target_rank=40)


def test_year_without_results_lists_the_years_that_have_them():
    with pytest.raises(ParameterError, match=r"no DTI results for 2019 in the 63-province list "
                                             r"\(expected one of 2020, 2021, 2022, 2023, 2024\)"):
        check("01_national_overview", year=2019)
    assert check("01", year=2024, era=34).title.endswith("2024")


def test_unit_parameters(tmp_path):
    p = check("03_unit_gap_analysis")
    assert p.illustrative and "MINH HOẠ" in p.title and "ILLUSTRATIVE" in check("03", lang="en").title
    assert p.unit == "Thành phố Bắc Kạn" and len(p.units) == 8
    assert check("03", unit="huyen cho moi").unit == "Huyện Chợ Mới"   # accents and case are forgiven
    with pytest.raises(ParameterError, match=r"unit 'Cho Mo' is not in .*; closest known: Huyện Chợ Mới"):
        check("03", unit="Cho Mo")
    with pytest.raises(ParameterError, match=r"parameter 'unit_file': file .*nope.csv not found"):
        check("04", unit_file=str(tmp_path / "nope.csv"))
    with pytest.raises(ParameterError, match=r"parameter 'budget': -1 is negative"):
        check("04", budget=-1)
    with pytest.raises(ParameterError, match=r"parameter 'framework': unknown framework 'nope'"):
        check("04", framework="nope")


def test_a_broken_unit_file_is_reported_with_file_row_and_column(tmp_path):
    src = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"
    lines = src.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",1,", ",một,", 1) if ",1," in lines[3] else lines[3].rsplit(",", 2)[0] + ",x,y"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        check("03", unit_file=str(bad), unit="Thành phố Bắc Kạn")
    assert "bad.csv" in str(exc.value) and "row" in str(exc.value)


def test_a_user_file_with_several_units_needs_the_unit(tmp_path):
    src = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"
    own = tmp_path / "districts.csv"
    own.write_text(src.read_text(encoding="utf-8").replace("Thành phố Bắc Kạn", "TP Bắc Kạn"), encoding="utf-8")
    with pytest.raises(ParameterError, match=r"holds 8 units \(expected one of TP Bắc Kạn, Huyện Chợ Mới"):
        check("03", unit_file=str(own))
    assert check("03", unit_file=str(own), unit="TP Bắc Kạn").unit == "TP Bắc Kạn"


def test_spec_lookup_by_number_and_path():
    assert spec_for("02").id == "02_province_trend"
    assert spec_for(Path("notebooks/04_points_per_effort.ipynb")).id == "04_points_per_effort"
    with pytest.raises(ParameterError, match="unknown notebook '09'"):
        spec_for("09")


def test_header_shows_title_parameters_sources_and_date():
    p = check("02", lang="vi")
    html = p._repr_mimebundle_()["text/html"]
    for text in ("Xu hướng DTI của Lai Châu", "Tham số", "province", "Nguồn dữ liệu", "results.csv", "Ngày tạo"):
        assert text in html
    meta = p.meta()
    assert meta["parameters"]["province"] == "Lai Châu" and meta["lang"] == "vi" and meta["generated"]


def test_a_new_notebook_is_one_row_of_the_table(monkeypatch, tmp_path):
    # parameters named differently from the shipped notebooks' are checked by their kind alone
    from dtilib.reporting.params import Param, Spec

    data = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"
    spec = Spec("99_custom", "nb.02.title", (
        Param("era", "era", 63), Param("data_dir", "record"), Param("area", "province", "Lai Châu"),
        Param("goal", "rank", 45), Param("by", "target_year", 2026, of="goal"), Param("draws", "int", 10, least=1),
        Param("table", "file", None, fallback=data)), key=("area",), tables=("results.csv",))
    monkeypatch.setitem(NOTEBOOKS, spec.id, spec)
    p = check("99", area="lai chau")
    assert (p.province_slug, p.rank_of, p.target_rank_of, p.target_rank_in_list) == ("lai-chau", 63, 34, 24)
    assert p.table == data and p.illustrative and p.title == "Xu hướng DTI của Lai Châu — MINH HOẠ"
    assert [s["path"].rsplit("/", 1)[-1] for s in p.sources] == ["results.csv", data.name]
    with pytest.raises(ParameterError, match=r"parameter 'draws': 0 is not allowed \(expected a positive whole"):
        check("99", draws=0)
    from dtilib.reporting.runner import report_key

    assert report_key(spec, {"area": "Tỉnh Lai Châu", "era": 34, "lang": "en"}) == "lai-chau-34.en"


def test_year_and_sources_of_a_users_unit_file(tmp_path):
    """Report 03/04 of a user's own data: the year is the file's year column, else the framework's year (never
    the example's 2023); the sources are the files read — not the Bắc Kạn plan's tables."""
    import pandas as pd

    from conftest import EXAMPLE_FW

    rows = [("Xã Tân Lập", "nts_01", "value", "1"), ("Xã Tân Lập", "nts_02", "count", "2")]
    data = pd.DataFrame(rows, columns=["unit", "indicator", "input", "value"])
    data.to_csv(tmp_path / "u.csv", index=False)
    p = check("03_unit_gap_analysis", unit_file=tmp_path / "u.csv", framework=str(EXAMPLE_FW))
    # example_commune.yaml: years [2024, null]
    assert p.title == "Phân tích điểm bị mất — Xã Tân Lập (2024)" and p.year == 2024
    assert [s["label"] for s in p.sources] == ["example-commune", "u.csv"]
    assert p.groups_file is None and p.stated_file is None
    data.assign(year=2025).to_csv(tmp_path / "u25.csv", index=False)
    p = check("04_points_per_effort", unit_file=tmp_path / "u25.csv", framework=str(EXAMPLE_FW), lang="en")
    assert p.title == "Points per effort — Xã Tân Lập (2025)"
    assert [s["label"] for s in p.sources] == ["example-commune", "u25.csv", "effort_defaults.csv"]
    assert check("03", unit_file=tmp_path / "u25.csv", framework=str(EXAMPLE_FW), year=2023).title.endswith("(2023)")
    # a framework of several years and data without a year: no year in the title
    fw = Path(EXAMPLE_FW).read_text(encoding="utf-8").replace("years: [2024, null]", "years: [2021, 2023]")
    (tmp_path / "fw.yaml").write_text(fw, encoding="utf-8")
    assert check("03", unit_file=tmp_path / "u.csv", framework=str(tmp_path / "fw.yaml")).title == \
        "Phân tích điểm bị mất — Xã Tân Lập"
    # the example: its framework's year (2023) and the Bắc Kạn plan's tables, which hold its unit
    p = check("03")
    assert p.year == 2023 and p.title.startswith("Phân tích điểm bị mất — Thành phố Bắc Kạn (2023)")
    assert [s["label"] for s in p.sources][2:] == ["seed_bac_kan_city_2023_groups.csv",
                                                   "seed_bac_kan_city_2023_stated.csv"]
