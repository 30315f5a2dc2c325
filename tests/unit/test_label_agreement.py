"""Tests of lib.analysis.accuracy.label_agreement: two labellers' agreement on the same articles,
checked against scikit-learn's kappa and F1 on random labels, and on cases worked by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score, f1_score

from lib.analysis.accuracy import AGREEMENT_COLUMNS, label_agreement
from lib.vocabulary import get_vocabulary

REGIONS = ["sejong", "daejeon", "both", "neither"]


def _random_labels(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    keys = get_vocabulary().topic_keys
    smart = rng.random(n) < 0.4
    topics = [
        tuple(sorted(set(rng.choice(keys, size=rng.integers(1, 4))))) if s else () for s in smart
    ]
    return pd.DataFrame(
        {
            "article_id": [f"a{i:03d}" for i in range(n)],
            "region": rng.choice(REGIONS, size=n),
            "smart_city": smart,
            "topics": topics,
        }
    )


def _perturbed(labels: pd.DataFrame, seed: int, rate: float = 0.3) -> pd.DataFrame:
    """``labels`` with a share ``rate`` of each label redrawn at random."""
    other = _random_labels(len(labels), seed)
    out = labels.copy()
    rng = np.random.default_rng(seed + 1)
    for col in ("region", "smart_city", "topics"):
        change = rng.random(len(out)) < rate
        out.loc[change, col] = other.loc[change, col]
    out.loc[~out["smart_city"], "topics"] = pd.Series([()] * int((~out["smart_city"]).sum()),
                                                      index=out.index[~out["smart_city"]])
    return out


def _row(table: pd.DataFrame, tag: str, value: str, measure: str) -> pd.Series:
    hit = table[(table["tag"] == tag) & (table["value"] == value) & (table["measure"] == measure)]
    assert len(hit) == 1, (tag, value, measure)
    return hit.iloc[0]


def test_agreement_matches_sklearn_on_random_labels():
    first = _random_labels(300, seed=1)
    second = _perturbed(first, seed=2).sample(frac=1.0, random_state=3)  # order must not matter
    table = label_agreement(first, second, n_boot=200)
    assert list(table.columns) == list(AGREEMENT_COLUMNS)

    joined = second.merge(first, on="article_id", suffixes=("_second", "_first"))
    region = _row(table, "region", "all", "kappa")
    assert region["estimate"] == pytest.approx(
        cohen_kappa_score(joined["region_first"], joined["region_second"]))
    accuracy = _row(table, "region", "all", "accuracy")
    assert accuracy["estimate"] == pytest.approx(
        (joined["region_first"] == joined["region_second"]).mean())
    smart = _row(table, "smart_city", "true", "kappa")
    assert smart["estimate"] == pytest.approx(
        cohen_kappa_score(joined["smart_city_first"], joined["smart_city_second"]))
    assert _row(table, "smart_city", "true", "f1")["estimate"] == pytest.approx(
        f1_score(joined["smart_city_first"], joined["smart_city_second"]))

    both = joined[joined["smart_city_first"] & joined["smart_city_second"]]
    for key in get_vocabulary().topic_keys:
        a = both["topics_first"].map(lambda ts, k=key: k in ts)
        b = both["topics_second"].map(lambda ts, k=key: k in ts)
        row = _row(table, "topic", key, "f1")
        assert row["n"] == len(both)
        assert (row["n_first"], row["n_second"], row["n_both"]) == (a.sum(), b.sum(), (a & b).sum())
        if a.any() or b.any():
            assert row["estimate"] == pytest.approx(f1_score(a, b))
            assert _row(table, "topic", key, "kappa")["estimate"] == pytest.approx(
                cohen_kappa_score(a, b))
    # Micro-F1 pools the per-topic counts.
    per_topic = table[(table["tag"] == "topic") & (table["measure"] == "f1")
                      & (table["value"] != "all")]
    micro = _row(table, "topic", "all", "micro_f1")
    given = per_topic["n_first"].sum() + per_topic["n_second"].sum()
    pooled = 2 * per_topic["n_both"].sum() / given
    assert micro["estimate"] == pytest.approx(pooled)
    # Intervals hold their estimates on a table this size and sit in the measures' ranges.
    bounded = table.dropna(subset=["ci_low"])
    assert (bounded["ci_low"] <= bounded["estimate"]).all()
    assert (bounded["estimate"] <= bounded["ci_high"]).all()
    assert 0 < region["ci_low"] < region["estimate"] < region["ci_high"] < 1


def test_identical_labels_agree_fully():
    first = _random_labels(120, seed=4)
    table = label_agreement(first, first.copy(), n_boot=100)
    defined = table.dropna(subset=["estimate"])
    assert (defined["estimate"] == 1.0).all()
    assert (defined["n_first"] == defined["n_second"]).all()
    assert (defined["n_both"] == defined["n_first"]).all()


def test_worked_example():
    # Four articles; the labellers differ on one region and on one topic.
    first = pd.DataFrame({
        "article_id": ["a", "b", "c", "d"],
        "region": ["sejong", "sejong", "daejeon", "neither"],
        "smart_city": [True, True, False, False],
        "topics": [("mobility", "governance_budget"), ("pilot_city",), (), ()],
    })
    second = first.assign(
        region=["sejong", "both", "daejeon", "neither"],
        topics=[("mobility",), ("pilot_city",), (), ()],
    )
    table = label_agreement(first, second, n_boot=50)
    assert _row(table, "region", "all", "accuracy")["estimate"] == 0.75
    # Observed 3/4; chance: first (2/4 sejong, 1/4 daejeon, 1/4 neither) x second (1/4 each).
    assert _row(table, "region", "all", "kappa")["estimate"] == pytest.approx((0.75 - 0.25) / 0.75)
    assert _row(table, "smart_city", "true", "kappa")["estimate"] == 1.0
    micro = _row(table, "topic", "all", "micro_f1")
    assert (micro["n"], micro["n_first"], micro["n_second"], micro["n_both"]) == (2, 3, 2, 2)
    assert micro["estimate"] == pytest.approx(4 / 5)
    budget = _row(table, "topic", "governance_budget", "f1")
    assert budget["estimate"] == 0.0
    # A topic neither labeller gave has no F1 and no kappa.
    assert np.isnan(_row(table, "topic", "energy_environment", "f1")["estimate"])
    assert np.isnan(_row(table, "topic", "energy_environment", "kappa")["estimate"])
    # Mobility: both give it to 'a' and neither to 'b', so they agree fully.
    assert _row(table, "topic", "mobility", "kappa")["estimate"] == 1.0


def test_same_seed_same_intervals_and_label_strings_accepted():
    first = _random_labels(80, seed=5)
    second = _perturbed(first, seed=6).assign(
        smart_city=lambda f: f["smart_city"].map({True: "true", False: "false"}))
    a = label_agreement(first, second, n_boot=100, random_state=7)
    b = label_agreement(first, second, n_boot=100, random_state=7)
    pd.testing.assert_frame_equal(a, b)


def test_bad_inputs_are_named():
    first = _random_labels(10, seed=8)
    with pytest.raises(ValueError, match="not in the first"):
        label_agreement(first.iloc[:5], first)
    with pytest.raises(ValueError, match="repeated in the second"):
        label_agreement(first, pd.concat([first, first.iloc[:1]]))
    with pytest.raises(KeyError, match="the first table has no column"):
        label_agreement(first.drop(columns="topics"), first)
    with pytest.raises(ValueError, match="no region label for article a003"):
        label_agreement(first, first.assign(region=lambda f: f["region"].where(f.index != 3, "")))
    with pytest.raises(TypeError, match="label_agreement: topics label of article a000"):
        label_agreement(first.assign(topics="mobility"), first)
