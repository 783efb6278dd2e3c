"""Reports: one report against the floor, the batch speed-up with 2 workers, and the import cost.

* ``report_over_floor`` — wall time of one default report (``dti report 02_province_trend``: parameter
  check, papermill with the ``dti`` kernel, HTML export, atomic writes) divided by the *floor*: papermill
  of a notebook that only does the same imports — its parameters cell, the report's import lines and
  every other module the report's kernel had imported by its end (listed by one probe run: the library
  imports scikit-learn, matplotlib … lazily) — plus the same nbconvert export and write.  What the
  notebook itself computes and draws is the excess over 1.
  Runs alternate report / floor; the figure is median / median.  Goal ≤ 1.3.
* ``batch_speedup_2_workers`` — the same ≥ 10 reports (10 provinces of 02_province_trend; quick: 2) run
  through :func:`dtilib.reporting.batch.run_batch` with a process pool of 1 worker, then of 2; the figure
  is time(1) / time(2).  Goal ≥ 1.8 (2 cores).
* ``import_dtilib_over_pandas`` — a fresh interpreter doing ``import dtilib`` + the first public call
  (``dtilib.load_framework("vn-province-922")``) against one doing ``import pandas`` (which dtilib needs
  anyway); alternated, median / median.  Goal ≤ 1.3.

Run alone: ``python bench/bench_report.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOALS = {
    "report_over_floor": ("<=", 1.3),
    "batch_speedup_2_workers": (">=", 1.8),
    "import_dtilib_over_pandas": ("<=", 1.3),
}

NOTEBOOK = "02_province_trend"
PROVINCES = ["Lai Châu", "Kon Tum", "Hà Giang", "Điện Biên", "Sơn La", "Đà Nẵng", "Quảng Ninh", "Cần Thơ",
             "Bắc Kạn", "Trà Vinh", "Lào Cai", "Yên Bái"]


PROBE = """
import json as _json, sys as _sys
_json.dump(sorted(m for m in _sys.modules if not m.startswith(("__main__", "_ipython", "IPython.core.display"))),
           open({path!r}, "w"))
"""


def report_modules(source: Path, workdir: Path) -> list[str]:
    """Every module the report's kernel has imported once the report is done (its own imports and those
    the library does lazily): run the notebook once with a last cell listing ``sys.modules``."""
    import nbformat

    from dtilib.reporting.runner import execute

    nb = nbformat.read(source, as_version=4)
    listing = workdir / "modules.json"
    cell = nbformat.v4.new_code_cell(PROBE.format(path=str(listing)))
    cell.id = "probe"
    nb.cells.append(cell)
    probe = workdir / "probe.ipynb"
    nbformat.write(nb, probe)
    execute(probe, workdir / "probe.out.ipynb", {"lang": "vi"})
    return json.loads(listing.read_text(encoding="utf-8"))


def floor_notebook(source: Path, target: Path, modules: list[str]) -> Path:
    """The floor: the report's parameters cell, then the same imports (every module the report ended up
    importing, in the order of the report's own import lines first) — and nothing else."""
    import nbformat

    nb = nbformat.read(source, as_version=4)
    params = next(c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", []))
    imports = [ln for c in nb.cells if c.cell_type == "code" for ln in c.source.splitlines()
               if ln.startswith(("import ", "from ")) and "reporting.params import" not in ln]
    code = "\n".join(dict.fromkeys(imports)) + (
        "\nimport importlib as _il\n"
        f"for _m in {modules!r}:\n"
        "    try:\n        _il.import_module(_m)\n    except Exception:\n        pass\n")
    floor = nbformat.v4.new_notebook(metadata=nb.metadata)
    floor.cells = [params, nbformat.v4.new_code_cell(code)]
    for i, c in enumerate(floor.cells):
        c.id = f"floor-{i}"
    nbformat.write(floor, target)
    return target


def time_report(out_dir: Path) -> float:
    from dtilib.reporting.runner import run_report

    t0 = time.perf_counter()
    r = run_report(NOTEBOOK, {}, out_dir=out_dir, record=False)
    dt = time.perf_counter() - t0
    if not r.ok:
        raise RuntimeError(f"the default report failed: {r.error}")
    return dt


def time_floor(nb: Path, out_dir: Path) -> float:
    from dtilib.io import atomic_write
    from dtilib.reporting.runner import execute, export_html

    t0 = time.perf_counter()
    executed = execute(nb, out_dir / "floor.ipynb", {"lang": "vi"})
    page, _ = export_html(executed, notebook=nb.name, parameters={"lang": "vi"})
    atomic_write(out_dir / "floor.html", page)
    return time.perf_counter() - t0


def report_over_floor(quick: bool) -> tuple[float, dict]:
    from dtilib.reporting.runner import resolve_notebook

    n = 1 if quick else 5
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        source = resolve_notebook(NOTEBOOK)
        floor = floor_notebook(source, d / "floor.ipynb", report_modules(source, d))
        if not quick:
            time_floor(floor, d)          # warm the file cache and the kernel spec lookup once
        rep, flo = [], []
        for _ in range(n):
            rep.append(time_report(d / "reports"))
            flo.append(time_floor(floor, d))
    r, f = statistics.median(rep), statistics.median(flo)
    return r / f, {"report_s": r, "floor_s": f}


def batch_speedup(quick: bool) -> tuple[float, dict]:
    from dtilib.reporting.batch import run_batch

    jobs = [{"notebook": NOTEBOOK, "parameters": {"province": p}} for p in PROVINCES[: 2 if quick else 10]]
    times = {}
    for workers in (1, 2):
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            res = run_batch(jobs, out_dir=d, executor="local", max_workers=workers, progress=False)
            times[workers] = time.perf_counter() - t0
            bad = [r for r in res if r["status"] != "ok"]
            if bad:
                raise RuntimeError(f"{len(bad)} report(s) failed: {bad[0]['error']}")
    return times[1] / times[2], {"serial_s": times[1], "two_workers_s": times[2], "n_reports": len(jobs)}


def _fresh(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def import_cost(quick: bool) -> tuple[float, dict]:
    n = 3 if quick else 11
    ours = "import dtilib; dtilib.load_framework('vn-province-922')"
    theirs = "import pandas"
    _fresh(theirs)
    _fresh(ours)                          # warm the OS file cache for both
    a, b = [], []
    for _ in range(n):
        a.append(_fresh(ours))
        b.append(_fresh(theirs))
    return statistics.median(a) / statistics.median(b), {"dtilib_s": statistics.median(a),
                                                          "pandas_s": statistics.median(b)}


def run(quick: bool = False) -> dict:
    out = {}
    for name, fn in (("report_over_floor", report_over_floor), ("batch_speedup_2_workers", batch_speedup),
                     ("import_dtilib_over_pandas", import_cost)):
        ratio, detail = fn(quick)
        out[name] = round(ratio, 3)
        print(f"{name}: {ratio:.3f}  ({', '.join(f'{k} {v:.2f}' if isinstance(v, float) else f'{k} {v}' for k, v in detail.items())})",
              file=sys.stderr)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(json.dumps(run(ap.parse_args().quick)))
