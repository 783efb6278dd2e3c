"""Where the data layers live.

The repository's ``data/raw`` and ``data/processed`` by default; ``DTILIB_RAW_DIR`` /
``DTILIB_PROCESSED_DIR`` override them (e.g. when the package is installed outside the repository).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
RAW_DIR = Path(os.environ.get("DTILIB_RAW_DIR", REPO / "data" / "raw"))
PROCESSED_DIR = Path(os.environ.get("DTILIB_PROCESSED_DIR", REPO / "data" / "processed"))
SHARED_DATA = REPO.parent / "shared" / "data"

# the raw files the build reads (all in RAW_DIR)
RESULTS = "dti_results.csv"
PILLARS = "dti_pillars.csv"
NATIONAL = "dti_national.csv"
NATIONAL_LONG = "dti_national_long.csv"
PROVINCES_63 = "provinces_63.csv"
PROVINCES_34 = "provinces_34.csv"
ALIASES = "name_aliases.csv"
SEED_GROUPS = "seed_bac_kan_city_2023_groups.csv"
SEED_STATED = "seed_bac_kan_city_2023_stated.csv"
README_CONFLICTS = "readme_known_conflicts.csv"
DOCUMENTS = "public_documents.csv"          # public documents behind the seed texts
RECORD_RESULTS = "record_results.csv"      # figures this project found in public sources (same format)
RECORD_PILLARS = "record_pillars.csv"
SOURCES = "SOURCES.yaml"
