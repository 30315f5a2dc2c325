"""Writing the sample folder: pages, BigKinds files, truth.json and README.md, from one seed."""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from lib.corpus.bigkinds import write_bigkinds_csv, write_bigkinds_xlsx
from lib.corpus.schema import stable_article_id
from lib.paths import SAMPLE_DIR, display_path
from lib.sample.bigkinds import (
    BIGKINDS_SLICES,
    REASON_BAD_PAGE_DATE,
    REASON_NO_TITLE,
    Keywords,
    RowsByFile,
    assign_news_ids,
    bigkinds_row,
    reject_rows,
)
from lib.sample.pages import choose_page_variants, encode_page, name_pages, render_page
from lib.sample.records import Record, plan_records
from lib.sample.stories import plan_stories, write_story
from lib.sample.trends import planted_table
from lib.sample.truth import render_readme, summarise, truth_entry
from lib.sample.writing import Writer

DEFAULT_SEED = 20260101


def generate_sample(out_dir: str | Path = SAMPLE_DIR, *, seed: int = DEFAULT_SEED) -> dict[str, object]:
    """Write the synthetic sample corpus into ``out_dir`` and return a summary (truth's ``meta``).

    Files written: ``pages/*.txt``, ``bigkinds/*.xlsx|csv``, ``truth.json``, ``README.md``.
    Files of an earlier run under ``pages/`` and ``bigkinds/`` are removed first, so the folder
    holds exactly this seed's corpus. The same ``seed`` always gives the same bytes.
    """
    out = Path(out_dir)
    rng = random.Random(seed)
    writer = Writer(random.Random(rng.randrange(2**32)))
    stories, dropped = plan_stories(writer)
    records = plan_records(random.Random(rng.randrange(2**32)), writer, stories)

    # Pages -----------------------------------------------------------------------------------
    page_rng = random.Random(rng.randrange(2**32))
    name_pages(records)
    pages = [r for r in records if r.fmt == "page"]
    choose_page_variants(page_rng, pages)
    for folder in ("pages", "bigkinds"):
        (out / folder).mkdir(parents=True, exist_ok=True)
        for old in (out / folder).iterdir():
            if old.is_file() and old.name.startswith("synthetic_"):
                old.unlink()
    truth_articles: dict[str, dict[str, object]] = {}
    for rec in pages:
        rec.published = rec.published.replace(second=0)
        rec.article_id = stable_article_id(rec.outlet, rec.title, rec.published)
        data = encode_page(render_page(rec, page_rng), rec)
        (out / rec.source_file).write_bytes(data)
        truth_articles[f"{rec.source_file}#{rec.article_id}"] = truth_entry(rec, rec.copy)

    rejects: list[dict[str, str]] = []
    bad_pages = (
        ("no_title", datetime(2020, 9, 14, 15, 20), REASON_NO_TITLE),
        ("bad_date", datetime(2019, 2, 27, 10, 0), REASON_BAD_PAGE_DATE),
    )
    for i, (what, when, reason) in enumerate(bad_pages, start=len(pages) + 1):
        story = write_story(writer, 0, when, "sejong", "smart")
        rec = Record(story, "page", "중도일보", when, story.title, story.paragraphs, "rejected",
                     layout="joongdo", reporter=writer.reporter_for("중도일보"))
        rec.source_file = f"pages/synthetic_{i:04d}_joongdo_{what}.txt"
        text = render_page(rec, page_rng, no_title=what == "no_title",
                           bad_date="2019-02-30 10:00" if what == "bad_date" else "")
        (out / rec.source_file).write_bytes(text.encode("utf-8"))
        rejects.append({"source_file": rec.source_file, "record": "page", "reason": reason})

    # BigKinds ----------------------------------------------------------------------------------
    bk_rng = random.Random(rng.randrange(2**32))
    bk_records = [r for r in records if r.fmt == "bigkinds"]
    assign_news_ids(bk_records)
    kw = Keywords()
    texts = {"\n".join([r.title, *r.paragraphs]) for r in bk_records}
    kw.read_all(sorted(texts))
    df: Counter = Counter()
    for text in sorted(texts):
        df.update(set(kw.nouns(text)))
    n_docs = len(texts)
    rows_by_file: RowsByFile = {s[0]: [] for s in BIGKINDS_SLICES}
    for rec in bk_records:
        row = bigkinds_row(rec, bk_rng, kw, df, n_docs)
        day = f"{rec.published:%Y%m%d}"
        copy = rec.copy
        for path, first, last, _fmt in BIGKINDS_SLICES:
            if first <= day <= last:
                rows_by_file[path].append(row)
                truth_articles[f"{path}#{rec.news_id}"] = truth_entry(rec, copy)
                copy = "overlap_slice"
    planted_rejects = reject_rows(bk_rng, writer, kw, df, n_docs, rows_by_file)
    for path, _first, _last, fmt in BIGKINDS_SLICES:
        rows = sorted(rows_by_file[path], key=lambda r: (r["뉴스 식별자"][9:], r["뉴스 식별자"]), reverse=True)
        labels = {row["뉴스 식별자"]: f"row {i + 2}" for i, row in enumerate(rows)}
        for rej in planted_rejects:
            if rej["source_file"] == path:
                rejects.append({"source_file": path, "record": labels[rej["news_id"]], "reason": rej["reason"]})
        target = out / path
        if fmt == "xlsx":
            write_bigkinds_xlsx(target, rows, creator="lib.sample (synthetic)")
        else:
            write_bigkinds_csv(target, rows, encoding=fmt)

    # Truth and README ----------------------------------------------------------------------------
    meta = summarise(seed, stories, truth_articles, rejects, pages, dropped)
    truth = {
        "articles": truth_articles,
        "rejects": sorted(rejects, key=lambda r: (r["source_file"], r["record"])),
        "planted": planted_table(),
        "meta": meta,
    }
    (out / "truth.json").write_text(
        json.dumps(truth, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
        encoding="utf-8",
    )
    (out / "README.md").write_text(render_readme(meta), encoding="utf-8")
    return meta


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lib.sample [--seed N] [--out DIR]``: write the sample, print a one-line summary."""
    parser = argparse.ArgumentParser(
        prog="python -m lib.sample",
        description="Write the synthetic sample corpus (pages, BigKinds files, truth.json, README.md).",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--out", type=Path, default=SAMPLE_DIR, help="output folder (default data/sample)")
    args = parser.parse_args(argv)
    meta = generate_sample(args.out, seed=args.seed)
    c = meta["counts"]
    print(
        f"wrote {c['stories']} stories as {c['articles']} records (+{c['rejects']} to reject) "
        f"to {display_path(args.out)}"
    )
    return 0
