"""Input templates: one row per (sub-indicator, input) for an analyst to fill in.

The template is the long unit-data format (``unit, indicator, input, value``) with descriptive
columns beside it; :func:`dtilib.inputs.read_unit_data` reads a filled template back unchanged.
Sub-indicators whose rule is not known cannot be filled; an Excel template lists them on a second
sheet so that nobody mistakes a missing rule for a zero.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import i18n
from .errors import ParameterError
from .frameworks import load_framework
from .inputs import input_kinds
from .io import check_output, holds_user_data, write_csv, write_xlsx

#: the columns a reader fills (their header is read back as the code or as its label in either language)
FILLED = ("unit", "indicator", "input", "value", "points", "max_points", "year")


def header_label(col: str, lang: str = "vi") -> str:
    """The header of template column *col* in *lang* (``unit`` → ``Đơn vị`` / ``Unit``)."""
    return i18n.t(f"template.col.{col}", lang) if i18n.has(f"template.col.{col}") else col


def header_aliases() -> dict[str, str]:
    """Label → code of the columns a reader fills, in both languages (``Đơn vị`` → ``unit``): a template
    written in either language reads back."""
    return {header_label(c, lang): c for c in FILLED for lang in i18n.LANGS if header_label(c, lang) != c}


def _hint(kind: str, params: dict, described: str | None, lang: str, key: str = "") -> str:
    """How to fill one input, in *lang*: the tiers to choose from (with the document's wording), the
    input's description (the catalogue's ``input.<framework>.<sub-indicator>.<input>`` text, else the
    framework file's when it is in *lang*), or the kind's generic hint."""
    if i18n.has(key):
        return i18n.t(key, lang)
    if kind == "level":
        labels = params.get("labels") or {}  # the document's wording of each tier (imported frameworks)
        return i18n.t("template.hint.one_of", lang, tiers=", ".join(
            f"{k} ({labels[k]})" if k in labels else str(k) for k in params.get("tiers", {})))
    if described and (lang == "en" or not described.isascii()):
        return described
    return i18n.t(f"template.hint.{kind}", lang) if i18n.has(f"template.hint.{kind}") else (described or "")


def template_frame(framework, unit: str = "", lang: str = "vi") -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows to fill, sub-indicators that cannot be filled because their rule is unknown)."""
    fw = load_framework(framework)
    kinds = input_kinds(fw)
    main_names = fw.main.set_index("id")["name_vi"]
    rows, unknown = [], []
    for s in fw.sub.itertuples(index=False):
        names = [n for (sid, n) in kinds if sid == s.id]
        if s.rule == "unknown" or pd.isna(s.max_points):
            unknown.append({"indicator": s.id, "main": main_names[s.main], "name_vi": s.name_vi,
                            "name_en": s.name_en, "max_points": s.max_points, "rule": s.rule,
                            "source": s.source})
            continue
        for n in names:
            kind, params = kinds[(s.id, n)]
            hint = _hint(kind, params, (s.inputs or {}).get(n), lang, f"input.{fw.id}.{s.id}.{n}")
            rows.append({"unit": unit, "indicator": s.id, "input": n, "value": "",
                         "main": main_names[s.main], "name_vi": s.name_vi, "max_points": s.max_points,
                         "rule": s.rule, "formula": s.formula or "", "input_description": hint,
                         "responsible": s.responsible or "", "note": ""})
    return pd.DataFrame(rows), pd.DataFrame(unknown)


def points_frame(framework, unit: str = "") -> pd.DataFrame:
    """The score-sheet template: one row per sub-indicator (any rule, known or not) to fill with its points.

    ``max_points`` holds the framework's max; where the framework does not know it the cell is empty
    and must be filled from the assessing body's sheet.  Read back by :func:`dtilib.inputs.read_unit_data`.
    """
    fw = load_framework(framework)
    main_names = fw.main.set_index("id")["name_vi"]
    return pd.DataFrame([{"unit": unit, "indicator": s.id, "points": "", "max_points": s.max_points,
                          "main": main_names[s.main], "name_vi": s.name_vi, "rule": s.rule,
                          "responsible": s.responsible or "", "note": ""} for s in fw.sub.itertuples(index=False)],
                        columns=["unit", "indicator", "points", "max_points", "main", "name_vi", "rule",
                                 "responsible", "note"])


def write_template(framework, out, unit: str = "", kind: str = "inputs", units: list[str] | None = None, *,
                   force: bool = False, lang: str = "vi") -> Path:
    """Write the template for *framework* to *out* (.xlsx or .csv), atomically.

    *kind* ``inputs``: raw inputs per sub-indicator; ``points``: a score sheet (points per sub-indicator).
    *units*: one block of rows per unit (one file for all of a province's communes); an Excel template also
    lists them on a sheet ``don_vi``, against which the filled file's units are checked when it is read.
    *lang*: the headers and hints (:func:`dtilib.inputs.read_unit_data` reads either language back).
    An existing *out* that holds filled values (a workbook someone has started to fill) is not
    replaced unless *force*.
    """
    out = check_output(out, inputs=[framework] if Path(str(framework)).suffix else [])
    if not force and holds_user_data(out):
        raise ParameterError(f"{out} already exists and holds filled values",
                             expected="another file name, or --force to replace it with an empty template")
    if kind == "points":
        fill, unknown = points_frame(framework, unit), pd.DataFrame()
    elif kind == "inputs":
        fill, unknown = template_frame(framework, unit, lang)
    else:
        raise ParameterError(f"unknown template kind '{kind}'", column="kind", expected="inputs or points")
    if units:
        fill = pd.concat([fill.assign(unit=u) for u in units], ignore_index=True)
    if fill.empty:
        fw = load_framework(framework)
        raise ParameterError(f"framework {fw.id} has no sub-indicator with a known rule: nothing to fill",
                             expected="--kind points: a score sheet, filled with each sub-indicator's points from "
                                      "the assessing body's sheet")
    for frame in (fill, unknown):          # the scoring rule as its label ("Đạt / không đạt"), not its code
        if "rule" in frame.columns:
            frame["rule"] = [i18n.t(f"rule.{r}", lang) if i18n.has(f"rule.{r}") else r for r in frame["rule"]]
    fill = fill.rename(columns=lambda c: header_label(c if c != "name_vi" else "name", lang))
    unknown = unknown.rename(columns=lambda c: header_label(c if c != "name_vi" else "name", lang))
    if out.suffix.lower() == ".csv":
        return write_csv(fill, out)
    main_sheet = "du_lieu" if kind == "inputs" else "bang_diem"
    sheets = {main_sheet: fill}
    if not unknown.empty:
        sheets["chua_ro_cach_tinh"] = unknown
    if units:                              # the list travels with the filled copy: units outside it are refused
        from .units import UNITS_SHEET

        sheets[UNITS_SHEET] = pd.DataFrame({header_label("unit", lang): list(units)})

    def layout(xw):
        ws = xw.sheets[main_sheet]
        ws.freeze_panes = "E2" if kind == "inputs" else "D2"
        widths = ([22, 12, 10, 12, 24, 50, 10, 14, 16, 50, 28, 20] if kind == "inputs"
                  else [22, 12, 10, 12, 24, 50, 14, 28, 20])
        for col, width in zip("ABCDEFGHIJKL", widths, strict=False):
            ws.column_dimensions[col].width = width

    return write_xlsx(sheets, out, setup=layout)
