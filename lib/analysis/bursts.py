"""Bursts: months in which a topic or a term takes a clearly larger share of a city's coverage.

Kleinberg's two-state model for batched documents (Kleinberg 2003, *Bursty and hierarchical
structure in streams*, Data Mining and Knowledge Discovery 7(4)): in month ``t`` a region has
``d_t`` articles, ``r_t`` of them on the topic (or using the term). The base state emits
on-topic articles with probability ``p0 = sum r / sum d``, the burst state with
``p1 = s * p0``. A month in state ``i`` costs ``-ln[p_i^r (1 - p_i)^(d - r)]`` (the binomial
coefficient is the same in both states and drops out), entering the burst state costs
``gamma * ln(n)`` for a series of ``n`` months, leaving it costs nothing. The cheapest state
sequence (Viterbi) marks the bursts; a burst's ``strength`` is the cost it saves, the sum over
its months of ``cost(base) - cost(burst)`` (Kleinberg's weight). Months with no article cost
nothing in either state, so gaps never fail and never make a burst.

:func:`load_events` reads an events file (``date``, ``region``, ``label``; tab-separated) to
draw beside the timelines; :func:`events_file` says which one a notebook uses. The bundled
sample's events, ``data/events/synthetic_sample_events.tsv``, are synthetic (they sit outside
``data/sample`` because the loader reads every table in that folder as corpus).
"""

from __future__ import annotations

import csv
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from lib import paths
from lib.analysis.keyness import analysis_terms, select_articles
from lib.analysis.topic_trends import FACT_COLUMNS, Findings
from lib.analysis.trends import period_start
from lib.corpus.textio import read_data_file
from lib.vocabulary import BOTH, NEITHER, get_vocabulary, region_label, topic_label

COUNT_COLUMNS: tuple[str, ...] = ("period", "region", "series", "n_docs", "n_total")
BURST_COLUMNS: tuple[str, ...] = (
    "kind", "series", "region", "start", "end", "n_months", "strength", "n_docs", "n_total",
    "share_burst", "share_base", "excess",
)
EVENT_COLUMNS: tuple[str, ...] = ("date", "region", "label")
#: Region value of an event that concerns every city.
ALL_REGIONS = "all"
#: The synthetic events of the bundled sample corpus.
SAMPLE_EVENTS: Path = paths.DATA_DIR / "events" / "synthetic_sample_events.tsv"
#: The environment variable naming the events file of a user's corpus.
EVENTS_ENV = "EVENTS"


def events_file(corpus: str | os.PathLike[str], value: str | os.PathLike[str] | None = None
                ) -> Path | None:
    """The events file to draw: ``value``, else ``$EVENTS``, else the sample's synthetic events
    when ``corpus`` is the bundled sample, else ``None`` (no events). Relative paths are taken
    from the repository root."""
    raw = value if value not in (None, "") else os.environ.get(EVENTS_ENV)
    if raw:
        return paths.from_root(raw)
    return SAMPLE_EVENTS if paths.is_sample(corpus) else None


def kleinberg_states(
    r: np.ndarray, d: np.ndarray, *, s: float = 3.0, gamma: float = 1.0
) -> tuple[np.ndarray, np.ndarray]:
    """The cheapest base (0) / burst (1) state of each month, for one or many series.

    ``r`` and ``d`` are arrays of shape ``(n_months,)`` or ``(n_series, n_months)``: on-topic
    and all articles per month (``0 <= r <= d``). Returns ``(states, saving)`` of the same
    shape: the state sequence, and per month ``cost(base) - cost(burst)`` (positive where the
    month looks like a burst). A series with no on-topic article, or only on-topic articles,
    stays in the base state.
    """
    if s <= 1:
        raise ValueError("s (burst rate / base rate) must be greater than 1")
    r = np.atleast_2d(np.asarray(r, dtype=float))
    d = np.atleast_2d(np.asarray(d, dtype=float))
    if r.shape != d.shape or np.any(r < 0) or np.any(r > d):
        raise ValueError("kleinberg_states needs r and d of one shape with 0 <= r <= d")
    n_series, n = r.shape
    total_r, total_d = r.sum(axis=1, keepdims=True), d.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        p0 = np.where(total_d > 0, total_r / np.where(total_d > 0, total_d, 1), 0.0)
    p1 = np.minimum(s * p0, 0.9999)
    active = (p0 > 0) & (p0 < p1)
    p0c, p1c = np.clip(p0, 1e-12, 1 - 1e-12), np.clip(p1, 1e-12, 1 - 1e-12)
    cost0 = -(r * np.log(p0c) + (d - r) * np.log1p(-p0c))
    cost1 = -(r * np.log(p1c) + (d - r) * np.log1p(-p1c))
    up = gamma * np.log(max(n, 2))
    # Viterbi over two states, vectorised across series.
    best0, best1 = cost0[:, 0].copy(), cost1[:, 0] + up
    back = np.zeros((n_series, n, 2), dtype=np.int8)
    for t in range(1, n):
        from0_to1, from1_to1 = best0 + up, best1
        back[:, t, 1] = np.where(from1_to1 <= from0_to1, 1, 0)
        new1 = np.minimum(from0_to1, from1_to1) + cost1[:, t]
        back[:, t, 0] = np.where(best1 < best0, 1, 0)
        new0 = np.minimum(best0, best1) + cost0[:, t]
        best0, best1 = new0, new1
    states = np.zeros((n_series, n), dtype=np.int8)
    states[:, -1] = np.where(best1 < best0, 1, 0)
    for t in range(n - 1, 0, -1):
        states[:, t - 1] = back[np.arange(n_series), t, states[:, t]]
    states[~active[:, 0]] = 0
    return states, cost0 - cost1


HIT_COLUMNS: tuple[str, ...] = ("article_id", "period", "region", "series")


def monthly_hits(
    tagged: pd.DataFrame,
    *,
    kind: str = "topic",
    tokens: pd.DataFrame | None = None,
    series: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    freq: str = "MS",
    smart_city_only: bool = True,
    dedup: bool = True,
    min_articles: int = 5,
) -> pd.DataFrame:
    """Which article is on which topic or uses which term: ``article_id, period, region,
    series``, one row per article and series (the rows :func:`monthly_counts` counts, with the
    same options). :func:`merge_bursts` reads it to tell which bursts are the same articles.
    ``attrs`` hold ``freq``, ``kind``, ``names`` (every series counted), ``regions``,
    ``periods`` (first and last, or ``None``) and ``totals`` (the region's articles per
    ``(period, region)``)."""
    regions = list(regions) if regions is not None else list(get_vocabulary().city_keys)
    arts = select_articles(tagged, smart_city_only=smart_city_only, dedup=dedup)
    arts = arts[arts["published"].notna() & arts["region"].astype(str).isin(regions)]
    if arts.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in HIT_COLUMNS})
        out.attrs.update(freq=freq, kind=kind, names=(), regions=tuple(regions), periods=None,
                         totals={})
        return out
    arts = arts.assign(period=period_start(arts["published"], freq=freq))
    if kind == "topic":
        hits = arts[["article_id", "topics"]].explode("topics").dropna()
        hits = hits.rename(columns={"topics": "series"})
        names = list(series) if series is not None else list(get_vocabulary().topic_keys)
    elif kind == "term":
        if tokens is None:
            raise ValueError("monthly_counts(kind='term') needs the token table (tokens=)")
        terms = analysis_terms(tokens[tokens["article_id"].astype(str).isin(arts["article_id"])])
        hits = terms[["article_id", "term"]].rename(columns={"term": "series"})
        if series is None:
            docs = hits.groupby("series")["article_id"].nunique()
            names = sorted(docs[docs >= min_articles].index)
        else:
            names = list(series)
    else:
        raise ValueError(f"kind must be 'topic' or 'term', got {kind!r}")
    hits = hits[hits["series"].isin(names)].drop_duplicates()
    hits = hits.merge(arts[["article_id", "period", "region"]], on="article_id")
    out = hits[list(HIT_COLUMNS)].reset_index(drop=True)
    # Plain tuples and a dict: pandas copies and compares attrs, which a Series would break.
    totals = arts.groupby(["period", "region"]).size()
    out.attrs.update(freq=freq, kind=kind, names=tuple(names), regions=tuple(regions),
                     smart_city_only=bool(smart_city_only),
                     periods=(arts["period"].min(), arts["period"].max()),
                     totals={key: int(v) for key, v in totals.items()})
    return out


def monthly_counts(
    tagged: pd.DataFrame,
    *,
    kind: str = "topic",
    tokens: pd.DataFrame | None = None,
    series: Sequence[str] | None = None,
    regions: Sequence[str] | None = None,
    freq: str = "MS",
    smart_city_only: bool = True,
    dedup: bool = True,
    min_articles: int = 5,
    hits: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Articles per period, region and topic (``kind="topic"``: the tagged ``topics``) or term
    (``kind="term"``: the token table ``tokens``, after :func:`analysis_terms`).

    Returns ``period, region, series, n_docs, n_total``: ``n_total`` the region's articles in
    the period (smart-city coverage only unless ``smart_city_only=False``), ``n_docs`` those on
    the topic or using the term. Every period from the first to the last dated article is
    present for every region (default: the vocabulary's cities) and series (default: every
    topic of the vocabulary, or every term used in at least ``min_articles`` of the selected
    articles: rarer terms cannot burst, and a large corpus has tens of thousands of them).
    ``hits``: a :func:`monthly_hits` table already made with the same options (the other
    options are then not read).
    """
    if hits is None:
        hits = monthly_hits(tagged, kind=kind, tokens=tokens, series=series, regions=regions,
                            freq=freq, smart_city_only=smart_city_only, dedup=dedup,
                            min_articles=min_articles)
    freq, kind = hits.attrs["freq"], hits.attrs["kind"]
    if hits.attrs.get("periods") is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COUNT_COLUMNS})
    first, last = hits.attrs["periods"]
    periods = pd.date_range(first, last, freq=freq)
    grid = pd.MultiIndex.from_product([periods, hits.attrs["regions"], hits.attrs["names"]],
                                      names=["period", "region", "series"]).to_frame(index=False)
    counts = hits.groupby(["period", "region", "series"]).size().rename("n_docs")
    totals = pd.Series(hits.attrs["totals"], dtype="int64", name="n_total")
    totals.index = totals.index.set_names(["period", "region"])
    out = grid.join(totals, on=["period", "region"]).join(counts, on=["period", "region", "series"])
    out = out.fillna({"n_docs": 0, "n_total": 0}).astype({"n_docs": "int64", "n_total": "int64"})
    out = out[list(COUNT_COLUMNS)]
    out.attrs["freq"] = freq
    out.attrs["kind"] = kind
    out.attrs["smart_city_only"] = hits.attrs.get("smart_city_only", True)
    return out


#: Draws of the no-burst simulation behind :func:`chance_strength` (0: none).
NULL_DRAWS = 99


def detect_bursts(
    counts: pd.DataFrame,
    *,
    s: float = 3.0,
    gamma: float = 1.0,
    min_docs: int = 3,
    null_draws: int = NULL_DRAWS,
    alpha: float = 0.05,
    seed: int = 0,
) -> pd.DataFrame:
    """Bursts in a :func:`monthly_counts` table, one row per burst.

    ``kind, series, region, start, end, n_months, strength, n_docs, n_total, share_burst,
    share_base``: ``start``/``end`` the first and last period of the burst (inclusive),
    ``strength`` Kleinberg's weight (log-likelihood saved by the burst state, in nats),
    ``n_docs``/``n_total`` the on-topic and all articles within the burst, ``share_burst`` their
    ratio, ``share_base`` the series' share over all periods and ``excess`` the burst's weight
    against the series' trend rather than its flat share (below). Bursts with fewer than
    ``min_docs`` on-topic articles are dropped (one article in a quiet month is no burst), and
    so are the bursts of a series whose usual share is ``1/s`` or more: it cannot reach ``s``
    times that share, so its burst state only means "every article of the month", which a few
    small months reach by chance (스마트시티 in 83% of a city's smart-city articles). Such a
    series is a word of every story, not an event. Sorted by strength, strongest first.

    ``s = 3`` (Kleinberg's examples use 2) asks a burst to triple the series' share: a city has
    a handful of smart-city articles a month, and at ``s = 2`` slow rises over years read as
    long "bursts" (the trend charts show those better). ``gamma`` is the price of entering a
    burst, in units of ``ln(n_months)``.

    Many series over many months burst now and then by chance alone, and more so when their
    share drifts over the years or scatters from month to month more than binomially: both
    make Kleinberg's bursts against the flat usual share. So each burst is judged by its
    ``excess``, the log-likelihood (nats) that ``s`` times the series' no-burst baseline saves
    over that baseline in the burst's months, 0 when it saves nothing (:func:`no_burst_baseline`,
    a logistic trend fitted without the burst months; :func:`baseline_saving`), and
    ``attrs["chance"]`` holds,
    per region, the excess that the largest of all its series' bursts reaches in no more than
    ``alpha`` of ``null_draws`` simulations without bursts: each month's share drawn from the
    series' baseline with beta-binomial scatter at its Pearson dispersion and, given the
    previous month's share, with the series' own month-to-month correlation
    (:func:`scatter_memory`: coverage that is hot for a season and then cools makes runs of
    high months, which independent months would call bursts), its on-series articles
    binomially from that share, the months' totals kept, then the same search, rules and
    baseline fit. :func:`beyond_chance` tells the bursts above it, and only those are
    findings.
    """
    if counts.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in BURST_COLUMNS})
        out.attrs.update(counts.attrs)
        out.attrs.update(s=s, gamma=gamma, chance={}, no_articles=True)
        return out
    ordered = counts.sort_values(["region", "series", "period"])
    keys = ordered[["region", "series"]].drop_duplicates().reset_index(drop=True)
    n_periods = ordered["period"].nunique()
    r = ordered["n_docs"].to_numpy(dtype=float).reshape(len(keys), n_periods)
    d = ordered["n_total"].to_numpy(dtype=float).reshape(len(keys), n_periods)
    periods = np.sort(ordered["period"].unique())
    states, saving = kleinberg_states(r, d, s=s, gamma=gamma)
    base = _usual_share(r, d)
    excess, share, rho = _excess(r, d, states, s=s)
    kind = counts.attrs.get("kind", "")
    rows = []
    for i, a, length, strength, k, n, over in zip(*_burst_runs(states, saving, r, d), excess,
                                                  strict=True):
        if k < min_docs or not base[i] < 1.0 / s:
            continue
        region, name = keys.iloc[i]
        rows.append((kind, name, region, periods[a], periods[a + length - 1], int(length),
                     float(strength), int(k), int(n), k / n if n else np.nan, base[i],
                     float(over)))
    out = pd.DataFrame(rows, columns=list(BURST_COLUMNS))
    out = out.sort_values(["strength", "series"], ascending=[False, True]).reset_index(drop=True)
    out.attrs.update(counts.attrs)
    out.attrs["s"], out.attrs["gamma"] = s, gamma
    out.attrs["no_articles"] = bool(d.sum() == 0)
    out.attrs["chance"] = _chance_strength(
        r, d, share, rho, keys["region"].to_numpy(), s=s, gamma=gamma, min_docs=min_docs,
        draws=null_draws, alpha=alpha, seed=seed) if null_draws else {}
    out.attrs["null_draws"], out.attrs["alpha"] = int(null_draws), alpha
    return out


def _usual_share(r: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Each series' share of all its months' articles (NaN for a series without articles)."""
    total = d.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, r.sum(axis=1) / np.where(total > 0, total, 1), np.nan)


def _burst_runs(states: np.ndarray, saving: np.ndarray, r: np.ndarray, d: np.ndarray
                ) -> tuple[np.ndarray, ...]:
    """The runs of burst months of :func:`kleinberg_states`' ``states`` (series × months), in
    series then month order: each run's series, first month and length (from its first to its
    last month with an on-series article), strength (its months' ``saving``), on-series and
    all articles."""
    on = states.astype(bool)
    opens = on & ~np.concatenate([np.zeros((len(on), 1), dtype=bool), on[:, :-1]], axis=1)
    run = np.where(on, np.cumsum(opens.ravel()).reshape(on.shape), 0).ravel()

    def summed(values: np.ndarray) -> np.ndarray:
        return np.bincount(run, weights=np.where(on, values, 0.0).ravel(),
                           minlength=int(run.max(initial=0)) + 1)[1:]

    series, first = np.nonzero(opens)
    length = summed(np.ones_like(saving)).astype(int)
    # A run is said from its first to its last month with an on-series article: Kleinberg's
    # state costs nothing in a month without articles, so a run of a sparse series may open
    # years before its first article of the burst (or before the corpus has any).
    totals = summed(d)
    for j, (i, a, n) in enumerate(zip(series, first, length, strict=True)):
        hits = np.flatnonzero(r[i, a:a + n] > 0)
        if len(hits):
            first[j], length[j] = a + hits[0], hits[-1] - hits[0] + 1
            totals[j] = d[i, first[j]:first[j] + length[j]].sum()
    return series, first, length, summed(saving), summed(r), totals


def no_burst_baseline(r: np.ndarray, d: np.ndarray, *, exclude: np.ndarray | None = None,
                      iterations: int = 25) -> tuple[np.ndarray, np.ndarray]:
    """What each series does without a burst: its smooth share per month and its scatter.

    ``r`` and ``d`` as :func:`kleinberg_states` takes them (series × months). The share is a
    logistic trend in time (a binomial GLM of each series on the month's position, fitted by
    Newton's method; months without articles weigh nothing), the trend tests' model of
    notebook 02 without their extra-binomial weights. The scatter is the beta-binomial intra-month correlation ``rho``
    whose variance ``n p (1 - p) (1 + (n - 1) rho)`` matches the series' Pearson dispersion
    around that trend (0 where it is not above binomial). Returns ``(share, rho)`` of shapes
    ``(n_series, n_months)`` and ``(n_series,)``; a series with no on-series article, or only
    such articles, keeps its usual share and ``rho = 0``, and one whose on-series articles all
    fall in excluded months a flat share of half an article over the months kept. ``exclude``: months (a boolean array
    of the same shape, such as the burst states) left out of the trend, so that a burst does not
    raise the share it is measured against; the share is still given for every month, and the
    scatter is measured over every month (without a burst's own months it would be too small
    for a series that scatters a lot, and its chance bursts too rare).
    """
    r = np.atleast_2d(np.asarray(r, dtype=float))
    d = np.atleast_2d(np.asarray(d, dtype=float))
    r_all, d_all = r, d
    if exclude is not None:
        kept = ~np.atleast_2d(np.asarray(exclude, dtype=bool))
        r, d = np.where(kept, r, 0.0), np.where(kept, d, 0.0)
    n = r.shape[1]
    t = (np.arange(n) - (n - 1) / 2) / max(n - 1, 1)
    base = np.nan_to_num(_usual_share(r, d))
    fit = (base > 0) & (base < 1)
    # A series with no article outside its burst (a new word's) keeps a flat share of half an
    # article over those months: against a share of exactly 0 no burst saves anything.
    kept_n = d.sum(axis=1)
    base = np.where((base == 0) & (kept_n > 0) & (r_all.sum(axis=1) > 0), 0.5 / (kept_n + 1), base)
    coef = np.zeros((len(r), 2))
    coef[fit, 0] = np.log(base[fit] / (1 - base[fit]))
    for _ in range(iterations):
        eta = np.clip(coef[:, :1] + coef[:, 1:] * t, -20, 20)
        p = 1 / (1 + np.exp(-eta))
        w, g = d * p * (1 - p), r - d * p
        h00, h01, h11 = w.sum(axis=1), (w * t).sum(axis=1), (w * t * t).sum(axis=1)
        g0, g1 = g.sum(axis=1), (g * t).sum(axis=1)
        det = h00 * h11 - h01 ** 2
        ok = fit & (det > 1e-12)
        step0 = np.where(ok, (h11 * g0 - h01 * g1) / np.where(ok, det, 1), 0.0)
        step1 = np.where(ok, (h00 * g1 - h01 * g0) / np.where(ok, det, 1), 0.0)
        coef[:, 0] += step0
        coef[:, 1] += step1
        coef = np.clip(coef, -40, 40)
        if np.all(np.abs(step0) + np.abs(step1) < 1e-8):
            break
    eta = np.clip(coef[:, :1] + coef[:, 1:] * t, -20, 20)
    share = np.where(fit[:, None], 1 / (1 + np.exp(-eta)), base[:, None])
    r, d = r_all, d_all
    seen = d > 0
    months = seen.sum(axis=1)
    df = np.maximum(months - 2, 1)
    variance = d * share * (1 - share)
    with np.errstate(invalid="ignore", divide="ignore"):
        pearson = np.where(seen & (variance > 0), (r - d * share) ** 2
                           / np.where(variance > 0, variance, 1), 0.0).sum(axis=1)
        # E[pearson] = df + rho * sum(d - 1) * df / months under the beta-binomial.
        spread = np.where(seen, d - 1, 0).sum(axis=1) * df / np.maximum(months, 1)
        rho = np.where(fit & (spread > 0), (pearson - df) / np.where(spread > 0, spread, 1), 0.0)
    return share, np.clip(rho, 0.0, 0.5)


def baseline_saving(r: np.ndarray, d: np.ndarray, share: np.ndarray, *, s: float) -> np.ndarray:
    """Per month, the log-likelihood (nats) that a share of ``s`` times the month's baseline
    ``share`` (:func:`no_burst_baseline`) saves over the baseline itself: Kleinberg's
    ``cost(base) - cost(burst)`` with the smooth baseline in place of the flat usual share.
    Summed over a burst's months it is the burst's ``excess``."""
    p0 = np.clip(share, 1e-12, 1 - 1e-12)
    p1 = np.clip(np.minimum(s * share, 0.9999), 1e-12, 1 - 1e-12)
    return r * np.log(p1 / p0) + (d - r) * (np.log1p(-p1) - np.log1p(-p0))


def _excess(r: np.ndarray, d: np.ndarray, states: np.ndarray, *, s: float
            ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each run of burst months' ``excess`` over the series' no-burst baseline (in
    :func:`_burst_runs` order), with that baseline's share and ``rho`` (fitted without the
    burst months). A run that ``s`` times the baseline fits worse than the baseline (a burst
    against the flat usual share only, where the trend is already high) has excess 0."""
    share, rho = no_burst_baseline(r, d, exclude=states.astype(bool))
    saving = baseline_saving(r, d, share, s=s)
    return np.maximum(_burst_runs(states, saving, r, d)[3], 0.0), share, rho


#: The lag (months) at which :func:`scatter_memory` measures how months follow each other.
MEMORY_LAG = 3
#: The largest month-to-month correlation of the no-burst simulation.
MEMORY_MAX = 0.95


def scatter_memory(r: np.ndarray, d: np.ndarray, share: np.ndarray, rho: np.ndarray, *,
                   lag: int = MEMORY_LAG) -> np.ndarray:
    """How much each series' month shares resemble the previous month's, around its baseline.

    Coverage drifts: a topic is hot for a season, then cools, so a month's departure from the
    trend resembles the previous month's, and runs of high months (Kleinberg's bursts) come
    far more often than from independent months. Modelled as a first-order autoregression of
    the month shares: months ``k`` apart correlate by ``phi ** k``. ``share`` and ``rho`` as
    :func:`no_burst_baseline` gives them: under beta-binomial scatter ``rho`` the Pearson
    residuals ``e_t`` of months ``lag`` apart have covariance
    ``phi ** lag * rho * sqrt(d_t d_{t+lag})``, so ``phi ** lag`` is the sum of
    ``e_t e_{t+lag}`` over the pairs of months with articles over the sum of
    ``rho * sqrt(d_t d_{t+lag})``. That sum is first shrunk towards 0 by its own noise (the
    sum of the squared products, its variance for months without memory): a few articles a
    month with little scatter hardly tell memory from chance, and a chance ``phi ** 3`` of
    0.1 would read as ``phi`` 0.46.

    The lag is 3 months rather than 1, and the burst months are kept: a burst of up to three
    months, which the search is there to find, adds to the products of adjacent months but
    not to those three months apart, while drift over a season does. Without the burst months
    the highest run of a drifting series would be left out with them and its memory measured
    too short (as its scatter would be too small: :func:`no_burst_baseline`). Returns ``phi``
    of shape ``(n_series,)``, in ``[0, MEMORY_MAX]``; 0 for a series without scatter."""
    r = np.atleast_2d(np.asarray(r, dtype=float))
    d = np.atleast_2d(np.asarray(d, dtype=float))
    rho = np.asarray(rho, dtype=float)
    variance = d * share * (1 - share)
    seen = (d > 0) & (variance > 0)
    e = np.where(seen, (r - d * share) / np.sqrt(np.where(seen, variance, 1.0)), 0.0)
    pair = seen[:, lag:] & seen[:, :-lag]
    products = np.where(pair, e[:, lag:] * e[:, :-lag], 0.0)
    lagged = products.sum(axis=1)
    # Shrunk towards no memory by its sampling noise: the sum of squared products is the
    # variance of ``lagged`` for months without memory, and ``lagged ** 2`` less that variance
    # estimates the square of its mean (0 when the noise is larger).
    noise = (products ** 2).sum(axis=1)
    lagged = lagged * np.clip(1 - noise / np.maximum(lagged, 1e-12) ** 2, 0.0, 1.0)
    expected = rho * np.where(pair, np.sqrt(d[:, lag:] * d[:, :-lag]), 0.0).sum(axis=1)
    ratio = np.where(expected > 0, lagged / np.where(expected > 0, expected, 1.0), 0.0)
    return np.minimum(np.clip(ratio, 0.0, 1.0) ** (1.0 / lag), MEMORY_MAX)


def _chance_strength(r: np.ndarray, d: np.ndarray, share: np.ndarray, rho: np.ndarray,
                     regions: np.ndarray, *, s: float, gamma: float, min_docs: int, draws: int,
                     alpha: float, seed: int) -> dict[str, float]:
    """Per region, the ``1 - alpha`` quantile over ``draws`` simulations without bursts of
    the largest ``excess`` among its series' bursts (0 where a draw has none):
    :func:`detect_bursts`' ``attrs["chance"]``. Each simulated series follows its
    :func:`no_burst_baseline` (``share`` and ``rho``, fitted without its burst months, as
    :func:`detect_bursts` measured the bursts against it): its trend's share each month,
    scattered beta-binomially at its dispersion, each month's share drawn given the previous
    one with the series' :func:`scatter_memory`; the simulated series are then searched and
    measured as the real ones are.

    The simulated shares are :func:`_share_chains`' Markov chains."""
    rng = np.random.default_rng(seed)
    eligible = _usual_share(r, d) < 1.0 / s
    phi = scatter_memory(r, d, share, rho)
    totals = d.astype(np.int64)
    names = list(dict.fromkeys(regions))
    region_of = np.array([names.index(x) for x in regions])
    maxima = np.zeros((draws, len(names)))
    # Several draws' chains at once, in batches of bounded memory.
    batch = max(1, min(draws, 2_000_000 // max(share.size, 1)))
    for first in range(0, draws, batch):
        n_batch = min(batch, draws - first)
        shares = _share_chains(share, rho, phi, n_batch, rng)
        for j in range(n_batch):
            simulated = rng.binomial(totals, shares[j]).astype(float)
            states, saving = kleinberg_states(simulated, d, s=s, gamma=gamma)
            series, _, _, _, found, _ = _burst_runs(states, saving, simulated, d)
            excess = _excess(simulated, d, states, s=s)[0]
            keep = (found >= min_docs) & eligible[series]
            np.maximum.at(maxima[first + j], region_of[series[keep]], excess[keep])
    return {name: float(np.quantile(maxima[:, j], 1 - alpha)) for j, name in enumerate(names)}


def _share_chains(share: np.ndarray, rho: np.ndarray, phi: np.ndarray, n: int,
                  rng: np.random.Generator) -> np.ndarray:
    """``n`` simulated month shares of each series (``n × series × months``) without a burst:
    a Markov chain whose every month is Beta with mean ``share`` (the series' trend) and
    intra-month correlation ``rho``, and whose months follow each other with lag-1 correlation
    about ``phi``. Given last month's share ``x``, ``k ~ Bin(m, x)`` and the month's share
    ``~ Beta(A + k, B + m - k)`` (``A + B = 1 / rho - 1``, the Beta's size; ``A`` shifted by
    ``m`` times the trend's step so that the mean stays on the trend). Its lag-1 correlation
    is ``m / (A + B + m)``, so ``m`` is the whole number that makes it nearest ``phi``;
    ``m = 0`` draws the months independently. A series without scatter keeps its trend."""
    spread = rho > 0
    # Beta(a, b) with mean ``share`` and intra-month correlation ``rho = 1 / (a + b + 1)``.
    size = np.where(spread, 1 / np.where(spread, rho, 1) - 1, 1.0)[:, None]
    inner = spread[:, None] & (share > 0) & (share < 1)
    m = np.where(spread, np.rint(phi * size[:, 0] / (1 - phi)), 0)
    # The chain keeps its mean on the trend by shifting A by m times the trend's monthly step;
    # on a steep trend a large m would push A or B below 0, so m is held to half the room the
    # steepest month leaves (less memory there, rather than a mean off the trend).
    delta = np.diff(share, axis=1, prepend=share[:, :1])
    with np.errstate(divide="ignore", invalid="ignore"):
        room = np.minimum(np.where(delta < 0, share * size / -delta, np.inf),
                          np.where(delta > 0, (1 - share) * size / delta, np.inf)).min(axis=1)
    m = np.minimum(m, np.floor(0.5 * np.where(np.isfinite(room), room, np.inf)))
    m = np.where(np.isfinite(m), m, 0).astype(np.int64)
    step = delta * m[:, None]
    a = np.where(inner, np.maximum(share * size + step, 1e-3), 1.0)
    b = np.where(inner, np.maximum((1 - share) * size - step, 1e-3), 1.0)
    chain = np.empty((n, *share.shape))
    x = rng.beta(np.where(inner[:, 0], share[:, 0] * size[:, 0], 1.0),
                 np.where(inner[:, 0], (1 - share[:, 0]) * size[:, 0], 1.0), size=(n, len(share)))
    chain[:, :, 0] = x
    for t in range(1, share.shape[1]):
        k = rng.binomial(m, x)
        x = rng.beta(a[:, t] + k, b[:, t] + m - k)
        chain[:, :, t] = x
    return np.where(inner, chain, share)


def beyond_chance(table: pd.DataFrame) -> pd.Series:
    """Which bursts of a :func:`detect_bursts` (or :func:`merge_bursts`) table have an
    ``excess`` over their series' baseline larger than chance gives in their region
    (``attrs["chance"]``); all are when no simulation was run."""
    chance = table.attrs.get("chance") or {}
    if not chance or table.empty:
        return pd.Series(True, index=table.index, dtype=bool)
    limit = table["region"].map(lambda region: chance.get(region, np.inf)).astype(float)
    return (table["excess"].astype(float) > limit).astype(bool)


def mark_beyond_chance(table: pd.DataFrame) -> pd.DataFrame:
    """A :func:`detect_bursts` (or :func:`merge_bursts`) table with two more columns for a
    reader: ``chance``, the ``excess`` its region's bursts must beat (``attrs["chance"]``; NaN
    when no simulation was run), and ``beyond_chance`` (:func:`beyond_chance`), the bursts the
    findings cite. ``attrs`` are kept."""
    chance = table.attrs.get("chance") or {}
    out = table.copy()
    out["chance"] = table["region"].map(lambda region: chance.get(region, np.nan)).astype(float)
    out["beyond_chance"] = beyond_chance(table).astype(bool)
    out.attrs.update(table.attrs)
    return out


def merge_bursts(
    found: pd.DataFrame,
    hits: pd.DataFrame,
    *,
    min_overlap: float = 0.6,
    sep: str = "·",
) -> pd.DataFrame:
    """One row for bursts of one region that are the same coverage under several names.

    Words of one story burst together (상반기, 공사, 착공 of the same 22 articles): listed
    apart they read as three findings. ``found`` is a :func:`detect_bursts` table, ``hits`` the
    :func:`monthly_hits` table it was counted from. Going down ``found`` (strongest first), a
    burst joins the first kept burst of its region whose articles (those of its series within
    its months) and whose months both overlap it by at least ``min_overlap`` (Jaccard: shared
    over either); only the strongest burst of a group opens it, so no chain of small overlaps
    joins two unrelated bursts. ``min_overlap = 0.6`` is two bursts of 80 articles sharing 60
    in the same season: words of one event seldom run through exactly the same articles (one
    report says 요양병원, the next 요양 시설), so a stricter bar leaves one event as several rows.

    A merged row names its series joined by ``sep``, strongest first, and ``n_series`` says
    how many; ``start``/``end`` span all its bursts; ``strength`` is the strongest one's (the
    weights of near copies are not added) and ``excess`` the largest of its bursts' (so the
    event is beyond chance when any of its words is); ``n_docs`` counts the articles using any of its
    series within the span, ``n_total`` all the region's articles in it, ``share_burst`` their
    ratio; ``share_base`` the usual share of the articles using any of its series (over all
    months). Columns are
    :data:`BURST_COLUMNS` and ``n_series``; sorted by strength as ``found``.
    """
    if not 0 < min_overlap <= 1:
        raise ValueError("min_overlap must be in (0, 1]")
    out_cols = [*BURST_COLUMNS, "n_series"]
    if found.empty:
        out = pd.DataFrame({c: pd.Series(dtype=object) for c in out_cols})
        out.attrs.update(found.attrs)
        return out
    by_key = {key: part for key, part in hits.groupby(["region", "series"], sort=False)}

    def articles(region: str, names: Sequence[str], start, end) -> set[str]:
        ids: set[str] = set()
        for name in names:
            part = by_key.get((region, name))
            if part is not None:
                inside = part[(part["period"] >= start) & (part["period"] <= end)]
                ids |= set(inside["article_id"].astype(str))
        return ids

    def months(start, end) -> set[pd.Timestamp]:
        return set(pd.date_range(start, end, freq=hits.attrs.get("freq", "MS")))

    def jaccard(a: set, b: set) -> float:
        return len(a & b) / len(a | b) if a | b else 0.0

    groups: list[dict] = []
    for row in found.itertuples(index=False):
        ids, span = articles(row.region, [row.series], row.start, row.end), months(row.start,
                                                                                  row.end)
        for group in groups:
            lead = group["rows"][0]
            if (lead.region == row.region and jaccard(ids, group["ids"]) >= min_overlap
                    and jaccard(span, group["span"]) >= min_overlap):
                group["rows"].append(row)
                break
        else:
            groups.append({"rows": [row], "ids": ids, "span": span})
    totals = hits.attrs.get("totals", {})
    rows = []
    for group in groups:
        members = group["rows"]
        lead = members[0]
        if len(members) == 1:
            rows.append({**lead._asdict(), "n_series": 1})
            continue
        start, end = min(m.start for m in members), max(m.end for m in members)
        names = [m.series for m in members]
        k = len(articles(lead.region, names, start, end))
        n = sum(v for (period, region), v in totals.items()
                if region == lead.region and start <= period <= end)
        # The usual share of the group's words together, as n_docs counts the group's
        # articles: the strongest word's alone would overstate the jump.
        everywhere = len(articles(lead.region, names, pd.Timestamp.min, pd.Timestamp.max))
        region_total = sum(v for (_, region), v in totals.items() if region == lead.region)
        usual = everywhere / region_total if region_total else lead.share_base
        rows.append({**lead._asdict(), "series": sep.join(names), "start": start, "end": end,
                     "n_months": len(months(start, end)), "n_docs": k, "n_total": n,
                     "share_burst": k / n if n else np.nan, "share_base": usual,
                     "excess": max(m.excess for m in members), "n_series": len(members)})
    out = pd.DataFrame(rows, columns=out_cols)
    out = out.sort_values(["strength", "series"], ascending=[False, True]).reset_index(drop=True)
    out.attrs.update(found.attrs)
    out.attrs["min_overlap"] = min_overlap
    return out


def load_events(path: str | Path) -> pd.DataFrame:
    """An events file: tab-separated ``date, region, label`` with a header line; lines starting
    with ``#`` are comments. ``date`` is ``YYYY-MM-DD`` (or ``YYYY-MM``), ``region`` a city key,
    ``both``, ``neither`` or ``all``. Returns ``date, region, label`` sorted by date.
    As a spreadsheet program saves it, the file may also be comma-separated (a header line
    with commas and no tab) and UTF-8 with or without BOM, CP949 or UTF-16.
    Raises ``ValueError`` naming the file and line of a bad record."""
    path = Path(path)
    known = {*get_vocabulary().city_keys, BOTH, NEITHER, ALL_REGIONS}
    rows = []
    text = read_data_file(path)
    lines = [(n, ln) for n, ln in enumerate(text.split("\n"), 1)
             if ln.strip() and not ln.startswith("#")]
    if not lines:
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"),
                             "region": pd.Series(dtype=object), "label": pd.Series(dtype=object)})
    sep = "," if "\t" not in lines[0][1] and "," in lines[0][1] else "\t"
    kind = "comma" if sep == "," else "tab"
    header = next(csv.reader([lines[0][1]], delimiter=sep))
    if [h.strip() for h in header] != list(EVENT_COLUMNS):
        raise ValueError(f"{path.name} line {lines[0][0]}: header must be "
                         f"{' <TAB> '.join(EVENT_COLUMNS)}, got {header}")
    for n, line in lines[1:]:
        cells = [c.strip() for c in next(csv.reader([line], delimiter=sep))]
        if len(cells) != 3:
            raise ValueError(f"{path.name} line {n}: expected 3 {kind}-separated fields, got "
                             f"{len(cells)}")
        date = pd.to_datetime(cells[0], format="mixed", errors="coerce")
        if pd.isna(date):
            raise ValueError(f"{path.name} line {n}: unreadable date {cells[0]!r}")
        if cells[1] not in known:
            raise ValueError(f"{path.name} line {n}: region {cells[1]!r} is none of "
                             f"{sorted(known)}")
        rows.append((date, cells[1], cells[2]))
    out = pd.DataFrame(rows, columns=list(EVENT_COLUMNS)).sort_values("date", kind="stable")
    return out.reset_index(drop=True)


def burst_findings(topic_bursts: pd.DataFrame, term_bursts: pd.DataFrame | None = None, *,
                   n: int = 3) -> Findings:
    """Notebook 04 at a glance: per city, its ``n`` strongest topic bursts and term bursts
    (``detect_bursts``, merged) that are stronger than chance (:func:`beyond_chance`; how many
    are not is said), each with its months and how many of its articles were on the series
    then against its usual share. Facts ``burst`` (``topic`` the series, ``value`` the
    strength, ``n`` the articles on the series in the burst)."""
    ko: list[str] = []
    en: list[str] = []
    facts: list[dict[str, object]] = []

    def burst_ko() -> str:
        """급증 in Korean, with its usual name (버스트) beside it the first time it is said."""
        return "급증(버스트)" if not any("급증" in line for line in ko) else "급증"

    for kind, table in (("topic", topic_bursts), ("term", term_bursts)):
        if table is None:
            continue
        word_ko, word_en = ("주제", "topic") if kind == "topic" else ("단어", "word")
        if table.attrs.get("no_articles"):
            ko.append(f"날짜가 있는 스마트시티 기사가 없어 {word_ko} {burst_ko()}을 찾지 않았습니다.")
            en.append(f"No dated smart-city article: no {word_en} burst was looked for.")
            continue
        strong = beyond_chance(table)
        weak = int((~strong).sum())
        chance = table.attrs.get("chance") or {}
        searched = get_vocabulary().region_order({*chance, *table["region"]})
        bars_ko = ", ".join(f"{region_label(r)} {chance[r]:.1f}" for r in searched if r in chance)
        bars_en = ", ".join(f"{region_label(r, lang='en')} {chance[r]:.1f}" for r in searched
                            if r in chance)
        table = table[strong]
        if table.empty:
            ko.append(f"{word_ko} {burst_ko()}이 없습니다" + (
                f" (찾은 {weak}개 모두 실제 급증이 없어도 우연히 나올 만한 강도"
                + (f": 추세 대비 강도가 도시별 우연 기준 {bars_ko} 이하" if bars_ko else "")
                + ")." if weak else "."))
            en.append(f"No {word_en} burst" + (
                f" (all {weak} found are as strong as chance makes them"
                + (f": their excess over the trend is at most each city's bar, {bars_en}"
                   if bars_en else "") + ")." if weak else "."))
            continue
        for region in searched:
            top = table[table["region"] == region].sort_values("excess", ascending=False)
            if top.empty:
                if region in chance:
                    ko.append(f"{region_label(region)}: 우연 이상의 {word_ko} {burst_ko()} 없음 "
                              f"(추세 대비 강도의 우연 기준 {chance[region]:.1f}).")
                    en.append(f"{region_label(region, lang='en')}: no {word_en} burst beyond "
                              f"chance (bar {chance[region]:.1f} of excess over the trend).")
                continue
            said_ko, said_en = [], []
            for _, row in top.head(n).iterrows():
                name = (topic_label(row["series"]) if kind == "topic" else str(row["series"]))
                name_en = (topic_label(row["series"], lang="en") if kind == "topic"
                           else str(row["series"]))
                months = f"{row['start']:%Y-%m}~{row['end']:%Y-%m}"
                share = (f"{int(row['n_total'])}건 중 {int(row['n_docs'])}건, 평소 "
                         f"{row['share_base'] * 100:.0f}%")
                said_ko.append(f"{name} {months} ({share})")
                said_en.append(f"{name_en} {months} ({int(row['n_docs'])} of "
                               f"{int(row['n_total'])} articles, usually "
                               f"{row['share_base'] * 100:.0f}%)")
                facts.append({"kind": "burst", "region": region, "topic": str(row["series"]),
                              "value": float(row["strength"]), "ci_low": np.nan,
                              "ci_high": np.nan, "n": int(row["n_docs"]),
                              "p_adjusted": np.nan})
            more = f" 외 {len(top) - n}개" if len(top) > n else ""
            more_en = f", and {len(top) - n} more" if len(top) > n else ""
            ko.append(f"{region_label(region)}의 가장 강한 {word_ko} {burst_ko()}: "
                      f"{'; '.join(said_ko)}{more}.")
            en.append(f"{region_label(region, lang='en')}'s strongest {word_en} bursts: "
                      f"{'; '.join(said_en)}{more_en}.")
        if weak:
            ko.append(f"{word_ko} {burst_ko()} {weak}개는 실제 급증이 없어도 우연히 나올 만한 "
                      "강도라 주요 결과에서는 뺐습니다 (계열마다 제 추세와 흩어짐을 따르되 급증은 없는 "
                      "모의실험의 95백분위수 이하"
                      + (f": 추세 대비 강도의 우연 기준 {bars_ko}" if bars_ko else "")
                      + "; 아래 그림과 표에는 남아 있음).")
            en.append(f"{weak} {word_en} bursts are left out: no stronger than chance makes "
                      "them (the 95th percentile of simulations without bursts that follow each "
                      "series' own trend and scatter"
                      + (f": a bar of {bars_en} of excess over the trend" if bars_en else "")
                      + ").")
    if facts:
        ko.append(f"{burst_ko()}은 그 달들에 주제·단어의 비중이 평소의 몇 배로 뛴 기간입니다 "
                  "(Kleinberg). 사건 목록과 겹치는지는 4절(주제)과 5절(단어)의 그림에서 보십시오.")
        en.append("A burst is a run of months in which a topic's or word's share jumped to "
                  "several times its usual level (Kleinberg); the charts of sections 4 (topics) "
                  "and 5 (words) show whether an event of the list falls in it.")
    return Findings(ko=ko, en=en, facts=pd.DataFrame(facts, columns=list(FACT_COLUMNS)))
