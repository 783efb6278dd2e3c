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
    plot_bump,
    plot_gaps,
    plot_profile,
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
