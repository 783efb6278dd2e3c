"""Scoring: sub-indicator inputs → points → main indicators → total, value and rank.

* :func:`score` scores a unit's (or many units') sub-indicator inputs with a framework's rules,
  vectorised over units (one pass per sub-indicator, not per unit).
* :func:`aggregate` turns published main-indicator values (0..1) into the DTI value, rank and the
  framework's summaries (e.g. the 922 pillar summaries).
* :func:`rank` ranks on unrounded values, competition style ("1, 2, 2, 4"); rounding is for display.

>>> import pandas as pd
>>> mv = pd.DataFrame({"unit": ["A"] * 3, "indicator": ["chinh_quyen_so_pillar", "kinh_te_so_pillar",
...                    "xa_hoi_so_pillar"], "value": [0.4449, 0.3668, 0.4052]})
>>> round(float(aggregate("vn-province-2020", mv)["dti_value"].iloc[0]), 4)
0.4096
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from .errors import DataError, FrameworkError
from .formula import ZeroDenominator
from .frameworks import Framework, load_framework
from .rules import RULES

EPS = 1e-9


def rank(values: pd.Series) -> pd.Series:
    """Competition ranks, highest value first, on unrounded values; NaN stays NaN (nullable Int64)."""
    return values.rank(method="min", ascending=False).astype("Int64")


@dataclass
class ScoreResult:
    """Points of every (unit, sub-indicator), main-indicator totals, unit totals, and provenance."""

    framework: Framework
    sub: pd.DataFrame
    main: pd.DataFrame
    total: pd.DataFrame
    provenance: dict = field(default_factory=dict)

    def unit(self, name: str) -> ScoreResult:
        """The same result restricted to one unit (ranks stay those among all scored units)."""
        pick = {k: getattr(self, k)[getattr(self, k)["unit"] == name] for k in ("sub", "main", "total")}
        if pick["total"].empty:
            from .errors import ParameterError, suggest

            raise ParameterError(f"unit '{name}' is not in this result{suggest(name, self.total['unit'])}")
        return ScoreResult(self.framework, pick["sub"], pick["main"], pick["total"], dict(self.provenance))

    def __repr__(self) -> str:
        return (f"<ScoreResult {self.framework.id}: {len(self.total)} unit(s), "
                f"{len(self.sub)} sub-indicator scores>")


def score(framework, inputs, *, peer_ratios: dict | None = None, file: str | None = None) -> ScoreResult:
    """Score sub-indicator *inputs* (path or DataFrame, long format) with *framework*.

    All units in *inputs* are scored together: min–max sub-indicators compare each unit with the
    others of the same year (and with ``peer_ratios[sub_id]``, ratios of units not in the data).
    Missing inputs give missing points (status ``missing``), never zeros.
    """
    from .inputs import read_unit_data

    fw = load_framework(framework)
    data = inputs if _is_parsed(inputs) else read_unit_data(inputs, fw, file=file)
    keys = (["year"] if "year" in data.columns else []) + ["unit"]
    units = data[keys].drop_duplicates().reset_index(drop=True)
    idx = pd.MultiIndex.from_frame(units) if len(keys) > 1 else pd.Index(units["unit"], name="unit")
    cols = ["indicator", "input"]
    num = data.set_index(keys + cols)["num"].unstack(cols).reindex(idx)
    lvl = data.set_index(keys + cols)["level"].unstack(cols).reindex(idx)
    where = data.groupby(keys + ["indicator"], sort=False)["_row"].min()
    fname = str(data["_file"].iloc[0]) if len(data) else "<data>"
    groups = units["year"].to_numpy() if "year" in keys else np.zeros(len(units))

    def column(frame, sub_id, name):
        if (sub_id, name) in frame.columns:
            return frame[(sub_id, name)].to_numpy()
        return np.full(len(units), np.nan if frame is num else None, dtype=float if frame is num else object)

    blocks = []
    peer_ratios = peer_ratios or {}
    for s in fw.sub.itertuples(index=False):
        ratio = np.full(len(units), np.nan)
        status = np.full(len(units), "ok", dtype=object)
        mx = s.max_points
        if s.rule == "unknown" or mx is None or pd.isna(mx):
            points = np.full(len(units), np.nan)
            status[:] = "unknown_rule" if s.rule == "unknown" else "unknown_max"
        elif s.rule == "additive":
            points = np.zeros(len(units))
            for p in s.params["parts"]:
                pts, _, missing = _apply(fw, f"{s.id}.{p['id']}", s.id, p["rule"], p.get("params") or {},
                                         float(p["points"]), p.get("formula"), [p["id"]], True,
                                         num, lvl, column, groups, None, where, units, keys, fname)
                points = points + pts
                status[missing] = "missing"
        else:
            points, ratio, missing = _apply(fw, s.id, s.id, s.rule, s.params, float(mx), s.formula,
                                            list(s.input_names), s.share, num, lvl, column, groups,
                                            peer_ratios.get(s.id), where, units, keys, fname)
            status[missing] = "missing"
        points = np.where(status == "ok", points, np.nan)
        block = units.copy()
        block["indicator"] = s.id
        block["main"] = s.main
        block["rule"] = s.rule
        block["kind"] = s.kind
        block["ratio"] = ratio
        block["points"] = points
        block["max_points"] = mx
        block["status"] = status
        blocks.append(block)
    if blocks:
        sub = pd.concat(blocks, ignore_index=True)
    else:
        sub = pd.DataFrame(columns=keys + ["indicator", "main", "rule", "kind", "ratio", "points",
                                           "max_points", "status"])
    rows = sub.set_index(keys + ["indicator"]).index
    sub["source"] = [f"{fname}:{int(where[r])}" if r in where.index else "" for r in rows]
    main, total = _roll_up(fw, sub, units, keys)
    prov = {"framework": fw.id, "framework_version": fw.version, "framework_file": fw.path,
            "inputs": fname, "n_units": len(units), "scored_at": datetime.now(UTC).isoformat(timespec="seconds")}
    return ScoreResult(fw, sub, main, total, prov)


def _is_parsed(inputs) -> bool:
    return isinstance(inputs, pd.DataFrame) and {"num", "level", "_row", "_file"} <= set(inputs.columns)


def _apply(fw, fkey, sub_id, rule, params, mx, formula, names, share, num, lvl, column, groups, peers,
           where, units, keys, fname):
    """Points, ratio and missing-mask of one rule application, vectorised over units."""
    kind = RULES[rule].input
    if kind == "level":
        raw = column(lvl, sub_id, names[0])
        missing = pd.isna(raw)
        pts = np.zeros(len(raw))
        if (~missing).any():
            pts[~missing] = RULES[rule].points(raw[~missing], mx, params)
        return pts, np.full(len(raw), np.nan), missing
    if formula:
        f = fw.formulas[fkey]
        values = {n: column(num, sub_id, n) for n in f.names}
        missing = np.zeros(len(units), dtype=bool)
        for v in values.values():
            missing |= np.isnan(v)
        safe = {n: np.where(missing, 1.0, v) for n, v in values.items()}
        try:
            x = f.evaluate(safe)
        except ZeroDenominator as exc:
            bad = np.flatnonzero(exc.mask & ~missing)
            if bad.size == 0:  # only missing units had a zero: evaluate with 1 there
                x = f.evaluate({n: np.where(exc.mask, 1.0, v) for n, v in safe.items()})
                missing = missing | exc.mask
            else:
                _fail(f"denominator {exc.expression} is 0 for unit '{units['unit'].iloc[bad[0]]}' "
                      f"in sub-indicator '{sub_id}' (formula {f.text})", bad[0], sub_id, units, keys, where,
                      fname, "denominators above 0 (a share of nothing cannot be scored)")
        x = np.where(missing, np.nan, x)
    else:
        x = column(num, sub_id, names[0]) if names else np.full(len(units), np.nan)
        missing = np.isnan(x)
    if kind == "ratio" and share:
        over = np.flatnonzero(~missing & (x > 1 + EPS))
        if over.size:
            i = over[0]
            _fail(f"share {x[i]:.4g} is above 1 for unit '{units['unit'].iloc[i]}' in sub-indicator '{sub_id}'"
                  + (f" (formula {formula}: the numerator exceeds the denominator)" if formula else ""),
                  i, sub_id, units, keys, where, fname, "a share between 0 and 1")
    pts = np.full(len(units), np.nan)
    ok = ~missing
    if rule == "min_max":
        for g in np.unique(groups):
            m = ok & (groups == g)
            if m.any():
                pts[m] = RULES[rule].points(x[m], mx, params, peers=peers)
    elif ok.any():
        pts[ok] = RULES[rule].points(x[ok], mx, params)
    return pts, (x if kind == "ratio" else np.full(len(units), np.nan)), missing


def _fail(message, i, sub_id, units, keys, where, fname, expected):
    key = tuple(units.iloc[i][keys]) + (sub_id,)
    row = where.get(key if len(key) > 1 else key[0])
    raise DataError(message, file=fname, row=None if row is None else int(row), column="value", expected=expected)


def _roll_up(fw: Framework, sub: pd.DataFrame, units: pd.DataFrame, keys: list[str]):
    mmax = fw.main_max()
    s = sub.copy()
    s["full"] = (s["status"] == "ok") & (s["points"] >= s["max_points"] - 1e-6)
    s["zero"] = (s["status"] == "ok") & (s["points"] <= 1e-9)
    s["partial"] = (s["status"] == "ok") & ~s["full"] & ~s["zero"]
    s["unknown"] = s["status"] != "ok"
    g = s.groupby(keys + ["main"], sort=False)
    main = g.agg(points=("points", "sum"), n=("indicator", "size"), n_full=("full", "sum"),
                 n_zero=("zero", "sum"), n_partial=("partial", "sum"), n_unknown=("unknown", "sum")).reset_index()
    main = main.rename(columns={"main": "indicator"})
    # main indicators with no sub-indicator rows (structure-only frameworks) still appear
    full = units.merge(pd.DataFrame({"indicator": fw.main["id"]}), how="cross")
    main = full.merge(main, on=keys + ["indicator"], how="left")
    main["n"] = main["n"].fillna(0).astype(int)
    for c in ["n_full", "n_zero", "n_partial", "n_unknown"]:
        main[c] = main[c].fillna(0).astype(int)
    main["max_points"] = main["indicator"].map(mmax)
    main["n_slots"] = main["indicator"].map(fw.main.set_index("id")["n_sub_indicators"])
    main["scored"] = main["indicator"].map(fw.main.set_index("id")["scored"]).astype(bool)
    main["complete"] = (main["n_unknown"] == 0) & (main["n"] > 0) & (
        main["n_slots"].isna() | (main["n"] == main["n_slots"].fillna(-1))) & main["max_points"].notna()
    main.loc[~main["scored"], "complete"] = True
    main.loc[main["n"] == 0, "points"] = np.nan
    main["value"] = np.where(main["complete"] & main["scored"], main["points"] / main["max_points"], np.nan)
    main["lost"] = np.where(main["complete"], main["max_points"] - main["points"], np.nan)
    sc = main[main["scored"]]
    tg = sc.groupby(keys, sort=False)
    total = tg.agg(points=("points", "sum"), complete=("complete", "all")).reset_index()
    total["max_points"] = fw.total_points
    total["dti_value"] = np.where(total["complete"] & bool(fw.total_points),
                                  total["points"] / (fw.total_points or np.nan), np.nan)
    total["rank"] = _rank_in_groups(total, keys)
    total["rank_of"] = total.groupby(keys[:-1] or (lambda _: 0))["dti_value"].transform("count") \
        if len(keys) > 1 else total["dti_value"].notna().sum()
    return main, total


def _rank_in_groups(df: pd.DataFrame, keys: list[str]) -> pd.Series:
    if len(keys) > 1:
        return df.groupby(keys[:-1], group_keys=False)["dti_value"].apply(rank).reindex(df.index)
    return rank(df["dti_value"])


def aggregate(framework, main_values: pd.DataFrame, *, file: str = "<main values>") -> pd.DataFrame:
    """DTI value, rank and summaries from published main-indicator values (0..1).

    *main_values* is long: ``unit, indicator, value`` (and optionally ``year``).  Rows for the
    framework's summary ids are ignored here (they are outputs; see ``dti reconcile``).  A unit's
    DTI is computed only when all its scored main values are known; otherwise it stays NaN.
    The result has one row per (year,) unit: the main values, ``n_known``, ``dti_value``, ``rank``,
    ``rank_of`` and each summary; ``framework`` names the framework.
    """
    fw = load_framework(framework)
    if not fw.weights_known:
        raise FrameworkError(
            f"framework {fw.id} does not state the points of every main indicator "
            f"({fw.completeness}); a DTI value cannot be computed from main-indicator values",
            file=fw.path, column="max_points", expected="known max_points for every scored main indicator")
    df = main_values.copy()
    missing = [c for c in ["unit", "indicator", "value"] if c not in df.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", file=file, row=1,
                        expected="columns unit, indicator, value (and optionally year)")
    row = df["_row"] if "_row" in df.columns else pd.Series(np.arange(len(df)) + 2, index=df.index)
    summary_ids = {s["id"] for s in fw.summaries}
    main_ids = set(fw.main["id"])
    bad = ~df["indicator"].isin(main_ids | summary_ids)
    if bad.any():
        i = df.index[bad][0]
        from .errors import suggest

        raise DataError(f"unknown indicator '{df.at[i, 'indicator']}' for framework {fw.id}"
                        f"{suggest(str(df.at[i, 'indicator']), main_ids | summary_ids)}", file=file,
                        row=int(row[i]), column="indicator", expected="one of " + ", ".join(sorted(main_ids)))
    df = df[df["indicator"].isin(main_ids)]
    vals = pd.to_numeric(df["value"], errors="coerce")
    nonnum = vals.isna() & df["value"].notna() & (df["value"].astype(str).str.strip() != "")
    out_of_range = (vals < 0) | (vals > 1)
    if (nonnum | out_of_range).any():
        i = df.index[nonnum | out_of_range][0]
        raise DataError(f"value {df.at[i, 'value']!r} is not a main-indicator value", file=file,
                        row=int(row[i]), column="value", expected="a number between 0 and 1 (points / max)")
    df = df.assign(value=vals).dropna(subset=["value"])
    keys = (["year"] if "year" in df.columns else []) + ["unit"]
    dup = df.duplicated(keys + ["indicator"], keep=False)
    if dup.any():
        i = df.index[dup][1]
        raise DataError(f"duplicate value for unit '{df.at[i, 'unit']}', indicator '{df.at[i, 'indicator']}'",
                        file=file, row=int(row[i]), column="indicator", expected="one value per unit and indicator")
    wide = df.pivot(index=keys, columns="indicator", values="value")
    for m in fw.main["id"]:
        if m not in wide.columns:
            wide[m] = np.nan
    mains = list(fw.main["id"])
    wide = wide[mains]
    mx = fw.main_max()
    scored = list(fw.scored_main["id"])
    w = mx[scored] / fw.total_points
    wide["n_known"] = wide[scored].notna().sum(axis=1)
    wide["dti_value"] = (wide[scored] * w).sum(axis=1, min_count=len(scored))
    wide.loc[wide["n_known"] < len(scored), "dti_value"] = np.nan
    for sm in fw.summaries:
        comps = sm["components"]
        wide[sm["id"]] = (wide[comps] * mx[comps]).sum(axis=1, min_count=len(comps)) / mx[comps].sum()
        wide.loc[wide[comps].isna().any(axis=1), sm["id"]] = np.nan
    out = wide.reset_index()
    out["rank"] = _rank_in_groups(out, keys)
    out["rank_of"] = (out.groupby("year")["dti_value"].transform("count") if "year" in keys
                      else out["dti_value"].notna().sum())
    out["framework"] = fw.id
    out.columns.name = None
    out.attrs["provenance"] = {"framework": fw.id, "framework_version": fw.version, "source": file,
                               "note": "rank is among the units in the input only"}
    return out
