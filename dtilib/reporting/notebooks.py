"""The notebooks' ``.py`` (jupytext percent format) is the source; the ``.ipynb`` is generated from it.

``dti notebooks sync`` (``make notebooks``) rewrites every ``notebooks/NN_*.ipynb`` from its ``.py``:
outputs stripped, kernelspec ``dti`` (language python) and a version-free ``language_info`` set, cell
ids derived from the position so the bytes are the same on every machine.  ``dti notebooks check``
(and ``tests/test_notebooks.py``) fails when a committed ``.ipynb`` differs from what ``sync`` writes.
"""

from __future__ import annotations

import json
from pathlib import Path

KERNELSPEC = {"display_name": "Python (dti)", "language": "python", "name": "dti"}
LANGUAGE_INFO = {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
                 "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
                 "pygments_lexer": "ipython3"}
JUPYTEXT = {"formats": "ipynb,py:percent"}


def notebooks_dir() -> Path:
    from .runner import NOTEBOOKS_DIR

    return NOTEBOOKS_DIR


def sources(folder=None) -> list[Path]:
    """The paired ``.py`` sources (``NN_*.py``) of *folder* (default ``notebooks/``)."""
    folder = Path(folder) if folder is not None else notebooks_dir()
    return sorted(p for p in folder.glob("[0-9][0-9]_*.py"))


def to_notebook(py: Path):
    """The notebook of the jupytext source *py*, normalised (no outputs, fixed metadata and ids)."""
    import jupytext

    nb = jupytext.read(py, fmt="py:percent")
    nb.metadata = {"jupytext": dict(JUPYTEXT), "kernelspec": dict(KERNELSPEC),
                   "language_info": dict(LANGUAGE_INFO)}
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        md = {k: v for k, v in cell.metadata.items() if k in ("tags", "jupyter")}   # jupyter: source_hidden
        cell.metadata = md
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def render(py: Path) -> str:
    """The exact text ``sync`` writes for *py*."""
    import nbformat

    nb = to_notebook(py)
    nbformat.validate(nb)
    return nbformat.writes(nb) + "\n"


def sync(folder=None) -> list[Path]:
    """Rewrite every ``.ipynb`` whose content differs from its ``.py``; return the files written."""
    from ..io import atomic_write

    written = []
    for py in sources(folder):
        target = py.with_suffix(".ipynb")
        text = render(py)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            atomic_write(target, text)
            written.append(target)
    return written


def check(folder=None) -> list[str]:
    """Problems: ``.ipynb`` out of sync with its ``.py``, missing, with outputs, or without a ``.py``."""
    folder = Path(folder) if folder is not None else notebooks_dir()
    problems = []
    pys = sources(folder)
    for py in pys:
        target = py.with_suffix(".ipynb")
        if not target.is_file():
            problems.append(f"{target.name}: missing (run `make notebooks`)")
            continue
        text = target.read_text(encoding="utf-8")
        nb = json.loads(text)
        if any(c.get("outputs") or c.get("execution_count") for c in nb.get("cells", [])):
            problems.append(f"{target.name}: has outputs (run `make notebooks`)")
        if text != render(py):
            problems.append(f"{target.name}: differs from {py.name} (run `make notebooks`)")
    for ipynb in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        if ipynb.with_suffix(".py") not in pys:
            problems.append(f"{ipynb.name}: no paired {ipynb.with_suffix('.py').name}")
    return problems
