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
# # 01 — Tổng quan DTI cấp tỉnh / National overview of the provincial DTI
#
# Bảng xếp hạng của một năm (danh sách 63 hoặc 34 tỉnh), phân bố giá trị, theo vùng, và trung bình
# cả nước.  Chỉ dùng số liệu đã công bố: ô trống là chưa công bố, không nội suy.
# The ranking of one year (63- or 34-province list), the distribution of values, regions and the
# national average — published figures only; gaps stay gaps.

# %% tags=["parameters"]
year = 2022             # the year of the ranking
era = 63                # 63 (provinces before 1/7/2025) or 34
processed_dir = None    # None: data/processed, built by dti build
lang = "vi"             # "vi" or "en"

# %%
from dtilib.reporting.params import check

p = check("01_national_overview", year=year, era=era, processed_dir=processed_dir, lang=lang)
p

# %%
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from dtilib import load_record
from dtilib.analysis.ranking import positions
from dtilib.reporting import display as show

show.setup_plots()
record = load_record(p.processed_dir)   # read once, passed along
results, provinces, national = record.results, record.provinces, record.averages
pos = positions(results, p.year, p.era)
regions = provinces[provinces["era"] == p.era].set_index("slug")["region"]
pos["region"] = [show.region_label(r, p.lang) for r in pos["unit_slug"].map(regions)]
published = pos[pos["kind"].isin(["published", "rounded", "derived"])]
avg = national.loc[national["year"] == p.year, "provincial_avg"] if national is not None else pd.Series(dtype=float)
show.figures([("nb01.ranked", f"{int(pos['listed'].sum())}/{int(pos['rank_of'].iloc[0])}"),
              ("nb01.with_value", len(published)),
              ("nb01.avg", avg.iloc[0] if len(avg) else None),
              ("nb01.top", f"{pos.iloc[0]['unit']} ({show.fmt(pos.iloc[0]['value'], p.lang)})")], p.lang)

# %%
show.note("nb01.coverage", p.lang, year=p.year, n=int(pos["listed"].sum()), n_of=int(pos["rank_of"].iloc[0]),
          n_values=len(published))

# %% jupyter={"source_hidden": true}
show.heading("nb01.distribution", p.lang)

# %%
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.6))
ax1.hist(published["value"], bins=min(10, max(3, len(published))), color="#0b5394", alpha=0.85)
if len(avg):
    ax1.axvline(avg.iloc[0], color="#9b1c1c", linestyle="--", label=show.t("nb01.avg", p.lang))
    ax1.legend()
ax1.set_xlabel(show.t("dti_value", p.lang))
ax1.set_ylabel(show.t("nb01.n_provinces", p.lang))
show.number_axis(ax1, p.lang, 2, axis="x")
ax2.scatter(published["rank"], published["value"], color="#0b5394", zorder=3)
bounded = pos[pos["kind"] == "bounded"]
ax2.vlines(bounded["rank"], bounded["lo"], bounded["hi"], color="#9aa5b1", linewidth=1,
           label=show.t("nb01.range", p.lang))
ax2.set_xlabel(show.t("rank", p.lang))
ax2.set_ylabel(show.t("dti_value", p.lang))
show.number_axis(ax2, p.lang, 2)
ax2.legend(loc="upper right")
fig.tight_layout()
plt.show()

# %% jupyter={"source_hidden": true}
show.heading("nb01.regions", p.lang)

# %%
reg = (pos[pos["listed"]].groupby("region", dropna=False)
       .agg(n=("rank", "size"), best=("rank", "min"), median=("rank", "median"), n_values=("value", "count"),
            mean_value=("value", "mean"))
       .reset_index().sort_values("median"))
show.table(reg, p.lang, labels={"region": "nb01.region", "n": "nb01.n_provinces", "best": "nb01.best",
                                "median": "nb01.median_rank", "n_values": "nb01.with_value",
                                "mean_value": "nb01.mean_published"},
           decimals={"median": 1, "mean_value": 4})

# %%
fig, ax = plt.subplots(figsize=(9, 3.4))
order = list(reg["region"].fillna("—"))
for i, r in enumerate(order):
    ranks = pos[pos["listed"] & (pos["region"].fillna("—") == r)]["rank"]
    ax.scatter(ranks, [i] * len(ranks), color="#0b5394", alpha=0.7)
ax.set_yticks(range(len(order)), [o if len(o) < 40 else o[:38] + "…" for o in order])
ax.set_xlabel(show.t("rank", p.lang))
ax.invert_yaxis()
fig.tight_layout()
plt.show()

# %% jupyter={"source_hidden": true}
show.heading("nb01.ranking", p.lang, year=p.year, n=int(pos["rank_of"].iloc[0]))

# %%
table = pos[["rank", "unit", "region", "value", "kind"]].copy()
table["kind"] = [show.t(f"nb02.kind_{k}", p.lang) for k in table["kind"]]
show.table(table, p.lang, labels={"unit": "province", "region": "nb01.region", "value": "dti_value",
                                  "kind": "nb02.kind"})
