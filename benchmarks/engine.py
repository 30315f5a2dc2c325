"""Seconds of tagging with 1 and 2 worker processes, and of the distributed engine on a local
cluster against the default engine, measured in one run.

Input is SYNTHETIC: for tagging, the bundled sample's articles (``data/sample``) repeated to N
articles with fresh ids, so every copy is tagged; for the engines, the sample folder itself.
Every measurement starts from an empty cache folder (Kiwi tokens included) and tags with
``cache=False``, so each one does the whole work:

- ``tag workers=1`` / ``tag workers=2``: ``tag_articles(articles, workers=…)``;
- ``default engine``: ``load_corpus`` + ``tag_articles`` + ``token_table`` in this process;
- ``dask engine``: ``lib.engine.run_engine`` on a 2-worker ``LocalCluster`` (cluster start,
  load, global duplicate step, tag, tokens, Parquet written). Skipped without the extra
  (``requirements-distributed.txt``).

    python benchmarks/engine.py [--articles 10000]

Prints a table and writes ``benchmarks/engine_results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


from lib import __version__, paths
from lib.corpus import load_corpus
from lib.tagging import tag_articles
from lib.tagging.tokens import token_table
from tagging import sample_articles  # benchmarks/tagging.py (scripts run from this folder)

RESULTS = paths.BENCHMARKS_DIR / "engine_results.json"


def _cold(fn: Callable[[Path], object]) -> float:
    """Seconds of ``fn(folder)`` with an empty cache folder."""
    with tempfile.TemporaryDirectory() as tmp:
        paths.CACHE_DIR = Path(tmp) / "cache"
        start = time.perf_counter()
        fn(Path(tmp))
        return time.perf_counter() - start


def _default_engine(_: Path) -> None:
    corpus = load_corpus(paths.SAMPLE_DIR, progress=False)
    tag_articles(corpus.articles, cache=False, workers=1)
    token_table(corpus.articles, cache=False, progress=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    args = parser.parse_args(argv)
    articles = sample_articles(args.articles)
    seconds = {
        "tag workers=1": _cold(lambda _: tag_articles(articles, cache=False, workers=1)),
        "tag workers=2": _cold(lambda _: tag_articles(articles, cache=False, workers=2)),
        "default engine (sample)": _cold(_default_engine),
    }
    try:
        from lib.engine import run_engine

        import dask.distributed  # noqa: F401  (the extra is installed)
    except ImportError:
        print("dask engine: skipped (pip install -r requirements-distributed.txt)")
    else:
        seconds["dask engine (sample, 2 workers)"] = _cold(
            lambda tmp: run_engine(paths.SAMPLE_DIR, tmp / "out", n_workers=2)
        )
    sample = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).articles
    result = {
        "tag_articles": len(articles),
        "tag_full_text_articles": int((~articles["lead_only"]).sum()),
        "sample_articles": len(sample),
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "ratios": {
            "tag workers=2 / workers=1": round(
                seconds["tag workers=2"] / seconds["tag workers=1"], 2),
            **({"dask engine / default engine": round(
                seconds["dask engine (sample, 2 workers)"] / seconds["default engine (sample)"], 2)}
               if "dask engine (sample, 2 workers)" in seconds else {}),
        },
        "cores": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "lib_version": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(f"tagging {len(articles):,} articles; engines on the sample ({len(sample):,} articles)")
    for name, secs in seconds.items():
        print(f"  {name:34s} {secs:7.2f} s")
    for name, ratio in result["ratios"].items():
        print(f"  {name:34s} {ratio:7.2f}x")
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
