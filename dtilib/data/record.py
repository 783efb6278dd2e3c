"""The published record as one object: :class:`Record`, loaded once and passed along.

A :class:`Record` holds the processed tables (``results``, ``indicators``, ``provinces``, ``national``)
with the file each came from.  It is read in one place — :meth:`Record.load` (``data/processed/``,
checked by the pandera schemas of :mod:`dtilib.data.schemas`; the raw layer built in memory when the
folder has not been built yet) — and :func:`load_record` keeps the last records read, so a report
that checks its parameters and then runs its analysis reads the files once.  Analysis, effort and
reporting functions take a ``Record`` (or the plain DataFrames) and never open files themselves.

An analyst's own results file goes through the same check: :func:`read_results` validates it with
the *lenient* schema (:func:`dtilib.data.schemas.own_results_schema`: the columns the analysis needs,
values 0..1, ranks within the list; any list size and any unit names, so a district or a synthetic
table works) and reports every problem in one :class:`~dtilib.errors.DataError` naming file, row and
column.  :func:`load_results` is the one way to get a results table: from a Record, a folder, a file,
a DataFrame or (``None``) the shipped record.

>>> rec = load_record()
>>> sorted(rec.tables)
['indicators', 'national', 'provinces', 'results']
>>> rec.results.loc[(rec.results["year"] == 2022) & (rec.results["rank"] == 1), "unit"].item()
'Đà Nẵng'
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError, suggest
from ..io import files_stamp
from . import paths

TABLES = {"results": "results.csv", "indicators": "indicators.csv", "provinces": "provinces.csv",
          "national": "national.csv"}
RESULTS_REQUIRED = ["year", "era", "unit", "unit_slug", "dti_value", "rank", "rank_of", "framework", "origin"]
INDICATORS_REQUIRED = ["year", "era", "unit", "unit_slug", "indicator", "value", "rank", "rank_of", "framework",
                       "origin"]
ROUNDED_RE = re.compile(r"rounded to (\d) decimals?", re.IGNORECASE)


# ---------------------------------------------------------------------------------------- the record
@dataclass(eq=False)
class Record:
    """The processed tables of the published record and where each was read from.

    ``results`` and ``indicators`` are typed for the analysis (:func:`check_results`); ``provinces`` and
    ``national`` are as built (``national`` is the long table; :attr:`averages` the provincial average
    of each year that the analysis compares with).  ``sources`` maps a table name to the file it was
    read from (or to what built it).  Treat the tables as read-only: a Record is shared.
    """

    results: pd.DataFrame
    indicators: pd.DataFrame | None = None
    provinces: pd.DataFrame | None = None
    national: pd.DataFrame | None = None
    sources: dict[str, str] = field(default_factory=dict)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Table name → DataFrame, for the tables this record holds."""
        return {k: getattr(self, k) for k in TABLES if getattr(self, k) is not None}

    @functools.cached_property
    def averages(self) -> pd.DataFrame | None:
        """``year, provincial_avg, source, note``: the published provincial average of each year."""
        if self.national is None:
            return None
        return provincial_average(self.national, file=self.sources.get("national", "<national>"))

    def unit(self, unit: str) -> dict:
        """``{slug63, slug34, successor34, name}`` of the unit called *unit* (:func:`names.resolve_unit`)."""
        from .names import resolve_unit

        return resolve_unit(unit, self.results)

    def provenance(self) -> pd.DataFrame:
        """One row per table: ``table, file, rows, sha256`` (sha256 of the file read; empty if none)."""
        from .importer import sha256

        rows = []
        for name, df in self.tables.items():
            src = self.sources.get(name, "")
            p = Path(src)
            digest = sha256(p) if src and p.is_file() else ""
            rows.append({"table": name, "file": src, "rows": len(df), "sha256": digest})
        return pd.DataFrame(rows, columns=["table", "file", "rows", "sha256"])

    # ---------------------------------------------------------------------------------- loading
    @classmethod
    def load(cls, processed_dir: str | Path | None = None) -> Record:
        """Read *processed_dir* (default ``data/processed``; built by ``dti build``), every table checked
        by its pandera schema — once: a table whose bytes are those ``dti build`` checked (its
        ``checked.json``, under the same checks) is not checked again.  Without a built folder (the default one only), the raw layer is built in
        memory (:func:`dtilib.data.tables.make_tables`, the same checks)."""
        from .tables import load_table, make_tables

        d = Path(paths.PROCESSED_DIR if processed_dir is None else processed_dir)
        if not (d / TABLES["results"]).is_file():
            if processed_dir is not None:
                raise DataError("results.csv not found", file=str(d / TABLES["results"]),
                                expected="the processed tables: run `dti build` (or `make data`) first")
            tables = make_tables(paths.RAW_DIR)
            built = f"{paths.RAW_DIR} (built in memory)"
            return cls.from_frames(**{k: tables[f] for k, f in TABLES.items()}, sources=dict.fromkeys(TABLES, built))
        from .tables import checked_before

        frames, sources = {}, {}
        checked = checked_before(d)  # the tables `dti build` checked, bytes unchanged: not checked again
        for key, name in TABLES.items():
            if key == "results" or (d / name).is_file():
                frames[key] = load_table(name, d, validate=name not in checked)
                sources[key] = str(d / name)
        return cls.from_frames(**frames, sources=sources)

    @classmethod
    def from_frames(cls, results: pd.DataFrame, indicators: pd.DataFrame | None = None,
                    provinces: pd.DataFrame | None = None, national: pd.DataFrame | None = None,
                    sources: dict[str, str] | None = None) -> Record:
        """A Record of tables already in memory (typed for the analysis; not validated again)."""
        sources = dict(sources or {})
        return cls(check_results(results, file=sources.get("results", "<results>")),
                   None if indicators is None else check_indicators(indicators,
                                                                    file=sources.get("indicators", "<indicators>")),
                   None if provinces is None else _provinces(provinces), national, sources)


def _provinces(df: pd.DataFrame) -> pd.DataFrame:
    out = df.replace({"": np.nan})
    out["era"] = out["era"].astype(int)
    return out


@functools.lru_cache(maxsize=4)
def _cached(folder: str, stamp: tuple) -> Record:
    default = Path(paths.PROCESSED_DIR).resolve()
    return Record.load(None if Path(folder) == default else folder)


def load_record(processed_dir: str | Path | None = None) -> Record:
    """The record of *processed_dir* (default ``data/processed``), read once: a later call for the same
    folder with the same files returns the same :class:`Record` (a rebuilt folder is read again)."""
    if isinstance(processed_dir, Record):
        return processed_dir
    d = Path(paths.PROCESSED_DIR if processed_dir is None else processed_dir).resolve()
    return _cached(str(d), files_stamp(d, TABLES.values()))


# --------------------------------------------------------------------------------- one loader each
def load_results(source=None) -> pd.DataFrame:
    """The results table, typed for the analysis, from *source*: a :class:`Record`, a DataFrame (checked),
    a processed folder, an own results file (CSV/Excel, lenient schema: :func:`read_results`) or
    ``None`` (the shipped record, :func:`load_record`)."""
    return _load(source, "results")


def load_indicators(source=None) -> pd.DataFrame:
    """Main-indicator and pillar values (``indicators.csv``) from a Record, a folder, a file or ``None``."""
    return _load(source, "indicators")


def _load(source, table: str) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return (check_results if table == "results" else check_indicators)(source)
    if source is None or isinstance(source, Record) or Path(source).is_dir():
        return getattr(load_record(source), table).copy()
    return read_own(source, table)


def load_national(source=None) -> pd.DataFrame:
    """``year, provincial_avg, source, note`` — the published provincial average DTI of each year.

    Years without a published average are absent (never filled).  Where sources conflict (2020:
    0.3026 in most sources, 0.326 in one), the value most sources give is kept and the choice is
    written in ``note`` (:func:`provincial_average`).  *source*: a Record, a folder, a national table
    file (long ``year, metric, value`` or wide) or ``None``.
    """
    if isinstance(source, Record | type(None)) or Path(source).is_dir():
        return load_record(source).averages.copy()
    from ..io import read_table

    return provincial_average(read_table(source).replace({"": np.nan}), file=str(source))


def load_provinces(source=None) -> pd.DataFrame:
    """``era, slug, name_vi, region, population, successor, members, …`` for both eras."""
    if isinstance(source, Record | type(None)) or Path(source).is_dir():
        return load_record(source).provinces.copy()
    from ..io import check_columns, read_table

    df = read_table(source)
    check_columns(df, ["era", "slug", "name_vi", "region"], str(source))
    return _provinces(df)


def read_results(path: str | Path) -> pd.DataFrame:
    """An analyst's own results file, checked by the lenient schema (see the module docstring)."""
    return read_own(path, "results")


def read_own(path: str | Path, table: str = "results") -> pd.DataFrame:
    """Read an own ``results`` / ``indicators`` file and check it with the lenient schema: every problem
    in one :class:`DataError` naming file, row and column."""
    from ..io import read_table
    from . import schemas

    required = RESULTS_REQUIRED if table == "results" else INDICATORS_REQUIRED
    df = read_table(path, required=required)
    df = df.replace({"": np.nan})
    rows = df.attrs.get("rows")
    checked = df.assign(_row=rows) if rows is not None and len(rows) == len(df) else df
    schemas.validate(checked, schemas.own_schema(table), str(path))
    return (check_results if table == "results" else check_indicators)(df, file=str(path))


# ------------------------------------------------------------------------------------------ checks
def _check(df: pd.DataFrame, required: list[str], file: str, value_col: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ParameterError(f"expected a DataFrame, got {type(df).__name__}",
                             expected="the results table (see dtilib.load_record)")
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
    """Type a results table (``year, era, unit, unit_slug, dti_value, rank, rank_of, …``) for the analysis."""
    return _check(df, RESULTS_REQUIRED, file, "dti_value")


def check_indicators(df: pd.DataFrame, file: str = "<indicators>") -> pd.DataFrame:
    """Type a main-indicator table (``year, era, unit, unit_slug, indicator, value, …``) for the analysis."""
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
