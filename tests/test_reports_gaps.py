"""Reports 03 and 04 on a commune's real data: gaps (points not scored), a framework without total points,
a unit with no data at all, ranks not computable, the peers parameter, figures' alt text."""

from __future__ import annotations

from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

import dtilib
from dtilib.analysis.gaps import gaps
from dtilib.errors import DataError
from dtilib.reporting import display as show

FIX = Path(__file__).parent / "fixtures" / "analysis"
TOY_FW, TOY_DATA = FIX / "gaps_toy.yaml", FIX / "gaps_toy.csv"


@pytest.fixture(scope="module")
def toy():
    return dtilib.score(TOY_FW, TOY_DATA)


@pytest.fixture(scope="module")
def no_data_file(tmp_path_factory):
    """The toy data plus U4, whose every value is blank (a commune that sent an empty file)."""
    d = tmp_path_factory.mktemp("nodata")
    df = pd.read_csv(TOY_DATA, dtype=str, keep_default_na=False)
    u4 = df[df["unit"] == "U1"].assign(unit="U4", value="")
    pd.concat([df, u4]).to_csv(d / "toy_nodata.csv", index=False)
    return d / "toy_nodata.csv"


def _sheet():
    """A score sheet on the Hà Nội commune framework (its points are unknown): A has nts_01 4/10 and
    tcs_01 10/10, B 8/10 and 6/10."""
    return pd.DataFrame({"unit": ["A", "A", "B", "B"], "indicator": ["nts_01", "tcs_01", "nts_01", "tcs_01"],
                         "points": ["4", "10", "8", "6"], "max_points": ["10", "10", "10", "10"]})


# ------------------------------------------------------------------------------------------- ranks
def test_rank_move_not_computable_is_said_not_a_crash():
    # a unit with a gap has no rank: the 04 card crashed (TypeError: float() … NoneType)
    assert show.rank_move(None, None, 9, "vi") == "hạng ?/9 → ?/9: chưa tính được"
    assert show.rank_move(None, 3, 0, "en") == "rank ?/? → 3/?: not computable"
    assert show.rank_move(3, 1, 9, "vi") == "từ hạng 3/9 lên 1/9"


def test_monte_carlo_counts_the_units_the_cards_count(toy):
    from dtilib.effort import best_plan, candidate_actions, read_effort, simulate_rank

    # U3 has no data for s1: no DTI value, no rank; U1 is ranked among U1, U2 (rank_of 2), so the draws
    # rank it among 2 units too (they counted U3 as well: "1/2" on the card, "of 3" in the text)
    plan = best_plan(candidate_actions(TOY_FW, TOY_DATA, "U1"), read_effort(None), 50)
    assert plan.before["rank_of"] == 2
    assert simulate_rank(plan, None, n_draws=50, seed=1).n_units == 2
    # U3 itself: no rank on the card; the draws say how they rank it
    plan3 = best_plan(candidate_actions(TOY_FW, TOY_DATA, "U3"), read_effort(None), 50)
    assert plan3.before["rank"] is None
    r3 = simulate_rank(plan3, None, n_draws=50, seed=1)
    assert r3.n_units == 3
    assert any("U3 còn điểm chưa chấm" in a.text("vi") for a in r3.assumptions)


def test_monte_carlo_on_a_framework_without_total_points():
    from dtilib.effort import best_plan, candidate_actions, read_effort, simulate_rank

    plan = best_plan(candidate_actions("ha-noi-commune-5279", _sheet(), "A"), read_effort(None), 100)
    r = simulate_rank(plan, None, n_draws=20, seed=1)      # was: float(None) on the framework's total
    assert r.n_units == 1                                  # nobody has a rank: 04 says so, draws nothing


# --------------------------------------------------------------------------------------- gap tables
def test_points_not_scored_per_group_and_total(toy):
    g = gaps(toy, "U3")
    m1 = g.groups.set_index("indicator").loc["m1"]
    # m1: max 60 (3 × 20); s1 has no data → scored on 40, achieved 20 (s2 2/4 × 20 = 10, s3 count 2 → 10)
    assert (m1["max_points"], m1["scored_on"], m1["achieved"], m1["lost"], m1["not_scored"]) == (60, 40, 20, 20, 20)
    # the steps add up: max − lost − not scored = achieved, per group and in total
    sc = g.groups[g.groups["scored"]]
    assert np.allclose(sc["max_points"] - sc["lost"] - sc["not_scored"], sc["achieved"])
    assert g.total["not_scored"] == 20
    assert g.total["max_points"] - g.total["lost"] - g.total["not_scored"] == pytest.approx(g.total["achieved"])


def test_framework_without_points_total_unknown_and_losses_of_unknown_kind():
    g = gaps(dtilib.score("ha-noi-commune-5279", _sheet()), "A")
    assert np.isnan(g.total["max_points"])                  # was 0 ("376,00 / 0" on the card)
    assert g.total["scored_on"] == 20 and g.total["achieved"] == 14 and g.total["lost"] == 6
    k = g.by_kind.set_index("kind")
    assert k.loc["unknown", "lost"] == 6 and k.loc["unknown", "n_losing"] == 1    # nts_01: 10 − 4
    assert k["lost"].sum() == g.total["lost"]               # the table was all 0
    assert g.groups.set_index("indicator").loc["nhan_thuc_so", "lost_unknown"] == 6


def test_gap_cards_say_what_is_unknown(toy, no_data_file):
    html = show.gap_figures(gaps(dtilib.score("ha-noi-commune-5279", _sheet()), "A"), "vi").html
    assert "14,00" in html and "20 / chưa rõ tổng" in html and "bộ chỉ số chưa có tổng điểm tối đa" in html
    assert "14,00 / 0" not in html and "—/0" not in html and "chưa tính được" in html
    u3 = show.gap_figures(gaps(toy, "U3"), "en").html
    assert "20.00 / 100" not in u3 and "80 / 100" in u3 and "Not scored" in u3
    empty = gaps(dtilib.score(TOY_FW, no_data_file), "U4")
    text = repr(show.gap_figures(empty, "vi"))
    assert "chưa chấm được" in text and "0,0000" not in text and "Điểm bị mất" not in text
    assert "Chưa có dữ liệu để chấm điểm U4" in show.no_data(empty, "vi").text
    assert show.no_data(gaps(toy, "U3"), "vi") is None


def test_group_table_has_not_scored_and_only_the_kinds_that_lost(toy):
    head = repr(show.gap_groups(gaps(toy, "U3"), "vi")).splitlines()[0]
    assert "Chưa chấm được điểm" in head and "Mất ở bước rẻ" in head and "Mất (chưa rõ quy tắc)" not in head
    head = repr(show.gap_groups(gaps(dtilib.score("ha-noi-commune-5279", _sheet()), "A"), "en")).splitlines()[0]
    assert "Lost: rule unknown" in head and "Lost: steps" not in head and "Lost: ratios" not in head
    assert show.points(83.928571, "vi") == "83,93" and show.points(200.0, "vi") == "200"


# --------------------------------------------------------------------------------------- the figure
def test_waterfall_draws_the_points_not_scored(toy):
    from matplotlib.patches import Rectangle

    from dtilib.analysis.plots import plot_gaps

    fig = plot_gaps(gaps(toy, "U3"))
    hatched = [p for p in fig.axes[0].patches if isinstance(p, Rectangle) and p.get_hatch()]
    assert len(hatched) == 1 and hatched[0].get_height() == pytest.approx(20)
    assert "20,00 chưa chấm" in [t.get_text().split("\n")[-1] for t in fig.axes[0].texts]


def test_gap_figure_keeps_its_size(tmp_path):
    from PIL import Image

    from dtilib.analysis.gaps import Gaps
    from dtilib.analysis.plots import MAX_GAP_STEPS, plot_gaps

    # the framework's total unknown: the figure starts from the points scored on (it was 910 × 2,072,256 px)
    g = gaps(dtilib.score("ha-noi-commune-5279", _sheet()), "A")
    plot_gaps(g, lang="en").savefig(tmp_path / "a.png", bbox_inches="tight")
    w, h = Image.open(tmp_path / "a.png").size
    assert w <= 1100 and h <= 700
    # 30 groups: the 11 losing most, then one step for the other 19
    rows = [{"indicator": f"g{i}", "name": f"Nhóm {i}", "scored": True, "max_points": 10.0, "scored_on": 10.0,
             "achieved": 10.0 - i % 10, "lost": float(i % 10), "not_scored": 0.0, "lost_step": float(i % 10),
             **{f"lost_{k}": 0.0 for k in ("ratio", "peer", "parts", "unknown")}} for i in range(30)]
    many = Gaps(unit="X", framework="f", groups=pd.DataFrame(rows), subs=pd.DataFrame(), by_kind=pd.DataFrame(),
                total={"max_points": 300.0, "scored_on": 300.0, "achieved": 165.0, "lost": 135.0, "not_scored": 0.0,
                       "n": 30, "n_full": 3, "n_zero": 0, "n_partial": 27})
    fig = plot_gaps(many)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert len(labels) == MAX_GAP_STEPS + 2 and labels[-2] == "Các nhóm khác (19)"
    fig.savefig(tmp_path / "b.png", bbox_inches="tight")
    assert Image.open(tmp_path / "b.png").size[1] <= 700


def test_figures_carry_their_title_as_alt_text_in_the_report(toy):
    from dtilib.analysis.plots import plot_gaps
    from dtilib.reporting.runner import export_html

    fig = plot_gaps(gaps(toy, "U3", lang="en"), lang="en")
    assert show.figure_description(fig).startswith("Points achieved and lost per indicator group: U3. Total: 25.00/100; 20.00 not scored")
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"},
                                 metadata={"image/png": {"alt": "Điểm bị mất theo nhóm: \"U3\""}})
    nb.cells = [nbformat.v4.new_code_cell("x", outputs=[out])]
    page, _ = export_html(nb, notebook="t", lang="vi")
    assert """<img alt='Điểm bị mất theo nhóm: "U3"'""" in page        # (quotes kept by the page's parser)
    assert "No description has been provided" not in page


# --------------------------------------------------------------------------------------------- peers
def test_peers_parameter_is_checked_and_listed(tmp_path):
    from dtilib.reporting.params import check

    good = tmp_path / "peers.csv"
    good.write_text("unit,indicator,ratio\nX,s4,0.2\nY,s4,0.9\n", encoding="utf-8")
    p = check("03_unit_gap_analysis", unit_file=str(TOY_DATA), framework=str(TOY_FW), unit="U1", peers=str(good))
    assert p.peers == good and any(s["path"].endswith("peers.csv") for s in p.sources)
    res = dtilib.score(p.framework_obj, p.unit_data, peers=p.peers)
    # s4 min–max of U1 0.5 among 0.5, 1.0, 0 and the peers 0.2, 0.9: still (0.5 − 0)/(1 − 0) × 20 = 10
    assert res.sub.set_index(["unit", "indicator"]).loc[("U1", "s4"), "points"] == 10
    bad = tmp_path / "bad.csv"
    bad.write_text("unit,indicator,ratio\nX,s1,0.2\n", encoding="utf-8")
    with pytest.raises(DataError, match="'s1' is not a min–max sub-indicator"):
        check("04_points_per_effort", unit_file=str(TOY_DATA), framework=str(TOY_FW), unit="U1", peers=str(bad))


# ------------------------------------------------------------------------------------------- reports
@pytest.fixture(scope="module")
def gap_reports(no_data_file, tmp_path_factory):
    """03 and 04 on U3 (points not scored) and U4 (no data at all), each in its own kernel, two at a time."""
    from dtilib.reporting.batch import make_executor
    from dtilib.reporting.runner import run_report

    out = tmp_path_factory.mktemp("gap_reports")
    base = {"unit_file": str(no_data_file), "framework": str(TOY_FW)}
    runs = {(nb, u, lang): (nb, {**base, "unit": u, **({"n_sims": 100} if nb.startswith("04") else {})}, lang)
            for nb in ("03_unit_gap_analysis", "04_points_per_effort") for u in ("U3", "U4")
            for lang in ("vi",)}
    runs[("04_points_per_effort", "U3", "en")] = ("04_points_per_effort", {**base, "unit": "U3", "n_sims": 100}, "en")
    with make_executor("local", 2) as pool:
        futures = {k: pool.submit(run_report, nb, params, lang=lang, out_dir=out, timeout=300)
                   for k, (nb, params, lang) in runs.items()}
        return {k: f.result() for k, f in futures.items()}


@pytest.mark.slow
def test_reports_run_on_a_unit_with_points_not_scored(gap_reports):
    r = gap_reports[("04_points_per_effort", "U3", "vi")]
    assert r.ok, r.error                                     # was: TypeError in display.rank_move (cell 4)
    page = Path(r.html).read_text(encoding="utf-8")
    assert "hạng ?/2 → ?/2: chưa tính được" in page and "U3 còn điểm chưa chấm" in page
    assert "No description has been provided" not in page
    en = Path(gap_reports[("04_points_per_effort", "U3", "en")].html).read_text(encoding="utf-8")
    assert "rank ?/2 → ?/2: not computable" in en
    gap = Path(gap_reports[("03_unit_gap_analysis", "U3", "vi")].html).read_text(encoding="utf-8")
    assert "Chưa chấm được điểm" in gap and "20,00 chưa chấm" in gap and "No description" not in gap


@pytest.mark.slow
def test_reports_say_a_unit_has_no_data(gap_reports):
    for nb in ("03_unit_gap_analysis", "04_points_per_effort"):
        r = gap_reports[(nb, "U4", "vi")]
        assert r.ok, r.error
        page = Path(r.html).read_text(encoding="utf-8")
        assert "Chưa có dữ liệu để chấm điểm U4" in page and "0,0000" not in page
    gap = Path(gap_reports[("03_unit_gap_analysis", "U4", "vi")].html).read_text(encoding="utf-8")
    assert "<img" not in gap                                 # no empty waterfall
    # nor an empty action figure and an empty plan ("từ — lên —", found by a review)
    r = gap_reports[("04_points_per_effort", "U4", "vi")]
    assert "<img" not in Path(r.html).read_text(encoding="utf-8")
    assert not list(Path(r.html).parent.glob("*U4*.plan.xlsx")) and not list(Path(r.html).parent.glob("u4*.plan.xlsx"))
