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

from . import i18n
from .errors import DataError
from .formula import ZeroDenominator
from .frameworks import Framework, load_framework
from .rules import RULES

EPS = 1e-9
POINTS = "points"      # the input name of a score sheet's points (see dtilib.inputs.read_unit_data)
AGREE = 0.005          # raw-input points and score-sheet points agree within half a hundredth
# where a sub-indicator's points come from (ScoreResult.sub["origin"]): none, raw inputs, score sheet, both
ORIGINS = ["", "inputs", "points", "both"]
ORIGIN_NONE, ORIGIN_INPUTS, ORIGIN_POINTS, ORIGIN_BOTH = range(4)



def scored_on_text(x: float, y: float | None, lang: str = "vi") -> str:
    """"scored on X of Y points" in *lang* (Y unknown → "?")."""
    def fmt(v):
        return ("?" if v is None or v != v else i18n.fmt_number(v, lang, 0 if float(v).is_integer() else 2))
    return i18n.t("score.scored_on", lang, x=fmt(x), y=fmt(y))


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

    def _repr_html_(self) -> str:
        from .reporting.rich import html

        return html(self)

    def __repr__(self) -> str:
        from .reporting.rich import text

        return text(self)

    def notes(self, lang: str = "vi", *, per_unit: bool = True) -> list[str]:
        """What every output of this result must say: the points scored on (per unit), the peer set, warnings."""
        out = []
        for r in (self.total.itertuples(index=False) if per_unit else []):
            y = r.max_points if r.max_points == r.max_points else None
            line = f"{r.unit}: " + scored_on_text(r.scored_on, y, lang)
            if y is not None and r.scored_on < y - 1e-6:
                line += " — " + i18n.t("score.not_counted", lang, z=i18n.fmt_number(y - r.scored_on, lang, 2))
            out.append(line)
        peers = self.provenance.get("peers") or {}
        if peers.get("min_max"):
            from .io import display_path

            text = i18n.t("score.peers_default", lang, n=peers["n_units"], file=display_path(peers["inputs"]))
            if peers.get("file"):
                text += i18n.t("score.peers_file", lang, n=peers["n_peer_units"], file=display_path(peers["file"]))
            out.append(text)
        here = set(self.total["unit"])
        for w in self.provenance.get("warnings", []):
            units = [u for u in w["units"] if u in here]
            if units:
                out.append(i18n.t(f"score.{w['code']}", lang, ids=", ".join(w["indicators"]),
                                  units=", ".join(map(str, units))))
        return out


def score(framework, inputs, *, peers=None, peer_ratios: dict | None = None, file: str | None = None) -> ScoreResult:
    """Score sub-indicator *inputs* (path or DataFrame, long format) with *framework*.

    *inputs* may be raw inputs, a score sheet (``unit, indicator, points``: points per sub-indicator
    or per main indicator) or both mixed; where a unit has both for one sub-indicator they must agree.
    All units in *inputs* are scored together: min–max sub-indicators compare each unit with the
    others of the same year — the peer set — plus, with *peers* (a file or DataFrame ``unit,
    indicator, ratio``, see :func:`dtilib.inputs.read_peers`) or ``peer_ratios[sub_id]``, the ratios
    of units not in the data.  ``provenance["peers"]`` names the peer set; scoring a unit against
    itself alone adds a warning (``provenance["warnings"]``, :meth:`ScoreResult.notes`).
    Missing inputs give missing points (status ``missing``), never zeros; points not scored (unknown
    rule, missing data, unfilled group) are never counted as lost: ``total["scored_on"]`` says on
    how many points the unit was scored.
    """
    from .inputs import read_unit_data

    fw = load_framework(framework)
    data = inputs if _is_parsed(inputs) else read_unit_data(inputs, fw, file=file)
    peer_ratios, peer_file, n_peer = with_peers(fw, peers, peer_ratios)
    g = _Grid.of(fw, data)
    points_m, ratio_m, status_m = _score_subs(fw, g, peer_ratios)
    mx_sub = fw.sub["max_points"].to_numpy(dtype=float)
    origin_m = np.where(status_m == "ok", ORIGIN_INPUTS, ORIGIN_NONE).astype(np.int8)
    given_main = _Given(np.full((len(fw.main), g.n_units), np.nan), {})
    if len(g.sheet):
        mx_sub, given_main = _overlay_sheet(fw, g.sheet, g.sheet_ucode, points_m, status_m, origin_m, g.first_row,
                                            g.sub_pos, mx_sub, g.fname, g.n_units)
    sub = _sub_table(fw, g, points_m, ratio_m, status_m, origin_m, mx_sub)
    main, total = _roll_up(fw, points_m, status_m, g.units, g.keys, mx_sub, given_main)
    prov = {"framework": fw.id, "framework_version": fw.version, "framework_file": fw.path,
            "inputs": g.fname, "n_units": g.n_units, "scored_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "n_points_given": int(len(g.sheet))}
    prov.update(_peer_set(fw, g.units, g.groups, ratio_m, peer_ratios, peer_file, n_peer, g.fname))
    return ScoreResult(fw, sub, main, total, prov)


def with_peers(fw, peers, peer_ratios: dict | None) -> tuple[dict, str | None, int]:
    """*peer_ratios* (sub-indicator id → ratios of units not scored) plus those read from *peers*.

    Returns the merged ratios, the peers file's name (or None) and its number of units."""
    from .inputs import read_peers

    peer_ratios = dict(peer_ratios or {})
    if peers is None:
        return peer_ratios, None, 0
    peer_file, extra, n_peer = read_peers(peers, fw)
    for k, v in extra.items():
        peer_ratios[k] = np.concatenate([np.asarray(peer_ratios.get(k, []), dtype=float), v])
    return peer_ratios, peer_file, n_peer


@dataclass
class _Grid:
    """The parsed inputs as dense (unit × (indicator, input)) arrays, and the score-sheet rows aside.

    Units are numbered in first-appearance order (per year when there is a ``year`` column); ``col``
    maps (indicator, input) to a column of ``num`` (numbers) and ``lvl`` (tier levels); ``first_row``
    is each (unit, sub-indicator)'s first row in the file, for messages and sources."""

    keys: list
    units: pd.DataFrame
    col: dict
    num: np.ndarray
    lvl: np.ndarray
    first_row: np.ndarray
    sub_pos: dict
    sheet: pd.DataFrame
    sheet_ucode: np.ndarray
    fname: str

    @property
    def n_units(self) -> int:
        return len(self.units)

    @property
    def groups(self) -> np.ndarray:
        """The cohort of every unit (its year; one cohort without a year column)."""
        return self.units["year"].to_numpy() if "year" in self.keys else np.zeros(self.n_units)

    @classmethod
    def of(cls, fw, data: pd.DataFrame) -> _Grid:
        keys = (["year"] if "year" in data.columns else []) + ["unit"]
        # integer codes: units (first-appearance order) × (indicator, input) columns → dense 2-D arrays
        ucode_all, ufirst = _codes([data[k].to_numpy(dtype=object) for k in keys])
        units = data[keys].iloc[ufirst].reset_index(drop=True)
        icode, inames = pd.factorize(data["indicator"].to_numpy(dtype=object))
        ncode, nnames = pd.factorize(data["input"].to_numpy(dtype=object))
        pts_code = np.flatnonzero(nnames == POINTS)
        if len(pts_code):                       # score-sheet rows aside; the raw inputs go on
            is_pts = ncode == pts_code[0]
            sheet, sheet_ucode = data[is_pts], ucode_all[is_pts]
            data, ucode, icode, ncode = data[~is_pts], ucode_all[~is_pts], icode[~is_pts], ncode[~is_pts]
        else:                                   # no score-sheet rows: no copy of the data
            sheet, sheet_ucode, ucode = data.iloc[:0], ucode_all[:0], ucode_all
        n_units, n_sub = len(units), len(fw.sub)
        ccode, cfirst = (_codes([icode, ncode]) if len(data)
                         else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)))
        col = {(inames[icode[i]], nnames[ncode[i]]): j for j, i in enumerate(cfirst)}
        num = np.full((n_units, len(cfirst)), np.nan)
        num[ucode, ccode] = data["num"].to_numpy(dtype=float)
        lvl = np.full((n_units, len(cfirst)), None, dtype=object)
        lvl[ucode, ccode] = data["level"].to_numpy(dtype=object)
        sub_pos = {sid: i for i, sid in enumerate(fw.sub["id"])}
        first_row = np.full((n_units, max(n_sub, 1)), np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first_row, (ucode, np.array([sub_pos.get(n, 0) for n in inames], dtype=np.int64)[icode]),
                      data["_row"].to_numpy(dtype=np.int64))
        fname = (str(data["_file"].iloc[0]) if len(data)
                 else (str(sheet["_file"].iloc[0]) if len(sheet) else "<data>"))
        return cls(keys, units, col, num, lvl, first_row, sub_pos, sheet, sheet_ucode, fname)

    def column(self, kind, sub_id, name) -> np.ndarray:
        """One input of one sub-indicator for every unit (levels as objects, else numbers; NaN/None if absent)."""
        j = self.col.get((sub_id, name))
        if kind == "level":
            return self.lvl[:, j] if j is not None else np.full(self.n_units, None, dtype=object)
        return self.num[:, j] if j is not None else np.full(self.n_units, np.nan)

    def fail(self, message, i, sub_id, expected):
        """Raise a DataError at unit *i*'s first row of sub-indicator *sub_id*."""
        row = self.first_row[i, self.sub_pos[sub_id]]
        raise DataError(message, file=self.fname, row=None if row == np.iinfo(np.int64).max else int(row),
                        column="value", expected=expected)


def _score_subs(fw, g: _Grid, peer_ratios: dict):
    """Points, ratios and status of every (sub-indicator, unit) from the raw inputs, one rule call per item."""
    n_sub, n_units = len(fw.sub), g.n_units
    unit_names = g.units["unit"].to_numpy()
    points_m = np.full((n_sub, n_units), np.nan)
    ratio_m = np.full((n_sub, n_units), np.nan)
    status_m = np.full((n_sub, n_units), "ok", dtype=object)
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
                                      g.column, g.groups, None, unit_names, g.fail)
                points = points + np.where(miss, 0.0, pts)
                missing |= miss
        else:
            points, ratio_m[i], missing = _apply(fw, s.id, s.id, s.rule, s.params, float(mx), s.formula,
                                                 list(s.input_names), s.share, g.column, g.groups,
                                                 peer_ratios.get(s.id), unit_names, g.fail)
        status_m[i, missing] = "missing"
        points_m[i] = np.where(missing, np.nan, points)
    return points_m, ratio_m, status_m


def _sub_table(fw, g: _Grid, points_m, ratio_m, status_m, origin_m, mx_sub) -> pd.DataFrame:
    """One row per (unit, sub-indicator); text columns as categoricals built from integer codes."""
    n_sub, n_units, keys = len(fw.sub), g.n_units, g.keys
    sub_codes = np.repeat(np.arange(n_sub), n_units)
    unit_codes = np.tile(np.arange(n_units), n_sub)
    sub = pd.DataFrame({k: _categorical(g.units[k].to_numpy(), unit_codes) for k in keys})
    for k, col in {"indicator": "id", "main": "main", "rule": "rule", "kind": "kind"}.items():
        sub[k] = _categorical(fw.sub[col].to_numpy(), sub_codes)
    sub["max_points"] = mx_sub[sub_codes]
    sub["ratio"] = ratio_m.ravel()
    sub["points"] = points_m.ravel()
    sub["status"] = status_m.ravel()
    sub["origin"] = pd.Categorical.from_codes(origin_m.ravel(), categories=pd.Index(ORIGINS))
    rows = g.first_row[:, :n_sub].T.ravel()
    has_row = rows != np.iinfo(np.int64).max
    src = np.full(len(sub), "", dtype=object)
    src[has_row] = g.fname + ":" + pd.Series(rows[has_row]).astype(str).to_numpy(dtype=object)
    sub["source"] = src
    return sub[keys + ["indicator", "main", "rule", "kind", "ratio", "points", "max_points", "status", "origin",
                       "source"]]


@dataclass
class _Given:
    """Main-indicator points given by a score sheet (main × unit, NaN where not given) and their counts."""

    points: np.ndarray
    counts: dict


def _overlay_sheet(fw, sheet, ucode, points_m, status_m, origin_m, first_row, sub_pos, mx_sub, fname, n_units):
    """Put a score sheet's points into the (sub-indicator × unit) matrices; group points aside.

    Where the raw inputs of the same unit already gave the sub-indicator's points, both must agree
    (within :data:`AGREE`), else a :class:`DataError` naming both cells.
    """
    mx_sub = mx_sub.copy()
    main_pos = {m: i for i, m in enumerate(fw.main["id"])}
    given = _Given(np.full((len(fw.main), n_units), np.nan), {})
    ind = sheet["indicator"].to_numpy(dtype=object)
    pts = sheet["num"].to_numpy(dtype=float)
    smax = sheet["max_given"].to_numpy(dtype=float) if "max_given" in sheet.columns else np.full(len(sheet), np.nan)
    rows = sheet["_row"].to_numpy(dtype=np.int64)
    pcol = sheet["_pcol"].to_numpy(dtype=object) if "_pcol" in sheet.columns else np.full(len(sheet), "points")
    for j in range(len(sheet)):
        u = ucode[j]
        if ind[j] in sub_pos:
            i = sub_pos[ind[j]]
            if np.isnan(mx_sub[i]) and not np.isnan(smax[j]):
                mx_sub[i] = smax[j]
            if np.isnan(pts[j]):
                continue
            if origin_m[i, u] == ORIGIN_INPUTS and abs(points_m[i, u] - pts[j]) > AGREE:
                raise DataError(
                    f"points {pts[j]:g} of '{ind[j]}' disagree with the {points_m[i, u]:.4g} points its raw inputs "
                    f"give (row {int(first_row[u, i])}, column 'value')", file=fname, row=int(rows[j]), column=pcol[j],
                    expected="the same points from the score sheet and from the raw inputs, or only one of them")
            origin_m[i, u] = ORIGIN_BOTH if origin_m[i, u] == ORIGIN_INPUTS else ORIGIN_POINTS
            points_m[i, u] = pts[j]
            status_m[i, u] = "ok"
            first_row[u, i] = min(first_row[u, i], rows[j])
        else:
            m = main_pos[ind[j]]
            given.points[m, u] = pts[j]
            for c in ("n_full", "n_zero", "n_partial"):
                if f"_{c}" in sheet.columns:
                    given.counts.setdefault(c, np.full((len(fw.main), n_units), np.nan))[m, u] = sheet[f"_{c}"].iloc[j]
    # a group given as a whole must agree with its sub-indicators when all of them are known
    member = fw.sub["main"].to_numpy()
    for m, u in zip(*np.nonzero(~np.isnan(given.points)), strict=True):
        mid = fw.main["id"].iloc[m]
        ids = member == mid
        slots = fw.main["n_sub_indicators"].iloc[m]
        filled = ids.any() and (slots is None or pd.isna(slots) or ids.sum() == slots)
        if filled and (status_m[ids, u] == "ok").all() and abs(points_m[ids, u].sum() - given.points[m, u]) > AGREE:
            row = int(rows[(ind == mid) & (ucode == u)][0])
            raise DataError(f"points {given.points[m, u]:g} of group '{mid}' disagree with the "
                            f"{points_m[ids, u].sum():.4g} points of its sub-indicators", file=fname, row=row,
                            column=str(pcol[0]), expected="group points equal to the sum of its sub-indicators' points")
    return mx_sub, given


def _peer_set(fw, units, groups, ratio_m, peer_ratios, peer_file, n_peer, fname) -> dict:
    """Provenance of the min–max peer set, and a warning for units scored against themselves only."""
    ids = fw.sub["id"].to_numpy(dtype=object)
    mm = np.flatnonzero([RULES[r].peer for r in fw.sub["rule"]])
    names = units["unit"].to_numpy(dtype=object)
    info = {"peers": {"min_max": list(ids[mm]), "inputs": fname, "n_units": len(units),
                      "file": peer_file, "n_peer_units": n_peer or max((len(v) for v in peer_ratios.values()), default=0)},
            "warnings": []}
    alone: dict[str, list] = {}
    group_ids = np.unique(groups)
    for i in mm:
        sid = ids[i]
        extra = peer_ratios.get(sid)
        if extra is not None and np.isfinite(np.asarray(extra, dtype=float)).any():
            continue
        has = ~np.isnan(ratio_m[i])
        for g in group_ids:
            here = np.flatnonzero(has & (groups == g))
            if len(here) == 1:
                alone.setdefault(sid, []).append(names[here[0]])
    if alone:
        info["warnings"].append({"code": "minmax_self", "indicators": sorted(alone),
                                 "units": sorted({u for v in alone.values() for u in v})})
    return info


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
        odd = np.flatnonzero(~missing & (~np.isfinite(x) | ((x < 0) if kind == "ratio" else False)))
        if odd.size:
            i = odd[0]
            fail(f"formula {f.text} gives {x[i]:g} for unit '{unit_names[i]}' in sub-indicator '{sub_id}'",
                 i, sub_id, "a finite number" if not np.isfinite(x[i]) else "a share between 0 and 1, not below 0")
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
    if RULES[rule].peer:                      # compared within each cohort (year), plus the given peers
        for g in np.unique(groups):
            m = ok & (groups == g)
            if m.any():
                pts[m] = RULES[rule].points(x[m], mx, params, peers=peers)
    elif ok.any():
        pts[ok] = RULES[rule].points(x[ok], mx, params)
    return pts, (x if kind == "ratio" else np.full(n, np.nan)), missing


def _roll_up(fw: Framework, points_m: np.ndarray, status_m: np.ndarray, units: pd.DataFrame, keys: list[str],
             mx_sub: np.ndarray | None = None, given: _Given | None = None):
    """Main-indicator and unit totals from the (sub-indicator × unit) points matrix, as matrix products.

    ``scored_on`` is the max of what is known (sub-indicators with known points; a group given as a
    whole by a score sheet counts its full max); ``lost`` = ``scored_on`` − points, so points of
    sub-indicators without known points and group points not covered by listed sub-indicators are
    never counted as lost.  ``value`` and ``dti_value`` need everything known (``complete``).
    """
    n_units = len(units)
    ok = status_m == "ok"
    mx_sub = (fw.sub["max_points"].to_numpy(dtype=float) if mx_sub is None else mx_sub)[:, None]
    worth = ok & (mx_sub > 0)                      # reference-only items (max 0) are neither full nor zero
    full = worth & (points_m >= mx_sub - 1e-6)
    zero = worth & (points_m <= 1e-9)
    partial = worth & ~full & ~zero
    mains = fw.main
    member = (fw.sub["main"].to_numpy()[None, :] == mains["id"].to_numpy()[:, None]).astype(float)  # main × sub
    n = member.sum(axis=1)                                                                            # per main
    pts = member @ np.nan_to_num(points_m)                                                            # main × unit
    covered = member @ np.where(ok, np.nan_to_num(mx_sub), 0.0)
    n_known = member @ ok.astype(float)
    n_unknown = member @ (~ok).astype(float)
    counts = {"n_full": member @ full, "n_zero": member @ zero, "n_partial": member @ partial}
    mmax = mains["max_points"].to_numpy(dtype=float)
    slots = pd.to_numeric(mains["n_sub_indicators"], errors="coerce").to_numpy(dtype=float)
    scored = mains["scored"].to_numpy(dtype=bool)
    structure_ok = (n > 0) & (np.isnan(slots) | (n == slots)) & ~np.isnan(mmax)
    complete = (n_unknown == 0) & structure_ok[:, None]
    pts[n_known == 0] = np.nan
    if given is not None:
        g = ~np.isnan(given.points)
        pts[g] = given.points[g]
        covered[g] = np.broadcast_to(np.nan_to_num(mmax)[:, None], g.shape)[g]
        n_unknown[g] = 0
        complete[g] = ~np.broadcast_to(np.isnan(mmax)[:, None], g.shape)[g]
        for c in counts:
            counts[c] = counts[c].astype(float)
            counts[c][g] = given.counts[c][g] if c in given.counts else np.nan
    complete[~scored] = True
    n_main = len(mains)
    main = pd.DataFrame({k: np.tile(units[k].to_numpy(), n_main) for k in keys})
    main["indicator"] = np.repeat(mains["id"].to_numpy(), n_units)
    main["points"] = pts.ravel()
    main["n"] = np.repeat(n.astype(int), n_units)
    for c, v in counts.items():
        main[c] = pd.array(np.where(np.isnan(v), np.nan, v).ravel(), dtype="Float64").astype("Int64")
    main["n_unknown"] = n_unknown.astype(int).ravel()
    main["max_points"] = np.repeat(mmax, n_units)
    main["n_slots"] = np.repeat(slots, n_units)
    main["scored"] = np.repeat(scored, n_units)
    main["complete"] = complete.ravel()
    main["scored_on"] = np.where(scored[:, None], covered, 0.0).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(complete & scored[:, None], pts / mmax[:, None], np.nan)
    main["value"] = value.ravel()
    main["lost"] = np.where(scored[:, None] & (covered > 0), covered - np.nan_to_num(pts), np.nan).ravel()
    total = units.copy()
    total["points"] = np.nansum(pts[scored], axis=0) if scored.any() else np.nan
    total["scored_on"] = covered[scored].sum(axis=0) if scored.any() else 0.0
    total.loc[~(n_known[scored] > 0).any(axis=0) & ~(~np.isnan(pts[scored])).any(axis=0), "points"] = np.nan
    total["lost"] = total["scored_on"] - total["points"]
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


def indicator_ids(fw, names: pd.Series) -> pd.Series:
    """Main indicators as analysts type them → their ids: the id itself, or the Vietnamese or English
    name with or without diacritics, any case (``"Nhận thức số"``, ``"nhan thuc so"`` → ``nhan_thuc_so``).
    Unknown names are returned as they are (the caller reports them)."""
    from .i18n import fold, t

    def key(x) -> str:
        return " ".join(fold(str(x)).lower().replace("_", " ").split())

    table = {}
    for r in fw.main.itertuples(index=False):
        for n in (r.id, getattr(r, "name_vi", None), getattr(r, "name_en", None), t(r.id, "vi"), t(r.id, "en")):
            if isinstance(n, str) and n:
                table.setdefault(key(n), r.id)
    return names.map(lambda x: table.get(key(x), x) if isinstance(x, str) else x)


def aggregate(framework, main_values: pd.DataFrame, *, file: str = "<main values>") -> pd.DataFrame:
    """DTI value, rank and summaries from published main-indicator values (0..1).

    *main_values* is long: ``unit, indicator, value`` (and optionally ``year``); ``province`` may stand for
    ``unit`` and ``pillar`` for ``indicator``, and an indicator may be given by its id or by its Vietnamese
    or English name, with or without diacritics (:func:`indicator_ids`).  Rows for the
    framework's summary ids are ignored here (they are outputs; see ``dti reconcile``).  A unit's
    DTI is computed only when all its scored main values are known; otherwise it stays NaN.
    The result has one row per (year,) unit: the main values, ``n_known``, ``dti_value``, ``rank``,
    ``rank_of`` and each summary; ``framework`` names the framework.
    """
    fw = load_framework(framework)
    fw.require_weights()
    df = main_values.copy()
    # the same columns as the CLI: ``province`` for ``unit``, ``pillar`` for ``indicator``
    df = df.rename(columns={k: v for k, v in {"province": "unit", "pillar": "indicator"}.items()
                            if k in df.columns and v not in df.columns})
    missing = [c for c in ["unit", "indicator", "value"] if c not in df.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}", file=file, row=1,
                        expected="columns unit, indicator, value (and optionally year)")
    row = df["_row"] if "_row" in df.columns else pd.Series(np.arange(len(df)) + 2, index=df.index)
    summary_ids = {s["id"] for s in fw.summaries}
    main_ids = set(fw.main["id"])
    df["indicator"] = indicator_ids(fw, df["indicator"])
    bad = ~df["indicator"].isin(main_ids | summary_ids)
    if bad.any():
        i = df.index[bad][0]
        from .errors import suggest

        raise DataError(f"unknown indicator '{df.at[i, 'indicator']}' for framework {fw.id}"
                        f"{suggest(str(df.at[i, 'indicator']), main_ids | summary_ids)}", file=file,
                        row=int(row[i]), column="indicator",
                        expected="one of " + ", ".join(sorted(main_ids)) + " or their Vietnamese / English names")
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
