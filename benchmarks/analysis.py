"""Benchmark of the analysis notebooks' steps on a large corpus; writes
benchmarks/analysis_results.json.

The corpus is the pipeline benchmark's (``pipeline.write_corpora``, **synthetic**): BigKinds
rows in five xlsx files and a full-text table whose rows carry no id of their own (as a
scraper's or a search API's export), in a temporary folder with its own cache folder, so the
project's cache is never touched. Measured, each once in this process:

- ``load_and_tag`` cold (no cache; the full-text rows are tagged once the corpus is assembled,
  their ids made then) and warm (both caches read back);
- the token table notebooks 03 and 04 read (``tokens_of``), cold and warm;
- ``kwic`` of five terms, against a bare scan of the same titles and bodies for the term
  (``str.contains`` over the columns, no context, no synonyms, no keyword lists): the ratio
  says what listing each place with its article and context costs over finding it;
- ``city_keyness`` and ``new_term_candidates`` (the periods' keyness and Kiwi's word extraction
  over the selected articles' texts), the latter cold and warm (the extraction read back);
- the city tests of notebook 02 beside their outlet checks: ``trend_test`` and
  ``outlet_trend_check`` (quarters), ``compare_regions`` over the whole span and
  ``outlet_check``, with the number of outlets behind them; the kinds of piece
  (``article_kinds``) and the findings-at-a-glance table (``robustness``, given the outlet
  checks), which reruns the city tests four more ways; the trends checked against tagging error
  per era of publication (``accuracy.corrected_trends``, the shipped held-out rates), beside
  ``trend_test`` alone.

Run: ``python benchmarks/analysis.py`` (``--rows 5000 --fulltext 1000`` for a quick look), or
``make bench-parts``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from lib import __version__, paths

RESULTS = paths.BENCHMARKS_DIR / "analysis_results.json"
TERMS = ("자율주행", "스마트시티", "도심항공교통", "리빙랩", "세종")


def _timed(fn):
    start = time.perf_counter()
    out = fn()
    return out, round(time.perf_counter() - start, 2)


def _bare_scan(articles: pd.DataFrame, term: str) -> int:
    """Articles whose title or body holds ``term`` as written, among those KWIC reads (one
    row per id, duplicates left out): the least any listing costs."""
    unique = articles[~articles["is_duplicate"].fillna(False).astype(bool)]
    unique = unique.drop_duplicates(subset="article_id")
    hits = unique["title"].str.contains(term, regex=False) | unique["body"].str.contains(
        term, regex=False)
    return int(hits.sum())


def run(data: Path) -> dict[str, object]:
    from lib.analysis import accuracy, keyness, kwic, outlets, robustness
    from lib.analysis import topic_trends as tt
    from lib.tagging.kinds import article_kinds
    from lib.tagging import load_and_tag
    from lib.tagging.tokens import tokens_of

    out: dict[str, object] = {}
    (corpus, tags), out["load_and_tag_cold"] = _timed(
        lambda: load_and_tag(data, progress=False, cache=True))
    _, out["load_and_tag_warm"] = _timed(lambda: load_and_tag(data, progress=False, cache=True))
    out["articles"] = len(tags.articles)
    tokens, out["tokens_of_cold"] = _timed(lambda: tokens_of(tags, progress=False))
    _, out["tokens_of_warm"] = _timed(lambda: tokens_of(tags, progress=False))
    rows = {}
    for term in TERMS:
        lines, seconds = _timed(lambda term=term: kwic.kwic(tags, term))
        found, scan = _timed(lambda term=term: _bare_scan(tags.articles, term))
        rows[term] = {"rows": len(lines), "articles": int(lines["article_id"].nunique()),
                      "seconds": seconds, "bare_scan_seconds": scan,
                      "bare_scan_articles": found, "ratio": round(seconds / max(scan, 0.01), 1)}
        print(f"kwic {term}: {rows[term]}", flush=True)
    out["kwic"] = rows
    tagged = tags.articles
    _, out["city_keyness"] = _timed(lambda: keyness.city_keyness(tagged, tokens))
    _, out["new_term_candidates"] = _timed(lambda: keyness.new_term_candidates(tagged, tokens))
    _, out["new_term_candidates_warm"] = _timed(
        lambda: keyness.new_term_candidates(tagged, tokens))
    _, out["trend_test"] = _timed(lambda: tt.trend_test(tagged, freq="QS"))
    checked, out["outlet_trend_check"] = _timed(
        lambda: outlets.outlet_trend_check(tagged, freq="QS"))
    out["outlets_per_city"] = checked.groupby("region")["n_outlets"].max().to_dict()
    _, out["compare_regions_all"] = _timed(lambda: tt.compare_regions(tagged, freq="all"))
    difference_check, out["outlet_check"] = _timed(lambda: outlets.outlet_check(tagged))
    _, out["compare_regions_qs"] = _timed(lambda: tt.compare_regions(tagged, freq="QS"))
    cells, out["outlet_check_qs"] = _timed(lambda: outlets.outlet_check(tagged, freq="QS"))
    out["outlet_check_qs_cells"] = int((~cells["too_few"]).sum())
    _, out["export_articles_behind"] = _timed(lambda: tt.export_articles_behind(
        tagged, data / "articles_behind.csv", freq="QS", article_topics=tags.article_topics))
    _, out["article_kinds"] = _timed(lambda: article_kinds(tagged))
    _, out["corrected_trends"] = _timed(lambda: accuracy.corrected_trends(tagged, freq="QS"))
    _, out["robustness"] = _timed(lambda: robustness.robustness(
        tagged, freq="QS", outlet_check=difference_check, outlet_trends=checked))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="BigKinds rows (default 100,000)")
    parser.add_argument("--fulltext", type=int, default=20_000,
                        help="full-text articles without ids (default 20,000)")
    args = parser.parse_args(argv)
    from pipeline import write_corpora  # benchmarks/pipeline.py, beside this script

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="synthetic_bench_") as tmp:
        data = Path(tmp) / "synthetic_bench_corpus"
        meta = write_corpora(data, args.rows, args.fulltext, min(3000, args.rows))
        paths.CACHE_DIR = Path(tmp) / "cache"
        print(f"generated {meta}", flush=True)
        figures = run(data)
    figures.update(meta)
    figures.update({"cpus": os.cpu_count(), "python": platform.python_version(),
                    "machine": platform.machine(), "lib_version": __version__,
                    "total_seconds": round(time.perf_counter() - started, 1),
                    "data": "synthetic (benchmarks/pipeline.py's generator)"})
    RESULTS.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in figures.items() if k != "kwic"}, ensure_ascii=False))
    print(f"wrote {RESULTS.relative_to(paths.ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
