"""Core sub-commands: ``dti frameworks``, ``dti score``, ``dti template``, ``dti validate``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ParameterError
from ..i18n import localized, t


def register(sub) -> None:
    p = sub.add_parser("frameworks", help="list the shipped frameworks (or show one)")
    p.add_argument("framework", nargs="?", help="id or path of a framework to show")
    add_lang(p)
    p.set_defaults(func=cmd_frameworks)

    p = sub.add_parser("score", help="score main-indicator values or sub-indicator inputs")
    p.add_argument("--framework", help="framework id (see `dti frameworks`) or .yaml path; "
                   "default: the provincial framework of --year")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--main-values", metavar="FILE",
                     help="long CSV: province (or unit), pillar (or indicator), value[, year]")
    src.add_argument("--inputs", metavar="FILE", help="sub-indicator inputs (unit, indicator, input, value) or a "
                     "score sheet (unit, indicator, points), or both mixed")
    p.add_argument("--peers", metavar="FILE", help="ratios of other units for min–max items: unit, indicator, ratio "
                   "(default: only the units in --inputs)")
    p.add_argument("--year", type=int, help="only rows of this year")
    p.add_argument("--out", help="write the result table to this .csv or .xlsx")
    add_reading_options(p)
    add_lang(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("template", help="write an Excel/CSV input template (or score sheet) for a framework")
    p.add_argument("--framework", required=True)
    p.add_argument("--kind", choices=["inputs", "points"], default="inputs",
                   help="inputs: raw inputs per sub-indicator (default); points: a score sheet, points per sub-indicator")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--unit", default="", help="unit name to pre-fill")
    who.add_argument("--units", metavar="FILE",
                     help="a list of units (CSV/Excel, column 'unit'[, 'province']): one template for all of them")
    p.add_argument("--province", help="with --units: only the units of this province (column 'province')")
    p.add_argument("--out", required=True, help="output .xlsx or .csv")
    p.add_argument("--force", action="store_true", help="replace an existing file even if it holds filled values")
    add_lang(p, "language of the template's headers and hints, and of the output (default vi)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("validate", help="check a filled-in unit data file against a framework")
    p.add_argument("file")
    p.add_argument("--framework", required=True)
    p.add_argument("--units", metavar="FILE", help="the list of units (as for dti template --units): a unit of the "
                   "file outside it is refused")
    p.add_argument("--province", help="with --units: only the units of this province")
    add_reading_options(p)
    add_lang(p)
    p.set_defaults(func=cmd_validate)


def add_lang(p, help: str = "language of the output (default vi)") -> None:
    """``--lang vi|en`` (default vi): the language of what a command prints or writes."""
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help=help)


def add_reading_options(p) -> None:
    """``--sheet`` and ``--decimal``: how a user's data file is read (see :func:`dtilib.io.read_table`)."""
    p.add_argument("--sheet", help="Excel sheet to read (default: the active, visible sheet)")
    p.add_argument("--decimal", choices=[",", "."],
                   help="decimal separator of the file's numbers: ',' as Vietnamese offices write them "
                        "(1.500 = 1500, 40,5 = 40.5) or '.'; without it, numbers that read differently "
                        "under the two conventions are refused")


def cmd_frameworks(args) -> int:
    from ..frameworks import list_frameworks, load_framework
    from ..i18n import text_table

    lang = args.lang
    if args.framework:
        fw = load_framework(args.framework)
        print(f"{fw.id} ({fw.legal_source})")
        print(f"  {fw.name_vi}" if lang == "vi" else f"  {fw.name_en or fw.name_vi}")
        if lang == "en":                   # the framework file's own note is written in English
            print("  " + t("fwlist.completeness", lang, value=fw.completeness))
        for line in coverage_lines(fw, lang):
            print("  " + line)
        main = fw.main.assign(name=[localized(r, "name", lang, "") for r in fw.main.to_dict("records")],
                              group=[group_label(g, lang) for g in fw.main["group"]])
        print(text_table(_cells(main[["id", "name", "group", "max_points", "n_sub_indicators", "scored"]], lang),
                         lang, labels={"id": "template.col.indicator", "name": "fwlist.col.name",
                                       "group": "fwlist.col.group", "max_points": "max_points",
                                       "n_sub_indicators": "fwlist.col.n_sub", "scored": "fwlist.col.scored"}))
        return 0
    table = list_frameworks().drop(columns=["completeness"])
    table["level"] = [t(f"level.{v}", lang) for v in table["level"]]
    print(text_table(_cells(table, lang), lang, labels={c: f"fwlist.col.{c}" for c in table.columns}))
    print(t("fwlist.points_known", lang), file=sys.stderr)
    return 0


def group_label(group, lang: str = "vi") -> str | None:
    """A main indicator's group as a reader says it: a known code in *lang* (``activity`` → "hoạt động"), a
    framework's own word as written, None when the framework gives none (shown "—").

    >>> group_label("activity"), group_label(None), group_label("nhóm A", "en")
    ('hoạt động', None, 'nhóm A')
    """
    from ..i18n import has

    if not isinstance(group, str) or not group.strip():
        return None
    return t(f"group.{group}", lang) if has(f"group.{group}") else group


def _cells(frame, lang: str):
    """*frame* with its cells as a reader writes them: numbers in *lang* without float noise, years
    plain, yes/no in words, missing as "—"."""
    import pandas as pd

    from ..i18n import fmt_plain

    def cell(col, v):
        if v is None or v is pd.NA or (isinstance(v, float) and v != v):
            return "—"
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            return t("word.yes" if v else "word.no", lang)
        if isinstance(v, int | float) or hasattr(v, "dtype"):
            return str(int(v)) if "year" in col else fmt_plain(v, lang, 2)
        return str(v)

    return frame.apply(lambda col: [cell(col.name, v) for v in col.astype(object)])


def coverage_lines(fw, lang: str = "vi") -> list[str]:
    """The computed completeness of *fw* as lines for people (in *lang*)."""
    from ..i18n import fmt_plain

    cov = fw.coverage()
    total = cov["total_points"]
    known = fmt_plain(cov["points_known"], lang, 2)
    lines = [t("fwlist.scored_on", lang, x=known, y=fmt_plain(total, lang, 2)) if total else
             t("fwlist.scored_on_unknown", lang, x=known),
             t("fwlist.sub_known", lang, n=cov["n_sub_known"], m=cov["n_sub"])]
    if cov["unknown_rule"]:
        ids = cov["unknown_rule"]
        lines.append(t("fwlist.rule_unknown", lang, n=len(ids), ids=", ".join(ids[:12]) + (" …" if len(ids) > 12 else "")))
    for m, (got, mx) in cov["unfilled"].items():
        lines.append(t("fwlist.unfilled", lang, id=m, got=fmt_plain(got, lang, 2),
                       max="?" if mx is None else fmt_plain(mx, lang, 2)))
    return lines


def summary_rows_note(fw, mv, res, lang: str = "vi") -> str | None:
    """Rows of *mv* that give a pillar summary: they are results, not inputs — compare them with the
    summaries computed from the main values instead of dropping them silently (rows without a value are
    counted, not listed; numbers as *lang* writes them)."""
    import pandas as pd

    from ..i18n import fmt_number

    sids = [s["id"] for s in fw.summaries]
    given = mv[mv["indicator"].isin(sids)]
    if given.empty:
        return None
    parts = []
    keys = [c for c in ["year", "unit"] if c in res.columns]
    comp = res.set_index(keys)
    value = pd.to_numeric(given["value"], errors="coerce")
    for r, v in zip(given.to_dict("records"), value, strict=True):
        if v != v:                               # an empty cell: nothing to compare
            continue
        key = tuple(r[k] for k in keys) if len(keys) > 1 else r["unit"]
        c = comp.at[key, r["indicator"]] if key in comp.index else float("nan")
        parts.append(t("score.summary_row", lang, unit=r["unit"], indicator=r["indicator"],
                       given=fmt_number(v, lang), computed=fmt_number(c, lang)))
    if value.isna().any():
        parts.append(t("score.summary_empty", lang, n=int(value.isna().sum())))
    return t("score.summary_rows", lang, n=len(given), ids=", ".join(dict.fromkeys(given["indicator"]))) + " " + \
        "; ".join(parts)


def cmd_score(args) -> int:

    from ..frameworks import framework_for_year, load_framework
    from ..io import write_table

    if args.framework is None:
        if args.year is None:
            raise ParameterError("give --framework, or --year to use the provincial framework of that year",
                                 expected="--framework ID or --year YEAR")
        args.framework = framework_for_year(args.year)
    fw = load_framework(args.framework)
    table, note = score_main_values(fw, args) if args.main_values else score_inputs(fw, args)
    labels = score_labels(fw, table.columns, args.lang)
    print(score_text(table, args.lang, labels))
    print(t("score.framework_line", args.lang, framework=fw.id, source=fw.legal_source), file=sys.stderr)
    if note:
        print(t("cli.note", args.lang, text=note), file=sys.stderr)
    if args.out:
        write_table(table, args.out, sheet="score", lang=args.lang, labels=labels)  # a .csv keeps the codes
        print(t("cli.wrote", args.lang, path=args.out), file=sys.stderr)
    return 0


def score_labels(fw, columns, lang: str = "vi") -> dict[str, str]:
    """The header of each column of a score table in *lang*: the scored framework's own names for its main
    indicators and pillar summaries (a user's "Chính quyền số" is not the 922 framework's "Hoạt động chính
    quyền số"), the catalogue's labels for the rest."""
    from ..i18n import has

    names = {r["id"]: localized(r, "name", lang, r["id"]) for r in fw.main.to_dict("records")}
    names.update({s["id"]: localized(s, "name", lang, s["id"]) for s in fw.summaries})
    return {c: names[c] if c in names else t(f"score.col.{c}" if has(f"score.col.{c}") else c, lang)
            for c in columns}


def score_text(table, lang: str = "vi", labels: dict | None = None) -> str:
    """The score table for a terminal: headers as *labels* (column → header, :func:`score_labels`), values
    and points written in *lang*."""
    from ..analysis.trends import framework_label
    from ..i18n import fmt_number, fmt_plain, text_table

    view = table.astype(object).copy()
    for c in view.columns:
        if c in ("year", "unit"):
            continue
        if c == "framework":
            view[c] = [framework_label(v) for v in table[c]]
        elif table[c].dtype.kind == "b":
            view[c] = [t("word.yes" if v else "word.no", lang) for v in table[c]]
        elif c.startswith("rank") or c.startswith("n_"):
            view[c] = [fmt_plain(v, lang, 0) for v in table[c]]
        elif c in ("points", "max_points", "scored_on", "lost"):
            view[c] = [fmt_plain(v, lang, 2) for v in table[c]]
        elif table[c].dtype.kind == "f":
            view[c] = [fmt_number(v, lang) for v in table[c]]
    return text_table(view.set_axis([(labels or {}).get(c, c) for c in view.columns], axis=1), lang)


def score_main_values(fw, args):
    """``dti score --main-values``: (table of DTI, rank, pillar summaries and main values; note or None)."""
    import pandas as pd

    from ..inputs import read_main_values, split_ranges
    from ..scoring import aggregate

    fw.require_weights()
    mv = read_main_values(args.main_values, args.year, sheet=args.sheet, decimal=args.decimal)
    if "year" in mv.columns:
        outside = sorted({int(y) for y in mv["year"] if not fw.covers(int(y))})
        if outside:
            print(t("cli.note", args.lang, text=t("score.years_skipped", args.lang, years=", ".join(map(str, outside)),
                                                   framework=fw.id, first=fw.years[0], last=fw.years[1] or "…")),
                  file=sys.stderr)
            mv = mv[mv["year"].map(lambda y: fw.covers(int(y)))]
        if mv.empty:
            raise ParameterError(f"no rows of a year covered by {fw.id} in {args.main_values}")
    ranges = split_ranges(mv, args.main_values)
    res = aggregate(fw, ranges[0] if ranges else mv, file=args.main_values)
    keys = [c for c in ["year", "unit"] if c in res.columns]
    bounds_cols = []
    if ranges:                       # the DTI every value within the stated ranges allows
        at = pd.MultiIndex.from_frame(res[keys]) if len(keys) > 1 else res["unit"]
        for col, part in (("dti_low", ranges[1]), ("dti_high", ranges[2])):
            res[col] = aggregate(fw, part, file=args.main_values).set_index(keys)["dti_value"].reindex(at).to_numpy()
        bounds_cols = ["dti_low", "dti_high"]
    given_note = summary_rows_note(fw, mv, res, args.lang)
    cols = (keys + ["dti_value"] + bounds_cols + ["rank"] + [s["id"] for s in fw.summaries] + list(fw.main["id"])
            + ["n_known", "framework"])
    res = res[cols].sort_values(keys[:-1] + ["rank", "unit"], na_position="last")
    n_missing = int(res["dti_value"].isna().sum())
    note = t("score.main_missing", args.lang, n=n_missing, m=len(fw.scored_main)) if n_missing else None
    res["rank"] = res["rank"].astype("Int64")
    if given_note:
        note = f"{note}\n{t('cli.note', args.lang, text=given_note)}" if note else given_note
    return res, note


def score_inputs(fw, args):
    """``dti score --inputs``: (table of DTI, rank and main values scored from the inputs; note or None)."""
    from ..inputs import read_unit_data
    from ..scoring import score

    result = score(fw, read_unit_data(args.inputs, fw, sheet=args.sheet, decimal=args.decimal), peers=args.peers)
    tot = result.total
    if args.year is not None:
        if "year" not in tot.columns:
            raise ParameterError(f"--year {args.year} given but {args.inputs} has no year column",
                                 expected="no --year for a file of one year, or a year column in the file")
        if not (tot["year"] == args.year).any():
            raise ParameterError(f"no rows for year {args.year} in {args.inputs}",
                                 expected="one of " + ", ".join(map(str, sorted(tot["year"].unique()))))
        tot = tot[tot["year"] == args.year]
    keys = [c for c in ["year", "unit"] if c in tot.columns]
    wide = result.main.pivot_table(index=keys, columns="indicator", values="value", dropna=False)
    wide = wide[[m for m in fw.main["id"] if m in wide.columns]].reset_index()     # in the framework's order
    table = tot.merge(wide, on=keys)
    n_missing = int(table["dti_value"].isna().sum())
    note = t("score.inputs_missing", args.lang, n=n_missing) if n_missing else None
    for line in result.notes(args.lang):
        print(line, file=sys.stderr)
    return table, note


def cmd_template(args) -> int:
    from ..templates import write_template

    units = None
    if args.province and not args.units:
        from ..errors import ParameterError

        raise ParameterError("--province needs --units", expected="dti template --units FILE --province NAME")
    if args.units:
        from ..units import read_unit_list

        if args.province:
            province_option(args.province)
        units = read_unit_list(args.units, province=args.province)["unit"].tolist()
    path = write_template(args.framework, args.out, unit=args.unit, kind=args.kind, units=units,
                          force=args.force, lang=args.lang)
    print(t("cli.wrote_units", args.lang, path=path, n=len(units)) if units else t("cli.wrote", args.lang, path=path))
    return 0


def province_option(name: str) -> str:
    """The 34-province slug of ``--province`` *name*; an unknown name is a mistake in the option (named as
    ``--province``), not in a column of a file."""
    from ..data.names import canonical
    from ..errors import DataError

    try:
        return canonical(name, 34)
    except DataError as exc:
        raise ParameterError(exc.detail, column="--province", expected=exc.expected) from None


def cmd_validate(args) -> int:
    from ..i18n import fmt_int
    from ..inputs import read_unit_data
    from ..scoring import score

    units = None
    if args.units:
        from ..units import read_unit_list

        units = read_unit_list(args.units, province=args.province)["unit"].tolist()
    df = read_unit_data(Path(args.file), args.framework, sheet=args.sheet, decimal=args.decimal, units=units)
    result = score(args.framework, df)          # also checks what only scoring sees (points vs inputs, shares)
    filled = df["num"].notna() | df["level"].notna()
    pts = df["input"] == "points"
    print(t("validate.ok", args.lang, file=args.file, units=fmt_int(df["unit"].nunique(), args.lang),
            indicators=fmt_int(df["indicator"].nunique(), args.lang), inputs=fmt_int((filled & ~pts).sum(), args.lang),
            points=fmt_int((filled & pts).sum(), args.lang), empty=fmt_int((~filled).sum(), args.lang)))
    for line in result.notes(args.lang):
        print("  " + line)
    return 0
