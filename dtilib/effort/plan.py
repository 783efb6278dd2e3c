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
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from .. import i18n
from ..errors import ParameterError
from ..io import atomic_path, write_csv

COLUMNS = [
    ("stt", "STT", "No."), ("main", "Chỉ số chính", "Main indicator"), ("sub", "Chỉ số thành phần", "Sub-indicator"),
    ("max", "Điểm tối đa", "Max points"), ("cur", "Điểm hiện tại", "Current points"),
    ("tgt", "Điểm mục tiêu", "Target points"), ("act", "Nhiệm vụ, giải pháp", "Action"),
    ("lead", "Đơn vị chủ trì", "Lead unit"), ("sup", "Đơn vị phối hợp", "Supporting units"),
    ("due", "Thời hạn hoàn thành", "Deadline"), ("rep", "Thời hạn báo cáo", "Reporting dates"),
    ("gain", "Điểm tăng thêm", "Points gained"), ("cost", "Kinh phí dự kiến", "Expected cost"),
    ("days", "Ngày công dự kiến", "Expected person-days"), ("qtr", "Quý thực hiện", "Quarter"),
    ("basis", "Căn cứ ước tính công sức", "Effort basis"), ("id", "Mã hành động", "Action id"),
]
i18n.register({f"effort.col.{k}": {"vi": vi, "en": en} for k, vi, en in COLUMNS})
i18n.register({
    "effort.sheet.appendix": {"vi": "Phụ lục", "en": "Appendix"},
    "effort.sheet.summary": {"vi": "Tổng hợp", "en": "Summary"},
    "effort.sheet.main": {"vi": "Theo chỉ số chính", "en": "By main indicator"},
    "effort.sheet.left": {"vi": "Không chọn", "en": "Left out"},
    "effort.sheet.rank": {"vi": "Phân bố xếp hạng", "en": "Rank distribution"},
    "effort.not_assigned": {"vi": "(chưa phân công)", "en": "(not assigned)"},
    "effort.quarterly": {"vi": "Hằng quý trước ngày {dates}", "en": "Quarterly before {dates}"},
    "effort.yearly": {"vi": "hằng năm trước ngày {date}", "en": "yearly before {date}"},
    "effort.assumed": {"vi": "công sức giả định", "en": "assumed effort"},
})

SUMMARY_LABELS = {
    "illustrative": ("Lưu ý", "Note"),
    "unit": ("Đơn vị", "Unit"), "framework": ("Bộ chỉ số", "Framework"), "data": ("Dữ liệu", "Unit data"),
    "data_year": ("Năm số liệu", "Data year"), "plan_year": ("Năm kế hoạch", "Plan year"),
    "budget": ("Kinh phí được giao", "Budget"), "spent": ("Kinh phí phân bổ cho kế hoạch", "Spent by the plan"),
    "staff_days": ("Giới hạn ngày công", "Staff-days limit"), "days_used": ("Ngày công sử dụng", "Person-days used"),
    "n_actions": ("Số nhiệm vụ được chọn", "Actions chosen"), "gain": ("Điểm tăng thêm", "Points gained"),
    "total_before": ("Tổng điểm hiện tại", "Current total"), "total_after": ("Tổng điểm mới", "New total"),
    "max_total": ("Tổng điểm tối đa", "Maximum total"),
    "dti_before": ("Giá trị DTI hiện tại", "Current DTI value"), "dti_after": ("Giá trị DTI mới", "New DTI value"),
    "rank_before": ("Xếp hạng hiện tại (trong các đơn vị cùng chấm)", "Current rank (among the units scored)"),
    "rank_after": ("Xếp hạng mới nếu các đơn vị khác giữ nguyên", "New rank if the others stay as they are"),
    "marginal": ("Điểm tăng khi thêm {step} đơn vị kinh phí", "Points from {step} more unit(s) of budget"),
    "marginal_days": ("Điểm tăng khi thêm 1 ngày công", "Points from 1 more person-day"),
    "greedy": ("Điểm theo thứ tự ưu tiên điểm/chi phí (so sánh)", "Points of the greedy points-per-cost order (comparison)"),
    "target_rank": ("Xếp hạng mục tiêu", "Target rank"),
    "p_target": ("Xác suất đạt xếp hạng mục tiêu", "Probability of reaching the target rank"),
    "rank_median": ("Xếp hạng trung vị (mô phỏng)", "Median rank (simulation)"),
    "rank_p10_p90": ("Khoảng xếp hạng 80% (mô phỏng)", "80% rank range (simulation)"),
    "simulation": ("Mô phỏng", "Simulation"),
    "effort": ("Căn cứ công sức", "Effort basis"), "assumption": ("Giả định", "Assumption"),
    "report_rule": ("Chế độ báo cáo", "Reporting"), "generated": ("Thời điểm lập", "Generated at"),
}


BY_MAIN_VI = {"indicator": "Mã chỉ số chính", "name_vi": "Chỉ số chính", "max_points": "Điểm tối đa",
              "points_before": "Điểm hiện tại", "points_after": "Điểm sau kế hoạch", "gain": "Điểm tăng thêm",
              "n_actions": "Số nhiệm vụ"}
LEFT_VI = {"action_id": "Mã hành động", "indicator": "Mã chỉ số", "main": "Chỉ số chính", "rule": "Quy tắc",
           "gain": "Điểm tăng thêm", "cost": "Kinh phí", "reason": "Lý do không chọn", "detail": "Chi tiết"}
REASONS_VI = {
    "zero gain": "không tăng điểm", "over budget": "vượt kinh phí", "over staff-days": "vượt số ngày công",
    "dominated": "có phương án khác cùng chỉ số rẻ hơn mà điểm không thấp hơn",
    "other level chosen": "đã chọn mức khác của chỉ số này", "unknown rule": "chưa rõ cách tính điểm",
    "unknown max points": "chưa rõ điểm tối đa", "missing data": "thiếu số liệu",
    "no input change reaches a higher score": "không có thay đổi số liệu nào làm tăng điểm",
    "data error": "lỗi số liệu",
}


def _label(key, lang, **fmt):
    vi, en = SUMMARY_LABELS[key]
    text = vi if lang == "vi" else en
    return text.format(**fmt) if fmt else text


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
               yearly: str = "20/12") -> pd.DataFrame:
    """The appendix table (one row per chosen action, in the plan's order)."""
    i18n.check_lang(lang)
    plan_year, report_day, ydate = _check_dates(plan_year or default_plan_year(plan), report_day, yearly)
    fw = plan.actionset.framework
    main_name = fw.main.set_index("id")["name_vi" if lang == "vi" else "name_en"]
    support = _supporting(plan.actionset)
    rows = []
    ch = plan.chosen.sort_values("order") if len(plan.chosen) else plan.chosen
    for k, a in enumerate(ch.itertuples(index=False), 1):
        q = int(a.quarter)
        due = _quarter_end(plan_year, q)
        qdates = ", ".join(date(plan_year, 3 * j, report_day).strftime("%d/%m/%Y") for j in range(1, q + 1))
        rep = (i18n.t("effort.quarterly", lang, dates=qdates) + "; "
               + i18n.t("effort.yearly", lang, date=ydate.strftime("%d/%m/%Y")))
        basis = a.effort_basis if not a.assumed else f"{i18n.t('effort.assumed', lang)} ({a.effort_origin})"
        rows.append({
            "stt": k, "main": main_name[a.main], "sub": f"{a.indicator}. {a.name_vi if lang == 'vi' else a.name_en}",
            "max": a.max_points, "cur": round(a.points_from, 4), "tgt": round(a.points_to, 4),
            "act": a.description_vi if lang == "vi" else a.description_en,
            "lead": a.responsible or i18n.t("effort.not_assigned", lang), "sup": support.get(a.indicator, ""),
            "due": due.strftime("%d/%m/%Y"), "rep": rep, "gain": round(a.gain, 4),
            "cost": round(getattr(a, f"cost_{plan.cost_level}"), 4),
            "days": round(getattr(a, f"days_{plan.cost_level}"), 4), "qtr": q, "basis": basis, "id": a.action_id,
        })
    df = pd.DataFrame(rows, columns=[k for k, _, _ in COLUMNS])
    return df.rename(columns={k: i18n.t(f"effort.col.{k}", lang) for k, _, _ in COLUMNS})


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


def _is_illustrative(plan) -> bool:
    fw = plan.actionset.framework
    src = str(plan.actionset.provenance.get("inputs", ""))
    return "illustrative" in (fw.id + " " + src).lower()


def summary_rows(plan, lang: str = "vi", *, rank=None, plan_year: int | None = None, report_day: int = 20,
                 yearly: str = "20/12") -> list[tuple[str, object]]:
    """(label, value) rows of the summary sheet."""
    i18n.check_lang(lang)
    aset = plan.actionset
    fw = aset.framework
    rows: list[tuple[str, object]] = []
    if _is_illustrative(plan):
        rows.append((_label("illustrative", lang), "MINH HOẠ — số liệu và bộ chỉ số minh hoạ, không phải số liệu thật"
                     if lang == "vi" else "ILLUSTRATIVE — invented data and framework, not real figures"))
    if plan.uses_assumed_effort:
        rows.append((_label("effort", lang), ("CÔNG SỨC GIẢ ĐỊNH — chi phí, ngày công lấy từ bảng mặc định "
                                              "data/assumptions/effort_defaults.csv (giả định, chưa đo lường)")
                     if lang == "vi" else ("ASSUMED EFFORT — costs and person-days from the default table "
                                           "data/assumptions/effort_defaults.csv (assumptions, not measurements)")))
    rows += [
        (_label("unit", lang), plan.unit),
        (_label("framework", lang), f"{fw.id} — {fw.name(lang)}"),
        (_label("data", lang), aset.provenance.get("inputs", "")),
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
        (_label("rank_before", lang), f"{plan.before['rank']}/{plan.before['rank_of']}"),
        (_label("rank_after", lang), f"{plan.after['rank']}/{plan.after['rank_of']}"),
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
        rows.append((_label("simulation", lang), f"{s['n_draws']} draws, seed {s['seed']}"))
    py, rd, yd = _check_dates(plan_year or default_plan_year(plan), report_day, yearly)
    rows.append((_label("report_rule", lang),
                 i18n.t("effort.quarterly", lang, dates=f"{rd} tháng cuối quý" if lang == "vi"
                        else f"day {rd} of the quarter's last month")
                 + "; " + i18n.t("effort.yearly", lang, date=yd.strftime("%d/%m"))))
    own = plan.assumptions_vi if lang == "vi" and plan.assumptions_vi else plan.assumptions
    sim = [a for a in rank.assumptions if a not in plan.assumptions] if rank is not None else []
    extra = list(own) + sim
    for a in dict.fromkeys(extra):
        rows.append((_label("assumption", lang), a))
    rows.append((_label("generated", lang), datetime.now(UTC).isoformat(timespec="seconds")))
    return rows


def write_plan(plan, out, *, lang: str = "vi", plan_year: int | None = None, report_day: int = 20,
               yearly: str = "20/12", rank=None) -> Path:
    """Write the appendix (and summary) to *out*: ``.xlsx`` (several sheets) or ``.csv`` (the appendix; the
    summary goes to ``<name>.summary.csv`` beside it).  Atomic: a crash leaves any previous file intact."""
    i18n.check_lang(lang)
    out = Path(out)
    table = plan_table(plan, lang=lang, plan_year=plan_year, report_day=report_day, yearly=yearly)
    rows = summary_rows(plan, lang, rank=rank, plan_year=plan_year, report_day=report_day, yearly=yearly)
    key, val = ("Mục", "Giá trị") if lang == "vi" else ("Item", "Value")
    summary = pd.DataFrame(rows, columns=[key, val])
    summary[val] = summary[val].astype(str)
    suffix = out.suffix.lower()
    if suffix == ".csv":
        write_csv(summary, out.with_name(out.stem + ".summary.csv"))
        return write_csv(table, out)
    if suffix != ".xlsx":
        raise ParameterError(f"cannot write '{out.suffix}'", column="out", expected=".xlsx or .csv")
    by_main = plan.by_main.copy()
    name_col = "name_vi" if lang == "vi" else "name_en"
    by_main = by_main[["indicator", name_col, "max_points", "points_before", "points_after", "gain", "n_actions"]]
    left = plan.left_out.copy()
    left["detail"] = left.pop("detail_vi") if lang == "vi" else left["detail"]
    left = left.drop(columns=["detail_vi"], errors="ignore")
    if lang == "vi":
        by_main = by_main.rename(columns=BY_MAIN_VI)
        left["reason"] = left["reason"].map(lambda r: REASONS_VI.get(r, r))
        left = left.rename(columns=LEFT_VI)
    with atomic_path(out) as tmp:
        with pd.ExcelWriter(tmp, engine="openpyxl") as xw:
            table.to_excel(xw, sheet_name=i18n.t("effort.sheet.appendix", lang), index=False)
            summary.to_excel(xw, sheet_name=i18n.t("effort.sheet.summary", lang), index=False)
            by_main.to_excel(xw, sheet_name=i18n.t("effort.sheet.main", lang), index=False)
            left.to_excel(xw, sheet_name=i18n.t("effort.sheet.left", lang), index=False)
            if rank is not None:
                rank.table().to_excel(xw, sheet_name=i18n.t("effort.sheet.rank", lang), index=False)
            ws = xw.sheets[i18n.t("effort.sheet.appendix", lang)]
            ws.freeze_panes = "D2"
            widths = [6, 22, 40, 10, 10, 10, 60, 24, 24, 14, 40, 10, 12, 12, 8, 40, 28]
            for i, w in enumerate(widths):
                ws.column_dimensions[chr(ord("A") + i)].width = w
            wsum = xw.sheets[i18n.t("effort.sheet.summary", lang)]
            wsum.column_dimensions["A"].width = 48
            wsum.column_dimensions["B"].width = 100
    return out
