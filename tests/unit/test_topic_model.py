"""Topic decisions: one to five topics per smart-city article, and the pooled topic model
(features, fitting, the TSV it ships as, and how the tagger uses it)."""

from __future__ import annotations

import shutil
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from lib import paths
from lib.corpus.schema import to_frame
from lib.tagging import topic_model
from lib.tagging.topics import (
    MAX_TOPICS,
    one_to_five,
    score_topics,
    tag_topics,
    topic_feature_rows,
)
from lib.vocabulary import get_vocabulary

KEYS = get_vocabulary().topic_keys
MOBILITY, BUDGET = "mobility", "governance_budget"


# --- one to five -----------------------------------------------------------------------------


def test_no_candidate_gives_the_best_scoring_topic_with_evidence() -> None:
    scores = {KEYS[2]: 0.5, KEYS[4]: 0.9, KEYS[0]: 0.0}
    assert one_to_five((), scores, KEYS) == (KEYS[4],)
    assert one_to_five((), {}, KEYS) == ()
    assert one_to_five((), {KEYS[1]: 0.0}, KEYS) == ()


def test_more_than_five_candidates_keep_the_five_highest_in_order() -> None:
    scores = {k: float(i + 1) for i, k in enumerate(KEYS)}  # the last keys score highest
    kept = one_to_five(tuple(KEYS), scores, KEYS)
    assert kept == tuple(KEYS[-MAX_TOPICS:])
    few = (KEYS[3], KEYS[1])
    assert one_to_five(few, scores, KEYS) == few


def test_every_smart_city_article_gets_one_to_five_topics() -> None:
    articles = to_frame([
        # Smart-city coverage whose only topic term is a weak budget word.
        {"article_id": "a", "keywords": "세종시,시민,스마트시티,스마트시티,스마트시티,예산",
         "lead_only": True},
        {"article_id": "b", "keywords": "대전시,시민,스마트시티,자율주행,셔틀,디지털트윈,수소,"
                                        "리빙랩,통합관제센터,스마트도시위원회,국가시범도시,"
                                        "스타트업,도시재생", "lead_only": True},
    ])
    out = tag_topics(articles, use_model=False)
    assert out["smart_city"].all()
    assert all(1 <= len(t) <= MAX_TOPICS for t in out["topics"])


# --- the pooled topic model ---------------------------------------------------------------


def _labelled() -> tuple[pd.DataFrame, list[set[str]]]:
    """Synthetic keyword rows: mobility stories naming their budget in passing, and budget
    stories naming a shuttle in passing; labels are the main theme only."""
    rows, truth = [], []
    for i in range(24):
        rows.append({"article_id": f"m{i}", "lead_only": True, "keywords": ",".join(
            ["세종시", "시민", "스마트시티", "자율주행", "자율주행", "셔틀", "셔틀", "버스",
             "정류장", "운행", "교통", "예산", f"노선{i % 4}"])})
        truth.append({MOBILITY})
        rows.append({"article_id": f"b{i}", "lead_only": True, "keywords": ",".join(
            ["대전시", "시민", "스마트시티", "예산", "예산", "국비", "조례", "스마트도시위원회",
             "계획", "의회", "셔틀", f"안건{i % 4}"])})
        truth.append({BUDGET})
    return to_frame(rows), truth


@pytest.fixture(scope="module")
def fitted():
    articles, truth = _labelled()
    results = score_topics(articles, use_model=False)
    terms = [Counter(k.split(",")) for k in articles["keywords"]]
    features = topic_feature_rows(results, terms)
    smart = np.array([r.smart_city for r in results])
    candidates = topic_model.cross_validate_topics(features, truth, smart, smart, repeats=1,
                                                   folds=3)
    best = topic_model.choose_topic_candidate(candidates, tolerance=0.01)
    return topic_model.fit_topic_model(features, truth, smart, best), features, truth, results


def test_features_describe_each_topics_evidence_profile() -> None:
    articles, _ = _labelled()
    results = score_topics(articles.head(1), use_model=False)
    terms = [Counter(articles["keywords"].iloc[0].split(","))]
    per_topic = topic_feature_rows(results, terms)[0]
    assert len(per_topic) == len(KEYS)
    feats = dict(zip(KEYS, per_topic, strict=True))
    assert feats[MOBILITY]["top"] == 1.0 and feats[BUDGET]["top"] == 0.0
    assert feats[MOBILITY]["share"] > feats[BUDGET]["share"] > 0
    assert sum(f["share"] for f in per_topic) == pytest.approx(1.0)
    assert feats[MOBILITY]["hint"] > feats[BUDGET]["hint"] > 0
    assert feats[MOBILITY][f"topic={MOBILITY}"] == 1.0 and f"topic={BUDGET}" not in feats[MOBILITY]


def test_the_model_drops_topics_named_in_passing(fitted) -> None:
    model, features, truth, results = fitted
    chosen = []
    for per_topic, result in zip(features, results, strict=True):
        p = [model.probability(f) for f in per_topic]
        evidence = [result.label_scores.get(k, 0.0) > 0 for k in KEYS]
        chosen.append(set(topic_model.choose_topics(model, p, evidence)))
    assert chosen == truth
    # The lexicon thresholds alone give the passing budget word to the mobility stories.
    assert any(set(r.topics) != t for r, t in zip(results, truth, strict=True))


def test_cross_validation_scores_every_setting_best_first(fitted) -> None:
    _, features, truth, results = fitted
    smart = np.array([r.smart_city for r in results])
    candidates = topic_model.cross_validate_topics(features, truth, smart, smart, repeats=2,
                                                   folds=3)
    kinds = {c.kind for c in candidates}
    assert kinds == set(topic_model.KINDS)
    f1 = [round(c.f1, 6) for c in candidates]
    assert f1 == sorted(f1, reverse=True)
    # Articles the smart-city decision rejects carry no topic, so their labels are misses.
    none = topic_model.cross_validate_topics(features, truth, smart, np.zeros_like(smart),
                                             repeats=1, folds=3)
    assert all(c.f1 == 0.0 for c in none)


def test_choose_topic_candidate_prefers_the_pooled_kind_within_tolerance() -> None:
    def cand(kind: str, f1: float) -> topic_model.TopicCandidate:
        return topic_model.TopicCandidate(kind, 0.3, 0.35, False, f1, 0.01)

    ranked = [cand("per_topic", 0.760), cand("pooled", 0.755), cand("pooled", 0.700)]
    assert topic_model.choose_topic_candidate(ranked, tolerance=0.01) is ranked[1]
    assert topic_model.choose_topic_candidate(ranked, tolerance=0.001) is ranked[0]


def test_choose_keeps_threshold_evidence_and_limits() -> None:
    model = topic_model.TopicModel({}, 0.0, 0.5, at_least_one=True, max_topics=2)
    p = [0.9, 0.8, 0.7, 0.1, 0.2, 0.3, 0.4, 0.45, 0.05]
    everything = [True] * len(KEYS)
    assert topic_model.choose_topics(model, p, everything) == (KEYS[0], KEYS[1])
    no_first = [False] + [True] * (len(KEYS) - 1)
    assert topic_model.choose_topics(model, p, no_first) == (KEYS[1], KEYS[2])
    low = [0.1] * len(KEYS)
    low[5] = 0.3
    assert topic_model.choose_topics(model, low, everything) == (KEYS[5],)
    model.at_least_one = False
    assert topic_model.choose_topics(model, low, everything) == ()


def test_tsv_round_trip_gives_the_same_probabilities(fitted, tmp_path) -> None:
    model, features, _, _ = fitted
    again = topic_model.TopicModel.read(model.write(tmp_path / "t.tsv"))
    assert (again.threshold, again.at_least_one, again.max_topics) == (
        model.threshold, model.at_least_one, model.max_topics)
    for per_topic in features[:6]:
        for feats in per_topic:
            assert again.probability(feats) == pytest.approx(model.probability(feats), abs=1e-6)


def test_bad_files_name_the_file_and_line(tmp_path, monkeypatch) -> None:
    path = tmp_path / "t.tsv"
    path.write_text("feature\tweight\n(intercept)\t0.1\nscore\tmany\n", encoding="utf-8")
    with pytest.raises(ValueError, match="t.tsv:3"):
        topic_model.TopicModel.read(path)
    path.write_text("feature\tweight\n(intercept)\t0.1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="threshold"):
        topic_model.TopicModel.read(path)
    (tmp_path / topic_model.HINTS_FILE).write_text("topic\twords\nnot_a_topic\t예산\n",
                                                  encoding="utf-8")
    with pytest.raises(ValueError, match=f"{topic_model.HINTS_FILE}:2"):
        topic_model.load_hints(tmp_path)


def test_the_tagger_uses_a_shipped_topic_model_and_says_so(fitted, tmp_path, monkeypatch) -> None:
    model, _, truth, _ = fitted
    res = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, res)
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    (res / "tag_model.tsv").unlink()  # the rules decide smart-city: only topics are learned
    articles, _ = _labelled()
    before = tag_topics(articles)
    model.write(res / topic_model.MODEL_FILE)
    after = tag_topics(articles)
    assert after["smart_city"].equals(before["smart_city"])
    assert [set(t) for t in after["topics"]] == truth
    assert after["topic_evidence"].str.contains("topics p: ").all()


def test_a_lexicon_first_model_keeps_adds_and_falls_back() -> None:
    model = topic_model.TopicModel({}, 0.0, 0.6, at_least_one=False, max_topics=3,
                                   keep_threshold=0.3)
    p = [0.9, 0.35, 0.2, 0.7, 0.65, 0.1, 0.05, 0.62, 0.4]
    everything = [True] * len(KEYS)
    # Lexicon topics 0, 1, 2: 0 and 1 reach the keep threshold, 2 does not; of the others 3, 4
    # and 7 reach the add threshold; at most three, the most probable.
    assert topic_model.choose_topics(model, p, everything, (KEYS[0], KEYS[1], KEYS[2])) == (
        KEYS[0], KEYS[3], KEYS[4])
    model.max_topics = 5
    assert topic_model.choose_topics(model, p, everything, (KEYS[0], KEYS[1], KEYS[2])) == (
        KEYS[0], KEYS[1], KEYS[3], KEYS[4], KEYS[7])
    # Additions need lexicon evidence of their own.
    no_evidence = [False, True, True, False, False, True, True, False, True]
    assert topic_model.choose_topics(model, p, no_evidence, (KEYS[1], KEYS[2])) == (KEYS[1],)
    # When every lexicon topic falls below the keep threshold and nothing is added, the most
    # probable lexicon topic stays: a smart-city article keeps at least one topic.
    low = [0.1] * len(KEYS)
    low[5], low[6] = 0.2, 0.15
    assert topic_model.choose_topics(model, low, everything, (KEYS[6], KEYS[5])) == (KEYS[5],)
    assert topic_model.choose_topics(model, low, everything, ()) == ()


def test_a_lexicon_first_model_round_trips(tmp_path) -> None:
    model = topic_model.TopicModel({"score": 1.5}, -0.5, 0.6, False, 4, {"kind": "pooled"}, 0.25)
    again = topic_model.TopicModel.read(model.write(tmp_path / "t.tsv"))
    assert (again.keep_threshold, again.threshold, again.max_topics) == (0.25, 0.6, 4)
    plain = topic_model.TopicModel({"score": 1.5}, -0.5, 0.6)
    assert topic_model.TopicModel.read(plain.write(tmp_path / "p.tsv")).keep_threshold is None


def _lexicon_first_cv(fitted, repeats: int):
    """The fixture's features, truth, smart-city decisions and lexicon topics, and their
    cross-validated candidates with lexicon-first settings (3 folds)."""
    _, features, truth, results = fitted
    smart = np.array([r.smart_city for r in results])
    lexicon = [r.topics for r in results]
    candidates = topic_model.cross_validate_topics(features, truth, smart, smart,
                                                   repeats=repeats, folds=3, lexicon=lexicon)
    return features, truth, smart, lexicon, candidates


def test_cross_validation_scores_lexicon_first_settings_given_the_lexicons_topics(fitted) -> None:
    features, truth, smart, _lexicon, candidates = _lexicon_first_cv(fitted, repeats=1)
    first = [c for c in candidates if c.keep_threshold is not None]
    assert {(c.keep_threshold, c.threshold) for c in first if c.kind == "pooled" and c.c == 0.1} \
        == {(k, a) for k in topic_model.KEEP_GRID for a in topic_model.ADD_GRID}
    f1 = [round(c.f1, 6) for c in candidates]
    assert f1 == sorted(f1, reverse=True)
    none = topic_model.cross_validate_topics(features, truth, smart, smart, repeats=1, folds=3)
    assert all(c.keep_threshold is None for c in none)


@pytest.mark.parametrize("kind", topic_model.KINDS)
def test_probabilities_many_are_the_feature_dicts_probabilities(fitted, kind) -> None:
    """The tagger weighs every (article, topic) pair as arrays; the fit and the evidence of
    ``make train`` use one feature dict per pair: the probabilities agree, for either kind of
    model (the per-topic one also weighs each topic's own indicator and slopes)."""
    from lib.tagging import tokens
    from lib.tagging.topics import _lexicon

    _, features, truth, results = fitted
    smart = np.array([r.smart_city for r in results])
    setting = topic_model.TopicCandidate(kind, 1.0, 0.4, True, 0.0, 0.0)
    model = topic_model.fit_topic_model(features, truth, smart, setting)
    assert any("|" in f or "=" in f for f in model.weights) == (kind == "per_topic")
    articles, _ = _labelled()
    nouns = tokens.noun_counts(articles.assign(article_id=articles["article_id"].astype(str)))
    lex = _lexicon(None)
    hints = topic_model.load_hints()
    many = topic_model.probabilities_many(
        model, results, nouns, weights=lex.weight, thresholds=lex.thresholds, hints=hints,
        min_topic_score=1.0)
    one_by_one = [[model.probability(f) for f in per_topic]
                  for per_topic in topic_feature_rows(results, nouns.counters())]
    assert many.shape == (len(results), len(KEYS))
    np.testing.assert_allclose(many, np.array(one_by_one), rtol=0, atol=1e-12)
    # Without nouns, as without hint words: the same as feature dicts without nouns.
    bare = topic_model.probabilities_many(
        model, results, None, weights=lex.weight, thresholds=lex.thresholds, hints=hints,
        min_topic_score=1.0)
    np.testing.assert_allclose(
        bare, [[model.probability(f) for f in per_topic]
               for per_topic in topic_feature_rows(results, None)], rtol=0, atol=1e-12)
    # Nouns none of which is a hint word (a small corpus of such stories once failed on the
    # integer counts of no hint at all): as the feature dicts of the same nouns.
    odd = [Counter({f"낱말{i}": 1 + i % 2, "보관함": 2}) for i in range(len(results))]
    rows = np.repeat(np.arange(len(results)), 2)
    terms = np.array([t for c in odd for t in c], dtype=object)
    assert not set(terms) & set().union(*hints.values())
    plain = tokens.NounCounts(len(results), rows, terms,
                              np.array([n for c in odd for n in c.values()]))
    np.testing.assert_allclose(
        topic_model.probabilities_many(model, results, plain, weights=lex.weight,
                                       thresholds=lex.thresholds, hints=hints, min_topic_score=1.0),
        [[model.probability(f) for f in per_topic]
         for per_topic in topic_feature_rows(results, odd)], rtol=0, atol=1e-12)


# --- the noun component --------------------------------------------------------------------


def _noun_stories() -> tuple[list[Counter], np.ndarray]:
    """Nouns of mobility stories (버스, 노선) and budget stories (예산, 의회), each with a
    noun of its own, and their topics as an articles × topics matrix."""
    terms, truth = [], np.zeros((24, len(KEYS)), dtype=bool)
    for i in range(12):
        terms.append(Counter({"버스": 3, "노선": 1 + i % 3, f"정류장{i}": 1, "시민": 1}))
        truth[2 * i, KEYS.index(MOBILITY)] = True
        terms.append(Counter({"예산": 2 + i % 2, "의회": 1, f"안건{i}": 1, "시민": 1}))
        truth[2 * i + 1, KEYS.index(BUDGET)] = True
    return terms, truth


def test_the_noun_component_learns_which_nouns_carry_a_topic() -> None:
    terms, truth = _noun_stories()
    nouns = topic_model.NounWeights.fit(terms, truth)
    # A noun in a single article gets no weight; the shared ones do.
    assert set(nouns.terms) == {"버스", "노선", "예산", "의회", "시민"}
    weight = dict(zip(nouns.terms, nouns.weights[:, KEYS.index(BUDGET)], strict=True))
    assert weight["예산"] > 0 > weight["버스"]
    article, term, count = topic_model._flat([Counter({"예산": 2, "의회": 1, "처음": 5}),
                                              Counter({"버스": 2}), Counter()])
    p = topic_model._sigmoid(
        topic_model._noun_matrix(article, term, count, 3, nouns.index) @ nouns.weights
        + nouns.intercepts)
    assert p[0, KEYS.index(BUDGET)] > 0.5 > p[1, KEYS.index(BUDGET)]
    assert p[1, KEYS.index(MOBILITY)] > 0.5 > p[0, KEYS.index(MOBILITY)]
    # An article without any weighted noun gets the intercepts; a topic nobody carries has
    # weight 0 everywhere.
    np.testing.assert_allclose(p[2], topic_model._sigmoid(nouns.intercepts))
    assert not nouns.weights[:, KEYS.index("energy_environment")].any()


def test_the_noun_input_is_log_counts_of_unit_length() -> None:
    article = np.array([0, 0, 0, 1])
    term = np.array(["a", "b", "zzz", "a"], dtype=object)
    count = np.array([1.0, 3.0, 7.0, 2.0])
    x = topic_model._noun_matrix(article, term, count, 3, pd.Index(["a", "b"])).toarray()
    expected = np.log1p([1.0, 3.0])
    np.testing.assert_allclose(x[0], expected / np.linalg.norm(expected))
    np.testing.assert_allclose(x[1], [1.0, 0.0])
    np.testing.assert_allclose(x[2], [0.0, 0.0])


def test_a_model_with_nouns_mixes_both_probabilities_and_round_trips(fitted, tmp_path) -> None:
    from lib.tagging import tokens
    from lib.tagging.topics import _lexicon

    model, _, truth, results = fitted
    articles, _ = _labelled()
    nouns = tokens.noun_counts(articles.assign(article_id=articles["article_id"].astype(str)))
    y = np.array([[k in t for k in KEYS] for t in truth])
    with_nouns = topic_model.TopicModel(
        model.weights, model.intercept, model.threshold, model.at_least_one, model.max_topics,
        dict(model.meta), model.keep_threshold,
        topic_model.NounWeights.fit(nouns.counters(), y), 0.75)
    lex = _lexicon(None)
    hints = topic_model.load_hints()

    def probabilities(m: topic_model.TopicModel) -> np.ndarray:
        return topic_model.probabilities_many(
            m, results, nouns, weights=lex.weight, thresholds=lex.thresholds, hints=hints,
            min_topic_score=1.0)

    profile = probabilities(model)
    noun_p = with_nouns.nouns.probabilities(nouns, len(results))
    np.testing.assert_allclose(probabilities(with_nouns), 0.75 * noun_p + 0.25 * profile)
    path = with_nouns.write(tmp_path / topic_model.MODEL_FILE)
    assert (tmp_path / topic_model.NOUNS_FILE).exists()
    again = topic_model.TopicModel.read(path)
    assert again.noun_share == 0.75 and again.nouns.terms == with_nouns.nouns.terms
    np.testing.assert_allclose(probabilities(again), probabilities(with_nouns), atol=1e-5)
    # Writing a model without nouns over it removes the stale noun file.
    model.write(path)
    assert not (tmp_path / topic_model.NOUNS_FILE).exists()
    assert topic_model.TopicModel.read(path).nouns is None


def test_a_noun_share_without_its_file_or_with_a_bad_row_names_the_file(fitted, tmp_path) -> None:
    model, _, _, _ = fitted
    terms, truth = _noun_stories()
    with_nouns = topic_model.TopicModel(
        model.weights, model.intercept, model.threshold, nouns=topic_model.NounWeights.fit(
            terms, truth), noun_share=0.5)
    path = with_nouns.write(tmp_path / topic_model.MODEL_FILE)
    nouns_file = tmp_path / topic_model.NOUNS_FILE
    lines = nouns_file.read_text(encoding="utf-8").splitlines()
    bad = [*lines[:-1], lines[-1].rsplit("\t", 1)[0]]  # the last row one weight short
    nouns_file.write_text("\n".join(bad) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{topic_model.NOUNS_FILE}:{len(lines)}"):
        topic_model.TopicModel.read(path)
    nouns_file.unlink()
    with pytest.raises(ValueError, match=f"no {topic_model.NOUNS_FILE}"):
        topic_model.TopicModel.read(path)


def test_cross_validation_with_nouns_scores_every_share(fitted) -> None:
    _, features, truth, results = fitted
    smart = np.array([r.smart_city for r in results])
    articles, _ = _labelled()
    terms = [Counter(k.split(",")) for k in articles["keywords"]]
    candidates = topic_model.cross_validate_topics(features, truth, smart, smart, repeats=1,
                                                   folds=3, terms=terms)
    assert {c.noun_share for c in candidates} == set(topic_model.NOUN_SHARE_GRID)
    f1 = [round(c.f1, 6) for c in candidates]
    assert f1 == sorted(f1, reverse=True)
    # Share 0 is the profile alone: the same scores as without nouns.
    alone = {(c.kind, c.c, c.threshold, c.at_least_one): c.f1 for c in
             topic_model.cross_validate_topics(features, truth, smart, smart, repeats=1,
                                               folds=3)}
    for c in candidates:
        if c.noun_share == 0:
            assert c.f1 == pytest.approx(alone[(c.kind, c.c, c.threshold, c.at_least_one)])
    shared = next(c for c in candidates if c.noun_share > 0)
    with pytest.raises(ValueError, match="nouns"):
        topic_model.fit_topic_model(features, truth, smart, shared)
    model = topic_model.fit_topic_model(features, truth, smart, shared, terms)
    assert model.noun_share == shared.noun_share and model.nouns is not None


def test_fits_shared_across_settings_give_the_models_fitted_alone(fitted, capsys) -> None:
    """``choose_topic_model`` passes one ``fits`` dict to every setting it tries: a setting
    that differs only in thresholds or noun share reuses the regressions, and its model is the
    one fitted from scratch; the cross-validation's progress bar shows when asked."""
    _, features, truth, results = fitted
    smart = np.array([r.smart_city for r in results])
    articles, _ = _labelled()
    terms = [Counter(k.split(",")) for k in articles["keywords"]]
    candidates = topic_model.cross_validate_topics(features, truth, smart, smart, repeats=1,
                                                   folds=3, terms=terms, progress=True)
    assert "topic model: 1×3-fold cross-validation" in capsys.readouterr().err
    fits: dict = {}
    tried = [c for c in candidates if c.noun_share > 0][:6] + candidates[:3]
    for candidate in tried:
        shared = topic_model.fit_topic_model(features, truth, smart, candidate, terms, fits=fits)
        alone = topic_model.fit_topic_model(features, truth, smart, candidate, terms)
        assert shared.weights == alone.weights and shared.intercept == alone.intercept
        assert (shared.threshold, shared.keep_threshold, shared.noun_share) == (
            candidate.threshold, candidate.keep_threshold, candidate.noun_share)
        if candidate.noun_share > 0:
            assert np.array_equal(shared.nouns.weights, alone.nouns.weights)
            shared.nouns.meta["written"] = "yes"  # a model's metadata is its own
            assert "written" not in fits["nouns"].meta
    assert len([k for k in fits if k != "nouns"]) == len({(c.kind, c.c) for c in tried})


def test_no_topic_can_follow_a_citys_name() -> None:
    """The shipped noun component weighs no name or place of the compared cities (make train
    fits it on :func:`lib.tagging.model.feature_terms`), so a Sejong story is never a pilot-city
    story because it names Sejong."""
    from lib.tagging.model import _excluded_terms, feature_terms

    excluded = _excluded_terms()
    assert {"세종", "세종시", "대전", "유성구"} <= excluded
    kept = feature_terms([Counter({"세종": 3, "세종시": 1, "대전": 2, "버스": 2, "시": 4})])[0]
    assert kept == Counter({"버스": 2})
    path = topic_model.nouns_path()
    if not path.exists():
        pytest.skip("no noun component ships")
    shipped = topic_model.NounWeights.read(path)
    assert not set(shipped.terms) & excluded


def test_the_evidence_names_the_nouns_that_raised_each_topic() -> None:
    terms, truth = _noun_stories()
    nouns = topic_model.NounWeights.fit(terms, truth)
    article, term, count = topic_model._flat([Counter({"예산": 3, "의회": 1, "버스": 1})])
    from lib.tagging.tokens import NounCounts

    inputs = nouns.inputs(NounCounts(1, article, term, count.astype(np.int64)), 1)
    budget = nouns.leading(inputs, 0, KEYS.index(BUDGET))
    assert budget[0] == "예산" and "버스" not in budget
    p = [0.1] * len(KEYS)
    p[KEYS.index(BUDGET)] = 0.8
    text = topic_model.explain((BUDGET,), p, KEYS, {BUDGET: budget})
    assert text == f"topics p: {BUDGET} 0.80 ({', '.join(budget)})"
    assert topic_model.explain((BUDGET,), p, KEYS) == f"topics p: {BUDGET} 0.80"


# --- per-topic thresholds --------------------------------------------------------------------


def _random_decision_inputs(seed: int, n: int = 300):
    rng = np.random.default_rng(seed)
    p = rng.random((n, len(KEYS))).round(2)
    evidence = rng.random((n, len(KEYS))) < 0.5
    lexicon = evidence & (rng.random((n, len(KEYS))) < 0.5)
    return p, lexicon, evidence


def _lexicon_first_rule(p, given, evidence, keep, add, max_topics):
    """The lexicon-first rule as the docs state it, one article in plain Python: the lexicon's
    topics from their keep threshold, others with evidence from their add threshold, the most
    probable lexicon topic when none stays, the ``max_topics`` most probable."""
    chosen = [i for i in range(len(p))
              if (given[i] and p[i] >= keep[i]) or (evidence[i] and p[i] >= add[i])]
    if not chosen and any(given):
        chosen = [min((i for i in range(len(p)) if given[i]), key=lambda i: (-p[i], i))]
    return tuple(KEYS[i] for i in sorted(sorted(chosen, key=lambda i: (-p[i], i))[:max_topics]))


@pytest.mark.parametrize("seed", [0, 1])
def test_the_matrix_decision_is_choose_topics_row_for_row(seed) -> None:
    p, lexicon, evidence = _random_decision_inputs(seed)
    keep = [0.1, 0.2, 0.3, 0.15, 0.25, 0.05, 0.1, 0.2, 0.4]
    add = [0.5, 0.6, 0.4, 0.7, 0.3, 0.9, 1.01, 0.6, 0.5]
    model = topic_model.TopicModel({}, 0.0, 0.6, at_least_one=False, max_topics=3,
                                   keep_threshold=0.1,
                                   topic_thresholds={k: (kp, ad) for k, kp, ad in
                                                     zip(KEYS, keep, add, strict=True)})
    chosen = topic_model.lexicon_first_matrix(p, lexicon, evidence, keep, add, max_topics=3)
    for i in range(len(p)):
        given = tuple(k for k, g in zip(KEYS, lexicon[i], strict=True) if g)
        expected = _lexicon_first_rule(p[i], lexicon[i], evidence[i], keep, add, 3)
        assert topic_model.choose_topics(model, p[i].tolist(), evidence[i].tolist(),
                                         given) == expected, i
        assert tuple(k for k, c in zip(KEYS, chosen[i], strict=True) if c) == expected, i
    # Some rows hit each rule: the cap, the fallback to the most probable lexicon topic.
    assert (chosen.sum(axis=1) == 3).any() and (lexicon.any(axis=1) & (chosen.sum(axis=1) == 1)).any()


def test_a_topic_with_its_own_thresholds_keeps_and_adds_by_them() -> None:
    model = topic_model.TopicModel({}, 0.0, 0.6, at_least_one=False, keep_threshold=0.3,
                                   topic_thresholds={KEYS[1]: (0.5, 0.9), KEYS[3]: (0.1, 0.4)})
    p = [0.35, 0.45, 0.1, 0.45, 0.65, 0.1, 0.1, 0.1, 0.1]
    everything = [True] * len(KEYS)
    # KEYS[1] (lexicon) falls below its own keep 0.5; KEYS[3] is added from its own 0.4; KEYS[4]
    # by the model's add threshold 0.6; KEYS[0] kept by the model's keep threshold 0.3.
    assert topic_model.choose_topics(model, p, everything, (KEYS[0], KEYS[1])) == (
        KEYS[0], KEYS[3], KEYS[4])
    assert model.keep_and_add(KEYS)[0][:4] == [0.3, 0.5, 0.3, 0.1]
    with pytest.raises(ValueError, match="lexicon-first"):
        topic_model.TopicModel({}, 0.0, 0.6).keep_and_add(KEYS)


def test_per_topic_thresholds_round_trip_and_bad_ones_name_the_file(tmp_path) -> None:
    own = {KEYS[0]: (0.25, 0.4), KEYS[8]: (0.1, 1.01)}
    model = topic_model.TopicModel({"score": 1.5}, -0.5, 0.6, False, 5, {}, 0.1,
                                   topic_thresholds=own)
    path = model.write(tmp_path / "t.tsv")
    assert topic_model.TopicModel.read(path).topic_thresholds == own
    text = path.read_text(encoding="utf-8")
    (tmp_path / "half.tsv").write_text(text.replace(f"(add_threshold:{KEYS[0]})\t0.4\n", ""),
                                       encoding="utf-8")
    with pytest.raises(ValueError, match=f"half.tsv: topic '{KEYS[0]}' has only one"):
        topic_model.TopicModel.read(tmp_path / "half.tsv")
    (tmp_path / "odd.tsv").write_text(text.replace(f":{KEYS[8]})", ":weather)"), encoding="utf-8")
    with pytest.raises(ValueError, match="odd.tsv: thresholds for unknown topic 'weather'"):
        topic_model.TopicModel.read(tmp_path / "odd.tsv")


def _planted(seed: int, n: int = 800):
    """Probabilities whose truth follows per-topic cut-offs: a topic the lexicon gives is true
    from its keep cut-off up, another with evidence from its add cut-off; topic 0 keeps from
    0.3 and adds from 0.8, topic 1 from 0.1 and 0.4, every other from 0.2 and 0.6."""
    rng = np.random.default_rng(seed)
    p = rng.random((n, len(KEYS)))
    evidence = np.ones_like(p, dtype=bool)
    lexicon = rng.random(p.shape) < 0.5
    keep, add = np.full(len(KEYS), 0.2), np.full(len(KEYS), 0.6)
    keep[:2], add[:2] = (0.3, 0.1), (0.8, 0.4)
    truth = np.where(lexicon, p >= keep[None, :], p >= add[None, :])
    return p, lexicon, evidence, truth


def test_tuning_finds_planted_per_topic_thresholds_and_respects_a_refusal() -> None:
    p, lexicon, evidence, truth = _planted(0)
    tuned = topic_model.tune_topic_thresholds([p], lexicon, evidence, truth, keep=0.2, add=0.6)
    assert (tuned.keep[0], tuned.add[0]) == pytest.approx((0.3, 0.8), abs=0.051)
    assert (tuned.keep[1], tuned.add[1]) == pytest.approx((0.1, 0.4), abs=0.051)
    assert tuned.f1 > tuned.start_f1
    # A refusal of every change leaves the one pair.
    kept = topic_model.tune_topic_thresholds([p], lexicon, evidence, truth, keep=0.2, add=0.6,
                                             accept=lambda keep, add: False)
    assert kept.keep == [0.2] * len(KEYS) and kept.add == [0.6] * len(KEYS)
    assert kept.f1 == kept.start_f1
    # Tuned on one half, the planted thresholds gain on the other half too.
    gains = topic_model.held_apart_gain([p], lexicon, evidence, truth, keep=0.2, add=0.6,
                                        splits=2)
    assert len(gains) == 4 and min(gains) > 0


def test_out_of_fold_probabilities_reproduce_the_cross_validated_score(fitted) -> None:
    features, truth, smart, given, candidates = _lexicon_first_cv(fitted, repeats=2)
    best = next(c for c in candidates if c.keep_threshold is not None)
    oof = topic_model.out_of_fold_probabilities(features, truth, smart, smart, best, repeats=2,
                                                folds=3)
    assert len(oof) == 2 and oof[0].shape == (len(features), len(KEYS))
    lexicon = np.array([[k in t for k in KEYS] for t in given])
    evidence = np.array([[f["score"] > 0 for f in row] for row in features]) & smart[:, None]
    y = np.array([[k in t for k in KEYS] for t in truth])
    scores = [topic_model.micro_f1_matrix(topic_model.lexicon_first_matrix(
        p, lexicon, evidence, [best.keep_threshold] * len(KEYS), [best.threshold] * len(KEYS)),
        y) for p in oof]
    assert np.mean(scores) == pytest.approx(best.f1, abs=1e-9)
