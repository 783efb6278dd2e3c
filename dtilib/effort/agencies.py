"""Who leads (chủ trì) and who supports (phối hợp) each indicator of a plan.

``data/agencies/{province,district,commune}.csv`` hold **default roles** (labelled as defaults in every
output), keyed by main-indicator id (any framework) or by sub-indicator id (one framework); the
evidence is the published plans cited in ``data/agencies/README.md``.  A user's list (same columns;
``chu_tri`` required, ``phoi_hop`` optional, several separated by ``;``) overrides them row by row.

Resolution for one sub-indicator, first hit wins: the unit data's own ``responsible`` / ``supporting``
columns, the user's list (sub-indicator row, then its main indicator's row), the default list (idem).

>>> from dtilib import load_framework
>>> ag = agencies_for(load_framework("vn-province-922"))
>>> ag.lookup("kts_01", "kinh_te_so").lead
'Sở Công Thương'
>>> ag.lookup("kts_01", "kinh_te_so").default
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import DataError, ParameterError, suggest
from ..io import display_path, read_table

ROOT = Path(__file__).resolve().parents[2]
AGENCY_DIR = ROOT / "data" / "agencies"
LEVEL_FILE = {"province": "province.csv", "district": "district.csv", "commune": "commune.csv"}
ALIASES = {"chu_tri": ("chu_tri", "chủ trì", "lead", "don_vi_chu_tri"),
           "phoi_hop": ("phoi_hop", "phối hợp", "support", "supporting", "don_vi_phoi_hop"),
           "indicator": ("indicator", "chi_so", "chỉ số", "ma_chi_so")}


@dataclass(frozen=True)
class Assignment:
    lead: str
    support: str
    default: bool            # True: from the shipped default roles (say so in the document)
    origin: str              # "unit data", "agency list", "default", "framework", "none"


@dataclass
class Agencies:
    """Resolved agency rows: ``table`` (indicator, chu_tri, phoi_hop, default, file, row)."""

    table: pd.DataFrame
    files: list[str]

    def __post_init__(self) -> None:
        self._index = {}
        for r in self.table.to_dict("records"):
            self._index.setdefault((bool(r["default"]), r["indicator"]), r)

    def lookup(self, sub_id: str, main_id: str) -> Assignment:
        for default in (False, True):
            for key in (sub_id, main_id):
                r = self._index.get((default, key))
                if r is not None:
                    return Assignment(r["chu_tri"], r["phoi_hop"], default, "default" if default else "agency list")
        return Assignment("", "", False, "none")

    def main_row(self, main_id: str) -> Assignment:
        return self.lookup(main_id, main_id)


def default_file(level: str) -> Path:
    name = LEVEL_FILE.get(str(level), "commune.csv")
    return AGENCY_DIR / name


def _canon(df: pd.DataFrame, file: str) -> pd.DataFrame:
    ren = {}
    low = {str(c).strip().lower(): c for c in df.columns}
    for canon, names in ALIASES.items():
        for n in names:
            if n in low:
                ren[low[n]] = canon
                break
    df = df.rename(columns=ren)
    for req in ("indicator", "chu_tri"):
        if req not in df.columns:
            raise DataError(f"missing column {req}{suggest(req, df.columns)}", file=file, row=1,
                            expected="columns indicator, chu_tri (lead), phoi_hop (supporting, optional)")
    for c in ("phoi_hop", "framework"):
        if c not in df.columns:
            df[c] = ""
    return df


def read_agency_list(path, framework, *, default: bool = False) -> pd.DataFrame:
    """Read and check one agency list against *framework*: every row names a main or sub-indicator of
    it (rows of a sub-indicator scoped to another framework are skipped), no indicator twice, a
    non-empty chủ trì.  Errors name the file, the row (header = row 1) and the column."""
    file = display_path(path)
    df = _canon(read_table(path), file)
    main_ids = set(framework.main["id"])
    sub_ids = set(framework.sub["id"])
    rows, seen = [], {}
    for i, r in enumerate(df.itertuples(index=False), start=2):
        ind = str(r.indicator).strip()
        fw_scope = str(getattr(r, "framework", "") or "").strip()
        if fw_scope and fw_scope != framework.id:
            continue
        if not ind:
            raise DataError("empty indicator", file=file, row=i, column="indicator",
                            expected="a main-indicator id (e.g. kinh_te_so) or a sub-indicator id of "
                                     f"{framework.id}")
        if ind not in main_ids and ind not in sub_ids:
            if default and not fw_scope:
                continue            # a generic default row for a main indicator this framework does not have
            raise DataError(f"unknown indicator '{ind}'{suggest(ind, main_ids | sub_ids)}", file=file, row=i,
                            column="indicator",
                            expected=f"a main-indicator or sub-indicator id of framework {framework.id}")
        if ind in seen:
            raise DataError(f"indicator '{ind}' listed twice (first on row {seen[ind]})", file=file, row=i,
                            column="indicator", expected="one row per indicator")
        seen[ind] = i
        lead = str(r.chu_tri or "").strip()
        if not lead:
            raise DataError(f"no lead agency for '{ind}'", file=file, row=i, column="chu_tri",
                            expected="the agency in charge (chủ trì), e.g. Sở Khoa học và Công nghệ")
        sup = "; ".join(x.strip() for x in str(r.phoi_hop or "").split(";") if x.strip())
        rows.append({"indicator": ind, "chu_tri": lead, "phoi_hop": sup, "default": default, "file": file,
                     "row": i})
    return pd.DataFrame(rows, columns=["indicator", "chu_tri", "phoi_hop", "default", "file", "row"])


def agencies_for(framework, path=None, *, level: str | None = None, use_defaults: bool = True) -> Agencies:
    """The default roles for the framework's level, overridden by the list at *path* (if given)."""
    level = level or framework.level
    parts, files = [], []
    if path is not None:
        if not Path(path).exists():
            raise ParameterError(f"agency list '{path}' not found", column="--agencies",
                                 expected="a CSV/Excel file with columns indicator, chu_tri, phoi_hop")
        parts.append(read_agency_list(path, framework))
        files.append(display_path(path))
    if use_defaults:
        f = default_file(level)
        parts.append(read_agency_list(f, framework, default=True))
        files.append(f"data/agencies/{f.name}")
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["indicator", "chu_tri", "phoi_hop", "default", "file", "row"])
    return Agencies(table, files)
