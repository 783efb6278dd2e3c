"""The one published record: dtilib.data.record.Record, loaded once, checked once, passed along."""

import hashlib
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import dtilib
from dtilib import analysis
from dtilib.data import paths, record
from dtilib.errors import DataError, ParameterError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def processed_copy(tmp_path):
    d = tmp_path / "processed"
    shutil.copytree(paths.PROCESSED_DIR, d)
    return d


@pytest.fixture
def count_reads(monkeypatch):
    """Spy on the one function that opens a processed table; returns the list of tables read."""
    from dtilib.data import tables

    reads, real = [], tables.load_table

    def spy(name, *a, **k):
        reads.append(name)
        return real(name, *a, **k)

    monkeypatch.setattr(tables, "load_table", spy)
    record._cached.cache_clear()
    yield reads
    record._cached.cache_clear()


def test_one_loader_under_every_public_name():
    assert dtilib.load_results is dtilib.data.load_results is analysis.load_results is record.load_results
    assert dtilib.load_record is analysis.load_record is record.load_record
    assert dtilib.data.build is dtilib.build                          # the function; the module is data.tables
    assert callable(dtilib.data.build) and dtilib.data.build.__module__ == "dtilib.data.tables"


def test_record_holds_the_processed_tables_and_their_files(processed_copy, count_reads):
    rec = record.load_record(processed_copy)
    assert sorted(rec.tables) == ["indicators", "national", "provinces", "results"]
    assert count_reads == ["results.csv", "indicators.csv", "provinces.csv", "national.csv"]
    # the published record: 2022, Đà Nẵng first with 0.8002 (README)
    r22 = rec.results[(rec.results["year"] == 2022) & (rec.results["rank"] == 1) & (rec.results["origin"] == "published")]
    assert r22["unit"].item() == "Đà Nẵng" and r22["dti_value"].item() == pytest.approx(0.8002)
    prov = rec.provenance().set_index("table")
    assert prov.at["results", "file"] == str(processed_copy / "results.csv")
    assert prov.at["results", "sha256"] == hashlib.sha256((processed_copy / "results.csv").read_bytes()).hexdigest()
    assert prov.at["results", "rows"] == len(rec.results)
    # 2020 provincial average: 0.3026 in most sources, 0.326 in one (DOMAIN / seeds) → 0.3026 kept
    assert rec.averages.set_index("year").at[2020, "provincial_avg"] == pytest.approx(0.3026)


def test_record_is_read_once_and_again_after_a_rebuild(processed_copy, count_reads):
    a = record.load_record(processed_copy)
    b = record.load_record(processed_copy)
    assert a is b and count_reads.count("results.csv") == 1
    assert analysis.load_results(processed_copy).equals(a.results)   # a copy of the same table, no new read
    assert count_reads.count("results.csv") == 1
    f = processed_copy / "results.csv"
    os.utime(f, ns=(f.stat().st_atime_ns, f.stat().st_mtime_ns + 10**9))   # as if rebuilt
    assert record.load_record(processed_copy) is not a
    assert count_reads.count("results.csv") == 2


def test_default_folder_named_or_not_is_one_record(count_reads):
    assert record.load_record() is record.load_record(paths.PROCESSED_DIR)
    assert count_reads.count("results.csv") == 1


@pytest.mark.slow
def test_without_a_build_the_record_is_built_in_memory_the_same(tmp_path, monkeypatch):
    built = record.Record.load(paths.PROCESSED_DIR)
    monkeypatch.setattr(paths, "PROCESSED_DIR", tmp_path / "not-built")
    fresh = record.Record.load()
    assert fresh.sources["results"].endswith("(built in memory)")
    for name in ("results", "indicators"):
        pd.testing.assert_frame_equal(getattr(fresh, name), getattr(built, name), check_dtype=False)
    with pytest.raises(DataError, match="results.csv not found"):
        record.Record.load(tmp_path / "not-built")


def test_processed_table_breaking_its_schema_is_one_error(processed_copy):
    f = processed_copy / "results.csv"
    lines = f.read_text(encoding="utf-8").splitlines(keepends=True)
    head = lines[0].rstrip("\n").split(",")
    cells = lines[1].rstrip("\n").split(",")
    cells[head.index("dti_value")] = "45"                                  # a percentage, not 0..1
    lines[1] = ",".join(cells) + "\n"
    f.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(DataError) as e:
        record.Record.load(processed_copy)
    msg = str(e.value)
    assert msg.startswith(f"{f}") and "row 2" in msg and "'dti_value'" in msg
    assert "expected a value between 0 and 1" in msg


@pytest.fixture
def count_checks(monkeypatch):
    """Spy on the schema check of the processed tables; returns the files checked."""
    from dtilib.data import schemas

    checked, real = [], schemas.validate

    def spy(df, schema, file):
        checked.append(Path(file).name)
        return real(df, schema, file)

    monkeypatch.setattr(schemas, "validate", spy)
    return checked


def test_tables_checked_at_build_are_not_checked_again_until_their_bytes_change(processed_copy, count_checks):
    assert (processed_copy / "checked.json").is_file()           # written by dti build
    first = record.Record.load(processed_copy)
    assert count_checks == []
    f = processed_copy / "national.csv"
    f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")   # same table, other bytes
    again = record.Record.load(processed_copy)
    assert count_checks == ["national.csv"]
    pd.testing.assert_frame_equal(again.results, first.results)


def test_tables_are_checked_again_under_other_checks_or_a_broken_stamp(processed_copy, count_checks, monkeypatch):
    from dtilib.data import tables

    real = tables.checks_fingerprint
    monkeypatch.setattr(tables, "checks_fingerprint", lambda: "another library version")
    record.Record.load(processed_copy)
    assert sorted(count_checks) == ["indicators.csv", "national.csv", "provinces.csv", "results.csv"]
    monkeypatch.setattr(tables, "checks_fingerprint", real)
    count_checks.clear()
    (processed_copy / "checked.json").write_text("{not json", encoding="utf-8")
    record.Record.load(processed_copy)
    assert len(count_checks) == 4


OWN = """year,era,unit,unit_slug,dti_value,rank,rank_of,framework,origin
2022,63,Alpha,alpha,0.5,1,6,fw,published
2022,63,Bravo,bravo,45,2,6,fw,published
2022,63,Charlie,charlie,0.3,3,6,fw,published
"""


def test_own_results_file_with_a_schema_violation_names_file_row_column(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(OWN, encoding="utf-8")
    with pytest.raises(DataError) as e:
        analysis.load_results(f)
    assert str(e.value) == (f"{f}, row 3, column 'dti_value': '45' is not valid (expected a value between 0 and 1 "
                            "(points / max; a percentage like 45 means 0.45))")


def test_own_results_file_every_problem_at_once(tmp_path):
    f = tmp_path / "mine.csv"
    f.write_text(OWN.replace("0.3,3,6", "0.3,9,6").replace("2022,63,Alpha", ",63,Alpha"), encoding="utf-8")
    with pytest.raises(DataError) as e:
        record.read_results(f)
    assert e.value.problems == [
        {"row": 2, "column": "year", "problem": "an empty cell is not valid", "expected": "a year such as 2022"},
        {"row": 3, "column": "dti_value", "problem": "'45' is not valid",
         "expected": "a value between 0 and 1 (points / max; a percentage like 45 means 0.45)"},
        {"row": 4, "column": "rank", "problem": "'9' is not valid", "expected": "a rank between 1 and rank_of"},
    ]


def test_own_results_file_lenient_any_list_and_units():
    toy = analysis.load_results(ROOT / "tests" / "fixtures" / "analysis" / "results_toy.csv")   # 6 synthetic units
    assert set(toy["rank_of"]) == {6} and toy["year"].dtype.kind == "i" and "_halfwidth" in toy.columns


def test_analysis_takes_a_record_or_dataframes_alike():
    rec = dtilib.load_record()
    by_record = analysis.trend(rec, "Lai Châu")
    by_frames = analysis.trend(rec.results, "Lai Châu", national=rec.averages)
    pd.testing.assert_frame_equal(by_record, by_frames)
    # Lai Châu 2021: 0.3350, rank 48 of 63 (seed 004, data/raw/dti_results.csv)
    r21 = by_record[(by_record["year"] == 2021) & (by_record["era"] == 63)].iloc[0]
    assert (r21["value"], int(r21["rank"])) == (pytest.approx(0.3350), 48)


def test_one_name_resolver():
    from dtilib.data.names import resolve, resolve_unit

    assert resolve("Lai Chau") == "lai-chau"
    assert resolve("Thừa Thiên - Huế", 34) == "hue"
    who = resolve_unit("Tỉnh Bắc Giang")
    assert who["slug63"] == "bac-giang" and who["successor34"] == "bac-ninh"
    with pytest.raises(ParameterError, match=r"unknown province 'Lai Chao' in the 63-province list; closest known: "
                                             r"Lai Châu"):
        resolve("Lai Chao")


NB02 = ROOT / "notebooks" / "02_province_trend.py"


def test_record_read_once_along_a_report_path(processed_copy, count_reads):
    """Parameters checked (as every report does), then the analysis of notebook 02 given the Record:
    the processed tables are read once."""
    from dtilib.reporting.params import check

    p = check("02_province_trend", province="Lai Chau", processed_dir=processed_copy)
    rec = dtilib.load_record(p.processed_dir)
    analysis.trend(rec, p.province_slug)
    analysis.rank_change(rec, p.province_slug, 2021, 2022)
    analysis.distance_to_target(rec, p.province_slug, 45, 2025)
    analysis.peer_table(rec, p.province_slug, 2022, peers="region")
    assert count_reads == ["results.csv", "indicators.csv", "provinces.csv", "national.csv"]


@pytest.mark.slow
def test_record_loaded_once_per_report(processed_copy, count_reads, monkeypatch):
    """Notebook 02 run in this process (parameters checked, then trend, rank changes, target, peers):
    the processed tables are read once."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    src = NB02.read_text(encoding="utf-8")
    assert "processed_dir = None" in src
    src = src.replace("processed_dir = None", f"processed_dir = {str(processed_copy)!r}", 1)
    exec(compile(src, str(NB02), "exec"), {"__name__": "nb02"})            # noqa: S102 — our own notebook
    import matplotlib.pyplot as plt

    plt.close("all")
    assert count_reads.count("results.csv") == 1
