"""Rows per second of ``load_corpus`` on 10,000-row inputs: BigKinds xlsx, CSV, and page dumps.

Inputs are SYNTHETIC: BigKinds rows and pages built from the bundled synthetic sample
(``data/sample``), multiplied to N records with distinct titles and ids, in a temporary folder.
Each format is loaded with duplicate detection on (the default), as users run it; the pages are
then loaded twice more with ``cache=True`` (a cold run that writes the cache, a warm rerun).

    python benchmarks/load_corpus.py [--rows 10000]

Prints a table and writes ``benchmarks/load_corpus_results.json``.
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
from lib.corpus.bigkinds import HEADERS, write_bigkinds_csv, write_bigkinds_xlsx

RESULTS = paths.BENCHMARKS_DIR / "load_corpus_results.json"


def _bigkinds_rows(n: int) -> list[dict[str, str]]:
    """n BigKinds rows: the sample's own rows repeated with fresh ids and titles."""
    files = sorted((paths.SAMPLE_DIR).rglob("*.xlsx"))
    if not files:
        raise SystemExit("the synthetic sample has no BigKinds xlsx: run `make sample` first")
    base = pd.concat([pd.read_excel(f, engine="calamine", dtype=str) for f in files]).fillna("")
    base = base[base["분석제외 여부"] == ""].to_dict("records")
    rows = []
    for i in range(n):
        row = dict(base[i % len(base)])
        row["뉴스 식별자"] = f"09{i:06d}.{row['일자'] or '20210101'}000000001"
        row["제목"] = f"{row['제목']} ({i})"
        row["본문"] = f"[{i}] {row['본문']}"
        rows.append({h: row.get(h, "") for h in HEADERS})
    return rows


def _pages(n: int, folder: Path) -> None:
    """n page files: the sample's pages with a number appended to the headline line."""
    sources = sorted((paths.SAMPLE_DIR).rglob("*.txt"))
    if not sources:
        raise SystemExit("the synthetic sample has no pages: run `make sample` first")
    texts = [p.read_bytes().removeprefix(b"\xef\xbb\xbf") for p in sources]
    for i in range(n):
        head, sep, rest = texts[i % len(texts)].partition(b"\n")
        (folder / f"synthetic_{i:05d}.txt").write_bytes(head.rstrip() + f" {i}".encode() + sep + rest)


def _time(path: Path, rows: int, *, cache: bool = False) -> dict[str, float]:
    start = time.perf_counter()
    corpus = load_corpus(path, progress=False, cache=cache)
    seconds = time.perf_counter() - start
    return {
        "records": int(corpus.manifest["rows_read"].sum()),
        "loaded": len(corpus.articles),
        "seconds": round(seconds, 3),
        "rows_per_second": round(rows / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    n = parser.parse_args().rows
    results: dict[str, object] = {
        "rows": n,
        "lib_version": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": pd.Timestamp.now().isoformat(timespec="seconds"),
        "formats": {},
    }
    rows = _bigkinds_rows(n)
    with tempfile.TemporaryDirectory() as tmp:
        tmp_dir = Path(tmp)
        xlsx = write_bigkinds_xlsx(tmp_dir / "synthetic_bench.xlsx", rows)
        csv = write_bigkinds_csv(tmp_dir / "synthetic_bench.csv", rows, encoding="cp949")
        pages_dir = tmp_dir / "pages"
        pages_dir.mkdir()
        _pages(n, pages_dir)
        # The cache lives in the temporary folder: the project's own cache is never touched.
        paths.CACHE_DIR = tmp_dir / "cache"
        runs = (
            ("xlsx", xlsx, False),
            ("csv_cp949", csv, False),
            ("pages", pages_dir, False),
            ("pages_cache_cold", pages_dir, True),
            ("pages_cache_warm", pages_dir, True),
        )
        for name, path, cache in runs:
            results["formats"][name] = _time(path, n, cache=cache)
            r = results["formats"][name]
            print(f"{name:17s} {r['records']:>7,} records  {r['seconds']:>7.2f} s  {r['rows_per_second']:>9,.0f} rows/s")
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {paths.display_path(RESULTS)}")


if __name__ == "__main__":
    main()
