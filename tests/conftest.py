import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_BUILT: list[Path] = []


def pytest_configure(config):
    """The suite reads the published record from a fresh build of ``data/raw`` in a temporary folder, never
    from (nor into) the repository's ``data/processed``: ``DTILIB_PROCESSED_DIR`` points there for this
    process and for every kernel, report or ``dti`` command it starts.  Set it yourself to test another
    build.  Built once per run (before any dtilib import, so every default path sees it); under
    ``pytest -n`` (pytest-xdist) the controller builds it and its workers, started after this hook with its
    environment, read the same folder."""
    if os.environ.get("DTILIB_PROCESSED_DIR") or _BUILT:
        return
    out = Path(tempfile.mkdtemp(prefix="dti-tests-")) / "processed"
    os.environ["DTILIB_PROCESSED_DIR"] = str(out)
    from dtilib.data.tables import build

    build(out_dir=out)
    _BUILT.append(out.parent)


def pytest_collection_modifyitems(config, items):
    """Under ``pytest -n`` (``make test``), the ``slow`` tests first (stable order otherwise): the long ones
    start while the other worker still has short tests to take, instead of ending the run alone."""
    if hasattr(config, "workerinput"):
        items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_unconfigure(config):
    for d in _BUILT:
        shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="session")
def processed() -> Path:
    """The folder of the processed tables the suite reads (a fresh build, see :func:`pytest_configure`)."""
    from dtilib.data import paths

    assert (paths.PROCESSED_DIR / "results.csv").is_file(), paths.PROCESSED_DIR
    return paths.PROCESSED_DIR
RAW = ROOT / "data" / "raw"
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_FW = FIXTURES / "example_commune.yaml"
# Two communes' inputs under EXAMPLE_FW (a long CSV without a year column). Xã A: 20 + 20 + (0.4 / 0.8) × 40 + 20 =
# 80 of 100 (Nhận thức số 40/40, Chính quyền số 40/60); Xã B: 0 + 10 + (0.2 / 0.8) × 40 + 0 = 20 (10/60).
EXAMPLE_ROWS = """unit,indicator,input,value
Xã A,nts_01,value,1
Xã A,nts_02,count,4
Xã A,cqs_01,a,50
Xã A,cqs_01,b,20
Xã A,cqs_02,level,personalised
Xã B,nts_01,value,0
Xã B,nts_02,count,2
Xã B,cqs_01,a,50
Xã B,cqs_01,b,10
Xã B,cqs_02,level,none
"""


@pytest.fixture
def example_fw():
    from dtilib import load_framework

    return load_framework(EXAMPLE_FW)


ANALYSIS_FIXTURES = FIXTURES / "analysis"


@pytest.fixture(scope="module")
def results():
    """The small published-record fixture the analysis tests share (a test module may define its own)."""
    from dtilib.analysis import load_results

    return load_results(ANALYSIS_FIXTURES / "results.csv")


@pytest.fixture(scope="module")
def national():
    from dtilib.analysis import load_national

    return load_national(ANALYSIS_FIXTURES / "national.csv")


@pytest.fixture(autouse=True)
def _english_error_messages(monkeypatch):
    """Error lines of the CLI in English (``DTI_LANG=en``) in the tests that compare them word for word;
    a user sees them in Vietnamese by default (tests/test_bad_inputs.py checks both languages)."""
    monkeypatch.setenv("DTI_LANG", "en")
