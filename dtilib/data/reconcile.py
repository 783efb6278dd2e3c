"""``dti reconcile``: check every figure that can be checked, without changing any.

Each check compares a *published* figure with one *computed* from other published figures and gives
a status: ``ok``, ``mismatch`` or ``insufficient`` (not enough published figures to decide).  The
tolerance is half a unit of the last printed decimal of the published figure (0.71 → ±0.005,
0.8002 → ±0.00005, "+3%" → ±0.5 points).

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
from . import paths
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

COLUMNS = ["year", "unit", "check", "published", "computed", "difference", "status", "detail"]
STATUSES = ("ok", "mismatch", "insufficient")
EPS = 1e-9


def tolerance(decimals) -> float:
    """Half a unit of the last printed decimal (``None``/NaN → exact up to float noise)."""
    if decimals is None or (isinstance(decimals, float) and np.isnan(decimals)):
        return EPS
    return 0.5 * 10.0 ** (-int(decimals)) + EPS


def _row(year, unit, check, published=np.nan, computed=np.nan, status="insufficient", detail="", decimals=None):
    published = np.nan if published is None or published is pd.NA else float(published)
    computed = np.nan if computed is None or computed is pd.NA else float(computed)
    diff = published - computed if not (np.isnan(published) or np.isnan(computed)) else np.nan
    if status == "auto":
        status = ("insufficient" if np.isnan(diff) else "ok" if abs(diff) <= tolerance(decimals) else "mismatch")
    return {"year": year, "unit": unit, "check": check, "published": published, "computed": computed,
            "difference": diff, "status": status, "detail": detail}


def _label(r) -> str:
    """Unit label: display name, with the list for 2024 (both lists were published)."""
    return f"{r['unit']} ({r['era']}-list)" if int(r["year"]) == 2024 else r["unit"]


def _fmt(x, d=None) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "?"
    return f"{x:.{int(d)}f}" if d is not None and not pd.isna(d) else f"{x:g}"


# ------------------------------------------------------------------------------ DTI from main values
def check_dti_from_main(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    from ..frameworks import load_framework
    from ..scoring import aggregate

    out = []
    pub = ind[(ind["origin"] == "published") & ind["value"].notna()]
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
        mv = g.drop(columns="unit").rename(columns={"unit_slug": "unit"})[["year", "unit", "indicator", "value"]]
        agg = aggregate(fw, mv, file="indicators").set_index("unit")
        scored = list(fw.scored_main["id"])
        for slug, a in agg.iterrows():
            r = label.loc[slug]
            key = (year, era, slug)
            p = dti.loc[key] if key in dti.index else None
            pv = p["dti_value"] if p is not None else np.nan
            d = p["_decimals"] if p is not None else None
            have = int(a["n_known"])
            if pd.isna(a["dti_value"]):
                detail = f"{have} of {len(scored)} scored main values published ({fw.id})"
            elif pd.isna(pv):
                detail = f"computed from all {len(scored)} main values ({fw.id}); no published DTI to compare"
            else:
                terms = " + ".join(f"{fw.main_max()[m]:g}×{a[m]:g}" for m in scored)
                detail = f"({terms}) / {fw.total_points:g} = {a['dti_value']:.5f} ({fw.id})"
            out.append(_row(year, _label(r), "dti_from_main", pv, a["dti_value"], "auto", detail, d))
    return out


# ------------------------------------------------------------------------------ pillar summaries
def check_pillar_summaries(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    from ..frameworks import load_framework
    from ..scoring import aggregate

    out = []
    pub = ind[(ind["origin"] == "published") & ind["value"].notna()]
    for (year, _era), g in pub.groupby(["year", "era"], sort=True):
        fw = load_framework(framework_id(year))
        if not fw.summaries or not fw.weights_known:
            continue
        sids = [s["id"] for s in fw.summaries]
        mains = set(fw.main["id"])
        mv = g[g["indicator"].isin(mains)].drop(columns="unit").rename(columns={"unit_slug": "unit"})[["year", "unit", "indicator", "value"]]
        agg = aggregate(fw, mv, file="indicators").set_index("unit") if len(mv) else pd.DataFrame()
        published = g[g["indicator"].isin(sids)].set_index(["unit_slug", "indicator"])
        units = sorted(set(agg.index) | set(published.index.get_level_values(0)))
        label = g.drop_duplicates("unit_slug").set_index("unit_slug")
        for slug in units:
            for sm in fw.summaries:
                sid = sm["id"]
                comp = agg.at[slug, sid] if slug in agg.index else np.nan
                pv, d = np.nan, None
                if (slug, sid) in published.index:
                    p = published.loc[(slug, sid)]
                    pv, d = p["value"], p["_decimals"]
                if pd.isna(comp) and pd.isna(pv):
                    continue
                mx = fw.main_max()
                detail = (f"{sid} = Σ points of {', '.join(sm['components'])} / {mx[sm['components']].sum():g}"
                          if not pd.isna(comp) else f"{sid}: main values of its components not all published")
                if not pd.isna(comp) and pd.isna(pv):
                    detail += "; no published value to compare"
                out.append(_row(year, _label(label.loc[slug]), "pillar_summary_from_main", pv, comp, "auto",
                                f"{detail} ({fw.id})", d))
    return out


def check_summaries_feasible(res: pd.DataFrame, ind: pd.DataFrame) -> list[dict]:
    """Are the published summaries (and DTI) reachable by main-indicator points within their max?"""
    from scipy.optimize import linprog

    from ..frameworks import load_framework

    out = []
    pub = ind[(ind["origin"] == "published") & ind["value"].notna()]
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

        def band(coef, value, dec, scale, a_ub=a_ub, b_ub=b_ub):
            t = tolerance(dec)
            a_ub.append(coef)
            b_ub.append((value + t) * scale)
            a_ub.append([-c for c in coef])
            b_ub.append(-(value - t) * scale)

        for sid, sm in sids.items():
            coef = [1.0 if m in sm["components"] else 0.0 for m in scored]
            band(coef, have.at[sid, "value"], have.at[sid, "_decimals"], float(fw.main_max()[sm["components"]].sum()))
        for m in scored:                        # published main values, if any, constrain too
            if m in have.index:
                band([1.0 if x == m else 0.0 for x in scored], have.at[m, "value"], have.at[m, "_decimals"],
                     float(fw.main_max()[m]))
        bounds = list(zip([0.0] * len(scored), mx, strict=True))
        total = float(fw.total_points)
        ones = np.ones(len(scored))
        lo = linprog(ones, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        hi = linprog(-ones, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
        r = g.iloc[0]
        key = (year, era, slug)
        pv = dti.at[key, "dti_value"] if key in dti.index else np.nan
        d = dti.at[key, "_decimals"] if key in dti.index else None
        given = ", ".join(f"{s} {have.at[s, 'value']:g}" for s in sids)
        if not lo.success:
            out.append(_row(year, _label(r), "pillar_summaries_feasible", pv, np.nan, "mismatch",
                            f"no main-indicator points within their max points give {given} ({fw.id})"))
            continue
        dmin, dmax = lo.fun / total, -hi.fun / total
        if pd.isna(pv):
            out.append(_row(year, _label(r), "pillar_summaries_feasible", np.nan, np.nan, "ok",
                            f"{given} are reachable; they imply a DTI between {dmin:.4f} and {dmax:.4f} ({fw.id})"))
            continue
        t = tolerance(d)
        comp = min(max(pv, dmin), dmax)
        status = "ok" if dmin - t <= pv <= dmax + t else "mismatch"
        out.append(_row(year, _label(r), "pillar_summaries_feasible", pv, comp, status,
                        f"{given} imply a DTI between {dmin:.4f} and {dmax:.4f} ({fw.id})"))
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
                out.append(_row(r["year"], unit, "merged_mean", r[vcol], dv[vcol], "auto",
                                what + dv["note"], r["_decimals"]))
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
    out = []
    for year, _era, indicator, g in _lists(res, ind):
        v = g[g["value"].notna() & g["rank"].notna()].copy()
        if len(v) < 2:
            continue
        tol = v["_decimals"].map(tolerance).where(~v["value_derived"], EPS)
        v["lo"], v["hi"] = v["value"] - tol, v["value"] + tol
        for slug, u in v.iterrows():
            peers = v.drop(index=slug)
            higher = peers[peers["lo"] > u["hi"]]
            lower = peers[peers["hi"] < u["lo"]]
            bad = [f"{p['unit']} {_fmt(p['value'])} ranked {int(p['rank'])}" for _, p in higher.iterrows()
                   if p["rank"] >= u["rank"]]
            bad += [f"{p['unit']} {_fmt(p['value'])} ranked {int(p['rank'])}" for _, p in lower.iterrows()
                    if p["rank"] <= u["rank"]]
            floor = int(higher["rank"].max()) + 1 if len(higher) else 1
            ceil = int(lower["rank"].min()) - 1 if len(lower) else int(u["rank_of"])
            what = "DTI" if indicator == "dti" else indicator
            note = " (value derived: unit not merged)" if u["value_derived"] else ""
            detail = (f"{what} {_fmt(u['value'])}{note} ranked {int(u['rank'])}: "
                      + ("; ".join(bad) if bad else f"peers' values allow ranks {floor}..{ceil}"))
            comp = u["rank"] if not bad else (floor if u["rank"] < floor else ceil)
            out.append(_row(year, _label(u), "rank_order", u["rank"], comp,
                            "mismatch" if bad else "ok", detail))
    return out


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
                                f"{stated}: no published {missing} rank"))
                continue
            comp = int(prev) - int(cur)
            cross = " (63-list rank vs 34-list rank)" if pred and pred[0] != r["era"] else ""
            out.append(_row(r["year"], _label(r), "stated_rank_change", n, comp, "auto",
                            f"{stated}: {ref} rank {int(prev)} → {r['year']} rank {int(cur)} = "
                            f"{'up' if comp >= 0 else 'down'} {abs(comp)}{cross}", 0))
    return out


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
            prev = vals["dti_value"].get((ref, r["era"], r["unit_slug"]), np.nan)
            d = len(m.group("num").split(".")[1])
            if pd.isna(prev) or pd.isna(r["dti_value"]):
                out.append(_row(r["year"], _label(r), "stated_value_change", stated, np.nan, "insufficient",
                                f"'{m.group(0)}': no published {ref if pd.isna(prev) else r['year']} DTI value"))
                continue
            out.append(_row(r["year"], _label(r), "stated_value_change", stated, r["dti_value"] - prev, "auto",
                            f"'{m.group(0)}': {r['dti_value']:g} − {prev:g} ({ref})", d))
    if national is None:
        return out
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
                    out.append(_row(r["year"], label, "stated_value_change", stated, comp, "auto",
                                    f"'{m.group(0)}': {r['value']:g} / {p['value']:g} ({ref}, {p['source'][:60]}) − 1",
                                    d))
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
                            f"Σ achieved of {len(g)} scored groups = " + " + ".join(f"{a:g}" for a in g["achieved"])
                            + f"; stated total '{t['printed']}'", t["_decimals"]))
        for r in g.to_dict("records"):
            lost = round(r["max_points"] - r["achieved"], 10)       # points: no float noise in reports
            gl = f"{unit}: {r.get('name_vi') or r['group']}"
            if not pd.isna(r["n_at_max"]) and not pd.isna(r["n_at_zero"]) and not pd.isna(r["n_partial"]):
                parts = int(r["n_at_max"]) + int(r["n_at_zero"]) + int(r["n_partial"])
                out.append(_row(year, gl, "group_counts", r["n_sub_indicators"], parts, "auto",
                                f"{r['n_at_max']} at max + {r['n_at_zero']} at 0 + {r['n_partial']} partial",
                                0))
            claim = mine[(mine["item"] == "points_lost") & (mine["group"] == r["group"])]
            if lost < -EPS:
                out.append(_row(year, gl, "group_lost", np.nan, lost, "mismatch",
                                f"achieved {r['achieved']:g} exceeds max {r['max_points']:g}"))
            for c in claim.to_dict("records"):
                printed = str(c["printed"]).strip()
                sign = "" if printed.startswith(("-", "−")) else "; printed without a minus sign"
                out.append(_row(year, gl, "group_lost", abs(c["value"]), lost, "auto",
                                f"stated '{printed}'; max {r['max_points']:g} − achieved {r['achieved']:g} = {lost:g}"
                                + sign, c["_decimals"]))
        gap = mine[mine["item"] == "gap_to_next"]
        others = st[(st["unit"] != unit) & (st["item"] == "total")]
        if len(gap) and len(total):
            if len(others):
                o = others.iloc[0]
                out.append(_row(year, unit, "group_gap", gap.iloc[0]["value"], round(total.iloc[0]["value"] - o["value"], 10),
                                "auto", f"{total.iloc[0]['value']:g} − {o['unit']} {o['value']:g}",
                                gap.iloc[0]["_decimals"]))
            else:
                out.append(_row(year, unit, "group_gap", gap.iloc[0]["value"], np.nan, "insufficient",
                                "no stated total of the next unit"))
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
            status = "mismatch" if counts.get("mismatch", 0) else "ok" if counts.get("ok", 0) else "insufficient"
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
    return out.reset_index(drop=True)


def summary(out: pd.DataFrame, *, width: int = 110) -> str:
    """A readable summary: counts per status (and per check), then every mismatch."""
    if out.empty:
        return "Reconciliation: nothing to check (no published figure can be compared with another)."
    counts = out["status"].value_counts()
    lines = ["Reconciliation: " + ", ".join(f"{counts.get(s, 0)} {s}" for s in STATUSES)
             + f" ({len(out)} checks)", ""]
    by = out.assign(check=out["check"].str.replace(r":.*", ":*", regex=True)).pivot_table(
        index="check", columns="status", values="unit", aggfunc="count", fill_value=0)
    by = by.reindex(columns=list(STATUSES), fill_value=0)
    lines.append(f"{'check':<28}" + "".join(f"{s:>14}" for s in STATUSES))
    for check, r in by.iterrows():
        lines.append(f"{check:<28}" + "".join(f"{int(r[s]):>14}" for s in STATUSES))
    mism = out[out["status"] == "mismatch"]
    lines += ["", f"Mismatches ({len(mism)}):" if len(mism) else "No mismatches."]
    for r in mism.to_dict("records"):
        year = "" if pd.isna(r["year"]) else f"{r['year']} "
        nums = ""
        if not pd.isna(r["published"]) or not pd.isna(r["computed"]):
            nums = f" published {_fmt(r['published'])}, computed {_fmt(r['computed'])}"
        text = f"- {year}{r['unit']} [{r['check']}]{nums}: {r['detail']}"
        lines.append(text if len(text) <= width * 3 else text[: width * 3 - 1] + "…")
    return "\n".join(lines)


def write(out: pd.DataFrame, target: str | Path) -> Path:
    from ..io import write_csv

    return write_csv(out, target)


def has_mismatch(out: pd.DataFrame) -> bool:
    return bool((out["status"] == "mismatch").any())


__all__ = ["COLUMNS", "DTIError", "reconcile", "summary", "tolerance", "write", "has_mismatch"]
