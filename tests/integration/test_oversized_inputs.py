"""Hostile files a user brought (a page of one 10-million-character line, a 10 MB CSV cell, a
text file named .xlsx, a Shift-JIS page): each is refused with a reason that says what it is,
and an over-long text never reaches the duplicate check or the taggers.

Inputs are synthetic and made in the test, at the size that crosses each limit (no large file
is committed).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from lib.corpus import CorpusError, load_corpus
from lib.corpus import loader as corpus_loader
from lib.corpus.bigkinds import write_bigkinds_csv
from lib.corpus.fastcsv import MIN_BYTES
from lib.corpus.schema import MAX_ARTICLE_CHARS
from tests.conftest import bigkinds_row

WORDS = "스마트시티 자율주행 시범 구간 합성 문장 "  # 20 characters
LIMIT_TEXT = f"{MAX_ARTICLE_CHARS:,}"


def long_text(n_chars: int) -> str:
    """Synthetic Korean text of exactly ``n_chars`` characters (no space at either end)."""
    return (WORDS * (n_chars // len(WORDS) + 1))[: n_chars - 1] + "다"


def page(title: str, body: str) -> str:
    """A saved news page (text dump): headline, stamp, body, copyright line."""
    return f"{title}\n\n입력 2022.03.04 10:00\n\n{body}\n\n저작권자 © 합성일보 무단전재 및 재배포 금지\n"


def assert_too_long(corpus, record: str) -> None:
    """The one reject is ``record``, for its length, naming its characters and the limit."""
    rejects = list(zip(corpus.rejects["record"], corpus.rejects["reason"]))
    assert len(rejects) == 1, rejects
    label, reason = rejects[0]
    assert re.fullmatch(record, label), rejects
    assert reason.startswith("text too long for one news article: "), reason
    n = int(re.search(r"article: ([\d,]+) characters", reason).group(1).replace(",", ""))
    assert n > MAX_ARTICLE_CHARS and f"limit of {LIMIT_TEXT}" in reason, reason
    m = corpus.manifest
    assert (m["rows_read"] == m["rows_loaded"] + m["rows_rejected"]).all()
    assert (corpus.articles["body"].str.len() <= MAX_ARTICLE_CHARS).all()


def test_a_page_longer_than_any_article_is_a_reject(tmp_path: Path) -> None:
    # The user's page: one line of 10.5 million characters, tagged as an ordinary article
    # after 205 s of tokenization; here just over the limit.
    path = tmp_path / "huge_line_page_synthetic.txt"
    path.write_text(page("합성 거대한 한 줄 기사", long_text(MAX_ARTICLE_CHARS + 1)), encoding="utf-8")
    good = tmp_path / "good_page_synthetic.txt"
    good.write_text(page("합성 보통 기사 제목입니다", "합성 본문이다. " * 20), encoding="utf-8")
    corpus = load_corpus(tmp_path, progress=False)
    assert_too_long(corpus, "page")
    assert corpus.rejects["source_file"].item().endswith("huge_line_page_synthetic.txt")
    assert list(corpus.articles["title"]) == ["합성 보통 기사 제목입니다"]


def test_the_limit_counts_title_subtitle_body_and_captions_together(tmp_path: Path) -> None:
    title = "합성 제목 열 글자다"
    # No field over the limit alone: the four together are (JSON lines take their columns from
    # the first line, so this one comes first).
    split = {"title": "합성 나눠진 기사", "subtitle": long_text(40_000), "body": long_text(40_000),
             "captions": long_text(30_000)}
    at_limit = {"title": title, "body": long_text(MAX_ARTICLE_CHARS - len(title))}
    over = {"title": title + "!", "body": at_limit["body"]}
    path = tmp_path / "articles_synthetic.jsonl"
    lines = [json.dumps(o, ensure_ascii=False) for o in (split, at_limit, over)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    corpus = load_corpus(path, progress=False)
    assert list(corpus.articles["title"]) == [title]  # exactly at the limit: loaded
    assert list(corpus.rejects["record"]) == ["line 1", "line 3"]
    assert all(r.startswith("text too long") for r in corpus.rejects["reason"])
    assert "110,009 characters" in corpus.rejects["reason"].iloc[0]
    assert "100,001 characters" in corpus.rejects["reason"].iloc[1]


def _tidy_csv(folder: Path) -> Path:
    # 110,000 characters fit in a CSV cell (131,072): the article limit refuses the row.
    rows = [{"title": f"합성 표 기사 {i}", "body": "합성 본문이다. " * 5} for i in range(3)]
    rows[1]["body"] = long_text(110_000)
    path = folder / "table_synthetic.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def _tidy_xlsx(folder: Path) -> Path:
    # Each cell within Excel's 32,767 characters, the four together over the limit.
    book = Workbook()
    sheet = book.active
    sheet.append(["title", "subtitle", "body", "captions"])
    sheet.append(["합성 엑셀 기사 1", "", "합성 본문이다.", ""])
    sheet.append(["합성 엑셀 기사 2 " + long_text(10_000), long_text(32_000), long_text(32_000),
                  long_text(32_000)])
    path = folder / "table_synthetic.xlsx"
    book.save(path)
    return path


def _bigkinds_csv(folder: Path) -> Path:
    rows = [bigkinds_row(**{"뉴스 식별자": f"01100401.20210315{103000 + i:06d}001",
                            "제목": f"합성 빅카인즈 기사 {i}"}) for i in range(3)]
    rows[2]["본문"] = long_text(MAX_ARTICLE_CHARS + 5)
    return write_bigkinds_csv(folder / "bigkinds_synthetic.csv", rows, encoding="utf-8")


def _newsml(folder: Path) -> Path:
    body = long_text(MAX_ARTICLE_CHARS + 5)
    path = folder / "newsml_synthetic.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<NewsML><NewsItem><NewsComponent>'
        "<NewsLines><HeadLine>합성 뉴스엠엘 기사</HeadLine></NewsLines>"
        f"<ContentItem><DataContent><p>{body}</p></DataContent></ContentItem>"
        "</NewsComponent></NewsItem></NewsML>\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "build, record, loaded",
    [(_tidy_csv, r"row 3", 2), (_tidy_xlsx, r"row 3", 1), (_bigkinds_csv, r"row 4", 2),
     (_newsml, r"item 1", 0)],
    ids=["tidy_csv", "tidy_xlsx", "bigkinds_csv", "newsml"],
)
def test_every_format_rejects_a_text_longer_than_any_article(
    tmp_path: Path, build, record: str, loaded: int
) -> None:
    corpus = load_corpus(build(tmp_path), progress=False)
    assert_too_long(corpus, record)
    assert len(corpus.articles) == loaded


def test_a_big_csv_read_in_blocks_rejects_the_long_row_too(tmp_path: Path) -> None:
    # Over fastcsv.MIN_BYTES the rows come as blocks split by Arrow's parser, not row by row.
    rows = [bigkinds_row(**{"뉴스 식별자": f"01100401.20210315{100000 + i:06d}001",
                            "제목": f"합성 빅카인즈 블록 기사 {i}",
                            "본문": f"합성 문장 {i}. " + "세종시 자율주행 셔틀을 시험 운행한다. " * 12})
            for i in range(6_000)]
    rows[4_321]["본문"] = long_text(MAX_ARTICLE_CHARS + 1)
    path = write_bigkinds_csv(tmp_path / "bigkinds_big_synthetic.csv", rows, encoding="utf-8")
    assert path.stat().st_size >= MIN_BYTES
    corpus = load_corpus(path, progress=False, dedup=False)
    assert_too_long(corpus, r"row 4323")
    assert len(corpus.articles) == 5_999


def test_an_over_long_text_never_reaches_the_duplicate_check(tmp_path: Path, monkeypatch) -> None:
    seen: list[int] = []
    real = corpus_loader.find_duplicates

    def spy(articles: pd.DataFrame) -> pd.DataFrame:
        seen.append(int(articles["body"].str.len().max()))
        return real(articles)

    monkeypatch.setattr(corpus_loader, "find_duplicates", spy)
    _tidy_csv(tmp_path)
    (tmp_path / "huge_page_synthetic.txt").write_text(
        page("합성 거대한 한 줄 기사", long_text(2 * MAX_ARTICLE_CHARS)), encoding="utf-8")
    corpus = load_corpus(tmp_path, progress=False)
    assert len(corpus.rejects) == 2 and seen and max(seen) <= MAX_ARTICLE_CHARS


def test_a_cell_over_the_csv_limit_is_named_as_such_not_malformed(tmp_path: Path) -> None:
    limit = csv.field_size_limit()
    rows = [{"title": "합성 표 기사 1", "body": "합성 본문이다."},
            {"title": "합성 거대한 셀", "body": long_text(limit + 10)},
            {"title": "합성 표 기사 3", "body": "합성 본문이다."}]
    path = tmp_path / "huge_cell_synthetic.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    corpus = load_corpus(path, progress=False)
    assert list(corpus.articles["title"]) == ["합성 표 기사 1", "합성 표 기사 3"]
    (reason,) = corpus.rejects["reason"]
    assert reason.startswith(f"a cell on line 3 is longer than {limit:,} characters"), reason
    assert "more than one article's text" in reason and "malformed" not in reason


def refusal(path: Path, text: str) -> str:
    """The loader's message for ``path`` written as ``text`` (UTF-8)."""
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(path, progress=False, on_error="raise")
    return str(info.value)


def test_a_text_file_named_xlsx_is_said_not_to_be_a_workbook(tmp_path: Path) -> None:
    message = refusal(tmp_path / "fake_spreadsheet_synthetic.xlsx",
                      "This is not a spreadsheet, just text pretending.\n합성 문장\n")
    assert message.startswith("fake_spreadsheet_synthetic.xlsx: not an Excel workbook: "), message
    assert "zip archive" in message and "plain text" in message
    assert "Name its columns" not in message and "columns=" not in message


def test_a_table_saved_as_text_named_xls_says_what_it_is_and_lacks(tmp_path: Path) -> None:
    message = refusal(tmp_path / "export_synthetic.xls",
                      "헤드라인\t내용물\t날짜\n합성 제목\t합성 본문\t2021-03-15\n")
    assert message.startswith("export_synthetic.xls: not an Excel workbook: an .xls file is an OLE"), message
    assert "plain text" in message and "Name its columns with" in message, message


def test_binary_bytes_named_xlsx_are_said_not_to_be_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "fake_binary_synthetic.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    with pytest.raises(CorpusError, match=r"^fake_binary_synthetic\.xlsx: not an Excel workbook: "):
        load_corpus(path, progress=False, on_error="raise")


def test_a_csv_named_xlsx_still_loads(tmp_path: Path) -> None:
    rows = [{"title": "합성 표 기사 1", "body": "합성 본문이다."}]
    path = tmp_path / "table_synthetic.xlsx"
    path.write_text(pd.DataFrame(rows).to_csv(index=False), encoding="utf-8")
    assert list(load_corpus(path, progress=False).articles["title"]) == ["합성 표 기사 1"]


def test_a_shift_jis_page_is_said_to_be_in_no_korean_encoding(tmp_path: Path) -> None:
    path = tmp_path / "shiftjis_page_synthetic.txt"
    path.write_bytes("これは日本語のテキストです。スマートシティについて。\n入力 2021-03-04\n本文です。\n"
                     .encode("shift_jis"))
    with pytest.raises(CorpusError) as info:
        load_corpus(path, progress=False, on_error="raise")
    message = str(info.value)
    assert message.startswith("shiftjis_page_synthetic.txt: not a corpus file: "), message
    assert "could not be read as UTF-8, UTF-16 or CP949/EUC-KR" in message, message
    assert "Shift-JIS" in message and "save it again as UTF-8" in message, message


def test_a_korean_memo_keeps_the_plain_refusal(tmp_path: Path) -> None:
    path = tmp_path / "memo_synthetic.txt"
    path.write_text("메모\n회의 자료를 정리한다.\n", encoding="utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(path, progress=False, on_error="raise")
    assert "expected a saved news page" in str(info.value)
    assert "could not be read" not in str(info.value)
