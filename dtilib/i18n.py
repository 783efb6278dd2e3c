"""Vietnamese (default) and English labels and number formats.

Convention (used everywhere a number is shown to a person): Vietnamese uses a comma as the decimal
separator and a dot between thousands (``0,5032``, ``1.234,5``); English uses a point and a comma
(``0.5032``, ``1,234.5``).  Files (CSV, Excel cells) always hold plain numbers.

Each sub-package registers its own labels with :func:`register` (key → {"vi": …, "en": …}).
"""

from __future__ import annotations

import math
import unicodedata

LANGS = ("vi", "en")
_LABELS: dict[str, dict[str, str]] = {
    "dti_value": {"vi": "Giá trị DTI", "en": "DTI value"},
    "rank": {"vi": "Xếp hạng", "en": "Rank"},
    "year": {"vi": "Năm", "en": "Year"},
    "province": {"vi": "Tỉnh/thành phố", "en": "Province"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "points": {"vi": "Điểm", "en": "Points"},
    "max_points": {"vi": "Điểm tối đa", "en": "Max points"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "framework": {"vi": "Bộ chỉ số", "en": "Framework"},
    "nhan_thuc_so": {"vi": "Nhận thức số", "en": "Digital awareness"},
    "the_che_so": {"vi": "Thể chế số", "en": "Digital institutions"},
    "ha_tang_so": {"vi": "Hạ tầng số", "en": "Digital infrastructure"},
    "nhan_luc_so": {"vi": "Nhân lực số", "en": "Digital workforce"},
    "an_toan_thong_tin": {"vi": "An toàn thông tin mạng", "en": "Cybersecurity"},
    "do_thi_thong_minh": {"vi": "Đô thị thông minh", "en": "Smart city"},
    "chinh_quyen_so": {"vi": "Hoạt động chính quyền số", "en": "Digital government"},
    "kinh_te_so": {"vi": "Hoạt động kinh tế số", "en": "Digital economy"},
    "xa_hoi_so": {"vi": "Hoạt động xã hội số", "en": "Digital society"},
    "chinh_quyen_so_pillar": {"vi": "Trụ cột chính quyền số", "en": "Digital government pillar"},
    "kinh_te_so_pillar": {"vi": "Trụ cột kinh tế số", "en": "Digital economy pillar"},
    "xa_hoi_so_pillar": {"vi": "Trụ cột xã hội số", "en": "Digital society pillar"},
    "rule.binary": {"vi": "Đạt / không đạt", "en": "Binary"},
    "rule.tiered": {"vi": "Theo mức", "en": "Tiered"},
    "rule.count_steps": {"vi": "Theo số lần", "en": "Count steps"},
    "rule.linear": {"vi": "Tỷ lệ", "en": "Linear"},
    "rule.linear_capped": {"vi": "Tỷ lệ có ngưỡng", "en": "Linear, capped"},
    "rule.all_or_nothing": {"vi": "Đạt 100%", "en": "All or nothing"},
    "rule.min_max": {"vi": "Min–Max giữa các đơn vị", "en": "Min–max across units"},
    "rule.additive": {"vi": "Cộng các phần", "en": "Additive parts"},
    "rule.unknown": {"vi": "Chưa rõ cách tính", "en": "Rule unknown"},
}


def register(labels: dict[str, dict[str, str]]) -> None:
    """Add labels (key → {"vi": …, "en": …}); an existing key keeps its first definition unless equal."""
    for key, val in labels.items():
        if key in _LABELS and _LABELS[key] != val:
            raise ValueError(f"label {key!r} registered twice with different text")
        _LABELS[key] = val


def fold(text: str) -> str:
    """*text* without diacritics (đ → d), e.g. ``"Lai Châu"`` → ``"Lai Chau"``."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        from .errors import ParameterError

        raise ParameterError(f"unknown language '{lang}'", expected="vi or en")
    return lang


def t(key: str, lang: str = "vi", **fmt) -> str:
    """The label for *key* in *lang* (the key itself when no label is registered)."""
    text = _LABELS.get(key, {}).get(check_lang(lang), key)
    return text.format(**fmt) if fmt else text


def fmt_number(x, lang: str = "vi", decimals: int = 4, missing: str = "—") -> str:
    """``0.50321`` → ``"0,5032"`` (vi) / ``"0.5032"`` (en); missing values → ``missing``."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    try:
        if x != x:  # pd.NA / NaN-like
            return missing
    except TypeError:
        return missing
    s = f"{float(x):,.{decimals}f}"
    if check_lang(lang) == "vi":
        s = s.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return s


def fmt_int(x, lang: str = "vi", missing: str = "—") -> str:
    return fmt_number(x, lang, 0, missing)
