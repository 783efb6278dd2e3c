"""Notebook parameters: one place that checks them all, before any work is done.

Every notebook's first code cell after its ``parameters`` cell is one call::

    p = check("02_province_trend", province=province, target_rank=target_rank, era=era, lang=lang)
    p   # shows the report header: title, parameters, data sources, generation date

:func:`check` validates every parameter (unknown province → the close names; a year without data →
the years that have data; a missing file; a wrong type) and raises ONE
:class:`~dtilib.errors.ParameterError` (or the :class:`~dtilib.errors.DataError` of a bad input file)
with a readable message.  ``dti report`` calls the same function before it starts a kernel.

>>> p = check("02_province_trend", province="lai chau", target_rank=45)
>>> p.province_slug, p.province_name, p.rank_of
('lai-chau', 'Lai Châu', 63)
>>> check("02_province_trend", province="Lai Chou")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dtilib.errors.ParameterError: parameter 'province': unknown province 'Lai Chou' in the 63-province list; closest known: Lai Châu, ...
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..errors import DTIError, ParameterError, suggest
from ..i18n import check_lang, fmt_date
from . import labels
from .labels import t

EXAMPLES_DIR = Path(os.environ.get("DTILIB_EXAMPLES_DIR",
                                   Path(__file__).resolve().parents[2] / "data" / "examples"))
EXAMPLE_UNIT_FILE = "bac-kan-city-2023.illustrative.csv"
EXAMPLE_FRAMEWORK = "bac-kan-district-1294-illustrative.yaml"
EXAMPLE_UNIT = "Thành phố Bắc Kạn"
EXAMPLE_YEAR = 2023
MIME = "application/vnd.dtilib.report+json"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # lang, era, year, province, rank, int, number, str, dir, file, framework, unit, path_out
    default: object = None
    doc: str = ""


@dataclass(frozen=True)
class Spec:
    """A notebook: its id, title label, parameters (in checking order) and the batch dimension."""

    id: str
    title: str
    params: tuple[Param, ...]
    batch_over: str | None = None  # "province" or "unit"

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}


_DATA = Param("processed_dir", "dir", None, "folder of the processed tables (default data/processed)")
_LANG = Param("lang", "lang", "vi", "vi (default) or en")
_UNIT_FILE = Param("unit_file", "file", None, "sub-indicator data of the unit(s), CSV or Excel "
                                              "(default: the ILLUSTRATIVE Bắc Kạn city data)")
_FRAMEWORK = Param("framework", "framework", None, "framework id or file (default: the ILLUSTRATIVE "
                                                   "Bắc Kạn district framework)")
_UNIT = Param("unit", "unit", EXAMPLE_UNIT, "the unit to analyse (a name in unit_file)")

NOTEBOOKS: dict[str, Spec] = {s.id: s for s in [
    Spec("00_explore", "nb.00.title", (
        _LANG, Param("era", "era", 63, "63 or 34"), _DATA,
        Param("province", "province", "Lai Châu", "the province shown first (any usual spelling)"),
        Param("year", "year", 2022, "the year shown first"),
        Param("target_rank", "rank", 45, "the rank to reach"),
        Param("target_year", "int", 2025, "the year by which to reach it"),
    )),
    Spec("01_national_overview", "nb.01.title", (
        _LANG, Param("era", "era", 63, "63 (provinces before 1/7/2025) or 34"), _DATA,
        Param("year", "year", 2022, "the year of the ranking"),
    )),
    Spec("02_province_trend", "nb.02.title", (
        _LANG, Param("era", "era", 63, "63 or 34"), _DATA,
        Param("province", "province", "Lai Châu", "the province (any usual spelling)"),
        Param("target_rank", "rank", 45, "the rank to reach"),
        Param("target_year", "int", 2025, "the year by which to reach it"),
    ), batch_over="province"),
    Spec("03_unit_gap_analysis", "nb.03.title", (
        _LANG, _FRAMEWORK, _UNIT_FILE, _UNIT,
        Param("year", "int", EXAMPLE_YEAR, "the year the data describe"),
        Param("groups_file", "file", None, "the unit's published group table, to compare with "
                                           "(default: the table of the Bắc Kạn city plan, seed 000)"),
        Param("stated_file", "file", None, "figures stated in the unit's own report, to reconcile "
                                           "(default: the figures printed in the Bắc Kạn city plan)"),
    ), batch_over="unit"),
    Spec("04_points_per_effort", "nb.04.title", (
        _LANG, _FRAMEWORK, _UNIT_FILE, _UNIT,
        Param("year", "int", EXAMPLE_YEAR, "the year the data describe"),
        Param("budget", "number", 300.0, "budget in the money unit of the effort table (default: million VND)"),
        Param("staff_days", "opt_number", None, "person-days available (None: no limit)"),
        Param("effort_file", "file", None, "the unit's effort table (None: the ASSUMED default effort)"),
        Param("n_sims", "int", 2000, "Monte Carlo draws for the rank distribution"),
        Param("seed", "int", 1, "random seed"),
        Param("report_dir", "path_out", None, "where the plan appendix is written (set by dti report)"),
    ), batch_over="unit"),
    Spec("05_outlook_34", "nb.05.title", (
        _LANG, Param("era", "era", 34, "34 (the list of the outlook); a 63-list name is shown as its successor"),
        _DATA, Param("year", "int", 2025, "the year of the outlook (the 34-province list)"),
        Param("province", "opt_province", None, "a province to highlight (None: all 34 alike)"),
    ), batch_over="province"),
]}


def spec_for(notebook) -> Spec:
    """The :class:`Spec` of *notebook*: an id (``"02_province_trend"``), its number (``"02"``) or a path."""
    stem = Path(str(notebook)).name.split(".")[0]
    if stem in NOTEBOOKS:
        return NOTEBOOKS[stem]
    hits = [k for k in NOTEBOOKS if k.split("_")[0] == stem or k.split("_", 1)[-1] == stem]
    if len(hits) == 1:
        return NOTEBOOKS[hits[0]]
    raise ParameterError(f"unknown notebook '{notebook}'{suggest(stem, NOTEBOOKS)}",
                         column="notebook", expected="one of " + ", ".join(NOTEBOOKS))


# ------------------------------------------------------------------------------------------ result
@dataclass
class Params(Mapping):
    """Checked parameters of one notebook run, with what was derived while checking them.

    Behaves as a read-only mapping of the checked values; derived facts (``province_slug``,
    ``rank_of``, ``framework_obj``, ``units`` …) are attributes.  Its rich display is the report header.
    """

    notebook: str
    values: dict
    derived: dict = field(default_factory=dict)
    sources: list[dict] = field(default_factory=list)
    illustrative: bool = False
    generated: datetime = field(default_factory=lambda: datetime.now().astimezone())

    def __getitem__(self, key):
        return self.values[key]

    def __iter__(self):
        return iter(self.values)

    def __len__(self):
        return len(self.values)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        for d in ("values", "derived"):
            store = self.__dict__.get(d, {})
            if name in store:
                return store[name]
        raise AttributeError(f"Params has no {name!r}")

    @property
    def lang(self) -> str:
        return self.values.get("lang", "vi")

    @property
    def title(self) -> str:
        spec = NOTEBOOKS[self.notebook]
        fmt = {"year": self.values.get("year"), "province": self.derived.get("province_name"),
               "unit": self.values.get("unit")}
        text = t(spec.title, self.lang, **{k: v for k, v in fmt.items() if v is not None})
        if self.illustrative:
            text += f" — {t('report.illustrative_short', self.lang)}"
        return text

    def output_path(self, suffix: str) -> Path:
        """Where the notebook writes a file that goes with its report (e.g. ``".plan.xlsx"``): next to the
        HTML page when run by ``dti report`` (``report_dir``), else in the working folder."""
        from .runner import report_key

        folder = self.values.get("report_dir") or Path.cwd()
        params = {k: (str(v) if isinstance(v, Path) else v) for k, v in self.values.items()}
        return Path(folder) / (report_key(NOTEBOOKS[self.notebook], params) + suffix)

    def shown_values(self) -> dict:
        """Parameters as shown in the header (paths relative to the working folder when shorter)."""
        out = {}
        for k, v in self.values.items():
            if k == "report_dir":
                continue
            out[k] = _short(v) if isinstance(v, Path) else v
        return out

    def meta(self) -> dict:
        """What the HTML page needs: title, parameters, sources, generation date, language."""
        return {"notebook": self.notebook, "title": self.title, "lang": self.lang,
                "parameters": {k: _jsonable(v) for k, v in self.shown_values().items()},
                "sources": self.sources, "illustrative": self.illustrative,
                "generated": self.generated.isoformat(timespec="seconds")}

    def header_html(self) -> str:
        lang = self.lang
        esc = html.escape
        rows = "".join(
            f"<tr><th title=\"{esc(k)}\">{esc(param_label(k, lang))}</th><td>{esc(param_value(k, v, lang))}"
            f"{' <span class=dti-meta>' + esc(t('report.default', lang)) + '</span>' if self._is_default(k) else ''}"
            f"</td></tr>" for k, v in self.shown_values().items())
        src = "".join(f"<li>{_source_html(s, lang)}</li>" for s in self.sources)
        banner = (f'<div class="dti-illustrative">{esc(t("report.illustrative", lang))}</div>'
                  if self.illustrative else "")
        when = fmt_date(self.generated, lang, time=True)
        return (f'<header class="dti-header"><h1>{esc(self.title)}</h1>{banner}'
                f'<div class="dti-meta"><strong>{esc(t("report.parameters", lang))}</strong>'
                f'<table><tbody>{rows}</tbody></table>'
                f'<strong>{esc(t("report.sources", lang))}</strong><ul>{src}</ul>'
                f'<strong>{esc(t("report.generated", lang))}</strong>: {esc(when)}</div></header>')

    def _is_default(self, key) -> bool:
        return self.derived.get("_defaults", {}).get(key, False)

    def _repr_mimebundle_(self, include=None, exclude=None):
        md = [f"# {self.title}", ""]
        if self.illustrative:
            md += [f"**{t('report.illustrative', self.lang)}**", ""]
        md += [f"- {param_label(k, self.lang)}: {param_value(k, v, self.lang)}" for k, v in self.shown_values().items()]
        return {"text/html": self.header_html(), "text/markdown": "\n".join(md),
                "text/plain": f"<Params {self.notebook}: {self.shown_values()}>", MIME: self.meta()}

    def __repr__(self) -> str:
        return f"<Params {self.notebook}: {self.shown_values()}>"


# ------------------------------------------------------------------------------------------- check
def check(notebook, /, **values) -> Params:
    """Check the parameters of *notebook*; return them normalised with what was derived.

    Missing parameters take the notebook's defaults; an unknown parameter name is an error too.
    """
    spec = spec_for(notebook)
    unknown = [k for k in values if k not in spec.names]
    if unknown:
        u = unknown[0]
        raise ParameterError(f"unknown parameter '{u}' for {spec.id}{suggest(u, spec.names)}",
                             expected="one of " + ", ".join(spec.names))
    given = {p.name: values.get(p.name, p.default) for p in spec.params}
    defaults = {p.name: (p.name not in values or values[p.name] == p.default) for p in spec.params}
    ctx = Params(spec.id, {}, {"_defaults": defaults})
    for p in spec.params:
        try:
            ctx.values[p.name] = _CHECKS[p.kind](p, given[p.name], ctx)
        except ParameterError as exc:
            if not exc.detail.startswith("parameter '"):
                raise ParameterError(f"parameter '{p.name}': {exc.detail}", expected=exc.expected) from None
            raise
    if "target_rank" in ctx.values and "target_year" in ctx.values:
        _derive_target(ctx)
    _add_sources(spec, ctx)
    return ctx


def _derive_target(ctx) -> None:
    """The target's list: from 2025 there are 34 provinces, so a target set for 2025 or later is out of 34.
    A rank given in the 63-list (``era`` 63) is translated at the same relative place,
    ``1 + (rank − 1) × 33/62`` (45/63 → 24/34), and ``target_note`` says so."""
    from ..analysis.target import rank_63_in_34, translation_note

    rank, year, n = int(ctx.values["target_rank"]), int(ctx.values["target_year"]), ctx.derived.get("rank_of", 63)
    ctx.derived.update(target_rank_of=n, target_rank_in_list=rank, target_note=None)
    if year >= 2025 and n == 63:
        note = translation_note(rank, year)
        ctx.derived.update(target_rank_of=34, target_rank_in_list=rank_63_in_34(rank)[0])
        ctx.derived["target_note"] = {lang: note.text(lang) for lang in ("vi", "en")}


def _err(p: Param, message: str, expected: str | None = None) -> ParameterError:
    return ParameterError(f"parameter '{p.name}': {message}", expected=expected)


def _type_name(v) -> str:
    return {str: "text", bool: "true/false", float: "a decimal number", int: "a whole number",
            type(None): "nothing (None)"}.get(type(v), type(v).__name__)


def _as_int(p: Param, v, what: str) -> int:
    import numbers

    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        hint = " (write it without quotes)" if isinstance(v, str) and v.strip().lstrip("-").isdigit() else ""
        if isinstance(v, float) and v.is_integer():
            hint = f" (write {int(v)})"
        raise _err(p, f"{v!r} is {_type_name(v)}{hint}", what)
    return int(v)


def _check_lang(p, v, ctx):
    if not isinstance(v, str):
        raise _err(p, f"{v!r} is {_type_name(v)}", "vi or en")
    try:
        return check_lang(v)
    except ParameterError:
        raise _err(p, f"unknown language '{v}'", "vi or en") from None


def _check_era(p, v, ctx):
    era = _as_int(p, v, "63 (provinces before 1/7/2025) or 34 (after)")
    if era not in (63, 34):
        raise _err(p, f"unknown era {era}", "63 (provinces before 1/7/2025) or 34 (after)")
    return era


def _check_dir(p, v, ctx):
    from ..data import paths

    d = Path(paths.PROCESSED_DIR if v is None else v)
    if v is not None and not isinstance(v, str | os.PathLike):
        raise _err(p, f"{v!r} is {_type_name(v)}", "a folder path")
    results = d / "results.csv"
    if not results.is_file():
        raise _err(p, f"{results} not found", "the processed tables: run `dti build` (or `make data`) first")
    return d


def _results(ctx):
    if "results" not in ctx.derived:
        from ..data.record import load_record

        try:
            ctx.derived["record"] = load_record(ctx.values["processed_dir"])
        except DTIError as exc:
            raise ParameterError(f"parameter 'processed_dir': cannot read results.csv: {exc}") from None
        ctx.derived["results"] = ctx.derived["record"].results
    return ctx.derived["results"]


def _check_year(p, v, ctx):
    year = _as_int(p, v, "a year such as 2022")
    res = _results(ctx)
    era = ctx.values.get("era", 63)
    have = sorted({int(y) for y in res.loc[res["era"] == era, "year"]})
    if year not in have:
        raise _err(p, f"no DTI results for {year} in the {era}-province list",
                   "one of " + ", ".join(map(str, have)))
    return year


def _check_province(p, v, ctx):
    from ..data.names import display_name, resolve

    if not isinstance(v, str) or not v.strip():
        raise _err(p, f"{v!r} is {_type_name(v)}", "a province name such as 'Lai Châu'")
    era = ctx.values.get("era", 63)
    try:
        slug = resolve(v, era)
    except DTIError as exc:
        raise ParameterError(f"parameter 'province': {exc.detail}",
                             expected="a province name such as 'Lai Châu' (with or without accents)") from None
    ctx.derived["province_slug"] = slug
    ctx.derived["province_name"] = display_name(slug, era, "vi")
    ctx.derived["rank_of"] = 63 if era == 63 else 34
    return v


def _check_rank(p, v, ctx):
    n = ctx.derived.get("rank_of", 63 if ctx.values.get("era", 63) == 63 else 34)
    if n == 34 and ctx.derived["_defaults"].get(p.name) and v == p.default:
        v = round(p.default * 34 / 63)  # the default target (45 of 63) at the same relative place of 34
    r = _as_int(p, v, f"a whole rank from 1 to {n}")
    if not 1 <= r <= n:
        raise _err(p, f"rank {r} is outside 1..{n}", f"a whole rank from 1 to {n}")
    return r


def _check_int(p, v, ctx):
    i = _as_int(p, v, "a whole number")
    if i < 0 or (p.name == "n_sims" and i < 1):
        raise _err(p, f"{i} is not allowed", "a positive whole number")
    return i


def _check_number(p, v, ctx):
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _err(p, f"{v!r} is {_type_name(v)}", "a number ≥ 0")
    if not math.isfinite(v):
        raise _err(p, f"{v} is not a finite number", "a number ≥ 0")
    if not v >= 0:
        raise _err(p, f"{v} is negative", "a number ≥ 0")
    return float(v)


def _check_opt_province(p, v, ctx):
    return None if v is None else _check_province(p, v, ctx)


def _check_opt_number(p, v, ctx):
    return None if v is None else _check_number(p, v, ctx)


def _check_str(p, v, ctx):
    if not isinstance(v, str):
        raise _err(p, f"{v!r} is {_type_name(v)}", "text")
    return v


def _check_framework(p, v, ctx):
    from ..frameworks import load_framework

    if v is None:
        v = EXAMPLES_DIR / EXAMPLE_FRAMEWORK
    elif not isinstance(v, str | os.PathLike):
        raise _err(p, f"{v!r} is {_type_name(v)}", "a framework id or a .yaml file")
    try:
        fw = load_framework(v)
    except DTIError as exc:
        raise ParameterError(f"parameter 'framework': {exc}") from None
    ctx.derived["framework_obj"] = fw
    if _is_illustrative(fw.id) or str(fw.completeness).upper().startswith("ILLUSTRATIVE"):
        ctx.illustrative = True
    return v


def _check_file(p, v, ctx):
    if v is None:
        if p.name == "unit_file":
            v = EXAMPLES_DIR / EXAMPLE_UNIT_FILE
        elif p.name in ("stated_file", "groups_file"):
            from ..data import paths

            return Path(paths.RAW_DIR) / (paths.SEED_STATED if p.name == "stated_file" else paths.SEED_GROUPS)
        else:
            return None
    if not isinstance(v, str | os.PathLike):
        raise _err(p, f"{v!r} is {_type_name(v)}", "a path to a CSV or Excel file")
    path = Path(v)
    if not path.is_file():
        near = ""
        if path.parent.is_dir():
            near = suggest(path.name, [c.name for c in path.parent.iterdir() if c.is_file()])
        raise _err(p, f"file {path} not found{near}", "an existing CSV or Excel file")
    if path.suffix.lower() not in {".csv", ".xlsx", ".xlsm"}:
        raise _err(p, f"unsupported file type '{path.suffix}'", ".csv or .xlsx")
    if p.name == "unit_file" and _is_illustrative(path.name):
        ctx.illustrative = True
    return path


def _check_unit(p, v, ctx):
    from ..inputs import read_unit_data

    fw = ctx.derived.get("framework_obj")
    data = read_unit_data(ctx.values["unit_file"], fw)  # a bad file raises its own DataError (file, row, column)
    ctx.derived["unit_data"] = data
    units = list(dict.fromkeys(data["unit"]))
    ctx.derived["units"] = units
    defaults = ctx.derived["_defaults"]
    if v == EXAMPLE_UNIT and defaults.get("unit") and not defaults.get("unit_file") and v not in units:
        v = None  # the example's unit is no default for the user's own file
    if v is None:
        if len(units) == 1:
            return units[0]
        raise _err(p, f"{ctx.values['unit_file']} holds {len(units)} units", "one of " + ", ".join(units))
    if not isinstance(v, str):
        raise _err(p, f"{v!r} is {_type_name(v)}", "a unit name")
    if v not in units:
        from ..data.names import fold

        folded = {fold(u).casefold(): u for u in units}
        hit = folded.get(fold(v).casefold().strip())
        if hit:
            return hit
        raise _err(p, f"unit '{v}' is not in {ctx.values['unit_file']}{suggest(v, units)}",
                   "one of " + ", ".join(units))
    return v


def _check_path_out(p, v, ctx):
    if v is None:
        return None
    if not isinstance(v, str | os.PathLike):
        raise _err(p, f"{v!r} is {_type_name(v)}", "a folder path")
    return Path(v)


_CHECKS = {"lang": _check_lang, "era": _check_era, "dir": _check_dir, "year": _check_year,
           "province": _check_province, "rank": _check_rank, "int": _check_int, "number": _check_number,
           "opt_number": _check_opt_number, "opt_province": _check_opt_province,
           "str": _check_str, "framework": _check_framework, "file": _check_file, "unit": _check_unit,
           "path_out": _check_path_out}


def _is_illustrative(name: str) -> bool:
    return "illustrative" in str(name).lower()


# ----------------------------------------------------------------------------------------- sources
def _file_source(path: Path, label: str, note: str = "") -> dict:
    path = Path(path)
    st = path.stat()
    rows = None
    if path.suffix.lower() == ".csv":
        with open(path, "rb") as fh:
            rows = max(sum(1 for _ in fh) - 1, 0)
    return {"label": label, "path": _short(path), "rows": rows,
            "modified": datetime.fromtimestamp(st.st_mtime).astimezone().isoformat(timespec="seconds"),
            "note": note}


def _add_sources(spec: Spec, ctx: Params) -> None:
    v = ctx.values
    if "processed_dir" in v:
        d = v["processed_dir"]
        ctx.sources.append(_file_source(d / "results.csv", "results.csv", "published"))
        for name in ("provinces.csv", "indicators.csv", "national.csv"):
            if (d / name).is_file() and (name != "national.csv" or spec.id.startswith("01")):
                ctx.sources.append(_file_source(d / name, name, "published"))
    if "framework" in v:
        fw = ctx.derived["framework_obj"]
        ctx.sources.append({"label": fw.id, "path": _short(Path(fw.path)) if fw.path else fw.id, "rows": None,
                            "modified": None, "note": "illustrative" if _is_illustrative(fw.id) else "framework",
                            "legal_source": fw.legal_source})
    if "effort_file" in v and v["effort_file"] is None:
        from ..effort.effort import DEFAULTS

        if Path(DEFAULTS).is_file():
            ctx.sources.append(_file_source(DEFAULTS, Path(DEFAULTS).name, "assumed"))
    for key in ("unit_file", "groups_file", "stated_file", "effort_file"):
        if key in v and v[key] is not None:
            ctx.sources.append(_file_source(v[key], Path(v[key]).name,
                                            "illustrative" if _is_illustrative(Path(v[key]).name) else "input"))


def _source_html(s: dict, lang: str) -> str:
    esc = html.escape
    parts = [f"<code>{esc(str(s['path']))}</code>"]
    if s.get("legal_source"):
        parts.append(esc(s["legal_source"]))
    if s.get("rows") is not None:
        parts.append(esc(t("report.rows", lang, n=s["rows"])))
    if s.get("modified"):
        parts.append(esc(t("report.modified", lang, date=fmt_date(datetime.fromisoformat(s["modified"]), lang, time=True))))
    if s.get("note") == "published":
        parts.append(esc(t("report.built_from", lang)))
    if s.get("note") == "assumed":
        parts.append(f"<strong>{esc(t('report.assumed', lang))}</strong>")
    if s.get("note") == "illustrative":
        parts.append(f"<strong>{esc(t('report.illustrative_short', lang))}</strong>")
    return " — ".join(parts)


# ------------------------------------------------------------------------------------------ helpers
def _short(path: Path) -> str:
    path = Path(path)
    try:
        rel = os.path.relpath(path.resolve(), Path.cwd())
    except ValueError:
        return str(path)
    if rel.startswith(".."):
        from ..data import paths

        try:
            return str(path.resolve().relative_to(paths.REPO))
        except ValueError:
            return str(path)
    return rel


def _jsonable(v):
    if isinstance(v, Path):
        return str(v)
    if isinstance(v, int | float | str | bool) or v is None:
        return v
    return str(v)


def param_label(name: str, lang: str = "vi") -> str:
    """The reader's name of a notebook parameter (``processed_dir`` → ``Thư mục dữ liệu đã xử lý``)."""
    key = f"param.{name}"
    return t(key, lang) if labels.i18n.has(key) else name


def param_value(name: str, v, lang: str = "vi") -> str:
    """A parameter value as shown to readers: ``None`` → ``—``, ``lang``/``era`` in words, numbers in *lang*."""
    key = f"param.{name}.{v}"
    if labels.i18n.has(key):
        return t(key, lang)
    return _show(v, lang)


def _show(v, lang: str) -> str:
    from ..i18n import fmt_number

    if isinstance(v, float):
        return fmt_number(v, lang, 0 if v.is_integer() else 2)
    if v is None:
        return "—"
    return str(v)




__all__ = ["check", "spec_for", "Params", "Spec", "Param", "NOTEBOOKS", "labels"]
