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
target_rank = None      # the rank to reach (None: no target section; `make report` gives 45)
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
from IPython.display import display

from dtilib import analysis
from dtilib.reporting import display as show

show.setup_plots()
record = analysis.load_record(p.processed_dir)   # read once, passed along
results = record.results
national = record.averages if record.averages is not None else False
tr = analysis.trend(record, p.province_slug if p.era == 63 else p.province, national=national, lang=p.lang)
tr = tr[tr["era"] == p.era].reset_index(drop=True) if p.era == 34 else tr
mine = tr[tr["era"] == p.era]
known = mine[mine["value"].notna() | mine["rank"].notna()]
last = known.iloc[-1] if len(known) else None
display(show.latest_figures(tr, p.lang, target=(p.target_rank_in_list, p.target_rank_of, p.target_year)
                            if p.target_rank is not None else None))
for text in (p.target_note[p.lang] if p.target_note else "", analysis.successor_note(tr, p.lang)):
    display(show.note(text)) if text else None

# %% jupyter={"source_hidden": true}
show.heading("nb02.trend", p.lang)

# %%
shown = tr.assign(framework=tr["framework"].map(analysis.framework_label),
                  **{"break": [analysis.break_label(b, p.lang) for b in tr["break"]]},
                  delta_value=[show.fmt_signed(d, p.lang) for d in tr["delta_value"]],
                  delta_rank=[show.rank_delta_text(d, p.lang) for d in tr["delta_rank"]],
                  rank_range=[show.fmt_range(lo, hi, p.lang, 0) for lo, hi in zip(tr["rank_low"], tr["rank_high"], strict=True)])
show.table(shown[["year", "era", "value", "rank", "rank_range", "delta_value", "delta_rank", "provincial_avg",
                  "framework", "break"]],
           p.lang, labels={"value": "dti_value", "era": "analysis.list", "rank_range": "analysis.rank_range",
                           "delta_value": "analysis.delta_value", "delta_rank": "analysis.delta_rank",
                           "provincial_avg": "analysis.provincial_avg", "break": "analysis.break"})

# %%
analysis.plot_trend(tr, lang=p.lang)

# %% jupyter={"source_hidden": true}
show.note("nb02.breaks_note", p.lang)

# %% jupyter={"source_hidden": true}
show.heading("nb02.rank_change", p.lang)

# %%
ranked = mine[mine["rank"].notna()]
steps = [(int(a), int(b)) for a, b in zip(ranked["year"], ranked["year"].iloc[1:], strict=False)]
for y0, y1 in steps:
    d = analysis.rank_change(record, p.province_slug, y0, y1, era=p.era, national=national)
    display(show.text_block(analysis.readable(d.summary(p.lang), p.lang)))
show.note("nb02.no_rank_change", p.lang) if not steps else None

# %% jupyter={"source_hidden": true}
show.heading("nb02.target_heading", p.lang, rank=p.target_rank_in_list, n=p.target_rank_of) if p.target_rank else None

# %%
if p.target_rank is None:                # no target unless one is given: -p target_rank N
    display(show.note("nb02.no_target", p.lang))
else:
    target = analysis.distance_to_target(record, p.province_slug, p.target_rank, p.target_year, era=p.era)
    gap = target.gap_projected          # the cards speak of the target year, as the text below does
    if target.projection is not None and gap is not None:
        pr = target.projection
        short = (show.t("target.col.reached", p.lang) if gap[0] <= 0 else
                 show.fmt_range(max(gap[1], 0), max(gap[2], 0), p.lang)
                 + (f" ≈ {show.fmt(gap[0] * target.total_points, p.lang, 1)} "
                    + show.t("nb02.points_of", p.lang, total=show.fmt(target.total_points, p.lang, 0))
                    if target.total_points else ""))
        display(show.figures([("nb02.value_needed", f"{show.fmt_range(pr.low, pr.high, p.lang, bounds=(0, 1))}"
                               f" ({pr.year})"), ("nb02.gap_short", short)], p.lang))
    display(show.text_block(analysis.readable(target.summary(p.lang), p.lang)))

# %% jupyter={"source_hidden": true}
show.heading("nb02.peers", p.lang, year=int(ranked["year"].iloc[-1]) if len(ranked) else "")

# %%
year_ref = int(last["year"]) if last is not None else int(results["year"].max())
if len(ranked):                          # its neighbours in the latest year of the list with its rank
    near = analysis.rank_neighbours(record, p.province_slug, int(ranked["year"].iloc[-1]), k=4, era=p.era)
    near["range"] = show.value_ranges(near, p.lang)
    near["kind"] = [show.t(f"nb02.kind_{k}", p.lang) for k in near["kind"]]
    display(show.table(near[["rank", "unit", "range", "kind"]], p.lang,
                       labels={"unit": "province", "range": "dti_value", "kind": "nb02.kind"},
                       highlight=near["is_unit"]))
else:
    display(show.note("nb02.no_rank_in_list", p.lang, n=p.era))

# %% jupyter={"source_hidden": true}
show.heading("nb02.region_peers", p.lang, year=year_ref)

# %%
region = analysis.peer_table(record, p.province_slug, year_ref, peers="region", era=p.era, national=national)
region = region[region["unit_slug"] != "__provincial_avg__"].sort_values("rank", na_position="last")
region["range"] = show.value_ranges(region, p.lang)
show.table(region[["unit", "rank", "range"]], p.lang, labels={"unit": "province", "range": "dti_value"},
           highlight=region["is_unit"])
