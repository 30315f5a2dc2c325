"""The learned smart-city layer: features, fitting, the TSV it ships as, and its decisions."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from lib.corpus.schema import to_frame
from lib.tagging import model as tag_model
from lib.tagging.topics import score_topics, tag_topics


def _articles() -> pd.DataFrame:
    """Synthetic keyword rows: city smart-city stories and company stories naming the same words."""
    rows = []
    for i in range(30):
        rows.append({"article_id": f"city{i}", "keywords": ",".join(
            ["세종시", "자율주행", "셔틀", "시민", "운행", "스마트시티", "정류장", f"노선{i % 3}"]),
            "lead_only": True})
        rows.append({"article_id": f"firm{i}", "keywords": ",".join(
            ["자율주행", "투자", "주가", "스마트시티", "매출", "증권", "상장", f"종목{i % 3}"]),
            "lead_only": True})
    return to_frame(rows)


@pytest.fixture(scope="module")
def fitted() -> tuple[tag_model.TagModel, list[dict[str, float]], np.ndarray, list]:
    articles = _articles()
    results = score_topics(articles, use_model=False)
    terms = [Counter(k.split(",")) for k in articles["keywords"]]
    features = tag_model.feature_dicts(results, terms)
    y = articles["article_id"].str.startswith("city").to_numpy()
    rule = np.array([r.smart_city for r in results])
    candidates = tag_model.cross_validate(features, rule, y, repeats=1, folds=3)
    return tag_model.fit_tag_model(features, y, candidates[0]), features, y, results


def test_city_names_are_never_features() -> None:
    articles = _articles().head(1)
    results = score_topics(articles, use_model=False)
    feats = tag_model.feature_dicts(results, [Counter({"세종시": 3, "셔틀": 1})])[0]
    assert "t:셔틀" in feats and "t:세종시" not in feats
    assert {"sig:rule", "sig:density", "sig:context"} <= set(feats)


def test_the_model_learns_company_news_from_city_news(fitted) -> None:
    model, features, y, results = fitted
    decisions = tag_model.decide_smart_city(model, results, features)
    predicted = np.array([smart for smart, _ in decisions])
    assert (predicted == y).mean() >= 0.95
    assert model.weights["smart_city"].get("t:투자", 0.0) < 0 or model.meta["features"] == "lexicon"
    assert all(ev.startswith("model p=") for _, ev in decisions)


def test_tsv_round_trip_gives_the_same_probabilities(fitted, tmp_path) -> None:
    model, features, _, _ = fitted
    model.meta["what"] = "test"
    again = tag_model.TagModel.read(model.write(tmp_path / "m.tsv"))
    assert again.mode == model.mode and again.thresholds == model.thresholds
    for feats in features[:10]:
        assert again.probability("smart_city", feats) == pytest.approx(
            model.probability("smart_city", feats), abs=1e-4)


def test_a_bad_model_file_names_the_line(tmp_path) -> None:
    path = tmp_path / "m.tsv"
    path.write_text("target\tfeature\tweight\nsmart_city\t(intercept)\n", encoding="utf-8")
    with pytest.raises(ValueError, match="m.tsv:2"):
        tag_model.TagModel.read(path)


def test_the_tagger_uses_a_shipped_model_and_says_so(fitted, tmp_path, monkeypatch) -> None:
    import shutil

    from lib import paths

    model, _, _, _ = fitted
    res = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, res)
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    model.write(res / tag_model.MODEL_FILE)
    out = tag_topics(_articles())
    assert out["topic_evidence"].str.contains("model p=").all()
    firms = out[out.index % 2 == 1]
    assert not firms["smart_city"].any()
    assert (firms["topics"] == ()).all()


def test_cross_validation_counts_flags_on_hard_negatives(fitted) -> None:
    _, features, y, results = fitted
    rule = np.array([r.smart_city for r in results])
    # Every company story marked a hard negative: a candidate's count is its false flags there.
    candidates = tag_model.cross_validate(features, rule, y, repeats=1, folds=3,
                                          hard_negatives=~y)
    assert all(0 <= c.hard_flagged <= int((~y).sum()) for c in candidates)
    assert any(c.hard_flagged > 0 for c in candidates)  # the lowest thresholds flag some
    none = tag_model.cross_validate(features, rule, y, repeats=1, folds=3)
    assert all(c.hard_flagged == 0 for c in none)


def test_choose_candidate_trades_a_little_f1_for_fewer_hard_flags() -> None:
    def cand(f1: float, flagged: int, threshold: float) -> tag_model.Candidate:
        return tag_model.Candidate("lexicon+nouns", "model", 3.0, threshold, f1, flagged)

    ranked = [cand(0.905, 7, 0.45), cand(0.903, 6, 0.55), cand(0.900, 4, 0.65),
              cand(0.899, 4, 0.6), cand(0.880, 0, 0.9)]
    assert tag_model.choose_candidate(ranked, tolerance=0.01).threshold == 0.65
    assert tag_model.choose_candidate(ranked, tolerance=0.0).threshold == 0.45
    assert tag_model.choose_candidate(ranked, tolerance=0.03).threshold == 0.9


def test_cues_count_whose_story_it_is() -> None:
    articles = _articles().head(2)
    results = score_topics(articles, use_model=False)
    terms = [Counter(k.split(",")) for k in articles["keywords"]]
    city, firm = tag_model.feature_dicts(results, terms)
    assert city["cue:local"] > 0 and city["cue:market"] == 0  # 시민
    assert firm["cue:market"] > city["cue:market"] and firm["cue:local"] == 0  # 주가, 상장
    # Without nouns there are no cues, and a lexicon-only model never sees them.
    assert not any(f.startswith("cue:") for f in tag_model.feature_dicts(results)[0])
    assert not any(f.startswith("cue:") for f in tag_model._keep([firm], "lexicon")[0])


def test_features_read_the_cues_and_city_names_of_the_given_resources(tmp_path) -> None:
    """A resource folder of one's own: its cue words and its cities' names, not the project's."""
    import shutil

    from lib import paths

    folder = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, folder)
    (folder / tag_model.CUES_FILE).write_text("cue\twords\nroute\t노선0|정류장\n", encoding="utf-8")
    regions = (folder / "regions.toml").read_text(encoding="utf-8")
    (folder / "regions.toml").write_text(regions.replace('"세종시"', '"세종시", "셔틀"', 1),
                                         encoding="utf-8")
    articles = _articles().head(1)
    results = score_topics(articles, use_model=False, resources=folder)
    terms = [Counter(k.split(",")) for k in articles["keywords"]]
    own = tag_model.feature_dicts(results, terms, resources=folder)[0]
    project = tag_model.feature_dicts(results, terms)[0]
    assert own["cue:route"] == pytest.approx(np.log1p(2)) and "cue:local" not in own
    assert "cue:local" in project and "cue:route" not in project
    assert "t:셔틀" not in own and "t:셔틀" in project


def test_a_bad_cue_file_names_the_line(tmp_path) -> None:
    (tmp_path / tag_model.CUES_FILE).write_text("cue\twords\nlocal\t\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"{tag_model.CUES_FILE}:2"):
        tag_model.load_cues(tmp_path)


def test_a_scaled_model_weighs_the_features_as_they_are(fitted) -> None:
    """The ``scaled`` feature set is fitted on rescaled columns (lexicon, signal and cue
    features over their largest value, nouns times the noun weight); the written weights carry
    the factors, so the model's probabilities on the plain features are sklearn's on the
    rescaled ones, and a different noun weight gives a different model."""
    from sklearn.feature_extraction import DictVectorizer

    _, features, y, _ = fitted
    models = {}
    for noun_weight in (2.0, 10.0):
        candidate = tag_model.Candidate("scaled", "model", 1.0, 0.5, 0.0, 0, noun_weight)
        model = tag_model.fit_tag_model(features, y, candidate)
        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform(tag_model._keep(features, "scaled")).tocsr()
        nouns = np.array([n.startswith("t:") for n in vectorizer.get_feature_names_out()])
        largest = np.asarray(abs(x).max(axis=0).todense()).ravel()
        scale = np.where(nouns, noun_weight, 1.0 / np.where(largest > 0, largest, 1.0))
        reference = tag_model._regression(1.0).fit(x @ np.diag(scale), y)
        expected = reference.predict_proba(x @ np.diag(scale))[:, 1]
        got = np.array([model.probability("smart_city", f) for f in features])
        assert np.abs(got - expected).max() < 1e-9
        assert model.meta["features"] == "scaled" and model.meta["noun_weight"] == f"{noun_weight:g}"
        models[noun_weight] = model
    assert models[2.0].weights != models[10.0].weights


def test_a_naive_bayes_scaled_model_weighs_each_noun_by_its_ratio(fitted) -> None:
    """``scaled_nb`` multiplies each noun's factor by its naive-Bayes log-count ratio over the
    mean ratio (computed here by hand); the written weights still carry every factor, so the
    model's probabilities on the plain features are sklearn's on the rescaled ones."""
    from sklearn.feature_extraction import DictVectorizer

    _, features, y, _ = fitted
    candidate = tag_model.Candidate("scaled_nb", "model", 1.0, 0.5, 0.0, 0, 5.0)
    model = tag_model.fit_tag_model(features, y, candidate)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(tag_model._keep(features, "scaled_nb")).tocsr()
    names = vectorizer.get_feature_names_out()
    nouns = np.array([n.startswith("t:") for n in names])
    used = (x[:, nouns] != 0).toarray()
    a = used[y].sum(axis=0) + 1.0
    b = used[~y].sum(axis=0) + 1.0
    ratio = np.abs(np.log((a / a.sum()) / (b / b.sum())))
    largest = np.asarray(abs(x).max(axis=0).todense()).ravel()
    scale = 1.0 / np.where(largest > 0, largest, 1.0)
    scale[nouns] = 5.0 * ratio / ratio.mean()
    reference = tag_model._regression(1.0).fit(x @ np.diag(scale), y)
    expected = reference.predict_proba(x @ np.diag(scale))[:, 1]
    got = np.array([model.probability("smart_city", f) for f in features])
    assert np.abs(got - expected).max() < 1e-9
    assert model.meta["features"] == "scaled_nb" and model.meta["noun_weight"] == "5"
    plain = tag_model.fit_tag_model(features, y, replace(candidate, features="scaled"))
    assert plain.weights != model.weights


def test_naive_bayes_ratios_favour_nouns_that_lean_one_way() -> None:
    import scipy.sparse as sp

    # Column 0 in every article of both kinds, column 1 in the smart-city ones only.
    x = sp.csr_matrix(np.array([[1, 1], [1, 1], [1, 0], [1, 0]], dtype=float))
    ratios = tag_model._nb_ratios(x, np.array([True, True, False, False]))
    assert ratios[1] > ratios[0] and ratios.mean() == pytest.approx(1.0)
    assert list(tag_model._nb_ratios(x, np.ones(4, dtype=bool))) == [1.0, 1.0]


def test_cross_validation_shows_its_progress_when_asked(fitted, capsys) -> None:
    _, features, y, results = fitted
    rule = np.array([r.smart_city for r in results])
    tag_model.cross_validate(features, rule, y, repeats=1, folds=3, kinds=("lexicon",))
    assert capsys.readouterr().err == ""
    tag_model.cross_validate(features, rule, y, repeats=1, folds=3, kinds=("lexicon",),
                             progress=True)
    err = capsys.readouterr().err
    n = len(tag_model._C_GRID)
    assert "smart-city model: 1×3-fold cross-validation" in err and f"{n}/{n}" in err


def test_cross_validation_tries_every_noun_weight_of_the_scaled_features(fitted) -> None:
    _, features, y, results = fitted
    rule = np.array([r.smart_city for r in results])
    candidates = tag_model.cross_validate(features, rule, y, repeats=1, folds=3)
    for kind in ("scaled", "scaled_nb"):
        scaled = {(c.c, c.noun_weight) for c in candidates if c.features == kind}
        assert {w for _, w in scaled} == set(tag_model.NOUN_WEIGHTS)
    assert {c.noun_weight for c in candidates if "scaled" not in c.features} == {1.0}
    assert len({c.setting for c in candidates}) == 2 * len(scaled) + 2 * len(tag_model._C_GRID)
    only = tag_model.cross_validate(features, rule, y, repeats=1, folds=3, kinds=("scaled_nb",))
    assert {c.features for c in only} == {"scaled_nb"}
    with pytest.raises(ValueError, match="unknown feature set"):
        tag_model.cross_validate(features, rule, y, repeats=1, folds=3, kinds=("nouns",))


def _with_vetoes(tmp_path, monkeypatch, text: str | None):
    """A copy of the project's resources with the shipped model and ``text`` as the vetoes file
    (none for None), made the resources in use."""
    import shutil

    from lib import paths

    res = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, res)
    (res / tag_model.VETOES_FILE).unlink(missing_ok=True)
    if text is not None:
        (res / tag_model.VETOES_FILE).write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    return res


def _stock_story() -> pd.DataFrame:
    """Two synthetic 키워드 rows that differ only in market words: a city's smart-city project
    and the same words in a report on a listed firm's shares."""
    words = ["세종시", "스마트시티", "스마트시티", "자율주행", "셔틀", "시민", "운행", "국가시범도시"]
    return to_frame([
        {"article_id": "city", "keywords": ",".join(words), "lead_only": True},
        {"article_id": "stock", "keywords": ",".join([*words, "관련주", "특징주", "강세"]),
         "lead_only": True},
    ])


def test_a_veto_overrules_the_models_yes_and_says_why(tmp_path, monkeypatch) -> None:
    if not tag_model.model_path().exists():
        pytest.skip("no shipped smart-city model")
    articles = _stock_story()
    _with_vetoes(tmp_path, monkeypatch, None)
    before = tag_topics(articles)
    assert before["smart_city"].all()  # the model alone says yes to both
    _with_vetoes(tmp_path / "v", monkeypatch, "veto\tmin_distinct\twords\nmarket\t2\t관련주|특징주|강세|주가\n")
    after = tag_topics(articles)
    assert after["smart_city"].tolist() == [True, False]
    assert after["topics"].iloc[1] == ()
    assert after["topic_evidence"].iloc[1].endswith(
        "veto market (강세, 관련주, 특징주): not smart-city coverage")
    assert "veto" not in after["topic_evidence"].iloc[0]
    # Fewer distinct words than the veto asks for: the model's yes stands.
    _with_vetoes(tmp_path / "w", monkeypatch, "veto\tmin_distinct\twords\nmarket\t4\t관련주|특징주|강세|주가\n")
    assert tag_topics(articles)["smart_city"].all()


def test_vetoes_count_distinct_words_per_article() -> None:
    from lib.tagging import tokens

    nouns = tokens.NounCounts(
        3, np.array([0, 0, 1, 1, 1, 2]), np.array(["주가", "셔틀", "주가", "증시", "강세", "증시"],
                                                 dtype=object), np.array([5, 1, 1, 1, 1, 9]))
    vetoes = [tag_model.Veto("market", 2, frozenset({"주가", "증시", "강세"})),
              tag_model.Veto("other", 1, frozenset({"셔틀"}))]
    # Five mentions of one word are one word; the first veto that holds is named.
    assert tag_model.vetoed(vetoes, nouns, 3) == [
        "veto other (셔틀)", "veto market (강세, 주가, 증시)", ""]
    assert tag_model.vetoed(vetoes, None, 3) == ["", "", ""]


def test_a_bad_veto_file_names_the_line(tmp_path) -> None:
    for line in ("market\t0\t주가|증시", "market\t2", "market\ttwo\t주가", "\t2\t주가"):
        (tmp_path / tag_model.VETOES_FILE).write_text(f"veto\tmin_distinct\twords\n{line}\n",
                                                      encoding="utf-8")
        with pytest.raises(ValueError, match=f"{tag_model.VETOES_FILE}:2"):
            tag_model.load_vetoes(tmp_path)


def test_the_shipped_vetoes_read() -> None:
    vetoes = tag_model.load_vetoes()
    assert [v.name for v in vetoes] == ["market", "earnings", "funding", "forecast"]
    assert all(v.min_distinct >= 2 and len(v.words) >= v.min_distinct for v in vetoes)


def test_cross_validation_scores_the_decision_the_vetoes_leave(fitted) -> None:
    """Articles a veto holds for are not smart-city in any candidate's out-of-fold decision, as
    the tagger decides them: overruling every company story flags none of them."""
    _, features, y, results = fitted
    rule = np.array([r.smart_city for r in results])
    plain = tag_model.cross_validate(features, rule, y, repeats=1, folds=3, hard_negatives=~y)
    vetoed = tag_model.cross_validate(features, rule, y, repeats=1, folds=3, hard_negatives=~y,
                                      overruled=~y)
    assert any(c.hard_flagged for c in plain)
    assert all(c.hard_flagged == 0 for c in vetoed)
    # Overruling every city story instead leaves no candidate anything to find.
    assert all(c.f1 == 0 for c in tag_model.cross_validate(
        features, rule, y, repeats=1, folds=3, overruled=y))


def test_overruled_by_vetoes_reads_the_articles_nouns(tmp_path) -> None:
    (tmp_path / tag_model.VETOES_FILE).write_text(
        "veto\tmin_distinct\twords\nmarket\t2\t주가|상장|증권\n", encoding="utf-8")
    articles = _articles().head(4)  # city, firm, city, firm
    assert tag_model.overruled_by_vetoes(articles, tmp_path).tolist() == [False, True, False, True]
    assert not tag_model.overruled_by_vetoes(articles, tmp_path / "none").any()


def test_every_veto_word_is_one_noun_in_running_text() -> None:
    """A saved page is tokenized by Kiwi: each veto word must come out whole (the user
    dictionary keeps 관련주, 특징주, 영업이익 … together), or a veto could hold on a BigKinds
    keyword list and not on the same story's page."""
    from lib.tagging import tokens

    words = sorted({w for v in tag_model.load_vetoes() for w in v.words})
    text = " ".join(f"이 회사는 {w}에서 주목받았다." for w in words)
    articles = to_frame([{"article_id": "page", "title": "시장 소식", "body": text}])
    nouns = set(tokens.noun_counts(articles).term.tolist())
    assert [w for w in words if w not in nouns] == []


def test_the_shipped_market_veto_reads_a_share_price_move() -> None:
    """A stock note naming a share price once and its move (상승세, 순매도) is market news."""
    vetoes = {v.name: v for v in tag_model.load_vetoes()}
    words = ["스마트시티", "UAM", "실증", "기업"]
    note = tokens_of([[*words, "주가", "상승세", "순매도"], [*words, "주가"], [*words, "시민"]])
    assert tag_model.vetoed([vetoes["market"]], note, 3) == [
        "veto market (상승세, 순매도, 주가)", "", ""]


def tokens_of(rows: list[list[str]]):
    """One NounCounts of the given rows of nouns (each noun counted once)."""
    from lib.tagging import tokens

    article = np.array([i for i, row in enumerate(rows) for _ in row])
    terms = np.array([t for row in rows for t in row], dtype=object)
    return tokens.NounCounts(len(rows), article, terms, np.ones(len(terms), dtype=int))


def test_the_shipped_forecast_veto_reads_a_market_report() -> None:
    """A research firm's report of a market's yearly growth is market news; a city's plan that
    names its market once is not."""
    vetoes = {v.name: v for v in tag_model.load_vetoes()}
    words = ["스마트시티", "IoT", "플랫폼", "성장"]
    rows = tokens_of([[*words, "시장", "연평균", "보고서"], [*words, "시장", "전망"],
                      [*words, "시청", "보고서"]])
    assert tag_model.vetoed([vetoes["forecast"]], rows, 3) == [
        "veto forecast (보고서, 시장, 연평균)", "", ""]
