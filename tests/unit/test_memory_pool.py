"""The Arrow memory pool the loader and the tagging stage run with (lib.corpus.memory)."""

from __future__ import annotations

import os
import subprocess
import sys

import pyarrow as pa
import pytest

from lib import paths

_SHOW_POOL = "import lib.corpus, pyarrow as pa; print(pa.default_memory_pool().backend_name)"


def _pool_after_import(**env: str) -> str:
    environ = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    environ.update(env)
    out = subprocess.run([sys.executable, "-c", _SHOW_POOL], cwd=paths.ROOT, env=environ,
                         capture_output=True, text=True, check=True)
    return out.stdout.strip()


def _has_jemalloc() -> bool:
    try:
        pa.jemalloc_memory_pool()
    except (NotImplementedError, pa.ArrowNotImplementedError):
        return False
    return True


@pytest.mark.skipif(not _has_jemalloc(), reason="this pyarrow build has no jemalloc pool")
def test_importing_the_loader_makes_jemalloc_the_default_pool():
    assert _pool_after_import() == "jemalloc"


def test_a_pool_named_in_the_environment_is_kept():
    assert _pool_after_import(ARROW_DEFAULT_MEMORY_POOL="system") == "system"


def test_release_free_memory_changes_no_data():
    from lib.corpus.memory import release_free_memory

    table = pa.table({"text": ["세종", "대전", None]})
    before = table.to_pylist()
    release_free_memory()
    assert table.to_pylist() == before
