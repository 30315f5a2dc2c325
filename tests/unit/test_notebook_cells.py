"""The committed notebooks can be rerun cell by cell, as users do in JupyterLab.

A user changes a parameter in a notebook's parameter cell, reruns that cell and then any one
analysis cell. That works only when no later cell assigns a parameter's name: a cell that
overwrites ``FREQ`` with the period it chose leaves ``FREQ = None`` after the parameter cell
is rerun, and the next cell fails on it.
"""

from __future__ import annotations

import ast

import nbformat
import pytest

from lib import paths

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))


def _assigned(source: str) -> set[str]:
    """The names a cell's code binds at its top level or in its blocks (IPython magics
    dropped), except inside functions and classes."""
    code = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%"))
    names: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef,
                                  ast.Lambda)):
                continue
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                names.add(child.id)
            visit(child)

    visit(ast.parse(code))
    return names


def _parameter_cell(nb: nbformat.NotebookNode) -> int:
    """The first code cell that reads the corpus parameter (``CORPUS = ...``)."""
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "CORPUS" in _assigned(cell.source):
            return i
    raise AssertionError("no parameter cell assigns CORPUS")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_cell_after_the_parameters_reassigns_one(path) -> None:
    nb = nbformat.read(path, as_version=4)
    first = _parameter_cell(nb)
    parameters = {name for name in _assigned(nb.cells[first].source) if name.isupper()}
    assert {"CORPUS"} <= parameters
    overwritten = {
        i: sorted(_assigned(cell.source) & parameters)
        for i, cell in enumerate(nb.cells[first + 1:], start=first + 1)
        if cell.cell_type == "code" and _assigned(cell.source) & parameters
    }
    assert not overwritten, overwritten


def test_the_check_sees_a_parameter_overwritten_in_a_block() -> None:
    assert "FREQ" in _assigned("if FREQ is None:\n    FREQ = choose()\n%matplotlib inline")
    assert "x" not in _assigned("def f():\n    x = 1\n")
