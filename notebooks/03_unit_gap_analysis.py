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
# # 03 — Điểm bị mất ở đâu / Where were the points lost?
#
# Chấm điểm dữ liệu chỉ số thành phần của một đơn vị, điểm bị mất theo nhóm và theo chỉ số thành phần,
# đối chiếu các con số nêu trong báo cáo của đơn vị.  Mặc định: dữ liệu MINH HOẠ của thành phố Bắc Kạn.
# Scores a unit's sub-indicator data; lost points by group and by sub-indicator; reconciles the figures
# stated in the unit's own report.  Default: the ILLUSTRATIVE Bắc Kạn city data.

# %% tags=["parameters"]
unit_file = None        # None: the ILLUSTRATIVE Bắc Kạn city data (data/examples)
framework = None        # None: the ILLUSTRATIVE Bắc Kạn district framework; or an id / .yaml path
unit = "Thành phố Bắc Kạn"
year = None             # None: the year column of unit_file, else the framework's year
peers = None            # ratios of other units for the min–max items (unit, indicator, ratio), as dti score --peers
groups_file = None      # published group table to compare with; None: the Bắc Kạn city plan (seed 000)
stated_file = None      # figures stated in the report's text; None: the Bắc Kạn city plan (seed 000)
lang = "vi"             # "vi" or "en"

# %%
from dtilib.reporting.params import check

p = check("03_unit_gap_analysis", unit_file=unit_file, framework=framework, unit=unit, year=year, peers=peers,
          groups_file=groups_file, stated_file=stated_file, lang=lang)
p

# %%
import pandas as pd
from IPython.display import display

import dtilib
from dtilib import analysis
from dtilib.analysis.gaps import gaps
from dtilib.data.raw import read_seed_groups, read_seed_stated
from dtilib.inputs import groups_score_sheet
from dtilib.reporting import display as show

show.setup_plots()
result = dtilib.score(p.framework_obj, p.unit_data, peers=p.peers)
g = gaps(result, p.unit, lang=p.lang)
show.gap_figures(g, p.lang)

# %%
display(show.illustrative(p.lang)) if p.illustrative else None
display(show.no_data(g, p.lang)) if show.no_data(g, p.lang) else None
show.bullets(result.unit(p.unit).notes(p.lang))

# %% jupyter={"source_hidden": true}
show.heading("nb03.by_group", p.lang)

# %%
show.gap_groups(g, p.lang)

# %%
# nothing scored: no waterfall (the warning above says why)
analysis.plot_gaps(g, lang=p.lang, title=f"{p.unit}" + (" — " + show.t("report.illustrative_short", p.lang)
                                                          if p.illustrative else "")) if g.total["scored_on"] else None

# %% jupyter={"source_hidden": true}
show.heading("nb03.by_sub", p.lang)

# %%
top = g.subs[g.subs["lost"] > 0].head(20).copy()
top["rule"] = [show.t(f"rule.{r}", p.lang) for r in top["rule"]]
show.note("nb03.none_lost", p.lang) if not len(top) else show.table(top[["indicator", "name", "rule", "kind_label", "max_points", "points", "lost"]], p.lang,
           labels={"indicator": "nb03.code", "name": "nb03.sub", "rule": "nb03.rule", "kind_label": "nb03.kind",
                   "max_points": "max_points", "points": "points", "lost": "nb03.lost"},
           decimals={"max_points": 2, "points": 2, "lost": 2})

# %% jupyter={"source_hidden": true}
show.heading("nb03.by_kind", p.lang)

# %%
by_kind = g.by_kind.assign(share_of_lost=[show.percent(v, p.lang) for v in g.by_kind["share_of_lost"]])
show.note("nb03.none_lost", p.lang) if not len(top) else show.table(by_kind[["kind_label", "n_losing", "lost", "share_of_lost"]], p.lang,
           labels={"kind_label": "nb03.kind", "n_losing": "nb03.n_losing", "lost": "nb03.lost",
                   "share_of_lost": "nb03.share"},
           decimals={"lost": 2})

# %% jupyter={"source_hidden": true}
show.heading("nb03.reconcile", p.lang)

# %%
check = (analysis.check_published(g, read_seed_groups(path=p.groups_file), read_seed_stated(path=p.stated_file),
                                  year=p.year) if p.groups_file else analysis.GroupCheck(pd.DataFrame()))
if check.checks is not None:
    rec = show.group_checks(check.checks, check.published, p.lang)
    shown = show.table(rec[["unit", "check", "published", "computed", "difference", "status", "detail"]], p.lang,
                       labels={"unit": "nb03.item", "check": "nb03.check", "published": "nb03.stated",
                               "computed": "nb03.computed", "difference": "nb03.difference", "status": "report.status",
                               "detail": "nb03.detail"},
                       decimals={"published": 2, "computed": 2, "difference": 2},
                       highlight=check.checks["status"] == "mismatch")
    summary = show.note("nb03.reconcile_summary", p.lang, **check.counts())
else:
    shown, summary = None, (show.note("nb03.no_published", p.lang, unit=p.unit, year=p.year) if p.groups_file
                            else show.note("nb03.no_groups_file", p.lang, unit=p.unit))
summary

# %%
shown

# %%
if len(check.published):
    sheet_result = dtilib.score("bac-kan-district-1294" if p.illustrative else p.framework_obj,
                                groups_score_sheet(check.published), file=str(p.groups_file))
    gs = gaps(sheet_result, p.unit, lang=p.lang)
    display(show.heading("nb03.sheet_heading", p.lang))
    display(show.note("nb03.sheet_note", p.lang, unit=p.unit, year=p.year, source=p.groups_file.name,
                      framework=sheet_result.framework.id))
    display(show.bullets(sheet_result.unit(p.unit).notes(p.lang)))
    display(show.table(gs.groups[["name", "max_points", "achieved", "lost", "n_full", "n_zero", "n_partial"]],
                       p.lang, labels={"name": "nb03.group", "max_points": "max_points", "achieved": "nb03.achieved",
                                       "lost": "nb03.lost", "n_full": "nb03.n_full", "n_zero": "nb03.n_zero",
                                       "n_partial": "nb03.n_partial"},
                       decimals={"max_points": 0, "achieved": 2, "lost": 2}))
