"""The explorer of notebook ``00_explore``: pickers (province, year, list 63/34, target rank, language)
that redraw the trend plot, the rank-change explanation and the distance to the target in place.

In JupyterLab the pickers are ipywidgets; everywhere else (an HTML export, a report, a terminal) the
explorer shows its current selection statically — the figure as an inline PNG, the results as the
HTML of :mod:`dtilib.reporting.rich`.  A choice without data (a year in which the province has no
published rank, say) shows the library's one-line message in the output area, never a traceback.
"""

from __future__ import annotations

import base64
import html as _html
import io
from dataclasses import dataclass, replace

from .. import i18n
from ..errors import DTIError
from . import display as show
from . import rich


@dataclass(frozen=True)
class Choice:
    """One selection of the pickers."""

    province: str        # slug in the list of *era*
    year: int
    era: int
    target_rank: int
    target_year: int
    lang: str


class Explorer:
    """Pickers and three output areas over one loaded record (see the module doc)."""

    def __init__(self, results, national, choice: Choice):
        self.results = results
        self.national = national
        self.choice = choice
        self._box = None
        self._quiet = False
        self._shown: tuple[Choice, list] | None = None     # the last selection's sections (made once)

    # ------------------------------------------------------------------------------ what is shown
    def sections(self, c: Choice | None = None) -> list[tuple[str, list]]:
        """``[(heading, [displayable, …]), …]`` for the trend, the rank change and the target of *c*
        (default: the current selection).  Made once per selection: the output areas of the pickers and
        the static HTML beside them (:meth:`_repr_mimebundle_`) show the same sections."""
        c = c or self.choice
        if self._shown is None or self._shown[0] != c:
            self._shown = (c, self._sections(c))
        return self._shown[1]

    def _sections(self, c: Choice) -> list[tuple[str, list]]:
        from .. import analysis

        out = []

        def guarded(make):
            try:
                return make()
            except DTIError as exc:
                return [_message(i18n.t("explore.no_data", c.lang, detail=exc.text(c.lang)))]

        def trend():
            tr = analysis.trend(self.results, c.province, national=self.national, lang=c.lang)
            tr = rich.result_table(tr[tr["era"] == c.era].reset_index(drop=True), "trend")
            return [analysis.plot_trend(tr, lang=c.lang), rich.show(tr, c.lang)]

        def change():
            years = sorted({int(y) for y in self.results.loc[self.results["era"] == c.era, "year"]})
            if c.year not in years:
                raise DTIError(f"no published results for {c.year} in the {c.era}-province list",
                               expected="one of " + ", ".join(map(str, years)))
            if c.year == years[0]:
                return [show.note(i18n.t("explore.first_year", c.lang, year=c.year, era=c.era), c.lang)]
            y0 = max(y for y in years if y < c.year)
            d = analysis.rank_change(self.results, c.province, y0, c.year, era=c.era, national=self.national)
            return [rich.show(d, c.lang)]

        def target():
            t = analysis.distance_to_target(self.results, c.province, c.target_rank, c.target_year, era=c.era,
                                           national=self.national)
            row = t.needed[t.needed["year"] == c.year]
            items = []
            if len(row):
                r = row.iloc[0]
                if r["unit_value_lo"] != r["unit_value_lo"]:     # NaN: no published value that year
                    have = [str(int(y)) for y in t.needed.loc[t.needed["unit_value_lo"].notna(), "year"]]
                    raise DTIError(f"{t.unit} has no published DTI value in {c.year} ({c.era}-province list)",
                                   column="year", expected="a year with a published value: " + ", ".join(have)
                                   if have else f"another list: none is published in the {c.era}-province list yet")
                items.append(show.paragraph(i18n.t(
                    "explore.year_row", c.lang, year=c.year, unit=t.unit, rank=show.fmt(r["unit_rank"], c.lang),
                    value=rich.span(r["unit_value_lo"], r["unit_value_hi"], c.lang), target=c.target_rank,
                    needed=rich.span(r["needed_lo"], r["needed_hi"], c.lang),
                    gap=rich.span(r["gap_lo"], r["gap_hi"], c.lang))))
            return items + [rich.show(t, c.lang)]

        n = 63 if c.era == 63 else 34
        years = sorted({int(y) for y in self.results.loc[self.results["era"] == c.era, "year"]})
        y0 = max([y for y in years if y < c.year], default=c.year)
        out.append((i18n.t("explore.trend", c.lang), guarded(trend)))
        out.append((i18n.t("explore.change", c.lang, y0=y0, y1=c.year), guarded(change)))
        out.append((i18n.t("explore.target_heading", c.lang, rank=c.target_rank, n=n), guarded(target)))
        return out

    def static_html(self, c: Choice | None = None) -> str:
        """The selection *c* (default: the current one) as one self-contained HTML fragment."""
        parts = ['<div class="dti-explore">']
        for heading, items in self.sections(c):
            parts.append(f"<h3>{_html.escape(heading)}</h3>")
            parts += [_as_html(x) for x in items]
        parts.append("</div>")
        return "".join(parts)

    # ------------------------------------------------------------------------------ the pickers
    def widget(self):
        """The ipywidgets box (built once): pickers on top, three output areas below."""
        if self._box is None:
            self._box = self._build()
        return self._box

    def _build(self):
        import ipywidgets as w

        c = self.choice
        lab = {k: i18n.t(f"explore.{k}", c.lang) for k in ("province", "year", "era", "target", "lang")}
        wide = {"style": {"description_width": "7em"}}
        self.w_era = w.ToggleButtons(options=[("63", 63), ("34", 34)], value=c.era, description=lab["era"], **wide)
        self.w_province = w.Dropdown(options=_provinces(c.era), value=c.province, description=lab["province"], **wide)
        self.w_year = w.Dropdown(options=_years(self.results, c.era), value=c.year, description=lab["year"], **wide)
        self.w_target = w.BoundedIntText(value=c.target_rank, min=1, max=63 if c.era == 63 else 34, step=1,
                                         description=lab["target"], **wide)
        self.w_lang = w.ToggleButtons(options=[("Tiếng Việt", "vi"), ("English", "en")], value=c.lang,
                                      description=lab["lang"], **wide)
        self.outputs = [w.Output() for _ in range(3)]
        self.headings = [w.HTML() for _ in range(3)]
        for x in (self.w_province, self.w_year, self.w_target, self.w_lang):
            x.observe(self._changed, names="value")
        self.w_era.observe(self._era_changed, names="value")
        pickers = w.HBox([w.VBox([self.w_province, self.w_year, self.w_target]), w.VBox([self.w_era, self.w_lang])])
        body = [x for pair in zip(self.headings, self.outputs, strict=True) for x in pair]
        box = w.VBox([pickers, *body])
        box.add_class("dti-explorer")
        self._render()
        return box

    def _era_changed(self, change):
        from ..data.names import index

        era = change["new"]
        ix = index()
        old = self.w_province.value
        try:
            slug = ix.canonical(ix.display_name(old, change["old"]), era)
        except DTIError:
            slug = None
        self._quiet = True          # one redraw after all pickers are set (hold_trait_notifications would
        try:                        # let a Dropdown's options reset its value afterwards)
            opts = _provinces(era)
            self.w_province.options = opts
            self.w_province.value = slug if slug in [s for _, s in opts] else opts[0][1]
            years = _years(self.results, era)
            year = self.choice.year if self.choice.year in years else years[-1]
            self.w_year.options = years
            self.w_year.value = year
            n = 63 if era == 63 else 34
            self.w_target.max = n
            self.w_target.value = min(self.w_target.value, n)
        finally:
            self._quiet = False
        self._changed(None)

    def _changed(self, _change):
        if self._quiet:
            return
        self.choice = replace(self.choice, province=self.w_province.value, year=int(self.w_year.value),
                              era=int(self.w_era.value), target_rank=int(self.w_target.value), lang=self.w_lang.value)
        for key, x in (("province", self.w_province), ("year", self.w_year), ("era", self.w_era),
                       ("target", self.w_target), ("lang", self.w_lang)):
            x.description = i18n.t(f"explore.{key}", self.choice.lang)
        self._render()

    def _render(self):
        from IPython.display import clear_output, display

        for (heading, items), h, out in zip(self.sections(), self.headings, self.outputs, strict=True):
            h.value = f"<h3>{_html.escape(heading)}</h3>"
            with out:
                clear_output(wait=True)
                for x in items:
                    display(x)

    def _repr_mimebundle_(self, include=None, exclude=None):
        """Live pickers where a widget manager runs (JupyterLab); the current selection as HTML elsewhere."""
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude) or {}
        bundle["text/html"] = self.static_html()
        return bundle

    def __repr__(self) -> str:
        return "\n\n".join(f"{h}\n" + "\n".join(repr(x) for x in items if not _is_figure(x))
                           for h, items in self.sections())


def explorer(p) -> Explorer:
    """The explorer of the checked parameters *p* of ``00_explore`` (see :func:`~dtilib.reporting.check`)."""
    from ..data.record import load_record

    record = load_record(p.processed_dir)
    results = record.results
    national = record.averages if record.averages is not None else False
    choice = Choice(province=p.province_slug, year=int(p.year), era=int(p.era), target_rank=int(p.target_rank),
                    target_year=int(p.target_year), lang=p.lang)
    return Explorer(results, national, choice)


def _provinces(era: int) -> list[tuple[str, str]]:
    from ..data.names import index

    ix = index()
    return sorted(((ix.display_name(s, era), s) for s in ix.slugs(era)), key=lambda x: i18n.fold(x[0]).lower())


def _years(results, era: int) -> list[int]:
    return sorted({int(y) for y in results.loc[results["era"] == era, "year"]})


def _message(text: str) -> show.HTML:
    """A warning in the output area (styled inline: JupyterLab has no report stylesheet)."""
    return show.HTML('<div class="dti-warning" style="border-left:4px solid #d9822b;background:#fff4e5;'
                     f'padding:6px 10px;margin:4px 0">{_html.escape(text)}</div>', text)


def _is_figure(x) -> bool:
    return hasattr(x, "savefig")


def _as_html(x) -> str:
    if _is_figure(x):
        buf = io.BytesIO()
        x.savefig(buf, format="png", dpi=100, bbox_inches="tight")
        data = base64.b64encode(buf.getvalue()).decode("ascii")
        return f'<img alt="" src="data:image/png;base64,{data}">'
    return x._repr_html_()


__all__ = ["Choice", "Explorer", "explorer"]
