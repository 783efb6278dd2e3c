"""``dti import-raw``, ``dti build`` and ``dti reconcile``: thin wrappers over :mod:`dtilib.data`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..data import paths


def register(sub) -> None:
    p = sub.add_parser("import-raw", help="copy the published data files into data/raw/ and write SOURCES.yaml")
    p.add_argument("--from", dest="src", default=str(paths.SHARED_DATA),
                   help="folder of the published files (default: ../shared/data)")
    p.add_argument("--to", dest="dst", default=str(paths.RAW_DIR), help="raw folder (default: data/raw)")
    p.add_argument("--force", action="store_true", help="replace raw files whose bytes differ from the source")
    p.set_defaults(func=cmd_import_raw)

    p = sub.add_parser("build", help="build data/processed/ from data/raw/ (deterministic, atomic)")
    p.add_argument("--raw", default=str(paths.RAW_DIR), help="raw folder (default: data/raw)")
    p.add_argument("--out", default=str(paths.PROCESSED_DIR), help="output folder (default: data/processed)")
    p.set_defaults(func=cmd_build, out_kind="dir")

    p = sub.add_parser("reconcile", help="check published figures against each other (no data is changed)")
    p.add_argument("--results", help="DTI results in the format of data/raw/dti_results.csv (default: shipped)")
    p.add_argument("--pillars", help="indicator values in the format of data/raw/dti_pillars.csv (default: shipped)")
    p.add_argument("--raw", default=str(paths.RAW_DIR),
                   help="raw folder for names, crosswalk, national and seed tables (default: data/raw)")
    p.add_argument("--out", help="write every check to this CSV")
    p.add_argument("--strict", action="store_true", help="exit with status 1 when a mismatch is found")
    p.add_argument("--lang", default="vi", choices=["vi", "en"], help="language of the summary (default vi)")
    p.set_defaults(func=cmd_reconcile)


def cmd_import_raw(args) -> int:
    from ..data.importer import import_raw

    report = import_raw(args.src, args.dst, force=args.force)
    for what in ("copied", "replaced", "unchanged"):
        if report[what]:
            print(f"{what}: {', '.join(report[what])}")
    print(f"wrote {Path(args.dst) / paths.SOURCES}")
    return 0


def cmd_build(args) -> int:
    from ..data.tables import build

    written = build(args.raw, args.out)
    for path in written.values():
        n = sum(1 for _ in open(path, encoding="utf-8")) - 1
        print(f"{path}: {n} rows")
    return 0


def cmd_reconcile(args) -> int:
    from ..data.reconcile import has_mismatch, reconcile, summary, write

    out = reconcile(args.results, args.pillars, raw_dir=args.raw)
    if args.out:
        write(out, args.out)
    print(summary(out, lang=args.lang))
    if args.out:
        print(f"\nwrote {args.out}")
    if args.strict and has_mismatch(out):
        print("mismatches found (--strict)", file=sys.stderr)
        return 1
    return 0
