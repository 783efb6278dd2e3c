"""The kinds of notebook parameters: how a value of each kind is checked (:data:`KINDS`).

A check is ``check(param, value, ctx) -> value``: *param* is the :class:`~dtilib.reporting.params.Param`
being checked, *ctx* the :class:`~dtilib.reporting.params.Params` checked so far (its ``values``, the
``found`` facts such as ``province_slug`` or ``framework_obj``, ``defaults``, ``illustrative``).  Checks
lean on the library's own validators and loaders (:func:`~dtilib.i18n.check_lang`,
:func:`~dtilib.data.names.check_era`, the name index, :func:`~dtilib.frameworks.load_framework`,
:func:`~dtilib.inputs.read_unit_data`), which raise one clear error each; a wrong type says what it is.

>>> from dtilib.reporting.params import Param, Params
>>> KINDS["int"](Param("n_sims", "int", least=1), 0, Params("04_points_per_effort"))
Traceback (most recent call last):
...
dtilib.errors.ParameterError: parameter 'n_sims': 0 is not allowed (expected a positive whole number)
"""

from __future__ import annotations

import math
import numbers
import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..data import paths
from ..errors import DTIError, ParameterError, suggest
from ..i18n import check_lang

if TYPE_CHECKING:
    from .params import Param

ERA = "63 (provinces before 1/7/2025) or 34"


def _err(p: Param, message: str, expected: str | None = None) -> ParameterError:
    return ParameterError(f"parameter '{p.name}': {message}", expected=expected)


def _is(v) -> str:
    return "is " + {str: "text", bool: "true/false", float: "a decimal number", int: "a whole number",
                    type(None): "nothing (None)"}.get(type(v), type(v).__name__)


def _whole(p: Param, v, expected: str) -> int:
    if isinstance(v, bool) or not isinstance(v, numbers.Integral):
        hint = " (write it without quotes)" if isinstance(v, str) and v.strip().lstrip("-").isdigit() else ""
        hint = f" (write {int(v)})" if isinstance(v, float) and v.is_integer() else hint
        raise _err(p, f"{v!r} {_is(v)}{hint}", expected)
    return int(v)


def _text(p: Param, v, expected: str, *, blank: bool = True) -> str:
    if not isinstance(v, str) or not (blank or v.strip()):
        raise _err(p, f"{v!r} {_is(v)}", expected)
    return v


def _path(p: Param, v, expected: str) -> Path:
    if not isinstance(v, str | os.PathLike):
        raise _err(p, f"{v!r} {_is(v)}", expected)
    return Path(v)


def _era(p, v, ctx):
    from ..data.names import check_era

    return check_era(_whole(p, v, f"{ERA} (after)"))


def _record(p, v, ctx):
    """The published record of the folder (:func:`~dtilib.data.record.load_record`: read once, shared with
    the notebook that loads it next), as ``record``."""
    from ..data.record import load_record

    d = paths.PROCESSED_DIR if v is None else _path(p, v, "a folder path")
    if not (d / "results.csv").is_file():
        raise _err(p, f"{d / 'results.csv'} not found", "the processed tables: run `dti build` (or `make data`) first")
    try:
        ctx.found["record"] = load_record(d)
    except DTIError as exc:
        raise _err(p, f"cannot read results.csv: {exc}") from None
    return d


def _year(p, v, ctx):
    year = _whole(p, v, "a year such as 2022")
    res, era = ctx.found["record"].results, ctx.values.get("era", 63)
    have = sorted({int(y) for y in res.loc[res["era"] == era, "year"]})
    if year not in have:
        raise _err(p, f"no DTI results for {year} in the {era}-province list", "one of " + ", ".join(map(str, have)))
    return year


def _province(p, v, ctx):
    from ..data.names import display_name, resolve

    era = ctx.values.get("era", 63)
    _text(p, v, "a province name such as 'Lai Châu'", blank=False)
    try:
        slug = resolve(v, era)
    except ParameterError as exc:
        raise _err(p, exc.detail, "a province name such as 'Lai Châu' (with or without accents)") from None
    ctx.found.update(province_slug=slug, province_name=display_name(slug, era, "vi"), rank_of=era)
    return v


def _rank(p, v, ctx):
    n = ctx.found.get("rank_of", ctx.values.get("era", 63))
    if n == 34 and p.name in ctx.defaults:
        v = round(p.default * 34 / 63)  # the default target (45 of 63) at the same relative place of 34
    r = _whole(p, v, f"a whole rank from 1 to {n}")
    if not 1 <= r <= n:
        raise _err(p, f"rank {r} is outside 1..{n}", f"a whole rank from 1 to {n}")
    return r


def _target_year(p, v, ctx):
    """From 2025 there are 34 provinces: a target rank of the 63-list for 2025 or later is translated at the
    same relative place, ``1 + (rank − 1) × 33/62`` (45/63 → 24/34), and ``target_note`` says so.  A target
    the user set (not the defaults) for a province merged away then is refused here
    (:func:`~dtilib.analysis.target.check_target_unit`), before the notebook runs."""
    from ..analysis.target import check_target_unit, rank_63_in_34, translation_note

    year, rank, n = _int(p, v, ctx), ctx.values[p.of], ctx.found.get("rank_of", 63)
    ctx.found.update(target_rank_of=n, target_rank_in_list=rank, target_note=None)
    if rank is not None and not {p.name, p.of} <= ctx.defaults:
        try:
            check_target_unit(ctx.found["record"].results, ctx.values["province"], year)
        except ParameterError as exc:   # the province is what is wrong: the same message as `dti target`'s
            raise ParameterError(f"parameter '{exc.column}': {exc.detail}", expected=exc.expected) from None
    if rank is None:                         # no target given (report 02)
        ctx.found.update(target_rank_of=None)
    elif year >= 2025 and n == 63:
        note = translation_note(rank, year)
        ctx.found.update(target_rank_of=34, target_rank_in_list=rank_63_in_34(rank)[0],
                         target_note={lang: note.text(lang) for lang in ("vi", "en")})
    return year


def _int(p, v, ctx):
    i = _whole(p, v, "a whole number")
    if i < p.least:
        raise _err(p, f"{i} is not allowed", "a positive whole number")
    return i


def _number(p, v, ctx):
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _err(p, f"{v!r} {_is(v)}", "a number ≥ 0")
    if not math.isfinite(v) or v < 0:
        raise _err(p, f"{v} {'is not a finite number' if not math.isfinite(v) else 'is negative'}", "a number ≥ 0")
    return float(v)


def _framework(p, v, ctx):
    from ..frameworks import load_framework

    if v is None:
        v = p.fallback
    _path(p, v, "a framework id or a .yaml file")
    try:
        fw = ctx.found["framework_obj"] = load_framework(v)
    except DTIError as exc:
        raise _err(p, str(exc)) from None
    ctx.illustrative |= is_illustrative(fw.id) or str(fw.completeness).upper().startswith("ILLUSTRATIVE")
    return v


def _file(p, v, ctx):
    if v is None and p.fallback is None:
        return None
    path = p.fallback if v is None else _path(p, v, "a path to a CSV or Excel file")
    if not path.is_file():
        near = suggest(path.name, [c.name for c in path.parent.iterdir() if c.is_file()]) if path.parent.is_dir() else ""
        raise _err(p, f"file {path} not found{near}", "an existing CSV or Excel file")
    if path.suffix.lower() not in {".csv", ".xlsx", ".xlsm"}:
        raise _err(p, f"unsupported file type '{path.suffix}'", ".csv or .xlsx")
    ctx.illustrative |= is_illustrative(path.name)
    return path


def _peers(p, v, ctx):
    """A peers file (``unit, indicator, ratio`` for the framework's min–max items, as ``dti score --peers``),
    read once here so a wrong row stops the report before it starts."""
    from ..inputs import read_peers

    path = _file(p, v, ctx)
    if path is not None:
        read_peers(path, ctx.found.get("framework_obj"))
    return path


def _data_year(p, v, ctx):
    """The year the unit's data describe: as given, else the latest year of the unit's rows in a unit file
    with a ``year`` column, else the framework's year (its first year when it names one year or has no last
    year), else ``None`` (no year in the title)."""
    if v is not None:
        return _whole(p, v, "a year such as 2025")
    data = ctx.found.get("unit_data")
    if data is not None and "year" in data.columns:
        years = data.loc[data["unit"] == ctx.values.get("unit"), "year"]
        if len(years):
            return int(years.max())
    fw = ctx.found.get("framework_obj")
    first, last = fw.years if fw is not None else (None, None)
    return first if last in (None, first) else None


def _published(p, v, ctx):
    """A published table of the unit to reconcile with: the file given, else the shipped one (*p.fallback*)
    only when it holds rows of the unit — a report lists as its sources the files it reads."""
    if v is not None:
        return _file(p, v, ctx)
    unit = ctx.values.get("unit")
    if unit is None or p.fallback is None or not Path(p.fallback).is_file():
        return None
    from ..io import read_table

    return p.fallback if (read_table(Path(p.fallback), required=["unit"])["unit"] == unit).any() else None


def _unit(p, v, ctx):
    """A unit of the file *p.of*: its only unit when not given (or when the default is not in the user's file)."""
    from ..inputs import read_unit_data
    from ..units import check_unit_choice

    data = ctx.found["unit_data"] = read_unit_data(ctx.values[p.of], ctx.found.get("framework_obj"))
    units = ctx.found["units"] = list(dict.fromkeys(data["unit"]))
    if v is None or (p.name in ctx.defaults and p.of not in ctx.defaults and v not in units):
        if len(units) == 1:
            return units[0]
        raise _err(p, f"{ctx.values[p.of]} holds {len(units)} units", "one of " + ", ".join(units))
    try:
        return check_unit_choice(_text(p, v, "a unit name"), units, ctx.values[p.of])  # as `dti plan --unit`
    except ParameterError as e:
        raise _err(p, e.detail, e.expected) from None


KINDS = {"lang": lambda p, v, ctx: check_lang(_text(p, v, "vi or en")), "era": _era, "record": _record,
         "year": _year, "province": _province, "rank": _rank, "target_year": _target_year, "int": _int,
         "number": _number, "framework": _framework, "file": _file, "peers": _peers, "unit": _unit,
         "data_year": _data_year, "published": _published,
         "folder": lambda p, v, ctx: None if v is None else _path(p, v, "a folder path")}


def is_illustrative(name: str) -> bool:
    return "illustrative" in str(name).lower()
