"""Counts, smart-city shares and topic counts: invariants, known values, edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import matplotlib.dates as mdates
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

from lib.analysis import trends
from lib.corpus.schema import to_frame
from tests.conftest import tagged_rows

REGIONS = ("sejong", "daejeon", "both", "neither")



def _keys(topics: str | tuple[str, ...]) -> tuple[str, ...]:
    """Rows below write topics as ``"a|b"`` for brevity; the tagged table holds tuples."""
    return tuple(filter(None, topics.split("|"))) if isinstance(topics, str) else tuple(topics)

def tagged_frame(rows: list[tuple[str | None, str, bool, str, bool]]) -> pd.DataFrame:
    """Articles in the canonical schema plus tag columns.

    Each row is ``(published, region, smart_city, topics, is_duplicate)``.
    """
    records = [
        {"article_id": f"a{i}", "title": f"기사 {i}", "published": pub, "is_duplicate": dup}
        for i, (pub, _, _, _, dup) in enumerate(rows)
    ]
    frame = to_frame(records)
    frame["region"] = [r[1] for r in rows]
    frame["smart_city"] = [r[2] for r in rows]
    frame["topics"] = [_keys(r[3]) for r in rows]
    return frame


def closed_form_wilson(k: int, n: int, alpha: float) -> tuple[float, float]:
    """Wilson (1927) score interval written out, independent of statsmodels."""
    z = norm.ppf(1 - alpha / 2)
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(
    ("k", "n"), [(0, 1), (0, 10), (1, 10), (5, 10), (10, 10), (81, 263), (15, 148), (3, 1000)]
)
@pytest.mark.parametrize("alpha", [0.05, 0.1, 0.01])
def test_wilson_matches_closed_form(k: int, n: int, alpha: float) -> None:
    low, high = trends.wilson_interval(k, n, alpha=alpha)
    exp_low, exp_high = closed_form_wilson(k, n, alpha)
    assert float(low) == pytest.approx(max(exp_low, 0.0), abs=1e-10)
    assert float(high) == pytest.approx(min(exp_high, 1.0), abs=1e-10)


@pytest.mark.parametrize(
    ("k", "n", "expected"),
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score).
    [(81, 263, (0.2553, 0.3662)), (15, 148, (0.0624, 0.1605)), (0, 20, (0.0, 0.1611)),
     (1, 29, (0.0061, 0.1718))],
)
def test_wilson_matches_published_values(k: int, n: int, expected: tuple[float, float]) -> None:
    low, high = trends.wilson_interval(k, n)
    assert (round(float(low), 4), round(float(high), 4)) == expected


def test_wilson_is_vectorised_and_nan_for_empty_bins() -> None:
    k = pd.Series([0, 2, 0, 7])
    n = pd.Series([0, 4, 5, 7])
    low, high = trends.wilson_interval(k, n)
    assert low.shape == high.shape == (4,)
    assert np.isnan(low[0]) and np.isnan(high[0])
    assert low[2] == 0.0 and high[3] == 1.0
    assert np.all(low[1:] <= (k / n)[1:]) and np.all((k / n)[1:] <= high[1:])


def test_wilson_rejects_k_above_n() -> None:
    with pytest.raises(ValueError, match="k <= n"):
        trends.wilson_interval([3], [2])


def test_count_articles_fills_empty_periods_with_zero_for_every_region() -> None:
    frame = tagged_frame([
        ("2021-01-15", "sejong", True, "mobility", False),
        ("2021-02-20", "sejong", False, "", False),
        ("2021-08-03", "daejeon", True, "data_ai", False),
    ])
    out = trends.count_articles(frame, freq="QS")
    assert list(out.columns) == ["period", "region", "n_articles"]
    # Q1, Q2 (empty), Q3, each with all four regions.
    assert sorted(out["period"].unique()) == list(pd.to_datetime(["2021-01-01", "2021-04-01",
                                                                   "2021-07-01"]))
    assert len(out) == 3 * 4
    assert out["n_articles"].sum() == 3
    q2 = out[out["period"] == pd.Timestamp("2021-04-01")]
    assert set(q2["region"]) == set(REGIONS) and (q2["n_articles"] == 0).all()
    q1_sejong = out[(out["period"] == pd.Timestamp("2021-01-01")) & (out["region"] == "sejong")]
    assert q1_sejong["n_articles"].item() == 2


def test_count_articles_dedup_and_undated() -> None:
    frame = tagged_frame([
        ("2021-01-15", "sejong", True, "mobility", False),
        ("2021-01-15", "sejong", True, "mobility", True),
        (None, "daejeon", False, "", False),
    ])
    assert trends.count_articles(frame)["n_articles"].sum() == 1
    assert trends.count_articles(frame, dedup=False)["n_articles"].sum() == 2
    assert trends.count_undated(frame) == 1


@pytest.mark.parametrize("func", [trends.count_articles, trends.smart_city_share,
                                  trends.topic_counts])
def test_empty_input_gives_empty_table_with_columns(func) -> None:
    out = func(tagged_frame([]))
    assert out.empty
    expected = {
        trends.count_articles: trends.COUNT_COLUMNS,
        trends.smart_city_share: trends.SHARE_COLUMNS,
        trends.topic_counts: trends.TOPIC_COUNT_COLUMNS,
    }[func]
    assert tuple(out.columns) == expected


def test_smart_city_share_marks_small_bins_as_too_few_not_zero() -> None:
    rows = [("2021-01-10", "sejong", i < 4, "mobility" if i < 4 else "", False) for i in range(12)]
    rows += [("2021-01-10", "daejeon", False, "", False) for _ in range(3)]
    out = trends.smart_city_share(tagged_frame(rows), min_n=10)
    sejong = out[out["region"] == "sejong"].iloc[0]
    assert (sejong["n_docs"], sejong["n_total"]) == (4, 12)
    assert sejong["share"] == pytest.approx(4 / 12)
    assert not sejong["too_few"]
    daejeon = out[out["region"] == "daejeon"].iloc[0]
    assert daejeon["too_few"] and daejeon["n_total"] == 3
    assert math.isnan(daejeon["share"]) and math.isnan(daejeon["ci_low"])
    assert out.attrs["min_n"] == 10


def test_smart_city_share_works_without_tags() -> None:
    frame = tagged_frame([("2021-01-10", "sejong", True, "", False)] * 3)
    untagged = frame.drop(columns=["region", "smart_city", "topics"])
    out = trends.smart_city_share(untagged, min_n=1)
    neither = out[out["region"] == "neither"].iloc[0]
    assert (neither["n_docs"], neither["n_total"], neither["share"]) == (0, 3, 0.0)
    assert (out[out["region"] != "neither"]["n_total"] == 0).all()


row_strategy = st.tuples(
    st.one_of(st.none(), st.dates(min_value=pd.Timestamp("2018-01-01").date(),
                                  max_value=pd.Timestamp("2023-12-31").date()).map(str)),
    st.sampled_from(REGIONS),
    st.booleans(),
    st.lists(st.sampled_from(["pilot_city", "mobility", "data_ai", "energy_environment"]),
             max_size=3, unique=True).map(tuple),
    st.booleans(),
)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row_strategy, max_size=60), min_n=st.integers(1, 15),
       freq=st.sampled_from(["QS", "MS", "YS"]))
def test_share_invariants(rows, min_n, freq) -> None:
    frame = tagged_frame(rows)
    out = trends.smart_city_share(frame, freq=freq, min_n=min_n)
    assert (out["n_docs"] <= out["n_total"]).all()
    assert (out["too_few"] == (out["n_total"] < min_n)).all()
    shown = out[~out["too_few"]]
    assert shown["share"].between(0, 1).all()
    assert (shown["ci_low"] <= shown["share"] + 1e-12).all()
    assert (shown["share"] <= shown["ci_high"] + 1e-12).all()
    assert out.loc[out["too_few"], "share"].isna().all()
    # Same denominators as count_articles, and every dated unique article counted once.
    counts = trends.count_articles(frame, freq=freq)
    assert out["n_total"].tolist() == counts["n_articles"].tolist()
    dated_unique = sum(1 for r in rows if r[0] is not None and not r[4])
    assert out["n_total"].sum() == dated_unique
    assert out["n_docs"].sum() == sum(1 for r in rows if r[0] is not None and not r[4] and r[2])


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row_strategy, max_size=60), min_n=st.integers(1, 15))
def test_whole_span_share_pools_every_unique_article_dated_or_not(rows, min_n) -> None:
    frame = tagged_frame(rows)
    out = trends.smart_city_share(frame, freq="all", min_n=min_n)
    unique = [r for r in rows if not r[4]]
    if not unique:
        assert out.empty
        return
    assert set(out["period"]) == {"all"} and out["region"].is_unique
    assert out.attrs["freq"] == "all"
    for region, part in out.groupby("region"):
        mine = [r for r in unique if r[1] == region]
        row = part.iloc[0]
        assert (row["n_total"], row["n_docs"]) == (len(mine), sum(r[2] for r in mine))
        assert row["too_few"] == (len(mine) < min_n)
        if not row["too_few"]:
            low, high = trends.wilson_interval(row["n_docs"], row["n_total"])
            assert row["share"] == pytest.approx(row["n_docs"] / row["n_total"])
            assert (row["ci_low"], row["ci_high"]) == pytest.approx((float(low), float(high)))
    # Every region has its row (0 when it has no article); a per-period table leaves out the
    # undated articles that the whole span counts.
    assert set(out["region"]) == set(REGIONS)
    per_year = trends.smart_city_share(frame, freq="YS", min_n=min_n)
    assert per_year["n_total"].sum() == sum(1 for r in unique if r[0] is not None)


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(row_strategy, max_size=60))
def test_topic_count_invariants(rows) -> None:
    frame = tagged_frame(rows)
    out = trends.topic_counts(frame)
    assert (out["n_docs"] <= out["n_total"]).all()
    assert out["share"].between(0, 1).all()
    assert (out["ci_low"] <= out["share"] + 1e-12).all()
    assert (out["share"] <= out["ci_high"] + 1e-12).all()
    unique_smart = [r for r in rows if r[2] and not r[4]]
    for (region, topic), n_docs in out.set_index(["region", "topic"])["n_docs"].items():
        expected = sum(1 for r in unique_smart if r[1] == region and topic in _keys(r[3]))
        assert n_docs == expected
    for region, n_total in out.groupby("region")["n_total"].first().items():
        assert n_total == sum(1 for r in unique_smart if r[1] == region)


def test_topic_counts_sorted_by_region_then_count_and_includes_zero_topics() -> None:
    frame = tagged_frame([
        ("2021-01-10", "daejeon", True, "data_ai|mobility", False),
        ("2021-01-11", "daejeon", True, "data_ai", False),
        ("2021-01-12", "sejong", True, "pilot_city", False),
        ("2021-01-13", "sejong", False, "mobility", False),  # not smart-city: not counted
    ])
    out = trends.topic_counts(frame)
    assert out["region"].tolist()[:3] == ["sejong"] * 3
    sejong = out[out["region"] == "sejong"]
    assert sejong["topic"].tolist() == ["pilot_city", "data_ai", "mobility"]
    assert sejong["n_docs"].tolist() == [1, 0, 0] and (sejong["n_total"] == 1).all()
    daejeon = out[out["region"] == "daejeon"].set_index("topic")
    assert daejeon.loc["data_ai", "share"] == 1.0 and daejeon.loc["mobility", "share"] == 0.5
    every = trends.topic_counts(frame, smart_city_only=False)
    sejong_mobility = every[(every["region"] == "sejong") & (every["topic"] == "mobility")]
    assert sejong_mobility["n_docs"].item() == 1


def test_topic_counts_by_period_and_region() -> None:
    frame = tagged_frame([
        ("2021-01-10", "sejong", True, "mobility", False),
        ("2021-05-10", "sejong", True, "mobility|data_ai", False),
    ])
    out = trends.topic_counts(frame, by=["period", "region"], freq="QS")
    assert list(out.columns[:3]) == ["period", "region", "topic"]
    q2 = out[out["period"] == pd.Timestamp("2021-04-01")].set_index("topic")
    assert q2.loc["data_ai", "n_docs"] == 1 and q2.loc["mobility", "n_total"] == 1


def test_period_start_handles_frequencies() -> None:
    dates = pd.Series(pd.to_datetime(["2021-02-15 13:00", "2021-04-01 00:00", None]))
    assert trends.period_start(dates, freq="QS").tolist()[:2] == [pd.Timestamp("2021-01-01"),
                                                                  pd.Timestamp("2021-04-01")]
    assert trends.period_start(dates, freq="MS")[0] == pd.Timestamp("2021-02-01")
    assert trends.period_start(dates, freq="YS")[1] == pd.Timestamp("2021-01-01")
    assert pd.isna(trends.period_start(dates)[2])


def _thin_share_rows() -> list[dict]:
    """Sejong: two years of 2 articles, five years of 12 (the middle one 4), two more of 1."""
    per_year = {2010: 2, 2011: 2, 2012: 12, 2013: 12, 2014: 4, 2015: 12, 2016: 12, 2017: 1,
                2018: 1}
    return [{"published": f"{year}-03-0{i % 9 + 1}", "region": "sejong", "smart_city": i % 2}
            for year, n in per_year.items() for i in range(n)]


def test_thin_edges_are_cut_and_the_thin_periods_between_kept() -> None:
    shares = trends.smart_city_share(tagged_rows(_thin_share_rows()), freq="YS", min_n=10)
    trimmed = trends.trim_thin_edges(shares, regions=["sejong"])
    years = sorted({p.year for p in trimmed["period"]})
    assert years == [2012, 2013, 2014, 2015, 2016]  # 2014 (4 articles) stays: between
    assert trimmed.attrs["freq"] == "YS" and trimmed.attrs["min_n"] == 10
    assert trimmed.attrs["thin_edges"] == [
        (pd.Timestamp("2010-01-01"), pd.Timestamp("2011-01-01"), 4),
        (pd.Timestamp("2017-01-01"), pd.Timestamp("2018-01-01"), 2),
    ]
    assert "thin_edges" not in shares.attrs  # the table passed in is left as it was
    kept = shares[shares["period"].dt.year.between(2012, 2016)].reset_index(drop=True)
    pd.testing.assert_frame_equal(trimmed, kept)
    # No readable period at all: the table comes back whole, with nothing said cut.
    none = trends.trim_thin_edges(
        trends.smart_city_share(tagged_rows(_thin_share_rows()), freq="YS", min_n=50))
    assert len(none) == len(shares) and none.attrs["thin_edges"] == []


def test_the_share_chart_starts_at_the_first_readable_period_and_says_what_it_left_out() -> None:
    from lib.present import plots

    shares = trends.smart_city_share(tagged_rows(_thin_share_rows()), freq="YS", min_n=10)
    fig = plots.plot_smart_city_share(shares, regions=["sejong"])
    ax = fig.axes[0]
    left, right = ax.get_xlim()
    assert pd.Timestamp("2011-01-01") < mdates.num2date(left).replace(tzinfo=None) \
        < pd.Timestamp("2012-01-01")
    assert mdates.num2date(right).replace(tzinfo=None) < pd.Timestamp("2017-01-01")
    assert "2010–2011, 2017–2018 생략 (세종 n < 10, 기사 6건)" in ax.get_xlabel()
    # The panel's title still counts every article of every period.
    assert ax.get_title(loc="left").startswith("세종: 스마트시티 28건 / 전체 58건")


def test_partial_first_and_last_periods_are_found_and_drawn_hollow() -> None:
    from lib.present import plots

    rows = [{"published": d, "region": "sejong", "smart_city": True}
            for d in ("2020-11-20", "2021-02-01", "2021-06-30", "2022-03-07")]
    counts = trends.count_articles(tagged_rows(rows), freq="YS")
    assert trends.partial_periods(counts) == {
        "first": (pd.Timestamp("2020-01-01"), pd.Timestamp("2020-11-20")),
        "last": (pd.Timestamp("2022-01-01"), pd.Timestamp("2022-03-07")),
    }
    fig = plots.plot_article_counts(counts)
    assert fig.axes[0].get_xlabel().endswith(
        "속 빈 점: 일부만 담긴 기간 (2020: 2020-11-20부터, 2022: 2022-03-07까지)")
    # Days covered to the end of the year: a corpus that runs to 24 December is whole.
    whole = [*rows, {"published": "2022-12-24", "region": "sejong", "smart_city": True},
             {"published": "2020-01-10", "region": "sejong", "smart_city": True}]
    assert trends.partial_periods(trends.count_articles(tagged_rows(whole), freq="YS")) == {}
    assert trends.partial_periods(trends.count_articles(tagged_rows(whole), freq="QS")) == {}
