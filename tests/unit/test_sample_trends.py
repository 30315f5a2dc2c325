"""The planted trends of the sample generator (lib.sample.trends): weights, label shares, draws."""

from __future__ import annotations

import itertools
import random
from collections import Counter

import pytest

from lib.sample import trends
from lib.sample.material import REGIONS, TOPICS

QUARTERS = trends.all_quarters()


def _share(topic: str, region: str, quarter: str) -> float:
    return trends.label_shares(trends.topic_weights(region, quarter))[topic]


def test_quarters_span_the_period() -> None:
    assert QUARTERS[0] == f"{trends.FIRST_YEAR}Q1" and QUARTERS[-1] == f"{trends.LAST_YEAR}Q4"
    assert len(QUARTERS) == 4 * (trends.LAST_YEAR - trends.FIRST_YEAR + 1)


def test_label_shares_are_the_expected_number_of_labels() -> None:
    uniform = {t: 1.0 for t in TOPICS}
    shares = trends.label_shares(uniform)
    expected_labels = sum(k * p for k, p in trends.N_LABELS_P.items())
    assert sum(shares.values()) == pytest.approx(expected_labels)
    assert all(v == pytest.approx(expected_labels / len(uniform)) for v in shares.values())


def test_draw_topics_follows_label_shares() -> None:
    weights = trends.topic_weights(trends.BURST_REGION, trends.BURST_QUARTER)
    rng = random.Random(3)
    n = 20000
    draws = [trends.draw_topics(rng, weights) for _ in range(n)]
    assert all(1 <= len(d) <= max(trends.N_LABELS_P) and len(set(d)) == len(d) for d in draws)
    counts = Counter(t for d in draws for t in d)
    for topic, share in trends.label_shares(weights).items():
        assert counts[topic] / n == pytest.approx(share, abs=0.015)


def test_weights_cover_every_topic_in_every_cell() -> None:
    for region in REGIONS:
        for quarter in (QUARTERS[0], trends.BURST_QUARTER, QUARTERS[-1]):
            weights = trends.topic_weights(region, quarter)
            assert tuple(weights) == TOPICS and all(w > 0 for w in weights.values())


@pytest.mark.parametrize("trend", trends.TRENDS, ids=lambda t: f"{t.kind}-{t.topic}-{t.region}")
def test_each_planted_trend_shows_in_the_shares(trend) -> None:
    first, last = trend.quarters
    inside = _share(trend.topic, trend.region, QUARTERS[last])
    if trend.kind == "rise":
        before = _share(trend.topic, trend.region, QUARTERS[first - 1])
        assert inside > 2 * before
        steps = [trends.topic_weights(trend.region, q)[trend.topic] for q in QUARTERS[first : last + 1]]
        assert all(a < b for a, b in itertools.pairwise(steps))
    elif trend.kind == "peak":
        outside = [q for i, q in enumerate(QUARTERS) if not first <= i <= last]
        assert inside > 2 * max(_share(trend.topic, trend.region, q) for q in outside)
    else:
        assert trend.kind == "burst" and first == last
        neighbours = (QUARTERS[first - 1], QUARTERS[first + 1])
        assert inside > 2 * max(_share(trend.topic, trend.region, q) for q in neighbours)
        assert trend.extra_stories > 0
    # Other regions do not carry the trend.
    for region in REGIONS:
        if not any(t.region == region and t.topic == trend.topic for t in trends.TRENDS):
            weight = trends.topic_weights(region, QUARTERS[last])[trend.topic]
            assert weight == trends.BASE_WEIGHTS[region][trend.topic]


def test_planted_table_has_every_cell_once() -> None:
    table = trends.planted_table()
    keys = Counter((r["topic"], r["region"], r["quarter"]) for r in table)
    assert len(keys) == len(TOPICS) * len(REGIONS) * len(QUARTERS) and set(keys.values()) == {1}
    assert all(0 < r["share"] < 1 for r in table)
