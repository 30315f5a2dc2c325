"""Rows per second of ``load_corpus`` per input format, and the generic page extractor's cost.

Inputs are SYNTHETIC: BigKinds rows and pages built from the bundled synthetic sample
(``data/sample``), and Naver-API CSV, AI-Hub JSON lines, NewsML, saved HTML and generic-layout
page dumps built from the synthetic test fixtures, multiplied to N records with distinct titles
and ids, in a temporary folder (HTML and NewsML at N/10 files: one article per file, and HTML
extraction is the slowest step). Each format is loaded with duplicate detection on (the
default), as users run it; the pages are then loaded twice more with ``cache=True`` (a cold run
that writes the cache, a warm rerun). ``parse_cost`` compares ``parse_page`` on pages that only
the generic layout reads with pages of outlets that have their own layout (milliseconds per
page, no file reading).

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
from lib.corpus import load_corpus, pages
from lib.corpus.bigkinds import HEADERS, write_bigkinds_csv, write_bigkinds_xlsx
from lib.corpus.textio import read_text

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


FIXTURES = paths.FIXTURES_DIR


def _numbered_copies(template: str, n: int) -> list[str]:
    """n copies of a text whose first line (the headline) carries a number."""
    head, sep, rest = template.partition("\n")
    return [f"{head.rstrip()} {i}{sep}{rest}" for i in range(n)]


def _generic_pages(n: int, folder: Path) -> None:
    sources = sorted((FIXTURES / "pages" / "generic").glob("*.txt"))
    texts = [read_text(p)[0] for p in sources]
    for i in range(n):
        text = texts[i % len(texts)]
        # the headline is found after the site chrome: number the line that holds it
        title = pages.parse_page(text)["title"]
        (folder / f"synthetic_generic_{i:05d}.txt").write_text(text.replace(title, f"{title} {i}"), encoding="utf-8")


def _naver_csv(n: int, path: Path) -> None:
    base = pd.read_csv(FIXTURES / "tables" / "naver_api_synthetic.csv", dtype=str)
    rows = pd.concat([base] * (n // len(base) + 1)).head(n).reset_index(drop=True)
    rows["title"] = [f"{t} {i}" for i, t in enumerate(rows["title"])]
    rows["description"] = [f"[{i}] {d}" for i, d in enumerate(rows["description"])]
    rows.to_csv(path, index=False)


def _aihub_jsonl(n: int, path: Path) -> None:
    lines = (FIXTURES / "tables" / "aihub_summary_synthetic.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for i in range(n):
        obj = json.loads(lines[i % len(lines)])
        obj["id"] = f"synthetic-{i}"
        obj["article_original"] = [f"[{i}] {obj['article_original'][0]}", *obj["article_original"][1:]]
        out.append(json.dumps(obj, ensure_ascii=False))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _one_per_file(template: Path, n: int, folder: Path, marker: str, suffix: str) -> None:
    text = template.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"synthetic_{i:05d}{suffix}").write_text(text.replace(marker, f"{marker} {i}"), encoding="utf-8")


def _parse_cost(repeats: int = 50) -> dict[str, float]:
    """Milliseconds per ``parse_page`` call: generic-layout pages vs pages with their own layout."""
    generic = [read_text(p)[0] for p in sorted((FIXTURES / "pages" / "generic").glob("*.txt"))]
    own = []
    for p in sorted((FIXTURES / "pages").glob("*.txt")):
        text = read_text(p)[0]
        if pages.detect_layout(text) != pages.GENERIC and "invalid" not in p.name and "no_title" not in p.name:
            own.append(text)
    timings = {}
    for name, texts in (("generic_layout", generic), ("own_layout", own)):
        start = time.perf_counter()
        for _ in range(repeats):
            for text in texts:
                pages.parse_page(text)
        timings[f"{name}_ms_per_page"] = round(1000 * (time.perf_counter() - start) / (repeats * len(texts)), 3)
    timings["ratio"] = round(timings["generic_layout_ms_per_page"] / timings["own_layout_ms_per_page"], 2)
    return timings


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
        generic_dir = tmp_dir / "generic_pages"
        generic_dir.mkdir()
        _generic_pages(n, generic_dir)
        naver = tmp_dir / "synthetic_naver.csv"
        _naver_csv(n, naver)
        aihub = tmp_dir / "synthetic_aihub.jsonl"
        _aihub_jsonl(n, aihub)
        few = max(1, n // 10)
        newsml_dir = tmp_dir / "newsml"
        newsml_dir.mkdir()
        _one_per_file(FIXTURES / "newsml" / "newsml12_daejeon_synthetic.xml", few, newsml_dir,
                      "대전시, 도시철도역에 스마트 보관함 설치", ".xml")
        html_dir = tmp_dir / "html"
        html_dir.mkdir()
        _one_per_file(FIXTURES / "html" / "ndsoft_sejongpost_synthetic.html", few, html_dir,
                      "세종시, 공동주택 단지에 스마트 택배함 확대", ".html")
        # The cache lives in the temporary folder: the project's own cache is never touched.
        paths.CACHE_DIR = tmp_dir / "cache"
        runs = (
            ("xlsx", xlsx, False, n),
            ("csv_cp949", csv, False, n),
            ("naver_csv", naver, False, n),
            ("aihub_jsonl", aihub, False, n),
            ("newsml", newsml_dir, False, few),
            ("html", html_dir, False, few),
            ("pages", pages_dir, False, n),
            ("pages_generic_layout", generic_dir, False, n),
            ("pages_cache_cold", pages_dir, True, n),
            ("pages_cache_warm", pages_dir, True, n),
        )
        for name, path, cache, count in runs:
            results["formats"][name] = _time(path, count, cache=cache)
            r = results["formats"][name]
            print(f"{name:17s} {r['records']:>7,} records  {r['seconds']:>7.2f} s  {r['rows_per_second']:>9,.0f} rows/s")
    results["parse_cost"] = _parse_cost()
    print("parse_page ms/page:", results["parse_cost"])
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {paths.display_path(RESULTS)}")


if __name__ == "__main__":
    main()
