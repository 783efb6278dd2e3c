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
