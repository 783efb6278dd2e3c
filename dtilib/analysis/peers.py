"""Who to compare with: region peers, rank neighbours, the national average, main-indicator profile.

* :func:`add_region`, :func:`region_summary` — a year's ranking by region.
* :func:`region_peers` — the provinces of the same region (the 6 regions of ``provinces_63.csv``;
  for the 34-list, a merged unit belongs to every region of its members).
* :func:`rank_neighbours` — the positions within ±k ranks of the unit in a year, with each value or
  the bounds the published order allows (:mod:`dtilib.analysis.ranking`).
* :func:`peer_table` — a peer group's value and rank in a year, plus the published provincial average.
* :func:`indicator_profile` — the unit's main-indicator values against the peers' (mean/min/max of the
  peers that have a published value; how many have one is stated, nothing is filled).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..i18n import localized
from .frames import indicators_of, national_of, provinces_of, resolve_unit, results_of, unit_name
from .ranking import positions


def _slug(results, unit, era):
    who = resolve_unit(unit, results)
    slug = who["slug63"] if era == 63 else who["slug34"]
    if slug is None:
        raise ParameterError(f"'{unit}' is not a unit of the {era}-province list", column="province",
                             expected=f"a province of the {era}-province list")
    return slug


def region_peers(provinces: pd.DataFrame, unit_slug: str, *, era: int = 63) -> pd.DataFrame:
    """Units sharing a region with *unit_slug*: ``slug, name_vi, region, is_unit``."""
    p = provinces[provinces["era"].astype(int) == era].copy()
    if unit_slug not in set(p["slug"]):
        from ..errors import suggest

        raise ParameterError(f"unknown unit '{unit_slug}' in era {era}{suggest(unit_slug, p['slug'])}",
                             column="province", expected=f"a slug of the {era}-province table")
    regs = p["region"].fillna("").astype(str).str.split(r"\s*;\s*")
    mine = set(regs[p["slug"] == unit_slug].iloc[0])
    out = p[[bool(mine & set(r)) for r in regs]][["slug", "name_vi", "region"]].copy()
    out["is_unit"] = out["slug"] == unit_slug
    return out.reset_index(drop=True)


def add_region(pos: pd.DataFrame, provinces: pd.DataFrame, *, era: int = 63) -> pd.DataFrame:
    """A copy of a ranking (:func:`~dtilib.analysis.ranking.positions`) with the ``region`` of each unit as
    stored in ``provinces.csv`` (a merged 34-list unit of several regions: its regions joined by ``;``;
    a unit without one: missing)."""
    p = provinces[provinces["era"].astype(int) == era]
    return pos.assign(region=pos["unit_slug"].map(p.set_index("slug")["region"]))


def region_summary(pos: pd.DataFrame) -> pd.DataFrame:
    """The listed units of a ranking with a ``region`` column (:func:`add_region`) per region: ``region``,
    ``n`` units, ``best`` and ``median`` rank, ``n_values`` published values and their ``mean_value``;
    best median rank first.  Units without a region form one group (region missing)."""
    return (pos[pos["listed"]].groupby("region", dropna=False)
            .agg(n=("rank", "size"), best=("rank", "min"), median=("rank", "median"), n_values=("value", "count"),
                 mean_value=("value", "mean"))
            .reset_index().sort_values("median"))


def rank_neighbours(results: pd.DataFrame, unit: str, year: int, *, k: int = 5, era: int = 63) -> pd.DataFrame:
    """The positions within ±*k* ranks of *unit* in *year* (value, or bounds where not published)."""
    if k < 1:
        raise ParameterError(f"k = {k}", column="k", expected="a number of ranks ≥ 1")
    res = results_of(results)
    slug = _slug(res, unit, era)
    pos = positions(res, year, era)
    me = pos[pos["unit_slug"].fillna("") == slug]
    if me.empty:
        raise ParameterError(f"the rank of {unit_name(slug, era, 'vi', res)} in {year} is not published",
                             column="year", expected="a year in which the unit's rank is published")
    r = int(me["rank"].iloc[0])
    out = pos[(pos["rank"] >= r - k) & (pos["rank"] <= r + k)].copy()
    out["is_unit"] = out["unit_slug"].fillna("") == slug
    return out[["year", "rank", "rank_of", "unit", "unit_slug", "value", "lo", "hi", "kind", "is_unit"]].reset_index(
        drop=True)


def peer_table(results: pd.DataFrame, unit: str, year: int, *, peers: str | list[str] = "region",
               provinces: pd.DataFrame | None = None, national: pd.DataFrame | None | bool = None,
               k: int = 5, era: int = 63) -> pd.DataFrame:
    """Value and rank in *year* of *unit* and its peers.

    *peers*: ``"region"`` (same region), ``"neighbours"`` (±*k* ranks) or a list of names.  A final row
    ``unit_slug = "__provincial_avg__"`` holds the published provincial average of the year (if any).
    Peers without a published figure are listed with NaN (so the table says who is missing).
    """
    res = results_of(results)
    slug = _slug(res, unit, era)
    if isinstance(peers, str):
        if peers == "region":
            prov = provinces_of(results, provinces)
            slugs = list(region_peers(prov, slug, era=era)["slug"])
        elif peers == "neighbours":
            nb = rank_neighbours(res, unit, year, k=k, era=era)
            slugs = [s for s in nb["unit_slug"] if not pd.isna(s)]
        else:
            raise ParameterError(f"unknown peer group '{peers}'", column="peers",
                                 expected="'region', 'neighbours' or a list of province names")
    else:
        slugs = [slug] + [_slug(res, p, era) for p in peers]
    slugs = list(dict.fromkeys(slugs))
    pos = positions(res, year, era)
    by = pos.set_index(pos["unit_slug"].fillna("")).drop(index="", errors="ignore")
    rows = []
    for s in slugs:
        r = by.loc[s] if s in by.index else None
        rows.append({"year": int(year), "unit": unit_name(s, era, "vi", res), "unit_slug": s,
                     "value": np.nan if r is None else r["value"], "rank": pd.NA if r is None else int(r["rank"]),
                     "rank_of": int(pos["rank_of"].iloc[0]), "lo": np.nan if r is None else r["lo"],
                     "hi": np.nan if r is None else r["hi"], "is_unit": s == slug})
    national = national_of(results, national)
    if national is not False and national is not None:
        avg = national[national["year"].astype(int) == int(year)]
        if len(avg):
            v = float(avg["provincial_avg"].iloc[0])
            rows.append({"year": int(year), "unit": "Trung bình cấp tỉnh / provincial average",
                         "unit_slug": "__provincial_avg__", "value": v, "rank": pd.NA,
                         "rank_of": int(pos["rank_of"].iloc[0]), "lo": v, "hi": v, "is_unit": False})
    out = pd.DataFrame(rows)
    out["rank"] = out["rank"].astype("Int64")
    return out


def indicator_profile(indicators: pd.DataFrame, unit: str, year: int, peers: list[str] | str = "region", *,
                      provinces: pd.DataFrame | None = None, results: pd.DataFrame | None = None,
                      era: int = 63, lang: str = "vi") -> pd.DataFrame:
    """The unit's main-indicator values (and ranks) in *year* against its peers'.

    One row per main indicator of the year's framework: ``value`` (the unit's), ``peer_mean``,
    ``peer_min``, ``peer_max``, ``n_peers_with_value`` / ``n_peers``, ``diff`` (value − peer mean),
    and from the published main-indicator ranks ``rank``, ``percentile`` (1 − (rank − 1)/(rank_of − 1)),
    ``peer_percentile_mean`` and ``n_peers_with_rank`` — many years publish a province's
    main-indicator ranks without the values.  Only published figures are used (nothing is filled); a
    peer without the figure is not in the mean, and the counts say so.
    """
    from ..frameworks import load_framework
    from ..i18n import check_lang
    check_lang(lang)
    ind = indicators_of(indicators)
    res = ind.rename(columns={"value": "dti_value"}) if results is None else results_of(results)
    slug = _slug(res, unit, era)
    d = ind[(ind["year"] == int(year)) & (ind["era"] == era)].copy()
    d["percentile"] = 1 - (d["rank"].astype("Float64").astype(float) - 1) / (d["rank_of"] - 1)
    known = ind[(ind["unit_slug"] == slug) & (ind["value"].notna() | ind["rank"].notna())]
    have = sorted(int(y) for y in known["year"].unique())
    mine = d[(d["unit_slug"] == slug) & (d["value"].notna() | d["rank"].notna())]
    if mine.empty:
        raise ParameterError(f"no main-indicator value or rank of {unit_name(slug, era, 'vi', res)} is published for "
                             f"{year}", column="year",
                             expected="a year with published main-indicator figures: " + (", ".join(map(str, have)) or "none"))
    fw = load_framework(str(mine["framework"].mode().iloc[0]))
    mains = fw.main[fw.main["scored"]]
    if isinstance(peers, str):
        if peers != "region":
            raise ParameterError(f"unknown peer group '{peers}'", column="peers",
                                 expected="'region' or a list of province names")
        prov = provinces_of(results, provinces)
        peer_slugs = [s for s in region_peers(prov, slug, era=era)["slug"] if s != slug]
    else:
        peer_slugs = [s for s in (_slug(res, p, era) for p in peers) if s != slug]
    rows = []
    for _, m in mains.iterrows():
        me = mine[mine["indicator"] == m["id"]]
        pd_ = d[(d["indicator"] == m["id"]) & d["unit_slug"].isin(peer_slugs)]
        pv = pd_[pd_["value"].notna()]
        pr = pd_[pd_["percentile"].notna()]
        rank = me["rank"].dropna()
        rows.append({"indicator": m["id"], "name": localized(m, "name", lang),
                     "value": float(me["value"].iloc[0]) if len(me) and pd.notna(me["value"].iloc[0]) else np.nan,
                     "peer_mean": float(pv["value"].mean()) if len(pv) else np.nan,
                     "peer_min": float(pv["value"].min()) if len(pv) else np.nan,
                     "peer_max": float(pv["value"].max()) if len(pv) else np.nan,
                     "n_peers_with_value": len(pv), "n_peers": len(peer_slugs),
                     "rank": int(rank.iloc[0]) if len(rank) else pd.NA,
                     "percentile": float(me["percentile"].dropna().iloc[0]) if me["percentile"].notna().any() else np.nan,
                     "peer_percentile_mean": float(pr["percentile"].mean()) if len(pr) else np.nan,
                     "n_peers_with_rank": len(pr),
                     "peers_with_value": ", ".join(pv["unit"]), "peers_with_rank": ", ".join(pr["unit"])})
    out = pd.DataFrame(rows)
    out["rank"] = out["rank"].astype("Int64")
    out["diff"] = out["value"] - out["peer_mean"]
    out.attrs.update(unit=unit_name(slug, era, lang, res), year=int(year), framework=fw.id)
    return out
