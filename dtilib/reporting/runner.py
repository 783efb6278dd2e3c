"""Run a parameterised notebook and turn it into a self-contained HTML report.

``dti report NOTEBOOK -p name value …`` →

1. the parameters are checked by :func:`dtilib.reporting.params.check` (fails before any kernel starts);
2. papermill runs the notebook with the ``dti`` kernel; the executed ``.ipynb`` is kept next to the page;
3. nbconvert exports HTML without code (``exclude_input``) through the shipped ``dti`` template —
   images embedded as PNG ``data:`` URIs, no ``<script src>``, no MathJax / require.js / mermaid,
   no web fonts, no external stylesheet (checked by :func:`offline_problems` before writing);
4. both files are written atomically and the run is recorded in ``<out-dir>/status.json`` and
   ``<out-dir>/index.html``.

Layout of *out_dir*: ``<notebook id>/<key>.html`` and ``<notebook id>/<key>.ipynb``, where *key* names
the unit (``lai-chau``, ``thanh-pho-bac-kan``, ``2022-63`` …) plus ``.en`` for English pages.
"""

from __future__ import annotations

import copy
import html as _html
import json
import os
import re
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from ..errors import DTIError, ParameterError
from ..i18n import check_lang, fmt_date
from .labels import t
from .params import MIME, NOTEBOOKS, Spec, check, spec_for

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
TEMPLATE = "dti"
KERNEL = "dti"
ENGINES = ("stock", "warm")  # papermill's own engine (a kernel per report) or dti-warm (.warm)
NOTEBOOKS_DIR = Path(os.environ.get("DTILIB_NOTEBOOKS_DIR", HERE.parents[1] / "notebooks"))


class ReportError(DTIError):
    """A report could not be produced (notebook failed, page not self-contained …)."""


@dataclass
class ReportResult:
    """What one report run produced (one entry of ``status.json``)."""

    key: str
    notebook: str
    parameters: dict
    lang: str
    status: str  # "ok" or "failed"
    html: str | None = None
    ipynb: str | None = None
    error: str | None = None
    title: str | None = None
    seconds: float = 0.0
    finished: str = field(default_factory=lambda: datetime.now().astimezone().isoformat(timespec="seconds"))

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def to_dict(self) -> dict:
        return asdict(self)


# ------------------------------------------------------------------------------------------ naming
def resolve_notebook(notebook) -> Path:
    """The ``.ipynb`` of *notebook*: a path (``.ipynb`` or its paired ``.py``) or an id / number."""
    p = Path(str(notebook))
    if p.suffix == ".py" and p.with_suffix(".ipynb").is_file():
        p = p.with_suffix(".ipynb")
    if p.suffix == ".ipynb" and p.is_file():
        return p
    spec = spec_for(notebook)
    path = NOTEBOOKS_DIR / f"{spec.id}.ipynb"
    if not path.is_file():
        raise ParameterError(f"notebook file {path} not found", column="notebook",
                             expected="the notebooks/ folder of the repository (or DTILIB_NOTEBOOKS_DIR)")
    return path


def slugify(text: str) -> str:
    from ..data.names import fold

    s = re.sub(r"[^a-z0-9]+", "-", fold(str(text)).lower()).strip("-")
    return s or "report"


def report_key(spec: Spec, parameters: dict) -> str:
    """The file name (without suffix) of the report of *spec* with *parameters*: the values of the
    spec's ``key`` parameters joined (a province as its slug, ``-34`` in the 34-list; a unit as its name,
    else its file's name), ``report`` when none is set, ``.en`` added for English pages."""
    p = {**spec.defaults(), **parameters}
    for q in spec.params:  # a file of one's own without -p unit: named after the file, never the example's unit
        if q.kind == "unit" and q.of and parameters.get(q.of) is not None and parameters.get(q.name) is None:
            p[q.name] = None
    by_name = {q.name: q for q in spec.params}
    key = "-".join(part for part in (_key_part(by_name[n], p) for n in spec.key) if part) or "report"
    lang = p.get("lang", "vi")
    return key if lang == "vi" else f"{key}.{lang}"


def _key_part(param, p: dict) -> str:
    v = p.get(param.name)
    if param.kind == "province":
        if not v:
            return ""
        era = p.get("era", 63)
        try:
            from ..data.names import resolve

            slug = resolve(str(v), era if era in (63, 34) else 63)
        except DTIError:
            slug = slugify(v)
        return f"{slug}-34" if era == 34 else slug
    if param.kind == "unit" and not v:
        return slugify(Path(str(p.get(param.of) or "unit")).stem)
    return slugify(str(v))


def report_paths(out_dir, spec: Spec, parameters: dict) -> tuple[str, Path, Path]:
    """Report id and the HTML / executed-notebook paths, always inside *out_dir*."""
    key = report_key(spec, parameters)
    folder = Path(out_dir) / spec.id
    html = folder / f"{key}.html"
    root = Path(out_dir).resolve()
    if not html.resolve().is_relative_to(root):
        raise ParameterError(f"report name '{key}' would leave the output folder {out_dir}",
                             expected="parameters that make a plain file name")
    return f"{spec.id}/{key}", html, folder / f"{key}.ipynb"


# ------------------------------------------------------------------------------------------- run
def run_report(notebook, parameters: dict | None = None, *, lang: str = "vi", out_dir="reports",
               prevalidate: bool = True, kernel_name: str = KERNEL, timeout: float | None = 900,
               record: bool = True, key: str | None = None, engine: str = "stock") -> ReportResult:
    """Run *notebook* with *parameters* and write its HTML page and executed notebook under *out_dir*.

    Parameter errors raise :class:`~dtilib.errors.ParameterError` (when *prevalidate*); a failure
    inside the notebook is returned as a ``failed`` :class:`ReportResult` whose ``error`` is one line
    and whose ``ipynb`` is the executed notebook showing where it stopped.  *engine*: ``stock``
    (papermill's engine, a Jupyter kernel per report) or ``warm`` (:mod:`.warm`, a fork of a warm parent).
    """
    check_lang(lang)
    check_engine(engine)
    spec = spec_for(notebook)
    if engine == "warm" and spec.needs_kernel:
        raise ParameterError(f"'{spec.id}' needs a Jupyter kernel (its pickers are widgets)", column="engine",
                             expected="--engine stock (a Jupyter kernel for this report)")
    nb_path = resolve_notebook(notebook)
    params = {**(parameters or {}), "lang": lang}
    rkey, html_path, ipynb_path = report_paths(out_dir, spec, params)
    if key:
        key = key if lang == "vi" else f"{key}.{lang}"
        rkey = f"{spec.id}/{key}"
        html_path, ipynb_path = html_path.with_name(f"{key}.html"), ipynb_path.with_name(f"{key}.ipynb")
    if "report_dir" in spec.names and params.get("report_dir") is None:
        params["report_dir"] = str(html_path.parent.resolve())
    if prevalidate:
        check(spec.id, **params)
    if engine == "stock":
        _check_kernel(kernel_name)
    t0 = time.perf_counter()
    result = ReportResult(rkey, spec.id, {k: _plain(v) for k, v in params.items() if k != "report_dir"}, lang,
                          "failed", ipynb=str(ipynb_path))
    try:
        nb = execute(nb_path, ipynb_path, params, kernel_name=kernel_name, timeout=timeout, engine=engine)
        page, meta = export_html(nb, notebook=nb_path.name, parameters=result.parameters, lang=lang)
        from ..io import atomic_write

        _readable(atomic_write(html_path, page))
        result.status, result.html, result.title = "ok", str(html_path), meta.get("title")
    except Exception as exc:  # noqa: BLE001 — a failed report is a result, not a crash
        result.error = error_summary(exc)
        if html_path.exists():  # a stale page of an earlier run must not pass for this one
            html_path.unlink()
    result.seconds = round(time.perf_counter() - t0, 2)
    if not ipynb_path.exists():
        result.ipynb = None
    if record:
        from .status import record_results

        record_results(out_dir, [result])
    return result


def _plain(v):
    return str(v) if isinstance(v, Path) else v


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ParameterError(f"unknown engine '{engine}'", column="engine", expected=" or ".join(ENGINES))
    return engine


def _check_kernel(name: str) -> None:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        KernelSpecManager().get_kernel_spec(name)
    except NoSuchKernel:
        raise ReportError(f"Jupyter kernel '{name}' is not installed",
                          expected="run `make kernel` (python -m ipykernel install --prefix .venv --name dti)") from None


def execute(nb_path: Path, out_path: Path, parameters: dict, *, kernel_name: str = KERNEL,
            timeout: float | None = 900, engine: str = "stock"):
    """papermill *nb_path* → *out_path* (written atomically, also when the notebook fails), with
    papermill's own engine (``stock``) or ``dti-warm`` (``warm``)."""
    import papermill as pm

    engine_name = None
    if check_engine(engine) == "warm":
        from .warm import NAME, register

        register()
        engine_name = NAME

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out_path.stem}.", suffix=".tmp.ipynb", dir=out_path.parent)
    os.close(fd)
    try:
        return pm.execute_notebook(str(nb_path), tmp, parameters=_jsonable(parameters), kernel_name=kernel_name,
                                   language="python", progress_bar=False, log_output=False,
                                   request_save_on_cell_execute=False, execution_timeout=timeout,
                                   engine_name=engine_name,
                                   extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    finally:
        if os.path.getsize(tmp) > 0:
            _readable(Path(tmp))
            os.replace(tmp, out_path)
        else:
            os.unlink(tmp)


def _readable(path: Path) -> Path:
    """Reports are for others to read: rw-r--r-- (temporary files are created rw-------)."""
    os.chmod(path, 0o644)
    return path


def _jsonable(params: dict) -> dict:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in params.items()}


def error_summary(exc: BaseException) -> str:
    """One readable line for a failed report (the notebook's own exception when there is one)."""
    ename = getattr(exc, "ename", None)
    if ename is not None:  # papermill.PapermillExecutionError
        evalue = str(getattr(exc, "evalue", "")).strip()
        cell = getattr(exc, "exec_count", None)
        where = f" (cell {cell})" if cell else ""
        return f"{ename}: {evalue}{where}".replace("\n", " ")
    if isinstance(exc, DTIError):
        return f"{type(exc).__name__}: {exc}"
    last = traceback.format_exception_only(type(exc), exc)[-1].strip()
    return last.replace("\n", " ")


#: the library's own errors: a reader is told what is wrong, not the class of the error
_OWN_ERRORS = {"DTIError", "DataError", "ParameterError", "FrameworkError", "FormulaError", "ReportError"}
_SUMMARY = re.compile(r"\A(?P<ename>[A-Za-z_][\w.]*): (?P<body>.*?)(?: \(cell (?P<cell>\d+)\))?\Z", re.S)
_EXPECTED = re.compile(r"\A(?P<text>.*) \(expected (?P<expected>.*)\)\Z", re.S)
_WHERE = re.compile(r"\A(?:(?P<file>[^,:]*(?::[\\/][^,:]*)?), )?(?:row (?P<row>\d+))?(?:, )?"
                    r"(?:(?P<kind>column|field|parameter) '(?P<name>[^']*)')?: (?P<text>.*)\Z", re.S)


def error_text(summary: str | None, lang: str = "vi") -> str:
    """A failed report's recorded one-line error (:func:`error_summary`, English) for readers in *lang*: a
    library error without its class name, its place (file, row, column), message and expectation in *lang*
    (:func:`dtilib.i18n.translate`); any other error (a fault of the notebook) with its class name, as raised.

    >>> error_text("DataError: a.csv, row 3, column 'value': 'ba' is not a number (expected a number) (cell 3)")
    "a.csv, hàng 3, cột 'value': 'ba' không phải là số (cần: một số) (ô lệnh 3)"
    >>> error_text("TypeError: float() argument must be a string or a real number, not 'NoneType' (cell 4)", "en")
    "TypeError: float() argument must be a string or a real number, not 'NoneType' (cell 4)"
    """
    from ..i18n import t, translate

    m = _SUMMARY.match(summary or "")
    if not m:
        return translate(summary or "", lang)
    cell = f" ({t('batch.cell', lang, n=m['cell'])})" if m["cell"] else ""
    if m["ename"] not in _OWN_ERRORS:
        return f"{m['ename']}: {m['body']}{cell}"
    text, expected = m["body"], ""
    if e := _EXPECTED.match(text):
        text, expected = e["text"], t("error.where.expected", lang, expected=translate(e["expected"], lang))
    w = _WHERE.match(text)
    if w and (w["row"] or w["kind"]):
        where = [w["file"]] if w["file"] else []
        where += [t("error.where.row", lang, row=w["row"])] if w["row"] else []
        where += [t(f"error.where.{w['kind']}", lang, name=w["name"])] if w["kind"] else []
        text = ", ".join(where) + ": " + translate(w["text"], lang)
    else:
        text = translate(text, lang)
    return text + expected + cell


# ------------------------------------------------------------------------------------------ export
def report_meta(nb) -> dict | None:
    """The report metadata the notebook displayed (its :class:`~dtilib.reporting.params.Params`)."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIME in data:
                meta = data[MIME]
                return json.loads(meta) if isinstance(meta, str) else dict(meta)
    return None


def _clean_for_page(nb):
    """Drop what a reader must not see: stderr streams, code, the injected-parameters cell's output."""
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"parameters", "injected-parameters", "remove-output", "remove_cell"}:
            cell.outputs = []
            continue
        cell.outputs = [o for o in cell.get("outputs", [])
                        if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    return nb


def export_html(nb, *, notebook: str = "", parameters: dict | None = None, lang: str = "vi") -> tuple[str, dict]:
    """The self-contained HTML page of an executed notebook, and the report metadata used for it."""
    from .. import __version__

    nb = _clean_for_page(copy.deepcopy(nb))
    meta = report_meta(nb) or {}
    title = meta.get("title") or Path(notebook).stem or "DTI"
    generated = meta.get("generated") or datetime.now().astimezone().isoformat(timespec="seconds")
    shown = meta.get("parameters") or {k: v for k, v in (parameters or {}).items()}
    from .header import header_html, param_label, param_value

    params_s = ", ".join(f"{param_label(k, lang)}: {param_value(k, v, lang)}" for k, v in shown.items())
    when = fmt_date(datetime.fromisoformat(generated), lang, time=True)
    footer = (f"{_html.escape(t('report.generated_by', lang, version=__version__, notebook=notebook))} · "
              f"{_html.escape(t('report.generated', lang))}: {_html.escape(when)} · "
              f"{_html.escape(t('report.parameters', lang))}: {_html.escape(params_s)}")
    if not meta:  # a notebook without the dtilib header: the page still names itself, its parameters and date
        nb.cells.insert(0, _html_cell(header_html({"title": title, "lang": lang, "parameters": shown,
                                                    "generated": generated})))
    nb.metadata["dtilib"] = {"title": title, "lang": lang, "version": __version__, "footer": footer}
    resources = {"dti_css": (TEMPLATES / TEMPLATE / "report.css").read_text(encoding="utf-8"),
                 "metadata": {"name": title}}
    page, _ = html_exporter().from_notebook_node(nb, resources=resources)
    problems = offline_problems(page)
    if problems:
        raise ReportError("the HTML page is not self-contained: " + "; ".join(problems[:5]),
                          expected="no external scripts, stylesheets, fonts or images")
    return page, {**meta, "title": title}


_EXPORTERS = threading.local()


def html_exporter():
    """This thread's HTML exporter: made once, so that a batch worker compiles the templates once
    (≈ 0.3 s a report otherwise)."""
    exporter = getattr(_EXPORTERS, "html", None)
    if exporter is None:
        from nbconvert import HTMLExporter

        exporter = _EXPORTERS.html = HTMLExporter(
            template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATES)], exclude_input=True,
            exclude_input_prompt=True, exclude_output_prompt=True, exclude_markdown=True, exclude_raw=True,
            exclude_unknown=True)
    return exporter


def _html_cell(html: str):
    import nbformat

    cell = nbformat.v4.new_code_cell(source="")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": html})]
    cell.id = "dtilib-header"
    return cell


# ------------------------------------------------------------------------------- offline checking
_EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!data:)([^)'\"]+)", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)


class _Scan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.images = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "script" and "src" in a:
            self.problems.append(f"<script src={a['src'][:60]!r}>")
        if tag == "link" and (_EXTERNAL.match(a.get("href", "")) or a.get("rel", "").lower() == "stylesheet"):
            self.problems.append(f"<link href={a.get('href', '')[:60]!r}>")
        if tag == "img":
            self.images += 1
            if not a.get("src", "").startswith("data:"):
                self.problems.append(f"<img src={a.get('src', '')[:60]!r}> is not a data: URI")
        for attr in ("src", "data", "poster", "srcset"):
            if tag not in ("a", "img", "script") and attr in a and _EXTERNAL.match(a[attr]):
                self.problems.append(f"<{tag} {attr}={a[attr][:60]!r}>")
        if "style" in a:
            self._css(a["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._css(data)

    def _css(self, css: str):
        for m in _CSS_URL.finditer(css):
            if not m.group(1).startswith("#"):
                self.problems.append(f"CSS url({m.group(1)[:60]})")
        if _CSS_IMPORT.search(css):
            self.problems.append("CSS @import")


def offline_problems(page: str) -> list[str]:
    """Everything in *page* that would load a resource (script, stylesheet, font, image) from elsewhere.

    Links in text (``<a href="https://…">``) are fine; ``<img>`` must be ``data:`` URIs.

    >>> offline_problems('<p><a href="https://dti.gov.vn">dti.gov.vn</a><img src="data:image/png;base64,AA"></p>')
    []
    >>> offline_problems('<script src="https://cdn.example/x.js"></script><img src="fig.png">')
    ["<script src='https://cdn.example/x.js'>", "<img src='fig.png'> is not a data: URI"]
    """
    scan = _Scan()
    scan.feed(page)
    scan.close()
    return scan.problems


__all__ = ["run_report", "export_html", "execute", "offline_problems", "resolve_notebook", "report_key",
           "report_paths", "error_summary", "error_text", "ReportResult", "ReportError", "NOTEBOOKS"]
