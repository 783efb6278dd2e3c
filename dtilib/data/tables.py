"""``dti build`` / ``make data``: ``data/raw/`` → ``data/processed/``, deterministic and atomic.

The tables are built in memory, validated (pandera, lazily), written into a temporary folder next to
the output folder and only then swapped in; any failure leaves the previous build untouched.  The same
raw files always give the same bytes (no timestamps, stable sort orders, fixed float formatting).

Tables (see docs/data.md):

* ``results.csv``   — DTI value and rank per (year, era, unit), published and derived rows
* ``indicators.csv`` — main-indicator and pillar-summary values/ranks in the same shape
* ``provinces.csv`` — the 63 and 34 units: era, slug, names, region, population, successor, members
* ``national.csv``  — national and average figures (long)
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from ..errors import DataError
from ..io import check_output_dir, mark_output_dir, read_table, recover_dir, swap_dir, write_csv
from . import paths, schemas
from .crosswalk import derive_merged, derive_unchanged
from .importer import sha256
from .names import index
from .ranks import add_rank_intervals
from .raw import known_indicators, tidy_indicators, tidy_national, tidy_results

TABLES = ("results.csv", "indicators.csv", "provinces.csv", "national.csv")
STAMP = "checked.json"  # written by build: the sha256 of each table as it passed load_table's check


def make_tables(raw_dir: str | Path = paths.RAW_DIR) -> dict[str, pd.DataFrame]:
    """All processed tables from *raw_dir* (validated; nothing written)."""
    raw_dir = Path(raw_dir)
    ix = index(raw_dir)
    known = {63: set(ix.p63.index), 34: set(ix.p34.index)}

    results = tidy_results(raw_dir=raw_dir)
    results = _with_derived(results)
    results = _public(add_rank_intervals(results), schemas.RESULTS_COLUMNS)
    schemas.validate(results, schemas.results_schema(known), "results.csv (built)")

    indicators = tidy_indicators(raw_dir=raw_dir)
    indicators = _with_derived(indicators)
    indicators = _public(add_rank_intervals(indicators), schemas.INDICATORS_COLUMNS)
    schemas.validate(indicators, schemas.indicators_schema(known, known_indicators()), "indicators.csv (built)")

    provinces = make_provinces(raw_dir)
    schemas.validate(provinces, schemas.provinces_schema(), "provinces.csv (built)")

    national = make_national(raw_dir)
    schemas.validate(national, schemas.national_schema(), "national.csv (built)")
    return {"results.csv": results, "indicators.csv": indicators, "provinces.csv": provinces,
            "national.csv": national}


def _with_derived(df: pd.DataFrame) -> pd.DataFrame:
    derived = pd.concat([derive_merged(df), derive_unchanged(df)], ignore_index=True)
    if derived.empty:
        return df
    return pd.concat([df, derived], ignore_index=True)


def _public(df: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    vcol = "dti" if "dti_value" in df.columns else "value"
    df = df.assign(**{f"{vcol}_low": df["_low"].round(8), f"{vcol}_high": df["_high"].round(8)})
    out = df[columns].copy()
    key = ["year", "era", "unit_slug"] + (["indicator"] if "indicator" in columns else []) + ["origin"]
    out["_era_order"] = -out["era"]          # era 63 before era 34 within a year
    out = out.sort_values(["year", "_era_order"] + key[2:], kind="stable").drop(columns="_era_order")
    for c in ("rank", "rank_low", "rank_high"):
        out[c] = out[c].astype("Int64")
    out["note"] = out["note"].fillna("")
    return out.reset_index(drop=True)


def make_provinces(raw_dir: str | Path = paths.RAW_DIR) -> pd.DataFrame:
    ix = index(raw_dir)
    p63, p34 = ix.p63, ix.p34
    rows = []
    for slug, r in p63.iterrows():
        rows.append({"era": 63, "slug": slug, "name_vi": r["name_vi"], "name_ascii": r["name_ascii"],
                     "name_official": r.get("name_official_gso", ""), "gso_code": r.get("gso_code_pre2025", ""),
                     "region": r["region"], "population": _int(r["population"]),
                     "population_year": r.get("population_year", ""), "population_kind": r.get("population_kind", ""),
                     "successor": ix.successor[slug], "members": slug, "n_members": 1})
    for slug, r in p34.iterrows():
        members = ix.members[slug]
        regions = list(dict.fromkeys(p63.at[m, "region"] for m in members))
        pop, year, kind = _int(r.get("population_scale_nq202", "")), "2025", "population scale in Resolution 202/2025/QH15"
        if pd.isna(pop) and len(members) == 1:
            m = p63.loc[members[0]]
            pop, year = _int(m["population"]), m.get("population_year", "")
            kind = f"unit not merged: population of {m['name_vi']} in provinces_63 ({m.get('population_kind', '')})"
        elif pd.isna(pop):
            year, kind = "", ""
        rows.append({"era": 34, "slug": slug, "name_vi": r["name_vi"], "name_ascii": r["name_ascii"],
                     "name_official": r.get("name_official", ""), "gso_code": r.get("gso_code_2025", ""),
                     "region": "; ".join(regions), "population": pop, "population_year": year,
                     "population_kind": kind, "successor": "", "members": ";".join(members),
                     "n_members": len(members)})
    out = pd.DataFrame(rows, columns=schemas.PROVINCES_COLUMNS)
    out["population"] = out["population"].astype("Int64")
    return out


def _int(text):
    t = str(text).strip()
    try:
        return int(float(t)) if t else pd.NA
    except ValueError:
        return pd.NA


def make_national(raw_dir: str | Path = paths.RAW_DIR) -> pd.DataFrame:
    nat = tidy_national(raw_dir)
    rows = []
    for (year, metric, value), g in nat.groupby(["year", "metric", "value"], sort=True):
        rows.append({"year": year, "metric": metric, "value": value, "kind": g["kind"].iloc[0],
                     "origin": "published",
                     "source": " | ".join(dict.fromkeys(s for src in g["source"] for s in src.split(" | "))),
                     "note": "; ".join(dict.fromkeys(n for n in g["note"] if n))})
    out = pd.DataFrame(rows)
    out["conflict"] = out.groupby(["year", "metric"])["value"].transform("nunique") > 1
    return out[schemas.NATIONAL_COLUMNS].reset_index(drop=True)


# --------------------------------------------------------------------------------------- build
def build(raw_dir: str | Path = paths.RAW_DIR, out_dir: str | Path = paths.PROCESSED_DIR) -> dict[str, Path]:
    """Build every processed table from *raw_dir* into *out_dir*, atomically (temp folder + swap).

    Returns table name → written path.  On any error the previous *out_dir* is left as it was.
    """
    raw_dir, out_dir = Path(raw_dir), Path(out_dir)
    legacy = TABLES if out_dir.resolve() == paths.PROCESSED_DIR.resolve() else ()  # built before the marker
    check_output_dir(out_dir, inputs=[raw_dir], own_names=legacy)
    if not raw_dir.is_dir():
        raise DataError("raw data folder not found", file=str(raw_dir), expected="a folder like data/raw")
    tables = make_tables(raw_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    try:
        for name, df in tables.items():
            write_csv(df, tmp / name, for_excel=False)  # data read by code, bytes kept as published
            (tmp / name).chmod(0o644)
        write_stamp(tmp)
        mark_output_dir(tmp)
        tmp.chmod(0o755)
        swap_dir(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {name: out_dir / name for name in tables}


# ------------------------------------------------------------------------ checked once, at build time
def checks_fingerprint() -> str:
    """sha256 of what :func:`load_table`'s check depends on: the library version, the check's code
    (every module of :mod:`dtilib.data`, and :mod:`dtilib.io` that reads the files), the shipped
    frameworks (the known indicators) and the province lists and aliases of the raw folder (the known
    units)."""
    from .. import __version__
    from .. import io as _io
    from ..frameworks import shipped

    h = hashlib.sha256(__version__.encode())
    code = sorted(Path(__file__).parent.glob("*.py")) + [Path(_io.__file__)]
    for f in (*code, *shipped().values(),
              *(paths.RAW_DIR / n for n in (paths.PROVINCES_63, paths.PROVINCES_34, paths.ALIASES))):
        h.update(f.name.encode() + b"\0" + (f.read_bytes() if f.is_file() else b"(missing)") + b"\0")
    return h.hexdigest()


def write_stamp(folder: Path) -> None:
    """Check every table of *folder* as :func:`load_table` reads it, then record each file's sha256 and
    the checks' fingerprint in ``checked.json`` (raises the check's error on a bad table)."""
    digests = {}
    for name in TABLES:
        if (folder / name).is_file():
            load_table(name, folder)
            digests[name] = sha256(folder / name)
    (folder / STAMP).write_text(json.dumps({"checks": checks_fingerprint(), "tables": digests}, indent=1) + "\n",
                                encoding="utf-8")


def checked_before(folder: str | Path) -> set[str]:
    """The tables of *folder* whose bytes are those ``dti build`` checked, under the same checks (an
    edited file, another library version, changed frameworks or province lists: not in the set)."""
    folder = Path(folder)
    try:
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        if stamp.get("checks") != checks_fingerprint():
            return set()
        return {n for n, d in stamp["tables"].items() if n in TABLES and sha256(folder / n) == d}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


# ------------------------------------------------------------------------------------ reading back
def load_table(name: str, processed_dir: str | Path = paths.PROCESSED_DIR, *, validate: bool = True) -> pd.DataFrame:
    """Read a processed table with its types (ranks as nullable integers) and check its schema."""
    recover_dir(processed_dir)
    path = Path(processed_dir) / name
    df = read_table(path)
    num = {"results.csv": ["year", "era", "dti_value", "rank", "rank_of", "dti_low", "dti_high", "rank_low",
                           "rank_high"],
           "indicators.csv": ["year", "era", "value", "rank", "rank_of", "value_low", "value_high", "rank_low",
                              "rank_high"],
           "provinces.csv": ["era", "population", "n_members"],
           "national.csv": ["year", "value"]}.get(name, [])
    for c in num:
        if c in df.columns:
            df[c] = pd.to_numeric(df[c].replace("", pd.NA), errors="coerce")
    for c in ("rank", "rank_of", "rank_low", "rank_high", "year", "era", "population", "n_members"):
        if c in df.columns:
            df[c] = df[c].astype("Int64")
    if "conflict" in df.columns:
        df["conflict"] = df["conflict"].map({"True": True, "False": False})
    if validate:
        ix = index()
        known = {63: set(ix.p63.index), 34: set(ix.p34.index)}
        schema = {"results.csv": lambda: schemas.results_schema(known),
                  "indicators.csv": lambda: schemas.indicators_schema(known, known_indicators()),
                  "provinces.csv": schemas.provinces_schema, "national.csv": schemas.national_schema}.get(name)
        if schema:
            schemas.validate(df, schema(), str(path))
    return df
