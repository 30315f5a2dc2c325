"""A trend test over periods that scatter beyond sampling error, and grow in size.

News coverage of a topic moves from one period to the next by more than sampling error, and
by an amount that does not shrink as the period's article count grows. Collections grow over
the years, so the late periods are the large ones. A quasi-binomial fit weights them by their
n and finds a trend in a flat series too often; Williams' extra-binomial weights keep the
test at its level. The vectorised fit behind the outlet checks is the same fit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit

from lib.analysis import outlets as oc
from lib.analysis import topic_trends as tt

PERIODS = pd.date_range("2014-01-01", periods=12, freq="YS")
#: Articles a period, growing from 20 to 2,000 over twelve years.
GROWING = np.round(np.geomspace(20, 2000, len(PERIODS))).astype(int)


def _series(rng: np.random.Generator, draws: int, *, scatter: float, slope: float = 0.0,
            n: np.ndarray = GROWING, share: float = 0.2) -> pd.DataFrame:
    """``draws`` series, one per region, of yearly counts around a logistic line with a
    normal scatter of ``scatter`` on the logit scale."""
    years = np.arange(len(PERIODS))
    eta = logit(share) + slope * years + rng.normal(0, scatter, (draws, len(PERIODS)))
    k = rng.binomial(n, expit(eta))
    return pd.DataFrame({
        "period": np.tile(PERIODS, draws),
        "region": np.repeat([f"r{i}" for i in range(draws)], len(PERIODS)),
        "n_docs": k.ravel(), "n_total": np.tile(n, draws),
    })


def test_a_flat_series_of_growing_periods_that_scatter_is_not_called_a_trend_too_often():
    rng = np.random.default_rng(20261207)
    trend = tt.share_trend(_series(rng, 300, scatter=0.3), min_n=10)
    tested = trend["p_value"].notna()
    assert tested.sum() == 300
    # A quasi-binomial fit rejected 11% of these flat series at the 5% level.
    assert (trend.loc[tested, "p_value"] < 0.05).mean() <= 0.08


def test_a_real_trend_is_still_found():
    rng = np.random.default_rng(7)
    trend = tt.share_trend(_series(rng, 100, scatter=0.3, slope=0.25), min_n=10)
    assert (trend["p_value"] < 0.05).mean() >= 0.8
    assert (trend["slope"] > 0).all()


def test_without_scatter_the_fit_is_the_binomial_one():
    """Counts as binomial as sampling makes them: Williams' weights stay 1 and the slope is
    the plain maximum likelihood one (equal periods: any weights give the same slope)."""
    rng = np.random.default_rng(3)
    shares = _series(rng, 40, scatter=0.0, n=np.full(len(PERIODS), 300))
    trend = tt.share_trend(shares, min_n=10)
    from statsmodels.genmod.families import Binomial
    from statsmodels.genmod.generalized_linear_model import GLM

    years = (PERIODS - PERIODS[0]).days.to_numpy() / tt.DAYS_PER_YEAR
    design = np.column_stack([np.ones_like(years), years])
    for region, part in shares.groupby("region", sort=False):
        k = part["n_docs"].to_numpy()
        fit = GLM(np.column_stack([k, 300 - k]), design, family=Binomial()).fit()
        row = trend[trend["region"] == region].iloc[0]
        assert row["slope"] == pytest.approx(float(fit.params[1]), abs=1e-8)


def test_the_vectorised_fit_of_the_outlet_checks_is_the_same_fit():
    rng = np.random.default_rng(11)
    shares = _series(rng, 30, scatter=0.4, slope=0.1)
    trend = tt.share_trend(shares, min_n=10)
    k = shares["n_docs"].to_numpy(dtype=float).reshape(30, len(PERIODS))
    n = shares["n_total"].to_numpy(dtype=float).reshape(30, len(PERIODS))
    years = (PERIODS - PERIODS[0]).days.to_numpy() / tt.DAYS_PER_YEAR
    fit = oc._trend_fit(k, n, years, min_n=10)
    assert (trend["dispersion"] > 1.5).mean() > 0.5  # the series scatter
    np.testing.assert_allclose(fit["slope"], trend["slope"], atol=1e-5)
    np.testing.assert_allclose(fit["p"], trend["p_value"], rtol=1e-3, atol=1e-6)


def test_a_short_flat_series_is_called_a_trend_about_as_often_as_the_level_says():
    """Six periods of binomial counts: the dispersion is estimated from four residuals, and
    the t quantile allows for that. Flooring the dispersion at 1 as well made the test reject
    0.4% of flat series at the 5% level, and find a real trend only as often as chance."""
    rng = np.random.default_rng(6)
    periods = pd.date_range("2020-01-01", periods=6, freq="YS")
    n = np.full(6, 200)
    k = rng.binomial(n, 0.2, size=(400, 6))
    shares = pd.DataFrame({"period": np.tile(periods, 400),
                           "region": np.repeat([f"r{i}" for i in range(400)], 6),
                           "n_docs": k.ravel(), "n_total": np.tile(n, 400)})
    rejected = (tt.share_trend(shares, min_n=10)["p_value"] < 0.05).mean()
    assert 0.02 <= rejected <= 0.09
