"""score_vectorised_over_loop: the vectorised scorer vs a plain per-row Python loop, same data, one run.

Data: 63 units × 98 sub-indicators × 5 years (quick mode: 10 units × 98 × 2), a synthetic framework
with the 922 shape (98 scored sub-indicators) and a mix of all rule types.  All sides start from the
same parsed inputs and must produce the same points (checked).

* ``score_vectorised_over_loop`` (goal ≥ 20): per-row loop / ``dtilib.score``.  The loop is the same
  scorer applied one (unit, sub-indicator) row at a time: the library's own formula evaluator and rule
  functions called per row, with the roll-up to main indicators and totals in Python.
* ``score_vectorised_over_inline_loop`` (no goal, for reading): a hand-inlined pure-Python loop (rules
  written out with scalar arithmetic, no roll-up) / ``dtilib.score`` — the best a loop can do.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np
import pandas as pd
import yaml

GOALS = {"score_vectorised_over_loop": (">=", 20.0)}

SHAPE = [("nhan_thuc_so", 10, 100), ("the_che_so", 11, 100), ("ha_tang_so", 7, 100), ("nhan_luc_so", 13, 100),
         ("an_toan_thong_tin", 12, 100), ("chinh_quyen_so", 22, 200), ("kinh_te_so", 12, 150),
         ("xa_hoi_so", 11, 150)]  # 98 scored slots in all (smart city folded into xa_hoi_so for the benchmark)
RULES = ["binary", "tiered", "linear", "linear_capped", "all_or_nothing", "min_max", "count_steps"]


def synthetic_framework() -> dict:
    mains, subs = [], []
    for mid, n, mx in SHAPE:
        mains.append({"id": mid, "name_vi": mid, "name_en": mid, "max_points": mx, "n_sub_indicators": n})
        base = mx / n
        for j in range(n):
            rule = RULES[(len(subs)) % len(RULES)]
            s = {"id": f"{mid}_{j:02d}", "main": mid, "name_vi": "x", "max_points": base, "rule": rule,
                 "source": "benchmark"}
            if rule == "tiered":
                s["params"] = {"tiers": {"full": 1, "half": 0.5, "none": 0}}
            elif rule in {"linear", "linear_capped", "all_or_nothing", "min_max"}:
                s["inputs"] = {"a": "numerator", "b": "denominator"}
                s["formula"] = "a/b"
                if rule == "linear_capped":
                    s["params"] = {"threshold": 0.8}
            elif rule == "count_steps":
                s["params"] = {"steps": {1: base / 4, 2: base / 2, 3: 3 * base / 4, 4: base}}
            subs.append(s)
    return {"id": "bench-922-shape", "version": "1", "name_vi": "bench", "name_en": "bench",
            "legal_source": "benchmark only", "level": "province", "years": [2020, None],
            "total_points": 1000, "completeness": "synthetic", "main_indicators": mains, "sub_indicators": subs}


def synthetic_inputs(fw, n_units: int, n_years: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for year in range(2020, 2020 + n_years):
        for u in range(n_units):
            for s in fw.sub.itertuples(index=False):
                unit = f"U{u:02d}"
                if s.rule == "binary":
                    rows.append((year, unit, s.id, "value", str(int(rng.random() < 0.6))))
                elif s.rule == "tiered":
                    rows.append((year, unit, s.id, "level", str(rng.choice(["full", "half", "none"]))))
                elif s.rule == "count_steps":
                    rows.append((year, unit, s.id, "count", str(int(rng.integers(0, 6)))))
                else:
                    b = int(rng.integers(10, 500))
                    rows.append((year, unit, s.id, "a", str(int(rng.integers(0, b + 1)))))
                    rows.append((year, unit, s.id, "b", str(b)))
    return pd.DataFrame(rows, columns=["year", "unit", "indicator", "input", "value"])


def row_loop_score(fw, data: pd.DataFrame) -> dict:
    """The scorer applied per row: library formulas and rule functions, one (unit, sub-indicator) at a time."""
    from dtilib.rules import RULES

    values = {}
    for row in data.itertuples(index=False):
        values[(row.year, row.unit, row.indicator, row.input)] = row.level if row.input == "level" else row.num
    units = list(dict.fromkeys((row.year, row.unit) for row in data.itertuples(index=False)))
    subs = list(fw.sub.itertuples(index=False))
    ratio = {}
    for (y, u) in units:
        for s in subs:
            if s.formula:
                f = fw.formulas[s.id]
                ratio[(y, u, s.id)] = float(f.evaluate({n: values[(y, u, s.id, n)] for n in f.names}))
    pools = {}
    for (y, u) in units:
        for s in subs:
            if s.rule == "min_max":
                pools.setdefault((s.id, y), []).append(ratio[(y, u, s.id)])
    bounds = {k: (min(v), max(v)) for k, v in pools.items()}
    points, main_pts = {}, {}
    for (y, u) in units:
        for s in subs:
            rule = RULES[s.rule]
            if s.rule == "min_max":
                lo, hi = bounds[(s.id, y)]
                r = ratio[(y, u, s.id)]
                p = rule.points([r, lo, hi], s.max_points, s.params)[0]
            elif s.formula:
                p = rule.points([ratio[(y, u, s.id)]], s.max_points, s.params)[0]
            else:
                p = rule.points([values[(y, u, s.id, s.input_names[0])]], s.max_points, s.params)[0]
            points[(y, u, s.id)] = float(p)
            main_pts[(y, u, s.main)] = main_pts.get((y, u, s.main), 0.0) + float(p)
    totals = {}
    for (y, u, _m), p in main_pts.items():
        totals[(y, u)] = totals.get((y, u), 0.0) + p
    return points


def loop_score(fw, data: pd.DataFrame) -> dict:
    """The fastest plain way: one Python iteration per (unit, sub-indicator), rules written out inline."""
    values = {}
    for y, u, ind, name, num, lvl in zip(data["year"], data["unit"], data["indicator"], data["input"],
                                         data["num"], data["level"], strict=True):
        values[(y, u, ind, name)] = lvl if name == "level" else num
    units = sorted({(y, u) for y, u in zip(data["year"], data["unit"], strict=True)})
    points = {}
    subs = list(fw.sub.itertuples(index=False))
    ratios = {}
    for s in subs:
        if s.rule == "min_max":
            for (y, u) in units:
                ratios.setdefault((s.id, y), []).append(values[(y, u, s.id, "a")] / values[(y, u, s.id, "b")])
    for (y, u) in units:
        for s in subs:
            mx = s.max_points
            if s.rule == "binary":
                p = mx if values[(y, u, s.id, "value")] >= 1 else 0.0
            elif s.rule == "tiered":
                p = s.params["tiers"][values[(y, u, s.id, "level")]] * mx
            elif s.rule == "count_steps":
                c = values[(y, u, s.id, "count")]
                p = 0.0
                for k, v in sorted((int(k), v) for k, v in s.params["steps"].items()):
                    if c >= k:
                        p = v
            else:
                r = values[(y, u, s.id, "a")] / values[(y, u, s.id, "b")]
                if s.rule == "linear":
                    p = min(max(r, 0.0), 1.0) * mx
                elif s.rule == "linear_capped":
                    t = s.params["threshold"]
                    p = mx if r >= t else r / t * mx
                elif s.rule == "all_or_nothing":
                    p = mx if r >= 1.0 - 1e-12 else 0.0
                else:
                    pool = ratios[(s.id, y)]
                    lo, hi = min(pool), max(pool)
                    p = (mx if hi > 0 else 0.0) if hi == lo else (r - lo) / (hi - lo) * mx
            points[(y, u, s.id)] = p
    return points


def run(quick: bool = False) -> dict:
    from dtilib.frameworks import parse_framework
    from dtilib.inputs import read_unit_data
    from dtilib.scoring import score

    fw = parse_framework(yaml.safe_dump(synthetic_framework()), "bench")
    n_units, n_years = (10, 2) if quick else (63, 5)
    data = read_unit_data(synthetic_inputs(fw, n_units, n_years), fw, file="bench")
    res = score(fw, data)                      # warm-up (first-call caches), also the result to check
    reps = 1 if quick else 3
    t_vec, t_row, t_inline = [], [], []
    for _ in range(reps):                      # alternate the three, median of each
        for _ in range(3):
            t0 = time.perf_counter()
            score(fw, data)
            t_vec.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pts_row = row_loop_score(fw, data)
        t_row.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        pts_inline = loop_score(fw, data)
        t_inline.append(time.perf_counter() - t0)
    t_vec, t_row, t_inline = (float(np.median(t)) for t in (t_vec, t_row, t_inline))
    got = res.sub.set_index(["year", "unit", "indicator"])["points"]
    for name, pts in [("per-row", pts_row), ("inline", pts_inline)]:
        ref = pd.Series(pts).reindex(got.index)
        assert np.allclose(got.to_numpy(), ref.to_numpy()), f"vectorised and {name} loop scorers disagree"
    print(f"score: {n_units} units × {len(fw.sub)} sub-indicators × {n_years} years = {len(got)} scores; "
          f"vectorised {t_vec * 1000:.1f} ms, per-row loop {t_row * 1000:.1f} ms, "
          f"inline loop {t_inline * 1000:.1f} ms")
    return {"score_vectorised_over_loop": round(t_row / t_vec, 2),
            "score_vectorised_over_inline_loop": round(t_inline / t_vec, 2)}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(json.dumps(run(ap.parse_args().quick)))
