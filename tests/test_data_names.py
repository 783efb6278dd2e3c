"""Province names → one slug per era (63 before 1/7/2025, 34 after)."""

from __future__ import annotations

import csv
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dtilib.data import paths
from dtilib.data.names import canonical, crosswalk, display_name, index, normalize
from dtilib.errors import DataError, ParameterError

with open(paths.RAW_DIR / paths.ALIASES, encoding="utf-8") as _fh:
    ALIASES = list(csv.DictReader(_fh))
with open(paths.RAW_DIR / paths.PROVINCES_34, encoding="utf-8") as _fh:
    P34 = list(csv.DictReader(_fh))


def test_every_alias_round_trips():
    assert len(ALIASES) == 251                        # README: 251 aliases
    for a in ALIASES:
        slug = canonical(a["alias"])
        assert slug == a["canonical_slug"], a["alias"]
        assert canonical(display_name(slug)) == slug
        assert canonical(display_name(slug, lang="ascii")) == slug


def test_every_34_name_round_trips():
    assert len(P34) == 34
    for r in P34:
        for col in ("name_vi", "name_official", "name_ascii", "slug"):
            assert canonical(r[col], era=34) == r["slug"], r[col]
        assert canonical(display_name(r["slug"], era=34), era=34) == r["slug"]


def test_eras_are_keyed_separately():
    # bac-ninh in era 63 is old Bắc Ninh; in era 34 it is Bắc Ninh + Bắc Giang
    assert canonical("Bắc Ninh", era=63) == "bac-ninh"
    assert canonical("Bắc Ninh", era=34) == "bac-ninh"
    assert index().members["bac-ninh"] == ["bac-giang", "bac-ninh"]
    assert canonical("Bắc Giang", era=63) == "bac-giang"
    with pytest.raises(DataError, match=r"Bắc Giang.*part of Bắc Ninh"):
        canonical("Bắc Giang", era=34)
    # Thừa Thiên Huế (63) became Huế (34): all its aliases name the 34-era unit
    assert canonical("Thừa Thiên - Huế", era=63) == "thua-thien-hue"
    assert canonical("Thừa Thiên - Huế", era=34) == "hue"
    assert canonical("TP. Huế", era=34) == "hue"
    # the DTI tables' spellings
    assert canonical("TP. Hồ Chí Minh", era=34) == "ho-chi-minh"
    assert canonical("Bà Rịa - Vũng Tàu") == "ba-ria-vung-tau"


def test_crosswalk_covers_every_province_once():
    cw = crosswalk()
    assert len(cw) == 63 and cw["slug_63"].is_unique
    assert cw["slug_34"].nunique() == 34
    assert sorted(cw.loc[cw["slug_34"] == "da-nang", "slug_63"]) == ["da-nang", "quang-nam"]


def test_tolerant_matching():
    assert canonical("  tp.   đà   nẵng ") == "da-nang"
    assert canonical(unicodedata.normalize("NFD", "Khánh Hòa")) == "khanh-hoa"
    assert canonical("KHÁNH HOÀ") == "khanh-hoa"              # old accent placement, upper case
    assert canonical("Bà Rịa—Vũng Tàu") == "ba-ria-vung-tau"  # em dash
    assert canonical("thua thien hue") == "thua-thien-hue"      # no diacritics, no dash
    assert canonical("TP.HCM") == canonical("TP HCM") == "ho-chi-minh"


@settings(max_examples=200, deadline=None)
@given(i=st.integers(0, len(ALIASES) - 1), upper=st.booleans(), nfd=st.booleans(),
       pad=st.sampled_from(["", " ", "  ", "\t"]))
def test_alias_perturbations_map_to_the_same_slug(i, upper, nfd, pad):
    a = ALIASES[i]
    name = a["alias"].upper() if upper else a["alias"]
    name = unicodedata.normalize("NFD", name) if nfd else name
    name = pad + name.replace(" ", " " + pad) + pad
    assert canonical(name) == a["canonical_slug"]


def test_no_two_provinces_share_a_key():
    keys = index().keys(63)
    assert set(keys.values()) == set(index().slugs(63))
    assert normalize("Bà Rịa – Vũng Tàu") == normalize("Bà Rịa-Vũng Tàu")


def test_unknown_name_is_a_data_error_with_suggestions():
    with pytest.raises(DataError) as exc:
        canonical("Bắc Ninhh", file="x.csv", row=7, column="province")
    msg = str(exc.value)
    assert "x.csv" in msg and "row 7" in msg and "column 'province'" in msg
    assert "closest known: Bắc Ninh" in msg


def test_display_names():
    assert display_name("ho-chi-minh", era=34, lang="en") == "Ho Chi Minh City"
    assert display_name("thua-thien-hue", era=63) == "Thừa Thiên Huế"
    assert display_name("hue", era=34) == "Huế"
    assert display_name("bac-ninh", era=63, lang="ascii") == "Bac Ninh"
    with pytest.raises(ParameterError, match="unknown slug"):
        display_name("thua-thien-hue", era=34)
    with pytest.raises(ParameterError, match="era"):
        canonical("Hà Nội", era=64)


def test_the_name_index_is_built_again_when_its_files_change(tmp_path):
    """A long-lived process (the warm engine's parent) gets the new aliases after an edit."""
    import shutil

    from dtilib.errors import DataError

    raw = tmp_path / "raw"
    raw.mkdir()
    for name in (paths.PROVINCES_63, paths.PROVINCES_34, paths.ALIASES):
        shutil.copy(paths.RAW_DIR / name, raw / name)
    with pytest.raises(DataError):
        index(raw).canonical("Xứ Lạnh")
    aliases = raw / paths.ALIASES
    text = aliases.read_text(encoding="utf-8")
    row = "Xứ Lạnh,Lai Châu,lai-chau,Lai Châu,alias,vi,,,a test alias\n"
    aliases.write_text(text + ("" if text.endswith("\n") else "\n") + row, encoding="utf-8")
    assert index(raw).canonical("Xứ Lạnh") == "lai-chau"
