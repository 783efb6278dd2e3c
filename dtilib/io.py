"""Reading user files strictly and writing outputs atomically.

* :func:`read_table` reads CSV (UTF-8, with or without BOM) or Excel into a DataFrame of strings, and
  turns every decoding/format problem into one :class:`~dtilib.errors.DataError` naming the file.
* :func:`atomic_write` / :func:`atomic_path` write to a temporary file in the destination folder and
  rename it over the target only when complete, so a crash or kill leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import os
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .errors import DataError, DTIError, ParameterError, suggest


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to *target*; on success rename it over *target*.

    On any exception the temporary file is removed and *target* is untouched.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or target.suffix + ".tmp",
                                   dir=target.parent)
    except OSError as exc:  # name the file the user asked for, not the temporary one
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(tmp_path, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
        if isinstance(exc, OSError) and exc.filename in (tmp, str(tmp_path)) and exc.errno is not None:
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(target: str | os.PathLike, data: str | bytes, encoding: str = "utf-8") -> Path:
    """Write *data* to *target* atomically and return the target path."""
    with atomic_path(target) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding=encoding, newline="")
        else:
            tmp.write_bytes(data)
    return Path(target)


def read_table(path: str | os.PathLike, *, sheet: str | int | None = None, required: list[str] | None = None,
               header: list[str] | None = None, aliases: dict[str, str] | None = None):
    """Read a CSV or Excel file as strings; clear errors for encoding, emptiness and columns.

    * CSV: UTF-8 (with or without BOM), UTF-16/32 (with a byte-order mark, or recognised by its zero
      bytes); separated by commas, semicolons or tabs (as Vietnamese-locale Excel writes them).
    * Excel: the sheet the user sees (the active one, which must be visible) or *sheet* by name;
      formula cells must hold a saved result; merged cells are refused in the header and in data.
    * Text is NFC-normalised and zero-width characters are removed.
    * When the *header* columns (default: the *required* ones) are not in the first row, the header is
      looked for in the first rows (a title or blank row above it is skipped).
    * *aliases* maps header labels to column codes (``Đơn vị`` → ``unit``): a header written as a label
      (in any case, its spaces collapsed) is read as its code.

    Rows in later errors are *file* rows: ``df.attrs["rows"]`` holds each data row's number in the file
    (the header is row 1 when nothing stands above it).  Excel cells that hold a number (not text) are
    listed in ``df.attrs["numbers"]`` (see :func:`number_cells`): a number cell is a number, whatever
    decimal convention its text would be read in.
    """
    import pandas as pd

    path = Path(path)
    labels = {_label_key(k): v for k, v in (aliases or {}).items()}

    def code(h: str) -> str:
        return labels.get(_label_key(h), h)

    excel_active = sheet is None and path.suffix.lower() in {".xlsx", ".xlsm"}
    try:
        rows, merges, where, numbers = _file_rows(path, sheet)
    except DataError as exc:
        if excel_active and exc.detail == "file has no header row" and (header or required):
            _point_to_data_sheet(path, header or required, code)   # an empty sheet left active
        raise
    at = _header_index([(n, [code(v) for v in r]) for n, r in rows[:_HEADER_SCAN]], header or required)
    if at is None:
        if excel_active:
            _point_to_data_sheet(path, header or required, code)
        at = 0
    head_row, header = rows[at]
    header = [code(h) for h in header]
    _refuse_merges(merges, head_row, where)
    header = [h.strip() for h in header]
    data = rows[at + 1:]
    width = len(header)
    for n, r in data:
        extra = [v for v in r[width:] if v.strip()]
        if extra:
            raise DataError(f"{len(r)} fields but the header has {width}", file=where, row=n,
                            expected="as many fields as header columns; a stray separator or an unquoted comma splits a value")
    df = pd.DataFrame([(r + [""] * width)[:width] for _, r in data], columns=header, dtype=str)
    blank = [i for i, h in enumerate(header) if not h and not any(r[i].strip() for _, r in data if i < len(r))]
    if blank:  # empty columns without a name (Excel's trailing separators): nothing to read there
        df = df.iloc[:, [i for i in range(width) if i not in set(blank)]]
    df.attrs["rows"] = FileRows(n for n, _ in data)
    df.attrs["header_row"] = head_row
    df.attrs["numbers"] = _number_columns(numbers, header, [n for n, _ in data])
    if required:   # first: a header not found (a title row taken for it) is a missing column, not a duplicate
        check_columns(df, required, where, row=head_row)
    dups = sorted({c or "''" for c in df.columns if list(df.columns).count(c) > 1})
    if dups:
        raise DataError(f"duplicate column(s) {', '.join(dups)}", file=where, row=head_row,
                        expected="each column name once")
    if len(df) == 0:
        raise DataError("file has a header but no data rows", file=where, expected="at least one data row")
    return df


def _file_rows(path: Path, sheet) -> tuple[list[tuple[int, list[str]]], list, str, dict]:
    """The non-blank rows of the file, ``(file row number, cleaned cells)``, its merged ranges (Excel), the
    name to cite it by (``file.xlsx [sheet]``) and its number cells (Excel: ``(row, column index) → float``);
    an error for a missing, empty or unsupported file."""
    if not path.exists():
        raise DataError("file not found", file=str(path), expected="an existing CSV or Excel file")
    if path.is_dir():
        raise DataError("is a folder, not a file", file=str(path), expected="a CSV or Excel file")
    if path.stat().st_size == 0:
        raise DataError("file is empty", file=str(path), expected="a header row and at least one data row")
    suffix = path.suffix.lower()
    merges: list = []
    numbers: dict = {}
    where = str(path)
    if suffix in {".xlsx", ".xlsm"}:
        rows, merges, where, numbers = _read_excel(path, sheet)
    elif suffix in {".csv", ".txt", ""}:
        if sheet is not None:
            raise ParameterError(f"--sheet {sheet} given for a CSV file", file=str(path),
                                 expected="--sheet only with an Excel workbook")
        rows = _read_csv_rows(path)
    elif suffix in {".xls", ".ods", ".numbers"}:
        raise DataError(f"unsupported file type '{suffix}'", file=str(path),
                        expected=".csv or .xlsx: open the file and save it as Excel Workbook .xlsx")
    else:
        raise DataError(f"unsupported file type '{suffix}'", file=str(path), expected=".csv or .xlsx")
    rows = [(n, [clean_text(v) for v in r]) for n, r in rows]
    if suffix not in {".xlsx", ".xlsm"}:  # CSV: undo the apostrophe write_csv puts before = + - @
        rows = [(n, [v[1:] if v[:1] == "'" and v[1:2] in _RISKY_START else v for v in r])
                for n, r in rows]
    rows = [(n, r) for n, r in rows if any(v.strip() for v in r)]
    if not rows:
        raise DataError("file has no header row", file=str(path), expected="a header row")
    return rows, merges, where, numbers


def _refuse_merges(merges: list, head_row: int, where: str) -> None:
    """Merged cells in the header or in the data (``(coord, top, bottom)`` of each merged range) are refused;
    a merged title above the header is fine."""
    for coord, top, bottom in merges:
        if bottom < head_row:
            continue  # a merged title above the table
        if top <= head_row:
            raise DataError(f"merged header cells {coord}", file=where, row=top,
                            expected="one plain header cell per column (unmerge the header)")
        raise DataError(f"merged cells {coord} in the data", file=where, row=top,
                        expected="one value per cell: unmerge the cells and fill each row")


_HEADER_SCAN = 20


def _label_key(label: str) -> str:
    """A header label as compared with the known labels: case and repeated spaces ignored."""
    return " ".join(str(label).split()).casefold()


def _header_index(rows: list[tuple[int, list[str]]], required: list[str] | None) -> int | None:
    """Index of the header among *rows*: the first, or the first of the leading rows holding every
    *required* column (a title or note above the header is skipped); None when no row holds them."""
    if not required:
        return 0
    for i, (_, r) in enumerate(rows[:_HEADER_SCAN]):
        if set(required) <= {v.strip() for v in r}:
            return i
    return None


def _point_to_data_sheet(path: Path, columns: list[str], code) -> None:
    """The active sheet of workbook *path* holds no table with *columns*: when other visible sheets do, an
    error naming them and suggesting ``--sheet`` (a notes sheet left active when the file was saved)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        active, others = wb.active.title, [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    finally:
        wb.close()
    found = []
    for name in others:
        if name == active:
            continue
        try:
            rows = _read_excel(path, name)[0]
        except DTIError:
            continue
        if _header_index([(n, [code(v) for v in r]) for n, r in rows[:_HEADER_SCAN]], columns) is not None:
            found.append(name)
    if found:
        raise DataError(f"the active sheet '{active}' holds no table (columns {', '.join(columns)}); the data are "
                        f"on sheet(s) {', '.join(found)}", file=str(path),
                        expected=f"--sheet {found[0]} (or make that sheet the active one in Excel and save)")


_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))


def clean_text(value) -> str:
    """Cell text as the project reads it: NFC-normalised, zero-width characters and soft hyphens removed."""
    return unicodedata.normalize("NFC", str(value)).translate(_ZERO_WIDTH)


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def _decode(raw: bytes, path: Path) -> str:
    """Text of a CSV: UTF-8, or UTF-16/32 shown by a byte-order mark or by the pattern of zero bytes."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is None and b"\x00" in raw[:4096]:
        head = raw[:4096]
        if len(head) >= 4 and head[1:4] == b"\x00\x00\x00":
            encoding = "utf-32-le"
        elif len(head) >= 4 and head[:3] == b"\x00\x00\x00":
            encoding = "utf-32-be"
        elif head[1:2] == b"\x00":
            encoding = "utf-16-le"
        elif head[:1] == b"\x00":
            encoding = "utf-16-be"
    try:
        return raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        if encoding and encoding != "utf-8-sig":
            raise DataError(f"not valid {encoding.upper()} (byte {exc.start})", file=str(path),
                            expected="a UTF-8 file; in Excel use 'Save As → CSV UTF-8'") from None
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}; the file may be in a Windows/TCVN3 encoding)",
            file=str(path), row=line,
            expected="a UTF-8 file; in Excel use 'Save As → CSV UTF-8'",
        ) from None


def _read_csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line number of the row's start, fields) for every CSV row; the separator is found from the header."""
    import csv

    text = _decode(path.read_bytes(), path)
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    sep = max([",", ";", "\t"], key=lambda s: (first.count(s), s == ","))
    reader = csv.reader(text.splitlines(keepends=True), delimiter=sep, strict=True, skipinitialspace=True)
    rows, start = [], 1
    try:
        for fields in reader:
            rows.append((start, fields))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(f"cannot parse CSV: {exc}", file=str(path), row=start,
                        expected=f"values separated by '{_SEP_NAMES[sep]}' with matched quotes") from None
    return rows


_SEP_NAMES = {",": ",", ";": ";", "\t": "tab"}


def _read_excel(path: Path, sheet):
    """((row number, cell texts) rows, merged ranges, where, number cells) of the sheet the user sees (or
    *sheet*); the number cells map ``(row number, column index)`` to the cell's number."""
    import warnings

    try:
        import openpyxl

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about data validation, print areas…
            wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # corrupt or not an xlsx
        raise DataError(f"cannot open Excel file: {exc}", file=str(path), expected="a valid .xlsx") from None
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    if sheet is None:
        ws = wb.active
        if ws is None or ws.sheet_state != "visible" or not hasattr(ws, "merged_cells"):
            raise DataError("the active sheet is hidden", file=str(path),
                            expected="--sheet NAME, one of " + ", ".join(visible) if visible else "a visible sheet")
    else:
        if str(sheet) not in wb.sheetnames:
            raise ParameterError(f"--sheet {sheet}: no such sheet{suggest(str(sheet), wb.sheetnames)}",
                                 file=str(path), expected="one of " + ", ".join(wb.sheetnames))
        ws = wb[str(sheet)]
    where = f"{path}, sheet '{ws.title}'" if len(wb.sheetnames) > 1 else str(path)
    cells = [(r[0].row, list(r)) for r in ws.iter_rows() if r]
    values = [[c.value for c in r] for _, r in cells]
    formulas = _formula_cells(path, ws.title)
    for (n, r), vals in zip(cells, values, strict=True):
        for c, v in zip(r, vals, strict=True):
            if c.coordinate in formulas and v is None:
                raise DataError(f"cell {c.coordinate} holds a formula without a saved result", file=where, row=n,
                                expected="a value: open the file in Excel or LibreOffice and save it again")
            if isinstance(v, str) and v.strip().upper() in _EXCEL_ERRORS:
                raise DataError(f"cell {c.coordinate} holds the Excel error {v}", file=where, row=n,
                                expected="a value: correct the formula in Excel")
    text = [(n, ["" if v is None else _cell_str(v) for v in vals]) for (n, _), vals in zip(cells, values, strict=True)]
    merges = [(rng.coord, rng.min_row, rng.max_row) for rng in ws.merged_cells.ranges]
    numbers = {(n, j): float(v) for (n, _), vals in zip(cells, values, strict=True) for j, v in enumerate(vals)
               if isinstance(v, int | float) and not isinstance(v, bool)}
    return text, merges, where, numbers


_EXCEL_ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#GETTING_DATA", "#SPILL!",
                 "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}


def _formula_cells(path: Path, title: str) -> set[str]:
    """Coordinates of the formula cells of sheet *title* (read from the workbook's XML, values ignored)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return {c.coordinate for row in wb[title].iter_rows() for c in row
                if getattr(c, "data_type", None) == "f"}
    finally:
        wb.close()


def _cell_str(v) -> str:
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"  # a yes/no word, never silently a number
    if isinstance(v, float):
        if not math.isfinite(v):
            return repr(v)
        if v.is_integer():
            return str(int(v))
        return repr(v)
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()
    return str(v)


class FileRows(tuple):
    """The file row numbers of a frame's rows (``df.attrs["rows"]``): an immutable tuple that pandas
    shares instead of deep-copying it into every derived frame (pandas deep-copies ``attrs`` on each
    operation; a list of a few hundred numbers made that a large part of a report's time)."""

    __slots__ = ()

    def __deepcopy__(self, memo):
        return self


class NumberCells(dict):
    """Column → the number of each data row's cell when the cell holds a number, else None
    (``df.attrs["numbers"]``); shared, not deep-copied, by pandas like :class:`FileRows`."""

    def __deepcopy__(self, memo):
        return self


def _number_columns(numbers: dict, header: list[str], data_rows: list[int]) -> NumberCells:
    """The number cells of each named column, per data row (see :class:`NumberCells`)."""
    out = NumberCells()
    for j, name in enumerate(header):
        col = tuple(numbers.get((n, j)) for n in data_rows)
        if name and any(v is not None for v in col):
            out[name] = col
    return out


def number_cells(df, column: str) -> list:
    """Per row of a frame from :func:`read_table`, the number its *column* cell holds when the file stored a
    number there (an Excel number cell), else None (text, an empty cell, a CSV): a number cell is read as
    that number, never through the decimal-convention rules that text goes through."""
    col = (df.attrs.get("numbers") or {}).get(column)
    return list(col) if col is not None and len(col) == len(df) else [None] * len(df)


def file_rows(df) -> list[int]:
    """The file row number of each row of a frame from :func:`read_table` (header row 1 → data from 2
    when the frame carries no row numbers)."""
    rows = df.attrs.get("rows")
    return list(rows) if rows is not None and len(rows) == len(df) else list(range(2, len(df) + 2))


def check_columns(df, required: list[str], file: str, row: int = 1) -> None:
    """Raise a DataError listing the missing columns (and near misses) of *df*."""

    missing = [c for c in required if c not in df.columns]
    if missing:
        hint = "".join(suggest(m, df.columns) for m in missing[:1])
        raise DataError(
            f"missing column(s) {', '.join(missing)}{hint}",
            file=file, row=row, expected="columns " + ", ".join(required),
        )


# ------------------------------------------------------------------------------------------- outputs
TABLE_FORMATS = (".csv", ".xlsx")
FIGURE_FORMATS = (".png", ".svg", ".pdf")
_NAME_MAX = 255


def check_output(path: str | os.PathLike, *, formats: tuple[str, ...] = TABLE_FORMATS, inputs=(),
                 option: str = "--out") -> Path:
    """Check an output file path before any work is done; return it as a :class:`Path`.

    Refused: an extension outside *formats* (the file is written in the format its extension names),
    an existing folder, a path equal to one of the command's *inputs*, a name too long for the file
    system, a parent that exists as a file.  Nothing is created here.
    """
    if path is None or str(path).strip() == "":
        raise ParameterError(f"{option} is empty", expected="a file name")
    p = Path(path)
    if any(len(os.fsencode(part)) > _NAME_MAX for part in p.parts):
        raise ParameterError(f"{option}: file or folder name longer than {_NAME_MAX} bytes",
                             expected="a shorter name")
    suffix = p.suffix.lower()
    if p.is_dir():
        raise ParameterError(f"{option} {path} is a folder", expected="a file name ending in " + _or(formats))
    if suffix not in formats:
        raise ParameterError(f"{option} {path}: cannot write '{suffix or 'no extension'}' files",
                             expected="a file name ending in " + _or(formats))
    for src in inputs:
        if src is not None and _same_file(p, src):
            raise ParameterError(f"{option} {path} is also an input of this command",
                                 expected="a different output file name, so the input is not overwritten")
    for parent in p.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ParameterError(f"{option} {path}: {parent} is a file, not a folder",
                                     expected="an output path inside a folder")
            break
    return p


def _same_file(a: Path, b) -> bool:
    b = Path(b)
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def excel_text(value):
    """*value* made safe for a CSV opened in Excel: text beginning with ``= + - @``, a tab or a carriage
    return gets a leading apostrophe so that Excel shows it as text, never runs it as a formula.
    Numbers (and text that is just a number, such as ``-0.5``) are left alone."""
    if isinstance(value, str) and value.startswith(_RISKY_START) and not _is_number(value):
        return "'" + value
    return value


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def excel_safe_frame(df):
    """A copy of *df* with :func:`excel_text` applied to every text cell (and column name)."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or str(out[col].dtype) in ("string", "str"):
            out[col] = out[col].map(excel_text)
    out.columns = [excel_text(c) if isinstance(c, str) else c for c in out.columns]
    return out


def protect_sheet(ws) -> None:
    """Make every text cell of an openpyxl worksheet plain text: a cell that openpyxl took for a
    formula (text beginning with ``=``) is stored as a string, and text beginning with a formula
    character gets Excel's quote prefix so that editing the cell in Excel keeps it text."""
    for row in ws.iter_rows():
        for c in row:
            v = c.value
            if isinstance(v, str) and v.startswith(_RISKY_START):
                c.data_type = "s"
                c.quotePrefix = True


def write_csv(df, target: str | os.PathLike, *, for_excel: bool = True) -> Path:
    """Write a DataFrame as UTF-8 CSV (``\\n`` line ends, no index) atomically.

    *for_excel* (the default, for every file a person may open): text cells are made safe with
    :func:`excel_text`, and :func:`read_table` reads them back unchanged.  ``for_excel=False`` only for
    the project's own data tables (``data/processed``), which are read by code, not opened in Excel.
    """
    if for_excel:
        df = excel_safe_frame(df)
    return atomic_write(target, df.to_csv(index=False, lineterminator="\n"))


def write_xlsx(sheets: dict, target: str | os.PathLike, *, setup=None) -> Path:
    """Write DataFrames (sheet name → frame) as one workbook, atomically; every text cell is plain text.

    *setup* (optional) is called with the pandas ``ExcelWriter`` after the frames are written (widths,
    frozen panes…).
    """
    import pandas as pd

    with atomic_path(target) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            for name, frame in sheets.items():
                frame.to_excel(xw, sheet_name=name, index=False)
            if setup is not None:
                setup(xw)
            for ws in xw.book.worksheets:  # after the layout, which may add text (titles, notes)
                protect_sheet(ws)
    return Path(target)


def write_table(df, target: str | os.PathLike, *, sheet: str = "data", lang: str | None = None,
                labels: dict | None = None) -> Path:
    """Write *df* in the format its extension names: ``.csv`` (CSV) or ``.xlsx`` (a real workbook).

    With *lang*, a workbook is written for a reader (:func:`dtilib.i18n.reader_table`: headers in *lang*, or
    *labels* — column → header — where given, codes and notes as words, values rounded; the sheet named by
    the catalogue's ``sheet.<sheet>``); a CSV keeps the codes and full precision for programs.
    """
    suffix = Path(target).suffix.lower()
    if suffix == ".csv":
        return write_csv(df, target)
    if suffix == ".xlsx":
        if lang is not None:
            from .i18n import has, reader_table, t

            name = t(f"sheet.{sheet}" if has(f"sheet.{sheet}") else "sheet.data", lang)
            return write_xlsx({name: reader_table(df, lang, labels=labels)}, target, setup=fit_columns)
        return write_xlsx({sheet: df}, target)
    raise ParameterError(f"cannot write '{suffix or 'no extension'}' files", file=str(target),
                         expected="a file name ending in .csv or .xlsx")


def fit_columns(xw, widest: int = 50) -> None:
    """A reader's sheets laid out to be read: each column as wide as its header or longest cell (up to
    *widest* characters), the header row frozen."""
    from openpyxl.utils import get_column_letter

    for ws in xw.book.worksheets:
        for i, col in enumerate(ws.iter_cols(values_only=True), 1):
            longest = max((len(str(v)) for v in col if v is not None), default=0)
            ws.column_dimensions[get_column_letter(i)].width = min(longest + 2, widest)
        ws.freeze_panes = "A2"


def holds_user_data(path: str | os.PathLike) -> bool:
    """True when *path* is not an empty template: a file this product cannot read back as a table, one
    without a ``value`` or ``points`` column, or one with at least one of those cells filled."""
    p = Path(path)
    if not p.is_file() or p.stat().st_size == 0:
        return False
    from .templates import header_aliases

    try:
        df = read_table(p, aliases=header_aliases())   # a template's headers in either language
    except DTIError:
        return True  # not something this product can read back: treat it as the user's
    cols = [c for c in ("value", "points") if c in df.columns]
    if not cols:
        return True
    return bool(df[cols].astype(str).apply(lambda s: s.str.strip().ne("")).any().any())


# ------------------------------------------------------------------------------------ output folders
MARKER = ".dtilib-output"


def check_output_dir(path: str | os.PathLike, *, option: str = "--out", inputs=(), own_names=()) -> Path:
    """Check a folder the command will replace as a whole: it must not exist, be empty, carry the
    marker file this product leaves in the folders it writes, or hold only files named in *own_names*
    (a build made before the marker existed).  Refused otherwise (its files are the user's), and
    refused when it is the working folder, a folder above it, or holds an input."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise ParameterError(f"{option} {path} is a file, not a folder", expected="a folder name")
    resolved = p.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or resolved in cwd.parents or resolved == Path(resolved.anchor):
        raise ParameterError(f"{option} {path} is the working folder or one above it",
                             expected="a separate output folder, e.g. data/processed")
    for src in inputs:
        if src is not None and (Path(src).resolve() == resolved or resolved in Path(src).resolve().parents):
            raise ParameterError(f"{option} {path} holds an input of this command ({src})",
                                 expected="a separate output folder")
    if p.is_dir() and not (p / MARKER).is_file() and any(c.name not in own_names for c in p.iterdir()):
        raise ParameterError(f"{option} {path} already holds files this command did not write",
                             expected="a new or empty folder, or one written by this command before")
    return p


def mark_output_dir(folder: str | os.PathLike) -> None:
    """Leave the marker that lets a later run replace *folder* (see :func:`check_output_dir`)."""
    (Path(folder) / MARKER).write_text("written by dtilib; this folder is replaced on every build\n",
                                       encoding="utf-8")


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths with Linux ``renameat2(RENAME_EXCHANGE)``; False where unsupported."""
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc != 0:
        err = ctypes.get_errno()
        if err in (38, 22, 95):  # ENOSYS, EINVAL (flag not supported by the file system), EOPNOTSUPP
            return False
        raise OSError(err, os.strerror(err), str(b))
    return True


def swap_dir(new: str | os.PathLike, target: str | os.PathLike) -> None:
    """Put folder *new* in place of folder *target* so that *target* is never missing or half-written.

    On Linux the two folders are exchanged in one atomic step (``renameat2``), then the old one is
    removed.  Elsewhere the old folder is first renamed aside to ``.NAME.old`` (a kill in that short
    window is repaired by :func:`recover_dir`, which every reader calls).
    """
    import shutil

    new, target = Path(new), Path(target)
    recover_dir(target)
    if not target.exists():
        os.replace(new, target)
        return
    if _exchange(new, target):
        shutil.rmtree(new, ignore_errors=True)  # *new* now holds the previous contents
        return
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old, ignore_errors=True)


def files_stamp(folder: str | os.PathLike, names) -> tuple:
    """(modification time, size) of each file *names* in *folder* (None for a missing one): the key of a
    cache that must be read again when one of its files changes."""
    out = []
    for name in names:
        try:
            st = os.stat(Path(folder) / name)
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


def recover_dir(target: str | os.PathLike) -> None:
    """If a swap was killed between its two renames, put the previous folder back."""
    target = Path(target)
    old = target.with_name(f".{target.name}.old")
    if not target.exists() and old.is_dir():
        os.replace(old, target)


def display_path(path: str | os.PathLike) -> str:
    """A path as a person would write it: relative to the working folder when it lies below it, else
    relative to the project (``data/examples/…``, e.g. from a report run in another folder)."""
    p = Path(path)
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        try:
            return str(p.resolve().relative_to(base.resolve()))
        except (ValueError, OSError):
            continue
    return str(path)


def _or(items) -> str:
    """``".png, .svg or .pdf"``."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]
