"""The corpus cache gives back exactly what a fresh load gives, and only for the same inputs."""

from __future__ import annotations

import os
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


def _entry(root: Path, key: str, size: int, used: float) -> Path:
    """A finished entry of ``size`` bytes last used at ``used`` (seconds since the epoch)."""
    corpus_cache.write_entry(root, key, {"data.bin": lambda path: path.write_bytes(b"x" * size)})
    os.utime(root / key, (used, used))
    return root / key


def test_the_cache_keeps_to_its_budget_and_drops_what_was_used_longest_ago(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "entries"
    monkeypatch.setenv(corpus_cache.BUDGET_ENV, str(2500 / 1024**3))  # 2,500 bytes
    old = _entry(root, "a" * 64, 1000, 1_000_000)
    used = _entry(root, "b" * 64, 1000, 2_000_000)
    corpus_cache.mark_used(old)                       # read again: now the newest
    (root / ".cccccccccccc-tmp").mkdir()              # an entry being written
    (root / ".cccccccccccc-tmp" / "data.bin").write_bytes(b"x" * 5000)
    _entry(root, "d" * 64, 1000, 3_000_000)           # over budget: the least recently used goes
    assert sorted(p.name for p in root.iterdir()) == sorted(
        [".cccccccccccc-tmp", "a" * 64, "d" * 64])
    assert not used.exists()
    big = _entry(root, "e" * 64, 9000, 4_000_000)     # alone over budget: kept, the rest go
    assert big.exists() and not old.exists()


def test_the_budget_must_be_a_positive_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(corpus_cache.BUDGET_ENV, "lots")
    with pytest.raises(ValueError, match="SMARTCITY_CACHE_GB='lots'"):
        corpus_cache.cache_budget()
    monkeypatch.setenv(corpus_cache.BUDGET_ENV, "0")
    with pytest.raises(ValueError, match="positive number"):
        corpus_cache.cache_budget()
    monkeypatch.setenv(corpus_cache.BUDGET_ENV, "0.5")
    assert corpus_cache.cache_budget() == 512 * 1024**2
    monkeypatch.delenv(corpus_cache.BUDGET_ENV)
    assert corpus_cache.cache_budget() == int(corpus_cache.DEFAULT_BUDGET_GB * 1024**3)


def test_a_small_budget_keeps_the_corpus_just_loaded(cache_root: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Loading two corpora under a budget smaller than one entry keeps only the newer; a
    rerun of it still reads it back, and the token store is never pruned."""
    monkeypatch.setenv(corpus_cache.BUDGET_ENV, str(1 / 1024**3))
    store = cache_root.parent / "tokens" / "texts.sqlite"
    store.parent.mkdir(parents=True)
    store.write_bytes(b"x" * 100)
    corpus_cache.prune(store.parent, budget=1)
    assert store.exists()
    for name in ("one", "two"):
        folder = tmp_path / name
        folder.mkdir()
        write_bigkinds_xlsx(folder / f"NewsResult_{name}.xlsx", [bigkinds_row(**{"제목": f"세종시 리빙랩 {name}"})])
        load_corpus(folder, progress=False, cache=True)
    (entry,) = list(cache_root.iterdir())
    again = load_corpus(tmp_path / "two", progress=False, cache=True)
    assert list(cache_root.iterdir()) == [entry] and len(again.articles) == 1
