"""The figures the tests measure reach the end of `make test`'s log, also from worker processes.

The eval tests print their scores on labelled data with the ``show`` fixture of
``tests/conftest.py``; `make test` runs the tests in worker processes (pytest-xdist), whose own
output pytest does not show. These run a small test file through pytest in a subprocess, with the
project's conftest as a plugin, with and without workers, and read its log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

OTHER = '''
def test_b_scores(show):
    show("b scores: region accuracy 0.900")


def test_failing_still_shows(show):
    show("failing: 1 of 2")
    assert False
'''

HELD_OUT = '''
def test_z_runs_first(show):
    show("held out: region accuracy 0.950\\n  per topic F1 0.80")


def test_a_runs_second(show):
    show("held out, by round")
'''


@pytest.mark.parametrize("workers", ["0", "2"])
def test_shown_figures_are_printed_at_the_end_held_out_first(tmp_path: Path, workers: str) -> None:
    (tmp_path / "test_a_other.py").write_text(OTHER, encoding="utf-8")
    (tmp_path / "test_real_holdout.py").write_text(HELD_OUT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest",
         "-n", workers, "--dist", "loadfile", "--rootdir", str(tmp_path), "-c", os.devnull,
         str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    log = run.stdout
    assert run.returncode == 1, log + run.stderr  # the one failing test
    section = log[log.index("figures the tests measured"):]
    order = ["held out: region accuracy 0.950\n  per topic F1 0.80", "held out, by round",
             "b scores: region accuracy 0.900", "failing: 1 of 2"]
    assert [section.index(text) for text in order] == sorted(section.index(text) for text in order)
