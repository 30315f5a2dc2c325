"""The C-parser path for delimited text (``lib.corpus.fastcsv``) gives what the careful reader
(``streams.iter_delimited``) gives: the same rows with the same labels on tricky but valid CSVs,
the same records once cleaned, and the careful reader's reject for a hostile line.

All rows are synthetic (``tests.conftest.bigkinds_row`` with invented text)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.corpus import bigkinds, columnar, fastcsv, load_corpus, streams, textio
from lib.corpus.bigkinds import HEADERS, write_bigkinds_csv
from lib.corpus.columns import clean_markup
from lib.corpus.schema import normalize_text
from tests.conftest import bigkinds_row

#: Small blocks, so that a few hundred rows make many blocks.
BLOCK = 4096


def tricky_rows(n: int = 120) -> list[dict[str, str]]:
    """Valid rows with quoted line ends (LF and CR LF), quotes, commas, empty and long cells."""
    rows = []
    for i in range(n):
        body = f"합성 본문 {i}번, 세종시 스마트시티 사업을 다룬 가상의 기사다."
        if i % 3 == 0:
            body += '\n둘째 문단에 "인용"과 쉼표, 그리고\r\n셋째 문단.'
        if i % 10 == 7:
            body = body * 400  # a long cell: many blocks' worth of bytes in one field
        title = f'"따옴표" 합성 제목, {i}' if i % 4 == 0 else f"합성 제목 {i}"
        rows.append(
            bigkinds_row(
                **{
                    "뉴스 식별자": f"01100401.20210315{i % 24:02d}3012{i:03d}",
                    "제목": title,
                    "본문": body,
                    "기고자": "" if i % 5 == 0 else "홍길동 기자  hong@example.kr",
                    "인물": "" if i % 2 else "홍길동",
                    "분석제외 여부": "중복" if i % 37 == 5 else "",
                }
            )
        )
    return rows


def careful_items(path: Path, encoding: str) -> list[tuple[str, object]]:
    notes = streams.StreamNotes()
    with textio.open_text(path, encoding) as stream:
        return list(streams.iter_delimited(stream, sep=",", header_index=0, header=list(HEADERS), notes=notes))


def fast_items(path: Path, encoding: str) -> tuple[list[tuple[str, object]], int]:
    """The fast reader's items with blocks spread into rows, and how many blocks it gave."""
    notes = streams.StreamNotes()
    items: list[tuple[str, object]] = []
    blocks = 0
    textio.reset_replaced_bytes()
    for label, item in fastcsv.iter_delimited_blocks(
        path, encoding=encoding, sep=",", header=list(HEADERS), notes=notes, block_bytes=BLOCK
    ):
        if isinstance(item, columnar.ColumnBlock):
            blocks += 1
            assert label == item.label(0)
            cells = {name: item.column(name) for name in item.columns}
            for i in range(len(item)):
                items.append((item.label(i), {name: values[i] for name, values in cells.items()}))
        else:
            items.append((label, item))
    return items, blocks


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_fast_reader_gives_the_careful_readers_rows(tmp_path: Path, encoding: str) -> None:
    path = write_bigkinds_csv(tmp_path / "synthetic.csv", tricky_rows(), encoding=encoding)
    careful = careful_items(path, encoding)
    fast, blocks = fast_items(path, encoding)
    assert fast == careful
    assert blocks > 5  # every block of this valid file went through the C parser
    assert all(isinstance(item, dict) for _, item in careful)
    assert any("(line" in label for label, _ in careful)  # quoted line ends move the lines


def test_cleaned_blocks_equal_cleaned_rows(tmp_path: Path) -> None:
    """A block with Arrow columns gives the frame, reasons and repairs that its rows give."""
    rows = tricky_rows()
    rows[3]["본문"] = " 앞에 공백이 있는 합성 본문"  # such a column stays a list of strings
    rows[8]["키워드"] = "Ã©ì\u0085 합성"  # mojibake-like: repaired, and counted
    path = write_bigkinds_csv(tmp_path / "synthetic.csv", rows)
    notes = streams.StreamNotes()
    found = [
        item
        for _, item in fastcsv.iter_delimited_blocks(path, encoding="utf-8-sig", sep=",", header=list(HEADERS), notes=notes)
    ]
    assert len(found) == 1 and isinstance(found[0], columnar.ColumnBlock)
    block = found[0]
    assert not isinstance(block.columns["특성추출(가중치순 상위 50개)"], list)  # kept as Arrow
    assert isinstance(block.columns["본문"], list)
    by_block = bigkinds.records_from_chunk(block)
    by_rows = bigkinds.records_from_chunk([item for _, item in careful_items(path, "utf-8-sig")])
    assert by_block.reasons == by_rows.reasons
    assert by_block.tallies == by_rows.tallies
    pd.testing.assert_frame_equal(by_block.frame, by_rows.frame, check_exact=True)


def test_hostile_line_gets_the_careful_readers_reject(tmp_path: Path) -> None:
    """A quote left open far into a file: the blocks before it are parsed by Arrow, the rest by
    the careful reader, with the reject naming the line that opened the quote."""
    path = write_bigkinds_csv(tmp_path / "synthetic.csv", tricky_rows(), encoding="utf-8")
    clean = dict((item["제목"], label) for label, item in careful_items(path, "utf-8"))
    opened = clean["합성 제목 101"]  # "row 103 (line N)": the row whose title opens a quote
    line = opened.split("line ")[-1].rstrip(")")
    path.write_bytes(path.read_bytes().replace(",합성 제목 101,".encode(), ',"합성 제목 101,'.encode()))
    careful = careful_items(path, "utf-8")
    fast, blocks = fast_items(path, "utf-8")
    assert fast == careful
    assert blocks > 5
    label, reason = next((label, item) for label, item in fast if isinstance(item, str))
    assert label == opened and f"line {line}" in reason
    rejects = load_corpus(path, progress=False).rejects
    assert rejects.loc[rejects["record"] == label, "reason"].tolist() == [reason]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949"])
def test_load_corpus_gives_the_same_tables_as_the_careful_reader(tmp_path: Path, encoding: str) -> None:
    """A file big enough for the fast path, loaded as a whole, gives the tables that the careful
    reader gives (``limit=`` reads rows one at a time, as with any budget)."""
    rows = tricky_rows(400)
    for i, row in enumerate(rows):
        if i % 10 != 7:  # those are long already
            row["본문"] = row["본문"] * 120  # 5-8 MB in all
        if i % 50 == 3:
            row["일자"] = "20190230"  # an impossible date: rejected
    path = write_bigkinds_csv(tmp_path / "synthetic.csv", rows, encoding=encoding)
    assert path.stat().st_size >= fastcsv.MIN_BYTES
    whole = load_corpus(path, progress=False)
    careful = load_corpus(path, progress=False, limit=10**9)
    assert len(whole.rejects) > 8
    for name in ("articles", "rejects", "manifest"):
        pd.testing.assert_frame_equal(getattr(whole, name), getattr(careful, name), check_exact=True)


@pytest.mark.parametrize(
    "flaw",
    [
        b'abc"def',  # a quote inside an unquoted field
        b'"abc"def',  # text after a closing quote
        b"a\rb",  # a lone carriage return
        b"a\x00b",  # a NUL byte
        b"a,,,,,,,,,,,,,,,,,,,,,,,b",  # too many fields
        b'"a\n' + b"," * 20 + b'b"',  # a quoted line with a row's delimiters: a quote left open?
    ],
)
def test_flaws_go_to_the_careful_reader(tmp_path: Path, flaw: bytes) -> None:
    path = write_bigkinds_csv(tmp_path / "synthetic.csv", tricky_rows(60), encoding="utf-8")
    data = path.read_bytes()
    cell = ",합성 제목 31,".encode()
    assert data.count(cell) == 1
    path.write_bytes(data.replace(cell, b"," + flaw + b","))
    assert fast_items(path, "utf-8")[0] == careful_items(path, "utf-8")


def test_field_over_the_csv_limit_is_the_careful_readers_reject(tmp_path: Path) -> None:
    rows = tricky_rows(20)
    rows[10]["본문"] = "합성" * (csv.field_size_limit() // 2 + 10)
    path = write_bigkinds_csv(tmp_path / "synthetic.csv", rows, encoding="utf-8")
    fast, _ = fast_items(path, "utf-8")
    assert fast == careful_items(path, "utf-8")
    longer = f"is longer than {csv.field_size_limit():,} characters"
    assert any(isinstance(item, str) and longer in item for _, item in fast)


def test_blank_row_is_skipped_as_the_careful_reader_does(tmp_path: Path) -> None:
    path = write_bigkinds_csv(tmp_path / "synthetic.csv", tricky_rows(40), encoding="utf-8")
    lines = path.read_bytes().split(b"\r\n")
    lines.insert(20, b"," * (len(HEADERS) - 1))
    path.write_bytes(b"\r\n".join(lines))
    assert fast_items(path, "utf-8")[0] == careful_items(path, "utf-8")


_PLAIN = list("세종대전 시티ab1.,:\n\t「」·…“”㎡漢ㄱ") + ["nan", "None"]
_ODD = list("\r\u00a0\u3000\u200b\ufeff\u0301\u1161ÃéÂ\x07\x85\u3164<&İ") + ["\U0001f600"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PLAIN * 8 + _ODD), max_size=10).map("".join), min_size=1, max_size=8))
def test_unchanged_by_cleaning_holds_only_for_unchanged_cells(values: list[str]) -> None:
    import pyarrow as pa

    markers = frozenset({"", "nan", "None"})
    if columnar.unchanged_by_cleaning(pa.array(values, type=pa.string()), markers):
        for value in values:
            assert normalize_text(value).strip() == value
            assert clean_markup(value) == value
            assert textio.repair_text(value) == (value, ())
            assert value == "" or value not in markers
