"""optimizer_vs_bruteforce_25: brute-force time / milp time on 25 random actions, same optimum, one run.

25 actions in 10 option groups (sizes 3,3,3,3,3,2,2,2,2,2: 4^5·3^5 = 248,832 combinations), random
gains (points) and costs, budget = 40 % of the total cost.  The brute force
(:func:`dtilib.effort.optimise.brute_force`, the tests' oracle) tries every combination; the exact
solver (:func:`dtilib.effort.optimise.solve`: two ``scipy.optimize.milp`` calls — max points, then the
cheapest plan with those points) is timed as the best of several repeats.  Both must find the same
points (asserted).  Quick mode: the same 25 actions, fewer milp repeats (the brute force takes ~0.6 s).
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

GOALS = {"optimizer_vs_bruteforce_25": (">=", 10.0)}


def instance(seed: int = 6):
    rng = np.random.default_rng(seed)
    sizes = [3, 3, 3, 3, 3, 2, 2, 2, 2, 2]
    group = np.repeat(np.arange(len(sizes)), sizes)
    gain = np.round(rng.uniform(0.5, 20, group.size), 2)
    cost = np.round(rng.uniform(1, 50, group.size), 1)
    budget = round(0.4 * float(cost.sum()), 1)
    return gain, cost, group, budget


def run(quick: bool = False) -> dict:
    from dtilib.effort.optimise import brute_force, solve

    gain, cost, group, budget = instance()
    t0 = time.perf_counter()
    best, _ = brute_force(gain, cost, group, budget)
    t_brute = time.perf_counter() - t0
    times = []
    for _ in range(3 if quick else 10):
        t0 = time.perf_counter()
        mask = solve(gain, cost, group, budget)
        times.append(time.perf_counter() - t0)
    t_milp = min(times)
    assert abs(gain[mask].sum() - best) < 1e-9, "milp and brute force disagree"
    n_comb = int(np.prod(np.bincount(group) + 1))
    print(f"optimizer: {gain.size} actions, {len(np.unique(group))} option groups ({n_comb:,} combinations), "
          f"budget {budget:g}: optimum {best:.2f} points; brute force {t_brute * 1000:.1f} ms, "
          f"milp {t_milp * 1000:.2f} ms")
    return {"optimizer_vs_bruteforce_25": round(t_brute / t_milp, 1)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(json.dumps(run(ap.parse_args().quick)))
