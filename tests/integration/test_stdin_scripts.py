"""A script piped to ``python -`` loads a corpus large enough for several processes.

Worker processes import the main script again, and a script read from standard input has no
file to import (``<stdin>``): such a program reads in one process instead of stopping with a
``WorkerStartError``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from lib import paths
from lib.corpus import loader
from lib.tagging import stage

SCRIPT = textwrap.dedent("""
    import sys
    from lib.corpus import load_corpus, loader
    corpus = load_corpus(sys.argv[1], cache=False)
    print(loader.processes_can_start(), len(corpus.articles), len(corpus.rejects))
""")


def _big_table(path: Path, rows: int, first: int) -> None:
    body = "세종시 자율주행 버스 노선이 늘었다. " * 240  # about 5,000 characters
    lines = ["title,body,date,outlet,url"]
    lines += [f"기사 {i},{body}{i},2024-05-{1 + i % 28:02d},합성일보,https://example.org/{i}"
              for i in range(first, first + rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_script_from_standard_input_loads_a_large_folder_in_one_process(tmp_path) -> None:
    folder = tmp_path / "synthetic_corpus"
    folder.mkdir()
    _big_table(folder / "synthetic_a.csv", 1_800, 0)
    _big_table(folder / "synthetic_b.csv", 1_800, 1_800)
    assert sum(f.stat().st_size for f in folder.iterdir()) >= loader.PARALLEL_MIN_BYTES
    run = subprocess.run([sys.executable, "-", str(folder)], input=SCRIPT, text=True,
                         capture_output=True, cwd=paths.ROOT, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.split() == ["False", "3600", "0"]


def test_worker_counts_stay_at_one_when_the_main_script_is_no_file(monkeypatch, tmp_path) -> None:
    files = [(tmp_path / f"{n}.csv", f"{n}.csv", "") for n in "ab"]
    for path, _, _ in files:
        path.write_bytes(b"x" * (loader.PARALLEL_MIN_BYTES // 2 + 1))
    monkeypatch.setattr(stage.os, "cpu_count", lambda: 8)
    monkeypatch.setattr(loader.os, "sched_getaffinity", lambda _: set(range(8)), raising=False)
    assert stage.resolve_workers(None, stage.PARALLEL_MIN_ARTICLES) == 8
    assert loader._worker_count(None, files) == 2
    monkeypatch.setattr(sys.modules["__main__"], "__file__", "<stdin>", raising=False)
    assert not loader.processes_can_start()
    assert stage.resolve_workers(None, stage.PARALLEL_MIN_ARTICLES) == 1
    assert loader._worker_count(None, files) == 1
    assert stage.resolve_workers(3, 10) == 3
