"""Benchmark of lib.tagging.tokens tokenization; writes benchmarks/nlp_throughput_results.json.

(a) Throughput of ``lib.tagging.tokens.tokenize`` against raw kiwipiepy batch tokenization
    (``Kiwi(num_workers=n).tokenize(iterable)``) on the same texts, with the same worker count
    and the same user dictionary, so the ratio measures only what lib.tagging.tokens adds (joining spaced
    lexicon variants, keeping content tags, stopwords, synonym folding). Target: ratio >= 0.85.
(b) ``lib.tagging.tokens.token_table`` on the sample corpus (``load_corpus(lib.paths.SAMPLE_DIR)``):
    first run on an empty cache vs second run reading the cache. Target: speed-up >= 20x.
    The cache lives in a temporary folder, so the project's own cache is never touched; Kiwi
    is already built when (b) starts, so the cold time is tokenization plus writing Parquet.
(c) ``tag_regions`` and ``tag_topics`` on 10,000 articles (the sample repeated): seconds to
    tens of seconds is the target.

Run: ``python benchmarks/nlp_throughput.py`` (or ``make bench``).
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import kiwipiepy
import pandas as pd

from lib import paths
from lib.tagging import resources as lexicon
from lib.tagging import tokens as nlp
from lib.corpus import load_corpus
from lib.tagging.regions import tag_regions
from lib.tagging.topics import tag_topics

RESULTS = paths.BENCHMARKS_DIR / "nlp_throughput_results.json"
REPEATS = 5


def _best_of(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _corpus_texts(articles) -> list[str]:
    unique = articles.drop_duplicates(subset="article_id")
    return [nlp.article_text(row) for row in unique.to_dict("records")]


def bench_throughput(texts: list[str], workers: int) -> dict:
    raw = kiwipiepy.Kiwi(num_workers=workers)
    for form, tag, score in lexicon.load_user_dict():
        raw.add_user_word(form, tag, score)
    nlp.get_kiwi(workers=workers)  # build outside the timing, like `raw` above

    def run_raw() -> None:
        for _tokens in raw.tokenize(iter(texts)):
            pass

    def run_lib() -> None:
        nlp.tokenize(texts, workers=workers, progress=False)

    run_raw()
    run_lib()  # warm both (first calls allocate thread pools)
    # Interleaved, best of REPEATS each: other load on the machine hits both sides alike.
    raw_times, lib_times = [], []
    for _ in range(REPEATS):
        raw_times.append(_best_of(run_raw, 1))
        lib_times.append(_best_of(run_lib, 1))
    t_raw, t_lib = min(raw_times), min(lib_times)
    n_chars = sum(len(t) for t in texts)
    return {
        "texts": len(texts),
        "chars": n_chars,
        "workers": workers,
        "raw_seconds": round(t_raw, 4),
        "lib_seconds": round(t_lib, 4),
        "raw_chars_per_second": round(n_chars / t_raw),
        "lib_chars_per_second": round(n_chars / t_lib),
        "ratio_lib_to_raw": round(t_raw / t_lib, 3),
        "target_ratio": 0.85,
    }


def bench_cache(articles, workers: int) -> dict:
    saved = paths.CACHE_DIR
    with tempfile.TemporaryDirectory() as tmp:
        paths.CACHE_DIR = Path(tmp)
        try:
            start = time.perf_counter()
            cold = nlp.token_table(articles, workers=workers, progress=False)
            t_cold = time.perf_counter() - start
            start = time.perf_counter()
            warm = nlp.token_table(articles, workers=workers, progress=False)
            t_warm = time.perf_counter() - start
        finally:
            paths.CACHE_DIR = saved
    if not cold.equals(warm):
        raise AssertionError("warm token table differs from the cold one")
    return {
        "articles": len(articles),
        "unique_articles": int(articles["article_id"].nunique()),
        "rows": len(cold),
        "cold_seconds": round(t_cold, 4),
        "warm_seconds": round(t_warm, 4),
        "speedup": round(t_cold / t_warm, 1),
        "target_speedup": 20,
    }


def bench_tagging(articles, n: int = 10_000) -> dict:
    reps = -(-n // len(articles))
    big = pd.concat([articles] * reps, ignore_index=True).iloc[:n]
    tag_topics(big.iloc[:10])
    tag_regions(big.iloc[:10])  # compile the lexicon and the regions file outside the timing
    start = time.perf_counter()
    tag_regions(big)
    t_regions = time.perf_counter() - start
    start = time.perf_counter()
    tag_topics(big)
    t_topics = time.perf_counter() - start
    return {
        "articles": len(big),
        "chars": int(sum(len(t) for t in big["body"]) + sum(len(t) for t in big["keywords"])),
        "tag_regions_seconds": round(t_regions, 3),
        "tag_topics_seconds": round(t_topics, 3),
    }


def main() -> dict:
    workers = nlp.default_workers()
    corpus = load_corpus(paths.SAMPLE_DIR, progress=False)
    articles = corpus.articles
    texts = _corpus_texts(articles)
    throughput = bench_throughput(texts, workers)
    print(
        f"(a) {throughput['texts']} texts, {throughput['chars']:,} chars, {workers} workers: "
        f"raw kiwipiepy {throughput['raw_chars_per_second']:,} chars/s, "
        f"lib.tagging.tokens {throughput['lib_chars_per_second']:,} chars/s, "
        f"ratio {throughput['ratio_lib_to_raw']} (target >= 0.85)"
    )
    cache = bench_cache(articles, workers)
    print(
        f"(b) token_table on the sample ({cache['unique_articles']} articles): "
        f"cold {cache['cold_seconds']:.2f} s, warm {cache['warm_seconds']:.3f} s, "
        f"speed-up {cache['speedup']}x (target >= 20x)"
    )
    tagging = bench_tagging(articles)
    print(
        f"(c) tagging {tagging['articles']:,} articles: tag_regions "
        f"{tagging['tag_regions_seconds']:.2f} s, tag_topics {tagging['tag_topics_seconds']:.2f} s"
    )
    results = {
        "corpus": paths.display_path(paths.SAMPLE_DIR),
        "throughput": throughput,
        "token_cache": cache,
        "tagging": tagging,
        "environment": {
            "python": sys.version.split()[0],
            "kiwipiepy": kiwipiepy.__version__,
            "cpu_count": os.cpu_count(),
            "machine": platform.machine(),
        },
    }
    with open(RESULTS, "w", encoding="utf-8") as fh:
        json.dump(results, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    print(f"wrote {paths.display_path(RESULTS)}")
    return results


if __name__ == "__main__":
    main()
