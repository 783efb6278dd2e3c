"""Rule types: one class per rule, registered by name — the rule's one home.

A rule type knows, in one class:

* ``points(x, max_points, params, peers=None)`` — its vectorised points function: an array of per-unit
  inputs (a ratio, a 0/1 flag, a tier level, a count) → points in ``[0, max]``;
* ``check(params, max_points)`` — the parameter check the framework loader calls (a problem described
  in words, or ``None``), so scoring never meets a malformed rule;
* ``steps(current, max_points, params, step=…, pool=…)`` — the candidate steps it offers the effort
  planner from a unit's current input (:class:`Step`: codes and numbers; the planner makes the text),
  and ``state_from_points`` — the input that gives a score sheet's points, where it follows from them;
* ``input`` — what a unit reports (``value`` 0/1, ``level``, ``count``, ``ratio``; ``parts``, ``none``),
  ``share`` — whether that input is a share by default (a ratio above 1 is then a data error),
  ``peer`` — whether the points depend on the other units scored together,
  ``monotone`` — whether a higher input never gives fewer points;
* ``kind`` — the group of gap and effort analysis:
  ``step`` (binary, tiered, count steps: a discrete action — issue a policy, deploy a platform),
  ``ratio`` (linear, linear capped, all-or-nothing: a share to raise), ``peer`` (min–max: points depend
  on the other units' ratios), ``parts`` (additive: the sum of its parts, each with its own rule);
* ``label_key`` (``rule.<name>``: its name in the text catalogue, vi and en), ``description_key``
  (``rule.<name>.how`` if given: how it scores in a few words, the plan appendix's fallback wording) and
  ``effort_key`` (its row of ``data/assumptions/effort_defaults.csv``).

Adding a rule type is one class decorated with :func:`register`, one row of effort defaults and its
name in the text catalogue (``dtilib/text/catalogue.yaml``, key ``rule.<name>``; a rule defined outside
the package brings its ``label`` in the class instead) — see ``docs/frameworks.md``.  Subclass the base of its input (:class:`ValueRule`, :class:`LevelRule`,
:class:`CountRule`, :class:`RatioRule`) to inherit the candidate steps.

Min–max (documented in ``docs/frameworks.md``): ``points = (r - r_min) / (r_max - r_min) * max``
over the units scored together (and any peer ratios given); ``lower: zero`` takes ``r_min = 0``.
When ``r_max == r_min`` every unit gets ``max`` if the common ratio is above 0, else 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from . import i18n

TRUE_WORDS = {"1", "1.0", "yes", "y", "true", "co", "có", "x", "da", "đã", "đạt"}
FALSE_WORDS = {"0", "0.0", "no", "n", "false", "khong", "không", "chua", "chưa", ""}
EPS = 1e-9
INPUTS = ("value", "level", "count", "ratio")     # inputs a unit reports (read by dtilib.inputs)


def num_text(v) -> str:
    """A number as an input cell shows it: ``3`` for 3.0, else up to 6 significant digits."""
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:.6g}"


@dataclass(frozen=True)
class Step:
    """One candidate step a rule offers from a unit's current input (codes and numbers, no text).

    ``to`` is the input's new value (a number, or a tier key for ``level`` rules); ``kind`` the step's
    kind (``step``, ``tier``, ``count``, ``ratio``; the planner adds ``points``, recovering a score
    sheet's lost points); ``delta`` its size in ``unit`` (``step``, ``tier step``, ``count``,
    ``percentage point``; the planner's ``input unit`` for a formula input, ``point``); ``target`` the tag of the action id (``met``,
    ``level=KEY``, ``count=K``, ``ratio=R``); ``leader`` marks the min–max leader's ratio.  The task's
    wording comes from the step's kind and numbers (:func:`dtilib.effort.tasks.task_text`).
    """

    kind: str
    to: float | str
    input_from: str
    input_to: str
    delta: float
    unit: str
    target: str
    ratio_from: float = np.nan
    ratio_to: float = np.nan
    leader: bool = False

    @property
    def level(self) -> bool:
        return isinstance(self.to, str)


class RuleType:
    """Base of every rule type (see the module docstring).  Subclasses set the class attributes."""

    name: ClassVar[str]
    kind: ClassVar[str] = "unknown"         # step | ratio | peer | parts | unknown
    input: ClassVar[str] = "none"           # value | level | count | ratio | parts | none
    share: ClassVar[bool] = False           # the input is a share (0..1) unless the framework says share: false
    peer: ClassVar[bool] = False            # points depend on the other units scored together
    monotone: ClassVar[bool] = True         # a higher input never gives fewer points
    label: ClassVar[dict] = {}              # a rule defined outside the package: its name {"vi": …, "en": …}
    description: ClassVar[dict] = {}        # … and how it scores, in a few words (shipped rules: the catalogue)
    example: ClassVar[dict] = {}            # valid params, for the docs and the property tests

    @property
    def label_key(self) -> str:
        return f"rule.{self.name}"

    @property
    def description_key(self) -> str:
        """``rule.<name>.how`` (how it scores, in a few words) when the rule has that text, else its label."""
        key = f"rule.{self.name}.how"
        return key if i18n.has(key) else self.label_key

    @property
    def effort_key(self) -> str | None:
        """The ``rule`` of its row in the effort tables (None: the rule offers no step of its own)."""
        return self.name if self.plannable else None

    @property
    def plannable(self) -> bool:
        """True when the rule scores a unit's reported input (and so offers candidate steps)."""
        return self.input in INPUTS

    def points(self, x, max_points: float, params: dict, peers=None) -> np.ndarray:
        raise NotImplementedError(f"rule '{self.name}' has no points function")

    def check(self, params: dict, max_points: float | None) -> str | None:
        return None

    def steps(self, current, max_points: float, params: dict, *, step: float = 0.10, pool=None) -> list[Step]:
        return []

    def state_from_points(self, points: float, max_points: float, params: dict):
        """The input that gives *points* (below the max), when it follows from them; else None."""
        return None

    def __repr__(self) -> str:
        return f"<rule {self.name}>"


RULES: dict[str, RuleType] = {}   # the registry: rule name → its (one) instance


def register(cls: type[RuleType]) -> type[RuleType]:
    """Register a rule type class (a decorator).  A shipped rule's texts are in the catalogue
    (``rule.<name>``); a rule defined elsewhere brings its own ``label`` (and ``description``)."""
    if not getattr(cls, "name", None):
        raise ValueError(f"rule class {cls.__name__} needs a name")
    own = {key: dict(text) for key, text in ((f"rule.{cls.name}", cls.label), (f"rule.{cls.name}.how", cls.description))
           if text}
    if own:
        i18n.register(own)
    RULES[cls.name] = cls()
    return cls


def check_params(rule: str, params: dict, max_points: float | None) -> str | None:
    """Return a problem description for *params* of *rule*, or ``None`` when they are fine."""
    return RULES[rule].check(params or {}, max_points)


def effort_keys() -> list[str]:
    """The effort keys of the rule types that offer candidate steps."""
    return sorted(r.effort_key for r in RULES.values() if r.effort_key)


# ------------------------------------------------------------------------------------ bases by input
class ValueRule(RuleType):
    """A 0/1 criterion: the step is to meet it."""

    kind = "step"
    input = "value"

    def steps(self, current, max_points, params, *, step=0.10, pool=None) -> list[Step]:
        v = float(current)
        if v >= 1:
            return []
        return [Step("step", 1.0, num_text(v), "1", 1.0, "step", "met")]

    def state_from_points(self, points, max_points, params):
        return 0.0


class LevelRule(RuleType):
    """A level among ``params.tiers`` (key → share of max): a step to each higher tier."""

    kind = "step"
    input = "level"

    def share_of(self, params: dict) -> dict[str, float]:
        return {str(k): float(v) for k, v in params["tiers"].items()}

    def steps(self, current, max_points, params, *, step=0.10, pool=None) -> list[Step]:
        tiers = self.share_of(params)
        cur_share = tiers.get(str(current), 0.0)
        shares = sorted(set(tiers.values()))
        out = []
        for key, share in sorted(tiers.items(), key=lambda kv: kv[1]):
            if share > cur_share + EPS:
                n_steps = sum(1 for x in shares if cur_share + EPS < x <= share + EPS)
                out.append(Step("tier", key, str(current), key, float(n_steps), "tier step", f"level={key}"))
        return out

    def state_from_points(self, points, max_points, params):
        return next((k for k, v in sorted(self.share_of(params).items(), key=lambda kv: kv[1])
                     if abs(v * max_points - points) <= 1e-6), None)


class CountRule(RuleType):
    """A count of events with points by step (``params.steps``: count → points): reach each higher step."""

    kind = "step"
    input = "count"

    def table(self, params: dict) -> list[tuple[int, float]]:
        return sorted((int(k), float(v)) for k, v in params["steps"].items())

    def steps(self, current, max_points, params, *, step=0.10, pool=None) -> list[Step]:
        c = float(current)
        table = self.table(params)
        seen = max([v for k, v in table if k <= c], default=0.0)
        out = []
        for k, v in table:
            if k > c and v > seen + EPS:
                seen = v
                out.append(Step("count", float(k), num_text(c), str(k), float(k - c), "count", f"count={k}"))
        return out

    def state_from_points(self, points, max_points, params):
        if points <= EPS:
            return 0
        return next((k for k, v in self.table(params) if abs(v - points) <= 1e-6), None)


class RatioRule(RuleType):
    """A ratio (a formula over the unit's inputs, or the ratio itself): raise it by *step* up to the cap."""

    kind = "ratio"
    input = "ratio"
    share = True
    ratio_from_points: ClassVar[bool] = False    # points / max × cap is the ratio (a score sheet's state)

    def cap(self, r0: float, params: dict, pool) -> float:
        """The ratio above which more gives no more points."""
        return 1.0

    def targets(self, r0: float, params: dict, step: float, pool) -> list[float]:
        return ratio_targets(r0, self.cap(r0, params, pool), step)

    def steps(self, current, max_points, params, *, step=0.10, pool=None) -> list[Step]:
        r0 = float(current)
        if np.isnan(r0):
            return []
        leader = self.cap(r0, params, pool) if self.peer else None
        out, seen = [], set()
        for t in self.targets(r0, params, step, pool):
            if t in seen:
                continue
            seen.add(t)
            out.append(Step("ratio", float(t), num_text(r0), num_text(t), (t - r0) * 100.0, "percentage point",
                            f"ratio={t:.4g}", r0, t, leader is not None and t == leader))
        return out

    def state_from_points(self, points, max_points, params):
        return points / max_points * self.cap(np.nan, params, None) if self.ratio_from_points else None


def ratio_targets(r0: float, cap: float, step: float) -> list[float]:
    """Ratios to reach from *r0*: every *step* below *cap*, then *cap* itself."""
    targets = []
    j = 1
    while r0 + j * step < cap - 1e-9:
        targets.append(r0 + j * step)
        j += 1
    if r0 < cap - 1e-12:
        targets.append(cap)
    return targets


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v)


def _threshold_problem(t) -> str | None:
    if not _is_number(t) or not 0 < float(t) <= 1:
        return f"params.threshold = {t!r} must be a number in (0, 1]"
    return None


# --------------------------------------------------------------------------------------- the rules
@register
class Binary(ValueRule):
    name = "binary"

    def points(self, x, max_points, params, peers=None):
        return np.where(np.asarray(x, dtype=float) >= 1, max_points, 0.0)


@register
class Tiered(LevelRule):
    name = "tiered"
    example = {"tiers": {"none": 0, "deployed": 0.5, "personalised": 1}}

    def points(self, x, max_points, params, peers=None):
        tiers = params["tiers"]
        share = np.array([tiers[str(lv)] for lv in np.asarray(x, dtype=object)], dtype=float)
        return share * max_points

    def check(self, params, max_points):
        tiers = params.get("tiers")
        if not isinstance(tiers, dict) or not tiers:
            return "params.tiers must be a mapping level → share of max"
        for k, v in tiers.items():
            if not _is_number(v) or not 0 <= float(v) <= 1:
                return f"params.tiers[{k!r}] = {v!r} must be a share between 0 and 1"
        return None


@register
class Linear(RatioRule):
    name = "linear"

    ratio_from_points = True

    def points(self, x, max_points, params, peers=None):
        return np.clip(np.asarray(x, dtype=float), 0.0, 1.0) * max_points


@register
class LinearCapped(RatioRule):
    name = "linear_capped"
    example = {"threshold": 0.8}

    def points(self, x, max_points, params, peers=None):
        t = float(params["threshold"])
        r = np.asarray(x, dtype=float)
        return np.where(r >= t, max_points, np.clip(r, 0.0, None) / t * max_points)

    def check(self, params, max_points):
        return _threshold_problem(params.get("threshold"))

    def cap(self, r0, params, pool):
        return float(params["threshold"])

    ratio_from_points = True


@register
class AllOrNothing(RatioRule):
    name = "all_or_nothing"
    example = {"threshold": 1.0}

    def points(self, x, max_points, params, peers=None):
        t = float(params.get("threshold", 1.0))
        return np.where(np.asarray(x, dtype=float) >= t - 1e-12, max_points, 0.0)

    def check(self, params, max_points):
        return _threshold_problem(params.get("threshold", 1.0))

    def cap(self, r0, params, pool):
        return float(params.get("threshold", 1.0))

    def targets(self, r0, params, step, pool):
        cap = self.cap(r0, params, pool)
        return [cap] if r0 < cap - 1e-12 else []


@register
class MinMax(RatioRule):
    """Min–max across the units scored together (plus *peers*, ratios of units not being scored)."""

    name = "min_max"
    kind = "peer"
    peer = True
    example = {"lower": "observed"}

    def points(self, x, max_points, params, peers=None):
        r = np.asarray(x, dtype=float)
        pool = r if peers is None or len(peers) == 0 else np.concatenate([r, np.asarray(peers, dtype=float)])
        pool = pool[~np.isnan(pool)]
        if pool.size == 0:
            return np.full_like(r, np.nan)
        hi = pool.max()
        lo = 0.0 if params.get("lower", "observed") == "zero" else pool.min()
        if hi == lo:
            return np.where(np.isnan(r), np.nan, max_points if hi > 0 else 0.0)
        return (r - lo) / (hi - lo) * max_points

    def check(self, params, max_points):
        if params.get("lower", "observed") not in {"observed", "zero"}:
            return f"params.lower = {params.get('lower')!r} must be 'observed' or 'zero'"
        return None

    def cap(self, r0, params, pool):
        """The leader's ratio (the highest of the pool: the units scored together and the peers)."""
        vals = [] if pool is None else [float(x) for x in pool if not np.isnan(x)]
        return max(vals) if vals else r0


@register
class CountSteps(CountRule):
    name = "count_steps"
    example = {"steps": {1: 5, 2: 10, 4: 20}}

    def points(self, x, max_points, params, peers=None):
        table = self.table(params)
        thresholds = np.array([k for k, _ in table], dtype=float)
        pts = np.array([v for _, v in table], dtype=float)
        c = np.asarray(x, dtype=float)
        idx = np.searchsorted(thresholds, c, side="right") - 1
        return np.where(idx >= 0, pts[np.clip(idx, 0, None)], 0.0)

    def check(self, params, max_points):
        steps = params.get("steps")
        if not isinstance(steps, dict) or not steps:
            return "params.steps must be a mapping count → points"
        prev = -1.0
        for k in sorted(steps, key=lambda x: int(x) if str(x).lstrip("-").isdigit() else -1):
            if not str(k).isdigit():
                return f"params.steps key {k!r} must be a count (integer ≥ 0)"
            v = steps[k]
            if not _is_number(v) or float(v) < 0:
                return f"params.steps[{k}] = {v!r} must be points ≥ 0"
            if float(v) < prev:
                return "params.steps points must not decrease as the count grows"
            prev = float(v)
            if max_points is not None and float(v) > max_points + 1e-9:
                return f"params.steps[{k}] = {v} exceeds max_points {max_points}"
        return None


@register
class Additive(RuleType):
    """The sum of its parts, each scored with its own rule (by the scorer and the planner, part by part)."""

    name = "additive"
    kind = "parts"
    input = "parts"
    example = {"parts": [{"id": "chair", "points": 5, "rule": "binary"},
                         {"id": "attend", "points": 5, "rule": "linear", "formula": "a/b"}]}

    def check(self, params, max_points):
        parts = params.get("parts")
        if not isinstance(parts, list) or len(parts) < 2:
            return "params.parts must be a list of two or more parts"
        return None


@register
class Unknown(RuleType):
    name = "unknown"


# module-level points functions (the rules by name, as the tests and the benchmark call them)
binary = RULES["binary"].points
tiered = RULES["tiered"].points
linear = RULES["linear"].points
linear_capped = RULES["linear_capped"].points
all_or_nothing = RULES["all_or_nothing"].points
min_max = RULES["min_max"].points
count_steps = RULES["count_steps"].points
