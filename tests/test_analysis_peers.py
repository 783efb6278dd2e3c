"""Peers: region, rank neighbours, national average, main-indicator profile."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from dtilib.analysis import (
    indicator_profile,
    load_indicators,
    load_national,
    load_provinces,
    peer_table,
    rank_neighbours,
    region_peers,
)
from dtilib.errors import ParameterError

ROOT = Path(__file__).resolve().parents[1]
FIX = Path(__file__).parent / "fixtures" / "analysis"



@pytest.fixture(scope="module")
def provinces():
    return load_provinces(FIX / "provinces.csv")


def test_region_peers_match_the_province_table(provinces):
    with open(ROOT / "data" / "raw" / "provinces_63.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    region = next(r["region"] for r in rows if r["name_vi"] == "Lai Châu")
    expected = {r["slug"] for r in rows if r["region"] == region}
    got = region_peers(provinces, "lai-chau")
    assert set(got["slug"]) == expected
    assert got.loc[got["is_unit"], "slug"].tolist() == ["lai-chau"]


def test_rank_neighbours_with_bounds(results):
    nb = rank_neighbours(results, "Lai Châu", 2022, k=5)
    assert list(nb["rank"]) == list(range(48, 59))
    hg = nb[nb["unit_slug"] == "ha-giang"].iloc[0]
    assert hg["rank"] == 57 and hg["value"] == pytest.approx(0.47899)     # 478.99/1000 in the source
    tq = nb[nb["unit_slug"] == "tuyen-quang"].iloc[0]                      # no value: bounded
    assert (tq["lo"], tq["hi"]) == pytest.approx((0.5032, 0.545))
    assert np.isnan(tq["value"])


def test_peer_table_lists_missing_and_the_average(results, provinces):
    t = peer_table(results, "Lai Châu", 2021, provinces=provinces, national=load_national(FIX / "national.csv"))
    avg = t[t["unit_slug"] == "__provincial_avg__"].iloc[0]
    assert avg["value"] == pytest.approx(0.4014)
    hg = t[t["unit_slug"] == "ha-giang"].iloc[0]                       # no 2021 figure for Hà Giang
    assert np.isnan(hg["value"]) and hg["rank"] is not None
    assert t.loc[t["is_unit"], "rank"].tolist() == [48]
    with pytest.raises(ParameterError):
        peer_table(results, "Lai Châu", 2021, peers="cousins", provinces=provinces)


def test_indicator_profile_values_published_only(results):
    ind = load_indicators(FIX / "indicators.csv")
    p = indicator_profile(ind, "Đà Nẵng", 2022, ["Quảng Ninh", "Thừa Thiên Huế", "TP. Cần Thơ"], results=results)
    r = p.set_index("indicator").loc["nhan_thuc_so"]
    # dti.gov.vn 2022: Đà Nẵng 1.0000; Quảng Ninh 0.9581; Thừa Thiên Huế 0.9500; Cần Thơ not published
    assert r["value"] == 1.0
    assert r["peer_mean"] == pytest.approx((0.9581 + 0.95) / 2)
    assert (r["n_peers_with_value"], r["n_peers"]) == (2, 3)


def test_indicator_profile_from_ranks_when_values_missing(results, provinces):
    ind = load_indicators(FIX / "indicators.csv")
    p = indicator_profile(ind, "Bắc Kạn", 2021, provinces=provinces, results=results)
    r = p.set_index("indicator").loc["chinh_quyen_so"]
    assert r["rank"] == 62 and r["percentile"] == pytest.approx(1 - 61 / 62)
    assert np.isnan(r["value"])
    with pytest.raises(ParameterError, match="2021"):
        indicator_profile(ind, "Bắc Kạn", 2022, provinces=provinces, results=results)


def test_region_summary_by_hand(provinces):
    """A ranking by region: counts, best and median rank, published values and their mean (by hand)."""
    import pandas as pd

    from dtilib.analysis import add_region, region_summary

    pos = pd.DataFrame({"unit_slug": ["ha-noi", "ha-giang", "bac-ninh", "lai-chau", None],
                        "rank": [1, 4, 2, 3, 5], "value": [0.8, 0.5, None, 0.4, None],
                        "listed": [True, True, True, True, False]})
    pos = add_region(pos, provinces, era=63)
    assert list(pos["region"].iloc[:4]) == ["Đồng bằng sông Hồng", "Trung du và miền núi phía Bắc",
                                            "Đồng bằng sông Hồng", "Trung du và miền núi phía Bắc"]
    s = region_summary(pos).set_index("region")
    assert list(s.index) == ["Đồng bằng sông Hồng", "Trung du và miền núi phía Bắc"]    # median 1.5, then 3.5
    red = s.loc["Đồng bằng sông Hồng"]
    assert (red["n"], red["best"], red["median"], red["n_values"], red["mean_value"]) == (2, 1, 1.5, 1, 0.8)
    north = s.loc["Trung du và miền núi phía Bắc"]
    assert (north["n"], north["best"], north["median"], north["n_values"]) == (2, 3, 3.5, 2)
    assert north["mean_value"] == pytest.approx(0.45)                                   # (0.5 + 0.4) / 2
