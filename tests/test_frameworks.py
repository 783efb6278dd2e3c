"""Framework files: shipped ones load; every kind of bad file gives one clear error naming file and field."""

import pytest
import yaml

from conftest import EXAMPLE_FW
from dtilib.errors import DTIError, FrameworkError, ParameterError
from dtilib.frameworks import framework_for_year, list_frameworks, load_framework, parse_framework, shipped

EXPECTED_SHIPPED = {"vn-province-2020", "vn-province-922", "vn-province-405", "bac-kan-district-1294"}


def test_all_shipped_frameworks_load_with_source_years_and_completeness():
    assert EXPECTED_SHIPPED <= set(shipped())
    for fid in shipped():
        fw = load_framework(fid)
        assert fw.legal_source and fw.completeness and fw.years[0] >= 2020


def test_922_structure_matches_published_table():
    fw = load_framework("vn-province-922")
    mx = fw.main_max()
    # framework_922_pillars.csv / DOMAIN.md: 100×5, smart city 0, 200, 150, 150; 98 sub-indicators
    assert mx[["nhan_thuc_so", "the_che_so", "ha_tang_so", "nhan_luc_so", "an_toan_thong_tin"]].tolist() == [100] * 5
    assert mx["do_thi_thong_minh"] == 0 and not fw.main.set_index("id").loc["do_thi_thong_minh", "scored"]
    assert (mx["chinh_quyen_so"], mx["kinh_te_so"], mx["xa_hoi_so"]) == (200, 150, 150)
    assert len(fw.sub) == 98
    assert fw.sub.groupby("main").size().to_dict() == {
        "nhan_thuc_so": 10, "the_che_so": 11, "ha_tang_so": 7, "nhan_luc_so": 13, "an_toan_thong_tin": 12,
        "do_thi_thong_minh": 3, "chinh_quyen_so": 22, "kinh_te_so": 12, "xa_hoi_so": 8}
    known = fw.sub[fw.sub["rule"] != "unknown"]
    assert len(known) >= 10 and known["source"].notna().all()
    # unknown stays unknown: no max is invented for a slot whose rule is not known
    scored_mains = set(fw.scored_main["id"])
    unknown = fw.sub[(fw.sub["rule"] == "unknown") & fw.sub["main"].isin(scored_mains)]
    assert len(unknown) > 0 and unknown["max_points"].isna().all()


def test_bac_kan_1294_groups():
    fw = load_framework("bac-kan-district-1294")
    m = fw.main.set_index("id")
    scored = m[m["scored"]]
    assert scored["max_points"].tolist() == [70, 90, 70, 60, 80, 230, 190, 210]
    assert scored["n_sub_indicators"].tolist() == [7, 9, 7, 8, 14, 18, 15, 11]
    assert m.loc["do_thi_thong_minh", "n_sub_indicators"] == 3 and not m.loc["do_thi_thong_minh", "scored"]


def test_405_says_what_is_unknown():
    fw = load_framework("vn-province-405")
    # DOMAIN.md: 8 main indicators (smart city dropped), all scored, their points not yet found
    assert list(fw.main["id"]) == ["nhan_thuc_so", "the_che_so", "ha_tang_so", "nhan_luc_so", "an_toan_thong_tin",
                                   "chinh_quyen_so", "kinh_te_so", "xa_hoi_so"]
    assert len(fw.scored_main) == 8 and fw.main["max_points"].isna().all() and fw.total_points is None
    assert not fw.weights_known
    assert "do_thi_thong_minh" not in set(fw.main["id"])


@pytest.mark.parametrize("year,fid", [(2020, "vn-province-2020"), (2021, "vn-province-922"),
                                      (2023, "vn-province-922"), (2024, "vn-province-405")])
def test_framework_for_year(year, fid):
    assert framework_for_year(year) == fid


def test_year_without_framework():
    with pytest.raises(ParameterError, match="no shipped province framework covers year 2019"):
        framework_for_year(2019)


def test_list_frameworks_table():
    t = list_frameworks()
    assert EXPECTED_SHIPPED <= set(t["id"])


def test_unknown_framework_suggests():
    with pytest.raises(ParameterError, match="unknown framework 'vn-province-92'.*closest known: vn-province-922"):
        load_framework("vn-province-92")


def _example():
    return yaml.safe_load(EXAMPLE_FW.read_text(encoding="utf-8"))


def _load(doc_or_text):
    text = doc_or_text if isinstance(doc_or_text, str) else yaml.safe_dump(doc_or_text, allow_unicode=True)
    return parse_framework(text, "bad.yaml")


def test_user_framework_example_loads():
    fw = _load(_example())
    assert fw.id == "example-commune" and len(fw.sub) == 4


def _mutate(fn):
    doc = _example()
    fn(doc)
    return doc


BAD = [
    ("missing max", lambda d: d["sub_indicators"][0].pop("max_points"),
     "bad.yaml, sub-indicator 'nts_01' (#1), field 'max_points': missing 'max_points'"),
    ("duplicate sub id", lambda d: d["sub_indicators"][1].update(id="nts_01"),
     "duplicate sub-indicator id 'nts_01'"),
    ("duplicate main id", lambda d: d["main_indicators"][1].update(id="nhan_thuc_so"),
     "duplicate main indicator id 'nhan_thuc_so'"),
    ("max sum vs total", lambda d: d.update(total_points=120),
     "main indicator maxima add up to 100, but total_points is 120"),
    ("unknown rule", lambda d: d["sub_indicators"][0].update(rule="binaryy"),
     "field 'rule': unknown rule 'binaryy'; closest known: binary"),
    ("forbidden formula", lambda d: d["sub_indicators"][2].update(formula="b.__class__"),
     "sub-indicator 'cqs_01' (#3): formula 'b.__class__': 'Attribute' is not allowed"),
    ("import in formula", lambda d: d["sub_indicators"][2].update(formula="__import__('os')"),
     "function calls other than min(...) and max(...) are not allowed"),
    ("unknown main", lambda d: d["sub_indicators"][0].update(main="nhan_thuc"),
     "field 'main': unknown main indicator 'nhan_thuc'"),
    ("sub maxima above main", lambda d: d["sub_indicators"][0].update(max_points=30),
     "sub-indicator maxima add up to 50, more than the max 40"),
    ("negative max", lambda d: d["sub_indicators"][0].update(max_points=-5),
     "max_points = -5 is not valid"),
    ("bad years", lambda d: d.update(years=[2024]), "field 'years'"),
    ("unknown key", lambda d: d["sub_indicators"][0].update(maxpoints=5),
     "unknown key 'maxpoints'; closest known: max_points"),
    ("bad tier share", lambda d: d["sub_indicators"][3]["params"]["tiers"].update(deployed=2),
     "must be a share between 0 and 1"),
    ("too many subs", lambda d: d["main_indicators"][0].update(n_sub_indicators=1),
     "2 sub-indicators listed, but n_sub_indicators is 1"),
]


@pytest.mark.parametrize("name,mutation,message", BAD, ids=[b[0] for b in BAD])
def test_bad_framework_files(name, mutation, message):
    with pytest.raises(FrameworkError) as exc:
        _load(_mutate(mutation))
    assert message in str(exc.value)
    assert str(exc.value).startswith("bad.yaml")


def test_yaml_tag_that_constructs_objects_is_rejected():
    text = EXAMPLE_FW.read_text(encoding="utf-8") + "\nnotes: !!python/object/apply:os.system ['echo hi']\n"
    with pytest.raises(FrameworkError, match="YAML not allowed here"):
        _load(text)


def test_duplicate_yaml_key_is_rejected():
    text = EXAMPLE_FW.read_text(encoding="utf-8").replace("version: \"1\"", "version: \"1\"\nversion: \"2\"")
    with pytest.raises(FrameworkError, match="duplicate key 'version'"):
        _load(text)


def test_empty_and_non_mapping_files():
    for text in ["", "- a\n- b\n"]:
        with pytest.raises(FrameworkError, match="empty or not a mapping"):
            _load(text)


def test_framework_file_not_found(tmp_path):
    with pytest.raises(DTIError, match="framework file not found"):
        load_framework(tmp_path / "nope.yaml")
