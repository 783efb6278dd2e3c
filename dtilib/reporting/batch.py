"""One report per province (or per unit / unit file), in parallel, failures isolated.

:func:`run_batch` submits one :func:`run_job` per job to any :class:`concurrent.futures.Executor`:
a :class:`~concurrent.futures.ProcessPoolExecutor` by default (``--executor local``), or a Dask
cluster's executor (``--executor dask://HOST:PORT`` → ``distributed.Client(addr).get_executor()``,
with the optional ``dask`` extra).  Each job runs papermill + nbconvert on its own; an exception in
one job becomes a ``failed`` result (its one-line error and the executed notebook showing where it
stopped), never stops the others.  Results are recorded in ``<out-dir>/status.json`` as they arrive
(so a killed batch keeps what finished) and ``<out-dir>/index.html`` lists every report.

>>> jobs = province_jobs("02_province_trend", era=63)
>>> len(jobs), jobs[0]["parameters"]
(63, {'province': 'Hà Nội', 'era': 63})
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from ..errors import ParameterError
from .params import spec_for
from .runner import ReportResult, error_summary, report_paths, run_report


# -------------------------------------------------------------------------------------------- jobs
def province_jobs(notebook, era: int = 63, *, base: dict | None = None) -> list[dict]:
    """One job per province of *era* (63 or 34) for a notebook with a ``province`` parameter."""
    from ..data.names import check_era, index

    spec = spec_for(notebook)
    if spec.batch_over != "province":
        raise ParameterError(f"{spec.id} has no 'province' parameter to run over",
                             expected="a per-province notebook such as 02_province_trend, or --units-dir")
    era = check_era(era)
    ix = index()
    return [{"notebook": spec.id, "parameters": {**(base or {}), "province": ix.display_name(s, era), "era": era}}
            for s in ix.slugs(era)]


def unit_jobs(notebook, *, units_dir=None, base: dict | None = None) -> list[dict]:
    """One job per unit file in *units_dir* (``*.csv``, ``*.xlsx``), or, without *units_dir*, one per
    unit of the notebook's ``unit_file`` parameter (default: the ILLUSTRATIVE Bắc Kạn data)."""
    from .params import check

    spec = spec_for(notebook)
    if spec.batch_over != "unit":
        raise ParameterError(f"{spec.id} does not run over unit data",
                             expected="03_unit_gap_analysis or 04_points_per_effort (or --all without --units-dir)")
    base = dict(base or {})
    if units_dir is not None:
        folder = Path(units_dir)
        if not folder.is_dir():
            raise ParameterError(f"--units-dir {folder} is not a folder", expected="a folder of unit data files")
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() in {".csv", ".xlsx"}
                       and not p.name.startswith((".", "~$")))
        if not files:
            raise ParameterError(f"no .csv or .xlsx files in {folder}", expected="one unit data file per unit")
        keys = distinct_keys([f.name.split(".")[0] for f in files])
        return [{"notebook": spec.id, "key": k, "parameters": {**base, "unit_file": str(f.resolve()), "unit": None}}
                for f, k in zip(files, keys, strict=True)]
    if base.get("framework") is not None and base.get("unit_file") is None:
        raise ParameterError(f"framework {base['framework']} without the data of its units",
                             expected="-p unit_file FILE (a file of many units) or --units-dir FOLDER")
    if base.get("unit_file") is not None and base.get("unit") is None:
        # a file of many units (a province's communes): one job per unit; each report checks the file
        from ..io import read_table
        from ..templates import header_aliases

        data = read_table(Path(str(base["unit_file"])), required=["unit"], aliases=header_aliases())
        units = list(dict.fromkeys(u.strip() for u in data["unit"].astype(str) if u.strip()))
    else:
        units = check(spec.id, **{k: v for k, v in base.items() if k in spec.names}).units
    keys = distinct_keys(units)
    return [{"notebook": spec.id, "key": k, "parameters": {**base, "unit": u}}
            for u, k in zip(units, keys, strict=True)]


def per_job(notebook) -> set[str]:
    """The parameters each report of a batch of *notebook* sets itself: its province, or its unit and
    unit file."""
    spec = spec_for(notebook)
    return {q.name for q in spec.params if q.kind in ("province", "unit")} | {
        q.of for q in spec.params if q.kind == "unit"}


def check_jobs(notebook, jobs: list[dict], *, unit_file=None) -> None:
    """The one check of a batch, before any report starts: the parameters its reports share (each
    different set of them once), and *unit_file* — the one file of many units that every report reads —
    against the batch's framework.  What differs from report to report (a unit's own file) is checked
    by that report when it runs, so one broken file fails its own report only."""
    from .params import check, check_shared

    spec = spec_for(notebook)
    mine = per_job(spec.id)
    seen = set()
    for job in jobs:
        shared = {k: v for k, v in job.get("parameters", {}).items() if k not in mine}
        marker = repr(sorted(shared.items()))
        if marker in seen:
            continue
        seen.add(marker)
        if spec.batch_over == "unit":
            check_shared(spec.id, shared, mine)
        else:   # a province batch: checked with the default province (a target needs a province to check)
            check(spec.id, **shared)
    if unit_file is not None and jobs:
        check(spec.id, **jobs[0]["parameters"])


def distinct_keys(names: list[str]) -> list[str]:
    """A file name for each of *names*, all different: names that make the same file name
    (``Chợ Mới`` and ``cho-moi``) get ``-2``, ``-3``… in the order given, so every input has its report.

    >>> distinct_keys(["Chợ Mới", "cho-moi", "Chợ Mới 2"])
    ['cho-moi', 'cho-moi-2', 'cho-moi-2-2']
    """
    from .runner import slugify

    taken: set[str] = set()
    out = []
    for name in names:
        key, n = slugify(name), 1
        while key in taken:
            n += 1
            key = f"{slugify(name)}-{n}"
        taken.add(key)
        out.append(key)
    return out


def check_batch_options(max_workers=None, timeout=None) -> None:
    """``--jobs`` a whole number ≥ 1 (or None), ``--timeout`` a finite number of seconds > 0 (or None)."""
    import math
    import numbers

    if max_workers is not None and (isinstance(max_workers, bool) or not isinstance(max_workers, numbers.Integral)
                                    or max_workers < 1):
        raise ParameterError(f"--jobs {max_workers!r} is not allowed",
                             expected="a whole number of parallel reports ≥ 1")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, numbers.Real)
                                or not math.isfinite(timeout) or timeout <= 0):
        raise ParameterError(f"--timeout {timeout!r} is not allowed",
                             expected="a number of seconds > 0")


# --------------------------------------------------------------------------------------- executors
@contextlib.contextmanager
def make_executor(spec: str = "local", max_workers: int | None = None, initializer=None) -> Iterator[cf.Executor]:
    """``local`` → a process pool (*max_workers*, default: CPU count; *initializer* run in each worker
    at its start); ``thread`` → a thread pool; ``dask://HOST:PORT`` (or ``tcp://…``) → the executor of a
    Dask client connected to that scheduler."""
    spec = spec or "local"
    if spec in ("local", "process"):
        ctx = multiprocessing.get_context("forkserver" if sys.platform != "win32" else "spawn")
        hook = threading.excepthook
        try:
            with cf.ProcessPoolExecutor(max_workers=max_workers or os.cpu_count(), mp_context=ctx,
                                        initializer=initializer) as ex:
                try:
                    yield ex
                except BaseException:  # interrupted (the running reports were waited for, or a second Ctrl-C):
                    threading.excepthook = _quiet_pool_thread(hook)  # leaving the pool must not wait for its
                    for proc in list((getattr(ex, "_processes", None) or {}).values()):  # queue
                        proc.terminate()
                    raise
        finally:
            threading.excepthook = hook
        return
    if spec == "thread":
        with cf.ThreadPoolExecutor(max_workers=max_workers or os.cpu_count()) as ex:
            yield ex
        return
    if spec.startswith(("dask://", "tcp://", "tls://")):
        try:
            from distributed import Client
        except ImportError:
            raise ParameterError("--executor dask://… needs the optional dask extra",
                                 expected='pip install "dtilib[dask]" (or: pip install "dask[distributed]")') from None
        addr = "tcp://" + spec[len("dask://"):] if spec.startswith("dask://") else spec
        try:
            client = Client(addr, timeout=os.environ.get("DTILIB_DASK_CONNECT_TIMEOUT", "20s"))
        except OSError as exc:
            raise ParameterError(f"cannot reach the Dask scheduler at {addr}: {exc}",
                                 expected="a running scheduler (dask scheduler / LocalCluster) at HOST:PORT") from None
        try:
            yield client.get_executor()
        finally:
            client.close()
        return
    raise ParameterError(f"unknown executor '{spec}'", expected="local, thread or dask://HOST:PORT")


# ---------------------------------------------------------------------------------------------- run
def run_job(job: dict) -> dict:
    """Run one report job in a worker; never raises (a failure is a ``failed`` result dict)."""
    spec = None
    if job.get("stop") and os.path.exists(job["stop"]):  # the batch was interrupted before this one started
        return {"status": SKIPPED}
    try:
        spec = spec_for(job["notebook"])
        r = run_report(spec.id, job.get("parameters", {}), lang=job.get("lang", "vi"), out_dir=job["out_dir"],
                       prevalidate=False, record=False, timeout=job.get("timeout", 900), key=job.get("key"),
                       engine=job.get("engine", "warm"))
        return r.to_dict()
    except BaseException as exc:  # noqa: BLE001 — isolate every failure, even KeyboardInterrupt in a worker
        return _failed(job, exc, spec).to_dict()


def _failed(job: dict, exc: BaseException, spec=None) -> ReportResult:
    params = {**job.get("parameters", {}), "lang": job.get("lang", "vi")}
    key = job.get("key")
    try:
        spec = spec or spec_for(job["notebook"])
        rkey, _, ipynb = report_paths(job["out_dir"], spec, params)
        if key:
            rkey, ipynb = f"{spec.id}/{key}", ipynb.with_name(f"{key}.ipynb")
    except Exception:  # noqa: BLE001
        rkey, ipynb = f"{job.get('notebook')}/{key or 'unknown'}", None
    return ReportResult(rkey, str(job.get("notebook")), {k: (str(v) if isinstance(v, Path) else v)
                                                         for k, v in params.items()},
                        params["lang"], "failed", ipynb=str(ipynb) if ipynb and Path(ipynb).exists() else None,
                        error=error_summary(exc))


def run_batch(jobs: list[dict], *, out_dir="reports", lang: str = "vi", executor: str | cf.Executor = "local",
              max_workers: int | None = None, progress: bool = True, timeout: float | None = 900,
              engine: str = "warm") -> list[dict]:
    """Run every job (``{"notebook", "parameters"[, "key"]}``) through *executor*; return the results.

    *engine* ``warm`` (default): each worker keeps a warm parent (:mod:`.warm`) and runs each report in
    a fork of it; ``stock``: papermill's engine, a Jupyter kernel per report.

    All jobs run whatever happens to the others; the results (one per job, in job order) are also
    recorded in ``<out_dir>/status.json`` and ``index.html`` as they come — in groups once rewriting
    them takes a while (thousands of reports): the files are rewritten at most so often that writing
    takes a tenth of the batch's time, and always at its end.
    """
    from tqdm.auto import tqdm

    from ..i18n import check_lang
    from .runner import check_engine
    from .status import record_results

    check_lang(lang)
    check_batch_options(max_workers, timeout)
    check_engine(engine)
    out_dir = Path(out_dir).resolve()
    stop = Path(tempfile.gettempdir()) / f"dti-batch-stop-{os.getpid()}-{uuid.uuid4().hex}"  # ours, removed below
    full = [{**j, "out_dir": str(out_dir), "lang": lang, "timeout": timeout, "engine": engine, "stop": str(stop)}
            for j in jobs]
    results: list[dict | None] = [None] * len(full)
    bar = tqdm(total=len(full), desc="dti report", unit="report", disable=not progress, file=sys.stderr)
    if isinstance(executor, str):
        ctx = make_executor(executor, max_workers, initializer=_start_worker_warm if engine == "warm" else _start_worker)
    else:
        ctx = contextlib.nullcontext(executor)
    pending: list[dict] = []
    next_write, n_failed = 0.0, 0
    futures: dict = {}
    interrupted = False
    try:
        with ctx as ex:
            try:
                with _no_ctrl_c_in_workers():  # the processes the pool starts now never see Ctrl-C
                    futures = {ex.submit(run_job, j): i for i, j in enumerate(full)}
                for fut in cf.as_completed(futures):
                    i = futures[fut]
                    results[i] = res = _result(fut, full[i])
                    pending.append(res)
                    if time.monotonic() >= next_write:  # writing takes at most a tenth of the batch's time
                        t0 = time.monotonic()
                        record_results(out_dir, pending, lang=lang)
                        pending, next_write = [], time.monotonic() + 9 * (time.monotonic() - t0)
                    n_failed += res["status"] != "ok"
                    bar.set_postfix(failed=n_failed, refresh=False)
                    bar.update(1)
            except BaseException:  # Ctrl-C, a lost scheduler: the reports not started are not started,
                interrupted = True  # those running finish (a second Ctrl-C stops the wait) and are recorded
                stop.touch()        # a report the pool had already queued to a worker sees it and does not start
                for fut in futures:
                    fut.cancel()
                _wait_running(ex, futures, timeout)
                raise
    finally:  # also when the batch is interrupted: every report that finished is recorded
        for fut, i in futures.items():  # after an interruption, a report the pool never ran is not a failure
            if (results[i] is None and fut.done() and not fut.cancelled()
                    and not (interrupted and fut.exception() is not None)):
                res = _result(fut, full[i])
                if res["status"] != SKIPPED:
                    results[i] = res
                    pending.append(res)
        if pending:
            record_results(out_dir, pending, lang=lang)
        stop.unlink(missing_ok=True)
        bar.close()
    return [r for r in results if r is not None]


def _quiet_pool_thread(hook):
    """*hook*, but silent on the pool thread's ``InvalidStateError`` (Python 3.11 sets the error of a pool it
    stopped on futures the interruption had cancelled: nothing is lost, the traceback would only alarm)."""
    def quiet(args):
        if not issubclass(args.exc_type, cf.InvalidStateError):
            hook(args)
    return quiet


SKIPPED = "skipped"  # a job not started because the batch was interrupted: not a result, never recorded


def _wait_running(ex, futures, timeout: float | None) -> None:
    """Wait (at most *timeout*) for the reports still running after an interruption — not for ever when
    a process pool has no live worker left (a pool broken by the interruption never finishes them)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    waiting = [f for f in futures if not f.done()]
    while waiting and (deadline is None or time.monotonic() < deadline):
        waiting = list(cf.wait(waiting, timeout=0.5).not_done)
        procs = getattr(ex, "_processes", None) if isinstance(ex, cf.ProcessPoolExecutor) else None
        if waiting and procs is not None and not any(p.is_alive() for p in list(procs.values())):
            return


@contextlib.contextmanager
def _no_ctrl_c_in_workers():
    """Ctrl-C blocked while the pool starts its processes (the first submit starts the pool's forkserver
    and workers; a blocked signal stays blocked in what they start).  Ctrl-C is the batch's to handle: it
    stops what has not started and waits for the running reports.  A worker interrupted while starting
    broke the pool, and the batch then waited for ever.  A Ctrl-C pressed meanwhile arrives right after."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if main:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start_worker() -> None:
    """A process-pool worker's start: Ctrl-C is the batch's to handle (it stops what has not started and
    waits for the running reports), never a worker's (a worker interrupted while starting broke the pool,
    and the batch waited for ever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _start_worker_warm() -> None:
    """:func:`_start_worker`, then the worker's warm parent starts (:func:`.warm.prestart`)."""
    _start_worker()
    from .warm import prestart

    prestart()


def _result(fut, job: dict) -> dict:
    try:
        return fut.result()
    except BaseException as exc:  # noqa: BLE001 — a worker that died (BrokenProcessPool, lost dask worker)
        return _failed(job, exc).to_dict()


def failed_jobs(notebook, out_dir="reports") -> list[dict]:
    """The jobs of *notebook* whose last recorded run in ``<out_dir>/status.json`` failed."""
    from .status import failed_entries

    spec = spec_for(notebook)
    if not (Path(out_dir) / "status.json").is_file():
        raise ParameterError(f"no status file {Path(out_dir) / 'status.json'}",
                             expected="a folder where dti report --all has run before")
    entries = failed_entries(out_dir, spec.id)
    jobs = []
    for e in entries:
        params = {k: v for k, v in (e.get("parameters") or {}).items() if k != "lang"}
        job = {"notebook": spec.id, "parameters": params}
        key = e["key"].split("/", 1)[1]
        if key.endswith(f".{e.get('lang')}") and e.get("lang") != "vi":
            key = key[: -len(e["lang"]) - 1]
        if "unit_file" in params or "unit" in params:
            job["key"] = key  # the distinct name it was given (see distinct_keys)
        jobs.append(job)
    return jobs
