"""The 63 → 34 crosswalk (1 July 2025) and the values it derives.

Official rule for DTI 2024 (published for both lists): a merged province's value is the **unweighted
mean of its predecessors' values** (main indicators, hence also the DTI).  :func:`derive_merged`
applies it to published era-63 rows — only where *every* member's value is published; a unit with a
missing member gets no value (gaps are never filled).  ``weights="population"`` gives the
population-weighted mean instead, labelled ``population_weighted_mean`` (an alternative view, not the
official figure).  A unit that was not merged (one member) has the same value in both lists; the
rule gives it in both directions (:func:`derive_unchanged` fills era 63 from a published era-34 value),
labelled ``unchanged_unit``.

>>> import pandas as pd
>>> rows = pd.DataFrame({"year": [2024, 2024], "era": [63, 63], "unit_slug": ["da-nang", "quang-nam"],
...                      "dti_value": [0.8335, 0.5803], "origin": ["published"] * 2})
>>> d = derive_merged(rows)
>>> d.loc[d["unit_slug"] == "da-nang", ["era", "dti_value", "evidence"]].to_dict("records")
[{'era': 34, 'dti_value': 0.7069, 'evidence': 'mean_of_members'}]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError
from . import bounds
from .names import index
from .raw import framework_id

DERIVED_DECIMALS = 6
WEIGHTS = ("equal", "population")


def _value_col(df: pd.DataFrame) -> str:
    for c in ("dti_value", "value"):
        if c in df.columns:
            return c
    raise ParameterError("no value column", column="dti_value", expected="a 'dti_value' or 'value' column")


def derive_merged(df: pd.DataFrame, *, weights: str = "equal", years=(2024,),
                  raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Era-34 rows derived from the published era-63 rows of *df* (results or indicators).

    *years*: the years to derive (default 2024, the year published in both lists; ``None`` = all
    years present — a what-if for earlier years, since the rule was only applied to 2024).
    Returns rows in the shape of *df* with ``origin="derived"``, no rank, and the members' values in
    ``note``.
    """
    if weights not in WEIGHTS:
        raise ParameterError(f"unknown weights '{weights}'", column="weights", expected="'equal' or 'population'")
    ix = index(raw_dir)
    vcol = _value_col(df)
    extra = ["indicator"] if "indicator" in df.columns else []
    src = df[(df["era"] == 63) & (df["origin"] == "published") & df[vcol].notna()]
    if years is not None:
        src = src[src["year"].isin(list(years))]
    pop = pd.to_numeric(ix.p63["population"], errors="coerce")
    out = []
    for keys, g in src.groupby(["year"] + extra, sort=True):
        keys = keys if isinstance(keys, tuple) else (keys,)
        vals = dict(zip(g["unit_slug"], g[vcol].astype(float), strict=True))
        ivs = (dict(zip(g["unit_slug"], zip(g["_low"], g["_high"], strict=True), strict=True))
               if "_low" in g.columns else {})
        for slug34, members in ix.members.items():
            if not all(m in vals for m in members):
                continue
            v = np.array([vals[m] for m in members])
            if weights == "population":
                w = np.array([pop.get(m, np.nan) for m in members])
                if np.isnan(w).any():
                    continue
                value = float((v * w).sum() / w.sum())
                evidence = "population_weighted_mean"
                rule = "population-weighted mean (alternative view, not the official rule)"
            else:
                value = float(v.mean())
                evidence = "mean_of_members" if len(members) > 1 else "unchanged_unit"
                rule = ("unweighted mean of the members' published values (official rule for merged provinces)"
                        if len(members) > 1 else "unit not merged: same value as in the 63-province list")
            parts = ", ".join(f"{ix.display_name(m, 63)} {vals[m]:g}" for m in members)
            rec = dict(zip(["year"] + extra, keys, strict=True))
            rec.update(era=34, unit=ix.display_name(slug34, 34), unit_slug=slug34,
                       rank=pd.NA, rank_of=len(ix.p34), framework=_fw(rec["year"]), origin="derived",
                       source="derived from era-63 rows: " + "; ".join(members),
                       evidence=evidence, note=f"{rule}: {parts}")
            rec[vcol] = round(value, DERIVED_DECIMALS)
            if ivs:                          # the interval the members' printed values allow
                parts_iv = [ivs[m] for m in members]
                lo_hi = bounds.mean(parts_iv) if weights != "population" else bounds.weighted_sum(
                    parts_iv, list(w / w.sum()))
                rec["_low"], rec["_high"], rec["_kind"] = lo_hi[0], lo_hi[1], "derived"
            out.append(rec)
    return _frame(out, df)


def derive_unchanged(df: pd.DataFrame, *, years=(2024,), raw_dir: str | Path | None = None) -> pd.DataFrame:
    """Era-63 rows for units that were not merged, from their published era-34 value (same territory)."""
    ix = index(raw_dir)
    vcol = _value_col(df)
    single = {s: mem[0] for s, mem in ix.members.items() if len(mem) == 1}
    src = df[(df["era"] == 34) & (df["origin"] == "published") & df[vcol].notna() & df["unit_slug"].isin(single)]
    if years is not None:
        src = src[src["year"].isin(list(years))]
    out = []
    for r in src.to_dict("records"):
        m = single[r["unit_slug"]]
        rec = {k: r[k] for k in (["year", "indicator"] if "indicator" in df.columns else ["year"])}
        rec.update(era=63, unit=ix.display_name(m, 63), unit_slug=m, rank=pd.NA, rank_of=len(ix.p63),
                   framework=_fw(rec["year"]), origin="derived", source="derived from era-34 row: " + r["unit_slug"],
                   evidence="unchanged_unit",
                   note=f"unit not merged: same value as in the 34-province list ({r['unit']} {r[vcol]:g})")
        rec[vcol] = r[vcol]
        for c in ("_low", "_high", "_kind", "_decimals"):
            if c in r:
                rec[c] = r[c]
        out.append(rec)
    return _frame(out, df)


def _fw(year):
    return framework_id(int(year))


def _frame(rows: list[dict], like: pd.DataFrame) -> pd.DataFrame:
    vcol = _value_col(like)
    cols = ["year", "era", "unit", "unit_slug"] + (["indicator"] if "indicator" in like.columns else []) + [
        vcol, "rank", "rank_of", "framework", "origin", "source", "evidence", "note"]
    cols += [c for c in ("_low", "_high", "_kind", "_decimals") if c in like.columns]
    out = pd.DataFrame(rows, columns=cols)
    out["rank"] = out["rank"].astype("Int64")
    return out
