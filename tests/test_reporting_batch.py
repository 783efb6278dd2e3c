"""Batch reports: parallel, failures isolated and summarised, re-run of failures, Dask executor."""

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from dtilib.errors import ParameterError
from dtilib.reporting.batch import failed_jobs, province_jobs, run_batch, unit_jobs
from dtilib.reporting.runner import offline_problems

EXAMPLE = ROOT / "data" / "examples" / "bac-kan-city-2023.illustrative.csv"
DTI = [sys.executable, "-m", "dtilib.cli"]


pytestmark = pytest.mark.usefixtures("processed")


def test_jobs_of_both_eras_and_of_units(tmp_path):
    assert len(province_jobs("02", era=63)) == 63 and len(province_jobs("02", era=34)) == 34
    assert [j["parameters"]["unit"] for j in unit_jobs("03")][:2] == ["Thành phố Bắc Kạn", "Huyện Chợ Mới"]
    with pytest.raises(ParameterError, match="has no 'province' parameter"):
        province_jobs("03")
    with pytest.raises(ParameterError, match="no .csv or .xlsx files"):
        unit_jobs("03", units_dir=tmp_path)


@pytest.mark.slow
def test_one_poisoned_province_does_not_stop_the_others(tmp_path):
    jobs = [{"notebook": "02_province_trend", "parameters": {"province": name}}
            for name in ("Lai Châu", "Kon Tum", "Atlantis", "Đà Nẵng")]
    results = run_batch(jobs, out_dir=tmp_path, executor="local", max_workers=2, progress=False)
    by = {r["parameters"]["province"]: r for r in results}
    assert [r["status"] for r in results] == ["ok", "ok", "failed", "ok"]
    bad = by["Atlantis"]
    assert bad["error"].startswith("ParameterError: parameter 'province': unknown province 'Atlantis'")
    assert bad["ipynb"] and Path(bad["ipynb"]).is_file() and bad["html"] is None   # the executed notebook
    nb = json.loads(Path(bad["ipynb"]).read_text(encoding="utf-8"))
    assert any(o.get("ename") == "ParameterError" for c in nb["cells"] for o in c.get("outputs", []))
    status = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))["reports"]
    assert status["02_province_trend/atlantis"]["status"] == "failed" and len(status) == 4
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "1 lỗi" in index and "3 thành công" in index and "unknown province &#x27;Atlantis&#x27;" in index
    assert 'href="02_province_trend/atlantis.ipynb"' in index and 'href="02_province_trend/lai-chau.html"' in index
    assert offline_problems(index) == []

    # --only-failed: the failure is re-run (still failing: same record, nothing else touched)
    again = failed_jobs("02_province_trend", tmp_path)
    assert again == [{"notebook": "02_province_trend", "parameters": {"province": "Atlantis"}}]


@pytest.mark.slow
def test_cli_batch_over_unit_files_with_one_corrupt_file_and_rerun_of_failures(tmp_path):
    units = tmp_path / "units"
    units.mkdir()
    ex = pd.read_csv(EXAMPLE, dtype=str, keep_default_na=False)
    for name, unit in (("city", "Thành phố Bắc Kạn"), ("cho_moi", "Huyện Chợ Mới")):
        ex[ex["unit"] == unit].to_csv(units / f"{name}.csv", index=False)
    (units / "broken.csv").write_bytes("unit,indicator,input,value\nX,nts_01,level,đ\n".encode("cp1258"))
    out = tmp_path / "reports"
    args = DTI + ["report", "03_unit_gap_analysis", "--all", "--units-dir", str(units), "--jobs", "2",
                  "--out-dir", str(out), "--no-progress"]
    r = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "2 ok, 1 failed" in r.stdout
    assert "FAILED 03_unit_gap_analysis/broken: DataError:" in r.stderr and "not valid UTF-8" in r.stderr
    assert "--only-failed" in r.stderr
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))["reports"]
    assert {k: v["status"] for k, v in status.items()} == {
        "03_unit_gap_analysis/broken": "failed", "03_unit_gap_analysis/city": "ok", "03_unit_gap_analysis/cho-moi": "ok"}
    # fix the file, re-run only the failure
    ex[ex["unit"] == "Huyện Na Rì"].to_csv(units / "broken.csv", index=False)
    r2 = subprocess.run(args + ["--only-failed"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r2.returncode == 0, r2.stderr
    assert "1 ok, 0 failed" in r2.stdout
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))["reports"]
    assert {v["status"] for v in status.values()} == {"ok"} and len(status) == 3
    assert "Huyện Na Rì" in (out / "03_unit_gap_analysis" / "broken.html").read_text(encoding="utf-8")
    r3 = subprocess.run(args + ["--only-failed"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert r3.returncode == 0 and "no failed" in r3.stdout


def test_cli_single_report_errors_exit_2_before_any_kernel(tmp_path):
    r = subprocess.run(DTI + ["report", "02", "-p", "province", "Lai Chou", "--out-dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines()[-1].startswith(
        "dti report: error: parameter 'province': unknown province 'Lai Chou' in the 63-province list; "
        "closest known: Lai Châu")
    assert not (tmp_path / "02_province_trend").exists()
    r = subprocess.run(DTI + ["report", "02", "--era", "34"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "--era needs --all" in r.stderr


@pytest.mark.slow
def test_dask_executor_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed", reason="the optional dask extra is not installed "
                                                            '(pip install "dtilib[dask]")')
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None)
    try:
        addr = cluster.scheduler_address.replace("tcp://", "dask://")
        jobs = [{"notebook": "02_province_trend", "parameters": {"province": n}} for n in ("Lai Châu", "Narnia")]
        jobs.append({"notebook": "03_unit_gap_analysis", "parameters": {"unit": "Huyện Chợ Mới"}})
        results = run_batch(jobs, out_dir=tmp_path, executor=addr, progress=False)
    finally:
        cluster.close()
    assert [r["status"] for r in results] == ["ok", "failed", "ok"]
    assert "unknown province 'Narnia'" in results[1]["error"]
    assert "0,5032" in Path(results[0]["html"]).read_text(encoding="utf-8")


def test_unreachable_dask_scheduler_is_a_clear_error(monkeypatch):
    pytest.importorskip("distributed", reason="the optional dask extra is not installed")
    monkeypatch.setenv("DTILIB_DASK_CONNECT_TIMEOUT", "1s")
    with pytest.raises(ParameterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        run_batch([{"notebook": "02", "parameters": {}}], executor="dask://127.0.0.1:9", progress=False)


def test_thousands_of_results_are_recorded_in_groups_and_all_at_the_end(tmp_path, monkeypatch):
    """Rewriting status.json and index.html grows with the folder: a batch of many fast reports writes
    them in groups (writing at most a tenth of the batch's time), and every result is in them at the end."""
    import concurrent.futures as cf
    import time

    from dtilib.reporting import batch, status

    def fake_job(job):
        return {"key": f"03_unit_gap_analysis/{job['key']}", "notebook": "03_unit_gap_analysis",
                "parameters": {}, "lang": "vi", "status": "ok" if int(job["key"][1:]) % 7 else "failed",
                "html": None, "ipynb": None, "error": None, "seconds": 0.0, "finished": None}

    writes, real = [], status.record_results

    def slow_record(out_dir, results, **kw):
        writes.append(len(results))
        time.sleep(0.02)                      # a big folder: each rewrite costs 20 ms
        return real(out_dir, results, **kw)

    monkeypatch.setattr(batch, "run_job", fake_job)
    monkeypatch.setattr(status, "record_results", slow_record)
    jobs = [{"notebook": "03_unit_gap_analysis", "parameters": {}, "key": f"c{i}"} for i in range(300)]
    with cf.ThreadPoolExecutor(2) as ex:
        out = run_batch(jobs, out_dir=tmp_path, executor=ex, progress=False)
    assert len(out) == 300 and sum(writes) == 300
    assert len(writes) < 100                  # one rewrite a result would be 300
    recorded = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))["reports"]
    assert len(recorded) == 300
    assert sum(r["status"] == "failed" for r in recorded.values()) == len(range(0, 300, 7))  # c0, c7, … c294


def test_an_interrupted_batch_starts_nothing_more_and_records_every_finished_report(tmp_path, monkeypatch):
    import concurrent.futures as cf
    import time

    from dtilib.reporting import batch, status

    ran = []

    def fake_job(job):
        ran.append(job["key"])
        time.sleep(0.05)
        return {"key": f"03_unit_gap_analysis/{job['key']}", "notebook": "03_unit_gap_analysis",
                "parameters": {}, "lang": "vi", "status": "ok", "html": None, "ipynb": None, "error": None,
                "seconds": 0.05, "finished": None}

    calls, real = [], status.record_results

    def interrupted_once(out_dir, results, **kw):
        calls.append(len(results))
        if len(calls) == 1:
            raise KeyboardInterrupt               # Ctrl-C while the first result is being recorded
        return real(out_dir, results, **kw)

    monkeypatch.setattr(batch, "run_job", fake_job)
    monkeypatch.setattr(status, "record_results", interrupted_once)
    jobs = [{"notebook": "03_unit_gap_analysis", "parameters": {}, "key": f"c{i}"} for i in range(40)]
    with cf.ThreadPoolExecutor(2) as ex, pytest.raises(KeyboardInterrupt):
        run_batch(jobs, out_dir=tmp_path, executor=ex, progress=False)
    assert len(ran) < 10                           # the queued reports were cancelled, not run
    recorded = json.loads((tmp_path / "status.json").read_text(encoding="utf-8"))["reports"]
    assert sorted(recorded) == sorted(f"03_unit_gap_analysis/{k}" for k in ran)   # every one that ran


@pytest.mark.slow
def test_ctrl_c_while_the_workers_start_ends_the_batch_within_seconds(tmp_path, processed):
    # found by a hostile review: Ctrl-C 8 s into `dti report 02 --all --jobs 2` interrupted the workers'
    # start (a broken pool), the pool's thread died, and the batch hung for 726 s
    import os
    import signal
    import time

    proc = subprocess.Popen([sys.executable, "-m", "dtilib.cli", "report", "02_province_trend", "--all", "--era", "34",
                             "--jobs", "2", "--out-dir", str(tmp_path), "--no-progress"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env={**os.environ, "DTILIB_PROCESSED_DIR": str(processed)},
                            # as from a terminal: a test run in the background would pass Ctrl-C on as ignored
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # noqa: PLW1509
    time.sleep(4)                                   # the workers and their warm parents are starting
    os.killpg(proc.pid, signal.SIGINT)              # Ctrl-C goes to the terminal's whole process group
    t0 = time.monotonic()
    try:
        _, err = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail("the interrupted batch did not end within 90 s")
    assert proc.returncode == 130, err
    assert time.monotonic() - t0 < 60
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    if (tmp_path / "status.json").exists():         # what finished is recorded, nothing as broken
        assert "BrokenProcessPool" not in (tmp_path / "status.json").read_text(encoding="utf-8")
