"""Points per effort: candidate actions, effort, the best plan, the rank it buys, the plan appendix.

* :mod:`~dtilib.effort.actions` — :func:`candidate_actions` (from the framework's rules, gains measured
  by the real scorer);
* :mod:`~dtilib.effort.costs` — :func:`read_effort`, :func:`effort_for` (cost, person-days, points per effort);
* :mod:`~dtilib.effort.optimise` — :func:`best_plan` (exact multiple-choice knapsack with ``scipy.optimize.milp``);
* :mod:`~dtilib.effort.simulate` — :func:`simulate_rank`, :func:`simulate_main`, :func:`coarse_effects`,
  peer models (:func:`peers_from_results`, :func:`peers_constant`, :func:`peers_from_samples`);
* :mod:`~dtilib.effort.plan` — :func:`appendix` (the Phụ lục the seeds attach: every sub-indicator),
  :func:`write_plan` (.xlsx / .csv / the Word draft .docx; CLI ``dti plan``);
* :mod:`~dtilib.effort.agencies` — :func:`agencies_for` (default chủ trì/phối hợp roles, a user's list).

See ``docs/effort.md``.  Public names are imported lazily.
"""

from __future__ import annotations

from dtilib._lazy import attach

_LAZY = {
    "candidate_actions": "dtilib.effort.actions",
    "ActionSet": "dtilib.effort.actions",
    "read_effort": "dtilib.effort.costs",
    "effort_for": "dtilib.effort.costs",
    "EffortTable": "dtilib.effort.costs",
    "best_plan": "dtilib.effort.optimise",
    "solve": "dtilib.effort.optimise",
    "brute_force": "dtilib.effort.optimise",
    "greedy": "dtilib.effort.optimise",
    "Plan": "dtilib.effort.optimise",
    "simulate_rank": "dtilib.effort.simulate",
    "simulate_main": "dtilib.effort.simulate",
    "coarse_effects": "dtilib.effort.simulate",
    "peers_from_results": "dtilib.effort.simulate",
    "peers_constant": "dtilib.effort.simulate",
    "peers_from_samples": "dtilib.effort.simulate",
    "peer_trend": "dtilib.effort.simulate",
    "scenario_grid": "dtilib.effort.simulate",
    "PeerModel": "dtilib.effort.simulate",
    "RankDistribution": "dtilib.effort.simulate",
    "write_plan": "dtilib.effort.plan",
    "plan_table": "dtilib.effort.plan",
    "appendix": "dtilib.effort.plan",
    "write_appendix": "dtilib.effort.plan",
    "agencies_for": "dtilib.effort.agencies",
    "read_agency_list": "dtilib.effort.agencies",
}

__getattr__, __dir__, __all__ = attach("dtilib.effort", _LAZY)
