"""Distance to a target rank: "what value would have reached rank 45/63?" (Lai Châu, seed 004).

Three answers, kept apart:

1. **From the published distributions** (:func:`value_needed`): for every year, the value of the
   unit then ranked *k* among the others — published, printed rounded (an interval), or, when not
   published, **bounded** by the nearest published values above and below (the basis says which).
   The gap to the unit's own value is given in DTI (0..1) and in framework points (× ``total_points``
   of that year's framework; unknown for 405, whose points are not published).

2. **The outlook** (:func:`project_rank_value`): the rank-*k* value of the latest list (interpolated
   between its published neighbours when not published) carried to the target year under each growth
   scenario of :mod:`dtilib.analysis.outlook` (persistence, provincial-average growth, recent paired
   changes), each with its standard error, capped to [0, 1] — a range of scenarios, with the
   backtest's errors beside it.  The default scenario is the one the backtest marks ``default``
   (never worse than persistence on the record).

3. **By rank** (:func:`rank_gain`): the share of the observed rank changes over the same number of
   years that gained at least the places needed — from the provinces whose ranks were published, which
   chose to publish (not a random sample).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import Note, note_text
from .frames import framework_total_points, national_of, resolve_unit, unit_name
from .outlook import _checked
from .ranking import positions, unit_interval, value_for_rank


def _years(res: pd.DataFrame, era: int) -> list[int]:
    return sorted(int(y) for y in res.loc[(res["era"] == era) & (res["origin"] == "published"), "year"].unique())


def value_needed(results: pd.DataFrame | None, unit: str | None, target_rank: int, *, era: int = 63,
                 years: list[int] | None = None) -> pd.DataFrame:
    """Per year: the value needed for *target_rank* and the unit's gap to it (see the module doc).

    Columns: ``year, framework, rank_of, target_rank, needed_lo, needed_hi, needed_kind, basis (a Note),
    unit_rank, unit_value_lo, unit_value_hi, gap_lo, gap_hi, total_points, gap_points_lo,
    gap_points_hi, reached``.  *unit* may be ``None`` (the value of rank *k* itself).
    """
    res = _checked(results)
    slug = None
    if unit is not None:
        who = resolve_unit(unit, res)
        slug = who["slug63"] if era == 63 else who["slug34"]
        if slug is None:
            raise ParameterError(f"'{unit}' is not a unit of the {era}-province list", column="province",
                                 expected=f"a province of the {era}-province list")
    rows = []
    for y in years or _years(res, era):
        pos = positions(res, y, era)
        n = int(pos["rank_of"].iloc[0])
        if not 1 <= int(target_rank) <= n:
            raise ParameterError(f"target rank {target_rank} is outside 1..{n} ({y}, era {era})", column="rank",
                                 expected=f"a rank between 1 and {n}")
        need = value_for_rank(pos, int(target_rank), exclude=slug)
        fw = str(res.loc[(res["year"] == y) & (res["era"] == era), "framework"].mode().iloc[0])
        tp = framework_total_points(fw)
        lo, hi, r = unit_interval(pos, slug) if slug else (np.nan, np.nan, None)
        kind = pos.loc[pos["unit_slug"].fillna("") == slug, "kind"] if slug else pd.Series(dtype=str)
        if len(kind) and kind.iloc[0] == "bounded":    # only the rank is published: no own value
            lo = hi = np.nan
        gap_lo, gap_hi = need["lo"] - hi, need["hi"] - lo
        rows.append({
            "year": int(y), "framework": fw, "rank_of": n, "target_rank": int(target_rank),
            "needed_lo": need["lo"], "needed_hi": need["hi"], "needed_kind": need["kind"], "basis": need["basis"],
            "unit_rank": r, "unit_value_lo": lo, "unit_value_hi": hi, "gap_lo": gap_lo, "gap_hi": gap_hi,
            "total_points": tp,
            "gap_points_lo": gap_lo * tp if tp else np.nan, "gap_points_hi": gap_hi * tp if tp else np.nan,
            "reached": (pd.NA if r is None else bool(r <= int(target_rank))),
        })
    out = pd.DataFrame(rows)
    out["unit_rank"] = out["unit_rank"].astype("Int64")
    out["reached"] = out["reached"].astype("boolean")
    return out


def rank_value_history(results: pd.DataFrame | None, rank: int, *, era: int = 63) -> pd.DataFrame:
    """The rank-*rank* value of each year of *era*: ``year, framework, lo, hi, kind, estimate, estimate_kind,
    n_values`` (``estimate``: published, else interpolated between the published neighbours within
    ``lo..hi`` — :func:`dtilib.analysis.outlook.rank_value`)."""
    from .outlook import rank_value

    res = _checked(results)
    rows = []
    for y in _years(res, era):
        pos = positions(res, y, era)
        need = value_for_rank(pos, int(rank))
        est = rank_value(pos, int(rank))
        fw = str(res.loc[(res["year"] == y) & (res["era"] == era), "framework"].mode().iloc[0])
        rows.append({"year": int(y), "framework": fw, "lo": need["lo"], "hi": need["hi"], "kind": need["kind"],
                     "estimate": est["value"], "estimate_kind": est["kind"], "n_values": est["n_known"]})
    return pd.DataFrame(rows)


@dataclass
class Projection:
    """The rank-*k* value in *year* under every growth scenario (see the module doc)."""

    rank: int
    era: int
    year: int
    origin_year: int
    base: dict
    scenarios: pd.DataFrame
    default: str
    estimate: float
    low: float
    high: float
    backtest: pd.DataFrame
    history: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def project_rank_value(results: pd.DataFrame | None, rank: int, year: int, *, era: int = 63,
                       national: pd.DataFrame | None | bool = None) -> Projection:
    """The value of rank *rank* in *year*: latest list's rank-*rank* value + each growth scenario."""
    from .outlook import backtest, rank_outlook

    res = _checked(results)
    national = national_of(results, national)
    table, _ = backtest(res, national=national)
    default = str(table.loc[table["default"], "method"].iloc[0])
    o = rank_outlook(res, rank, year, era=era, national=national, default=default)
    hist = rank_value_history(res, rank, era=era)
    lo, hi = o.range
    notes = list(o.notes)
    n_pub = int(hist["estimate_kind"].isin(["published", "rounded", "derived"]).sum())
    notes.append(Note(f"very little history: the rank-{rank} value was published in {n_pub} of {len(hist)} years; "
                      "the scenarios' spread is the honest range, the backtest table says how each did",
                      f"lịch sử rất ngắn: giá trị của hạng {rank} được công bố ở {n_pub}/{len(hist)} năm; khoảng giữa "
                      "các kịch bản là khoảng trung thực, bảng kiểm tra ngược cho biết từng kịch bản sai bao nhiêu"))
    return Projection(rank=int(rank), era=era, year=int(year), origin_year=o.origin_year, base=o.base,
                      scenarios=o.scenarios, default=default, estimate=o.estimate, low=lo, high=hi,
                      backtest=table, history=hist, notes=notes)


def rank_gain(results: pd.DataFrame | None, rank_from: int, target_rank: int, years: int, *, era: int = 63) -> dict:
    """P(gaining ≥ ``rank_from − target_rank`` places in *years* years) from the observed rank changes.

    Uses the changes observed over the same number of years; when none were observed over that span,
    the one-year changes (``step`` says which).  See :func:`dtilib.analysis.outlook.p_gain`.
    """
    from .outlook import p_gain

    places = int(rank_from) - int(target_rank)
    out = p_gain(results, places, era=era, step=max(1, int(years)))
    if out["n"] == 0 and years > 1:
        out = p_gain(results, places, era=era, step=1)
    return out


@dataclass
class TargetReport:
    """Result of :func:`distance_to_target`: ``needed`` (per year), ``projection``, ``rank_gain``, ``summary()``."""

    unit: str
    target_rank: int
    era: int
    target_year: int
    needed: pd.DataFrame
    projection: Projection | None
    latest_value: tuple[float, float, int] | None
    gap_projected: tuple[float, float, float] | None
    total_points: float | None
    points_framework: str | None = None
    rank_gain: dict | None = None
    latest_rank: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)
    translated: Note | None = None       # a /63 target for 2025 on, said out of 34 (:func:`translation_note`)

    def summary(self, lang: str = "vi") -> str:
        return _summary(self, lang)

    def _repr_html_(self) -> str:
        from ..reporting.rich import html

        return html(self)

    def __repr__(self) -> str:
        from ..reporting.rich import text

        return text(self)


def distance_to_target(results: pd.DataFrame | None, unit: str, target_rank: int, target_year: int | None = None, *,
                       era: int = 63, national: pd.DataFrame | None | bool = None) -> TargetReport:
    """How far *unit* is from *target_rank*: per published year, by *target_year* under each scenario, by rank."""
    res = _checked(results)
    national = national_of(results, national)
    published = _years(res, era)
    first_year, last_year = published[0], published[-1]
    if target_year is not None and (isinstance(target_year, bool) or int(target_year) != target_year
                                    or target_year < first_year):
        raise ParameterError(f"target year {target_year!r} is before the record ({first_year}–"
                             f"{last_year})", column="year", expected=f"a whole year from {last_year + 1} on "
                             "for a projection, or a published year")
    target_year = last_year + 1 if target_year is None else int(target_year)
    check_target_unit(res, unit, target_year)
    needed = value_needed(res, unit, target_rank, era=era, years=published)
    who = resolve_unit(unit, res)
    name = unit_name(who["slug63"] if era == 63 else who["slug34"], era, "vi", res)
    own = needed[needed["unit_value_lo"].notna()]
    latest = None
    if len(own):
        r = own.iloc[-1]
        latest = (float(r["unit_value_lo"]), float(r["unit_value_hi"]), int(r["year"]))
    notes = []
    try:
        proj = project_rank_value(res, target_rank, target_year, era=era, national=national)
    except ParameterError as exc:
        proj = None
        notes.append(_no_projection(res, int(target_rank), target_year, era, exc))
    gap = None
    tp = None
    points_fw = None
    if proj is not None and latest is not None:
        gap = (proj.estimate - latest[1], proj.low - latest[1], proj.high - latest[0])
        ys = res.loc[res["year"] <= target_year, "year"]       # the framework the target year is scored on
        fw_target = str(res.loc[res["year"] == ys.max(), "framework"].mode().iloc[0])
        tp = framework_total_points(fw_target)
        if tp:
            points_fw = fw_target
        else:                     # another framework's points scale does not apply: say so, convert nothing
            from ..i18n import t as label
            from .trends import framework_label

            notes.append(Note(*(label("target.no_points", lang, year=target_year, fw=framework_label(fw_target))
                                for lang in ("en", "vi"))))
    ranked = needed[needed["unit_rank"].notna()]
    latest_rank, gain = None, None
    if len(ranked):
        lr = ranked.iloc[-1]
        latest_rank = (int(lr["unit_rank"]), int(lr["year"]))
        if latest_rank[0] > int(target_rank):
            gain = rank_gain(res, latest_rank[0], int(target_rank), target_year - latest_rank[1], era=era)
    translated = translation_note(int(target_rank), target_year) if era == 63 and target_year >= 2025 else None
    return TargetReport(unit=name, target_rank=int(target_rank), era=era, target_year=target_year, needed=needed,
                        projection=proj, latest_value=latest, gap_projected=gap, total_points=tp,
                        points_framework=points_fw, rank_gain=gain, latest_rank=latest_rank, notes=notes,
                        translated=translated)


def check_target_unit(results: pd.DataFrame | None, unit: str, year: int) -> None:
    """Refuse a target for *year* (from 2025: out of the 34 provinces) for a province merged away on 1/7/2025:
    one :class:`~dtilib.errors.ParameterError` naming the province it went into.  The one check of the CLI
    (``dti target``), :func:`distance_to_target` and the reports' ``target_year`` parameter.

    >>> check_target_unit(None, "Kon Tum", 2025)
    Traceback (most recent call last):
    ...
    dtilib.errors.ParameterError: parameter 'province': 'Kon Tum' no longer exists in 2025: it was merged into \
Quảng Ngãi on 1/7/2025 (expected the province "Quảng Ngãi" (a target out of 34), or a year before 2025)
    >>> check_target_unit(None, "Kon Tum", 2024)
    """
    if int(year) < 2025:
        return
    who = resolve_unit(unit, results)
    if who["slug34"] is None and who.get("successor34"):
        name = unit_name(who["slug63"], 63, "vi", results)
        succ = unit_name(who["successor34"], 34, "vi", results)
        raise ParameterError(f"'{name}' no longer exists in {int(year)}: it was merged into {succ} on 1/7/2025",
                             column="province", expected=f'the province "{succ}" (a target out of 34), or a year '
                                                         "before 2025")


def rank_63_in_34(rank: int) -> tuple[int, float]:
    """A rank of the 63-province list at the same relative place in the 34-province list (from 1/7/2025):
    ``1 + (rank − 1) × 33/62`` and its percentile ``1 − (rank − 1)/62`` (45/63 → 24/34, 0.29)."""
    return int(round(1 + (int(rank) - 1) * 33 / 62)), 1 - (int(rank) - 1) / 62


def translation_note(rank: int, year: int) -> Note:
    """How a target rank *rank*/63 for *year* (≥ 2025) reads in the 34-province list, in both languages."""
    from ..i18n import fmt_number, t

    r34, pct = rank_63_in_34(rank)
    return Note(*(t("target.translated", lang, rank=int(rank), year=int(year), r34=r34, pct=fmt_number(pct, lang, 2))
                  for lang in ("en", "vi")))


def _no_projection(res: pd.DataFrame, rank: int, year: int, era: int, exc: ParameterError) -> Note:
    """Why the outlook could not be made, from the catalogue (``target.no_projection.*``) in both languages."""
    from ..i18n import t

    before = [y for y in _years(res, era) if y < year]
    if not before:
        key, fmt = "target.no_projection.no_list", {"era": era, "year": year}
    else:
        n = int(positions(res, before[-1], era)["rank_of"].iloc[0])
        key, fmt = (("target.no_projection.outside", {"rank": rank, "n": n, "origin": before[-1]})
                    if not 1 <= rank <= n else ("target.no_projection.other", {"year": year}))
    return Note(t(key, "en", **fmt), t(key, "vi", **fmt))


def _summary(t: TargetReport, lang: str = "vi") -> str:
    from ..i18n import check_lang, fmt_number

    check_lang(lang)

    def v(x, d=4):
        return fmt_number(x, lang, d)

    n = int(t.needed["rank_of"].iloc[0])
    lines = [_lead(t, n, lang, v)]
    if t.translated is not None:
        lines.append(note_text(t.translated, lang))
    lines += ["", *_per_year(t, n, lang, v), ""]
    if t.projection is not None:
        lines += _outlook_lines(t, lang, v)
    if t.rank_gain is not None and t.latest_rank is not None:
        lines += _rank_gain_lines(t, lang)
    lines += [f"  ({note_text(n, lang)})" for n in t.notes]
    return "\n".join(lines)


def _per_year(t: TargetReport, n: int, lang: str, v) -> list[str]:
    """The per-year details: a table (value needed, the unit's value and rank, shortfall), then each year's
    basis."""
    from ..i18n import fmt_range, text_table
    from ..i18n import t as label
    from .trends import readable

    rows = []
    for _, r in t.needed.iterrows():
        own = short = "—"
        if not pd.isna(r["unit_value_lo"]):
            own = f"{fmt_range(r['unit_value_lo'], r['unit_value_hi'], lang, 4)} ({r['unit_rank']}/{n})"
        if not pd.isna(r["reached"]) and bool(r["reached"]):   # at or above the target rank that year: nothing short
            short = label("target.col.reached", lang)
        elif not pd.isna(r["unit_value_lo"]):
            short = fmt_range(max(r["gap_lo"], 0), max(r["gap_hi"], 0), lang, bounds=(0.0, np.inf))   # "≤ 0,0418"
            if not pd.isna(r["gap_points_lo"]):
                short += " = " + label("target.col.points_of", lang,
                                       points=fmt_range(max(r["gap_points_lo"], 0), max(r["gap_points_hi"], 0), lang,
                                                        1, bounds=(0.0, np.inf)),
                                       total=v(r["total_points"], 0))
        rows.append({"year": r["year"], "framework": readable(r["framework"], lang),
                     "needed": fmt_range(r["needed_lo"], r["needed_hi"], lang, bounds=(0.0, 1.0)),
                     "own": own, "short": short})
    table = text_table(pd.DataFrame(rows), lang, labels={
        "year": "year", "framework": "framework", "needed": "target.col.needed", "own": "target.col.own",
        "short": "target.col.short"})
    return [table, "", label("target.basis_head", lang),
            *(f"- {r['year']}: {note_text(r['basis'], lang)}" for _, r in t.needed.iterrows())]


def _outlook_lines(t: TargetReport, lang: str, v) -> list[str]:
    """The outlook: the rank-*k* value in the target year under each scenario (with the backtest's error),
    then the rise the unit needs from its latest value, and the projection's notes."""
    from ..i18n import t as label
    from .outlook import kind_text

    p = t.projection
    lines = [label("target.outlook", lang, rank=p.rank, year=p.year, origin=p.origin_year,
                   base=v(p.base["value"]), kind=kind_text(p.base["kind"], lang))]
    bt = p.backtest.set_index("method")
    for s in p.scenarios.itertuples(index=False):
        if pd.isna(s.estimate):
            lines.append(f"  · {label('outlook.scenario.' + s.scenario, lang)}: —")
            continue
        err = bt.loc[s.scenario] if s.scenario in bt.index else None
        lines.append(label("target.scenario_same" if s.scenario == "persistence" else "target.scenario", lang,
                           name=label("outlook.scenario." + s.scenario, lang),
                           est=v(s.estimate), lo=v(s.lo), hi=v(s.hi), growth=_signed(s.growth, lang),
                           se=v(s.se) if not pd.isna(s.se) else "—",
                           mark=" ◀ " + label("outlook.default", lang) if s.scenario == p.default else "",
                           mae=v(err["mean_abs_error"]) if err is not None else "—",
                           n=int(err["n"]) if err is not None else 0))
    if t.gap_projected is not None and t.latest_value is not None:
        g = t.gap_projected
        pts = "" if not t.total_points else label("target.points", lang, points=v(abs(g[0]) * t.total_points, 1),
                                                  total=v(t.total_points, 0), fw=t.points_framework)
        if g[0] <= 0:            # already above the value the target needs: no rise to ask for
            lines.append(label("target.gap_above", lang, unit=t.unit, value=v(t.latest_value[1]),
                               year=t.latest_value[2], gap=v(-g[0]), points=pts))
        else:
            lines.append(label("target.gap", lang, unit=t.unit, value=v(t.latest_value[1]),
                               year=t.latest_value[2], gap=v(g[0]), lo=v(g[1]), hi=v(g[2]), points=pts))
    return lines + [f"  ({note_text(n, lang)})" for n in p.notes]


def _rank_gain_lines(t: TargetReport, lang: str) -> list[str]:
    """By rank: the share of the observed rank changes that gained the places needed, and its note."""
    from ..i18n import fmt_percent
    from ..i18n import t as label

    rg = t.rank_gain
    lines = [label("target.rank_gain" if rg["n"] else "target.rank_gain_none", lang, rank=t.latest_rank[0],
                   year=t.latest_rank[1], places=rg["places"], step=rg["step"], k=rg["k"], n=rg["n"],
                   p=fmt_percent(rg["p"], lang) if rg["n"] else "—")]
    if rg["n"]:
        lines.append(f"  ({note_text(rg['note'], lang)})")
    return lines


def _lead(t: TargetReport, n: int, lang: str, v) -> str:
    """One or two sentences a plan can quote: the value needed in the target year and the rise it asks."""
    from ..i18n import t as label

    p = t.projection
    if p is None:
        return label("target.lead_none", lang, unit=t.unit, rank=t.target_rank, n=n, year=t.target_year)
    gap = ""
    if t.gap_projected is not None and t.latest_value is not None:
        g0 = t.gap_projected[0]
        pts = "" if not t.total_points else label("target.points", lang, points=v(abs(g0) * t.total_points, 1),
                                                  total=v(t.total_points, 0), fw=t.points_framework)
        key = "target.lead_gap" if g0 > 0 else "target.lead_above"     # already above it: no rise to ask for
        gap = label(key, lang, gap=v(abs(g0)), value=v(t.latest_value[1]),
                    vyear=t.latest_value[2], points=pts)
    return label("target.lead", lang, unit=t.unit, rank=t.target_rank, n=n, year=p.year, est=v(p.estimate),
                 lo=v(p.low), hi=v(p.high), gap=gap)


def _signed(x, lang):
    from .decompose import _srange

    return _srange(x, x, lang)
