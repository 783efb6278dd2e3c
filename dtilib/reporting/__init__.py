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

from dtilib._lazy import attach

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
