"""Analysis of the published record and of a unit's own scores: trends, rank changes, targets, gaps, peers.

Pure functions over the published record — a :class:`~dtilib.data.record.Record` (``dtilib.load_record()``,
read once) or its tidy tables (``results.csv``, ``indicators.csv``, ``national.csv``, ``provinces.csv``
of ``data/processed/``) — and over :class:`~dtilib.scoring.ScoreResult`; plots return a
matplotlib Figure.  See ``docs/analysis.md``.  ``gap_analysis`` is :func:`dtilib.analysis.gaps.gaps`
and ``rank_change`` is :func:`dtilib.analysis.decompose.decompose`.  Names are imported lazily so that
``import dtilib.analysis`` stays light (no pandas/sklearn/matplotlib until used).

>>> from dtilib.analysis import trend
>>> t = trend(None, "Lai Chau", national=False)
>>> t.loc[t["year"] == 2021, "break"].item()
'method:vn-province-2020→vn-province-922'
"""

from __future__ import annotations

from dtilib._lazy import attach
from dtilib.data import RECORD_NAMES

_LAZY = {
    **dict.fromkeys(RECORD_NAMES, "dtilib.data"),    # the record's loaders, as dtilib.data exports them
    "add_own_figure": "dtilib.analysis.frames",
    "positions": "dtilib.analysis.ranking",
    "rank_range": "dtilib.analysis.ranking",
    "value_for_rank": "dtilib.analysis.ranking",
    "trend": "dtilib.analysis.trends",
    "breaks": "dtilib.analysis.trends",
    "format_trend": "dtilib.analysis.trends",
    "successor_note": "dtilib.analysis.trends",
    "latest": "dtilib.analysis.trends",
    "framework_label": "dtilib.analysis.trends",
    "break_label": "dtilib.analysis.trends",
    "readable": "dtilib.analysis.trends",
    "percentile": "dtilib.analysis.trends",
    "rank_change": ("dtilib.analysis.decompose", "decompose"),
    "Decomposition": "dtilib.analysis.decompose",
    "value_needed": "dtilib.analysis.target",
    "rank_value_history": "dtilib.analysis.target",
    "project_rank_value": "dtilib.analysis.target",
    "distance_to_target": "dtilib.analysis.target",
    "rank_gain": "dtilib.analysis.target",
    "check_target_unit": "dtilib.analysis.target",
    "rank_value": "dtilib.analysis.outlook",
    "growth_scenarios": "dtilib.analysis.outlook",
    "rank_outlook": "dtilib.analysis.outlook",
    "unit_outlook": "dtilib.analysis.outlook",
    "outlook_34": "dtilib.analysis.outlook",
    "backtest": "dtilib.analysis.outlook",
    "backtest_by_break": "dtilib.analysis.outlook",
    "rank_changes": "dtilib.analysis.outlook",
    "p_gain": "dtilib.analysis.outlook",
    "gap_analysis": ("dtilib.analysis.gaps", "gaps"),
    "compare_groups": "dtilib.analysis.gaps",
    "check_published": "dtilib.analysis.gaps",
    "GroupCheck": "dtilib.analysis.gaps",
    "Gaps": "dtilib.analysis.gaps",
    "region_peers": "dtilib.analysis.peers",
    "add_region": "dtilib.analysis.peers",
    "region_summary": "dtilib.analysis.peers",
    "rank_neighbours": "dtilib.analysis.peers",
    "peer_table": "dtilib.analysis.peers",
    "indicator_profile": "dtilib.analysis.peers",
    "style": "dtilib.analysis.plots",
    "plot_trend": "dtilib.analysis.plots",
    "plot_bump": "dtilib.analysis.plots",
    "plot_gaps": "dtilib.analysis.plots",
    "plot_profile": "dtilib.analysis.plots",
    "plot_distribution": "dtilib.analysis.plots",
    "plot_regions": "dtilib.analysis.plots",
    "plot_actions": "dtilib.analysis.plots",
    "plot_rank_distribution": "dtilib.analysis.plots",
    "plot_outlook": "dtilib.analysis.plots",
    "save": "dtilib.analysis.plots",
}

__getattr__, __dir__, __all__ = attach("dtilib.analysis", _LAZY)
