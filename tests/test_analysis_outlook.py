"""The outlook: interpolation between published neighbours, growth scenarios, the backtest against persistence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dtilib.analysis import check_results, load_national, load_results, positions
from dtilib.analysis.outlook import (
    backtest,
    growth_scenarios,
    interpolation_errors,
    p_gain,
    paired_changes,
    rank_changes,
    rank_outlook,
    rank_value,
    unit_outlook,
)
from dtilib.cli import main
from dtilib.errors import ParameterError

FIX = Path(__file__).parent / "fixtures" / "analysis"




def _record(values: dict[int, dict[str, float | None]], n: int | None = None) -> pd.DataFrame:
    """A synthetic record: year → {unit: value or None}, ranks from the values (None = rank published only,
    placed where its order puts it: give it as a value in ``rank_only`` below)."""
    rows = []
    for year, vals in values.items():
        order = sorted(vals, key=lambda u: -vals[u][0])
        for r, u in enumerate(order, 1):
            v, shown = vals[u]
            rows.append({"year": year, "era": 63, "unit": u, "unit_slug": u.lower(), "dti_value": v if shown else None,
                         "rank": r, "rank_of": n or len(vals), "framework": "f", "origin": "published"})
    return check_results(pd.DataFrame(rows))


def test_rank_value_interpolates_between_published_neighbours_by_hand():
    # ranks 1 (0.9), 2 (?), 3 (?), 4 (0.6), 5 (?): rank 2 = 0.9 + (0.6 − 0.9)·(2 − 1)/(4 − 1) = 0.8
    rec = _record({2022: {"A": (0.9, True), "B": (0.85, False), "C": (0.7, False), "D": (0.6, True),
                          "E": (0.3, False)}})
    pos = positions(rec, 2022, 63)
    r2 = rank_value(pos, 2)
    assert r2["kind"] == "interpolated" and r2["value"] == pytest.approx(0.8)
    assert (r2["lo"], r2["hi"]) == (0.6, 0.9)
    assert rank_value(pos, 4)["kind"] == "published" and rank_value(pos, 4)["value"] == 0.6
    # below the last published value: the line through ranks 1 and 4 gives 0.5 at rank 5, within [0, 0.6]
    r5 = rank_value(pos, 5)
    assert r5["kind"] == "extrapolated" and r5["value"] == pytest.approx(0.5)
    # a fractional rank (percentile mapping): 2.5 → 0.75
    assert rank_value(pos, 2.5)["value"] == pytest.approx(0.75)


def test_extrapolation_stays_within_the_published_bounds():
    rec = _record({2022: {"A": (0.9, True), "B": (0.2, True), "C": (0.1, False), "D": (0.05, False)}})
    r4 = rank_value(positions(rec, 2022, 63), 4)       # the line gives 0.9 − 0.7·3 < 0: kept at the bound 0
    assert r4["value"] == 0.0 and r4["kind"] == "extrapolated"


def test_interpolation_errors_leave_one_out(results):
    e = interpolation_errors(results).set_index(["year", "rank"])
    # 2022 rank 3 (Quảng Ninh 0.7024) between rank 2 (TP.HCM 0.7163) and rank 4 (Huế 0.6975): midpoint 0.7069
    assert e.loc[(2022, 3), "estimate"] == pytest.approx((0.7163 + 0.6975) / 2)
    assert e.loc[(2022, 3), "error"] == pytest.approx((0.7163 + 0.6975) / 2 - 0.7024)


def _rising(step=0.05, years=(2020, 2021, 2022, 2023)):
    """Six provinces evenly spaced (so interpolation is exact), all rising by *step* a year; every year only
    three or four values published."""
    base = {"A": 0.6, "B": 0.55, "C": 0.5, "D": 0.45, "E": 0.4, "F": 0.35}
    shown = {2020: "ACE", 2021: "ABDF", 2022: "ACE", 2023: "BDF"}
    return _record({y: {u: (v + step * i, u in shown[y]) for u, v in base.items()} for i, y in enumerate(years)})


def _national(step=0.05, years=(2020, 2021, 2022, 2023), start=0.425):
    return pd.DataFrame({"year": list(years), "provincial_avg": [start + step * i for i in range(len(years))]})


def test_growth_scenarios_by_hand():
    rec, nat = _rising(), _national()
    s = growth_scenarios(rec, 2022, national=nat, unit="C").set_index("scenario")
    assert s.loc["persistence", "growth"] == 0
    # average: latest yearly change of the published average 2021→2022 = 0.05; its 2 changes are equal: se 0
    assert s.loc["average", "growth"] == pytest.approx(0.05) and s.loc["average", "se"] == pytest.approx(0)
    # paired: units published in consecutive years up to 2022: 2020→21 A (A published in both), 2021→22 A
    pc = paired_changes(rec, upto=2022)
    assert list(pc["unit_slug"]) == ["a", "a"] and pc["change"].tolist() == pytest.approx([0.05, 0.05])
    assert s.loc["paired", "growth"] == pytest.approx(0.05) and s.loc["paired", "n"] == 2
    # own: C is published in 2020 and 2022, never in two consecutive years → no own scenario
    assert np.isnan(s.loc["own", "growth"])


def test_backtest_on_a_record_with_a_known_answer():
    # everyone rises by exactly 0.05 a year: a growth scenario predicts every published value exactly (once
    # the rise can be estimated), carrying last year's value forward is off by 0.05 each time
    table, detail = backtest(_rising(), national=_national())
    t = table.set_index("method")
    assert list(table.columns) == ["method", "n", "mean_abs_error", "coverage", "default"]
    assert t.loc["persistence", "mean_abs_error"] == pytest.approx(0.05)
    assert t.loc["average", "mean_abs_error"] == pytest.approx(0.0, abs=1e-9)
    assert t.loc["paired", "mean_abs_error"] == pytest.approx(0.0, abs=1e-9)
    assert t.loc["average", "n"] == t.loc["persistence", "n"] == t.loc["paired", "n"] > 0
    assert t.loc["average", "default"] and table["default"].sum() == 1
    # the targets: 2022 and 2023 values (2021 cannot be predicted: no change known up to 2020)
    assert sorted(detail["year"].unique()) == [2022, 2023]


def test_backtest_on_the_record_default_never_worse_than_persistence(results, national):
    table, detail = backtest(results, national=national)
    t = table.set_index("method")
    # the numbers are computed from the per-target detail, never typed in
    for m in ("persistence", "average", "paired", "own"):
        d = detail[detail["method"] == m]
        assert t.loc[m, "n"] == len(d)
        assert t.loc[m, "mean_abs_error"] == pytest.approx(d["error"].abs().mean())
        assert t.loc[m, "coverage"] == pytest.approx(d["covered"].mean())
    default = table.loc[table["default"], "method"].item()
    assert t.loc[default, "mean_abs_error"] <= t.loc["persistence", "mean_abs_error"] + 1e-12
    # every published value is predicted from the previous year only
    assert (detail["origin_year"] == detail["year"] - 1).all()
    # general scenarios share their targets
    assert t.loc["persistence", "n"] == t.loc["average", "n"] == t.loc["paired", "n"]


def test_rank_outlook_is_base_plus_growth_capped(results, national):
    o = rank_outlook(results, 45, 2025, national=national)
    assert o.origin_year == 2024 and o.base["kind"] == "interpolated"
    s = o.scenarios.set_index("scenario")
    assert s.loc["persistence", "estimate"] == pytest.approx(o.base["value"])
    # average: 2023 → 2024 provincial average 0.6783 → 0.6961 (+0.0178 a year), one year ahead
    assert s.loc["average", "growth"] == pytest.approx(0.6961 - 0.6783)
    assert s.loc["average", "estimate"] == pytest.approx(o.base["value"] + 0.6961 - 0.6783)
    assert (o.scenarios[["estimate", "lo", "hi"]].dropna().to_numpy() <= 1).all()
    assert o.default in set(o.scenarios["scenario"])


def test_unit_outlook_carries_an_old_rank_into_the_latest_list(results, national):
    o = unit_outlook(results, "Lai Châu", 2025, national=national)
    # its latest rank is 53/63 (2022); in the 2024 list the published values are Đà Nẵng 2 (0.8335), Hà Nội 4
    # (0.8241), Thừa Thiên Huế 5 (0.7951), Quảng Nam 57 (0.5803): the line through 5 and 57 falls 0.2148/52 a rank.
    assert o.origin_year == 2024 and o.base["kind"].startswith("carried:") and o.base["rank"] == 53
    step = (0.7951 - 0.5803) / 52
    assert o.base["value"] == pytest.approx(0.7951 - 48 * step)            # rank 53, between 5 and 57
    # the rank may have moved in two years: worst rank 63 (the bottom) → the line extended 6 ranks below 57
    assert o.base["rank_range"][1] == 63
    assert o.base["lo"] == pytest.approx(0.5803 - 6 * step)
    assert o.base["lo"] < o.base["value"] < o.base["hi"]
    assert "own" in set(o.scenarios["scenario"])
    assert any("không lấy giá trị của tỉnh đang giữ hạng đó" in n.vi for n in o.notes)


def test_rank_changes_and_p_gain_by_hand():
    rec = _record({2021: {"A": (0.9, True), "B": (0.8, True), "C": (0.7, True), "D": (0.6, True)},
                   2022: {"A": (0.9, True), "D": (0.85, True), "B": (0.8, True), "C": (0.7, True)}})
    rc = rank_changes(rec).set_index("unit_slug")
    assert rc.loc["d", "gain"] == 2 and rc.loc["b", "gain"] == -1 and rc.loc["a", "gain"] == 0
    g = p_gain(rec, 2)
    assert (g["k"], g["n"], g["p"]) == (1, 4, 0.25)
    assert "chose to publish" in g["note"]


def test_outlook_cli_writes_the_backtest_table(tmp_path, capsys):
    out = tmp_path / "bt.csv"
    data = ["--results", str(FIX / "results.csv"), "--national", str(FIX / "national.csv")]
    assert main(["outlook", "--backtest", "--out", str(out), *data]) == 0
    printed = capsys.readouterr().out
    assert "persistence" in printed and "Kiểm tra ngược" in printed
    t = pd.read_csv(out)
    assert list(t.columns) == ["method", "n", "mean_abs_error", "coverage", "default"]
    table, _ = backtest(load_results(FIX / "results.csv"), national=load_national(FIX / "national.csv"))
    assert t["mean_abs_error"].tolist() == pytest.approx(table["mean_abs_error"].tolist())
    assert main(["outlook", "--province", "Lai Chau", "--lang", "en", *data]) == 0
    assert "Persistence" in capsys.readouterr().out
    assert main(["outlook", *data]) == 2                           # neither --province, --rank nor --backtest


def test_outlook_errors(results):
    with pytest.raises(ParameterError, match="outside 1..63"):
        rank_outlook(results, 70, 2025, national=False)
    with pytest.raises(ParameterError, match="before 2019"):
        rank_outlook(results, 45, 2019, national=False)
