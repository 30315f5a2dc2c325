"""Frames written by a reading process and mapped by the one that assembles the corpus
(``lib.corpus.spill``): the same frame back, string columns pointing into the map, slices and
column choices for a tagging worker, and frames that cannot make the trip kept in memory."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from lib.corpus.loader import _FileResult
from lib.corpus.schema import to_frame
from lib.corpus.spill import mapped_frame, spill_frame


@pytest.fixture
def frame() -> pd.DataFrame:
    rows = [
        {"article_id": f"0110{i:04d}", "title": f"세종시 스마트 정류장 {i}", "body": "본문 " * (2_000 * (i + 1)),
         "outlet": "합성일보", "published": "2021-03-15", "url": f"https://example.kr/{i}"}
        for i in range(7)
    ]
    return to_frame(rows)


def test_a_frame_comes_back_the_same_with_its_text_in_the_map(frame, tmp_path) -> None:
    path = spill_frame(frame, tmp_path)
    assert path is not None and path.startswith(str(tmp_path))
    back = mapped_frame(path)
    pd.testing.assert_frame_equal(back, frame)
    before = pa.total_allocated_bytes()
    again = mapped_frame(path)
    # The text is not copied into Arrow's memory pool: it stays in the file's pages.
    text_bytes = frame["body"].str.len().sum() * 3  # UTF-8 Hangul
    assert pa.total_allocated_bytes() - before < text_bytes / 10
    pd.testing.assert_frame_equal(again, frame)


def test_a_worker_reads_its_rows_and_columns(frame, tmp_path) -> None:
    path = spill_frame(frame, tmp_path)
    part = mapped_frame(path, ["article_id", "body"], 2, 5)
    pd.testing.assert_frame_equal(part, frame[["article_id", "body"]].iloc[2:5].reset_index(drop=True))
    assert len(mapped_frame(path, None, 6)) == 1


def test_a_frame_that_cannot_make_the_trip_is_not_written(tmp_path) -> None:
    mixed = pd.DataFrame({"article_id": ["a", "b"], "value": [1, "x"]})  # Arrow refuses mixed
    assert spill_frame(mixed, tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_a_file_result_writes_each_frame_as_it_is_made(frame, tmp_path) -> None:
    held = _FileResult("a.xlsx", "bigkinds", "", "0" * 64)
    held.add_frame(frame.iloc[:4].reset_index(drop=True))
    held.add_frame(frame.iloc[4:].reset_index(drop=True))
    want = held.loaded_articles()

    result = _FileResult("a.xlsx", "bigkinds", "", "0" * 64, spill_to=tmp_path)
    result.add_frame(frame.iloc[:4].reset_index(drop=True))
    assert result.frames == [] and len(list(tmp_path.iterdir())) == 1  # written at once
    result.add_frame(frame.iloc[4:].reset_index(drop=True))
    assert [n for _, n in result.spilled] == [4, 3] and result.rows_loaded == 7
    files = result.unspill()
    assert [n for _, n in files] == [4, 3] and result.spilled == []
    # A reading process adds the bodies' keys for the duplicates check; the rest is the same.
    from lib.corpus.dedup import BODY_KEY_COLUMNS, without_body_keys

    got = result.loaded_articles()
    assert set(BODY_KEY_COLUMNS) <= set(got.columns)
    pd.testing.assert_frame_equal(without_body_keys(got), want)


def test_frames_after_one_that_cannot_make_the_trip_stay_in_memory(frame, tmp_path) -> None:
    result = _FileResult("b.xlsx", "bigkinds", "", "0" * 64, spill_to=tmp_path)
    result.add_frame(frame.copy())
    mixed = pd.DataFrame({"article_id": ["x", "y"], "value": [1, "x"]})
    result.add_frame(mixed)
    result.add_frame(frame.copy())
    assert len(result.spilled) == 1 and len(result.frames) == 2  # order kept: spilled first
    assert result.unspill() == []  # not every frame is in a file: the frames are handed over
    assert [len(f) for f in result.frames] == [7, 2, 7]
    pd.testing.assert_frame_equal(result.frames[0], result.frames[2])
    assert result.frames[1]["value"].tolist() == [1, "x"]


def test_a_tagging_worker_tags_the_mapped_rows_as_the_rows_themselves(frame, tmp_path) -> None:
    from lib.tagging import stage

    path = spill_frame(frame, tmp_path)
    columns = [c for c in stage._READ_COLUMNS if c in frame.columns]
    second = frame.iloc[::-1].reset_index(drop=True).assign(article_id=lambda f: "b" + f["article_id"])
    other = spill_frame(second, tmp_path)
    # Rows 2-5 of the first file and the first three of the second.
    got = stage._tag_mapped([(path, 2, 6), (other, 0, 3)], columns)
    rows = pd.concat([frame.iloc[2:6], second.iloc[:3]], ignore_index=True)
    want = stage._tag_unique(rows[columns])
    assert list(got["tags"]["article_id"]) == list(rows["article_id"])
    for name in ("tags", "article_topics", "topic_terms", "region_evidence"):
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def test_a_files_frames_are_cut_into_chunks_across_frames() -> None:
    from lib.tagging import stage

    chunks = stage._mapped_chunks([("a", 5), ("b", 3), ("c", 4)], 4)
    assert chunks == [([("a", 0, 4)], 4), ([("a", 4, 5), ("b", 0, 3)], 4), ([("c", 0, 4)], 4)]
    assert stage._mapped_chunks([("a", 5)], 2) == [([("a", 0, 2)], 2), ([("a", 2, 4)], 2), ([("a", 4, 5)], 1)]
    assert stage._mapped_chunks([], 3) == []
