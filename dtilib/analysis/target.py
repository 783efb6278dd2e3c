"""Distance to a target rank: "what value would have reached rank 45/63?" (Lai Châu, seed 004).

Two answers, kept apart:

1. **From the published distributions** (:func:`value_needed`): for every year, the value of the
   unit then ranked *k* among the others — published, printed rounded (an interval), or, when not
   published, **bounded** by the nearest published values above and below (the basis says which).
   The gap to the unit's own value is given in DTI (0..1) and in framework points (× ``total_points``
   of that year's framework; unknown for 405, whose points are not published).

2. **If the peers keep their trend** (:func:`project_rank_value`): a deliberately simple model.

   *Stage 1* — the rank-*k* value of each year: the published value when there is one; otherwise a
   scikit-learn ``LinearRegression`` of value on rank over that year's published (rank, value) pairs,
   clipped into the year's published bounds (a model estimate, labelled as such; a year with fewer
   than 2 published values has no estimate).
   *Stage 2* — ``LinearRegression`` of those rank-*k* values on the year, over the fit years; the
   band is the residual-based OLS prediction interval (Student t, ``n − 2`` degrees of freedom,
   default 80 %), so few years give a wide band — on purpose.  Validation: leave-one-year-out (fit
   on the other years, predict the held-out one, compare with its published bounds).

   Default fit years: the years since the last methodology break if there are at least 3, else the
   last 3 years of the list (the output then says that the fit spans a break).  The output always
   states how many years and values the model stands on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._data import check_results, display, framework_total_points, load_results, resolve_unit
from ._labels import Note, note_text
from .ranking import _g, positions, unit_interval, value_for_rank


def _years(res: pd.DataFrame, era: int) -> list[int]:
    return sorted(int(y) for y in res.loc[(res["era"] == era) & (res["origin"] == "published"), "year"].unique())


def value_needed(results: pd.DataFrame | None, unit: str | None, target_rank: int, *, era: int = 63,
                 years: list[int] | None = None) -> pd.DataFrame:
    """Per year: the value needed for *target_rank* and the unit's gap to it (see the module doc).

    Columns: ``year, framework, rank_of, target_rank, needed_lo, needed_hi, needed_kind, basis, basis_vi,
    unit_rank, unit_value_lo, unit_value_hi, gap_lo, gap_hi, total_points, gap_points_lo,
    gap_points_hi, reached``.  *unit* may be ``None`` (the value of rank *k* itself).
    """
    res = check_results(load_results() if results is None else results)
    slug = None
    if unit is not None:
        who = resolve_unit(res, unit)
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
            "basis_vi": need["basis_vi"],
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
    """Stage 1 of the projection: the rank-*rank* value of each year of *era*.

    Columns ``year, framework, lo, hi, kind, estimate, estimate_kind, n_values`` where ``lo..hi`` are
    the published bounds and ``estimate`` is the published value or the within-year regression clipped
    into the bounds (``estimate_kind`` = ``published`` / ``rounded`` / ``model`` / ``none``).
    """
    from sklearn.linear_model import LinearRegression

    res = check_results(load_results() if results is None else results)
    rows = []
    for y in _years(res, era):
        pos = positions(res, y, era)
        need = value_for_rank(pos, int(rank))
        known = pos[pos["kind"].isin(["published", "rounded", "derived"])]
        fw = str(res.loc[(res["year"] == y) & (res["era"] == era), "framework"].mode().iloc[0])
        if need["kind"] in ("published", "rounded", "derived"):
            est, ek = float(pos.loc[pos["rank"] == int(rank), "value"].dropna().iloc[0]), need["kind"]
        elif len(known) >= 2 and known["rank"].nunique() >= 2:
            m = LinearRegression().fit(known[["rank"]].to_numpy(dtype=float), known["value"].to_numpy(dtype=float))
            est = float(np.clip(m.predict(np.array([[float(rank)]]))[0], need["lo"], need["hi"]))
            ek = "model"
        else:
            est, ek = np.nan, "none"
        rows.append({"year": int(y), "framework": fw, "lo": need["lo"], "hi": need["hi"], "kind": need["kind"],
                     "estimate": est, "estimate_kind": ek, "n_values": len(known)})
    return pd.DataFrame(rows)


@dataclass
class Projection:
    """Stage 2: the rank-*k* value projected to *year* if peers keep their trend (see the module doc)."""

    rank: int
    era: int
    year: int
    estimate: float
    band_lo: float
    band_hi: float
    level: float
    fit: pd.DataFrame
    loyo: pd.DataFrame
    slope_per_year: float
    n_years: int
    n_values: int
    spans_break: bool
    notes: list[str] = field(default_factory=list)
    model: str = ("stage 1: published rank-k value, else LinearRegression(value ~ rank) within the year clipped "
                  "into the published bounds; stage 2: LinearRegression(rank-k value ~ year); band: OLS "
                  "prediction interval from the residuals (Student t, n−2 df)")


def _ols_interval(x: np.ndarray, y: np.ndarray, x0: float, level: float):
    from scipy import stats
    from sklearn.linear_model import LinearRegression

    m = LinearRegression().fit(x.reshape(-1, 1), y)
    pred = float(m.predict(np.array([[x0]]))[0])
    n = len(x)
    if n <= 2:
        return pred, np.nan, np.nan, float(m.coef_[0])
    resid = y - m.predict(x.reshape(-1, 1))
    s = float(np.sqrt((resid ** 2).sum() / (n - 2)))
    sxx = float(((x - x.mean()) ** 2).sum())
    se = s * np.sqrt(1 + 1 / n + (x0 - x.mean()) ** 2 / sxx)
    t = float(stats.t.ppf(0.5 + level / 2, n - 2))
    return pred, pred - t * se, pred + t * se, float(m.coef_[0])


def project_rank_value(results: pd.DataFrame | None, rank: int, year: int, *, era: int = 63,
                       fit_years: list[int] | None = None, level: float = 0.8) -> Projection:
    """Project the value of rank *rank* to *year* under the peers' trend (module doc: stage 1 + 2)."""
    if not 0 < level < 1:
        raise ParameterError(f"level {level} is not a probability", column="level", expected="a number in (0, 1), e.g. 0.8")
    res = check_results(load_results() if results is None else results)
    hist = rank_value_history(res, rank, era=era)
    notes = []
    if fit_years is None:
        fws = list(hist["framework"])
        start = max(i for i in range(len(fws)) if i == 0 or fws[i] != fws[i - 1])
        since = list(hist["year"].iloc[start:])
        fit_years = since if len(since) >= 3 else list(hist["year"].iloc[-3:])
    else:
        bad = [y for y in fit_years if y not in set(hist["year"])]
        if bad:
            raise ParameterError(f"fit year(s) {bad} have no results in era {era}", column="fit_years",
                                 expected="years among " + ", ".join(map(str, hist["year"])))
    fit = hist[hist["year"].isin(fit_years)].copy()
    skipped = fit[fit["estimate"].isna()]
    if len(skipped):
        ys = ", ".join(map(str, skipped["year"]))
        notes.append(Note(f"no rank-{rank} estimate for {ys} (fewer than 2 published values): left out",
                          f"không ước lượng được giá trị hạng {rank} năm {ys} (ít hơn 2 giá trị công bố): bỏ qua"))
    fit = fit[fit["estimate"].notna()]
    spans_break = fit["framework"].nunique() > 1
    if spans_break:
        chain = " → ".join(dict.fromkeys(fit["framework"]))
        notes.append(Note(f"the fit spans a methodology break ({chain}): values of different frameworks are treated "
                          "as one series",
                          f"dữ liệu ước lượng vượt qua mốc đổi bộ chỉ số ({chain}): giá trị của các bộ chỉ số khác "
                          "nhau được coi là một chuỗi"))
    if len(fit) < 2:
        raise ParameterError(f"only {len(fit)} year(s) with a rank-{rank} value: no trend can be fitted",
                             column="fit_years", expected="at least 2 years with published values")
    x = fit["year"].to_numpy(dtype=float)
    yv = fit["estimate"].to_numpy(dtype=float)
    est, lo, hi, slope = _ols_interval(x, yv, float(year), level)
    if len(fit) <= 2:
        notes.append(Note("2 years only: a line through 2 points has no residuals, so no band can be given",
                          "chỉ có 2 năm: đường thẳng qua 2 điểm không có phần dư nên không có khoảng tin cậy"))
    loyo = []
    for i, yr in enumerate(fit["year"]):
        keep = np.arange(len(fit)) != i
        if keep.sum() < 2:
            continue
        p, _, _, _ = _ols_interval(x[keep], yv[keep], float(yr), level)
        r = fit.iloc[i]
        loyo.append({"held_out": int(yr), "predicted": p, "stage1": r["estimate"], "error": p - r["estimate"],
                     "published_lo": r["lo"], "published_hi": r["hi"],
                     "inside_published_bounds": bool(r["lo"] - 1e-12 <= p <= r["hi"] + 1e-12)})
    loyo = pd.DataFrame(loyo, columns=["held_out", "predicted", "stage1", "error", "published_lo", "published_hi",
                                       "inside_published_bounds"])
    n_values = int(hist.loc[hist["year"].isin(fit["year"]), "n_values"].sum())
    ys = ", ".join(map(str, fit["year"]))
    n_pub = int(fit["estimate_kind"].isin(["published", "rounded", "derived"]).sum())
    notes.insert(0, Note(f"very little history: {len(fit)} years ({ys}), {n_values} published values in those "
                         f"years; rank-{rank} value published in {n_pub} of them",
                         f"lịch sử rất ngắn: {len(fit)} năm ({ys}), {n_values} giá trị công bố trong các năm đó; "
                         f"giá trị của hạng {rank} được công bố ở {n_pub} năm"))
    clip = lambda v: float(np.clip(v, 0, 1)) if not np.isnan(v) else v  # noqa: E731
    return Projection(rank=int(rank), era=era, year=int(year), estimate=clip(est), band_lo=clip(lo),
                      band_hi=clip(hi), level=level, fit=fit.reset_index(drop=True), loyo=loyo,
                      slope_per_year=slope, n_years=len(fit), n_values=n_values, spans_break=spans_break,
                      notes=notes)


@dataclass
class TargetReport:
    """Result of :func:`distance_to_target`: ``needed`` (per year), ``projection``, ``summary()``."""

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
    notes: list[str] = field(default_factory=list)

    def summary(self, lang: str = "vi") -> str:
        return _summary(self, lang)


def distance_to_target(results: pd.DataFrame | None, unit: str, target_rank: int, target_year: int | None = None, *,
                       era: int = 63, fit_years: list[int] | None = None, level: float = 0.8) -> TargetReport:
    """How far *unit* is from *target_rank*: per published year, and by *target_year* under the trend."""
    res = check_results(load_results() if results is None else results)
    needed = value_needed(res, unit, target_rank, era=era)
    who = resolve_unit(res, unit)
    slug = who["slug63"] if era == 63 else who["slug34"]
    name = display(slug, era, "vi", res)
    last_year = int(needed["year"].max())
    target_year = last_year + 1 if target_year is None else int(target_year)
    own = needed[needed["unit_value_lo"].notna()]
    latest = None
    if len(own):
        r = own.iloc[-1]
        latest = (float(r["unit_value_lo"]), float(r["unit_value_hi"]), int(r["year"]))
    notes = []
    try:
        proj = project_rank_value(res, target_rank, target_year, era=era, fit_years=fit_years, level=level)
    except ParameterError as exc:
        proj = None
        notes.append(Note(f"no projection: {exc.detail}", f"không dự báo được: {exc.detail}"))
    gap = None
    tp = None
    points_fw = None
    if proj is not None and latest is not None:
        gap = (proj.estimate - latest[1], proj.band_lo - latest[1], proj.band_hi - latest[0])
        for fw_fit in reversed(list(dict.fromkeys(proj.fit["framework"]))):   # latest framework with known points
            tp = framework_total_points(fw_fit)
            if tp:
                points_fw = fw_fit
                break
    if era == 63 and target_year >= 2025:
        pct = 1 - (target_rank - 1) / 62
        r34 = f"{1 + (1 - pct) * 33:.0f}"
        notes.append(Note(f"from DTI 2025 the list has 34 provinces: rank {target_rank}/63 is percentile {pct:.3f}, "
                          f"about rank {r34}/34 (comparability aid)",
                          f"từ DTI 2025 danh sách có 34 tỉnh: hạng {target_rank}/63 ứng với phân vị "
                          f"{_g(round(pct, 3), 'vi')}, khoảng hạng {r34}/34 (hỗ trợ so sánh)"))
    return TargetReport(unit=name, target_rank=int(target_rank), era=era, target_year=target_year, needed=needed,
                        projection=proj, latest_value=latest, gap_projected=gap, total_points=tp,
                        points_framework=points_fw, notes=notes)


def _summary(t: TargetReport, lang: str = "vi") -> str:
    from ..i18n import check_lang, fmt_number

    check_lang(lang)
    vi = lang == "vi"

    def v(x, d=4):
        return fmt_number(x, lang, d)

    def rng(a, b, d=4):
        return v(a, d) if v(a, d) == v(b, d) else f"{v(a, d)}–{v(b, d)}"

    lines = [(f"{t.unit}: mục tiêu hạng {t.target_rank}/{t.needed['rank_of'].iloc[0]}." if vi else
              f"{t.unit}: target rank {t.target_rank}/{t.needed['rank_of'].iloc[0]}.")]
    for _, r in t.needed.iterrows():
        need = rng(r["needed_lo"], r["needed_hi"])
        own = ("" if pd.isna(r["unit_value_lo"]) else
               (f"; {t.unit} đạt {rng(r['unit_value_lo'], r['unit_value_hi'])} (hạng {r['unit_rank']}), "
                f"thiếu {rng(max(r['gap_lo'], 0), max(r['gap_hi'], 0))}" if vi else
                f"; {t.unit} had {rng(r['unit_value_lo'], r['unit_value_hi'])} (rank {r['unit_rank']}), "
                f"short by {rng(max(r['gap_lo'], 0), max(r['gap_hi'], 0))}")
               + ("" if pd.isna(r["gap_points_lo"]) else
                  f" = {rng(max(r['gap_points_lo'], 0), max(r['gap_points_hi'], 0), 1)} "
                  + (f"điểm/{v(r['total_points'], 0)}" if vi else f"points of {v(r['total_points'], 0)}")))
        lines.append(f"- {r['year']} ({r['framework']}): " + (f"cần {need}" if vi else f"needed {need}")
                     + f" [{r['basis_vi'] if vi else r['basis']}]" + own)
    p = t.projection
    if p is not None:
        band = ("" if np.isnan(p.band_lo) else
                (f", khoảng {int(p.level * 100)}%: {rng(p.band_lo, p.band_hi)}" if vi else
                 f", {int(p.level * 100)}% band {rng(p.band_lo, p.band_hi)}"))
        lines.append(f"- Nếu các tỉnh giữ xu hướng: giá trị của hạng {p.rank} năm {p.year} ≈ {v(p.estimate)}{band} "
                      f"(xu hướng {v(p.slope_per_year)}/năm)." if vi else
                      f"- If the peers keep their trend: the rank-{p.rank} value in {p.year} ≈ {v(p.estimate)}{band} "
                      f"(trend {v(p.slope_per_year)}/year).")
        if t.gap_projected is not None and t.latest_value is not None:
            g = t.gap_projected
            pts = "" if not t.total_points else (
                f" ≈ {v(g[0] * t.total_points, 1)} " + (f"điểm (thang {v(t.total_points, 0)} của {t.points_framework})"
                                                         if vi else f"points (of {v(t.total_points, 0)}, "
                                                         f"{t.points_framework})"))
            lines.append(f"  So với giá trị gần nhất của {t.unit} ({v(t.latest_value[1])}, {t.latest_value[2]}): "
                          f"cần tăng ≈ {v(g[0])}{pts}." if vi else
                          f"  From {t.unit}'s latest value ({v(t.latest_value[1])}, {t.latest_value[2]}): "
                          f"a rise of ≈ {v(g[0])}{pts} is needed.")
        if len(p.loyo):
            err = p.loyo["error"].abs()
            lines.append(f"  Kiểm tra bỏ-một-năm: sai số tuyệt đối {v(err.min())}–{v(err.max())}; "
                          f"{int(p.loyo['inside_published_bounds'].sum())}/{len(p.loyo)} dự báo nằm trong cận công bố."
                          if vi else
                          f"  Leave-one-year-out: absolute error {v(err.min())}–{v(err.max())}; "
                          f"{int(p.loyo['inside_published_bounds'].sum())}/{len(p.loyo)} predictions inside the "
                          "published bounds.")
        lines += [f"  ({note_text(n, lang)})" for n in p.notes]
    lines += [f"  ({note_text(n, lang)})" for n in t.notes]
    return "\n".join(lines)
