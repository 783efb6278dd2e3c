"""``dti trend``, ``dti rank-change``, ``dti target`` and ``dti outlook``: thin wrappers over :mod:`dtilib.analysis`."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("trend", help="year-over-year trend of a province (value, rank, changes, breaks)")
    _common(p)
    p.add_argument("--out", help="write the trend table to this .csv or .xlsx")
    p.add_argument("--plot", metavar="FILE",
                   help="also draw the trend (value and rank, breaks marked) to this .png, .svg or .pdf")
    p.add_argument("--no-successor", action="store_true",
                   help="do not continue a merged province with its 34-province successor")
    p.set_defaults(func=cmd_trend)

    p = sub.add_parser("rank-change", help="why a province's rank changed: general rise, own deviation, "
                                           "reshuffling among the others (with bounds)")
    _common(p)
    p.add_argument("--from", dest="year_from", type=int, required=True, help="first year, e.g. 2021")
    p.add_argument("--to", dest="year_to", type=int, help="second year (default: the next year)")
    p.add_argument("--value-direction", choices=["up", "down"],
                   help="a published statement that the province's value rose/fell (used only when its values "
                        "are not published)")
    p.add_argument("--out", help="write the components table to this .csv or .xlsx")
    p.set_defaults(func=cmd_rank_change)

    p = sub.add_parser("target", help="value needed for a target rank, per year and under the peers' trend")
    _common(p)
    p.add_argument("--rank", type=int, required=True, help="target rank, e.g. 45")
    p.add_argument("--year", type=int, help="target year for the projection (default: the year after the last)")
    p.add_argument("--rank-of", type=int, choices=[63, 34],
                   help="the list --rank is in: 34 for a target year from 2025 (the 34-province list), else 63; "
                        "--rank-of 63 with a year from 2025 keeps the 63-list history and says how the rank "
                        "translates to the 34 list")
    p.add_argument("--out", help="write the per-year table to this .csv or .xlsx")
    p.set_defaults(func=cmd_target)

    p = sub.add_parser("outlook", help="next year's value of a province or a rank under growth scenarios; "
                                       "--backtest: how each scenario did against persistence on the record")
    p.add_argument("--province", help='province name or alias, e.g. "Lai Châu"')
    p.add_argument("--rank", type=int, help="the value of this rank instead of a province's")
    p.add_argument("--year", type=int, help="year of the outlook (default: the year after the last published)")
    p.add_argument("--era", type=int, default=63, choices=[63, 34], help="province list (default 63)")
    p.add_argument("--backtest", action="store_true",
                   help="write/print the backtest table (method, n, mean_abs_error, coverage, default)")
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="language of the printed output (default vi)")
    p.add_argument("--results", metavar="CSV",
                   help="results table (default data/processed/results.csv, else data/raw)")
    p.add_argument("--national", metavar="CSV", help="national table (default data/processed/national.csv)")
    p.add_argument("--out", help="write the table (backtest, or the scenarios) to this .csv or .xlsx")
    p.set_defaults(func=cmd_outlook)


def _common(p) -> None:
    p.add_argument("--province", required=True, help='province name or alias, e.g. "Lai Châu" or "Lai Chau"')
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="language of the printed output (default vi)")
    p.add_argument("--results", metavar="CSV",
                   help="results table (default data/processed/results.csv, else data/raw)")
    p.add_argument("--national", metavar="CSV", help="national table (default data/processed/national.csv)")
    g = p.add_argument_group("own figure", "add the province's own figure for a year not yet in the record "
                                           "(checked against the record's order; marked as not published)")
    g.add_argument("--own-year", type=int, metavar="YEAR", help="year of the own figure, e.g. 2025 (list of 34)")
    g.add_argument("--own-value", type=float, metavar="V", help="own DTI value 0..1")
    g.add_argument("--own-rank", type=int, metavar="R", help="own rank in that year's list")


def _load(args):
    from ..analysis.frames import load_national, load_results

    res = load_results(args.results) if args.results else load_results()
    nat = load_national(args.national) if args.national else load_national()
    own = [getattr(args, k, None) for k in ("own_year", "own_value", "own_rank")]   # not on every command
    if any(v is not None for v in own):
        from ..analysis.frames import add_own_figure
        from ..errors import ParameterError
        from ..i18n import fmt_number, t

        if args.own_year is None:
            raise ParameterError("--own-value/--own-rank without --own-year", column="--own-year",
                                 expected="the year of the own figure, e.g. --own-year 2025")
        res = add_own_figure(res, args.province, args.own_year, args.own_value, args.own_rank)
        r = res.iloc[-1]
        print(t("analysis.own_figure", args.lang, unit=r["unit"], year=int(r["year"]),
                value=fmt_number(r["dti_value"], args.lang),
                rank="—" if r["rank"] is None or r["rank"] != r["rank"] else f"{int(r['rank'])}/{int(r['rank_of'])}"))
    return res, nat


def _write(df, out, lang: str | None = None) -> None:
    from ..io import write_table

    write_table(df, out, lang=lang)
    print(f"→ {out}")


def cmd_trend(args) -> int:
    from ..analysis.trends import format_trend, trend

    res, nat = _load(args)
    t = trend(res, args.province, national=nat, follow_successor=not args.no_successor, lang=args.lang)
    print(format_trend(t, args.lang))
    if args.out:
        _write(t, args.out, args.lang)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from ..analysis.plots import plot_trend, save

        fig = plot_trend(t, lang=args.lang)
        save(fig, Path(args.plot))
        print(f"→ {args.plot}")
    return 0


def cmd_rank_change(args) -> int:
    from ..analysis.decompose import decompose
    from ..analysis.trends import readable

    res, nat = _load(args)
    d = decompose(res, args.province, args.year_from, args.year_to, national=nat,
                  value_direction=args.value_direction)
    print(readable(d.summary(args.lang), args.lang))
    if args.out:
        _write(d.table, args.out, args.lang)
    return 0


def cmd_target(args) -> int:
    from ..analysis.target import distance_to_target
    from ..analysis.trends import readable

    res, nat = _load(args)
    year = args.year or max(int(y) for y in res.loc[res["era"] == 63, "year"]) + 1
    era = args.rank_of or (34 if year >= 2025 else 63)
    if era == 34 and year < 2025:
        from ..errors import ParameterError

        raise ParameterError(f"--rank-of 34 with target year {year}", column="--rank-of",
                             expected="a target year from 2025 (the 34-province list starts then), or --rank-of 63")
    if era == 34 and not 1 <= args.rank <= 34 and args.rank_of is None:
        from ..errors import ParameterError

        raise ParameterError(f"rank {args.rank} is outside 1..34: from 2025 the list has 34 provinces",
                             column="--rank", expected="a rank 1..34, or --rank-of 63 for a target set in the 63 list "
                                                       "(the output says how it translates)")
    t = distance_to_target(res, args.province, args.rank, year, national=nat, era=era)
    print(readable(t.summary(args.lang), args.lang))
    if args.out:
        _write(t.needed, args.out, args.lang)
    return 0


def cmd_outlook(args) -> int:
    from ..analysis.outlook import backtest, backtest_by_break, kind_text, rank_outlook, unit_outlook
    from ..errors import ParameterError
    from ..i18n import fmt_number, note_text, t

    res, nat = _load(args)
    if args.backtest:
        table, detail = backtest(res, national=nat)
        show = table.assign(**{c: table[c].map(lambda x: fmt_number(x, args.lang, 4))
                               for c in ("mean_abs_error", "coverage")})
        print(t("outlook.backtest_head", args.lang, n=int(table["n"].max())))
        print(show.to_string(index=False))
        print(t("outlook.by_break", args.lang))
        bb = backtest_by_break(detail)
        bb["step"] = bb["step"].map(lambda x: t("outlook.step." + x.replace(" ", "_"), args.lang))
        print(bb.assign(**{c: bb[c].map(lambda x: fmt_number(x, args.lang, 4))
                           for c in ("mean_abs_error", "coverage")}).to_string(index=False))
        if args.out:
            _write(table, args.out, args.lang)
        return 0
    if (args.province is None) == (args.rank is None):
        raise ParameterError("give either --province or --rank (or --backtest)", column="--province",
                             expected='--province "Lai Châu", --rank 45, or --backtest')
    years = sorted(int(y) for y in res.loc[res["era"] == args.era, "year"].unique())
    year = args.year or (years[-1] + 1)
    o = (unit_outlook(res, args.province, year, era=args.era, national=nat) if args.province
         else rank_outlook(res, args.rank, year, era=args.era, national=nat))
    what = o.what if args.province else t("outlook.rank_what", args.lang, rank=args.rank, n=args.era)
    print(t("outlook.head", args.lang, what=what, year=o.year, origin=o.origin_year,
            base=fmt_number(o.base["value"], args.lang), kind=kind_text(o.base["kind"], args.lang)))
    for s in o.scenarios.itertuples(index=False):
        name = t("outlook.scenario." + s.scenario, args.lang)
        mark = " ◀ " + t("outlook.default", args.lang) if s.scenario == o.default else ""
        if s.estimate != s.estimate:
            print(f"  · {name}: — ({note_text(s.basis, args.lang)})")
            continue
        print(f"  · {name}: {fmt_number(s.estimate, args.lang)} ({fmt_number(s.lo, args.lang)}–"
              f"{fmt_number(s.hi, args.lang)}){mark} — {note_text(s.basis, args.lang)}")
    for n in o.notes:
        print(f"  ({note_text(n, args.lang)})")
    if args.out:
        _write(o.scenarios, args.out, args.lang)
    return 0
