"""The smart-city model weighed column-wise gives, bit for bit, what the per-article feature
dicts give; the column-wise noun counts are the per-article ``Counter``s."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib import paths
from lib.corpus import load_corpus
from lib.corpus.schema import to_frame
from lib.tagging import model as tag_model
from lib.tagging import tokens
from lib.tagging.topics import score_topics

#: Keywords that join into lexicon forms (스마트,시티), stopwords, numbers and plain nouns.
WORDS = ["스마트", "시티", "챌린지", "자율", "주행", "국가", "시범", "도시", "디지털", "트윈", "세종시",
         "대전", "시민", "투자", "주가", "셔틀", "2024", "기자", "데이터", "센터", "AI", "리빙랩"]


def _keyword_rows(lists: list[list[str]]) -> "object":
    return to_frame([{"article_id": f"kw{i}", "keywords": ",".join(words), "lead_only": True}
                     for i, words in enumerate(lists)])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=1, max_size=8))
def test_keyword_lists_column_wise_equal_one_by_one(lists: list[list[str]]) -> None:
    res = tokens._resources(None)
    keyword_lists = [",".join(words) for words in lists]
    indptr, terms = tokens.keyword_terms_many(keyword_lists, res)
    column_wise = [terms[indptr[i]:indptr[i + 1]].tolist() for i in range(len(lists))]
    assert column_wise == [tokens.keyword_terms(k) for k in keyword_lists]


def test_noun_counts_are_the_term_counts_in_order() -> None:
    rows = _keyword_rows([["스마트", "시티", "스마트", "시티", "시민"], ["자율", "주행", "투자"],
                          [], ["국가", "시범", "도시", "디지털", "트윈", "투자", "투자"]])
    # A repeated id takes the nouns of its first row, as term_counts gives them.
    rows = to_frame([*rows.to_dict("records"), {**rows.iloc[0].to_dict(), "keywords": "투자"}])
    rows = rows.assign(article_id=rows["article_id"].astype(str))
    by_id = tokens.term_counts(rows)
    expected = [by_id.get(a, Counter()) for a in rows["article_id"]]
    got = tokens.noun_counts(rows).counters()
    assert [list(c.items()) for c in got] == [list(c.items()) for c in expected]
    assert got[0] == Counter({"스마트시티": 2, "시민": 1}) and got[-1] == got[0]


@pytest.fixture(scope="module")
def sample_block():
    articles = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).articles
    articles = articles.drop_duplicates("article_id")
    articles = articles.assign(article_id=articles["article_id"].astype(str))
    results = score_topics(articles, use_model=False)
    weighed = [i for i, r in enumerate(results) if r.score > 0]
    return articles.iloc[weighed], [results[i] for i in weighed]


def test_decisions_column_wise_equal_the_feature_dicts(sample_block) -> None:
    """Full-text and keyword rows of the sample: every decision and explanation the same."""
    frame, results = sample_block
    model = tag_model.load_model()
    if model is None:
        pytest.skip("no smart-city model shipped")
    expected = tag_model.decide_smart_city(
        model, results, tag_model.feature_dicts(results, tag_model.article_terms(frame)))
    got = tag_model.decide_smart_city_nouns(model, results, tokens.noun_counts(frame))
    assert len(got) > 500 and sum(smart for smart, _ in got) > 100
    assert got == expected
    # Without nouns (a lexicon-only model), the same as feature dicts without terms.
    assert (tag_model.decide_smart_city_nouns(model, results, None)
            == tag_model.decide_smart_city(model, results, tag_model.feature_dicts(results)))
