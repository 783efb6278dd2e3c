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
    # integer codes: units (first-appearance order) × (indicator, input) columns → dense 2-D arrays
    ucode, ufirst = _codes([data[k].to_numpy(dtype=object) for k in keys])
    units = data[keys].iloc[ufirst].reset_index(drop=True)
    n_units, n_sub = len(units), len(fw.sub)
    icode, inames = pd.factorize(data["indicator"].to_numpy(dtype=object))
    ncode, nnames = pd.factorize(data["input"].to_numpy(dtype=object))
    ccode, cfirst = _codes([icode, ncode])
    col = {(inames[icode[i]], nnames[ncode[i]]): j for j, i in enumerate(cfirst)}
    num = np.full((n_units, len(cfirst)), np.nan)
    num[ucode, ccode] = data["num"].to_numpy(dtype=float)
    lvl = np.full((n_units, len(cfirst)), None, dtype=object)
    lvl[ucode, ccode] = data["level"].to_numpy(dtype=object)
    sub_pos = {sid: i for i, sid in enumerate(fw.sub["id"])}
    first_row = np.full((n_units, max(n_sub, 1)), np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(first_row, (ucode, np.array([sub_pos[n] for n in inames], dtype=np.int64)[icode]),
                  data["_row"].to_numpy(dtype=np.int64))
    fname = str(data["_file"].iloc[0]) if len(data) else "<data>"
    groups = units["year"].to_numpy() if "year" in keys else np.zeros(n_units)
    unit_names = units["unit"].to_numpy()

    def column(kind, sub_id, name):
        j = col.get((sub_id, name))
        if kind == "level":
            return lvl[:, j] if j is not None else np.full(n_units, None, dtype=object)
        return num[:, j] if j is not None else np.full(n_units, np.nan)

    def fail(message, i, sub_id, expected):
        row = first_row[i, sub_pos[sub_id]]
        raise DataError(message, file=fname, row=None if row == np.iinfo(np.int64).max else int(row),
                        column="value", expected=expected)

    points_m = np.full((n_sub, n_units), np.nan)
    ratio_m = np.full((n_sub, n_units), np.nan)
    status_m = np.full((n_sub, n_units), "ok", dtype=object)
    peer_ratios = peer_ratios or {}
    for i, s in enumerate(fw.sub.itertuples(index=False)):
        mx = s.max_points
        if s.rule == "unknown" or mx is None or pd.isna(mx):
            status_m[i] = "unknown_rule" if s.rule == "unknown" else "unknown_max"
            continue
        if s.rule == "additive":
            points = np.zeros(n_units)
            missing = np.zeros(n_units, dtype=bool)
            for p in s.params["parts"]:
                pts, _, miss = _apply(fw, f"{s.id}.{p['id']}", s.id, p["rule"], p.get("params") or {},
                                      float(p["points"]), p.get("formula"), [p["id"]], True,
                                      column, groups, None, unit_names, fail)
                points = points + np.where(miss, 0.0, pts)
                missing |= miss
        else:
            points, ratio_m[i], missing = _apply(fw, s.id, s.id, s.rule, s.params, float(mx), s.formula,
                                                 list(s.input_names), s.share, column, groups,
                                                 peer_ratios.get(s.id), unit_names, fail)
        status_m[i, missing] = "missing"
        points_m[i] = np.where(missing, np.nan, points)

    # text columns as categoricals built from integer codes: no per-row Python strings
    sub_codes = np.repeat(np.arange(n_sub), n_units)
    unit_codes = np.tile(np.arange(n_units), n_sub)
    sub = pd.DataFrame({k: _categorical(units[k].to_numpy(), unit_codes) for k in keys})
    for k, col in {"indicator": "id", "main": "main", "rule": "rule", "kind": "kind"}.items():
        sub[k] = _categorical(fw.sub[col].to_numpy(), sub_codes)
    sub["max_points"] = fw.sub["max_points"].to_numpy(dtype=float)[sub_codes]
    sub["ratio"] = ratio_m.ravel()
    sub["points"] = points_m.ravel()
    sub["status"] = status_m.ravel()
    rows = first_row[:, :n_sub].T.ravel()
    has_row = rows != np.iinfo(np.int64).max
    src = np.full(len(sub), "", dtype=object)
    src[has_row] = fname + ":" + pd.Series(rows[has_row]).astype(str).to_numpy(dtype=object)
    sub["source"] = src
    sub = sub[keys + ["indicator", "main", "rule", "kind", "ratio", "points", "max_points", "status", "source"]]
    main, total = _roll_up(fw, points_m, status_m, units, keys)
    prov = {"framework": fw.id, "framework_version": fw.version, "framework_file": fw.path,
            "inputs": fname, "n_units": n_units, "scored_at": datetime.now(UTC).isoformat(timespec="seconds")}
    return ScoreResult(fw, sub, main, total, prov)


def _codes(arrays: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Joint integer codes of parallel key arrays, numbered by first appearance; and each code's first row."""
    code = np.zeros(len(arrays[0]), dtype=np.int64)
    for a in arrays:
        c, uniq = pd.factorize(a)
        code = code * max(len(uniq), 1) + c
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")      # renumber by first appearance
    rank_of = np.empty_like(order)
    rank_of[order] = np.arange(len(order))
    return rank_of[inverse], first[order]


def _categorical(values: np.ndarray, codes: np.ndarray) -> pd.Categorical:
    """``values[codes]`` as a categorical (categories: the distinct values, in first-appearance order)."""
    inverse, uniq = pd.factorize(values)
    return pd.Categorical.from_codes(inverse[codes], categories=pd.Index(uniq))


def _is_parsed(inputs) -> bool:
    return isinstance(inputs, pd.DataFrame) and {"num", "level", "_row", "_file"} <= set(inputs.columns)


def _apply(fw, fkey, sub_id, rule, params, mx, formula, names, share, column, groups, peers, unit_names, fail):
    """Points, ratio and missing-mask of one rule application, vectorised over units."""
    n = len(unit_names)
    kind = RULES[rule].input
    if kind == "level":
        raw = column("level", sub_id, names[0])
        missing = pd.isna(raw)
        pts = np.zeros(n)
        if (~missing).any():
            pts[~missing] = RULES[rule].points(raw[~missing], mx, params)
        return pts, np.full(n, np.nan), missing
    if formula:
        f = fw.formulas[fkey]
        values = {name: column("num", sub_id, name) for name in f.names}
        missing = np.zeros(n, dtype=bool)
        for v in values.values():
            missing |= np.isnan(v)
        safe = {name: np.where(missing, 1.0, v) for name, v in values.items()}
        try:
            x = f.evaluate(safe)
        except ZeroDenominator as exc:
            bad = np.flatnonzero(exc.mask & ~missing)
            if bad.size:
                fail(f"denominator {exc.expression} is 0 for unit '{unit_names[bad[0]]}' in sub-indicator "
                     f"'{sub_id}' (formula {f.text})", bad[0], sub_id,
                     "denominators above 0 (a share of nothing cannot be scored)")
            x = f.evaluate({name: np.where(exc.mask, 1.0, v) for name, v in safe.items()})
            missing = missing | exc.mask
        x = np.where(missing, np.nan, x)
    else:
        x = column("num", sub_id, names[0]) if names else np.full(n, np.nan)
        missing = np.isnan(x)
    if kind == "ratio" and share:
        over = np.flatnonzero(~missing & (x > 1 + EPS))
        if over.size:
            i = over[0]
            fail(f"share {x[i]:.4g} is above 1 for unit '{unit_names[i]}' in sub-indicator '{sub_id}'"
                 + (f" (formula {formula}: the numerator exceeds the denominator)" if formula else ""),
                 i, sub_id, "a share between 0 and 1")
    pts = np.full(n, np.nan)
    ok = ~missing
    if rule == "min_max":
        for g in np.unique(groups):
            m = ok & (groups == g)
            if m.any():
                pts[m] = RULES[rule].points(x[m], mx, params, peers=peers)
    elif ok.any():
        pts[ok] = RULES[rule].points(x[ok], mx, params)
    return pts, (x if kind == "ratio" else np.full(n, np.nan)), missing


def _roll_up(fw: Framework, points_m: np.ndarray, status_m: np.ndarray, units: pd.DataFrame, keys: list[str]):
    """Main-indicator and unit totals from the (sub-indicator × unit) points matrix, as matrix products."""
    n_units = len(units)
    ok = status_m == "ok"
    mx_sub = fw.sub["max_points"].to_numpy(dtype=float)[:, None]
    worth = ok & (mx_sub > 0)                      # reference-only items (max 0) are neither full nor zero
    full = worth & (points_m >= mx_sub - 1e-6)
    zero = worth & (points_m <= 1e-9)
    partial = worth & ~full & ~zero
    mains = fw.main
    member = (fw.sub["main"].to_numpy()[None, :] == mains["id"].to_numpy()[:, None]).astype(float)  # main × sub
    n = member.sum(axis=1)                                                                            # per main
    pts = member @ np.nan_to_num(points_m)                                                            # main × unit
    n_unknown = member @ (~ok).astype(float)
    mmax = mains["max_points"].to_numpy(dtype=float)
    slots = pd.to_numeric(mains["n_sub_indicators"], errors="coerce").to_numpy(dtype=float)
    scored = mains["scored"].to_numpy(dtype=bool)
    structure_ok = (n > 0) & (np.isnan(slots) | (n == slots)) & ~np.isnan(mmax)
    complete = (n_unknown == 0) & structure_ok[:, None]
    complete[~scored] = True
    pts[n == 0] = np.nan
    n_main = len(mains)
    main = pd.DataFrame({k: np.tile(units[k].to_numpy(), n_main) for k in keys})
    main["indicator"] = np.repeat(mains["id"].to_numpy(), n_units)
    main["points"] = pts.ravel()
    main["n"] = np.repeat(n.astype(int), n_units)
    main["n_full"] = (member @ full).astype(int).ravel()
    main["n_zero"] = (member @ zero).astype(int).ravel()
    main["n_partial"] = (member @ partial).astype(int).ravel()
    main["n_unknown"] = n_unknown.astype(int).ravel()
    main["max_points"] = np.repeat(mmax, n_units)
    main["n_slots"] = np.repeat(slots, n_units)
    main["scored"] = np.repeat(scored, n_units)
    main["complete"] = complete.ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(complete & scored[:, None], pts / mmax[:, None], np.nan)
    main["value"] = value.ravel()
    main["lost"] = np.where(complete, mmax[:, None] - pts, np.nan).ravel()
    total = units.copy()
    total["points"] = np.nansum(pts[scored], axis=0) if scored.any() else np.nan
    total["complete"] = complete[scored].all(axis=0) if scored.any() else False
    total["max_points"] = fw.total_points
    total["dti_value"] = np.where(total["complete"] & bool(fw.total_points),
                                  total["points"] / (fw.total_points or np.nan), np.nan)
    total["rank"] = _rank_in_groups(total, keys)
    total["rank_of"] = (total.groupby(keys[:-1])["dti_value"].transform("count") if len(keys) > 1
                        else total["dti_value"].notna().sum())
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
            f"framework {fw.id} does not state the points of every main indicator, so a DTI value cannot "
            f"be computed from main-indicator values (see `dti frameworks {fw.id}`)",
            expected="a framework with known max_points for every scored main indicator")
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
    from .inputs import parse_number

    vals = [np.nan if str(v).strip() in {"", "nan", "None", "<NA>"} else
            parse_number(str(v), file, int(row[i]), "value", "ratio") for i, v in zip(df.index, df["value"], strict=True)]
    vals = pd.Series(vals, index=df.index, dtype=float)
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
