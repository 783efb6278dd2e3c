"""Core sub-commands: ``dti frameworks``, ``dti score``, ``dti template``, ``dti validate``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import ParameterError


def register(sub) -> None:
    p = sub.add_parser("frameworks", help="list the shipped frameworks (or show one)")
    p.add_argument("framework", nargs="?", help="id or path of a framework to show")
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
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("validate", help="check a filled-in unit data file against a framework")
    p.add_argument("file")
    p.add_argument("--framework", required=True)
    add_reading_options(p)
    p.set_defaults(func=cmd_validate)


def add_reading_options(p) -> None:
    """``--sheet`` and ``--decimal``: how a user's data file is read (see :func:`dtilib.io.read_table`)."""
    p.add_argument("--sheet", help="Excel sheet to read (default: the active, visible sheet)")
    p.add_argument("--decimal", choices=[",", "."],
                   help="decimal separator of the file's numbers: ',' as Vietnamese offices write them "
                        "(1.500 = 1500, 40,5 = 40.5) or '.'; without it, numbers that read differently "
                        "under the two conventions are refused")


def cmd_frameworks(args) -> int:
    import pandas as pd

    from ..frameworks import list_frameworks, load_framework

    if args.framework:
        fw = load_framework(args.framework)
        print(repr(fw))
        print(f"  {fw.name_vi} / {fw.name_en}")
        print(f"  completeness: {fw.completeness}")
        for line in coverage_lines(fw):
            print("  " + line)
        with pd.option_context("display.width", 160, "display.max_rows", 200):
            print(fw.main[["id", "name_vi", "group", "max_points", "n_sub_indicators", "scored"]].to_string(index=False))
        return 0
    with pd.option_context("display.width", 200, "display.max_colwidth", 60):
        print(list_frameworks().drop(columns=["completeness"]).to_string(index=False))
    print("points_known = points of sub-indicators with a known rule and max (scored from inputs); the rest can "
          "only come from a score sheet and is never counted as lost", file=sys.stderr)
    return 0


def coverage_lines(fw) -> list[str]:
    """The computed completeness of *fw* as lines for people."""
    cov = fw.coverage()
    total = cov["total_points"]
    lines = [f"scored from inputs on {cov['points_known']:g} of {total:g} points" if total else
             f"scored from inputs on {cov['points_known']:g} points (total not known)",
             f"sub-indicators with a known rule and max: {cov['n_sub_known']} of {cov['n_sub']}"]
    if cov["unknown_rule"]:
        ids = cov["unknown_rule"]
        lines.append(f"rule or max unknown ({len(ids)}): " + ", ".join(ids[:12]) + (" …" if len(ids) > 12 else ""))
    for m, (got, mx) in cov["unfilled"].items():
        lines.append(f"main indicator {m}: listed sub-indicators give {got:g} of "
                     f"{'?' if mx is None else f'{mx:g}'} points")
    return lines


def summary_rows_note(fw, mv, res) -> str | None:
    """Rows of *mv* that give a pillar summary: they are results, not inputs — compare them with the
    summaries computed from the main values instead of dropping them silently."""
    from ..i18n import t

    sids = [s["id"] for s in fw.summaries]
    given = mv[mv["indicator"].isin(sids)]
    if given.empty:
        return None
    parts = []
    keys = [c for c in ["year", "unit"] if c in res.columns]
    comp = res.set_index(keys)
    for r in given.to_dict("records"):
        key = tuple(r[k] for k in keys) if len(keys) > 1 else r["unit"]
        c = comp.at[key, r["indicator"]] if key in comp.index else float("nan")
        parts.append(t("score.summary_row", unit=r["unit"], indicator=r["indicator"], given=r["value"],
                       computed="—" if c != c else f"{c:.4f}"))
    return t("score.summary_rows", n=len(given), ids=", ".join(dict.fromkeys(given["indicator"]))) + " " + \
        "; ".join(parts)


def cmd_score(args) -> int:
    import pandas as pd

    from ..frameworks import framework_for_year, load_framework
    from ..io import write_table

    if args.framework is None:
        if args.year is None:
            raise ParameterError("give --framework, or --year to use the provincial framework of that year",
                                 expected="--framework ID or --year YEAR")
        args.framework = framework_for_year(args.year)
    fw = load_framework(args.framework)
    table, note = score_main_values(fw, args) if args.main_values else score_inputs(fw, args)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))
    print(f"framework: {fw.id} ({fw.legal_source}); rank = position among the units in this file only",
          file=sys.stderr)
    if note:
        print("note: " + note, file=sys.stderr)
    if args.out:
        write_table(table, args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


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
            print(f"note: rows of {', '.join(map(str, outside))} skipped: {fw.id} covers "
                  f"{fw.years[0]}–{fw.years[1] or '…'}", file=sys.stderr)
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
    given_note = summary_rows_note(fw, mv, res)
    cols = (keys + ["dti_value"] + bounds_cols + ["rank"] + [s["id"] for s in fw.summaries] + list(fw.main["id"])
            + ["n_known", "framework"])
    res = res[cols].sort_values(keys[:-1] + ["rank", "unit"], na_position="last")
    n_missing = int(res["dti_value"].isna().sum())
    note = (f"{n_missing} unit(s) lack some of the {len(fw.scored_main)} main values: DTI not computed "
            "(shown as NaN)") if n_missing else None
    res["rank"] = res["rank"].astype("Int64")
    if given_note:
        note = f"{note}\nnote: {given_note}" if note else given_note
    return res, note


def score_inputs(fw, args):
    """``dti score --inputs``: (table of DTI, rank and main values scored from the inputs; note or None)."""
    from ..inputs import read_unit_data
    from ..scoring import score

    result = score(fw, read_unit_data(args.inputs, fw, sheet=args.sheet, decimal=args.decimal), peers=args.peers)
    t = result.total
    if args.year is not None:
        if "year" not in t.columns:
            raise ParameterError(f"--year {args.year} given but {args.inputs} has no year column",
                                 expected="no --year for a file of one year, or a year column in the file")
        if not (t["year"] == args.year).any():
            raise ParameterError(f"no rows for year {args.year} in {args.inputs}",
                                 expected="one of " + ", ".join(map(str, sorted(t["year"].unique()))))
        t = t[t["year"] == args.year]
    keys = [c for c in ["year", "unit"] if c in t.columns]
    wide = result.main.pivot_table(index=keys, columns="indicator", values="value", dropna=False).reset_index()
    table = t.merge(wide, on=keys)
    n_missing = int(table["dti_value"].isna().sum())
    note = (f"{n_missing} unit(s) have missing inputs or unknown rules: DTI not computed") if n_missing else None
    for line in result.notes("en"):
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

        units = read_unit_list(args.units, province=args.province)["unit"].tolist()
    path = write_template(args.framework, args.out, unit=args.unit, kind=args.kind, units=units,
                          force=args.force)
    print(f"wrote {path}" + (f" ({len(units)} units)" if units else ""))
    return 0


def cmd_validate(args) -> int:
    from ..inputs import read_unit_data
    from ..scoring import score

    df = read_unit_data(Path(args.file), args.framework, sheet=args.sheet, decimal=args.decimal)
    result = score(args.framework, df)          # also checks what only scoring sees (points vs inputs, shares)
    filled = df["num"].notna() | df["level"].notna()
    pts = df["input"] == "points"
    print(f"{args.file}: OK — {df['unit'].nunique()} unit(s), {df['indicator'].nunique()} indicator(s), "
          f"{int((filled & ~pts).sum())} input value(s) and {int((filled & pts).sum())} score-sheet point(s) filled, "
          f"{int((~filled).sum())} empty (gaps, not zeros)")
    for line in result.notes("en"):
        print("  " + line)
    return 0
