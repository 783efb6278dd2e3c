"""dtilib — Vietnam's Digital Transformation Index (DTI) as data and analysis.

Public names are imported lazily so that ``import dtilib`` stays light.

>>> import dtilib
>>> fw = dtilib.load_framework("vn-province-922")
>>> fw.total_points
1000.0
"""

from __future__ import annotations

from dtilib._lazy import attach

__version__ = "0.1.0"

_LAZY = {    # "dtilib.data": the name as that package exports it (its own table says from which module)
    "load_framework": "dtilib.frameworks",
    "list_frameworks": "dtilib.frameworks",
    "framework_for_year": "dtilib.frameworks",
    "Framework": "dtilib.frameworks",
    "score": "dtilib.scoring",
    "aggregate": "dtilib.scoring",
    "rank": "dtilib.scoring",
    "ScoreResult": "dtilib.scoring",
    "read_unit_data": "dtilib.inputs",
    "build": "dtilib.data",
    "Record": "dtilib.data",
    "load_record": "dtilib.data",
    "load_results": "dtilib.data",
    "load_indicators": "dtilib.data",
    "resolve_unit": "dtilib.data",
    "canonical": "dtilib.data",
    "display_name": "dtilib.data",
    "reconcile": "dtilib.data.reconcile",
    "DTIError": "dtilib.errors",
}

__getattr__, __dir__, __all__ = attach("dtilib", _LAZY)
