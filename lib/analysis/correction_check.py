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

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lib.analysis.accuracy import corrected_shares, score_tags, score_tags_by_city
from lib.analysis.trends import add_share
from lib.tagging import ensure_tags
from lib.vocabulary import get_vocabulary

#: The tag of the cells that are a city's smart-city share (``value`` is then ``true``).
SMART_CITY = "smart_city"
CELL_COLUMNS: tuple[str, ...] = (
    "repeat", "half", "region", "tag", "value", "n_docs", "n_total", "share", "ci_low",
    "ci_high", "share_corrected", "ci_low_corrected", "ci_high_corrected", "labelled_share",
    "correction_note",
)
SUMMARY_COLUMNS: tuple[str, ...] = (
    "shares", "cells", "mean_abs_error", "mean_error", "coverage", "mean_width",
)


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
    # A row whose smart-city label is blank (a sheet not labelled to the end) says nothing here.
    labels = labels[labels["smart_city"].notna() & labels["smart_city"].astype(str).ne("")]
    labels = labels.drop_duplicates("article_id").reset_index(drop=True)
    if len(labels) < 4:
        raise ValueError(f"correction_check: {len(labels)} labelled articles; two halves need more")
    tags = ensure_tags(tagged).drop_duplicates("article_id").set_index("article_id")
    unknown = labels.loc[~labels["article_id"].isin(tags.index), "article_id"]
    if len(unknown):
        raise ValueError(f"correction_check: {len(unknown)} labelled article_id(s) are not among "
                         f"the tagged articles, e.g. {unknown.head(3).tolist()}")
    tagged_as = tags[["region", "smart_city", "topics"]].add_suffix("_tagged")
    joined = labels[["article_id", "smart_city", "topics"]].join(tagged_as, on="article_id")
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
        city = joined[joined["region_tagged"] == region]
        flagged = city["smart_city_tagged"].astype(bool)
        rows.append((region, SMART_CITY, "true", int(flagged.sum()), len(city),
                     float(city["smart_city"].map(_is_true).mean()) if len(city) else np.nan))
        smart = city[flagged.to_numpy()]
        for topic in topics:
            tagged_with = smart["topics_tagged"].map(lambda ts, t=topic: t in ts)
            labelled_with = smart["topics"].map(lambda ts, t=topic: _carries(ts, t))
            rows.append((region, "topic", topic, int(tagged_with.sum()), len(smart),
                         float(labelled_with.mean()) if len(smart) else np.nan))
    cells = pd.DataFrame(rows, columns=["region", "tag", "value", "n_docs", "n_total",
                                        "labelled_share"])
    cells = cells[cells["n_total"] >= max(min_n, 1)].reset_index(drop=True)
    add_share(cells, alpha=alpha)
    cells["topic"] = cells["value"].where(cells["tag"] == "topic")
    return cells


def _is_true(value: object) -> bool:
    """A smart-city label as a sheet or a label file holds it: a bool, or ``true``/``false``."""
    return value is True or str(value).strip().lower() in ("true", "1")


def _carries(topics: object, topic: str) -> bool:
    """Whether a topics label (a tuple of keys; blank when the row has none) holds ``topic``."""
    return isinstance(topics, (tuple, list, set, frozenset)) and topic in topics


def summarise_correction_check(cells: pd.DataFrame) -> pd.DataFrame:
    """How far the tagged and the corrected shares of :func:`correction_check` lie from the
    labelled ones, over the cells that have a corrected share (the same cells for both).

    One row per kind of share (``as tagged``, ``corrected``; :data:`SUMMARY_COLUMNS`):
    ``cells``, ``mean_abs_error`` and ``mean_error`` (share minus labelled share, fractions 0–1),
    ``coverage`` (the fraction of cells whose interval holds the labelled share) and
    ``mean_width`` of the intervals."""
    both = cells.dropna(subset=["share_corrected", "labelled_share"])
    truth = both["labelled_share"].to_numpy(dtype=float)
    rows = []
    for name, point, low, high in (("as tagged", "share", "ci_low", "ci_high"),
                                   ("corrected", "share_corrected", "ci_low_corrected",
                                    "ci_high_corrected")):
        est = both[point].to_numpy(dtype=float)
        lo, hi = both[low].to_numpy(dtype=float), both[high].to_numpy(dtype=float)
        rows.append((name, len(both), float(np.mean(np.abs(est - truth))) if len(both) else np.nan,
                     float(np.mean(est - truth)) if len(both) else np.nan,
                     float(np.mean((lo <= truth) & (truth <= hi))) if len(both) else np.nan,
                     float(np.mean(hi - lo)) if len(both) else np.nan))
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
