"""Outlook: where a value (of a rank, or of a province) will likely be next year — judged against persistence.

One model, used by :mod:`dtilib.analysis.target` and by the Monte Carlo of :mod:`dtilib.effort.simulate`:

**1. The latest value** at a rank (:func:`rank_value`): the published value when there is one;
otherwise a straight line *between the published neighbours* ranked just above and just below
(linear in the rank), kept within their bounds; below the last (or above the first) published value,
the line through the two nearest published values, kept within the bounds.  An estimate, labelled
``interpolated`` / ``extrapolated``; its typical error is measured by leaving each published value out
in turn (:func:`interpolation_errors`).

**2. Growth scenarios** (:func:`growth_scenarios`), each a change per year with a standard error:

* ``persistence`` — no change (carry last year's value forward); the yardstick.
* ``average`` — the latest yearly change of the *published provincial average*; its standard error is
  the spread of the yearly changes of that average (unknown with fewer than two changes).
* ``paired`` — the mean change of the provinces published in two consecutive years (the last
  *window* pairs of years that have any), standard error = sd / √n.
* ``own`` — the province's own published yearly changes (a province only), sd / √n.

A scenario's value after *h* years is ``base + h × growth``, its band ``± 1.2816 × √(se_base² +
(h × se)²)`` (80 % if the errors were normal), everything capped to [0, 1].  The outlook is **a range
of scenarios**, not one validated band.

**3. The backtest** (:func:`backtest`, ``dti outlook --backtest``): every published value of a year
is predicted from the previous year's record only (its rank's value interpolated in the previous
list, by percentile when the list size changed, plus each scenario's growth estimated from data up to
that year).  A target counts when every general scenario (persistence, average, paired) can be
computed for it, so those rows share the same targets; ``own`` covers the subset whose province has a
published history.  ``mean_abs_error`` and ``coverage`` (share of targets whose published value — or
rounding interval — meets the band).  The **default** scenario is the general one with the smallest
error, and ``persistence`` unless another one does strictly better: the default is never worse than
persistence on the record.

Values published by the provinces that chose to publish them are all there is: the notes say how few.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import Note
from .frames import national_of, provinces_of, resolve_unit, results_of, unit_name
from .ranking import positions

Z80 = 1.2815515655446004           # standard normal quantile 0.9: a two-sided 80 % band
SCENARIOS = ("persistence", "average", "paired", "own")
KNOWN = ("published", "rounded", "derived")


# ------------------------------------------------------------------------------- 1. latest value
def _known(pos: pd.DataFrame, exclude: str | None = None) -> pd.DataFrame:
    k = pos[pos["kind"].isin(KNOWN) & pos["value"].notna()]
    if exclude is not None:
        k = k[k["unit_slug"].fillna("") != exclude]
    return k.sort_values("rank", kind="stable")


def rank_value(pos: pd.DataFrame, rank: float, *, exclude: str | None = None) -> dict:
    """The value at *rank* (may be fractional) in the positions *pos*: ``{value, lo, hi, kind, n_known}``.

    ``lo..hi`` are the published bounds (the largest published value ranked at or below, the smallest
    ranked at or above); ``value`` the published value, or the interpolation between the published
    neighbours (``interpolated``), or beyond the last/first published value the line through the two
    nearest ones (``extrapolated``), always within ``lo..hi``; ``none`` when nothing is published.
    """
    return _value_at(_known_arrays(pos, exclude), float(rank))


def _known_arrays(pos: pd.DataFrame, exclude: str | None = None) -> tuple:
    """The known values of *pos* (see :func:`_known`) as arrays ``(rank, value, lo, hi, kind)``."""
    keep = np.isin(pos["kind"].to_numpy(), KNOWN) & ~np.isnan(pos["value"].to_numpy(dtype=float))
    if exclude is not None:
        keep &= pos["unit_slug"].fillna("").to_numpy() != exclude
    ranks = pos["rank"].to_numpy(float)[keep]
    order = np.argsort(ranks, kind="stable")
    return (ranks[order], pos["value"].to_numpy(float)[keep][order], pos["lo"].to_numpy(float)[keep][order],
            pos["hi"].to_numpy(float)[keep][order], pos["kind"].to_numpy()[keep][order])


def _value_at(known: tuple, r: float) -> dict:
    """:func:`rank_value` on the arrays of :func:`_known_arrays`."""
    ranks, vals, lows, highs, kinds = known
    n_known = len(ranks)
    up, down = ranks <= r, ranks >= r
    hi = float(min(1.0, highs[up].min())) if up.any() else 1.0
    lo = float(max(0.0, lows[down].max())) if down.any() else 0.0
    exact = np.isclose(ranks, r)
    if exact.any():
        i = np.flatnonzero(exact)[0]
        return {"value": float(vals[i]), "lo": float(lows[i]), "hi": float(highs[i]), "kind": str(kinds[i]),
                "n_known": n_known}
    if n_known == 0:
        return {"value": np.nan, "lo": lo, "hi": hi, "kind": "none", "n_known": 0}
    if up.any() and down.any():
        a, b = np.flatnonzero(up)[-1], np.flatnonzero(down)[0]
        kind = "interpolated"
    elif n_known >= 2:
        a, b = (0, 1) if not up.any() else (n_known - 2, n_known - 1)
        kind = "extrapolated"
    else:
        return {"value": (lo + hi) / 2, "lo": lo, "hi": hi, "kind": "midpoint", "n_known": n_known}
    if ranks[b] == ranks[a]:
        v = vals[a]
    else:
        v = vals[a] + (vals[b] - vals[a]) * (r - ranks[a]) / (ranks[b] - ranks[a])
    return {"value": float(np.clip(v, lo, hi)), "lo": lo, "hi": hi, "kind": kind, "n_known": n_known}


def interpolation_errors(results: pd.DataFrame, *, era: int = 63, years: list[int] | None = None) -> pd.DataFrame:
    """Leave each published value out in turn and interpolate it from the others of its year.

    Only values with published neighbours on both sides (interpolation, not extrapolation).  Columns
    ``year, rank, value, estimate, error``.
    """
    res = _checked(results)
    rows = [r for y in years or _years(res, era) for r in _interpolation_rows(positions(res, y, era), y)]
    return pd.DataFrame(rows, columns=["year", "rank", "value", "estimate", "error"])


def _interpolation_rows(pos: pd.DataFrame, year: int) -> list[dict]:
    """The rows of :func:`interpolation_errors` for one year's positions."""
    known = _known_arrays(pos)
    rows = []
    for i in range(1, len(known[0]) - 1):
        rank, value = float(known[0][i]), float(known[1][i])
        est = _value_at(tuple(np.delete(a, i) for a in known), rank)
        if est["kind"] == "interpolated":
            rows.append({"year": int(year), "rank": int(rank), "value": value,
                         "estimate": est["value"], "error": est["value"] - value})
    return rows


def _checked(df) -> pd.DataFrame:
    """*df* checked once (a table already checked by :func:`check_results` carries ``_halfwidth``);
    a Record or None (the shipped record) gives its results table."""
    return df if isinstance(df, pd.DataFrame) and "_halfwidth" in df.columns else results_of(df)


def _rms(x) -> float:
    x = np.asarray(x, float)
    return float(np.sqrt(np.mean(x ** 2))) if len(x) >= 2 else np.nan


def _years(res: pd.DataFrame, era: int) -> list[int]:
    return sorted(int(y) for y in res.loc[(res["era"] == era) & (res["origin"] == "published")
                                          & res["rank"].notna(), "year"].unique())


# ---------------------------------------------------------------------------------- 2. growth
def paired_changes(results: pd.DataFrame, *, upto: int | None = None) -> pd.DataFrame:
    """Yearly changes of the units published in two consecutive years of the same list.

    Columns ``unit_slug, unit, era, year_from, year_to, value_from, value_to, change, rank_from, rank_to,
    framework_break``.  Only published values (never derived rows).
    """
    res = _checked(results)
    d = res[(res["origin"] == "published") & res["dti_value"].notna()]
    if upto is not None:
        d = d[d["year"] <= int(upto)]
    d = d.drop_duplicates(["unit_slug", "era", "year"])
    nxt = d.assign(year=d["year"] - 1)
    m = d.merge(nxt, on=["unit_slug", "era", "year"], suffixes=("_from", "_to"))
    out = pd.DataFrame({
        "unit_slug": m["unit_slug"], "unit": m["unit_from"], "era": m["era"], "year_from": m["year"],
        "year_to": m["year"] + 1, "value_from": m["dti_value_from"], "value_to": m["dti_value_to"],
        "change": m["dti_value_to"] - m["dti_value_from"],
        "rank_from": m["rank_from"], "rank_to": m["rank_to"],
        "framework_break": m["framework_from"] != m["framework_to"]})
    return out.sort_values(["year_from", "unit_slug"], kind="stable").reset_index(drop=True)


def _avg_changes(national: pd.DataFrame | None, upto: int) -> pd.DataFrame:
    if national is None or national is False or not len(national):
        return pd.DataFrame(columns=["year_from", "year_to", "per_year"])
    a = national[national["year"] <= upto].sort_values("year")
    ys, vs = a["year"].to_numpy(int), a["provincial_avg"].to_numpy(float)
    return pd.DataFrame({"year_from": ys[:-1], "year_to": ys[1:],
                         "per_year": (vs[1:] - vs[:-1]) / (ys[1:] - ys[:-1])})


def _mean_se(x) -> tuple[float, float]:
    x = np.asarray(x, float)
    if len(x) == 0:
        return np.nan, np.nan
    return float(x.mean()), (float(x.std(ddof=1) / np.sqrt(len(x))) if len(x) >= 2 else np.nan)


def growth_scenarios(results: pd.DataFrame | None, origin_year: int, *, national: pd.DataFrame | None | bool = None,
                     unit: str | None = None, era: int = 63, window: int = 2) -> pd.DataFrame:
    """The growth scenarios known at *origin_year* (data up to that year only): one row per scenario.

    Columns ``scenario, growth, se, n, years, basis`` (growth per year; ``se`` NaN when it cannot be
    estimated; a scenario that cannot be computed has ``growth`` NaN; ``basis`` a :class:`~dtilib.i18n.Note`,
    English as a string, ``.text("vi")`` in Vietnamese).  *unit* adds ``own``.
    """
    res = _checked(results)
    national = national_of(results, national)
    y0 = int(origin_year)
    pairs = paired_changes(res, upto=y0)
    slug = None
    if unit is not None:
        slug = resolve_unit(unit, res).get(f"slug{era}") or unit
    return _scenarios(pairs, national, y0, era=era, window=window, slug=slug)


def _scenarios(pairs: pd.DataFrame, national, y0: int, *, era: int, window: int, slug: str | None) -> pd.DataFrame:
    """:func:`growth_scenarios` from the paired changes up to *y0* (*slug*: the unit of ``own``, or None)."""
    rows = [{"scenario": "persistence", "growth": 0.0, "se": 0.0, "n": 0, "years": "",
             "basis": Note.of("outlook.basis.persistence")}]
    av = _avg_changes(national, y0)
    if len(av):
        last = av.iloc[-1]
        se = float(av["per_year"].std(ddof=1)) if len(av) >= 2 else np.nan
        span = f"{int(last['year_from'])}→{int(last['year_to'])}"
        rows.append({"scenario": "average", "growth": float(last["per_year"]), "se": se, "n": len(av), "years": span,
                     "basis": Note.of("outlook.basis.average", span=span, n=len(av))})
    else:
        rows.append({"scenario": "average", "growth": np.nan, "se": np.nan, "n": 0, "years": "",
                     "basis": Note.of("outlook.basis.average_none")})
    pc = pairs[pairs["era"] == era] if (pairs["era"] == era).any() else pairs
    last_pairs = sorted(pc["year_to"].unique())[-window:] if len(pc) else []
    sel = pc[pc["year_to"].isin(last_pairs)]
    g, se = _mean_se(sel["change"])
    span = ", ".join(f"{y - 1}→{y}" for y in last_pairs)
    rows.append({"scenario": "paired", "growth": g, "se": se, "n": len(sel), "years": span,
                 "basis": (Note.of("outlook.basis.paired", n=len(sel), span=span) if len(sel)
                           else Note.of("outlook.basis.paired_none"))})
    if slug is not None:
        own = pairs[pairs["unit_slug"] == slug]
        g, se = _mean_se(own["change"])
        span = ", ".join(f"{a}→{b}" for a, b in zip(own["year_from"], own["year_to"], strict=True))
        rows.append({"scenario": "own", "growth": g, "se": se, "n": len(own), "years": span,
                     "basis": (Note.of("outlook.basis.own", span=span) if len(own)
                               else Note.of("outlook.basis.own_none"))})
    out = pd.DataFrame(rows)
    if len(pc) and pc.loc[pc["year_to"].isin(last_pairs), "framework_break"].any():
        out.attrs["break"] = True
    return out


def project(base: dict, scenarios: pd.DataFrame, horizon: int, *, base_se: float = 0.0) -> pd.DataFrame:
    """Each scenario applied to a base value ``{value, lo, hi, kind}`` for *horizon* years, capped to [0, 1].

    Columns ``scenario, growth, se, estimate, lo, hi``.
    """
    rows = [_projected(base["value"], s.scenario, s.growth, s.se, horizon, base_se)
            for s in scenarios.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["scenario", "growth", "se", "estimate", "lo", "hi"])


def _projected(value: float, scenario: str, growth, se, horizon: int, base_se: float) -> dict:
    """One row of :func:`project`: *value* moved by *growth* a year for *horizon* years, with its band."""
    g = float(growth)
    if np.isnan(g) or np.isnan(value):
        return {"scenario": scenario, "growth": g, "se": se, "estimate": np.nan, "lo": np.nan, "hi": np.nan}
    se_g = 0.0 if np.isnan(se) else float(se)
    est = value + horizon * g
    half = Z80 * float(np.hypot(base_se, horizon * se_g))
    return {"scenario": scenario, "growth": g, "se": se, "estimate": float(np.clip(est, 0, 1)),
            "lo": float(np.clip(est - half, 0, 1)), "hi": float(np.clip(est + half, 0, 1))}


def _base_se(base: dict, interp_se: float) -> float:
    kind = base["kind"].split(":")[-1]
    if base["kind"].startswith("carried"):
        # a stand-in from an older rank: its band (the values over the ranks it may have moved to) is an 80 % range
        ise = 0.0 if np.isnan(interp_se) else interp_se
        return max(ise, (base["hi"] - base["lo"]) / (2 * Z80))
    base = {**base, "kind": kind}
    if base["kind"] in ("published", "derived"):
        return 0.0
    if base["kind"] == "rounded":
        return (base["hi"] - base["lo"]) / np.sqrt(12)          # sd of a uniform over the rounding interval
    if base["kind"] in ("interpolated", "extrapolated"):
        return 0.0 if np.isnan(interp_se) else interp_se
    return (base["hi"] - base["lo"]) / np.sqrt(12)


# -------------------------------------------------------------------------------- 3. backtest
def _origin(res: pd.DataFrame, year: int, era: int) -> tuple[int, int] | None:
    """The list (year − 1, era) a target of (*year*, *era*) is predicted from; the other list if needed."""
    for e in (era, 63 if era == 34 else 34):
        sub = res[(res["year"] == year - 1) & (res["era"] == e) & (res["origin"] == "published") & res["rank"].notna()]
        if len(sub):
            return year - 1, e
    return None


def _map_rank(rank: float, n_from: int, n_to: int) -> float:
    """The rank of the same percentile in a list of *n_to* (``1 + (rank − 1)(n_to − 1)/(n_from − 1)``)."""
    return 1 + (float(rank) - 1) * (n_to - 1) / (n_from - 1) if n_from != n_to else float(rank)


def backtest(results: pd.DataFrame | None = None, *, national: pd.DataFrame | None | bool = None
             ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Predict every published value from the previous year's record: ``(table, detail)``.

    ``table``: ``method, n, mean_abs_error, coverage, default`` (one row per scenario; ``own`` is the
    target province's own history, so it covers fewer targets).  ``detail``: one row per target and
    method (``year, era, rank, unit, value, lo, hi, origin_year, origin_era, base, base_kind, method,
    estimate, band_lo, band_hi, error, covered, across_break``).
    """
    res = _checked(results)
    national = national_of(results, national)
    try:
        key = _fingerprint(res, national)
    except TypeError:           # a column pandas cannot hash (e.g. lists): no cache
        return _backtest(res, national)
    if key not in _BACKTESTS:
        if len(_BACKTESTS) >= 8:
            _BACKTESTS.pop(next(iter(_BACKTESTS)))
        _BACKTESTS[key] = _backtest(res, national)
    table, detail = _BACKTESTS[key]
    return table.copy(), detail.copy()


_BACKTESTS: dict = {}
"""Backtests already made in this process, by the fingerprint of their record (results and national
averages): the same record always gives the same backtest, and a report asks for it more than once."""


def _fingerprint(*parts) -> tuple:
    """A key for tables' contents: columns, dtypes and a SHA-256 of pandas' row hashes (index included)."""
    import hashlib

    key = []
    for p in parts:
        if isinstance(p, pd.DataFrame):
            digest = hashlib.sha256(pd.util.hash_pandas_object(p, index=True).to_numpy().tobytes()).hexdigest()
            key.append((tuple(map(str, p.columns)), tuple(map(str, p.dtypes)), digest))
        else:
            key.append(repr(p))
    return tuple(key)


def _backtest(res: pd.DataFrame, national) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`backtest` computed (no cache)."""
    # what several targets share, computed once: a year's positions (only the year's own rows count, so
    # the same whether the record is cut at the origin year or not), its leave-one-out errors, and the
    # paired changes (those up to a year are the rows of the whole table with year_to ≤ it, in order)
    pos_of = functools.cache(lambda y, e: positions(res, y, e))
    errors_of = functools.cache(lambda y, e: _interpolation_rows(pos_of(y, e), y))
    pairs = paired_changes(res)
    rows = []
    for era in (63, 34):
        for y in _years(res, era):
            org = _origin(res, y, era)
            if org is None:
                continue
            oy, oe = org
            past = res[res["year"] <= oy]
            nat = national[national["year"] <= oy] if isinstance(national, pd.DataFrame) else national
            pos0 = pos_of(oy, oe)
            n_to = int(pos0["rank_of"].iloc[0])
            ise = _rms([r["error"] for y0 in _years(past, oe) for r in errors_of(y0, oe)])
            pc_past = pairs[pairs["year_to"] <= oy].reset_index(drop=True)
            scen = _scenarios(pc_past, nat, oy, era=oe, window=2, slug=None)
            pos1 = pos_of(y, era)
            n_from = int(pos1["rank_of"].iloc[0])
            fw0 = str(past.loc[past["year"] == oy, "framework"].mode().iloc[0])
            fw1 = str(res.loc[res["year"] == y, "framework"].mode().iloc[0])
            known0 = _known_arrays(pos0)
            general = list(scen[["scenario", "growth", "se"]].itertuples(index=False, name=None))
            own_changes = {u: c.to_numpy(float) for u, c in pc_past.groupby("unit_slug", sort=False)["change"]}
            for t in _known(pos1).itertuples(index=False):
                if t.kind == "derived":
                    continue
                base = _value_at(known0, _map_rank(t.rank, n_from, n_to))
                if np.isnan(base["value"]):
                    continue
                g, se = _mean_se(own_changes.get(t.unit_slug, np.empty(0)))
                base_se = _base_se(base, ise)
                proj = [_projected(base["value"], *sc, y - oy, base_se) for sc in [*general, ("own", g, se)]]
                if any(np.isnan(p["estimate"]) for p in proj[:-1]):  # a target only counts if every general scenario exists
                    continue
                for p in proj:
                    if np.isnan(p["estimate"]):
                        continue
                    rows.append({"year": y, "era": era, "rank": int(t.rank), "unit": t.unit, "value": t.value,
                                 "lo": t.lo, "hi": t.hi, "origin_year": oy, "origin_era": oe, "base": base["value"],
                                 "base_kind": base["kind"], "method": p["scenario"], "estimate": p["estimate"],
                                 "band_lo": p["lo"], "band_hi": p["hi"], "error": p["estimate"] - t.value,
                                 "covered": bool(p["lo"] <= t.hi + 1e-12 and p["hi"] >= t.lo - 1e-12),
                                 "across_break": fw0 != fw1})
    detail = pd.DataFrame(rows, columns=["year", "era", "rank", "unit", "value", "lo", "hi", "origin_year",
                                         "origin_era", "base", "base_kind", "method", "estimate", "band_lo",
                                         "band_hi", "error", "covered", "across_break"])
    return backtest_table(detail), detail


def backtest_table(detail: pd.DataFrame) -> pd.DataFrame:
    """``method, n, mean_abs_error, coverage, default`` from the per-target *detail* of :func:`backtest`.

    Each method's error and coverage are over the targets it could predict (``n``).  The default is
    chosen on the targets that *every* general scenario (``persistence``, ``average``, ``paired``)
    could predict: the one with the smallest mean error there, ``persistence`` unless another is
    strictly better.  ``own`` (a province's own history) covers few targets and is never the default.
    """
    key = ["year", "era", "rank", "unit"]
    rows = []
    for m in SCENARIOS:
        d = detail[detail["method"] == m]
        rows.append({"method": m, "n": len(d),
                     "mean_abs_error": float(d["error"].abs().mean()) if len(d) else np.nan,
                     "coverage": float(d["covered"].mean()) if len(d) else np.nan})
    t = pd.DataFrame(rows)
    general = [m for m in SCENARIOS if m != "own"]
    common = None
    for m in general:
        k = detail.loc[detail["method"] == m, key].drop_duplicates()
        common = k if common is None else common.merge(k, on=key)
    default = "persistence"
    if common is not None and len(common):
        d = detail.merge(common, on=key)
        mae = d.assign(a=d["error"].abs()).groupby("method")["a"].mean()
        best = min(general, key=lambda m: (mae.get(m, np.inf), m != "persistence"))
        if mae.get(best, np.inf) < mae.get("persistence", np.inf) - 1e-12:
            default = best
    t["default"] = t["method"] == default
    t.attrs["common_targets"] = 0 if common is None else len(common)
    return t


def backtest_by_break(detail: pd.DataFrame) -> pd.DataFrame:
    """Mean absolute error per method, separately for targets within one framework and across a break."""
    d = detail.assign(a=detail["error"].abs(), step=np.where(detail["across_break"], "across a break",
                                                              "same framework"))
    g = d.groupby(["step", "method"]).agg(n=("a", "size"), mean_abs_error=("a", "mean"),
                                          coverage=("covered", "mean")).reset_index()
    order = {m: i for i, m in enumerate(SCENARIOS)}
    return g.sort_values(["step", "method"], key=lambda c: c.map(order) if c.name == "method" else c,
                         kind="stable").reset_index(drop=True)


def default_scenario(results: pd.DataFrame | None = None, *, national: pd.DataFrame | None | bool = None) -> str:
    """The scenario marked ``default`` by :func:`backtest` on *results*."""
    table, _ = backtest(results, national=national)
    return str(table.loc[table["default"], "method"].iloc[0])


# ------------------------------------------------------------------------------- 4. outlooks
@dataclass
class Outlook:
    """A value *horizon* years ahead of its latest known year, under every scenario."""

    what: str                      # "rank 45/63" or a province name
    origin_year: int
    year: int
    era: int
    base: dict
    scenarios: pd.DataFrame        # scenario, growth, se, n, years, basis (a Note), estimate, lo, hi
    default: str
    interp_se: float
    notes: list = field(default_factory=list)

    @property
    def estimate(self) -> float:
        return float(self.scenarios.set_index("scenario").loc[self.default, "estimate"])

    @property
    def range(self) -> tuple[float, float]:
        """Lowest and highest scenario estimate (the range of scenarios)."""
        e = self.scenarios["estimate"].dropna()
        return (float(e.min()), float(e.max())) if len(e) else (np.nan, np.nan)


def rank_outlook(results: pd.DataFrame | None, rank: int, year: int, *, era: int = 63,
                 national: pd.DataFrame | None | bool = None, default: str | None = None) -> Outlook:
    """The value of rank *rank* in *year*: latest list's value at that rank + each scenario."""
    res = results_of(results)
    national = national_of(results, national)
    ys = [y for y in _years(res, era) if y < int(year)]
    if not ys:
        raise ParameterError(f"no published ranking of the {era}-list before {year}", column="year",
                             expected="a year after the first published ranking")
    oy = ys[-1]
    pos = positions(res, oy, era)
    n = int(pos["rank_of"].iloc[0])
    if not 1 <= int(rank) <= n:
        raise ParameterError(f"target rank {rank} is outside 1..{n}", column="rank", expected=f"a rank between 1 and {n}")
    base = rank_value(pos, int(rank))
    ise = _rms(interpolation_errors(res, era=era)["error"])
    scen = growth_scenarios(res, oy, national=national, era=era)
    proj = project(base, scen, int(year) - oy, base_se=_base_se(base, ise))
    table = scen.merge(proj[["scenario", "estimate", "lo", "hi"]], on="scenario")
    notes = [Note(f"rank-{rank} value of {oy}: {base['kind']} ({base['n_known']} published values that year)",
                  f"giá trị hạng {rank} năm {oy}: {kind_text(base['kind'], 'vi')} "
                  f"({base['n_known']} giá trị công bố năm đó)")]
    return Outlook(f"rank {rank}/{n}", oy, int(year), era, base, table,
                   default or default_scenario(res, national=national), ise, notes)


def unit_outlook(results: pd.DataFrame | None, unit: str, year: int, *, era: int = 63,
                 national: pd.DataFrame | None | bool = None, default: str | None = None) -> Outlook:
    """A province's value in *year*: its latest published value (or the value at its latest published rank)
    + each scenario, ``own`` included."""
    res = results_of(results)
    national = national_of(results, national)
    who = resolve_unit(unit, res)
    y34 = [y for y in _years(res, 34) if y < int(year)]
    y63 = [y for y in _years(res, 63) if y < int(year)]
    if y34 and int(year) > max(y63, default=0):      # after the merger: the one base of the 34-list outlook
        return _unit_outlook_34(results, res, who, int(year), y34, y63, national, default)
    slug = who.get(f"slug{era}")
    if slug is None:
        raise ParameterError(f"'{unit}' is not a unit of the {era}-province list", column="province",
                             expected=f"a province of the {era}-province list")
    last = max((y for y in _years(res, era) if y < int(year)), default=None)
    base, own_year = _carried_base(res, slug, era, last) if last is not None else (None, None)
    if base is None:
        raise ParameterError(f"no published rank or value of '{unit}' before {year}", column="province",
                             expected="a province with a published rank")
    ise = _rms(interpolation_errors(res, era=era)["error"])
    notes = []
    oy = own_year
    if base["kind"].startswith("carried:"):
        oy = last
        notes.append(carried_note(base, last))
    scen = growth_scenarios(res, oy, national=national, unit=slug, era=era)
    proj = project(base, scen, int(year) - oy, base_se=_base_se(base, ise))
    table = scen.merge(proj[["scenario", "estimate", "lo", "hi"]], on="scenario")
    return Outlook(unit_name(slug, era, "vi", res), oy, int(year), era, base, table,
                   default or default_scenario(res, national=national), ise, notes)


def _unit_outlook_34(results, res: pd.DataFrame, who: dict, year: int, y34: list[int], y63: list[int], national,
                     default: str | None) -> Outlook:
    """:func:`unit_outlook` after the merger: the province's row of :func:`outlook_34` (same base, same scenarios)."""
    prov = provinces_of(results, None)
    slug = who.get("slug34") or who.get("successor34")
    p = prov[(prov["era"].astype(int) == 34) & (prov["slug"] == slug)]
    if slug is None or not len(p):
        raise ParameterError(f"'{who.get('name')}' is not a province of the 34-province list", column="province",
                             expected="a province of the 34-province list")
    members = [m for m in str(p["members"].iloc[0]).split(";") if m]
    last, ise, pos34, last63, pc, general = _context_34(res, y34, y63, national)
    base, base_se, _ = _base_34(res, slug, members, pos34, last, last63, ise)
    scen = pd.concat([general, _own_34(pc, members)], ignore_index=True)
    proj = project(base, scen, year - last, base_se=base_se)
    table = scen.merge(proj[["scenario", "estimate", "lo", "hi"]], on="scenario")
    name = str(p["name_vi"].iloc[0])
    notes = []
    if who.get("slug34") is None:
        notes.append(Note.of("outlook.note.merged_into", old=who.get("name"), new=name))
    if base["kind"].startswith("carried:"):
        notes.append(carried_note(base, last))
    return Outlook(name, last, year, 34, base, table, default or default_scenario(res, national=national), ise, notes)


def carried_note(base: dict, last: int) -> Note:
    """What a rank-based stand-in (:func:`carried_value`) assumes, in both languages."""
    a, b = base["rank_range"]
    return Note.of("outlook.note.carried", r=base["rank"], n=base["rank_of"], last=last, a=a, b=b, m=base["rank_in"],
                   lo=base["lo"], hi=base["hi"], value=base["value"])

def _position_base(pos: pd.DataFrame, slug: str) -> dict | None:
    """The unit's value in the positions *pos*: its own (published, rounded, derived), else the value at its
    rank between the published neighbours; with ``rank, rank_of``; None when it is not in the list."""
    hit = pos[pos["unit_slug"].fillna("") == slug]
    if not len(hit):
        return None
    h = hit.iloc[0]
    if h["kind"] in KNOWN:
        b = {"value": float(h["value"]), "lo": float(h["lo"]), "hi": float(h["hi"]), "kind": str(h["kind"])}
    else:
        b = rank_value(pos, int(h["rank"]), exclude=slug)
    b.update(rank=int(h["rank"]), rank_of=int(h["rank_of"]))
    return b


def unit_base(res: pd.DataFrame, slug: str, era: int, *, before: int | None = None) -> tuple[dict | None, int | None]:
    """``({value, lo, hi, kind, rank, rank_of}, year)`` of the unit's latest published value or rank."""
    mine = res[(res["unit_slug"] == slug) & (res["era"] == era) & (res["origin"] == "published")
               & (res["rank"].notna() | res["dti_value"].notna())]
    if before is not None:
        mine = mine[mine["year"] < before]
    for y in sorted(mine["year"].unique(), reverse=True):
        b = _position_base(positions(res, int(y), era), slug)
        if b is not None:
            return b, int(y)
        row = mine[mine["year"] == y].iloc[0]
        if pd.notna(row["dti_value"]):      # value published without a rank
            v = float(row["dti_value"])
            return {"value": v, "lo": v, "hi": v, "kind": "published", "rank": None, "rank_of": None}, int(y)
    return None, None


def kind_text(kind: str, lang: str = "vi") -> str:
    """How a base value was obtained, in words (``carried:…`` = at its latest rank in the latest list)."""
    from ..i18n import has, t

    if kind.startswith("carried:"):
        return t("outlook.kind.carried", lang) + kind_text(kind.split(":", 1)[1], lang)
    return t(f"outlook.kind.{kind}", lang) if has(f"outlook.kind.{kind}") else kind


# ---------------------------------------------------------------------- 5. rank changes observed
def rank_changes(results: pd.DataFrame | None = None, *, era: int = 63, step: int = 1) -> pd.DataFrame:
    """Observed rank changes over *step* years of provinces ranked in both years of the *era* list.

    Columns ``unit_slug, unit, year_from, year_to, rank_from, rank_to, gain`` (gain = places up).  Only the
    provinces whose ranks were published (by the ministry, the press or the provinces themselves): not a
    random sample of all provinces.
    """
    res = results_of(results)
    d = res[(res["era"] == era) & (res["origin"] == "published") & res["rank"].notna()]
    d = d.drop_duplicates(["unit_slug", "year"])[["unit_slug", "unit", "year", "rank"]]
    m = d.merge(d.assign(year=d["year"] - int(step)), on=["unit_slug", "year"], suffixes=("_from", "_to"))
    out = pd.DataFrame({"unit_slug": m["unit_slug"], "unit": m["unit_from"], "year_from": m["year"],
                        "year_to": m["year"] + int(step), "rank_from": m["rank_from"].astype(int),
                        "rank_to": m["rank_to"].astype(int)})
    out["gain"] = out["rank_from"] - out["rank_to"]
    return out.sort_values(["year_from", "rank_from"], kind="stable").reset_index(drop=True)


def p_gain(results: pd.DataFrame | None, places: int, *, era: int = 63, step: int = 1, rank_from: int | None = None,
           window: int | None = None) -> dict:
    """P(gaining ≥ *places* places in *step* years) among the observed rank changes: ``{p, k, n, ...}``.

    *rank_from* with *window*: only the changes of provinces starting within ±window of that rank
    (a province near the bottom can gain more places than one near the top).
    """
    rc = rank_changes(results, era=era, step=step)
    if rank_from is not None and window is not None:
        rc = rc[(rc["rank_from"] - int(rank_from)).abs() <= int(window)]
    n = len(rc)
    k = int((rc["gain"] >= int(places)).sum())
    return {"places": int(places), "p": k / n if n else np.nan, "k": k, "n": n,
            "years": sorted(set(zip(rc["year_from"], rc["year_to"], strict=True))),
            "step": int(step),
            "note": Note(f"from {n} observed {step}-year rank changes of provinces whose ranks were published in both "
                         "years — provinces that chose to publish, not a random sample",
                         f"từ {n} lần thay đổi hạng sau {step} năm của các tỉnh có hạng công bố cả hai năm — "
                         "các tỉnh chọn công bố, không phải mẫu ngẫu nhiên")}


# ------------------------------------------------------------------------------ 6. the 34 provinces
def _carried_base(res: pd.DataFrame, slug: str, era: int, last: int) -> tuple[dict | None, int | None]:
    """A unit's value in the *last* list of *era*: its own, else the value at its latest rank carried there."""
    base, y = unit_base(res, slug, era, before=last + 1)
    if base is None:
        return None, None
    if y < last and base.get("rank") is not None:
        return carried_value(res, base["rank"], base["rank_of"], y, last, era, exclude=slug), y
    return base, y


def carried_value(res: pd.DataFrame, rank: int, rank_of: int, year: int, last: int, era: int = 63, *,
                  exclude: str | None = None, q: float = 0.1) -> dict:
    """The value in the *last* list of a unit last ranked *rank*/*rank_of* in *year*: a stand-in with the rank's
    uncertainty, ``{value, lo, hi, kind: "carried:…", rank, rank_of, rank_range}``.

    The unit may have moved since: its rank in *last* is taken within the *q* and 1 − *q* quantiles of the
    rank changes observed over the same number of years (:func:`rank_changes`; the one-year ones times the
    years when fewer than 5); ``lo``/``hi`` are the values at the worst and best of those ranks, ``value`` the
    value at its old rank between the published neighbours without the province that holds that rank in
    *last* (its figure is not this one's), or the middle of ``lo..hi`` when there is no neighbour on one side.
    """
    pos = positions(res, last, era)
    n = int(pos["rank_of"].iloc[0])
    r = _map_rank(rank, rank_of, n)
    step = max(1, int(last) - int(year))
    gains = rank_changes(res, era=era, step=step)["gain"]
    if len(gains) < 5:
        gains = rank_changes(res, era=era, step=1)["gain"] * step
    g_lo, g_hi = (float(gains.quantile(q)), float(gains.quantile(1 - q))) if len(gains) else (-n, n)
    best, worst = float(np.clip(r - max(g_hi, 0), 1, n)), float(np.clip(r - min(g_lo, 0), 1, n))
    hi = rank_value(pos, best, exclude=exclude)
    lo = rank_value(pos, worst, exclude=exclude)
    v_hi = hi["value"] if not np.isnan(hi["value"]) else hi["hi"]
    v_lo = lo["value"] if not np.isnan(lo["value"]) else lo["lo"]
    mid = rank_value(pos[~np.isclose(pos["rank"].to_numpy(float), r)], r, exclude=exclude)
    if mid["kind"] != "interpolated":         # no published value on both sides: the middle of the range
        mid = {**mid, "kind": "midpoint", "value": (v_lo + v_hi) / 2}
    value = float(np.clip(mid["value"], v_lo, v_hi))
    return {"value": value, "lo": float(v_lo), "hi": float(v_hi), "kind": "carried:" + mid["kind"],
            "n_known": mid["n_known"], "rank": int(rank), "rank_of": int(rank_of),
            "rank_range": (int(np.floor(best)), int(np.ceil(worst))), "rank_in": n}


def _context_34(res: pd.DataFrame, y34: list[int], y63: list[int], national) -> tuple:
    """What every 34-list base and scenario is computed from: ``(last, ise, pos34, last63, pc, general)``."""
    last = max(y34 + y63)
    pos34 = positions(res, last, 34) if last in y34 else None
    return (last, _rms(interpolation_errors(res, era=63)["error"]), pos34, max(y63) if y63 else None,
            paired_changes(res, upto=last), growth_scenarios(res, last, national=national))


def _base_34(res: pd.DataFrame, slug: str, members: list[str], pos34: pd.DataFrame | None, last: int,
            last63: int | None, ise: float) -> tuple[dict, float, str]:
    """A 34-list province's value in the *last* list: ``(base, base_se, kind_note)`` — the one base of
    :func:`outlook_34` and of :func:`unit_outlook` after the merger (see :func:`outlook_34` for the order)."""
    kind_note = ""
    base = _position_base(pos34, slug) if pos34 is not None else None
    if base is None:                      # a derived value (the merged-province rule) without a rank
        der = res[(res["year"] == last) & (res["era"] == 34) & (res["unit_slug"] == slug)
                  & (res["origin"] == "derived") & res["dti_value"].notna()]
        if len(der):
            v = float(der["dti_value"].iloc[0])
            base = {"value": v, "lo": v, "hi": v, "kind": "derived", "rank": None}
    if base is None and last63 is not None:
        mb = [_carried_base(res, m, 63, last63)[0] for m in members]
        got = [b for b in mb if b is not None and not np.isnan(b["value"])]
        if len(members) == 1 and got:        # not merged: its own base of the 63-list, as it is
            return {**got[0], "published_rank": None}, _base_se(got[0], ise), ""
        if got:
            base = {"value": float(np.mean([b["value"] for b in got])),
                    "lo": float(np.mean([b["lo"] for b in got])), "hi": float(np.mean([b["hi"] for b in got])),
                    "kind": "members", "rank": None}
            if len(got) < len(members):
                kind_note = f"{len(got)}/{len(members)}"
            return base, float(np.sqrt(sum(_base_se(b, ise) ** 2 for b in got))) / len(got), kind_note
    if base is None:
        base = {"value": np.nan, "lo": 0.0, "hi": 1.0, "kind": "none", "rank": None}
    return base, _base_se(base, ise), kind_note


def _own_34(pc: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """``own`` of a 34-list province: its members' own published yearly changes (63-list) pooled."""
    own = pc[pc["unit_slug"].isin(members) & (pc["era"] == 63)]
    g, se = _mean_se(own["change"])
    span = ", ".join(sorted({f"{a}→{b}" for a, b in zip(own["year_from"], own["year_to"], strict=True)}))
    return pd.DataFrame([{"scenario": "own", "growth": g, "se": se, "n": len(own), "years": span,
                          "basis": (Note.of("outlook.basis.own_34", span=span) if len(own)
                                    else Note.of("outlook.basis.own_none"))}])


def outlook_34(results: pd.DataFrame | None = None, year: int = 2025, *, national: pd.DataFrame | None | bool = None,
               provinces: pd.DataFrame | None = None) -> pd.DataFrame:
    """The expected *year* value and rank range of each of the 34 provinces, under each scenario.

    Base (the latest year of the 34-list, 2024): the province's published value; else its derived value
    (the merged-province rule: the unweighted mean of its members); else the value at its published
    34-list rank, interpolated; else the **mean of its members'** values in the latest 63-list (each
    published, or the value at the member's latest published rank carried into that list).  Scenarios:
    those of :func:`growth_scenarios` at that year, and ``own`` = the members' own published yearly
    changes pooled.  The rank range of a scenario compares the 34 bands: best = 1 + the provinces whose
    band is surely above, worst = 1 + those possibly above (for ``own``, provinces without a published
    history of their own are taken under the ``paired`` general rise).

    One row per province and scenario: ``slug, province, members, base_year, base, base_lo, base_hi,
    base_kind, published_rank, scenario, growth, se, estimate, lo, hi, rank_lo, rank_hi``.
    """
    res = _checked(results)
    national = national_of(results, national)
    prov = provinces_of(results, provinces)
    p34 = prov[prov["era"].astype(int) == 34]
    y34 = [y for y in _years(res, 34) if y < int(year)]
    y63 = [y for y in _years(res, 63) if y < int(year)]
    if not y34 and not y63:
        raise ParameterError(f"no published ranking before {year}", column="year",
                             expected="a year after the first published ranking")
    last, ise, pos34, last63, pc, general = _context_34(res, y34, y63, national)
    rows = []
    for p in p34.itertuples(index=False):
        members = [m for m in str(p.members).split(";") if m]
        base, base_se, kind_note = _base_34(res, p.slug, members, pos34, last, last63, ise)
        scen = pd.concat([general, _own_34(pc, members)], ignore_index=True)
        proj = project(base, scen, int(year) - last, base_se=base_se)
        for s in proj.itertuples(index=False):
            rows.append({"slug": p.slug, "province": p.name_vi, "members": ";".join(members), "base_year": last,
                         "base": base["value"], "base_lo": base["lo"], "base_hi": base["hi"],
                         "base_kind": base["kind"] + (f" ({kind_note})" if kind_note else ""),
                         "published_rank": base.get("published_rank", base.get("rank")),
                         "scenario": s.scenario, "growth": s.growth, "se": s.se,
                         "estimate": s.estimate, "lo": s.lo, "hi": s.hi})
    out = _rank_ranges(pd.DataFrame(rows))
    out["published_rank"] = out["published_rank"].astype("Int64")
    return out


def _rank_ranges(out: pd.DataFrame) -> pd.DataFrame:
    """Add ``rank_lo``/``rank_hi`` to :func:`outlook_34`'s rows: the 34 bands compared under each scenario."""
    from .ranking import above

    out["rank_lo"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["rank_hi"] = pd.array([pd.NA] * len(out), dtype="Int64")
    band = {s: g.set_index("slug")[["lo", "hi"]] for s, g in out.groupby("scenario")}
    fallback = "paired" if band.get("paired") is not None and band["paired"]["lo"].notna().any() else "persistence"
    for sc, g in out.groupby("scenario"):
        # the others under the same scenario; for "own", those without a history of their own under the
        # general rise of the paired changes
        others_band = band[sc].copy()
        miss = others_band["lo"].isna()
        others_band.loc[miss] = band[fallback].loc[others_band.index[miss]].to_numpy()
        ok = others_band.dropna()
        for idx, r in g[g["estimate"].notna()].iterrows():
            o = ok.drop(index=r["slug"], errors="ignore")
            out.loc[idx, "rank_lo"] = 1 + int(above(o["lo"].to_numpy(float), r["hi"]).sum())
            out.loc[idx, "rank_hi"] = 1 + int(above(o["hi"].to_numpy(float), r["lo"]).sum())
    return out
