"""A corpus delivered packed (zip, tar.gz, .csv.gz, .jsonl.bz2, .xz) loads as the same files
unpacked would; the unpacked copies are removed after the load. Hostile archives are cases of
the bad-input collection (tests/fixtures/bad_inputs, group ``archives``)."""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import tarfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from lib import paths
from lib.corpus import load_corpus
from lib.corpus.loader import plan_load
from lib.engine import walk_inputs

CONTENT = ["outlet", "published", "title", "body", "keywords", "url"]


def _content(articles: pd.DataFrame) -> pd.DataFrame:
    frame = articles[CONTENT].astype(str)
    return frame.sort_values(CONTENT).reset_index(drop=True)


@pytest.fixture(scope="module")
def sample_files() -> list[Path]:
    files = sorted(p for p in paths.SAMPLE_DIR.rglob("*") if p.is_file() and p.suffix in {".txt", ".xlsx", ".csv"})
    assert len(files) > 100
    return files


@pytest.fixture(scope="module")
def unpacked_sample(sample_files: list[Path]) -> pd.DataFrame:
    return load_corpus(paths.SAMPLE_DIR, progress=False, workers=1).articles


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(paths, "CACHE_DIR", tmp_path / "cache")
    return tmp_path / "cache"


def test_a_zip_of_the_sample_loads_as_the_folder(tmp_path: Path, sample_files: list[Path],
                                                 unpacked_sample: pd.DataFrame, own_cache: Path) -> None:
    archive = tmp_path / "in" / "sample_synthetic.zip"
    archive.parent.mkdir()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in sample_files:
            out.write(path, path.relative_to(paths.SAMPLE_DIR).as_posix())
    corpus = load_corpus(archive.parent, progress=False, workers=1)
    pd.testing.assert_frame_equal(_content(corpus.articles), _content(unpacked_sample))
    shown = set(corpus.manifest["source_file"])
    assert "in/sample_synthetic.zip/pages/synthetic_0001_cctoday.txt" in shown
    assert (corpus.manifest["rows_read"] == corpus.manifest["rows_loaded"] + corpus.manifest["rows_rejected"]).all()
    assert len(corpus.manifest) == len(sample_files)
    # The unpacked copies went with the load.
    left = [p for p in (own_cache / "unpacked").rglob("*") if p.is_file()]
    assert left == []


def test_compressed_tables_and_tarballs_load_as_their_files(tmp_path: Path, sample_files: list[Path]) -> None:
    csv = next(p for p in sample_files if p.name.endswith("_utf8bom.csv"))
    pages = [p for p in sample_files if p.suffix == ".txt"][:5]
    plain = tmp_path / "plain"
    plain.mkdir()
    shutil.copy(csv, plain / csv.name)
    for page in pages:
        shutil.copy(page, plain / page.name)
    expected = _content(load_corpus(plain, progress=False).articles)

    for opener, ending in ((gzip.open, ".gz"), (bz2.open, ".bz2"), (lzma.open, ".xz")):
        packed = tmp_path / ending.strip(".")
        packed.mkdir()
        with opener(packed / f"{csv.name}{ending}", "wb") as out:
            out.write(csv.read_bytes())
        with tarfile.open(packed / f"pages_synthetic.tar{ending}", f"w:{ending.strip('.')}") as tar:
            for page in pages:
                tar.add(page, arcname=f"saved/{page.name}")
        corpus = load_corpus(packed, progress=False)
        pd.testing.assert_frame_equal(_content(corpus.articles), expected, obj=ending)
        assert f"{ending.strip('.')}/{csv.name}{ending}/{csv.name}" in set(corpus.manifest["source_file"])
        assert f"{ending.strip('.')}/pages_synthetic.tar{ending}/saved/{pages[0].name}" in set(
            corpus.manifest["source_file"])


def test_an_archive_given_on_its_own_and_through_the_cache(tmp_path: Path, sample_files: list[Path],
                                                           own_cache: Path) -> None:
    archive = tmp_path / "one_synthetic.csv.gz"
    csv = next(p for p in sample_files if p.name.endswith("_utf8bom.csv"))
    archive.write_bytes(gzip.compress(csv.read_bytes()))
    first = load_corpus(archive, progress=False, cache=True)
    assert set(first.manifest["source_file"]) == {"one_synthetic.csv.gz/one_synthetic.csv"}
    second = load_corpus(archive, progress=False, cache=True)
    pd.testing.assert_frame_equal(first.articles, second.articles)
    assert plan_load(archive, cache=True).cached() is not None
    # A change to the packed file's content makes a new cache entry.
    archive.write_bytes(gzip.compress(csv.read_bytes() + b"\n"))
    plan = plan_load(archive, cache=True)
    assert plan.cached() is None
    # The plan holds the unpacked file while it lives, and takes it away with it.
    (unpacked, _, _), = plan.files
    assert unpacked.is_file()
    del plan
    assert not unpacked.exists()


def test_the_engine_hands_archives_to_its_workers(tmp_path: Path) -> None:
    """An archive is one entry of the engine's walk, read (and unpacked) by one worker
    (tests/integration/test_engine.py reads one); a workbook named .zip is a file to read too."""
    (tmp_path / "pages_synthetic.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (tmp_path / "notes_synthetic.7z").write_bytes(b"synthetic")
    entries = {e.path.name: e.skip for e in walk_inputs(tmp_path)}
    assert entries["pages_synthetic.zip"] == ""
    assert "unpack it first" in entries["notes_synthetic.7z"]


def test_other_archives_and_documents_say_what_to_do(tmp_path: Path, sample_files: list[Path]) -> None:
    """Files users often have beside a corpus are skipped with a reason that says what to do."""
    page = next(p for p in sample_files if p.suffix == ".txt")
    shutil.copy(page, tmp_path / page.name)
    for name in ("pages_synthetic.7z", "pages_synthetic.alz", "article_synthetic.pdf", "memo_synthetic.hwp"):
        (tmp_path / name).write_bytes(b"\x00synthetic")
    corpus = load_corpus(tmp_path, progress=False)
    notes = dict(zip(corpus.manifest["source_file"].str.rsplit("/", n=1).str[-1], corpus.manifest["note"],
                     strict=True))
    assert notes["pages_synthetic.7z"] == ("unknown extension '.7z' (a 7-Zip archive: unpack it first; "
                                           "zip, tar, gz, bz2 and xz archives are read)")
    assert "ALZip" in notes["pages_synthetic.alz"]
    assert "save the article as a web page" in notes["article_synthetic.pdf"]
    assert "Hangul" in notes["memo_synthetic.hwp"]
    assert len(corpus.articles) == 1
    engine_notes = {e.path.name: e.skip for e in walk_inputs(tmp_path)}
    assert engine_notes["pages_synthetic.7z"] == notes["pages_synthetic.7z"]


def _zip_of(files: list[Path], archive: Path) -> Path:
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for path in files:
            out.write(path, path.relative_to(paths.SAMPLE_DIR).as_posix())
    return archive


def _same_corpus(a, b) -> None:
    for name in ("articles", "rejects", "manifest"):
        pd.testing.assert_frame_equal(getattr(a, name).reset_index(drop=True), getattr(b, name).reset_index(drop=True))
    assert a.sources == b.sources


def test_a_cached_rerun_does_not_unpack_the_archive(tmp_path: Path, sample_files: list[Path], own_cache: Path) -> None:
    archive = _zip_of(sample_files[:40], tmp_path / "in" / "pages_synthetic.zip")
    first = plan_load(archive.parent, cache=True, progress=False, workers=1)
    assert first.unpacker.members == 40  # nothing stored yet: unpacked to read
    fresh = first.cached() or first.run()
    assert any(s.startswith("in/pages_synthetic.zip/") for s in fresh.sources)
    again = plan_load(archive.parent, cache=True, progress=False, workers=1)
    assert again.key == first.key
    assert again.unpacker.members == 0
    _same_corpus(again.cached(), fresh)
    # Another archive's bytes make another key.
    _zip_of(sample_files[:39], archive)
    assert plan_load(archive.parent, cache=True, progress=False, workers=1).key != first.key


def test_a_damaged_cache_entry_of_an_archive_is_read_again(tmp_path: Path, sample_files: list[Path],
                                                           own_cache: Path) -> None:
    archive = _zip_of(sample_files[:30], tmp_path / "in" / "pages_synthetic.zip")
    fresh = load_corpus(archive.parent, cache=True, progress=False, workers=1)
    plan = plan_load(archive.parent, cache=True, progress=False, workers=1)
    assert plan.unpacker.members == 0
    # The entry breaks between planning and reading: the plan unpacks and reads after all.
    (own_cache / "corpus" / plan.key / "articles.parquet").write_bytes(b"not parquet")
    with pytest.warns(UserWarning, match="damaged"):
        assert plan.cached() is None
    _same_corpus(plan.run(), fresh)
    assert plan.unpacker.members == 30
    _same_corpus(load_corpus(archive.parent, cache=True, progress=False, workers=1), fresh)
    # Planned with the progress bar left to the loader, a packed archive is one file (no bar);
    # unpacked after all, its 30 members are more than 20: the bar is shown.
    plan = plan_load(archive.parent, cache=True, workers=1)
    assert plan.show is False
    (own_cache / "corpus" / plan.key / "articles.parquet").write_bytes(b"not parquet")
    with pytest.warns(UserWarning, match="damaged"):
        assert plan.cached() is None
    _same_corpus(plan.run(), fresh)
    assert plan.show is True


def test_a_read_under_a_limit_unpacks_only_the_members_it_reaches(tmp_path: Path, sample_files: list[Path],
                                                                  own_cache: Path) -> None:
    pages = [p for p in sample_files if p.suffix == ".txt"][:12]
    _zip_of(pages[:4], tmp_path / "in" / "a_synthetic.zip")
    _zip_of(pages[4:], tmp_path / "in" / "b_synthetic.zip")
    # The second archive inside a third: unpacked in turn, as far as the read goes.
    nested = _zip_of([], tmp_path / "in" / "c_synthetic.zip")
    with zipfile.ZipFile(nested, "a") as out:
        out.write(tmp_path / "in" / "b_synthetic.zip", "b_synthetic.zip")
    (tmp_path / "in" / "b_synthetic.zip").unlink()
    full = load_corpus(tmp_path / "in", progress=False, workers=1, dedup=False)
    assert len(full.articles) == 12
    for limit, unpacked in ((3, 3), (6, 4 + 1 + 2)):
        plan = plan_load(tmp_path / "in", limit=limit, progress=False, dedup=False)
        assert plan.unpacker.members == 0  # listed packed
        corpus = plan.run()
        assert plan.unpacker.members == unpacked
        assert list(corpus.articles["title"]) == list(full.articles["title"][:limit])
        assert list(corpus.manifest["source_file"]) == list(full.manifest["source_file"][:limit])
        assert corpus.sources == tuple(full.manifest["source_file"][:limit])
    # Through the cache: the first read unpacks what it reaches, a rerun nothing.
    first = plan_load(tmp_path / "in", limit=5, cache=True, progress=False)
    stored = first.cached() or first.run()
    assert first.unpacker.members == 4 + 1 + 1
    again = plan_load(tmp_path / "in", limit=5, cache=True, progress=False)
    _same_corpus(again.cached(), stored)
    assert again.unpacker.members == 0
