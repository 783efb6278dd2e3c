"""Batch reports: parallel, failures isolated and summarised, re-run of failures, Dask executor."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import EXAMPLE_FW, ROOT
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
    assert "1 lỗi" in index and "3 thành công" in index and "không có tỉnh &#x27;Atlantis&#x27;" in index
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
    assert "2 thành công, 1 lỗi" in r.stdout   # in the report's language (Vietnamese by default)
    assert "LỖI 03_unit_gap_analysis/broken: " in r.stderr and "không phải UTF-8 hợp lệ" in r.stderr
    assert "--only-failed" in r.stderr
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))["reports"]
    assert {k: v["status"] for k, v in status.items()} == {
        "03_unit_gap_analysis/broken": "failed", "03_unit_gap_analysis/city": "ok", "03_unit_gap_analysis/cho-moi": "ok"}
    # fix the file, re-run only the failure
    ex[ex["unit"] == "Huyện Na Rì"].to_csv(units / "broken.csv", index=False)
    r2 = subprocess.run(args + ["--only-failed"], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r2.returncode == 0, r2.stderr
    assert "1 thành công, 0 lỗi" in r2.stdout
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))["reports"]
    assert {v["status"] for v in status.values()} == {"ok"} and len(status) == 3
    assert "Huyện Na Rì" in (out / "03_unit_gap_analysis" / "broken.html").read_text(encoding="utf-8")
    r3 = subprocess.run(args + ["--only-failed"], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert r3.returncode == 0 and "không có báo cáo 03_unit_gap_analysis nào bị lỗi" in r3.stdout


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


# ---------------------------------------------------------------- a commune batch with the user's own framework
# The analyst's workflow (issue 18, r5): their own YAML framework (tests/fixtures/example_commune.yaml, years
# [2024, null]), a file of many communes or a folder of one file per commune, `dti report … --all`.
def _communes(tmp_path, broken=None):
    """The filled file of the three communes of tests/test_units.py, and a folder of one file each (*broken*:
    the commune whose own file holds a value that is not a number)."""
    from test_units import VALUES, _fill

    from dtilib.templates import write_template

    write_template(EXAMPLE_FW, tmp_path / "all.csv", units=list(VALUES))
    filled = _fill(tmp_path / "all.csv")
    filled.to_csv(tmp_path / "filled.csv", index=False)
    (tmp_path / "units").mkdir()
    for i, unit in enumerate(VALUES):
        rows = filled[filled["unit"] == unit].copy()
        if unit == broken:
            rows.loc[rows["indicator"] == "nts_02", "value"] = "ba"
        rows.to_csv(tmp_path / "units" / f"c{i}.csv", index=False)
    return list(VALUES)


@pytest.fixture
def batches(monkeypatch):
    """`dti report --all` up to its batch: the jobs it would run (every report 'ok', no kernel started)."""
    from dtilib.reporting import batch

    ran = []

    def fake_run_batch(jobs, **kw):
        ran.append(jobs)
        return [{"key": f"x/{i}", "status": "ok"} for i, _ in enumerate(jobs)]

    monkeypatch.setattr(batch, "run_batch", fake_run_batch)
    return ran


def test_cli_batch_with_the_users_framework_checks_the_users_files(tmp_path, monkeypatch, capsys, batches):
    from dtilib.cli import main

    units = _communes(tmp_path, broken="Xã Bình Lư")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DTI_LANG")                  # error lines as users see them: in Vietnamese
    shutil.copy(EXAMPLE_FW, tmp_path / "fw.yaml")   # a relative framework path, as the analyst typed it
    for nb in ("03_unit_gap_analysis", "04"):
        assert main(["report", nb, "--all", "-p", "unit_file", "filled.csv", "-p", "framework", "fw.yaml",
                     "--out-dir", "out", "--no-progress"]) == 0, capsys.readouterr().err
        assert [j["parameters"]["unit"] for j in batches[-1]] == units
        # one file per commune: the broken one is left to its own report (one broken file fails only its report)
        assert main(["report", nb, "--all", "--units-dir", "units", "-p", "framework", "fw.yaml",
                     "--out-dir", "out", "--no-progress"]) == 0, capsys.readouterr().err
        assert len(batches[-1]) == 3 and {j["parameters"]["framework"] for j in batches[-1]} == {"fw.yaml"}
    assert capsys.readouterr().out.splitlines()[-1] == "3 thành công, 0 lỗi — out/index.html"
    assert main(["report", "03", "--all", "--units-dir", "units", "-p", "framework", "fw.yaml", "--lang", "en",
                 "--out-dir", "out", "--no-progress"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 ok, 0 failed — out/index.html"
    n = len(batches)
    # a broken file of many units fails once, before any report, naming that file (not the example data)
    pd.read_csv(tmp_path / "units" / "c2.csv", dtype=str).to_csv(tmp_path / "bad.csv", index=False)
    assert main(["report", "03", "--all", "-p", "unit_file", "bad.csv", "-p", "framework", "fw.yaml",
                 "--out-dir", "out", "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "bad.csv, hàng 3, cột 'value'" in err and "bac-kan" not in err and len(batches) == n
    # a framework without the data of its units
    assert main(["report", "03", "--all", "-p", "framework", "fw.yaml", "--out-dir", "out", "--no-progress"]) == 2
    assert capsys.readouterr().err == ("dti report: lỗi: bộ chỉ số fw.yaml không kèm số liệu của các đơn vị "
                                       "(cần: -p unit_file TỆP (một tệp nhiều đơn vị) hoặc --units-dir THƯ_MỤC)\n")
    assert len(batches) == n


def test_only_failed_reruns_from_another_folder_with_the_recorded_absolute_paths(tmp_path, monkeypatch, capsys,
                                                                                batches):
    from dtilib.cli import main
    from dtilib.reporting.status import record_results

    _communes(tmp_path)
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir(), elsewhere.mkdir()
    shutil.copy(EXAMPLE_FW, work / "fw.yaml")
    monkeypatch.chdir(work)
    record_results("out", [{"key": "03_unit_gap_analysis/c0", "notebook": "03_unit_gap_analysis", "lang": "vi",
                            "parameters": {"framework": "fw.yaml", "unit_file": "../units/c0.csv", "unit": None,
                                           "lang": "vi"}, "status": "failed", "error": "DataError: x"}])
    recorded = json.loads((work / "out" / "status.json").read_text(encoding="utf-8"))["reports"]
    assert recorded["03_unit_gap_analysis/c0"]["parameters"]["framework"] == str(work / "fw.yaml")
    assert recorded["03_unit_gap_analysis/c0"]["parameters"]["unit_file"] == str(tmp_path / "units" / "c0.csv")
    monkeypatch.chdir(elsewhere)
    assert main(["report", "03", "--all", "--only-failed", "--out-dir", str(work / "out"), "--no-progress"]) == 0, \
        capsys.readouterr().err
    assert batches[-1] == [{"notebook": "03_unit_gap_analysis", "key": "c0", "parameters": {
        "framework": str(work / "fw.yaml"), "unit_file": str(tmp_path / "units" / "c0.csv"), "unit": None}}]
    # a framework given now replaces the recorded one (checked once, with the recorded unit files)
    shutil.copy(EXAMPLE_FW, elsewhere / "fixed.yaml")
    assert main(["report", "03", "--all", "--only-failed", "-p", "framework", "fixed.yaml",
                 "--out-dir", str(work / "out"), "--no-progress"]) == 0, capsys.readouterr().err
    assert batches[-1][0]["parameters"]["framework"] == "fixed.yaml"
    # a unit (or unit file) is each report's own: not given to all the re-run reports
    assert main(["report", "03", "--all", "--only-failed", "-p", "unit", "Xã Tân Lập",
                 "--out-dir", str(work / "out"), "--no-progress"]) == 2
    assert "-p unit with --only-failed: each report re-runs with its recorded unit" in capsys.readouterr().err
    assert main(["report", "04", "--all", "--only-failed", "--out-dir", str(work / "out")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"không có báo cáo 04_points_per_effort nào bị lỗi được ghi trong {work / 'out'}/status.json")


def test_index_shows_errors_and_parameters_in_the_reports_language(tmp_path):
    from dtilib.reporting.status import record_results

    err = "DataError: /d/b.csv, row 3, column 'value': 'ba' is not a number (expected a number) (cell 3)"
    entry = {"key": "03_unit_gap_analysis/b", "notebook": "03_unit_gap_analysis", "lang": "vi", "status": "failed",
             "error": err, "parameters": {"unit_file": str(tmp_path / "units" / "b.csv"), "unit": None, "lang": "vi"}}
    record_results(tmp_path, [entry])
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "/d/b.csv, hàng 3, cột &#x27;value&#x27;: &#x27;ba&#x27; không phải là số (cần: một số) (ô lệnh 3)" in index
    assert "DataError" not in index and "unit = None" not in index and "Đơn vị:" not in index
    assert "Tệp số liệu của đơn vị: units/b.csv" in index
    record_results(tmp_path, [{**entry, "lang": "en"}], lang="en")
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "row 3, column &#x27;value&#x27;: &#x27;ba&#x27; is not a number (expected a number) (cell 3)" in index
    # an error that is not the library's own (a fault of the notebook) keeps its class name
    from dtilib.reporting.runner import error_text

    assert error_text("TypeError: float() argument must be a string or a real number, not 'NoneType' (cell 4)") == \
        "TypeError: float() argument must be a string or a real number, not 'NoneType' (ô lệnh 4)"


@pytest.mark.slow
def test_cli_commune_batch_with_the_users_framework_end_to_end(tmp_path):
    """The analyst's runs (issue 18, r5) with real reports: a folder of one file per commune and the user's own
    framework given as a relative path, one file broken; then the fixed file re-run from another folder."""
    _communes(tmp_path, broken="Xã Bình Lư")
    shutil.copy(EXAMPLE_FW, tmp_path / "fw.yaml")
    (tmp_path / "elsewhere").mkdir()
    args = DTI + ["report", "03", "--all", "--units-dir", "units", "-p", "framework", "fw.yaml", "--jobs", "2",
                  "--out-dir", "out", "--no-progress"]
    r = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert r.returncode == 1 and r.stdout.strip() == "2 thành công, 1 lỗi — out/index.html", r.stderr
    assert "LỖI 03_unit_gap_analysis/c2: " in r.stderr and "c2.csv, hàng 3, cột 'value'" in r.stderr
    page = (tmp_path / "out" / "03_unit_gap_analysis" / "c0.html").read_text(encoding="utf-8")
    assert "<title>Phân tích điểm bị mất — Xã Tân Lập (2024)</title>" in page   # example_commune.yaml: 2024–
    assert "bac-kan" not in page and "Bắc Kạn" not in page and "units/c0.csv" in page   # the sources read
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "c2.csv, hàng 3, cột &#x27;value&#x27;" in index and "DataError" not in index
    pd.read_csv(tmp_path / "units" / "c0.csv", dtype=str).assign(unit="Xã Bình Lư").to_csv(
        tmp_path / "units" / "c2.csv", index=False)
    r = subprocess.run(DTI + ["report", "03", "--all", "--only-failed", "--out-dir", str(tmp_path / "out"),
                              "--no-progress", "--lang", "en"], capture_output=True, text=True,
                       cwd=tmp_path / "elsewhere", timeout=600)
    assert r.returncode == 0 and r.stdout.startswith("1 ok, 0 failed — "), r.stderr


def test_a_job_queued_before_ctrl_c_does_not_start_after_it(tmp_path, monkeypatch):
    # a process pool hands a few jobs to its workers ahead of time: cancel() cannot stop those, so after an
    # interruption the batch leaves a stop file that each job looks at before it starts (a review found a
    # report started 3–19 s after Ctrl-C)
    from dtilib.reporting import batch

    monkeypatch.setattr(batch, "run_report", lambda *a, **k: pytest.fail("a report started after the stop"))
    stop = tmp_path / "stop"
    stop.touch()
    job = {"notebook": "02_province_trend", "parameters": {"province": "Lai Châu"}, "out_dir": str(tmp_path),
           "stop": str(stop)}
    assert batch.run_job(job) == {"status": batch.SKIPPED}
