from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLE_FW = FIXTURES / "example_commune.yaml"


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
