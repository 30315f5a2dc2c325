"""Column-wise loading gives what the row-at-a-time functions give, value for value: BigKinds
rows and tables of any schema, with hostile values (hypothesis)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.corpus import bigkinds, columnar, tables
from lib.corpus.bigkinds import HEADERS
from lib.corpus.columns import map_columns
from lib.corpus.dedup import text_key, text_key_digests, text_keys
from lib.corpus.errors import RecordError
from lib.corpus.loader import _finish
from lib.corpus.schema import ARTICLE_COLUMNS, normalize_text, to_frame

# Characters that normalisation, repairs and keys treat specially: CR/LF, odd and zero-width
# spaces, combining marks and Hangul jamo (NFC), Latin-1 letters (mojibake), controls, lone
# surrogates, fillers that print nothing, Greek sigma and dotted I (case), the separators the
# column-wise functions join with, letters outside the Basic Multilingual Plane.
_TRICKY = list(
    "세종대전 시티ab1_.,&<>;\r\n\t\u00a0\u3000\u200b\ufeff\u0301\u1100\u1161\u11a8"
    "ÃìÂ\u00ad\x07\x85\u3164\u2800ΣσİK\ue000\ua500"
) + ["\ud800", "\U00030000", "\U0001f600", "&quot;", "&amp;", "<b>", "</b>"]
_text = st.lists(st.sampled_from(_TRICKY), max_size=12).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(_text, max_size=30))
def test_normalize_column_equals_normalize_text(values: list[str]) -> None:
    assert columnar.normalize_column(values) == [normalize_text(v) for v in values]


@settings(max_examples=100, deadline=None)
@given(st.lists(_text, max_size=30))
def test_text_keys_equal_text_key(values: list[str]) -> None:
    assert text_keys(values) == [text_key(v) for v in values]


@settings(max_examples=100, deadline=None)
@given(st.lists(_text, max_size=30))
def test_text_key_digests_follow_text_key(values: list[str]) -> None:
    lengths, digests = text_key_digests(values)
    keys = [text_key(v) for v in values]
    assert lengths == [len(k) for k in keys]
    for a in range(len(values)):
        for b in range(len(values)):
            assert (digests[a] == digests[b]) == (keys[a] == keys[b])


_IDS = ["01100401.20210315103012001", "01100401.20210316103012001", "1.10061E+16", "", "01100401.20210315256012001"]
_DAYS = [
    "20210315", "20190230", "", "00010101", "20991231", "21/03/15", "now", " 2021-03-15 ",
    44270, 44270.4375, 20210315, 20210315.0, dt.datetime(2021, 3, 15, 9, 30), dt.date(2021, 3, 15), None, True,
]
_cell = st.one_of(_text, st.sampled_from(["", " nan ", "None", "홍길동 기자 hong@example.kr", "김철수( ) 특파원", None, 3.0]))


@st.composite
def _bigkinds_rows(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(min_value=1, max_value=12))
    rows = []
    for _ in range(n):
        row: dict[str, object] = {h: draw(_cell) for h in HEADERS}
        row["뉴스 식별자"] = draw(st.sampled_from(_IDS))
        row["일자"] = draw(st.sampled_from(_DAYS))
        row["분석제외 여부"] = draw(st.sampled_from(["", "", "", "중복", " 예외 "]))
        # Rows of several sheets: an older header, a column missing, a column of its own.
        layout = draw(st.sampled_from(["full", "full", "older", "missing", "extra"]))
        if layout == "older":
            row = {("특성추출" if h.startswith("특성추출") else h): v for h, v in row.items()}
        elif layout == "missing":
            del row[draw(st.sampled_from(HEADERS))]
        elif layout == "extra":
            row["비고"] = draw(_cell)
        rows.append(row)
    return rows


@settings(max_examples=60, deadline=None)
@given(_bigkinds_rows())
def test_bigkinds_chunk_equals_the_row_at_a_time_reader(rows: list[dict[str, object]]) -> None:
    chunk = bigkinds.records_from_chunk(rows)
    got = _assert_chunk_equals_rows(chunk, map(bigkinds.record_from_cells, rows), "bigkinds")
    assert list(got.columns) == [c for c in ARTICLE_COLUMNS if c not in {"source_file", "source_format"}]


def _assert_chunk_equals_rows(chunk, row_records, kind: str) -> pd.DataFrame:
    """Assert that a column-wise ``chunk`` gives the row-at-a-time reader's reasons, tallies and
    articles (``row_records``: one record or error per row); returns the chunk's frame without
    the file columns."""
    expected_reasons: list[str | None] = []
    records = []
    tally: Counter[str] = Counter()
    for rec in row_records:
        rec = _finish(rec, kind, tally)
        if isinstance(rec, RecordError):
            expected_reasons.append(str(rec))
        else:
            expected_reasons.append(None)
            records.append(rec)
    assert chunk.reasons == expected_reasons
    assert sum(chunk.tallies.values(), Counter()) == tally
    expected = to_frame(records).drop(columns=["source_file", "source_format"])
    got = chunk.frame.drop(columns=["source_file", "source_format"])
    pd.testing.assert_frame_equal(got, expected)
    return got


_TABLE_VALUES = st.one_of(
    _text,
    st.sampled_from(
        [
            "", "nan", " None ", "['첫 문장.', '둘째 문장.']", "b'\\xec\\x84\\xb8'", "('x',)", "[1, 2]",
            "<b>세종</b> &quot;AI&quot;", "박상익( )", "https://www.yna.co.kr/view/1", "2021-03-15 10:30",
            "Mon, 15 Mar 2021 10:30:00 +0900", "now", "true", "0", None, float("nan"), 3, 44270.5,
            b"\xec\x84\xb8", b"\xff", ["가", ["나", {"sentence": "다"}]], ("라",), dt.datetime(2021, 3, 15),
        ]
    ),
)
_TABLE_HEADERS = [
    ["title", "body", "outlet", "published", "reporter", "lead_only", "keywords", "url"],
    ["pubDate", "title", "description", "link", "originallink"],
    ["media", "id", "article_original"],
]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_TABLE_HEADERS), st.data())
def test_table_chunk_equals_the_row_at_a_time_reader(header: list[str], data: st.DataObject) -> None:
    colmap = map_columns(header)
    lead = any(src in colmap.lead_columns for src in colmap.fields)
    rows = data.draw(st.lists(st.fixed_dictionaries({h: _TABLE_VALUES for h in header}), min_size=1, max_size=10))
    chunk = tables.records_from_chunk(rows, colmap, lead=lead)
    row_records = (tables.record_from_values(colmap.row_values(cells.get), lead=lead) for cells in rows)
    _assert_chunk_equals_rows(chunk, row_records, "table")
