"""Effort tables: defaults labelled as assumptions, analyst overrides, hand-computed costs, clear errors."""

import pandas as pd
import pytest
import yaml

from conftest import FIXTURES
from dtilib.effort.actions import candidate_actions
from dtilib.effort.costs import DEFAULTS, check_defaults_labelled, effort_for, read_effort
from dtilib.errors import DataError

FX = FIXTURES / "effort"


@pytest.fixture(scope="module")
def aset():
    return candidate_actions(FX / "all_rules.yaml", FX / "units.csv", "A")


@pytest.fixture(scope="module")
def priced(aset):
    return effort_for(aset, FX / "effort.csv").set_index("action_id")


def test_defaults_file_is_labelled_as_assumption():
    df = pd.read_csv(DEFAULTS, dtype=str, keep_default_na=False)
    assert set(df["status"]) == {"assumption"}
    meta = yaml.safe_load(open(str(DEFAULTS) + ".meta.yaml", encoding="utf-8"))
    assert "ASSUMPTION" in meta["status"] and "GIẢ ĐỊNH" in meta["status"]
    assert "assumed effort" in meta["note"]
    assert check_defaults_labelled()["file"] == "effort_defaults.csv"
    # every rule type a framework can use has a default row
    assert set(df["rule"]) >= {"binary", "tiered", "count_steps", "linear", "linear_capped", "all_or_nothing",
                               "min_max", "money"}


def test_unlabelled_defaults_are_refused(tmp_path):
    bad = tmp_path / "d.csv"
    bad.write_text("indicator,rule,fixed_cost_likely,status\n,binary,5,estimate\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"d.csv, row 2, column 'status'.*assumption"):
        read_effort(None, defaults=True, defaults_path=bad)


def test_analyst_rows_override_defaults_hand_costs(priced):
    # nts_01: fixed 8/10/15, no unit cost
    assert priced.loc["nts_01:met", ["cost_low", "cost_likely", "cost_high"]].tolist() == [8, 10, 15]
    assert not priced.loc["nts_01:met", "assumed"]
    # cqs_01: 0.4/0.5/0.8 per case file; b + 10 → 4 / 5 / 8; +40 → 16 / 20 / 32
    assert priced.loc["cqs_01:ratio=0.5", ["cost_low", "cost_likely", "cost_high"]].tolist() == pytest.approx([4, 5, 8])
    assert priced.loc["cqs_01:ratio=0.8", "cost_likely"] == pytest.approx(20)
    assert priced.loc["cqs_01:ratio=0.8", "days_likely"] == pytest.approx(4)     # 0.1 day per file
    # tiered cqs_02: 5 + 20 per tier step → deployed 25, personalised 45
    assert priced.loc["cqs_02:level=deployed", "cost_likely"] == 25
    assert priced.loc["cqs_02:level=personalised", "cost_likely"] == 45
    # rule row: count_steps 3 per extra meeting → count 2 → 4 costs 6
    assert priced.loc["nts_02:count=4", "cost_likely"] == 6
    # additive parts share the nts_03 row: 2 + 1 per unit (chair: 1 step → 3; attend a 1 → 4: 3 units → 5)
    assert priced.loc["nts_03.chair:met", "cost_likely"] == 3
    assert priced.loc["nts_03.attend:ratio=1", "cost_likely"] == 5


def test_per_percentage_point(priced):
    # cqs_04 priced per percentage point (1 per pp): 0.5 → 0.7 = 20 pp → 20
    assert priced.loc["cqs_04:ratio=0.7", "cost_likely"] == pytest.approx(20)
    assert priced.loc["cqs_04:ratio=0.7", "change_amount"] == pytest.approx(20)
    # kts_02 direct ratio 0.3 → 0.9 = 60 pp × 0.5 = 30
    assert priced.loc["kts_02:ratio=0.9", "cost_likely"] == pytest.approx(30)


def test_money_input_costs_itself_with_defaults(priced):
    # cqs_03 inputs are in triệu đồng: a 18 → 20 moves 2 million; defaults money row: fixed 0/2/5 + 1 × 2
    row = priced.loc["cqs_03:ratio=1"]
    assert row["effort_rule"] == "money" and row["assumed"]
    assert [row["cost_low"], row["cost_likely"], row["cost_high"]] == pytest.approx([2, 4, 7])
    assert row["effort_basis"].startswith("assumed effort")


def test_points_per_effort_range(priced):
    r = priced.loc["cqs_02:level=personalised"]   # gain 10, cost 5+15·2=35 / 45 / 5+30·2=65
    assert r["ppe_likely"] == pytest.approx(10 / 45)
    assert r["ppe_low"] == pytest.approx(10 / 65)
    assert r["ppe_high"] == pytest.approx(10 / 35)


def test_defaults_only_says_assumed(aset):
    e = effort_for(aset)
    assert e["assumed"].all()
    assert e["effort_basis"].str.startswith("assumed effort").all()
    # default binary row: 5 / 15 / 40
    assert e.set_index("action_id").loc["nts_01:met", ["cost_low", "cost_likely", "cost_high"]].tolist() == [5, 15, 40]


def _write(tmp_path, text):
    p = tmp_path / "effort.csv"
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text, match", [
    ("indicator,rule,fixed_cost_likely\nnts_01,,-5\n", r"effort.csv, row 2, column 'fixed_cost_likely'.*negative"),
    ("indicator,rule,fixed_cost_low,fixed_cost_likely\nnts_01,,9,5\n", r"row 2, column 'fixed_cost_low'.*low ≤ "),
    ("indicator,rule,fixed_cost_low\nnts_01,,5\n", r"row 2, column 'fixed_cost_likely'.*likely value"),
    ("indicator,rule,fixed_cost_likely\n,binari,5\n", r"row 2, column 'rule'.*unknown rule 'binari'.*binary"),
    ("indicator,rule,fixed_cost_likely,p_complete\nnts_01,,5,1.5\n", r"row 2, column 'p_complete'.*\(0, 1\]"),
    ("indicator,rule,per,unit_cost_likely\n,binary,pp,5\n", r"row 2, column 'per'.*per = input"),
    ("indicator,rule,fixed_cost_likely\nnts_01,,5\nnts_01,,6\n", r"row 3, column 'indicator'.*duplicate"),
    ("indicator,rule,fixed_cost_likely\n,,5\n", r"row 2, column 'indicator'.*neither"),
    ("indicator,rule,cost\nnts_01,,5\n", r"row 1.*no cost or person-day column"),
    ("indicator,rule,fixed_cost_likely,colour\nnts_01,,5,red\n", r"row 1, column 'colour'.*unknown column"),
    ("indicator,rule,fixed_cost_likely\nnts_01,,5%\n", r"row 2, column 'fixed_cost_likely'.*percent"),
])
def test_bad_effort_tables_name_file_row_column(tmp_path, text, match):
    with pytest.raises(DataError, match=match):
        read_effort(_write(tmp_path, text))


def test_unknown_sub_indicator_in_effort_table(tmp_path, aset):
    p = _write(tmp_path, "indicator,rule,fixed_cost_likely\nnts_99,,5\n")
    with pytest.raises(DataError, match=r"effort.csv, row 2, column 'indicator'.*unknown sub-indicator 'nts_99'"):
        effort_for(aset, p)
