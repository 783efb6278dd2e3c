"""The framework workbook: a framework as an Excel file an analyst completes by hand, and back.

:func:`export_workbook` writes three sheets — ``chi_so_thanh_phan`` (one row per sub-indicator: code,
name, main indicator, max points, the rule type as an Excel drop-down, the rule's parameters in plain
columns, the formula and inputs, the source text beside), ``chi_so_chinh`` (main indicators) and
``thong_tin`` (the framework's metadata) — plus a ``huong_dan`` sheet explaining the columns.
:func:`import_workbook` reads it back with the same checks as a YAML framework; every error names the
sheet and the cell. Export → import gives the same framework data back (tested for every shipped file).

Plain-column formats: ``tiers``, ``tier_labels``, ``steps`` and ``inputs`` hold one ``key: value`` per
line; ``parts`` and ``other_params`` hold YAML flow text (``[{id: p1, points: 5, rule: binary}, …]``).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import DataError, FrameworkError
from ..i18n import has, t
from ..rules import RULES

SUB_SHEET, MAIN_SHEET, META_SHEET, GUIDE_SHEET = "chi_so_thanh_phan", "chi_so_chinh", "thong_tin", "huong_dan"
SUB_COLUMNS = ["id", "code", "main", "name_vi", "name_en", "max_points", "rule", "threshold", "lower", "tiers",
               "tier_labels", "steps", "parts", "other_params", "formula", "inputs", "share", "responsible",
               "source", "confidence", "target", "notes", "recognised_from", "source_text"]
MAIN_COLUMNS = ["id", "code", "name_vi", "name_en", "group", "max_points", "n_sub_indicators", "scored", "source",
                "notes", "confidence"]
META_KEYS = ["id", "version", "name_vi", "name_en", "legal_source", "source_url", "level", "first_year", "last_year",
             "total_points", "completeness", "notes", "references", "summaries"]
PARAM_COLUMNS = {"threshold": "threshold", "lower": "lower", "tiers": "tiers", "labels": "tier_labels",
                 "steps": "steps", "parts": "parts"}
LINES_COLUMNS = {"tiers", "tier_labels", "steps", "inputs"}
YAML_COLUMNS = {"parts", "other_params", "references", "summaries"}
NUMBER_COLUMNS = {"max_points", "threshold", "total_points", "first_year", "last_year", "n_sub_indicators"}



def _raw(name_or_path) -> tuple[dict, str]:
    """The framework file's data as written (not the validated DataFrames) and its display name."""
    from .loader import load_framework

    fw = load_framework(name_or_path)
    path = Path(fw.path)
    return yaml.safe_load(path.read_text(encoding="utf-8")), fw.id


def export_workbook(name_or_path, out, lang: str = "vi") -> Path:
    """Write framework *name_or_path* (id or .yaml) as a workbook to *out* (atomically)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..io import atomic_path, protect_sheet

    doc, _fid = _raw(name_or_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SUB_SHEET
    ws.append(SUB_COLUMNS)
    for s in doc.get("sub_indicators") or []:
        ws.append([_cell(v) for v in _sub_row(s)])
    n = max(ws.max_row, 2) + 200
    dv = DataValidation(type="list", formula1='"' + ",".join(RULES) + '"', allow_blank=False,
                        showErrorMessage=True, errorTitle="rule", error="one of: " + ", ".join(RULES))
    col = openpyxl.utils.get_column_letter(SUB_COLUMNS.index("rule") + 1)
    dv.add(f"{col}2:{col}{n}")
    ws.add_data_validation(dv)
    dv2 = DataValidation(type="list", formula1='"observed,zero"', allow_blank=True)
    col = openpyxl.utils.get_column_letter(SUB_COLUMNS.index("lower") + 1)
    dv2.add(f"{col}2:{col}{n}")
    ws.add_data_validation(dv2)

    wm = wb.create_sheet(MAIN_SHEET)
    wm.append(MAIN_COLUMNS)
    for m in doc["main_indicators"]:
        wm.append([_cell(m.get(k)) for k in MAIN_COLUMNS])
    wt = wb.create_sheet(META_SHEET)
    wt.append(["key", "value"])
    years = doc.get("years") or [None, None]
    for k in META_KEYS:
        v = {"first_year": years[0], "last_year": years[1]}.get(k, doc.get(k))
        wt.append([k, _cell(_yaml_text(v) if k in YAML_COLUMNS and v is not None else v)])
    wg = wb.create_sheet(GUIDE_SHEET)
    wg.append([t("fwbook.guide", lang)])
    wg.append([])
    for c in SUB_COLUMNS:
        wg.append([c, t(f"fwbook.col.{c}", lang) if has(f"fwbook.col.{c}") else ""])
    wg.column_dimensions["A"].width = 18
    wg.column_dimensions["B"].width = 90

    head = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    widths = {"name_vi": 50, "name_en": 40, "source_text": 80, "recognised_from": 50, "inputs": 40, "notes": 40,
              "tiers": 22, "tier_labels": 30, "steps": 14, "parts": 40, "completeness": 60}
    for sheet, cols in [(ws, SUB_COLUMNS), (wm, MAIN_COLUMNS), (wt, ["key", "value"])]:
        sheet.freeze_panes = "B2"
        sheet.page_setup.orientation = "landscape"
        for i, c in enumerate(cols, 1):
            cell = sheet.cell(row=1, column=i)
            cell.font, cell.fill = head, fill
            sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = widths.get(c, 14)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and len(cell.value) > 30:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
    wt.column_dimensions["B"].width = 100
    for sheet in wb.worksheets:
        protect_sheet(sheet)  # text, never an Excel formula (= + - @ …), as in every workbook written
    out = Path(out)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return out


def _sub_row(s: dict) -> list:
    params = dict(s.get("params") or {})
    row = {k: s.get(k) for k in SUB_COLUMNS if k in s}
    for key, col in PARAM_COLUMNS.items():
        if key in params:
            row[col] = params.pop(key)
    if params:
        row["other_params"] = params
    out = []
    for c in SUB_COLUMNS:
        v = row.get(c)
        if v is None:
            out.append(None)
        elif c in LINES_COLUMNS:
            out.append("\n".join(f"{k}: {_scalar_text(x)}" for k, x in v.items()))
        elif c in YAML_COLUMNS:
            out.append(_yaml_text(v))
        else:
            out.append(v)
    return out


def _scalar_text(v) -> str:
    if isinstance(v, str):
        return v
    return yaml.safe_dump(v, default_flow_style=True, allow_unicode=True).strip().removesuffix("...").strip()


def _yaml_text(v) -> str:
    return yaml.safe_dump(v, default_flow_style=True, allow_unicode=True, sort_keys=False, width=10**6).strip()


def _cell(v):
    if isinstance(v, list | dict):
        return _yaml_text(v)
    return v


def is_framework_workbook(path) -> bool:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - not a workbook we can open: not ours
        return False
    try:
        return SUB_SHEET in wb.sheetnames and META_SHEET in wb.sheetnames
    finally:
        wb.close()


def import_workbook(path) -> tuple[dict, object]:
    """Read a framework workbook; return (framework data, validated Framework). Errors name sheet and cell."""
    import openpyxl

    from .document import dump_yaml
    from .loader import parse_framework

    path = Path(path)
    display = str(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001
        raise DataError(f"cannot be read as a workbook: {exc}", file=display, expected="an .xlsx file") from None
    for name in (SUB_SHEET, MAIN_SHEET, META_SHEET):
        if name not in wb.sheetnames:
            raise DataError(f"sheet '{name}' is missing", file=display,
                            expected="the sheets written by dti framework export: " + ", ".join([SUB_SHEET, MAIN_SHEET, META_SHEET]))
    subs, sub_cells = _read_records(wb[SUB_SHEET], SUB_COLUMNS, display, required=["id", "main", "name_vi", "rule"])
    mains, main_cells = _read_records(wb[MAIN_SHEET], MAIN_COLUMNS, display, required=["id", "name_vi", "name_en"])
    meta, meta_cells = _read_meta(wb[META_SHEET], display)

    doc: dict = {}
    for k in ["id", "version", "name_vi", "name_en", "legal_source", "source_url", "level"]:
        if meta.get(k) is not None:
            doc[k] = str(meta[k]) if k == "version" else meta[k]
    doc["years"] = [meta.get("first_year"), meta.get("last_year")]
    doc["total_points"] = meta.get("total_points")
    for k in ["completeness", "notes", "references", "summaries"]:
        if meta.get(k) is not None:
            doc[k] = meta[k]
    main_docs = []
    for rec in mains:
        m = {k: rec[k] for k in MAIN_COLUMNS if rec.get(k) is not None}
        m.setdefault("max_points", None)
        main_docs.append({k: m[k] for k in ["id", "name_vi", "name_en", "group", "code", "max_points",
                                            "n_sub_indicators", "scored", "source", "notes", "confidence"] if k in m})
    doc["main_indicators"] = main_docs
    sub_docs = []
    for rec, cells in zip(subs, sub_cells, strict=True):
        rule = rec.get("rule")
        if rule not in RULES:
            from ..errors import suggest

            raise DataError(f"unknown rule '{rule}'{suggest(str(rule), RULES)}", file=display,
                            row=f"sheet '{SUB_SHEET}', cell {cells['rule']}", expected="one of " + ", ".join(RULES))
        s = {k: rec[k] for k in ["id", "code", "main", "name_vi", "name_en", "max_points", "rule"] if rec.get(k) is not None}
        s.setdefault("max_points", None)
        params = dict(rec.get("other_params") or {})
        for key, col in PARAM_COLUMNS.items():
            if rec.get(col) is not None:
                params[key] = rec[col]
        if params:
            s["params"] = {k: params[k] for k in _param_order(params)}
        for k in ["inputs", "formula", "share", "responsible", "source", "confidence", "target", "notes",
                  "recognised_from", "source_text"]:
            if rec.get(k) is not None:
                s[k] = rec[k]
        sub_docs.append(s)
    if sub_docs:
        doc["sub_indicators"] = sub_docs
    try:
        fw = parse_framework(dump_yaml(doc), display)
    except FrameworkError as exc:
        raise _locate(exc, display, sub_cells, main_cells, meta_cells) from None
    return doc, fw


def _param_order(params: dict) -> list[str]:
    order = ["tiers", "labels", "threshold", "lower", "steps", "parts"]
    return [k for k in order if k in params] + [k for k in params if k not in order]


def _read_records(ws, columns, display, required):
    from openpyxl.utils import get_column_letter

    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        raise DataError(f"sheet '{ws.title}' is empty", file=display, expected="a header row: " + ", ".join(columns))
    header = [str(c).strip() if c is not None else "" for c in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(f"sheet '{ws.title}': column '{missing[0]}' is missing", file=display,
                        row=f"sheet '{ws.title}', row 1", expected="the columns " + ", ".join(columns))
    unknown = [c for c in header if c and c not in columns]
    if unknown:
        raise DataError(f"unknown column '{unknown[0]}'", file=display,
                        row=f"sheet '{ws.title}', cell {get_column_letter(header.index(unknown[0]) + 1)}1",
                        expected="the columns " + ", ".join(columns))
    records, cells = [], []
    for r, values in enumerate(rows[1:], 2):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        rec, where = {}, {}
        for i, name in enumerate(header):
            if not name:
                continue
            ref = f"{get_column_letter(i + 1)}{r}"
            where[name] = ref
            v = values[i] if i < len(values) else None
            rec[name] = _parse_cell(v, name, display, ws.title, ref)
        for name in columns:
            where.setdefault(name, f"{name}{r}")
        records.append(rec)
        cells.append(where)
    return records, cells


def _read_meta(ws, display):
    meta, cells = {}, {}
    for r, values in enumerate(ws.iter_rows(values_only=True), 1):
        if r == 1 or not values or values[0] is None:
            continue
        key = str(values[0]).strip()
        if key not in META_KEYS:
            raise DataError(f"unknown key '{key}'", file=display, row=f"sheet '{META_SHEET}', cell A{r}",
                            expected="one of " + ", ".join(META_KEYS))
        v = values[1] if len(values) > 1 else None
        cells[key] = f"B{r}"
        meta[key] = _parse_cell(v, key, display, META_SHEET, f"B{r}")
    return meta, cells


def _parse_cell(v, name, display, sheet, ref):
    where = f"sheet '{sheet}', cell {ref}"
    if isinstance(v, str):
        v = v.strip("\n") if name in {"source_text"} else v
        if not v.strip():
            return None
    if v is None:
        return None
    if name in NUMBER_COLUMNS:
        if isinstance(v, bool) or not isinstance(v, int | float):
            raise DataError(f"{name} = {v!r} is not a number", file=display, row=where,
                            expected="a number, or an empty cell when unknown")
        if name in {"first_year", "last_year", "n_sub_indicators"}:
            if float(v) != int(v):
                raise DataError(f"{name} = {v!r} is not a whole number", file=display, row=where, expected="an integer")
            return int(v)
        return v
    if name in {"share", "scored"}:
        if isinstance(v, bool):
            return v
        raise DataError(f"{name} = {v!r} is not TRUE/FALSE", file=display, row=where, expected="TRUE or FALSE")
    if name in LINES_COLUMNS:
        out = {}
        for line in str(v).splitlines():
            if not line.strip():
                continue
            m = re.match(r"^\s*([^:]+?)\s*:\s*(.*)$", line)
            if not m:
                raise DataError(f"line {line!r} is not 'key: value'", file=display, row=where,
                                expected="one 'key: value' per line")
            key = _yaml_scalar(m.group(1), display, where) if name in {"steps", "tiers"} else m.group(1)
            val = m.group(2) if name in {"inputs", "tier_labels"} else _yaml_scalar(m.group(2), display, where)
            out[key] = val
        return out
    if name in YAML_COLUMNS:
        try:
            return yaml.safe_load(str(v))
        except yaml.YAMLError as exc:
            raise DataError(f"not valid YAML: {getattr(exc, 'problem', exc)}", file=display, row=where,
                            expected="YAML flow text such as [{id: p1, points: 5, rule: binary}]") from None
    return v


def _yaml_scalar(text: str, display, where):
    try:
        v = yaml.safe_load(text)
    except yaml.YAMLError:
        raise DataError(f"value {text!r} is not understood", file=display, row=where,
                        expected="a number or a word") from None
    return v if isinstance(v, int | float | str | bool) or v is None else text


def _locate(exc: FrameworkError, display, sub_cells, main_cells, meta_cells) -> DataError:
    """Re-issue a framework check failure at the workbook cell it concerns."""
    entry, fld = str(exc.row or ""), exc.column or ""
    base = fld.split(".")[0] if fld else ""
    col_of = {"params": "rule", "tiers": "tiers"}
    m = re.search(r"#(\d+)\)", entry)
    if entry.startswith("sub-indicator") and m:
        i = int(m.group(1)) - 1
        cells = sub_cells[i] if i < len(sub_cells) else {}
        col = "parts" if fld.startswith("params.parts") else col_of.get(base, base)
        if base == "params" and "threshold" in exc.detail:
            col = "threshold"
        ref = cells.get(col) or cells.get("id")
        where = f"sheet '{SUB_SHEET}', cell {ref}"
    elif entry.startswith("main indicator") and m:
        i = int(m.group(1)) - 1
        cells = main_cells[i] if i < len(main_cells) else {}
        where = f"sheet '{MAIN_SHEET}', cell {cells.get(base) or cells.get('id')}"
    elif entry.startswith("main indicator"):
        mid = re.search(r"'([^']+)'", entry)
        where = f"sheet '{MAIN_SHEET}' (main indicator {mid.group(1) if mid else '?'}, column {base})"
    else:
        key = {"years": "first_year"}.get(base, base)
        where = f"sheet '{META_SHEET}', cell {meta_cells.get(key, 'B?')}" if key else f"sheet '{META_SHEET}'"
    return DataError(exc.detail, file=display, row=where, expected=exc.expected)
