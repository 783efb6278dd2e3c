"""Candidate actions: generated from the rules, priced by the real scorer; expectations are hand calculations.

Fixture tests/fixtures/effort/all_rules.yaml + units.csv (units A, B, C).  Unit A by hand:
nts_01 binary 0 → 0; nts_02 count 2 → 5; nts_03 chair 0 + attend 1/4 × 5 = 1.25; cqs_01 b/a = 40/100,
0.4/0.8 × 15 = 7.5; cqs_02 none → 0; cqs_03 18/20 = 0.9 < 1 → 0; cqs_04 (20+30)/(60+40) = 0.5 → 7.5;
kts_01 min–max of 0.2, 0.5, 0.8 → A 0 (B 5, C 10); kts_02 lower zero 0.3/0.9 × 10 = 3.3333.
Total 24.5833.
"""

from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from dtilib.effort.actions import candidate_actions, measure_one_by_one
from dtilib.errors import ParameterError

FX = FIXTURES / "effort"
FW = FX / "all_rules.yaml"
UNITS = FX / "units.csv"
BK_FW = ROOT / "data" / "examples" / "bac-kan-district-1294-illustrative.yaml"
BK_DATA = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"


@pytest.fixture(scope="module")
def aset():
    return candidate_actions(FW, UNITS, "A")


def _acts(aset, indicator):
    return aset.actions[aset.actions["indicator"] == indicator].reset_index(drop=True)


def test_baseline_is_the_hand_calculation(aset):
    tot = aset.base.total.set_index("unit")["points"]
    assert tot["A"] == pytest.approx(5 + 1.25 + 7.5 + 7.5 + 10 * 0.3 / 0.9)
    assert tot["A"] == pytest.approx(24.583333, abs=1e-6)


def test_binary_action_is_worth_its_max(aset):
    a = _acts(aset, "nts_01")
    assert len(a) == 1 and a.at[0, "gain"] == pytest.approx(10.0)     # max points of nts_01
    assert a.at[0, "option_group"] == "nts_01"
    chair = aset.actions[aset.actions["option_group"] == "nts_03.chair"]
    assert chair["gain"].tolist() == pytest.approx([5.0])               # the part's points


def test_count_steps_each_higher_step(aset):
    a = _acts(aset, "nts_02")
    # count 2 (5 points) → 3 (7.5) and → 4 (10)
    assert a["input_to"].tolist() == ["3", "4"]
    assert a["input_delta"].tolist() == [1.0, 2.0]
    assert a["gain"].tolist() == pytest.approx([2.5, 5.0])


def test_tiered_each_higher_tier(aset):
    a = _acts(aset, "cqs_02").set_index("input_to")
    assert a.loc["deployed", "gain"] == pytest.approx(5.0) and a.loc["deployed", "input_delta"] == 1
    assert a.loc["personalised", "gain"] == pytest.approx(10.0) and a.loc["personalised", "input_delta"] == 2


def test_linear_capped_steps_and_input_change(aset):
    a = _acts(aset, "cqs_01")
    # ratio b/a = 0.40, threshold 0.8, steps of 10 points: 0.5, 0.6, 0.7, 0.8; k = Δratio × a (a = 100)
    assert a["lever"].unique().tolist() == ["b"]
    assert a["input_to"].tolist() == ["50", "60", "70", "80"]
    assert a["input_delta"].tolist() == [10, 20, 30, 40]
    assert a["gain"].tolist() == pytest.approx([0.5 / 0.8 * 15 - 7.5, 0.6 / 0.8 * 15 - 7.5,
                                                0.7 / 0.8 * 15 - 7.5, 15 - 7.5])


def test_all_or_nothing_to_threshold(aset):
    a = _acts(aset, "cqs_03")
    # 18/20 → 20/20: a + 2, 0 → 10 points
    assert a["input_to"].tolist() == ["20"] and a["input_delta"].tolist() == [2.0]
    assert a["gain"].tolist() == pytest.approx([10.0])


def test_linear_formula_numerator_moves(aset):
    a = _acts(aset, "cqs_04")
    # (c+d)/(a+b) = 50/100; to 0.6 … 1.0 in 10-point steps: c + 10, +20, … +50; gain = Δratio × 15
    assert a["lever"].unique().tolist() == ["c"]
    assert a["input_delta"].tolist() == [10, 20, 30, 40, 50]
    assert a["gain"].tolist() == pytest.approx([1.5, 3.0, 4.5, 6.0, 7.5])


def test_additive_part_ratio_steps_deduplicated(aset):
    a = aset.actions[aset.actions["option_group"] == "nts_03.attend"]
    # a/b = 1/4; with b = 4 the 10-point steps reach 2/4, 3/4, 4/4 (whole sessions): +1.25 each
    assert a["input_to"].tolist() == ["2", "3", "4"]
    assert a["gain"].tolist() == pytest.approx([1.25, 2.5, 3.75])


def test_min_max_action_changes_peers_as_the_formula_says(aset):
    a = _acts(aset, "kts_01").set_index("input_to")
    # ratios A 0.2, B 0.5, C 0.8 (lower: observed); points = (r − r_min)/(r_max − r_min) × 10
    # A: a=3 → min 0.3: A 0, B (0.5−0.3)/(0.8−0.3)×10 = 4 (−1), C 10
    # A: a=4 → B (0.1/0.4)×10 = 2.5 (−2.5)
    # A: a=5 → tie with B at the minimum: A 0, B 0 (−5)
    # A: a=6 → min 0.5 (B): A (0.1/0.3)×10 = 3.3333, B 0 (−5); a=7 → A 6.6667; a=8 → A 10 (leader)
    assert a.index.tolist() == ["3", "4", "5", "6", "7", "8"]
    assert a["gain"].tolist() == pytest.approx([0, 0, 0, 10 / 3, 20 / 3, 10])
    b = [d.get("B", 0.0) for d in a["peer_delta"]]
    assert b == pytest.approx([-1.0, -2.5, -5.0, -5.0, -5.0, -5.0])
    assert all("C" not in d for d in a["peer_delta"])
    assert "leader" in a.loc["8", "description_en"]


def test_min_max_lower_zero_direct_ratio(aset):
    a = _acts(aset, "kts_02")
    # ratio input given directly: 0.3 → 0.4 … 0.8, then the leader's 0.9; points = r / 0.9 × 10
    assert a["ratio_to"].tolist() == pytest.approx([0.4, 0.5, 0.6, 0.7, 0.8, 0.9])
    assert a["gain"].tolist() == pytest.approx([(r - 0.3) / 0.9 * 10 for r in [0.4, 0.5, 0.6, 0.7, 0.8, 0.9]])
    assert a["input_unit"].unique().tolist() == ["percentage point"]
    assert a["input_delta"].tolist() == pytest.approx([10, 20, 30, 40, 50, 60])


def test_batched_scoring_equals_one_action_at_a_time(aset):
    one = measure_one_by_one(aset)
    batched = aset.actions.set_index("action_id")["gain"]
    assert (one - batched.reindex(one.index)).abs().max() < 1e-9


def test_status_and_option_groups(aset):
    st = aset.status.set_index("indicator")["note"]
    assert st.to_dict() == {"nts_01": "below_max", "nts_02": "below_max", "nts_03": "below_max",
                            "cqs_01": "below_max", "cqs_02": "below_max", "cqs_03": "below_max",
                            "cqs_04": "below_max", "kts_01": "below_max", "kts_02": "below_max"}
    b = candidate_actions(FW, UNITS, "B")
    assert b.status.set_index("indicator").loc["nts_01", "note"] == "at_max"
    assert not b.actions["option_group"].str.startswith("nts_03").any()


def test_peers_note_names_the_peers(aset):
    assert "B, C" in aset.peers_note("en") and "kts_01" in aset.peers_note("en")
    alone = pd.read_csv(UNITS, dtype=str, keep_default_na=False)
    alone = alone[alone["unit"] == "A"]
    solo = candidate_actions(FW, alone, "A")
    assert "NO peers" in solo.peers_note("en")


def test_responsible_from_framework_and_template(aset):
    r = aset.actions.drop_duplicates("indicator").set_index("indicator")["responsible"]
    assert r["nts_01"] == "Văn phòng HĐND và UBND"                    # framework's responsible
    assert r["cqs_01"] == "Trung tâm Phục vụ hành chính công"          # template column


def test_unknown_rule_and_missing_data_are_reported(tmp_path):
    data = pd.DataFrame({"unit": ["X", "X", "Y", "Y"], "indicator": ["nts_01", "nts_03"] * 2,
                         "input": ["value"] * 4, "value": ["0", "", "1", "1"]})
    a = candidate_actions(FX / "with_unknown.yaml", data, "X")
    st = a.status.set_index("indicator")["note"]
    assert st["nts_02"] == "unknown_rule" and st["nts_03"] == "missing_data" and st["nts_01"] == "below_max"
    assert a.actions["indicator"].tolist() == ["nts_01"]


def test_unknown_unit_is_a_parameter_error():
    with pytest.raises(ParameterError, match="unit 'Α' is not in|closest known"):
        candidate_actions(FW, UNITS, "Α")
    with pytest.raises(ParameterError, match=r"unit 'Ab' is not in .*units.csv.*closest known: A"):
        candidate_actions(FW, UNITS, "Ab")
    # case, diacritics and spaces do not matter (as `dti report -p unit`): the unit is named as the data names it
    assert candidate_actions(FW, UNITS, " a ").unit == "A"


def test_bad_step_is_a_parameter_error():
    with pytest.raises(ParameterError, match="ratio step"):
        candidate_actions(FW, UNITS, "A", step=0)


@pytest.mark.skipif(not (BK_FW.exists() and BK_DATA.exists()), reason="illustrative Bắc Kạn data not built")
def test_bac_kan_illustrative_binary_actions_are_worth_their_max():
    a = candidate_actions(BK_FW, BK_DATA, "Thành phố Bắc Kạn")
    # the real scorer reproduces the published 2023 total of the city (seed 000): 539.53
    assert a.base.total.set_index("unit").at["Thành phố Bắc Kạn", "points"] == pytest.approx(539.53, abs=1e-6)
    binary = a.actions[(a.actions["rule"] == "binary") & (a.actions["part"] == "")]
    assert len(binary) > 0
    assert (binary["gain"] - binary["max_points"]).abs().max() < 1e-9
    assert Path(a.provenance["inputs"]).name == BK_DATA.name
