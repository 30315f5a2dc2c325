"""The tagging stage: one tagged layer with long evidence tables, cached by what it depends on."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus import CorpusError, load_corpus
from lib.tagging import TAG_DEFAULTS, tag_articles, tag_regions, tag_topics
from lib.tagging import stage
from lib.vocabulary import get_vocabulary


@pytest.fixture(scope="module")
def sample_articles() -> pd.DataFrame:
    """Every fourth article of the synthetic sample: pages and BigKinds rows, duplicates too."""
    return load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).articles.iloc[::4]


@pytest.fixture(scope="module")
def _shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache folder for the module: Kiwi tokens of the sample are made once."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def cache_in_tmp(_shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(paths, "CACHE_DIR", _shared_cache)
    tagged = _shared_cache / "tagged"
    shutil.rmtree(tagged, ignore_errors=True)  # each test starts without tagged entries
    return tagged


def test_tag_articles_equals_the_two_taggers(sample_articles, cache_in_tmp) -> None:
    tags = tag_articles(sample_articles)
    out = tags.articles
    assert list(out.index) == list(sample_articles.index)
    assert list(out.columns[: len(sample_articles.columns)]) == list(sample_articles.columns)
    assert set(TAG_DEFAULTS) <= set(out.columns)
    regions = tag_regions(sample_articles)
    topics = tag_topics(sample_articles)
    pd.testing.assert_series_equal(out["region"], regions["region"])
    pd.testing.assert_series_equal(out["region_evidence"], regions["region_evidence"])
    pd.testing.assert_series_equal(out["smart_city"], topics["smart_city"])
    assert out["topics"].tolist() == topics["topics"].tolist()
    assert all(isinstance(t, tuple) for t in out["topics"])


def test_long_tables_agree_with_the_wide_columns(sample_articles, cache_in_tmp) -> None:
    tags = tag_articles(sample_articles)
    unique = tags.articles.drop_duplicates("article_id").set_index("article_id")
    long = tags.article_topics.groupby("article_id")["topic"].apply(tuple)
    for art_id, topics in unique["topics"].items():
        assert long.get(art_id, ()) == topics
    assert set(tags.article_topics["topic"]) <= set(get_vocabulary().topic_keys)
    assert (tags.article_topics["terms"] != "").all()
    # Every topic term is evidence the wide column names too.
    terms = tags.topic_terms.merge(unique["topic_evidence"], left_on="article_id", right_index=True)
    assert all(f"{lab}:" in ev and term in ev for lab, term, ev in
               zip(terms["label"], terms["term"], terms["topic_evidence"], strict=True))
    ev = tags.region_evidence
    assert list(ev.columns) == ["article_id", "region", "source", "term", "count"]
    assert set(ev["region"]) <= set(get_vocabulary().city_keys)
    assert (ev["count"] >= 1).all()
    # An article tagged with a city has counted evidence for it.
    counted = ev[~ev["source"].isin(["homograph", "passing", "dateline_ignored", "list"])]
    cities = unique[unique["region"].isin(get_vocabulary().city_keys)]
    with_evidence = set(zip(counted["article_id"], counted["region"]))
    assert all((a, r) in with_evidence for a, r in cities["region"].items())


def test_second_run_reads_the_cache(sample_articles, cache_in_tmp) -> None:
    first = tag_articles(sample_articles)
    assert not first.from_cache and (cache_in_tmp / first.cache_key).is_dir()
    second = tag_articles(sample_articles)
    assert second.from_cache and second.cache_key == first.cache_key
    pd.testing.assert_frame_equal(second.articles, first.articles)
    pd.testing.assert_frame_equal(second.article_topics, first.article_topics)
    pd.testing.assert_frame_equal(second.region_evidence, first.region_evidence)


def test_changed_articles_or_resources_tag_again(sample_articles, tmp_path, monkeypatch,
                                                 cache_in_tmp) -> None:
    base = tag_articles(sample_articles.head(20))
    edited = sample_articles.head(20).copy()
    edited.loc[edited.index[0], "title"] = "[합성] 스마트시티 새 제목"
    assert tag_articles(edited).cache_key != base.cache_key
    res = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, res)
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    with open(res / "topic_lexicon.tsv", "a", encoding="utf-8") as fh:
        fh.write("data_ai\t합성신조어\t\t1\n")
    assert tag_articles(sample_articles.head(20)).cache_key != base.cache_key


def test_a_refitted_model_tags_again(sample_articles, tmp_path, monkeypatch,
                                     cache_in_tmp) -> None:
    base = tag_articles(sample_articles.head(20))
    res = tmp_path / "resources"
    shutil.copytree(paths.RESOURCES_DIR, res)
    monkeypatch.setattr(paths, "RESOURCES_DIR", res)
    assert tag_articles(sample_articles.head(20)).cache_key == base.cache_key
    model = res / "tag_model.tsv"
    lines = model.read_text(encoding="utf-8").splitlines()
    # A refit that moves only the probability threshold must still tag again.
    row = next(i for i, line in enumerate(lines) if "\t(threshold)\t" in line)
    target, feature, _ = lines[row].split("\t")
    lines[row] = f"{target}\t{feature}\t0.99"
    model.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert tag_articles(sample_articles.head(20)).cache_key != base.cache_key


def test_a_damaged_cache_entry_is_rebuilt(sample_articles, cache_in_tmp) -> None:
    first = tag_articles(sample_articles.head(30))
    (cache_in_tmp / first.cache_key / "tags.parquet").write_bytes(b"not parquet")
    with pytest.warns(UserWarning, match="damaged"):
        again = tag_articles(sample_articles.head(30))
    assert not again.from_cache
    pd.testing.assert_frame_equal(again.articles, first.articles)
    assert tag_articles(sample_articles.head(30)).from_cache


def test_untagged_and_string_topics(cache_in_tmp) -> None:
    frame = pd.DataFrame({"article_id": ["a"], "title": ["[합성] 제목"], "body": [""]})
    filled = stage.ensure_tags(frame)
    assert filled.loc[0, "topics"] == () and filled.loc[0, "region"] == "neither"
    with pytest.raises(TypeError, match="tuple of topic keys"):
        stage.ensure_tags(frame.assign(topics=["pilot_city|mobility"]))


def test_each_page_fixture_tags_alone(cache_in_tmp) -> None:
    """A corpus of one article is tagged whatever nouns it has: the page fixtures one at a time
    (a smart-city story none of whose nouns is a topic's hint word once stopped the tagger)."""
    folder = paths.ROOT / "tests" / "fixtures" / "pages" / "generic"
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    pages = [folder / case["file"] for case in expected]
    assert len(pages) > 10
    flagged = 0
    for page in pages:
        try:
            articles = load_corpus(page, progress=False, on_error="raise").articles
        except CorpusError:  # a page without stamp, byline or copyright line is not sniffed
            continue
        tagged = tag_articles(articles).articles
        assert len(tagged) == len(articles), page.name
        assert tagged["topics"].map(bool).eq(tagged["smart_city"]).all(), page.name
        flagged += int(tagged["smart_city"].sum())
    assert flagged > 0
