"""Load and validate framework files (YAML, safe loader only).

Every problem in a framework file becomes one :class:`~dtilib.errors.FrameworkError` naming the
file, the entry (main indicator / sub-indicator id) and the field.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from ..errors import FrameworkError, ParameterError, suggest
from ..formula import Formula
from ..i18n import localized
from ..rules import INPUTS, RULES, check_params

HERE = Path(__file__).parent
ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
SUB_ID_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

TOP_REQUIRED = ["id", "version", "name_vi", "name_en", "legal_source", "level", "years",
                "total_points", "completeness", "main_indicators"]
TOP_OPTIONAL = ["source_url", "sub_indicators", "summaries", "notes", "references"]
MAIN_REQUIRED = ["id", "name_vi", "name_en", "max_points"]
MAIN_OPTIONAL = ["group", "code", "n_sub_indicators", "scored", "source", "notes", "confidence"]
SUMMARY_KEYS = {"id", "name_vi", "name_en", "components", "source", "notes"}
SUB_REQUIRED = ["id", "main", "name_vi", "max_points", "rule"]
SUB_OPTIONAL = ["name_en", "code", "params", "inputs", "formula", "share", "responsible", "source", "confidence",
                "target", "notes", "source_text", "recognised_from"]
PART_KEYS = {"id", "points", "rule", "params", "formula", "name_vi", "name_en"}


@dataclass
class Framework:
    """A validated framework: metadata, main indicators and sub-indicators as DataFrames."""

    id: str
    version: str
    name_vi: str
    name_en: str
    legal_source: str
    level: str
    years: tuple[int, int | None]
    total_points: float | None
    completeness: str
    main: pd.DataFrame
    sub: pd.DataFrame
    summaries: list[dict] = field(default_factory=list)
    source_url: str | None = None
    path: str | None = None
    formulas: dict[str, Formula] = field(default_factory=dict, repr=False)

    def covers(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)

    @property
    def scored_main(self) -> pd.DataFrame:
        return self.main[self.main["scored"]]

    @property
    def weights_known(self) -> bool:
        """True when every scored main indicator has a known max (so DTI can be aggregated)."""
        t = self.total_points
        return (t is not None and math.isfinite(t) and t > 0 and len(self.scored_main) > 0
                and bool(self.scored_main["max_points"].notna().all()))

    def require_weights(self) -> None:
        """Raise the one error every command gives for a framework whose main-indicator points are not
        all known (a DTI value cannot be computed, nor the worth of a point)."""
        if not self.weights_known:
            from ..errors import FrameworkError

            raise FrameworkError(
                f"framework {self.id} does not state the points of every main indicator, so DTI values (and what "
                f"a point is worth) cannot be computed (see `dti frameworks {self.id}`)",
                expected="a framework with known max_points for every scored main indicator, e.g. vn-province-922")

    def main_max(self) -> pd.Series:
        return self.main.set_index("id")["max_points"]

    def sub_info(self, sub_id: str) -> dict:
        return self.sub.set_index("id").loc[sub_id].to_dict()

    def name(self, lang: str = "vi") -> str:
        return localized(self, "name", lang)

    def coverage(self) -> dict:
        """How much of the framework can be scored from inputs: computed from the file, not prose.

        * ``points_known`` — points of the sub-indicators (of scored main indicators) with a known rule
          and a known max, of ``total_points``;
        * ``unknown_rule`` — ids of sub-indicators whose rule (or max) is not known;
        * ``unfilled`` — main indicators whose listed sub-indicators do not fill their max, as
          ``{id: (listed points, max)}`` (missing slots or unknown maxima).

        Points outside ``points_known`` are never counted as lost: they are not scored.
        """
        scored = set(self.scored_main["id"])
        s = self.sub[self.sub["main"].isin(scored)]
        known = (s["rule"] != "unknown") & s["max_points"].notna()
        listed = s.groupby("main")["max_points"].sum(min_count=1)
        unfilled = {}
        for m in self.scored_main.itertuples(index=False):
            got = float(listed.get(m.id, 0.0)) if pd.notna(listed.get(m.id, float("nan"))) else 0.0
            if pd.isna(m.max_points) or got < float(m.max_points) - 1e-6:
                unfilled[m.id] = (got, None if pd.isna(m.max_points) else float(m.max_points))
        return {"total_points": self.total_points, "points_known": float(s.loc[known, "max_points"].sum()),
                "n_sub": len(s), "n_sub_known": int(known.sum()),
                "unknown_rule": list(s.loc[~known, "id"]), "unfilled": unfilled}

    def __repr__(self) -> str:
        last = self.years[1] if self.years[1] is not None else "…"
        known = int((self.sub["rule"] != "unknown").sum()) if len(self.sub) else 0
        return (f"<Framework {self.id} v{self.version}: {self.legal_source}, {self.years[0]}–{last}, "
                f"{len(self.scored_main)} scored main indicators, {len(self.sub)} sub-indicators "
                f"({known} with a known rule)>")


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader (libyaml's when available) refusing duplicate mapping keys (YAML keeps the last)."""


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def shipped() -> dict[str, Path]:
    """Shipped framework ids → file paths."""
    return {p.stem: p for p in sorted(HERE.glob("*.yaml"))}


def load_framework(name_or_path) -> Framework:
    """Load a shipped framework by id (``"vn-province-922"``) or any framework file by path."""
    if isinstance(name_or_path, Framework):
        return name_or_path
    text = str(name_or_path)
    path = Path(text)
    display = text
    if path.suffix.lower() in {".yaml", ".yml"} or path.exists():
        if not path.exists():
            raise FrameworkError("framework file not found", file=text, expected="an existing .yaml file")
        path = path.resolve()
    else:
        known = shipped()
        if text not in known:
            raise ParameterError(
                f"unknown framework '{text}'{suggest(text, known)}",
                expected="one of " + ", ".join(known) + " or the path of a framework .yaml file")
        path = known[text]
        display = str(path.relative_to(HERE.parent.parent)) if path.is_relative_to(HERE.parent.parent) else str(path)
    return _load_cached(str(path), path.stat().st_mtime_ns, display)


@functools.lru_cache(maxsize=64)
def _load_cached(path: str, _mtime: int, display: str) -> Framework:
    """Parse *path* (cached on path and modification time); messages name the file as *display*."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FrameworkError("not valid UTF-8", file=display, expected="a UTF-8 text file") from None
    fw = parse_framework(text, display)
    fw.path = path
    return fw


def parse_framework(text: str, file: str = "<framework>") -> Framework:
    """Validate framework YAML *text* (from *file*, used in messages) and build a :class:`Framework`."""
    doc = _read_yaml(text, file)

    def err(msg, entry=None, fld=None, expected=None):
        return FrameworkError(msg, file=file, row=entry, column=fld, expected=expected)

    fid, years, total = _check_header(doc, err)
    main = _main_table(doc["main_indicators"], total, err)
    sub, formulas = _sub_table(doc.get("sub_indicators") or [], set(main["id"]), err, file)
    _check_sub_maxima(main, sub, err)
    summaries = doc.get("summaries") or []
    _check_summaries(summaries, set(main["id"]), err)
    return Framework(
        id=fid, version=str(doc["version"]), name_vi=doc["name_vi"], name_en=doc["name_en"],
        legal_source=doc["legal_source"], level=str(doc["level"]), years=(years[0], years[1]),
        total_points=total, completeness=doc["completeness"], main=main, sub=sub, summaries=summaries,
        source_url=doc.get("source_url"), path=file, formulas=formulas,
    )


def _read_yaml(text: str, file: str) -> dict:
    """The YAML mapping of *text* (safe loading, no duplicate keys), or one clear error with its line."""
    try:
        doc = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:
        mark = exc.problem_mark
        raise FrameworkError(f"YAML not allowed here: {exc.problem}", file=file,
                             row=None if mark is None else mark.line + 1,
                             expected="plain YAML (no tags that construct objects, no duplicate keys)") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise FrameworkError(f"invalid YAML: {getattr(exc, 'problem', exc)}", file=file,
                             row=None if mark is None else mark.line + 1, expected="valid YAML") from None
    if not isinstance(doc, dict):
        raise FrameworkError("the file is empty or not a mapping", file=file,
                             expected="a YAML mapping with keys " + ", ".join(TOP_REQUIRED))
    return doc


def _check_header(doc: dict, err) -> tuple[str, list, float | None]:
    """The top-level keys; returns the id, the years and the total points (``None`` when unknown)."""
    _check_keys(doc, TOP_REQUIRED, TOP_OPTIONAL, err, None)
    fid = doc["id"]
    if not isinstance(fid, str) or not ID_RE.match(fid):
        raise err(f"id {fid!r} is not valid", fld="id", expected="letters, digits, '-', '_' or '.'")
    years = doc["years"]
    if (not isinstance(years, list) or len(years) != 2 or not isinstance(years[0], int)
            or not (years[1] is None or isinstance(years[1], int)) or (years[1] is not None and years[1] < years[0])):
        raise err(f"years {years!r} is not valid", fld="years", expected="[first_year, last_year or null]")
    return fid, years, _number_or_null(doc["total_points"], err, None, "total_points")


def _main_table(mains, total: float | None, err) -> pd.DataFrame:
    """The main indicators as a table (ids unique, maxima adding up to *total* when all are known)."""
    if not isinstance(mains, list) or not mains:
        raise err("main_indicators must be a non-empty list", fld="main_indicators")
    main_rows = []
    for i, m in enumerate(mains, 1):
        if not isinstance(m, dict):
            raise err("entry is not a mapping", entry=f"main_indicators #{i}")
        entry = f"main indicator '{m.get('id', '?')}' (#{i})"
        _check_keys(m, MAIN_REQUIRED, MAIN_OPTIONAL, err, entry)
        if not isinstance(m["id"], str) or not SUB_ID_RE.match(m["id"]):
            raise err(f"id {m['id']!r} is not valid", entry, "id", "letters, digits and '_'")
        mx = _number_or_null(m["max_points"], err, entry, "max_points")
        scored = m.get("scored", True)
        if not isinstance(scored, bool):
            raise err(f"scored = {scored!r}", entry, "scored", "true or false")
        n = m.get("n_sub_indicators")
        if n is not None and (not isinstance(n, int) or n < 0):
            raise err(f"n_sub_indicators = {n!r}", entry, "n_sub_indicators", "an integer ≥ 0")
        main_rows.append({"id": m["id"], "name_vi": m["name_vi"], "name_en": m["name_en"],
                          "group": m.get("group"), "max_points": mx, "scored": scored and mx != 0,
                          "n_sub_indicators": n, "source": m.get("source")})
    main = pd.DataFrame(main_rows, dtype=object)
    main["max_points"] = main["max_points"].astype(float)
    main["scored"] = main["scored"].astype(bool)
    dup = main["id"][main["id"].duplicated()].tolist()
    if dup:
        raise err(f"duplicate main indicator id '{dup[0]}'", f"main indicator '{dup[0]}'", "id", "unique ids")
    scored_max = main.loc[main["scored"], "max_points"]
    if total is not None and scored_max.notna().all() and abs(scored_max.sum() - total) > 1e-6:
        raise err(f"main indicator maxima add up to {scored_max.sum():g}, but total_points is {total:g}",
                  fld="total_points", expected="total_points = sum of the main indicators' max_points")
    return main


SUB_COLUMNS = ["id", "code", "main", "name_vi", "name_en", "max_points", "rule", "kind", "params", "inputs", "formula",
               "input_names", "input_kinds", "share", "responsible", "source", "confidence", "target", "notes",
               "source_text"]


def _sub_table(subs, main_ids: set, err, file: str) -> tuple[pd.DataFrame, dict]:
    """The sub-indicators as a table (ids unique and distinct from the main indicators'), and their
    parsed formulas by id (``sub`` or ``sub.part``)."""
    if not isinstance(subs, list):
        raise err("sub_indicators must be a list", fld="sub_indicators")
    formulas: dict = {}
    sub_rows = [_sub_row(s, i, main_ids, formulas, err, file) for i, s in enumerate(subs, 1)]
    sub = pd.DataFrame(sub_rows, columns=SUB_COLUMNS, dtype=object)
    sub["max_points"] = sub["max_points"].astype(float)
    dup = sub["id"][sub["id"].duplicated()].tolist()
    if dup:
        raise err(f"duplicate sub-indicator id '{dup[0]}'", f"sub-indicator '{dup[0]}'", "id", "unique ids")
    clash = sorted(set(sub["id"]) & main_ids)
    if clash:
        raise err(f"sub-indicator id '{clash[0]}' is also a main indicator id", f"sub-indicator '{clash[0]}'",
                  "id", "ids distinct from the main indicators'")
    return sub, formulas


def _sub_row(s, i: int, main_ids: set, formulas: dict, err, file: str) -> dict:
    """One sub-indicator entry checked (keys, main, rule and its parameters, inputs, formula, share) as a
    row of the sub-indicator table; its formula(s) are added to *formulas*."""
    if not isinstance(s, dict):
        raise err("entry is not a mapping", entry=f"sub_indicators #{i}")
    entry = f"sub-indicator '{s.get('id', '?')}' (#{i})"
    _check_keys(s, SUB_REQUIRED, SUB_OPTIONAL, err, entry)
    sid = s["id"]
    if not isinstance(sid, str) or not SUB_ID_RE.match(sid):
        raise err(f"id {sid!r} is not valid", entry, "id", "a letter, then letters, digits and '_'")
    if s["main"] not in main_ids:
        raise err(f"unknown main indicator '{s['main']}'{suggest(str(s['main']), main_ids)}", entry, "main",
                  "one of " + ", ".join(sorted(main_ids)))
    mx = _number_or_null(s["max_points"], err, entry, "max_points")
    rule = s["rule"]
    if rule not in RULES:
        raise err(f"unknown rule '{rule}'{suggest(str(rule), RULES)}", entry, "rule",
                  "one of " + ", ".join(RULES))
    params = s.get("params") or {}
    if not isinstance(params, dict):
        raise err("params must be a mapping", entry, "params")
    problem = check_params(rule, params, mx)
    if problem:
        raise err(problem, entry, "params")
    inputs = s.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise err("inputs must be a mapping name → description", entry, "inputs")
    for name in inputs:
        if not isinstance(name, str) or not SUB_ID_RE.match(name) or name in {"min", "max"}:
            raise err(f"input name {name!r} is not valid", entry, "inputs", "a letter, then letters/digits/_")
    formula = s.get("formula")
    kind = RULES[rule].input
    if formula not in (None, ""):
        if kind != "ratio":
            raise err(f"rule '{rule}' does not take a formula", entry, "formula")
        formulas[sid] = Formula.parse(formula, inputs=list(inputs), file=file, where=entry)
        kinds = {name: ("amount", {}) for name in formulas[sid].names}
    elif kind in INPUTS:
        kinds = {kind: (kind, params)}
    else:
        kinds = {}
    if rule == "additive":
        kinds = _check_parts(params["parts"], mx, inputs, formulas, sid, err, entry, file)
    share = s.get("share", RULES[rule].share)
    if not isinstance(share, bool):
        raise err(f"share = {share!r}", entry, "share", "true or false")
    return {
        "id": sid, "code": s.get("code"), "main": s["main"], "name_vi": s["name_vi"], "name_en": s.get("name_en"),
        "max_points": mx, "rule": rule, "kind": RULES[rule].kind, "params": params,
        "inputs": inputs, "formula": formula or None, "input_names": tuple(kinds), "input_kinds": kinds, "share": share,
        "responsible": s.get("responsible"), "source": s.get("source"),
        "confidence": s.get("confidence"), "target": s.get("target"), "notes": s.get("notes"),
        "source_text": s.get("source_text"),
    }


def _check_sub_maxima(main: pd.DataFrame, sub: pd.DataFrame, err) -> None:
    """Per main indicator: no more sub-indicators than announced, and their maxima within (all known and
    complete: equal to) the main indicator's max."""
    for _, m in main.iterrows():
        rows = sub[sub["main"] == m["id"]]
        n = m["n_sub_indicators"]
        entry = f"main indicator '{m['id']}'"
        if n is not None and not pd.isna(n) and len(rows) > n:
            raise err(f"{len(rows)} sub-indicators listed, but n_sub_indicators is {int(n)}", entry,
                      "n_sub_indicators", "no more sub-indicators than n_sub_indicators")
        known = rows["max_points"].dropna()
        if pd.notna(m["max_points"]) and known.sum() > m["max_points"] + 1e-6:
            raise err(f"sub-indicator maxima add up to {known.sum():g}, more than the max {m['max_points']:g}",
                      entry, "max_points", "sub-indicator maxima that add up to the main indicator's max")
        complete = n is not None and not pd.isna(n) and len(rows) == n and rows["max_points"].notna().all()
        if complete and pd.notna(m["max_points"]) and abs(known.sum() - m["max_points"]) > 1e-6:
            raise err(f"sub-indicator maxima add up to {known.sum():g}, but the max is {m['max_points']:g}",
                      entry, "max_points", "sub-indicator maxima that add up to the main indicator's max")


def _check_summaries(summaries, main_ids: set, err) -> None:
    """Each pillar summary has an id and components that are main indicators."""
    if not isinstance(summaries, list):
        raise err("summaries must be a list", fld="summaries")
    for i, sm in enumerate(summaries, 1):
        entry = f"summary '{sm.get('id', '?') if isinstance(sm, dict) else '?'}' (#{i})"
        if not isinstance(sm, dict) or not isinstance(sm.get("components"), list) or not sm.get("id"):
            raise err("a summary needs an id and a list of components", entry, "components")
        extra = set(sm) - SUMMARY_KEYS
        if extra:
            raise err(f"unknown key '{sorted(extra)[0]}'", entry, sorted(extra)[0], "keys " + ", ".join(sorted(SUMMARY_KEYS)))
        bad = [c for c in sm["components"] if c not in main_ids]
        if bad:
            raise err(f"unknown component '{bad[0]}'", entry, "components", "main indicator ids")


def _check_parts(parts, mx, inputs, formulas, sid, err, entry, file) -> dict[str, tuple[str, dict]]:
    kinds: dict[str, tuple[str, dict]] = {}
    total = 0.0
    for j, p in enumerate(parts, 1):
        pentry = f"{entry} part #{j}"
        if not isinstance(p, dict) or "id" not in p or "rule" not in p or "points" not in p:
            raise err("each part needs id, points and rule", pentry, "params.parts")
        extra = set(p) - PART_KEYS
        if extra:
            raise err(f"unknown key(s) {', '.join(sorted(extra))}", pentry, "params.parts",
                      "keys " + ", ".join(sorted(PART_KEYS)))
        if not isinstance(p["id"], str) or not SUB_ID_RE.match(p["id"]):
            raise err(f"part id {p['id']!r} is not valid", pentry, "params.parts")
        if p["rule"] not in RULES or not RULES[p["rule"]].plannable:
            raise err(f"part rule '{p['rule']}' is not allowed", pentry, "params.parts",
                      "a rule other than additive/unknown")
        pts = _number_or_null(p["points"], err, pentry, "params.parts.points")
        if pts is None:
            raise err("part points are unknown", pentry, "params.parts.points", "a number")
        total += pts
        problem = check_params(p["rule"], p.get("params") or {}, pts)
        if problem:
            raise err(problem, pentry, "params.parts")
        if p.get("formula"):
            if RULES[p["rule"]].input != "ratio":
                raise err(f"rule '{p['rule']}' does not take a formula", pentry, "params.parts.formula")
            f = Formula.parse(p["formula"], inputs=list(inputs), file=file, where=pentry)
            formulas[f"{sid}.{p['id']}"] = f
            kinds.update({name: ("amount", {}) for name in f.names})
        else:
            kinds[p["id"]] = (RULES[p["rule"]].input, p.get("params") or {})
    if mx is not None and abs(total - mx) > 1e-6:
        raise err(f"parts add up to {total:g} points, but max_points is {mx:g}", entry, "params.parts",
                  "part points that add up to max_points")
    return kinds


def _check_keys(d: dict, required, optional, err, entry) -> None:
    for k in required:
        if k not in d:
            raise err(f"missing '{k}'", entry, k, f"a value for '{k}'")
    extra = [k for k in d if k not in required and k not in optional]
    if extra:
        raise err(f"unknown key '{extra[0]}'{suggest(str(extra[0]), list(required) + list(optional))}", entry,
                  extra[0], "keys " + ", ".join(list(required) + list(optional)))


def _number_or_null(v, err, entry, fld):
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v) or v < 0:
        raise err(f"{fld} = {v!r} is not valid", entry, fld, "a number ≥ 0, or null when unknown")
    return float(v)


def list_frameworks() -> pd.DataFrame:
    """A table of the shipped frameworks (id, decision, years, level, completeness)."""
    rows = []
    for fid in shipped():
        fw = load_framework(fid)
        rows.append({"id": fw.id, "legal_source": fw.legal_source, "level": fw.level,
                     "first_year": fw.years[0], "last_year": fw.years[1], "total_points": fw.total_points,
                     "n_main": len(fw.scored_main), "n_sub": len(fw.sub),
                     "n_sub_known_rule": int((fw.sub["rule"] != "unknown").sum()) if len(fw.sub) else 0,
                     "points_known": (cov := fw.coverage())["points_known"],
                     "n_main_unfilled": len(cov["unfilled"]), "completeness": fw.completeness})
    out = pd.DataFrame(rows)
    out["last_year"] = out["last_year"].astype("Int64")
    return out


def framework_for_year(year: int, level: str = "province") -> str:
    """Id of the shipped framework of *level* that scored *year* (e.g. 2022 → ``vn-province-922``)."""
    hits = []
    for fid in shipped():
        fw = load_framework(fid)
        if fw.level == level and fw.covers(int(year)) and "illustrative" not in fw.id:
            hits.append(fid)
    if len(hits) != 1:
        what = "no" if not hits else "more than one"
        raise ParameterError(f"{what} shipped {level} framework covers year {year}"
                             + (f" ({', '.join(hits)})" if hits else ""),
                             expected=f"a year covered by exactly one {level} framework")
    return hits[0]
