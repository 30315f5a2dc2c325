"""Articles per second of the tagging stage, cold and warm, with and without the smart-city model.

Input is SYNTHETIC: the bundled sample's articles (``data/sample``: full-text pages and
BigKinds keyword rows) repeated to N articles with fresh ids, so every copy is tagged. Measured
in one run, so the ratios compare like with like on a shared machine:

- ``rules``: ``tag_topics(use_model=False)`` + ``tag_regions``: the lexicon alone;
- ``cold``: ``tag_articles(cache=True)`` on an empty cache: Kiwi nouns for the model, both
  taggers, the long evidence tables, the Parquet cache written;
- ``warm``: the same call again: the tagged layer read back from the cache.

    python benchmarks/tagging.py [--articles 5000]

Prints a table and writes ``benchmarks/tagging_results.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from lib import __version__, paths
from lib.corpus import load_corpus
from lib.tagging import tag_articles, tag_regions, tag_topics

RESULTS = paths.BENCHMARKS_DIR / "tagging_results.json"


def sample_articles(n: int) -> pd.DataFrame:
    """The sample's articles repeated to ``n`` rows, each with a fresh id and title (SYNTHETIC)."""
    base = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).articles
    reps = -(-n // len(base))
    frame = pd.concat([base] * reps, ignore_index=True).head(n).copy()
    frame["article_id"] = [f"bench{i:07d}" for i in range(len(frame))]
    frame["title"] = [f"{t} ({i})" for i, t in enumerate(frame["title"])]
    return frame


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args(argv)
    articles = sample_articles(args.articles)
    n_text = int((~articles["lead_only"]).sum())
    with tempfile.TemporaryDirectory() as tmp:
        paths.CACHE_DIR = Path(tmp)
        rules = _timed(lambda: (tag_regions(articles), tag_topics(articles, use_model=False)))
        cold = _timed(lambda: tag_articles(articles, cache=True))
        warm = _timed(lambda: tag_articles(articles, cache=True))
    rows = {
        "rules": rules,
        "cold": cold,
        "warm": warm,
    }
    result = {
        "articles": len(articles),
        "full_text_articles": n_text,
        "seconds": {k: round(v, 2) for k, v in rows.items()},
        "articles_per_second": {k: round(len(articles) / v) for k, v in rows.items()},
        "ratios": {"cold / rules": round(cold / rules, 2), "warm / cold": round(warm / cold, 3)},
        "lib_version": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(f"{len(articles):,} articles ({n_text:,} full text, the rest BigKinds keyword rows)")
    for name, secs in rows.items():
        print(f"  {name:6s} {secs:7.2f} s  {len(articles) / secs:8.0f} articles/s")
    print(f"  cold is {cold / rules:.2f}x the rules alone; warm is {warm / cold:.3f}x cold")
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {paths.display_path(RESULTS)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
