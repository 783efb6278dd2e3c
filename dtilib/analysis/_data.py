"""Where the analysis reads the published record from, and how it checks its inputs.

The analysis functions are pure: they take tidy DataFrames in the documented formats of
``data/processed/`` (see ``docs/data.md`` and ``docs/analysis.md``).  The loaders here only find
those tables: ``data/processed/*.csv`` when built (``dti build``), otherwise the same tidy shape read
straight from ``data/raw/`` with the data layer's readers, so the analysis works before a build.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, DTIError, ParameterError, suggest

RESULTS_REQUIRED = ["year", "era", "unit", "unit_slug", "dti_value", "rank", "rank_of", "framework", "origin"]
INDICATORS_REQUIRED = ["year", "era", "unit", "unit_slug", "indicator", "value", "rank", "rank_of", "framework",
                       "origin"]
ROUNDED_RE = re.compile(r"rounded to (\d) decimals?", re.IGNORECASE)


def _processed(name: str) -> Path:
    from ..data import paths

    return Path(paths.PROCESSED_DIR) / name


def _read_csv(path: Path) -> pd.DataFrame:
    from ..io import read_table

    df = read_table(path)
    return df.replace({"": np.nan})


def load_results(path: str | Path | None = None) -> pd.DataFrame:
    """The provincial results table (``results.csv``): processed file, else the raw layer tidied."""
    if path is None and _processed("results.csv").exists():
        path = _processed("results.csv")
    if path is not None:
        return check_results(_read_csv(Path(path)), file=str(path))
    from ..data.raw import tidy_results

    return check_results(tidy_results(), file="data/raw/dti_results.csv")


def load_indicators(path: str | Path | None = None) -> pd.DataFrame:
    """Main-indicator values (``indicators.csv``): processed file, else the raw layer tidied."""
    if path is None and _processed("indicators.csv").exists():
        path = _processed("indicators.csv")
    if path is not None:
        return check_indicators(_read_csv(Path(path)), file=str(path))
    from ..data.raw import tidy_indicators

    return check_indicators(tidy_indicators(), file="data/raw/dti_pillars.csv")


def load_national(path: str | Path | None = None) -> pd.DataFrame:
    """``year, provincial_avg, source`` — the published provincial average DTI of each year.

    Years without a published average are absent (never filled).  Where sources conflict (2020:
    0.3026 in most sources, 0.326 in one), rows marked as a conflict are dropped and the value most
    sources give is kept; the choice is written in ``note``.
    """
    if path is None and _processed("national.csv").exists():
        path = _processed("national.csv")
    if path is not None:
        df = _read_csv(Path(path))
    else:
        from ..data import paths

        raw = Path(paths.RAW_DIR)
        long = raw / paths.NATIONAL_LONG
        df = _read_csv(long if long.exists() else raw / paths.NATIONAL)
        path = long
    return provincial_average(df, file=str(path))


def load_provinces(path: str | Path | None = None) -> pd.DataFrame:
    """``era, slug, name_vi, region, population, successor, members`` for both eras."""
    if path is None and _processed("provinces.csv").exists():
        path = _processed("provinces.csv")
    if path is not None:
        df = _read_csv(Path(path))
        from ..io import check_columns

        check_columns(df, ["era", "slug", "name_vi", "region"], str(path))
        df["era"] = df["era"].astype(int)
        return df
    from ..data.names import index

    ix = index()
    p63 = ix.p63.reset_index(drop=True)
    rows63 = pd.DataFrame({"era": 63, "slug": p63["slug"], "name_vi": p63["name_vi"], "region": p63["region"],
                           "population": pd.to_numeric(p63["population"], errors="coerce"),
                           "successor": p63["slug"].map(ix.successor), "members": p63["slug"]})
    p34 = ix.p34.reset_index(drop=True)
    region34 = {s: ";".join(sorted({ix.p63.at[m, "region"] for m in mem})) for s, mem in ix.members.items()}
    rows34 = pd.DataFrame({"era": 34, "slug": p34["slug"], "name_vi": p34["name_vi"],
                           "region": p34["slug"].map(region34), "population": np.nan,
                           "successor": np.nan, "members": p34["member_slugs"]})
    return pd.concat([rows63, rows34], ignore_index=True)


# ------------------------------------------------------------------------------------------ checks
def _check(df: pd.DataFrame, required: list[str], file: str, value_col: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"expected a DataFrame, got {type(df).__name__}",
                             expected="the results table (see dtilib.analysis.load_results)")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"missing column(s) {', '.join(missing)}{suggest(missing[0], df.columns)}", file=file,
                        row=1, expected="columns " + ", ".join(required))
    out = df.copy()
    for col in ("year", "era", "rank_of"):
        out[col] = pd.to_numeric(out[col], errors="coerce")
        if out[col].isna().any():
            i = out.index[out[col].isna()][0]
            raise DataError(f"{col} {df.at[i, col]!r} is not a number", file=file, column=col,
                            row=int(i) + 2 if isinstance(i, int | np.integer) else None,
                            expected="a whole number")
        out[col] = out[col].astype(int)
    out["rank"] = pd.to_numeric(out["rank"], errors="coerce").astype("Int64")
    out[value_col] = pd.to_numeric(out[value_col], errors="coerce").astype(float)
    bad = out[value_col].notna() & ~out[value_col].between(0, 1)
    if bad.any():
        i = out.index[bad][0]
        raise DataError(f"{value_col} {out.at[i, value_col]} is outside 0..1", file=file, column=value_col,
                        expected="a DTI value between 0 and 1 (points / max)")
    for col in ("unit", "unit_slug", "framework", "origin"):
        out[col] = out[col].astype(str)
    for col in ("source", "evidence", "note"):
        if col not in out.columns:
            out[col] = ""
        out[col] = out[col].fillna("").astype(str)
    out["_halfwidth"] = _halfwidth(out)
    return out


def check_results(df: pd.DataFrame, file: str = "<results>") -> pd.DataFrame:
    """Validate and type a results table (``year, era, unit, unit_slug, dti_value, rank, rank_of, …``)."""
    return _check(df, RESULTS_REQUIRED, file, "dti_value")


def check_indicators(df: pd.DataFrame, file: str = "<indicators>") -> pd.DataFrame:
    """Validate and type a main-indicator table (``year, era, unit, unit_slug, indicator, value, …``)."""
    out = _check(df, INDICATORS_REQUIRED, file, "value")
    out["indicator"] = out["indicator"].astype(str)
    return out


def _halfwidth(df: pd.DataFrame) -> np.ndarray:
    """Half the rounding step of each printed value: 0.005 for a value printed as 0.54.

    From the data layer's ``_decimals`` when present, else from a note "rounded to N decimals";
    otherwise 0 (the value is taken as printed).
    """
    hw = np.zeros(len(df))
    if "_decimals" in df.columns:
        d = pd.to_numeric(df["_decimals"], errors="coerce").to_numpy(dtype=float)
        ok = ~np.isnan(d)
        hw[ok] = 0.5 * 10.0 ** (-d[ok])
    notes = df["note"].fillna("").astype(str).to_numpy() if "note" in df.columns else []
    for i, n in enumerate(notes):
        m = ROUNDED_RE.search(n)
        if m:
            hw[i] = max(hw[i], 0.5 * 10.0 ** (-int(m.group(1))))
    return hw


def provincial_average(df: pd.DataFrame, file: str = "<national>") -> pd.DataFrame:
    """``year, provincial_avg, source, note`` from a long (``year, metric, value``) or wide national table."""
    if "metric" in df.columns:
        d = df[df["metric"].astype(str).isin(["provincial_avg", "provincial_avg_dti"])].copy()
    elif "provincial_avg_dti" in df.columns:
        d = df.assign(metric="provincial_avg", value=df["provincial_avg_dti"])
    else:
        raise DataError("no provincial average in the national table", file=file, row=1,
                        expected="a 'metric' column with provincial_avg rows, or a 'provincial_avg_dti' column")
    d["value"] = pd.to_numeric(d["value"], errors="coerce")
    d = d.dropna(subset=["value"])
    d["year"] = pd.to_numeric(d["year"], errors="coerce").astype(int)
    src_col = "source" if "source" in d.columns else ("source_url" if "source_url" in d.columns else None)
    note = d["note"].fillna("").astype(str) if "note" in d.columns else pd.Series("", index=d.index)
    dissent = note.str.upper().str.startswith("CONFLICT")   # the row that disagrees with the others
    srcs = d[src_col].fillna("").astype(str) if src_col else pd.Series("", index=d.index)
    n_sources = srcs.str.count(r"https?://") + note.str.count(r"also:? ?https?://")
    rows = []
    for year, g in d.groupby("year"):
        keep = g[~dissent.loc[g.index]] if (~dissent.loc[g.index]).any() else g
        support = n_sources.loc[keep.index].clip(lower=1).groupby(keep["value"].round(6)).sum()
        value = float(support.sort_values(ascending=False, kind="stable").index[0])
        dropped = sorted(set(g["value"].round(6)) - {value})
        rows.append({"year": int(year), "provincial_avg": value,
                     "source": " | ".join(dict.fromkeys(srcs.loc[keep.index[keep["value"].round(6) == value]])),
                     "note": (f"other published value(s) {', '.join(f'{v:g}' for v in dropped)} not used "
                              "(conflicting source, fewer sources)") if dropped else ""})
    return pd.DataFrame(rows, columns=["year", "provincial_avg", "source", "note"])


# ----------------------------------------------------------------------------------------- names
def resolve_unit(results: pd.DataFrame, name: str) -> dict:
    """Find the unit called *name* in *results*: ``{slug63, slug34, name}`` (either slug may be None).

    Accepts any alias known to :func:`dtilib.data.names.canonical` (Vietnamese, English, ASCII,
    with/without "TP."/"Tỉnh"), and unit names or slugs present in *results* (so fixtures and
    district-level tables work too).  Unknown → :class:`ParameterError` with the closest names.
    """
    if name is None or str(name).strip() == "":
        raise ParameterError("no province given", column="province", expected="a province name such as 'Lai Châu'")
    name = str(name).strip()
    found: dict[int, str] = {}
    for era in (63, 34):
        sub = results[results["era"] == era]
        hit = sub[(sub["unit"] == name) | (sub["unit_slug"] == name)]
        if len(hit):
            found[era] = str(hit["unit_slug"].iloc[0])
    try:
        from ..data import names as _names

        ix = _names.index()
        for era in (63, 34):
            if era not in found:
                try:
                    found[era] = ix.canonical(name, era)
                except DTIError:
                    pass
        if 63 in found and 34 not in found and found[63] in ix.successor:
            found.setdefault("successor", ix.successor[found[63]])
        known = ix.names(63) + ix.names(34)
    except DTIError:  # no name tables: only the names in the results
        known = []
    known = list(dict.fromkeys(list(results["unit"].astype(str)) + known))
    if 63 not in found and 34 not in found:
        raise ParameterError(f"unknown province '{name}'{suggest(name, known)}", column="province",
                             expected="a province name or alias, e.g. 'Lai Châu' or 'Lai Chau'")
    return {"slug63": found.get(63), "slug34": found.get(34), "successor34": found.get("successor"),
            "name": name}


def display(slug: str, era: int, lang: str = "vi", results: pd.DataFrame | None = None) -> str:
    """Display name of a unit (the name tables, else the name in *results*, else the slug)."""
    try:
        from ..data.names import display_name

        return display_name(slug, era, "en" if lang == "en" else "vi")
    except DTIError:
        if results is not None:
            hit = results[(results["unit_slug"] == slug) & (results["era"] == era)]
            if len(hit):
                return str(hit["unit"].iloc[0])
        return slug


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
    who = resolve_unit(results, unit)
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
    row.update(year=year, era=era, unit=display(slug, era, "vi", results), unit_slug=slug,
               dti_value=np.nan if value is None else float(value), rank=pd.NA if rank is None else int(rank),
               rank_of=rank_of, framework=fw, origin="own", source="own figure (not published)",
               evidence="own")
    for c in ("rank_low", "rank_high"):
        if c in results.columns and rank is not None:
            row[c] = int(rank)
    out = pd.concat([results, pd.DataFrame([row]).astype({c: results[c].dtype for c in ("year", "era")})],
                    ignore_index=True)
    return check_results(out)
