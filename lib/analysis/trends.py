"""Counts and shares over time, with their denominators and 95% Wilson intervals.

Every function takes the *tagged* articles table (the canonical ``articles`` columns plus
``region``, ``smart_city`` and ``topics``, a tuple of topic keys, from
``lib.tagging.tag_articles(...).articles``) and returns a tidy long table with fixed column names:

- ``count_articles``   -> ``period, region, n_articles``
- ``smart_city_share`` -> ``period, region, n_docs, n_total, share, ci_low, ci_high, too_few``
- ``topic_counts``     -> ``region, topic, n_docs, n_total, share, ci_low, ci_high``

Periods are labelled by their first day (``QS``: 2021-01-01, 2021-04-01, ...). Articles
without a date (``published`` is NaT) cannot be placed in a period and are left out of the
period tables; ``count_undated`` says how many. Duplicates (``is_duplicate``) are dropped by
default so a syndicated story counts once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pandas.tseries.frequencies import to_offset
from pandas.tseries.offsets import MonthBegin
from statsmodels.stats.proportion import proportion_confint

from lib.vocabulary import NEITHER, as_topic_keys, get_vocabulary

COUNT_COLUMNS: tuple[str, ...] = ("period", "region", "n_articles")
SHARE_COLUMNS: tuple[str, ...] = (
    "period",
    "region",
    "n_docs",
    "n_total",
    "share",
    "ci_low",
    "ci_high",
    "too_few",
)
#: The ``freq`` (and period label) of a table that pools the whole span into one period.
ALL_PERIODS = "all"

TOPIC_COUNT_COLUMNS: tuple[str, ...] = (
    "region",
    "topic",
    "n_docs",
    "n_total",
    "share",
    "ci_low",
    "ci_high",
)


def wilson_interval(
    k: int | float | Sequence[float] | np.ndarray | pd.Series,
    n: int | float | Sequence[float] | np.ndarray | pd.Series,
    *,
    alpha: float = 0.05,
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for ``k`` successes out of ``n`` trials, element-wise.

    Returns ``(low, high)`` as float arrays of the broadcast shape of ``k`` and ``n``
    (0-d arrays for scalar input). Where ``n`` is 0 both bounds are NaN: an empty bin has
    no proportion, and drawing it as [0, 1] would read as data. ``alpha=0.05`` gives 95%.
    """
    k_arr = np.asarray(k, dtype=float)
    n_arr = np.asarray(n, dtype=float)
    k_arr, n_arr = np.broadcast_arrays(k_arr, n_arr)
    if np.any(k_arr < 0) or np.any(k_arr > n_arr):
        raise ValueError("wilson_interval needs 0 <= k <= n for every element")
    low = np.full(k_arr.shape, np.nan)
    high = np.full(k_arr.shape, np.nan)
    ok = n_arr > 0
    if np.any(ok):
        lo, hi = proportion_confint(k_arr[ok], n_arr[ok], alpha=alpha, method="wilson")
        # Clip float noise so that low <= k/n <= high holds exactly at k=0 and k=n.
        low[ok] = np.clip(np.minimum(lo, k_arr[ok] / n_arr[ok]), 0.0, 1.0)
        high[ok] = np.clip(np.maximum(hi, k_arr[ok] / n_arr[ok]), 0.0, 1.0)
    return low, high


def period_start(published: pd.Series, *, freq: str = "QS") -> pd.Series:
    """The first day of each date's period (``freq``: ``W-MON``, ``MS``, ``QS``, ``6MS``
    (half-years from January and July), ``YS``, ``D``).

    NaT stays NaT. Works for any pandas offset alias that has a ``rollback``; month blocks
    longer than one month (``6MS``, ``2MS``) start in January, so half-years are H1 and H2.
    """
    offset = to_offset(freq)
    days = pd.to_datetime(published).dt.normalize()
    uniq = days.dropna().unique()
    if isinstance(offset, MonthBegin) and offset.n > 1:
        step = offset.n
        mapping = {
            day: pd.Timestamp(year=day.year, month=(day.month - 1) // step * step + 1, day=1)
            for day in uniq
        }
    else:
        mapping = {day: offset.rollback(day) for day in uniq}
    return days.map(mapping).astype("datetime64[ns]")


def count_undated(tagged: pd.DataFrame, *, dedup: bool = True) -> int:
    """How many (deduplicated) articles have no date and so sit in no period."""
    frame = prepare_tagged(tagged, dedup=dedup)
    return int(frame["published"].isna().sum())


def period_labels(periods: pd.Series, *, freq: str = "QS") -> pd.Series:
    """Readable period names: ``2021Q1`` for quarters, ``2021-03`` for months, ``2021H1`` for
    half-years (``6MS``), ``2021`` for years, the start date otherwise (weeks: their Monday).
    With ``freq="all"`` (one period spanning the corpus) every label is ``all``."""
    if str(freq).lower() == ALL_PERIODS:
        return pd.Series([ALL_PERIODS] * len(periods), index=getattr(periods, "index", None),
                         dtype=object)
    periods = pd.Series(pd.to_datetime(periods))
    code = freq.upper()
    offset = to_offset(freq)
    if isinstance(offset, MonthBegin) and offset.n == 6:
        half = np.where(periods.dt.month <= 6, "H1", "H2")
        return periods.dt.year.astype(str) + pd.Series(half, index=periods.index)
    if code.startswith("Q"):
        return periods.dt.year.astype(str) + "Q" + periods.dt.quarter.astype(str)
    if code.startswith("M"):
        return periods.dt.strftime("%Y-%m")
    if code.startswith(("Y", "A")):
        return periods.dt.strftime("%Y")
    return periods.dt.strftime("%Y-%m-%d")


def trim_thin_edges(table: pd.DataFrame, *, regions: Sequence[str] | None = None) -> pd.DataFrame:
    """A per-period table (``period``, ``region``, ``n_total``, ``too_few``: the shares of
    :func:`smart_city_share` or ``topic_shares``; ``n_articles`` instead of ``n_total``: a
    topic model's prevalence; or ``period``, ``n_a``, ``n_b``, ``too_few``:
    a ``compare_regions`` table of two cities) without the periods at its start and at its end
    in which no region of ``regions`` (default: every region) reaches the minimum n (in a
    comparison: in which not both cities reach it).

    A real corpus often opens with a few years of a handful of articles: drawn, they would take
    most of a chart's width as hatching. The periods between the first and the last readable
    one are all kept, thin or not; a table with no readable period is returned whole. The rows
    are the table's own (a copy); ``attrs`` keep the table's and add ``thin_edges``, one
    ``(first period, last period, articles)`` per run cut, the articles counted once per
    period and region of ``regions``."""
    edges: list[tuple[pd.Timestamp, pd.Timestamp, int]] = []
    pair = "region" not in table.columns
    shown = table if regions is None or pair else table[table["region"].isin(list(regions))]
    # freq="all" (one period, labelled "all") has no edges to cut.
    readable = (shown.loc[~shown["too_few"].astype(bool), "period"]
                if len(table) and table["period"].dtype != object else pd.Series(dtype=object))
    if readable.empty:
        out = table.copy()
    else:
        first, last = readable.min(), readable.max()
        cells = shown.drop_duplicates(["period"] if pair else ["period", "region"])
        # A topic model's prevalence table counts its articles as n_articles.
        articles = (cells["n_a"] + cells["n_b"] if pair
                    else cells["n_total" if "n_total" in cells.columns else "n_articles"])
        for cut in (cells["period"] < first, cells["period"] > last):
            if cut.any():
                edges.append((cells.loc[cut, "period"].min(), cells.loc[cut, "period"].max(),
                              int(articles[cut].sum())))
        out = table[(table["period"] >= first) & (table["period"] <= last)].reset_index(drop=True)
    out.attrs = {**table.attrs, "thin_edges": edges}
    return out


def _with_freq(table: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Record the period length on a per-period table, so charts label periods as tables do."""
    table.attrs["freq"] = freq
    return table


def _binned(tagged: pd.DataFrame, *, freq: str, dedup: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Dated articles with their ``period``, and the full period × region grid (empty when none).

    With ``freq="all"`` every article, dated or not, sits in the one period ``all``."""
    frame = prepare_tagged(tagged, dedup=dedup)
    if str(freq).lower() == ALL_PERIODS:
        if frame.empty:
            return frame, frame
        frame = frame.assign(period=ALL_PERIODS)
        grid = pd.DataFrame({"period": ALL_PERIODS, "region": _region_order(frame["region"])})
        return frame, grid
    frame = frame[frame["published"].notna()]
    if frame.empty:
        return frame, frame
    frame = frame.assign(period=period_start(frame["published"], freq=freq))
    return frame, _grid(frame, freq=freq)


def count_articles(tagged: pd.DataFrame, *, freq: str = "QS", dedup: bool = True) -> pd.DataFrame:
    """Articles per period and region: ``period, region, n_articles``.

    Every period between the first and last dated article is present for every region,
    with 0 where nothing was published, so a gap reads as a gap and not as a missing row.
    ``dedup=True`` counts each story once (drops ``is_duplicate`` rows).
    """
    frame, grid = _binned(tagged, freq=freq, dedup=dedup)
    if frame.empty:
        return _empty(COUNT_COLUMNS)
    counts = frame.groupby(["period", "region"], observed=True).size().rename("n_articles")
    out = grid.join(counts, on=["period", "region"]).fillna({"n_articles": 0})
    out["n_articles"] = out["n_articles"].astype("int64")
    out = _with_freq(out[list(COUNT_COLUMNS)].reset_index(drop=True), freq)
    if str(freq).lower() != ALL_PERIODS:
        out.attrs["dates"] = (frame["published"].min(), frame["published"].max())
    return out


#: A first or last period whose days the corpus's dates cover less than this share of is
#: partial (:func:`partial_periods`).
PARTIAL_COVER = 0.9


def partial_periods(table: pd.DataFrame) -> dict[str, tuple[pd.Timestamp, pd.Timestamp]]:
    """The first and last period of a :func:`count_articles` table that the corpus covers only
    in part: ``{"first": (period, first date), "last": (period, last date)}`` for each edge
    whose days from the period's start to its end are less than :data:`PARTIAL_COVER` covered
    by the corpus's dates (a download that stops on 7 March makes its year's count look like a
    fall). Empty without ``attrs["dates"]``."""
    dates, freq = table.attrs.get("dates"), table.attrs.get("freq")
    if not dates or not freq or table.empty:
        return {}
    first_date, last_date = (pd.Timestamp(d).tz_localize(None) if pd.Timestamp(d).tzinfo
                             else pd.Timestamp(d) for d in dates)
    periods = sorted(pd.unique(table["period"]))
    step = to_offset(freq)
    out = {}
    for edge, period in (("first", pd.Timestamp(periods[0])), ("last", pd.Timestamp(periods[-1]))):
        end = period + step
        days = (end - period).days
        covered = ((end - first_date.normalize()).days if edge == "first"
                   else (last_date.normalize() - period).days + 1)
        if days > 0 and covered / days < PARTIAL_COVER:
            out[edge] = (period, first_date if edge == "first" else last_date)
    return out


def smart_city_share(
    tagged: pd.DataFrame,
    *,
    freq: str = "QS",
    min_n: int = 10,
    dedup: bool = True,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """The share of each region's articles that are about smart-city work, per period.

    Returns ``period, region, n_docs, n_total, share, ci_low, ci_high, too_few`` where
    ``n_total`` is the region's (deduplicated) articles in the period, ``n_docs`` those
    tagged ``smart_city``, ``share = n_docs / n_total`` (a fraction in [0, 1]) and
    ``ci_low``/``ci_high`` the Wilson interval at level ``1 - alpha``. Bins with
    ``n_total < min_n`` have ``too_few=True`` and NaN share and interval: they are shown
    as "too few", never as 0. ``freq="all"`` pools the whole span, undated articles too, into
    one period labelled ``all``: the shares to show when no two periods hold ``min_n`` articles.
    """
    frame, grid = _binned(tagged, freq=freq, dedup=dedup)
    if frame.empty:
        return _empty(SHARE_COLUMNS)
    agg = frame.groupby(["period", "region"], observed=True).agg(
        n_docs=("smart_city", "sum"), n_total=("smart_city", "size")
    )
    out = grid.join(agg, on=["period", "region"]).fillna({"n_docs": 0, "n_total": 0})
    out["n_docs"] = out["n_docs"].astype("int64")
    out["n_total"] = out["n_total"].astype("int64")
    out["too_few"] = out["n_total"] < max(int(min_n), 1)
    add_share(out, alpha=alpha)
    out.loc[out["too_few"], ["share", "ci_low", "ci_high"]] = np.nan
    out.attrs["min_n"] = int(min_n)
    return _with_freq(out[list(SHARE_COLUMNS)].reset_index(drop=True), freq)


def topic_counts(
    tagged: pd.DataFrame,
    *,
    by: str | Sequence[str] = "region",
    freq: str = "QS",
    dedup: bool = True,
    smart_city_only: bool = True,
    topics: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """How many of each group's smart-city articles carry each topic label.

    ``by`` names the grouping columns (``"region"``, or ``["period", "region"]`` with
    ``freq``). For every group and every topic (``topics`` when given, else every label seen
    in the input) returns ``n_docs`` (articles carrying the label), ``n_total`` (the group's
    smart-city articles, or all its articles with ``smart_city_only=False``), ``share`` and
    its Wilson interval. An article with several labels counts once under each, so shares
    within a group may add up to more than 1. Rows are sorted by group, then ``n_docs``
    descending, then topic name.
    """
    by_cols = [by] if isinstance(by, str) else list(by)
    columns = (*by_cols, *TOPIC_COUNT_COLUMNS[1:])
    frame = prepare_tagged(tagged, dedup=dedup, keep=[c for c in by_cols if c != "period"])
    if "period" in by_cols:
        frame = frame[frame["published"].notna()]
        frame = frame.assign(period=period_start(frame["published"], freq=freq))
    if smart_city_only:
        frame = frame[frame["smart_city"]]
    if frame.empty:
        return _empty(columns)
    missing = [c for c in by_cols if c not in frame.columns]
    if missing:
        raise KeyError(f"topic_counts: no column(s) {missing} to group by")

    exploded = frame[by_cols].assign(topic=frame["topics"]).explode("topic")
    exploded = exploded[exploded["topic"].notna()]
    if topics is None:
        known = get_vocabulary().topic_keys
        found = set(exploded["topic"])
        topics = [t for t in known if t in found] + sorted(found - set(known))
    topics = list(dict.fromkeys(topics))

    totals = frame.groupby(by_cols, observed=True).size().rename("n_total").reset_index()
    if not topics:
        return _empty(columns)
    grid = totals.merge(pd.DataFrame({"topic": topics}), how="cross")
    hits = exploded.groupby([*by_cols, "topic"], observed=True).size().rename("n_docs")
    out = grid.join(hits, on=[*by_cols, "topic"]).fillna({"n_docs": 0})
    out["n_docs"] = out["n_docs"].astype("int64")
    out["n_total"] = out["n_total"].astype("int64")
    add_share(out, alpha=alpha)
    if "region" in by_cols:
        out["region"] = pd.Categorical(
            out["region"], categories=_region_order(out["region"]), ordered=True
        )
    out = out.sort_values(
        [*by_cols, "n_docs", "topic"], ascending=[True] * len(by_cols) + [False, True]
    )
    if "region" in by_cols:
        out["region"] = out["region"].astype(str)
    return out[list(columns)].reset_index(drop=True)


def add_share(out: pd.DataFrame, *, alpha: float) -> None:
    """Add ``share, ci_low, ci_high`` from ``n_docs``/``n_total`` in place (NaN where n=0)."""
    n_total = out["n_total"].to_numpy(dtype=float)
    n_docs = out["n_docs"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_total > 0, n_docs / np.where(n_total > 0, n_total, 1), np.nan)
    low, high = wilson_interval(n_docs, n_total, alpha=alpha)
    out["share"] = share
    out["ci_low"] = low
    out["ci_high"] = high


def prepare_tagged(
    tagged: pd.DataFrame, *, dedup: bool, keep: Sequence[str] = ()
) -> pd.DataFrame:
    """The columns the trend functions read, with missing tags filled in.

    A corpus that has not been tagged (no ``region``/``smart_city``/``topics`` column) or
    whose tags are NaN still counts: such articles are ``neither`` region, not smart-city,
    and carry no topics.
    """
    frame = pd.DataFrame(index=tagged.index)
    if "published" in tagged.columns:
        frame["published"] = pd.to_datetime(tagged["published"], errors="coerce")
    else:
        frame["published"] = pd.Series(pd.NaT, index=tagged.index, dtype="datetime64[ns]")
    region = tagged["region"] if "region" in tagged.columns else None
    frame["region"] = (
        NEITHER if region is None else region.astype(object).where(region.notna(), NEITHER)
    )
    frame["region"] = frame["region"].astype(str).replace("", NEITHER)
    smart = tagged["smart_city"] if "smart_city" in tagged.columns else None
    frame["smart_city"] = False if smart is None else smart.fillna(False).astype(bool)
    frame["topics"] = (
        [as_topic_keys(v) for v in tagged["topics"]] if "topics" in tagged.columns
        else [()] * len(tagged)
    )
    for extra in keep:
        if extra in tagged.columns and extra not in frame.columns:
            frame[extra] = tagged[extra]
    if dedup and "is_duplicate" in tagged.columns:
        frame = frame[~tagged["is_duplicate"].fillna(False).astype(bool)]
    return frame


def _region_order(values: pd.Series) -> list[str]:
    return get_vocabulary().region_order(pd.unique(values.astype(str)))


def _grid(frame: pd.DataFrame, *, freq: str) -> pd.DataFrame:
    """Every period from the first to the last, crossed with every region (display order)."""
    periods = pd.date_range(frame["period"].min(), frame["period"].max(), freq=freq)
    regions = _region_order(frame["region"])
    grid = pd.MultiIndex.from_product([periods, regions], names=["period", "region"])
    return grid.to_frame(index=False)


def _empty(columns: Sequence[str]) -> pd.DataFrame:
    kinds = {
        "period": "datetime64[ns]",
        "region": object,
        "topic": object,
        "n_articles": "int64",
        "n_docs": "int64",
        "n_total": "int64",
        "share": float,
        "ci_low": float,
        "ci_high": float,
        "too_few": bool,
    }
    return pd.DataFrame({c: pd.Series(dtype=kinds.get(c, object)) for c in columns})
