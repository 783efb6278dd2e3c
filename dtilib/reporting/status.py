"""``<out-dir>/status.json`` (every report run, last result per report) and ``<out-dir>/index.html``.

``status.json`` is one object ``{"reports": {key: result}}`` where *result* is
:meth:`ReportResult.to_dict` (notebook, parameters, lang, status, html, ipynb, error, seconds,
finished).  It is rewritten atomically under a lock, so concurrent ``dti report`` runs into the same
folder do not lose each other's entries.  ``dti report NOTEBOOK --all --only-failed`` re-runs the
entries of that notebook whose status is ``failed``.
"""

from __future__ import annotations

import contextlib
import fcntl
import html as _html
import json
import os
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from ..i18n import fmt_date
from ..io import atomic_write
from .header import param_label, param_value
from .labels import t
from .runner import error_text

STATUS = "status.json"
INDEX = "index.html"


@contextlib.contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / ".status.lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def load_status(out_dir) -> dict[str, dict]:
    """The recorded reports of *out_dir* (key → result dict); empty when there is no status file."""
    path = Path(out_dir) / STATUS
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        from ..errors import DataError

        raise DataError(f"cannot read the status file: {exc}", file=str(path),
                        expected="the JSON written by dti report (delete it to start afresh)") from None
    return dict(data.get("reports", {}))


def record_results(out_dir, results: Iterable, *, lang: str | None = None) -> Path:
    """Merge *results* (ReportResult or dicts) into ``status.json`` and rewrite ``index.html``."""
    out_dir = Path(out_dir)
    with _locked(out_dir):
        reports = load_status(out_dir)
        for r in results:
            d = r.to_dict() if hasattr(r, "to_dict") else dict(r)
            for k in ("html", "ipynb"):  # absolute: a later run from another folder links them right
                if d.get(k):
                    d[k] = os.path.abspath(d[k])
            d["parameters"] = absolute_paths(d.get("notebook"), d.get("parameters") or {})
            reports[d["key"]] = d
        os.chmod(atomic_write(out_dir / STATUS, _status_text(reports)), 0o644)
        write_index(out_dir, reports, lang=lang)
    return out_dir / STATUS


#: the kinds of notebook parameters that name a file or a folder (a framework: an id or a file)
PATH_KINDS = ("file", "framework", "record", "folder")


def absolute_paths(notebook, parameters: dict) -> dict:
    """*parameters* with every file or folder they name as an absolute path (a framework id stays an id), so
    that ``--only-failed`` re-runs them from any folder; in the notebook's order of its parameters."""
    from ..errors import DTIError
    from .params import spec_for

    try:
        kinds = {q.name: q.kind for q in spec_for(notebook).params}
    except DTIError:
        return dict(parameters)
    order = {k: i for i, k in enumerate(kinds)}
    return {k: os.path.abspath(v) if kinds.get(k) in PATH_KINDS and isinstance(v, str) and v and os.path.exists(v)
            else v for k, v in sorted(parameters.items(), key=lambda kv: order.get(kv[0], len(order)))}


def _status_text(reports: dict[str, dict]) -> str:
    """``{"reports": {key: result}}``, one report a line (json's C encoder: a status of thousands of
    communes is written in milliseconds; with ``indent`` json falls back to its Python encoder)."""
    lines = [f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
             for k, v in sorted(reports.items())]
    return '{"reports": {\n' + ",\n".join(lines) + "\n}}\n" if lines else '{"reports": {}}\n'


def failed_entries(out_dir, notebook: str | None = None) -> list[dict]:
    """Recorded failures (of *notebook* when given)."""
    return [r for r in load_status(out_dir).values()
            if r.get("status") != "ok" and (notebook is None or r.get("notebook") == notebook)]


def _rel(path: str | None, base: str) -> str | None:
    """*path* relative to the folder *base* (an absolute path)."""
    if not path:
        return None
    try:
        return os.path.relpath(os.path.abspath(path), base)
    except ValueError:
        return str(path)


def write_index(out_dir, reports: dict[str, dict] | None = None, *, lang: str | None = None) -> Path:
    """``index.html``: every recorded report with its status, error and links (no scripts, offline)."""
    out_dir = Path(out_dir)
    reports = load_status(out_dir) if reports is None else reports
    if lang is None:
        langs = [r.get("lang", "vi") for r in reports.values()]
        lang = "en" if langs and all(x == "en" for x in langs) else "vi"
    esc = _html.escape
    base = os.path.abspath(out_dir)
    n_ok = sum(r.get("status") == "ok" for r in reports.values())
    n_failed = len(reports) - n_ok
    rows = []
    for key, r in sorted(reports.items(), key=lambda kv: (kv[1].get("status") == "ok", kv[0])):
        ok = r.get("status") == "ok"
        page = _rel(r.get("html"), base) if ok else None
        nb = _rel(r.get("ipynb"), base)
        title = r.get("title") or key
        name = f'<a href="{esc(page)}">{esc(title)}</a>' if page else esc(title)
        links = f'<a href="{esc(nb)}">{esc(t("report.executed_notebook", lang))}</a>' if nb else ""
        status = t("report.ok" if ok else "report.failed", lang)
        err = f'<div class="dti-error">{esc(error_text(r.get("error"), lang))}</div>' if not ok else ""
        params = "; ".join(f"{param_label(k, lang)}: {param_value(k, _rel(v, base) if _is_path(v) else v, lang)}"
                           for k, v in (r.get("parameters") or {}).items() if k != "lang" and v is not None)
        rows.append(
            f'<tr><td>{name}<div class="dti-meta"><code>{esc(key)}</code></div></td>'
            f'<td class="dti-status-{"ok" if ok else "failed"}">{esc(status)}</td>'
            f"<td>{err}{links}</td><td class=dti-meta>{esc(params)}</td>"
            f'<td class="num">{esc(_num(r.get("seconds"), lang))}</td>'
            f"<td class=dti-meta>{esc(_when(r.get('finished'), lang))}</td></tr>")
    css = (Path(__file__).parent / "templates" / "dti" / "report.css").read_text(encoding="utf-8")
    title = t("report.index_title", lang)
    heads = [t("report.report", lang), t("report.status", lang), t("report.error", lang) + " / "
             + t("report.notebook", lang), t("report.parameters", lang), t("report.seconds", lang),
             t("report.generated", lang)]
    page = (f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>{esc(title)}</title>'
            f"<style>{css}</style></head><body class=dti-report><main><h1>{esc(title)}</h1>"
            f"<p>{esc(t('report.summary', lang, ok=n_ok, failed=n_failed, n=len(reports)))}</p>"
            "<table><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in heads) + "</tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>"
            f'<footer class="dti-footer">{esc(t("report.generated", lang))}: '
            f"{esc(_when(datetime.now().astimezone().isoformat(), lang))}</footer></main></body></html>\n")
    path = atomic_write(out_dir / INDEX, page)
    os.chmod(path, 0o644)
    return path


def _is_path(v) -> bool:
    return isinstance(v, str) and os.path.isabs(v)


def _num(x, lang):
    from ..i18n import fmt_number

    return "" if x is None else fmt_number(float(x), lang, 1)


def _when(iso: str | None, lang: str) -> str:
    if not iso:
        return ""
    d = datetime.fromisoformat(iso)
    return fmt_date(d, lang, time=True)
