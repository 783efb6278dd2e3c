"""The bad-input catalogue: every case in tests/bad_inputs/ gives exactly its expected one-line message.

Each case folder holds its input files and ``case.yaml`` (``what``, ``args`` for the ``dti`` CLI,
``message`` = the exact line printed on stderr).  The case runs in a copy of its folder with the
example commune framework beside it as ``commune.yaml``; it must exit with code 2, print no
traceback, and leave every file (including a pre-existing output) byte-identical, creating none.
"""

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import EXAMPLE_FW
from dtilib.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if (p / "case.yaml").exists())


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_catalogue_has_at_least_100_cases():
    assert len(CASES) >= 100


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, tmp_path, monkeypatch, capsys):
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    work = tmp_path / case.name
    shutil.copytree(case, work)
    shutil.copy(EXAMPLE_FW, work / "commune.yaml")
    before = _snapshot(work)
    monkeypatch.chdir(work)
    code = main(spec["args"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert lines == [spec["message"]]
    assert _snapshot(work) == before, "an input or output file was touched"


def test_debug_flag_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception, match="file not found"):
        main(["--debug", "validate", "nope.csv", "--framework", str(EXAMPLE_FW)])
