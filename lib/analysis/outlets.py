"""Do the two cities' differences rest on a few outlets? The outlet check of notebook 02.

``compare_regions`` counts articles as independent draws. They are not quite: an outlet's
articles share its beat, its reporters and the press releases it runs, and one local outlet may
write much of one city's coverage. Then a difference between the cities can be a difference
between outlets, and the article-level interval is too narrow. ``outlet_check`` asks of each
topic's whole-span difference between two cities (``compare_regions(freq="all")``):

- ``cluster_low, cluster_high``: the interval with **outlets** as clusters: the difference ±
  Student's t times its bias-reduced cluster-robust standard error (CR2, the outlet's articles
  of both cities one cluster), on Bell and McCaffrey's degrees of freedom (Bell & McCaffrey
  2002; Imbens & Kolesár 2016; Pustejovsky & Tipton 2018). Where outlets differ in what they
  cover it is wider than the article-level interval; where they do not, about as wide. With
  outlets of a size it is close to CR1 on G − 1 degrees of freedom (used before); where one
  outlet writes much of the coverage the degrees of freedom fall towards the few outlets
  that carry the information and the interval widens, where CR1 fell short: with ten
  outlets, one writing 60% of the articles, CR1 covered a true zero in 84–88.5% of draws and
  this interval in 94–95% (``tests/unit/test_outlets.py``). With the few outlets a city has,
  resampling outlets (the pairs cluster bootstrap, used before CR1) understates their
  spread: with six outlets it covered a true zero in 109 of the test's 120 draws, CR1 in
  116, this interval in 117.
- ``loo_min, loo_max``: the difference with each outlet left out in turn; ``loo_significant``:
  the difference is significant in every one of those runs (the same score test, and the same
  Benjamini–Hochberg adjustment over the topics, as ``compare_regions``); ``swing_outlet``: the
  outlet whose removal moves the difference most towards zero (or past it), ``swing_diff`` the
  difference without it (or, when leaving it out leaves a city fewer than ``min_n``
  articles, the outlet that writes nearly all of that city's: ``note`` says so).
- ``holds``: significant, still significant whichever one outlet is left out, and the
  outlet-clustered interval excludes zero.

``outlet_check(freq="QS")`` asks the same of each period cell of ``compare_regions(freq="QS")``
(the outlets with articles in the cell are its clusters; the leave-one-out tests are
adjusted over every cell, as there). In a cell one outlet often writes nearly all of a city's
articles: then nothing is left to test without it, ``note`` names it, and the cell does not
hold.

``outlet_shares`` says how much of each city's coverage each outlet writes.

Returns ``OUTLET_CHECK_COLUMNS``; ``note`` says why a row was not checked. Nothing here draws;
``lib.present.topic_plots.plot_outlet_check`` draws the table, and
``topic_trends.findings(..., outlet_check=table)`` says in a sentence what it found.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from lib.analysis import topic_trends as tt
from lib.analysis.trends import ALL_PERIODS
from lib.vocabulary import get_vocabulary

OUTLET_CHECK_COLUMNS = (
    "period", "topic", "a", "b", "share_a", "share_b", "n_a", "n_b", "diff", "ci_low", "ci_high",
    "p_adjusted", "significant", "n_outlets", "cluster_low", "cluster_high", "loo_min", "loo_max",
    "loo_significant", "swing_outlet", "swing_diff", "holds", "too_few", "note",
)
OUTLET_SHARE_COLUMNS = ("region", "outlet", "n", "share", "rank")

#: Fewer outlets than this are too few to cluster or leave out: the interval is left empty.
MIN_OUTLETS = 5
#: An article without an outlet counts in this one group.
NO_OUTLET = "(언론사 없음)"


def _members(tagged: pd.DataFrame, *, regions: Sequence[str], base: str, both: str,
             dedup: bool, freq: str = ALL_PERIODS) -> pd.DataFrame:
    """The ``regions``' articles of the ``base``, one row per (article, region it counts in),
    with ``outlet`` (and ``period`` of ``freq``)."""
    frame = tt.series_frame(tagged, freq=freq, both=both, dedup=dedup, keep=("outlet",))
    frame = frame[frame["series"].isin(list(regions))]
    if base != "all":
        frame = frame[frame["smart_city"]]
    outlet = frame["outlet"] if "outlet" in frame.columns else pd.Series("", index=frame.index)
    outlet = outlet.astype(object).where(outlet.notna(), "").astype(str).str.strip()
    return frame.assign(outlet=outlet.replace("", NO_OUTLET))


def outlet_shares(
    tagged: pd.DataFrame,
    *,
    a: str | None = None,
    b: str | None = None,
    base: str = "smart_city",
    both: str = "own",
    dedup: bool = True,
) -> pd.DataFrame:
    """Each outlet's articles of each city (``base`` as in ``topic_shares``), largest first:
    ``region, outlet, n, share, rank`` (``share`` of the city's articles, ``rank`` from 1)."""
    tt.check_options(base=base, both=both)
    vocabulary = get_vocabulary()
    a, b = a or vocabulary.compare[0], b or vocabulary.compare[1]
    frame = _members(tagged, regions=(a, b), base=base, both=both, dedup=dedup)
    counts = frame.groupby(["series", "outlet"]).size().rename("n").reset_index()
    counts = counts.rename(columns={"series": "region"})
    counts["share"] = counts["n"] / counts.groupby("region")["n"].transform("sum")
    order = {a: 0, b: 1}
    counts = counts.sort_values(["region", "n", "outlet"], ascending=[True, False, True],
                                key=lambda s: s.map(order) if s.name == "region" else s)
    counts["rank"] = counts.groupby("region").cumcount() + 1
    return counts[list(OUTLET_SHARE_COLUMNS)].reset_index(drop=True)


OUTLET_MIX_COLUMNS = ("period", "region", "outlet", "n", "n_total", "share", "too_few")
#: The outlets of a city beyond its ``top`` largest, pooled in ``outlet_mix``.
OTHER_OUTLETS = "그 밖의 언론사"


def outlet_mix(
    tagged: pd.DataFrame,
    *,
    freq: str = "QS",
    regions: Sequence[str] | None = None,
    base: str = "smart_city",
    min_n: int = 10,
    both: str = "own",
    dedup: bool = True,
    top: int = 6,
) -> pd.DataFrame:
    """Which outlets write each city's articles, period by period: the city's ``top`` largest
    outlets over the whole span, the rest pooled as :data:`OTHER_OUTLETS`.

    Returns ``OUTLET_MIX_COLUMNS``: ``n`` the outlet's articles of the ``base`` in the period,
    ``n_total`` the city's, ``share = n / n_total``; periods with ``n_total < min_n`` are
    ``too_few`` (share NaN). A city whose mix moves is one whose trends the outlet check of
    ``outlet_trend_check`` has most to say about."""
    if freq == ALL_PERIODS:
        raise ValueError("outlet_mix needs periods: freq='all' has one")
    tt.check_options(base=base, both=both)
    regions = list(regions) if regions is not None else list(get_vocabulary().city_keys)
    frame = _members(tagged, regions=regions, base=base, both=both, dedup=dedup, freq=freq)
    frame = frame[frame["period"].notna()]
    parts = []
    for region in regions:
        rows = frame[frame["series"] == region]
        largest = rows["outlet"].value_counts(sort=True)
        named = sorted(largest.index[:top], key=lambda o: (-largest[o], o))
        outlet = rows["outlet"].where(rows["outlet"].isin(named), OTHER_OUTLETS)
        counts = pd.crosstab(rows["period"], outlet)
        counts = counts.reindex(columns=[*named, *([OTHER_OUTLETS] if len(largest) > top
                                                   else [])], fill_value=0)
        long = counts.stack().rename("n").reset_index()
        long.columns = ["period", "outlet", "n"]
        parts.append(long.assign(region=region))
    out = (pd.concat(parts, ignore_index=True) if parts
           else pd.DataFrame(columns=["period", "outlet", "n", "region"]))
    out["n"] = out["n"].astype("int64")
    out["n_total"] = out.groupby(["region", "period"])["n"].transform("sum").astype("int64")
    out["too_few"] = out["n_total"] < max(int(min_n), 1)
    out["share"] = (out["n"] / out["n_total"]).where(~out["too_few"])
    out = out[list(OUTLET_MIX_COLUMNS)].reset_index(drop=True)
    out.attrs.update(freq=freq, min_n=int(min_n), base=base, both=both, top=int(top))
    return out


def outlet_check(
    tagged: pd.DataFrame,
    *,
    freq: str = ALL_PERIODS,
    a: str | None = None,
    b: str | None = None,
    base: str = "smart_city",
    min_n: int = 10,
    topics: Sequence[str] | None = None,
    both: str = "own",
    dedup: bool = True,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each topic's difference ``a`` minus ``b``, checked against the outlets: over the whole
    span (``freq="all"``, the default) or in each period cell (``freq="QS"`` …).

    The first columns are those of ``compare_regions`` with the same options (``period`` is
    ``all`` or the period's start; the Benjamini–Hochberg adjustment runs over every tested
    cell of the table, as there); then ``n_outlets`` (outlets with an article of either city
    in the table), the outlet-clustered interval ``cluster_low, cluster_high`` (the outlets
    with articles in a row's period are its clusters; a row with fewer than
    :data:`MIN_OUTLETS` of them has none; never narrower than the article-level interval),
    the leave-one-outlet-out
    range ``loo_min, loo_max``, ``loo_significant``, ``swing_outlet``, ``swing_diff`` and
    ``holds`` (see the module's text). Differences are fractions (-1…1). With fewer than
    :data:`MIN_OUTLETS` outlets nothing is clustered or left out, and ``note`` says so.
    """
    vocabulary = get_vocabulary()
    a, b = a or vocabulary.compare[0], b or vocabulary.compare[1]
    compared = tt.compare_regions(tagged, freq=freq, a=a, b=b, base=base, min_n=min_n,
                                  topics=topics, both=both, dedup=dedup, alpha=alpha)
    out = compared.drop(columns=["n_docs_a", "n_docs_b", "p_value"]).copy()
    frame = _members(tagged, regions=(a, b), base=base, both=both, dedup=dedup, freq=freq)
    frame = frame[frame["period"].notna()]
    outlets = sorted(frame["outlet"].unique())
    n, k = _cell_counts(frame, out, outlets, cities=(a, b))
    n_out = len(outlets)
    out["n_outlets"] = n_out
    for name in ("cluster_low", "cluster_high", "loo_min", "loo_max", "swing_diff"):
        out[name] = np.nan
    out["loo_significant"] = False
    out["swing_outlet"] = ""
    out["note"] = np.where(out["too_few"], f"a city has fewer than {min_n} articles", "")
    if n_out < MIN_OUTLETS:
        out.loc[~out["too_few"], "note"] = (f"{n_out} outlets: too few to cluster or leave "
                                            "out")
    elif len(out):
        _clustered(out, n, k, alpha=alpha)
        _leave_one_out(out, n, k, outlets, min_n=min_n, alpha=alpha)
    excludes_zero = (out["cluster_low"] > 0) | (out["cluster_high"] < 0)
    out["holds"] = (out["significant"] & out["loo_significant"] & excludes_zero).astype(bool)
    out = out[list(OUTLET_CHECK_COLUMNS)].reset_index(drop=True)
    out.attrs.update(freq=freq, a=a, b=b, min_n=int(min_n), base=base, both=both,
                     alpha=alpha, min_outlets=MIN_OUTLETS)
    return out


def _cell_counts(frame: pd.DataFrame, out: pd.DataFrame, outlets: list[str], *,
                 cities: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Per city, outlet and row of ``out`` (a period and topic): the outlet's articles of the
    base in the row's period (``n``) and its smart-city ones with the row's topic (``k``),
    both shaped (2, outlets, rows)."""
    index = pd.Index(outlets)
    row_of = {(period, topic): j for j, (period, topic) in
              enumerate(zip(out["period"], out["topic"], strict=True))}
    rows_of_period: dict[object, list[int]] = {}
    for (period, _), j in row_of.items():
        rows_of_period.setdefault(period, []).append(j)
    n = np.zeros((2, len(outlets), len(out)))
    k = np.zeros((2, len(outlets), len(out)))
    for side, city in enumerate(cities):
        rows = frame[frame["series"] == city]
        for (outlet, period), count in rows.groupby(["outlet", "period"]).size().items():
            n[side, index.get_loc(outlet), rows_of_period.get(period, [])] = count
        exploded = rows.loc[rows["smart_city"], ["outlet", "period", "topics"]].explode("topics")
        for (outlet, period, topic), count in exploded.groupby(
                ["outlet", "period", "topics"]).size().items():
            j = row_of.get((period, topic))
            if j is not None:
                k[side, index.get_loc(outlet), j] = count
    return n, k


def _clustered(out: pd.DataFrame, n: np.ndarray, k: np.ndarray, *, alpha: float) -> None:
    """Fill ``cluster_low, cluster_high``: each tested row's difference ± t on the
    Bell–McCaffrey degrees of freedom times its CR2 standard error, the G outlets with
    articles in the row's period as clusters.

    The difference of two shares is the least-squares fit of the articles' topic indicator on
    the two cities, so everything is in closed form. An outlet's score is
    ``(k_a − n_a·share_a) / N_a − (k_b − n_b·share_b) / N_b`` of its counts; CR2 scales each
    city's part by ``(1 − n / N)^(-1/2)``, the inverse square root of the outlet's block of
    ``I − H`` (H puts ``1 / N`` on each pair of the city's articles), so an outlet that writes
    much of a city counts for the spread its own articles hide. The degrees of freedom are
    Bell and McCaffrey's (2002), ``tr(K)² / tr(K²)`` for the outlets × outlets matrix K of
    the working model of independent articles with their city's binomial variance
    (Imbens & Kolesár 2016; Pustejovsky & Tipton 2018): near G − 1 for outlets of a size,
    fewer the more one outlet writes."""
    total_a, total_b = n[0].sum(axis=0), n[1].sum(axis=0)
    present = (n[0] + n[1]) > 0
    clusters = present.sum(axis=0)
    tested = ~out["too_few"].to_numpy() & (total_a > 0) & (total_b > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share_a, share_b = k[0].sum(axis=0) / total_a, k[1].sum(axis=0) / total_b
        # An outlet writing all of a city has no residual there: the pseudo-inverse gives 0.
        lift_a = np.where(n[0] < total_a, 1 / np.sqrt(1 - n[0] / total_a), 0.0) / total_a
        lift_b = np.where(n[1] < total_b, 1 / np.sqrt(1 - n[1] / total_b), 0.0) / total_b
        scores = lift_a * (k[0] - n[0] * share_a) - lift_b * (k[1] - n[1] * share_b)
        se = np.sqrt((scores ** 2).sum(axis=0))
        # K = σa²(diag(n_a·lift_a²) − u uᵀ / N_a) + σb²(diag(n_b·lift_b²) − v vᵀ / N_b)
        var_a, var_b = share_a * (1 - share_a), share_b * (1 - share_b)
        u, v = n[0] * lift_a, n[1] * lift_b
        diagonal = var_a * n[0] * lift_a ** 2 + var_b * n[1] * lift_b ** 2
        low_a = var_a * (u * u).sum(axis=0) / total_a
        low_b = var_b * (v * v).sum(axis=0) / total_b
        trace = diagonal.sum(axis=0) - low_a - low_b
        trace_sq = ((diagonal ** 2).sum(axis=0)
                    - 2 * var_a * (diagonal * u * u).sum(axis=0) / total_a
                    - 2 * var_b * (diagonal * v * v).sum(axis=0) / total_b
                    + low_a ** 2 + low_b ** 2
                    + 2 * var_a * var_b * (u * v).sum(axis=0) ** 2 / (total_a * total_b))
        df = trace ** 2 / trace_sq
    # With no spread to weigh (both shares 0 or 1) K is 0, and the interval is the point.
    df = np.where(np.isfinite(df) & (df > 0), df, clusters - 1.0)
    enough = tested & (clusters >= MIN_OUTLETS)
    out.loc[tested & ~enough, "note"] = [f"{g} outlets in the cell: too few to cluster"
                                         for g in clusters[tested & ~enough]]
    if enough.any():
        half = stats.t.ppf(1 - alpha / 2, df[enough]) * se[enough]
        diff = (share_a - share_b)[enough]
        # Never narrower than the article-level interval: where one outlet writes all of a
        # city its share carries no residual, and the sandwich would take it as known.
        out.loc[enough, "cluster_low"] = np.minimum(diff - half, out.loc[enough, "ci_low"])
        out.loc[enough, "cluster_high"] = np.maximum(diff + half, out.loc[enough, "ci_high"])


def _score_p_values(k_a: np.ndarray, n_a: np.ndarray, k_b: np.ndarray, n_b: np.ndarray
                    ) -> np.ndarray:
    """``compare_regions``' score test of equal shares (``topic_trends.difference_test``'s
    p-value: statsmodels' score test with its n/(n-1) variance correction), elementwise;
    1 where the pooled share is 0 or 1, as there."""
    total = n_a + n_b
    pooled = (k_a + k_b) / total
    variance = pooled * (1 - pooled) * (1 / n_a + 1 / n_b) * total / (total - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (k_a / n_a - k_b / n_b) / np.sqrt(variance)
    p_values = 2 * stats.norm.sf(np.abs(z))
    return np.where(variance > 0, np.clip(p_values, 0.0, 1.0), 1.0)


def _leave_one_out(out: pd.DataFrame, n: np.ndarray, k: np.ndarray, outlets: list[str], *,
                   min_n: int, alpha: float) -> None:
    """Fill ``loo_min, loo_max, loo_significant, swing_outlet, swing_diff``: each row's
    difference and test with each outlet left out in turn (outlets × rows at once)."""
    tested = ~out["too_few"].to_numpy()
    n_a, n_b = n[0].sum(axis=0) - n[0], n[1].sum(axis=0) - n[1]
    k_a, k_b = k[0].sum(axis=0) - k[0], k[1].sum(axis=0) - k[1]
    # Leaving out an outlet that writes nearly all of a city's articles leaves nothing to test.
    left = (n_a >= min_n) & (n_b >= min_n) & tested
    with np.errstate(divide="ignore", invalid="ignore"):
        diffs = np.where(left, k_a / n_a - k_b / n_b, np.nan)
        p_values = np.where(left, _score_p_values(k_a, n_a, k_b, n_b), np.nan)
    significant = np.zeros_like(left)
    for g in range(len(outlets)):
        significant[g] = (tt.benjamini_hochberg(p_values[g]) < alpha).to_numpy()
    signs = np.sign(out["diff"].to_numpy())
    for j in np.flatnonzero(tested):
        column = diffs[:, j]
        emptied = np.flatnonzero(np.isnan(column))
        if len(emptied):
            heavy = outlets[int(emptied[0])]
            out.loc[j, "swing_outlet"] = heavy
            out.loc[j, "note"] = f"{heavy} writes all but fewer than {min_n} of a city's articles"
            continue
        out.loc[j, "loo_min"], out.loc[j, "loo_max"] = column.min(), column.max()
        out.loc[j, "loo_significant"] = bool(significant[:, j].all())
        toward_zero = column * signs[j] if signs[j] else np.abs(column)
        g = int(np.argmin(toward_zero))
        out.loc[j, "swing_outlet"] = outlets[g]
        out.loc[j, "swing_diff"] = column[g]


# --- trends within a city, checked against the outlets --------------------------------------------

OUTLET_TREND_COLUMNS = (
    "region", "topic", "n_total", "slope", "ci_low", "ci_high", "odds_ratio", "p_adjusted",
    "significant", "direction", "n_outlets", "cluster_low", "cluster_high", "loo_min", "loo_max",
    "loo_significant", "swing_outlet", "swing_slope", "within_slope", "within_low",
    "within_high", "within_outlets", "holds_outlets", "holds_within", "holds", "note",
)


def outlet_trend_check(
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
    """Each city's topic trends (``trend_test``, same options), checked against the outlets.

    A trend in a city's coverage can be an outlet's: one outlet whose beat favours a topic
    starts to be collected, or writes more of the city's stories, in later years, and the
    topic's share rises with no outlet covering it more. The first columns are those of
    ``trend_test`` (the slope is the change in log-odds per year); then, over the region's
    outlets (``n_outlets``):

    - ``cluster_low, cluster_high``: the slope ± t times its bias-reduced cluster-robust
      standard error with the region's G outlets as clusters (the CR2 sandwich of the pooled
      binomial fit with its Williams weights: an outlet's articles of every period are one
      cluster), on Bell and McCaffrey's degrees of freedom: G − 1 or near it for outlets of a
      size, down to two or three where one outlet writes most of the city (:func:`_cr2`);
      never narrower than the trend test's own interval, since clustering by outlet drops the
      scatter from period to period that all outlets share;
    - ``loo_min, loo_max``: the slope with each outlet left out in turn; ``loo_significant``:
      significant in the same direction in every such run (the same test as ``trend_test``, and
      the Benjamini–Hochberg adjustment over every tested row); ``swing_outlet`` and
      ``swing_slope``: the outlet whose removal moves the slope most towards zero, and the slope
      without it (NaN when the series cannot be fitted without it);
    - ``within_slope, within_low, within_high``: the slope within outlets, from the same
      binomial GLM with one intercept per outlet (outlet × period counts; quasi-binomial), over
      the ``within_outlets`` outlets that carry the topic on some but not all of their articles
      in at least two periods. It does not move when only the mix of outlets changes;
    - ``holds_outlets``: still significant (same direction) whichever one outlet is left out,
      and the outlet-clustered interval on the slope's side; ``holds_within``: the
      within-outlet interval on the slope's side (both nullable booleans, missing where not
      checked: too few outlets, no within-outlet slope);
    - ``holds``: significant, ``holds_outlets`` and ``holds_within``.

    With fewer than :data:`MIN_OUTLETS` outlets nothing is clustered or left out (``note``).
    """
    if freq == ALL_PERIODS:
        raise ValueError("outlet_trend_check needs periods: freq='all' has one")
    regions = list(regions) if regions is not None else list(get_vocabulary().city_keys)
    options = dict(freq=freq, base=base, min_n=min_n, regions=regions, topics=topics,
                   both=both, dedup=dedup, alpha=alpha, start=start, end=end)
    trend = tt.trend_test(tagged, **options)
    out = trend[[c for c in OUTLET_TREND_COLUMNS if c in trend.columns]].copy()
    for name in ("cluster_low", "cluster_high", "loo_min", "loo_max", "swing_slope", "within_slope",
                 "within_low", "within_high"):
        out[name] = np.nan
    out["n_outlets"] = 0
    out["within_outlets"] = 0
    out["loo_significant"] = False
    out["swing_outlet"] = ""
    out["note"] = trend["note"].astype(str)
    frame = _members(tagged, regions=regions, base=base, both=both, dedup=dedup, freq=freq)
    frame = frame[frame["period"].notna()]
    if start is not None:
        frame = frame[frame["period"] >= pd.Timestamp(start)]
    if end is not None:
        frame = frame[frame["period"] <= pd.Timestamp(end)]
    grids = _trend_grids(frame, regions=regions, topics=list(dict.fromkeys(out["topic"])))
    tested = out["slope"].notna().to_numpy()
    raw_p = trend["p_value"].to_numpy(dtype=float)
    for region, (outlets, years, n, k, names) in grids.items():
        rows = np.flatnonzero((out["region"] == region).to_numpy())
        rows = rows[np.argsort([names.index(t) for t in out.loc[rows, "topic"]])]
        out.loc[rows, "n_outlets"] = len(outlets)
        for j, row in enumerate(rows):
            _within_outlets(out, row, n, k[:, j], years, alpha=alpha)
        if len(outlets) < MIN_OUTLETS:
            out.loc[rows[tested[rows]], "note"] = (f"{len(outlets)} outlets: too few to cluster "
                                                   "or leave out")
            continue
        sign = np.sign(out.loc[rows, "slope"].to_numpy(dtype=float))
        for j, row in enumerate(rows):
            if tested[row]:
                interval = _clustered_slope(k[:, j], n, years, min_n=min_n, alpha=alpha)
                if interval is None:
                    out.loc[row, "note"] = _join(out.loc[row, "note"],
                                                 "outlet-clustered interval not estimable")
                else:
                    # Never narrower than the trend test's own interval: clustering by outlet
                    # drops the period-to-period scatter that all outlets share.
                    out.loc[row, ["cluster_low", "cluster_high"]] = (
                        min(interval[0], out.loc[row, "ci_low"]),
                        max(interval[1], out.loc[row, "ci_high"]))
        loo = _trend_fit(k.sum(axis=0)[None] - k, (n.sum(axis=0)[None] - n)[:, None, :], years,
                         min_n=min_n)
        loo_significant = np.zeros((len(outlets), len(rows)), dtype=bool)
        for g in range(len(outlets)):
            p_values = raw_p.copy()
            p_values[rows] = np.where(tested[rows], loo["p"][g], np.nan)
            adjusted = tt.benjamini_hochberg(p_values).to_numpy()
            loo_significant[g] = (adjusted[rows] < alpha) & (np.sign(loo["slope"][g]) == sign)
        for j, row in enumerate(rows):
            if not tested[row]:
                continue
            column = loo["slope"][:, j]
            failed = np.flatnonzero(loo["status"][:, j] != _OK)
            out.loc[row, "loo_significant"] = bool(loo_significant[:, j].all())
            fitted = column[loo["status"][:, j] == _OK]
            if len(fitted):
                out.loc[row, ["loo_min", "loo_max"]] = fitted.min(), fitted.max()
            if len(failed):
                out.loc[row, "swing_outlet"] = outlets[int(failed[0])]
                out.loc[row, "note"] = (f"without {outlets[int(failed[0])]} the trend cannot be "
                                        "fitted")
                continue
            g = int(np.argmin(column * sign[j])) if sign[j] else int(np.argmin(np.abs(column)))
            out.loc[row, "swing_outlet"] = outlets[g]
            out.loc[row, "swing_slope"] = column[g]
    checked = out["cluster_low"].notna()
    out["holds_outlets"] = pd.array(
        np.where(checked, out["loo_significant"] & _on_side(out, "cluster_low", "cluster_high"),
                 None), dtype="boolean")
    out["holds_within"] = pd.array(
        np.where(out["within_low"].notna(), _on_side(out, "within_low", "within_high"), None),
        dtype="boolean")
    out["holds"] = (out["significant"] & out["holds_outlets"].fillna(False)
                    & out["holds_within"].fillna(False)).astype(bool)
    out = out[list(OUTLET_TREND_COLUMNS)].reset_index(drop=True)
    out.attrs.update(trend.attrs, min_outlets=MIN_OUTLETS,
                     regions=tuple(regions))
    return out


TREND_SUMMARY_COLUMNS = (
    "region", "topic", "odds_ratio", "clustered_low", "clustered_high", "within",
    "within_low", "within_high", "rests_on", "holds",
)


def trend_check_summary(check: pd.DataFrame) -> pd.DataFrame:
    """The significant trends of ``outlet_trend_check`` as odds ratios a year: the trend, its
    outlet-clustered interval and the trend within outlets with its interval, and the outlet a
    trend that does not hold rests on most (``TREND_SUMMARY_COLUMNS``)."""
    rows = check[check["significant"]]
    out = rows[["region", "topic"]].copy()
    for name, column in (("odds_ratio", "slope"), ("clustered_low", "cluster_low"),
                         ("clustered_high", "cluster_high"), ("within", "within_slope"),
                         ("within_low", "within_low"), ("within_high", "within_high")):
        out[name] = np.exp(rows[column].to_numpy(dtype=float))
    out["rests_on"] = rows["swing_outlet"].where(~rows["holds"], "")
    out["holds"] = rows["holds"]
    return out[list(TREND_SUMMARY_COLUMNS)].reset_index(drop=True)


def _on_side(out: pd.DataFrame, low: str, high: str) -> pd.Series:
    """The interval ``low, high`` lies wholly on the side of zero the row's slope is on."""
    slope = out["slope"]
    return ((slope > 0) & (out[low] > 0)) | ((slope < 0) & (out[high] < 0))


def _trend_grids(frame: pd.DataFrame, *, regions: Sequence[str], topics: list[str]
                 ) -> dict[str, tuple[list[str], np.ndarray, np.ndarray, np.ndarray, list[str]]]:
    """Per region: its outlets, the periods' years from the first, and the counts per outlet
    and period (``n``: outlets × periods) and per outlet, topic and period (``k``)."""
    periods = sorted(frame["period"].unique())
    years = np.array([(p - periods[0]).days / tt.DAYS_PER_YEAR for p in periods]) if periods \
        else np.zeros(0)
    where = {p: i for i, p in enumerate(periods)}
    col = {t: j for j, t in enumerate(topics)}
    grids = {}
    for region in regions:
        rows = frame[frame["series"] == region]
        outlets = sorted(rows["outlet"].unique())
        index = {o: i for i, o in enumerate(outlets)}
        n = np.zeros((len(outlets), len(periods)))
        k = np.zeros((len(outlets), len(topics), len(periods)))
        for (o, p), c in rows.groupby(["outlet", "period"]).size().items():
            n[index[o], where[p]] = c
        exploded = rows.loc[rows["smart_city"], ["outlet", "period", "topics"]].explode("topics")
        exploded = exploded[exploded["topics"].isin(col)]
        for (o, t, p), c in exploded.groupby(["outlet", "topics", "period"]).size().items():
            k[index[o], col[t], where[p]] = c
        grids[region] = (outlets, years, n, k, list(topics))
    return grids


_OK, _UNTESTABLE, _SEPARATED = 0, 1, 2


def _trend_fit(k: np.ndarray, n: np.ndarray, years: np.ndarray, *, min_n: int
               ) -> dict[str, np.ndarray]:
    """``trend_test``'s fit, ``logit(k / n) = b0 + slope × years`` (binomial with Williams'
    extra-binomial weights, the remaining Pearson dispersion, Wald test on t), for many series
    at once: ``k`` and ``n`` broadcast
    to (..., periods). Returns ``slope``, ``p`` and ``status`` arrays of the leading shape:
    ``_OK``; ``_UNTESTABLE`` (``trend_test``'s rules: n below ``min_n``, fewer than 3 periods
    with articles or fewer than ``tt.MIN_TREND_PERIODS`` with ``min_n``, the topic on none or
    all); ``_SEPARATED`` (Newton's method does not settle:
    the slope is ±inf, p NaN)."""
    from scipy.special import expit

    k, n = np.broadcast_arrays(np.asarray(k, dtype=float), np.asarray(n, dtype=float))
    total_n, total_k = n.sum(axis=-1), k.sum(axis=-1)
    periods = (n > 0).sum(axis=-1)
    full = (n >= min_n).sum(axis=-1)
    testable = ((total_n >= max(min_n, 1)) & (periods >= 3) & (full >= tt.MIN_TREND_PERIODS)
                & (total_k > 0) & (total_k < total_n))
    safe_n = np.where(total_n > 0, total_n, 1.0)
    centred = years - ((n * years).sum(axis=-1) / safe_n)[..., None]
    share = np.clip(total_k / safe_n, 1e-6, 1 - 1e-6)
    b0, b1 = np.log(share / (1 - share)), np.zeros_like(share)
    step = np.full_like(share, np.inf)
    used = n > 0
    extra = np.maximum(n - 1.0, 0.0)
    phi = np.zeros_like(share)
    weights = np.ones_like(n)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for williams_step in range(tt.WILLIAMS_STEPS):
            for _ in range(60):
                mu = expit(b0[..., None] + b1[..., None] * centred)
                w = weights * n * mu * (1 - mu)
                r = weights * (k - n * mu)
                g0, g1 = r.sum(axis=-1), (r * centred).sum(axis=-1)
                h00, h01 = w.sum(axis=-1), (w * centred).sum(axis=-1)
                h11 = (w * centred * centred).sum(axis=-1)
                det = h00 * h11 - h01 ** 2
                d0 = np.clip((h11 * g0 - h01 * g1) / det, -5, 5)
                d1 = np.clip((h00 * g1 - h01 * g0) / det, -5, 5)
                d0, d1 = np.where(testable, d0, 0.0), np.where(testable, d1, 0.0)
                b0, b1 = b0 + np.nan_to_num(d0), b1 + np.nan_to_num(d1)
                step = np.abs(d1)
                if not np.any(testable & ~(step < 1e-9)):
                    break
            # Williams' extra-binomial variance, as tt.trend_test's fit finds it.
            mu = expit(b0[..., None] + b1[..., None] * centred)
            w = weights * n * mu * (1 - mu)
            h00, h01 = w.sum(axis=-1), (w * centred).sum(axis=-1)
            h11 = (w * centred * centred).sum(axis=-1)
            det = h00 * h11 - h01 ** 2
            leverage = w * (h11[..., None] - 2 * h01[..., None] * centred
                            + h00[..., None] * centred * centred) / det[..., None]
            squared = np.where(used, (k - n * mu) ** 2 / (n * mu * (1 - mu)), 0.0)
            spread = np.where(used, (1 - leverage) * extra, 0.0).sum(axis=-1)
            excess = np.where(used, squared - (1 - leverage), 0.0).sum(axis=-1)
            moved = np.where(spread > 0, np.clip(excess / np.where(spread > 0, spread, 1), 0, 1),
                             0.0)
            moved = np.where(testable & np.isfinite(moved), moved, phi)
            # (the last step keeps the weights its coefficients were fitted with)
            if (not np.any(np.abs(moved - phi) >= tt.WILLIAMS_TOL)
                    or williams_step == tt.WILLIAMS_STEPS - 1):
                break
            phi = moved
            weights = 1.0 / (1.0 + phi[..., None] * extra)
        mu = expit(b0[..., None] + b1[..., None] * centred)
        variance = weights * n * mu * (1 - mu)
        pearson = np.where(used, weights * (k - n * mu) ** 2 / (n * mu * (1 - mu)), 0.0
                           ).sum(axis=-1)
        df = periods - 2.0
        dispersion = np.where(df > 0, pearson / np.where(df > 0, df, 1), 1.0)  # as trend_test
        h00, h01 = variance.sum(axis=-1), (variance * centred).sum(axis=-1)
        h11 = (variance * centred * centred).sum(axis=-1)
        se = np.sqrt(h00 / (h00 * h11 - h01 ** 2) * dispersion)
        z = np.abs(b1 / se)
        p = 2 * stats.t.sf(z, np.maximum(df, 1))  # as tt.slope_distribution
    settled = testable & (step < 1e-6) & np.isfinite(p)
    status = np.where(~testable, _UNTESTABLE, np.where(settled, _OK, _SEPARATED))
    slope = np.where(status == _OK, b1, np.where(status == _SEPARATED, np.copysign(np.inf, b1),
                                                 np.nan))
    return {"slope": slope, "p": np.where(status == _OK, p, np.nan), "status": status,
            "fitted": mu, "weights": weights}


def _clustered_slope(k: np.ndarray, n: np.ndarray, years: np.ndarray, *, min_n: int,
                     alpha: float) -> tuple[float, float] | None:
    """The slope of the pooled fit (:func:`_trend_fit` of the outlets' summed counts; ``k``,
    ``n``: outlets × periods) ± t on the Bell–McCaffrey degrees of freedom times its CR2
    sandwich standard error (:func:`_cr2`) with the G outlets that have articles as clusters;
    None when it cannot be fitted."""
    k, n = k[n.sum(axis=1) > 0], n[n.sum(axis=1) > 0]
    clusters = len(n)
    total_n = n.sum(axis=0)
    fit = _trend_fit(k.sum(axis=0), total_n, years, min_n=min_n)
    if clusters < 2 or fit["status"] != _OK:
        return None
    slope, mu, weights = float(fit["slope"]), fit["fitted"], fit["weights"]
    x = np.column_stack([np.ones_like(years), years])
    information = np.einsum("gt,ti,tj->gij", n * (weights * mu * (1 - mu)), x, x)
    scores = (weights * (k - n * mu)) @ x  # outlets × 2
    variance, df = _cr2(information, scores, np.array([0.0, 1.0]))
    if not (math.isfinite(variance) and math.isfinite(df) and df > 0):
        return None
    half = float(stats.t.ppf(1 - alpha / 2, df)) * math.sqrt(variance)
    return slope - half, slope + half


def _cr2(information: np.ndarray, scores: np.ndarray, contrast: np.ndarray
         ) -> tuple[float, float]:
    """The CR2 (bias-reduced) cluster-robust variance of ``contrast`` · the coefficients of a
    fitted GLM and its Bell–McCaffrey degrees of freedom (Bell & McCaffrey 2002; Pustejovsky &
    Tipton 2018), from each cluster's part of the Fisher information (``information``:
    clusters × p × p) and of the score (``scores``: clusters × p), p the few coefficients.

    With bread ``B`` (the inverse of the summed information) and ``S_g = B^½ I_g B^½``, the
    cluster's block of the hat matrix of the weighted fit has the eigenvalues of ``S_g``
    (the rest are 0), so its ``(I − H_gg)^(-½)`` acts on the score as
    ``B^(-½) (I − S_g)^(-½) B^½``: p × p work per cluster, whatever its articles. The degrees
    of freedom are ``tr(K)² / tr(K²)`` for the clusters × clusters matrix
    ``K = diag(d) − P B⁻¹ Pᵀ`` of the working model (the GLM's own variances, articles
    independent), ``d_g = cᵀB^½ S_g (I − S_g)⁻¹ B^½c`` and ``P_g = B^½ (I − S_g)^(-½) S_g
    B^½c``. A direction a cluster fills alone (eigenvalue 1) has no residual and is dropped,
    as the pseudo-inverse does."""
    inverse_bread = information.sum(axis=0)
    values, vectors = np.linalg.eigh(inverse_bread)
    if not values.min() > 0:
        return math.nan, math.nan
    bread_root = (vectors / np.sqrt(values)) @ vectors.T
    leverage = bread_root @ information @ bread_root
    lam, basis = np.linalg.eigh(leverage)
    free = lam < 1 - 1e-10
    lam = np.clip(lam, 0.0, 1.0)
    lift = np.where(free, 1 / np.sqrt(np.where(free, 1 - lam, 1.0)), 0.0)
    spread = np.where(free, lam / np.where(free, 1 - lam, 1.0), 0.0)

    def apply(f: np.ndarray, vector: np.ndarray) -> np.ndarray:
        """``basis · diag(f) · basisᵀ`` of each cluster times its ``vector``."""
        return np.einsum("gij,gj,gkj,gk->gi", basis, f, basis, vector)

    adjusted = apply(lift, scores @ bread_root) @ bread_root  # B · the CR2 score
    variance = float(((adjusted @ contrast) ** 2).sum())
    direction = bread_root @ contrast
    along = np.broadcast_to(direction, scores.shape)
    d = np.einsum("gi,i->g", apply(spread, along), direction)
    p = apply(lift * lam, along) @ bread_root
    own = np.einsum("gi,ij,gj->g", p, inverse_bread, p)  # the diagonal of P B⁻¹ Pᵀ
    gram = inverse_bread @ (p.T @ p)
    trace = d.sum() - own.sum()
    trace_sq = (d ** 2).sum() - 2 * (d * own).sum() + np.trace(gram @ gram)
    return variance, float(trace ** 2 / trace_sq) if trace_sq > 0 else math.nan


def _within_outlets(out: pd.DataFrame, row: int, n: np.ndarray, k: np.ndarray,
                    years: np.ndarray, *, alpha: float) -> None:
    """Fill ``within_slope, within_low, within_high, within_outlets`` of one row: the slope of
    a binomial GLM with one intercept per outlet, on outlet × period counts (``n``, ``k``:
    outlets × periods), quasi-binomial as ``trend_test``."""
    if np.isnan(out.loc[row, "slope"]):
        return
    informative = (((n > 0).sum(axis=1) >= 2) & (k.sum(axis=1) > 0)
                   & (k.sum(axis=1) < n.sum(axis=1)))
    out.loc[row, "within_outlets"] = int(informative.sum())
    n, k = n[informative], k[informative]
    cells = int((n > 0).sum())
    if not informative.any() or cells <= len(n) + 1:
        out.loc[row, "note"] = _join(out.loc[row, "note"], "no outlet varies over time")
        return
    fit = _within_fit(k, n, years)
    if fit is None:
        out.loc[row, "note"] = _join(out.loc[row, "note"], "within outlets: not estimable")
        return
    slope, variance, pearson = fit
    df_resid = cells - len(n) - 1
    dispersion = pearson / df_resid if df_resid > 0 else 1.0  # not floored, as trend_test's
    se = math.sqrt(variance * dispersion)
    dist = tt.slope_distribution(df_resid)
    quantile = float(dist.ppf(1 - alpha / 2))
    out.loc[row, ["within_slope", "within_low", "within_high"]] = (
        slope, slope - quantile * se, slope + quantile * se)


def _within_fit(k: np.ndarray, n: np.ndarray, years: np.ndarray
                ) -> tuple[float, float, float] | None:
    """Maximum likelihood of ``logit(k / n) = a[outlet] + slope × years`` (outlets × periods):
    Newton's method on the arrowhead Hessian (the outlets' intercepts are a diagonal block,
    eliminated through the Schur complement), so hundreds of outlets cost no more than a few.
    Returns ``(slope, its variance, Pearson chi-square)``, or None when it does not settle."""
    from scipy.special import expit

    used = n > 0
    share = np.clip(k.sum(axis=1) / n.sum(axis=1), 1e-6, 1 - 1e-6)
    a, slope = np.log(share / (1 - share)), 0.0
    for _ in range(100):
        mu = expit(a[:, None] + slope * years[None, :])
        w, r = n * mu * (1 - mu), k - n * mu
        d, c = w.sum(axis=1), (w * years).sum(axis=1)
        g_a, g_b = r.sum(axis=1), float((r * years).sum())
        schur = float((w * years * years).sum() - (c * c / d).sum())
        if not schur > 0:
            return None
        step = (g_b - float((c * g_a / d).sum())) / schur
        a, slope = a + (g_a - c * step) / d, slope + step
        if abs(step) < 1e-10:
            break
    else:
        return None
    mu = expit(a[:, None] + slope * years[None, :])
    w = n * mu * (1 - mu)
    d, c = w.sum(axis=1), (w * years).sum(axis=1)
    variance = 1.0 / float((w * years * years).sum() - (c * c / d).sum())
    pearson = float(np.where(used, (k - n * mu) ** 2 / np.where(used, w, 1.0), 0.0).sum())
    if not (math.isfinite(slope) and math.isfinite(variance)):
        return None
    return slope, variance, pearson


def _join(note: str, more: str) -> str:
    return f"{note}; {more}" if note else more
