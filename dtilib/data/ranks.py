"""Rank intervals: the ranks a unit can hold given the values and ranks published around it.

A list is a competition ranking (ties share a rank, the next rank is skipped): a unit's rank is 1 +
the number of units with a higher value.  A peer whose printed interval lies wholly above the unit's
is certainly ahead of it, one wholly below certainly behind; so

* ``rank_low`` (best possible) = max(1 + #peers certainly ahead, rank of any ranked peer certainly
  ahead + 1);
* ``rank_high`` (worst possible) = min(n − #peers certainly behind, rank of any ranked peer certainly
  behind − 1);

and where the rank is printed both equal it.  Peers whose intervals overlap the unit's constrain
nothing (either order is possible).

>>> import pandas as pd
>>> peers = pd.DataFrame({"_low": [0.70705, 0.5], "_high": [0.70715, 0.6], "rank": [16, pd.NA]})
>>> rank_interval((0.70685, 0.70695), peers, 34)      # ahead: a 16th; behind: one unranked unit
(17, 33)
"""

from __future__ import annotations

import pandas as pd

from .bounds import EPS


def rank_interval(unit_iv: tuple[float, float], peers: pd.DataFrame, n: int) -> tuple[int, int]:
    """(best, worst) rank of a unit whose value lies in *unit_iv* among *peers* (``_low``, ``_high``,
    ``rank``; peers without a value are ignored) in a list of *n* units."""
    p = peers[peers["_low"].notna()]
    ahead = p[p["_low"] > unit_iv[1] + EPS]
    behind = p[p["_high"] < unit_iv[0] - EPS]
    ra, rb = pd.to_numeric(ahead["rank"]).dropna(), pd.to_numeric(behind["rank"]).dropna()
    low = max(1 + len(ahead), int(ra.max()) + 1 if len(ra) else 1)
    high = min(n - len(behind), int(rb.min()) - 1 if len(rb) else n)
    return low, high


def list_frame(g: pd.DataFrame) -> pd.DataFrame:
    """One row per unit of one (year, era, indicator) list: its printed rank and the interval of its
    value (the published row's; a derived value where no published value exists)."""
    g = g.assign(_pub=(g["origin"] == "published").astype(int))
    rank = g.groupby("unit_slug")["rank"].agg(lambda r: r.dropna().iloc[0] if r.notna().any() else pd.NA)
    with_value = g[g["_low"].notna()].sort_values("_pub", ascending=False, kind="stable")
    iv = with_value.drop_duplicates("unit_slug").set_index("unit_slug")[["_low", "_high"]]
    out = pd.DataFrame({"rank": rank}).join(iv, how="left")
    return out


def add_rank_intervals(df: pd.DataFrame) -> pd.DataFrame:
    """``rank_low`` / ``rank_high`` for every row of *df* (results or indicators with ``_low``/``_high``):
    the printed rank where the unit has one in that list, the interval its value allows otherwise,
    empty when neither a rank nor a value is known."""
    df = df.copy()
    extra = ["indicator"] if "indicator" in df.columns else []
    low = pd.Series(pd.NA, index=df.index, dtype="Int64")
    high = pd.Series(pd.NA, index=df.index, dtype="Int64")
    for _key, g in df.groupby(["year", "era"] + extra, sort=False):
        units = list_frame(g)
        n = int(g["rank_of"].iloc[0])
        for i, r in g.iterrows():
            u = units.loc[r["unit_slug"]]
            if not pd.isna(u["rank"]):
                low[i] = high[i] = int(u["rank"])
            elif not pd.isna(r["_low"]):
                lo, hi = rank_interval((r["_low"], r["_high"]), units.drop(index=r["unit_slug"]), n)
                low[i], high[i] = lo, hi
    df["rank_low"], df["rank_high"] = low, high
    return df
