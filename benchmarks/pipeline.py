"""The whole pipeline at scale, measured in one run: load, tagging, tokenization, cold and warm.

Input is SYNTHETIC and made on the fly in a temporary folder (nothing is committed): stories
written by the sample generator's templates (:mod:`lib.sample`), turned into

- a BigKinds corpus of ``--rows`` rows (default 100,000) in xlsx files of 20,000 rows
  (``synthetic_bench_*.xlsx``): 키워드 from Kiwi nouns of the whole story, a lead-only 본문, as
  the sample generator makes them; rows in date order over eight years, so that each file is
  a slice of dates, as a BigKinds download is (results before 2026-12-03 gave each row its own
  day, cycling, so every file held 2,900 distinct days, which no real download does);
- a full-text corpus of ``--fulltext`` articles (default 20,000) as a news table
  (``synthetic_bench_fulltext.csv``: title, subtitle, body, captions, outlet, date).

A pool of distinct stories is written once; rows reuse a story with a fresh id, date and title.

Every stage runs in a fresh process, so memory is that stage's own: wall seconds, CPU seconds
and peak resident memory (``VmHWM`` of ``/proc/self/status``), and, since loading and tagging
use worker processes by default (2 cores or more), the peak of the memory summed over the stage's
process and its workers (sampled every 250 ms: reading a process's memory map costs CPU time
the measured processes would miss), both resident (a page shared by several processes
counted in each) and proportional (``Pss``: each shared page divided among its processes, the
memory the whole tree takes). Ratios compare like with like
inside one process, interleaved, best of ``--repeats``:

- ``load`` (``lib.corpus.load_corpus``, no cache) against a raw
  ``pandas.read_excel(engine="calamine", dtype=str)`` of the same files;
- tagging on the loaded BigKinds articles and on the full-text articles: ``tag_regions``,
  ``tag_topics`` (lexicon rules) and both together, each against a bare regex scan of the
  same texts: every regex the taggers run, ``finditer`` over every text it reads and nothing
  else. The scan is timed twice: with the regexes as the taggers compile them, and as the
  plain case-insensitive trie of earlier versions (``floor_plain``), which earlier figures used.
  On the BigKinds rows ``tag_articles`` (with the smart-city model, its nouns and the long
  tables) is timed too, in one process like the taggers, so ``model_and_tables`` is what the
  model part adds. The synthetic rows are smart-city stories (many hits per article, to score
  and explain) drawn from a pool of distinct stories; when the real BigKinds downloads are on
  this machine (``lib.paths.REAL_BIGKINDS_DIR``, read in place, general news with one distinct
  keyword list per row), the same comparison runs on them too (``tagging_real``, best of ten
  times ``--repeats``: they are small);
- tokenization of the first ``--token-texts`` full-text articles (default 2,000; Kiwi is the
  slowest step by far) through ``lib.tagging.tokens.tokenize`` against raw kiwipiepy (same
  worker count, same user dictionary), paired: the texts are cut into blocks of
  ``TOKEN_BLOCK`` and each block is tokenized by one then the other (the order alternating), so
  a slow spell of the shared machine, which lasts seconds, falls on both alike; the seconds
  given are per pass over all the texts, averaged over the rounds;
- end to end as the notebooks run it, ``lib.tagging.load_and_tag`` (load, then tag, with the
  tagging of each file begun in the reading processes as soon as it is read), on an empty cache
  (cold: each repeat a new process on a new cache folder, the fastest kept, every repeat's time
  recorded; memory is the highest of the repeats), then the same in a new process with the cache
  filled (warm; like the cold runs, its memory is read in a run of its own, not in the timed
  one); and, taking turns with the cold runs, ``load_corpus(cache=True)`` then
  ``tag_articles(cache=True)`` as two steps (``end_to_end_cold_two_steps``), and
  ``load_and_tag(workers=1)``, all in one process (``end_to_end_cold_one_process``: no worker
  processes to add to the memory, and no second core).

    python benchmarks/pipeline.py [--rows 100000] [--fulltext 20000] [--repeats 2]

Writes ``benchmarks/pipeline_results.json``, ``pipeline_results.tsv`` (one row per figure) and
``pipeline_results.png`` beside this script. ``--rows 5000 --fulltext 1000`` is a quick check.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from lib import __version__, paths

RESULTS = paths.BENCHMARKS_DIR / "pipeline_results.json"
TABLE = paths.BENCHMARKS_DIR / "pipeline_results.tsv"
CHART = paths.BENCHMARKS_DIR / "pipeline_results.png"
ROWS_PER_FILE = 20_000
SEED = 20261202
#: Texts per block of the paired tokenization measure (about half a second of Kiwi on 2 cores).
TOKEN_BLOCK = 250


# --- the synthetic corpora ------------------------------------------------------------------


def _story_pool(n: int, rng: random.Random) -> list:
    """``n`` distinct synthetic stories of every kind the sample plans, in its proportions."""
    from lib.sample.stories import write_story
    from lib.sample.trends import QUARTER_PLAN, all_quarters
    from lib.sample.writing import Writer

    writer = Writer(random.Random(rng.randrange(2**32)))
    plan = [(region, kind) for region, kind, _mean in QUARTER_PLAN]
    weights = [mean for _region, _kind, mean in QUARTER_PLAN]
    quarters = all_quarters()
    stories = []
    for number in range(1, n + 1):
        region, kind = rng.choices(plan, weights)[0]
        quarter = rng.choice(quarters)
        month = 3 * (int(quarter[-1]) - 1) + 1
        when = datetime(int(quarter[:4]), month, 1, 9) + timedelta(days=rng.randrange(89),
                                                                     minutes=rng.randrange(600))
        stories.append(write_story(writer, number, when, region, kind))
    return stories


#: Days the synthetic BigKinds rows span (2018-01-01 on).
BENCH_DAYS = 2900


def write_corpora(folder: Path, rows: int, fulltext: int, pool_size: int) -> dict[str, object]:
    """Write the BigKinds xlsx files under ``folder/bigkinds`` and the full-text table under
    ``folder/fulltext``; returns what was written."""
    from lib.corpus.bigkinds import write_bigkinds_xlsx
    from lib.sample.bigkinds import Keywords, bigkinds_row
    from lib.sample.material import BIGKINDS_OUTLETS
    from lib.sample.records import Record

    rng = random.Random(SEED)
    stories = _story_pool(pool_size, rng)
    kw = Keywords()
    texts = ["\n".join([s.title, *s.paragraphs]) for s in stories]
    df: Counter = Counter()
    for text in texts:
        df.update(set(kw.nouns(text)))
    outlets = sorted(BIGKINDS_OUTLETS)
    base_rows = []
    for story in stories:
        outlet = rng.choice(outlets)
        rec = Record(story, "bigkinds", outlet, story.published, story.title, story.paragraphs,
                     "original", reporter=("홍길동", "gildong"))
        base_rows.append(bigkinds_row(rec, rng, kw, df, len(texts)))

    (folder / "bigkinds").mkdir(parents=True)
    files = []
    for start in range(0, rows, ROWS_PER_FILE):
        chunk = []
        for i in range(start, min(rows, start + ROWS_PER_FILE)):
            row = dict(base_rows[i % len(base_rows)])
            code = BIGKINDS_OUTLETS[row["언론사"]][0]
            # Rows in date order over eight years: each file is a slice of dates, as a BigKinds
            # download is (about 34 rows a day at 100,000 rows).
            day = (datetime(2018, 1, 1) + timedelta(days=i * BENCH_DAYS // rows)).strftime("%Y%m%d")
            clock = datetime(2000, 1, 1) + timedelta(seconds=i % 86400)
            row["뉴스 식별자"] = f"{code}.{day}{clock:%H%M%S}{i // 86400:03d}"
            row["일자"] = day
            row["제목"] = f"{row['제목']} ({i})"
            row["본문"] = f"[{i}] {row['본문']}"
            chunk.append(row)
        path = folder / "bigkinds" / f"synthetic_bench_NewsResult_{start // ROWS_PER_FILE + 1}.xlsx"
        write_bigkinds_xlsx(path, chunk, creator="benchmarks/pipeline.py (synthetic)")
        files.append(path)

    (folder / "fulltext").mkdir(parents=True)
    records = []
    for i in range(fulltext):
        story = stories[i % len(stories)]
        records.append({
            "title": f"{story.title} ({i})",
            "subtitle": story.subtitle,
            "body": "\n".join(story.paragraphs),
            "captions": story.caption,
            "outlet": rng.choice(outlets),
            "date": (story.published + timedelta(days=i // len(stories))).strftime("%Y-%m-%d %H:%M"),
        })
    table = folder / "fulltext" / "synthetic_bench_fulltext.csv"
    pd.DataFrame.from_records(records).to_csv(table, index=False, encoding="utf-8")
    return {"bigkinds_files": len(files), "bigkinds_rows": rows, "fulltext_articles": fulltext,
            "distinct_stories": len(stories)}


# --- measuring inside one stage process -------------------------------------------------------


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (``VmHWM``), in MiB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _tree_memory_mib(root: int) -> tuple[float, float]:
    """Memory of process ``root`` and every process below it, summed, in MiB: ``(resident,
    proportional)``. The resident sum counts a page shared by several processes (the imported
    libraries the worker processes inherit from the fork server) once per process; the
    proportional set size (``Pss`` of ``/proc/<pid>/smaps_rollup``) divides each shared page
    among the processes that share it, so its sum is the memory the whole tree takes."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        parents[int(name)] = int(fields[1])
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    rss = pss = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
        except OSError:
            continue  # the process ended while we looked
    return rss / 1024, pss / 1024


#: How often the memory of a stage's processes is read. Every 50 ms, reading ``smaps_rollup``
#: took about 5 s of CPU time in a 27 s end-to-end run on 2 cores; peaks last seconds.
SAMPLE_SECONDS = 0.25


class _TreePeak:
    """The highest summed resident and proportional memory of this process and its worker
    processes, sampled every :data:`SAMPLE_SECONDS` in a thread while the block runs (``peak`` and
    ``peak_pss`` in MiB)."""

    def __init__(self, *, enabled: bool = True) -> None:
        self.enabled = enabled

    def __enter__(self) -> _TreePeak:
        import threading

        self.peak = 0.0
        self.peak_pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        if self.enabled:
            self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            rss, pss = _tree_memory_mib(os.getpid())
            self.peak = max(self.peak, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(SAMPLE_SECONDS)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.enabled:
            self._thread.join()


def _timed(fn) -> tuple[float, float]:
    """``(wall seconds, CPU seconds of this process)`` of one call of ``fn``."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def _best(fns: dict[str, object], repeats: int) -> dict[str, dict[str, float]]:
    """Each function timed ``repeats`` times, interleaved; the best wall and CPU time of each."""
    best: dict[str, dict[str, float]] = {}
    for _ in range(repeats):
        for name, fn in fns.items():
            wall, cpu = _timed(fn)
            old = best.setdefault(name, {"wall": wall, "cpu": cpu})
            old["wall"], old["cpu"] = min(old["wall"], wall), min(old["cpu"], cpu)
    return best


def _plain_regex(matcher) -> re.Pattern[str]:
    """A matcher's regex as the plain case-insensitive trie earlier versions compiled."""
    from lib.tagging import resources

    return re.compile(resources.trie_regex(matcher.atom_sequences()), re.IGNORECASE)


def _scan_jobs(texts, plain: bool) -> list[tuple[re.Pattern[str], list[str]]]:
    """Every regex the two taggers run, with the texts it reads."""
    from lib.tagging import regions, topics

    lex = topics._lexicon(None)
    rules = regions.load_region_rules()
    main = [k if u else r for k, r, u in zip(texts.keywords, texts.rest, texts.use_keywords)]
    region_texts = [*texts.title, *texts.subtitle, *texts.body_captions,
                    *(k for k, u in zip(texts.keywords, texts.use_keywords) if u)]

    def rx(matcher):
        return _plain_regex(matcher) if plain else matcher.regex

    topic_jobs = [(rx(lex.matcher), texts.title), (rx(lex.matcher), main),
                  (rx(lex.context), texts.title), (rx(lex.context), main)]
    # The list regex runs as the tagger runs it (its body searched, the look-behind checked on
    # each run found: regions.list_runs); the plain scan keeps the whole regex of earlier versions.
    lists = rules.list_re if plain else _ListRuns(rules)
    region_jobs = [(rx(rules.homographs), region_texts), (lists, region_texts)]
    region_jobs += [(rx(m), region_texts) for m in rules.mentions.values()]
    region_jobs += [(p, region_texts) for c in rules.cities for p in c.homograph_patterns]
    return topic_jobs, region_jobs


class _ListRuns:
    """``finditer`` of the region tagger's list search (:func:`lib.tagging.regions.list_runs`)."""

    def __init__(self, rules) -> None:
        self.rules = rules

    def finditer(self, text: str):
        from lib.tagging import regions

        return regions.list_runs(self.rules, text)


def _bare_scan(jobs) -> None:
    for pattern, texts in jobs:
        for text in texts:
            for _m in pattern.finditer(text):
                pass


def stage_tagging(articles_file: Path, repeats: int, *, with_model: bool) -> dict[str, object]:
    """Both taggers, each alone and together, against the bare regex scan of the same texts;
    then, ``with_model``, ``tag_articles`` (model and long tables included)."""
    from lib.tagging import regions, tag_articles, topics
    from lib.tagging.resources import ArticleTexts

    articles = pd.read_parquet(articles_file)
    texts = ArticleTexts(articles)
    topic_jobs, region_jobs = _scan_jobs(texts, plain=False)
    plain_topic, plain_region = _scan_jobs(texts, plain=True)
    regions.attribute_regions(articles.head(50))
    topics.score_topics(articles.head(50), use_model=False)

    def both() -> None:
        shared = ArticleTexts(articles)
        regions.attribute_regions(articles, texts=shared)
        topics.score_topics(articles, texts=shared, use_model=False)

    best = _best({
        "floor_regions": lambda: _bare_scan(region_jobs),
        "floor_topics": lambda: _bare_scan(topic_jobs),
        "floor_plain_regions": lambda: _bare_scan(plain_region),
        "floor_plain_topics": lambda: _bare_scan(plain_topic),
        "tag_regions": lambda: regions.attribute_regions(articles),
        "tag_topics": lambda: topics.score_topics(articles, use_model=False),
        "both_taggers": both,
    }, repeats)
    for kind in ("wall", "cpu"):
        for prefix in ("floor", "floor_plain"):
            best.setdefault(f"{prefix}_both", {})[kind] = (
                best[f"{prefix}_regions"][kind] + best[f"{prefix}_topics"][kind])
    if with_model:
        # In this process, like the taggers above, so the difference is the model and tables.
        wall, cpu = _timed(lambda: tag_articles(articles, cache=False, workers=1))
        best["tag_articles"] = {"wall": wall, "cpu": cpu}
        best["model_and_tables"] = {k: best["tag_articles"][k] - best["both_taggers"][k]
                                    for k in ("wall", "cpu")}
    n_keywords = sum(texts.use_keywords)
    return {"articles": len(articles), "keyword_rows": n_keywords,
            "chars": sum(len(t) for t in texts.title) + sum(
                len(k) if u else len(r) for k, r, u in zip(texts.keywords, texts.rest,
                                                             texts.use_keywords)),
            "seconds": best}


def stage_tokens(articles_file: Path, repeats: int, n_texts: int) -> dict[str, object]:
    """``lib.tagging.tokens.tokenize`` against raw kiwipiepy on the first ``n_texts``
    full-text articles."""
    import kiwipiepy

    from lib.tagging import resources
    from lib.tagging import tokens as nlp

    articles = pd.read_parquet(articles_file).head(n_texts)
    texts = [nlp.article_text(row) for row in articles.to_dict("records")]
    workers = nlp.default_workers()
    raw = kiwipiepy.Kiwi(num_workers=workers)
    for form, tag, score in resources.load_user_dict():
        raw.add_user_word(form, tag, score)
    nlp.get_kiwi(workers=workers)

    def run_raw(block: list[str]) -> None:
        for _tokens in raw.tokenize(iter(block)):
            pass

    def run_lib(block: list[str]) -> None:
        nlp.tokenize(block, workers=workers, progress=False)

    # Warm both first: the first call of a Kiwi object starts its thread pool.
    run_raw(texts)
    run_lib(texts[:50])
    seconds = _paired({"raw_kiwi": run_raw, "lib_tokenize": run_lib}, texts, repeats)
    return {"texts": len(texts), "chars": sum(map(len, texts)), "workers": workers,
            "block": TOKEN_BLOCK, "seconds": seconds}


def _paired(fns: dict[str, object], items: list, repeats: int) -> dict[str, dict[str, float]]:
    """Each function of ``fns`` over ``items`` in blocks of :data:`TOKEN_BLOCK`, the two taking
    turns on every block (who goes first alternates); the wall and CPU seconds of a whole pass
    over ``items``, averaged over ``repeats`` rounds."""
    blocks = [items[i : i + TOKEN_BLOCK] for i in range(0, len(items), TOKEN_BLOCK)]
    names = list(fns)
    total = {name: {"wall": 0.0, "cpu": 0.0} for name in names}
    turn = 0
    for _ in range(repeats):
        for block in blocks:
            for name in (names if turn % 2 == 0 else names[::-1]):
                wall, cpu = _timed(lambda: fns[name](block))
                total[name]["wall"] += wall
                total[name]["cpu"] += cpu
            turn += 1
    return {name: {k: v / repeats for k, v in t.items()} for name, t in total.items()}


def stage_run(name: str, data: Path, repeats: int, cache_dir: Path,
              token_texts: int, *, sample_memory: bool = True) -> dict[str, object]:
    """One stage in this process; returns its figures with the process's peak memory and the
    peak summed over it and its worker processes (without ``sample_memory``, the sum is not
    sampled: reading ``smaps_rollup`` costs CPU time the stage's processes would use)."""
    paths.CACHE_DIR = cache_dir
    with _TreePeak(enabled=sample_memory) as tree:
        out = _stage_figures(name, data, repeats, token_texts)
    out["peak_rss_mib"] = round(peak_rss_mib(), 1)
    # With worker processes (loading files, tagging chunks) their memory counts too.
    out["peak_tree_rss_mib"] = round(max(tree.peak, out["peak_rss_mib"]), 1)
    out["peak_tree_pss_mib"] = round(tree.peak_pss, 1)
    return out


def _stage_figures(name: str, data: Path, repeats: int, token_texts: int) -> dict[str, object]:
    """The timings of stage ``name`` (see :func:`stage_run`)."""
    from lib.corpus import load_corpus
    from lib.tagging import load_and_tag, tag_articles

    out: dict[str, object] = {}
    if name == "raw_read":
        files = sorted((data / "bigkinds").glob("*.xlsx"))
        wall, cpu = _timed(lambda: [pd.read_excel(f, engine="calamine", dtype=str)
                                    for f in files])
        out["seconds"] = {"raw_read": {"wall": wall, "cpu": cpu}}
    elif name in ("load", "load_fulltext"):
        folder = data / ("bigkinds" if name == "load" else "fulltext")
        holder: dict[str, object] = {}
        wall, cpu = _timed(lambda: holder.update(
            corpus=load_corpus(folder, progress=False, cache=False)))
        articles = holder["corpus"].articles
        articles.to_parquet(data / f"{name}.parquet", index=False)
        out["articles"] = len(articles)
        out["seconds"] = {name: {"wall": wall, "cpu": cpu}}
    elif name in ("tagging", "tagging_fulltext"):
        source = "load" if name == "tagging" else "load_fulltext"
        out.update(stage_tagging(data / f"{source}.parquet", repeats,
                                 with_model=name == "tagging"))
    elif name == "tagging_real":
        real = data / "real.parquet"
        load_corpus(paths.REAL_BIGKINDS_DIR, progress=False, cache=False).articles.to_parquet(
            real, index=False)
        out.update(stage_tagging(real, 10 * repeats, with_model=False))
    elif name == "end_to_end_cold_two_steps":
        def run_steps() -> None:
            corpus = load_corpus(data / "bigkinds", progress=False, cache=True)
            tag_articles(corpus.articles, cache=True)

        wall, cpu = _timed(run_steps)
        out["seconds"] = {name: {"wall": wall, "cpu": cpu}}
    elif name == "tokens":
        out.update(stage_tokens(data / "load_fulltext.parquet", repeats, token_texts))
    elif name in ("end_to_end_cold", "end_to_end_warm", "end_to_end_cold_one_process"):
        workers = 1 if name == "end_to_end_cold_one_process" else None

        def run() -> None:
            load_and_tag(data / "bigkinds", progress=False, cache=True, workers=workers)

        wall, cpu = _timed(run)
        out["seconds"] = {name: {"wall": wall, "cpu": cpu}}
    else:
        raise SystemExit(f"unknown stage {name!r}")
    return out


STAGES = ("raw_read", "load", "load_fulltext", "tagging", "tagging_fulltext", "tagging_real",
          "tokens", "end_to_end_cold_two_steps", "end_to_end_cold", "end_to_end_cold_one_process",
          "end_to_end_warm")
#: Cold runs: a new process on a new cache folder each repeat, the kinds taking turns.
COLD = ("end_to_end_cold_two_steps", "end_to_end_cold", "end_to_end_cold_one_process")


def _print_stage(name: str, result: dict[str, object]) -> None:
    secs = ", ".join(f"{k} {v['wall']:.2f}s" for k, v in result["seconds"].items())
    print(f"{name:26s} peak {result['peak_rss_mib']:7.1f} MiB "
          f"(with workers: resident {result['peak_tree_rss_mib']:7.1f}, proportional "
          f"{result['peak_tree_pss_mib']:7.1f})  {secs}", flush=True)


def _in_subprocess(name: str, data: Path, repeats: int, cache_dir: Path,
                   token_texts: int, *, sample_memory: bool = True) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, __file__, "--stage", name, "--data", str(data), "--repeats",
         str(repeats), "--cache-dir", str(cache_dir), "--token-texts", str(token_texts),
         *([] if sample_memory else ["--no-memory-sampling"])],
        check=True, capture_output=True, text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- the report ---------------------------------------------------------------------------


def _ratios(stages: dict[str, dict]) -> dict[str, float]:
    def sec(stage: str, name: str, kind: str = "wall") -> float:
        return stages[stage]["seconds"][name][kind]

    out = {
        "load / raw calamine read": sec("load", "load") / sec("raw_read", "raw_read"),
        "tokenize / raw Kiwi": sec("tokens", "lib_tokenize") / sec("tokens", "raw_kiwi"),
        "warm / cold end to end": sec("end_to_end_warm", "end_to_end_warm")
        / sec("end_to_end_cold", "end_to_end_cold"),
        "cold end to end, load_and_tag / the two steps": sec("end_to_end_cold", "end_to_end_cold")
        / sec("end_to_end_cold_two_steps", "end_to_end_cold_two_steps"),
        "cold end to end, one process / load_and_tag": sec("end_to_end_cold_one_process",
                                                           "end_to_end_cold_one_process")
        / sec("end_to_end_cold", "end_to_end_cold"),
    }
    for stage in ("tagging", "tagging_fulltext", "tagging_real"):
        if stage not in stages:
            continue
        for kind in ("wall", "cpu"):
            for floor in ("floor", "floor_plain"):
                label = "" if floor == "floor" else " (plain regex)"
                for tagger, ref in (("tag_regions", "regions"), ("tag_topics", "topics"),
                                    ("both_taggers", "both")):
                    out[f"{stage} {tagger} / scan{label} [{kind}]"] = (
                        sec(stage, tagger, kind) / sec(stage, f"{floor}_{ref}", kind))
    return {k: round(v, 3) for k, v in out.items()}


def _table(stages: dict[str, dict]) -> pd.DataFrame:
    rows = []
    for stage, result in stages.items():
        for name, times in result["seconds"].items():
            rows.append({"stage": stage, "measure": name, "wall_seconds": round(times["wall"], 3),
                         "cpu_seconds": round(times["cpu"], 3),
                         "stage_peak_rss_mib": result["peak_rss_mib"],
                         "stage_peak_tree_rss_mib": result["peak_tree_rss_mib"],
                         "stage_peak_tree_pss_mib": result.get("peak_tree_pss_mib")})
    return pd.DataFrame(rows)


def plot(table: pd.DataFrame, ratios: dict[str, float], meta: dict[str, object]) -> None:
    """Three panels: seconds per measure, peak memory per stage, the ratios of the issue."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(18, 7), gridspec_kw={"width_ratios": [3, 2, 3]})
    shown = table.iloc[::-1]
    labels = [s if s == m else f"{s}: {m}" for s, m in zip(shown["stage"], shown["measure"])]
    axes[0].barh(labels, shown["wall_seconds"], color="#0072B2")
    axes[0].set_xlabel("wall time (seconds)")
    axes[0].set_title("time per measure (best of the repeats)")
    for y, v in enumerate(shown["wall_seconds"]):
        axes[0].text(v, y, f" {v:.2f}", va="center", fontsize=7)
    per_stage = table.groupby("stage", sort=False)[
        ["stage_peak_rss_mib", "stage_peak_tree_pss_mib"]].first().iloc[::-1]
    rows = np.arange(len(per_stage))
    axes[1].barh(rows + 0.2, per_stage["stage_peak_rss_mib"].to_numpy(), height=0.4,
                 color="#D55E00", label="the stage's own process (resident)")
    axes[1].barh(rows - 0.2, per_stage["stage_peak_tree_pss_mib"].to_numpy(), height=0.4,
                 color="#E69F00", label="with its worker processes (proportional, Pss)")
    axes[1].set_yticks(rows, per_stage.index)
    target_mib = 600e6 / 2**20  # the 600 MB, on this axis of MiB
    axes[1].axvline(target_mib, color="grey", linestyle="--", linewidth=1)
    axes[1].text(target_mib, len(per_stage) - 0.5, " 600 MB (572 MiB) target", fontsize=8,
                 color="grey")
    axes[1].legend(fontsize=7, loc="lower right")
    axes[1].set_xlabel("peak memory (MiB)")
    axes[1].set_title("peak memory per stage")
    keys = [k for k in ratios if "[cpu]" not in k and not k.startswith(("tagging_fulltext",
                                                                         "tagging_real"))]
    keys += [k for k in ratios if k.startswith(("tagging_fulltext", "tagging_real"))
             and "[wall]" in k and "plain" not in k]
    values = [ratios[k] for k in keys]
    axes[2].barh(keys[::-1], values[::-1], color="#009E73")
    axes[2].axvline(1.0, color="black", linewidth=0.8)
    axes[2].axvline(1.5, color="grey", linestyle="--", linewidth=1)
    axes[2].set_xlabel("ratio (x), wall time; dashed line: 1.5x")
    axes[2].set_title("ratios")
    for y, v in enumerate(values[::-1]):
        axes[2].text(v, y, f" {v:.2f}", va="center", fontsize=7)
    for ax in axes:
        ax.tick_params(axis="y", labelsize=7)
    real = (f"; tagging_real: the {meta['real_rows']:,} rows of the real BigKinds downloads"
            if meta.get("real_rows") else "")
    fig.suptitle(f"Pipeline benchmark on SYNTHETIC data: {meta['bigkinds_rows']:,} BigKinds rows, "
                 f"{meta['fulltext_articles']:,} full-text articles, {meta['cpus']} CPUs{real}")
    fig.tight_layout()
    fig.savefig(CHART, dpi=110)
    plt.close(fig)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="BigKinds rows (default 100,000)")
    parser.add_argument("--fulltext", type=int, default=20_000,
                        help="full-text articles (default 20,000)")
    parser.add_argument("--pool", type=int, default=3000, help="distinct stories written")
    parser.add_argument("--repeats", type=int, default=2, help="timings per measure (best kept)")
    parser.add_argument("--tagging-repeats", type=int, default=3,
                        help="rounds of the tagging and tokenization measures, whose ratios a "
                             "busy machine moves most (default 3)")
    parser.add_argument("--token-texts", type=int, default=2000,
                        help="full-text articles tokenized, lib against raw Kiwi (default 2,000)")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--no-memory-sampling", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.stage:
        print(json.dumps(stage_run(args.stage, args.data, args.repeats, args.cache_dir,
                                   args.token_texts, sample_memory=not args.no_memory_sampling)))
        return 0

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="synthetic_bench_") as tmp:
        data = Path(tmp)
        t0 = time.perf_counter()
        meta = write_corpora(data, args.rows, args.fulltext, min(args.pool, args.rows))
        meta["generate_seconds"] = round(time.perf_counter() - t0, 1)
        print(f"generated {meta} ", flush=True)
        stages: dict[str, dict] = {}
        cache_dir = data / "cache"
        for name in STAGES:
            if name == COLD[0]:
                # A cold run empties the caches, so it cannot repeat inside one process: each
                # repeat is a new process on a new cache folder, the kinds taking turns, and
                # the fastest of each counts, like the best of the repeats of the other
                # measures. The summed memory of a run's processes is read in a first round of
                # its own: reading it takes CPU time from the run (about 4 s in 20 s on 2
                # cores), so the timed rounds after it do not read it. The warm run reads the
                # caches the last one filled.
                runs: dict[str, list[dict]] = {cold: [] for cold in COLD}
                for repeat in range(args.repeats + 1):
                    for cold in COLD:
                        cache_dir = data / f"cache_{cold}_{repeat}"
                        runs[cold].append(_in_subprocess(cold, data, 1, cache_dir,
                                                         args.token_texts,
                                                         sample_memory=repeat == 0))
                for cold, (sampled, *timed) in runs.items():
                    walls = [r["seconds"][cold]["wall"] for r in timed]
                    stages[cold] = dict(timed[walls.index(min(walls))])
                    stages[cold]["walls_of_repeats"] = [round(w, 2) for w in walls]
                    stages[cold]["wall_while_memory_sampled"] = round(
                        sampled["seconds"][cold]["wall"], 2)
                    stages[cold]["peak_rss_mib"] = max(r["peak_rss_mib"] for r in runs[cold])
                    for key in ("peak_tree_rss_mib", "peak_tree_pss_mib"):
                        stages[cold][key] = sampled[key]
                for cold in COLD:
                    _print_stage(cold, stages[cold])
            elif name == "tagging_real" and not paths.REAL_BIGKINDS_DIR.is_dir():
                print(f"{name:26s} skipped: no real BigKinds downloads on this machine", flush=True)
            elif name == "end_to_end_warm":
                # Set against the cold runs, so timed as they are: memory is read in a round of
                # its own (reading it takes CPU time from the run), the timed round reads none.
                sampled = _in_subprocess(name, data, 1, cache_dir, args.token_texts)
                stages[name] = _in_subprocess(name, data, args.repeats, cache_dir,
                                              args.token_texts, sample_memory=False)
                stages[name]["wall_while_memory_sampled"] = round(
                    sampled["seconds"][name]["wall"], 2)
                for key in ("peak_rss_mib", "peak_tree_rss_mib", "peak_tree_pss_mib"):
                    stages[name][key] = sampled[key]
                _print_stage(name, stages[name])
            elif name not in COLD:  # (the other cold kinds are measured with the first)
                repeats = (args.tagging_repeats if name.startswith(("tagging", "tokens"))
                           else args.repeats)
                stages[name] = _in_subprocess(name, data, repeats, cache_dir, args.token_texts)
                _print_stage(name, stages[name])
    if "tagging_real" in stages:
        meta["real_rows"] = stages["tagging_real"]["articles"]
    meta.update({"repeats": args.repeats, "tagging_repeats": args.tagging_repeats,
                 "cpus": os.cpu_count(), "python": platform.python_version(),
                 "machine": platform.machine(), "lib_version": __version__,
                 "total_seconds": round(time.perf_counter() - started, 1)})
    ratios = _ratios(stages)
    for key, value in ratios.items():
        print(f"  {key:60s} {value:6.2f}x")
    table = _table(stages)
    table.to_csv(TABLE, sep="\t", index=False)
    RESULTS.write_text(json.dumps({"meta": meta, "ratios": ratios, "stages": stages}, indent=2,
                                  ensure_ascii=False) + "\n", encoding="utf-8")
    plot(table, ratios, meta)
    for path in (RESULTS, TABLE, CHART):
        print(f"wrote {paths.display_path(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
