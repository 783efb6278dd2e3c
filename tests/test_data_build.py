"""``dti build``: raw → processed, deterministic, atomic, validated; clear errors for bad raw files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dtilib.cli import main
from dtilib.data import paths
from dtilib.data.crosswalk import derive_merged
from dtilib.data.raw import tidy_indicators, tidy_results
from dtilib.data.tables import STAMP, TABLES, build, load_table, make_tables
from dtilib.errors import DataError
from dtilib.io import MARKER

RAW = paths.RAW_DIR
HEADER = "year,province,rank,dti_value,source_url,note\n"
P_HEADER = "year,province,pillar,value,rank,source_url,note\n"


@pytest.fixture(scope="module")
def built(processed) -> Path:
    """A build of data/raw: the suite's own (tests/conftest.py builds it once per run, read only here)."""
    return processed


def _raw_copy(tmp_path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    return raw


def _csv(tmp_path, text: str, name="results.csv", header=HEADER) -> Path:
    p = tmp_path / name
    p.write_text(header + text, encoding="utf-8")
    return p


# ---------------------------------------------------------------------------- determinism
def test_build_twice_gives_identical_bytes(built, tmp_path):
    again = tmp_path / "again"
    build(RAW, again)
    for name in TABLES:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name
    assert sorted(p.name for p in again.iterdir()) == sorted([*TABLES, STAMP, MARKER])


def test_shipped_processed_files_are_up_to_date(built):
    """A ``data/processed`` built by ``make data`` in the repository, when there is one, holds what a fresh
    build gives (the suite itself reads its own build, tests/conftest.py)."""
    repo = paths.REPO / "data" / "processed"
    if not (repo / "results.csv").is_file():
        pytest.skip("no data/processed in the repository (make data builds it)")
    for name in TABLES:
        assert (repo / name).read_bytes() == (built / name).read_bytes(), f"data/processed/{name} is stale: run `make data`"
    from dtilib.data.tables import checked_before

    assert checked_before(repo) == set(TABLES), "data/processed/checked.json is stale (the check's code changed): run `make data`"


@pytest.mark.parametrize("name", TABLES)
def test_every_shipped_processed_file_passes_its_schema(name):
    df = load_table(name, paths.PROCESSED_DIR)        # raises DataError on any schema problem
    assert len(df) > 0


def test_build_cli(tmp_path, capsys):
    assert main(["build", "--raw", str(RAW), "--out", str(tmp_path / "p")]) == 0
    assert "results.csv" in capsys.readouterr().out


# ---------------------------------------------------------------------------- contents
def test_results_columns_and_counts(built):
    res = load_table("results.csv", built)
    assert list(res.columns) == ["year", "era", "unit", "unit_slug", "dti_value", "rank", "rank_of", "framework",
                                 "origin", "source", "evidence", "note", "dti_low", "dti_high", "rank_low",
                                 "rank_high"]
    # every row of dti_results.csv (142); record_results.csv adds figures to rows that exist there
    assert (res["origin"] == "published").sum() == 142
    assert set(res["era"]) == {63, 34}
    assert (res.loc[res["era"] == 34, "year"] == 2024).all()


def test_framework_per_year_comes_from_framework_files(built):
    res = load_table("results.csv", built)
    fw = res.groupby("year")["framework"].unique().map(list).to_dict()
    assert fw == {2020: ["vn-province-2020"], 2021: ["vn-province-922"], 2022: ["vn-province-922"],
                  2023: ["vn-province-922"], 2024: ["vn-province-405"]}


def test_2022_has_63_ranks_with_the_tie_at_15(built):
    res = load_table("results.csv", built)
    y = res[(res["year"] == 2022) & (res["origin"] == "published")]
    assert len(y) == 63 and y["unit_slug"].is_unique
    ranks = sorted(y["rank"].astype(int))
    assert ranks == list(range(1, 16)) + [15] + list(range(17, 64))
    assert sorted(y.loc[y["rank"] == 15, "unit"]) == ["Thanh Hóa", "Yên Bái"]
    assert y.loc[y["unit_slug"] == "bac-kan", "rank"].item() == 63          # seed 003: 63/63


def test_list_position_ranks_are_marked(built):
    res = load_table("results.csv", built)
    r = res.set_index(["year", "era", "unit_slug"])
    assert r.loc[(2020, 63, "ho-chi-minh"), "evidence"] == "list_position"  # "position in ordered top-10 list"
    assert r.loc[(2020, 63, "bac-ninh"), "evidence"] == "printed"


def test_2024_groups_and_the_group_34_question(built):
    res = load_table("results.csv", built)
    pub = res[(res["year"] == 2024) & (res["origin"] == "published")].set_index(["era", "unit_slug"])
    assert pub.loc[(63, "ho-chi-minh"), "rank"] == 1          # group=63
    assert pub.loc[(34, "ho-chi-minh"), "rank"] == 4          # group=34
    assert pub.loc[(34, "ha-noi"), "dti_value"] == 0.8241
    # group=34? (source did not say which list): assigned to the 34 list, marked as inferred
    assert pub.loc[(34, "dong-nai"), "evidence"] == "printed+list_inferred"
    assert pub.loc[(34, "thai-nguyen"), "evidence"] == "printed+list_inferred"
    assert (63, "dong-nai") not in pub.index


def test_2024_merged_da_nang_is_the_mean_of_its_members(built):
    # raw dti_results.csv, 2024 group=63: TP. Đà Nẵng 0.8335, Quảng Nam 0.5803 (new Đà Nẵng = both)
    expected = (0.8335 + 0.5803) / 2                          # = 0.7069
    res = load_table("results.csv", built)
    d = res[(res["year"] == 2024) & (res["era"] == 34) & (res["unit_slug"] == "da-nang")]
    assert len(d) == 1
    d = d.iloc[0]
    assert d["origin"] == "derived" and d["evidence"] == "mean_of_members"
    assert d["dti_value"] == pytest.approx(expected, abs=1e-12)
    assert pd.isna(d["rank"])
    assert "0.8335" in d["note"] and "0.5803" in d["note"]


def test_population_weighted_view_is_labelled():
    res = tidy_results(raw_dir=RAW)
    w = derive_merged(res, weights="population")
    d = w[w["unit_slug"] == "da-nang"].iloc[0]
    # provinces_63.csv population: Đà Nẵng 1245200, Quảng Nam 1526100
    expected = (0.8335 * 1245200 + 0.5803 * 1526100) / (1245200 + 1526100)
    assert d["dti_value"] == pytest.approx(expected, abs=1e-6)
    assert d["evidence"] == "population_weighted_mean" and "not the official rule" in d["note"]


def test_no_merged_value_without_all_members(built):
    res = load_table("results.csv", built)
    der = res[(res["origin"] == "derived") & (res["era"] == 34)]
    # Hải Phòng (34) = Hải Dương + Hải Phòng: neither has a 2024 63-list value → nothing derived
    assert "hai-phong" not in set(der["unit_slug"])
    assert set(der["unit_slug"]) == {"da-nang"}


def test_unchanged_units_get_their_34_list_value_in_the_63_list(built):
    res = load_table("results.csv", built)
    d = res[(res["year"] == 2024) & (res["era"] == 63) & (res["origin"] == "derived")].set_index("unit_slug")
    assert d.loc["ha-noi", "dti_value"] == 0.8241 and d.loc["ha-noi", "evidence"] == "unchanged_unit"
    assert d.loc["thua-thien-hue", "dti_value"] == 0.7951


def test_indicators_merge_corroborating_sources(built):
    ind = load_table("indicators.csv", built)
    r = ind[(ind["year"] == 2022) & (ind["unit_slug"] == "quang-ninh") & (ind["indicator"] == "ha_tang_so")]
    assert len(r) == 1                                   # three raw rows (value + two ranks) → one
    assert r["value"].item() == 0.7648 and r["rank"].item() == 4
    assert r["source"].item().count(" | ") == 2


def test_provinces_table(built):
    prov = load_table("provinces.csv", built)
    assert (prov["era"] == 63).sum() == 63 and (prov["era"] == 34).sum() == 34
    p = prov.set_index(["era", "slug"])
    assert p.loc[(63, "bac-giang"), "successor"] == "bac-ninh"
    assert p.loc[(34, "bac-ninh"), "members"] == "bac-giang;bac-ninh"
    assert p.loc[(34, "da-nang"), "population"] == 3065628         # Resolution 202 figure
    assert p.loc[(34, "ha-noi"), "population"] == 8587100          # not merged: the 63-era figure


def test_national_table_keeps_conflicts(built):
    nat = load_table("national.csv", built)
    pa = nat[(nat["year"] == 2020) & (nat["metric"] == "provincial_avg")]
    assert sorted(pa["value"]) == [0.3026, 0.326]
    assert pa["conflict"].all()
    assert nat.loc[nat["metric"] == "provinces_above_avg", "kind"].item() == "count"


# ---------------------------------------------------------------------------- atomicity
def test_failed_build_leaves_the_previous_build_intact(tmp_path):
    raw = _raw_copy(tmp_path)
    out = tmp_path / "processed"
    build(raw, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    with open(raw / paths.RESULTS, "a", encoding="utf-8") as fh:
        fh.write("2023,Tỉnh Không Có,5,0.5,https://example.org,\n")
    with pytest.raises(DataError, match="Không Có"):
        build(raw, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []   # no temp folder left


# ---------------------------------------------------------------------------- clear errors
def test_unknown_name(tmp_path):
    p = _csv(tmp_path, "2022,TP. Đà Nẵng,1,0.8002,https://dti.gov.vn,\n2022,Bắc Ninhh,7,,https://dti.gov.vn,\n")
    with pytest.raises(DataError) as exc:
        tidy_results(p, raw_dir=RAW)
    msg = str(exc.value)
    assert str(p) in msg and "row 3" in msg and "column 'province'" in msg and "Bắc Ninh" in msg


def test_duplicate_rows(tmp_path):
    row = "2022,Bắc Ninh,7,,https://dti.gov.vn/xep-hang-2022,\n"
    p = _csv(tmp_path, row + row)
    with pytest.raises(DataError) as exc:
        tidy_results(p, raw_dir=RAW)
    msg = str(exc.value)
    assert str(p) in msg and "row 3" in msg and "duplicate" in msg and "province" in msg


def test_conflicting_sources(tmp_path):
    p = _csv(tmp_path, "2022,Bắc Ninh,7,,https://a.vn,\n2022,Bắc Ninh,8,,https://b.vn,\n")
    with pytest.raises(DataError, match=r"row 3.*conflicting ranks 7, 8|conflicting ranks 7, 8"):
        tidy_results(p, raw_dir=RAW)


def test_percentage_instead_of_share(tmp_path):
    p = _csv(tmp_path, "2022,Bắc Ninh,7,45,https://dti.gov.vn,\n", name="pillars.csv", header=HEADER)
    with pytest.raises(DataError) as exc:
        tidy_results(p, raw_dir=RAW)
    msg = str(exc.value)
    assert str(p) in msg and "row 2" in msg and "column 'dti_value'" in msg and "0.45" in msg
    q = _csv(tmp_path, "2022,Bắc Ninh,nhan_thuc_so,45,,https://x.vn,\n", name="p.csv", header=P_HEADER)
    with pytest.raises(DataError, match=r"row 2, column 'value'.*45.*0\.45"):
        tidy_indicators(q, raw_dir=RAW)


def test_all_problems_of_a_file_at_once(tmp_path):
    p = _csv(tmp_path, "2022,Bắc Ninh,7,45,https://dti.gov.vn,\n2022,Nowhere,8,,https://x.vn,\n"
                       "2022,Hà Nam,abc,,https://x.vn,\n")
    with pytest.raises(DataError) as exc:
        tidy_results(p, raw_dir=RAW)
    msg = str(exc.value)
    assert "3 problems" in msg
    assert "row 2, column 'dti_value'" in msg and "row 3, column 'province'" in msg and "row 4, column 'rank'" in msg
    assert len(exc.value.problems) == 3


def test_decimal_comma_and_rank_out_of_range(tmp_path):
    p = _csv(tmp_path, "2022,Bắc Ninh,70,\"0,45\",https://dti.gov.vn,\n")
    with pytest.raises(DataError) as exc:
        tidy_results(p, raw_dir=RAW)
    msg = str(exc.value)
    assert "decimal point" in msg and "column 'dti_value'" in msg
    assert "rank 70 is outside 1..63" in msg and "column 'rank'" in msg


def test_missing_column(tmp_path):
    p = tmp_path / "r.csv"
    p.write_text("year,province,rank,source_url,note\n2022,Bắc Ninh,7,https://x.vn,\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        tidy_results(p, raw_dir=RAW)
    msg = str(exc.value)
    assert str(p) in msg and "row 1" in msg and "dti_value" in msg


def test_non_utf8_file(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes((HEADER + "2022,Hà Nam,34,,https://x.vn,\n").encode("cp1258"))   # a Windows "ANSI" save
    with pytest.raises(DataError) as exc:
        tidy_results(p, raw_dir=RAW)
    msg = str(exc.value)
    assert str(p) in msg and "UTF-8" in msg and "row 2" in msg


def test_group_34_before_2024_is_an_error(tmp_path):
    p = _csv(tmp_path, "2022,Bắc Ninh,7,,https://x.vn,group=34 (post-merger ranking)\n")
    with pytest.raises(DataError, match=r"row 2, column 'note'.*group=34"):
        tidy_results(p, raw_dir=RAW)


def test_processed_schema_reports_rows_and_columns(tmp_path, built):
    res = (built / "results.csv").read_text(encoding="utf-8").splitlines()
    bad = tmp_path / "results.csv"
    lines = res[:3]
    cells = lines[2].split(",")
    cells[4] = "45"                                    # dti_value as a percentage
    cells[10] = "guessed"                              # evidence outside the vocabulary
    lines[2] = ",".join(cells)
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        load_table("results.csv", tmp_path)
    msg = str(exc.value)
    assert "row 3, column 'dti_value'" in msg and "row 3, column 'evidence'" in msg


def test_make_tables_is_pure():
    t1, t2 = make_tables(RAW), make_tables(RAW)
    for name in TABLES:
        pd.testing.assert_frame_equal(t1[name], t2[name])
