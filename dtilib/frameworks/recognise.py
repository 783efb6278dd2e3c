"""Recognise a framework document's scoring prose ("Cách xác định và tính điểm") as a rule with parameters.

:func:`recognise` reads the Vietnamese text of one sub-indicator and returns the rule type of
:mod:`dtilib.rules` with its parameters, or ``rule: unknown`` when no phrasing below matches. Nothing is
guessed: every recognised rule carries ``recognised_from``, the phrase(s) of the text it was read from.

Phrasings recognised (with or without diacritics, any case, any spacing):

* min–max: "phương pháp Min-Max", "(r − r_min)/(r_max − r_min)" → ``min_max`` (``lower: observed``);
* a share: "a = …; b = …; Tỷ lệ = a/b; Điểm = Tỷ lệ*Điểm tối đa" → ``linear`` with inputs ``a``, ``b``
  described in the document's words and the formula ``a/b``;
* a capped share: "Tỷ lệ ≥ 80%: Điểm tối đa; Tỷ lệ < 80%: Tỷ lệ/80%*Điểm tối đa" (also "từ 80% trở lên",
  "(Tỷ lệ/80%) x Điểm tối đa") → ``linear_capped``;
* all or nothing: "Tỷ lệ = 100%: Điểm tối đa; Tỷ lệ < 100%: 0 điểm" (also "Đạt 100%", "dưới 100%")
  → ``all_or_nothing``;
* count steps: "họp 4 lần/năm: 20 điểm; 3 lần/năm: 15 điểm; … còn lại: 0 điểm" → ``count_steps``;
* yes/no: "Có/Đã ban hành: Điểm tối đa; Không/Chưa ban hành: 0 điểm" → ``binary``;
* tiers as fractions of max: "…: Điểm tối đa; …: 1/2*Điểm tối đa; …: 0 điểm" → ``tiered`` (tier codes
  ``t1``, ``t2``, … with the document's wording as ``labels``);
* additive parts: several conditions each worth a fraction of max that add up to max ("…: 1/2*Điểm tối
  đa" for each) → ``additive`` with one binary part per condition.
"""

from __future__ import annotations

import html
import re
from fractions import Fraction

from ..i18n import fold

VAR_RE = re.compile(r"^([a-h])\s*=\s*(.*)$", re.S)
RATIO_RE = re.compile(r"^ty\s*le\s*=\s*([a-h0-9+\-*/(). ]+?)(?:\s*[x×*]\s*100\s*%)?\s*[;.]?$")
LINEAR_RE = re.compile(r"(?:diem\s*=\s*|^[-+•]?\s*)ty\s*le\s*[*x×]\s*diem\s*toi\s*da", re.M)
PCT = r"(\d+(?:[.,]\d+)?)\s*%"
# "Tỷ lệ ≥ 80%: Điểm tối đa", "từ 80% trở lên: Điểm tối đa", "Đạt 100%: Điểm tối đa"
FULL_AT_RE = re.compile(rf"(?:ty\s*le\s*)?(?:>=|≥|=|>|tu|dat|dat\s*tu)\s*{PCT}\s*(?:tro\s*len)?\s*:\s*diem\s*toi\s*da")
CAPPED_RE = re.compile(rf"\(?\s*ty\s*le\s*/\s*{PCT}\s*\)?\s*[*x×]\s*diem\s*toi\s*da")
ZERO_BELOW_RE = re.compile(rf"(?:ty\s*le\s*)?(?:<|<=|≤|duoi|nho\s*hon)\s*{PCT}\s*:\s*0\s*diem")
MINMAX_RE = re.compile(r"min\s*[-–−]\s*max|r\s*_?\s*max\s*[-–−]\s*r\s*_?\s*min|\(r\s*[-–−]\s*r\s*_?\s*min\)")
COUNT_RE = re.compile(r"(?:tu\s*)?(\d+)\s*(?:lan|cuoc|van\s*ban|tin|bai|ban\s*tin)[^:]*:\s*(\d+(?:[.,]\d+)?)\s*diem")
REST_ZERO_RE = re.compile(r"(?:con\s*lai|duoi|khong\s*hop|khong\s*to\s*chuc)[^:]*:\s*0\s*diem")
FRACTION_RE = re.compile(r"^(\d+)\s*/\s*(\d+)\s*[*x×]?\s*(?:\(?\s*)?diem\s*toi\s*da\)?$")
PERCENT_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*%\s*[*x×]?\s*diem\s*toi\s*da$")
POINTS_RE = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:diem|d)$")
MARK = r"(?:[-+•*]|\d\))"


def clean(text: str) -> str:
    """The document's text without HTML tags, LaTeX dollars/\\text{} and repeated spaces (lines kept)."""
    t = html.unescape(str(text or ""))
    t = re.sub(r"<\s*(?:br|/p|/li|li|p|ul|/ul)[^>]*>", "\n", t, flags=re.I)
    t = re.sub(r"<[^>]+>", " ", t)
    t = re.sub(r"\\text\{([^}]*)\}", r"\1", t)
    t = t.replace("$", "").replace("\\geq", "≥").replace("\\leq", "≤").replace("\\times", "×")
    t = re.sub(r"[ \t\u00a0]+", " ", t)
    return "\n".join(line.strip() for line in t.splitlines() if line.strip())


def segments(text: str) -> list[str]:
    """Split scoring prose into statements: at line ends, ';' and before a ' - ' / ' + ' list marker."""
    parts = re.split(r"\n|;|\s(?=[-+•]\s)", text)
    return [p.strip() for p in parts if p and p.strip()]


def _strip_mark(seg: str) -> str:
    return re.sub(rf"^{MARK}\s*", "", seg).strip()


def _num(s: str) -> float:
    return float(s.replace(",", "."))


def _share(value_folded: str, max_points: float | None) -> Fraction | None:
    """The share of max a value phrase gives ("Điểm tối đa" → 1, "1/2*Điểm tối đa" → 1/2, "5 điểm" → 5/max)."""
    v = value_folded.strip().rstrip(".;,").strip()
    if re.fullmatch(r"(?:duoc\s*)?diem\s*toi\s*da", v):
        return Fraction(1)
    m = FRACTION_RE.match(v)
    if m and int(m.group(2)):
        return Fraction(int(m.group(1)), int(m.group(2)))
    m = PERCENT_RE.match(v)
    if m:
        return Fraction(str(_num(m.group(1)))) / 100
    m = POINTS_RE.match(v)
    if m:
        pts = _num(m.group(1))
        if pts == 0:
            return Fraction(0)
        if max_points:
            return Fraction(str(pts)) / Fraction(str(max_points))
    return None


def recognise(text: str, max_points: float | None) -> dict:
    """Rule, params, inputs, formula and ``recognised_from`` for scoring *text* (``rule: unknown`` if none)."""
    txt = clean(text)
    if not txt:
        return {"rule": "unknown"}
    segs = segments(txt)
    folded = [fold(_strip_mark(s)).lower() for s in segs]
    whole = fold(txt).lower()

    inputs, formula, formula_seg = _variables(segs, folded)
    if MINMAX_RE.search(whole):
        hit = next(s for s, f in zip(segs, folded, strict=True) if MINMAX_RE.search(f))
        return _ratio_rule("min_max", {"lower": "observed"}, inputs, formula, [formula_seg, hit])
    full = FULL_AT_RE.search(whole)
    if full:
        t = _num(full.group(1)) / 100
        capped = CAPPED_RE.search(whole)
        zero = ZERO_BELOW_RE.search(whole)
        if capped and abs(_num(capped.group(1)) / 100 - t) < 1e-9 and 0 < t <= 1:
            return _ratio_rule("linear_capped", {"threshold": t}, inputs, formula,
                               [formula_seg, *_segs_matching(segs, folded, (FULL_AT_RE, CAPPED_RE))])
        if zero and abs(_num(zero.group(1)) / 100 - t) < 1e-9 and 0 < t <= 1:
            return _ratio_rule("all_or_nothing", {"threshold": t}, inputs, formula,
                               [formula_seg, *_segs_matching(segs, folded, (FULL_AT_RE, ZERO_BELOW_RE))])
    if LINEAR_RE.search(whole) and formula:
        return _ratio_rule("linear", {}, inputs, formula,
                           [formula_seg, *_segs_matching(segs, folded, (LINEAR_RE,))])
    if inputs or formula:
        return {"rule": "unknown"}  # a ratio is defined but no scoring phrase we know turns it into points

    steps = _count_steps(segs, folded, max_points)
    if steps:
        return steps
    return _levels(segs, folded, max_points)


def _variables(segs, folded):
    """Input definitions ``a = …`` (continued by following '+' lines) and the ratio formula ``Tỷ lệ = …``."""
    inputs: dict[str, str] = {}
    formula = None
    formula_seg = None
    last = None
    for seg, f in zip(segs, folded, strict=True):
        body = _strip_mark(seg)
        m = VAR_RE.match(body)
        r = RATIO_RE.match(f)
        if r and formula is None:
            formula = re.sub(r"\s+", "", r.group(1)).rstrip(".")
            formula_seg = seg
            last = None
        elif m and m.group(1) not in inputs:
            inputs[m.group(1)] = m.group(2).strip().rstrip(";,.").strip()
            last = m.group(1)
        elif last and seg.startswith("+") and not re.search(r"diem|ty\s*le", f):
            sep = " " if inputs[last].endswith(":") else "; "
            inputs[last] = (inputs[last] + sep + body.rstrip(";,.")).strip("; ")
        elif last and not re.match(rf"{MARK}\s", seg) and not re.search(r"diem|ty\s*le|:", f):
            inputs[last] = (inputs[last] + " " + body.rstrip(";,.")).strip()  # a definition wrapped over lines
        else:
            last = None
    if formula:
        from ..errors import FormulaError
        from ..formula import Formula

        try:
            Formula.parse(formula, inputs=list(inputs))
        except FormulaError:
            formula = None
    return inputs, formula, formula_seg


def _segs_matching(segs, folded, patterns):
    """The statements matching any of *patterns*, cut to the sentence(s) that match."""
    out = []
    for s, f in zip(segs, folded, strict=True):
        if any(p.search(f) for p in patterns):
            sentences = [x for x in re.split(r"(?<=\.)\s+", s)
                         if any(p.search(fold(_strip_mark(x)).lower()) for p in patterns)]
            out.append(" ".join(sentences) if sentences else s)
    return out


def _ratio_rule(rule, params, inputs, formula, hits) -> dict:
    out: dict = {"rule": rule}
    if params:
        out["params"] = params
    if formula:
        names = set(re.findall(r"[a-h]", formula))
        out["inputs"] = {k: v for k, v in inputs.items() if k in names}
        out["formula"] = formula
    out["recognised_from"] = " | ".join(h for h in hits if h)
    return out


def _count_steps(segs, folded, max_points) -> dict | None:
    steps: dict[str, float] = {}
    hits = []
    for seg, f in zip(segs, folded, strict=True):
        m = COUNT_RE.search(f)
        if m:
            steps[str(int(m.group(1)))] = _num(m.group(2))
            hits.append(seg)
        elif REST_ZERO_RE.search(f):
            hits.append(seg)
    if len(steps) < 2:
        return None
    ordered = sorted((int(k), v) for k, v in steps.items())
    if any(b[1] < a[1] for a, b in zip(ordered, ordered[1:], strict=False)):
        return None
    if max_points is not None and ordered[-1][1] > max_points + 1e-9:
        return None
    return {"rule": "count_steps", "params": {"steps": {k: _int_or_float(v) for k, v in ordered}},
            "recognised_from": " | ".join(hits)}


def _levels(segs, folded, max_points) -> dict:
    """Yes/no, tiers or additive parts from "condition: value" statements."""
    items = []
    for seg, f in zip(segs, folded, strict=True):
        if ":" not in f:
            continue
        cond, value = f.rsplit(":", 1)
        share = _share(value, max_points)
        if share is None or share > 1:
            continue
        label = _strip_mark(seg).rsplit(":", 1)[0].strip()
        items.append((label, fold(cond).strip(), share, seg))
    if len(items) < 2:
        return {"rule": "unknown"}
    shares = [s for _, _, s, _ in items]
    positive = [s for s in shares if s > 0]
    hits = " | ".join(seg for *_, seg in items)
    if 0 not in shares or not positive:
        return {"rule": "unknown"}
    if len(items) == 2 and shares.count(1) == 1:
        return {"rule": "binary", "recognised_from": hits}
    if 1 in shares and shares.count(1) == 1:
        tiers = {f"t{i}": _int_or_float(float(s)) for i, s in enumerate(shares, 1)}
        labels = {f"t{i}": label for i, (label, *_rest) in enumerate(items, 1)}
        return {"rule": "tiered", "params": {"tiers": tiers, "labels": labels}, "recognised_from": hits}
    if 1 not in shares and len(positive) >= 2 and sum(positive) == 1 and max_points:
        parts = []
        for label, _cond, s, _seg in items:
            if s > 0:
                parts.append({"id": f"p{len(parts) + 1}", "points": _int_or_float(float(s * Fraction(str(max_points)))),
                              "rule": "binary", "name_vi": label})
        return {"rule": "additive", "params": {"parts": parts}, "recognised_from": hits}
    return {"rule": "unknown"}


def _int_or_float(v: float):
    return int(v) if float(v).is_integer() else round(float(v), 10)
