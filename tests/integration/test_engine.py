"""The same tables from every engine: tagging with 1 or 2 worker processes, and the distributed
engine on a local Dask cluster (2 worker processes), against the default engine.

The default engine is what a notebook runs in one process: ``load_corpus`` on the folder,
``tag_articles`` and ``token_table`` on its articles. Needs the extra requirements for the Dask
tests (``requirements-distributed.txt``; CI installs them): they skip only when Dask is missing.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus import load_corpus
from lib.tagging import load_and_tag, stage, tag_articles
from lib.tagging.tokens import token_table, tokens_of
from tests.conftest import bigkinds_row, write_bigkinds_csv


@dataclass
class Tables:
    articles: pd.DataFrame
    article_topics: pd.DataFrame
    topic_terms: pd.DataFrame
    region_evidence: pd.DataFrame
    tokens: pd.DataFrame
    manifest: pd.DataFrame
    rejects: pd.DataFrame


NAMES = ("articles", "article_topics", "topic_terms", "region_evidence", "tokens", "manifest",
         "rejects")


def default_engine(source: Path, *, workers: int = 1) -> Tables:
    corpus = load_corpus(source, progress=False)
    tagged = tag_articles(corpus.articles, cache=False, workers=workers)
    return Tables(
        articles=tagged.articles, article_topics=tagged.article_topics,
        topic_terms=tagged.topic_terms, region_evidence=tagged.region_evidence,
        tokens=token_table(corpus.articles, cache=False, progress=False),
        manifest=corpus.manifest, rejects=corpus.rejects,
    )


def assert_same_tables(got, want: Tables) -> None:
    for name in NAMES:
        pd.testing.assert_frame_equal(
            getattr(got, name).reset_index(drop=True), getattr(want, name).reset_index(drop=True),
            obj=name,
        )


@pytest.fixture(scope="module")
def sample_default() -> Tables:
    tables = default_engine(paths.SAMPLE_DIR)
    assert len(tables.articles) > 1000 and len(tables.tokens) and len(tables.rejects)
    assert tables.articles["is_duplicate"].any()
    return tables


def test_tagging_with_two_worker_processes_equals_one(sample_default, monkeypatch) -> None:
    # Small chunks, so each of the two processes tags more than one.
    monkeypatch.setattr(stage, "CHUNK_ARTICLES", 400)
    articles = sample_default.articles.drop(columns=list(stage.TAG_DEFAULTS))
    two = tag_articles(articles, cache=False, workers=2)
    pd.testing.assert_frame_equal(two.articles, sample_default.articles)
    for name in ("article_topics", "topic_terms", "region_evidence"):
        pd.testing.assert_frame_equal(getattr(two, name), getattr(sample_default, name), obj=name)


@pytest.fixture(scope="module")
def engine():
    pytest.importorskip("dask.distributed",
                        reason="the extra requirements-distributed.txt is not installed")
    from lib import engine as module

    return module


def test_the_engine_on_a_local_cluster_writes_the_default_engines_tables(engine, sample_default,
                                                                        tmp_path) -> None:
    # 400 kB partitions: six of them, one holding only truth.json (not a corpus), which is read
    # again with its neighbour; BigKinds slices overlap across partitions.
    out = engine.run_engine(paths.SAMPLE_DIR, tmp_path / "out", n_workers=2,
                            partition_bytes=400_000)
    assert len(list((out / "articles").glob("part-*.parquet"))) >= 4
    assert_same_tables(engine.read_output(out), sample_default)
    assert paths.is_sample(out)  # made from the synthetic sample alone: reports say so
    # The notebooks read the folder through load_and_tag (CORPUS=out): the same corpus and tags.
    corpus, tagged = load_and_tag(out)
    for name in ("articles", "article_topics", "topic_terms", "region_evidence"):
        pd.testing.assert_frame_equal(getattr(tagged, name).reset_index(drop=True),
                                      getattr(sample_default, name).reset_index(drop=True),
                                      obj=name)
    # Notebooks 03 and 04 read the folder's token table instead of tokenizing again.
    pd.testing.assert_frame_equal(tokens_of(tagged).reset_index(drop=True),
                                  sample_default.tokens.reset_index(drop=True))
    untagged = sample_default.articles.drop(columns=list(stage.TAG_DEFAULTS))
    pd.testing.assert_frame_equal(corpus.articles.reset_index(drop=True),
                                  untagged.reset_index(drop=True))
    pd.testing.assert_frame_equal(corpus.manifest, sample_default.manifest)
    assert corpus.counts()["unique"] == (~sample_default.articles["is_duplicate"]).sum()


def test_the_engine_outside_the_repository(engine, tmp_path) -> None:
    """Files shown under their input folder's name; two files of one name in two folders; a
    record id repeated across files; a Parquet file of articles; a table that is not a corpus
    (refused)."""
    corpus = tmp_path / "synthetic_corpus"
    for folder in ("2023", "2024"):
        (corpus / folder).mkdir(parents=True)
    pages = sorted((paths.SAMPLE_DIR / "pages").glob("synthetic_00[0-2]*.txt"))
    for page in pages[:8]:
        shutil.copy(page, corpus / "2023" / page.name)
    for page in pages[5:10]:  # three pages in both folders, under the same names
        shutil.copy(page, corpus / "2024" / page.name)
    row = bigkinds_row(제목="[합성] 대전시 스마트시티 실증 사업 확대", 본문="[합성] 대전시가 스마트시티 실증 사업을 넓힌다.")
    write_bigkinds_csv(corpus / "2023" / "synthetic_slice.csv", [row])
    no_id = bigkinds_row(**{"뉴스 식별자": ""})
    write_bigkinds_csv(corpus / "2024" / "synthetic_slice.csv", [row, no_id])
    (corpus / "2024" / "synthetic_other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    # A zip of saved pages: the worker that reads it unpacks it, as load_corpus does.
    with zipfile.ZipFile(corpus / "2024" / "pages_synthetic.zip", "w", zipfile.ZIP_DEFLATED) as packed:
        for page in pages[10:14]:
            packed.write(page, f"saved/{page.name}")
    # A Parquet dataset of articles (the loader's own table) beside the files it was read from.
    sample = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).articles
    sample.head(30).to_parquet(corpus / "2024" / "synthetic_articles.parquet", index=False)
    want = default_engine(corpus)
    assert want.manifest["source_file"].str.startswith("synthetic_corpus/2024/").any()
    assert (want.manifest["format"] == "refused").sum() == 1
    assert want.manifest["source_file"].str.startswith("synthetic_corpus/2024/pages_synthetic.zip/saved/").sum() == 4
    out = engine.run_engine(corpus, tmp_path / "out", n_workers=2, partition_bytes=30_000)
    assert_same_tables(engine.read_output(out), want)
    assert not paths.is_sample(out)  # not the bundled sample (its copies are named synthetic)
