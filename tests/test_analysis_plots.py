"""Every plotting function runs on the fixtures, returns a Figure and writes a non-empty PNG."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import dtilib  # noqa: E402
from dtilib.analysis import (  # noqa: E402
    gap_analysis,
    indicator_profile,
    load_indicators,
    load_national,
    plot_actions,
    plot_bump,
    plot_distribution,
    plot_gaps,
    plot_outlook,
    plot_profile,
    plot_rank_distribution,
    plot_regions,
    plot_trend,
    save,
    style,
    trend,
)
from dtilib.errors import ParameterError  # noqa: E402

FIX = Path(__file__).parent / "fixtures" / "analysis"
PNG = b"\x89PNG\r\n\x1a\n"



def _png(fig, path):
    assert isinstance(fig, Figure)
    save(fig, path)
    data = Path(path).read_bytes()
    assert data[:8] == PNG and len(data) > 10_000
    plt.close(fig)


def _texts(fig):
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plot_trend(results, tmp_path, lang):
    t = trend(results, "Lai Châu", national=load_national(FIX / "national.csv"), lang=lang)
    fig = plot_trend(t, lang=lang)
    text = _texts(fig)
    # the breaks are drawn and named, the source and frameworks noted
    assert ("Đổi bộ chỉ số" if lang == "vi" else "Framework change") in text
    assert ("Nguồn" if lang == "vi" else "Source") in text and "922/QĐ-BTTTT" in text   # frameworks named by their decisions
    assert ("0,5032" if lang == "vi" else "0.5032") in text
    _png(fig, tmp_path / f"trend_{lang}.png")


def test_plot_trend_merged_province(results, tmp_path):
    fig = plot_trend(trend(results, "Yên Bái", national=False))
    assert "Sắp xếp 63 → 34 tỉnh" in _texts(fig)
    _png(fig, tmp_path / "trend_merged.png")


def test_close_break_names_do_not_overlap():
    # 2024 has a new framework (between 2023 and 2024) and the 34 list (2024 → 2024.3): the two names,
    # centred on lines 0.65 apart, overlapped in English; each now sits on its own side of the pair
    fig = plot_trend(trend(None, "Kon Tum", lang="en"), lang="en")
    names = {t.get_text(): t for t in fig.axes[0].texts if t.get_text() in ("Framework change", "63 → 34 reorganisation")}
    reorg = names["63 → 34 reorganisation"]
    change = [t for t in fig.axes[0].texts if t.get_text() == "Framework change"]
    assert reorg.get_ha() == "left" and max(change, key=lambda t: t.get_position()[0]).get_ha() == "right"
    assert min(change, key=lambda t: t.get_position()[0]).get_ha() == "center"      # 2020 → 2021: alone
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    boxes = [t.get_window_extent(r) for t in fig.axes[0].texts if t.get_text() in names]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    assert "◆ = 34-province list (from 2024)" in _texts(fig)                         # from the catalogue
    plt.close(fig)


def test_plot_bump(results, tmp_path):
    fig = plot_bump(results, ["Lai Châu", "Bắc Kạn", "Yên Bái", "Hà Giang"], highlight="Lai Châu")
    assert "Lai Châu" in _texts(fig)
    _png(fig, tmp_path / "bump.png")
    with pytest.raises(ParameterError):
        plot_bump(results, [])


@pytest.mark.parametrize("kind", ["waterfall", "bars"])
def test_plot_gaps(tmp_path, kind):
    g = gap_analysis(dtilib.score(FIX / "gaps_toy.yaml", FIX / "gaps_toy.csv"), "U1")
    fig = plot_gaps(g, kind=kind)
    assert "Bước rẻ" in _texts(fig)
    _png(fig, tmp_path / f"gaps_{kind}.png")


def test_plot_profile(results, tmp_path):
    ind = load_indicators(FIX / "indicators.csv")
    p = indicator_profile(ind, "Đà Nẵng", 2022, ["Quảng Ninh", "Thừa Thiên Huế"], results=results)
    _png(plot_profile(p), tmp_path / "profile.png")
    p2 = indicator_profile(ind, "Bắc Kạn", 2021, ["Lạng Sơn"], results=results, lang="en")
    _png(plot_profile(p2, lang="en"), tmp_path / "profile_rank.png")


def test_style_is_local_unless_applied():
    before = matplotlib.rcParams["axes.spines.top"]
    rc = style()
    assert rc["font.family"] == "DejaVu Sans"
    assert matplotlib.rcParams["axes.spines.top"] == before


# ------------------------------------------------------------------ the notebooks' figures (issue 12.5)
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_plot_distribution_and_regions(results, tmp_path, lang):
    from dtilib.analysis import add_region, load_provinces, positions, region_summary

    pos = add_region(positions(results, 2022, 63), load_provinces(FIX / "provinces.csv"), era=63)
    fig = plot_distribution(pos, average=0.5, lang=lang)
    text = _texts(fig)
    assert ("Số tỉnh" if lang == "vi" else "Provinces") in text
    assert ("Trung bình cấp tỉnh (công bố)" if lang == "vi" else "Provincial average (published)") in text
    hist, scatter = fig.axes
    published = pos[pos["kind"].isin(["published", "rounded", "derived"])]
    assert sum(p.get_height() for p in hist.patches) == len(published)      # every published value counted once
    assert all(float(y).is_integer() for y in hist.get_yticks())               # a count: no 2.5 provinces
    assert len(scatter.collections[0].get_offsets()) == len(published)
    _png(fig, tmp_path / f"distribution_{lang}.png")
    fig = plot_regions(pos, lang=lang)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks == [r if len(r) < 40 else r[:38] + "…" for r in region_summary(pos)["region"].fillna("—")]
    dots = sum(len(c.get_offsets()) for c in fig.axes[0].collections)
    assert dots == int(pos["listed"].sum())                                     # one dot per listed unit
    _png(fig, tmp_path / f"regions_{lang}.png")


def test_plot_actions_circles_the_chosen(tmp_path):
    import pandas as pd

    actions = pd.DataFrame({"action_id": ["a", "b", "c"], "rule": ["binary", "linear", "binary"],
                            "cost_likely": [5.0, 120.0, 40.0], "gain": [10.0, 4.0, 6.0]})
    fig = plot_actions(actions, ["a", "c"], lang="vi", illustrative=True)
    ax = fig.axes[0]
    assert "MINH HOẠ" in ax.get_title() and "Đạt / không đạt" in _texts(fig)
    circled = ax.collections[-1].get_offsets()
    assert sorted(map(tuple, circled.tolist())) == [(5.0, 10.0), (40.0, 6.0)]
    assert "ILLUSTRATIVE" not in plot_actions(actions, [], lang="en").axes[0].get_title()
    _png(fig, tmp_path / "actions.png")


def test_plot_rank_distribution_bars(tmp_path):
    import pandas as pd

    fig = plot_rank_distribution(pd.DataFrame({"rank": [3, 4, 5], "probability": [0.25, 0.5, 0.25]}), lang="en")
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == [0.25, 0.5, 0.25]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["3", "4", "5"] and ax.get_ylabel() == "Probability"
    _png(fig, tmp_path / "rank_distribution.png")


def test_plot_outlook_orders_by_the_default_scenario(tmp_path):
    import pandas as pd

    rows = []
    for slug, name, est in (("a", "Tỉnh A", 0.5), ("b", "Tỉnh B", 0.7), ("c", "Tỉnh C", 0.6)):
        for scen, shift in (("persistence", 0.0), ("average", 0.02)):
            rows.append({"slug": slug, "province": name, "scenario": scen, "estimate": est + shift,
                         "lo": est + shift - 0.05, "hi": est + shift + 0.05})
    fig = plot_outlook(pd.DataFrame(rows), "persistence", year=2025, highlight="c", lang="vi")
    ax = fig.axes[0]
    top_down = [t.get_text() for t in sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])]
    assert top_down == ["Tỉnh B", "Tỉnh C", "Tỉnh A"]                   # highest default estimate on top
    assert ax.get_xlabel() == "Giá trị DTI dự kiến năm 2025"
    _png(fig, tmp_path / "outlook.png")
