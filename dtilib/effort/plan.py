"""The plan appendix, as the seeds attach it: one row per chosen action, plus a summary sheet.

Columns (Vietnamese by default, English with ``lang="en"``), in this order — see ``docs/effort.md``:

=====  ============================  =========================
key    vi                            en
=====  ============================  =========================
stt    STT                           No.
main   Chỉ số chính                  Main indicator
sub    Chỉ số thành phần             Sub-indicator
max    Điểm tối đa                   Max points
cur    Điểm hiện tại                 Current points
tgt    Điểm mục tiêu                 Target points
act    Nhiệm vụ, giải pháp           Action
lead   Đơn vị chủ trì                Lead unit
sup    Đơn vị phối hợp               Supporting units
due    Thời hạn hoàn thành           Deadline
rep    Thời hạn báo cáo              Reporting dates
gain   Điểm tăng thêm                Points gained
cost   Kinh phí dự kiến              Expected cost
days   Ngày công dự kiến             Expected person-days
qtr    Quý thực hiện                 Quarter
basis  Căn cứ ước tính công sức      Effort basis
id     Mã hành động                  Action id
=====  ============================  =========================

Deadline = the last day of the quarter the greedy sequencing put the action in (of the plan year).
Reporting dates: quarterly before ``report_day`` of the quarter's last month (default 20, as Ninh Thuận;
25 for Bắc Giang), from the first quarter up to the action's quarter, and yearly before ``yearly``
(default 20/12).  Files are written atomically (:mod:`dtilib.io`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .. import i18n
from ..errors import ParameterError
from ..io import write_csv, write_xlsx
from ..rules import RULES
from .tasks import num_text, task_text, tier_label  # noqa: F401  (task_text: one home for task wording)

#: the chosen-actions sheet, in order (headers: ``effort.col.<key>`` in the catalogue)
COLUMNS = ["stt", "main", "sub", "max", "cur", "tgt", "act", "lead", "sup", "due", "rep", "gain", "cost", "days", "qtr",
           "basis", "id"]

# by-main, left-out and rank-distribution sheets: headers from the catalogue in the workbook's language;
# code cells (main indicator ids, rule kinds) are shown as their labels
BY_MAIN_COLUMNS = ["name", "max_points", "points_before", "points_after", "gain", "n_actions"]
LEFT_COLUMNS = ["action_id", "indicator", "main", "rule", "gain", "cost", "reason", "detail"]
RANK_COLUMNS = ["rank", "probability", "cumulative"]


def reason_text(reason: str, lang: str = "vi") -> str:
    """Why an action was left out (a code of :func:`dtilib.effort.optimise.left_out`, e.g. ``over budget``) in
    *lang*; an unknown code is returned as it is."""
    key = "effort.reason." + str(reason).replace(" ", "_").replace("-", "_")
    return i18n.t(key, lang) if i18n.has(key) else str(reason)


def _label(key, lang, **fmt):
    return i18n.t(f"effort.summary.{key}", lang, **fmt)


def _check_dates(plan_year, report_day, yearly) -> tuple[int, int, date]:
    if not isinstance(plan_year, int) or not 2000 <= plan_year <= 2100:
        raise ParameterError(f"plan year {plan_year!r}", column="plan_year", expected="a year such as 2025")
    if not isinstance(report_day, int) or not 1 <= report_day <= 28:
        raise ParameterError(f"report day {report_day!r}", column="report_day",
                             expected="a day of the month 1..28 (20 as Ninh Thuận, 25 as Bắc Giang)")
    try:
        d, m = (int(x) for x in str(yearly).strip().split("/"))
        y = date(plan_year, m, d)
    except (ValueError, TypeError):
        raise ParameterError(f"yearly report date {yearly!r}", column="yearly_report",
                             expected="day/month, e.g. 20/12") from None
    return plan_year, report_day, y


def data_year(plan) -> int | None:
    """The data's year: its ``year`` column, else the framework's single year (``years: [Y, Y]``)."""
    y = plan.actionset.year
    if y is None:
        first, last = plan.actionset.framework.years
        y = first if first == last else None
    return None if y is None else int(y)


def default_plan_year(plan) -> int:
    """The year after the data's year (the seeds plan year Y+1 from year Y's results), else this year."""
    y = data_year(plan)
    return y + 1 if y is not None else date.today().year


def _quarter_end(year: int, q: int) -> date:
    m = 3 * q
    return date(year, m, calendar.monthrange(year, m)[1])


def plan_table(plan, *, lang: str = "vi", plan_year: int | None = None, report_day: int = 20,
               yearly: str = "20/12", leads: dict | None = None) -> pd.DataFrame:
    """The appendix table (one row per chosen action, in the plan's order).

    *leads*: indicator → ``(chủ trì, phối hợp)`` as the full Phụ lục assigns them (:func:`appendix`), so both
    sheets of a workbook name the same agency."""
    i18n.check_lang(lang)
    plan_year, report_day, ydate = _check_dates(plan_year or default_plan_year(plan), report_day, yearly)
    fw = plan.actionset.framework
    main_name = fw.main.set_index("id")[f"name_{lang}"]
    support = _supporting(plan.actionset)
    subs = fw.sub.set_index("id")
    rows = []
    ch = plan.chosen.sort_values("order") if len(plan.chosen) else plan.chosen
    for k, a in enumerate(ch.itertuples(index=False), 1):
        q = int(a.quarter)
        due = _quarter_end(plan_year, q)
        rep = _reporting(plan_year, report_day, ydate, q, lang)
        basis = a.effort_basis if not a.assumed else f"{i18n.t('effort.assumed', lang)} ({a.effort_origin})"
        rows.append({
            "stt": k, "main": main_name[a.main], "sub": f"{a.indicator}. {i18n.localized(a, 'name', lang)}",
            "max": a.max_points, "cur": round(a.points_from, 4), "tgt": round(a.points_to, 4),
            "act": task_text(a._asdict(), subs.loc[a.indicator].to_dict() | {"id": a.indicator}, lang),
            "lead": (leads or {}).get(a.indicator, (a.responsible or i18n.t("effort.not_assigned", lang),))[0],
            "sup": (leads or {}).get(a.indicator, (None, support.get(a.indicator, "")))[1],
            "due": i18n.fmt_date(due), "rep": rep, "gain": round(a.gain, 4),
            "cost": round(getattr(a, f"cost_{plan.cost_level}"), 4),
            "days": round(getattr(a, f"days_{plan.cost_level}"), 4), "qtr": q, "basis": basis, "id": a.action_id,
        })
    df = pd.DataFrame(rows, columns=COLUMNS)
    return df.rename(columns={k: i18n.t(f"effort.col.{k}", lang) for k in COLUMNS})


def _supporting(aset) -> dict:
    d = aset.data
    col = next((c for c in ("supporting", "phoi_hop", "don_vi_phoi_hop") if c in d.columns), None)
    if col is None:
        return {}
    u = d[(d["unit"] == aset.unit)]
    out = {}
    for ind, v in zip(u["indicator"], u[col], strict=True):
        v = str(v).strip()
        if v and v.lower() != "nan" and ind not in out:
            out[ind] = v
    return out


def is_illustrative(plan) -> bool:
    """True when the plan's framework or unit data are labelled illustrative."""
    fw = plan.actionset.framework
    src = str(plan.actionset.provenance.get("inputs", ""))
    return "illustrative" in (fw.id + " " + src).lower()


def _rank_of(state: dict) -> str:
    """``"3/9"``; ``"—/9"`` for a unit not ranked (its DTI not computed: some points could not be scored)."""
    r = state.get("rank")
    return f"{'—' if r is None or pd.isna(r) else int(r)}/{state['rank_of']}"


def summary_rows(plan, lang: str = "vi", *, rank=None, plan_year: int | None = None, report_day: int = 20,
                 yearly: str = "20/12") -> list[tuple[str, object]]:
    """(label, value) rows of the summary sheet."""
    i18n.check_lang(lang)
    aset = plan.actionset
    fw = aset.framework
    rows: list[tuple[str, object]] = []
    if is_illustrative(plan):
        rows.append((_label("illustrative", lang), i18n.t("effort.summary.illustrative_text", lang)))
    if plan.uses_assumed_effort:
        rows.append((_label("effort", lang), i18n.t("effort.summary.assumed_text", lang)))
    rows += [
        (_label("unit", lang), plan.unit),
        (_label("framework", lang), f"{fw.id} — {fw.name(lang)}"),
        (_label("data", lang), Path(str(aset.provenance.get("inputs", ""))).name),
        (_label("data_year", lang), data_year(plan) if data_year(plan) is not None else ""),
        (_label("plan_year", lang), plan_year or default_plan_year(plan)),
        (_label("budget", lang), plan.budget),
        (_label("spent", lang), round(plan.spent, 4)),
    ]
    if plan.staff_days is not None:
        rows.append((_label("staff_days", lang), plan.staff_days))
    rows += [
        (_label("days_used", lang), round(plan.days_used, 4)),
        (_label("n_actions", lang), len(plan.chosen)),
        (_label("gain", lang), round(plan.gain, 4)),
        (_label("total_before", lang), round(plan.before["total"], 4)),
        (_label("total_after", lang), round(plan.after["total"], 4)),
        (_label("max_total", lang), fw.total_points),
        (_label("dti_before", lang), round(plan.before["dti"], 6)),
        (_label("dti_after", lang), round(plan.after["dti"], 6)),
        (_label("rank_before", lang), _rank_of(plan.before)),
        (_label("rank_after", lang), _rank_of(plan.after)),
        (_label("marginal", lang, step=f"{plan.marginal['budget_step']:g}"), round(plan.marginal["points"], 4)),
    ]
    if "points_per_staff_day" in plan.marginal:
        rows.append((_label("marginal_days", lang), round(plan.marginal["points_per_staff_day"], 4)))
    rows.append((_label("greedy", lang), round(plan.greedy_gain, 4)))
    if rank is not None:
        s = rank.summary()
        if rank.target_rank is not None:
            rows.append((_label("target_rank", lang), f"{rank.target_rank}/{rank.n_units}"))
            rows.append((_label("p_target", lang), round(s["p_target"], 4)))
        rows.append((_label("rank_median", lang), s["rank_median"]))
        rows.append((_label("rank_p10_p90", lang), f"{s['rank_p10']:g}–{s['rank_p90']:g}"))
        rows.append((_label("simulation", lang), i18n.t("effort.simulation", lang, n=i18n.fmt_int(s["n_draws"], lang),
                                                        seed=s["seed"])))
    py, rd, yd = _check_dates(plan_year or default_plan_year(plan), report_day, yearly)
    rows.append((_label("report_rule", lang), _reporting_rule(py, rd, yd, lang)))
    own = plan.assumptions
    sim = [a for a in rank.assumptions if a not in plan.assumptions] if rank is not None else []
    extra = list(own) + sim
    for a in dict.fromkeys(i18n.note_text(a, lang) for a in extra):
        rows.append((_label("assumption", lang), a))
    rows.append((_label("generated", lang), datetime.now(UTC).isoformat(timespec="seconds")))
    return rows


def _plain(v):
    """A summary value as a cell: a number rounded to 4 decimals, anything else as text."""
    if isinstance(v, bool) or v is None:
        return "" if v is None else str(v)
    if isinstance(v, int | float | np.integer | np.floating):
        return round(float(v), 4) if not float(v).is_integer() else int(v)
    return str(v)


def write_plan(plan, out, *, lang: str = "vi", plan_year: int | None = None, report_day: int = 20,
               yearly: str = "20/12", rank=None, agencies=None, results=None) -> Path:
    """Write the plan to *out*: ``.xlsx`` (sheets: the full Phụ lục — every sub-indicator —, the chosen
    actions, the summary, by main indicator, left out, rank distribution), ``.docx`` (the Word draft of
    the Kế hoạch, :func:`dtilib.reporting.plandoc.write_plan_docx`) or ``.csv`` (the full appendix; the
    summary goes to ``<name>.summary.csv`` beside it).  Atomic: a crash leaves any previous file intact."""
    i18n.check_lang(lang)
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in {".xlsx", ".csv", ".docx"}:
        raise ParameterError(f"cannot write '{out.suffix}'", column="out", expected=".xlsx, .docx or .csv")
    if suffix == ".docx":
        from ..reporting.plandoc import write_plan_docx

        return write_plan_docx(out, plan=plan, rank=rank, lang=lang, plan_year=plan_year, report_day=report_day,
                               yearly=yearly, agencies=agencies, results=results)
    app = appendix(plan=plan, agencies=agencies, lang=lang, plan_year=plan_year, report_day=report_day,
                   yearly=yearly)
    full = appendix_frame(app, lang)
    subs = app[app["kind"] == "sub"]
    leads = {i: (lead, sup) for i, lead, sup in zip(subs["indicator"], subs["lead"], subs["sup"], strict=True)}
    table = plan_table(plan, lang=lang, plan_year=plan_year, report_day=report_day, yearly=yearly, leads=leads)
    rows = summary_rows(plan, lang, rank=rank, plan_year=plan_year, report_day=report_day, yearly=yearly)
    rows.append((_label("agencies", lang), ", ".join(app.attrs["agency_files"])))
    key, val = _label("item", lang), _label("value", lang)
    summary = pd.DataFrame(rows, columns=[key, val])
    summary[val] = [_plain(v) for v in summary[val]]      # numbers stay numbers (no float noise), text stays text
    if suffix == ".csv":
        write_csv(summary, out.with_name(out.stem + ".summary.csv"))
        return write_csv(full, out)
    by_main, left = _by_main_sheet(plan, lang), _left_sheet(plan, lang)
    sheet = i18n.t("effort.sheet.appendix", lang)
    chosen_sheet = i18n.t("plan.sheet.chosen", lang)
    sheets = {sheet: full, chosen_sheet: table, i18n.t("effort.sheet.summary", lang): summary,
              i18n.t("effort.sheet.main", lang): by_main, i18n.t("effort.sheet.left", lang): left}
    if rank is not None:
        sheets[i18n.t("effort.sheet.rank", lang)] = _labelled(rank.table().round(4), "effort.rankdist", lang)

    def layout(xw):
        format_appendix_sheet(xw.sheets[sheet], app)
        ws = xw.sheets[chosen_sheet]
        ws.freeze_panes = "D2"
        widths = [6, 22, 40, 10, 10, 10, 60, 24, 24, 14, 40, 10, 12, 12, 8, 40, 28]
        for i, w in enumerate(widths):
            ws.column_dimensions[chr(ord("A") + i)].width = w
        wsum = xw.sheets[i18n.t("effort.sheet.summary", lang)]
        wsum.column_dimensions["A"].width = 48
        wsum.column_dimensions["B"].width = 100

    write_xlsx(sheets, out, setup=layout)
    return out


def _labelled(frame: pd.DataFrame, prefix: str, lang: str) -> pd.DataFrame:
    return frame.rename(columns={c: i18n.t(f"{prefix}.{c}", lang) for c in frame.columns})


def _main_names(plan, lang) -> dict:
    bm = plan.by_main
    return dict(zip(bm["indicator"], bm[f"name_{lang}"], strict=True))


def _by_main_sheet(plan, lang) -> pd.DataFrame:
    """The by-main-indicator sheet: the indicator's name (not its id), points before/after, actions."""
    bm = plan.by_main.copy()
    bm["name"] = bm["indicator"].map(_main_names(plan, lang))
    return _labelled(bm[BY_MAIN_COLUMNS].round(4), "effort.main", lang)


def _left_sheet(plan, lang) -> pd.DataFrame:
    """The left-out sheet: main indicator and rule as labels, reason and detail in *lang*."""
    left = plan.left_out.copy().round(4)
    left["detail"] = left["detail"].map(lambda d: i18n.note_text(d, lang) if isinstance(d, i18n.Note)
                                        else i18n.translate(d, lang))
    names = _main_names(plan, lang)
    left["main"] = left["main"].map(lambda m: names.get(m, m))
    left["rule"] = left["rule"].map(lambda r: i18n.t(f"rule.{r}", lang) if i18n.has(f"rule.{r}") else r)
    left["reason"] = left["reason"].map(lambda r: reason_text(r, lang))
    return _labelled(left[LEFT_COLUMNS], "effort.left", lang)


# ================================================================ the full appendix (every sub-indicator)
# Columns of the appendix the seeds attach (Ninh Thuận 9/2023 Phụ lục; Bắc Giang 6/2022 Phụ lục), in
# order.  key, vi, en; money in triệu đồng (the unit of the effort tables).
APPENDIX_COLUMNS = ["stt", "name", "max", "rule_text", "cur", "lost", "tgt", "task", "lead", "sup", "due", "rep", "gain",
                    "cost", "days"]

# framework columns that may carry the framework document's own scoring text
_TEXT_COLUMNS = {"vi": ("source_text", "scoring_vi", "scoring_text", "text_vi", "method_vi"),
                 "en": ("scoring_en", "text_en", "method_en")}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def rule_text(sub, lang: str = "vi", fw=None) -> str:
    """"Cách xác định và tính điểm" of one sub-indicator: the framework document's own text if the
    framework carries it, else a rendering of its rule in the seeds' wording."""
    for col in _TEXT_COLUMNS[lang]:
        v = sub.get(col) if hasattr(sub, "get") else None
        if isinstance(v, str) and v.strip():
            return v.strip()
    return _rule_text(sub.get("rule"), sub.get("params") or {}, sub.get("formula"), sub.get("inputs") or {},
                      lang)


def _rule_text(rule, params, formula, inputs, lang) -> str:
    parts: list[str] = []
    if formula:
        used = [n for n in inputs if n in str(formula)] or list(inputs)
        defs = "; ".join(f"{n} = {inputs[n]}" for n in used)
        if defs:
            parts.append(defs)
    rt = RULES.get(rule)
    if rt is not None and rt.input == "ratio":
        parts.append(i18n.t("plan.rule.ratio", lang, f=formula) if formula else i18n.t("plan.rule.ratio_given", lang))
    if rule == "binary":
        parts.append(i18n.t("plan.rule.binary", lang))
    elif rule == "tiered":
        tiers = sorted(params.get("tiers", {}).items(), key=lambda kv: -float(kv[1]))
        parts.append("; ".join(i18n.t("plan.rule.tier", lang, level=tier_label(k, params),
                                      share=num_text(v, lang)) for k, v in tiers))
    elif rule == "count_steps":
        steps = sorted(((int(k), float(v)) for k, v in params.get("steps", {}).items()), reverse=True)
        parts.append("; ".join(i18n.t("plan.rule.count", lang, n=k, p=num_text(v, lang)) for k, v in steps)
                     + "; " + i18n.t("plan.rule.rest0", lang))
    elif rule == "linear":
        parts.append(i18n.t("plan.rule.linear", lang))
    elif rule in {"linear_capped", "all_or_nothing"}:
        parts.append(i18n.t(f"plan.rule.{rule}", lang, t=i18n.fmt_percent(params.get("threshold", 1.0), lang)))
    elif rule == "min_max":
        parts.append(i18n.t("plan.rule.min_max", lang))
    elif rule == "additive":
        for k, p in enumerate(params.get("parts", []), 1):
            name = i18n.localized(p, "name", lang, p["id"])
            sub_inputs = {n: d for n, d in inputs.items() if p.get("formula") and n in p["formula"]}
            text = _rule_text(p["rule"], p.get("params") or {}, p.get("formula"), sub_inputs, lang)
            parts.append(i18n.t("plan.rule.part", lang, k=k, name=name, p=num_text(p["points"], lang), text=text))
    elif rt is not None and rt.plannable:     # a rule type without wording of its own here: its description
        parts.append(i18n.t(rt.description_key, lang))
    else:
        parts.append(i18n.t("plan.rule.unknown", lang))
    return "; ".join(parts)


def _reporting(plan_year, report_day, ydate, q, lang) -> str:
    qdates = ", ".join(i18n.fmt_date(date(plan_year, 3 * j, report_day)) for j in range(1, q + 1))
    return (i18n.t("effort.quarterly", lang, dates=qdates) + "; "
            + i18n.t("effort.yearly", lang, date=i18n.fmt_date(ydate)))


def _reporting_rule(plan_year, report_day, ydate, lang) -> str:
    """The standing reporting duty (rows without a dated action)."""
    return (i18n.t("effort.quarterly", lang, dates=i18n.t("effort.quarter_day", lang, day=report_day))
            + "; " + i18n.t("effort.yearly", lang, date=i18n.fmt_date(ydate)))


def _agency_text(assign, lang) -> tuple[str, str]:
    if not assign.lead:
        return i18n.t("effort.not_assigned", lang), assign.support
    if assign.default:
        lead = i18n.t("plan.default_agency", lang, name=assign.lead)
        return lead, assign.support
    return assign.lead, assign.support


def appendix(framework=None, unit: str | None = None, *, plan=None, result=None, main_values=None, worth=None,
             agencies=None, lang: str = "vi", plan_year: int | None = None, report_day: int = 20,
             yearly: str = "20/12", cost_level: str | None = None) -> pd.DataFrame:
    """The Phụ lục as the seeds have it: every main indicator (I, II, …) and under it every sub-indicator
    (numbered as the framework numbers them), with max, scoring text, current and lost points, target,
    task (or "duy trì" / "chưa có phương án"), chủ trì, phối hợp, deadline, reporting dates, and, for a
    chosen action, points gained, cost (triệu đồng) and person-days.

    Sources, any one: ``plan`` (a :class:`~dtilib.effort.optimise.Plan`: current points, chosen actions);
    ``result`` (a :class:`~dtilib.scoring.ScoreResult`, e.g. scored from a score sheet: current points,
    no actions); ``main_values`` ({main id: value 0..1}, published values only: points per main
    indicator, sub-indicators listed without points) with ``worth`` (the table of
    :func:`~dtilib.effort.simulate.coarse_effects`) for the coarse task per main indicator.
    *agencies* is an :class:`~dtilib.effort.agencies.Agencies` (default roles of the framework's level).
    Returns numbers as numbers (NaN where unknown) and a ``kind`` column (``main``/``sub``).
    """
    from ..frameworks import load_framework
    from .agencies import agencies_for

    i18n.check_lang(lang)
    chosen = left = None
    if plan is not None:
        fw = plan.actionset.framework
        unit = plan.unit
        result = plan.actionset.base
        chosen = plan.chosen
        left = plan.left_out
        cost_level = cost_level or plan.cost_level
        py = plan_year or default_plan_year(plan)
    else:
        if framework is None:
            raise ParameterError("no framework", column="framework", expected="a framework id or file")
        fw = load_framework(framework)
        y = fw.years[0] if fw.years[0] == fw.years[1] else None
        py = plan_year or (y + 1 if y else date.today().year)
    py, report_day, ydate = _check_dates(py, report_day, yearly)
    if agencies is None:
        agencies = agencies_for(fw)
    cur_sub, cur_main = _current_points(fw, unit, result, main_values)
    src = _Sources(lang=lang, py=py, report_day=report_day, ydate=ydate, cost_level=cost_level, agencies=agencies,
                   cur_sub=cur_sub, resp=_unit_agencies(plan, fw) if plan is not None else {},
                   acts=_actions_by_sub(chosen), why=_reasons_by_sub(left))
    worth_by = {} if worth is None else {w["indicator"]: w for w in worth.to_dict("records")}
    rows = []
    for k, m in enumerate(fw.main.itertuples(index=False)):
        scored = bool(getattr(m, "scored", True))
        rows.append(_main_row(k, m, scored, cur_main.get(m.id, np.nan), worth_by.get(m.id), src))
        subs = fw.sub[fw.sub["main"] == m.id]
        for j, s in enumerate(subs.to_dict("records"), 1):
            rows.extend(_sub_rows(j, s, m.id, scored, src))
    out = pd.DataFrame(rows)
    for c in ("max", "cur", "lost", "tgt", "gain", "cost", "days"):
        out[c] = pd.to_numeric(out[c], errors="coerce").round(4)
    # light attrs only: pandas deep-copies attrs on every operation
    out.attrs.update(framework_id=fw.id, unit=unit, plan_year=py, lang=lang, agency_files=list(agencies.files))
    return out


@dataclass(frozen=True)
class _Sources:
    """What every row of the appendix draws on: language, dates, cost level, agencies, the unit's current
    points per sub-indicator, its own responsible offices, the chosen actions and the reasons left out."""

    lang: str
    py: int
    report_day: int
    ydate: date
    cost_level: str | None
    agencies: object
    cur_sub: dict
    resp: dict
    acts: dict
    why: dict


def _current_points(fw, unit, result, main_values) -> tuple[dict, dict]:
    """The unit's current points per sub-indicator and per main indicator (from a score result, or per main
    indicator from published main values)."""
    cur_sub, cur_main = {}, {}
    if result is not None:
        if unit is None:
            raise ParameterError("no unit", column="unit", expected="the unit to plan for")
        r = result.unit(unit)
        cur_sub = {i: p for i, p in zip(r.sub["indicator"], r.sub["points"], strict=True) if pd.notna(p)}
        cur_main = {i: p for i, p in zip(r.main["indicator"], r.main["points"], strict=True) if pd.notna(p)}
    if main_values is not None:
        mx = fw.main_max()
        cur_main = {m: float(v) * float(mx[m]) for m, v in main_values.items() if pd.notna(v) and pd.notna(mx.get(m))}
    return cur_sub, cur_main


def _unit_agencies(plan, fw) -> dict:
    """{sub-indicator: (lead, support)} from the unit data's own responsible / supporting columns."""
    a = plan.actionset
    sup = _supporting(a)
    resp = {}
    if "responsible" in a.data.columns:
        # a value equal to the framework's own `responsible` is the template's untouched pre-fill (the
        # shipped 922 file names offices of another province): the agency list decides those rows
        prefill = {i: str(r).strip() for i, r in zip(fw.sub["id"], fw.sub["responsible"], strict=True) if r}
        u = a.data[a.data["unit"] == a.unit]
        for ind, v in zip(u["indicator"], u["responsible"], strict=True):
            v = str(v).strip()
            if v and v.lower() != "nan" and v != prefill.get(ind):
                resp.setdefault(ind, v)
    return {k: (v, sup.get(k, "")) for k, v in resp.items()}


def _actions_by_sub(chosen) -> dict:
    """{sub-indicator: [chosen action as a dict, …]} in the plan's order."""
    acts = {}
    if chosen is not None and len(chosen):
        for a in chosen.sort_values("order").itertuples(index=False):
            acts.setdefault(a.indicator, []).append(a._asdict())
    return acts


def _reasons_by_sub(left) -> dict:
    """{sub-indicator: the reason code its first left-out action was left out}."""
    why = {}
    if left is not None and len(left):
        for ind, reason in zip(left["indicator"], left["reason"], strict=True):
            why.setdefault(ind, reason)
    return why


def _main_row(k, m, scored, cur, w, src) -> dict:
    """The row of main indicator *m* (numbered I, II, …), with the coarse task *w* if there is one."""
    lang, py = src.lang, src.py
    mmax = float(m.max_points) if pd.notna(m.max_points) else np.nan
    assign = src.agencies.main_row(m.id)
    lead, sup = _agency_text(assign, lang)
    row = {"kind": "main", "main": m.id, "indicator": m.id, "stt": ROMAN[k] if k < len(ROMAN) else str(k + 1),
           "name": getattr(m, f"name_{lang}") or m.name_vi, "max": mmax, "rule_text": "",
           "cur": cur, "lost": mmax - cur if scored else np.nan, "tgt": np.nan, "task": "",
           "lead": lead, "sup": sup, "due": "", "rep": "", "gain": np.nan, "cost": np.nan, "days": np.nan,
           "status": "main", "agency_default": assign.default}
    if not scored:
        row["task"] = i18n.t("plan.not_scored", lang)
    elif w is not None:
        v0 = cur / mmax if pd.notna(cur) else np.nan
        row.update(task=i18n.t("plan.task.main", lang, p=num_text(w["points"], lang), name=row["name"],
                               v0=i18n.fmt_number(v0, lang, 4), v1=i18n.fmt_number(v0 + w["value_change"], lang, 4),
                               r=num_text(w["ranks_gained_median"], lang)),
                   tgt=cur + w["points"] if pd.notna(cur) else np.nan, gain=w["points"],
                   due=i18n.fmt_date(_quarter_end(py, 4)), rep=_reporting_rule(py, src.report_day, src.ydate, lang),
                   status="action")
    return row


def _sub_rows(j, s, main_id, scored, src) -> list[dict]:
    """The row(s) of sub-indicator *s* (the *j*-th of its main indicator): one per chosen action (several
    parts of one additive sub-indicator), else one saying to keep it, that data are missing, or no option."""
    lang, py = src.lang, src.py
    smax = s["max_points"]
    cur = src.cur_sub.get(s["id"], np.nan)
    if s["id"] in src.resp:
        lead, sup = src.resp[s["id"]]
        sup = sup or src.agencies.lookup(s["id"], main_id).support
    else:
        assign = src.agencies.lookup(s["id"], main_id)
        if not assign.lead and s.get("responsible"):
            assign = type(assign)(s["responsible"], assign.support, False, "framework")
        lead, sup = _agency_text(assign, lang)
    base = {"kind": "sub", "main": main_id, "indicator": s["id"], "stt": str(s.get("code") or j),
            "name": s.get(f"name_{lang}") or s["name_vi"], "max": smax, "rule_text": rule_text(s, lang),
            "cur": cur, "lost": smax - cur if pd.notna(cur) and pd.notna(smax) else np.nan,
            "tgt": np.nan, "task": "", "lead": lead, "sup": sup, "due": "", "rep": "",
            "gain": np.nan, "cost": np.nan, "days": np.nan, "status": "", "agency_default": False}
    base["agency_default"] = lead.endswith(("(mặc định)", "(default)"))
    if not scored:
        return [{**base, "task": i18n.t("plan.not_scored", lang), "status": "not_scored"}]
    todo = src.acts.get(s["id"], [])
    if todo:
        return _action_rows(base, todo, s, src)
    rule_rep = _reporting_rule(py, src.report_day, src.ydate, lang)
    if pd.isna(cur):
        return [{**base, "task": i18n.t("plan.no_data", lang), "status": "no_data", "due": i18n.t("plan.ongoing", lang)}]
    if pd.notna(smax) and cur >= smax - 1e-9:
        return [{**base, "tgt": cur, "task": i18n.t("plan.keep", lang), "status": "keep",
                 "due": i18n.t("plan.ongoing", lang), "rep": rule_rep}]
    reason = src.why.get(s["id"])
    task = i18n.t("plan.no_option_why", lang, why=reason_text(reason, lang)) if reason else i18n.t("plan.no_option", lang)
    return [{**base, "tgt": cur, "task": task, "status": "no_option", "due": i18n.t("plan.ongoing", lang),
             "rep": rule_rep}]


def _action_rows(base, todo, s, src) -> list[dict]:
    """One row per chosen action of sub-indicator *s*; continuation rows carry no name, max or points."""
    rows = []
    for a in todo:
        q = int(a["quarter"])
        rows.append({**base, "tgt": a["points_to"] if len(todo) == 1 else np.nan,
                     "task": task_text(a, s, src.lang), "status": "action",
                     "due": i18n.fmt_date(_quarter_end(src.py, q)),
                     "rep": _reporting(src.py, src.report_day, src.ydate, q, src.lang), "gain": a["gain"],
                     "cost": a[f"cost_{src.cost_level}"], "days": a[f"days_{src.cost_level}"]})
        base = {**base, "stt": "", "name": "", "rule_text": "", "max": np.nan, "cur": np.nan, "lost": np.nan}
    if len(todo) > 1:   # several parts of one additive sub-indicator: the target of the whole
        rows[0]["tgt"] = rows[0]["cur"] + sum(a["gain"] for a in todo)
    return rows


def appendix_frame(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """The appendix with its printed headers (the columns of :data:`APPENDIX_COLUMNS`)."""
    keys = list(APPENDIX_COLUMNS)
    return table[keys].rename(columns={k: i18n.t(f"plan.col.{k}", lang) for k in keys})


def write_appendix(table: pd.DataFrame, out, lang: str | None = None) -> Path:
    """Write an :func:`appendix` table alone: ``.xlsx`` (one formatted sheet, print-ready) or ``.csv``."""
    lang = lang or table.attrs.get("lang", "vi")
    out = Path(out)
    frame = appendix_frame(table, lang)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        return write_csv(frame, out)
    if suffix != ".xlsx":
        raise ParameterError(f"cannot write '{out.suffix}'", column="out", expected=".docx, .xlsx or .csv")
    sheet = i18n.t("effort.sheet.appendix", lang)
    return write_xlsx({sheet: frame}, out, setup=lambda xw: format_appendix_sheet(xw.sheets[sheet], table))


# Excel layout of the appendix sheet: width and number format per column (formats are locale-neutral codes;
# Excel/LibreOffice show them with the reader's separators, 1.234,5 in a Vietnamese locale).
_XL = {"stt": (6, None), "name": (42, None), "max": (9, "#,##0.##"), "rule_text": (48, None),
       "cur": (10, "#,##0.00"), "lost": (10, "#,##0.00"), "tgt": (10, "#,##0.00"), "task": (48, None),
       "lead": (28, None), "sup": (30, None), "due": (13, None), "rep": (34, None), "gain": (10, "#,##0.00"),
       "cost": (14, "#,##0.0"), "days": (11, "#,##0.0")}


def format_appendix_sheet(ws, table: pd.DataFrame, title: str | None = None) -> None:
    """Widths, wrapped text, numeric formats, bold main-indicator rows, frozen header, A4 landscape with the
    header row repeated on every printed page."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    keys = list(APPENDIX_COLUMNS)
    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    head = 1
    for i, k in enumerate(keys, 1):
        width, fmt = _XL[k]
        col = get_column_letter(i)
        ws.column_dimensions[col].width = width
        c = ws.cell(row=head, column=i)
        c.font = Font(bold=True)
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.fill = PatternFill("solid", fgColor="DDE4EE")
        c.border = border
        for r in range(head + 1, ws.max_row + 1):
            cell = ws.cell(row=r, column=i)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = border
            if fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
    # row heights: spreadsheet programs do not grow a row to its wrapped text on opening a file that does not
    # say how high it is, so estimate the lines of the longest cell (characters per line ≈ column width)
    widths = [_XL[k][0] for k in keys]
    for r in range(head, ws.max_row + 1):
        lines = 1
        for i, w in enumerate(widths, 1):
            v = ws.cell(row=r, column=i).value
            if isinstance(v, str) and v:
                lines = max(lines, sum(-(-len(part) // max(int(w * 1.05), 1)) for part in v.split("\n")))
        ws.row_dimensions[r].height = 15 * min(lines, 30) + 2
    kinds = table["kind"].tolist()
    for r, kind in enumerate(kinds, head + 1):
        if kind == "main":
            for i in range(1, len(keys) + 1):
                ws.cell(row=r, column=i).font = Font(bold=True)
                ws.cell(row=r, column=i).fill = PatternFill("solid", fgColor="F2F2F2")
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{head}:{head}"
    ws.print_options.gridLines = False
