"""The report header as readers see it: parameter names and values in Vietnamese or English (the
``param.*`` texts of the catalogue), and the header HTML, rendered from the report's metadata by the
template ``templates/dti/header.html.j2``.

>>> param_label("processed_dir"), param_value("era", 34, "en"), param_value("budget", 300.0)
('Thư mục dữ liệu đã xử lý', '34 provinces (from 1/7/2025)', '300')
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from ..data import paths
from ..i18n import fmt_date, fmt_number, has
from .labels import t

TEMPLATES = Path(__file__).resolve().parent / "templates"


def param_label(name: str, lang: str = "vi") -> str:
    """The reader's name of a notebook parameter (``processed_dir`` → ``Thư mục dữ liệu đã xử lý``)."""
    key = f"param.{name}"
    return t(key, lang) if has(key) else name


def param_value(name: str, v, lang: str = "vi") -> str:
    """A parameter value as shown to readers: ``None`` → ``—``, ``lang``/``era`` in words, numbers in *lang*."""
    key = f"param.{name}.{v}"
    if has(key):
        return t(key, lang)
    if isinstance(v, float):
        return fmt_number(v, lang, 0 if v.is_integer() else 2)
    return "—" if v is None else str(v)


def file_source(path: Path, note: str) -> dict:
    """A data source of a report: a file's path as shown, its rows (CSV), when it changed, and *note*
    (``published``, ``input``, ``illustrative``, ``assumed``)."""
    rows = None
    if path.suffix.lower() == ".csv":
        with open(path, "rb") as fh:
            rows = max(sum(1 for _ in fh) - 1, 0)
    modified = datetime.fromtimestamp(path.stat().st_mtime).astimezone().isoformat(timespec="seconds")
    return {"label": path.name, "path": short_path(path), "rows": rows, "modified": modified, "note": note}


def short_path(path: Path) -> str:
    """*path* relative to the working folder, else to the repository, else as it is."""
    path = Path(path).resolve()
    for base in (Path.cwd(), paths.REPO):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def _load_template():
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES / "dti"), autoescape=True)
    return env.get_template("header.html.j2")


TEMPLATE = _load_template()   # compiled once on import: a warm report parent (see .warm) hands it to every report


def header_html(meta: dict) -> str:
    """The header of a report page from its metadata (``title``, ``lang``, ``parameters``, ``defaults``,
    ``sources``, ``illustrative``, ``generated``; see :meth:`dtilib.reporting.params.Params.meta`)."""
    lang = meta.get("lang", "vi")
    defaults = set(meta.get("defaults", ()))
    rows = [{"name": k, "label": param_label(k, lang), "value": param_value(k, v, lang), "default": k in defaults}
            for k, v in (meta.get("parameters") or {}).items()]
    return TEMPLATE.render(
        title=meta.get("title", ""), illustrative=meta.get("illustrative", False), rows=rows,
        sources=meta.get("sources") or [], generated=meta["generated"],
        t=lambda key, **fmt: t(key, lang, **fmt), when=lambda d: fmt_date(datetime.fromisoformat(d), lang, time=True))
