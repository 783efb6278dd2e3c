"""Run every ``bench/bench_*.py``, write ``bench/results.json`` and print each figure against its goal.

Each benchmark script exposes ``run(quick: bool) -> dict`` (named figures) and ``GOALS = {name: (op, x)}``
with ``op`` one of ``<=``, ``>=``, ``<``, ``>``; it is also runnable alone (``python bench/bench_x.py``).
Figures are ratios measured side by side in the same run (so the machine's speed cancels out), except
those whose name ends in ``_seconds``.  See ``bench/README.md``.

    python bench/run.py            # full measurement (make bench); exit 1 if a goal is missed
    python bench/run.py --quick    # small sizes, proves the harness works (exit 0 whatever the figures)
    python bench/run.py --only report   # the scripts whose name contains "report"
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import operator
import platform
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


def discover(only: str | None = None) -> list[Path]:
    return [p for p in sorted(HERE.glob("bench_*.py")) if only is None or only in p.stem]


def load(path: Path):
    """The script as the module ``bench_x`` (importable: :func:`run_all` puts ``bench/`` on ``sys.path``),
    so that a function it hands to a process pool pickles by name and its workers import it."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    if not callable(getattr(module, "run", None)) or not isinstance(getattr(module, "GOALS", None), dict):
        raise TypeError(f"{path.name} must define run(quick: bool) -> dict and GOALS = {{name: (op, goal)}}")
    return module


def verdict(value, goal) -> str:
    op, target = goal
    if op not in OPS:
        raise ValueError(f"unknown goal operator {op!r} (use one of {', '.join(OPS)})")
    if not isinstance(value, int | float) or value != value:
        return "FAIL"
    return "PASS" if OPS[op](value, target) else "FAIL"


def run_all(quick: bool = False, only: str | None = None, out: Path | None = None) -> tuple[dict, list[dict]]:
    """Run the scripts; return (flat figures, table rows).  A script that crashes gives a FAIL row."""
    sys.path.insert(0, str(HERE))
    figures: dict[str, float] = {}
    rows: list[dict] = []
    for path in discover(only):
        t0 = time.perf_counter()
        try:
            module = load(path)
            got = module.run(quick)
            goals = module.GOALS
        except Exception as exc:  # noqa: BLE001 — one broken benchmark must not hide the others
            traceback.print_exc()
            rows.append({"script": path.name, "name": f"{path.stem} (crashed)", "value": None,
                         "goal": None, "result": "FAIL", "error": f"{type(exc).__name__}: {exc}"})
            continue
        missing = sorted(set(goals) - set(got))
        for name in missing:
            rows.append({"script": path.name, "name": name, "value": None, "goal": goals[name], "result": "FAIL",
                         "error": "not returned by run()"})
        for name, value in got.items():
            figures[name] = value
            goal = goals.get(name)
            rows.append({"script": path.name, "name": name, "value": value, "goal": goal,
                         "result": verdict(value, goal) if goal else "—"})
        print(f"[{path.name}: {time.perf_counter() - t0:.1f} s]", file=sys.stderr)
    if not rows:
        rows.append({"script": "-", "name": "(no bench_*.py found)", "value": None, "goal": None, "result": "FAIL",
                     "error": f"nothing in {HERE}"})
    _atomic_write(out or HERE / "results.json", json.dumps(figures, indent=1, sort_keys=True) + "\n")
    print(f"[python {platform.python_version()}, {platform.machine()}, quick={quick}]", file=sys.stderr)
    return figures, rows


def _atomic_write(path: Path, text: str) -> Path:
    try:
        from dtilib.io import atomic_write

        return atomic_write(path, text)
    except ImportError:  # pragma: no cover — bench run outside the project's venv
        path.write_text(text, encoding="utf-8")
        return path


def table(rows: list[dict]) -> str:
    def fmt(v):
        if v is None:
            return "—"
        return f"{v:.3g}" if isinstance(v, float) else str(v)

    lines = [("figure", "value", "goal", "result")]
    for r in rows:
        goal = f"{r['goal'][0]} {r['goal'][1]:g}" if r.get("goal") else "—"
        lines.append((r["name"], fmt(r["value"]), goal, r["result"] + (f"  ({r['error']})" if r.get("error") else "")))
    widths = [max(len(str(line[i])) for line in lines) for i in range(3)]
    out = []
    for i, line in enumerate(lines):
        out.append("  ".join(str(c).ljust(w) for c, w in zip(line[:3], widths, strict=True)) + "  " + line[3])
        if i == 0:
            out.append("-" * (sum(widths) + 6 + 6))
    return "\n".join(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes: prove the harness works (always exit 0)")
    ap.add_argument("--only", help="run only the scripts whose name contains this text")
    ap.add_argument("--out", type=Path, help="results file (default bench/results.json)")
    args = ap.parse_args(argv)
    figures, rows = run_all(args.quick, args.only, args.out)
    print(table(rows))
    print(f"\nwritten: {args.out or HERE / 'results.json'}" + ("  (quick mode: figures are indicative only)"
                                                            if args.quick else ""))
    failed = [r for r in rows if r["result"] == "FAIL"]
    crashed = [r for r in failed if r.get("error")]
    if crashed:
        return 1
    return 0 if args.quick or not failed else 1


if __name__ == "__main__":
    sys.exit(main())
