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
