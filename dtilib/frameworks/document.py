"""Import a framework from its official document: the appendix table of a decision.

:func:`import_document` reads a ``.docx`` (python-docx), ``.xlsx`` (openpyxl), ``.xls`` (xlrd), ``.csv``
or a table pasted as text (``.txt``/``.md``, tab- or pipe-separated), finds the table's header row by
its Vietnamese column names (``STT | Chỉ số / Chỉ số thành phần | Điểm tối đa | Cách xác định và tính
điểm | …``, with or without diacritics, any case), and builds a framework: main indicators, their
sub-indicators with max points, and each sub-indicator's rule recognised from the scoring prose
(:mod:`dtilib.frameworks.recognise`) or ``unknown`` with the text kept verbatim in ``source_text``.

Tolerated: title rows above the table, the header repeated at page breaks, a row of column numbers,
merged cells, multi-line cells, continuation rows (a cell's text split over several rows under one
STT), numbering ``1 / 1.1 / 1.1.1`` or ``I / 1``, ``a) b)`` parts. Sums (sub-indicators vs their main
indicator vs the total) are checked and disagreements reported as the document's, never fixed.
A table without a header row, numbering that jumps or repeats, or points that are not numbers is an
error naming the file, sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import DataError
from ..i18n import fold
from .recognise import clean, recognise

SUFFIXES = {".docx", ".xlsx", ".xlsm", ".xls", ".csv", ".txt", ".md"}
ROMAN_RE = re.compile(r"^(?=[IVX])(X{0,3})(IX|IV|V?I{0,3})$")
DOTTED_RE = re.compile(r"^\d{1,3}(?:\.\d{1,3}){0,3}$")
PART_RE = re.compile(r"^([a-zđ])\)?$")
SECTION_RE = re.compile(r"^[A-H]$")
COLUMN_NUMBER_RE = re.compile(r"^\(?(\d{1,2}|[a-z])\)?$")

# header cell (folded, lower case) → role; the first matching pattern wins
HEADER_PATTERNS = [
    ("code", re.compile(r"^(stt|tt|so tt|so thu tu|ma|ma so|ma chi so)$")),
    ("max", re.compile(r"(diem toi da|thang diem|diem chuan|^diem$|^so diem$|^diem so$)")),
    ("scoring", re.compile(r"(cach xac dinh|cach tinh|phuong phap|cach cham|huong dan cham|tinh diem)")),
    ("evidence", re.compile(r"(tai lieu kiem chung|kiem chung)")),
    ("responsible", re.compile(r"(don vi phu trach|don vi thuc hien|co quan chu tri|don vi chu tri|phu trach)")),
    ("name", re.compile(r"(chi so|tieu chi|noi dung|ten chi so)")),
]


@dataclass
class Row:
    sheet: str | None
    row: int
    cells: list[str]

    def where(self) -> str:
        return (f"sheet '{self.sheet}', row {self.row}") if self.sheet else f"row {self.row}"


@dataclass
class Entry:
    """One numbered row of the table (with its continuation rows merged in)."""

    code: str
    kind: str          # main | sub | part | section
    name: str
    max_text: str
    scoring: str
    responsible: str
    evidence: str
    at: Row
    parent: str | None = None
    group: str | None = None
    children: list = field(default_factory=list)


@dataclass
class ImportResult:
    """What :func:`import_document` found: the framework (as a dict) and the document's own findings."""

    framework: dict
    file: str
    n_sub: int
    n_recognised: int
    points_total: float
    points_recognised: float
    unknowns: list[tuple[str, str, float | None]]      # (code, name, max)
    disagreements: list[dict]                          # the document's sums that do not hold, maxima it lacks
    skipped: list[dict]                                 # rows read but not part of the framework (why)

    def to_yaml(self) -> str:
        return dump_yaml(self.framework)


def dump_yaml(doc: dict) -> str:
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


# ── reading ────────────────────────────────────────────────────────────────────────────────────────

def read_rows(path: Path, display: str) -> list[Row]:
    """Every table row of the document as text cells (merged cells: the text once, in the first cell)."""
    suffix = path.suffix.lower()
    if not path.exists():
        raise DataError("file not found", file=display, expected="an existing document")
    if suffix not in SUFFIXES:
        raise DataError(f"unsupported document type '{suffix}'", file=display,
                        expected="a .docx, .xlsx, .xls, .csv, .txt or .md file")
    try:
        if suffix == ".docx":
            return _read_docx(path)
        if suffix in {".xlsx", ".xlsm"}:
            return _read_xlsx(path)
        if suffix == ".xls":
            return _read_xls(path)
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataError("not valid UTF-8", file=display, expected="a UTF-8 text file") from None
    except DataError:
        raise
    except Exception as exc:  # a damaged or mislabelled office file
        raise DataError(f"cannot be read as {suffix}: {type(exc).__name__}: {exc}", file=display,
                        expected=f"a valid {suffix} file") from None
    if suffix == ".csv":
        return _read_csv(text)
    return _read_text(text)


def _read_docx(path: Path) -> list[Row]:
    import docx

    document = docx.Document(str(path))
    # the text around the tables (title, decision) as one-cell rows, for the title only
    rows: list[Row] = [Row("text", i, [p.text]) for i, p in enumerate(document.paragraphs, 1) if p.text.strip()]
    for t, table in enumerate(document.tables, 1):
        sheet = f"table {t}" if len(document.tables) > 1 else None
        above: list = []
        for r, row in enumerate(table.rows, 1):
            cells, seen = [], set()
            for c, cell in enumerate(row.cells):
                tc = id(cell._tc)
                repeat = tc in seen or (c < len(above) and above[c] is cell._tc)  # merged across or down
                seen.add(tc)
                cells.append("" if repeat else cell.text)
            above = [cell._tc for cell in row.cells]
            rows.append(Row(sheet, r, cells))
    return rows


def _read_xlsx(path: Path) -> list[Row]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    rows = []
    for ws in wb.worksheets:
        for r, values in enumerate(ws.iter_rows(values_only=True), 1):
            rows.append(Row(ws.title, r, [_cell_text(v) for v in values]))
    return rows


def _read_xls(path: Path) -> list[Row]:
    import xlrd

    book = xlrd.open_workbook(str(path))
    rows = []
    for sh in book.sheets():
        for r in range(sh.nrows):
            rows.append(Row(sh.name, r + 1, [_cell_text(v) for v in sh.row_values(r)]))
    return rows


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read_csv(text: str) -> list[Row]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [Row(None, i, cells) for i, cells in enumerate(csv.reader(io.StringIO(text), dialect), 1)]


def _read_text(text: str) -> list[Row]:
    """A pasted table: tab-separated, or pipe-separated (Markdown); other lines are kept as one cell."""
    lines = text.splitlines()
    pipe = sum(line.count("|") >= 2 for line in lines) > sum("\t" in line for line in lines)
    rows = []
    for i, line in enumerate(lines, 1):
        if pipe:
            if re.fullmatch(r"\s*\|?[\s:|-]*-[\s:|-]*\|?\s*", line):
                continue  # Markdown separator row
            s = line.strip()
            if "|" in s:
                s = s[1:] if s.startswith("|") else s
                s = s[:-1] if s.endswith("|") else s
                cells = [c.strip().replace("<br>", "\n") for c in s.split("|")]
            else:
                cells = [s]
        else:
            cells = line.split("\t")
        rows.append(Row(None, i, cells))
    return rows


# ── the table ──────────────────────────────────────────────────────────────────────────────────────

def _header_roles(cells: list[str]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for i, c in enumerate(cells):
        f = re.sub(r"\s+", " ", fold(c).lower()).strip(" .:/")
        if not f:
            continue
        for role, pat in HEADER_PATTERNS:
            if pat.search(f):
                roles.setdefault(role, i)
                break
    if {"code", "name", "max"} <= set(roles):
        return roles
    return None


def find_header(rows: list[Row], display: str) -> tuple[int, int, dict[str, int], Row]:
    """(first header row, number of header rows, column roles, the header as one row) — a header may span
    two rows (e.g. "QUY CHUẨN ĐÁNH GIÁ" above "Điểm tối đa | Cách xác định và tính điểm")."""
    for i, row in enumerate(rows):
        roles = _header_roles(row.cells)
        if roles:
            return i, 1, roles, row
        if i + 1 < len(rows) and rows[i + 1].sheet == row.sheet:
            below = rows[i + 1].cells
            width = max(len(row.cells), len(below))
            joined = [" ".join(x for x in (_get(row, c), _get(rows[i + 1], c)) if x) for c in range(width)]
            roles = _header_roles(joined)
            if roles:
                return i, 2, roles, Row(row.sheet, row.row, joined)
    raise DataError("no header row found", file=display,
                    expected="a table whose header names the columns STT, Chỉ số / Chỉ số thành phần and Điểm tối đa "
                             "(and usually Cách xác định và tính điểm)")


def _get(row: Row, i: int | None) -> str:
    if i is None or i >= len(row.cells):
        return ""
    return str(row.cells[i] or "").strip()


def table_entries(rows: list[Row], display: str) -> tuple[list[Entry], list[str], tuple[str, Row] | None, dict]:
    """Numbered rows of the table, continuation rows merged; also skipped rows and a stated total."""
    h, n_header, roles, header = find_header(rows, display)
    header_keys = [[fold(c).lower().strip() for c in r.cells] for r in rows[h:h + n_header]]
    entries: list[Entry] = []
    skipped: list[dict] = []
    total = None
    for row in rows[h + n_header:]:
        if not any(str(c).strip() for c in row.cells):
            continue
        if [fold(c).lower().strip() for c in row.cells] in header_keys or _header_roles(row.cells):
            continue  # the header again (page break)
        nonempty = [str(c).strip() for c in row.cells if str(c).strip()]
        if len(nonempty) >= 3 and all(COLUMN_NUMBER_RE.match(c) for c in nonempty):
            continue  # a row of column numbers (1) (2) (3) or letters a b c
        code = _get(row, roles["code"]).rstrip(".").strip()
        name = _get(row, roles["name"])
        if not _numbering_kind(code) and (fold(code).lower().startswith("tong") or (
                not code and _get(row, roles["max"]) and re.match(r"^\s*tong\b", fold(name).lower()))):
            total = (_get(row, roles["max"]), row)
            continue
        kind = _numbering_kind(code)
        if not code or (kind is None and not name and not _get(row, roles["max"])):
            if entries and not code:
                _append(entries[-1], row, roles)          # continuation row
            elif code:
                skipped.append({"why": "note", "where": row.where(), "text": code[:60]})  # a note across the table
            continue
        if kind is None:
            raise DataError(f"STT '{code}' is not a number the import understands", file=display,
                            row=row.where(), column=header.cells[roles["code"]].strip() or "STT",
                            expected="numbering like 1, 1.1, 1.1.1, I, II or a), b)")
        if entries and code == entries[-1].code and (not name or name == entries[-1].name):
            _append(entries[-1], row, roles, repeated=True)  # a merged STT repeated on the next row
            continue
        entries.append(Entry(code=code, kind=kind, name=name, max_text=_get(row, roles["max"]),
                             scoring=_get(row, roles.get("scoring")), responsible=_get(row, roles.get("responsible")),
                             evidence=_get(row, roles.get("evidence")), at=row))
    return entries, skipped, total, {"roles": roles, "header": header, "start": h}


def _append(entry: Entry, row: Row, roles: dict, repeated: bool = False) -> None:
    for attr, role in [("name", "name"), ("max_text", "max"), ("scoring", "scoring"),
                       ("responsible", "responsible"), ("evidence", "evidence")]:
        if repeated and attr in {"name", "max_text"}:
            continue
        text = _get(row, roles.get(role))
        if text:
            old = getattr(entry, attr)
            setattr(entry, attr, (old + "\n" + text) if old else text)


def _numbering_kind(code: str) -> str | None:
    if not code:
        return None
    if DOTTED_RE.match(code):
        return "dotted"
    if ROMAN_RE.match(code):
        return "roman"
    if PART_RE.match(code):
        return "part"
    if SECTION_RE.match(code):
        return "section"
    return None


# ── structure ──────────────────────────────────────────────────────────────────────────────────────

def parse_points(text: str, display: str, row: Row, column: str) -> float | None:
    t = fold(clean(text)).lower().strip()
    t = re.sub(r"\s*(diem|đ|d)\.?$", "", t).strip()
    if t in {"", "-", "—"}:
        return None
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", t):
        return float(t.replace(".", ""))
    t2 = t.replace(",", ".")
    try:
        v = float(t2)
    except ValueError:
        raise DataError(f"points '{text.strip()[:40]}' are not a number", file=display, row=row.where(),
                        column=column, expected="a number of points such as 10 or 2,5") from None
    if v < 0 or v != v:
        raise DataError(f"points {text.strip()!r} are negative", file=display, row=row.where(), column=column,
                        expected="points ≥ 0")
    return v


def _structure(entries: list[Entry], display: str, header: Row, roles: dict) -> tuple[list[Entry], list[str]]:
    """Assign each entry its level (main / sub / part) and check that numbering neither jumps nor repeats."""
    col = header.cells[roles["code"]].strip() or "STT"
    # I, II … are the main indicators when the rest is numbered 1, 2 …; above 1.1-style numbering they
    # are groups of main indicators ("I. Nhóm chỉ số chung")
    roman = any(e.kind == "roman" for e in entries) and not any("." in e.code for e in entries if e.kind == "dotted")
    group = None
    mains: list[Entry] = []
    skipped: list[dict] = []
    seen: dict[str, Entry] = {}

    def fail(e: Entry, msg: str, expected: str):
        raise DataError(msg, file=display, row=e.at.where(), column=col, expected=expected)

    current_main: Entry | None = None
    last_sub: Entry | None = None
    last_leaf: Entry | None = None
    section_ok = True
    for e in entries:
        if e.kind == "section":
            section_ok = not re.search(r"thong tin chung", fold(e.name).lower())
            current_main, last_sub = None, None
            skipped.append({"why": "section", "where": e.at.where(), "text": f"{e.code} {e.name[:60]}"})
            continue
        if e.kind == "part":
            _attach_part(e, last_leaf, fail)
            continue
        if e.kind == "roman" and not roman:
            group, current_main = _one_line(e.name), None
            continue
        if not section_ok:
            skipped.append({"why": "outside", "where": e.at.where(), "text": f"{e.code} {e.name[:60]}"})
            continue
        if not roman and e.kind != "dotted":
            fail(e, f"STT '{e.code}' mixes numbering styles", "numbering 1, 1.1, 1.1.1 throughout")
        if (e.kind == "roman") if roman else ("." not in e.code):
            want = _roman(len(mains) + 1) if roman else str(len(mains) + 1)
            if e.code != want:
                fail(e, f"numbering jumps or repeats: '{e.code}' after '{mains[-1].code if mains else '(start)'}'",
                     f"'{want}'")
            e.kind = "main"
            e.group = group
            mains.append(e)
            current_main, last_sub, last_leaf = e, None, None
            continue
        if roman:
            if current_main is None:
                skipped.append({"why": "outside", "where": e.at.where(), "text": f"{e.code} {e.name[:60]}"})
                continue
            e.code = f"{current_main.code}.{e.code}"  # 1 under II → II.1
        # a sub-indicator (or a deeper level) under current_main
        _attach_sub(e, current_main, seen, fail)
        last_sub = e
        last_leaf = e
    _ = last_sub
    return mains, skipped


def _attach_part(e: Entry, host: Entry | None, fail) -> None:
    """A lettered part ``a)``, ``b)`` … under the sub-indicator row above it, letters in order."""
    if host is None:
        fail(e, f"part '{e.code})' has no sub-indicator above it", "a), b) parts under a numbered row")
    prev = host.children[-1].code if host.children else None
    want = "a" if prev is None else chr(ord(prev) + 1)
    if e.code.rstrip(")") != want:
        fail(e, f"numbering jumps or repeats: part '{e.code})' after "
                f"'{prev + ')' if prev else host.code}'", f"part '{want})'")
    e.code = e.code.rstrip(")")
    e.parent = host.code
    host.children.append(e)


def _attach_sub(e: Entry, current_main: Entry | None, seen: dict[str, Entry], fail) -> None:
    """A sub-indicator row (1.2, 1.2.1 …) under *current_main* or a row already *seen*: its number follows
    its previous sibling's, once, and its parent row comes first."""
    if current_main is None:
        fail(e, f"'{e.code}' comes before any main indicator", "a main indicator row (1, 2 … or I, II …) first")
    if e.code in seen:
        fail(e, f"numbering repeats: '{e.code}' (first at {seen[e.code].at.where()})", "each STT once")
    parent_code = e.code.rsplit(".", 1)[0]
    if not (parent_code == current_main.code or parent_code.startswith(current_main.code + ".")):
        fail(e, f"'{e.code}' is not under the current main indicator '{current_main.code}'",
             f"a number starting with '{current_main.code}.'")
    siblings = [x for x in seen.values() if x.code.rsplit(".", 1)[0] == parent_code]
    want_last = str(len(siblings) + 1)
    if e.code.rsplit(".", 1)[1] != want_last:
        fail(e, f"numbering jumps or repeats: '{e.code}' after "
                f"'{siblings[-1].code if siblings else parent_code}'", f"'{parent_code}.{want_last}'")
    if parent_code != current_main.code and parent_code not in seen:
        fail(e, f"'{e.code}' has no row '{parent_code}' above it", f"a row '{parent_code}' first")
    e.kind = "sub"
    e.parent = parent_code
    seen[e.code] = e
    (seen[parent_code].children if parent_code in seen else current_main.children).append(e)


def _roman(n: int) -> str:
    vals = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "_", fold(text).lower()).strip("_")
    return s[:40].rstrip("_")


def sub_id(code: str) -> str:
    """The default sub-indicator id of STT *code*: ``1.2`` → ``s1_2``, ``III.4`` → ``sIII_4``."""
    return "s" + code.replace(".", "_")


# ── building the framework ─────────────────────────────────────────────────────────────────────────

def import_document(path, *, id: str, level: str | None = None, legal_source: str | None = None,  # noqa: A002
                    source_url: str | None = None, years: tuple[int, int | None] | None = None,
                    name_vi: str | None = None, name_en: str | None = None) -> ImportResult:
    """Read a framework document and return an :class:`ImportResult` (validated, nothing written)."""
    from .loader import ID_RE, parse_framework

    path = Path(path)
    display = str(path)
    if not ID_RE.match(id or ""):
        from ..errors import ParameterError

        raise ParameterError(f"framework id {id!r} is not valid", column="--id",
                             expected="letters, digits, '-', '_' or '.'")
    rows = read_rows(path, display)
    entries, skipped, total_row, meta = table_entries(rows, display)
    header, roles = meta["header"], meta["roles"]
    max_col = header.cells[roles["max"]].strip()
    mains, skipped2 = _structure(entries, display, header, roles)
    skipped += skipped2
    if not mains:
        raise DataError("the table has no numbered main indicator rows", file=display,
                        expected="rows numbered 1, 2 … (or I, II …) with their sub-indicators 1.1, 1.2 …")
    title = " ".join(" ".join(c for c in r.cells if c) for r in rows[: meta["start"]])
    tally = _Tally()
    used_ids: set[str] = set()
    main_docs, sub_docs = [], []
    for m in mains:
        main_doc, subs = _main_doc(m, _main_id(m, used_ids), display, max_col, tally)
        main_doc["source"] = f"{display_name(path)}, {m.at.where()}"
        main_docs.append(main_doc)
        sub_docs += subs
    total = _total_points(main_docs, total_row, display, max_col, tally.disagreements)
    for m in main_docs:
        m["name_en"] = m["name_en"] or f"(not translated) {m['name_vi']}"
    yrs = years or _guess_years(title)
    fw = {
        "id": id,
        "version": "1",
        "name_vi": name_vi or _guess_name(title) or f"Bộ chỉ số nhập từ {display_name(path)}",
        "name_en": name_en or f"Framework imported from {display_name(path)}",
        "legal_source": legal_source or f"(chưa rõ số quyết định) {display_name(path)}",
        "level": level or _guess_level(title),
        "years": [yrs[0], yrs[1]],
        "total_points": total,
        "completeness": (f"Imported from {display_name(path)}: {len(main_docs)} main indicators, {len(sub_docs)} "
                         f"sub-indicators; {tally.n_rec} with a recognised rule ({_g(tally.pts_rec)} of "
                         f"{_g(tally.pts_total)} points), {len(tally.unknowns)} unknown (rule: unknown, source_text "
                         "kept). Recognised rules are read from the text by pattern (recognised_from) and should be "
                         "checked against the document."),
    }
    if source_url:
        fw["source_url"] = source_url
    if tally.disagreements:
        fw["notes"] = ("Found in the document (kept as stated, not corrected): "
                       + "; ".join(describe_finding(d, "en") for d in tally.disagreements))
    fw["main_indicators"] = main_docs
    fw["sub_indicators"] = sub_docs
    text = dump_yaml(fw)
    parse_framework(text, f"{display} (imported)")
    return ImportResult(framework=fw, file=display, n_sub=len(sub_docs), n_recognised=tally.n_rec,
                        points_total=tally.pts_total, points_recognised=tally.pts_rec, unknowns=tally.unknowns,
                        disagreements=tally.disagreements, skipped=skipped)


@dataclass
class _Tally:
    """What an import found so far: sub-indicators with a recognised rule and their points, the unknown
    ones, and the figures of the document that do not add up."""

    n_rec: int = 0
    pts_total: float = 0.0
    pts_rec: float = 0.0
    unknowns: list = field(default_factory=list)
    disagreements: list = field(default_factory=list)


def _main_id(m: Entry, used_ids: set[str]) -> str:
    """A main indicator's id from its name (``Nhận thức số`` → ``nhan_thuc_so``), unique among *used_ids*."""
    mid = _slug(m.name) or "m" + m.code
    if not re.match(r"^[A-Za-z]", mid) or mid in used_ids:
        mid = f"m{m.code}_{mid}" if mid else f"m{m.code}"
    mid = mid[:48]
    used_ids.add(mid)
    return mid


def _main_doc(m: Entry, mid: str, display: str, max_col: str, tally: _Tally) -> tuple[dict, list[dict]]:
    """A main indicator and its sub-indicators as framework entries; its points are checked against its
    rows' (findings and counts go to *tally*)."""
    mmax = parse_points(m.max_text, display, m.at, max_col)
    leaves = _leaves(m)
    main_doc = {"id": mid, "name_vi": _one_line(m.name), "name_en": "", "code": m.code,
                "max_points": None if mmax is None else _int(mmax)}
    if m.group:
        main_doc["group"] = m.group
    sub_docs, sub_max = [], []
    for s in leaves:
        smax = parse_points(s.max_text, display, s.at, max_col)
        sub_max.append(smax)
        sub_doc = _sub_doc(s, mid, smax, display, max_col, tally.disagreements)
        sub_docs.append(sub_doc)
        if smax is not None:
            tally.pts_total += smax
        if sub_doc["rule"] == "unknown":
            tally.unknowns.append((s.code, _one_line(s.name), smax))
        else:
            tally.n_rec += 1
            tally.pts_rec += smax or 0.0
    known = [x for x in sub_max if x is not None]
    # intermediate levels (1.1 with 1.1.1 … under it): their points against their children's
    for mid_entry in _intermediates(m):
        own = parse_points(mid_entry.max_text, display, mid_entry.at, max_col)
        kids = [parse_points(c.max_text, display, c.at, max_col) for c in mid_entry.children if c.kind == "sub"]
        if own is not None and all(k is not None for k in kids) and abs(sum(kids) - own) > 1e-6:
            tally.disagreements.append(_finding("rows_sum", mid_entry, sum(kids), own))
    if mmax is None:
        tally.disagreements.append(_finding("no_max", m))
    elif leaves and len(known) == len(leaves) and abs(sum(known) - mmax) > 1e-6:
        tally.disagreements.append(_finding("sub_sum", m, sum(known), mmax))
    if leaves and len(known) == len(leaves) and mmax is not None and abs(sum(known) - mmax) <= 1e-6:
        main_doc["n_sub_indicators"] = len(leaves)
    return main_doc, sub_docs


def _total_points(main_docs: list[dict], total_row, display: str, max_col: str, disagreements: list):
    """The framework's total: the document's total row when it agrees with the main indicators' points
    (a disagreement is recorded and the total left unknown), else their sum when all are known."""
    main_sum = sum(m["max_points"] for m in main_docs if m["max_points"] is not None)
    all_known = all(m["max_points"] is not None for m in main_docs)
    if total_row is None:
        return _int(main_sum) if all_known else None
    stated = parse_points(total_row[0], display, total_row[1], max_col)
    stated = None if stated is None else _int(stated)
    if stated is not None and all_known and abs(stated - main_sum) > 1e-6:
        disagreements.append({"kind": "total", "code": "", "name": "", "sum": main_sum, "stated": stated,
                              "where": total_row[1].where()})
        return None
    return stated


def _leaves(main: Entry) -> list[Entry]:
    out = []
    for c in main.children:
        if c.kind == "sub" and any(k.kind == "sub" for k in c.children):
            out.extend(_leaves(c))
        elif c.kind == "sub":
            out.append(c)
    return out


def _intermediates(main: Entry) -> list[Entry]:
    out = []
    for c in main.children:
        if c.kind == "sub" and any(k.kind == "sub" for k in c.children):
            out.append(c)
            out.extend(_intermediates(c))
    return out


def _sub_doc(s: Entry, mid: str, smax, display, max_col, disagreements) -> dict:
    doc: dict = {"id": sub_id(s.code), "code": s.code, "main": mid, "name_vi": _one_line(s.name),
                 "max_points": None if smax is None else _int(smax)}
    parts = [c for c in s.children if c.kind == "part"]
    if parts:
        rec = _parts_rule(s, parts, smax, display, max_col, disagreements)
    else:
        rec = recognise(s.scoring, smax) if smax is not None else {"rule": "unknown"}
    doc["rule"] = rec["rule"]
    for k in ("params", "inputs", "formula", "recognised_from"):
        if k in rec:
            doc[k] = rec[k]
    text = s.scoring
    if parts:
        text = "\n".join([text] + [f"{p.code}) {p.name} [{p.max_text}] {p.scoring}".strip() for p in parts]).strip()
    if text:
        doc["source_text"] = text
    if s.responsible:
        doc["responsible"] = _one_line(s.responsible)
    doc["source"] = f"{display_name(Path(display))}, {s.at.where()}"
    return doc


def _parts_rule(s: Entry, parts: list[Entry], smax, display, max_col, disagreements) -> dict:
    pts = [parse_points(p.max_text, display, p.at, max_col) for p in parts]
    if any(p is None for p in pts) or smax is None:
        return {"rule": "unknown"}
    if abs(sum(pts) - smax) > 1e-6:
        disagreements.append(_finding("parts_sum", s, sum(pts), smax))
        return {"rule": "unknown"}
    out_parts = []
    hits = []
    for p, pp in zip(parts, pts, strict=True):
        rec = recognise(p.scoring or p.name, pp)
        if rec["rule"] in {"unknown", "additive"}:
            return {"rule": "unknown"}
        part = {"id": p.code, "points": _int(pp), "rule": rec["rule"], "name_vi": _one_line(p.name)}
        if rec.get("params"):
            part["params"] = rec["params"]
        if rec.get("formula"):
            part["formula"] = rec["formula"]
        out_parts.append(part)
        hits.append(f"{p.code}) {rec['recognised_from']}")
    inputs = {}
    for p in parts:
        rec = recognise(p.scoring or p.name, None)
        inputs.update(rec.get("inputs", {}))
    out = {"rule": "additive", "params": {"parts": out_parts}, "recognised_from": " || ".join(hits)}
    if inputs:
        out["inputs"] = inputs
    return out


def _finding(kind: str, e: Entry, total: float | None = None, stated: float | None = None) -> dict:
    return {"kind": kind, "code": e.code, "name": _one_line(e.name), "sum": total, "stated": stated,
            "where": e.at.where()}


def describe_finding(d: dict, lang: str = "vi") -> str:
    """One line for a finding of :func:`import_document` (a sum that does not hold, a missing max)."""
    from ..i18n import fmt_number, t

    n = {k: fmt_number(d[k], lang, 1) if d[k] is not None else "" for k in ("sum", "stated")}
    return t(f"fwdoc.{d['kind']}", lang, code=d["code"], name=d["name"][:60], where=d["where"], **n).strip()


def _int(v: float):
    return int(v) if float(v).is_integer() else v


def _g(v: float) -> str:
    return f"{v:g}"


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", clean(text)).strip()


def display_name(path: Path) -> str:
    return Path(path).name


def _guess_level(title: str) -> str:
    f = fold(title).lower()
    if re.search(r"cap xa|xa, phuong|ubnd (cac )?xa", f):
        return "commune"
    if re.search(r"cap huyen|huyen, thi xa|ubnd (cac )?huyen", f):
        return "district"
    if re.search(r"so, ban, nganh|co quan chuyen mon", f):
        return "department"
    return "province"


def _guess_years(title: str) -> tuple[int, int | None]:
    m = re.search(r"\b(20[1-4]\d)\b", title)
    if m:
        return int(m.group(1)), None
    import datetime

    return datetime.date.today().year, None


def _guess_name(title: str) -> str | None:
    m = re.search(r"(B[ỘO] CH[ỈI] S[ỐO][^\n(]{5,150})", title, re.I)
    return re.sub(r"\s+", " ", m.group(1)).strip() if m else None
