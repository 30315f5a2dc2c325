"""Topic shares per city and period, the city difference, trend tests, the period choice, the
articles behind each number and the findings: invariants, hand counts, closed forms, edge cases."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm
from statsmodels.stats.multitest import multipletests

from lib import paths
from lib.analysis import topic_trends as tt
from lib.analysis import trends
from lib.corpus import load_corpus
from lib.corpus.schema import to_frame
from lib.tagging import tag_articles
from lib.vocabulary import get_vocabulary
from tests.conftest import bigkinds_row, write_bigkinds_csv

TOPICS = ("pilot_city", "mobility", "data_ai", "challenge_livinglab")


def make_tagged(rows: list[dict]) -> pd.DataFrame:
    """Articles in the canonical schema plus tag columns. Each row: ``published, region,
    smart_city, topics`` (a tuple) and optionally ``is_duplicate``."""
    records = [{"article_id": f"a{i:05d}", "title": f"합성 기사 {i}", "outlet": "합성일보",
                "url": f"https://example.kr/{i}", "published": r["published"],
                "is_duplicate": r.get("is_duplicate", False)} for i, r in enumerate(rows)]
    frame = to_frame(records)
    frame["region"] = [r["region"] for r in rows]
    frame["smart_city"] = [bool(r["smart_city"]) for r in rows]
    frame["topics"] = [tuple(r["topics"]) for r in rows]
    frame["topic_evidence"] = [";".join(f"{t}:합성어" for t in r["topics"]) for r in rows]
    frame["region_evidence"] = [f"{r['region']}: title:합성" for r in rows]
    return frame


def random_rows(n: int, *, seed: int, start: str = "2020-01-01", days: int = 1095,
                regions: tuple[str, ...] = ("sejong", "daejeon", "both", "neither"),
                probs: dict[str, dict[str, float]] | None = None,
                gap: tuple[str, str] | None = None) -> list[dict]:
    """``n`` random articles; ``probs[region][topic]`` is the chance of each topic label."""
    rng = np.random.default_rng(seed)
    base = pd.Timestamp(start)
    rows = []
    for _ in range(n):
        when = base + pd.Timedelta(days=int(rng.integers(0, days)))
        if gap and pd.Timestamp(gap[0]) <= when < pd.Timestamp(gap[1]):
            continue
        region = str(rng.choice(regions))
        smart = bool(rng.random() < 0.7)
        p = (probs or {}).get(region, {})
        topics = tuple(t for t in TOPICS if smart and rng.random() < p.get(t, 0.3))
        rows.append({"published": when if rng.random() > 0.03 else None, "region": region,
                     "smart_city": smart, "topics": topics,
                     "is_duplicate": bool(rng.random() < 0.05)})
    return rows


@pytest.fixture(scope="module")
def tagged() -> pd.DataFrame:
    """~600 articles over 2020-2022 with no article at all in 2021Q2."""
    return make_tagged(random_rows(640, seed=3, gap=("2021-04-01", "2021-07-01")))


# --- topic_shares ------------------------------------------------------------------------------


def test_topic_shares_columns_invariants_and_small_bins(tagged: pd.DataFrame) -> None:
    out = tt.topic_shares(tagged, freq="QS", min_n=8)
    assert tuple(out.columns) == tt.SHARE_COLUMNS
    assert (out["n_docs"] <= out["n_total"]).all() and (out["n_docs"] >= 0).all()
    shown = out[out["share"].notna()]
    assert len(shown) > 0
    assert (shown["ci_low"] >= 0).all() and (shown["ci_high"] <= 1).all()
    assert (shown["ci_low"] <= shown["share"]).all() and (shown["share"] <= shown["ci_high"]).all()
    assert (out["too_few"] == (out["n_total"] < 8)).all()
    assert out.loc[out["too_few"], ["share", "ci_low", "ci_high"]].isna().all().all()
    assert out.attrs["freq"] == "QS" and out.attrs["min_n"] == 8


def test_empty_periods_are_rows_with_n_total_zero(tagged: pd.DataFrame) -> None:
    out = tt.topic_shares(tagged, freq="QS")
    periods = sorted(out["period"].unique())
    assert periods[0] == pd.Timestamp("2020-01-01") and periods[-1] == pd.Timestamp("2022-10-01")
    assert len(periods) == 12
    regions = [*get_vocabulary().city_keys, "both"]
    assert len(out) == 12 * len(regions) * len(set(out["topic"]))
    gap = out[out["period"] == pd.Timestamp("2021-04-01")]
    assert len(gap) == len(regions) * len(set(out["topic"]))
    assert (gap["n_total"] == 0).all() and gap["too_few"].all() and gap["share"].isna().all()


def test_counts_equal_a_hand_count(tagged: pd.DataFrame) -> None:
    out = tt.topic_shares(tagged, freq="YS", min_n=1)
    kept = tagged[~tagged["is_duplicate"] & tagged["published"].notna()]
    for base in ("smart_city", "all"):
        table = tt.topic_shares(tagged, freq="YS", min_n=1, base=base)
        for region in ("sejong", "daejeon", "both"):
            for year in (2020, 2021, 2022):
                part = kept[(kept["region"] == region) & (kept["published"].dt.year == year)]
                denominator = part[part["smart_city"]] if base == "smart_city" else part
                for topic in TOPICS:
                    k = int(part["topics"].map(lambda ts, t=topic: t in ts).sum())
                    row = table[(table["region"] == region) & (table["topic"] == topic)
                                & (table["period"] == pd.Timestamp(f"{year}-01-01"))]
                    assert row[["n_docs", "n_total"]].iloc[0].tolist() == [k, len(denominator)]
    # Topic order follows the vocabulary; neither is never a series.
    assert list(dict.fromkeys(out["topic"])) == [t for t in get_vocabulary().topic_keys]
    assert "neither" not in set(out["region"])


def test_both_articles_count_by_the_both_rule(tagged: pd.DataFrame) -> None:
    own = tt.topic_shares(tagged, freq="YS", both="own").set_index(["period", "region", "topic"])
    each = tt.topic_shares(tagged, freq="YS", both="each").set_index(["period", "region", "topic"])
    assert "both" in own.index.get_level_values("region")
    assert "both" not in each.index.get_level_values("region")
    for city in get_vocabulary().city_keys:
        for column in ("n_docs", "n_total"):
            joined = own.xs(city, level="region")[column] + own.xs("both", level="region")[column]
            assert (each.xs(city, level="region")[column] == joined).all()
    with pytest.raises(ValueError, match="both must be one of"):
        tt.topic_shares(tagged, both="twice")
    with pytest.raises(ValueError, match="base must be one of"):
        tt.topic_shares(tagged, base="everything")


def test_same_input_same_table_whatever_the_row_order(tagged: pd.DataFrame) -> None:
    shuffled = tagged.sample(frac=1.0, random_state=1)
    for func in (tt.topic_shares, tt.compare_regions, tt.trend_test):
        first = func(tagged, freq="QS")
        pd.testing.assert_frame_equal(first, func(tagged, freq="QS"))
        pd.testing.assert_frame_equal(first, func(shuffled, freq="QS"))


def test_share_agreement_compares_two_taggings_cell_by_cell(tagged: pd.DataFrame) -> None:
    r, mae, joined = tt.share_agreement(tagged, tagged)
    assert r == pytest.approx(1.0) and mae == 0.0
    assert len(joined) == len(tt.topic_shares(tagged, freq="YS", min_n=1))
    # Drop every topic of one city's articles: its cells fall to 0, the others stay.
    city = tagged["region"].iloc[0]
    fewer = tagged.assign(topics=[() if reg == city else t
                                  for reg, t in zip(tagged["region"], tagged["topics"])])
    r_fewer, mae_fewer, _ = tt.share_agreement(fewer, tagged)
    assert r_fewer < 1.0 and mae_fewer > 0.0
    # Nothing tagged smart-city: no share to correlate.
    none = tagged.assign(smart_city=False, topics=[()] * len(tagged))
    r_none, mae_none, _ = tt.share_agreement(none, tagged)
    assert np.isnan(r_none) and np.isnan(mae_none)


def test_adjust_hook_is_applied_and_checked(tagged: pd.DataFrame) -> None:
    def halve(table: pd.DataFrame) -> pd.DataFrame:
        return table.assign(share=table["share"] / 2, ci_low=table["ci_low"] / 2,
                            ci_high=table["ci_high"] / 2)

    plain = tt.topic_shares(tagged, freq="YS")
    adjusted = tt.topic_shares(tagged, freq="YS", adjust=halve)
    np.testing.assert_allclose(adjusted["share"], plain["share"] / 2)
    with pytest.raises(ValueError, match="without"):
        tt.topic_shares(tagged, freq="YS", adjust=lambda t: t.drop(columns="ci_low"))


def test_half_years_and_weeks_as_periods() -> None:
    dates = pd.Series(pd.to_datetime(["2021-06-30", "2021-07-01", "2022-02-03", None]))
    starts = trends.period_start(dates, freq="6MS")
    assert starts.tolist()[:3] == [pd.Timestamp("2021-01-01"), pd.Timestamp("2021-07-01"),
                                   pd.Timestamp("2022-01-01")]
    assert pd.isna(starts.iloc[3])
    assert trends.period_labels(starts.dropna(), freq="6MS").tolist() == ["2021H1", "2021H2",
                                                                          "2022H1"]
    weeks = trends.period_start(dates.dropna(), freq="W-MON")
    assert (weeks.dt.day_of_week == 0).all() and weeks.iloc[0] == pd.Timestamp("2021-06-28")
    rows = [{"published": d, "region": "sejong", "smart_city": True, "topics": ("mobility",)}
            for d in ("2021-02-01", "2022-11-30")]
    table = tt.topic_shares(make_tagged(rows), freq="6MS", min_n=1)
    assert sorted(table["period"].unique()) == list(pd.to_datetime(
        ["2021-01-01", "2021-07-01", "2022-01-01", "2022-07-01"]))


@pytest.mark.parametrize(("label", "freq", "start"), [
    ("2023Q2", "QS", "2023-04-01"), ("2023H2", "6MS", "2023-07-01"), ("2023-05", "MS", "2023-05-01"),
    ("2023", "YS", "2023-01-01"), ("2023-05-17", "QS", "2023-04-01"),
    (pd.Timestamp("2023-05-17"), "6MS", "2023-01-01"),
])
def test_parse_period(label: object, freq: str, start: str) -> None:
    assert tt.parse_period(label, freq=freq) == pd.Timestamp(start)


def test_parse_period_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="not a period"):
        tt.parse_period("올해 봄", freq="QS")


# --- compare_regions ---------------------------------------------------------------------------


def closed_form_newcombe(k1: int, n1: int, k2: int, n2: int, alpha: float) -> tuple[float, float]:
    """Newcombe (1998) method 10, written out from Wilson intervals (independent of statsmodels)."""
    z = norm.ppf(1 - alpha / 2)

    def wilson(k: int, n: int) -> tuple[float, float]:
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        return centre - half, centre + half

    p1, p2 = k1 / n1, k2 / n2
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    d = p1 - p2
    return d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)


@pytest.mark.parametrize(("k1", "n1", "k2", "n2"), [(5, 20, 2, 30), (0, 15, 4, 12), (30, 30, 10, 25),
                                                    (56, 70, 48, 80), (0, 10, 0, 12)])
def test_difference_test_matches_closed_form(k1: int, n1: int, k2: int, n2: int) -> None:
    diff, low, high, p = tt.difference_test(k1, n1, k2, n2, alpha=0.05)
    exp_low, exp_high = closed_form_newcombe(k1, n1, k2, n2, 0.05)
    assert diff == pytest.approx(k1 / n1 - k2 / n2)
    assert low == pytest.approx(max(exp_low, -1), abs=1e-9)
    assert high == pytest.approx(min(exp_high, 1), abs=1e-9)
    assert low <= diff <= high and 0 <= p <= 1
    if k1 + k2 in (0, n1 + n2):
        assert p == 1.0
    else:  # the score test at diff 0 is Pearson's chi-square with the n/(n-1) correction
        pooled = (k1 + k2) / (n1 + n2)
        z = diff / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        n = n1 + n2
        assert p == pytest.approx(2 * norm.sf(abs(z) * math.sqrt((n - 1) / n)), rel=1e-6)


def test_compare_regions_columns_antisymmetry_and_bh(tagged: pd.DataFrame) -> None:
    ab = tt.compare_regions(tagged, freq="QS", a="sejong", b="daejeon", min_n=5)
    ba = tt.compare_regions(tagged, freq="QS", a="daejeon", b="sejong", min_n=5)
    assert tuple(ab.columns) == tt.COMPARE_COLUMNS
    tested = ab[~ab["too_few"]]
    assert len(tested) > 20
    np.testing.assert_allclose(ab["diff"], -ba["diff"], atol=1e-12)
    np.testing.assert_allclose(ab["ci_low"], -ba["ci_high"], atol=1e-9)
    np.testing.assert_allclose(ab["ci_high"], -ba["ci_low"], atol=1e-9)
    np.testing.assert_allclose(ab["p_value"], ba["p_value"], atol=1e-12)
    assert (ab["significant"] == ba["significant"]).all()
    assert ((tested["ci_low"] <= tested["diff"]) & (tested["diff"] <= tested["ci_high"])).all()
    assert (tested["ci_low"] >= -1).all() and (tested["ci_high"] <= 1).all()
    expected = multipletests(tested["p_value"], method="fdr_bh")[1]
    np.testing.assert_allclose(tested["p_adjusted"], expected)
    assert (ab["significant"] == (ab["p_adjusted"] < 0.05)).all()
    thin = ab[ab["too_few"]]
    assert thin[["diff", "p_value", "p_adjusted"]].isna().all().all()
    assert not thin["significant"].any()
    assert ((thin["n_a"] < 5) | (thin["n_b"] < 5)).all()


def test_compare_regions_defaults_to_the_vocabulary_pair(tagged: pd.DataFrame) -> None:
    out = tt.compare_regions(tagged, freq="YS")
    pair = get_vocabulary().compare
    assert set(out["a"]) == {pair[0]} and set(out["b"]) == {pair[1]}
    with pytest.raises(ValueError, match="two different regions"):
        tt.compare_regions(tagged, a=pair[0], b=pair[0])


def test_compare_over_the_whole_span_counts_undated_articles(tagged: pd.DataFrame) -> None:
    out = tt.compare_regions(tagged, freq="all", min_n=1)
    assert list(out["period"]) == ["all"] * len(out) and list(out["topic"])[:4] == list(TOPICS)
    kept = tagged[~tagged["is_duplicate"]]
    n_sejong = int((kept["smart_city"] & (kept["region"] == "sejong")).sum())
    assert (out["n_a"] == n_sejong).all()
    assert n_sejong > int(tt.compare_regions(tagged, freq="YS", min_n=1)
                          .groupby("period")["n_a"].first().sum())


def test_a_planted_difference_is_found_and_equal_cities_are_not() -> None:
    probs = {"sejong": {"pilot_city": 0.6}, "daejeon": {"pilot_city": 0.1}}
    out = tt.compare_regions(make_tagged(random_rows(900, seed=5, probs=probs)), freq="all")
    flagged = set(out.loc[out["significant"], "topic"])
    assert flagged == {"pilot_city"}
    row = out[out["topic"] == "pilot_city"].iloc[0]
    assert row["ci_low"] < 0.5 < row["ci_high"]


def test_pick_cell_prefers_the_most_significant_then_the_fullest(tagged: pd.DataFrame) -> None:
    compare = tt.compare_regions(tagged, freq="YS", min_n=5)
    topic, period = tt.pick_cell(compare)
    best = compare[~compare["too_few"]].sort_values("p_value").iloc[0]
    assert (topic, period) == (best["topic"], best["period"])
    untested = tt.compare_regions(tagged, freq="QS", min_n=10_000)
    topic, period = tt.pick_cell(untested)
    fullest = (untested["n_docs_a"] + untested["n_docs_b"]).max()
    row = untested[(untested["topic"] == topic) & (untested["period"] == period)].iloc[0]
    assert row["n_docs_a"] + row["n_docs_b"] == fullest > 0
    assert tt.pick_cell(tt.compare_regions(make_tagged([]))) == (None, None)


# --- trend_test ----------------------------------------------------------------------------------


def series_rows(shares: list[float], *, n: int, region: str, topic: str, seed: int) -> list[dict]:
    """``n`` smart-city articles per quarter from 2018Q1, each with ``topic`` at that quarter's
    share (the rest carry another topic)."""
    rng = np.random.default_rng(seed)
    rows = []
    for q, share in enumerate(shares):
        start = pd.Timestamp("2018-01-01") + pd.DateOffset(months=3 * q)
        for _ in range(n):
            topics = (topic,) if rng.random() < share else ("governance_budget",)
            rows.append({"published": start + pd.Timedelta(days=int(rng.integers(0, 80))),
                         "region": region, "smart_city": True, "topics": topics})
    return rows


def test_trend_test_finds_a_planted_rise_and_recovers_its_slope() -> None:
    slope = 0.5  # log-odds per year
    shares = [1 / (1 + math.exp(-(-1.5 + slope * q / 4))) for q in range(16)]
    rows = series_rows(shares, n=40, region="daejeon", topic="data_ai", seed=2)
    rows += series_rows([0.3] * 16, n=40, region="sejong", topic="data_ai", seed=3)
    out = tt.trend_test(make_tagged(rows), freq="QS", topics=["data_ai"])
    assert tuple(out.columns) == tt.TREND_COLUMNS
    rising = out[(out["region"] == "daejeon")].iloc[0]
    assert rising["direction"] == "rising" and rising["significant"]
    assert rising["ci_low"] < slope < rising["ci_high"]
    true_start, true_end = shares[0], shares[-1]  # 0.18 and 0.59
    assert rising["share_start"] == pytest.approx(true_start, abs=0.08)
    assert rising["share_end"] == pytest.approx(true_end, abs=0.08)
    assert rising["odds_ratio"] == pytest.approx(math.exp(rising["slope"]))
    flat = out[(out["region"] == "sejong")].iloc[0]
    assert flat["direction"] == "none" and flat["ci_low"] < 0 < flat["ci_high"]
    assert out.attrs["method"].startswith("binomial GLM")


def test_trend_test_window_and_refusals() -> None:
    step = [0.7] * 8 + [0.2] * 8  # a drop after two years, flat on either side
    tagged = make_tagged(series_rows(step, n=40, region="sejong", topic="pilot_city", seed=8))
    whole = tt.trend_test(tagged, freq="QS", topics=["pilot_city"], regions=["sejong"]).iloc[0]
    after = tt.trend_test(tagged, freq="QS", topics=["pilot_city"], regions=["sejong"],
                          start="2020-01-01").iloc[0]
    window = tt.trend_test(tagged, freq="QS", topics=["pilot_city"], regions=["sejong"],
                           start="2018-04-01", end="2019-01-01").iloc[0]
    assert whole["direction"] == "falling" and whole["n_periods"] == 16
    assert after["n_periods"] == 8 and after["direction"] == "none"
    assert window["n_periods"] == 4
    with pytest.raises(ValueError, match="needs periods"):
        tt.trend_test(tagged, freq="all")


def test_trend_test_is_calibrated_on_flat_series() -> None:
    """Flat series at 20 seeds: the unadjusted 5% test rejects about 5% of them."""
    rejected = 0
    for seed in range(20):
        rows = series_rows([0.3] * 12, n=30, region="sejong", topic="mobility", seed=100 + seed)
        out = tt.trend_test(make_tagged(rows), freq="QS", topics=["mobility"],
                            regions=["sejong"])
        rejected += int(out["p_value"].iloc[0] < 0.05)
    assert rejected <= 3


@pytest.mark.parametrize("periods", [3, 4])
def test_short_overdispersed_flat_series_are_not_called_trends_too_often(periods: int) -> None:
    """Flat series of 3 or 4 quarters whose shares scatter three times as much as a binomial
    allows: the unadjusted 5% test rejects at most 5% of 400 (it rejected 7-11% when a
    dispersion estimated under 1 sent the test to the normal distribution)."""
    rng = np.random.default_rng(7)
    rejected = 0
    for _ in range(400):
        k = rng.binomial(60, rng.beta(0.3 * 28.5, 0.7 * 28.5, size=periods))
        part = pd.DataFrame({"period": pd.date_range("2018-01-01", periods=periods, freq="QS"),
                             "n_docs": k, "n_total": 60})
        rejected += int(tt._fit_trend(part, min_n=10, alpha=0.05)["p_value"] < 0.05)
    assert rejected <= 20


def test_overdispersed_periods_widen_the_trend_interval() -> None:
    bursty = [0.1, 0.7] * 6  # alternating quarters: far more spread than a binomial allows
    out = tt.trend_test(make_tagged(series_rows(bursty, n=40, region="sejong", topic="mobility",
                                                seed=4)), freq="QS", topics=["mobility"],
                        regions=["sejong"])
    assert out["dispersion"].iloc[0] > 3
    assert out["direction"].iloc[0] == "none"


def test_trend_test_says_why_a_row_is_not_tested() -> None:
    rows = series_rows([0.5, 0.5], n=30, region="sejong", topic="mobility", seed=1)
    rows += series_rows([0.0] * 6, n=5, region="daejeon", topic="mobility", seed=1)
    out = tt.trend_test(make_tagged(rows), freq="QS", topics=["mobility", "pilot_city"],
                        min_n=10).set_index(["region", "topic"])
    assert set(out.index.get_level_values("region")) == set(get_vocabulary().city_keys)
    assert out.loc[("sejong", "mobility"), "note"].startswith("fewer than 3 periods")
    assert out.loc[("daejeon", "mobility"), "note"] == "topic on no article"
    assert out["p_value"].isna().all() and (out["direction"] == "none").all()
    with_both = tt.trend_test(make_tagged(rows), freq="QS", topics=["mobility"], min_n=10,
                              regions=["sejong", "both"]).set_index("region")
    assert with_both.loc["both", "note"] == "n < 10"


# --- choose_freq -----------------------------------------------------------------------------------


def dense_rows(start: str, days: int, per_day: int) -> list[dict]:
    base = pd.Timestamp(start)
    return [{"published": base + pd.Timedelta(days=d), "region": region, "smart_city": True,
             "topics": ("mobility",)}
            for d in range(days) for region in ("sejong", "daejeon") for _ in range(per_day)]


def test_choose_freq_gives_a_short_dense_corpus_weeks_and_a_long_sparse_one_years() -> None:
    assert tt.choose_freq(make_tagged(dense_rows("2021-02-01", 59, 3)), min_n=10) == "W-MON"
    assert tt.choose_freq(make_tagged(dense_rows("2021-02-01", 59, 1)), min_n=10) == "MS"
    sparse = [{"published": pd.Timestamp("2015-03-01") + pd.Timedelta(days=29 * i),
               "region": ("sejong", "daejeon")[i % 2], "smart_city": True, "topics": ()}
              for i in range(200)]
    table = tt.freq_candidates(make_tagged(sparse), min_n=10)
    assert tuple(table.columns) == tt.FREQ_COLUMNS
    assert table.loc[table["chosen"], "freq"].tolist() == ["YS"]
    assert table["chosen"].sum() == 1


def test_choose_freq_falls_back_to_the_coarsest_length_with_two_periods() -> None:
    two_months = make_tagged(dense_rows("2021-02-20", 20, 1))  # Feb and Mar, thin
    table = tt.freq_candidates(two_months, min_n=50)
    assert table["n_ok"].sum() == 0
    assert tt.choose_freq(two_months, min_n=50) == "MS"
    one_day = make_tagged(dense_rows("2021-03-30", 1, 2))
    assert tt.choose_freq(one_day, min_n=50) == "MS"


# --- articles_behind -----------------------------------------------------------------------------


def test_articles_behind_every_number(tagged: pd.DataFrame) -> None:
    table = tt.topic_shares(tagged, freq="QS", min_n=1)
    article_topics = pd.DataFrame(
        [(aid, t, 1.0, f"{t}-용어") for aid, ts in zip(tagged["article_id"], tagged["topics"])
         for t in ts], columns=["article_id", "topic", "score", "terms"])
    checked = 0
    for _, row in table[table["n_total"] > 0].iloc[::13].iterrows():
        behind = tt.articles_behind(tagged, period=row["period"], region=row["region"],
                                    topic=row["topic"], freq="QS", article_topics=article_topics)
        assert len(behind) == row["n_docs"]
        assert (behind["evidence"] == f"{row['topic']}-용어").all()
        denominator = tt.articles_behind(tagged, period=row["period"], region=row["region"],
                                         freq="QS")
        assert len(denominator) == row["n_total"]
        assert set(behind["article_id"]) <= set(denominator["article_id"])
        checked += 1
    assert checked > 8
    behind = tt.articles_behind(tagged, region="sejong", topic="mobility")
    assert tuple(behind.columns) == tt.BEHIND_COLUMNS
    assert behind["published"].is_monotonic_decreasing
    assert behind["evidence"].str.contains("mobility:").all()  # topic_evidence without the table
    nothing = tt.articles_behind(tagged, region="nowhere", topic="mobility")
    assert nothing.empty and tuple(nothing.columns) == tt.BEHIND_COLUMNS


def test_export_writes_every_points_articles(tagged: pd.DataFrame, tmp_path) -> None:
    path = tt.export_articles_behind(tagged, tmp_path / "out" / "articles_behind.csv", freq="YS")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(back.columns) == list(tt.BEHIND_COLUMNS)
    shares = tt.topic_shares(tagged, freq="YS", min_n=1)
    shares["label"] = trends.period_labels(shares["period"], freq="YS")
    counted = back.groupby(["period", "region", "topic"]).size()
    expected = shares[shares["n_docs"] > 0].set_index(["label", "region", "topic"])["n_docs"]
    assert counted.to_dict() == expected.to_dict()
    # The same rows as articles_behind gives point by point, also counting articles about both
    # cities in each.
    for both in ("own", "each"):
        path = tt.export_articles_behind(tagged, tmp_path / f"{both}.csv", freq="YS", both=both)
        back = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        regions = ["sejong", "daejeon", "both"] if both == "own" else ["sejong", "daejeon"]
        parts = [tt.articles_behind(tagged, region=region, topic=topic, freq="YS", both=both)
                 for region in regions for topic in TOPICS]
        one_by_one = pd.concat(parts, ignore_index=True)
        assert len(back) == len(one_by_one) > 0
        assert sorted(zip(back["region"], back["topic"], back["article_id"], back["evidence"],
                          strict=True)) == sorted(
            zip(one_by_one["region"], one_by_one["topic"], one_by_one["article_id"],
                one_by_one["evidence"].astype(str), strict=True))


# --- another city and other inputs ---------------------------------------------------------------


THREE_CITIES = """
compare = ["busan", "sejong"]
[cities.sejong]
label = "세종"
label_en = "Sejong"
color = "#0072B2"
names = ["세종시"]
[cities.daejeon]
label = "대전"
label_en = "Daejeon"
color = "#D55E00"
names = ["대전시"]
[cities.busan]
label = "부산"
label_en = "Busan"
color = "#CC79A7"
names = ["부산시"]
"""


def test_a_third_city_from_the_regions_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    regions_file = tmp_path / "regions.toml"
    regions_file.write_text(THREE_CITIES, encoding="utf-8")
    monkeypatch.setenv(paths.REGIONS_ENV, str(regions_file))
    rows = random_rows(900, seed=8, regions=("sejong", "daejeon", "busan", "both", "neither"),
                       probs={"busan": {"data_ai": 0.8}, "sejong": {"data_ai": 0.1}})
    tagged = make_tagged(rows)
    shares = tt.topic_shares(tagged, freq="YS")
    assert list(dict.fromkeys(shares["region"])) == ["sejong", "daejeon", "busan", "both"]
    out = tt.compare_regions(tagged, freq="all")  # the file's pair: busan minus sejong
    assert set(out["a"]) == {"busan"} and set(out["b"]) == {"sejong"}
    assert out.loc[out["topic"] == "data_ai", "significant"].item()
    assert out.loc[out["topic"] == "data_ai", "diff"].item() > 0.5
    each = tt.topic_shares(tagged, freq="YS", both="each")
    assert set(each["region"]) == {"sejong", "daejeon", "busan"}
    assert tt.choose_freq(tagged, min_n=10) in {f for f, _, _ in tt.FREQ_CANDIDATES}
    result = tt.findings(tagged, freq="YS")
    assert any(s.startswith("부산") for s in result.ko)
    assert any("Busan" in s for s in result.en)


def test_keyword_only_bigkinds_rows(tmp_path) -> None:
    """BigKinds rows with a title and 키워드 but no 본문, over two months (synthetic rows)."""
    rows = []
    city_words = {"세종": "세종시,보람동,행복청", "대전": "대전시,유성구,둔산동"}
    topic_words = ["자율주행,셔틀,버스,교통", "데이터,인공지능,플랫폼,빅데이터"]
    for i in range(80):
        day = pd.Timestamp("2021-02-01") + pd.Timedelta(days=i % 56)
        city = ("세종", "대전")[i % 2]
        words = topic_words[(i // 2) % 2]
        rows.append(bigkinds_row(**{
            "뉴스 식별자": f"09900001.{day:%Y%m%d}0900{i:02d}{i:03d}",
            "일자": f"{day:%Y%m%d}",
            "제목": f"{city}시 스마트시티 합성 기사 {i}",
            "통합 분류2": "",
            "위치": "",
            "키워드": f"{city_words[city]},스마트시티,{words},스마트시티,{city_words[city]}",
            "특성추출(가중치순 상위 50개)": "",
            "본문": "",
            "URL": f"https://example.kr/synthetic/{i}",
        }))
    write_bigkinds_csv(tmp_path / "synthetic_keyword_only.csv", rows)
    corpus = load_corpus(tmp_path, progress=False)
    tags = tag_articles(corpus.articles, cache=False)
    tagged = tags.articles
    assert tagged["smart_city"].sum() > 40
    freq = tt.choose_freq(tagged, min_n=5)
    shares = tt.topic_shares(tagged, freq=freq, min_n=5)
    assert shares["period"].nunique() > 1
    mobility = shares[(shares["topic"] == "mobility") & (shares["region"] == "sejong")]
    assert mobility["n_docs"].sum() > 10
    assert len(tt.compare_regions(tagged, freq=freq, min_n=5)) > 0
    behind = tt.articles_behind(tagged, region="sejong", topic="mobility", freq=freq,
                                article_topics=tags.article_topics)
    assert (behind["evidence"] != "").all()


# --- findings --------------------------------------------------------------------------------------


def test_findings_state_planted_changes_with_their_numbers() -> None:
    rise = [1 / (1 + math.exp(-(-2 + 0.35 * q))) for q in range(16)]
    rows = series_rows(rise, n=30, region="daejeon", topic="data_ai", seed=6)
    rows += series_rows([0.6] * 16, n=30, region="sejong", topic="pilot_city", seed=7)
    result = tt.findings(make_tagged(rows), freq="QS")
    text_ko, text_en = "\n".join(result.ko), "\n".join(result.en)
    assert "데이터·AI" in text_ko and "Data & AI" in text_en
    trend = result.facts[result.facts["kind"] == "trend_rising"]
    assert trend[["region", "topic"]].values.tolist() == [["daejeon", "data_ai"]]
    diffs = result.facts[result.facts["kind"] == "difference"]
    assert set(diffs["topic"]) >= {"pilot_city"}
    cited = result.facts[~result.facts["kind"].isin(["volume", "detectable", "detectable_trend"])]
    assert (cited["p_adjusted"] < 0.05).all()
    assert ((cited["ci_low"] > 0) | (cited["ci_high"] < 0)).all()
    assert "<li>" in result._repr_html_() and "주요 결과" in str(result)


def test_findings_say_how_far_the_tags_hold_and_name_weak_cited_topics() -> None:
    rise = [1 / (1 + math.exp(-(-2 + 0.35 * q))) for q in range(16)]
    rows = series_rows(rise, n=30, region="daejeon", topic="data_ai", seed=6)
    rows += series_rows([0.6] * 16, n=30, region="sejong", topic="pilot_city", seed=7)
    tagged = make_tagged(rows)
    # data_ai (cited, F1 0.6) is weak; pilot_city (cited, 0.89) and mobility (0.1, not cited)
    # are not named. Micro: 30 + 40 + 3 = 73 right of 100 given and of 150 true.
    table = pd.DataFrame({"tag": "topic", "value": ["data_ai", "pilot_city", "mobility"],
                          "tp": [30, 40, 3], "fp": [20, 0, 7], "fn": [20, 10, 47],
                          "tn": [100, 100, 100]})
    result = tt.findings(tagged, freq="QS", rates=table)
    assert result.facts["kind"].tolist() == tt.findings(tagged, freq="QS").facts["kind"].tolist()
    last_ko, last_en = result.ko[-1], result.en[-1]
    assert "정밀도 73%, 재현율 49%" in last_ko and "precision 73% and recall 49%" in last_en
    assert "데이터·AI (0.60)" in last_ko and "Data & AI (0.60)" in last_en
    assert "국가시범도시" not in last_ko and "모빌리티" not in last_ko
    assert "held-out labelled real news" in last_en
    table.attrs.update({"labels_file": "mine.tsv", "n_labelled": 120})
    own = tt.findings(tagged, freq="QS", rates=table).en[-1]
    assert "your own labels of 120 articles, mine.tsv" in own
    assert len(tt.findings(tagged, freq="QS").en) == len(result.en) - 1


def test_findings_name_city_differences_the_tag_may_explain() -> None:
    rows = series_rows([0.6] * 16, n=30, region="sejong", topic="pilot_city", seed=7)
    rows += series_rows([0.1] * 16, n=30, region="daejeon", topic="pilot_city", seed=8)
    rows += series_rows([0.3] * 16, n=30, region="sejong", topic="data_ai", seed=9)
    rows += series_rows([0.6] * 16, n=30, region="daejeon", topic="data_ai", seed=10)
    tagged = make_tagged(rows)
    assert {"pilot_city", "data_ai"} <= set(
        tt.findings(tagged, freq="QS").facts.query("kind == 'difference'")["topic"])

    def counts(pilot_daejeon: tuple[int, int, int]) -> pd.DataFrame:
        table = [("sejong", "pilot_city", 20, 5, 5), ("daejeon", "pilot_city", *pilot_daejeon),
                 ("sejong", "data_ai", 20, 5, 5), ("daejeon", "data_ai", 21, 5, 4)]
        return pd.DataFrame([{"region": r, "tag": "topic", "value": v, "tp": tp, "fp": fp,
                              "fn": fn, "tn": 50} for r, v, tp, fp, fn in table])

    # Daejeon's pilot-city tag measured on 3 stories: named; data_ai errs alike: not named.
    few = tt.findings(tagged, freq="QS", rates_by_city=counts((1, 3, 2))).en[-1]
    assert "Pilot city & plans (Sejong F1 0.80, n=25; Daejeon 0.29, n=3)" in few
    assert "Data & AI" not in few
    # Enough stories in both cities, but F1 0.80 against 0.44: named too.
    apart = tt.findings(tagged, freq="QS", rates_by_city=counts((10, 15, 10))).ko[-1]
    assert "국가시범도시·계획 (세종 F1 0.80, n=25; 대전 0.44, n=20)" in apart
    # Alike and well measured in both: not named (a cited topic without counts would be).
    alike = tt.findings(tagged, freq="QS", rates_by_city=counts((20, 5, 5))).en[-1]
    assert "Pilot city" not in alike and "Data & AI" not in alike
    with pytest.raises(KeyError, match="region column"):
        tt.findings(tagged, freq="QS", rates_by_city=counts((1, 3, 2)).drop(columns="region"))


def test_findings_say_how_often_the_flag_finds_each_citys_stories() -> None:
    rows = series_rows([0.4] * 8, n=30, region="sejong", topic="mobility", seed=21)
    rows += series_rows([0.4] * 8, n=30, region="daejeon", topic="mobility", seed=22)
    tagged = make_tagged(rows)
    flag = pd.DataFrame([{"region": r, "tag": "smart_city", "value": "true", "tp": tp,
                          "fp": fp, "fn": fn, "tn": 200}
                         for r, tp, fp, fn in (("sejong", 90, 10, 10), ("daejeon", 60, 0, 40))])
    result = tt.findings(tagged, freq="QS", rates_by_city=flag)
    plain = tt.findings(tagged, freq="QS")
    assert len(result.en) == len(plain.en) + 1 and len(result.ko) == len(plain.ko) + 1
    sentence = result.en[-1]
    # Sejong 90 of 100 found (Wilson 83%-94%), 90 of 100 flags right; Daejeon 60 of 100
    # (50%-69%), every flag right.
    assert "Sejong: it finds 90% (83%–94%) of 100 labelled smart-city stories, 90% of its flags" \
        in sentence
    assert "Daejeon: it finds 60% (50%–69%) of 100 labelled smart-city stories, 100% of its" \
        in sentence
    assert "held-out labelled real news" in sentence and "undercounted more" in sentence
    assert "세종 스마트시티 기사 100건 기준 재현율 90% (95% 신뢰구간 83~94%), 정밀도 90%" in result.ko[-1]
    # A city without labelled smart-city stories is left out; without any, no sentence.
    one = tt.findings(tagged, freq="QS", rates_by_city=flag.assign(
        tp=[90, 0], fn=[10, 0])).en[-1]
    assert "Sejong: it finds 90%" in one and "Daejeon" not in one
    none = tt.findings(tagged, freq="QS", rates_by_city=flag.assign(tp=0, fn=0))
    assert len(none.en) == len(plain.en)
    flag.attrs.update({"labels_file": "mine.tsv", "n_labelled": 80})
    assert "your own labels of 80 articles, mine.tsv" in tt.findings(
        tagged, freq="QS", rates_by_city=flag).en[-1]


def test_findings_claim_nothing_on_equal_flat_cities() -> None:
    probs = {"sejong": {t: 0.3 for t in TOPICS}, "daejeon": {t: 0.3 for t in TOPICS}}
    rows = random_rows(700, seed=11, regions=("sejong", "daejeon"), probs=probs)
    result = tt.findings(make_tagged(rows), freq="6MS")
    claims = result.facts[~result.facts["kind"].str.startswith("detectable")]
    assert claims["kind"].tolist() == ["volume", "volume"]
    reach = result.facts[result.facts["kind"] == "detectable"]  # what "no difference" can see
    carried = reach[reach["topic"].isin(TOPICS)]
    assert len(carried) == len(TOPICS) and carried["value"].between(0.02, 0.2).all()
    assert reach.loc[~reach["topic"].isin(TOPICS), "value"].isna().all()  # topics on no article
    assert any("유의하게 늘거나 줄어든 주제가 없습니다" in s for s in result.ko)
    assert any("no topic's share differs significantly" in s for s in result.en)


def test_findings_say_why_when_there_is_too_little() -> None:
    rows = [{"published": "2021-03-02", "region": "sejong", "smart_city": True,
             "topics": ("mobility",)}] * 3
    result = tt.findings(make_tagged(rows), min_n=10)
    assert any("대전: 이 도시로 태그된 기사가 없습니다" in s for s in result.ko)
    assert any("not compared" in s for s in result.en)
    undated = make_tagged([{**r, "published": None} for r in rows])
    assert "No article has a date" in tt.findings(undated).en[0]


def test_periods_shown_counts_periods_in_which_some_city_has_a_share() -> None:
    # Sejong has 12 smart-city articles in 2020 and 3 in 2021; Daejeon 4 in each year.
    rows = ([{"published": "2020-05-01", "region": "sejong", "smart_city": True,
              "topics": ("mobility",)}] * 12
            + [{"published": "2021-05-01", "region": "sejong", "smart_city": True,
                "topics": ()}] * 3
            + [{"published": f"{year}-02-01", "region": "daejeon", "smart_city": True,
                "topics": ("data_ai",)} for year in (2020, 2021) for _ in range(4)])
    shares = tt.topic_shares(make_tagged(rows), freq="YS", min_n=10, regions=["sejong", "daejeon"])
    assert tt.periods_shown(shares) == 1
    assert tt.periods_shown(shares, ["daejeon"]) == 0
    assert tt.periods_shown(tt.topic_shares(make_tagged(rows), freq="YS", min_n=3)) == 2
    assert tt.periods_shown(shares.iloc[0:0]) == 0
    # Too thin for a trend: the findings say the shares are drawn over the whole span.
    result = tt.findings(make_tagged(rows), freq="YS", min_n=10)
    assert "1 of 2 periods give either city n >= 10" in result.en[1]
    assert "전체 기간으로 그립니다" in result.ko[1]
    assert not any("whole span, not as a trend" in s
                   for s in tt.findings(make_tagged(rows), freq="YS", min_n=3).en)


def test_a_long_full_corpus_is_drawn_by_quarter_not_by_week() -> None:
    """Eight years with plenty of articles a week: every length qualifies on counts, and the
    finest giving at most MAX_PERIODS periods is chosen (quarters: 32; months would be 96)."""
    rows = random_rows(9000, seed=5, start="2017-01-01", days=8 * 365,
                       regions=("sejong", "daejeon"))
    tagged = make_tagged(rows)
    table = tt.freq_candidates(tagged, min_n=5)
    assert (table["ok_share"] > 0.5).all()
    assert tt.choose_freq(tagged, min_n=5) == "QS"
    assert table.loc[table["chosen"], "n_periods"].iloc[0] <= tt.MAX_PERIODS
    assert tt.choose_freq(tagged, min_n=5, max_periods=None) == "W-MON"
    assert tt.choose_freq(tagged, min_n=5, max_periods=100) == "MS"


def test_findings_name_every_significant_difference_and_trend_beyond_the_top() -> None:
    """Five topics differ between the cities and four rise in one: the sentences detail the
    ``top`` largest and name the others (``also: …``), and every one gets a fact, so the
    counts of the checks below them (``4 of 5 …``) add up."""
    high = {"sejong": dict.fromkeys(TOPICS, 0.7), "daejeon": dict.fromkeys(TOPICS, 0.1)}
    rows = random_rows(1600, seed=21, regions=("sejong", "daejeon"), probs=high)
    draws = np.random.default_rng(5).random((1600, len(TOPICS)))
    rising = [{"published": pd.Timestamp(f"{2016 + i % 8}-03-01"), "region": "daejeon",
               "smart_city": True,
               "topics": tuple(t for t, d in zip(TOPICS, draw, strict=True)
                               if d < 0.05 + 0.1 * (i % 8))}
              for i, draw in enumerate(draws)]
    found = tt.findings(make_tagged(rows + rising), freq="YS", top=2)
    facts = found.facts
    differences = facts[facts["kind"] == "difference"]
    assert len(differences) == len(TOPICS) > 2
    line = next(s for s in found.en if s.startswith("Topics whose share differs"))
    assert f"the 2 largest of {len(TOPICS)}" in line and line.count("; also: ") == 1
    assert all(tt.topic_label(t, lang="en") in line for t in differences["topic"])
    ko_line = next(s for s in found.ko if s.startswith("전체 기간에서 두 도시가 유의하게"))
    assert f"유의한 {len(TOPICS)}개 중 차이가 큰 2개" in ko_line and "그 밖에: " in ko_line
    rose = facts[(facts["kind"] == "trend_rising") & (facts["region"] == "daejeon")]
    assert len(rose) >= 3
    trend_line = next(s for s in found.en if s.startswith("Daejeon: topics whose share"))
    assert f"the 2 steepest of {len(rose)}" in trend_line and "; also: " in trend_line
    small = tt.findings(make_tagged(rows), freq="YS", top=len(TOPICS))
    assert not any("also: " in s for s in small.en)


def test_fitted_shares_are_quoted_at_the_first_and_last_period_with_min_n() -> None:
    """A real corpus opens with years of one or two articles: the fit runs through them
    (weighted by their n), but the shares it quotes are those of its readable periods, named."""
    from tests.conftest import tagged_rows

    per_year = {2008: 1, 2009: 2, 2014: 20, 2016: 20, 2018: 20, 2020: 20, 2022: 20}
    on = {2008: 0, 2009: 0, 2014: 2, 2016: 5, 2018: 9, 2020: 13, 2022: 17}
    rows = [{"published": f"{year}-04-0{i % 9 + 1}", "region": "sejong", "smart_city": True}
            for year, n in per_year.items() for i in range(n)]
    frame = tagged_rows(rows)
    frame["topics"] = [("data_ai",) if i < on[year] else ("mobility",)
                       for year, n in per_year.items() for i in range(n)]
    table = tt.trend_test(frame, freq="YS", regions=["sejong"], topics=["data_ai"])
    row = table.iloc[0]
    assert row["n_periods"] == 7 and row["significant"]
    assert (row["period_start"], row["period_end"]) == (pd.Timestamp("2014-01-01"),
                                                        pd.Timestamp("2022-01-01"))
    # The fit starts in 2008, where its share is near 0: the quoted one is 2014's.
    assert 0.05 < row["share_start"] < 0.25 and 0.7 < row["share_end"] < 0.95
    found = tt.findings(frame, freq="YS")
    line = next(s for s in found.ko if "비중이 증가한 주제" in s)
    assert "(n ≥ 10인 처음과 끝 기간 2014–2022의 적합값)" in line
    en = next(s for s in found.en if "rose" in s)
    assert "first to last period with n >= 10: 2014–2022" in en
