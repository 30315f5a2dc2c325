"""Rows per second of ``load_corpus`` per input format, and the generic page extractor's cost.

Inputs are SYNTHETIC: BigKinds rows and pages built from the bundled synthetic sample
(``data/sample``), and Naver-API CSV, AI-Hub JSON lines, NewsML, saved HTML and generic-layout
page dumps built from the synthetic test fixtures, multiplied to N records with distinct titles
and ids, in a temporary folder (HTML and NewsML at N/10 files: one article per file, and HTML
extraction is the slowest step). Each format is loaded with duplicate detection on (the
default), as users run it; the pages are then loaded twice more with ``cache=True`` (a cold run
that writes the cache, a warm rerun), and so are the pages in one zip (the warm rerun finds the
corpus by the zip's bytes without unpacking it). ``parse_cost`` compares ``parse_page`` on pages that only
the generic layout reads with pages of outlets that have their own layout (milliseconds per
page, no file reading).

A second part measures one big BigKinds CSV (``--big-mb``, default 300 MB, UTF-8 with BOM):
``load_corpus`` (with and without duplicate detection) against a raw
``pandas.read_csv(dtype=str)`` of the same file, and ``load_corpus`` of the same file packed
as ``.csv.gz`` (unpacked to disk, then read). The page dumps are also loaded from one zip. ``--big-mb 0`` skips it.

A third part measures 100,000 BigKinds rows as five xlsx downloads of 20,000 rows
(``--xlsx-rows``): ``load_corpus`` with its default workers and with ``workers=1`` against a raw
``pandas.read_excel(engine="calamine", dtype=str)`` of the same five files. ``--xlsx-rows 0``
skips it.

Every big case runs in a fresh process, ``--repeat`` times (the fastest run is kept: other
programs on the machine only ever slow a run down), and reports wall time and the peak resident
memory of the whole process tree (the process and its workers: proportional set sizes summed,
sampled from /proc every 20 ms; ``ru_maxrss`` of the process where /proc is missing).

    python benchmarks/load_corpus.py [--rows 10000] [--big-mb 300] [--xlsx-rows 100000] [--repeat 2]

Prints a table and writes ``benchmarks/load_corpus_results.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
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


#: Run in a fresh interpreter: prints the rows read and seconds as JSON.
_MEASURE = """
import glob, inspect, json, resource, sys, time
path, how = sys.argv[1], sys.argv[2]
import pandas as pd
from lib.corpus import load_corpus
start = time.perf_counter()
if how == "pandas":
    rows = len(pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig"))
elif how == "calamine":
    rows = sum(len(pd.read_excel(f, engine="calamine", dtype=str)) for f in sorted(glob.glob(path + "/*.xlsx")))
else:
    options = {"progress": False, "dedup": how != "load_corpus_without_dedup"}
    if how == "load_corpus_one_worker" and "workers" in inspect.signature(load_corpus).parameters:
        options["workers"] = 1
    corpus = load_corpus(path, **options)
    rows = int(corpus.manifest["rows_read"].sum())
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"rows": rows, "seconds": round(seconds, 2), "self_peak_rss_mb": round(peak)}))
"""


def _write_big_csv(path: Path, megabytes: int) -> int:
    """A BigKinds CSV of about ``megabytes`` MB: the sample's rows repeated with fresh ids."""
    block = _bigkinds_rows(2_000)
    target = megabytes << 20
    written = 0
    n = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(",".join(HEADERS) + "\r\n")
        while written < target:
            rows = []
            for row in block:
                row = dict(row, **{"뉴스 식별자": f"08{n:06d}.{row['일자'] or '20210101'}000000001"})
                row["제목"] = f"{row['제목']} [{n}]"
                rows.append(row)
                n += 1
            text = pd.DataFrame(rows, columns=list(HEADERS)).to_csv(index=False, header=False, lineterminator="\r\n")
            handle.write(text)
            written += len(text.encode("utf-8"))
    return n


def _tree_rss_mb(pid: int) -> float | None:
    """Memory of a process and all its descendants (MiB), from /proc; None without it.

    Proportional set size (``Pss`` of ``smaps_rollup``) where the kernel gives it, so pages that
    worker processes share with the process that started them count once; else ``VmRSS``.
    """
    total = 0
    stack = [pid]
    seen = 0
    while stack:
        current = stack.pop()
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text(encoding="utf-8")
            try:
                text, field = Path(f"/proc/{current}/smaps_rollup").read_text(encoding="utf-8"), "Pss:"
            except OSError:
                text, field = Path(f"/proc/{current}/status").read_text(encoding="utf-8"), "VmRSS:"
        except OSError:
            continue
        seen += 1
        for line in text.splitlines():
            if line.startswith(field):
                total += int(line.split()[1])
                break
        stack.extend(int(c) for c in children.split())
    return total / 1024 if seen else None


def _measure_once(path: Path, how: str) -> dict[str, float]:
    process = subprocess.Popen(
        [sys.executable, "-c", _MEASURE, str(path), how], cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0
    while process.poll() is None:
        rss = _tree_rss_mb(process.pid)
        peak = max(peak, rss or 0.0)
        time.sleep(0.02)
    out, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"{how} on {path.name} failed:\n{err}")
    result = json.loads(out.strip().splitlines()[-1])
    # ru_maxrss of a fresh process starts from the size of the process that forked it (Linux
    # keeps it across exec), so it is only the fallback where /proc cannot be read.
    result["peak_rss_mb"] = round(peak) if peak else result.pop("self_peak_rss_mb")
    result.pop("self_peak_rss_mb", None)
    return result


def _measure(path: Path, how: str, repeat: int) -> dict[str, float]:
    """The fastest of ``repeat`` runs, with the highest peak memory seen in any of them."""
    runs = [_measure_once(path, how) for _ in range(repeat)]
    best = dict(min(runs, key=lambda r: r["seconds"]))
    best["peak_rss_mb"] = max(r["peak_rss_mb"] for r in runs)
    best["all_seconds"] = [r["seconds"] for r in runs]
    return best


def _show(name: str, size: str, r: dict[str, float]) -> None:
    print(f"{name:26s} {size:>8}  {r['rows']:>8,} rows  {r['seconds']:>7.1f} s  peak RSS {r['peak_rss_mb']:>6,} MB")


def big_csv(megabytes: int, repeat: int) -> dict[str, object]:
    """load_corpus vs pandas.read_csv on one big synthetic BigKinds CSV, each in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "synthetic_big_bigkinds.csv"
        rows = _write_big_csv(path, megabytes)
        size_mb = round(path.stat().st_size / (1 << 20))
        packed = path.with_name(path.name + ".gz")
        with path.open("rb") as source, gzip.open(packed, "wb", compresslevel=6) as out:
            shutil.copyfileobj(source, out, 1 << 20)
        packed_mb = round(packed.stat().st_size / (1 << 20))
        raw = _measure(path, "pandas", repeat)
        ours = _measure(path, "load_corpus", repeat)
        no_dedup = _measure(path, "load_corpus_without_dedup", repeat)
        from_gz = _measure(packed, "load_corpus", repeat)
    result = {
        "file_mb": size_mb,
        "rows": rows,
        "pandas_read_csv": raw,
        "load_corpus": ours,
        "load_corpus_without_dedup": no_dedup,
        "load_corpus_from_csv_gz": {**from_gz, "packed_mb": packed_mb},
        "speed_vs_pandas": round(raw["seconds"] / ours["seconds"], 2),
        "peak_rss_vs_file": round(ours["peak_rss_mb"] / size_mb, 2),
        "csv_gz_time_vs_csv": round(from_gz["seconds"] / ours["seconds"], 2),
    }
    for name in ("pandas_read_csv", "load_corpus", "load_corpus_without_dedup", "load_corpus_from_csv_gz"):
        _show(name, f"{size_mb} MB", result[name])
    print(f"load_corpus speed vs pandas.read_csv: {result['speed_vs_pandas']}x (goal >= 0.5x)")
    print(f"the same CSV packed as .csv.gz ({packed_mb} MB): {result['csv_gz_time_vs_csv']}x the time "
          "(unpacked to disk first)")
    return result


def xlsx_set(rows: int, repeat: int, files: int = 5) -> dict[str, object]:
    """load_corpus vs a raw calamine read of ``files`` BigKinds xlsx downloads holding ``rows`` rows."""
    data = _bigkinds_rows(rows)
    per_file = -(-rows // files)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "xlsx"
        folder.mkdir()
        for k in range(files):
            write_bigkinds_xlsx(folder / f"synthetic_bigkinds_{k}.xlsx", data[k * per_file : (k + 1) * per_file])
        size_mb = round(sum(p.stat().st_size for p in folder.iterdir()) / (1 << 20))
        raw = _measure(folder, "calamine", repeat)
        ours = _measure(folder, "load_corpus", repeat)
        serial = _measure(folder, "load_corpus_one_worker", repeat)
    result = {
        "files": files,
        "rows": rows,
        "files_mb": size_mb,
        "calamine_read_excel": raw,
        "load_corpus": ours,
        "load_corpus_one_worker": serial,
        "time_vs_calamine": round(ours["seconds"] / raw["seconds"], 2),
        "time_vs_calamine_one_worker": round(serial["seconds"] / raw["seconds"], 2),
    }
    for name in ("calamine_read_excel", "load_corpus", "load_corpus_one_worker"):
        _show(name, f"{size_mb} MB", result[name])
    print(
        f"load_corpus time vs raw calamine: {result['time_vs_calamine']}x "
        f"(one worker {result['time_vs_calamine_one_worker']}x; goal <= 1.5x)"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--big-mb", type=int, default=300)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    n = args.rows
    results: dict[str, object] = {
        "rows": n,
        "lib_version": __version__,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "when": pd.Timestamp.now().isoformat(timespec="seconds"),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
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
        pages_zip = tmp_dir / "zipped" / "synthetic_pages.zip"
        pages_zip.parent.mkdir()
        with zipfile.ZipFile(pages_zip, "w", zipfile.ZIP_DEFLATED) as archive:
            for page in sorted(pages_dir.iterdir()):
                archive.write(page, page.name)
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
            ("pages_in_a_zip", pages_zip.parent, False, n),
            ("pages_generic_layout", generic_dir, False, n),
            ("pages_cache_cold", pages_dir, True, n),
            ("pages_cache_warm", pages_dir, True, n),
            ("pages_in_a_zip_cache_cold", pages_zip.parent, True, n),
            ("pages_in_a_zip_cache_warm", pages_zip.parent, True, n),
        )
        for name, path, cache, count in runs:
            results["formats"][name] = _time(path, count, cache=cache)
            r = results["formats"][name]
            print(f"{name:17s} {r['records']:>7,} records  {r['seconds']:>7.2f} s  {r['rows_per_second']:>9,.0f} rows/s")
    results["parse_cost"] = _parse_cost()
    print("parse_page ms/page:", results["parse_cost"])
    if args.big_mb:
        results["big_csv"] = big_csv(args.big_mb, args.repeat)
    if args.xlsx_rows:
        results["xlsx_set"] = xlsx_set(args.xlsx_rows, args.repeat)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written: {paths.display_path(RESULTS)}")


if __name__ == "__main__":
    main()
