"""Analysis of the published record and of a unit's own scores: trends, rank changes, targets, gaps, peers.

Pure functions over the tidy tables of ``data/processed/`` (``results.csv``, ``indicators.csv``,
``national.csv``, ``provinces.csv``) and over :class:`~dtilib.scoring.ScoreResult`; plots return a
matplotlib Figure.  See ``docs/analysis.md``.  ``gap_analysis`` is :func:`dtilib.analysis.gaps.gaps`
and ``rank_change`` is :func:`dtilib.analysis.decompose.decompose`.  Names are imported lazily so that
``import dtilib.analysis`` stays light (no pandas/sklearn/matplotlib until used).

>>> from dtilib.analysis import trend
>>> t = trend(None, "Lai Chau", national=False)
>>> t.loc[t["year"] == 2021, "break"].item()
'method:vn-province-2020→vn-province-922'
"""

from __future__ import annotations

import importlib

_LAZY = {
    "load_results": "dtilib.analysis._data",
    "load_indicators": "dtilib.analysis._data",
    "load_national": "dtilib.analysis._data",
    "load_provinces": "dtilib.analysis._data",
    "positions": "dtilib.analysis.ranking",
    "rank_range": "dtilib.analysis.ranking",
    "value_for_rank": "dtilib.analysis.ranking",
    "trend": "dtilib.analysis.trends",
    "breaks": "dtilib.analysis.trends",
    "format_trend": "dtilib.analysis.trends",
    "percentile": "dtilib.analysis.trends",
    "rank_change": ("dtilib.analysis.decompose", "decompose"),
    "Decomposition": "dtilib.analysis.decompose",
    "value_needed": "dtilib.analysis.target",
    "rank_value_history": "dtilib.analysis.target",
    "project_rank_value": "dtilib.analysis.target",
    "distance_to_target": "dtilib.analysis.target",
    "gap_analysis": ("dtilib.analysis.gaps", "gaps"),
    "compare_groups": "dtilib.analysis.gaps",
    "Gaps": "dtilib.analysis.gaps",
    "region_peers": "dtilib.analysis.peers",
    "rank_neighbours": "dtilib.analysis.peers",
    "peer_table": "dtilib.analysis.peers",
    "indicator_profile": "dtilib.analysis.peers",
    "style": "dtilib.analysis.plots",
    "plot_trend": "dtilib.analysis.plots",
    "plot_bump": "dtilib.analysis.plots",
    "plot_gaps": "dtilib.analysis.plots",
    "plot_profile": "dtilib.analysis.plots",
    "save": "dtilib.analysis.plots",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    # the functions gaps() and decompose() are exported as gap_analysis / rank_change: their own
    # names are those of their modules (dtilib.analysis.gaps, dtilib.analysis.decompose)
    if name in _LAZY:
        target = _LAZY[name]
        module, attr = target if isinstance(target, tuple) else (target, name)
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'dtilib.analysis' has no attribute {name!r}")


def __dir__():
    return __all__
