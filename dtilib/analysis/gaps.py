"""Where were the points lost?  Gap analysis of one unit's scored sub-indicator data.

Input: a :class:`~dtilib.scoring.ScoreResult` (``dtilib.score(framework, unit_data)``).  Output
(:class:`Gaps`): per main indicator (group) the max, achieved and lost points, the counts of
sub-indicators at max / at zero / partial (the table of the seeds' plans, e.g. seed 000), and per
sub-indicator the points lost — largest first — with the *kind* of each lost point:

* ``step``  — binary, tiered, count steps: a discrete action (issue a policy, deploy a platform) —
  usually the cheapest points;
* ``ratio`` — linear, capped, all-or-nothing: a share to raise — a slope;
* ``peer``  — min–max: the points depend on the other units' results;
* ``parts`` — additive: several parts, each with its own rule.

A sub-indicator whose inputs or rule are missing is counted as ``unknown`` (its points are not
known: they are neither lost nor achieved): a group's ``not_scored`` points are its maximum less the
points it was scored on, so that max = achieved + lost + not scored.  Points lost on a sub-indicator
whose rule is unknown (a score sheet on a framework without rules) are of kind ``unknown``.  A framework
whose groups' maxima are unknown has ``total["max_points"]`` NaN (never 0).  Reference-only groups (e.g. smart city) are listed last
with ``scored = False`` and are not counted in the totals.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError, suggest
from ..i18n import localized

EPS = 1e-6
KINDS = ("step", "ratio", "peer", "parts")
#: the kinds of :data:`KINDS` and ``unknown`` (lost on a sub-indicator whose rule is not known)
LOSS_KINDS = (*KINDS, "unknown")


@dataclass
class Gaps:
    """Gap tables of one unit: ``groups``, ``subs``, ``by_kind`` and ``total``."""

    unit: str
    framework: str
    groups: pd.DataFrame
    subs: pd.DataFrame
    by_kind: pd.DataFrame
    total: dict
    illustrative: bool = False
    notes: list[str] = field(default_factory=list)

    def _repr_html_(self) -> str:
        from ..reporting.rich import html

        return html(self)

    def __repr__(self) -> str:
        from ..reporting.rich import text

        return text(self)


def _pick_unit(result, unit, year):
    sub = result.sub
    if year is not None:
        if "year" not in sub.columns:
            raise ParameterError(f"year {year} given, but the result has no years", column="year",
                                 expected="no year for a single-year result")
        if not (sub["year"] == year).any():
            raise ParameterError(f"year {year} is not in the result", column="year",
                                 expected="one of " + ", ".join(map(str, sorted(sub["year"].unique()))))
        sub = sub[sub["year"] == year]
    elif "year" in sub.columns and sub["year"].nunique() > 1:
        raise ParameterError("the result holds several years", column="year",
                             expected="year= one of " + ", ".join(map(str, sorted(sub["year"].unique()))))
    units = list(dict.fromkeys(sub["unit"]))
    if unit is None:
        if len(units) != 1:
            raise ParameterError(f"the result holds {len(units)} units", column="unit",
                                 expected="unit= one of " + ", ".join(units[:10]) + ("…" if len(units) > 10 else ""))
        unit = units[0]
    if unit not in units:
        raise ParameterError(f"unit '{unit}' is not in the result{suggest(str(unit), units)}", column="unit",
                             expected="one of " + ", ".join(units[:10]) + ("…" if len(units) > 10 else ""))
    return unit, sub[sub["unit"] == unit]


def gaps(result, unit: str | None = None, *, year: int | None = None, lang: str = "vi") -> Gaps:
    """The gap tables of *unit* (optional when the result holds one unit) — see the module doc."""
    from ..i18n import check_lang, fmt_number, t
    from ..scoring import scored_on_text

    check_lang(lang)
    if not hasattr(result, "sub") or not hasattr(result, "framework"):
        raise ParameterError(f"expected a ScoreResult, got {type(result).__name__}",
                             expected="the result of dtilib.score(framework, unit_data)")
    fw = result.framework
    unit, s = _pick_unit(result, unit, year)
    s = _annotated(s, fw, lang)
    subs = s[s["scored"]].sort_values(["lost", "_order"], ascending=[False, True], kind="stable", na_position="last")
    subs = subs[["indicator", "main", "name", "rule", "kind", "kind_label", "max_points", "points", "lost", "ratio",
                 "state", "status", "responsible"]].reset_index(drop=True)
    groups = _group_table(fw, s, _of_unit(result.main, unit, year).set_index("indicator"), lang)
    total = _total(groups, _of_unit(result.total, unit, year))
    ok_subs = subs[subs["status"] == "ok"]
    kind_of = ok_subs["kind"].where(ok_subs["kind"].isin(KINDS), "unknown")
    by_kind = pd.DataFrame([{"kind": k, "kind_label": t(f"analysis.kind.{k}", lang),
                             "n_losing": int((ok_subs.loc[kind_of == k, "lost"] > EPS).sum()),
                             "lost": float(ok_subs.loc[kind_of == k, "lost"].sum())} for k in LOSS_KINDS])
    by_kind = by_kind[(by_kind["kind"] != "unknown") | (by_kind["lost"] > EPS)].reset_index(drop=True)
    by_kind["share_of_lost"] = by_kind["lost"] / by_kind["lost"].sum() if by_kind["lost"].sum() else np.nan
    notes = [scored_on_text(total["scored_on"], total["max_points"], lang)]
    if total["scored_on"] < total["max_points"] - EPS:
        notes.append(t("score.not_counted", lang, z=fmt_number(total["max_points"] - total["scored_on"], lang, 2)))
    notes += result.notes(lang, per_unit=False)
    illustrative = "illustrative" in str(fw.id).lower()
    if illustrative:
        notes.append("illustrative framework/data (minh hoạ): not a real unit's sub-indicator results")
    return Gaps(unit=unit, framework=fw.id, groups=groups, subs=subs, by_kind=by_kind, total=total,
                illustrative=illustrative, notes=notes)


def _of_unit(table: pd.DataFrame, unit: str, year: int | None) -> pd.DataFrame:
    """The rows of *unit* (and *year*, when given and the table has years)."""
    out = table[table["unit"] == unit]
    return out[out["year"] == year] if year is not None and "year" in out.columns else out


def _annotated(s: pd.DataFrame, fw, lang: str) -> pd.DataFrame:
    """A unit's scored sub-indicators with their name, responsible agency, points lost, state (full /
    zero / partial / unknown), kind label, whether their group is scored and the group's order."""
    from ..i18n import t

    s = s.copy()
    info = fw.sub.set_index("id")
    s["name"] = s["indicator"].map(lambda i: localized(info.loc[i], "name", lang) if i in info.index else None)
    s["responsible"] = s["indicator"].map(info["responsible"]) if "responsible" in info.columns else None
    ok = s["status"] == "ok"
    s["points"] = s["points"].astype(float)
    s["max_points"] = s["max_points"].astype(float)
    s["lost"] = np.where(ok, s["max_points"] - s["points"], np.nan)
    s["state"] = np.select(
        [~ok, s["points"] >= s["max_points"] - EPS, s["points"] <= EPS],
        ["unknown", "full", "zero"], "partial")
    s["kind_label"] = [t(f"analysis.kind.{k}" if k in KINDS else "analysis.kind.unknown", lang) for k in s["kind"]]
    s["scored"] = s["main"].map(fw.main.set_index("id")["scored"]).astype(bool)
    s["_order"] = s["main"].map({m: i for i, m in enumerate(fw.main["id"])})
    return s


def _group_table(fw, s: pd.DataFrame, mres: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per main indicator (group): max, scored on, achieved, lost (and by kind), counts; scored
    groups by points lost, then the reference-only ones."""
    rows = []
    for _, m in fw.main.iterrows():
        g = s[s["main"] == m["id"]]
        gok = g[g["status"] == "ok"]
        r = mres.loc[m["id"]]
        # points, scored_on and counts from the scorer's roll-up (which also holds a score sheet's group
        # points); lost = scored_on − achieved: points not scored are never counted as lost
        rec = {"indicator": m["id"], "name": localized(m, "name", lang),
               "scored": bool(m["scored"]), "max_points": float(m["max_points"]) if pd.notna(m["max_points"]) else np.nan,
               "achieved": float(r["points"]), "scored_on": float(r["scored_on"]),
               "n": len(g), "n_full": r["n_full"], "n_zero": r["n_zero"], "n_partial": r["n_partial"],
               "n_unknown": int(r["n_unknown"]), "complete": bool(r["complete"])}
        for k in KINDS:
            rec[f"lost_{k}"] = float(gok.loc[gok["kind"] == k, "lost"].sum())
        rec["lost_unknown"] = float(gok.loc[~gok["kind"].isin(KINDS), "lost"].sum())
        rec["lost"] = float(r["lost"]) if rec["scored"] else np.nan
        if not rec["scored"]:
            rec["achieved"] = np.nan
            for k in ("n_full", "n_zero", "n_partial"):
                rec[k] = pd.NA
            for k in LOSS_KINDS:
                rec[f"lost_{k}"] = np.nan
        rows.append(rec)
    groups = pd.DataFrame(rows)
    groups["achieved_known"] = groups["achieved"]
    # points not scored: max − scored on (NaN when the group's max is unknown; never below 0)
    groups["not_scored"] = np.where(groups["scored"], (groups["max_points"] - groups["scored_on"]).clip(lower=0),
                                    np.nan)
    groups["value"] = np.where(groups["complete"], groups["achieved"] / groups["max_points"], np.nan)
    scored_lost = groups.loc[groups["scored"], "lost"]
    total_lost = scored_lost.sum()
    groups["share_of_lost"] = groups["lost"] / total_lost if total_lost else np.nan
    groups = pd.concat([groups[groups["scored"]].sort_values("lost", ascending=False, kind="stable"),
                        groups[~groups["scored"]]], ignore_index=True)
    for k in ("n_full", "n_zero", "n_partial"):
        groups[k] = groups[k].astype("Int64")
    return groups[["indicator", "name", "scored", "max_points", "scored_on", "achieved", "lost", "value",
                   "share_of_lost", "n", "n_full", "n_zero", "n_partial", "n_unknown", "complete",
                   *[f"lost_{k}" for k in LOSS_KINDS], "not_scored", "achieved_known"]]


def _total(groups: pd.DataFrame, tot: pd.DataFrame) -> dict:
    """The unit's totals over its scored groups, with its DTI value and rank from the scorer's totals *tot*."""
    sc = groups[groups["scored"]]
    known_max = bool(len(sc)) and bool(sc["max_points"].notna().all())
    return {"max_points": float(sc["max_points"].sum()) if known_max else np.nan,
            "not_scored": float(sc["not_scored"].sum()) if known_max else np.nan,
            "scored_on": float(sc["scored_on"].sum()),
            "achieved": float(np.nansum(sc["achieved"])), "lost": float(np.nansum(sc["lost"])),
            "complete": bool(sc["complete"].all()), "n": int(sc["n"].sum()),
            "n_full": _sum_or_na(sc["n_full"]), "n_zero": _sum_or_na(sc["n_zero"]),
            "n_partial": _sum_or_na(sc["n_partial"]), "n_unknown": int(sc["n_unknown"].sum()),
            "dti_value": float(tot["dti_value"].iloc[0]) if len(tot) else np.nan,
            "rank": (int(tot["rank"].iloc[0]) if len(tot) and pd.notna(tot["rank"].iloc[0]) else None),
            "rank_of": (int(tot["rank_of"].iloc[0]) if len(tot) else None)}


def _sum_or_na(col: pd.Series):
    """The sum of counts, or NA when any is unknown (a score sheet gave a group's points without them)."""
    return pd.NA if col.isna().any() else int(col.sum())


PUBLISHED_ALIASES = {"group": "indicator", "n_sub_indicators": "n", "n_at_max": "n_full", "n_at_zero": "n_zero"}


def compare_groups(g: Gaps, published: pd.DataFrame, *, tolerance: float = 0.005) -> pd.DataFrame:
    """Compare the group table of *g* with a published one (e.g. a plan's table, seed 000).

    *published* has ``indicator`` (or ``group``), ``max_points``, ``achieved`` and optionally ``n``,
    ``n_full``, ``n_zero``, ``n_partial`` (or the seed table's ``n_sub_indicators``, ``n_at_max``,
    ``n_at_zero``).  Returns one row per group with both figures and ``matches``; points agree within
    *tolerance* (published figures have 2 decimals).
    """
    pub = published.rename(columns={k: v for k, v in PUBLISHED_ALIASES.items() if k in published.columns})
    if "indicator" not in pub.columns or "achieved" not in pub.columns:
        raise ParameterError("published table needs 'indicator' (or 'group') and 'achieved' columns",
                             expected="columns indicator, max_points, achieved[, n, n_full, n_zero, n_partial]")
    cols = [c for c in ("max_points", "achieved", "n", "n_full", "n_zero", "n_partial") if c in pub.columns]
    mine = g.groups.set_index("indicator")
    rows = []
    for _, r in pub.iterrows():
        ind = r["indicator"]
        if ind not in mine.index:
            raise ParameterError(f"published group '{ind}' is not in framework {g.framework}"
                                 f"{suggest(str(ind), mine.index)}", column="indicator",
                                 expected="main-indicator ids of the framework")
        rec = {"indicator": ind}
        ok = True
        for c in cols:
            p = pd.to_numeric(pd.Series([r[c]]), errors="coerce").iloc[0]
            m = mine.at[ind, c]
            rec[f"{c}_published"], rec[f"{c}_computed"] = p, m
            if pd.isna(p):
                continue
            same = (not pd.isna(m)) and abs(float(m) - float(p)) <= (tolerance if c in ("max_points", "achieved") else 0)
            ok &= same
        rec["matches"] = ok
        rows.append(rec)
    return pd.DataFrame(rows)


@dataclass
class GroupCheck:
    """A unit's published group table of a year (seed 000's format) against its scored :class:`Gaps`
    (``comparison``, :func:`compare_groups`) and against the figures its report's text states
    (``checks``, :func:`dtilib.data.reconcile.check_group_table`: status codes and notes).  Nothing
    published for the unit and year: ``published`` is empty and the two tables are ``None``."""

    published: pd.DataFrame
    comparison: pd.DataFrame | None = None
    checks: pd.DataFrame | None = None

    def counts(self) -> dict:
        """``n_groups`` matching of ``n`` compared, ``n_bad`` mismatching checks of ``n_checks``."""
        if self.comparison is None:
            return {"n_groups": 0, "n": 0, "n_bad": 0, "n_checks": 0}
        return {"n_groups": int(self.comparison["matches"].sum()), "n": len(self.comparison),
                "n_bad": int((self.checks["status"] == "mismatch").sum()), "n_checks": len(self.checks)}


def check_published(g: Gaps, groups: pd.DataFrame, stated: pd.DataFrame, *, year: int) -> GroupCheck:
    """Reconcile the group table published for *g*'s unit in *year* (*groups*: e.g.
    :func:`dtilib.data.raw.read_seed_groups`) with *g* and with the figures stated in the text
    (*stated*: :func:`dtilib.data.raw.read_seed_stated`) — see :class:`GroupCheck`."""
    from ..data.reconcile import check_group_table

    published = groups[(groups["unit"] == g.unit) & (groups["year"] == year)]
    if not len(published):
        return GroupCheck(published)
    checks = pd.DataFrame(check_group_table(published, stated[stated["year"] == year]))
    return GroupCheck(published, compare_groups(g, published), checks)
