"""``make train`` uses the first ranked setting whose model keeps the synthetic sample at its floors
(``lib.tagging.train.choose_model``), fitted on the real dev labels, and scores the sample with
the model it is given, not with the one that ships."""

from __future__ import annotations

import numpy as np
import pytest

from lib import paths
from lib.tagging import train
from lib.tagging.model import (
    Candidate,
    article_terms,
    feature_dicts,
    feature_terms,
    fit_tag_model,
    load_model,
    with_decision,
)
from lib.tagging.topic_model import fit_topic_model
from lib.tagging.topics import score_topics, tag_topics


@pytest.fixture(scope="module")
def dev():
    if not (paths.SAMPLE_DIR / "truth.json").exists():
        pytest.skip("no synthetic sample with truth.json")
    articles, labels = train.training_data()
    results = score_topics(articles, use_model=False)
    features = feature_dicts(results, article_terms(articles))
    return features, labels["smart_city"].to_numpy(dtype=bool)


def test_make_train_fits_the_rows_the_shipped_model_names():
    """``make train`` rebuilds the shipped model: it reads the dev rows whose ids the model file
    records (``trained_on``), and ``--all-dev`` every dev row, the later ones too."""
    model = load_model()
    if model is None:
        pytest.skip("no shipped smart-city model")
    if not any(paths.REAL_BIGKINDS_DIR.glob("*.xlsx")):
        pytest.skip("the model was also fitted on labelled rows of the real BigKinds downloads, "
                    "which are not on this machine")
    articles, labels = train.training_data()
    assert labels["split"].eq("dev").all()
    assert model.meta["trained_on"].startswith(f"{len(articles)} dev articles")
    assert f"ids sha256 {train.ids_digest(articles)}" in model.meta["trained_on"]
    every, every_labels = train.training_data(all_dev=True)
    assert set(articles["article_id"]) <= set(every["article_id"])
    _, labelled = train.load_labelled()
    assert len(every) == int(labelled["split"].eq("dev").sum())
    assert every_labels["split"].eq("dev").all()


def _candidate(threshold: float, f1: float, flagged: int) -> Candidate:
    return Candidate("lexicon+nouns", "model", 3.0, threshold, f1, flagged)


def _shipped_setting(threshold: float, f1: float, flagged: int) -> Candidate:
    """A setting ``make train`` has shipped (scaled features, C 10, noun weight 5; chosen on the
    dev labels of the fourth and of the seventh labelling rounds), which keeps the sample above
    its floors at its own threshold (0.967 / 0.928 with the lexicon of 2026.12.5); the
    lexicon+nouns setting at 0.5 sits on the smart-city floor (0.948-0.951)."""
    return Candidate("scaled", "model", 10.0, threshold, f1, flagged, noun_weight=5.0)


def test_a_setting_that_loses_the_sample_is_passed_over(dev):
    features, y = dev
    # Ranked first (fewest economy flags), but at 0.99 the model calls almost nothing smart-city.
    strict, usual = _shipped_setting(0.99, 0.905, 0), _shipped_setting(0.55, 0.904, 5)
    chosen, model, figures, tried = train.choose_model([strict, usual], features, y)
    assert chosen == usual and tried == 2
    assert model is not None and model.thresholds["smart_city"] == 0.55
    for name, floor in train.SAMPLE_FLOORS.items():
        assert figures[name] >= floor, figures


def test_sample_figures_follow_the_model_given(dev):
    features, y = dev
    fitted = fit_tag_model(features, y, _candidate(0.5, 0.9, 0))
    never = with_decision(fitted, _candidate(1.01, 0.9, 0))  # no probability reaches it
    assert train.sample_figures(never)["smart_city_f1"] == 0.0
    usual = train.sample_figures(fitted)
    rules = train.sample_figures(None)
    assert 0.9 < usual["smart_city_f1"] <= 1 and 0.9 < rules["smart_city_f1"] <= 1
    assert usual != rules
    assert np.isclose(train._f1(3, 1, 1), 0.75)


@pytest.fixture(scope="module")
def dev_topics():
    """The dev articles' topic features, labels and lexicon topics, as ``make train`` makes them."""
    if not (paths.SAMPLE_DIR / "truth.json").exists():
        pytest.skip("no synthetic sample with truth.json")
    from lib.tagging.model import article_terms as terms_of
    from lib.tagging.topics import topic_feature_rows

    articles, labels = train.training_data()
    results = score_topics(articles)
    smart = np.array([bool(r.smart_city) for r in results])
    features = topic_feature_rows(results, terms_of(articles))
    truth = [set(t) for t in labels["topics"]]
    return features, truth, labels["smart_city"].to_numpy(dtype=bool) | smart


def test_a_topic_setting_that_loses_the_sample_is_passed_over(dev_topics):
    """The pooled model deciding alone at 0.35 ranks first on the dev labels but gives the
    sample's stories far fewer of their topics (0.83 against the floor of 0.90); the
    lexicon-first setting after it keeps the sample (0.903 for the dev labels of the fifth
    labelling round)."""
    from lib.tagging.topic_model import TopicCandidate

    features, truth, used = dev_topics
    alone = TopicCandidate("pooled", 0.1, 0.35, False, 0.721, 0.002)
    first = TopicCandidate("pooled", 0.1, 0.6, False, 0.719, 0.002, keep_threshold=0.2)
    chosen, model, figure = train.choose_topic_model([alone, first], features, truth, used,
                                                     above=0.0)
    assert chosen is first and model is not None and model.keep_threshold == 0.2
    assert figure >= train.SAMPLE_FLOORS["topic_micro_f1"]
    # Alone, the first setting is not good enough: no model.
    _, none, _ = train.choose_topic_model([alone], features, truth, used, above=0.0)
    assert none is None
    # Nor is a setting that does not beat the lexicon by the margin asked.
    _, none, _ = train.choose_topic_model([first], features, truth, used, above=0.75)
    assert none is None


def test_a_topic_setting_beyond_the_tolerance_is_tried_when_none_within_keeps_the_sample(
        dev_topics):
    """With the 1,635 dev articles of the eighth labelling round no setting within the
    tolerance of the best kept the sample: the ranking goes on to the settings that still beat
    the lexicon (the per-topic lexicon-first setting that ships, 0.710 against 0.726), and stops
    at the first that keeps the sample; one below ``above`` is never tried."""
    from lib.tagging.topic_model import TopicCandidate

    features, truth, used = dev_topics
    alone = TopicCandidate("pooled", 0.1, 0.35, False, 0.726, 0.002)
    shipped = TopicCandidate("per_topic", 1.0, 0.6, False, 0.710, 0.001, keep_threshold=0.2)
    assert shipped.f1 < alone.f1 - train.F1_TOLERANCE
    chosen, model, figure = train.choose_topic_model([alone, shipped], features, truth, used,
                                                     above=0.70)
    assert chosen is shipped and model is not None and model.keep_threshold == 0.2
    assert figure >= train.SAMPLE_FLOORS["topic_micro_f1"]
    _, none, _ = train.choose_topic_model([alone, shipped], features, truth, used, above=0.715)
    assert none is None


def test_a_noun_setting_that_bends_the_sample_trends_is_passed_over(dev_topics):
    """A noun setting can keep the sample's topic micro-F1 and still bend its yearly topic shares
    per city away from the truth: fitted on the dev articles the shipped models were fitted on
    (eleven labelling rounds, :func:`lib.tagging.train.training_data`), pooled, keep 0.15, add
    0.6, noun share 0.75 gives micro-F1 0.901 but r 0.946, below issue 14's 0.95 (on the eighth
    round's articles it did so too, r 0.946; on every dev row, the twelfth round too, keep 0.12
    does). The choice goes on to the next setting that keeps both (noun share 0.5, the one that
    ships: 0.910, r 0.957)."""
    from lib.tagging.topic_model import TopicCandidate

    features, truth, used = dev_topics
    terms = feature_terms(article_terms(train.training_data()[0]))
    bends = TopicCandidate("pooled", 1.0, 0.6, False, 0.736, 0.001, 0.15, 0.75)
    keeps = TopicCandidate("pooled", 1.0, 0.6, False, 0.727, 0.001, 0.15, 0.5)
    model = fit_topic_model(features, truth, used, bends, terms)
    figures = train.sample_figures(load_model(), topics=model)
    assert figures["topic_micro_f1"] >= train.SAMPLE_FLOORS["topic_micro_f1"]
    assert figures["topic_share_r"] < train.SAMPLE_FLOORS["topic_share_r"]
    chosen, model, figure = train.choose_topic_model([bends, keeps], features, truth, used,
                                                     above=0.70, terms=terms)
    assert chosen is keeps and model.noun_share == 0.5 and model.keep_threshold == 0.15
    assert figure >= train.SAMPLE_FLOORS["topic_micro_f1"]


def test_the_shipped_per_topic_thresholds_come_back_from_the_dev_labels(dev_topics):
    """``make train`` tunes the shipped lexicon-first model's keep and add thresholds per topic
    on the dev folds' out-of-fold probabilities: done again from the shipped setting on the
    same dev articles they are the thresholds that ship. Thresholds are set only when they
    gain on dev articles they were not tuned on and the synthetic sample keeps every floor."""
    from lib.tagging.topic_model import TopicCandidate, load_topic_model
    from lib.tagging.topics import one_to_five
    from lib.vocabulary import get_vocabulary

    if not any(paths.REAL_BIGKINDS_DIR.glob("*.xlsx")):
        # The thresholds come back only from the same dev articles; the rule that sets them
        # only where they gain is tested on planted thresholds in tests/unit/test_topic_model.py.
        pytest.skip("the thresholds were tuned on labelled rows of the real BigKinds downloads "
                    "too, which are not on this machine")
    shipped = load_topic_model()
    assert shipped is not None and shipped.topic_thresholds
    features, truth, used = dev_topics
    articles, labels = train.training_data()
    results = score_topics(articles)
    smart = np.array([bool(r.smart_city) for r in results])
    keys = get_vocabulary().topic_keys
    lexicon = [one_to_five(r.candidate_topics, r.label_scores, keys) if s else ()
               for r, s in zip(results, smart, strict=True)]
    terms = feature_terms(article_terms(articles))
    best = TopicCandidate(shipped.meta["kind"], float(shipped.meta["C"]), shipped.threshold,
                          shipped.at_least_one, 0.0, 0.0, shipped.keep_threshold,
                          shipped.noun_share)
    model = fit_topic_model(features, truth, used, best, terms)
    out = train.tune_topic_thresholds(model, best, features, truth,
                                      labels["smart_city"].to_numpy(dtype=bool), smart, lexicon,
                                      terms)
    same_data = shipped.meta.get("trained_on", "").startswith(f"{len(labels)} dev articles")
    if same_data:
        # The same thresholds come back from the same dev articles.
        assert out["used"] and model.topic_thresholds == shipped.topic_thresholds
        assert out["tuning"].f1 > out["tuning"].start_f1
    # Without the real BigKinds downloads beside the project the dev part lacks their 188 rows
    # and the tuning may not pay; either way thresholds are set exactly when they gain enough
    # held apart and keep the sample at every floor.
    assert out["used"] == bool(model.topic_thresholds)
    assert out["line"].startswith("per topic" if out["used"] else "one pair for every topic")
    if out["used"]:
        assert np.mean(out["gains"]) >= train.PER_TOPIC_MIN_GAIN
        figures = train.sample_figures(load_model(), topics=model)
        for name, floor in train.SAMPLE_FLOORS.items():
            assert figures[name] >= floor, figures


def test_topic_trials_score_the_sample_as_tagging_it_does(dev_topics):
    """``choose_topic_model`` scores each topic setting on the sample scored once
    (:class:`lib.tagging.topics.TopicTrials`) instead of tagging it again: for settings of every
    kind (deciding alone, lexicon first, nouns, per-topic thresholds) and with the smart-city
    model or the rules, the topics and figures are those of tagging the sample with the model
    in the resources."""
    from dataclasses import replace

    from lib.tagging.topic_model import TopicCandidate, load_topic_model

    features, truth, used = dev_topics
    terms = feature_terms(article_terms(train.training_data()[0]))
    settings = [TopicCandidate("pooled", 0.1, 0.35, False, 0.7, 0.0),
                TopicCandidate("pooled", 1.0, 0.4, True, 0.7, 0.0),
                TopicCandidate("per_topic", 1.0, 0.6, False, 0.7, 0.0, keep_threshold=0.2),
                TopicCandidate("pooled", 1.0, 0.6, False, 0.7, 0.0, 0.15, 0.75)]
    models = [fit_topic_model(features, truth, used, s, terms) for s in settings]
    shipped = load_topic_model()
    if shipped is not None:
        models += [shipped, replace(shipped, topic_thresholds={})]
    sample = train.load_sample()
    for smart_city in (load_model(), None):
        trials = train.sample_trials(smart_city, sample)
        differ = set()
        for model in models:
            with train._resources_with(smart_city, model) as resources:
                tagged = tag_topics(sample[0], resources=resources)
            got = trials.topics_with(model)
            assert got == list(tagged["topics"])
            assert (trials.smart_city == tagged["smart_city"].to_numpy(dtype=bool)).all()
            fast = train._sample_scores(sample, trials.smart_city, got)
            assert fast == train.sample_figures(smart_city, sample, topics=model)
            differ.add(tuple(got))
        assert len(differ) > 2  # the settings give different topics: the comparison has teeth
