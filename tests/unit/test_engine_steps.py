"""The distributed engine's steps that need no cluster: reading order, partitions, global ids.

The engine itself, on a local Dask cluster, is tested in tests/integration/test_engine.py.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus import load_corpus
from lib.engine import global_article_ids, partition_entries, run_engine, walk_inputs
from tests.conftest import write_canonical_csv


def test_files_are_walked_in_the_loaders_order_and_names() -> None:
    manifest = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True).manifest
    entries = list(walk_inputs(paths.SAMPLE_DIR))
    assert [e.shown for e in entries] == manifest["source_file"].tolist()
    skipped = {e.shown: e.skip for e in entries if e.skip}
    by_extension = manifest[manifest["note"].str.startswith("unknown extension")]
    assert skipped == dict(zip(by_extension["source_file"], by_extension["note"], strict=True))


def test_partitions_follow_reading_order_size_and_names(tmp_path: Path) -> None:
    for folder, name, size in (("a", "x.txt", 300), ("a", "y.txt", 300), ("b", "x.txt", 300),
                               ("b", "z.txt", 900), ("b", "notes.md", 10)):
        (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / folder / name).write_text("합" * (size // 3), encoding="utf-8")
    groups = partition_entries(list(walk_inputs(tmp_path)), partition_bytes=1000)
    shown = [[e.shown.split("/", 1)[1] for e in g] for g in groups]
    # b/x.txt cannot join a/x.txt's partition; b/z.txt does not fit beside it; notes.md is skipped.
    assert shown == [["a/x.txt", "a/y.txt"], ["b/x.txt"], ["b/z.txt"]]


def test_generated_ids_are_made_again_over_the_whole_corpus(tmp_path: Path) -> None:
    """Two files hold records without ids under one outlet, title and time: read in one pass,
    the second body gets a body-qualified id; read file by file, each file alone cannot know."""
    common = {"article_id": "", "outlet": "합성일보", "published": "2024-03-05 09:00",
              "title": "[합성] 같은 제목의 다른 기사", "lead_only": "False"}
    write_canonical_csv(tmp_path / "synthetic_1.csv", [
        {**common, "body": "[합성] 첫 번째 본문입니다. 세종시 스마트시티 사업을 다룬다."},
    ])
    write_canonical_csv(tmp_path / "synthetic_2.csv", [
        {**common, "body": "[합성] 두 번째 본문입니다. 대전시 자율주행 사업을 다룬다."},
        {**common, "body": "[합성] 첫 번째 본문입니다. 세종시 스마트시티 사업을 다룬다."},
        {**common, "title": "[합성] 다른 제목", "body": "[합성] 세 번째 본문."},
    ])
    whole = load_corpus(tmp_path, dedup=False, progress=False).articles
    parts = [load_corpus(f, dedup=False, progress=False).articles
             for f in sorted(tmp_path.glob("*.csv"))]
    joined = pd.concat(parts, ignore_index=True)
    assert joined["article_id"].tolist() != whole["article_id"].tolist()
    assert global_article_ids(joined) == whole["article_id"].tolist()
    assert whole["article_id"].nunique() == 3  # the repeated first body keeps the first id


def test_an_output_folder_that_holds_other_files_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed",
                        reason="the extra requirements-distributed.txt is not installed")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "synthetic_page.txt").write_text("[합성] 제목\n본문", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not an output folder"):
        run_engine(corpus, tmp_path, n_workers=1)  # the folder holding the corpus itself
    assert (corpus / "synthetic_page.txt").exists()
