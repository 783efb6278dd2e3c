"""pandera schemas of the processed tables, and lazy validation turned into one :class:`DataError`.

Validation is lazy: every problem of a table is collected, then reported at once in one DataError
that lists file, row and column of each (rows are file rows: header = row 1; a frame may carry the
file row of each record in a ``_row`` column, otherwise row = position + 2).

>>> import pandas as pd
>>> validate(pd.DataFrame({"year": [2022], "indicator": ["nhan_thuc_so"], "value": [45.0]}),
...          table_schema("toy", {"value": value_column()}), "toy.csv")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dtilib.errors.DataError: toy.csv, row 2, column 'value': 45.0 ... (expected a value between 0 and 1...)
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from ..errors import DataError

ORIGINS = ("published", "derived")
EVIDENCE = ("printed", "list_position", "printed+list_inferred", "list_position+list_inferred",
            "mean_of_members", "unchanged_unit", "population_weighted_mean")
ERAS = (63, 34)
VALUE_EXPECTED = "a value between 0 and 1 (points / max; a percentage like 45 means 0.45)"

RESULTS_COLUMNS = ["year", "era", "unit", "unit_slug", "dti_value", "rank", "rank_of", "framework", "origin",
                   "source", "evidence", "note", "dti_low", "dti_high", "rank_low", "rank_high"]
INDICATORS_COLUMNS = ["year", "era", "unit", "unit_slug", "indicator", "value", "rank", "rank_of", "framework",
                      "origin", "source", "evidence", "note", "value_low", "value_high", "rank_low", "rank_high"]
PROVINCES_COLUMNS = ["era", "slug", "name_vi", "name_ascii", "name_official", "gso_code", "region", "population",
                     "population_year", "population_kind", "successor", "members", "n_members"]
NATIONAL_COLUMNS = ["year", "metric", "value", "kind", "conflict", "origin", "source", "note"]


def value_column(nullable: bool = True) -> pa.Column:
    return pa.Column(float, pa.Check.in_range(0, 1, error=VALUE_EXPECTED), nullable=nullable, coerce=True)


def _rank_within(df: pd.DataFrame) -> pd.Series:
    r = df["rank"]
    return r.isna() | ((r >= 1) & (r <= df["rank_of"]))


def _rank_of_matches_era(df: pd.DataFrame) -> pd.Series:
    return df["rank_of"] == df["era"]


def _slug_check(known: dict[int, set[str]]):
    def check(df: pd.DataFrame) -> pd.Series:
        return pd.Series([s in known.get(int(e), set()) for e, s in zip(df["era"], df["unit_slug"], strict=True)],
                         index=df.index)
    return check


def table_schema(name: str, columns: dict, *, unique: list[str] | None = None, checks: list | None = None):
    return pa.DataFrameSchema(columns, unique=unique, checks=checks or [], strict=False, name=name)


def results_schema(known_slugs: dict[int, set[str]], years: tuple[int, int] = (2020, 2099)) -> pa.DataFrameSchema:
    """``results.csv``: one row per (year, era, unit_slug, origin)."""
    return table_schema("results", _common_columns(years) | {
        "dti_value": value_column(), "dti_low": value_column(), "dti_high": value_column()},
        unique=["year", "era", "unit_slug", "origin"], checks=_common_checks(known_slugs) + [
            pa.Check(_value_interval_ok("dti_value", "dti_low", "dti_high"),
                     error="dti_low: dti_low ≤ dti_value ≤ dti_high (the interval the printed value stands for)")])


def indicators_schema(known_slugs: dict[int, set[str]], known_indicators: set[str],
                      years: tuple[int, int] = (2020, 2099)) -> pa.DataFrameSchema:
    """``indicators.csv``: one row per (year, era, unit_slug, indicator, origin)."""
    cols = _common_columns(years) | {
        "indicator": pa.Column(str, pa.Check.isin(sorted(known_indicators),
                                                  error="a known main-indicator or pillar id")),
        "value": value_column(), "value_low": value_column(), "value_high": value_column()}
    return table_schema("indicators", cols, unique=["year", "era", "unit_slug", "indicator", "origin"],
                        checks=_common_checks(known_slugs) + [
                            pa.Check(_value_interval_ok("value", "value_low", "value_high"),
                                     error="value_low: value_low ≤ value ≤ value_high")])


def _common_columns(years):
    return {
        "year": pa.Column(int, pa.Check.in_range(*years, error=f"a year {years[0]}..{years[1]}"), coerce=True),
        "era": pa.Column(int, pa.Check.isin(ERAS, error="era 63 or 34"), coerce=True),
        "unit": pa.Column(str, pa.Check.str_length(min_value=1)),
        "unit_slug": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="a slug like 'bac-ninh'")),
        "rank": pa.Column("Int64", pa.Check.ge(1, error="a rank ≥ 1"), nullable=True, coerce=True),
        "rank_low": pa.Column("Int64", nullable=True, coerce=True),
        "rank_high": pa.Column("Int64", nullable=True, coerce=True),
        "rank_of": pa.Column(int, pa.Check.isin(ERAS, error="list size 63 or 34"), coerce=True),
        "framework": pa.Column(str, pa.Check.str_length(min_value=1)),
        "origin": pa.Column(str, pa.Check.isin(ORIGINS, error="published or derived")),
        "source": pa.Column(str, pa.Check.str_length(min_value=1, error="a source (URL or seed:…)")),
        "evidence": pa.Column(str, pa.Check.isin(EVIDENCE, error="one of " + ", ".join(EVIDENCE))),
        "note": pa.Column(str, nullable=True),
    }


def _rank_interval_ok(df: pd.DataFrame) -> pd.Series:
    lo, hi, r = df["rank_low"], df["rank_high"], df["rank"]
    ok = (lo.isna() & hi.isna()) | ((lo >= 1) & (lo <= hi) & (hi <= df["rank_of"]))
    return (ok & (r.isna() | ((lo == r) & (hi == r)))).fillna(False).astype(bool)


def _value_interval_ok(value_col: str, low: str, high: str):
    def check(df: pd.DataFrame) -> pd.Series:
        lo, hi, v = df[low], df[high], df[value_col]
        ok = (lo.isna() & hi.isna() & v.isna()) | ((lo <= hi) & (v.isna() | ((lo <= v + 1e-9) & (v <= hi + 1e-9))))
        return ok.fillna(False).astype(bool)
    return check


def _common_checks(known_slugs):
    return [
        pa.Check(_rank_within, error="rank: a rank between 1 and rank_of"),
        pa.Check(_rank_of_matches_era, error="rank_of: the list size of the era (63 or 34)"),
        pa.Check(_rank_interval_ok, error="rank_low: 1 ≤ rank_low ≤ rank_high ≤ rank_of, both equal to rank where printed"),
        pa.Check(_slug_check(known_slugs), error="unit_slug: a slug of its era's province table"),
    ]


def provinces_schema() -> pa.DataFrameSchema:
    return table_schema("provinces", {
        "era": pa.Column(int, pa.Check.isin(ERAS, error="era 63 or 34"), coerce=True),
        "slug": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(-[a-z0-9]+)*$", error="a slug")),
        "name_vi": pa.Column(str, pa.Check.str_length(min_value=1)),
        "region": pa.Column(str, pa.Check.str_length(min_value=1)),
        "population": pa.Column(float, pa.Check.gt(0, error="a positive population"), nullable=True, coerce=True),
        "n_members": pa.Column(int, pa.Check.ge(1), coerce=True),
    }, unique=["era", "slug"], checks=[
        pa.Check(lambda d: d.groupby("era")["slug"].transform("size") == d["era"],
                 error="era: 63 units in era 63 and 34 in era 34"),
        pa.Check(lambda d: (d["era"] == 34) | d["successor"].fillna("").ne(""),
                 error="successor: every 63-era province has a 34-era successor"),
    ])


def national_schema() -> pa.DataFrameSchema:
    return table_schema("national", {
        "year": pa.Column(int, pa.Check.in_range(2020, 2099), coerce=True),
        "metric": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_.]+$", error="a metric id")),
        "value": pa.Column(float, pa.Check.ge(0), coerce=True),
        "kind": pa.Column(str, pa.Check.isin(["value", "count"], error="value or count")),
        "origin": pa.Column(str, pa.Check.isin(ORIGINS)),
        "source": pa.Column(str, pa.Check.str_length(min_value=1)),
    }, unique=["year", "metric", "value"], checks=[
        pa.Check(lambda d: (d["kind"] == "count") | (d["value"] <= 1), error="value: " + VALUE_EXPECTED),
    ])


# ------------------------------------------------------------------------------- analysts' own files
def _number(check, expected: str, nullable: bool = True) -> pa.Check:
    def f(s: pd.Series) -> pd.Series:
        x = pd.to_numeric(s, errors="coerce")
        return (s.isna() if nullable else pd.Series(False, index=s.index)) | (x.notna() & check(x))
    return pa.Check(f, element_wise=False, ignore_na=nullable, error=expected)


def _whole(x: pd.Series) -> pd.Series:
    return x == x.round()


def own_schema(table: str = "results") -> pa.DataFrameSchema:
    """The lenient schema of an analyst's own ``results`` (or ``indicators``) file.

    The columns the analysis reads, each checked (any dtype; text cells are read as text): ``year`` a
    year 1900..2099, ``era`` and ``rank_of`` whole numbers ≥ 1, ``rank`` empty or 1..rank_of, the value
    empty or 0..1, ``unit``/``unit_slug``/``framework``/``origin`` not empty.  Unlike the processed
    tables' schemas it accepts any list size and any unit (a district list, a synthetic table).
    """
    vcol = "dti_value" if table == "results" else "value"
    text = pa.Check(lambda s: s.notna() & (s.astype(str).str.strip() != ""), ignore_na=False, error="a non-empty text")
    cols = {
        "year": pa.Column(None, _number(lambda x: _whole(x) & x.between(1900, 2099), "a year such as 2022", False),
                          nullable=True),
        "era": pa.Column(None, _number(lambda x: _whole(x) & (x >= 1), "a whole number (63 or 34)", False),
                         nullable=True),
        "rank_of": pa.Column(None, _number(lambda x: _whole(x) & (x >= 1), "the list size, a whole number", False),
                             nullable=True),
        "rank": pa.Column(None, _number(lambda x: _whole(x) & (x >= 1), "empty or a whole rank ≥ 1"), nullable=True),
        vcol: pa.Column(None, _number(lambda x: x.between(0, 1), VALUE_EXPECTED), nullable=True),
        **{c: pa.Column(None, text, nullable=True) for c in ("unit", "unit_slug", "framework", "origin")},
    }
    if table != "results":
        cols["indicator"] = pa.Column(None, text, nullable=True)

    def rank_within(df: pd.DataFrame) -> pd.Series:
        r, n = pd.to_numeric(df["rank"], errors="coerce"), pd.to_numeric(df["rank_of"], errors="coerce")
        return (r.isna() | n.isna() | (r <= n)).astype(bool)

    return table_schema(f"own {table}", cols, checks=[pa.Check(rank_within, error="rank: a rank between 1 and rank_of")])


# ---------------------------------------------------------------------------------------- validation
def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str) -> pd.DataFrame:
    """Validate *df* lazily; every failure goes into one :class:`DataError` naming file/row/column."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise schema_error(exc.failure_cases, df, file) from None


def schema_error(failures: pd.DataFrame, df: pd.DataFrame, file: str) -> DataError:
    problems = []
    seen = set()
    for fc in failures.itertuples(index=False):
        idx = getattr(fc, "index", None)
        column = None if fc.column is None or (isinstance(fc.column, float) and pd.isna(fc.column)) else fc.column
        check = str(fc.check)
        if check == "column_in_dataframe":
            problems.append({"row": 1, "column": str(fc.failure_case), "problem": "column is missing",
                             "expected": f"a column '{fc.failure_case}'"})
            continue
        if check == "multiple_fields_uniqueness":
            if (idx, check) in seen:
                continue
            seen.add((idx, check))
            cols = "+".join(str(c) for c in failures.loc[failures["check"] == check, "column"].dropna().unique())
            problems.append({"row": _file_row(df, idx), "column": cols,
                             "problem": "duplicate row (same key as another row)", "expected": "one row per key"})
            continue
        if fc.schema_context == "DataFrameSchema" and ":" in check:
            # a table-level check named "column: expectation" (one failure per row, not per column)
            if (idx, check) in seen:
                continue
            seen.add((idx, check))
            column, expected = (x.strip() for x in check.split(":", 1))
            value = df.at[idx, column] if idx in df.index and column in df.columns else None
            problems.append({"row": _file_row(df, idx), "column": column,
                             "problem": f"{_show(value)} is not valid", "expected": expected})
            continue
        what = "invalid" if fc.failure_case is None else f"{_show(fc.failure_case)} is not valid"
        problems.append({"row": _file_row(df, idx), "column": column, "problem": what, "expected": check})
    return problems_error(problems, file)


def _show(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "an empty cell"
    if hasattr(value, "item"):
        value = value.item()
    return repr(value)


def _file_row(df: pd.DataFrame, idx):
    if idx is None or (isinstance(idx, float) and pd.isna(idx)):
        return None
    try:
        if "_row" in df.columns:
            row = df.at[idx, "_row"]
            return row.item() if hasattr(row, "item") else row
        return int(df.index.get_loc(idx)) + 2
    except (KeyError, TypeError):
        return idx


def problems_error(problems: list[dict], file: str) -> DataError:
    """One DataError for a list of ``{row, column, problem, expected}`` (a single one is reported plainly)."""
    problems = sorted(problems, key=lambda p: (_sort_row(p["row"]), str(p["column"])))
    if len(problems) == 1:
        p = problems[0]
        err = DataError(p["problem"], file=file, row=p["row"], column=p["column"], expected=p["expected"])
    else:
        lines = []
        for p in problems:
            where = ", ".join(x for x in (f"row {p['row']}" if p["row"] is not None else "",
                                          f"column '{p['column']}'" if p["column"] else "") if x)
            lines.append(f"  {where}: {p['problem']} (expected {p['expected']})")
        err = DataError(f"{len(problems)} problems:\n" + "\n".join(lines), file=file)
    err.problems = problems
    return err


def _sort_row(r):
    try:
        return int(str(r).split("+")[0])
    except (TypeError, ValueError):
        return 10**9
