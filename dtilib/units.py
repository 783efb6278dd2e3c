"""A list of units (a province's communes and wards): one template, one score table, one report each.

Since 1/7/2025 a province assesses its communes (3,321 commune-level units in the 34 provinces:
2,636 communes, 672 wards and 13 special zones — Government Resolution 126/NQ-CP of 9 May 2025).
No machine-readable list of the new communes with a citable public source is shipped: the province
gives its own list, a CSV or Excel file with a ``unit`` column (the commune's name as it should
appear in reports) and, optionally, a ``province`` column (any usual spelling, matched through
:mod:`dtilib.data.names` in the 34-province list).

Two rows naming the same unit once case, diacritics, spaces and dashes are ignored ("Xã Tân Lập" and
"xa tan  lap") are an error naming both rows: each unit must have one template block, one score and
one report.

>>> import pandas as pd
>>> read_unit_list(pd.DataFrame({"unit": ["Xã Tân Lập", "Phường Đức Xuân"]}))["unit"].tolist()
['Xã Tân Lập', 'Phường Đức Xuân']
>>> read_unit_list(pd.DataFrame({"unit": ["Xã Tân Lập", "Phường Đức Xuân", "xa tan  lap"]}))
Traceback (most recent call last):
...
dtilib.errors.DataError: <data frame>, row 4, column 'unit': 'xa tan  lap' is the same unit as 'Xã Tân Lập' in row 2 once case, diacritics and spaces are ignored (expected one row per unit)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import DataError


def unit_key(name: str) -> str:
    """The matching key of a unit name: case, diacritics, spaces, dashes and dots ignored."""
    from .data.names import fold, normalize

    return fold(normalize(name))


def find_unit(name: str, names) -> str | None:
    """The name in *names* that *name* means: itself, else the only one with the same :func:`unit_key`
    (a unit typed without diacritics, in another case or with other spaces, as ``dti plan --unit`` and
    ``dti report -p unit`` take it); None when there is none, or more than one.

    >>> find_unit("xa sin ho", ["Xã Bình Lư", "xã  sìn hồ"]), find_unit("Xã Sìn", ["Xã Bình Lư", "xã  sìn hồ"])
    ('xã  sìn hồ', None)
    """
    names = list(dict.fromkeys(str(n) for n in names))
    if name in names:
        return name
    hits = [n for n in names if unit_key(n) == unit_key(name)]
    return hits[0] if len(hits) == 1 else None


def read_unit_list(source, *, province: str | None = None, file: str | None = None) -> pd.DataFrame:
    """The units of *source* (a path or a DataFrame) — ``unit`` and, when given, ``province`` (its
    34-province slug) — with their file rows (``_row``); only those of *province* when it is given."""
    from .io import check_columns, read_table
    from .templates import header_aliases

    if isinstance(source, pd.DataFrame):
        df, fname = source.astype(str).copy(), file or "<data frame>"
        check_columns(df, ["unit"], fname)
    else:
        fname = file or str(source)
        df = read_table(Path(source), required=["unit"], aliases=header_aliases())
    df = df.reset_index(drop=True)
    df["_row"] = range(2, len(df) + 2)
    df["unit"] = df["unit"].astype(str).str.strip()
    blank = df[df["unit"].eq("") | df["unit"].str.lower().eq("nan")]
    if len(blank):
        raise DataError("empty unit name", file=fname, row=int(blank["_row"].iloc[0]), column="unit",
                        expected="the name of a commune or ward")
    has_province = "province" in df.columns
    if has_province:
        from .data.names import canonical

        df["province"] = [canonical(str(p).strip(), 34, file=fname, row=int(r), column="province")
                          for p, r in zip(df["province"], df["_row"], strict=True)]
    if province is not None:
        from .data.names import canonical

        slug = canonical(province, 34, column="province")
        if not has_province:
            raise DataError("the list has no 'province' column to select from", file=fname, column="province",
                            expected=f"a 'province' column, or no --province (the whole list is {slug}'s)")
        df = df[df["province"] == slug].reset_index(drop=True)
        if df.empty:
            raise DataError(f"no unit of province '{province}' in the list", file=fname, column="province",
                            expected="rows whose province is this one (any usual spelling)")
    keys = df["unit"].map(unit_key)
    ident = list(zip(df["province"], keys, strict=True)) if has_province and province is None else list(keys)
    seen: dict = {}
    for key, unit, row in zip(ident, df["unit"], df["_row"], strict=True):
        if key in seen:
            raise DataError(f"'{unit}' is the same unit as '{seen[key][0]}' in row {seen[key][1]} once case, "
                            "diacritics and spaces are ignored", file=fname, row=int(row), column="unit",
                            expected="one row per unit")
        seen[key] = (unit, row)
    return df[["unit"] + (["province"] if has_province else []) + ["_row"]]


__all__ = ["find_unit", "read_unit_list", "unit_key"]
