"""Notebook parameters: each notebook declares them in :data:`NOTEBOOKS`; :func:`check` checks them all.

Every notebook's first code cell after its ``parameters`` cell is one call::

    p = check("02_province_trend", province=province, target_rank=target_rank, era=era, lang=lang)
    p   # shows the report header: title, parameters, data sources, generation date

A parameter's *kind* says how it is checked (:mod:`.kinds`, through the library's own validators); a
bad value raises ONE :class:`~dtilib.errors.ParameterError` (or the :class:`~dtilib.errors.DataError` of
a bad input file).  ``dti report`` calls it before any kernel starts.  Header HTML: :mod:`.header`.

>>> p = check("02_province_trend", province="lai chau", target_rank=45)
>>> p.province_slug, p.province_name, p.rank_of
('lai-chau', 'Lai Châu', 63)
>>> check("02_province_trend", province="Lai Chou")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
dtilib.errors.ParameterError: parameter 'province': unknown province 'Lai Chou' in the 63-province list; closest known: Lai Châu, ...
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..data import paths
from ..effort.costs import DEFAULTS as EFFORT_DEFAULTS
from ..errors import ParameterError, suggest
from ..i18n import has
from .header import file_source, header_html, param_label, param_value, short_path
from .kinds import ERA, KINDS, is_illustrative
from .labels import t

EXAMPLES_DIR = Path(os.environ.get("DTILIB_EXAMPLES_DIR", paths.REPO / "data" / "examples"))
EXAMPLE_UNIT_FILE = "bac-kan-city-2023.illustrative.csv"
EXAMPLE_FRAMEWORK = "bac-kan-district-1294-illustrative.yaml"
EXAMPLE_UNIT = "Thành phố Bắc Kạn"
MIME = "application/vnd.dtilib.report+json"


@dataclass(frozen=True)
class Param:
    """A notebook parameter: *kind* (a key of :data:`KINDS`), *default*, *doc*; *fallback*: what ``None``
    stands for; *optional*: ``None`` is a value; *least*: the smallest whole number; *of*: the parameter
    it depends on; *assumed*: the shipped assumption used when it is ``None`` (listed as a source)."""

    name: str
    kind: str
    default: object = None
    doc: str = ""
    fallback: object = None
    optional: bool = False
    least: int = 0
    of: str | None = None
    assumed: Path | None = None


@dataclass(frozen=True)
class Spec:
    """A notebook: its id, title label, parameters (in checking order), the parameters that name its
    report (:func:`~dtilib.reporting.runner.report_key`), the processed tables it reads, its batch dimension."""

    id: str
    title: str
    params: tuple[Param, ...]
    key: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()
    batch_over: str | None = None  # "province" or "unit"
    needs_kernel: bool = False      # interactive widgets: only a Jupyter kernel (the stock engine) runs them

    @property
    def names(self) -> list[str]:
        return [p.name for p in self.params]

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}


_RECORD = ("results.csv", "provinces.csv", "indicators.csv")
_LANG = Param("lang", "lang", "vi", "vi (default) or en")
_DATA = Param("processed_dir", "record", None, "folder of the processed tables (default data/processed)")
_TARGET = (Param("target_rank", "rank", 45, "the rank to reach"),
           Param("target_year", "target_year", 2025, "the year by which to reach it", of="target_rank"))
_UNIT = (Param("framework", "framework", None, "framework id or file (default: the ILLUSTRATIVE Bắc Kạn district "
               "framework)", fallback=EXAMPLES_DIR / EXAMPLE_FRAMEWORK),
         Param("unit_file", "file", None, "sub-indicator data of the unit(s), CSV or Excel (default: the "
               "ILLUSTRATIVE Bắc Kạn city data)", fallback=EXAMPLES_DIR / EXAMPLE_UNIT_FILE),
         Param("unit", "unit", EXAMPLE_UNIT, "the unit to analyse (a name in unit_file)", of="unit_file"),
         Param("year", "data_year", None, "the year the data describe (None: the year column of unit_file, else "
               "the framework's year)"),
         Param("peers", "peers", None, "ratios of other units for the min–max items: unit, indicator, ratio (as "
               "dti score --peers; None: only the units of unit_file)", optional=True))
_PROVINCE = Param("province", "province", "Lai Châu", "the province (any usual spelling)")

NOTEBOOKS: dict[str, Spec] = {s.id: s for s in [
    Spec("00_explore", "nb.00.title", (_LANG, Param("era", "era", 63, ERA), _DATA, _PROVINCE,
                                       Param("year", "year", 2022, "the year shown first"), *_TARGET),
         key=("province",), tables=_RECORD, needs_kernel=True),
    Spec("01_national_overview", "nb.01.title", (_LANG, Param("era", "era", 63, ERA), _DATA,
                                                 Param("year", "year", 2022, "the year of the ranking")),
         key=("year", "era"), tables=(*_RECORD, "national.csv")),
    Spec("02_province_trend", "nb.02.title", (_LANG, Param("era", "era", 63, ERA), _DATA, _PROVINCE, Param(
        "target_rank", "rank", None, "the rank to reach (None: no target section)", optional=True), _TARGET[1]),
         key=("province",), tables=_RECORD, batch_over="province"),
    Spec("03_unit_gap_analysis", "nb.03.title", (
        _LANG, *_UNIT,
        Param("groups_file", "published", None, "the unit's published group table, to compare with (default: the "
              "table of the Bắc Kạn city plan, seed 000, for the units it holds)",
              fallback=paths.RAW_DIR / paths.SEED_GROUPS),
        Param("stated_file", "published", None, "figures stated in the unit's own report, to reconcile (default: "
              "the figures printed in the Bắc Kạn city plan, for the units it holds)",
              fallback=paths.RAW_DIR / paths.SEED_STATED),
    ), key=("unit",), batch_over="unit"),
    Spec("04_points_per_effort", "nb.04.title", (
        _LANG, *_UNIT,
        Param("budget", "number", 300.0, "budget in the money unit of the effort table (default: million VND)"),
        Param("staff_days", "number", None, "person-days available (None: no limit)", optional=True),
        Param("effort_file", "file", None, "the unit's effort table (None: the ASSUMED default effort)",
              assumed=EFFORT_DEFAULTS),
        Param("n_sims", "int", 2000, "Monte Carlo draws for the rank distribution", least=1),
        Param("seed", "int", 1, "random seed"),
        Param("report_dir", "folder", None, "where the plan appendix is written (set by dti report)"),
    ), key=("unit",), batch_over="unit"),
    Spec("05_outlook_34", "nb.05.title", (
        _LANG, Param("era", "era", 34, "34 (the list of the outlook); a 63-list name is shown as its successor"),
        _DATA, Param("year", "int", 2025, "the year of the outlook (the 34-province list)"),
        Param("province", "province", None, "a province to highlight (None: all 34 alike)", optional=True),
    ), key=("province",), tables=_RECORD, batch_over="province"),
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


@dataclass
class Params(Mapping):
    """Checked parameters of one notebook run: a read-only mapping of the checked values; what the checks
    found (``province_slug``, ``rank_of``, ``framework_obj``, ``unit_data``, ``units`` …) are attributes.
    Its rich display is the report header."""

    notebook: str
    values: dict = field(default_factory=dict)
    found: dict = field(default_factory=dict)
    defaults: set = field(default_factory=set)
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
        store = {**self.__dict__.get("found", {}), **self.__dict__.get("values", {})}
        if name in store and not name.startswith("__"):
            return store[name]
        raise AttributeError(f"Params has no {name!r}")

    @property
    def lang(self) -> str:
        return self.values.get("lang", "vi")

    @property
    def title(self) -> str:
        fmt = {k: v for k, v in {**self.values, **self.found}.items() if v is not None}
        key = NOTEBOOKS[self.notebook].title
        if "year" in self.values and self.values["year"] is None and has(f"{key}.no_year"):
            key += ".no_year"   # a unit's data of no known year
        text = t(key, self.lang).format(**fmt)
        return text + f" — {t('report.illustrative_short', self.lang)}" if self.illustrative else text

    def output_path(self, suffix: str) -> Path:
        """Where the notebook writes a file that goes with its report (e.g. ``".plan.xlsx"``): next to the
        HTML page when run by ``dti report`` (``report_dir``), else in the working folder."""
        from .runner import report_key

        params = {k: (str(v) if isinstance(v, Path) else v) for k, v in self.values.items()}
        return Path(self.values.get("report_dir") or Path.cwd()) / (report_key(NOTEBOOKS[self.notebook], params)
                                                                     + suffix)

    def shown_values(self) -> dict:
        """Parameters as shown in the header (paths relative to the working folder when shorter)."""
        return {k: short_path(v) if isinstance(v, Path) else v for k, v in self.values.items() if k != "report_dir"}

    def meta(self) -> dict:
        """What the HTML page needs: title, parameters (which are defaults), sources, generation date, language."""
        return {"notebook": self.notebook, "title": self.title, "lang": self.lang,
                "parameters": {k: v if v is None or isinstance(v, int | float | str) else str(v)
                               for k, v in self.shown_values().items()},
                "defaults": sorted(self.defaults & set(self.values)), "sources": self.sources,
                "illustrative": self.illustrative, "generated": self.generated.isoformat(timespec="seconds")}

    def _repr_mimebundle_(self, include=None, exclude=None):
        md = [f"# {self.title}", ""] + ([f"**{t('report.illustrative', self.lang)}**", ""] if self.illustrative else [])
        md += [f"- {param_label(k, self.lang)}: {param_value(k, v, self.lang)}" for k, v in self.shown_values().items()]
        meta = self.meta()
        return {"text/html": header_html(meta), "text/markdown": "\n".join(md), "text/plain": repr(self), MIME: meta}

    def __repr__(self) -> str:
        return f"<Params {self.notebook}: {self.shown_values()}>"


def check(notebook, /, **values) -> Params:
    """Check the parameters of *notebook*; return them normalised with what the checks found.

    Missing parameters take the notebook's defaults; an unknown parameter name is an error too.
    """
    return _check(spec_for(notebook), values)


def check_shared(notebook, values: dict, skip) -> Params:
    """Check the parameters of *notebook* in *values* but those named in *skip* (and the ones that depend on
    them): a batch's parameters shared by all its reports, checked once before any report starts, where each
    report sets *skip* itself (its unit file and unit) and checks them when it runs."""
    spec = spec_for(notebook)
    skip = set(skip)
    skip |= {p.name for p in spec.params if p.of in skip}
    return _check(spec, {k: v for k, v in values.items() if k not in skip}, skip)


def _check(spec: Spec, values: dict, skip=frozenset()) -> Params:
    unknown = [k for k in values if k not in spec.names]
    if unknown:
        raise ParameterError(f"unknown parameter '{unknown[0]}' for {spec.id}{suggest(unknown[0], spec.names)}",
                             expected="one of " + ", ".join(spec.names))
    ctx = Params(spec.id, defaults={p.name for p in spec.params if values.get(p.name, p.default) == p.default})
    for p in spec.params:
        if p.name in skip:
            continue
        v = values.get(p.name, p.default)
        try:
            ctx.values[p.name] = None if v is None and p.optional else KINDS[p.kind](p, v, ctx)
        except ParameterError as exc:
            if exc.detail.startswith("parameter '"):
                raise
            raise ParameterError(f"parameter '{p.name}': {exc.detail}", expected=exc.expected) from None
        ctx.sources += _sources(spec, p, ctx.values[p.name], ctx)
    return ctx


# ----------------------------------------------------------------------------------------- sources
def _sources(spec: Spec, p: Param, v, ctx: Params) -> list[dict]:
    """The data sources a checked parameter brings: the processed tables the notebook reads, a framework
    (with its legal source), an input file, or the shipped assumption used in its place."""
    if p.kind == "record":
        return [file_source(v / name, "published") for name in spec.tables if (v / name).is_file()]
    if p.kind == "framework":
        fw = ctx.found["framework_obj"]
        return [{"label": fw.id, "path": short_path(Path(fw.path)) if fw.path else fw.id, "rows": None, "modified": None,
                 "note": "illustrative" if is_illustrative(fw.id) else "framework", "legal_source": fw.legal_source}]
    path = v if p.kind in ("file", "peers", "published") and v is not None else p.assumed if v is None else None
    if path is None or not Path(path).is_file():
        return []
    return [file_source(path, "assumed" if v is None else "illustrative" if is_illustrative(path.name) else "input")]


__all__ = ["check", "check_shared", "spec_for", "Params", "Spec", "Param", "NOTEBOOKS", "KINDS"]
