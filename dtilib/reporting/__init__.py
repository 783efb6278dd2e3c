"""Reports: parameterised notebooks → self-contained HTML, one at a time or one per province / unit.

* :mod:`~dtilib.reporting.params` — the notebooks' declarative table (``NOTEBOOKS``: parameters, report
  key, tables read) and :func:`check`: every parameter checked by one function (one readable error),
  each by its kind (:mod:`~dtilib.reporting.kinds`);
* :mod:`~dtilib.reporting.header` — the report header (title, parameters, data sources, generation
  date), rendered by the template ``templates/dti/header.html.j2``;
* :mod:`~dtilib.reporting.runner` — :func:`run_report`: papermill (kernel ``dti``) + nbconvert through
  the shipped offline template (``templates/dti``), written atomically;
* :mod:`~dtilib.reporting.batch` — :func:`run_batch`: many reports through any
  ``concurrent.futures.Executor`` (process pool, or Dask), failures isolated;
* :mod:`~dtilib.reporting.status` — ``status.json`` and ``index.html`` of a reports folder;
* :mod:`~dtilib.reporting.notebooks` — ``.py`` (jupytext) → ``.ipynb`` sync and check;
* :mod:`~dtilib.reporting.display` — vi/en headings, notes, key figures and tables for the notebooks.

CLI: ``dti report``, ``dti notebooks sync|check`` (:mod:`dtilib.cli.report`; see ``docs/reports.md``).  Names are imported lazily.
"""

from __future__ import annotations

import sys

from dtilib._lazy import attach


def _defer_iri_grammar() -> None:
    """Make ``rfc3987_syntax`` load when it is first used, not when jsonschema is imported.

    jsonschema (imported by nbformat, papermill and nbconvert) imports the optional ``rfc3987_syntax``
    when it is installed (JupyterLab brings it in) for its "iri" format check, and that package builds
    its grammar as it is imported: 1.5–1.9 s of CPU in every process that runs or converts a notebook
    (a batch worker, ``dti report``).  Notebooks have no "iri" field, so the check is never used here.
    A stand-in module imports the real one on first use — a call of ``is_valid_syntax`` or any other
    name asked of it — so code that uses the package still gets it.
    """
    import importlib.util
    import types

    name = "rfc3987_syntax"
    if name in sys.modules or "jsonschema" in sys.modules or importlib.util.find_spec(name) is None:
        return
    stub = types.ModuleType(name, "stands in for rfc3987_syntax until it is used (dtilib.reporting)")

    def real():
        if sys.modules.get(name) is stub:
            del sys.modules[name]
        return importlib.import_module(name)

    def is_valid_syntax(*args, **kwargs):
        return real().is_valid_syntax(*args, **kwargs)

    stub.is_valid_syntax = is_valid_syntax
    def other(attr):  # any other name: the real module's (not the import system's __path__ & co.)
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(real(), attr)

    stub.__getattr__ = other
    sys.modules[name] = stub


_defer_iri_grammar()

_LAZY = {
    "check": "dtilib.reporting.params",
    "Params": "dtilib.reporting.params",
    "NOTEBOOKS": "dtilib.reporting.params",
    "run_report": "dtilib.reporting.runner",
    "export_html": "dtilib.reporting.runner",
    "offline_problems": "dtilib.reporting.runner",
    "ReportResult": "dtilib.reporting.runner",
    "run_batch": "dtilib.reporting.batch",
    "province_jobs": "dtilib.reporting.batch",
    "unit_jobs": "dtilib.reporting.batch",
    "failed_jobs": "dtilib.reporting.batch",
    "load_status": "dtilib.reporting.status",
    "write_index": "dtilib.reporting.status",
}

__getattr__, __dir__, __all__ = attach("dtilib.reporting", _LAZY)
