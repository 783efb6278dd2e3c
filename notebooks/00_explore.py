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
# # 00 — Khám phá DTI / Explore the DTI
#
# Chọn tỉnh, năm, danh sách (63 hoặc 34 tỉnh), hạng mục tiêu và ngôn ngữ: biểu đồ xu hướng, giải thích
# thay đổi thứ hạng và khoảng cách tới hạng mục tiêu được vẽ lại ngay bên dưới (trong JupyterLab).
# Pick a province, a year, the list (63 or 34 provinces), a target rank and the language: the trend
# plot, the rank-change explanation and the distance to the target redraw in place (in JupyterLab).
# An HTML export shows the selection below statically.  Open: `make lab`.

# %% tags=["parameters"]
province = "Lai Châu"   # shown first; any usual spelling
year = 2022             # the year whose rank change and distance to target are shown first
era = 63                # 63 (provinces before 1/7/2025) or 34
target_rank = 45        # the rank to reach
target_year = 2025      # by when
processed_dir = None    # None: data/processed, built by dti build
lang = "vi"             # "vi" or "en"

# %%
from dtilib.reporting.params import check

p = check("00_explore", province=province, year=year, era=era, target_rank=target_rank,
          target_year=target_year, processed_dir=processed_dir, lang=lang)
p

# %%
from dtilib.reporting import display as show
from dtilib.reporting.explore import explorer

show.setup_plots()
explorer(p)
