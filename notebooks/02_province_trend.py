# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#   kernelspec:
#     display_name: Python (dti)
#     language: python
#     name: dti
# ---

# %% [markdown]
# # 02 — Xu hướng DTI của một tỉnh / One province's DTI over the years
#
# Giá trị và thứ hạng qua các năm (đánh dấu các năm đổi bộ chỉ số), phân tích thay đổi thứ hạng,
# các tỉnh lân cận và khoảng cách tới thứ hạng mục tiêu.
# Value and rank over the years (framework changes flagged), why the rank moved, peers, and the
# distance to a target rank.  Run: `dti report 02_province_trend -p province "Lai Châu"`.

# %% tags=["parameters"]
province = "Lai Châu"   # any usual spelling: "Lai Chau", "Tỉnh Lai Châu" …
target_rank = 45        # the rank to reach
target_year = 2025      # by when
era = 63                # 63 (provinces before 1/7/2025) or 34
processed_dir = None    # None: data/processed, built by dti build
lang = "vi"             # "vi" or "en"

# %%
from dtilib.reporting.params import check

p = check("02_province_trend", province=province, target_rank=target_rank, target_year=target_year,
          era=era, processed_dir=processed_dir, lang=lang)
p

# %%
import matplotlib.pyplot as plt

from dtilib.analysis._data import load_national, load_results
from dtilib.analysis.ranking import positions, value_for_rank
from dtilib.analysis.trends import trend
from IPython.display import display

from dtilib.reporting import display as show

show.setup_plots()
results = load_results(p.processed_dir / "results.csv")
national = load_national(p.processed_dir / "national.csv") if (p.processed_dir / "national.csv").exists() else False
tr = trend(results, p.province_slug if p.era == 63 else p.province, national=national, lang=p.lang)
tr = tr[tr["era"] == p.era].reset_index(drop=True) if p.era == 34 else tr
known = tr[tr["value"].notna() | tr["rank"].notna()]
last = known.iloc[-1] if len(known) else None
show.figures([("nb02.latest_value", last["value"] if last is not None else None),
              ("nb02.latest_rank", f"{last['rank']}/{last['rank_of']} ({last['year']})" if last is not None else None),
              ("nb02.target", f"{p.target_rank}/{p.rank_of} ({p.target_year})")], p.lang)

# %%
show.heading("nb02.trend", p.lang)

# %%
show.table(tr[["year", "era", "value", "rank", "rank_of", "delta_value", "delta_rank", "provincial_avg",
               "framework", "break"]],
           p.lang, labels={"value": "dti_value", "era": "analysis.list", "rank_of": "analysis.rank_of",
                           "delta_value": "analysis.delta_value", "delta_rank": "analysis.delta_rank",
                           "provincial_avg": "analysis.provincial_avg", "break": "analysis.break"},
           decimals={"year": 0, "era": 0})

# %%
try:
    from dtilib.analysis.plots import plot_trend
except ImportError:
    plot_trend = None
if plot_trend is not None:
    fig = plot_trend(tr, lang=p.lang)
else:
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
    seg = (tr["break"].fillna("") != "").cumsum()
    for _, g in tr.groupby(seg):
        ax1.plot(g["year"], g["value"], marker="o", color="#0b5394")
        ax2.plot(g["year"], g["rank"].astype(float), marker="o", color="#0b5394")
    for y in tr.loc[tr["break"].fillna("") != "", "year"]:
        for ax in (ax1, ax2):
            ax.axvline(y - 0.5, color="#f0a020", linestyle="--", linewidth=1)
    ax1.plot(tr["year"], tr["provincial_avg"], linestyle=":", color="grey")
    ax2.axhline(p.target_rank, color="#9b1c1c", linestyle=":", linewidth=1)
    ax2.invert_yaxis()
    ax1.set_title(show.t("dti_value", p.lang))
    ax2.set_title(show.t("rank", p.lang))
    show.number_axis(ax1, p.lang, 2)
    for ax in (ax1, ax2):
        ax.set_xticks(sorted(tr["year"].unique()))
plt.show()

# %%
show.note("nb02.breaks_note", p.lang)

# %%
display(show.heading("nb02.target_heading", p.lang, rank=p.target_rank, n=p.rank_of))
year_ref = int(known["year"].max()) if len(known) else None
pos = positions(results, year_ref, p.era) if year_ref else None
need = value_for_rank(pos, p.target_rank, exclude=p.province_slug) if pos is not None else None
gap = (need["lo"] - last["value"]) if need is not None and last is not None else None
show.figures([("nb02.value_needed", f"{show.fmt(need['lo'], p.lang)} – {show.fmt(need['hi'], p.lang)}"),
              ("nb02.gap_value", gap), ("nb02.gap_points", gap * 1000 if gap is not None else None)], p.lang)

# %%
at = pos[pos["rank"] == p.target_rank].iloc[0]
show.paragraph(show.t(f"nb02.basis_{need['kind']}", p.lang, year=year_ref, unit=at["unit"], rank=p.target_rank,
                      value=show.fmt(at["value"], p.lang), lo=show.fmt(need["lo"], p.lang),
                      hi=show.fmt(need["hi"], p.lang)) + " " + show.t("nb02.others_improve", p.lang))

# %%
display(show.heading("nb02.peers", p.lang, year=year_ref))
me = int(last["rank"]) if last is not None and last["rank"] == last["rank"] else p.target_rank
near = pos[(pos["rank"] >= min(me, p.target_rank) - 3) & (pos["rank"] <= max(me, p.target_rank) + 3)].copy()
near["range"] = [show.fmt(v, p.lang) if k in ("published", "derived") else
                 f"{show.fmt(lo, p.lang)} – {show.fmt(hi, p.lang)}"
                 for v, k, lo, hi in zip(near["value"], near["kind"], near["lo"], near["hi"], strict=True)]
near["kind"] = [show.t(f"nb02.kind_{k}", p.lang) for k in near["kind"]]
show.table(near[["rank", "unit", "range", "kind"]], p.lang,
           labels={"unit": "province", "range": "dti_value", "kind": "nb02.kind"},
           highlight=(near["unit_slug"] == p.province_slug) | (near["rank"] == p.target_rank))
