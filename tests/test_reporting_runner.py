"""The runner's pieces that need no kernel: offline check, export template, naming, status and index;
and the benchmark harness (run with --quick to prove it works)."""

import json
import subprocess
import sys

import nbformat
import pytest

from conftest import ROOT
from dtilib.cli.report import convert
from dtilib.reporting.params import NOTEBOOKS
from dtilib.reporting.runner import ReportResult, export_html, offline_problems, report_key
from dtilib.reporting.status import load_status, record_results

PNG = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def _executed_like(outputs):
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": {"name": "dti", "language": "python",
                                                            "display_name": "Python (dti)"}})
    params = nbformat.v4.new_code_cell("lang = 'vi'", metadata={"tags": ["parameters"]})
    code = nbformat.v4.new_code_cell("import secret_code_here\nshow()")
    code.outputs = outputs
    nb.cells = [nbformat.v4.new_markdown_cell("# analyst notes"), params, code]
    return nb


@pytest.mark.parametrize("page, problems", [
    ('<p><a href="https://dti.gov.vn">dti.gov.vn</a></p><img src="data:image/png;base64,AA">', []),
    ('<script src="https://cdn.jsdelivr.net/x.js"></script>', ["<script src='https://cdn.jsdelivr.net/x.js'>"]),
    ('<script src="local.js"></script>', ["<script src='local.js'>"]),
    ('<link rel="stylesheet" href="https://fonts.googleapis.com/css">',
     ["<link href='https://fonts.googleapis.com/css'>"]),
    ('<img src="figure.png">', ["<img src='figure.png'> is not a data: URI"]),
    ("<style>@font-face { src: url(https://x/f.woff2) }</style>", ["CSS url(https://x/f.woff2)"]),
    ('<style>@import "x.css";</style>', ["CSS @import"]),
    ('<div style="background: url(//x/y.png)"></div>', ["CSS url(//x/y.png)"]),
    ('<iframe src="https://x"></iframe>', ["<iframe src='https://x'>"]),
])
def test_offline_problems(page, problems):
    assert offline_problems(page) == problems


def test_export_has_no_code_no_stderr_no_scripts_and_embeds_images():
    outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<h1>Tiêu đề</h1>", "text/plain": "x"}),
        nbformat.v4.new_output("stream", name="stderr", text="UserWarning: noisy\n"),
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        nbformat.v4.new_output("display_data", data={"application/javascript": "alert(1)", "text/plain": "js"}),
        nbformat.v4.new_output("display_data", data={"text/markdown": "$x^2$", "text/plain": "md"}),
    ]
    page, meta = export_html(_executed_like(outputs), notebook="custom.ipynb", parameters={"a": 1}, lang="en")
    assert offline_problems(page) == []
    assert "<script" not in page and "secret_code_here" not in page and "noisy" not in page
    assert "analyst notes" not in page                              # markdown cells are for the analyst
    assert 'src="data:image/png;base64,' + PNG in page
    assert "<h1>Tiêu đề</h1>" in page
    # a notebook without the dtilib header still gets a title, its parameters and the date
    assert "<title>custom</title>" in page and "Parameters: a: 1" in page and "Generated" in page
    assert meta["title"] == "custom"


def test_export_uses_the_header_the_notebook_displayed():
    from dtilib.reporting.params import MIME, check

    p = check("03_unit_gap_analysis", lang="en")
    out = nbformat.v4.new_output("display_data", data={k: v for k, v in p._repr_mimebundle_().items()})
    page, meta = export_html(_executed_like([out]), notebook="03_unit_gap_analysis.ipynb", lang="en")
    assert meta["title"].startswith("Gap analysis — Thành phố Bắc Kạn (2023)") and MIME not in page
    assert f"<title>{meta['title']}</title>" in page
    assert "ILLUSTRATIVE" in page and "Data sources" in page and "bac-kan-city-2023.illustrative.csv" in page


def test_report_keys():
    s = NOTEBOOKS
    assert report_key(s["02_province_trend"], {"province": "TP. Đà Nẵng"}) == "da-nang"
    assert report_key(s["02_province_trend"], {"province": "Đà Nẵng", "era": 34, "lang": "en"}) == "da-nang-34.en"
    assert report_key(s["02_province_trend"], {"province": "Atlantis"}) == "atlantis"
    assert report_key(s["01_national_overview"], {}) == "2022-63"
    assert report_key(s["03_unit_gap_analysis"], {"unit": "Huyện Chợ Mới"}) == "huyen-cho-moi"
    assert report_key(s["05_outlook_34"], {}) == "report"                       # no province highlighted
    assert report_key(s["05_outlook_34"], {"province": "Lai Châu", "era": 34}) == "lai-chau-34"


def test_cli_values_are_converted_like_papermill():
    assert [convert(v) for v in ("45", "0.5", "true", "None", "Lai Châu", "1e3")] == [45, 0.5, True, None,
                                                                                       "Lai Châu", 1000.0]


def test_status_file_merges_runs_and_index_lists_them(tmp_path):
    ok = ReportResult("02_province_trend/lai-chau", "02_province_trend", {"province": "Lai Châu"}, "vi", "ok",
                      html=str(tmp_path / "02_province_trend" / "lai-chau.html"), title="Xu hướng DTI của Lai Châu")
    bad = ReportResult("02_province_trend/x", "02_province_trend", {"province": "X"}, "vi", "failed",
                       ipynb=str(tmp_path / "02_province_trend" / "x.ipynb"), error="ParameterError: <bad> & co")
    record_results(tmp_path, [ok])
    record_results(tmp_path, [bad])
    assert set(load_status(tmp_path)) == {"02_province_trend/lai-chau", "02_province_trend/x"}
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "&lt;bad&gt; &amp; co" in index and 'href="02_province_trend/x.ipynb"' in index
    assert index.index("02_province_trend/x") < index.index("02_province_trend/lai-chau")   # failures first
    assert offline_problems(index) == [] and "1 thành công, 1 lỗi" in index
    (tmp_path / "status.json").write_text("{not json", encoding="utf-8")
    from dtilib.errors import DataError

    with pytest.raises(DataError, match="cannot read the status file"):
        load_status(tmp_path)


def test_index_links_stay_right_when_runs_come_from_other_folders(tmp_path, monkeypatch):
    """A report run with a relative output folder, then one run from elsewhere: both links resolve."""
    out = tmp_path / "reports"
    (out / "02_province_trend").mkdir(parents=True)
    monkeypatch.chdir(out)
    here = ReportResult("02_province_trend/lai-chau", "02_province_trend", {}, "vi", "ok",
                        html="02_province_trend/lai-chau.html", title="Lai Châu")
    record_results(".", [here])
    monkeypatch.chdir(tmp_path)
    there = ReportResult("02_province_trend/dien-bien", "02_province_trend", {}, "vi", "ok",
                         html=str(out / "02_province_trend" / "dien-bien.html"), title="Điện Biên")
    record_results(out, [there])
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="02_province_trend/lai-chau.html"' in index and 'href="02_province_trend/dien-bien.html"' in index


def test_missing_kernel_is_a_clear_error(tmp_path):
    from dtilib.reporting.runner import ReportError, run_report

    with pytest.raises(ReportError, match="Jupyter kernel 'no-such-kernel' is not installed"):
        run_report("03", {}, out_dir=tmp_path, kernel_name="no-such-kernel")


@pytest.mark.slow
def test_benchmark_harness_quick(tmp_path):
    out = tmp_path / "results.json"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--out", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    for name in ("report_over_floor", "batch_speedup_2_workers", "import_dtilib_over_pandas"):
        assert isinstance(figures[name], float) and figures[name] > 0, name
    assert all(isinstance(v, int | float) for v in figures.values())         # a flat object of numbers
    assert "report_over_floor" in r.stdout and "<= 1.3" in r.stdout and ("PASS" in r.stdout or "FAIL" in r.stdout)


def test_report_paths_stay_inside_the_output_folder(tmp_path):
    from dtilib.reporting.params import spec_for
    from dtilib.reporting.runner import report_paths

    spec = spec_for("01_national_overview")
    _, html, nb = report_paths(tmp_path, spec, {"year": "../../../etc/x", "era": 63})
    assert html.resolve().is_relative_to(tmp_path.resolve()) and nb.parent == html.parent
    spec2 = spec_for("03_unit_gap_analysis")
    _, html, _ = report_paths(tmp_path, spec2, {"unit": "../../evil/../name"})
    assert html.parent == tmp_path / "03_unit_gap_analysis" and "/" not in html.name


def test_the_iri_grammar_loads_only_when_a_check_uses_it():
    """jsonschema imports ``rfc3987_syntax`` (1.5–1.9 s of CPU: it builds a grammar) in every process
    that runs or converts a notebook; after ``import dtilib.reporting`` it loads on its first use only,
    an "iri" check still gives the package's answers, and any other name of it is the package's own."""
    pytest.importorskip("rfc3987_syntax")
    code = """
import sys
import dtilib.reporting, nbformat, papermill
print("__file__" not in vars(sys.modules["rfc3987_syntax"]))
from jsonschema import Draft7Validator
v = Draft7Validator({"format": "iri"}, format_checker=Draft7Validator.FORMAT_CHECKER)
print(v.is_valid("https://dti.gov.vn/tỉnh"), v.is_valid("not an iri"))
print("__file__" in vars(sys.modules["rfc3987_syntax"]))
"""
    other = """
import sys
import dtilib.reporting, jsonschema
import rfc3987_syntax
from rfc3987_syntax import is_valid_syntax_iri
print(is_valid_syntax_iri("https://dti.gov.vn"), sys.modules["rfc3987_syntax"].__file__.endswith(".py"))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split("\n")[:3] == ["True", "True False", "True"]
    out = subprocess.run([sys.executable, "-c", other], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True True"


def test_the_explorer_is_refused_by_the_warm_engine(tmp_path):
    # its pickers are widgets: without a kernel their outputs landed twice in the page (a hostile review)
    from dtilib.errors import ParameterError
    from dtilib.reporting.runner import run_report as run

    with pytest.raises(ParameterError, match="needs a Jupyter kernel") as e:
        run("00_explore", {}, out_dir=tmp_path, engine="warm")
    assert "--engine stock" in str(e.value) and not any(tmp_path.iterdir())


def test_a_report_on_ones_own_unit_file_is_named_after_it_not_the_examples_unit():
    # a review found `dti report 03 -p unit_file "units/Xã Bình Lư.csv"` wrote thanh-pho-bac-kan.html (the
    # example's default unit), so every commune's run replaced the same page
    spec = NOTEBOOKS["03_unit_gap_analysis"]
    assert report_key(spec, {"unit_file": "units/Xã Bình Lư.csv"}) == "xa-binh-lu"
    assert report_key(spec, {"unit_file": "quy3.xlsx", "unit": "Xã Mường Tè"}) == "xa-muong-te"
    assert report_key(spec, {}) == "thanh-pho-bac-kan"                      # the example, as before
