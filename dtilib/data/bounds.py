"""What a printed figure stands for: the interval of true values its printed digits allow.

A published figure is never exact.  ``0.7163`` printed with four decimals stands for every value
that rounds to it, ``[0.71625, 0.71635]``.  A figure printed with fewer decimals than the official
tables use (four) may have been rounded *or* truncated by the newspaper that printed it; unless the
source's convention is known it stands for the interval both readings allow: ``0.54`` →
``[0.535, 0.55]`` (rounded: 0.535..0.545; truncated: 0.54..0.55).  A source that states bounds
("between 51,99 and 70") is written as a range ``a–b`` or ``a-b`` (decimal commas accepted) and
stands for ``[a, b]``.

Computations on intervals (:func:`weighted_sum`, :func:`mean`) give the interval of every result the
inputs allow, and two intervals *meet* when they share a value: a published figure agrees with a
computed one exactly when their intervals meet (:func:`meets`).

>>> read("0.7163")
Printed(value=0.7163, low=0.71625, high=0.71635, decimals=4, kind='rounded')
>>> read("0.54")
Printed(value=0.54, low=0.535, high=0.55, decimals=2, kind='rounded_or_truncated')
>>> read("51,99–70", scale=100)
Printed(value=nan, low=0.5199, high=0.7, decimals=4, kind='range')
>>> meets((0.71625, 0.71635), weighted_sum([(0.7, 0.8)], [1.0]))
True
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

#: decimals of the official DTI tables (dti.gov.vn prints values 0..1 with four decimals)
OFFICIAL_DECIMALS = 4
#: float noise allowed when two interval ends are compared
EPS = 1e-9

_NUM = r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)"
RANGE_RE = re.compile(rf"^\s*(?P<a>{_NUM})\s*(?:–|—|-|−|\.\.)\s*(?P<b>{_NUM})\s*$")
NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
KINDS = ("exact", "rounded", "rounded_or_truncated", "range")


class Printed(NamedTuple):
    """A printed figure: its value (NaN for a range), the interval it stands for, its decimals."""

    value: float
    low: float
    high: float
    decimals: int | None
    kind: str


class RangeError(ValueError):
    """A range that cannot be read (low above high, or a range where an exact figure is required)."""


def decimals(text: str) -> int | None:
    """Decimals printed in *text* (``"0.54"`` → 2, ``"3"`` → 0, ``""`` → None)."""
    t = str(text).strip().replace(",", ".")
    if not t:
        return None
    return len(t.split(".", 1)[1]) if "." in t else 0


def interval(value: float, dec: int | None, *, truncation: bool | None = None) -> tuple[float, float]:
    """The interval a figure printed as *value* with *dec* decimals stands for.

    *truncation*: ``None`` = decide from the decimals (fewer than :data:`OFFICIAL_DECIMALS` → rounded
    or truncated; otherwise rounded); ``False`` = rounded only; ``True`` = rounded or truncated.
    ``dec=None`` means an exact figure.
    """
    if dec is None or (isinstance(dec, float) and math.isnan(dec)) or math.isnan(value):
        return value, value
    half = 0.5 * 10.0 ** (-int(dec))
    if truncation is None:
        truncation = int(dec) < OFFICIAL_DECIMALS
    high = value + 2 * half if truncation and value >= 0 else value + half
    return value - half, high


def read(text, *, scale: float = 1.0, truncation: bool | None = None, allow_range: bool = True) -> Printed:
    """Read a printed figure or range (*scale*: divide by it, e.g. 100 for points of 100).

    Raises :class:`ValueError` when *text* is neither a number nor a range, and :class:`RangeError`
    when the range is reversed or a range is not allowed.  Decimal commas are accepted in ranges only
    (in a single figure a comma is ambiguous with a thousands separator).
    """
    t = "" if text is None else str(text).strip()
    if t == "":
        nan = float("nan")
        return Printed(nan, nan, nan, None, "exact")
    if NUMBER_RE.match(t):
        d = decimals(t)
        trunc = int(d) + round(math.log10(scale)) < OFFICIAL_DECIMALS if truncation is None else truncation
        lo, hi = interval(float(t), d, truncation=trunc)
        kind = "rounded_or_truncated" if trunc else "rounded"
        return Printed(float(t) / scale, lo / scale, hi / scale, d + round(math.log10(scale)), kind)
    m = RANGE_RE.match(t)
    if not m:
        raise ValueError(f"'{t}' is not a number or a range")
    if not allow_range:
        raise RangeError(f"'{t}' is a range, but this column needs one exact figure")
    a, b = (float(m.group(k).replace(",", ".")) for k in ("a", "b"))
    if a > b:
        raise RangeError(f"range '{t}' has its low end above its high end")
    d = max(decimals(m.group("a")) or 0, decimals(m.group("b")) or 0) + round(math.log10(scale))
    return Printed(float("nan"), a / scale, b / scale, d, "range")


def is_range(text) -> bool:
    return bool(RANGE_RE.match(str(text or "")) and not NUMBER_RE.match(str(text).strip()))


def meets(a: tuple[float, float], b: tuple[float, float], eps: float = EPS) -> bool:
    """Do the intervals *a* and *b* share a value (ends compared with float noise *eps*)?"""
    return a[0] <= b[1] + eps and b[0] <= a[1] + eps


def gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Distance between two intervals (0 when they meet)."""
    return max(0.0, a[0] - b[1], b[0] - a[1])


def weighted_sum(parts: list[tuple[float, float]], weights: list[float]) -> tuple[float, float]:
    """Interval of Σ wᵢ·xᵢ for xᵢ in ``parts[i]`` (all weights ≥ 0)."""
    lo = sum(w * p[0] for p, w in zip(parts, weights, strict=True))
    hi = sum(w * p[1] for p, w in zip(parts, weights, strict=True))
    return lo, hi


def mean(parts: list[tuple[float, float]]) -> tuple[float, float]:
    """Interval of the unweighted mean of values within *parts*."""
    n = len(parts)
    return weighted_sum(parts, [1.0 / n] * n)


def difference(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Interval of x − y for x in *a*, y in *b*."""
    return a[0] - b[1], a[1] - b[0]


def ratio_change(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    """Interval of (x / y − 1) × 100 for x in *a*, y in *b* (y > 0)."""
    return (a[0] / b[1] - 1) * 100, (a[1] / b[0] - 1) * 100


def fmt(iv: tuple[float, float], d: int = 5) -> str:
    """``[0.71625, 0.71635]``; a point interval prints as one number."""
    lo, hi = iv
    if math.isnan(lo) or math.isnan(hi):
        return "?"
    if abs(hi - lo) <= EPS:
        return _trim(lo, d)
    return f"[{_trim(lo, d)}, {_trim(hi, d)}]"


def _trim(x: float, d: int) -> str:
    s = f"{x:.{d}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s
