"""A list of units (a province's communes and wards): one template, one score table, one report each.

Since 1/7/2025 a province assesses its communes (3,321 commune-level units in the 34 provinces:
2,636 communes, 672 wards and 13 special zones — Government Resolution 126/NQ-CP of 9 May 2025).
No machine-readable list of the new communes with a citable public source is shipped: the province
gives its own list, a CSV or Excel file with a ``unit`` column (the commune's name as it should
appear in reports) and, optionally, a ``province`` column (any usual spelling, matched through
:mod:`dtilib.data.names` in the 34-province list).

Two rows naming the same unit once case, diacritics, spaces, dashes and the commune-level prefix (Xã,
Phường, Đặc khu, Thị trấn, or X., P., TT.) are ignored ("Xã Tân Lập", "xa tan  lap", "Tân Lập") are an
error naming both rows: each unit must have one template block, one score and one report.  A name is
shown as written, its spaces collapsed ("xã  sìn hồ" → "xã sìn hồ").

>>> import pandas as pd
>>> read_unit_list(pd.DataFrame({"unit": ["Xã Tân Lập", "Phường  Đức Xuân"]}))["unit"].tolist()
['Xã Tân Lập', 'Phường Đức Xuân']
>>> read_unit_list(pd.DataFrame({"unit": ["Xã Tân Lập", "Phường Đức Xuân", "xa tan  lap"]}))
Traceback (most recent call last):
...
dtilib.errors.DataError: <data frame>, row 4, column 'unit': 'xa tan lap' is the same unit as 'Xã Tân Lập' in row 2 once case, diacritics, spaces and the commune or ward prefix are ignored (expected one row per unit)
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import DataError, suggest

#: the prefixes of a commune-level unit's name and their kind (written with diacritics or abbreviated)
PREFIXES = {"xã": "xa", "x": "xa", "phường": "phuong", "p": "phuong", "đặc khu": "dac_khu", "đk": "dac_khu",
            "thị trấn": "thi_tran", "tt": "thi_tran"}
#: the same prefixes written without diacritics, recognised only in a name written without any ("Xa Tam
#: Duong"): in "Xà Phìn" or "Phương Sơn" the first word is part of the name
ASCII_PREFIXES = {"xa": "xa", "phuong": "phuong", "dac khu": "dac_khu", "thi tran": "thi_tran"}
#: the sheet of an Excel template (written with ``--units``) that lists its units: a filled copy of the template
#: keeps it, and the units of its data are checked against it
UNITS_SHEET = "don_vi"
#: the header labels a unit list may use for its columns (compared ignoring case and spaces)
LIST_HEADERS = {"unit": ("Tên đơn vị", "Tên đơn vị hành chính", "Đơn vị hành chính", "Tên xã", "Tên xã, phường",
                         "Tên xã/phường", "Xã/phường", "Xã, phường", "Unit name", "Commune"),
                "province": ("Tỉnh", "Tỉnh/thành phố", "Tỉnh, thành phố", "Tên tỉnh", "Province")}


def unit_parts(name: str) -> tuple[str | None, str]:
    """(kind of the name's prefix — ``xa``, ``phuong``, ``dac_khu``, ``thi_tran`` — or None, the rest as a
    matching key: case, diacritics, spaces, dashes and dots ignored).

    >>> unit_parts("P. Đoàn Kết"), unit_parts("Phuong Doan Ket"), unit_parts("Xà Phìn")
    (('phuong', 'doan ket'), ('phuong', 'doan ket'), (None, 'xa phin'))
    """
    from .data.names import fold, normalize

    text = normalize(name)
    for table in (PREFIXES, ASCII_PREFIXES if text.isascii() else {}):
        for prefix, kind in table.items():
            if text.startswith(prefix + " ") and len(text) > len(prefix) + 1:
                return kind, fold(text[len(prefix) + 1:])
    return None, fold(text)


def unit_key(name: str) -> str:
    """The matching key of a unit name: case, diacritics, spaces, dashes, dots and the prefix ignored."""
    return unit_parts(name)[1]


def same_unit(a: str, b: str) -> bool:
    """Whether two names are one unit: the same key, and the same prefix unless one has none ("Tân Uyên" is
    "Xã Tân Uyên"; "Xã Đoàn Kết" is not "Phường Đoàn Kết"; "Xa Phin", typed without diacritics, is "Xà
    Phìn" as well as "Xã Phìn").

    >>> same_unit("Xa Phin", "Xà Phìn"), same_unit("xa tan lap", "Xã Tân Lập"), same_unit("Xã Phìn", "Xà Phìn")
    (True, True, False)
    """
    return any(x == y and _compatible(ka, kb) for ka, x in _readings(a) for kb, y in _readings(b))


def _compatible(ka: str | None, kb: str | None) -> bool:
    """Two prefixes that may name one unit: the same, or one of them absent."""
    return ka == kb or ka is None or kb is None


def _readings(name: str) -> list[tuple[str | None, str]]:
    """The ways to read a name: its prefix and key (:func:`unit_parts`) and, for a name typed without
    diacritics whose first word reads as a prefix ("Xa Phin", "Phuong Son"), also the whole name as the key
    (it may be "Xà Phìn", "Phương Sơn")."""
    from .data.names import fold, normalize

    kind, key = unit_parts(name)
    text = normalize(name)
    return [(kind, key), (None, fold(text))] if kind is not None and text.isascii() else [(kind, key)]


def spelling(name: str) -> str:
    """A unit's name as shown: as written, spaces collapsed."""
    return " ".join(str(name).split())


class _Seen:
    """The names met so far, by key: the first name (and its row) that each later name is the same unit as."""

    def __init__(self):
        self.by_key: dict = {}

    def match(self, name: str, group=None):
        for kind, key in _readings(name):
            for k, first, row in self.by_key.get((group, key), []):
                if _compatible(k, kind):
                    return first, row
        return None

    def add(self, name: str, row, group=None) -> None:
        for kind, key in _readings(name):
            self.by_key.setdefault((group, key), []).append((kind, name, row))


SAME_UNIT = "once case, diacritics, spaces and the commune or ward prefix are ignored"


def find_unit(name: str, names) -> str | None:
    """The name in *names* that *name* means: itself, else the only one that is the same unit
    (:func:`same_unit`: typed without diacritics, in another case or with other spaces, as ``dti plan --unit`` and
    ``dti report -p unit`` take it); None when there is none, or more than one.

    >>> find_unit("xa sin ho", ["Xã Bình Lư", "xã  sìn hồ"]), find_unit("Xã Sìn", ["Xã Bình Lư", "xã  sìn hồ"])
    ('xã  sìn hồ', None)
    """
    hits = unit_matches(name, names)
    return hits[0] if len(hits) == 1 else None


def unit_matches(name: str, names) -> list[str]:
    """The names in *names* that *name* may mean: itself alone when it is there, else every one that is the
    same unit (more than one: the name is ambiguous, e.g. "Đoàn Kết" with a commune and a ward of that name)."""
    names = list(dict.fromkeys(str(n) for n in names))
    return [name] if name in names else [n for n in names if same_unit(n, name)]


def check_unit_choice(name: str, names, file) -> str:
    """*name* as *names* write it; a :class:`~dtilib.errors.ParameterError` naming the candidates when it
    is ambiguous, or the closest names when it is none of them (``-p unit``, ``--unit``)."""
    from .errors import ParameterError

    names = list(dict.fromkeys(str(n) for n in names))
    hits = unit_matches(name, names)
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise ParameterError(f"unit '{name}' names more than one unit of {file}: {', '.join(hits)}", column="unit",
                             expected="the name with its prefix (Xã …, Phường …, Thị trấn …)")
    raise ParameterError(f"unit '{name}' is not in {file}{suggest(name, names)}", column="unit",
                         expected="one of " + ", ".join(names[:10]) + (" …" if len(names) > 10 else ""))


def read_unit_list(source, *, province: str | None = None, file: str | None = None,
                   sheet: str | None = None) -> pd.DataFrame:
    """The units of *source* (a path or a DataFrame; *sheet* of a workbook) — ``unit`` and, when given,
    ``province`` (its 34-province slug) — with their file rows (``_row``); only those of *province* when it
    is given."""
    from .io import check_columns, file_rows, read_table
    from .templates import header_aliases

    if isinstance(source, pd.DataFrame):
        df, fname = source.astype(str).copy(), file or "<data frame>"
        check_columns(df, ["unit"], fname)
    else:
        fname = file or str(source)
        aliases = header_aliases() | {label: col for col, labels in LIST_HEADERS.items() for label in labels}
        df = read_table(Path(source), required=["unit"], aliases=aliases, sheet=sheet)
    rows = file_rows(df)
    df = df.reset_index(drop=True)
    df["_row"] = rows
    df["unit"] = df["unit"].astype(str).map(spelling)
    blank = df[df["unit"].eq("") | df["unit"].str.lower().eq("nan")]
    if len(blank):
        raise DataError("empty unit name", file=fname, row=int(blank["_row"].iloc[0]), column="unit",
                        expected="the name of a commune or ward")
    has_province = "province" in df.columns
    if has_province:
        df["province"] = _provinces(df, fname)
    if province is not None:
        from .data.names import canonical
        from .errors import ParameterError

        try:
            slug = canonical(province, 34)
        except DataError as exc:   # an option, not a column of the list
            raise ParameterError(exc.detail, column="--province", expected=exc.expected) from None
        if not has_province:
            raise DataError("the list has no 'province' column to select from", file=fname, column="province",
                            expected=f"a 'province' column, or no --province (the whole list is {slug}'s)")
        df = df[df["province"] == slug].reset_index(drop=True)
        if df.empty:
            raise DataError(f"no unit of province '{province}' in the list", file=fname, column="province",
                            expected="rows whose province is this one (any usual spelling)")
    by_province = has_province and province is None
    seen = _Seen()
    for i, (unit, row) in enumerate(zip(df["unit"], df["_row"], strict=True)):
        group = df.at[i, "province"] if by_province else None
        hit = seen.match(unit, group)
        if hit:
            raise DataError(f"'{unit}' is the same unit as '{hit[0]}' in row {hit[1]} {SAME_UNIT}", file=fname,
                            row=int(row), column="unit", expected="one row per unit")
        seen.add(unit, row, group)
    return df[["unit"] + (["province"] if has_province else []) + ["_row"]]


def _provinces(df: pd.DataFrame, fname: str) -> list[str]:
    """The 34-province slug of each row's ``province`` cell (an empty cell is an error naming its row)."""
    from .data.names import canonical

    out = []
    for p, r in zip(df["province"], df["_row"], strict=True):
        p = str(p).strip()
        if p in {"", "nan"}:
            raise DataError("empty cell", file=fname, row=int(r), column="province",
                            expected="the province's name (any usual spelling), or no province column")
        out.append(canonical(p, 34, file=fname, row=int(r), column="province"))
    return out


def template_units(path) -> list[str] | None:
    """The units listed on the :data:`UNITS_SHEET` sheet of workbook *path* (a template written with
    ``--units``, or a filled copy of it: the column headed ``unit`` or a label of it), or None when it has
    no such sheet (or is not a workbook).  Read from the workbook opened read-only, once."""
    path = Path(path)
    if path.suffix.lower() not in {".xlsx", ".xlsm"} or not path.is_file():
        return None
    import openpyxl

    from .io import clean_text
    from .templates import header_aliases

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - not a workbook: read_table says why
        return None
    try:
        if UNITS_SHEET not in wb.sheetnames:
            return None
        rows = [[spelling(clean_text(v)) if v is not None else "" for v in r]
                for r in wb[UNITS_SHEET].iter_rows(values_only=True)]
    finally:
        wb.close()
    codes = {k.casefold(): v for k, v in header_aliases().items()} | {"unit": "unit"}
    for i, r in enumerate(rows):
        heads = [codes.get(v.casefold()) for v in r]
        if "unit" in heads:
            j = heads.index("unit")
            return [r[j] for r in rows[i + 1:] if j < len(r) and r[j]]
    return None


def check_units(df: pd.DataFrame, fname: str, known: list[str] | None = None, *, sheet: bool = False) -> None:
    """Unit data's ``unit`` column (with ``_row``): no unit written two ways (names that are one unit once
    case, diacritics, spaces and the prefix are ignored, such as a typo "Xã Tân Uyen" among rows of
    "Xã Tân Uyên": an error naming both rows, the less used spelling as the wrong one), and with *known*
    (a unit list: given with ``--units``, or the workbook's :data:`UNITS_SHEET` sheet when *sheet*) no unit
    outside the list (the closest names suggested)."""
    first = df.groupby("unit", sort=False)["_row"].agg(["min", "size"])
    seen = _Seen()
    for unit, (row, _n) in first.sort_values("size", ascending=False, kind="stable").iterrows():
        hit = seen.match(unit)
        if hit:
            raise DataError(f"'{unit}' is the same unit as '{hit[0]}' in row {hit[1]} {SAME_UNIT}", file=fname,
                            row=int(row), column="unit", expected="one spelling of each unit's name in every row")
        seen.add(unit, int(row))
    if known is None:
        return
    for unit, (row, _) in first.sort_values("min").iterrows():
        if not any(same_unit(unit, k) for k in known):
            expected = (f"a unit of sheet '{UNITS_SHEET}' (the units the template was written for; a new unit is "
                        "added there)" if sheet else "a unit of the list given with --units")
            raise DataError(f"unit '{unit}' is not in the unit list{suggest(unit, known)}", file=fname,
                            row=int(row), column="unit", expected=expected)


__all__ = ["UNITS_SHEET", "check_unit_choice", "check_units", "find_unit", "read_unit_list", "same_unit", "template_units", "unit_key",
           "unit_matches", "unit_parts"]
