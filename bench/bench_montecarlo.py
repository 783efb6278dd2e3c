"""montecarlo_10k_63_seconds and montecarlo_over_numpy_baseline: the rank Monte Carlo at full size.

One province among 63, a plan of 30 actions (a synthetic framework scored through the real scorer and
planned with :func:`dtilib.effort.optimise.best_plan`; costs triangular(low, likely, high), completion
probabilities from the default effort table) and its 62 peers as the library models them
(:func:`dtilib.effort.simulate.peers_from_results` on the record, Lai Châu in the 2022 list, ``trend=True``):
each peer's base value drawn *in published order* within its bounds (sorted uniforms between published
neighbours, ties shared, a running minimum down the list — :func:`dtilib.analysis.ranking.draw_in_order`),
plus one general rise shared by all (and by the unit) per draw and each peer's spread around it.
:func:`dtilib.effort.simulate.simulate_rank` with 10,000 draws is timed (best of repeats; planning is
not timed).  The baseline is bare numpy on the same sizes: the same random draws (ordered peer values,
the shared rise, the peers' spread, costs, completion) and a rank count, without the budget sequence,
checks or bookkeeping (the groups of positions with equal bounds are found before timing).  The
simulation's budget is 60 % of the plan's cost, so the budget binds in some draws.  Figures: seconds for
the full simulation and its time / the baseline's.  Quick mode: the same 10,000 draws, fewer repeats.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
import yaml

GOALS = {"montecarlo_10k_63_seconds": ("<=", 1.0), "montecarlo_over_numpy_baseline": ("<=", 5.0)}


def _framework() -> dict:
    subs = []
    for j in range(30):
        rule = ["binary", "count_steps", "linear"][j % 3]
        s = {"id": f"s{j:02d}", "main": "m", "name_vi": f"s{j}", "max_points": 10, "rule": rule,
             "source": "benchmark"}
        if rule == "count_steps":
            s["params"] = {"steps": {1: 5, 2: 10}}
        elif rule == "linear":
            s["inputs"] = {"a": "numerator", "b": "denominator"}
            s["formula"] = "a/b"
        subs.append(s)
    return {"id": "bench-mc", "version": "1", "name_vi": "bench", "name_en": "bench", "legal_source": "benchmark",
            "level": "province", "years": [2024, 2024], "total_points": 300, "completeness": "synthetic",
            "main_indicators": [{"id": "m", "name_vi": "m", "name_en": "m", "max_points": 300}],
            "sub_indicators": subs}


def _plan():
    from dtilib.effort.actions import candidate_actions
    from dtilib.effort.optimise import best_plan
    from dtilib.frameworks import parse_framework

    fw = parse_framework(yaml.safe_dump(_framework()), "bench")
    rows = []
    for s in fw.sub.itertuples(index=False):
        if s.rule == "binary":
            rows.append(("P", s.id, "value", "0"))
        elif s.rule == "count_steps":
            rows.append(("P", s.id, "count", "0"))
        else:
            rows += [("P", s.id, "a", "10"), ("P", s.id, "b", "100")]
    data = pd.DataFrame(rows, columns=["unit", "indicator", "input", "value"])
    aset = candidate_actions(fw, data, "P", step=0.9)       # one ratio action per linear item (to 100 %)
    return best_plan(aset, None, 1e9)


def _peers():
    from dtilib.effort.simulate import peers_from_results

    return peers_from_results("Lai Châu", 2022, era=63, trend=True)


def _order(peers):
    """Rank order of the peers, the groups of positions with the same bounds and the tied positions
    (what :func:`dtilib.analysis.ranking.draw_in_order` works out), found once, before timing."""
    perm = np.argsort(peers.order["rank"].to_numpy(int), kind="stable")
    lo, hi = peers.low[perm], peers.high[perm]
    rk = peers.order["rank"].to_numpy(int)[perm]
    key = np.round(lo, 9) * 10 + np.round(hi, 9)
    groups = [c for g in np.unique(key) if len(c := np.flatnonzero(key == g)) > 1 and hi[c[0]] > lo[c[0]]]
    ties = [c for r in np.unique(rk) if len(c := np.flatnonzero(rk == r)) > 1]
    return lo, hi, groups, ties


def baseline(n, order, peers, low, mode, high, p, gain, total, unit0, budget, seed=0):
    rng = np.random.default_rng(seed)
    lo, hi, groups, ties = order
    k = lo.size
    pv = lo + (hi - lo) * rng.random((n, k))
    for cols in groups:
        pv[:, cols] = -np.sort(-pv[:, cols], axis=1)
    for cols in ties:
        pv[:, cols] = pv[:, cols[:1]]
    pv = np.minimum.accumulate(pv, axis=1)
    rise = peers.shift + peers.shift_se * rng.standard_normal(n)
    pv = np.clip(pv + peers.growth_sd[0] * rng.standard_normal((n, k)) + rise[:, None], 0.0, 1.0)
    cost = rng.triangular(low, mode, high, size=(n, low.size))
    done = rng.random((n, low.size)) < p
    done &= np.cumsum(cost, axis=1) <= budget
    v = np.clip(unit0 + done @ gain / total + rise, 0.0, 1.0)
    return 1 + (pv > v[:, None] + 1e-9).sum(axis=1)


def run(quick: bool = False) -> dict:
    from dtilib.effort.simulate import simulate_rank

    n = 10_000
    plan = _plan()
    peers = _peers()
    assert len(plan.chosen) == 30 and peers.n_units == 63 and peers.order is not None and peers.shift_se > 0
    order = _order(peers)
    reps = 2 if quick else 7
    budget = 0.6 * plan.spent
    t_sim = []
    for r in range(reps):
        t0 = time.perf_counter()
        dist = simulate_rank(plan, peers, n_draws=n, seed=r, target_rank=10, budget=budget)
        t_sim.append(time.perf_counter() - t0)
    ch = plan.chosen.sort_values("order")
    args = (ch["cost_low"].to_numpy(float), ch["cost_likely"].to_numpy(float), ch["cost_high"].to_numpy(float),
            ch["p_complete"].to_numpy(float), ch["gain"].to_numpy(float), 300.0, plan.before["dti"], budget)
    lo, mo, hi = args[0], args[1], args[2]
    args = (np.where(hi > lo, lo, lo - 1e-9), mo, hi) + args[3:]   # numpy's triangular needs low < high
    t_base = []
    for r in range(reps):
        t0 = time.perf_counter()
        baseline(n, order, peers, *args, seed=r)
        t_base.append(time.perf_counter() - t0)
    ts, tb = min(t_sim), min(t_base)
    print(f"monte carlo: {n:,} draws × {peers.n_units} provinces × {len(plan.chosen)} actions: "
          f"simulate_rank {ts * 1000:.1f} ms, bare numpy {tb * 1000:.1f} ms; "
          f"P(rank ≤ 10) = {dist.p_target:.3f}, median rank {dist.summary()['rank_median']:g}")
    return {"montecarlo_10k_63_seconds": round(ts, 4), "montecarlo_over_numpy_baseline": round(ts / tb, 2)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(json.dumps(run(ap.parse_args().quick)))
