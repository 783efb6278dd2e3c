"""``dti framework import`` (a decision's appendix table or a framework workbook → YAML) and
``dti framework export`` (a framework → the workbook an analyst completes in Excel)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from ..errors import ParameterError
from ..i18n import fmt_number, t


def register(sub) -> None:
    p = sub.add_parser("framework", help="import a framework from its document, export it as a workbook")
    fsub = p.add_subparsers(dest="framework_command", metavar="ACTION")
    q = fsub.add_parser("import", help="a decision's appendix table (.docx/.xlsx/.xls/.csv/.txt/.md) or a "
                                       "framework workbook → framework .yaml")
    q.add_argument("document")
    q.add_argument("--id", help="id of the new framework (required unless DOCUMENT is a framework workbook)")
    q.add_argument("--level", choices=["province", "district", "commune", "department"],
                   help="default: read from the document's title, else province")
    q.add_argument("--legal-source", help='the decision, e.g. "1294/QĐ-UBND của UBND tỉnh Bắc Kạn (14/7/2022)"')
    q.add_argument("--source-url", help="public address of the document")
    q.add_argument("--years", help="first year scored, or FIRST-LAST (default: a year in the title)")
    q.add_argument("--out", required=True, help="framework .yaml to write")
    q.add_argument("--lang", default="vi", choices=["vi", "en"])
    q.set_defaults(func=cmd_import, out_formats=(".yaml", ".yml"))
    q = fsub.add_parser("export", help="a framework (id or .yaml) → workbook to complete by hand")
    q.add_argument("framework")
    q.add_argument("--out", required=True, help="workbook .xlsx to write")
    q.add_argument("--lang", default="vi", choices=["vi", "en"])
    q.set_defaults(func=cmd_export, out_formats=(".xlsx",))
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _years(text: str | None):
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:[-–]\s*(\d{4})?)?\s*", text)
    if not m:
        raise ParameterError(f"--years {text!r} is not valid", column="--years", expected="YEAR or FIRST-LAST, e.g. 2024 or 2022-2024")
    first, last = int(m.group(1)), (int(m.group(2)) if m.group(2) else None)
    if last is not None and last < first:
        raise ParameterError(f"--years {text!r}: the last year is before the first", column="--years",
                             expected="FIRST-LAST with FIRST ≤ LAST")
    return first, last


def _check_out(path: str, suffixes: set[str]) -> Path:
    out = Path(path)
    if out.suffix.lower() not in suffixes:
        raise ParameterError(f"--out {path!r} has the wrong extension", column="--out",
                             expected="a file ending in " + " or ".join(sorted(suffixes)))
    return out


def cmd_import(args) -> int:
    from ..frameworks.document import describe_finding, dump_yaml, import_document
    from ..frameworks.workbook import import_workbook, is_framework_workbook
    from ..io import atomic_write

    out = _check_out(args.out, {".yaml", ".yml"})
    doc = Path(args.document)
    lang = args.lang
    if doc.suffix.lower() in {".xlsx", ".xlsm"} and doc.exists() and is_framework_workbook(doc):
        fw_doc, fw = import_workbook(doc)
        atomic_write(out, dump_yaml(fw_doc))
        known = int((fw.sub["rule"] != "unknown").sum()) if len(fw.sub) else 0
        print(t("fwimport.workbook", lang, file=doc.name, n=len(fw.sub), known=known))
        print(t("fwimport.wrote", lang, path=out))
        return 0
    if not args.id:
        raise ParameterError("--id is required to import a document", column="--id",
                             expected="an id for the new framework, e.g. quang-ngai-district-104")
    res = import_document(doc, id=args.id, level=args.level, legal_source=args.legal_source,
                          source_url=args.source_url, years=_years(args.years))
    atomic_write(out, res.to_yaml())
    print(t("fwimport.coverage", lang, n=res.n_recognised, total=res.n_sub,
            pts=fmt_number(res.points_recognised, lang, 1), pts_total=fmt_number(res.points_total, lang, 1)))
    if res.unknowns:
        print(t("fwimport.unknowns", lang))
        for code, name, mx in res.unknowns:
            pts = t("fwimport.no_max", lang) if mx is None else f"{fmt_number(mx, lang, 1)} {t('points', lang).lower()}"
            print(f"  {code}  {name[:80]} ({pts})")
    if res.disagreements:
        print(t("fwimport.findings", lang))
        for d in res.disagreements:
            print(f"  {describe_finding(d, lang)}")
    if res.skipped:
        print(t("fwimport.skipped", lang), file=sys.stderr)
        for s in res.skipped:
            print("  " + t(f"fwdoc.skip.{s['why']}", lang, where=s["where"], text=s["text"]), file=sys.stderr)
    print(t("fwimport.wrote", lang, path=out))
    return 0


def cmd_export(args) -> int:
    from ..frameworks.workbook import export_workbook

    out = _check_out(args.out, {".xlsx"})
    export_workbook(args.framework, out, lang=args.lang)
    print(t("fwimport.wrote", args.lang, path=out))
    return 0
