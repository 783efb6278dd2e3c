"""The published record as data: raw layer, names, processed tables, crosswalk and reconciliation.

* ``data/raw/`` holds byte copies of ``../shared/data`` plus hand transcriptions of seed tables,
  with provenance in ``data/raw/SOURCES.yaml`` (:mod:`dtilib.data.importer`, ``dti import-raw``).
* :mod:`dtilib.data.names` maps any spelling of a province to one key per era (63 / 34).
* :mod:`dtilib.data.tables` builds ``data/processed/`` (:func:`build`: ``dti build``, ``make data``).
* :mod:`dtilib.data.record` reads it back once as a :class:`Record` (:func:`load_record`).
* :mod:`dtilib.data.crosswalk` derives 2024 values of merged provinces (mean of members).
* :mod:`dtilib.data.reconcile` checks what can be checked (``dti reconcile``).

Public names are imported lazily:

>>> from dtilib.data import canonical
>>> canonical("TP. Đà Nẵng")
'da-nang'
"""

from __future__ import annotations

from dtilib._lazy import attach

#: the published record's names: :mod:`dtilib.analysis` (and :mod:`dtilib`) re-export them from here, this one list
RECORD_NAMES = ("Record", "load_record", "load_results", "load_indicators", "load_national", "load_provinces",
                "check_results", "resolve_unit")

_LAZY = {
    "canonical": "dtilib.data.names",
    "display_name": "dtilib.data.names",
    "names": ("dtilib.data.names", None),
    "build": "dtilib.data.tables",
    "Record": "dtilib.data.record",
    "load_record": "dtilib.data.record",
    "load_results": "dtilib.data.record",
    "load_indicators": "dtilib.data.record",
    "load_national": "dtilib.data.record",
    "load_provinces": "dtilib.data.record",
    "check_results": "dtilib.data.record",
    "resolve_unit": "dtilib.data.names",
    "derive_merged": "dtilib.data.crosswalk",
    "import_raw": "dtilib.data.importer",
    "RAW_DIR": "dtilib.data.paths",
    "PROCESSED_DIR": "dtilib.data.paths",
}

__getattr__, __dir__, __all__ = attach("dtilib.data", _LAZY)
