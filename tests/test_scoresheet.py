"""Issue 13 parts 3–5: computed completeness, score sheets, explicit min–max peers.

Expected values are hand calculations written beside each assertion, or the seed 000 figures
(Bắc Kạn city 2023 group table, data/raw/seed_bac_kan_city_2023_groups.csv).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import dtilib
from conftest import EXAMPLE_FW
from dtilib.analysis import gap_analysis
from dtilib.cli import main
from dtilib.effort import best_plan, candidate_actions, effort_for
from dtilib.errors import DataError
from dtilib.templates import header_aliases

TOY_GAPS = Path(__file__).parent / "fixtures" / "analysis"

# m1: 60 points, 3 slots, listed s1 (binary 20) and s2 (rule unknown, 20); m2: 40 points, 2 slots,
# listed s3 (linear 10) and s4 (rule and max unknown).
PARTIAL = """
id: partial-toy
version: "1"
name_vi: Khung một phần
name_en: Partial toy
legal_source: test
level: commune
years: [2024, null]
total_points: 100
completeness: partial (test)
main_indicators:
  - {id: m1, name_vi: Nhóm một, name_en: One, max_points: 60, n_sub_indicators: 3}
  - {id: m2, name_vi: Nhóm hai, name_en: Two, max_points: 40, n_sub_indicators: 2}
sub_indicators:
  - {id: s1, main: m1, name_vi: Một, max_points: 20, rule: binary}
  - {id: s2, main: m1, name_vi: Hai, max_points: 20, rule: unknown}
  - {id: s3, main: m2, name_vi: Ba, max_points: 10, rule: linear}
  - {id: s4, main: m2, name_vi: Bốn, max_points: null, rule: unknown}
"""


@pytest.fixture
def partial(tmp_path):
    path = tmp_path / "partial.yaml"
    path.write_text(PARTIAL, encoding="utf-8")
    return dtilib.load_framework(path)


def _long(rows):
    return pd.DataFrame(rows, columns=["unit", "indicator", "input", "value"])


def test_coverage_is_computed(partial, example_fw):
    cov = partial.coverage()
    assert cov["points_known"] == 30                      # s1 20 + s3 10 (known rule and max)
    assert cov["unknown_rule"] == ["s2", "s4"]
    assert cov["unfilled"] == {"m1": (40.0, 60.0), "m2": (10.0, 40.0)}   # listed maxima vs the group's max
    full = example_fw.coverage()
    assert (full["points_known"], full["unknown_rule"], full["unfilled"]) == (100, [], {})


def test_unscored_points_are_never_lost(partial):
    res = dtilib.score(partial, _long([("A", "s1", "value", "1"), ("A", "s3", "ratio", "0.5")]))
    t = res.total.iloc[0]
    # s1 20 + s3 0.5 × 10 = 25 achieved, scored on 20 + 10 = 30: lost 5, not 75
    assert (t["points"], t["scored_on"], t["lost"], t["max_points"]) == (25, 30, 5, 100)
    assert not t["complete"] and np.isnan(t["dti_value"])
    assert res.notes("en")[0].startswith("A: scored on 30 of 100 points — 70.00 points not scored")
    g = gap_analysis(res, "A", lang="en").groups.set_index("indicator")
    assert (g.loc["m1", "scored_on"], g.loc["m1", "lost"]) == (20, 0)    # s2 and the empty slot not lost
    assert (g.loc["m2", "scored_on"], g.loc["m2", "lost"]) == (10, 5)


def test_score_sheet_fills_unknown_rules(partial):
    sheet = pd.DataFrame({"unit": ["A"] * 3, "indicator": ["s2", "s4", "s3"], "points": ["12", "25", "5"],
                          "max_points": ["", "30", ""]})
    res = dtilib.score(partial, sheet)
    s = res.sub.set_index("indicator")
    assert s.loc["s4", "max_points"] == 30 and s.loc["s2", "origin"] == "points"
    t = res.total.iloc[0]
    # s2 12/20, s3 5/10, s4 25/30 → 42 achieved on 60; s1 and the empty m1 slot (20 + 20) not scored
    assert (t["points"], t["scored_on"], t["lost"]) == (42, 60, 18)
    m = res.main.set_index("indicator")
    assert m.loc["m2", "complete"] and m.loc["m2", "value"] == pytest.approx(30 / 40)
    assert not m.loc["m1", "complete"]


def test_score_sheet_errors(partial, tmp_path):
    with pytest.raises(DataError, match="max points of 's4' are not known"):
        dtilib.score(partial, pd.DataFrame({"unit": ["A"], "indicator": ["s4"], "points": ["3"]}))
    with pytest.raises(DataError, match=r"max_points 15 of 's2' differs from the framework's 20"):
        dtilib.score(partial, pd.DataFrame({"unit": ["A"], "indicator": ["s2"], "points": ["3"],
                                            "max_points": ["15"]}))
    two = pd.DataFrame({"unit": ["A", "B"], "indicator": ["s4", "s4"], "points": ["3", "4"],
                        "max_points": ["30", "35"]})
    with pytest.raises(DataError, match=r"row 3, column 'max_points': .*differs from 30 in row 2"):
        dtilib.score(partial, two)
    group = pd.DataFrame({"unit": ["A"] * 3, "indicator": ["m2", "s3", "s4"], "points": ["20", "5", "10"],
                          "max_points": ["", "", "30"]})
    with pytest.raises(DataError, match="points 20 of group 'm2' disagree with the 15 points"):
        dtilib.score(partial, group)                 # s3 5 + s4 10 = 15 ≠ 20


def test_seed_000_group_score_sheet():
    """Bắc Kạn city 2023 (seed 000) as a group-level score sheet of the real 1294 framework (no rules)."""
    from dtilib.data.raw import read_seed_groups

    g = read_seed_groups()
    sheet = pd.DataFrame({"unit": g["unit"], "year": g["year"].astype(str), "indicator": g["group"],
                          "points": g["achieved"].astype(str), "n_at_max": g["n_at_max"].astype(str),
                          "n_at_zero": g["n_at_zero"].astype(str), "n_partial": g["n_partial"].astype(str)})
    res = dtilib.score("bac-kan-district-1294", sheet)
    t = res.total.iloc[0]
    # 67.5 + 60 + 66.82 + 50 + 34.9 + 148.02 + 51.56 + 60.73 = 539.53, the total the plan states
    assert t["points"] == pytest.approx(539.53) and t["scored_on"] == 1000 and t["complete"]
    gaps = gap_analysis(res, "Thành phố Bắc Kạn").groups.set_index("indicator")
    assert gaps.loc["an_toan_thong_tin", "lost"] == pytest.approx(80 - 34.9)
    assert tuple(gaps.loc["an_toan_thong_tin", ["n_full", "n_zero", "n_partial"]]) == (3, 7, 4)
    assert tuple(gaps.loc["the_che_so", ["n_full", "n_zero", "n_partial"]]) == (6, 3, 0)


# example commune (tests/fixtures/example_commune.yaml): one unit by raw inputs and by its points
RAW = [("X", "nts_01", "value", "0"), ("X", "nts_02", "count", "2"), ("X", "cqs_01", "a", "100"),
       ("X", "cqs_01", "b", "40"), ("X", "cqs_02", "level", "deployed")]
# binary 0 → 0; count 2 → 10; b/a = 0.4 of threshold 0.8 → 0.4/0.8 × 40 = 20; deployed 0.5 × 20 = 10
SHEET = pd.DataFrame({"unit": "X", "indicator": ["nts_01", "nts_02", "cqs_01", "cqs_02"],
                      "points": ["0", "10", "20", "10"]})


def test_score_sheet_plans_equal_raw_input_plans():
    raw, sheet = candidate_actions(EXAMPLE_FW, _long(RAW), "X"), candidate_actions(EXAMPLE_FW, SHEET, "X")
    assert raw.base.total["points"].iloc[0] == sheet.base.total["points"].iloc[0] == 40
    cols = ["action_id", "gain", "input_delta", "ratio_from", "ratio_to", "step_kind"]
    a, b = raw.actions[cols].set_index("action_id"), sheet.actions[cols].set_index("action_id")
    assert list(a.index) == list(b.index)
    pd.testing.assert_frame_equal(a, b, check_exact=False, atol=1e-9)
    ea, eb = effort_for(raw).set_index("action_id"), effort_for(sheet).set_index("action_id")
    assert (ea["cost_likely"] - eb["cost_likely"]).abs().max() < 1e-9
    for budget in (20, 60, 200):
        pa, pb = best_plan(raw, None, budget), best_plan(sheet, None, budget)
        assert list(pa.chosen["action_id"]) == list(pb.chosen["action_id"]), budget
        assert pa.gain == pytest.approx(pb.gain) and pa.after["total"] == pytest.approx(pb.after["total"])


def test_mixed_inputs_and_points_agree():
    mixed = _long(RAW + [("X", "cqs_02", "points", "10"), ("X", "nts_01", "points", "")])
    res = dtilib.score(EXAMPLE_FW, mixed)
    assert res.sub.set_index("indicator").loc["cqs_02", "origin"] == "both"
    acts = candidate_actions(EXAMPLE_FW, mixed, "X").actions
    assert list(acts["action_id"]) == list(candidate_actions(EXAMPLE_FW, _long(RAW), "X").actions["action_id"])


def test_recover_lost_points_when_the_rule_is_unknown(partial):
    sheet = pd.DataFrame({"unit": ["A"], "indicator": ["s2"], "points": ["12"]})
    acts = candidate_actions(partial, sheet, "A").actions
    assert list(acts["action_id"]) == ["s2:points=max"]
    assert acts["gain"].iloc[0] == 8 and acts["rule"].iloc[0] == "points"       # 20 − 12
    assert acts["description_en"].iloc[0] == "Hai: recover the lost points, from 12 to 20"   # s2 is named "Hai"
    e = effort_for(candidate_actions(partial, sheet, "A"))
    assert e["assumed"].iloc[0] and e["effort_rule"].iloc[0] == "points"
    plan = best_plan(candidate_actions(partial, sheet, "A"), None, 1000)
    assert plan.gain == 8
    assert any("A: scored on 20 of 100 points" in a for a in plan.assumptions)


def test_min_max_peers_explicit(tmp_path):
    fw, data = TOY_GAPS / "gaps_toy.yaml", TOY_GAPS / "gaps_toy.csv"
    res = dtilib.score(fw, data)
    assert res.provenance["peers"]["n_units"] == 3 and res.provenance["warnings"] == []
    alone = pd.read_csv(data, dtype=str)
    alone = alone[alone["unit"] == "U1"]
    res1 = dtilib.score(fw, alone)
    assert res1.provenance["warnings"] == [{"code": "minmax_self", "indicators": ["s4"], "units": ["U1"]}]
    assert any(n.startswith("WARNING: min–max item(s) s4 scored for U1 against the unit itself")
               for n in res1.notes("en"))
    peers = tmp_path / "peers.csv"
    peers.write_text("unit,indicator,ratio\nP1,s4,0.25\nP2,s4,1\n", encoding="utf-8")
    res2 = dtilib.score(fw, alone, peers=peers)
    assert res2.provenance["warnings"] == [] and res2.provenance["peers"]["file"] == str(peers)
    # U1's ratio 0.5 among 0.25 … 1: (0.5 − 0.25) / (1 − 0.25) × 20 = 6.667
    assert res2.sub.set_index("indicator").loc["s4", "points"] == pytest.approx(20 / 3)
    assert "plus the ratios of 2 other unit(s)" in res2.notes("en")[-1]
    aset = candidate_actions(fw, alone, "U1", peers=peers)
    assert str(peers) in aset.peers_note("en")


def test_cli_template_points_and_frameworks(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["template", "--framework", str(EXAMPLE_FW), "--kind", "points", "--unit", "X",
                 "--out", "sheet.csv", "--lang", "en"]) == 0
    sheet = pd.read_csv("sheet.csv", dtype=str, keep_default_na=False).rename(columns=header_aliases())
    assert list(sheet.columns[:4]) == ["unit", "indicator", "points", "max_points"]
    sheet["points"] = ["0", "10", "20", "10"]
    sheet.to_csv("sheet.csv", index=False)
    assert main(["score", "--framework", str(EXAMPLE_FW), "--inputs", "sheet.csv", "--lang", "en"]) == 0
    err = capsys.readouterr().err
    assert "X: scored on 100 of 100 points" in err
    assert main(["frameworks", "vn-province-922", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "sub-indicators with a known rule and max: 10 of 95" in out


@pytest.mark.slow
def test_report_03_takes_a_group_score_sheet(tmp_path):
    """Report 03 on the seed 000 group table given as the unit file (real 1294 framework, no rules)."""
    from dtilib.data.raw import read_seed_groups
    from dtilib.inputs import groups_score_sheet
    from dtilib.reporting.runner import run_report

    groups_score_sheet(read_seed_groups()).to_csv(tmp_path / "sheet.csv", index=False)
    r = run_report("03_unit_gap_analysis", {"unit_file": str(tmp_path / "sheet.csv"),
                                            "framework": "bac-kan-district-1294"}, out_dir=tmp_path, timeout=300)
    assert r.ok, r.error
    page = Path(r.html).read_text(encoding="utf-8")
    for text in ("539,53 / 1\u202f000", "tính điểm trên 1\u202f000 / 1\u202f000 điểm", "149,27", "138,44"):
        assert text in page, text
    assert "MINH HOẠ" not in page
