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

Every text shown to a reader is in one catalogue, ``dtilib/text/catalogue.yaml`` (key → vi, en, the same
``{placeholders}`` in both), read once on the first lookup; :func:`t` is the one lookup function.
Computations return codes, numbers and :class:`Note` objects; the CLI, reports and workbooks make the text.
"""

from __future__ import annotations

import functools
import math
import re
import string
import unicodedata
from pathlib import Path

LANGS = ("vi", "en")

#: the one text catalogue (key → vi, en), shipped in the package
CATALOGUE = Path(__file__).parent / "text" / "catalogue.yaml"


def placeholders(text: str) -> set[str]:
    """The ``{names}`` a catalogue text takes (``"hạng {rank}/{n}"`` → ``{"rank", "n"}``)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}


def check_entry(key: str, entry, where: str = "") -> dict[str, str]:
    """One catalogue entry checked: a mapping with exactly the texts ``vi`` and ``en`` (non-empty strings)
    taking the same placeholders; a :class:`~dtilib.errors.DTIError` naming the key otherwise."""
    from .errors import DataError

    if not isinstance(entry, dict) or set(entry) != set(LANGS):
        raise DataError("a text needs exactly 'vi' and 'en'", file=where or None, row=f"key '{key}'",
                        expected="vi: …, en: …")
    for lang in LANGS:
        if not isinstance(entry[lang], str) or not entry[lang].strip():
            raise DataError(f"the '{lang}' text is empty", file=where or None, row=f"key '{key}'",
                            expected="a non-empty text")
    if placeholders(entry["vi"]) != placeholders(entry["en"]):
        raise DataError(f"vi takes {sorted(placeholders(entry['vi']))} but en takes "
                        f"{sorted(placeholders(entry['en']))}", file=where or None, row=f"key '{key}'",
                        expected="the same {placeholders} in both languages")
    return {"vi": entry["vi"], "en": entry["en"]}


@functools.cache
def catalogue() -> dict[str, dict[str, str]]:
    """The whole catalogue, read once (safe YAML loader) and checked (:func:`check_entry`)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(CATALOGUE.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    return {str(k): check_entry(str(k), v, str(CATALOGUE.name)) for k, v in data.items()}


_EXTRA: dict[str, dict[str, str]] = {}


def register(labels: dict[str, dict[str, str]]) -> None:
    """Add texts at run time (a user's own framework or plug-in; the shipped text lives in
    ``dtilib/text/catalogue.yaml``).  A key of the catalogue may only be registered with its own text."""
    for key, val in labels.items():
        val = check_entry(key, val)
        known = catalogue().get(key) or _EXTRA.get(key)
        if known is not None and known != val:
            raise ValueError(f"label {key!r} registered twice with different text")
        _EXTRA[key] = val


def has(key: str) -> bool:
    """Whether *key* has a text."""
    return key in catalogue() or key in _EXTRA


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
    """The text of *key* in *lang* with its placeholders filled (the key itself when it has no text).

    >>> t("rank_delta.up", "vi", n=2), t("rank_delta.up", "en", n=2)
    ('tăng 2 bậc', 'up 2 places')
    """
    entry = catalogue().get(key) or _EXTRA.get(key)
    text = entry[check_lang(lang)] if entry else key
    return _english_number(text.format(**fmt), lang) if fmt else text


#: English nouns the catalogue counts with a placeholder (``{n} places``): one of them is singular
_COUNTED = re.compile(r"(?<![\d.,])(1) (place|province|unit|commune|indicator|sub-indicator|year|action|row"
                      r"|draw|step|ward|department)s\b")


def _english_number(text: str, lang: str) -> str:
    """English: ``up 1 places`` → ``up 1 place`` (Vietnamese nouns do not change)."""
    return _COUNTED.sub(r"\1 \2", text) if lang == "en" and "1" in text else text


#: catalogue keys whose English text is also a pattern: messages made in English deep inside the library
#: (errors) are given in another language by matching them (:func:`translate`)
PATTERN_PREFIX = "error."


@functools.cache
def _patterns() -> list[tuple[str, re.Pattern]]:
    """``(key, regex)`` of every pattern key, the most specific (longest fixed text) first; a placeholder
    matches any text, one used twice the same text."""
    out = []
    for key, entry in catalogue().items():
        if not key.startswith(PATTERN_PREFIX):
            continue
        regex, seen, fixed = [], set(), 0
        for literal, name, _, _ in string.Formatter().parse(entry["en"]):
            regex.append(re.escape(literal))
            fixed += len(literal)
            if name:
                regex.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                seen.add(name)
        out.append((fixed, key, re.compile(r"\A" + "".join(regex) + r"\Z", re.S)))
    return [(key, rx) for _, key, rx in sorted(out, key=lambda x: -x[0])]


def translate(text: str, lang: str = "vi") -> str:
    """An English message of the library (as raised) in *lang*: matched against the catalogue's
    ``error.*`` texts, placeholders carried over (and translated in turn), a trailing ``; …`` part matched on
    its own; a text no pattern matches is returned as it is.

    >>> translate("unknown indicator 'x9'; closest known: x1, x2")
    "không có chỉ số 'x9'; gần nhất: x1, x2"
    """
    text = str(text)
    if check_lang(lang) == "en" or not text:
        return text
    done = _translate(text, lang)
    return text if done is None else done


def _translate(text: str, lang: str) -> str | None:
    """*text* translated, or None when no pattern matches it: first a message with trailing ``; …`` parts
    (``; closest known: …``), then the whole text."""
    for i in reversed([m.start() for m in re.finditer("; ", text)]):
        tail = _translate_whole(text[i:], lang)
        if tail is not None:
            head = _translate(text[:i], lang)
            if head is not None:
                return head + tail
    return _translate_whole(text, lang)


def _translate_whole(text: str, lang: str) -> str | None:
    for key, rx in _patterns():
        m = rx.match(text)
        if m:
            return catalogue()[key][lang].format(**{k: translate(v, lang) for k, v in m.groupdict().items()})
    return None


#: the decimal sign of each language (``0,5`` / ``0.5``)
DECIMAL_SIGN = {"vi": ",", "en": "."}


def localized(obj, field: str, lang: str = "vi", default=None):
    """*obj*'s ``{field}_{lang}`` (a mapping, a pandas row, a named tuple or an object): names are kept in both
    languages, an empty English one falls back to the Vietnamese one, an empty one to *default*.

    >>> localized({"name_vi": "Nhận thức số", "name_en": ""}, "name", "en")
    'Nhận thức số'
    """
    def get(key):
        v = obj.get(key) if hasattr(obj, "get") else getattr(obj, key, None)
        return None if _isnum_missing(v) or v == "" else v

    return get(f"{field}_{check_lang(lang)}") or get(f"{field}_vi") or default


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


def fmt_date(d, lang: str = "vi", time: bool = False) -> str:
    """A date as readers write it, the one date format of the package: ``30/11/2026`` in both languages
    (the dates of a plan are those of a Vietnamese document); a moment with ``time=True``:
    ``30/11/2026 08:45`` (vi) / ``2026-11-30 08:45`` (en, ISO).

    >>> from datetime import datetime
    >>> fmt_date(datetime(2026, 3, 31)), fmt_date(datetime(2026, 3, 31, 8, 5), "en", time=True)
    ('31/03/2026', '2026-03-31 08:05')
    """
    if not time:
        return d.strftime("%d/%m/%Y")
    return d.strftime("%d/%m/%Y %H:%M") if check_lang(lang) == "vi" else d.strftime("%Y-%m-%d %H:%M")


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


def rank_move_text(r0, r1, n, lang: str = "vi") -> str:
    """A rank before and after, said so that it always says something: ``(3, 1, 8)`` → ``"từ hạng 3/8 lên 1/8"``;
    unchanged → ``"giữ hạng 3/8"``; first and still first → ``"giữ hạng nhất (1/8), vốn đã đứng đầu"``.

    >>> rank_move_text(1, 1, 63), rank_move_text(5, 3, 8, "en")
    ('giữ hạng nhất (1/63), vốn đã đứng đầu', 'from rank 5/8 up to 3/8')

    A rank not computable (a unit with points not scored, or a framework without total points, has no DTI
    value) is said, with ``?``:

    >>> rank_move_text(None, None, 9, "en"), rank_move_text(None, 2, 0)
    ('rank ?/9 → ?/9: not computable', 'hạng ?/? → 2/?: chưa tính được')

    """
    if _isnum_missing(r0) or _isnum_missing(r1) or _isnum_missing(n) or not n:
        show = ["?" if _isnum_missing(r) else int(round(float(r))) for r in (r0, r1)]
        return t("rank_move.unknown", lang, r0=show[0], r1=show[1], n="?" if _isnum_missing(n) or not n else n)
    a, b = int(round(float(r0))), int(round(float(r1)))
    key = "rank_move.up" if b < a else "rank_move.down" if b > a else "rank_move.first" if a == 1 else "rank_move.same"
    return t(key, lang, r0=a, r1=b, n=n)


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

    @classmethod
    def of(cls, key: str, **params) -> Note:
        """A note made from the catalogue: *key* with its placeholders, in both languages (numbers with the
        language's decimal sign, ``{x:.2f}`` specs kept; a placeholder that is itself a :class:`Note` in the
        same language).  ``.key`` and ``.params`` keep what it was made of.

        >>> n = Note.of("effort.detail.over_budget_alone", cost=37.5, budget=30)
        >>> str(n), n.text("vi")
        ('costs 37.5 alone, budget 30', 'riêng hành động này cần 37,5, ngân sách 30')
        """
        obj = cls(_note_text(key, "en", params), _note_text(key, "vi", params))
        obj.key, obj.params = key, params
        return obj

    def text(self, lang: str = "vi") -> str:
        return self.vi if check_lang(lang) == "vi" else str(self)

    def __add__(self, other):
        """Notes (or plain text, the same in both languages) joined: a note in both languages."""
        if not isinstance(other, str):
            return NotImplemented
        return Note(str(self) + str(other), self.vi + note_text(other, "vi"))

    def __radd__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Note(str(other) + str(self), note_text(other, "vi") + self.vi)


class _LangFormatter(string.Formatter):
    """``str.format`` with numbers written in a language (``37.5`` → ``37,5`` in Vietnamese; ``:g`` for a
    float without a spec) and notes in that language."""

    def __init__(self, lang: str):
        self.lang = lang

    def format_field(self, value, format_spec):
        if isinstance(value, Note):
            return format(value.text(self.lang), format_spec)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        text = super().format_field(value, format_spec or ("g" if isinstance(value, float) else ""))
        if number and self.lang == "vi":
            text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
        return text


def _note_text(key: str, lang: str, params: dict) -> str:
    entry = catalogue().get(key) or _EXTRA.get(key)
    if entry is None:
        raise KeyError(f"no text {key!r} in the catalogue")
    return _english_number(_LangFormatter(lang).vformat(entry[lang], (), params), lang)


def note_text(note, lang: str) -> str:
    """The text of a note in *lang* (plain strings are returned as they are)."""
    return note.text(lang) if isinstance(note, Note) else str(note)


#: decimals of the columns of a table written for a reader (by name part; DTI values otherwise 4)
_COLUMN_DECIMALS = (("points", 2), ("scored_on", 2), ("lost", 2), ("rank", 1), ("percentile", 3), ("ratio", 3), ("rel_change", 4))

#: columns whose cells are codes shown as words (``code.<value>``)
_CODE_COLUMNS = ("origin", "evidence", "needed_kind", "kind")


def reader_table(frame, lang: str = "vi", labels: dict | None = None):
    """*frame* as a reader's sheet: headers as labels (*labels*' text for a column it names, else ``col.<name>``,
    else the catalogue's ``<name>``), notes in *lang*, codes as words (origin, evidence, kinds; frameworks by
    decision, breaks explained), yes/no in words, numbers rounded (DTI values 4 decimals, points 2,
    percentiles 3, ranks whole) but kept numbers."""
    import pandas as pd

    from .analysis.trends import break_label, framework_label

    out = pd.DataFrame(index=frame.index)
    for c in frame.columns:
        col = frame[c]
        if col.dtype.kind == "b" or (c == "reached"):
            col = col.map(lambda v: v if _isnum_missing(v) else t("word.yes" if v else "word.no", lang))
        elif col.dtype.kind == "f":
            dec = next((d for part, d in _COLUMN_DECIMALS if part in c), 4)
            col = col.round(0 if c.startswith("rank") and dec == 1 and "mean" not in c else dec)
        elif c == "framework":
            col = col.map(lambda v: framework_label(v) if isinstance(v, str) else v)
        elif c == "break":
            col = col.map(lambda v: break_label(v, lang) if isinstance(v, str) else v)
        elif c in _CODE_COLUMNS:
            col = col.map(lambda v: t(f"code.{v}", lang) if isinstance(v, str) and has(f"code.{v}") else v)
        elif c == "scenario":
            col = col.map(lambda v: t(f"outlook.scenario.{v}", lang) if has(f"outlook.scenario.{v}") else v)
        elif col.dtype.kind not in "iuf":
            col = col.map(lambda v: note_text(v, lang) if isinstance(v, Note) else v)
        key = f"col.{c}" if has(f"col.{c}") else c
        head = (labels or {}).get(c) or (t(key, lang) if has(key) else c)
        out[f"{head} ({c})" if head in out.columns else head] = col     # two columns never share a header
    return out
