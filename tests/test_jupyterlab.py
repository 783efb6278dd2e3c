"""The notebooks open and run in a real JupyterLab, driven through its user interface in Debian's Chromium.

One JupyterLab server (from this environment, kernel ``dti``) on a free local port, no browser of its own,
serving a temporary copy of ``notebooks/``; one headless Chromium (Selenium + /usr/bin/chromedriver, fresh
profile, no background networking).  For every notebook: open it, Run ▸ Run All Cells from the menu bar,
wait until every code cell has run, then check that no cell shows an error, that the expected headings
and figures are on the page, that the browser console has no error, and save a screenshot
(``<tmp>/screenshots/<notebook>.png``).  In ``00_explore`` a year without data is then picked in the
Year dropdown: the output area shows the message, not a traceback.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT
from dtilib.reporting.params import NOTEBOOKS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists()
                                                else None)
selenium = pytest.importorskip("selenium", reason="selenium is a dev dependency (pip install -e .[dev])")

pytestmark = [
    pytest.mark.jupyterlab, pytest.mark.browser, pytest.mark.slow,
    pytest.mark.xdist_group("jupyterlab"),     # one server and one browser for the module (pytest -n: one worker)
    pytest.mark.skipif(CHROMIUM is None or CHROMEDRIVER is None,
                       reason="needs Debian's chromium and chromium-driver (.ci/run installs them)"),
]

# what each notebook must show once run: headings (markdown title and report headings) and figures
EXPECTED = {
    "00_explore": (["00 — Khám phá DTI", "Xu hướng", "Vì sao thứ hạng thay đổi (2021→2022)",
                    "Khoảng cách tới hạng 45/63"], 1),
    "01_national_overview": (["01 —", "Tổng quan chỉ số chuyển đổi số (DTI) cấp tỉnh năm 2022"], 2),
    "02_province_trend": (["02 — Xu hướng DTI", "Giá trị và thứ hạng qua các năm"], 1),
    "03_unit_gap_analysis": (["03 —", "Phân tích điểm bị mất — Thành phố Bắc Kạn (2023)"], 1),
    "04_points_per_effort": (["04 —", "Điểm trên nỗ lực — Thành phố Bắc Kạn (2023)"], 2),
    "05_outlook_34": (["05 — Triển vọng DTI của 34 tỉnh"], 1),
}
RUN_TIMEOUT = 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory, processed):
    """A JupyterLab server on a temporary copy of the notebooks; yields (base url, token, folder)."""
    root = tmp_path_factory.mktemp("lab")
    work = root / "notebooks"
    work.mkdir()
    for nb in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / f"{nb}.ipynb", work)
        shutil.copy(ROOT / "notebooks" / f"{nb}.py", work)
    shutil.copy(ROOT / "jupytext.toml", work)
    # the settings `make lab` installs (.py opens as a notebook, no news prompt), as this server's user settings
    overrides = json.loads((ROOT / "etc" / "jupyterlab" / "overrides.json").read_text(encoding="utf-8"))
    for plugin, settings in overrides.items():
        pkg, name = plugin.split(":")
        f = root / "settings" / pkg / f"{name}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(settings), encoding="utf-8")
    port, token = _free_port(), "dti-test-" + os.urandom(8).hex()
    env = {**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(root / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(root / "workspaces"), "IPYTHONDIR": str(root / "ipython"),
           "JUPYTER_RUNTIME_DIR": str(root / "runtime"), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    log = open(root / "jupyterlab.log", "w")  # noqa: SIM115  (closed at teardown)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--ServerApp.root_dir={work}", f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0",
         "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False",
         "--MappingKernelManager.default_kernel_name=dti", *(["--allow-root"] if os.geteuid() == 0 else [])],
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=work)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("JupyterLab did not start:\n" + (root / "jupyterlab.log").read_text()[-3000:])
            time.sleep(0.3)
        with urllib.request.urlopen(f"{base}/api/kernelspecs?token={token}", timeout=5) as r:
            specs = json.load(r)["kernelspecs"]
        assert "dti" in specs, sorted(specs)
        yield base, token, work
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--disable-sync", "--disable-extensions", "--window-size=1400,1800", f"--user-data-dir={profile}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    d = Path(os.environ.get("DTI_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def _wait(driver, what, timeout, message):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.25).until(lambda d: what(d), message=message)


def _css(driver, selector):
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def _console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def _open(driver, base, token, name):
    """Open *name*: the first time by URL (JupyterLab loads once), then by double-clicking it in the file browser."""
    from selenium.webdriver.common.action_chains import ActionChains

    if not _css(driver, "#jp-main-dock-panel"):
        driver.get(f"{base}/lab/tree/{name}.ipynb?reset&token={token}")
    else:
        item = _wait(driver, lambda d: [e for e in _css(d, ".jp-DirListing-item")
                                        if e.find_element("css selector", ".jp-DirListing-itemText").text
                                        == f"{name}.ipynb"], 30, f"{name}.ipynb not in the file browser")
        ActionChains(driver).double_click(item[0]).perform()
    # the notebook panel with its cells, the kernel `dti` started and idle
    _wait(driver, lambda d: _text(d, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell"), 90,
          f"{name}: the notebook did not open")
    _wait(driver, lambda d: "Python (dti)" in _text(d, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName"),
          60, f"{name}: kernel 'Python (dti)' not shown")
    _wait(driver, lambda d: _css(d, '.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]'), 90,
          f"{name}: the kernel did not become idle")


def _text(driver, selector) -> str:
    """The text of the first element matching *selector* (one script call, not one per element)."""
    return driver.execute_script("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
                                 selector)


def _menu(driver, menu: str, command: str):
    """Click *menu* in the menu bar, then its item running *command*."""
    from selenium.webdriver.common.by import By

    label = _wait(driver, lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".lm-MenuBar-itemLabel")
                                     if e.text.strip() == menu], 30, f"no {menu} menu")
    label[0].click()
    item = _wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, f'li.lm-Menu-item[data-command="{command}"]'),
                 10, f"no {command} in the {menu} menu")
    text = item[0].text
    item[0].click()
    return text


def _run_all(driver, name):
    """Run ▸ Run All Cells, through the menu bar."""
    assert "Run All Cells" in _menu(driver, "Run", "runmenu:run-all")

    def done(d):
        prompts = [e.text.strip() for e in _css(d, ".jp-NotebookPanel .jp-CodeCell .jp-InputArea-prompt")]
        idle = _css(d, '.jp-NotebookPanel .jp-Notebook-ExecutionIndicator[data-status="idle"]')
        return prompts and idle and all(p.startswith("[") and p[1:-2].strip().isdigit() for p in prompts)

    _wait(driver, done, RUN_TIMEOUT, f"{name}: not every cell ran within {RUN_TIMEOUT} s")


def _errors(driver) -> list[str]:
    """Error outputs: tracebacks or any text a cell wrote to stderr."""
    return [e.text[:500] for e in _css(driver, '.jp-NotebookPanel .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')]


def _page_text(driver) -> str:
    return driver.execute_script("return document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) "
                                 ".jp-Notebook').textContent;")


def _figures(driver) -> int:
    """Rendered figures: <img> in output areas that actually decoded (natural width > 0)."""
    return int(driver.execute_script(
        "return Array.from(document.querySelectorAll('.jp-NotebookPanel .jp-OutputArea-output img'))"
        ".filter(i => i.complete && i.naturalWidth > 100).length;"))


def _save_and_close(driver, name, work):
    """File ▸ Save (jupytext writes the paired .py too), Kernel ▸ Shut Down Kernel, File ▸ Close Tab."""
    before = (work / f"{name}.py").stat().st_mtime_ns
    _menu(driver, "File", "docmanager:save")
    _wait(driver, lambda d: (work / f"{name}.py").stat().st_mtime_ns != before, 30,
          f"{name}: saving did not write the paired .py (jupytext)")
    _menu(driver, "Kernel", "kernelmenu:shutdown")
    _wait(driver, lambda d: "No Kernel" in _text(d, ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-KernelName")
          or not _css(d, ".jp-NotebookPanel:not(.lm-mod-hidden)"), 30, f"{name}: kernel not shut down")
    _menu(driver, "File", "application:close")
    _wait(driver, lambda d: not _css(d, ".jp-NotebookPanel"), 30, f"{name}: tab not closed")


@pytest.mark.parametrize("name", sorted(NOTEBOOKS))
def test_notebook_runs_in_jupyterlab(lab, browser, shots, name):
    base, token, work = lab
    browser.get_log("browser")                                      # start with an empty console
    t0 = time.monotonic()
    _open(browser, base, token, name)
    t1 = time.monotonic()
    _run_all(browser, name)
    print(f"{name}: opened in {t1 - t0:.1f} s, ran in {time.monotonic() - t1:.1f} s")
    t2 = time.monotonic()
    headings, n_figures = EXPECTED.get(name, ([f"{name[:2]} —"], 0))   # a notebook added later: its title
    _wait(browser, lambda d: all(h in _page_text(d) for h in headings) and _figures(d) >= n_figures, 30,
          f"{name}: expected headings {headings} and {n_figures} figure(s)")
    browser.execute_script("document.querySelector('.jp-NotebookPanel .jp-OutputArea-output img')"
                           ".scrollIntoView({block: 'center'});")
    shot = shots / f"{name}.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 20_000
    assert _errors(browser) == []
    assert "Traceback" not in _page_text(browser)
    if name == "00_explore":
        _explore_bad_choice(browser, shots)
    t3 = time.monotonic()
    assert _console_errors(browser) == []
    _save_and_close(browser, name, work)
    print(f"{name}: checks {t3 - t2:.1f} s, close {time.monotonic() - t3:.1f} s")


def _explore_bad_choice(driver, shots):
    """Pick 2023 (Lai Châu's rank is not published that year): the message shows, no traceback."""
    from selenium.webdriver.support.ui import Select

    assert _css(driver, ".jp-NotebookPanel .widget-dropdown select"), "the pickers are not rendered as widgets"
    year = next(s for s in _css(driver, ".jp-NotebookPanel .widget-dropdown")
                if s.text.startswith("Năm"))
    Select(year.find_element("css selector", "select")).select_by_visible_text("2023")
    _wait(driver, lambda d: "Không có số liệu cho lựa chọn này" in _page_text(d), 60,
          "00_explore: no message for a year without data")
    _wait(driver, lambda d: "Vì sao thứ hạng thay đổi (2022→2023)" in _page_text(d), 30, "headings not redrawn")
    driver.save_screenshot(str(shots / "00_explore-2023.png"))
    text = _page_text(driver)
    assert "Traceback" not in text and _errors(driver) == []
    assert "thứ hạng của Lai Châu năm 2023 chưa được công bố" in text           # the error in the chosen language
    assert _figures(driver) >= 1                                    # the trend plot is still drawn
