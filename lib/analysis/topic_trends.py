"""Topic trends per city over time, the difference between two cities, and what stands behind them.

Every function reads the tagged table (``lib.tagging.tag_articles(...).articles``: the article
columns plus ``region``, ``smart_city`` and ``topics``, a tuple of topic keys) and returns a tidy
long table with fixed columns:

- ``topic_shares``    -> ``period, region, topic, n_docs, n_total, share, ci_low, ci_high, too_few``
- ``compare_regions`` -> ``period, topic, a, b, share_a, share_b, n_a, n_b, n_docs_a, n_docs_b,
  diff, ci_low, ci_high, p_value, p_adjusted, significant, too_few``
- ``trend_test``      -> ``region, topic, n_periods, n_docs, n_total, period_start,
  period_end, share_start, share_end, slope, ci_low, ci_high, odds_ratio, p_value, p_adjusted,
  significant, direction, dispersion, note``
- ``articles_behind`` -> ``period, region, topic, article_id, published, outlet, title, url,
  evidence, region_evidence`` (``export_articles_behind`` writes every point's articles to CSV)
- ``topic_composition`` -> ``period, region, topic, n_docs, n_labels, n_total,
  share_of_labels, too_few`` (what a region's topic labels are made of; sums to 1)
- ``freq_candidates`` -> ``freq, name, n_periods, n_ok, ok_share, chosen`` (``choose_freq``
  returns the chosen ``freq``)
- ``findings`` -> ``Findings``: short sentences in Korean and English and the numbers they cite

``difference_test`` (Newcombe interval and score test of one pair of proportions) and
``benjamini_hochberg`` are the building blocks ``compare_regions`` uses, public for tests and
for comparisons the tables do not cover (before/after a date, one period against the rest).

Which articles count
--------------------
Analyses use deduplicated articles (``dedup=True``: a syndicated story counts once). A *share*
is a topic's articles over a denominator: with ``base="smart_city"`` (default) the region's
smart-city articles in the period, with ``base="all"`` all the region's articles; the numerator
is always smart-city articles carrying the topic. An article may carry several topics, so
shares of one region and period may add up to more than 1.

Articles whose region is ``both`` (the tagger found more than one city to be a subject) are
counted by the ``both`` option:

- ``both="own"`` (default): they form their own series (region ``both``) and each city's series
  holds the articles about that city alone. Two cities' series are then disjoint samples, which
  is what the Newcombe interval and the score test of ``compare_regions`` assume.
- ``both="each"``: they are added to every city's series as well ("coverage of Sejong includes
  stories about Sejong and Daejeon"). The two samples of ``compare_regions`` then share these
  articles; shared articles correlate the two shares positively, which makes the true variance
  of the difference smaller than the independent-samples formula says, so the interval is wider
  and the test more conservative than nominal, never less. The tagger does not say *which*
  cities a ``both`` article names, so with three or more cities ``each`` counts it for all of
  them: prefer ``own`` there.

Articles about no city (``neither``) are never in a city's series.

Periods
-------
``freq`` is a pandas offset alias (``W-MON``, ``MS``, ``QS``, ``6MS`` half-years, ``YS``) or
``"all"`` (one period pooling every article, dated or not; its ``period`` value is the string
``"all"``). Per-period tables hold every period from the corpus's first to its last dated
article, for every region and topic: a period with no article is a row with ``n_total`` 0.
Bins with ``n_total < min_n`` are ``too_few``: their share and interval are NaN (shown as
"too few", never as 0) and ``compare_regions`` does not test them. ``choose_freq`` picks the
finest period length that gives the compared cities enough articles.

Nothing here draws; ``lib.present.topic_plots`` draws these tables.
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, test_proportions_2indep

from lib.analysis import trends
from lib.analysis.trends import ALL_PERIODS, wilson_interval
from lib.vocabulary import (BOTH, NEITHER, attach_particle, get_vocabulary, region_label,
                            topic_label)

if TYPE_CHECKING:
    from lib.corpus import Corpus

SHARE_COLUMNS: tuple[str, ...] = (
    "period", "region", "topic", "n_docs", "n_total", "share", "ci_low", "ci_high", "too_few",
)
COMPARE_COLUMNS: tuple[str, ...] = (
    "period", "topic", "a", "b", "share_a", "share_b", "n_a", "n_b", "n_docs_a", "n_docs_b",
    "diff", "ci_low", "ci_high", "p_value", "p_adjusted", "significant", "too_few",
)
TREND_COLUMNS: tuple[str, ...] = (
    "region", "topic", "n_periods", "n_docs", "n_total", "period_start", "period_end",
    "share_start", "share_end", "slope", "ci_low", "ci_high", "odds_ratio", "p_value",
    "p_adjusted", "significant", "direction", "dispersion", "note",
)
BEHIND_COLUMNS: tuple[str, ...] = (
    "period", "region", "topic", "article_id", "published", "outlet", "title", "url",
    "evidence", "region_evidence",
)
FREQ_COLUMNS: tuple[str, ...] = ("freq", "name", "n_periods", "n_ok", "ok_share", "chosen")

#: Period lengths ``choose_freq`` tries, finest first, with their Korean and English names.
FREQ_CANDIDATES: tuple[tuple[str, str, str], ...] = (
    ("W-MON", "주", "week"),
    ("MS", "월", "month"),
    ("QS", "분기", "quarter"),
    ("6MS", "반기", "half-year"),
    ("YS", "연도", "year"),
)
BASES = ("smart_city", "all")
BOTH_RULES = ("own", "each")
DIRECTIONS = ("rising", "falling", "none")

DAYS_PER_YEAR = 365.25


# --- shares ----------------------------------------------------------------------------------


def share_agreement(
    estimated: pd.DataFrame,
    reference: pd.DataFrame,
    *,
    freq: str = "YS",
    regions: Sequence[str] | None = None,
) -> tuple[float, float, pd.DataFrame]:
    """How closely the topic shares of ``estimated`` follow those of ``reference`` (the same
    articles with other tags: a sample's truth, a labelled set): Pearson r and the mean
    absolute difference of the shares over the (period, region, topic) cells both show
    (:func:`topic_shares` with ``min_n=1``), and the joined cells
    (``share_est``, ``share_true``)."""
    est = topic_shares(estimated, freq=freq, min_n=1, regions=regions)
    true = topic_shares(reference, freq=freq, min_n=1, regions=regions)
    return shares_agreement(est, true)


def shares_agreement(est: pd.DataFrame, true: pd.DataFrame) -> tuple[float, float, pd.DataFrame]:
    """:func:`share_agreement` of two :func:`topic_shares` tables already made (for comparing
    many taggings with one reference without making its table again)."""
    joined = est.merge(true, on=["period", "region", "topic"], suffixes=("_est", "_true"))
    shown = joined.dropna(subset=["share_est", "share_true"])
    if len(shown) < 2 or shown["share_est"].nunique() < 2 or shown["share_true"].nunique() < 2:
        # No cell, or shares that do not vary (nothing tagged): no correlation to speak of.
        r = float("nan")
    else:
        r = float(np.corrcoef(shown["share_est"], shown["share_true"])[0, 1])
    mae = float((shown["share_est"] - shown["share_true"]).abs().mean()) if len(shown) else \
        float("nan")
    return r, mae, joined


def topic_shares(
    tagged: pd.DataFrame,
    *,
    freq: str = "QS",
    base: str = "smart_city",
    min_n: int = 10,
    regions: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    both: str = "own",
    dedup: bool = True,
    alpha: float = 0.05,
    adjust: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """Each topic's share of each region's articles, per period, with a Wilson interval.

    Returns ``period, region, topic, n_docs, n_total, share, ci_low, ci_high, too_few``:
    ``n_total`` is the region's articles of the ``base`` in the period, ``n_docs`` its
    smart-city articles carrying the topic, ``share = n_docs / n_total`` (a fraction in [0, 1])
    and ``ci_low``/``ci_high`` its Wilson interval at level ``1 - alpha``. Rows with
    ``n_total < min_n`` are ``too_few`` with NaN share and interval.

    ``regions`` defaults to the vocabulary's cities (plus ``both`` when ``both="own"``);
    ``topics`` to the vocabulary's topics plus any other key found. ``adjust``, when given, is
    applied to the finished table and must return the same columns: the place for a
    measurement-error correction of the shares (tagger error rates) before anything is drawn
    or compared. The table's ``attrs`` record ``freq``, ``min_n``, ``base`` and ``both``.
    """
    counts = _topic_counts(tagged, freq=freq, base=base, regions=regions, topics=topics,
                           both=both, dedup=dedup)
    out = counts.copy()
    out["too_few"] = out["n_total"] < max(int(min_n), 1)
    trends.add_share(out, alpha=alpha)
    out.loc[out["too_few"], ["share", "ci_low", "ci_high"]] = np.nan
    out = out[list(SHARE_COLUMNS)].reset_index(drop=True)
    if adjust is not None:
        adjusted = adjust(out)
        missing = [c for c in SHARE_COLUMNS if c not in adjusted.columns]
        if missing:
            raise ValueError(f"topic_shares: adjust= returned a table without {missing}")
        out = adjusted.reset_index(drop=True)
    out.attrs.update(freq=freq, min_n=int(min_n), base=base, both=both, alpha=alpha)
    return out


#: A chart of shares over time needs at least this many periods in which a compared city has a
#: share to draw; with fewer, the whole span's shares say more (``periods_shown``).
MIN_TREND_PERIODS = 2


def periods_shown(shares: pd.DataFrame, regions: Sequence[str] | None = None) -> int:
    """How many periods of a ``topic_shares`` table give at least one of ``regions`` (default:
    every region in the table) enough articles (``n_total >= min_n``) to draw a share.

    A corpus spread thin over its span (a few dozen pages over ten years) can have none even at
    yearly periods: a trend chart would then be all hatching, and the notebooks draw the whole
    span's shares instead (below :data:`MIN_TREND_PERIODS`)."""
    if shares.empty:
        return 0
    rows = shares if regions is None else shares[shares["region"].isin(list(regions))]
    return int(rows.loc[~rows["too_few"].astype(bool), "period"].nunique())


def _topic_counts(
    tagged: pd.DataFrame,
    *,
    freq: str,
    base: str,
    regions: Sequence[str] | None,
    topics: Sequence[str] | None,
    both: str,
    dedup: bool,
) -> pd.DataFrame:
    """``period, region, topic, n_docs, n_total`` on the full period × region × topic grid."""
    check_options(base=base, both=both)
    frame = series_frame(tagged, freq=freq, both=both, dedup=dedup)
    regions = _default_regions(regions, both=both)
    topics = _default_topics(topics, frame)
    periods = _period_axis(frame, freq=freq)
    members = frame[frame["series"].isin(regions)]
    if freq != ALL_PERIODS:
        members = members[members["period"].notna()]
    denominator = members if base == "all" else members[members["smart_city"]]
    n_total = denominator.groupby(["period", "series"]).size()
    numerator = denominator[denominator["smart_city"]]
    exploded = numerator[["period", "series"]].assign(topic=numerator["topics"]).explode("topic")
    exploded = exploded[exploded["topic"].isin(topics)]
    n_docs = exploded.groupby(["period", "series", "topic"]).size()
    grid = pd.MultiIndex.from_product([periods, regions, topics],
                                      names=["period", "region", "topic"]).to_frame(index=False)
    totals = n_total.reindex(pd.MultiIndex.from_arrays([grid["period"], grid["region"]]))
    docs = n_docs.reindex(pd.MultiIndex.from_arrays([grid["period"], grid["region"],
                                                     grid["topic"]]))
    grid["n_docs"] = np.nan_to_num(docs.to_numpy(dtype=float)).astype("int64")
    grid["n_total"] = np.nan_to_num(totals.to_numpy(dtype=float)).astype("int64")
    if freq != ALL_PERIODS:
        grid["period"] = pd.to_datetime(grid["period"]).astype("datetime64[ns]")
    return grid


def check_options(*, base: str, both: str) -> None:
    """Raise ``ValueError`` for a ``base`` or ``both`` option the tables do not know."""
    if base not in BASES:
        raise ValueError(f"base must be one of {BASES}, got {base!r}")
    if both not in BOTH_RULES:
        raise ValueError(f"both must be one of {BOTH_RULES}, got {both!r}")


def series_frame(tagged: pd.DataFrame, *, freq: str, both: str, dedup: bool,
                 keep: Sequence[str] = ()) -> pd.DataFrame:
    """One row per (article, series it counts in), with ``period`` (NaT when undated, the
    string ``all`` with ``freq="all"``), ``smart_city``, ``topics``, ``article_id`` and the
    ``keep`` columns the table has."""
    frame = trends.prepare_tagged(tagged, dedup=dedup, keep=("article_id", *keep))
    if "article_id" not in frame.columns:
        frame["article_id"] = [f"row{i}" for i in range(len(frame))]
    frame["article_id"] = frame["article_id"].astype(str)
    if freq == ALL_PERIODS:
        frame["period"] = ALL_PERIODS
    else:
        frame["period"] = trends.period_start(frame["published"], freq=freq)
    frame["series"] = frame["region"]
    if both == "each":
        cities = list(get_vocabulary().city_keys)
        shared = frame[frame["region"] == BOTH]
        copies = [shared.assign(series=city) for city in cities]
        frame = pd.concat([frame[frame["region"] != BOTH], *copies])
        frame = frame.sort_index(kind="stable")
    return frame


def _default_regions(regions: Sequence[str] | None, *, both: str) -> list[str]:
    if regions is not None:
        return list(dict.fromkeys(str(r) for r in regions))
    cities = list(get_vocabulary().city_keys)
    return [*cities, BOTH] if both == "own" else cities


def _default_topics(topics: Sequence[str] | None, frame: pd.DataFrame) -> list[str]:
    if topics is not None:
        return list(dict.fromkeys(str(t) for t in topics))
    known = list(get_vocabulary().topic_keys)
    found = {t for ts in frame["topics"] for t in ts}
    return [*known, *sorted(found - set(known))]


def _period_axis(frame: pd.DataFrame, *, freq: str) -> list:
    """Every period from the first to the last dated article of the whole (deduplicated) corpus."""
    if freq == ALL_PERIODS:
        return [ALL_PERIODS]
    dated = frame["period"].dropna()
    if dated.empty:
        return []
    span = pd.date_range(dated.min(), dated.max(), freq=freq)
    # date_range anchors on the offset; keep only true period starts of this freq.
    starts = trends.period_start(pd.Series(span), freq=freq)
    return list(pd.DatetimeIndex(pd.unique(starts.dropna())).sort_values())


COMPOSITION_COLUMNS: tuple[str, ...] = (
    "period", "region", "topic", "n_docs", "n_labels", "n_total", "share_of_labels", "too_few",
)


def topic_composition(shares: pd.DataFrame) -> pd.DataFrame:
    """What each region's topic labels are made of, per period: a composition summing to 1.

    Takes a ``topic_shares`` table and returns ``period, region, topic, n_docs, n_labels,
    n_total, share_of_labels, too_few`` with ``n_labels`` the topic labels the region's
    articles carry in the period (an article with two topics gives two) and
    ``share_of_labels = n_docs / n_labels``; the shares of a (period, region) add up to 1.
    ``too_few`` is carried over (the bin has fewer than ``min_n`` articles): its composition is
    NaN, like its shares. A bin with no label at all has NaN composition too.
    """
    out = shares[["period", "region", "topic", "n_docs", "n_total", "too_few"]].copy()
    out["n_labels"] = out.groupby(["period", "region"], sort=False)["n_docs"].transform("sum")
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = out["n_docs"] / out["n_labels"].where(out["n_labels"] > 0)
    out["share_of_labels"] = ratio.where(~out["too_few"])
    out = out[list(COMPOSITION_COLUMNS)].reset_index(drop=True)
    out.attrs.update(shares.attrs)
    return out


# --- comparing two cities ----------------------------------------------------------------------


def compare_regions(
    tagged: pd.DataFrame,
    *,
    freq: str = "QS",
    a: str | None = None,
    b: str | None = None,
    base: str = "smart_city",
    min_n: int = 10,
    topics: Sequence[str] | None = None,
    both: str = "own",
    dedup: bool = True,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Region ``a`` minus region ``b``: each topic's share per period, and over the whole span.

    ``a``/``b`` default to the vocabulary's ``compare`` pair. Returns one row per period and
    topic (``freq="all"``: one row per topic, period ``all``) with ``share_a, share_b`` and
    their denominators ``n_a, n_b`` (and numerators ``n_docs_a, n_docs_b``) as in
    ``topic_shares``; ``diff = share_a - share_b`` (a difference of fractions, -1…1) with
    Newcombe's hybrid score interval at level ``1 - alpha``; ``p_value`` of the score test of
    equal shares (statsmodels ``test_proportions_2indep(method="score")``); ``p_adjusted``,
    Benjamini–Hochberg over every tested row of this table; ``significant`` = ``p_adjusted <
    alpha``. A row where either city has fewer than ``min_n`` articles is ``too_few`` and not
    tested (NaN difference and p, ``significant`` False). The interval is per cell and not
    adjusted; ``significant`` is the adjusted decision. Swapping ``a`` and ``b`` negates
    ``diff`` and swaps the interval's ends.
    """
    vocabulary = get_vocabulary()
    a = a or vocabulary.compare[0]
    b = b or vocabulary.compare[1]
    if a == b:
        raise ValueError(f"compare_regions needs two different regions, got {a!r} twice")
    shares = topic_shares(tagged, freq=freq, base=base, min_n=min_n, regions=[a, b],
                          topics=topics, both=both, dedup=dedup, alpha=alpha)
    left = shares[shares["region"] == a].set_index(["period", "topic"])
    right = shares[shares["region"] == b].set_index(["period", "topic"])
    out = pd.DataFrame(index=left.index)
    out["a"] = a
    out["b"] = b
    out["share_a"] = left["share"]
    out["share_b"] = right["share"]
    out["n_a"] = left["n_total"]
    out["n_b"] = right["n_total"]
    out["n_docs_a"] = left["n_docs"]
    out["n_docs_b"] = right["n_docs"]
    out["too_few"] = left["too_few"] | right["too_few"]
    out = out.reset_index()
    diff, low, high, p_value = [], [], [], []
    for k_a, n_a, k_b, n_b, thin in zip(out["n_docs_a"], out["n_a"], out["n_docs_b"],
                                        out["n_b"], out["too_few"], strict=True):
        if thin:
            diff.append(np.nan), low.append(np.nan), high.append(np.nan), p_value.append(np.nan)
            continue
        d, lo, hi, p = difference_test(int(k_a), int(n_a), int(k_b), int(n_b), alpha=alpha)
        diff.append(d), low.append(lo), high.append(hi), p_value.append(p)
    out["diff"] = diff
    out["ci_low"] = low
    out["ci_high"] = high
    out["p_value"] = p_value
    out["p_adjusted"] = benjamini_hochberg(out["p_value"])
    out["significant"] = (out["p_adjusted"] < alpha).fillna(False).astype(bool)
    out = out[list(COMPARE_COLUMNS)].reset_index(drop=True)
    if freq != ALL_PERIODS and len(out):
        out["period"] = pd.to_datetime(out["period"]).astype("datetime64[ns]")
    out.attrs.update(freq=freq, a=a, b=b, min_n=int(min_n), base=base, both=both, alpha=alpha)
    return out


def require_whole_span(table: pd.DataFrame | None, what: str) -> None:
    """Raise ``ValueError`` naming ``what`` when ``table`` (a city-difference table, or a check
    of one) is per period rather than over the whole span (``freq="all"``)."""
    if table is not None and table.attrs.get("freq", ALL_PERIODS) != ALL_PERIODS:
        raise ValueError(f"{what} needs the whole-span table (freq='all'), got one per "
                         f"{table.attrs['freq']!r}")


def require_same_comparison(table: pd.DataFrame, *, freq: str | None, a: str | None,
                            b: str | None, what: str) -> None:
    """Raise ``ValueError`` naming ``what`` when ``table`` (a check of a city difference, such
    as ``outlet_check``'s) compares other cities or periods than ``(freq, a, b)``."""
    theirs = (table.attrs.get("freq"), table.attrs.get("a"), table.attrs.get("b"))
    if theirs != (freq, a, b):
        raise ValueError(f"{what} is of {theirs[1]} and {theirs[2]} per {theirs[0]!r}; the "
                         f"table compares {a} and {b} per {freq!r} (period length, a, b)")


def pick_cell(compare: pd.DataFrame) -> tuple[str | None, object]:
    """The ``(topic, period)`` of a ``compare_regions`` table worth listing the articles of.

    The tested cell with the smallest p-value (ties: table order); when no cell was tested,
    the cell with the most articles of the two cities; ``(None, None)`` for an empty table.
    ``period`` is the table's value (a period start, or ``all``).
    """
    if compare.empty:
        return None, None
    tested = compare[~compare["too_few"]]
    if len(tested):
        row = tested.loc[tested["p_value"].idxmin()]
    else:
        row = compare.loc[(compare["n_docs_a"] + compare["n_docs_b"]).idxmax()]
    return str(row["topic"]), row["period"]


def difference_test(
    k_a: int, n_a: int, k_b: int, n_b: int, *, alpha: float = 0.05
) -> tuple[float, float, float, float]:
    """``(diff, ci_low, ci_high, p_value)`` for ``k_a/n_a - k_b/n_b``.

    The interval is Newcombe's hybrid score interval (statsmodels ``method="newcomb"``); the
    p-value is the score test of equal proportions. When neither or both samples hold every
    article with the topic (pooled share 0 or 1) the statistic is 0/0: there is no evidence of
    a difference and the p-value is 1. Needs ``n_a, n_b > 0``.
    """
    if n_a <= 0 or n_b <= 0:
        raise ValueError(f"difference_test needs n_a, n_b > 0, got {n_a}, {n_b}")
    diff = k_a / n_a - k_b / n_b
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        # statsmodels computes the ratio and odds ratio too; they divide by zero at k = 0.
        warnings.simplefilter("ignore", RuntimeWarning)
        low, high = confint_proportions_2indep(k_a, n_a, k_b, n_b, method="newcomb",
                                               compare="diff", alpha=alpha)
        pooled = k_a + k_b
        if pooled == 0 or pooled == n_a + n_b:
            p_value = 1.0
        else:
            p_value = float(test_proportions_2indep(k_a, n_a, k_b, n_b, method="score",
                                                    compare="diff").pvalue)
    # Clip float noise so that ci_low <= diff <= ci_high holds exactly at the bounds.
    low = float(np.clip(min(low, diff), -1.0, 1.0))
    high = float(np.clip(max(high, diff), -1.0, 1.0))
    return float(diff), low, high, float(min(max(p_value, 0.0), 1.0))


def detectable_difference(n_a: int, n_b: int, share: float, *, alpha: float = 0.05,
                          power: float = 0.8) -> float:
    """The smallest difference of shares (a fraction) that the comparison of ``n_a`` and
    ``n_b`` articles finds with probability ``power`` when the two cities' pooled share is
    ``share``: the two-sided score test at level ``alpha``, before any adjustment over topics
    (so with several topics the adjusted test needs a little more). Normal approximation,
    shares moved apart about the pooled one (``a`` up by ``d · n_b / (n_a + n_b)``, ``b`` down by
    ``d · n_a / (n_a + n_b)``); NaN when ``n_a`` or ``n_b`` is 0 or no difference reaches
    ``power``."""
    if n_a <= 0 or n_b <= 0 or not 0 < share < 1:
        return math.nan
    total = n_a + n_b
    z_alpha, z_power = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    null_se = math.sqrt(share * (1 - share) * (1 / n_a + 1 / n_b) * total / (total - 1))

    def shortfall(d: float) -> float:
        p_a, p_b = share + d * n_b / total, share - d * n_a / total
        se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
        return (d - z_alpha * null_se) / se - z_power

    # the largest move that keeps both shares inside (0, 1)
    room = min((1 - share) * total / n_b, share * total / n_a) * (1 - 1e-9)
    if shortfall(room) < 0:
        return math.nan
    return float(optimize.brentq(shortfall, 1e-12, room))


def detectable_slope(trend: pd.DataFrame, *, alpha: float = 0.05,
                     power: float = 0.8) -> pd.Series:
    """For each row of a ``trend_test`` table, the smallest slope (log-odds a year, either way)
    its test finds with probability ``power``: ``(q + z_power) · se``, where ``se`` is the
    slope's standard error read back from its interval and ``q`` the quantile the interval
    used (Student's t on the residual degrees of freedom, :func:`slope_distribution`). Before any adjustment over topics; NaN where the row was not tested."""
    se_rows = []
    for _, row in trend.iterrows():
        if not np.isfinite(row["ci_high"]) or not np.isfinite(row["ci_low"]):
            se_rows.append(math.nan)
            continue
        dist = slope_distribution(row["n_periods"] - 2)
        quantile = float(dist.ppf(1 - alpha / 2))
        se = (row["ci_high"] - row["ci_low"]) / (2 * quantile)
        se_rows.append((quantile + float(dist.ppf(power))) * se)
    return pd.Series(se_rows, index=trend.index, dtype=float, name="detectable_slope")


def slope_distribution(df_resid: float):
    """The distribution of a trend slope's z (``trend_test``): Student's t on the residual
    degrees of freedom (at least 1). The slope's variance is scaled by a dispersion estimated
    from those few residuals, so a normal quantile would test a short series too liberally:
    with 3 or 4 periods and overdispersed counts its false positives ran at 7–11%."""
    return stats.t(max(float(df_resid), 1.0))


def benjamini_hochberg(p_values: pd.Series | Sequence[float]) -> pd.Series:
    """Benjamini–Hochberg adjusted p-values over the non-NaN entries (NaN stays NaN)."""
    series = pd.Series(p_values, dtype=float)
    out = pd.Series(np.nan, index=series.index, dtype=float)
    tested = series.notna()
    if tested.any():
        out[tested] = multipletests(series[tested].to_numpy(), method="fdr_bh")[1]
    return out


# --- trends within a city ------------------------------------------------------------------------


def trend_test(
    tagged: pd.DataFrame,
    *,
    freq: str = "QS",
    base: str = "smart_city",
    min_n: int = 10,
    regions: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    both: str = "own",
    dedup: bool = True,
    alpha: float = 0.05,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Is each topic's share rising or falling in each region? A binomial GLM on time.

    For every region and topic the per-period counts of ``topic_shares`` (periods from
    ``start`` to ``end`` with at least one article) are fitted by ``logit(share) = b0 + slope ×
    years`` (statsmodels GLM, binomial family, each period weighted by its n). ``slope`` is the
    change in log-odds per year, ``odds_ratio = exp(slope)`` the factor on the odds per year;
    ``ci_low``/``ci_high`` bound the slope at level ``1 - alpha``. Periods scatter more than a
    binomial allows when coverage comes in bursts, and by an amount that does not shrink as a
    period grows: each period's variance is ``n p (1 - p) (1 + phi (n - 1))`` (Williams'
    extra-binomial model, ``phi`` estimated from the residuals, 0 when they scatter no more
    than a binomial's), so a large period weighs less than its n alone would make it, and what
    scatter remains scales the variance. ``dispersion`` is the Pearson dispersion
    of the plain binomial fit (at least 1): how much more than a binomial the periods scatter.
    The interval and ``p_value`` use the t distribution on the residual degrees of freedom
    (:func:`slope_distribution`).
    ``p_adjusted`` is Benjamini–Hochberg over every tested row; ``direction`` is ``rising`` or
    ``falling`` when ``significant`` (``p_adjusted < alpha``), else ``none``.
    ``share_start``/``share_end`` are the fitted shares at ``period_start``/``period_end``, the
    first and last period with ``min_n`` articles: the fit runs through every period with
    articles, each weighted by its n, but a fitted share at a period of one or two articles
    would be quoted where the data say almost nothing.

    ``regions`` defaults to the vocabulary's cities (the ``both`` series only when asked for:
    the adjustment is over the rows tested, so extra series change it).

    A row is not tested (NaN slope, ``note`` says why) when the region has fewer than ``min_n``
    articles in all, fewer than 3 periods with articles, fewer than :data:`MIN_TREND_PERIODS`
    periods with ``min_n`` articles (the rule by which the notebooks draw shares over time
    rather than the whole span's: no trend is reported through shares too small to show), or
    the topic is on none or all of them.
    """
    if freq == ALL_PERIODS:
        raise ValueError("trend_test needs periods: freq='all' has one")
    if regions is None:
        regions = list(get_vocabulary().city_keys)
    shares = topic_shares(tagged, freq=freq, base=base, min_n=min_n, regions=regions,
                          topics=topics, both=both, dedup=dedup, alpha=alpha)
    if start is not None:
        shares = shares[shares["period"] >= pd.Timestamp(start)]
    if end is not None:
        shares = shares[shares["period"] <= pd.Timestamp(end)]
    rows = [{"region": region, "topic": topic, **_fit_trend(part, min_n=min_n, alpha=alpha)}
            for (region, topic), part in shares.groupby(["region", "topic"], sort=False)]
    out = _decided(rows, TREND_COLUMNS, alpha=alpha)
    out.attrs.update(freq=freq, min_n=int(min_n), base=base, both=both, alpha=alpha,
                     method="binomial GLM (logit) on years, Williams' extra-binomial weights, Wald on t")
    return out


def share_trend(shares: pd.DataFrame, *, min_n: int = 10, alpha: float = 0.05) -> pd.DataFrame:
    """The trend of any share per period (``period, region, n_docs, n_total``, such as
    ``trends.smart_city_share``), one row per region, fitted as :func:`trend_test` fits a
    topic's: the :data:`TREND_COLUMNS` without ``topic``, Benjamini–Hochberg over the regions."""
    if shares.attrs.get("freq") == ALL_PERIODS:
        raise ValueError("share_trend needs periods: freq='all' has one")
    rows = [{"region": region, **_fit_trend(part, min_n=min_n, alpha=alpha)}
            for region, part in shares.groupby("region", sort=False)]
    return _decided(rows, [c for c in TREND_COLUMNS if c != "topic"], alpha=alpha)


def _decided(rows: list[dict[str, object]], columns: Sequence[str], *,
             alpha: float) -> pd.DataFrame:
    """The fitted trends ``rows`` as a table of ``columns``, with ``p_adjusted``
    (Benjamini–Hochberg over every tested row), ``significant`` and ``direction``."""
    decided = ("p_adjusted", "significant", "direction")
    out = pd.DataFrame(rows, columns=[c for c in columns if c not in decided])
    out["p_adjusted"] = benjamini_hochberg(out["p_value"]) if len(out) else pd.Series(dtype=float)
    out["significant"] = (out["p_adjusted"] < alpha).fillna(False).astype(bool)
    out["direction"] = np.where(out["significant"] & (out["slope"] > 0), "rising",
                                np.where(out["significant"] & (out["slope"] < 0), "falling",
                                         "none"))
    return out[list(columns)].reset_index(drop=True)


#: The notes of a trend that was not fitted (``_fit_trend``), as Korean sentences read them:
#: a pattern of the English note and its Korean, ``{0}``, ``{1}`` its numbers.
_NOTES_KO: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"n < (\d+)"), "기사가 {0}건 미만"),
    (re.compile(r"fewer than (\d+) periods with articles"), "기사가 있는 기간이 {0}개 미만"),
    (re.compile(r"fewer than (\d+) periods with n >= (\d+)"), "n ≥ {1}인 기간이 {0}개 미만"),
    (re.compile(r"topic on no article"), "주제가 붙은 기사가 없음"),
    (re.compile(r"topic on every article"), "모든 기사에 주제가 붙음"),
    (re.compile(r"not estimable: the topic appears only on one side of a date"),
     "추정 불가: 주제가 어느 날짜의 한쪽에만 나옴"),
    (re.compile(r"not estimable"), "추정 불가"),
)


#: Why a share or a difference was not corrected for tagging error (``accuracy``'s
#: ``correction_note``), as Korean sentences say it: the English note's opening, its Korean.
_CORRECTION_NOTES_KO: tuple[tuple[str, str], ...] = (
    ("no observed share", "비중 없음 (기사가 없거나 너무 적음)"),
    ("no error rates for this tag", "이 태그의 오류율 없음"),
    ("no labelled articles with this tag", "이 태그가 붙은 라벨 기사가 없어 재현율을 모름"),
    ("no labelled articles without this tag", "이 태그가 없는 라벨 기사가 없어 특이도를 모름"),
    ("tag no better than chance", "라벨 기준으로 태그가 우연보다 낫지 않음"),
    ("error rates too uncertain", "오류율이 너무 불확실해 우연 수준의 태그일 수 있음"),
    ("no labelled article with a date", "날짜가 있는 라벨 기사가 없어 시기별 오류율 없음"),
)


def correction_note_ko(note: str) -> str:
    """A ``correction_note`` in Korean (an era's note keeps its era: ``2020-2022: …``); a note
    it does not know is returned as it is."""
    era, sep, rest = note.partition(": ")
    if sep and re.fullmatch(r"\d{4}(?:-\d{4})?", era):
        return f"{era}: {correction_note_ko(rest)}"
    for opening, korean in _CORRECTION_NOTES_KO:
        if note.startswith(opening):
            return korean
    return note


def note_ko(note: str) -> str:
    """A trend table's ``note`` (why a trend was not fitted) in Korean; a note it does not know
    is returned as it is."""
    for pattern, korean in _NOTES_KO:
        found = pattern.fullmatch(note.strip())
        if found:
            return korean.format(*found.groups())
    return note


def _fit_trend(part: pd.DataFrame, *, min_n: int, alpha: float) -> dict[str, object]:
    """The GLM fit of one region × topic series (rows of ``topic_shares``)."""
    part = part[part["n_total"] > 0].sort_values("period")
    k = part["n_docs"].to_numpy(dtype=float)
    n = part["n_total"].to_numpy(dtype=float)
    result: dict[str, object] = {
        "n_periods": len(part), "n_docs": int(k.sum()), "n_total": int(n.sum()),
        "period_start": pd.NaT, "period_end": pd.NaT, "share_start": np.nan, "share_end": np.nan,
        "slope": np.nan, "ci_low": np.nan, "ci_high": np.nan, "odds_ratio": np.nan, "p_value": np.nan, "dispersion": np.nan,
        "note": "",
    }
    if n.sum() < max(min_n, 1):
        result["note"] = f"n < {min_n}"
        return result
    if len(part) < 3:
        result["note"] = "fewer than 3 periods with articles"
        return result
    if k.sum() == 0 or k.sum() == n.sum():
        result["note"] = "topic on no article" if k.sum() == 0 else "topic on every article"
        return result
    # A trend through periods none of which has a share to show (n below min_n) would be the
    # only number about them: test it only where the shares could be drawn over time.
    if int((n >= min_n).sum()) < MIN_TREND_PERIODS:
        result["note"] = f"fewer than {MIN_TREND_PERIODS} periods with n >= {min_n}"
        return result
    periods = pd.to_datetime(part["period"])
    years = ((periods - periods.iloc[0]).dt.days / DAYS_PER_YEAR).to_numpy(dtype=float)
    design = np.column_stack([np.ones_like(years), years])
    fitted_pair = _trend_fits(k, n, years)
    if fitted_pair is None:
        result["note"] = "not estimable: the topic appears only on one side of a date"
        return result
    fit, weighted, _phi = fitted_pair
    df_resid = float(fit.df_resid)
    dispersion = max(1.0, float(fit.pearson_chi2) / df_resid) if df_resid > 0 else 1.0
    # What scatter Williams' weights leave scales the variance, below 1 too: the t quantile on
    # the residual degrees of freedom allows for its being estimated, and flooring it as well
    # made a short series' test almost never reject (0.4% at a nominal 5% with 6 periods).
    scale = float(weighted.pearson_chi2) / df_resid if df_resid > 0 else 1.0
    slope = float(weighted.params[1])
    se = float(weighted.bse[1]) * math.sqrt(scale)
    if not (math.isfinite(slope) and math.isfinite(se)) or se == 0:
        result["note"] = "not estimable"
        return result
    dist = slope_distribution(df_resid)
    z = slope / se
    quantile = float(dist.ppf(1 - alpha / 2))
    fitted = weighted.predict(design)
    readable = np.flatnonzero(n >= min_n)
    first, last = int(readable[0]), int(readable[-1])
    result.update(
        period_start=periods.iloc[first], period_end=periods.iloc[last],
        share_start=float(fitted[first]), share_end=float(fitted[last]), slope=slope,
        ci_low=slope - quantile * se, ci_high=slope + quantile * se,
        odds_ratio=math.exp(slope), p_value=float(2 * dist.sf(abs(z))), dispersion=dispersion,
    )
    return result


def _trend_fits(k: np.ndarray, n: np.ndarray, years: np.ndarray):
    """The plain binomial fit of ``logit(k / n) = b0 + slope × years``, the same refitted with
    Williams' weights (:func:`_williams_fit`) and its ``phi``; None when the topic appears only
    on one side of a date (perfect separation)."""
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM
    from statsmodels.tools.sm_exceptions import ConvergenceWarning, PerfectSeparationWarning

    design = np.column_stack([np.ones_like(years), years])
    endog = np.column_stack([k, n - k])
    with warnings.catch_warnings():
        warnings.simplefilter("error", PerfectSeparationWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        try:
            fit = GLM(endog, design, family=Binomial()).fit()
            weighted, phi = _williams_fit(fit, design, endog, k, n)
        except PerfectSeparationWarning:
            return None
    return fit, weighted, phi


#: Williams' iteration stops when the extra-binomial variance moves less than this, or after
#: :data:`WILLIAMS_STEPS` steps.
WILLIAMS_TOL = 1e-6
WILLIAMS_STEPS = 25


def _williams_fit(fit, design: np.ndarray, endog: np.ndarray, k: np.ndarray, n: np.ndarray):
    """The binomial fit of ``fit``'s series refitted with Williams' (1982) extra-binomial
    weights, and the extra variance ``phi`` (0: none beyond the binomial's, the fit unchanged).

    Periods of news scatter around a trend by more than sampling error, and by an amount that
    does not shrink as a period's n grows: an issue takes a topic up one year and down the next
    whether the outlets wrote 20 stories or 2,000. A quasi-binomial fit scales every period's
    variance by one factor, so it weights the large periods (in news corpora, the late ones) far
    beyond what they tell and rejects a flat trend too often (at a nominal 5%, 11% with periods
    growing from 20 to 2,000 articles and a logit scatter of 0.3). Williams' model gives a period
    the variance ``n p (1 - p) (1 + phi (n - 1))``: ``phi`` is found by matching the Pearson
    residuals to their expectation given the leverages, each period is weighted by
    ``1 / (1 + phi (n - 1))``, and the remaining Pearson dispersion scales the variance as
    before. With no scatter beyond the binomial's, ``phi`` is 0 and the fit is ``fit``."""
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    phi, weighted = 0.0, fit
    extra = np.maximum(n - 1.0, 0.0)
    if not extra.any():
        return fit, phi
    for _ in range(WILLIAMS_STEPS):
        p = np.clip(weighted.predict(design), 1e-12, 1 - 1e-12)
        weights = 1.0 / (1.0 + phi * extra)
        working = weights * n * p * (1 - p)
        information = design.T @ (working[:, None] * design)
        try:
            leverage = working * np.einsum("ij,jk,ik->i", design, np.linalg.inv(information),
                                           design)
        except np.linalg.LinAlgError:
            return weighted, phi
        squared = (k - n * p) ** 2 / (n * p * (1 - p))
        spread = float(((1 - leverage) * extra).sum())
        step = float((squared - (1 - leverage)).sum()) / spread if spread > 0 else 0.0
        step = min(max(step, 0.0), 1.0)
        if abs(step - phi) < WILLIAMS_TOL:
            break
        phi = step
        if phi == 0.0:
            return fit, phi
        weighted = GLM(endog, design, family=Binomial(),
                       var_weights=1.0 / (1.0 + phi * extra)).fit()
    return weighted, phi


def period_variance_factors(k: np.ndarray, n: np.ndarray, years: np.ndarray) -> np.ndarray:
    """How many times a binomial's variance each period's share has in :func:`trend_test`'s
    fit of the series: ``k`` of ``n`` articles at ``years``. Williams' ``1 + phi (n - 1)``
    times the dispersion the weights leave, at least 1 (a draw has no t quantile to allow for
    that dispersion's being estimated from a few residuals); all 1 where the series cannot be
    fitted. ``accuracy.corrected_trends`` draws and weighs each period's share with it, so its
    slope's interval allows the scatter the trend test allows."""
    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    ones = np.ones_like(n)
    if len(n) < 3 or k.sum() == 0 or k.sum() == n.sum():
        return ones
    fitted_pair = _trend_fits(k, n, np.asarray(years, dtype=float))
    if fitted_pair is None:
        return ones
    fit, weighted, phi = fitted_pair
    df_resid = float(fit.df_resid)
    scale = max(1.0, float(weighted.pearson_chi2) / df_resid) if df_resid > 0 else 1.0
    factors = (1.0 + phi * np.maximum(n - 1.0, 0.0)) * scale
    return np.where(np.isfinite(factors), factors, 1.0)


# --- period length -------------------------------------------------------------------------------


#: The most periods ``choose_freq`` picks a period length for: five years by month, fifteen by
#: quarter.
MAX_PERIODS = 60


def freq_candidates(
    tagged: pd.DataFrame,
    *,
    min_n: int = 10,
    regions: Sequence[str] | None = None,
    base: str = "smart_city",
    both: str = "own",
    dedup: bool = True,
    most: float = 0.5,
    max_periods: int | None = MAX_PERIODS,
) -> pd.DataFrame:
    """How each candidate period length fares: ``freq, name, n_periods, n_ok, ok_share, chosen``.

    ``n_ok`` counts periods in which every region of ``regions`` (default: the vocabulary's
    ``compare`` pair) has at least ``min_n`` articles of the ``base``; ``ok_share = n_ok /
    n_periods``. ``chosen`` marks the one ``choose_freq`` returns: the finest length with at
    least 2 and at most ``max_periods`` periods (None: no limit) and ``ok_share > most``; when
    none qualifies, the coarsest with at least 2 periods (so a short corpus still draws a line,
    its thin bins marked); when every length gives one period, months.
    """
    check_options(base=base, both=both)
    regions = list(regions) if regions is not None else list(get_vocabulary().compare)
    rows = []
    for freq, name_ko, name_en in FREQ_CANDIDATES:
        frame = series_frame(tagged, freq=freq, both=both, dedup=dedup)
        periods = _period_axis(frame, freq=freq)
        counted = frame[frame["series"].isin(regions) & frame["period"].notna()]
        if base == "smart_city":
            counted = counted[counted["smart_city"]]
        table = counted.groupby(["period", "series"]).size().unstack("series")
        table = table.reindex(index=periods, columns=regions).fillna(0)
        n_ok = int((table >= min_n).all(axis=1).sum()) if len(periods) else 0
        rows.append({"freq": freq, "name": f"{name_ko} ({name_en})", "n_periods": len(periods),
                     "n_ok": n_ok, "ok_share": n_ok / len(periods) if periods else 0.0})
    out = pd.DataFrame(rows, columns=list(FREQ_COLUMNS[:-1]))
    readable = out["n_periods"] <= max_periods if max_periods is not None else True
    good = out[(out["n_periods"] >= 2) & (out["ok_share"] > most) & readable]
    several = out[out["n_periods"] >= 2]
    if len(good):
        chosen = good.index[0]
    elif len(several):
        chosen = several.index[-1]
    else:
        chosen = out.index[out["freq"] == "MS"][0]
    out["chosen"] = out.index == chosen
    out.attrs.update(min_n=int(min_n), regions=regions, base=base, most=most,
                     max_periods=max_periods)
    return out


def choose_freq(
    tagged: pd.DataFrame,
    *,
    min_n: int = 10,
    regions: Sequence[str] | None = None,
    base: str = "smart_city",
    both: str = "own",
    dedup: bool = True,
    most: float = 0.5,
    max_periods: int | None = MAX_PERIODS,
) -> str:
    """The finest of week / month / quarter / half-year / year (``W-MON``, ``MS``, ``QS``,
    ``6MS``, ``YS``) in which the compared cities have at least ``min_n`` articles each in
    more than ``most`` of the periods, and that gives at most ``max_periods`` periods (a chart
    of hundreds of points cannot be read: ten years of a large corpus are drawn by quarter, not
    by week); see ``freq_candidates`` for the table behind the choice and the rule when no
    length qualifies."""
    table = freq_candidates(tagged, min_n=min_n, regions=regions, base=base, both=both,
                            dedup=dedup, most=most, max_periods=max_periods)
    return str(table.loc[table["chosen"], "freq"].iloc[0])


def freq_name(freq: str, *, lang: str = "ko") -> str:
    """``분기`` / ``quarter`` for ``QS`` and the other candidates; the alias itself otherwise."""
    if freq == ALL_PERIODS:
        return "전체 기간" if lang == "ko" else "whole span"
    for alias, name_ko, name_en in FREQ_CANDIDATES:
        if alias == freq:
            return name_ko if lang == "ko" else name_en
    return freq


# --- the articles behind a number ----------------------------------------------------------------


def articles_behind(
    tagged: pd.DataFrame,
    *,
    period: str | pd.Timestamp | None = None,
    region: str | None = None,
    topic: str | None = None,
    freq: str = "QS",
    base: str = "smart_city",
    both: str = "own",
    dedup: bool = True,
    article_topics: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The articles behind one number of ``topic_shares`` (or every number, with no filter).

    With ``topic`` given: the ``n_docs`` articles of that (period, region, topic) cell; with
    ``topic=None``: the ``n_total`` articles of its denominator (``topic`` column empty).
    ``period`` is a period start (``2023-04-01``) or label (``2023Q2``, ``2023H1``, ``2023-04``,
    ``2023``) of ``freq``; ``None`` means every period. Returns ``period, region, topic,
    article_id, published, outlet, title, url, evidence, region_evidence``, newest first (ties
    by article_id): ``evidence`` is the lexicon terms that gave the topic (the ``terms`` column
    of ``article_topics``, the tagging stage's long table; the article's ``topic_evidence`` when
    that table is not given), ``region_evidence`` why the article is about its region.
    """
    check_options(base=base, both=both)
    frame = _behind_frame(tagged, freq=freq, both=both, dedup=dedup)
    if base == "smart_city" or topic is not None:
        frame = frame[frame["smart_city"]]
    if region is not None:
        frame = frame[frame["series"] == region]
    if period is not None and freq != ALL_PERIODS:
        frame = frame[frame["period"] == parse_period(period, freq=freq)]
    if topic is not None:
        # .loc with a bool mask: an empty object-dtype mask would select columns instead.
        frame = frame.loc[frame["topics"].map(lambda ts: topic in ts).astype(bool)]
    out = _behind_rows(frame, pd.Series(topic or "", index=frame.index, dtype=object),
                       article_topics if topic is not None else None)
    out = out.sort_values(["published", "article_id"], ascending=[False, True],
                          na_position="last")
    return out.reset_index(drop=True)


def _behind_frame(tagged: pd.DataFrame, *, freq: str, both: str, dedup: bool) -> pd.DataFrame:
    """``series_frame`` with the columns the articles behind a number show, without the
    articles about neither city (and, per period, the undated)."""
    frame = series_frame(tagged, freq=freq, both=both, dedup=dedup)
    extra = tagged.loc[:, [c for c in ("outlet", "title", "url", "topic_evidence",
                                       "region_evidence") if c in tagged.columns]]
    frame = frame.join(extra)
    keep = frame["series"] != NEITHER
    if freq != ALL_PERIODS:
        keep &= frame["period"].notna()
    return frame[keep.to_numpy(dtype=bool)]


def _behind_rows(frame: pd.DataFrame, topic: pd.Series,
                 article_topics: pd.DataFrame | None) -> pd.DataFrame:
    """``BEHIND_COLUMNS`` for the rows of ``frame`` (``_behind_frame``), each with its
    ``topic``: ``evidence`` from ``article_topics`` when given, else the article's
    ``topic_evidence``."""
    terms = _terms_lookup(article_topics)
    if terms is not None:
        evidence = [terms.get(key, "") for key in zip(frame["article_id"], topic, strict=True)]
    elif "topic_evidence" in frame.columns:
        evidence = frame["topic_evidence"].fillna("").astype(str).tolist()
    else:
        evidence = [""] * len(frame)
    return pd.DataFrame({
        "period": frame["period"],
        "region": frame["series"],
        "topic": topic.astype(str),
        "article_id": frame["article_id"],
        "published": frame["published"],
        "outlet": frame.get("outlet", ""),
        "title": frame.get("title", ""),
        "url": frame.get("url", ""),
        "evidence": evidence,
        "region_evidence": frame.get("region_evidence", ""),
    })[list(BEHIND_COLUMNS)]


def parse_period(value: str | pd.Timestamp, *, freq: str) -> pd.Timestamp:
    """The period start of ``freq`` that ``value`` (a date or a label such as ``2023Q2``,
    ``2023H2``, ``2023-04``, ``2023``) falls in."""
    if isinstance(value, str):
        text = value.strip()
        quarter = re.fullmatch(r"(\d{4})\s*Q([1-4])", text, flags=re.IGNORECASE)
        half = re.fullmatch(r"(\d{4})\s*H([12])", text, flags=re.IGNORECASE)
        if quarter:
            stamp = pd.Timestamp(year=int(quarter[1]), month=3 * int(quarter[2]) - 2, day=1)
        elif half:
            stamp = pd.Timestamp(year=int(half[1]), month=6 * int(half[2]) - 5, day=1)
        else:
            try:
                stamp = pd.Timestamp(text)
            except ValueError as err:
                raise ValueError(f"not a period: {value!r} (try 2023Q2, 2023H1, 2023-04, "
                                 "2023 or a date)") from err
    else:
        stamp = pd.Timestamp(value)
    return trends.period_start(pd.Series([stamp]), freq=freq).iloc[0]


def _terms_lookup(article_topics: pd.DataFrame | None) -> dict[tuple[str, str], str] | None:
    if article_topics is None:
        return None
    return dict(zip(zip(article_topics["article_id"].astype(str), article_topics["topic"],
                        strict=True), article_topics["terms"].astype(str), strict=True))


def export_articles_behind(
    tagged: pd.DataFrame,
    path: str | os.PathLike[str],
    *,
    freq: str = "QS",
    base: str = "smart_city",
    both: str = "own",
    dedup: bool = True,
    regions: Sequence[str] | None = None,
    topics: Sequence[str] | None = None,
    article_topics: pd.DataFrame | None = None,
) -> Path:
    """Write every point's articles to one CSV: a row per (period, region, topic, article).

    Columns are those of ``articles_behind`` with ``period`` as its label (``2023Q2``) and
    ``published`` as ``YYYY-MM-DD``; one row per article of every cell's ``n_docs``, so the rows
    of a (period, region, topic) add up to the number in ``topic_shares``. UTF-8 with a BOM, so
    spreadsheet programs open the Korean text right. Written atomically; returns the path.
    """
    check_options(base=base, both=both)
    regions = _default_regions(regions, both=both)
    # What articles_behind gives for each region and topic, made at once: the smart-city
    # articles of the regions, a row per topic they carry (a topic no such article carries
    # gives no row, so the topics are found among them).
    frame = _behind_frame(tagged, freq=freq, both=both, dedup=dedup)
    frame = frame[(frame["series"].isin(regions) & frame["smart_city"]).to_numpy(dtype=bool)]
    topics = _default_topics(topics, frame)
    frame = frame.explode("topics")
    frame = frame[frame["topics"].isin(topics).to_numpy(dtype=bool)]
    table = _behind_rows(frame, frame["topics"], article_topics).reset_index(drop=True)
    if freq != ALL_PERIODS and len(table):
        table["period"] = trends.period_labels(table["period"], freq=freq).to_numpy()
    table["published"] = pd.to_datetime(table["published"]).dt.strftime("%Y-%m-%d").fillna("")
    table = table.sort_values(["period", "region", "topic", "published", "article_id"],
                              kind="stable")
    return write_csv(table, path)


def write_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``table`` (without its index) as CSV for spreadsheets: UTF-8 with a BOM, so the
    Korean text opens right; atomically (a reader never sees half a file). Returns the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    table.to_csv(tmp, index=False, encoding="utf-8-sig")
    tmp.replace(target)
    return target


# --- findings ----------------------------------------------------------------------------------


#: What the glance table says when there is no significant difference or trend to check.
NO_FINDINGS = ("유의한 차이나 추세가 없어 점검할 발견이 없습니다 (no significant difference or trend "
               "to check).")


#: What "significant" means across the findings: each within its own table's adjustment.
FAMILIES_NOTE = {
    "ko": ("유의성은 표마다 따로 BH 보정해 판정했으므로 (도시 간 차이 따로, 추세 따로), 발견 "
           "목록 전체의 거짓 발견률이 5%로 묶이지는 않습니다."),
    "en": ("Each is significant within its own table (Benjamini–Hochberg over the city "
           "differences, and separately over the trends): the list as a whole is not held to a "
           "5% false discovery rate."),
}


@dataclass
class Findings:
    """A short computed summary: sentences in Korean (``ko``) and English (``en``), one fact
    each, and the numbers they cite (``facts``: ``kind, region, topic, value, ci_low, ci_high,
    n, p_adjusted``; rows of kind ``detectable`` and ``detectable_trend`` are no finding but
    the reach of a test that found none: ``value`` is the smallest difference, or slope in
    log-odds a year, it would find 80% of the time). Renders as two paragraphs in notebooks and
    reports (text escaped)."""

    ko: list[str] = field(default_factory=list)
    en: list[str] = field(default_factory=list)
    facts: pd.DataFrame = field(default_factory=pd.DataFrame)
    freq: str = ""
    #: A table shown under the sentences (``with_glance``): each finding and its checks.
    glance: pd.DataFrame | None = None
    #: The positions in ``ko`` and in ``en`` of the sentences that say how the findings hold
    #: up (the outlet and tagging-error checks, the tags' reliability): the HTML shows the
    #: findings first and these under the glance table, folded.
    ko_checks: tuple[int, ...] = ()
    en_checks: tuple[int, ...] = ()

    def with_glance(self, table: pd.DataFrame) -> Findings:
        """The same findings with ``table`` (``lib.analysis.robustness.robustness_view``)
        shown under the sentences, in notebooks, reports and text."""
        return replace(self, glance=table)

    def glance_summary(self, lang: str = "ko") -> str:
        """One sentence on how many of the glance table's findings pass every check they were
        asked, to read before the findings themselves ("" without a glance table or findings):
        a finding that fails a check is stated above the table all the same."""
        if self.glance is None or self.glance.empty:
            return ""
        counts = self.glance["통과" if "통과" in self.glance.columns else "passed"].astype(str)
        held = sum(a == b and b != "0" for a, b in (c.split("/", 1) for c in counts))
        total = len(counts)
        lang = "ko" if lang == "ko" else "en"
        if held == total:
            lead = {"ko": f"아래 유의한 발견 {total}개 모두 받은 점검을 전부 통과했습니다 (표 참고).",
                    "en": f"All {total} significant findings below pass every check they were "
                          "asked."}
        else:
            lead = {"ko": f"아래 유의한 발견 {total}개 가운데 점검을 모두 통과한 것은 {held}개입니다. "
                          f"나머지 {total - held}개는 점검을 통과하지 못했거나 판단할 수 없으니, "
                          "인용하기 전에 표의 ✗·? 표시를 확인하십시오.",
                    "en": f"Of the {total} significant findings below, {held} pass every check "
                          f"they were asked; the other {total - held} fail a check or could not "
                          "be checked: see the ✗ and ? marks in the table before citing them."}
        return f"{lead[lang]} {FAMILIES_NOTE[lang]}"

    def split(self, lang: str = "ko") -> tuple[list[str], list[str]]:
        """The sentences of ``lang`` that state findings, and those that check them."""
        lines, checks = (self.ko, self.ko_checks) if lang == "ko" else (self.en, self.en_checks)
        picked = set(checks)
        return ([s for i, s in enumerate(lines) if i not in picked],
                [s for i, s in enumerate(lines) if i in picked])

    def _repr_html_(self) -> str:
        def para(lines: Iterable[str], lang: str) -> str:
            items = "".join(f"<li>{escape(line)}</li>" for line in lines)
            return f'<ul lang="{lang}" class="sc-findings-{lang}">{items}</ul>' if items else ""

        def folded(summary: str, body: str, lang: str) -> str:
            return (f'<details lang="{lang}"><summary>{escape(summary)}</summary>{body}</details>'
                    if body else "")

        (stated_ko, checks_ko), (stated_en, checks_en) = self.split("ko"), self.split("en")
        glance = ""
        if self.glance is not None and self.glance.empty:
            glance = f"<p><strong>한눈에 보기 (At a glance)</strong>: {escape(NO_FINDINGS)}</p>"
        elif self.glance is not None:
            glance = ("<strong>한눈에 보기: 각 발견이 통과한 점검 (✓ 통과, ✗ 실패, ? 판단 불가, "
                      "– 점검 안 함) (At a glance: the checks each finding passes; ✓ passed, "
                      "✗ failed, ? cannot tell (a check could not be made), – not "
                      "asked)</strong>"
                      + _table_html(self.glance))
        summary = self.glance_summary("ko")
        lead = (f'<p lang="ko" class="sc-findings-lead" style="margin:0.4em 0"><em>'
                f"{escape(summary)}</em></p>" if summary else "")
        checks = folded("점검 결과와 태그 성능 자세히 보기", para(checks_ko, "ko"), "ko")
        summary_en = self.glance_summary("en")
        english = folded("In English", (f"<p><em>{escape(summary_en)}</em></p>" if summary_en
                                        else "") + para(stated_en, "en") + folded(
            "The checks and the tags' reliability in full", para(checks_en, "en"), "en"), "en")
        return (
            '<div class="sc-findings" style="border-left: 4px solid #0072B2; '
            'background: #eef5fb; padding: 0.6em 1em; margin: 0.5em 0;">'
            "<strong>주요 결과 (Findings)</strong>"
            f"{lead}{para(stated_ko, 'ko')}{glance}{checks}{english}</div>"
        )

    def __str__(self) -> str:
        lines = ["주요 결과", *filter(None, [self.glance_summary("ko")]),
                 *(f"- {s}" for s in self.ko), "", "Findings",
                 *filter(None, [self.glance_summary("en")]), *(f"- {s}" for s in self.en)]
        if self.glance is not None:
            lines += ["", "한눈에 보기 (at a glance)",
                      NO_FINDINGS if self.glance.empty else self.glance.to_string(index=False)]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)


def _table_html(table: pd.DataFrame) -> str:
    """A small table with its styling inline (the first two columns left, the others centred,
    padded; scrolling sideways in a narrow window), so it reads alike in JupyterLab, the report
    pages and the index page."""

    def cell(tag: str, value: object, column: int) -> str:
        # keep-all: Korean breaks between words, not inside them. A finding (first column)
        # wraps within a width that leaves the checks in view; the verdict stays on a line.
        place = {0: "left;min-width:16em;max-width:30em", 1: "left;white-space:nowrap"}
        style = (f"padding:2px 10px;word-break:keep-all;text-align:"
                 f"{place.get(column, 'center')}"
                 + (";border-bottom:1px solid #999;vertical-align:bottom" if tag == "th" else ""))
        return f'<{tag} style="{style}">{escape(str(value))}</{tag}>'

    head = "".join(cell("th", c, i) for i, c in enumerate(table.columns))
    body = "".join("<tr>" + "".join(cell("td", v, i) for i, v in enumerate(row)) + "</tr>"
                   for row in table.itertuples(index=False))
    return (f'<table class="sc-glance" style="border-collapse:collapse;margin-top:0.4em;display:block;max-width:100%;overflow-x:auto">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def findings(
    tagged: pd.DataFrame,
    *,
    freq: str | None = None,
    a: str | None = None,
    b: str | None = None,
    base: str = "smart_city",
    min_n: int = 10,
    both: str = "own",
    dedup: bool = True,
    alpha: float = 0.05,
    top: int = 3,
    rates: pd.DataFrame | None = None,
    rates_by_city: pd.DataFrame | None = None,
    outlet_check: pd.DataFrame | None = None,
    outlet_trends: pd.DataFrame | None = None,
    corrected_differences: pd.DataFrame | None = None,
    outlet_cells: pd.DataFrame | None = None,
    corrected_trends: pd.DataFrame | None = None,
    corrected_cells: pd.DataFrame | None = None,
    corpus: Corpus | None = None,
) -> Findings:
    """A short summary of what the tables show, each sentence with its numbers and n.

    - the span and the period length (``freq``; ``None`` means ``choose_freq``);
    - with the ``corpus`` the articles come from: how many files the loader could not read and
      how many records it left out, when any (:func:`dropped_sentences`; the index page shows
      these findings first);
    - for ``a`` and ``b`` (default: the vocabulary's pair): smart-city articles, all articles
      and the smart-city share with its Wilson interval;
    - per city, up to ``top`` topics whose ``trend_test`` is significant, rising and falling
      (fitted share at the first and last period, odds ratio per year with its interval), then
      any other significant ones by their fitted shares alone; or that none is;
    - up to ``top`` topics whose ``compare_regions`` over the whole span is significant, largest
      difference first, with both shares, n and the interval, then any other significant ones
      by their difference and interval alone (every one gets a ``difference`` fact); or that
      none is; for the
      topics that do not differ, the smallest difference their counts would find 80% of the
      time (``detectable_difference``); and how many period cells differ significantly;
    - with ``outlet_check`` (the table of ``lib.analysis.outlets.outlet_check`` for the same
      cities and options) and such differences: how many of them hold whichever one outlet is
      left out and with outlets as clusters, and the outlet each of the others rests on;
    - with ``outlet_cells`` (``outlet_check`` per period, of the same ``freq``, cities and
      options): how many of the significant period cells hold against the outlets, and why
      the others do not (one outlet writes nearly all of a city's articles in the cell, the
      cell is not significant without one outlet, or the outlet-clustered interval includes 0);
    - with ``outlet_trends`` (``lib.analysis.outlets.outlet_trend_check`` for the same period
      length and options) and significant trends: how many of them hold whichever one outlet
      is left out, with outlets as clusters and within outlets, and why each other one does
      not;
    - with ``corrected_differences`` (``lib.analysis.accuracy.corrected_difference`` of the
      whole-span ``compare_regions`` table of the same cities) and significant differences: how
      many keep an interval that excludes zero when both cities' shares are corrected for
      tagging error, and the corrected difference of each other one;
    - with ``corrected_cells`` (``corrected_difference`` of the per-period ``compare_regions``
      table of the same ``freq``, cities and options): how many of the significant period
      cells keep their side with both cities' shares corrected, and why the others do not
      (the corrected interval includes 0, the rates are too uncertain, or the cell cannot be
      corrected);
    - with ``corrected_trends`` (``lib.analysis.accuracy.corrected_trends`` of the same period
      length and options) and significant trends: how many stay beyond chance on the same side
      when each period's shares are corrected with the tagging error rates of its era, and the
      corrected slope of each other one.

    Only significant results (Benjamini–Hochberg adjusted p < ``alpha``) are stated as changes
    or differences; a section that cannot be computed says why.

    With ``rates`` (the taggers' error counts ``tag, value, tp, fp, fn``:
    ``lib.analysis.accuracy.load_tagger_accuracy()`` on held-out real news, or
    ``corpus_accuracy`` of the corpus's own labels) a last sentence says how far the topic
    tags hold overall, names the cited topics whose tag has F1 below :data:`WEAK_TAG_F1`, and
    says that the shares and tests count the tags as given. With ``rates_by_city`` too (the
    same per city, a ``region`` column: ``load_tagger_accuracy(by_city=True)`` or
    ``corpus_accuracy(..., by_city=True)``) it says, for ``a`` and ``b``, how many of the
    city's labelled smart-city stories the smart-city flag finds (with the Wilson interval) and
    how many of its flags are right, when the counts have ``smart_city`` rows: the per-city
    smart-city counts are the flag's, so the city it misses more is undercounted more. It also
    names the topics of the cited
    city differences whose tag was measured on fewer than :data:`FEW_CITY_LABELS` labelled
    stories of either city, or whose F1 differs by :data:`CITY_F1_GAP` or more between them:
    there a difference may come from the tag as much as from the coverage.
    """
    vocabulary = get_vocabulary()
    a = a or vocabulary.compare[0]
    b = b or vocabulary.compare[1]
    freq = freq or choose_freq(tagged, min_n=min_n, regions=[a, b], base=base, both=both,
                               dedup=dedup)
    ko: list[str] = []
    en: list[str] = []
    facts: list[dict[str, object]] = []
    ko_checks: list[int] = []
    en_checks: list[int] = []

    def check(say: Callable[..., None], *args: object, **options: object) -> None:
        """Run a sentence maker of a check and note the sentences it adds as checks."""
        before_ko, before_en = len(ko), len(en)
        say(*args, **options)
        ko_checks.extend(range(before_ko, len(ko)))
        en_checks.extend(range(before_en, len(en)))

    frame = trends.prepare_tagged(tagged, dedup=dedup)
    dated = frame["published"].dropna()
    level = f"{1 - alpha:.0%}"
    # Articles per city over everything, dated or not: the whole span's shares count them.
    members = series_frame(tagged, freq=ALL_PERIODS, both=both, dedup=dedup)
    counted = {city: members[members["series"] == city] for city in (a, b)}
    # Cities with fewer than min_n articles of the base: no topic share of theirs is shown.
    thin = {city: int(rows["smart_city"].sum()) if base == "smart_city" else len(rows)
            for city, rows in counted.items()}
    thin = {city: n for city, n in thin.items() if n < min_n}
    periods_said = False
    if dated.empty:
        ko.append("날짜가 있는 기사가 없어 기간별 추세를 계산할 수 없습니다.")
        en.append("No article has a date: trends over time cannot be computed.")
    else:
        first, last = dated.min().strftime("%Y-%m"), dated.max().strftime("%Y-%m")
        undated = int(frame["published"].isna().sum())
        ko.append(f"기간 {first}~{last}, 중복 제거 기사 {len(frame):,}건"
                  f"{f' (날짜 없는 {undated:,}건은 기간별 표에서 제외)' if undated else ''}; "
                  f"기간 단위: {freq_name(freq)}, 기간별 최소 n = {min_n}.")
        en.append(f"Span {first} to {last}, {len(frame):,} deduplicated articles"
                  f"{f' ({undated:,} undated, left out of the per-period tables)' if undated else ''}"
                  f"; period: {freq_name(freq, lang='en')}, minimum n per period {min_n}.")
        dropped = dropped_sentences(corpus, where=("01 코퍼스 개요 보고서 1절의 표",
                                                   "the tables of report 01, corpus overview, section 1"))
        if dropped:
            ko.append(dropped[0])
            en.append(dropped[1])
        per_period = topic_shares(tagged, freq=freq, base=base, min_n=min_n, regions=[a, b],
                                  both=both, dedup=dedup, alpha=alpha)
        shown = periods_shown(per_period)
        # With both cities too thin, the sentence on their coverage below says it all.
        if shown < MIN_TREND_PERIODS and len(thin) < 2:
            total = per_period["period"].nunique()
            # trend_test needs as many periods at min_n as a chart over time: none is tested.
            ko.append(f"한 도시라도 n ≥ {min_n}인 기간이 {total:,}개 중 {shown}개여서, 주제 "
                      "비중은 기간별 추세 대신 전체 기간으로 그립니다. 주제별 추세도 검정하지 "
                      f"않습니다 (n ≥ {min_n}인 기간이 {MIN_TREND_PERIODS}개 이상 필요).")
            en.append(f"{shown} of {total:,} periods give either city n >= {min_n}: topic "
                      "shares are drawn over the whole span, not as a trend. No topic trend is "
                      f"tested either (that needs {MIN_TREND_PERIODS} periods with n >= "
                      f"{min_n}).")
        periods_said = shown < MIN_TREND_PERIODS

    # Volume and smart-city share per city (pooled over everything, dated or not).
    for city, rows in counted.items():
        n_all, n_smart = len(rows), int(rows["smart_city"].sum())
        label_ko, label_en = region_label(city), region_label(city, lang="en")
        if n_all == 0:
            ko.append(f"{label_ko}: 이 도시로 태그된 기사가 없습니다.")
            en.append(f"{label_en}: no article was attributed to this city.")
            continue
        low, high = (float(x) for x in wilson_interval(n_smart, n_all, alpha=alpha))
        share = n_smart / n_all
        facts.append({"kind": "volume", "region": city, "topic": "", "value": share,
                      "ci_low": low, "ci_high": high, "n": n_all, "p_adjusted": np.nan})
        if n_all < max(min_n, 1):  # as the charts: no share of a handful of articles
            ko.append(f"{label_ko}: 스마트시티 기사 {n_smart:,}건 / 전체 {n_all:,}건 "
                      f"(n < {min_n}이라 비중은 내지 않습니다).")
            en.append(f"{label_en}: smart-city articles {n_smart:,} of {n_all:,} "
                      f"(n < {min_n}: no share given).")
            continue
        ko.append(f"{label_ko}: 스마트시티 기사 {n_smart:,}건 / 전체 {n_all:,}건 "
                  f"({percent_text(share)}, {percent_ci(low, high, level=level)}).")
        en.append(f"{label_en}: smart-city articles {n_smart:,} of {n_all:,} "
                  f"({percent_text(share)}, {level} CI {percent_text(low)}–{percent_text(high)}).")
    if thin:
        _thin_sentence(ko, en, thin, base=base, min_n=min_n)

    if not dated.empty:
        if not periods_said:
            _trend_sentences(tagged, ko, en, facts, cities=(a, b), freq=freq, base=base,
                             min_n=min_n, both=both, dedup=dedup, alpha=alpha, top=top,
                             skip=tuple(thin))
        if outlet_trends is not None and any(f["kind"].startswith("trend_") for f in facts):
            check(_outlet_trend_sentences, outlet_trends, ko, en, facts, cities=(a, b),
                  freq=freq)
        if corrected_trends is not None and any(f["kind"].startswith("trend_") for f in facts):
            check(_corrected_trend_sentences, corrected_trends, ko, en, facts, cities=(a, b),
                  freq=freq)
        if not thin:  # else the cities are not compared, and _thin_sentence said why
            _difference_sentences(tagged, ko, en, facts, a=a, b=b, freq=freq, base=base,
                                  min_n=min_n, both=both, dedup=dedup, alpha=alpha, top=top,
                                  cells_said=periods_said)
        if outlet_cells is not None:
            check(_outlet_cell_sentences, outlet_cells, ko, en, facts, a=a, b=b, freq=freq)
        if corrected_cells is not None:
            check(_corrected_cell_sentences, corrected_cells, ko, en, facts, a=a, b=b,
                  freq=freq)
        if outlet_check is not None and any(f["kind"] == "difference" for f in facts):
            check(_outlet_sentences, outlet_check, ko, en, facts, a=a, b=b, min_n=min_n)
        if corrected_differences is not None and any(f["kind"] == "difference" for f in facts):
            check(_corrected_sentences, corrected_differences, ko, en, facts, a=a, b=b)
    if rates is not None and len(rates):
        cited = [f["topic"] for f in facts if f["kind"] in ("trend_rising", "trend_falling",
                                                              "difference")]
        corrected = {"differences": any(f["kind"] in ("corrected_holds", "corrected_rests",
                                                      "corrected_cells") for f in facts),
                     "trends": any(f["kind"].startswith("corrected_trend_") for f in facts)}
        check(_reliability_sentences, ko, en, rates, list(dict.fromkeys(cited)),
              corrected=tuple(k for k, v in corrected.items() if v))
    if rates_by_city is not None and len(rates_by_city):
        if "region" not in rates_by_city.columns:
            raise KeyError("findings: rates_by_city needs a region column (rates per city)")
        check(_city_flag_sentences, ko, en, rates_by_city, a=a, b=b, alpha=alpha)
        differing = [f["topic"] for f in facts if f["kind"] == "difference"]
        check(_city_reliability_sentences, ko, en, rates_by_city,
              list(dict.fromkeys(differing)), a=a, b=b)
    return Findings(ko=ko, en=en, facts=pd.DataFrame(facts, columns=list(FACT_COLUMNS)), freq=freq,
                    ko_checks=tuple(ko_checks), en_checks=tuple(en_checks))


#: What each ``kind`` of a findings facts row states, with the units of ``value`` and its
#: interval (``ci_low, ci_high``) and what ``n`` counts.
#: The columns of ``Findings.facts``.
FACT_COLUMNS: tuple[str, ...] = ("kind", "region", "topic", "value", "ci_low", "ci_high", "n",
                                 "p_adjusted")
FACT_KINDS: dict[str, str] = {
    "typical_term": "a word typical of a city's smart-city articles against the other city's "
                    "(topic: the word; value: z of its weighted log-odds ratio, a ranking; n: "
                    "the city's articles using it)",
    "rising_term": "a word typical of a city's later period against its earlier one (topic: the "
                   "word; value: z; n: the later period's articles using it)",
    "falling_term": "a word typical of a city's earlier period against its later one (topic: "
                    "the word; value: z; n: the earlier period's articles using it)",
    "burst": "a run of months in which a topic's or word's share of a city's smart-city "
             "articles jumped (topic: the topic or word; value: burst strength; n: its "
             "articles in the burst)",
    "volume": "a city's smart-city articles as a share of all its articles (value: fraction, "
              "95% Wilson interval; n: the city's articles)",
    "trend_rising": "a topic whose share of a city's articles rose significantly (value: slope "
                    "in log-odds a year, its interval; n: the city's articles of the base)",
    "trend_falling": "a topic whose share of a city's articles fell significantly (value: slope "
                     "in log-odds a year, its interval; n: the city's articles of the base)",
    "detectable_trend": "no finding: the slope (log-odds a year, either way) the test of a "
                        "topic without a significant trend would find 80% of the time",
    "difference": "a topic whose whole-span share differs significantly between the cities, "
                  "first minus second (value: fraction, Newcombe interval; n: both cities)",
    "detectable": "no finding: the smallest whole-span difference (fraction) the test of a "
                  "topic that does not differ would find 80% of the time",
    "outlet_holds": "a difference that holds against the outlets (value: the difference, "
                    "interval: outlets as clusters)",
    "outlet_rests": "a difference that rests on one outlet or on few (value: the difference, "
                    "interval: outlets as clusters)",
    "outlet_trend_holds": "a trend that holds against the outlets and within them (value: "
                          "slope, interval: outlets as clusters)",
    "outlet_trend_rests": "a trend that rests on an outlet or on the mix of outlets (value: "
                          "slope, interval: outlets as clusters)",
    "corrected_holds": "a difference that keeps its side with both cities' shares corrected "
                       "for tagging error (value: corrected difference, its interval)",
    "corrected_rests": "a difference whose corrected interval includes 0 (value: corrected "
                       "difference, its interval)",
    "corrected_trend_holds": "a trend that keeps its direction with each period's shares "
                             "corrected with the tagging error rates of its era (value: "
                             "corrected slope, share a year, its interval)",
    "corrected_trend_rests": "a trend whose corrected slope's interval includes 0 or that cannot "
                             "be corrected (value: corrected slope, share a year, its interval)",
    "share_trend": "notebook 01: a city's smart-city share of its articles over the periods "
                   "(value: slope in log-odds a year, its interval; p_adjusted over the two "
                   "cities; n: the city's articles)",
    "share_difference": "notebook 01: the smart-city share of the first city minus the "
                        "second's over the whole span (value: fraction, Newcombe interval; "
                        "p_adjusted: the score test's p; n: both cities)",
    "outlet_cells": "period cells of the difference that hold against the outlets (value: how "
                    "many hold; n: significant cells)",
    "corrected_cells": "period cells of the difference that keep their side with both cities' "
                       "shares corrected for tagging error (value: how many; n: significant "
                       "cells)",
}


def export_findings(found: Findings, path: str | os.PathLike[str]) -> Path:
    """Write every number the findings cite to one CSV (``write_csv``): the facts' columns and
    ``meaning``, what each row's kind states (:data:`FACT_KINDS`). Returns the path."""
    table = found.facts.assign(meaning=found.facts["kind"].map(FACT_KINDS).fillna(""),
                               freq=found.freq)
    return write_csv(table, path)


#: A topic tag with F1 below this (on the labelled articles behind ``reliability``) is named in
#: the findings as one to read with care.
WEAK_TAG_F1 = 0.7


#: A city difference whose topic tag was measured on fewer labelled stories of either city, or
#: whose tag F1 differs this much between the cities, is named as one the tag may explain.
FEW_CITY_LABELS = 10
CITY_F1_GAP = 0.2


def _tag_scores(rates: pd.DataFrame, region: str | None = None) -> pd.DataFrame:
    """Per topic of the error counts ``rates`` (of one city's rows when ``region`` is given):
    ``tp, fp, fn``, ``n_true`` (labelled articles with the topic) and ``f1``."""
    part = rates[rates["tag"] == "topic"]
    if region is not None:
        part = part[part["region"] == region]
    counts = part.groupby("value")[["tp", "fp", "fn"]].sum()
    counts["n_true"] = counts["tp"] + counts["fn"]
    scored = 2 * counts["tp"] + counts["fp"] + counts["fn"]
    counts["f1"] = (2 * counts["tp"] / scored.where(scored > 0)).astype(float)
    return counts


def _city_reliability_sentences(ko: list[str], en: list[str], rates_by_city: pd.DataFrame,
                                cited: Sequence[str], *, a: str, b: str) -> None:
    """The cited city differences whose topic tag errs differently in the two cities, or was
    measured on few of one city's stories."""
    per_city = {city: _tag_scores(rates_by_city, city) for city in (a, b)}
    flagged_ko, flagged_en = [], []
    for topic in cited:
        stats = {city: ((int(c.at[topic, "n_true"]), float(c.at[topic, "f1"]))
                        if topic in c.index else (0, float("nan")))
                 for city, c in per_city.items()}
        (n_a, f1_a), (n_b, f1_b) = stats[a], stats[b]
        gap = abs(f1_a - f1_b) if np.isfinite(f1_a) and np.isfinite(f1_b) else float("inf")
        if min(n_a, n_b) < FEW_CITY_LABELS or gap >= CITY_F1_GAP:
            f1_text = {c: "–" if not np.isfinite(f) else f"{f:.2f}"
                       for c, (_, f) in stats.items()}
            flagged_ko.append(f"{topic_label(topic)} ({region_label(a)} F1 {f1_text[a]}, n={n_a}; "
                              f"{region_label(b)} {f1_text[b]}, n={n_b})")
            flagged_en.append(f"{topic_label(topic, lang='en')} ({region_label(a, lang='en')} F1 "
                              f"{f1_text[a]}, n={n_a}; {region_label(b, lang='en')} {f1_text[b]}, "
                              f"n={n_b})")
    if flagged_ko:
        ko.append(f"두 도시 차이 중 태그 F1이 도시마다 {CITY_F1_GAP:.2f} 이상 다르거나 한 도시의 "
                  f"라벨이 {FEW_CITY_LABELS}건 미만인 주제(차이의 일부가 태그 탓일 수 있음): "
                  + "; ".join(flagged_ko) + ".")
        en.append(f"City differences whose topic tag's F1 differs by {CITY_F1_GAP:.2f} or more "
                  f"between the two cities, or was measured on fewer than {FEW_CITY_LABELS} "
                  "labelled stories of one (part of the difference may be the tag's): "
                  + "; ".join(flagged_en) + ".")


def _city_flag_sentences(ko: list[str], en: list[str], rates_by_city: pd.DataFrame, *,
                         a: str, b: str, alpha: float) -> None:
    """How often the smart-city flag finds each city's smart-city stories (recall, with its
    Wilson interval) and how often its flags are right, from the ``smart_city`` rows of
    ``rates_by_city``; nothing when it has none. The findings' per-city smart-city counts are
    the flag's, so a city whose stories it misses more is undercounted more."""
    flag = rates_by_city[(rates_by_city["tag"] == "smart_city")
                         & (rates_by_city["value"].astype(str).str.lower() == "true")]
    # The counts are of labelled stories, not of this corpus's articles (unless the labels are
    # the user's own): each item says whose, so "145건" is not read as this corpus's.
    own = bool(rates_by_city.attrs.get("labels_file"))
    whose_ko, whose_en = ("직접 라벨한", "you labelled") if own else ("라벨된", "labelled")
    parts_ko, parts_en = [], []
    level = f"{1 - alpha:.0%}"
    for city in (a, b):
        counts = flag.loc[flag["region"] == city, ["tp", "fp", "fn"]].sum()
        tp, fp, fn = (int(counts[c]) for c in ("tp", "fp", "fn"))
        if not tp + fn:
            continue
        low, high = (float(x) for x in wilson_interval(tp, tp + fn, alpha=alpha))
        right = percent_text(tp / (tp + fp)) if tp + fp else "–"
        found = f"{percent_text(tp / (tp + fn))} ({percent_text(low)}–{percent_text(high)})"
        parts_ko.append(f"{whose_ko} {region_label(city)} 스마트시티 기사 {tp + fn}건 기준 재현율 "
                        f"{percent_text(tp / (tp + fn))} "
                        f"({percent_ci(low, high, level=level)}), 정밀도 {right}")
        stories = (f"smart-city stories {whose_en}" if own
                   else f"{whose_en} smart-city stories")
        parts_en.append(f"{region_label(city, lang='en')}: it finds {found} of {tp + fn} "
                        f"{stories}, {right} of its flags right")
    if not parts_en:
        return
    basis_ko, basis_en = _rates_basis(rates_by_city)
    basis_ko, basis_en = ((f"{basis_ko}, 각 도시로 태그된 기사",
                           f"{basis_en}, articles attributed to each city") if own else
                          ("이 코퍼스가 아니라 프로젝트의 실제 뉴스 라벨 기준: 학습에 쓰지 않은 "
                           "라벨 기사 중 각 도시로 태그된 기사",
                           "on the project's held-out labelled real news, not on this corpus: "
                           "labelled articles attributed to each city"))
    ko.append(f"도시별 스마트시티 태그 성능 ({basis_ko}): "
              + "; ".join(parts_ko) + ". 위 스마트시티 기사 수는 태그를 그대로 센 "
              "값이라, 태그가 놓치는 기사가 많은 도시일수록 더 적게 세어집니다.")
    en.append(f"How far the smart-city flag holds per city ({basis_en}; {level} CI in "
              "parentheses): " + "; ".join(parts_en) + ". The smart-city "
              "counts above are the flag's as given: a city whose stories it misses more is "
              "undercounted more.")


def _rates_basis(rates: pd.DataFrame) -> tuple[str, str]:
    """What error ``rates`` were measured on, in Korean and English: the user's own labels
    (``labels_file`` in their attrs) or the held-out real news."""
    if rates.attrs.get("labels_file"):
        return (f"이 코퍼스 기사 {rates.attrs.get('n_labelled', '?')}건의 직접 라벨, "
                f"{rates.attrs['labels_file']}",
                f"your own labels of {rates.attrs.get('n_labelled', '?')} articles, "
                f"{rates.attrs['labels_file']}")
    return ("이 코퍼스가 아니라 프로젝트의 실제 뉴스 라벨 기준, 학습에 쓰지 않은 것",
            "on the project's held-out labelled real news, not on this corpus")


#: Where the findings' reliability sentence points for shares corrected for tagging error.
_CORRECT_HINT_KO = "태그 오류를 보정한 비중은 02번 노트북 1절: CORRECT=1, 도시별 오류율은 CORRECT=city"
_CORRECT_HINT_EN = ("notebook 02, section 1, shows the shares corrected for tagging error with "
                    "CORRECT=1, or CORRECT=city for each city's own rates")


def _reliability_sentences(ko: list[str], en: list[str], rates: pd.DataFrame,
                           cited: Sequence[str], *, corrected: Sequence[str] = ()) -> None:
    """How far the topic tags hold, overall and for the topics the findings cite, and which
    findings were also tested corrected for tagging error (``differences``, ``trends``)."""
    table = _tag_scores(rates)
    tp, given, true = (int(table[c].sum()) for c in ("tp", "fp", "n_true"))
    given += tp
    precision = tp / given if given else float("nan")
    recall = tp / true if true else float("nan")
    basis_ko, basis_en = _rates_basis(rates)
    weak = [(k, float(table.at[k, "f1"])) for k in cited
            if k in table.index and np.isfinite(table.at[k, "f1"])
            and round(float(table.at[k, "f1"]), 2) < WEAK_TAG_F1]
    ko_text = (f"주제 태그 성능 ({basis_ko}): 스마트시티로 태그된 기사에서 주제 태그 정밀도 "
               f"{percent_text(precision)}, 재현율 {percent_text(recall)}.")
    en_text = (f"How far the tags hold ({basis_en}): on articles tagged smart-city, topic tags "
               f"have precision {percent_text(precision)} and recall {percent_text(recall)}.")
    if weak:
        ko_text += (f" 위에 나온 주제 중 태그 F1이 {WEAK_TAG_F1:.2f} 미만인 주제(해석 주의): "
                    + ", ".join(f"{topic_label(k)} ({f:.2f})" for k, f in weak) + ".")
        en_text += (f" Of the topics cited above, read with care (tag F1 below {WEAK_TAG_F1:.2f}): "
                    + ", ".join(f"{topic_label(k, lang='en')} ({f:.2f})" for k, f in weak) + ".")
    if corrected:
        names = [{"differences": "도시 간 차이", "trends": "추세"}[k] for k in corrected]
        what_ko = " ".join([*(attach_particle(w, "과") for w in names[:-1]), names[-1]])
        what_en = " and ".join({"differences": "the city differences",
                                "trends": "the trends"}[k] for k in corrected)
        ko.append(ko_text + f" 위 비중과 검정은 태그를 그대로 센 값이고, "
                  f"{attach_particle(what_ko, '는')} 오류 보정 뒤에도 검정했습니다 "
                  f"({_CORRECT_HINT_KO}).")
        en.append(en_text + f" The shares and tests above count the tags as given; {what_en} "
                  f"are also tested corrected, above ({_CORRECT_HINT_EN}).")
        return
    ko.append(ko_text + f" 위 비중과 검정은 태그를 그대로 센 값입니다 ({_CORRECT_HINT_KO}).")
    en.append(en_text + f" The shares and tests above count the tags as given ({_CORRECT_HINT_EN}).")


def _trend_sentences(tagged: pd.DataFrame, ko: list[str], en: list[str],
                     facts: list[dict[str, object]], *, cities: Sequence[str], freq: str,
                     base: str, min_n: int, both: str, dedup: bool, alpha: float,
                     top: int, skip: Sequence[str] = ()) -> None:
    """Per city, the topics whose share rose or fell significantly (``trend_test``), or why
    none was tested; nothing for the cities in ``skip`` (whose too few articles are said
    once, by ``_thin_sentence``)."""
    table = trend_test(tagged, freq=freq, base=base, min_n=min_n, regions=list(cities),
                       both=both, dedup=dedup, alpha=alpha)
    base_ko = "스마트시티 기사 중" if base == "smart_city" else "전체 기사 중"
    base_en = "of smart-city articles" if base == "smart_city" else "of all articles"
    level = f"{1 - alpha:.0%}"
    reaches: list[tuple[str, int, float, float]] = []
    for city in (c for c in cities if c not in skip):
        part = table[table["region"] == city]
        label_ko, label_en = region_label(city), region_label(city, lang="en")
        tested = part[part["p_value"].notna()]
        if tested.empty:
            reasons = sorted(set(part["note"]) - {""})
            ko.append(f"{label_ko}: 주제별 추세를 검정할 수 없습니다 "
                      f"({'; '.join(note_ko(r) for r in reasons)}).")
            en.append(f"{label_en}: topic trends cannot be tested ({'; '.join(reasons)}).")
            continue
        moved = tested[tested["significant"]].sort_values("slope", key=np.abs, ascending=False)
        quiet = tested[~tested["significant"]]
        reach = detectable_slope(quiet, alpha=alpha, power=DETECT_POWER).dropna()
        for j, value in reach.items():
            facts.append({"kind": "detectable_trend", "region": city,
                          "topic": quiet.at[j, "topic"], "value": value, "ci_low": np.nan,
                          "ci_high": np.nan, "n": int(quiet.at[j, "n_total"]),
                          "p_adjusted": quiet.at[j, "p_adjusted"]})
        if len(reach):
            reaches.append((city, len(reach), math.exp(reach.min()), math.exp(reach.max())))
        if moved.empty:
            ko.append(f"{label_ko}: 비중이 유의하게 늘거나 줄어든 주제가 없습니다 "
                      f"(검정한 주제 {len(tested)}개 모두 BH 보정 p값 ≥ {alpha}).")
            en.append(f"{label_en}: no topic's share rose or fell significantly "
                      f"({len(tested)} topics tested, none with adjusted p < {alpha}).")
            continue
        for direction, word_ko, word_en in (("rising", "증가", "rose"),
                                            ("falling", "감소", "fell")):
            picked = moved[moved["direction"] == direction]
            if picked.empty:
                continue
            items_ko, items_en, more_ko, more_en = [], [], [], []
            for rank, (_, row) in enumerate(picked.iterrows()):
                facts.append({"kind": f"trend_{direction}", "region": city,
                              "topic": row["topic"], "value": row["slope"],
                              "ci_low": row["ci_low"], "ci_high": row["ci_high"],
                              "n": int(row["n_total"]), "p_adjusted": row["p_adjusted"]})
                if rank >= top:
                    span = f"{percent_text(row['share_start'])} → {percent_text(row['share_end'])}"
                    more_ko.append(f"{topic_label(row['topic'])} {span}")
                    more_en.append(f"{topic_label(row['topic'], lang='en')} {span}")
                    continue
                or_lo, or_hi = math.exp(row["ci_low"]), math.exp(row["ci_high"])
                items_ko.append(
                    f"{topic_label(row['topic'])} {percent_text(row['share_start'])}에서 "
                    f"{percent_text(row['share_end'])}로 (연간 오즈비 {row['odds_ratio']:.2f}, "
                    f"{ci_text(f'{or_lo:.2f}', f'{or_hi:.2f}', level=level)}; "
                    f"n={row['n_total']:,}, {p_text(row['p_adjusted'])})")
                items_en.append(
                    f"{topic_label(row['topic'], lang='en')} {percent_text(row['share_start'])} to "
                    f"{percent_text(row['share_end'])} (odds x{row['odds_ratio']:.2f} a year, "
                    f"{or_lo:.2f}-{or_hi:.2f}; n={row['n_total']:,}, {p_text(row['p_adjusted'], 'en')})")
            _say_ranked(ko, en, (items_ko, items_en), (more_ko, more_en),
                        heads=(f"{label_ko}에서 {base_ko} 비중이 {word_ko}한 주제 (n ≥ {min_n}인 "
                               f"처음과 끝 기간 {_span(picked, freq)}의 적합값",
                               f"{label_en}: topics whose share {base_en} {word_en} (fitted, "
                               f"first to last period with n >= {min_n}: {_span(picked, freq)}"),
                        largest=(f"; 유의한 {len(picked)}개 중 가파른 {top}개",
                                 f"; the {top} steepest of {len(picked)}"))
    if reaches:
        _trend_reach_sentence(reaches, ko, en)


def dropped_sentences(corpus: Corpus | None, *, where: tuple[str, str]) -> tuple[str, str] | None:
    """One sentence in Korean and in English saying how many files the loader could not read
    (``corpus.refused``) and how many records it left out (``corpus.rejects``), and ``where``
    (Korean, English) their reasons are listed; None when nothing was dropped or there is no
    ``corpus``. The findings of notebooks 01 and 02 open with it, so the first screen does not
    hide what the analysis left out."""
    if corpus is None:
        return None
    n_files, n_records = len(corpus.refused), len(corpus.rejects)
    if not n_files and not n_records:
        return None
    # Of the records read, and the commonest reason: 38% of a download without dates is not
    # a detail to find in a table further down.
    n_read = n_records + len(corpus.articles)
    share = f"{n_records / n_read:.0%}" if n_read else ""
    reasons = (corpus.rejects["reason"].astype(str).value_counts()
               if n_records and "reason" in corpus.rejects else pd.Series(dtype=int))
    top_ko = top_en = ""
    if len(reasons) and reasons.iloc[0] > 1:  # a reason shared by several records
        top_ko = f"; 가장 많은 사유: {reasons.index[0]} {int(reasons.iloc[0]):,}건"
        top_en = f"; the commonest reason: {reasons.index[0]} ({int(reasons.iloc[0]):,})"
    said_ko = "고 ".join(filter(None, (
        f"파일 {n_files:,}개를 읽지 못했" if n_files else "",
        f"레코드 {n_records:,}건(읽은 레코드의 {share}{top_ko})을 제외했" if n_records else "")))
    files_en = f"{n_files:,} file{'s' if n_files != 1 else ''} could not be read"
    records_en = (f"{n_records:,} record{'s were' if n_records != 1 else ' was'} left out "
                  f"({share} of the records read{top_en})")
    said_en = " and ".join(filter(None, (files_en if n_files else "",
                                         records_en if n_records else "")))
    return (f"{said_ko}습니다 (사유는 {where[0]}).",
            f"{said_en[0].upper()}{said_en[1:]} (the reasons are in {where[1]}).")


def _thin_sentence(ko: list[str], en: list[str], thin: dict[str, int], *, base: str,
                   min_n: int) -> None:
    """One sentence for the cities with fewer than ``min_n`` articles of the base (``thin``:
    city and its n): the corpus covers them too little for topic shares, so a reader need not
    infer it from the tables left empty, and the two cities are not compared (the whole-span
    comparison needs ``min_n`` in both: this says it, with the n, in place of
    ``_difference_sentences``)."""
    names_ko = "·".join(f"{region_label(city)}(n={n:,})" for city, n in thin.items())
    names_en = " and ".join(f"{region_label(city, lang='en')} (n={n:,})"
                            for city, n in thin.items())
    if base == "smart_city":
        ko.append(f"이 코퍼스에는 {names_ko}의 스마트시티 보도가 너무 적어 (스마트시티 기사 "
                  f"{min_n}건 미만) 주제 비중을 낼 수 없고, 두 도시를 비교하지 않았습니다.")
        en.append(f"This corpus has too little smart-city coverage of {names_en} for topic "
                  f"shares (fewer than {min_n} smart-city articles): the cities are not "
                  "compared.")
        return
    ko.append(f"이 코퍼스에는 {names_ko}의 기사가 너무 적어 (기사 {min_n}건 미만) 주제 비중을 "
              "낼 수 없고, 두 도시를 비교하지 않았습니다.")
    en.append(f"This corpus has too few articles of {names_en} for topic shares (fewer than "
              f"{min_n}): the cities are not compared.")


def _span(rows: pd.DataFrame, freq: str) -> str:
    """``2018H1–2025H2``: the periods whose fitted shares ``trend_test`` rows give (one city's
    rows share them, its periods with ``min_n`` articles), labelled as the tables label them;
    several spans are joined by commas."""
    spans = rows[["period_start", "period_end"]].drop_duplicates()
    return ", ".join("–".join(trends.period_labels(pd.Series([a, b]), freq=freq))
                     for a, b in spans.itertuples(index=False))


def _say_ranked(ko: list[str], en: list[str], items: tuple[list[str], list[str]],
                more: tuple[list[str], list[str]], *, heads: tuple[str, str],
                largest: tuple[str, str]) -> None:
    """Append a sentence listing significant results, Korean and English: ``heads`` opens it
    up to its parenthesis, ``items`` are detailed, ``more`` (the ones beyond the detailed)
    are named after ``also:``, and ``largest`` (``; the 3 largest of 7``) is said only then."""
    for lines, head, detailed, named, note, word in zip(
            (ko, en), heads, items, more, largest, ("그 밖에", "also"), strict=True):
        lines.append(f"{head}{note if named else ''}): " + "; ".join(detailed)
                     + (f"; {word}: " + "; ".join(named) if named else "") + ".")


def _trend_reach_sentence(reaches: list[tuple[str, int, float, float]], ko: list[str],
                          en: list[str]) -> None:
    """Per city, how large a trend its topics without a significant one would have shown
    (odds ratios a year, from ``detectable_slope``)."""
    def span(low: float, high: float) -> str:
        return f"{low:.2f}" if f"{low:.2f}" == f"{high:.2f}" else f"{low:.2f}–{high:.2f}"

    def span_ko(count: int, low: float, high: float) -> str:
        if f"{low:.2f}" == f"{high:.2f}":
            return f"{count}개 주제 {low:.2f}"
        return f"{count}개 주제, 주제에 따라 {low:.2f}~{high:.2f}"

    power = f"{DETECT_POWER:.0%}"
    items_ko = [f"{region_label(city)} {span_ko(count, low, high)}"
                for city, count, low, high in reaches]
    items_en = [f"{region_label(city, lang='en')} ({count} topic{'s' if count > 1 else ''}) "
                f"x{span(low, high)} a year" for city, count, low, high in reaches]
    ko.append(f"유의한 추세가 없는 주제에서 검정력 {power}로 검출할 수 있었던 최소 추세(연간 오즈비, "
              "감소는 그 역수, 다중비교 보정 전): " + "; ".join(items_ko) + ". 이보다 완만한 변화는 "
              "있더라도 검출되지 않았을 수 있습니다.")
    en.append(f"Topics without a significant trend would have shown one of this size {power} of "
              "the time (odds ratio, up or down by its inverse; before adjustment over topics): "
              + "; ".join(items_en) + ". A slower change may exist unseen.")


def _difference_sentences(tagged: pd.DataFrame, ko: list[str], en: list[str],
                          facts: list[dict[str, object]], *, a: str, b: str, freq: str,
                          base: str, min_n: int, both: str, dedup: bool, alpha: float,
                          top: int, cells_said: bool = False) -> None:
    """The whole-span differences of the two cities and how many period cells differ. With
    ``cells_said`` the findings have said already that the periods are too thin to show: no
    sentence then counts the cells when none could be tested."""
    label_a_ko, label_b_ko = region_label(a), region_label(b)
    label_a_en, label_b_en = region_label(a, lang="en"), region_label(b, lang="en")
    overall = compare_regions(tagged, freq=ALL_PERIODS, a=a, b=b, base=base, min_n=min_n,
                              both=both, dedup=dedup, alpha=alpha)
    tested = overall[~overall["too_few"]]
    if tested.empty:
        n_a = int(overall["n_a"].max()) if len(overall) else 0
        n_b = int(overall["n_b"].max()) if len(overall) else 0
        ko.append(f"{label_a_ko}(n={n_a})·{label_b_ko}(n={n_b}) 중 한쪽의 기사가 {min_n}건 "
                  "미만이어서 두 도시를 비교하지 않았습니다.")
        en.append(f"{label_a_en} (n={n_a}) or {label_b_en} (n={n_b}) has fewer than {min_n} "
                  "articles: the cities are not compared.")
        return
    hits = tested[tested["significant"]].sort_values("diff", key=np.abs, ascending=False)
    if hits.empty:
        ko.append(f"전체 기간에서 {attach_particle(label_a_ko, '과')} {label_b_ko}의 주제 "
                  f"비중은 유의하게 다르지 않습니다 (검정한 주제 {len(tested)}개 모두 BH 보정 p값 ≥ "
                  f"{alpha}).")
        en.append(f"Over the whole span no topic's share differs significantly between "
                  f"{label_a_en} and {label_b_en} ({len(tested)} topics tested, none with "
                  f"adjusted p < {alpha}).")
    else:
        items_ko, items_en, more_ko, more_en = [], [], [], []
        level = f"{1 - alpha:.0%}"
        for rank, (_, row) in enumerate(hits.iterrows()):
            diff_pp = f"{row['diff'] * 100:+.0f}%p [{row['ci_low'] * 100:+.0f}, " \
                      f"{row['ci_high'] * 100:+.0f}]"
            diff_ko = points_ci(row["diff"], row["ci_low"], row["ci_high"], level=level)
            facts.append({"kind": "difference", "region": f"{a}-{b}", "topic": row["topic"],
                          "value": row["diff"], "ci_low": row["ci_low"],
                          "ci_high": row["ci_high"], "n": int(row["n_a"] + row["n_b"]),
                          "p_adjusted": row["p_adjusted"]})
            if rank >= top:
                more_ko.append(f"{topic_label(row['topic'])} {diff_ko}")
                more_en.append(f"{topic_label(row['topic'], lang='en')} "
                               f"{diff_pp.replace('%p', ' points')}")
                continue
            items_ko.append(
                f"{topic_label(row['topic'])} {label_a_ko} {percent_text(row['share_a'])} "
                f"(n={row['n_a']:,}) 대 {label_b_ko} {percent_text(row['share_b'])} (n={row['n_b']:,}), "
                f"차이 {diff_ko}, {p_text(row['p_adjusted'])}")
            items_en.append(
                f"{topic_label(row['topic'], lang='en')}: {label_a_en} {percent_text(row['share_a'])} "
                f"(n={row['n_a']:,}) vs {label_b_en} {percent_text(row['share_b'])} (n={row['n_b']:,}), "
                f"difference {diff_pp.replace('%p', ' points')}, {p_text(row['p_adjusted'], 'en')}")
        _say_ranked(ko, en, (items_ko, items_en), (more_ko, more_en),
                    heads=(f"전체 기간에서 두 도시가 유의하게 다른 주제 ({label_a_ko} {MINUS} {label_b_ko}",
                           "Topics whose share differs significantly over the whole span "
                           f"({label_a_en} minus {label_b_en}"),
                    largest=(f"; 유의한 {len(hits)}개 중 차이가 큰 {top}개",
                             f"; the {top} largest of {len(hits)}"))
    _detectable_sentence(tested[~tested["significant"]], ko, en, facts, a=a, b=b, alpha=alpha)
    cells = compare_regions(tagged, freq=freq, a=a, b=b, base=base, min_n=min_n, both=both,
                            dedup=dedup, alpha=alpha)
    n_tested = int((~cells["too_few"]).sum())
    n_sig = int(cells["significant"].sum())
    if not n_tested:
        if not cells_said:  # say why once; never "0 of 0 cells"
            ko.append(f"{freq_name(freq)}별로는 두 도시가 동시에 n ≥ {min_n}인 기간이 없어 "
                      "기간별 차이는 검정하지 않았습니다.")
            en.append(f"Per {freq_name(freq, lang='en')}, no cell has n >= {min_n} in both "
                      "cities: no per-period difference is tested.")
        return
    ko.append(f"{freq_name(freq)}별로는 검정한 주제·기간 조합 {n_tested}개 중 {n_sig}개에서 유의한 "
              f"차이가 있습니다 (두 도시가 동시에 n ≥ {min_n}인 기간만 검정).")
    en.append(f"Per {freq_name(freq, lang='en')}, {n_sig} of {n_tested} tested cells differ "
              f"significantly (only cells where both cities have n >= {min_n} are tested).")


#: The power at which ``findings`` states the smallest difference a comparison could find.
DETECT_POWER = 0.8


def _detectable_sentence(quiet: pd.DataFrame, ko: list[str], en: list[str],
                         facts: list[dict[str, object]], *, a: str, b: str, alpha: float) -> None:
    """For the whole-span differences that are not significant: the smallest difference the
    two cities' counts would find with :data:`DETECT_POWER` (``detectable_difference`` at each
    topic's pooled share), so that "no difference" is read with its reach."""
    if quiet.empty:
        return
    values = []
    for _, row in quiet.iterrows():
        n = int(row["n_a"] + row["n_b"])
        value = detectable_difference(int(row["n_a"]), int(row["n_b"]),
                                      (row["n_docs_a"] + row["n_docs_b"]) / n,
                                      alpha=alpha, power=DETECT_POWER)
        values.append(value)
        facts.append({"kind": "detectable", "region": f"{a}-{b}", "topic": row["topic"],
                      "value": value, "ci_low": np.nan, "ci_high": np.nan, "n": n,
                      "p_adjusted": row["p_adjusted"]})
    known = pd.Series(values, dtype=float).dropna()
    if known.empty:
        return
    low, high = known.min() * 100, known.max() * 100
    reach = f"{low:.0f}" if round(low) == round(high) else f"{low:.0f}–{high:.0f}"
    power = f"{DETECT_POWER:.0%}"
    reach_ko = (f"{low:.0f}%p" if round(low) == round(high)
                else f"주제에 따라 {low:.0f}~{high:.0f}%p")
    ko.append(f"유의한 차이가 없는 주제 {len(quiet)}개: 현재 기사 수로 검정력 {power}로 검출할 수 있는 "
              f"최소 차이는 {reach_ko}입니다(다중비교 보정 전 값이므로 실제로는 이보다 약간 큼). "
              "이보다 작은 차이는 있더라도 검출되지 않았을 수 있습니다.")
    en.append(f"For the {len(quiet)} topics that do not differ significantly, these counts would "
              f"find a difference of {reach} points {power} of the time (depending on the topic's "
              "share; before adjustment over topics, so a little more is needed): a smaller "
              "difference may exist unseen.")


def _outlet_sentences(table: pd.DataFrame, ko: list[str], en: list[str],
                      facts: list[dict[str, object]], *, a: str, b: str, min_n: int) -> None:
    """Whether the significant whole-span differences rest on one outlet (the outlet check)."""
    require_whole_span(table, "findings: outlet_check (a check per period goes in "
                              "outlet_cells)")
    if (table.attrs.get("a", a), table.attrs.get("b", b)) != (a, b):
        raise ValueError(f"findings: the outlet check compares {table.attrs.get('a')} and "
                         f"{table.attrs.get('b')}, the findings {a} and {b}")
    hits = table[table["significant"]].sort_values("diff", key=np.abs, ascending=False)
    n_outlets = int(table["n_outlets"].max()) if len(table) else 0
    if n_outlets < int(table.attrs.get("min_outlets", 5)):
        ko.append(f"언론사 점검: 두 도시 기사의 언론사가 {n_outlets}곳뿐이어서, 차이가 특정 "
                  "언론사에 기대는지 점검하지 않았습니다.")
        en.append(f"Outlet check: the two cities' articles come from {n_outlets} outlets, too "
                  "few to check whether a difference rests on one of them.")
        return
    held = hits[hits["holds"]]
    rest = hits[~hits["holds"]]
    base_ko, base_en = (("스마트시티 기사", "smart-city ") if table.attrs.get("base", "smart_city")
                        == "smart_city" else ("기사", ""))
    ko_line = f"언론사 점검 (두 도시 {base_ko}를 낸 언론사 {n_outlets}곳): " + _held_ko(
        "유의한 차이", len(hits), len(held),
        "어느 언론사 하나를 빼도, 언론사를 군집으로 본 신뢰구간(CR2, t 분포)으로도 유지됩니다",
        "어느 언론사 하나를 빼거나 언론사를 군집으로 본 신뢰구간(CR2, t 분포)으로 보면 유지되지 "
        "않습니다")
    en_line = (f"Outlet check ({n_outlets} outlets with {base_en}articles of the two cities): "
               f"{len(held)} of {len(hits)} significant "
               "differences hold with any one outlet left out and with outlets as clusters "
               "(CR2 interval on t)")
    if len(held):
        ko_line += " (" + ", ".join(topic_label(t) for t in held["topic"]) + ")"
        en_line += " (" + ", ".join(topic_label(t, lang="en") for t in held["topic"]) + ")"
    items_ko, items_en = [], []
    for _, row in rest.iterrows():
        label_ko, label_en = topic_label(row["topic"]), topic_label(row["topic"], lang="en")
        outlet = row["swing_outlet"]
        if np.isnan(row["loo_min"]):
            why_ko = (f"{outlet} 제외 시 한 도시 기사가 {min_n}건 미만" if outlet
                      else "언론사 군집 불가")
            items_ko.append(f"{label_ko} ({why_ko})")
            items_en.append(f"{label_en} ({row['note']})")
            continue
        why_ko, why_en = [], []
        if not row["loo_significant"]:
            without = f"{row['swing_diff'] * 100:+.0f}"
            why_ko.append(f"{outlet} 제외 시 {signed_text(row['swing_diff'] * 100)}%p, 유의하지 않음")
            why_en.append(f"without {outlet}: {without} points, not significant")
        if row["cluster_low"] <= 0 <= row["cluster_high"]:
            span = f"[{row['cluster_low'] * 100:+.0f}, {row['cluster_high'] * 100:+.0f}]"
            span_ko = (f"{signed_text(row['cluster_low'] * 100)}~"
                       f"{signed_text(row['cluster_high'] * 100)}%p")
            why_ko.append(f"언론사 군집 신뢰구간({span_ko})이 0을 포함")
            why_en.append(f"outlet-clustered interval {span} points includes 0")
        items_ko.append(f"{label_ko} ({', '.join(why_ko)})")
        items_en.append(f"{label_en} ({', '.join(why_en)})")
    _say_check(ko, en, ko_line, en_line, items_ko, items_en, heading_ko="유지되지 않는 차이")
    _check_facts(facts, hits.assign(region=f"{a}-{b}", n=hits["n_a"] + hits["n_b"]),
                 kind="outlet", holds="holds", value="diff", low="cluster_low", high="cluster_high")


def _outlet_cell_sentences(table: pd.DataFrame, ko: list[str], en: list[str],
                           facts: list[dict[str, object]], *, a: str, b: str, freq: str) -> None:
    """How many significant period cells of the city difference hold against the outlets
    (``outlet_check`` per period), and why the others do not, counted by reason."""
    require_same_comparison(table, freq=freq, a=a, b=b, what="findings: outlet_cells")
    hits = table[table["significant"]]
    if hits.empty:
        return
    n_outlets = int(table["n_outlets"].max())
    name_ko, name_en = freq_name(freq), freq_name(freq, lang="en")
    if n_outlets < int(table.attrs.get("min_outlets", 5)):
        ko.append(f"{name_ko}별 주제·기간 조합의 언론사 점검: 언론사가 {n_outlets}곳뿐이어서 하지 "
                  "않았습니다.")
        en.append(f"Outlet check of the {name_en} cells: {n_outlets} outlets, too few to check.")
        return
    held = int(hits["holds"].sum())
    rest = hits[~hits["holds"]]
    heavy = int(rest["loo_min"].isna().sum())
    resting = int((rest["loo_min"].notna() & ~rest["loo_significant"]).sum())
    wide = int((rest["cluster_low"].le(0) & rest["cluster_high"].ge(0)).sum())
    line_ko = f"{name_ko}별 주제·기간 조합의 언론사 점검: " + _held_ko(
        "유의한 조합", len(hits), held,
        "어느 언론사 하나를 빼도, 언론사를 군집으로 보아도 유지됩니다",
        "어느 언론사 하나를 빼거나 언론사를 군집으로 보면 유지되지 않습니다")
    line_en = (f"Outlet check of the {name_en} cells: {held} of {len(hits)} significant cells "
               "hold with any one outlet left out and with outlets as clusters")
    reasons = [(heavy, "한 언론사가 한 도시 기사 거의 전부를 씀",
                "where one outlet writes nearly all of a city's articles"),
               (resting, "한 언론사를 빼면 유의하지 않음", "not significant without one outlet"),
               (wide, "언론사 군집 신뢰구간이 0을 포함",
                "whose outlet-clustered interval includes 0")]
    _say_cells(ko, en, facts, (line_ko, line_en), reasons, kind="outlet_cells",
               region=f"{a}-{b}", held=held, n=len(hits))


def _corrected_cell_sentences(table: pd.DataFrame, ko: list[str], en: list[str],
                              facts: list[dict[str, object]], *, a: str, b: str,
                              freq: str) -> None:
    """How many significant period cells of the city difference keep their side with both
    cities' shares corrected for tagging error (``accuracy.corrected_difference`` per period),
    and why the others do not, counted by reason."""
    require_same_comparison(table, freq=freq, a=a, b=b, what="findings: corrected_cells")
    hits = table[table["significant"]]
    if hits.empty:
        return
    rates_ko, rates_en = _rates_words(table)
    name_ko, name_en = freq_name(freq), freq_name(freq, lang="en")
    held = int(hits["holds_corrected"].sum())
    rest = hits[~hits["holds_corrected"]]
    # Rates too uncertain: the interval spans -1 to 1 (and no corrected point is given).
    unsure = rest["ci_low_corrected"].le(-1) & rest["ci_high_corrected"].ge(1)
    missing = rest["diff_corrected"].isna() & ~unsure
    line_ko = f"{name_ko}별 주제·기간 조합의 태그 오류 보정: " + _held_ko(
        "유의한 조합", len(hits), held,
        f"두 도시의 비중을 {rates_ko} 보정해도 같은 쪽에 남습니다",
        f"두 도시의 비중을 {rates_ko} 보정하면 같은 쪽에 남지 않습니다")
    line_en = (f"Tagging-error check of the {name_en} cells: {held} of {len(hits)} significant "
               f"cells keep their side with both cities' shares corrected ({rates_en})")
    notes = rest.loc[missing, "correction_note"].value_counts()
    reasons = [(int((~missing & ~unsure).sum()), "오류 보정 후 신뢰구간이 0을 포함",
                "whose corrected interval includes 0"),
               (int(unsure.sum()), "오류율이 너무 불확실해 보정하지 못함",
                "whose error rates are too uncertain"),
               *((int(n), f"보정 불가: {correction_note_ko(note)}", f"not corrected: {note}")
                 for note, n in notes.items())]
    _say_cells(ko, en, facts, (line_ko, line_en), reasons, kind="corrected_cells",
               region=f"{a}-{b}", held=held, n=len(hits))


def _say_cells(ko: list[str], en: list[str], facts: list[dict[str, object]],
               lines: tuple[str, str], reasons: Sequence[tuple[int, str, str]], *, kind: str,
               region: str, held: int, n: int) -> None:
    """A check of the period cells: its sentence (``lines``), the cells that do not pass
    counted by reason (``(count, Korean, English)``; reasons no cell has are left out), and
    a fact of ``kind`` (value: the cells that pass; n: the significant cells)."""
    why_ko = [f"{reason_ko} {count}개" for count, reason_ko, _ in reasons if count]
    why_en = [f"{count} {reason_en}" for count, _, reason_en in reasons if count]
    _say_check(ko, en, *lines, why_ko, why_en, heading_ko="유지되지 않는 이유")
    facts.append({"kind": kind, "region": region, "topic": "", "value": held,
                  "ci_low": np.nan, "ci_high": np.nan, "n": n, "p_adjusted": np.nan})


def _outlet_trend_sentences(table: pd.DataFrame, ko: list[str], en: list[str],
                            facts: list[dict[str, object]], *, cities: Sequence[str],
                            freq: str) -> None:
    """Whether the significant trends rest on one outlet or on the mix of outlets."""
    hits = _checked_trends(table, cities=cities, freq=freq, what="outlet_trends")
    if hits.empty:
        return
    minimum = int(table.attrs.get("min_outlets", 5))
    held, rest = hits[hits["holds"]], hits[~hits["holds"]]
    name = _trend_name

    ko_line = "언론사 점검 (추세): " + _held_ko(
        "유의한 추세", len(hits), len(held),
        "어느 언론사 하나를 빼도, 언론사를 군집으로 보아도, 언론사 내에서 보아도(언론사 구성 "
        "변화를 뺀 추세) 유지됩니다",
        "어느 언론사 하나를 빼거나, 언론사를 군집으로 보거나, 언론사 내에서 보면(언론사 구성 "
        "변화를 뺀 추세) 유지되지 않습니다")
    en_line = (f"Outlet check of the trends: {len(held)} of {len(hits)} significant trends hold "
               "with any one outlet left out, with outlets as clusters, and within outlets "
               "(a change in the mix of outlets taken out)")
    if len(held):
        ko_line += " (" + ", ".join(name(r) for _, r in held.iterrows()) + ")"
        en_line += " (" + ", ".join(name(r, "en") for _, r in held.iterrows()) + ")"
    items_ko, items_en = [], []
    for _, row in rest.iterrows():
        why_ko, why_en = _trend_rest_reasons(row, minimum=minimum)
        items_ko.append(f"{name(row)} ({', '.join(why_ko)})")
        items_en.append(f"{name(row, 'en')} ({', '.join(why_en)})")
    _say_check(ko, en, ko_line, en_line, items_ko, items_en, heading_ko="유지되지 않는 추세")
    _check_facts(facts, hits.assign(n=hits["n_total"]), kind="outlet_trend", holds="holds",
                 value="slope", low="cluster_low", high="cluster_high")


def _rates_words(table: pd.DataFrame) -> tuple[str, str]:
    """Which error rates a ``corrected_difference`` table corrected with, in Korean and
    English."""
    if table.attrs.get("rates") == "by city":
        return "각 도시의 태그 오류율로", "each city's own error rates"
    return "태그 오류율로", "the pooled error rates"


def _corrected_sentences(table: pd.DataFrame, ko: list[str], en: list[str],
                         facts: list[dict[str, object]], *, a: str, b: str) -> None:
    """Whether the significant whole-span differences survive correcting both cities' shares
    for tagging error (``accuracy.corrected_difference``)."""
    pairs = set(zip(table["a"], table["b"], strict=True)) if len(table) else {(a, b)}
    if pairs != {(a, b)} or (len(table) and set(table["period"].astype(str)) != {ALL_PERIODS}):
        raise ValueError(f"findings: corrected_differences must be of the whole-span "
                         f"comparison of {a} and {b} (compare_regions(freq='all'))")
    hits = table[table["significant"]].sort_values("diff", key=np.abs, ascending=False)
    if hits.empty:
        return
    rates_ko, rates_en = _rates_words(table)
    held = hits[hits["holds_corrected"]]

    def interval(row: pd.Series) -> str:
        return (f"{row['diff_corrected'] * 100:+.0f}%p [{row['ci_low_corrected'] * 100:+.0f}, "
                f"{row['ci_high_corrected'] * 100:+.0f}]")

    level = f"{1 - table.attrs.get('alpha', 0.05):.0%}"

    def interval_ko(row: pd.Series) -> str:
        return points_ci(row["diff_corrected"], row["ci_low_corrected"], row["ci_high_corrected"],
                         level=level)

    items = [(row, interval(row) if np.isfinite(row["diff_corrected"]) else "")
             for _, row in hits.iterrows()]
    kept_ko = [f"{topic_label(r['topic'])} {interval_ko(r)}" for r, _ in items
               if r["holds_corrected"]]
    kept_en = [f"{topic_label(r['topic'], lang='en')} {text.replace('%p', ' points')}"
               for r, text in items if r["holds_corrected"]]
    # The Korean says apart the differences whose corrected interval includes 0 and those that
    # could not be corrected at all (error rates too uncertain, or a note saying why).
    wide_ko, unsure_ko, uncorrected_ko, lost_en = [], [], [], []
    for r, text in items:
        if r["holds_corrected"]:
            continue
        if r["ci_low_corrected"] <= -1 and r["ci_high_corrected"] >= 1:  # no corrected point
            unsure_ko.append(topic_label(r["topic"]))
            lost_en.append(f"{topic_label(r['topic'], lang='en')} (error rates too uncertain "
                           "to correct)")
        elif not text:
            uncorrected_ko.append(f"{topic_label(r['topic'])} "
                                  f"({correction_note_ko(r['correction_note'])})")
            lost_en.append(f"{topic_label(r['topic'], lang='en')} (not corrected: "
                           f"{r['correction_note']})")
        else:
            wide_ko.append(f"{topic_label(r['topic'])} {interval_ko(r)}")
            lost_en.append(f"{topic_label(r['topic'], lang='en')} {text.replace('%p', ' points')}")
    ko_line = "태그 오류 보정: " + _held_ko(
        "전체 기간의 유의한 차이", len(hits), len(held),
        f"두 도시의 비중을 {rates_ko} 보정해도 신뢰구간이 0을 벗어납니다",
        _lost_ko(f"두 도시의 비중을 {rates_ko} 보정하면 유지되지 않습니다",
                 f"두 도시의 비중을 {rates_ko} 보정할 수 없어 판단할 수 없습니다",
                 failed=bool(wide_ko), unsure=bool(unsure_ko or uncorrected_ko)))
    en_line = (f"Corrected for tagging error ({rates_en}): {len(held)} of {len(hits)} significant "
               "whole-span differences keep an interval that excludes 0")
    if kept_ko:
        ko_line += " (" + "; ".join(kept_ko) + ")"
        en_line += " (" + "; ".join(kept_en) + ")"
    _say_check(ko, en, ko_line, en_line, [], lost_en, heading_ko="", sections_ko=(
        ("오류 보정 후 신뢰구간이 0을 포함하는 차이", wide_ko),
        ("오류율이 너무 불확실해 보정하지 못한 차이", unsure_ko),
        ("보정하지 못한 차이", uncorrected_ko)))
    _check_facts(facts, hits.assign(region=f"{a}-{b}", n=hits["n_a"] + hits["n_b"]),
                 kind="corrected", holds="holds_corrected", value="diff_corrected",
                 low="ci_low_corrected", high="ci_high_corrected")


def _checked_trends(table: pd.DataFrame, *, cities: Sequence[str], freq: str,
                    what: str) -> pd.DataFrame:
    """The significant trends of the cities in a check of the trends (``what``, named in the
    error when the check is of another period length), steepest first."""
    if table.attrs.get("freq", freq) != freq:
        raise ValueError(f"findings: {what} is by {table.attrs['freq']!r}, the findings by "
                         f"{freq!r}")
    hits = table[table["significant"] & table["region"].isin(list(cities))]
    return hits.sort_values("slope", key=np.abs, ascending=False)


def _trend_name(row: pd.Series, lang: str = "ko") -> str:
    """``세종 모빌리티·교통``: a trend's city and topic."""
    return f"{region_label(row['region'], lang=lang)} {topic_label(row['topic'], lang=lang)}"


def _corrected_trend_sentences(table: pd.DataFrame, ko: list[str], en: list[str],
                               facts: list[dict[str, object]], *, cities: Sequence[str],
                               freq: str) -> None:
    """Whether the significant trends stay beyond chance, on the same side, with each period
    corrected for the tagging error rates of its era (``accuracy.corrected_trends``)."""
    hits = _checked_trends(table, cities=cities, freq=freq, what="corrected_trends")
    if hits.empty:
        return
    eras = ", ".join(table.attrs.get("eras", []))
    if not eras:
        ko.append("태그 오류 보정 (추세): 날짜가 있는 라벨 기사가 없어 시기별 오류율로 "
                  "점검하지 못했습니다.")
        en.append("Corrected for tagging error that changes over the years: not checked, no "
                  "labelled article has a date to give error rates per era.")
        return
    name = _trend_name

    def slope(row: pd.Series, lang: str) -> str:
        if not np.isfinite(row["ci_low_corrected"]):
            note = row["correction_note"] or "–"
            if lang == "ko":
                return f"보정 불가: {correction_note_ko(note)}"
            return f"not corrected: {note}"
        if lang == "ko":
            return "연 " + points_ci(row["slope_corrected"], row["ci_low_corrected"],
                                     row["ci_high_corrected"], digits=1,
                                     level=f"{1 - table.attrs.get('alpha', 0.05):.0%}")
        text = (f"{row['slope_corrected'] * 100:+.1f} points "
                f"[{row['ci_low_corrected'] * 100:+.1f}, {row['ci_high_corrected'] * 100:+.1f}]")
        return f"{text} a year"

    kept = hits[hits["holds_corrected"]]
    lost = hits[~hits["holds_corrected"]]
    fitted = np.isfinite(lost["ci_low_corrected"].astype(float))
    # Eras as the Korean writes a span of years: 2005~2019.
    eras_ko = re.sub(r"(\d{4})\s*[-–]\s*(\d{4})", r"\1~\2", eras)
    ko_line = "태그 오류 보정 (추세): " + _held_ko(
        "유의한 추세", len(hits), len(kept),
        "각 기간의 비중을 그 시기에 측정한 태그 오류율로 보정해도 신뢰구간이 같은 쪽에서 0을 "
        "벗어납니다",
        _lost_ko("각 기간의 비중을 그 시기에 측정한 태그 오류율로 보정하면 신뢰구간이 0을 "
                 "포함합니다 (방향은 같을 수 있으나 유의하지 않음)",
                 "그 시기의 태그 오류율로 보정할 수 없어 판단할 수 없습니다",
                 failed=bool(fitted.any()), unsure=bool((~fitted).any()))
    ) + f" (시기: {eras_ko}; 보정한 비중의 직선 기울기"
    en_line = (f"Corrected for tagging error that changes over the years (error rates measured "
               f"in {eras}): {len(kept)} of {len(hits)} significant trends keep an interval that "
               "excludes 0 on the same side (slope of a straight line through the corrected "
               "shares")
    if len(kept):
        ko_line += ": " + "; ".join(f"{name(r)} {slope(r, 'ko')}" for _, r in kept.iterrows())
        en_line += ": " + "; ".join(f"{name(r, 'en')} {slope(r, 'en')}"
                                    for _, r in kept.iterrows())
    _say_check(ko, en, ko_line + ")", en_line + ")", [],
               [f"{name(r, 'en')} ({slope(r, 'en')})" for _, r in lost.iterrows()],
               heading_ko="", sections_ko=(
                   ("오류 보정 후 신뢰구간이 0을 포함하는 추세",
                    [f"{name(r)} {slope(r, 'ko')}" for _, r in lost[fitted].iterrows()]),
                   ("보정하지 못한 추세",
                    [f"{name(r)} ({correction_note_ko(r['correction_note']) or '–'})"
                     for _, r in lost[~fitted].iterrows()])))
    _check_facts(facts, hits.assign(n=hits["n_total"]), kind="corrected_trend",
                 holds="holds_corrected", value="slope_corrected", low="ci_low_corrected",
                 high="ci_high_corrected")


def _say_check(ko: list[str], en: list[str], line_ko: str, line_en: str, lost_ko: list[str],
               lost_en: list[str], *, heading_ko: str,
               sections_ko: Sequence[tuple[str, list[str]]] = ()) -> None:
    """Append a check's sentence: its line, then the findings that do not pass it (in Korean
    under ``heading_ko``, or under each heading of ``sections_ko`` that has findings, when the
    findings fail it for different reasons)."""
    if lost_ko:
        line_ko += f"; {heading_ko}: " + "; ".join(lost_ko)
    for heading, items in sections_ko:
        if items:
            line_ko += f"; {heading}: " + ", ".join(items)
    if lost_en:
        line_en += "; not: " + "; ".join(lost_en)
    ko.append(line_ko + ".")
    en.append(line_en + ".")


def _check_facts(facts: list[dict[str, object]], hits: pd.DataFrame, *, kind: str, holds: str,
                 value: str, low: str, high: str) -> None:
    """A facts row per checked finding (``hits``: ``region, topic, n, p_adjusted`` and the
    named columns): ``<kind>_holds`` or ``<kind>_rests``."""
    for _, row in hits.iterrows():
        facts.append({"kind": f"{kind}_holds" if row[holds] else f"{kind}_rests",
                      "region": row["region"], "topic": row["topic"], "value": row[value],
                      "ci_low": row[low], "ci_high": row[high], "n": int(row["n"]),
                      "p_adjusted": row["p_adjusted"]})


def _trend_rest_reasons(row: pd.Series, *, minimum: int) -> tuple[list[str], list[str]]:
    """Why a significant trend of ``outlet_trend_check`` does not hold, in Korean and English."""
    if row["n_outlets"] < minimum:
        return ([f"언론사 {row['n_outlets']}곳뿐이라 점검 못 함"],
                [f"{row['n_outlets']} outlets, too few to check"])
    why_ko, why_en = [], []
    outlet = row["swing_outlet"]
    if not row["loo_significant"]:
        if np.isfinite(row["swing_slope"]):
            odds = f"{math.exp(row['swing_slope']):.2f}"
            why_ko.append(f"{outlet} 제외 시 연간 오즈비 {odds}, 유의하지 않음")
            why_en.append(f"without {outlet}: odds x{odds} a year, not significant")
        else:
            why_ko.append(f"{outlet} 제외 시 추세를 적합할 수 없음")
            why_en.append(f"without {outlet} the trend cannot be fitted")
    for low, high, ko_name, en_name in (
            ("cluster_low", "cluster_high", "언론사 군집 신뢰구간", "outlet-clustered interval"),
            ("within_low", "within_high", "언론사 내 추세의 신뢰구간", "within-outlet interval")):
        if np.isnan(row[low]):
            why_ko.append(f"{ko_name} 없음")
            why_en.append(f"no {en_name}")
        elif row[low] <= 0 <= row[high] or np.sign(row[low]) != np.sign(row["slope"]):
            span = f"[{math.exp(row[low]):.2f}, {math.exp(row[high]):.2f}]"
            span_ko = f"(오즈비 {math.exp(row[low]):.2f}~{math.exp(row[high]):.2f})"
            why_ko.append(f"{ko_name}{span_ko}이 1을 포함" if row[low] <= 0 <= row[high]
                          else f"{ko_name}{span_ko}이 반대 방향")
            why_en.append(f"{en_name} {span} includes 1" if row[low] <= 0 <= row[high]
                          else f"{en_name} {span} points the other way")
    if row["within_low"] <= 0 <= row["within_high"] and row["loo_significant"]:
        why_ko.append("언론사 구성 변화로 보임")
        why_en.append("the mix of outlets changed")
    return why_ko, why_en


def percent_text(value: float) -> str:
    """A fraction as the findings cite it: ``62%`` (``–`` when missing)."""
    return "–" if value is None or not np.isfinite(value) else f"{value * 100:.0f}%"


def p_text(value: float, lang: str = "ko", *, adjusted: bool = True) -> str:
    """A p-value as cited in the findings (``BH 보정 p값 = 0.023``; ``p < 0.001`` unadjusted)."""
    name = "p" if not adjusted else ("BH 보정 p값" if lang == "ko" else "adjusted p")
    return f"{name} < 0.001" if value < 0.001 else f"{name} = {value:.3f}"


#: The minus sign of negative numbers and of differences in the Korean sentences (U+2212), not
#: the hyphen. (The charts keep the hyphen: their font, NanumGothic, has no U+2212.)
MINUS = "\u2212"


def signed_text(value: float, digits: int = 0) -> str:
    """A signed number as the Korean sentences write it: ``+12``, ``−3`` (U+2212)."""
    return f"{value:+.{digits}f}".replace("-", MINUS)


def ci_text(low: str, high: str, unit: str = "", *, level: str = "95%") -> str:
    """An interval as the Korean sentences cite it, the unit once: ``95% 신뢰구간 1.10~1.48``."""
    return f"{level} 신뢰구간 {low}~{high}{unit}"


def percent_ci(low: float, high: float, *, level: str = "95%") -> str:
    """The interval of a share: ``95% 신뢰구간 57~67%`` (``–`` for a missing bound)."""
    def number(value: float) -> str:
        return "–" if value is None or not np.isfinite(value) else f"{value * 100:.0f}"

    return ci_text(number(low), number(high), "%", level=level)


def points_ci(value: float, low: float, high: float, *, level: str = "95%",
              digits: int = 0) -> str:
    """A difference of shares with its interval, in percentage points:
    ``+12%p (95% 신뢰구간 +5~+19%p)``, minus signs U+2212."""
    return (f"{signed_text(value * 100, digits)}%p ("
            + ci_text(signed_text(low * 100, digits), signed_text(high * 100, digits), "%p",
                      level=level) + ")")


def _lost_ko(failed_text: str, unsure_text: str, *, failed: bool, unsure: bool) -> str:
    """What :func:`_held_ko` says of the findings that do not pass a correction: that they do
    not hold (``failed``: corrected, the interval reaches 0), that it cannot tell (``unsure``:
    no correction could be made), or both."""
    if failed and unsure:
        return failed_text.removesuffix("습니다") + "거나 판단할 수 없습니다"
    return unsure_text if unsure else failed_text


def _held_ko(what: str, n: int, held: int, kept: str, lost: str) -> str:
    """How many of ``n`` findings (``what``: ``유의한 차이``) pass a check, in Korean:
    ``유의한 차이 3개 중 2개는 {kept}``; when all or none pass, ``… 3개 모두 {kept}`` or
    ``… 3개 모두 {lost}`` (never "3개 중 0개"); ``… 1개는 …`` for a single one."""
    if n == 1:
        return f"{what} 1개는 {kept if held else lost}"
    if held == n:
        return f"{what} {n}개 모두 {kept}"
    if held == 0:
        return f"{what} {n}개 모두 {lost}"
    return f"{what} {n}개 중 {held}개는 {kept}"
