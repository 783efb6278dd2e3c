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
# # 05 — Triển vọng DTI của 34 tỉnh / The DTI outlook of the 34 provinces
#
# Trước khi kết quả được công bố: mỗi tỉnh, thành phố (danh sách 34) có thể đứng ở đâu, theo từng kịch
# bản tăng trưởng, tính từ số liệu đã công bố của chính tỉnh và các tỉnh cũ hợp thành (quy tắc tỉnh hợp
# nhất), với sai số kiểm tra ngược bên cạnh.
# Before publication: where each of the 34 provinces will likely stand, per growth scenario, from its own
# and its members' published record (the merged-province rule), with the backtest's errors beside.
# Run: `dti report 05_outlook_34`.

# %% tags=["parameters"]
year = 2025             # the year of the outlook
province = None         # a province to highlight, e.g. "Lai Châu" (None: all 34 alike)
era = 34                # list of the province name: 34, or 63 (shown as its 34-list successor)
processed_dir = None    # None: data/processed, built by dti build
lang = "vi"             # "vi" or "en"

# %%
from dtilib.reporting.params import check

p = check("05_outlook_34", year=year, province=province, era=era, processed_dir=processed_dir, lang=lang)
p

# %%
import numpy as np
from IPython.display import display

from dtilib import analysis, load_record
from dtilib.analysis import outlook
from dtilib.reporting import display as show

show.setup_plots()
record = load_record(p.processed_dir)   # read once, passed along
results, provinces = record.results, record.provinces
national = record.averages if record.averages is not None else False
bt, detail = outlook.backtest(results, national=national)
default = bt.loc[bt["default"], "method"].iloc[0]
o34 = outlook.outlook_34(results, p.year, national=national, provinces=provinces)
base_year = int(o34["base_year"].iloc[0])
firsts = o34.drop_duplicates("slug")
mine = None
if p.province is not None:
    mine = p.province_slug
    if p.era == 63:                      # a 63-list name: its 34-list successor
        mine = provinces[(provinces["era"] == 63) & (provinces["slug"] == mine)]["successor"].iloc[0]
cards = [("nb05.base_year", str(base_year)),
         ("nb05.n_published", f"{int(firsts['base_kind'].isin(['published', 'derived']).sum())}/34"),
         ("nb05.default", show.t(f"outlook.scenario.{default}", p.lang)),
         ("nb05.default_error", bt.loc[bt["default"], "mean_abs_error"].iloc[0])]
if mine is not None:
    r = o34[(o34["slug"] == mine) & (o34["scenario"] == default)].iloc[0]
    cards.insert(0, (show.t("nb05.mine", p.lang, province=r["province"], year=p.year),
                     f"{show.fmt(r['estimate'], p.lang, 3)} ({r['rank_lo']}–{r['rank_hi']}/34)"))
show.figures(cards, p.lang)

# %%
display(show.heading("nb05.backtest", p.lang))
show.table(bt.assign(method=[show.t(f"outlook.scenario.{m}", p.lang) for m in bt["method"]],
                     default=["✓" if d else "" for d in bt["default"]]), p.lang, labels={"method": "nb05.method", "n": "nb05.n", "mean_abs_error": "nb05.mae",
                               "coverage": "nb05.coverage", "default": "nb05.is_default"},
           highlight=bt["default"])

# %%
display(show.heading("nb05.by_break", p.lang, level=3))
bb = outlook.backtest_by_break(detail)
bb["step"] = [show.t("outlook.step." + s.replace(" ", "_"), p.lang) for s in bb["step"]]
bb["method"] = [show.t(f"outlook.scenario.{m}", p.lang) for m in bb["method"]]
show.table(bb, p.lang, labels={"step": "nb05.step", "method": "nb05.method", "n": "nb05.n",
                               "mean_abs_error": "nb05.mae", "coverage": "nb05.coverage"})

# %%
show.note("nb05.backtest_note", p.lang)

# %%
display(show.heading("nb05.scenarios", p.lang, year=base_year))
sc = outlook.growth_scenarios(results, base_year, national=national)
sc["scenario"] = [show.t(f"outlook.scenario.{s}", p.lang) for s in sc["scenario"]]
sc["basis"] = [show.note_text(b, p.lang) for b in sc["basis"]]
show.table(sc[["scenario", "growth", "se", "n", "basis"]], p.lang,
           labels={"scenario": "nb05.method", "growth": "nb05.growth", "se": "nb05.se", "n": "nb05.n",
                   "basis": "nb05.basis"})

# %%
display(show.heading("nb05.table", p.lang, year=p.year))
names = list(dict.fromkeys(o34["scenario"]))


def cell(r):
    if np.isnan(r["estimate"]):
        return "—"
    return f"{show.fmt(r['estimate'], p.lang, 3)} ({r['rank_lo']}–{r['rank_hi']})"


wide = o34.drop_duplicates("slug")[["slug", "province", "members", "base", "base_kind"]].set_index("slug")
wide["base_kind"] = [outlook.kind_text(k.split(" (")[0], p.lang) + (" " + k.split(" ", 1)[1] if " (" in k else "")
                     for k in wide["base_kind"]]
wide["members"] = wide["members"].str.count(";") + 1
for s in names:
    sub = o34[o34["scenario"] == s].set_index("slug")
    wide[show.t(f"outlook.scenario.{s}", p.lang)] = [cell(r) for _, r in sub.loc[wide.index].iterrows()]
order = o34[o34["scenario"] == default].set_index("slug")["estimate"].sort_values(ascending=False).index
wide = wide.loc[order]
show.table(wide.reset_index(drop=True), p.lang, labels={"province": "nb05.province", "members": "nb05.members",
                                                        "base": "nb05.base", "base_kind": "nb05.base_kind"},
           highlight=wide.index == mine)

# %%
show.note("nb05.table_note", p.lang, base=base_year)

# %%
display(show.heading("nb05.plot", p.lang, level=3))
analysis.plot_outlook(o34, default, year=p.year, highlight=mine, lang=p.lang)

# %%
show.note("nb05.limits", p.lang, year=p.year)
