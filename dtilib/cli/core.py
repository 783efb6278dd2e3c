"""Core sub-commands: ``dti frameworks``, ``dti score``, ``dti template``, ``dti validate``."""

from __future__ import annotations

import sys
from pathlib import Path

from ..errors import DataError, ParameterError


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


def read_main_values(path: str, year: int | None = None, *, sheet: str | None = None):
    """Read a long main-values file (the format of ``dti_pillars.csv``) as unit, indicator, value[, year].

    Province names go through the name aliases: spellings of one province ("TP. Đà Nẵng", "Đà Nẵng",
    "Da Nang") are one unit, named as first written in the file.  In a ``province`` column every name
    must be a known province; in a ``unit`` column other names are kept as they are.
    """
    from ..io import check_columns, file_rows, read_table

    df = read_table(path, sheet=sheet)
    rows = file_rows(df)
    provinces = "province" in df.columns and "unit" not in df.columns
    ren = {"province": "unit", "pillar": "indicator"}
    df = df.rename(columns={k: v for k, v in ren.items() if k in df.columns and v not in df.columns})
    check_columns(df, ["unit", "indicator", "value"], path)
    df["_row"] = rows
    df["unit"] = _province_names(df, path, strict=provinces)
    if "year" in df.columns:
        bad = ~df["year"].str.fullmatch(r"\s*\d{4}\s*")
        if bad.any():
            i = df.index[bad][0]
            raise DataError(f"year {df.at[i, 'year']!r} is not a year", file=path, row=int(df.at[i, "_row"]),
                            column="year", expected="a four-digit year")
        df["year"] = df["year"].astype(int)
        if year is not None:
            df = df[df["year"] == year]
            if df.empty:
                raise ParameterError(f"no rows for year {year} in {path}")
    elif year is not None:
        df["year"] = year
    return df[[c for c in ["year", "unit", "indicator", "value", "_row"] if c in df.columns]]


def split_ranges(mv, file: str):
    """A main-values frame whose ``value`` cells may hold stated ranges (``a–b`` / ``a-b``, decimal
    commas accepted): (point frame with range cells emptied, low frame, high frame), or ``None`` when no
    cell holds a range.  A reversed range is a :class:`DataError` naming file, row and column."""
    from ..data.bounds import RangeError, is_range, read

    rng = mv["value"].map(lambda v: is_range(str(v)))
    if not rng.any():
        return None
    low, high, point = mv.copy(), mv.copy(), mv.copy()
    for i in mv.index[rng]:
        try:
            p = read(str(mv.at[i, "value"]))
        except RangeError as exc:
            raise DataError(str(exc), file=file, row=int(mv.at[i, "_row"]) if "_row" in mv.columns else None,
                            column="value", expected="a stated range 'low–high' with low ≤ high") from None
        low.at[i, "value"], high.at[i, "value"], point.at[i, "value"] = repr(p.low), repr(p.high), ""
    return point, low, high


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


def _province_names(df, path: str, *, strict: bool):
    """The ``unit`` column with province names written one way (see :func:`read_main_values`)."""
    from ..data.names import index

    ix = index()
    first_spelling: dict[tuple[int, str], str] = {}
    out = []
    for name, row in zip(df["unit"], df["_row"], strict=True):
        where = {"file": path, "row": int(row), "column": "province" if strict else "unit"}
        name = name.strip()
        try:
            key = (63, ix.canonical(name, 63, **where))
        except DataError as first:
            try:
                key = (34, ix.canonical(name, 34, **where))
            except DataError:
                if strict:
                    raise first from None
                out.append(name)
                continue
        out.append(first_spelling.setdefault(key, name))
    return out


def cmd_score(args) -> int:
    import pandas as pd

    from ..frameworks import load_framework
    from ..io import write_table
    from ..scoring import aggregate, score

    if args.framework is None:
        if args.year is None:
            raise ParameterError("give --framework, or --year to use the provincial framework of that year",
                                 expected="--framework ID or --year YEAR")
        from ..frameworks import framework_for_year

        args.framework = framework_for_year(args.year)
    fw = load_framework(args.framework)
    if args.main_values:
        fw.require_weights()
        mv = read_main_values(args.main_values, args.year, sheet=args.sheet)
        if args.decimal:
            from ..data.bounds import is_range
            from ..inputs import parse_number

            mv["value"] = [v if not str(v).strip() or is_range(str(v)) else
                           repr(parse_number(str(v), args.main_values, int(r), "value", "ratio", decimal=args.decimal))
                           for v, r in zip(mv["value"], mv["_row"], strict=True)]
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
        summary_ids = [s["id"] for s in fw.summaries]
        bounds_cols = []
        if ranges:                       # the DTI every value within the stated ranges allows
            lo = aggregate(fw, ranges[1], file=args.main_values).set_index(keys)["dti_value"]
            hi = aggregate(fw, ranges[2], file=args.main_values).set_index(keys)["dti_value"]
            res["dti_low"] = lo.reindex(pd.MultiIndex.from_frame(res[keys]) if len(keys) > 1 else res["unit"]).to_numpy()
            res["dti_high"] = hi.reindex(pd.MultiIndex.from_frame(res[keys]) if len(keys) > 1 else res["unit"]).to_numpy()
            bounds_cols = ["dti_low", "dti_high"]
        given_note = summary_rows_note(fw, mv, res)
        cols = keys + ["dti_value"] + bounds_cols + ["rank"] + summary_ids + list(fw.main["id"]) + ["n_known",
                                                                                                   "framework"]
        res = res[cols].sort_values(keys[:-1] + ["rank", "unit"], na_position="last")
        n_missing = int(res["dti_value"].isna().sum())
        note = (f"{n_missing} unit(s) lack some of the {len(fw.scored_main)} main values: DTI not computed "
                "(shown as NaN)") if n_missing else None
        res["rank"] = res["rank"].astype("Int64")
        table = res
        rank_note = "rank = position among the units in this file only"
        if given_note:
            note = f"{note}\nnote: {given_note}" if note else given_note
    else:
        from ..inputs import read_unit_data

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
        wide = result.main.pivot_table(index=[c for c in ["year", "unit"] if c in t.columns],
                                       columns="indicator", values="value", dropna=False).reset_index()
        table = t.merge(wide, on=[c for c in ["year", "unit"] if c in t.columns])
        n_missing = int(table["dti_value"].isna().sum())
        note = (f"{n_missing} unit(s) have missing inputs or unknown rules: DTI not computed") if n_missing else None
        rank_note = "rank = position among the units in this file only"
        for line in result.notes("en"):
            print(line, file=sys.stderr)
    with pd.option_context("display.width", 200, "display.max_columns", 30, "display.float_format", "{:.4f}".format):
        print(table.to_string(index=False))
    print(f"framework: {fw.id} ({fw.legal_source}); {rank_note}", file=sys.stderr)
    if note:
        print("note: " + note, file=sys.stderr)
    if args.out:
        write_table(table, args.out)
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


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
