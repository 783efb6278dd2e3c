"""A unit's sub-indicator data: read, check and parse (CSV or Excel, long format).

Columns: ``unit, indicator, input, value`` and optionally ``year`` (extra columns such as
``name_vi``, ``max_points``, ``responsible`` or ``note`` — as in the template — are kept but not
used).  One row per (unit, year, indicator, input).  Which inputs a sub-indicator takes follows from
its rule (see ``docs/frameworks.md``): ``value`` (binary, 1/0), ``level`` (tiered), ``count``
(count steps), the formula's input names or ``ratio`` (ratio rules), and the parts' inputs (additive).

Every problem is a :class:`~dtilib.errors.DataError` naming the file, the row and the column.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError, lookalike, suggest
from .i18n import fold
from .rules import FALSE_WORDS, RULES, TRUE_WORDS

REQUIRED = ["unit", "indicator", "input", "value"]
POINTS = "points"                  # the input name of score-sheet points
GROUP_COUNTS = {"n_full": "n_at_max", "n_zero": "n_at_zero", "n_partial": "n_partial"}
#: the columns of unit data that hold numbers (a number cell there is read as its number)
NUMBER_COLUMNS = ("value", "points", "max_points", *GROUP_COUNTS, *GROUP_COUNTS.values())
_NUM_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def input_kinds(framework) -> dict[tuple[str, str], tuple[str, dict]]:
    """(sub-indicator id, input name) → (kind, params) for every input the framework expects.

    kind is one of ``value``, ``level``, ``count``, ``ratio`` (a share 0..1) or ``amount`` (a raw
    count/amount used in a formula, ≥ 0).
    """
    return {(s.id, name): kind for s in framework.sub.itertuples(index=False)
            for name, kind in s.input_kinds.items()}


def read_unit_data(source, framework, *, file: str | None = None, sheet: str | None = None,
                   decimal: str | None = None, units: list[str] | None = None) -> pd.DataFrame:
    """Read and check unit data for *framework*; return a tidy frame with parsed values.

    *source* is a path (CSV/Excel) or a DataFrame; *sheet* names the workbook sheet to read (default:
    the active, visible one); *decimal* declares the number convention (``","`` Vietnamese: ``1.500``
    is 1500 and ``40,5`` is 40.5; ``"."`` English), without which a number that reads differently
    under the two conventions is refused (see :func:`parse_number`).  The result has columns ``unit, [year,]
    indicator, input, value, num, level, _file, _row`` where ``num`` is the parsed number and
    ``level`` the tier key (tiered inputs).  Empty values stay missing (NaN): they are gaps, not zeros.
    An Excel cell (or a data frame's cell) that holds a number is that number: only text goes through the
    decimal convention.  A unit written two ways is an error; with *units* (a unit list), or when the
    workbook lists its units on the template's ``don_vi`` sheet, a unit outside the list is one too.
    """
    from .frameworks import load_framework
    from .io import check_columns, clean_text, file_rows, number_cells, read_table

    if decimal is None and not isinstance(source, pd.DataFrame):
        decimal = declared_decimal(source)
    decimal = check_decimal(decimal)
    fw = load_framework(framework)
    if isinstance(source, pd.DataFrame):
        df = source.astype(str).map(clean_text)
        df.attrs["numbers"] = _frame_numbers(source)
        fname = file or "<data frame>"
    else:
        fname = file or str(source)
        from .templates import header_aliases

        df = read_table(Path(source), header=["unit", "indicator"], sheet=sheet,  # unit data or a score sheet
                        aliases=header_aliases())  # headers as codes or as the template's labels
    rows, head = file_rows(df), df.attrs.get("header_row", 1)
    cells = {c: number_cells(df, c) for c in NUMBER_COLUMNS}
    df, vcol = score_sheet_as_long(df, fname)
    check_columns(df, REQUIRED, fname, row=head)
    df = df.reset_index(drop=True)
    df["_file"] = fname
    df["_row"] = rows
    df = _check_rows(df, fw, fname)
    _check_listed(df, source, fname, sheet, units)
    df["num"], df["level"] = _parse_values(df, fw, fname, decimal, cells[vcol])
    return read_points(df, fw, fname, vcol, decimal=decimal, cells=cells)


def _check_listed(df: pd.DataFrame, source, fname: str, sheet: str | None, units: list[str] | None) -> None:
    """The units of *df* against *units*, or else against the workbook's own unit list (its ``don_vi`` sheet)."""
    from .units import UNITS_SHEET, check_units, template_units

    if units is not None:
        check_units(df, fname, units)
    elif not isinstance(source, pd.DataFrame) and sheet != UNITS_SHEET:
        listed = template_units(source)
        if listed is not None:
            check_units(df, fname, listed, sheet=True)


def _frame_numbers(source: pd.DataFrame, columns=NUMBER_COLUMNS):
    """The number cells of *columns* of a data frame given as unit data (its int and float cells, as an
    Excel file's number cells; see :func:`dtilib.io.number_cells`)."""
    from .io import NumberCells

    def number(v):
        ok = isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool | np.bool_)
        return float(v) if ok and not pd.isna(v) else None

    return NumberCells({c: tuple(number(v) for v in source[c]) for c in source.columns
                        if c in columns and source[c].dtype != bool})


def _check_rows(df: pd.DataFrame, fw, fname: str) -> pd.DataFrame:
    """The key columns of unit data: indicator ids (an STT code → its id), no empty unit or indicator, no
    unit written two ways (see :func:`dtilib.units.check_units`), years as years, one row per unit, year,
    indicator and input."""
    from .units import check_units, spelling

    for col in ["unit", "indicator", "input"]:
        df[col] = df[col].astype(str).str.strip()
    df["unit"] = df["unit"].map(spelling)                  # "xã  sìn hồ" is "xã sìn hồ"
    sub_ids = set(fw.sub["id"])
    by_code = {str(c): sid for c, sid in zip(fw.sub["code"], fw.sub["id"], strict=True) if c is not None and c == c}
    df["indicator"] = [ind if ind in sub_ids else by_code.get(ind, ind) for ind in df["indicator"]]  # id or STT code
    blank = df[df["unit"].eq("") | df["indicator"].eq("")]
    if len(blank):
        r = blank.iloc[0]
        col = "unit" if r["unit"] == "" else "indicator"
        raise DataError("empty cell", file=fname, row=int(r["_row"]), column=col, expected="a value")
    check_units(df, fname)                                 # one unit written two ways is an error
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
    return df


def _parse_values(df: pd.DataFrame, fw, fname: str, decimal: str | None,
                  cells: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the parsed number (``num``) and tier key (``level``) of its value, after checking that the
    indicator and input belong to *fw*; empty values stay missing; score-sheet points are left to
    :func:`read_points`.  *cells*: per row, the number its value cell holds (a number cell), else None."""
    kinds = input_kinds(fw)
    sub_ids = set(fw.sub["id"])
    num = np.full(len(df), np.nan)
    level = np.full(len(df), None, dtype=object)
    cells = cells if cells is not None else [None] * len(df)
    for i, (indicator, name, value, row, cell) in enumerate(
            zip(df["indicator"], df["input"], df["value"], df["_row"], cells, strict=True)):
        row = int(row)
        if name == POINTS:
            continue                      # score-sheet points: read_points below
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
            level[i] = _tier(text, params, indicator, fname, row)
        elif text not in {"", "nan"}:
            num[i] = _yes_no(text, fname, row) if kind == "value" else parse_number(
                text, fname, row, "value", kind, decimal=decimal, cell=cell)
    return num, level


def _tier(text: str, params: dict, indicator: str, fname: str, row: int) -> str | None:
    """The tier key of a tiered input's value (a key, or a tier's label); empty → ``None``."""
    tiers = {str(k) for k in params.get("tiers", {})}
    if text in {"", "nan"} and text not in tiers:
        return None
    labels = {fold(str(v)).lower().strip(): str(k) for k, v in (params.get("labels") or {}).items()}
    text = text if text in tiers else labels.get(fold(text).lower().strip(), text)  # a tier's label
    if text not in tiers:
        raise DataError(f"level '{text}' is not a tier of '{indicator}'{suggest(text, tiers)}",
                        file=fname, row=row, column="value", expected="one of " + ", ".join(sorted(tiers)))
    return text


def _yes_no(text: str, fname: str, row: int) -> float:
    """A yes/no input: 1.0 or 0.0 (``1``/``0``, yes/no, có/không …)."""
    low = text.lower()
    if low in TRUE_WORDS:
        return 1.0
    if low in FALSE_WORDS:
        return 0.0
    raise DataError(f"'{text}' is not yes/no{lookalike(low, TRUE_WORDS | FALSE_WORDS)}", file=fname, row=row,
                    column="value", expected="1 or 0 (yes/no, có/không)")


DECIMALS = (",", ".")
_GROUPED = {",": re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$"),   # 1.500 / 1.234,5 (Vietnamese)
            ".": re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$")}  # 1,500 / 1,234.5 (English)


def check_decimal(decimal: str | None) -> str | None:
    """The declared decimal separator: ``","`` (Vietnamese), ``"."`` (English) or None (not declared)."""
    if decimal is None or decimal in DECIMALS:
        return decimal
    from .errors import ParameterError

    raise ParameterError(f"unknown decimal separator {decimal!r}", column="decimal",
                         expected="',' (Vietnamese: 1.500 = 1500, 40,5 = 40.5) or '.' (English)")


def declared_decimal(path) -> str | None:
    """The ``decimal:`` setting of the file's sidecar ``<file>.meta.yaml`` (``","`` or ``"."``), if any.

    A sidecar lets a file say once how its numbers are written, for every command and report that
    reads it (``decimal: ","`` → ``1.500`` is 1500).
    """
    import yaml

    meta = Path(f"{path}.meta.yaml")
    if not meta.is_file():
        return None
    try:
        doc = yaml.safe_load(meta.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read the sidecar: {str(exc).splitlines()[0]}", file=str(meta),
                        expected="a YAML mapping such as 'decimal: \",\"'") from None
    if not isinstance(doc, dict) or doc.get("decimal") is None:
        return None
    value = str(doc["decimal"])
    if value not in DECIMALS:
        raise DataError(f"decimal: {value!r} is not a decimal separator", file=str(meta),
                        expected="',' (Vietnamese: 1.500 = 1500) or '.' (English)")
    return value


def _reading(t: str, decimal: str) -> float | None:
    """*t* read under the convention whose decimal separator is *decimal*; None when it does not fit."""
    group = "." if decimal == "," else ","
    if _GROUPED[decimal].match(t):
        t = t.replace(group, "")
    elif group in t:
        return None
    t = t.replace(decimal, ".")
    return float(t) if _NUM_RE.match(t) else None


def parse_number(text: str, file: str, row: int, column: str, kind: str = "amount", *,
                 decimal: str | None = None, cell: float | None = None) -> float:
    """Parse a plain number (``0.45``, ``12``); refuse percent signs, bad signs and non-finite numbers.

    With *decimal* ``","`` numbers are read as Vietnamese offices write them (``1.500`` = 1500,
    ``40,5`` = 40.5); with ``"."`` as in English (``1,500`` = 1500).  Undeclared, a number that reads
    differently under the two conventions (``1.500``: 1500 or 1.5) is refused with both readings, and
    a comma decimal is refused.  *cell* is the number an Excel number cell holds (see
    :func:`dtilib.io.number_cells`): it is that number, whatever the convention (only text is ambiguous),
    and goes through the same checks of sign, size and kind.
    """
    v = _text_number(text, file, row, column, decimal) if cell is None else float(cell)
    if not math.isfinite(v):
        raise DataError(f"'{text}' is not a finite number", file=file, row=row, column=column,
                        expected="a number of ordinary size")
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


def _text_number(text: str, file: str, row: int, column: str, decimal: str | None) -> float:
    """The number written as *text*, read in the *decimal* convention (see :func:`parse_number`)."""
    t = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if t.endswith("%"):
        raise DataError(f"percent '{text}' given", file=file, row=row, column=column,
                        expected=f"a share as a plain number, e.g. {_pct_hint(t)} (not '{text}')")
    if decimal is not None:
        v = _reading(t, decimal)
        if v is None:
            conv = "Vietnamese (--decimal ,)" if decimal == "," else "English (--decimal .)"
            raise DataError(f"'{text}' is not a number in the declared {conv} convention", file=file, row=row,
                            column=column, expected="e.g. " + ("1.500 or 40,5" if decimal == "," else "1,500 or 40.5"))
        return v
    vi, en = _reading(t, ","), _reading(t, ".")
    if vi is not None and en is not None and vi != en:
        raise DataError(f"'{text}' reads as {vi:g} in Vietnamese writing and {en:g} in English writing",
                        file=file, row=row, column=column,
                        expected=f"--decimal , or --decimal . to declare the convention, or the number written plainly: {en:g} "
                                 f"or {vi:g}")
    if re.fullmatch(r"[+-]?\d+,\d+", t):
        raise DataError(f"comma decimal '{text}'", file=file, row=row, column=column,
                        expected=f"a point as decimal separator, e.g. '{t.replace(',', '.')}', "
                                 "or --decimal , for Vietnamese numbers")
    if not _NUM_RE.match(t):
        raise DataError(f"'{text}' is not a number", file=file, row=row, column=column, expected="a number")
    return float(t)


def _pct_hint(t: str) -> str:
    try:
        return f"{float(t[:-1].replace(',', '.')) / 100:g}"
    except ValueError:
        return "0.45"


# ------------------------------------------------------------------------------------------- score sheets
def score_sheet_as_long(df: pd.DataFrame, fname: str = "<data>") -> tuple[pd.DataFrame, str]:
    """A score sheet (``unit, indicator, points``, no ``input`` column) as long unit data.

    Each row becomes ``input = points`` with its points in ``value`` (row order kept, so messages
    name the sheet's own rows); long unit data pass unchanged.  Returns the frame and the name of the
    column holding the values in the user's file (``points`` or ``value``), for messages.
    """
    if "input" in df.columns or "points" not in df.columns:
        return df, "value"
    if "value" in df.columns:
        raise DataError("both 'points' and 'value' columns but no 'input' column", file=fname, row=1,
                        column="value", expected="a score sheet (unit, indicator, points) or long unit data "
                        "(unit, indicator, input, value)")
    out = df.rename(columns={"points": "value"})
    out.insert(list(out.columns).index("value"), "input", POINTS)
    return out, "points"


def read_points(df: pd.DataFrame, fw, fname: str, vcol: str = "value", *, decimal: str | None = None,
                cells: dict | None = None) -> pd.DataFrame:
    """Parse and check the score-sheet rows (``input = points``) of parsed unit data *df*, in place.

    A points row names a sub-indicator (its points) or a main indicator (the group's points, with
    optional ``n_full``/``n_zero``/``n_partial`` counts, or the seed tables' ``n_at_max``/``n_at_zero``).
    Points are numbers from 0 to the max — the framework's, or the row's ``max_points`` when the
    framework does not give it (then equal for every unit); an empty cell is a gap, never a zero.
    Sets ``num`` (the points), ``max_given`` and the ``_n_*`` counts; errors name file, row, column.
    *cells*: column → per row, the number its cell holds when it is a number cell (see
    :func:`dtilib.io.number_cells`).
    """
    rows = np.flatnonzero((df["input"] == POINTS).to_numpy())
    if not len(rows):
        return df
    sub_max = dict(zip(fw.sub["id"], fw.sub["max_points"], strict=True))
    main_max = dict(zip(fw.main["id"], fw.main["max_points"], strict=True))
    has_max = "max_points" in df.columns
    max_given = np.full(len(df), np.nan)
    counts = {c: np.full(len(df), np.nan) for c in GROUP_COUNTS
              if c in df.columns or GROUP_COUNTS[c] in df.columns}
    seen_max: dict[str, tuple[float, int]] = {}
    cells = cells or {}

    def cell(col, i):
        return (cells.get(col) or [None] * len(df))[i]

    for i in rows:
        indicator, row = df.at[i, "indicator"], int(df.at[i, "_row"])
        known = sub_max if indicator in sub_max else main_max if indicator in main_max else None
        if known is None:
            ids = list(sub_max) + list(main_max)
            raise DataError(f"points for unknown indicator '{indicator}'{suggest(indicator, ids)}", file=fname,
                            row=row, column="indicator",
                            expected=f"a sub-indicator (or main-indicator) id of framework {fw.id}")
        fw_max = known[indicator]
        mx = None if fw_max is None or pd.isna(fw_max) else float(fw_max)
        text = str(df.at[i, "max_points"]).strip() if has_max else ""
        if text not in {"", "nan", "None"}:
            given = parse_number(text, fname, row, "max_points", decimal=decimal, cell=cell("max_points", i))
            if mx is not None and abs(given - mx) > 1e-6:
                raise DataError(f"max_points {text} of '{indicator}' differs from the framework's {mx:g}",
                                file=fname, row=row, column="max_points",
                                expected=f"{mx:g} (framework {fw.id}) or an empty cell")
            first = seen_max.setdefault(indicator, (given, row))
            if abs(first[0] - given) > 1e-6:
                raise DataError(f"max_points {text} of '{indicator}' differs from {first[0]:g} in row {first[1]}",
                                file=fname, row=row, column="max_points", expected="one max per sub-indicator")
            max_given[i] = given
            mx = given if mx is None else mx
        for c, alias in GROUP_COUNTS.items():
            src = c if c in df.columns else alias
            if c in counts and str(df.at[i, src]).strip() not in {"", "nan", "None"}:
                counts[c][i] = parse_number(str(df.at[i, src]), fname, row, src, "count", decimal=decimal,
                                            cell=cell(src, i))
        text = str(df.at[i, "value"]).strip()
        if text in {"", "nan", "None"}:
            continue
        negative, number = text.startswith("-"), cell(vcol, i)
        # points are bounded by the max (checked below), so undeclared they are read the English way: the
        # other reading of '3.125' (3125) would exceed any max and be refused, never scored silently
        v = parse_number(text[1:] if negative else text, fname, row, vcol, decimal=decimal or ".",
                         cell=None if number is None else abs(number))
        if negative and v > 0:
            raise DataError(f"negative points {text} for '{indicator}'", file=fname, row=row, column=vcol,
                            expected="points between 0 and the max" + (f" {mx:g}" if mx is not None else ""))
        if mx is None:
            raise DataError(f"the max points of '{indicator}' are not known", file=fname, row=row,
                            column="max_points", expected=f"a max_points column (framework {fw.id} does not give "
                            "this indicator's max)")
        if v > mx + 1e-9:
            raise DataError(f"points {text} of '{indicator}' are above its max {mx:g}", file=fname, row=row,
                            column=vcol, expected=f"points between 0 and {mx:g}")
        df.loc[i, "num"] = v
    df["max_given"] = max_given
    df["_pcol"] = vcol                     # the column holding the points in the user's file, for messages
    for c, v in counts.items():
        df[f"_{c}"] = v
    return df


def read_peers(source, framework) -> tuple[str, dict[str, np.ndarray], int]:
    """The ratios of peer units not in the unit data, for min–max sub-indicators.

    *source* is a path (CSV/Excel) or a DataFrame with columns ``unit, indicator, ratio`` (a share
    0..1 per peer unit and min–max sub-indicator).  Returns (its name, sub-indicator id → ratios,
    number of peer units).
    """
    from .frameworks import load_framework
    from .io import check_columns, file_rows, number_cells, read_table

    fw = load_framework(framework)
    if isinstance(source, pd.DataFrame):
        df, fname = source.astype(str).reset_index(drop=True), "<peers>"
        df.attrs["numbers"] = _frame_numbers(source.reset_index(drop=True), ("ratio",))
        check_columns(df, ["unit", "indicator", "ratio"], fname)
    else:
        fname = str(source)
        df = read_table(Path(source), required=["unit", "indicator", "ratio"])
    rows, cells = file_rows(df), number_cells(df, "ratio")
    mm = {s.id for s in fw.sub.itertuples(index=False) if RULES[s.rule].peer}   # rules compared with peers
    out: dict[str, list[float]] = {}
    for indicator, text, row, cell in zip(df["indicator"], df["ratio"], rows, cells, strict=True):
        indicator = str(indicator).strip()
        if indicator not in mm:
            raise DataError(f"'{indicator}' is not a min–max sub-indicator of {fw.id}{suggest(indicator, mm)}",
                            file=fname, row=row, column="indicator",
                            expected="one of " + (", ".join(sorted(mm)) or "(none: no min–max item)"))
        text = str(text).strip()
        if text in {"", "nan", "None"}:
            continue
        out.setdefault(indicator, []).append(parse_number(text, fname, row, "ratio", "ratio", cell=cell))
    return fname, {k: np.array(v, dtype=float) for k, v in out.items()}, int(df["unit"].nunique())


def groups_score_sheet(groups: pd.DataFrame) -> pd.DataFrame:
    """A published group table (the seed tables' columns ``year, unit, group, achieved, n_at_max,
    n_at_zero, n_partial``) as a group-level score sheet for :func:`dtilib.score`.

    >>> t = pd.DataFrame({"year": [2023], "unit": ["A"], "group": ["g1"], "achieved": [67.5], "n_at_max": [6],
    ...                   "n_at_zero": [0], "n_partial": [1]})
    >>> groups_score_sheet(t).iloc[0].to_dict()["points"]
    '67.5'
    """
    def text(col):
        return groups[col].map(lambda v: "" if pd.isna(v) else f"{v:g}" if isinstance(v, int | float) else str(v))

    out = pd.DataFrame({"unit": groups["unit"].astype(str), "indicator": groups["group"].astype(str),
                        "points": text("achieved")})
    if "year" in groups.columns:
        out.insert(0, "year", text("year"))
    for c in ("n_at_max", "n_at_zero", "n_partial"):
        if c in groups.columns:
            out[c] = text(c)
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- main-indicator values
def read_main_values(path: str, year: int | None = None, *, sheet: str | None = None,
                     decimal: str | None = None):
    """Read a long main-values file (the format of ``dti_pillars.csv``) as unit, indicator, value[, year].

    Province names go through the name aliases: spellings of one province ("TP. Đà Nẵng", "Đà Nẵng",
    "Da Nang") are one unit, named as first written in the file.  In a ``province`` column every name
    must be a known province; in a ``unit`` column other names are kept as they are.  With *decimal*
    (``","`` or ``"."``) every value written as text that is not a stated range is read in that convention
    (an Excel number cell is its number).
    """
    from .errors import ParameterError
    from .io import check_columns, file_rows, number_cells, read_table

    df = read_table(path, sheet=sheet)
    rows = file_rows(df)
    cells = number_cells(df, "value")
    provinces = "province" in df.columns and "unit" not in df.columns
    ren = {"province": "unit", "pillar": "indicator"}
    df = df.rename(columns={k: v for k, v in ren.items() if k in df.columns and v not in df.columns})
    check_columns(df, ["unit", "indicator", "value"], path)
    df["_row"] = rows
    df["_cell"] = pd.Series(cells, index=df.index, dtype=object)
    df["unit"] = _province_names(df, path, strict=provinces)
    if "year" in df.columns:
        bad = ~df["year"].str.fullmatch(r"\s*\d{4}\s*")
        if bad.any():
            i = df.index[bad][0]
            raise DataError(f"year {df.at[i, 'year']!r} is not a year", file=path, row=int(df.at[i, "_row"]),
                            column="year", expected="a four-digit year")
        df["year"] = df["year"].astype(int)
        if year is not None:
            df = df[df["year"] == year]
            if df.empty:
                raise ParameterError(f"no rows for year {year} in {path}")
    elif year is not None:
        df["year"] = year
    if decimal:
        from .data.bounds import is_range

        df["value"] = [v if not str(v).strip() or is_range(str(v)) else
                       repr(parse_number(str(v), path, int(r), "value", "ratio", decimal=decimal, cell=c))
                       for v, r, c in zip(df["value"], df["_row"], df["_cell"], strict=True)]
    return df[[c for c in ["year", "unit", "indicator", "value", "_row"] if c in df.columns]]


def split_ranges(mv, file: str):
    """A main-values frame whose ``value`` cells may hold stated ranges (``a–b`` / ``a-b``, decimal
    commas accepted): (point frame with range cells emptied, low frame, high frame), or ``None`` when no
    cell holds a range.  A reversed range is a :class:`DataError` naming file, row and column."""
    from .data.bounds import RangeError, is_range, read

    rng = mv["value"].map(lambda v: is_range(str(v)))
    if not rng.any():
        return None
    low, high, point = mv.copy(), mv.copy(), mv.copy()
    for i in mv.index[rng]:
        try:
            p = read(str(mv.at[i, "value"]))
        except RangeError as exc:
            raise DataError(str(exc), file=file, row=int(mv.at[i, "_row"]) if "_row" in mv.columns else None,
                            column="value", expected="a stated range 'low–high' with low ≤ high") from None
        low.at[i, "value"], high.at[i, "value"], point.at[i, "value"] = repr(p.low), repr(p.high), ""
    return point, low, high


def _province_names(df, path: str, *, strict: bool):
    """The ``unit`` column with province names written one way (see :func:`read_main_values`)."""
    from .data.names import index

    ix = index()
    first_spelling: dict[tuple[int, str], str] = {}
    out = []
    for name, row in zip(df["unit"], df["_row"], strict=True):
        where = {"file": path, "row": int(row), "column": "province" if strict else "unit"}
        name = name.strip()
        try:
            key = (63, ix.canonical(name, 63, **where))
        except DataError as first:
            try:
                key = (34, ix.canonical(name, 34, **where))
            except DataError:
                if strict:
                    raise first from None
                out.append(name)
                continue
        out.append(first_spelling.setdefault(key, name))
    return out
