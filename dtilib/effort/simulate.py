"""The rank a plan buys: Monte Carlo over effort uncertainty and over the peers' progress.

Peers (the other provinces / units in the ranking) are a :class:`PeerModel`:

* **held constant** — their last published values (:func:`peers_from_results` with ``trend=False``,
  from ``data/processed/results.csv`` or any results table) or any values you give
  (:func:`peers_constant`), or any distribution you give as samples (:func:`peers_from_samples`);
* **moving with a growth scenario** — :func:`peers_from_results` with ``trend=True`` (and
  ``scenario=``): the scenarios of :func:`dtilib.analysis.outlook.growth_scenarios`, the same model
  the target analysis uses.  A scenario's growth is a **general rise** shared by everyone — drawn once
  per draw from N(growth, se) × horizon and applied to the peers *and to the unit* (the plan's gain
  comes on top of it) — plus each peer's own spread around it (the sd of the paired changes × √horizon).
  :func:`scenario_grid` runs the same simulation for every scenario instead of trusting one.

**Published order.**  For many years only the rank of most provinces is known, not their value.  The
peers' unknown values are drawn as **sorted uniforms between the published values around them**
(:func:`dtilib.analysis.ranking.draw_in_order`): every draw keeps the published order, so a province
ranked 44 never lands above the one ranked 45.  Ranks missing from the table are filled by unnamed
peers, so the number of competitors equals ``rank_of``.  The unit's current published rank is
reproduced when nothing moves.  Every value is capped to [0, 1].

:func:`simulate_rank` draws, per draw, each chosen action's cost from triangular(low, likely, high) in
the plan's order; an action is funded only if its drawn cost fits in the budget still left (otherwise
it does not complete and spends nothing), and a funded action completes with its ``p_complete`` (its
cost is spent either way).  The unit's value is its current value (+ the general rise) + the points of
the completed actions; for units scored together, min–max actions also move the peers' points.  Ranks
are :func:`dtilib.analysis.ranking.rank_of` — the one rank rule (and tolerance) of the analysis too.
Everything is vectorised over draws and seeded (``numpy.random.Generator``).

For a province with only published main-indicator values, :func:`simulate_main` and
:func:`coarse_effects` work on main indicators with the framework's weights (922: +10 points of
Hoạt động kinh tế số = +10/1000 = +0.01 DTI).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..analysis.ranking import draw_in_order, rank_of
from ..errors import ParameterError, suggest
from ..i18n import Note, fmt_number, fmt_signed, localized

__all__ = ["PeerModel", "RankDistribution", "coarse_effects", "peer_trend", "peers_constant", "peers_from_results",
           "peers_from_samples", "rank_of", "scenario_grid", "simulate_main", "simulate_rank", "triangular"]

RANK_ONLY_ASSUMPTION = Note("peers known only by rank (or rounded) are drawn as sorted uniforms between the published "
                            "values ranked above and below them (0 and 1 at the ends), so every draw keeps the "
                            "published order — an assumption about where in those intervals they lie",
                            "các đơn vị chỉ biết hạng (hoặc giá trị đã làm tròn) được rút ngẫu nhiên đều, theo đúng "
                            "thứ tự, giữa các giá trị công bố của đơn vị xếp trên và xếp dưới (0 và 1 ở hai đầu), nên "
                            "mọi lần rút giữ thứ tự đã công bố — một giả định về vị trí của họ trong các khoảng đó")


# ------------------------------------------------------------------------------------------ peer models
@dataclass
class PeerModel:
    """Peers' values next period: base value (exact or bounded, in published order) + growth, or samples.

    ``growth_mean`` / ``growth_sd``: each peer's own change (mean, spread), independent across peers.
    ``shift`` / ``shift_se``: the general rise shared by all (drawn once per draw, N(shift, shift_se)),
    applied to the unit too by the simulations.  ``order``: the positions (rank, lo, hi) the base values
    are drawn from in published order (:func:`dtilib.analysis.ranking.draw_in_order`).
    """

    names: list[str]
    low: np.ndarray
    high: np.ndarray
    growth_mean: np.ndarray
    growth_sd: np.ndarray
    kind: str = "constant"
    year: int | None = None
    source: str = ""
    assumptions: list[str] = field(default_factory=list)
    samples: np.ndarray | None = None
    unit_value: float | None = None
    unit_rank: int | None = None
    shift: float = 0.0
    shift_se: float = 0.0
    order: pd.DataFrame | None = None
    scenario: str | None = None

    @property
    def n_units(self) -> int:
        """Units in the ranking, the unit itself included."""
        return len(self.names) + 1

    def draw_with_shift(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``((n, n_peers) peer values, (n,) general rise)`` — add the rise to the unit as well."""
        if self.samples is not None:
            idx = rng.integers(0, self.samples.shape[0], size=n)
            return self.samples[idx], np.zeros(n)
        k = len(self.names)
        if self.order is not None:
            out = draw_in_order(self.order, rng, n, low=self.low, high=self.high)
        else:
            width = self.high - self.low
            out = np.broadcast_to(self.low, (n, k)).copy()
            if np.any(width > 0):
                out += width * rng.random((n, k))
        shift = np.full(n, float(self.shift))
        if self.shift_se > 0:
            shift = shift + self.shift_se * rng.standard_normal(n)
        if np.any(self.growth_sd > 0):
            out += self.growth_mean + self.growth_sd * rng.standard_normal((n, k))
        elif np.any(self.growth_mean != 0):
            out += self.growth_mean
        return np.clip(out + shift[:, None], 0.0, 1.0), shift

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """(n, n_peers) peer values (the general rise included)."""
        return self.draw_with_shift(rng, n)[0]

    def table(self) -> pd.DataFrame:
        return pd.DataFrame({"peer": self.names, "low": self.low, "high": self.high,
                             "growth_mean": self.growth_mean, "growth_sd": self.growth_sd})


def peers_constant(values, *, source: str = "given values") -> PeerModel:
    """Peers held at the given values (mapping or Series name → DTI value 0..1)."""
    s = pd.Series(values, dtype=float) if isinstance(values, Mapping) else pd.Series(values).astype(float)
    if s.isna().any() or (s < 0).any() or (s > 1).any():
        bad = s[s.isna() | (s < 0) | (s > 1)].index[0]
        raise ParameterError(f"peer value for '{bad}' is {s[bad]!r}", column="peers",
                             expected="DTI values between 0 and 1")
    v = s.to_numpy(float)
    z = np.zeros(len(v))
    return PeerModel([str(x) for x in s.index], v, v.copy(), z, z.copy(), "constant", None, source,
                     ["peers held constant at the given values"])


def peers_from_samples(samples, names=None, *, source: str = "given distribution") -> PeerModel:
    """Peers drawn from explicit samples: an array (n_samples, n_peers) of DTI values."""
    a = np.asarray(samples, dtype=float)
    if a.ndim != 2 or a.shape[0] < 1 or a.shape[1] < 1 or not np.isfinite(a).all():
        raise ParameterError("peer samples must be a finite 2-D array (samples × peers)", column="peers")
    names = list(names) if names is not None else [f"peer {i + 1}" for i in range(a.shape[1])]
    z = np.zeros(a.shape[1])
    return PeerModel(names, a.mean(0), a.mean(0), z, z.copy(), "samples", None, source,
                     ["peers drawn from the given samples"], samples=a)


def _results_named(results=None) -> tuple[pd.DataFrame, str]:
    """The results table of *results* (a Record, a DataFrame, a folder or file, or None = the shipped
    record; :func:`dtilib.data.record.load_results`) and the name to cite it by."""
    from ..data.record import Record, load_results

    if isinstance(results, pd.DataFrame):
        return load_results(results), "<results>"
    if isinstance(results, Record):
        return load_results(results), results.sources.get("results", "<results>")
    name = str(results) if results is not None else "data/processed/results.csv"
    return load_results(results), name


def peers_from_results(unit: str, year: int, *, results=None, era=None, trend: bool = False,
                       horizon: int = 1, scenario: str | None = None, national=None,
                       unit_value: float | None = None) -> PeerModel:
    """Peers of *unit* in the ranking of *year*: every other position of that year's list.

    Bounds come from :func:`dtilib.analysis.ranking.positions` (shared with the target analysis): a
    published value is exact (or its rounding interval when printed with ≤ 2 decimals), a peer known
    only by rank — or a rank position whose unit is not published — lies between the published values
    ranked above and below it, and is drawn there as a sorted uniform (published order kept).
    ``trend=True`` (or a *scenario*: ``average``, ``paired``, ``own``, ``persistence``; default
    ``paired``) adds that scenario's general rise over ``horizon`` years and the peers' spread around it
    (:func:`peer_trend`).  The model also carries the unit's own published value and rank; *unit_value*
    stands for a value the record does not publish (it must lie within what the unit's rank allows).
    """
    from ..analysis.ranking import positions
    from ..data.names import resolve_unit

    df, name = _results_named(results)
    y = df[df["year"] == int(year)]
    if y.empty:
        raise ParameterError(f"no results for year {year} in {name}", column="year",
                             expected="one of " + ", ".join(str(int(v)) for v in sorted(df["year"].unique())))
    who = resolve_unit(unit, df)
    era = _list_of(y, who, unit, year, era, name)
    slug = who.get(f"slug{era}")
    pos = positions(df, int(year), era)
    mine = pos[pos["unit_slug"].fillna("") == (slug or "")]
    if mine.empty:
        raise ParameterError(f"'{unit}' is not ranked in {year} (list of {era})", column="unit",
                             expected="a unit listed in that year's ranking")
    me = _own_value(mine.iloc[0].copy(), unit, year, unit_value)
    others = pos.drop(index=mine.index[:1])
    names = [str(u) if isinstance(u, str) else f"(unpublished, rank {r})"
             for u, r in zip(others["unit"].astype(object).where(others["unit"].notna(), None), others["rank"],
                             strict=True)]
    low = others["lo"].to_numpy(float)
    high = others["hi"].to_numpy(float)
    n_bounded = int((high - low > 1e-6).sum())
    z = np.zeros(len(names))
    assumptions = [Note(f"peers: the {year} ranking (list of {era}) in {name}: {len(names) + 1} units; "
                        f"{len(names) - n_bounded} peer values published, {n_bounded} known only by rank, "
                        f"unpublished or rounded (intervals from dtilib.analysis.ranking.positions)",
                        f"các đơn vị khác: bảng xếp hạng năm {year} (danh sách {era} tỉnh) trong {name}: "
                        f"{len(names) + 1} đơn vị; {len(names) - n_bounded} đơn vị có giá trị công bố, {n_bounded} "
                        f"đơn vị chỉ biết hạng, chưa công bố hoặc đã làm tròn")]
    if n_bounded:
        assumptions.append(RANK_ONLY_ASSUMPTION)
    model = PeerModel(names, low, high, z, z.copy(), "constant", int(year), name, assumptions,
                      unit_value=float(me["value"]), unit_rank=int(me["rank"]),
                      order=others[["rank", "lo", "hi", "unit_slug", "listed"]].reset_index(drop=True))
    if trend or (scenario is not None and scenario != "persistence"):
        tr = peer_trend(df, int(year), horizon=horizon, results_name=name, scenario=scenario or "paired",
                        unit=slug, national=national)
        model.shift, model.shift_se = tr["mean"], tr["se"]
        model.growth_sd = np.full(len(names), tr["sd"])
        model.kind, model.scenario = "trend", tr["scenario"]
        model.assumptions.append(tr["note"])
    else:
        model.scenario = "persistence"
        model.assumptions.append(Note("peers held constant at their last published values",
                                      "các đơn vị khác giữ nguyên giá trị công bố gần nhất"))
    return model


def _list_of(y: pd.DataFrame, who: dict, unit: str, year: int, era: int | None, name: str) -> int:
    """The province list (63 or 34) of the ranking of *year* (rows *y*) to take the peers from: *era* when
    given (it must have a ranking that year), else the first list that ranks *unit*."""
    eras = [int(e) for e in sorted(y["era"].unique())]
    if era is None:
        ranked = y[y["rank"].notna() & (y["origin"] == "published")]
        hits = [e for e in eras
                if who.get(f"slug{e}") and (ranked[ranked["era"] == e]["unit_slug"] == who[f"slug{e}"]).any()]
        if not hits:
            raise ParameterError(f"'{unit}' is not ranked in {year} in {name}", column="unit",
                                 expected="a unit listed in that year's ranking")
        era = hits[0]
    era = int(era)
    if era not in eras:
        raise ParameterError(f"era {era} has no ranking in {year}", column="era",
                             expected="one of " + ", ".join(map(str, eras)))
    return era


def _own_value(me: pd.Series, unit: str, year: int, unit_value: float | None) -> pd.Series:
    """The unit's own position *me* with its value: the published one, else *unit_value* — which must lie
    within what its rank allows (between the published values around it)."""
    if pd.isna(me["value"]):
        if unit_value is None:
            raise ParameterError(f"no published DTI value of '{unit}' for {year}", column="--value",
                                 expected="a year with a published value, or the unit's own DTI value: --value V "
                                          "(in Python: unit_value=V)")
        lo, hi = float(me["lo"]), float(me["hi"])
        if not lo - 1e-9 <= float(unit_value) <= hi + 1e-9:
            raise ParameterError(f"value {float(unit_value):.4f} of '{unit}' does not fit its rank {int(me['rank'])} "
                                 f"in {year}", column="--value",
                                 expected=f"a value between {lo:.4f} and {hi:.4f} (the published values around that rank)")
        me["value"] = float(unit_value)
    return me


def peer_trend(results, year: int, *, horizon: int = 1, results_name: str = "<results>", scenario: str = "paired",
               unit: str | None = None, national=None) -> dict:
    """The general rise over *horizon* years under a growth *scenario*, and the peers' spread around it.

    One growth model for the analysis and the simulation: the scenario's growth and standard error
    come from :func:`dtilib.analysis.outlook.growth_scenarios` at *year* (data up to *year* only);
    ``mean`` = growth × horizon, ``se`` = se × horizon, ``sd`` = the standard deviation of the paired
    yearly changes (how much one province deviates from the general rise) × √horizon.
    """
    from ..analysis.outlook import growth_scenarios, paired_changes

    if not isinstance(horizon, int | np.integer) or horizon < 1:
        raise ParameterError(f"horizon {horizon!r}", column="horizon", expected="a whole number of years ≥ 1")
    from ..analysis.frames import national_of

    national = national_of(results, national)
    df = _results_named(results)[0]
    sc = growth_scenarios(df, int(year), national=national, unit=unit).set_index("scenario")
    if scenario not in sc.index:
        raise ParameterError(f"unknown growth scenario '{scenario}'{suggest(str(scenario), list(sc.index))}",
                             column="scenario", expected="one of " + ", ".join(sc.index))
    row = sc.loc[scenario]
    pc = paired_changes(df, upto=int(year))
    last = sorted(pc["year_to"].unique())[-2:] if len(pc) else []
    ch = pc.loc[pc["year_to"].isin(last), "change"].to_numpy(float)
    if np.isnan(row["growth"]) or len(ch) < 2:
        raise ParameterError(f"fewer than 2 year-over-year changes up to {year} in {results_name}: the peers' trend "
                             f"cannot be estimated (scenario '{scenario}': {row['basis']})", column="trend",
                             expected="constant peers, or a distribution of peers' values")
    sd = float(np.std(ch, ddof=1))
    se = 0.0 if np.isnan(row["se"]) else float(row["se"])
    note = (f"peers and the unit share a general rise (scenario '{scenario}': {row['basis']}): "
            f"{row['growth']:+.4f} DTI per year, "
            + (f"se {se:.4f}" if not np.isnan(row["se"]) else "se not estimable (taken as 0)")
            + f"; each peer deviates from it with sd {sd:.4f} "
            f"(the spread of {len(ch)} paired changes); horizon {horizon} year(s); values capped to [0, 1]")
    note = Note(note, f"các đơn vị khác và đơn vị cùng tăng theo mức tăng chung (kịch bản '{scenario}'): "
                      f"{fmt_signed(row['growth'], 'vi')} giá trị DTI mỗi năm, "
                      + (f"sai số chuẩn {fmt_number(se, 'vi')}" if not np.isnan(row["se"])
                         else "không ước lượng được sai số chuẩn (lấy bằng 0)")
                      + f"; mỗi đơn vị lệch khỏi mức đó với độ lệch chuẩn {fmt_number(sd, 'vi')} (độ phân tán của "
                      f"{len(ch)} thay đổi theo cặp); {horizon} năm; giá trị giới hạn trong [0, 1]")
    return {"mean": float(row["growth"]) * horizon, "se": se * horizon, "sd": sd * np.sqrt(horizon), "n": len(ch),
            "scenario": scenario, "note": note}


# ------------------------------------------------------------------------------------------- results
@dataclass
class RankDistribution:
    """Ranks (and values) of the unit over the Monte Carlo draws."""

    ranks: np.ndarray
    values: np.ndarray
    n_units: int
    target_rank: int | None
    seed: int
    description: str
    assumptions: list[str]
    completed: np.ndarray | None = None      # (n_draws, n_actions) bool
    action_ids: list[str] | None = None
    spent: np.ndarray | None = None          # (n_draws,) money spent on funded actions

    @property
    def n_draws(self) -> int:
        return len(self.ranks)

    @property
    def p_target(self) -> float | None:
        return None if self.target_rank is None else float(np.mean(self.ranks <= self.target_rank))

    def summary(self) -> dict:
        q = np.percentile(self.ranks, [10, 50, 90])
        out = {"n_draws": self.n_draws, "seed": self.seed, "n_units": self.n_units,
               "rank_median": float(q[1]), "rank_p10": float(q[0]), "rank_p90": float(q[2]),
               "rank_mean": float(self.ranks.mean()), "rank_best": int(self.ranks.min()),
               "rank_worst": int(self.ranks.max()), "value_mean": float(self.values.mean()),
               "value_p10": float(np.percentile(self.values, 10)),
               "value_p90": float(np.percentile(self.values, 90))}
        if self.target_rank is not None:
            out["target_rank"] = self.target_rank
            out["p_target"] = self.p_target
        if self.completed is not None and self.completed.size:
            out["actions_completed_mean"] = float(self.completed.sum(1).mean())
        return out

    def table(self) -> pd.DataFrame:
        """P(rank = r) and P(rank ≤ r) for every rank reached."""
        r, c = np.unique(self.ranks, return_counts=True)
        p = c / self.n_draws
        return pd.DataFrame({"rank": r, "probability": p, "cumulative": np.cumsum(p)})

    def __repr__(self) -> str:
        s = self.summary()
        t = f", P(rank ≤ {self.target_rank}) = {s['p_target']:.3f}" if self.target_rank is not None else ""
        return (f"<RankDistribution {self.n_draws} draws: median rank {s['rank_median']:g} of {self.n_units} "
                f"(80% in {s['rank_p10']:g}–{s['rank_p90']:g}){t}>")


def _check_target(target_rank, n_units):
    if target_rank is None:
        return None
    try:
        t = int(target_rank)
    except (TypeError, ValueError):
        raise ParameterError(f"target rank {target_rank!r} is not a whole number", column="target_rank",
                             expected=f"a rank between 1 and {n_units}") from None
    if t != target_rank or not 1 <= t <= n_units:
        raise ParameterError(f"target rank {target_rank!r} is outside 1..{n_units}", column="target_rank",
                             expected=f"a rank between 1 and {n_units} (the number of units ranked)")
    return t


def check_draws(n_draws, seed) -> None:
    """Refuse a number of Monte Carlo draws that is not a whole number ≥ 1, or a seed that is not a whole number."""
    if not isinstance(n_draws, int | np.integer) or n_draws < 1:
        raise ParameterError(f"n_draws {n_draws!r}", column="n_draws", expected="a whole number ≥ 1")
    if not isinstance(seed, int | np.integer):
        raise ParameterError(f"seed {seed!r}", column="seed", expected="a whole number")


def triangular(rng: np.random.Generator, low, mode, high, size) -> np.ndarray:
    """Triangular draws (inverse CDF, vectorised), allowing low == high (then the value is constant)."""
    a, c, b = (np.broadcast_to(np.asarray(x, float), size) for x in (low, mode, high))
    u = rng.random(size)
    w = b - a
    with np.errstate(divide="ignore", invalid="ignore"):
        fc = np.where(w > 0, (c - a) / np.where(w > 0, w, 1), 0.5)
        left = a + np.sqrt(u * w * (c - a))
        right = b - np.sqrt((1 - u) * w * (b - c))
    return np.where(w > 0, np.where(u < fc, left, right), a)


def _held_peers(plan, ch: pd.DataFrame, done: np.ndarray, gain: np.ndarray, total_pts: float | None):
    """The other units scored with the plan's unit, held constant (their points move only through the min–max
    effects of the chosen actions *done*): their values per draw, the unit's base value, the number of units
    ranked, the points a value is out of, and the notes saying so.  Only the units with a rank are counted
    (a unit with points not scored has none): the cards' "n/9" and the draws' "of" count the same units."""
    unit = plan.unit
    pc = plan.peers_change.set_index("unit")
    names = [x for x in pc.index if x != unit and pd.notna(pc.at[x, "rank_before"])]
    if total_pts is None:   # the framework's total is unknown: ranks compare points (any scale will do)
        total_pts = max(1.0, float(np.nansum(np.abs(gain))) + float(np.nanmax(
            [plan.before["total"], *pc["points_before"], *pc["points_after"]])))
    base_peers = pc.loc[names, "points_before"].to_numpy(float)
    delta = np.zeros((len(ch), len(names)))
    for j, pdict in enumerate(ch["peer_delta"]):
        for k, nm in enumerate(names):
            delta[j, k] = pdict.get(nm, 0.0) if isinstance(pdict, dict) else 0.0
    peer_vals = (base_peers[None, :] + done.astype(float) @ delta) / total_pts
    notes = [Note("peers: the other units scored together, held constant (their points move only "
                  "through the min–max effects of the unit's actions)",
                  "các đơn vị khác: các đơn vị được chấm cùng, giữ nguyên (điểm của họ chỉ thay đổi qua "
                  "hiệu ứng min–max của các nhiệm vụ của đơn vị)")]
    if plan.before.get("rank") is None:
        notes.append(Note.of("effort.mc_unranked", unit=unit, n=len(names)))
    return peer_vals, plan.before["total"] / total_pts, len(names) + 1, total_pts, notes


def simulate_rank(plan, peers: PeerModel | None = None, *, n_draws: int = 10_000, seed: int = 0,
                  target_rank: int | None = None, budget: float | None = None, cost_level_draw: bool = True,
                  p_complete: float | None = None, unit_follows_trend: bool = True) -> RankDistribution:
    """Distribution of the unit's rank after *plan* (a :class:`~dtilib.effort.optimise.Plan`).

    ``peers`` None = the other units scored together with the unit, held constant (their points move only
    through min–max actions); otherwise a :class:`PeerModel`.  ``budget`` defaults to the plan's;
    ``cost_level_draw=False`` uses the likely cost without drawing; ``p_complete`` overrides every
    action's completion probability; ``unit_follows_trend`` (default) gives the unit the peers' general
    rise too, so only the plan's gain and the peers' spread around the rise move its rank.
    """
    check_draws(n_draws, seed)
    rng = np.random.default_rng(seed)
    fw = plan.actionset.framework
    total_pts = float(fw.total_points) if fw.total_points is not None and pd.notna(fw.total_points) else None
    ch = plan.chosen.sort_values("order") if len(plan.chosen) else plan.chosen
    ids = ch["action_id"].tolist()
    gain = ch["gain"].to_numpy(float)
    budget = plan.budget if budget is None else float(budget)
    if budget < 0:
        raise ParameterError(f"budget {budget!r} is negative", column="budget", expected="a number ≥ 0")
    A = len(ids)
    if cost_level_draw and A:
        cost = triangular(rng, ch["cost_low"].to_numpy(float), ch["cost_likely"].to_numpy(float),
                          ch["cost_high"].to_numpy(float), (n_draws, A))
    else:
        cost = np.broadcast_to(ch["cost_likely"].to_numpy(float), (n_draws, A)) if A else np.zeros((n_draws, 0))
    p = np.full(A, float(p_complete)) if p_complete is not None else ch["p_complete"].to_numpy(float)
    if p_complete is not None and not 0 <= p_complete <= 1:
        raise ParameterError(f"p_complete {p_complete!r}", column="p_complete", expected="a probability 0..1")
    u = rng.random((n_draws, A))
    done = np.zeros((n_draws, A), dtype=bool)
    remaining = np.full(n_draws, budget)
    for j in range(A):                      # sequential in the plan's order, vectorised over draws
        funded = cost[:, j] <= remaining + 1e-9
        remaining = np.where(funded, remaining - cost[:, j], remaining)
        done[:, j] = funded & (u[:, j] < p[j])
    spent = budget - remaining
    unit = plan.unit
    assumptions = list(plan.assumptions)
    if peers is None:
        peer_vals, unit_base, n_units, total_pts, notes = _held_peers(plan, ch, done, gain, total_pts)
        assumptions += notes
        shift = np.zeros(n_draws)
    else:
        if total_pts is None:
            raise ParameterError(f"framework {fw.id} has no total points: its DTI value cannot be compared with "
                                 "the peer model's", column="framework", expected="a framework with total_points")
        peer_vals, shift = peers.draw_with_shift(rng, n_draws)
        unit_base = plan.before["dti"]
        n_units = peers.n_units
        assumptions += peers.assumptions
    values = unit_base + (done.astype(float) @ gain) / total_pts
    if peers is not None and unit_follows_trend and np.any(shift != 0):
        values = values + shift
        assumptions.append(Note("the unit rises with the general rise too; the plan's gain comes on top of it",
                                "đơn vị cũng tăng theo mức tăng chung; điểm tăng của kế hoạch cộng thêm vào đó"))
    values = np.clip(values, 0.0, 1.0)
    target = _check_target(target_rank, n_units)
    ranks = rank_of(values, peer_vals)
    assumptions.append(Note(f"actions: cost ~ triangular(low, likely, high), funded in the plan's order only if the "
                            f"drawn cost fits the budget left ({budget:g}); completed with the action's probability of "
                            f"completion",
                            f"nhiệm vụ: chi phí ngẫu nhiên theo phân phối tam giác (thấp, khả dĩ, cao), làm theo thứ tự "
                            f"của kế hoạch nếu chi phí rút được còn vừa kinh phí còn lại ({fmt_number(budget, 'vi', 0)}); "
                            f"hoàn thành với xác suất hoàn thành của nhiệm vụ"))
    return RankDistribution(ranks, values, n_units, target, seed,
                            f"rank of {unit} after the plan ({A} actions), {n_draws} draws", assumptions,
                            done, ids, spent)


def simulate_main(framework="vn-province-922", unit_value: float | None = None,
                  gains: Mapping | None = None, peers: PeerModel | None = None, *, n_draws: int = 10_000,
                  seed: int = 0, target_rank: int | None = None, unit_main: Mapping | None = None
                  ) -> RankDistribution:
    """Coarse Monte Carlo on main indicators only (for a province without sub-indicator data).

    ``gains`` maps a main-indicator id to points gained — a number or ``(low, likely, high)``
    (triangular).  The DTI change is Σ points / total points of *framework* (922: 1000).
    ``unit_value`` defaults to the peer model's published value of the unit; ``unit_main`` (main values
    0..1) caps each gain at the indicator's room left.
    """
    from ..frameworks import load_framework

    check_draws(n_draws, seed)
    fw = load_framework(framework)
    fw.require_weights()
    if peers is None:
        raise ParameterError("no peers given", column="peers", expected="a PeerModel (peers_from_results, …)")
    if unit_value is None:
        unit_value = peers.unit_value
    if unit_value is None or not 0 <= float(unit_value) <= 1:
        raise ParameterError(f"unit value {unit_value!r}", column="unit_value", expected="a DTI value 0..1")
    mx = fw.main_max()
    scored = set(fw.scored_main["id"])
    rng = np.random.default_rng(seed)
    total = np.zeros(n_draws)
    for ind, g in (gains or {}).items():
        if ind not in scored:
            raise ParameterError(f"unknown main indicator '{ind}'{suggest(str(ind), scored)}", column="gains",
                                 expected="a scored main indicator of " + fw.id)
        lo, mode, hi = (g, g, g) if np.isscalar(g) else tuple(g)
        if not 0 <= lo <= mode <= hi:
            raise ParameterError(f"gain of '{ind}' {g!r}", column="gains",
                                 expected="points ≥ 0, or (low ≤ likely ≤ high)")
        room = mx[ind] * (1 - float(unit_main[ind])) if unit_main is not None and ind in unit_main else mx[ind]
        if hi > room + 1e-9:
            raise ParameterError(f"gain {hi:g} of '{ind}' exceeds the points left ({room:g} of {mx[ind]:g})",
                                 column="gains", expected=f"at most {room:g} points")
        total += triangular(rng, lo, mode, hi, n_draws)
    peer_vals, shift = peers.draw_with_shift(rng, n_draws)
    values = np.clip(float(unit_value) + shift + total / float(fw.total_points), 0.0, 1.0)
    target = _check_target(target_rank, peers.n_units)
    return RankDistribution(rank_of(values, peer_vals), values, peers.n_units, target, seed,
                            f"coarse: main-indicator gains {dict(gains or {})} with {fw.id} weights",
                            list(peers.assumptions) + [f"weights: {fw.id} main-indicator points / {fw.total_points:g}"])


def coarse_effects(framework="vn-province-922", unit_value: float | None = None, peers: PeerModel | None = None,
                   *, points: float = 10.0, n_draws: int = 10_000, seed: int = 0,
                   unit_main: Mapping | None = None, lang: str = "vi", target_rank: int | None = None
                   ) -> pd.DataFrame:
    """What +``points`` on each main indicator is worth: ΔDTI and ranks (median over the draws).

    "+10 points of Hoạt động kinh tế số is worth +0.01 DTI and ~k ranks".  The same peer draws are used
    for every indicator (common random numbers), so rows compare fairly.
    """
    from ..frameworks import load_framework

    fw = load_framework(framework)
    fw.require_weights()
    if peers is None:
        raise ParameterError("no peers given", column="peers", expected="a PeerModel (peers_from_results, …)")
    if not points > 0:
        raise ParameterError(f"points {points!r}", column="points", expected="a number > 0")
    if unit_value is None:
        unit_value = peers.unit_value
    if unit_value is None:
        raise ParameterError("no unit value", column="unit_value", expected="a DTI value 0..1")
    check_draws(n_draws, seed)
    target = _check_target(target_rank, peers.n_units)
    rng = np.random.default_rng(seed)
    peer_vals, shift = peers.draw_with_shift(rng, n_draws)
    base = float(unit_value) + shift
    r0 = rank_of(np.clip(base, 0.0, 1.0), peer_vals)
    rows = []
    for m in fw.scored_main.itertuples(index=False):
        room = m.max_points * (1 - float(unit_main[m.id])) if unit_main is not None and m.id in unit_main else m.max_points
        pts = min(points, room)
        d = pts / float(fw.total_points)
        r1 = rank_of(np.clip(base + d, 0.0, 1.0), peer_vals)
        rows.append({"indicator": m.id, "name": localized(m, "name", lang),
                     "max_points": m.max_points, "points": pts, "value_change": pts / m.max_points,
                     "dti_change": d, "dti_after": float(unit_value) + d,
                     "rank_before": float(np.median(r0)), "rank_after": float(np.median(r1)),
                     "ranks_gained_median": float(np.median(r0 - r1)), "ranks_gained_mean": float(np.mean(r0 - r1))})
        if target is not None:
            rows[-1]["p_target_before"] = float(np.mean(r0 <= target))
            rows[-1]["p_target_after"] = float(np.mean(r1 <= target))
    out = pd.DataFrame(rows)
    out.attrs["assumptions"] = list(peers.assumptions) + [f"weights: {fw.id} main-indicator points / "
                                                         f"{fw.total_points:g}"]
    return out


def worth_order(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`coarse_effects` best first, compared as they are shown: the rank after (a whole
    rank), the DTI change (4 decimals), the points still open (``room``, 2 decimals, when given), then the
    framework's order — so two indicators worth the same are never ordered by float noise
    (``0.010000000000000002`` vs ``0.01``) but by the stable secondary key, their place in the framework.
    """
    room = table["room"] if "room" in table else pd.Series(0.0, index=table.index)
    key = pd.DataFrame({"rank": table["rank_after"].to_numpy(float).round(0),
                        "dti": -table["dti_change"].to_numpy(float).round(4),
                        "room": -room.to_numpy(float).round(2), "pos": np.arange(len(table))}, index=table.index)
    return table.loc[key.sort_values(["rank", "dti", "room", "pos"], kind="stable").index]


def scenario_grid(unit: str, year: int, *, results=None, gains: Mapping | None = None, plan=None,
                  framework="vn-province-922", horizon: int = 1, target_rank: int | None = None,
                  n_draws: int = 10_000, seed: int = 0, national=None, scenarios=None) -> pd.DataFrame:
    """The same Monte Carlo under every growth scenario: one row per scenario.

    With *plan* (a :class:`~dtilib.effort.optimise.Plan`) :func:`simulate_rank`, else :func:`simulate_main`
    with *gains* (main indicator → points).  Columns ``scenario, growth, se, sd, rank_median, rank_p10,
    rank_p90, p_target`` (``growth``/``se`` per year; a scenario that cannot be estimated from the record
    is listed with NaN and its reason in ``note``).  Same seed for every row (common random numbers).
    """
    from ..analysis.frames import national_of
    from ..analysis.outlook import growth_scenarios
    from ..data.names import resolve_unit

    df, _ = _results_named(results)
    national = national_of(results, national)
    w = resolve_unit(unit, df)
    who_slug = w.get("slug63") or w.get("slug34") or unit
    sc = growth_scenarios(df, int(year), national=national, unit=who_slug)
    names = list(sc["scenario"]) if scenarios is None else list(scenarios)
    rows = []
    for name in names:
        row = sc.set_index("scenario").loc[name] if name in set(sc["scenario"]) else None
        base = {"scenario": name, "growth": np.nan if row is None else row["growth"],
                "se": np.nan if row is None else row["se"]}
        try:
            peers = peers_from_results(unit, int(year), results=df, horizon=horizon, scenario=name, national=national)
        except ParameterError as exc:
            rows.append({**base, "note": exc.detail})
            continue
        if plan is not None:
            r = simulate_rank(plan, peers, n_draws=n_draws, seed=seed, target_rank=target_rank)
        else:
            r = simulate_main(framework, gains=gains, peers=peers, n_draws=n_draws, seed=seed, target_rank=target_rank)
        q = np.percentile(r.ranks, [10, 50, 90])
        rows.append({**base, "sd": float(peers.growth_sd[0]) if len(peers.growth_sd) else 0.0,
                     "rank_median": float(q[1]), "rank_p10": float(q[0]), "rank_p90": float(q[2]),
                     "p_target": r.p_target, "note": ""})
    return pd.DataFrame(rows, columns=["scenario", "growth", "se", "sd", "rank_median", "rank_p10", "rank_p90",
                                       "p_target", "note"])
