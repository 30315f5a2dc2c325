"""The reach of a city comparison that finds nothing: ``detectable_difference`` is the
difference the score test finds 80% of the time (checked by simulation), and the findings
state it for the topics that do not differ. Simulated counts and articles (synthetic)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from lib.analysis import topic_trends as tt


@pytest.mark.parametrize(("n_a", "n_b", "share"),
                         [(242, 260, 0.2), (100, 400, 0.1), (50, 60, 0.5), (1000, 900, 0.05)])
def test_the_detectable_difference_is_found_at_the_stated_power(n_a, n_b, share):
    """Shares set that far apart (pooled share kept) are found significant by
    ``difference_test`` in about 80% of 1,000 simulated comparisons; half as far apart, far
    less often."""
    rng = np.random.default_rng(n_a)
    d = tt.detectable_difference(n_a, n_b, share)
    rates = []
    for moved in (d, d / 2):
        p_a, p_b = share + moved * n_b / (n_a + n_b), share - moved * n_a / (n_a + n_b)
        found = sum(tt.difference_test(int(rng.binomial(n_a, p_a)), n_a,
                                       int(rng.binomial(n_b, p_b)), n_b)[3] < 0.05
                    for _ in range(1000))
        rates.append(found / 1000)
    assert 0.74 <= rates[0] <= 0.88
    assert rates[1] < 0.45


def test_the_detectable_difference_shrinks_with_more_articles_and_has_edges():
    small = tt.detectable_difference(100, 100, 0.3)
    assert tt.detectable_difference(400, 400, 0.3) == pytest.approx(small / 2, rel=0.1)
    assert tt.detectable_difference(100, 100, 0.3, power=0.9) > small
    assert tt.detectable_difference(100, 100, 0.3, alpha=0.01) > small
    assert math.isnan(tt.detectable_difference(0, 100, 0.3))
    assert math.isnan(tt.detectable_difference(100, 100, 0.0))
    # two articles a side: no difference a share can make is found 80% of the time
    assert math.isnan(tt.detectable_difference(2, 2, 0.5))


def articles(rng: np.random.Generator, p: tuple[float, float], n: int = 150) -> pd.DataFrame:
    """Smart-city articles of two cities in one year, each topic drawn at the city's share:
    ``mobility`` at ``p``, ``energy`` at 20% in both."""
    rows = []
    for city, share in (("sejong", p[0]), ("daejeon", p[1])):
        for _ in range(n):
            topics = tuple(t for t, q in (("mobility", share), ("energy", 0.2)) if rng.random() < q)
            rows.append((city, topics))
    frame = pd.DataFrame(rows, columns=["region", "topics"])
    return frame.assign(article_id=[f"d{i:05d}" for i in range(len(frame))],
                        published=pd.Timestamp("2024-03-01"), smart_city=True,
                        is_duplicate=False, outlet="합성일보")


def test_the_findings_state_the_reach_of_the_topics_that_do_not_differ():
    rng = np.random.default_rng(5)
    tagged = articles(rng, (0.6, 0.2))
    found = tt.findings(tagged, freq="YS", a="sejong", b="daejeon", top=9)
    reach = found.facts[found.facts["kind"] == "detectable"]
    overall = tt.compare_regions(tagged, freq="all", a="sejong", b="daejeon")
    quiet = overall[~overall["too_few"] & ~overall["significant"]]
    assert sorted(reach["topic"]) == sorted(quiet["topic"]) and "mobility" not in set(reach["topic"])
    row = quiet[quiet["topic"] == "energy"].iloc[0]
    expected = tt.detectable_difference(int(row["n_a"]), int(row["n_b"]),
                                        (row["n_docs_a"] + row["n_docs_b"]) / 300)
    assert reach.set_index("topic").loc["energy", "value"] == pytest.approx(expected)
    line = [s for s in found.en if "would find a difference of" in s]
    assert len(line) == 1 and f"{expected * 100:.0f}" in line[0] and "80% of the time" in line[0]
    assert sum("검정력 80%로 검출할 수 있는 최소 차이는 " in s for s in found.ko) == 1

    # mobility differs (all against none); a topic no article carries has no reach to state
    only = articles(rng, (0.6, 0.2)).assign(topics=[("mobility",)] * 150 + [()] * 150)
    found = tt.findings(only, freq="YS", a="sejong", b="daejeon")
    assert found.facts.loc[found.facts["kind"] == "detectable", "value"].isna().all()
    assert not any("would find a difference of" in s for s in found.en)


def series(rng: np.random.Generator, slope: float, *, n: int = 80, years: int = 8,
           start: float = 0.25) -> pd.DataFrame:
    """Sejong's smart-city articles, ``n`` a year for ``years`` years, ``mobility`` at a share
    whose log-odds move by ``slope`` a year from ``start``."""
    logit0 = math.log(start / (1 - start))
    rows = []
    for year in range(years):
        q = 1 / (1 + math.exp(-(logit0 + slope * year)))
        rows += [(f"{2016 + year}-07-01", ("mobility",) if h else ()) for h in rng.random(n) < q]
    frame = pd.DataFrame(rows, columns=["published", "topics"])
    return frame.assign(article_id=[f"t{i:05d}" for i in range(len(frame))],
                        published=pd.to_datetime(frame["published"]), region="sejong",
                        smart_city=True, is_duplicate=False, outlet="합성일보")


def test_the_detectable_trend_is_found_at_the_stated_power():
    """The slope ``detectable_slope`` gives on flat series (median over 40) is found
    significant in about 80% of 120 series that truly move at it, and half of it far less.
    The reach read from one series varies with its scatter (Student's t where the variance is
    scaled up), so over seeds the rate runs 73–90%; the bounds allow that."""
    rng = np.random.default_rng(5)
    options = {"freq": "YS", "regions": ["sejong"], "topics": ["mobility"]}
    flat = [tt.detectable_slope(tt.trend_test(series(rng, 0.0), **options)).iloc[0]
            for _ in range(40)]
    slope = float(np.median(flat))
    assert 0.05 < slope < 0.3
    rates = []
    for moved, draws in ((slope, 120), (slope / 2, 60)):
        found = [bool(tt.trend_test(series(rng, moved), **options)["significant"].iloc[0])
                 for _ in range(draws)]
        rates.append(sum(found) / draws)
    assert 0.65 <= rates[0] <= 0.92
    assert rates[1] < 0.40


def test_the_findings_state_the_reach_of_the_topics_without_a_trend():
    rng = np.random.default_rng(3)
    # A flat series whose test finds no trend (one in twenty finds one by chance).
    for _ in range(20):
        flat = series(rng, 0.0)
        table = tt.trend_test(flat, freq="YS", regions=["sejong"], topics=["mobility"])
        if not table["significant"].iloc[0]:
            break
    assert not table["significant"].iloc[0]
    found = tt.findings(flat, freq="YS", a="sejong", b="daejeon")
    odds = math.exp(tt.detectable_slope(table).iloc[0])
    line = [s for s in found.en if s.startswith("Topics without a significant trend")]
    assert len(line) == 1 and f"Sejong (1 topic) x{odds:.2f} a year" in line[0]
    assert sum(s.startswith("유의한 추세가 없는 주제") for s in found.ko) == 1
    # One topic: its odds ratio alone, not a range that reads like an interval.
    assert any(f"세종 1개 주제 {odds:.2f}. 이보다 완만한 변화는" in s for s in found.ko)
    fact = found.facts[found.facts["kind"] == "detectable_trend"].iloc[0]
    assert (fact["region"], fact["topic"]) == ("sejong", "mobility")
    assert math.exp(fact["value"]) == pytest.approx(odds)
    rising = series(rng, 0.8)
    assert not any(s.startswith("Topics without a significant trend")
                   for s in tt.findings(rising, freq="YS", a="sejong", b="daejeon").en)


def test_the_findings_numbers_and_checks_are_written_for_spreadsheets(tmp_path):
    """Every kind of fact the findings write has a meaning in the CSV, the numbers come back
    as written, and the checks table keeps its not-asked checks empty."""
    from lib.analysis import outlets, robustness

    rng = np.random.default_rng(7)
    tagged = articles(rng, (0.6, 0.2)).assign(
        outlet=[f"합성일보{i % 8}" for i in range(300)])
    table = outlets.outlet_check(tagged, a="sejong", b="daejeon")
    found = tt.findings(tagged, freq="YS", a="sejong", b="daejeon", outlet_check=table)
    path = tt.export_findings(found, tmp_path / "findings.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    numbers = pd.read_csv(path, encoding="utf-8-sig", keep_default_na=False)
    assert len(numbers) == len(found.facts) and (numbers["meaning"] != "").all()
    assert set(found.facts["kind"]) >= {"volume", "difference", "detectable", "outlet_holds"}
    assert set(found.facts["kind"]) <= set(tt.FACT_KINDS)
    row = numbers[numbers["kind"] == "difference"].iloc[0]
    fact = found.facts[found.facts["kind"] == "difference"].iloc[0]
    assert float(row["value"]) == pytest.approx(fact["value"]) and row["freq"] == "YS"

    checks = robustness.robustness(tagged, freq="YS", a="sejong", b="daejeon",
                                   outlet_check=table)
    written = pd.read_csv(robustness.export_checks(checks, tmp_path / "checks.csv"),
                          encoding="utf-8-sig")
    assert list(written.columns) == list(checks.columns) and len(written) == len(checks)
    assert written["within_outlets"].isna().all()  # not asked of a difference
    assert written["outlets"].tolist() == checks["outlets"].astype(bool).tolist()
