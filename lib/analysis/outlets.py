"""Do the two cities' differences rest on a few outlets? The outlet check of notebook 02.

``compare_regions`` counts articles as independent draws. They are not quite: an outlet's
articles share its beat, its reporters and the press releases it runs, and one local outlet may
write much of one city's coverage. Then a difference between the cities can be a difference
between outlets, and the article-level interval is too narrow. ``outlet_check`` asks of each
topic's whole-span difference between two cities (``compare_regions(freq="all")``):

- ``boot_low, boot_high``: a percentile interval from resampling **outlets** with replacement,
  each with all its articles of both cities (the cluster bootstrap; Cameron, Gelbach & Miller
  2008, Field & Welsh 2007). Where outlets differ in what they cover it is wider than the
  article-level interval; where they do not, about as wide.
- ``loo_min, loo_max``: the difference with each outlet left out in turn; ``loo_significant``:
  the difference is significant in every one of those runs (the same score test, and the same
  Benjamini–Hochberg adjustment over the topics, as ``compare_regions``); ``swing_outlet``: the
  outlet whose removal moves the difference most towards zero (or past it), ``swing_diff`` the
  difference without it (or, when leaving it out leaves a city fewer than ``min_n``
  articles, the outlet that writes nearly all of that city's: ``note`` says so).
- ``holds``: significant, still significant whichever one outlet is left out, and the
  outlet-resampled interval excludes zero.

``outlet_shares`` says how much of each city's coverage each outlet writes.

Returns ``OUTLET_CHECK_COLUMNS``; ``note`` says why a row was not checked. Nothing here draws;
``lib.present.topic_plots.plot_outlet_check`` draws the table, and
``topic_trends.findings(..., outlet_check=table)`` says in a sentence what it found.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from lib.analysis import topic_trends as tt
from lib.analysis.trends import ALL_PERIODS
from lib.vocabulary import get_vocabulary

OUTLET_CHECK_COLUMNS = (
    "topic", "a", "b", "share_a", "share_b", "n_a", "n_b", "diff", "ci_low", "ci_high",
    "p_adjusted", "significant", "n_outlets", "boot_low", "boot_high", "loo_min", "loo_max",
    "loo_significant", "swing_outlet", "swing_diff", "holds", "too_few", "note",
)
OUTLET_SHARE_COLUMNS = ("region", "outlet", "n", "share", "rank")

#: Fewer outlets than this are too few to resample: the bootstrap's interval is left empty.
MIN_OUTLETS = 5
#: An article without an outlet counts in this one group.
NO_OUTLET = "(언론사 없음)"


def _members(tagged: pd.DataFrame, *, a: str, b: str, base: str, both: str,
             dedup: bool) -> pd.DataFrame:
    """The two cities' articles of the ``base``, one row per (article, city), with ``outlet``."""
    frame = tt.series_frame(tagged, freq=ALL_PERIODS, both=both, dedup=dedup, keep=("outlet",))
    frame = frame[frame["series"].isin([a, b])]
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
    frame = _members(tagged, a=a, b=b, base=base, both=both, dedup=dedup)
    counts = frame.groupby(["series", "outlet"]).size().rename("n").reset_index()
    counts = counts.rename(columns={"series": "region"})
    counts["share"] = counts["n"] / counts.groupby("region")["n"].transform("sum")
    order = {a: 0, b: 1}
    counts = counts.sort_values(["region", "n", "outlet"], ascending=[True, False, True],
                                key=lambda s: s.map(order) if s.name == "region" else s)
    counts["rank"] = counts.groupby("region").cumcount() + 1
    return counts[list(OUTLET_SHARE_COLUMNS)].reset_index(drop=True)


def outlet_check(
    tagged: pd.DataFrame,
    *,
    a: str | None = None,
    b: str | None = None,
    base: str = "smart_city",
    min_n: int = 10,
    topics: Sequence[str] | None = None,
    both: str = "own",
    dedup: bool = True,
    alpha: float = 0.05,
    n_boot: int = 2000,
    seed: int = 0,
) -> pd.DataFrame:
    """Each topic's whole-span difference ``a`` minus ``b``, checked against the outlets.

    The first columns are those of ``compare_regions(freq="all")`` (same options); then
    ``n_outlets`` (outlets with an article of either city), the outlet-resampled interval
    ``boot_low, boot_high`` (``n_boot`` draws, ``seed`` fixed so a rerun gives the same
    table; draws in which a city has fewer than ``min_n`` articles are left out), the
    leave-one-outlet-out range ``loo_min, loo_max``, ``loo_significant``, ``swing_outlet``,
    ``swing_diff`` and ``holds`` (see the module's text). Differences are fractions (-1…1).
    With fewer than :data:`MIN_OUTLETS` outlets nothing is resampled or left out, and
    ``note`` says so.
    """
    vocabulary = get_vocabulary()
    a, b = a or vocabulary.compare[0], b or vocabulary.compare[1]
    overall = tt.compare_regions(tagged, freq=ALL_PERIODS, a=a, b=b, base=base, min_n=min_n,
                                 topics=topics, both=both, dedup=dedup, alpha=alpha)
    out = overall.drop(columns=["period", "n_docs_a", "n_docs_b", "p_value"]).copy()
    names = list(out["topic"])
    frame = _members(tagged, a=a, b=b, base=base, both=both, dedup=dedup)
    outlets = sorted(frame["outlet"].unique())
    n_out = len(outlets)
    # Per outlet (rows) and city: articles of the base (n) and smart-city ones with each topic.
    index = {o: i for i, o in enumerate(outlets)}
    col = {t: j for j, t in enumerate(names)}
    n = np.zeros((2, n_out))
    k = np.zeros((2, n_out, len(names)))
    for side, city in enumerate((a, b)):
        rows = frame[frame["series"] == city]
        counts = rows.groupby("outlet").size()
        n[side, [index[o] for o in counts.index]] = counts.to_numpy()
        exploded = rows.loc[rows["smart_city"], ["outlet", "topics"]].explode("topics")
        exploded = exploded[exploded["topics"].isin(col)]
        for (o, t), c in exploded.groupby(["outlet", "topics"]).size().items():
            k[side, index[o], col[t]] = c
    out["n_outlets"] = n_out
    for name in ("boot_low", "boot_high", "loo_min", "loo_max", "swing_diff"):
        out[name] = np.nan
    out["loo_significant"] = False
    out["swing_outlet"] = ""
    out["note"] = np.where(out["too_few"], f"a city has fewer than {min_n} articles", "")
    if n_out < MIN_OUTLETS:
        out.loc[~out["too_few"], "note"] = (f"{n_out} outlets: too few to resample or leave "
                                            "out")
    elif len(out):
        _bootstrap(out, n, k, min_n=min_n, alpha=alpha, n_boot=n_boot, seed=seed)
        _leave_one_out(out, n, k, outlets, min_n=min_n, alpha=alpha)
    excludes_zero = (out["boot_low"] > 0) | (out["boot_high"] < 0)
    out["holds"] = (out["significant"] & out["loo_significant"] & excludes_zero).astype(bool)
    out = out[list(OUTLET_CHECK_COLUMNS)].reset_index(drop=True)
    out.attrs.update(a=a, b=b, min_n=int(min_n), base=base, both=both, alpha=alpha,
                     n_boot=int(n_boot), seed=int(seed), min_outlets=MIN_OUTLETS)
    return out


def _bootstrap(out: pd.DataFrame, n: np.ndarray, k: np.ndarray, *, min_n: int, alpha: float,
               n_boot: int, seed: int) -> None:
    """Fill ``boot_low, boot_high``: resample outlets (multinomial weights), recompute."""
    n_out = n.shape[1]
    weights = np.random.default_rng(seed).multinomial(n_out, np.full(n_out, 1 / n_out),
                                                      size=int(n_boot)).astype(float)
    n_a, n_b = weights @ n[0], weights @ n[1]
    usable = (n_a >= min_n) & (n_b >= min_n)
    if not usable.any():
        out.loc[~out["too_few"], "note"] = "no resample gives both cities enough articles"
        return
    diff = (weights[usable] @ k[0]) / n_a[usable, None] - (weights[usable] @ k[1]) / n_b[
        usable, None]
    low, high = np.percentile(diff, [100 * alpha / 2, 100 * (1 - alpha / 2)], axis=0)
    tested = ~out["too_few"].to_numpy()
    out.loc[tested, "boot_low"] = low[tested]
    out.loc[tested, "boot_high"] = high[tested]


def _leave_one_out(out: pd.DataFrame, n: np.ndarray, k: np.ndarray, outlets: list[str], *,
                   min_n: int, alpha: float) -> None:
    """Fill ``loo_min, loo_max, loo_significant, swing_outlet, swing_diff``."""
    tested = ~out["too_few"].to_numpy()
    n_topics = len(out)
    diffs = np.full((len(outlets), n_topics), np.nan)
    significant = np.zeros((len(outlets), n_topics), dtype=bool)
    for g in range(len(outlets)):
        n_a, n_b = n[0].sum() - n[0, g], n[1].sum() - n[1, g]
        if n_a < min_n or n_b < min_n:
            continue  # this outlet writes nearly all of a city's articles: nothing is left
        k_a, k_b = k[0].sum(axis=0) - k[0, g], k[1].sum(axis=0) - k[1, g]
        p_values = np.full(n_topics, np.nan)
        for j in np.flatnonzero(tested):
            diffs[g, j], _, _, p_values[j] = tt.difference_test(
                int(k_a[j]), int(n_a), int(k_b[j]), int(n_b), alpha=alpha)
        significant[g] = (tt.benjamini_hochberg(p_values) < alpha).to_numpy()
    emptied = np.isnan(diffs).all(axis=1)
    for j in np.flatnonzero(tested):
        column = diffs[:, j]
        if emptied.any():
            heavy = outlets[int(np.flatnonzero(emptied)[0])]
            out.loc[j, "swing_outlet"] = heavy
            out.loc[j, "note"] = f"{heavy} writes all but fewer than {min_n} of a city's articles"
            continue
        out.loc[j, "loo_min"], out.loc[j, "loo_max"] = column.min(), column.max()
        out.loc[j, "loo_significant"] = bool(significant[:, j].all())
        toward_zero = column * np.sign(out.loc[j, "diff"]) if out.loc[j, "diff"] else np.abs(column)
        g = int(np.argmin(toward_zero))
        out.loc[j, "swing_outlet"] = outlets[g]
        out.loc[j, "swing_diff"] = column[g]
