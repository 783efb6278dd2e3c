"""Sub-commands ``dti plan``, ``dti actions`` and ``dti points-worth`` (points per effort)."""

from __future__ import annotations

import sys

from ..i18n import t


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
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="headers and texts (default vi)")
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
    p.add_argument("--value", type=float, help="the unit's own DTI value of --year when the record publishes none "
                                               "(must fit its published rank)")
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
    from .core import add_reading_options

    add_reading_options(p)


def _actions(args):
    from ..effort.actions import candidate_actions
    from ..frameworks import load_framework
    from ..inputs import read_unit_data

    fw = load_framework(args.framework)
    data = read_unit_data(args.unit_data, fw, sheet=args.sheet, decimal=args.decimal)
    return candidate_actions(fw, data, args.unit, year=args.year, step=args.step, peers=args.peers)


def cmd_plan(args) -> int:
    from ..effort.agencies import agencies_for
    from ..effort.optimise import best_plan
    from ..effort.plan import write_plan
    from ..effort.simulate import peers_from_results, simulate_rank
    from ..errors import ParameterError

    if args.main_values:
        return _plan_from_main_values(args)
    if args.budget is None:
        raise ParameterError("no budget", column="--budget", expected="--budget B (triệu đồng) with --unit-data")
    if args.budget < 0:
        raise ParameterError(f"budget {args.budget:g} is negative", column="--budget",
                             expected="a number ≥ 0 (same money unit as the effort table)")
    from ..effort.simulate import check_draws

    check_draws(args.draws, args.seed)
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
    print(plan_text(plan, rank, args.lang))
    print(aset.scored_on_note(args.lang))
    if plan.uses_assumed_effort:
        print(t("plan.cli_assumed", args.lang), file=sys.stderr)
    print(f"→ {out}")
    return 0


def _plan_from_main_values(args) -> int:
    """``dti plan --main-values``: the coarse plan of a province known only by its published main values."""
    from pathlib import Path

    from ..effort.agencies import agencies_for
    from ..effort.plan import appendix, write_appendix
    from ..effort.simulate import coarse_effects, peers_from_results
    from ..errors import ParameterError
    from ..frameworks import load_framework
    from ..inputs import read_main_values
    from ..reporting.plandoc import write_plan_docx

    fw = load_framework(args.framework)
    mv = read_main_values(args.main_values, args.year)
    from ..units import find_unit

    args.unit = find_unit(args.unit.strip(), mv["unit"].str.strip()) or args.unit   # as the file names it
    mine = mv[mv["unit"].str.strip() == args.unit]
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
    print(points_worth_text(worth, peers, args.unit, year, args.points, args.draws, args.lang,
                            target_rank=args.target_rank, framework=str(args.framework)))
    print(f"→ {out}")
    return 0


def plan_text(plan, rank=None, lang: str = "vi") -> str:
    """What ``dti plan`` prints: one sentence on the plan, one on the rank it buys (both in *lang*)."""
    from ..i18n import fmt_number, fmt_percent, fmt_signed

    dti = plan.after["dti"]
    lines = [t("plan.cli_summary", lang, unit=plan.unit, n=len(plan.chosen), spent=fmt_number(plan.spent, lang, 0),
               budget=fmt_number(plan.budget, lang, 0), gain=fmt_signed(plan.gain, lang, 2),
               total=fmt_number(plan.after["total"], lang, 2),
               dti=fmt_number(dti, lang) if dti == dti else t("plan.cli_dti_none", lang))]
    if rank is not None:
        s = rank.summary()
        lines.append(t("plan.cli_rank", lang, n=fmt_number(s["n_draws"], lang, 0), median=round(s["rank_median"]),
                       of=s["n_units"], p10=round(s["rank_p10"]), p90=round(s["rank_p90"])))
        if rank.target_rank is not None:
            lines.append(t("plan.cli_target", lang, target=rank.target_rank, of=s["n_units"],
                           p=fmt_percent(rank.p_target, lang)))
    return "\n".join(lines)


def cmd_actions(args) -> int:
    from ..effort.costs import effort_for
    from ..i18n import text_table
    from ..io import write_table

    aset = _actions(args)
    table = effort_for(aset, args.effort)
    view = table.loc[table["ppe_likely"].round(3).sort_values(ascending=False, kind="stable").index]  # ties as shown
    print(text_table(actions_view(view.head(args.top), args.lang), args.lang, labels=ACTION_LABELS))
    print(aset.scored_on_note(args.lang))
    print(aset.peers_note(args.lang))
    if table["assumed"].any():
        print(t("actions.assumed", args.lang), file=sys.stderr)
    if args.out and args.out.lower().endswith(".xlsx"):     # for a reader: the printed columns, numbers as numbers
        write_table(actions_sheet(view, args.lang), args.out, sheet="actions", lang=args.lang,
                    labels={c: t(k, args.lang) for c, k in ACTION_LABELS.items()})
        print(t("cli.wrote", args.lang, path=args.out))
    elif args.out:                                           # for programs: every column, codes
        out = table.drop(columns=["peer_delta"]).assign(
            peer_delta=table["peer_delta"].map(lambda d: "; ".join(f"{k}: {v:+.4f}" for k, v in d.items())))
        write_table(out, args.out)
        print(t("cli.wrote", args.lang, path=args.out))
    return 0


def actions_sheet(table, lang: str = "vi"):
    """Every candidate action as a reader's workbook lists it: the columns ``dti actions`` prints, with the
    numbers kept numbers (costs, points, the chance of completion as a share) and the texts in *lang*."""
    sheet = table[list(ACTION_LABELS)[:-2]].reset_index(drop=True)
    printed = actions_view(table, lang)
    return sheet.assign(description=printed["description"].to_numpy(), effort_basis=printed["effort_basis"].to_numpy())


#: the columns ``dti actions`` prints, and their labels
ACTION_LABELS = {"action_id": "actions.col.id", "gain": "actions.col.gain", "cost_low": "actions.col.cost_low",
                 "cost_likely": "actions.col.cost_likely", "cost_high": "actions.col.cost_high",
                 "ppe_likely": "actions.col.ppe", "days_likely": "actions.col.days",
                 "p_complete": "actions.col.p_complete", "description": "actions.col.description",
                 "effort_basis": "actions.col.basis"}


def actions_view(table, lang: str = "vi"):
    """The candidate actions as ``dti actions`` prints them: numbers written in *lang* (points 2 decimals,
    costs and days without float noise, the chance of completion in %), the description and the effort's
    basis in *lang*."""
    import pandas as pd

    from ..i18n import fmt_number, fmt_percent, fmt_plain, localized

    def basis(r):
        return f"{t('effort.assumed', lang)} ({r['effort_origin']})" if r["assumed"] else r["effort_basis"]

    rows = table.to_dict("records")
    out = pd.DataFrame({"action_id": [r["action_id"] for r in rows]})
    out["gain"] = [fmt_number(r["gain"], lang, 2) for r in rows]
    for c in ["cost_low", "cost_likely", "cost_high", "days_likely"]:
        out[c] = [fmt_plain(r[c], lang, 1) for r in rows]
    out["ppe_likely"] = [fmt_number(r["ppe_likely"], lang, 3) for r in rows]
    out["p_complete"] = [fmt_percent(r["p_complete"], lang) for r in rows]
    out["description"] = [localized(r, "description", lang, "") for r in rows]
    out["effort_basis"] = [basis(r) for r in rows]
    return out[list(ACTION_LABELS)]


def cmd_points_worth(args) -> int:
    from ..effort.simulate import coarse_effects, peers_from_results
    from ..io import write_table

    peers = peers_from_results(args.unit, args.year, results=args.results, era=args.era, trend=args.trend,
                               scenario=args.scenario, unit_value=args.value)
    table = coarse_effects(args.framework, peers=peers, points=args.points, n_draws=args.draws, seed=args.seed,
                           lang=args.lang, target_rank=args.target_rank)
    print(points_worth_text(table, peers, args.unit, args.year, args.points, args.draws, args.lang,
                            target_rank=args.target_rank, framework=args.framework))
    if args.out:
        write_table(table, args.out, lang=args.lang)
        print(f"→ {args.out}")
    return 0


def points_worth_text(table, peers, unit: str, year: int, points: float, draws: int, lang: str = "vi", *,
                      target_rank: int | None = None, framework: str = "") -> str:
    """``dti points-worth`` as one or two quotable sentences, a short table of what differs between the
    main indicators, and the assumptions — all in *lang* (numbers formatted by :mod:`dtilib.i18n`)."""
    import numpy as np

    from ..analysis.trends import framework_label
    from ..i18n import fmt_number, fmt_percent, fmt_signed, rank_move_text, t, text_table

    n = peers.n_units
    lines = [t("pw.head", lang, unit=unit, year=year, value=fmt_number(peers.unit_value, lang),
               rank=peers.unit_rank, n=n)]
    from ..effort.simulate import worth_order

    same = table["dti_change"].round(4).nunique() == 1 and table["rank_after"].round(0).nunique() == 1
    if not same:          # best first, ties as shown (never by float noise), then the framework's order
        table = worth_order(table)
    best = worth_order(table).iloc[0]
    shown = table["rank_after"].round(0).eq(round(best["rank_after"])) & \
        table["dti_change"].round(4).eq(round(best["dti_change"], 4))
    tied = list(table.loc[shown, "name"])          # worth the same as shown: all named, none picked by noise
    gained = int(round(best["ranks_gained_median"]))
    common = {"d": fmt_signed(best["dti_change"], lang), "after": fmt_number(best["dti_after"], lang),
              "move": rank_move_text(best["rank_before"], best["rank_after"], n, lang),
              "moved": ("" if round(best["rank_before"]) == 1 else     # already first: nothing to move up to
                        t("pw.moved_up" if gained > 0 else "pw.moved_none", lang, k=gained))}
    if same:
        pts = fmt_number(points, lang, 0 if float(points).is_integer() else 2)
        lines.append(t("pw.any", lang, points=pts, **common))
    else:   # the indicators differ (points capped by what an indicator can still give): the best one, details below
        name = best["name"] if len(tied) == 1 else t("pw.tied", lang, names=", ".join(tied[:-1]), last=tied[-1])
        lines.append(t("pw.best", lang, name=name, points=fmt_number(best["points"], lang, 2), **common))
    if target_rank is not None and "p_target_after" in table:
        lines.append(t("pw.target", lang, target=target_rank, n=n, p0=fmt_percent(best["p_target_before"], lang),
                       p1=fmt_percent(best["p_target_after"], lang)))
    view = table.assign(value_change=[fmt_signed(v, lang) for v in table["value_change"]],
                        points=[fmt_number(v, lang, 2) for v in table["points"]],
                        max_points=[fmt_number(v, lang, 0) for v in table["max_points"]],
                        dti_change=[fmt_signed(v, lang) for v in table["dti_change"]],
                        rank_after=[f"{int(round(v))}/{n}" for v in table["rank_after"]])
    cols = ["name", "max_points", "points", "value_change"]
    if same:              # every row moves the DTI and the rank alike: said once in the sentence above
        if (table["points"] == float(points)).all():
            cols.remove("points")
    else:
        cols += ["dti_change", "rank_after"]
        if target_rank is not None and "p_target_after" in table:
            view["p_target_after"] = [fmt_percent(v, lang) for v in table["p_target_after"]]
            cols.append("p_target_after")
    lines += ["", text_table(view[cols], lang,
                             labels={"name": "pw.indicator", "max_points": "max_points", "points": "pw.points_added",
                                     "value_change": "pw.value_change", "dti_change": "pw.dti_change",
                                     "rank_after": "pw.rank_after", "p_target_after": "pw.p_target"})]
    lines += ["", t("pw.assumptions", lang)]
    n_bounded = int(np.sum(np.asarray(peers.high) - np.asarray(peers.low) > 1e-6))
    lines.append("- " + t("pw.peers", lang, year=peers.year, n=n, n_pub=len(peers.names) - n_bounded,
                          n_bounded=n_bounded))
    if n_bounded:
        lines.append("- " + t("pw.rank_only", lang))
    if peers.kind == "trend":
        lines.append("- " + t("pw.trend", lang, g=fmt_signed(float(np.mean(peers.growth_mean)), lang)))
    else:
        lines.append("- " + t("pw.constant", lang))
    lines.append("- " + t("pw.weights", lang, framework=framework_label(framework), draws=fmt_number(draws, lang, 0)))
    return "\n".join(lines)


