"""Effort tables: what an action costs (money, person-days) and how likely it is to be completed.

An effort table (CSV or Excel, one row per sub-indicator or per rule type) has the columns

``indicator, rule, per, fixed_cost_{low,likely,high}, unit_cost_{low,likely,high},
fixed_days_{low,likely,high}, unit_days_{low,likely,high}, p_complete, status, source, note``

* ``indicator`` — a sub-indicator id (or ``id.part`` for one part of an additive sub-indicator);
  empty → the row applies to every action of its ``rule``.
* ``rule`` — a rule type's effort key (:func:`rule_keys`: every rule type registered in
  :mod:`dtilib.rules` that scores an input — ``binary``, ``tiered``, ``count_steps``, ``linear``,
  ``linear_capped``, ``all_or_nothing``, ``min_max``), ``points`` (see below) or ``money`` (a ratio action whose moving input is an amount of
  money in million VND: its cost is the amount itself).
* ``per`` — the unit of change the ``unit_*`` columns are priced in: ``input`` (one unit of the input
  that moves: the binary step, one tier step, one more count, one person/service/million VND of a
  formula input) or ``pp`` (one percentage point of the ratio; ratio rules only).  Empty → ``input``.
* cost of an action = ``fixed_cost + unit_cost × change`` (low / likely / high), person-days alike.
* ``p_complete`` — probability that a started action is completed (used by the Monte Carlo).

Missing numeric columns count as 0; a missing ``_low``/``_high`` equals ``_likely``.  The shipped
defaults ``data/assumptions/effort_defaults.csv`` are **assumptions** (column ``status`` =
``assumption``, sidecar ``.meta.yaml``); an analyst's table overrides them row by row (indicator rows
first, then rule rows), and every output that used a default says "assumed effort".

Points per effort = Δpoints / cost; the range is Δpoints / cost_high … Δpoints / cost_low.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import rules
from ..errors import DataError, ParameterError, suggest
from ..inputs import parse_number
from ..io import display_path, file_rows, read_table
from ..rules import RULES

DEFAULTS = Path(os.environ.get("DTILIB_EFFORT_DEFAULTS",
                               Path(__file__).resolve().parents[2] / "data" / "assumptions" / "effort_defaults.csv"))
QUANTITIES = ["fixed_cost", "unit_cost", "fixed_days", "unit_days"]
LEVELS = ["low", "likely", "high"]
NUMERIC = [f"{q}_{lv}" for q in QUANTITIES for lv in LEVELS]
EXTRA_KEYS = {"money", "points"}     # effort keys that are not rule types (see the module docstring)
MONEY_RE = [(re.compile(r"tri[eệ]u\s*đ[oồ]ng|million\s*vnd|\btrđ\b", re.I), 1.0),
            (re.compile(r"t[yỷ]\s*đ[oồ]ng|billion\s*vnd", re.I), 1000.0)]
ASSUMED_VI = "công sức giả định"
ASSUMED_EN = "assumed effort"


def rule_keys() -> list[str]:
    """The ``rule`` values an effort table may hold: every registered rule type's effort key, ``money``
    and ``points``."""
    return sorted(set(rules.effort_keys()) | EXTRA_KEYS)


@dataclass
class EffortTable:
    """Effort rows (analyst's first, then defaults) with where each came from."""

    rows: pd.DataFrame
    files: list[str] = field(default_factory=list)

    @property
    def uses_defaults(self) -> bool:
        return bool(self.rows["assumed"].any())

    def lookup(self, indicator: str, part: str | None, key: str) -> pd.Series | None:
        """The row for an action of sub-indicator *indicator* (part *part*) with rule key *key*."""
        r = self.rows
        ids = [f"{indicator}.{part}", indicator] if part else [indicator]
        for assumed in (False, True):
            mine = r[r["assumed"] == assumed]
            for i in ids:
                hit = mine[(mine["indicator"] == i) & ((mine["rule"] == "") | (mine["rule"] == key))]
                if len(hit):
                    return hit.iloc[0]
            hit = mine[(mine["indicator"] == "") & (mine["rule"] == key)]
            if len(hit):
                return hit.iloc[0]
        return None


def read_effort(path=None, *, defaults: bool = True, defaults_path=None) -> EffortTable:
    """Read an analyst's effort table (*path*, CSV/Excel) on top of the shipped defaults.

    ``defaults=False`` uses only *path* (every action must then find a row in it).
    """
    frames, files = [], []
    if path is not None:
        frames.append(_read_one(path, assumed=False))
        files.append(str(path))
    if defaults:
        dp = Path(defaults_path or DEFAULTS)
        frames.append(_read_one(dp, assumed=True))
        files.append(str(dp))
    if not frames:
        raise ParameterError("no effort table given and defaults switched off", column="effort",
                             expected="an effort CSV/Excel file, or defaults=True")
    return EffortTable(pd.concat(frames, ignore_index=True), files)


def check_defaults_labelled(path=None) -> dict:
    """Check that the defaults file and its sidecar say they are assumptions; return the sidecar."""
    import yaml

    path = Path(path or DEFAULTS)
    df = read_table(path)
    bad = df.index[df.get("status", pd.Series("", index=df.index)).str.strip() != "assumption"]
    if len(bad):
        raise DataError("a default effort row is not labelled as an assumption", file=str(path),
                        row=int(bad[0]) + 2, column="status", expected="status = assumption")
    meta_path = Path(str(path) + ".meta.yaml")
    if not meta_path.exists():
        raise DataError("the sidecar note is missing", file=str(meta_path),
                        expected="a .meta.yaml next to the defaults saying they are assumptions")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    if "ASSUMPTION" not in str(meta.get("status", "")).upper():
        raise DataError("the sidecar does not label the file as an assumption", file=str(meta_path),
                        column="status", expected="status: ASSUMPTION …")
    return meta


def _read_one(path, assumed: bool) -> pd.DataFrame:
    """One effort table, checked: columns, keys (indicator / rule / per), quantities, p_complete, status."""
    fname = display_path(path)
    df = read_table(path)
    _check_columns(df, fname)
    out = pd.DataFrame(index=df.index)
    for c in ["indicator", "rule", "per", "status", "source", "note"]:
        out[c] = df[c].fillna("").astype(str).str.strip() if c in df.columns else ""
    rows = file_rows(df)
    out["per"] = _keys(out, rows, fname)
    for q in QUANTITIES:
        out[f"{q}_low"], out[f"{q}_likely"], out[f"{q}_high"] = _quantity(df, q, rows, fname)
    out["p_complete"] = _p_complete(df, rows, fname)
    if assumed:
        bad = out.index[out["status"] != "assumption"]
        if len(bad):
            raise DataError("a default effort row is not labelled as an assumption", file=fname,
                            row=int(bad[0]) + 2, column="status", expected="status = assumption")
    else:
        out["status"] = out["status"].replace("", "analyst")
    dup = out.duplicated(["indicator", "rule"], keep=False)
    if dup.any():
        i = out.index[dup][1]
        raise DataError(f"duplicate effort row for indicator '{out.at[i, 'indicator']}', rule "
                        f"'{out.at[i, 'rule']}'", file=fname, row=int(i) + 2, column="indicator",
                        expected="one row per indicator / rule")
    out["assumed"] = assumed
    out["origin"] = [f"{fname}:{int(r)}" for r in rows]
    return out


def _check_columns(df: pd.DataFrame, fname: str) -> None:
    if "indicator" not in df.columns and "rule" not in df.columns:
        raise DataError("missing columns indicator and rule", file=fname, row=1,
                        expected="columns indicator and/or rule, then cost columns such as fixed_cost_likely")
    if not any(c in df.columns for c in NUMERIC):
        raise DataError("no cost or person-day column", file=fname, row=1,
                        expected="at least one of " + ", ".join(NUMERIC[:3]) + ", …")
    known = set(NUMERIC) | {"indicator", "rule", "per", "p_complete", "status", "source", "note", "name_vi",
                            "name_en", "main", "unit"}
    extra = [c for c in df.columns if c not in known]
    if extra:
        raise DataError(f"unknown column '{extra[0]}'{suggest(extra[0], known)}", file=fname, row=1,
                        column=extra[0], expected="columns " + ", ".join(["indicator", "rule", "per"] + NUMERIC
                                                                        + ["p_complete", "status"]))


def _keys(out: pd.DataFrame, rows, fname: str) -> list[str]:
    """Check every row's indicator, rule and per; return per (empty → ``input``)."""
    keys = rule_keys()
    per_pp = {r.effort_key for r in RULES.values() if r.effort_key and r.input == "ratio"}
    pers = []
    for i, row in zip(out.index, rows, strict=True):
        ind, rule = out.at[i, "indicator"], out.at[i, "rule"]
        if not ind and not rule:
            raise DataError("neither indicator nor rule given", file=fname, row=int(row), column="indicator",
                            expected="a sub-indicator id, or a rule type in column rule")
        if rule and rule not in keys:
            raise DataError(f"unknown rule '{rule}'{suggest(rule, keys)}", file=fname, row=int(row),
                            column="rule", expected="one of " + ", ".join(keys))
        if ind and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)?", ind):
            raise DataError(f"'{ind}' is not a sub-indicator id", file=fname, row=int(row), column="indicator",
                            expected="an id such as cqs_01 (or cqs_01.part for a part)")
        per = out.at[i, "per"] or "input"
        if per not in {"input", "pp"}:
            raise DataError(f"per = '{per}'", file=fname, row=int(row), column="per",
                            expected="input (per unit of the input that moves) or pp (per percentage point)")
        if per == "pp" and rule and rule not in per_pp:
            raise DataError(f"per = pp for rule '{rule}', which has no ratio", file=fname, row=int(row),
                            column="per", expected="per = input for binary, tiered and count_steps rows")
        pers.append(per)
    return pers


def _quantity(df: pd.DataFrame, q: str, rows, fname: str):
    """Low, likely and high of quantity *q* (missing likely → 0, missing low/high → likely), in order."""
    vals = {}
    for lv in LEVELS:
        c = f"{q}_{lv}"
        if c in df.columns:
            vals[lv] = [np.nan if str(v).strip() in {"", "nan"} else parse_number(str(v), fname, int(r), c)
                        for v, r in zip(df[c], rows, strict=True)]
        else:
            vals[lv] = [np.nan] * len(df)
    likely = np.array(vals["likely"], dtype=float)
    low = np.array(vals["low"], dtype=float)
    high = np.array(vals["high"], dtype=float)
    only_range = np.isnan(likely) & (~np.isnan(low) | ~np.isnan(high))
    if only_range.any():
        i = int(np.flatnonzero(only_range)[0])
        raise DataError(f"{q}_low/high given without {q}_likely", file=fname, row=int(rows[i]),
                        column=f"{q}_likely", expected="a likely value whenever low or high is given")
    likely = np.nan_to_num(likely, nan=0.0)
    low = np.where(np.isnan(low), likely, low)
    high = np.where(np.isnan(high), likely, high)
    bad = (low > likely + 1e-12) | (likely > high + 1e-12)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(f"{q}: low {low[i]:g}, likely {likely[i]:g}, high {high[i]:g} are out of order",
                        file=fname, row=int(rows[i]), column=f"{q}_low",
                        expected=f"{q}_low ≤ {q}_likely ≤ {q}_high")
    return low, likely, high


def _p_complete(df: pd.DataFrame, rows, fname: str) -> np.ndarray:
    p = np.full(len(df), np.nan)
    if "p_complete" in df.columns:
        for i, (v, r) in enumerate(zip(df["p_complete"], rows, strict=True)):
            if str(v).strip() in {"", "nan"}:
                continue
            x = parse_number(str(v), fname, int(r), "p_complete")
            if not 0 < x <= 1:
                raise DataError(f"p_complete {v} is not a probability", file=fname, row=int(r),
                                column="p_complete", expected="a number in (0, 1], e.g. 0.8")
            p[i] = x
    return p


def money_scale(description: str | None) -> float | None:
    """1.0 for an input described in million VND, 1000.0 in billion VND, else None."""
    text = str(description or "")
    for rx, scale in MONEY_RE:
        if rx.search(text):
            return scale
    return None


def effort_for(actions, effort=None, *, framework=None) -> pd.DataFrame:
    """The actions with their effort: cost and person-days (low/likely/high), p_complete, points per effort.

    *actions* is an :class:`~dtilib.effort.actions.ActionSet` (or its ``actions`` frame with
    *framework*); *effort* an :class:`EffortTable`, a path (read on top of the defaults) or None
    (defaults only — every row then says "assumed effort").
    """
    from ..frameworks import load_framework
    from .actions import ActionSet

    if isinstance(actions, ActionSet):
        fw, acts = actions.framework, actions.actions
    else:
        if framework is None:
            raise ParameterError("effort_for needs the framework when given a plain actions table",
                                 column="framework")
        fw, acts = load_framework(framework), actions
    table = effort if isinstance(effort, EffortTable) else read_effort(effort)
    _check_indicators(table, fw)
    info = fw.sub.set_index("id")
    parts_rule = {(s.id, p["id"]): p["rule"] for s in fw.sub.itertuples() if s.rule == "additive"
                  for p in s.params["parts"]}
    out = acts.copy()
    cols = {k: [] for k in ["effort_rule", "per", "change_amount"] + [f"cost_{lv}" for lv in LEVELS]
            + [f"days_{lv}" for lv in LEVELS] + ["p_complete", "assumed", "effort_origin", "effort_basis"]}
    for a in acts.itertuples(index=False):
        rule = parts_rule.get((a.indicator, a.part), a.rule) if a.part else a.rule
        scale = None
        if rule in RULES and RULES[rule].input == "ratio" and a.input_unit == "input unit":
            scale = money_scale((info.loc[a.indicator, "inputs"] or {}).get(a.lever))
        key = "money" if scale is not None else rule
        row = table.lookup(a.indicator, a.part or None, key)
        if row is None:
            raise ParameterError(f"no effort row for sub-indicator '{a.indicator}' (rule {key})",
                                 file=table.files[0] if table.files else None, column="indicator",
                                 expected=f"a row with indicator {a.indicator} or rule {key}")
        if row["per"] == "pp":
            if pd.isna(a.ratio_to):
                raise DataError(f"per = pp, but the action '{a.action_id}' changes no ratio",
                                file=row["origin"].rsplit(":", 1)[0], row=int(row["origin"].rsplit(":", 1)[1]),
                                column="per", expected="per = input for this sub-indicator")
            amount = (a.ratio_to - a.ratio_from) * 100.0
        else:
            amount = a.input_delta * (scale if scale is not None and row["rule"] == "money" else 1.0)
        p = row["p_complete"]
        assumed = bool(row["assumed"])
        if pd.isna(p):
            d = table.rows[table.rows["assumed"] & (table.rows["indicator"] == "") & (table.rows["rule"] == key)]
            d = d[d["p_complete"].notna()]
            fallback = d.iloc[0] if len(d) else None
            p = fallback["p_complete"] if fallback is not None else 1.0
            assumed = assumed or fallback is not None
        for lv in LEVELS:
            cols[f"cost_{lv}"].append(row[f"fixed_cost_{lv}"] + row[f"unit_cost_{lv}"] * amount)
            cols[f"days_{lv}"].append(row[f"fixed_days_{lv}"] + row[f"unit_days_{lv}"] * amount)
        cols["effort_rule"].append(key)
        cols["per"].append(row["per"])
        cols["change_amount"].append(amount)
        cols["p_complete"].append(float(p))
        cols["assumed"].append(assumed)
        cols["effort_origin"].append(row["origin"])
        cols["effort_basis"].append(f"{ASSUMED_EN} ({row['origin']})" if assumed
                                    else f"{row['status']} ({row['origin']})")
    for k, v in cols.items():
        out[k] = v
    gain = out["gain"].to_numpy(dtype=float)
    for lv, cost_lv in [("low", "cost_high"), ("likely", "cost_likely"), ("high", "cost_low")]:
        c = out[cost_lv].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"ppe_{lv}"] = np.where(c > 0, gain / np.where(c > 0, c, 1.0), np.where(gain > 0, np.inf, 0.0))
    return out


def _check_indicators(table: EffortTable, fw) -> None:
    ids = set(fw.sub["id"])
    parts = {f"{s.id}.{p['id']}" for s in fw.sub.itertuples() if s.rule == "additive" for p in s.params["parts"]}
    mine = table.rows[(~table.rows["assumed"]) & (table.rows["indicator"] != "")]
    for r in mine.itertuples(index=False):
        if r.indicator not in ids and r.indicator not in parts:
            file, row = r.origin.rsplit(":", 1)
            raise DataError(f"unknown sub-indicator '{r.indicator}'{suggest(r.indicator, ids | parts)}",
                            file=file, row=int(row), column="indicator",
                            expected=f"a sub-indicator id of framework {fw.id}")
