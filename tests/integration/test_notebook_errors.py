"""A corpus that cannot be read stops a notebook cell with its message alone: the message names
the path and what to do, and the loader's stack above it would only bury that."""

from __future__ import annotations

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def test_a_missing_corpus_shows_one_line_in_a_notebook(tmp_path) -> None:
    missing = tmp_path / "no_such_corpus"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(
        f"from lib.corpus import load_corpus\nload_corpus({str(missing)!r})")]
    with pytest.raises(CellExecutionError):
        NotebookClient(nb, kernel_name="python3", timeout=120).execute()
    error = nb.cells[0].outputs[-1]
    assert error.output_type == "error" and error.ename == "CorpusError"
    assert len(error.traceback) == 1
    assert "no_such_corpus: no such file or folder" in error.traceback[0]
