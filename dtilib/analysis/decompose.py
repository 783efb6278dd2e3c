"""Why did a province's rank change?  Own progress vs peers' progress (vs methodology), with bounds.

For a unit ranked ``r0`` in year ``y0`` and ``r1`` in ``y1`` (same list), two counterfactual ranks:

* **own**: its NEW value among the peers' OLD values — where its own progress alone would have put it;
* **peers**: its OLD value among the peers' NEW values — where the peers' progress alone would have put it.

The rank change ``r1 − r0`` is split additively into an own and a peers share by averaging the two
orders of the path (own first, then peers; peers first, then own — the Shapley split):

    own   = ½ [(own_cf − r0) + (r1 − peers_cf)]
    peers = ½ [(peers_cf − r0) + (r1 − own_cf)]          own + peers = r1 − r0

Signs follow ranks: **positive = down** (rank number up), negative = up.

Most years publish only some values (2022: all 63 ranks, 9 values; 2021: 20 ranks, 7 values).  A peer
whose value is unknown still has a place in the order of its year, so its value lies between the
published values ranked around it (:mod:`dtilib.analysis.ranking`).  Counterfactual ranks are
therefore **ranges**, and so are the shares; nothing is invented.  A published statement of the
direction of the unit's own value (e.g. Bắc Kạn 2022: "the score rose", seed 003) can be passed as
``value_direction="up"`` when the values themselves are not published.

**Methodology.**  When the framework changed between the two years (2020→2021, 2023→2024) the values
are on different scales.  The counterfactuals are then computed on values relative to each year's
published provincial average (``value × avg_y0 / avg_y1``), and a ``methodology`` row says that part
of both shares may come from the change of method — which published totals cannot separate.  The raw
(unadjusted) counterfactual ranks are shown in that row for transparency.

**Holding the rank.**  ``hold`` is the value the unit needed in ``y1`` to keep rank ``r0``: the value of
the ``r0``-th best peer in ``y1`` (exact, rounded or bounded), and the shortfall from its actual value,
also in framework points (× ``total_points``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ._data import check_results, display, framework_total_points, load_national, resolve_unit
from ._labels import Note, note_text
from .ranking import _g, positions, rank_range, unit_interval, value_for_rank


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
    notes: list[str] = field(default_factory=list)

    def summary(self, lang: str = "vi") -> str:
        return _summary(self, lang)

    def __repr__(self) -> str:
        return (f"<Decomposition {self.unit} {self.year_from}→{self.year_to}: rank {self.rank_from}→{self.rank_to}, "
                f"attribution={self.attribution}>")


def _shares(r0, r1, own, peers):
    own_lo = 0.5 * ((own[0] - r0) + (r1 - peers[1]))
    own_hi = 0.5 * ((own[1] - r0) + (r1 - peers[0]))
    peer_lo = 0.5 * ((peers[0] - r0) + (r1 - own[1]))
    peer_hi = 0.5 * ((peers[1] - r0) + (r1 - own[0]))
    return (own_lo, own_hi), (peer_lo, peer_hi)


def _attribution(actual, own, peers) -> str:
    if actual == 0:
        return "none" if own == (0, 0) and peers == (0, 0) else "offsetting"
    s = 1 if actual > 0 else -1
    own_pushes = own[0] * s > 0 if s > 0 else own[1] * s > 0       # surely in the direction of the change
    own_against = own[1] * s <= 0 if s > 0 else own[0] * s <= 0    # surely not in that direction
    peers_pushes = peers[0] * s > 0 if s > 0 else peers[1] * s > 0
    peers_against = peers[1] * s <= 0 if s > 0 else peers[0] * s <= 0
    if peers_pushes and own_against:
        return "peers"
    if own_pushes and peers_against:
        return "own"
    if own_pushes and peers_pushes:
        return "both"
    if peers_pushes:
        return "peers (own share undetermined)"
    if own_pushes:
        return "own (peers share undetermined)"
    return "undetermined"


def decompose(results: pd.DataFrame | None, unit: str, year_from: int, year_to: int | None = None, *,
              era: int = 63, national: pd.DataFrame | None | bool = None,
              value_direction: str | None = None) -> Decomposition:
    """Split the rank change of *unit* from *year_from* to *year_to* (default the next year).

    *results*: results table (``None`` = :func:`~dtilib.analysis.load_results`); *national*:
    provincial averages (for the methodology adjustment; ``None`` = load, ``False`` = none).
    *value_direction*: ``"up"``/``"down"`` — a published statement that the unit's value rose/fell,
    used only when its values are not published.
    """
    from ._data import load_results

    res = check_results(load_results() if results is None else results)
    if era not in (63, 34):
        raise ParameterError(f"unknown era {era!r}", column="era", expected="63 or 34")
    who = resolve_unit(res, unit)
    slug = who["slug63"] if era == 63 else who["slug34"]
    name = display(slug, era, "vi", res) if slug else str(unit)
    if slug is None:
        raise ParameterError(f"'{unit}' is not a unit of the {era}-province list", column="province",
                             expected=f"a province of the {era}-province list")
    y0 = int(year_from)
    y1 = y0 + 1 if year_to is None else int(year_to)
    if y1 <= y0:
        raise ParameterError(f"year_to {y1} is not after year_from {y0}", column="year_to",
                             expected="a later year than year_from")
    if value_direction not in (None, "up", "down"):
        raise ParameterError(f"value_direction {value_direction!r}", column="value_direction",
                             expected="'up', 'down' or None")
    mine = res[(res["unit_slug"] == slug) & (res["era"] == era) & res["rank"].notna()
               & (res["origin"] == "published")]
    have = sorted(int(y) for y in mine["year"].unique())
    pos0, pos1 = positions(res, y0, era), positions(res, y1, era)
    a0, b0, r0 = unit_interval(pos0, slug)
    a1, b1, r1 = unit_interval(pos1, slug)
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

    direction = value_direction
    published_values = not (np.isnan(a0) or np.isnan(a1)) and "bounded" not in (
        pos0.loc[pos0["unit_slug"].fillna("") == slug, "kind"].iloc[0],
        pos1.loc[pos1["unit_slug"].fillna("") == slug, "kind"].iloc[0])
    if published_values:
        direction = "up" if a1 > b0 else "down" if b1 < a0 else None
        if value_direction and direction and value_direction != direction:
            raise ParameterError(f"value_direction '{value_direction}' contradicts the published values of {name} "
                                 f"({y0}: {a0:g}..{b0:g}, {y1}: {a1:g}..{b1:g})", column="value_direction",
                                 expected=f"'{direction}' or None")

    def counterfactuals(scale: float):
        own = rank_range(pos0, a1 / scale, b1 / scale, exclude=slug)
        peers = rank_range(pos1, a0 * scale, b0 * scale, exclude=slug)
        if scale == 1.0 and direction == "up":      # new ≥ old: among old peers at least as good as r0, …
            own = (min(own[0], r0), min(own[1], r0))
            peers = (max(peers[0], r1), max(peers[1], r1))
        elif scale == 1.0 and direction == "down":
            own = (max(own[0], r0), max(own[1], r0))
            peers = (min(peers[0], r1), min(peers[1], r1))
        return own, peers

    own_raw, peers_raw = counterfactuals(1.0)
    scale = 1.0
    if method_break:
        avg = {}
        if national is None:
            national = load_national()
        if national is not False and national is not None:
            avg = dict(zip(national["year"].astype(int), national["provincial_avg"].astype(float), strict=False))
        if y0 in avg and y1 in avg:
            scale = avg[y1] / avg[y0]
            own, peers = counterfactuals(scale)
            notes.append(Note(f"framework changed ({fw0} → {fw1}): values compared relative to the provincial "
                              f"average ({avg[y0]:g} in {y0}, {avg[y1]:g} in {y1})",
                              f"đổi bộ chỉ số ({fw0} → {fw1}): so sánh giá trị tương đối với trung bình cấp tỉnh "
                              f"({_g(avg[y0], 'vi')} năm {y0}, {_g(avg[y1], 'vi')} năm {y1})"))
        else:
            own, peers = own_raw, peers_raw
            miss = [str(y) for y in (y0, y1) if y not in avg]
            notes.append(Note(f"framework changed ({fw0} → {fw1}) and the provincial average of {', '.join(miss)} "
                              "is not published: values compared as published, across two methods",
                              f"đổi bộ chỉ số ({fw0} → {fw1}) và chưa công bố trung bình cấp tỉnh năm "
                              f"{', '.join(miss)}: so sánh giá trị như đã công bố, qua hai phương pháp"))
    else:
        own, peers = own_raw, peers_raw

    actual = r1 - r0
    own_sh, peers_sh = _shares(r0, r1, own, peers)
    rows = [
        {"component": "actual", "counterfactual_rank_lo": r1, "counterfactual_rank_hi": r1,
         "places_lo": actual, "places_hi": actual,
         "note": f"rank {r0} → {r1} of {n} (positive = down)"},
        {"component": "own", "counterfactual_rank_lo": own[0], "counterfactual_rank_hi": own[1],
         "places_lo": own_sh[0], "places_hi": own_sh[1],
         "note": f"its {y1} value among the peers' {y0} values" + (" (relative to the average)" if scale != 1 else "")},
        {"component": "peers", "counterfactual_rank_lo": peers[0], "counterfactual_rank_hi": peers[1],
         "places_lo": peers_sh[0], "places_hi": peers_sh[1],
         "note": f"its {y0} value among the peers' {y1} values" + (" (relative to the average)" if scale != 1 else "")},
    ]
    if method_break:
        rows.append({"component": "methodology", "counterfactual_rank_lo": np.nan, "counterfactual_rank_hi": np.nan,
                     "places_lo": np.nan, "places_hi": np.nan,
                     "note": (f"framework changed {fw0} → {fw1}: part of both shares may be due to the change of "
                              "method, which published totals cannot separate; unadjusted counterfactual ranks: "
                              f"own {own_raw[0]}–{own_raw[1]}, peers {peers_raw[0]}–{peers_raw[1]}")})
    table = pd.DataFrame(rows)
    for c in ("counterfactual_rank_lo", "counterfactual_rank_hi"):
        table[c] = table[c].astype("Int64")

    known = pd.DataFrame([_known(pos0, slug), _known(pos1, slug)])
    hold = value_for_rank(pos1, r0, exclude=slug)
    hold = {"rank": r0, "year": y1, "value_lo": hold["lo"], "value_hi": hold["hi"], "kind": hold["kind"],
            "basis": hold["basis"], "basis_vi": hold["basis_vi"]}
    if not np.isnan(a1):
        hold["shortfall_lo"] = max(0.0, hold["value_lo"] - b1)
        hold["shortfall_hi"] = max(0.0, hold["value_hi"] - a1)
        tp = framework_total_points(fw1)
        hold["total_points"] = tp
        hold["points_lo"] = None if tp is None else hold["shortfall_lo"] * tp
        hold["points_hi"] = None if tp is None else hold["shortfall_hi"] * tp
    else:
        hold.update(shortfall_lo=np.nan, shortfall_hi=np.nan, total_points=framework_total_points(fw1),
                    points_lo=None, points_hi=None)
        notes.append(Note(f"{name}'s own {y1} value is not published: the shortfall cannot be computed",
                          f"giá trị năm {y1} của {name} chưa công bố: không tính được phần thiếu"))
    if value_direction and not published_values:
        notes.append(Note(f"used the published statement that the value went {value_direction}",
                          "dùng thông tin đã công bố rằng giá trị " + ("tăng" if value_direction == "up" else "giảm")))
    return Decomposition(
        unit=name, unit_slug=slug, era=era, year_from=y0, year_to=y1, framework_from=fw0, framework_to=fw1,
        rank_from=r0, rank_to=r1, rank_of=n, value_from=(a0, b0), value_to=(a1, b1), table=table, known=known,
        hold=hold, attribution=_attribution(actual, own_sh, peers_sh), method_break=method_break, notes=notes)


def _known(pos: pd.DataFrame, slug: str) -> dict:
    o = pos[pos["unit_slug"].fillna("") != slug]
    return {"year": int(pos["year"].iloc[0]), "n_peers": len(o),
            "n_peer_ranks_known": int(o["listed"].sum()),
            "n_peer_values_known": int(o["kind"].isin(["published", "rounded", "derived"]).sum())}


def _rng(lo, hi, lang, decimals=1):
    from ..i18n import fmt_number

    a, b = fmt_number(abs(lo), lang, decimals), fmt_number(abs(hi), lang, decimals)
    return a if a == b else f"{a}–{b}"


def _places(lo, hi, lang):
    """'down 9–15 places' for a positive range, 'up …' for negative, both when it straddles 0."""
    from ..i18n import fmt_number

    def num(x):
        return fmt_number(abs(x), lang, 1 if abs(x - round(x)) > 1e-9 else 0)

    down, up = ("xuống", "lên") if lang == "vi" else ("down", "up")
    unit = "bậc" if lang == "vi" else "places"
    if lo >= 0:
        return f"{down} {num(lo)}{'' if lo == hi else '–' + num(hi)} {unit}"
    if hi <= 0:
        return f"{up} {num(-hi)}{'' if lo == hi else '–' + num(-lo)} {unit}"
    return (f"trong khoảng {up} {num(-lo)} đến {down} {num(hi)} {unit}" if lang == "vi"
            else f"between {up} {num(-lo)} and {down} {num(hi)} {unit}")


def _summary(d: Decomposition, lang: str = "vi") -> str:
    from ..i18n import check_lang, fmt_number

    check_lang(lang)
    t = d.table.set_index("component")
    own, peers = t.loc["own"], t.loc["peers"]
    k0, k1 = d.known.iloc[0], d.known.iloc[1]
    actual = d.rank_to - d.rank_from
    h = d.hold
    if lang == "vi":
        lines = [
            f"{d.unit}: hạng {d.rank_from}/{d.rank_of} ({d.year_from}) → {d.rank_to}/{d.rank_of} ({d.year_to}), "
            f"{_places(actual, actual, lang)}.",
            f"- Nếu chỉ {d.unit} thay đổi (giá trị {d.year_to} so với các tỉnh năm {d.year_from}): hạng "
            f"{_rr(own)}.",
            f"- Nếu chỉ các tỉnh khác thay đổi (giá trị {d.year_from} của {d.unit} so với các tỉnh năm {d.year_to}): "
            f"hạng {_rr(peers)}.",
            f"- Phân tách: phần do chính tỉnh {_places(own['places_lo'], own['places_hi'], lang)}; "
            f"phần do các tỉnh khác {_places(peers['places_lo'], peers['places_hi'], lang)}.",
            f"- Số liệu: năm {d.year_from} biết hạng của {k0['n_peer_ranks_known']}/{k0['n_peers']} tỉnh khác, giá trị "
            f"của {k0['n_peer_values_known']}; năm {d.year_to} biết hạng {k1['n_peer_ranks_known']}, giá trị "
            f"{k1['n_peer_values_known']}. Các khoảng trên là cận từ thứ tự xếp hạng, không ước đoán giá trị.",
            f"- Để giữ hạng {h['rank']} năm {h['year']} cần giá trị {_vr(h, lang)} ({h['basis_vi']})"
            + (f"; thiếu {_vrange(h['shortfall_lo'], h['shortfall_hi'], lang)}"
               + (f" = {_vrange(h['points_lo'], h['points_hi'], lang, 1)} điểm/{fmt_number(h['total_points'], lang, 0)}"
                  if h.get("points_lo") is not None else "") if not pd.isna(h.get("shortfall_lo")) else "") + ".",
        ]
        if d.method_break:
            lines.append(f"- Đổi bộ chỉ số {d.framework_from} → {d.framework_to}: một phần thay đổi có thể do phương "
                         "pháp, số liệu công bố không tách được.")
        verdict = _verdict(d.attribution, actual, lang)
    else:
        lines = [
            f"{d.unit}: rank {d.rank_from}/{d.rank_of} ({d.year_from}) → {d.rank_to}/{d.rank_of} ({d.year_to}), "
            f"{_places(actual, actual, lang)}.",
            f"- Own progress only ({d.year_to} value among the {d.year_from} values of the others): rank "
            f"{_rr(own)}.",
            f"- Peers' progress only ({d.year_from} value among the {d.year_to} values of the others): rank "
            f"{_rr(peers)}.",
            f"- Split: own share {_places(own['places_lo'], own['places_hi'], lang)}; peers' share "
            f"{_places(peers['places_lo'], peers['places_hi'], lang)}.",
            f"- Data: {d.year_from}: ranks of {k0['n_peer_ranks_known']}/{k0['n_peers']} peers known, values of "
            f"{k0['n_peer_values_known']}; {d.year_to}: ranks {k1['n_peer_ranks_known']}, values "
            f"{k1['n_peer_values_known']}. Ranges are bounds from the rank order, no value is guessed.",
            f"- To hold rank {h['rank']} in {h['year']} it needed {_vr(h, lang)} ({h['basis']})"
            + (f"; short by {_vrange(h['shortfall_lo'], h['shortfall_hi'], lang)}"
               + (f" = {_vrange(h['points_lo'], h['points_hi'], lang, 1)} points of {fmt_number(h['total_points'], lang, 0)}"
                  if h.get("points_lo") is not None else "") if not pd.isna(h.get("shortfall_lo")) else "") + ".",
        ]
        if d.method_break:
            lines.append(f"- Framework changed {d.framework_from} → {d.framework_to}: part of the change may be the "
                         "method, which published totals cannot separate.")
        verdict = _verdict(d.attribution, actual, lang)
    return "\n".join(lines + [verdict] + [f"  ({note_text(n, lang)})" for n in d.notes])


VERDICTS = {
    ("peers", 1): ("Kết luận: tụt hạng do các tỉnh khác tiến nhanh hơn; riêng giá trị của tỉnh thì không kéo hạng xuống.",
                   "Verdict: the fall is due to the peers progressing faster; the unit's own value alone did not "
                   "pull it down."),
    ("own", 1): ("Kết luận: tụt hạng do giá trị của chính tỉnh; riêng các tỉnh khác thì không đẩy tỉnh xuống.",
                 "Verdict: the fall is due to the unit's own value; the peers alone would not have pushed it down."),
    ("both", 1): ("Kết luận: cả giá trị của tỉnh và tiến bộ của các tỉnh khác đều kéo hạng xuống.",
                  "Verdict: both the unit's own value and the peers' progress pulled it down."),
    ("peers", -1): ("Kết luận: tăng hạng nhờ các tỉnh khác tiến chậm hơn; riêng giá trị của tỉnh thì không nâng hạng.",
                    "Verdict: the rise is due to the peers progressing less; the unit's own value alone would not "
                    "have lifted it."),
    ("own", -1): ("Kết luận: tăng hạng nhờ giá trị của chính tỉnh; riêng các tỉnh khác thì không nâng hạng.",
                  "Verdict: the rise is due to the unit's own progress; the peers alone would not have lifted it."),
    ("both", -1): ("Kết luận: cả tỉnh và các tỉnh khác đều góp phần tăng hạng.",
                   "Verdict: both the unit and its peers contributed to the rise."),
    ("peers (own share undetermined)", 0): (
        "Kết luận: chắc chắn có phần do các tỉnh khác; phần của chính tỉnh không xác định được do thiếu giá trị công bố.",
        "Verdict: the peers surely contributed; the unit's own share is undetermined (values not published)."),
    ("own (peers share undetermined)", 0): (
        "Kết luận: chắc chắn có phần do chính tỉnh; phần của các tỉnh khác không xác định được.",
        "Verdict: the unit's own value surely contributed; the peers' share is undetermined."),
}


def _rr(row) -> str:
    lo, hi = row["counterfactual_rank_lo"], row["counterfactual_rank_hi"]
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


def _verdict(attribution: str, actual: int, lang: str) -> str:
    s = 1 if actual > 0 else -1 if actual < 0 else 0
    text = VERDICTS.get((attribution, s)) or VERDICTS.get((attribution, 0)) or (
        "Kết luận: số liệu công bố chưa đủ để phân định.", "Verdict: the published data are not enough to tell.")
    return text[0] if lang == "vi" else text[1]


def _vr(h, lang):
    return _vrange(h["value_lo"], h["value_hi"], lang)


def _vrange(lo, hi, lang, decimals=4):
    from ..i18n import fmt_number

    a, b = fmt_number(lo, lang, decimals), fmt_number(hi, lang, decimals)
    return a if a == b else f"{a}–{b}"
