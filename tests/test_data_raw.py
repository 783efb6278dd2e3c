"""The raw layer: byte copies of ../shared/data + transcriptions, provenance in SOURCES.yaml."""

from __future__ import annotations

import hashlib
import re
import shutil

import pytest
import yaml

from dtilib.cli import main
from dtilib.data import paths
from dtilib.data.importer import import_raw, read_sources, verify_raw
from dtilib.errors import DataError

RAW = paths.RAW_DIR
SHARED = paths.SHARED_DATA
SEEDS = paths.REPO.parent / "shared" / "seeds"


def test_raw_files_match_their_sha256():
    assert verify_raw(RAW) == []


def test_every_raw_file_is_described():
    files = read_sources(RAW)["files"]
    for name, entry in files.items():
        assert entry["what"] and entry["sha256"], name
        assert entry["kind"] in {"imported", "transcribed"}
        assert hashlib.sha256((RAW / name).read_bytes()).hexdigest() == entry["sha256"]
    # the published results cite web sources, summarised by domain
    assert files["dti_results.csv"]["sources"]["web_domains"]["dti.gov.vn"] >= 50
    assert files["dti_results.csv"]["rows"] == 142          # README: 142 rows
    assert files["dti_pillars.csv"]["rows"] == 178


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data not beside the repository")
def test_imported_files_are_byte_copies_of_shared_data():
    for p in sorted(SHARED.iterdir()):
        assert (RAW / p.name).read_bytes() == p.read_bytes(), p.name


def test_import_raw_copies_refuses_changes_and_forces(tmp_path):
    src, dst = tmp_path / "src", tmp_path / "raw"
    src.mkdir()
    (src / "a.csv").write_text("x,y\n1,https://dti.gov.vn/a\n", encoding="utf-8")
    (src / "README.md").write_text("| file | rows | content |\n|---|---|---|\n| `a.csv` | 1 | a test table |\n",
                                   encoding="utf-8")
    report = import_raw(src, dst)
    assert sorted(report["copied"]) == ["README.md", "a.csv"]
    assert (dst / "a.csv").read_bytes() == (src / "a.csv").read_bytes()
    doc = yaml.safe_load((dst / "SOURCES.yaml").read_text(encoding="utf-8"))
    entry = doc["files"]["a.csv"]
    assert entry["what"] == "a test table"
    assert entry["sources"]["web_domains"] == {"dti.gov.vn": 1}
    assert entry["sha256"] == hashlib.sha256(b"x,y\n1,https://dti.gov.vn/a\n").hexdigest()
    assert import_raw(src, dst)["unchanged"] == ["README.md", "a.csv"]

    (src / "a.csv").write_text("x,y\n2,https://dti.gov.vn/a\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"a\.csv.*--force"):
        import_raw(src, dst)
    assert (dst / "a.csv").read_text(encoding="utf-8").startswith("x,y\n1")     # untouched
    assert import_raw(src, dst, force=True)["replaced"] == ["a.csv"]
    assert (dst / "a.csv").read_text(encoding="utf-8").startswith("x,y\n2")


def test_import_raw_keeps_transcribed_entries(tmp_path):
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    src = tmp_path / "src"
    src.mkdir()
    for name, entry in read_sources(RAW)["files"].items():
        if entry["kind"] == "imported":
            shutil.copy(RAW / name, src / name)
    import_raw(src, dst)
    assert read_sources(dst)["files"]["seed_bac_kan_city_2023_stated.csv"] == \
        read_sources(RAW)["files"]["seed_bac_kan_city_2023_stated.csv"]
    assert verify_raw(dst) == []


def test_import_raw_cli_refuses_without_force(tmp_path, capsys):
    src, dst = tmp_path / "src", tmp_path / "raw"
    src.mkdir()
    (src / "a.csv").write_text("x\n1\n", encoding="utf-8")
    assert main(["import-raw", "--from", str(src), "--to", str(dst)]) == 0
    (src / "a.csv").write_text("x\n2\n", encoding="utf-8")
    assert main(["import-raw", "--from", str(src), "--to", str(dst)]) == 2
    assert "a.csv" in capsys.readouterr().err
    assert main(["import-raw", "--from", str(src), "--to", str(dst), "--force"]) == 0


def test_verify_raw_detects_a_modified_file(tmp_path):
    dst = tmp_path / "raw"
    shutil.copytree(RAW, dst)
    with open(dst / "dti_results.csv", "a", encoding="utf-8") as fh:
        fh.write("2023,Bắc Kạn,60,,https://example.org,\n")
    assert any("dti_results.csv" in p and "sha256" in p for p in verify_raw(dst))


# ------------------------------------------------------------------ seed transcriptions
def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_seed_documents_are_named_publicly():
    """Every seed text has a public-document entry (issuer, title, date) and no table cites a local path."""
    from dtilib.data.raw import documents

    docs = {k: v for k, v in documents(str(RAW)).items() if k.startswith("doc:")}
    assert {d["seed_file"] for d in docs.values()} >= {
        "000_f880ebdb3d87b015.txt", "001_6f4a9049a3052fe7.txt", "002_083222efbfa26fa1.txt",
        "003_a0ff83433cb52b61.txt", "004_d0c697cae0e48c6d.txt"}
    assert documents(str(RAW))["seed:004_d0c697cae0e48c6d.txt"]["issuer"] == "Ủy ban nhân dân tỉnh Lai Châu"
    for d in docs.values():
        assert d["issuer"] and d["title"] and d["date"]
    shipped = [paths.PROCESSED_DIR / n for n in ("results.csv", "indicators.csv", "national.csv")]
    shipped += list((paths.REPO / "dtilib" / "frameworks").glob("*.yaml"))
    shipped += [RAW / "SOURCES.yaml"] + list((paths.REPO / "data" / "examples").glob("*"))
    for p in shipped:
        if p.is_file():
            assert "shared/seeds" not in p.read_text(encoding="utf-8"), p


def test_unknown_source_is_one_clear_error(tmp_path):
    from dtilib.data.raw import tidy_results
    from dtilib.errors import DataError

    bad = tmp_path / "r.csv"
    bad.write_text("year,province,rank,dti_value,source_url,note\n2022,Hà Nam,34,0.55,C:/my files/notes.txt,\n"
                   "2022,Bắc Ninh,7,0.65,doc:no-such-document,\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        tidy_results(bad, raw_dir=RAW)
    text = str(exc.value)
    assert "row 2" in text and "row 3" in text and "source_url" in text
    assert "unknown source 'C:/my files/notes.txt'" in text and "doc:no-such-document" in text


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds not beside the repository")
def test_seed_quotes_are_the_seed_text():
    import csv

    seed = _squash((SEEDS / "000_f880ebdb3d87b015.txt").read_text(encoding="utf-8"))
    for name in (paths.SEED_GROUPS, paths.SEED_STATED):
        with open(RAW / name, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                assert row["source"] == "doc:bac-kan-city-kh-dti-2024"     # public_documents.csv → seed 000
                assert _squash(row["quote"]) in seed, row["quote"]
                if name == paths.SEED_STATED:
                    assert row["printed"] in row["quote"]


def test_seed_group_table_is_the_published_table():
    """The group table of seed 000 (Bắc Kạn city 2023), as printed in the plan."""
    import csv

    with open(RAW / paths.SEED_GROUPS, encoding="utf-8") as fh:
        rows = {r["group"]: r for r in csv.DictReader(fh)}
    assert list(rows) == ["nhan_thuc_so", "the_che_so", "ha_tang_so", "nhan_luc_so", "an_toan_thong_tin",
                          "chinh_quyen_so", "kinh_te_so", "xa_hoi_so", "do_thi_thong_minh"]
    expected = {  # group: (max, achieved, n, at max, at zero, partial) — seed 000, section II.2
        "nhan_thuc_so": ("70", "67.5", "7", "6", "0", "1"), "the_che_so": ("90", "60", "9", "6", "3", "0"),
        "ha_tang_so": ("70", "66.82", "7", "5", "0", "2"), "nhan_luc_so": ("60", "50", "8", "6", "2", "0"),
        "an_toan_thong_tin": ("80", "34.9", "14", "3", "7", "4"),
        "chinh_quyen_so": ("230", "148.02", "18", "10", "5", "3"),
        "kinh_te_so": ("190", "51.56", "15", "4", "10", "1"), "xa_hoi_so": ("210", "60.73", "11", "2", "3", "6")}
    for g, e in expected.items():
        r = rows[g]
        assert (r["max_points"], r["achieved"], r["n_sub_indicators"], r["n_at_max"], r["n_at_zero"],
                r["n_partial"]) == e
    assert rows["do_thi_thong_minh"]["scored"] == "no"
