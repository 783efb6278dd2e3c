"""Results show themselves in Jupyter (styled HTML, vi number format by default, en on request, breaks
and gaps marked) and as readable text elsewhere.  Expected figures: seed 004 (Lai Châu 2020–2022),
seed 000 (Bắc Kạn city 539.53, its group table and the two mis-stated losses)."""

import re

import pandas as pd
import pytest

import dtilib
from dtilib import analysis, effort
from dtilib.reporting import rich
from dtilib.reporting.params import EXAMPLE_FRAMEWORK, EXAMPLE_UNIT, EXAMPLE_UNIT_FILE, EXAMPLES_DIR


@pytest.fixture(scope="module")
def results():
    return analysis.load_results()


@pytest.fixture(scope="module")
def scored():
    fw = dtilib.load_framework(EXAMPLES_DIR / EXAMPLE_FRAMEWORK)
    return fw, dtilib.score(fw, EXAMPLES_DIR / EXAMPLE_UNIT_FILE)


def _cells(html: str) -> list[str]:
    return re.findall(r"<td[^>]*>([^<]*)</td>", html)


def test_trend_html_marks_breaks_and_unpublished_years(results):
    t = analysis.trend(results, "Lai Châu", national=False)
    page = t._repr_html_()
    assert page.count("<style>") == 1 and 'class="dti-rich"' in page
    for text in ("Xu hướng DTI — Lai Châu", "0,2627", "0,3350", "0,5032"):    # seed 004
        assert text in page, text
    assert "0.5032" not in page
    # 2020→2021 (1726 → 922), 2023→2024 (922 → 405) and the 63→34 list: three marked rows
    assert page.count('<tr class="dti-break">') == 3
    assert "⚠ Đổi bộ chỉ số (1726/QĐ-BTTTT → 922/QĐ-BTTTT)" in page and "vn-province" not in page   # decisions, not ids
    assert '<td class="num gap">—</td>' in page                       # 2023: rank not published in the record
    assert "không nội suy" in page


def test_trend_text_and_english_on_request(results):
    t = analysis.trend(results, "Lai Châu", national=False)
    txt = repr(t)
    assert txt.splitlines()[0] == "Xu hướng DTI — Lai Châu"
    line_2022 = next(ln for ln in txt.splitlines() if ln.startswith("2022"))
    assert "0,5032" in line_2022 and "53" in line_2022
    en = rich.show(t, "en")
    assert "DTI trend — Lai Châu" in en._repr_html_() and "0.5032" in en._repr_html_()
    assert "0,5032" not in en._repr_html_()
    rich.set_lang("en")
    try:
        assert "0.3350" in t._repr_html_() and "Framework change" in repr(t)
    finally:
        rich.set_lang("vi")
    with pytest.raises(dtilib.errors.ParameterError):
        rich.set_lang("fr")


def test_a_result_table_is_a_dataframe_and_what_is_derived_is_plain(results):
    t = analysis.trend(results, "Lai Châu", national=False)
    assert isinstance(t, pd.DataFrame) and t.attrs["unit"] == "Lai Châu"
    for derived in (t[["year", "value"]], t[t["era"] == 63], t.head(2), t.copy()):
        assert type(derived) is pd.DataFrame
    assert t.loc[t["year"] == 2022, "value"].item() == pytest.approx(0.5032)


def test_rank_change_and_target(results):
    d = analysis.rank_change(results, "Lai Châu", 2021, 2022)
    page = d._repr_html_()
    for text in ("48/63", "53/63", "0,3350", "0,5032", "Thay đổi thứ hạng — Lai Châu 2021→2022"):
        assert text in page, text
    assert repr(d).startswith("Thay đổi thứ hạng — Lai Châu 2021→2022")
    tr = analysis.distance_to_target(results, "Lai Châu", 45, 2025)
    page = tr._repr_html_()
    assert "Khoảng cách tới hạng 45/63 — Lai Châu" in page
    cells = _cells(page)
    i = cells.index("2022")
    # 2022: rank 53, value 0.5032 (seed 004)
    assert cells[i + 2] == "53" and cells[i + 3] == "0,5032"
    assert page.count('<tr class="dti-break">') == 2                 # 1726→922 and 922→405 years


def test_score_gaps_and_plan(scored):
    fw, res = scored
    page = res._repr_html_()
    cells = _cells(page)
    i = cells.index(EXAMPLE_UNIT)
    assert cells[i + 1] == "539,53" and cells[i + 3] == "1"            # seed 000: total 539.53, first of 8
    assert cells[cells.index("Huyện Chợ Mới") + 1] == "523,02"
    assert "Kết quả chấm điểm" in repr(res) and "539,53" in repr(res)
    g = analysis.gap_analysis(res, EXAMPLE_UNIT)
    page = g._repr_html_()
    cells = _cells(page)
    i = cells.index("An toàn thông tin mạng")                          # seed 000 group table: 80 / 34.9
    assert cells[i + 1: i + 4] == ["80,00", "34,90", "45,10"]
    assert "MINH HOẠ" in page and "460,47" in page
    acts = effort.candidate_actions(fw, EXAMPLES_DIR / EXAMPLE_UNIT_FILE, EXAMPLE_UNIT)
    plan = effort.best_plan(acts, effort.read_effort(), budget=50)
    page = plan._repr_html_()
    assert "Phương án tốt nhất — Thành phố Bắc Kạn" in page
    assert rich.html(plan, "en").count("Best plan") == 1
    assert f"{plan.spent:.1f}".replace(".", ",") in page and plan.spent <= 50


def test_reconciliation_shades_mismatches():
    from dtilib.data.reconcile import reconcile

    out = reconcile()
    page = out._repr_html_()
    assert "Đối chiếu số liệu công bố" in page
    n_bad = int((out["status"] == "mismatch").sum())
    assert n_bad > 0 and page.count('<tr class="dti-bad">') == min(n_bad, 15)
    # seed 000: the plan states 32.5 points lost for Nhận thức số, the group table gives 2.5
    row = out[(out["check"] == "group_lost") & out["unit"].str.contains("Nhận thức số")].iloc[0]
    assert row["status"] == "mismatch"
    assert "32,50" in page and "2,50" in page and "KHÔNG KHỚP" in page


def test_unknown_object_has_no_view():
    with pytest.raises(TypeError, match="no rich view"):
        rich.html(object())


def test_plot_functions_return_a_figure_shown_once(results):
    import matplotlib.pyplot as plt

    before = set(plt.get_fignums())
    fig = analysis.plot_trend(analysis.trend(results, "Lai Châu", national=False))
    assert set(plt.get_fignums()) == before                            # not left open: Jupyter shows it once
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    assert buf.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"


def test_numbers_written_as_text_align_as_numbers_and_stay_on_one_line():
    # report 02's trend table: changes and rank ranges are text ("+0,0723", "17–31", "−2 (tăng 2 bậc)");
    # as text cells they took a 9em minimum width each, left-aligned, and the table ran off the page
    from dtilib.reporting import display as show

    frame = pd.DataFrame({"unit": ["Lai Châu", "Hà Nội"], "delta_value": ["+0,0723", None],
                          "delta_rank": ["−2 (tăng 2 bậc)", "—"], "rank_range": ["17–31", "48"],
                          "break": ["Đổi bộ chỉ số (1726/QĐ-BTTTT → 922/QĐ-BTTTT)", ""]})
    html = show.table(frame, "vi").html
    cells = re.findall(r'<td class="(\w+)[^"]*"[^>]*>([^<]*)</td>', html)
    kinds = {text: kind for kind, text in cells}
    assert kinds["+0,0723"] == kinds["−2 (tăng 2 bậc)"] == kinds["17–31"] == kinds["48"] == "num"
    assert kinds["Lai Châu"] == "txt" and kinds["Đổi bộ chỉ số (1726/QĐ-BTTTT → 922/QĐ-BTTTT)"] == "txt"
    assert html.count('<th class="num">') == 3                                   # their headers too
