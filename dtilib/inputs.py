"""A unit's sub-indicator data: read, check and parse (CSV or Excel, long format).

Columns: ``unit, indicator, input, value`` and optionally ``year`` (extra columns such as
``name_vi``, ``max_points``, ``responsible`` or ``note`` — as in the template — are kept but not
used).  One row per (unit, year, indicator, input).  Which inputs a sub-indicator takes follows from
its rule (see ``docs/frameworks.md``): ``value`` (binary, 1/0), ``level`` (tiered), ``count``
(count steps), the formula's input names or ``ratio`` (ratio rules), and the parts' inputs (additive).

Every problem is a :class:`~dtilib.errors.DataError` naming the file, the row and the column.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, suggest
from .i18n import fold
from .rules import FALSE_WORDS, TRUE_WORDS

REQUIRED = ["unit", "indicator", "input", "value"]
_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def input_kinds(framework) -> dict[tuple[str, str], tuple[str, dict]]:
    """(sub-indicator id, input name) → (kind, params) for every input the framework expects.

    kind is one of ``value``, ``level``, ``count``, ``ratio`` (a share 0..1) or ``amount`` (a raw
    count/amount used in a formula, ≥ 0).
    """
    return {(s.id, name): kind for s in framework.sub.itertuples(index=False)
            for name, kind in s.input_kinds.items()}


def read_unit_data(source, framework, *, file: str | None = None) -> pd.DataFrame:
    """Read and check unit data for *framework*; return a tidy frame with parsed values.

    *source* is a path (CSV/Excel) or a DataFrame.  The result has columns ``unit, [year,]
    indicator, input, value, num, level, _file, _row`` where ``num`` is the parsed number and
    ``level`` the tier key (tiered inputs).  Empty values stay missing (NaN): they are gaps, not zeros.
    """
    from .frameworks import load_framework
    from .io import check_columns, read_table

    fw = load_framework(framework)
    if isinstance(source, pd.DataFrame):
        df = source.astype(str).copy()
        fname = file or "<data frame>"
        check_columns(df, REQUIRED, fname)
    else:
        fname = file or str(source)
        df = read_table(Path(source), required=REQUIRED)
    df = df.reset_index(drop=True)
    df["_file"] = fname
    df["_row"] = np.arange(len(df)) + 2
    for col in ["unit", "indicator", "input"]:
        df[col] = df[col].astype(str).str.strip()
    sub_ids = set(fw.sub["id"])
    by_code = {str(c): sid for c, sid in zip(fw.sub["code"], fw.sub["id"], strict=True) if c is not None and c == c}
    df["indicator"] = [ind if ind in sub_ids else by_code.get(ind, ind) for ind in df["indicator"]]  # id or STT code
    blank = df[df["unit"].eq("") | df["indicator"].eq("")]
    if len(blank):
        r = blank.iloc[0]
        col = "unit" if r["unit"] == "" else "indicator"
        raise DataError("empty cell", file=fname, row=int(r["_row"]), column=col, expected="a value")
    if "year" in df.columns:
        bad = df[~df["year"].astype(str).str.fullmatch(r"\s*(19|20)\d\d\s*")]
        if len(bad):
            r = bad.iloc[0]
            raise DataError(f"year {r['year']!r} is not a year", file=fname, row=int(r["_row"]), column="year",
                            expected="a four-digit year such as 2023")
        df["year"] = df["year"].astype(int)
    keys = (["year"] if "year" in df.columns else []) + ["unit", "indicator", "input"]
    dup = df[df.duplicated(keys, keep=False)]
    if len(dup):
        first = dup.iloc[0]
        rows = dup[(dup[keys] == first[keys]).all(axis=1)]["_row"].tolist()
        raise DataError(
            f"duplicate row for unit '{first['unit']}', indicator '{first['indicator']}', input "
            f"'{first['input']}' (rows {', '.join(map(str, rows))})",
            file=fname, row=int(rows[1]), column="indicator", expected="one row per unit, year, indicator and input")

    kinds = input_kinds(fw)
    sub_ids = set(fw.sub["id"])
    num = np.full(len(df), np.nan)
    level = np.full(len(df), None, dtype=object)
    for i, (indicator, name, value, row) in enumerate(
            zip(df["indicator"], df["input"], df["value"], df["_row"], strict=True)):
        row = int(row)
        if indicator not in sub_ids:
            raise DataError(f"unknown indicator '{indicator}'{suggest(indicator, sub_ids)}", file=fname,
                            row=row, column="indicator", expected=f"a sub-indicator id of framework {fw.id}")
        key = (indicator, name)
        if key not in kinds:
            expected = sorted(n for s, n in kinds if s == indicator)
            raise DataError(
                f"unknown input '{name}' for indicator '{indicator}'"
                f"{suggest(name, expected)}", file=fname, row=row, column="input",
                expected="one of " + (", ".join(expected) or "(none: this sub-indicator's rule is unknown)"))
        kind, params = kinds[key]
        text = str(value).strip()
        if kind == "level":
            tiers = {str(k) for k in params.get("tiers", {})}
            if text in {"", "nan"} and text not in tiers:
                continue
            labels = {fold(str(v)).lower().strip(): str(k) for k, v in (params.get("labels") or {}).items()}
            text = text if text in tiers else labels.get(fold(text).lower().strip(), text)  # a tier's label
            if text not in tiers:
                raise DataError(f"level '{text}' is not a tier of '{indicator}'{suggest(text, tiers)}",
                                file=fname, row=row, column="value", expected="one of " + ", ".join(sorted(tiers)))
            level[i] = text
            continue
        if text in {"", "nan"}:
            continue
        if kind == "value":
            low = text.lower()
            if low in TRUE_WORDS:
                num[i] = 1.0
                continue
            if low in FALSE_WORDS:
                num[i] = 0.0
                continue
            raise DataError(f"'{text}' is not yes/no", file=fname, row=row, column="value",
                            expected="1 or 0 (yes/no, có/không)")
        num[i] = parse_number(text, fname, row, "value", kind)
    df["num"] = num
    df["level"] = level
    return df


def parse_number(text: str, file: str, row: int, column: str, kind: str = "amount") -> float:
    """Parse a plain number (``0.45``, ``12``); refuse comma decimals, percent signs and bad signs."""
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if t.endswith("%"):
        raise DataError(f"percent '{text}' given", file=file, row=row, column=column,
                        expected=f"a share as a plain number, e.g. {_pct_hint(t)} (not '{text}')")
    if re.fullmatch(r"[+-]?\d+,\d+", t):
        raise DataError(f"comma decimal '{text}'", file=file, row=row, column=column,
                        expected=f"a point as decimal separator, e.g. '{t.replace(',', '.')}'")
    if not _NUM_RE.match(t):
        raise DataError(f"'{text}' is not a number", file=file, row=row, column=column, expected="a number")
    v = float(t)
    if v < 0:
        raise DataError(f"negative value {text}", file=file, row=row, column=column,
                        expected="a count or amount ≥ 0")
    if kind == "count" and not v.is_integer():
        raise DataError(f"count {text} is not a whole number", file=file, row=row, column=column,
                        expected="a whole number ≥ 0")
    if kind == "ratio" and v > 1:
        hint = f" — if {text} is a percent, write {v / 100:g}" if v <= 100 else ""
        raise DataError(f"share {text} is above 1{hint}", file=file, row=row, column=column,
                        expected="a share between 0 and 1")
    return v


def _pct_hint(t: str) -> str:
    try:
        return f"{float(t[:-1].replace(',', '.')) / 100:g}"
    except ValueError:
        return "0.45"
