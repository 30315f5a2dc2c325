# Smart-city coverage in Korean news (Sejong vs Daejeon).  `make help` lists the targets.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KERNEL := smartcity-news
CORPUS ?= data/sample
SHOW_CODE ?= 0
export CORPUS SHOW_CODE

.DEFAULT_GOAL := help
.PHONY: help setup report test test-fast lab labels notebooks sample train bench bench-parts accuracy clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (smartcity-news)" >/dev/null
	touch $@

setup: $(VENV)/.installed ## create .venv, install pinned requirements and the project kernel

report: setup ## run the notebooks on CORPUS (default: the synthetic sample) and write reports/*.html
	$(PY) -m lib.present.report

# nbval compares against outputs made from the sample with default parameters, whatever the shell sets.
# The tests run in TEST_WORKERS processes (pytest-xdist), each test file whole in one of them, so
# that a notebook's cells run in order in one kernel; TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 2
test: setup ## every test (lib, the notebooks under nbval) on TEST_WORKERS (2) processes; measured figures printed at the end
	env -u FREQ -u TOPIC_FREQ -u TERM_FREQ -u MIN_N -u EVENTS -u CORRECT -u LABELS -u REGIONS_FILE -u REPORT_DIR -u FIGURES_DIR -u CORPUS_COLUMNS -u CORPUS_ON_ERROR CORPUS=data/sample $(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

test-fast: setup ## the unit tests only (tests/unit: no notebooks, no reports, no scoring runs)
	$(PY) -m pytest -o addopts="-ra --strict-markers" -m "not slow" tests

lab: setup ## open JupyterLab on 127.0.0.1 with the project kernel, at notebooks/ (reports/ and data/ one folder up)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

N ?= 200
POPULATION ?= smart_city
labels: setup ## draw a blind sheet of N (200) of CORPUS's articles to label by hand (POPULATION=all: every article)
	$(PY) -m lib.analysis.labelling --n $(N) --population $(POPULATION)

notebooks: setup ## rerun the notebooks on the sample and save their outputs (after changing lib or the sample)
	$(PY) -m lib.present.report --refresh-notebooks

sample: setup ## regenerate the synthetic sample corpus in data/sample (byte-identical per seed)
	$(PY) -m lib.sample

train: setup ## refit the smart-city and topic models on the dev rows they were fitted on (ALL_DEV=1: every dev row) and report topic thresholds
	$(PY) -m lib.tagging.train --write-topic-model $(if $(ALL_DEV),--all-dev)

bench: setup ## pipeline benchmark on 100,000 synthetic BigKinds rows (~9 min; ROWS=5000 for a quick look): benchmarks/pipeline_results.*
	$(PY) benchmarks/pipeline.py $(if $(ROWS),--rows $(ROWS) --fulltext $$(( $(ROWS) / 5 )))

bench-parts: setup ## the other benchmark scripts in benchmarks/ (formats, tokens, tagging), each writing its results beside it
	@for script in benchmarks/*.py; do [ "$$script" = benchmarks/pipeline.py ] && continue; echo "== $$script"; $(PY) $$script || exit 1; done

accuracy: setup ## tag the labelled real news and write the error counts to lib/resources/tagger_accuracy*.tsv (pooled, per city, per era) and the check of the correction to correction_check.tsv
	$(PY) -m lib.analysis.accuracy
	$(PY) -m lib.analysis.correction_check

clean: ## remove derived files (cache, reports); keeps .venv and data/raw
	rm -rf data/cache reports
