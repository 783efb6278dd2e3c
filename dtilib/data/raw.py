"""Read the raw tables (``dti_results.csv``, ``dti_pillars.csv``, national, seed tables) into tidy frames.

The readers are strict: every unparseable number, unknown name, out-of-range value, duplicate or
conflicting row is reported — all of a file's problems at once — in one :class:`DataError` naming
the file, the row (header = row 1) and the column.  Nothing is filled in: an empty cell stays missing.

Tidy frames keep internal columns for reconciliation: ``_row`` (file row or rows, ``"12+13"``
when several source rows were merged), ``_decimals`` (decimals of the printed value) and ``_low`` /
``_high`` / ``_kind``: the interval the printed figure stands for (:mod:`dtilib.data.bounds`: a
four-decimal value ±half a unit, a two-decimal value rounded or truncated, a stated range ``a–b``).

Sources: a URL (several joined with `` | ``), ``doc:<id>`` of ``public_documents.csv``, or a seed
text's path, which is replaced by the public document it is a copy of (title, issuing body, number,
date, address when known) — no local path reaches the processed tables.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError, DTIError
from ..io import read_table
from . import bounds, paths
from .names import NameIndex, index
from .schemas import VALUE_EXPECTED, problems_error

GROUP_RE = re.compile(r"^\s*group\s*=\s*(63|34)(\?)?")
LIST_POSITION_RE = re.compile(r"position in", re.IGNORECASE)
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
SEED_PATH_RE = re.compile(r"^(?:seed:)?(?:\.\./)?(?:shared/)?seeds/(?P<file>[^/\s]+)$")
DOC_RE = re.compile(r"^doc:(?P<id>[a-z0-9][a-z0-9-]*)$")
URL_RE = re.compile(r"^https?://\S+$")


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
    if bounds.is_range(t):
        probs.add(row, column, f"'{t}' is a range, but {column} must be one exact figure", expected)
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


def parse_value(text, row, column, probs: Problems, *, expected=VALUE_EXPECTED) -> bounds.Printed:
    """A value cell: a number (its printed interval) or a stated range ``a–b`` / ``a-b``."""
    t = "" if text is None else str(text).strip()
    nan = float("nan")
    if t == "":
        return bounds.Printed(nan, nan, nan, None, "exact")
    if NUMBER_RE.match(t) or bounds.is_range(t):
        try:
            return bounds.read(t)
        except ValueError as exc:
            probs.add(row, column, str(exc), "a range 'low–high' with low ≤ high")
            return bounds.Printed(nan, nan, nan, None, "exact")
    hint = "; use a decimal point, not a comma" if "," in t else ""
    probs.add(row, column, f"'{t}' is not a number or a range{hint}", expected + "; or a stated range 'low–high'")
    return bounds.Printed(nan, nan, nan, None, "exact")


@functools.lru_cache(maxsize=8)
def documents(raw_dir: str | Path | None = None) -> dict[str, dict]:
    """``public_documents.csv``: id → record, also keyed by the seed file name it was copied to."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    path = raw_dir / paths.DOCUMENTS
    if not path.exists():
        return {}
    df = read_table(path, required=["id", "seed_file", "issuer", "title", "number", "date", "url"])
    out: dict[str, dict] = {}
    for r in df.to_dict("records"):
        r["citation"] = citation(r)
        out[f"doc:{r['id']}"] = r
        if str(r.get("seed_file", "")).strip():
            out[f"seed:{r['seed_file'].strip()}"] = r
    return out


def citation(doc: dict) -> str:
    """``issuer, «title», number, date[, url]`` — how a public document is named in the tables."""
    parts = [doc.get("issuer", ""), f"«{doc.get('title', '')}»", doc.get("number", ""), doc.get("date", ""),
             doc.get("url", "")]
    return ", ".join(str(p).strip() for p in parts if str(p).strip())


def source_of(text: str, raw_dir: str | Path | None = None) -> str:
    """The public source of a cell: URLs as they are, ``doc:<id>`` and seed paths as the document's citation.

    Raises :class:`ValueError` for anything else (a local path, an unknown document id…).
    """
    t = str(text).strip()
    if not t:
        return t
    docs = documents(str(raw_dir) if raw_dir is not None else None)
    out = []
    for part in (p.strip() for p in t.split(" | ")):
        m = SEED_PATH_RE.match(part)
        d = DOC_RE.match(part)
        if URL_RE.match(part):
            out.append(part)
        elif m and f"seed:{m.group('file')}" in docs:
            out.append(docs[f"seed:{m.group('file')}"]["citation"])
        elif d and part in docs:
            out.append(docs[part]["citation"])
        elif m or d:
            raise ValueError(f"'{part}' is not in {paths.DOCUMENTS}")
        else:
            raise ValueError(f"unknown source '{part}'")
    return " | ".join(out)


SEED_IN_TEXT_RE = re.compile(r"(?:seed:)?(?:\.\./)?(?:shared/)?seeds/(?P<file>[0-9A-Za-z_.-]+\.txt)")


def public_text(text: str, raw_dir: str | Path | None = None) -> str:
    """*text* (a note) with every seed-text path replaced by the public document it is a copy of."""
    docs = documents(str(raw_dir) if raw_dir is not None else None)

    def repl(m):
        doc = docs.get(f"seed:{m.group('file')}")
        return doc["citation"] if doc else "an unnamed planning document"
    return SEED_IN_TEXT_RE.sub(repl, str(text))


def checked_source(text, row, column, probs: Problems, raw_dir=None) -> str:
    try:
        return source_of(text, raw_dir)
    except ValueError as exc:
        probs.add(row, column, str(exc), f"an http(s) URL or doc:<id> of {paths.DOCUMENTS}")
        return str(text).strip()


def rank_of_era(ix: NameIndex, era: int) -> int:
    return len(ix.p63) if era == 63 else len(ix.p34)


# -------------------------------------------------------------------------------------- DTI tables
def tidy_results(path: str | Path | None = None, *, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """``dti_results.csv`` (raw format) → tidy rows ``year, era, unit, unit_slug, dti_value, rank, …``."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    default = path is None
    path = Path(path) if path is not None else raw_dir / paths.RESULTS
    cols = ["year", "province", "rank", "dti_value", "source_url", "note"]
    return _tidy_with_record(path, raw_dir / paths.RECORD_RESULTS if default else None, cols, raw_dir,
                             value_col="dti_value", indicator_col=None)


def tidy_indicators(path: str | Path | None = None, *, raw_dir: str | Path | None = None) -> pd.DataFrame:
    """``dti_pillars.csv`` (raw format) → tidy rows ``year, era, unit, unit_slug, indicator, value, rank, …``."""
    raw_dir = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
    default = path is None
    path = Path(path) if path is not None else raw_dir / paths.PILLARS
    cols = ["year", "province", "pillar", "value", "rank", "source_url", "note"]
    return _tidy_with_record(path, raw_dir / paths.RECORD_PILLARS if default else None, cols, raw_dir,
                             value_col="value", indicator_col="pillar")


def _tidy_with_record(path: Path, record: Path | None, cols: list[str], raw_dir: Path, **kw) -> pd.DataFrame:
    """The tidy rows of *path*, plus those of the project's own *record* file when it exists (merged:
    agreeing figures from different sources become one row; a real conflict is an error)."""
    ix = index(raw_dir)
    out = _tidy(read_table(path, required=cols), str(path), ix, raw_dir=raw_dir, **kw)
    if record is None or not record.exists():
        return out
    extra = _tidy(read_table(record, required=cols), str(record), ix, raw_dir=raw_dir, **kw)
    extra["_row"] = [f"{record.name}:{r}" for r in extra["_row"]]
    key = ["year", "era", "unit_slug"] + (["indicator"] if kw.get("indicator_col") else [])
    both = pd.concat([out, extra], ignore_index=True).rename(columns={"dti_value": "value"})
    merged = merge_sources(both, key, f"{path} + {record}", label=", ".join(key))
    return _typed(merged, key, kw["value_col"], bool(kw.get("indicator_col")))


def _tidy(df: pd.DataFrame, file: str, ix: NameIndex, *, value_col: str, indicator_col: str | None,
          raw_dir: Path | None = None):
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
        note = public_text(str(r["note"]).strip(), raw_dir)
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
        printed = parse_value(r[value_col], row, value_col, probs)
        value = printed.value
        if not pd.isna(printed.low) and not (0 <= printed.low and printed.high <= 1 + bounds.EPS
                                              or printed.kind != "range" and 0 <= value <= 1):
            probs.add(row, value_col, f"value {r[value_col].strip()} is outside 0..1", VALUE_EXPECTED)
        rank = parse_number(r["rank"], row, "rank", probs, integer=True, expected="a whole rank such as 15")
        rank_of = rank_of_era(ix, era)
        if not pd.isna(rank) and not 1 <= rank <= rank_of:
            probs.add(row, "rank", f"rank {int(rank)} is outside 1..{rank_of}", f"a rank in the {era}-province list")
        source = checked_source(r["source_url"], row, "source_url", probs, raw_dir)
        if not source:
            probs.add(row, "source_url", "empty source", "the URL (or seed:…) where the figure was read")
        rec.update(year=year, era=era, unit=ix.display_name(slug, era), unit_slug=slug, framework=fw,
                   origin="published", source=source, evidence=evidence_of(note, inferred),
                   rank=rank, rank_of=rank_of, _decimals=printed.decimals,
                   _low=min(max(printed.low, 0.0), 1.0), _high=min(max(printed.high, 0.0), 1.0),
                   _kind=printed.kind)          # a DTI value lies in 0..1 whatever its digits allow
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
    return _typed(out, key, value_col, bool(indicator_col))


def _typed(out: pd.DataFrame, key: list[str], value_col: str, has_indicator: bool) -> pd.DataFrame:
    indicator_col = has_indicator
    if "dti_value" in out.columns:
        out = out.rename(columns={"dti_value": "value"})
    out["rank"] = pd.array([pd.NA if pd.isna(x) else int(x) for x in out["rank"]], dtype="Int64")
    out["year"] = out["year"].astype(int)
    out["era"] = out["era"].astype(int)
    out["rank_of"] = out["rank_of"].astype(int)
    out["value"] = pd.to_numeric(out["value"]).astype(float)
    out["_decimals"] = pd.to_numeric(out["_decimals"]).astype(float)
    out["_low"] = pd.to_numeric(out["_low"]).astype(float)
    out["_high"] = pd.to_numeric(out["_high"]).astype(float)
    value_name = "value" if indicator_col else "dti_value"
    out = out.rename(columns={"value": value_name})
    cols = ["year", "era", "unit", "unit_slug"] + (["indicator"] if indicator_col else []) + [
        value_name, "rank", "rank_of", "framework", "origin", "source", "evidence", "note", "_row", "_decimals",
        "_low", "_high", "_kind"]
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
        # the same source twice in one file is a duplicate; the project's own record file may cite a
        # source the published file also cites (a figure of that source the compiler left out)
        file_tag = g["_row"].str.extract(r"^([^:]+):", expand=False).fillna("")
        dup_src = pd.Series(list(zip(g["source"], file_tag, strict=True)), index=g.index).duplicated(keep=False)
        if dup_src.any():
            first = g[dup_src]
            probs.add(_first_row(first["_row"].iloc[1]), label or ", ".join(key),
                      f"duplicate row: rows {' and '.join(first['_row'])} give the same key "
                      f"({', '.join(str(g.iloc[0][k]) for k in key)}) from the same source",
                      "each figure once per source")
            continue
        rec = g.iloc[0].to_dict()
        ranks = g["rank"].dropna().unique()
        if len(ranks) > 1:
            probs.add(_first_row(g["_row"].iloc[1]), "rank",
                      f"conflicting ranks {', '.join(map(str, ranks))} for the same key in rows {rows}",
                      "sources that agree (record a real conflict in the note and keep one figure)")
        rec["rank"] = ranks[0] if len(ranks) else np.nan
        # values agree when the intervals their printed digits allow meet ("0.54" and "0.5432" agree);
        # the most precise one is kept, with the intersection of the intervals
        with_value = g[g["value"].notna()].sort_values("_decimals", ascending=False, kind="stable")
        lows, highs = g["_low"].dropna(), g["_high"].dropna()
        if len(lows) and lows.max() > highs.min() + bounds.EPS:
            shown = ", ".join(str(v) for v in with_value["value"].unique()) or "stated ranges"
            probs.add(_first_row(g["_row"].iloc[1]), "value",
                      f"conflicting values {shown} for the same key in rows {rows}: their printed intervals "
                      "do not meet", "sources that agree (record a real conflict in the note and keep one figure)")
        rec["value"] = with_value["value"].iloc[0] if len(with_value) else np.nan
        rec["_decimals"] = with_value["_decimals"].iloc[0] if len(with_value) else g["_decimals"].max()
        rec["_low"], rec["_high"] = (lows.max(), highs.min()) if len(lows) else (np.nan, np.nan)
        rec["_kind"] = with_value["_kind"].iloc[0] if len(with_value) else g["_kind"].iloc[0]
        rec["source"] = " | ".join(dict.fromkeys(s for src in g["source"] for s in src.split(" | ")))
        rec["note"] = "; ".join(dict.fromkeys(n for n in g["note"] if n))
        evs = list(g["evidence"])
        base = "printed" if any(e.startswith("printed") for e in evs) else "list_position"
        rec["evidence"] = base + ("+list_inferred" if any("list_inferred" in e for e in evs) else "")
        rec["_row"] = rows
        merged.append(rec)
    probs.raise_if_any()
    return pd.DataFrame(merged, columns=df.columns)


def _first_row(label):
    """The first file row of a row label (``"12"``, ``"12+13"``, ``"record_results.csv:5"``)."""
    t = str(label).split("+")[0]
    return int(t) if t.isdigit() else t


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
        note = public_text(str(r["note"]).strip(), raw_dir)
        kind = "count" if re.search(r"\bcount\b", note) else "value"
        if kind == "value" and not pd.isna(value) and not 0 <= value <= 1:
            probs.add(row, "value", f"value {r['value']} is outside 0..1", VALUE_EXPECTED + " (or 'count' in the note)")
        if not re.match(r"^[A-Za-z0-9_.]+$", str(r["metric"])):
            probs.add(row, "metric", f"metric '{r['metric']}' is not an id", "letters, digits, '_' and '.'")
        rows.append({"year": year, "metric": str(r["metric"]).strip(), "value": value, "kind": kind,
                     "source": checked_source(r["source_url"], row, "source_url", probs, raw_dir),
                     "note": note, "_row": str(row),
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
                rows.append({"year": year, "metric": metric, "value": v,
                             "source": checked_source(r["source_url"], row, "source_url", probs, raw_dir),
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
