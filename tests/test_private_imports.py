"""No module imports another package's private names (issue 12): a helper two packages share is public,
under a name that says what it does.  Scans dtilib/ and the notebooks' percent scripts with ``ast``."""

import ast
from pathlib import Path

import pytest

from conftest import ROOT


def _is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _module_of(path: Path) -> tuple[list[str], bool]:
    """``dtilib/reporting/plandoc.py`` → (["dtilib", "reporting", "plandoc"], False); a package's
    ``__init__.py`` → its package, True."""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        return parts[:-1], True
    return parts, False


def _package_of(module: list[str]) -> list[str]:
    """The package a module belongs to: itself if it is a package (a folder), else its parent."""
    return module if (ROOT.joinpath(*module)).is_dir() else module[:-1]


def _outside(target: list[str], own: list[str]) -> bool:
    """Whether a private module in *target* belongs to a package that does not hold *own*: ``dtilib._lazy``
    serves every package under ``dtilib``; ``dtilib.analysis._data`` only ``dtilib.analysis``."""
    for i, part in enumerate(target):
        if _is_private(part) and own[:i] != target[:i]:
            return True
    return False


def private_imports(source: str, path: Path) -> list[str]:
    """Each ``from <another package> import _x`` (or an import through another package's private module) in
    *source*, as ``"file:line: text"``."""
    module, is_pkg = _module_of(path)
    own = module if is_pkg else module[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = own[: len(own) - (node.level - 1)]
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = node.module.split(".")
            if target[0] != "dtilib":
                continue
            names = [a.name for a in node.names]
            bad = [n for n in names if _is_private(n) and _package_of(target) != own]
            bad += [".".join(target)] if _outside(target, own) else []
            if bad:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {'.'.join(target)} import "
                             f"{', '.join(names)}  ({', '.join(bad)} private to another package)")
        elif isinstance(node, ast.Import):
            for a in node.names:
                target = a.name.split(".")
                if target[0] == "dtilib" and _outside(target, own):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: import {a.name}")
    return found


SOURCES = sorted((ROOT / "dtilib").rglob("*.py")) + sorted((ROOT / "notebooks").glob("*.py"))


def test_no_module_imports_another_packages_private_names():
    found = [f for path in SOURCES for f in private_imports(path.read_text(encoding="utf-8"), path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("where, source, flagged", [
    # the imports this test was written against (issue 12), as they were
    ("dtilib/reporting/plandoc.py", "from ..effort.plan import _num_text, _pct, appendix\n", True),
    ("dtilib/cli/effort.py", "def f():\n    from ..effort.simulate import _check_draws\n", True),
    ("notebooks/04_points_per_effort.py", "from dtilib.effort.plan import _pct\n", True),
    ("dtilib/reporting/plandoc.py", "from ..analysis._data import load\n", True),
    ("dtilib/reporting/plandoc.py", "import dtilib.analysis._data\n", True),
    # the same package may share its private helpers
    ("dtilib/analysis/target.py", "from .outlook import _checked\n", False),
    ("dtilib/analysis/target.py", "from ._data import load\n", False),
    ("dtilib/analysis/target.py", "from .._lazy import attach\n", False),
    ("dtilib/analysis/__init__.py", "from dtilib._lazy import attach\n", False),
    ("notebooks/04_points_per_effort.py", "from dtilib._lazy import attach\n", True),
    ("dtilib/analysis/__init__.py", "from .outlook import _checked\n", False),
    ("dtilib/reporting/plandoc.py", "from ..effort.plan import appendix\nfrom .. import i18n\n", False),
    ("dtilib/reporting/plandoc.py", "from __future__ import annotations\nfrom numpy import __version__\n", False),
])
def test_the_scan_flags_private_names_of_other_packages_only(where, source, flagged):
    assert bool(private_imports(source, ROOT / where)) is flagged
