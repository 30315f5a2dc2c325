"""The corpus cache gives back exactly what a fresh load gives, and only for the same inputs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus import load_corpus
from lib.corpus import cache as corpus_cache
from tests.conftest import bigkinds_row, write_bigkinds_xlsx


@pytest.fixture
def cache_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    return tmp_path / "cache" / "corpus"


def _assert_same(a, b) -> None:
    for name in ("articles", "rejects", "manifest"):
        pd.testing.assert_frame_equal(
            getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True)
        )
    assert a.sources == b.sources


def test_cached_sample_equals_a_fresh_load(cache_root: Path) -> None:
    fresh = load_corpus(paths.SAMPLE_DIR, progress=False)
    first = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True)
    assert len(list(cache_root.iterdir())) == 1
    again = load_corpus(paths.SAMPLE_DIR, progress=False, cache=True)
    _assert_same(fresh, first)
    _assert_same(fresh, again)
    assert again.fingerprint() == fresh.fingerprint()


def test_an_edited_file_or_other_options_make_a_new_entry(cache_root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    path = write_bigkinds_xlsx(folder / "a.xlsx", [bigkinds_row()])
    before = load_corpus(folder, progress=False, cache=True)
    write_bigkinds_xlsx(path, [bigkinds_row(**{"제목": "세종시 리빙랩 성과 공유"})])
    after = load_corpus(folder, progress=False, cache=True)
    assert before.articles["title"].item() != after.articles["title"].item()
    load_corpus(folder, progress=False, cache=True, dedup=False)
    assert len([p for p in cache_root.iterdir() if not p.name.startswith(".")]) == 3


def test_an_incomplete_entry_is_ignored(cache_root: Path, tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_bigkinds_xlsx(folder / "a.xlsx", [bigkinds_row()])
    load_corpus(folder, progress=False, cache=True)
    (entry,) = list(cache_root.iterdir())
    (entry / "rejects.parquet").unlink()
    assert corpus_cache.read_cached(entry.name) is None
    assert len(load_corpus(folder, progress=False, cache=True).articles) == 1
    assert corpus_cache.read_cached(entry.name) is not None  # the damaged entry was replaced
