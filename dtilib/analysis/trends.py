"""Year-over-year trend of one province: value, rank, changes, breaks and comparability aids.

:func:`trend` returns one row per (year, list) from the first to the last year of the results table —
years without a published figure are rows with NaN (never interpolated).  Every step between two
rows is checked for a **break**, derived from the data, not from hard-coded years:

* ``method:A→B`` when the ``framework`` column changes (2020→2021: vn-province-2020→vn-province-922;
  2023→2024: vn-province-922→vn-province-405);
* ``reorg:63→34`` when the list changes from the 63 provinces to the 34 (2024 was published for both:
  the 2024 row of the 63-list is followed by the 2024 row of the 34-list).  For a merged province the
  34-list unit is not the same territory (e.g. Lào Cai 34 = Lào Cai + Yên Bái).

A flagged step is still computed (so it can be read), but it is never one silent continuous line:
plots draw a gap and a marker there (:func:`dtilib.analysis.plots.plot_trend`).

Comparability aids (across frameworks and list sizes; labelled as such, not as the DTI itself):

* ``percentile`` = 1 − (rank − 1)/(rank_of − 1): 1 for the first, 0 for the last of the list, so a
  rank 45/63 and a rank 24/34 can be compared (both ≈ 0.29);
* ``vs_avg`` = value − the published provincial average of that year, and ``vs_avg_ratio`` =
  value / average (years without a published average stay NaN; 2022 has none).

Signs: ``delta_rank`` = rank − previous rank, so **negative is an improvement** ("up N places");
``delta_rank`` is NaN across a change of list size (63→34), where only ``delta_percentile`` compares.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .frames import national_of, resolve_unit, results_of, unit_name, year_frameworks

TREND_COLUMNS = [
    "year", "era", "unit", "unit_slug", "value", "rank", "rank_of", "framework", "origin", "evidence",
    "delta_value", "rel_change", "delta_rank", "break", "percentile", "delta_percentile",
    "provincial_avg", "vs_avg", "vs_avg_ratio", "delta_vs_avg", "source", "rank_low", "rank_high",
]


def percentile(rank, rank_of):
    """``1 − (rank − 1)/(rank_of − 1)`` (1 = first, 0 = last); NaN where the rank is unknown."""
    r = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(rank)), errors="coerce"), dtype=float)
    n = np.asarray(pd.to_numeric(pd.Series(np.atleast_1d(rank_of)), errors="coerce"), dtype=float)
    out = 1 - (r - 1) / (n - 1)
    return float(out[0]) if np.ndim(rank) == 0 and np.ndim(rank_of) == 0 else out


def _pick(rows: pd.DataFrame) -> dict:
    """One record from the rows of one (year, era, unit): the published row; a derived value only
    where no published value exists (origin says which)."""
    pub = rows[rows["origin"] == "published"]
    der = rows[rows["origin"] != "published"]
    rec = {"value": np.nan, "rank": pd.NA, "origin": "", "evidence": "", "source": "", "framework": None,
           "rank_low": pd.NA, "rank_high": pd.NA}
    # rank_low / rank_high (data/processed/results.csv): the ranks the published values allow; equal to
    # the rank where it is printed.  Tables built by hand may lack them.
    for _, r in pd.concat([pub, der]).iterrows():
        if "rank_low" in r and not pd.isna(r["rank_low"]):
            rec.update(rank_low=r["rank_low"], rank_high=r["rank_high"])
            break
    if len(pub):
        p = pub.iloc[0]
        rec.update(value=p["dti_value"], rank=p["rank"], origin="published", evidence=p["evidence"],
                   source=p["source"], framework=p["framework"])
    if pd.isna(rec["value"]) and len(der) and der["dti_value"].notna().any():
        q = der[der["dti_value"].notna()].iloc[0]
        rec.update(value=q["dti_value"], framework=q["framework"],
                   origin="published+derived" if len(pub) else ("own" if q["origin"] == "own" else "derived"),
                   evidence=(rec["evidence"] + "; " if rec["evidence"] else "") + f"value: {q['evidence']}",
                   source=(rec["source"] + " | " if rec["source"] else "") + q["source"])
        if pd.isna(rec["rank"]):
            rec["rank"] = q["rank"]
    return rec


def trend(results: pd.DataFrame | None, unit: str, *, national: pd.DataFrame | None | bool = None,
          follow_successor: bool = True, lang: str = "vi") -> pd.DataFrame:
    """The trend table of *unit* (any name or alias, e.g. ``"Lai Chau"``) — see the module doc.

    *results*: the results table (``None`` = :func:`load_results`).  *national*: the provincial
    averages (``None`` = :func:`load_national`, ``False`` = leave the ``vs_avg`` columns empty).
    *follow_successor*: for a province merged on 1/7/2025, continue with its 34-list successor
    (flagged ``reorg:63→34``).  Rows are ordered by year, the 63-list before the 34-list.
    """
    from ..i18n import check_lang

    check_lang(lang)
    res = results_of(results)
    who = resolve_unit(unit, res)
    national = national_of(results, national)
    t = _unit_rows(res, who, follow_successor, lang)
    _add_changes(t)
    brk = _break_flags(t)
    t["break"] = brk
    t["percentile"] = percentile(t["rank"].astype("Float64").to_numpy(na_value=np.nan), t["rank_of"].to_numpy())
    t["delta_percentile"] = t["percentile"] - t["percentile"].shift(1)
    if national is not False and national is not None and len(national):
        avg = dict(zip(national["year"].astype(int), national["provincial_avg"].astype(float), strict=False))
        t["provincial_avg"] = t["year"].map(avg).astype(float)
    else:
        t["provincial_avg"] = np.nan
    t["vs_avg"] = t["value"] - t["provincial_avg"]
    t["vs_avg_ratio"] = t["value"] / t["provincial_avg"]
    t["delta_vs_avg"] = t["vs_avg"] - t["vs_avg"].shift(1)
    for c in ("delta_value", "rel_change", "vs_avg", "vs_avg_ratio", "delta_vs_avg", "delta_percentile", "percentile"):
        t[c] = t[c].round(12)   # float noise of the subtraction (0.07230000000000003), not data
    t.attrs["unit"] = who["name"]
    t.attrs["lang"] = lang                     # the language of the unit names in the table
    t.attrs["breaks"] = [b for b in brk if b]
    from ..reporting.rich import result_table

    return result_table(t[TREND_COLUMNS], "trend")


def _unit_rows(res: pd.DataFrame, who: dict, follow_successor: bool, lang: str) -> pd.DataFrame:
    """One row per year of the record for the unit on the 63-list, then (or only) the 34-list (its own
    row, or its successor's when *follow_successor*): value, rank, interval, list size and framework."""
    fws = {}
    for (y, e), g in res.groupby(["year", "era"]):
        fws[(int(y), int(e))] = str(g["framework"].mode().iloc[0])
    by_year = year_frameworks(res)
    parts = []
    plan = []
    if who["slug63"]:
        plan.append((63, who["slug63"]))
    slug34 = who["slug34"] or (who["successor34"] if follow_successor else None)
    if slug34:
        plan.append((34, slug34))
    for era, slug in plan:
        years = sorted(res.loc[res["era"] == era, "year"].unique())
        mine = res[(res["era"] == era) & (res["unit_slug"] == slug)]
        name = unit_name(slug, era, lang, res)
        for y in years:
            rec = _pick(mine[mine["year"] == y])
            rank_of = res.loc[(res["era"] == era) & (res["year"] == y), "rank_of"]
            parts.append({"year": int(y), "era": era, "unit": name, "unit_slug": slug,
                          "rank_of": int(rank_of.iloc[0]) if len(rank_of) else era,
                          **rec,
                          "framework": rec["framework"] or fws.get((int(y), era)) or by_year.get(int(y))})
    t = pd.DataFrame(parts)
    t = t.sort_values(["year", "era"], ascending=[True, False], kind="stable").reset_index(drop=True)
    t["rank"] = pd.array(t["rank"], dtype="Int64")
    for c in ("rank_low", "rank_high"):
        t[c] = pd.array(pd.to_numeric(t[c], errors="coerce"), dtype="Int64")
    t["value"] = t["value"].astype(float)
    return t


def _add_changes(t: pd.DataFrame) -> None:
    """``delta_value``, ``rel_change`` and ``delta_rank`` from the row before (a rank change only within
    one list; no value change between a merged unit and one of its members)."""
    prev = t.shift(1)
    t["delta_value"] = t["value"] - prev["value"]
    # across the 63→34 reorganisation a merged unit's value against one member's value is not a change
    # (different territories): blank, as the rank change already is; an unmerged unit keeps its change
    merged = t["unit_slug"].map(lambda s_: _n_members(s_) > 1) & (t["era"] == 34)
    t.loc[(t["era"] != prev["era"]) & merged, "delta_value"] = np.nan
    t["rel_change"] = t["delta_value"] / prev["value"]
    same_list = (t["rank_of"] == prev["rank_of"]) & (t["era"] == prev["era"])
    dr = t["rank"].astype("Float64") - prev["rank"].astype("Float64")
    t["delta_rank"] = pd.array(np.where(same_list, dr.astype(float).to_numpy(na_value=np.nan), np.nan),
                               dtype="Float64").round().astype("Int64")


def _break_flags(t: pd.DataFrame) -> list[str]:
    """Per row, the breaks since the row before: ``method:a→b`` (framework) and ``reorg:63→34`` (list)."""
    brk = []
    for i in range(len(t)):
        if i == 0:
            brk.append("")
            continue
        flags = []
        a, b = t.at[i - 1, "framework"], t.at[i, "framework"]
        if a and b and a != b:
            flags.append(f"method:{a}→{b}")
        if t.at[i - 1, "era"] != t.at[i, "era"]:
            flags.append(f"reorg:{t.at[i - 1, 'era']}→{t.at[i, 'era']}")
        brk.append("; ".join(flags))
    return brk


def breaks(trend_table: pd.DataFrame) -> pd.DataFrame:
    """The flagged steps of a trend table: ``from_year, to_year, from_era, to_era, break``."""
    t = trend_table.reset_index(drop=True)
    rows = []
    for i in range(1, len(t)):
        if t.at[i, "break"]:
            rows.append({"from_year": int(t.at[i - 1, "year"]), "to_year": int(t.at[i, "year"]),
                         "from_era": int(t.at[i - 1, "era"]), "to_era": int(t.at[i, "era"]),
                         "break": t.at[i, "break"]})
    return pd.DataFrame(rows, columns=["from_year", "to_year", "from_era", "to_era", "break"])


def format_trend(t: pd.DataFrame, lang: str = "vi") -> str:
    """The trend table as text for a terminal, numbers in the *lang* convention (vi: 0,5032)."""
    from ..i18n import fmt_int, fmt_number, fmt_signed, rank_delta_text, text_table
    from ..i18n import t as label

    cols = [("year", "year", lambda v: str(int(v))), ("era", "analysis.list", lambda v: f"{int(v)}"),
            ("value", "dti_value", lambda v: fmt_number(v, lang, 4)),
            ("rank", "rank", None),
            ("rank_of", "analysis.rank_of", lambda v: fmt_int(v, lang)),
            ("delta_value", "analysis.delta_value", lambda v: fmt_signed(v, lang, 4)),
            ("delta_rank", "analysis.delta_rank", lambda v: rank_delta_text(v, lang)),
            ("percentile", "analysis.percentile", lambda v: fmt_number(v, lang, 3)),
            ("vs_avg", "analysis.vs_avg", lambda v: fmt_signed(v, lang, 4)),
            ("framework", "framework", framework_label),
            ("break", "analysis.break", lambda v: break_label(v, lang))]
    body = pd.DataFrame([[_rank_text(r, lang) if f is None else f(r[c]) if not _isna(r[c]) else "—"
                          for c, _, f in cols] for _, r in t.iterrows()], columns=[k for _, k, _ in cols])
    lines = text_table(body, lang).splitlines()
    unit = t["unit"].iloc[0] if len(t) else ""
    title = label("analysis.trend_title", lang, unit=unit)
    note = label("analysis.trend_note", lang)
    if t["rank"].isna().any() and "rank_low" in t.columns and t.loc[t["rank"].isna(), "rank_low"].notna().any():
        note += " " + label("analysis.rank_interval_note", lang)
    merged = successor_note(t, lang)
    return "\n".join([title, *([merged] if merged else []), *lines, "", note])


def framework_label(framework_id) -> str:
    """A framework id as readers name it: its decision number (``vn-province-922`` → ``922/QĐ-BTTTT``);
    the id itself when the framework is unknown."""
    if framework_id is None or _isna(framework_id) or not str(framework_id):
        return "—"
    return _framework_labels().get(str(framework_id), str(framework_id))


def _framework_labels() -> dict[str, str]:
    global _FW_LABELS
    if _FW_LABELS is None:
        from pathlib import Path

        _FW_LABELS = {}
        for f in sorted((Path(__file__).resolve().parents[1] / "frameworks").glob("*.yaml")):
            doc = _header(f)
            src = str(doc.get("legal_source") or "").split(" (")[0].strip()
            if doc.get("id") and src:
                _FW_LABELS[str(doc["id"])] = src
    return _FW_LABELS


def _header(path) -> dict:
    """The one-line top-level fields a framework file opens with (``id``, ``legal_source`` …): read
    without parsing the indicators below them; the whole file when they are not all there, when a
    value goes on over the next line, or when the opening does not parse."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's safe loader when present
    with open(path, encoding="utf-8-sig") as fh:
        text = fh.read()
    lines = []
    rows = text.splitlines(keepends=True)
    for i, line in enumerate(rows):
        if line.startswith("#") or not line.strip():
            continue
        key, sep, value = line.partition(":")
        nxt = rows[i + 1] if i + 1 < len(rows) else ""
        if (not sep or line[0].isspace() or not value.strip() or value.strip()[0] in "|>"
                or nxt[:1].isspace() and nxt.strip()):  # a value that goes on over the next line
            break
        lines.append(line)
    try:
        doc = yaml.load("".join(lines), Loader=loader) if lines else None  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        doc = None
    if not isinstance(doc, dict) or not {"id", "legal_source"} <= doc.keys():
        doc = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    return doc if isinstance(doc, dict) else {}


_FW_LABELS: dict[str, str] | None = None


def break_label(code, lang: str = "vi") -> str:
    """A break code as words: ``method:vn-province-2020→vn-province-922`` → ``Đổi bộ chỉ số
    (1726/QĐ-BTTTT → 922/QĐ-BTTTT)``; ``reorg:63→34`` → ``Sắp xếp 63 → 34 tỉnh``; several joined by ``; ``."""
    from ..i18n import t as label

    if code is None or _isna(code) or not str(code):
        return ""
    out = []
    for part in str(code).split("; "):
        kind, _, arg = part.partition(":")
        if kind == "method":
            a, _, b = arg.partition("→")
            out.append(f"{label('analysis.method_break', lang)} ({framework_label(a)} → {framework_label(b)})")
        elif kind == "reorg":
            out.append(label("analysis.reorg_break", lang))
        else:
            out.append(part)
    return "; ".join(out)


def readable(text: str, lang: str = "vi") -> str:
    """*text* with the codes a reader should not see replaced by their names: break codes
    (``method:A→B``, ``reorg:63→34``) by :func:`break_label`, framework ids (``vn-province-922``) by
    their decision numbers (``922/QĐ-BTTTT``).  For statements made by the library (rank change, target)."""
    import re

    text = re.sub(r"(?:method|reorg):\S+?(?=[\s,;)\]]|$)", lambda m: break_label(m.group(0), lang), str(text))
    return re.sub(r"\b[a-z]+(?:-[a-z0-9]+)+\b",
                  lambda m: framework_label(m.group(0)) if m.group(0) in _framework_labels() else m.group(0), text)


def latest(t: pd.DataFrame) -> dict | None:
    """The last row of a trend table with a published value or rank, whatever the list (so a province
    ranked 6/34 in 2024 is not reported by its 2022 rank 35/63): ``{year, era, value, rank, rank_of,
    rank_low, rank_high, unit}``, plus ``value_year`` (the year of the last known value); None if none."""
    known = t[t["value"].notna() | t["rank"].notna()]
    if not len(known):
        return None
    r = known.iloc[-1]
    vals = t[t["value"].notna()]
    out = {k: r[k] for k in ("year", "era", "value", "rank", "rank_of", "unit")}
    out.update(rank_low=r.get("rank_low", pd.NA), rank_high=r.get("rank_high", pd.NA),
               value=vals["value"].iloc[-1] if len(vals) else np.nan,
               value_year=int(vals["year"].iloc[-1]) if len(vals) else None)
    return out


def rank_text(row, lang: str = "vi") -> str:
    """``"6/34 (2024)"``; an unprinted rank as the interval the published values allow (``"17–31/34"``)."""
    return f"{_rank_text(row, lang)}/{int(row['rank_of'])} ({int(row['year'])})"


def successor_note(t: pd.DataFrame, lang: str = "vi") -> str:
    """One sentence saying whose figures the 34-list rows are, when that unit is a merger (e.g. the
    rows of "Yên Bái" from 2024 on are the new Lào Cai = Lào Cai + Yên Bái); ``""`` otherwise."""
    from ..i18n import t as label

    rows = t[t["era"] == 34]
    if not len(rows):
        return ""
    slug = str(rows["unit_slug"].iloc[0])
    members = _members(slug)
    if len(members) < 2:
        return ""
    first = t["unit"].iloc[0]
    new = str(rows["unit"].iloc[0])
    names = " + ".join(unit_name(m, 63, t.attrs.get("lang", lang)) for m in members)   # as the table names units
    key = "analysis.successor_renamed" if first != new else "analysis.successor_merged"
    return label(key, lang, unit=first, new=new, members=names, year=int(rows["year"].iloc[0]))




def _members(slug34: str) -> list[str]:
    """The 63-era provinces (slugs) in the 34-era unit *slug34* (``[slug34]`` when unknown)."""
    from ..data.names import index

    try:
        return list(index().members.get(slug34, [slug34]))
    except Exception:  # noqa: BLE001 — no province tables: treat as not merged
        return [slug34]


def _n_members(slug34: str) -> int:
    """Number of 63-era provinces in the 34-era unit *slug34* (1 when unknown)."""
    return len(_members(slug34))


def _rank_text(r, lang) -> str:
    """The printed rank, or the interval the published values allow ("17–31") where none is printed."""
    from ..i18n import fmt_int

    if not _isna(r["rank"]):
        return fmt_int(r["rank"], lang)
    lo, hi = r.get("rank_low"), r.get("rank_high")
    if lo is not None and not _isna(lo) and not _isna(hi):
        return f"{int(lo)}–{int(hi)}"
    return "—"


def _isna(v) -> bool:
    try:
        return bool(pd.isna(v))
    except (TypeError, ValueError):
        return False

