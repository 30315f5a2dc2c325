"""Discovered topics: coherence, choice of k, seeding, prevalence with empty bins, cross-table.

The corpus is invented: three themes of made-up words, written straight into a token table.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from lib.analysis.topicmodel import NO_LABEL, TopicModel, fit_topics, npmi_coherence
from lib.corpus.schema import to_frame
from lib.vocabulary import get_vocabulary

THEMES = {
    "road": ["도로셔틀", "정류장", "노선버스", "환승역", "운행표", "교차로"],
    "power": ["태양광판", "축전지", "전력망", "발전소", "탄소배출", "충전기"],
    "lab": ["시민제안", "실험실", "워크숍", "아이디어", "참여단", "공모전"],
}


def corpus(seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """90 articles, 30 per theme, in 2019 and 2021 (2020 left empty), two cities."""
    rng = np.random.default_rng(seed)
    a, b = get_vocabulary().compare
    topic_keys = get_vocabulary().topic_keys
    rows, tokens = [], []
    for i in range(90):
        theme = list(THEMES)[i % 3]
        aid = f"x{i}"
        rows.append({"article_id": aid, "title": f"기사 {i}",
                     "published": f"{2019 if i < 45 else 2021}-0{1 + i % 9}-15 09:00"})
        words = rng.choice(THEMES[theme], size=4, replace=False)
        for w in words:
            tokens.append((aid, str(w), "NNG", int(rng.integers(1, 4))))
        tokens.append((aid, "공통단어", "NNG", 1))
    frame = to_frame(rows)
    frame["region"] = [a if i % 2 else b for i in range(90)]
    frame["smart_city"] = True
    # The taxonomy knows the first two themes only: the third is what the labels miss.
    frame["topics"] = [((topic_keys[0],) if i % 3 == 0 else (topic_keys[1],) if i % 3 == 1
                        else ()) for i in range(90)]
    return frame, pd.DataFrame(tokens, columns=["article_id", "term", "tag", "count"])


def test_npmi_known_values() -> None:
    # Terms 0 and 1 always together; 2 never with 0 or 1; 3 independent of 0.
    presence = sparse.csc_matrix(np.array([
        [1, 1, 0, 1],
        [1, 1, 0, 0],
        [0, 0, 1, 1],
        [0, 0, 1, 0],
    ], dtype=float))
    got = npmi_coherence([[0, 1], [0, 2], [0, 3]], presence)
    np.testing.assert_allclose(got, [1.0, -1.0, 0.0], atol=1e-12)


@pytest.fixture(scope="module")
def fitted() -> tuple[TopicModel, pd.DataFrame]:
    tagged, tokens = corpus()
    return TopicModel(k_range=range(2, 7), min_df=3, max_df=0.6, random_state=0).fit(
        tagged, tokens), tagged


def test_coherence_chooses_the_planted_number_of_topics(fitted) -> None:
    model, _ = fitted
    assert model.k_ == 3
    assert list(model.coherence_["k"]) == [2, 3, 4, 5, 6]
    # Each discovered topic's top terms come from one theme.
    top = model.top_terms(4)
    for _, part in top.groupby("topic"):
        themes = {name for name, words in THEMES.items() for w in part["term"] if w in words}
        assert len(themes) == 1
    assert "공통단어" not in set(model.terms_)  # in every article: above max_df


def test_same_seed_same_topics() -> None:
    tagged, tokens = corpus()
    one = TopicModel(k_range=range(2, 6), min_df=3, random_state=7).fit(tagged, tokens)
    two = TopicModel(k_range=range(2, 6), min_df=3, random_state=7).fit(tagged, tokens)
    np.testing.assert_array_equal(one.doc_topic_, two.doc_topic_)
    pd.testing.assert_frame_equal(one.top_terms(), two.top_terms())


def test_prevalence_has_every_bin_and_survives_an_empty_year(fitted) -> None:
    model, _ = fitted
    prev = model.prevalence(freq="YS", n_boot=200, min_n=3)
    assert len(prev) == 3 * 2 * model.k_  # 2019, 2020, 2021 x two cities x topics
    empty = prev[prev["period"] == "2020-01-01"]
    assert (empty["n_articles"] == 0).all() and empty["prevalence"].isna().all()
    full = prev[prev["n_articles"] > 0]
    assert ((full["ci_low"] <= full["prevalence"] + 1e-12)
            & (full["prevalence"] <= full["ci_high"] + 1e-12)).all()
    sums = full.groupby(["period", "region"])["prevalence"].sum()
    np.testing.assert_allclose(sums, 1.0)
    assert (full.groupby(["period", "region"])["n_main"].sum()
            == full.groupby(["period", "region"])["n_articles"].first()).all()
    again = model.prevalence(freq="YS", n_boot=200, min_n=3)
    pd.testing.assert_frame_equal(prev, again)


def test_prevalence_of_no_dated_article_is_empty(fitted) -> None:
    model, _ = fitted
    assert model.prevalence(regions=["nowhere"]).empty


def test_crosstab_shows_what_the_labels_miss(fitted) -> None:
    model, tagged = fitted
    table = model.crosstab()
    keys = get_vocabulary().topic_keys
    assert list(dict.fromkeys(table["label"])) == [keys[0], keys[1], NO_LABEL]
    assert len(table) == 3 * model.k_
    per_label = table.groupby("label").agg(n=("n_docs", "sum"), total=("n_label", "first"))
    assert (per_label["n"] == per_label["total"]).all()
    assert per_label.loc[NO_LABEL, "total"] == 30
    # Each label, and the unlabelled theme, sits in one discovered topic.
    assert (table.groupby("label")["share"].max() == 1.0).all()
    assert table.groupby("label")["share"].idxmax().map(table["topic"]).nunique() == 3


def test_representative_articles_are_the_heaviest(fitted) -> None:
    model, _ = fitted
    reps = model.representative_articles(n=2)
    assert len(reps) == 2 * model.k_
    weights = pd.DataFrame(model.doc_topic_, columns=model.topic_names(),
                           index=model.articles_["article_id"])
    for _, row in reps[reps["rank"] == 1].iterrows():
        assert row["weight"] == pytest.approx(weights[row["topic"]].max())


def test_too_little_text_says_so() -> None:
    tagged, tokens = corpus()
    with pytest.raises(ValueError, match="too little text"):
        TopicModel(min_df=500).fit(tagged, tokens)


def test_fit_topics_says_why_when_it_cannot() -> None:
    tagged, tokens = corpus()
    model, message = fit_topics(tagged, tokens, k_range=range(2, 5), min_df=3)
    assert model is not None and f"{model.k_} topics" in message
    # 90 articles: themes fitted on so few are leads, and the message says so.
    assert "90 articles" in message and "leads, not findings" in message
    ids = set(tagged["article_id"])
    many = pd.concat([tagged.assign(article_id=tagged["article_id"] + f"-{i}") for i in (1, 2)])
    many_tokens = pd.concat([tokens.assign(article_id=tokens["article_id"] + f"-{i}")
                             for i in (1, 2)])
    model, message = fit_topics(many, many_tokens, k_range=range(2, 5), min_df=3)
    assert model is not None and len(ids) * 2 == 180 and "leads" not in message
    model, message = fit_topics(tagged.head(3), tokens)
    assert model is None and "too little text" in message


def test_topics_are_numbered_by_their_main_articles() -> None:
    """T1 is the main topic of most articles, and so on down: the count every chart shows."""
    tagged, tokens = corpus()
    small = [f"x{i}" for i in range(0, 90, 3)][:18]  # the road theme keeps 12 of its 30
    tagged = tagged[~tagged["article_id"].isin(small)].reset_index(drop=True)
    tokens = tokens[~tokens["article_id"].isin(small)]
    model = TopicModel(n_topics=3, min_df=3, random_state=0).fit(tagged, tokens)
    labels = model.labels()
    assert labels["n_main"].is_monotonic_decreasing
    counts = np.bincount(model.main_topic_[model.main_topic_ >= 0], minlength=model.k_)
    assert list(labels["n_main"]) == list(counts)
    has = model.doc_topic_.sum(axis=1) > 0
    np.testing.assert_array_equal(model.doc_topic_[has].argmax(axis=1), model.main_topic_[has])
    assert set(model.top_terms(3).query("topic == 'T3'")["term"]) <= set(THEMES["road"])


def test_representative_articles_name_the_topic_words_they_use(fitted) -> None:
    model, _ = fitted
    reps = model.representative_articles(n=3)
    top = model.top_terms(5).groupby("topic")["term"].agg(set)
    for _, row in reps.iterrows():
        used = set(filter(None, row["terms"].split(", ")))
        assert used and used <= top[row["topic"]]
    # Within a topic: share first, then the stronger loading.
    for topic, part in reps.groupby("topic"):
        i = model.topic_names().index(topic)
        rows = model.articles_.reset_index(drop=True).index[
            model.articles_["article_id"].isin(part["article_id"])]
        order = list(part["article_id"])
        key = {a: (-round(model.doc_topic_[r, i], 9), -model.loading_[r, i])
               for a, r in zip(model.articles_["article_id"].iloc[rows], rows)}
        assert order == sorted(order, key=lambda a: (key[a], a))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")  # NMF on noise
def test_planted_themes_are_stable_and_noise_is_not() -> None:
    """Refitted on 80% of the articles, the three planted themes come back word for word;
    topics forced on articles of words drawn at random do not, and fit_topics says so."""
    frame, tokens = corpus()
    planted = TopicModel(n_topics=3, min_df=2).fit(frame, tokens)
    assert planted.stability_.min() >= 0.9
    assert list(planted.labels()["stability"]) == list(planted.stability_)
    rng = np.random.default_rng(4)
    words = [f"낱말{i:03d}" for i in range(200)]
    noise = pd.DataFrame([(aid, str(w), "NNG", 1) for aid in frame["article_id"]
                          for w in rng.choice(words, size=6, replace=False)],
                         columns=["article_id", "term", "tag", "count"])
    model, message = fit_topics(frame, noise, n_topics=6, min_df=2)
    assert np.median(model.stability_) < 0.5
    assert "안정도 < 0.5" in message and "read them as leads" in message


def test_a_fit_that_does_not_converge_is_said_so_and_warns_nothing(monkeypatch) -> None:
    """scikit-learn's ConvergenceWarning would print its own file path into the notebook:
    the message says it instead."""
    import warnings

    from lib.analysis import topicmodel

    tagged, tokens = corpus()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model, message = fit_topics(tagged, tokens, n_topics=3, min_df=2)
    assert model.converged_ and "converge" not in message
    monkeypatch.setattr(topicmodel, "MAX_ITER", 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model, message = fit_topics(tagged, tokens, n_topics=3, min_df=2)
    assert not model.converged_
    assert "NMF did not converge within 2 iterations" in message
