"""Candidate actions for one unit, generated from the framework's rules and priced in points by the real scorer.

For every sub-indicator where the unit is below the max, :func:`candidate_actions` lists what could be
done: the steps its rule type offers (``steps`` of its class in :mod:`dtilib.rules`, which holds each
rule's knowledge); this module turns a ratio step into the change of one formula input and measures
every step with the scorer (the task's wording: :mod:`dtilib.effort.tasks`).  The shipped rules offer:

* ``binary`` — meet the criterion (input ``value`` 0 → 1);
* ``tiered`` — move to each higher tier (one action per higher tier);
* ``count_steps`` — reach each higher step (``count`` raised to the step's threshold);
* ratio rules (``linear``, ``linear_capped``, ``all_or_nothing``, ``min_max``) — raise the ratio in steps
  (default +10 percentage points from the current ratio) and to the cap: the threshold
  (``linear_capped``, ``all_or_nothing``), 100 % (``linear``) or the leader's ratio (``min_max``: the
  highest ratio of the units scored together, which gets the max).  With a formula the action says which
  input moves and by how much: ``b +k`` where ``k`` is the smallest (whole, when the unit's inputs are
  whole numbers) change that reaches the target ratio — for ``b/a`` that is ``k = Δratio × a``;
* ``additive`` — each part separately, with the part's own rule.

**Points are never computed by a separate formula.**  Each action's gain is measured by changing the
unit's inputs and calling :func:`dtilib.scoring.score` on *all* units in the data (plus any
``peer_ratios``), then comparing with the baseline.  So a min–max action changes the points of the
peers too; the action records those changes (``peer_delta``), and the set records which units' data
were used (``ActionSet.peers``).  Scoring is batched: one scorer call applies one action of *each*
sub-indicator at once, which is exact because the scorer scores every sub-indicator independently
(a test checks batched = one-at-a-time).

Alternative levels of one sub-indicator exclude each other: they share an ``option_group`` (the
sub-indicator id; for additive sub-indicators ``id.part``, since parts add up independently).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import i18n
from ..errors import DataError, ParameterError, suggest
from ..formula import Formula, ZeroDenominator
from ..frameworks import Framework, load_framework
from ..inputs import read_unit_data
from ..rules import RULES, Step
from ..rules import num_text as _num
from ..scoring import POINTS, ScoreResult, score, with_peers
from .tasks import task_text

EPS = 1e-9


ACTION_COLUMNS = [
    "action_id", "unit", "indicator", "part", "main", "option_group", "rule", "step_kind", "lever",
    "input_from", "input_to", "input_delta", "input_unit", "ratio_from", "ratio_to", "target",
    "points_from", "points_to", "gain", "max_points", "peer_delta", "description_vi", "description_en",
    "name_vi", "name_en", "responsible", "change", "leader",
]


@dataclass
class _Candidate:
    indicator: str
    part: str | None
    option_group: str
    rule: str
    changes: list                  # [(input name, num or None, level or None)]
    lever: str
    step: Step                     # kind, input from → to, size and unit, target tag, ratios, leader


@dataclass
class ActionSet:
    """Candidate actions of one unit, with the data and baseline they were measured against.

    * ``actions`` — one row per action (columns :data:`ACTION_COLUMNS`); ``gain`` is the change of the
      unit's total points measured by the real scorer, ``peer_delta`` a dict unit → change of that
      peer's total (non-empty only for min–max items).
    * ``status`` — one row per sub-indicator: current points, max, number of actions and a note
      (``below_max``, ``at_max``, ``missing_data``, ``unknown_rule``, ``unknown_max``, ``no_lever``, ``error``).
    * ``peers`` — the other units scored together (their data feed min–max items); ``peer_ratios``
      the extra peer ratios given.
    """

    unit: str
    framework: Framework
    year: int | None
    data: pd.DataFrame
    base: ScoreResult
    actions: pd.DataFrame
    status: pd.DataFrame
    peers: list[str]
    peer_ratios: dict
    changes: dict[str, list]
    provenance: dict = field(default_factory=dict)

    @property
    def units(self) -> list[str]:
        return [self.unit] + list(self.peers)

    def peers_note(self, lang: str = "en") -> str:
        """Which peers' data the min–max items were scored against (for every output)."""
        mm = [s.id for s in self.framework.sub.itertuples() if RULES[s.rule].peer]
        mm += [f"{s.id}.{p['id']}" for s in self.framework.sub.itertuples() if s.rule == "additive"
               for p in s.params["parts"] if RULES[p["rule"]].peer]
        from ..io import display_path

        src = display_path(self.provenance["inputs"]) if self.provenance.get("inputs") else ""
        extra = {k: len(v) for k, v in (self.peer_ratios or {}).items() if v is not None and len(v)}
        if not mm:
            return i18n.t("effort.peers.no_min_max", lang)
        peers = ", ".join(self.peers) if self.peers else i18n.t("effort.peers.none", lang)
        text = i18n.t("effort.peers.head", lang, items=", ".join(mm), src=src, peers=peers)
        if extra:
            text += i18n.t("effort.peers.extra", lang, given="; ".join(f"{k}: {n}" for k, n in extra.items()))
        if self.provenance.get("peers_file"):
            text += i18n.t("effort.peers.file", lang, file=display_path(self.provenance["peers_file"]))
        if not self.peers and not extra:
            text += i18n.t("effort.peers.alone", lang)
        return text

    def scored_on_note(self, lang: str = "en") -> str:
        """"scored on X of Y points" for the unit (points not scored are never counted as lost)."""
        from ..scoring import scored_on_text

        t = self.base.total[self.base.total["unit"] == self.unit].iloc[0]
        y = None if pd.isna(t["max_points"]) else float(t["max_points"])
        text = f"{self.unit}: " + scored_on_text(float(t["scored_on"]), y, lang)
        if y is not None and t["scored_on"] < y - 1e-6:
            text += (" — " + i18n.t("score.not_counted", lang, z=i18n.fmt_number(y - t["scored_on"], lang, 2))
                     + i18n.t("effort.rank_known_only", lang))
        return text

    def apply(self, action_ids) -> pd.DataFrame:
        """The unit data with the given actions applied (at most one per option group)."""
        ids = list(action_ids)
        groups = self.actions.set_index("action_id").loc[ids, "option_group"] if ids else pd.Series(dtype=str)
        dup = groups[groups.duplicated()]
        if len(dup):
            raise ParameterError(f"two actions of option group '{dup.iloc[0]}' chosen together",
                                 column="actions", expected="at most one action per option group")
        changes = []
        for a in ids:
            if a not in self.changes:
                raise ParameterError(f"unknown action '{a}'{suggest(a, self.changes)}", column="actions")
            changes += self.changes[a]
        return _apply_changes(self.data, self.unit, changes, self.year)

    def rescore(self, action_ids) -> ScoreResult:
        """Score all units with the given actions applied together (the real scorer)."""
        return score(self.framework, self.apply(action_ids), peer_ratios=self.peer_ratios)


def candidate_actions(framework, unit_data, unit: str, *, year: int | None = None, peers=None,
                      peer_ratios: dict | None = None, step: float = 0.10, levers: dict | None = None,
                      file: str | None = None) -> ActionSet:
    """Candidate actions of *unit* from *unit_data* (path or DataFrame, long format) under *framework*.

    ``year`` picks one year when the data has a ``year`` column (default: the latest); ``step`` is the
    ratio step (0.10 = +10 percentage points); ``levers`` maps a sub-indicator id (or ``id.part``) to the
    formula input to move (default: the first input whose increase raises the ratio).  *unit_data* may
    be raw inputs, a score sheet or both (see :func:`dtilib.scoring.score`); *peers* (a file or
    DataFrame ``unit, indicator, ratio``) adds the ratios of units not in the data to the min–max pool.
    """
    fw = load_framework(framework)
    if not 0 < step <= 1:
        raise ParameterError(f"ratio step {step!r} is not in (0, 1]", column="step",
                             expected="a share such as 0.1 (= 10 percentage points)")
    data = unit_data if _parsed(unit_data) else read_unit_data(unit_data, fw, file=file)
    fname = str(data["_file"].iloc[0]) if len(data) else (file or "<data>")
    data, year = _one_year(data, year, fname)
    unit, units = _check_unit(data, unit, fname)
    levers = dict(levers or {})
    peer_ratios, peer_file, _ = with_peers(fw, peers, peer_ratios)
    data, base = _baseline(fw, data, peer_ratios)
    cands, status_rows = _all_candidates(fw, data, unit, base, step, levers, peer_ratios)
    measured, errors = _measure(fw, data, unit, year, cands, base, peer_ratios)
    rows, changes = _action_rows(fw, data, unit, base, cands, measured)
    actions = pd.DataFrame(rows, columns=ACTION_COLUMNS)
    status = pd.DataFrame(status_rows)
    for ind, msg in errors.items():
        status.loc[status["indicator"] == ind, "note"] = "error"
        status.loc[status["indicator"] == ind, "error"] = msg
    prov = {"framework": fw.id, "framework_file": fw.path, "inputs": fname, "year": year, "unit": unit,
            "ratio_step": step, "scored_with": units, "peers_file": peer_file}
    return ActionSet(unit, fw, year, data, base, actions, status, [u for u in units if u != unit],
                     peer_ratios, changes, prov)


def _one_year(data: pd.DataFrame, year, fname) -> tuple[pd.DataFrame, int | None]:
    """The rows of *year* (default: the latest) when the data has a year column."""
    if "year" in data.columns:
        years = sorted(data["year"].unique())
        if year is None:
            year = int(years[-1])
        elif year not in years:
            raise ParameterError(f"year {year} is not in {fname}", column="year",
                                 expected="one of " + ", ".join(map(str, years)))
        return data[data["year"] == year].reset_index(drop=True), year
    if year is not None:
        raise ParameterError(f"year {year} given but {fname} has no year column", column="year",
                             expected="no --year for a file of one year, or a year column in the file")
    return data, year


def _check_unit(data: pd.DataFrame, unit: str, fname) -> tuple[str, list[str]]:
    """*unit* as the data names it (typed in any case, with or without diacritics:
    :func:`dtilib.units.find_unit`) and the units of the data (first-appearance order)."""
    from ..units import check_unit_choice

    units = list(dict.fromkeys(data["unit"]))
    return check_unit_choice(unit, units, fname), units


def _baseline(fw, data: pd.DataFrame, peer_ratios: dict) -> tuple[pd.DataFrame, ScoreResult]:
    """The data the actions change and its score: score-sheet points that agree with the raw inputs are
    dropped (the inputs carry the actions)."""
    base = score(fw, data, peer_ratios=peer_ratios)
    both = base.sub[base.sub["origin"] == "both"]
    if len(both):
        drop = set(zip(both["unit"], both["indicator"], strict=True))
        redundant = (data["input"] == POINTS) & pd.Series(list(zip(data["unit"], data["indicator"], strict=True)),
                                                          index=data.index).isin(drop)
        data = data[~redundant].reset_index(drop=True)
        base = score(fw, data, peer_ratios=peer_ratios)
    return data, base


def _all_candidates(fw, data, unit, base, step, levers, peer_ratios) -> tuple[list[_Candidate], list[dict]]:
    """The candidates of every sub-indicator below its max, and one status row per sub-indicator."""
    bsub = base.sub.set_index(["unit", "indicator"])
    state = _unit_state(data, unit)
    cands: list[_Candidate] = []
    status_rows = []
    for s in fw.sub.itertuples(index=False):
        row = bsub.loc[(unit, s.id)]
        mx = float(row["max_points"])
        st = {"indicator": s.id, "main": s.main, "rule": s.rule, "points": row["points"],
              "max_points": mx, "n_actions": 0, "note": ""}
        if row["status"] != "ok":
            st["note"] = {"unknown_rule": "unknown_rule", "unknown_max": "unknown_max"}.get(row["status"],
                                                                                         "missing_data")
        elif row["points"] >= mx - 1e-6:
            st["note"] = "at_max"
        else:
            if row["origin"] == "points":
                new = _points_candidates(s, mx, float(row["points"]), step)
            elif s.rule == "additive":
                new = [c for p in s.params["parts"]
                       for c in _candidates_for(fw, data, unit, state, s, p["id"], p["rule"], p.get("params") or {},
                                                p.get("formula"), float(p["points"]), step, levers, peer_ratios)]
            else:
                new = _candidates_for(fw, data, unit, state, s, None, s.rule, s.params, s.formula, mx, step,
                                      levers, peer_ratios)
            st["note"] = "below_max" if new else "no_lever"
            st["n_actions"] = len(new)
            cands += new
        status_rows.append(st)
    return cands, status_rows


def _action_rows(fw, data, unit, base, cands, measured) -> tuple[list[dict], dict]:
    """One row per measured candidate (columns :data:`ACTION_COLUMNS`), and each action's input changes."""
    info = fw.sub.set_index("id")
    bsub = base.sub.set_index(["unit", "indicator"])
    unit_max = bsub.xs(unit, level="unit")["max_points"] if len(bsub) else pd.Series(dtype=float)
    unit_rows = data[data["unit"] == unit]
    resp_col = unit_rows.set_index("indicator")["responsible"] if "responsible" in data.columns else None
    rows, changes = [], {}
    for c, m in zip(cands, measured, strict=True):
        if m is None:
            continue
        aid = _action_id(c, changes)
        changes[aid] = [(c.indicator,) + tuple(x) for x in c.changes]
        s = info.loc[c.indicator]
        responsible = s["responsible"] or ""
        if resp_col is not None and c.indicator in resp_col.index:
            r = resp_col.loc[c.indicator]
            r = r.iloc[0] if isinstance(r, pd.Series) else r
            if isinstance(r, str) and r.strip() and r.strip().lower() != "nan":
                responsible = r.strip()
        rows.append({
            "action_id": aid, "unit": unit, "indicator": c.indicator, "part": c.part or "", "main": s["main"],
            "option_group": c.option_group, "rule": c.rule, "step_kind": c.step.kind, "lever": c.lever,
            "input_from": c.step.input_from, "input_to": c.step.input_to, "input_delta": float(c.step.delta),
            "input_unit": c.step.unit, "ratio_from": c.step.ratio_from, "ratio_to": c.step.ratio_to,
            "target": c.step.target,
            "points_from": m["from"], "points_to": m["to"], "gain": m["gain"], "max_points": unit_max[c.indicator],
            "peer_delta": m["peers"], "leader": c.step.leader,
            "name_vi": s["name_vi"], "name_en": s["name_en"] or s["name_vi"], "responsible": responsible,
            "change": "; ".join(f"{n}={lv if lv is not None else _num(v)}" for n, v, lv in c.changes),
        })
        sub = s.to_dict() | {"id": c.indicator}
        rows[-1] |= {f"description_{lg}": task_text(rows[-1], sub, lg) for lg in i18n.LANGS}   # one wording
    return rows, changes


# ---------------------------------------------------------------------------------------------- helpers
def _parsed(x) -> bool:
    return isinstance(x, pd.DataFrame) and {"num", "level", "_row", "_file"} <= set(x.columns)


def _unit_state(data: pd.DataFrame, unit: str) -> dict:
    """(indicator, input) → (num, level) for the unit."""
    u = data[data["unit"] == unit]
    return {(i, n): (num, lvl) for i, n, num, lvl in zip(u["indicator"], u["input"], u["num"], u["level"],
                                                       strict=True)}


def _action_id(c: _Candidate, taken: dict) -> str:
    base = c.option_group + ":" + c.step.target
    aid, k = base, 2
    while aid in taken:
        aid, k = f"{base}#{k}", k + 1
    return aid


def _from_step(s, part, group, rule, st: Step, name, to=None) -> _Candidate:
    """A candidate from a rule's step; *to* sets input *name* to another value (a score sheet's points)."""
    change = (name, to, None) if to is not None else (name, None, st.to) if st.level else (name, float(st.to), None)
    return _Candidate(s.id, part, group, rule, [change], name, st)


def _candidates_for(fw, data, unit, state, s, part, rule, params, formula, mx, step, levers,
                    peer_ratios) -> list[_Candidate]:
    """Candidate actions of one sub-indicator (or one part of an additive one): the steps its rule offers."""
    group = s.id if part is None else f"{s.id}.{part}"
    rt = RULES[rule]
    if rt.input == "ratio":
        return _ratio_candidates(fw, data, unit, state, s, part, group, rule, params, formula, mx, step, levers,
                                 peer_ratios)
    name = part or rt.input
    num, level = state.get((s.id, name), (np.nan, None))
    return [_from_step(s, part, group, rule, st, name)
            for st in rt.steps(level if rt.input == "level" else num, mx, params, step=step)]


def _ratio_of_all(fw, data, s, part, formula) -> pd.Series:
    """The ratio of every unit for a ratio sub-indicator / part (for the min–max pool)."""
    rows = data[data["indicator"] == s.id]
    out = {}
    for u, g in rows.groupby("unit", sort=False):
        vals = dict(zip(g["input"], g["num"], strict=True))
        if formula:
            f = fw.formulas[s.id if part is None else f"{s.id}.{part}"]
            try:
                if any(pd.isna(vals.get(n, np.nan)) for n in f.names):
                    continue
                out[u] = float(f.evaluate({n: [vals[n]] for n in f.names})[0])
            except ZeroDenominator:
                continue
        else:
            v = vals.get(part or "ratio", np.nan)
            if not pd.isna(v):
                out[u] = float(v)
    return pd.Series(out, dtype=float)


def _ratio_candidates(fw, data, unit, state, s, part, group, rule, params, formula, mx, step, levers,
                      peer_ratios) -> list[_Candidate]:
    """The rule's ratio steps; with a formula, each as the smallest change of one input reaching the ratio."""
    fkey = s.id if part is None else f"{s.id}.{part}"
    f: Formula | None = fw.formulas.get(fkey) if formula else None
    if f is not None:
        values = {n: state.get((s.id, n), (np.nan, None))[0] for n in f.names}
        if any(pd.isna(v) for v in values.values()):
            return []
        r0 = float(f.evaluate({n: [v] for n, v in values.items()})[0])
    else:
        r0 = float(state.get((s.id, part or "ratio"), (np.nan, None))[0])
        if pd.isna(r0):
            return []
    rt = RULES[rule]
    pool = None
    if rt.peer:   # the units scored together, plus the given peer ratios
        extra = peer_ratios.get(s.id) if part is None else None
        pool = list(_ratio_of_all(fw, data, s, part, formula).to_numpy()) + (list(extra) if extra is not None else [])
    out: list[_Candidate] = []
    seen = set()
    for st in rt.steps(r0, mx, params, step=step, pool=pool):
        if f is None:
            out.append(_from_step(s, part, group, rule, st, part or "ratio"))
            continue
        solved = _solve_lever(f, values, st.ratio_to, levers.get(fkey), s.share)
        if solved is None:
            continue
        name, new_val, r1, up = solved
        key = (name, new_val)
        if key in seen:
            continue
        seen.add(key)
        k = abs(new_val - values[name])
        out.append(_Candidate(s.id, part, group, rule, [(name, float(new_val), None)], name,
                              Step("ratio", float(new_val), _num(values[name]), _num(new_val), k, "input unit",
                                   f"ratio={r1:.4g}", r0, r1, st.leader)))
    return out


def _points_candidates(s, mx: float, p: float, step: float) -> list[_Candidate]:
    """Candidate actions of a sub-indicator known from a score sheet (its points *p* of *mx*).

    Where the rule is known and its input follows from the points (:meth:`~dtilib.rules.RuleType.state_from_points`:
    binary; the tier whose share gives *p*; the count step giving *p*; the ratio of a linear or capped
    rule), the actions are the rule's own steps — the same action ids, sizes and effort as with raw
    inputs — each setting the points the rule gives there.  Otherwise (unknown rule, min–max,
    all-or-nothing, additive, points between steps) one action: recover the lost points (rule key
    ``points`` for effort).
    """
    rt = RULES[s.rule]
    params = s.params or {}
    state = rt.state_from_points(p, mx, params) if rt.plannable else None
    out = []
    for st in (rt.steps(state, mx, params, step=step) if state is not None else []):
        to = float(rt.points(np.array([st.to], dtype=object if st.level else float), mx, params)[0])
        out.append(_from_step(s, None, s.id, s.rule, st, POINTS, to=to))
    if not out:
        out.append(_Candidate(s.id, None, s.id, "points", [(POINTS, float(mx), None)], POINTS,
                              Step("points", float(mx), _num(p), _num(mx), mx - p, "point", "points=max")))
    return out


def _solve_lever(f: Formula, values: dict, target: float, lever: str | None, share: bool):
    """(input, new value, new ratio, raised?) for the smallest change of one input reaching *target*.

    Tries inputs whose increase raises the ratio (in formula order, or only *lever* when given), then
    inputs whose decrease raises it (down to 0).  Whole-number inputs move by whole numbers.
    """
    def ev(vals):
        try:
            return float(f.evaluate({n: [v] for n, v in vals.items()})[0])
        except ZeroDenominator:
            return np.nan

    r0 = ev(values)
    integer = all(float(v).is_integer() for v in values.values())
    names = [lever] if lever else list(f.names)
    if lever and lever not in f.names:
        raise ParameterError(f"lever '{lever}' is not an input of formula {f.text}", column="levers",
                             expected="one of " + ", ".join(f.names))
    for direction in (+1, -1):
        for n in names:
            h = max(1.0, abs(values[n])) * 1e-6
            probe = dict(values)
            probe[n] = values[n] + direction * h
            if direction < 0 and probe[n] < 0:
                continue
            d = ev(probe)
            if not (d > r0 + 1e-15):
                continue

            def at(k, n=n, direction=direction):
                v = dict(values)
                v[n] = values[n] + direction * k
                return ev(v)

            if direction > 0:
                hi = max(1.0, abs(values[n]))
                while not (at(hi) >= target - 1e-12):
                    hi *= 2
                    if hi > 1e15:
                        break
                else:
                    k = _bisect(at, 0.0, hi, target)
                    if integer:
                        k = math.ceil(k - 1e-7)
                    r1 = at(k)
                    if r1 >= target - 1e-9 and not (share and r1 > 1 + 1e-9):
                        return n, values[n] + k, r1, True
            else:
                hi = values[n]
                if at(hi) >= target - 1e-12:
                    k = _bisect(at, 0.0, hi, target)
                    if integer:
                        k = min(math.ceil(k - 1e-7), values[n])
                    r1 = at(k)
                    if r1 >= target - 1e-9 and not (share and r1 > 1 + 1e-9):
                        return n, values[n] - k, r1, False
    return None


def _bisect(at, lo, hi, target):
    for _ in range(200):
        mid = (lo + hi) / 2
        if at(mid) >= target - 1e-12:
            hi = mid
        else:
            lo = mid
        if hi - lo <= 1e-12 * max(1.0, hi):
            break
    return hi


def _apply_changes(data: pd.DataFrame, unit: str, changes: list, year=None) -> pd.DataFrame:
    """A copy of parsed unit data with (indicator, input, num, level) changes applied for *unit*."""
    out = data.copy()
    key = out["unit"] == unit
    for ch in changes:
        indicator, name, num, level = ch
        m = key & (out["indicator"] == indicator) & (out["input"] == name)
        if m.any():
            if level is not None:
                out.loc[m, "level"] = level
                out.loc[m, "value"] = level
            else:
                out.loc[m, "num"] = float(num)
                out.loc[m, "value"] = _num(num)
        else:
            row = {c: np.nan for c in out.columns}
            row.update({"unit": unit, "indicator": indicator, "input": name, "_file": out["_file"].iloc[0],
                        "_row": -1, "num": np.nan if num is None else float(num), "level": level,
                        "value": level if level is not None else _num(num)})
            if "year" in out.columns:
                row["year"] = year
            out = pd.concat([out, pd.DataFrame([row])], ignore_index=True)
    return out


def _measure(fw, data, unit, year, cands, base, peer_ratios):
    """Gain of every candidate through the real scorer, one action per sub-indicator per scorer call."""
    by_sub: dict[str, list[int]] = {}
    for i, c in enumerate(cands):
        by_sub.setdefault(c.indicator, []).append(i)
    rounds = max((len(v) for v in by_sub.values()), default=0)
    bsub = base.sub.set_index(["unit", "indicator"])["points"]
    out: list = [None] * len(cands)
    errors: dict[str, str] = {}

    def read(res, idx):
        c = cands[idx]
        sub = res.sub[res.sub["indicator"] == c.indicator].set_index("unit")["points"]
        before = bsub.xs(c.indicator, level="indicator")
        delta = (sub - before.reindex(sub.index)).fillna(0.0)
        peers = {u: float(d) for u, d in delta.items() if u != unit and abs(d) > 1e-9}
        return {"from": float(before[unit]), "to": float(sub[unit]), "gain": float(delta[unit]), "peers": peers}

    for r in range(rounds):
        idxs = [v[r] for v in by_sub.values() if len(v) > r]
        changes = [(cands[i].indicator,) + tuple(ch) for i in idxs for ch in cands[i].changes]
        try:
            res = score(fw, _apply_changes(data, unit, changes, year), peer_ratios=peer_ratios)
            for i in idxs:
                out[i] = read(res, i)
        except DataError:
            for i in idxs:  # find the failing action(s)
                ch = [(cands[i].indicator,) + tuple(x) for x in cands[i].changes]
                try:
                    res = score(fw, _apply_changes(data, unit, ch, year), peer_ratios=peer_ratios)
                    out[i] = read(res, i)
                except DataError as exc:
                    errors[cands[i].indicator] = str(exc)
    return out, errors


def measure_one_by_one(aset: ActionSet) -> pd.Series:
    """Gain of every action re-scored alone (slow; used by tests to check the batched measurement)."""
    btot = aset.base.total.set_index("unit")["points"][aset.unit]
    gains = {}
    for aid in aset.actions["action_id"]:
        res = aset.rescore([aid])
        gains[aid] = float(res.total.set_index("unit")["points"][aset.unit] - btot)
    return pd.Series(gains)
