"""The planted trends: p(topic | region, quarter) of smart-city stories, from ``plan.toml``.

A smart-city story draws 1-3 topic labels one after another without replacement, each with
probability proportional to a weight; the weights start from ``[base_weights]`` and carry the
``[[trends]]`` of the plan (a peak, two rises and one quarter's burst).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from lib.sample.material import PLAN, REGIONS, TOPICS, TemplateError, per_topic, required

T = TypeVar("T")

with required("plan.toml"):
    FIRST_YEAR: int = int(PLAN["first_year"])
    LAST_YEAR: int = int(PLAN["last_year"])
    #: How many topic labels a smart-city story carries, and how often.
    N_LABELS_P: dict[int, float] = {int(k): float(p) for k, p in PLAN["n_labels"].items()}
    #: Mean stories per quarter for each (region, kind); the fraction is drawn as a coin.
    QUARTER_PLAN: tuple[tuple[str, str, float], ...] = tuple(
        (row["region"], row["kind"], float(row["mean"])) for row in PLAN["quarter_plan"]
    )
    BASE_WEIGHTS: dict[str, dict[str, float]] = {
        region: per_topic("plan.toml", PLAN["base_weights"][region], f"[base_weights.{region}]")
        for region in REGIONS
    }


def quarter_label(when: datetime) -> str:
    """``2023Q2`` for a moment in April-June 2023."""
    return f"{when.year}Q{(when.month - 1) // 3 + 1}"


def all_quarters() -> list[str]:
    """Every quarter of the sample's period, oldest first."""
    return [f"{y}Q{q}" for y in range(FIRST_YEAR, LAST_YEAR + 1) for q in range(1, 5)]


@dataclass(frozen=True)
class Trend:
    """One planted trend of ``plan.toml`` (``kind`` peak, rise or burst; see the file)."""

    topic: str
    region: str
    kind: str
    period: str
    note: str
    factor: float = 1.0
    factor_outside: float = 1.0
    base: float = 1.0
    step: float = 0.0
    extra_stories: int = 0

    @property
    def quarters(self) -> tuple[int, int]:
        """Indexes into :func:`all_quarters` of the period's first and last quarter."""
        first, _, last = self.period.partition("-")
        quarters = all_quarters()
        return quarters.index(first), quarters.index(last or first)

    def weight(self, weight: float, quarter_index: int) -> float:
        """The topic's weight in quarter ``quarter_index`` after this trend."""
        first, last = self.quarters
        inside = first <= quarter_index <= last
        if self.kind == "peak":
            return weight * (self.factor if inside else self.factor_outside)
        if self.kind == "rise":
            return self.base + self.step * (quarter_index - first + 1) if inside else weight
        return weight * self.factor if inside else weight

    def summary(self) -> dict[str, str]:
        """What truth.json's meta and the README say about the trend."""
        return {"topic": self.topic, "region": self.region, "kind": self.kind,
                "period": self.period, "note": self.note}


def _read_trends() -> tuple[Trend, ...]:
    trends = []
    with required("plan.toml"):
        for spec in PLAN["trends"]:
            trend = Trend(**spec)
            if trend.kind not in ("peak", "rise", "burst") or trend.topic not in TOPICS \
                    or trend.region not in REGIONS:
                raise TemplateError(f"lib/sample/templates/plan.toml: unknown trend {spec}")
            first, last = trend.quarters  # a quarter outside the sample's period fails here
            if first > last:
                raise TemplateError(f"lib/sample/templates/plan.toml: empty period in {spec}")
            trends.append(trend)
    bursts = [t for t in trends if t.kind == "burst"]
    if len(bursts) != 1:
        raise TemplateError("lib/sample/templates/plan.toml: the plan needs exactly one burst trend")
    return tuple(trends)


TRENDS: tuple[Trend, ...] = _read_trends()
#: Human-readable list of the planted trends (written to truth.json meta and the README).
PLANTED_TRENDS: tuple[dict[str, str], ...] = tuple(t.summary() for t in TRENDS)
_BURST = next(t for t in TRENDS if t.kind == "burst")
#: The planted quarter burst: one topic in one region and quarter, with extra stories.
BURST_TOPIC, BURST_REGION, BURST_QUARTER = _BURST.topic, _BURST.region, _BURST.period
BURST_EXTRA_STORIES: int = _BURST.extra_stories


def topic_weights(region: str, quarter: str) -> dict[str, float]:
    """Unnormalised weights of the topic draw for smart-city stories of ``region`` in ``quarter``."""
    qi = all_quarters().index(quarter)
    w = dict(BASE_WEIGHTS[region])
    for trend in TRENDS:
        if trend.region == region:
            w[trend.topic] = trend.weight(w[trend.topic], qi)
    return w


def label_shares(weights: dict[str, float]) -> dict[str, float]:
    """Exact probability that a smart-city story carries each topic label.

    A story draws 1-3 labels (``N_LABELS_P``) one after another without replacement, each with
    probability proportional to its weight; this sums over every ordered draw.
    """
    topics = list(weights)
    w = [weights[t] for t in topics]
    shares = [0.0] * len(topics)
    for k, pk in N_LABELS_P.items():
        for seq in itertools.permutations(range(len(topics)), k):
            p, remaining = 1.0, sum(w)
            for i in seq:
                p *= w[i] / remaining
                remaining -= w[i]
            for i in seq:
                shares[i] += pk * p
    return dict(zip(topics, shares))


def planted_table() -> list[dict[str, object]]:
    """Every (topic, region, quarter) with its planted share of smart-city stories."""
    rows: list[dict[str, object]] = []
    for region in REGIONS:
        for quarter in all_quarters():
            shares = label_shares(topic_weights(region, quarter))
            for topic in TOPICS:
                rows.append(
                    {"topic": topic, "region": region, "quarter": quarter,
                     "share": round(shares[topic], 6)}
                )
    return rows


def draw_topics(rng: random.Random, weights: dict[str, float]) -> tuple[str, ...]:
    """Draw 1-3 labels as ``label_shares`` describes; the first is the story's main topic."""
    k = weighted_choice(rng, list(N_LABELS_P), list(N_LABELS_P.values()))
    pool = dict(weights)
    chosen: list[str] = []
    for _ in range(k):
        t = weighted_choice(rng, list(pool), list(pool.values()))
        chosen.append(t)
        del pool[t]
    return tuple(chosen)


def weighted_choice(rng: random.Random, items: Sequence[T], weights: Sequence[float]) -> T:
    """One of ``items``, drawn with probability proportional to ``weights`` (one ``rng.random()``)."""
    total = sum(weights)
    x = rng.random() * total
    acc = 0.0
    for item, w in zip(items, weights):
        acc += w
        if x < acc:
            return item
    return items[-1]
