# All set-up happens here: a fresh machine needs only python3 and make.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# `make test` runs the suite on 2 pytest-xdist workers (PYTEST_JOBS=0: in this process, one test at a time)
PYTEST_JOBS ?= 2

.PHONY: venv test lint report data bench clean kernel notebooks lab

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,dask]"
	$(BIN)/python -m ipykernel install --prefix $(abspath $(VENV)) --name dti --display-name "Python (dti)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

kernel: $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check dtilib tests bench notebooks

test: $(STAMP) lint
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) --dist loadgroup $(PYTEST_ARGS)

data: $(STAMP)
	$(BIN)/dti build

report: $(STAMP)
	$(BIN)/dti build
	$(BIN)/dti score --framework vn-province-922 --main-values data/raw/dti_pillars.csv --year 2022
	$(BIN)/dti reconcile
	$(BIN)/dti report 01_national_overview
	$(BIN)/dti report 02_province_trend -p province "Lai Châu" -p target_rank 45
	$(BIN)/dti report 03_unit_gap_analysis
	$(BIN)/dti report 04_points_per_effort
	$(BIN)/dti report 05_outlook_34
	@echo "reports: reports/index.html"

notebooks: $(STAMP)
	$(BIN)/dti notebooks sync

# JupyterLab from .venv on the notebooks (kernel `dti`; jupytext.toml pairs .ipynb and .py, and the .py
# sources open as notebooks); LAB_ARGS e.g. "--port 8899 --no-browser"
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
lab: $(STAMP)
	test -f data/processed/results.csv || $(BIN)/dti build
	mkdir -p $(LAB_SETTINGS) && cp etc/jupyterlab/overrides.json $(LAB_SETTINGS)/overrides.json
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --MappingKernelManager.default_kernel_name=dti \
		--LabApp.news_url= --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
		$(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

bench: $(STAMP)
	$(BIN)/dti build >/dev/null
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) reports
