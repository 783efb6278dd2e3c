"""Frameworks as data: shipped YAML files and the loader that validates them; import from a decision's
table (:func:`import_document`) and the framework workbook (:func:`export_workbook`, :func:`import_workbook`)."""

from .document import import_document
from .loader import Framework, framework_for_year, list_frameworks, load_framework, parse_framework, shipped
from .workbook import export_workbook, import_workbook

__all__ = ["Framework", "export_workbook", "framework_for_year", "import_document", "import_workbook",
           "list_frameworks", "load_framework", "parse_framework", "shipped"]
