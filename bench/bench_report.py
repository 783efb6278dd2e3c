"""Reports: one report against the floor, the batch speed-up with 2 workers, and the import cost.

* ``report_over_floor`` — wall time of one default report (``dti report 02_province_trend``: parameter
  check, papermill with the ``dti`` kernel, HTML export, atomic writes) divided by the *floor*: papermill
  of a notebook that only does the same imports — its parameters cell, the report's import lines and
  every other module the report's kernel had imported by its end (listed by one probe run: the library
  imports scikit-learn, matplotlib … lazily) — plus the same nbconvert export and write.  What the
  notebook itself computes and draws is the excess over 1.
  Runs alternate report / floor; the figure is median / median.  Goal ≤ 1.3.
* ``batch_speedup_2_workers`` — the same 12 reports (12 provinces of 02_province_trend; quick: 1) run
  through :func:`dtilib.reporting.batch.run_batch` (its default engine, ``warm``) with a process pool of
  1 worker, then of 2, in chunks of 4 alternating the pools; the figure is time(1) / time(2): how a
  running batch scales.  Each pool is first started by one report per worker, timed apart
  (``start_1_s``, ``start_2_s``: the workers' and their warm parents' start, paid once per batch, which
  ``batch_warm_over_stock`` counts).  Beside it, ``machine_speedup_2``: what the machine gave two
  processes of pure-Python work at the same moments (before each chunk; median) — the ceiling of the
  figure on a shared machine.  Goal ≥ 1.8 (2 cores).
* ``batch_warm_over_stock`` — reports per minute of 20 reports of 02_province_trend (20 provinces; quick:
  1) on a process pool of 2 workers with the ``warm`` engine (each worker forks every report from its
  warm parent, started as the worker starts — counted) over the same with the ``stock`` engine (a
  Jupyter kernel per report): two pools, the reports in chunks of 4 alternating stock / warm.  Goal ≥ 3.  ``peak_worker_mb``: the largest memory of one worker during
  the warm batch — the worker process + its warm parent + the report being run, PSS summed (each page
  shared between them — the forked report shares most of its parent's — counted once, split between
  the processes that share it: what the worker costs the machine).  ``peak_worker_rss_mb`` (printed)
  sums their RSS instead, counting shared pages two or three times: an upper bound.  Goal ≤ 600.
* ``warm_report_over_cells`` — one report under the warm engine (``run_report(…, engine="warm")``, the
  parent already warm) / the time its cells take (papermill's per-cell durations, summed); median of
  5 reports (quick: 1).  Goal ≤ 1.5.
* ``import_dtilib_over_pandas`` — a fresh interpreter doing ``import dtilib`` + the first public call
  (``dtilib.load_framework("vn-province-922")``) against one doing ``import pandas`` (which dtilib needs
  anyway); alternated, median / median.  Goal ≤ 1.3.

Run alone: ``python bench/bench_report.py [--quick]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOALS = {
    "report_over_floor": ("<=", 1.3),
    "batch_speedup_2_workers": (">=", 1.8),
    "import_dtilib_over_pandas": ("<=", 1.3),
    "batch_warm_over_stock": (">=", 3),
    "warm_report_over_cells": ("<=", 1.5),
    "peak_worker_mb": ("<=", 600),
}

NOTEBOOK = "02_province_trend"
PROVINCES = ["Lai Châu", "Kon Tum", "Hà Giang", "Điện Biên", "Sơn La", "Đà Nẵng", "Quảng Ninh", "Cần Thơ",
             "Bắc Kạn", "Trà Vinh", "Lào Cai", "Yên Bái", "Hà Nội", "Huế", "Gia Lai", "Cà Mau", "Nghệ An",
             "Thanh Hóa", "An Giang", "Tây Ninh"]


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


def cpu_seconds(children: bool = True) -> float:
    """CPU time (user + system) of this process and (*children*) of its finished children (the kernels);
    of this process alone, the batch's serial part: submitting, collecting, recording the status."""
    import resource

    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + (kids.ru_utime + kids.ru_stime if children else 0.0)


_cpu: dict[str, list[float]] = {}


def time_report(out_dir: Path) -> float:
    from dtilib.reporting.runner import run_report

    t0, c0 = time.perf_counter(), cpu_seconds()
    r = run_report(NOTEBOOK, {}, out_dir=out_dir, record=False)
    dt = time.perf_counter() - t0
    _cpu.setdefault("report", []).append(cpu_seconds() - c0)
    if not r.ok:
        raise RuntimeError(f"the default report failed: {r.error}")
    return dt


def time_floor(nb: Path, out_dir: Path) -> float:
    from dtilib.io import atomic_write
    from dtilib.reporting.runner import execute, export_html

    t0, c0 = time.perf_counter(), cpu_seconds()
    executed = execute(nb, out_dir / "floor.ipynb", {"lang": "vi"})
    page, _ = export_html(executed, notebook=nb.name, parameters={"lang": "vi"})
    atomic_write(out_dir / "floor.html", page)
    _cpu.setdefault("floor", []).append(cpu_seconds() - c0)
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
        _cpu.clear()
        for _ in range(n):
            rep.append(time_report(d / "reports"))
            flo.append(time_floor(floor, d))
    r, f = statistics.median(rep), statistics.median(flo)
    # CPU seconds (this process + the kernels) beside the wall times: a loaded machine stretches wall
    # time (waiting for a core) much more than the CPU a report needs (printed, not a goal)
    rc, fc = statistics.median(_cpu["report"]), statistics.median(_cpu["floor"])
    return r / f, {"report_s": r, "floor_s": f, "report_cpu_s": rc, "floor_cpu_s": fc, "cpu_ratio": rc / fc}


def _warm_up(pool, workers: int, out_dir: Path) -> float:
    """One report per worker through *pool* (its workers and their warm parents start): the seconds taken."""
    from dtilib.reporting.batch import run_batch

    jobs = [{"notebook": NOTEBOOK, "parameters": {"province": p}} for p in PROVINCES[-workers:]]
    t0 = time.perf_counter()
    run_batch(jobs, out_dir=out_dir, executor=pool, progress=False)
    return time.perf_counter() - t0


def _busy(n: int = 2_000_000) -> int:
    s = 0
    for i in range(n):
        s += i * i
    return s


def machine_speedup(pool2) -> float:
    """What this machine gives two processes right now: two pieces of pure-Python work one after the
    other in this process / the same two at once in *pool2*'s two workers (a loaded machine, or a
    scheduler that gives each login session one share, gives ≈ 1 whatever the design)."""
    t0 = time.perf_counter()
    _busy(), _busy()
    one = time.perf_counter() - t0
    t0 = time.perf_counter()
    list(pool2.map(_busy, [2_000_000, 2_000_000]))
    return one / (time.perf_counter() - t0)


def batch_speedup(quick: bool) -> tuple[float, dict]:
    """Pools of 1 and of 2 workers side by side (warm engine), each first started by one report per
    worker (not counted: ``start_1_s`` / ``start_2_s``); then the same reports in chunks of 4 (quick: 1
    report, one chunk), alternating pools, so that each chunk gives both workers the same number."""
    from dtilib.reporting.batch import make_executor, run_batch
    from dtilib.reporting.warm import prestart

    jobs = [{"notebook": NOTEBOOK, "parameters": {"province": p}} for p in PROVINCES[: 1 if quick else 12]]
    chunk = 1 if quick else 4
    times = {1: 0.0, 2: 0.0}
    with make_executor("local", 1, initializer=prestart) as one, \
            make_executor("local", 2, initializer=prestart) as two, tempfile.TemporaryDirectory() as d:
        start = {w: _warm_up(pool, w, Path(d) / f"start{w}") for w, pool in ((1, one), (2, two))}
        machine, main_cpu = [], {1: 0.0, 2: 0.0}
        for i in range(0, len(jobs), chunk):
            machine.append(machine_speedup(two))
            for workers, pool in ((1, one), (2, two)):
                t0, c0 = time.perf_counter(), cpu_seconds(children=False)
                res = run_batch(jobs[i:i + chunk], out_dir=Path(d) / str(workers), executor=pool, progress=False)
                times[workers] += time.perf_counter() - t0
                main_cpu[workers] += cpu_seconds(children=False) - c0
                bad = [r for r in res if r["status"] != "ok"]
                if bad:
                    raise RuntimeError(f"{len(bad)} report(s) failed: {bad[0]['error']}")
    return times[1] / times[2], {"serial_s": times[1], "two_workers_s": times[2], "n_reports": len(jobs),
                                 "start_1_s": start[1], "start_2_s": start[2],
                                 "per_report_2_workers_s": times[2] / len(jobs),
                                 "machine_speedup_2": statistics.median(machine),
                                 "main_cpu_per_report_s": main_cpu[2] / len(jobs)}


def _tree() -> dict[int, list[int]]:
    """Children of every process (Linux /proc)."""
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            kids.setdefault(ppid, []).append(int(entry))
    return kids


def _mem_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of *pid* in kB (0 when it is gone)."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


class WorkerMemory(threading.Thread):
    """Samples, every 0.2 s, each pool worker's memory: the worker and all its descendants summed."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_rss = self.peak_pss = 0
        self._stop_event = threading.Event()

    def run(self):
        me = os.getpid()
        while not self._stop_event.wait(0.2):
            kids = _tree()
            # the pool's workers are grandchildren of the bench process under forkserver (bench → forkserver → workers)
            workers = [w for c in kids.get(me, []) for w in kids.get(c, [])]
            for w in workers:
                todo, rss, pss = [w], 0, 0
                while todo:
                    p = todo.pop()
                    r, s_ = _mem_kb(p)
                    rss, pss = rss + r, pss + s_
                    todo += kids.get(p, [])
                self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)

    def stop(self):
        self._stop_event.set()
        self.join()


def warm_over_stock(quick: bool) -> tuple[float, dict]:
    """Two pools of 2 workers side by side, one per engine; the 20 reports run in chunks of 4,
    alternating stock / warm, so that a change of the machine's load hits both engines alike."""
    from dtilib.reporting.batch import make_executor, run_batch
    from dtilib.reporting.warm import prestart

    jobs = [{"notebook": NOTEBOOK, "parameters": {"province": p}} for p in PROVINCES[: 1 if quick else 20]]
    chunk = 1 if quick else 4  # full: a multiple of the 2 workers, no chunk leaves a worker idle at its end
    times = {"stock": 0.0, "warm": 0.0}
    mem = WorkerMemory()
    with make_executor("local", 2) as stock_pool, make_executor("local", 2, initializer=prestart) as warm_pool, \
            tempfile.TemporaryDirectory() as d:
        for i in range(0, len(jobs), chunk):
            for engine, pool in (("stock", stock_pool), ("warm", warm_pool)):
                if engine == "warm" and i == 0:
                    mem.start()
                t0 = time.perf_counter()
                res = run_batch(jobs[i:i + chunk], out_dir=Path(d) / engine, executor=pool, progress=False,
                                engine=engine)
                times[engine] += time.perf_counter() - t0
                bad = [r for r in res if r["status"] != "ok"]
                if bad:
                    raise RuntimeError(f"{len(bad)} report(s) failed ({engine}): {bad[0]['error']}")
        mem.stop()
    _extra["peak_worker_mb"] = mem.peak_pss / 1024
    _extra["peak_worker_rss_mb"] = mem.peak_rss / 1024
    stock, hot = times["stock"], times["warm"]
    return stock / hot, {"stock_s": stock, "warm_s": hot, "n_reports": len(jobs),
                         "stock_per_min": 60 * len(jobs) / stock, "warm_per_min": 60 * len(jobs) / hot}


def warm_over_cells(quick: bool) -> tuple[float, dict]:
    from dtilib.reporting.runner import run_report
    from dtilib.reporting.warm import stop_warm_parent

    n = 1 if quick else 5
    walls, cells = [], []
    try:
        with tempfile.TemporaryDirectory() as d:
            for i in range(n + 1):          # the first report starts the parent: not counted
                t0 = time.perf_counter()
                r = run_report(NOTEBOOK, {"province": PROVINCES[i]}, out_dir=d, record=False, engine="warm")
                wall = time.perf_counter() - t0
                if not r.ok:
                    raise RuntimeError(f"the warm report failed: {r.error}")
                nb = json.loads(Path(r.ipynb).read_text(encoding="utf-8"))
                took = sum(c["metadata"]["papermill"]["duration"] or 0 for c in nb["cells"] if c["cell_type"] == "code")
                if i:
                    walls.append(wall)
                    cells.append(took)
    finally:
        stop_warm_parent()
    ratios = [w / c for w, c in zip(walls, cells, strict=True)]
    return statistics.median(ratios), {"report_s": statistics.median(walls), "cells_s": statistics.median(cells)}


_extra: dict[str, float] = {}


def _fresh(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - t0


def import_cost(quick: bool) -> tuple[float, dict]:
    n = 1 if quick else 11
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
    load = os.getloadavg()[0]
    for name, fn in (("report_over_floor", report_over_floor), ("batch_speedup_2_workers", batch_speedup),
                     ("batch_warm_over_stock", warm_over_stock), ("warm_report_over_cells", warm_over_cells),
                     ("import_dtilib_over_pandas", import_cost)):
        ratio, detail = fn(quick)
        out[name] = round(ratio, 3)
        detail["load"] = os.getloadavg()[0]
        print(f"{name}: {ratio:.3f}  ({', '.join(f'{k} {v:.2f}' if isinstance(v, float) else f'{k} {v}' for k, v in detail.items())})",
              file=sys.stderr)
    out.update({k: round(v, 1) for k, v in _extra.items()})
    print(f"peak memory of one worker (warm batch): PSS {_extra.get('peak_worker_mb', 0):.0f} MB, "
          f"RSS {_extra.get('peak_worker_rss_mb', 0):.0f} MB; load average at start {load:.2f}", file=sys.stderr)
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    print(json.dumps(run(ap.parse_args().quick)))
