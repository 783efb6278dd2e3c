"""Read the raw tables (``dti_results.csv``, ``dti_pillars.csv``, national, seed tables) into tidy frames.

The readers are strict: every unparseable number, unknown name, out-of-range value, duplicate or
conflicting row is reported — all of a file's problems at once — in one :class:`DataError` naming
the file, the row (header = row 1) and the column.  Nothing is filled in: an empty cell stays missing.

Tidy frames keep two internal columns for reconciliation: ``_row`` (file row or rows, ``"12+13"``
when several source rows were merged) and ``_decimals`` (decimals of the printed value, used for
tolerances).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, DTIError
from ..io import read_table
from . import paths
from .names import NameIndex, index
from .schemas import VALUE_EXPECTED, problems_error

GROUP_RE = re.compile(r"^\s*group\s*=\s*(63|34)(\?)?")
LIST_POSITION_RE = re.compile(r"position in", re.IGNORECASE)
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
SEED_PATH_RE = re.compile(r"^(?:seed:)?(shared/seeds/\S+)$")


# ------------------------------------------------------------------------------------- frameworks
@functools.lru_cache(maxsize=64)
def framework_id(year: int) -> str:
    """Id of the provincial framework that scored *year*, from the framework files' ``years``."""
    from ..frameworks import framework_for_year

    fw = framework_for_year(int(year), level="province")
    return getattr(fw, "id", fw)


def known_indicators() -> set[str]:
    """Main-indicator and summary ids of every shipped provincial framework."""
    from ..frameworks import load_framework, shipped

    ids: set[str] = set()
    for fid in shipped():
        fw = load_framework(fid)
        if fw.level == "province":
            ids |= set(fw.main["id"]) | {s["id"] for s in fw.summaries}
    return ids


# ----------------------------------------------------------------------------------------- parsing
class Problems:
    """Collects ``{row, column, problem, expected}`` for one file and raises them together."""

    def __init__(self, file: str):
        self.file = file
        self.items: list[dict] = []

    def add(self, row, column, problem, expected):
        self.items.append({"row": row, "column": column, "problem": problem, "expected": expected})

    def raise_if_any(self):
        if self.items:
            raise problems_error(self.items, self.file)


def decimals(text: str) -> int | None:
    text = str(text).strip()
    if not text:
        return None
    return len(text.split(".", 1)[1]) if "." in text else 0


def parse_number(text, row, column, probs: Problems, *, integer=False, expected="a number"):
    t = "" if text is None else str(text).strip()
    if t == "":
        return np.nan
    if not NUMBER_RE.match(t) or (integer and "." in t):
        hint = "; use a decimal point, not a comma" if "," in t else ""
        probs.add(row, column, f"'{t}' is not {'an integer' if integer else 'a number'}{hint}", expected)
        return np.nan
    return int(t) if integer else float(t)


def era_of(year: int, note: str) -> tuple[int | None, bool, str | None]:
    """(era, inferred, problem) of a published row of *year* with *note*.

    Before 2024 the list is the 63 provinces; from 2025 the 34.  For 2024 the note says which list:
    ``group=63`` or ``group=34``; ``group=34?`` (source did not say) and rows without a group are
    assigned to the 34 list and marked ``list_inferred`` (see docs/data.md).
    """
    m = GROUP_RE.match(note or "")
    if year < 2024:
        if m and m.group(1) == "34":
            return None, False, f"year {year} row says group=34, but the 34-province list starts with DTI 2024"
        return 63, False, None
    if year > 2024:
        if m and m.group(1) == "63":
            return None, False, f"year {year} row says group=63, but after 2024 only the 34-province list exists"
        return 34, False, None
    if m and not m.group(2):
        return int(m.group(1)), False, None
    return 34, True, None


def evidence_of(note: str, inferred: bool) -> str:
    ev = "list_position" if LIST_POSITION_RE.search(note or "") else "printed"
    return ev + "+list_inferred" if inferred else ev


def source_of(text: str) -> str:
    t = str(text).strip()
    m = SEED_PATH_RE.match(t)
    return f"seed:{m.group(1)}" if m else t


def rank_of_era(ix: NameIndex, era: int) -> int:
    return len(ix.p63) if era == 63 else len(ix.p34)


# -------------------------------------------------------------------------------------- DTI tables
def tidy_results(path: str | Path | None = None, *, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """``dti_results.csv`` (raw format) → tidy rows ``year, era, unit, unit_slug, dti_value, rank, …``."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    path = Path(path) if path is not None else raw_dir / paths.RESULTS
    df = read_table(path, required=["year", "province", "rank", "dti_value", "source_url", "note"])
    return _tidy(df, str(path), index(raw_dir), value_col="dti_value", indicator_col=None)


def tidy_indicators(path: str | Path | None = None, *, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """``dti_pillars.csv`` (raw format) → tidy rows ``year, era, unit, unit_slug, indicator, value, rank, …``."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    path = Path(path) if path is not None else raw_dir / paths.PILLARS
    df = read_table(path, required=["year", "province", "pillar", "value", "rank", "source_url", "note"])
    return _tidy(df, str(path), index(raw_dir), value_col="value", indicator_col="pillar")


def _tidy(df: pd.DataFrame, file: str, ix: NameIndex, *, value_col: str, indicator_col: str | None):
    probs = Problems(file)
    known_ind = None
    if indicator_col:
        try:
            known_ind = known_indicators()
        except DTIError:
            known_ind = None
    rows = []
    for i, r in df.iterrows():
        row = int(i) + 2
        year = parse_number(r["year"], row, "year", probs, integer=True, expected="a year such as 2022")
        note = str(r["note"]).strip()
        rec = {"_row": str(row), "note": note}
        if pd.isna(year):
            continue
        year = int(year)
        if not 2020 <= year <= 2099:
            probs.add(row, "year", f"year {year} is outside the DTI years", "a year from 2020 (first DTI) on")
            continue
        era, inferred, problem = era_of(year, note)
        if problem:
            probs.add(row, "note", problem, "group=63 / group=34 only for DTI 2024")
            continue
        try:
            slug = ix.canonical(r["province"], era, file=file, row=row, column="province")
        except DataError as exc:
            probs.add(row, "province", exc.detail, exc.expected)
            continue
        try:
            fw = framework_id(year)
        except DTIError as exc:
            probs.add(row, "year", f"no framework for year {year}: {exc.detail}",
                      "a year covered by a provincial framework file")
            continue
        value = parse_number(r[value_col], row, value_col, probs, expected=VALUE_EXPECTED)
        if not pd.isna(value) and not 0 <= value <= 1:
            probs.add(row, value_col, f"value {r[value_col].strip()} is outside 0..1", VALUE_EXPECTED)
        rank = parse_number(r["rank"], row, "rank", probs, integer=True, expected="a whole rank such as 15")
        rank_of = rank_of_era(ix, era)
        if not pd.isna(rank) and not 1 <= rank <= rank_of:
            probs.add(row, "rank", f"rank {int(rank)} is outside 1..{rank_of}", f"a rank in the {era}-province list")
        source = source_of(r["source_url"])
        if not source:
            probs.add(row, "source_url", "empty source", "the URL (or seed:…) where the figure was read")
        rec.update(year=year, era=era, unit=ix.display_name(slug, era), unit_slug=slug, framework=fw,
                   origin="published", source=source, evidence=evidence_of(note, inferred),
                   rank=rank, rank_of=rank_of, _decimals=decimals(r[value_col]))
        rec["value"] = value
        if indicator_col:
            ind = str(r[indicator_col]).strip()
            if known_ind is not None and ind not in known_ind:
                from ..errors import suggest

                probs.add(row, indicator_col, f"unknown indicator '{ind}'{suggest(ind, known_ind)}",
                          "a main-indicator or pillar id of a provincial framework")
            rec["indicator"] = ind
        rows.append(rec)
    probs.raise_if_any()
    out = pd.DataFrame(rows)
    key = ["year", "era", "unit_slug"] + (["indicator"] if indicator_col else [])
    out = merge_sources(out, key, file, label="year, province" + (f", {indicator_col}" if indicator_col else ""))
    out["rank"] = pd.array([pd.NA if pd.isna(x) else int(x) for x in out["rank"]], dtype="Int64")
    out["year"] = out["year"].astype(int)
    out["era"] = out["era"].astype(int)
    out["rank_of"] = out["rank_of"].astype(int)
    out["value"] = pd.to_numeric(out["value"]).astype(float)
    out["_decimals"] = pd.to_numeric(out["_decimals"]).astype(float)
    value_name = "value" if indicator_col else "dti_value"
    out = out.rename(columns={"value": value_name})
    cols = ["year", "era", "unit", "unit_slug"] + (["indicator"] if indicator_col else []) + [
        value_name, "rank", "rank_of", "framework", "origin", "source", "evidence", "note", "_row", "_decimals"]
    return out[cols].sort_values(key, kind="stable").reset_index(drop=True)


def merge_sources(df: pd.DataFrame, key: list[str], file: str, label: str | None = None) -> pd.DataFrame:
    """One row per *key*: rows from different sources that agree are merged (value from one, rank from
    another, sources joined with `` | ``); the same key twice from one source is a duplicate row, and
    different values or ranks for one key are a conflict — both are reported as a DataError."""
    probs = Problems(file)
    merged = []
    for _, g in df.groupby(key, sort=False, dropna=False):
        if len(g) == 1:
            merged.append(g.iloc[0].to_dict())
            continue
        rows = "+".join(g["_row"])
        dup_src = g["source"].duplicated(keep=False)
        if dup_src.any():
            first = g[dup_src]
            probs.add(int(first["_row"].iloc[1]), label or ", ".join(key),
                      f"duplicate row: rows {' and '.join(first['_row'])} give the same key "
                      f"({', '.join(str(g.iloc[0][k]) for k in key)}) from the same source",
                      "each figure once per source")
            continue
        rec = g.iloc[0].to_dict()
        for col in ("value", "rank"):
            vals = g[col].dropna().unique()
            if len(vals) > 1:
                probs.add(int(g["_row"].iloc[1]), col,
                          f"conflicting {col}s {', '.join(map(str, vals))} for the same key in rows {rows}",
                          "sources that agree (record a real conflict in the note and keep one figure)")
            rec[col] = vals[0] if len(vals) else np.nan
        with_value = g[g["value"].notna()]
        rec["_decimals"] = with_value["_decimals"].iloc[0] if len(with_value) else None
        rec["source"] = " | ".join(dict.fromkeys(s for src in g["source"] for s in src.split(" | ")))
        rec["note"] = "; ".join(dict.fromkeys(n for n in g["note"] if n))
        evs = list(g["evidence"])
        base = "printed" if any(e.startswith("printed") for e in evs) else "list_position"
        rec["evidence"] = base + ("+list_inferred" if any("list_inferred" in e for e in evs) else "")
        rec["_row"] = rows
        merged.append(rec)
    probs.raise_if_any()
    return pd.DataFrame(merged, columns=df.columns)


# ------------------------------------------------------------------------------------------ national
NATIONAL_WIDE = {"national_dti": "national", "provincial_avg_dti": "provincial_avg",
                 "ministry_dvc_avg": "ministry_dvc_avg", "ministry_nondvc_avg": "ministry_nondvc_avg"}


def tidy_national(raw_dir: str | Path | None = None, path: str | Path | None = None) -> pd.DataFrame:
    """``dti_national_long.csv`` → ``year, metric, value, kind, source, note, _row, _decimals``."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    path = Path(path) if path is not None else raw_dir / paths.NATIONAL_LONG
    df = read_table(path, required=["year", "metric", "value", "source_url", "note"])
    probs = Problems(str(path))
    rows = []
    for i, r in df.iterrows():
        row = int(i) + 2
        year = parse_number(r["year"], row, "year", probs, integer=True, expected="a year")
        value = parse_number(r["value"], row, "value", probs)
        note = str(r["note"]).strip()
        kind = "count" if re.search(r"\bcount\b", note) else "value"
        if kind == "value" and not pd.isna(value) and not 0 <= value <= 1:
            probs.add(row, "value", f"value {r['value']} is outside 0..1", VALUE_EXPECTED + " (or 'count' in the note)")
        if not re.match(r"^[A-Za-z0-9_.]+$", str(r["metric"])):
            probs.add(row, "metric", f"metric '{r['metric']}' is not an id", "letters, digits, '_' and '.'")
        rows.append({"year": year, "metric": str(r["metric"]).strip(), "value": value, "kind": kind,
                     "source": source_of(r["source_url"]), "note": note, "_row": str(row),
                     "_decimals": decimals(r["value"])})
    probs.raise_if_any()
    out = pd.DataFrame(rows)
    out["year"] = out["year"].astype(int)
    return out


def tidy_national_wide(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """``dti_national.csv`` (one row per year) in the long shape of :func:`tidy_national`."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    path = raw_dir / paths.NATIONAL
    df = read_table(path, required=["year", "source_url", "note"] + list(NATIONAL_WIDE))
    probs = Problems(str(path))
    rows = []
    for i, r in df.iterrows():
        row = int(i) + 2
        year = parse_number(r["year"], row, "year", probs, integer=True, expected="a year")
        for col, metric in NATIONAL_WIDE.items():
            v = parse_number(r[col], row, col, probs)
            if not pd.isna(v):
                rows.append({"year": year, "metric": metric, "value": v, "source": source_of(r["source_url"]),
                             "_row": str(row), "_column": col, "_decimals": decimals(r[col])})
    probs.raise_if_any()
    return pd.DataFrame(rows)


# -------------------------------------------------------------------------------------- seed tables
def read_seed_groups(raw_dir: str | Path | None = None, path: str | Path | None = None) -> pd.DataFrame:
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    path = Path(path) if path is not None else raw_dir / paths.SEED_GROUPS
    df = read_table(path, required=["year", "unit", "group", "scored", "max_points", "achieved", "n_sub_indicators",
                                    "n_at_max", "n_at_zero", "n_partial", "source"])
    probs = Problems(str(path))
    out = df.copy()
    out["_row"] = [str(i + 2) for i in range(len(df))]
    for col in ("max_points", "achieved"):
        out[col] = [parse_number(v, i + 2, col, probs) for i, v in enumerate(df[col])]
    out["_decimals"] = [decimals(v) for v in df["achieved"]]
    for col in ("year", "n_sub_indicators", "n_at_max", "n_at_zero", "n_partial"):
        out[col] = pd.array([parse_number(v, i + 2, col, probs, integer=True) for i, v in enumerate(df[col])],
                            dtype="Int64")
    probs.raise_if_any()
    return out


def read_seed_stated(raw_dir: str | Path | None = None, path: str | Path | None = None) -> pd.DataFrame:
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    path = Path(path) if path is not None else raw_dir / paths.SEED_STATED
    df = read_table(path, required=["year", "unit", "item", "group", "printed", "value", "source", "quote"])
    probs = Problems(str(path))
    out = df.copy()
    out["_row"] = [str(i + 2) for i in range(len(df))]
    out["value"] = [parse_number(v, i + 2, "value", probs) for i, v in enumerate(df["value"])]
    out["year"] = [parse_number(v, i + 2, "year", probs, integer=True) for i, v in enumerate(df["year"])]
    # decimals of the figure as printed (decimal comma or point)
    out["_decimals"] = [decimals(str(p).replace(",", ".").replace(" ", "")) for p in df["printed"]]
    probs.raise_if_any()
    return out
