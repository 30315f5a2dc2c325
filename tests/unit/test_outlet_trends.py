"""The outlet check of the trends within a city: a trend made by the mix of outlets or by one
outlet does not hold, a trend spread over the outlets does, the outlet-clustered interval keeps
its coverage where outlets' own trends differ and where one outlet writes most of the articles,
and the vectorised fit is ``trend_test``'s.
Simulated articles (synthetic) where the truth is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lib.analysis import outlets as oc
from lib.analysis import topic_trends as tt

QUARTERS = pd.date_range("2019-01-01", periods=16, freq="QS")


def simulated(rng: np.random.Generator, *, n_outlets: int = 12, per_quarter: int = 6,
              p: float = 0.2, slope: float = 0.0, beat: float = 0.0, slope_spread: float = 0.0,
              extra: tuple[int, int, float, float] | None = None) -> pd.DataFrame:
    """Sejong smart-city articles, ``mobility`` or not, from ``n_outlets`` outlets writing
    ``per_quarter`` articles a quarter over 16 quarters. An outlet's logit share is
    ``logit(p)`` plus its beat (sd ``beat``) plus its own slope per year (mean ``slope``, sd
    ``slope_spread``) times the years since the start. ``extra = (first quarter, articles a
    quarter, share at its start, its slope per year)`` adds one more outlet, ``합성큰신문``,
    from that quarter on."""
    rows = []
    logit = np.log(p / (1 - p))
    for g in range(n_outlets):
        effect, own = rng.normal(0, beat) if beat else 0.0, rng.normal(slope, slope_spread)
        for q, day in enumerate(QUARTERS):
            share = 1 / (1 + np.exp(-(logit + effect + own * q / 4)))
            rows += [(f"합성일보{g:02d}", day, bool(h)) for h in rng.random(per_quarter) < share]
    if extra is not None:
        first, count, share, own = extra
        for q in range(first, len(QUARTERS)):
            level = np.log(share / (1 - share)) + own * (q - first) / 4
            hits = rng.random(count) < 1 / (1 + np.exp(-level))
            rows += [("합성큰신문", QUARTERS[q], bool(h)) for h in hits]
    frame = pd.DataFrame(rows, columns=["outlet", "published", "hit"])
    return pd.DataFrame({
        "article_id": [f"t{i:06d}" for i in range(len(frame))],
        "outlet": frame["outlet"],
        "published": frame["published"] + pd.Timedelta(days=20),
        "region": "sejong",
        "smart_city": True,
        "topics": [("mobility",) if h else () for h in frame["hit"]],
        "is_duplicate": False,
    })


def check(tagged: pd.DataFrame, **options) -> pd.Series:
    table = oc.outlet_trend_check(tagged, freq="QS", regions=["sejong"], topics=["mobility"],
                                  **options)
    return table.iloc[0]


def test_a_trend_made_by_the_mix_of_outlets_does_not_hold():
    """Every outlet's share is flat at 20%; from the ninth quarter an outlet writing 30
    articles a quarter at 55% joins. The pooled share rises and the article-level test says
    so most of the time; within outlets there is no trend, and the check does not let it
    hold."""
    rng = np.random.default_rng(3)
    draws, article_level, held, within_covers = 60, 0, 0, 0
    for _ in range(draws):
        row = check(simulated(rng, extra=(8, 30, 0.55, 0.0)))
        article_level += bool(row["significant"])
        held += bool(row["holds"])
        within_covers += row["within_low"] <= 0 <= row["within_high"]
    assert article_level / draws >= 0.6
    assert held / draws <= 0.1
    assert within_covers / draws >= 0.85


def test_a_trend_one_outlet_makes_does_not_hold_and_names_it():
    rng = np.random.default_rng(5)
    row = check(simulated(rng, extra=(0, 25, 0.08, 1.6)))
    assert row["significant"] and row["direction"] == "rising"
    assert not row["loo_significant"] and not row["holds"]
    assert row["swing_outlet"] == "합성큰신문"
    assert abs(row["swing_slope"]) < abs(row["slope"]) / 2


def test_a_trend_spread_over_the_outlets_holds():
    rng = np.random.default_rng(9)
    held = sum(bool(check(simulated(rng, n_outlets=20, slope=0.45, beat=0.4))["holds"])
               for _ in range(15))
    assert held >= 12


def test_the_outlet_clustered_interval_keeps_its_coverage_where_outlets_trends_differ():
    """Outlets' own trends scatter (sd 0.45 a year) around none, at a share of 50% (where
    rising and falling outlets cancel in the pooled share, so the true pooled slope is 0):
    the article-level interval counts the 1,920 articles as independent and covers 0 much
    less often than 95%; with outlets as clusters it keeps close to it."""
    rng = np.random.default_rng(13)
    draws, covered_articles, covered_outlets = 100, 0, 0
    for _ in range(draws):
        row = check(simulated(rng, n_outlets=20, p=0.5, slope_spread=0.45))
        covered_articles += row["ci_low"] <= 0 <= row["ci_high"]
        covered_outlets += row["cluster_low"] <= 0 <= row["cluster_high"]
    assert covered_outlets / draws >= 0.88
    assert covered_articles / draws <= covered_outlets / draws - 0.15


def test_the_outlet_clustered_interval_keeps_its_coverage_when_one_outlet_writes_most():
    """Ten outlets, one writing 60% of the city's 1,600 articles over 16 quarters; their own
    trends scatter (sd 0.45 a year) around none at a share of 50%, their beats by sd 0.4, so
    the true pooled slope is 0. The CR2 interval on t with Bell–McCaffrey's degrees of
    freedom (about 2.4 here, 8.9 with equal outlets) covers 0 in at least 90% of 400 draws
    (here 96.25%); CR1 on t with 9 degrees of freedom, used before, in 73% (73.8% of 2,000).
    The draws are count grids fed to the interval itself, as ``outlet_trend_check`` does for
    each series."""
    rng = np.random.default_rng(19)
    weights = np.array([13.5] + [1.0] * 9) / 22.5
    years = np.arange(16) / 4
    x = years - years.mean()
    covered = draws = 0
    for _ in range(400):
        n = rng.multinomial(1600, np.repeat(weights / 16, 16)).reshape(10, 16).astype(float)
        logit = rng.normal(0, 0.4, 10)[:, None] + rng.normal(0, 0.45, 10)[:, None] * x
        k = rng.binomial(n.astype(int), 1 / (1 + np.exp(-logit))).astype(float)
        interval = oc._clustered_slope(k, n, years, min_n=10, alpha=0.05)
        if interval is not None:
            draws += 1
            covered += interval[0] <= 0 <= interval[1]
    assert draws == 400
    assert covered / draws >= 0.90


def test_the_first_columns_are_trend_tests_and_the_fit_matches_it():
    rng = np.random.default_rng(17)
    tagged = pd.concat([simulated(rng, slope=0.3, beat=0.5),
                        simulated(rng, n_outlets=8, p=0.4, slope=-0.2).assign(region="daejeon")],
                       ignore_index=True)
    tagged["article_id"] = [f"a{i}" for i in range(len(tagged))]
    table = oc.outlet_trend_check(tagged, freq="QS", topics=["mobility"])
    trend = tt.trend_test(tagged, freq="QS", topics=["mobility"])
    for column in ("region", "topic", "slope", "ci_low", "ci_high", "p_adjusted", "direction"):
        pd.testing.assert_series_equal(table[column], trend[column], check_names=False)
    # the vectorised fit behind the leave-one-out runs is trend_test's fit
    for region in ("sejong", "daejeon"):
        rows = tagged[tagged["region"] == region]
        k = rows.groupby("published")["topics"].apply(lambda s: sum(len(t) > 0 for t in s))
        n = rows.groupby("published").size()
        years = (n.index - n.index[0]).days.to_numpy() / 365.25
        fit = oc._trend_fit(k.to_numpy()[None], n.to_numpy()[None], years, min_n=10)
        expected = trend[trend["region"] == region].iloc[0]
        assert fit["slope"][0] == pytest.approx(expected["slope"], abs=1e-8)
        assert fit["p"][0] == pytest.approx(expected["p_value"], rel=1e-4)


def test_the_leave_one_out_fit_needs_the_periods_trend_test_needs():
    """A series with enough articles over the span, but one period only at min_n, is not
    fitted: trend_test does not fit it either (two periods must reach min_n)."""
    k, n = np.array([[1.0, 2.0, 6.0, 1.0]]), np.array([[4.0, 5.0, 12.0, 4.0]])
    years = np.arange(4.0)
    assert oc._trend_fit(k, n, years, min_n=10)["status"][0] != 0
    assert oc._trend_fit(k, n, years, min_n=4)["status"][0] == 0  # four periods reach 4


def test_the_check_is_reproducible_and_follows_the_trends_sign():
    rng = np.random.default_rng(21)
    tagged = simulated(rng, n_outlets=15, slope=-0.5, beat=0.3)
    first, second = check(tagged), check(tagged)
    pd.testing.assert_series_equal(first, second)
    assert first["direction"] == "falling" and first["cluster_high"] < 0
    # the clustered interval is centred on trend_test's own slope (the same pooled fit)
    centre = (first["cluster_low"] + first["cluster_high"]) / 2
    assert centre == pytest.approx(first["slope"], rel=1e-6)
    assert first["loo_max"] < 0 and first["within_high"] < 0 and first["holds"]
    assert bool(first["holds_outlets"]) and bool(first["holds_within"])


def test_too_few_outlets_are_not_clustered_and_say_so():
    rng = np.random.default_rng(23)
    row = check(simulated(rng, n_outlets=3, per_quarter=20, slope=0.6))
    assert row["n_outlets"] == 3 and np.isnan(row["cluster_low"]) and np.isnan(row["loo_min"])
    assert "too few" in row["note"] and not row["holds"]
    assert pd.isna(row["holds_outlets"]) and bool(row["holds_within"])
    assert row["within_outlets"] == 3 and np.isfinite(row["within_slope"])


def test_an_outlet_without_which_the_trend_cannot_be_fitted_is_named():
    """Only one outlet ever writes on the topic: without it the topic is on no article."""
    rng = np.random.default_rng(29)
    tagged = simulated(rng, p=0.5, slope=0.0)
    tagged["topics"] = [t if o == "합성일보03" else () for o, t in
                        zip(tagged["outlet"], tagged["topics"], strict=True)]
    row = check(tagged)
    assert row["swing_outlet"] == "합성일보03" and "cannot be fitted" in row["note"]
    assert not row["loo_significant"] and not row["holds"]


def test_period_all_is_refused():
    with pytest.raises(ValueError, match="needs periods"):
        oc.outlet_trend_check(simulated(np.random.default_rng(1)), freq="all")


def two_cities(seed: int = 5) -> pd.DataFrame:
    """Sejong's trend made by one outlet, Daejeon's spread over twenty (synthetic)."""
    rng = np.random.default_rng(seed)
    tagged = pd.concat([simulated(rng, extra=(0, 25, 0.08, 1.6)),
                        simulated(rng, n_outlets=20, slope=0.45, beat=0.4).assign(region="daejeon")],
                       ignore_index=True)
    tagged["article_id"] = [f"c{i}" for i in range(len(tagged))]
    return tagged


def test_the_findings_say_which_trend_rests_on_an_outlet():
    tagged = two_cities()
    table = oc.outlet_trend_check(tagged, freq="QS", topics=["mobility"])
    assert table.set_index("region")["holds"].to_dict() == {"sejong": False, "daejeon": True}
    found = tt.findings(tagged, freq="QS", a="sejong", b="daejeon", outlet_trends=table)
    line = [s for s in found.en if s.startswith("Outlet check of the trends")]
    assert len(line) == 1 and "1 of 2 significant trends hold" in line[0]
    assert "Daejeon Mobility" in line[0] and "without 합성큰신문" in line[0]
    assert sum(s.startswith("언론사 점검 (추세)") for s in found.ko) == 1
    kinds = found.facts.set_index("region")["kind"]
    assert kinds.loc["sejong"].tolist().count("outlet_trend_rests") == 1
    assert kinds.loc["daejeon"].tolist().count("outlet_trend_holds") == 1
    quiet = tt.findings(tagged, freq="QS", a="sejong", b="daejeon")
    assert not any(s.startswith("Outlet check of the trends") for s in quiet.en)
    with pytest.raises(ValueError, match="outlet_trends is by .YS."):
        tt.findings(tagged, freq="QS", a="sejong", b="daejeon",
                    outlet_trends=oc.outlet_trend_check(tagged, freq="YS"))


def test_the_trend_check_chart_labels_its_axes_and_says_what_each_trend_rests_on():
    from lib.present import topic_plots as tp

    table = oc.outlet_trend_check(two_cities(), freq="QS", topics=["mobility"])
    ax = tp.plot_outlet_trend_check(table).axes[0]
    assert "오즈비" in ax.get_xlabel() and ax.get_title()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["대전 · 모빌리티·교통",
                                                            "세종 · 모빌리티·교통"]
    texts = [t.get_text() for t in ax.texts]
    assert "유지됨" in texts and "합성큰신문에 기댐" in texts
    quiet = tp.plot_outlet_trend_check(table[~table["significant"]]).axes[0]
    assert any("유의한 추세가 없어" in t.get_text() for t in quiet.texts)


def test_the_within_outlet_slope_is_the_glm_with_one_intercept_per_outlet():
    """The Schur-complement Newton fit gives statsmodels' GLM with outlet dummies."""
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    rng = np.random.default_rng(31)
    row = check(simulated(rng, n_outlets=9, slope=0.3, beat=0.6, extra=(6, 20, 0.5, 0.0)))
    tagged = simulated(np.random.default_rng(31), n_outlets=9, slope=0.3, beat=0.6,
                       extra=(6, 20, 0.5, 0.0))
    cells = (tagged.assign(k=[len(t) > 0 for t in tagged["topics"]])
             .groupby(["outlet", "published"])["k"].agg(["sum", "size"]).reset_index())
    years = (cells["published"] - cells["published"].min()).dt.days.to_numpy() / 365.25
    design = np.column_stack([pd.get_dummies(cells["outlet"]).to_numpy(dtype=float), years])
    fit = GLM(np.column_stack([cells["sum"], cells["size"] - cells["sum"]]), design,
              family=Binomial()).fit()
    dispersion = max(1.0, fit.pearson_chi2 / fit.df_resid)
    assert row["within_outlets"] == 10
    assert row["within_slope"] == pytest.approx(fit.params[-1], abs=1e-7)
    half = (row["within_high"] - row["within_low"]) / 2
    assert half == pytest.approx(fit.bse[-1] * np.sqrt(dispersion) * 1.96, rel=0.05)


def test_the_summary_gives_odds_ratios_of_the_significant_trends():
    table = oc.outlet_trend_check(two_cities(), freq="QS", topics=["mobility"])
    summary = oc.trend_check_summary(table).set_index("region")
    assert list(summary.columns) == list(oc.TREND_SUMMARY_COLUMNS)[1:]
    for region, row in summary.iterrows():
        source = table.set_index("region").loc[region]
        assert row["odds_ratio"] == pytest.approx(np.exp(source["slope"]))
        assert row["clustered_low"] <= row["odds_ratio"] <= row["clustered_high"]
        assert row["within_low"] <= row["within"] <= row["within_high"]
    assert summary.loc["sejong", "rests_on"] == "합성큰신문" and not summary.loc["sejong", "holds"]
    assert summary.loc["daejeon", "rests_on"] == "" and summary.loc["daejeon", "holds"]
    assert oc.trend_check_summary(table[~table["significant"]]).empty


def test_the_outlet_mix_shows_an_outlet_joining():
    """The outlet that joins halfway writes none of the first half and a share of the second
    that matches its count; shares add up to 1 per city and period."""
    rng = np.random.default_rng(41)
    tagged = simulated(rng, n_outlets=8, per_quarter=5, extra=(8, 20, 0.5, 0.0))
    mix = oc.outlet_mix(tagged, freq="QS", regions=["sejong"], top=3)
    assert list(mix.columns) == list(oc.OUTLET_MIX_COLUMNS)
    assert mix.groupby("period")["share"].sum().round(9).eq(1).all()
    assert set(mix["outlet"]) == {"합성큰신문", oc.OTHER_OUTLETS} | set(
        mix.loc[mix["outlet"].str.startswith("합성일보"), "outlet"])
    assert mix["outlet"].nunique() == 4  # three named, the rest pooled
    joined = mix[mix["outlet"] == "합성큰신문"].set_index("period")["share"]
    assert (joined.iloc[:8] == 0).all()
    assert joined.iloc[8:].to_numpy() == pytest.approx(20 / 60)
    thin = oc.outlet_mix(tagged, freq="QS", regions=["sejong"], min_n=100)
    assert thin["too_few"].all() and thin["share"].isna().all()
    with pytest.raises(ValueError, match="needs periods"):
        oc.outlet_mix(tagged, freq="all")


def test_the_outlet_mix_chart_gives_an_outlet_one_colour_in_every_city():
    from lib.present import topic_plots as tp

    mix = oc.outlet_mix(two_cities(), freq="QS", top=4)
    fig = tp.plot_outlet_mix(mix)
    colours = {}
    for ax in fig.axes:
        assert ax.get_ylabel() == "기사 중 비중 (%)"
        for handle in ax.get_legend().legend_handles:
            colours.setdefault(handle.get_label(), set()).add(handle.get_facecolor())
    assert all(len(seen) == 1 for seen in colours.values())
    assert {"세종", "대전"} <= {ax.get_title(loc="left").split(" ")[0] for ax in fig.axes}


def test_the_clustered_interval_is_never_narrower_than_the_trend_tests():
    """A shock to a quarter moves every outlet's share at once (a news event): clustering by
    outlet drops that scatter, so the outlet-clustered interval alone covered a flat truth in
    66% of draws. It is never narrower than the trend test's own interval."""
    rng = np.random.default_rng(12)
    checked = 0
    for _ in range(15):
        frame = simulated(rng, n_outlets=10, per_quarter=12, beat=0.3)
        shocks = dict(zip(QUARTERS, rng.normal(0, 0.6, len(QUARTERS)), strict=True))
        # A quarter's shock turns some of its articles to the topic or away from it.
        moved = rng.random(len(frame)) < np.abs([shocks[d - pd.Timedelta(days=20)]
                                                  for d in frame["published"]]) / 3
        up = np.array([shocks[d - pd.Timedelta(days=20)] > 0 for d in frame["published"]])
        frame["topics"] = [("mobility",) if (m and u) else (() if m else t)
                           for m, u, t in zip(moved, up, frame["topics"], strict=True)]
        row = check(frame)
        if not np.isfinite(row["cluster_low"]):
            continue
        assert row["cluster_low"] <= row["ci_low"] + 1e-12
        assert row["cluster_high"] >= row["ci_high"] - 1e-12
        checked += 1
    assert checked >= 10
