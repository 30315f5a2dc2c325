"""Does correcting a share for tagging error bring it nearer the truth? Measured on labels.

:func:`lib.analysis.accuracy.corrected_shares` (Rogan–Gladen) is right on average when the
tags err in a table at the rates measured on the labels: it removes the tags' bias. But it
divides the tags' random errors by ``se + sp - 1`` too, so in a cell of a few dozen articles
the corrected share can land further from the truth than the share as tagged. Which of the two
wins in a given corpus is an empirical question, and labelled articles of that corpus answer it.

:func:`correction_check` answers it by cross-fitting: the labelled articles are split at random
into two halves; the error rates measured on one half (:func:`~lib.analysis.accuracy.score_tags`)
correct the shares of the other; and each half's shares, as tagged and corrected, are compared
with the shares its own labels give. The shares are those the notebooks correct, over the whole
span: each city's smart-city share of its articles, and each topic's share of the city's
smart-city articles (the articles the tagger calls smart-city, as in
:func:`~lib.analysis.accuracy.corrected_shares`; a wrongly flagged article carries no topic).
Cities are the tagger's: an article filed under the wrong city is not corrected, here as there.
:func:`summarise_correction_check` gives, for the tagged and the corrected shares, how far they
lie from the labelled ones and how often their 95% intervals hold them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lib import paths
from lib.analysis.accuracy import (
    corrected_shares,
    join_labels,
    load_labelled_real,
    read_labels,
    score_tags,
    score_tags_by_city,
    write_tagger_accuracy,
)
from lib.analysis.trends import add_share
from lib.tagging import tag_articles
from lib.vocabulary import get_vocabulary

#: The tag of the cells that are a city's smart-city share (``value`` is then ``true``).
SMART_CITY = "smart_city"
CELL_COLUMNS: tuple[str, ...] = (
    "repeat", "half", "region", "tag", "value", "n_docs", "n_total", "share", "ci_low",
    "ci_high", "share_corrected", "ci_low_corrected", "ci_high_corrected", "labelled_share",
    "correction_note",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "tag", "shares", "cells", "median_n", "mean_abs_error", "mean_error", "coverage", "mean_width",
)
#: The shipped check on the held-out real pages (``make accuracy``), and its columns.
CHECK_FILE: Path = paths.RESOURCES_DIR / "correction_check.tsv"
FILE_COLUMNS: tuple[str, ...] = (*SUMMARY_COLUMNS, "repeats", "source", "date")


def correction_check(
    tagged: pd.DataFrame,
    labels: pd.DataFrame,
    *,
    regions: Sequence[str] | None = None,
    repeats: int = 10,
    seed: int = 0,
    by_city: bool = False,
    min_n: int = 10,
    n_boot: int = 1000,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The tagged and corrected whole-span shares of labelled articles beside their labelled
    shares, cross-fitted over ``repeats`` random splits of the labels into halves.

    ``tagged``: tagged articles (``article_id`` and the tag columns); ``labels``: ``article_id``,
    ``smart_city`` and ``topics`` labels of some of them (:func:`~lib.analysis.accuracy.read_labels`
    reads a sheet). ``regions``: the cities (default: the vocabulary's compared pair).
    ``by_city``: correct each city with its own half's rates, as ``CORRECT=city`` does.

    One row per split, half and cell (:data:`CELL_COLUMNS`): ``tag`` ``smart_city`` (``value``
    ``true``: the share of the city's labelled articles the tagger calls smart-city) or
    ``topic`` (``value`` the topic: its share of the city's smart-city-tagged labelled
    articles); ``share`` with its Wilson interval, the corrected share and interval of
    :func:`~lib.analysis.accuracy.corrected_shares` with the other half's rates, and
    ``labelled_share``, the same articles' share by their labels. Cells of fewer than ``min_n``
    articles are left out.
    """
    missing = {"article_id", "smart_city", "topics"} - set(labels.columns)
    if missing:
        raise KeyError(f"correction_check: the labels have no {', '.join(sorted(missing))} column")
    if repeats < 1:
        raise ValueError("correction_check: repeats must be at least 1")
    vocab = get_vocabulary()
    regions = list(regions or vocab.compare)
    labels = labels.drop_duplicates("article_id")
    # Labels normalised and the tagger's decisions beside them, as score_tags reads them; a row
    # whose smart-city label is blank (a sheet not labelled to the end) says nothing here.
    joined = join_labels(tagged, labels[["article_id", "smart_city", "topics"]])
    kept = joined["smart_city"].notna().to_numpy()
    joined, labels = joined[kept].reset_index(drop=True), labels[kept].reset_index(drop=True)
    if len(labels) < 4:
        raise ValueError(f"correction_check: {len(labels)} labelled articles; two halves need more")
    # The rates of each half are scored on the labelled articles only, not the whole corpus.
    tagged = tagged[tagged["article_id"].astype(str).isin(set(joined["article_id"]))]
    score = score_tags_by_city if by_city else score_tags
    rng = np.random.default_rng(seed)
    frames = []
    for repeat in range(repeats):
        in_first = np.zeros(len(labels), dtype=bool)
        in_first[rng.permutation(len(labels))[: len(labels) // 2]] = True
        for half, (fit, use) in enumerate(((~in_first, in_first), (in_first, ~in_first))):
            rates = score(tagged, labels[fit])
            cells = _cells(joined[use], regions, vocab.topic_keys, min_n=min_n, alpha=alpha)
            if cells.empty:
                continue
            parts = [corrected_shares(part.drop(columns=drop), accuracy=rates, n_boot=n_boot,
                                      random_state=seed + repeat, alpha=alpha)
                     for part, drop in ((cells[cells["tag"] == SMART_CITY], ["topic"]),
                                        (cells[cells["tag"] == "topic"], []))
                     if len(part)]
            frames.append(pd.concat(parts).assign(repeat=repeat, half=half))
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in CELL_COLUMNS})
    out = pd.concat(frames, ignore_index=True)
    return out[list(CELL_COLUMNS)]


def _cells(joined: pd.DataFrame, regions: Sequence[str], topics: Sequence[str], *, min_n: int,
           alpha: float) -> pd.DataFrame:
    """One half's cells: per city its smart-city share, and per topic its share of the city's
    smart-city-tagged articles, each with the labelled share of the same articles. The topic
    cells carry a ``topic`` column for :func:`corrected_shares`, which tells its rates by it."""
    rows = []
    for region in regions:
        city = joined[joined["pred_region"] == region]
        flagged = city["pred_smart_city"].astype(bool)
        rows.append((region, SMART_CITY, "true", int(flagged.sum()), len(city),
                     float(city["smart_city"].astype(bool).mean()) if len(city) else np.nan))
        smart = city[flagged.to_numpy()]
        for topic in topics:
            tagged_with = smart["pred_topics"].map(lambda ts, t=topic: t in ts)
            # A smart-city label whose topics cell was left blank carries none.
            labelled_with = smart["topics"].map(lambda ts, t=topic: ts is not None and t in ts)
            rows.append((region, "topic", topic, int(tagged_with.sum()), len(smart),
                         float(labelled_with.mean()) if len(smart) else np.nan))
    cells = pd.DataFrame(rows, columns=["region", "tag", "value", "n_docs", "n_total",
                                        "labelled_share"])
    cells = cells[cells["n_total"] >= max(min_n, 1)].reset_index(drop=True)
    add_share(cells, alpha=alpha)
    cells["topic"] = cells["value"].where(cells["tag"] == "topic")
    return cells


def summarise_correction_check(cells: pd.DataFrame) -> pd.DataFrame:
    """How far the tagged and the corrected shares of :func:`correction_check` lie from the
    labelled ones, per tag, over the cells that have a corrected share (the same cells for both).

    One row per tag (``topic`` first, then ``smart_city``) and kind of share (``as tagged``,
    ``corrected``; :data:`SUMMARY_COLUMNS`): ``cells`` and their median number of articles
    ``median_n``, ``mean_abs_error`` and ``mean_error`` (share minus labelled share, fractions
    0–1), ``coverage`` (the fraction of cells whose interval holds the labelled share) and
    ``mean_width`` of the intervals."""
    both = cells.dropna(subset=["share_corrected", "labelled_share"])
    rows = []
    for tag in ("topic", SMART_CITY):
        part = both[both["tag"] == tag]
        if part.empty:
            continue
        truth = part["labelled_share"].to_numpy(dtype=float)
        for name, point, low, high in (("as tagged", "share", "ci_low", "ci_high"),
                                       ("corrected", "share_corrected", "ci_low_corrected",
                                        "ci_high_corrected")):
            est = part[point].to_numpy(dtype=float)
            lo, hi = part[low].to_numpy(dtype=float), part[high].to_numpy(dtype=float)
            rows.append((tag, name, len(part), float(part["n_total"].median()),
                         float(np.mean(np.abs(est - truth))), float(np.mean(est - truth)),
                         float(np.mean((lo <= truth) & (truth <= hi))), float(np.mean(hi - lo))))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


def measure_correction_check(repeats: int = 10) -> pd.DataFrame:
    """:func:`summarise_correction_check` of the project's held-out real pages
    (``real_pages*.tsv``, ``split`` = ``holdout``), ``repeats`` random splits, with ``source``
    and ``date`` columns: what ``lib/resources/correction_check.tsv`` ships."""
    labelled = load_labelled_real()
    held = (labelled.labels["split"].eq("holdout")
            & labelled.labels["label_file"].str.startswith("real_pages")).to_numpy()
    tagged = tag_articles(labelled.articles[held], cache=False).articles
    summary = summarise_correction_check(
        correction_check(tagged, labelled.labels[held], repeats=repeats))
    sizes = labelled.labels[held].groupby("label_file", sort=False).size()
    source = "holdout: " + ", ".join(f"{name} {n}" for name, n in sizes.items())
    return summary.assign(repeats=repeats, source=source,
                          date=dt.datetime.now(dt.UTC).date().isoformat())


def write_correction_check(summary: pd.DataFrame, path: str | Path | None = None) -> Path:
    """Write :func:`measure_correction_check` as a TSV, figures to three decimals, as
    :func:`~lib.analysis.accuracy.write_tagger_accuracy` writes its counts (a file that already
    holds the same figures is left as it is: its date stays the day they changed)."""
    return write_tagger_accuracy(summary.round(3), path or CHECK_FILE, columns=FILE_COLUMNS)


def load_correction_check(path: str | Path | None = None) -> pd.DataFrame | None:
    """The shipped check (:func:`write_correction_check`), or None when the file is missing."""
    path = Path(path) if path else CHECK_FILE
    if not path.exists():
        return None
    return pd.read_csv(path, sep="\t", encoding="utf-8", keep_default_na=False)


def describe_correction_check(summary: pd.DataFrame | None, *, own_labels: bool = False) -> str:
    """What the topic rows of a :func:`summarise_correction_check` table say, for a notebook:
    how far the tagged and the corrected shares lay from the labelled ones, how often their
    intervals held them, and what that means for citing a corrected share. ``own_labels``: the
    table was measured on the corpus's own labels, not the shipped real news."""
    rows = None if summary is None else summary[summary["tag"] == "topic"].set_index("shares")
    if rows is None or not {"as tagged", "corrected"} <= set(rows.index):
        return ("보정 점검 없음: 라벨이 두 절반으로 나눠 점검하기에 부족합니다 "
                "(no check of the correction: too few labelled articles for two halves with "
                "cells of 10 or more).")
    raw, fixed = rows.loc["as tagged"], rows.loc["corrected"]
    source = str(rows["source"].iloc[0]).removeprefix("holdout: ") if "source" in rows else ""
    where = ("your own labels" if own_labels
             else f"held-out real news ({source})" if source else "held-out real news")
    noisier = fixed["mean_abs_error"] > raw["mean_abs_error"]
    off_raw, off_fixed = raw["mean_abs_error"] * 100, fixed["mean_abs_error"] * 100
    en = (f"Checked on {where}, one random half's error rates correcting the other half's "
          f"whole-span topic shares ({int(fixed['cells'])} cells of about "
          f"{fixed['median_n']:.0f} smart-city articles): as tagged, the shares lay "
          f"{off_raw:.1f} points from the labelled ones on average "
          f"(bias {raw['mean_error'] * 100:+.1f}) and their intervals held them in "
          f"{raw['coverage']:.0%} of cells; corrected, {off_fixed:.1f} points "
          f"(bias {fixed['mean_error'] * 100:+.1f}), intervals {fixed['coverage']:.0%}. ")
    en += ("At this cell size the correction takes away the bias but adds more noise than that: "
           "cite a corrected share by its interval, not its point." if noisier else
           "The corrected shares lay nearer the labelled ones.")
    ko = (f"보정 점검: 칸당 약 {fixed['median_n']:.0f}건에서 태그 그대로의 비중은 라벨과 "
          f"평균 {off_raw:.1f}%p, 보정한 비중은 {off_fixed:.1f}%p 떨어져 있었고, 95% 구간이 "
          f"라벨 비중을 담은 비율은 {raw['coverage']:.0%} 대 {fixed['coverage']:.0%}입니다. ")
    ko += ("보정은 치우침을 없애지만 잡음을 더하므로 보정한 비중은 점이 아니라 구간으로 "
           "인용하십시오." if noisier else "보정한 비중이 라벨에 더 가까웠습니다.")
    return f"{ko}\n{en}"


def correction_check_text(tagged: pd.DataFrame, labels: str | Path | None = None) -> str:
    """:func:`describe_correction_check` for a notebook: of the check on ``labels`` (a sheet of
    the corpus's own articles, :func:`~lib.analysis.accuracy.read_labels`) when given, else of
    the shipped check on held-out real news."""
    if not labels:
        return describe_correction_check(load_correction_check())
    try:
        cells = correction_check(tagged, read_labels(labels))
    except KeyError as err:  # a sheet without a smart_city or topics column
        return ("보정 점검 없음: 라벨 표에 smart_city와 topics 열이 있어야 합니다 "
                f"(no check of the correction: {err.args[0] if err.args else err})")
    except ValueError:  # too few labelled articles for two halves
        return describe_correction_check(None)
    return describe_correction_check(summarise_correction_check(cells), own_labels=True)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m lib.analysis.correction_check``: check the correction on the held-out real
    pages, print it and write ``lib/resources/correction_check.tsv`` (or ``--out``)."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--out", type=Path, default=CHECK_FILE, help="where to write the check")
    parser.add_argument("--dry-run", action="store_true", help="print the check, write nothing")
    args = parser.parse_args(list(argv) if argv is not None else None)
    summary = measure_correction_check()
    print(summary.round(3).to_string(index=False))
    print(describe_correction_check(summary))
    if not args.dry_run:
        print(f"{paths.display_path(write_correction_check(summary, args.out))}: "
              f"{len(summary)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
