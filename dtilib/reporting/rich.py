"""How results show themselves: compact styled HTML in Jupyter, readable text elsewhere — one helper.

Every result class (:class:`~dtilib.scoring.ScoreResult`, the trend table, the rank-change
:class:`~dtilib.analysis.decompose.Decomposition`, :class:`~dtilib.analysis.target.TargetReport`,
:class:`~dtilib.analysis.gaps.Gaps`, the :class:`~dtilib.effort.optimise.Plan` and the reconciliation
table) has ``_repr_html_`` and ``__repr__`` that call :func:`html` / :func:`text` here.  A *view*
(title, key figures, one table with marked rows, notes) is picked by the result's type; the view is
rendered by the same code for every type, with the number formats of :mod:`dtilib.i18n`
(Vietnamese ``0,5032`` by default).  Methodology breaks are marked (a dashed line above the row and
⚠), values not published show as ``—`` (never interpolated), mismatches are shaded.

>>> set_lang("en"); get_lang()
'en'
>>> set_lang("vi")
>>> import pandas as pd
>>> t = result_table(pd.DataFrame({"year": [2021], "unit": ["X"], "check": ["dti_from_main"],
...     "published": [0.5], "computed": [0.5012], "difference": [0.0012], "status": ["mismatch"],
...     "detail": [""]}), "reconcile")
>>> "0,5012" in t._repr_html_() and 'class="dti-bad"' in t._repr_html_()
True
>>> type(t[["year"]]) is pd.DataFrame          # anything derived from a result table is a plain DataFrame
True
"""

from __future__ import annotations

import html as _html
from dataclasses import dataclass, field

import pandas as pd

from .. import i18n
from . import display as _display

_STATE = {"lang": "vi"}


CSS = (".dti-rich{font:12px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;max-width:1000px;color:#222}"
       ".dti-rich .dti-rich-title{font-weight:600;font-size:13.5px;color:#1f4e79;margin:2px 0 4px}"
       ".dti-rich table{border-collapse:collapse;font-size:12px;margin:2px 0}"
       ".dti-rich th{background:#eaf1f8;text-align:left;padding:2px 8px;border-bottom:1px solid #9fb6cc}"
       ".dti-rich td{padding:1px 8px;border-bottom:1px solid #eceff2}"
       ".dti-rich th.num,.dti-rich td.num{text-align:right;font-variant-numeric:tabular-nums}"
       ".dti-rich td.gap{color:#9a9a9a}"
       ".dti-rich tr.dti-break td{border-top:2px dashed #d9822b}"
       ".dti-rich tr.dti-bad td{background:#fde7e7}"
       ".dti-rich tr.dti-highlight td{background:#fff6d6;font-weight:600}"
       ".dti-rich .dti-figures{display:flex;flex-wrap:wrap;gap:8px;margin:4px 0}"
       ".dti-rich .dti-figure{border:1px solid #cfdbe7;border-radius:4px;padding:2px 8px;min-width:90px}"
       ".dti-rich .dti-figure-value{font-weight:600;font-size:14px;color:#1f4e79}"
       ".dti-rich .dti-figure-label{color:#555;font-size:11px}"
       ".dti-rich ul.dti-rich-notes{color:#444;font-size:11.5px;margin:4px 0 0;padding-left:18px}")


def set_lang(lang: str) -> None:
    """The language results show in (``"vi"``, the default, or ``"en"``)."""
    _STATE["lang"] = i18n.check_lang(lang)


def get_lang() -> str:
    return _STATE["lang"]


@dataclass
class View:
    """What a result shows: a title, key figures, one table (a CSS class per row) and notes."""

    title: str
    figures: list = field(default_factory=list)     # [(label key or text, value), …]
    table: pd.DataFrame | None = None
    labels: dict = field(default_factory=dict)      # column → label key or header text
    row_classes: list | None = None                 # "dti-break", "dti-bad", "dti-highlight" or ""
    notes: list = field(default_factory=list)
    max_rows: int = 12
    decimals: dict = field(default_factory=dict)   # column → decimals (default: 4 within ±1, else 2)


class ResultTable(pd.DataFrame):
    """A result that is a table (trend, reconciliation): a DataFrame in every respect but its display.

    Anything derived from it (a column subset, a filter, a sum) is a plain :class:`pandas.DataFrame`.
    """

    @property
    def _constructor(self):
        return pd.DataFrame

    def _repr_html_(self) -> str:
        return html(self)

    def __repr__(self) -> str:
        return text(self)


def result_table(df: pd.DataFrame, kind: str) -> ResultTable:
    """*df* (its data and ``attrs``) as a :class:`ResultTable` of *kind* (``trend``, ``reconcile``)."""
    out = ResultTable(df)
    out.attrs.update(df.attrs)
    out.attrs["dti_kind"] = kind
    return out


def view(obj, lang: str | None = None) -> View:
    """The :class:`View` of a result (its type, or the ``dti_kind`` of a result table, picks the view)."""
    lang = i18n.check_lang(lang or get_lang())
    kind = obj.attrs.get("dti_kind") if isinstance(obj, pd.DataFrame) else type(obj).__name__
    try:
        make = _VIEWS[kind]
    except KeyError:
        raise TypeError(f"no rich view for {type(obj).__name__}") from None
    return make(obj, lang)


def html(obj, lang: str | None = None) -> str:
    """The compact styled HTML of a result (what Jupyter shows)."""
    lang = lang or get_lang()
    v = view(obj, lang)
    parts = [f"<style>{CSS}</style>", f'<div class="dti-rich" lang="{lang}">',
             f'<div class="dti-rich-title">{_html.escape(v.title)}</div>']
    if v.figures:
        parts.append(_display.figures(v.figures, lang).html)
    shown, more = _shown(v)
    if shown is not None:
        parts.append(_display.table(shown, lang, labels=v.labels, row_classes=v.row_classes,
                                    decimals=v.decimals).html)
    notes = _notes(v, more, lang)
    if notes:
        parts.append('<ul class="dti-rich-notes">' + "".join(f"<li>{_html.escape(n)}</li>" for n in notes) + "</ul>")
    parts.append("</div>")
    return "".join(parts)


def text(obj, lang: str | None = None) -> str:
    """The same view as plain text (what a terminal or ``repr`` shows)."""
    lang = lang or get_lang()
    v = view(obj, lang)
    lines = [v.title]
    if v.figures:
        lines.append(_display.figures(v.figures, lang).text.replace("\n", " · "))
    shown, more = _shown(v)
    if shown is not None:
        lines += ["", _display.table(shown, lang, labels=v.labels, decimals=v.decimals).text]
    notes = _notes(v, more, lang)
    if notes:
        lines += [""] + [f"- {n}" for n in notes]
    return "\n".join(lines)


def show(obj, lang: str | None = None) -> _display.HTML:
    """A displayable of *obj* in *lang* (e.g. ``show(res, "en")`` for one English result)."""
    return _display.HTML(html(obj, lang), text(obj, lang))


def _shown(v: View):
    if v.table is None:
        return None, 0
    more = max(0, len(v.table) - v.max_rows)
    if more:
        v.row_classes = list(v.row_classes)[: v.max_rows] if v.row_classes is not None else None
    return v.table.head(v.max_rows), more


def _notes(v: View, more: int, lang: str) -> list[str]:
    notes = [str(n) for n in v.notes]
    if more:
        notes.insert(0, i18n.t("rich.more_rows", lang, n=more))
    if v.table is not None and len(v.table) and v.table.head(v.max_rows).isna().to_numpy().any():
        notes.append(i18n.t("rich.dash_note", lang))
    if v.row_classes and "dti-break" in v.row_classes:
        notes.append(i18n.t("rich.break_note", lang))
    return notes


def span(lo, hi, lang: str, decimals: int = 4) -> str:
    """``lo – hi`` in *lang*, or one number when both show the same."""
    a, b = _display.fmt(lo, lang, decimals), _display.fmt(hi, lang, decimals)
    return a if a == b else f"{a} – {b}"


def _note_text(n, lang: str) -> str:
    return n.text(lang) if hasattr(n, "text") and callable(n.text) else str(n)


# ----------------------------------------------------------------------------------------- the views
def _score(r, lang: str) -> View:
    total = r.total.copy()
    value = "dti_value" if "dti_value" in total.columns else None
    cols = [c for c in ("year", "unit", "points", value, "rank", "rank_of") if c and c in total.columns]
    if "rank" in total.columns:
        total = total.sort_values("rank", na_position="last", kind="stable")
    missing = int((r.sub["status"] == "missing").sum()) if "status" in r.sub.columns else 0
    figures = [("rich.units", len(r.total)), ("rich.sub_scores", len(r.sub))]
    if missing:
        figures.append(("rich.missing_scores", missing))
    return View(i18n.t("rich.score", lang, framework=r.framework.id), figures, total[cols].reset_index(drop=True),
                {"dti_value": "dti_value", "rank_of": "analysis.rank_of"})


def _trend(t: pd.DataFrame, lang: str) -> View:
    d = t.reset_index(drop=True).copy()
    d["break"] = [_break_text(b, lang) for b in d["break"]]
    if "framework" in d.columns:
        d["framework"] = d["framework"].map(_framework_text)
    cols = [c for c in ("year", "era", "value", "rank", "rank_of", "delta_value", "delta_rank", "provincial_avg",
                        "framework", "break") if c in d.columns]
    unit = " → ".join(dict.fromkeys(d["unit"].astype(str))) if "unit" in d.columns and len(d) else ""
    marks = ["dti-break" if b else "" for b in d["break"]]
    return View(i18n.t("rich.trend", lang, unit=unit), [], d[cols], {
        "value": "dti_value", "era": "analysis.list", "rank_of": "analysis.rank_of",
        "delta_value": "analysis.delta_value", "delta_rank": "analysis.delta_rank",
        "provincial_avg": "analysis.provincial_avg", "break": "analysis.break"}, marks, max_rows=20)


def _break_text(b, lang: str) -> str:
    """A break code as words, framework ids as their decisions (``⚠ Đổi bộ chỉ số (1726/QĐ-BTTTT → …)``)."""
    from ..analysis.trends import break_label

    if not isinstance(b, str) or not b:
        return ""
    return "; ".join(f"⚠ {break_label(part.strip(), lang)}" for part in b.split(";") if part.strip())


def _framework_text(framework_id) -> str:
    """A framework id as readers name it, its decision (``vn-province-922`` → ``922/QĐ-BTTTT``)."""
    from ..analysis.trends import framework_label

    return framework_label(framework_id)


def _decomposition(d, lang: str) -> View:
    title = i18n.t("rich.rank_change", lang, unit=d.unit, y0=d.year_from, y1=d.year_to)
    figures = [(f"{i18n.t('rich.rank', lang)} {d.year_from}", f"{d.rank_from}/{d.rank_of}"),
               (f"{i18n.t('rich.rank', lang)} {d.year_to}", f"{d.rank_to}/{d.rank_of}"),
               (f"{i18n.t('rich.value', lang)} {d.year_from}", span(*d.value_from, lang)),
               (f"{i18n.t('rich.value', lang)} {d.year_to}", span(*d.value_to, lang))]
    lines = [ln.strip() for ln in d.summary(lang).splitlines() if ln.strip() and not _display._is_table_row(ln)]
    notes = [ln[2:] if ln.startswith("- ") else ln for ln in lines]
    return View(title, figures, None, notes=notes)


def _target(tr, lang: str) -> View:
    title = i18n.t("rich.target", lang, rank=f"{tr.target_rank}/{tr.needed['rank_of'].iloc[-1]}", unit=tr.unit)
    figures = []
    if tr.latest_value is not None:
        lo, hi, y = tr.latest_value
        figures.append((f"{i18n.t('rich.value', lang)} {y}", span(lo, hi, lang)))
    if tr.projection is not None:
        p = tr.projection
        figures.append((i18n.t("rich.projected", lang, rank=tr.target_rank, year=tr.target_year),
                        f"{_display.fmt(p.estimate, lang)} ({span(p.low, p.high, lang)})"))
    if tr.gap_projected is not None:
        figures.append((i18n.t("rich.gap", lang), _display.fmt(tr.gap_projected[0], lang)))
    n = tr.needed
    table = pd.DataFrame({
        "year": n["year"], "framework": n["framework"].map(_framework_text), "unit_rank": n["unit_rank"],
        "value": [span(a, b, lang) if not pd.isna(a) else None for a, b in zip(n["unit_value_lo"], n["unit_value_hi"],
                                                                                strict=True)],
        "needed": [span(a, b, lang) if not pd.isna(a) else None for a, b in zip(n["needed_lo"], n["needed_hi"],
                                                                                 strict=True)],
        "gap": [span(a, b, lang) if not pd.isna(a) else None for a, b in zip(n["gap_lo"], n["gap_hi"], strict=True)],
        "gap_points": [span(a, b, lang, 1) if not pd.isna(a) else None
                       for a, b in zip(n["gap_points_lo"], n["gap_points_hi"], strict=True)]})
    fws = list(n["framework"])
    marks = [""] + ["dti-break" if a != b else "" for a, b in zip(fws, fws[1:], strict=False)]
    return View(title, figures, table, {"unit_rank": "rich.rank", "value": "rich.value", "needed": "rich.needed",
                                        "gap": "rich.gap", "gap_points": "rich.gap_points"}, marks,
                [_note_text(x, lang) for x in tr.notes])


def _gaps(g, lang: str) -> View:
    tot = g.total
    figures = [("points", f"{_display.fmt(tot['achieved'], lang, 2)} / {_display.fmt(tot['max_points'], lang, 2)}"),
               ("nb03.lost", _display.fmt(tot["lost"], lang, 2))]
    groups = g.groups
    cols = [c for c in ("name", "max_points", "achieved", "lost", "n_full", "n_zero", "n_partial") if c in groups]
    notes = [_note_text(x, lang) for x in g.notes]
    if g.illustrative:
        notes.insert(0, i18n.t("report.illustrative_short", lang))
    return View(i18n.t("rich.gaps", lang, unit=g.unit), figures, groups[cols].reset_index(drop=True),
                {"name": "nb03.group", "achieved": "nb03.achieved", "lost": "nb03.lost", "n_full": "nb03.n_full",
                 "n_zero": "nb03.n_zero", "n_partial": "nb03.n_partial"}, notes=notes,
                decimals=dict.fromkeys(("max_points", "achieved", "lost"), 2))


def _plan(p, lang: str) -> View:
    figures = [("rich.actions", len(p.chosen)), ("rich.spent", f"{_display.fmt(p.spent, lang, 1)} / "
                                                               f"{_display.fmt(p.budget, lang, 1)}"),
               ("rich.gain", _display.fmt(p.gain, lang, 2)),
               ("rich.total_after", _display.fmt(p.after.get("total"), lang, 2)),
               ("dti_value", _display.fmt(p.after.get("dti"), lang, 4))]
    ch = p.chosen.reset_index(drop=True)
    level = p.cost_level if f"cost_{p.cost_level}" in ch.columns else "likely"
    table = pd.DataFrame({"indicator": ch["indicator"], "action": ch[f"description_{lang}"],
                          "points_from": ch["points_from"], "points_to": ch["points_to"], "gain": ch["gain"],
                          "cost": ch[f"cost_{level}"], "quarter": ch["quarter"] if "quarter" in ch else None})
    notes = [i18n.note_text(a, lang) for a in p.assumptions]
    return View(i18n.t("rich.plan", lang, unit=p.unit), figures, table,
                {"indicator": "rich.indicator", "action": "rich.action", "points_from": "rich.points_from",
                 "points_to": "rich.points_to", "gain": "rich.gain", "cost": "rich.cost", "quarter": "rich.quarter"},
                notes=notes, max_rows=15, decimals=dict.fromkeys(("points_from", "points_to", "gain", "cost"), 2))


def _reconcile(r: pd.DataFrame, lang: str) -> View:
    counts = r["status"].value_counts() if len(r) else pd.Series(dtype=int)
    figures = [("rich.checks", len(r))] + [(f"rich.status.{s}", int(counts.get(s, 0)))
                                           for s in ("ok", "mismatch", "insufficient")]
    order = {"mismatch": 0, "insufficient": 1, "ok": 2}
    d = r.assign(_o=r["status"].map(order)).sort_values(["_o", "year"], kind="stable").drop(columns="_o")
    d = d.reset_index(drop=True)
    marks = ["dti-bad" if s == "mismatch" else "" for s in d["status"]]
    d["status"] = [i18n.t(f"rich.status.{s}", lang) for s in d["status"]]
    cols = ["year", "unit", "check", "published", "computed", "difference", "status"]
    return View(i18n.t("rich.reconcile", lang), figures, d[cols], {
        "unit": "unit", "check": "rich.check", "published": "rich.published", "computed": "rich.computed",
        "difference": "rich.difference", "status": "rich.status"}, marks, max_rows=15)


_VIEWS = {"ScoreResult": _score, "trend": _trend, "Decomposition": _decomposition, "TargetReport": _target,
          "Gaps": _gaps, "Plan": _plan, "reconcile": _reconcile}

__all__ = ["View", "ResultTable", "result_table", "view", "html", "text", "show", "set_lang", "get_lang"]
