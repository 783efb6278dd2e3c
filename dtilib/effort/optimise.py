"""The best plan under a budget: an exact multiple-choice knapsack, then a greedy order over quarters.

* :func:`solve` — exact: maximise the points gained, subject to cost ≤ budget (and person-days ≤ the
  staff limit, if given) and at most one action per option group (the alternative levels of one
  sub-indicator), with :func:`scipy.optimize.milp` (binary variable per action, HiGHS, zero MIP gap).
  Among plans with the same points it takes the cheapest (a second milp: min cost at max points).
* :func:`brute_force` — the oracle the tests and the benchmark compare with (every combination).
* :func:`greedy` — points per effort order (for sequencing and comparison; not optimal in general).
* :func:`best_plan` — candidate actions + effort → :class:`Plan`: chosen actions, points per main
  indicator, the new total and DTI value **re-scored by the real scorer with all chosen actions applied
  together** (so min–max interactions with peers show), the marginal points of one more budget unit
  (re-solved at budget + step), what was left out and why, and a quarter for each action.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import Note
from .actions import ActionSet
from .costs import effort_for

EPS = 1e-9


def _non_negative(value, name: str, label: str, expected: str) -> float:
    """*value* as a finite number ≥ 0, else one ParameterError naming the parameter."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{label} {value!r} is not a number", column=name, expected=expected) from None
    if not math.isfinite(x) or x < 0:
        raise ParameterError(f"{label} {value!r} is negative or not finite", column=name, expected=expected)
    return x


def _check_budget(budget, staff_days) -> tuple[float, float | None]:
    b = _non_negative(budget, "budget", "budget", "a number ≥ 0 (same money unit as the effort table)")
    d = None if staff_days is None else _non_negative(staff_days, "staff_days", "staff-days",
                                                      "a number of person-days ≥ 0")
    return b, d


def _arrays(gain, cost, group, days):
    gain = np.asarray(gain, dtype=float)
    cost = np.asarray(cost, dtype=float)
    group = np.asarray(pd.factorize(np.asarray(group, dtype=object))[0])
    days = None if days is None else np.asarray(days, dtype=float)
    if not (len(gain) == len(cost) == len(group)) or (days is not None and len(days) != len(gain)):
        raise ParameterError("gain, cost, group (and days) must have the same length", column="actions")
    if np.any(cost < 0) or (days is not None and np.any(days < 0)):
        raise ParameterError("a cost or person-day figure is negative", column="cost", expected="≥ 0")
    return gain, cost, group, days


def solve(gain, cost, group, budget: float, *, days=None, day_limit: float | None = None) -> np.ndarray:
    """Exact optimum: a boolean mask of the chosen actions (max points, then min cost)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    budget, day_limit = _check_budget(budget, day_limit)
    gain, cost, group, days = _arrays(gain, cost, group, days)
    n = len(gain)
    chosen = np.zeros(n, dtype=bool)
    # only actions with a positive gain that fit on their own can ever be in an optimal plan
    ok = (gain > EPS) & (cost <= budget + EPS)
    if days is not None and day_limit is not None:
        ok &= days <= day_limit + EPS
    idx = np.flatnonzero(ok)
    if idx.size == 0:
        return chosen
    g, c, grp = gain[idx], cost[idx], group[idx]
    groups = np.unique(grp)
    rows = [c]
    ub = [budget]
    if days is not None and day_limit is not None:
        rows.append(days[idx])
        ub.append(day_limit)
    onehot = (grp[None, :] == groups[:, None]).astype(float)
    A = np.vstack([np.vstack(rows), onehot])
    ub = np.concatenate([ub, np.ones(len(groups))])
    cons = [LinearConstraint(A, -np.inf, ub)]
    # presolve off: HiGHS 1.12 (scipy 1.17) prints a stray debug line when it maps a presolved solution
    # back (ERGO-Code/HiGHS#2783); these models are small, presolve buys nothing here
    opts = {"mip_rel_gap": 0.0, "disp": False, "presolve": False}
    integ = np.ones(idx.size)
    res = milp(-g, integrality=integ, bounds=Bounds(0, 1), constraints=cons, options=opts)
    if res.status != 0 or res.x is None:  # pragma: no cover - HiGHS always solves these
        raise RuntimeError(f"milp failed: {res.message}")
    best = float(g @ np.round(res.x))
    # second stage: the cheapest plan with (almost exactly) the best points
    tol = 1e-7 * max(1.0, abs(best))
    cons2 = cons + [LinearConstraint(g[None, :], best - tol, np.inf)]
    res2 = milp(c, integrality=integ, bounds=Bounds(0, 1), constraints=cons2, options=opts)
    x = np.round(res2.x if res2.status == 0 and res2.x is not None else res.x).astype(bool)
    chosen[idx[x]] = True
    return chosen


def brute_force(gain, cost, group, budget: float, *, days=None, day_limit: float | None = None):
    """Oracle: (best points, mask) by trying every combination of at most one action per group."""
    budget, day_limit = _check_budget(budget, day_limit)
    gain, cost, group, days = _arrays(gain, cost, group, days)
    members = [np.flatnonzero(group == gid).tolist() for gid in np.unique(group)]
    best, best_mask, best_cost = 0.0, np.zeros(len(gain), dtype=bool), 0.0
    for combo in itertools.product(*[[None] + m for m in members]):
        pick = [i for i in combo if i is not None]
        c = float(sum(cost[i] for i in pick))
        if c > budget + EPS:
            continue
        if days is not None and day_limit is not None and float(sum(days[i] for i in pick)) > day_limit + EPS:
            continue
        g = float(sum(gain[i] for i in pick))
        if g > best + 1e-9 or (abs(g - best) <= 1e-9 and c < best_cost - 1e-9):
            best, best_cost = g, c
            best_mask = np.zeros(len(gain), dtype=bool)
            best_mask[pick] = True
    return best, best_mask


def greedy(gain, cost, group, budget: float, *, days=None, day_limit: float | None = None) -> np.ndarray:
    """Points-per-effort greedy: best ratio first, skip what does not fit or whose group is taken.

    When an action of a group is taken, a later (higher-ratio-order) upgrade in the same group is not
    considered — greedy is a sequencing heuristic, :func:`solve` is the optimum.
    """
    budget, day_limit = _check_budget(budget, day_limit)
    gain, cost, group, days = _arrays(gain, cost, group, days)
    with np.errstate(divide="ignore", invalid="ignore"):
        ppe = np.where(cost > 0, gain / np.where(cost > 0, cost, 1), np.where(gain > 0, np.inf, 0))
    order = np.lexsort((-gain, -ppe))
    chosen = np.zeros(len(gain), dtype=bool)
    taken, spent, used = set(), 0.0, 0.0
    for i in order:
        if gain[i] <= EPS or group[i] in taken or spent + cost[i] > budget + EPS:
            continue
        if days is not None and day_limit is not None and used + days[i] > day_limit + EPS:
            continue
        chosen[i] = True
        taken.add(group[i])
        spent += cost[i]
        used += 0.0 if days is None else days[i]
    return chosen


@dataclass
class Plan:
    """The best plan for one unit (see :func:`best_plan`)."""

    unit: str
    budget: float
    staff_days: float | None
    cost_level: str
    chosen: pd.DataFrame
    left_out: pd.DataFrame
    candidates: pd.DataFrame
    by_main: pd.DataFrame
    before: dict
    after: dict
    peers_change: pd.DataFrame
    spent: float
    days_used: float
    gain: float
    gain_sum_of_actions: float
    marginal: dict
    greedy_gain: float
    assumptions: list[str]
    actionset: ActionSet = field(repr=False)
    rescored: object = field(repr=False, default=None)

    @property
    def uses_assumed_effort(self) -> bool:
        """True when any candidate (chosen or not) was priced with the default, assumed effort."""
        return bool(self.candidates["assumed"].any())

    def summary(self, lang: str = "en") -> dict:
        """Figures for the summary sheet (labels in *lang*)."""
        from .plan import summary_rows

        return dict(summary_rows(self, lang))

    def _repr_html_(self) -> str:
        from ..reporting.rich import html

        return html(self)

    def __repr__(self) -> str:
        from ..reporting.rich import text

        return text(self)


def best_plan(actions: ActionSet, effort=None, budget: float = 0.0, *, staff_days: float | None = None,
              cost_level: str = "likely", budget_step: float = 1.0, quarters: int = 4) -> Plan:
    """The exact best plan for the unit of *actions* under *budget* (and *staff_days*).

    *effort* is an :class:`~dtilib.effort.costs.EffortTable`, a path (on top of the defaults) or None
    (defaults: "assumed effort").  ``cost_level`` picks the low / likely / high cost and days used for
    the optimum; ``budget_step`` is the "one more unit of budget" of the marginal value.
    """
    budget, staff_days = _check_plan_args(budget, staff_days, cost_level, budget_step, quarters)
    cand = effort_for(actions, effort)
    gain = cand["gain"].to_numpy(float)
    cost = cand[f"cost_{cost_level}"].to_numpy(float)
    days = cand[f"days_{cost_level}"].to_numpy(float)
    group = cand["option_group"].to_numpy(object)
    dl = staff_days
    day_arg = days if dl is not None else None
    mask = solve(gain, cost, group, budget, days=day_arg, day_limit=dl)
    marginal = _marginal(gain, cost, group, days, budget, dl, budget_step, mask)
    g_mask = greedy(gain, cost, group, budget, days=day_arg, day_limit=dl)

    chosen = _sequence(cand[mask].copy(), cost_level, budget, dl, quarters)
    ids = chosen["action_id"].tolist()
    res = actions.rescore(ids) if ids else actions.base
    unit = actions.unit
    b_tot = actions.base.total.set_index("unit")
    a_tot = res.total.set_index("unit")
    before, after = _standing(b_tot, unit), _standing(a_tot, unit)
    pc = pd.DataFrame({"unit": b_tot.index, "points_before": b_tot["points"].to_numpy(),
                       "points_after": a_tot["points"].reindex(b_tot.index).to_numpy(),
                       "rank_before": b_tot["rank"].to_numpy(), "rank_after": a_tot["rank"].reindex(b_tot.index).to_numpy()})
    pc["delta"] = pc["points_after"] - pc["points_before"]
    left = _left_out(actions, cand, mask, cost, day_arg, budget, dl, cost_level)
    gsum = float(chosen["gain"].sum())
    return Plan(unit=unit, budget=budget, staff_days=dl, cost_level=cost_level, chosen=chosen.reset_index(drop=True),
                left_out=left, candidates=cand, by_main=_by_main(actions, res, chosen), before=before, after=after,
                peers_change=pc, spent=float(cost[mask].sum()), days_used=float(days[mask].sum()),
                gain=after["total"] - before["total"], gain_sum_of_actions=gsum, marginal=marginal,
                greedy_gain=float(gain[g_mask].sum()),
                assumptions=_assumptions(actions, cand, chosen, cost_level, after["total"] - before["total"], gsum),
                actionset=actions, rescored=res)


def _check_plan_args(budget, staff_days, cost_level, budget_step, quarters) -> tuple[float, float | None]:
    budget, staff_days = _check_budget(budget, staff_days)
    if cost_level not in {"low", "likely", "high"}:
        raise ParameterError(f"cost level '{cost_level}'", column="cost_level", expected="low, likely or high")
    if not budget_step > 0:
        raise ParameterError(f"budget step {budget_step!r}", column="budget_step", expected="a number > 0")
    if not isinstance(quarters, int) or not 1 <= quarters <= 4:
        raise ParameterError(f"quarters = {quarters!r}", column="quarters", expected="1, 2, 3 or 4")
    return budget, staff_days


def _marginal(gain, cost, group, days, budget, dl, budget_step, mask) -> dict:
    """Points one more *budget_step* of budget (and one more staff day, with a day limit) would buy."""
    mask_up = solve(gain, cost, group, budget + budget_step, days=days if dl is not None else None, day_limit=dl)
    marginal = {"budget_step": budget_step,
                "points": float(gain[mask_up].sum() - gain[mask].sum()),
                "points_per_budget_unit": float((gain[mask_up].sum() - gain[mask].sum()) / budget_step)}
    if dl is not None:
        mask_d = solve(gain, cost, group, budget, days=days, day_limit=dl + 1.0)
        marginal["points_per_staff_day"] = float(gain[mask_d].sum() - gain[mask].sum())
    return marginal


def _standing(total: pd.DataFrame, unit: str) -> dict:
    """The unit's total points, DTI value and rank (of how many) in a score's ``total`` (indexed by unit)."""
    return {"total": float(total.at[unit, "points"]), "dti": float(total.at[unit, "dti_value"]),
            "rank": _int(total.at[unit, "rank"]), "rank_of": _int(total.at[unit, "rank_of"])}


def _by_main(actions: ActionSet, res, chosen: pd.DataFrame) -> pd.DataFrame:
    """Points before and after the plan per scored main indicator, and how many chosen actions each has."""
    unit, fw = actions.unit, actions.framework
    bm = actions.base.main[actions.base.main["unit"] == unit].set_index("indicator")
    am = res.main[res.main["unit"] == unit].set_index("indicator")
    by_main = pd.DataFrame({"indicator": fw.main["id"].to_numpy(),
                            "name_vi": fw.main["name_vi"].to_numpy(), "name_en": fw.main["name_en"].to_numpy(),
                            "max_points": fw.main["max_points"].to_numpy()})
    by_main["points_before"] = by_main["indicator"].map(bm["points"])
    by_main["points_after"] = by_main["indicator"].map(am["points"])
    by_main["gain"] = by_main["points_after"] - by_main["points_before"]
    by_main["n_actions"] = by_main["indicator"].map(chosen.groupby("main").size()).fillna(0).astype(int)
    return by_main[fw.main["scored"].to_numpy()].reset_index(drop=True)


def _assumptions(actions: ActionSet, cand, chosen, cost_level, d, gsum) -> list:
    """What the plan assumed, as notes (each in English and Vietnamese; the edges choose).  *d* is the
    re-scored gain, *gsum* the sum of the chosen actions' gains."""
    assumptions = []
    if cand["assumed"].any():
        used = chosen if len(chosen) else cand
        key = "effort.assume.assumed_chosen" if len(chosen) else "effort.assume.assumed_candidate"
        assumptions.append(Note.of(key, n=int(used["assumed"].sum()), m=len(used)))
    assumptions.append(Note(actions.scored_on_note("en"), actions.scored_on_note("vi")))
    assumptions.append(Note(actions.peers_note("en"), actions.peers_note("vi")))
    step = actions.provenance.get("ratio_step", 0.1) * 100
    assumptions.append(Note.of("effort.assume.optimum", level=Note.of(f"effort.level.{cost_level}"), step=step))
    if abs(d - gsum) > 1e-6:
        assumptions.append(Note.of("effort.assume.rescored", d=d, gsum=gsum))
    return assumptions


def _int(x):
    return None if pd.isna(x) else int(x)


def _sequence(chosen: pd.DataFrame, cost_level: str, budget: float, day_limit, quarters: int) -> pd.DataFrame:
    """Greedy points-per-effort order, cut into quarters by cumulative cost (and person-days)."""
    if chosen.empty:
        chosen = chosen.copy()
        chosen["order"] = pd.Series(dtype=int)
        chosen["quarter"] = pd.Series(dtype=int)
        return chosen
    ppe = {"low": "ppe_high", "likely": "ppe_likely", "high": "ppe_low"}[cost_level]
    c = chosen.sort_values([ppe, "gain"],
                           ascending=[False, False]).copy()
    c["order"] = np.arange(1, len(c) + 1)
    cum = c[f"cost_{cost_level}"].cumsum().to_numpy()
    share = budget / quarters if budget > 0 else np.inf
    q = np.ceil(cum / share - 1e-9) if np.isfinite(share) else np.ones(len(c))
    if day_limit:
        qd = np.ceil(c[f"days_{cost_level}"].cumsum().to_numpy() / (day_limit / quarters) - 1e-9)
        q = np.maximum(q, qd)
    c["quarter"] = np.clip(np.maximum(q, 1), 1, quarters).astype(int)
    return c


def _left_out(actions: ActionSet, cand: pd.DataFrame, mask, cost, days, budget, day_limit, cost_level):
    """Why each action was left out: a reason code and a detail :class:`~dtilib.i18n.Note`."""
    rows = []
    for s in actions.status.itertuples(index=False):
        if s.note in {"unknown_rule", "unknown_max", "missing_data", "no_lever", "error"}:
            reason = {"unknown_rule": "unknown rule", "unknown_max": "unknown max points",
                      "missing_data": "missing data", "no_lever": "no input change reaches a higher score",
                      "error": "data error"}[s.note]
            rows.append({"action_id": "", "indicator": s.indicator, "main": s.main, "rule": s.rule,
                         "gain": np.nan, "cost": np.nan, "reason": reason,
                         "detail": getattr(s, "error", "") if s.note == "error" else ""})
    spent = float(cost[mask].sum())
    used = float(days[mask].sum()) if days is not None else 0.0
    chosen_of = dict(zip(cand.loc[mask, "option_group"], cand.loc[mask, "action_id"], strict=True))
    g = cand["gain"].to_numpy(float)
    grp = cand["option_group"].to_numpy(object)
    for i, a in enumerate(cand.itertuples(index=False)):
        if mask[i]:
            continue
        detail = ""
        if g[i] <= EPS:
            reason = "zero gain"
            if a.peer_delta:
                detail = Note.of("effort.detail.peers_only", worst=-min(a.peer_delta.values()))
        elif cost[i] > budget + EPS:
            reason, detail = "over budget", Note.of("effort.detail.over_budget_alone", cost=cost[i], budget=budget)
        elif days is not None and days[i] > day_limit + EPS:
            reason, detail = "over staff-days", Note.of("effort.detail.over_days_alone", days=days[i], limit=day_limit)
        else:
            same = np.flatnonzero((grp == grp[i]) & (np.arange(len(g)) != i))
            dom = [j for j in same if g[j] >= g[i] - EPS and cost[j] <= cost[i] + EPS
                   and (days is None or days[j] <= days[i] + EPS)
                   and (g[j] > g[i] + EPS or cost[j] < cost[i] - EPS)]
            if dom:
                reason, detail = "dominated", Note.of("effort.detail.dominated", other=cand["action_id"].iloc[dom[0]])
            elif a.option_group in chosen_of:
                reason, detail = "other level chosen", Note.of("effort.detail.other_level",
                                                               other=chosen_of[a.option_group])
            elif spent + cost[i] > budget + EPS:
                reason, detail = "over budget", Note.of("effort.detail.over_budget_left", cost=cost[i],
                                                        left=budget - spent)
            elif days is not None and used + days[i] > day_limit + EPS:
                reason, detail = "over staff-days", Note.of("effort.detail.over_days_left", days=days[i],
                                                            left=day_limit - used)
            else:  # pragma: no cover - impossible for an optimal plan
                reason = "not optimal"
        rows.append({"action_id": a.action_id, "indicator": a.indicator, "main": a.main, "rule": a.rule,
                     "gain": g[i], "cost": cost[i], "reason": reason, "detail": detail})
    return pd.DataFrame(rows, columns=["action_id", "indicator", "main", "rule", "gain", "cost", "reason", "detail"])
