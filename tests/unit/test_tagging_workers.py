"""Tagging in chunks gives the tables of one pass: the base of ``tag_articles(workers=N)``.

The run across real worker processes is in tests/integration/test_engine.py (each process
loads its own Kiwi model, which takes seconds); here the chunks are tagged in this process.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.tagging import regions as region_tagger
from lib.tagging import resources as wordlists
from lib.tagging import stage, tag_articles, tokens
from tests.conftest import sample_unique_articles


@pytest.fixture(scope="module")
def unique_articles() -> pd.DataFrame:
    """A fifth of the synthetic sample, one row per article_id, ids as strings."""
    return sample_unique_articles(5)


@pytest.fixture(scope="module")
def _module_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def cache_in_tmp(_module_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(paths, "CACHE_DIR", _module_cache)
    shutil.rmtree(_module_cache / "tagged", ignore_errors=True)
    return _module_cache / "tagged"


def _assert_same_tables(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    for name in ("tags", "article_topics", "topic_terms", "region_evidence"):
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)
    _assert_categorical(got)


def _assert_categorical(tables: dict[str, pd.DataFrame]) -> None:
    """The evidence tables' string columns are categoricals of pandas' string type whose
    categories are sorted and all in use (pandas' frame comparison ignores their order)."""
    for name, columns in stage.CATEGORICAL_COLUMNS.items():
        for column in columns:
            values = tables[name][column]
            assert isinstance(values.dtype, pd.CategoricalDtype), (name, column, values.dtype)
            categories = values.cat.categories
            assert categories.dtype == wordlists.STR_DTYPE, (name, column, categories.dtype)
            assert list(categories) == sorted(set(values.astype(str))), (name, column)


@pytest.mark.parametrize("size", [16, 100])
def test_chunks_joined_in_order_are_one_pass(unique_articles, cache_in_tmp, size) -> None:
    whole = stage._tag_unique(unique_articles)
    chunks = [unique_articles.iloc[i : i + size] for i in range(0, len(unique_articles), size)]
    joined = stage.join_parts([stage._tag_unique(chunk) for chunk in chunks])
    assert len(whole["tags"]) == len(unique_articles) > 100
    assert all(len(whole[name]) for name in ("article_topics", "topic_terms", "region_evidence"))
    _assert_same_tables(joined, whole)


def test_evidence_tables_are_the_taggers_rows_with_categorical_strings(unique_articles,
                                                                      cache_in_tmp) -> None:
    head = unique_articles.head(200)
    tables = stage._tag_unique(head)
    _assert_categorical(tables)
    texts = wordlists.ArticleTexts(head)
    _regions, evidence = region_tagger.attribute_regions(head, texts=texts)
    plain = region_tagger.region_evidence_table(head["article_id"].tolist(), evidence)
    assert len(plain) > 200
    got = tables["region_evidence"]
    pd.testing.assert_frame_equal(got.astype({c: plain[c].dtype for c in plain.columns}), plain)
    # Sorting by a categorical column sorts by its text, as it did for strings.
    for column in ("term", "article_id"):
        assert got.sort_values(column, kind="stable")[column].astype(str).tolist() == \
            plain.sort_values(column, kind="stable")[column].tolist()


def test_joining_keeps_categories_sorted_and_in_use(unique_articles, cache_in_tmp) -> None:
    parts = [stage._tag_unique(unique_articles.iloc[i : i + 30]) for i in (0, 30, 60)]
    # A part cut to some of its articles keeps categories no row uses any more.
    keep = set(parts[1]["tags"]["article_id"].tolist()[:5])
    parts[1] = stage._only(parts[1], keep)
    assert len(parts[1]["region_evidence"]["term"].cat.categories) > \
        parts[1]["region_evidence"]["term"].nunique()
    joined = stage.join_parts(parts)
    _assert_categorical(joined)
    for name in stage.CATEGORICAL_COLUMNS:
        as_text = [p[name].astype({c: str for c in stage.CATEGORICAL_COLUMNS[name]}) for p in parts]
        pd.testing.assert_frame_equal(
            joined[name].astype({c: str for c in stage.CATEGORICAL_COLUMNS[name]}),
            pd.concat(as_text, ignore_index=True), obj=name)


def test_cached_evidence_tables_come_back_categorical(unique_articles, cache_in_tmp) -> None:
    first = tag_articles(unique_articles.head(80), workers=1)
    again = tag_articles(unique_articles.head(80), workers=1)
    assert again.from_cache and not first.from_cache
    stored = {"topic_terms": again.topic_terms, "region_evidence": again.region_evidence}
    _assert_categorical(stored)
    pd.testing.assert_frame_equal(again.region_evidence, first.region_evidence)
    pd.testing.assert_frame_equal(again.topic_terms, first.topic_terms)


def test_chunks_without_evidence_keep_the_column_types(unique_articles, cache_in_tmp) -> None:
    """A chunk where nothing fired has empty long tables: they must not change the joined types."""
    invented = pd.DataFrame(
        {"article_id": ["synthetic-empty"], "title": ["[합성] 날씨가 맑다"], "body": ["[합성] 비 소식 없음"]}
    )
    parts = [stage._tag_unique(unique_articles.head(40)), stage._tag_unique(invented)]
    assert parts[1]["topic_terms"].empty and parts[1]["region_evidence"].empty
    joined = stage.join_parts(parts)
    for name in ("article_topics", "topic_terms", "region_evidence"):
        assert dict(joined[name].dtypes) == dict(parts[0][name].dtypes), name
    assert joined["tags"]["article_id"].tolist()[-1] == "synthetic-empty"


def test_topic_terms_are_in_article_then_label_then_term_order(unique_articles,
                                                               cache_in_tmp) -> None:
    terms = stage._tag_unique(unique_articles)["topic_terms"]
    position = {a: i for i, a in enumerate(unique_articles["article_id"])}
    keys = list(zip(terms["article_id"].map(position), terms["label"], terms["term"]))
    assert keys == sorted(keys)


def test_worker_count_is_the_callers_or_every_core_for_large_corpora(monkeypatch) -> None:
    monkeypatch.setattr(stage.os, "cpu_count", lambda: 8)
    assert stage.resolve_workers(None, stage.PARALLEL_MIN_ARTICLES - 1) == 1
    assert stage.resolve_workers(None, stage.PARALLEL_MIN_ARTICLES) == 8
    monkeypatch.setattr(stage.os, "cpu_count", lambda: stage.PARALLEL_MIN_CORES - 1)
    assert stage.resolve_workers(None, 10 * stage.PARALLEL_MIN_ARTICLES) == 1
    assert stage.resolve_workers(3, 10) == 3
    with pytest.raises(ValueError, match="at least 1"):
        stage.resolve_workers(0, 10)


def test_the_cache_key_does_not_depend_on_workers(unique_articles, cache_in_tmp) -> None:
    """A corpus tagged serially is read back from the cache when asked with more workers."""
    first = tag_articles(unique_articles.head(60), workers=1)
    again = tag_articles(unique_articles.head(60), workers=2)
    assert again.from_cache and again.cache_key == first.cache_key
    pd.testing.assert_frame_equal(again.articles, first.articles)


def test_kiwi_threads_follow_the_environment(monkeypatch) -> None:
    monkeypatch.setenv(tokens.THREADS_ENV, "3")
    assert tokens.default_workers() == 3
    monkeypatch.setenv(tokens.THREADS_ENV, "many")
    with pytest.raises(ValueError, match="KIWI_THREADS"):
        tokens.default_workers()
    monkeypatch.delenv(tokens.THREADS_ENV)
    assert tokens.default_workers() >= 1
