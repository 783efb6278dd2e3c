"""Rule types: one small vectorised function per rule, registered by name.

Each rule turns an array of per-unit inputs (a ratio, a 0/1 flag, a tier level, a count) into points
in ``[0, max]``.  Parameters are checked once, when a framework is loaded (:func:`check_params`), so
scoring never meets a malformed rule.  ``kind`` groups rules for gap and effort analysis:

* ``step``  – binary, tiered, count steps: a discrete action (issue a policy, deploy a platform);
* ``ratio`` – linear, linear capped, all-or-nothing: a share to raise (a slope);
* ``peer``  – min–max: points depend on the other units' ratios;
* ``parts`` – additive: the sum of its parts (each with its own rule).

Min–max (documented in ``docs/frameworks.md``): ``points = (r - r_min) / (r_max - r_min) * max``
over the units scored together (and any peer ratios given); ``lower: zero`` takes ``r_min = 0``.
When ``r_max == r_min`` every unit gets ``max`` if the common ratio is above 0, else 0.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

TRUE_WORDS = {"1", "1.0", "yes", "y", "true", "co", "có", "x", "da", "đã", "đạt"}
FALSE_WORDS = {"0", "0.0", "no", "n", "false", "khong", "không", "chua", "chưa", ""}


@dataclass(frozen=True)
class Rule:
    name: str
    kind: str            # step | ratio | peer | parts | unknown
    input: str           # ratio | value | level | count | parts | none
    points: Callable | None
    description_vi: str
    description_en: str


def binary(value: np.ndarray, max_points: float, params: dict) -> np.ndarray:
    return np.where(np.asarray(value, dtype=float) >= 1, max_points, 0.0)


def tiered(level: np.ndarray, max_points: float, params: dict) -> np.ndarray:
    tiers = params["tiers"]
    share = np.array([tiers[str(lv)] for lv in np.asarray(level, dtype=object)], dtype=float)
    return share * max_points


def linear(ratio: np.ndarray, max_points: float, params: dict) -> np.ndarray:
    return np.clip(np.asarray(ratio, dtype=float), 0.0, 1.0) * max_points


def linear_capped(ratio: np.ndarray, max_points: float, params: dict) -> np.ndarray:
    t = float(params["threshold"])
    r = np.asarray(ratio, dtype=float)
    return np.where(r >= t, max_points, np.clip(r, 0.0, None) / t * max_points)


def all_or_nothing(ratio: np.ndarray, max_points: float, params: dict) -> np.ndarray:
    t = float(params.get("threshold", 1.0))
    return np.where(np.asarray(ratio, dtype=float) >= t - 1e-12, max_points, 0.0)


def min_max(ratio: np.ndarray, max_points: float, params: dict, peers=None) -> np.ndarray:
    """Min–max across the units in *ratio* (plus *peers*, ratios of units not being scored)."""
    r = np.asarray(ratio, dtype=float)
    pool = r if peers is None or len(peers) == 0 else np.concatenate([r, np.asarray(peers, dtype=float)])
    pool = pool[~np.isnan(pool)]
    if pool.size == 0:
        return np.full_like(r, np.nan)
    hi = pool.max()
    lo = 0.0 if params.get("lower", "observed") == "zero" else pool.min()
    if hi == lo:
        return np.where(np.isnan(r), np.nan, max_points if hi > 0 else 0.0)
    return (r - lo) / (hi - lo) * max_points


def count_steps(count: np.ndarray, max_points: float, params: dict) -> np.ndarray:
    steps = sorted((int(k), float(v)) for k, v in params["steps"].items())
    thresholds = np.array([k for k, _ in steps], dtype=float)
    points = np.array([v for _, v in steps], dtype=float)
    c = np.asarray(count, dtype=float)
    idx = np.searchsorted(thresholds, c, side="right") - 1
    return np.where(idx >= 0, points[np.clip(idx, 0, None)], 0.0)


RULES: dict[str, Rule] = {
    r.name: r
    for r in [
        Rule("binary", "step", "value", binary, "Đạt → điểm tối đa, không đạt → 0", "met → max, else 0"),
        Rule("tiered", "step", "level", tiered, "Mức → tỷ lệ điểm tối đa", "level → share of max"),
        Rule("linear", "ratio", "ratio", linear, "Tỷ lệ × điểm tối đa", "ratio × max"),
        Rule("linear_capped", "ratio", "ratio", linear_capped,
             "Tỷ lệ ≥ ngưỡng → tối đa, nếu không tỷ lệ/ngưỡng × tối đa",
             "ratio ≥ threshold → max, else ratio/threshold × max"),
        Rule("all_or_nothing", "ratio", "ratio", all_or_nothing, "Tỷ lệ = 100% → tối đa, nếu không 0",
             "ratio reaches threshold → max, else 0"),
        Rule("min_max", "peer", "ratio", min_max, "Phương pháp Min-Max giữa các đơn vị",
             "min–max across units"),
        Rule("count_steps", "step", "count", count_steps, "Số lần → điểm theo bậc", "count → points by step"),
        Rule("additive", "parts", "parts", None, "Cộng điểm các phần", "sum of parts"),
        Rule("unknown", "unknown", "none", None, "Chưa rõ cách tính", "rule not known"),
    ]
}


def check_params(rule: str, params: dict, max_points: float | None) -> str | None:
    """Return a problem description for *params* of *rule*, or ``None`` when they are fine."""
    params = params or {}
    if rule == "tiered":
        tiers = params.get("tiers")
        if not isinstance(tiers, dict) or not tiers:
            return "params.tiers must be a mapping level → share of max"
        for k, v in tiers.items():
            if not _is_number(v) or not 0 <= float(v) <= 1:
                return f"params.tiers[{k!r}] = {v!r} must be a share between 0 and 1"
    elif rule in {"linear_capped", "all_or_nothing"}:
        t = params.get("threshold", 1.0 if rule == "all_or_nothing" else None)
        if not _is_number(t) or not 0 < float(t) <= 1:
            return f"params.threshold = {t!r} must be a number in (0, 1]"
    elif rule == "min_max":
        if params.get("lower", "observed") not in {"observed", "zero"}:
            return f"params.lower = {params.get('lower')!r} must be 'observed' or 'zero'"
    elif rule == "count_steps":
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
    elif rule == "additive":
        parts = params.get("parts")
        if not isinstance(parts, list) or len(parts) < 2:
            return "params.parts must be a list of two or more parts"
    return None


def _is_number(v) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and np.isfinite(v)
