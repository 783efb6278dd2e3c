"""``dti report`` and ``dti notebooks``: thin wrappers over :mod:`.runner`, :mod:`.batch`, :mod:`.notebooks`."""

from __future__ import annotations

import sys


def register(sub) -> None:
    p = sub.add_parser(
        "report", help="run a notebook with parameters and write a self-contained HTML report",
        description="Run NOTEBOOK (01_national_overview, 02_province_trend, 03_unit_gap_analysis, "
                    "04_points_per_effort, 05_outlook_34 — or its number, or a path) with papermill and export HTML. "
                    "With --all: one report per province (or per unit / unit file), in parallel.")
    p.add_argument("notebook", help="notebook id, number (02) or path")
    p.add_argument("-p", "--parameter", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                   help="a notebook parameter (repeatable); numbers, true/false and none are converted")
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="report language (default vi)")
    p.add_argument("--out-dir", default="reports", help="output folder (default reports/)")
    p.add_argument("--all", action="store_true", help="one report per province (or per unit)")
    p.add_argument("--era", type=int, choices=[63, 34], default=None,
                   help="with --all: the 63 provinces (default) or the 34 (after 1/7/2025)")
    p.add_argument("--units-dir", help="with --all: one report per unit data file (.csv/.xlsx) in this folder")
    p.add_argument("--jobs", type=int, default=None, help="parallel reports (default: CPU count)")
    p.add_argument("--executor", default="local",
                   help="local (process pool, default), thread, or dask://HOST:PORT (needs the dask extra)")
    p.add_argument("--only-failed", action="store_true",
                   help="with --all: re-run only the reports that failed last time (from OUT_DIR/status.json)")
    p.add_argument("--engine", choices=["warm", "stock"], default=None,
                   help="papermill engine: stock (a Jupyter kernel per report; default for one report) or warm "
                        "(dti-warm: each report forked from a warm parent; default with --all)")
    p.add_argument("--timeout", type=float, default=900, help="seconds per notebook cell (default 900)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_report)

    n = sub.add_parser("notebooks", help="regenerate (sync) or check the notebooks' .ipynb from their .py")
    n.add_argument("action", choices=["sync", "check"])
    n.add_argument("--dir", default=None, help="notebooks folder (default notebooks/)")
    n.set_defaults(func=cmd_notebooks)


def convert(value: str):
    """A ``-p`` value as papermill's CLI reads it: int, float, true/false, none, else the text."""
    low = value.strip().lower()
    if low in ("none", "null"):
        return None
    if low in ("true", "false"):
        return low == "true"
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            pass
    return value


def cmd_report(args) -> int:
    from pathlib import Path

    from ..errors import ParameterError
    from ..reporting.params import spec_for

    params = {name: convert(value) for name, value in args.parameter}
    spec = spec_for(args.notebook)
    if Path(args.out_dir).exists() and not Path(args.out_dir).is_dir():
        raise ParameterError(f"--out-dir {args.out_dir} is a file, not a folder", expected="a folder for the reports")
    if "lang" in params:
        raise ParameterError("give the language with --lang, not -p lang", expected="--lang vi or --lang en")
    batch_only = [o for o, v in (("--era", args.era), ("--units-dir", args.units_dir),
                                 ("--only-failed", args.only_failed)) if v]
    if not args.all and batch_only:
        raise ParameterError(f"{batch_only[0]} needs --all", expected="dti report NOTEBOOK --all " + batch_only[0])
    return report_all(args, spec, params) if args.all else report_one(args, spec, params)


def report_one(args, spec, params: dict) -> int:
    """``dti report NOTEBOOK``: one page (exit 1 when the notebook fails)."""
    from ..i18n import t
    from ..reporting.batch import check_batch_options
    from ..reporting.runner import error_text, run_report

    check_batch_options(None, args.timeout)
    r = run_report(spec.id, params, lang=args.lang, out_dir=args.out_dir, timeout=args.timeout,
                   engine=args.engine or "stock")
    if r.ok:
        print(f"{r.html}\n{r.ipynb}\n({r.seconds:.1f} s)")
        return 0
    print(t("batch.one_failed", args.lang, notebook=spec.id, error=error_text(r.error, args.lang),
            ipynb=r.ipynb or t("batch.no_notebook", args.lang)), file=sys.stderr)
    return 1


def report_all(args, spec, params: dict) -> int:
    """``dti report NOTEBOOK --all``: one page per province or unit (exit 1 when any fails)."""
    from ..errors import ParameterError
    from ..i18n import t
    from ..reporting import batch
    from ..reporting.runner import error_text

    batch.check_batch_options(args.jobs, args.timeout)
    lang = args.lang
    if args.only_failed:
        own = sorted(set(params) & batch.per_job(spec.id))
        if own:
            raise ParameterError(f"-p {own[0]} with --only-failed: each report re-runs with its recorded {own[0]}",
                                 expected="--only-failed with the shared parameters only (e.g. -p framework FILE)")
        jobs = batch.failed_jobs(spec.id, args.out_dir)
        if not jobs:
            print(t("batch.none_failed", lang, notebook=spec.id, path=f"{args.out_dir}/status.json"))
            return 0
        for job in jobs:   # the parameters given now replace the recorded ones (a corrected framework …)
            job["parameters"].update(params)
    elif spec.batch_over == "province":
        if args.units_dir:
            raise ParameterError(f"{spec.id} runs over provinces, not unit files", expected="--era 63 or --era 34")
        jobs = batch.province_jobs(spec.id, era=args.era or 63, base=params)
    elif spec.batch_over == "unit":
        jobs = batch.unit_jobs(spec.id, units_dir=args.units_dir, base=params)
    else:
        raise ParameterError(f"{spec.id} is one report, not one per province or unit",
                             expected="dti report " + spec.id + " (without --all)")
    # once, before any kernel starts: a bad -p (or a bad shared unit file) fails here, not in every report
    batch.check_jobs(spec.id, jobs, unit_file=None if args.only_failed or args.units_dir else params.get("unit_file"))
    results = batch.run_batch(jobs, out_dir=args.out_dir, lang=lang, executor=args.executor,
                              max_workers=args.jobs, progress=not args.no_progress, timeout=args.timeout,
                              engine=args.engine or "warm")
    failed = [r for r in results if r["status"] != "ok"]
    print(t("batch.summary", lang, ok=len(results) - len(failed), failed=len(failed),
            path=f"{args.out_dir}/index.html"))
    for r in failed:
        print(t("batch.failed", lang, report=r["key"], error=error_text(r["error"], lang),
                ipynb=r.get("ipynb") or t("batch.no_notebook", lang)), file=sys.stderr)
    if failed:
        print(t("batch.rerun", lang, command=f"dti report {spec.id} --all --only-failed --out-dir {args.out_dir}"),
              file=sys.stderr)
    return 1 if failed else 0


def cmd_notebooks(args) -> int:
    from ..reporting import notebooks

    if args.action == "sync":
        written = notebooks.sync(args.dir)
        for w in written:
            print(f"wrote {w}")
        if not written:
            print("notebooks in sync")
        return 0
    problems = notebooks.check(args.dir)
    for pr in problems:
        print(pr, file=sys.stderr)
    return 1 if problems else 0


