"""Notebook 00_explore's explorer: the default selection as static HTML, every picker change redrawn in
place, and a choice without data shown as one clear message (never a traceback).  Figures: seed 004."""

import html
import re

import pytest
from lang_scan import codes, foreign_words

from dtilib.reporting.explore import Choice, explorer
from dtilib.reporting.params import check


@pytest.fixture(scope="module")
def ex():
    return explorer(check("00_explore"))


def test_default_selection_is_lai_chau_2022_statically(ex):
    assert ex.choice == Choice("lai-chau", 2022, 63, 45, 2025, "vi")
    page = ex.static_html()
    assert page.count('src="data:image/png;base64,') == 1                     # the trend plot
    for text in ("Vì sao thứ hạng thay đổi (2021→2022)", "48/63", "53/63", "0,5032", "Khoảng cách tới hạng 45/63",
                 "Năm 2022: Lai Châu hạng 53, giá trị 0,5032; hạng 45 cần 0,5350 – 0,5450"):
        assert text in page, text
    assert "Traceback" not in page and "dti-warning" not in page


def test_the_pickers_redraw_in_place(ex):
    pytest.importorskip("ipywidgets")
    box = ex.widget()
    assert box is ex.widget()                                                  # built once
    ex.w_year.value = 2021
    assert ex.choice.year == 2021
    assert "(2020→2021)" in ex.headings[1].value
    ex.w_lang.value = "en"
    assert ex.choice.lang == "en" and "Why the rank moved (2020→2021)" in ex.headings[1].value
    assert ex.w_year.description == "Year"
    ex.w_era.value = 34
    assert ex.choice.era == 34 and ex.choice.year == 2024 and ex.w_target.max == 34
    assert ex.choice.province == "lai-chau"                                     # Lai Châu is unchanged in the 34 list
    ex.w_era.value = 63
    ex.w_year.value = 2022
    ex.w_lang.value = "vi"
    ex.w_target.value = 45
    assert ex.choice == Choice("lai-chau", 2022, 63, 45, 2025, "vi")


def test_a_year_without_data_shows_the_message_not_a_traceback(ex):
    page = ex.static_html(Choice("lai-chau", 2023, 63, 45, 2025, "vi"))        # 2023: Lai Châu's rank not published
    warnings = re.findall(r"<div class=\"dti-warning\"[^>]*>([^<]*)</div>", page)
    assert len(warnings) == 2
    assert warnings[0].startswith("Không có số liệu cho lựa chọn này: tham số &#x27;year&#x27;: thứ hạng của Lai Châu "
                                  "năm 2023 chưa được công bố")
    assert "Lai Châu chưa có giá trị DTI công bố năm 2023" in warnings[1]
    page_en = ex.static_html(Choice("lai-chau", 2023, 63, 45, 2025, "en"))
    assert "parameter &#x27;year&#x27;: the rank of Lai Châu in 2023 is not published" in page_en
    assert "Traceback" not in page and 'src="data:image/png;base64,' in page    # the trend still draws


def test_the_bundle_has_the_widget_and_a_static_fallback(ex):
    pytest.importorskip("ipywidgets")
    bundle = ex._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "Khoảng cách tới hạng 45/63" in bundle["text/html"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_explorer_speaks_one_language_and_shows_decisions_not_framework_ids(ex, lang):
    page = ex.static_html(Choice("lai-chau", 2022, 63, 45, 2025, lang))
    text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>|data:image[^\"]+", " ", page,
                                                         flags=re.S)))
    assert codes(text) == [] and "vn-province" not in text
    # record: Lai Châu's 2021 rank is under 922/QĐ-BTTTT (dti_results.csv), the break 2020→2021 names 1726
    assert "1726/QĐ-BTTTT → 922/QĐ-BTTTT" in text
    assert foreign_words(text, lang) == []


def test_one_selection_is_computed_once_for_the_pickers_and_the_static_html(monkeypatch):
    """A report of 00_explore shows the pickers' output areas and the static HTML beside them: one trend,
    one plot and one distance to target per selection, not one per view (was two of each)."""
    pytest.importorskip("ipywidgets")
    from dtilib import analysis

    calls = []
    for name in ("trend", "plot_trend", "rank_change", "distance_to_target"):
        real = getattr(analysis, name)
        monkeypatch.setattr(analysis, name, lambda *a, _real=real, _name=name, **k: calls.append(_name) or _real(*a, **k))
    ex = explorer(check("00_explore"))
    bundle = ex._repr_mimebundle_()
    assert 'src="data:image/png;base64,' in bundle["text/html"]
    assert sorted(calls) == ["distance_to_target", "plot_trend", "rank_change", "trend"]
    ex.w_year.value = 2021                                                     # a new selection: computed again
    assert sorted(calls).count("trend") == 2
