"""Recognising a folder the distributed engine wrote, and refusing one it did not (the tables
themselves are compared with the default engine's in tests/integration/test_engine.py)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lib.tagging import engine_output, load_and_tag


def write_folder(root: Path, *, articles: bool = True, manifest: bool = True) -> Path:
    root.mkdir(parents=True)
    (root / "articles").mkdir()
    if articles:
        pd.DataFrame({"article_id": ["a"]}).to_parquet(root / "articles" / "part-00000.parquet")
    if manifest:
        pd.DataFrame({"source_file": ["x"]}).to_parquet(root / "manifest.parquet")
    pd.DataFrame({"source_file": [], "record": [], "reason": []}).to_parquet(
        root / "rejects.parquet")
    return root


def test_an_engine_folder_is_recognised_by_its_files(tmp_path: Path) -> None:
    assert engine_output.is_engine_output(write_folder(tmp_path / "full"))
    assert not engine_output.is_engine_output(write_folder(tmp_path / "no_parts", articles=False))
    assert not engine_output.is_engine_output(write_folder(tmp_path / "no_manifest",
                                                           manifest=False))
    assert not engine_output.is_engine_output(tmp_path / "missing")


def test_a_half_written_folder_is_refused_saying_what_is_missing(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "synthetic_half", manifest=False)
    assert engine_output.looks_like_engine_output(folder)
    # load_and_tag (what the notebooks call) says so, instead of reading its Parquet files as
    # tables of news
    with pytest.raises(FileNotFoundError,
                       match=r"synthetic_half: not a whole engine output folder \(missing "
                             r"manifest\.parquet; an interrupted run"):
        load_and_tag(folder, cache=False, progress=False)
    assert not engine_output.looks_like_engine_output(tmp_path / "missing")


def test_a_missing_table_names_its_folder(tmp_path: Path) -> None:
    folder = write_folder(tmp_path / "synthetic_out")
    with pytest.raises(FileNotFoundError, match="synthetic_out/topic_terms: no part files"):
        engine_output.read_table(folder, "topic_terms")
