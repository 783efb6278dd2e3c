"""What a partly published ranking says about values we do not have: bounds from rank order.

A year's ranking is a list of ``rank_of`` positions (63 or 34).  For some positions the unit is
published, for a few the value too; the rest are *free* positions (rank numbers nobody in the data
holds).  Ranks are competition ranks on values, so values never increase down the list.  Every
position therefore gets an interval ``[lo, hi]`` for its value:

* a published value ``v`` printed with ``d`` decimals: ``[v − ½·10⁻ᵈ, v + ½·10⁻ᵈ]`` (``0.54`` →
  0.535..0.545; a value printed with 4 decimals is practically exact);
* otherwise ``lo`` = the largest published value ranked below it (or 0) and ``hi`` = the smallest
  published value ranked above it (or 1).  Tied units share their value.

Nothing is interpolated here: a position whose value is unknown stays an interval.  Counting how many
units are above a value then gives a *range* of ranks, never an invented one.  (Point estimates
between published neighbours are :func:`dtilib.analysis.outlook.rank_value`, labelled as estimates.)

**One rank rule.**  A unit is above another when its value is higher by more than :data:`TOL`
(values are printed with at most 5 decimals, so anything closer is a tie: ``0.7 + 0.1`` ties ``0.8``).
:func:`rank_of` (used by the Monte Carlo) and :func:`rank_range` (used by the analysis) both count
with :func:`above`, so a value gets the same rank in both.  :func:`draw_in_order` draws values for the
positions of a partly published ranking that never contradict the published order.

>>> import pandas as pd
>>> r = pd.DataFrame({"year": 2022, "era": 63, "unit": ["A", "B", "C"], "unit_slug": ["a", "b", "c"],
...                   "dti_value": [0.8, None, 0.5], "rank": [1, 2, 3], "rank_of": 5,
...                   "framework": "f", "origin": "published"})
>>> p = positions(r, 2022, 63)
>>> p[["rank", "unit_slug", "lo", "hi"]].to_string(index=False)
' rank unit_slug  lo  hi\\n    1         a 0.8 0.8\\n    2         b 0.5 0.8\\n    3         c 0.5 0.5\\n    4      <NA> 0.0 0.5\\n    5      <NA> 0.0 0.5'
>>> rank_range(p, 0.6, exclude="c")
(2, 3)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import DataError, ParameterError
from .frames import results_of


def positions(results: pd.DataFrame, year: int, era: int = 63, *, origin: str = "published",
              with_derived: bool = True) -> pd.DataFrame:
    """One row per rank position of (*year*, *era*): ``rank, unit_slug, unit, value, lo, hi, listed, kind``.

    ``kind`` is ``published`` (value printed), ``rounded`` (printed with ≤ 2 decimals), ``derived``
    (rank published, value from a derived row of the same unit and year, e.g. an unchanged unit's value
    in the other list of 2024; only with *with_derived*), ``bounded`` (value unknown: bounds from the
    neighbours) or ``free`` (position whose unit is not published).  ``above_slug`` / ``below_slug``
    are the listed units whose values bound an unknown one (codes; :func:`value_for_rank` words them).

    Built from plain arrays in four steps: :func:`_year_rows` (the list's rows, derived values filled
    in), :func:`_ranked_rows` (the ranked units checked), :func:`_free_ranks` (the rank numbers nobody
    holds) and :func:`_bounds` (each position's interval and the neighbours that set it).
    """
    df = results if isinstance(results, pd.DataFrame) and "_halfwidth" in results.columns else results_of(results)
    d = _year_rows(df, int(year), int(era), origin, with_derived)
    n = int(d["rank_of"][0])
    ranked = _ranked_rows(d, int(year), int(era), n)
    free = _free_ranks(ranked["rank"], n)
    nf = len(free)
    rank = np.concatenate([ranked["rank"], free])
    listed = np.concatenate([np.ones(len(ranked["rank"]), bool), np.zeros(nf, bool)])
    order = np.lexsort((~listed, rank))          # by rank, a listed unit before a free position; stable
    rank, listed = rank[order], listed[order]
    value = np.concatenate([ranked["value"], np.full(nf, np.nan)])[order]
    half = np.concatenate([ranked["half"], np.zeros(nf)])[order]
    derived = np.concatenate([ranked["derived"], np.zeros(nf, bool)])[order]
    slug = np.concatenate([ranked["slug"], np.full(nf, None, dtype=object)])[order]
    unit = np.concatenate([ranked["unit"], np.full(nf, None, dtype=object)])[order]
    lo, hi, above, below = _bounds(rank, value - half, value + half)
    kind = np.where(~listed, "free", np.where(np.isnan(value), "bounded",
                    np.where(derived, "derived", np.where(half >= 0.004, "rounded", "published"))))
    rows = pd.DataFrame({"rank": rank, "unit_slug": pd.array(slug, dtype="string"),
                         "unit": pd.array(unit, dtype="string"), "value": value, "listed": listed,
                         "derived": derived, "lo": np.round(lo, 10), "hi": np.round(hi, 10), "kind": kind})
    show = np.isin(kind, ["bounded", "free"])
    for col, js in (("above_slug", above), ("below_slug", below)):
        rows[col] = pd.array([slug[j] if show[k] and j >= 0 else None for k, j in enumerate(js)], dtype="string")
    rows["year"] = int(year)
    rows["era"] = int(era)
    rows["rank_of"] = n
    return rows


def _year_rows(df: pd.DataFrame, year: int, era: int, origin: str, with_derived: bool) -> dict:
    """The rows of (*year*, *era*) of *origin* as arrays (``slug, unit, value, half, rank, rank_of, derived``);
    a published row without a value takes the value of a derived row of the same unit (*with_derived*)."""
    here = (df["year"].to_numpy() == year) & (df["era"].to_numpy() == era)
    org = df["origin"].to_numpy()[here]
    value = df["dti_value"].to_numpy(dtype=float)[here]
    slug = df["unit_slug"].to_numpy(dtype=object)[here]
    half = df["_halfwidth"].to_numpy(dtype=float)[here]
    keep = org == origin if origin else np.ones(len(org), bool)
    filled = np.zeros(len(org), bool)
    if with_derived and origin == "published":
        fill: dict = {}
        for i in np.flatnonzero((org == "derived") & ~np.isnan(value)):
            fill.setdefault(slug[i], i)                  # the first derived row of each unit
        for i in np.flatnonzero(keep & np.isnan(value)):
            j = fill.get(slug[i])
            if j is not None:
                value[i], half[i], filled[i] = value[j], half[j], True
    if not keep.any():
        years = ", ".join(str(y) for y in sorted(df.loc[df["era"] == era, "year"].unique()))
        raise ParameterError(f"no {origin or ''} results for {year} (era {era})".replace("  ", " "),
                             column="year", expected="a year present in the results table: " + years)
    return {"slug": slug[keep], "unit": df["unit"].to_numpy(dtype=object)[here][keep], "value": value[keep],
            "half": half[keep], "rank": df["rank"].to_numpy(dtype=float, na_value=np.nan)[here][keep],
            "rank_of": df["rank_of"].to_numpy()[here][keep], "derived": filled[keep]}


def _ranked_rows(d: dict, year: int, era: int, n: int) -> dict:
    """The rows of *d* with a rank (ranks as integers); a unit twice or more ranks than *n* → DataError."""
    has = ~np.isnan(d["rank"])
    out = {k: v[has] for k, v in d.items() if k != "rank_of"}
    out["rank"] = out["rank"].astype(int)
    seen: set = set()
    for s in out["slug"]:
        if s in seen:
            raise DataError(f"unit '{s}' appears twice in {year} (era {era})",
                            expected="one row per unit, year and era")
        seen.add(s)
    if len(out["rank"]) > n:
        raise DataError(f"{len(out['rank'])} ranked units in {year}, more than the list size {n}",
                        expected=f"at most {n} ranks")
    return out


def _free_ranks(ranks: np.ndarray, n: int) -> np.ndarray:
    """The rank numbers 1..*n* nobody holds: not used and not skipped by a tie (a tie at 15 of two units
    skips 16); as many as there are unlisted positions."""
    taken, counts = np.unique(ranks, return_counts=True)
    skipped = {int(r) + i for r, c in zip(taken, counts, strict=True) for i in range(1, int(c))}
    used = set(taken.tolist()) | skipped
    free = [r for r in range(1, n + 1) if r not in used][: n - len(ranks)]
    return np.array(free, dtype=int)


def _bounds(rank: np.ndarray, a: np.ndarray, b: np.ndarray):
    """Each position's ``lo, hi`` (arrays) and the positions that set them (``above``, ``below``: index or −1).

    *rank* is sorted; *a* / *b* are the known lower / upper ends (NaN where unknown).  ``hi`` = the
    smallest upper end ranked above or tied (among equal ones the nearest, i.e. the largest index), at
    most 1; ``lo`` = the largest lower end ranked below or tied (among equal ones the first), at least 0.
    """
    m = len(rank)
    last = np.searchsorted(rank, rank, side="right") - 1    # the last position tied with each one
    first = np.searchsorted(rank, rank, side="left")         # the first position tied with each one
    up_j = np.full(m, -1)
    cur, j = np.inf, -1
    for i in range(m):                                       # running minimum of b, ties → the later one
        if not np.isnan(b[i]) and b[i] <= cur:
            cur, j = b[i], i
        up_j[i] = j
    down_j = np.full(m, -1)
    cur, j = -np.inf, -1
    for i in range(m - 1, -1, -1):                           # running maximum of a from below, ties → the earlier
        if not np.isnan(a[i]) and a[i] >= cur:
            cur, j = a[i], i
        down_j[i] = j
    above, below = up_j[last], down_j[first]
    hi = np.where(above >= 0, np.minimum(1.0, b[np.maximum(above, 0)]), 1.0)
    lo = np.where(below >= 0, np.maximum(0.0, a[np.maximum(below, 0)]), 0.0)
    return lo, hi, above.tolist(), below.tolist()


def _neighbour(pos: pd.DataFrame, slug: str):
    """The listed unit *slug* of *pos* that bounds an unknown value, as words in both languages:
    ``Hà Nội (rank 1, 0.8)``."""
    from ..i18n import Note

    r = pos[pos["unit_slug"].fillna("") == slug].iloc[0]
    value = Note(printed_value(r["value"]), printed_value(r["value"], "vi"))
    return Note.of("ranking.who_derived" if r["derived"] else "ranking.who", unit=r["unit"], rank=int(r["rank"]),
                   value=value)


TOL = 1e-9
"""Two values closer than this are a tie (competition ranking: both get the better rank)."""


def above(a, b):
    """``a`` is ranked above ``b``: higher by more than :data:`TOL` (element-wise for arrays)."""
    return np.asarray(a) > np.asarray(b) + TOL


def rank_of(values, peers) -> np.ndarray:
    """Competition rank of each draw's value among its peers: ``1 + #(peers above)``.

    *values* ``(n,)`` and *peers* ``(n, k)`` (one row of peers per draw) — the rule of :func:`above`.
    """
    v = np.asarray(values, dtype=float)
    return 1 + above(np.asarray(peers, dtype=float), v[:, None]).sum(axis=1)


def draw_in_order(pos: pd.DataFrame, rng: np.random.Generator, n: int, *, exclude: str | None = None,
                  low=None, high=None) -> np.ndarray:
    """``(n, len(positions))`` values for the positions of *pos* (without *exclude*), columns in *pos*'s order.

    Each position with a known value keeps it (a rounded value is drawn in its rounding interval);
    a run of positions with unknown values between two published ones gets **sorted** uniforms
    between them (the order statistics of uniforms), so the best-ranked of the run gets the largest
    value; tied positions share one value.  Finally each value is capped by the one ranked above it
    (a running minimum), which only matters where a rounding interval overlaps its neighbours.  So
    every draw respects the published order: no peer ranked below another ever gets a higher value.
    *low* / *high* override the bounds (arrays in the order of the positions).
    """
    o = _others(pos, exclude)
    perm = np.argsort(o["rank"].to_numpy(int), kind="stable")     # drawn in rank order, returned in pos order
    lo = (o["lo"].to_numpy(float) if low is None else np.asarray(low, float))[perm]
    hi = (o["hi"].to_numpy(float) if high is None else np.asarray(high, float))[perm]
    rk = o["rank"].to_numpy(int)[perm]
    k = len(o)
    out = lo + (hi - lo) * rng.random((n, k))
    key = np.round(lo, 9) * 10 + np.round(hi, 9)
    for g in np.unique(key):
        cols = np.flatnonzero(key == g)
        if len(cols) > 1 and hi[cols[0]] > lo[cols[0]]:
            out[:, cols] = -np.sort(-out[:, cols], axis=1)      # descending: the better rank, the larger
    for r in np.unique(rk):                                       # ties share the value of the first
        cols = np.flatnonzero(rk == r)
        if len(cols) > 1:
            out[:, cols] = out[:, cols[:1]]
    out = np.minimum.accumulate(out, axis=1)
    back = np.empty_like(perm)
    back[perm] = np.arange(len(perm))
    return out[:, back]


def _others(pos: pd.DataFrame, exclude: str | None) -> pd.DataFrame:
    if exclude is None:
        return pos
    return pos[pos["unit_slug"].fillna("") != exclude]


def rank_range(pos: pd.DataFrame, x_lo: float, x_hi: float | None = None, *,
               exclude: str | None = None) -> tuple[int, int]:
    """Best and worst competition rank a value in ``[x_lo, x_hi]`` would have among the positions of *pos*
    (without the unit *exclude*): ``1 + #(surely above)`` .. ``1 + #(possibly above)``."""
    x_hi = x_lo if x_hi is None else x_hi
    o = _others(pos, exclude)
    if exclude is not None and len(o) == len(pos):
        # the unit holds one of the free positions, we do not know which: drop the most favourable
        # one for each bound (one free position fewer above in the best case, none fewer in the worst)
        free = o[~o["listed"]]
        if len(free):
            best = 1 + int(above(o["lo"], x_hi).sum()) - int(above(free["lo"], x_hi).any())
            worst = 1 + int(above(o["hi"], x_lo).sum()) - int(above(free["hi"], x_lo).all())
            return max(1, best), max(1, worst)
    return 1 + int(above(o["lo"], x_hi).sum()), 1 + int(above(o["hi"], x_lo).sum())


def value_for_rank(pos: pd.DataFrame, k: int, *, exclude: str | None = None) -> dict:
    """The value a unit needs to be ranked *k* among the others in *pos*: ``{lo, hi, kind, basis}`` (``basis`` a
    :class:`~dtilib.i18n.Note`: English as a string, ``.text("vi")`` in Vietnamese).

    To be ranked *k* a unit needs at least the value of the *k*-th other unit (a tie shares the
    rank).  That value is known (``published``/``rounded``) or only bounded by the published values
    around it (``bounded``) — the basis says which.
    """
    n = int(pos["rank_of"].iloc[0])
    if not 1 <= int(k) <= n:
        raise ParameterError(f"target rank {k} is outside 1..{n}", column="rank", expected=f"a rank between 1 and {n}")
    o = _others(pos, exclude).sort_values("rank", kind="stable").reset_index(drop=True)
    unknown_self = exclude is not None and len(o) == len(pos)
    from ..i18n import Note

    def num(x):                      # a value as the record prints it, in both languages
        return Note(printed_value(x), printed_value(x, "vi"))

    if k > len(o) - (1 if unknown_self else 0):
        return {"lo": 0.0, "hi": 0.0, "kind": "last", "basis": Note.of("ranking.basis.last", k=k)}
    cand = [k - 1] + ([k] if unknown_self and k < len(o) else [])
    lo = float(min(o.at[i, "lo"] for i in cand))
    hi = float(max(o.at[i, "hi"] for i in cand))
    r = o.loc[k - 1]
    next_allowed = Note.of("ranking.basis.next_allowed") if unknown_self else ""
    if r["kind"] in ("published", "rounded", "derived") and not unknown_self:
        basis = Note.of("ranking.basis.ranked", unit=r["unit"], rank=r["rank"], value=num(r["value"]))
        if r["kind"] == "derived":
            basis += Note.of("ranking.basis.derived")
        if r["kind"] == "rounded":
            basis += Note.of("ranking.basis.rounded", lo=num(lo), hi=num(hi))
        kind = r["kind"]
    elif r["listed"] and abs(float(r["hi"]) - float(r["lo"])) < 1e-9:
        # the value is pinned by the record (e.g. equal neighbours), so say it, not "not published"
        basis = Note.of("ranking.basis.ranked", unit=r["unit"], rank=r["rank"], value=num(r["lo"])) + next_allowed
        kind = "bounded"
    else:
        head = (Note.of("ranking.basis.listed", unit=r["unit"], rank=r["rank"]) if r["listed"]
                else Note.of("ranking.basis.unlisted", rank=r["rank"]))
        # the bounds as numbers when no published neighbour is named (never "between 0 and 1" while the
        # interval printed beside it is narrower)
        below = _neighbour(pos, r["below_slug"]) if pd.notna(r["below_slug"]) else num(r["lo"])
        above = _neighbour(pos, r["above_slug"]) if pd.notna(r["above_slug"]) else num(r["hi"])
        basis = head + Note.of("ranking.basis.between", below=below, above=above) + next_allowed
        kind = "bounded"
    return {"lo": lo, "hi": hi, "kind": kind, "basis": basis}


def printed_value(v, lang: str = "en") -> str:
    """A published value as printed (up to 5 decimals, no trailing zeros), decimal comma in Vietnamese."""
    from ..i18n import fmt_plain

    return fmt_plain(v, lang, 5)


def unit_interval(pos: pd.DataFrame, slug: str) -> tuple[float, float, int | None]:
    """``(lo, hi, rank)`` of a unit in *pos*; ``(nan, nan, None)`` when it is not in the list."""
    hit = pos[pos["unit_slug"].fillna("") == slug]
    if hit.empty:
        return np.nan, np.nan, None
    r = hit.iloc[0]
    return float(r["lo"]), float(r["hi"]), int(r["rank"])
