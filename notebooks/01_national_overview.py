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
import pandas as pd

from dtilib import analysis, load_record
from dtilib.reporting import display as show

show.setup_plots()
record = load_record(p.processed_dir)   # read once, passed along
results, provinces, national = record.results, record.provinces, record.averages
pos = analysis.add_region(analysis.positions(results, p.year, p.era), provinces, era=p.era)
pos["region"] = [show.region_label(r, p.lang) for r in pos["region"]]
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
analysis.plot_distribution(pos, average=avg.iloc[0] if len(avg) else None, lang=p.lang)

# %% jupyter={"source_hidden": true}
show.heading("nb01.regions", p.lang)

# %%
show.table(analysis.region_summary(pos), p.lang,
           labels={"region": "nb01.region", "n": "nb01.n_provinces", "best": "nb01.best",
                   "median": "nb01.median_rank", "n_values": "nb01.with_value", "mean_value": "nb01.mean_published"},
           decimals={"median": 1, "mean_value": 4})

# %%
analysis.plot_regions(pos, lang=p.lang)

# %% jupyter={"source_hidden": true}
show.heading("nb01.ranking", p.lang, year=p.year, n=int(pos["rank_of"].iloc[0]))

# %%
table = pos[["rank", "unit", "region", "value", "kind"]].copy()
table["kind"] = [show.t(f"nb02.kind_{k}", p.lang) for k in table["kind"]]
show.table(table, p.lang, labels={"unit": "province", "region": "nb01.region", "value": "dti_value",
                                  "kind": "nb02.kind"})
