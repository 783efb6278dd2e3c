"""Why did a province's rank change?  Three parts: the general rise, its own deviation, the reshuffling.

Between two years almost every province's value changes.  A change shared by all moves no rank, so
the value change of a unit ``Δ = v1 − v0`` is split into

* the **general rise** ``G`` — the median change of the other provinces published in both years; when
  fewer than 3 are, the median gap between the two years' values at the same rank (*matching rank
  quantiles*: each published value against the other year's value interpolated at its rank, by
  percentile when the list size changed, :func:`dtilib.analysis.outlook.rank_value`);
* the unit's **own deviation** ``Δ − G``.

The rank change ``r1 − r0`` (**positive = down**) is then split into two shares with two
counterfactual ranks:

* **own**: its ``y1`` value less the general rise among the others' ``y0`` values (``rank(v1 − G | y0)``)
  — where its own deviation alone would have put it;
* **reshuffle**: its ``y0`` value plus the general rise among the others' ``y1`` values
  (``rank(v0 + G | y1)``) — where the others' moves relative to each other alone would have put it;

averaged over both orders (the Shapley split, the two shares add up to the actual change):

    own       = ½ [(own_cf − r0) + (r1 − reshuffle_cf)]
    reshuffle = ½ [(reshuffle_cf − r0) + (r1 − own_cf)]

So if every province rises by the same amount the general rise is that amount and both shares are 0
("no change"), not two offsetting shares.  Verdicts: ``own``, ``reshuffle``, ``both``, ``offsetting``
(no net change, but the unit's deviation surely moved it), ``no change``, or partly undetermined.

Unpublished values are bounded by the published order (:mod:`dtilib.analysis.ranking`), so the
counterfactual ranks and the shares are **ranges**.  Across a change of framework (2020→2021,
2023→2024) the general rise also carries the change of method (a ``methodology`` row says so).

**Holding the rank.**  ``hold`` is the value the unit needed in ``y1`` to keep rank ``r0`` (the value of
the ``r0``-th best other unit in ``y1``) and the shortfall from its actual value (in framework points ×
``total_points``) — 0 when it did not fall.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import Note, note_text
from .frames import framework_total_points, national_of, resolve_unit, results_of, unit_name
from .outlook import rank_value
from .ranking import positions, printed_value, rank_range, unit_interval, value_for_rank


@dataclass
class Decomposition:
    """Result of :func:`decompose`; ``table`` holds the components, ``summary()`` says it in words."""

    unit: str
    unit_slug: str
    era: int
    year_from: int
    year_to: int
    framework_from: str
    framework_to: str
    rank_from: int
    rank_to: int
    rank_of: int
    value_from: tuple[float, float]
    value_to: tuple[float, float]
    table: pd.DataFrame
    known: pd.DataFrame
    hold: dict
    attribution: str
    method_break: bool
    general: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def summary(self, lang: str = "vi") -> str:
        return _summary(self, lang)

    def _repr_html_(self) -> str:
        from ..reporting.rich import html

        return html(self)

    def __repr__(self) -> str:
        from ..reporting.rich import text

        return text(self)


def _shares(r0, r1, own, peers):
    own_lo = 0.5 * ((own[0] - r0) + (r1 - peers[1]))
    own_hi = 0.5 * ((own[1] - r0) + (r1 - peers[0]))
    peer_lo = 0.5 * ((peers[0] - r0) + (r1 - own[1]))
    peer_hi = 0.5 * ((peers[1] - r0) + (r1 - own[0]))
    return (own_lo, own_hi), (peer_lo, peer_hi)


def _attribution(actual, own, peers) -> str:
    if actual == 0:
        if own[0] > 0 or own[1] < 0:            # its own deviation surely moved it, the others moved it back
            return "offsetting"
        return "no change"
    s = 1 if actual > 0 else -1
    own_pushes = own[0] * s > 0 if s > 0 else own[1] * s > 0       # surely in the direction of the change
    own_against = own[1] * s <= 0 if s > 0 else own[0] * s <= 0    # surely not in that direction
    peers_pushes = peers[0] * s > 0 if s > 0 else peers[1] * s > 0
    peers_against = peers[1] * s <= 0 if s > 0 else peers[0] * s <= 0
    if peers_pushes and own_against:
        return "reshuffle"
    if own_pushes and peers_against:
        return "own"
    if own_pushes and peers_pushes:
        return "both"
    if peers_pushes:
        return "reshuffle (own share undetermined)"
    if own_pushes:
        return "own (reshuffle share undetermined)"
    return "undetermined"


def general_rise(res: pd.DataFrame, y0: int, y1: int, era: int = 63, *, exclude: str | None = None,
                 min_pairs: int = 3) -> dict:
    """The general rise between *y0* and *y1*: ``{value, method, n, basis}`` (see the module doc; ``basis`` a
    :class:`~dtilib.i18n.Note`, English as a string, ``.text("vi")`` in Vietnamese).

    ``method`` is ``paired`` (median change of the other provinces published in both years, when at
    least *min_pairs*), ``quantiles`` (median gap at matching ranks) or ``none`` (0: nothing published).
    """
    pos0, pos1 = positions(res, y0, era), positions(res, y1, era)
    known = ["published", "rounded", "derived"]
    k0 = pos0[pos0["kind"].isin(known) & (pos0["unit_slug"].fillna("") != (exclude or ""))]
    k1 = pos1[pos1["kind"].isin(known) & (pos1["unit_slug"].fillna("") != (exclude or ""))]
    both = k0.merge(k1, on="unit_slug", suffixes=("_0", "_1"))
    if len(both) >= min_pairs:
        ch = (both["value_1"] - both["value_0"]).to_numpy(float)
        names = ", ".join(f"{u} {c:+.4f}" for u, c in zip(both["unit_0"], ch, strict=True))
        names_vi = ", ".join(f"{u} {'+' if c >= 0 else '−'}{printed_value(round(abs(c), 4), 'vi')}"
                             for u, c in zip(both["unit_0"], ch, strict=True))
        return {"value": float(np.median(ch)), "method": "paired", "n": len(ch),
                "basis": Note.of("decompose.basis.paired", n=len(ch), names=Note(names, names_vi))}
    n0, n1 = int(pos0["rank_of"].iloc[0]), int(pos1["rank_of"].iloc[0])
    gaps = []
    for r in k1.itertuples(index=False):             # a y1 value against y0 interpolated at the same percentile
        b = rank_value(pos0, 1 + (r.rank - 1) * (n0 - 1) / (n1 - 1), exclude=exclude)
        if b["kind"] in ("interpolated", "published", "rounded", "derived"):
            gaps.append(r.value - b["value"])
    for r in k0.itertuples(index=False):
        b = rank_value(pos1, 1 + (r.rank - 1) * (n1 - 1) / (n0 - 1), exclude=exclude)
        if b["kind"] in ("interpolated", "published", "rounded", "derived"):
            gaps.append(b["value"] - r.value)
    if gaps:
        return {"value": float(np.median(gaps)), "method": "quantiles", "n": len(gaps),
                "basis": Note.of("decompose.basis.quantiles", n=len(gaps))}
    return {"value": 0.0, "method": "none", "n": 0,
            "basis": Note.of("decompose.basis.none")}


def decompose(results: pd.DataFrame | None, unit: str, year_from: int, year_to: int | None = None, *,
              era: int = 63, national: pd.DataFrame | None | bool = None,
              value_direction: str | None = None) -> Decomposition:
    """Split the rank change of *unit* from *year_from* to *year_to* (default the next year).

    *results*: results table (``None`` = :func:`~dtilib.analysis.load_results`); *national*:
    provincial averages (the general rise when no province is published around the same ranks in both
    years; ``None`` = load, ``False`` = none).
    *value_direction*: ``"up"``/``"down"`` — a published statement that the unit's value rose/fell,
    used only when its values are not published.
    """
    res = results_of(results)
    if era not in (63, 34):
        raise ParameterError(f"unknown era {era!r}", column="era", expected="63 or 34")
    who = resolve_unit(unit, res)
    slug = who["slug63"] if era == 63 else who["slug34"]
    name = unit_name(slug, era, "vi", res) if slug else str(unit)
    if slug is None:
        raise ParameterError(f"'{unit}' is not a unit of the {era}-province list", column="province",
                             expected=f"a province of the {era}-province list")
    y0, y1 = _years(year_from, year_to, value_direction)
    mine = res[(res["unit_slug"] == slug) & (res["era"] == era) & res["rank"].notna()
               & (res["origin"] == "published")]
    have = sorted(int(y) for y in mine["year"].unique())
    pos0, pos1 = positions(res, y0, era), positions(res, y1, era)
    a0, b0, r0 = unit_interval(pos0, slug)
    a1, b1, r1 = unit_interval(pos1, slug)
    if (r0 is None) != (r1 is None):
        cross = _cross_list(res, who, era, y0, y1, r0, r1, pos0, pos1, name)
        if cross is not None:
            return cross
    for y, r in ((y0, r0), (y1, r1)):
        if r is None:
            raise ParameterError(f"the rank of {name} in {y} is not published; a decomposition needs its rank in "
                                 "both years", column="year",
                                 expected="years with a published rank: " + (", ".join(map(str, have)) or "none"))
    n = int(pos1["rank_of"].iloc[0])
    notes = []
    if y1 != y0 + 1:
        notes.append(Note(f"{y0} and {y1} are not consecutive years", f"{y0} và {y1} không phải hai năm liền nhau"))
    fw0 = str(res.loc[res["year"] == y0, "framework"].mode().iloc[0])
    fw1 = str(res.loc[res["year"] == y1, "framework"].mode().iloc[0])
    method_break = fw0 != fw1

    published_values = not (np.isnan(a0) or np.isnan(a1)) and "bounded" not in (
        pos0.loc[pos0["unit_slug"].fillna("") == slug, "kind"].iloc[0],
        pos1.loc[pos1["unit_slug"].fillna("") == slug, "kind"].iloc[0])
    if published_values and value_direction:
        _check_direction(value_direction, name, y0, y1, (a0, b0), (a1, b1))

    gr = general_rise(res, y0, y1, era, exclude=slug)
    if gr["method"] == "none" and national is not False:
        gr = _average_rise(national_of(results, national), y0, y1) or gr
    g = gr["value"]
    own = rank_range(pos0, max(0.0, a1 - g), max(0.0, b1 - g), exclude=slug)
    peers = rank_range(pos1, min(1.0, a0 + g), min(1.0, b0 + g), exclude=slug)
    if gr["method"] == "none":
        notes.append(gr["basis"])

    actual = r1 - r0
    own_sh, peers_sh = _shares(r0, r1, own, peers)
    table = _components(r0, r1, n, (a0, b0), (a1, b1), gr, own, peers, own_sh, peers_sh, y0, y1,
                        (fw0, fw1) if method_break else None)
    known = pd.DataFrame([_known(pos0, slug), _known(pos1, slug)])
    hold = _hold(pos1, slug, r0, r1, y1, (a1, b1), fw1)
    if r1 > r0 and np.isnan(a1):
        notes.append(Note(f"{name}'s own {y1} value is not published: the shortfall cannot be computed",
                          f"giá trị năm {y1} của {name} chưa công bố: không tính được phần thiếu"))
    if value_direction and not published_values:
        notes.append(Note(f"the published statement that the value went {value_direction} does not bound the own "
                          f"deviation from the general rise ({g:+.4f}): not used",
                          "thông tin đã công bố rằng giá trị " + ("tăng" if value_direction == "up" else "giảm")
                          + f" không giới hạn được độ lệch so với mức tăng chung ({printed_value(round(g, 4), 'vi')}): không dùng"))
    return Decomposition(
        unit=name, unit_slug=slug, era=era, year_from=y0, year_to=y1, framework_from=fw0, framework_to=fw1,
        rank_from=r0, rank_to=r1, rank_of=n, value_from=(a0, b0), value_to=(a1, b1), table=table, known=known,
        hold=hold, attribution=_attribution(actual, own_sh, peers_sh), method_break=method_break,
        general=gr, notes=notes)


def _years(year_from, year_to, value_direction) -> tuple[int, int]:
    """The two years (*year_to* default: the next year; after *year_from*); *value_direction* checked."""
    y0 = int(year_from)
    y1 = y0 + 1 if year_to is None else int(year_to)
    if y1 <= y0:
        raise ParameterError(f"year_to {y1} is not after year_from {y0}", column="year_to",
                             expected="a later year than year_from")
    if value_direction not in (None, "up", "down"):
        raise ParameterError(f"value_direction {value_direction!r}", column="value_direction",
                             expected="'up', 'down' or None")
    return y0, y1


def _check_direction(value_direction: str, name: str, y0: int, y1: int, v0, v1) -> None:
    """A stated direction of the value's change agrees with the published values (where they decide it)."""
    (a0, b0), (a1, b1) = v0, v1
    direction = "up" if a1 > b0 else "down" if b1 < a0 else None
    if direction and value_direction != direction:
        raise ParameterError(f"value_direction '{value_direction}' contradicts the published values of {name} "
                             f"({y0}: {a0:g}..{b0:g}, {y1}: {a1:g}..{b1:g})", column="value_direction",
                             expected=f"'{direction}' or None")


def _average_rise(nat: pd.DataFrame, y0: int, y1: int) -> dict | None:
    """The general rise as the change of the published provincial average (``None``: not published both years)."""
    avg = dict(zip(nat["year"].astype(int), nat["provincial_avg"].astype(float), strict=False))
    if y0 not in avg or y1 not in avg:
        return None
    return {"value": avg[y1] - avg[y0], "method": "average", "n": 2,
            "basis": Note.of("decompose.basis.average", a=avg[y0], b=avg[y1])}


def _components(r0, r1, n, v0, v1, gr, own, peers, own_sh, peers_sh, y0, y1, frameworks) -> pd.DataFrame:
    """The decomposition table: the actual change, the general rise, the unit's own deviation and the
    reshuffling among the others (counterfactual ranks, places, value changes, percentile points), and a
    methodology row when the *frameworks* (from, to) differ."""
    (a0, b0), (a1, b1), g = v0, v1, gr["value"]
    actual = r1 - r0
    d_lo, d_hi = a1 - b0, b1 - a0                       # the unit's value change (a range when bounded)
    rows = [
        {"component": "actual", "counterfactual_rank_lo": r1, "counterfactual_rank_hi": r1,
         "places_lo": actual, "places_hi": actual, "value_lo": d_lo, "value_hi": d_hi,
         "note": f"rank {r0} → {r1} of {n} (positive = down); value change {d_lo:+.4f}..{d_hi:+.4f}"},
        {"component": "general_rise", "counterfactual_rank_lo": r0, "counterfactual_rank_hi": r0,
         "places_lo": 0.0, "places_hi": 0.0, "value_lo": g, "value_hi": g,
         "note": f"{g:+.4f}: {gr['basis']}; a rise shared by all moves no rank"},
        {"component": "own", "counterfactual_rank_lo": own[0], "counterfactual_rank_hi": own[1],
         "places_lo": own_sh[0], "places_hi": own_sh[1], "value_lo": d_lo - g, "value_hi": d_hi - g,
         "note": f"its {y1} value less the general rise among the others' {y0} values"},
        {"component": "reshuffle", "counterfactual_rank_lo": peers[0], "counterfactual_rank_hi": peers[1],
         "places_lo": peers_sh[0], "places_hi": peers_sh[1], "value_lo": np.nan, "value_hi": np.nan,
         "note": f"its {y0} value plus the general rise among the others' {y1} values"},
    ]
    if frameworks is not None:
        fw0, fw1 = frameworks
        rows.append({"component": "methodology", "counterfactual_rank_lo": np.nan, "counterfactual_rank_hi": np.nan,
                     "places_lo": np.nan, "places_hi": np.nan, "value_lo": np.nan, "value_hi": np.nan,
                     "note": (f"framework changed {fw0} → {fw1}: the general rise includes the change of method, "
                              "which published totals cannot separate")})
    table = pd.DataFrame(rows)
    for c in ("counterfactual_rank_lo", "counterfactual_rank_hi"):
        table[c] = table[c].astype("Int64")
    pct = table[["places_lo", "places_hi"]].to_numpy(float) / (n - 1)
    table["percentile_lo"], table["percentile_hi"] = -pct[:, 1], -pct[:, 0]   # percentile points (+ = up)
    return table


def _hold(pos1: pd.DataFrame, slug: str, r0: int, r1: int, y1: int, v1, fw1: str) -> dict:
    """The value the unit needed in *y1* to hold its rank *r0*, and how far short it was (in value and in
    points of framework *fw1*; nothing short when it did not fall, unknown when its value is not published)."""
    a1, b1 = v1
    hold = value_for_rank(pos1, r0, exclude=slug)
    hold = {"rank": r0, "year": y1, "value_lo": hold["lo"], "value_hi": hold["hi"], "kind": hold["kind"],
            "basis": hold["basis"]}
    if r1 <= r0:                         # it did not fall: nothing was short (Kon Tum 46 → 45)
        hold["shortfall_lo"] = hold["shortfall_hi"] = 0.0
        tp = framework_total_points(fw1)
        hold["total_points"] = tp
        hold["points_lo"] = hold["points_hi"] = None if tp is None else 0.0
    elif not np.isnan(a1):
        hold["shortfall_lo"] = max(0.0, hold["value_lo"] - b1)
        hold["shortfall_hi"] = max(0.0, hold["value_hi"] - a1)
        tp = framework_total_points(fw1)
        hold["total_points"] = tp
        hold["points_lo"] = None if tp is None else hold["shortfall_lo"] * tp
        hold["points_hi"] = None if tp is None else hold["shortfall_hi"] * tp
    else:
        hold.update(shortfall_lo=np.nan, shortfall_hi=np.nan, total_points=framework_total_points(fw1),
                    points_lo=None, points_hi=None)
    return hold


@dataclass
class ListChange:
    """A rank change across the 63- and the 34-province list (:func:`decompose` of years in two lists): the two
    published ranks and the first one's relative position in the second list; no decomposition."""

    unit: str
    unit_slug: str
    year_from: int
    year_to: int
    rank_from: int
    rank_of_from: int
    rank_to: int
    rank_of_to: int
    mapped_from: float              # the rank of the same relative position in the second list
    same_list_years: list           # [(list size, [years with its rank])]
    table: pd.DataFrame

    def summary(self, lang: str = "vi") -> str:
        from ..i18n import fmt_number, t

        places = self.rank_to - self.mapped_from
        m0 = fmt_number(self.mapped_from, lang, 0 if abs(self.mapped_from - round(self.mapped_from)) < 0.05 else 1)
        head = t("decompose.cross.head", lang, unit=self.unit, r0=self.rank_from, n0=self.rank_of_from,
                 y0=self.year_from, r1=self.rank_to, n1=self.rank_of_to, y1=self.year_to, m0=m0,
                 places=_places(round(places), round(places), lang))
        same = "; ".join(f"{t('decompose.cross.list', lang, n=n)} {', '.join(map(str, ys))}"
                         for n, ys in self.same_list_years)
        return head + "\n" + t("decompose.cross.why", lang, same=same)


def _cross_list(res, who, era, y0, y1, r0, r1, pos0, pos1, name):
    """The change when one of the two years has the unit's rank only in the other list (same territory)."""
    other = 34 if era == 63 else 63
    slug_other = who.get(f"slug{other}")
    if slug_other is None or slug_other != who.get(f"slug{era}"):
        return None                          # a merged province: the other list's rank is not its own
    try:
        if r0 is None:
            pos0 = positions(res, y0, other)
            _, _, r0 = unit_interval(pos0, slug_other)
        else:
            pos1 = positions(res, y1, other)
            _, _, r1 = unit_interval(pos1, slug_other)
    except ParameterError:                   # no such list that year
        return None
    if r0 is None or r1 is None:
        return None
    n0, n1 = int(pos0["rank_of"].iloc[0]), int(pos1["rank_of"].iloc[0])
    if n0 == n1:
        return None
    from .outlook import _map_rank

    m0 = _map_rank(r0, n0, n1)
    ranked = res[(res["unit_slug"] == slug_other) & res["rank"].notna() & (res["origin"] == "published")]
    same = [(n, sorted(int(y) for y in ranked.loc[ranked["rank_of"] == n, "year"].unique())) for n in (n0, n1)]
    table = pd.DataFrame([{"component": "actual", "year_from": y0, "rank_from": r0, "rank_of_from": n0,
                           "year_to": y1, "rank_to": r1, "rank_of_to": n1, "rank_from_in_list_to": round(m0, 1),
                           "places": round(r1 - m0, 1)}])
    return ListChange(name, slug_other, y0, y1, int(r0), n0, int(r1), n1, m0, same, table)


def _known(pos: pd.DataFrame, slug: str) -> dict:
    o = pos[pos["unit_slug"].fillna("") != slug]
    return {"year": int(pos["year"].iloc[0]), "n_peers": len(o),
            "n_peer_ranks_known": int(o["listed"].sum()),
            "n_peer_values_known": int(o["kind"].isin(["published", "rounded", "derived"]).sum())}


def _places(lo, hi, lang):
    """'down 9–15 places' for a positive range, 'up …' for negative, both when it straddles 0."""
    from ..i18n import fmt_number

    def num(x):
        return fmt_number(abs(x), lang, 0)

    # whole places: a share averaged over two orders may end in ½; the range is widened to whole places
    lo, hi = float(np.floor(lo + 1e-9)), float(np.ceil(hi - 1e-9))

    from ..i18n import t

    if lo == hi == 0:
        return t("decompose.places.none", lang)
    if lo >= 0:
        return t("decompose.places.down", lang, n=f"{num(lo)}{'' if lo == hi else '–' + num(hi)}")
    if hi <= 0:
        return t("decompose.places.up", lang, n=f"{num(-hi)}{'' if lo == hi else '–' + num(-lo)}")
    return t("decompose.places.either", lang, up=num(-lo), down=num(hi))


def _summary(d: Decomposition, lang: str = "vi") -> str:
    from ..i18n import check_lang, fmt_number, fmt_range, t

    check_lang(lang)
    tb = d.table.set_index("component")
    own, resh, act = tb.loc["own"], tb.loc["reshuffle"], tb.loc["actual"]
    k0, k1 = d.known.iloc[0], d.known.iloc[1]
    actual = d.rank_to - d.rank_from
    h = d.hold
    g = d.general
    basis = note_text(g.get("basis", ""), lang)
    short = ""
    if not pd.isna(h.get("shortfall_lo")):
        pts = ""
        if h.get("points_lo") is not None:
            pts = t("decompose.points", lang, points=fmt_range(h["points_lo"], h["points_hi"], lang, 1,
                                                               bounds=(0.0, np.inf)),
                    total=fmt_number(h["total_points"], lang, 0))
        short = t("decompose.short", lang, short=fmt_range(h["shortfall_lo"], h["shortfall_hi"], lang,
                                                         bounds=(0.0, np.inf))) + pts
    from ..i18n import text_table

    # one or two sentences a plan can quote (what happened, why), then the components in a table
    lines = [t("decompose.head", lang, unit=d.unit, r0=d.rank_from, r1=d.rank_to, n=d.rank_of, y0=d.year_from,
               y1=d.year_to, places=_places(actual, actual, lang)) + " " + _verdict(d.attribution, actual, lang)]
    gen = tb.loc["general_rise"] if "general_rise" in tb.index else None
    rows = [("actual", _srange(act["value_lo"], act["value_hi"], lang), f"{d.rank_to}/{d.rank_of}",
             _places(actual, actual, lang))]
    if gen is not None:
        rows.append(("general_rise", _srange(g["value"], g["value"], lang), f"{d.rank_from}/{d.rank_of}",
                     _places(0, 0, lang)))
    rows += [("own", _srange(own["value_lo"], own["value_hi"], lang), f"{_rr(own)}/{d.rank_of}",
              _places(own["places_lo"], own["places_hi"], lang)),
             ("reshuffle", "—", f"{_rr(resh)}/{d.rank_of}", _places(resh["places_lo"], resh["places_hi"], lang))]
    table = pd.DataFrame([(t(f"decompose.part.{k}", lang), *rest) for k, *rest in rows],
                         columns=["decompose.col.part", "decompose.col.value", "decompose.col.rank",
                                  "decompose.col.places"])
    lines += ["", text_table(table, lang), ""]
    lines += [
        t("decompose.general", lang, general=_srange(g["value"], g["value"], lang), basis=basis),
        t("decompose.own_cf", lang, unit=d.unit, y0=d.year_from, y1=d.year_to, rank=_rr(own)),
        t("decompose.reshuffle_cf", lang, unit=d.unit, y0=d.year_from, y1=d.year_to, rank=_rr(resh)),
        t("decompose.data", lang, y0=d.year_from, y1=d.year_to, r0=k0["n_peer_ranks_known"], n0=k0["n_peers"],
          v0=k0["n_peer_values_known"], r1=k1["n_peer_ranks_known"], v1=k1["n_peer_values_known"]),
        _hold_line(d, short, lang),
    ]
    if d.method_break:
        lines.append(t("decompose.method_break", lang, a=d.framework_from, b=d.framework_to))
    return "\n".join(lines + [f"  ({note_text(n, lang)})" for n in d.notes])


def _hold_line(d: Decomposition, short: str, lang: str) -> str:
    """What holding the rank took: for a fall the value needed and the shortfall; for a rise (or a held
    rank) nothing was short, so the line says how many places it gained instead (Lai Châu 2021: 50 → 48)."""
    from ..i18n import fmt_range, t

    h = d.hold
    if d.rank_to < d.rank_from:
        return t("decompose.rose", lang, year=d.year_to, unit=d.unit, k=d.rank_from - d.rank_to, r0=d.rank_from,
                 r1=d.rank_to)
    if d.rank_to == d.rank_from:
        return t("decompose.held", lang, year=d.year_to, unit=d.unit, r0=d.rank_from)
    return t("decompose.hold", lang, rank=h["rank"], year=h["year"], value=fmt_range(h["value_lo"], h["value_hi"], lang, bounds=(0.0, 1.0)),
             basis=note_text(h["basis"], lang), short=short)


def _srange(lo, hi, lang, decimals=4):
    """A signed value range, "–" between the ends as every range: ``+0,1682`` or ``−0,0181–+0,1942``."""
    from ..i18n import fmt_number

    def one(x):
        return ("+" if x >= 0 else "−") + fmt_number(abs(x), lang, decimals)
    if pd.isna(lo) or pd.isna(hi):
        return "—"
    a, b = one(lo), one(hi)
    return a if a == b else f"{a}–{b}"


def _rr(row) -> str:
    lo, hi = row["counterfactual_rank_lo"], row["counterfactual_rank_hi"]
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


_PARTIAL = {"own (reshuffle share undetermined)": "own_partial",
            "reshuffle (own share undetermined)": "reshuffle_partial", "no change": "no_change"}


def _verdict(attribution: str, actual: int, lang: str) -> str:
    from ..i18n import t

    code = _PARTIAL.get(attribution, attribution)
    if code in ("own", "reshuffle", "both"):
        code += ".down" if actual > 0 else ".up"
    return t(f"decompose.verdict.{code}", lang)
