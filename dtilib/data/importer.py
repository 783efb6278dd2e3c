"""``dti import-raw``: copy the published files into ``data/raw/`` unchanged and record provenance.

Files are copied byte for byte (atomically).  A file already in ``data/raw/`` with other bytes is a
change of the published record: it is refused unless ``force=True`` (nothing is copied then).
``SOURCES.yaml`` lists every raw file with what it is, where it came from (the web domains cited in its
rows, and seed documents), when it was compiled (the source file's modification date) and its sha256.
Entries of kind ``transcribed`` (tables typed from the seed documents) are kept as they are.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import yaml

from ..errors import DataError
from ..io import atomic_write
from . import paths

URL_RE = re.compile(r"https?://([^/\s|,\"';)]+)")
SEED_RE = re.compile(r"(?:seed:)?shared/seeds/([0-9A-Za-z_.-]+\.txt)")

HEADER = """\
# Provenance of data/raw/ — every file here, what it is, where it came from, its sha256.
# Written by `dti import-raw --from ../shared/data`; entries of kind 'transcribed' are maintained by hand.
# Files in data/raw/ are never modified by code (tests/test_data_raw.py checks the sha256 values).
"""


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def describe_from_readme(readme: Path) -> dict[str, str]:
    """File name → description, from the markdown table of the data README (``| `file` | rows | content |``)."""
    out: dict[str, str] = {}
    if not readme.exists():
        return out
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and "`" in cells[0]:
            for name in re.findall(r"`([^`]+)`", cells[0]):
                out[name] = cells[-1]
    return out


def summarise_sources(path: Path, raw_dir: Path | None = None) -> dict:
    """Domains of the URLs cited in a text file (with counts) and the public documents it cites (seed
    texts are named by the document of ``public_documents.csv`` they are a copy of, never by a path)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return {}
    domains = Counter(d.lower().removeprefix("www.") for d in URL_RE.findall(text))
    seeds = sorted(set(SEED_RE.findall(text)))
    out: dict = {}
    if domains:
        out["web_domains"] = {d: n for d, n in sorted(domains.items(), key=lambda kv: (-kv[1], kv[0]))}
    if seeds:
        from .raw import documents

        docs = documents(str(raw_dir) if raw_dir is not None else None)
        out["public_documents"] = [
            f"doc:{docs[f'seed:{s}']['id']}: {docs[f'seed:{s}']['citation']}" if f"seed:{s}" in docs
            else f"an unregistered planning text ({s}; add it to {paths.DOCUMENTS})" for s in seeds]
    return out


def _rows(path: Path) -> int | None:
    if path.suffix.lower() != ".csv":
        return None
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def read_sources(raw_dir: str | Path) -> dict:
    """The parsed ``SOURCES.yaml`` of *raw_dir* (``{}`` when there is none)."""
    p = Path(raw_dir) / paths.SOURCES
    if not p.exists():
        return {}
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise DataError(f"cannot parse YAML: {exc}", file=str(p), expected="valid YAML") from None
    return data


def import_raw(src: str | Path = paths.SHARED_DATA, dst: str | Path = paths.RAW_DIR, *,
               force: bool = False) -> dict[str, list[str]]:
    """Copy every file of *src* into *dst* unchanged and (re)write ``dst/SOURCES.yaml``.

    Returns ``{"copied": [...], "unchanged": [...], "replaced": [...]}``.  Raises :class:`DataError`
    listing the files whose bytes differ from those already in *dst*, unless *force*.
    """
    src, dst = Path(src), Path(dst)
    if not src.is_dir():
        raise DataError("source folder not found", file=str(src), expected="the folder of the published data "
                        "(../shared/data relative to the repository)")
    files = sorted(p for p in src.iterdir() if p.is_file() and not p.name.startswith("."))
    if not files:
        raise DataError("source folder has no files", file=str(src), expected="the published CSV files")
    existing = read_sources(dst).get("files", {}) if dst.exists() else {}
    transcribed = {k: v for k, v in existing.items() if isinstance(v, dict) and v.get("kind") == "transcribed"}
    clash = [p.name for p in files if p.name in transcribed or p.name == paths.SOURCES]
    if clash:
        raise DataError(f"source file(s) {', '.join(clash)} would replace a transcribed or provenance file",
                        file=str(src), expected="published files with other names")
    changed = [p.name for p in files if (dst / p.name).exists() and (dst / p.name).read_bytes() != p.read_bytes()]
    if changed and not force:
        raise DataError(
            f"{len(changed)} file(s) in {dst} differ from the source: {', '.join(changed)}; the raw layer is "
            "the published record and is not overwritten silently", file=str(src),
            expected="identical files, or --force to replace them (then review the diff before committing)")
    report: dict[str, list[str]] = {"copied": [], "unchanged": [], "replaced": []}
    for p in files:
        target = dst / p.name
        if target.exists() and target.read_bytes() == p.read_bytes():
            report["unchanged"].append(p.name)
            continue
        report["replaced" if target.exists() else "copied"].append(p.name)
        atomic_write(target, p.read_bytes())
        target.chmod(0o644)

    described = describe_from_readme(src / "README.md")
    entries: dict[str, dict] = {}
    for p in files:
        entry: dict = {"kind": "imported",
                       "what": described.get(p.name, "the compiler's notes on these files: list, conventions, "
                                             "coverage and known conflicts" if p.name == "README.md"
                                             else "(not described in README.md)"),
                       "from": f"the compiled DTI data set, file {p.name} (its public sources: 'sources')",
                       "compiled": datetime.fromtimestamp(p.stat().st_mtime, UTC).date().isoformat()}
        n = _rows(p)
        if n is not None:
            entry["rows"] = n
        entry["bytes"] = p.stat().st_size
        entry["sha256"] = sha256(p)
        srcs = summarise_sources(p, dst)
        if srcs:
            entry["sources"] = srcs
        entries[p.name] = entry
    for name, entry in sorted(transcribed.items()):
        entries[name] = entry
    # provenance names public sources, not the local folder the copy was made from
    doc = {"imported_from": "the compiled DTI data set (byte copies; each row cites its public source)",
           "files": dict(sorted(entries.items()))}
    text = HEADER + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=110)
    atomic_write(dst / paths.SOURCES, text)
    (dst / paths.SOURCES).chmod(0o644)
    return report


def verify_raw(raw_dir: str | Path = paths.RAW_DIR) -> list[str]:
    """Problems of *raw_dir* against its ``SOURCES.yaml``: missing, unlisted or changed files (empty = ok)."""
    raw_dir = Path(raw_dir)
    listed = read_sources(raw_dir).get("files", {})
    problems = []
    present = {p.name for p in raw_dir.iterdir() if p.is_file() and not p.name.startswith(".")} - {paths.SOURCES}
    for name in sorted(present - set(listed)):
        problems.append(f"{name}: not listed in {paths.SOURCES}")
    for name, entry in sorted(listed.items()):
        p = raw_dir / name
        if not p.exists():
            problems.append(f"{name}: listed in {paths.SOURCES} but missing")
        elif sha256(p) != entry.get("sha256"):
            problems.append(f"{name}: sha256 differs from {paths.SOURCES} (the raw file was modified)")
    return problems
