"""``dti reconcile``: every check type has a passing and a failing case (small fixtures), and the
known slips of the shipped data are found.  Expected numbers are the published figures or a hand
calculation written here."""

from __future__ import annotations

import pandas as pd
import pytest

from dtilib.cli import main
from dtilib.data import paths
from dtilib.data import reconcile as rc
from dtilib.data.raw import read_seed_groups, read_seed_stated, tidy_indicators, tidy_national, tidy_results

RAW = paths.RAW_DIR
R_HEAD = "year,province,rank,dti_value,source_url,note\n"
P_HEAD = "year,province,pillar,value,rank,source_url,note\n"

# dti.gov.vn 2022 detailed table, TP. Đà Nẵng (data/raw/dti_pillars.csv); DTI 0.8002 (dti_results.csv)
DA_NANG_2022 = {"nhan_thuc_so": "1.0000", "the_che_so": "0.9000", "ha_tang_so": "0.8253", "nhan_luc_so": "0.8487",
                "an_toan_thong_tin": "0.7578", "chinh_quyen_so": "0.8575", "kinh_te_so": "0.7836",
                "xa_hoi_so": "0.5197"}


def _res(tmp_path, rows: str):
    p = tmp_path / "r.csv"
    p.write_text(R_HEAD + rows, encoding="utf-8")
    return tidy_results(p, raw_dir=RAW)


def _ind(tmp_path, rows: str):
    p = tmp_path / "p.csv"
    p.write_text(P_HEAD + rows, encoding="utf-8")
    return tidy_indicators(p, raw_dir=RAW)


def _none(tmp_path):
    return _ind(tmp_path, "2022,Hà Nam,nhan_thuc_so,,,https://x.vn,\n")   # a rank-less, value-less row


def _statuses(rows, check=None):
    return [r["status"] for r in rows if check is None or r["check"] == check]


def test_tolerance_is_half_a_unit_of_the_last_printed_decimal():
    assert rc.tolerance(2) == pytest.approx(0.005, abs=1e-8)        # 0.71
    assert rc.tolerance(4) == pytest.approx(0.00005, abs=1e-8)      # 0.8002
    assert rc.tolerance(0) == pytest.approx(0.5, abs=1e-8)          # "+3%"


# ------------------------------------------------------------------------- DTI from main values
def _da_nang(tmp_path, dti: str):
    res = _res(tmp_path, f"2022,TP. Đà Nẵng,1,{dti},https://dti.gov.vn,\n")
    ind = _ind(tmp_path, "".join(f"2022,TP. Đà Nẵng,{k},{v},,https://dti.gov.vn,\n" for k, v in DA_NANG_2022.items()))
    return res, ind


def test_dti_from_main_values(tmp_path):
    # 100×(1+0.9+0.8253+0.8487+0.7578) + 200×0.8575 + 150×0.7836 + 150×0.5197 = 800.175 → 0.800175
    res, ind = _da_nang(tmp_path, "0.8002")
    rows = rc.check_dti_from_main(res, ind)
    assert _statuses(rows) == ["ok"] and rows[0]["computed"] == pytest.approx(0.800175)
    res, ind = _da_nang(tmp_path, "0.8102")
    assert _statuses(rc.check_dti_from_main(res, ind)) == ["mismatch"]


def test_dti_from_main_needs_all_main_values(tmp_path):
    res = _res(tmp_path, "2022,TP. Đà Nẵng,1,0.8002,https://dti.gov.vn,\n")
    ind = _ind(tmp_path, "2022,TP. Đà Nẵng,nhan_thuc_so,1.0000,,https://dti.gov.vn,\n")
    rows = rc.check_dti_from_main(res, ind)
    assert _statuses(rows) == ["insufficient"] and "1 of 8" in rows[0]["detail"]


def test_2020_dti_from_pillar_values(tmp_path):
    # DOMAIN.md: Bắc Ninh 2020 0.4×0.4449 + 0.3×0.3668 + 0.3×0.4052 = 0.40956 → published 0.4096
    pillars = "".join(f"2020,Bắc Ninh,{k},{v},,https://x.vn,\n" for k, v in
                      (("chinh_quyen_so_pillar", "0.4449"), ("kinh_te_so_pillar", "0.3668"), ("xa_hoi_so_pillar", "0.4052")))
    ok = rc.check_dti_from_main(_res(tmp_path, "2020,Bắc Ninh,3,0.4096,https://x.vn,\n"), _ind(tmp_path, pillars))
    assert _statuses(ok) == ["ok"] and ok[0]["computed"] == pytest.approx(0.40956)
    bad = rc.check_dti_from_main(_res(tmp_path, "2020,Bắc Ninh,3,0.4196,https://x.vn,\n"), _ind(tmp_path, pillars))
    assert _statuses(bad) == ["mismatch"]


# ------------------------------------------------------------------------- pillar summaries
def test_pillar_summary_from_main_values(tmp_path):
    # CQS pillar = (100×(1+0.9+0.8253+0.8487+0.7578) + 200×0.8575) / 700 = 604.68 / 700 = 0.863829
    mains = "".join(f"2022,TP. Đà Nẵng,{k},{v},,https://x.vn,\n" for k, v in DA_NANG_2022.items())
    res = _res(tmp_path, "2022,TP. Đà Nẵng,1,0.8002,https://x.vn,\n")
    ok = rc.check_pillar_summaries(res, _ind(tmp_path, mains + "2022,TP. Đà Nẵng,chinh_quyen_so_pillar,0.8638,,https://y.vn,\n"))
    cqs = [r for r in ok if "chinh_quyen_so_pillar" in r["detail"]]
    assert _statuses(cqs) == ["ok"] and cqs[0]["computed"] == pytest.approx(604.68 / 700)
    bad = rc.check_pillar_summaries(res, _ind(tmp_path, mains + "2022,TP. Đà Nẵng,chinh_quyen_so_pillar,0.8738,,https://y.vn,\n"))
    assert _statuses([r for r in bad if "chinh_quyen_so_pillar" in r["detail"]]) == ["mismatch"]


def _three(prov, year, cqs, kts, xhs):
    return "".join(f"{year},{prov},{k},{v},,https://x.vn,\n" for k, v in
                   (("chinh_quyen_so_pillar", cqs), ("kinh_te_so_pillar", kts), ("xa_hoi_so_pillar", xhs)))


def test_pillar_summaries_feasible(tmp_path):
    # Trà Vinh 2022 (published): F+A_cqs = 0.6683×700, F+A_kts = 0.6647×650, F+A_xhs = 0.5991×650, DTI 0.6077
    # ⇒ F = (467.81 + 432.055 + 389.415 − 607.7)/2 = 340.79, A = 127.02 / 91.265 / 48.625: all within max
    res = _res(tmp_path, "2022,Trà Vinh,25,0.6077,https://x.vn,\n")
    ok = rc.check_summaries_feasible(res, _ind(tmp_path, _three("Trà Vinh", 2022, "0.6683", "0.6647", "0.5991")))
    assert _statuses(ok) == ["ok"]
    # the same summaries cannot give a DTI of 0.8000 (hand bound: ≤ (467.81+432.055+389.415)/1000 − … < 0.73)
    res_bad = _res(tmp_path, "2022,Trà Vinh,25,0.8000,https://x.vn,\n")
    bad = rc.check_summaries_feasible(res_bad, _ind(tmp_path, _three("Trà Vinh", 2022, "0.6683", "0.6647", "0.5991")))
    assert _statuses(bad) == ["mismatch"]


def test_tuyen_quang_2023_summaries_are_infeasible(tmp_path):
    # published (raw, marked SUSPECT): 0.7089, 0.6197, 0.4443, DTI 0.6735 ⇒ F+A_cqs = 496.23, F+A_xhs = 288.80:
    # F ≥ 496.23 − 200 = 296.23 but F ≤ 288.80 — no points within the max give these values
    res = _res(tmp_path, "2023,Tuyên Quang,38,0.6735,https://x.vn,\n")
    rows = rc.check_summaries_feasible(res, _ind(tmp_path, _three("Tuyên Quang", 2023, "0.7089", "0.6197", "0.4443")))
    assert _statuses(rows) == ["mismatch"] and "no main-indicator points" in rows[0]["detail"]


# ------------------------------------------------------------------------- merged means
def test_merged_mean(tmp_path):
    base = ("2024,TP. Đà Nẵng,2,0.8335,https://x.vn,group=63\n"
            "2024,Quảng Nam,57,0.5803,https://x.vn,group=63\n")
    # (0.8335 + 0.5803) / 2 = 0.7069
    ok = rc.check_merged_mean(_res(tmp_path, base + "2024,TP. Đà Nẵng,17,0.7069,https://y.vn,group=34\n"),
                              _none(tmp_path))
    assert _statuses(ok) == ["ok"] and ok[0]["computed"] == pytest.approx(0.7069)
    bad = rc.check_merged_mean(_res(tmp_path, base + "2024,TP. Đà Nẵng,17,0.7500,https://y.vn,group=34\n"),
                               _none(tmp_path))
    assert _statuses(bad) == ["mismatch"]
    missing = rc.check_merged_mean(_res(tmp_path, "2024,TP. Đà Nẵng,17,0.7500,https://y.vn,group=34\n"),
                                   _none(tmp_path))
    assert _statuses(missing) == ["insufficient"] and "Quảng Nam" in missing[0]["detail"]


# ------------------------------------------------------------------------- ranks
def test_rank_order(tmp_path):
    ok = rc.check_rank_order(_res(tmp_path, "2022,Bắc Ninh,1,0.80,https://x.vn,\n2022,Hà Nam,2,0.70,https://x.vn,\n"),
                             _none(tmp_path))
    assert _statuses(ok) == ["ok", "ok"]
    bad = rc.check_rank_order(_res(tmp_path, "2022,Bắc Ninh,3,0.80,https://x.vn,\n2022,Hà Nam,2,0.70,https://x.vn,\n"),
                              _none(tmp_path))
    assert _statuses(bad) == ["mismatch", "mismatch"]
    # values equal within their printed precision (0.54 = 0.535..0.545) do not order the ranks
    tie = rc.check_rank_order(_res(tmp_path, "2022,Bắc Ninh,3,0.54,https://x.vn,\n2022,Hà Nam,2,0.5432,https://x.vn,\n"),
                              _none(tmp_path))
    assert _statuses(tie) == ["ok", "ok"]


def _full_list(tmp_path, ranks):
    with open(RAW / paths.PROVINCES_63, encoding="utf-8") as fh:
        names = [line.split(",")[0] for line in fh.read().splitlines()[1:]]
    return _res(tmp_path, "".join(f"2022,{n},{r},,https://x.vn,\n" for n, r in zip(names, ranks, strict=True)))


def test_rank_sequence(tmp_path):
    good = list(range(1, 16)) + [15] + list(range(17, 64))        # the 2022 list: tie at 15, no 16
    assert _statuses(rc.check_rank_sequence(_full_list(tmp_path, good), _none(tmp_path))) == ["ok"]
    bad = list(range(1, 16)) + [15] + list(range(16, 63))          # a tie that does not skip a rank
    rows = rc.check_rank_sequence(_full_list(tmp_path, bad), _none(tmp_path))
    assert _statuses(rows) == ["mismatch"] and "rank 16 where 17 was expected" in rows[0]["detail"]


def test_stated_rank_change(tmp_path):
    ok = rc.check_stated_rank_change(_res(tmp_path, "2021,Yên Bái,27,,https://x.vn,\n"
                                                    "2022,Yên Bái,15,,https://x.vn,up 12 places (from 27 in 2021)\n"))
    assert _statuses(ok) == ["ok"]
    # the Yên Bái 2021 article: "up 17 places" but 40 → 27 is 13
    bad = rc.check_stated_rank_change(_res(tmp_path, "2020,Yên Bái,40,,https://x.vn,\n"
                                                     "2021,Yên Bái,27,,https://x.vn,up 17 places vs 2020\n"))
    assert _statuses(bad) == ["mismatch"] and (bad[0]["published"], bad[0]["computed"]) == (17, 13)
    down = rc.check_stated_rank_change(_res(tmp_path, "2021,Bắc Kạn,51,,https://x.vn,\n"
                                                      "2022,Bắc Kạn,63,,https://x.vn,down 12 places vs previous year\n"))
    assert _statuses(down) == ["ok"] and down[0]["published"] == -12


def test_stated_value_change(tmp_path):
    ok = rc.check_stated_value_change(_res(tmp_path, "2020,TP. Đà Nẵng,1,0.4874,https://x.vn,\n"
                                                     "2021,TP. Đà Nẵng,1,0.6419,https://x.vn,+0.1545 vs 2020\n"), None)
    assert _statuses(ok) == ["ok"]                          # 0.6419 − 0.4874 = 0.1545
    bad = rc.check_stated_value_change(_res(tmp_path, "2020,TP. Đà Nẵng,1,0.4874,https://x.vn,\n"
                                                      "2021,TP. Đà Nẵng,1,0.6419,https://x.vn,+0.2545 vs 2020\n"), None)
    assert _statuses(bad) == ["mismatch"]


def _national(tmp_path, text):
    p = tmp_path / "nat.csv"
    p.write_text("year,metric,value,source_url,note\n" + text, encoding="utf-8")
    return tidy_national(path=p)


def test_stated_percentage_change(tmp_path):
    # 0.4014 / 0.3026 − 1 = 32.65 % → "+32.7%" ok; with 0.326: 23.13 % → mismatch
    nat = _national(tmp_path, "2020,provincial_avg,0.3026,https://a.vn,\n2020,provincial_avg,0.326,https://b.vn,\n"
                              "2021,provincial_avg,0.4014,https://c.vn,+32.7% vs 2020\n")
    rows = rc.check_stated_value_change(_res(tmp_path, "2021,Hà Nam,40,,https://x.vn,\n"), nat)
    assert sorted(_statuses(rows)) == ["mismatch", "ok"]
    ok = [r for r in rows if r["status"] == "ok"][0]
    assert ok["computed"] == pytest.approx((0.4014 / 0.3026 - 1) * 100)


def test_national_sources_agree(tmp_path):
    same = _national(tmp_path, "2023,ministry_dvc_avg,0.6355,https://a.vn,\n2023,ministry_dvc_avg,0.6355,https://b.vn,\n")
    assert _statuses(rc.check_national(same, None)) == ["ok"]
    diff = _national(tmp_path, "2020,provincial_avg,0.3026,https://a.vn,\n2020,provincial_avg,0.326,https://b.vn,\n")
    assert _statuses(rc.check_national(diff, None)) == ["mismatch"]


# ------------------------------------------------------------------------- group tables
def _group_files(tmp_path, achieved_nts="67.5", total="539,53", total_value="539.53", n_partial="1", gap="16.51"):
    g = (RAW / paths.SEED_GROUPS).read_text(encoding="utf-8")
    g = g.replace("nhan_thuc_so,Nhận thức số,yes,70,67.5,7,6,0,1,",
                  f"nhan_thuc_so,Nhận thức số,yes,70,{achieved_nts},7,6,0,{n_partial},")
    s = (RAW / paths.SEED_STATED).read_text(encoding="utf-8")
    s = s.replace('total,,"539,53",539.53,', f'total,,"{total}",{total_value},').replace(
        'gap_to_next,,"16,51",16.51,', f'gap_to_next,,"{gap}",{gap},')
    (tmp_path / "g.csv").write_text(g, encoding="utf-8")
    (tmp_path / "s.csv").write_text(s, encoding="utf-8")
    return rc.check_group_table(read_seed_groups(path=tmp_path / "g.csv"), read_seed_stated(path=tmp_path / "s.csv"))


def test_group_table_checks_pass_and_fail(tmp_path):
    ok = _group_files(tmp_path)
    for check in ("group_total", "group_counts", "group_gap"):
        assert set(_statuses(ok, check)) == {"ok"}, check
    # total: Σ achieved 539.53 (67.5+60+66.82+50+34.9+148.02+51.56+60.73); a stated 549.53 does not add up
    assert _statuses(_group_files(tmp_path, total="549,53", total_value="549.53"), "group_total") == ["mismatch"]
    # counts: 6 at max + 0 at zero + 2 partial ≠ 7 sub-indicators
    assert "mismatch" in _statuses(_group_files(tmp_path, n_partial="2"), "group_counts")
    # gap: 539.53 − 523.02 = 16.51, not 16.61
    assert _statuses(_group_files(tmp_path, gap="16.61"), "group_gap") == ["mismatch"]


def test_the_two_bac_kan_city_slips_are_found():
    rows = rc.check_group_table(read_seed_groups(RAW), read_seed_stated(RAW))
    lost = {r["unit"].split(": ")[1]: r for r in rows if r["check"] == "group_lost"}
    assert len(lost) == 8
    mism = {k: (r["published"], r["computed"]) for k, r in lost.items() if r["status"] == "mismatch"}
    # 70 − 67.5 = 2.5 (text: −32,5); 230 − 148.02 = 81.98 (text: −89,98)
    assert mism == {"Nhận thức số": (32.5, 2.5), "Hoạt động chính quyền số": (89.98, 81.98)}
    assert lost["Nhân lực số"]["status"] == "ok" and "without a minus" in lost["Nhân lực số"]["detail"]
    total = [r for r in rows if r["check"] == "group_total"][0]
    assert total["status"] == "ok" and total["computed"] == pytest.approx(539.53)


def test_readme_conflict_rows(tmp_path):
    conflicts = pd.DataFrame([{"id": "x", "years": "2021", "units": "Yên Bái", "covered_by": "stated_rank_change",
                               "quote": "q"}])
    rows = pd.DataFrame([rc._row(2021, "Yên Bái", "stated_rank_change", 17, 13, "mismatch")])
    assert _statuses(rc.check_readme_conflicts(conflicts, rows)) == ["mismatch"]
    rows = pd.DataFrame([rc._row(2021, "Yên Bái", "stated_rank_change", 13, 13, "ok")])
    assert _statuses(rc.check_readme_conflicts(conflicts, rows)) == ["ok"]


# ------------------------------------------------------------------------- shipped data, CLI
@pytest.fixture(scope="module")
def shipped():
    return rc.reconcile()


def test_shipped_data_mismatches(shipped):
    assert list(shipped.columns) == rc.COLUMNS
    assert set(shipped["status"]) <= set(rc.STATUSES)
    m = shipped[shipped["status"] == "mismatch"]
    found = set(zip(m["year"], m["unit"], m["check"], strict=True))
    assert (2021, "Yên Bái", "stated_rank_change") in found
    assert (2023, "Thành phố Bắc Kạn: Nhận thức số", "group_lost") in found
    assert (2023, "Thành phố Bắc Kạn: Hoạt động chính quyền số", "group_lost") in found
    assert (2023, "Tuyên Quang", "pillar_summaries_feasible") in found
    # the 2020 average conflict is resolved by the 2021 "+32.7 %": no longer a mismatch, flagged instead
    assert not any(y == 2020 and u == "national: provincial_avg" for y, u, _c in found)
    flagged = shipped[shipped["status"] == "flagged"]
    assert (2020, "national: provincial_avg", "national_sources_agree") in set(
        zip(flagged["year"], flagged["unit"], flagged["check"], strict=True))
    ok = shipped[shipped["status"] == "ok"]
    okset = set(zip(ok["year"], ok["unit"], ok["check"], strict=True))
    assert (2022, "Đà Nẵng", "dti_from_main") in okset          # 0.8002, DOMAIN.md
    assert (2020, "Bắc Ninh", "dti_from_main") in okset         # 0.4096
    assert (2022, "Bắc Kạn", "stated_rank_change") in okset     # seed 003: 51 → 63, "down 12"
    assert (2022, "all 63 units", "rank_sequence") in okset


def test_cli_reconcile(tmp_path, capsys):
    out = tmp_path / "rec.csv"
    assert main(["reconcile", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "mismatch" in text and "Yên Bái" in text
    df = pd.read_csv(out)
    assert list(df.columns) == rc.COLUMNS
    assert main(["reconcile", "--strict"]) == 1


def test_cli_reconcile_on_own_files(tmp_path, capsys):
    r = tmp_path / "r.csv"
    r.write_text(R_HEAD + "2022,Bắc Ninh,1,0.80,https://x.vn,\n2022,Hà Nam,2,0.70,https://x.vn,\n", encoding="utf-8")
    p = tmp_path / "p.csv"
    p.write_text(P_HEAD + "2022,Bắc Ninh,ha_tang_so,0.9,1,https://x.vn,\n", encoding="utf-8")
    assert main(["reconcile", "--results", str(r), "--pillars", str(p), "--strict"]) in (0, 1)
    r.write_text(R_HEAD + "2022,Bắc Ninh,3,0.80,https://x.vn,\n2022,Hà Nam,2,0.70,https://x.vn,\n", encoding="utf-8")
    assert main(["reconcile", "--results", str(r), "--pillars", str(p), "--strict"]) == 1
    assert "Giá trị cao hơn không xếp hạng thấp hơn" in capsys.readouterr().out     # the rank_order check, as words
    r.write_text(R_HEAD + "2022,Nowhere,3,0.80,https://x.vn,\n", encoding="utf-8")
    assert main(["reconcile", "--results", str(r), "--pillars", str(p)]) == 2
    err = capsys.readouterr().err
    assert str(r) in err and "row 2" in err and "column 'province'" in err
