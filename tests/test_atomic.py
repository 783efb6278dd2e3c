"""Outputs are written atomically: a build killed midway leaves the previous build intact."""

import hashlib
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import RAW
from dtilib.data.tables import STAMP, TABLES, build
from dtilib.io import MARKER, atomic_write, recover_dir, swap_dir


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


CHILD = textwrap.dedent("""
    import sys, time
    import dtilib.data.tables as b
    real = b.write_csv
    n = 0
    def slow(df, target, **kw):
        global n
        out = real(df, target, **kw)
        n += 1
        print("wrote", target, flush=True)
        if n == int(sys.argv[3]):
            time.sleep(60)      # the parent kills us here
        return out
    b.write_csv = slow
    b.build(sys.argv[1], sys.argv[2])
    print("done", flush=True)
""")


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """A copy of the raw data and a build of it (copied by each test: the same starting point, built once)."""
    d = tmp_path_factory.mktemp("previous")
    shutil.copytree(RAW, d / "raw")
    build(d / "raw", d / "processed")
    return d


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 2, 3, 4])
def test_build_killed_midway_leaves_previous_build(tmp_path, kill_after, previous):
    raw = previous / "raw"                     # read only
    out = tmp_path / "processed"
    shutil.copytree(previous / "processed", out)
    (out / "previous.txt").write_text("previous build")
    before = _hashes(out)
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(raw), str(out), str(kill_after)], stdout=subprocess.PIPE, text=True)
    try:
        for _ in range(kill_after):
            line = proc.stdout.readline()
            assert line.startswith("wrote"), line
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert _hashes(out) == before  # untouched, marker included
    build(raw, out)                # and the next build succeeds over the debris
    after = _hashes(out)
    assert set(after) == {*TABLES, STAMP, MARKER} and all(after[t] == before[t] for t in TABLES)


def test_swap_dir_exchanges_and_recovers(tmp_path):
    target, new = tmp_path / "t", tmp_path / "n"
    target.mkdir()
    (target / "a").write_text("old")
    new.mkdir()
    (new / "a").write_text("new")
    swap_dir(new, target)
    assert (target / "a").read_text() == "new" and not new.exists()
    # simulate a kill between the two renames of the fallback path
    target.rename(tmp_path / ".t.old")
    recover_dir(target)
    assert (target / "a").read_text() == "new"


def test_atomic_write_failure_keeps_previous(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("previous")

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        from dtilib.io import atomic_path

        with atomic_path(f) as tmp:
            tmp.write_text("half")
            raise Boom
    assert f.read_text() == "previous" and [p.name for p in tmp_path.iterdir()] == ["x.csv"]
    atomic_write(f, "new")
    assert f.read_text() == "new"


def test_atomic_outputs_get_the_usual_file_mode(tmp_path):
    import os

    f = atomic_write(tmp_path / "x.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert f.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.slow
def test_report_killed_midway_leaves_previous_report(tmp_path):
    import os
    import time

    out = tmp_path / "reports"
    cmd = [sys.executable, "-m", "dtilib.cli", "report", "02_province_trend", "--out-dir", str(out)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    folder = out / "02_province_trend"
    before = _hashes(folder)
    assert {"lai-chau.html", "lai-chau.ipynb"} <= set(before)
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not list(folder.glob(".lai-chau.*.tmp.ipynb")):   # papermill is executing into its temp file
            assert proc.poll() is None and time.monotonic() < deadline, "the report ended before it could be killed"
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)                       # the CLI and its kernel
        proc.wait(timeout=30)
    after = {k: v for k, v in _hashes(folder).items() if not k.startswith(".")}
    assert after == before
