"""Figures for notebooks and reports: every function returns a matplotlib ``Figure`` (never shows it).

One style (:func:`style`, seaborn "whitegrid", DejaVu Sans — it has the Vietnamese diacritics),
titles and labels in Vietnamese by default (``lang="en"`` for English), numbers in the language's
convention (``0,5032`` / ``0.5032``), and under every figure a note with the source and framework(s).

* :func:`plot_trend` — DTI value (top) and rank (bottom) per year; the line is **broken** at every
  methodology change and at the 63→34 reorganisation (a gap, a dotted vertical marker and a label),
  and missing years are gaps (never interpolated).
* :func:`plot_bump` — rank bump chart of a peer group, broken the same way.
* :func:`plot_gaps` — waterfall from the maximum to the points achieved, one step per group, coloured
  by the kind of the lost points (cheap step / slope / peer-dependent / parts); or ``kind="bars"``.
* :func:`plot_profile` — main-indicator profile of a unit against its peers (value or percentile).
* :func:`plot_distribution`, :func:`plot_regions` — one year's ranking: values and ranks, ranks by region.
* :func:`plot_actions`, :func:`plot_rank_distribution` — the effort planner's candidate actions (points
  against cost, the chosen ones circled) and the simulated rank's distribution.
* :func:`plot_outlook` — the 34 provinces' outlook per scenario.

Every figure of the notebooks comes from here: a new plot has this one home.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .trends import framework_label

PALETTE = {"unit": "#1f5fa8", "avg": "#8c8c8c", "break": "#b2182b", "step": "#2c7fb8", "ratio": "#f28e2b",
           "peer": "#7b3294", "parts": "#e377c2", "unknown": "#bab0ac", "achieved": "#4e9a6b"}
KIND_ORDER = ("step", "ratio", "peer", "parts")


def style(apply: bool = False) -> dict:
    """The project's matplotlib rc settings (seaborn whitegrid + DejaVu Sans); ``apply=True`` sets them
    globally (e.g. at the top of a notebook), otherwise the plotting functions use them locally."""
    import seaborn as sns

    rc = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("notebook", font_scale=0.95))
    rc.update({"font.family": "DejaVu Sans", "axes.titleweight": "bold", "axes.titlesize": 12.5,
               "axes.labelsize": 10.5, "legend.fontsize": 9, "legend.frameon": False,
               "figure.dpi": 100, "savefig.dpi": 150, "savefig.bbox": "tight",
               "axes.spines.right": False, "axes.spines.top": False})
    if apply:
        import matplotlib as mpl

        mpl.rcParams.update(rc)
    return rc


def _fmt(lang: str, decimals: int):
    from matplotlib.ticker import FuncFormatter

    from ..i18n import fmt_number

    return FuncFormatter(lambda x, _pos: fmt_number(x, lang, decimals))


def _note(fig, text: str, y: float = 0.005) -> None:
    import textwrap

    fig.text(0.01, y, "\n".join(textwrap.wrap(text, 150)), ha="left", va="bottom", fontsize=7.6, color="#444444")


def _once(fig):
    """*fig*, closed in pyplot: Jupyter shows a returned figure once (not also as a leftover open figure);
    ``fig.savefig`` and ``display(fig)`` still work."""
    import matplotlib.pyplot as plt

    plt.close(fig)
    return fig


def _title(ax, text: str, **kw) -> None:
    """A title wrapped to the axes (long Vietnamese titles are not cut at the figure's edge)."""
    import textwrap

    ax.set_title("\n".join(textwrap.wrap(text, 72)), **{"pad": 16, **kw})   # room for the break labels


def _segments(t: pd.DataFrame) -> list[pd.DataFrame]:
    """Split a trend table into runs without a break (a new run starts at every flagged step)."""
    runs, cur = [], []
    for i, r in t.reset_index(drop=True).iterrows():
        if i and r["break"]:
            runs.append(pd.DataFrame(cur))
            cur = []
        cur.append(r)
    if cur:
        runs.append(pd.DataFrame(cur))
    return runs


def _x(t: pd.DataFrame) -> np.ndarray:
    """x position: the year; the 34-list row of a year that also has a 63-list row is shifted right."""
    x = t["year"].astype(float).to_numpy().copy()
    both = t.groupby("year")["era"].transform("nunique") > 1
    x[(both & (t["era"] == 34)).to_numpy()] += 0.3
    return x


def plot_trend(trend_table: pd.DataFrame, *, lang: str = "vi", title: str | None = None,
               source: str | None = None):
    """Value and rank of a :func:`~dtilib.analysis.trends.trend` table; returns the Figure."""
    import matplotlib.pyplot as plt

    from ..errors import ParameterError
    from ..i18n import check_lang
    from ..i18n import t as label

    check_lang(lang)
    if trend_table is None or len(trend_table) == 0:
        raise ParameterError("empty trend table", expected="the result of dtilib.analysis.trend(…)")
    tt = trend_table.reset_index(drop=True).copy()
    tt["x"] = _x(tt)
    tt["rank_f"] = tt["rank"].astype("Float64").astype(float)
    with plt.rc_context(style()):
        fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(9, 6.4), sharex=True, height_ratios=[3, 2])
        _draw_unit(ax1, ax2, tt, lang)
        _draw_average(ax1, tt, lang)
        _draw_breaks(ax1, ax2, tt, lang)
        ax1.set_ylabel(label("analysis.value_axis", lang))
        ax1.yaxis.set_major_formatter(_fmt(lang, 2))
        vmax = np.nanmax(np.r_[tt["value"].to_numpy(dtype=float), tt["provincial_avg"].to_numpy(dtype=float), 0.1])
        ax1.set_ylim(0, min(1.0, vmax * 1.25))
        ax2.set_ylabel(label("analysis.rank_axis", lang))
        n = int(tt["rank_of"].max())
        ax2.set_ylim(n + 4, -2)
        years = sorted(tt["year"].unique())
        ax2.set_xticks(years, [str(y) for y in years])
        ax2.set_xlim(min(years) - 0.5, max(years) + 0.7)
        unit = str(tt["unit"].iloc[0])
        units = list(dict.fromkeys(tt["unit"]))
        _title(ax1, title or label("analysis.trend_title", lang, unit=" → ".join(units)))
        fig.tight_layout(rect=(0, 0.09, 1, 1))
        _note(fig, _trend_note(tt, lang, source))
        fig.unit = unit
    return _once(fig)


def _draw_unit(ax1, ax2, tt: pd.DataFrame, lang: str) -> None:
    """The unit's values (top) and ranks (bottom), one line per run without a break, each point labelled;
    a rank not printed is the interval the published values allow, as a bar."""
    from ..i18n import fmt_int

    for seg in _segments(tt):
        for era, g in seg.groupby("era", sort=False):
            mk = "o" if era == 63 else "D"
            ax1.plot(g["x"], g["value"], marker=mk, color=PALETTE["unit"], lw=2, ms=6)
            ax2.plot(g["x"], g["rank_f"], marker=mk, color=PALETTE["unit"], lw=2, ms=6)
    for _, r in tt.iterrows():
        if not pd.isna(r["value"]):
            ax1.annotate(_num(r["value"], lang), (r["x"], r["value"]), textcoords="offset points",
                         xytext=(0, 7), ha="center", fontsize=8.5)
        if not pd.isna(r["rank_f"]):
            ax2.annotate(f"{fmt_int(r['rank_f'], lang)}/{int(r['rank_of'])}", (r["x"], r["rank_f"]),
                         textcoords="offset points", xytext=(0, -13), ha="center", fontsize=8.5)
        elif not pd.isna(r.get("rank_low", pd.NA)) and not pd.isna(r.get("rank_high", pd.NA)):
            # rank not printed: the interval the published values allow, as a bar (no point is invented)
            lo, hi = float(r["rank_low"]), float(r["rank_high"])
            ax2.vlines(r["x"], lo, hi, color=PALETTE["unit"], lw=5, alpha=0.35)
            ax2.annotate(f"{int(lo)}–{int(hi)}/{int(r['rank_of'])}", (r["x"], hi), textcoords="offset points",
                         xytext=(0, -13), ha="center", fontsize=8.5)


def _draw_average(ax, tt: pd.DataFrame, lang: str) -> None:
    """The published provincial average: a year without one is a gap; broken at framework changes."""
    from ..i18n import t as label

    avg = tt.drop_duplicates("year")[["year", "framework", "provincial_avg"]].reset_index(drop=True)
    if avg["provincial_avg"].notna().any():
        first = True
        for _, seg in avg.groupby((avg["framework"] != avg["framework"].shift()).cumsum()):
            ax.plot(seg["year"].astype(float), seg["provincial_avg"], ls="--", marker=".", color=PALETTE["avg"],
                    lw=1.3, label=label("analysis.provincial_avg", lang) if first else None)
            first = False
        ax.legend(loc="best", framealpha=0.9)          # where it covers the fewest points


def _draw_breaks(ax1, ax2, tt: pd.DataFrame, lang: str) -> None:
    """A dotted vertical marker between the two rows of every flagged step, with the break's name above."""
    from ..i18n import t as label

    marks = []
    for i in range(1, len(tt)):
        b = tt.at[i, "break"]
        if not b:
            continue
        xb = (tt.at[i - 1, "x"] + tt.at[i, "x"]) / 2
        text = " + ".join(label("analysis.method_break" if part.strip().startswith("method") else
                                "analysis.reorg_break", lang) for part in b.split(";"))
        for ax in (ax1, ax2):
            ax.axvline(xb, color=PALETTE["break"], ls=":", lw=1.4)
        marks.append([xb, text, "center"])
    for a, b in zip(marks, marks[1:], strict=False):
        if b[0] - a[0] < 0.8:            # two breaks close together (2024: a new framework, then the 34 list)
            a[2], b[2] = "right", "left"  # names on either side of the pair, not over each other
    for xb, text, ha in marks:
        # above the plot area (never on the data, never clipped): the break's name over its line
        ax1.text(xb, 1.01, text, transform=ax1.get_xaxis_transform(), rotation=0,
                 va="bottom", ha=ha, fontsize=7.4, color=PALETTE["break"], clip_on=False)


def _trend_note(tt: pd.DataFrame, lang: str, source: str | None) -> str:
    """The note under a trend figure: source and frameworks, breaks, missing years, the 34-list marker."""
    from ..i18n import t as label

    missing = sorted({int(y) for y in tt.loc[tt["value"].isna() & tt["rank"].isna(), "year"]})
    fws = ", ".join(dict.fromkeys(framework_label(f) for f in tt["framework"]))
    parts = [label("analysis.source_note", lang, source=source or label("analysis.source_published", lang),
                   frameworks=fws), label("analysis.breaks_note", lang)]
    if missing:
        parts.append(label("analysis.missing_note", lang, years=", ".join(map(str, missing))) + ".")
    if (tt["era"] == 34).any():
        parts.append(label("analysis.list34_marker", lang))
    return " ".join(parts)


def _num(v, lang, decimals=4):
    from ..i18n import fmt_number

    return fmt_number(v, lang, decimals)


def plot_bump(results: pd.DataFrame, units: list[str], *, years: list[int] | None = None, era: int = 63,
              lang: str = "vi", highlight: str | None = None, title: str | None = None):
    """Rank bump chart of *units* over *years* (published ranks only; gaps where not published;
    broken at methodology changes).  *highlight*: a unit drawn thicker."""
    import matplotlib.pyplot as plt

    from ..errors import ParameterError
    from ..i18n import check_lang
    from ..i18n import t as label
    from .frames import resolve_unit, results_of, unit_name

    check_lang(lang)
    res = results_of(results)
    if not units:
        raise ParameterError("no units given", column="units", expected="a list of province names")
    d = res[(res["era"] == era) & (res["origin"] == "published")]
    years = sorted(d["year"].unique()) if years is None else sorted(years)
    fw = {int(y): str(g["framework"].mode().iloc[0]) for y, g in res[res["era"] == era].groupby("year")}
    slugs = []
    for u in units:
        who = resolve_unit(u, res)
        s = who["slug63"] if era == 63 else who["slug34"]
        if s is None:
            raise ParameterError(f"'{u}' is not a unit of the {era}-province list", column="units")
        slugs.append(s)
    hl = None
    if highlight is not None:
        w = resolve_unit(highlight, res)
        hl = w["slug63"] if era == 63 else w["slug34"]
    import seaborn as sns

    colors = sns.color_palette("tab10", n_colors=max(3, len(slugs)))
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(9, 5.8))
        for c, s in zip(colors, slugs, strict=False):
            g = d[d["unit_slug"] == s].set_index("year")["rank"]
            ranks = np.array([float(g[y]) if y in g.index and pd.notna(g[y]) else np.nan for y in years])
            lw = 3.2 if s == hl else 1.8
            # segments: consecutive years of the same framework
            start = 0
            for i in range(1, len(years) + 1):
                if i == len(years) or fw.get(years[i]) != fw.get(years[i - 1]):
                    ax.plot(years[start:i], ranks[start:i], marker="o", color=c, lw=lw, ms=6)
                    start = i
            known = np.flatnonzero(~np.isnan(ranks))
            if len(known):
                j = known[-1]
                ax.annotate(unit_name(s, era, lang, res), (years[j], ranks[j]), textcoords="offset points",
                            xytext=(8, 0), va="center", fontsize=9, color=c,
                            fontweight="bold" if s == hl else "normal")
        for i in range(1, len(years)):
            if fw.get(years[i]) != fw.get(years[i - 1]):
                xb = (years[i] + years[i - 1]) / 2
                ax.axvline(xb, color=PALETTE["break"], ls=":", lw=1.4)
                ax.text(xb, 0.01, label("analysis.method_break", lang), transform=ax.get_xaxis_transform(),
                        rotation=90, va="bottom", ha="right", fontsize=7.8, color=PALETTE["break"])
        n = int(d["rank_of"].max()) if len(d) else era
        ax.set_ylim(n + 2, 0)
        ax.set_xticks(years, [str(y) for y in years])
        ax.set_xlim(min(years) - 0.4, max(years) + 1.1)
        ax.set_ylabel(label("analysis.rank_axis", lang))
        _title(ax, title or label("analysis.bump_title", lang))
        fws = ", ".join(dict.fromkeys(framework_label(fw[y]) for y in years if y in fw))
        fig.tight_layout(rect=(0, 0.08, 1, 1))
        _note(fig, label("analysis.source_note", lang, source=label("analysis.source_published", lang), frameworks=fws)
              + " " + label("analysis.breaks_note", lang) + " "
              + ("Điểm trống = chưa công bố hạng." if lang == "vi" else "Gaps = rank not published."))
    return _once(fig)


#: at most this many groups are drawn as steps of the gap figures; the rest are summed into one step
MAX_GAP_STEPS = 12
NOT_SCORED = {"facecolor": "white", "edgecolor": "#7f7f7f", "hatch": "////"}


def plot_gaps(g, *, lang: str = "vi", kind: str = "waterfall", title: str | None = None):
    """Waterfall (default) from the maximum to the points achieved, one step per scored group, each step
    split by the kind of the lost points and the points not scored (hatched), so the steps add up from the
    maximum to the points achieved; ``kind="bars"``: achieved, lost and not scored per group.  *g*: a
    :class:`~dtilib.analysis.gaps.Gaps`.  A framework whose total is unknown starts from the points scored
    on; more than :data:`MAX_GAP_STEPS` groups: the largest, then the others summed — the figure keeps its
    size whatever the framework."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from ..errors import ParameterError
    from ..i18n import check_lang
    from ..i18n import t as label

    check_lang(lang)
    if kind not in ("waterfall", "bars"):
        raise ParameterError(f"unknown kind '{kind}'", column="kind", expected="'waterfall' or 'bars'")
    groups = _gap_steps(g.groups[g.groups["scored"]].reset_index(drop=True), lang)
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(10, 5.8))
        (_waterfall if kind == "waterfall" else _bars)(ax, groups, g.total, lang)
        handles = [Patch(color=PALETTE["achieved"], label=label("analysis.achieved", lang))] + [
            Patch(color=PALETTE[k], label=label("analysis.lost", lang) + ": " + label(f"analysis.kind.{k}", lang))
            for k in (*KIND_ORDER, "unknown") if (groups[f"lost_{k}"].fillna(0) > 0).any()]
        if (groups["not_scored"].fillna(0) > 0).any():
            handles.append(Patch(**NOT_SCORED, label=label("analysis.not_scored", lang)))
        if kind == "waterfall":   # the empty area under the descending steps
            ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.04), fontsize=8.3, frameon=True,
                      facecolor="white", edgecolor="#dddddd")
        else:
            ax.legend(handles=handles, loc="lower right", fontsize=8.3, frameon=True, facecolor="white",
                      edgecolor="#dddddd")
        unit = g.unit + (f" ({label('analysis.illustrative', lang).lower()})" if g.illustrative else "")
        heading = title or label("analysis.gap_title", lang, unit=unit)
        _title(ax, heading)
        fig.tight_layout(rect=(0, 0.08, 1, 1))
        note = _gaps_note(g, lang)
        _note(fig, note)
        fig.dti_alt = f"{label('analysis.gap_title', lang, unit=unit)}. {note}"
    return _once(fig)


def _gap_steps(groups: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The scored groups as steps: all of them, or the :data:`MAX_GAP_STEPS` − 1 losing the most points
    (lost and not scored) and one step summing the others."""
    from ..i18n import t as label

    if len(groups) <= MAX_GAP_STEPS:
        return groups
    gone = groups["lost"].fillna(0) + groups["not_scored"].fillna(0)
    order = gone.sort_values(ascending=False, kind="stable").index
    keep, rest = groups.loc[order[:MAX_GAP_STEPS - 1]], groups.loc[order[MAX_GAP_STEPS - 1:]]
    summed = {c: rest[c].sum(min_count=1) for c in ("max_points", "scored_on", "achieved", "lost", "not_scored",
                                                   *[f"lost_{k}" for k in (*KIND_ORDER, "unknown")])}
    other = {**summed, "indicator": "", "name": label("analysis.other_groups", lang, n=len(rest)), "scored": True}
    return pd.concat([keep, pd.DataFrame([other])], ignore_index=True)


def _waterfall(ax, groups: pd.DataFrame, tot: dict, lang: str) -> None:
    """From the maximum (or, unknown, the points scored on) down to the points achieved, one step per group
    split by the kind of its lost points, then its points not scored (hatched)."""
    from ..i18n import fmt_number
    from ..i18n import t as label

    known = not pd.isna(tot["max_points"])
    start = tot["max_points"] if known else tot["scored_on"]
    names = ([label("max_points" if known else "analysis.scored_on", lang)] + list(groups["name"])
             + [label("analysis.achieved", lang)])
    x = np.arange(len(names))
    ax.bar(0, start, color="#d9d9d9", edgecolor="#666666")
    ax.text(0, start, fmt_number(start, lang, 0 if float(start).is_integer() else 2), ha="center", va="bottom",
            fontsize=8.5)
    level = start
    for i, r in groups.iterrows():
        lost = 0.0 if pd.isna(r["lost"]) else float(r["lost"])
        not_scored = 0.0 if not known or pd.isna(r["not_scored"]) else float(r["not_scored"])
        bottom = level - lost - not_scored
        y = bottom
        for k in (*KIND_ORDER, "unknown"):
            v = r[f"lost_{k}"]
            if v and v > 0:
                ax.bar(i + 1, v, bottom=y, color=PALETTE[k], edgecolor="white", lw=0.5)
                y += v
        if not_scored > 0:
            ax.bar(i + 1, not_scored, bottom=y, lw=0.5, **NOT_SCORED)
        text = "−" + fmt_number(lost, lang, 2) if not pd.isna(r["lost"]) else ""
        if not_scored > 0:
            text += "\n" + label("analysis.not_scored_short", lang, z=fmt_number(not_scored, lang, 2))
        if text:
            ax.text(i + 1, level, text.strip(), ha="center", va="bottom", fontsize=8)
        ax.plot([i + 0.6, i + 1.4], [level, level], color="#666666", lw=0.8)
        level = bottom
    ax.bar(len(names) - 1, tot["achieved"], color=PALETTE["achieved"], edgecolor="#666666")
    ax.text(len(names) - 1, tot["achieved"], fmt_number(tot["achieved"], lang, 2), ha="center", va="bottom",
            fontsize=9, fontweight="bold")
    ax.set_xticks(x, names, rotation=30, ha="right", fontsize=8.8)
    ax.set_ylabel(label("points", lang))
    ax.yaxis.set_major_formatter(_fmt(lang, 0))
    ax.set_ylim(0, max(float(start), float(tot["achieved"]), 1.0) * 1.12)


def _bars(ax, groups: pd.DataFrame, tot: dict, lang: str) -> None:
    """Achieved, lost (by kind) and not scored (hatched) points per group, as horizontal bars."""
    from ..i18n import fmt_number
    from ..i18n import t as label

    y = np.arange(len(groups))[::-1]
    ax.barh(y, groups["achieved"], color=PALETTE["achieved"], label=label("analysis.achieved", lang))
    left = groups["achieved"].to_numpy(dtype=float).copy()
    for k in (*KIND_ORDER, "unknown"):
        v = groups[f"lost_{k}"].to_numpy(dtype=float)
        ax.barh(y, v, left=left, color=PALETTE[k])
        left = left + np.nan_to_num(v)
    ax.barh(y, np.nan_to_num(groups["not_scored"].to_numpy(dtype=float)), left=left, lw=0.5, **NOT_SCORED)
    top = groups["max_points"].where(groups["max_points"].notna(), groups["scored_on"])
    for yi, (_, r), end in zip(y, groups.iterrows(), top, strict=True):
        of = fmt_number(r["max_points"], lang, 0, missing="?")
        ax.text(end, yi, f"  {fmt_number(r['achieved'], lang, 2)}/{of}", va="center", fontsize=8.5)
    ax.set_yticks(y, groups["name"])
    ax.set_xlabel(label("points", lang))
    ax.xaxis.set_major_formatter(_fmt(lang, 0))
    ax.set_xlim(0, max(float(top.max()), 1.0) * 1.3)


def _gaps_note(g, lang: str) -> str:
    """The note under a gap figure: the totals and counts (and the points not scored, or the framework's
    total being unknown), the source and the framework."""
    from ..i18n import fmt_number
    from ..i18n import t as label

    tot = g.total
    parts = [f"{label('analysis.total', lang)}: {fmt_number(tot['achieved'], lang, 2)}/"
             f"{fmt_number(tot['max_points'], lang, 0, missing='?')}"]
    if pd.isna(tot["max_points"]):
        parts.append(label("analysis.max_unknown", lang, x=fmt_number(tot["scored_on"], lang, 0)))
    elif tot.get("not_scored", 0) > 1e-9:
        parts.append(label("analysis.not_scored_short", lang, z=fmt_number(tot["not_scored"], lang, 2)))
    counts = "; ".join(parts) + "; " + label("analysis.gap_counts", lang, **{
        k: "?" if pd.isna(tot[k]) else tot[k] for k in ("n", "n_full", "n_zero", "n_partial")})
    src = ("dữ liệu chỉ số thành phần của đơn vị" if lang == "vi" else "the unit's sub-indicator data")
    if g.illustrative:
        src = label("analysis.illustrative", lang) + " — " + src
    return counts + " " + label("analysis.source_note", lang, source=src, frameworks=framework_label(g.framework))


def plot_profile(profile: pd.DataFrame, *, lang: str = "vi", measure: str = "auto", title: str | None = None):
    """Main-indicator profile (:func:`~dtilib.analysis.peers.indicator_profile`) against the peers.

    *measure*: ``"value"`` (0..1 values, peer mean and range), ``"percentile"`` (from the published
    main-indicator ranks; a comparability aid) or ``"auto"`` (values when the unit has most of them)."""
    import matplotlib.pyplot as plt

    from ..errors import ParameterError
    from ..i18n import check_lang
    from ..i18n import t as label

    check_lang(lang)
    if measure not in ("auto", "value", "percentile"):
        raise ParameterError(f"unknown measure '{measure}'", column="measure", expected="auto, value or percentile")
    p = profile.reset_index(drop=True)
    if measure == "auto":
        measure = "value" if p["value"].notna().sum() >= max(1, len(p) / 2) else "percentile"
    unit = p.attrs.get("unit", "")
    year = p.attrs.get("year", "")
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(9, 0.55 * len(p) + 2.2))
        y = np.arange(len(p))[::-1]
        if measure == "value":
            mine, mean, npeer = p["value"], p["peer_mean"], p["n_peers_with_value"]
            ax.hlines(y, p["peer_min"], p["peer_max"], color="#bbbbbb", lw=6, label=label("analysis.peer_range", lang))
            xlabel = label("analysis.profile_axis", lang)
        else:
            mine, mean, npeer = p["percentile"], p["peer_percentile_mean"], p["n_peers_with_rank"]
            xlabel = ("Phân vị theo hạng (1 = đứng đầu; hỗ trợ so sánh)" if lang == "vi"
                      else "Percentile from rank (1 = first; comparability aid)")
        ax.scatter(mean, y, marker="|", s=260, lw=2.5, color=PALETTE["avg"],
                   label=label("analysis.peer_mean", lang, n="n").replace("(n ", "(").replace("(n", "("))
        ax.scatter(mine, y, s=70, color=PALETTE["unit"], zorder=3, label=unit)
        for yi, v, r in zip(y, mine, p.get("rank", pd.Series([pd.NA] * len(p))), strict=False):
            if not pd.isna(v):
                txt = _num(v, lang, 2 if measure == "percentile" else 4)
                if measure == "percentile" and not pd.isna(r):
                    txt += f" ({'hạng' if lang == 'vi' else 'rank'} {int(r)})"
                ax.annotate(txt, (v, yi), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8)
        names = [f"{n}  [{k}]" for n, k in zip(p["name"], npeer, strict=True)]
        ax.set_yticks(y, names)
        ax.set_xlim(-0.02, 1.05)
        ax.xaxis.set_major_formatter(_fmt(lang, 1))
        ax.set_xlabel(xlabel)
        ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3, fontsize=8.5)
        _title(ax, title or label("analysis.profile_title", lang, year=year, unit=unit), pad=26)
        fig.tight_layout(rect=(0, 0.1, 1, 1))
        expl = ("[n] = số tỉnh trong nhóm so sánh có số liệu công bố; tỉnh không có số liệu không được tính (không "
                "điền bù)." if lang == "vi" else
                "[n] = peers with a published figure; peers without one are left out (nothing is filled).")
        _note(fig, expl + " " + label("analysis.source_note", lang, source=label("analysis.source_published", lang),
                                      frameworks=framework_label(p.attrs.get("framework", ""))))
    return _once(fig)


def plot_distribution(pos: pd.DataFrame, *, average: float | None = None, lang: str = "vi"):
    """One year's ranking (:func:`~dtilib.analysis.ranking.positions`): the histogram of the published
    values (with the published provincial *average* as a dashed line) and value against rank, where a
    rank whose value was not published shows the interval its neighbours allow (nothing invented)."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    from ..i18n import check_lang
    from ..i18n import t as label

    check_lang(lang)
    published = pos[pos["kind"].isin(["published", "rounded", "derived"])]
    bounded = pos[pos["kind"] == "bounded"]
    with plt.rc_context(style()):
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
        ax1.hist(published["value"], bins=min(10, max(3, len(published))), color=PALETTE["unit"], alpha=0.85)
        if average is not None and not pd.isna(average):
            ax1.axvline(average, color=PALETTE["break"], linestyle="--", label=label("analysis.avg_published", lang))
            ax1.legend()
        ax1.set_xlabel(label("dti_value", lang))
        ax1.set_ylabel(label("analysis.n_provinces", lang))
        ax1.yaxis.set_major_locator(MaxNLocator(integer=True))      # a count of provinces: no 2.5
        ax1.xaxis.set_major_formatter(_fmt(lang, 2))
        ax2.scatter(published["rank"], published["value"], color=PALETTE["unit"], zorder=3)
        ax2.vlines(bounded["rank"], bounded["lo"], bounded["hi"], color=PALETTE["unknown"], linewidth=1,
                   label=label("analysis.value_range", lang))
        ax2.set_xlabel(label("rank", lang))
        ax2.set_ylabel(label("dti_value", lang))
        ax2.yaxis.set_major_formatter(_fmt(lang, 2))
        if len(bounded):
            ax2.legend(loc="upper right")
        fig.tight_layout()
    return _once(fig)


def plot_regions(pos: pd.DataFrame, *, lang: str = "vi"):
    """The ranks of the listed units per region, one row per region in the order of
    :func:`~dtilib.analysis.peers.region_summary` (best median rank first); *pos* is a ranking with a
    ``region`` column (:func:`~dtilib.analysis.peers.add_region`, or the regions' display names)."""
    import matplotlib.pyplot as plt

    from ..i18n import check_lang
    from ..i18n import t as label
    from .peers import region_summary

    check_lang(lang)
    order = list(region_summary(pos)["region"].fillna("—"))
    listed = pos[pos["listed"]]
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(9, 3.4))
        for i, r in enumerate(order):
            ranks = listed[listed["region"].fillna("—") == r]["rank"]
            ax.scatter(ranks, [i] * len(ranks), color=PALETTE["unit"], alpha=0.7)
        ax.set_yticks(range(len(order)), [o if len(o) < 40 else o[:38] + "…" for o in order])
        ax.set_xlabel(label("rank", lang))
        ax.invert_yaxis()
        fig.tight_layout()
    return _once(fig)


#: the colour of each rule type in :func:`plot_actions` (in legend order; a rule type not listed here gets
#: a colour of its own after them)
RULE_COLOURS = {"binary": "#0b5394", "tiered": "#3d85c6", "count_steps": "#6fa8dc", "linear": "#e69138",
                "linear_capped": "#f6b26b", "all_or_nothing": "#cc4125", "min_max": "#6aa84f", "points": "#674ea7"}


def plot_actions(actions: pd.DataFrame, chosen=(), *, lang: str = "vi", illustrative: bool = False):
    """Points gained against likely cost of every candidate action (``rule``, ``cost_likely``, ``gain``,
    ``action_id``; :func:`dtilib.effort.effort_for`), coloured by rule type; the *chosen* action ids
    (e.g. a plan's ``chosen["action_id"]``) circled.  Cost on a symmetric log scale."""
    import matplotlib.pyplot as plt

    from ..i18n import check_lang
    from ..i18n import t as label

    check_lang(lang)
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(8, 3.8))
        added = [r for r in dict.fromkeys(actions["rule"]) if r not in RULE_COLOURS]   # a rule type added later
        colours = {**RULE_COLOURS, **{r: plt.get_cmap("Dark2")(i % 8) for i, r in enumerate(added)}}
        for rule, colour in colours.items():
            d = actions[actions["rule"] == rule]
            if len(d):
                ax.scatter(d["cost_likely"], d["gain"], label=label(f"rule.{rule}", lang), color=colour, alpha=0.8,
                           s=22)
        mine = actions["action_id"].isin(list(chosen))
        ax.scatter(actions.loc[mine, "cost_likely"], actions.loc[mine, "gain"], facecolors="none",
                   edgecolors="black", s=70, label=label("analysis.chosen", lang))
        ax.set_xscale("symlog", linthresh=10)
        ax.set_xlabel(label("analysis.cost_likely", lang) + " (log)")
        ax.set_ylabel(label("analysis.points_gained", lang))
        ax.legend(fontsize=8, ncol=2)
        ax.set_title(label("analysis.actions_title", lang)
                     + (" — " + label("analysis.illustrative_short", lang) if illustrative else ""))
        fig.tight_layout()
    return _once(fig)


def plot_rank_distribution(dist: pd.DataFrame, *, lang: str = "vi"):
    """The probability of each rank (``rank``, ``probability``: e.g. ``simulate_rank(…).table()``) as bars."""
    import matplotlib.pyplot as plt

    from ..i18n import check_lang, fmt_percent
    from ..i18n import t as label

    check_lang(lang)
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.bar(dist["rank"].astype(str), dist["probability"], color=PALETTE["unit"])
        ax.set_xlabel(label("rank", lang))
        ax.set_ylabel(label("analysis.probability", lang))
        ax.yaxis.set_major_formatter(_fmt(lang, 2))
        fig.tight_layout()
        fig.dti_alt = label("analysis.rank_dist_alt", lang, ranks="; ".join(
            f"{r}: {fmt_percent(p, lang)}" for r, p in zip(dist["rank"], dist["probability"], strict=True)))
    return _once(fig)


def plot_outlook(o34: pd.DataFrame, default: str, *, year: int, highlight: str | None = None, lang: str = "vi"):
    """The outlook of every unit (:func:`~dtilib.analysis.outlook.outlook_34`): per unit, the span of
    the scenarios' bands, a tick per scenario's estimate and a dot for the *default* scenario's; units
    ordered by the default estimate (highest on top); *highlight*: a unit slug drawn in another colour."""
    import matplotlib.pyplot as plt

    from ..i18n import check_lang
    from ..i18n import t as label

    check_lang(lang)
    order = o34[o34["scenario"] == default].set_index("slug")["estimate"].sort_values(ascending=False).index
    with plt.rc_context(style()):
        fig, ax = plt.subplots(figsize=(8, 9))
        ys = np.arange(len(order))[::-1]
        for y, slug in zip(ys, order, strict=True):
            g = o34[(o34["slug"] == slug) & o34["estimate"].notna()]
            ax.hlines(y, g["lo"].min(), g["hi"].max(), color="#fdae6b" if slug == highlight else "#9ecae1", lw=6)
            ax.plot(g["estimate"], [y] * len(g), "|", color="#08519c", ms=10)
            d = g[g["scenario"] == default]
            ax.plot(d["estimate"], [y] * len(d), "o", color="#08519c", ms=5)
        ax.set_yticks(ys)
        ax.set_yticklabels(o34.drop_duplicates("slug").set_index("slug").loc[order, "province"])
        ax.set_xlabel(label("analysis.outlook_axis", lang, year=year))
        ax.xaxis.set_major_formatter(_fmt(lang, 2))
        fig.tight_layout()
    return _once(fig)


def save(fig, path) -> str:
    """Save *fig* atomically (:func:`dtilib.io.atomic_path`) in the format its extension names
    (``.png``, ``.svg`` or ``.pdf``) and return the path."""
    from ..io import FIGURE_FORMATS, atomic_path, check_output

    fmt = check_output(path, formats=FIGURE_FORMATS, option="--plot").suffix.lower()
    with atomic_path(path, suffix=fmt) as tmp:
        fig.savefig(tmp, format=fmt[1:], dpi=150, bbox_inches="tight")
    return str(path)
