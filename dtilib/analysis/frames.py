"""The analysis's view of the published record: the tables it is given, checked and typed.

The analysis functions are pure: they take a :class:`~dtilib.data.record.Record` or tidy DataFrames in
the documented formats of ``data/processed/`` (see ``docs/data.md`` and ``docs/analysis.md``) and never
open files themselves; the record is read once by :func:`dtilib.load_record` (:mod:`dtilib.data.record`,
also the home of the loaders and checks re-exported here).  ``results=None`` stands for the shipped
record (:func:`dtilib.load_record`, read once per process).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..data.names import resolve_unit, unit_name
from ..data.record import (
    Record,
    check_indicators,
    check_results,
    load_indicators,
    load_national,
    load_provinces,
    load_record,
    load_results,
    provincial_average,
)
from ..errors import DTIError, ParameterError

__all__ = ["Record", "check_indicators", "check_results", "load_indicators", "load_national", "load_provinces",
           "load_record", "load_results", "provincial_average", "resolve_unit", "unit_name", "results_of",
           "national_of", "provinces_of", "indicators_of", "year_frameworks", "framework_total_points",
           "add_own_figure"]


def results_of(results) -> pd.DataFrame:
    """The results table of *results* (a Record, a DataFrame, or None = the shipped record), checked."""
    if results is None or isinstance(results, Record):
        return load_record(results).results.copy()
    return check_results(results)


def indicators_of(indicators) -> pd.DataFrame:
    """The indicators table of *indicators* (a Record, a DataFrame, or None = the shipped record), checked."""
    if indicators is None or isinstance(indicators, Record):
        return load_record(indicators).indicators.copy()
    return check_indicators(indicators)


def national_of(results, national):
    """The provincial averages to use: *national* when given (a DataFrame, or False for none), else those
    of the record *results* stands for (the shipped record when *results* is a DataFrame or None); False
    when that record has no national table."""
    if national is not None:
        return national
    averages = load_record(results if isinstance(results, Record) else None).averages
    return False if averages is None else averages


def provinces_of(results, provinces):
    """The provinces table to use: *provinces* when given, else the record's."""
    if provinces is not None:
        return provinces
    return load_record(results if isinstance(results, Record) else None).provinces


def year_frameworks(results: pd.DataFrame) -> dict[int, str]:
    """year → framework id, from the ``framework`` column (the most frequent id of each year)."""
    out = {}
    for y, g in results.groupby("year"):
        out[int(y)] = str(g["framework"].mode().iloc[0])
    return out


def framework_total_points(framework_id: str) -> float | None:
    """``total_points`` of a framework id (None when unknown or the framework cannot be loaded)."""
    try:
        from ..frameworks import load_framework

        tp = load_framework(framework_id).total_points
        return None if tp is None else float(tp)
    except DTIError:
        return None


def add_own_figure(results: pd.DataFrame, unit: str, year: int, value: float | None = None,
                   rank: int | None = None, era: int | None = None) -> pd.DataFrame:
    """*results* with one more row: the analyst's own figure for *unit* in a *year* the record does not
    hold yet (``origin = "own"``, never mistaken for a published one).

    *era* defaults to 34 from 2025 (the 34-province list) and 63 before.  The figure is checked against
    the record's order for that year: a unit ranked better (a smaller rank) cannot hold a lower published
    value, one ranked worse cannot hold a higher one.  A contradiction, a year already in the record for
    this unit, a value outside 0..1 or a rank outside the list is a :class:`ParameterError`.
    """
    from ..i18n import fmt_number

    if value is None and rank is None:
        raise ParameterError("no own figure given", column="--own-value/--own-rank",
                             expected="a DTI value (0..1), a rank, or both")
    year = int(year)
    era = int(era) if era is not None else (34 if year >= 2025 else 63)
    who = resolve_unit(unit, results)
    slug = who["slug34"] if era == 34 else who["slug63"]
    if not slug:
        raise ParameterError(f"'{unit}' is not in the {era}-province list", column="--own-year",
                             expected="a year of the list the province belongs to (34 from 2025)")
    same = results[(results["year"] == year) & (results["era"] == era)]
    rank_of = int(same["rank_of"].iloc[0]) if len(same) else era
    if value is not None and not 0 <= float(value) <= 1:
        raise ParameterError(f"own value {value!r} is outside 0..1", column="--own-value", expected="a DTI value 0..1")
    if rank is not None and not 1 <= int(rank) <= rank_of:
        raise ParameterError(f"own rank {rank!r} is outside 1..{rank_of}", column="--own-rank",
                             expected=f"a rank between 1 and {rank_of} (the {era}-province list)")
    mine = same[(same["unit_slug"] == slug) & (same["dti_value"].notna() | same["rank"].notna())]
    if len(mine):
        r = mine.iloc[0]
        raise ParameterError(f"the record already has {who['name']} {year}: value "
                             f"{fmt_number(r['dti_value'], 'en')}, rank {r['rank'] if not pd.isna(r['rank']) else '—'}"
                             f" ({r['source']})", column="--own-year", expected="a year not yet in the record")
    if value is not None and rank is not None:
        others = same[(same["unit_slug"] != slug) & same["dti_value"].notna() & same["rank"].notna()]
        v, k = float(value), int(rank)
        above = others[(others["rank"] < k) & (others["dti_value"] < v)]
        below = others[(others["rank"] > k) & (others["dti_value"] > v)]
        for bad, word in ((above, "above"), (below, "below")):
            if len(bad):
                b = bad.sort_values("rank").iloc[0 if word == "above" else -1]
                raise ParameterError(
                    f"own figure {fmt_number(v, 'en')} at rank {k} contradicts the record's order for {year}: "
                    f"{b['unit']} is ranked {int(b['rank'])} with {fmt_number(b['dti_value'], 'en')}",
                    column="--own-value/--own-rank",
                    expected=f"a value {'at most' if word == 'above' else 'at least'} "
                             f"{fmt_number(b['dti_value'], 'en')} for rank {k}, or another rank")
    fw = (same["framework"].mode().iloc[0] if len(same) else
          results.sort_values("year")["framework"].dropna().iloc[-1])
    row = {c: pd.NA for c in results.columns}
    row.update(year=year, era=era, unit=unit_name(slug, era, "vi", results), unit_slug=slug,
               dti_value=np.nan if value is None else float(value), rank=pd.NA if rank is None else int(rank),
               rank_of=rank_of, framework=fw, origin="own", source="own figure (not published)",
               evidence="own")
    for c in ("rank_low", "rank_high"):
        if c in results.columns and rank is not None:
            row[c] = int(rank)
    out = pd.concat([results, pd.DataFrame([row]).astype({c: results[c].dtype for c in ("year", "era")})],
                    ignore_index=True)
    return check_results(out)
