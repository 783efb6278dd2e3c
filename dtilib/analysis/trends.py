"""Year-over-year trend of one province: value, rank, changes, breaks and comparability aids.

:func:`trend` returns one row per (year, list) from the first to the last year of the results table —
years without a published figure are rows with NaN (never interpolated).  Every step between two
rows is checked for a **break**, derived from the data, not from hard-coded years:

* ``method:A→B`` when the ``framework`` column changes (2020→2021: vn-province-2020→vn-province-922;
  2023→2024: vn-province-922→vn-province-405);
* ``reorg:63→34`` when the list changes from the 63 provinces to the 34 (2024 was published for both:
  the 2024 row of the 63-list is followed by the 2024 row of the 34-list).  For a merged province the
  34-list unit is not the same territory (e.g. Lào Cai 34 = Lào Cai + Yên Bái).

A flagged step is still computed (so it can be read), but it is never one silent continuous line:
plots draw a gap and a marker there (:func:`dtilib.analysis.plots.plot_trend`).

Comparability aids (across frameworks and list sizes; labelled as such, not as the DTI itself):

* ``percentile`` = 1 − (rank − 1)/(rank_of − 1): 1 for the first, 0 for the last of the list, so a
  rank 45/63 and a rank 24/34 can be compared (both ≈ 0.29);
* ``vs_avg`` = value − the published provincial average of that year, and ``vs_avg_ratio`` =
  value / average (years without a published average stay NaN; 2022 has none).

Signs: ``delta_rank`` = rank − previous rank, so **negative is an improvement** ("up N places");
``delta_rank`` is NaN across a change of list size (63→34), where only ``delta_percentile`` compares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..i18n import register as _register_labels
from . import _labels  # noqa: F401  (registers the labels)
from ._data import check_results, display, load_national, load_results, resolve_unit, year_frameworks

TREND_COLUMNS = [
    "year", "era", "unit", "unit_slug", "value", "rank", "rank_of", "framework", "origin", "evidence",
    "delta_value", "rel_change", "delta_rank", "break", "percentile", "delta_percentile",
    "provincial_avg", "vs_avg", "vs_avg_ratio", "delta_vs_avg", "source", "rank_low", "rank_high",
]


def percentile(rank, rank_of):
    """``1 − (rank − 1)/(rank_of − 1)`` (1 = first, 0 = last); NaN where the rank is unknown."""
    r = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(rank)), errors="coerce"), dtype=float)
    n = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(rank_of)), errors="coerce"), dtype=float)
    out = 1 - (r - 1) / (n - 1)
    return float(out[0]) if np.ndim(rank) == 0 and np.ndim(rank_of) == 0 else out


def _pick(rows: pd.DataFrame) -> dict:
    """One record from the rows of one (year, era, unit): the published row; a derived value only
    where no published value exists (origin says which)."""
    pub = rows[rows["origin"] == "published"]
    der = rows[rows["origin"] != "published"]
    rec = {"value": np.nan, "rank": pd.NA, "origin": "", "evidence": "", "source": "", "framework": None,
           "rank_low": pd.NA, "rank_high": pd.NA}
    # rank_low / rank_high (data/processed/results.csv): the ranks the published values allow; equal to
    # the rank where it is printed.  Tables built by hand may lack them.
    for _, r in pd.concat([pub, der]).iterrows():
        if "rank_low" in r and not pd.isna(r["rank_low"]):
            rec.update(rank_low=r["rank_low"], rank_high=r["rank_high"])
            break
    if len(pub):
        p = pub.iloc[0]
        rec.update(value=p["dti_value"], rank=p["rank"], origin="published", evidence=p["evidence"],
                   source=p["source"], framework=p["framework"])
    if pd.isna(rec["value"]) and len(der) and der["dti_value"].notna().any():
        q = der[der["dti_value"].notna()].iloc[0]
        rec.update(value=q["dti_value"], framework=q["framework"],
                   origin="published+derived" if len(pub) else "derived",
                   evidence=(rec["evidence"] + "; " if rec["evidence"] else "") + f"value: {q['evidence']}",
                   source=(rec["source"] + " | " if rec["source"] else "") + q["source"])
        if pd.isna(rec["rank"]):
            rec["rank"] = q["rank"]
    return rec


def trend(results: pd.DataFrame | None, unit: str, *, national: pd.DataFrame | None | bool = None,
          follow_successor: bool = True, lang: str = "vi") -> pd.DataFrame:
    """The trend table of *unit* (any name or alias, e.g. ``"Lai Chau"``) — see the module doc.

    *results*: the results table (``None`` = :func:`load_results`).  *national*: the provincial
    averages (``None`` = :func:`load_national`, ``False`` = leave the ``vs_avg`` columns empty).
    *follow_successor*: for a province merged on 1/7/2025, continue with its 34-list successor
    (flagged ``reorg:63→34``).  Rows are ordered by year, the 63-list before the 34-list.
    """
    from ..i18n import check_lang

    check_lang(lang)
    res = check_results(load_results() if results is None else results)
    who = resolve_unit(res, unit)
    if national is None:
        national = load_national()
    fws = {}
    for (y, e), g in res.groupby(["year", "era"]):
        fws[(int(y), int(e))] = str(g["framework"].mode().iloc[0])
    by_year = year_frameworks(res)

    parts = []
    plan = []
    if who["slug63"]:
        plan.append((63, who["slug63"]))
    slug34 = who["slug34"] or (who["successor34"] if follow_successor else None)
    if slug34:
        plan.append((34, slug34))
    for era, slug in plan:
        years = sorted(res.loc[res["era"] == era, "year"].unique())
        mine = res[(res["era"] == era) & (res["unit_slug"] == slug)]
        name = display(slug, era, lang, res)
        for y in years:
            rec = _pick(mine[mine["year"] == y])
            rank_of = res.loc[(res["era"] == era) & (res["year"] == y), "rank_of"]
            parts.append({"year": int(y), "era": era, "unit": name, "unit_slug": slug,
                          "rank_of": int(rank_of.iloc[0]) if len(rank_of) else era,
                          **rec,
                          "framework": rec["framework"] or fws.get((int(y), era)) or by_year.get(int(y))})
    t = pd.DataFrame(parts)
    t = t.sort_values(["year", "era"], ascending=[True, False], kind="stable").reset_index(drop=True)
    t["rank"] = pd.array(t["rank"], dtype="Int64")
    for c in ("rank_low", "rank_high"):
        t[c] = pd.array(pd.to_numeric(t[c], errors="coerce"), dtype="Int64")
    t["value"] = t["value"].astype(float)

    prev = t.shift(1)
    t["delta_value"] = t["value"] - prev["value"]
    # across the 63→34 reorganisation a merged unit's value against one member's value is not a change
    # (different territories): blank, as the rank change already is; an unmerged unit keeps its change
    merged = t["unit_slug"].map(lambda s_: _n_members(s_) > 1) & (t["era"] == 34)
    t.loc[(t["era"] != prev["era"]) & merged, "delta_value"] = np.nan
    t["rel_change"] = t["delta_value"] / prev["value"]
    same_list = (t["rank_of"] == prev["rank_of"]) & (t["era"] == prev["era"])
    dr = t["rank"].astype("Float64") - prev["rank"].astype("Float64")
    t["delta_rank"] = pd.array(np.where(same_list, dr.astype(float).to_numpy(na_value=np.nan), np.nan),
                               dtype="Float64").round().astype("Int64")
    brk = []
    for i in range(len(t)):
        if i == 0:
            brk.append("")
            continue
        flags = []
        a, b = t.at[i - 1, "framework"], t.at[i, "framework"]
        if a and b and a != b:
            flags.append(f"method:{a}→{b}")
        if t.at[i - 1, "era"] != t.at[i, "era"]:
            flags.append(f"reorg:{t.at[i - 1, 'era']}→{t.at[i, 'era']}")
        brk.append("; ".join(flags))
    t["break"] = brk
    t["percentile"] = percentile(t["rank"].astype("Float64").to_numpy(na_value=np.nan), t["rank_of"].to_numpy())
    t["delta_percentile"] = t["percentile"] - t["percentile"].shift(1)
    if national is not False and national is not None and len(national):
        avg = dict(zip(national["year"].astype(int), national["provincial_avg"].astype(float), strict=False))
        t["provincial_avg"] = t["year"].map(avg).astype(float)
    else:
        t["provincial_avg"] = np.nan
    t["vs_avg"] = t["value"] - t["provincial_avg"]
    t["vs_avg_ratio"] = t["value"] / t["provincial_avg"]
    t["delta_vs_avg"] = t["vs_avg"] - t["vs_avg"].shift(1)
    for c in ("delta_value", "rel_change", "vs_avg", "vs_avg_ratio", "delta_vs_avg", "delta_percentile", "percentile"):
        t[c] = t[c].round(12)   # float noise of the subtraction (0.07230000000000003), not data
    t.attrs["unit"] = who["name"]
    t.attrs["breaks"] = [b for b in brk if b]
    from ..reporting.rich import result_table

    return result_table(t[TREND_COLUMNS], "trend")


def breaks(trend_table: pd.DataFrame) -> pd.DataFrame:
    """The flagged steps of a trend table: ``from_year, to_year, from_era, to_era, break``."""
    t = trend_table.reset_index(drop=True)
    rows = []
    for i in range(1, len(t)):
        if t.at[i, "break"]:
            rows.append({"from_year": int(t.at[i - 1, "year"]), "to_year": int(t.at[i, "year"]),
                         "from_era": int(t.at[i - 1, "era"]), "to_era": int(t.at[i, "era"]),
                         "break": t.at[i, "break"]})
    return pd.DataFrame(rows, columns=["from_year", "to_year", "from_era", "to_era", "break"])


def format_trend(t: pd.DataFrame, lang: str = "vi") -> str:
    """The trend table as text for a terminal, numbers in the *lang* convention (vi: 0,5032)."""
    from ..i18n import fmt_int, fmt_number
    from ..i18n import t as label

    cols = [("year", "year", lambda v: str(int(v))), ("era", "analysis.list", lambda v: f"{int(v)}"),
            ("value", "dti_value", lambda v: fmt_number(v, lang, 4)),
            ("rank", "rank", None),
            ("rank_of", "analysis.rank_of", lambda v: fmt_int(v, lang)),
            ("delta_value", "analysis.delta_value", lambda v: _signed(v, lang, 4)),
            ("delta_rank", "analysis.delta_rank", lambda v: _signed(v, lang, 0)),
            ("percentile", "analysis.percentile", lambda v: fmt_number(v, lang, 3)),
            ("vs_avg", "analysis.vs_avg", lambda v: _signed(v, lang, 4)),
            ("framework", "framework", str), ("break", "analysis.break", lambda v: v or "")]
    head = [label(k, lang) for _, k, _ in cols]
    body = [[_rank_text(r, lang) if f is None else f(r[c]) if not _isna(r[c]) else "—" for c, _, f in cols]
            for _, r in t.iterrows()]
    widths = [max(len(h), *(len(r[i]) for r in body)) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)) for r in body]
    unit = t["unit"].iloc[0] if len(t) else ""
    title = label("analysis.trend_title", lang, unit=unit)
    note = label("analysis.trend_note", lang)
    if t["rank"].isna().any() and "rank_low" in t.columns and t.loc[t["rank"].isna(), "rank_low"].notna().any():
        note += " " + label("analysis.rank_interval_note", lang)
    return "\n".join([title, *lines, "", note])


_register_labels({
    "analysis.rank_low": {"vi": "Hạng tốt nhất có thể", "en": "Best possible rank"},
    "analysis.rank_high": {"vi": "Hạng kém nhất có thể", "en": "Worst possible rank"},
    "analysis.rank_interval_note": {
    "vi": "Hạng dạng “17–31” = khoảng hạng mà các giá trị và thứ hạng đã công bố cho phép (hạng không được công bố).",
    "en": "A rank shown as \u201c17–31\u201d = the ranks the published values and ranks allow (the rank was not printed)."}})


def _n_members(slug34: str) -> int:
    """Number of 63-era provinces in the 34-era unit *slug34* (1 when unknown)."""
    from ..data.names import index

    try:
        return len(index().members.get(slug34, [slug34]))
    except Exception:  # noqa: BLE001 — no province tables: treat as not merged
        return 1


def _rank_text(r, lang) -> str:
    """The printed rank, or the interval the published values allow ("17–31") where none is printed."""
    from ..i18n import fmt_int

    if not _isna(r["rank"]):
        return fmt_int(r["rank"], lang)
    lo, hi = r.get("rank_low"), r.get("rank_high")
    if lo is not None and not _isna(lo) and not _isna(hi):
        return f"{int(lo)}–{int(hi)}"
    return "—"


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False


def _signed(v, lang, decimals):
    from ..i18n import fmt_number

    s = fmt_number(v, lang, decimals)
    return s if s.startswith("-") or s == "—" or float(v) == 0 else "+" + s
