"""The Word draft of the "Kế hoạch nâng cao Chỉ số chuyển đổi số" (python-docx), in the seeds' structure.

Title and legal basis (the framework's decision) — I. Mục đích, yêu cầu (target rank and year, the
current situation in figures: value, rank, trend and why the rank moved when the unit is in the
published record; points per main indicator, sub-indicators at max / at 0 / partial) — II. Nhiệm vụ,
giải pháp (by main indicator: the chosen tasks, points and rank they buy, the Monte Carlo probability)
— III. Tổ chức thực hiện (lead agencies and their indicators, supporting agencies, reporting duties) —
the assumptions, labelled — and the Phụ lục table (every sub-indicator) in a landscape section with its
header row repeated on every page.  Vietnamese by default, English with ``lang="en"``; all text from the
label catalogue (:mod:`dtilib.i18n`).  Three sources, one writer: a :class:`~dtilib.effort.optimise.Plan`
(unit data), a :class:`~dtilib.scoring.ScoreResult` (e.g. a score sheet: points, no actions), or the
published main-indicator values alone (coarse: which main indicators to push and what each is worth).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import i18n
from ..effort.plan import appendix, data_year, default_plan_year
from ..effort.tasks import num_text
from ..io import atomic_path

# appendix columns printed in Word (all but person-days, to fit an A4 landscape page), with widths in cm
_DOC_COLS = [("stt", 1.1), ("name", 3.4), ("max", 1.1), ("rule_text", 3.8), ("cur", 1.2), ("lost", 1.1),
             ("tgt", 1.2), ("task", 4.0), ("lead", 2.3), ("sup", 2.3), ("due", 1.8), ("rep", 2.2), ("cost", 1.3)]
_NUMERIC = {"max", "cur", "lost", "tgt", "gain", "cost", "days"}


def _cell_text(key, v, lang) -> str:
    if key in _NUMERIC:
        return "" if v is None or (isinstance(v, float) and np.isnan(v)) else num_text(v, lang)
    return "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _shade(cell, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _para(doc, text="", *, bold=False, italic=False, align=None, size=None, style=None):
    from docx.shared import Pt

    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _situation_from_record(unit, results, lang, up_to: int | None = None) -> list[str]:
    """Value, rank, trend and why the rank moved, from the published record (empty if the unit is not in it)."""
    from ..analysis.decompose import decompose
    from ..analysis.trends import trend
    from ..data.record import Record, load_results
    from ..errors import DTIError

    try:
        if not isinstance(results, pd.DataFrame | Record):
            results = load_results(results)
        t = trend(results, unit, national=False, lang=lang)
    except DTIError:
        return []
    t = t[(t["value"].notna() | t["rank"].notna()) & ((t["year"] <= up_to) if up_to else True)]
    if t.empty:
        return []
    items = []
    for r in t.to_dict("records"):
        item = i18n.t("doc.sit.trend_item", lang, y=int(r["year"]), v=i18n.fmt_number(r["value"], lang, 4),
                      r=_rank_text(r, lang),
                      n=num_text(r["rank_of"], lang) if pd.notna(r["rank_of"]) else "—")
        if isinstance(r.get("break"), str) and r["break"]:
            item += i18n.t("doc.sit.break", lang)
        items.append(item)
    lines = [i18n.t("doc.sit.trend", lang, items="; ".join(items))]
    years = [int(y) for y in t["year"]]
    if len(years) >= 2:
        try:
            lines.append(decompose(results, unit, years[-2], years[-1]).summary(lang))
        except DTIError:
            pass
    return lines


def _rank_text(r: dict, lang: str) -> str:
    """A printed rank, else the interval the published values allow ("17–31"), else "—"."""
    if pd.notna(r.get("rank")):
        return num_text(r["rank"], lang)
    lo, hi = r.get("rank_low"), r.get("rank_high")
    if lo is not None and hi is not None and pd.notna(lo) and pd.notna(hi):
        return f"{num_text(lo, lang)}–{num_text(hi, lang)}"
    return "—"


def _group_counts(app: pd.DataFrame, main_id: str) -> dict:
    block = _block(app, main_id)
    block = block[block["name"] != ""]          # continuation rows of a multi-part action have no name
    full = int(((block["cur"] >= block["max"] - 1e-9) & block["cur"].notna()).sum())
    zero = int(((block["cur"] <= 1e-9) & (block["max"] != 0)).sum())
    unk = int(block["cur"].isna().sum())
    return {"n": len(block), "full": full, "zero": zero, "part": len(block) - full - zero - unk, "unk": unk}


def write_plan_docx(out, *, plan=None, result=None, framework=None, unit: str | None = None, main_values=None,
                    worth=None, rank=None, peers=None, results=None, target_rank: int | None = None,
                    lang: str = "vi", plan_year: int | None = None, report_day: int = 20, yearly: str = "20/12",
                    agencies=None, points: float | None = None, year: int | None = None) -> Path:
    """Write the Kế hoạch as a Word document (atomic).  Give ``plan`` (unit data), or ``result`` + ``unit``
    (a score sheet), or ``framework`` + ``unit`` + ``main_values`` (+ ``worth`` from ``coarse_effects``, ``peers``
    from ``peers_from_results``).  *year* is the data year (default: the peers' ranking year, else plan year − 1)."""
    i18n.check_lang(lang)
    app = appendix(framework, unit, plan=plan, result=result, main_values=main_values, worth=worth,
                   agencies=agencies, lang=lang, plan_year=plan_year, report_day=report_day, yearly=yearly)
    from ..frameworks import load_framework

    fw = plan.actionset.framework if plan is not None else load_framework(framework)
    unit = app.attrs["unit"]
    py = app.attrs["plan_year"]
    if plan is not None:
        dy = data_year(plan)
        py = plan_year or default_plan_year(plan)
    else:
        dy = year or (peers.year if peers is not None and peers.year else py - 1)
    if target_rank is None and rank is not None:
        target_rank = rank.target_rank
    doc = _new_document()
    _front_matter(doc, fw, unit, py, dy, lang)

    # I. purpose, situation, requirements
    _para(doc, i18n.t("doc.h1", lang), bold=True)
    _purpose(doc, plan, rank, peers, main_values is not None, target_rank, py, lang)
    _situation(doc, app, fw, unit, dy, lang, plan=plan, result=result, peers=peers, results=results,
               main_values=main_values)
    _para(doc, i18n.t("doc.h1.require", lang), bold=True)
    _para(doc, "- " + i18n.t("doc.require.1", lang))
    _para(doc, "- " + i18n.t("doc.require.2", lang))

    # II. tasks
    _para(doc, i18n.t("doc.h2", lang), bold=True)
    if plan is not None:
        _tasks_from_plan(doc, plan, app, rank, lang)
    elif worth is not None:
        _tasks_coarse(doc, fw, worth, lang, points, target_rank)
    else:
        _para(doc, i18n.t("doc.h2.none", lang))

    # III. implementation
    _para(doc, i18n.t("doc.h3", lang), bold=True)
    _implementation(doc, app, lang, report_day, yearly)

    # IV. assumptions
    _para(doc, i18n.t("doc.h4", lang), bold=True)
    for line in _assumptions(plan, rank, peers, worth, fw, lang):
        _para(doc, "- " + line)

    _annex(doc, app, py, lang)
    out = Path(out)
    with atomic_path(out) as tmp:
        doc.save(str(tmp))
    return out


def _new_document():
    """An empty A4 portrait document in the offices' Times New Roman 13."""
    from docx import Document
    from docx.shared import Cm, Pt

    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = "Times New Roman"
    st.font.size = Pt(13)
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.left_margin, sec.right_margin, sec.top_margin, sec.bottom_margin = Cm(3), Cm(2), Cm(2), Cm(2)
    return doc


def _front_matter(doc, fw, unit, py, dy, lang) -> None:
    """The draft mark, number, place and date, title and the legal basis (căn cứ)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    center = WD_ALIGN_PARAGRAPH.CENTER
    _para(doc, i18n.t("doc.draft", lang), italic=True, align=center, size=11)
    _para(doc, i18n.t("doc.number", lang), align=center)
    _para(doc, i18n.t("doc.place_date", lang, year=py), italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _para(doc, i18n.t("doc.title", lang), bold=True, align=center, size=14)
    _para(doc, i18n.t("doc.subtitle", lang, unit=unit, year=py), bold=True, align=center)
    key = "doc.basis_decision" if re.match(r"\d+/QĐ-", fw.legal_source) else "doc.basis"
    _para(doc, i18n.t(key, lang, legal=fw.legal_source, name=fw.name(lang)), italic=True)
    _para(doc, _dated("doc.basis_results", dy, lang, unit=unit, plan_year=py))


def _dated(key: str, year, lang: str, **fmt) -> str:
    """The sentence *key* of the data's *year*, or its ``.no_year`` wording when the data has no year (a file
    without a year column, an open-ended framework): the draft never says "năm None"."""
    return i18n.t(key if year is not None else f"{key}.no_year", lang, year=year, **fmt)


def _purpose(doc, plan, rank, peers, coarse: bool, target_rank, py, lang) -> None:
    """I.1 Mục đích: the target rank, the points the plan buys, keeping what is achieved."""
    _para(doc, i18n.t("doc.h1.purpose", lang), bold=True)
    n_units = None
    if rank is not None:
        n_units = rank.n_units
    elif peers is not None:
        n_units = peers.n_units
    if target_rank is not None and n_units:
        _para(doc, "- " + i18n.t("doc.purpose.target", lang, year=py, rank=target_rank, of=n_units))
    if plan is not None:
        _para(doc, "- " + i18n.t("doc.purpose.points", lang, a=num_text(plan.before["total"], lang),
                                 b=num_text(plan.after["total"], lang), v0=i18n.fmt_number(plan.before["dti"], lang, 4),
                                 v1=i18n.fmt_number(plan.after["dti"], lang, 4)))
    if coarse:
        _para(doc, "- " + i18n.t("doc.purpose.coarse", lang))
    _para(doc, "- " + i18n.t("doc.purpose.keep", lang))


def _situation(doc, app, fw, unit, dy, lang, *, plan, result, peers, results, main_values) -> None:
    """I.2 Thực trạng: the unit's total and rank, the record's lines, then one line per main indicator."""
    _para(doc, i18n.t("doc.h1.situation", lang), bold=True)
    if plan is not None or result is not None:
        res = plan.actionset.base if plan is not None else result
        tot = res.total[res.total["unit"] == unit].iloc[0]
        rk = (i18n.t("doc.sit.rank", lang, r=num_text(tot["rank"], lang), n=num_text(tot["rank_of"], lang))
              if pd.notna(tot.get("rank")) and len(res.total) > 1 else "")
        _para(doc, _dated("doc.sit.total", dy, lang, unit=unit, pts=num_text(tot["points"], lang),
                          v=i18n.fmt_number(tot["dti_value"], lang, 4, missing=i18n.t("doc.sit.dti_unknown", lang)),
                          rank=rk))
    elif peers is not None and peers.unit_value is not None:
        rk = i18n.t("doc.sit.rank_pub", lang, r=peers.unit_rank, n=peers.n_units) if peers.unit_rank else ""
        _para(doc, _dated("doc.sit.total", peers.year or dy, lang, unit=unit,
                          pts=num_text(peers.unit_value * float(fw.total_points or 1000), lang),
                          v=i18n.fmt_number(peers.unit_value, lang, 4), rank=rk))
    for line in _situation_from_record(unit, results, lang, dy) if (results is not None or main_values is not None) else []:
        _para(doc, line)
    k = 0
    for m in app[app["kind"] == "main"].itertuples(index=False):
        if pd.isna(m.max) or m.max == 0:
            continue
        k += 1
        if main_values is not None:
            if pd.isna(m.cur):
                continue
            _para(doc, i18n.t("doc.sit.group_coarse", lang, k=k, name=m.name,
                              v=i18n.fmt_number(m.cur / m.max, lang, 4), pts=num_text(m.cur, lang),
                              mx=num_text(m.max, lang), lost=num_text(m.lost, lang)))
            continue
        c = _group_counts(app, m.indicator)
        unk = i18n.t("doc.sit.unknown", lang, u=c["unk"]) if c["unk"] else ""
        _para(doc, i18n.t("doc.sit.group", lang, k=k, name=m.name, n=c["n"], mx=num_text(m.max, lang),
                          pts=num_text(m.cur, lang) if pd.notna(m.cur) else "—",
                          lost=num_text(m.lost, lang) if pd.notna(m.lost) else "—", full=c["full"], zero=c["zero"],
                          part=c["part"], unk=unk))


def _annex(doc, app, py, lang) -> None:
    """The Phụ lục: a landscape section with the appendix as a table (header repeated on every page)."""
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt
    from docx.table import _Cell

    center = WD_ALIGN_PARAGRAPH.CENTER
    land = doc.add_section(WD_SECTION.NEW_PAGE)
    land.orientation = WD_ORIENT.LANDSCAPE
    land.page_width, land.page_height = Cm(29.7), Cm(21.0)
    land.left_margin, land.right_margin, land.top_margin, land.bottom_margin = Cm(1.4), Cm(1.4), Cm(1.5), Cm(1.5)
    _para(doc, i18n.t("doc.annex", lang), bold=True, align=center)
    _para(doc, i18n.t("doc.annex_title", lang, year=py), bold=True, align=center)
    _para(doc, i18n.t("doc.annex_sub", lang, year=py), italic=True, align=center, size=11)
    table = doc.add_table(rows=1, cols=len(_DOC_COLS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    hdr = table.rows[0]
    _repeat_header(hdr)
    for i, (key, width) in enumerate(_DOC_COLS):
        cell = hdr.cells[i]
        cell.width = Cm(width)
        cell.text = ""
        run = cell.paragraphs[0].add_run(i18n.t(f"plan.col.{key}", lang))
        run.bold = True
        run.font.size = Pt(8)
        cell.paragraphs[0].alignment = center
        _shade(cell, "DDE4EE")
    for r in app.to_dict("records"):
        row = table.add_row()
        cells = [_Cell(tc, table) for tc in row._tr.tc_lst]   # row.cells re-walks the whole table: O(n²)
        for i, (key, width) in enumerate(_DOC_COLS):
            cells[i].width = Cm(width)
            run = cells[i].paragraphs[0].add_run(_cell_text(key, r[key], lang))
            run.font.size = Pt(8)
            if r["kind"] == "main":
                run.bold = True
            if key in _NUMERIC or key == "stt":
                cells[i].paragraphs[0].alignment = center
        if r["kind"] == "main":
            for c in cells:
                _shade(c, "F2F2F2")
    for i, (_key, width) in enumerate(_DOC_COLS):
        table.columns[i].width = Cm(width)


def _tasks_from_plan(doc, plan, app, rank, lang) -> None:
    chosen = plan.chosen
    if not len(chosen):
        _para(doc, i18n.t("doc.h2.none", lang))
    peers_after = None
    if plan.rescored is not None:
        tot = plan.rescored.total
        peers_after = tot[tot["unit"] != plan.unit]["points"].to_numpy(float)
    by_main = plan.by_main.set_index("indicator")
    k = 0
    for m in app[app["kind"] == "main"].itertuples(index=False):
        block = _block(app, m.indicator)
        block = block[block["status"] == "action"]
        if block.empty:
            continue
        k += 1
        g = float(by_main.at[m.indicator, "gain"]) if m.indicator in by_main.index else float(block["gain"].sum())
        rank_txt = ""
        if peers_after is not None and len(peers_after):
            r0 = 1 + int((peers_after > plan.before["total"] + 1e-9).sum())
            r1 = 1 + int((peers_after > plan.before["total"] + g + 1e-9).sum())
            if r1 != r0:
                rank_txt = i18n.t("doc.h2.main_rank", lang, r0=r0, r1=r1)
        _para(doc, i18n.t("doc.h2.main", lang, k=k, name=m.name, g=num_text(g, lang), a=num_text(m.cur, lang),
                          b=num_text(m.cur + g, lang), mx=num_text(m.max, lang), rank=rank_txt), bold=True)
        for r in block.itertuples(index=False):
            _para(doc, "- " + i18n.t("doc.h2.task", lang, task=r.task, lead=r.lead, due=r.due,
                                     g=num_text(r.gain, lang), c=num_text(r.cost, lang)))
    ranked = pd.notna(plan.before["rank"]) and pd.notna(plan.after["rank"])   # not when points are unscored
    _para(doc, i18n.t("doc.h2.total" if ranked else "doc.h2.total.unranked", lang, n=len(chosen),
                      c=num_text(plan.spent, lang), b=num_text(plan.budget, lang), g=num_text(plan.gain, lang),
                      a=num_text(plan.before["total"], lang), t=num_text(plan.after["total"], lang),
                      move=i18n.rank_move_text(plan.before["rank"], plan.after["rank"], plan.before["rank_of"],
                                               lang) if ranked else ""))
    if rank is not None:
        s = rank.summary()
        if rank.target_rank is not None:
            _para(doc, i18n.t("doc.h2.mc", lang, draws=s["n_draws"], t=rank.target_rank, n=rank.n_units,
                              p=i18n.fmt_percent(s["p_target"], lang), med=num_text(s["rank_median"], lang),
                              lo=num_text(s["rank_p10"], lang), hi=num_text(s["rank_p90"], lang)))
        else:
            _para(doc, i18n.t("doc.h2.mc_no_target", lang, draws=s["n_draws"], med=num_text(s["rank_median"], lang),
                              lo=num_text(s["rank_p10"], lang), hi=num_text(s["rank_p90"], lang)))


def _block(app, main_id) -> pd.DataFrame:
    """The sub-indicator rows of one main indicator."""
    return app[(app["kind"] == "sub") & (app["main"] == main_id)]


def _tasks_coarse(doc, fw, worth, lang, points, target_rank) -> None:
    from ..effort.simulate import worth_order

    w = worth_order(worth.assign(room=worth.get("room", worth["points"])))
    p = points if points is not None else float(w["points"].max())
    draws = worth.attrs.get("n_draws", "")
    _para(doc, i18n.t("doc.h2.coarse_intro", lang, tp=num_text(fw.total_points, lang), p=num_text(p, lang),
                      draws=draws or "…"))
    for r in w.to_dict("records"):
        pt = ""
        if target_rank is not None and "p_target_after" in r:
            pt = i18n.t("doc.h2.coarse_p", lang, t=target_rank, p=i18n.fmt_percent(r["p_target_after"], lang))
        _para(doc, "- " + i18n.t("doc.h2.coarse_item", lang, name=r["name"], room=num_text(r["room"], lang),
                                 p=num_text(r["points"], lang), r1=num_text(r["rank_after"], lang),
                                 r0=num_text(r["rank_before"], lang), pt=pt))


def _implementation(doc, app, lang, report_day, yearly) -> None:
    subs = app[(app["kind"] == "sub") & (app["name"] != "")]
    mains = app[app["kind"] == "main"].set_index("indicator")
    by_lead: dict[str, list[str]] = {}
    for r in subs.itertuples(index=False):
        by_lead.setdefault(r.lead, [])
        nm = mains.at[r.main, "name"]
        if nm not in by_lead[r.lead]:
            by_lead[r.lead].append(nm)
    k = 0
    for lead, groups in by_lead.items():
        k += 1
        _para(doc, i18n.t("doc.h3.lead", lang, k=k, agency=lead), bold=True)
        _para(doc, i18n.t("doc.h3.lead_text", lang, items=", ".join(groups), rd=report_day, yd=yearly))
    sup = []
    for s in subs["sup"]:
        for x in str(s).split(";"):
            x = x.strip()
            if x and x not in sup:
                sup.append(x)
    if sup:
        _para(doc, i18n.t("doc.h3.support", lang, k=k + 1, items="; ".join(sup)))
    if app["agency_default"].any():
        _para(doc, i18n.t("doc.h3.default", lang, files=", ".join(app.attrs.get("agency_files", []))), italic=True)


def _assumptions(plan, rank, peers, worth, fw, lang) -> list[str]:
    from ..effort.plan import is_illustrative

    out = []
    if plan is not None:
        if is_illustrative(plan):
            out.append(i18n.t("doc.h4.illustrative", lang))
        if plan.uses_assumed_effort:
            out.append(i18n.t("doc.h4.assumed_effort", lang))
        src = Path(str(plan.actionset.provenance.get("inputs", ""))).name
        out.append(i18n.t("doc.h4.data", lang, src=src, fw=f"{fw.id} ({fw.legal_source})"))
        items = list(plan.assumptions)
    else:
        if "illustrative" in fw.id.lower():
            out.append(i18n.t("doc.h4.illustrative", lang))
        items = []
        if peers is not None:
            out.append(i18n.t("doc.h4.data", lang, src=peers.source or "data/processed/results.csv",
                              fw=f"{fw.id} ({fw.legal_source})"))
        if worth is not None:
            items += list(worth.attrs.get("assumptions", []))
    if rank is not None:   # the simulation's own assumptions (the plan's are already listed, in lang)
        own_en = set(plan.assumptions) if plan is not None else set()
        items += [a for a in rank.assumptions if a not in items and a not in own_en]
    out += [i18n.t("doc.h4.item", lang, a=i18n.note_text(a, lang)) for a in dict.fromkeys(items)]
    return out
