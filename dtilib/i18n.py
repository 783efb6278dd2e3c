"""Vietnamese (default) and English labels and number formats.

Convention (used everywhere a number is shown to a person): Vietnamese uses a comma as the decimal
separator and a space between thousands, as official documents write it (``0,5032``, ``2 100``,
``1 234,5``; the space is a narrow no-break space, U+202F, so a number never breaks across lines);
English uses a point and a comma (``0.5032``, ``2,100``, ``1,234.5``).  Files (CSV, Excel cells) always
hold plain numbers.

All number-to-text formatting lives here (one home): :func:`fmt_number`, :func:`fmt_int` (thousands
separated: ``2 100`` vi / ``2,100`` en), :func:`fmt_plain` (no float noise, no trailing zeros:
``2,5``, ``10``), :func:`fmt_signed` (``+0,0100``), :func:`fmt_percent` (shares:
``0.06`` → ``6 %`` vi / ``6%`` en), :func:`fmt_range` (``0,3350–0,4626``) and :func:`rank_delta_text`
(``Δ hạng −2`` explained as ``tăng 2 bậc``).  The same quantity keeps the same decimals everywhere:
DTI and indicator values 4 (:data:`DECIMALS`), points 2, shares 0 (1 below 10 %).

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
    "rule.all_or_nothing": {"vi": "Đạt 100 %", "en": "All or nothing"},
    "rule.min_max": {"vi": "Min–Max giữa các đơn vị", "en": "Min–max across units"},
    "rule.additive": {"vi": "Cộng các phần", "en": "Additive parts"},
    "rule.unknown": {"vi": "Chưa rõ cách tính", "en": "Rule unknown"},
    "rank_delta.up": {"vi": "tăng {n} bậc", "en": "up {n} places"},
    "rank_delta.down": {"vi": "giảm {n} bậc", "en": "down {n} places"},
    "rank_delta.same": {"vi": "giữ nguyên", "en": "unchanged"},
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
        s = s.replace(",", THOUSANDS_VI).replace(".", ",")
    return s


#: the Vietnamese thousands separator: a narrow no-break space (``2 100``)
THOUSANDS_VI = "\u202f"


def fmt_int(x, lang: str = "vi", missing: str = "—") -> str:
    """``2100`` → ``"2 100"`` (vi, a narrow no-break space) / ``"2,100"`` (en).

    >>> fmt_int(2100) == "2\u202f100", fmt_int(2100, "en")
    (True, '2,100')
    """
    return fmt_number(x, lang, 0, missing)


def fmt_plain(x, lang: str = "vi", decimals: int = 4, missing: str = "—") -> str:
    """A number without float noise or trailing zeros (counts, points in a sentence): ``2.5`` → ``"2,5"``,
    ``10.0`` → ``"10"``, ``0.30000000000000004`` → ``"0,3"``, ``2100`` → ``"2 100"``.

    >>> fmt_plain(2.5), fmt_plain(10.0, "en"), fmt_plain(0.1 + 0.2)
    ('2,5', '10', '0,3')
    """
    if _isnum_missing(x):
        return missing
    s = fmt_number(round(float(x), decimals) + 0.0, lang, decimals)   # + 0.0: no "-0"
    sep = "," if check_lang(lang) == "vi" else "."
    return s.rstrip("0").rstrip(sep) if sep in s else s


#: decimals of each quantity, the same everywhere it is shown
DECIMALS = {"value": 4, "points": 2, "percent": 0, "rank": 0}


def _isnum_missing(x) -> bool:
    try:
        return x is None or bool(x != x)
    except (TypeError, ValueError):
        return True


def fmt_signed(x, lang: str = "vi", decimals: int = 4, missing: str = "—") -> str:
    """``0.01`` → ``"+0,0100"``; ``-2`` → ``"−2"`` (a real minus sign); zero without a sign.

    >>> fmt_signed(0.01), fmt_signed(-2, "en", 0), fmt_signed(0.0, decimals=1)
    ('+0,0100', '−2', '0,0')
    """
    if _isnum_missing(x):
        return missing
    s = fmt_number(abs(float(x)), lang, decimals)
    if not any(c in "123456789" for c in s):      # prints as zero: no sign
        return s
    return ("+" if float(x) > 0 else "\u2212") + s


def fmt_percent(share, lang: str = "vi", decimals: int | None = None, missing: str = "—") -> str:
    """A share 0..1 as a percentage: ``0.06`` → ``"6 %"`` (vi, with a space) / ``"6%"`` (en).

    *decimals* default: 0, or 1 below 10 % when the share is not a whole percentage.

    >>> fmt_percent(0.06), fmt_percent(0.1, "en"), fmt_percent(0.0725), fmt_percent(0.5)
    ('6 %', '10%', '7,3 %', '50 %')
    """
    if _isnum_missing(share):
        return missing
    pct = round(float(share) * 100, 9)       # 0.0725 * 100 = 7.2499… is float noise, not data
    if decimals is None:
        decimals = 1 if abs(pct) < 10 and abs(pct - round(pct)) > 1e-9 else 0
    from decimal import ROUND_HALF_UP, Decimal

    pct = float(Decimal(repr(pct)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))  # 7,25 → 7,3
    s = fmt_number(pct, lang, decimals)
    return s + (" %" if check_lang(lang) == "vi" else "%")


def fmt_range(lo, hi, lang: str = "vi", decimals: int = 4, missing: str = "—", bounds=None) -> str:
    """``"0,3350–0,4626"``; one number when both ends print the same; ends in increasing order.

    With *bounds* ``(low, high)`` (e.g. ``(0, 1)`` for a DTI value), an end that is only the scale's own
    limit says nothing and is left out: ``0–0,6735`` → ``"≤ 0,6735"``, ``0,58–1`` → ``"≥ 0,5800"``.

    >>> fmt_range(0.4626, 0.335), fmt_range(0, 0.6735, bounds=(0, 1)), fmt_range(0.58, 1, "en", bounds=(0, 1))
    ('0,3350–0,4626', '≤ 0,6735', '≥ 0.5800')
    """
    if _isnum_missing(lo) or _isnum_missing(hi):
        return missing
    lo, hi = sorted((float(lo), float(hi)))
    a, b = fmt_number(lo, lang, decimals), fmt_number(hi, lang, decimals)
    if a == b:
        return a
    if bounds is not None:
        at_lo, at_hi = lo <= bounds[0] + 1e-12, hi >= bounds[1] - 1e-12
        if at_lo and not at_hi:
            return f"≤ {b}"
        if at_hi and not at_lo:
            return f"≥ {a}"
    return f"{a}–{b}"


def rank_delta_text(delta, lang: str = "vi") -> str:
    """A rank change explained: ``-2`` → ``"−2 (tăng 2 bậc)"``, ``3`` → ``"+3 (giảm 3 bậc)"``, ``0`` →
    ``"0 (giữ nguyên)"`` (a lower rank number is better, so a negative Δ is a rise).

    >>> rank_delta_text(-2), rank_delta_text(3, "en"), rank_delta_text(0)
    ('−2 (tăng 2 bậc)', '+3 (down 3 places)', '0 (giữ nguyên)')
    """
    if _isnum_missing(delta):
        return "—"
    d = int(round(float(delta)))
    key = "rank_delta.up" if d < 0 else "rank_delta.down" if d > 0 else "rank_delta.same"
    return f"{fmt_signed(d, lang, 0)} ({t(key, lang, n=abs(d))})"


def text_table(frame, lang: str = "vi", labels: dict | None = None) -> str:
    """A table for a terminal: headers translated (``labels`` maps a column to a label key, else the
    column name is looked up itself), cells as they are (format them first), columns padded.

    >>> import pandas as pd
    >>> print(text_table(pd.DataFrame({"year": [2024], "rank": ["6/34"]}), "vi"))
    Năm   Xếp hạng
    2024  6/34
    """
    labels = labels or {}
    head = [t(labels.get(c, c), lang) for c in frame.columns]
    body = [["—" if _isnum_missing(x) else str(x) for x in row] for row in frame.itertuples(index=False)]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(head)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip()]
    lines += ["  ".join(x.ljust(w) for x, w in zip(r, widths, strict=True)).rstrip() for r in body]
    return "\n".join(lines)


class Note(str):
    """An English note (it *is* the string) that also carries its Vietnamese text (``.vi``): library
    code returns these where a sentence is made deep inside a computation, the edges pick the language."""

    vi: str

    def __new__(cls, en: str, vi: str | None = None):
        obj = super().__new__(cls, en)
        obj.vi = vi if vi is not None else en
        return obj

    def text(self, lang: str = "vi") -> str:
        return self.vi if lang == "vi" else str(self)


def note_text(note, lang: str) -> str:
    """The text of a note in *lang* (plain strings are returned as they are)."""
    return note.text(lang) if isinstance(note, Note) else str(note)
