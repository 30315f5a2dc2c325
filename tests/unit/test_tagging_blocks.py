"""Tagging in bounded memory gives the tables of one pass: blocks of articles, the cache key
hashed in slices of rows, tags attached by position, keyword lists read through one memo, and
the model's one-pass weighing."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.tagging import model as tag_model
from lib.tagging import stage, tokens
from lib.tagging.topics import score_topics
from tests.conftest import sample_unique_articles


@pytest.fixture(scope="module")
def unique_articles() -> pd.DataFrame:
    """A third of the synthetic sample, one row per article_id, ids as strings."""
    return sample_unique_articles(3)


@pytest.fixture
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path)
    return tmp_path


def test_blocks_of_any_size_give_the_tables_of_one_pass(
    unique_articles, cache_in_tmp, monkeypatch
) -> None:
    whole = stage.tag_unique(unique_articles, workers=1)
    monkeypatch.setattr(stage, "BLOCK_ARTICLES", 37)
    blocks = stage.tag_unique(unique_articles, workers=1)
    assert len(unique_articles) > 3 * 37
    assert whole["tags"]["smart_city"].sum() > 20
    for name in ("tags", "article_topics", "topic_terms", "region_evidence"):
        assert len(whole[name]), name
        pd.testing.assert_frame_equal(blocks[name], whole[name], obj=name)


def test_the_cache_key_does_not_depend_on_the_hashed_slices(unique_articles, monkeypatch) -> None:
    whole = stage.cache_key(unique_articles)
    monkeypatch.setattr(stage, "_HASH_ROWS", 11)
    assert stage.cache_key(unique_articles) == whole
    changed = unique_articles.copy()
    changed.iloc[-1, changed.columns.get_loc("title")] += " (합성 수정)"
    assert stage.cache_key(changed) != whole


def test_the_cache_key_depends_on_the_values_not_their_storage(unique_articles) -> None:
    """Columns cut into other chunks (a concatenation) or held as Python objects give the same
    key; a value moved to its neighbour (same text, other rows) or made missing does not."""
    whole = stage.cache_key(unique_articles)
    half = len(unique_articles) // 2
    rejoined = pd.concat([unique_articles.iloc[:half], unique_articles.iloc[half:]])
    assert stage.cache_key(rejoined) == whole
    assert stage.cache_key(unique_articles.astype({"title": object})) == whole
    moved = unique_articles.copy()
    first, second = moved["title"].iloc[0], moved["title"].iloc[1]
    moved.iloc[0, moved.columns.get_loc("title")] = first + second[:1]
    moved.iloc[1, moved.columns.get_loc("title")] = second[1:]
    assert stage.cache_key(moved) != whole
    blank = unique_articles.copy()
    blank.iloc[0, blank.columns.get_loc("subtitle")] = None
    assert stage.cache_key(blank) != stage.cache_key(unique_articles.assign(
        subtitle=[""] + unique_articles["subtitle"].iloc[1:].tolist()))


def test_tags_attached_by_position_match_tags_attached_by_id(unique_articles, cache_in_tmp) -> None:
    """Copies of an article get its tags; the by-position path (every article has its row) and
    the by-id path (one article has none and gets the defaults) agree on every common row."""
    tags = stage.tag_unique(unique_articles.head(80), workers=1)["tags"]
    articles = pd.concat([unique_articles.head(80), unique_articles.head(5)], ignore_index=True)
    by_position = stage.attach_tags(articles, tags)
    extra = unique_articles.iloc[[100]]
    by_id = stage.attach_tags(pd.concat([articles, extra], ignore_index=True), tags)
    pd.testing.assert_frame_equal(by_position, by_id.iloc[: len(articles)])
    assert by_id["region"].iloc[-1] == stage.TAG_DEFAULTS["region"]
    assert by_id["topics"].iloc[-1] == ()
    assert by_position["region_evidence"].tolist()[-5:] == by_position[
        "region_evidence"].tolist()[:5]
    assert by_position["region_evidence"].dtype == by_id["region_evidence"].dtype


def test_keyword_lists_read_through_one_memo_give_the_terms_of_each_alone() -> None:
    res = tokens._resources(None)
    lists = [
        "스마트,시티,국가,시범,도시,자율,주행,기자,버스",
        "국가,시범,도시,스마트,스마트,시티",  # a join form starting at the second 스마트
        "시범,도시,국가,시범",  # no join: 시범도시 alone is no join form, 국가시범 ends the list
        " 스마트 , 시티 ,,AI,18:00~19",
        "",
    ]
    memo: dict = {}
    shared = [tokens._keyword_terms(k, res, memo) for k in [*lists, *reversed(lists)]]
    alone = [tokens.keyword_terms(k) for k in [*lists, *reversed(lists)]]
    assert shared == alone
    assert alone[0][:3] == ["스마트시티", "국가시범도시", "자율주행"]
    assert alone[1] == ["국가시범도시", "스마트", "스마트시티"]
    assert alone[4] == []


def test_weighing_gives_the_probability_and_the_largest_contributions(unique_articles) -> None:
    """Against the definition: every feature's contribution, sorted by size (ties in feature
    order), the first three of at least 0.05 shown."""
    model = tag_model.load_model()
    if model is None:
        pytest.skip("no model file ships in lib/resources")
    articles = unique_articles.head(120)
    results = score_topics(articles, use_model=False)
    terms = tag_model.article_terms(articles) if model.uses_nouns else None
    features = tag_model.feature_dicts(results, terms)
    w = model.weights[tag_model.SMART]
    n_shown = 0
    for feats in features:
        p, why = model.weigh(tag_model.SMART, feats)
        assert p == model.probability(tag_model.SMART, feats)
        parts = sorted(((v * w.get(f, 0.0), f) for f, v in feats.items()),
                       key=lambda x: -abs(x[0]))[:3]
        shown = [f"{'+' if c > 0 else '-'}{f} {abs(c):.1f}" for c, f in parts if abs(c) >= 0.05]
        assert why == f"p={p:.2f} ({', '.join(shown)})"
        n_shown += len(shown)
        assert 0.0 < p < 1.0 and not math.isnan(p)
    assert n_shown > len(features)
