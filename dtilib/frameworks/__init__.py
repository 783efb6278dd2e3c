"""Frameworks as data: shipped YAML files and the loader that validates them; import from a decision's
table (:func:`import_document`) and the framework workbook (:func:`export_workbook`, :func:`import_workbook`).

Names are imported lazily: loading a framework does not import the document and workbook importers."""

from __future__ import annotations

from dtilib._lazy import attach

_LAZY = {
    "Framework": "dtilib.frameworks.loader",
    "framework_for_year": "dtilib.frameworks.loader",
    "list_frameworks": "dtilib.frameworks.loader",
    "load_framework": "dtilib.frameworks.loader",
    "parse_framework": "dtilib.frameworks.loader",
    "shipped": "dtilib.frameworks.loader",
    "import_document": "dtilib.frameworks.document",
    "export_workbook": "dtilib.frameworks.workbook",
    "import_workbook": "dtilib.frameworks.workbook",
}

__getattr__, __dir__, __all__ = attach("dtilib.frameworks", _LAZY)
