"""The bad-input catalogue: every case in tests/bad_inputs/ gives exactly its expected one-line message.

Each case folder holds its input files and ``case.yaml`` (``what``, ``args`` for the ``dti`` CLI,
``message`` = the exact line printed on stderr in Vietnamese, what a user sees by default, and
``message_en`` = the same line in English, ``DTI_LANG=en`` or ``--lang en``).  The case runs in a copy of its folder with the
example commune framework beside it as ``commune.yaml``; it must exit with code 2, print no
traceback, and leave every file (including a pre-existing output) byte-identical, creating none.
"""

import hashlib
import re
import shutil
from pathlib import Path

import pytest
import yaml
from lang_scan import foreign_words

from conftest import EXAMPLE_FW
from dtilib.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "bad_inputs").iterdir() if (p / "case.yaml").exists())


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_catalogue_has_at_least_100_cases():
    assert len(CASES) >= 100


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input(case, lang, tmp_path, monkeypatch, capsys):
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    monkeypatch.setenv("DTI_LANG", lang)
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
    assert lines == [spec["message" if lang == "vi" else "message_en"]]
    assert _snapshot(work) == before, "an input or output file was touched"


def test_the_messages_are_in_one_language():
    # names, values and codes as the user typed them are quoted ('…'); the rest is in the message's language
    allow = {"unit", "value", "indicator", "input", "year", "years", "target", "none", "unknown", "nan", "points"}
    for case in CASES:
        spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
        vi = re.sub(r"^dti \S+:|'[^']*'|\"[^\"]*\"", " ", spec["message"])
        if "YAML" not in vi:                       # PyYAML's own reason is quoted as it gives it
            assert foreign_words(vi, "vi", allow) == [], case.name
        assert spec["message_en"].startswith(spec["message"].split(": lỗi: ")[0] + ": error: ")


def test_debug_flag_shows_the_traceback(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(Exception, match="file not found"):
        main(["--debug", "validate", "nope.csv", "--framework", str(EXAMPLE_FW)])


def test_without_a_language_the_message_is_vietnamese_and_lang_en_gives_english(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DTI_LANG")
    assert main(["validate", "nope.csv", "--framework", str(EXAMPLE_FW)]) == 2
    assert capsys.readouterr().err.strip() == ("dti validate: lỗi: nope.csv: không tìm thấy tệp "
                                               "(cần: một tệp CSV hoặc Excel có sẵn)")
    # a command's own --lang wins over DTI_LANG
    monkeypatch.setenv("DTI_LANG", "vi")
    assert main(["trend", "--province", "Lai Chou", "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("dti trend: error: parameter 'province': unknown province 'Lai Chou'")
