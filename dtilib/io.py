"""Reading user files strictly and writing outputs atomically.

* :func:`read_table` reads CSV (UTF-8, with or without BOM) or Excel into a DataFrame of strings, and
  turns every decoding/format problem into one :class:`~dtilib.errors.DataError` naming the file.
* :func:`atomic_write` / :func:`atomic_path` write to a temporary file in the destination folder and
  rename it over the target only when complete, so a crash or kill leaves the previous file intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from .errors import DataError


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike, suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path next to *target*; on success rename it over *target*.

    On any exception the temporary file is removed and *target* is untouched.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or target.suffix + ".tmp",
                               dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            os.fsync(fh.fileno())
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual mode
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()
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


def write_csv(df, target: str | os.PathLike) -> Path:
    """Write a DataFrame as UTF-8 CSV (``\\n`` line ends, no index) atomically."""
    return atomic_write(target, df.to_csv(index=False, lineterminator="\n"))


def read_table(path: str | os.PathLike, *, sheet: str | int = 0, required: list[str] | None = None):
    """Read a CSV or Excel file as strings; clear errors for encoding, emptiness and columns.

    Row numbers in later errors are *file* rows: the header is row 1, the first data row is row 2.
    """
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise DataError("file not found", file=str(path), expected="an existing CSV or Excel file")
    if path.stat().st_size == 0:
        raise DataError("file is empty", file=str(path), expected="a header row and at least one data row")
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        df = _read_excel(path, sheet)
    elif suffix in {".csv", ".txt", ""}:
        raw = path.read_bytes()
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            raise DataError("UTF-16 file (it starts with a UTF-16 byte-order mark)", file=str(path), row=1,
                            expected="a UTF-8 file; in Excel use 'Save As → CSV UTF-8'")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise DataError(
                f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}; the file may be in a Windows/TCVN3 encoding)",
                file=str(path), row=line,
                expected="a UTF-8 file; in Excel use 'Save As → CSV UTF-8'",
            ) from None
        import io as _io

        try:  # header=None: pandas would rename a repeated column ("value.1") before we could see it
            raw_rows = pd.read_csv(_io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                                   skipinitialspace=True)
        except pd.errors.EmptyDataError:
            raise DataError("file has no header row", file=str(path), expected="a header row") from None
        except pd.errors.ParserError as exc:
            raise DataError(f"cannot parse CSV: {exc}", file=str(path),
                            expected="comma-separated values with the same number of fields per row") from None
        df = raw_rows.iloc[1:].reset_index(drop=True)
        df.columns = raw_rows.iloc[0].tolist()
    else:
        raise DataError(f"unsupported file type '{suffix}'", file=str(path), expected=".csv or .xlsx")
    df.columns = [str(c).strip() for c in df.columns]
    dups = sorted({c for c in df.columns if list(df.columns).count(c) > 1})
    if dups:
        raise DataError(f"duplicate column(s) {', '.join(dups)}", file=str(path), row=1,
                        expected="each column name once")
    if len(df) == 0:
        raise DataError("file has a header but no data rows", file=str(path), expected="at least one data row")
    if required:
        check_columns(df, required, str(path))
    return df


def check_columns(df, required: list[str], file: str) -> None:
    """Raise a DataError listing the missing columns (and near misses) of *df*."""
    from .errors import suggest

    missing = [c for c in required if c not in df.columns]
    if missing:
        hint = "".join(suggest(m, df.columns) for m in missing[:1])
        raise DataError(
            f"missing column(s) {', '.join(missing)}{hint}",
            file=file, row=1, expected="columns " + ", ".join(required),
        )


def _read_excel(path: Path, sheet):
    import pandas as pd

    try:
        import openpyxl

        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception as exc:  # corrupt or not an xlsx
        raise DataError(f"cannot open Excel file: {exc}", file=str(path), expected="a valid .xlsx") from None
    ws = wb.worksheets[sheet] if isinstance(sheet, int) else wb[sheet]
    for rng in ws.merged_cells.ranges:
        if rng.min_row == 1:
            raise DataError(
                f"merged header cells {rng.coord}", file=str(path), row=1,
                expected="one plain header cell per column (unmerge the header)",
            )
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise DataError("sheet is empty", file=str(path), expected="a header row and data rows")
    header = ["" if h is None else str(h).strip() for h in rows[0]]
    data = [["" if v is None else _cell_str(v) for v in r] for r in rows[1:]
            if any(v is not None and str(v).strip() != "" for v in r)]
    return pd.DataFrame(data, columns=header, dtype=str)


def _cell_str(v) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


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


def recover_dir(target: str | os.PathLike) -> None:
    """If a swap was killed between its two renames, put the previous folder back."""
    target = Path(target)
    old = target.with_name(f".{target.name}.old")
    if not target.exists() and old.is_dir():
        os.replace(old, target)


def display_path(path: str | os.PathLike) -> str:
    """A path as a person would write it: relative to the working folder when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
