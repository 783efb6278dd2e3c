"""Sub-commands ``dti plan``, ``dti actions`` and ``dti points-worth`` (points per effort)."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser("plan", help="best plan under a budget → the plan appendix (Excel/CSV) or the Word draft (.docx)")
    _common(p, plan=True)
    p.add_argument("--budget", type=float, help="budget in triệu đồng, the money unit of the effort table "
                                                "(required with --unit-data)")
    p.add_argument("--agencies", help="your agency list (CSV/Excel: indicator, chu_tri, phoi_hop) overriding the "
                                      "default roles of data/agencies/")
    p.add_argument("--points", type=float, default=10.0,
                   help="with --main-values: points added to each main indicator to price it in ranks (default 10)")
    p.add_argument("--staff-days", type=float, help="person-days available (optional limit)")
    p.add_argument("--target-rank", type=int, help="target rank: adds P(rank ≤ target) from a Monte Carlo")
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="headers and texts (default vi)")
    p.add_argument("--out", required=True, help="output .docx (the Word draft of the Kế hoạch), .xlsx (appendix + "
                                                "summary sheets) or .csv")
    p.add_argument("--report-day", type=int, default=20,
                   help="quarterly reports before this day of the quarter's last month (default 20; Bắc Giang 25)")
    p.add_argument("--yearly-report", default="20/12", help="yearly report before this day/month (default 20/12)")
    p.add_argument("--plan-year", type=int, help="year of the plan (default: data year + 1)")
    p.add_argument("--cost-level", default="likely", choices=["low", "likely", "high"],
                   help="which cost/person-day estimate the optimum uses (default likely)")
    p.add_argument("--budget-step", type=float, default=1.0, help="'one more unit of budget' for the marginal value")
    p.add_argument("--results", help="published ranking (results.csv) to rank against instead of the units scored")
    p.add_argument("--results-year", type=int, help="year of that ranking (default: the data year)")
    p.add_argument("--trend", action="store_true", help="peers follow their trend (with --results)")
    p.add_argument("--scenario", choices=["persistence", "average", "paired", "own"],
                   help="growth scenario of the peers (with --results; --trend = paired); the unit rises with it too")
    p.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws (default 10000)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.set_defaults(func=cmd_plan, out_formats=(".docx", ".xlsx", ".csv"))

    p = sub.add_parser("actions", help="candidate actions of a unit with points gained and points per effort")
    _common(p)
    p.add_argument("--out", help="write the table to this .csv or .xlsx")
    p.add_argument("--top", type=int, default=30, help="rows to print (default 30)")
    p.set_defaults(func=cmd_actions)

    p = sub.add_parser("points-worth",
                       help="what +N points on each main indicator is worth in DTI and ranks (published values only)")
    p.add_argument("--unit", required=True, help="province as named in the results table")
    p.add_argument("--year", type=int, required=True, help="year of the ranking")
    p.add_argument("--framework", default="vn-province-922", help="framework giving the weights (default 922)")
    p.add_argument("--points", type=float, default=10.0, help="points added to one main indicator (default 10)")
    p.add_argument("--results", help="results table (default data/processed/results.csv)")
    p.add_argument("--era", help="ranking era when a year has several (63 or 34)")
    p.add_argument("--trend", action="store_true", help="peers follow their trend instead of standing still")
    p.add_argument("--scenario", choices=["persistence", "average", "paired", "own"],
                   help="growth scenario of the peers (--trend = paired); the unit rises with it too")
    p.add_argument("--target-rank", type=int, help="also give P(rank ≤ target) before and after")
    p.add_argument("--draws", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--lang", default="vi", choices=["vi", "en"])
    p.add_argument("--out", help="write the table to this .csv or .xlsx")
    p.set_defaults(func=cmd_points_worth)


def _common(p, plan: bool = False) -> None:
    p.add_argument("--framework", required=True, help="framework id or .yaml path")
    if plan:
        g = p.add_mutually_exclusive_group(required=True)
        g.add_argument("--unit-data", help="sub-indicator data (template .xlsx or long .csv)")
        g.add_argument("--main-values", help="published main-indicator values (long CSV: unit, indicator, value, year):"
                                             " the coarse plan — which main indicators to push, what each is worth")
    else:
        p.add_argument("--unit-data", required=True, help="sub-indicator data (template .xlsx or long .csv)")
    p.add_argument("--unit", required=True, help="the unit to plan for (as named in the data)")
    p.add_argument("--effort", help="effort table (CSV/Excel); default: the assumed defaults only")
    p.add_argument("--year", type=int, help="data year when the file has several")
    p.add_argument("--step", type=float, default=0.10, help="ratio step (default 0.10 = 10 percentage points)")
    p.add_argument("--peers", metavar="FILE", help="ratios of other units for min–max items: unit, indicator, ratio "
                   "(default: only the units in --unit-data)")
    from ..commands import add_reading_options

    add_reading_options(p)


def _actions(args):
    from ..frameworks import load_framework
    from ..inputs import read_unit_data
    from .actions import candidate_actions

    fw = load_framework(args.framework)
    data = read_unit_data(args.unit_data, fw, sheet=args.sheet, decimal=args.decimal)
    return candidate_actions(fw, data, args.unit, year=args.year, step=args.step, peers=args.peers)


def cmd_plan(args) -> int:
    from ..errors import ParameterError
    from .agencies import agencies_for
    from .optimise import best_plan
    from .plan import write_plan
    from .simulate import peers_from_results, simulate_rank

    if args.main_values:
        return _plan_from_main_values(args)
    if args.budget is None:
        raise ParameterError("no budget", column="--budget", expected="--budget B (triệu đồng) with --unit-data")
    if args.budget < 0:
        raise ParameterError(f"budget {args.budget:g} is negative", column="--budget",
                             expected="a number ≥ 0 (same money unit as the effort table)")
    from .simulate import _check_draws

    _check_draws(args.draws, args.seed)
    aset = _actions(args)
    agencies = agencies_for(aset.framework, args.agencies)
    plan = best_plan(aset, args.effort, args.budget, staff_days=args.staff_days, cost_level=args.cost_level,
                     budget_step=args.budget_step)
    rank = None
    if args.target_rank is not None or args.results:
        peers = None
        if args.results:
            year = args.results_year or aset.year
            if year is None:
                raise ParameterError("the data has no year column", column="--results-year",
                                     expected="--results-year YEAR to pick the ranking")
            peers = peers_from_results(args.unit, int(year), results=args.results, trend=args.trend,
                                       scenario=args.scenario)
        rank = simulate_rank(plan, peers, n_draws=args.draws, seed=args.seed, target_rank=args.target_rank)
    out = write_plan(plan, args.out, lang=args.lang, plan_year=args.plan_year, report_day=args.report_day,
                     yearly=args.yearly_report, rank=rank, agencies=agencies, results=args.results)
    print(f"{plan.unit}: {len(plan.chosen)} action(s), spent {plan.spent:g} of {plan.budget:g}, "
          f"+{plan.gain:.2f} points → {plan.after['total']:.2f} (DTI "
          + (f"{plan.after['dti']:.4f})" if plan.after["dti"] == plan.after["dti"] else "not computed: not every "
             "sub-indicator is scored)"))
    print(aset.scored_on_note("en"))
    if rank is not None:
        print(repr(rank))
    if plan.uses_assumed_effort:
        print("note: assumed effort (default effort table, not measured) — see the summary sheet", file=sys.stderr)
    print(f"written: {out}")
    return 0


def _plan_from_main_values(args) -> int:
    """``dti plan --main-values``: the coarse plan of a province known only by its published main values."""
    from pathlib import Path

    from ..commands import read_main_values
    from ..errors import ParameterError
    from ..frameworks import load_framework
    from ..reporting.plandoc import write_plan_docx
    from .agencies import agencies_for
    from .plan import appendix, write_appendix
    from .simulate import coarse_effects, peers_from_results

    fw = load_framework(args.framework)
    mv = read_main_values(args.main_values, args.year)
    mine = mv[mv["unit"].str.strip() == args.unit.strip()]
    if mine.empty:
        from ..errors import suggest

        raise ParameterError(f"unit '{args.unit}' is not in {args.main_values}{suggest(args.unit, mv['unit'])}",
                             column="--unit", expected="a unit named in the main-values file")
    if "year" in mine.columns and mine["year"].nunique() > 1:
        raise ParameterError(f"{args.main_values} has several years for '{args.unit}'", column="--year",
                             expected="--year Y to pick one")
    year = int(mine["year"].iloc[0]) if "year" in mine.columns else args.year
    if year is None:
        raise ParameterError("no year", column="--year", expected="--year Y (the ranking year of these values)")
    known = set(fw.main["id"])
    values = {}
    for r in mine.to_dict("records"):
        if r["indicator"] not in known or not str(r["value"]).strip():
            continue                # pillar summaries are not main indicators; a value not published stays unknown
        try:
            values[r["indicator"]] = float(str(r["value"]).replace(",", "."))
        except ValueError:
            from ..errors import DataError

            raise DataError(f"value {r['value']!r} is not a number", file=args.main_values, row=int(r["_row"]),
                            column="value", expected="a value 0..1") from None
    peers = peers_from_results(args.unit, year, results=args.results, trend=args.trend)
    worth = coarse_effects(fw, peers=peers, points=args.points, n_draws=args.draws, seed=args.seed, lang=args.lang,
                           unit_main=values, target_rank=args.target_rank)
    worth["room"] = [fw.main_max()[i] * (1 - values.get(i, 0.0)) for i in worth["indicator"]]
    worth.attrs["n_draws"] = args.draws
    agencies = agencies_for(fw, args.agencies)
    py = args.plan_year or year + 1
    out = Path(args.out)
    kw = dict(framework=fw, unit=args.unit, main_values=values, worth=worth, agencies=agencies, lang=args.lang,
              plan_year=py, report_day=args.report_day, yearly=args.yearly_report)
    if out.suffix.lower() == ".docx":
        write_plan_docx(out, peers=peers, results=args.results, target_rank=args.target_rank, points=args.points,
                        year=year, **kw)
    else:
        write_appendix(appendix(**kw), out)
    best = worth.sort_values("ranks_gained_median", ascending=False).iloc[0]
    print(f"{args.unit} {year}: DTI {peers.unit_value:.4f}, rank {peers.unit_rank}/{peers.n_units}; "
          f"+{args.points:g} points on {best['indicator']} → median rank {best['rank_after']:g}")
    print(f"written: {out}")
    return 0


def cmd_actions(args) -> int:
    import pandas as pd

    from ..io import write_table
    from .effort import effort_for

    aset = _actions(args)
    table = effort_for(aset, args.effort)
    cols = ["action_id", "gain", "cost_low", "cost_likely", "cost_high", "ppe_likely", "days_likely",
            "p_complete", "description_en", "effort_basis"]
    view = table.sort_values("ppe_likely", ascending=False)
    with pd.option_context("display.width", 200, "display.max_colwidth", 70):
        print(view[cols].head(args.top).to_string(index=False))
    print(aset.scored_on_note("en"))
    print(aset.peers_note("en"))
    if table["assumed"].any():
        print("note: assumed effort (default effort table, not measured)", file=sys.stderr)
    if args.out:
        out = table.drop(columns=["peer_delta"]).assign(
            peer_delta=table["peer_delta"].map(lambda d: "; ".join(f"{k}: {v:+.4f}" for k, v in d.items())))
        write_table(out, args.out)
        print(f"written: {args.out}")
    return 0


def cmd_points_worth(args) -> int:
    import pandas as pd

    from ..io import write_table
    from .simulate import coarse_effects, peers_from_results

    peers = peers_from_results(args.unit, args.year, results=args.results, era=args.era, trend=args.trend,
                               scenario=args.scenario)
    table = coarse_effects(args.framework, peers=peers, points=args.points, n_draws=args.draws, seed=args.seed,
                           lang=args.lang, target_rank=args.target_rank)
    with pd.option_context("display.width", 200):
        print(f"{args.unit} {args.year}: DTI {peers.unit_value:.4f}, rank {peers.unit_rank}/{peers.n_units}")
        print(table.to_string(index=False))
    for a in table.attrs.get("assumptions", []):
        print(f"assumption: {a}")
    if args.out:
        write_table(table, args.out)
        print(f"written: {args.out}")
    return 0
