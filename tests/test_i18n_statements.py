"""Statements right, short and in one language (issue 14): number formats, the label catalogue in both
languages, the trend's merged-province note, report 02's latest figures, points-worth, Cao Bằng 2024."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from lang_scan import codes, foreign_words

from dtilib import i18n
from dtilib.data import paths


# ------------------------------------------------------------------------------- numbers (one home)
def test_signed_percent_range_and_rank_change_as_readers_write_them():
    assert i18n.fmt_signed(0.01) == "+0,0100"
    assert i18n.fmt_signed(-0.0418, "en") == "−0.0418"          # a real minus sign
    assert i18n.fmt_signed(0.00001) == "0,0000"                   # no sign on a printed zero
    assert i18n.fmt_percent(0.06) == "6 %" and i18n.fmt_percent(0.10, "en") == "10%"
    assert i18n.fmt_percent(0.0725) == "7,3 %"                    # below 10 %: one decimal
    # thousands as Vietnamese official documents write them, "2 100" (a narrow no-break space, U+202F)
    assert i18n.fmt_int(2100) == "2\u202f100" and i18n.fmt_int(2100, "en") == "2,100"
    assert i18n.fmt_number(1234.5, decimals=1) == "1\u202f234,5" and i18n.fmt_plain(2.5) == "2,5"
    assert i18n.fmt_range(0.6735, 0.6140) == "0,6140–0,6735"      # never a backwards range
    assert i18n.fmt_range(0.5, 0.50001) == "0,5000"
    assert i18n.rank_delta_text(-2) == "−2 (tăng 2 bậc)"
    assert i18n.rank_delta_text(5, "en") == "+5 (down 5 places)"
    assert i18n.rank_delta_text(0) == "0 (giữ nguyên)"


def test_one_of_a_counted_noun_is_singular_in_english():
    # Kon Tum 2021 → 2022: 46 → 45, the report said "−1 (up 1 places)"
    assert i18n.rank_delta_text(-1, "en") == "−1 (up 1 place)"
    assert i18n.rank_delta_text(11, "en") == "+11 (down 11 places)"       # 11, 21 … stay plural
    assert i18n.t("rank_delta.up", "en", n=0.1) == "up 0.1 places"
    assert i18n.rank_delta_text(-1) == "−1 (tăng 1 bậc)"                 # Vietnamese has no plural
    assert str(i18n.Note.of("decompose.places.down", n=1)) == "down 1 place"


def test_text_table_translates_headers():
    out = i18n.text_table(pd.DataFrame({"year": [2024], "rank": ["6/34"]}), "en")
    assert out.splitlines() == ["Year  Rank", "2024  6/34"]


# ------------------------------------------------------------------------ the catalogue, both languages
def _all_labels() -> dict:
    return dict(i18n.catalogue())                 # the one catalogue, read without importing any module


def test_the_catalogue_is_complete_before_any_module_is_imported():
    # a fresh interpreter: only dtilib.i18n imported, yet report, effort and workbook texts are there
    code = ("from dtilib import i18n; import sys; "
            "print(i18n.t('nb04.assumptions', 'en'), i18n.t('effort.col.lead', 'vi'), i18n.t('doc.title', 'en'), "
            "'dtilib.reporting' in sys.modules, 'dtilib.effort' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["Assumptions", "Đơn", "vị", "chủ", "trì", "PLAN", "False", "False"]


def test_no_shipped_module_registers_text_of_its_own():
    # every shipped text is in dtilib/text/catalogue.yaml; register() is for a user's own additions
    import dtilib

    offenders = []
    for path in Path(dtilib.__file__).parent.rglob("*.py"):
        src = path.read_text(encoding="utf-8")
        if (re.search(r"^\s*(i18n\.|labels\.i18n\.)?_?register(_labels)?\(\{", src, re.M)
                or re.search(r'"vi":\s*"[^"]*[^\W\d_][^"]*",\s*"en":', src)):     # a {"vi": …, "en": …} text
            offenders.append(path.name)
    assert offenders == []


def test_a_catalogue_entry_with_other_placeholders_is_refused():
    from dtilib.errors import DataError

    assert i18n.placeholders("hạng {rank}/{n} năm {year:d}") == {"rank", "n", "year"}
    with pytest.raises(DataError, match=r"key 'x': vi takes \['n'\] but en takes \['k'\]"):
        i18n.check_entry("x", {"vi": "tăng {n} bậc", "en": "up {k} places"})
    with pytest.raises(DataError, match="needs exactly 'vi' and 'en'"):
        i18n.check_entry("x", {"vi": "có"})
    with pytest.raises(ValueError, match="registered twice"):
        i18n.register({"rank": {"vi": "Hạng", "en": "Rank"}})


def test_the_catalogue_is_parsed_with_libyaml_and_reads_the_same_without_it(monkeypatch):
    # libyaml's safe loader parses the 140 kB catalogue in ~0.03 s of CPU, the pure-Python one in ~0.26 s
    # (measured 30/11/2026, fresh interpreters, 3 alternated runs each); both are safe loaders
    import yaml

    if not yaml.__with_libyaml__:
        pytest.skip("PyYAML built without libyaml")
    used, load = [], yaml.load
    monkeypatch.setattr(yaml, "load", lambda text, Loader: used.append(Loader) or load(text, Loader=Loader))
    i18n.catalogue.cache_clear()
    try:
        fast = i18n.catalogue()
        monkeypatch.delattr(yaml, "CSafeLoader")            # a PyYAML built without libyaml
        i18n.catalogue.cache_clear()
        assert i18n.catalogue() == fast and len(fast) > 1000
    finally:
        i18n.catalogue.cache_clear()
    assert used == [yaml.cyaml.CSafeLoader, yaml.SafeLoader]


#: texts that name something in the other language on purpose: the Vietnamese column headers of a decision's
#: table (as the user's document spells them), Excel's English menu name next to its Vietnamese one
QUOTES_THE_OTHER_LANGUAGE = {("error.expected.header_table", "en"), ("error.expected.lead", "en"),
                             ("error.expected.utf8", "vi"), ("error.expected.kind_points", "vi"),  # quotes an option
                             ("error.expected.unit_with_prefix", "en")}  # the prefixes a user types: Xã, Phường …


def test_every_catalogue_key_renders_in_both_languages_without_the_other_language():
    labels = _all_labels()
    assert len(labels) > 200
    problems = []
    for key, text in labels.items():
        if set(text) != {"vi", "en"} or not text["vi"] or not text["en"]:
            problems.append((key, "missing language"))
            continue
        fields = [i18n.placeholders(text[lang]) for lang in ("vi", "en")]
        assert fields[0] == fields[1], key
        for lang in ("vi", "en"):
            sample = dict.fromkeys(fields[0], 1.5)        # a number fits every placeholder and spec
            rendered = i18n.t(key, lang, **sample) if sample else i18n.t(key, lang)
            bad = foreign_words(rendered, lang)
            if bad and (key, lang) not in QUOTES_THE_OTHER_LANGUAGE:
                problems.append((key, lang, bad))
    assert problems == []


def test_the_scanner_catches_leaks():
    assert foreign_words("không dự báo được: only 1 year(s)", "vi") == ["only", "year"]
    assert foreign_words("Footer: None", "vi") == ["None"]
    assert foreign_words("Points needed: cần 0.5", "en") == ["cần"]
    assert foreign_words("Lào Cai merged into 922/QĐ-BTTTT", "en") == []
    assert codes("Kiểm tra group_lost, method:vn-province-2020→vn-province-922; mã cqs_01") == \
        ["group_lost", "method:vn-province-2020→vn-province-922"]


# ------------------------------------------------------------------------------------ statements
@pytest.fixture(scope="module")
def results():
    from dtilib import analysis

    return analysis.load_results(paths.PROCESSED_DIR / "results.csv")


def test_yen_bai_trend_says_the_34_list_rows_are_the_new_lao_cai(results):
    from dtilib.analysis.trends import format_trend, successor_note, trend

    t = trend(results, "Yên Bái", national=False)
    # provinces_34.csv: Lào Cai = Lào Cai + Yên Bái (Resolution 202/2025/QH15); the 2024 34-list row is
    # the new Lào Cai's (dti_results.csv: rank 14/34)
    row = t[t["era"] == 34].iloc[0]
    assert (row["unit"], int(row["rank"]), int(row["rank_of"])) == ("Lào Cai", 14, 34)
    vi = successor_note(t, "vi")
    assert vi.startswith("Yên Bái đã sáp nhập vào tỉnh Lào Cai từ 1/7/2025")
    assert "(Lào Cai + Yên Bái)" in vi
    assert "the new Lào Cai (Lào Cai + Yên Bái)" in successor_note(t, "en")      # names as in the table
    t_en = trend(results, "Yên Bái", national=False, lang="en")
    assert "the new Lao Cai (Lao Cai + Yen Bai), not of Yen Bai alone" in successor_note(t_en, "en")
    assert vi in format_trend(t, "vi").splitlines()[1]
    # an unmerged province gets no such note (Lai Châu is one of the 11 unchanged)
    assert successor_note(trend(results, "Lai Châu", national=False), "vi") == ""


def test_trend_table_shows_breaks_and_frameworks_as_words_not_codes(results):
    from dtilib.analysis.trends import break_label, format_trend, trend

    assert break_label("method:vn-province-2020→vn-province-922") == "Đổi bộ chỉ số (1726/QĐ-BTTTT → 922/QĐ-BTTTT)"
    assert break_label("method:vn-province-922→vn-province-405; reorg:63→34", "en") == \
        "Framework change (922/QĐ-BTTTT → 405/QĐ-BKHCN); 63 → 34 reorganisation"
    text = format_trend(trend(results, "Yên Bái", national=False), "vi")
    assert "vn-province" not in text and "method:" not in text and "reorg:" not in text
    # Yên Bái: 40/63 (2020) → 27/63 (2021) → 15/63 (2022), record rows of dti_results.csv
    assert "−13 (tăng 13 bậc)" in text and "−12 (tăng 12 bậc)" in text
    assert foreign_words(text, "vi") == [] and codes(text) == []
    assert foreign_words(format_trend(trend(results, "Yên Bái", national=False, lang="en"), "en"), "en") == []


def test_report_02_cards_use_the_latest_record_year(results):
    from dtilib.analysis.trends import trend
    from dtilib.reporting.display import latest_figures

    # Điện Biên: 35/63 in 2022 (dti.gov.vn), 6/34 in 2024 (VTC News 21/10/2025) → the card says 6/34 (2024)
    cards = repr(latest_figures(trend(results, "Điện Biên", national=False), "vi", target=(5, 34, 2025)))
    assert "Thứ hạng gần nhất: 6/34 (2024)" in cards
    assert "35/63" not in cards
    assert "Mục tiêu: 5/34 (2025)" in cards


def test_cao_bang_2024_is_last_of_34_from_its_source(results):
    r = results[(results["year"] == 2024) & (results["era"] == 34) & (results["unit_slug"] == "cao-bang")]
    assert len(r) == 1 and int(r["rank"].iloc[0]) == 34 and int(r["rank_of"].iloc[0]) == 34
    assert "vtcnews.vn/ha-noi-dan-dau-ca-nuoc-ve-chuyen-doi-so-cao-bang-dung-cuoi-bang" in r["source"].iloc[0]
    raw = pd.read_csv(paths.RAW_DIR / "record_results.csv")
    assert ((raw["province"] == "Cao Bằng") & (raw["year"] == 2024) & (raw["rank"] == 34)).sum() == 1


def _dti(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dtilib.cli", *args], capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_points_worth_is_one_sentence_and_a_table_in_one_language(lang):
    out = _dti("points-worth", "--unit", "Lai Châu", "--year", "2022", "--draws", "300", "--lang", lang)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # Lai Châu 2022: DTI 0.5032, rank 53/63 (dti.gov.vn); +10 points of 1000 = +0.0100 → 0.5132 on any indicator
    if lang == "vi":
        assert lines[0] == "Lai Châu năm 2022: DTI 0,5032, hạng 53/63."
        assert lines[1].startswith("Thêm 10 điểm vào bất kỳ chỉ số chính nào cũng tăng DTI +0,0100 (lên 0,5132)")
    else:
        assert lines[0] == "Lai Châu in 2022: DTI 0.5032, rank 53/63."
        assert lines[1].startswith("10 more points on any main indicator add +0.0100 to the DTI (to 0.5132)")
    # the table: one row per scored main indicator (8 in 922), the indicator value change = 10 / its max
    body = lines[4:12]
    assert len(body) == 8 and body[0].rstrip().endswith("+0,1000" if lang == "vi" else "+0.1000")
    assert body[5].rstrip().endswith("+0,0500" if lang == "vi" else "+0.0500")     # 10/200
    assert foreign_words(out.stdout, lang) == []


# ------------------------------------------------------------------------- accept what analysts type
def test_aggregate_takes_province_and_indicator_names_as_typed():
    from dtilib.errors import DataError
    from dtilib.scoring import aggregate

    # Đà Nẵng 2022 (DOMAIN.md, dti.gov.vn): 100×(1.0000+0.9000+0.8253+0.8487+0.7578) + 200×0.8575 +
    # 150×0.7836 + 150×0.5197 = 433.18 + 171.5 + 117.54 + 77.955 = 800.175 → 0.800175 (published 0.8002)
    names = ["Nhận thức số", "the che so", "HẠ TẦNG SỐ", "Digital workforce", "An toan thong tin mang",
             "Hoạt động chính quyền số", "Hoat dong kinh te so", "xa_hoi_so"]
    vals = [1.0, 0.9, 0.8253, 0.8487, 0.7578, 0.8575, 0.7836, 0.5197]
    df = pd.DataFrame({"province": "Đà Nẵng", "indicator": names, "value": [str(v) for v in vals]})
    out = aggregate("vn-province-922", df)
    assert out["unit"].tolist() == ["Đà Nẵng"]
    assert out["dti_value"].iloc[0] == pytest.approx(0.800175, abs=1e-9)
    bad = df.assign(indicator=names[:6] + ["Kinh tế", names[7]])
    with pytest.raises(DataError, match=r"row 8, column 'indicator': unknown indicator 'Kinh tế'"):
        aggregate("vn-province-922", bad)


def test_own_figure_for_a_year_not_in_the_record_is_checked_against_its_order(results):
    from dtilib.analysis import add_own_figure
    from dtilib.analysis.trends import trend
    from dtilib.errors import ParameterError

    # 2025 is not in the record: the figure goes to the 34-province list, marked as own (not published)
    res = add_own_figure(results, "Lai Chau", 2025, 0.72, 20)
    row = trend(res, "Lai Châu", national=False).iloc[-1]
    assert (row["year"], row["era"], row["value"], int(row["rank"]), row["rank_of"], row["origin"]) == \
        (2025, 34, 0.72, 20, 34, "own")
    assert res.iloc[-1]["origin"] == "own"
    # 2023: Tuyên Quang is ranked 38 with 0.6735 (record) → rank 20 needs at least 0.6735; 0.6140 contradicts it
    with pytest.raises(ParameterError, match=r"0\.6140 at rank 20 contradicts .* Tuyên Quang is ranked 38 with 0\.6735"):
        add_own_figure(results, "Hà Giang", 2023, 0.6140, 20)
    # Lai Châu 2022 is published (0.5032, rank 53): an own figure does not replace it
    with pytest.raises(ParameterError, match="already has Lai Châu 2022"):
        add_own_figure(results, "Lai Châu", 2022, 0.6, 20)
    with pytest.raises(ParameterError, match=r"own rank 35 is outside 1\.\.34"):
        add_own_figure(results, "Lai Châu", 2025, 0.6, 35)


def test_trend_cli_prints_the_own_figure_as_not_published():
    out = _dti("trend", "--province", "Lai Châu", "--own-year", "2025", "--own-value", "0.72", "--own-rank", "20")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == ("Số liệu tự nhập (không phải số liệu công bố): Lai Châu năm 2025, "
                                          "giá trị 0,7200, hạng 20/34.")
    bad = _dti("trend", "--province", "Hà Giang", "--own-year", "2023", "--own-value", "0.614", "--own-rank", "20")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "Tuyên Quang" in bad.stderr


def test_library_statements_name_frameworks_by_their_decisions():
    from dtilib.analysis.trends import readable

    assert readable("- 2021 (vn-province-922): cần 0,3350") == "- 2021 (922/QĐ-BTTTT): cần 0,3350"
    assert readable("(method:vn-province-922→vn-province-405)", "en") == \
        "(Framework change (922/QĐ-BTTTT → 405/QĐ-BKHCN))"
    # only framework ids are replaced (by their legal source up to the date), other slugs stay
    assert readable("bac-kan-district-1294 and thanh-pho-bac-kan") == \
        "1294/QĐ-UBND của UBND tỉnh Bắc Kạn and thanh-pho-bac-kan"


def test_report_02_target_from_2025_is_out_of_34_and_says_how_a_63_rank_translates():
    from dtilib.reporting.params import check

    # 45/63 at the same relative place of 34: 1 + 44 × 33/62 = 24.42 → 24; percentile 1 − 44/62 = 0.29
    p = check("02_province_trend", province="Lai Châu", target_rank=45, target_year=2025)
    assert (p.target_rank_in_list, p.target_rank_of) == (24, 34)
    assert p.target_note["vi"] == ("Từ 1/7/2025 cả nước còn 34 tỉnh, nên mục tiêu cho năm 2025 tính trên 34: "
                                   "hạng 45/63 tương ứng hạng 24/34 (cùng vị trí tương đối, phân vị 0,29).")
    # a target for 2024 stays in the 63-list; a target given in the 34-list stays as given
    p = check("02_province_trend", province="Lai Châu", target_rank=45, target_year=2024)
    assert (p.target_rank_in_list, p.target_rank_of, p.target_note) == (45, 63, None)
    p = check("02_province_trend", province="Lào Cai", era=34, target_rank=10, target_year=2026)
    assert (p.target_rank_in_list, p.target_rank_of, p.target_note) == (10, 34, None)


def test_target_basis_agrees_with_the_printed_interval():
    # (for 2024: Hà Giang no longer exists in 2025, merged into Tuyên Quang — refused, see test_statements_review)
    out = _dti("target", "--province", "Hà Giang", "--rank", "20", "--rank-of", "63", "--year", "2024")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    # 2021: Lâm Đồng (rank 20) is pinned at 0.4626 by the record; Hà Giang's own 2021 rank is not published,
    # so the next position (down to 0.3350) is allowed too → "0,3350–0,4626", never "between 0 and 1"
    row = next(x for x in lines if x.startswith("2021 "))
    assert row.split()[:3] == ["2021", "922/QĐ-BTTTT", "0,3350–0,4626"]
    assert next(x for x in lines if x.startswith("- 2021:")).startswith("- 2021: Lâm Đồng xếp hạng 20 với 0,4626;")
    assert "nằm giữa 0 ở dưới và 1 ở trên" not in out.stdout


# ------------------------------------------------------------------ round 3: rises, tasks, separators, ties
def test_a_rank_rise_says_the_places_gained_and_no_shortfall(results):
    from dtilib.analysis import rank_change

    # Lai Châu: 50/63 (2020) → 48/63 (2021), dti_results.csv: it rose 2 places, so nothing was short of
    # holding rank 50 — no "cần giá trị 0,0000–0,3350 … thiếu 0,0000 = 0,0 điểm"
    d = rank_change(results, "Lai Châu", 2020, 2021)
    vi, en = d.summary("vi"), d.summary("en")
    assert "- Năm 2021 Lai Châu lên 2 bậc (hạng 50 → 48): không thiếu gì để giữ hạng 50." in vi.splitlines()
    assert "- In 2021 Lai Châu gained 2 places (rank 50 → 48): nothing was short of holding rank 50." in \
        en.splitlines()
    for text in (vi, en):
        assert "0,0000 = 0,0" not in text and "thiếu 0,0000" not in text and "short by 0.0000 " not in text
        assert "Để giữ hạng" not in text and "To hold rank" not in text
    # the framework change (1726 → 922) is said once, not twice
    assert vi.count("mức tăng chung gồm cả phần do đổi phương pháp") == 1
    # a fall keeps the shortfall sentence: 48/63 (2021) → 53/63 (2022); rank 48 of 2022 lies between
    # Lai Châu's own 0.5032 (rank 53) and Kon Tum's 0.54 (rank 45, printed 0.535–0.545): short by
    # 0.5032 − 0.5032 = 0 up to 0.545 − 0.5032 = 0.0418, i.e. 0–41.8 points of 1000
    fall = rank_change(results, "Lai Châu", 2021, 2022).summary("vi")
    assert "- Để giữ hạng 48 năm 2022 cần giá trị 0,5032–0,5450" in fall
    assert "; thiếu ≤ 0,0418 = ≤ 41,8 điểm/1\u202f000." in fall            # a range from 0 said as "≤" (issue 14)


def test_a_held_rank_says_so():
    from types import SimpleNamespace

    from dtilib.analysis.decompose import _hold_line

    # a rank that held (45 → 45, an example, not a record row): nothing short, no "thiếu 0,0000"
    d = SimpleNamespace(unit="Kon Tum", rank_from=45, rank_to=45, year_to=2022, hold={})
    assert _hold_line(d, "", "vi") == "- Năm 2022 Kon Tum giữ hạng 45: không thiếu gì để giữ hạng."
    assert _hold_line(d, "", "en") == "- In 2022 Kon Tum held rank 45: nothing was short of holding it."


def test_target_table_says_reached_and_leaves_unknown_ends_open(results):
    from dtilib.analysis import distance_to_target

    # Lai Châu, target 55/63: it ranked 50 (2020), 48 (2021) and 53 (2022) — above 55 each year, so
    # nothing was short; 2023: rank 55 lies between 0 (nothing published below) and Tuyên Quang's 0.6735
    text = distance_to_target(results, "Lai Châu", 55, 2025).summary("vi")
    rows = {line[:4]: line for line in text.splitlines() if line[:4] in {"2020", "2021", "2022", "2023"}}
    assert rows["2020"].rstrip().endswith("0,2627 (50/63)           đã đạt")
    assert rows["2022"].rstrip().endswith("đã đạt")
    assert "≤ 0,6735" in rows["2023"] and "0,0000–0,6735" not in text
    assert "thiếu 0,0000" not in text


def test_one_wording_of_tasks_shares_as_percentages_and_the_criterion_named():
    from dtilib.effort import candidate_actions
    from dtilib.effort.tasks import task_text

    fw = paths.REPO / "data/examples/bac-kan-district-1294-illustrative.yaml"
    data = paths.REPO / "data/examples/bac-kan-city-2023.illustrative.csv"
    acts = candidate_actions(fw, data, "Thành phố Bắc Kạn").actions.set_index("action_id")
    # kts_01: the digital economy is 6 % of the district's GRDP, the rule's threshold 10 % (docs/effort.md)
    assert acts.at["kts_01:ratio=0.1", "description_vi"] == "Nâng tỷ trọng kinh tế số trong GRDP của huyện từ 6 % lên 10 %"
    assert acts.at["kts_01:ratio=0.1", "description_en"].endswith("from 6% to 10%")
    # a binary item names its criterion, never "Đạt tiêu chí (chưa đạt → đạt)"
    assert not acts["description_vi"].str.contains("Đạt tiêu chí|chưa đạt → đạt|0,0600").any()
    met = acts[acts["step_kind"] == "step"]
    assert len(met) and all(name.lower() in d.lower() for name, d in zip(met["name_vi"], met["description_vi"],
                                                                         strict=True))
    # the same function words the appendix and the Word draft: one text per action
    row = acts.loc["kts_01:ratio=0.1"]
    sub = {"id": "kts_01", "name_vi": row["name_vi"], "name_en": row["name_en"]}
    assert task_text(row.to_dict(), sub, "vi") == row["description_vi"]


def test_thousands_are_a_narrow_space_in_vi_and_a_comma_in_en():
    # "2 100" as Vietnamese official documents write it; a narrow no-break space keeps the number whole
    assert i18n.fmt_number(2100.5, "vi", 1) == "2\u202f100,5" and i18n.fmt_number(2100.5, "en", 1) == "2,100.5"
    assert i18n.fmt_signed(-1234.5, "vi", 1) == "\u22121\u202f234,5"
    assert i18n.fmt_plain(1000) == "1\u202f000" and i18n.fmt_plain(0.1 + 0.2, "en") == "0.3"
    assert i18n.fmt_plain(-0.00001) == "0"


def test_points_worth_ties_are_not_ordered_by_float_noise():
    from dtilib.effort.simulate import worth_order

    # B and C are worth the same as shown (rank 50, +0,0100): 0.010000000000000002 is float noise, so the
    # framework's order (B before C) decides, not the noise; A buys rank 51 and comes last
    t = pd.DataFrame({"indicator": ["A", "B", "C"], "rank_after": [51.0, 50.0, 50.0],
                      "dti_change": [0.02, 0.01, 0.010000000000000002]})
    assert worth_order(t)["indicator"].tolist() == ["B", "C", "A"]
    assert worth_order(t.iloc[[0, 2, 1]])["indicator"].tolist() == ["C", "B", "A"]
    # a median rank of 49.6 shows as 50: a tie with 50.0 too; a real difference of 0.0001 is not a tie
    t2 = pd.DataFrame({"indicator": ["A", "B", "C"], "rank_after": [50.0, 49.6, 50.0],
                       "dti_change": [0.01, 0.01, 0.0101]})
    assert worth_order(t2)["indicator"].tolist() == ["C", "A", "B"]


def test_points_worth_names_every_indicator_tied_for_best():
    # +150 points: the 922 framework's 200-point (chính quyền số) and two 150-point (kinh tế số, xã hội số)
    # main indicators take all 150 → +150/1000 = +0.1500 (0.5032 → 0.6532); the 100-point ones only 100.
    # The three are worth the same, so all three are named, in the framework's order — none picked by noise
    out = _dti("points-worth", "--unit", "Lai Châu", "--year", "2022", "--draws", "300", "--points", "150")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1].startswith(
        "Có lợi nhất: Hoạt động chính quyền số, Hoạt động kinh tế số và Hoạt động xã hội số (ngang nhau), thêm "
        "150,00 điểm tăng DTI +0,1500 (lên 0,6532): từ hạng 53/63 lên ")


def test_a_target_already_exceeded_asks_for_no_negative_rise(results):
    from dtilib.analysis import distance_to_target

    # Đà Nẵng 0.8335 in 2024 (34-list record); rank 45/63 of 2024 interpolated at 0.6299 (see
    # test_analysis_cli): its value is above the target's by 0.8335 − 0.6299 = 0.2036, never "tăng ≈ -0,2036"
    from dtilib.analysis.trends import readable

    text = readable(distance_to_target(results, "Đà Nẵng", 45, 2025).summary("vi"), "vi")   # as report 02 shows it
    assert text.splitlines()[0] == (
        "Để đạt hạng 45/63 năm 2025, Đà Nẵng cần giá trị DTI khoảng 0,6299 (0,6299–0,6477 giữa các kịch bản); "
        "giá trị năm 2024 của tỉnh (0,8335) đã cao hơn mức này ≈ 0,2036.")     # 2025 is on 405: no 922 points
    assert "-0,2036" not in text and "tăng ≈ −" not in text
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("cmd", [["trend", "--province", "Lai Châu"],
                                 ["rank-change", "--province", "Lai Châu", "--from", "2021", "--to", "2022"],
                                 ["target", "--province", "Lai Châu", "--rank", "45", "--year", "2022"],
                                 ["outlook", "--province", "Lai Châu"]], ids=lambda c: c[0] if isinstance(c, list) else c)
def test_cli_outputs_are_in_one_language_without_codes(cmd, lang, capsys):
    from dtilib.cli import main

    assert main([*cmd, "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert out.strip() and foreign_words(out, lang) == [] and codes(out) == []


def test_reconcile_names_its_checks_in_words(capsys):
    from dtilib.cli import main

    main(["reconcile"])
    out = capsys.readouterr().out
    table = out.split("\n\n")[1]                 # the count per check: words, no check codes
    assert "Điểm bị mất của nhóm" in table and codes(table) == []
    # the mismatch of Yên Bái 2021 (dti_results.csv: 40 → 27) in Vietnamese
    assert "hạng 40 năm 2020 → hạng 27 năm 2021 = tăng 13 bậc" in out
