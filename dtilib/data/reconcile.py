"""``dti reconcile``: check every figure that can be checked, without changing any.

Each check compares a *published* figure with one *computed* from other published figures and gives
a status: ``ok``, ``mismatch``, ``flagged`` or ``insufficient`` (not enough published figures to decide).

Rounding-aware: every figure stands for the interval its printed digits allow
(:mod:`dtilib.data.bounds`: 0.8002 → [0.80015, 0.80025]; a two-decimal "0.54" → [0.535, 0.55], rounded
or truncated; a stated range "0.52–0.70" → itself), and every computed figure carries the interval its
inputs allow.  A check is a ``mismatch`` only when the published interval and the computed interval do
not meet.  ``flagged`` marks a figure to read with care that the record does not contradict: a value
that fits the published order on one reading of its digits only (Kon Tum 2021 "0.33" ranked above
Lai Châu 0.3350: truncated, not rounded), or a likely slip among conflicting sources that the other
published facts resolve (``conflict_resolved``).

Checks (the ``check`` column):

================================  ======================================================================
``dti_from_main``                 DTI = Σ main-indicator value × max / total (framework of the year;
                                  for 2020 the main indicators are the three pillars: 0.4/0.3/0.3)
``pillar_summary_from_main``      922 pillar summaries (F + A) / (500 + A_max) from main values
``pillar_summaries_feasible``     published summaries (+ DTI) are reachable by main-indicator points
                                  within their max points (a linear programme)
``merged_mean``                   published 34-list value vs mean of the members' 63-list values
``rank_order``                    a definitely higher value never has a worse rank (same list)
``rank_sequence``                 a complete list is a competition ranking (ties skip ranks)
``stated_rank_change``            "up/down N places" in a note vs the two years' ranks
``stated_value_change``           "+0.1545 vs 2020", "+8.6% vs 2023" vs the two years' values
``group_total`` / ``group_lost``  a unit's group table: Σ achieved vs stated total; stated points lost
``group_counts`` / ``group_gap``  vs max − achieved; at max + at 0 + partial = n; gap to the runner-up
``national_sources_agree``        one national figure, several sources/tables: same value?
``conflict_resolved``             sources disagree: which candidate do the other published facts support?
``readme_conflict:<id>``          each known conflict of the data README, with the checks covering it
================================  ======================================================================

>>> out = reconcile()                                  # doctest: +SKIP
>>> out[out.status == "mismatch"][["year", "unit", "check"]]   # doctest: +SKIP
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DTIError
from ..i18n import Note, fmt_number, has, note_text, t, translate
from . import bounds, paths
from .crosswalk import derive_merged, derive_unchanged
from .names import index
from .raw import (
    framework_id,
    read_seed_groups,
    read_seed_stated,
    tidy_indicators,
    tidy_national,
    tidy_national_wide,
    tidy_results,
)

COLUMNS = ["year", "unit", "check", "published", "published_low", "published_high", "computed", "computed_low",
           "computed_high", "difference", "status", "detail"]
STATUSES = ("ok", "mismatch", "flagged", "insufficient")
EPS = bounds.EPS


def tolerance(decimals) -> float:
    """Half a unit of the last printed decimal (``None``/NaN → exact up to float noise)."""
    if decimals is None or (isinstance(decimals, float) and np.isnan(decimals)):
        return EPS
    return 0.5 * 10.0 ** (-int(decimals)) + EPS


def _num(x) -> float:
    return np.nan if x is None or x is pd.NA or (isinstance(x, str) and not x) else float(x)


def _row(year, unit, check, published=np.nan, computed=np.nan, status="insufficient", detail="", decimals=None,
         pub_iv=None, comp_iv=None):
    """One check row.  *pub_iv* / *comp_iv*: the intervals the published / computed figures stand for
    (default: published ± half a unit of its last printed decimal; computed exact).  ``status="auto"``:
    ``mismatch`` when the intervals do not meet, ``ok`` when they do, ``insufficient`` when one is missing."""
    published, computed = _num(published), _num(computed)
    if pub_iv is None:                       # NaN published → NaN interval
        t = tolerance(decimals)
        pub_iv = (published - t, published + t)
    if comp_iv is None:
        comp_iv = (computed, computed)
    pub_iv = tuple(_num(x) for x in pub_iv)
    comp_iv = tuple(_num(x) for x in comp_iv)
    have_pub = not np.isnan(pub_iv[0]) and not np.isnan(pub_iv[1])
    have_comp = not np.isnan(comp_iv[0]) and not np.isnan(comp_iv[1])
    diff = published - computed if not (np.isnan(published) or np.isnan(computed)) else np.nan
    if status == "auto":
        status = ("insufficient" if not (have_pub and have_comp)
                  else "ok" if bounds.meets(pub_iv, comp_iv) else "mismatch")
    return {"year": year, "unit": unit, "check": check, "published": published,
            "published_low": pub_iv[0] if have_pub else np.nan, "published_high": pub_iv[1] if have_pub else np.nan,
            "computed": computed, "computed_low": comp_iv[0] if have_comp else np.nan,
            "computed_high": comp_iv[1] if have_comp else np.nan, "difference": diff, "status": status,
            "detail": detail}


def _iv(r) -> tuple[float, float]:
    """The interval a tidy row's printed value stands for."""
    return float(r["_low"]), float(r["_high"])


def _label(r) -> str:
    """Unit label: display name, with the list for 2024 (both lists were published)."""
    return f"{r['unit']} ({r['era']}-list)" if int(r["year"]) == 2024 else r["unit"]


def _fmt(x, d=None) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "?"
    return f"{x:.{int(d)}f}" if d is not None and not pd.isna(d) else f"{x:g}"


# ------------------------------------------------------------------------------ DTI from main values
def _interval_sum(have: pd.DataFrame, ids: list[str], mx: pd.Series, total: float):
    """(point, interval, arithmetic) of Σ max·value / total over *ids* from the rows of one unit.

    *have*: rows indexed by indicator with ``value``, ``_low``, ``_high``.  The point is NaN when a
    value is a stated range; the interval is NaN when a component is missing.
    """
    if not all(m in have.index and not pd.isna(have.at[m, "_low"]) for m in ids):
        return np.nan, (np.nan, np.nan), ""
    w = [float(mx[m]) / total for m in ids]
    iv = bounds.weighted_sum([(have.at[m, "_low"], have.at[m, "_high"]) for m in ids], w)
    vals = [have.at[m, "value"] for m in ids]
    point = float(sum(wi * v for wi, v in zip(w, vals, strict=True))) if not any(pd.isna(vals)) else np.nan
    terms = " + ".join(f"{mx[m]:g}×{_printed(have.loc[m])}" for m in ids)
    return point, iv, f"({terms}) / {total:g}"


def _printed(r) -> str:
    """A tidy row's figure as read: the value, or the stated range ``[a, b]``."""
    if r.get("_kind") == "range" or pd.isna(r["value"]):
        return bounds.fmt((r["_low"], r["_high"]), 4)
    d = r.get("_decimals")
    return f"{r['value']:.{int(d)}f}" if d is not None and not pd.isna(d) else f"{r['value']:g}"


def check_dti_from_main(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    from ..frameworks import load_framework

    out = []
    pub = ind[(ind["origin"] == "published") & ind["_low"].notna()]
    dti = res[(res["origin"] == "published")].set_index(["year", "era", "unit_slug"])
    for (year, era), g in pub.groupby(["year", "era"], sort=True):
        fw = load_framework(framework_id(year))
        mains = set(fw.main["id"])
        g = g[g["indicator"].isin(mains)]
        if g.empty:
            continue
        label = g.drop_duplicates("unit_slug").set_index("unit_slug")
        if not fw.weights_known:
            for _slug, r in label.iterrows():
                out.append(_row(year, _label(r), "dti_from_main", detail=(
                    f"framework {fw.id} does not state the points of its main indicators; "
                    "a DTI cannot be computed from them")))
            continue
        scored = list(fw.scored_main["id"])
        mx, total = fw.main_max(), float(fw.total_points)
        for slug, u in g.groupby("unit_slug", sort=True):
            r = label.loc[slug]
            have = u.set_index("indicator")
            point, iv, arith = _interval_sum(have, scored, mx, total)
            key = (year, era, slug)
            p = dti.loc[key] if key in dti.index else None
            pv = p["dti_value"] if p is not None else np.nan
            piv = _iv(p) if p is not None else (np.nan, np.nan)
            n_have = sum(m in have.index for m in scored)
            if pd.isna(iv[0]):
                detail = f"{n_have} of {len(scored)} scored main values published ({fw.id})"
            elif pd.isna(piv[0]):
                detail = (f"computed from all {len(scored)} main values ({fw.id}): {bounds.fmt(iv)}; "
                          "no published DTI to compare")
            else:
                detail = (f"{arith} = {_fmt(point, 6) if not pd.isna(point) else 'a value'} within "
                          f"{bounds.fmt(iv, 6)} (inputs' printed precision); published {_printed(p.rename({'dti_value': 'value'}))} "
                          f"stands for {bounds.fmt(piv, 6)} ({fw.id})")
            out.append(_row(year, _label(r), "dti_from_main", pv, point, "auto", detail, pub_iv=piv, comp_iv=iv))
    return out


# ------------------------------------------------------------------------------ pillar summaries
def check_pillar_summaries(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    from ..frameworks import load_framework

    out = []
    pub = ind[(ind["origin"] == "published") & ind["_low"].notna()]
    for (year, _era), g in pub.groupby(["year", "era"], sort=True):
        fw = load_framework(framework_id(year))
        if not fw.summaries or not fw.weights_known:
            continue
        mx = fw.main_max()
        for _slug, u in g.groupby("unit_slug", sort=True):
            have = u.set_index("indicator")
            r = u.iloc[0]
            for sm in fw.summaries:
                sid, comps = sm["id"], list(sm["components"])
                point, iv, arith = _interval_sum(have, comps, mx, float(mx[comps].sum()))
                p = have.loc[sid] if sid in have.index else None
                if pd.isna(iv[0]) and p is None:
                    continue
                pv = p["value"] if p is not None else np.nan
                piv = _iv(p) if p is not None else (np.nan, np.nan)
                if pd.isna(iv[0]):
                    detail = f"{sid}: main values of its components not all published"
                else:
                    detail = f"{sid} = {arith} = {bounds.fmt(iv, 6)}"
                    if p is None:
                        detail += "; no published value to compare"
                    else:
                        detail += f"; published {_printed(p)} stands for {bounds.fmt(piv, 6)}"
                out.append(_row(year, _label(r), "pillar_summary_from_main", pv, point, "auto",
                                f"{detail} ({fw.id})", pub_iv=piv, comp_iv=iv))
    return out


def check_summaries_feasible(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    """Are the published summaries (and DTI) reachable by main-indicator points within their max?"""
    from scipy.optimize import linprog

    from ..frameworks import load_framework

    out = []
    pub = ind[(ind["origin"] == "published") & ind["_low"].notna()]
    dti = res[(res["origin"] == "published")].set_index(["year", "era", "unit_slug"])
    for (year, era, slug), g in pub.groupby(["year", "era", "unit_slug"], sort=True):
        fw = load_framework(framework_id(year))
        if not fw.summaries or not fw.weights_known:
            continue
        sids = {s["id"]: s for s in fw.summaries}
        have = g.set_index("indicator")
        if not all(s in have.index for s in sids):
            continue
        scored = list(fw.scored_main["id"])
        mx = fw.main_max()[scored].to_numpy(dtype=float)
        a_ub, b_ub = [], []

        def band(coef, lo, hi, scale, a_ub=a_ub, b_ub=b_ub):
            a_ub.append(coef)
            b_ub.append(hi * scale)
            a_ub.append([-c for c in coef])
            b_ub.append(-lo * scale)

        for sid, sm in sids.items():
            coef = [1.0 if m in sm["components"] else 0.0 for m in scored]
            band(coef, have.at[sid, "_low"], have.at[sid, "_high"], float(fw.main_max()[sm["components"]].sum()))
        for m in scored:                        # published main values (or stated bounds) constrain too
            if m in have.index:
                band([1.0 if x == m else 0.0 for x in scored], have.at[m, "_low"], have.at[m, "_high"],
                     float(fw.main_max()[m]))
        bounds = list(zip([0.0] * len(scored), mx, strict=True))
        total = float(fw.total_points)
        ones = np.ones(len(scored))
        lo = linprog(ones, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        hi = linprog(-ones, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        r = g.iloc[0]
        key = (year, era, slug)
        pv = dti.at[key, "dti_value"] if key in dti.index else np.nan
        piv = (dti.at[key, "_low"], dti.at[key, "_high"]) if key in dti.index else (np.nan, np.nan)
        given = ", ".join(f"{s} {_printed(have.loc[s])}" for s in sids)
        bounded = [m for m in scored if m in have.index and have.at[m, "_kind"] == "range"]
        if bounded:
            given += "; stated bounds " + ", ".join(f"{m} {_printed(have.loc[m])}" for m in bounded)
        if not lo.success:
            out.append(_row(year, _label(r), "pillar_summaries_feasible", pv, np.nan, "mismatch",
                            Note.of("rec.detail.pillars_unreachable", given=given, fw=fw.id),
                            pub_iv=piv))
            continue
        dmin, dmax = lo.fun / total, -hi.fun / total
        if pd.isna(piv[0]):
            out.append(_row(year, _label(r), "pillar_summaries_feasible", np.nan, np.nan, "ok",
                            f"{given} are reachable; they imply a DTI between {dmin:.4f} and {dmax:.4f} ({fw.id})"))
            continue
        comp = min(max(pv, dmin), dmax) if not pd.isna(pv) else np.nan
        out.append(_row(year, _label(r), "pillar_summaries_feasible", pv, comp, "auto",
                        f"{given} imply a DTI between {dmin:.4f} and {dmax:.4f} ({fw.id})",
                        pub_iv=piv, comp_iv=(dmin, dmax)))
    return out


# ------------------------------------------------------------------------------------ merged means
def check_merged_mean(res: pd.DataFrame, ind: pd.DataFrame, raw_dir=None) -> list[dict]:
    out = []
    ix = index(raw_dir)
    for df, vcol in ((res, "dti_value"), (ind, "value")):
        years = sorted(df.loc[(df["era"] == 34) & (df["origin"] == "published"), "year"].unique())
        if not years:
            continue
        extra = ["indicator"] if vcol == "value" else []
        derived = derive_merged(df, years=years, raw_dir=raw_dir).set_index(["year", "unit_slug"] + extra)
        pub34 = df[(df["era"] == 34) & (df["origin"] == "published") & df[vcol].notna()]
        seen = set()
        for r in pub34.to_dict("records"):
            key = (r["year"], r["unit_slug"], *[r[e] for e in extra])
            seen.add(key)
            what = f"{r['indicator']}: " if extra else ""
            members = ix.members[r["unit_slug"]]
            unit = f"{r['unit']} (34-list)" + (f" {r['indicator']}" if extra else "")
            if key in derived.index:
                dv = derived.loc[key]
                civ = _members_mean_interval(df, r["year"], members, r.get("indicator") if extra else None)
                out.append(_row(r["year"], unit, "merged_mean", r[vcol], dv[vcol], "auto",
                                what + dv["note"] + f" = {bounds.fmt(civ, 6)} (members' printed precision)",
                                pub_iv=_iv(r), comp_iv=civ))
            else:
                have = df[(df["era"] == 63) & (df["year"] == r["year"]) & df[vcol].notna()
                          & df["unit_slug"].isin(members) & (df["origin"] == "published")]
                if extra:
                    have = have[have["indicator"] == r["indicator"]]
                missing = [ix.display_name(m, 63) for m in members if m not in set(have["unit_slug"])]
                out.append(_row(r["year"], unit, "merged_mean", r[vcol], np.nan, "insufficient",
                                what + f"no 63-list value for {', '.join(missing)}"))
        for key, dv in derived.iterrows():
            if key in seen:
                continue
            unit = f"{dv['unit']} (34-list)" + (f" {key[2]}" if extra else "")
            out.append(_row(key[0], unit, "merged_mean", np.nan, dv[vcol], "insufficient",
                            dv["note"] + "; no published 34-list value to compare"))
    return out


def _members_mean_interval(df: pd.DataFrame, year, members: list[str], indicator=None) -> tuple[float, float]:
    """Interval of the unweighted mean of the members' published 2024 (era-63) values."""
    rows = df[(df["era"] == 63) & (df["year"] == year) & (df["origin"] == "published")
              & df["unit_slug"].isin(members) & df["_low"].notna()]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    if set(rows["unit_slug"]) != set(members):
        return np.nan, np.nan
    return bounds.mean([_iv(r) for r in rows.to_dict("records")])


# ------------------------------------------------------------------------------------------ ranks
def _lists(res: pd.DataFrame, ind: pd.DataFrame):
    """(year, era, indicator, frame with value/rank/decimals/note per unit) for every published list."""
    r = res.rename(columns={"dti_value": "value"}).assign(indicator="dti")
    frames = pd.concat([r, ind], ignore_index=True)
    for (year, era, indicator), g in frames.groupby(["year", "era", "indicator"], sort=True):
        pub = g[g["origin"] == "published"].set_index("unit_slug")
        der = g[g["origin"] == "derived"].set_index("unit_slug")
        rows = pub.copy()
        rows["value_derived"] = False
        for slug, d in der.iterrows():        # derived value for a unit whose published row has a rank only
            if slug in rows.index and pd.isna(rows.at[slug, "value"]) and d["evidence"] == "unchanged_unit":
                rows.at[slug, "value"] = d["value"]
                rows.at[slug, "value_derived"] = True
        yield year, era, indicator, rows


def check_rank_order(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    """A value certainly above another (their printed intervals do not meet) never has a worse rank;
    a value printed with fewer decimals that fits the order only on one reading of its digits is
    ``flagged`` (it is not silently set to the boundary the order needs)."""
    from .ranks import rank_interval

    out = []
    for year, _era, indicator, g in _lists(res, ind):
        v = g[g["_low"].notna() & g["rank"].notna()].copy()
        if len(v) < 2:
            continue
        for slug, u in v.iterrows():
            peers = v.drop(index=slug)
            uiv = _iv(u)
            higher = peers[peers["_low"] > uiv[1] + EPS]
            lower = peers[peers["_high"] < uiv[0] - EPS]
            bad = [f"{p['unit']} {_printed(p)} ranked {int(p['rank'])}" for _, p in higher.iterrows()
                   if p["rank"] >= u["rank"]]
            bad += [f"{p['unit']} {_printed(p)} ranked {int(p['rank'])}" for _, p in lower.iterrows()
                    if p["rank"] <= u["rank"]]
            floor, ceil = rank_interval(uiv, peers, int(u["rank_of"]))
            what = "DTI" if indicator == "dti" else indicator
            note = " (value derived: unit not merged)" if u["value_derived"] else ""
            head = f"{what} {_printed(u)}{note} ranked {int(u['rank'])}: "
            status, detail = ("mismatch", head + "; ".join(bad)) if bad else (
                "ok", head + f"peers' values allow ranks {floor}..{ceil}")
            if not bad:
                flag = _order_flag(u, peers)
                if flag:
                    status, detail = "flagged", head + flag
            comp = u["rank"] if not bad else (floor if u["rank"] < floor else ceil)
            out.append(_row(year, _label(u), "rank_order", u["rank"], comp, status, detail))
    return out


def _order_flag(u, peers: pd.DataFrame) -> str:
    """Why a printed value contradicts the published order as a number although its interval does not.

    The order says the unit's value is above every worse-ranked peer and below every better-ranked one;
    if the printed number itself lies outside what the order needs (and the unit's figure is the less
    precise one), the needed interval and both readings of the printed digits are returned."""
    if pd.isna(u["value"]):
        return ""
    worse = peers[(peers["rank"] > u["rank"]) & peers["value"].notna()]
    better = peers[(peers["rank"] < u["rank"]) & peers["value"].notna()]
    d = u["_decimals"]
    below = worse[(worse["value"] > u["value"] + EPS) & (worse["_decimals"] >= d)]
    above = better[(better["value"] < u["value"] - EPS) & (better["_decimals"] >= d)]
    if below.empty and above.empty:
        return ""
    need_lo = max([u["_low"]] + list(worse["_low"]))
    need_hi = min([u["_high"]] + list(better["_high"]))
    who = [f"{p['unit']} {_printed(p)} ranked {int(p['rank'])} (below it)" for _, p in below.iterrows()]
    who += [f"{p['unit']} {_printed(p)} ranked {int(p['rank'])} (above it)" for _, p in above.iterrows()]
    rounded = bounds.interval(float(u["value"]), int(d), truncation=False) if not pd.isna(d) else (np.nan,) * 2
    truncated = (float(u["value"]), float(u["value"]) + 10.0 ** -int(d)) if not pd.isna(d) else (np.nan,) * 2
    readings = []
    for name, iv in (("rounded", rounded), ("truncated", truncated)):
        lo, hi = max(iv[0], need_lo), min(iv[1], need_hi)
        readings.append(f"as {name} ({bounds.fmt(iv, 5)}) " + (
            f"only {bounds.fmt((lo, hi), 5)} fits" if lo <= hi + EPS else "it cannot fit"))
    return (f"the printed {_printed(u)} is out of order with " + "; ".join(who)
            + f" — the order needs {bounds.fmt((need_lo, need_hi), 5)}; " + ", ".join(readings))


def check_rank_sequence(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    out = []
    for year, _era, indicator, g in _lists(res, ind):
        ranks = g["rank"].dropna().astype(int)
        rank_of = int(g["rank_of"].iloc[0])
        if len(ranks) != rank_of:
            continue
        counts = ranks.value_counts().sort_index()
        problems, expect = [], 1
        for rk, k in counts.items():
            if rk != expect:
                problems.append(f"rank {rk} where {expect} was expected")
            expect = rk + k
        ties = [f"tie at {rk} ({', '.join(g.loc[ranks[ranks == rk].index, 'unit'])})"
                for rk, k in counts.items() if k > 1]
        what = "DTI" if indicator == "dti" else indicator
        detail = f"{what}: {len(ranks)} of {rank_of} ranks; " + ("; ".join(problems) if problems else
                                                                   "a competition ranking" + (
                                                                       ": " + "; ".join(ties) if ties else ""))
        out.append(_row(year, f"all {rank_of} units", "rank_sequence", len(ranks), rank_of,
                        "mismatch" if problems else "ok", detail))
    return out


# ------------------------------------------------------------------------------ stated changes
RANK_CHANGE_RE = re.compile(
    r"\b(?P<dir>up|down|tăng|giảm)\s+(?P<n>\d+)(?:\s+(?:places?|bậc))?"
    r"(?:\s+(?:vs\s+(?:(?P<ref>\d{4})|previous year)|so với(?: năm)?\s+(?P<ref2>\d{4}))|\s+y/y)?",
    re.IGNORECASE)
VALUE_CHANGE_RE = re.compile(r"(?<![\w.])(?P<sign>[+-])(?P<num>\d*\.\d+|\d+)(?P<pct>%)?(?:\s+vs\s+(?P<ref>\d{4}))?")


def _no_urls(text) -> str:
    return re.sub(r"https?://\S+", "", text or "")


def _predecessor(ix, year, era, slug, ref_year):
    """(era, slug) of the unit in *ref_year*'s list that a note compares with."""
    if era == 34 and ref_year < 2024:
        mem = ix.members.get(slug, [])
        carrier = [m for m in mem if m == slug] or (mem if len(mem) == 1 else [])
        return (63, carrier[0]) if carrier else None
    return era, slug


def check_stated_rank_change(res: pd.DataFrame, raw_dir=None) -> list[dict]:
    ix = index(raw_dir)
    out = []
    pub = res[res["origin"] == "published"]
    ranks = pub.set_index(["year", "era", "unit_slug"])["rank"]
    for r in pub.to_dict("records"):
        seen = set()
        for m in RANK_CHANGE_RE.finditer(_no_urls(r["note"])):
            if not re.search(r"place|bậc|vs|y/y|so với", m.group(0), re.IGNORECASE):
                continue                   # "up 2" alone is too vague to be a rank change
            n = int(m.group("n")) * (1 if m.group("dir").lower() in ("up", "tăng") else -1)
            ref = int(m.group("ref") or m.group("ref2") or r["year"] - 1)
            if (n, ref) in seen:
                continue
            seen.add((n, ref))
            cur = r["rank"]
            pred = _predecessor(ix, r["year"], r["era"], r["unit_slug"], ref)
            prev = ranks.get((ref, *pred), pd.NA) if pred else pd.NA
            stated = f"'{m.group(0).strip()}'"
            if pd.isna(cur) or pd.isna(prev):
                missing = f"{r['year']}" if pd.isna(cur) else f"{ref}"
                out.append(_row(r["year"], _label(r), "stated_rank_change", n, np.nan, "insufficient",
                                Note.of("rec.detail.rank_missing", stated=stated, year=missing)))
                continue
            comp = int(prev) - int(cur)
            cross = " (63-list rank vs 34-list rank)" if pred and pred[0] != r["era"] else ""
            key = "rec.detail.rank_change_" + ("up" if comp >= 0 else "down") + ("_cross" if cross else "")
            out.append(_row(r["year"], _label(r), "stated_rank_change", n, comp, "auto",
                            Note.of(key, stated=stated, ref=ref, prev=int(prev), year=r["year"], cur=int(cur),
                                    n=abs(comp)), 0))
    return out


def national_intervals(national: pd.DataFrame) -> pd.DataFrame:
    """``_low`` / ``_high`` of the national figures (their printed digits; see :mod:`dtilib.data.bounds`)."""
    national = national.copy()
    ivs = [bounds.interval(float(v), None if pd.isna(d) else int(d)) if k == "value" else (v, v)
           for v, d, k in zip(national["value"], national["_decimals"], national["kind"], strict=True)]
    national["_low"] = [a for a, _ in ivs]
    national["_high"] = [b for _, b in ivs]
    return national


def check_stated_value_change(res: pd.DataFrame, national: pd.DataFrame | None) -> list[dict]:
    out = []
    pub = res[(res["origin"] == "published")]
    vals = pub.set_index(["year", "era", "unit_slug"])
    for r in pub.to_dict("records"):
        for m in VALUE_CHANGE_RE.finditer(_no_urls(r["note"])):
            if m.group("pct") or "." not in m.group("num"):
                continue                       # DTI notes state absolute changes ("+0.1545 vs 2020")
            stated = float(m.group("sign") + m.group("num"))
            ref = int(m.group("ref") or r["year"] - 1)
            key = (ref, r["era"], r["unit_slug"])
            prev = vals["dti_value"].get(key, np.nan)
            d = len(m.group("num").split(".")[1])
            if pd.isna(prev) or pd.isna(r["dti_value"]):
                out.append(_row(r["year"], _label(r), "stated_value_change", stated, np.nan, "insufficient",
                                f"'{m.group(0)}': no published {ref if pd.isna(prev) else r['year']} DTI value"))
                continue
            civ = bounds.difference(_iv(r), (vals.at[key, "_low"], vals.at[key, "_high"]))
            out.append(_row(r["year"], _label(r), "stated_value_change", stated, r["dti_value"] - prev, "auto",
                            f"'{m.group(0)}': {r['dti_value']:g} − {prev:g} ({ref}) = {bounds.fmt(civ, 5)}", d,
                            comp_iv=civ))
    if national is None:
        return out
    national = national_intervals(national)
    for r in national.to_dict("records"):
        for part in _no_urls(r["note"]).split(";"):
            for m in VALUE_CHANGE_RE.finditer(part):
                if not m.group("pct"):
                    continue
                stated = float(m.group("sign") + m.group("num"))
                ref = int(m.group("ref") or r["year"] - 1)
                d = len(m.group("num").split(".")[1]) if "." in m.group("num") else 0
                label = f"national: {r['metric']}"
                prevs = national[(national["year"] == ref) & (national["metric"] == r["metric"])]
                prevs = prevs.drop_duplicates("value")
                if prevs.empty:
                    out.append(_row(r["year"], label, "stated_value_change", stated, np.nan, "insufficient",
                                    f"'{m.group(0)}' ({r['value']:g}): no {ref} value of {r['metric']}"))
                    continue
                for p in prevs.to_dict("records"):
                    comp = (r["value"] / p["value"] - 1) * 100
                    civ = bounds.ratio_change((r["_low"], r["_high"]), (p["_low"], p["_high"]))
                    row = _row(r["year"], label, "stated_value_change", stated, comp, "auto",
                               f"'{m.group(0)}': {r['value']:g} / {p['value']:g} ({ref}, {p['source'][:60]}) − 1 "
                               f"= {bounds.fmt(civ, 2)} %", d, comp_iv=civ)
                    row["_facts"] = [(ref, r["metric"], p["value"]), (r["year"], r["metric"], r["value"])]
                    row["_fact"] = f"'{m.group(0)}' ({r['year']} {r['value']:g})"
                    out.append(row)
    return out


def resolve_conflicts(national: pd.DataFrame, rows: list[dict]) -> list[dict]:
    """For each national figure the sources disagree on: which candidate the other published facts
    (stated changes) support.  One ``conflict_resolved`` row per conflict; the rows that compared with
    a likely slip, and the disagreement itself, become ``flagged`` with the reason."""
    out = []
    for (year, metric), g in national.groupby(["year", "metric"], sort=True):
        cands = list(dict.fromkeys(g["value"]))
        if len(cands) < 2:
            continue
        support = {c: [] for c in cands}
        against = {c: [] for c in cands}
        for r in rows:
            for fy, fm, fv in r.get("_facts", []):
                if (fy, fm) == (year, metric) and fv in support:
                    (support if r["status"] == "ok" else against if r["status"] == "mismatch" else {}).get(
                        fv, []).append(r)
        sources = {c: "; ".join(dict.fromkeys(g.loc[g["value"] == c, "source"].str[:60])) for c in cands}
        fits = [c for c in cands if support[c] and not against[c]]
        label = f"national: {metric}"
        if len(fits) == 1 and all(against[c] for c in cands if c != fits[0]):
            win = fits[0]
            slips = [c for c in cands if c != win]
            why_win = "; ".join(f"{r['_fact']} gives {bounds.fmt((r['computed_low'], r['computed_high']), 2)} %"
                                for r in support[win])
            why_slip = "; ".join(f"{c:g} ({sources[c]}): " + "; ".join(
                f"{r['_fact']} would be {_fmt(r['computed'])} %" for r in against[c]) for c in slips)
            out.append(_row(year, label, "conflict_resolved", win, slips[0], "ok",
                            f"sources disagree ({', '.join(f'{c:g}' for c in cands)}); the other published facts "
                            f"support {win:g} ({sources[win]}): {why_win}. Likely slip: {why_slip}"))
            for c in slips:
                for r in against[c]:
                    r["status"] = "flagged"
                    r["detail"] += f" — {c:g} is a likely slip (conflict_resolved: {win:g})"
            for r in rows:
                if r["check"] == "national_sources_agree" and r["year"] == year and r["unit"] == label \
                        and r["status"] == "mismatch":
                    r["status"] = "flagged"
                    r["detail"] += f" — resolved: {win:g} (conflict_resolved)"
        else:
            out.append(_row(year, label, "conflict_resolved", np.nan, np.nan, "mismatch" if fits or any(
                against.values()) else "insufficient",
                f"sources disagree ({', '.join(f'{c:g} ({sources[c]})' for c in cands)}); the other published "
                "facts do not single one out"))
    return out


# --------------------------------------------------------------------------------- group tables
def check_group_table(groups: pd.DataFrame, stated: pd.DataFrame) -> list[dict]:
    out = []
    for (year, unit), g in groups.groupby(["year", "unit"], sort=False):
        g = g[g["scored"].str.lower().isin(["yes", "true", "1"])]
        st = stated[(stated["year"] == year)]
        mine = st[st["unit"] == unit]
        total = mine[mine["item"] == "total"]
        s = round(float(g["achieved"].sum()), 10)
        if len(total):
            t = total.iloc[0]
            out.append(_row(year, unit, "group_total", t["value"], s, "auto",
                            Note.of("rec.detail.group_total", n=len(g), printed=t["printed"],
                                    parts=Note(" + ".join(f"{a:g}" for a in g["achieved"]),
                                               " + ".join(fmt_number(a, "vi", 2) for a in g["achieved"]))),
                            t["_decimals"]))
        for r in g.to_dict("records"):
            lost = round(r["max_points"] - r["achieved"], 10)       # points: no float noise in reports
            gl = f"{unit}: {r.get('name_vi') or r['group']}"
            if not pd.isna(r["n_at_max"]) and not pd.isna(r["n_at_zero"]) and not pd.isna(r["n_partial"]):
                parts = int(r["n_at_max"]) + int(r["n_at_zero"]) + int(r["n_partial"])
                out.append(_row(year, gl, "group_counts", r["n_sub_indicators"], parts, "auto",
                                Note.of("rec.detail.group_counts", at_max=r["n_at_max"], at_zero=r["n_at_zero"],
                                        partial=r["n_partial"]), 0))
            claim = mine[(mine["item"] == "points_lost") & (mine["group"] == r["group"])]
            if lost < -EPS:
                out.append(_row(year, gl, "group_lost", np.nan, lost, "mismatch",
                                Note.of("rec.detail.group_over_max", achieved=r["achieved"], max=r["max_points"])))
            for c in claim.to_dict("records"):
                printed = str(c["printed"]).strip()
                key = "rec.detail.group_lost" + ("" if printed.startswith(("-", "−")) else "_unsigned")
                out.append(_row(year, gl, "group_lost", abs(c["value"]), lost, "auto",
                                Note.of(key, printed=printed, max=r["max_points"], achieved=r["achieved"], lost=lost),
                                c["_decimals"]))
        gap = mine[mine["item"] == "gap_to_next"]
        others = st[(st["unit"] != unit) & (st["item"] == "total")]
        if len(gap) and len(total):
            if len(others):
                o = others.iloc[0]
                out.append(_row(year, unit, "group_gap", gap.iloc[0]["value"], round(total.iloc[0]["value"] - o["value"], 10),
                                "auto", Note.of("rec.detail.group_gap", total=total.iloc[0]["value"], other=o["unit"],
                                                other_total=o["value"]),
                                gap.iloc[0]["_decimals"]))
            else:
                out.append(_row(year, unit, "group_gap", gap.iloc[0]["value"], np.nan, "insufficient",
                                Note.of("rec.detail.group_gap_missing")))
    return out


# -------------------------------------------------------------------------------------- national
def check_national(long: pd.DataFrame, wide: pd.DataFrame | None) -> list[dict]:
    out = []
    for (year, metric), g in long.groupby(["year", "metric"], sort=True):
        if len(g) < 2:
            continue
        vals = g.drop_duplicates("value")
        label = f"national: {metric}"
        if len(vals) == 1:
            out.append(_row(year, label, "national_sources_agree", g["value"].iloc[0], g["value"].iloc[1], "auto",
                            f"{len(g)} sources give the same value", g["_decimals"].iloc[0]))
        else:
            a, b = vals.iloc[0], vals.iloc[1]
            out.append(_row(year, label, "national_sources_agree", a["value"], b["value"], "mismatch",
                            f"{a['value']:g} ({a['source'][:50]}) vs {b['value']:g} ({b['source'][:50]})"))
    if wide is not None:
        for r in wide.to_dict("records"):
            label = f"national: {r['metric']}"
            cand = long[(long["year"] == r["year"]) & (long["metric"] == r["metric"])]
            if cand.empty:
                out.append(_row(r["year"], label, "national_sources_agree", r["value"], np.nan, "insufficient",
                                f"{paths.NATIONAL} column {r['_column']} has no row in {paths.NATIONAL_LONG}"))
                continue
            diffs = (cand["value"] - r["value"]).abs()
            best = cand.loc[diffs.idxmin()]
            out.append(_row(r["year"], label, "national_sources_agree", r["value"], best["value"], "auto",
                            f"{paths.NATIONAL} column {r['_column']} vs {paths.NATIONAL_LONG} row {best['_row']}",
                            r["_decimals"]))
    return out


# ---------------------------------------------------------------------------------- README conflicts
def check_readme_conflicts(conflicts: pd.DataFrame, rows: pd.DataFrame) -> list[dict]:
    """One row per known conflict of the data README: the statuses of the check rows covering it."""
    out = []
    for c in conflicts.to_dict("records"):
        checks = [x for x in str(c.get("covered_by", "")).split(";") if x]
        years = [int(y) for y in str(c.get("years", "")).split(";") if y.strip()]
        units = [u.strip() for u in str(c.get("units", "")).split(";") if u.strip()]
        hit = rows[rows["check"].isin(checks)]
        if years:
            hit = hit[hit["year"].isin(years)]
        if units:
            hit = hit[hit["unit"].map(lambda x, units=units: any(str(x).startswith(u) for u in units))]
        if not checks:
            status, detail = "insufficient", "no data table holds these figures; recorded as the README states it"
        elif hit.empty:
            status, detail = "insufficient", f"no {'/'.join(checks)} row for it"
        else:
            counts = hit["status"].value_counts()
            status = ("mismatch" if counts.get("mismatch", 0) else "flagged" if counts.get("flagged", 0)
                      else "ok" if counts.get("ok", 0) else "insufficient")
            detail = f"{'/'.join(checks)}: " + ", ".join(f"{k} {v}" for k, v in counts.items())
        out.append(_row(years[0] if years else None, "; ".join(units) or "all units", f"readme_conflict:{c['id']}",
                        status=status, detail=f"{detail} — README: {c['quote']}"))
    return out


# ------------------------------------------------------------------------------------------ driver
def reconcile(results: str | Path | None = None, pillars: str | Path | None = None, *,
              raw_dir: str | Path | None = None, extras: bool = True) -> pd.DataFrame:
    """Run every check; one row per checked figure (columns :data:`COLUMNS`).

    *results* / *pillars*: files in the raw format of ``dti_results.csv`` / ``dti_pillars.csv``
    (default: the shipped raw files).  *extras*: also the national tables, the seed group table and
    the README's known conflicts of *raw_dir*.
    """
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    res = tidy_results(results, raw_dir=raw_dir)
    ind = tidy_indicators(pillars, raw_dir=raw_dir)
    res_all = pd.concat([res, derive_unchanged(res, raw_dir=raw_dir)], ignore_index=True)
    ind_all = pd.concat([ind, derive_unchanged(ind, raw_dir=raw_dir)], ignore_index=True)
    rows: list[dict] = []
    rows += check_dti_from_main(res, ind)
    rows += check_pillar_summaries(res, ind)
    rows += check_summaries_feasible(res, ind)
    rows += check_merged_mean(res, ind, raw_dir)
    rows += check_rank_order(res_all, ind_all)
    rows += check_rank_sequence(res, ind)
    rows += check_stated_rank_change(res, raw_dir)
    national = None
    if extras and (raw_dir / paths.NATIONAL_LONG).exists():
        national = tidy_national(raw_dir)
        wide = tidy_national_wide(raw_dir) if (raw_dir / paths.NATIONAL).exists() else None
        rows += check_national(national, wide)
    rows += check_stated_value_change(res, national)
    if national is not None:
        rows += resolve_conflicts(national, rows)
    if extras and (raw_dir / paths.SEED_GROUPS).exists() and (raw_dir / paths.SEED_STATED).exists():
        rows += check_group_table(read_seed_groups(raw_dir), read_seed_stated(raw_dir))
    out = pd.DataFrame(rows, columns=COLUMNS)
    if extras and (raw_dir / paths.README_CONFLICTS).exists():
        from ..io import read_table

        conflicts = read_table(raw_dir / paths.README_CONFLICTS,
                               required=["id", "years", "units", "covered_by", "quote"])
        out = pd.concat([out, pd.DataFrame(check_readme_conflicts(conflicts, out), columns=COLUMNS)],
                        ignore_index=True)
    out["year"] = out["year"].astype("Int64")
    from ..reporting.rich import result_table

    return result_table(out.reset_index(drop=True), "reconcile")




def summary(out: pd.DataFrame, *, width: int = 110, lang: str = "vi") -> str:
    """A readable summary in *lang*: counts per status (and per check), then every mismatch and flag with
    the computed value, its interval and the published value (details stay as the checks wrote them)."""
    if out.empty:
        return t("rec.nothing", lang)
    counts = out["status"].value_counts()
    lines = [t("rec.title", lang, counts=", ".join(f"{counts.get(s, 0)} {t('rec.status.' + s, lang)}"
                                                   for s in STATUSES), n=len(out)), t("rec.rule", lang), ""]
    by = out.assign(check=out["check"].str.replace(r":.*", ":*", regex=True)).pivot_table(
        index="check", columns="status", values="unit", aggfunc="count", fill_value=0)
    by = by.reindex(columns=list(STATUSES), fill_value=0)
    names = {check: check_label(str(check).replace(":*", ""), lang) for check in by.index}
    w = max([len(t("rec.check", lang)), *map(len, names.values())]) + 2
    lines.append(f"{t('rec.check', lang):<{w}}" + "".join(f"{t('rec.status.' + s, lang):>14}" for s in STATUSES))
    for check, r in by.iterrows():
        lines.append(f"{names[check]:<{w}}" + "".join(f"{int(r[s]):>14}" for s in STATUSES))
    for status, head in (("mismatch", "rec.mismatches"), ("flagged", "rec.flagged")):
        rows = out[out["status"] == status]
        if status == "mismatch":
            lines += ["", t(head, lang, n=len(rows)) if len(rows) else t("rec.no_mismatch", lang)]
        elif len(rows):
            lines += ["", t(head, lang, n=len(rows))]
        for r in rows.to_dict("records"):
            year = "" if pd.isna(r["year"]) else f"{r['year']} "
            nums = ""
            if not pd.isna(r["published"]) or not pd.isna(r["computed"]):
                d = _shown_decimals(r["published"])
                pct = " %" if re.search(r"\d%", str(r["detail"]).split(":")[0]) else ""     # a stated % change
                key = "rec.numbers" if not pd.isna(r["computed"]) else "rec.numbers_none"
                nums = " " + t(key, lang, computed=_num_text(r["computed"], lang, d) + pct,
                               civ=_iv_text(r["computed_low"], r["computed_high"], lang, d),
                               published=_num_text(r["published"], lang, d) + pct,
                               piv=_iv_text(r["published_low"], r["published_high"], lang, d + 1))
            detail = note_text(r["detail"], lang) if isinstance(r["detail"], Note) else translate(r["detail"], lang)
            text = f"- {year}{r['unit']} [{check_label(r['check'], lang)}]{nums}: {detail}"
            lines.append(text if len(text) <= width * 3 else text[: width * 3 - 1] + "…")
    return "\n".join(lines)


def check_label(code: str, lang: str = "vi") -> str:
    """A check code as words (``group_lost`` → ``Điểm bị mất của nhóm``); ``readme_conflict:<id>`` keeps its id
    after the words; an unknown code is returned as it is."""
    base, _, rest = str(code).partition(":")
    key = f"check.{base}"
    if not has(key):
        return str(code)
    return t(key, lang) + (f" ({rest})" if rest else "")


def _shown_decimals(published) -> int:
    """Decimals to show a check's numbers with: those of the published figure, plus two (32.7 → 3: a computed
    23.128834 reads 23,129), at most 6."""
    if pd.isna(published):
        return 4
    text = f"{float(published):.6f}".rstrip("0")
    return min(6, len(text.split(".")[1]) + 2)


def _num_text(x, lang, decimals: int = 6) -> str:
    from ..i18n import fmt_plain

    return fmt_plain(x, lang, decimals, missing="?")


def _iv_text(lo, hi, lang, decimals: int = 6) -> str:
    if pd.isna(lo) or pd.isna(hi):
        return "?"
    return t("rec.interval", lang, lo=_num_text(lo, lang, decimals), hi=_num_text(hi, lang, decimals))


def write(out: pd.DataFrame, target: str | Path) -> Path:
    from ..io import write_table

    return write_table(out, target)


def has_mismatch(out: pd.DataFrame) -> bool:
    return bool((out["status"] == "mismatch").any())


__all__ = ["COLUMNS", "DTIError", "reconcile", "summary", "tolerance", "write", "has_mismatch"]
