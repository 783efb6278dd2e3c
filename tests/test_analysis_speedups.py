"""What the speed-ups of issue 18 must not change: the bounds of ``ranking.positions`` against their
definition, the backtest cache, and the file row numbers shared between derived frames."""

from __future__ import annotations

import numpy as np
import pandas as pd

from dtilib.analysis.frames import check_results
from dtilib.analysis.ranking import positions


def _random_record(rng: np.random.Generator) -> pd.DataFrame:
    n = int(rng.integers(3, 12))
    m = int(rng.integers(1, n + 1))
    values = np.sort(rng.choice([0.3, 0.42, 0.5, 0.5, 0.61, 0.7, 0.8, 0.9], m))[::-1]
    ranks = [1 + int((values > v + 1e-9).sum()) for v in values]       # competition ranks, ties shared
    rows = []
    for i, (v, r) in enumerate(zip(values, ranks, strict=True)):
        rows.append({"year": 2022, "era": 63, "unit": f"U{i}", "unit_slug": f"u{i}",
                     "dti_value": None if rng.random() < 0.4 else float(v),
                     "rank": None if rng.random() < 0.15 else r, "rank_of": n, "framework": "f",
                     "origin": "published", "note": "rounded to 2 decimals" if rng.random() < 0.2 else ""})
    return check_results(pd.DataFrame(rows))


def test_positions_bounds_follow_their_definition():
    """Each position's hi = the smallest known upper end ranked at or above it (at most 1), lo = the
    largest known lower end ranked at or below it (at least 0) — computed here pair by pair."""
    rng = np.random.default_rng(18)
    for _ in range(300):
        pos = positions(_random_record(rng), 2022, 63)
        half = np.where(pos["kind"] == "rounded", 0.005, 0.0)
        a = pos["value"].to_numpy(float) - half
        b = pos["value"].to_numpy(float) + half
        rank = pos["rank"].to_numpy(int)
        for k in range(len(pos)):
            ups = [b[j] for j in range(len(pos)) if rank[j] <= rank[k] and not np.isnan(b[j])]
            downs = [a[j] for j in range(len(pos)) if rank[j] >= rank[k] and not np.isnan(a[j])]
            assert pos.at[k, "hi"] == round(min([1.0, *ups]), 10)
            assert pos.at[k, "lo"] == round(max([0.0, *downs]), 10)
        assert list(pos["rank"]) == sorted(pos["rank"])
        assert len(pos) == int(pos["rank_of"].iloc[0])


def test_backtest_cache_gives_equal_independent_copies(results, national):
    from dtilib.analysis import outlook

    outlook._BACKTESTS.clear()
    t1, d1 = outlook.backtest(results, national=national)
    t1.loc[:, "n"] = -1                       # the caller's copy: the cache is not touched
    d1["error"] = 0.0
    t2, d2 = outlook.backtest(results, national=national)
    outlook._BACKTESTS.clear()
    t3, d3 = outlook.backtest(results, national=national)
    pd.testing.assert_frame_equal(t2, t3)
    pd.testing.assert_frame_equal(d2, d3)
    assert t2.attrs == t3.attrs and (t2["n"] >= 0).all() and (d2["error"] != 0).any()
    changed = results.copy()
    changed.loc[changed["dti_value"].notna().idxmax(), "dti_value"] += 0.01
    assert outlook._fingerprint(changed, national) != outlook._fingerprint(results, national)


def test_file_rows_are_shared_not_copied(tmp_path):
    from dtilib.io import file_rows, read_table

    f = tmp_path / "t.csv"
    f.write_text("title\n\na,b\n1,x\n2,y\n3,z\n", encoding="utf-8")
    df = read_table(f, required=["a", "b"])
    sub = df[df["a"] != "2"]
    assert file_rows(df) == [4, 5, 6]
    assert sub.attrs["rows"] is df.attrs["rows"]              # pandas' deep copy of attrs shares them
    assert all(type(r) is int for r in file_rows(df))
