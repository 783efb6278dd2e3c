"""Province names → one canonical key (slug) per era.

Every spelling in ``data/raw/name_aliases.csv`` (Vietnamese with or without "TP."/"Tỉnh", English,
ASCII, old accent placement, dash variants …) and every name of ``provinces_63.csv`` /
``provinces_34.csv`` maps to one slug.  Slugs are unique within an era, not across eras:
``bac-ninh`` in era 63 is old Bắc Ninh, in era 34 it is Bắc Ninh + Bắc Giang.  Key by (era, slug).

Matching ignores case, Unicode normal form (NFC/NFD), runs of whitespace, the kind of dash and the
spaces around it, and the dot of "TP."; a name that still matches nothing is tried without
diacritics (only when that is unambiguous).

>>> canonical("TP. Đà Nẵng")
'da-nang'
>>> canonical("thua thien hue")
'thua-thien-hue'
>>> canonical("Thừa Thiên - Huế", era=34)
'hue'
>>> display_name("bac-ninh", era=34, lang="en")
'Bac Ninh'
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

import pandas as pd

from ..errors import DataError, ParameterError, suggest
from ..i18n import fold  # noqa: F401 - also imported from here by reporting
from ..io import files_stamp, read_table
from . import paths

ERAS = (63, 34)
LANGS = ("vi", "en", "ascii")
_DASHES = re.compile(r"[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")


def normalize(name: str) -> str:
    """The matching key of a name: NFC, case-folded, one kind of dash, no dots, single spaces."""
    text = unicodedata.normalize("NFC", str(name)).casefold()
    text = _DASHES.sub("-", text).replace(".", " ")
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s*-\s*", "-", text)


def check_era(era) -> int:
    try:
        e = int(era)
    except (TypeError, ValueError):
        e = None
    if e not in ERAS:
        raise ParameterError(f"unknown era {era!r}", column="era",
                             expected="63 (provinces before 1/7/2025) or 34 (after)")
    return e


def _records(df):
    """``(index, row as a dict)`` for each row: what ``iterrows`` gives, without a Series per row."""
    return zip(df.index, df.to_dict("records"), strict=True)


class NameIndex:
    """All known names of both eras, read from a raw directory."""

    def __init__(self, raw_dir: str | Path | None = None):
        raw = Path(raw_dir) if raw_dir is not None else paths.RAW_DIR
        self.raw_dir = raw
        f63, f34, fal = (str(raw / paths.PROVINCES_63), str(raw / paths.PROVINCES_34), str(raw / paths.ALIASES))
        p63 = read_table(f63, required=["name_vi", "name_ascii", "slug", "name_official_gso", "region",
                                        "population", "merged_into_2025"])
        p34 = read_table(f34, required=["name_vi", "name_official", "name_ascii", "slug", "members",
                                        "member_slugs", "n_members"])
        aliases = read_table(fal, required=["alias", "canonical_slug"])
        for df, f in ((p63, f63), (p34, f34)):
            dup = df["slug"].duplicated()
            if dup.any():
                i = df.index[dup][0]
                raise DataError(f"slug '{df.at[i, 'slug']}' appears twice", file=f, row=int(i) + 2,
                                column="slug", expected="each slug once in a table")
        self.p63 = p63.set_index("slug", drop=False)
        self.p34 = p34.set_index("slug", drop=False)
        self.aliases = aliases
        self._keys: dict[int, dict[str, str]] = {63: {}, 34: {}}
        self._origin: dict[int, dict[str, tuple[str, int]]] = {63: {}, 34: {}}

        for i, r in _records(p63):
            for col in ("name_vi", "name_ascii", "name_official_gso", "slug"):
                self._add(63, r[col], r["slug"], f63, int(i) + 2, col)
        bad = ~aliases["canonical_slug"].isin(self.p63.index)
        if bad.any():
            i = aliases.index[bad][0]
            raise DataError(f"canonical_slug '{aliases.at[i, 'canonical_slug']}' is not a slug of "
                            f"{paths.PROVINCES_63}{suggest(aliases.at[i, 'canonical_slug'], self.p63.index)}",
                            file=fal, row=int(i) + 2, column="canonical_slug", expected="a 63-era slug")
        for i, r in _records(aliases):
            self._add(63, r["alias"], r["canonical_slug"], fal, int(i) + 2, "alias")

        # era 34: the units' own names, plus every alias of the 63-era province that carries its name on
        # (same slug, e.g. Bắc Ninh) or is the unit's only member (Thừa Thiên Huế → Huế)
        self.members: dict[str, list[str]] = {}
        carrier: dict[str, str] = {}
        for i, r in _records(p34):
            mem = [m.strip() for m in str(r["member_slugs"]).split(";") if m.strip()]
            unknown = [m for m in mem if m not in self.p63.index]
            if not mem or unknown:
                raise DataError(f"member slug(s) {', '.join(unknown) or '(none)'} not in {paths.PROVINCES_63}",
                                file=f34, row=int(i) + 2, column="member_slugs",
                                expected="';'-separated 63-era slugs")
            self.members[r["slug"]] = mem
            for col in ("name_vi", "name_official", "name_ascii", "slug"):
                self._add(34, r[col], r["slug"], f34, int(i) + 2, col)
            for m in mem:
                if m == r["slug"] or len(mem) == 1:
                    carrier[m] = r["slug"]
        self.successor: dict[str, str] = {m: s for s, mem in self.members.items() for m in mem}
        for slug63 in self.p63.index:
            n = sum(slug63 in mem for mem in self.members.values())
            if n != 1:
                raise DataError(f"63-era province '{slug63}' is a member of {n} units of the 34-era table",
                                file=f34, column="member_slugs", expected="each 63-era province in exactly one unit")
        for key, slug63 in list(self._keys[63].items()):
            if slug63 in carrier:
                src, row = self._origin[63][key]
                self._add(34, key, carrier[slug63], src, row, "alias", normalized=True)

        self._folded: dict[int, dict[str, str | None]] = {}
        for era in ERAS:
            folded: dict[str, str | None] = {}
            for key, slug in self._keys[era].items():
                fk = fold(key)
                folded[fk] = slug if folded.get(fk, slug) == slug else None
            self._folded[era] = folded

    def _add(self, era, name, slug, file, row, column, normalized=False):
        if name is None or str(name).strip() == "":
            return
        key = name if normalized else normalize(name)
        have = self._keys[era].get(key)
        if have is not None and have != slug:
            src, r = self._origin[era][key]
            raise DataError(f"name '{name}' maps to '{slug}' here but to '{have}' in {Path(src).name} row {r}",
                            file=file, row=row, column=column, expected="each name to mean one province per era")
        self._keys[era][key] = slug
        self._origin[era].setdefault(key, (file, row))

    # ------------------------------------------------------------------ lookups
    def canonical(self, name, era=63, *, file=None, row=None, column=None) -> str:
        """The slug of *name* in *era*; :class:`DataError` (with close names) when it is unknown."""
        era = check_era(era)
        key = normalize(name)
        slug = self._keys[era].get(key) or self._folded[era].get(fold(key))
        if slug:
            return slug
        hint = ""
        if era == 34:
            old = self._keys[63].get(key) or self._folded[63].get(fold(key))
            if old:
                succ = self.successor[old]
                hint = (f"; '{self.p63.at[old, 'name_vi']}' is a province of the 63-province era, "
                        f"part of {self.p34.at[succ, 'name_vi']} ('{succ}') from 1/7/2025")
        if not hint:
            hint = suggest(str(name), self.names(era))
        raise DataError(f"unknown province name '{name}' (era {era}){hint}", file=file, row=row, column=column,
                        expected=f"a name of {paths.ALIASES} or of the {era}-province table")

    def display_name(self, slug: str, era=63, lang: str = "vi") -> str:
        era = check_era(era)
        if lang not in LANGS:
            raise ParameterError(f"unknown language '{lang}'", column="lang", expected="vi, en or ascii")
        table = self.p63 if era == 63 else self.p34
        if slug not in table.index:
            raise ParameterError(f"unknown slug '{slug}' in era {era}{suggest(str(slug), table.index)}",
                                 column="slug", expected=f"a slug of the {era}-province table")
        if lang == "vi":
            return table.at[slug, "name_vi"]
        ascii_name = table.at[slug, "name_ascii"] or fold(table.at[slug, "name_vi"])
        if lang == "en" and ascii_name.startswith("TP. "):
            return ascii_name[4:] + " City"
        return ascii_name

    def names(self, era=63) -> list[str]:
        """Display names (Vietnamese) and aliases of *era*, for suggestions."""
        era = check_era(era)
        table = self.p63 if era == 63 else self.p34
        out = list(table["name_vi"])
        if era == 63:
            out += list(self.aliases["alias"])
        return list(dict.fromkeys(out))

    def slugs(self, era=63) -> list[str]:
        era = check_era(era)
        return list((self.p63 if era == 63 else self.p34).index)

    def keys(self, era=63) -> dict[str, str]:
        """normalized name → slug (a copy)."""
        return dict(self._keys[check_era(era)])


@functools.lru_cache(maxsize=8)
def _index(raw_dir: str, _stamp: tuple) -> NameIndex:
    return NameIndex(raw_dir)


def index(raw_dir: str | Path | None = None) -> NameIndex:
    """The name index of *raw_dir* (default ``data/raw``), built once while its files are unchanged."""
    raw = (Path(raw_dir) if raw_dir is not None else paths.RAW_DIR).resolve()
    return _index(str(raw), files_stamp(raw, (paths.PROVINCES_63, paths.PROVINCES_34, paths.ALIASES)))


def canonical(name: str, era: int = 63, **where) -> str:
    """Slug of province *name* in *era* (63 or 34); *where* (file=, row=, column=) goes into errors."""
    return index().canonical(name, era, **where)


def display_name(slug: str, era: int = 63, lang: str = "vi") -> str:
    """The display name of *slug* in *era*: ``lang`` = ``vi`` (default), ``en`` or ``ascii``."""
    return index().display_name(slug, era, lang)


def crosswalk(raw_dir: str | Path | None = None) -> pd.DataFrame:
    """The 63 → 34 crosswalk: one row per 63-era province with its 34-era unit and the unit's size."""
    ix = index(raw_dir)
    rows = [{"slug_63": m, "slug_34": s, "n_members": len(mem)} for s, mem in ix.members.items() for m in mem]
    return pd.DataFrame(rows).sort_values(["slug_34", "slug_63"]).reset_index(drop=True)


# ------------------------------------------------------------------------------ the one resolver
def closest(unit: str, era: int = 63, n: int = 3) -> list[str]:
    """Display names (not alias spellings) of the *n* provinces of *era* whose names are nearest *unit*."""
    import difflib

    ix = index()
    keys = ix.keys(era)
    key = normalize(unit)
    hits = difflib.get_close_matches(key, list(keys), n=12, cutoff=0.5)
    folded = {fold(k): s for k, s in keys.items()}
    hits += difflib.get_close_matches(fold(key), list(folded), n=12, cutoff=0.5)
    slugs = list(dict.fromkeys(keys.get(h) or folded[h] for h in hits))[:n]
    return [ix.display_name(s, era) for s in slugs]


def resolve(unit: str, era: int = 63) -> str:
    """The slug of the province called *unit* in the *era* list, or a :class:`ParameterError` naming the closest
    provinces of that list (a 63-era province merged away says which 34-era province it went into)."""
    try:
        return index().canonical(unit, era)
    except DataError as exc:
        if "part of" in exc.detail:
            raise ParameterError(exc.detail, column="province") from None
        near = closest(unit, era)
        raise ParameterError(f"unknown province '{unit}' in the {era}-province list"
                             + ("; closest known: " + ", ".join(near) if near else ""), column="province") from None


def resolve_unit(unit: str, results: pd.DataFrame | None = None) -> dict:
    """Find the unit called *unit* (a name, alias or slug): ``{slug63, slug34, successor34, name}``
    (either slug may be None).

    Accepts any alias known to :func:`canonical` (Vietnamese, English, ASCII, with/without
    "TP."/"Tỉnh"), and unit names or slugs present in *results* (so fixtures and district-level tables
    work too).  Unknown → :class:`ParameterError` with the closest names.
    """
    from ..errors import DTIError

    if unit is None or str(unit).strip() == "":
        raise ParameterError("no province given", column="province", expected="a province name such as 'Lai Châu'")
    name = str(unit).strip()
    found: dict = {}
    if results is not None:
        for era in ERAS:
            sub = results[results["era"] == era]
            hit = sub[(sub["unit"] == name) | (sub["unit_slug"] == name)]
            if len(hit):
                found[era] = str(hit["unit_slug"].iloc[0])
    try:
        ix = index()
        for era in ERAS:
            if era not in found:
                try:
                    found[era] = ix.canonical(name, era)
                except DTIError:
                    pass
        if 63 in found and 34 not in found and found[63] in ix.successor:
            found.setdefault("successor", ix.successor[found[63]])
        known = ix.names(63) + ix.names(34)
    except DTIError:  # no name tables: only the names in the results
        known = []
    in_results = list(results["unit"].astype(str)) if results is not None else []
    known = list(dict.fromkeys(in_results + known))
    if 63 not in found and 34 not in found:
        raise ParameterError(f"unknown province '{name}'{suggest(name, known)}", column="province",
                             expected="a province name or alias, e.g. 'Lai Châu' or 'Lai Chau'")
    return {"slug63": found.get(63), "slug34": found.get(34), "successor34": found.get("successor"),
            "name": name}


def unit_name(slug: str, era: int, lang: str = "vi", results: pd.DataFrame | None = None) -> str:
    """Display name of a unit (the name tables, else the name in *results*, else the slug)."""
    from ..errors import DTIError

    try:
        return display_name(slug, era, "en" if lang == "en" else "vi")
    except DTIError:
        if results is not None:
            hit = results[(results["unit_slug"] == slug) & (results["era"] == era)]
            if len(hit):
                return str(hit["unit"].iloc[0])
        return slug
