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
# # 04 — Điểm trên nỗ lực / Points per effort
#
# Các hành động có thể làm (từ quy tắc tính điểm của bộ chỉ số, điểm tăng được tính bằng bộ chấm điểm
# thật), điểm trên mỗi đồng chi phí, phương án tốt nhất trong ngân sách, phân bố thứ hạng đạt được, và
# phụ lục kế hoạch (Excel) ghi cạnh báo cáo.  Mặc định: dữ liệu MINH HOẠ của thành phố Bắc Kạn và
# công sức GIẢ ĐỊNH.
# Candidate actions, points per effort, the best plan under a budget, the rank it buys, and the plan
# appendix written next to the report.  Default: the ILLUSTRATIVE Bắc Kạn city data, ASSUMED effort.

# %% tags=["parameters"]
unit_file = None        # None: the ILLUSTRATIVE Bắc Kạn city data (data/examples)
framework = None        # None: the ILLUSTRATIVE Bắc Kạn district framework; or an id / .yaml path
unit = "Thành phố Bắc Kạn"
year = None             # None: the year column of unit_file, else the framework's year
peers = None            # ratios of other units for the min–max items (unit, indicator, ratio), as dti score --peers
budget = 300.0          # in the money unit of the effort table (defaults: million VND)
staff_days = None       # person-days available; None: no limit
effort_file = None      # the unit's own effort table; None: the ASSUMED defaults
n_sims = 2000           # Monte Carlo draws
seed = 1
report_dir = None       # set by dti report: where the plan appendix goes
lang = "vi"             # "vi" or "en"

# %%
from dtilib.reporting.params import check

p = check("04_points_per_effort", unit_file=unit_file, framework=framework, unit=unit, year=year, peers=peers,
          budget=budget, staff_days=staff_days, effort_file=effort_file, n_sims=n_sims, seed=seed, report_dir=report_dir,
          lang=lang)
p

# %%
from IPython.display import display

from dtilib import analysis
from dtilib.effort import best_plan, candidate_actions, effort_for, read_effort, simulate_rank, write_plan
from dtilib.reporting import display as show

show.setup_plots()
aset = candidate_actions(p.framework_obj, p.unit_data, p.unit, peers=p.peers)
effort = read_effort(p.effort_file)
actions = effort_for(aset, effort)
plan = best_plan(aset, effort, p.budget, staff_days=p.staff_days)
# a unit with no data at all has no points to rank: no draws (the note below says so)
rank = None if show.missing(plan.before["total"]) else simulate_rank(plan, None, n_draws=p.n_sims, seed=p.seed)
show.figures([("nb04.n_actions", len(actions)),
              ("nb04.spent", f"{show.fmt(plan.spent, p.lang, 0)} / {show.fmt(plan.budget, p.lang, 0)}"),
              ("nb04.gain", show.fmt(plan.gain, p.lang, 2)),
              ("nb04.total", f"{show.fmt(plan.before['total'], p.lang, 2)} → {show.fmt(plan.after['total'], p.lang, 2)}"),
              ("nb04.rank", show.rank_move(plan.before["rank"], plan.after["rank"], plan.after["rank_of"], p.lang))],
             p.lang)

# %%
display(show.illustrative(p.lang)) if p.illustrative else None
display(show.note("nb04.no_data", p.lang, kind="warning", unit=p.unit)) if rank is None else None
display(show.bullets([aset.scored_on_note(p.lang)] + aset.base.notes(p.lang, per_unit=False)))
show.note("nb04.assumed", p.lang, kind="warning") if plan.uses_assumed_effort else None

# %% jupyter={"source_hidden": true}
show.heading("nb04.ppe", p.lang)

# %%
# best points per effort first; values equal as shown (3 decimals) keep the candidates' order
top = actions.loc[actions["ppe_likely"].round(3).sort_values(ascending=False, kind="stable").index].head(15)
top = top.assign(what=show.action_texts(top, p.lang))
show.table(top[["indicator", "what", "gain", "cost_likely", "days_likely", "ppe_likely", "p_complete"]], p.lang,
           labels={"indicator": "nb03.code", "what": "nb04.action", "gain": "nb04.points", "cost_likely": "nb04.cost",
                   "days_likely": "nb04.days", "ppe_likely": "nb04.ppe_col", "p_complete": "nb04.p_complete"},
           decimals={"gain": 2, "cost_likely": 0, "days_likely": 0, "ppe_likely": 3, "p_complete": 2})

# %%
# (a unit with no data has no actions to draw: the warning above says so)
analysis.plot_actions(actions, plan.chosen["action_id"], lang=p.lang, illustrative=p.illustrative) if len(actions) else None

# %% jupyter={"source_hidden": true}
show.heading("nb04.plan", p.lang, budget=show.fmt(p.budget, p.lang, 0))

# %%
ch = plan.chosen.sort_values("order")
ch = ch.assign(what=show.action_texts(ch, p.lang))
show.table(ch[["order", "indicator", "what", "gain", "cost_likely", "days_likely", "quarter"]], p.lang,
           labels={"order": "nb04.order", "indicator": "nb03.code", "what": "nb04.action", "gain": "nb04.points",
                   "cost_likely": "nb04.cost", "days_likely": "nb04.days", "quarter": "nb04.quarter"},
           decimals={"gain": 2, "cost_likely": 0, "days_likely": 0})

# %%
bm = plan.by_main[["name_en" if p.lang == "en" else "name_vi", "max_points", "points_before", "points_after", "gain",
                   "n_actions"]]
show.table(bm, p.lang, labels={"name_vi": "nb03.group", "name_en": "nb03.group", "points_before": "nb04.before",
                               "points_after": "nb04.after", "gain": "nb04.points", "n_actions": "nb04.n_chosen"},
           decimals={"max_points": 0, "points_before": 2, "points_after": 2, "gain": 2})

# %% jupyter={"source_hidden": true}
show.heading("nb04.rank_heading", p.lang)

# %%
s = rank.summary() if rank is not None else {"n_units": 0}
if s["n_units"] > 1:
    display(analysis.plot_rank_distribution(rank.table(), lang=p.lang))
    display(show.note("nb04.rank_note", p.lang, n=s["n_draws"], median=show.fmt(s["rank_median"], p.lang, 0),
                      p10=show.fmt(s["rank_p10"], p.lang, 0), p90=show.fmt(s["rank_p90"], p.lang, 0),
                      of=s["n_units"]))
else:   # no other unit has a rank (points not scored, or the framework's total unknown)
    display(show.note("nb04.no_rank", p.lang, kind="warning", unit=p.unit))

# %% jupyter={"source_hidden": true}
show.heading("nb04.assumptions", p.lang)

# %%
show.bullets([show.note_text(a, p.lang) for a in plan.assumptions]
             + [show.note_text(a, p.lang) for a in (rank.assumptions if rank else []) if a not in plan.assumptions])

# %%
if rank is not None:   # a unit with no data has no plan to write (the warning above says so)
    display(show.appendix_link(write_plan(plan, p.output_path(".plan.xlsx"), lang=p.lang, rank=rank), p.lang))
