"""``dti trend``, ``dti rank-change`` and ``dti target``: thin wrappers over :mod:`dtilib.analysis`."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("trend", help="year-over-year trend of a province (value, rank, changes, breaks)")
    _common(p)
    p.add_argument("--out", help="write the trend table to this CSV")
    p.add_argument("--plot", metavar="PNG", help="also draw the trend (value and rank, breaks marked) to this PNG")
    p.add_argument("--no-successor", action="store_true",
                   help="do not continue a merged province with its 34-province successor")
    p.set_defaults(func=cmd_trend)

    p = sub.add_parser("rank-change", help="why a province's rank changed: own progress vs peers (with bounds)")
    _common(p)
    p.add_argument("--from", dest="year_from", type=int, required=True, help="first year, e.g. 2021")
    p.add_argument("--to", dest="year_to", type=int, help="second year (default: the next year)")
    p.add_argument("--value-direction", choices=["up", "down"],
                   help="a published statement that the province's value rose/fell (used only when its values "
                        "are not published)")
    p.add_argument("--out", help="write the components table to this CSV")
    p.set_defaults(func=cmd_rank_change)

    p = sub.add_parser("target", help="value needed for a target rank, per year and under the peers' trend")
    _common(p)
    p.add_argument("--rank", type=int, required=True, help="target rank, e.g. 45")
    p.add_argument("--year", type=int, help="target year for the projection (default: the year after the last)")
    p.add_argument("--out", help="write the per-year table to this CSV")
    p.set_defaults(func=cmd_target)


def _common(p) -> None:
    p.add_argument("--province", required=True, help='province name or alias, e.g. "Lai Châu" or "Lai Chau"')
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="language of the printed output (default vi)")
    p.add_argument("--results", metavar="CSV",
                   help="results table (default data/processed/results.csv, else data/raw)")
    p.add_argument("--national", metavar="CSV", help="national table (default data/processed/national.csv)")


def _load(args):
    from ._data import load_national, load_results

    res = load_results(args.results) if args.results else load_results()
    nat = load_national(args.national) if args.national else load_national()
    return res, nat


def _write(df, out) -> None:
    from ..io import write_csv

    write_csv(df, out)
    print(f"→ {out}")


def cmd_trend(args) -> int:
    from .trends import format_trend, trend

    res, nat = _load(args)
    t = trend(res, args.province, national=nat, follow_successor=not args.no_successor, lang=args.lang)
    print(format_trend(t, args.lang))
    if args.out:
        _write(t, args.out)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg", force=False)
        from .plots import plot_trend, save

        fig = plot_trend(t, lang=args.lang)
        save(fig, Path(args.plot))
        print(f"→ {args.plot}")
    return 0


def cmd_rank_change(args) -> int:
    from .decompose import decompose

    res, nat = _load(args)
    d = decompose(res, args.province, args.year_from, args.year_to, national=nat,
                  value_direction=args.value_direction)
    print(d.summary(args.lang))
    if args.out:
        _write(d.table, args.out)
    return 0


def cmd_target(args) -> int:
    from .target import distance_to_target

    res, _ = _load(args)
    t = distance_to_target(res, args.province, args.rank, args.year)
    print(t.summary(args.lang))
    if args.out:
        _write(t.needed, args.out)
    return 0
