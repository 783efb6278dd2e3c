"""Lazy public names for a package, so that ``import dtilib`` (and its sub-packages) stays light.

Each package lists its public names in a mapping ``name → "module"`` (the attribute of the same name
in that module), ``name → ("module", "attr")`` (another name there) or ``name → ("module", None)``
(the module itself), and calls :func:`attach`.
"""

from __future__ import annotations

import importlib


def attach(package: str, mapping: dict[str, str | tuple[str, str | None]]):
    """Return ``(__getattr__, __dir__, __all__)`` for *package* exporting *mapping* lazily."""
    names = sorted(mapping)

    def __getattr__(name: str):
        if name in mapping:
            target = mapping[name]
            module_name, attr = target if isinstance(target, tuple) else (target, name)
            module = importlib.import_module(module_name)
            return module if attr is None else getattr(module, attr)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return names

    return __getattr__, __dir__, names
