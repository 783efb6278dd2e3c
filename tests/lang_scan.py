"""Finds words of the other language, and codes, in a text meant to be read in one language (tests only).

Vietnamese text (``lang="vi"``): plain-ASCII English function words and domain words ("the", "rank",
"draws", "None" …); paths, URLs, file names, codes in braces and the names of things are ignored.
English text (``lang="en"``): words written with Vietnamese letters (ă â đ ê ô ơ ư or a tone mark),
except the names of provinces and units, and of the legal documents (``922/QĐ-BTTTT``).
"""

from __future__ import annotations

import re

EN_WORDS = frozenset("""
the of and or on for with by from is are not only was were be been this that these those it its as at
rank ranks value values points peers draws probability year years none nan unknown error expected file row
column should must cannot all any each per more less than yes target plan budget cost action actions unit
units provinces list score scored scores data table sheet published missing assumption assumptions weights
spent written note between need needed gap trend place places up down held constant lost group""".split())

_VI_LETTER = re.compile(r"[ăâđêôơưáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]", re.I)
_PATHLIKE = re.compile(r"(`[^`]*`|-p \w+|(?<![^\s(/])--?[a-z][\w-]*|\b\w+=(?=\s|$|\))|https?://\S+|[\w.-]*[/\\][\w./\\-]+|\S+\.(csv|xlsx|html|png|ipynb|yaml|docx)\b|\{[^}]*\})")


def _names() -> list[str]:
    """Every province / unit name of both lists (longest first, so "Thừa Thiên Huế" goes before "Huế")."""
    from dtilib.data.names import index

    ix = index()
    names = {n for era in (63, 34) for n in ix.names(era)}
    names |= {ix.display_name(s, era) for era in (63, 34) for s in ix.slugs(era)}
    return sorted(names | {"QĐ", "Bắc Kạn"}, key=len, reverse=True)


_CODE = re.compile(r"\b(?:[a-z]+(?:_[a-z]+)+|vn-province-\d+|method:\S+|reorg:\S+)\b")


def codes(text: str) -> list[str]:
    """Program codes shown as words (``group_lost``, ``all_or_nothing``, ``vn-province-922``,
    ``method:…``): a reader sees labels, not codes.  Paths and file names are ignored."""
    return _CODE.findall(_PATHLIKE.sub(" ", str(text)))


def foreign_words(text: str, lang: str, allow: set[str] = frozenset()) -> list[str]:
    """The words of *text* that belong to the other language than *lang* (empty list: clean)."""
    text = _PATHLIKE.sub(" ", str(text))
    if lang == "vi":
        return [w for w in re.findall(r"\w+", text) if w.isascii() and w.lower() in EN_WORDS and w not in allow]
    for name in sorted({*_names(), *allow}, key=len, reverse=True):   # "Thành phố Bắc Kạn" before "Bắc Kạn"
        text = text.replace(name, " ")
    return [w for w in re.findall(r"\w+", text) if _VI_LETTER.search(w)]
