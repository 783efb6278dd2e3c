"""Frameworks as data: shipped YAML files and the loader that validates them."""

from .loader import Framework, framework_for_year, list_frameworks, load_framework, parse_framework, shipped

__all__ = ["Framework", "framework_for_year", "list_frameworks", "load_framework", "parse_framework", "shipped"]
